"""How serious each trafficking-related offense is: its class and any fine the statute fixes.

Read from the `offense` blocks of the law data: 53a-192a(c), 53a-83(b), 53a-83b(b)-(d), 53a-82.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rules.determination import MET, NOT_APPLICABLE, NOT_IN_FORCE, NOT_MET, UNKNOWN, Context, Note, Reason, cite
from rules.facts import Fact
from rules.offenses import class_words, offense_block, section_of_offense

TOPIC = "penalty"
CLASSIFIED = "classified"
OUTCOMES = (CLASSIFIED, NOT_APPLICABLE, "need_more_facts", NOT_IN_FORCE)
OFFENSES = ("trafficking_in_persons", "soliciting_sexual_acts", "commercial_sexual_abuse_of_a_minor", "prostitution")

FACTS = (
    Fact("offense", "choice", "the offense", OFFENSES,
         aliases=(("patronizing_a_prostitute", "soliciting_sexual_acts"),)),
    Fact("minor_age", "whole_number", "for commercial sexual abuse of a minor: the minor's age",
         minimum=0, maximum=120),
)


def classification_of(offense: Dict[str, Any], minor_age: Optional[int]) -> Tuple[Optional[str], Optional[str], str]:
    """(subsection, class, outcome): the subsection that fixes the class for these facts."""
    classes = offense["classification"]
    if len(classes) == 1:
        return next(iter(classes.items())) + (CLASSIFIED,)
    # 53a-83b: (c) class A if the minor has not attained fifteen; (b) class B otherwise; (d) "minor" is under 18.
    (aggravated_sub, aggravated_age), = offense["aggravated_if_minor_under_years"].items()
    (_, minor_under), = offense["minor_under_years"].items()
    if minor_age is None:
        return None, None, "need_more_facts"
    if minor_age >= minor_under:
        return None, None, NOT_APPLICABLE
    if minor_age < aggravated_age:
        return aggravated_sub, classes[aggravated_sub], CLASSIFIED
    base_sub = next(sub for sub in classes if sub != aggravated_sub)
    return base_sub, classes[base_sub], CLASSIFIED


def evaluate_penalty(facts: Dict[str, Any], ctx: Context):
    if facts["offense"] is None:
        return dict(outcome="need_more_facts", missing=["offense"], reasons=[], result={
            "classification": None, "fine_usd": None}, summary="Which offense do you want to know about?",
            next_steps=[], caveats=[])
    section = section_of_offense(ctx, facts["offense"])
    offense = offense_block(ctx, section)
    if offense is None:  # 53a-83b before Oct 1, 2017: the offense did not exist yet
        enacted = ctx.library.section(section).enacted
        return dict(outcome=NOT_IN_FORCE, missing=[], result={"classification": None, "fine_usd": None},
                    reasons=[Reason(f"The offense existed on {ctx.as_of:%b %-d, %Y}", section, NOT_MET,
                                    f"Section {section} began {enacted:%b %-d, %Y}.")],
                    summary=f"On {ctx.as_of:%b %-d, %Y} this offense did not exist yet: section {section} began "
                            f"{enacted:%b %-d, %Y}.", next_steps=[], caveats=[])
    subsection, classification, outcome = classification_of(offense, facts["minor_age"])
    fines = offense.get("fine_usd") or {}
    fine = fines.get(subsection) if subsection is not None else None
    name = offense["name"]
    cited = [cite(section, sub) for sub in offense["classification"]] if subsection is None \
        else [cite(section, subsection)]
    reasons: List[Reason] = []
    minor_rule = offense.get("minor_under_years")
    if minor_rule:
        (minor_sub, minor_under), = minor_rule.items()
        (aggravated_sub, aggravated_age), = offense["aggravated_if_minor_under_years"].items()
        age = facts["minor_age"]
        reasons.append(Reason(f"The person was a minor (under {minor_under})", cite(section, minor_sub),
                              UNKNOWN if age is None else MET if age < minor_under else NOT_MET,
                              "The minor's age is not known." if age is None else
                              f"{age} is under {minor_under}." if age < minor_under else
                              f"{age} is not under {minor_under}, so the person is not a minor under this section."))
        reasons.append(Reason(f"The minor had not attained {aggravated_age} (class A felony)",
                              cite(section, aggravated_sub),
                              UNKNOWN if age is None else MET if age < aggravated_age else NOT_MET,
                              f"Under {aggravated_age} it is a class A felony; from {aggravated_age} to "
                              f"{minor_under - 1} it is a class B felony."))
    if classification:
        reasons.append(Reason(f"The class of {name}", cite(section, subsection), MET,
                              f"{name.capitalize()} is a {class_words(classification)}"
                              + (f", with a fine of ${fine:,} fixed by the statute." if fine else ".")))
    caveats = []
    if facts["offense"] == "prostitution":
        caveats.append(Note("Only a person 18 or older can be guilty of prostitution in Connecticut (since 2016).",
                            (section,)))
    if facts["offense"] == "soliciting_sexual_acts":
        caveats.append(Note(f"In the law applied here the offense in {section} is named '{name}'; it was earlier called "
                            "'patronizing a prostitute' (renamed by Public Act 21-102 from Oct 1, 2021).",
                            (section,)))
    if outcome == NOT_APPLICABLE:
        caveats.append(Note("The offense can still apply when the defendant reasonably believed the person was a "
                            "minor; the class then depends on facts I can't judge.", (cite(section, "(a)"),)))
    summaries = {
        CLASSIFIED: f"{name.capitalize()} is a {class_words(classification or '')}"
                    + (f" and the statute fixes a fine of ${fine:,}." if fine else "."),
        NOT_APPLICABLE: f"A person {facts['minor_age']} years old is not a minor under {section}.",
        "need_more_facts": f"The class of {name} depends on the minor's age: class A felony under 15, class B "
                           "felony from 15 to 17.",
    }
    return dict(outcome=outcome, missing=["minor_age"] if outcome == "need_more_facts" else [],
                reasons=reasons, summary=summaries[outcome], next_steps=[], caveats=caveats,
                extra_citations=cited,
                result={"offense_name": name, "section": section, "classification": classification,
                        "fine_usd": fine})
