"""How much one person, or one address, may send: the length of a message and how many a minute.

A message longer than a person types, or messages faster than a person types, get a short, kind
reply instead of a turn: the guide keeps answering everyone else. The counts are kept in the
memory of each Rasa server (with several replicas, each counts what it receives).

Configuration (environment), messages a minute:
  RIGHTSGUIDE_MESSAGES_PER_MINUTE          one conversation: a web chat socket, a phone number, a
                                           REST sender (default 20)
  RIGHTSGUIDE_ADDRESS_MESSAGES_PER_MINUTE  one client address, all its conversations together
                                           (default 120: a shelter's or a library's computers share one)
Each allows that many at once, then one every 60/N seconds.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from typing import Callable, Optional

# What a person types in the web chat or over REST. SMS keeps Twilio's own limit of 1,600 characters
# (bot/channels/sms_text.py), the most the entity extractor reads.
MAX_MESSAGE_CHARACTERS = 1000

TOO_LONG_REPLY = "That message is too long for me to read. Could you say it in a few sentences?"
TOO_FAST_REPLY = ("You are sending messages faster than I can answer. Please wait a minute, then send "
                  "your message again. If you are in danger, call 911.")

PER_CONVERSATION_VARIABLE = "RIGHTSGUIDE_MESSAGES_PER_MINUTE"
PER_ADDRESS_VARIABLE = "RIGHTSGUIDE_ADDRESS_MESSAGES_PER_MINUTE"
DEFAULT_PER_CONVERSATION = 20
DEFAULT_PER_ADDRESS = 120


class LimitError(ValueError):
    """A rate setting that is not a positive whole number."""


class RateLimit:
    """A token bucket per key: `per_minute` messages at once, then one every 60/per_minute s.

    At most `max_keys` keys are remembered (the least recently seen is forgotten first), so a flood of
    new keys cannot grow the server's memory without bound."""

    def __init__(self, per_minute: int, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0:
            raise LimitError("a rate must be a positive number of messages a minute")
        self.capacity = float(per_minute)
        self.per_second = per_minute / 60.0
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: "OrderedDict[str, tuple]" = OrderedDict()

    def allow(self, key: str) -> bool:
        """Take one message from `key`'s allowance: False when it has none left."""
        now = self.clock()
        tokens, since = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.per_second)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return allowed


def rate_from_environment(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        rate = int(raw)
    except ValueError:
        rate = 0
    if rate <= 0:
        raise LimitError(f"{variable} must be a whole number of messages a minute, like {default}; it is {raw!r}")
    return rate


def per_conversation() -> RateLimit:
    return RateLimit(rate_from_environment(PER_CONVERSATION_VARIABLE, DEFAULT_PER_CONVERSATION))


def per_address() -> RateLimit:
    return RateLimit(rate_from_environment(PER_ADDRESS_VARIABLE, DEFAULT_PER_ADDRESS))


def client_address(request: Optional[object]) -> str:
    """The client's address as Sanic sees it: behind a proxy, the forwarded one when the server is told
    to trust it (Sanic's PROXIES_COUNT / FORWARDED_SECRET, set by bot/rasa_server.py), else the peer."""
    if request is None:
        return "unknown"
    return str(getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "unknown")
