"""A Redis lock store whose every change to a conversation's lock is atomic, for several Rasa servers.

Rasa 3.6's `RedisLockStore` changes a lock by reading it, changing it in Python and writing it back
(rasa#9213): two servers that receive messages of one conversation at the same moment can both read
the same lock and both hand out the same ticket, so both process a turn of the conversation at
once and their events interleave or overwrite each other. Its clean-up has the same race: a server
that finishes can delete a lock in which another server has just issued a ticket.

This store keeps Rasa's ticket lock (the same `TicketLock` in the same JSON, the same numbering,
lifetime and expiry, so Rasa's waiting loop works unchanged) but makes each read-modify-write one
optimistic Redis transaction (WATCH/MULTI/EXEC, retried when another server changed the lock in
between): issuing a ticket, removing expired tickets, and finishing a ticket together with deleting
the lock when nobody waits. Each lock key also carries a Redis expiry at its last ticket's expiry,
so a lock left by a server that was killed disappears by itself.

endpoints.yml:

    lock_store:
      type: bot.lock_store.AtomicRedisLockStore
      url: localhost        # the Redis host
      port: 6379
      db: 1
      key_prefix: rightsguide   # optional, alphanumeric
      password: ${REDIS_PASSWORD}  # optional
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
import redis

logger = logging.getLogger(__name__)

KEEP, SAVE, DELETE = "keep", "save", "delete"


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[Any] = None, host: Text = "localhost", port: int = 6379,
                 db: int = 1, **kwargs: Any) -> None:
        if endpoint_config is not None:  # Rasa builds a custom lock store from its endpoints.yml entry
            options = dict(endpoint_config.kwargs)
            host = endpoint_config.url or options.pop("host", host)
            port = options.pop("port", port)
            db = options.pop("db", db)
            options.pop("type", None)
            kwargs = {**options, **kwargs}
        super().__init__(host=host, port=int(port), db=int(db), **kwargs)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    def _transact(self, conversation_id: Text,
                  change: Callable[[Optional[TicketLock]], Tuple[Any, Optional[TicketLock], str]]) -> Any:
        """Read the lock, apply `change` and write the result, all or nothing: retried if another
        server changed the lock between the read and the write."""
        key = self._key(conversation_id)
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    result, lock, what = change(lock)
                    pipe.multi()
                    if what == DELETE:
                        pipe.delete(key)
                    elif what == SAVE and lock is not None:
                        expires = max((t.expires for t in lock.tickets), default=time.time())
                        pipe.set(key, lock.dumps(), px=max(1, int((expires - time.time()) * 1000) + 1000))
                    pipe.execute()  # an empty transaction when nothing changed still checks the watch
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> Tuple[int, TicketLock, str]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock, SAVE

        try:
            return self._transact(conversation_id, change)
        except Exception as error:  # the same error Rasa's lock stores raise
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock], str]:
            if lock is None:
                return None, None, KEEP
            lock.remove_expired_tickets()
            return None, lock, SAVE if lock.is_someone_waiting() else DELETE

        self._transact(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove the ticket, and the lock if nobody else waits, in one step."""
        def change(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock], str]:
            if lock is None:
                return None, None, KEEP
            lock.remove_ticket_for(ticket_number)
            return None, lock, SAVE if lock.is_someone_waiting() else DELETE

        self._transact(conversation_id, change)

    def save_lock(self, lock: TicketLock) -> None:
        expires = max((t.expires for t in lock.tickets), default=time.time())
        self.red.set(self._key(lock.conversation_id), lock.dumps(),
                     px=max(1, int((expires - time.time()) * 1000) + 1000))
