"""Which offense a statute section defines, and its class, from the `offense` blocks of the law data."""

from __future__ import annotations

from typing import Dict, FrozenSet, Optional

from rules.determination import Context

# Stands for "some section other than the ones named" when a person names the offense, not its section.
SOME_OTHER_STATUTE = "(another section)"


def vacatur_class(classification: str) -> str:
    """54-95c(a) speaks of misdemeanors as one group: class A to D misdemeanors are all 'misdemeanor'."""
    return "misdemeanor" if classification.endswith("_misdemeanor") else classification


def offense_block(ctx: Context, statute: Optional[str], record: bool = True) -> Optional[Dict]:
    """The offense a section defines on the context's date; `record` lists the section as law applied."""
    if statute is None or statute not in ctx.library.sections:
        return None
    version = ctx.version(statute) if record else ctx.library.version(statute, ctx.edition, ctx.as_of)
    return version.parameters.get("offense") if version else None


def classes_of_statute(ctx: Context, statute: Optional[str]) -> FrozenSet[str]:
    """The classes a known section's offense can have (empty when the section is not in the law data)."""
    offense = offense_block(ctx, statute)
    if not offense:
        return frozenset()
    return frozenset(vacatur_class(c) for c in offense["classification"].values())


def section_of_offense(ctx: Context, offense_key: str) -> Optional[str]:
    """The section defining an offense named by its key, e.g. 'prostitution' -> '53a-82'."""
    for section_id in ctx.library.sections:
        offense = offense_block(ctx, section_id, record=False)
        if offense and offense["key"] == offense_key:
            ctx.version(section_id)
            return section_id
    return None
