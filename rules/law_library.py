"""The law as data: sections, their dated versions in each edition, the raised bill and contacts.

Everything the guide says about the text of the law is read from the YAML files in `rules/law/`,
so a lawyer can review the law without reading Python (as OpenFisca keeps parameters in YAML).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

LAW_DIR = Path(__file__).parent / "law"

EDITIONS = ("current", "raised-bill")
STATUSES = ("VERIFIED", "PARTLY", "UNVERIFIED")

# "54-95c(d)(1)" -> ("54-95c", "(d)(1)"); "18 USC ch. 77", "PA 21-103 sec. 8" and a decision such as
# "Murphy v. Waterfront Comm'n, 378 U.S. 52 (1964)" have none (a decision's year is not a subsection).
_CITATION = re.compile(r"^(?P<section>\d[^\s(]*)(?P<subsection>(?:\([0-9a-zA-Z]+\))*)$")
_BRACKETED_DELETION = re.compile(r"\s*\[[^\]]*\]")


class LawDataError(Exception):
    """The law data files contradict themselves: a reviewer must fix the YAML, not the user."""


@dataclass(frozen=True)
class InForce:
    start: Optional[dt.date]  # None: the law data do not record when this version began
    end: Optional[dt.date]  # exclusive; None: still in force

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def describe(self) -> str:
        start = f"from {self.start:%b %-d, %Y}" if self.start else "from a date the law data do not record"
        end = f" until {self.end:%b %-d, %Y}" if self.end else ""
        return start + end


@dataclass(frozen=True)
class SectionVersion:
    section_id: str
    label: str
    editions: Tuple[str, ...]
    in_force: InForce
    source: str
    status: str
    wording: str  # "bill": verbatim raised-bill text; "summary": a summary, not the statute's words
    subsections: Dict[str, str]
    subsection_status: Dict[str, str]
    notes: Tuple[str, ...]
    parameters: Dict[str, Any]  # the rule parameters of this version (vacatur, offense, council, ...)
    plain: Dict[str, str] = field(default_factory=dict)  # plain-language explanations, by subsection

    def status_of(self, subsection: str) -> str:
        return self.subsection_status.get(subsection, self.status)

    def has_subsection(self, subsection: str) -> bool:
        """A citation resolves when its subsection, or a parent that lists it by number, is in the text."""
        if subsection in self.subsections or subsection == "":
            return True
        parts = re.findall(r"\([0-9a-zA-Z]+\)", subsection)
        for depth in range(len(parts) - 1, 0, -1):
            parent = "".join(parts[:depth])
            if parent in self.subsections:
                text = self.subsections[parent]
                return all(part in text for part in parts[depth:])
        return False

    def describe(self) -> Dict[str, Any]:
        return {
            "section": self.section_id,
            "version": self.label,
            "in_force": self.in_force.describe(),
            "source": self.source,
            "status": self.status,
            "wording": self.wording,
        }


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    code: str
    versions: Tuple[SectionVersion, ...]
    enacted: Optional[dt.date] = None  # no such section before this day (None: it existed before the data begin)

    def versions_on(self, edition: str, day: dt.date) -> List[SectionVersion]:
        return [v for v in self.versions if edition in v.editions and v.in_force.covers(day)]


@dataclass(frozen=True)
class BillSection:
    number: int
    statute: str
    amends: str
    effective: dt.date
    purpose: str
    text: Dict[str, str]  # with the bill's [bracketed] deletions

    def deletions(self) -> List[Tuple[str, str]]:
        """The words the bill proposed to delete, by subsection, as its brackets show them."""
        return [(sub, m.group(0).strip()) for sub, text in self.text.items()
                for m in _BRACKETED_DELETION.finditer(text)]


def text_without_deletions(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _BRACKETED_DELETION.sub("", text)).strip()


@dataclass
class LawLibrary:
    sections: Dict[str, Section]
    bill: Dict[str, Any]
    bill_sections: Dict[int, BillSection]
    editions: Dict[str, Any]
    contacts: List[Dict[str, Any]]
    law_reviewed: dt.date
    sources_checked_through: str
    review_note: str
    _version_cache: Dict[Tuple[str, str, dt.date], SectionVersion] = field(default_factory=dict)

    def section(self, section_id: str) -> Section:
        try:
            return self.sections[section_id]
        except KeyError:
            raise KeyError(f"section {section_id!r} is not in the law data") from None

    def version(self, section_id: str, edition: str, day: dt.date) -> Optional[SectionVersion]:
        """The one version of a section in force in an edition on a day, or None if none was."""
        key = (section_id, edition, day)
        if key not in self._version_cache:
            found = self.section(section_id).versions_on(edition, day)
            if len(found) > 1:
                raise LawDataError(f"{section_id}: {len(found)} versions in force on {day} in {edition}")
            self._version_cache[key] = found[0] if found else None
        return self._version_cache[key]

    def resolve(self, citation: str, edition: str, day: dt.date) -> Optional[SectionVersion]:
        """The version a citation such as '54-95c(d)(1)' points to, or None if it does not resolve."""
        section_id, subsection = split_citation(citation)
        if section_id not in self.sections:
            return None
        version = self.version(section_id, edition, day)
        if version is None or not version.has_subsection(subsection):
            return None
        return version

    def resolves_in_edition(self, citation: str, edition: str) -> bool:
        """The cited section and subsection exist in some version of the edition. An answer that the
        law did not yet apply on a date still cites the provision that came later (not_in_force)."""
        section_id, subsection = split_citation(citation)
        return section_id in self.sections and any(
            edition in v.editions and v.has_subsection(subsection) for v in self.sections[section_id].versions)

    def contact(self, contact_id: str) -> Dict[str, Any]:
        return next(c for c in self.contacts if c["id"] == contact_id)


def split_citation(citation: str) -> Tuple[str, str]:
    match = _CITATION.match(citation.strip())
    return (match.group("section"), match.group("subsection")) if match else (citation.strip(), "")


def _date(value: Any, where: str) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    raise LawDataError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")


def _load_version(section_id: str, raw: Dict[str, Any], bill_sections: Dict[int, BillSection]) -> SectionVersion:
    where = f"{section_id} / {raw.get('label')}"
    editions = tuple(raw["editions"])
    if not editions or any(e not in EDITIONS for e in editions):
        raise LawDataError(f"{where}: editions must be among {EDITIONS}")
    if raw["status"] not in STATUSES:
        raise LawDataError(f"{where}: status must be one of {STATUSES}")
    subsections: Dict[str, str] = {}
    if raw["wording"] == "bill":
        bill_section = bill_sections[raw["bill_section"]]
        subsections = {sub: text_without_deletions(text) for sub, text in bill_section.text.items()}
    elif raw["wording"] != "summary":
        raise LawDataError(f"{where}: wording must be 'bill' or 'summary'")
    subsections.update({str(k): " ".join(str(v).split()) for k, v in (raw.get("subsections") or {}).items()})
    known = {"label", "editions", "in_force", "source", "status", "wording", "bill_section",
             "subsections", "subsection_status", "notes", "plain"}
    parameters = {k: v for k, v in raw.items() if k not in known}
    return SectionVersion(
        section_id=section_id,
        label=raw["label"],
        editions=editions,
        in_force=InForce(_date(raw["in_force"]["from"], where), _date(raw["in_force"]["until"], where)),
        source=" ".join(raw["source"].split()),
        status=raw["status"],
        wording=raw["wording"],
        subsections=subsections,
        subsection_status={str(k): v for k, v in (raw.get("subsection_status") or {}).items()},
        notes=tuple(" ".join(n.split()) for n in raw.get("notes") or ()),
        parameters=parameters,
        plain={str(k): " ".join(str(v).split()) for k, v in (raw.get("plain") or {}).items()},
    )


@lru_cache(maxsize=1)
def load_library() -> LawLibrary:
    bill = yaml.safe_load((LAW_DIR / "bill-6657-raised.yaml").read_text())
    purposes = bill["statement_of_purpose"]
    bill_sections = {
        s["section"]: BillSection(
            number=s["section"], statute=s["statute"], amends=s["amends"], effective=s["effective"],
            purpose=purposes[s["statement_of_purpose_item"] - 1],
            text={k: " ".join(v.split()) for k, v in s["text"].items()})
        for s in bill["sections"]
    }
    sections = {}
    for path in sorted((LAW_DIR / "sections").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text())
        versions = tuple(_load_version(raw["id"], v, bill_sections) for v in raw["versions"])
        enacted = _date(raw.get("enacted"), raw["id"])
        if enacted and any(v.in_force.start is None or v.in_force.start < enacted for v in versions):
            raise LawDataError(f"{raw['id']}: a version starts before the section was enacted ({enacted})")
        sections[raw["id"]] = Section(raw["id"], raw["title"], raw["code"], versions, enacted)
    editions = yaml.safe_load((LAW_DIR / "editions.yaml").read_text())
    contacts = yaml.safe_load((LAW_DIR / "contacts.yaml").read_text())["contacts"]
    return LawLibrary(
        sections=sections, bill=bill, bill_sections=bill_sections, editions=editions["editions"],
        contacts=contacts, law_reviewed=editions["law_reviewed"],
        sources_checked_through=editions["sources_checked_through"],
        review_note=" ".join(editions["review_note"].split()))
