"""The guide survives what a deployment meets: the Rasa server killed in the middle of a form, the
action server down, and an endpoints file that names a tracker store that does not exist."""

import os
import signal
import sqlite3
import subprocess
import time
import uuid

import pytest

from bot.server import (DEVELOPMENT_CREDENTIALS, ROOT, latest_model, send, server_environment, start_actions,
                        start_rasa, stop_servers)

PORT, ACTIONS_PORT = 5905, 5955
OPENING, ANSWER = "can a conviction be vacated", "/affirm"


def texts(replies):
    return [r.get("text") for r in replies]


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    if latest_model() is None:
        pytest.fail("no trained model: `make test` trains one before the tests run")
    scratch = tmp_path_factory.mktemp("resilience")
    database = scratch / "conversations.db"
    env = server_environment(ACTIONS_PORT, {"RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{database}",
                                            "RIGHTSGUIDE_ACTION_RETRY_SECONDS": "1"})
    state = {"env": env, "logs": scratch, "database": database}
    state["actions"] = start_actions(ACTIONS_PORT, env, scratch)
    state["rasa"] = start_rasa(PORT, env, latest_model(), log_dir=scratch, credentials=DEVELOPMENT_CREDENTIALS)
    # What the guide says when nothing goes wrong: the opening, then the answer to its first question.
    control = uuid.uuid4().hex
    state["control"] = [texts(send(PORT, control, OPENING)), texts(send(PORT, control, ANSWER))]
    yield state
    stop_servers([state["rasa"], state["actions"]])


def user_messages(database, sender):
    with sqlite3.connect(database) as db:
        rows = db.execute("select data from events where sender_id = ? and type_name = 'user' order by id",
                          (sender,)).fetchall()
    import json
    return [json.loads(data)["text"] for (data,) in rows]


def test_killed_in_the_middle_of_a_form_the_conversation_continues_after_a_restart(guide):
    sender = uuid.uuid4().hex
    assert texts(send(PORT, sender, OPENING)) == guide["control"][0]
    rasa = guide["rasa"]
    os.kill(rasa.pid, signal.SIGKILL)
    rasa.wait(timeout=10)
    started = time.monotonic()
    guide["rasa"] = start_rasa(PORT, guide["env"], latest_model(), log_dir=guide["logs"],
                               credentials=DEVELOPMENT_CREDENTIALS)
    print(f"\nRasa server restarted in {time.monotonic() - started:.1f} s")
    assert texts(send(PORT, sender, ANSWER)) == guide["control"][1]  # the form's next step, not a new start
    assert user_messages(guide["database"], sender) == [OPENING, ANSWER]


def test_with_the_action_server_down_the_person_gets_an_apology_and_the_turn_is_kept(guide):
    sender = uuid.uuid4().hex
    assert texts(send(PORT, sender, OPENING)) == guide["control"][0]
    log = guide["logs"] / "rasa.log"
    log_before = log.stat().st_size
    stop_servers([guide["actions"]])
    try:
        replies = send(PORT, sender, ANSWER)
        newcomer = uuid.uuid4().hex  # a first message: the custom session start cannot run either
        first = " ".join(t or "" for t in texts(send(PORT, newcomer, OPENING)))
    finally:
        guide["actions"] = start_actions(ACTIONS_PORT, guide["env"], guide["logs"])
    said = " ".join(t or "" for t in texts(replies))
    assert len(replies) == 1 and "911" in said and "1-888-373-7888" in said, replies
    assert len(said) < 300 and not any(w in said for w in ("Traceback", "Error", "Exception", "webhook"))
    with open(log, "rb") as handle:
        handle.seek(log_before)
        assert b"Traceback" not in handle.read()  # one line in the log, not a stack trace
    assert user_messages(guide["database"], sender) == [OPENING, ANSWER]  # the message was kept
    assert "1-888-373-7888" in first and user_messages(guide["database"], newcomer) == [OPENING]
    # The action server is back: the same answer continues the form where it was.
    assert texts(send(PORT, sender, ANSWER)) == guide["control"][1]
    assert user_messages(guide["database"], sender) == [OPENING, ANSWER, ANSWER]


@pytest.mark.parametrize("setting, good, bad", [
    ("tracker_store", "type: bot.stores.ErasableSQLTrackerStore", "type: bot.stores.ErasableSQLTrackerStor"),
    ("tracker_store", "type: bot.stores.ErasableSQLTrackerStore", "type: sqll"),
    ("tracker_store", "type: bot.stores.ErasableSQLTrackerStore", "type: bot.storez.ErasableSQLTrackerStore"),
])
def test_a_misspelled_store_type_refuses_to_start(tmp_path, setting, good, bad):
    endpoints = tmp_path / "endpoints.yml"
    text = (ROOT / "endpoints.yml").read_text()
    assert good in text
    endpoints.write_text(text.replace(good, bad))
    started = time.monotonic()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "rightsguide"), "serve", "--port", "5906",
                             "--actions-port", "5956"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "RIGHTSGUIDE_ENDPOINTS": str(endpoints)})
    assert result.returncode != 0
    assert f"{setting}.type" in result.stderr and str(endpoints) in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60  # refused before any server started


def test_a_misspelled_lock_store_type_is_refused_too(tmp_path):
    from bot.server import ConfigurationError, check_endpoints
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text((ROOT / "deploy" / "endpoints-replicas.yml").read_text()
                         .replace("bot.lock_store.AtomicRedisLockStore", "bot.lock_store.AtomicRedisLockStor"))
    with pytest.raises(ConfigurationError, match=r"lock_store\.type 'bot\.lock_store\.AtomicRedisLockStor'"):
        check_endpoints(endpoints)
    check_endpoints(ROOT / "deploy" / "endpoints-replicas.yml")  # the real ones pass
    check_endpoints(ROOT / "endpoints.yml")
