"""Fixes to Rasa 3.6 that the guide applies in the Rasa server process (measured with py-spy at 8
concurrent conversations; bench/bench_turns.py shows the effect).

- Rasa validates every action server response with `jsonschema.validate`, which checks the schema
  itself against its meta-schema on every call: with jsonschema 4.17 that is about 20 ms of CPU per
  action, more than half of all the server's work per turn. The response is still validated
  against the same schema, with a validator compiled once.
- Loading a conversation turns each stored event back into an object by searching every subclass of
  `Event` for its type name, once per event (7% of the work). The event types do not change while
  the server runs, so each name is looked up once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
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


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
