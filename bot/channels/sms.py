"""The SMS channel: a Twilio-compatible webhook at /webhooks/sms/webhook that someone whose phone
may be read can trust.

- A body over 16 KiB is refused (413) before it is read: Twilio's largest (1,600 characters, each
  up to nine bytes once form-encoded) is well under it.
- Every request's X-Twilio-Signature is checked with twilio's RequestValidator against
  TWILIO_AUTH_TOKEN and the configured SMS_PUBLIC_URL (the URL Twilio calls, https except on
  loopback; behind a proxy the request's own URL differs, so it is never used). Missing or wrong
  signature: 403, nothing done. Then every field is checked (bot/channels/twilio_request.py: the
  signature alone does not fix where one field ends): a malformed one, 400.
- The reply goes back in the webhook response as TwiML: no outbound call, no Twilio credentials
  beyond the auth token. A turn that takes longer than SMS_REPLY_SECONDS (default 8, well inside
  Twilio's 15 s) is answered "reply MORE", and its reply waits for that.
- The conversation id is HMAC-SHA256(SMS_SENDER_SECRET, phone number) in hex. The number itself is
  never stored or logged, and neither is what the person writes (the logs carry counts and the
  first characters of the hashed id only).
- A retried MessageSid gets the reply stored for it for 15 minutes, nothing after; the turn never
  runs twice. The stored reply is keyed by the conversation and the MessageSid together.
- Messages faster than a person types get a kind reply instead of a turn (bot/channels/limits.py).
- STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT: recorded (across restarts), one neutral
  confirmation, then an empty response to everything until START or UNSTOP. HELP: a neutral reply.
  DELETE: the conversation is erased from the tracker store (as `/delete_my_data`) and from the SMS
  tables, except the opt-out. The guide never texts first.
- Replies are rendered for a phone by bot/channels/sms_text.py; the conversation's state (choices
  offered, texts waiting for MORE) and the opt-outs are kept by bot/channels/sms_store.py.

Configuration (environment): TWILIO_AUTH_TOKEN, TWILIO_ACCOUNT_SID, SMS_NUMBER (the guide's number,
or numbers comma-separated, in E.164 form), SMS_PUBLIC_URL, SMS_SENDER_SECRET (at least 16
characters; changing it starts every conversation afresh and forgets opt-outs), optionally
SMS_SERVICE_NAME (the neutral name HELP gives, default "Info line") and SMS_REPLY_SECONDS.
Register it in credentials.yml as `bot.channels.sms.SMSInput:`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qsl, urlparse

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels import limits, sms_text
from bot.channels.sms_store import SMSStore
from bot.channels.sms_text import Unit
from bot.channels.twilio_request import ACCOUNT_SID, Refused, check_fields, parse_numbers
from bot.rasa_server import is_loopback

logger = logging.getLogger(__name__)

AUTH_TOKEN_VARIABLE = "TWILIO_AUTH_TOKEN"
PUBLIC_URL_VARIABLE = "SMS_PUBLIC_URL"
SECRET_VARIABLE = "SMS_SENDER_SECRET"
ACCOUNT_VARIABLE = "TWILIO_ACCOUNT_SID"
NUMBER_VARIABLE = "SMS_NUMBER"
SERVICE_NAME_VARIABLE = "SMS_SERVICE_NAME"
REPLY_SECONDS_VARIABLE = "SMS_REPLY_SECONDS"
SETTINGS = (AUTH_TOKEN_VARIABLE, ACCOUNT_VARIABLE, NUMBER_VARIABLE, PUBLIC_URL_VARIABLE, SECRET_VARIABLE)
MINIMUM_SECRET_LENGTH = 16
MAX_WEBHOOK_BYTES = 16 * 1024
REPLY_WINDOW_SECONDS = 15 * 60


class SMSConfigurationError(RasaException):
    """The SMS channel cannot start: a setting is missing or unusable."""


class SMSOutput(CollectingOutputChannel):
    """Collects a turn's replies; named "sms" so the domain's `channel: sms` responses are chosen."""

    @classmethod
    def name(cls) -> Text:
        return "sms"


class TooLarge(Exception):
    """The webhook's body is larger than any Twilio sends."""


async def read_body(request: Request, limit: int = MAX_WEBHOOK_BYTES) -> bytes:
    """The body of a streamed request, refusing (TooLarge) as soon as it would pass `limit` bytes:
    by its Content-Length before anything is read, or while reading one sent in chunks."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.strip().isdigit() or int(declared) > limit):
        raise TooLarge()
    body = bytearray()
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise TooLarge()


class FormParams(dict):
    """Form fields as lists of values, in the shape twilio's RequestValidator reads (getlist)."""

    def getlist(self, name: str) -> List[str]:
        return self[name]


def form_params(request: Request, raw: bytes) -> FormParams:
    """The form-encoded body, blank values kept (Twilio signs `Body=` too; sanic's form drops it)."""
    params = FormParams()
    if (request.content_type or "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return params
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return params
    for name, value in parse_qsl(body, keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return params


def keyed_hash(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()


def conversation_id_for(secret: str, phone_number: str) -> str:
    """The conversation id of a phone number: HMAC-SHA256(secret, number), hex."""
    return hmac.new(secret.encode("utf-8"), phone_number.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def setting(name: str, environment: Optional[Dict[str, str]] = None) -> str:
    value = (environment if environment is not None else os.environ).get(name, "").strip()
    if not value:
        raise SMSConfigurationError(f"The SMS channel needs the environment variable {name}; it is not set.")
    return value


def twiml(texts: List[str]) -> HTTPResponse:
    reply = MessagingResponse()
    for text in texts:
        reply.message(text)
    return response.text(str(reply), content_type="application/xml; charset=utf-8")


class SMSInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SMSInput":
        """Secrets come from the environment only; credentials.yml may name the service."""
        credentials = credentials or {}
        environment = dict(os.environ)
        if not any(environment.get(name, "").strip() for name in SETTINGS):
            # Not set up at all: the guide runs without SMS (make run on a laptop); half set up is an error.
            logger.warning("sms: channel off; set %s to turn it on", ", ".join(SETTINGS))
            return UnconfiguredSMSInput()
        seconds = environment.get(REPLY_SECONDS_VARIABLE, "").strip()
        try:
            reply_seconds = float(seconds) if seconds else 8.0
        except ValueError:
            raise SMSConfigurationError(f"{REPLY_SECONDS_VARIABLE} must be a number of seconds, like 8.")
        return cls(auth_token=setting(AUTH_TOKEN_VARIABLE, environment),
                   public_url=setting(PUBLIC_URL_VARIABLE, environment),
                   sender_secret=setting(SECRET_VARIABLE, environment),
                   account_sid=setting(ACCOUNT_VARIABLE, environment),
                   numbers=setting(NUMBER_VARIABLE, environment),
                   service_name=(credentials.get("service_name") or environment.get(SERVICE_NAME_VARIABLE)
                                 or sms_text.DEFAULT_SERVICE_NAME),
                   reply_seconds=reply_seconds)

    def __init__(self, auth_token: str, public_url: str, sender_secret: str, account_sid: str, numbers: str,
                 service_name: str = sms_text.DEFAULT_SERVICE_NAME, reply_seconds: float = 8.0,
                 store: Optional[SMSStore] = None) -> None:
        for name, value in ((AUTH_TOKEN_VARIABLE, auth_token), (PUBLIC_URL_VARIABLE, public_url),
                            (SECRET_VARIABLE, sender_secret), (ACCOUNT_VARIABLE, account_sid),
                            (NUMBER_VARIABLE, numbers)):
            if not value:
                raise SMSConfigurationError(f"The SMS channel needs the environment variable {name}; it is not set.")
        parsed = urlparse(public_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SMSConfigurationError(f"{PUBLIC_URL_VARIABLE} must be the full URL Twilio calls, like "
                                        "https://example.org/webhooks/sms/webhook.")
        if parsed.scheme != "https" and not is_loopback(parsed.hostname or ""):
            # Over plain http anyone on the way reads the messages and can replay a signed request.
            raise SMSConfigurationError(f"{PUBLIC_URL_VARIABLE} must start with https:// (plain http only on "
                                        "127.0.0.1, for testing).")
        if not ACCOUNT_SID.match(account_sid):
            raise SMSConfigurationError(f"{ACCOUNT_VARIABLE} must be the account's SID: AC and 32 hex digits.")
        self.numbers = parse_numbers(numbers)
        if self.numbers is None:
            raise SMSConfigurationError(f"{NUMBER_VARIABLE} must be the guide's number in E.164 form, like "
                                        "+18605550100 (several: comma-separated).")
        self.account_sid = account_sid
        if len(sender_secret) < MINIMUM_SECRET_LENGTH:
            raise SMSConfigurationError(f"{SECRET_VARIABLE} must be at least {MINIMUM_SECRET_LENGTH} characters "
                                        "(a long random string).")
        if not 0 < reply_seconds < 14:
            raise SMSConfigurationError(f"{REPLY_SECONDS_VARIABLE} must be between 0 and 14 seconds (Twilio waits "
                                        "15 s).")
        self.validator = RequestValidator(auth_token)
        self.public_url = public_url
        self.secret = sender_secret
        self.service_name = service_name
        self.reply_seconds = reply_seconds
        self.store = store or SMSStore(reply_window=REPLY_WINDOW_SECONDS)
        self.per_sender = limits.per_conversation()
        self._locks: Dict[str, asyncio.Lock] = {}
        self._lock_users: Dict[str, int] = {}
        self._background: set = set()

    # --- identities ---------------------------------------------------------------------------------

    def conversation_id(self, phone_number: str) -> str:
        return conversation_id_for(self.secret, phone_number)

    def message_key(self, conversation_id: str, message_sid: str) -> str:
        """A retry's key: the MessageSid within its conversation, so no other sender's request can
        ever be answered with this conversation's stored reply."""
        return keyed_hash(self.secret.encode("utf-8"), "MessageSid", f"{conversation_id}:{message_sid.strip()}")

    # --- the webhook --------------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms_webhook = Blueprint("sms_webhook", __name__)

        @sms_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sms_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            try:
                raw = await read_body(request)
            except TooLarge:
                logger.warning("sms: refused a body over %d bytes", MAX_WEBHOOK_BYTES)
                return response.text("Payload Too Large", status=413)
            params = form_params(request, raw)
            signature = request.headers.get("X-Twilio-Signature", "")
            if not signature or not self.validator.validate(self.public_url, params, signature):
                logger.warning("sms: refused a request without a valid signature")
                return response.text("Forbidden", status=403)
            try:
                fields = check_fields(params, self.account_sid, self.numbers)
            except Refused as refused:
                logger.warning("sms: refused a signed request: %s", refused)
                return response.text("Bad Request", status=400)
            conversation_id = self.conversation_id(fields["From"])
            message_key = self.message_key(conversation_id, fields["MessageSid"])
            late = asyncio.Event()
            # The turn runs as its own task: a client that hangs up does not cancel it half-way, and a
            # slow turn still finishes (its reply waits for MORE).
            task = asyncio.ensure_future(self.answer(request, conversation_id, message_key, fields["Body"],
                                                     on_new_message, late))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            try:
                try:
                    texts = await asyncio.wait_for(asyncio.shield(task), self.reply_seconds)
                except asyncio.TimeoutError:
                    if task.done():
                        texts = task.result()
                    else:
                        late.set()
                        texts = sms_text.neutral(sms_text.SLOW_REPLY)
                        logger.warning("sms %s: the turn took longer than %g s; its reply waits for MORE",
                                       conversation_id[:12], self.reply_seconds)
            except Exception as error:  # no traceback: a database error's text can carry stored values
                logger.error("sms %s: could not answer (%s)", conversation_id[:12], type(error).__name__)
                return response.text("Internal Server Error", status=500)
            return twiml(texts)

        return sms_webhook

    @contextlib.asynccontextmanager
    async def conversation_lock(self, conversation_id: str) -> AsyncIterator[None]:
        """One message of a conversation at a time, so a retry arriving mid-turn waits for its answer."""
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._lock_users[conversation_id] = self._lock_users.get(conversation_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._lock_users[conversation_id] -= 1
            if not self._lock_users[conversation_id]:
                del self._lock_users[conversation_id], self._locks[conversation_id]

    async def answer(self, request: Request, conversation_id: str, message_key: str, body: str,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]], late: asyncio.Event) -> List[str]:
        async with self.conversation_lock(conversation_id):
            opted_out_at = self.store.opted_out_at(conversation_id)
            done = self.store.processed(message_key)
            if done is not None:
                texts, answered_at = done
                logger.debug("sms %s: a retried message, answered from the store", conversation_id[:12])
                return [] if opted_out_at is not None and answered_at < opted_out_at else texts
            texts, remember = await self.respond(request, conversation_id, body, opted_out_at, on_new_message, late)
            if remember:
                self.store.remember(message_key, conversation_id, texts)
            logger.debug("sms %s: %d texts sent", conversation_id[:12], len(texts))
            return texts

    async def respond(self, request: Request, conversation_id: str, body: str, opted_out_at: Optional[float],
                      on_new_message: Callable[[UserMessage], Awaitable[Any]], late: asyncio.Event
                      ) -> "tuple[List[str], bool]":
        """The texts for one new message, and whether a retry of it should get them again."""
        word = sms_text.keyword(body)
        if opted_out_at is not None:
            if word == "start":
                self.store.opt_in(conversation_id)
                logger.info("sms %s: opted in again", conversation_id[:12])
                return sms_text.neutral(sms_text.START_REPLY), True
            if word == "delete":  # erased, silently: nothing is sent to a number that opted out
                await self.run_turn(request, conversation_id, sms_text.ERASE_PAYLOAD, on_new_message, late,
                                    first_reply=False)
                return [], True
            return [], True
        if word == "stop":
            self.store.opt_out(conversation_id)
            logger.info("sms %s: opted out", conversation_id[:12])
            return sms_text.neutral(sms_text.STOP_REPLY), True
        if word == "start":
            return sms_text.neutral(sms_text.START_REPLY), True
        if word == "help":
            return sms_text.neutral(sms_text.help_reply(self.service_name)), True
        if len(body) > sms_text.MAX_INBOUND_CHARACTERS:
            return sms_text.neutral(sms_text.LONG_MESSAGE_REPLY), True
        if not body.strip():
            return sms_text.neutral(sms_text.EMPTY_MESSAGE_REPLY), True
        if word != "delete" and not self.per_sender.allow(conversation_id):
            # Not remembered: a retry of this message, later, gets its turn.
            return sms_text.neutral(limits.TOO_FAST_REPLY), False
        state = self.store.state(conversation_id)
        choices, pending = state if state is not None else ([], [])
        if word == "more" and pending:
            texts, rest = sms_text.render_units([Unit.from_dict(u) for u in pending])
            self.store.save_state(conversation_id, None, [u.as_dict() for u in rest])
            return texts, True
        if word == "delete":
            text = sms_text.ERASE_PAYLOAD
        else:
            text = sms_text.chosen_payload(body, choices) if choices else None
            text = text or body.strip()
        return await self.run_turn(request, conversation_id, text, on_new_message, late, first_reply=state is None)

    async def run_turn(self, request: Request, conversation_id: str, text: str,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]], late: asyncio.Event,
                       first_reply: bool) -> "tuple[List[str], bool]":
        collector = SMSOutput()
        try:
            await on_new_message(UserMessage(text, collector, conversation_id, input_channel=self.name()))
        except Exception as error:  # the message may be in the error's words: log its kind only
            logger.error("sms %s: the turn failed (%s)", conversation_id[:12], type(error).__name__)
            return sms_text.neutral(sms_text.ERROR_REPLY), False
        if not await self.conversation_stored(request, conversation_id):
            # The person asked to erase the conversation (DELETE, or in their own words): the tracker
            # store has deleted it; delete what the channel holds too, except an opt-out.
            deleted = self.store.forget(conversation_id)
            logger.info("sms %s: conversation erased (%d channel rows)", conversation_id[:12], deleted)
            rendered = sms_text.render(collector.messages)
            return rendered.texts, False
        rendered = sms_text.render(collector.messages, first_reply=first_reply)
        if late.is_set():
            self.store.save_state(conversation_id, rendered.choices, [u.as_dict() for u in rendered.units])
            return sms_text.neutral(sms_text.SLOW_REPLY), True
        self.store.save_state(conversation_id, rendered.choices, [u.as_dict() for u in rendered.pending])
        return rendered.texts, True

    @staticmethod
    async def conversation_stored(request: Request, conversation_id: str) -> bool:
        """Does the tracker store still hold this conversation (it erases one on request)?"""
        agent = getattr(request.app.ctx, "agent", None)
        tracker_store = getattr(agent, "tracker_store", None)
        if tracker_store is None:
            return True
        inner = getattr(tracker_store, "_tracker_store", tracker_store)  # inside Rasa's FailSafeTrackerStore
        try:
            if isinstance(inner, SQLTrackerStore):
                with inner.session_scope() as session:
                    return session.query(inner.SQLEvent.id).filter(
                        inner.SQLEvent.sender_id == conversation_id).first() is not None
            return await tracker_store.exists(conversation_id)
        except Exception as error:
            logger.error("sms %s: could not check the tracker store (%s)", conversation_id[:12],
                         type(error).__name__)
            return True


class UnconfiguredSMSInput(InputChannel):
    """The SMS channel when none of its settings is given: its webhook says so with a 503."""

    @classmethod
    def name(cls) -> Text:
        return "sms"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint("sms_webhook_off", __name__)

        @off.route("/webhook", methods=["POST"])
        async def receive(_: Request) -> HTTPResponse:
            return response.text("SMS is not configured on this server", status=503)

        return off
