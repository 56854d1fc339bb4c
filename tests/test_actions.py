"""Every action against a real rasa_sdk Tracker and CollectingDispatcher, with the real domain."""

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.information as information
from actions.facts import screening_for_facts, screenings_the_facts_point_to
from actions.information import ActionAnswerTopic, ActionReferrals
from actions.screening import (ActionAnswerScreening, ActionAskAgeAtOffense, ActionAskMaxPrisonYears,
                               ActionAskOffenseDate, ActionAskProceedingDate, ActionExplainWhy, ActionNextSteps,
                               ActionScreeningForFacts, ActionStartScreening, ValidateAffirmativeDefenseForm,
                               ValidateTestimonyForm, ValidateVacaturForm, date_boundaries)
from actions.session import ActionDeleteMyData, ActionSessionStart
from rules import unstated_date

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "bot" / "domain")).as_dict()
SLOT_NAMES = list(DOMAIN["slots"])


def make_tracker(slots=None, intent="inform", entities=(), text="", active_loop=None, requested=None):
    values = {name: None for name in SLOT_NAMES}
    values.update(slots or {})
    values["requested_slot"] = requested
    return Tracker(
        sender_id="test", slots=values,
        latest_message={"intent": {"name": intent, "confidence": 1.0}, "text": text,
                        "entities": [{"entity": e, "value": v} for e, v in entities]},
        events=[], paused=False, followup_action=None,
        active_loop={"name": active_loop} if active_loop else {}, latest_action_name="action_listen")


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher, events


def slot_sets(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def texts(dispatcher):
    return [m.get("text") or m.get("response") for m in dispatcher.messages]


# -- starting a screening ------------------------------------------------------------------------------

def test_start_screening_clears_old_facts_and_keeps_the_facts_in_the_message():
    tracker = make_tracker(slots={"convicted": True, "charge_statute": "53a-192a", "determination": "{}"},
                           intent="ask_vacatur", entities=[("offense", "prostitution"), ("date", "2018")],
                           active_loop="affirmative_defense_form")
    _, events = run(ActionStartScreening(), tracker)
    slots = slot_sets(events)
    assert ActiveLoop(None) in events
    assert slots["convicted"] is None and slots["charge_statute"] is None and slots["determination"] is None
    assert slots["offense"] == "prostitution" and slots["screening_topic"] == "vacatur"


def test_start_screening_for_the_defense_takes_age_and_charge_from_the_first_message():
    tracker = make_tracker(intent="ask_affirmative_defense",
                           entities=[("offense", "trafficking_in_persons"), ("age", "16")])
    _, events = run(ActionStartScreening(), tracker)
    slots = slot_sets(events)
    assert slots["charge"] == "trafficking_in_persons" and slots["age_at_offense"] == 16
    assert slots["screening_topic"] == "affirmative_defense"


# -- facts given without a question ------------------------------------------------------------------

def facts_message(entities=(), ranking=()):
    return {"intent": {"name": "inform"}, "text": "", "entities": [{"entity": e, "value": v} for e, v in entities],
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]}


@pytest.mark.parametrize("entities, topic", [
    ([("conviction", "convicted"), ("offense", "larceny")], "vacatur"),
    ([("offense", "loitering")], "vacatur"),  # a record for another offense: 54-95c is what clears it
    ([("statute", "53a-82")], "vacatur"),
    ([("statute", "54-95c")], "vacatur"),
    ([("offense", "trafficking_in_persons"), ("age", "16")], "affirmative_defense"),
    ([("statute", "53a-192a"), ("proceeding", "delinquency")], "affirmative_defense"),
    ([("proceeding", "grand_jury_investigation")], "compelled_testimony"),
    ([("role", "states_attorney")], "compelled_testimony"),
    ([("statute", "54-47a")], "compelled_testimony"),
])
def test_facts_without_a_question_point_to_the_screening_their_entities_name(entities, topic):
    assert screenings_the_facts_point_to(facts_message(entities)) == [topic]
    assert screening_for_facts(facts_message(entities, [("inform", 0.9)])) == topic


def test_a_conviction_for_trafficking_points_to_vacatur_not_to_the_defense_for_a_charge():
    message = facts_message([("offense", "trafficking_in_persons"), ("conviction", "convicted")])
    assert screenings_the_facts_point_to(message) == ["vacatur"]


def test_the_classifier_breaks_a_tie_only_among_the_screenings_the_entities_name():
    juvenile_case = [("proceeding", "delinquency")]
    ranking = [("inform", 0.5), ("ask_vacatur", 0.3), ("ask_compelled_testimony", 0.25)]
    assert screenings_the_facts_point_to(facts_message(juvenile_case)) == ["affirmative_defense",
                                                                           "compelled_testimony"]
    assert screening_for_facts(facts_message(juvenile_case, ranking)) == "compelled_testimony"


def test_facts_that_name_no_screening_start_none_unless_the_classifier_is_fairly_sure():
    assert screening_for_facts(facts_message([("age", "17")], [("inform", 0.9), ("ask_vacatur", 0.05)])) is None
    assert screening_for_facts(facts_message([], [("inform", 0.6), ("ask_affirmative_defense", 0.35)])) \
        == "affirmative_defense"


def test_facts_pointing_to_vacatur_start_it_with_the_facts_and_say_why():
    tracker = make_tracker(slots={"charge": "trafficking_in_persons"},
                           entities=[("conviction", "convicted"), ("offense", "prostitution")])
    dispatcher, events = run(ActionScreeningForFacts(), tracker)
    slots = slot_sets(events)
    assert slots["facts_point_to"] == "vacatur" and slots["screening_topic"] == "vacatur"
    assert slots["convicted"] is True and slots["offense"] == "prostitution" and slots["charge"] is None
    assert texts(dispatcher) == ["utter_facts_point_to_vacatur"]


def test_facts_pointing_nowhere_start_nothing_and_change_no_fact():
    tracker = make_tracker(slots={"convicted": True}, entities=[("age", "17")])
    dispatcher, events = run(ActionScreeningForFacts(), tracker)
    assert slot_sets(events) == {"facts_point_to": "unclear"} and texts(dispatcher) == []


def test_each_screening_the_facts_can_point_to_has_its_own_opening_line():
    for topic in ("vacatur", "affirmative_defense", "compelled_testimony"):
        assert f"utter_facts_point_to_{topic}" in DOMAIN["responses"]
    assert set(DOMAIN["slots"]["facts_point_to"]["values"]) >= {"vacatur", "affirmative_defense",
                                                              "compelled_testimony", "unclear"}


# -- the forms ask only what can change the outcome --------------------------------------------------

def test_vacatur_form_takes_a_yes_for_the_conviction_and_asks_which_court_next():
    tracker = make_tracker(intent="affirm", active_loop="vacatur_form", requested="convicted")
    _, events = run(ValidateVacaturForm(), tracker)
    slots = slot_sets(events)
    assert slots["convicted"] is True
    assert slots["requested_slot"] == "court"


def test_the_conviction_button_gives_the_court_too_and_the_offense_is_asked_next():
    tracker = make_tracker(intent="inform", entities=[("conviction", "convicted"), ("court", "connecticut_adult")],
                           active_loop="vacatur_form", requested="convicted")
    _, events = run(ValidateVacaturForm(), tracker)
    slots = slot_sets(events)
    assert slots["convicted"] is True and slots["court"] == "connecticut_adult"
    assert slots["requested_slot"] == "offense_statute"


def test_a_conviction_in_another_state_ends_the_questions():
    tracker = make_tracker(intent="inform", entities=[("conviction", "convicted"), ("court", "other_state")],
                           active_loop="vacatur_form", requested="convicted")
    _, events = run(ValidateVacaturForm(), tracker)
    assert slot_sets(events)["requested_slot"] is None  # other_court: nothing else can change the answer


def test_trafficking_is_asked_branch_by_branch_and_a_no_to_force_is_not_the_end():
    slots = {"convicted": True, "court": "connecticut_adult", "offense": "prostitution"}
    tracker = make_tracker(slots=slots, intent="deny", active_loop="vacatur_form",
                           requested="forced_tricked_or_coerced")
    _, events = run(ValidateVacaturForm(), tracker)
    asked = slot_sets(events)
    assert asked["forced_tricked_or_coerced"] is False and asked["requested_slot"] == "sold_for_sex"
    tracker = make_tracker(slots={**slots, **asked}, intent="affirm", active_loop="vacatur_form",
                           requested="sold_for_sex")
    _, events = run(ValidateVacaturForm(), tracker)
    assert slot_sets(events)["sold_for_sex"] is True and slot_sets(events)["requested_slot"] is None


def test_the_under_18_branch_is_not_asked_of_someone_who_was_an_adult():
    slots = {"charge_statute": "53a-192a", "offense_date": "2023-01-01", "age_at_offense": 19}
    tracker = make_tracker(slots=slots, intent="deny", active_loop="affirmative_defense_form",
                           requested="forced_tricked_or_coerced")
    _, events = run(ValidateAffirmativeDefenseForm(), tracker)
    assert slot_sets(events)["requested_slot"] is None  # 19: the defense does not fit, whatever else


def test_words_about_being_sold_fill_the_trafficking_branch_from_the_first_message():
    tracker = make_tracker(intent="ask_affirmative_defense", entities=[("offense", "trafficking_in_persons"),
                                                                       ("age", "16"), ("exploitation", "sold")])
    _, events = run(ActionStartScreening(), tracker)
    slots = slot_sets(events)
    assert slots["sold_for_sex"] is True and slots["age_at_offense"] == 16 and slots.get("trafficking_victim") is None


def test_a_prostitution_conviction_skips_the_class_question():
    tracker = make_tracker(slots={"convicted": True, "court": "connecticut_adult"}, intent="inform",
                           entities=[("offense", "prostitution")], active_loop="vacatur_form",
                           requested="offense_statute")
    _, events = run(ValidateVacaturForm(), tracker)
    slots = slot_sets(events)
    assert slots["offense"] == "prostitution"
    # No class question (53a-82 decides it): trafficking next, asked first as force, fraud or coercion.
    assert slots["requested_slot"] == "forced_tricked_or_coerced"


def test_the_form_stops_as_soon_as_the_law_decides():
    # A class B felony cannot be vacated whatever the trafficking history: no more questions.
    tracker = make_tracker(slots={"convicted": True, "offense": "other_offense"}, intent="inform",
                           entities=[("offense_class", "class_b_felony")], active_loop="vacatur_form",
                           requested="offense_class")
    _, events = run(ValidateVacaturForm(), tracker)
    slots = slot_sets(events)
    assert slots["offense_class"] == "class_b_felony"
    assert slots["requested_slot"] is None


def test_max_prison_term_is_asked_only_for_an_unclassified_felony():
    tracker = make_tracker(slots={"convicted": True, "court": "connecticut_adult", "offense": "other_offense"},
                           intent="inform", entities=[("offense_class", "unclassified_felony")],
                           active_loop="vacatur_form",
                           requested="offense_class")
    _, events = run(ValidateVacaturForm(), tracker)
    assert slot_sets(events)["requested_slot"] == "max_prison_years"


def test_not_sure_is_accepted_and_the_question_is_not_asked_again():
    tracker = make_tracker(slots={"convicted": True, "court": "connecticut_adult", "offense": "prostitution"},
                           intent="unsure", active_loop="vacatur_form", requested="trafficking_victim")
    _, events = run(ValidateVacaturForm(), tracker)
    slots = slot_sets(events)
    assert slots["trafficking_victim"] == "unsure"
    assert "trafficking_victim" in slots["skipped_facts"]
    assert slots["requested_slot"] is None  # nothing else to ask: the answer will be need_more_facts


def test_an_unusable_answer_is_asked_again_once_kindly_then_skipped():
    tracker = make_tracker(intent="inform", text="blue", active_loop="vacatur_form", requested="convicted")
    dispatcher, events = run(ValidateVacaturForm(), tracker)
    assert slot_sets(events)["unusable_answers"] == 1
    assert "utter_reask" in texts(dispatcher)
    assert slot_sets(events)["requested_slot"] == "convicted"
    again = make_tracker(slots={"unusable_answers": 1}, intent="inform", text="green", active_loop="vacatur_form",
                         requested="convicted")
    dispatcher, events = run(ValidateVacaturForm(), again)
    slots = slot_sets(events)
    assert "convicted" in slots["skipped_facts"] and slots["requested_slot"] == "court"


def test_another_question_mid_form_is_left_to_the_rules():
    tracker = make_tracker(intent="emergency", text="he is here", active_loop="vacatur_form", requested="convicted")
    dispatcher, events = run(ValidateVacaturForm(), tracker)
    assert [e for e in events if e["event"] == "slot" and e["name"] != "requested_slot"] == []
    assert dispatcher.messages == []


def test_an_answer_that_contradicts_an_earlier_one_is_asked_again():
    tracker = make_tracker(slots={"convicted": True, "offense": "prostitution"}, intent="inform",
                           entities=[("offense_class", "class_c_felony")], active_loop="vacatur_form",
                           requested="trafficking_victim")
    dispatcher, events = run(ValidateVacaturForm(), tracker)
    assert slot_sets(events)["offense_class"] is None
    assert any("doesn't fit" in t for t in texts(dispatcher))


def test_defense_form_asks_for_the_date_of_a_trafficking_charge_then_the_age():
    tracker = make_tracker(slots={"charge": "trafficking_in_persons"}, intent="inform",
                           entities=[("date", "2023-03")], active_loop="affirmative_defense_form",
                           requested="offense_date")
    _, events = run(ValidateAffirmativeDefenseForm(), tracker)
    slots = slot_sets(events)
    assert slots["offense_date"] == "2023-03-01"
    assert slots["requested_slot"] == "age_at_offense"


def test_a_year_that_straddles_the_defenses_start_is_asked_again():
    tracker = make_tracker(slots={"charge": "trafficking_in_persons"}, intent="inform", entities=[("date", "2021")],
                           active_loop="affirmative_defense_form", requested="offense_date")
    dispatcher, events = run(ValidateAffirmativeDefenseForm(), tracker)
    assert "offense_date" not in slot_sets(events)
    assert any("before or after" in t for t in texts(dispatcher))


def test_an_adult_at_the_time_ends_the_defense_questions():
    tracker = make_tracker(slots={"charge": "trafficking_in_persons", "offense_date": "2022-05-01"},
                           intent="inform", entities=[("age", "19")], active_loop="affirmative_defense_form",
                           requested="age_at_offense")
    _, events = run(ValidateAffirmativeDefenseForm(), tracker)
    assert slot_sets(events)["requested_slot"] is None


def test_testimony_form_maps_people_to_who_may_apply():
    tracker = make_tracker(slots={"proceeding": "delinquency"}, intent="inform", entities=[("role", "police")],
                           active_loop="testimony_form", requested="applicant")
    _, events = run(ValidateTestimonyForm(), tracker)
    slots = slot_sets(events)
    assert slots["applicant"] == "other" and slots["requested_slot"] is None


def test_testimony_form_adult_case_means_a_criminal_proceeding():
    tracker = make_tracker(intent="inform", entities=[("proceeding", "prosecution")], active_loop="testimony_form",
                           requested="proceeding")
    _, events = run(ValidateTestimonyForm(), tracker)
    slots = slot_sets(events)
    assert slots["proceeding"] == "criminal" and slots["requested_slot"] == "applicant"


JUVENILE_CASE = {"screening_topic": "compelled_testimony", "proceeding": "delinquency",
                 "applicant": "states_attorney"}


def test_a_juvenile_case_is_asked_when_the_prosecutor_applied_last():
    tracker = make_tracker(slots=JUVENILE_CASE, intent="affirm", active_loop="testimony_form",
                           requested="privilege_claimed")
    _, events = run(ValidateTestimonyForm(), tracker)
    slots = slot_sets(events)
    assert slots["privilege_claimed"] is True and slots["requested_slot"] == "proceeding_date"


def test_an_adult_criminal_case_is_never_asked_when():
    tracker = make_tracker(slots={**JUVENILE_CASE, "proceeding": "criminal", "privilege_claimed": True},
                           intent="affirm", active_loop="testimony_form", requested="qualifying_offense")
    _, events = run(ValidateTestimonyForm(), tracker)
    assert slot_sets(events)["requested_slot"] is None


@pytest.mark.parametrize("text,date,recorded", [
    ("it was before october 2021", "2021-10", "2021-09-30"),
    ("in 2020", "2020", "2020-01-01"),
    ("march 2019", "2019-03", "2019-03-01"),
    ("last year", "2025", "2025-01-01"),  # the extractor resolves "last year" against today
    ("/inform", "2021-10-01", "2021-10-01"),  # the "On or after" button
])
def test_the_proceeding_date_is_taken_from_words_or_a_button(text, date, recorded):
    tracker = make_tracker(slots={**JUVENILE_CASE, "privilege_claimed": True}, intent="inform", text=text,
                           entities=[("date", date)], active_loop="testimony_form", requested="proceeding_date")
    _, events = run(ValidateTestimonyForm(), tracker)
    slots = slot_sets(events)
    assert slots["proceeding_date"] == recorded and slots["requested_slot"] is None


def test_a_year_that_straddles_the_delinquency_clause_is_asked_again():
    tracker = make_tracker(slots={**JUVENILE_CASE, "privilege_claimed": True}, intent="inform", text="in 2021",
                           entities=[("date", "2021")], active_loop="testimony_form", requested="proceeding_date")
    dispatcher, events = run(ValidateTestimonyForm(), tracker)
    assert "proceeding_date" not in slot_sets(events) and slot_sets(events)["requested_slot"] == "proceeding_date"
    assert any("before or after" in t for t in texts(dispatcher))


def test_not_sure_when_skips_the_date_and_the_answer_says_which_date_it_applied():
    slots = {**JUVENILE_CASE, "privilege_claimed": True}
    tracker = make_tracker(slots=slots, intent="unsure", active_loop="testimony_form", requested="proceeding_date")
    _, events = run(ValidateTestimonyForm(), tracker)
    asked = slot_sets(events)
    assert asked["skipped_facts"] == ["proceeding_date"] and asked["requested_slot"] is None
    dispatcher, events = run(ActionAnswerScreening(), make_tracker(slots={**slots, **asked}))
    said = texts(dispatcher)
    assert "immunity" in said[0]
    assert "applies the law on" in said[1] and "before Oct 1, 2021, the answer would be different" in said[1]
    assert json.loads(slot_sets(events)["determination"])["outcome"] == "order_possible"


def test_a_given_date_leaves_no_assumption_in_the_answer():
    slots = {**JUVENILE_CASE, "privilege_claimed": True, "proceeding_date": "2020-06-01"}
    dispatcher, events = run(ActionAnswerScreening(), make_tracker(slots=slots))
    assert not any("didn't say when" in t for t in texts(dispatcher))
    assert json.loads(slot_sets(events)["determination"])["outcome"] == "not_in_force"


def test_why_while_the_date_is_asked_says_what_changed_on_it():
    tracker = make_tracker(slots={**JUVENILE_CASE, "privilege_claimed": True}, intent="ask_why",
                           active_loop="testimony_form", requested="proceeding_date")
    dispatcher, _ = run(ActionExplainWhy(), tracker)
    said = texts(dispatcher)[0]
    assert said.startswith("I ask because") and "Oct 1, 2021" in said and "54-47a(a)(3)" in said


# -- questions whose words depend on the law ----------------------------------------------------------

def test_date_question_offers_both_sides_of_the_day_the_defense_began():
    dispatcher, _ = run(ActionAskOffenseDate(), make_tracker())
    message = dispatcher.messages[0]
    assert "October 1, 2021" in message["text"]
    assert [b["payload"] for b in message["buttons"][:2]] == ['/inform{"date": "2021-09-30"}',
                                                              '/inform{"date": "2021-10-01"}']


def test_proceeding_date_question_offers_each_side_of_the_days_the_law_engine_names():
    slots = {**JUVENILE_CASE, "privilege_claimed": True}
    dispatcher, _ = run(ActionAskProceedingDate(), make_tracker(slots=slots, active_loop="testimony_form"))
    message = dispatcher.messages[0]
    day = unstated_date("compelled_testimony", {k: v for k, v in slots.items() if k != "screening_topic"}
                        ).boundaries[0]
    assert message["text"].startswith("When") and f"{day:%b %-d, %Y}" in message["text"]
    assert [b["title"] for b in message["buttons"]] == [f"Before {day:%b %-d, %Y}", f"On or after {day:%b %-d, %Y}",
                                                        "Not sure"]
    assert message["buttons"][1]["payload"] == f'/inform{{"date": "{day.isoformat()}"}}'


def test_age_and_prison_term_questions_use_the_limits_in_the_law_data():
    dispatcher, _ = run(ActionAskAgeAtOffense(), make_tracker())
    assert "under 18" in dispatcher.messages[0]["text"]
    dispatcher, _ = run(ActionAskMaxPrisonYears(), make_tracker())
    assert "10 years or less" in dispatcher.messages[0]["text"]


# -- answers -------------------------------------------------------------------------------------------

def test_answer_says_the_outcome_first_with_the_sections_and_stores_the_determination():
    tracker = make_tracker(slots={"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult",
                                  "offense": "prostitution", "trafficking_victim": "yes"})
    dispatcher, events = run(ActionAnswerScreening(), tracker)
    said = texts(dispatcher)
    assert "must" in said[0] and "vacate" in said[0]
    assert "CGS 54-95c(a), (d)(1)" in said[-1] and "current law" in said[-1]
    stored = json.loads(slot_sets(events)["determination"])
    assert stored["outcome"] == "must_vacate_if_proven" and "54-95c(d)(1)" in stored["citations"]
    assert {b["payload"] for b in dispatcher.messages[-1]["buttons"]} >= {"/ask_why", "/request_human"}


def test_an_undecided_answer_says_what_would_decide_it():
    tracker = make_tracker(slots={"screening_topic": "vacatur", "convicted": True, "offense": "prostitution",
                                  "trafficking_victim": "unsure", "skipped_facts": ["trafficking_victim"]})
    dispatcher, events = run(ActionAnswerScreening(), tracker)
    said = " ".join(texts(dispatcher))
    assert "whether you were being trafficked at the time" in said
    assert json.loads(slot_sets(events)["determination"])["outcome"] == "need_more_facts"


def test_why_walks_through_the_reasons_with_their_sections():
    slots = {"screening_topic": "vacatur", "convicted": True, "offense_class": "class_b_felony",
             "offense": "other_offense", "trafficking_victim": "yes"}
    _, events = run(ActionAnswerScreening(), make_tracker(slots=slots))
    slots.update(slot_sets(events))
    dispatcher, _ = run(ActionExplainWhy(), make_tracker(slots=slots, intent="ask_why"))
    said = texts(dispatcher)[0]
    assert "(CGS 54-95c(a)): No." in said and "class A and class B felonies" in said


def test_why_inside_a_form_explains_the_question():
    dispatcher, _ = run(ActionExplainWhy(), make_tracker(intent="ask_why", active_loop="affirmative_defense_form",
                                                         requested="age_at_offense"))
    assert "53a-192a(b)" in texts(dispatcher)[0]


def test_next_steps_include_the_victim_notice_and_its_safety_risk():
    slots = {"screening_topic": "vacatur", "convicted": True, "offense_class": "class_d_felony",
             "offense": "other_offense", "trafficking_victim": "yes"}
    _, events = run(ActionAnswerScreening(), make_tracker(slots=slots))
    slots.update(slot_sets(events))
    dispatcher, _ = run(ActionNextSteps(), make_tracker(slots=slots))
    said = texts(dispatcher)[0]
    assert "registered or certified mail" in said and "Safety" in said and "CGS 54-95c(b)" in said


@pytest.mark.parametrize("intent,entities,expected_text,expected_citation", [
    ("ask_trafficking_definition", [], "sex trafficking", "CGS 53a-192a(a)"),
    ("ask_penalty", [("offense", "trafficking_in_persons")], "class A felony", "CGS 53a-192a(c)"),
    ("ask_penalty", [("offense", "commercial_sexual_abuse_of_a_minor"), ("age", "14")], "class A felony",
     "CGS 53a-83b(d), (c)"),
    ("ask_training", [], "every 3 years", "CGS 17a-106h(b), (c)"),
    ("ask_council", [], "36 members", "CGS 46a-170(b)"),
    ("ask_effective_date", [("statute", "54-95c")], "October 1, 2021", "CGS 54-95c"),
    ("ask_what_changed", [("statute", "54-95c")], "rewritten before passage", "CGS 54-95c"),
])
def test_informational_answers_come_from_the_law_data(intent, entities, expected_text, expected_citation):
    dispatcher, _ = run(ActionAnswerTopic(), make_tracker(intent=intent, entities=entities))
    said = " ".join(texts(dispatcher))
    assert expected_text in said and expected_citation in said


@pytest.mark.parametrize("entities,expected_text,expected_citation", [
    ([("council_member", "survivor")], "adult victim of trafficking, appointed by the Governor",
     "CGS 46a-170(b)(17)"),
    ([("council_member", "dcf")], "Commissioner of Children and Families", "CGS 46a-170(b)(8)"),
    ([("council_member", "victims")], "Victim Advocate", "CGS 46a-170(b)(12)"),
    ([("role", "judge")], "judge of the Superior Court", "CGS 46a-170(b)(18)"),
    ([], "A survivor sits on it: an adult victim of trafficking", "CGS 46a-170(b)(17)"),
])
def test_council_answers_name_the_members_asked_about(entities, expected_text, expected_citation):
    dispatcher, _ = run(ActionAnswerTopic(), make_tracker(intent="ask_council", entities=entities))
    said = " ".join(texts(dispatcher))
    assert expected_text in said and expected_citation in said
    assert "seen only in part" in said  # the 2023 list is PARTLY in the law data


def test_penalty_without_an_offense_offers_the_offenses():
    dispatcher, _ = run(ActionAnswerTopic(), make_tracker(intent="ask_penalty"))
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/ask_penalty{"offense": "prostitution"}' in payloads


def test_referrals_put_the_organisations_own_contacts_first(tmp_path, monkeypatch):
    config = tmp_path / "organisation.yml"
    config.write_text("name: Safe Harbor\nreferral_contacts:\n  - {name: Safe Harbor intake, phone: 860-555-0100}\n")
    monkeypatch.setattr(information, "ORGANISATION_FILE", config)
    dispatcher, _ = run(ActionReferrals(), make_tracker(intent="request_human"))
    lines = texts(dispatcher)[0].splitlines()
    assert lines[1] == "Safe Harbor intake - 860-555-0100"
    assert any("1-888-373-7888" in line and "233733" in line for line in lines)


def test_referrals_default_to_the_statewide_contacts(tmp_path, monkeypatch):
    monkeypatch.setattr(information, "ORGANISATION_FILE", tmp_path / "missing.yml")
    dispatcher, _ = run(ActionReferrals(), make_tracker(intent="request_human"))
    said = texts(dispatcher)[0]
    assert "National Human Trafficking Hotline" in said and "2-1-1" in said and "Victim Advocate" not in said


def test_a_conversation_starts_by_saying_what_the_guide_is():
    dispatcher, events = run(ActionSessionStart(), make_tracker())
    assert texts(dispatcher) == ["utter_intro"]
    assert SessionStarted() in events


def test_delete_confirms_in_neutral_words():
    dispatcher, events = run(ActionDeleteMyData(), make_tracker(intent="delete_my_data"))
    said = texts(dispatcher)[0]
    assert "erased" in said and "traffick" not in said.lower()
    assert events == []


def test_only_the_days_the_defense_or_the_testimony_rule_changed_make_a_date_unclear():
    # 53a-192a changed class on Oct 1, 2017, but the defense began Oct 1, 2021: "before october 2021" is clear.
    assert date_boundaries("affirmative_defense") == [dt.date(2021, 10, 1)]
    assert date_boundaries("compelled_testimony") == [dt.date(2021, 10, 1)]
    tracker = make_tracker(slots={"charge_statute": "53a-192a"}, intent="inform", text="it was before october 2021",
                           entities=[("date", "2021-10")], active_loop="affirmative_defense_form",
                           requested="offense_date")
    _, events = run(ValidateAffirmativeDefenseForm(), tracker)
    assert slot_sets(events)["offense_date"] == "2021-09-30" and slot_sets(events)["requested_slot"] is None


def test_the_soliciting_fine_is_qualified_in_the_chat_answer_too():
    dispatcher, _ = run(ActionAnswerTopic(), make_tracker(intent="ask_penalty",
                                                          entities=[("offense", "soliciting_sexual_acts")]))
    said = " ".join(texts(dispatcher))
    assert "$2,000" in said and "CGS 53a-83(b)" in said and "have a lawyer confirm" in said
