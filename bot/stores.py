"""Where conversations are kept: a SQL tracker store that can erase a conversation and keeps the
work of each turn bounded.

- Erase: Rasa has no way to delete a conversation. This store erases every stored event of a
  conversation when it is asked to save a turn in which `action_delete_my_data` ran, so the next
  message starts afresh.
- Bounded turns: Rasa loads, replays, featurises and sends to the action server every event of
  the current session on every turn, so a long conversation (an advocate screening several
  clients) gets slower turn by turn. At the end of a turn, after `session_events_limit` events and
  not right after a prompt that a rule follows up, this store starts a new session that carries
  the slots and any form waiting for an answer over; Rasa then loads only the events since. The
  full history stays stored.

- Scrubbed: the stored copy of each message, each reply of the guide and each slot value has its
  identifiers (phone numbers, e-mail and street addresses, dates of birth, docket numbers, SSNs,
  names given with a cue) replaced by placeholders (bot/privacy.py); the intent, the facts and the
  slots are kept, and the turn being answered is not changed.
- Counted: each turn adds one to its anonymous counters (conversation started, topic asked,
  determination) in `anonymous_counts` (bot/report.py), in the same transaction as its events.
- Private on disk: the SQLite file is created 0600 in a 0700 `var/` (bot/private_files.py), with
  secure_delete on, and the write-ahead log is checkpointed and truncated after an erase or a purge,
  so erased text survives neither in free pages nor in the -wal file. (On PostgreSQL, erasing
  deletes the rows; copies in backups and WAL archives last as long as those are kept: README.)
- Refuses to start without its database: Rasa's SQL store retries an unreachable database forever,
  and Rasa falls back to an in-memory store (losing every conversation on restart) when a store
  fails to load; this store checks the database within seconds and stops the server with an error
  naming RIGHTSGUIDE_DATABASE_URL.

Configuration: RIGHTSGUIDE_DATABASE_URL (a SQLAlchemy URL), default an SQLite file.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME, REQUESTED_SLOT
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
import sqlalchemy
from sqlalchemy.engine import make_url

from bot import rasa_fixes
from bot.private_files import private_directory, private_file
from bot.privacy import scrub_bot_event, scrub_slot_event, scrub_user_event
from bot.report import count, counters_of_turn, create_tables

logger = logging.getLogger(__name__)

# This module is the guide's code that Rasa imports into its server process (endpoints.yml names
# the tracker store), so the server-side fixes are applied from here.
rasa_fixes.apply()

DATABASE_URL_VARIABLE = "RIGHTSGUIDE_DATABASE_URL"
DEFAULT_DATABASE = Path("var") / "rightsguide.db"
ERASE_ACTION = "action_delete_my_data"
CONNECT_TIMEOUT_SECONDS = 5


class DatabaseUnavailable(SystemExit):
    """The conversation database cannot be used: the server must not start.

    A SystemExit, because Rasa turns other errors from a tracker store's constructor into a warning
    and an in-memory store (or, for connection errors, retries and logs), and the server would run
    on, forgetting every conversation at its next restart."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def database_url() -> str:
    configured = os.environ.get(DATABASE_URL_VARIABLE)
    if configured:
        return configured
    private_directory(DEFAULT_DATABASE.parent)
    return f"sqlite:///{DEFAULT_DATABASE}"


def sqlite_file(url: str) -> Optional[Path]:
    """The file of an SQLite URL; None for another database or an in-memory one."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_private_file(url: str) -> None:
    """Create an SQLite URL's file 0600 before SQLite would create it readable by every user."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        private_file(path)


def create_engine(url: str) -> Any:
    """An engine for the conversation database, as every part of the guide opens it: connecting within
    seconds, and for SQLite, the file created private and secure_delete on every connection."""
    create_private_file(url)
    engine = sqlalchemy.create_engine(url, future=True, **engine_options(url))
    if engine.dialect.name == "sqlite":
        sqlalchemy.event.listen(engine, "connect", tune_sqlite)
    return engine


def checkpoint(engine: Any) -> None:
    """Write SQLite's log into the database and truncate it: after an erase, the erased text must not
    survive in the -wal file. Nothing to do on another database."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def redacted(url: str) -> str:
    return make_url(url).__repr__()  # the password, if any, as ***


def engine_options(url: str) -> dict:
    """Connect within seconds, so an unreachable database is reported rather than waited for."""
    driver = make_url(url).drivername
    if driver.startswith("postgresql") or driver.startswith("mysql"):
        return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}
    if driver.startswith("sqlite"):
        return {"connect_args": {"timeout": 10}}
    return {}


def check_database(url: str) -> None:
    """Raise DatabaseUnavailable, naming the setting, unless `url` can be connected to now."""
    source = (f"{DATABASE_URL_VARIABLE}={redacted(url)}" if os.environ.get(DATABASE_URL_VARIABLE)
              else f"the default {redacted(url)} ({DATABASE_URL_VARIABLE} is not set)")
    try:
        engine = sqlalchemy.create_engine(url, **engine_options(url))
    except Exception as error:  # a malformed URL, an unknown dialect, a missing driver
        raise DatabaseUnavailable(f"rightsguide: cannot use the conversation database {source}: "
                                  f"{type(error).__name__}: {error}".strip()) from None
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DatabaseUnavailable(f"rightsguide: cannot connect to the conversation database {source}: {reason}. "
                                  f"Check {DATABASE_URL_VARIABLE} and that the database is running; "
                                  "the guide does not start without it.") from None
    finally:
        engine.dispose()


SCRUBBERS = {UserUttered: scrub_user_event, BotUttered: scrub_bot_event, SlotSet: scrub_slot_event}


def stored_copy(event: Event) -> Event:
    """The event as it is stored: the person's words, the guide's replies (which may repeat them) and
    slot values with their identifiers replaced by placeholders; other events as they are."""
    scrubber = SCRUBBERS.get(type(event))
    return Event.from_parameters(scrubber(event.as_dict())) if scrubber else event


def erase_requested(tracker: DialogueStateTracker) -> bool:
    """Did the erase action run in the turn being saved (after the person's latest message)?"""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


def tune_sqlite(connection: Any, _record: Any) -> None:
    """The embedded store answers a turn without waiting on the disk for each commit: NORMAL sync in
    write-ahead-log mode stays safe across a crash of the process (only a power loss can lose the
    last turns). secure_delete overwrites what is deleted, so an erased message is not left in a
    free page of the file."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


EARLIER_TURNS = "earlier_turns"
# What a screening reads back of the turns before it (actions/screening.py messages_before_any_screening).
SLOTS_READ_BACK = ("screening_topic", "determination", "convicted")
EARLIER_TURNS_KEPT = 40


def earlier_turns(tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
    """The turns carried into this session and this session's own, as the screenings read them: each message
    (its words, intent and facts) and each change of screening, answer or conviction; the latest kept."""
    events = list(tracker.events)
    start = next((len(events) - i for i, e in enumerate(reversed(events)) if isinstance(e, SessionStarted)), 0)
    # The slots carried over come first, up to the first listen: not changes made in this session.
    while start < len(events) and not (isinstance(events[start], ActionExecuted)
                                       and events[start].action_name == ACTION_LISTEN_NAME):
        start += 1
    turns = list(tracker.get_slot(EARLIER_TURNS) or [])
    for event in events[start:]:
        if isinstance(event, UserUttered):
            said = scrub_user_event(event.as_dict())  # as the message itself is stored
            parse = said.get("parse_data") or {}
            turns.append({"event": "user", "text": said.get("text") or "", "parse_data": {
                "intent": {"name": (parse.get("intent") or {}).get("name")}, "entities": parse.get("entities") or []}})
        elif isinstance(event, SlotSet) and event.key in SLOTS_READ_BACK:
            value = event.value
            if event.key == "determination" and value:
                value = json.dumps({"outcome": json.loads(value).get("outcome")})
            turns.append({"event": "slot", "name": event.key, "value": value})
    return turns[-EARLIER_TURNS_KEPT:]


def events_in_current_session(tracker: DialogueStateTracker) -> int:
    for count, event in enumerate(reversed(tracker.events)):
        if isinstance(event, SessionStarted):
            return count
    return len(tracker.events)


def last_slot_value(events: Sequence[Event], name: Text) -> Any:
    """The value a slot had at the end of `events` (within their last session)."""
    for event in reversed(events):
        if isinstance(event, SlotSet) and event.key == name:
            return event.value
        if isinstance(event, SessionStarted):
            return None
    return None


def last_bot_action(tracker: DialogueStateTracker) -> Optional[Text]:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Any] = None, host: Optional[Text] = None, url: Optional[Text] = None,
                 session_events_limit: int = 60, follow_up_expected: Sequence[Text] = (), **kwargs: Any) -> None:
        url = url or database_url()
        create_private_file(url)
        check_database(url)  # before Rasa's constructor, which would retry an unreachable database forever
        parsed = make_url(url)
        super().__init__(domain=domain, dialect=parsed.drivername, host=parsed.host, port=parsed.port,
                         db=parsed.database, username=parsed.username, password=parsed.password,
                         query=dict(parsed.query) or None, **kwargs)
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:  # write-ahead logging is kept in the file
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            sqlalchemy.event.listen(self.engine, "connect", tune_sqlite)
            self.engine.dispose()  # reconnect with the tuning applied
        create_tables(self.engine)
        from bot.channels import sms_store  # the SMS tables, erased with the conversation

        sms_store.metadata.create_all(self.engine)
        self.session_events_limit = session_events_limit
        # Prompts whose answer a rule reads in the next turn: never start a new session right after one.
        self.follow_up_expected = set(follow_up_expected)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if erase_requested(tracker):
            await self.erase(tracker.sender_id)
            return
        await super().save(tracker)
        if self.at_resting_point(tracker) and events_in_current_session(tracker) >= self.session_events_limit:
            self.start_new_session(tracker)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterable[Event]:
        """The events of this turn as they are stored: messages scrubbed of identifiers (copies: the
        tracker is not changed); the turn's anonymous counts are added to the same transaction."""
        new_events = list(super()._additional_events(session, tracker))
        if new_events:
            earlier = list(tracker.events)[:len(tracker.events) - len(new_events)]
            slots_before = {"screening_topic": last_slot_value(earlier, "screening_topic")}
            for counter in counters_of_turn(new_events, slots_before, tracker.get_latest_input_channel()):
                count(session, counter)
        return [stored_copy(event) for event in new_events]

    def at_resting_point(self, tracker: DialogueStateTracker) -> bool:
        return (tracker.latest_action_name == ACTION_LISTEN_NAME
                and last_bot_action(tracker) not in self.follow_up_expected)

    def start_new_session(self, tracker: DialogueStateTracker) -> None:
        """Store a session start carrying the slots, and a form waiting for its answer, over; with them, the
        turns the screenings read back (EARLIER_TURNS)."""
        now = time.time()
        carried: list = [SlotSet(name, value, timestamp=now)
                         for name, value in tracker.current_slot_values().items()
                         if value is not None and name not in (REQUESTED_SLOT, EARLIER_TURNS)]
        carried.append(SlotSet(EARLIER_TURNS, earlier_turns(tracker), timestamp=now))
        if tracker.active_loop_name:
            carried += [ActiveLoop(tracker.active_loop_name, timestamp=now),
                        SlotSet(REQUESTED_SLOT, tracker.get_slot(REQUESTED_SLOT), timestamp=now)]
        self.insert(tracker.sender_id, [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=now - 0.001),
                                        SessionStarted(timestamp=now), *carried,
                                        ActionExecuted(ACTION_LISTEN_NAME, timestamp=now)])

    def insert(self, sender_id: Text, events: Iterable[Event]) -> None:
        with self.session_scope() as session:
            for event in map(stored_copy, events):  # carried slots are stored scrubbed too
                data = event.as_dict()
                session.add(self.SQLEvent(sender_id=sender_id, type_name=event.type_name,
                                          timestamp=data.get("timestamp"), intent_name=None,
                                          action_name=data.get("name"), data=json.dumps(data)))
            session.commit()

    async def erase(self, sender_id: Text) -> int:
        """Delete every stored event of one conversation, and its SMS rows except an opt-out (so STOP
        still holds), in one transaction; returns how many events were deleted. The anonymous
        counts stay: nothing ties them to the conversation."""
        deleted = erase_conversation(self.engine, sender_id)
        logger.info("erased a conversation on request (%d events)", deleted)
        return deleted


def erase_conversation(engine: Any, sender_id: Text, idle_before: Optional[float] = None,
                       then_checkpoint: bool = True) -> int:
    """Delete a conversation's events and SMS rows (not its opt-out) in one transaction; returns
    how many events were deleted. With `idle_before` (a timestamp), only a conversation with no event
    since then is deleted, all of it or nothing (0): a conversation in progress is never touched.
    Then SQLite's log is checkpointed (a purge does it once, after all its erasing)."""
    from bot.channels import sms_store

    events = sqlalchemy.table("events", sqlalchemy.column("sender_id"), sqlalchemy.column("timestamp"))
    with engine.begin() as connection:
        if idle_before is not None and connection.dialect.name == "postgresql":
            # Hold off new events (of any conversation, for the few ms of this transaction), so the
            # check below and the delete see the same conversation.
            connection.exec_driver_sql("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
        condition = events.c.sender_id == sender_id
        if idle_before is not None:
            recent = sqlalchemy.select(sqlalchemy.literal(1)).select_from(events).where(
                events.c.sender_id == sender_id, events.c.timestamp >= idle_before)
            # One statement: on SQLite it holds the write lock while it checks and deletes.
            condition = sqlalchemy.and_(condition, ~recent.exists())
        deleted = connection.execute(sqlalchemy.delete(events).where(condition)).rowcount or 0
        if idle_before is None or deleted:
            sms_store.delete_conversation_rows(connection, sender_id)
    if then_checkpoint and deleted:
        checkpoint(engine)
    return deleted
