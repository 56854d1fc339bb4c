"""Vacatur of a conviction of a victim of trafficking: C.G.S. 54-95c.

Judged on the as-of date (the day of applying). Which convictions the section covers, and which
the court must rather than may vacate, are parameters of each dated version in
`law/sections/54-95c.yaml` (the 2013 text, its 2016 amendment, and PA 21-103's rewrite); the
elements below read like the section in force today:

  (a) At any time after a court enters a judgment of conviction for [an eligible offense], the
      defendant may apply to the Superior Court to vacate such judgment of conviction on the basis
      that his or her participation in the offense was a result of having been a victim of
      [trafficking in persons or 18 USC Chapter 77] ...
  (d) If the defendant proves [it] ..., the court (1) shall vacate a conviction under 53a-82, and
      (2) may, in its discretion, vacate any other [eligible] conviction.

Before Oct 1, 2013 there was no such section. Its "no" outcomes decide together: when the unknown
facts could only change which "no" applies, the most fundamental "no" the known facts establish is
the answer (no conviction, then a juvenile or another court's record, then not in force, then not
eligible), and nothing more is asked.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional

from rules import trafficking
from rules.determination import (MET, NOT_IN_FORCE, NOT_MET, UNKNOWN, Context, Note, Reason, cite,
                                  decide_over_unknowns)
from rules.facts import OFFENSE_CLASSES, YES_NO_UNSURE, Fact, InputError
from rules.offenses import (SOME_OTHER_STATUTE, class_history, class_words, classes_of_statute, existed_on,
                            section_of_offense)

TOPIC = "vacatur"
SECTION = "54-95c"
PROSTITUTION = "53a-82"
MUST, MAY, NOT_ELIGIBLE = "must_vacate_if_proven", "may_vacate_if_proven", "not_eligible"
NO_CONVICTION, JUVENILE_RECORD, OTHER_COURT = "no_conviction", "juvenile_record", "other_court"
# The ways of saying no, the most fundamental first: they decide together.
NO_OUTCOMES = (NO_CONVICTION, JUVENILE_RECORD, OTHER_COURT, NOT_IN_FORCE, NOT_ELIGIBLE)
OUTCOMES = (MUST, MAY, NOT_ELIGIBLE, NO_CONVICTION, JUVENILE_RECORD, OTHER_COURT, "need_more_facts", NOT_IN_FORCE)

COURTS = ("connecticut_adult", "connecticut_juvenile", "connecticut_youthful_offender", "other_state", "federal",
          "other")
JUVENILE_COURTS = ("connecticut_juvenile", "connecticut_youthful_offender")
OTHER_COURTS = ("other_state", "federal", "other")

COURT_WORDS = {
    "connecticut_adult": "a Connecticut adult criminal court",
    "connecticut_juvenile": "juvenile court (a delinquency case)",
    "connecticut_youthful_offender": "a youthful-offender case",
    "other_state": "another state's court",
    "federal": "a federal court",
    "other": "a court outside Connecticut's criminal courts",
}


FACTS = (
    Fact("convicted", "bool", "a court has entered a judgment of conviction", label="Convicted"),
    Fact("court", "choice", "the court of the judgment: a Connecticut adult (Superior Court criminal) court, a "
                            "juvenile delinquency adjudication, a youthful-offender adjudication, or another "
                            "state's, a federal or another court", COURTS, label="Court",
         value_words=tuple(COURT_WORDS.items())),
    Fact("offense_statute", "statute", "the section of the conviction, e.g. 53a-82", label="Section of the conviction"),
    Fact("offense_class", "choice", "the class of the offense", OFFENSE_CLASSES, label="Class of the offense",
         value_words=tuple((c, class_words(c)) for c in OFFENSE_CLASSES)),
    Fact("max_prison_years", "number", "the longest prison term the offense carries (unclassified felonies)",
         minimum=0, maximum=100, label="Longest prison term the offense carries (years)"),
    Fact("trafficking_victim", "choice",
         "a victim of trafficking at the time of the offense, and the participation was a result of it",
         YES_NO_UNSURE, label="Trafficked at the time, and took part because of it"),
    *trafficking.FACTS,
    Fact("conviction_date", "date", "the day of the conviction: a section's class is the class it had then",
         label="Date of the conviction"),
    # Beyond the contract, for people who name the offense rather than its section.
    Fact("offense", "choice", "the offense by name, when its section is not known",
         ("prostitution", "soliciting_sexual_acts", "commercial_sexual_abuse_of_a_minor", "trafficking_in_persons",
          "other_offense"), aliases=(("patronizing_a_prostitute", "soliciting_sexual_acts"),), label="Offense",
         value_words=(("other_offense", "an offense other than prostitution"),)),
    # Only the 2016-2021 text asks it: a person with a prostitution conviction could apply for any conviction.
    Fact("has_prostitution_conviction", "bool",
         "the person also has a prostitution conviction (53a-82); it mattered from Oct 1, 2016 to Sep 30, 2021",
         label="Also has a prostitution conviction"),
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
    if (named == SOME_OTHER_STATUTE and statute == PROSTITUTION) or (named != SOME_OTHER_STATUTE and statute != named):
        raise InputError("facts.offense", f"{offense!r} contradicts facts.offense_statute {statute!r}",
                         "an offense that section defines, or leave one of them out")
    return facts


def _rules(ctx: Context) -> Optional[Dict[str, Any]]:
    """The section's rule parameters on the as-of date; None before the section existed (2013)."""
    version = ctx.version(SECTION)
    return version.parameters["vacatur"] if version else None


def _section(ctx: Context, role: str) -> Optional[str]:
    rules = _rules(ctx)
    subsection = rules["cite"][role] if rules else ""
    return None if subsection is None else cite(SECTION, subsection)


def implied_classes(facts: Dict[str, Any], ctx: Context) -> FrozenSet[str]:
    return classes_of_statute(ctx, facts["offense_statute"], facts["conviction_date"])


def check_consistency(facts: Dict[str, Any], ctx: Context) -> None:
    """A known statute implies its class on the day of the conviction (any class it had, when that day
    is unknown); a class that contradicts it, or a conviction before the section existed, is bad input."""
    day, statute = facts["conviction_date"], facts["offense_statute"]
    if day is not None:
        if day > ctx.as_of:
            raise InputError("facts.conviction_date", f"{day} is after the as-of date {ctx.as_of}",
                             f"a date on or before {ctx.as_of}")
        if not existed_on(ctx, statute, day):
            enacted = ctx.library.section(statute).enacted
            raise InputError("facts.conviction_date", f"{statute} did not exist on {day}: it began {enacted}",
                             f"a date on or after {enacted}, or another section")
    implied, offense_class = implied_classes(facts, ctx), facts["offense_class"]
    if implied and offense_class is not None and offense_class not in implied:
        raise InputError("facts.offense_class", f"{offense_class!r} contradicts facts.offense_statute "
                         f"{statute!r}, which is {' or '.join(sorted(implied))}", ", ".join(sorted(implied)))


def with_implied_class(facts: Dict[str, Any], ctx: Context) -> Dict[str, Any]:
    """A known section with a single class fixes the class (53a-82 is a misdemeanor)."""
    implied = implied_classes(facts, ctx)
    if facts["offense_class"] is None and len(implied) == 1:
        return {**facts, "offense_class": next(iter(implied))}
    return facts


def known_facts(facts: Dict[str, Any], ctx: Context) -> Dict[str, Any]:
    """The facts in the rules' terms: the named offense as its section, its class when the section fixes
    it, and the trafficking answer from the branches of 53a-192a(a) when it was not given."""
    facts = trafficking.with_victim_answer(with_named_offense(facts, ctx))
    check_consistency(facts, ctx)
    return with_implied_class(facts, ctx)


# -- 54-95c(a): the conviction, its court and the offense ------------------------------------------

def judgment_of_conviction(facts: Dict[str, Any]) -> Optional[bool]:
    """54-95c(a): "after a court enters a judgment of conviction" - not while a case is open, nor after
    a dismissal or acquittal."""
    return facts["convicted"]


def court_is_connecticut_adult(facts: Dict[str, Any]) -> Optional[bool]:
    """54-95c(a): the defendant "may apply to the Superior Court": a Connecticut criminal judgment. A
    delinquency or youthful-offender adjudication is not a "judgment of conviction" (its route is
    erasure: 46b-146, 54-76o), and another state's or a federal court's judgment is not Connecticut's."""
    court = facts["court"]
    return None if court is None else court == "connecticut_adult"


def section_allowed_it_then(facts: Dict[str, Any], rules: Dict[str, Any]) -> Optional[bool]:
    """Whether the section in force on the as-of date reached this conviction at all: the 2013 text only
    prostitution convictions, the 2016 text only people with a prostitution conviction."""
    statute = facts["offense_statute"]
    if rules["eligible_statutes"] != "any":
        if statute is None:
            return False if facts["offense_class"] not in (None, "misdemeanor") else None
        return statute in rules["eligible_statutes"]
    needs = rules.get("applicant_convicted_under")
    if needs:
        if statute == needs or facts["has_prostitution_conviction"]:
            return True
        if statute is None or facts["has_prostitution_conviction"] is None:
            return None
        return False
    return True


def offense_is_covered(facts: Dict[str, Any], rules: Dict[str, Any],
                       implied: FrozenSet[str] = frozenset()) -> Optional[bool]:
    """54-95c(a): the offense is one of the classes the section lets a person apply to vacate."""
    offense_class, years = facts["offense_class"], facts["max_prison_years"]
    if offense_class is None and implied:
        answers = {offense_is_covered({**facts, "offense_class": c}, rules) for c in implied}
        return answers.pop() if len(answers) == 1 else None
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
    """54-95c(d)(1): a prostitution conviction (53a-82) must be vacated once trafficking is proven (from
    2016 to 2021, any conviction of a person convicted of prostitution)."""
    if rules["mandatory_statutes"] == "any":
        return True
    statute = facts["offense_statute"]
    if statute is None:
        # Only a misdemeanor can be a prostitution conviction.
        return False if facts["offense_class"] not in (None, "misdemeanor") else None
    return statute in rules["mandatory_statutes"]


def outcome_of(facts: Dict[str, Any], ctx: Context) -> str:
    if judgment_of_conviction(facts) is False:
        return NO_CONVICTION
    if facts["court"] in JUVENILE_COURTS:
        return JUVENILE_RECORD
    if facts["court"] in OTHER_COURTS:
        return OTHER_COURT
    rules = _rules(ctx)
    if rules is None or not section_allowed_it_then(facts, rules):
        return NOT_IN_FORCE
    if not offense_is_covered(facts, rules):
        return NOT_ELIGIBLE
    if facts["trafficking_victim"] == "no":
        return NOT_ELIGIBLE
    return MUST if court_must_vacate(facts, rules) else MAY


def decide(facts: Dict[str, Any], ctx: Context):
    facts = known_facts(facts, ctx)
    rules = _rules(ctx)
    limit = (rules or {}).get("unclassified_felony_max_years") or 10
    possible = {
        "convicted": (True, False),
        "court": ("connecticut_adult", "connecticut_juvenile", "other_state"),
        "offense_statute": (PROSTITUTION, SOME_OTHER_STATUTE),
        "offense_class": OFFENSE_CLASSES,
        "max_prison_years": (limit, limit + 1),
        "trafficking_victim": ("yes", "no"),
        "has_prostitution_conviction": (True, False),
    }

    def consistent(completed: Dict[str, Any]) -> bool:
        implied = implied_classes(completed, ctx)
        return not implied or completed["offense_class"] in implied

    return decide_over_unknowns(
        ctx, facts, possible, lambda completed: outcome_of(completed, ctx), consistent,
        is_unknown=lambda name, value: value is None or value == "unsure", no_outcomes=NO_OUTCOMES)


# -- reasons, element by element -------------------------------------------------------------------



def reasons(facts: Dict[str, Any], ctx: Context) -> List[Reason]:
    facts = known_facts(facts, ctx)
    rules = _rules(ctx)
    if rules is None:
        return [Reason("The vacatur law (54-95c) was in force on this date", SECTION, NOT_MET,
                       f"Connecticut had no law for vacating the convictions of trafficking victims before "
                       f"{ctx.library.section(SECTION).enacted:%b %-d, %Y}.")]
    eligibility = _section(ctx, "eligibility")
    found: List[Reason] = []

    convicted = judgment_of_conviction(facts)
    found.append(Reason(
        "A court has entered a judgment of conviction", eligibility,
        {True: MET, False: NOT_MET, None: UNKNOWN}[convicted],
        {True: "A court entered a judgment of conviction (found or pleaded guilty).",
         False: "The section applies only after a judgment of conviction; a case still open, dismissed or never "
                "charged is not one.",
         None: "I don't know yet whether a court entered a judgment of conviction."}[convicted]))

    adult = court_is_connecticut_adult(facts)
    court = facts["court"]
    found.append(Reason(
        "The judgment is a Connecticut criminal conviction, which the Superior Court can vacate", eligibility,
        {True: MET, False: NOT_MET, None: UNKNOWN}[adult],
        "I don't know yet which court entered it." if court is None
        else "It is from a Connecticut adult criminal court." if adult
        else f"It is from {COURT_WORDS[court]}: "
             + ("the section speaks of a judgment of conviction, and juvenile and youthful-offender records are "
                "cleared by erasure instead." if court in JUVENILE_COURTS
                else "the section lets a person apply to the Connecticut Superior Court, for Connecticut "
                     "convictions.")))

    allowed = section_allowed_it_then(facts, rules)
    implied = implied_classes(facts, ctx)
    covered = offense_is_covered(facts, rules, implied) if allowed is not False else False
    if rules["eligible_statutes"] != "any":
        explanation = {
            True: "On this date the section covered prostitution convictions (53a-82), and this is one.",
            False: "On this date the section covered only prostitution convictions (53a-82); other convictions "
                   "were added later.",
            None: "On this date the section covered only prostitution convictions (53a-82); I don't know which "
                  "offense the conviction is for."}[allowed]
    elif rules.get("applicant_convicted_under"):
        explanation = {
            True: "On this date a person with a prostitution conviction (53a-82) could apply to vacate any of "
                  "their convictions, and that fits.",
            False: "On this date only a person with a prostitution conviction (53a-82) could apply; other "
                   "convictions were added on Oct 1, 2021.",
            None: "On this date only a person with a prostitution conviction (53a-82) could apply, for any of "
                  "their convictions; I don't know whether you have one."}[allowed]
    else:
        max_years = rules["unclassified_felony_max_years"]
        covered_list = "any conviction" if len(rules["eligible_classes"]) == len(OFFENSE_CLASSES) else (
            f"misdemeanors, class C, D and E felonies, and unclassified felonies of up to {max_years:g} years")
        history = class_history(ctx, facts["offense_statute"]) if facts["conviction_date"] is None else ""
        explanation = {
            True: f"The section covers {covered_list}, and this conviction is one of them.",
            False: f"The section covers only {covered_list}; class A and class B felonies "
                   + (f"and unclassified felonies of more than {max_years:g} years " if max_years else "")
                   + "cannot be vacated under it.",
            None: f"The section covers {covered_list}; I don't know the class of this offense yet."}[covered]
        if history and facts["offense_class"] is None:
            explanation += f" Section {facts['offense_statute']} was {history}."
    found.append(Reason("The conviction is for an offense the section covers", eligibility,
                        {True: MET, False: NOT_MET, None: UNKNOWN}[covered if allowed is not False else False],
                        explanation))

    victim = facts["trafficking_victim"]
    branch = trafficking.how_it_was_answered(facts)
    found.append(Reason(
        "Participation in the offense was a result of being a victim of trafficking (53a-192a or 18 USC "
        "chapter 77) at the time", eligibility,
        {"yes": MET, "no": NOT_MET}.get(victim, UNKNOWN),
        {"yes": (branch + " That is trafficking under 53a-192a(a). " if branch else
                 "You said you were being trafficked at the time. ")
                + "You would have to prove to the court that you were, and that this is why you took part.",
         "no": "The section is only for people whose participation was a result of being trafficked, and you said "
               "no. Whether what happened counts is a legal question: the law also covers being sold or "
               "used for sex with others without force, and a child drawn into sex. An advocate or lawyer can "
               "help you work it out.",
         }.get(victim, "Not known yet whether you were being trafficked at the time. Whether what happened "
                       "counts is a legal question: an advocate can help you work that out.")))

    if covered is not False and convicted is not False and adult is not False and victim != "no":
        must = court_must_vacate(facts, rules)
        found.append(Reason(
            "The conviction is one the court must vacate once trafficking is proven (a prostitution "
            "conviction, 53a-82)" if rules["mandatory_statutes"] != "any"
            else "The conviction is one the court must vacate once trafficking is proven",
            _section(ctx, "mandatory") if must is not False else _section(ctx, "discretionary"),
            {True: MET, False: NOT_MET, None: UNKNOWN}[must],
            {True: "The court must vacate it if you prove you were trafficked." if rules["mandatory_statutes"] == "any"
             else "For a prostitution conviction, the court must vacate it if you prove you were trafficked.",
             False: "For this conviction the court may vacate it, in its discretion, if you prove you were "
                    "trafficked.",
             None: "If the conviction is for prostitution (53a-82), the court must vacate it on proof; for "
                   "other offenses it is the court's choice. I don't know the section yet."}[must]))
    return found


def branch_citations(facts: Dict[str, Any], ctx: Context) -> List[str]:
    return trafficking.definition_cited(facts)


# -- what to do next, and honest limits ------------------------------------------------------------

OTHER_ROUTES = Note(
    "Other routes to clear a record: a pardon from the Board of Pardons and Paroles, which can erase a "
    "conviction (you can apply 5 years after a felony conviction, 3 after a misdemeanor); and Clean Slate "
    "erasure, which covers only some lower-level convictions after a waiting period.", ("54-130a(b)", "54-130a(c)",
                                                                                         "54-142a(e)"))
GET_HELP = Note("A lawyer or advocate can help you gather proof and file; the National Human Trafficking Hotline "
                "(1-888-373-7888, text 233733) can connect you with one.")


def next_steps(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    facts = known_facts(facts, ctx)
    if outcome == NO_CONVICTION:
        return steps_without_a_conviction(ctx)
    if outcome == JUVENILE_RECORD:
        if facts["court"] == "connecticut_youthful_offender":
            return [Note("Youthful-offender records are erased automatically when you turn 21, if there is no "
                         "felony conviction after it. Youthful-offender status is not a conviction for that "
                         "erasure.", ("54-76o",)), GET_HELP]
        return [Note("A juvenile record is cleared by erasure. Once the court's supervision of the case has ended, you "
                     "(or a parent or guardian) can ask the Superior Court to erase it; if the record is a result of "
                     "being trafficked, the court must order it erased, without the usual two-year wait.",
                     ("46b-146",)), GET_HELP]
    if outcome == OTHER_COURT:
        return [Note("54-95c lets a person apply to the Connecticut Superior Court, for Connecticut convictions. A "
                     "conviction from another state or a federal court needs that place's own way to clear it; many "
                     "states have laws for trafficking survivors.", (_section(ctx, "eligibility"),)),
                Note("A lawyer where the conviction happened can tell you what is possible there; the National "
                     "Human Trafficking Hotline (1-888-373-7888, text 233733) can help you find one.")]
    if outcome == NOT_IN_FORCE:
        return [Note("The law changed on Oct 1, 2021. If you would apply now, ask me again with today's date: the "
                     "section in force today covers more convictions.", (SECTION,))]
    if outcome == NOT_ELIGIBLE:
        steps = []
        if facts["trafficking_victim"] == "no":
            steps.append(Note("If someone was controlling, selling or using you at the time, tell a lawyer or "
                              "advocate: whether it counts as trafficking is a legal question, and this answer would "
                              "change.", (trafficking.DEFINITION,)))
        return steps + [OTHER_ROUTES, Note("A lawyer or advocate can check whether any other way to clear or seal "
                                           "the record fits your situation.")]
    return steps_to_apply(facts, ctx)


def steps_to_apply(facts: Dict[str, Any], ctx: Context) -> List[Note]:
    eligibility = _section(ctx, "eligibility")
    steps = [Note("Apply to the Superior Court to vacate the conviction. There is no deadline: you can apply at any "
                  "time after the judgment.", (eligibility,)),
             Note("If you are not a U.S. citizen, talk to an immigration lawyer before you apply: a vacated "
                  "conviction may still count for immigration.", ("Matter of Pickering, 23 I&N Dec. 621 (BIA 2003)",)),
             Note("Each conviction is decided separately: apply for each one you want vacated. I can check another "
                  "conviction with you.", (eligibility,))]
    notice = _section(ctx, "notice")
    if notice and ctx.edition == "current":
        prostitution = facts["offense_statute"] == PROSTITUTION
        steps.append(Note(
            "If the crime had a victim (a person it harmed), you must mail them notice of the application, by "
            "registered or certified mail on the court's form, so they can be heard. "
            + ("A prostitution conviction usually has no such victim; a lawyer can confirm whether notice is needed. "
               if prostitution else "")
            + "Safety: this mailing can reveal you to that person; ask a lawyer or advocate to handle it.", (notice,)))
    elif notice:
        steps.append(Note("The raised bill would have required notifying the Office of Victim Services of the "
                          "application.", (notice,)))
    hearing = _section(ctx, "hearing")
    if hearing:
        steps.append(Note(
            "The prosecutor gets a reasonable chance to investigate and can oppose the application; the "
            + ("victim and the prosecutor" if notice and ctx.edition == "current" else "prosecutor")
            + " can be heard before the judge decides.", (hearing,)))
    if _rules(ctx)["cite"]["mandatory"] == "":  # the texts before 2021 ordered related charges dismissed
        steps.append(Note("On proof, the court also dismisses charges related to the offense.", (SECTION,)))
    else:
        steps.append(Note("Ask the court also to dismiss any charges related to the conviction."))
    steps.append(Note(
        "Records of a dismissed charge are erased by law. That the same erasure follows a vacatur is my reading, "
        "not written in 54-95c: ask your lawyer to request erasure too.", ("54-142a(a)",)))
    steps.append(Note("Clean Slate erasure, which clears some convictions by law after a waiting period, may be "
                      "another route for an older conviction.", ("54-142a(e)",)))
    bar = _section(ctx, "no_compensation")
    if bar is not None:
        steps.append(Note("Vacating a conviction is not grounds for compensation for wrongful arrest, conviction or "
                          "incarceration. That bar is not about crime-victim compensation, which the Office of Victim "
                          "Services handles separately (1-888-286-7347).", (bar, "54-102uu")))
    steps.append(GET_HELP)
    return steps


def steps_without_a_conviction(ctx: Context) -> List[Note]:
    """What a person whose case is open, dismissed or never charged needs instead."""
    current = ctx.library.version(SECTION, ctx.edition, ctx.as_of)
    steps = [Note("If your case is still open, tell your defense lawyer or public defender that you were being "
                  "trafficked: it can matter now, before any plea or trial."),
             Note("Charged with trafficking and under 18 at the time? There is a defense for people who were being "
                  "trafficked themselves. I can check it with you.", ("53a-192a(b)",)),
             Note("Only a person 18 or older can be guilty of prostitution in Connecticut.", ("53a-82",))]
    if current and current.parameters["vacatur"]["unclassified_felony_max_years"]:
        steps.append(Note(
            "Before any plea, ask your lawyer how it affects clearing your record later: a conviction for a class A "
            "or B felony can never be vacated under 54-95c; a prostitution conviction can, and the court must "
            "vacate it if you prove you were being trafficked.",
            (cite(SECTION, current.parameters["vacatur"]["cite"]["eligibility"]),
             cite(SECTION, current.parameters["vacatur"]["cite"]["mandatory"]))))
    steps.append(Note("If your case was dismissed or you were found not guilty, the records are erased by law; if the "
                      "charge was nolled (dropped), they are erased after 13 months.", ("54-142a(a)", "54-142a(c)")))
    return steps


def caveats(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    facts = known_facts(facts, ctx)
    rules = _rules(ctx)
    notes = []
    if outcome in (MUST, MAY, "need_more_facts"):
        notes.append(Note("This is not a decision: you must prove to the court that you were a victim of "
                          "trafficking at the time, and the judge decides whether you have.",
                          (_section(ctx, "mandatory"),)))
    if outcome == MAY:
        notes.append(Note("For this conviction the judge has discretion: even with proof, the court may decide "
                          "not to vacate. I can't predict that.", (_section(ctx, "discretionary"),), with_answer=True))
    if outcome == MUST and rules and rules["mandatory_statutes"] == "any":
        notes.append(Note("Read word for word, the 2016 text made vacatur of any conviction of a person convicted of "
                          "prostitution mandatory; commentators called it a drafting error, and I don't know how "
                          "courts read it.", (SECTION,), with_answer=True))
    if outcome == JUVENILE_RECORD:
        notes.append(Note("Whether 54-95c could also reach a juvenile or youthful-offender case is not settled by "
                          "its words, which speak of a judgment of conviction; a lawyer can check.",
                          (_section(ctx, "eligibility") or SECTION,), with_answer=True))
    if outcome == NOT_ELIGIBLE and ctx.edition == "current" and facts["offense_class"] and rules:
        raised = ctx.library.version(SECTION, "raised-bill", ctx.as_of)
        if raised and raised.parameters["vacatur"]["eligible_classes"] != rules["eligible_classes"] \
                and facts["offense_class"] in raised.parameters["vacatur"]["eligible_classes"] \
                and facts["offense_class"] not in rules["eligible_classes"]:
            notes.append(Note("The raised bill would have covered this conviction; Public Act 21-103 narrowed the "
                              "section before it passed.", (_section(ctx, "eligibility"),)))
    if facts["max_prison_years"] is not None and facts["offense_class"] not in (None, "unclassified_felony"):
        notes.append(Note("The maximum prison term matters only for unclassified felonies; it was not used."))
    return notes


def summary(outcome: str, facts: Dict[str, Any], ctx: Context) -> str:
    facts = known_facts(facts, ctx)
    rules = _rules(ctx)
    if outcome == NOT_ELIGIBLE and facts["trafficking_victim"] == "no" and rules and \
            offense_is_covered(facts, rules, implied_classes(facts, ctx)) is not False:
        return ("Under 54-95c a conviction can be vacated only if taking part was a result of being trafficked, "
                "and you said that was not the case. Whether what happened counts is a legal question: an advocate "
                "or lawyer can help you work it out.")
    if outcome == NOT_IN_FORCE:
        if rules is None:
            return (f"On this date Connecticut had no law for vacating the convictions of trafficking victims: "
                    f"54-95c began {ctx.library.section(SECTION).enacted:%b %-d, %Y}.")
        if rules.get("applicant_convicted_under"):
            return ("On this date the law let only a person with a prostitution conviction apply to vacate "
                    "convictions; other people were added on Oct 1, 2021.")
    return SUMMARIES[outcome]


SUMMARIES = {
    MUST: "If you prove to the court that you were a victim of trafficking at the time, the court must "
          "vacate (cancel) this conviction.",
    MAY: "You can apply to vacate (cancel) this conviction. If you prove you were a victim of trafficking at "
         "the time, the judge may vacate it, but it is the judge's choice.",
    NOT_ELIGIBLE: "This conviction cannot be vacated under 54-95c: the law covers only misdemeanors, class C, D and "
                  "E felonies, and unclassified felonies of up to ten years.",
    NO_CONVICTION: "Vacating (cancelling) is only for a conviction, so 54-95c does not apply while a case is open, "
                   "or after it was dismissed. Other things matter now: see what you can do next.",
    JUVENILE_RECORD: "54-95c is for convictions in adult court. A juvenile or youthful-offender record has its own "
                     "way to be cleared: erasure.",
    OTHER_COURT: "This Connecticut law covers only Connecticut convictions: it cannot vacate a conviction from "
                 "another state's court or a federal court.",
    NOT_IN_FORCE: "On this date the law did not allow this conviction to be vacated: before Oct 1, 2016 the section "
                  "covered only prostitution convictions.",
    "need_more_facts": "I need a little more information to tell whether this conviction can be vacated.",
}
