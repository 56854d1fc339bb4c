"""What a message discloses about the person that the guide must answer first, whatever was asked.

Pure functions over a message's entities (the extractor's output), with no Rasa import, so the NLU
component (bot/nlu/safety_net.py) and the actions read a disclosure the same way.
"""

from __future__ import annotations

import math
import re
from typing import Any, Dict, Iterable, Optional

ADULT_AGE = 18
# "they found him delinquent", "I was adjudicated delinquent": a juvenile court's judgment, asked about like a
# conviction.
FOUND_DELINQUENT = re.compile(r"\b(found|adjudicated|adjudged|declared)\s+(\w+\s+)?delinquent\b", re.IGNORECASE)
# What a person says was done to them that is sexual exploitation (patterns.yml, `exploitation`).
SEXUAL_EXPLOITATION = frozenset({"sold", "used_for_sex"})


def age_in_years(value: Any) -> Optional[int]:
    """A whole number of years, or None: a button payload can carry anything ("abc", 1e309)."""
    try:
        age = float(value)
    except (TypeError, ValueError):
        return None
    return int(age) if math.isfinite(age) and age == int(age) else None


def says_under_18(entities: Iterable[Dict[str, Any]]) -> bool:
    entities = list(entities)
    return any(e.get("entity") == "minor" for e in entities) or any(
        e.get("entity") == "age" and (age_in_years(e.get("value")) is not None and age_in_years(e.get("value")) < ADULT_AGE)
        for e in entities)


def minor_described_being_sold_or_used_for_sex(entities: Iterable[Dict[str, Any]]) -> bool:
    """A person under 18 saying someone sells them or uses them for sex: they need to hear, before
    anything else, that this is trafficking and not their fault, and where to get help now."""
    entities = list(entities)
    exploited = any(e.get("entity") == "exploitation" and e.get("value") in SEXUAL_EXPLOITATION for e in entities)
    return exploited and says_under_18(entities)
