"""Fixes to Rasa 3.6 that the guide applies in the Rasa server process (measured with py-spy at 8
concurrent conversations; bench/bench_turns.py shows the effect).

- Rasa validates every action server response with `jsonschema.validate`, which checks the schema
  itself against its meta-schema on every call: with jsonschema 4.17 that is about 20 ms of CPU per
  action, more than half of all the server's work per turn. The response is still validated
  against the same schema, with a validator compiled once.
- Loading a conversation turns each stored event back into an object by searching every subclass of
  `Event` for its type name, once per event (7% of the work). The event types do not change while
  the server runs, so each name is looked up once.
- A failed action is logged by the kind of its error, never its text or traceback (see run_action).
- Rasa reads each message (tokenizer, featurizers, classifier, entity extractor) on the server's one
  event loop, so every other request, `GET /` included, waits while it does. The reading runs on a
  worker thread of its own instead, one message at a time as before (the components are not known
  to be safe to run at once); the event loop stays free (bench/bench_stall.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from functools import lru_cache
from typing import Any, Dict, List

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, ActionSessionStart, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, BotUttered, SlotSet, UserUttered
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_resolve_event_type = Event.resolve_by_type


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    return validator_for(spec)(spec)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        action_response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          f"from the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error


@lru_cache(maxsize=None)
def event_type_of(type_name: str) -> Any:
    try:
        return _resolve_event_type(type_name)
    except ValueError:
        return None


def resolve_event_type(type_name: str, default: Any = None) -> Any:
    found = event_type_of(type_name)
    if found is not None or type_name == "topic":
        return found
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = ("Sorry, I can't answer right now because of a problem on our side. Please try again "
                       "in a few minutes. If you are in danger, call 911. National Human Trafficking Hotline: "
                       "1-888-373-7888 (text 233733), any time.")
RETRY_VARIABLE = "RIGHTSGUIDE_ACTION_RETRY_SECONDS"
_original_run_action = MessageProcessor._run_action


def retry_seconds() -> float:
    return float(os.environ.get(RETRY_VARIABLE, "4"))


def unreachable(error: BaseException) -> bool:
    """Could the action server not be reached at all (as opposed to failing while running)?"""
    text = str(error)
    return "Couldn't connect" in text or isinstance(error, (ConnectionError, asyncio.TimeoutError))


def slots_before_latest_message(tracker: Any) -> List[SlotSet]:
    """SlotSet events that put back every slot changed since the person's latest message."""
    changed = set()
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, SlotSet):
            changed.add(event.key)
    if not changed:
        return []
    before = tracker.travel_back_in_time(tracker.latest_message.timestamp - 1e-6) if tracker.latest_message else None
    restored = []
    for name in sorted(changed):
        value = before.get_slot(name) if before is not None and name in before.slots else None
        if tracker.get_slot(name) != value:
            restored.append(SlotSet(name, value))
    return restored


async def run_action(self: MessageProcessor, action: Any, tracker: Any, output_channel: Any, nlg: Any,
                     prediction: Any) -> bool:
    """Rasa's `MessageProcessor._run_action`, except when the action fails: see the module notes."""
    deadline = time.monotonic() + retry_seconds()
    while True:
        try:
            temporary_tracker = tracker.copy()
            temporary_tracker.update_with_events(prediction.events, self.domain)
            events = await action.run(output_channel, nlg, temporary_tracker, self.domain)
            break
        except ActionExecutionRejection:
            tracker.update(ActionExecutionRejected(action.name(), prediction.policy_name, prediction.max_confidence))
            return self.should_predict_another_action(action.name())
        except Exception as error:
            if unreachable(error) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                continue
            session_start = action.name() == ACTION_SESSION_START_NAME and not isinstance(action, ActionSessionStart)
            outcome = "Rasa's own session start is used" if session_start else "the person was told to try again later"
            # The kind of error only: its words, and those of its causes, can carry the conversation (Rasa
            # wraps the action server's answer to a failed call, which rasa-sdk filled with the request).
            if unreachable(error):
                logger.error("The action server could not be reached for '%s': %s.", action.name(), outcome)
            else:
                logger.error("The action '%s' failed (%s): %s.", action.name(), type(error).__name__, outcome)
            if session_start:
                action = ActionSessionStart()  # needs no action server
                continue
            return await apologise(self, tracker, output_channel)
    return await _finish_action(self, action, tracker, output_channel, nlg, prediction, events)


async def _finish_action(self: MessageProcessor, action: Any, tracker: Any, output_channel: Any, nlg: Any,
                         prediction: Any, events: Any) -> bool:
    """The rest of Rasa's `_run_action`, unchanged: run it with an action that returns `events`."""
    class Done:
        def __init__(self) -> None:
            self.__dict__["_action"] = action

        def __getattr__(self, name: str) -> Any:
            return getattr(action, name)

        async def run(self, *_args: Any, **_kwargs: Any) -> Any:
            return events

    return await _original_run_action(self, Done(), tracker, output_channel, nlg, prediction)


async def apologise(self: MessageProcessor, tracker: Any, output_channel: Any) -> bool:
    apology = BotUttered(UNAVAILABLE_MESSAGE, metadata={"utter_action": "action_unavailable"})
    restored = slots_before_latest_message(tracker)
    await output_channel.send_response(tracker.sender_id, {"text": UNAVAILABLE_MESSAGE})
    tracker.update_with_events([apology, *restored, ActionExecuted(ACTION_LISTEN_NAME)], self.domain)
    return False


def classify_with_words(original: Any) -> Any:
    """A message of no words (empty, or spaces only) gets no regex features, so the classifier is
    handed fewer features than it was trained on and raises; the turn then gets no reply at all.
    Such a message is one the guide cannot understand: the fallback, which answers with the menu."""
    from rasa.shared.nlu.constants import TEXT

    from bot.nlu.safety_net import overrule_intent

    def process(self: Any, messages: List[Any]) -> List[Any]:
        wordless = [m for m in messages if not (m.get(TEXT) or "").strip()]
        for message in wordless:
            overrule_intent(message, "nlu_fallback")
        worded = [m for m in messages if m not in wordless]
        if worded:
            original(self, worded)
        return messages

    return process


_reader = None


def reader() -> Any:
    """The one thread that reads messages (created on first use, in the server process)."""
    global _reader
    if _reader is None:
        from concurrent.futures import ThreadPoolExecutor

        _reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")
    return _reader


_original_parse_with_graph = MessageProcessor._parse_message_with_graph


async def parse_message(self: MessageProcessor, message: Any, tracker: Any = None,
                        only_output_properties: bool = True) -> Dict[str, Any]:
    """Rasa's `MessageProcessor.parse_message`, with the reading of the message off the event loop."""
    from rasa.shared.core.trackers import DialogueStateTracker

    if self.http_interpreter:
        parse_data = await self.http_interpreter.parse(message)
    else:
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await asyncio.get_running_loop().run_in_executor(
            reader(), _original_parse_with_graph, self, message, tracker, only_output_properties)
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def apply() -> None:
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    if not getattr(LogisticRegressionClassifier.process, "classifies_with_words", False):
        LogisticRegressionClassifier.process = classify_with_words(LogisticRegressionClassifier.process)
        LogisticRegressionClassifier.process.classifies_with_words = True
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
    MessageProcessor._run_action = run_action
    MessageProcessor.parse_message = parse_message
