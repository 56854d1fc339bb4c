"""The channels against hostile traffic, in process, each with a stand-in for Rasa that records the
turns it is asked to run: what is refused, what gets a kind reply instead of a turn, and that one
person can never reach another's conversation (issue 13)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import re
import socket
import uuid

import aiohttp
import pytest
from sanic import Sanic
from twilio.request_validator import RequestValidator

from bot.channels import limits

AUTH_TOKEN = uuid.uuid4().hex
SECRET = uuid.uuid4().hex
ACCOUNT_SID = "AC" + uuid.uuid4().hex
NUMBER = "+18605550100"
GSM7 = set("@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
           "abcdefghijklmnopqrstuvwxyzäöñüà")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StandIn:
    """Rasa's place: records each turn and answers it."""

    def __init__(self):
        self.turns = []

    async def __call__(self, message):
        self.turns.append((message.sender_id, message.text, message.input_channel))
        await message.output_channel.send_text_message(message.sender_id, f"Answer {len(self.turns)}.")


@contextlib.asynccontextmanager
async def serving(channel, prefix, rasa, port):
    Sanic.test_mode = True  # several apps in one process: Sanic must not rewrite its own code twice
    app = Sanic("hostile_" + uuid.uuid4().hex[:10])
    app.config.REQUEST_MAX_SIZE = 64 * 1024  # as bot/rasa_server.py sets it
    app.blueprint(channel.blueprint(rasa), url_prefix=prefix)
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()


# --- SMS ----------------------------------------------------------------------------------------------

def sms_channel(tmp_path, port, **options):
    from bot.channels.sms import SMSInput
    from bot.channels.sms_store import SMSStore

    url = f"http://127.0.0.1:{port}/webhooks/sms/webhook"
    return SMSInput(AUTH_TOKEN, url, SECRET, ACCOUNT_SID, NUMBER,
                    store=SMSStore(f"sqlite:///{tmp_path / 'sms.db'}"), **options), url


def twilio_params(phone, text, sid=None, **extra):
    sid = sid or "SM" + uuid.uuid4().hex
    return {"ToCountry": "US", "SmsMessageSid": sid, "NumMedia": "0", "From": phone, "To": NUMBER, "Body": text,
            "MessageSid": sid, "AccountSid": ACCOUNT_SID, "NumSegments": "1", "ApiVersion": "2010-04-01",
            "FromCountry": "US", **extra}


async def post_signed(http, url, params, signature=None, body=None):
    signature = signature or RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    data = body if body is not None else params
    async with http.post(url, data=data, headers={"X-Twilio-Signature": signature,
                                                  "Content-Type": "application/x-www-form-urlencoded"}) as answer:
        text = await answer.text()
        return answer.status, re.findall(r"<Message>(.*?)</Message>", text, re.S)


def run_sms(tmp_path, scenario, **options):
    async def main():
        port = free_port()
        channel, url = sms_channel(tmp_path, port, **options)
        rasa = StandIn()
        async with serving(channel, "/webhooks/sms", rasa, port):
            async with aiohttp.ClientSession() as http:
                return await scenario(http, url, rasa, channel)
    return asyncio.run(main())


async def headers_only(url, content_length, chunked=False):
    """Send a webhook's headers announcing a large body, and nothing of the body: the status line
    the server answers with, read before a byte of the body is sent."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {content_length}"
    writer.write(f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nX-Twilio-Signature: x\r\n"
                 f"Content-Type: application/x-www-form-urlencoded\r\n{length}\r\n\r\n".encode())
    if chunked:  # chunks of 4 KiB until the server answers
        for _ in range(8):
            writer.write(b"1000\r\n" + b"a" * 4096 + b"\r\n")
    await writer.drain()
    status = (await asyncio.wait_for(reader.readline(), 5)).decode()
    writer.close()
    return int(status.split()[1])


def test_a_body_larger_than_twilio_sends_is_refused_before_it_is_read_or_checked(tmp_path):
    async def scenario(http, url, rasa, channel):
        announced = await headers_only(url, 17_000)          # more than Twilio's largest: not read at all
        huge = await headers_only(url, 100_000_000)
        chunked = await headers_only(url, None, chunked=True)  # no length given: refused once past 16 KiB
        largest = await post_signed(http, url, twilio_params("+18605550101", "€" * 1600))  # ~14.5 KB encoded
        return announced, huge, chunked, largest, rasa.turns

    announced, huge, chunked, largest, turns = run_sms(tmp_path, scenario)
    assert announced == huge == chunked == 413
    assert largest[0] == 200 and [text for _, text, _ in turns] == ["€" * 1600]  # Twilio's largest is read


def recut(params, field, moved_from):
    """The same characters Twilio signed, cut differently: `moved_from`'s name and value are appended
    to `field`'s value and `moved_from` is dropped (the names sort so the concatenation is unchanged)."""
    names = sorted(params)
    assert names[names.index(field) + 1] == moved_from
    recut_params = dict(params)
    recut_params[field] = params[field] + moved_from + params[moved_from]
    del recut_params[moved_from]
    joined = lambda p: "".join(name + p[name] for name in sorted(p))  # noqa: E731
    assert joined(recut_params) == joined(params)
    return recut_params


def test_a_captured_request_recut_with_another_messagesid_is_refused_and_runs_no_turn(tmp_path):
    async def scenario(http, url, rasa, channel):
        params = twilio_params("+18605550102", "yes")
        signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
        first = await post_signed(http, url, params, signature)
        replayed = await post_signed(http, url, recut(params, "MessageSid", "NumMedia"), signature)
        return first, replayed, rasa.turns

    first, replayed, turns = run_sms(tmp_path, scenario)
    assert first[0] == 200 and replayed[0] == 400
    assert len(turns) == 1  # the person's "yes" ran once


@pytest.mark.parametrize("change", [
    {"Evil": "1"},                                    # a field Twilio does not send
    {"AccountSid": "AC" + "1" * 32},                  # another account
    {"To": "+18605550199"},                           # not the guide's number
    {"From": "18605550103"},                          # not E.164
    {"From": "+1860555010<script>"},
    {"MessageSid": "SM123"},                          # not a MessageSid
    {"SmsMessageSid": "SM" + "0" * 32},               # differs from MessageSid
    {"NumMedia": "zero"},
])
def test_a_signed_request_with_a_field_out_of_form_is_refused(tmp_path, change):
    async def scenario(http, url, rasa, channel):
        params = {**twilio_params("+18605550103", "hello"), **change}
        return await post_signed(http, url, params), rasa.turns

    (status, texts), turns = run_sms(tmp_path, scenario)
    assert status == 400 and texts == [] and turns == []


def test_a_field_name_made_of_a_persons_words_is_refused_and_never_logged(tmp_path, caplog):
    """A re-cut can move the start of a value into a new field's name: the person's words."""
    async def scenario(http, url, rasa, channel):
        params = twilio_params("+18605550108", "i need help")
        params["Bodyzebracorn"] = "words"
        return await post_signed(http, url, params), rasa.turns

    (status, _), turns = run_sms(tmp_path, scenario)
    assert status == 400 and turns == []
    assert "zebracorn" not in caplog.text and "Twilio does not document" in caplog.text


def test_a_messagesid_of_one_number_never_answers_another(tmp_path):
    """The retry store is keyed by conversation and MessageSid: a request from another number with
    the same MessageSid gets its own turn, never the stored reply of someone else's."""
    async def scenario(http, url, rasa, channel):
        sid = "SM" + uuid.uuid4().hex
        first = await post_signed(http, url, twilio_params("+18605550104", "what counts as trafficking", sid))
        other = await post_signed(http, url, twilio_params("+18605550105", "hello", sid))
        return first, other, rasa.turns

    first, other, turns = run_sms(tmp_path, scenario)
    assert first[0] == other[0] == 200
    assert [text for _, text, _ in turns] == ["what counts as trafficking", "hello"]
    assert first[1] != other[1]


def test_a_stored_reply_is_served_only_within_the_reply_window(tmp_path):
    from bot.channels.sms_store import SMSStore

    store = SMSStore(f"sqlite:///{tmp_path / 'window.db'}", reply_window=900)
    store.remember("key", "conversation", ["An answer."], now=1_000_000.0)
    assert store.processed("key", now=1_000_000.0 + 899) == (["An answer."], 1_000_000.0)
    # Later, a replay of the same request gets nothing back, and still runs no turn.
    assert store.processed("key", now=1_000_000.0 + 901) == ([], 1_000_000.0)
    store.prune(now=1_000_000.0 + 901)
    assert store.processed("key", now=1_000_000.0 + 902) == ([], 1_000_000.0)


def test_the_public_url_must_be_https_except_on_loopback(tmp_path):
    from bot.channels.sms import SMSConfigurationError, SMSInput
    from bot.channels.sms_store import SMSStore

    store = SMSStore(f"sqlite:///{tmp_path / 'url.db'}")
    with pytest.raises(SMSConfigurationError, match="https://"):
        SMSInput(AUTH_TOKEN, "http://guide.example.org/webhooks/sms/webhook", SECRET, ACCOUNT_SID, NUMBER, store=store)
    SMSInput(AUTH_TOKEN, "https://guide.example.org/webhooks/sms/webhook", SECRET, ACCOUNT_SID, NUMBER, store=store)
    SMSInput(AUTH_TOKEN, "http://127.0.0.1:5005/webhooks/sms/webhook", SECRET, ACCOUNT_SID, NUMBER, store=store)


def test_one_number_sending_faster_than_a_person_types_gets_a_kind_reply_and_stop_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv(limits.PER_CONVERSATION_VARIABLE, "3")

    async def scenario(http, url, rasa, channel):
        replies = [await post_signed(http, url, twilio_params("+18605550106", f"message {n}")) for n in range(5)]
        other = await post_signed(http, url, twilio_params("+18605550107", "hello"))
        stop = await post_signed(http, url, twilio_params("+18605550106", "STOP"))
        return replies, other, stop, rasa.turns

    replies, other, stop, turns = run_sms(tmp_path, scenario)
    assert [texts for _, texts in replies[3:]] == [[limits.TOO_FAST_REPLY]] * 2
    assert all(status == 200 for status, _ in replies)
    assert set(limits.TOO_FAST_REPLY) <= GSM7 and len(limits.TOO_FAST_REPLY) <= 160
    assert len([t for t in turns if t[1].startswith("message")]) == 3
    assert other[1] and other[1] != [limits.TOO_FAST_REPLY]  # another number is not slowed down
    assert stop[1][0].startswith("You have been unsubscribed")


# --- REST (development) -----------------------------------------------------------------------------------

def run_rest(scenario):
    from bot.channels.rest import LocalRestInput

    async def main():
        port = free_port()
        rasa = StandIn()
        async with serving(LocalRestInput(), "/webhooks/rest", rasa, port):
            async with aiohttp.ClientSession() as http:
                return await scenario(http, f"http://127.0.0.1:{port}/webhooks/rest/webhook", rasa)
    return asyncio.run(main())


def test_rest_caps_a_message_at_what_a_person_types_with_a_polite_reply():
    async def scenario(http, url, rasa):
        async with http.post(url, json={"sender": "a", "message": "x" * (limits.MAX_MESSAGE_CHARACTERS + 1)}) as r:
            too_long = (r.status, await r.json())
        async with http.post(url, json={"sender": "a", "message": "x" * limits.MAX_MESSAGE_CHARACTERS}) as r:
            longest = (r.status, await r.json())
        return too_long, longest, rasa.turns

    too_long, longest, turns = run_rest(scenario)
    assert too_long == (200, [{"recipient_id": "a", "text": limits.TOO_LONG_REPLY}])
    assert longest[0] == 200 and turns == [("a", "x" * limits.MAX_MESSAGE_CHARACTERS, "rest")]


@pytest.mark.parametrize("body, field", [
    (b"[1, 2]", "body"), (b"not json", "body"), (b'{"sender": 5, "message": "hi"}', "sender"),
    (b'{"sender": "a", "message": ["hi"]}', "message"), (b'{"message": "hi"}', "sender"),
])
def test_rest_refuses_a_malformed_body_naming_the_field(body, field):
    async def scenario(http, url, rasa):
        async with http.post(url, data=body, headers={"Content-Type": "application/json"}) as r:
            return r.status, await r.json(), rasa.turns

    status, answer, turns = run_rest(scenario)
    assert status == 400 and answer["error"].startswith(field + ":") and turns == []


def test_rest_names_its_own_channel_whatever_the_client_writes():
    async def scenario(http, url, rasa):
        async with http.post(url, json={"sender": "a", "message": "hi", "input_channel": "x' OR 1=1"}) as r:
            await r.read()
        return rasa.turns

    assert run_rest(scenario) == [("a", "hi", "rest")]


def test_rest_limits_each_client_address(monkeypatch):
    monkeypatch.setenv(limits.PER_ADDRESS_VARIABLE, "4")

    async def scenario(http, url, rasa):
        answers = []
        for n in range(6):  # six senders, one address
            async with http.post(url, json={"sender": f"s{n}", "message": "hi"}) as r:
                answers.append((await r.json())[0]["text"])
        return answers, rasa.turns

    answers, turns = run_rest(scenario)
    assert answers[4:] == [limits.TOO_FAST_REPLY] * 2 and len(turns) == 4


def test_the_rate_limit_refills_and_forgets_idle_senders():
    now = [0.0]
    limit = limits.RateLimit(per_minute=2, max_keys=3, clock=lambda: now[0])
    assert [limit.allow("a") for _ in range(3)] == [True, True, False]
    now[0] += 30  # one more after 60/2 seconds
    assert [limit.allow("a") for _ in range(2)] == [True, False]
    for key in ("b", "c", "d"):
        limit.allow(key)
    assert "a" not in limit._buckets  # a flood of new senders cannot grow the memory without bound


def test_a_rate_setting_that_is_not_a_number_is_refused_by_name(monkeypatch):
    monkeypatch.setenv(limits.PER_CONVERSATION_VARIABLE, "lots")
    with pytest.raises(limits.LimitError, match=limits.PER_CONVERSATION_VARIABLE):
        limits.per_conversation()


# --- web chat --------------------------------------------------------------------------------------------

class FakeSocketServer:
    """python-socketio's sessions, rooms and emits, recorded."""

    def __init__(self, sio, monkeypatch):
        self.sessions, self.rooms, self.emitted = {}, [], []
        self.handlers = sio.handlers["/"]

        async def enter_room(sid, room, namespace=None):
            self.rooms.append((sid, room))

        async def save_session(sid, session, namespace=None):
            self.sessions[sid] = session

        async def get_session(sid, namespace=None):
            return self.sessions[sid]

        async def emit(event, data=None, room=None, namespace=None, **kwargs):
            self.emitted.append((event, data, room))

        for name, function in (("enter_room", enter_room), ("save_session", save_session),
                               ("get_session", get_session), ("emit", emit)):
            monkeypatch.setattr(sio, name, function)

    def texts_to(self, room):
        return [data.get("text") for event, data, to in self.emitted if event == "bot_uttered" and to == room]


def webchat(monkeypatch):
    from bot.channels.webchat import WebChatInput

    monkeypatch.setenv("WEBCHAT_SESSION_SECRET", SECRET)
    channel = WebChatInput.from_credentials({})
    rasa = StandIn()
    channel.blueprint(rasa)
    return channel, FakeSocketServer(channel.sio, monkeypatch), rasa


class Request:
    def __init__(self, ip):
        self.ip, self.remote_addr = ip, ""


def test_a_web_conversation_is_stored_under_a_keyed_hash_of_the_session_id(monkeypatch):
    channel, sio, rasa = webchat(monkeypatch)
    session_id = uuid.uuid4().hex

    async def scenario():
        await sio.handlers["connect"]("sid-1", {"sanic.request": Request("203.0.113.1")})
        await sio.handlers["session_request"]("sid-1", {"session_id": session_id})
        await sio.handlers["user_uttered"]("sid-1", {"message": "hi", "session_id": session_id})

    asyncio.run(scenario())
    stored_as = hmac.new(SECRET.encode(), f"webchat:{session_id}".encode(), hashlib.sha256).hexdigest()
    assert rasa.turns == [(stored_as, "hi", "webchat")]  # what the database, Redis and actions see
    assert sio.rooms == [("sid-1", stored_as)]
    assert ("session_confirm", session_id, "sid-1") in sio.emitted  # only the socket itself hears the id
    assert session_id not in repr(rasa.turns) + repr(sio.rooms)


def test_a_socket_may_ask_for_one_session_only(monkeypatch):
    channel, sio, rasa = webchat(monkeypatch)
    mine, theirs = uuid.uuid4().hex, uuid.uuid4().hex

    async def scenario():
        await sio.handlers["connect"]("sid-1", {"sanic.request": Request("203.0.113.2")})
        await sio.handlers["session_request"]("sid-1", {"session_id": mine})
        await sio.handlers["session_request"]("sid-1", {"session_id": theirs})  # a move into another's
        await sio.handlers["user_uttered"]("sid-1", {"message": "hi"})

    asyncio.run(scenario())
    assert len(sio.rooms) == 1 and sio.sessions["sid-1"]["session_id"] == mine
    assert [turn[0] for turn in rasa.turns] == [hmac.new(SECRET.encode(), f"webchat:{mine}".encode(),
                                                         hashlib.sha256).hexdigest()]


def test_web_chat_caps_length_and_rate_per_socket_and_per_address_with_kind_replies(monkeypatch):
    monkeypatch.setenv(limits.PER_CONVERSATION_VARIABLE, "3")
    monkeypatch.setenv(limits.PER_ADDRESS_VARIABLE, "5")
    channel, sio, rasa = webchat(monkeypatch)

    async def open_socket(sid, address):
        await sio.handlers["connect"](sid, {"sanic.request": Request(address)})
        await sio.handlers["session_request"](sid, {"session_id": uuid.uuid4().hex})
        return sio.sessions[sid]["conversation_id"]

    async def scenario():
        first = await open_socket("sid-1", "203.0.113.3")
        await sio.handlers["user_uttered"]("sid-1", {"message": "x" * (limits.MAX_MESSAGE_CHARACTERS + 1)})
        for n in range(4):
            await sio.handlers["user_uttered"]("sid-1", {"message": f"one {n}"})
        second = await open_socket("sid-2", "203.0.113.3")  # the same address, another socket
        for n in range(3):
            await sio.handlers["user_uttered"]("sid-2", {"message": f"two {n}"})
        elsewhere = await open_socket("sid-3", "198.51.100.7")
        await sio.handlers["user_uttered"]("sid-3", {"message": "three"})
        return first, second, elsewhere

    first, second, elsewhere = asyncio.run(scenario())
    assert sio.texts_to(first) == [limits.TOO_LONG_REPLY, "Answer 1.", "Answer 2.", "Answer 3.", limits.TOO_FAST_REPLY]
    assert sio.texts_to(second) == ["Answer 4.", "Answer 5.", limits.TOO_FAST_REPLY]  # the address's 5 are used
    assert sio.texts_to(elsewhere) == ["Answer 6."]


# --- a crash tells the logs nothing of the conversation ---------------------------------------------------

@pytest.mark.parametrize("date, words", [("0001-01-01", "before"), ("9999-12-31", "after"), ("99999-01-01", ""),
                                         ("2021-13-40", ""), ("2021-10-01-7", "")])
def test_a_forged_date_at_the_edge_of_the_calendar_is_no_fact_and_no_crash(date, words):
    """A button payload can carry any value: "/inform{"date": "0001-01-01"}" said "before" made the
    date a day before the first, and the action crashed."""
    from actions.facts import facts_in_message
    from actions.screening import date_boundaries

    message = {"text": f'/inform{{"date": "{date}"}} {words}', "intent": {"name": "inform"},
               "entities": [{"entity": "date", "value": date}]}
    found, _, notes = facts_in_message("affirmative_defense", message, "offense_date",
                                       date_boundaries("affirmative_defense"))
    assert "offense_date" not in found and notes == ["date_not_precise"]


def test_a_failed_action_is_logged_by_its_kind_only(caplog):
    """Rasa wraps the action server's answer to a failed call in the error it raises; rasa-sdk filled that
    answer with the whole request, the person's messages included."""
    import logging
    from types import SimpleNamespace

    from aiohttp import ClientResponseError
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.exceptions import RasaException

    from bot import rasa_fixes

    marker = "zebracorn" + uuid.uuid4().hex[:6]

    class FailingAction:
        def name(self):
            return "action_answer_screening"

        async def run(self, *_):
            try:
                raise ClientResponseError(None, (), status=500, message=f'{{"request_body": "{marker}"}}')
            except ClientResponseError as error:
                raise RasaException(f"Failed to execute custom action: {marker}") from error

    class Output:
        sent = []

        async def send_response(self, recipient, message):
            self.sent.append(message)

    processor = SimpleNamespace(domain=Domain.empty())
    tracker = DialogueStateTracker("someone", [])
    prediction = SimpleNamespace(events=[], policy_name="RulePolicy", max_confidence=1.0)
    output = Output()
    with caplog.at_level(logging.DEBUG):
        asyncio.run(rasa_fixes.run_action(processor, FailingAction(), tracker, output, None, prediction))
    assert "911" in output.sent[0]["text"]  # the person hears what to do
    assert "RasaException" in caplog.text and "action_answer_screening" in caplog.text
    assert marker not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


# --- the action server ------------------------------------------------------------------------------------

ACTION_TOKEN = uuid.uuid4().hex


def run_action_server(scenario):
    from bot.action_server import create_app

    async def main():
        Sanic.test_mode = True
        port = free_port()
        app = create_app(ACTION_TOKEN)
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        await server.startup()
        try:
            async with aiohttp.ClientSession() as http:
                return await scenario(http, f"http://127.0.0.1:{port}")
        finally:
            server.close()
            await server.wait_closed()
    return asyncio.run(main())


def action_call(text):
    return {"next_action": "action_answer_screening", "sender_id": "someone", "version": "3.6.2",
            "tracker": {"sender_id": "someone", "slots": {"screening_topic": {"not": "a topic"}},
                        "latest_message": {"text": text, "intent": {}, "entities": []}, "events": "not a list",
                        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": None},
            "domain": {}}


def test_the_action_server_answers_only_rasa_and_never_echoes_a_request(caplog):
    import zlib
    from bot.action_server import TOKEN_HEADER

    marker = "zebracorn" + uuid.uuid4().hex[:6]
    headers = {TOKEN_HEADER: ACTION_TOKEN}

    async def scenario(http, base):
        results = {}
        async with http.get(f"{base}/health") as r:
            results["health"] = r.status
        async with http.get(f"{base}/actions") as r:
            results["actions without the secret"] = r.status
        async with http.get(f"{base}/actions", headers={TOKEN_HEADER: "wrong"}) as r:
            results["actions with a wrong secret"] = r.status
        async with http.post(f"{base}/webhook", json=action_call(marker)) as r:
            results["webhook without the secret"] = r.status
        async with http.get(f"{base}/actions", headers=headers) as r:
            results["actions"] = r.status
        deflated = zlib.compress(b"{}" + b" " * 1_000_000)
        async with http.post(f"{base}/webhook", data=deflated,
                             headers={**headers, "Content-Encoding": "deflate", "Content-Type": "application/json"}) as r:
            results["deflate"] = r.status
        async with http.post(f"{base}/webhook", json=action_call(marker), headers=headers) as r:
            results["a failing action"] = (r.status, await r.text())
        return results

    results = run_action_server(scenario)
    status, body = results.pop("a failing action")
    assert results == {"health": 200, "actions without the secret": 403, "actions with a wrong secret": 403,
                       "webhook without the secret": 403, "actions": 200, "deflate": 415}
    assert status == 500 and marker not in body, (status, body)
    assert marker not in caplog.text
