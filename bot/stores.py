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

Configuration: RIGHTSGUIDE_DATABASE_URL (a SQLAlchemy URL), default an SQLite file.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
import sqlalchemy
from sqlalchemy.engine import make_url

from bot import rasa_fixes

logger = logging.getLogger(__name__)

# This module is the guide's code that Rasa imports into its server process (endpoints.yml names
# the tracker store), so the server-side fixes are applied from here.
rasa_fixes.apply()

DATABASE_URL_VARIABLE = "RIGHTSGUIDE_DATABASE_URL"
DEFAULT_DATABASE = Path("var") / "rightsguide.db"
ERASE_ACTION = "action_delete_my_data"


def database_url() -> str:
    configured = os.environ.get(DATABASE_URL_VARIABLE)
    if configured:
        return configured
    DEFAULT_DATABASE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DATABASE}"


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
    last turns)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def events_in_current_session(tracker: DialogueStateTracker) -> int:
    for count, event in enumerate(reversed(tracker.events)):
        if isinstance(event, SessionStarted):
            return count
    return len(tracker.events)


def last_bot_action(tracker: DialogueStateTracker) -> Optional[Text]:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name
    return None


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Any] = None, host: Optional[Text] = None, url: Optional[Text] = None,
                 session_events_limit: int = 60, follow_up_expected: Sequence[Text] = (), **kwargs: Any) -> None:
        parsed = make_url(url or database_url())
        super().__init__(domain=domain, dialect=parsed.drivername, host=parsed.host, port=parsed.port,
                         db=parsed.database, username=parsed.username, password=parsed.password,
                         query=dict(parsed.query) or None, **kwargs)
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:  # write-ahead logging is kept in the file
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            sqlalchemy.event.listen(self.engine, "connect", tune_sqlite)
            self.engine.dispose()  # reconnect with the tuning applied
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

    def at_resting_point(self, tracker: DialogueStateTracker) -> bool:
        return (tracker.latest_action_name == ACTION_LISTEN_NAME
                and last_bot_action(tracker) not in self.follow_up_expected)

    def start_new_session(self, tracker: DialogueStateTracker) -> None:
        """Store a session start carrying the slots, and a form waiting for its answer, over."""
        now = time.time()
        carried: list = [SlotSet(name, value, timestamp=now)
                         for name, value in tracker.current_slot_values().items()
                         if value is not None and name != REQUESTED_SLOT]
        if tracker.active_loop_name:
            carried += [ActiveLoop(tracker.active_loop_name, timestamp=now),
                        SlotSet(REQUESTED_SLOT, tracker.get_slot(REQUESTED_SLOT), timestamp=now)]
        self.insert(tracker.sender_id, [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=now - 0.001),
                                        SessionStarted(timestamp=now), *carried,
                                        ActionExecuted(ACTION_LISTEN_NAME, timestamp=now)])

    def insert(self, sender_id: Text, events: Iterable[Event]) -> None:
        with self.session_scope() as session:
            for event in events:
                data = event.as_dict()
                session.add(self.SQLEvent(sender_id=sender_id, type_name=event.type_name,
                                          timestamp=data.get("timestamp"), intent_name=None,
                                          action_name=data.get("name"), data=json.dumps(data)))
            session.commit()

    async def erase(self, sender_id: Text) -> int:
        """Delete every stored event of one conversation; returns how many were deleted."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        logger.info("erased a conversation on request (%d events)", deleted)
        return deleted
