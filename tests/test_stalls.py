"""One message must never stall the guide: the work of reading it (entity extraction, scrubbing)
grows no faster than its length, and what reaches spaCy is bounded.

These tests check the structure that makes the work linear (bounded repetition, bounded match
spans, bounded regular expressions, one scrubbing pass), not the time it takes: the figures are
measured by bench/bench_stall.py (bench/stall-results.json)."""

from __future__ import annotations

import sre_constants
import sre_parse

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import privacy
from bot.nlu import extractor as legal_entities
from bot.nlu.extractor import MAX_READ_CHARACTERS, MAX_RUN_CHARACTERS, PatternsError, extract, readable_part

SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Words the patterns repeat or chain: a hostile message made of them is the matcher's worst case.
PATTERN_WORDS = ["§", "§§", "sec", "sec.", "section", ".", "cgs", "conn.", "gen.", "stat.", "53a-82", "54", "-",
                 "95c", "18", "usc", "u.s.c.", "max", "maximum", "up", "to", "a", "the", "of", "prison", "carries",
                 "5", "years", "year", "i", "was", "16", "my", "conviction", "have", "march", "2021", "born", "in",
                 ",", "only", "age", "at", "old", "-", "class", "b", "felony"]
hostile_words = st.lists(st.sampled_from(PATTERN_WORDS), min_size=50, max_size=400)
hostile_text = st.one_of(hostile_words.map(" ".join), hostile_words.map("".join))


def test_no_pattern_repeats_without_bound():
    text = legal_entities.PATTERNS_PATH.read_text()
    ops = [token.get("OP") for entity in yaml.safe_load(text)["entities"].values() if entity
           for spec in entity.get("patterns") or [] for token in spec["pattern"]]
    assert "*" not in ops and "+" not in ops


def test_an_unbounded_repetition_is_refused_when_the_patterns_load():
    spec = {"entities": {"age": {"patterns": [
        {"normalize": "integer", "pattern": [{"LOWER": "i"}, {"LOWER": "was", "OP": "*"}, {"TEXT": "16"}]}]}}}
    with pytest.raises(PatternsError, match="unbounded"):
        legal_entities.LegalEntityEngine(spec=spec, digest="test")


@settings(max_examples=150, **SETTINGS)
@given(text=hostile_text)
def test_no_match_spans_more_tokens_than_the_longest_pattern(text):
    """The matcher keeps one partial match per pattern and start token, each at most as long as
    the pattern: with a bound on both, its work grows with the message, not its square."""
    engine = legal_entities.get_engine()
    doc = engine.nlp.make_doc(readable_part(text))
    bound = 24  # longer than any pattern with every optional token taken (13 today)
    assert all(end - start <= bound for _, start, end in engine.matcher(doc))


class NoAlignments:
    """Stands in for the engine's Matcher and refuses alignments: tracking them copies the
    matcher's state at every token of every partial match."""

    def __init__(self, matcher):
        self.matcher = matcher

    def __call__(self, doc, **options):
        assert not options.get("with_alignments"), "the extractor asked the matcher for alignments"
        return self.matcher(doc, **options)


@pytest.mark.parametrize("text, expected", [
    ("when i was 16 he made me", [("age", "16", "16")]),
    ("she was only sixteen", [("age", "16", "sixteen")]),
    ("it carries up to 5 years in prison", [("prison_years", "5", "5 years")]),
    ("i have a loitering conviction from 2016", [("offense", "loitering", "loitering"),
                                                 ("conviction", "convicted", "conviction"),
                                                 ("date", "2016", "2016")]),
])
def test_captured_tokens_are_found_without_the_matchers_alignments(monkeypatch, text, expected):
    engine = legal_entities.get_engine()
    monkeypatch.setattr(engine, "matcher", NoAlignments(engine.matcher))
    found = [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in engine.extract(text)]
    assert found == expected


@settings(max_examples=200, **SETTINGS)
@given(text=st.text(max_size=3000))
def test_what_reaches_spacy_is_bounded_and_keeps_every_offset(text):
    readable = readable_part(text)
    assert len(readable) == min(len(text), MAX_READ_CHARACTERS)
    assert all(len(run) <= MAX_RUN_CHARACTERS for run in readable.split())
    for entity in extract(text):
        assert 0 <= entity["start"] < entity["end"] <= MAX_READ_CHARACTERS


def test_a_long_run_of_symbols_gives_no_entity_and_the_words_around_it_are_read():
    text = "i was 16 " + "§" * 5000 + " it was for prostitution"
    assert [e["entity"] for e in extract(text)] == ["age"]  # the rest is beyond what is read
    text = "i was 16 " + "§" * 500 + " it was for prostitution"
    assert [e["entity"] for e in extract(text)] == ["age", "offense"]


# --- the scrubber ----------------------------------------------------------------------------------------

def unbounded_repeats(parsed) -> list:
    """The repetitions in a parsed regular expression without an upper bound."""
    found = []
    for op, argument in parsed:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, inner = argument
            if high == sre_constants.MAXREPEAT:
                found.append((op, low))
            found += unbounded_repeats(inner)
        elif op in (sre_constants.SUBPATTERN,):
            found += unbounded_repeats(argument[-1])
        elif op == sre_constants.BRANCH:
            for branch in argument[1]:
                found += unbounded_repeats(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found += unbounded_repeats(argument[1])
    return found


@pytest.mark.parametrize("placeholder, pattern", privacy.PATTERNS, ids=[p for p, _ in privacy.PATTERNS])
def test_every_identifier_pattern_has_bounded_repetition(placeholder, pattern):
    """With every repetition bounded, a match attempt from one position reads a bounded number of
    characters, so scrubbing is linear in the text (the e-mail pattern's `+` made 200 KB of "a"
    take minutes)."""
    assert unbounded_repeats(sre_parse.parse(pattern.pattern, pattern.flags)) == []


def test_a_user_message_is_scrubbed_in_one_pass(monkeypatch):
    calls = []
    original = privacy.identifier_spans

    def counting(text):
        calls.append(text)
        return original(text)

    monkeypatch.setattr(privacy, "identifier_spans", counting)
    text = "call me at 860-555-0123 about my prostitution conviction"
    event = {"event": "user", "text": text, "parse_data": {
        "text": text, "intent": {"name": "ask_vacatur"},
        "entities": [{"entity": "offense", "value": "prostitution", "start": 33, "end": 45}]},
        "metadata": {}}
    scrubbed = privacy.scrub_user_event(event)
    assert scrubbed["text"] == scrubbed["parse_data"]["text"] == "call me at [phone] about my prostitution conviction"
    assert calls.count(text) == 1 and len(calls) == 1  # the entity has its place in the words: not rescanned


def test_a_message_is_read_off_the_event_loop(monkeypatch):
    """Rasa read each message on the server's one event loop: every other request (GET / included)
    waited for it. The reading runs on a worker thread; the loop stays free."""
    import asyncio
    import threading
    from types import SimpleNamespace

    from bot import rasa_fixes

    threads = []

    def reading(processor, message, tracker, only_output_properties):
        threads.append(threading.current_thread().name)
        return {"text": message.text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}

    monkeypatch.setattr(rasa_fixes, "_original_parse_with_graph", reading)
    processor = SimpleNamespace(http_interpreter=None, _update_full_retrieval_intent=lambda data: None,
                                _check_for_unseen_features=lambda data: None)

    async def parse():
        loop_thread = threading.current_thread().name
        parsed = await rasa_fixes.parse_message(processor, SimpleNamespace(sender_id="someone", text="hi"))
        return loop_thread, parsed

    loop_thread, parsed = asyncio.run(parse())
    assert parsed["intent"]["name"] == "greet"
    assert threads and threads[0] != loop_thread and threads[0].startswith("nlu")
