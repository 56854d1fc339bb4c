"""The words by which a message speaks of the affirmative defense (53a-192a(b)) or of a charge.

Plain regular expressions with no Rasa import, so the NLU component (bot/nlu/said_plainly.py) and the
actions (actions/screening.py) tell the defense from a defense lawyer the same way.
"""

from __future__ import annotations

import re

SAYS_CHARGED = re.compile(r"\b(charged|charges?|charging|accused|petition|arrested|acusad[oa]s?|acusan|cargos?)\b",
                          re.IGNORECASE)
# A defense or a charge: "the defense attorney asked for it" names a lawyer, not the defense.
DEFENSE_OR_CHARGE_WORDS = re.compile(SAYS_CHARGED.pattern + r"|\b192a\b|\bdefen[cs]es?\b(?!\s+(attorney|lawyer|counsel|atty))"
                                     r"|\bdefensa\b", re.IGNORECASE)
# The defense by its name: "the affirmative defense", "192a(b)", "the trafficking victim defense".
NAMES_THE_DEFENSE = re.compile(r"(\baffirmative defen[cs]e|\(b\) defen[cs]e|\b192a\s*\(b\)|\bdefen[cs]e (for|of) (minors|"
                               r"people under 18|trafficking victims)|\btrafficking (victim )?defen[cs]e)(?!\w)", re.IGNORECASE)
# "the defense", not "the defense attorney" or "the defense's motion".
SAYS_THE_DEFENSE = re.compile(r"\b(the|this|that|her|his|my|their|a|an) defen[cs]e\b(?!\s*('s|s\b|attorney|lawyer|counsel|"
                              r"atty|team|side|investigator|expert|witness))|"
                              # "Does (b) apply - post-10/1/21 so in force?": the subsection of the defense, by its letter.
                              r"(\b192a\s*|\s|^)\(b\)\s+(appl\w*|availab\w*|work\w*|cover\w*)", re.IGNORECASE)
# The defense, or a trafficking charge to raise it against, where a conviction or an order to testify is in
# hand: "the FBI even said i was a victim but they still charged me" is the conviction's charge, told.
NAMES_THE_DEFENSE_OR_ITS_CHARGE = re.compile(
    r"\b(defen[cs]es?|defensa|192a|trafficking (charge|case|count)|"
    r"(charged|accused|arrested)\s+((me|her|him|them|us)\s+)?(with|of|for)\s+(\w+\s+)?traffick\w*|"
    r"also (charged|accused|arrested)|(i'?m|i am|im|she'?s|he'?s|shes|hes|is|are|was|were|got|been|being) "
    r"(charged|accused|arrested))\b(?!\s+(attorney|lawyer|counsel|atty))", re.IGNORECASE)
