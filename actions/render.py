"""One determination in chat words: outcome first, then the law it rests on, then what to do next.

The words about the law come from the determination (and so from the law data); this module only
arranges them for a chat: short messages, and "why?" for the element-by-element reasoning.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

from rules import Determination, load_library
from rules.determination import cite_label
from rules.law_library import split_citation
from rules.offenses import class_words
from rules.render import facts_understood, lawyer_summary_text

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
    "court": "which court the conviction is from",
    "conviction_date": "when the conviction was",
    "has_prostitution_conviction": "whether you also have a prostitution conviction",
    "offense": "what the conviction was for",
    "charge": "what the charge is",
    "forced_tricked_or_coerced": "whether someone forced, tricked or pressured you",
    "sold_for_sex": "whether someone sold you or set up sex with others",
    "minor_induced_into_sex": "whether, under 18, someone got you into sexual contact with others",
}
# What the outcome means in one short phrase, for the list of convictions checked.
OUTCOME_WORDS = {
    "must_vacate_if_proven": "the court must vacate it if you prove you were trafficked",
    "may_vacate_if_proven": "the judge may vacate it if you prove you were trafficked",
    "not_eligible": "cannot be vacated under 54-95c",
    "no_conviction": "no conviction, so nothing to vacate",
    "juvenile_record": "a juvenile record: cleared by erasure instead",
    "other_court": "another court's conviction: not covered by Connecticut's law",
    "not_in_force": "the law did not cover it on that date",
    "need_more_facts": "not decided yet: more facts are needed",
}


# Who the person speaking is talking about: themselves ("you"), a client, or a relative or friend.
VOICES = ("you", "your_client", "they")
_SPEAKER_SAID = re.compile(r"\b(You said|you said|you told me|tell me|ask me|with me)\b")
_SECOND_PERSON = [
    (re.compile(r"\byourself\b"), "themselves"), (re.compile(r"\bYourself\b"), "Themselves"),
    (re.compile(r"\byour\b"), "their"), (re.compile(r"\bYour\b"), "Their"),
    (re.compile(r"\byou're\b"), "they're"), (re.compile(r"\byou've\b"), "they've"),
    (re.compile(r"\byou'd\b"), "they'd"), (re.compile(r"\byou\b"), "they"), (re.compile(r"\bYou\b"), "They"),
]


def in_voice(text: str, voice: str) -> str:
    """An answer about someone else: the engine speaks to the person ("you were trafficked"); said to
    an advocate, a lawyer or a relative it is about "they" ("they were trafficked"), which agrees with
    every verb as "you" does. What the speaker themselves said or can do stays "you"."""
    if voice not in ("your_client", "they"):
        return text
    kept: List[str] = []

    def keep(match: "re.Match[str]") -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _SPEAKER_SAID.sub(keep, text)
    for pattern, replacement in _SECOND_PERSON:
        text = pattern.sub(replacement, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def fact_words(field: str) -> str:
    """A field an error names ("facts.offense_class") in the person's words ("the class of the offense")."""
    name = field.split(".", 1)[-1]
    return FACT_WORDS.get(name, "that")


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


def answer_messages(determination: Determination, edition_label: str, assumption: Optional[str] = None,
                    voice: str = "you") -> List[str]:
    """The reply to a finished screening, message by message. `assumption`: what the answer took for a
    date the person did not give, and what would change if it was otherwise."""
    messages = [in_voice(determination.summary, voice)]
    if assumption:
        messages.append(in_voice(assumption, voice))
    qualified = [in_voice(c.text, voice) for c in determination.caveats if c.with_answer]
    if qualified:
        messages.append(" ".join(qualified))
    understood = facts_understood(determination)
    if understood:
        # Said back, so a misreading is visible and can be corrected.
        messages.append("I understood: " + "; ".join(understood) + ". If any of that is wrong, just tell me.")
    if determination.missing_facts:
        needed = ", ".join(FACT_WORDS.get(f, f.replace("_", " ")) for f in determination.missing_facts)
        messages.append(f"What would decide it: {needed}. An advocate or lawyer can help you find this out.")
    messages.append(law_line(determination, edition_label))
    return messages


def next_steps_message(determination: Determination, voice: str = "you") -> str:
    steps = [f"{i}. {in_voice(step.text, voice)}" + (f" ({citation_line(list(step.sections))})" if step.sections else "")
             for i, step in enumerate(determination.next_steps, 1)]
    return "What you can do next:\n" + "\n".join(steps) if steps else \
        "There is no step under this section for these facts. A lawyer or advocate can look at other options."


def why_messages(determination: Determination, edition_label: str, voice: str = "you") -> List[str]:
    lines = [f"How I got there ({determination.topic.replace('_', ' ')}, {edition_label}, as of "
             f"{determination.as_of:%b %-d, %Y}):"]
    for reason in determination.reasons:
        lines.append(f"- {reason.element} ({cite_label(reason.section)}): {STATUS_WORDS[reason.status]}. "
                     f"{in_voice(reason.explanation, voice)}")
    messages = ["\n".join(lines)]
    if determination.caveats:
        messages.append("Limits: " + " ".join(in_voice(c.text, voice) for c in determination.caveats))
    return messages


def conviction_label(determination: Determination, offense_words: Optional[str]) -> str:
    """A conviction in the person's own words where there are some: 'larceny', '53a-82', 'a class D felony'."""
    facts = determination.facts
    if offense_words:
        return offense_words
    if facts.get("offense_statute"):
        return f"the conviction under {facts['offense_statute']}"
    if facts.get("offense_class"):
        return f"a {class_words(facts['offense_class'])} conviction"
    return "a conviction"


def screened_list_message(screened: Sequence[Dict[str, Any]]) -> str:
    """Every conviction checked in this conversation, with its outcome: each is decided separately."""
    lines = ["The convictions we have checked:"]
    lines += [f"{i}. {entry['conviction']}: {OUTCOME_WORDS.get(entry['outcome'], entry['outcome'])}"
              for i, entry in enumerate(screened, 1)]
    return "\n".join(lines)


def lawyer_summary(determination: Determination, screened: Sequence[Dict[str, Any]], compact: bool = False) -> str:
    return lawyer_summary_text(determination, load_library(), screened if len(screened) > 1 else (), compact)
