"""What the SMS channel keeps, in the same database as the conversations (RIGHTSGUIDE_DATABASE_URL,
default the SQLite file of bot/stores.py). Every row is keyed by a keyed hash (HMAC) of the phone
number; no phone number and no message from the person is stored here.

- `sms_opt_outs`: who sent STOP (and when). Kept when the person erases the conversation, so a
  number that asked for no more messages gets none.
- `sms_processed_messages`: the keyed hash of each (conversation, MessageSid) answered and the
  texts it got, so a retried webhook gets the same answer without running the turn again. The texts
  are served and kept for `reply_window` seconds only (Twilio retries within minutes); the hash stays
  for `replay_window` (the retention period), so a captured request replayed later runs no turn and
  gets nothing back.
- `sms_conversations`: a conversation has been answered before ('seen'), the numbered choices it
  was last offered (so "1" selects the first) and the texts waiting for MORE.

The guide's texts are stored scrubbed of identifiers (bot/privacy.py), as the conversation is.
"""

from __future__ import annotations

import json
import time
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import Column, Float, MetaData, String, Table, Text, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.privacy import scrub, scrub_nested
from bot.stores import create_engine, database_url


metadata = MetaData()

opt_outs = Table(
    "sms_opt_outs", metadata,
    Column("conversation_id", String(64), primary_key=True),
    Column("opted_out_at", Float, nullable=False),
)

processed_messages = Table(
    "sms_processed_messages", metadata,
    Column("message_key", String(64), primary_key=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("reply", Text, nullable=False),  # JSON list of the texts sent
    Column("processed_at", Float, nullable=False, index=True),
)

conversations = Table(
    "sms_conversations", metadata,
    Column("conversation_id", String(64), primary_key=True),
    Column("choices", Text, nullable=False),  # JSON list of {"title", "payload"}
    Column("pending", Text, nullable=False),  # JSON list of text units waiting for MORE
    Column("updated_at", Float, nullable=False),
)


class SMSStore:
    def __init__(self, url: Optional[str] = None, reply_window: float = 15 * 60,
                 replay_window: float = 30 * 86400, engine: Optional[Engine] = None) -> None:
        self.engine = engine or create_engine(url or database_url())
        self.reply_window = reply_window
        self.replay_window = replay_window
        self._last_prune = 0.0
        metadata.create_all(self.engine)

    # --- opt-outs -----------------------------------------------------------------------------------

    def opted_out_at(self, conversation_id: str) -> Optional[float]:
        with self.engine.connect() as connection:
            return connection.execute(select(opt_outs.c.opted_out_at)
                                      .where(opt_outs.c.conversation_id == conversation_id)).scalar()

    def opt_out(self, conversation_id: str, now: Optional[float] = None) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(opt_outs).where(opt_outs.c.conversation_id == conversation_id))
            connection.execute(insert(opt_outs).values(conversation_id=conversation_id,
                                                       opted_out_at=now or time.time()))

    def opt_in(self, conversation_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(opt_outs).where(opt_outs.c.conversation_id == conversation_id))

    # --- retried webhooks ---------------------------------------------------------------------------

    def processed(self, message_key: str, now: Optional[float] = None) -> Optional[Tuple[List[str], float]]:
        """The texts a message got (none once the reply window has passed), and when; None if it was
        never answered."""
        now = now or time.time()
        with self.engine.connect() as connection:
            row = connection.execute(select(processed_messages.c.reply, processed_messages.c.processed_at)
                                     .where(processed_messages.c.message_key == message_key)).first()
        if row is None:
            return None
        return (json.loads(row.reply) if row.processed_at >= now - self.reply_window else []), row.processed_at

    def remember(self, message_key: str, conversation_id: str, texts: List[str],
                 now: Optional[float] = None) -> None:
        now = now or time.time()
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(processed_messages).values(
                    message_key=message_key, conversation_id=conversation_id, reply=json.dumps([scrub(t) for t in texts]),
                    processed_at=now))
        except IntegrityError:  # answered meanwhile by another worker: the first answer stands
            pass
        if now - self._last_prune > 60:
            self.prune(now)

    def prune(self, now: Optional[float] = None) -> int:
        """Forget the texts of replies past the reply window, and the rows past the replay window;
        returns how many rows were deleted."""
        now = now or time.time()
        self._last_prune = now
        with self.engine.begin() as connection:
            connection.execute(update(processed_messages)
                               .where(processed_messages.c.processed_at < now - self.reply_window,
                                      processed_messages.c.reply != "[]")
                               .values(reply="[]"))
            result = connection.execute(delete(processed_messages)
                                        .where(processed_messages.c.processed_at < now - self.replay_window))
        return result.rowcount or 0

    # --- the conversation's state -------------------------------------------------------------------

    def seen(self, conversation_id: str) -> bool:
        return self.state(conversation_id) is not None

    def state(self, conversation_id: str) -> Optional[Tuple[List[Dict[str, str]], List[Dict[str, Any]]]]:
        """(choices last offered, units waiting for MORE), or None for a conversation never answered."""
        with self.engine.connect() as connection:
            row = connection.execute(select(conversations.c.choices, conversations.c.pending)
                                     .where(conversations.c.conversation_id == conversation_id)).first()
        return (json.loads(row.choices), json.loads(row.pending)) if row else None

    def save_state(self, conversation_id: str, choices: Optional[List[Dict[str, str]]],
                   pending: List[Dict[str, Any]]) -> None:
        """Store what the last reply offered; `choices` None keeps the choices offered before."""
        now = time.time()
        with self.engine.begin() as connection:
            values: Dict[str, Any] = {"pending": json.dumps(scrub_nested(pending)), "updated_at": now}
            if choices is not None:
                values["choices"] = json.dumps(scrub_nested(choices))
            updated = connection.execute(update(conversations)
                                         .where(conversations.c.conversation_id == conversation_id)
                                         .values(**values)).rowcount
            if not updated:
                values.setdefault("choices", json.dumps(choices or []))
                connection.execute(insert(conversations).values(conversation_id=conversation_id, **values))

    def forget(self, conversation_id: str) -> int:
        """Erase a conversation's rows, except its opt-out; returns how many were deleted."""
        with self.engine.begin() as connection:
            return delete_conversation_rows(connection, conversation_id)


def delete_conversation_rows(connection: Any, conversation_id: str) -> int:
    """Delete what the channel holds for a conversation, except its opt-out (STOP must still hold),
    inside the caller's transaction; returns how many rows were deleted."""
    deleted = 0
    for table in (processed_messages, conversations):
        deleted += connection.execute(delete(table).where(table.c.conversation_id == conversation_id)).rowcount or 0
    return deleted
