"""Run the action server (rasa-sdk) the guide's way: `python -m bot.action_server [--port 5055]
[--host 127.0.0.1]`.

Rasa sends the action server the whole conversation on every turn, so only Rasa may call it:
- It listens on the loopback interface unless told otherwise (`rasa run actions` binds 0.0.0.0, from
  rasa-sdk's SANIC_HOST default). With several machines (docs/deployment.md) it listens on the
  pod's address, and the shared secret below is what keeps others out.
- Every call but GET /health must carry the shared secret ACTION_SERVER_TOKEN in the
  X-Rightsguide-Action-Token header (Rasa sends it: endpoints.yml `action_endpoint.headers`);
  without it, 403. The server does not start without the secret.
- Compressed bodies are refused (415): rasa-sdk inflates a deflate body without limit, so a 1 MB
  post could ask for 1 GiB. Rasa sends plain JSON (COMPRESS_ACTION_SERVER_REQUEST is off).
- Bodies over 2 MiB are refused by Sanic (413) before they are read.
- An action that fails is logged by the kind of its error only, and the answer says nothing of the
  request: rasa-sdk answered a 500 with the request's whole body (the conversation, with the
  person's messages), and Rasa logged that answer.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from typing import Optional, Sequence

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
TOKEN_HEADER = "X-Rightsguide-Action-Token"
MINIMUM_TOKEN_LENGTH = 16
REQUEST_MAX_SIZE = 2 * 1024 * 1024

logger = logging.getLogger(__name__)


def action_headers(environment: Optional[dict] = None) -> dict:
    """The header a caller of the action server sends (for tools that call it without endpoints.yml)."""
    token = (environment if environment is not None else os.environ).get(TOKEN_VARIABLE, "")
    return {TOKEN_HEADER: token} if token else {}


def create_app(token: str, actions: str = "actions"):
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from sanic import response
    from sanic.exceptions import SanicException

    app = create_sdk_app(actions, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    expected = token.encode("utf-8")

    @app.middleware("request")
    async def only_rasa(request):
        if request.method == "GET" and request.path == "/health":
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            logger.warning("action server: refused a request without the shared secret")
            return response.json({"error": f"this server answers only with {TOKEN_HEADER}"}, status=403)
        if (request.headers.get("Content-Encoding") or "identity").strip().lower() != "identity":
            return response.json({"error": "compressed bodies are not accepted; send plain JSON"}, status=415)
        return None

    @app.exception(Exception)
    async def failed(request, exception: Exception):
        if isinstance(exception, SanicException):
            status = getattr(exception, "status_code", 500) or 500
            return response.json({"error": type(exception).__name__}, status=status)
        # The error's words can hold the person's (a ValueError quoting a date they typed): its kind only.
        logger.error("action server: an action failed (%s)", type(exception).__name__)
        return response.json({"error": "the action failed"}, status=500)

    return app


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default="127.0.0.1", help="the interface to listen on (default: loopback only)")
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if len(token) < MINIMUM_TOKEN_LENGTH:
        print(f"action server: set {TOKEN_VARIABLE} to a long random string (at least {MINIMUM_TOKEN_LENGTH} "
              "characters), the same for the Rasa server; `rightsguide serve` makes one for each run.",
              file=sys.stderr)
        return 2
    from rasa_sdk import utils

    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = create_app(token, args.actions)
    logger.info("Action server listening on http://%s:%d", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
