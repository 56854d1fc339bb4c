"""Which offense a statute section defines, and its class, from the `offense` blocks of the law data.

A section's class is the class on the day that matters: the day of the conviction when it is known,
and otherwise any class the section had up to the as-of date (trafficking in persons was a class B
felony until Oct 1, 2017, and is class A since).
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, FrozenSet, Optional

from rules.determination import Context

# Stands for "some section other than the ones named" when a person names the offense, not its section.
SOME_OTHER_STATUTE = "(another section)"


def vacatur_class(classification: str) -> str:
    """54-95c(a) speaks of misdemeanors as one group: class A to D misdemeanors are all 'misdemeanor'."""
    return "misdemeanor" if classification.endswith("_misdemeanor") else classification


def offense_block(ctx: Context, statute: Optional[str], record: bool = True,
                  on: Optional[dt.date] = None) -> Optional[Dict]:
    """The offense a section defines on a day (the context's date by default); `record` lists the
    section as law applied. None when the section is not in the law data or did not exist that day."""
    if statute is None or statute not in ctx.library.sections:
        return None
    day = on or ctx.as_of
    version = ctx.version(statute, day) if record else ctx.library.version(statute, ctx.edition, day)
    return version.parameters.get("offense") if version else None


def existed_on(ctx: Context, statute: Optional[str], day: dt.date) -> bool:
    """False only for a section the law data know was enacted after `day` (53a-83b before Oct 1, 2017)."""
    section = ctx.library.sections.get(statute) if statute else None
    return section is None or section.enacted is None or section.enacted <= day


def classes_of_statute(ctx: Context, statute: Optional[str], on: Optional[dt.date] = None) -> FrozenSet[str]:
    """The classes a known section's offense can have: on the day given, or on any day up to the as-of
    date. Empty when the section is not in the law data (its class must then be asked)."""
    if statute is None or statute not in ctx.library.sections:
        return frozenset()
    if on is not None:
        offense = offense_block(ctx, statute, on=on)
        return frozenset(vacatur_class(c) for c in offense["classification"].values()) if offense else frozenset()
    offense_block(ctx, statute)  # the version in force on the as-of date is the law applied
    classes = set()
    for version in ctx.library.section(statute).versions:
        offense = version.parameters.get("offense")
        starts = version.in_force.start
        if offense and ctx.edition in version.editions and (starts is None or starts <= ctx.as_of):
            classes.update(vacatur_class(c) for c in offense["classification"].values())
    return frozenset(classes)


def class_words(classification: str) -> str:
    """'class_a_felony' -> 'class A felony'."""
    words = classification.split("_")
    return " ".join(w.upper() if len(w) == 1 else w for w in words)


def class_history(ctx: Context, statute: Optional[str]) -> str:
    """'a class B felony before Oct 1, 2017 and a class A felony from then', for a section whose class
    changed up to the as-of date; empty when it did not change."""
    if statute is None or statute not in ctx.library.sections:
        return ""
    spans = []  # (first day, classes), oldest first, one entry per change of class
    versions = sorted((v for v in ctx.library.section(statute).versions
                       if ctx.edition in v.editions and v.parameters.get("offense")
                       and (v.in_force.start is None or v.in_force.start <= ctx.as_of)),
                      key=lambda v: v.in_force.start or dt.date.min)
    for version in versions:
        classes = " or ".join(sorted({class_words(vacatur_class(c))
                                      for c in version.parameters["offense"]["classification"].values()}))
        if not spans or spans[-1][1] != classes:
            spans.append((version.in_force.start, classes))
    if len(spans) < 2:
        return ""
    parts = [f"a {spans[0][1]} before {spans[1][0]:%b %-d, %Y}"]
    parts += [f"a {classes} from {start:%b %-d, %Y}" for start, classes in spans[1:]]
    return " and ".join(parts)


# Sections a person names for the route a case took, not for what they are charged with: juvenile matters
# and family law (title 46b, "automatic transfer under 46b-127") and the courts (title 51). Not title 54:
# criminal procedure, but it also holds offenses (failing to register, 54-251 to 54-254: CT Criminal Jury
# Instructions 7.8-1).
PROCEDURE_TITLES = ("46b-", "51-")


def can_be_a_conviction(library, statute: str) -> bool:
    """A section the law data know and that defines no offense (54-95c, 54-47a, 53a-12...) is one a person
    asks about, never the section of a conviction or a charge; so is a section of the titles of juvenile
    matters and the courts; a section they do not know may be either."""
    section = library.sections.get(statute)
    if section is None:
        return not str(statute).startswith(PROCEDURE_TITLES)
    return any(v.parameters.get("offense") for v in section.versions)


def section_of_offense(ctx: Context, offense_key: str) -> Optional[str]:
    """The section defining an offense named by its key, e.g. 'prostitution' -> '53a-82'."""
    for section_id, section in ctx.library.sections.items():
        if any((v.parameters.get("offense") or {}).get("key") == offense_key
               for v in section.versions if ctx.edition in v.editions):
            ctx.version(section_id)
            return section_id
    return None
