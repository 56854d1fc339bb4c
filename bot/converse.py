"""Conversation scripts: what a person says to the guide, turn by turn, and what must be true after
each turn. Organisations that deploy the guide write them in their own words (YAML, see the README's
"Conversation scripts" section) and run them with `rightsguide converse SCRIPT_OR_DIR`.

A script talks to the guide through one channel: REST (`/webhooks/rest/webhook`), SMS (form-encoded
webhooks signed like Twilio's, replies read from the TwiML) or socket.io (the web chat widget's
events). Slots, the active form and the determination are read from the conversation's tracker
through Rasa's HTTP API, so the guide must run with `--enable-api` and, when it has one, the runner
must know its auth token (RASA_AUTH_TOKEN).

With no URL the runner starts a guide of its own (action server + Rasa server with the development
channels, REST included, on loopback and a scratch SQLite database, with SMS configured by throwaway
secrets and the rate limits raised for scripts). With --url it talks to a running development guide
(a guide others can reach has no REST channel); SMS scripts then need TWILIO_AUTH_TOKEN,
TWILIO_ACCOUNT_SID, SMS_NUMBER and SMS_PUBLIC_URL (and SMS_SENDER_SECRET for tracker checks) from the
environment, and web chat scripts WEBCHAT_SESSION_SECRET (the web conversation is stored under a
keyed hash of the widget's session id).

Rasa is not imported here: the runner starts in well under a second.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import yaml

CHANNELS = ("rest", "sms", "socketio")
SENDS = ("say", "choose", "payload")
EXPECTATIONS = ("reply_contains", "reply_not_contains", "reply_matches", "offers", "no_reply", "outcome",
                "citations", "slots", "active_form")
TRACKER_EXPECTATIONS = ("outcome", "citations", "slots", "active_form")
TURN_SECONDS = 30.0
SMS_PATH = "/webhooks/sms/webhook"
SOCKETIO_PATH = "/chat/socket.io"
TEST_ACCOUNT_SID = "AC" + "0" * 32
TEST_SMS_NUMBER = "+18605550100"
# A started guide answers scripts as fast as they go: far more than a person types.
SCRIPT_RATE_LIMITS = {"RIGHTSGUIDE_MESSAGES_PER_MINUTE": "100000", "RIGHTSGUIDE_ADDRESS_MESSAGES_PER_MINUTE": "1000000"}
OPTION = re.compile(r"(?:^|\s)(\d{1,2}) (.+?)(?=\s{2}\d{1,2} |$)")


class ScriptError(ValueError):
    """A script that cannot be run as written: the message says what to change."""


class Failure(AssertionError):
    """A turn whose reply or state is not what the script expects."""


# --- scripts --------------------------------------------------------------------------------------------

@dataclass
class Turn:
    kind: str          # say, choose or payload
    value: str
    expect: Dict[str, Any]
    line: int = 0

    def describe(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{self.kind}: {value!r}"


@dataclass
class Script:
    path: Path
    name: str
    channel: str
    turns: List[Turn]

    @property
    def needs_tracker(self) -> bool:
        return any(key in turn.expect for turn in self.turns for key in TRACKER_EXPECTATIONS)


def _strings(value: Any, what: str) -> List[str]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
        raise ScriptError(f"{what} must be a piece of text or a list of them")
    return [str(v) for v in values]


def load_script(path: Union[str, Path]) -> Script:
    """Read and check one script; a ScriptError names what is wrong in plain words."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScriptError(f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ScriptError("a script must start with `name:`, `channel:` and `turns:`")
    unknown = set(data) - {"name", "channel", "turns", "description", "tags"}
    if unknown:
        raise ScriptError(f"unknown setting(s) {', '.join(sorted(map(str, unknown)))}; a script has name, channel "
                          "and turns")
    name = str(data.get("name") or path.stem).strip()
    channel = str(data.get("channel") or "rest").strip().lower()
    if channel not in CHANNELS:
        raise ScriptError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    raw_turns = data.get("turns")
    if not isinstance(raw_turns, list) or not raw_turns:
        raise ScriptError("`turns:` must be a list of turns, each starting with `- say:`")
    turns = []
    for number, raw in enumerate(raw_turns, 1):
        where = f"turn {number}"
        if not isinstance(raw, dict):
            raise ScriptError(f"{where}: a turn is `- say: ...` followed by `expect:`")
        sends = [key for key in SENDS if key in raw]
        if len(sends) != 1:
            raise ScriptError(f"{where}: a turn has exactly one of say, choose or payload")
        unknown = set(raw) - set(SENDS) - {"expect"}
        if unknown:
            raise ScriptError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        value = raw[sends[0]]
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ScriptError(f"{where}: `{sends[0]}` must be text (put numbers and yes/no in quotes: \"1\", \"yes\")")
        expect = raw.get("expect") or {}
        if not isinstance(expect, dict):
            raise ScriptError(f"{where}: `expect:` must list checks such as reply_contains")
        bad = set(expect) - set(EXPECTATIONS)
        if bad:
            raise ScriptError(f"{where}: unknown check(s) {', '.join(sorted(map(str, bad)))}; known checks: "
                              f"{', '.join(EXPECTATIONS)}")
        for key in ("reply_contains", "reply_not_contains", "reply_matches", "offers", "citations"):
            if key in expect:
                expect[key] = _strings(expect[key], f"{where}: {key}")
        for pattern in expect.get("reply_matches", []):
            try:
                re.compile(pattern)
            except re.error as error:
                raise ScriptError(f"{where}: reply_matches {pattern!r} is not a valid pattern ({error})") from None
        if "slots" in expect and not isinstance(expect["slots"], dict):
            raise ScriptError(f"{where}: slots must be a mapping, like slots: {{convicted: true}}")
        if "no_reply" in expect and not isinstance(expect["no_reply"], bool):
            raise ScriptError(f"{where}: no_reply must be true or false")
        turns.append(Turn(sends[0], str(value), expect, number))
    return Script(path, name, channel, turns)


def find_scripts(paths: Sequence[Union[str, Path]]) -> List[Path]:
    """Script files: the files given, and every .yml/.yaml directly in the folders given (sorted)."""
    found: List[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no script or folder at {path}")
    return found


# --- the guide ------------------------------------------------------------------------------------------

@dataclass
class Guide:
    """Where the guide answers and the secrets the runner needs to talk to it."""
    url: str
    token: Optional[str] = None
    twilio_token: Optional[str] = None
    sms_public_url: Optional[str] = None
    sms_secret: Optional[str] = None
    webchat_secret: Optional[str] = None
    account_sid: str = TEST_ACCOUNT_SID
    sms_number: str = TEST_SMS_NUMBER

    @classmethod
    def from_environment(cls, url: str) -> "Guide":
        env = os.environ
        return cls(url.rstrip("/"), env.get("RASA_AUTH_TOKEN") or None, env.get("TWILIO_AUTH_TOKEN") or None,
                   env.get("SMS_PUBLIC_URL") or None, env.get("SMS_SENDER_SECRET") or None,
                   env.get("WEBCHAT_SESSION_SECRET") or None, env.get("TWILIO_ACCOUNT_SID") or TEST_ACCOUNT_SID,
                   (env.get("SMS_NUMBER") or TEST_SMS_NUMBER).split(",")[0].strip())

    def tracker(self, conversation_id: str) -> Dict[str, Any]:
        query = f"?token={urllib.parse.quote(self.token)}" if self.token else ""
        url = f"{self.url}/conversations/{urllib.parse.quote(conversation_id)}/tracker{query}"
        try:
            with urllib.request.urlopen(url, timeout=TURN_SECONDS) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            hint = " (is RASA_AUTH_TOKEN the guide's token?)" if error.code in (401, 403) else ""
            raise Failure(f"could not read the conversation's tracker: HTTP {error.code}{hint}") from None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StartedGuide:
    """A guide of the runner's own: `with StartedGuide() as guide:` (stops it on the way out)."""

    def __init__(self, port: Optional[int] = None, actions_port: Optional[int] = None,
                 log_dir: Optional[Path] = None, model: Optional[Path] = None) -> None:
        self.model = model  # None: the newest in models/
        self.port = port or free_port()
        self.actions_port = actions_port or free_port()
        self._scratch = tempfile.TemporaryDirectory(prefix="rightsguide-converse-")
        self.scratch = Path(self._scratch.name)
        self.log_dir = log_dir or self.scratch
        url = f"http://127.0.0.1:{self.port}"
        self.guide = Guide(url, secrets.token_hex(16), secrets.token_hex(16), url + SMS_PATH, secrets.token_hex(24),
                           secrets.token_hex(24))
        self.processes: list = []

    def environment(self) -> Dict[str, str]:
        return {"RASA_AUTH_TOKEN": self.guide.token, "TWILIO_AUTH_TOKEN": self.guide.twilio_token,
                "TWILIO_ACCOUNT_SID": self.guide.account_sid, "SMS_NUMBER": self.guide.sms_number,
                "SMS_PUBLIC_URL": self.guide.sms_public_url, "SMS_SENDER_SECRET": self.guide.sms_secret,
                "WEBCHAT_SESSION_SECRET": self.guide.webchat_secret,
                "RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{self.scratch / 'conversations.db'}", **SCRIPT_RATE_LIMITS}

    def start(self) -> Guide:
        from bot.server import DEVELOPMENT_CREDENTIALS, start_servers  # no Rasa import: Rasa runs as processes
        self.processes = start_servers(self.port, self.actions_port, model=self.model, extra_env=self.environment(),
                                       log_dir=self.log_dir, credentials=DEVELOPMENT_CREDENTIALS)
        return self.guide

    def stop(self) -> None:
        from bot.server import stop_servers
        stop_servers(self.processes)
        self.processes = []
        self._scratch.cleanup()

    def __enter__(self) -> Guide:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()


# --- channels -------------------------------------------------------------------------------------------

@dataclass
class Reply:
    """What the guide sent back for one turn: its texts and the choices it offered."""
    texts: List[str]
    choices: List[Tuple[str, str]] = field(default_factory=list)  # (title, what to send to pick it)

    @property
    def text(self) -> str:
        lines = list(self.texts)
        lines += [title for title, _ in self.choices if not any(title in t for t in self.texts)]
        return "\n".join(lines)


def _post(url: str, data: bytes, headers: Dict[str, str]) -> Tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TURN_SECONDS) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


class RestConversation:
    channel = "rest"

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.conversation_id = "converse-" + uuid.uuid4().hex

    def send(self, text: str) -> Reply:
        body = json.dumps({"sender": self.conversation_id, "message": text}).encode()
        status, raw = _post(f"{self.guide.url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
        if status != 200:
            raise Failure(f"the guide answered HTTP {status}: {raw[:200]}")
        messages = json.loads(raw)
        texts = [m["text"] for m in messages if m.get("text")]
        choices = [(b.get("title", ""), b.get("payload", "")) for m in messages for b in m.get("buttons") or []]
        return Reply(texts, choices)

    def close(self) -> None:
        pass


def sign_twilio(auth_token: str, url: str, params: Dict[str, str]) -> str:
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by the sorted fields."""
    import base64
    import hashlib
    import hmac
    payload = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()).decode()


def webchat_conversation_id(secret: str, session_id: str) -> str:
    """As bot/channels/webchat.py's conversation_id_for: HMAC-SHA256(secret, "webchat:" + session id), hex."""
    import hashlib
    import hmac
    return hmac.new(secret.encode("utf-8"), f"webchat:{session_id}".encode("utf-8"), hashlib.sha256).hexdigest()


def sms_conversation_id(secret: str, phone: str) -> str:
    """As bot/channels/sms.py's conversation_id_for: HMAC-SHA256(secret, number), hex."""
    import hashlib
    import hmac
    return hmac.new(secret.encode("utf-8"), phone.strip().encode("utf-8"), hashlib.sha256).hexdigest()


class SMSConversation:
    channel = "sms"

    def __init__(self, guide: Guide) -> None:
        if not guide.twilio_token or not guide.sms_public_url:
            raise ScriptError("SMS scripts need TWILIO_AUTH_TOKEN and SMS_PUBLIC_URL (the guide's) in the environment")
        self.guide = guide
        # Ten random digits: with seven, a few thousand scripts against one guide's store met an old number now
        # and then and went on with another script's conversation.
        self.phone = f"+1555{secrets.randbelow(10 ** 10):010d}"
        self.conversation_id = sms_conversation_id(guide.sms_secret, self.phone) if guide.sms_secret else None

    def send(self, text: str) -> Reply:
        params = {"From": self.phone, "To": self.guide.sms_number, "Body": text, "MessageSid": "SM" + uuid.uuid4().hex,
                  "AccountSid": self.guide.account_sid, "NumMedia": "0", "ApiVersion": "2010-04-01"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": sign_twilio(self.guide.twilio_token, self.guide.sms_public_url, params)}
        status, raw = _post(self.guide.url + SMS_PATH, urllib.parse.urlencode(params).encode(), headers)
        if status != 200:
            raise Failure(f"the SMS webhook answered HTTP {status}: {raw[:200]}")
        try:
            root = ElementTree.fromstring(raw)
        except ElementTree.ParseError:
            raise Failure(f"the SMS webhook did not answer TwiML: {raw[:200]}") from None
        texts = [m.text or "" for m in root.iter("Message")]
        choices = []
        for line in (texts[-1].splitlines() if texts else []):
            options = OPTION.findall(line)
            if options and line.lstrip().startswith(options[0][0] + " "):
                choices = [(title.strip(), number) for number, title in options]
        return Reply(texts, choices)

    def close(self) -> None:
        pass


class SocketIOConversation:
    channel = "socketio"

    def __init__(self, guide: Guide) -> None:
        import logging
        import socketio  # python-socketio, installed with Rasa
        for name in ("engineio.client", "socketio.client"):  # "websocket-client not installed": polling is fine
            logging.getLogger(name).setLevel(logging.ERROR)
        if not guide.webchat_secret:
            raise ScriptError("web chat scripts need WEBCHAT_SESSION_SECRET (the guide's) in the environment")
        self.guide = guide
        self.session_id = secrets.token_hex(16)
        self.conversation_id = webchat_conversation_id(guide.webchat_secret, self.session_id)
        self.messages: List[Dict[str, Any]] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False, logger=False, engineio_logger=False)
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda *_: confirmed.set())
        self.client.on("bot_uttered", self._on_bot_uttered)
        self.client.connect(guide.url, socketio_path=SOCKETIO_PATH, transports=["polling"],
                            wait_timeout=TURN_SECONDS)
        self.client.emit("session_request", {"session_id": self.session_id})
        if not confirmed.wait(TURN_SECONDS):
            raise Failure("the web chat did not confirm the session")

    def _on_bot_uttered(self, data: Any) -> None:
        with self.arrived:
            self.messages.append(data if isinstance(data, dict) else {"text": str(data)})
            self.arrived.notify_all()

    def _progress(self) -> Tuple[int, int, bool]:
        """Messages from the person, events, and whether the guide is listening again."""
        events = self.guide.tracker(self.conversation_id).get("events") or []
        listening = bool(events) and events[-1].get("event") == "action" and events[-1].get("name") == "action_listen"
        return sum(1 for e in events if e.get("event") == "user"), len(events), listening

    def send(self, text: str) -> Reply:
        """Emit the message, wait until the tracker shows the turn finished (or the conversation was
        erased), then collect what arrived."""
        with self.arrived:
            before = len(self.messages)
        users_before, events_before, _ = self._progress()
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        if not text.strip():  # the channel ignores an empty message: nothing will come
            time.sleep(0.5)
        else:
            deadline = time.monotonic() + TURN_SECONDS
            while True:
                users, events, listening = self._progress()
                if (users > users_before and listening) or events < events_before:
                    break
                if time.monotonic() > deadline:
                    raise Failure(f"the turn did not finish within {TURN_SECONDS:.0f} s")
                time.sleep(0.1)
        time.sleep(0.15)  # emits are sent before the tracker is saved; let the last ones arrive
        with self.arrived:
            messages = self.messages[before:]
        texts = [m["text"] for m in messages if m.get("text")]
        choices = [(b.get("title", ""), b.get("payload", "")) for m in messages
                   for b in (m.get("buttons") or []) + (m.get("quick_replies") or [])]
        return Reply(texts, choices)

    def close(self) -> None:
        try:
            self.client.disconnect()
        except Exception:
            pass


CONVERSATIONS: Dict[str, Callable[[Guide], Any]] = {"rest": RestConversation, "sms": SMSConversation,
                                                      "socketio": SocketIOConversation}


# --- checks ---------------------------------------------------------------------------------------------

def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


def _quote(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual or (isinstance(actual, str) and str(expected).lower() == actual.lower())
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(expected) == float(actual)
    if expected is None or actual is None:
        return expected is None and actual is None
    return str(expected) == str(actual)


def check_reply(expect: Dict[str, Any], reply: Reply) -> None:
    said = reply.text
    if expect.get("no_reply") is True and reply.texts:
        raise Failure(f"expected no reply, got {_quote(said)}")
    if expect.get("no_reply") is False and not reply.texts:
        raise Failure("expected a reply, got none")
    if not reply.texts and any(k in expect for k in ("reply_contains", "reply_matches", "offers")):
        raise Failure("expected a reply, got none")
    for wanted in expect.get("reply_contains", []):
        if _normal(wanted) not in _normal(said):
            raise Failure(f"reply does not contain {wanted!r}; it was {_quote(said)}")
    for unwanted in expect.get("reply_not_contains", []):
        if _normal(unwanted) in _normal(said):
            raise Failure(f"reply contains {unwanted!r}, which it should not; it was {_quote(said)}")
    for pattern in expect.get("reply_matches", []):
        if not re.search(pattern, said):
            raise Failure(f"reply does not match {pattern!r}; it was {_quote(said)}")
    offered = [title for title, _ in reply.choices]
    for title in expect.get("offers", []):
        if not any(_normal(title) == _normal(o) for o in offered):
            raise Failure(f"the choice {title!r} was not offered; the choices were {offered}")


def check_tracker(expect: Dict[str, Any], tracker: Dict[str, Any]) -> None:
    slots = tracker.get("slots") or {}
    if "active_form" in expect:
        wanted = expect["active_form"]
        active = (tracker.get("active_loop") or {}).get("name")
        if wanted in (None, "", "none", False):
            if active:
                raise Failure(f"expected no active form, but {active} is active")
        elif active != wanted:
            raise Failure(f"expected the form {wanted} to be active, but {active or 'no form'} is")
    determination = None
    if "outcome" in expect or "citations" in expect:
        raw = slots.get("determination")
        if not raw:
            raise Failure("expected a determination, but the guide has not made one")
        determination = json.loads(raw) if isinstance(raw, str) else raw
    if "outcome" in expect and determination.get("outcome") != expect["outcome"]:
        raise Failure(f"expected the outcome {expect['outcome']}, got {determination.get('outcome')}")
    if "citations" in expect:
        cited = [str(c) for c in determination.get("citations") or []]
        plain = [c.replace("CGS", "").strip() for c in cited]
        for citation in expect["citations"]:
            if citation.replace("CGS", "").strip() not in plain:
                raise Failure(f"the determination does not cite {citation}; it cites {', '.join(cited)}")
    for name, wanted in (expect.get("slots") or {}).items():
        if name not in slots:
            raise Failure(f"there is no slot named {name}")
        if not _same(wanted, slots[name]):
            raise Failure(f"expected the slot {name} to be {wanted!r}, got {slots[name]!r}")


# --- running --------------------------------------------------------------------------------------------

@dataclass
class Result:
    script: Script
    passed: bool
    turns_run: int
    seconds: float
    failed_turn: Optional[Turn] = None
    message: str = ""
    error: bool = False  # the script could not run (as opposed to: the guide said the wrong thing)


def message_for(turn: Turn, reply: Optional[Reply], channel: str) -> str:
    if turn.kind == "say":
        return turn.value
    if turn.kind == "payload":
        return turn.value if turn.value.startswith("/") else "/" + turn.value
    choices = reply.choices if reply else []
    for title, value in choices:
        if _normal(title) == _normal(turn.value):
            return value
    raise Failure(f"no choice titled {turn.value!r} was offered; the choices were {[t for t, _ in choices]}")


def run_script(script: Script, guide: Guide) -> Result:
    started = time.monotonic()
    conversation = None
    turn: Optional[Turn] = None
    done = 0
    try:
        conversation = CONVERSATIONS[script.channel](guide)
        if script.needs_tracker and not conversation.conversation_id:
            raise ScriptError("checking slots, forms or outcomes of an SMS script needs SMS_SENDER_SECRET")
        reply: Optional[Reply] = None
        for turn in script.turns:
            reply = conversation.send(message_for(turn, reply, script.channel))
            check_reply(turn.expect, reply)
            if any(key in turn.expect for key in TRACKER_EXPECTATIONS):
                check_tracker(turn.expect, guide.tracker(conversation.conversation_id))
            done += 1
        return Result(script, True, done, time.monotonic() - started)
    except Failure as failure:
        return Result(script, False, done, time.monotonic() - started, turn, str(failure))
    except Exception as error:  # a script or connection problem: reported, not raised
        return Result(script, False, done, time.monotonic() - started, turn,
                      f"{type(error).__name__}: {error}", error=True)
    finally:
        if conversation is not None:
            conversation.close()


def table(results: Sequence[Result], width: int = 120) -> str:
    """The pass/fail table, failures with the turn and the first difference."""
    rows = []
    name_width = min(70, max([len(r.script.path.name) for r in results] + [6]))
    header = f"{'Result':<6}  {'Script':<{name_width}}  {'Channel':<8}  {'Turns':>5}  {'Time':>6}"
    rows.append(header)
    rows.append("-" * len(header))
    for r in results:
        status = "pass" if r.passed else ("ERROR" if r.error else "FAIL")
        turns = f"{r.turns_run}/{len(r.script.turns)}"
        rows.append(f"{status:<6}  {r.script.path.name[:name_width]:<{name_width}}  {r.script.channel:<8}  "
                    f"{turns:>5}  {r.seconds:5.1f}s")
        if not r.passed:
            where = f"turn {r.failed_turn.line} ({r.failed_turn.describe()})" if r.failed_turn else "before the first turn"
            rows.append(f"        {r.script.name}")
            rows.append(f"        at {where}: {r.message}"[:width * 3])
    passed = sum(r.passed for r in results)
    rows.append("-" * len(header))
    rows.append(f"{passed} of {len(results)} scripts passed")
    return "\n".join(rows)


def write_junit(results: Sequence[Result], path: Union[str, Path]) -> None:
    suite = ElementTree.Element("testsuite", name="conversation scripts", tests=str(len(results)),
                                failures=str(sum(not r.passed and not r.error for r in results)),
                                errors=str(sum(r.error for r in results)),
                                time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ElementTree.SubElement(suite, "testcase", classname=f"conversations.{r.script.channel}",
                                      name=f"{r.script.path.name}: {r.script.name}", file=str(r.script.path),
                                      time=f"{r.seconds:.3f}")
        if not r.passed:
            where = f"turn {r.failed_turn.line} ({r.failed_turn.describe()})" if r.failed_turn else "setup"
            element = ElementTree.SubElement(case, "error" if r.error else "failure", message=r.message[:500])
            element.text = f"{where}: {r.message}"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def run_loaded(scripts: Sequence[Script], guide: Guide, workers: int = 4, progress: bool = True) -> List[Result]:
    results: List[Optional[Result]] = [None] * len(scripts)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(scripts), desc="conversations", unit="script", file=sys.stderr, disable=None)
    lock = threading.Lock()

    def one(index: int) -> None:
        results[index] = run_script(scripts[index], guide)
        if bar is not None:
            with lock:
                bar.update(1)
                if not results[index].passed:
                    bar.set_postfix_str(f"{sum(1 for r in results if r and not r.passed)} failed")

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, range(len(scripts))))
    if bar is not None:
        bar.close()
    return [r for r in results if r is not None]


def run_scripts(paths: Sequence[Union[str, Path]], url: Optional[str] = None, workers: int = 4,
                junit: Optional[Union[str, Path]] = None, port: Optional[int] = None,
                actions_port: Optional[int] = None, out=None, progress: bool = True) -> int:
    """Run the scripts at `paths` (files or folders); print the table; 0 when all pass, 1 when any fails,
    2 when a script cannot be read. Starts a guide (on `port`/`actions_port`, free ports by default)
    unless `url` names a running one."""
    out = out or sys.stdout
    if isinstance(paths, (str, Path)):
        paths = [paths]
    try:
        files = find_scripts(paths)
    except FileNotFoundError as error:
        print(error, file=out)
        return 2
    scripts, unreadable = [], []
    for file in files:
        try:
            scripts.append(load_script(file))
        except ScriptError as error:
            unreadable.append(f"{file}: {error}")
    if unreadable:
        print("These scripts cannot be run as written:\n  " + "\n  ".join(unreadable), file=out)
        return 2
    if not scripts:
        print("No scripts found (a script is a .yml file).", file=out)
        return 2
    if url:
        results = run_loaded(scripts, Guide.from_environment(url), workers, progress)
    else:
        print(f"Starting a guide for {len(scripts)} scripts...", file=out, flush=True)
        with StartedGuide(port, actions_port) as guide:
            results = run_loaded(scripts, guide, workers, progress)
    print(table(results), file=out, flush=True)
    if junit:
        write_junit(results, junit)
    return 0 if all(r.passed for r in results) else 1


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="rightsguide converse", description="Run conversation scripts.")
    parser.add_argument("scripts", nargs="+", metavar="SCRIPT_OR_DIR")
    parser.add_argument("--url", help="a running guide, e.g. http://127.0.0.1:5005 (default: start one)")
    parser.add_argument("--workers", type=int, default=4, help="conversations at once (default 4)")
    parser.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    args = parser.parse_args(argv)
    return run_scripts(args.scripts, url=args.url, workers=args.workers, junit=args.junit)


if __name__ == "__main__":
    sys.exit(main())
