"""What an answer is made of, and how known and unknown facts decide it.

The outcome is decided only when every possible value of the unknown facts leads to the same
outcome; otherwise it is `need_more_facts`, and `missing_facts` names the facts that could still
change it. Among reasons that apply, the most fundamental wins: not_applicable, then not_in_force,
then a "no" on the merits, then need_more_facts (each topic's `outcome_of` checks them in that order).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from rules.law_library import LawLibrary, SectionVersion, split_citation

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
NEED_MORE_FACTS = "need_more_facts"
NOT_APPLICABLE = "not_applicable"
NOT_IN_FORCE = "not_in_force"


@dataclass(frozen=True)
class Reason:
    element: str
    section: str
    status: str  # met | not_met | unknown
    explanation: str

    def to_dict(self) -> Dict[str, str]:
        return {"element": self.element, "section": self.section, "status": self.status,
                "explanation": self.explanation}


@dataclass(frozen=True)
class Note:
    """A next step or a caveat, with the sections it rests on (none for purely practical advice).

    `with_answer`: the caveat qualifies the outcome itself (a point not verified word for word, an
    inference, the court's discretion), so every rendering shows it beside the outcome, not only under
    "why?": a point that is not certain is never stated as plain fact."""
    text: str
    sections: Tuple[str, ...] = ()
    with_answer: bool = False

    def to_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "sections": list(self.sections), "with_answer": self.with_answer}


@dataclass(frozen=True)
class UnstatedDate:
    """A date the person has not given, which the engine takes to be the as-of date, when the answer
    turns on which side of a change in the law it falls: a date worth asking for."""
    fact: str  # the engine's fact, e.g. "proceeding_date"
    assumed: dt.date  # the day the answer applies the law on meanwhile
    boundaries: Tuple[dt.date, ...]  # the days the law changed on whose two sides the answer differs
    why: str  # what changed on those days, in plain words, with the subsection
    note: Note  # the caveat an answer carries while the date stays unknown


@dataclass
class Determination:
    topic: str
    outcome: str
    edition: str
    as_of: dt.date
    summary: str
    reasons: List[Reason]
    missing_facts: List[str]
    next_steps: List[Note]
    caveats: List[Note]
    result: Dict[str, Any] = field(default_factory=dict)  # topic results: classification, member_count ...
    law_applied: List[Dict[str, Any]] = field(default_factory=list)
    law_reviewed: Optional[dt.date] = None
    extra_citations: List[str] = field(default_factory=list)
    facts: Dict[str, Any] = field(default_factory=dict)  # the facts as understood (known ones only)

    @property
    def citations(self) -> List[str]:
        cited = [r.section for r in self.reasons] + list(self.extra_citations)
        for note in self.next_steps + self.caveats:
            cited.extend(note.sections)
        return list(dict.fromkeys(c for c in cited if c))

    def to_dict(self) -> Dict[str, Any]:
        data = {
            "topic": self.topic,
            "outcome": self.outcome,
            "edition": self.edition,
            "as_of": self.as_of.isoformat(),
            "summary": self.summary,
            "citations": self.citations,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing_facts": list(self.missing_facts),
            "next_steps": [n.to_dict() for n in self.next_steps],
            "caveats": [n.to_dict() for n in self.caveats],
            "law_applied": self.law_applied,
            "law_reviewed": self.law_reviewed.isoformat() if self.law_reviewed else None,
            "facts": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.facts.items()},
        }
        data.update(self.result)
        return data


@dataclass
class Context:
    """The edition and date a question is answered under, and the versions of law it used."""
    library: LawLibrary
    edition: str
    as_of: dt.date
    used: Dict[Tuple[str, str], SectionVersion] = field(default_factory=dict)
    exploring: bool = False  # trying values of unknown facts: the versions seen are not the law applied

    def version(self, section_id: str, day: Optional[dt.date] = None) -> Optional[SectionVersion]:
        version = self.library.version(section_id, self.edition, day or self.as_of)
        if version is not None and not self.exploring:
            self.used[(section_id, version.label)] = version
        return version

    def law_applied(self) -> List[Dict[str, Any]]:
        return [v.describe() for v in self.used.values()]

    def caveats_on_sources(self, citations: Sequence[str], deciding: Sequence[str] = ()) -> List[Note]:
        """Say, in plain words, which cited text is not fully verified and which version's start date is
        unknown. A point the outcome rests on (`deciding`) is qualified beside the outcome itself."""
        notes: List[Note] = []
        applied = {version.section_id: version for version in self.used.values()}
        for citation in citations:
            section_id, subsection = split_citation(citation)
            version = applied.get(section_id)
            if version is None and section_id in self.library.sections:
                version = self.library.version(section_id, self.edition, self.as_of)
            if version is None:
                continue
            status = version.status_of(subsection)
            if status != "VERIFIED":
                seen = ("comes from a summary or a partial copy, not the official wording"
                        if status == "PARTLY" else "has not been checked in a public source")
                notes.append(Note(f"What I say about {cite_label(citation)} {seen}: have a lawyer confirm it "
                                  "before relying on it.", (citation,), with_answer=citation in deciding))
        for version in self.used.values():
            if version.in_force.start is None and version.in_force.end is not None:
                notes.append(Note(
                    f"This answer uses {version.label}. I don't know exactly when that version took effect; "
                    "for a date long ago, have a lawyer check what the law said then.", (version.section_id,)))
        return list(dict.fromkeys(notes))


def dates_across_versions(ctx: Context, section_id: str) -> List[dt.date]:
    """One day inside each version of a section in the context's edition: its first day, or its last
    day when its start is not recorded. Enough to try every version a fact's date could select."""
    days = set()
    for version in ctx.library.section(section_id).versions:
        if ctx.edition in version.editions:
            if version.in_force.start:
                days.add(version.in_force.start)
            if version.in_force.end:
                days.add(version.in_force.end - dt.timedelta(days=1))
    return sorted(days)


def cite(section_id: str, subsection: Optional[str]) -> str:
    return f"{section_id}{subsection or ''}"


def cite_label(citation: str) -> str:
    """How a citation reads to a person: 'CGS 54-95c(a)'; federal and session-law ids as they are."""
    if citation[:1].isdigit() and " " not in citation:
        return f"CGS {citation}"
    return citation


def decide_over_unknowns(
    ctx: Context,
    facts: Mapping[str, Any],
    possible_values: Mapping[str, Sequence[Any]],
    outcome_of: Callable[[Dict[str, Any]], str],
    consistent: Callable[[Dict[str, Any]], bool] = lambda _: True,
    is_unknown: Callable[[str, Any], bool] = lambda _name, value: value is None,
    no_outcomes: Sequence[str] = (),
) -> Tuple[str, List[str]]:
    """The outcome every completion of the unknown facts agrees on, or need_more_facts and the facts
    whose value could still change it (in the order of `possible_values`).

    "No" outcomes decide together: `no_outcomes` lists a topic's ways of saying no, the most
    fundamental first. When the unknown facts could only change *which* no applies, the answer is
    already no, and asking more would not help the person: the outcome is the no that the known facts
    establish, which is the least fundamental one any completion reaches (a completion whose unknown
    facts add no reason of their own)."""
    unknown = [name for name in possible_values if is_unknown(name, facts.get(name))]
    outcomes: Dict[Tuple[Any, ...], str] = {}
    ctx.exploring = True
    try:
        for values in itertools.product(*(possible_values[name] for name in unknown)):
            completed = {**facts, **dict(zip(unknown, values))}
            if consistent(completed):
                outcomes[values] = outcome_of(completed)
    finally:
        ctx.exploring = False
    distinct = set(outcomes.values())
    if not distinct:
        raise ValueError("no consistent completion of the facts: the input checks missed a contradiction")
    if len(distinct) == 1:
        return distinct.pop(), []
    if distinct <= set(no_outcomes):
        return max(distinct, key=list(no_outcomes).index), []
    missing = []
    for index, name in enumerate(unknown):
        by_others: Dict[Tuple[Any, ...], set] = {}
        for values, outcome in outcomes.items():
            by_others.setdefault(values[:index] + values[index + 1:], set()).add(outcome)
        if any(len(group) > 1 for group in by_others.values()):
            missing.append(name)
    return NEED_MORE_FACTS, missing or unknown
