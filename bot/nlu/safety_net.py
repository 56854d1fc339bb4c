"""Safety first, whatever the classifier thinks: a message with words of present danger (the
`danger` entity of LegalEntityExtractor, patterns in patterns.yml) is an emergency.

A linear classifier reads "im 16 and hes outside my door right now" as an answer about age as
readily as a cry for help; a missed emergency costs far more than an unneeded hotline number.

A child describing being sold or used for sex is a `minor_disclosure` when the classifier found
nothing it could act on (a question about a word, small talk, words it could not place): they hear
plainly that it is trafficking and not their fault before anything else. A question about a
screening, facts for one, or an answer keep their intent: those actions say it first themselves.
"""

from __future__ import annotations

import re

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.disclosures import minor_described_being_sold_or_used_for_sex
from bot.topics import INFORMATION_TOPIC_OF_INTENT

EMERGENCY = "emergency"
DANGER = "danger"
MINOR_DISCLOSURE = "minor_disclosure"
FEAR = "fear"
SUICIDE = "suicide"
INFORM = "inform"
# Facts of someone's case, not of what is happening to them now (being sold or forced, an age, may be).
FACTS_OF_A_CASE = {"conviction", "court", "offense", "offense_class", "statute", "proceeding", "privilege", "prison_years",
                   "role"}
# Intents whose own actions tell a child first (actions/screening.py say_first_to_a_minor).
SAYS_IT_ITSELF = {"ask_vacatur", "ask_affirmative_defense", "ask_compelled_testimony", "inform", "affirm", "deny",
                  "unsure", "correct", EMERGENCY, "ask_privacy", *INFORMATION_TOPIC_OF_INTENT}

# A bare yes, no or not sure with fear in it ("The man I work for took my passport ... I don't know what to
# do") is answered as an emergency: the screening keeps the answer (actions/screening.py
# ActionEmergencyInAForm), and outside one there is no question for the answer's action to go back to.
SAYS_FEAR_ITSELF = SAYS_IT_ITSELF - {"affirm", "deny", "unsure", "correct"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            intent = (message.get(INTENT) or {}).get("name")
            dangers = {entity.get("value") for entity in entities if entity.get("entity") == DANGER}
            if SUICIDE not in dangers and SAYS_SELF_HARM.search(message.get(TEXT) or ""):
                # Words of self-harm with words between them ("better off if i just wasnt here anymore",
                # "hoping I don't wake up"), which a list of phrases misses.
                entities = entities + [said_at_the_end_of(message, SUICIDE)]
                message.set(ENTITIES, entities, add_to_output=True)
                dangers.add(SUICIDE)
            if SUICIDE in dangers:
                message.set(ENTITIES, self_harm_last(entities), add_to_output=True)
            # Fear is answered first too, but where the person asked something the actions can answer,
            # they say the safety line and answer it (actions/screening.py say_first).
            if intent == EMERGENCY and dangers <= {FEAR} and exploitation_told_of_the_past(message):
                # "Her partner made her break into the houses by threatening to hurt her kids": how someone was
                # trafficked, told as what happened then. The safety line still comes first, and the facts go
                # on to the screening instead of being lost to the emergency reply.
                if not dangers:
                    message.set(ENTITIES, entities + [said_at_the_end_of(message, FEAR)], add_to_output=True)
                overrule_intent(message, INFORM)
            elif dangers - {FEAR} or (FEAR in dangers and (intent == EMERGENCY or intent not in SAYS_FEAR_ITSELF)):
                # Always with certainty: an emergency the classifier itself ranked first, but unsure,
                # would otherwise fall to the fallback ("i cut myself again last nite").
                overrule_intent(message, EMERGENCY)
            elif intent == EMERGENCY and not dangers and FACTS_OF_A_CASE & {e.get("entity") for e in entities}:
                # The classifier alone heard an emergency in the facts of a case ("he told them he wasnt going
                # to answer because it might get him in trouble"): the safety line still comes first, as for
                # fear, and the facts go on to the screening.
                message.set(ENTITIES, entities + [said_at_the_end_of(message, FEAR)], add_to_output=True)
                overrule_intent(message, INFORM)
            elif intent not in SAYS_IT_ITSELF and minor_described_being_sold_or_used_for_sex(entities):
                overrule_intent(message, MINOR_DISCLOSURE)
            if (message.get(INTENT) or {}).get("name") == EMERGENCY and SUICIDE not in dangers \
                    and HINTS_OF_SELF_HARM.search(message.get(TEXT) or ""):
                # "thinking about taking all my moms pills tonight. nobody would even notice": in an emergency,
                # a hint of self-harm is enough for 988 too; an unneeded number costs little.
                message.set(ENTITIES, (message.get(ENTITIES) or []) + [said_at_the_end_of(message, SUICIDE)],
                            add_to_output=True)
        return messages


# Words that put what is told in the present, where it may be happening now.
PRESENT_TIME = re.compile(r"\b(now|rn|tonight|today|currently|still|anymore|is|are|am|i'?m|im|he'?s|hes|she'?s|shes|"
                          r"they'?re|keeps?|won'?t let|ahora|todav[ií]a|hoy|esta noche)\b", re.I)


def exploitation_told_of_the_past(message: Message) -> bool:
    told = any(entity.get("entity") == "exploitation" for entity in message.get(ENTITIES) or [])
    return told and not PRESENT_TIME.search(message.get(TEXT) or "")


def said_at_the_end_of(message: Message, value: str) -> Dict[str, Any]:
    """A danger the SafetyNet read in the message as a whole, placed at its end (no words of its own)."""
    end = len(message.get(TEXT) or "")
    return {"entity": DANGER, "value": value, "start": end, "end": end, "extractor": "SafetyNet"}


_GAP = r"(\w+\W+){0,3}?"
SAYS_SELF_HARM = re.compile(
    r"\bbetter off\W+" + _GAP + r"(without me|if i\W+" + _GAP + r"(was|were|wasn'?t|weren'?t|wasnt|werent|died|disappeared|"
    r"went|left|slept)"
    r"\W+" + _GAP + r"(gone|here|around|dead|alive|born)?)|"
    r"\b(wasn'?t|weren'?t|wasnt|werent|not being|not be)\W+" + _GAP + r"(here|around|alive) any ?more\b|"
    r"\b(hop(e|es|ed|ing)|wish(es|ed|ing)?|pray(s|ed|ing)?)\W+" + _GAP + r"(i|that i)?\W*(don'?t|do not|dont|never|won'?t|wont|"
    r"wouldn'?t) (ever )?(wake|woke|waking) up\b|"
    r"\b(burn|burning|burned|cut|cutting|hurt|hurting|harm|harming|starv\w+|hit|hitting)\w* myself\b|"
    r"\b(kill|end|ending|take|taking)\W+" + _GAP + r"(my own life|my life|myself)\b|"
    r"\bno quiero (despertar|seguir viviendo|vivir)|\bquitarme la vida\b|"
    # "went to sleep and didnt wake up", "holding my moms pills ... thinking about taking all of them"
    r"\bsleep\b(\W+\w+){0,4}?\W+(and )?(didn'?t|didnt|never|not|don'?t|dont|wouldn'?t|won'?t|wont) (ever )?(wake|woke|waking) up\b|"
    r"\b(pills?|meds|medication|pastillas)\b(\W+\w+){0,8}?\W+(tak\w+|swallow\w*|took|tomar\w*)\W+"
    r"(all|every|the whole|a bunch|todas?)\b|"
    r"\b(tak\w+|swallow\w*|took|tomar\w*)\W+(all|every|the whole|a bunch|todas?)\b(\W+\w+){0,3}?\W+(pills?|meds|pastillas)\b|"
    r"\b(ya )?no quiero (estar|seguir) (aqu[ií]|aca|acá|viv\w+)|\bnavaja\b|\bcuchilla\b|\b(razor|blade)\b|"
    r"\bme quiero cortar\b|"
    # "i dont think ill be around much longer", "might not be here tomorrow"
    r"\b(won'?t|wont|not gonna|not going to|(don'?t|dont|do not) think (i'?ll|ill|i will)|may not|might not|wo?n'?t)\W+"
    r"(even )?be (around|here|alive)\W+(much |for )?(long|longer|anymore|any more|tomorrow|next week)\b|"
    # "stepping in front of the train ... ending all of it", "acabar con todo"
    r"\b(step\w*|jump\w*|walk\w*|throw\w* myself|tirarme|aventarme)\W+(out )?(in front of|frente al?)\W+(\w+\W+){0,3}?"
    r"(train|bus|subway|truck|traffic|car|tren|metro|carro|cami[oó]n)\b|"
    r"\b(jump\w*|tirarme|aventarme)\W+(off|from|del|de)\W+(\w+\W+){0,2}?(bridge|roof|building|puente|techo|edificio)\b|"
    r"\b(to|wanna|want to|gonna|going to|just|about|and)\W+(end|ending)\W+(it all|all of it|everything|my pain)\b|"
    r"\bacabar con (todo|mi vida)\b|"
    # "id rather be dead than go to detention", "i wish i was dead", "prefiero estar muerta"
    r"\b(i'?d|id|i would|i'?d just) (rather|sooner) (be dead|die|not be alive|not exist|not be here)\b|"
    r"\bwish (i|i'?d) (was|were|had been|could be) (dead|never born|gone)\b|"
    r"\bprefiero (estar muert[oa]|morir\w*|no existir)\b|"
    # "i just want it all to stop", "quiero que todo se acabe": wanting everything to end.
    r"\b(want|wanna|wish|need)\w*\s+(it all|everything|all of it|the pain|all this|life)\s+to\s+(stop|end|be over)\b|"
    r"\bquiero que (todo|esto) (se acabe|termine|pare)\b|"
    # "i been thinking about how to do it", said of dying: a plan.
    r"\b(thinking|thought|thinkin) (about|of|bout) (how|ways) (to|i could|i would|i'?d) (do it(?! (right|correctly|properly|better|legally|the right way))|end it|die|"
    r"kill myself|end my life)\b",
    re.IGNORECASE)


HINTS_OF_SELF_HARM = re.compile(
    r"\b(pills?|pastillas|meds|overdos\w*|die|dying|dead|alive|morir\w*|muert[oa]|end (it|things|my life)|"
    r"(cut|cutting|hurt|hurting|kill|killing) myself|jump (off|from)|hang myself|bridge|"
    r"(nobody|no one|noone|nadie) (would|will|wud|'?d)? ?(even )?(notice|care|miss me)|(notar|extra[ñn]ar)\w*|"
    r"not (be )?here anymore|gone forever|disappear|(have|got|made) a plan|can'?t (do|take) (this|it) any ?more|"
    r"ya no puedo|what'?s the point|whats the point|no point (in|to) (anything|living|going on)|"
    r"(be )?around much longer|para qu[eé] seguir)\b", re.IGNORECASE)


def self_harm_last(entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The danger_kind slot keeps the last danger said, so words of self-harm go last: "i keep cutting
    myself since i got away from him, tonight its really bad" gets 988 as well as 911."""
    return sorted(entities, key=lambda e: e.get("entity") == DANGER and e.get("value") == SUICIDE)


# The classifier's other guesses stay in the ranking (the routing of facts reads them) but below this,
# so the FallbackClassifier never finds an overruled intent "ambiguous" with the guess it replaced.
OVERRULED_CEILING = 0.9


def overrule_intent(message: Message, intent: str) -> None:
    """Make `intent` the message's intent, with certainty, ahead of the classifier's other guesses."""
    ranking = [{**r, "confidence": min(r.get("confidence") or 0.0, OVERRULED_CEILING)}
               for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)
