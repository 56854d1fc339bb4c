"""The rule-based extractor of what people write: sections, offenses, classes, ages, dates, answers,
courts, what was done to the person, who is speaking... Plain Python with spaCy, and no Rasa.

The patterns are data, in ``patterns.yml`` next to this file; this module only compiles them into
a spaCy pipeline (``spacy.blank("en")`` with an EntityRuler for phrases and plain token patterns,
and a Matcher for the patterns whose value is computed from the text) and normalises the values.
``extract(text)`` -> ``[{"entity", "value", "start", "end"}, ...]``. The Rasa component that adds
the same entities to each message is ``bot/nlu/legal_entities.py``.

The spaCy pipeline is built once per process and patterns file (module-level cache).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

import spacy
import yaml
from spacy.matcher import Matcher
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex

PATTERNS_PATH = Path(__file__).with_name("patterns.yml")
EXTRACTOR_NAME = "LegalEntityExtractor"
# Part of the fingerprint: bump it when the normalisers below change meaning.
ENGINE_VERSION = "10"
# Words that open a purpose or a reason ("para no incriminarme").
PURPOSE_WORDS = frozenset({"para", "to", "so", "porque", "because", "bc", "cuz"})

ENTITY_TYPES = (
    "statute",
    "federal_statute",
    "offense",
    "offense_class",
    "age",
    "prison_years",
    "date",
    "answer",
    "conviction",
    "danger",
    "role",
    "proceeding",
    "council_member",
    "court",
    "exploitation",
    "minor",
    "speaker",
    "privilege",
)
_SUPPRESS = "_suppress"
_DANGER, _EXPLOITATION = "danger", "exploitation"
_ID_SEP = "||"  # the EntityRuler's default ent_id separator

_PATTERN_KEYS = {"value", "normalize", "pattern", "position", "range", "followed_by",
                 "not_followed_by", "not_preceded_by", "extend"}
_GROUP_KEYS = (_PATTERN_KEYS - {"pattern", "normalize"}) | {"phrases"}
_GLUE = {"-", "–", "—", "/", ".", ":"}
# Symbols that carry meaning: a token made of them is not ignorable punctuation ("$16", "§ 16").
_MEANINGFUL_SYMBOLS = set("§$€£#%&@+=/*<>")


# --------------------------------------------------------------------------------------------
# Value normalisers: (tokens of the entity span) -> canonical value, or None to reject the match
# --------------------------------------------------------------------------------------------

_SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "enero"), ("february", "feb", "febrero"), ("march", "mar", "marzo"),
            ("april", "apr", "abril"), ("may", "mayo"), ("june", "jun", "junio"), ("july", "jul", "julio"),
            ("august", "aug", "agosto"), ("september", "sep", "sept", "septiembre", "setiembre"),
            ("october", "oct", "octubre"), ("november", "nov", "noviembre"), ("december", "dec", "diciembre"),
        ],
        1,
    )
    for name in names
}
_STATUTE_RE = re.compile(r"^([1-9]\d?)([a-z]?)[-–—](\d{1,4})([a-z]{0,3})$")
_DAY_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


def _parse_number(tokens: Sequence[str]) -> Optional[float]:
    """'16' / '7.5' / 'sixteen' / 'twenty-five' / 'twenty five' / 'a' -> number."""
    words = [t.lower() for t in tokens if t not in ("-",)]
    if len(words) == 1:
        w = words[0]
        if re.fullmatch(r"\d+(\.\d+)?", w):
            return float(w)
        if w in _SMALL_NUMBERS:
            return float(_SMALL_NUMBERS[w])
        if w in _TENS:
            return float(_TENS[w])
        if w in ("a", "an"):
            return 1.0
        return None
    if len(words) == 2 and words[0] in _TENS and words[1] in _SMALL_NUMBERS and 0 < _SMALL_NUMBERS[words[1]] < 10:
        return float(_TENS[words[0]] + _SMALL_NUMBERS[words[1]])
    return None


def _number_tokens(span: Span) -> List[str]:
    year_words = {"year", "years", "yr", "yrs", "yr.", "yrs.", "years'"}
    return [t.text for t in span if t.lower_ not in year_words and t.text != "-"]


def _in_range(value: float, rule: "_Rule") -> bool:
    return rule.range is None or rule.range[0] <= value <= rule.range[1]


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else ("%g" % value)


def _norm_integer(span: Span, rule: "_Rule") -> Optional[str]:
    value = _parse_number(_number_tokens(span))
    if value is None or value != int(value) or not _in_range(value, rule):
        return None
    return str(int(value))


def _norm_number(span: Span, rule: "_Rule") -> Optional[str]:
    value = _parse_number(_number_tokens(span))
    if value is None or not _in_range(value, rule):
        return None
    return _format_number(value)


def _statute_parts(span: Span) -> Optional[Tuple[int, str, str, str]]:
    """The section number at the end of the span: (title, title letter, section, section letters)."""
    # the number is the last 1 or 3 tokens of the span; take the text glued together
    text = ""
    for tok in reversed(span):
        if text and tok.whitespace_:
            break
        text = tok.text + text
        if tok.text in ("§", "."):
            text = text[len(tok.text):]
            break
    m = _STATUTE_RE.match(text.lower().lstrip("§."))
    if not m:
        return None
    return int(m.group(1)), m.group(2), m.group(3), m.group(4)


def _format_statute(parts: Tuple[int, str, str, str]) -> str:
    title, title_letter, section, section_letters = parts
    return f"{title}{title_letter}-{int(section)}{section_letters}"


def _norm_statute(span: Span, rule: "_Rule") -> Optional[str]:
    """A section named with a prefix (§, sec., CGS ...): any title 1-54."""
    parts = _statute_parts(span)
    if parts is None or not 1 <= parts[0] <= 54:
        return None
    return _format_statute(parts)


def _norm_statute_bare(span: Span, rule: "_Rule") -> Optional[str]:
    """A bare number is a section only if it has a letter (53a-82, 54-95c) or is in title 53/54."""
    parts = _statute_parts(span)
    if parts is None or not 1 <= parts[0] <= 54:
        return None
    title, title_letter, _, section_letters = parts
    if not (title_letter or section_letters or title in (53, 54)):
        return None
    return _format_statute(parts)


def _norm_federal_section(span: Span, rule: "_Rule") -> Optional[str]:
    title = span[0].text
    section = span[-1].text
    return f"{int(title)} USC {section.upper() if section[-1:].isalpha() else section}"


def _norm_federal_chapter(span: Span, rule: "_Rule") -> Optional[str]:
    return f"{int(span[0].text)} USC ch. {span[-1].text.upper()}"


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= 40 else 1900
    return year


def _iso(year: int, month: Optional[int] = None, day: Optional[int] = None) -> Optional[str]:
    try:
        if day is not None:
            return date(year, month, day).isoformat()
        if month is not None:
            date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    except (ValueError, TypeError):
        return None


def _digits(span: Span) -> List[str]:
    return re.findall(r"\d+", span.text)


def _norm_year(span: Span, rule: "_Rule") -> Optional[str]:
    return _iso(int(span.text))


def _norm_date_ymd(span: Span, rule: "_Rule") -> Optional[str]:
    parts = [int(d) for d in _digits(span)]
    return _iso(*parts)


def _norm_date_mdy(span: Span, rule: "_Rule") -> Optional[str]:
    month, day, year = _digits(span)
    return _iso(_full_year(year), int(month), int(day))


def _norm_date_my(span: Span, rule: "_Rule") -> Optional[str]:
    month, year = _digits(span)
    return _iso(int(year), int(month))


def _norm_date_words(span: Span, rule: "_Rule") -> Optional[str]:
    month = day = year = None
    for tok in span:
        low = tok.lower_.rstrip(".")
        if low in _MONTHS and month is None:
            month = _MONTHS[low]
        elif re.fullmatch(r"(19|20)\d\d", low):
            year = int(low)
        elif _DAY_RE.match(low):
            day = int(_DAY_RE.match(low).group(1))
    if year is None or month is None:
        return None
    return _iso(year, month, day)


def _norm_month_without_year(span: Span, rule: "_Rule") -> Optional[str]:
    """'in september', 'september this year', 'last march', 'en marzo': the most recent such month on
    or before today (this year's, or last year's when it has not come yet), unless 'last year' is said."""
    words = [t.lower_.rstrip(".") for t in span]
    month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
    if month is None:
        return None
    today = date.today()
    year = today.year if month <= today.month else today.year - 1
    if ("last" in words and "year" in words) or "pasado" in words:
        year = today.year - 1
    elif "next" in words or "viene" in words or "próximo" in words or "proximo" in words:
        year = today.year + 1
    elif "this" in words or "este" in words:
        year = today.year
    return _iso(year, month)


def _norm_season(span: Span, rule: "_Rule") -> Optional[str]:
    """'last summer', 'this spring', 'el verano pasado': a season is three months, so only its year is
    given (a date that straddles a day the law changed is then asked rather than guessed)."""
    words = [t.lower_ for t in span]
    ends = {"winter": 2, "invierno": 2, "spring": 5, "primavera": 5, "summer": 8, "verano": 8,
            "fall": 11, "autumn": 11, "otono": 11, "otoño": 11}
    season_end = next((ends[w] for w in words if w in ends), None)
    if season_end is None:
        return None
    today = date.today()
    year = today.year if season_end <= today.month else today.year - 1
    if "this" in words or "este" in words:
        year = today.year
    return _iso(year)


def _norm_relative_date(span: Span, rule: "_Rule") -> Optional[str]:
    """'last year' -> the year before today's, '3 months ago' -> that month: a date relative to the
    day the message is read, at the precision the words give (also in Spanish: 'el año pasado',
    'hace 3 años')."""
    words = [t.lower_ for t in span]
    today = date.today()
    # Days and weeks: to the day ("yesterday", "last week", "la semana pasada", "next week").
    days = {"yesterday": -1, "ayer": -1}
    if len(words) == 1 and words[0] in days:
        return (today + timedelta(days=days[words[0]])).isoformat()
    if "week" in words or "semana" in words:
        ahead = "next" in words or "viene" in words or "próxima" in words or "proxima" in words
        behind = "last" in words or "pasada" in words
        return (today + timedelta(days=7 if ahead else -7 if behind else 0)).isoformat()
    # "a few weeks ago", "a couple days ago", "hace unas semanas": the month it fell in.
    if any(w in ("weeks", "days", "semanas", "dias", "días") for w in words):
        count = 2 if "couple" in words else _parse_number([w for w in words if w not in ("a", "hace")][:1]) or 3
        back = timedelta(days=int(count) * (7 if any(w in ("weeks", "semanas") for w in words) else 1))
        if back > timedelta(days=70):
            return None
        return _iso((today - back).year, (today - back).month)
    ahead = "next" in words or "viene" in words or any(w in ("próximo", "proximo", "próxima", "proxima") for w in words)
    unit = "month" if any(w.startswith(("month", "mes")) for w in words) else "year"
    if ahead:
        months = today.year * 12 + today.month  # the month after this one, counted from 0
        return _iso(today.year + 1) if unit == "year" else _iso(months // 12, months % 12 + 1)
    if words[0] in ("last", "this") or words[-1] in ("pasado", "pasada") or words[0] in ("este", "esta"):
        back = 1 if (words[0] == "last" or words[-1] in ("pasado", "pasada")) else 0
    elif words[0] == "hace":
        number = 1 if words[1] in ("un", "una") else _parse_number(words[1:-1])
        if number is None or number != int(number) or not 0 < number <= 100:
            return None
        back = int(number)
    else:
        number = _parse_number(words[:-2])
        if number is None or number != int(number) or not 0 < number <= 100:
            return None
        back = int(number)
    if unit == "year":
        return _iso(today.year - back)
    months = today.year * 12 + today.month - 1 - back
    return _iso(months // 12, months % 12 + 1)


def _norm_felony_class(span: Span, rule: "_Rule") -> Optional[str]:
    letters = [t.lower_.rstrip(".") for t in span if t.lower_.rstrip(".") in ("a", "b", "c", "d", "e")]
    return f"class_{letters[-1]}_felony" if letters else None


NORMALIZERS: Dict[str, Callable[[Span, "_Rule"], Optional[str]]] = {
    "integer": _norm_integer,
    "number": _norm_number,
    "statute": _norm_statute,
    "statute_bare": _norm_statute_bare,
    "federal_section": _norm_federal_section,
    "federal_chapter": _norm_federal_chapter,
    "year": _norm_year,
    "date_ymd": _norm_date_ymd,
    "date_mdy": _norm_date_mdy,
    "date_my": _norm_date_my,
    "date_words": _norm_date_words,
    "relative_date": _norm_relative_date,
    "month_without_year": _norm_month_without_year,
    "season": _norm_season,
    "felony_class": _norm_felony_class,
}


# --------------------------------------------------------------------------------------------
# Loading patterns.yml
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    entity: str  # or _SUPPRESS
    value: Optional[str] = None
    normalize: Optional[str] = None
    position: Optional[str] = None  # None | "start" | "whole"
    range: Optional[Tuple[float, float]] = None
    followed_by: Optional[FrozenSet[str]] = None
    not_followed_by: FrozenSet[str] = frozenset()
    not_preceded_by: FrozenSet[str] = frozenset()
    extend: Optional[str] = None
    order: int = 0


class PatternsError(ValueError):
    """patterns.yml is malformed."""


def _rule_from(entity: str, spec: Dict[str, Any], order: int, where: str) -> _Rule:
    if spec.get("position") not in (None, "start", "whole"):
        raise PatternsError(f"{where}: position must be 'start' or 'whole'")
    if spec.get("extend") not in (None, "parenthetical"):
        raise PatternsError(f"{where}: extend must be 'parenthetical'")
    normalize = spec.get("normalize")
    if normalize is not None and normalize not in NORMALIZERS:
        raise PatternsError(f"{where}: unknown normalize '{normalize}' (known: {sorted(NORMALIZERS)})")
    value = spec.get("value")
    if entity != _SUPPRESS and (value is None) == (normalize is None):
        raise PatternsError(f"{where}: give exactly one of 'value' and 'normalize'")
    if value is not None and not isinstance(value, str):
        raise PatternsError(f"{where}: value {value!r} must be a string (quote it)")
    rng = spec.get("range")
    return _Rule(
        entity=entity,
        value=value,
        normalize=normalize,
        position=spec.get("position"),
        range=(float(rng[0]), float(rng[1])) if rng else None,
        followed_by=(frozenset(str(t).lower() for t in spec["followed_by"])
                     if spec.get("followed_by") is not None else None),
        not_followed_by=frozenset(str(t).lower() for t in spec.get("not_followed_by", [])),
        not_preceded_by=frozenset(str(t).lower() for t in spec.get("not_preceded_by", [])),
        extend=spec.get("extend"),
        order=order,
    )


def _pluralize_word(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def _variants(phrase: str, plurals: bool) -> List[str]:
    """The phrase, its apostrophe variants and (for `plurals`) its plural."""
    out = [phrase]
    if plurals:
        words = phrase.split(" ")
        idx = len(words) - 1
        for i, w in enumerate(words[1:], 1):
            if w in ("of", "to", "in", "with", "on"):
                idx = i - 1
                break
        if re.fullmatch(r"[a-z]+", words[idx]):
            words[idx] = _pluralize_word(words[idx])
            out.append(" ".join(words))
    for p in list(out):
        if "'" in p:
            out.append(p.replace("'", "’"))
            out.append(p.replace("'", ""))
    return list(dict.fromkeys(out))


def _expand_macros(pattern: List[Dict[str, Any]], macros: Dict[str, List[List[Dict]]],
                   where: str) -> List[Tuple[List[Dict[str, Any]], Tuple[bool, ...]]]:
    """All spaCy patterns a token pattern stands for, each with its CAPTURE flag per token."""
    choices: List[List[Tuple[List[Dict], List[bool]]]] = []
    for tok in pattern:
        if not isinstance(tok, dict):
            raise PatternsError(f"{where}: a token pattern must be a list of dicts")
        tok = dict(tok)
        capture = bool(tok.pop("CAPTURE", False))
        macro = tok.pop("MACRO", None)
        if macro is None:
            choices.append([([tok], [capture])])
            continue
        if macro not in macros:
            raise PatternsError(f"{where}: unknown macro '{macro}'")
        alternatives = []
        for alt in macros[macro]:
            toks = []
            for t in alt:
                t = copy.deepcopy(t)
                t.update(tok)  # extra keys on the macro token (OP, SPACY) apply to every token
                toks.append(t)
            alternatives.append((toks, [capture] * len(toks)))
        choices.append(alternatives)
    expanded = []
    for combo in itertools.product(*choices):
        toks = [t for part, _ in combo for t in part]
        caps = tuple(c for _, flags in combo for c in flags)
        expanded.append(_bounded(toks, caps, where))
    return expanded


_BOUNDED_OP = re.compile(r"^\{(\d*),(\d+)\}$")


def _bounded(toks: List[Dict[str, Any]], caps: Tuple[bool, ...],
             where: str) -> Tuple[List[Dict[str, Any]], Tuple[bool, ...]]:
    """`OP: "{n,m}"` (spaCy 3.5's bounded repetition, which 3.4 lacks) as n tokens and m-n optional
    ones. "*" and "+" are refused: an unbounded repetition lets one message of repeated words make
    the matcher's work grow with the square of its length (and with alignments, the cube)."""
    out_toks: List[Dict[str, Any]] = []
    out_caps: List[bool] = []
    for tok, cap in zip(toks, caps):
        op = tok.get("OP")
        if op in ("*", "+"):
            raise PatternsError(f"{where}: OP {op!r} is unbounded; say how many, e.g. OP: \"{{0,4}}\"")
        bounded = _BOUNDED_OP.match(op) if isinstance(op, str) else None
        if not bounded:
            out_toks.append(tok)
            out_caps.append(cap)
            continue
        least, most = int(bounded.group(1) or 0), int(bounded.group(2))
        if least > most:
            raise PatternsError(f"{where}: OP {op!r}: the least is more than the most")
        plain = {k: v for k, v in tok.items() if k != "OP"}
        for n in range(most):
            out_toks.append(dict(plain) if n < least else {**plain, "OP": "?"})
            out_caps.append(cap)
    return out_toks, tuple(out_caps)


def _split_at_capture(toks: List[Dict[str, Any]], caps: Tuple[bool, ...],
                      where: str) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]], List[Dict[str, Any]]]:
    """The tokens before the captured ones, the captured ones and those after."""
    first = caps.index(True)
    last = len(caps) - 1 - caps[::-1].index(True)
    if not all(caps[first:last + 1]):
        raise PatternsError(f"{where}: the CAPTURE tokens must be next to each other")
    return toks[:first], toks[first:last + 1], toks[last + 1:]


def _check_phrase(phrase: Any, where: str) -> str:
    if not isinstance(phrase, str) or not phrase.strip():
        raise PatternsError(f"{where}: phrase {phrase!r} must be a non-empty string (quote it)")
    return phrase.strip().lower()


# --------------------------------------------------------------------------------------------
# The engine: one spaCy pipeline per patterns file
# --------------------------------------------------------------------------------------------


def _make_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    infixes = list(nlp.Defaults.infixes) + [
        r"[\(\)\[\]]",  # "54-95c(a)" -> 54 - 95c ( a )
        r"§",  # "U.S.C.§1591"
        r"(?<=[A-Za-z]):(?=[0-9])",  # "age:15"
        r"(?<=[A-Za-z])\.(?=[0-9])",  # "sec.53a-82"
    ]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9])(?:yo|y/o|y\.o\.?|yrs\.?|yr\.?)"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # spaCy splits a lowercase "id" as "I'd" ("i", "d") but keeps "ID" whole, so a phrase written in
    # lowercase ("fake id", "took my id") missed "fake ID": every casing splits the same way.
    for casing in ("ID", "Id", "iD"):
        nlp.tokenizer.add_special_case(casing, [{ORTH: casing[0]}, {ORTH: casing[1]}])
    return nlp


@dataclass
class _Candidate:
    start: int
    end: int
    entity: str
    value: Optional[str]
    order: int


@dataclass
class LegalEntityEngine:
    """Compiled patterns. Use `get_engine()` rather than building one per message."""

    spec: Dict[str, Any]
    digest: str
    rules: List[_Rule] = field(default_factory=list)

    def __post_init__(self) -> None:
        spec = self.spec
        if not isinstance(spec, dict) or "entities" not in spec:
            raise PatternsError("patterns file must be a mapping with an 'entities' key")
        self.fillers = frozenset(str(f).lower() for f in spec.get("fillers", []))
        self._read_negation(spec.get("negation") or {})
        macros = spec.get("macros", {}) or {}
        self.nlp = _make_nlp()
        self.ruler = self.nlp.add_pipe(
            "entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True,
                                    "ent_id_sep": _ID_SEP}
        )
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self._matcher_rules: Dict[int, Tuple[_Rule, Optional[Matcher]]] = {}
        ruler_patterns: List[Dict[str, Any]] = []

        def add_rule(rule: _Rule) -> int:
            self.rules.append(rule)
            return len(self.rules) - 1

        def add_token_pattern(entity: str, spec_: Dict[str, Any], where: str) -> None:
            pattern = spec_.get("pattern")
            if not isinstance(pattern, list) or not pattern:
                raise PatternsError(f"{where}: 'pattern' must be a non-empty list of token dicts")
            unknown = set(spec_) - _PATTERN_KEYS
            if unknown:
                raise PatternsError(f"{where}: unknown keys {sorted(unknown)}")
            rule = _rule_from(entity, spec_, len(self.rules), where)
            idx = add_rule(rule)
            expanded = _expand_macros(pattern, macros, where)
            if len(expanded) == 1 and not any(expanded[0][1]) and rule.normalize is None:
                # a fixed-value token pattern: the EntityRuler holds it
                ruler_patterns.append({"label": entity, "pattern": expanded[0][0], "id": str(idx)})
                return
            for n, (toks, caps) in enumerate(expanded):
                key = f"{entity}:{idx}:{n}"
                self.matcher.add(key, [toks])
                parts = None
                if any(caps):
                    # Finding the captured tokens from a match's alignments costs the matcher a copy
                    # of its state at every step; instead each part is matched again inside the
                    # (short) matched span.
                    parts = Matcher(self.nlp.vocab, validate=True)
                    for name, part in zip(("before", "capture", "after"), _split_at_capture(toks, caps, where)):
                        if part:
                            parts.add(name, [part])
                self._matcher_rules[self.nlp.vocab.strings[key]] = (rule, parts)

        def add_phrases(entity: str, group: Dict[str, Any], plurals: bool, where: str) -> None:
            unknown = set(group) - _GROUP_KEYS
            if unknown:
                raise PatternsError(f"{where}: unknown keys {sorted(unknown)}")
            idx = add_rule(_rule_from(entity, group, len(self.rules), where))
            for phrase in group.get("phrases") or []:
                for variant in _variants(_check_phrase(phrase, where), plurals):
                    ruler_patterns.append({"label": entity, "pattern": variant, "id": str(idx)})

        for entity, espec in spec["entities"].items():
            if entity not in ENTITY_TYPES:
                raise PatternsError(f"unknown entity '{entity}' (known: {', '.join(ENTITY_TYPES)})")
            espec = espec or {}
            unknown = set(espec) - {"phrases", "patterns", "plurals"}
            if unknown:
                raise PatternsError(f"entities.{entity}: unknown keys {sorted(unknown)}")
            plurals = bool(espec.get("plurals", False))
            phrases = espec.get("phrases") or {}
            if isinstance(phrases, dict):
                for value, plist in phrases.items():
                    if not isinstance(plist, list):
                        raise PatternsError(f"entities.{entity}.phrases.{value}: expected a list")
                    add_phrases(entity, {"value": str(value), "phrases": plist}, plurals,
                                f"entities.{entity}.phrases.{value}")
            elif isinstance(phrases, list):
                for i, group in enumerate(phrases):
                    add_phrases(entity, dict(group), plurals, f"entities.{entity}.phrases[{i}]")
            else:
                raise PatternsError(f"entities.{entity}.phrases: expected a mapping or a list")
            for i, pspec in enumerate(espec.get("patterns") or []):
                add_token_pattern(entity, dict(pspec), f"entities.{entity}.patterns[{i}]")

        suppress = spec.get("suppress") or {}
        add_phrases(_SUPPRESS, {"phrases": suppress.get("phrases") or []}, False, "suppress.phrases")
        for i, pattern in enumerate(suppress.get("patterns") or []):
            add_token_pattern(_SUPPRESS, {"pattern": pattern}, f"suppress.patterns[{i}]")

        self.ruler.add_patterns(ruler_patterns)
        self._strings = self.nlp.vocab.strings

    def _read_negation(self, spec: Dict[str, Any]) -> None:
        """The `negation:` section: which values a denial or a doubt just before them changes."""
        self.negation_window = int(spec.get("window", 0))
        self.doubt_window = int(spec.get("doubt_window", self.negation_window))
        self.negation_stops = frozenset(str(w).lower() for w in spec.get("stop_at", []))
        self.denial_words = frozenset(str(w).lower() for w in spec.get("denial_words", []))
        self.doubt_words = frozenset(str(w).lower() for w in spec.get("doubt_words", []))
        self.list_words = frozenset(str(w).lower() for w in spec.get("list_words", []))
        self.interjection_before = frozenset(str(w).lower() for w in spec.get("interjection_before", []))
        self.conditional_words = frozenset(str(w).lower() for w in spec.get("conditional_words", []))
        self.knowing_words = frozenset(str(w).lower() for w in spec.get("knowing_words", []))
        self.conditions_drop = frozenset(str(w) for w in spec.get("conditions_drop", []))
        self.asking_words = frozenset(str(w).lower() for w in spec.get("asking_words", []))
        self.list_verbs = frozenset(str(w).lower() for w in spec.get("list_verbs", []))
        self.not_list_verbs = frozenset(str(w).lower() for w in spec.get("not_list_verbs", []))
        self.also_yes = frozenset(str(w).lower() for w in spec.get("also_yes", []))
        self.counting_words = frozenset(str(w).lower() for w in spec.get("counting_words", []))
        self.refusal_words = frozenset(str(w).lower() for w in spec.get("refusal_words", []))
        self.flips = self._value_map(spec, "flip")
        self.doubted = self._value_map(spec, "doubt")

    @staticmethod
    def _value_map(spec: Dict[str, Any], key: str) -> Dict[Tuple[str, str], Optional[str]]:
        mapped: Dict[Tuple[str, str], Optional[str]] = {}
        for entity, values in (spec.get(key) or {}).items():
            if not isinstance(values, dict):
                raise PatternsError(f"negation.{key}.{entity}: expected a mapping of value to value")
            for value, changed in values.items():
                mapped[(str(entity), str(value))] = None if changed is None else str(changed)
        return mapped

    def _negated(self, doc: Doc, cand: "_Candidate") -> Tuple[bool, Optional[str]]:
        """(keep, value) for a candidate the `negation:` section covers: a doubt word in the few tokens
        before it ("idk if he was selling me") makes it its `doubt:` value, or drops it; a denial
        ("nobody was selling him") turns it into its denial, and reaches along a list joined by "or"
        ("nobody was controlling me or selling me"). The window ends at punctuation and at "but"
        ("no, but he sold me"); "no" right before a new clause is an interjection ("wait no she was 17")."""
        key = (cand.entity, str(cand.value))
        if key not in self.flips:
            key = (cand.entity, "*")  # every value of the entity ("not sure if she was 17 or 18")
        if key not in self.flips or not self.negation_window:
            return True, cand.value
        first = next((t.i for t in doc if t.idx >= cand.start), len(doc))
        if self._whether_it_counts(doc, first):
            # "does what happened count as being trafficked", "not sure if it would count as being trafficked":
            # whether it counts is the question, and the questions about what happened answer it; the word
            # neither says it was trafficking nor that no one can know.
            return False, None
        widest = max(self.negation_window * 4 + 1, self.doubt_window)  # room for a list after the denial
        before = list(reversed(doc[max(0, first - widest):first]))
        doubt_window = self.doubt_window
        for distance, token in enumerate(before, 1):
            word = token.lower_
            if word in self.negation_stops:
                break
            if word in self.list_words:
                # "idk if it was a felony or a misdemeanor", "whether anyone was pushing him into it or using him"
                doubt_window = distance + self.doubt_window + 2
            if word in self.doubt_words and distance <= doubt_window:
                # "is there a defense if you were trafficked" asks on a condition; "idk if he was" doubts.
                if self._said_in_doubt(doc, token.i):
                    doubted = self.doubted.get(key)
                    return doubted is not None, doubted
                if word in self.also_yes:
                    continue  # "si el me obligaba": an unaccented yes, not a condition
                if cand.entity in self.conditions_drop:
                    return False, None
                break  # "si me declare culpable": an unaccented yes, or a condition the fact still holds in
        # "para no incriminarme", "so i wouldn't incriminate myself": a purpose whose own words hold its "no" is
        # said as meant; "i never said i wouldnt answer" is still a denial.
        own = [t for t in doc if cand.start <= t.idx < cand.end]
        if own and own[0].lower_ in PURPOSE_WORDS and any(t.lower_ in self.denial_words for t in own):
            return True, cand.value
        window = self.negation_window
        for distance, token in enumerate(before, 1):
            word = token.lower_
            if distance > window or (word in self.negation_stops and not self._in_a_list(doc, token.i)):
                break
            if word in self.list_words or word == ",":
                window = distance + self.negation_window + 2  # the denial may stand before the whole list
            elif word in self.denial_words and not self._interjection(doc, token.i):
                if cand.entity == "privilege" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in self.refusal_words:
                    # "le dijo que no conteste porque se puede incriminar", "su derecho a no incriminarse": the
                    # "no" is the refusal the privilege is, not a denial of it.
                    return True, cand.value
                denied = self.flips[key]
                return denied is not None, denied
        return True, cand.value

    def _whether_it_counts(self, doc: Doc, first: int) -> bool:
        i = first - 1
        while i >= 0 and doc[i].lower_ in ("being", "a", "an", "como", "un", "una"):
            i -= 1
        return i >= 1 and doc[i].lower_ in ("as", "como") and doc[i - 1].lower_ in self.counting_words

    def _in_a_list(self, doc: Doc, i: int) -> bool:
        """A comma before another verb of the same kind continues a list ("nobody was pimping me, forcing
        me or selling me"); before a new subject it ends the clause ("nobody forced me, he sold me")."""
        following = doc[i + 1] if i + 1 < len(doc) else None
        return doc[i].text == "," and following is not None and following.lower_ not in self.not_list_verbs \
            and (following.lower_.endswith(("ing", "ed")) or following.lower_ in self.list_verbs)

    def _said_in_doubt(self, doc: Doc, i: int) -> bool:
        if doc[i].lower_ not in self.conditional_words:
            return True
        # "i want to know if i can clear my conviction" asks what the law allows; it does not doubt the fact.
        asks_what_is_allowed = i + 2 < len(doc) and doc[i + 2].lower_ in self.asking_words
        return not asks_what_is_allowed and any(t.lower_ in self.knowing_words for t in doc[max(0, i - 4):i])

    def _interjection(self, doc: Doc, i: int) -> bool:
        following = doc[i + 1] if i + 1 < len(doc) else None
        # "si no, me pegaba", "if not he'd beat me": "otherwise", which denies nothing that follows.
        otherwise = i > 0 and doc[i].lower_ in ("no", "not") and doc[i - 1].lower_ in ("si", "if")
        return otherwise or (doc[i].lower_ == "no" and following is not None
                             and following.lower_ in self.interjection_before)

    # -- filters ---------------------------------------------------------------------------

    def _ignorable(self, tok) -> bool:
        if tok.lower_ in self.fillers:
            return True
        return not any(ch.isalnum() or ch in _MEANINGFUL_SYMBOLS for ch in tok.text)

    @staticmethod
    def _glued_to_number(doc: Doc, start: int, end: int) -> bool:
        """Is the match part of a longer number, e.g. '555' in '860-555-0100'?"""
        if start > 0:
            prev = doc[start - 1]
            if not prev.whitespace_:
                if prev.text[-1:].isdigit():
                    return True
                if prev.text in _GLUE and start > 1 and not doc[start - 2].whitespace_ \
                        and doc[start - 2].text[-1:].isdigit():
                    return True
        if end < len(doc) and not doc[end - 1].whitespace_:
            nxt = doc[end]
            if nxt.text[:1].isdigit():
                return True
            if nxt.text in _GLUE and not nxt.whitespace_ and end + 1 < len(doc) \
                    and doc[end + 1].text[:1].isdigit():
                return True
        return False

    def _accept(self, doc: Doc, rule: _Rule, start: int, end: int) -> bool:
        if rule.position is not None:
            if not all(self._ignorable(t) for t in doc[:start]):
                return False
            if rule.position == "whole" and not all(self._ignorable(t) for t in doc[end:]):
                return False
        if rule.followed_by is not None and end < len(doc):
            nxt = doc[end]
            if nxt.lower_ not in rule.followed_by and any(ch.isalnum() for ch in nxt.text):
                return False
        if rule.not_followed_by and end < len(doc) and doc[end].lower_ in rule.not_followed_by:
            return False
        if rule.not_preceded_by and start > 0 and doc[start - 1].lower_ in rule.not_preceded_by \
                and not self._denial_it_turns(doc, rule, start):
            return False
        if rule.entity != _SUPPRESS and self._glued_to_number(doc, start, end):
            return False
        return True

    def _denial_it_turns(self, doc: Doc, rule: _Rule, start: int) -> bool:
        """'nobody sold him', 'hasnt invoked the fifth': a denial right before a fact the `negation:` section
        turns into its denial is kept, to be turned there, not dropped as if nothing were said."""
        before = doc[start - 1].lower_
        denied_by = before in self.denial_words or (before == "one" and start > 1 and doc[start - 2].lower_ == "no")
        return denied_by and self.flips.get((rule.entity, str(rule.value))) is not None

    @staticmethod
    def _extend_parenthetical(doc: Doc, end: int) -> int:
        """Cover glued subsections: '54-95c' + '(a)(1)'."""
        while (end + 2 < len(doc) and doc[end].text == "(" and not doc[end - 1].whitespace_
               and doc[end + 2].text == ")" and re.fullmatch(r"[A-Za-z0-9]{1,4}", doc[end + 1].text)):
            end += 3
        return end

    # -- extraction ------------------------------------------------------------------------

    def _candidate(self, doc: Doc, rule: _Rule, start: int, end: int,
                   span_start: int, span_end: int) -> Optional[_Candidate]:
        if not self._accept(doc, rule, start, end):
            return None
        span = doc[span_start:span_end]
        value = rule.value
        if rule.normalize is not None:
            value = NORMALIZERS[rule.normalize](span, rule)
            if value is None:
                return None
        if rule.extend == "parenthetical":
            span_end = self._extend_parenthetical(doc, span_end)
        last = doc[span_end - 1]
        return _Candidate(doc[span_start].idx, last.idx + len(last.text), rule.entity, value, rule.order)

    def _captured(self, doc: Doc, start: int, end: int, parts: Matcher) -> Tuple[int, int]:
        """The captured tokens of the match doc[start:end]: the longest run the capture part matches
        with the part before it matching all that precedes it in the span, and the part after it
        all that follows."""
        span = doc[start:end]
        found: Dict[str, List[Tuple[int, int]]] = {"before": [], "capture": [], "after": []}
        for part_id, part_start, part_end in parts(span):
            found[self._strings[part_id]].append((part_start, part_end))
        ends_of_before = {e for s, e in found["before"] if s == 0} if parts.has_key("before") else {0}
        starts_of_after = ({s for s, e in found["after"] if e == len(span)} if parts.has_key("after")
                           else {len(span)})
        fits = [(s, e) for s, e in found["capture"] if s in ends_of_before and e in starts_of_after]
        if not fits:
            return start, end
        first, last = max(fits, key=lambda c: (c[1] - c[0], -c[0]))
        return start + first, start + last

    def extract(self, text: str) -> List[Dict[str, Any]]:
        """Entities in `text`: [{"entity", "value", "start", "end"}], in text order."""
        if not text or not text.strip():
            return []
        doc = self.nlp.make_doc(shouting_lowered(readable_part(text)))
        candidates: List[_Candidate] = []
        for match_id, start, end in self.ruler.match(doc):
            rule = self.rules[int(self._strings[match_id].rsplit(_ID_SEP, 1)[1])]
            cand = self._candidate(doc, rule, start, end, start, end)
            if cand:
                candidates.append(cand)
        for match_id, start, end in self.matcher(doc):
            rule, parts = self._matcher_rules[match_id]
            span_start, span_end = self._captured(doc, start, end, parts) if parts else (start, end)
            cand = self._candidate(doc, rule, start, end, span_start, span_end)
            if cand:
                candidates.append(cand)
        # overlaps: longest span wins, then the earliest, then the earliest rule in the file
        candidates.sort(key=lambda c: (c.start - c.end, c.start, c.order))
        taken: List[_Candidate] = []
        for cand in candidates:
            if all(cand.end <= t.start or cand.start >= t.end for t in taken):
                taken.append(cand)
        # "he took her ID", told of the past, is how she was controlled as well as a danger if it goes on:
        # a danger never hides the trafficking fact said in the same words.
        for cand in candidates:
            if cand.entity == _EXPLOITATION and cand not in taken and \
                    all(cand.end <= t.start or cand.start >= t.end or t.entity == _DANGER for t in taken):
                taken.append(cand)
        taken.sort(key=lambda c: c.start)
        found = []
        for c in taken:
            if c.entity == _SUPPRESS:
                continue
            keep, value = self._negated(doc, c)
            if keep:
                found.append({"entity": c.entity, "value": value, "start": c.start, "end": c.end})
        return found


# What reaches spaCy: the longest message any channel accepts (an SMS of ten parts), and no run of
# characters without a space longer than any word, section number or date. The matcher's work grows
# with the tokens, and a long run of symbols ("§§§...") is one token per symbol: such runs hold no
# entity, so they are blanked (offsets unchanged) rather than read.
MAX_READ_CHARACTERS = 1600
MAX_RUN_CHARACTERS = 64
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARACTERS + 1))


def readable_part(text: str) -> str:
    """The part of `text` the extractor reads, with the same offsets as `text`."""
    text = text[:MAX_READ_CHARACTERS]
    # A lone surrogate (invalid UTF-16 sent as JSON) breaks spaCy; one "?" keeps every offset.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _LONG_RUN.sub(lambda run: " " * len(run.group()), text)


_ENGINES: Dict[str, LegalEntityEngine] = {}  # by content digest
_ENGINE_BY_PATH: Dict[str, LegalEntityEngine] = {}
_LOCK = threading.Lock()


def _digest(content: bytes) -> str:
    return hashlib.sha256(ENGINE_VERSION.encode() + b"\0" + content).hexdigest()


def patterns_fingerprint(path: Optional[Path] = None) -> str:
    """Hash of the patterns file's contents (and of the normalisers' version)."""
    return _digest(Path(path or PATTERNS_PATH).read_bytes())


def get_engine(path: Optional[Path] = None, reload: bool = False) -> LegalEntityEngine:
    """The compiled engine of a patterns file, built once per process and file content.

    The file is read once per path; pass `reload=True` to pick up edits made while running.
    """
    path = Path(path or PATTERNS_PATH)
    key = str(path.resolve())
    engine = _ENGINE_BY_PATH.get(key)
    if engine is not None and not reload:
        return engine
    with _LOCK:
        content = path.read_bytes()
        digest = _digest(content)
        engine = _ENGINES.get(digest)
        if engine is None:
            spec = yaml.safe_load(content.decode("utf-8"))
            engine = LegalEntityEngine(spec=spec, digest=digest)
            _ENGINES[digest] = engine
        _ENGINE_BY_PATH[key] = engine
        return engine


def engine_for_content(content: bytes) -> LegalEntityEngine:
    """The compiled engine of a patterns file's contents (as stored inside a trained model)."""
    digest = _digest(content)
    with _LOCK:
        engine = _ENGINES.get(digest)
        if engine is None:
            engine = LegalEntityEngine(spec=yaml.safe_load(content.decode("utf-8")), digest=digest)
            _ENGINES[digest] = engine
        return engine


def shouting_lowered(text: str) -> str:
    """A message typed in capitals, read as if in lower case: the tokenizer splits "wouldnt" but not
    "WOULDNT", so "HE HAD MY ID AND WOULDNT LET ME GO" would otherwise say nothing. Offsets stay the same."""
    letters = [c for c in text if c.isalpha()]
    lowered = text.lower()
    shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return lowered if shouting and len(lowered) == len(text) else text


def extract(text: str, patterns_path: Optional[Path] = None) -> List[Dict[str, Any]]:
    """Entities in `text` as [{"entity", "value", "start", "end"}]. No Rasa needed."""
    return get_engine(patterns_path).extract(text)
