"""Intents that change the conversation's course need the words that say so: the classifier's guess is
not enough when a wrong guess ends a screening, erases a conversation, or drops a person's facts.

- `stop` only on words that say stop: "not so far", "not really" are answers, not a wish to leave.
- `delete_my_data` only on words about erasing this chat, never about a record: "can they erase my
  record", "quiero borrar mi condena" ask to clear a conviction, and must not erase the conversation.
- "Wait, they also charged me with trafficking" is a new matter, not a correction: the screening it
  asks about, when the classifier ranks one close behind.
- "another state" is where this conviction was, not another conviction.
- A message that carries the facts of a case (a conviction, a court, what was done to the person) is
  facts, even when the classifier reads it as "why?", "what next?" or a bare yes, no or not sure.

When a gate refuses the classifier's intent, the next one in its ranking is taken (or `inform` for
facts); the rules and forms then treat the message as what it is.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.defense_words import DEFENSE_OR_CHARGE_WORDS, NAMES_THE_DEFENSE, SAYS_CHARGED, SAYS_THE_DEFENSE
from bot.nlu.disclosures import FOUND_DELINQUENT, says_under_18
from bot.nlu.safety_net import overrule_intent
from bot.topics import INFORMATION_TOPIC_OF_INTENT

STOP, DELETE, INFORM, CORRECT = "stop", "delete_my_data", "inform", "correct"
ANOTHER_CONVICTION = "another_conviction"
# Another conviction is said with a word for one: "another conviction", "my other case", "the next one".
SAYS_ANOTHER_CONVICTION = re.compile(r"\b(convictions?|cases?|charges?|records?|ones?|offenses?|arrests?|"
                                     r"condenas?|casos?|cargos?|next|siguiente)\b|^\W*(check|one more)\b",
                                     re.IGNORECASE)
SAYS_ANOTHER = re.compile(r"\b(another|other|second|2nd|third|next|also|too|more|else|otra|otro|otras|otros|siguiente|"
                          r"m[aá]s|different|diferente|besides|aparte|tambi[eé]n|same for|now check)\b|^\W*(check|one more)\b",
                          re.IGNORECASE)
# "Are you a bot?" names the guide: "idk who they are, they say they are from the court" is about someone else.
BOT_CHALLENGE = "bot_challenge"
MINOR_DISCLOSURE = "minor_disclosure"
SAYS_WHAT_THE_GUIDE_IS = re.compile(r"\b(you|u|ur|your|yours|this|these|bot|robot|human|ai|chat ?gpt|gpt|siri|alexa|"
                                    r"automat\w*|auto|software|recording|typing|texting|talking to|answering|other (side|end)|computer|"
                                    r"program|real|person|anyone|"
                                    r"usted|eres|humano|persona|m[aá]quina)\b", re.IGNORECASE)
SCREENING_INTENTS = ("ask_vacatur", "ask_affirmative_defense", "ask_compelled_testimony")
# "they also charged me with trafficking": a new matter, not a change to an answer.
SAYS_ALSO = re.compile(r"\b(also|another|other|too|as well|second|third|fourth|fifth|next|tambi[eé]n|otr[oa])\b",
                       re.IGNORECASE)
# Ways people say stop, in English and Spanish. Not "para" (for) nor "alto" (high), and not a stop the
# person cannot make ("i've been cutting again and i can't stop"), nor a stop they do not want.
SAYS_STOP = re.compile(
    r"\b(stop+|quit|cancel|end|exit|enough|done|finish(ed)?|forget it|never ?mind|leave (it|me alone)|drop it|"
    r"no more|(do ?n[o']?t|dont|do not) want|not doing this|changed my mind|later|bye|goodbye|"
    r"parar|paren|p[aá]rale|basta|ya no quiero|no quiero (seguir|hablar|continuar)|termina(r)?|cancela(r)?|"
    r"adi[oó]s)\b", re.IGNORECASE)
NOT_A_STOP = re.compile(r"\b(can'?t|cannot|won'?t|wont|doesn'?t|didn'?t|don'?t|dont|never|couldn'?t|no (quiero|puedo)|"
                        r"not)\s+(\w+\s+)?(stop|quit|parar)\b", re.IGNORECASE)
# A stop is said in a few words, or at the start: a long message with "stop" inside tells something else.
WORDS_OF_A_STOP = 10


# Erasing this conversation: a delete word, and something of the chat's, or nothing else at all.
SAYS_ERASE = re.compile(r"\b(delete|erase|remove|wipe|clear|forget|get rid of|borra(r|lo)?|elimina(r|lo)?)\b", re.IGNORECASE)
ABOUT_THE_CHAT = re.compile(r"\b(chat|conversation|messages?|texts?|data|info(rmation)?|history|this|"
                            r"what i'?(ve)? ?(said|wrote|written|typed|told you|sent)|written here|on your (side|end)|"
                            r"everything|conversaci[oó]n|mensajes|datos|todo|esto)\b", re.IGNORECASE)
ABOUT_A_RECORD = re.compile(r"\b(records?|convictions?|charges?|case|arrests?|criminal|prostitution|prostituci[oó]n|"
                            r"condena|antecedentes|cargos?|caso|arresto|expunge\w*|vacat\w*)\b", re.IGNORECASE)
# Questions about an answer, or a bare yes, no or not sure: with two facts of a case, they are facts.
FACT_ENTITIES = {"conviction", "court", "offense", "offense_class", "statute", "exploitation", "age", "proceeding",
                 "privilege", "prison_years"}
WORDS_OF_A_BARE_ANSWER = 10
WORDS_OF_A_GREETING = 3
# Within one sentence: "make him talk. idk who, some lawyer" does not ask for a lawyer.
ASKS_FOR_A_PERSON = re.compile(r"\b(talk|speak|call|contact|connect|reach|need|want|get|find|hablar|necesito|quiero)\b"
                               r"([^\w.!?]+\w+){0,4}?[^\w.!?]+(person|human|lawyer|attorney|someone|somebody|advocate|"
                               r"abogad[oa]|persona|alguien)", re.IGNORECASE)
A_PERSON_ASKED_FOR = re.compile(r"\b(human|humano|real person|persona real|live person|operator|agent|agente|"
                                r"someone real|somebody real|a person|una persona|alguien|someone|somebody|advocate|"
                                r"lawyer|attorney|abogad[oa])\b\W*(please|pls|plz|por favor|now|ya)?\W*$|^\W*(human|person|"
                                r"lawyer|attorney|advocate|abogad[oa]|persona|humano)\b", re.IGNORECASE)
NOT_FACTS = {"ask_why", "ask_next_steps", "affirm", "deny", "unsure", "greet", "thank", "out_of_scope", "request_human"}
BARE_ANSWERS = {"affirm", "deny", "unsure"}
ASKS_WHY = re.compile(r"\b(why|how come|explain\w*|reason\w*|por qu[eé]|explica\w*)\b", re.IGNORECASE)
ASKS = re.compile(r"\?|^\W*(what|whats|how|why|when|where|which|who|can|could|should|do|does|is|are|que|qu[eé]|c[oó]mo|"
                  r"por ?qu[eé]|cu[aá]ndo|d[oó]nde|puedo|puede)\b", re.IGNORECASE)


def says_stop(text: str) -> bool:
    text = text or ""
    said = SAYS_STOP.search(text)
    if not said or NOT_A_STOP.search(text):
        return False
    return len(text.split()) <= WORDS_OF_A_STOP or len(text[:said.start()].split()) <= 5


def says_erase_this_chat(text: str) -> bool:
    text = text or ""
    if not SAYS_ERASE.search(text) or ABOUT_A_RECORD.search(text):
        return False
    return bool(ABOUT_THE_CHAT.search(text)) or len(text.split()) <= 3


def carries_facts(intent: Optional[str], text: str, entities: List[Dict[str, Any]]) -> bool:
    """Two facts of a case said without a question are facts; so is one fact where the classifier heard
    a bare yes, no or not sure that no word of the message says ("its class B not D")."""
    facts = sum(1 for e in entities if e.get("entity") in FACT_ENTITIES)
    # "So yes, trafficked at the time. What's the answer?": facts, then a call for the answer they lead to.
    if ASKS.search(ASKS_FOR_THE_ANSWER.sub("", text)):
        return False
    said_an_answer = any(e.get("entity") == "answer" for e in entities)
    # "No, she has not refused anything or said the fifth. She hasn't talked to them at all yet": more than a no.
    more_than_an_answer = len(text.split()) > WORDS_OF_A_BARE_ANSWER
    # "nah nobody made me do nothing": the no is the denial it states, said as a fact (after the notice
    # before the questions it is an answer, not "not now").
    denials = [e for e in entities if e.get("entity") in FACT_ENTITIES]
    if intent == "deny" and denials and all(str(e.get("value", "")).startswith("not_") for e in denials):
        return True
    # "i had just turned 18 like a week before": a fact, not something the guide cannot help with;
    # "misdemeanor, eso me dijo el abogado": a fact, not a request to talk to a person.
    # "mi hijo dijo que no va a hablar porque se puede incriminar": a reason given, not a why asked.
    return facts >= 2 or (facts >= 1 and intent in ("out_of_scope", "ask_why") and not ASKS_WHY.search(text)) \
        or (facts >= 1 and intent == "request_human" and not ASKS_FOR_A_PERSON.search(text)) \
        or (facts >= 1 and intent in BARE_ANSWERS and (not said_an_answer or more_than_an_answer)) \
        or (facts >= 1 and intent == "greet" and len(text.split()) > WORDS_OF_A_GREETING)  # "yo they sayin i trafficked somebody"


ASKS_FOR_THE_ANSWER = re.compile(r"(\b(what'?s|what is|so what'?s) (the|your) (answer|outcome|result|verdict|bottom line)|"
                                 r"\bwhere does that leave (us|her|him|them|me)|\bso what now)\s*\?+", re.IGNORECASE)


# "wait no i was 17 ... this was october 2022": a correction, whatever question the classifier heard in it.
SAYS_A_CORRECTION = re.compile(r"^\W*(wait|hold on|hang on|sorry|oops|actually|correction|i meant|no wait|oh no|oh wait|"
                               r"my bad|i was wrong|i made a mistake|perd[oó]n|espera|me equivoqu[eé]|en realidad)\b",
                               re.IGNORECASE)


def opens_with_a_correction(text: str) -> bool:
    return bool(SAYS_A_CORRECTION.search(text)) and "?" not in text


# Words about testifying: with no conviction named, the screening is the order to testify (54-47a).
SAYS_TESTIFY = re.compile(r"\b(testif\w*|testimony|witness|take the stand|subpoena\w*|immunity|testific\w*|"
                          r"declarar|declare|declaro|declaren|testigo|inmunidad|"
                          # "called my sister for her trafficker's trial", "llamó a mi hermana para el juicio"
                          r"(call\w*|cit\w+|llam\w+)( a)? (me|her|him|them|us|my \w+|mi \w+|su \w+|a \w+)"
                          r" (to|for|as|into|para|como|a)( the| a| el| la)? (trial|court|stand|juicio|corte)|"
                          # "asked the judge to make him talk", "quieren obligarla a hablar": made to answer.
                          r"(mak\w*|forc\w*|compel\w*|order\w*|oblig\w*) (me|her|him|them|us|lo|la|los|las)( to| a)? "
                          r"(talk|answer|speak|hablar|contestar)(?!\s+(to|with|con|a)\s+(new|other|the|some|those|these|more|"
                          r"girls|guys|men|women|people|clients|johns|them|otras|otros|chicas|hombres)\b)|"
                          # "the state lawyer wants me to answer questions" at a hearing: questions put to a witness.
                          r"answer (the |some |their |his |her )?questions)\b"
                          r"(?!\s+(no\s+)?(culpable|inocente|guilty|not guilty))", re.IGNORECASE)
# A record to clear: "can that be vacated?", "get it off my record", "borrar la condena".
SAYS_A_RECORD_TO_CLEAR = re.compile(r"\b(vacat\w*|expung\w*|off (my|her|his|their) record|clear (my|her|his|their) "
                                    r"record|seal\w* (my|her|his) record|borrar|anular)\b", re.IGNORECASE)
NOT_KNOWING_WHETHER = re.compile(r"^\W*(idk|i don'?t know|i do not know|dont know|don'?t know|not sure|no idea|dunno|"
                                 r"no s[eé])\W+(if|whether|si)\b", re.IGNORECASE)
# Goodbye needs a word of leaving: "i saved up my pills and im gonna take them all tonight" is not one.
SAYS_GOODBYE = re.compile(r"\b(bye|goodbye|good night|goodnight|night|(see (you|ya)|talk|catch (you|ya)|ttyl|bye) later|"
                          r"^\W*later\W*$|gotta go|got to go|have to go|need to go|"
                          r"see (you|ya)|ttyl|take care|thanks|thank you|thx|ty|adi[oó]s|chao|chau|nos vemos|gracias|"
                          r"that'?s all|done|leaving|go now|log(ging)? off|sign(ing)? off|have a good (one|day|night)|farewell|"
                          r"check back)\b", re.IGNORECASE)
# "he kept all the money i made, is that trafficking": a question, wherever it is asked.
# "do"/"does" asks only where a clause begins ("so does that count", "how do i"): "nobody made me do it",
# "he told me to always do that" say what was done.
ASKS_ANYWHERE = re.compile(r"(\b(is|would|could|can|are|was)|(^|[.,;:!?(]\s*|\b(and|but|so|or|then|also|how|what|when|"
                           r"where|why|which|who|y|pero)\s+)(does|do)) (that|this|it|i|he|she|they)\b", re.IGNORECASE)
ABOUT_THE_LAW = re.compile(r"\b(law|laws|bill|act|statute|section|effect|effective|changed?|changes|penalt\w*|training|"
                           r"council|definition|define|mean|means|ley|leyes)\b", re.IGNORECASE)
# Three or more facts of a case are a case, even in a question about a word ("not sure if this counts as
# trafficking. i was convicted of prostitution in 2017 in new haven").
FACTS_OF_A_CASE = 3
# Not who trains whom or where ("do cops have to get training on trafficking in ct"): what happened to someone.
FACTS_OF_A_PERSON = {"conviction", "offense", "statute", "offense_class", "exploitation", "age", "date", "privilege",
                     "minor", "prison_years"}


def screening_the_facts_name(intent: Optional[str], text: str, entities: List[Dict[str, Any]]) -> Optional[str]:
    """The screening the message's own facts name, where the classifier chose another that cannot fit:
    the defense (53a-192a(b)) is for a pending trafficking charge, so a conviction, or a record to clear,
    is vacatur (54-95c); testifying with no conviction named is the order to testify (54-47a)."""
    values: Dict[str, List[str]] = {}
    for entity in entities:
        values.setdefault(entity.get("entity"), []).append(str(entity.get("value")))
    # "It went through juvenile court ... and I was found delinquent": a judgment, asked about like a conviction.
    convicted = "convicted" in values.get("conviction", []) or bool(FOUND_DELINQUENT.search(text))
    # "Client pleaded to trafficking in persons (53a-192a) ... Was the (b) defense available to her?": the
    # defense itself asked about, for a trafficking case, stays the question.
    the_defense_of_a_trafficking_case = bool(NAMES_THE_DEFENSE.search(text)) and (
        "trafficking_in_persons" in values.get("offense", []) or "53a-192a" in values.get("statute", []))
    if intent == "ask_affirmative_defense" and (convicted or SAYS_A_RECORD_TO_CLEAR.search(text)) \
            and not (the_defense_of_a_trafficking_case and not SAYS_A_RECORD_TO_CLEAR.search(text)):
        return "ask_vacatur"
    if intent == "ask_vacatur" and not convicted and SAYS_TESTIFY.search(text):
        return "ask_compelled_testimony"
    # "no va a contestar porque se puede incriminar ... el fiscal le pidió al juez una orden": the privilege, or
    # who applies, and no word of a record to clear.
    # ("is it mandatory ... or up to the judge": the judge who decides is no one asking for testimony.)
    applying = "privilege" in values or bool(set(values.get("role", [])) - {"judge", "police"})
    if intent == "ask_vacatur" and not convicted and applying and says_none_of_its_words(intent, text):
        return "ask_compelled_testimony"
    # "the other kids defense lawyer is the one asking the judge to force me": a lawyer, not the defense.
    if intent == "ask_affirmative_defense" and says_none_of_its_words(intent, text) \
            and (SAYS_TESTIFY.search(text) or {"privilege", "role"} & set(values)) and "offense" not in values \
            and (ASKS.search(text) or ASKS_ANYWHERE.search(text)):  # a statement of who asked is an answer
        return "ask_compelled_testimony"
    # "my 15 yo is a witness in another kid's juvenile case": a witness, not someone charged.
    if intent == "ask_affirmative_defense" and SAYS_TESTIFY.search(text) and not SAYS_CHARGED.search(text):
        return "ask_compelled_testimony"
    return None


# Words of each screening. A screening the classifier guessed in a statement of facts with none of its
# words ("im 16. my bf made me get my cousin to come to the parties") is facts, for the screening in hand.
WORDS_OF_THE_SCREENING = {
    "ask_vacatur": re.compile(r"\b(vacat\w*|expung\w*|records?|convict\w*|pled|plead\w*|plea|guilty|clear\w*|54-95c|"
                              r"seal\w*|erase|wipe\w*|remove\w*|go away|condena\w*|culpable|borrar|anular|limpiar)\b",
                              re.IGNORECASE),
    "ask_compelled_testimony": SAYS_TESTIFY,
    "ask_affirmative_defense": DEFENSE_OR_CHARGE_WORDS,
}
SCREENING_ENTITIES = {"ask_vacatur": {"conviction"}, "ask_compelled_testimony": {"privilege", "role", "proceeding"},
                      "ask_affirmative_defense": {"offense", "statute", "age", "proceeding"}}


def says_none_of_its_words(intent: Optional[str], text: str) -> bool:
    return intent in WORDS_OF_THE_SCREENING and not WORDS_OF_THE_SCREENING[intent].search(text)


def guessed_without_its_words(intent: Optional[str], text: str, entities: List[Dict[str, Any]]) -> bool:
    if not says_none_of_its_words(intent, text) or ASKS.search(text) or ASKS_ANYWHERE.search(text):
        return False
    said = {e.get("entity") for e in entities}
    # "I gave the cop a fake name": the police in a story are no one asking for testimony; "they got me for
    # promoting prostitution": an offense other than trafficking is no charge the defense answers.
    of_the_screening = {e.get("entity") for e in entities
                        if not (e.get("entity") == "role" and e.get("value") == "police")
                        and not (intent == "ask_affirmative_defense" and e.get("entity") == "offense"
                                 and e.get("value") != "trafficking_in_persons")
                        and not (intent == "ask_affirmative_defense" and e.get("entity") == "age"
                                 and str(e.get("value")).isdigit() and int(str(e.get("value"))) >= 18)}
    return bool(said & (FACT_ENTITIES | {"role", "date"})) and not of_the_screening & SCREENING_ENTITIES[intent]


def answers_then_states_facts(text: str, entities: List[Dict[str, Any]]) -> bool:
    """'yes i told them i wont answer because i could get charged': a yes or no, then facts, is an answer
    to the question asked, not a new screening."""
    opens_with_an_answer = any(e.get("entity") == "answer" and e.get("start") == 0 for e in entities)
    return opens_with_an_answer and "?" not in text and any(e.get("entity") in FACT_ENTITIES for e in entities)


# Whose record: "can i get it vacated", "can my client's conviction be vacated" (not "what does vacatur mean").
SAYS_WHOSE = re.compile(r"\b(i|i'?m|me|my|she|her|he|his|they|their|client'?s?|mi|mis|ella|él|ellos|su|sus|esa|ese|"
                        r"hija|hijo)\b", re.IGNORECASE)


def asks_to_clear_their_own_record(text: str, entities: List[Dict[str, Any]]) -> bool:
    """'got arrested last month for prostitution ... can i get it vacated b4 then?': a person's own case
    and a record to clear, whatever information question (a date, here) the classifier heard in it."""
    # "un señor me tenía trabajando a la fuerza ... ¿Se puede anular?": what was done to them, and the record.
    named = any(e.get("entity") in ("offense", "statute", "conviction", "exploitation") for e in entities)
    return named and bool(SAYS_A_RECORD_TO_CLEAR.search(text)) and bool(SAYS_WHOSE.search(text))


ASK_PRIVACY = "ask_privacy"
ABOUT_THIS_CHAT = re.compile(r"\b(you|u|ur|your|this|these|chat|messages?|texts?|conversation|typ\w*|writ\w*|usted|"
                            r"esto|este|estos|mensajes?|conversaci[oó]n|escrib\w*)\b", re.IGNORECASE)


# "can i ask something without u telling anybody", "will you tell my mom": who finds out, asked of the guide.
ASKS_WHO_FINDS_OUT = re.compile(r"\b(without (you |u |ur |anyone |anybody )?(telling|tellin|reporting|calling|snitching)|"
                                r"(will|would|do|does|are|r) (you|u|this|it) (tell|report|call|snitch|contact|notify|"
                                r"share|send)(?! me\b)|keep (it|this) (a )?secret|between (us|you and me|u and me)|"
                                r"(nobody|no one|anyone|anybody) (will |would |gonna )?(find out|know|see)|"
                                r"sin que (nadie|le digas|le diga|se entere)|(le vas|me vas) a (decir|contar))\b", re.IGNORECASE)
ASKS_IF_IT_APPLIES = re.compile(r"\b(availab\w*|apply|applies|use|raise|claim|assert|invoke|qualif\w*|eligible|"
                                r"work for|cover\w*|aplica|usar)\b", re.IGNORECASE)
SAYS_PRIVACY = re.compile(r"\b(privat\w*|confidential\w*|secret\w*|anonymous\w*|find out|see (this|it|my|these)|"
                          r"read (this|my)|stored|saved|keep\w* (this|my|it)|record(ed|ing)? (this|it)|log\w*|track\w*|"
                          r"delete|erase|report\w*|snitch\w*|tell (anyone|anybody|my|the|police)|police|cops|ice|"
                          r"immigration|my (mom|mother|dad|parents|family|pimp|boyfriend)|privad\w*|confidencial|"
                          r"secreto|borrar|polic[ií]a)\b", re.IGNORECASE)
ABOUT_THE_LAW_OR_A_RIGHT = re.compile(r"\b(law|laws|legal|protect\w*|right|rights|defen[cs]e|court|judge|charge\w*|"
                                      r"vacat\w*|clear|ley|derechos?|proteg\w*)\b", re.IGNORECASE)
ASKS_FOR_A_PROTECTION = re.compile(r"\b(protect\w*|anything (in the law )?(for|that)|help (him|her|them|me|my \w+)|"
                                   r"proteg\w*|ayudar(lo|la|le)?)\b", re.IGNORECASE)
# What the effective-date question is about: when the law (or a part of it) began.
SAYS_WHEN_THE_LAW_BEGAN = re.compile(r"\b(effective|effect|in force|in place|start\w*|began|begin\w*|kick\w* in|"
                                     r"when|what date|which date|date|since|until|around|already|bill|retroactiv\w*|passed|"
                                     r"enacted|signed|vigor|vigente|desde cu[aá]ndo|cu[aá]ndo|fecha|entr[oó])\b", re.IGNORECASE)


# "Caseworker question. Our client worked for a man who is now being prosecuted for arson": a caseworker's case,
# not who must be trained.
SAYS_TRAINING = re.compile(r"\b(train\w*|entren\w*|capacita\w*|course|courses|curso|curriculum|awareness|refresher|"
                           r"educat\w*|certif\w*|teach\w*|taught|learn\w*|video|17a-106h|take it|professions?|"
                           r"employees|paramedics)\b", re.IGNORECASE)
SAYS_A_PENALTY = re.compile(r"\b(penalt\w*|sentenc\w*|prison|jail|((how much|how long|do|doing|serve|serving|get|gets|face|"
                            r"facing|cu[aá]nto) (time|tiempo))|serious|bad|worse|trouble|crimes?|crimen|delito|life|minimum|"
                            r"gets?|exposure|minor|years?|yrs|fine[sd]?|punish\w*|max\w*|pena\w*|"
                            r"c[aá]rcel|prisi[oó]n|multas?|a[nñ]os|class\w*|felon\w*|misdemean\w*|consequen\w*|happens?|"
                            r"fac(e|es|ing)|get for|carr(y|ies)|serve|locked up|lock (him|her|them|me) up|bail|castigo)\b",
                            re.IGNORECASE)


ASKS_ABOUT_THE_CASE = re.compile(r"\b(can|could|would|will|does|do|is|may)\b[^.?!]{0,60}\b(order|vacat\w*|clear\w*|defen[cs]e|"
                                 r"testify|immunity|appl(y|ies)|issue|available|qualif\w*|eligible|court|judge)\b[^.?!]*\?",
                                 re.IGNORECASE)


# Intents that cannot be a reply inside a screening, so a message about testifying re-routes safely.
NOT_A_SCREENING = {"ask_why", "ask_next_steps", "greet", "thank", "out_of_scope", "nlu_fallback", "request_human"}


def asks_about_being_made_to_testify(text: str, entities: List[Dict[str, Any]]) -> bool:
    """'el fiscal quiere que yo declare en el juicio ... me pueden obligar?': who wants the testimony,
    or the privilege, with a word for testifying."""
    named = any(e.get("entity") in ("role", "privilege") for e in entities)
    # "ahora el state's attorney quiere que el juez me obligue. pueden hacer eso?", "es su abogado, the defense
    # lawyer. can he get a judge to make me?": who would apply, and being made to.
    a_lawyer = any(e.get("entity") == "role" and e.get("value") != "police" for e in entities)
    return (named or bool(BEING_MADE_TO.search(text))) and bool(SAYS_TESTIFY.search(text)) \
        or (a_lawyer and bool(BEING_MADE_TO.search(text)))


BEING_MADE_TO = re.compile(r"\b(oblig\w*|forc\w*|make (me|her|him|them)|compel\w*|an order|una orden)\b", re.IGNORECASE)


def outside_the_privilege(text: str, entities: List[Dict[str, Any]]) -> str:
    """The text with the words of a claimed privilege blanked (same length, so offsets hold)."""
    for entity in entities:
        if entity.get("entity") == "privilege" and "start" in entity and "end" in entity:
            text = text[:entity["start"]] + " " * (entity["end"] - entity["start"]) + text[entity["end"]:]
    return text


def plainly_said_intent(intent: Optional[str], text: str, entities: List[Dict[str, Any]],
                        ranking: Optional[List[Dict[str, Any]]] = None) -> Optional[str]:
    """None when the classifier's intent stands; otherwise "next" (its next guess) or the intent to take."""
    if intent == ANOTHER_CONVICTION and not SAYS_ANOTHER_CONVICTION.search(text):
        return INFORM  # "another state", "the other court": a fact about this conviction
    # "is there anything i can do about the conviction": the one answered, asked about again.
    if intent == ANOTHER_CONVICTION and not SAYS_ANOTHER.search(text):
        return "next"
    if intent == CORRECT and SAYS_ALSO.search(text):
        screening = next((r["name"] for r in (ranking or [])[:3] if r.get("name") in SCREENING_INTENTS), None)
        if screening:
            return screening
    if intent in SCREENING_INTENTS:
        # "no voy a hablar ... bc i could get charged too": the privilege's reason, not a charge to defend.
        words = outside_the_privilege(text, entities)
        named = screening_the_facts_name(intent, words, entities)
        if named:
            return named
        if guessed_without_its_words(intent, words, entities) or answers_then_states_facts(text, entities):
            return CORRECT if opens_with_a_correction(text) else INFORM
        # "oh no, that one was way before i met him, 2016. nobody made me": a correction with no word of the
        # screening heard ("wait actually they also charged me with trafficking" keeps it: a new screening).
        if opens_with_a_correction(text) and says_none_of_its_words(intent, words) \
                and any(e.get("entity") in FACT_ENTITIES for e in entities):
            return CORRECT
    if (intent in NOT_FACTS or intent in INFORMATION_TOPIC_OF_INTENT) and opens_with_a_correction(text) \
            and any(e.get("entity") in FACT_ENTITIES | {"date"} for e in entities):
        return CORRECT
    if intent == "goodbye" and not SAYS_GOODBYE.search(text):
        return "next"
    # "No narcotics, no violence, not a listed offense, not a felony. Can the order issue?": the no's are facts of
    # the case, and the question is about it, not a "no" to going on.
    if intent == "deny" and len(text.split()) > WORDS_OF_A_BARE_ANSWER and ASKS_ABOUT_THE_CASE.search(text):
        return "next"
    # "This all happened this past August, he was already 17. Is there anything in the law that protects a child
    # like him?": the facts of a case and whether the law protects them, not a definition.
    if intent in INFORMATION_TOPIC_OF_INTENT and ASKS_FOR_A_PROTECTION.search(text) \
            and {e.get("entity") for e in entities} & FACTS_OF_A_PERSON:
        return INFORM
    # "Fue en Springfield, Massachusetts, pero ahora vivo en Hartford. ¿Me pueden ayudar aquí?": facts of the case
    # with a plea for help are the facts, not the menu of what the guide does.
    if intent == "help" and any(e.get("entity") in FACT_ENTITIES for e in entities) \
            and len(text.split()) > WORDS_OF_A_GREETING + 2:
        return INFORM
    # "compelled her by threatening ... coercion under 53a-192. If credited, is 192a(b) available to her?": whether
    # the defense applies to a case, not what trafficking means.
    # "Assume she was being trafficked ... Is the defense available for an offense date that close to the
    # effective date?": "the defense", with what happened to a person, is the defense of their case.
    if intent in INFORMATION_TOPIC_OF_INTENT and ASKS_IF_IT_APPLIES.search(text) and (NAMES_THE_DEFENSE.search(text) or (
            SAYS_THE_DEFENSE.search(text) and {e.get("entity") for e in entities} & FACTS_OF_A_PERSON)):
        return "ask_affirmative_defense"
    if intent in ("help", "greet", "out_of_scope", "nlu_fallback") and ASKS_WHO_FINDS_OUT.search(text):
        return ASK_PRIVACY  # "can i ask something without u telling anybody"
    # "Does 'at any time after' reach a pre-2013 judgment? Mandatory or discretionary today?": no word of a
    # penalty, so not a question about one.
    if intent == "ask_penalty" and not SAYS_A_PENALTY.search(text):
        return "next"
    if intent == "ask_training" and not SAYS_TRAINING.search(text):
        return "next"
    # "She hasn't claimed the privilege; nobody has asked her anything yet. Can he apply now?": no word of when.
    if intent == "ask_effective_date" and any(e.get("entity") in FACT_ENTITIES for e in entities) \
            and not SAYS_WHEN_THE_LAW_BEGAN.search(text):
        return "next"
    # "idk if it was a felony or misdemeanor or how much time it carried": not knowing a fact, not a
    # question about penalties.
    if intent in INFORMATION_TOPIC_OF_INTENT and NOT_KNOWING_WHETHER.search(text) and "?" not in text:
        return "unsure"
    # "i got arrested for prostitution ... my boyfriend posts me online ... can they vacate it": no age
    # says a child, and the words for a child ("you cannot be guilty under 18") would mislead an adult
    # (a record to clear says an adult's case; without one, the classifier's reading stands: "a student of
    # mine ... a man picks her up").
    if intent == MINOR_DISCLOSURE and not says_under_18(entities) and SAYS_A_RECORD_TO_CLEAR.search(text):
        return "next"
    if intent in INFORMATION_TOPIC_OF_INTENT and \
            len({e.get("entity") for e in entities} & FACTS_OF_A_PERSON) >= FACTS_OF_A_CASE:
        return INFORM
    # "It was sometime in fall 2021, September or October": an answer about the person's case, not a
    # question about when the law took effect.
    if intent in INFORMATION_TOPIC_OF_INTENT and not ASKS.search(text) and not ASKS_ANYWHERE.search(text) \
            and not ABOUT_THE_LAW.search(text) and {e.get("entity") for e in entities} & FACTS_OF_A_PERSON:
        return INFORM
    if intent in INFORMATION_TOPIC_OF_INTENT and asks_to_clear_their_own_record(text, entities):
        return "ask_vacatur"
    # "un señor me tenía trabajando a la fuerza ... la policía ... ¿Se puede anular?": police in a story, and
    # a record to clear, is not a question about who sees this chat.
    # "This all happened this past August, he was already 17. Is there anything in the law that protects a child
    # like him?": facts of a case and a question about the law, with no word of who sees or keeps this chat.
    if intent == ASK_PRIVACY and not SAYS_PRIVACY.search(text) and not ASKS_WHO_FINDS_OUT.search(text) \
            and len({e.get("entity") for e in entities} & FACTS_OF_A_PERSON) >= 1 and ABOUT_THE_LAW_OR_A_RIGHT.search(text):
        return "next"
    if intent == ASK_PRIVACY and not ABOUT_THIS_CHAT.search(text):
        if asks_to_clear_their_own_record(text, entities):
            return "ask_vacatur"
        if asks_about_being_made_to_testify(text, entities):
            return "ask_compelled_testimony"  # "el fiscal le pidio al juez una orden para obligarlo. pueden?"
        # "el detective de la policia es el q dice q me va a obligar a declarar": who, in a statement, is a fact.
        if not ASKS.search(text) and any(e.get("entity") in FACT_ENTITIES | {"role"} for e in entities):
            return INFORM
    if (intent in NOT_A_SCREENING or intent in INFORMATION_TOPIC_OF_INTENT) and asks_about_being_made_to_testify(text, entities):
        return "ask_compelled_testimony"
    if intent == BOT_CHALLENGE and not SAYS_WHAT_THE_GUIDE_IS.search(text):
        return "next"
    if intent == STOP and not says_stop(text):
        return "next"
    if intent == DELETE and not says_erase_this_chat(text):
        return "next"
    if intent in NOT_FACTS and carries_facts(intent, text, entities):
        return INFORM
    # "El abogado me dijo que era felonía clase D. ¿Se puede anular?": a lawyer named, no person asked for.
    if intent == "request_human" and any(e.get("entity") in FACT_ENTITIES for e in entities) \
            and not ASKS_FOR_A_PERSON.search(text) and not A_PERSON_ASKED_FOR.search(text):
        return "next"
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SaidPlainly(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SaidPlainly":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            passed_over = {DELETE, STOP}
            # The classifier's next guess is read plainly too: "ya dije que no voy a declarar", not a
            # stop, is not a bare "no" either when it states facts.
            for _ in range(2):
                intent = (message.get(INTENT) or {}).get("name")
                decision = plainly_said_intent(intent, message.get(TEXT) or "", message.get(ENTITIES) or [],
                                               message.get(INTENT_RANKING_KEY) or [])
                if decision != "next":
                    if decision:
                        overrule_intent(message, decision)
                    break
                passed_over.add(intent)
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in passed_over]
                if not ranking:
                    break
                overrule_intent(message, ranking[0]["name"])
        return messages
