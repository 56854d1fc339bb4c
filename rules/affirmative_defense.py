"""The affirmative defense of a minor charged with trafficking: C.G.S. 53a-192a(b).

  (b) It shall be an affirmative defense in any prosecution or delinquency proceeding under this
      section that the defendant was under eighteen years of age and his or her participation in
      the offense was a result of having been a victim of conduct of another person that
      constitutes trafficking in persons in violation of subsection (a) of this section.

Judged on the date of the offense: the defense exists only in versions of 53a-192a that carry an
`affirmative_defense` block (from Oct 1, 2021). Who must prove it: 53a-12(b).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Tuple

from rules import trafficking
from rules.determination import (MET, NOT_APPLICABLE, NOT_IN_FORCE, NOT_MET, UNKNOWN, Context, Note, Reason,
                                  cite, decide_over_unknowns, dates_across_versions)
from rules.facts import YES_NO_UNSURE, Fact, InputError
from rules.offenses import SOME_OTHER_STATUTE

TOPIC = "affirmative_defense"
SECTION = "53a-192a"
AVAILABLE, NOT_AVAILABLE = "available", "not_available"
OUTCOMES = (AVAILABLE, NOT_AVAILABLE, NOT_APPLICABLE, "need_more_facts", NOT_IN_FORCE)
# The ways of saying no, the most fundamental first: when unknown facts could only change which no
# applies (a person of 19 who gave no date), the answer is already no.
NO_OUTCOMES = (NOT_APPLICABLE, NOT_IN_FORCE, NOT_AVAILABLE)

FACTS = (
    Fact("charge_statute", "statute", "the section the person is charged under, e.g. 53a-192a", label="Section of the charge"),
    Fact("proceeding", "choice", "an adult prosecution or a juvenile delinquency proceeding",
         ("prosecution", "delinquency"), label="Kind of case",
         value_words=(("prosecution", "adult prosecution"), ("delinquency", "juvenile delinquency case"))),
    Fact("age_at_offense", "whole_number", "age on the date of the offense", minimum=0, maximum=120,
         label="Age at the time"),
    Fact("trafficking_victim", "choice",
         "a victim of trafficking at the time, and the participation was a result of it", YES_NO_UNSURE,
         label="Trafficked at the time, and took part because of it"),
    Fact("offense_date", "date", "the date of the offense", label="Date of the offense"),
    *trafficking.FACTS,
    # Beyond the contract, for people who name the charge rather than its section.
    Fact("charge", "choice", "the charge by name, when its section is not known",
         ("trafficking_in_persons", "other_offense"), label="Charge",
         value_words=(("other_offense", "a charge other than trafficking in persons"),)),
)

DEFENSE = cite(SECTION, "(b)")
BURDEN = "53a-12(b)"


def defense_on(ctx: Context, offense_date: Optional[dt.date]) -> Optional[Dict[str, Any]]:
    version = ctx.version(SECTION, offense_date)
    return version.parameters.get("affirmative_defense") if version else None


def with_named_charge(facts: Dict[str, Any]) -> Dict[str, Any]:
    """A charge named in words stands for its section: trafficking in persons is 53a-192a; and the
    trafficking answer comes from the branches of 53a-192a(a) when it was not given."""
    facts = trafficking.with_victim_answer(facts)
    charge, statute = facts["charge"], facts["charge_statute"]
    if charge is None:
        return facts
    named = SECTION if charge == "trafficking_in_persons" else SOME_OTHER_STATUTE
    if statute is None:
        return {**facts, "charge_statute": named}
    if (statute == SECTION) != (named == SECTION):
        raise InputError("facts.charge", f"{charge!r} contradicts facts.charge_statute {statute!r}",
                         "a charge that section defines, or leave one of them out")
    return facts


def outcome_of(facts: Dict[str, Any], ctx: Context) -> str:
    if facts["charge_statute"] != SECTION:
        return NOT_APPLICABLE
    defense = defense_on(ctx, facts["offense_date"])
    if defense is None:
        return NOT_IN_FORCE
    if facts["age_at_offense"] >= defense["age_limit_years"]:
        return NOT_AVAILABLE
    if facts["trafficking_victim"] == "no":
        return NOT_AVAILABLE
    return AVAILABLE


def defense_in_edition(ctx: Context) -> Tuple[dt.date, int]:
    """When the defense began in this edition, and its age limit, from the law data."""
    for day in dates_across_versions(ctx, SECTION):
        defense = ctx.library.version(SECTION, ctx.edition, day).parameters.get("affirmative_defense")
        if defense:
            return day, defense["age_limit_years"]
    raise LookupError(f"no version of {SECTION} in the {ctx.edition} edition has the defense")


def decide(facts: Dict[str, Any], ctx: Context):
    facts = with_named_charge(facts)
    if facts["offense_date"] is not None and facts["offense_date"] > ctx.as_of:
        raise InputError("facts.offense_date", f"{facts['offense_date']} is after the as-of date {ctx.as_of}",
                         f"a date on or before {ctx.as_of}")
    _, age_limit = defense_in_edition(ctx)
    possible = {
        "charge_statute": (SECTION, SOME_OTHER_STATUTE),
        # An offense happens on or before the day asked about: try each version up to the as-of date.
        "offense_date": tuple(sorted({d for d in dates_across_versions(ctx, SECTION) if d <= ctx.as_of}
                                     | {ctx.as_of})),
        "age_at_offense": (age_limit - 1, age_limit),
        "trafficking_victim": ("yes", "no"),
    }
    return decide_over_unknowns(ctx, facts, possible, lambda completed: outcome_of(completed, ctx),
                                is_unknown=lambda name, value: value is None or value == "unsure",
                                no_outcomes=NO_OUTCOMES)


def reasons(facts: Dict[str, Any], ctx: Context) -> List[Reason]:
    facts = with_named_charge(facts)
    statute = facts["charge_statute"]
    found = [Reason(
        "The charge is trafficking in persons under 53a-192a", DEFENSE,
        UNKNOWN if statute is None else MET if statute == SECTION else NOT_MET,
        "I don't know yet which section the charge is under." if statute is None else
        "The charge is under 53a-192a, where the defense applies." if statute == SECTION else
        "The defense applies only to a charge under 53a-192a; this charge is "
        + ("for another offense." if statute == SOME_OTHER_STATUTE else f"under {statute}."))]
    if statute not in (None, SECTION):
        return found

    began, age_limit = defense_in_edition(ctx)
    offense_date = facts["offense_date"]
    defense = defense_on(ctx, offense_date) if offense_date else None
    found.append(Reason(
        f"The defense was law on the date of the offense (it began {began:%b %-d, %Y})", DEFENSE,
        UNKNOWN if offense_date is None else MET if defense else NOT_MET,
        f"I don't know the date of the offense; the defense covers offenses from {began:%b %-d, %Y}."
        if offense_date is None
        else f"The offense date, {offense_date:%b %-d, %Y}, is on or after {began:%b %-d, %Y}." if defense
        else f"The offense date, {offense_date:%b %-d, %Y}, is before the defense began on {began:%b %-d, %Y}. "
             "Whether it can still be raised for an earlier offense is a question for a lawyer."))

    age = facts["age_at_offense"]
    found.append(Reason(
        f"The person was under {age_limit} at the time of the offense", DEFENSE,
        UNKNOWN if age is None else MET if age < age_limit else NOT_MET,
        "I don't know the age at the time yet." if age is None
        else f"You were {age}, which is under {age_limit}." if age < age_limit
        else f"You were {age}; the defense is only for people under {age_limit} at the time."))

    victim = facts["trafficking_victim"]
    branch = trafficking.how_it_was_answered(facts)
    found.append(Reason(
        "Participation in the offense was a result of being a victim of trafficking in persons (53a-192a(a))",
        DEFENSE, {"yes": MET, "no": NOT_MET}.get(victim, UNKNOWN),
        {"yes": (branch + " That is trafficking under 53a-192a(a). " if branch else
                 "You said you took part because someone was trafficking you. ") + "This would have to be proven.",
         "no": "The defense is only for someone whose participation was a result of being trafficked, and you said "
               "no. Whether what happened counts is a legal question: the law also covers being sold or used for "
               "sex with others without force, and a child drawn into sex. A lawyer can help you work it out."}.get(
            victim, "Not known yet whether you took part because someone was trafficking you. Whether what "
                    "happened counts is a legal question: a lawyer or advocate can help you work that out.")))

    proceeding = facts["proceeding"]
    found.append(Reason(
        "The case is a prosecution or a delinquency proceeding under 53a-192a", DEFENSE, MET,
        {"prosecution": "The defense can be raised in an adult prosecution.",
         "delinquency": "The defense can be raised in a juvenile delinquency proceeding."}.get(
            proceeding, "The defense can be raised in adult court or in juvenile court.")))
    return found


def next_steps(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    if outcome == NOT_APPLICABLE:
        return [Note("Ask your defense lawyer or public defender which defenses fit the charge you face. Tell them "
                     "if someone was trafficking you: it can matter for other defenses, and for clearing a record "
                     "later."),
                Note("Only a person 18 or older can be guilty of prostitution in Connecticut.", ("53a-82",))]
    steps = [Note("Tell your defense lawyer or public defender that you were being trafficked, so they can "
                  "consider this defense. If you don't have a lawyer, you can ask the court for a public "
                  "defender.", (DEFENSE,))]
    if outcome in (AVAILABLE, "need_more_facts"):
        if facts["proceeding"] == "delinquency":
            steps.append(Note("The defense has to be raised and proven in court. At an adult trial the person "
                              "charged must prove it by a preponderance of the evidence (more likely true than "
                              "not); in juvenile court, who must prove it is not settled by the law's words.",
                              (BURDEN,)))
        else:
            steps.append(Note("The defense has to be raised and proven in court: at trial, the person charged must "
                              "prove it by a preponderance of the evidence (more likely true than not).", (BURDEN,)))
    return steps


def caveats(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    notes = []
    if outcome in (AVAILABLE, "need_more_facts"):
        notes.append(Note("'Available' means the defense can be raised, not that it will succeed: the judge "
                          "decides whether it is proven.", (DEFENSE,)))
        notes.append(Note("Who must prove it: 53a-12(b) puts the burden on the defendant when an affirmative "
                          "defense is raised at trial. How that applies in a juvenile delinquency case is my "
                          "reading, not settled by the law's words.", (BURDEN,),
                          with_answer=facts["proceeding"] != "prosecution"))
    if outcome == NOT_IN_FORCE:
        notes.append(Note("The defense did not exist when the offense happened. A lawyer must judge whether it "
                          "can apply to this case anyway.", (DEFENSE,)))
    return notes


def branch_citations(facts: Dict[str, Any], ctx: Context) -> List[str]:
    return trafficking.definition_cited(facts)


def summary(outcome: str, facts: Dict[str, Any], ctx: Context) -> str:
    facts = with_named_charge(facts)
    if outcome == NOT_AVAILABLE and facts["trafficking_victim"] == "no" and (
            facts["age_at_offense"] is None or facts["age_at_offense"] < defense_in_edition(ctx)[1]):
        return ("This defense is for someone whose taking part was a result of being trafficked, and you said that "
                "was not the case. Whether what happened counts is a legal question: a lawyer can help you work it "
                "out.")
    if outcome == NOT_AVAILABLE and facts["age_at_offense"] is not None:
        return f"This defense is only for people under {defense_in_edition(ctx)[1]} at the time, so it does not fit."
    return SUMMARIES[outcome]


SUMMARIES = {
    AVAILABLE: "The defense for people under 18 who were trafficked is available for this charge: it can be "
               "raised in court.",
    NOT_AVAILABLE: "This defense does not fit these facts.",
    NOT_APPLICABLE: "This defense is only for a charge of trafficking in persons under 53a-192a, so it does "
                    "not apply to this charge.",
    NOT_IN_FORCE: "This defense began on Oct 1, 2021, after the date of the offense. A lawyer must judge "
                  "whether it can apply.",
    "need_more_facts": "I need a little more information to tell whether this defense fits.",
}
