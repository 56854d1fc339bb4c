"""The facts a person can give for each topic, and the checks that turn bad input into a clear message.

A fact that is missing, null, or answered "unsure" is unknown: the rules never guess it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple

OFFENSE_CLASSES = (
    "misdemeanor", "class_a_felony", "class_b_felony", "class_c_felony", "class_d_felony",
    "class_e_felony", "unclassified_felony",
)
YES_NO_UNSURE = ("yes", "no", "unsure")

# "C.G.S. § 53a-82(a)", "section 53a-82", "CGS 53a-82" all name section 53a-82.
_STATUTE_PREFIX = re.compile(r"^(?:c\.?g\.?s\.?|conn\.?gen\.?stats?\.?|section|sec\.?|§)+")
_STATUTE = re.compile(r"^(\d{1,3}[a-z]{0,3}-\d{1,4}[a-z]{0,4})((?:\([0-9a-zA-Z]{1,4}\))*)$")


class InputError(ValueError):
    """Bad input: names the field, what was wrong, and what is allowed. The CLI exits 2 on it."""

    def __init__(self, field: str, problem: str, allowed: Optional[str] = None):
        self.field, self.problem, self.allowed = field, problem, allowed
        message = f"{field}: {problem}"
        if allowed:
            message += f"; allowed: {allowed}"
        super().__init__(message)


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str  # bool | choice | whole_number | number | statute | date
    meaning: str
    choices: Tuple[str, ...] = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    aliases: Tuple[Tuple[str, str], ...] = ()  # old names accepted for a choice
    label: str = ""  # what the fact is, in a few plain words, for a summary ("Court")
    value_words: Tuple[Tuple[str, str], ...] = ()  # a choice's value in plain words, where "_" -> " " is not enough

    def describe(self, value: Any) -> str:
        """A known value in plain words: 'yes', 'a Connecticut adult criminal court', '2019-05-01'."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if self.kind == "choice":
            return dict(self.value_words).get(value, str(value).replace("_", " "))
        if isinstance(value, float) and value.is_integer():
            return f"{value:g}"
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def allowed(self) -> str:
        if self.kind == "bool":
            return "true, false or null (unknown)"
        if self.kind == "choice":
            old = "".join(f", {old} (old name of {new})" for old, new in self.aliases)
            return ", ".join(self.choices) + old + " or null (unknown)"
        if self.kind in ("whole_number", "number"):
            what = "a whole number" if self.kind == "whole_number" else "a number"
            return f"{what} from {self.minimum:g} to {self.maximum:g}, or null (unknown)"
        if self.kind == "statute":
            return "a Connecticut section such as 53a-82, or null (unknown)"
        return "a date as YYYY-MM-DD, or null (unknown)"

    def normalise(self, value: Any) -> Any:
        """The value in the rules' own terms; None when unknown. Raises InputError on bad input."""
        if value is None:
            return None
        field = f"facts.{self.name}"
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise InputError(field, f"{value!r} is not true or false", self.allowed())
        if self.kind == "choice":
            if isinstance(value, str):
                choice = dict(self.aliases).get(value.strip(), value.strip())
                if choice in self.choices:
                    return choice
            raise InputError(field, f"{value!r} is not one of the allowed values", self.allowed())
        if self.kind in ("whole_number", "number"):
            whole = self.kind == "whole_number"
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
                raise InputError(field, f"{value!r} is not {'a whole number' if whole else 'a number'}", self.allowed())
            if isinstance(value, float) and not math.isfinite(value):
                raise InputError(field, f"{value!r} is not a finite number", self.allowed())
            if not self.minimum <= value <= self.maximum:
                raise InputError(field, f"{value!r} is out of range", self.allowed())
            return value
        if self.kind == "statute":
            return parse_statute(value, field)
        return parse_date(value, field)


def parse_statute(value: Any, field: str) -> str:
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        text = _STATUTE_PREFIX.sub("", text)
        match = _STATUTE.match(text)
        if match:
            return match.group(1)
    raise InputError(field, f"{value!r} is not a Connecticut statute section",
                     "a section such as 53a-82, or null (unknown)")


def parse_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(field, f"{value!r} is not a real date", "a date as YYYY-MM-DD") from None
    raise InputError(field, f"{value!r} is not a date", "a date as YYYY-MM-DD")


def normalise_facts(topic: str, schema: Iterable[Fact], facts: Any) -> Dict[str, Any]:
    """Every fact of the topic, by name, in the rules' terms (None when unknown)."""
    if not isinstance(facts, Mapping):
        raise InputError("facts", f"must be an object of fact names and values, not {type(facts).__name__}")
    by_name = {fact.name: fact for fact in schema}
    for name in facts:
        if name not in by_name:
            allowed = ", ".join(by_name) or "none (this topic takes no facts)"
            raise InputError(f"facts.{name}", f"is not a fact of the topic {topic!r}", allowed)
    return {name: fact.normalise(facts.get(name)) for name, fact in by_name.items()}
