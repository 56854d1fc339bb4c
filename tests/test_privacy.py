"""Identifiers never reach the database: the stored copy of a message is scrubbed, the dialogue's
facts (intent, non-identifying entities, slots) are kept, and the turn in memory is untouched."""

import asyncio
import json
import sqlite3
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy import scrub, scrub_user_event
from bot.stores import ErasableSQLTrackerStore

MESSAGE = ("i was convicted of prostitution in 2019. call me +1 860-555-0123, jane.doe@example.org, "
           "12 Main Street, born 04/05/2001, docket H14N-CR19-0123456-S")
IDENTIFIERS = ("860-555-0123", "555-0123", "jane.doe", "example.org", "12 Main Street", "Main Street",
               "04/05/2001", "H14N-CR19-0123456-S", "0123456")


@pytest.mark.parametrize("text, placeholder, gone", [
    ("call (203) 555-1212 tonight", "[phone]", "555-1212"),
    ("my cell is 203.555.1212", "[phone]", "555.1212"),
    ("text 8605550123", "[phone]", "8605550123"),
    ("write to Jane_Doe+ct@mail.example.com", "[email]", "example.com"),
    ("I live at 45 West Elm Ave, Apt 3 in Hartford", "[address]", "45 West Elm"),
    ("DOB: March 3, 2005", "[date of birth]", "2005"),
    ("my date of birth is 2004-07-09", "[date of birth]", "2004-07-09"),
    ("case FST-CR21-0145678-T is pending", "[docket]", "0145678"),
    ("HHD CV20 6123456 S".replace(" ", "-"), "[docket]", "6123456"),
    ("ssn 123-45-6789", "[ssn]", "6789"),
    # Found missing by the security review (issue 13):
    ("call me on +44 20 7946 0958 after six", "[phone]", "7946"),
    ("mi numero es +52 55 1234 5678", "[phone]", "1234 5678"),
    ("or 0044 20 7946 0958", "[phone]", "7946"),
    ("my cell is 860 - 555 - 0123", "[phone]", "555 - 0123"),
    ("my social is 123456789", "[ssn]", "123456789"),
    ("write to jane@localhost", "[email]", "jane@"),
    ("i was born in 2005", "[date of birth]", "2005"),
    ("born on the fifth of march two thousand five", "[date of birth]", "fifth of march"),
    ("my birthday is march third, nineteen ninety nine", "[date of birth]", "ninety"),
    ("i live at 45 Elm in Hartford", "[address]", "45 Elm"),
    ("my address is 12 oak hill", "[address]", "12 oak"),
    ("my name is Jane Doe and i was 16", "[name]", "Jane"),
    ("hi, my name is maria", "[name]", "maria"),
])
def test_each_kind_of_identifier_becomes_a_neutral_placeholder(text, placeholder, gone):
    scrubbed = scrub(text)
    assert placeholder in scrubbed and gone not in scrubbed


@pytest.mark.parametrize("text", [
    "convicted in 2019 in ct of prostitution, 2 years in superior court",
    "the offense was on 03/01/2019 and I was 16",
    "what does CGS 54-95c(a) say about 53a-82",
    "i was charged 3 times, 12 months ago",
    "/ask_penalty{\"offense\": \"prostitution\"}",
    "in 2019 2020 and 2021 i was 16",
    "i had to stay 2 years with him",
    "they charged me in 2019, 10 counts, max 5 years",
    "call me back please",
    "my name is not important",
])
def test_the_facts_the_dialogue_needs_are_left_alone(text):
    assert scrub(text) == text


def user_message(text):
    entities = [{"entity": "offense", "value": "prostitution", "start": text.index("prostitution"),
                 "end": text.index("prostitution") + 12, "extractor": "RegexEntityExtractor"},
                {"entity": "date", "value": "04/05/2001", "start": text.index("04/05/2001"),
                 "end": text.index("04/05/2001") + 10, "extractor": "RegexEntityExtractor"},
                {"entity": "phone", "value": "+1 860-555-0123", "start": text.index("+1"),
                 "end": text.index("+1") + 15}]
    return UserUttered(text, intent={"name": "ask_vacatur", "confidence": 0.97}, entities=entities,
                       parse_data={"text": text, "intent": {"name": "ask_vacatur", "confidence": 0.97},
                                   "entities": entities, "intent_ranking": [{"name": "ask_vacatur", "confidence": 0.97}]},
                       input_channel="rest", timestamp=time.time())


def test_the_stored_copy_is_scrubbed_and_the_running_turn_is_not(tmp_path):
    database = tmp_path / "conversations.db"
    store = ErasableSQLTrackerStore(domain=Domain.load("bot/domain"), url=f"sqlite:///{database}")
    now = time.time()
    tracker = DialogueStateTracker.from_events("someone", slots=store.domain.slots, evts=[
        ActionExecuted("action_session_start", timestamp=now - 2), SessionStarted(timestamp=now - 2),
        ActionExecuted("action_listen", timestamp=now - 1), user_message(MESSAGE),
        SlotSet("screening_topic", "vacatur", timestamp=now), SlotSet("offense", "prostitution", timestamp=now),
        SlotSet("convicted", True, timestamp=now)])
    asyncio.run(store.save(tracker))

    with sqlite3.connect(database) as db:
        rows = db.execute("select type_name, intent_name, data from events where sender_id = 'someone'").fetchall()
        everything = "\n".join(" ".join(str(c) for c in row) for row in db.execute("select * from events"))
        everything += "\n".join(" ".join(str(c) for c in row) for row in db.execute("select * from anonymous_counts"))
    for identifier in IDENTIFIERS:
        assert identifier not in everything, identifier
    user = next(json.loads(data) for kind, _, data in rows if kind == "user")
    assert next(intent for kind, intent, _ in rows if kind == "user") == "ask_vacatur"
    assert user["parse_data"]["intent"]["name"] == "ask_vacatur"
    for placeholder in ("[phone]", "[email]", "[address]", "[date of birth]", "[docket]"):
        assert placeholder in user["text"] and placeholder in user["parse_data"]["text"]
    assert "convicted of prostitution in 2019" in user["text"]
    values = {e["entity"]: e["value"] for e in user["parse_data"]["entities"]}
    assert values == {"offense": "prostitution", "date": "[date of birth]", "phone": "[phone]"}
    slots = {json.loads(d)["name"]: json.loads(d)["value"] for kind, _, d in rows if kind == "slot"}
    assert slots == {"screening_topic": "vacatur", "offense": "prostitution", "convicted": True}

    # The turn being answered still has the person's words.
    assert tracker.latest_message.text == MESSAGE
    assert tracker.latest_message.entities[2]["value"] == "+1 860-555-0123"

    # Loaded back, the conversation keeps its place: intent and slots.
    loaded = asyncio.run(store.retrieve("someone"))
    assert loaded.latest_message.intent["name"] == "ask_vacatur"
    assert loaded.get_slot("screening_topic") == "vacatur" and loaded.get_slot("convicted") is True


def test_the_scrubber_does_not_change_the_event_it_is_given():
    data = user_message(MESSAGE).as_dict()
    before = json.dumps(data, sort_keys=True)
    scrubbed = scrub_user_event(data)
    assert json.dumps(data, sort_keys=True) == before
    assert "jane.doe" not in json.dumps(scrubbed)


def test_the_guides_replies_and_the_slots_are_stored_scrubbed_too(tmp_path):
    """The guide may repeat the person's words, and a slot can hold them."""
    from rasa.shared.core.events import BotUttered

    database = tmp_path / "conversations.db"
    store = ErasableSQLTrackerStore(domain=Domain.load("bot/domain"), url=f"sqlite:///{database}")
    now = time.time()
    tracker = DialogueStateTracker.from_events("someone", slots=store.domain.slots, evts=[
        ActionExecuted("action_session_start", timestamp=now - 2), SessionStarted(timestamp=now - 2),
        ActionExecuted("action_listen", timestamp=now - 1), user_message(MESSAGE),
        BotUttered("You said you were born 04/05/2001 and can be reached at jane.doe@example.org.",
                   data={"buttons": [{"title": "Call 860-555-0123", "payload": "/affirm"}]}, timestamp=now),
        SlotSet("offense_words", "12 Main Street", timestamp=now)])
    asyncio.run(store.save(tracker))
    store.start_new_session(tracker)  # the carried slots are written again
    with sqlite3.connect(database) as db:
        everything = "\n".join(row[0] for row in db.execute("select data from events"))
    for identifier in IDENTIFIERS:
        assert identifier not in everything, identifier
    bot = next(json.loads(d) for (d,) in sqlite3.connect(database).execute(
        "select data from events where type_name = 'bot'"))
    assert bot["text"] == "You said you were [date of birth] and can be reached at [email]."
    assert bot["data"]["buttons"][0]["title"] == "Call [phone]"


def test_the_sms_reply_rows_are_stored_scrubbed(tmp_path):
    from bot.channels.sms_store import SMSStore

    store = SMSStore(f"sqlite:///{tmp_path / 'sms.db'}")
    store.remember("key", "conversation", ["Your number 860-555-0123 is not stored."])
    store.save_state("conversation", [{"title": "jane.doe@example.org", "payload": "/affirm"}],
                     [{"text": "born 04/05/2001"}])
    assert store.processed("key")[0] == ["Your number [phone] is not stored."]
    assert store.state("conversation") == ([{"title": "[email]", "payload": "/affirm"}], [{"text": "[date of birth]"}])


def test_the_database_is_private_and_an_erased_conversation_leaves_no_trace_in_its_files(tmp_path):
    """Under the common umask 022 SQLite made the file readable by every user, and erased text stayed
    in free pages and in the -wal file."""
    import os
    import stat

    from bot import retention

    marker = "zebracorn" + "q" * 30
    previous = os.umask(0o022)
    try:
        directory = tmp_path / "var"
        directory.mkdir()
        database = directory / "conversations.db"
        store = ErasableSQLTrackerStore(domain=Domain.load("bot/domain"), url=f"sqlite:///{database}")
        now = time.time()
        for sender, when in (("erased", now), ("purged", now - 90 * 86400)):
            tracker = DialogueStateTracker.from_events(sender, slots=store.domain.slots, evts=[
                ActionExecuted("action_session_start", timestamp=when - 2), SessionStarted(timestamp=when - 2),
                ActionExecuted("action_listen", timestamp=when - 1),
                UserUttered(f"{marker} {sender} i was convicted of prostitution", timestamp=when)])
            asyncio.run(store.save(tracker))
        files = [p for p in directory.iterdir() if p.name.startswith("conversations.db")]
        assert any(marker.encode() in p.read_bytes() for p in files)  # the words were written
        asyncio.run(store.erase("erased"))
        assert retention.purge(url=f"sqlite:///{database}") == 1
    finally:
        os.umask(previous)
    files = [p for p in directory.iterdir() if p.name.startswith("conversations.db")]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        assert marker.encode() not in path.read_bytes(), path.name
    wal = database.parent / "conversations.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_the_default_var_directory_is_private(tmp_path, monkeypatch):
    import os
    import stat

    from bot import stores

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RIGHTSGUIDE_DATABASE_URL", raising=False)
    previous = os.umask(0o022)
    try:
        stores.database_url()
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700


def test_a_new_session_the_store_begins_carries_the_turns_the_screenings_read_back_scrubbed(tmp_path):
    """The store's new session keeps turns bounded; the screenings still read what was told before it
    (actions/screening.py messages_before_any_screening), in the words as they are stored."""
    store = ErasableSQLTrackerStore(domain=Domain.load("bot/domain"), url=f"sqlite:///{tmp_path / 'c.db'}")
    now = time.time()
    tracker = DialogueStateTracker.from_events("someone", slots=store.domain.slots, evts=[
        ActionExecuted("action_session_start", timestamp=now - 3), SessionStarted(timestamp=now - 3),
        ActionExecuted("action_listen", timestamp=now - 2), user_message(MESSAGE),
        SlotSet("screening_topic", "affirmative_defense", timestamp=now - 1),
        SlotSet("determination", json.dumps({"topic": "affirmative_defense", "outcome": "not_applicable",
                                             "reasons": ["long"]}), timestamp=now),
        ActionExecuted("action_listen", timestamp=now)])
    asyncio.run(store.save(tracker))
    store.start_new_session(tracker)
    loaded = asyncio.run(store.retrieve("someone"))
    turns = loaded.get_slot("earlier_turns")
    assert [t["event"] for t in turns] == ["user", "slot", "slot"]
    assert turns[0]["parse_data"]["intent"]["name"] == "ask_vacatur" and "prostitution" in turns[0]["text"]
    assert json.loads(turns[2]["value"]) == {"outcome": "not_applicable"}
    for identifier in IDENTIFIERS:
        assert identifier not in json.dumps(turns), identifier
    # A second new session keeps the first one's turns, before its own.
    loaded.update(UserUttered("and then?", intent={"name": "inform"}, timestamp=now + 1))
    store.start_new_session(loaded)
    again = asyncio.run(store.retrieve("someone")).get_slot("earlier_turns")
    assert [t.get("text") for t in again if t["event"] == "user"][-1] == "and then?" and len(again) == 4
