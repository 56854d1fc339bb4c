"""Retention: `purge` erases conversations idle longer than the cutoff (events and SMS rows, an
opt-out stays), one transaction each, never a conversation in progress; delete_my_data erases
the tracker store and the SMS tables alike; anonymous counts survive both."""

import asyncio
import datetime as dt
import json
import sqlite3
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.sms_store import SMSStore
from bot.retention import parse_duration, purge, purge_command
from bot.stores import ErasableSQLTrackerStore

DAY = 86400
DOMAIN = Domain.load("bot/domain")


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    monkeypatch.setenv("RIGHTSGUIDE_DATABASE_URL", url)
    store = ErasableSQLTrackerStore(domain=DOMAIN, url=url)
    return {"url": url, "path": tmp_path / "conversations.db", "store": store, "sms": SMSStore(url=url)}


def converse(store, sender, at, determination=True, erase=False):
    events = [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
              ActionExecuted("action_listen", timestamp=at),
              UserUttered("can my conviction be vacated", intent={"name": "ask_vacatur", "confidence": 1.0},
                          input_channel="sms", timestamp=at + 1),
              SlotSet("screening_topic", "vacatur", timestamp=at + 2)]
    if determination:
        events.append(SlotSet("determination", json.dumps({"topic": "vacatur", "outcome": "must_vacate_if_proven"}),
                              timestamp=at + 3))
    if erase:
        events += [ActionExecuted("action_listen", timestamp=at + 4),
                   UserUttered("delete everything", intent={"name": "delete_my_data", "confidence": 1.0},
                               timestamp=at + 5),
                   ActionExecuted("action_delete_my_data", timestamp=at + 6)]
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))


def count(path, sql, *args):
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, args).fetchone()[0]


def sms_rows(db, sender):
    return (count(db["path"], "select count(*) from sms_conversations where conversation_id = ?", sender)
            + count(db["path"], "select count(*) from sms_processed_messages where conversation_id = ?", sender))


def with_sms(db, sender, opted_out=False):
    db["sms"].save_state(sender, [{"title": "Yes", "payload": "/affirm"}], [])
    db["sms"].remember(f"sid-{sender}", sender, ["an answer"])
    if opted_out:
        db["sms"].opt_out(sender)


@pytest.mark.parametrize("text, expected", [("30d", dt.timedelta(days=30)), ("12h", dt.timedelta(hours=12)),
                                            ("2w", dt.timedelta(weeks=2)), ("45", dt.timedelta(days=45)),
                                            ("90m", dt.timedelta(minutes=90))])
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "d", "30x", "-3d", "0d", "thirty days"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_purge_erases_idle_conversations_whole_and_keeps_recent_ones_opt_outs_and_counts(db):
    now = time.time()
    converse(db["store"], "old-1", now - 40 * DAY)
    converse(db["store"], "old-2", now - 31 * DAY)
    converse(db["store"], "recent", now - 2 * DAY)
    converse(db["store"], "long-but-active", now - 60 * DAY)
    converse(db["store"], "long-but-active", now - 60, determination=False)  # a message a minute ago
    for sender in ("old-1", "old-2", "recent"):
        with_sms(db, sender, opted_out=sender == "old-1")
    counted = count(db["path"], "select sum(count) from anonymous_counts")

    assert purge(dt.timedelta(days=30), now=now) == 2
    assert count(db["path"], "select count(*) from events where sender_id in ('old-1', 'old-2')") == 0
    assert sms_rows(db, "old-1") == sms_rows(db, "old-2") == 0
    assert db["sms"].opted_out_at("old-1") is not None  # STOP still holds
    assert count(db["path"], "select count(*) from events where sender_id = 'recent'") > 0 and sms_rows(db, "recent") == 2
    # In progress: nothing of it is deleted, not even its old session.
    assert count(db["path"], "select min(timestamp) from events where sender_id = 'long-but-active'") < now - 59 * DAY
    assert count(db["path"], "select sum(count) from anonymous_counts") == counted  # the counts survive
    assert purge(dt.timedelta(days=30), now=now) == 0


def test_a_conversation_that_moves_on_after_the_listing_is_not_touched(db, monkeypatch):
    """The check and the delete are one statement: a turn stored between listing the idle
    conversations and erasing them keeps the whole conversation."""
    import bot.retention as retention

    now = time.time()
    converse(db["store"], "wakes-up", now - 40 * DAY)
    erase = retention.erase_conversation

    def a_message_arrives_first(engine, sender_id, idle_before=None, **options):
        converse(db["store"], sender_id, now - 5, determination=False)
        return erase(engine, sender_id, idle_before=idle_before, **options)

    monkeypatch.setattr(retention, "erase_conversation", a_message_arrives_first)
    before = count(db["path"], "select count(*) from events where sender_id = 'wakes-up'")
    assert purge(dt.timedelta(days=30), now=now) == 0
    assert count(db["path"], "select count(*) from events where sender_id = 'wakes-up'") > before


def test_a_failure_mid_conversation_leaves_all_its_rows(db, monkeypatch):
    from bot.channels import sms_store

    now = time.time()
    converse(db["store"], "old", now - 40 * DAY)
    with_sms(db, "old")
    events = count(db["path"], "select count(*) from events where sender_id = 'old'")
    monkeypatch.setattr(sms_store, "conversations", None)  # the SMS delete fails after the events delete
    with pytest.raises(Exception):
        purge(dt.timedelta(days=30), now=now)
    assert count(db["path"], "select count(*) from events where sender_id = 'old'") == events
    assert sms_rows(db, "old") == 2


def test_delete_my_data_erases_the_tracker_and_the_sms_rows_but_not_the_opt_out_or_the_counts(db):
    now = time.time()
    converse(db["store"], "asks-to-forget", now - 60)
    with_sms(db, "asks-to-forget", opted_out=True)
    counted = count(db["path"], "select sum(count) from anonymous_counts")
    converse(db["store"], "asks-to-forget", now, determination=False, erase=True)
    assert count(db["path"], "select count(*) from events where sender_id = 'asks-to-forget'") == 0
    assert sms_rows(db, "asks-to-forget") == 0
    assert db["sms"].opted_out_at("asks-to-forget") is not None
    assert count(db["path"], "select sum(count) from anonymous_counts") == counted


def test_the_purge_command_prints_how_many_and_refuses_a_bad_duration(db, capsys, monkeypatch):
    converse(db["store"], "old", time.time() - 40 * DAY)
    assert purge_command("30d") == 0
    assert capsys.readouterr().out.strip() == "Removed 1 conversation idle for more than 30 days."
    assert purge_command("soon") == 2
    assert "--older-than" in capsys.readouterr().err
    monkeypatch.setenv("RIGHTSGUIDE_RETENTION_DAYS", "7")
    converse(db["store"], "a-week-ago", time.time() - 8 * DAY)
    assert purge_command(None) == 0
    assert "Removed 1 conversation idle for more than 1 week." in capsys.readouterr().out


def test_the_purge_command_names_the_setting_when_the_database_is_unreachable(monkeypatch, capsys):
    monkeypatch.setenv("RIGHTSGUIDE_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none")
    started = time.monotonic()
    assert purge_command("30d") == 1
    assert time.monotonic() - started < 10
    assert "RIGHTSGUIDE_DATABASE_URL" in capsys.readouterr().err
