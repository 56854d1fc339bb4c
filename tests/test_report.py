"""The anonymous report: counts per week of conversations, topics and outcomes, written by the
store at save time with no text, no conversation id and no time finer than the week."""

import asyncio
import csv
import datetime as dt
import io
import json
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine

from bot import report as anonymous
from bot.report import as_csv, as_png, as_text, report, report_command
from bot.retention import purge
from bot.stores import ErasableSQLTrackerStore

DOMAIN = Domain.load("bot/domain")
MONDAY = dt.datetime(2026, 11, 2, 12, tzinfo=dt.timezone.utc).timestamp()  # Monday Nov 2, 2026
DAY = 86400


def turn(store, sender, at, text, intent, *events, channel="rest", new_session=False):
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    batch = [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at)] if new_session else []
    batch += [ActionExecuted("action_listen", timestamp=at),
              UserUttered(text, intent={"name": intent, "confidence": 1.0}, input_channel=channel, timestamp=at + 1)]
    batch += list(events)
    for event in batch:
        tracker.update(event)
    asyncio.run(store.save(tracker))


def determination(topic, outcome, at):
    return SlotSet("determination", json.dumps({"topic": topic, "outcome": outcome, "summary": "x"}), timestamp=at)


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    monkeypatch.setenv("RIGHTSGUIDE_DATABASE_URL", url)
    store = ErasableSQLTrackerStore(domain=DOMAIN, url=url)
    store.path = tmp_path / "conversations.db"
    # Week 1: two conversations on the web (one asks a question, one gets a vacatur answer), one by SMS.
    turn(store, "a", MONDAY, "my phone is 860-555-0123, can my conviction go away", "ask_vacatur",
         SlotSet("screening_topic", "vacatur", timestamp=MONDAY + 2), new_session=True)
    turn(store, "a", MONDAY + 60, "yes", "affirm", SlotSet("screening_topic", "vacatur", timestamp=MONDAY + 62),
         determination("vacatur", "must_vacate_if_proven", MONDAY + 63))
    turn(store, "b", MONDAY + DAY, "what counts as trafficking", "ask_trafficking_definition",
         ActionExecuted("action_answer_topic", timestamp=MONDAY + DAY + 2), new_session=True)
    turn(store, "c", MONDAY + 2 * DAY, "16 and charged", "ask_affirmative_defense",
         SlotSet("screening_topic", "affirmative_defense", timestamp=MONDAY + 2 * DAY + 2),
         determination("affirmative_defense", "available", MONDAY + 2 * DAY + 3), channel="sms", new_session=True)
    # Week 2: one conversation, a class B felony; the store's own session folding must not count twice.
    turn(store, "d", MONDAY + 8 * DAY, "class B felony", "ask_vacatur",
         SlotSet("screening_topic", "vacatur", timestamp=MONDAY + 8 * DAY + 2),
         determination("vacatur", "not_eligible", MONDAY + 8 * DAY + 3), new_session=True)
    store.start_new_session(asyncio.run(store.retrieve("d")))  # carries the slots over: not a new ask
    turn(store, "d", MONDAY + 8 * DAY + 60, "why?", "ask_why")
    return store


def test_the_table_holds_counters_only(store):
    """One counter per week, channel, kind, topic and outcome: no row per event whose order could date
    an erased conversation's outcome."""
    with sqlite3.connect(store.path) as db:
        columns = [row[1] for row in db.execute("pragma table_info(anonymous_counts)")]
        rows = db.execute("select week, channel, kind, topic, outcome, count from anonymous_counts "
                          "order by week, channel, kind, topic, outcome").fetchall()
        tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    assert columns == ["id", "week", "channel", "kind", "topic", "outcome", "count"]
    assert "anonymous_events" not in tables
    assert rows == [
        ("2026-11-02", "rest", "conversation_started", "", "", 2),
        ("2026-11-02", "rest", "determination", "vacatur", "must_vacate_if_proven", 1),
        ("2026-11-02", "rest", "topic_asked", "definition", "", 1),
        ("2026-11-02", "rest", "topic_asked", "vacatur", "", 1),
        ("2026-11-02", "sms", "conversation_started", "", "", 1),
        ("2026-11-02", "sms", "determination", "affirmative_defense", "available", 1),
        ("2026-11-02", "sms", "topic_asked", "affirmative_defense", "", 1),
        ("2026-11-09", "rest", "conversation_started", "", "", 1),
        ("2026-11-09", "rest", "determination", "vacatur", "not_eligible", 1),
        ("2026-11-09", "rest", "topic_asked", "vacatur", "", 1),
    ]


def test_a_channel_name_the_guide_does_not_have_is_counted_as_other(store):
    turn(store, "e", MONDAY + 9 * DAY, "hi", "greet", channel="'; drop table events; --", new_session=True)
    turn(store, "f", MONDAY + 9 * DAY, "hi", "greet", channel="webchat", new_session=True)
    channels = {r["channel"] for r in report() if r["kind"] == "conversation_started"}
    assert channels == {"rest", "sms", "webchat", "other"}


def test_report_groups_by_week_and_since_filters(store):
    rows = report()
    assert {(r["week"], r["kind"], r["topic"], r["outcome"], r["count"]) for r in rows if r["kind"] == "determination"} == {
        (dt.date(2026, 11, 2), "determination", "vacatur", "must_vacate_if_proven", 1),
        (dt.date(2026, 11, 2), "determination", "affirmative_defense", "available", 1),
        (dt.date(2026, 11, 9), "determination", "vacatur", "not_eligible", 1)}
    assert sum(r["count"] for r in rows if r["kind"] == "conversation_started" and r["week"] == dt.date(2026, 11, 2)) == 3
    assert {r["week"] for r in report(dt.date(2026, 11, 11))} == {dt.date(2026, 11, 9)}  # any day picks its week


def test_text_and_csv_show_no_count_under_5(store):
    text = as_text(report())
    assert "Week of 2026-11-02" in text and "Week of 2026-11-09" in text
    assert "conversations started      <5   by channel: rest <5, sms <5" in text
    assert "Total: <5 conversations, <5 topics asked, <5 determinations over 2 week(s)." in text
    table = list(csv.DictReader(io.StringIO(as_csv(report()))))
    assert table[0].keys() == {"week", "channel", "kind", "topic", "outcome", "count"}
    assert {r["count"] for r in table} == {"<5"}
    for output in (text, as_csv(report())):
        assert "555" not in output and "trafficking" not in output.replace("trafficking rights", "")


def test_a_total_that_includes_a_hidden_count_is_rounded_down(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'counts.db'}", future=True)
    anonymous.create_tables(engine)
    week = dt.date(2026, 11, 2)
    with engine.begin() as connection:
        for channel, number in (("rest", 7), ("sms", 2), ("webchat", 5)):
            anonymous.count(connection, anonymous.Counter(week, channel, "conversation_started"), number)
        anonymous.count(connection, anonymous.Counter(week, "sms", "topic_asked", "vacatur"), 6)
    text = as_text(report(engine=engine))
    # 14 in all: printing 14 beside "rest 7, webchat 5" would tell that SMS had 2.
    assert "conversations started     10+   by channel: rest 7, webchat 5, sms <5" in text
    assert "topics asked                6   vacatur 6" in text
    assert "Total: 10+ conversations, 6 topics asked, 0 determinations over 1 week(s)." in text


def test_the_rows_of_the_old_table_become_counters(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("create table anonymous_events (id integer primary key, week date, channel varchar(32), "
                   "kind varchar(32), topic varchar(64), outcome varchar(64))")
        db.executemany("insert into anonymous_events (week, channel, kind, topic, outcome) values (?, ?, ?, ?, ?)",
                       [("2026-11-02", "rest", "conversation_started", None, None)] * 6
                       + [("2026-11-02", "rest; x", "topic_asked", "vacatur", None)])
    engine = create_engine(f"sqlite:///{path}", future=True)
    rows = report(engine=engine)
    assert [(r["channel"], r["kind"], r["topic"], r["count"]) for r in rows] == [
        ("rest", "conversation_started", None, 6), ("other", "topic_asked", "vacatur", 1)]
    with sqlite3.connect(path) as db:
        assert not db.execute("select name from sqlite_master where name = 'anonymous_events'").fetchall()


def test_the_png_is_written(store, tmp_path):
    path = tmp_path / "report.png"
    as_png(report(), str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_counts_survive_erase_and_purge(store):
    before = report()
    turn(store, "a", MONDAY + 120, "delete everything", "delete_my_data",
         ActionExecuted("action_delete_my_data", timestamp=MONDAY + 122))
    assert asyncio.run(store.retrieve("a")) is None
    assert purge(dt.timedelta(days=30), now=MONDAY + 90 * DAY) == 3
    assert report() == before


def test_the_command(store, tmp_path, capsys):
    assert report_command(None, "text", None) == 0
    assert "Week of 2026-11-09" in capsys.readouterr().out
    assert report_command("2026-11-09", "csv", None) == 0
    assert "2026-11-02" not in capsys.readouterr().out
    assert report_command(None, "png", str(tmp_path / "r.png")) == 0 and (tmp_path / "r.png").exists()
    assert report_command("last week", "text", None) == 2 and "--since" in capsys.readouterr().err
    assert report_command(None, "pdf", None) == 2 and "--format" in capsys.readouterr().err
    assert report_command(None, "png", None) == 2 and "--output" in capsys.readouterr().err
