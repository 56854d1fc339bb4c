"""The Trafficking in Persons Council's membership: C.G.S. 46a-170(b)."""

from __future__ import annotations

from typing import Any, Dict

from rules.determination import MET, Context, Reason, cite

TOPIC = "council"
SECTION = "46a-170"
FACTS = ()


def evaluate_council(facts: Dict[str, Any], ctx: Context):
    council = ctx.version(SECTION).parameters["council"]
    count = council["member_count"]
    members = [dict(m) for m in council["members"]]
    seats = sum(m.get("count", 1) for m in members)
    if seats != count:
        raise ValueError(f"law data: {SECTION} lists {seats} seats but says {count} members")
    appointed = sorted({m["appointed_by"] for m in members if m["appointed_by"]})
    reasons = [Reason("Membership of the council", cite(SECTION, "(b)"), MET,
                      f"{count} members: officials or their designees, and members appointed by "
                      + ", ".join(appointed) + ".")]
    return dict(outcome="answered", missing=[], reasons=reasons, next_steps=[], caveats=[],
                summary=f"The Trafficking in Persons Council has {count} members.",
                result={"member_count": count, "members": members})
