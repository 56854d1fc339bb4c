"""One determination in chat words: outcome first, then the law it rests on, then what to do next.

The words about the law come from the determination (and so from the law data); this module only
arranges them for a chat: short messages, and "why?" for the element-by-element reasoning.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from rules import Determination
from rules.determination import cite_label
from rules.law_library import split_citation

STATUS_WORDS = {"met": "Yes", "not_met": "No", "unknown": "Not known yet"}
FACT_WORDS = {
    "convicted": "whether there was a conviction",
    "offense_statute": "what the conviction was for",
    "offense_class": "the class of the offense",
    "max_prison_years": "the longest prison term for the offense",
    "trafficking_victim": "whether you were being trafficked at the time",
    "charge_statute": "what the charge is",
    "offense_date": "when it happened",
    "age_at_offense": "your age at the time",
    "proceeding": "what kind of case it is",
    "applicant": "who is asking for the order",
    "privilege_claimed": "whether the witness has claimed the right not to incriminate themselves",
    "qualifying_offense": "what the criminal case is about",
    "proceeding_date": "when the prosecutor applied for the order",
}


def citation_line(citations: List[str]) -> str:
    """'CGS 54-95c(a), (d)(1); CGS 54-102uu': the subsections of one section grouped after it."""
    grouped: Dict[str, List[str]] = {}
    for citation in citations:
        section, subsection = split_citation(citation)
        subsections = grouped.setdefault(section, [])
        if subsection and subsection not in subsections:
            subsections.append(subsection)
    return "; ".join(cite_label(section + (subs[0] if subs else "")) + "".join(", " + s for s in subs[1:])
                     for section, subs in grouped.items())


def law_line(determination: Determination, edition_label: str) -> str:
    """The sections the outcome rests on (the next steps cite their own)."""
    deciding = [r.section for r in determination.reasons] or determination.citations
    edition = "current law" if determination.edition == "current" else edition_label
    return f"Law: {citation_line(deciding)} ({edition}, as of {determination.as_of:%b %-d, %Y})."


def answer_messages(determination: Determination, edition_label: str, assumption: Optional[str] = None) -> List[str]:
    """The reply to a finished screening, message by message. `assumption`: what the answer took for a
    date the person did not give, and what would change if it was otherwise."""
    messages = [determination.summary]
    if assumption:
        messages.append(assumption)
    if determination.missing_facts:
        needed = ", ".join(FACT_WORDS.get(f, f.replace("_", " ")) for f in determination.missing_facts)
        messages.append(f"What would decide it: {needed}. An advocate or lawyer can help you find this out.")
    messages.append(law_line(determination, edition_label))
    return messages


def next_steps_message(determination: Determination) -> str:
    steps = [f"{i}. {step.text}" + (f" ({citation_line(list(step.sections))})" if step.sections else "")
             for i, step in enumerate(determination.next_steps, 1)]
    return "What you can do next:\n" + "\n".join(steps) if steps else \
        "There is no step under this section for these facts. A lawyer or advocate can look at other options."


def why_messages(determination: Determination, edition_label: str) -> List[str]:
    lines = [f"How I got there ({determination.topic.replace('_', ' ')}, {edition_label}, as of "
             f"{determination.as_of:%b %-d, %Y}):"]
    for reason in determination.reasons:
        lines.append(f"- {reason.element} ({cite_label(reason.section)}): {STATUS_WORDS[reason.status]}. "
                     f"{reason.explanation}")
    messages = ["\n".join(lines)]
    if determination.caveats:
        messages.append("Limits: " + " ".join(c.text for c in determination.caveats))
    return messages
