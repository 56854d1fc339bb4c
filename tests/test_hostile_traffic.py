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
