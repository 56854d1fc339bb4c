"""Identifiers out of what is stored: phone numbers (US and international), e-mail and street
addresses, dates of birth, Connecticut docket numbers, Social Security numbers and names given with
a cue ("my name is ...") are replaced by neutral placeholders ("[phone]", "[email]", ...) in the copy
of a message, a bot reply or a slot that is persisted.

What the dialogue needs stays: the intent, the entities that are facts (an offense, a year, a
yes/no) and the slots. Offense and conviction dates are facts, so a date is only scrubbed when it is
said to be a birth date ("born 04/05/2001", "DOB: ...", "my birthday is ...", "born in 2005").
A name said without a cue ("Jane here") is not recognised, and is stored (README, "What is stored").

Every repetition in these patterns is bounded, so a match attempt reads a bounded number of
characters from each position and scrubbing is linear in the length of the text (an unbounded `+`
in the e-mail pattern made 200 KB of "a" take two minutes). Each text is scanned once.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, List, Optional, Tuple

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORDINAL_WORDS = (r"(?:(?:twenty|thirty)[\s-]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
                  r"tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
                  r"nineteenth|twentieth|thirtieth")
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|(?:the\s{{1,3}})?(?:{_ORDINAL_WORDS}))"
# "two thousand and five", "nineteen ninety nine", "2005", "'05"
_YEAR = (r"(?:\d{4}|'\d{2}|two\s{1,3}thousand(?:\s{1,3}and)?(?:[\s-]{1,3}[a-z]{3,9}){0,2}|"
         r"nineteen(?:[\s-]{1,3}[a-z]{3,9}){1,2})")
_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
         rf"{_MONTHS}\s{{1,3}}{_DAY},?\s{{1,3}}(?:of\s{{1,3}})?{_YEAR}|"
         rf"{_DAY}\s{{1,3}}(?:of\s{{1,3}})?{_MONTHS},?\s{{1,3}}{_YEAR}|"
         rf"{_MONTHS},?\s{{1,3}}(?:of\s{{1,3}})?{_YEAR}|{_YEAR})")
_BIRTH_CUE = (r"(?:born(?:\s{1,3}(?:on|in))?|d\.?o\.?b\.?|date\s{1,3}of\s{1,3}birth|birth\s{0,3}date|birthday|"
              r"b-?day)")
# "ct" is left out: here it is Connecticut far more often than Court.
_STREET_TYPES = (r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|place|pl|terrace|ter|"
                 r"way|circle|cir|highway|hwy|turnpike|tpke|parkway|pkwy|square|sq|trail|trl)")
# Words that follow a number in a sentence about time or counts, not in a street name.
_NOT_A_STREET_NAME = (r"(?!(?:in|at|on|of|by|the|a|an|and|or|to|for|from|with|years?|yrs?|months?|weeks?|days?|"
                      r"times?|hours?|minutes?|people|kids?|children|counts?|charges?|convictions?)\b)")
_WORD = r"[A-Za-z][\w'.]{0,30}"
# Between the groups of a phone number: nothing, a space or two, or a dot or dash with spaces around it.
_SEP = r"(?:\s{0,2}[.\-\u2013]\s{0,2}|\s{1,2})?"
# Words after "my name is" that are not a name.
_NOT_A_NAME = (r"(?!(?:and|but|so|i|im|i'm|from|because|cause|when|was|is|are|am|the|a|an|not|just|in|at|on|"
               r"to|for|with|of|my|me|he|she|they|we|you|it|this|that|back|later|please|now|if|or|who|what|how|"
               r"tomorrow|today|tonight|asap|anytime|any|there|here)\b)")

# (placeholder, pattern), in the order they are applied: the more specific first. A pattern with a
# group named `id` replaces only that group (the cue before it stays, so the sentence still reads).
PATTERNS: List[Tuple[str, "re.Pattern[str]"]] = [
    ("[email]", re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){0,8}[A-Za-z0-9-]{1,63}(?![\w-])")),
    # CT Judicial Branch docket numbers: court location, case type and year, sequence, suffix,
    # e.g. H14N-CR19-0123456-S, FST-CR21-0145678-T, HHD-CV20-6123456-S, also without the dashes.
    ("[docket]", re.compile(r"\b[A-Z]{1,3}\d{0,2}[A-Z]?-?[A-Z]{2}\d{2}-?\d{6,7}(?:-?[A-Z])?\b", re.IGNORECASE)),
    ("[ssn]", re.compile(r"\b(?!000|666|9\d\d)\d{3}(?:[- ]?)(?!00)\d{2}(?:[- ]?)(?!0000)\d{4}\b")),
    ("[date of birth]", re.compile(
        rf"\b{_BIRTH_CUE}\s{{0,3}}[:\-]?\s{{0,3}}(?:(?:is|was|on|in)\s{{1,3}})?{_DATE}(?![\w-])", re.IGNORECASE)),
    # International: +44 20 7946 0958, 0044 20 7946 0958, 011 52 55 1234 5678 (eight digits or more).
    ("[phone]", re.compile(r"(?<![\w+])(?=(?:[^\d\n]{0,3}\d){8})(?:\+|00|011[\s.-]{0,2})\d{1,3}"
                           r"(?:[\s.\-()]{1,3}\d{1,5}){1,6}(?![\w-])")),
    ("[phone]", re.compile(rf"(?<![\w-])(?:\+?1{_SEP})?(?:\(\d{{3}}\)\s{{0,2}}|\d{{3}}{_SEP})\d{{3}}{_SEP}\d{{4}}(?![\w-])")),
    ("[address]", re.compile(
        rf"\b\d{{1,5}}[A-Za-z]?\s{{1,3}}(?:{_NOT_A_STREET_NAME}{_WORD}\s{{1,3}}){{1,3}}{_STREET_TYPES}\b\.?"
        r"(?:,?\s{0,3}(?:apt|apartment|unit|suite|#)\.?\s{0,3}[\w-]{1,10})?",
        re.IGNORECASE)),
    # An address without a street type, after words that say it is one: "i live at 45 Elm".
    ("[address]", re.compile(
        r"\b(?:live|lives|living|stay|staying|address\s{1,3}is|address:)\s{1,3}(?:(?:at|on)\s{1,3})?"
        rf"(?P<id>\d{{1,5}}[A-Za-z]?(?:\s{{1,3}}{_NOT_A_STREET_NAME}{_WORD}){{1,3}})", re.IGNORECASE)),
    ("[name]", re.compile(
        r"\b(?:my\s{1,3}name\s{1,3}is|my\s{1,3}name's|name:|i\s{1,3}am\s{1,3}called|i'?m\s{1,3}called|"
        r"(?:they|people|everyone|everybody)\s{1,3}calls?\s{1,3}me|call\s{1,3}me)\s{1,3}"
        rf"(?P<id>{_NOT_A_NAME}[A-Za-z][A-Za-z'\-]{{0,30}}(?:\s{{1,3}}{_NOT_A_NAME}[A-Z][A-Za-z'\-]{{0,30}}){{0,2}})",
        re.IGNORECASE)),
]

PLACEHOLDERS = tuple(dict.fromkeys(placeholder for placeholder, _ in PATTERNS))


def identifier_spans(text: str) -> List[Tuple[int, int, str]]:
    """The (start, end, placeholder) of every identifier found in `text`, not overlapping, in order.
    A pattern's matches come in order, so each is checked against the spans already taken in one walk
    (checking each against all of them made a text of many short identifiers quadratic)."""
    spans: List[Tuple[int, int, str]] = []
    for placeholder, pattern in PATTERNS:
        found, taken = [], 0
        for match in pattern.finditer(text):
            start, end = match.span("id") if "id" in pattern.groupindex else match.span()
            while taken < len(spans) and spans[taken][1] <= start:
                taken += 1
            if taken < len(spans) and spans[taken][0] < end:
                continue
            found.append((start, end, placeholder))
        if found:
            spans = sorted(spans + found)
    return spans


def replace_spans(text: str, spans: List[Tuple[int, int, str]]) -> str:
    pieces, position = [], 0
    for start, end, placeholder in spans:
        pieces += [text[position:start], placeholder]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def scrub(text: Any) -> Any:
    """`text` with each identifier replaced by its placeholder (anything not a string unchanged)."""
    if not isinstance(text, str) or not text:
        return text
    return replace_spans(text, identifier_spans(text))


def _scrub_entities(entities: Any, spans: List[Tuple[int, int, str]]) -> Any:
    """An entity over an identifier becomes its placeholder; one found in the message's words keeps its
    value (a canonical fact: "prostitution", "2019"); one without a place in the words (a button's or
    a forged payload's) is scrubbed on its own."""
    if not isinstance(entities, list):
        return entities
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        start, end = entity.get("start"), entity.get("end")
        placed = isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool) and start < end
        inside = next((p for s, e, p in spans if placed and start < e and s < end), None)
        for key in ("value", "text"):
            if isinstance(entity.get(key), str):
                entity[key] = inside or (entity[key] if placed else scrub(entity[key]))
    return entities


def _scrub_nested(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_nested(v) for v in value]
    return value


def scrub_nested(value: Any) -> Any:
    """Every string inside `value` (a slot's value, a reply's buttons) scrubbed; the input is not changed."""
    return _scrub_nested(value)


def scrub_user_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """A scrubbed copy of a `user` event's dict (`UserUttered.as_dict()`); the input is not changed.
    The message is scanned once; its copy in the parse data is the same text."""
    data = copy.deepcopy(data)
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    parse_text = parse.get("text") if isinstance(parse.get("text"), str) else text
    spans = identifier_spans(parse_text or text)
    scrubbed: Optional[str] = replace_spans(parse_text, spans) if parse_text else parse_text
    data["text"] = scrubbed if data.get("text") == parse_text else scrub(data.get("text"))
    if parse:
        parse["text"] = scrubbed if isinstance(parse.get("text"), str) else parse.get("text")
        _scrub_entities(parse.get("entities"), spans)
    if "entities" in data:
        _scrub_entities(data["entities"], spans)
    if data.get("metadata"):
        data["metadata"] = _scrub_nested(data["metadata"])
    return data


def scrub_bot_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """A scrubbed copy of a `bot` event's dict: its text and what it offers (the guide may repeat the
    person's words)."""
    data = copy.deepcopy(data)
    for key in ("text", "data", "metadata"):
        if data.get(key):
            data[key] = _scrub_nested(data[key])
    return data


def scrub_slot_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """A scrubbed copy of a `slot` event's dict: a slot can hold the person's words."""
    data = copy.deepcopy(data)
    if data.get("value") is not None:
        data["value"] = _scrub_nested(data["value"])
    return data
