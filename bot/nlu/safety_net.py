"""Safety first, whatever the classifier thinks: a message with words of present danger (the
`danger` entity of LegalEntityExtractor, patterns in patterns.yml) is an emergency.

A linear classifier reads "im 16 and hes outside my door right now" as an answer about age as
readily as a cry for help; a missed emergency costs far more than an unneeded hotline number.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

EMERGENCY = "emergency"
DANGER = "danger"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if any(entity.get("entity") == DANGER for entity in message.get(ENTITIES) or []):
                if (message.get(INTENT) or {}).get("name") != EMERGENCY:
                    overrule_intent(message, EMERGENCY)
        return messages


def overrule_intent(message: Message, intent: str) -> None:
    """Make `intent` the message's intent, with certainty, ahead of the classifier's other guesses."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)
