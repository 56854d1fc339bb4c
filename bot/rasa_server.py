"""Run the Rasa server (`rasa run`) the guide's way: `python -m bot.rasa_server [--model models] [--port 5005]
[--interface 127.0.0.1] [--endpoints endpoints.yml] [--credentials credentials.yml]`.

What it adds to `rasa run`, each because a web page or a stranger could otherwise use the server:
- The HTTP API (`/conversations/...`, `/model`) is on only when RASA_AUTH_TOKEN is set, and the token
  is handed to Rasa inside this process, never on a command line (any user of the machine can read
  those in the process list). Without a token Rasa's API answers anyone.
- Requests must name a host the guide answers to: a loopback name, an IP address, the host of
  SMS_PUBLIC_URL, or one listed in RIGHTSGUIDE_ALLOWED_HOSTS (comma-separated). Any other Host header
  gets 400, so a web page cannot reach the server through DNS rebinding.
- POST, PUT and PATCH must send JSON (415 otherwise), except to the SMS webhook (Twilio posts a form)
  and the web chat's socket.io path (engine.io posts text): a web page cannot send JSON to another
  origin without asking first (CORS), and the guide says no.
- No request body over 64 KiB (Sanic's default is 100 MB); the SMS webhook refuses more than 16 KiB
  itself, before reading it.
- A REST channel (which trusts the sender it is given) only on a loopback interface: with REST on any
  other interface the server does not start (exit 2).
- Behind a reverse proxy, RIGHTSGUIDE_PROXIES_COUNT (the number of proxies in front) lets the rate
  limits see each client's own address (Sanic's PROXIES_COUNT).
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import os
import sys
from typing import Any, Callable, Iterable, List, Optional, Sequence
from urllib.parse import urlsplit

TOKEN_VARIABLE = "RASA_AUTH_TOKEN"
ALLOWED_HOSTS_VARIABLE = "RIGHTSGUIDE_ALLOWED_HOSTS"
PROXIES_VARIABLE = "RIGHTSGUIDE_PROXIES_COUNT"
REQUEST_MAX_SIZE = 64 * 1024
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
SMS_WEBHOOK_PATH = "/webhooks/sms/webhook"
REFUSED = 2

logger = logging.getLogger(__name__)


class ServerSettingError(SystemExit):
    """A setting the server must not start with; the message names it."""

    def __init__(self, message: str) -> None:
        print(f"rightsguide: {message}", file=sys.stderr, flush=True)
        super().__init__(REFUSED)


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str:
    """The host in a Host header, without its port: 'guide.example.org:443' -> 'guide.example.org'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.index("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(environment: Optional[dict] = None) -> set:
    environment = environment if environment is not None else os.environ
    hosts = {h.strip().lower() for h in environment.get(ALLOWED_HOSTS_VARIABLE, "").split(",") if h.strip()}
    sms_host = urlsplit(environment.get("SMS_PUBLIC_URL", "")).hostname
    return hosts | ({sms_host.lower()} if sms_host else set())


def host_allowed(header: Optional[str], named: set) -> bool:
    """Loopback names, IP literals and the named hosts. A DNS-rebinding page always sends its own
    domain name, never an IP address, so IP literals (health checks by pod IP) are safe."""
    if not header:
        return False
    host = host_of(header)
    if host in named or host in LOOPBACK_NAMES:
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def is_json(content_type: Optional[str]) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "application/json"


def refuse_rest_off_loopback(input_channels: Iterable[Any], interface: str) -> None:
    if not is_loopback(interface) and any(channel.name() == "rest" for channel in input_channels or []):
        raise ServerSettingError(
            f"the credentials file has a REST channel and the server would listen on {interface}. REST trusts "
            "the sender it is given (anyone could read or erase any conversation): it is for the loopback "
            "interface only. Use credentials.yml (no rest:) for a server others can reach, or listen on "
            "127.0.0.1.")


def protect(app: Any, input_channels: Iterable[Any]) -> None:
    """Add the checks of the module notes to a configured Rasa app."""
    from sanic import response

    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    proxies = os.environ.get(PROXIES_VARIABLE, "").strip()
    if proxies:
        try:
            app.config.PROXIES_COUNT = int(proxies)
        except ValueError:
            raise ServerSettingError(f"{PROXIES_VARIABLE} must be the number of proxies in front, like 1; "
                                     f"it is {proxies!r}") from None
    named = allowed_hosts()
    not_json = (SMS_WEBHOOK_PATH,) + tuple(
        str(channel.socketio_path).rstrip("/") for channel in input_channels or [] if getattr(channel, "socketio_path", None))

    async def freeze_what_is_loaded(*_: Any) -> None:
        # The loaded model is hundreds of MB of Python objects that live as long as the server: moved out
        # of the collector's reach, a full collection no longer walks them all, which held the event
        # loop (and every other request) for about 0.3 s at random turns.
        gc.collect()
        gc.freeze()

    app.register_listener(freeze_what_is_loaded, "after_server_start")

    @app.middleware("request")
    async def answer_only_what_the_guide_serves(request: Any) -> Any:
        if not host_allowed(request.headers.get("host"), named):
            logger.warning("refused a request for a host this guide does not serve")
            return response.text("Bad Request: unknown host", status=400)
        if request.method in ("POST", "PUT", "PATCH") and not request.path.startswith(not_json) \
                and not is_json(request.content_type):
            return response.json({"error": "send JSON (Content-Type: application/json)"}, status=415)
        return None


def with_protections(configure_app: Callable[..., Any], interface: str) -> Callable[..., Any]:
    def configure(input_channels: Optional[List[Any]] = None, *args: Any, **kwargs: Any) -> Any:
        refuse_rest_off_loopback(input_channels, interface)
        app = configure_app(input_channels, *args, **kwargs)
        protect(app, input_channels)
        return app

    return configure


def rasa_arguments(args: argparse.Namespace, token: Optional[str]) -> List[str]:
    arguments = ["run", "--model", args.model, "--port", str(args.port), "--interface", args.interface,
                 "--endpoints", args.endpoints, "--credentials", args.credentials]
    if token:
        arguments += ["--enable-api", "--auth-token", token]
    return arguments


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.rasa_server", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models", help="a model, or a folder whose newest model is used")
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--interface", default="127.0.0.1")
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--credentials", default="credentials.yml")
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_VARIABLE, "").strip() or None

    import rasa.__main__
    import rasa.core.run

    from bot import rasa_fixes

    rasa_fixes.apply()
    rasa.core.run.configure_app = with_protections(rasa.core.run.configure_app, args.interface)
    # Rasa reads its options from sys.argv; changing it here does not change what the process list shows.
    sys.argv = ["rasa"] + rasa_arguments(args, token)
    rasa.__main__.main()


if __name__ == "__main__":
    main()
