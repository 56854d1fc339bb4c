"""The law engine: Connecticut human-trafficking law as data and deterministic rules.

No Rasa here: the assistant, the CLI and the tests all call `evaluate`.
"""

from rules.determination import Determination, Note, Reason
from rules.engine import TOPICS, evaluate, facts_of
from rules.facts import InputError
from rules.law_library import EDITIONS, load_library

__all__ = ["Determination", "EDITIONS", "InputError", "Note", "Reason", "TOPICS", "evaluate", "facts_of",
           "load_library"]
