"""The running guide, as a person meets it over the REST channel: the Rasa server and the action
server as `rightsguide serve` starts them, on a scratch SQLite tracker store."""

import json
import sqlite3
from pathlib import Path
import urllib.error
import urllib.request
import uuid

import pytest

from bot.server import DEVELOPMENT_CREDENTIALS, ROOT, latest_model, send, start_servers, stop_servers

PORT, ACTIONS_PORT = 5405, 5455
TOKEN = uuid.uuid4().hex


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    if latest_model() is None:
        pytest.fail("no trained model: `make test` trains one before the tests run")
    scratch = tmp_path_factory.mktemp("guide")
    database = scratch / "conversations.db"
    processes = start_servers(PORT, ACTIONS_PORT, log_dir=scratch, credentials=DEVELOPMENT_CREDENTIALS, extra_env={
        "RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{database}", "RASA_AUTH_TOKEN": TOKEN,
        "RIGHTSGUIDE_ALLOWED_HOSTS": "guide.example.org"})
    yield {"database": database, "logs": scratch, "processes": processes}
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
    send(PORT, sender, "i want to clear a prostitution conviction from adult court")  # convicted, CT adult court
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


# --- what a web page or a stranger can reach (issue 13) ----------------------------------------------------

def request(path, data=None, headers=None, method=None):
    """(status, body) of a request to the running guide."""
    call = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(call, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_auth_token_is_never_on_a_command_line(guide):
    for process in guide["processes"]:
        command_line = (Path("/proc") / str(process.pid) / "cmdline").read_bytes()
        assert TOKEN.encode() not in command_line


def test_only_the_hosts_the_guide_serves_are_answered(guide):
    """A page on a domain rebound to the guide's address sends its own name as Host."""
    assert request("/", headers={"Host": "attacker.example"})[0] == 400
    assert request(f"/conversations/x/tracker?token={TOKEN}", headers={"Host": "attacker.example:5405"})[0] == 400
    assert request("/", headers={"Host": f"127.0.0.1:{PORT}"})[0] == 200
    assert request("/", headers={"Host": "localhost"})[0] == 200
    assert request("/", headers={"Host": "guide.example.org"})[0] == 200  # RIGHTSGUIDE_ALLOWED_HOSTS
    assert request("/", headers={"Host": "10.1.2.3:5005"})[0] == 200  # a health check by address


def test_a_post_that_is_not_json_is_refused(guide):
    """A web page can post text/plain or a form to any origin without asking; JSON needs CORS's consent."""
    sender = uuid.uuid4().hex
    form = json.dumps({"sender": sender, "message": "hi"}).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        assert request("/webhooks/rest/webhook", form, {"Content-Type": content_type})[0] == 415
        status, _ = request(f"/conversations/{sender}/messages?token={TOKEN}",
                            json.dumps({"text": "hi", "sender": "user"}).encode(), {"Content-Type": content_type})
        assert status == 415
    with sqlite3.connect(guide["database"]) as db:
        assert db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0] == 0


def test_a_body_over_64_kib_is_refused(guide):
    body = json.dumps({"sender": uuid.uuid4().hex, "message": "a" * 70_000}).encode()
    assert request("/webhooks/rest/webhook", body, {"Content-Type": "application/json"})[0] == 413


def test_a_rest_message_longer_than_a_person_types_gets_a_polite_reply(guide):
    sender, turns = talk("i was trafficked " * 70)  # 1,190 characters
    assert said(turns[0]) == "That message is too long for me to read. Could you say it in a few sentences?"
    with sqlite3.connect(guide["database"]) as db:
        assert db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0] == 0


def test_production_credentials_have_no_rest_channel():
    import yaml

    channels = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "rest" not in channels and not any(name.endswith("RestInput") for name in channels)
    assert "bot.channels.rest.LocalRestInput" in yaml.safe_load(DEVELOPMENT_CREDENTIALS.read_text())


def test_a_rest_channel_off_loopback_is_refused_at_start(tmp_path):
    import subprocess
    import sys

    from bot.server import server_environment

    env = server_environment(9, {"RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    result = subprocess.run([sys.executable, "-m", "bot.rasa_server", "--model", str(latest_model()), "--port", "5497",
                             "--interface", "0.0.0.0", "--credentials", str(DEVELOPMENT_CREDENTIALS)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 2
    assert "REST channel" in result.stderr and "loopback" in result.stderr
