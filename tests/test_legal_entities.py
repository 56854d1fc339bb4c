"""Tests of the rule-based LegalEntityExtractor (bot/nlu/legal_entities.py, bot/nlu/patterns.yml).

Each case lists every entity the message must give, as (entity, value, matched text), in text
order: the comparison is exact, so an extra entity fails a case as much as a missing one.

Decisions these cases pin down:
* "prostitute" (the person) and "trafficked" are not offense mentions: "I'm not a prostitute I was
  trafficked" gives no offense, only what was done to the person (`exploitation`: trafficked).
  "prostitution" (and its misspellings), "sex work", "selling sex", "prostitute charge" are the
  offense; "he made me sell sex" is being sold (exploitation), not an offense the person names.
* Victim status is not a charge: "victim of (sex) trafficking", "trafficking survivor",
  "anti-trafficking" and the hotline's name give no offense.
* "soliciting", "solicitation", "patronizing", "buying sex", "a john" are soliciting_sexual_acts
  (the buyer's offense, 53a-83), even though people sometimes say "solicitation" for prostitution.
* "a felony" is a felony of unknown class: class A needs "class A" or "an A felony".
* Every misdemeanor class is "misdemeanor".
* Answers ("yes", "no", "idk"...) count only at the start of a message, and the short or
  ambiguous ones ("y", "n", "maybe", "i was", "correct") only as the whole message.
* An age needs context ("i was 16", "16 years old", "age 15", "at 17" for 13-25) or the whole
  message being a number 0-25. Ranges like "16-17" give no age.
* A bare section number needs a letter (53a-82, 54-95c) or title 53/54; with a prefix
  ("§", "sec.", "CGS") any title 1-54.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from datetime import date

import pytest

from bot.nlu import legal_entities
from bot.nlu.legal_entities import extract


def entities_of(text):
    return [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in extract(text)]


CASES = [
    # --- survivors, SMS style -----------------------------------------------------------
    ("hi i got arrested 4 prostitution when i was 17 can they clear it",
     [("offense", "prostitution", "prostitution"), ("age", "17", "17")]),
    ("got a prostituion charge in 2019 i was 16",
     [("offense", "prostitution", "prostituion"), ("date", "2019", "2019"), ("age", "16", "16")]),
    # Being made to sell sex is being sold (53a-192a(a)(3)), not an offense the person names.
    ("i was sixteen and he made me sell sex",
     [("age", "16", "sixteen"), ("exploitation", "sold", "made me sell sex")]),
    ("im 15 and the cops said theyre charging me with trafficking",
     [("age", "15", "15"), ("role", "police", "cops"),
      ("offense", "trafficking_in_persons", "trafficking")]),
    ("they charged me w/ larceny 6th and loitering back in march 2021",
     [("offense", "larceny", "larceny"), ("offense", "loitering", "loitering"),
      ("date", "2021-03", "march 2021")]),
    ("I'm not a prostitute I was trafficked", [("exploitation", "trafficked", "was trafficked")]),
    ("my pimp made me do it. i was trafficked since i was 15",
     [("exploitation", "sold", "my pimp"), ("exploitation", "forced", "made me do it"),
      ("exploitation", "trafficked", "was trafficked"), ("age", "15", "15")]),
    ("i was 16 years old when i got picked up for prostitutions",
     [("age", "16", "16"), ("offense", "prostitution", "prostitutions")]),
    ("when i was 17 the detective told me it was solicitation",
     [("age", "17", "17"), ("role", "police", "detective"),
      ("offense", "soliciting_sexual_acts", "solicitation")]),
    ("shoplifting and possession, both in 2018",
     [("offense", "larceny", "shoplifting"), ("offense", "drug_possession", "possession"),
      ("date", "2018", "2018")]),
    # Roles: who is asking, what was done to the person, what they are charged with.
    ("my client took the fifth before the grand jury",
     [("speaker", "advocate", "my client"), ("privilege", "claimed", "took the fifth"),
      ("proceeding", "grand_jury_investigation", "grand jury")]),
    ("he was trafficking her since she was 15", [("exploitation", "trafficked", "trafficking her"), ("age", "15", "15")]),
    ("they say i trafficked her but i was 16", [("offense", "trafficking_in_persons", "say i trafficked"), ("age", "16", "16")]),
    ("i want to kill myself", [("danger", "suicide", "kill myself")]),
    ("he got out of jail and keeps calling me",
     [("danger", "now", "got out of jail"), ("danger", "now", "keeps calling me")]),
    ("me condenaron por prostitución, mi novio me vendía",
     [("conviction", "convicted", "me condenaron"), ("offense", "prostitution", "prostitución"),
      ("exploitation", "sold", "me vendía")]),
    ("no sé", [("answer", "unsure", "no sé")]),
    # Dates people say without a full date, in English and Spanish.
    ("it happened in march 2019", [("date", "2019-03", "march 2019")]),
    ("hace 3 años", [("date", str(date.today().year - 3), "hace 3 años")]),
    ("el año pasado", [("date", str(date.today().year - 1), "el año pasado")]),
    ("marzo 2021", [("date", "2021-03", "marzo 2021")]),
    ("my trafficker had me selling drugs too",
     [("exploitation", "trafficked", "my trafficker"), ("offense", "drug_sale", "selling drugs")]),
    ("it was in juvenile court, the juvenile one not adult",
     [("proceeding", "delinquency", "juvenile court"),
      ("proceeding", "delinquency", "the juvenile one")]),
    ("kids court", [("proceeding", "delinquency", "kids court")]),
    ("they tried me as an adult at 16 in criminal court",
     [("age", "16", "16"), ("proceeding", "prosecution", "criminal court")]),
    ("got charged as an adult", [("proceeding", "prosecution", "charged as an adult")]),
    ("i was a juvenile then", []),
    ("16yo", [("age", "16", "16")]),
    ("16 y/o at the time", [("age", "16", "16")]),
    ("Im 15", [("age", "15", "15")]),
    ("i was like fifteen", [("age", "15", "fifteen")]),
    ("arrested at 17", [("age", "17", "17")]),
    ("age 15", [("age", "15", "15")]),
    ("she is 14 yrs old", [("age", "14", "14")]),
    # The age someone turned is a birthday, not the age at the time ("he turned 18 sometime around then").
    ("i turned eighteen in jail", []),
    ("twenty-five", [("age", "25", "twenty-five")]),
    ("17", [("age", "17", "17")]),
    ("like 16?", [("age", "16", "16")]),
    ("traficking charge from the states attorney",
     [("offense", "trafficking_in_persons", "traficking"),
      ("role", "states_attorney", "states attorney")]),
    ("PROSTITUTION CHARGES AND A FTA",
     [("offense", "prostitution", "PROSTITUTION"), ("offense", "failure_to_appear", "FTA")]),
    ("disorderly conduct, breach of peace, interfering w an officer",
     [("offense", "disorderly_conduct", "disorderly conduct"),
      ("offense", "breach_of_peace", "breach of peace"),
      ("offense", "interfering_with_an_officer", "interfering w an officer")]),
    ("criminal trespass 3rd and failure to appear",
     [("offense", "criminal_trespass", "criminal trespass"),
      ("offense", "failure_to_appear", "failure to appear")]),
    ("possession with intent and possession of narcotics",
     [("offense", "drug_sale", "possession with intent"),
      ("offense", "drug_possession", "possession of narcotics")]),
    ("identity theft and credit card fraud",
     [("offense", "identity_theft", "identity theft"), ("offense", "fraud", "credit card fraud")]),
    ("robbery 3 burglaries and a forgery",
     [("offense", "robbery", "robbery"), ("offense", "burglary", "burglaries"),
      ("offense", "forgery", "forgery")]),
    ("assault on a police officer", [("offense", "assault", "assault on a police officer")]),
    ("he was a john", [("offense", "soliciting_sexual_acts", "a john")]),
    ("John said to text him", []),
    ("my public defender and the judge didnt listen",
     [("role", "public_defender", "public defender"), ("role", "judge", "judge")]),
    ("my lawyer said the DA wont drop it",
     [("role", "defense_lawyer", "my lawyer"), ("role", "prosecutor", "DA")]),
    ("it happened on 3/15/2019 in hartford",
     [("date", "2019-03-15", "3/15/2019"), ("court", "connecticut_adult", "hartford")]),
    ("I was arrested Jan 5th, 2020", [("date", "2020-01-05", "Jan 5th, 2020")]),
    ("the human trafficking victim hotline", []),
    ("im a victim of sex trafficking not a criminal", []),

    # --- answers to the guide's questions ------------------------------------------------
    ("yes", [("answer", "yes", "yes")]),
    ("Yeah", [("answer", "yes", "Yeah")]),
    ("yep.", [("answer", "yes", "yep")]),
    ("ya i was", [("answer", "yes", "ya")]),
    ("y", [("answer", "yes", "y")]),
    ("correct", [("answer", "yes", "correct")]),
    ("i was", [("answer", "yes", "i was")]),
    ("no", [("answer", "no", "no")]),
    ("Nope!", [("answer", "no", "Nope")]),
    ("nah", [("answer", "no", "nah")]),
    ("n", [("answer", "no", "n")]),
    ("no, i was 14", [("answer", "no", "no"), ("age", "14", "14")]),
    ("not sure", [("answer", "unsure", "not sure")]),
    ("idk", [("answer", "unsure", "idk")]),
    ("um idk", [("answer", "unsure", "idk")]),
    ("i dont know", [("answer", "unsure", "i dont know")]),
    ("I don’t know", [("answer", "unsure", "I don’t know")]),
    ("maybe", [("answer", "unsure", "maybe")]),
    ("skip", [("answer", "unsure", "skip")]),
    ("can't remember", [("answer", "unsure", "can't remember")]),
    ("no idea tbh", [("answer", "unsure", "no idea")]),

    # --- advocates and lawyers -----------------------------------------------------------
    ("Client convicted under 53a-82 in 2016, class A misdemeanor. She was a victim of sex "
     "trafficking.",
     [("speaker", "advocate", "Client"), ("conviction", "convicted", "convicted"), ("statute", "53a-82", "53a-82"),
      ("date", "2016", "2016"), ("offense_class", "misdemeanor", "class A misdemeanor"),
      ("exploitation", "trafficked", "was a victim of sex trafficking")]),
    ("Can a conviction under C.G.S. § 53a-83 be vacated?",
     [("statute", "53a-83", "C.G.S. § 53a-83")]),
    ("she has a larceny conviction from 2019",
     [("offense", "larceny", "larceny"), ("conviction", "convicted", "conviction"), ("date", "2019", "2019")]),
    ("can my old conviction be vacated", [("conviction", "convicted", "conviction")]),
    ("Was the 54-95c(a) motion available before October 1, 2021?",
     [("statute", "54-95c", "54-95c(a)"), ("date", "2021-10-01", "October 1, 2021")]),
    ("Affirmative defense under C.G.S. § 53a-192a(b) for a 16 year old",
     [("statute", "53a-192a", "C.G.S. § 53a-192a(b)"), ("age", "16", "16")]),
    ("sec. 53a-82 vs section 54-95c(a)",
     [("statute", "53a-82", "sec. 53a-82"), ("statute", "54-95c", "section 54-95c(a)")]),
    ("CGS 53A-82 and § 21a-277",
     [("statute", "53a-82", "CGS 53A-82"), ("statute", "21a-277", "§ 21a-277")]),
    ("risk of injury under 53-21", [("offense", "risk_of_injury", "risk of injury"),
                                    ("statute", "53-21", "53-21")]),
    ("Federal: 18 U.S.C. § 1589 and 18 USC 1591, see 18 usc chapter 77",
     [("federal_statute", "18 USC 1589", "18 U.S.C. § 1589"),
      ("federal_statute", "18 USC 1591", "18 USC 1591"),
      ("federal_statute", "18 USC ch. 77", "18 usc chapter 77")]),
    ("Is risk of injury to a minor a felony?",
     [("offense", "risk_of_injury", "risk of injury to a minor"),
      ("offense_class", "felony", "felony")]),
    ("a class B felony carries up to 20 years",
     [("offense_class", "class_b_felony", "class B felony"), ("prison_years", "20", "20 years")]),
    ("D felony, max 5 years", [("offense_class", "class_d_felony", "D felony"),
                               ("prison_years", "5", "5 years")]),
    ("class d fel", [("offense_class", "class_d_felony", "class d fel")]),
    ("is it an A felony", [("offense_class", "class_a_felony", "an A felony")]),
    ("unclassified felony, punishable by 7.5 years",
     [("offense_class", "unclassified_felony", "unclassified felony"),
      ("prison_years", "7.5", "7.5 years")]),
    ("ten year max misdemeanour?", [("prison_years", "10", "ten year"),
                                     ("offense_class", "misdemeanor", "misdemeanour")]),
    ("prostitution is a misdemeanor, up to a year",
     [("offense", "prostitution", "prostitution"), ("offense_class", "misdemeanor", "misdemeanor"),
      ("prison_years", "1", "a year")]),
    ("commercial sexual abuse of a minor carries 12 years",
     [("offense", "commercial_sexual_abuse_of_a_minor", "commercial sexual abuse of a minor"),
      ("prison_years", "12", "12 years")]),
    ("patronizing a prostitute was renamed soliciting sexual acts",
     [("offense", "soliciting_sexual_acts", "patronizing a prostitute"),
      ("offense", "soliciting_sexual_acts", "soliciting sexual acts")]),
    ("promoting prostitution and pimping",
     [("offense", "promoting_prostitution", "promoting prostitution"),
      ("offense", "promoting_prostitution", "pimping")]),
    ("The chief state's attorney or a deputy chief state's attorney may apply",
     [("role", "chief_states_attorney", "chief state's attorney"),
      ("role", "deputy_chief_states_attorney", "deputy chief state's attorney")]),
    ("subpoenaed by an investigatory grand jury in 2022-03-01",
     [("proceeding", "grand_jury_investigation", "investigatory grand jury"),
      ("date", "2022-03-01", "2022-03-01")]),
    ("delinquency proceeding in 03/01/2022",
     [("proceeding", "delinquency", "delinquency proceeding"), ("date", "2022-03-01", "03/01/2022")]),
    ("mar 2022 or March of 2018?", [("date", "2022-03", "mar 2022"), ("date", "2018-03", "March of 2018")]),
    ("the state’s attorney and the prosecutor",
     [("role", "states_attorney", "state’s attorney"), ("role", "prosecutor", "prosecutor")]),
]

NEGATIVES = [
    "2019",  # a year is a date, never an age
    "call me at 860-555-0100",
    "(860) 555-0100",
    "call 1-888-373-7888 or text 233733",
    "I know you can't give legal advice",
    "nobody helped me",
    "No one told me i could get it vacated",
    "it was like 5 years ago",
    "i was 5 minutes late",
    "i paid $500 bail",
    "i owe 2000 dollars",
    "is 16-17 still a kid",
    "meet at 10",
    "26",
    "he is a sex worker",
    "she was sexually assaulted",
    "anti-trafficking work",
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_extracts_exact_entities(text, expected):
    assert entities_of(text) == expected


def test_enough_realistic_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_give_no_entities_of_the_wrong_kind(text):
    found = entities_of(text)
    kinds = {e for e, _, _ in found}
    assert not kinds & {"age", "statute", "offense", "answer", "role"}, found


def test_a_probation_officer_is_someone_who_cannot_apply_not_the_police():
    assert [(e, v) for e, v, _ in entities_of("my probation officer")] == [("role", "other")]


def test_year_is_not_an_age_nor_a_statute():
    assert entities_of("2019") == [("date", "2019", "2019")]
    assert entities_of("in 2019 i was 16") == [("date", "2019", "2019"), ("age", "16", "16")]
    assert entities_of("$2019") == []


def test_dates_relative_to_today_at_the_precision_said():
    today = dt.date.today()
    months_back = today.year * 12 + today.month - 1 - 3
    assert entities_of("it was last year") == [("date", str(today.year - 1), "last year")]
    assert entities_of("this year") == [("date", str(today.year), "this year")]
    assert entities_of("about 2 years ago") == [("date", str(today.year - 2), "2 years ago")]
    assert entities_of("a year ago") == [("date", str(today.year - 1), "a year ago")]
    assert entities_of("three months ago") == [
        ("date", f"{months_back // 12:04d}-{months_back % 12 + 1:02d}", "three months ago")]
    assert entities_of("a few years ago") == [] and entities_of("a long time ago") == []
    assert entities_of("up to a year") == [("prison_years", "1", "a year")]


@pytest.mark.parametrize("text,expected", [
    ("does the council have a survivor on it", [("council_member", "survivor", "survivor")]),
    ("are there survivors of human trafficking on it",
     [("council_member", "survivor", "survivors of human trafficking")]),
    ("is there someone from DCF", [("council_member", "dcf", "DCF")]),
    ("who represents victims", [("council_member", "victims", "victims")]),
    ("anyone from the department of labor", [("council_member", "labor", "department of labor")]),
    ("is a judge on the council", [("role", "judge", "judge")]),
])
def test_kinds_of_council_member(text, expected):
    assert entities_of(text) == expected


def test_phone_numbers_and_dates_are_not_statutes():
    for text in ["860-555-0100", "203-555-2019", "10-12-2021", "2022-03-01", "3/1/2022",
                 "call 860 555 0100", "i was 16-17"]:
        assert not [e for e in entities_of(text) if e[0] in ("statute", "age")], text
    assert entities_of("10-12-2021") == [("date", "2021-10-12", "10-12-2021")]


def test_no_is_not_matched_inside_words_or_mid_sentence():
    for text in ["I know", "i know what happened", "nobody", "not guilty", "there was no lawyer",
                 "snow", "nonsense", "i have a N.Y. record"]:
        assert not [e for e in entities_of(text) if e[0] == "answer"], text


def test_section_numbers_and_money_are_not_ages():
    for text in ["section 53a-82", "§ 16", "$16", "it was 16 dollars", "i was 1 of 3 girls"]:
        assert not [e for e in entities_of(text) if e[0] == "age"], text


def test_existing_offsets_point_at_the_text():
    text = "ok so i was 16 and got a prostitution charge under § 53a-82 in March 2022"
    for e in extract(text):
        assert 0 <= e["start"] < e["end"] <= len(text)
    assert entities_of(text) == [
        ("age", "16", "16"),
        ("offense", "prostitution", "prostitution"),
        ("statute", "53a-82", "§ 53a-82"),
        ("date", "2022-03", "March 2022"),
    ]


def test_empty_and_whitespace():
    assert extract("") == []
    assert extract("   ") == []


def test_every_value_is_a_string_from_the_contract():
    allowed = {
        "offense_class": {"misdemeanor", "felony", "unclassified_felony"}
        | {f"class_{c}_felony" for c in "abcde"},
        "answer": {"yes", "no", "unsure"},
        "proceeding": {"delinquency", "prosecution", "grand_jury_investigation"},
        "role": {"chief_states_attorney", "deputy_chief_states_attorney", "states_attorney",
                 "prosecutor", "defense_lawyer", "public_defender", "judge", "police"},
    }
    for text, _ in CASES:
        for e in extract(text):
            assert isinstance(e["value"], str)
            if e["entity"] in allowed:
                assert e["value"] in allowed[e["entity"]], e


def test_pipeline_is_built_once_and_reused():
    assert legal_entities.get_engine() is legal_entities.get_engine()


def test_a_malformed_patterns_file_is_reported(tmp_path):
    bad = tmp_path / "patterns.yml"
    bad.write_text("entities:\n  answer:\n    phrases:\n      - value: 'yes'\n"
                   "        phrases: [yes]\n", encoding="utf-8")
    with pytest.raises(legal_entities.PatternsError, match="quote"):
        legal_entities.get_engine(bad)


# --------------------------------------------------------------------------------------------
# Through Rasa
# --------------------------------------------------------------------------------------------


def _rasa_component(tmp_path, config=None):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    return legal_entities.LegalEntityExtractor.create(
        {**legal_entities.LegalEntityExtractor.get_default_config(), **(config or {})},
        LocalModelStorage(tmp_path),
        Resource("legal_entity_extractor"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def test_registered_with_rasa_as_a_trainable_entity_extractor():
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("LegalEntityExtractor")
    assert registered.clazz is legal_entities.LegalEntityExtractor
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is True  # so Rasa keys its cache on fingerprint_addon


def test_a_trained_model_keeps_the_patterns_it_was_trained_with(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    patterns = tmp_path / "patterns.yml"
    patterns.write_bytes(legal_entities.PATTERNS_PATH.read_bytes())
    config = {**legal_entities.LegalEntityExtractor.get_default_config(), "patterns_file": str(patterns)}
    (tmp_path / "model").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "model"), Resource("legal_entities")
    context = ExecutionContext(GraphSchema({}), "test")
    legal_entities.LegalEntityExtractor.create(config, storage, resource, context).train(TrainingData())
    patterns.write_text("not: [the, patterns]\n")  # edited after training
    loaded = legal_entities.LegalEntityExtractor.load(config, storage, resource, context)
    message = Message(data={TEXT: "i was convicted of prostitution"})
    loaded.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["convicted", "prostitution"]


def test_rasa_process_appends_entities_and_keeps_the_others(tmp_path):
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    text = "i was 16 when they charged me with prostitution under 53a-82"
    other = {"entity": "name", "value": "x", "start": 0, "end": 1, "extractor": "DIETClassifier"}
    message = Message(data={TEXT: text, ENTITIES: [other]})
    empty = Message(data={TEXT: "hello there"})
    component = _rasa_component(tmp_path)

    out = component.process([message, empty])

    assert out[0] is message
    entities = message.get(ENTITIES)
    assert entities[0] == other
    ours = entities[1:]
    assert [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in ours] == [
        ("age", "16", "16"),
        ("offense", "prostitution", "prostitution"),
        ("statute", "53a-82", "53a-82"),
    ]
    for e in ours:
        assert e["extractor"] == "LegalEntityExtractor"
        assert e["confidence"] == 1.0
    assert ours[0]["start"] == text.index("16") and ours[0]["end"] == text.index("16") + 2
    assert empty.get(ENTITIES) == []
    assert "entities" in message.as_dict(only_output_properties=True)


def test_rasa_config_can_restrict_the_entity_types(tmp_path):
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={TEXT: "yes i was 16"})
    _rasa_component(tmp_path, {"entities": ["age"]}).process([message])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["age"]


def test_fingerprint_addon_follows_the_patterns_file(tmp_path, monkeypatch):
    real = legal_entities.PATTERNS_PATH
    copy = tmp_path / "patterns.yml"
    shutil.copy(real, copy)
    monkeypatch.setattr(legal_entities, "PATTERNS_PATH", copy)
    cls = legal_entities.LegalEntityExtractor

    first = cls.fingerprint_addon({})
    assert first == cls.fingerprint_addon({})  # stable
    assert first == legal_entities.patterns_fingerprint(real)  # same content, same hash

    copy.write_text(copy.read_text(encoding="utf-8").replace(
        "      judge: [judge, magistrate", "      judge: [judge, magistrate, your honor"),
        encoding="utf-8")
    changed = cls.fingerprint_addon({})
    assert changed != first
    assert cls.fingerprint_addon({"patterns_file": str(real)}) == first

    # a component created now reads the edited patterns; the real file is untouched
    assert _rasa_component(tmp_path)._engine.extract("your honor")[0]["value"] == "judge"
    assert legal_entities.extract("your honor", patterns_path=real) == []


@pytest.mark.parametrize("text,dangerous", [
    ("im 16 and hes outside my door right now", True),
    ("he is here and he has a gun", True),
    ("i took a bunch of pills", True),
    ("i'm not safe", True),
    ("i was 17 and he beat me", False),          # past abuse is not present danger
    ("he used to threaten me back then", False),
    ("can my conviction be vacated", False),
])
def test_words_of_present_danger_are_found(text, dangerous):
    assert any(e["entity"] == "danger" for e in legal_entities.extract(text)) is dangerous


def test_the_safety_net_makes_danger_an_emergency_whatever_the_classifier_said():
    from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.safety_net import SafetyNet

    message = Message(data={TEXT: "im 16 and hes outside my door", INTENT: {"name": "inform", "confidence": 0.9},
                            INTENT_RANKING_KEY: [{"name": "inform", "confidence": 0.9}],
                            ENTITIES: [{"entity": "danger", "value": "now", "start": 14, "end": 29}]})
    calm = Message(data={TEXT: "i was 16", INTENT: {"name": "inform", "confidence": 0.9}, ENTITIES: []})
    SafetyNet().process([message, calm])
    assert message.get(INTENT) == {"name": "emergency", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["emergency", "inform"]
    assert calm.get(INTENT)["name"] == "inform"


@pytest.mark.parametrize("text, intent, expected", [
    ("53a-192a, client 16, trafficked by the co-defendant. defense available?", "inform", "ask_affirmative_defense"),
    ("conviction under 53a-82, trafficked then - does 54-95c reach it?", "inform", "ask_vacatur"),
    ("witness took the fifth. 54-47a order?", "inform", "ask_compelled_testimony"),
    ("it was 53a-192a", "inform", "inform"),  # an answer, not a question
    ("53a-192a or 54-95c?", "inform", "inform"),  # two screenings: the classifier's reading stands
    ("what's the penalty under 53a-192a?", "ask_penalty", "ask_penalty"),  # only `inform` is read again
])
def test_a_question_naming_a_screenings_section_asks_about_that_screening(text, intent, expected):
    from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.section_questions import SectionQuestions

    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6},
                            ENTITIES: legal_entities.extract(text)})
    SectionQuestions().process([message])
    assert message.get(INTENT)["name"] == expected


@pytest.mark.parametrize("text, dates", [
    ("i was born on the 3rd of march, 2005 and charged with trafficking in 2022", ["2022"]),
    ("born in 2005, they arrested me when i was 16", []),
    ("my birthday is 3/4/2005", []),
    ("DOB: March 3rd 2005. it happened march 2022", ["2022-03"]),
    ("my date of birth is 2005-03-04", []),
    ("it happened in march 2022", ["2022-03"]),
])
def test_a_date_of_birth_is_not_a_date_the_law_asks_about(text, dates):
    assert [e["value"] for e in extract(text) if e["entity"] == "date"] == dates


def test_a_date_of_birth_never_becomes_the_offense_date():
    """Taken as the offense date, a 2005 birthday put the offense before the defense existed: a
    wrong "not in force" for a minor."""
    from actions.facts import facts_in_message

    text = "im 16 and charged with trafficking, i was born on march 3 2008"
    message = {"text": text, "intent": {"name": "ask_affirmative_defense"}, "entities": extract(text)}
    found, _, _ = facts_in_message("affirmative_defense", message, requested="offense_date")
    assert "offense_date" not in found and found["age_at_offense"] == 16
