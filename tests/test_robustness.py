"""Hostile messages through the REST and SMS channels (hypothesis): empty, 10,000 characters,
control characters, every Unicode plane, HTML/SQL/template injection, forged payloads and form
answers of the wrong type. Whatever arrives: no 5xx, always a reply (REST: a non-empty list of
messages, even for an empty text, which the guide answers, or 413 for a body over the server's
64 KiB; SMS: valid TwiML with at least one message, or 413 for a body larger than Twilio ever sends),
and nothing in any reply that looks like a stack trace or an exception's name."""

import json
import re
import urllib.parse
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.sms import MAX_WEBHOOK_BYTES
from bot.rasa_server import REQUEST_MAX_SIZE
from conversation_guide import new_phone, post_rest, post_sms, running_guide, twiml_texts

SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None)
LEAKS = re.compile(r"Traceback|File \"|line \d+, in |\b\w*(Error|Exception)\b|KeyError|NoneType|"
                   r"sqlalchemy|sqlite3|rasa\.|Internal Server Error|\{\{|\{%|\{[a-z_]+\}")

INJECTIONS = ["{{7*7}}", "${7*7}", "{% for x in range(3) %}x{% endfor %}", "{slot}", "{requested_slot}",
              "{determination}", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</Message></Response>",
              "'; DROP TABLE events; --", "\" OR 1=1 --", "%s%s%s%n", "../../etc/passwd", "\\x00", "[link](javascript:alert(1))",
              "/restart", "/session_start", "/delete_my_data{\"x\": 1}", "/inform{\"age\": [1, 2]}",
              "/inform{\"age\": -5}", "/inform{\"date\": 12}", "/inform{\"answer\": 5}", "/inform{\"statute\": 7}",
              "/inform{\"proceeding\": true}", "/inform{\"danger\": {}}", "/inform{\"conviction\": [\"x\"]}",
              "/inform{\"date\": \"31/02/2021\"}", "/inform{\"offense_class\": {\"a\": 1}}", "/inform{bad json",
              "/inform{\"role\": null}", "/affirm" * 50, "/nonexistent_intent", "@@@", "🙂" * 300]

plane_character = st.integers(0, 16).flatmap(
    lambda plane: st.integers(plane * 0x10000, plane * 0x10000 + 0xFFFF)).filter(
    lambda c: not 0xD800 <= c <= 0xDFFF).map(chr)
control = st.characters(max_codepoint=0x9F, whitelist_categories=("Cc",))
hostile_text = st.one_of(
    st.just(""),
    st.text(alphabet=st.sampled_from(" \t\n\r"), max_size=20),
    st.text(max_size=300),                                              # any text
    st.text(alphabet=plane_character, min_size=1, max_size=80),          # every Unicode plane
    st.text(alphabet=control, min_size=1, max_size=50),                  # control characters
    st.sampled_from(INJECTIONS),
    st.tuples(st.sampled_from(INJECTIONS), st.text(max_size=40)).map(" ".join),
    st.tuples(st.sampled_from(["a", "é", "🙂", "x ", "trafficking ", "convicted "]),
              st.one_of(st.just(10_000), st.integers(1, 2_000))).map(
        lambda pair: (pair[0] * pair[1])[:10_000]),                      # long, up to 10,000 characters
)
# A message that sets up a form, so the hostile text arrives as a form answer of the wrong type.
openers = st.sampled_from([None, "/ask_vacatur", "/ask_affirmative_defense", "/ask_compelled_testimony",
                           "i have a record from when i was being trafficked can they erase it"])


FAILED_TURN = re.compile(r"problem on our side|went wrong on our side")  # the guide's apologies for a failed turn


def assert_clean(text):
    assert not LEAKS.search(text), f"a reply looks like an internal error: {text[:300]!r}"
    assert not FAILED_TURN.search(text), f"the turn failed inside the guide: {text[:300]!r}"


@pytest.fixture(scope="module")
def guide():
    return running_guide()


def rest_turn(guide, sender, text):
    status, raw = post_rest(guide, sender, text)
    assert status < 500, (status, raw[:300])
    if len(json.dumps({"sender": sender, "message": text}).encode()) > REQUEST_MAX_SIZE:
        assert status == 413, (status, raw[:300])  # the server's limit for any request: refused unread
        return []
    assert status == 200, (status, raw[:300])
    messages = json.loads(raw)
    assert isinstance(messages, list) and messages, f"no reply to {text[:80]!r}"
    for message in messages:
        assert isinstance(message, dict)
        assert_clean(json.dumps(message, ensure_ascii=False))
    return messages


@settings(max_examples=400, **SETTINGS)
@given(text=hostile_text)
def test_rest_answers_any_message_in_a_new_conversation(guide, text):
    rest_turn(guide, "robust-" + uuid.uuid4().hex, text)


@settings(max_examples=150, **SETTINGS)
@given(opener=openers, answers=st.lists(hostile_text, min_size=1, max_size=3))
def test_rest_answers_hostile_form_answers(guide, opener, answers):
    sender = "robust-" + uuid.uuid4().hex
    if opener:
        rest_turn(guide, sender, opener)
        if opener != "/ask_vacatur" and not opener.startswith("i have"):
            rest_turn(guide, sender, "/affirm")  # Continue, after the notice
    for answer in answers:
        rest_turn(guide, sender, answer)


def sms_turn(guide, phone, text):
    status, content_type, raw = post_sms(guide, phone, text)
    assert status < 500, (status, raw[:300])
    if sms_body_bytes(phone, text) > MAX_WEBHOOK_BYTES:  # far beyond Twilio's 1,600 characters
        assert status == 413, (status, raw[:300])
        return []
    assert status == 200, (status, raw[:300])
    assert "xml" in content_type
    texts = twiml_texts(raw)
    assert texts and all(t.strip() for t in texts), f"no reply to {text[:80]!r}: {raw[:200]}"
    for reply in texts:
        assert_clean(reply)
    return texts


def sms_body_bytes(phone, text):
    return len(urllib.parse.urlencode({"From": phone, "To": "+18605550100", "Body": text, "MessageSid": "SM" + "0" * 32,
                                       "AccountSid": "AC" + "0" * 32, "NumMedia": "0"}).encode())


sms_text = hostile_text.filter(lambda t: not re.fullmatch(r"\s*(stop|stopall|unsubscribe|cancel|end|quit)[\s.!]*",
                                                            t, re.I))


@settings(max_examples=400, **SETTINGS)
@given(text=sms_text)
def test_sms_answers_any_message_with_valid_twiml(guide, text):
    sms_turn(guide, new_phone(), text)


@settings(max_examples=120, **SETTINGS)
@given(opener=openers, answers=st.lists(sms_text, min_size=1, max_size=3))
def test_sms_answers_hostile_form_answers(guide, opener, answers):
    phone = new_phone()
    if opener:
        sms_turn(guide, phone, opener)
        if opener != "/ask_vacatur" and not opener.startswith("i have"):
            sms_turn(guide, phone, "1")  # Continue, after the notice
    for answer in answers:
        sms_turn(guide, phone, answer)


# --- Regressions this test found: forged payloads with non-numbers crashed the form's validation,
# and a lone surrogate crashed the entity extractor; both got no reply.

FORGED_NUMBER_ANSWERS = [
    ("/ask_affirmative_defense", '/inform{"age": "abc"}'),
    ("/ask_affirmative_defense", '/inform{"age": 1e309}'),
    ("/ask_affirmative_defense", '/affirm{"age": "x"}'),
    ("/ask_vacatur", '/inform{"prison_years": "x"}'),
]


@pytest.mark.parametrize("opener, answer", FORGED_NUMBER_ANSWERS)
def test_a_forged_non_numeric_answer_gets_a_reply(guide, opener, answer):
    sender = "robust-" + uuid.uuid4().hex
    rest_turn(guide, sender, opener)
    if opener == "/ask_affirmative_defense":
        rest_turn(guide, sender, "/affirm")
    rest_turn(guide, sender, answer)


def test_a_lone_surrogate_gets_a_reply(guide):
    sender = "robust-" + uuid.uuid4().hex
    rest_turn(guide, sender, "hi")
    rest_turn(guide, sender, "\ud800abc")
