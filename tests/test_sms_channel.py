"""The SMS channel as Twilio and a person meet it: signed (and unsigned) form-encoded webhooks posted
to /webhooks/sms/webhook on a running guide (the Rasa server and the action server as
`rightsguide serve` starts them, with bot.channels.sms.SMSInput registered) on a scratch SQLite
database; replies read from the TwiML in the response."""

import asyncio
import hashlib
import hmac
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ElementTree

import pytest
from twilio.request_validator import RequestValidator

from bot.server import (DEVELOPMENT_CREDENTIALS, ROOT, latest_model, server_environment, start_servers,
                        stop_servers)

PORT, ACTIONS_PORT = 5605, 5655
URL = f"http://127.0.0.1:{PORT}/webhooks/sms/webhook"
AUTH_TOKEN = uuid.uuid4().hex
SECRET = uuid.uuid4().hex
ACCOUNT_SID = "AC" + uuid.uuid4().hex
NUMBER = "+18605550100"
SETTINGS = {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "SMS_PUBLIC_URL": URL, "SMS_SENDER_SECRET": SECRET,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "SMS_NUMBER": NUMBER}
TOPIC_WORDS = ("traffick", "prostitut", "rights", "law", "legal", "court", "victim", "survivor", "abuse")
# GSM 03.38 basic alphabet (no escape, no carriage return) and extension table.
GSM7 = set("@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
           "abcdefghijklmnopqrstuvwxyzäöñüà") | set("^{}\\[~]|€")
PHONES_USED = set()
BODIES_USED = set()
DESIGN_OPENING = "hi i have a prostitution charge from 2018 when my bf was selling me. can it go away"


# --- the running guide -------------------------------------------------------------------------------

class Guide:
    def __init__(self, scratch):
        self.scratch = scratch
        self.database = scratch / "conversations.db"
        self.credentials = DEVELOPMENT_CREDENTIALS
        self.env = {**SETTINGS, "RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{self.database}",
                    "WEBCHAT_SESSION_SECRET": SECRET}
        self.processes = []

    def start(self):
        self.processes = start_servers(PORT, ACTIONS_PORT, log_dir=self.scratch, extra_env=self.env,
                                       credentials=self.credentials)

    def stop(self):
        stop_servers(self.processes)
        self.processes = []

    def rows(self, table, conversation_id, column="conversation_id"):
        with sqlite3.connect(self.database) as db:
            return db.execute(f"select count(*) from {table} where {column} = ?", (conversation_id,)).fetchone()[0]

    def events(self, conversation_id):
        return self.rows("events", conversation_id, column="sender_id")


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    if latest_model() is None:
        pytest.fail("no trained model: `make test` trains one before the tests run")
    running = Guide(tmp_path_factory.mktemp("sms"))
    running.start()
    yield running
    running.stop()


def new_phone():
    phone = "+1860555" + str(uuid.uuid4().int)[:4]
    PHONES_USED.add(phone)
    return phone


def conversation_id(phone):
    """What the spec says the id is, computed here independently of the channel's code."""
    return hmac.new(SECRET.encode(), phone.encode(), hashlib.sha256).hexdigest()


def post(params, signature=None, url=URL, sign_url=URL, token=AUTH_TOKEN, body=None,
         content_type="application/x-www-form-urlencoded"):
    """POST a form-encoded webhook as Twilio does; returns (status, content type, raw body)."""
    if signature is None:
        signature = RequestValidator(token).compute_signature(sign_url, params)
    headers = {"Content-Type": content_type}
    if signature:
        headers["X-Twilio-Signature"] = signature
    data = body if body is not None else urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=14) as response:  # Twilio gives up after 15 s
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def twilio_params(phone, text, sid=None):
    BODIES_USED.add(text)
    return {"ToCountry": "US", "SmsMessageSid": sid, "NumMedia": "0", "From": phone, "To": NUMBER,
            "Body": text, "MessageSid": sid, "AccountSid": ACCOUNT_SID, "NumSegments": "1",
            "ApiVersion": "2010-04-01", "FromCountry": "US", "FromState": "CT"}


def texts_of(raw):
    root = ElementTree.fromstring(raw)
    assert root.tag == "Response"
    assert all(child.tag == "Message" for child in root)
    return [message.text or "" for message in root.findall("Message")]


def sms(phone, text, sid=None):
    """Send one signed SMS; return the texts of the reply, each checked to be phone-ready."""
    sid = sid or "SM" + uuid.uuid4().hex
    status, content_type, raw = post(twilio_params(phone, text, sid))
    assert status == 200, (status, raw)
    assert "xml" in content_type
    texts = texts_of(raw)
    assert len(texts) <= 3
    for reply in texts:
        assert set(reply) <= GSM7, reply
        assert len(reply) <= 320, reply
    return texts


def said(texts):
    return "\n".join(texts)


# --- configuration -----------------------------------------------------------------------------------

@pytest.mark.parametrize("missing", sorted(SETTINGS))
def test_the_channel_will_not_start_without_its_settings(missing, monkeypatch, tmp_path):
    from bot.channels.sms import SMSConfigurationError, SMSInput
    monkeypatch.setenv("RIGHTSGUIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(SMSConfigurationError, match=missing):
        SMSInput.from_credentials({})


def test_a_short_secret_or_a_relative_url_is_refused(monkeypatch, tmp_path):
    from bot.channels.sms import SMSConfigurationError, SMSInput
    monkeypatch.setenv("RIGHTSGUIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SMS_SENDER_SECRET", "short")
    with pytest.raises(SMSConfigurationError, match="SMS_SENDER_SECRET"):
        SMSInput.from_credentials({})
    monkeypatch.setenv("SMS_SENDER_SECRET", SECRET)
    monkeypatch.setenv("SMS_PUBLIC_URL", "/webhooks/sms/webhook")
    with pytest.raises(SMSConfigurationError, match="SMS_PUBLIC_URL"):
        SMSInput.from_credentials({})


def test_the_server_does_not_start_without_the_auth_token(tmp_path):
    """The Rasa server itself exits at once with an error that names the variable."""
    if latest_model() is None:
        pytest.fail("no trained model")
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("bot.channels.sms.SMSInput: {}\n")
    env = server_environment(9, {**SETTINGS, "RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    env.pop("TWILIO_AUTH_TOKEN")
    result = subprocess.run([sys.executable, "-m", "bot.rasa_server", "--model", str(latest_model()), "--port",
                             str(PORT), "--endpoints", "endpoints.yml", "--credentials", str(credentials)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode != 0
    assert "TWILIO_AUTH_TOKEN" in result.stdout + result.stderr


# --- refused requests --------------------------------------------------------------------------------

def test_forged_and_missing_signatures_are_refused_and_nothing_is_stored(guide):
    phone = new_phone()
    params = twilio_params(phone, "can a conviction be vacated", "SM" + uuid.uuid4().hex)
    tampered = dict(params, Body="something else")
    refused = [
        post(params, signature=""),                                        # no signature
        post(params, signature="bm90IGEgc2lnbmF0dXJl"),                    # made up
        post(params, token=uuid.uuid4().hex),                              # signed with another token
        post(tampered, signature=RequestValidator(AUTH_TOKEN).compute_signature(URL, params)),  # body changed
        # Signed for the URL the request itself arrived at, not the configured public URL.
        post(params, url=f"http://localhost:{PORT}/webhooks/sms/webhook",
             sign_url=f"http://localhost:{PORT}/webhooks/sms/webhook"),
    ]
    assert [status for status, _, _ in refused] == [403] * len(refused)
    assert all("<Message>" not in raw for _, _, raw in refused)
    cid = conversation_id(phone)
    assert guide.events(cid) == 0
    for table in ("sms_conversations", "sms_processed_messages", "sms_opt_outs"):
        assert guide.rows(table, cid) == 0


@pytest.mark.parametrize("drop", ["From", "Body", "MessageSid"])
def test_a_signed_body_without_from_body_or_messagesid_is_malformed(guide, drop):
    phone = new_phone()
    params = twilio_params(phone, "hello", "SM" + uuid.uuid4().hex)
    del params[drop]
    status, _, _ = post(params)
    assert status == 400
    assert guide.events(conversation_id(phone)) == 0


def test_a_signed_request_that_is_not_a_form_is_malformed(guide):
    status, _, _ = post({}, body=b'{"From": "someone", "Body": "hi", "MessageSid": "SM1"}',
                        content_type="application/json")
    assert status == 400


# --- a conversation ----------------------------------------------------------------------------------

def test_a_survivor_reaches_a_cited_answer_with_numbered_choices(guide):
    phone = new_phone()
    first = said(sms(phone, DESIGN_OPENING))
    assert "not a lawyer" in first and "911" in first
    assert "Text DELETE anytime" in first and "Deleting the texts on your phone may be safer too." in first
    assert "1 Yes, in a CT adult court  2 Yes, in juvenile court" in first
    assert "5 No: still open or dismissed  6 Not sure" in first
    # "my bf was selling me" already says she was trafficked (sold, 53a-192a(a)(3)): not asked again.
    answer = said(sms(phone, "1"))  # Yes, in a CT adult court
    assert "DELETE" not in answer  # the note is for the first reply only
    assert "must vacate" in answer and "CGS 54-95c" in answer
    assert "1 What to do next  2 Why?  3 Check another conviction  4 Summary for a lawyer  5 Talk to a person" \
        in answer
    why = sms(phone, "2")  # Why? The reasoning is long: at most three texts, the rest on MORE
    assert "How I got there" in why[0]
    if why[-1].endswith("(Reply MORE for the rest.)"):
        assert sms(phone, "MORE")


def test_the_first_reply_after_a_plain_hello_also_says_how_to_delete(guide):
    phone = new_phone()
    first = said(sms(phone, "hello"))
    assert "Text DELETE anytime" in first and "Deleting the texts on your phone" in first
    assert "Deleting the texts" not in said(sms(phone, "what counts as trafficking in ct"))


def test_a_retried_messagesid_runs_once_and_gets_the_same_reply(guide):
    phone = new_phone()
    cid = conversation_id(phone)
    sms(phone, "i want to clear a prostitution conviction")
    sid = "SM" + uuid.uuid4().hex
    params = twilio_params(phone, "1", sid)
    status, _, first = post(params)
    assert status == 200 and "trafficked" in first
    events = guide.events(cid)
    for _ in range(2):  # Twilio retries with the same MessageSid and the same signature
        status, _, again = post(params)
        assert status == 200 and again == first
    assert guide.events(cid) == events
    # The conversation carries on where it was: "1" (Yes) answers the trafficking question.
    assert "CGS 54-95c" in said(sms(phone, "1"))


def test_a_very_long_message_is_answered_politely_without_a_turn(guide):
    phone = new_phone()
    reply = sms(phone, "i need help " * 150)  # 1,800 characters
    assert reply == ["That message is very long; could you send a shorter one?"]
    assert guide.events(conversation_id(phone)) == 0


# --- carrier keywords --------------------------------------------------------------------------------

def test_help_is_neutral(guide):
    phone = new_phone()
    reply = said(sms(phone, "HELP"))
    assert reply.startswith("Info line:") and "STOP" in reply and "DELETE" in reply
    assert not any(word in reply.lower() for word in TOPIC_WORDS)
    assert guide.events(conversation_id(phone)) == 0


def test_stop_silences_everything_until_start(guide):
    phone = new_phone()
    sms(phone, "hi")
    earlier = twilio_params(phone, "what counts as trafficking", "SM" + uuid.uuid4().hex)
    assert post(earlier)[0] == 200
    stop = twilio_params(phone, "Stop", "SM" + uuid.uuid4().hex)
    status, _, raw = post(stop)
    assert texts_of(raw) == ["You have been unsubscribed. No more messages will be sent. Reply START to "
                             "resubscribe."]
    assert not any(word in raw.lower() for word in TOPIC_WORDS)
    events = guide.events(conversation_id(phone))
    for text in ("can a conviction be vacated", "1", "HELP", "STOP", "hello?"):
        assert sms(phone, text) == [], text
    assert texts_of(post(earlier)[2]) == []  # a late retry of a message from before STOP: nothing either
    assert texts_of(post(stop)[2])[0].startswith("You have been unsubscribed")  # a retry of STOP: the same
    assert guide.events(conversation_id(phone)) == events  # and no turn ran
    resumed = said(sms(phone, "START"))
    assert "resubscribed" in resumed and not any(word in resumed.lower() for word in TOPIC_WORDS)
    assert "CGS 53a-192a" in said(sms(phone, "what counts as trafficking in ct"))


def test_the_opt_out_survives_a_restart(guide):
    phone = new_phone()
    sms(phone, "hi")
    assert said(sms(phone, "UNSUBSCRIBE")).startswith("You have been unsubscribed")
    guide.stop()
    guide.start()
    assert sms(phone, "are you still there") == []
    assert "resubscribed" in said(sms(phone, "unstop"))
    assert sms(phone, "hello")


def test_delete_erases_the_conversation_from_the_tracker_store_and_the_channel(guide):
    phone = new_phone()
    cid = conversation_id(phone)
    sms(phone, "can a conviction be vacated")
    sms(phone, "1")
    sms(phone, "STOP")
    sms(phone, "START")
    assert guide.events(cid) > 0 and guide.rows("sms_conversations", cid) == 1
    assert guide.rows("sms_processed_messages", cid) > 0
    assert "erased" in said(sms(phone, "DELETE"))
    assert guide.events(cid) == 0
    assert guide.rows("sms_conversations", cid) == 0 and guide.rows("sms_processed_messages", cid) == 0
    again = said(sms(phone, "hi"))  # a fresh start, with the note again
    assert "not a lawyer" in again and "Deleting the texts on your phone" in again


def test_delete_after_stop_erases_without_a_reply(guide):
    phone = new_phone()
    cid = conversation_id(phone)
    sms(phone, "what counts as trafficking")
    sms(phone, "STOP")
    assert guide.events(cid) > 0
    assert sms(phone, "delete") == []
    assert guide.events(cid) == 0 and guide.rows("sms_conversations", cid) == 0
    assert guide.rows("sms_opt_outs", cid) == 1  # still opted out
    assert sms(phone, "hi") == []


# --- what is kept ------------------------------------------------------------------------------------

def test_no_phone_number_reaches_the_database_or_the_logs(guide):
    phone = "+18605550123"
    PHONES_USED.add(phone)
    marker = "zebracorn" + uuid.uuid4().hex[:6]
    sms(phone, f"hi {marker} i was convicted of prostitution")
    sms(phone, "1")
    sms(phone, f"yes {marker}")
    sms(phone, "STOP")
    sms(phone, "START")
    cid = conversation_id(phone)
    assert guide.events(cid) > 0  # the conversation is stored, under the keyed hash
    with sqlite3.connect(guide.database) as db:
        senders = {row[0] for row in db.execute("select distinct sender_id from events")}
    assert all(len(s) == 64 and set(s) <= set("0123456789abcdef") for s in senders)
    stored = b"".join(p.read_bytes() for p in guide.scratch.iterdir()
                      if p.name.startswith("conversations.db"))
    logs = "".join(p.read_text(errors="replace") for p in guide.scratch.glob("*.log"))
    assert logs  # the servers did write logs
    for number in PHONES_USED:
        digits = number.lstrip("+")
        for form in (number, digits, digits[1:]):  # +18605550123, 18605550123, 8605550123
            assert form.encode() not in stored, form
            assert form not in logs, form
    assert marker not in logs  # nor what the person wrote


# --- a slow turn ----------------------------------------------------------------------------------------

def test_a_slow_turn_is_answered_in_time_and_its_reply_waits_for_more(tmp_path):
    """In process, with a stand-in for Rasa that takes longer than the channel waits."""
    import aiohttp
    from sanic import Sanic

    from bot.channels.sms import SMSInput
    from bot.channels.sms_store import SMSStore

    async def scenario():
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/webhooks/sms/webhook"
        channel = SMSInput(AUTH_TOKEN, url, SECRET, ACCOUNT_SID, NUMBER, reply_seconds=0.5,
                           store=SMSStore(f"sqlite:///{tmp_path / 'slow.db'}"))
        turns = []

        async def slow_rasa(message):
            turns.append(message.text)
            await asyncio.sleep(1.5)
            await message.output_channel.send_text_message(message.sender_id, "Here is the answer.")

        app = Sanic("sms_slow_" + uuid.uuid4().hex[:8])
        app.blueprint(channel.blueprint(slow_rasa), url_prefix="/webhooks/sms")
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        await server.startup()
        replies = []
        try:
            async with aiohttp.ClientSession() as http:
                for text in ("hello", "MORE"):
                    await asyncio.sleep(1.5 if text == "MORE" else 0)
                    params = twilio_params("+18605550177", text, "SM" + uuid.uuid4().hex)
                    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
                    started = asyncio.get_running_loop().time()
                    async with http.post(url, data=params, headers={"X-Twilio-Signature": signature}) as response:
                        replies.append((response.status, texts_of(await response.text()),
                                        asyncio.get_running_loop().time() - started))
        finally:
            server.close()
            await server.wait_closed()
        return turns, replies

    PHONES_USED.add("+18605550177")
    turns, replies = asyncio.run(scenario())
    (status, slow, seconds), (_, more, _) = replies
    assert status == 200 and seconds < 1.4
    assert slow == ["Sorry, this is taking longer than usual. Reply MORE in a minute to get the answer."]
    assert more[0].startswith("Here is the answer.") and "Text DELETE anytime" in more[0]
    assert turns == ["hello"]  # MORE did not run a turn


def test_without_any_sms_setting_the_guide_runs_and_the_webhook_says_sms_is_off(monkeypatch):
    from bot.channels.sms import SMSInput, UnconfiguredSMSInput
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    assert isinstance(SMSInput.from_credentials({}), UnconfiguredSMSInput)


def test_without_an_auth_token_the_http_api_is_off(guide):
    """This guide runs without RASA_AUTH_TOKEN: Rasa's API would answer anyone, so it is not there."""
    for path in ("/conversations/someone/tracker", "/status", "/model/parse"):
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 404, path
