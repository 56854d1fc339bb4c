"""The law engine: Connecticut human-trafficking law as data and deterministic rules.

No Rasa here: the assistant, the CLI and the tests all call `evaluate` (and `unstated_date`, to ask
for a date the answer turns on rather than assume it).
"""

from rules.determination import Determination, Note, Reason, UnstatedDate
from rules.engine import TOPICS, evaluate, facts_of, unstated_date
from rules.facts import InputError
from rules.law_library import EDITIONS, load_library

__all__ = ["Determination", "EDITIONS", "InputError", "Note", "Reason", "TOPICS", "UnstatedDate", "evaluate",
           "facts_of", "load_library", "unstated_date"]
