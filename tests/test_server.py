"""The running guide, as a person meets it over the REST channel: the Rasa server and the action
server as `rightsguide serve` starts them, on a scratch SQLite tracker store."""

import json
import sqlite3
import urllib.error
import urllib.request
import uuid

import pytest

from bot.server import latest_model, send, start_servers, stop_servers

PORT, ACTIONS_PORT = 5405, 5455
TOKEN = uuid.uuid4().hex


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    if latest_model() is None:
        pytest.fail("no trained model: `make test` trains one before the tests run")
    scratch = tmp_path_factory.mktemp("guide")
    database = scratch / "conversations.db"
    processes = start_servers(PORT, ACTIONS_PORT, log_dir=scratch, extra_env={
        "RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{database}", "RASA_AUTH_TOKEN": TOKEN})
    yield {"database": database, "logs": scratch}
    stop_servers(processes)


def talk(*messages):
    sender = uuid.uuid4().hex
    return sender, [send(PORT, sender, m) for m in messages]


def said(replies):
    return " ".join(r.get("text", "") for r in replies)


def test_a_survivor_asks_in_her_own_words_and_gets_a_cited_answer(guide):
    _, turns = talk("hi i have a prostitution charge from 2018 when my bf was selling me. can it go away",
                    "/affirm", "yes")
    first = said(turns[0])
    assert "not a lawyer" in first and "911" in first  # the first reply says what this is, and the way out
    assert "convicted" in first
    assert "Connecticut adult court" in said(turns[1])  # convicted: but where? (54-95c is Connecticut's)
    # Prostitution needs no class question, and "my bf was selling me" already answers the trafficking one.
    assert "must vacate" in said(turns[2]) and "CGS 54-95c(a), (d)(1)" in said(turns[2])


def test_an_advocate_gets_the_outcome_and_the_reasons(guide):
    _, turns = talk("client has a class B felony larceny conviction from 2019, trafficked at the time. vacatur?",
                    "why?")
    # A class B felony decides it: no question is needed before the answer.
    assert "cannot be vacated" in said(turns[0]) and "CGS 54-95c(a)" in said(turns[0])
    assert "class A and class B felonies" in said(turns[1])


def test_an_emergency_mid_form_comes_first_then_the_question_again(guide):
    _, turns = talk("can a conviction be vacated", "he is outside my door right now i'm scared")
    reply = said(turns[1])
    assert "911" in reply and "1-888-373-7888" in reply and "233733" in reply
    assert reply.index("911") < reply.index("convicted")


def test_a_teenager_hears_who_can_be_told_before_sharing_details(guide):
    _, turns = talk("they say i trafficked my friend but i was 16 and he was doing it to me too")
    reply = said(turns[0])
    assert "1-800-842-2288" in reply and "report" in reply


def test_informational_questions_are_answered_from_the_law_data(guide):
    _, turns = talk("what counts as trafficking in ct", "how often do cops have to do trafficking training")
    assert "CGS 53a-192a(a)" in said(turns[0])
    assert "every 3 years" in said(turns[1]) and "CGS 17a-106h" in said(turns[1])


def test_delete_erases_the_conversation_and_the_next_message_starts_afresh(guide):
    sender, turns = talk("can a conviction be vacated", "/affirm")
    with sqlite3.connect(guide["database"]) as db:
        assert db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0] > 0
    reply = send(PORT, sender, "please delete everything i said")
    assert "erased" in said(reply)
    with sqlite3.connect(guide["database"]) as db:
        assert db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0] == 0
    again = send(PORT, sender, "hi")
    assert "not a lawyer" in said(again)


def test_a_long_conversation_keeps_its_place_across_session_boundaries(guide):
    sender = uuid.uuid4().hex
    for _ in range(12):
        send(PORT, sender, "what counts as trafficking")
    send(PORT, sender, "i want to clear a prostitution conviction from adult court")
    send(PORT, sender, "yes")  # convicted
    answer = said(send(PORT, sender, "yes"))  # forced, tricked or pressured: yes
    assert "must vacate" in answer
    assert "54-95c(d)(1)" in said(send(PORT, sender, "why?"))
    with sqlite3.connect(guide["database"]) as db:
        sessions = db.execute("select count(*) from events where sender_id = ? and type_name = 'session_started'",
                              (sender,)).fetchone()[0]
    assert sessions >= 2


def test_no_message_text_reaches_the_logs_at_the_default_level(guide):
    marker = "zebracorn" + uuid.uuid4().hex[:6]
    talk(f"hi {marker} i was convicted of prostitution", f"yes {marker}", f"{marker} not sure")
    for log in guide["logs"].glob("*.log"):
        assert marker not in log.read_text(errors="replace"), log.name


def test_the_http_api_needs_the_token(guide):
    sender, _ = talk("hi")
    url = f"http://127.0.0.1:{PORT}/conversations/{sender}/tracker"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 401
    with urllib.request.urlopen(f"{url}?token={TOKEN}", timeout=10) as response:
        assert json.loads(response.read())["sender_id"] == sender


def test_sms_is_off_until_it_is_configured(guide):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/webhooks/sms/webhook", data=b"Body=hi", method="POST")
    with pytest.raises(urllib.error.HTTPError) as off:
        urllib.request.urlopen(request, timeout=10)
    assert off.value.code == 503
