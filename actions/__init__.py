"""Rasa SDK actions: thin adapters from slots to `rules` and back to words."""

from actions.information import ActionAnswerTopic, ActionReferrals  # noqa: F401
from actions.screening import (ActionAnswerScreening, ActionAskAgeAtOffense, ActionAskMaxPrisonYears,  # noqa: F401
                               ActionAskOffenseDate, ActionExplainWhy, ActionNextSteps, ActionStartScreening,
                               ValidateAffirmativeDefenseForm, ValidateTestimonyForm, ValidateVacaturForm)
from actions.session import ActionDeleteMyData, ActionSessionStart  # noqa: F401
