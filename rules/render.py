"""Plain-text renderings of determinations and sections, for people at a terminal.

Outcome first, in plain words; then why; then the law; then what to do next (DESIGN.md).
"""

from __future__ import annotations

import textwrap
import datetime as dt
from typing import Any, Dict, List, Optional, Sequence

from rules.determination import Determination, cite_label
from rules.engine import facts_of
from rules.law_library import LawLibrary, split_citation

STATUS_WORDS = {"met": "yes", "not_met": "no", "unknown": "not known yet"}
WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def determination_text(determination: Determination, library: LawLibrary) -> str:
    d = determination
    edition = library.editions[d.edition]["label"]
    qualified = [textwrap.fill(f"Note: {c.text}", WIDTH) for c in d.caveats if c.with_answer]
    lines: List[str] = [textwrap.fill(d.summary, WIDTH)] + qualified + ["",
                        f"Outcome: {d.outcome}   Topic: {d.topic}",
                        f"Law applied: {edition}, as of {d.as_of:%B %-d, %Y} (law data reviewed "
                        f"{library.law_reviewed:%B %-d, %Y}, sources checked through {library.sources_checked_through})",
                        ""]
    if d.reasons:
        lines.append("Why, element by element:")
        for r in d.reasons:
            lines.append(_wrap(f"- {r.element} [{cite_label(r.section)}]: {STATUS_WORDS[r.status]}."))
            lines.append(_wrap(r.explanation, "    "))
        lines.append("")
    if d.missing_facts:
        lines.append("Still needed: " + ", ".join(d.missing_facts))
        lines.append("")
    for title, notes in (("Next steps:", d.next_steps), ("Limits of this answer:", d.caveats)):
        if notes:
            lines.append(title)
            for note in notes:
                where = f" [{', '.join(cite_label(s) for s in note.sections)}]" if note.sections else ""
                lines.append(_wrap(f"- {note.text}{where}"))
            lines.append("")
    lines.append("Sections: " + ", ".join(cite_label(c) for c in d.citations))
    lines.append("This is information about the law, not legal advice.")
    return "\n".join(lines)


def section_text(library: LawLibrary, citation: str, edition: str, day, version=None) -> str:
    section_id, subsection = split_citation(citation)
    section = library.section(section_id)
    version = version or library.version(section_id, edition, day)
    if version is None:
        return f"{section_id} ({section.title}): no version in the {edition} edition on {day:%B %-d, %Y}."
    lines = [f"{cite_label(section_id)} - {section.title}",
             f"Version: {version.label}",
             f"In force: {version.in_force.describe()}  (edition {edition}, as of {day:%B %-d, %Y})",
             f"Source: {version.source}",
             f"Status: {version.status}"
             + ("   Wording: a summary, not the statute's own words" if version.wording == "summary" else
                "   Wording: the text of Raised Bill 6657, deletions removed"), ""]
    shown = [s for s in version.subsections if not subsection or s.startswith(subsection)] or \
            [s for s in version.subsections if subsection.startswith(s) and s]
    for sub in shown:
        status = version.status_of(sub)
        mark = "" if status == version.status else f"  [{status}]"
        lines.append(textwrap.fill(f"{sub} {version.subsections[sub]}".strip() + mark, WIDTH))
        lines.append("")
    for note in version.notes:
        lines.append(textwrap.fill(f"Note: {note}", WIDTH))
    return "\n".join(lines).rstrip()


def changes_text(changes: List[dict], added: Optional[List[dict]] = None) -> str:
    lines: List[str] = []
    for c in changes:
        lines.append(f"{cite_label(c['section'])} - bill section {c['bill_section']}, effective {c['effective']}")
        lines.append(_wrap(f"Purpose: to {c['purpose']}."))
        for deletion in c["deleted_words"]:
            lines.append(_wrap(f"Deleted in {deletion['subsection']}: {deletion['words']}"))
        lines.append(_wrap(f"As enacted (PA 21-103): {c['enacted']} [{c['enacted_status']}]"))
        for later in c["later_changes"]:
            lines.append(_wrap(f"Later: {later['what']} [{later['status']}]"))
        lines.append("")
    for a in added or []:
        lines.append(_wrap(f"Added by the act, {a['section']}: {a['what']} [{a['status']}]", ""))
    return "\n".join(lines).rstrip()


# What each topic asks, and how sure the law data are of a version, in the words of a summary.
TOPIC_QUESTIONS = {
    "vacatur": "Can the conviction be vacated (cancelled) under CGS 54-95c?",
    "affirmative_defense": "Is the defense of CGS 53a-192a(b), for people under 18 who were trafficked, available?",
    "compelled_testimony": "Can a prosecutor get a court order to make the witness testify, with immunity (CGS 54-47a)?",
}
STATUS_PHRASES = {"VERIFIED": "checked in a public copy", "PARTLY": "seen only in part, or in a summary",
                  "UNVERIFIED": "not yet checked in a public source"}

# What the person should bring to a lawyer, whatever the screening.
WHAT_TO_BRING = ("Bring the court papers of each case (the docket number, the charge, the judgment or plea and the "
                 "sentence), anything that shows what was happening to you then (police reports, protective "
                 "orders, messages), and this summary.")


def fact_label(topic: str, name: str) -> str:
    fact = next((f for f in facts_of(topic) if f.name == name), None)
    return (fact.label if fact and fact.label else name.replace("_", " ").capitalize())


def facts_understood(determination: Determination) -> List[str]:
    """Each known fact of the screening in plain words: 'Court: a Connecticut adult criminal court'."""
    lines = []
    for fact in facts_of(determination.topic):
        if fact.name in determination.facts:
            value = determination.facts[fact.name]
            if isinstance(value, str) and fact.kind == "date":
                value = dt.date.fromisoformat(value)
            lines.append(f"{fact.label or fact.name.replace('_', ' ').capitalize()}: {fact.describe(value)}")
    return lines


def lawyer_summary_text(determination: Determination, library: LawLibrary,
                        other_convictions: Sequence[Dict[str, Any]] = (), compact: bool = False) -> str:
    """A summary to take to a lawyer: the facts as understood, the outcome with its sections and the
    version of the law applied with its date, what is still open, and what to bring. `compact` is the
    text-message form: the same content in fewer words."""
    d = determination
    edition = library.editions[d.edition]["label"]
    open_points = [c.text for c in d.caveats if c.with_answer]
    if d.missing_facts:
        open_points.insert(0, "Not known yet: " + ", ".join(fact_label(d.topic, f).lower() for f in d.missing_facts)
                           + ".")
    facts = facts_understood(d)
    if compact:
        parts = [f"Summary for a lawyer ({d.as_of:%b %-d, %Y}). Not legal advice.",
                 "Facts: " + ("; ".join(facts) if facts else "none given") + ".",
                 f"Outcome: {d.summary}",
                 "Law: " + ", ".join(cite_label(c) for c in d.citations[:6]) + f" ({edition.split(' (')[0]}).",
                 ] + (["Open: " + " ".join(open_points)] if open_points else [])
        if other_convictions:
            parts.append("Convictions checked: " + "; ".join(f"{e['conviction']}: {e['summary']}"
                                                             for e in other_convictions) )
        parts.append("Bring: court papers for each case, and this text.")
        return "\n".join(parts)
    lines = ["SUMMARY FOR A LAWYER",
             f"From the Connecticut trafficking survivors' rights guide, {d.as_of:%B %-d, %Y}. This is "
             "information about the law, not legal advice.", "",
             f"Question: {TOPIC_QUESTIONS.get(d.topic, d.topic.replace('_', ' '))}", "Facts as understood:"]
    lines += [f"- {line}" for line in facts] or ["- none given yet"]
    lines += ["", f"Outcome: {d.summary}", "",
              f"Law applied ({edition}, as of {d.as_of:%B %-d, %Y}; law data reviewed "
              f"{library.law_reviewed:%B %-d, %Y}):"]
    lines += [f"- {cite_label(v['section'])}: {v['version']}, in force {v['in_force']} "
              f"({STATUS_PHRASES.get(v['status'], v['status'])})" for v in d.law_applied]
    lines.append("Sections cited: " + ", ".join(cite_label(c) for c in d.citations))
    if open_points:
        lines += ["", "Still open or not certain:"] + [f"- {p}" for p in open_points]
    if other_convictions:
        lines += ["", "Every conviction checked in this conversation:"]
        lines += [f"{i}. {e['conviction']}: {e['summary']} ({', '.join(cite_label(c) for c in e['citations'])})"
                  for i, e in enumerate(other_convictions, 1)]
    lines += ["", WHAT_TO_BRING]
    return "\n".join(lines)
