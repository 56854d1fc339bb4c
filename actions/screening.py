"""The three screenings as forms: ask only what can change the outcome, then answer from the law.

Which question comes next is the law engine's `missing_facts`: a form stops as soon as
`rules.evaluate` can decide. No legal logic lives here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.facts import (ADULT_AGE, CORRECTED_INSIDE, FORM_OF_TOPIC, SOMEONE_ELSE_PROSECUTED, TOPIC_OF_FORM, TOPIC_OF_INTENT,
                           TRAFFICKING_BRANCHES, entity_values,
                           fact_names, facts_from_slots, facts_in_message, minor_described_being_sold_or_used_for_sex,
                           defines_what_happened_or_a_defense, screening_for_facts, without_words_not_about_this_case)
from actions.render import (answer_messages, fact_words, conviction_label, lawyer_summary, next_steps_message,
                            screened_list_message, why_messages)
from bot.nlu.defense_words import DEFENSE_OR_CHARGE_WORDS, NAMES_THE_DEFENSE_OR_ITS_CHARGE
from bot.nlu.disclosures import SEXUAL_EXPLOITATION
from rules import Determination, InputError, UnstatedDate, evaluate, facts_of, load_library, unstated_date
from rules import affirmative_defense, compelled_testimony, vacatur
from rules.affirmative_defense import defense_in_edition
from rules.determination import NOT_APPLICABLE, Context
from rules.offenses import can_be_a_conviction

# The turns of earlier sessions carried over by the store (bot/stores.py EARLIER_TURNS).
EARLIER_TURNS = "earlier_turns"
# Slots that keep the state of one screening, cleared when a new one starts.
BOOKKEEPING = ("skipped_facts", "unusable_answers", "offense_words", "determination")
# Facts about one conviction, cleared to screen another; facts about the person (age, trafficking)
# are kept, so they are not asked again.
CONVICTION_FACTS = ("convicted", "court", "offense_statute", "offense", "offense_class", "max_prison_years",
                    "conviction_date")
# Every vacatur answered in this conversation: what the person takes to a lawyer.
SCREENED = "screened_convictions"
# Intents that answer the question asked; any other intent is the person going somewhere else.
ANSWER_INTENTS = {"inform", "affirm", "deny", "unsure", "out_of_scope", "nlu_fallback", "greet", "thank", "correct"}
# Never taken as an answer, whatever facts the words hold ("im 16 and hes outside my door").
NEVER_AN_ANSWER = {"emergency", "stop", "delete_my_data", "request_human", "minor_disclosure"}
QUESTION_WORDS = {"what", "whats", "what's", "how", "why", "when", "who", "where", "which", "does", "do", "is",
                  "are", "can", "could", "should", "would", "will"}
SHORT_REPLY_WORDS = 8
# The facts that answer a question, when the person names the offense rather than its section.
ANSWERED_BY = {"offense_statute": {"offense_statute", "offense"}, "charge_statute": {"charge_statute", "charge"}}
# A question worth asking only when another fact makes it matter.
ASKED_ONLY_WHEN = {"max_prison_years": lambda slots: slots.get("offense_class") == "unclassified_felony",
                   # "Is the criminal case about ...?" means nothing to someone who does not know what case it is.
                   "qualifying_offense": lambda slots: slots.get("proceeding") is not None}
# Why each question is asked, for "why are you asking?".
WHY_ASKED = {
    "convicted": "vacatur (54-95c) applies only after a court enters a judgment of conviction.",
    "offense_statute": "the court must vacate a prostitution conviction (53a-82) but may choose for others.",
    "offense_class": "only some classes of conviction can be vacated (54-95c(a)).",
    "max_prison_years": "unclassified felonies can be vacated only up to a maximum prison term (54-95c(a)).",
    "trafficking_victim": "the law is for people whose participation was a result of being trafficked.",
    "charge_statute": "the defense in 53a-192a(b) is only for a charge of trafficking in persons.",
    "offense_date": "the defense applies to offenses from the day it took effect (53a-192a(b)).",
    "age_at_offense": "the defense in 53a-192a(b) has an age limit at the time of the offense.",
    "proceeding": "the law covers only some kinds of cases (54-47a(a)).",
    "applicant": "only the Chief State's Attorney, the deputy chief or a state's attorney may apply (54-47a(a)).",
    "privilege_claimed": "the prosecutor can apply only after the witness claims the privilege (54-47a(a)).",
    "qualifying_offense": "for criminal cases, the law lists the offenses it covers (54-47a(a)(1)).",
    "proceeding_date": "54-47a has changed over time, so the answer can depend on when the prosecutor applied.",
    "court": "54-95c lets a person apply to the Connecticut Superior Court: a juvenile case, or a conviction "
             "from another state or a federal court, has a different route.",
    "forced_tricked_or_coerced": "the law is for people whose taking part was a result of being trafficked "
                                 "(53a-192a(a)).",
    "sold_for_sex": "being sold, or offered for sex with others for anything of value, is trafficking even "
                    "without force (53a-192a(a)(3)).",
    "minor_induced_into_sex": "getting a person under 18 into sexual contact with others is trafficking "
                              "(53a-192a(a)(2)).",
    "has_prostitution_conviction": "before Oct 1, 2021 only a person with a prostitution conviction could apply "
                                   "(54-95c).",
}
ONE_DAY = dt.timedelta(days=1)
# The section whose dated versions decide a screening judged on a date of its own.
DATED_SECTION = {"affirmative_defense": affirmative_defense.SECTION, "compelled_testimony": compelled_testimony.SECTION}


def date_boundaries(topic: str) -> List:
    """The days on which this topic's rule changed, in the law applied today: a date that straddles
    one must be asked. Not every change of the section counts: trafficking in persons became a
    class A felony in 2017, but the defense in its subsection (b) began only in 2021."""
    section = DATED_SECTION.get(topic)
    if not section:
        return []
    versions = sorted((v for v in load_library().section(section).versions if "current" in v.editions),
                      key=lambda v: v.in_force.start or dt.date.min)
    return [later.in_force.start for earlier, later in zip(versions, versions[1:])
            if later.in_force.start and earlier.parameters.get(topic) != later.parameters.get(topic)]


def law_in_force_today() -> Context:
    """The questions quote the law people would apply under today (the answers use the same date)."""
    return Context(load_library(), "current", dt.date.today())


def determine(topic: str, slots: Dict[str, Any]) -> Determination:
    return evaluate(topic, facts_from_slots(topic, slots))


def date_that_matters(topic: Optional[str], slots: Dict[str, Any]) -> Optional[UnstatedDate]:
    """A date the person has not given and the answer turns on (the engine would assume today)."""
    if topic not in FORM_OF_TOPIC:
        return None
    try:
        return unstated_date(topic, facts_from_slots(topic, slots))
    except InputError:
        return None


def choices_around(days: List[dt.date]) -> List[Dict[str, str]]:
    """A choice for each stretch of time between the days the law changed, then "Not sure"."""
    def on(day: dt.date) -> str:
        return f'/inform{{"date": "{day.isoformat()}"}}'
    buttons = [{"title": f"Before {day:%b %-d, %Y}" if i == 0 else
                f"{days[i - 1]:%b %-d, %Y} to {day - ONE_DAY:%b %-d, %Y}", "payload": on(day - ONE_DAY)}
               for i, day in enumerate(days)]
    return buttons + [{"title": f"On or after {days[-1]:%b %-d, %Y}", "payload": on(days[-1])},
                      {"title": "Not sure", "payload": "/unsure"}]


def start_events(topic: str, tracker: Tracker) -> List[EventType]:
    """Start a screening of `topic` afresh, keeping the facts the person already gave in the same message."""
    events: List[EventType] = []
    if tracker.active_loop.get("name"):
        events.append(ActiveLoop(None))
    every_fact = {name for t in FORM_OF_TOPIC for name in fact_names(t)}
    # The notice is said once in a conversation: said again at each change of screening, a person who types
    # on instead of choosing "Continue" would meet it again and again.
    # Only what holds a value is cleared: every event is replayed on each later turn (bot/stores.py).
    events += [SlotSet(name, None) for name in sorted(every_fact) + list(BOOKKEEPING) + ["requested_slot"]
               if tracker.get_slot(name) is not None]
    earlier, earlier_unsure = facts_told_before_any_screening(topic, tracker)
    found, unsure, _ = facts_in_message(topic, tracker.latest_message, None, date_boundaries(topic))
    unsure = [name for name in earlier_unsure if name not in found] + unsure
    found = {**{k: v for k, v in earlier.items() if k not in unsure}, **found}
    try:
        evaluate(topic, {k: v for k, v in found.items() if k in fact_names(topic)})
    except InputError:
        found, unsure = {}, []  # words that contradict each other are asked about one at a time instead
    events += [SlotSet(name, value) for name, value in found.items()]
    # "I'm not sure if she was 17 or 18": said not to be known, so not asked again.
    events.append(SlotSet("skipped_facts", [name for name in dict.fromkeys(unsure) if name in fact_names(topic)]))
    events.append(SlotSet("screening_topic", topic))
    events += voice_events(tracker.latest_message) or earlier_voice_events(tracker)
    if topic == "vacatur":
        events.append(SlotSet(WAITING, offenses_after_the_first(tracker.latest_message)))
    return events


# Messages that tell facts rather than ask: what they held still counts when a screening starts later ("then
# he told me to bring my best friend. on april 12 2022 i did. i hate myself for it", which no intent fits).
TELLS_FACTS = {"inform", "emergency", "minor_disclosure", "out_of_scope", "nlu_fallback", "ask_next_steps"}


def messages_before_any_screening(tracker: Tracker, topic: Optional[str] = None) -> List[Dict[str, Any]]:
    """The person's messages in this session before the latest, when no screening has started in it yet: a
    story told first ("back in 2024, when he was 14, a grown man ... made him", answered as an emergency)
    is the same person's case when they then ask about the defense. After a screening, facts belong to it,
    unless its answer said the case is one for `topic`: "i got convicted of promoting prostitution" told in
    the defense's screening (not a trafficking charge) is the conviction vacatur then screens, and a case
    with no conviction yet is the charge the defense screens."""
    messages: List[Dict[str, Any]] = []
    screening: Optional[str] = None
    outcome: Optional[str] = None
    convicted = False  # "they convicted me of trafficking in persons in 2019" told where the defense was asked

    def belongs_here() -> bool:
        # "charged with promoting prostitution 1st, 53a-86", then "can we use the 192a(b) defense?": with no
        # conviction told, the case vacatur began to screen is the charge the defense screens.
        return outcome in CASE_BELONGS_ELSEWHERE.get((screening, topic), ()) \
            or (screening, topic) == ("affirmative_defense", "vacatur") and convicted \
            or (screening, topic) == ("vacatur", "affirmative_defense") and not convicted

    def read(event: Dict[str, Any]) -> None:
        nonlocal messages, screening, outcome, convicted
        if event.get("event") == "session_started":
            messages, screening, outcome, convicted = [], None, None, False
        elif event.get("event") == "slot" and event.get("name") == EARLIER_TURNS and event.get("value"):
            # A new session the store began to keep turns bounded: the turns before it, carried over.
            messages, screening, outcome, convicted = [], None, None, False
            for earlier in event["value"]:
                read(earlier)
        elif event.get("event") == "slot" and event.get("name") == "screening_topic" and event.get("value"):
            if screening is not None and not belongs_here():
                messages = []
            screening, outcome, convicted = event.get("value"), None, False
        elif event.get("event") == "slot" and event.get("name") == "convicted" and event.get("value") is True:
            convicted = True
        elif event.get("event") == "slot" and event.get("name") == "determination" and event.get("value"):
            outcome = json.loads(event["value"]).get("outcome")
        elif event.get("event") == "user":
            parse = event.get("parse_data") or {}
            messages.append({"text": event.get("text") or "", "intent": parse.get("intent") or {},
                             "entities": parse.get("entities") or []})
            convicted = convicted or any(e.get("entity") == "conviction" and e.get("value") == "convicted"
                                         for e in parse.get("entities") or [])

    for event in tracker.events:
        read(event)
    if screening is not None and not belongs_here():
        return []
    # A screening question told facts too ("I was found delinquent ... in 2014"), where its screening's answer
    # sent the case here.
    return [m for m in messages[:-1] if m["intent"].get("name") in TELLS_FACTS
            or (screening is not None and m["intent"].get("name") in TOPIC_OF_INTENT)]


# (screening answered, screening starting): the answers that say the person's case is the other screening's.
CASE_BELONGS_ELSEWHERE = {("affirmative_defense", "vacatur"): (NOT_APPLICABLE,),
                          ("vacatur", "affirmative_defense"): (vacatur.NO_CONVICTION,)}


def facts_told_before_any_screening(topic: str, tracker: Tracker) -> Tuple[Dict[str, Any], List[str]]:
    found: Dict[str, Any] = {}
    unsure: List[str] = []
    for message in messages_before_any_screening(tracker, topic):
        said, doubted, _ = facts_in_message(topic, message, None, date_boundaries(topic))
        unsure = [name for name in unsure if name not in said] + doubted
        found = {**{k: v for k, v in found.items() if k not in doubted}, **said}
    return found, unsure


def told_so_far(tracker: Tracker) -> Dict[str, Any]:
    """Every message of facts before any screening, and the latest, read as one: "i was 17", then "like early
    november 2022", then "he was pimpin me too" point together where none does alone."""
    parts = messages_before_any_screening(tracker) + [tracker.latest_message]
    text, entities = "", []
    for part in parts:
        offset = len(text) + (1 if text else 0)
        text = f"{text} {part.get('text') or ''}" if text else part.get("text") or ""
        entities += [{**e, "start": e["start"] + offset, "end": e["end"] + offset} if "start" in e and "end" in e else e
                     for e in part.get("entities") or []]
    return {"text": text, "intent": tracker.latest_message.get("intent") or {}, "entities": entities,
            "intent_ranking": tracker.latest_message.get("intent_ranking") or []}


def earlier_voice_events(tracker: Tracker) -> List[EventType]:
    return next((said for message in reversed(messages_before_any_screening(tracker))
                 if (said := voice_events(message))), [])


# Who the person speaking is asking about (the `speaker` entity): the questions and answers say
# "you", "your client" or "they" accordingly (actions/render.py in_voice; the domain's variations).
VOICE_OF_SPEAKER = {"self": "you", "advocate": "your_client", "lawyer": "your_client", "relative": "they"}
# Offenses named in the first message beyond the one screened first: each is offered next.
WAITING = "offenses_waiting"


def voice_events(message: Dict[str, Any]) -> List[EventType]:
    speakers = [e["value"] for e in message.get("entities") or [] if e.get("entity") == "speaker"]
    return [SlotSet("voice", VOICE_OF_SPEAKER[speakers[0]])] if speakers and speakers[0] in VOICE_OF_SPEAKER else []


def voice_of(tracker: Tracker) -> str:
    return tracker.get_slot("voice") or "you"


def offenses_after_the_first(message: Dict[str, Any]) -> List[str]:
    """'prostitution ... and also possession': every offense named after the first, once each."""
    named = [e["value"] for e in message.get("entities") or [] if e.get("entity") == "offense"]
    return [o for o in dict.fromkeys(named[1:]) if o != (named[0] if named else None)]


def say_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """What must come before any answer: a child who describes being sold or used for sex hears that
    this is trafficking and not their fault, and where to get help now; a person who speaks of fear
    hears the safety line. Then what they asked is answered."""
    if minor_described_being_sold_or_used_for_sex(tracker.latest_message) or \
            described_being_sold_at_an_age_under_18(tracker):
        dispatcher.utter_message(response=MINOR_DISCLOSURE_IN_VOICE[voice_in(tracker)])
    elif any(e.get("entity") == "danger" for e in tracker.latest_message.get("entities") or []) and \
            (tracker.latest_message.get("intent") or {}).get("name") != "emergency":  # already answered
        dispatcher.utter_message(response="utter_safety_line")


def described_being_sold_at_an_age_under_18(tracker: Tracker) -> bool:
    """'he set up dates for me' from someone who said earlier they were 16: the age need not be said again."""
    described = {e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "exploitation"}
    age = tracker.get_slot("age_at_offense")
    return bool(described & SEXUAL_EXPLOITATION) and isinstance(age, (int, float)) and age < ADULT_AGE


MINOR_DISCLOSURE_IN_VOICE = {"you": "utter_minor_disclosure", "they": "utter_minor_disclosure_for_them",
                             "your_client": "utter_minor_disclosure_for_a_client"}


def voice_in(tracker: Tracker) -> str:
    """The voice this message speaks in ("my son is 16..."), or the conversation's so far."""
    said = voice_events(tracker.latest_message)
    return said[0]["value"] if said else voice_of(tracker)


# A conviction or charge named again, another way, replaces the one before: "its not breach of peace, it
# says 53a-82" is the section, and the offense named earlier goes.
REPLACES = {"offense_statute": ("offense", "offense_words", "offense_class", "max_prison_years"),
            "offense": ("offense_statute",), "charge_statute": ("charge",), "charge": ("charge_statute",)}


def replaced_by(found: Dict[str, Any]) -> Dict[str, Any]:
    return {old: None for new in found if new in REPLACES for old in REPLACES[new] if old not in found}


def questions_still_to_ask(topic: str, slots: Dict[str, Any]) -> Optional[List[str]]:
    """The facts still to ask for, in order (None when the facts given contradict each other)."""
    try:
        determination = determine(topic, slots)
    except InputError:
        return None
    skipped = set(slots.get("skipped_facts") or [])
    needed = [name for name in determination.missing_facts
              if name not in skipped and ASKED_ONLY_WHEN.get(name, lambda _: True)(slots)]
    needed = [branch for name in needed for branch in asked_for(name, slots, skipped)]
    # Asked last: the other answers may already settle it, and "not sure" keeps today's law.
    assumed = date_that_matters(topic, slots)
    if assumed and assumed.fact not in skipped and assumed.fact not in needed:
        needed.append(assumed.fact)
    return needed


def asked_for(fact: str, slots: Dict[str, Any], skipped: set) -> List[str]:
    """The question that asks for a fact. Trafficking is asked branch by branch of 53a-192a(a)
    (force, then being sold, then, for someone who may have been under 18, being drawn into sex):
    a "no" to force alone is not a no. Once every branch is answered, nothing more is asked."""
    if fact != "trafficking_victim":
        return [fact]
    if fact in skipped:  # answered "not sure" to the question as a whole
        return []
    age = slots.get("age_at_offense")
    branches = [b for b in TRAFFICKING_BRANCHES
                if not (b == "minor_induced_into_sex" and age is not None and age >= ADULT_AGE)]
    open_branches = [b for b in branches if slots.get(b) is None and b not in skipped]
    return open_branches[:1]


class ActionNoticeBeforeDetails(Action, ABC):
    """Before the defense or the testimony questions, what this chat is and is not (a court could order
    it handed over; a counselor may have to report harm to a child), and a choice to go on. When the
    person's first words already hold every fact the answer needs, there is nothing more to type: the
    notice comes in one line with the answer, not as a gate before it."""

    @property
    @abstractmethod
    def topic(self) -> str:
        """The screening whose questions the notice comes before."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        if tracker.get_slot("details_notice"):  # said already in this conversation: once is enough
            return [SlotSet("details_notice", "not_needed")]
        if questions_still_to_ask(self.topic, tracker.slots) == []:
            dispatcher.utter_message(response="utter_notice_with_the_answer")
            return [SlotSet("details_notice", "not_needed")]
        dispatcher.utter_message(response="utter_notice_before_details")
        return [SlotSet("details_notice", "asked")]


class ActionNoticeBeforeDefense(ActionNoticeBeforeDetails):
    topic = "affirmative_defense"

    def name(self) -> Text:
        return "action_notice_before_defense"


class ActionNoticeBeforeTestimony(ActionNoticeBeforeDetails):
    topic = "compelled_testimony"

    def name(self) -> Text:
        return "action_notice_before_testimony"


class ActionStartScreening(Action):
    def name(self) -> Text:
        return "action_start_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        say_first(dispatcher, tracker)
        intent = tracker.latest_message.get("intent", {}).get("name")
        topic = TOPIC_OF_INTENT.get(intent) or tracker.get_slot("screening_topic") or "vacatur"
        if goes_on_with_the_screening(topic, tracker):
            return facts_said_in_passing(tracker, requested=None, topic=topic)
        if in_hand := screening_the_message_goes_on_with(topic, tracker):
            # "She was a trafficking victim then ... Can we apply?" while vacatur's questions are asked: more of its
            # case, in no words of the defense the classifier heard.
            return facts_said_in_passing(tracker, requested=None, topic=in_hand) + [
                FollowupAction("action_answer_screening" if is_answered(in_hand, tracker) else FORM_OF_TOPIC[in_hand])]
        if tells_of_the_case_the_witness_is_in(topic, tracker):
            # The form of the screening in hand reads this message as its answer next; once answered, the
            # answer is given again with what this message adds.
            answered = is_answered("compelled_testimony", tracker)
            return facts_said_in_passing(tracker, requested=None, topic="compelled_testimony") + [
                FollowupAction("action_answer_screening" if answered else FORM_OF_TOPIC["compelled_testimony"])]
        return start_events(topic, tracker)


def is_answered(topic: str, tracker: Tracker) -> bool:
    stored = tracker.get_slot("determination")
    return bool(stored) and json.loads(stored).get("topic") == topic


# "hes charged with kidnapping and assault 1st and trafficking": while the order to testify is screened, the
# one charged is the defendant in the case the witness is in, not someone asking about the defense.
# (The trafficker or the defendant named in words: facts.SOMEONE_ELSE_PROSECUTED.)
THE_ACCUSED_IS_SOMEONE_ELSE = re.compile(
    r"\b(he|she|they|hes|shes|he'?s|she'?s|they'?re|theyre|"
    r"(el|ella|ellos)|(him|her|them))\b\s*((is|was|are|were|'s|s|got|has been|is being|have been|esta|está|fue)\s+)?"
    r"(\w+\s+)?(charged|accused|on trial|being tried|indicted|acusad[oa]s?)\b|"
    r"\b(charged|accused|indicted|acusaron a|acusan a) (him|her|them|el|ella|ellos)\b", re.I)
ONE_S_OWN_CHARGE = re.compile(r"\b(i'?m|i am|i was|me|my (son|daughter|kid|child|client|grandson|granddaughter|nephew|niece)|"
                              r"mi (hij[oa]|nieto|nieta|client[ea]))\b[^.?!]{0,40}\b(charged|accused|acusad[oa])", re.I)


# The words without which a message cannot be starting that screening while another's questions are asked.
WORDS_OF_THE_SCREENING = {
    "affirmative_defense": DEFENSE_OR_CHARGE_WORDS,
    "vacatur": re.compile(r"\b(vacat\w*|convict\w*|pled|pleaded|plea|guilty|records?|expung\w*|clear\w*|eras\w*|seal\w*|"
                          r"borrar|anular|limpiar|condena\w*|culpable)\b", re.I),
    "compelled_testimony": re.compile(r"\b(testif\w*|testimony|witness\w*|subpoena\w*|immunity|fifth|5th|privilege|"
                                      r"compel\w*|54-47a|declarar|testigo|testific\w*|inmunidad|quinta)\b", re.I)}


def screening_the_message_goes_on_with(topic: str, tracker: Tracker) -> Optional[str]:
    """The screening whose questions are being asked, when a message the classifier took for `topic` holds
    facts of that one and none of the words `topic` would need."""
    in_hand = tracker.get_slot("screening_topic")
    if in_hand not in FORM_OF_TOPIC or in_hand == topic or topic not in WORDS_OF_THE_SCREENING:
        return None
    # After its answer too: "She was simultaneously a victim of the co-defendant ... Under 53a-192a she was a
    # victim at the time" is more of the conviction answered, not a trafficking charge to defend.
    asking = tracker.get_slot("requested_slot") or (tracker.active_loop or {}).get("name") \
        or last_action_before_this_message(tracker) in NOTICE_ACTIONS or is_answered(in_hand, tracker)
    text = tracker.latest_message.get("text") or ""
    # "53a-192a(a)(3) facts: recruited and harbored": the section defining what was done to the person is no
    # word of the defense either.
    for said in sorted((e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "statute"
                        and "end" in e and defines_what_happened_or_a_defense(text, e)),
                       key=lambda e: e["start"], reverse=True):
        text = text[:said["start"]] + " " * (said["end"] - said["start"]) + text[said["end"]:]
    for screened in filter(None, (tracker.get_slot("offense_statute"), tracker.get_slot("charge_statute"))):
        text = text.replace(screened, " ")  # the section of the case in hand is not a word of another screening
    words = WORDS_OF_THE_SCREENING[topic]
    if topic == "affirmative_defense" and (in_hand == "vacatur" and tracker.get_slot("convicted")
                                           or in_hand == "compelled_testimony"):
        # "the FBI even said i was a victim but they still charged me": the charge of the conviction told;
        # "if i talk can they charge me for what i say": the immunity an order to testify brings.
        words = NAMES_THE_DEFENSE_OR_ITS_CHARGE
    if not asking or words.search(text):
        return None
    found, unsure, _ = facts_in_message(in_hand, tracker.latest_message, None, date_boundaries(in_hand))
    if any(k in fact_names(in_hand) for k in [*found, *unsure]):
        return in_hand
    # "and can the stuff i said be used if i get charged now", after the testimony's answer: a question about
    # the answer given, with no word the other screening needs and nothing of another case.
    named = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
    return in_hand if is_answered(in_hand, tracker) and ASKED.search(text) and not named & FACTS_OF_ANOTHER_CASE else None


ASKED = re.compile(r"\?|^\W*((and|but|so|also|ok|okay)\W+)?(can|could|will|would|do|does|did|is|are|was|what|how|why|when|"
                   r"who|should|puedo|puede|pueden)\b", re.I)


# What a question after an answer must name to be about some other case.
FACTS_OF_ANOTHER_CASE = {"offense", "statute", "conviction", "age", "date", "court", "proceeding", "role", "privilege"}


def tells_of_the_case_the_witness_is_in(topic: str, tracker: Tracker) -> bool:
    if topic != "affirmative_defense" or tracker.get_slot("screening_topic") != "compelled_testimony":
        return False
    text = tracker.latest_message.get("text") or ""
    answered = is_answered("compelled_testimony", tracker)
    if answered and "?" in text:
        return False  # answered: a question about the defense now is a new one
    named = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
    more_of_the_same_case = not answered and not named & {"offense", "statute", "conviction"} \
        and not DEFENSE_OR_CHARGE_WORDS.search(text)
    if not (more_of_the_same_case or THE_ACCUSED_IS_SOMEONE_ELSE.search(text) or SOMEONE_ELSE_PROSECUTED.search(text)) \
            or ONE_S_OWN_CHARGE.search(text):
        return False
    found, unsure, _ = facts_in_message("compelled_testimony", tracker.latest_message, tracker.get_slot("requested_slot"),
                                        date_boundaries("compelled_testimony"))
    return bool(found or unsure)


def goes_on_with_the_screening(topic: str, tracker: Tracker) -> bool:
    """The same question again is not a new screening: right after the notice ("the state's attorney asked
    the judge to order her to testify. can they do that??"), or after an answer, with more facts of the
    same case and no other conviction ("superior court in new haven. can that one be vacated or no")."""
    if tracker.get_slot("screening_topic") != topic:
        return False
    if last_action_before_this_message(tracker) in NOTICE_ACTIONS:
        return True
    # "can he get a judge to make me?" while its questions are being asked: the same screening, going on.
    asking = tracker.get_slot("requested_slot") or (tracker.active_loop or {}).get("name")
    # "Also who does the (b) notice go to on a 53a-82 case": the conviction screened, named again, is no other.
    # (A witness's own offenses, "also" or not, are no other case of an order to testify.)
    another = topic != "compelled_testimony" and names_another_conviction(tracker.latest_message) \
        and not names_the_screened_offense_only(tracker)
    if asking and not is_answered(topic, tracker) and not another:
        return True
    if not is_answered(topic, tracker) or another:
        return False
    # "Is 54-95c an option for this one?": the section asked about is not an offense named.
    named = {e.get("entity") for e in offenses_named(tracker.latest_message)}
    found, unsure, _ = facts_in_message(topic, tracker.latest_message, None, date_boundaries(topic))
    same_offense = names_the_screened_offense_only(tracker)  # "the trafficker planned the robbery. can she vacate it?"
    # "found delinquent ... when she was 15", then "it was for stealing": the case answered had no offense yet,
    # so the one named is its own; "would the immunity cover the prostitution stuff?": a witness's own conduct.
    same_offense = same_offense or not any(tracker.get_slot(name) for name in (
        "offense", "offense_statute", "offense_words", "charge", "charge_statute"))
    # "Is the affirmative defense in 192a(b) available to her?", "hes in jail now. can my conviction get cleared":
    # nothing new, or only what was said before, is the same case, answered again.
    if said_before(topic, found, tracker) and not unsure and ("offense" not in named or same_offense):
        return True
    # "it was superior court in bridgeport, i took a plea": a plea without an offense is the conviction answered.
    return (not named & {"offense", "statute"} or same_offense) and any(k in fact_names(topic) for k in found)


def names_the_screened_offense_only(tracker: Tracker) -> bool:
    text = tracker.latest_message.get("text") or ""
    named = offenses_named(tracker.latest_message)
    screened = {tracker.get_slot("offense_words"), tracker.get_slot("offense_statute"), tracker.get_slot("charge_statute")}
    if tracker.get_slot("charge") == "trafficking_in_persons" or tracker.get_slot("charge_statute") == "53a-192a":
        screened.add("trafficking_in_persons")  # "can she raise the defense" about the trafficking charge screened
    text = text.lower()
    # "She was trafficked ... and he set up the robbery": after a conviction told by its section alone (53a-134),
    # the offense named with "the" is that one.
    by_its_section_alone = bool(tracker.get_slot("offense_statute") or tracker.get_slot("charge_statute")) \
        and not tracker.get_slot("offense_words")
    # "is the DUI something i can vacate": an offense with no name of its own is told apart by its words.
    return bool(named) and all(str(e.get("value")).replace("_", " ") in screened or e.get("value") in screened
                               or ("end" in e and text[e["start"]:e["end"]] in screened)
                               or (by_its_section_alone and e.get("entity") == "offense" and "start" in e
                                   and re.search(r"\b(the|that|this|esa|ese|el|la)\s+$", text[max(0, e["start"] - 8):e["start"]]))
                               for e in named)


NOTICE_ACTIONS = {"action_notice_before_defense", "action_notice_before_testimony"}


def last_action_before_this_message(tracker: Tracker) -> Optional[str]:
    seen_this_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_this_message:
                return None
            seen_this_message = True
        elif seen_this_message and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


class ActionMinorDisclosure(Action):
    """A child describing being sold or used for sex where the classifier found nothing to act on: the
    plain words first; then, inside a screening, the facts the words hold are kept and the question
    comes back, and outside one, what the guide can check with them."""

    def name(self) -> Text:
        return "action_minor_disclosure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        dispatcher.utter_message(response=MINOR_DISCLOSURE_IN_VOICE[voice_in(tracker)])
        topic = tracker.get_slot("screening_topic")
        if not tracker.active_loop.get("name") and last_action_before_this_message(tracker) in NOTICE_ACTIONS \
                and topic in FORM_OF_TOPIC and not is_answered(topic, tracker):
            # "he been making me have sex w his friends for money since i was 14", in reply to the notice: the
            # questions go on, with what the child just said.
            return facts_said_in_passing(tracker, requested=None, topic=topic) + [FollowupAction(FORM_OF_TOPIC[topic])]
        if not tracker.active_loop.get("name"):
            # "he set up dates for me w older men and took the money", after an answer that lacked it: the
            # answer again, with what the child just said.
            answered, changed, doubted = changes_to_the_last_answer(tracker)
            if changed:
                dispatcher.utter_message(text=what_changed(answered, changed, doubted))
                return [SlotSet(name, value) for name, value in changed.items()] + [
                    SlotSet("screening_topic", answered), FollowupAction("action_answer_screening")]
            dispatcher.utter_message(response="utter_minor_what_next")
            return []
        return facts_said_in_passing(tracker, requested=None)


class ActionEmergencyInAForm(Action):
    """Danger said during a screening, or in the reply to its notice: 911 and the hotline first; then the
    question comes back, and what the message also answered is kept ("yes he wouldnt let me leave the
    apartment, took my keys")."""

    def name(self) -> Text:
        return "action_emergency_in_a_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        dispatcher.utter_message(response="utter_emergency")
        return facts_said_in_passing(tracker, requested=tracker.get_slot("requested_slot"))


def facts_said_in_passing(tracker: Tracker, requested: Optional[str], topic: Optional[str] = None) -> List[EventType]:
    """The facts of the screening in a message its form will not read (it was answered first by another
    action, or it goes on with the screening), kept unless they contradict what is known."""
    # Right after the notice, before the form has started, the screening is the one the notice was for.
    topic = topic or TOPIC_OF_FORM.get((tracker.active_loop or {}).get("name")) or tracker.get_slot("screening_topic")
    if topic not in FORM_OF_TOPIC:
        return []
    found, unsure, _ = facts_in_message(topic, tracker.latest_message, requested, date_boundaries(topic))
    facts = {k: v for k, v in found.items() if k in fact_names(topic)}
    try:
        evaluate(topic, {**facts_from_slots(topic, tracker.slots), **facts})
    except InputError:
        return []
    skipped = skipped_with(tracker, [name for name in unsure if name in fact_names(topic)])
    return [SlotSet(name, value) for name, value in facts.items()] + [SlotSet("skipped_facts", skipped)]


def skipped_with(tracker: Tracker, names: List[str]) -> List[str]:
    """The facts skipped so far, and these too, each once."""
    skipped = list(tracker.get_slot("skipped_facts") or [])
    return skipped + [name for name in dict.fromkeys(names) if name not in skipped]


def going_on_with_the_screening_left(tracker: Tracker) -> List[EventType]:
    """"This was in september 2022. the 15th", after a question about what trafficking means interrupted the
    defense's questions: facts of the screening left unanswered, so it goes on where it was."""
    in_hand = tracker.get_slot("screening_topic")
    if in_hand not in FORM_OF_TOPIC or tracker.get_slot("determination"):
        return []
    kept = facts_said_in_passing(tracker, requested=None, topic=in_hand)
    if not any(event.get("name") != "skipped_facts" for event in kept):
        return []
    return kept + [SlotSet("facts_point_to", f"corrected_{in_hand}")]


class ActionScreeningForFacts(Action):
    """Facts given with no question and outside any screening start the screening they point to, said
    in one line so the person knows why the questions come; when it is not clear which, the person
    chooses. The rules in data/rules/screenings.yml go on from the `facts_point_to` slot."""

    def name(self) -> Text:
        return "action_screening_for_facts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        say_first(dispatcher, tracker)
        answered, changed, doubted = changes_to_the_last_answer(tracker)
        if changed:
            dispatcher.utter_message(text=what_changed(answered, changed, doubted))
            skipped = [f for f in tracker.get_slot("skipped_facts") or [] if f not in changed] + doubted
            # The answer given no longer stands: if a question must come first, "why?" must not explain it.
            return [SlotSet(name, value) for name, value in changed.items()] + [
                SlotSet("skipped_facts", skipped), SlotSet("determination", None),
                SlotSet("screening_topic", answered), SlotSet("facts_point_to", f"corrected_{answered}")]
        if answered and (tracker.latest_message.get("intent") or {}).get("name") == "correct":
            dispatcher.utter_message(response="utter_which_answer_to_change")
            return [SlotSet("facts_point_to", "asked")]
        if tracker.get_slot("determination") and names_another_conviction(tracker.latest_message):
            dispatcher.utter_message(response="utter_another_conviction")
            return another_conviction_events(tracker) + [SlotSet("facts_point_to", "vacatur")]
        if answered and restates_the_last_answer(tracker, answered):
            dispatcher.utter_message(response="utter_that_is_what_i_used")
            return [SlotSet("facts_point_to", "asked")]
        topic = screening_for_facts(told_so_far(tracker)) or screening_for_facts(tracker.latest_message)
        if answered and topic == answered and said_before(answered, facts_in_message(
                answered, tracker.latest_message, None, date_boundaries(answered))[0], tracker):
            # "she isnt a citizen, we are scared. can the conviction be taken away": the same case, asked again;
            # the answer again, not a new screening that forgets it.
            return [SlotSet("facts_point_to", f"corrected_{answered}")]
        if topic is None:
            return going_on_with_the_screening_left(tracker) or [SlotSet("facts_point_to", "unclear")]
        dispatcher.utter_message(response=f"utter_facts_point_to_{topic}")
        return start_events(topic, tracker) + [SlotSet("facts_point_to", topic)]


# "also", "another": a second conviction, not a change to the one just answered.
ANOTHER = re.compile(r"\b(also|another|other|too|second|third|fourth|fifth|next|as well|more|tambi[eé]n|otr[oa]|"
                     r"segund[oa]|tercer[oa]?|siguiente)\b", re.IGNORECASE)


def restates_the_last_answer(tracker: Tracker, topic: str) -> bool:
    """Facts said again after the answer ("prostitution", "yes he was selling me"): nothing to change,
    and no reason to start over and lose the answer."""
    found, _, _ = facts_in_message(topic, tracker.latest_message, None, date_boundaries(topic))
    return any(k in fact_names(topic) for k in found) and said_before(topic, found, tracker)


def said_before(topic: str, found: Dict[str, Any], tracker: Tracker) -> bool:
    """Every fact of `topic` in `found` is what the screening already holds (true of no facts at all)."""
    return all(tracker.get_slot(k) == v for k, v in found.items() if k in fact_names(topic))


def names_another_conviction(message: Dict[str, Any]) -> bool:
    """'i also have a larceny conviction', 'what about my other case': a conviction besides the one answered."""
    text = message.get("text") or ""
    # Not "the other one got nolled", nor the section asked about ("no other means ... does 54-47a reach it").
    named = offenses_named(message) + [e for e in message.get("entities") or []
                                       if e.get("entity") == "conviction" and e.get("value") == "convicted"]
    if not named or not ANOTHER.search(text):
        return False
    if not CORRECTED_INSIDE.search(text):
        return True
    # In a correction, only in the sentence that names the conviction: "wait no sorry springfield was the other
    # arrest that got dropped. the conviction was in hartford" corrects the court of the one answered.
    return any(ANOTHER.search(text[start:end]) for start, end in sentences_of(text)
               if any(start <= (e.get("start") or 0) < end for e in named))


def offenses_named(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The offenses a message names about this case, in words or by an offense's section: not the section
    asked about (54-95c, 54-47a), nor a defense's or the one defining what was done to the person ("Duress
    under 53a-14")."""
    text = message.get("text") or ""
    return [e for e in without_words_not_about_this_case(message).get("entities") or []
            if e.get("entity") == "offense" or e.get("entity") == "statute"
            and can_be_a_conviction(load_library(), str(e.get("value"))) and not defines_what_happened_or_a_defense(text, e)]


def sentences_of(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each sentence."""
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?;\n]+\s*", text)] + [len(text)]
    return [(start, end) for start, end in zip(bounds, bounds[1:]) if end > start]


# A class by its letter alone, after a felony class: "oh wait ... 53a-86. class B".
FELONY_CLASS_LETTER = re.compile(r"\bclass\s+([a-e])\b(?!\s*misd)", re.I)


def changes_to_the_last_answer(tracker: Tracker) -> Tuple[Optional[str], Dict[str, Any], List[str]]:
    """After an answer, a message that changes one of its facts ("wait, it was a class C felony", "oh I
    answered that wrong, he was controlling me") is a correction of that answer: (its topic, the facts
    it changes, the facts it now says are not known). A message about another conviction, or with
    nothing new, changes nothing."""
    stored = tracker.get_slot("determination")
    if not stored or tracker.active_loop.get("name"):
        return None, {}, []
    topic = json.loads(stored)["topic"]
    if topic not in FORM_OF_TOPIC:
        return None, {}, []
    message = tracker.latest_message
    if topic == "vacatur" and names_another_conviction(message):
        return None, {}, []
    found, unsure, _ = facts_in_message(topic, message, None, date_boundaries(topic))
    changed = {name: value for name, value in found.items()
               if name in fact_names(topic) and tracker.get_slot(name) != value}
    # "wait actually it was a felony ... not sure what class": the class used is wrong, and not known.
    doubted = [name for name in dict.fromkeys(unsure)
               if name in fact_names(topic) and name not in changed and tracker.get_slot(name) is not None]
    if topic == "vacatur" and "offense_class" not in changed:
        used = str(tracker.get_slot("offense_class") or "")
        letter = FELONY_CLASS_LETTER.search(message.get("text") or "")
        if used == "misdemeanor" and "felony" in entity_values(message).get("offense_class", []):
            changed["offense_class"] = None  # "hold on, it was a felony": not the misdemeanor used
        elif used.endswith("_felony") and letter and f"class_{letter.group(1).lower()}_felony" != used:
            changed["offense_class"] = f"class_{letter.group(1).lower()}_felony"  # "class C felony" ... "wait, class B"
    changed.update({name: None for name in doubted})
    # A branch of 53a-192a(a) now met replaces an earlier plain "no"; a plain "yes" replaces earlier "no"s.
    if any(changed.get(branch) is True for branch in TRAFFICKING_BRANCHES) and tracker.get_slot("trafficking_victim") == "no":
        changed["trafficking_victim"] = None
    if changed.get("trafficking_victim") == "yes":
        changed.update({b: None for b in TRAFFICKING_BRANCHES if tracker.get_slot(b) is False})
    # "that one was way before i met him ... nobody made me, nobody was selling me": every branch now a "no"
    # replaces an earlier plain "yes".
    branches_now = {b: changed.get(b, tracker.get_slot(b)) for b in TRAFFICKING_BRANCHES}
    if any(b in changed for b in TRAFFICKING_BRANCHES) and all(v is False for v in branches_now.values()) \
            and tracker.get_slot("trafficking_victim") == "yes":
        changed["trafficking_victim"] = None
    if not changed:
        return topic, {}, []
    try:
        evaluate(topic, {**facts_from_slots(topic, tracker.slots), **changed})
    except InputError:
        return topic, {}, []
    return topic, changed, doubted


def what_changed(topic: str, changed: Dict[str, Any], doubted: Sequence[str] = ()) -> str:
    """'Thanks, I've changed that: Class of the offense: class C felony.' in the facts' plain labels."""
    by_name = {fact.name: fact for fact in facts_of(topic)}
    said = [f"{by_name[name].label}: {by_name[name].describe(value)}" for name, value in changed.items()
            if value is not None and name in by_name and by_name[name].label]
    said += [f"{by_name[name].label}: not known" for name in doubted if name in by_name and by_name[name].label]
    return "Thanks, I've changed that" + (": " + "; ".join(said) if said else "") + ". Here is the answer again."


class ScreeningFormValidation(FormValidationAction, ABC):
    """Extracts the facts of one topic from each answer and asks next what the engine still needs."""

    @property
    @abstractmethod
    def topic(self) -> str:
        """The law engine's topic this form gathers facts for."""

    def name(self) -> Text:
        return f"validate_{FORM_OF_TOPIC[self.topic]}"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: Dict) -> List[Text]:
        needed = questions_still_to_ask(self.topic, tracker.slots)
        if needed is None:
            return [name for name in domain_slots if tracker.slots.get(name) is None][:1]
        return needed

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        events = self.answer_events(dispatcher, tracker)
        tracker.add_slots(events)
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        if next_slot:
            events.append(next_slot)
        return events

    def answer_events(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """Slots from this message. None when the message is not an answer (another question, an
        emergency): the form then steps aside for the rules."""
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        requested = tracker.get_slot("requested_slot")
        # The form was already asking, or starts on the reply to the notice before its questions: this message
        # is the person's reply ("he said if i testify hell hurt my mom" gets the safety line first).
        if requested or last_action_before_this_message(tracker) in NOTICE_ACTIONS:
            say_first(dispatcher, tracker)
        found, unsure, notes = facts_in_message(self.topic, message, requested, date_boundaries(self.topic))
        if not self.is_an_answer(intent, message.get("text") or "", requested, found, unsure):
            return []
        if not found and not unsure:
            return self.unusable_answer(dispatcher, tracker, requested, notes) if requested else []
        found = {**replaced_by(found), **found}
        merged = {**tracker.slots, **found}
        try:
            determine(self.topic, merged)
        except InputError as error:
            dispatcher.utter_message(text=f"That doesn't fit with what you told me before about "
                                          f"{fact_words(error.field)}. Let's take that question again.")
            return [SlotSet(name, None) for name in found if name in fact_names(self.topic)] + [
                SlotSet("unusable_answers", 0)]
        events = [SlotSet(name, value) for name, value in found.items()]
        # "yes convicted" to the court question, then "i really dont know if that was in ct or ny": doubt
        # said later about a fact given before takes it back.
        events += [SlotSet(name, None) for name in dict.fromkeys(unsure)
                   if name in fact_names(self.topic) and name not in found and tracker.get_slot(name) is not None]
        events += [SlotSet("skipped_facts", skipped_with(tracker, unsure)), SlotSet("unusable_answers", 0)]
        return events + voice_events(message)

    def is_an_answer(self, intent: Optional[str], text: str, requested: Optional[str], found: Dict[str, Any],
                     unsure: List[str]) -> bool:
        """Is this message the person answering, rather than asking or going somewhere else?"""
        if intent in NEVER_AN_ANSWER:
            return False
        if intent in ANSWER_INTENTS or TOPIC_OF_INTENT.get(intent) == self.topic:
            return True
        if requested is None:  # the form is starting: keep the facts the person gave with the request
            return bool(found or unsure)
        # Facts of this screening, said without a question ("he set up the dates and kept the money"),
        # are an answer whatever the classifier took them for, unless they ask for another screening.
        if found and "?" not in text and intent not in TOPIC_OF_INTENT:
            return True
        # A short reply that holds the fact asked for ("trafficking in persons"), even if the
        # classifier took it for a question about the topic; a question is never an answer.
        words = text.lower().split()
        answered = requested in unsure or bool(ANSWERED_BY.get(requested, {requested}) & set(found))
        return answered and "?" not in text and len(words) <= SHORT_REPLY_WORDS \
            and bool(words) and words[0] not in QUESTION_WORDS

    @staticmethod
    def unusable_answer(dispatcher: CollectingDispatcher, tracker: Tracker, requested: str,
                        notes: List[str]) -> List[EventType]:
        """Re-ask once, kindly; the second time, move on without that fact."""
        if not tracker.get_slot("unusable_answers"):
            if "date_not_precise" in notes:
                dispatcher.utter_message(text="The law changed during that year, so I need to know whether it "
                                              "was before or after the date below.")
            else:
                dispatcher.utter_message(response="utter_reask")
            return [SlotSet("unusable_answers", 1)]
        dispatcher.utter_message(text="That's okay, let's skip that one.")
        skipped = list(tracker.get_slot("skipped_facts") or []) + [requested]
        return [SlotSet("skipped_facts", skipped), SlotSet("unusable_answers", 0)]


class ValidateVacaturForm(ScreeningFormValidation):
    topic = "vacatur"


class ValidateAffirmativeDefenseForm(ScreeningFormValidation):
    topic = "affirmative_defense"


class ValidateTestimonyForm(ScreeningFormValidation):
    topic = "compelled_testimony"


class ActionAskOffenseDate(Action):
    """The offense date question, with a choice on each side of the day the defense began."""

    def name(self) -> Text:
        return "action_ask_offense_date"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        began, _ = defense_in_edition(law_in_force_today())
        dispatcher.utter_message(
            text=f"When did it happen? The defense applies to things that happened on or after "
                 f"{began:%B %-d, %Y}. A month and year is enough.",
            buttons=choices_around([began]))
        return []


class ActionAskProceedingDate(Action):
    """When the prosecutor applied, asked only when the answer turns on it, with a choice on each side
    of the days the law changed (from the law engine, not from this module)."""

    def name(self) -> Text:
        return "action_ask_proceeding_date"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        assumed = date_that_matters("compelled_testimony", tracker.slots)
        days = list(assumed.boundaries) if assumed else date_boundaries("compelled_testimony")
        why = f" I ask because {assumed.why}, so the answer depends on the date." if assumed else ""
        dispatcher.utter_message(
            text=f"When did the prosecutor ask the court for the order (or when will they)?{why} A month and year "
                 "is enough.",
            buttons=choices_around(days))
        return []


class ActionAskAgeAtOffense(Action):
    def name(self) -> Text:
        return "action_ask_age_at_offense"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        _, age_limit = defense_in_edition(law_in_force_today())
        who = {"your_client": "was your client", "they": "were they"}.get(voice_of(tracker), "were you")
        dispatcher.utter_message(text=f"How old {who} when it happened? I ask because the defense is only for "
                                      f"people under {age_limit}.")
        return []


class ActionAskMinorInducedIntoSex(Action):
    """53a-192a(a)(2) is about a person under 18: asked as such when the age is not known."""

    def name(self) -> Text:
        return "action_ask_minor_induced_into_sex"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        age = tracker.get_slot("age_at_offense")
        were, them = {"your_client": ("Was your client", "them"),
                      "they": ("Were they", "them")}.get(voice_of(tracker), ("Were you", "you"))
        question = (f"Did someone get {them} into sexual contact with other people?"
                    if age is not None and age < ADULT_AGE
                    else f"{were} under 18 then, and did someone get {them} into sexual contact with other people?")
        dispatcher.utter_message(text=question + " For someone under 18 that is trafficking too.", buttons=[
            {"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"},
            {"title": "Not sure", "payload": "/unsure"}])
        return []


class ActionAskMaxPrisonYears(Action):
    def name(self) -> Text:
        return "action_ask_max_prison_years"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        limit = law_in_force_today().version("54-95c").parameters["vacatur"]["unclassified_felony_max_years"]
        dispatcher.utter_message(
            text=f"For an unclassified felony, what is the longest prison term the law sets for it? Only those "
                 f"of {limit:g} years or less can be vacated.",
            buttons=[
                {"title": f"{limit:g} years or less", "payload": f'/inform{{"prison_years": "{limit:g}"}}'},
                {"title": f"More than {limit:g} years", "payload": f'/inform{{"prison_years": "{limit + 1:g}"}}'},
                {"title": "Not sure", "payload": "/unsure"},
            ])
        return []


class ActionAnswerScreening(Action):
    """Apply the law to the facts gathered, store the determination, and say it in plain words."""

    def name(self) -> Text:
        return "action_answer_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        topic = tracker.get_slot("screening_topic") or "vacatur"
        determination = determine(topic, tracker.slots)
        library = load_library()
        edition_label = library.editions[determination.edition]["label"]
        assumed = date_that_matters(topic, tracker.slots)
        voice = voice_of(tracker)
        messages = answer_messages(determination, edition_label, assumed.note.text if assumed else None, voice)
        events: List[EventType] = [SlotSet("determination", json.dumps(determination.to_dict(), default=str))]
        buttons = [{"title": "What to do next", "payload": "/ask_next_steps"},
                   {"title": "Why?", "payload": "/ask_why"}]
        if topic == "vacatur":
            # The determination slot is cleared whenever a new conviction or screening starts.
            screened = screened_with(tracker.get_slot(SCREENED), determination, tracker.get_slot("offense_words"),
                                     same_conviction=bool(tracker.get_slot("determination")))
            events.append(SlotSet(SCREENED, screened))
            if len(screened) > 1:
                messages.append(screened_list_message(screened))
            waiting = tracker.get_slot(WAITING) or []
            if waiting:
                words = waiting[0].replace("_", " ")
                messages.append(f"You also mentioned {words}. Each conviction is decided separately: I can check "
                                f"that one next.")
                buttons.append({"title": f"Check the {words} conviction",
                                "payload": f'/another_conviction{{"offense": "{waiting[0]}"}}'})
            else:
                buttons.append({"title": "Check another conviction", "payload": "/another_conviction"})
        buttons += [{"title": "Summary for a lawyer", "payload": "/lawyer_summary"},
                    {"title": "Talk to a person", "payload": "/request_human"}]
        for text in messages[:-1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(text=messages[-1], buttons=buttons)
        return events


def screened_with(screened: Optional[List[Dict[str, Any]]], determination: Determination,
                  offense_words: Optional[str], same_conviction: bool) -> List[Dict[str, Any]]:
    """The convictions checked so far, with this one. A conviction answered again (a fact corrected
    after its answer) replaces its own entry rather than adding one."""
    entry = {"conviction": conviction_label(determination, offense_words), "outcome": determination.outcome,
             "summary": determination.summary, "citations": determination.citations[:4]}
    earlier = list(screened or [])
    if same_conviction and earlier:
        earlier.pop()
    return earlier + [entry]


class ActionAnotherConviction(Action):
    """Screen one more conviction: the facts about the person (their age, the trafficking) stay, the
    facts about the last conviction are cleared, and any new ones in this message are taken."""

    def name(self) -> Text:
        return "action_another_conviction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        dispatcher.utter_message(response="utter_another_conviction")
        return another_conviction_events(tracker)


def another_conviction_events(tracker: Tracker) -> List[EventType]:
    """Clear the last conviction's facts, keep the person's, and take the new conviction's from the message."""
    events: List[EventType] = []
    if tracker.active_loop.get("name"):
        events.append(ActiveLoop(None))
    events += [SlotSet(name, None) for name in CONVICTION_FACTS + BOOKKEEPING + ("requested_slot",)]
    found, _, _ = facts_in_message("vacatur", tracker.latest_message, None)
    events += [SlotSet(name, value) for name, value in found.items() if name in CONVICTION_FACTS
               or name == "offense_words"]
    events.append(SlotSet("screening_topic", "vacatur"))
    named = [e["value"] for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "offense"]
    events.append(SlotSet(WAITING, [o for o in tracker.get_slot(WAITING) or [] if o not in named[:1]]))
    return events


class ActionLawyerSummary(Action):
    """A summary to take to a lawyer: the facts as understood, each outcome with its sections and the
    version of the law with its date, what is still open, and what to bring. Built from the
    conversation's determinations; the web widget can print it from page memory."""

    def name(self) -> Text:
        return "action_lawyer_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        determination = stored_determination(tracker)
        if determination is None:
            dispatcher.utter_message(text="There is nothing to summarise yet: once I have checked your situation "
                                          "against the law, I can write a summary to take to a lawyer.")
            return []
        earlier = tracker.get_slot(SCREENED) or [] if determination.topic == "vacatur" else []
        if tracker.get_latest_input_channel() == "sms":
            dispatcher.utter_message(text=lawyer_summary(determination, earlier, compact=True))
            return []
        summary = lawyer_summary(determination, earlier)
        # The widget offers to print it from the page's memory; nothing is stored on the device.
        dispatcher.utter_message(text=summary, json_message={"lawyer_summary": summary})
        return []


def stored_determination(tracker: Tracker) -> Optional[Determination]:
    """The last determination, evaluated again from its own facts so nothing is re-typed by hand."""
    stored = tracker.get_slot("determination")
    if not stored:
        return None
    topic = json.loads(stored)["topic"]
    return determine(topic, tracker.slots)


class ActionExplainWhy(Action):
    """'Why?': inside a form, why this question matters; after an answer, the reasons element by element."""

    def name(self) -> Text:
        return "action_explain_why"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if tracker.active_loop.get("name") and requested in WHY_ASKED:
            reason = WHY_ASKED[requested]
            assumed = date_that_matters(tracker.get_slot("screening_topic"), tracker.slots)
            if assumed and assumed.fact == requested:
                reason = f"{assumed.why}, so the answer depends on the date."
            dispatcher.utter_message(text=f"I ask because {reason} You can say \"not sure\" or \"skip\".")
            return []
        determination = stored_determination(tracker)
        if determination is None:
            dispatcher.utter_message(text="I haven't given you an answer yet to explain. What would you like to "
                                          "know?")
            return []
        label = load_library().editions[determination.edition]["label"]
        for text in why_messages(determination, label, voice_of(tracker)):
            dispatcher.utter_message(text=text)
        return []


class ActionNextSteps(Action):
    def name(self) -> Text:
        return "action_next_steps"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        determination = stored_determination(tracker)
        if determination is None:
            dispatcher.utter_message(response="utter_help")
            return []
        dispatcher.utter_message(text=next_steps_message(determination, voice_of(tracker)))
        return []
