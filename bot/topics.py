"""Which law-engine topic each informational intent asks about: read by the action that answers it
(actions/information.py) and by the anonymous report (bot/report.py). No Rasa import, so both the
action server and the Rasa server can use it."""

INFORMATION_TOPIC_OF_INTENT = {
    "ask_trafficking_definition": "definition",
    "ask_penalty": "penalty",
    "ask_training": "training",
    "ask_council": "council",
    "ask_effective_date": "effective_date",
    "ask_what_changed": "what_changed",
}
