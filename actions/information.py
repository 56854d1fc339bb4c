"""Questions answered from the law data: definitions, penalties, training, the council, dates, changes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.facts import entity_values
from actions.render import citation_line
from actions.screening import facts_said_in_passing, say_first
from bot.topics import INFORMATION_TOPIC_OF_INTENT
from rules import evaluate, load_library
from rules.council import MEMBER_KINDS
from rules.penalty import OFFENSES

ORGANISATION_FILE = Path(os.environ.get("ORGANISATION_CONFIG", Path(__file__).parent.parent / "organisation.yml"))
SHOW_REASONS = {"training", "council", "effective_date"}  # the detail is the answer
SHOW_FIRST_CAVEAT = {"definition", "penalty"}  # whether it applies to a person is for a court
SHOW_LIST_STATUS = {"council"}  # its first caveat, if any, says the list is not fully verified
# People named by their role ("is there a judge on it") ask about the seats of that kind.
MEMBER_KIND_OF_ROLE = {
    "police": "police", "judge": "courts",
    "prosecutor": "prosecutors", "states_attorney": "prosecutors", "chief_states_attorney": "prosecutors",
    "deputy_chief_states_attorney": "prosecutors",
    "public_defender": "defense_lawyers", "defense_lawyer": "defense_lawyers",
}
STATEWIDE_REFERRALS = ("national_hotline", "ct_211", "ovs_helpline", "dcf_careline")


def facts_for(topic: str, tracker: Tracker) -> Dict[str, Any]:
    values = entity_values(tracker.latest_message)
    if topic == "penalty":
        offense = (values.get("offense") or [None])[0]
        age = (values.get("age") or [None])[0]
        facts = {"offense": offense} if offense in OFFENSES else {}
        if age is not None and offense == "commercial_sexual_abuse_of_a_minor":
            facts["minor_age"] = int(age)
        return facts
    if topic == "council":
        kinds = [k for k in values.get("council_member") or [] if k in MEMBER_KINDS]
        kinds += [MEMBER_KIND_OF_ROLE[r] for r in values.get("role") or [] if r in MEMBER_KIND_OF_ROLE]
        return {"member_kind": kinds[0]} if kinds else {}
    if topic in ("effective_date", "what_changed"):
        amended = {s.statute for s in load_library().bill_sections.values()}
        statute = next((s for s in values.get("statute") or [] if s in amended), None)
        return {"section": statute} if statute else {}
    return {}


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        say_first(dispatcher, tracker)
        intent = tracker.latest_message.get("intent", {}).get("name")
        topic = INFORMATION_TOPIC_OF_INTENT.get(intent, "definition")
        determination = evaluate(topic, facts_for(topic, tracker))
        if topic == "penalty" and determination.outcome == "need_more_facts" and "offense" in determination.missing_facts:
            # "Evidence she was a victim of sex trafficking under 18 USC 1591 ... Mandatory or discretionary?": no
            # offense to give a penalty for, and facts of the screening being asked, which its answer will take.
            kept = facts_said_in_passing(tracker, requested=tracker.get_slot("requested_slot")) \
                if tracker.active_loop.get("name") else []
            if any(event.get("name") != "skipped_facts" for event in kept):
                return kept
            dispatcher.utter_message(text="Which offense do you mean?", buttons=[
                {"title": o.replace("_", " ").capitalize(), "payload": f'/ask_penalty{{"offense": "{o}"}}'}
                for o in OFFENSES])
            return []
        messages = [determination.summary]
        if topic in SHOW_REASONS:
            messages.append("\n".join(r.explanation for r in determination.reasons))
        shown = [c.text for c in determination.caveats if c.with_answer]  # what is not certain, never left out
        if topic in SHOW_FIRST_CAVEAT | SHOW_LIST_STATUS and determination.caveats:
            shown = list(dict.fromkeys([determination.caveats[0].text] + shown))
        messages += shown
        messages.append(f"Law: {citation_line(determination.citations)} (current law, as of "
                        f"{determination.as_of:%b %-d, %Y}).")
        for text in messages:
            dispatcher.utter_message(text=text)
        if tracker.active_loop.get("name") or (tracker.get_slot("screening_topic") and not tracker.get_slot("determination")):
            # "nobody made me, i was on my own ... does it still qualify?": the question is answered, and the
            # facts said with it are kept for the screening it was asked in (or left for it, right after its
            # notice: "An older man was selling her ... I dont know if the law calls that trafficking").
            return facts_said_in_passing(tracker, requested=tracker.get_slot("requested_slot"))
        return []


class ActionAnswerPrivacy(Action):
    """Who can see this chat: for a person who fears someone reads their phone, the safety line first."""

    def name(self) -> Text:
        return "action_answer_privacy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        say_first(dispatcher, tracker)
        dispatcher.utter_message(response="utter_privacy")
        return []


def referral_lines() -> List[str]:
    """The organisation's own contacts first, then the statewide ones from the law data."""
    own = (yaml.safe_load(ORGANISATION_FILE.read_text()) or {}) if ORGANISATION_FILE.is_file() else {}
    lines = []
    for contact in own.get("referral_contacts") or []:
        lines.append(" - ".join(str(contact[k]) for k in ("name", "phone", "hours") if contact.get(k)))
    library = load_library()
    for contact_id in STATEWIDE_REFERRALS:
        contact = library.contact(contact_id)
        how = f"call {contact['phone']}" + (f", text {contact['text']}" if contact.get("text") else "")
        lines.append(f"{contact['name']}: {how}" + (f" ({contact['hours']})" if contact.get("hours") else ""))
    return lines


class ActionReferrals(Action):
    def name(self) -> Text:
        return "action_referrals"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        dispatcher.utter_message(text="You can talk to a person here:\n" + "\n".join(referral_lines()))
        return []
