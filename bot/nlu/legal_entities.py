"""The Rasa 3.6 NLU component of the rule-based extractor (bot/nlu/extractor.py): it adds the
extractor's entities, with confidence 1.0 and this extractor's name, to each message. All the reading
of words is in the extractor, which the action server and the tests use without Rasa.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.extractor import (ENTITY_TYPES, EXTRACTOR_NAME, PATTERNS_PATH, LegalEntityEngine, PatternsError,
                               engine_for_content, extract, get_engine, patterns_fingerprint)

__all__ = ["LegalEntityExtractor", "PatternsError", "PATTERNS_PATH", "extract", "get_engine", "patterns_fingerprint"]



@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class LegalEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based extractor of Connecticut legal entities (patterns in patterns.yml).

    "Training" stores the patterns file inside the model, so a model answers the same wherever it
    is loaded, and `fingerprint_addon` makes any edit of the patterns retrain this component
    (Rasa would otherwise reuse its cached result).

    Config:
        patterns_file: path of the patterns file (default: bot/nlu/patterns.yml).
        entities: the entity types to output (default: all of them).
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"patterns_file": None, "entities": None}

    @staticmethod
    def required_packages() -> List[str]:
        return ["spacy"]

    @classmethod
    def _patterns_path(cls, config: Dict[str, Any]) -> Path:
        return Path(config.get("patterns_file") or PATTERNS_PATH)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Hash of the patterns file, so a change to the patterns invalidates caches."""
        return patterns_fingerprint(cls._patterns_path(config))

    def __init__(self, config: Dict[str, Any], model_storage: Optional["ModelStorage"] = None,
                 resource: Optional["Resource"] = None, engine: Optional[LegalEntityEngine] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        only = self._config.get("entities")
        if only:
            unknown = set(only) - set(ENTITY_TYPES)
            if unknown:
                raise ValueError(f"{EXTRACTOR_NAME}: unknown entities {sorted(unknown)}")
        self._only = frozenset(only) if only else None
        self._model_storage, self._resource = model_storage, resource
        self._engine = engine or get_engine(self._patterns_path(self._config), reload=True)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LegalEntityExtractor":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Keep the patterns the model was trained with inside the model."""
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "patterns.yml").write_bytes(self._patterns_path(self._config).read_bytes())
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LegalEntityExtractor":
        try:
            with model_storage.read_from(resource) as directory:
                engine = engine_for_content((directory / "patterns.yml").read_bytes())
        except (ValueError, FileNotFoundError):
            engine = None  # a model trained before the patterns were stored: read the file
        return cls(config, model_storage, resource, engine)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Appends this extractor's entities to each message's entities."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: e["entity"],
                    ENTITY_ATTRIBUTE_VALUE: e["value"],
                    ENTITY_ATTRIBUTE_START: e["start"],
                    ENTITY_ATTRIBUTE_END: e["end"],
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.name,
                }
                for e in self._engine.extract(text)
                if self._only is None or e["entity"] in self._only
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
