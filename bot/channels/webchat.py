"""The web chat channel: the guide's own page at `/chat` and the widget an advocacy group embeds with
one script tag, talking socket.io to this channel.

Registered in credentials.yml as `bot.channels.webchat.WebChatInput:`; its one option is
`socketio_path` (default /chat/socket.io). Settings the organisation may change are in organisation.yml:
`name`, `referral_contacts`, `colours`, `exit_url`, `allowed_origins` (read at start-up).
Everything is served by the guide itself from the channel's blueprint, under `/chat`:

- `/chat`                   a neutral page that holds the conversation full-size (no site may frame it);
- `/chat/widget.js`         what a site embeds (`<script src="https://GUIDE/chat/widget.js" async></script>`):
                            a launcher and a frame, in the host page; with `/chat/widget.css`;
- `/chat/frame`             the conversation in that frame, a document of the guide's origin, which only
                            the guide and the `allowed_origins` may frame (CSP frame-ancestors): the host
                            page's scripts cannot read the transcript or the session id;
- `/chat/chat.js`, `/chat/chat.css`  the conversation (socket.io client vendored, pinned, bundled in);
- `/chat/config.json`       the organisation's settings the widget shows (from organisation.yml);
- `/chat/socket.io/`        the socket.io endpoint (credentials `socketio_path`).

What differs from Rasa's own socketio channel (rasa.core.channels.socketio):
- Origins: Rasa builds its server with `cors_allowed_origins=[]`, which turns python-socketio's
  Origin check off, so any web page could talk to the guide. Here only the guide's own origin and
  the origins in organisation.yml `allowed_origins` may connect; any other Origin gets HTTP 400
  before a socket.io session exists.
- Session persistence is always on, and `enter_room` is awaited when it is a coroutine: Rasa 3.6
  calls it without await, which python-socketio >= 5.10 made async (rasa#13027), so an upgrade
  would silently drop every reply after a reconnection.
- The session id the widget keeps in memory is a bearer secret (whoever holds it continues the
  conversation), so the server never stores or sends it anywhere: the conversation is stored, locked
  and sent to the action server under HMAC-SHA256(WEBCHAT_SESSION_SECRET, session id). Ids that are
  not 128 random bits in hex are replaced by the server; a socket may ask for a session once, and
  may only speak in that session.
- The client's metadata is not stored; an over-long message, and messages faster than a person
  types (per socket and per client address), are answered kindly, not processed
  (bot/channels/limits.py).

Configuration: WEBCHAT_SESSION_SECRET (a long random string, the same on every replica); unset, the
guide keeps one of its own in var/webchat-session-secret (0600). Changing it starts every web
conversation afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text
from urllib.parse import urlsplit

import engineio
import socketio
import yaml
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import limits
from bot.private_files import stored_secret

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
ORGANISATION_VARIABLE = "ORGANISATION_CONFIG"  # the same variable the actions read
CONTACTS_FILE = ROOT / "rules" / "law" / "contacts.yaml"

URL_PREFIX = "/chat"
DEFAULT_SOCKETIO_PATH = "/chat/socket.io"
DEFAULT_NAME = "Rights guide"
DEFAULT_EXIT_URL = "https://www.weather.gov"
DEFAULT_COLOURS = {"primary": "#1d4f91", "exit": "#b3261e"}
STATEWIDE_CONTACTS = ("emergency", "national_hotline")  # always shown in the widget, after the organisation's
MAX_MESSAGE_CHARS = limits.MAX_MESSAGE_CHARACTERS  # the widget's text box says the same (widget.js)
MAX_PACKET_BYTES = 16 * 1024
SECRET_VARIABLE = "WEBCHAT_SESSION_SECRET"
SECRET_FILE = ROOT / "var" / "webchat-session-secret"
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
# What the guide serves under /chat: the embed script and its styles are loaded by other sites' pages;
# the conversation's script and styles only by the guide's own documents.
STATIC_FILES = {
    "widget.js": ("application/javascript; charset=utf-8", "cross-origin"),
    "widget.css": ("text/css; charset=utf-8", "cross-origin"),
    "chat.js": ("application/javascript; charset=utf-8", "same-origin"),
    "chat.css": ("text/css; charset=utf-8", "same-origin"),
}
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                           "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}")
PAGE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
}
# The conversation's document: the page at /chat ("page", no site may frame it) and the frame at
# /chat/frame ("frame", which only the guide itself and the allowed origins may frame).
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>Chat</title>
<link rel="stylesheet" href="{prefix}/chat.css">
</head>
<body data-layout="{layout}">
<script src="{prefix}/chat.js"></script>
</body>
</html>
"""


def page_headers(ancestors: Iterable[str]) -> Dict[str, str]:
    """The headers of a conversation document that these origins may show in a frame (none: 'none')."""
    allowed = " ".join(ancestors) or "'none'"
    return {"Content-Security-Policy": CONTENT_SECURITY_POLICY.format(ancestors=allowed), **PAGE_HEADERS}


# --- The organisation's settings ----------------------------------------------------------------

def organisation_file() -> Path:
    return Path(os.environ.get(ORGANISATION_VARIABLE) or ROOT / "organisation.yml")


def read_organisation(path: Optional[Path] = None) -> Dict[str, Any]:
    path = path or organisation_file()
    try:
        loaded = yaml.safe_load(path.read_text()) if path.is_file() else {}
    except yaml.YAMLError as error:
        logger.error(f"{path} is not valid YAML ({error}); the web chat uses its defaults")
        loaded = {}
    return loaded if isinstance(loaded, dict) else {}


def normalise_origin(value: Any) -> Optional[str]:
    """`https://Example.org/` -> `https://example.org`; anything that is not an http(s) origin -> None."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def allowed_origins(settings: Dict[str, Any]) -> List[str]:
    origins = []
    for value in settings.get("allowed_origins") or []:
        origin = normalise_origin(value)
        if origin is None:
            logger.warning(f"organisation.yml allowed_origins: {value!r} is not an origin like "
                           f"https://example.org (and '*' is not allowed); ignored")
        elif origin not in origins:
            origins.append(origin)
    return origins


def relative_luminance(colour: str) -> float:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever contrasts more: one of them always reaches 4.5:1 (WCAG AA)."""
    return max(("#ffffff", "#0b0c0c"), key=lambda text: contrast(background, text))


def colours(settings: Dict[str, Any]) -> Dict[str, str]:
    configured = settings.get("colours") or {}
    result = {}
    for key, default in DEFAULT_COLOURS.items():
        value = configured.get(key) if isinstance(configured, dict) else None
        if value and not (isinstance(value, str) and HEX_COLOUR.match(value)):
            logger.warning(f"organisation.yml colours.{key}: {value!r} is not a colour like #1d4f91; default used")
            value = None
        colour = (value or default).lower()
        result[key] = colour
        result[f"on_{key}"] = text_colour_on(colour)
    return result


def exit_url(settings: Dict[str, Any]) -> str:
    value = settings.get("exit_url")
    if value:
        parts = urlsplit(str(value).strip())
        if parts.scheme in ("http", "https") and parts.hostname:
            return str(value).strip()
        logger.warning(f"organisation.yml exit_url: {value!r} is not an http(s) URL; {DEFAULT_EXIT_URL} used")
    return DEFAULT_EXIT_URL


def clean_contact(contact: Any) -> Optional[Dict[str, str]]:
    if not isinstance(contact, dict) or not contact.get("name"):
        return None
    cleaned = {key: str(contact[key]) for key in ("name", "phone", "text", "hours") if contact.get(key)}
    return cleaned if cleaned.get("phone") or cleaned.get("text") else None


def statewide_contacts() -> List[Dict[str, str]]:
    try:
        listed = (yaml.safe_load(CONTACTS_FILE.read_text()) or {}).get("contacts") or []
    except (OSError, yaml.YAMLError):
        listed = []
    by_id = {c.get("id"): c for c in listed if isinstance(c, dict) and c.get("status") != "do_not_publish"}
    return [c for c in (clean_contact(by_id.get(i)) for i in STATEWIDE_CONTACTS) if c]


def chat_bundle() -> bytes:
    """chat.js as served: the vendored socket.io client first, wrapped so that it defines no global
    (it sees a CommonJS `module` and exports there), then the conversation, which finds the client as
    `io`. One request, one script."""
    client = (WIDGET_DIR / "socket.io.min.js").read_text(encoding="utf-8")
    client = re.sub(r"^//# sourceMappingURL=.*$", "", client, flags=re.M)
    chat = (WIDGET_DIR / "chat.js").read_text(encoding="utf-8")
    return ("(function () {\nvar module = { exports: {} }, exports = module.exports, define;\n" + client
            + "\nvar io = module.exports;\n" + chat + "\n})();\n").encode("utf-8")


def widget_config(settings: Dict[str, Any]) -> Dict[str, Any]:
    """What /chat/config.json serves: only what the widget shows or needs, nothing secret."""
    own = [c for c in (clean_contact(c) for c in settings.get("referral_contacts") or []) if c]
    return {
        "name": str(settings.get("name") or "").strip() or DEFAULT_NAME,
        "colours": colours(settings),
        "exit_url": exit_url(settings),
        "contacts": own + statewide_contacts(),
    }


# --- socket.io with an Origin check ----------------------------------------------------------------

class OriginCheckingEngineIO(engineio.AsyncServer):
    """engine.io server that accepts the guide's own origin (the Host the request was sent to, over
    http or https, or the forwarded host behind a proxy) and the organisation's configured origins.
    engine.io refuses any other Origin with 400 before a session exists; requests without an Origin
    header (not from a browser page) are not affected."""

    extra_origins: List[str] = []

    def _cors_allowed_origins(self, environ):
        own = []
        for header in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST"):
            host = (environ.get(header) or "").split(",")[0].strip()
            if host:
                own += [normalise_origin(f"http://{host}"), normalise_origin(f"https://{host}")]
        return [o for o in own if o] + list(self.extra_origins)


def socketio_server(origins: Iterable[str]) -> socketio.AsyncServer:
    engine_class = type("ConfiguredOriginEngineIO", (OriginCheckingEngineIO,), {"extra_origins": list(origins)})

    class Server(socketio.AsyncServer):
        def _engineio_server_class(self):
            return engine_class

    # cors_allowed_origins=None keeps engine.io's check on (Rasa passes [], which disables it).
    return Server(async_mode="sanic", cors_allowed_origins=None, cors_credentials=False,
                  max_http_buffer_size=MAX_PACKET_BYTES)


def conversation_id_for(secret: str, session_id: str) -> str:
    """The id a web conversation is stored under: HMAC-SHA256(secret, session id), hex."""
    return hmac.new(secret.encode("utf-8"), f"webchat:{session_id}".encode("utf-8"), hashlib.sha256).hexdigest()


async def join_room(sio: socketio.AsyncServer, sid: Text, room: Text, namespace: Optional[Text]) -> None:
    """`enter_room` is a plain method up to python-socketio 5.9 and a coroutine from 5.10 (rasa#13027):
    await it whenever it returns something awaitable."""
    joined = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(joined):
        await joined


# --- The channel ---------------------------------------------------------------------------------

class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output, named `webchat` so the domain can hold web-only response variations,
    and emitting in the channel's namespace."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def __init__(self, sio: socketio.AsyncServer, bot_message_evt: Text, namespace: Optional[Text] = None) -> None:
        super().__init__(sio, bot_message_evt)
        self.namespace = namespace

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await self.sio.emit(self.bot_message_evt, response, room=socket_id, namespace=self.namespace)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """A custom message (the summary for a lawyer, which the widget offers to print) as one event
        like any other; Rasa's own passes its keys to socket.io as arguments, and fails on others."""
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(SocketIOInput):
    """The web chat widget's channel (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Only `socketio_path` can be set: the widget speaks the default events in the default
        namespace, without a JWT (it is public), and always with session persistence."""
        credentials = credentials or {}
        path = str(credentials.get("socketio_path") or DEFAULT_SOCKETIO_PATH)
        return cls(socketio_path="/" + path.strip("/"))

    def __init__(self, socketio_path: Text = DEFAULT_SOCKETIO_PATH) -> None:
        # Session persistence is what keeps a conversation across a reconnection.
        super().__init__("user_uttered", "bot_uttered", None, True, socketio_path)
        settings = read_organisation()
        self.config = widget_config(settings)
        self.origins = allowed_origins(settings)
        self.secret = stored_secret(SECRET_VARIABLE, SECRET_FILE)
        self.per_socket = limits.per_conversation()
        self.per_address = limits.per_address()

    def url_prefix(self) -> Text:
        # Rasa mounts a channel at urljoin("/webhooks/", url_prefix()): an absolute prefix puts it at /chat.
        return URL_PREFIX

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return WebChatOutput(self.sio, self.bot_message_evt, self.namespace)

    def cors_headers(self, request: Request) -> Dict[str, str]:
        origin = normalise_origin(request.headers.get("origin"))
        if origin and origin in self.origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {"Vary": "Origin"}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = socketio_server(self.origins)
        self.sio = sio
        namespace = self.namespace
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)
        static = {name: (WIDGET_DIR / name).read_bytes() for name in STATIC_FILES}
        static["chat.js"] = chat_bundle()
        page = PAGE.format(prefix=URL_PREFIX, layout="page")
        frame = PAGE.format(prefix=URL_PREFIX, layout="frame")
        # The guide's own page may not be framed; the frame, only by the guide and the allowed origins.
        page_only = page_headers([])
        framed_by_allowed = page_headers(["'self'", *self.origins])

        @webchat.route("/", methods=["GET"])
        async def chat_page(_: Request) -> HTTPResponse:
            return response.html(page, headers=page_only)

        @webchat.route("/frame", methods=["GET"])
        async def chat_frame(_: Request) -> HTTPResponse:
            return response.html(frame, headers=framed_by_allowed)

        @webchat.route("/config.json", methods=["GET"])
        async def config(request: Request) -> HTTPResponse:
            return response.json({**self.config, "socketio_path": self.socketio_path},
                                 headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                                          **self.cors_headers(request)})

        def static_route(name: str, content_type: str, readers: str) -> None:
            async def serve(request: Request) -> HTTPResponse:
                shared = self.cors_headers(request) if readers == "cross-origin" else {}
                return response.raw(static[name], content_type=content_type, headers={
                    "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                    "Cross-Origin-Resource-Policy": readers, **shared})
            webchat.add_route(serve, f"/{name}", methods=["GET"], name=f"static_{name.replace('.', '_')}")

        for name, (content_type, readers) in STATIC_FILES.items():
            static_route(name, content_type, readers)

        addresses: Dict[Text, str] = {}

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict[str, Any], *_: Any) -> None:
            addresses[sid] = limits.client_address(environ.get("sanic.request"))

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text) -> None:
            addresses.pop(sid, None)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any) -> None:
            try:
                if await sio.get_session(sid, namespace=namespace):
                    logger.warning("web chat: a second session_request on one socket was refused")
                    return  # one conversation per socket: a socket cannot move into another's
            except KeyError:
                pass
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.match(requested) else None
            if session_id is None:  # missing or guessable: the conversation id must be a secret
                session_id = secrets.token_hex(16)
            conversation_id = conversation_id_for(self.secret, session_id)
            await sio.save_session(sid, {"session_id": session_id, "conversation_id": conversation_id},
                                   namespace=namespace)
            await join_room(sio, sid, conversation_id, namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            try:
                session = await sio.get_session(sid, namespace=namespace)
            except KeyError:
                return
            session_id = (session or {}).get("session_id")
            conversation_id = (session or {}).get("conversation_id")
            if not session_id or not conversation_id or not isinstance(data, dict):
                logger.debug("web chat: a message before session_request was ignored")
                return
            if data.get("session_id") not in (None, session_id):
                logger.warning("web chat: a message for a session this socket did not join was ignored")
                return
            text = data.get("message")
            if not isinstance(text, str) or not text.strip():
                return
            output = WebChatOutput(sio, self.bot_message_evt, namespace)
            if len(text) > MAX_MESSAGE_CHARS:
                await output.send_text_message(conversation_id, limits.TOO_LONG_REPLY)
                return
            if not (self.per_socket.allow(sid) and self.per_address.allow(addresses.get(sid, "unknown"))):
                await output.send_text_message(conversation_id, limits.TOO_FAST_REPLY)
                return
            await on_new_message(UserMessage(text, output, conversation_id, input_channel=self.name()))

        return webchat

