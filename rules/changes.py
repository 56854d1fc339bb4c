"""What Bill 6657 changed, how it was enacted, and when each change took effect.

The deletions come from the bill's own [brackets]; the purposes from its Statement of Purpose;
raised-versus-enacted differences and later changes from `law/enactment.yaml`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Dict, List, Optional

import yaml

from rules.determination import MET, Context, Reason, cite, cite_label
from rules.facts import Fact, InputError
from rules.law_library import LAW_DIR

SECTION_FACT = Fact("section", "statute", "a section the bill amended, e.g. 54-95c (all of them when unknown)")


@lru_cache(maxsize=1)
def enactment() -> Dict[str, Any]:
    return yaml.safe_load((LAW_DIR / "enactment.yaml").read_text())


def bill_sections_for(ctx: Context, statute: Optional[str]):
    chosen = [s for s in ctx.library.bill_sections.values() if statute in (None, s.statute)]
    if not chosen:
        amended = ", ".join(s.statute for s in ctx.library.bill_sections.values())
        raise InputError("facts.section", f"{statute!r} is not a section Bill 6657 amended", amended)
    return chosen


def _amended_part(bill_section) -> str:
    return cite(bill_section.statute, bill_section.amends.replace("subsection ", "")
                if bill_section.amends.startswith("subsection") else "")


def section_changes(ctx: Context, statute: Optional[str] = None) -> List[Dict[str, Any]]:
    enacted = {e["bill_section"]: e for e in enactment()["sections"]}
    found = []
    for bill_section in bill_sections_for(ctx, statute):
        record = enacted[bill_section.number]
        found.append({
            "section": _amended_part(bill_section),
            "bill_section": bill_section.number,
            "effective": bill_section.effective.isoformat(),
            "purpose": bill_section.purpose,
            "deleted_words": [{"subsection": sub, "words": words} for sub, words in bill_section.deletions()],
            "enacted": " ".join(record["enacted"].split()),
            "enacted_status": record["status"],
            "later_changes": [{"what": " ".join(c["what"].split()), "status": c["status"],
                               "effective": c["effective"].isoformat() if c["effective"] else None}
                              for c in enactment()["later_changes"] if c["section"] == bill_section.statute],
        })
    return found


def evaluate_what_changed(facts: Dict[str, Any], ctx: Context):
    changes = section_changes(ctx, facts["section"])
    reasons = [Reason(f"What bill section {c['bill_section']} changed", c["section"], MET,
                      f"To {c['purpose']}. As enacted in {enactment()['enacted_as']}: {c['enacted'].rstrip('.')}.")
               for c in changes]
    added = [] if facts["section"] else [
        {"section": a["section"], "what": " ".join(a["what"].split()), "status": a["status"]}
        for a in enactment()["added_by_the_act"]]
    extra = [a["section"] for a in added if ctx.edition == "current"]
    act = enactment()["enacted_as"]
    if facts["section"]:
        change = changes[0]
        summary = (f"Bill 6657 section {change['bill_section']} amended {change['section']} to {change['purpose']}. "
                   f"As enacted in {act}: {change['enacted'].rstrip('.')}.")
    else:
        summary = (f"Raised Bill 6657 became {act}. It changed {len(changes)} sections; the vacatur section "
                   "(54-95c) was rewritten before it passed.")
    return dict(outcome="answered", missing=[], reasons=reasons, next_steps=[], caveats=[],
                summary=summary, extra_citations=extra,
                result={"changes": changes, "added_by_the_act": added})


def evaluate_effective_date(facts: Dict[str, Any], ctx: Context):
    changes = section_changes(ctx, facts["section"])
    reasons = [Reason(f"When the change to {c['section']} took effect", c["section"], MET,
                      f"{cite_label(c['section'])}: {dt.date.fromisoformat(c['effective']):%B %-d, %Y} "
                      f"(bill section {c['bill_section']})") for c in changes]
    dates = sorted({bill_section.effective for bill_section in bill_sections_for(ctx, facts["section"])})
    return dict(outcome="answered", missing=[], reasons=reasons, next_steps=[], caveats=[],
                summary="Bill 6657's changes took effect on " + " and ".join(f"{d:%B %-d, %Y}" for d in dates) + ".",
                result={"effective_dates": [{"section": c["section"], "effective": c["effective"]}
                                            for c in changes]})
