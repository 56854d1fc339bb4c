"""No internals, ever: every reply the guide can produce reads as words for a person, never as the
engine's field names, outcome codes, JSON or the law data's status names.

Rendered here: each legal case of tests/cases/ through every chat rendering of an answer (the
answer, "why?", next steps, the summary for a lawyer in full and by SMS), every response in the
domain, and the error path of an answer that contradicts an earlier one."""

import asyncio
import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.render import answer_messages, lawyer_summary, next_steps_message, why_messages
from actions.screening import ValidateVacaturForm
from rules import TOPICS, evaluate, facts_of, load_library

ROOT = Path(__file__).resolve().parents[1]
# A snake_case word (a fact or an outcome), braces or JSON, a dotted field path, a status name.
INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|[{}]|\bfacts\.[a-z]|\b(PARTLY|VERIFIED|UNVERIFIED|None|null|True|False)\b")
ENGINE_WORDS = {f.name for topic in TOPICS for f in facts_of(topic)} | {o for t in TOPICS.values() for o in t.outcomes}


def internals_in(text: str):
    return [m.group(0) for m in INTERNAL.finditer(text)]


def legal_cases():
    for path in sorted((ROOT / "tests" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()):
            yield pytest.param(case, id=f"{path.stem}: {case['name'][:60]}")


@pytest.mark.parametrize("case", list(legal_cases()))
def test_every_rendering_of_every_answer_is_in_words(case):
    determination = evaluate(case["topic"], case.get("facts") or {}, case.get("as_of"), case.get("edition", "current"))
    label = load_library().editions[determination.edition]["label"]
    rendered = answer_messages(determination, label) + why_messages(determination, label)
    rendered.append(next_steps_message(determination))
    if determination.topic in ("vacatur", "affirmative_defense", "compelled_testimony"):
        rendered += [lawyer_summary(determination, []), lawyer_summary(determination, [], compact=True)]
    for text in rendered:
        assert not internals_in(text), (internals_in(text), text)


def test_every_response_in_the_domain_is_in_words():
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()).get("responses") or {}).items():
            for variant in variants:
                text = variant.get("text", "").replace("{{", "").replace("}}", "")
                words = [w for w in internals_in(text) if w in ENGINE_WORDS or not w.startswith("utter")]
                assert not words, (name, words)
                for button in variant.get("buttons") or []:
                    assert not internals_in(button["title"]), (name, button["title"])


def test_an_answer_that_contradicts_an_earlier_one_is_asked_again_in_words():
    slots = {name: None for name in ("convicted", "court", "offense_statute", "offense", "offense_class",
                                     "max_prison_years", "trafficking_victim", "forced_tricked_or_coerced",
                                     "sold_for_sex", "minor_induced_into_sex", "conviction_date",
                                     "has_prostitution_conviction", "skipped_facts", "unusable_answers",
                                     "offense_words", "requested_slot")}
    slots.update({"convicted": True, "offense_statute": "53a-192a", "requested_slot": "offense_class"})
    tracker = Tracker(sender_id="t", slots=slots, events=[], paused=False, followup_action=None,
                      latest_message={"intent": {"name": "inform", "confidence": 1.0}, "text": "a misdemeanor",
                                      "entities": [{"entity": "offense_class", "value": "misdemeanor"}]},
                      active_loop={"name": "vacatur_form"}, latest_action_name="action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ValidateVacaturForm().run(dispatcher, tracker, {}))
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "doesn't fit with what you told me before about the class of the offense" in said
    assert not internals_in(said), said
