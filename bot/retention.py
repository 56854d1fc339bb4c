"""Retention: erase the conversations idle longer than the retention period.

    rightsguide purge --older-than 30d     (or 12h, 2w; default RIGHTSGUIDE_RETENTION_DAYS days, 30)

A conversation is erased when its latest event is older than the cutoff: all its events and its
SMS rows (an opt-out stays, so STOP still holds), in one transaction per conversation, and only if
no event arrived since the cutoff, so a conversation in progress is never touched, let alone
half-deleted. The anonymous counts (bot/report.py) are kept. On SQLite, the log is checkpointed and
truncated afterwards. Run it daily (README: cron, systemd).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import time
from typing import Optional

import sqlalchemy
from sqlalchemy.engine import Engine

from bot.stores import checkpoint, create_engine, database_url, erase_conversation

logger = logging.getLogger(__name__)

RETENTION_VARIABLE = "RIGHTSGUIDE_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> dt.timedelta:
    """"30d", "12h", "2w", "90m" (a bare number is days); ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw]?)\s*", str(text).lower())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration (allowed: a number of m, h, d or w, e.g. 30d, 12h, 2w)")
    return dt.timedelta(**{_UNITS[match.group(2) or "d"]: float(match.group(1))})


def default_retention() -> dt.timedelta:
    raw = os.environ.get(RETENTION_VARIABLE)
    if not raw:
        return dt.timedelta(days=DEFAULT_RETENTION_DAYS)
    try:
        return parse_duration(raw)
    except ValueError as error:
        raise ValueError(f"{RETENTION_VARIABLE}: {error}") from None


def _engine(url: Optional[str]) -> Engine:
    return create_engine(url or database_url())


def purge(older_than: Optional[dt.timedelta] = None, now: Optional[float] = None,
          engine: Optional[Engine] = None, url: Optional[str] = None) -> int:
    """Erase every conversation whose latest event is older than `now - older_than`; returns how
    many conversations were removed."""
    older_than = default_retention() if older_than is None else older_than
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    own_engine = engine is None
    engine = engine or _engine(url)
    try:
        if not sqlalchemy.inspect(engine).has_table("events"):
            return 0
        events = sqlalchemy.table("events", sqlalchemy.column("sender_id"), sqlalchemy.column("timestamp"))
        with engine.connect() as connection:
            idle = [row[0] for row in connection.execute(
                sqlalchemy.select(events.c.sender_id).group_by(events.c.sender_id)
                .having(sqlalchemy.func.max(events.c.timestamp) < cutoff))]
        removed = sum(1 for sender_id in idle
                      if erase_conversation(engine, sender_id, idle_before=cutoff, then_checkpoint=False))
        removed_sms_only = _purge_sms_state(engine, cutoff)
        checkpoint(engine)  # what was erased must not survive in SQLite's log
        logger.info("purge: %d conversations idle since before the cutoff erased", removed)
        return removed + removed_sms_only
    finally:
        if own_engine:
            engine.dispose()


def _purge_sms_state(engine: Engine, cutoff: float) -> int:
    """SMS conversation state left without any stored conversation (the tracker's events were
    erased another way) and idle since before the cutoff."""
    from bot.channels import sms_store

    inspector = sqlalchemy.inspect(engine)
    if not inspector.has_table(sms_store.conversations.name):
        return 0
    state = sms_store.conversations
    events = sqlalchemy.table("events", sqlalchemy.column("sender_id"))
    with engine.begin() as connection:
        orphans = [row[0] for row in connection.execute(
            sqlalchemy.select(state.c.conversation_id).where(
                state.c.updated_at < cutoff,
                ~sqlalchemy.select(sqlalchemy.literal(1)).select_from(events)
                .where(events.c.sender_id == state.c.conversation_id).exists()))]
        for conversation_id in orphans:
            connection.execute(sqlalchemy.delete(state).where(state.c.conversation_id == conversation_id))
            connection.execute(sqlalchemy.delete(sms_store.processed_messages)
                               .where(sms_store.processed_messages.c.conversation_id == conversation_id))
    return len(orphans)


def purge_command(older_than: Optional[str] = None, url: Optional[str] = None) -> int:
    """`rightsguide purge`: prints how many conversations it removed; 0, or 2 for a bad duration,
    1 when the database cannot be used."""
    from bot.stores import DatabaseUnavailable, check_database

    try:
        retention = parse_duration(older_than) if older_than else default_retention()
    except ValueError as error:
        field = "--older-than" if older_than else RETENTION_VARIABLE
        print(f"rightsguide: error: {field}: {str(error).split(': ', 1)[-1]}", file=sys.stderr)
        return 2
    try:
        check_database(url or database_url())
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    removed = purge(retention, url=url)
    print(f"Removed {removed} conversation{'s' if removed != 1 else ''} idle for more than {_words(retention)}.")
    return 0


def _words(delta: dt.timedelta) -> str:
    seconds = delta.total_seconds()
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds / 3600:g} hours"
