"""Plain-text renderings of determinations and sections, for people at a terminal.

Outcome first, in plain words; then why; then the law; then what to do next (DESIGN.md).
"""

from __future__ import annotations

import textwrap
from typing import List, Optional

from rules.determination import Determination, cite_label
from rules.law_library import LawLibrary, split_citation

STATUS_WORDS = {"met": "yes", "not_met": "no", "unknown": "not known yet"}
WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def determination_text(determination: Determination, library: LawLibrary) -> str:
    d = determination
    edition = library.editions[d.edition]["label"]
    lines: List[str] = [textwrap.fill(d.summary, WIDTH), "",
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
