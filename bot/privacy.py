"""Identifiers out of what is stored: phone numbers, e-mail addresses, street addresses, dates of
birth, Connecticut docket numbers and Social Security numbers are replaced by neutral placeholders
("[phone]", "[email]", ...) in the copy of a message that is persisted.

What the dialogue needs stays: the intent, the entities that are facts (an offense, a year, a
yes/no) and the slots. Offense and conviction dates are facts, so a date is only scrubbed when it is
said to be a birth date ("born 04/05/2001", "DOB: ...", "my birthday is ...").
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, List, Tuple

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
         rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{2,4}})")
# "ct" is left out: here it is Connecticut far more often than Court.
_STREET_TYPES = (r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|place|pl|terrace|ter|"
                 r"way|circle|cir|highway|hwy|turnpike|tpke|parkway|pkwy|square|sq|trail|trl)")
# Words that follow a number in a sentence about time or counts, not in a street name.
_NOT_A_STREET_NAME = (r"(?!(?:in|at|on|of|by|the|a|an|and|or|to|for|from|with|years?|yrs?|months?|weeks?|days?|"
                      r"times?|hours?|minutes?|people|kids?|children|counts?|charges?|convictions?)\b)")

# (placeholder, pattern), in the order they are applied: the more specific first.
PATTERNS: List[Tuple[str, "re.Pattern[str]"]] = [
    ("[email]", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    # CT Judicial Branch docket numbers: court location, case type and year, sequence, suffix,
    # e.g. H14N-CR19-0123456-S, FST-CR21-0145678-T, HHD-CV20-6123456-S, also without the dashes.
    ("[docket]", re.compile(r"\b[A-Z]{1,3}\d{0,2}[A-Z]?-?[A-Z]{2}\d{2}-?\d{6,7}(?:-?[A-Z])?\b", re.IGNORECASE)),
    ("[ssn]", re.compile(r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b")),
    ("[date of birth]", re.compile(
        rf"\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday)\s*[:\-]?\s*(?:(?:is|was|on)\s+)?{_DATE}",
        re.IGNORECASE)),
    ("[phone]", re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])")),
    ("[address]", re.compile(
        rf"\b\d{{1,5}}[A-Za-z]?\s+(?:{_NOT_A_STREET_NAME}[A-Za-z][\w'.]*\s+){{1,3}}{_STREET_TYPES}\b\.?"
        r"(?:,?\s*(?:apt|apartment|unit|suite|#)\.?\s*[\w-]+)?",
        re.IGNORECASE)),
]

PLACEHOLDERS = tuple(placeholder for placeholder, _ in PATTERNS)


def identifier_spans(text: str) -> List[Tuple[int, int, str]]:
    """The (start, end, placeholder) of every identifier found in `text`, not overlapping."""
    spans: List[Tuple[int, int, str]] = []
    for placeholder, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in spans):
                continue
            spans.append((start, end, placeholder))
    return sorted(spans)


def scrub(text: Any) -> Any:
    """`text` with each identifier replaced by its placeholder (anything not a string unchanged)."""
    if not isinstance(text, str) or not text:
        return text
    pieces, position = [], 0
    for start, end, placeholder in identifier_spans(text):
        pieces += [text[position:start], placeholder]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _scrub_entities(entities: Any, spans: List[Tuple[int, int, str]]) -> Any:
    if not isinstance(entities, list):
        return entities
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        start, end = entity.get("start"), entity.get("end")
        inside = next((p for s, e, p in spans
                       if isinstance(start, int) and isinstance(end, int) and start < e and s < end), None)
        for key in ("value", "text"):
            if isinstance(entity.get(key), str):
                entity[key] = inside or scrub(entity[key])
    return entities


def _scrub_nested(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_nested(v) for v in value]
    return value


def scrub_user_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """A scrubbed copy of a `user` event's dict (`UserUttered.as_dict()`); the input is not changed."""
    data = copy.deepcopy(data)
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    parse_text = parse.get("text") if isinstance(parse.get("text"), str) else text
    spans = identifier_spans(parse_text or text)
    data["text"] = scrub(data.get("text"))
    if parse:
        parse["text"] = scrub(parse.get("text"))
        _scrub_entities(parse.get("entities"), spans)
    if "entities" in data:
        _scrub_entities(data["entities"], spans)
    if data.get("metadata"):
        data["metadata"] = _scrub_nested(data["metadata"])
    return data
