"""Vacatur of a conviction of a victim of trafficking: C.G.S. 54-95c.

Judged on the as-of date (the day of applying). Which convictions the section covers, and which
the court must rather than may vacate, are parameters of each dated version in
`law/sections/54-95c.yaml`; the elements below read like the section:

  (a) At any time after a court enters a judgment of conviction for [an eligible offense], the
      defendant may apply ... on the basis that his or her participation in the offense was a
      result of having been a victim of [trafficking in persons or 18 USC Chapter 77] ...
  (d) If the defendant proves [it] ..., the court (1) shall vacate a conviction under 53a-82, and
      (2) may, in its discretion, vacate any other [eligible] conviction.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional

from rules.determination import (MET, NOT_IN_FORCE, NOT_MET, UNKNOWN, Context, Note, Reason, cite,
                                  decide_over_unknowns)
from rules.facts import OFFENSE_CLASSES, YES_NO_UNSURE, Fact, InputError
from rules.offenses import SOME_OTHER_STATUTE, classes_of_statute, section_of_offense

TOPIC = "vacatur"
SECTION = "54-95c"
MUST, MAY, NOT_ELIGIBLE = "must_vacate_if_proven", "may_vacate_if_proven", "not_eligible"
OUTCOMES = (MUST, MAY, NOT_ELIGIBLE, "need_more_facts", NOT_IN_FORCE)

FACTS = (
    Fact("convicted", "bool", "a court has entered a judgment of conviction"),
    Fact("offense_statute", "statute", "the section of the conviction, e.g. 53a-82"),
    Fact("offense_class", "choice", "the class of the offense", OFFENSE_CLASSES),
    Fact("max_prison_years", "number", "the longest prison term the offense carries (unclassified felonies)",
         minimum=0, maximum=100),
    Fact("trafficking_victim", "choice",
         "a victim of trafficking at the time of the offense, and the participation was a result of it",
         YES_NO_UNSURE),
    # Beyond the contract, for people who name the offense rather than its section.
    Fact("offense", "choice", "the offense by name, when its section is not known",
         ("prostitution", "soliciting_sexual_acts", "commercial_sexual_abuse_of_a_minor", "trafficking_in_persons",
          "other_offense"), aliases=(("patronizing_a_prostitute", "soliciting_sexual_acts"),)),
)



def with_named_offense(facts: Dict[str, Any], ctx: Context) -> Dict[str, Any]:
    """An offense named in words stands for its section: prostitution is 53a-82; "another offense"
    (say, larceny) is some section other than the ones the court must vacate."""
    offense, statute = facts["offense"], facts["offense_statute"]
    if offense is None:
        return facts
    named = section_of_offense(ctx, offense) if offense != "other_offense" else SOME_OTHER_STATUTE
    if statute is None:
        return {**facts, "offense_statute": named}
    if (named == SOME_OTHER_STATUTE and statute in _rules(ctx)["mandatory_statutes"]) or (
            named != SOME_OTHER_STATUTE and statute != named):
        raise InputError("facts.offense", f"{offense!r} contradicts facts.offense_statute {statute!r}",
                         "an offense that section defines, or leave one of them out")
    return facts


def _rules(ctx: Context) -> Dict[str, Any]:
    return ctx.version(SECTION).parameters["vacatur"]


def _section(ctx: Context, role: str) -> Optional[str]:
    subsection = _rules(ctx)["cite"][role]
    return None if subsection is None else cite(SECTION, subsection)


def check_consistency(facts: Dict[str, Any], ctx: Context) -> None:
    """A known statute implies its class; a class that contradicts it is bad input."""
    statute, offense_class = facts["offense_statute"], facts["offense_class"]
    implied = classes_of_statute(ctx, statute)
    if implied and offense_class is not None and offense_class not in implied:
        raise InputError("facts.offense_class", f"{offense_class!r} contradicts facts.offense_statute "
                         f"{statute!r}, which is {' or '.join(sorted(implied))}", ", ".join(sorted(implied)))


# -- 54-95c(a): the conviction ---------------------------------------------------------------------

def offense_is_covered(facts: Dict[str, Any], rules: Dict[str, Any],
                       implied_classes: FrozenSet[str] = frozenset()) -> Optional[bool]:
    """54-95c(a): the offense is one the section in force lets a person apply to vacate."""
    statute, offense_class, years = facts["offense_statute"], facts["offense_class"], facts["max_prison_years"]
    if offense_class is None and implied_classes:
        answers = {offense_is_covered({**facts, "offense_class": c}, rules) for c in implied_classes}
        return answers.pop() if len(answers) == 1 else None
    eligible_statutes = rules["eligible_statutes"]
    if eligible_statutes != "any":
        if statute is None:
            # Only a misdemeanor can be a prostitution conviction.
            return False if offense_class not in (None, "misdemeanor") else None
        return statute in eligible_statutes
    if offense_class is None:
        return None
    if offense_class not in rules["eligible_classes"]:
        return False
    if offense_class == "unclassified_felony" and rules["unclassified_felony_max_years"] is not None:
        if years is None:
            return None
        return years <= rules["unclassified_felony_max_years"]
    return True


def court_must_vacate(facts: Dict[str, Any], rules: Dict[str, Any]) -> Optional[bool]:
    """54-95c(d)(1): a prostitution conviction (53a-82) must be vacated once trafficking is proven."""
    statute = facts["offense_statute"]
    if statute is None:
        # Only a misdemeanor can be a prostitution conviction.
        return False if facts["offense_class"] not in (None, "misdemeanor") else None
    return statute in rules["mandatory_statutes"]


def outcome_of(facts: Dict[str, Any], ctx: Context) -> str:
    rules = _rules(ctx)
    if rules["eligible_statutes"] != "any" and facts["offense_statute"] not in rules["eligible_statutes"]:
        return NOT_IN_FORCE
    if not facts["convicted"]:
        return NOT_ELIGIBLE
    if not offense_is_covered(facts, rules):
        return NOT_ELIGIBLE
    if facts["trafficking_victim"] == "no":
        return NOT_ELIGIBLE
    return MUST if court_must_vacate(facts, rules) else MAY


def with_implied_class(facts: Dict[str, Any], ctx: Context) -> Dict[str, Any]:
    """A known section with a single class fixes the class (53a-82 is a misdemeanor)."""
    implied = classes_of_statute(ctx, facts["offense_statute"])
    if facts["offense_class"] is None and len(implied) == 1:
        return {**facts, "offense_class": next(iter(implied))}
    return facts


def decide(facts: Dict[str, Any], ctx: Context):
    facts = with_named_offense(facts, ctx)
    check_consistency(facts, ctx)
    rules = _rules(ctx)
    possible = {
        "convicted": (True, False),
        "offense_statute": tuple(rules["mandatory_statutes"]) + (SOME_OTHER_STATUTE,),
        "offense_class": OFFENSE_CLASSES,
        "max_prison_years": (10, 11) if rules["unclassified_felony_max_years"] is None
        else (rules["unclassified_felony_max_years"], rules["unclassified_felony_max_years"] + 1),
        "trafficking_victim": ("yes", "no"),
    }

    def consistent(completed: Dict[str, Any]) -> bool:
        implied = classes_of_statute(ctx, completed["offense_statute"])
        return not implied or completed["offense_class"] in implied

    return decide_over_unknowns(
        ctx, with_implied_class(facts, ctx), possible, lambda completed: outcome_of(completed, ctx), consistent,
        is_unknown=lambda name, value: value is None or value == "unsure")


# -- reasons, element by element -------------------------------------------------------------------

def reasons(facts: Dict[str, Any], ctx: Context) -> List[Reason]:
    rules = _rules(ctx)
    eligibility = _section(ctx, "eligibility")
    facts = with_implied_class(with_named_offense(facts, ctx), ctx)
    found: List[Reason] = []

    convicted = facts["convicted"]
    found.append(Reason(
        "A court has entered a judgment of conviction", eligibility,
        {True: MET, False: NOT_MET, None: UNKNOWN}[convicted],
        {True: "You said a court entered a judgment of conviction (found or pleaded guilty).",
         False: "The section applies only after a judgment of conviction; a case still open or dismissed "
                "cannot be vacated under it.",
         None: "I don't know yet whether a court entered a judgment of conviction."}[convicted]))

    covered = offense_is_covered(facts, rules, classes_of_statute(ctx, facts["offense_statute"]))
    if rules["eligible_statutes"] != "any":
        explanation = {
            True: "On this date the section covered prostitution convictions (53a-82), and yours is one.",
            False: "On this date the section covered only prostitution convictions (53a-82); other "
                   "convictions were added on Oct 1, 2021.",
            None: "On this date the section covered only prostitution convictions (53a-82); I don't know "
                  "which offense the conviction is for."}[covered]
    else:
        max_years = rules["unclassified_felony_max_years"]
        covered_list = "any conviction" if len(rules["eligible_classes"]) == len(OFFENSE_CLASSES) else (
            f"misdemeanors, class C, D and E felonies, and unclassified felonies of up to {max_years:g} years")
        explanation = {
            True: f"The section covers {covered_list}, and this conviction is one of them.",
            False: f"The section covers only {covered_list}; class A and class B felonies "
                   + (f"and unclassified felonies of more than {max_years:g} years " if max_years else "")
                   + "cannot be vacated under it.",
            None: f"The section covers {covered_list}; I don't know the class of this offense yet."}[covered]
    found.append(Reason("The conviction is for an offense the section covers", eligibility,
                        {True: MET, False: NOT_MET, None: UNKNOWN}[covered], explanation))

    victim = facts["trafficking_victim"]
    found.append(Reason(
        "Participation in the offense was a result of being a victim of trafficking (53a-192a or 18 USC "
        "chapter 77) at the time", eligibility,
        {"yes": MET, "no": NOT_MET}.get(victim, UNKNOWN),
        {"yes": "You said you were being trafficked at the time and that is why you took part. You would "
                "have to prove this to the court.",
         "no": "The section is only for people whose participation was a result of being trafficked.",
         }.get(victim, "Not known yet whether you were being trafficked at the time. Whether what happened "
                       "counts is a legal question: an advocate can help you work that out.")))

    if covered is not False and convicted is not False and victim != "no":
        must = court_must_vacate(facts, rules)
        discretionary = _section(ctx, "discretionary")
        found.append(Reason(
            "The conviction is for prostitution (53a-82), which the court must vacate once trafficking is proven",
            _section(ctx, "mandatory") if must is not False else discretionary,
            {True: MET, False: NOT_MET, None: UNKNOWN}[must],
            {True: "For a prostitution conviction, the court must vacate it if you prove you were trafficked.",
             False: "For this conviction the court may vacate it, in its discretion, if you prove you were "
                    "trafficked.",
             None: "If the conviction is for prostitution (53a-82), the court must vacate it on proof; for "
                   "other offenses it is the court's choice. I don't know the section yet."}[must]))
    return found


# -- what to do next, and honest limits ------------------------------------------------------------

def next_steps(outcome: str, ctx: Context) -> List[Note]:
    if outcome not in (MUST, MAY, "need_more_facts"):
        if outcome == NOT_IN_FORCE:
            return [Note("The law changed on Oct 1, 2021. If you would apply now, ask me again with today's "
                         "date: the section in force today covers more convictions.", (SECTION,))]
        return [Note("A lawyer or advocate can check whether any other way to clear or seal the record fits "
                     "your situation.")]
    steps = [Note("Apply to the Superior Court to vacate the conviction. There is no deadline: you can apply "
                  "at any time after the judgment.", (_section(ctx, "eligibility"),))]
    notice = _section(ctx, "notice")
    if notice and ctx.edition == "current":
        steps.append(Note(
            "You must mail notice of the application, by registered or certified mail on the court's form, to "
            "any victim of the crime, telling them they can be heard. Safety: this mailing can reveal you to "
            "that person; ask a lawyer or advocate to handle it for you.", (notice,)))
    elif notice:
        steps.append(Note("The raised bill would have required notifying the Office of Victim Services of the "
                          "application.", (notice,)))
    hearing = _section(ctx, "hearing")
    if hearing:
        steps.append(Note(
            "The prosecutor gets a reasonable chance to investigate and can oppose the application; the "
            + ("victim and the prosecutor" if ctx.edition == "current" else "prosecutor")
            + " can be heard before the judge decides.", (hearing,)))
    bar = _section(ctx, "no_compensation")
    if bar is not None:
        steps.append(Note("Vacating a conviction is not grounds for compensation for wrongful arrest, prosecution, "
                          "conviction or incarceration.", (bar, "54-102uu")))
    steps.append(Note("A lawyer or advocate can help you gather proof and file; the National Human Trafficking "
                      "Hotline (1-888-373-7888, text 233733) can connect you with one."))
    return steps


def caveats(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    notes = []
    if outcome in (MUST, MAY, "need_more_facts"):
        notes.append(Note("This is not a decision: you must prove to the court that you were a victim of "
                          "trafficking at the time, and the judge decides whether you have.",
                          (_section(ctx, "mandatory"),)))
    if outcome == MAY:
        notes.append(Note("For this conviction the judge has discretion: even with proof, the court may decide "
                          "not to vacate. I can't predict that.", (_section(ctx, "discretionary"),)))
    if outcome == NOT_ELIGIBLE and ctx.edition == "current" and facts["offense_class"]:
        raised = ctx.library.version(SECTION, "raised-bill", ctx.as_of)
        if raised and raised.parameters["vacatur"]["eligible_classes"] != _rules(ctx)["eligible_classes"] \
                and facts["offense_class"] in raised.parameters["vacatur"]["eligible_classes"] \
                and facts["offense_class"] not in _rules(ctx)["eligible_classes"]:
            notes.append(Note("The raised bill would have covered this conviction; Public Act 21-103 narrowed the "
                              "section before it passed.", (_section(ctx, "eligibility"),)))
    if facts["max_prison_years"] is not None and facts["offense_class"] not in (None, "unclassified_felony"):
        notes.append(Note("The maximum prison term matters only for unclassified felonies; it was not used."))
    return notes


SUMMARIES = {
    MUST: "If you prove to the court that you were a victim of trafficking at the time, the court must "
          "vacate (cancel) this conviction.",
    MAY: "You can apply to vacate (cancel) this conviction. If you prove you were a victim of trafficking at "
         "the time, the judge may vacate it, but it is the judge's choice.",
    NOT_ELIGIBLE: "This conviction cannot be vacated under this section.",
    NOT_IN_FORCE: "On this date the law did not allow this conviction to be vacated: before Oct 1, 2021 the "
                  "section covered only prostitution convictions.",
    "need_more_facts": "I need a little more information to tell whether this conviction can be vacated.",
}
