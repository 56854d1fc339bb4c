"""Reading what people actually write: facts with their roles, corrections after an answer, several
offenses, who is speaking, and a stop that is a stop. The words come as the extractor gives them
(bot/nlu/extractor.py), so these tests are the actions' side of each behaviour; the running
guide's side is in the conversation scripts (tests/conversations/, tests/conversations/field/)."""

import json

import pytest
from rasa_sdk.events import SlotSet

from actions.facts import facts_in_message, screenings_the_facts_point_to
from actions.render import in_voice
from actions.screening import (ActionAnotherConviction, ActionAnswerScreening, ActionEmergencyInAForm,
                               ActionScreeningForFacts, ActionStartScreening, ValidateTestimonyForm,
                               changes_to_the_last_answer)
from bot.nlu.said_plainly import plainly_said_intent, says_erase_this_chat, says_stop
from bot.nlu.extractor import extract
from rules import evaluate
from test_actions import make_tracker, run, slot_sets, texts

ANSWERED_VACATUR = {"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult",
                    "offense": "other_offense", "offense_class": "misdemeanor", "forced_tricked_or_coerced": False,
                    "sold_for_sex": False, "minor_induced_into_sex": False}


def message(text, intent="inform"):
    return {"text": text, "intent": {"name": intent}, "entities": extract(text)}


def answered(slots=ANSWERED_VACATUR):
    """The slots of a screening already answered: its facts and the determination the guide gave."""
    facts = {k: v for k, v in slots.items() if k != "screening_topic"}
    determination = evaluate(slots.get("screening_topic", "vacatur"), facts)
    return {**slots, "determination": json.dumps(determination.to_dict(), default=str)}


def told(text, intent="inform", **kwargs):
    """A tracker whose latest message is `text`, with the entities the extractor reads in it."""
    tracker = make_tracker(intent=intent, text=text, **kwargs)
    tracker.latest_message["entities"] = extract(text)
    return tracker


def through_the_safety_net(text, ranking):
    """The message as the SafetyNet leaves it, from the classifier's ranking [(intent, confidence), ...]."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.safety_net import SafetyNet

    message = Message(data={"text": text, "entities": extract(text),
                            "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
                            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})
    SafetyNet().process([message])
    return message


# -- roles: what the person is convicted of is not the section asked about or what was done to them --

def test_the_section_asked_about_is_never_the_conviction():
    found, _, _ = facts_in_message("vacatur", message("Can my client use 54-95c for her 53a-82 conviction?"), None)
    assert found["offense_statute"] == "53a-82" and found["convicted"] is True


def test_being_trafficked_is_never_the_offense():
    found, _, _ = facts_in_message("vacatur", message("after years of being trafficked i ended up with a "
                                                      "prostitution conviction"), None)
    assert found["offense"] == "prostitution" and found["trafficking_victim"] == "yes"
    found, _, _ = facts_in_message("vacatur", message("he was trafficking me and i picked up a larceny charge"), None)
    assert found.get("offense") == "other_offense" and found["trafficking_victim"] == "yes"


def test_a_third_person_story_fills_the_branch_but_a_person_accused_of_it_does_not():
    found, _, _ = facts_in_message("vacatur", message("my client's pimp forced her to do it"), None)
    assert found["forced_tricked_or_coerced"] is True and found["sold_for_sex"] is True
    found, _, _ = facts_in_message("affirmative_defense", message("they say i forced her to work for him"), None)
    assert "forced_tricked_or_coerced" not in found


@pytest.mark.parametrize("text,facts", [
    ("the witness took the fifth", {"privilege_claimed": True}),
    ("she hasn't refused to answer anything yet", {"privilege_claimed": False}),
    ("the prosecutor wants an order", {"applicant": "states_attorney"}),
])
def test_testimony_facts_in_people_s_words(text, facts):
    found, _, _ = facts_in_message("compelled_testimony", message(text), None)
    assert {k: found.get(k) for k in facts} == facts


def test_a_witness_taking_the_fifth_points_to_the_testimony_screening():
    assert screenings_the_facts_point_to(message("my client took the fifth and now the prosecutor wants to make "
                                                 "her talk")) == ["compelled_testimony"]


@pytest.mark.parametrize("text,facts", [
    ("me condenaron por prostitución, mi novio me vendía", {"convicted": True, "offense": "prostitution",
                                                            "sold_for_sex": True}),
    ("i pleaded out to larceny in GA 14", {"convicted": True}),
    ("she was found guilty of breach of peace in adult court", {"convicted": True, "court": "connecticut_adult"}),
])
def test_convictions_in_people_s_words(text, facts):
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert {k: found.get(k) for k in facts} == facts


def test_no_se_is_not_sure():
    _, unsure, _ = facts_in_message("vacatur", message("no sé"), "convicted")
    assert unsure == ["convicted"]


# -- corrections after an answer ---------------------------------------------------------------------

def test_a_fact_given_after_an_answer_changes_it_and_says_what_changed():
    tracker = make_tracker(slots=answered(), intent="correct", text="wait, it was a class C felony",
                           entities=[("offense_class", "class_c_felony")])
    dispatcher, events = run(ActionScreeningForFacts(), tracker)
    slots = slot_sets(events)
    assert slots["offense_class"] == "class_c_felony" and slots["facts_point_to"] == "corrected_vacatur"
    assert "I've changed that: Class of the offense: class C felony" in " ".join(texts(dispatcher))


def test_oh_i_answered_that_wrong_he_was_controlling_me_turns_a_no_into_a_yes():
    topic, changed, _ = changes_to_the_last_answer(make_tracker(
        slots=answered(), intent="correct", text="oh wait i answered that wrong - he was controlling me",
        entities=[("exploitation", "forced")]))
    assert topic == "vacatur" and changed == {"forced_tricked_or_coerced": True}
    fixed = {**ANSWERED_VACATUR, **changed}
    assert evaluate("vacatur", {k: v for k, v in fixed.items() if k != "screening_topic"}).outcome == \
        "may_vacate_if_proven"


def test_a_correction_naming_no_fact_is_asked_which_answer():
    tracker = make_tracker(slots=answered(), intent="correct", text="let me fix my answer")
    dispatcher, events = run(ActionScreeningForFacts(), tracker)
    assert slot_sets(events)["facts_point_to"] == "asked"
    assert "utter_which_answer_to_change" in texts(dispatcher)


def test_another_conviction_named_after_an_answer_is_not_a_correction():
    tracker = make_tracker(slots=answered(), intent="inform", text="i also have a larceny conviction",
                           entities=[("offense", "larceny"), ("conviction", "convicted")])
    assert changes_to_the_last_answer(tracker) == (None, {}, [])


# -- several offenses, and who is speaking ----------------------------------------------------------

def test_every_offense_in_the_first_message_is_offered_after_the_first_answer():
    tracker = make_tracker(intent="ask_vacatur", text="prostitution in 2017 and also possession",
                           entities=[("offense", "prostitution"), ("offense", "drug_possession")])
    _, events = run(ActionStartScreening(), tracker)
    slots = slot_sets(events)
    assert slots["offense"] == "prostitution" and slots["offenses_waiting"] == ["drug_possession"]
    done = {**ANSWERED_VACATUR, "offense": "prostitution", "offense_class": None, "offense_words": "prostitution",
            "sold_for_sex": True, "offenses_waiting": ["drug_possession"]}
    dispatcher, _ = run(ActionAnswerScreening(), make_tracker(slots=done))
    said = " ".join(texts(dispatcher))
    assert "You also mentioned drug possession" in said
    assert {"title": "Check the drug possession conviction",
            "payload": '/another_conviction{"offense": "drug_possession"}'} in dispatcher.messages[-1]["buttons"]
    _, events = run(ActionAnotherConviction(), make_tracker(
        slots=done, intent="another_conviction", entities=[("offense", "drug_possession")]))
    slots = slot_sets(events)
    assert slots["offense"] == "other_offense" and slots["offenses_waiting"] == []
    assert "sold_for_sex" not in slots  # the person's trafficking answer is kept


def test_an_advocate_is_asked_about_the_client_and_the_answer_is_about_them():
    _, events = run(ActionStartScreening(), make_tracker(intent="ask_vacatur", entities=[("speaker", "advocate")]))
    assert SlotSet("voice", "your_client") in events
    text = ("You said you were being trafficked at the time. If you prove it, the court must vacate your "
            "conviction. You can say \"not sure\".")
    voiced = in_voice(text, "your_client")
    assert voiced.startswith("You said they were being trafficked") and "If they prove it" in voiced
    assert "vacate their conviction" in voiced and in_voice(text, "you") == text


@pytest.mark.parametrize("text,stop", [
    ("stop", True), ("please stop asking", True), ("never mind", True), ("no more questions", True),
    ("ya no quiero seguir", True), ("not so far", False), ("not really", False), ("no not yet", False),
])
def test_only_words_that_say_stop_are_a_stop(text, stop):
    assert says_stop(text) is stop


@pytest.mark.parametrize("text,erase", [
    ("delete", True), ("delete this chat", True), ("borra todo", True), ("erase what i wrote", True),
    ("can they erase my record", False), ("quiero saber si pueden borrar mi condena", False),
    ("el fiscal del estado, el state's attorney", False), ("clear my prostitution charge", False),
])
def test_only_words_about_this_chat_erase_it(text, erase):
    assert says_erase_this_chat(text) is erase


def test_a_message_of_facts_is_facts_whatever_the_classifier_calls_it():
    text = "no sé si me condenaron, me arrestaron por prostitución y un hombre me vendía"
    assert plainly_said_intent("unsure", text, extract(text)) == "inform"
    assert plainly_said_intent("unsure", "no sé", extract("no sé")) is None


@pytest.mark.parametrize("text,intent", [
    ("she told them nothing because she could get charged too", "inform"),
    ("mi sobrina no quiso contestar porque se puede incriminar", "inform"),
    ("why can't she refuse to testify", None),
    ("explain why the fifth doesn't count here", None),
])
def test_a_reason_given_with_a_fact_is_a_fact_not_a_why_asked(text, intent):
    assert plainly_said_intent("ask_why", text, extract(text)) == intent


@pytest.mark.parametrize("text,intent", [
    ("another state", "inform"), ("it was in another state", "inform"),
    ("check another conviction", None), ("i have another conviction", None), ("what about the other one", None),
])
def test_another_conviction_needs_a_word_for_one(text, intent):
    assert plainly_said_intent("another_conviction", text, extract(text)) == intent


def test_an_overruled_intent_is_never_ambiguous_with_the_guess_it_replaced():
    message = through_the_safety_net("can i get my record cleared, he has a gun",
                                     [("ask_vacatur", 0.99), ("inform", 0.01)])
    ranking = message.get("intent_ranking")
    assert message.get("intent")["name"] == "emergency"
    assert ranking[0]["confidence"] - ranking[1]["confidence"] > 0.05  # the fallback's ambiguity threshold


def test_fear_while_asking_about_the_law_keeps_the_question_and_says_the_safety_line():
    text = "is it coercion if he took my id"
    message = through_the_safety_net(text, [("ask_trafficking_definition", 0.99)])
    assert message.get("intent")["name"] == "ask_trafficking_definition"
    from actions.information import ActionAnswerTopic
    dispatcher, _ = run(ActionAnswerTopic(), make_tracker(intent="ask_trafficking_definition", text=text,
                                                          entities=[("danger", "fear")]))
    said = texts(dispatcher)
    assert said[0] == "utter_safety_line" and any("coercion" in t.lower() for t in said[1:])


def test_an_emergency_mid_form_is_answered_once():
    from actions.screening import ValidateVacaturForm

    tracker = make_tracker(intent="emergency", text="he found me, i'm scared", active_loop="vacatur_form",
                           requested="convicted", entities=[("danger", "now"), ("danger", "fear")])
    dispatcher, _ = run(ValidateVacaturForm(), tracker)
    assert "utter_safety_line" not in texts(dispatcher)  # utter_emergency came just before


# -- denials, doubts and alternatives: never a guessed fact (field sets 2-5) --------------------------

@pytest.mark.parametrize("text,topic,expected,not_expected", [
    ("No, nobody was selling him", "affirmative_defense", {"sold_for_sex": False}, ["forced_tricked_or_coerced"]),
    ("he didn't really force me but he was selling me", "vacatur",
     {"forced_tricked_or_coerced": False, "sold_for_sex": True}, []),
    ("Honestly I can't tell yet whether anyone was controlling her", "affirmative_defense", {},
     ["forced_tricked_or_coerced"]),
    ("idk if it counts as him forcing me", "vacatur", {}, ["forced_tricked_or_coerced"]),
    ("I'm not sure if she was 17 or 18 then", "affirmative_defense", {}, ["age_at_offense"]),
    ("im 20 now but i was 17 when it happened in 2023", "affirmative_defense", {"age_at_offense": 17}, []),
    ("he turned 18 sometime around then", "affirmative_defense", {}, ["age_at_offense"]),
    ("they charged her with trafficking or promoting prostitution, not sure which", "affirmative_defense", {}, ["charge"]),
    # A doubt reaches along a list joined by "or".
    ("i wonder whether he was controlling me or just using me", "vacatur", {},
     ["forced_tricked_or_coerced", "sold_for_sex"]),
])
def test_a_denial_a_doubt_or_two_alternatives_is_never_read_as_the_fact(text, topic, expected, not_expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected
    assert not set(not_expected) & {k for k, v in found.items() if v is not None}


@pytest.mark.parametrize("text,unsure", [
    ("i dont know if i was convicted, it was in bridgeport", "convicted"),
    ("no sé si me condenaron", "convicted"),
    ("something drug related, we don't know the class", "offense_class"),
    ("unclassified felony from 2012, not sure what the max sentence was", "max_prison_years"),
])
def test_doubt_about_a_fact_is_answered_not_sure(text, unsure):
    found, doubts, _ = facts_in_message("vacatur", message(text), None)
    assert unsure in doubts and found.get(unsure) in (None,)


@pytest.mark.parametrize("text,court", [
    ("i live in new haven now but i have a prostitution conviction from springfield mass", "other_state"),
    ("My sister lives with me in Stamford now. She has a prostitution conviction from Atlantic City, New Jersey",
     "other_state"),
    ("convicted of prostitution in the bronx in 2015, i live in ct now", "other_state"),
    ("53a-82, GA 14 Hartford, 2010", "connecticut_adult"),
    ("when the feds... no wait state cops raided. convicted in hartford superior court", "connecticut_adult"),
])
def test_the_court_is_where_the_case_was_not_where_someone_lives(text, court):
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert found.get("court") == court


def test_a_town_is_not_the_kind_of_case_for_the_defense():
    found, _, _ = facts_in_message("affirmative_defense", message("mi hijo de 16 años lo acusaron de trafficking en Bridgeport"),
                                   None)
    assert found.get("age_at_offense") == 16 and "proceeding" not in found


def test_a_lawyers_question_about_any_conviction_is_not_a_conviction():
    found, _, _ = facts_in_message("vacatur", message("is a 53a-82 conviction subject to mandatory vacatur?"), None)
    assert "convicted" not in found
    found, _, _ = facts_in_message("vacatur", message("criminal trespass conviction, new london 2021, misdemeanor"), None)
    assert found["convicted"] is True


def test_a_yes_said_with_facts_of_the_conviction_answers_the_conviction():
    found, _, _ = facts_in_message("vacatur", message("Yes, convicted in CT adult court", "affirm"), "sold_for_sex")
    assert "sold_for_sex" not in found and found["court"] == "connecticut_adult"


@pytest.mark.parametrize("text,intent,routed", [
    ("they convicted me of trafficking in persons in 2019, can i vacate", "ask_affirmative_defense", "ask_vacatur"),
    ("La fiscal quiere obligar a mi sobrina a declarar en el caso de menores", "ask_vacatur", "ask_compelled_testimony"),
    ("wait no i was 17, this was october 2022", "ask_effective_date", "correct"),
])
def test_the_screening_the_facts_name_wins_where_the_classifier_chose_one_that_cannot_fit(text, intent, routed):
    assert plainly_said_intent(intent, text, extract(text)) == routed


@pytest.mark.parametrize("text", ["ive been cutting again since court and i cant stop", "no quiero parar",
                                  "tengo una condena de prostitucion para borrar y el hombre me obligaba"])
def test_a_stop_word_inside_something_else_is_not_a_stop(text):
    assert not says_stop(text)


def test_an_emergency_the_classifier_ranked_first_but_unsure_is_made_certain():
    message = through_the_safety_net("i cut myself again last nite. i promised my counselor i wouldnt",
                                     [("emergency", 0.27), ("request_human", 0.16)])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}  # above the fallback's 0.3
    assert {e["value"] for e in message.get("entities") if e["entity"] == "danger"} == {"suicide"}


# -- field set 5: denials over a list, doubt as an answer, ages and courts in more words -------------

@pytest.mark.parametrize("text,topic,expected", [
    ("no one was threatening me or pimping me out, i did it myself", "vacatur",
     {"forced_tricked_or_coerced": False, "sold_for_sex": False}),
    ("no wait, he was 15 when it started", "affirmative_defense", {"age_at_offense": 15}),
    ("my nephew (16) is charged with trafficking", "affirmative_defense", {"age_at_offense": 16}),
    ("15, and they charged me with trafficking", "affirmative_defense", {"age_at_offense": 15}),
    ("I wasn't trafficked, I just need the DUI gone for work", "vacatur", {"trafficking_victim": "no"}),
    ("i was 31 then and no pimp, nobody made me", "vacatur",
     {"minor_induced_into_sex": False, "forced_tricked_or_coerced": False}),
    ("her boyfriend had her out on the street every weekend", "vacatur", {"sold_for_sex": True}),
    ("at 16 a grown man had me doing sexual things with his friends", "vacatur", {"minor_induced_into_sex": True}),
    ("the guys who had him were forcing him to hold the drugs", "affirmative_defense",
     {"forced_tricked_or_coerced": True}),
    ("the court martial at the base convicted her", "vacatur", {"court": "other", "convicted": True}),
    ("la declararon culpable de prostitucion en Bridgeport", "vacatur", {"convicted": True, "offense": "prostitution"}),
    # field set 6: the way advocates and lawyers write
    ("Defense counsel: juvenile charged under 53a-192a at 16. Is the 53a-192a(b) affirmative defense available?",
     "affirmative_defense", {"charge_statute": "53a-192a"}),
    ("My 15 year old client is charged with robbery; does the 53a-192a(b) defense apply?", "affirmative_defense",
     {"charge": "other_offense", "charge_statute": None}),
    ("she was 18 years and 3 months old that day", "affirmative_defense", {"age_at_offense": 18}),
    ("the trial is for a class B felony and the state's attorney will move to compel her", "compelled_testimony",
     {"qualifying_offense": True, "applicant": "states_attorney"}),
    ("its just a misdemeanor breach of peace, can they force me to testify", "compelled_testimony",
     {"qualifying_offense": False}),
    ("its his trial in bridgeport, he's charged with trafficking me", "compelled_testimony", {"qualifying_offense": True}),
    ("the Chief State's Attorney's office intends to apply for an order", "compelled_testimony",
     {"applicant": "chief_states_attorney"}),
    ("pleaded guilty in the U.S. District Court in New Haven", "vacatur", {"court": "federal", "convicted": True}),
    ("Connecticut Superior Court conviction in 2019 for forgery", "vacatur", {"convicted": True}),
    ("the guy she was with kept her ID and wouldn't let her leave", "vacatur", {"forced_tricked_or_coerced": True}),
    # field set 7
    ("does the trafficking defense cover a robbery charge", "affirmative_defense", {"charge": "other_offense"}),
    ("an assistant US attorney wants my client to testify in a federal case", "compelled_testimony",
     {"applicant": "other"}),
    ("his lawyer was at the hearing, I'm not sure if he invoked anything", "compelled_testimony", {"applicant": None}),
    ("i haven't refused anything, i want to testify", "compelled_testimony", {"privilege_claimed": False}),
    ("unclassified felony and the max was 12 years", "vacatur", {"max_prison_years": 12}),
    # field set 8
    ("there wasnt any pimp or anybody taking money from me, i was 24", "vacatur",
     {"sold_for_sex": False, "minor_induced_into_sex": False}),
    ("i have a drug conviction out of meriden court", "vacatur", {"convicted": True}),
    ("her case is still going, she hasnt pled or anything", "vacatur", {"convicted": False}),
    ("he says nobody forced him and nobody was using him", "affirmative_defense",
     {"forced_tricked_or_coerced": False, "minor_induced_into_sex": False}),
    ("she had turned 18 the week before it happened", "affirmative_defense", {"age_at_offense": 18}),
    ("one of my students, she's 16, now has a trafficking charge", "affirmative_defense", {"age_at_offense": 16}),
    ("THEY ARE SAYING SHE TRAFFICKED HER FRIEND", "affirmative_defense", {"charge": "trafficking_in_persons"}),
    ("a misdemeanor breach of peace trial, nothing else charged", "compelled_testimony",
     {"proceeding": "criminal", "qualifying_offense": False}),
    ("i told them i dont want to answer bc i could get in trouble too", "compelled_testimony", {"privilege_claimed": True}),
    ("no i havent said anything about the 5th or refused anything yet", "compelled_testimony",
     {"privilege_claimed": False}),
])
def test_facts_in_more_of_people_s_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected


def test_an_adult_age_now_is_not_the_age_at_the_time():
    found, _, _ = facts_in_message("vacatur", message("im 24, i have a prostitution conviction from 2015"), None)
    assert "minor_induced_into_sex" not in found


def test_an_order_sought_now_is_dated_today_and_a_probation_officer_cannot_apply():
    import datetime as dt

    text = "her juvenile probation officer is asking the judge to make her testify"
    found, _, _ = facts_in_message("compelled_testimony", message(text), None)
    assert found["applicant"] == "other" and found["proceeding_date"] == dt.date.today().isoformat()
    found, _, _ = facts_in_message("compelled_testimony", message("the prosecutor made me testify in 2019"), None)
    assert found.get("proceeding_date") != dt.date.today().isoformat()


def test_a_correction_to_an_unknown_felony_class_is_not_the_misdemeanor_used():
    text = "hold on, it was a felony actually, no idea what class"
    tracker = make_tracker(slots=answered(), intent="correct", text=text, entities=[
        (e["entity"], e["value"]) for e in extract(text)])
    topic, changed, doubted = changes_to_the_last_answer(tracker)
    assert topic == "vacatur" and changed == {"offense_class": None} and doubted == ["offense_class"]
    dispatcher, events = run(ActionScreeningForFacts(), tracker)
    assert "offense_class" in slot_sets(events)["skipped_facts"]
    assert "Class of the offense: not known" in " ".join(texts(dispatcher))


def test_an_emergency_during_a_screening_keeps_the_answer_it_carries():
    text = "yes, he kept my keys and would not let me leave to go to court"
    tracker = make_tracker(intent="emergency", text=text, active_loop="vacatur_form",
                           requested="forced_tricked_or_coerced",
                           slots={"convicted": True, "court": "connecticut_adult", "offense_class": "class_d_felony"},
                           entities=[(e["entity"], e["value"]) for e in extract(text)])
    dispatcher, events = run(ActionEmergencyInAForm(), tracker)
    assert texts(dispatcher) == ["utter_emergency"] and slot_sets(events)["forced_tricked_or_coerced"] is True


def test_an_information_question_about_clearing_ones_own_record_is_the_vacatur_screening():
    text = "got picked up for loitering 2 weeks ago, court date is next month. can i get it vacated?"
    assert plainly_said_intent("ask_effective_date", text, extract(text)) == "ask_vacatur"
    assert plainly_said_intent("ask_what_changed", "what did the bill change about vacatur",
                               extract("what did the bill change about vacatur")) is None


def test_fear_in_a_bare_answer_is_an_emergency():
    message_ = through_the_safety_net("my boss has my passport and says he will hurt my mom if i quit. i dont know",
                                      [("unsure", 0.7)])
    assert message_.get("intent")["name"] == "emergency"


@pytest.mark.parametrize("text", ["my foster son was charged with trafficking", "one of my students is charged"])
def test_someone_else_is_spoken_of_as_they(text):
    assert {e["value"] for e in extract(text) if e["entity"] == "speaker"} == {"relative"}


# -- field set 6: the notice that waits for nothing, and testimony facts in people's words -----------

def test_the_notice_waits_only_when_there_are_questions_to_ask():
    from actions.screening import ActionNoticeBeforeDefense

    complete = {"charge_statute": "53a-192a", "age_at_offense": 17, "offense_date": "2023-05-01",
                "forced_tricked_or_coerced": True, "screening_topic": "affirmative_defense"}
    dispatcher, events = run(ActionNoticeBeforeDefense(), make_tracker(slots=complete))
    assert texts(dispatcher) == ["utter_notice_with_the_answer"] and slot_sets(events) == {"details_notice": "not_needed"}
    dispatcher, events = run(ActionNoticeBeforeDefense(), make_tracker(slots={"charge_statute": "53a-192a"}))
    assert texts(dispatcher) == ["utter_notice_before_details"] and slot_sets(events) == {"details_notice": "asked"}


@pytest.mark.parametrize("text,topic,unsure", [
    ("I don't know who is asking, the letter does not say", "compelled_testimony", "applicant"),
    ("no idea if she has claimed anything like that", "compelled_testimony", "privilege_claimed"),
    ("we don't know the charges yet", "compelled_testimony", "qualifying_offense"),
    ("honestly we don't know any of that", "vacatur", "trafficking_victim"),
    ("idk which court, could have been ct or ny", "vacatur", "court"),
    ("she was either 16 or 17 then, we can't pin it down", "affirmative_defense", "age_at_offense"),
    ("we are still looking into whether he was trafficked back then", "vacatur", "trafficking_victim"),
    ("idk if my ex was pimping me, he said we were a team", "vacatur", "sold_for_sex"),
])
def test_not_knowing_a_fact_is_an_answer(text, topic, unsure):
    found, doubts, _ = facts_in_message(topic, message(text), None)
    assert unsure in doubts and found.get(unsure) in (None, "unsure")


def test_a_correction_by_class_letter_keeps_the_felony():
    slots = {**ANSWERED_VACATUR, "offense_class": "class_c_felony", "offense": None, "offense_statute": "53a-87"}
    tracker = make_tracker(slots=answered(slots), intent="correct", text="sorry, it was 53a-86, class B",
                           entities=[("statute", "53a-86")])
    _, changed, _ = changes_to_the_last_answer(tracker)
    assert changed == {"offense_statute": "53a-86", "offense_class": "class_b_felony"}


def test_a_message_about_being_made_to_testify_is_the_testimony_screening_in_spanish_too():
    text = "el fiscal quiere que yo declare en el juicio. me pueden obligar?"
    assert plainly_said_intent("ask_why", text, extract(text)) == "ask_compelled_testimony"


# -- field set 7: the age at the time, capitals, a screening that goes on, danger in more words ------

@pytest.mark.parametrize("text,age", [
    ("they charged me. im 20 but back then in 2023 i was only 16", 16),
    ("she was 15 when he first got hold of her, but when this happened in 2024 she had already turned 19", 19),
])
def test_the_age_at_the_time_is_the_one_said_of_the_time(text, age):
    found, _, _ = facts_in_message("affirmative_defense", message(text), None)
    assert found["age_at_offense"] == age


def test_a_message_in_capitals_is_read_like_any_other():
    found, _, _ = facts_in_message("vacatur", message("PLEADED GUILTY IN 2018 NEW HAVEN. HE HAD MY ID AND WOULDNT LET ME LEAVE"),
                                   None)
    assert found["forced_tricked_or_coerced"] is True and found["convicted"] is True


def test_not_knowing_who_applies_overrides_a_guess():
    found, doubts, _ = facts_in_message("compelled_testimony", message("idk who exactly, maybe a prosecutor? no se"), None)
    assert "applicant" in doubts and "applicant" not in found


def test_doubt_over_every_branch_is_doubt_about_being_trafficked():
    found, doubts, _ = facts_in_message("vacatur", message("I don't know if anyone was controlling her or selling her"), None)
    assert {"forced_tricked_or_coerced", "sold_for_sex", "trafficking_victim"} <= set(doubts)


@pytest.mark.parametrize("text", ["he found out where im staying and drove by 3 times today",
                                  "dice que le va a hacer daño a mis hijos si me voy",
                                  "if they make me testify im going to end it",
                                  "they sent a picture of my brother outside his school, we know where he goes",
                                  "i finally got out this morning, he doesnt know im gone yet",
                                  "every place i go he shows up, theres something on my car",
                                  "a veces pienso que seria mejor no estar aqui"])
def test_danger_in_more_words(text):
    assert any(e["entity"] == "danger" for e in extract(text))


def test_a_witness_is_not_someone_charged():
    text = "my 15 yo is a witness in another kids juvenile case"
    assert plainly_said_intent("ask_affirmative_defense", text, extract(text)) == "ask_compelled_testimony"


def test_the_same_screening_asked_again_after_its_notice_goes_on_with_the_facts_given():
    from actions.screening import goes_on_with_the_screening

    tracker = make_tracker(slots={"screening_topic": "compelled_testimony", "proceeding": "delinquency",
                                  "details_notice": "asked"},
                           intent="ask_compelled_testimony", text="the states attorney asked the judge. can they?")
    tracker.events = [{"event": "action", "name": "action_notice_before_testimony"}, {"event": "bot"},
                      {"event": "action", "name": "action_listen"}, {"event": "user"}]
    assert goes_on_with_the_screening("compelled_testimony", tracker)
    tracker.events = [{"event": "action", "name": "action_listen"}, {"event": "user"}]
    assert not goes_on_with_the_screening("compelled_testimony", tracker)


# -- field set 8: more of the same kinds, in more words ----------------------------------------------

def test_a_denial_does_not_reach_across_a_reason():
    found, _, _ = facts_in_message("compelled_testimony", message("i said i wont bc i could get in trouble"), None)
    assert found["privilege_claimed"] is True


def test_a_condition_in_a_question_is_not_doubt():
    found, doubts, _ = facts_in_message("affirmative_defense",
                                        message("is there a defense if u were trafficked but they still charged u"), None)
    assert "trafficking_victim" not in found and "trafficking_victim" not in doubts


def test_an_age_a_payload_makes_infinite_is_no_age():
    from bot.nlu.disclosures import age_in_years

    assert age_in_years(float("inf")) is None and age_in_years("1e309") is None and age_in_years(17.0) == 17


@pytest.mark.parametrize("text,intent", [
    ("he never locked me up but he kept all the money i made, is that trafficking", "ask_trafficking_definition"),
    ("yes. he would beat me if i didnt", "affirm"),
])
def test_a_question_or_a_short_answer_keeps_its_intent(text, intent):
    assert plainly_said_intent(intent, text, extract(text)) in (None, intent)


def test_before_or_after_is_read_beside_the_date_that_is_taken():
    from actions.screening import date_boundaries

    # "before march 2022" is the date taken (the more precise); it straddles Oct 1, 2021, so it is asked.
    found, _, _ = facts_in_message("affirmative_defense", message("sometime in 2022, before march 2022"), None,
                                   date_boundaries("affirmative_defense"))
    assert "offense_date" not in found


# -- field sets 9-14: the same facts in other words ------------------------------------------------

@pytest.mark.parametrize("text,topic,facts", [
    # Sold, said of the one sold, of a relative, or as being taken to buyers.
    ("my niece got pimped out by her boyfriend's cousin", "affirmative_defense", {"sold_for_sex": True}),
    ("the guy was selling my little sister to his friends", "affirmative_defense", {"sold_for_sex": True}),
    ("he kept driving me around and dropping me off at motels", "vacatur", {"sold_for_sex": True}),
    ("the dudes paid him, never me", "vacatur", {"sold_for_sex": True}),
    ("her manager listed her on skipthegames", "vacatur", {"sold_for_sex": True}),
    # No one drew them into sex with others.
    ("i was 16 and honestly i never had sex with any of the clients", "affirmative_defense",
     {"minor_induced_into_sex": False}),
    # A conviction denied, in a list, or doubted.
    ("nah i havent been convicted, the case is set for trial", "vacatur", {"convicted": False}),
    ("Conviction: larceny 3rd, 53a-124, class D", "vacatur", {"convicted": True, "offense_statute": "53a-124"}),
    ("si me declare culpable en new haven", "vacatur", {"convicted": True}),
    # The court said with the one it was not.
    ("fue en la corte de Nueva Jersey, no aqui en Connecticut", "vacatur", {"court": "other_state"}),
    ("it was out of state, not ct", "vacatur", {"court": "other_state"}),
    # Testimony: someone else's trial, a refusal for fear of self-incrimination, asked for now.
    ("the prosecutor wants me to testify against my old manager", "compelled_testimony", {"proceeding": None}),
    ("i said no because anything i say could be used against me", "compelled_testimony",
     {"privilege_claimed": True}),
    ("the states attorney is trying to get my 16 year old son to testify", "compelled_testimony",
     {"proceeding_date": "today"}),
    ("mi sobrina de 15 tiene un caso de delincuencia juvenil", "affirmative_defense",
     {"age_at_offense": 15, "proceeding": "delinquency"}),
    ("he told me if i didnt go with them he would hurt my mom", "vacatur", {"forced_tricked_or_coerced": True}),
    ("the whole time the cash went to him", "vacatur", {"sold_for_sex": True}),
    ("he arranged the men and kept every dollar", "vacatur", {"sold_for_sex": True}),
    ("she posted my pictures online", "vacatur", {"sold_for_sex": True}),
    ("si, me declaré culpable en Bridgeport", "vacatur", {"convicted": True}),
    ("my nephew was adjudicated delinquent in juvenile court in New Haven", "vacatur",
     {"convicted": True, "court": "connecticut_juvenile"}),
    ("it's a juvenile case out of bridgeport", "vacatur", {"court": "connecticut_juvenile"}),
    ("the jury found me not guilty of loitering", "vacatur", {"convicted": False}),
    # 54-47a(a)(1)'s list in words, and who cannot apply.
    ("they want him as a witness in an arson prosecution", "compelled_testimony", {"qualifying_offense": True}),
    ("the case is about dealing crack", "compelled_testimony", {"qualifying_offense": True}),
    ("the social worker wants my son to testify at the custody hearing", "compelled_testimony",
     {"proceeding": "other", "applicant": "other"}),
    # The date of the arrest is not the date of the offense.
    ("i got arrested in 2024 for things that happened in 2020", "affirmative_defense", {"offense_date": "2020-01-01"}),
    # One denial before a list joined by commas; a new subject after a comma is not in it.
    ("no one was pimping her, threatening her or selling her", "vacatur",
     {"sold_for_sex": False, "forced_tricked_or_coerced": False}),
    ("nobody threatened me, he just sold me", "vacatur", {"forced_tricked_or_coerced": False, "sold_for_sex": True}),
    ("nobody ever got me into anything sexual", "affirmative_defense", {"minor_induced_into_sex": False}),
    # A correction inside the message: what comes after it.
    ("she was 15... sorry, 16 when it happened", "affirmative_defense", {"age_at_offense": 16}),
    ("it was march 2022, wait no, march 2021", "affirmative_defense", {"offense_date": "2021-03-01"}),
    # Ages beside the person, in more words.
    ("my cousin, 17, got picked up for it", "affirmative_defense", {"age_at_offense": 17}),
    ("my girlfriend is 16 and they charged her", "affirmative_defense", {"age_at_offense": 16}),
    # Charged in other words; never charged is no conviction.
    ("the police are saying my son is a trafficker", "affirmative_defense", {"charge": "trafficking_in_persons"}),
    ("i was never even arrested for any of it", "vacatur", {"convicted": False}),
    # Refusing to answer for fear of trouble for oneself claims the privilege.
    ("he told them he wont talk because hed get himself in trouble", "compelled_testimony",
     {"privilege_claimed": True}),
    ("Client denies that anyone coerced, sold or sexually abused her at the time.", "vacatur",
     {"forced_tricked_or_coerced": False, "sold_for_sex": False}),
    ("at 16 a 40 year old guy had me hooking up with his friends", "affirmative_defense",
     {"age_at_offense": 16, "minor_induced_into_sex": True}),
    ("she testified in the case against the man who bought her", "compelled_testimony", {"proceeding": "criminal"}),
    ("her uncle was prostituting her out to men from his job", "affirmative_defense", {"sold_for_sex": True}),
    ("15-y/o, charged with trafficking", "affirmative_defense", {"age_at_offense": 15}),
    ("he told me he'd report me to immigration if i stopped", "vacatur", {"forced_tricked_or_coerced": True}),
    ("my client invoked her privilege at the hearing", "compelled_testimony", {"privilege_claimed": True}),
    ("it's an arson case in superior court", "compelled_testimony", {"qualifying_offense": True}),
    ("he's on trial for assault in the first degree", "compelled_testimony", {"qualifying_offense": True}),
    ("a police officer wants the order, not the prosecutor", "compelled_testimony", {"applicant": "other"}),
    ("they want him to testify in a civil lawsuit", "compelled_testimony", {"proceeding": "other"}),
    ("me acusaron de robar en la tienda", "vacatur", {"offense": "other_offense"}),
    ("its a misdemeanor, class A i think", "vacatur", {"offense_class": "misdemeanor"}),
    ("i have a misdemeanor from 2016 out of new britain", "vacatur", {"convicted": True}),
    ("he refused because he would incriminate himself", "compelled_testimony", {"privilege_claimed": True}),
    ("tenia 29 anos, nadie me obligaba", "vacatur", {"minor_induced_into_sex": False, "forced_tricked_or_coerced": False}),
    # Drawn into sex by someone, in more verbs; said plainly, and denied plainly.
    ("at 15 her coach recruited her into escorting", "affirmative_defense",
     {"age_at_offense": 15, "minor_induced_into_sex": True}),
    ("my son was lured into sex work when he was 16", "affirmative_defense",
     {"age_at_offense": 16, "minor_induced_into_sex": True}),
    ("no one used her for sex and nobody was selling her", "affirmative_defense",
     {"minor_induced_into_sex": False, "sold_for_sex": False}),
    # Refusing for fear of being charged is the privilege; a claim still to come is not known yet.
    ("i told the DA no cause i might get arrested too", "compelled_testimony", {"privilege_claimed": True}),
    ("she refused to say anything, since she could get prosecuted herself", "compelled_testimony",
     {"privilege_claimed": True}),
    ("todavia no se ha acogido a la quinta", "compelled_testimony", {"privilege_claimed": False}),
    # The kind of case from the section named, or from being said not to be on the list.
    ("the state is prosecuting him under 53a-192a and wants her testimony", "compelled_testimony",
     {"proceeding": "criminal", "qualifying_offense": True}),
    ("it's a larceny 6th case, which is not on the list in 54-47a", "compelled_testimony",
     {"qualifying_offense": False}),
    # Someone named only to say they are not part of it is not who applied; being sued is another kind of case.
    ("her ex is suing her and his attorney wants her deposed, the prosecutor has nothing to do with it",
     "compelled_testimony", {"proceeding": "other", "applicant": "other"}),
    # The age today is not the age at the time, in Spanish too.
    ("mi hermano tiene 20 años actualmente, pero tenía 16 cuando lo arrestaron", "affirmative_defense",
     {"age_at_offense": 16}),
    # A court that names no state is in the place named with it; where someone lives is not the court.
    ("it was a municipal court in Newark NJ, we moved to Stamford after", "vacatur", {"court": "other_state"}),
    ("convicted right here in CT, in Norwalk", "vacatur", {"court": "connecticut_adult"}),
    # A denial right before a fact turns it; lawyers' and witnesses' denials.
    ("no one ever sold her or pimped her out", "vacatur", {"sold_for_sex": False}),
    ("nothing indicates she was exploited", "vacatur", {"trafficking_victim": "no"}),
    ("he hasn't mentioned the fifth at all", "compelled_testimony", {"privilege_claimed": False}),
    # Trafficked alongside the people they are charged over, threatened into it, or not yet trafficked then.
    ("they say i recruited her, but he was doing the same thing to me too", "affirmative_defense",
     {"trafficking_victim": "yes"}),
    ("that man was selling all of us", "vacatur", {"sold_for_sex": True}),
    ("she drove the girls because he said to, or hed beat her", "vacatur", {"forced_tricked_or_coerced": True}),
    ("the larceny was before i met him, i was just broke", "vacatur", {"trafficking_victim": "no"}),
    # A kind of case denied is not the kind of case; a section of procedure is not the charge.
    ("it's a breach of peace case, a misdemeanor, no narcotics involved", "compelled_testimony",
     {"qualifying_offense": False}),
    ("she's 16, transferred to adult court under 46b-127 on a 53a-192a charge", "affirmative_defense",
     {"charge_statute": "53a-192a"}),
    # Places someone was moved through are not the court of the case.
    ("they took me all over, hartford, boston, providence, and i ended up with a conviction", "vacatur", {"court": None}),
    # A victim said in a lawyer's words; the section that defines it is not the conviction.
    ("Client was herself a victim of labor trafficking when she pled to forgery", "vacatur", {"trafficking_victim": "yes"}),
    ("He is a victim within the meaning of 53a-192a; conviction under 53a-125b, a misdemeanor", "vacatur",
     {"trafficking_victim": "yes", "offense_statute": "53a-125b"}),
    ("the case went to the adult criminal docket", "affirmative_defense", {"proceeding": "prosecution"}),
    ("my case was a federal one, US District Court in New Haven", "vacatur", {"court": "federal"}),
    # Kinds of case 54-47a(a)(1) lists, in more words.
    ("the trial is for a fentanyl sale", "compelled_testimony", {"qualifying_offense": True}),
    ("el juicio es por un homicidio", "compelled_testimony", {"qualifying_offense": True}),
    # Their own idea, in the third person; used for sex with others in plain words.
    ("my son says it was his own idea", "affirmative_defense", {"forced_tricked_or_coerced": False, "sold_for_sex": False}),
    ("the man had her doing things with older men for cash", "affirmative_defense", {"sold_for_sex": True}),
    # A threat to the family, in Spanish, is a threat that made them do it.
    ("mi patrón dijo que le iba a hacer algo a mi familia si yo no le traía gente", "vacatur",
     {"forced_tricked_or_coerced": True}),
    # A refusal whose own words hold a "no" is the claim; before the trafficker was known is not trafficked then.
    ("le dije al fiscal que no iba a declarar para no incriminarme", "compelled_testimony", {"privilege_claimed": True}),
    ("back then i hadn't met him yet, that was all me", "vacatur", {"trafficking_victim": "no"}),
    ("nah i never said i wont testify, i answered all of it", "compelled_testimony", {"privilege_claimed": False}),
    ("hes a witness in a juvi case against another kid", "compelled_testimony", {"proceeding": "delinquency"}),
    ("at 15 her boyfriend was getting her to sleep with older guys", "affirmative_defense",
     {"age_at_offense": 15, "minor_induced_into_sex": True}),
    ("his birth certificate puts him at 16 on the date of the arrest", "affirmative_defense", {"age_at_offense": 16}),
    ("i wasnt with anybody, no one else was involved", "vacatur", {"forced_tricked_or_coerced": False,
                                                                     "sold_for_sex": False}),
])
def test_the_same_facts_in_other_words(text, topic, facts):
    import datetime as dt

    found, _, _ = facts_in_message(topic, message(text), None)
    expected = {k: dt.date.today().isoformat() if v == "today" else v for k, v in facts.items()}
    assert {k: found.get(k) for k in expected} == expected


@pytest.mark.parametrize("text,topic,unsure", [
    ("honestly no clue if he ever took the fifth", "compelled_testimony", "privilege_claimed"),
    ("we dont know whether she got convicted or not", "vacatur", "convicted"),
    ("not sure if it's a juvenile thing or a grand jury or what", "compelled_testimony", "proceeding"),
    ("idk what hes charged with", "compelled_testimony", "qualifying_offense"),
    ("could have been a misdemeanor or a felony, no idea", "vacatur", "offense_class"),
    ("i think juvenile court but maybe adult court", "vacatur", "court"),
    ("juvenile or adult court, i really dont know", "vacatur", "court"),
    ("either the prosecutor or the public defender filed it", "compelled_testimony", "applicant"),
    ("the prosecutor wants her to testify against the man who trafficked her. we don't know the charges",
     "compelled_testimony", "qualifying_offense"),
])
def test_doubt_or_two_answers_named_as_alternatives_are_not_sure_never_a_no(text, topic, unsure):
    found, doubts, _ = facts_in_message(topic, message(text), None)
    assert unsure in doubts and unsure not in found


@pytest.mark.parametrize("text,intent,routed", [
    ("me declararon no culpable de prostitucion, se puede borrar?", "ask_vacatur", None),
    ("el abogado del gobierno quiere que yo declare en la corte de inmigracion", "request_human",
     "ask_compelled_testimony"),
    ("i had just turned 18 a month before", "out_of_scope", "inform"),
    # A lawyer for the defense named in a testimony case is not the defense screening.
    ("the defense lawyer asked the court for it, not the prosecutor", "ask_affirmative_defense", "inform"),
    # A no that states a denial is that denial: facts, not "not now".
    ("nope, nobody was selling me", "deny", "inform"),
    # An adult's record question is not a child's disclosure.
    ("arrested for prostitution, my man posts me online, can it be vacated", "minor_disclosure", "next"),
    # A correction opening a message, whatever screening the classifier heard in it.
    ("oh no, that was before i met him. nobody forced me", "ask_affirmative_defense", "correct"),
    ("no, i already said im not answering because i could be charged", "ask_affirmative_defense", "inform"),
    ("my boyfriend sells me to his friends, can they vacate my prostitution arrest", "minor_disclosure", "next"),
    ("my boyfriend sells me to his friends", "minor_disclosure", None),
    ("los abogados de la otra parte me quieren obligar a declarar", "request_human", "ask_compelled_testimony"),
    # "made me do it" is what was done, not a question; "is that trafficking" asks.
    ("no one forced me to do it, nobody sold me, i needed cash", "ask_trafficking_definition", "inform"),
    ("he took all the money, is that trafficking", "ask_trafficking_definition", None),
    # Police in a story, with a record to clear or as who applies, is not a question about who sees the chat.
    ("mi jefe me obligaba a vender, la policía me arrestó. ¿puedo borrar eso?", "ask_privacy", "ask_vacatur"),
    ("can the police see this chat if i ask about clearing my prostitution record?", "ask_privacy", None),
    ("a police detective is the one pushing for the order", "ask_privacy", "inform"),
    ("will the police find out what i write here", "ask_privacy", None),
    # A greeting word before a charge keeps the charge.
    ("hey so the cops are saying my son trafficked a girl", "greet", "inform"),
    ("hi there", "greet", None),
    # A lawyer and an order, or a prosecutor and being made to, is the testimony question.
    ("my sons defense attorney says the state will ask the judge to compel him. can they?", "ask_affirmative_defense",
     "ask_compelled_testimony"),
    ("el fiscal quiere que la jueza la obligue, se puede?", "ask_next_steps", "ask_compelled_testimony"),
])
def test_what_the_words_say_over_the_classifier(text, intent, routed):
    assert plainly_said_intent(intent, text, extract(text)) == routed


def test_the_defense_asked_about_in_spanish_is_not_the_charge():
    found, _, _ = facts_in_message("affirmative_defense",
                                   message("a mi hija de 17 la acusaron de robo, aplica la defensa de trata?"), None)
    assert found.get("charge") == "other_offense" and found.get("age_at_offense") == 17


@pytest.mark.parametrize("text,intent", [
    # A screening the classifier guessed with none of its words, in a statement of facts: facts.
    ("im 15. my boyfriend had me bring my friend to his parties and he got paid", "inform"),
    # A question, or a word of the screening, keeps the classifier's guess.
    ("im 15 and i got convicted of larceny", "ask_vacatur"),
    ("can my record be cleared? im 15", "ask_vacatur"),
])
def test_a_screening_guessed_without_its_words_is_facts(text, intent):
    assert (plainly_said_intent("ask_vacatur", text, extract(text)) or "ask_vacatur") == intent


def test_words_of_self_harm_beside_fear_still_get_988():
    message_ = through_the_safety_net("im scared he will find me and i keep hurting myself", [("inform", 0.5)])
    dangers = [e["value"] for e in message_.get("entities") if e["entity"] == "danger"]
    assert message_.get("intent")["name"] == "emergency" and dangers[-1] == "suicide"


def test_the_question_about_the_charges_waits_until_the_kind_of_case_is_known():
    from actions.screening import questions_still_to_ask

    slots = {"applicant": "states_attorney", "privilege_claimed": True, "proceeding_date": "2026-11-01"}
    assert "qualifying_offense" not in questions_still_to_ask("compelled_testimony",
                                                                {**slots, "skipped_facts": ["proceeding"]})
    assert questions_still_to_ask("compelled_testimony", {**slots, "proceeding": "criminal"}) == ["qualifying_offense"]


# -- field set 10: more of the same facts, and doubt between two answers -----------------------------


def test_trafficking_as_the_context_is_not_the_offense():
    found, _, _ = facts_in_message("vacatur", message("conviction for 21a-277, unclassified, the trafficking nexus is "
                                                      "clear"), None)
    assert found.get("offense_statute") == "21a-277" and "offense" not in found
    assert "offense" not in {e["entity"] for e in extract("her trafficking history goes back years")}


def test_a_maximum_said_without_its_unit_is_the_prison_term():
    found, _, _ = facts_in_message("vacatur", message("unclassified felony, 3 year mandatory minimum, max 25"), None)
    assert found.get("offense_class") == "unclassified_felony" and found.get("max_prison_years") == 25


def test_doubt_stays_in_its_own_sentence():
    found, doubts, _ = facts_in_message("compelled_testimony", message(
        "Not sure which court it is in. He is charged with trafficking her and selling drugs."), None)
    assert found.get("qualifying_offense") is True and "qualifying_offense" not in doubts


# -- field set 11: lists, corrections, and who is charged --------------------------------------------


def test_someone_who_cannot_apply_is_the_applicant_only_when_said_to_ask_for_it():
    found, _, _ = facts_in_message("compelled_testimony", message("Her lawyer hasn't called back. I'll have to ask."),
                                   None)
    assert "applicant" not in found
    found, _, _ = facts_in_message("compelled_testimony", message("his public defender is asking the judge to make "
                                                                  "her testify"), None)
    assert found["applicant"] == "other"


@pytest.mark.parametrize("text,danger", [
    ("he got charged with robbery with a gun last year", False),
    ("my ex is in the parking lot with a gun", True),
])
def test_a_weapon_is_danger_when_someone_has_it_now_not_when_it_names_a_crime(text, danger):
    assert ("danger" in {e["entity"] for e in extract(text)}) is danger


def test_a_fact_beside_a_word_for_a_lawyer_is_a_fact_not_a_request_for_a_person():
    assert plainly_said_intent("request_human", "class D, the lawyer told me",
                               extract("class D, the lawyer told me")) == "inform"
    assert plainly_said_intent("request_human", "class D, can i talk to a lawyer",
                               extract("class D, can i talk to a lawyer")) is None


# -- field set 12: a lawyer's denial, two classes, and words the classifier takes for another screening --


def test_a_misdemeanor_and_a_felony_both_named_are_not_known_unless_one_corrects_the_other():
    _, doubts, _ = facts_in_message("vacatur", message("no idea, felony or misdemeanor, nobody told me"), None)
    assert "offense_class" in doubts
    found, _, _ = facts_in_message("vacatur", message("it was a felony, wait no, a misdemeanor"), None)
    assert found.get("offense_class") == "misdemeanor"


def test_the_longest_term_answered_in_years():
    found, _, _ = facts_in_message("vacatur", message("the statute says up to 8 years for a first offense"),
                                   "max_prison_years")
    assert found.get("max_prison_years") == 8


@pytest.mark.parametrize("text,facts,doubted", [
    ("my lawyer says its a misdemeanor, not a felony", {"offense_class": "misdemeanor"}, []),
    ("not sure if it was a felony", {}, ["offense_class"]),
    ("nobody coerced her, she was on her own", {"forced_tricked_or_coerced": False}, []),
])
def test_a_class_or_force_denied_or_doubted_is_never_taken_as_said(text, facts, doubted):
    found, doubts, _ = facts_in_message("vacatur", message(text), None)
    assert {k: found.get(k) for k in facts} == facts and set(doubted) <= set(doubts)
    assert not set(doubted) & set(found)


def test_a_correction_by_a_child_keeps_the_correction_and_the_safety_net_leaves_it():
    text = "actually no, she was 16 then and he was selling her"
    assert through_the_safety_net(text, [("correct", 0.9)]).get("intent")["name"] == "correct"


def test_fear_heard_as_a_correction_is_still_an_emergency():
    text = "he already sent word that if i take the stand im dead"
    assert through_the_safety_net(text, [("correct", 0.4)]).get("intent")["name"] == "emergency"


def test_not_knowing_whether_is_not_a_question_about_the_law():
    text = "idk if it was a felony or a misdemeanor or what the sentence was"
    assert plainly_said_intent("ask_penalty", text, extract(text)) == "unsure"


def test_denying_every_branch_after_a_yes_changes_the_answer():
    slots = {**ANSWERED_VACATUR, "forced_tricked_or_coerced": None, "sold_for_sex": None, "minor_induced_into_sex": None,
             "trafficking_victim": "yes"}
    text = "oh no, that was before i ever met him. nobody forced me, nobody sold me, and i was 30"
    tracker = told(text, slots=answered(slots), intent="correct")  # with their places: "i was 30" is said of the time
    topic, changed, _ = changes_to_the_last_answer(tracker)
    assert topic == "vacatur" and changed["forced_tricked_or_coerced"] is False and changed["trafficking_victim"] is None


# -- field set 14 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "they found out where my sister lives",
    "somebody posted the address of the safe house online",
    "two of his guys showed up at my job today",
    "they said they would burn our place down if she testifies",
])
def test_being_found_is_danger_now(text):
    assert through_the_safety_net(text, [("ask_compelled_testimony", 0.8)]).get("intent")["name"] == "emergency"


def test_a_threat_to_family_said_with_a_question_gets_the_safety_line_and_keeps_the_question():
    text = "he told my cousin that if i show up in court hell hurt my brother, can they still make me testify"
    message_ = through_the_safety_net(text, [("ask_compelled_testimony", 0.8)])
    assert message_.get("intent")["name"] == "ask_compelled_testimony"
    assert "danger" in {e["entity"] for e in message_.get("entities")}


def test_an_offense_denied_is_not_the_charge():
    found, _, _ = facts_in_message("affirmative_defense", message("it's not trafficking, they charged him with promoting "
                                                                  "prostitution"), None)
    assert found.get("charge") == "other_offense"


def test_fear_in_the_reply_to_the_notice_gets_the_safety_line_before_the_first_question():
    text = "he said if i testify hell hurt my mom"
    tracker = make_tracker(slots={"screening_topic": "compelled_testimony"}, intent="ask_compelled_testimony", text=text,
                           entities=[("danger", "fear")], active_loop="testimony_form")
    tracker.events = [{"event": "action", "name": "action_notice_before_testimony"},
                      {"event": "user", "text": text}]
    dispatcher, _ = run(ValidateTestimonyForm(), tracker)
    assert "utter_safety_line" in texts(dispatcher)


def test_a_pending_felony_charge_is_not_a_conviction_and_found_delinquent_is_a_juvenile_record():
    found, _, _ = facts_in_message("vacatur", message("i have a felony charge pending in hartford"), None)
    assert "convicted" not in found
    assert screenings_the_facts_point_to(message("they found her delinquent in juvie at 15")) == ["vacatur"]


def test_having_a_misdemeanor_conviction_keeps_its_class():
    found, _, _ = facts_in_message("vacatur", message("My client has a misdemeanor conviction for loitering"), None)
    assert found.get("convicted") is True and found.get("offense_class") == "misdemeanor"


def test_a_witness_in_a_named_kind_of_case_is_the_testimony_screening():
    assert screenings_the_facts_point_to(message("my 14 year old is a witness in a delinquency matter")) == \
        ["compelled_testimony"]
    # "compelled her to sell": force, not testimony.
    assert "compelled_testimony" not in screenings_the_facts_point_to(message(
        "her 2017 conviction under 21a-277, superior court; her trafficker compelled her to sell"))


def test_an_emergency_the_classifier_alone_heard_in_the_facts_of_a_case_gets_the_safety_line_and_goes_on():
    message = through_the_safety_net("she wont answer them since it might get her in trouble, its a juvenile case",
                                     [("emergency", 0.8), ("inform", 0.1)])
    assert message.get("intent")["name"] == "inform"
    assert {"entity": "danger", "value": "fear"}.items() <= message.get("entities")[-1].items()
    # Danger in words stays an emergency.
    assert through_the_safety_net("hes outside my door right now, its a juvenile case",
                                  [("inform", 0.8), ("emergency", 0.1)]).get("intent")["name"] == "emergency"


def test_a_hint_of_self_harm_in_an_emergency_adds_988():
    message = through_the_safety_net("been thinking of swallowing my dads meds tonight", [("emergency", 0.7), ("greet", 0.1)])
    assert message.get("intent")["name"] == "emergency"
    assert any(e["entity"] == "danger" and e["value"] == "suicide" for e in message.get("entities"))


def test_a_question_about_a_word_mid_screening_keeps_the_facts_said_with_it():
    from actions.information import ActionAnswerTopic
    tracker = make_tracker(slots={"screening_topic": "vacatur", "convicted": True}, intent="ask_trafficking_definition",
                           text="nobody forced me and nobody sold me, is it still trafficking?",
                           entities=[("exploitation", "not_forced"), ("exploitation", "not_sold")],
                           active_loop="vacatur_form", requested="forced_tricked_or_coerced")
    _, events = run(ActionAnswerTopic(), tracker)
    assert slot_sets(events)["forced_tricked_or_coerced"] is False and slot_sets(events)["sold_for_sex"] is False


@pytest.mark.parametrize("text", ["thinking everyone would be better off if i just wasnt around anymore",
                                  "every night i pray i never wake up", "i started cutting on myself again"])
def test_words_of_self_harm_with_words_between_get_988(text):
    message = through_the_safety_net(text, [("inform", 0.6), ("greet", 0.1)])
    assert message.get("intent")["name"] == "emergency"
    assert any(e["entity"] == "danger" and e["value"] == "suicide" for e in message.get("entities"))


def test_a_pending_charge_other_than_trafficking_is_the_defense_question_not_vacatur():
    assert screenings_the_facts_point_to(message("my nephew is 15 and he is charged with burglary in juvenile court")) == \
        ["affirmative_defense"]
    assert screenings_the_facts_point_to(message("she was charged with larceny in 2016, can she clear it")) == ["vacatur"]


def test_doubt_said_later_about_a_fact_given_before_takes_it_back():
    from actions.screening import ValidateVacaturForm
    text = "actually i really dont know if it was ct or ny"
    tracker = told(text, slots={"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult"},
                   intent="inform", entities=[(e["entity"], e["value"]) for e in extract(text)],
                   active_loop="vacatur_form", requested="forced_tricked_or_coerced")
    _, events = run(ValidateVacaturForm(), tracker)
    assert slot_sets(events)["court"] is None and "court" in slot_sets(events)["skipped_facts"]


def test_a_charge_a_child_faces_is_the_defense_question():
    assert screenings_the_facts_point_to(message("she's 16, they charged her with promoting prostitution")) == \
        ["affirmative_defense"]
    # Charged at 17 long ago, and it shows on background checks: a record to clear.
    assert screenings_the_facts_point_to(message("i was 16 when they charged me with larceny, it shows up on background "
                                                 "checks")) == ["vacatur"]
    assert screenings_the_facts_point_to(message("they charged me with larceny back in 2012")) == ["vacatur"]


@pytest.mark.parametrize("text,danger", [
    ("he keeps saying i still owe him for rent and my phone", True),
    ("dice que sabe dónde vive mi mamá", True),
    ("it was an arson case, he burned down a house in 2019", False),
])
def test_debts_and_threats_in_more_words_are_danger_a_past_crime_is_not(text, danger):
    assert any(e["entity"] == "danger" for e in extract(text)) is danger


def test_a_child_with_a_charge_is_the_defense_question():
    assert screenings_the_facts_point_to(message("im 15 and i got a shoplifting charge")) == ["affirmative_defense"]


@pytest.mark.parametrize("text", ["honestly if i just went to sleep and never woke up it would be easier",
                                  "ive got all my grandmas pills lined up, thinking of taking all of them",
                                  "ya no quiero seguir aquí"])
def test_more_words_of_self_harm_get_988(text):
    message = through_the_safety_net(text, [("inform", 0.6), ("greet", 0.1)])
    assert any(e["entity"] == "danger" and e["value"] == "suicide" for e in message.get("entities"))


@pytest.mark.parametrize("text", ["the man i clean for holds my papers and says i owe him for the flight",
                                  "my niece is 13 and got in a car with some older guy, shes not answering her phone",
                                  "im at the bus station, where do i even go now",
                                  "i cant leave until i pay back what he says i owe"])
def test_papers_debts_a_child_gone_and_nowhere_to_go_are_danger(text):
    assert any(e["entity"] == "danger" for e in extract(text))


# -- set20's lessons, each in other words ------------------------------------------------------------

def test_whether_it_counts_as_trafficking_is_a_question_the_branch_questions_answer():
    # Not "yes", and not "no one can know" either: the questions about what happened decide it.
    assert facts_in_message("vacatur", message("would what my ex did count as being trafficked"), None)[0] == {}
    found, unsure, _ = facts_in_message(
        "vacatur", message("we honestly dont know whether what went on back then would qualify as being trafficked"), None)
    assert "trafficking_victim" not in found and "trafficking_victim" not in unsure


def test_the_sentence_a_judge_gave_is_not_the_longest_term_the_law_sets():
    found, unsure, _ = facts_in_message("vacatur", message("she was sentenced to 3 years, nobody told us the maximum"),
                                        "max_prison_years")
    assert "max_prison_years" not in found and "max_prison_years" in unsure
    found, _, _ = facts_in_message("vacatur", message("the maximum for a first offense is 20 years"), None)
    assert found["max_prison_years"] == 20


def test_a_dismissed_case_and_a_conviction_told_together_leave_the_conviction():
    found, _, _ = facts_in_message("vacatur", message(
        "the first case was thrown out, it got dismissed. the one i want to ask about, i was found guilty in bridgeport"), None)
    assert found["convicted"] is True
    found, _, _ = facts_in_message("vacatur", message("i pleaded guilty but it was dismissed after the diversion program"),
                                   None)
    assert found["convicted"] is False


def test_how_someone_was_trafficked_told_as_the_past_keeps_its_facts_with_the_safety_line():
    told = through_the_safety_net("Back then her uncle made her steal from stores by threatening to hurt her little brother.",
                                  [("emergency", 0.8), ("inform", 0.1)])
    assert told.get("intent")["name"] == "inform"
    assert any(e["entity"] == "danger" and e["value"] == "fear" for e in told.get("entities"))
    happening = through_the_safety_net("he is making me steal for him and threatening my brother",
                                       [("emergency", 0.8), ("inform", 0.1)])
    assert happening.get("intent")["name"] == "emergency"


@pytest.mark.parametrize("text,value", [
    ("my client was labor-trafficked by the farm owner", "yes"),
    ("the landlord exploited her for years", "yes"),
    ("he wasn't sex trafficked, he says", None),
])
def test_trafficked_said_with_its_kind_or_as_exploited(text, value):
    assert facts_in_message("vacatur", message(text), None)[0].get("trafficking_victim") == value


def test_forced_labor_in_the_law_s_words_is_being_forced():
    assert facts_in_message("vacatur", message("she was subjected to forced labor at a nail salon"), None)[0] == \
        {"forced_tricked_or_coerced": True}


def test_an_age_turned_shortly_before_is_the_age_then_and_unclear_is_not_knowing():
    assert facts_in_message("affirmative_defense", message("he turned 17 a few weeks before the arrest"), None)[0][
        "age_at_offense"] == 17
    assert "age_at_offense" in facts_in_message("affirmative_defense", message("unclear for now"), "age_at_offense")[1]


def test_a_prosecutor_asking_the_judge_is_asking_now():
    import datetime as dt
    found, _, _ = facts_in_message("compelled_testimony", message("the states attorney is asking the court right now"),
                                   "applicant")
    assert found["proceeding_date"] == dt.date.today().isoformat()


@pytest.mark.parametrize("text,words", [
    ("me condenaron por alteración del orden público", "breach of peace"),
    ("me declararon culpable de resistirse al arresto", "interfering with an officer"),
])
def test_offenses_named_in_spanish(text, words):
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert found["offense_words"] == words and found["convicted"] is True


@pytest.mark.parametrize("text", ["el patrón me hacía trabajar a la fuerza", "me amenazaba con inmigración si me iba"])
def test_being_forced_in_spanish(text):
    assert facts_in_message("vacatur", message(text), None)[0].get("forced_tricked_or_coerced") is True


def test_a_story_answered_as_an_emergency_is_not_asked_again_when_the_screening_starts():
    story = "Two years ago, in March 2024, when my grandson was 14, a man made him bring kids to parties. He threatened me."
    story_entities = extract(story)
    question = "now he is charged with trafficking in juvenile court, is there a defense"
    tracker = make_tracker(intent="ask_affirmative_defense", text=question,
                           entities=[(e["entity"], e["value"]) for e in extract(question)])
    tracker.latest_message["entities"] = extract(question)
    tracker.events = [
        {"event": "session_started"},
        {"event": "user", "text": story, "parse_data": {"intent": {"name": "emergency"}, "entities": story_entities}},
        {"event": "user", "text": question, "parse_data": tracker.latest_message},
    ]
    _, events = run(ActionStartScreening(), tracker)
    slots = slot_sets(events)
    assert slots["age_at_offense"] == 14 and slots["forced_tricked_or_coerced"] is True
    assert slots["charge"] == "trafficking_in_persons" and slots["offense_date"] == "2024-03-01"
    # After a screening has started, an earlier message belongs to it, not to the next one: here a vacatur
    # screening of a conviction. (Of no conviction told, it was the same case: it carries, as the next test shows.)
    tracker.events[2:2] = [{"event": "slot", "name": "screening_topic", "value": "vacatur"},
                           {"event": "slot", "name": "convicted", "value": True}]
    assert "age_at_offense" not in {k for k, v in slot_sets(run(ActionStartScreening(), tracker)[1]).items() if v}


def test_a_charge_vacatur_began_to_screen_with_no_conviction_told_carries_to_the_defense():
    said = "Client, 16 at the time, charged with promoting prostitution 2nd, 53a-87, while her pimp ran her"
    question = "Could she raise the 192a(b) defense?"
    tracker = make_tracker(intent="ask_affirmative_defense", text=question)
    tracker.latest_message["entities"] = extract(question)
    tracker.events = [{"event": "session_started"},
                      {"event": "user", "text": said, "parse_data": {"intent": {"name": "inform"}, "entities": extract(said)}},
                      {"event": "slot", "name": "screening_topic", "value": "vacatur"},
                      {"event": "user", "text": question, "parse_data": tracker.latest_message}]
    slots = slot_sets(run(ActionStartScreening(), tracker)[1])
    assert slots["age_at_offense"] == 16 and slots["charge_statute"] == "53a-87"


# -- set21's lessons, each in other words ------------------------------------------------------------

def test_not_yet_and_not_knowing_whether_to_claim_the_fifth_is_not_knowing():
    found, unsure, _ = facts_in_message("compelled_testimony", message(
        "mi hijo no ha dicho nada todavía, no sabe si va a usar la quinta"), "privilege_claimed")
    assert "privilege_claimed" not in found and "privilege_claimed" in unsure
    assert facts_in_message("compelled_testimony", message("he used his fifth amendment right"), None)[0] == \
        {"privilege_claimed": True}


def test_an_order_sought_just_now_or_a_case_going_on_now_is_dated_today():
    import datetime as dt
    today = dt.date.today().isoformat()
    for text in ["the prosecutor has just filed to make her testify", "my daughter is a witness in a delinquency case",
                 "she received a subpoena for her cousins juvenile case"]:
        assert facts_in_message("compelled_testimony", message(text), None)[0].get("proceeding_date") == today, text
    assert facts_in_message("compelled_testimony", message("she was a witness in a juvenile case in 2019"),
                            None)[0].get("proceeding_date") != today


def test_a_judge_acting_without_anyone_asking_is_not_an_application():
    found, _, _ = facts_in_message("compelled_testimony", message("no one applied, the judge ordered it on his own"),
                                   "applicant")
    assert found["applicant"] == "other"
    assert "applicant" not in facts_in_message("compelled_testimony", message("the judge signed the order"), "applicant")[0]


def test_a_witness_against_someone_charged_with_trafficking_is_the_testimony_question():
    assert screenings_the_facts_point_to(message(
        "my niece has to be a witness against the man who trafficked her, he is charged with trafficking")) == \
        ["compelled_testimony"]
    assert screenings_the_facts_point_to(message("my niece is 16 and charged with trafficking")) == ["affirmative_defense"]


def test_the_section_that_defines_trafficking_is_not_the_screening_asked_about():
    assert screenings_the_facts_point_to(message(
        "she was a victim of labor trafficking under 53a-192a when it happened. can 54-95c help her")) == ["vacatur"]
    assert screenings_the_facts_point_to(message("Superior Court conviction in Waterbury, a class D felony")) == ["vacatur"]


@pytest.mark.parametrize("text", ["honestly i think that was trafficking", "lo que me hicieron sí fue trata de personas"])
def test_naming_what_happened_as_trafficking_is_not_a_charge(text):
    assert facts_in_message("vacatur", message(text), None)[0] == {"trafficking_victim": "yes"}


def test_trafficking_named_as_the_charge_is_still_the_charge():
    assert facts_in_message("affirmative_defense", message("it was trafficking charges they gave him"), None)[0][
        "charge"] == "trafficking_in_persons"
    assert facts_in_message("affirmative_defense", message("they sayin she trafficked her friend"), None)[0][
        "charge"] == "trafficking_in_persons"


def test_facts_told_one_message_at_a_time_point_together():
    from actions.screening import told_so_far
    first, second = "im 16", "they say i trafficked a girl from my school"
    tracker = make_tracker(intent="inform", text=second)
    tracker.latest_message["entities"] = extract(second)
    tracker.events = [{"event": "user", "text": first, "parse_data": {"intent": {"name": "inform"}, "entities": extract(first)}},
                      {"event": "user", "text": second, "parse_data": tracker.latest_message}]
    together = told_so_far(tracker)
    assert together["text"] == f"{first} {second}"
    assert screenings_the_facts_point_to(together) == ["affirmative_defense"]


def test_wanted_as_a_witness_now_is_dated_today():
    import datetime as dt
    found, _, _ = facts_in_message("compelled_testimony", message("la fiscal quiere a mi hija como testigo en el caso"), None)
    assert found.get("proceeding_date") == dt.date.today().isoformat()


def test_an_unaccented_si_before_a_fact_is_a_yes_and_after_no_se_a_doubt():
    assert facts_in_message("vacatur", message("si, ella me obligaba a robar"), "forced_tricked_or_coerced")[0] == \
        {"forced_tricked_or_coerced": True}
    assert "forced_tricked_or_coerced" in facts_in_message("vacatur", message("no sé si la obligaban"), None)[1]


# -- set22's lessons, each in other words ------------------------------------------------------------

@pytest.mark.parametrize("text", ["i might not be here much longer, so why bother",
                                  "thought about walking out in front of a bus on main st",
                                  "some nights i just want to end it all",
                                  "pienso en tirarme del puente"])
def test_self_harm_said_as_not_being_around_or_a_way_to_die_gets_988(text):
    message = through_the_safety_net(text, [("inform", 0.6), ("greet", 0.1)])
    assert message.get("intent")["name"] == "emergency"
    assert any(e["entity"] == "danger" and e["value"] == "suicide" for e in message.get("entities"))


@pytest.mark.parametrize("text", ["i walked into the court building in hartford", "he jumped off the bus and ran",
                                  "she ended it all with him in 2019, then he found her"])
def test_ordinary_words_near_those_are_not_self_harm(text):
    message = through_the_safety_net(text, [("inform", 0.9), ("greet", 0.05)])
    assert not any(e["entity"] == "danger" and e["value"] == "suicide" for e in message.get("entities"))


def test_the_same_screening_asked_again_after_its_answer_answers_again():
    from actions.screening import goes_on_with_the_screening
    determination = json.dumps({"topic": "vacatur"})
    for text in ["it keeps showing up when i apply for jobs. can anything be done?", "so can my client use it?"]:
        tracker = told(text, slots={"screening_topic": "vacatur", "determination": determination}, intent="ask_vacatur")
        assert goes_on_with_the_screening("vacatur", tracker), text
    text = "i have another conviction, for larceny"
    tracker = told(text, slots={"screening_topic": "vacatur", "determination": determination}, intent="ask_vacatur")
    assert not goes_on_with_the_screening("vacatur", tracker)


def test_a_child_charged_by_petition_is_the_defense_question():
    assert screenings_the_facts_point_to(message(
        "my client is 14, charged by petition with robbery in the second degree")) == ["affirmative_defense"]


def test_testimony_facts_in_more_of_people_s_words():
    found, _, _ = facts_in_message("compelled_testimony", message(
        "its a shoplifting misdemeanor trial against my cousin, i declined to answer on fifth amendment grounds"), None)
    assert found["qualifying_offense"] is False and found["privilege_claimed"] is True
    found, _, _ = facts_in_message("compelled_testimony", message(
        "the victim's lawyer says he will ask the judge to make my son answer"), None)
    assert found["applicant"] == "other"
    found, _, _ = facts_in_message("compelled_testimony", message("le dije al juez que me acojo a la quinta"), None)
    assert found["privilege_claimed"] is True


def test_being_made_to_testify_is_not_being_forced_by_a_trafficker():
    assert facts_in_message("vacatur", message("the prosecutor wants the judge to force her to testify"), None)[0] == {}
    assert facts_in_message("vacatur", message("he used to force me to sell"), None)[0] == {"forced_tricked_or_coerced": True}


def test_a_conviction_named_at_the_start_of_a_sentence_and_a_maximum_with_its_words():
    found, _, _ = facts_in_message("vacatur", message("Paralegal here. Conviction for forgery, Hartford, 2012."), None)
    assert found["convicted"] is True
    found, _, _ = facts_in_message("vacatur", message("the max exposure for his first offense was 12 years"), None)
    assert found["max_prison_years"] == 12


def test_being_kept_locked_in_and_threatened_with_la_migra_in_spanish():
    assert facts_in_message("vacatur", message("el patrón nos tenía encerrados y nos iba a entregar a la migra"), None)[0] == \
        {"forced_tricked_or_coerced": True}


# -- set23's lessons, each in other words ------------------------------------------------------------

def test_before_or_after_a_date_is_not_knowing_the_date():
    found, unsure, _ = facts_in_message("affirmative_defense", message(
        "he isnt sure if it was before or after october 2021"), "offense_date")
    assert "offense_date" not in found and "offense_date" in unsure
    assert facts_in_message("affirmative_defense", message("it was after october 2021"), None)[0]["offense_date"] > "2021-10"


def test_a_prosecutor_said_not_to_be_applying_and_the_speaker_applying_is_not_a_prosecutor_s_application():
    found, _, _ = facts_in_message("compelled_testimony", message(
        "the states attorney has not asked for anything; we plan to petition the court ourselves"), None)
    assert found["applicant"] == "other"
    found, _, _ = facts_in_message("compelled_testimony", message("the prosecutor is asking the judge to order it"), None)
    assert found["applicant"] == "states_attorney"


def test_a_witness_in_the_trial_of_her_trafficker_is_the_testimony_question():
    assert screenings_the_facts_point_to(message(
        "she is a witness in the trial of her old pimp, he is charged with trafficking in persons")) == \
        ["compelled_testimony"]


def test_a_month_said_beside_a_year_is_in_that_year():
    found, _, _ = facts_in_message("affirmative_defense", message("it was the fall of 2022, in october"), None)
    assert found["offense_date"] == "2022-10-01"


def test_an_age_said_with_its_time_or_alone_first():
    assert facts_in_message("affirmative_defense", message("client, 16 at the time of the arrest, charged"), None)[0][
        "age_at_offense"] == 16
    assert facts_in_message("affirmative_defense", message("15. it was march 2023"), "offense_date")[0][
        "age_at_offense"] == 15
    assert "age_at_offense" not in facts_in_message("affirmative_defense", message("20, 2023"), "offense_date")[0]


@pytest.mark.parametrize("text,facts", [
    ("el man me tenía vendiendo en la calle", {"sold_for_sex": True}),
    ("not sure if the guy got paid for me", {}),
])
def test_being_sold_in_more_words(text, facts):
    assert facts_in_message("vacatur", message(text), None)[0] == facts


def test_a_child_with_a_case_in_spanish_is_the_defense_question_an_adult_s_case_a_record():
    assert screenings_the_facts_point_to(message(
        "mi sobrino de 15 años tiene un caso por posesión con intención de vender")) == ["affirmative_defense"]
    assert screenings_the_facts_point_to(message("tengo un caso de prostitucion en hartford")) == ["vacatur"]


def test_the_same_offense_named_again_after_the_answer_goes_on_with_that_case():
    from actions.screening import goes_on_with_the_screening
    text = "she was trafficked then and he planned the robbery. can she get it vacated?"
    tracker = told(text, slots={"screening_topic": "vacatur", "determination": json.dumps({"topic": "vacatur"}),
                               "offense_words": "robbery"}, intent="ask_vacatur")
    assert goes_on_with_the_screening("vacatur", tracker)
    tracker.slots["offense_words"] = "larceny"
    assert not goes_on_with_the_screening("vacatur", tracker)


def test_took_the_fifth_in_spanish_and_a_prosecutor_seeking_an_order_is_the_testimony_question():
    text = "mi hermano tomó la quinta y la fiscal pidió una orden para obligarlo, se puede?"
    assert facts_in_message("compelled_testimony", message(text), None)[0]["privilege_claimed"] is True
    assert plainly_said_intent("ask_privacy", text, extract(text)) == "ask_compelled_testimony"


# -- set24's lessons, each in other words ------------------------------------------------------------

def test_a_threat_to_kill_someone_s_family_now_is_danger():
    assert any(e["entity"] == "danger" for e in extract("he keeps texting, threatening to kill her little sister"))


def test_two_ages_now_are_not_the_age_then_and_a_group_s_member_has_an_age():
    found, unsure, _ = facts_in_message("affirmative_defense", message(
        "no idea how old he was back then, he is 19 or 20 now"), None)
    assert "age_at_offense" not in found and "age_at_offense" in unsure
    assert facts_in_message("affirmative_defense", message("one of our students was 15 when it started"), None)[0][
        "age_at_offense"] == 15


def test_not_sure_whether_the_fifth_was_claimed_is_not_knowing():
    found, unsure, _ = facts_in_message("compelled_testimony", message(
        "we are not sure whether he really told them he was using his fifth amendment right"), None)
    assert "privilege_claimed" not in found and "privilege_claimed" in unsure
    assert facts_in_message("compelled_testimony", message("i dont know what to do, she took the fifth"), None)[0][
        "privilege_claimed"] is True


# -- set25's lessons, each in other words ------------------------------------------------------------

@pytest.mark.parametrize("text,kind", [
    ("my cousins are outside my job right now and i cant go out", "now"),
    ("he's waiting for me at the corner", "now"),
    ("they said they'll beat me if i talk to the cops", "fear"),
    ("she keeps texting me from a new number", "now"),
])
def test_someone_at_a_place_of_the_person_s_or_a_threat_to_come_is_danger(text, kind):
    assert (("danger", kind) in {(e["entity"], e["value"]) for e in extract(text)}), text


@pytest.mark.parametrize("text", ["a detective keeps calling me about the case", "you will get me in trouble",
                                  "the prosecutor keeps texting me about court"])
def test_an_official_reaching_a_witness_is_not_danger(text):
    assert not any(e["entity"] == "danger" for e in extract(text)), text


def test_a_threat_told_in_a_screening_question_is_an_emergency():
    text = "his brother is parked outside my apartment and said he'll hurt me if i go to court"
    assert through_the_safety_net(text, [("ask_compelled_testimony", 0.9)]).get("intent")["name"] == "emergency"


@pytest.mark.parametrize("text,topic,expected", [
    ("i wont answer cuz it could land me in jail", "compelled_testimony", {"privilege_claimed": True}),
    ("she said no since she might be blamed for it", "compelled_testimony", {"privilege_claimed": True}),
    ("the state wants an order before she has even invoked the fifth", "compelled_testimony",
     {"privilege_claimed": False}),
    ("he was a labor-trafficking survivor back then", "vacatur", {"trafficking_victim": "yes"}),
    ("she was sex trafficked by her stepfather", "affirmative_defense", {"trafficking_victim": "yes"}),
    ("his uncle booked all the clients", "vacatur", {"sold_for_sex": True}),
    ("she was under the complete control of the older guy", "vacatur", {"forced_tricked_or_coerced": True}),
    ("the pimp used to beat her when she came back short", "vacatur", {"forced_tricked_or_coerced": True}),
    ("the pimp kept her passport the whole time", "vacatur", {"forced_tricked_or_coerced": True}),
    ("he did it on his own, nobody was behind him", "affirmative_defense",
     {"forced_tricked_or_coerced": False, "sold_for_sex": False}),
    ("i pled guilty to reckless burning in 2016", "vacatur",
     {"convicted": True, "offense": "other_offense", "offense_words": "reckless burning"}),
    ("me condenaron por conducir sin licencia en Waterbury", "vacatur",
     {"offense": "other_offense", "offense_words": "conducir sin licencia"}),
    ("convicted of lewd conduct in 2015", "vacatur", {"offense": None}),
    ("convicted for the stuff he had me do", "vacatur", {"offense": None}),
    ("the loitering charge was dismissed, but i was convicted of larceny", "vacatur",
     {"offense": "other_offense", "offense_words": "larceny"}),
    ("es una felonía clase C. la corte de Hartford", "vacatur", {"offense_class": "class_c_felony"}),
    ("the kid was 15 at arrest", "affirmative_defense", {"age_at_offense": 15}),
    ("an unclassified felony with a maximum sentence of roughly 8 years", "vacatur", {"max_prison_years": 8}),
])
def test_facts_in_set25_s_kinds_of_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected


def test_a_danger_and_the_trafficking_fact_said_in_the_same_words_are_both_read():
    said = {(e["entity"], e["value"]) for e in extract("he took my passport when i got here")}
    assert ("danger", "fear") in said and ("exploitation", "forced") in said


@pytest.mark.parametrize("text,intent,routed", [
    ("she gave the officer a fake name because her pimp told her to always do that", "ask_compelled_testimony",
     "inform"),
    ("they want the judge to make her talk. not sure who, maybe some lawyer", "request_human",
     "ask_compelled_testimony"),
    ("i'm not talking bc i could get charged too. can they make me?", "ask_affirmative_defense",
     "ask_compelled_testimony"),
])
def test_a_story_or_a_reason_is_not_read_as_another_screening_or_a_request(text, intent, routed):
    assert plainly_said_intent(intent, text, extract(text)) == routed


def test_asking_again_with_only_the_section_or_what_was_said_before_answers_the_same_case():
    from actions.screening import goes_on_with_the_screening
    defense = {"screening_topic": "affirmative_defense", "charge_statute": "53a-192a",
               "determination": json.dumps({"topic": "affirmative_defense"})}
    text = "does the 53a-192a(b) defense cover conduct on that exact date?"
    tracker = told(text, slots=defense, intent="ask_affirmative_defense")
    assert goes_on_with_the_screening("affirmative_defense", tracker)
    text = "she is doing better now. can her conviction be cleared?"
    tracker = told(text, slots=answered(), intent="ask_vacatur")
    assert goes_on_with_the_screening("vacatur", tracker)
    text = "she was also convicted of larceny, can that be cleared?"
    tracker = told(text, slots=answered({**ANSWERED_VACATUR, "offense": "prostitution"}), intent="ask_vacatur")
    assert not goes_on_with_the_screening("vacatur", tracker)


def test_a_conviction_told_where_the_defense_was_asked_is_the_case_vacatur_then_screens():
    told = "she was convicted of burglary in 2019 in Stamford superior court, a class C felony"
    question = "so can she get that vacated? her boyfriend forced her to do it"
    not_applicable = json.dumps({"topic": "affirmative_defense", "outcome": "not_applicable"})
    tracker = make_tracker(intent="ask_vacatur", text=question)
    tracker.latest_message["entities"] = extract(question)
    tracker.events = [
        {"event": "session_started"},
        {"event": "slot", "name": "screening_topic", "value": "affirmative_defense"},
        {"event": "user", "text": told, "parse_data": {"intent": {"name": "inform"}, "entities": extract(told)}},
        {"event": "slot", "name": "determination", "value": not_applicable},
        {"event": "user", "text": question, "parse_data": tracker.latest_message},
    ]
    slots = slot_sets(run(ActionStartScreening(), tracker)[1])
    assert slots["convicted"] is True and slots["offense_class"] == "class_c_felony"
    assert slots["court"] == "connecticut_adult" and slots["forced_tricked_or_coerced"] is True
    # A defense the law answered for a charge keeps that charge's facts to itself.
    charged = "she is 16, charged with trafficking in Stamford juvenile court, and her boyfriend forced her"
    tracker.events[2] = {"event": "user", "text": charged,
                         "parse_data": {"intent": {"name": "inform"}, "entities": extract(charged)}}
    tracker.events[3] = {"event": "slot", "name": "determination",
                         "value": json.dumps({"topic": "affirmative_defense", "outcome": "available"})}
    slots = slot_sets(run(ActionStartScreening(), tracker)[1])
    assert not slots.get("court") and slots.get("forced_tricked_or_coerced") is True  # said in the question itself


def test_a_charge_of_the_man_on_trial_answers_the_testimony_screening_not_the_defense():
    text = "the man is charged with trafficking her and robbery"
    tracker = told(text, slots={"screening_topic": "compelled_testimony", "proceeding": "criminal"},
                   intent="ask_affirmative_defense")
    _, events = run(ActionStartScreening(), tracker)
    assert {"event": "followup", "name": "testimony_form"} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    assert slot_sets(events)["qualifying_offense"] is True
    text = "my son is charged with trafficking too"
    tracker = told(text, slots={"screening_topic": "compelled_testimony"}, intent="ask_affirmative_defense")
    assert slot_sets(run(ActionStartScreening(), tracker)[1])["screening_topic"] == "affirmative_defense"


@pytest.mark.parametrize("text,topic,expected,unsure", [
    ("they want to compel my client to answer", "vacatur", {"forced_tricked_or_coerced": None}, []),
    ("not sure if it's the prosecutor or the defense lawyer asking", "compelled_testimony", {"applicant": None},
     ["applicant"]),
    ("a little of the money went to him, it's complicated", "vacatur", {"sold_for_sex": None}, []),
    ("si me condenaron en Hartford", "vacatur", {"convicted": True}, []),
    ("no sé si me condenaron", "vacatur", {"convicted": None}, ["convicted"]),
])
def test_words_near_a_fact_that_are_not_the_fact(text, topic, expected, unsure):
    found, doubted, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected and set(unsure) <= set(doubted)


def test_a_statement_of_a_conviction_for_another_offense_is_facts_not_the_defense():
    text = "they got me for burglary 2nd back in 2018, he'd hurt me otherwise"
    assert plainly_said_intent("ask_affirmative_defense", text, extract(text)) == "inform"


# -- set26's lessons, each in other words ------------------------------------------------------------

@pytest.mark.parametrize("text,topic,expected", [
    ("she never mentioned anything about refusing", "compelled_testimony", {"privilege_claimed": False}),
    ("he testified at the hearing without invoking his privilege", "compelled_testimony", {"privilege_claimed": False}),
    ("mi hija no quiso contestar, tenía miedo de autoincriminarse", "compelled_testimony", {"privilege_claimed": True}),
    ("la abogada del muchacho quiere que mi hija declare", "compelled_testimony", {"applicant": "other"}),
    ("The ASA filed for an order last week", "compelled_testimony", {"applicant": "states_attorney"}),
    ("the lawyer for the state says she has to", "compelled_testimony", {"applicant": "states_attorney"}),
    ("they said my son helped traffick a girl from his school", "affirmative_defense",
     {"charge": "trafficking_in_persons"}),
])
def test_facts_in_set26_s_kinds_of_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected


@pytest.mark.parametrize("text,intent,routed", [
    ("Client pleaded guilty to 53a-192a at 17, in 2020. Was the affirmative defense open to him?",
     "ask_affirmative_defense", None),
    ("my girl is 15, the lawyer for the state wants her to answer questions at a hearing about a boy",
     "ask_affirmative_defense", "ask_compelled_testimony"),
    ("I was adjudicated delinquent for shoplifting at 14 because my aunt's boyfriend made me",
     "ask_affirmative_defense", "ask_vacatur"),
    ("it's her public defender, not the state. can he ask the judge to make her?", "request_human",
     "ask_compelled_testimony"),
])
def test_set26_s_routing_in_other_words(text, intent, routed):
    assert plainly_said_intent(intent, text, extract(text)) == routed


def test_someone_else_on_trial_is_not_a_record_of_the_person_s():
    assert "vacatur" not in screenings_the_facts_point_to(
        message("the man who trafficked me is on trial for robbery and kidnapping"))
    assert "vacatur" in screenings_the_facts_point_to(message("i was convicted of robbery in 2015"))


def test_the_same_screening_asked_while_its_questions_are_asked_goes_on():
    from actions.screening import goes_on_with_the_screening
    text = "can they really make her do it?"
    tracker = make_tracker(slots={"screening_topic": "compelled_testimony", "proceeding": "delinquency"},
                           intent="ask_compelled_testimony", text=text, requested="applicant",
                           active_loop="testimony_form")
    assert goes_on_with_the_screening("compelled_testimony", tracker)


def test_a_juvenile_judgment_told_in_a_defense_question_carries_to_vacatur_when_the_defense_does_not_apply():
    told = "At 14 I was found delinquent in Bridgeport juvenile court for shoplifting. My aunt's boyfriend forced me."
    question = "I'm 25 now, can that be vacated?"
    tracker = make_tracker(intent="ask_vacatur", text=question)
    tracker.latest_message["entities"] = extract(question)
    tracker.events = [
        {"event": "session_started"},
        {"event": "user", "text": told,
         "parse_data": {"intent": {"name": "ask_affirmative_defense"}, "entities": extract(told)}},
        {"event": "slot", "name": "screening_topic", "value": "affirmative_defense"},
        {"event": "slot", "name": "determination",
         "value": json.dumps({"topic": "affirmative_defense", "outcome": "not_applicable"})},
        {"event": "user", "text": question, "parse_data": tracker.latest_message},
    ]
    slots = slot_sets(run(ActionStartScreening(), tracker)[1])
    assert slots["court"] == "connecticut_juvenile" and slots["forced_tricked_or_coerced"] is True


# -- set27's lessons, each in other words ------------------------------------------------------------

@pytest.mark.parametrize("text,suicide", [("honestly i'd rather die than go back to him", True),
                                          ("some nights i wish i was dead", True),
                                          ("been thinking about how to do it right when i testify", False)])
def test_wanting_to_be_dead_in_more_words_gets_988(text, suicide):
    said = through_the_safety_net(text, [("inform", 0.8)])
    assert any(e["entity"] == "danger" and e["value"] == "suicide" for e in said.get("entities")) is suicide


@pytest.mark.parametrize("text,topic,expected", [
    ("me obligaba a trabajar y si no me golpeaba", "vacatur", {"forced_tricked_or_coerced": True}),
    ("mi novio tiene 22 y yo tengo 16", "affirmative_defense", {"age_at_offense": 16}),
    ("nobody was pimping me or anything, i just needed money", "vacatur",
     {"trafficking_victim": "no", "forced_tricked_or_coerced": False, "sold_for_sex": False}),
    ("found guilty at trial in 2018", "vacatur", {"convicted": True}),
    ("convicted in new york. can connecticut clear it?", "vacatur", {"court": "other_state"}),
    ("his cousin made her hook up with older men", "vacatur", {"sold_for_sex": True}),
    ("it's a criminal proceeding about a narcotics sale", "compelled_testimony",
     {"proceeding": "criminal", "qualifying_offense": True}),
])
def test_facts_in_set27_s_kinds_of_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected


def test_a_child_s_disclosure_after_an_answer_that_lacked_it_answers_again():
    from actions.screening import ActionMinorDisclosure
    slots = {"screening_topic": "affirmative_defense", "charge": "trafficking_in_persons", "age_at_offense": 16,
             "offense_date": "2024-05-01", "trafficking_victim": "unsure"}
    text = "he set up dates for me with older guys and kept all the money"
    tracker = told(text, slots=answered(slots), intent="minor_disclosure")
    _, events = run(ActionMinorDisclosure(), tracker)
    assert slot_sets(events)["sold_for_sex"] is True
    assert {"event": "followup", "name": "action_answer_screening"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events]


# -- set28's lessons, each in other words ------------------------------------------------------------

@pytest.mark.parametrize("text", ["my son is 15 and he went off this morning with some older guy from a game",
                                  "she's 13 and her phone keeps going straight to voicemail since yesterday"])
def test_a_child_gone_with_an_adult_or_out_of_reach_is_danger(text):
    assert any(e["entity"] == "danger" and e["value"] == "now" for e in extract(text)), text


@pytest.mark.parametrize("text,topic,expected", [
    ("he booked dates for the other girls and i helped, but nobody was selling me", "affirmative_defense",
     {"sold_for_sex": False}),
    ("she had just turned 18 in april. her pimp had her since she was 15", "affirmative_defense",
     {"age_at_offense": 18}),
    ("her pimp is in federal custody now", "vacatur", {"court": None}),
    ("they charged me with loitering for prostitution but i pled down to disorderly conduct", "vacatur",
     {"offense": "other_offense", "offense_words": "disorderly conduct"}),
])
def test_facts_in_set28_s_kinds_of_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected


def test_an_adult_s_age_told_after_a_vacatur_answer_is_facts_not_the_defense():
    text = "she made me recruit other women for her. i was 25 and if i said no she hit me"
    assert plainly_said_intent("ask_affirmative_defense", text, extract(text)) == "inform"


def test_just_turned_as_one_of_two_ages_is_still_not_known():
    found, unsure, _ = facts_in_message("affirmative_defense", message(
        "he was 17 or maybe had just turned 18 then, his mom isn't sure"), None)
    assert "age_at_offense" not in found and "age_at_offense" in unsure


@pytest.mark.parametrize("text,topic,expected", [
    ("his uncle had been sending him to sleep with grown men since he was 12", "affirmative_defense",
     {"age_at_offense": None, "minor_induced_into_sex": True}),
    ("the prosecutor refuses to do it, so i want to ask the court myself", "compelled_testimony",
     {"applicant": "other"}),
    ("mi jefe de la fábrica está en juicio por trata de personas", "affirmative_defense", {}),
])
def test_set28_s_second_look_in_other_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected


def test_a_boss_on_trial_in_spanish_is_no_charge_of_the_person_s():
    assert "affirmative_defense" not in screenings_the_facts_point_to(
        message("mi jefe de la fábrica está en juicio por trata de personas"))


def test_an_age_when_it_began_is_not_the_age_then_but_from_when_is():
    assert facts_in_message("affirmative_defense", message(
        "she got a trafficking case from when she was 16"), None)[0]["age_at_offense"] == 16
    assert "age_at_offense" not in facts_in_message("affirmative_defense", message(
        "he has been pimping her ever since she was 14"), None)[0]


# -- set29's lessons, each in other words ------------------------------------------------------------

def test_wanting_everything_to_stop_after_a_crisis_is_self_harm_not_a_stop():
    for text in ["honestly i just want everything to end", "quiero que esto se acabe ya"]:
        said = through_the_safety_net(text, [("stop", 0.9)])
        assert said.get("intent")["name"] == "emergency", text
        assert any(e["entity"] == "danger" and e["value"] == "suicide" for e in said.get("entities")), text


def test_the_man_s_age_de_n_anos_is_not_the_child_s():
    found, _, _ = facts_in_message("affirmative_defense", message("el tipo de 30 años la mandaba con hombres"), None)
    assert "age_at_offense" not in found


# -- set29's second look, each in other words ---------------------------------------------------------

@pytest.mark.parametrize("text,topic,expected", [
    # spaCy splits "id" into "i" + "d"; papers taken are still a means of control.
    ("back then my boyfriend kept my id and told me i owed him for rent", "vacatur",
     {"forced_tricked_or_coerced": True}),
    ("my worker would call it sex trafficking i guess", "vacatur", {"offense": None, "trafficking_victim": "yes"}),
    ("honestly not sure if you'd call it trafficking", "vacatur", {"offense": None}),
    ("by then she was free of that life, and the shoplifting had nothing to do with him", "vacatur",
     {"trafficking_victim": "no"}),
    ("the DUI wasn't connected to the trafficking at all", "vacatur", {"trafficking_victim": "no"}),
    ("she's a witness at a school expulsion hearing and took the fifth", "compelled_testimony", {"proceeding": "other"}),
    ("the DA subpoenaed her to testify against my ex boyfriend", "compelled_testimony", {"proceeding": "criminal"}),
    ("my niece has to testify for the state", "compelled_testimony", {"proceeding_date": __import__("datetime").date.today().isoformat()}),
    ("my son turned 17 in march 2022 and the charge is from july 2022", "affirmative_defense", {"age_at_offense": 17}),
    ("he turned 18 in december 2022, the trafficking charge is from september 2022", "affirmative_defense",
     {"age_at_offense": 17}),
    ("cumplió 16 en enero y el caso es de mayo de 2023", "affirmative_defense", {"age_at_offense": 16}),
])
def test_facts_in_set29_s_second_look_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected, found


def test_a_birthday_in_the_month_of_the_offense_leaves_the_age_to_ask():
    found, _, _ = facts_in_message("affirmative_defense", message(
        "she turned 18 in june 2022 and the arrest was june 2022"), None)
    assert "age_at_offense" not in found


def test_the_defendant_named_as_the_trafficker_is_his_case_not_a_record_to_clear():
    topics = screenings_the_facts_point_to(message(
        "Burglary first degree trial next week; the defendant is her old pimp."))
    assert "vacatur" not in topics


def test_a_correction_about_another_arrest_corrects_the_court_of_the_conviction_answered():
    from actions.screening import names_another_conviction
    text = "oh sorry, bridgeport was the other case, it got nolled. the conviction was in waterbury, i pled guilty"
    assert not names_another_conviction(message(text))
    assert names_another_conviction(message("i also pled guilty to larceny in 2016"))


def test_a_plea_and_a_court_told_after_the_answer_are_the_same_conviction():
    slots = answered()
    text = "it was in GA 2 in bridgeport, i took a plea deal. any way to clear it"
    tracker = told(text, slots=slots, intent="ask_vacatur")
    _, events = run(ActionStartScreening(), tracker)
    assert "convicted" not in {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}


def test_the_notice_said_once_is_not_said_again_when_the_screening_changes():
    text = "wait, it's juvie actually, he's 15 and it's another boy's case"
    tracker = told(text, slots={"screening_topic": "compelled_testimony", "details_notice": "asked"},
                   intent="ask_affirmative_defense")
    _, events = run(ActionStartScreening(), tracker)
    sets = slot_sets(events)
    assert "details_notice" not in sets and sets.get("proceeding") == "delinquency"
    assert {"event": "followup", "name": "testimony_form"} in [{k: e.get(k) for k in ("event", "name")} for e in events]


# -- set30's lessons, each in other words -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "my granddaughter is 15 and she hasn't come home since friday night",
    "my cousin saw his pics up on one of those escort sites, he's 16",
    "the police still have not located him and it's been two days",
])
def test_a_child_not_home_or_advertised_is_danger_now(text):
    assert any(e["entity"] == "danger" and e["value"] == "now" for e in extract(text)), text


@pytest.mark.parametrize("text,topic,expected", [
    ("the pimp had her meeting guys at a motel on the berlin turnpike", "vacatur", {"sold_for_sex": True}),
    ("the trespass was in 2020, after she got out, and nobody was pushing her anymore", "vacatur",
     {"trafficking_victim": "no"}),
    ("they all ask whether she can say she was trafficked", "affirmative_defense", {"charge": None}),
    ("assault 3rd, a class D felony here, no drugs or violence felony involved", "compelled_testimony",
     {"qualifying_offense": False}),
    ("misdemeanor breach of peace trial that grew out of a human trafficking investigation", "compelled_testimony",
     {"qualifying_offense": False}),
    ("the detective on the case thinks she's a witness. witness invoked.", "compelled_testimony",
     {"privilege_claimed": True}),
    ("none of the listed offenses, just a larceny", "compelled_testimony", {"qualifying_offense": False}),
    ("i paid and the judge said guilty, in the danbury court", "vacatur", {"convicted": True}),
])
def test_facts_in_set30_s_kinds_of_words(text, topic, expected):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected, found


def test_the_writer_who_prosecutes_does_not_make_a_charge_a_testimony_question():
    topics = screenings_the_facts_point_to(message(
        "ASA here. Juvenile respondent, 15 then, charged under 53a-192a in a delinquency petition, May 2023."))
    assert topics == ["affirmative_defense"]


def test_a_charge_of_a_minor_named_by_age_is_the_defense_s_not_a_record():
    assert screenings_the_facts_point_to(message(
        "My client, 17 at the time, was charged with promoting prostitution 2nd (53a-87).")) == ["affirmative_defense"]


@pytest.mark.parametrize("text,intent,said", [
    ("is there a way to ask u something without my mom finding out. will you tell anyone", "help", "ask_privacy"),
    ("He hasn't been asked anything and did not refuse. Could the state ask right now?", "ask_effective_date", "next"),
    ("Client was threatened with deportation by her recruiter. Does the 192a(b) defense apply to her?",
     "ask_trafficking_definition", "ask_affirmative_defense"),
    ("he pushed me to talk to other girls at the mall for him", "ask_compelled_testimony", None),
])
def test_set30_s_intents_in_other_words(text, intent, said):
    result = plainly_said_intent(intent, text, extract(text))
    assert result == said or (said is None and result != "ask_compelled_testimony"), result


def test_facts_for_the_screening_in_hand_go_on_with_it_whatever_the_classifier_heard():
    text = "she was trafficked when it happened, the man had her delivering pills. what now?"
    tracker = told(text, slots={"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult"},
                   intent="ask_affirmative_defense", active_loop="vacatur_form", requested="forced_tricked_or_coerced")
    _, events = run(ActionStartScreening(), tracker)
    assert slot_sets(events).get("screening_topic") is None  # not a new screening
    assert {"event": "followup", "name": "vacatur_form"} in [{k: e.get(k) for k in ("event", "name")} for e in events]


def test_the_same_case_asked_again_after_its_answer_is_answered_again_not_restarted():
    slots = answered()
    text = "we are so worried about her papers. can the record really be cleared?"
    tracker = told(text, slots=slots, intent="nlu_fallback")
    _, events = run(ActionScreeningForFacts(), tracker)
    assert slot_sets(events) == {"facts_point_to": "corrected_vacatur"}


def test_turns_before_the_store_s_new_session_still_count_in_the_next_screening():
    from actions.screening import messages_before_any_screening
    said = "convicted of larceny 6th in 2019, a misdemeanor, nobody made me do it"
    earlier = [{"event": "slot", "name": "screening_topic", "value": "affirmative_defense"},
               {"event": "user", "text": said, "parse_data": {"intent": {"name": "inform"}, "entities": extract(said)}},
               {"event": "slot", "name": "determination", "value": json.dumps({"outcome": "not_applicable"})}]
    tracker = make_tracker(slots={"screening_topic": "affirmative_defense"}, intent="ask_vacatur",
                           text="can that be vacated")
    tracker.events.extend([{"event": "session_started"},
                           {"event": "slot", "name": "screening_topic", "value": "affirmative_defense"},
                           {"event": "slot", "name": "earlier_turns", "value": earlier},
                           {"event": "user", "text": "can that be vacated", "parse_data": {"intent": {"name": "ask_vacatur"}}}])
    assert [m["text"] for m in messages_before_any_screening(tracker, "vacatur")] == [said]


# -- set31's lessons, each in other words -------------------------------------------------------------

@pytest.mark.parametrize("text", ["mi hermana está encerrada en un apartamento y no la dejan salir",
                                  "they won't let her leave the house, they took her phone"])
def test_someone_held_in_spanish_or_third_person_is_danger_now(text):
    assert any(e["entity"] == "danger" and e["value"] == "now" for e in extract(text)), text


@pytest.mark.parametrize("text,topic,expected", [
    ("un señor lo obligaba a robar celulares y a él también lo vendían", "affirmative_defense", {"charge": None}),
    ("he made my son sell weed for him; now he's charged with trafficking in persons", "affirmative_defense",
     {"charge": "trafficking_in_persons"}),
    ("pled in 2012, i think it was the juvenile court?", "vacatur", {"court": None}),
    ("the interpreter says she's a witness in a robbery 1st trial", "compelled_testimony", {}),
    ("our youth in the program was 15 when it started", "affirmative_defense", {"age_at_offense": 15}),
    ("my nephew he was 16 years when they arrested him", "affirmative_defense", {"age_at_offense": 16}),
    ("she was the one being sold online, not her friend", "vacatur", {"trafficking_victim": "yes"}),
    ("her uncle was the one pimping her out back then", "vacatur", {"sold_for_sex": True}),
    ("They had Marisol selling herself at the truck stop", "vacatur", {"sold_for_sex": True}),
    ("condenada por prostituição em 2014", "vacatur", {"offense": "prostitution"}),
])
def test_facts_in_set31_s_kinds_of_words(text, topic, expected):
    found, unsure, _ = facts_in_message(topic, message(text), None)
    assert {k: found.get(k) for k in expected} == expected, found


def test_a_witness_in_someone_s_trafficking_trial_is_a_testimony_question():
    assert screenings_the_facts_point_to(message(
        "I'm a victim advocate sitting with a witness in a trafficking in persons trial. She took the fifth.")) \
        == ["compelled_testimony"]


def test_a_correction_that_leaves_a_question_to_ask_clears_the_answer_it_replaces():
    slots = {**answered(), "court": "juvenile"}
    text = "oh wait, the papers say superior court, adult docket"
    tracker = told(text, slots=slots, intent="correct")
    _, events = run(ActionScreeningForFacts(), tracker)
    sets = slot_sets(events)
    assert sets["court"] == "connecticut_adult" and sets["determination"] is None


@pytest.mark.parametrize("text,intent,said", [
    ("My lawyer said it was a class C felony. Can it be erased?", "request_human", "next"),
    ("It was in Providence RI but I moved to New Britain. Can you help me here?", "help", "inform"),
    ("This happened in March 2023 when she was 16. Will the law protect her?", "ask_privacy", "next"),
    ("She was 15 in June 2022. Does the law protect kids like her?", "ask_trafficking_definition", "inform"),
])
def test_set31_s_intents_in_other_words(text, intent, said):
    assert plainly_said_intent(intent, text, extract(text)) == said


def test_a_charge_someone_has_is_the_charge_and_what_they_were_made_to_do_is_not():
    found, _, _ = facts_in_message("affirmative_defense", message(
        "my neighbor's boy now has a trafficking in persons charge"), None)
    assert found["charge"] == "trafficking_in_persons"
    found, _, _ = facts_in_message("affirmative_defense", message("she was forced into selling pills by him"), None)
    assert "charge" not in found


def test_not_knowing_whether_it_was_before_the_birthday_leaves_the_age_unknown():
    found, unsure, _ = facts_in_message("affirmative_defense", message(
        "she turned 18 sometime that spring, we can't tell if it was before or after her birthday"), None)
    assert "age_at_offense" not in found and "age_at_offense" in unsure


# -- set32's first look (measured fresh at 87b1189), each in other words -------------------------------

@pytest.mark.parametrize("text,age", [("PD here. 15-y/o client, petition under 53a-192a", 15),
                                      ("a 17 y/o respondent charged in June 2023", 17), ("client is 16 y.o. now", 16)])
def test_a_lawyer_s_y_o_is_the_age(text, age):
    found, _, _ = facts_in_message("affirmative_defense", message(text), None)
    assert found.get("age_at_offense") == age


def test_not_knowing_a_fact_the_answer_did_not_need_asks_nothing_new():
    slots = {"screening_topic": "vacatur", "convicted": True, "court": "federal", "offense": "other_offense"}
    text = "we don't know yet if he was trafficked then. does 54-95c help him at all?"
    tracker = told(text, slots=answered(slots), intent="ask_vacatur")
    _, events = run(ActionStartScreening(), tracker)
    assert "convicted" not in {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}


@pytest.mark.parametrize("text", [
    "Old file: March 2020 trial on trafficking in persons. A witness invoked the privilege and our office applied.",
    "in 2022 my son had to go to court for another boy's delinquency hearing and they wanted him to talk",
])
def test_someone_else_s_case_with_a_witness_is_a_testimony_question(text):
    assert screenings_the_facts_point_to(message(text)) == ["compelled_testimony"]


# -- set32's second look, each in other words ----------------------------------------------------------

@pytest.mark.parametrize("text,intent", [
    ("Suppose the evidence shows he was forced by his uncle. Is the defense available given the effective date?",
     "ask_effective_date"),
    ("Assuming she was coerced, what's the burden, and the availability of the (b) defense?", "ask_what_changed"),
])
def test_whether_the_defense_is_available_to_a_case_is_the_defense_screening(text, intent):
    assert plainly_said_intent(intent, text, extract(text)) == "ask_affirmative_defense"


def test_the_defense_attorney_is_not_the_defense():
    text = "the defense attorney says he was forced. is that available as evidence before the effective date?"
    assert plainly_said_intent("ask_effective_date", text, extract(text)) != "ask_affirmative_defense"


@pytest.mark.parametrize("text", [
    "La jueza dijo que ella misma lo va a obligar a declarar, sin que nadie se lo pida",
    "the judge says she'll order him to answer without the prosecutor asking for anything",
])
def test_a_judge_acting_with_no_one_applying_is_not_an_application(text):
    found, _, _ = facts_in_message("compelled_testimony", message(text), "applicant")
    assert found.get("applicant") == "other"


@pytest.mark.parametrize("text", [
    "she got out of it in 2015 and left him for good. then in 2019 she caught a larceny charge, convicted, misdemeanor",
    "trafficked 2009-2012, i escaped. in 2018 i was convicted of reckless endangerment",
])
def test_trafficking_that_ended_before_the_case_is_asked_about_not_assumed(text):
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert "trafficking_victim" not in found and not found.get("forced_tricked_or_coerced")


def test_trafficking_years_before_a_conviction_year_still_count_without_getting_out():
    found, _, _ = facts_in_message("vacatur", message("i was trafficked 2013 to 2015 and convicted of prostitution in 2016"),
                                   None)
    assert found.get("trafficking_victim") == "yes"


@pytest.mark.parametrize("text", ["the larceny had nothing to do with him, it was way after i got out",
                                  "eso no tuvo nada que ver con él"])
def test_a_case_with_nothing_to_do_with_the_trafficking_is_not_trafficked(text):
    found, _, _ = facts_in_message("vacatur", message(text), "forced_tricked_or_coerced")
    assert found.get("trafficking_victim") == "no"


def test_where_someone_is_from_and_the_state_whose_law_acts_are_not_the_court():
    found, _, _ = facts_in_message("vacatur", message(
        "a man from new haven was selling me in new jersey back then. could ct law clear it?"), None)
    assert found.get("court") != "connecticut_adult"  # where she was sold may or may not be where the case was
    found, _, _ = facts_in_message("vacatur", message("can the connecticut court take it off her record"), None)
    assert "court" not in found


def test_an_offense_asked_about_as_a_kind_is_not_another_conviction():
    from actions.screening import goes_on_with_the_screening

    slots = {**answered({**ANSWERED_VACATUR, "forced_tricked_or_coerced": True}), "offense_words": "larceny"}
    text = "ok but is this law just for prostitution cases or what"
    tracker = told(text, slots=slots, intent="ask_vacatur")
    assert goes_on_with_the_screening("vacatur", tracker)
    assert "offense" not in facts_in_message("vacatur", message("does it only cover prostitution?"), None)[0]


def test_an_offense_with_no_name_of_its_own_is_told_apart_by_its_words():
    from actions.screening import goes_on_with_the_screening

    found, _, _ = facts_in_message("vacatur", message("i was convicted of reckless endangerment in 2019"), None)
    assert found.get("offense_words") == "reckless endangerment"
    slots = {**answered({**ANSWERED_VACATUR, "forced_tricked_or_coerced": True}), "offense_words": "reckless endangerment"}
    for text, same in [("can the reckless endangerment be vacated because of what he did", True),
                       ("can my harassment conviction be vacated too", False)]:
        tracker = told(text, slots=slots, intent="ask_vacatur")
        assert goes_on_with_the_screening("vacatur", tracker) is same


def test_facts_with_a_question_no_penalty_answers_go_to_the_screening_being_asked():
    from actions.information import ActionAnswerTopic

    text = "There's proof he was trafficked under 1591 the whole time. Is it mandatory or up to the judge?"
    tracker = told(text,
                   slots={"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult", "offense_statute": "53a-82"},
                   intent="ask_penalty", active_loop="vacatur_form", requested="forced_tricked_or_coerced")
    dispatcher, events = run(ActionAnswerTopic(), tracker)
    assert slot_sets(events).get("trafficking_victim") == "yes" and "Which offense do you mean?" not in texts(dispatcher)


@pytest.mark.parametrize("text", ["She was forced by him to stay there, so yes trafficked then. What's the outcome?",
                                  "he sold her the whole time, she was 19. so what now?"])
def test_facts_then_a_call_for_the_answer_are_facts(text):
    assert plainly_said_intent("ask_why", text, extract(text)) == "inform"


# -- sets 33 and 34's first look (measured fresh at f17bfb2), each in other words ----------------------

@pytest.mark.parametrize("text", ["our daughter has been missing since friday, 13 years old",
                                  "my nephew is missing and we found his photo in an ad online"])
def test_a_child_missing_now_is_danger(text):
    assert ("danger", "now") in {(e["entity"], e["value"]) for e in extract(text)}


def test_a_child_missing_in_the_past_is_not_danger_now():
    assert ("danger", "now") not in {(e["entity"], e["value"]) for e in extract("back in 2019 she was missing for a week")}


@pytest.mark.parametrize("text", ["the counselor told me that's sex trafficking", "my therapist said thats trafficking"])
def test_someone_naming_what_happened_trafficking_is_what_happened_not_a_charge(text):
    values = {(e["entity"], e["value"]) for e in extract(text)}
    assert ("exploitation", "trafficked") in values and ("offense", "trafficking_in_persons") not in values


def test_is_that_trafficking_names_nothing():
    assert ("exploitation", "trafficked") not in {(e["entity"], e["value"]) for e in extract("is that trafficking?")}


def test_where_the_trafficker_took_someone_is_not_the_court():
    found, _, _ = facts_in_message("vacatur", message(
        "the conviction is from albany ny. he drove her to waterbury and bridgeport motels every week"), None)
    assert found.get("court") == "other_state"


def test_a_man_federally_convicted_is_not_the_court_of_the_person_s_case():
    found, _, _ = facts_in_message("vacatur", message(
        "Prostitution conviction, New Haven GA 23. The guy who sold her was federally prosecuted in 2019."), None)
    assert found.get("court") == "connecticut_adult"


@pytest.mark.parametrize("text", ["Is it mandatory or discretionary now that the statute changed?",
                                  "does 'at any time' reach a judgment from before the law?"])
def test_a_penalty_guess_with_no_word_of_a_penalty_is_not_a_penalty_question(text):
    assert plainly_said_intent("ask_penalty", text, extract(text)) == "next"


@pytest.mark.parametrize("text", ["how much time could he get", "what's the exposure on a class B", "how bad is it"])
def test_a_penalty_question_stays_one(text):
    assert plainly_said_intent("ask_penalty", text, extract(text)) is None


def test_not_trafficked_said_plainly_is_a_denial():
    found, _, _ = facts_in_message("vacatur", message("so no, she was not trafficked for that one"), None)
    assert found.get("trafficking_victim") == "no"


def test_a_defense_s_section_is_not_the_charge():
    found, _, _ = facts_in_message("affirmative_defense", message(
        "she was 20, so 192a(b) is out. what about a necessity defense under 53a-13?"), None)
    assert "charge_statute" not in found and found.get("age_at_offense") == 20


@pytest.mark.parametrize("text,age", [("she was 15 and the 31 yo was pimping her out", 15),
                                      ("he was 17. he was selling him too", 17)])
def test_the_age_of_the_one_who_did_it_is_not_the_person_s(text, age):
    found, _, _ = facts_in_message("affirmative_defense", message(text), None)
    assert found.get("age_at_offense") == age


def test_what_was_done_to_people_in_general_is_not_said_of_the_person():
    found, _, _ = facts_in_message("vacatur", message("is the law just for women who got trafficked?"), None)
    assert "trafficking_victim" not in found
    found, _, _ = facts_in_message("vacatur", message("i was one of the girls who got trafficked by him"), None)
    assert found.get("trafficking_victim") == "yes"


@pytest.mark.parametrize("text", ["Le dijeron que no hable porque se puede incriminar y usó su derecho a no incriminarse",
                                  "his lawyer told him not to answer since he could incriminate himself, and he didn't"])
def test_not_answering_is_the_privilege_claimed_not_denied(text):
    assert ("privilege", "claimed") in {(e["entity"], e["value"]) for e in extract(text)}


def test_a_kind_of_lawyer_in_general_is_not_the_one_applying():
    found, _, _ = facts_in_message("compelled_testimony", message(
        "I thought only state prosecutors can use 54-47a. Here it's a federal prosecutor who wants the order."), None)
    assert found.get("applicant") == "other"


# -- sets 33 and 34's second look, each in other words ---------------------------------------------------

def test_a_lawyer_s_conv_and_an_alford_plea_are_convictions():
    for text in ["Conv. 2018 breach of peace, New London GA10, misd", "pled under Alford to larceny 6th in 2019"]:
        assert facts_in_message("vacatur", message(text), None)[0].get("convicted") is True


@pytest.mark.parametrize("text", ["it's a non-prostitution offense, a class D felony", "Not a 53a-82 case, it's a D felony"])
def test_not_prostitution_is_an_offense_other_than_prostitution(text):
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert found.get("offense") == "other_offense" and "offense_statute" not in found


def test_non_prostitution_convictions_in_general_name_no_offense():
    found, _, _ = facts_in_message("vacatur", message("does the act cover non-prostitution convictions now?"), None)
    assert "offense" not in found


def test_the_law_s_effective_date_is_not_the_offense_date():
    found, _, _ = facts_in_message("affirmative_defense", message(
        "the defense took effect on 10/1/2021, right? hers happened on 8/14/2021"), None)
    assert found.get("offense_date") == "2021-08-14"


def test_a_charge_named_by_its_section_is_a_charge_not_a_conviction():
    assert screenings_the_facts_point_to(message("PD here. 53a-192a petition, respondent 15 on DOO 3/3/2023")) \
        == ["affirmative_defense"]


@pytest.mark.parametrize("text,age", [("a teen we work with (15 when it happened, 18 now) was charged", 15),
                                      ("client was 16 on the offense date", 16)])
def test_the_age_when_it_happened_is_the_age(text, age):
    assert facts_in_message("affirmative_defense", message(text), None)[0].get("age_at_offense") == age


def test_the_sa_doing_something_is_the_state_s_attorney():
    assert ("role", "states_attorney") in {(e["entity"], e["value"]) for e in extract("the SA wants an order for her")}
    assert ("role", "states_attorney") not in {(e["entity"], e["value"]) for e in extract("the SA case went to trial")}


def test_the_one_who_asks_for_the_order_is_not_the_judge_who_gives_it():
    found, _, _ = facts_in_message("compelled_testimony", message(
        "the cop said he is going to ask the judge for an order to make her talk"), "applicant")
    assert found.get("applicant") == "other"


@pytest.mark.parametrize("text,intent", [
    ("No drugs, no weapons, nothing violent, and not a felony either. Can the judge still issue the order?", "deny"),
    ("what can i do about the conviction we just went over", "another_conviction"),
])
def test_a_no_of_facts_or_the_same_conviction_asked_again_is_not_what_the_classifier_heard(text, intent):
    assert plainly_said_intent(intent, text, extract(text)) == "next"


def test_the_judge_who_decides_is_no_one_asking_for_testimony():
    text = "is relief automatic here or is it up to the judge?"
    assert plainly_said_intent("ask_vacatur", text, extract(text)) is None


def test_more_of_an_answered_conviction_goes_on_with_it_whatever_the_classifier_heard():
    from actions.screening import screening_the_message_goes_on_with

    slots = {**answered({**ANSWERED_VACATUR, "forced_tricked_or_coerced": True}), "offense_statute": "53a-192a"}
    for text, goes_on in [("The co-defendant trafficked her for years first; under 53a-192a she was a victim then.", True),
                          ("the guy i lived with was pimping me out, they knew and still charged me", True),
                          ("Separately, she is charged with trafficking now. Is the defense available?", False)]:
        tracker = told(text, slots=slots, intent="ask_affirmative_defense")
        assert (screening_the_message_goes_on_with("affirmative_defense", tracker) == "vacatur") is goes_on, text


def test_whether_they_can_be_charged_for_what_they_say_stays_with_the_order_to_testify():
    from actions.screening import screening_the_message_goes_on_with

    slots = {"screening_topic": "compelled_testimony", "proceeding": "criminal", "applicant": "states_attorney",
             "privilege_claimed": True, "qualifying_offense": True}
    slots = answered(slots)
    text = "if she answers, can they charge her for what she says? the state's attorney already asked"
    tracker = told(text, slots=slots, intent="ask_affirmative_defense")
    assert screening_the_message_goes_on_with("affirmative_defense", tracker) == "compelled_testimony"


def test_a_lawyer_s_trafficking_at_the_time_of_the_offense_is_what_was_done_to_the_client():
    found, _, _ = facts_in_message("vacatur", message("Trafficking at the time of the arrest is documented by DCF."), None)
    assert found.get("trafficking_victim") == "yes"
    assert ("exploitation", "trafficked") not in {
        (e["entity"], e["value"]) for e in extract("he was trafficking at the time of the offense")}


def test_a_button_s_payload_is_not_the_person_s_words_for_the_offense():
    found, _, _ = facts_in_message("vacatur", {"text": '/inform{"offense": "other_offense"}', "intent": {"name": "inform"},
                                               "entities": [{"entity": "offense", "value": "other_offense", "start": 0,
                                                             "end": 34}]}, None)
    assert found.get("offense") == "other_offense" and "offense_words" not in found


def test_someone_introducing_himself_as_a_guy_is_not_someone_else():
    found, _, _ = facts_in_message("vacatur", message("Guy here, 34. I got convicted in CT of larceny in 2018"), None)
    assert found.get("court") == "connecticut_adult"


@pytest.mark.parametrize("text", ["the boss locks us in the back room at night", "he says we work till we pay him back"])
def test_being_held_now_is_danger(text):
    assert ("danger", "now") in {(e["entity"], e["value"]) for e in extract(text)}


def test_a_no_before_saying_is_still_a_denial_of_the_privilege():
    values = {(e["entity"], e["value"]) for e in extract("i never said i won't testify, i'm just nervous")}
    assert ("privilege", "claimed") not in values


def test_an_adjective_after_a_comma_does_not_carry_a_denial():
    found, _, _ = facts_in_message("vacatur", message("not a prostitution case, unclassified felony, max 5 years"), None)
    assert found.get("offense_class") == "unclassified_felony" and found.get("offense") == "other_offense"


def test_classes_in_the_plural_are_kinds_not_the_case_s_class():
    found, _, _ = facts_in_message("vacatur", message("does (a) reach class D felonies and misdemeanors alike?"), None)
    assert "offense_class" not in found


def test_trafficked_at_the_time_said_first_is_the_person_s():
    assert facts_in_message("vacatur", message("Trafficked at the time, yes, by her ex."), None)[0].get(
        "trafficking_victim") == "yes"


def test_a_trafficking_charge_told_after_a_conviction_is_the_defense():
    from actions.screening import screening_the_message_goes_on_with

    slots = {**answered({**ANSWERED_VACATUR, "forced_tricked_or_coerced": True})}
    text = "oh and now they arrested her for trafficking a friend, she's 17"
    tracker = told(text, slots=slots, intent="ask_affirmative_defense")
    assert screening_the_message_goes_on_with("affirmative_defense", tracker) is None


def test_asking_about_another_defense_after_the_answer_is_the_same_case():
    from actions.screening import goes_on_with_the_screening

    slots = {"screening_topic": "affirmative_defense", "charge_statute": "53a-192a", "age_at_offense": 20,
             "offense_date": "2023-02-02", "trafficking_victim": "yes"}
    slots = answered(slots)
    text = "Understood it's only for minors. For adults charged with trafficking, would entrapment under 53a-15 work?"
    tracker = told(text, slots=slots, intent="ask_affirmative_defense")
    assert goes_on_with_the_screening("affirmative_defense", tracker)


def test_the_maximum_someone_faced_is_the_maximum():
    assert ("prison_years", "15") in {(e["entity"], e["value"]) for e in extract("the max he faced was 15 years")}


def test_the_screened_conviction_named_again_with_also_is_not_another():
    from actions.screening import goes_on_with_the_screening

    slots = {"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult", "offense_statute": "53a-82",
             "trafficking_victim": "yes"}
    slots = answered(slots)
    text = "Also, is there a deadline to file on the 53a-82 case?"
    tracker = told(text, slots=slots, intent="ask_vacatur")
    assert goes_on_with_the_screening("vacatur", tracker)


# -- set35's first look (measured fresh at 5f7da3a), each in other words -------------------------------

def test_the_offense_named_with_the_after_a_section_is_that_conviction():
    from actions.screening import goes_on_with_the_screening

    slots = {"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult", "offense_statute": "53a-101",
             "offense_class": "class_b_felony"}
    slots = answered(slots)
    for text, same in [("her pimp planned the burglary and made her go in. does she qualify?", True),
                       ("she also has a larceny conviction from 2019, can that one be vacated?", False)]:
        tracker = told(text, slots=slots, intent="ask_vacatur")
        assert goes_on_with_the_screening("vacatur", tracker) is same, text


@pytest.mark.parametrize("text", ["my sister locked herself in her room and says she's going to kill herself",
                                  "he is cutting himself again and won't stop"])
def test_someone_else_s_self_harm_brings_988(text):
    assert ("danger", "suicide") in {(e["entity"], e["value"]) for e in extract(text)}


def test_a_ct_judge_asked_about_is_not_the_court_of_the_case():
    assert "court" not in facts_in_message("vacatur", message("could a connecticut judge vacate it?"), None)[0]


def test_a_record_to_clear_in_spanish_with_what_was_done_is_vacatur_not_privacy():
    text = "A mi hijo lo obligaban a robar y lo amenazaban. ¿Se puede borrar esa condena?"
    assert plainly_said_intent("ask_privacy", text, extract(text)) == "ask_vacatur"


def test_turning_18_before_the_offense_is_the_age_that_day():
    found, _, _ = facts_in_message("affirmative_defense", message(
        "He turned 18 two days prior to the arrest. They had him since he was 14."), None)
    assert found.get("age_at_offense") == 18


def test_a_yo_adjudication_is_the_youthful_offender_court():
    found, _, _ = facts_in_message("vacatur", message("He was adjudicated a YO at 16 on a burglary, 2012."), None)
    assert found.get("court") == "connecticut_youthful_offender"


def test_a_prosecutor_about_to_apply_is_applying_now():
    found, _, _ = facts_in_message("compelled_testimony", message("We plan to move under 54-47a next week."), None)
    assert "proceeding_date" in found


# -- set36's first look (measured fresh at 174f48d), each in other words -------------------------------

@pytest.mark.parametrize("text", ["i swallowed a bunch of my moms sleeping pills",
                                  "se tomó todas las pastillas de su mamá",
                                  "honestly i cant take it anymore",
                                  "the rope is ready. tell my mom im sorry",
                                  "been cutting again tonight and i cant stop cutting"])
def test_an_overdose_a_plan_or_despair_in_any_words_brings_988(text):
    message_ = through_the_safety_net(text, [("out_of_scope", 0.6)])
    dangers = [e["value"] for e in message_.get("entities") if e["entity"] == "danger"]
    assert message_.get("intent")["name"] == "emergency" and "suicide" in dangers, text


@pytest.mark.parametrize("text,danger", [("the guy is punching her right now", "now"),
                                         ("la están golpeando en la casa", "now"),
                                         ("his friends told me youre dead if you go to court", "fear"),
                                         ("my husband hits me when he drinks", "fear")])
def test_violence_and_threats_on_a_life_in_any_words_bring_the_safety_line(text, danger):
    assert ("danger", danger) in {(e["entity"], e["value"]) for e in extract(text)}, text


@pytest.mark.parametrize("text", ["i took my pills this morning like the doctor said",
                                  "he was beating me back then, not anymore", "beats me, i never saw the paper"])
def test_medicine_taken_as_prescribed_or_violence_in_the_past_is_no_danger_now(text):
    assert not {("danger", "now"), ("danger", "suicide")} & {(e["entity"], e["value"]) for e in extract(text)}, text


@pytest.mark.parametrize("text", ["The respondent asserted privilege at the hearing.", "Witness invoked on 3/2.",
                                  "my client, the kid, invoked fifth"])
def test_a_lawyer_s_shorthand_for_claiming_the_privilege(text):
    assert ("privilege", "claimed") in {(e["entity"], e["value"]) for e in extract(text)}, text


@pytest.mark.parametrize("text,proceeding", [
    ("the SA wants him to testify against his ex in an assault 3 case", "criminal"),
    ("it's for a civil action the state brought to take the house, not a criminal case", "other"),
])
def test_the_kind_of_case_from_the_offense_it_is_for_or_its_civil_name(text, proceeding):
    found, _, _ = facts_in_message("compelled_testimony", message(text), None)
    assert found.get("proceeding") == proceeding, text


def test_a_question_with_no_word_of_training_is_not_about_training():
    text = "Advocate here. My client cleaned houses for a woman who is now charged with assault."
    assert plainly_said_intent("ask_training", text, extract(text)) == "next"


@pytest.mark.parametrize("text", ["Open 53a-83 in GA 14, no disposition.", "pending 21a-279 charge, no plea has been entered"])
def test_a_pending_charge_in_a_lawyer_s_words_is_no_conviction(text):
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert found.get("convicted") is False and found.get("offense_statute"), text


@pytest.mark.parametrize("text,topic", [
    ("ella era víctima de trafficking, nunca fue su idea", "vacatur"),
    ("she was trafficked back then (labor trafficking, 53a-192a(a)(1) elements present)", "vacatur"),
])
def test_trafficking_said_of_what_was_done_to_them_is_never_the_offense(text, topic):
    found, _, _ = facts_in_message(topic, message(text), None)
    assert found.get("trafficking_victim") == "yes" or found.get("forced_tricked_or_coerced") is True, text
    assert "offense" not in found and "offense_statute" not in found and "charge" not in found, text


def test_selling_someone_in_spanish_and_certain_words_that_it_was_trafficking():
    assert ("exploitation", "sold") in {(e["entity"], e["value"]) for e in extract("la estaban vendiendo por internet")}
    found, _, _ = facts_in_message("vacatur", message("it was totally trafficking, no doubt"), None)
    assert found.get("trafficking_victim") == "yes" and "offense" not in found


def test_the_age_in_an_intake_line_and_a_charge_that_came_later_is_not_the_offense_date():
    found, _, _ = facts_in_message("affirmative_defense", message("Petition, respondent 16, DOO 2/3/2023."), None)
    assert found.get("age_at_offense") == 16 and found.get("offense_date") == "2023-02-03"
    found, _, _ = facts_in_message("affirmative_defense", message("he wasn't arrested until march 2025"), None)
    assert "offense_date" not in found


def test_trafficking_that_was_over_by_the_time_of_the_case_is_not_being_trafficked_then():
    text = "yes he trafficked me but by the time of this arrest i was already out, nobody was forcing me"
    found, _, _ = facts_in_message("vacatur", message(text), None)
    assert found.get("trafficking_victim") == "no"


def test_a_case_said_to_be_only_a_misdemeanor_is_no_listed_offense():
    text = "the state wants her to testify in a case that's just a misdemeanor, nothing about drugs"
    found, _, _ = facts_in_message("compelled_testimony", message(text), None)
    assert found.get("qualifying_offense") is False


def test_a_story_naming_an_offense_and_no_word_of_the_defense_is_facts():
    text = "Social worker here. The woman my client nannied for is being prosecuted for kidnapping."
    assert plainly_said_intent("ask_affirmative_defense", text, extract(text)) == "inform"


def test_the_section_defining_what_was_done_to_them_is_no_word_of_the_defense():
    from actions.screening import screening_the_message_goes_on_with

    slots = {"screening_topic": "vacatur", "convicted": True, "court": "connecticut_adult", "offense_class": "class_d_felony"}
    text = "He was sold by her (53a-192a(a)(3) facts, she kept every dollar). Is relief mandatory?"
    tracker = told(text, slots=slots, intent="ask_affirmative_defense", active_loop="vacatur_form",
                   requested="forced_tricked_or_coerced")
    assert screening_the_message_goes_on_with("affirmative_defense", tracker) == "vacatur"


def test_a_trial_still_going_for_an_offense_is_no_record_to_clear():
    text = "there's a trial for kidnapping next month, the man who held us in the basement"
    assert "vacatur" not in screenings_the_facts_point_to(message(text))


# -- set37's first look (measured fresh at a23c3ae), each in other words -------------------------------

@pytest.mark.parametrize("text", ["what's the point anyway, i should just end it", "gonna end it tonight"])
def test_ending_it_brings_988(text):
    assert ("danger", "suicide") in {(e["entity"], e["value"]) for e in extract(text)}, text


def test_a_lawyer_who_only_advised_the_witness_is_not_the_one_applying():
    text = "my attorney told me i can stay silent, so i did"
    assert "applicant" not in facts_in_message("compelled_testimony", message(text), None)[0]
    text = "a cop told her he could get her immunity if she talks"
    assert facts_in_message("compelled_testimony", message(text), None)[0].get("applicant") == "other"


def test_a_court_where_someone_serves_time_or_someone_else_was_indicted_is_not_the_court_of_the_conviction():
    for text in ["her pimp is doing time federally now", "the boss was indicted in federal court last spring"]:
        assert "court" not in facts_in_message("vacatur", message(text), None)[0], text


def test_a_birthday_is_not_the_date_of_the_offense():
    found, _, _ = facts_in_message("affirmative_defense", message(
        "He turned 18 on 4/9/2024 and the incident was 3/30/2024."), None)
    assert found.get("offense_date") == "2024-03-30"


def test_the_defense_side_asking_to_apply_and_a_prosecution_only_question():
    found, _, _ = facts_in_message("compelled_testimony", message(
        "could the defense move for an order, or is it prosecution only?"), None)
    assert found.get("applicant") == "other" and "proceeding" not in found


def test_nothing_on_the_statutory_list_is_no_listed_offense():
    text = "a 53a-82 case against a john. nothing on the statutory list, a class A misdemeanor"
    assert facts_in_message("compelled_testimony", message(text), None)[0].get("qualifying_offense") is False


@pytest.mark.parametrize("text", ["Trafficking: he sold her online from 2016 on",
                                  "she hates the word trafficking but he kept all her money",
                                  "this was a year after the trafficking ended"])
def test_trafficking_as_a_heading_a_word_or_a_time_is_never_the_offense(text):
    assert "affirmative_defense" not in screenings_the_facts_point_to(message(text)), text
    assert "offense" not in facts_in_message("vacatur", message(text), None)[0], text


def test_a_lawyer_s_unclassified_and_a_plea_with_its_year():
    found, _, _ = facts_in_message("vacatur", message("Conv 29-38, unclassified, max 5. She pled 2020, Hartford."), None)
    assert found.get("offense_class") == "unclassified_felony" and found.get("convicted") is True
    assert facts_in_message("vacatur", message("unclassified misdemeanor"), None)[0].get("offense_class") == "misdemeanor"


@pytest.mark.parametrize("text", ["nobody was forcing her, it was only me", "it was on my own, no pimp nothing",
                                  "that happened before she ever met him, nobody was pushing her"])
def test_every_way_of_being_trafficked_denied_in_other_words(text):
    assert facts_in_message("vacatur", message(text), None)[0].get("trafficking_victim") == "no", text


def test_later_in_a_sentence_is_no_goodbye():
    text = "can this come off my record? i want to apply for a job later"
    assert plainly_said_intent("goodbye", text, extract(text)) == "next"


def test_after_an_answer_with_no_offense_the_offense_named_is_the_same_case():
    from actions.screening import goes_on_with_the_screening

    slots = answered({"screening_topic": "compelled_testimony", "proceeding": "criminal", "applicant": "states_attorney",
                      "privilege_claimed": True, "qualifying_offense": True})
    tracker = told("does the immunity also cover the larceny stuff she did?", slots=slots,
                   intent="ask_compelled_testimony")
    assert goes_on_with_the_screening("compelled_testimony", tracker)


def test_a_question_about_the_answer_with_no_word_of_the_defense_stays_with_the_testimony():
    from actions.screening import screening_the_message_goes_on_with

    slots = answered({"screening_topic": "compelled_testimony", "proceeding": "delinquency",
                      "proceeding_date": "2019-05-01"})
    tracker = told("could what i said back then be used against me now?", slots=slots, intent="ask_affirmative_defense")
    assert screening_the_message_goes_on_with("affirmative_defense", tracker) == "compelled_testimony"


def test_the_law_s_cap_a_section_set_beside_the_case_s_and_the_trafficking_itself_are_not_the_case_s_facts():
    assert "max_prison_years" not in facts_in_message("vacatur", message("is that under the 10-year limit?"), None)[0]
    found, _, _ = facts_in_message("vacatur", message(
        "does it matter that the trafficking was charged federally, as opposed to 53a-192a?"), None)
    assert "offense" not in found and "offense_statute" not in found


def test_a_question_after_the_answer_without_a_question_mark_stays_with_it():
    from actions.screening import screening_the_message_goes_on_with

    slots = answered({"screening_topic": "compelled_testimony", "proceeding": "delinquency",
                      "proceeding_date": "2019-05-01"})
    tracker = told("and could they use what i said if they charge me later", slots=slots, intent="ask_affirmative_defense")
    assert screening_the_message_goes_on_with("affirmative_defense", tracker) == "compelled_testimony"


# -- set38's first look (measured fresh at 31561d7), each in other words -------------------------------

@pytest.mark.parametrize("text", ["i wont be alive by morning anyway", "got the razor in my hand right now"])
def test_not_being_alive_and_the_means_in_hand_bring_988(text):
    assert ("danger", "suicide") in {(e["entity"], e["value"]) for e in extract(text)}, text


def test_a_later_case_elsewhere_is_not_the_court_of_the_conviction_and_a_plea_entered_is_one():
    found, _, _ = facts_in_message("vacatur", message("her trafficking came out in a separate federal case"), None)
    assert "court" not in found
    found, _, _ = facts_in_message("vacatur", message("guilty plea entered in Norwalk GA, 2015"), None)
    assert found.get("convicted") is True


def test_a_spanish_young_person_s_age_and_found_me_guilty():
    assert facts_in_message("affirmative_defense", message("mi nieto de 16 años esta acusado"), None)[0].get(
        "age_at_offense") == 16
    assert facts_in_message("vacatur", message("the judge found her guilty in new britain"), None)[0].get("convicted")


def test_the_listed_offenses_said_so_or_not_by_their_subdivision():
    assert facts_in_message("compelled_testimony", message(
        "the case is about an enumerated offense, the SA says"), None)[0].get("qualifying_offense") is True
    assert facts_in_message("compelled_testimony", message(
        "its a trespass case, not on the 54-47a(a)(1) list"), None)[0].get("qualifying_offense") is False


def test_the_witness_s_own_lawyer_asking_to_apply_is_not_a_prosecutor():
    found, _, _ = facts_in_message("compelled_testimony", message("his own attorney wants to apply for the order"), None)
    assert found.get("applicant") == "other"


def test_a_lawyer_raising_192a_b_for_a_client_names_the_trafficking_charge():
    found, _, _ = facts_in_message("affirmative_defense", message("Raising 192a(b) for my client, 15 at the time."), None)
    assert found.get("charge_statute") == "53a-192a"
    found, _, _ = facts_in_message("affirmative_defense", message("can 192a(b) be raised on a larceny petition, age 15"),
                                   None)
    assert found.get("charge") == "other_offense"


def test_facts_of_the_screening_left_for_a_question_go_on_with_it():
    from actions.screening import going_on_with_the_screening_left

    tracker = told("it happened on march 3 2023", slots={"screening_topic": "affirmative_defense",
                                                         "charge": "trafficking_in_persons"})
    events = going_on_with_the_screening_left(tracker)
    assert {"event": "slot", "name": "facts_point_to", "value": "corrected_affirmative_defense"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events]


def test_facts_told_in_a_question_about_the_law_right_after_the_notice_are_kept_for_the_screening():
    from actions.information import ActionAnswerTopic

    tracker = told("a grown man was selling him for money. does the law call that trafficking?",
                   slots={"screening_topic": "affirmative_defense", "details_notice": "asked"},
                   intent="ask_trafficking_definition")
    _, events = run(ActionAnswerTopic(), tracker)
    assert slot_sets(events).get("sold_for_sex") is True


@pytest.mark.parametrize("text,entity", [("he took my ID and my passport", ("danger", "fear")),
                                         ("caught with a fake ID at the club", ("offense", "forgery"))])
def test_a_phrase_is_read_whatever_the_casing_of_id(text, entity):
    assert entity in {(e["entity"], e["value"]) for e in extract(text)}, text
