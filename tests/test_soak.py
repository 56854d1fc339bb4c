"""A soak: 8 conversations at once (6 through REST, 2 through SMS) for 2,000 turns in total. No error,
no lost turn: every message gets a reply, and each conversation's tracker holds each message the
person sent exactly once, in order."""

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from conversation_guide import new_phone, post_rest, post_sms, running_guide, sms_id, twiml_texts

CONVERSATIONS, TURNS = 8, 2000
SMS_CONVERSATIONS = 2
LINES = [
    "hi", "i have a record from when i was being trafficked can they erase it", "i pleaded guilty",
    "it was for prostitution", "yes he was making me", "why", "what do i do next",
    "what counts as trafficking anyway", "they charged me with trafficking but i was only 16 and he was selling me too",
    "ok go ahead", "it happened in may 2023", "not sure", "what's the penalty for trafficking in persons in ct",
    "the prosecutor wants me to testify against my trafficker, can they make me", "continue", "adult criminal case",
    "the state's attorney asked for it", "yes i took the fifth", "no", "r u a robot", "can i talk to someone real",
    "will you tell my probation officer", "who is on the trafficking in persons council", "thank you",
    "client has a class D felony larceny conviction from 2019, she was trafficked at the time. can it be vacated?",
    "how much time can someone get for this", "skip", "qwzx plorb vvv",
]


def converse(guide, number, turns, failures):
    sms = number < SMS_CONVERSATIONS
    phone = new_phone() if sms else None
    sender = sms_id(guide, phone) if sms else f"soak-{number}-{uuid.uuid4().hex}"
    sent = []
    for turn in range(turns):
        text = f"{LINES[(turn + number * 5) % len(LINES)]} [{number}.{turn}]"
        sent.append(text)
        if sms:
            status, _, raw = post_sms(guide, phone, text)
            replies = twiml_texts(raw) if status == 200 else []
        else:
            status, raw = post_rest(guide, sender, text)
            replies = json.loads(raw) if status == 200 else []
        if status != 200 or not replies:
            failures.append(f"conversation {number} turn {turn}: HTTP {status}, {len(replies)} replies: {raw[:200]}")
    events = guide.tracker(sender).get("events") or []
    said = [e.get("text") for e in events if e.get("event") == "user"]
    if said != sent:
        lost = [t for t in sent if said.count(t) != 1]
        failures.append(f"conversation {number}: the tracker holds {len(said)} of {len(sent)} messages; "
                        f"not exactly once: {lost[:5]}")
    return len(sent)


def test_eight_conversations_for_two_thousand_turns_lose_nothing():
    guide = running_guide()
    failures = []
    share = [TURNS // CONVERSATIONS + (1 if n < TURNS % CONVERSATIONS else 0) for n in range(CONVERSATIONS)]
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        done = list(pool.map(lambda n: converse(guide, n, share[n], failures), range(CONVERSATIONS)))
    seconds = time.monotonic() - started
    print(f"{sum(done)} turns in {seconds:.1f} s ({sum(done) / seconds:.0f} turns/s)")
    assert sum(done) == TURNS
    assert not failures, "\n".join(failures[:20])
