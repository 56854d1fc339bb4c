"""One guide for the conversation, robustness and soak tests: started on first use (ports 6005 and
6055) by bot.converse.StartedGuide, with REST, SMS (throwaway Twilio secrets) and the web chat, an
auth token for the HTTP API and a scratch SQLite database; stopped when the test process ends."""

import atexit
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ElementTree

from bot.converse import SMS_PATH, Guide, StartedGuide, sign_twilio, sms_conversation_id
from bot.server import latest_model

PORT, ACTIONS_PORT = 6005, 6055
_lock = threading.Lock()
_started = None


def running_guide() -> Guide:
    global _started
    with _lock:
        if _started is None:
            if latest_model() is None:
                raise RuntimeError("no trained model: `make test` trains one before the tests run")
            started = StartedGuide(PORT, ACTIONS_PORT)
            started.start()
            atexit.register(started.stop)
            _started = started
        return _started.guide


def post_rest(guide: Guide, sender: str, text: str, timeout: float = 30):
    """(HTTP status, raw body) of one REST message."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{guide.url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def post_sms(guide: Guide, phone: str, text: str, sid: str = None, timeout: float = 14):
    """(HTTP status, content type, raw body) of one signed SMS webhook."""
    params = {"From": phone, "To": "+18605550100", "Body": text, "MessageSid": sid or "SM" + uuid.uuid4().hex,
              "AccountSid": "AC" + "0" * 32, "NumMedia": "0"}
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign_twilio(guide.twilio_token, guide.sms_public_url, params)}
    request = urllib.request.Request(guide.url + SMS_PATH, data=urllib.parse.urlencode(params).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8", "replace")


def twiml_texts(raw: str):
    root = ElementTree.fromstring(raw)
    assert root.tag == "Response", raw[:200]
    assert all(child.tag == "Message" for child in root), raw[:200]
    return [message.text or "" for message in root.findall("Message")]


def new_phone() -> str:
    return f"+1555{secrets.randbelow(10 ** 10):010d}"  # as bot/converse.py: seven digits met old numbers


def sms_id(guide: Guide, phone: str) -> str:
    return sms_conversation_id(guide.sms_secret, phone)
