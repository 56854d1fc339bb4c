"""A question that names the section of a screening is a question about that screening.

Lawyers and advocates write the facts first and the question last ("53a-192a, client 16, trafficked
by the co-defendant. defense available?"). A linear classifier weighs the many facts over the short
question and reads it as `inform`, an answer given out of context, which gets only the menu. When
the message asks (it holds a question mark) and names exactly one screening's section, it is taken
as the question about that screening; an answer to a form's own question rarely asks one.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.safety_net import overrule_intent
from rules import affirmative_defense, compelled_testimony, vacatur

INFORM = "inform"
SCREENING_INTENT_OF_SECTION = {
    vacatur.SECTION: "ask_vacatur",
    affirmative_defense.SECTION: "ask_affirmative_defense",
    compelled_testimony.SECTION: "ask_compelled_testimony",
}


def screening_asked_about(message: Message) -> str:
    """The screening intent this message asks about, or "" when it is not such a question."""
    if (message.get(INTENT) or {}).get("name") != INFORM or "?" not in (message.get(TEXT) or ""):
        return ""
    named = {SCREENING_INTENT_OF_SECTION[e.get("value")] for e in message.get(ENTITIES) or []
             if e.get("entity") == "statute" and e.get("value") in SCREENING_INTENT_OF_SECTION}
    return named.pop() if len(named) == 1 else ""


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SectionQuestions(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SectionQuestions":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = screening_asked_about(message)
            if intent:
                overrule_intent(message, intent)
        return messages
