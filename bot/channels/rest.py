"""The REST channel for development and tests (`rightsguide chat`, conversation scripts), at
/webhooks/rest/webhook: Rasa's REST channel with the guide's limits.

REST trusts the `sender` it is given, so whoever can reach it can read, steer or erase any
conversation whose id they know: it is for the loopback interface only. credentials.yml (production)
does not name it; credentials-dev.yml does, and bot/rasa_server.py refuses to start a server with a
REST channel on any other interface.

What differs from Rasa's `rest:`:
- A message longer than a person types gets a polite reply and no turn; messages faster than a
  person types, per sender and per client address, too (bot/channels/limits.py).
- The body must be a JSON object with text `sender` and `message`: anything else is a 400 that says
  which field is wrong. The channel's name is always "rest" (Rasa takes `input_channel` from the body,
  and the anonymous report would count whatever a client wrote there).
- A failed turn is logged by the kind of its error only: Rasa logs the message's text with it.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import limits

logger = logging.getLogger(__name__)

MAX_SENDER_CHARACTERS = 128


def bad_request(field: str, problem: str) -> HTTPResponse:
    return response.json({"error": f"{field}: {problem}"}, status=400)


class LocalRestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self) -> None:
        self.per_sender = limits.per_conversation()
        self.per_address = limits.per_address()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("local_rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises on a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return bad_request("body", 'must be a JSON object like {"sender": "...", "message": "..."}')
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARACTERS:
                return bad_request("sender", f"must be a text of 1 to {MAX_SENDER_CHARACTERS} characters")
            if not isinstance(text, str):
                return bad_request("message", "must be a text")
            if len(text) > limits.MAX_MESSAGE_CHARACTERS:
                return response.json([{"recipient_id": sender, "text": limits.TOO_LONG_REPLY}])
            if not (self.per_sender.allow(sender) and self.per_address.allow(limits.client_address(request))):
                return response.json([{"recipient_id": sender, "text": limits.TOO_FAST_REPLY}])
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None  # tests tag turns
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                                 metadata=metadata))
            except Exception as error:  # the message may be in the error's words: log its kind only
                logger.error("rest: the turn failed (%s)", type(error).__name__)
            return response.json(collector.messages)

        return rest
