"""The start of a conversation, and erasing it."""

from __future__ import annotations

from typing import Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher


class ActionSessionStart(Action):
    """Every conversation starts by saying what the guide is, and is not, and how to leave."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        dispatcher.utter_message(response="utter_intro")
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionDeleteMyData(Action):
    """Erase this conversation. The tracker store (bot/stores.py) deletes every stored event of the
    conversation when it saves a turn in which this action ran; the next message starts afresh."""

    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        on_phone = tracker.get_latest_input_channel() == "sms"
        dispatcher.utter_message(text="Done. This conversation has been erased from our side. " + (
            "You may also want to delete these texts on your phone." if on_phone else
            "If this device is shared, you may also want to close this window."))
        return []
