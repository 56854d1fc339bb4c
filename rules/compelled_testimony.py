"""Compelled testimony and immunity: C.G.S. 54-47a.

  (a) Whenever in the judgment of the Chief State's Attorney, a state's attorney or the deputy chief
      state's attorney, the testimony of any witness ... is necessary to the public interest in any
      (1) criminal proceeding involving [listed offenses] ..., (2) investigation conducted by an
      investigatory grand jury ..., or (3) delinquency proceeding, [the prosecutor] may, with notice
      to the witness, after the witness has claimed his privilege against self-incrimination, make
      application to the court for an order directing the witness to testify ...
  (b) [Immunity once the order is made.]

Judged on `proceeding_date` (the day the prosecutor would apply), which defaults to the as-of date.
When the person has not given it and the answer would differ on the two sides of a day the section
changed (clause (3), delinquency, began Oct 1, 2021), `unstated_proceeding_date` says so, so the date
can be asked for rather than assumed.
The prosecutor's own judgment of necessity and the notice to the witness are the prosecutor's
showing: they are listed, but they do not hold back `order_possible`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Tuple

from rules.determination import (MET, NEED_MORE_FACTS, NOT_IN_FORCE, NOT_MET, UNKNOWN, Context, Note, Reason,
                                  UnstatedDate, cite, cite_label, decide_over_unknowns)
from rules.facts import Fact

TOPIC = "compelled_testimony"
SECTION = "54-47a"
ORDER_POSSIBLE, ORDER_NOT_AVAILABLE = "order_possible", "order_not_available"
OUTCOMES = (ORDER_POSSIBLE, ORDER_NOT_AVAILABLE, "need_more_facts", NOT_IN_FORCE)
# The ways of saying no, the most fundamental first: they decide together.
NO_OUTCOMES = (NOT_IN_FORCE, ORDER_NOT_AVAILABLE)
PROCEEDINGS = ("delinquency", "criminal", "grand_jury_investigation", "other")
APPLICANTS = ("chief_states_attorney", "deputy_chief_states_attorney", "states_attorney", "other")

PROCEEDING_NAMES = {
    "delinquency": "a juvenile delinquency proceeding",
    "criminal": "a criminal proceeding",
    "grand_jury_investigation": "an investigation by an investigatory grand jury",
    "other": "another kind of proceeding",
}
APPLICANT_NAMES = {
    "chief_states_attorney": "the Chief State's Attorney",
    "deputy_chief_states_attorney": "the deputy chief state's attorney",
    "states_attorney": "a state's attorney",
    "other": "someone else",
}

FACTS = (
    Fact("proceeding", "choice", "the kind of proceeding the testimony is for", PROCEEDINGS, label="Kind of proceeding",
         value_words=tuple(PROCEEDING_NAMES.items())),
    Fact("applicant", "choice", "who would apply for the order", APPLICANTS, label="Who would apply",
         value_words=tuple(APPLICANT_NAMES.items())),
    Fact("privilege_claimed", "bool", "the witness has claimed the privilege against self-incrimination",
         label="Witness has claimed the privilege"),
    Fact("qualifying_offense", "bool", "for a criminal proceeding: an offense listed in 54-47a(a)(1)",
         label="Criminal case about a listed offense"),
    Fact("proceeding_date", "date", "the day the prosecutor would apply (defaults to the as-of date)",
         label="When the prosecutor applied"),
)

APPLICATION = cite(SECTION, "(a)")


def rules_on(ctx: Context, facts: Dict[str, Any]) -> Dict[str, Any]:
    return ctx.version(SECTION, facts["proceeding_date"]).parameters["compelled_testimony"]


def outcome_of(facts: Dict[str, Any], ctx: Context) -> str:
    rules = rules_on(ctx, facts)
    proceeding = facts["proceeding"]
    if proceeding != "other" and proceeding not in rules["proceedings"]:
        return NOT_IN_FORCE
    if proceeding == "other" or facts["applicant"] not in rules["applicants"] or not facts["privilege_claimed"]:
        return ORDER_NOT_AVAILABLE
    if rules["proceedings"][proceeding]["needs_qualifying_offense"] and not facts["qualifying_offense"]:
        return ORDER_NOT_AVAILABLE
    return ORDER_POSSIBLE


def decide(facts: Dict[str, Any], ctx: Context):
    facts = {**facts, "proceeding_date": facts["proceeding_date"] or ctx.as_of}
    possible = {
        "proceeding": PROCEEDINGS,
        "applicant": APPLICANTS,
        "privilege_claimed": (True, False),
        "qualifying_offense": (True, False),
    }
    return decide_over_unknowns(ctx, facts, possible, lambda completed: outcome_of(completed, ctx),
                                no_outcomes=NO_OUTCOMES)


# What the person asks is whether the court could order the testimony: "not yet in force" and "not
# available" both say no; an undecided answer could still be either.
COULD_ORDER = {ORDER_POSSIBLE: "yes", ORDER_NOT_AVAILABLE: "no", NOT_IN_FORCE: "no", NEED_MORE_FACTS: "maybe"}
ONE_DAY = dt.timedelta(days=1)


def days_the_section_changed(ctx: Context) -> List[dt.date]:
    """The days a new version of 54-47a took effect in the context's edition, from the law data."""
    return sorted({v.in_force.start for v in ctx.library.section(SECTION).versions
                   if ctx.edition in v.editions and v.in_force.start})


def could_order_on(facts: Dict[str, Any], ctx: Context, day: dt.date) -> str:
    outcome, _ = decide({**facts, "proceeding_date": day}, ctx)
    return COULD_ORDER[outcome]


def days_the_answer_turns_on(facts: Dict[str, Any], ctx: Context) -> List[dt.date]:
    """The days 54-47a changed on whose two sides the answer to these facts differs, while the
    proceeding date is not given (and so taken to be the as-of date). Once it is given, none."""
    if facts["proceeding_date"] is not None:
        return []
    return [day for day in days_the_section_changed(ctx)
            if could_order_on(facts, ctx, day - ONE_DAY) != could_order_on(facts, ctx, day)]


def change_on(day: dt.date, facts: Dict[str, Any], ctx: Context) -> Tuple[str, str]:
    """What 54-47a changed on `day`, in plain words, for the person's kind of proceeding if it is one
    the change touched, and the clause that says it."""
    earlier = ctx.library.version(SECTION, ctx.edition, day - ONE_DAY)
    later = ctx.library.version(SECTION, ctx.edition, day)
    covered_before = earlier.parameters["compelled_testimony"]["proceedings"] if earlier else {}
    covered_after = later.parameters["compelled_testimony"]["proceedings"] if later else {}
    changed = [p for p in PROCEEDINGS if (p in covered_before) != (p in covered_after)]
    for proceeding in [p for p in changed if p == facts["proceeding"]] or changed:
        began = proceeding in covered_after
        clause = cite(SECTION, (covered_after if began else covered_before)[proceeding]["clause"])
        return (f"orders to testify in {PROCEEDING_NAMES[proceeding]} {'began' if began else 'ended'} on "
                f"{day:%b %-d, %Y} ({cite_label(clause)})", clause)
    return f"{cite_label(SECTION)} changed on {day:%b %-d, %Y}", APPLICATION


def unstated_proceeding_date(facts: Dict[str, Any], ctx: Context) -> Optional[UnstatedDate]:
    """The proceeding date, when the person has not given it and the answer turns on it."""
    days = days_the_answer_turns_on(facts, ctx)
    if not days:
        return None
    changes = [change_on(day, facts, ctx) for day in days]
    why = "; ".join(words for words, _ in changes)
    other_side = " or ".join(f"{'before' if ctx.as_of >= day else 'on or after'} {day:%b %-d, %Y}" for day in days)
    note = Note(f"You didn't say when the prosecutor applied (or will apply) for the order, so this answer applies "
                f"the law on {ctx.as_of:%b %-d, %Y}. If it was {other_side}, the answer would be different: "
                f"{why}.", tuple(dict.fromkeys(clause for _, clause in changes)))
    return UnstatedDate("proceeding_date", ctx.as_of, tuple(days), why, note)


def reasons(facts: Dict[str, Any], ctx: Context) -> List[Reason]:
    facts = {**facts, "proceeding_date": facts["proceeding_date"] or ctx.as_of}
    rules = rules_on(ctx, facts)
    proceeding = facts["proceeding"]
    day = f"{facts['proceeding_date']:%b %-d, %Y}"
    clause = rules["proceedings"].get(proceeding, {}).get("clause")
    covered = None if proceeding is None else proceeding in rules["proceedings"]
    found = [Reason(
        "The testimony is for a kind of proceeding the section covers", cite(SECTION, clause) if clause else APPLICATION,
        {True: MET, False: NOT_MET, None: UNKNOWN}[covered],
        f"I don't know the kind of proceeding yet; on {day} the section covers "
        + ", ".join(PROCEEDING_NAMES[p] for p in rules["proceedings"]) + "." if covered is None
        else f"On {day} the section covers {PROCEEDING_NAMES[proceeding]}." if covered
        else f"On {day} the section did not yet cover delinquency proceedings: that clause began Oct 1, 2021."
        if proceeding == "delinquency"
        else "The section covers only criminal proceedings for listed offenses, investigatory grand jury "
             "investigations, and delinquency proceedings.")]

    applicant = facts["applicant"]
    allowed = applicant in rules["applicants"] if applicant else None
    found.append(Reason(
        "The application is made by the Chief State's Attorney, the deputy chief state's attorney or a state's "
        "attorney", APPLICATION, {True: MET, False: NOT_MET, None: UNKNOWN}[allowed],
        "I don't know yet who would apply." if applicant is None
        else f"{APPLICANT_NAMES[applicant].capitalize()} may apply." if allowed
        else "Only the Chief State's Attorney, the deputy chief state's attorney or a state's attorney may apply."))

    claimed = facts["privilege_claimed"]
    found.append(Reason(
        "The witness has claimed the privilege against self-incrimination", APPLICATION,
        {True: MET, False: NOT_MET, None: UNKNOWN}[claimed],
        {True: "The witness has claimed the right not to give evidence against themselves.",
         False: "The prosecutor can apply only after the witness claims the right not to give evidence against "
                "themselves.",
         None: "I don't know yet whether the witness has claimed the right not to incriminate themselves."}[claimed]))

    if proceeding in (None, "criminal") and rules["proceedings"].get("criminal", {}).get("needs_qualifying_offense"):
        qualifying = facts["qualifying_offense"]
        found.append(Reason(
            "For a criminal proceeding: it involves an offense listed in the section (such as narcotics, arson, "
            "bribery or a felonious crime of violence, or another class A, B or C felony or unclassified felony "
            "over five years where the prosecutor shows no other means of getting the information)",
            cite(SECTION, rules["proceedings"]["criminal"]["clause"]),
            {True: MET, False: NOT_MET, None: UNKNOWN}[qualifying],
            {True: "You said the criminal proceeding involves an offense the section lists.",
             False: "A criminal proceeding must involve one of the offenses the section lists.",
             None: "For a criminal proceeding, I need to know whether it involves an offense the section lists."
             }[qualifying]))

    found.append(Reason(
        "The prosecutor judges the testimony necessary to the public interest and gives the witness notice",
        APPLICATION, UNKNOWN,
        "This is for the prosecutor to show the court; I can't know it, and it does not change what the law "
        "allows."))
    return found


FURS = "Furs v. Superior Court, 298 Conn. 404 (2010)"
MURPHY = "Murphy v. Waterfront Comm'n, 378 U.S. 52 (1964)"
CRUZ = "Cruz v. Superior Court, 163 Conn. App. 483 (2016)"


def immunity_section(facts: Dict[str, Any], ctx: Context) -> str:
    return cite(SECTION, rules_on(ctx, {**facts, "proceeding_date": facts["proceeding_date"] or ctx.as_of})
                ["immunity_cite"])


def immunity_limits(facts: Dict[str, Any], ctx: Context) -> List[Note]:
    """What the immunity that comes with an order does, and what it does not: it binds Connecticut."""
    return [
        Note("With an order, the witness cannot refuse to answer on self-incrimination grounds, and Connecticut "
             "cannot prosecute them for the matters the testimony is about (transactional immunity, as the "
             "Connecticut Supreme Court held in Furs v. Superior Court). Perjury and contempt in testifying are "
             "not covered.", (immunity_section(facts, ctx), FURS)),
        Note("The immunity binds Connecticut. Federal prosecutors may not use the testimony or what it leads to, but "
             "they can still prosecute on other evidence; immigration authorities are not bound by a state order. A "
             "witness who is not a U.S. citizen should talk to an immigration lawyer first.", (MURPHY,)),
        Note("Refusing to testify after the court orders it can be punished as contempt of court, even with "
             "immunity.", (CRUZ,)),
    ]


def next_steps(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    steps = []
    if outcome in (ORDER_POSSIBLE, "need_more_facts"):
        steps.append(Note("A witness who may be ordered to testify should talk to their own lawyer before "
                          "testifying, about the order and the immunity that comes with it.", (APPLICATION,)))
        steps += immunity_limits(facts, ctx)
    if outcome == NOT_IN_FORCE:
        steps.append(Note("The delinquency clause began Oct 1, 2021. For an application on or after that date, "
                          "ask again with that proceeding date.", (APPLICATION,)))
    if outcome == ORDER_NOT_AVAILABLE and facts["privilege_claimed"] is False and not_yet_claimed_only(facts, ctx):
        steps += what_happens_before_the_privilege_is_claimed()
    elif outcome == ORDER_NOT_AVAILABLE:
        steps.append(Note("Without an order under this section, a witness keeps the right not to give evidence "
                          "against themselves. A lawyer can advise on the witness's situation.", (APPLICATION,)))
    return steps


def not_yet_claimed_only(facts: Dict[str, Any], ctx: Context) -> bool:
    """The only thing missing for an order is that the witness has not claimed the privilege yet."""
    return outcome_of({**facts, "proceeding_date": facts["proceeding_date"] or ctx.as_of,
                       "privilege_claimed": True, "qualifying_offense": facts["qualifying_offense"]
                       if facts["qualifying_offense"] is not None else True,
                       "applicant": facts["applicant"] or "states_attorney",
                       "proceeding": facts["proceeding"] or "criminal"}, ctx) == ORDER_POSSIBLE


def what_happens_before_the_privilege_is_claimed() -> List[Note]:
    return [
        Note("What actually happens: a witness served with a subpoena must come to court and answer questions. They "
             "may refuse to answer a question whose answer could incriminate them: that is claiming the privilege "
             "against self-incrimination."),
        Note("Once the witness claims it, the prosecutor may ask the court for an order to testify, which comes with "
             "immunity.", (APPLICATION,)),
        Note("Talk to a lawyer before testifying: whether to claim the privilege, and what an order would mean, "
             "depend on the witness's situation."),
    ]


def caveats(outcome: str, facts: Dict[str, Any], ctx: Context) -> List[Note]:
    notes = [Note("The prosecutor must also judge the testimony necessary to the public interest and give the "
                  "witness notice; the court decides the application.", (APPLICATION,))]
    if outcome in (ORDER_POSSIBLE, "need_more_facts"):
        notes.append(Note("Only the first part of 54-47a(b), that an ordered witness cannot refuse, is confirmed word "
                          "for word; the rest of what I say about the immunity rests on a summary and on Furs v. "
                          "Superior Court.", (immunity_section(facts, ctx), FURS)))
    if facts["proceeding"] == "delinquency":
        notes.append(Note("The list of offenses and the 'no other means' showing in clause (1) do not, on the face of "
                          "the text, apply to delinquency cases; that reading is mine, not settled.",
                          (APPLICATION,), with_answer=outcome in (ORDER_POSSIBLE, "need_more_facts")))
    unstated = unstated_proceeding_date(facts, ctx)
    if unstated:
        notes.append(unstated.note)
    return notes


def summary(outcome: str, facts: Dict[str, Any], ctx: Context) -> str:
    if outcome == ORDER_NOT_AVAILABLE and facts["privilege_claimed"] is False and not_yet_claimed_only(facts, ctx):
        return ("Not yet: the prosecutor can ask the court for an order to testify only after the witness claims the "
                "right not to incriminate themselves. If the witness does, an order with immunity becomes possible.")
    return SUMMARIES[outcome]


SUMMARIES = {
    ORDER_POSSIBLE: "The prosecutor can ask the court to order this witness to testify; if ordered, the witness "
                    "gets immunity.",
    ORDER_NOT_AVAILABLE: "An order to testify under this section is not available on these facts.",
    NOT_IN_FORCE: "On that date the law did not yet allow compelled testimony in a delinquency proceeding: that "
                  "began Oct 1, 2021.",
    "need_more_facts": "I need a little more information to tell whether the prosecutor can get an order "
                       "to testify.",
}
