"""From a person's words and the conversation's slots to the law engine's facts, and back.

The model only understands the words (intents, and entities from bot/nlu/extractor.py); these
functions turn them into facts. Which facts matter, and the answer, come from `rules.evaluate`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from bot.nlu import disclosures
from bot.nlu.disclosures import ADULT_AGE, FOUND_DELINQUENT
from rules import compelled_testimony, facts_of, load_library, vacatur
from rules.offenses import can_be_a_conviction

FORM_OF_TOPIC = {
    "vacatur": "vacatur_form",
    "affirmative_defense": "affirmative_defense_form",
    "compelled_testimony": "testimony_form",
}
TOPIC_OF_FORM = {form: topic for topic, form in FORM_OF_TOPIC.items()}
TOPIC_OF_INTENT = {
    "ask_vacatur": "vacatur",
    "ask_affirmative_defense": "affirmative_defense",
    "ask_compelled_testimony": "compelled_testimony",
}

# Offenses the law data know by name; any other offense a person names is "another offense".
KNOWN_OFFENSES = ("prostitution", "soliciting_sexual_acts", "commercial_sexual_abuse_of_a_minor",
                  "trafficking_in_persons")
OFFENSE_STATUTE = {"prostitution": "53a-82", "soliciting_sexual_acts": "53a-83",
                   "commercial_sexual_abuse_of_a_minor": "53a-83b", "trafficking_in_persons": "53a-192a"}
YES_NO = {"affirm": "yes", "deny": "no", "unsure": "unsure"}
APPLICANT_ROLES = {"chief_states_attorney", "deputy_chief_states_attorney", "states_attorney"}
# "The prosecutor" in Connecticut is the state's attorney's office, which 54-47a(a) names.
APPLICANT_OF_ROLE = {"prosecutor": "states_attorney"}
# Who cannot apply under 54-47a(a). "They will ask a judge" does not say who applies: the judge decides.
NOT_AN_APPLICANT = {"defense_lawyer", "public_defender", "police", "other"}
# A criminal case about one of these is about an offense 54-47a(a)(1) lists (narcotics, a felonious
# crime of violence, or a class A, B or C felony with the prosecutor's showing of no other means).
QUALIFYING_OFFENSES = {"trafficking_in_persons", "commercial_sexual_abuse_of_a_minor", "drug_sale", "robbery"}
# 54-47a(a)(1): "any other class A, B or C felony"; and kinds of case listed whatever their class.
QUALIFYING_CLASSES = {"class_a_felony", "class_b_felony", "class_c_felony"}
LISTED_IN_ANY_CLASS = re.compile(r"\b(narc[oó]tic\w*|drugs?|drogas?|heroin\w*|hero[ií]na|cocaine|coca[ií]na|crack|fentanyl|"
                                 r"fentanilo|opioids?|murder\w*|homicid\w*|manslaughter|kidnap\w*|rape|shooting|stabbing|"
                                 r"home invasion|carjack\w*|asesinato|secuestro|arson|brib\w*|gambl\w*|election|corrupt\w*|"
                                 r"medicaid|vendor fraud|"
                                 r"environment\w*|22a|crimes? of violence|violent (felony|felonies|crimes?)|"
                                 r"felonious|assault\w* (in the )?(1st|first)( degree)?)\b", re.I)
# A case said to be about an offense 54-47a(a)(1) does not list.
SAID_NOT_LISTED = re.compile(r"\b(not|isn'?t|is not|none of|no es)\s+(one of\s+|among\s+|on\s+)?(the\s+|its\s+|an?\s+)?"
                             r"((listed|enumerated|covered|qualifying)\s+(offen[cs]es?|crimes?|ones?)|"
                             r"(offen[cs]es?|crimes?|ones?)\s+(listed|enumerated|covered|(in|on|under)\s+(the\s+)?(list|54-47a))|"
                             r"list(ed)?\b|on the list)|"
                             # "nothing on the 54-47a list", "none of the listed crimes"
                             r"\b(nothing|none)\s+(of\s+)?(on|in|from)?\s*(the|its)\s+(54-47a\s+|enumerated\s+|statutory\s+)?"
                             r"(list|listed)\b|"
                             # "not on the (a)(1) list"
                             r"\b(not|isn'?t|is not|none of)\s+(on|in)\s+(the|its)\s+(\S+\s+){0,2}?list\b", re.I)
# "The charge is one of the offenses enumerated in (a)(1)", "on the 54-47a list": a listed offense, said so.
SAID_LISTED = re.compile(r"\b(one of|among)\s+(the\s+)?(offen[cs]es|crimes|ones)\s+(enumerated|listed)\s+(in|under)\s+"
                         r"(\(a\)\(1\)|54-47a|the statute)|\bon the (\(a\)\(1\)|54-47a|enumerated) list\b|"
                         r"\b(an? )?(enumerated|listed) (offen[cs]e|crime)\b", re.I)
FEDERAL_STATUTE = "federal_statute"


def listed_kind_said(text: str) -> bool:
    """A kind of case 54-47a(a)(1) lists, said of the case ("a narcotics prosecution"), not denied ("only
    assault 3rd - not drugs, not arson")."""
    return any(not re.search(r"\b(not|no|nor|isn'?t|wasn'?t|nothing|never|ni)\W+(\w+\W+)?$", text[:m.start()], re.I)
               for m in LISTED_IN_ANY_CLASS.finditer(text))


def fact_names(topic: str) -> List[str]:
    return [fact.name for fact in facts_of(topic)]


def facts_from_slots(topic: str, slots: Dict[str, Any]) -> Dict[str, Any]:
    """The engine's facts from slot values: whole numbers back to int, empty values left out."""
    facts = {}
    for name in fact_names(topic):
        value = slots.get(name)
        if value is None:
            continue
        if name == "age_at_offense":
            value = int(value)
        facts[name] = value
    return facts


# "when the feds... no wait state cops raided": what follows a correction replaces what came before it.
CORRECTED_INSIDE = re.compile(r"\b(no wait|wait no|wait|i mean|i meant|actually|sorry|correction|perd[oó]n|"
                              r"quiero decir|no espera)\b", re.I)


def entity_values(message: Dict[str, Any]) -> Dict[str, List[str]]:
    """Each entity's values, in order; where the person corrects themselves inside the message, only
    the values after the last correction for each entity named again after it."""
    entities = message.get("entities") or []
    text = message.get("text") or ""
    corrections = [m.end() for m in CORRECTED_INSIDE.finditer(text)]
    if corrections and all("start" in e for e in entities):
        last = corrections[-1]
        said_again = {e["entity"] for e in entities if e["start"] >= last}
        entities = [e for e in entities if e["entity"] not in said_again or e["start"] >= last]
    # "the state's attorney isnt involved at all": someone named only to say they are not part of it.
    entities = [e for e in entities if not (e.get("entity") == "role" and "end" in e
                                            and SAID_NOT_TO_BE_INVOLVED.match(text[e["end"]:]))]
    # "the prostitution charge got dropped. what i got convicted of was criminal trespass": of two offenses,
    # not the one said to be dropped.
    offenses = [e for e in entities if e.get("entity") == "offense" and "end" in e]
    dropped = [e for e in offenses if SAID_TO_BE_DROPPED.match(text[e["end"]:])]
    if dropped and len({str(e["value"]) for e in offenses} - {str(e["value"]) for e in dropped}) >= 1:
        entities = [e for e in entities if e not in dropped]
    # "they arrested me for prostitution but the plea deal changed it to breach of peace": the offense pleaded to.
    offenses = [e for e in entities if e.get("entity") == "offense" and "start" in e]
    pleaded_to = [e for e in offenses if PLEADED_DOWN_TO.search(text[max(0, e["start"] - 30):e["start"]])]
    if pleaded_to and len({str(e["value"]) for e in offenses}) > 1:
        entities = [e for e in entities if e.get("entity") != "offense" or e in pleaded_to]
    found: Dict[str, List[str]] = {}
    for entity in entities:
        found.setdefault(entity["entity"], []).append(str(entity["value"]))
    return found


PLEADED_DOWN_TO = re.compile(r"\b(changed|reduced|amended|knocked|bumped|dropped|brought|pled|pleaded|plead|plea|took a plea)"
                             r"( it| that| the charge| them)?( down)? (to|for)\s+(a |an |the )?$", re.I)
SAID_TO_BE_DROPPED = re.compile(r"\W*((charges?|case|one|arrest|cargos?|caso)\W+)?((got|was|were|is|are|been|has been|"
                                r"had been|fue|lo|la|los)\W+)*(dropped|dismissed|nolled|nol+e\w*|thrown out|tossed|"
                                r"retirad[oa]s?|desestimad[oa]s?|quitaron)\b", re.I)


SAID_NOT_TO_BE_INVOLVED = re.compile(r"\s*(('?s|is|was|are|were|has|have|had)\s*(n'?t|not|never)|(is|are|has|have)\s+no)\s+"
                                     r"(been\s+|even\s+|really\s+|at all\s+)?(involved|part of|in (it|this|that|the case))|"
                                     r"\s*(has|have|had)\s+nothing to do|\s*(no|nunca)\s+(est[aá]|estuvo|tiene nada)", re.I)


# A message of facts with no question ("it was for prostitution", "client 15, juvenile petition for
# trafficking") starts the screening its words point to. The entities decide when they can; when
# they point to none, or to more than one, the classifier's ranking of the three screening
# questions breaks the tie, and below this confidence the person is asked which one they mean.
LEAST_CONFIDENCE_TO_ROUTE = 0.2
# Words about a record to clear ("her juvenile record", "expunge", "borrar mis antecedentes").
# "DOB records are a mess", "her school records": papers about the person, not a record to clear.
RECORD_WORDS = re.compile(r"\b((?<!dob )(?<!birth )(?<!school )(?<!medical )(?<!phone )(?<!bank )(?<!hospital )(?<!dcf )"
                          r"(?<!immigration )records?|expunge\w*|eras\w*|clear(ed|ing)?|seal(ed|ing)?|vacat\w*|antecedentes|"
                          r"borrar|limpiar|background checks?|comes up|shows up|pops up)\b", re.IGNORECASE)
SCREENING_SECTIONS = {vacatur.SECTION: "vacatur", compelled_testimony.SECTION: "compelled_testimony"}
STATUTE_OF_OFFENSE = {statute: offense for offense, statute in OFFENSE_STATUTE.items()}


ABOUT_TESTIFYING = re.compile(r"\b(testif\w*|compel\w*|witness|immunity|subpoena\w*|take the stand|declarar|testific\w*|"
                              r"privilege|fifth|5th)\b", re.I)


# "im 15 and i got a shoplifting charge": a child now ("i was 17 ... a charge in 2009" is a record).
UNDER_18_NOW = re.compile(r"\b(i'?m|im|i am|he'?s|hes|she'?s|shes|is|tengo|tiene)\s+(only\s+|just\s+)?(1[0-7])\b|"
                          r"\b(de|of)\s+(1[0-7])\s+(a[nñ]os|years?)\b", re.I)
# "they charged me with ..." said of a child's case: a charge a child faces, the defense's question.
CHARGED_SOMEONE = re.compile(r"\b(charged|charging|accused|accusing) (me|him|her|them|my \w+|our \w+)\b|"
                             r"\b(charged|petitioned) (by|in|on|with)\b|\bpetition (charging|alleging)\b|"
                             # "mi hija de 16 años tiene un caso en la corte juvenil": a child's case, still open
                             r"\b(has|have|tiene|tengo)\s+(a|an|un|una)\s+(open\s+|pending\s+)?(case|caso|cargo)\b|"
                             r"\b(have|has|got|facing|with) (a|an) (\w+ ){0,3}charges?\b|"
                             r"\b(me|lo|la|le|les|los|las|nos) (acusaron|acusan|acus[oó]|imputaron|arrestaron)\b", re.I)
A_CHARGE_PENDING = re.compile(r"\b(is|are|was|got|been|being|he'?s|she'?s|i'?m|im|hes|shes)\s+(charged|accused)\b|"
                              r"\b(facing|pending)\b(\W+\w+){0,3}\W+charges?\b|\best[aá]n? acusad[oa]\b|"
                              # "PD. 53a-192a charge, transferred to adult docket": a lawyer's charge, by its section.
                              r"(?<!not a )(?<!not an )\b\d+[a-z]?-\d+[a-z]*(\([a-z0-9]+\))*\s+(charge|petition)\b(?!\s+(was|got|is)\s+"
                              r"(dismissed|nolled|dropped))", re.I)
AGAINST = re.compile(r"\b(against|contra)\b|\b(trial|case|prosecution|juicio|caso) (of|de|del) (her|his|my|their|the|a|su|mi|el|la)\b",
                     re.I)
# "interpreting for a witness in a criminal trafficking in persons trial": someone else's case.
A_WITNESS_IN_A_CASE = re.compile(r"\b(witness\w*|testigo)\s+(in|at|for|en)\s+(a|an|the|her|his|their|this|that|un|una|el|la)?\s*"
                                 r"([^\s?!;]+\s+){0,7}?(trial|case|proceeding|hearing|prosecution|juicio|caso)\b", re.I)
SOMEONE_ELSE_S_CASE = re.compile(r"\b(another|other|some other|a different)\s+(kid|boy|girl|person|guy|man|woman|teen|"
                                 r"student|child)'?s\s+(\w+\s+){0,2}(case|trial|hearing|matter)\b|"
                                 r"\bcaso de otr[oa] (chic[oa]|muchach[oa]|niñ[oa]|persona)\b", re.I)
A_WITNESS = re.compile(r"\b(witness\w*|testif\w*|testimony|take the stand|subpoena\w*|testigo|declarar|testific\w*)\b", re.I)


SOMEONE_ELSE_PROSECUTED = re.compile(r"\b(my (old |ex[- ]|former )?(trafficker|pimp|abuser|exploiter)|the (man|guy|trafficker|"
                                     r"defendant|pimp|accused)|the (wo)?man who \w+ (me|her|him))\b\s*((is|was|are|were|'s|s|"
                                     r"got|has been|is being|been|being|now)\s+)*(charged|prosecuted|tried|indicted|on trial|"
                                     r"arrested|facing)\b|"
                                     # "Adult criminal case against a buyer": someone else's case.
                                     r"\b(case|charges?|prosecution|trial|complaint|indictment)\s+against\s+(a|an|the|this|that|"
                                     r"some|my|her|his|our|their)\s+(\w+\s+)?(buyer|john|customer|trafficker|pimp|man|guy|dude|"
                                     r"defendant|boyfriend|abuser|adult|exploiter|co-?defendant)\b|"
                                     # "the defendant is the man who trafficked our client"
                                     r"\bthe (defendant|accused)\b[^.?!;]{0,30}\b(is|was|'s)\s+(the|her|his|my|our|their)\s+"
                                     r"(\w+'?s\s+)?(old\s+|former\s+|ex[- ])?(trafficker|pimp|man|guy|boyfriend|abuser|exploiter)\b|"
                                     # "el patron de la granja donde trabajaba esta en juicio por trafficking"
                                     r"\b(el|la|mi) (patr[oó]n|jefe|jefa|hombre|señor|senor|tratante|padrote|explotador)\b"
                                     r"[^.?!]{0,40}\b(en juicio|acusad[oa]|arrestad[oa]|procesad[oa])\b", re.I)


A_TRIAL_FOR_AN_OFFENSE = re.compile(r"\b(trial|prosecution|juicio|being prosecuted|being tried)\s+(for|of|on|por)\b", re.I)


A_CHARGE_S_WORDS = re.compile(r"\b(charg\w*|petition|docket|count|conduct|doo|accused|respondent|arrest\w*|raising|raise)\b",
                              re.I)
# "192a(b)", "53a-192a(b) check": the defense named by its subsection.
THE_DEFENSE_BY_ITS_SECTION = re.compile(r"\b(53a-)?192a\s*\(b\)", re.I)


def a_case_of_the_person(values: Dict[str, List[str]]) -> bool:
    return bool({"age", "date", "proceeding"} & set(values))


def screenings_the_facts_point_to(message: Dict[str, Any]) -> List[str]:
    """The screenings this message's facts speak of, from its entities alone.

    A conviction, or any offense other than trafficking, is a record that vacatur (54-95c) may clear.
    A trafficking charge not yet decided is what the defense (53a-192a(b)) answers. A grand jury, or a
    state's attorney, is where compelled testimony (54-47a) begins; a juvenile case may be either of
    the last two."""
    message = without_words_not_about_this_case(message)
    values = entity_values(message)
    text = message.get("text") or ""
    asked_about = sections_asked_about(message, values)
    topics = {SCREENING_SECTIONS[s] for s in asked_about if s in SCREENING_SECTIONS}
    offenses = set(values.get("offense", [])) | {STATUTE_OF_OFFENSE[s] for s in asked_about if s in STATUTE_OF_OFFENSE}
    # "found delinquent in juvie": a juvenile court's judgment, asked about like a conviction.
    convicted = "convicted" in values.get("conviction", []) or bool(FOUND_DELINQUENT.search(text)) \
        or names_an_offense_as_a_conviction(message)  # "Connecticut Superior Court conviction, unclassified felony"
    # "My old trafficker is being prosecuted in Superior Court for selling heroin": his case, not a record of theirs.
    # "theres a criminal trial for arson": a case still being tried, not a record.
    if (convicted or offenses - {"trafficking_in_persons"}) and not (
            (SOMEONE_ELSE_PROSECUTED.search(text) or A_TRIAL_FOR_AN_OFFENSE.search(text)) and not convicted):
        topics.add("vacatur")
    # "he's charged with robbery in juvenile court": a charge not yet decided, which only the defense
    # (53a-192a(b)) speaks to, and only for trafficking; vacatur waits for a conviction.
    a_child_s_charge = CHARGED_SOMEONE.search(text) and ("delinquency" in values.get("proceeding", [])
                                                         or UNDER_18_NOW.search(text) or said_a_minor_s_age(values))
    if "vacatur" in topics and not convicted and (A_CHARGE_PENDING.search(text) or a_child_s_charge) \
            and not RECORD_WORDS.search(text):
        topics = (topics - {"vacatur"}) | {"affirmative_defense"}
    # "a witness in the State's case against her former trafficker, charged with trafficking": his charge.
    # "after a witness invoked the privilege", "a hearing for another kid's delinquency case": someone else's case.
    witness_against_someone = bool((A_WITNESS.search(text) or values.get("privilege"))
                                   and (AGAINST.search(text) or A_WITNESS_IN_A_CASE.search(text))) \
        or bool(A_WITNESS.search(text) and values.get("privilege")) or bool(SOMEONE_ELSE_S_CASE.search(text))
    if "trafficking_in_persons" in offenses and not convicted and not witness_against_someone \
            and not SOMEONE_ELSE_PROSECUTED.search(text):
        topics.add("affirmative_defense")
    proceedings = set(values.get("proceeding", []))
    roles = {APPLICANT_OF_ROLE.get(r, r) for r in values.get("role", [])}
    if THE_WRITER_PROSECUTES.search(text) and len(values.get("role", [])) == 1:
        roles = set()  # "Juvenile matters prosecutor. Respondent, 16, charged ...": who writes, not who applies
    if "grand_jury_investigation" in proceedings or APPLICANT_ROLES & roles or values.get("privilege"):
        topics.add("compelled_testimony")
    # "she's a witness in a juvenile delinquency case", "i'm a witness in a criminal trial": the witness's case.
    if A_WITNESS.search(text) and (proceedings or witness_against_someone) and not convicted \
            and "affirmative_defense" not in topics:
        topics.add("compelled_testimony")
    if "compelled_testimony" in topics and not convicted and (ABOUT_TESTIFYING.search(text) or values.get("privilege")):
        topics.discard("vacatur")  # "the deputy chief applied to compel ... assault 1st": the case the witness is in
    if RECORD_WORDS.search(text) and not {"compelled_testimony"} & topics:
        topics = (topics - {"affirmative_defense"}) | {"vacatur"}  # a record to clear, not a charge to defend
    if SOMEONE_ELSE_S_CASE.search(text) and not convicted and not ONE_S_OWN_CHARGE_SAID.search(text):
        topics = (topics - {"affirmative_defense"}) | {"compelled_testimony"}  # "a hearing for another kid's case"
    if "delinquency" in proceedings and not topics:
        topics.update({"affirmative_defense", "compelled_testimony"})
    return sorted(topics)


ONE_S_OWN_CHARGE_SAID = re.compile(r"\b(i'?m|i am|i was|my (son|daughter|kid|child|client)( is| was)?)\s+(\w+\s+)?"
                                   r"(charged|accused|arrested)\b", re.I)


THE_WRITER_PROSECUTES = re.compile(r"^\W*((juvenile|matters|assistant|deputy|senior|supervisory|line|trial|state'?s|"
                                   r"federal)\s+){0,3}(prosecutor|ada|asa|da|sa|state'?s attorney)\s*(here)?\s*[.:,;-]|"
                                   r"\b(i'?m|i am)\s+(a|an|the)\s+(\w+\s+){0,2}(prosecutor|ada|asa|state'?s attorney)\b", re.I)


def said_a_minor_s_age(values: Dict[str, List[str]]) -> bool:
    """"Client age 16 at offense, charged with promoting prostitution": every age said is under 18."""
    ages = [float(a) for a in values.get("age", []) if re.fullmatch(r"\d+(\.\d+)?", str(a))]
    return bool(ages) and all(age < ADULT_AGE for age in ages)


def screening_for_facts(message: Dict[str, Any]) -> Optional[str]:
    """The one screening to start for a message of facts, or None when it is not clear which."""
    candidates = screenings_the_facts_point_to(message)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates and SOMEONE_ELSE_PROSECUTED.search(message.get("text") or ""):
        return None  # "my old trafficker is being prosecuted ...": which question it raises is theirs to say
    ranked = [(r.get("confidence") or 0.0, TOPIC_OF_INTENT[r["name"]])
              for r in message.get("intent_ranking") or []
              if r.get("name") in TOPIC_OF_INTENT and (not candidates or TOPIC_OF_INTENT[r["name"]] in candidates)]
    confidence, topic = max(ranked, default=(0.0, None))
    return topic if confidence >= LEAST_CONFIDENCE_TO_ROUTE else None


# A court said in words ("adult court", "GA 14", "juvenile") names the court; a town or a state may be only
# where the person lives now, or where someone else is ("i live in new haven now", "my brother in
# Stamford", "can I clear it here in Connecticut"), so a bare place counts only when nothing says so.
SAYS_A_COURT = re.compile(r"\b(court|corte|g\.?a\.?|superior|juvenile|juvie|juvy|delinquen\w*|youthful|y\.?o\.?|"
                          r"adult|federal\w*|feds|tried|charged|convicted)\b", re.I)
WHERE_SOMEONE_IS = re.compile(r"\b(live[sd]?|living|moved|move|stay(ing|s)?|reside[sd]?|resident|home|here|now|vivo|"
                              r"vive|vivimos|aqu[ií]|daughter|son|sister|brother|mom|mother|dad|father|family|friend|"
                              r"cousin|aunt|uncle|hija|hijo|hermana|hermano|familia)\b\W*(\w+\W+){0,3}$", re.I)
SAYS_WHERE_THE_CASE_WAS = re.compile(r"\b(convict\w*|conviction|case|charges?|charged|arrest\w*|caught|picked up|"
                                     r"pled|pleaded|plea|sentenced|guilty|record|court|condena\w*|caso|cargos?|"
                                     r"arrest[oó]|corte)\b\W*(\w+\W+){0,5}$", re.I)


def _court(values: Dict[str, List[str]], message: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """The court named: a juvenile, youthful-offender or federal court over the plain "Connecticut"
    that may come with it ("ct juvenile court" is juvenile court); a court in words over a place; a place
    the case is said to be from over one where someone lives; between two places, the first named
    ("its from stamford ct not ny")."""
    courts = values.get("court", [])
    text = (message or {}).get("text") or ""
    named = [e for e in (message or {}).get("entities") or [] if e.get("entity") == "court" and "start" in e]
    not_the_court = [e for e in named if not_the_court_of_the_case(text, e)]
    if not_the_court and len(named) == len(courts):
        named = [e for e in named if e not in not_the_court]
        courts = [str(e["value"]) for e in named]
    refined = [c for c in courts if c in ("connecticut_juvenile", "connecticut_youthful_offender", "federal", "other")]
    if refined:
        return refined[0]
    if not text or len(named) != len(courts):
        return courts[0] if courts else None
    named = [e for e in named if not THE_STATE_ACTING.match(text[e["end"]:])]
    if not named:
        return None
    said = _courts_in_words(named, text)
    of_the_case = [e for e in named if said_of_the_case(text[max(0, e["start"] - 60):e["start"]])]
    places = [e for e in named if not WHERE_SOMEONE_IS.search(text[max(0, e["start"] - 40):e["start"]])
              and not text[e["start"]:e["end"]].lower().startswith("here")]
    # "the Bronx, New York criminal court": a court in words that names no state is in the place named with it.
    elsewhere = [e for e in of_the_case or places if str(e["value"]) in ("other_state", "federal")]
    if elsewhere and said and not any(NAMES_CONNECTICUT.search(text[e["start"]:e["end"]]) for e in said):
        said = elsewhere
    # "he moved me around a lot, ct, ny, jersey": several places and nothing saying which was the case's.
    listed = [(a, b) for a, b in zip(places, places[1:]) if str(a["value"]) != str(b["value"])
              and re.fullmatch(r"\s*(,|/|or|and|y|o)\s*", text[a["end"]:b["start"]], re.I)]
    if not said and not of_the_case and listed:
        return None
    chosen = said or of_the_case or places
    return str(chosen[0]["value"]) if chosen else None


def not_the_court_of_the_case(text: str, place: Dict[str, Any]) -> bool:
    """"her trafficker is now in federal prison for it": where someone else is; "the trafficker moved her
    between Springfield and Hartford hotels": where the trafficking went, unless a court is named there."""
    return bool(SOMEONE_ELSE_IS.search(text[max(0, place["start"] - 40):place["start"]])
                or WHERE_THE_TRAFFICKING_WENT.search(text[max(0, place["start"] - 60):place["start"]])
                and not SAYS_A_COURT.search(text[place["start"]:place["end"]]))


# "can ct vacate it", "will connecticut clear it": the state whose law acts, not where the case was.
THE_STATE_ACTING = re.compile(r"\W*(courts?\s+|laws?\s+|judges?\s+)?(can|could|will|would|may|might|does|do|should)?\s*(vacate|clear|erase|expunge|"
                              r"cancel|remove|seal|wipe|help|fix|forgive|pardon|take (it|this|that|them) (off|away)|"
                              r"get rid)\b", re.I)
WHERE_THE_TRAFFICKING_WENT = re.compile(r"\b(moved|moving|took|taking|brought|drove|driving|sent|shipped|trafficked|"
                                        r"pimped|sold|selling|had)\s+(me|her|him|them|us)\s+(\w+\s+)?(around\s+)?(between|to|from|"
                                        r"through|across|all over|in|into|up to|down to)\s+(\w+\W+){0,3}$", re.I)
SOMEONE_ELSE_IS = re.compile(r"\b(trafficker|pimp|abuser|exploiter|tratante|padrote)\b\W*(\w+\W+){0,4}$|"
                             # "documented in a later federal case": another case than the conviction's.
                             r"\b(later|another|other|separate|different|subsequent)\s+$|"
                             # "He's serving time federally", "employer indicted D. Conn.": where someone is held or tried.
                             r"\b(serving|doing|did|serves|sentenced to)\s+(\w+\s+){0,2}?(time|years?|sentence)\s*(in\s+)?$|"
                             r"\b(employer|boss|trafficker|pimp|abuser|john|buyer|co-?def\w*|husband|boyfriend|bf|jefe|patr[oó]n)"
                             r"\W+((was|got|is|has been|been)\s+)?(\w+\s+)?(indicted|prosecuted|charged|convicted|sentenced|tried)"
                             r"\s+(in\s+|by\s+|under\s+)?(the\s+)?$|"
                             # "trafficked by a man later federally convicted": the man's case.
                             r"\b(man|guy|dude|men)\s+((who|that)\s+(\w+\s+){0,3}?)?(was\s+|got\s+|is\s+|has been\s+)?"
                             r"(later\s+|eventually\s+|since\s+|also\s+)?$|"
                             # "a guy from bridgeport had me working in ny": where someone is from, not the court.
                             r"\b(guy|man|dude|woman|lady|girl|boyfriend|bf|someone|somebody|people|family|tipo|se[nñ]or|"
                             r"hombre)\s+(who was\s+|that was\s+)?(from|de)\s+$", re.I)
NAMES_CONNECTICUT = re.compile(r"\b(connecticut|conn|ct|c\.t\.|hartford|new haven|bridgeport|stamford|waterbury|"
                               r"norwalk|new britain|new london|danbury|meriden|middletown|bristol|milford|norwich|"
                               r"torrington|rockville|litchfield|putnam|derby|ansonia|manchester|enfield|willimantic|"
                               r"geographical area|\bga\b|judicial district|\bj\.?d\.?)\b", re.I)


def said_of_the_case(before: str) -> bool:
    """A word of the case before the place, and no word of living between them ("... criminal court. I live
    in Hartford now" is where someone lives)."""
    case_word = SAYS_WHERE_THE_CASE_WAS.search(before)
    return bool(case_word) and not LIVING.search(before[case_word.start():])


LIVING = re.compile(r"\b(live[sd]?|living|moved|stay(ing|s)?|reside[sd]?|vivo|vive|vivimos)\b", re.I)


def the_court(values: Dict[str, List[str]], message: Dict[str, Any]) -> Optional[str]:
    """The court of the case: one named, or the one a kind of case names ("juvenile", "tried as an adult"),
    which outweighs a town ("it was juvenile court in waterbury"). None when two are named as
    alternatives ("not sure if it was juvenile or adult court")."""
    if court_named_as_alternatives(message) or "unsure" in values.get("court", []):
        return None
    of_the_kind = COURT_OF_PROCEEDING.get(_one(values, "proceeding", message) or "")
    said = _court(values, message)
    if of_the_kind == "connecticut_juvenile" and said == "connecticut_adult" and not _court_said_in_words(values, message):
        return of_the_kind
    return said or of_the_kind


def court_named_as_alternatives(message: Dict[str, Any]) -> bool:
    """Two courts, or kinds of case, named as alternatives ("could of been ct or ny", "juvenile or adult court")."""
    named = sorted((e for e in message.get("entities") or [] if e.get("entity") in ("court", "proceeding") and "start" in e),
                   key=lambda e: e["start"])
    as_courts = [{**e, "value": COURT_OF_PROCEEDING.get(str(e["value"]), e["value"])} if e["entity"] == "proceeding" else e
                 for e in named]
    return _named_as_alternatives(as_courts, message.get("text") or "")


def _court_said_in_words(values: Dict[str, List[str]], message: Dict[str, Any]) -> Optional[str]:
    """For the kind of case (juvenile or adult): only a court said in words. A town ("in Bridgeport")
    says where, not which court."""
    named = [e for e in message.get("entities") or [] if e.get("entity") == "court"]
    text = message.get("text") or ""
    if any("start" not in e for e in named):
        return _first(values, "court")
    said = _courts_in_words(named, text)
    return str(said[0]["value"]) if said else None


def _courts_in_words(named: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
    return [e for e in named if SAYS_A_COURT.search(text[e["start"]:e["end"]])]


# "it was 2020... no wait, the summer of 2021", "15, sorry 16": what is said after the correction.
SAYS_A_CORRECTION_BETWEEN = re.compile(r"\b(wait|actually|i mean|i meant|sorry|correction|scratch that|my bad|perd[oó]n|"
                                       r"mejor dicho|quiero decir|espera)\b", re.I)


YEARS_SAID = re.compile(r"\b(\d{1,2}(?:\.\d)?)\s*(?:-\s*)?(?:years?|yrs?|a[nñ]os)\b", re.I)
# "i got 2 yrs suspended", "sentenced to 3 years", "did 18 months": the sentence a judge gave, which is not
# the longest term the law sets for the offense (what 54-95c(a) asks about an unclassified felony).
SENTENCE_GIVEN = re.compile(r"\b(got|get|gave \w+|given|sentenced( \w+)? to|served|did|me dieron|le dieron|"
                            r"cumpl[ií]\w*)\W+(\w+\W+){0,2}?\d{1,2}(\.\d)?\s*(-\s*)?(years?|yrs?|a[nñ]os)\b|"
                            r"\b\d{1,2}(\.\d)?\s*(-\s*)?(years?|yrs?|a[nñ]os)\W+(\w+\W+){0,1}?"
                            r"(suspended|probation|in (jail|prison)|served|susp\w*|de c[aá]rcel|probatoria)", re.I)


def misdemeanor_and_felony(message: Dict[str, Any]) -> bool:
    """A misdemeanor and a felony both named, with no correction between: the person does not know which."""
    text = message.get("text") or ""
    named = after_the_last_correction([e for e in message.get("entities") or []
                                       if e.get("entity") == "offense_class" and "start" in e], text)
    # A bare "class B" after "a misdemeanor" is the misdemeanor's class, not a felony.
    kinds = {"misdemeanor" if str(e["value"]) == "misdemeanor" else "felony" for e in named
             if str(e["value"]) == "misdemeanor" or re.search(r"fel", text[e["start"]:e["end"]], re.I)}
    return len(kinds) == 2


def after_the_last_correction(named: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
    for i in range(len(named) - 1, 0, -1):
        if SAYS_A_CORRECTION_BETWEEN.search(text[named[i - 1]["end"]:named[i]["start"]]):
            return named[i:]
    return named


def _named_as_alternatives(named: List[Dict[str, Any]], text: str) -> bool:
    """Two different values joined by "or" or "maybe" ("17 or already 18", "ct or ny", "juvenile court but maybe
    adult"): the person does not know which."""
    return any(str(first["value"]) != str(second["value"])
               and re.search(r"\b(or|o|maybe|possibly|could be|might be|quiz[aá]s|tal vez)\b", text[first["end"]:second["start"]],
                             re.I)
               for first, second in zip(named, named[1:]))


AT_THE_TIME = re.compile(r"\b(when (this|it|that) happened|at the time|back then|that day|on the (offense|offence) date|"
                         r"when (i|she|he|they) (was|were|got) (charged|arrested|picked up)|when it happened)\b", re.I)


def said_two_ages_as_alternatives(message: Dict[str, Any]) -> bool:
    values = entity_values(message)
    return len(set(values.get("age", []))) > 1 and _one(values, "age", message) is None


def dismissed_after_the_plea(message: Dict[str, Any]) -> bool:
    """A conviction and a dismissal both told: "that one got dismissed... I pleaded guilty there" and
    "convicted of larceny, the prostitution charge got dismissed" leave a conviction to ask about; "i pleaded
    guilty but it got dismissed after the program" is one case that ended dismissed."""
    text = message.get("text") or ""
    entities = sorted((e for e in message.get("entities") or [] if "start" in e), key=lambda e: e["start"])
    pleas = [e for e in entities if e.get("entity") == "conviction" and e.get("value") == "convicted"]
    if not pleas:
        return False
    plea = pleas[-1]
    later = [e for e in entities if e["start"] > plea["start"]]
    for entity in later:
        if re.search(r"[.!?;]", text[plea["end"]:entity["start"]]) or entity.get("entity") == "offense":
            return False
        if entity.get("entity") == "conviction" and entity.get("value") == "not_convicted":
            return True
    return False


def _one(values: Dict[str, List[str]], name: str, message: Dict[str, Any]) -> Optional[str]:
    """The value named, unless the person names two as alternatives ("trafficking or promoting??",
    "17 or already 18"): then they do not know which, and neither is taken. An age said to be the
    person's age now ("im 20 now but i was 17") is not the age at the time; of two ages, the one said of
    the time ("17 when he first got hold of him, but when this happened he had already turned 19")."""
    text = message.get("text") or ""
    named = [e for e in message.get("entities") or [] if e.get("entity") == name and "start" in e]
    if len(named) != len(values.get(name, [])):
        return _first(values, name)
    if name == "age":
        # "im 20 now", "tengo 21 años ahora": the age today, not at the time.
        named = [e for e in named if not re.match(r"\s*((or|o)\s+\d{1,2}\s*)?((years?|yrs?|a[nñ]os)( old)?,?\s*)?(now|today|rn|right now|ahora|"
                                                  r"currently|at the moment|actualmente)\b", text[e["end"]:], re.I)]
    named = after_the_last_correction(named, text)
    if _named_as_alternatives(named, text):
        return None
    if name == "age":
        # "he was trafficking me since i was 16", "sending him to men since he was 13": when it began, not the
        # age on the day.
        named = [e for e in named if not SINCE_AN_AGE.search(text[max(0, e["start"] - 30):e["start"]])]
    if name == "age" and len({str(e["value"]) for e in named}) > 1:
        # The words of each age: back to the age before it, and just after it ("17 at the time").
        ends = [0] + [e["end"] for e in named]
        starts = [e["start"] for e in named[1:]] + [len(text)]
        at_the_time = [e for e, before, after in zip(named, ends, starts)
                       if AT_THE_TIME.search(text[max(before, e["start"] - 60):e["start"]])
                       or AT_THE_TIME.match(text[e["end"]:min(after, e["end"] + 20)].lstrip(" ,"))]
        if len({str(e["value"]) for e in at_the_time}) == 1:
            return str(at_the_time[0]["value"])
    return str(named[0]["value"]) if named else None


# "i had just turned 18 in may": the age then, said with the birthday (which the patterns leave out as a date).
JUST_TURNED = re.compile(r"\b(just|already|barely|recently|had)\s+turned\s+(1\d|2[0-5])\b(?!\s+(years?|yrs?)\s+(ago|later))|"
                         # "She turned 18 the week before that": the age on the day.
                         r"\bturned\s+(1\d|2[0-5])\s+(\w+\s+){0,3}?(before|prior to)\s+(that|it|then|the (offense|arrest|incident|date))\b",
                         re.I)
# "she turned 18 in October 2022", "cumplió 17 en marzo": a birthday, with the age it began.
MONTH_NUMBERS = {name: number for number, names in enumerate(
    [("jan", "ene"), ("feb",), ("mar",), ("apr", "abr"), ("may",), ("jun",), ("jul",), ("aug", "ago"),
     ("sep", "set"), ("oct",), ("nov",), ("dec", "dic")], 1) for name in names}
A_BIRTHDAY = re.compile(r"\b(turned|turns|cumpli[oó]|cumpl[ií])\s+(?P<age>1\d|2[0-5])\s+(a[nñ]os\s+)?(in|on|en|back in|last|this)\s+"
                        r"(?P<month>(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|set|dic)[a-z]*)\.?"
                        r"(\s*,?\s*(de(l)?\s+)?(?P<year>(19|20)\d\d))?\b", re.I)


def age_from_a_birthday(text: str, offense_date: dt.date) -> Optional[int]:
    """The age on the offense date, from a birthday said with its month: the age turned if the offense came
    in the year after it, one less in the year before; not known in the birthday's own month, nor when the
    year of a birthday said without one could be either."""
    said = A_BIRTHDAY.search(text)
    month = MONTH_NUMBERS.get((said.group("month") or "")[:3].lower()) if said else None
    if month is None:
        return None
    if said.group("year"):
        year = int(said.group("year"))
    elif month < offense_date.month:
        year = offense_date.year  # "turned 18 in october ... the offense was in november 2022"
    else:
        return None
    months_after = (offense_date.year - year) * 12 + offense_date.month - month
    if 0 < months_after < 12:
        return int(said.group("age"))
    if -12 < months_after < 0:
        return int(said.group("age")) - 1
    return None


SINCE_AN_AGE = re.compile(r"\b(since|starting when|started when|began when|ever since|desde que)\s+(i|she|he|they|"
                          r"we)\s+(was|were|turned|tenia|tenía|era)\s*$|\b(since|from) (age|the age of)\s*$", re.I)
OFFENSE_THEN_CONVICTION = re.compile(r"^\W*(\w+\W+){0,2}?(conviction|convictions|condena)\b", re.I)
WHERE_OR_WHEN_THEN_CONVICTION = re.compile(r"(\b(court|superior|felony|misdemeanou?r|(19|20)\d\d|ct|connecticut|state)\s+|"
                                           r"(^|[.!?;:])\W*)"
                                           r"(conviction|convictions)\b", re.I)
# "is a 53a-82 conviction subject to mandatory vacatur?": a lawyer's question about any such conviction.
ASKED_OF_ANY_CONVICTION = re.compile(r"\b(is|are|does|do|can|could|would|will|should|whether|if|for)\s+(a|an|any)\s+$", re.I)


def names_an_offense_as_a_conviction(message: Dict[str, Any]) -> bool:
    """'criminal trespass conviction, new london 2021', 'Connecticut Superior Court conviction in 2020':
    an offense, a court or a year named as the person's conviction."""
    text = message.get("text") or ""
    if any(e.get("entity") == "offense" and "end" in e and re.search(r"convictions?$", text[e["start"]:e["end"]], re.I)
           for e in message.get("entities") or []):
        return True  # "i have a drug conviction out of meriden court"
    if any(e.get("entity") in ("offense", "statute") and "end" in e and OFFENSE_THEN_CONVICTION.match(text[e["end"]:])
           and not ASKED_OF_ANY_CONVICTION.search(text[max(0, e["start"] - 20):e["start"]])
           for e in message.get("entities") or []):
        return True
    return any(not ASKED_OF_ANY_CONVICTION.search(text[max(0, m.start() - 20):m.start()])
               for m in WHERE_OR_WHEN_THEN_CONVICTION.finditer(text))


# Doubt about one fact, in words: "we don't know the class", "not sure what the max sentence was".
DOUBT_WORD = r"(don'?t|do not|dont|doesn'?t|does not|not sure|unsure|no idea|idk|can'?t remember|cant remember|" \
             r"don'?t remember|not certain|no s[eé]|no sabemos|no recuerd\w*|(nobody|no one|noone) (ever )?(told|said)|" \
             r"(never|wasn'?t|weren'?t) told)\b\W*"
DOUBT = DOUBT_WORD + r"(\w+[^\w.!?;]+){0,5}?"  # within one sentence
DOUBT_ABOUT = {
    "offense_class": re.compile(DOUBT + r"(the |what |which )?(class|clase|level|degree|felony|misdemeanor|misd\w*)\b",
                                re.I),
    "max_prison_years": re.compile(DOUBT + r"(the |what )?(max\w*|sentence|prison term|penalty|how (long|many years))\b",
                                   re.I),
    "offense_date": re.compile(DOUBT + r"(exactly )?(when|(the )?(exact )?date|what (year|month|day))\b", re.I),
    # "idk which court, i was moving around a lot": where the conviction was is not known.
    "court": re.compile(DOUBT + r"(which|what|where|the)( \w+)? (court|state)\b", re.I),
    # "I'm not sure if she was 17 or 18 then", "no sé qué edad tenía": the age is not known.
    "age_at_offense": re.compile(DOUBT_WORD + r"(\w+ ){0,4}?(\d{1,2}\b|how old|(her|his|my|their|the) age\b|"
                                 r"qu[eé] edad|cu[aá]ntos a[nñ]os)|"
                                 # "he turned 18 that same month, not sure if before or after his birthday"
                                 r"\bbefore or after (his|her|my|their|the) (\w+ )?birthday|"
                                 r"\bantes o despu[eé]s de su cumplea[nñ]os", re.I),
    # "I don't know who is asking, the letter doesn't say": who applies is not known.
    "applicant": re.compile(DOUBT_WORD + r"(know |sure |remember )?(exactly )?who\b", re.I),
    # "I don't know if she's claimed anything like that": whether the privilege was claimed is not known.
    # "I'm not sure whether she actually said she was using her Fifth Amendment right": within a clause.
    "privilege_claimed": re.compile(DOUBT_WORD + r"(\w+[^\w.!?;,]+){0,9}?(claimed|invoked|took the fifth|taken the fifth|"
                                    r"pleaded the fifth|refused|(her|his|my|their|the) (fifth|5th|privilege))\b", re.I),
    # "I don't know the charges yet": whether the case is for a listed offense is not known.
    "qualifying_offense": re.compile(DOUBT + r"(the |what )?(charges?|(\w+[^\w.!?;]+){0,2}?('?s |is |are |was |were )?charged)\b",
                                     re.I),
    # "idk what kind of case it is": the kind of proceeding is not known.
    "proceeding": re.compile(DOUBT + r"(what |which )?(kind|type|sort) of (case|proceeding|hearing|court)\b", re.I),
    # "not sure about any of that", "we don't know any of it": the trafficking question as a whole.
    "trafficking_victim": re.compile(DOUBT_WORD + r"(know |remember )?(about )?(any|all|none) of (that|it|this|those)\b",
                                     re.I),
    # "idk what they charged me with exactly, something about trafficking": the charge is not known.
    "charge": re.compile(DOUBT + r"(what |which )?(they |he |she |i )?(was |were |got |am |is )?"
                         r"(charged|charge|charges|the charge)\b", re.I),
}
# Doubt said in words outweighs a fact inferred from other words ("the state's attorney wants my client
# to testify against an associate of her trafficker ... I don't know yet what the charges are").
# "un hombre mayor lo obligaba a vender drogas", "he made me sell pills": what they were made to do, not the charge.
MADE_TO_DO = re.compile(r"(\b(made|makes|make|making|forced|forces|forcing|force|had|has|have|got|gets|get|pushed|pushes)\s+"
                        r"(me|him|her|them|us)\s+(to\s+|into\s+)?|\b(forced|pushed|coerced)\s+into\s+|"
                        r"\b(obligaba|oblig[oó]|obliga|obligaban|obligaron|forzaba|forz[oó]|mandaba|pon[ií]a)\s+a\s+)$", re.I)


def only_what_they_were_made_to_do(message: Dict[str, Any]) -> bool:
    """Every offense named in the message comes right after words of being made to do it."""
    text = message.get("text") or ""
    named = [e for e in message.get("entities") or [] if e.get("entity") == "offense" and "start" in e]
    return bool(named) and all(MADE_TO_DO.search(text[max(0, e["start"] - 30):e["start"]]) for e in named)


A_COURT_GUESSED = re.compile(r"\b(i think|i guess|maybe|probably|i believe|creo que|tal vez|capaz)\b[^.?!]{0,40}"
                             r"\b(court|juvenile|juvie|adult|superior|corte|juvenil)\b[^.?!]{0,20}\?", re.I)
DOUBT_OVERRIDES = {"charge", "applicant", "qualifying_offense", "proceeding", "privilege_claimed"}


def _first(values: Dict[str, List[str]], name: str) -> Optional[str]:
    return values[name][0] if values.get(name) else None


def _number(values: Dict[str, List[str]], name: str, whole: bool = False) -> Optional[float]:
    """A finite number from an entity, or None: a button payload can carry anything ("abc", 1e309)."""
    try:
        number = float(_first(values, name))
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0 or (whole and number != int(number)):
        return None
    return int(number) if whole else number


# Entities that state a fact of a case: a message that states one ("el fiscal, ya le dije", "the prosecutor.
# i dont get the options") is that fact, not a yes or no the classifier heard in it.
FACT_ENTITIES = ("conviction", "court", "offense", "offense_class", "statute", "federal_statute", "exploitation",
                 "age", "proceeding", "privilege", "prison_years", "role", "date", "minor")


def _yes_no_unsure(intent: str, values: Dict[str, List[str]]) -> Optional[str]:
    answer = _first(values, "answer")
    if answer in ("yes", "no", "unsure"):
        return answer
    if any(values.get(name) for name in FACT_ENTITIES):
        return None
    return YES_NO.get(intent)


BEFORE_WORDS = r"\b(before|prior to|earlier than|until|antes de)\b"
AFTER_WORDS = r"\b(after|since|later than|despu[eé]s de|desde)\b"
JUST_BEFORE_THE_DATE = r"\W+(\w+\W+){0,1}$"


def side_of(text: str, words_before_the_date: Optional[str] = None) -> Optional[str]:
    """'before' or 'after' when the person places the date relative to the one they name: the words
    just before the date when known ("after March 2022"), not an "after" elsewhere in the message
    ("in September 2020 ... after she invoked the privilege")."""
    near = words_before_the_date is not None
    sides = [side for side, words in (("before", BEFORE_WORDS), ("after", AFTER_WORDS))
             if re.search(words + JUST_BEFORE_THE_DATE if near else words, words_before_the_date if near else text, re.I)]
    if near and EITHER_SIDE.search(words_before_the_date or ""):
        return EITHER  # "she can't remember whether it was before or after fall 2021"
    return sides[0] if sides else None


EITHER = "either"
EITHER_SIDE = re.compile(r"\b(before|after|antes|despu[eé]s)\s+(or|o)\s+(before|after|antes|despu[eé]s)\b", re.I)


# Dates a person's case can have. A payload can carry any entity value ("/inform{"date": "0001-01-01"}"),
# and the edges of the calendar overflow when a day is added or taken away.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def date_fact(raw: str, boundaries: Iterable[dt.date], side: Optional[str] = None) -> Tuple[Optional[str], bool]:
    """A date from words: ('2019-01-01', True) when every day the words could mean falls on the same
    side of every boundary, so picking one cannot change the answer; (None, False) when it could.
    "before October 2021" means the days before it; "after March 2022", the days after it."""
    parts = str(raw).split("-")
    try:
        year = int(parts[0])
        if not EARLIEST_YEAR <= year <= LATEST_YEAR or len(parts) > 3:
            return None, False
        if len(parts) == 3:
            first = last = dt.date(year, int(parts[1]), int(parts[2]))
        else:
            first = dt.date(year, int(parts[1]), 1) if len(parts) == 2 else dt.date(year, 1, 1)
            last = (dt.date(year + (first.month == 12 and len(parts) == 2), (first.month % 12) + 1, 1)
                    - dt.timedelta(days=1)) if len(parts) == 2 else dt.date(year, 12, 31)
    except ValueError:
        return None, False
    if side == "before":
        low, high = None, first - dt.timedelta(days=1)
    elif side == "after":
        low, high = last + dt.timedelta(days=1), None
    else:
        low, high = first, last
    if any((low is None or low < boundary) and (high is None or boundary <= high) for boundary in boundaries):
        return None, False
    return (high if low is None else low).isoformat(), True


# The court in people's words, and what a juvenile or adult case means for each screening.
COURT_OF_PROCEEDING = {"delinquency": "connecticut_juvenile", "prosecution": "connecticut_adult"}
PROCEEDING_OF_COURT = {"connecticut_juvenile": "delinquency", "connecticut_adult": "prosecution"}
# What a person says was done to them, as the branch of 53a-192a(a) it meets (rules/trafficking.py).
BRANCH_OF_EXPLOITATION = {"sold": "sold_for_sex", "forced": "forced_tricked_or_coerced"}
DENIED_BRANCHES = {"not_forced": ("forced_tricked_or_coerced",), "not_sold": ("sold_for_sex",),
                   "on_their_own": ("forced_tricked_or_coerced", "sold_for_sex"),
                   # "nobody was getting him into anything sexual": no one drew him into sex, nor sold him.
                   "not_used_for_sex": ("minor_induced_into_sex", "sold_for_sex"),
                   "not_a_minor": ("minor_induced_into_sex",)}
# A class answered by its letter alone ("C", "clase c"), when the class is the question.
CLASS_LETTER = re.compile(r"^\W*(?:class|clase)?\s*([a-e])\s*(?:felony|felonia|felonía|delito grave)?\W*$|"
                          r"\b(?:class|clase)\s+([a-e])\b", re.I)
TRAFFICKING_BRANCHES = ("forced_tricked_or_coerced", "sold_for_sex", "minor_induced_into_sex")
TRAFFICKING_FACT_NAMES = TRAFFICKING_BRANCHES + ("trafficking_victim",)
CONVICTION_FACT_NAMES = ("convicted", "court", "offense", "offense_statute", "offense_class", "max_prison_years",
                         "conviction_date", "has_prostitution_conviction")


def minor_described_being_sold_or_used_for_sex(message: Dict[str, Any]) -> bool:
    return disclosures.minor_described_being_sold_or_used_for_sex(message.get("entities") or [])


# A threat of harm behind the person's fear ("he said he'd hurt our mom if my brother didn't drive") is
# coercion, 53a-192a(a)(1); fear alone ("i'm scared of him") is not a fact about the offense.
# Papers taken are a sign of control, not on their own force, fraud or coercion under 53a-192a(a)(1): the
# question is still asked.
THREAT_WORDS = re.compile(r"\b(hurt|kill|threat\w*|beat|amenaz\w*|matar|pegar|deport\w*|post my|tell my|expose|"
                          r"hacer algo|pasar algo)\b", re.I)


# Not "testify against my trafficker" alone: that may be a grand jury or a juvenile case, which the question asks.
# "testify against the guy who trafficked me": a grown man's case is a criminal one.
A_CRIMINAL_TRIAL = re.compile(r"\b(trial|prosecut(ion|ing|ed|es)(?![- ]only)|criminal case|criminal trial|juicio|"
                              r"(case|charges) against (a|an|the|my|his|her|him|them|this|that)|"
                              r"(testify|testifying|testified|testimony|witness|declarar|testificar) (against|contra) "
                              r"(the|my|that|this|her|his|el|mi|ese)\s+(old(er)?\s+|ex[- ]?)?(guy|man|dude|trafficker|pimp|john|"
                              r"boyfriend|abuser|exploiter|tratante|padrote|hombre|señor|senor|ex|husband|esposo|novio))\b", re.I)
# "testify against her ex in a breach of peace case": an offense named as the case is a criminal case.
AN_OFFENSE_AS_THE_CASE = re.compile(r"^\W*(case|charges?|prosecution|matter|count|caso|cargos?)\b", re.I)
A_CASE_AGAINST_SOMEONE = re.compile(r"\b(charged|charges?|trial|prosecution|prosecuted|indicted|juicio|acusado|cargos?|proceedings?|"
                                    r"case|caso)\b", re.I)
# "Does the 53a-192a(b) affirmative defense apply?": the section of the defense asked about, not the charge.
THE_DEFENSE_ITSELF = re.compile(r"^\W*(affirmative\s+)?defen[cs]e\b", re.I)


def sections_of_the_case(message: Dict[str, Any], values: Dict[str, List[str]]) -> List[str]:
    """The sections named, less the defense's own subsection asked about ("charged ... under 53a-192a ...
    Is the 53a-192a(b) affirmative defense available?" is a 53a-192a charge)."""
    return sections_asked_about(message, values, leaving_out=the_defense_itself)


def the_defense_itself(text: str, section: Dict[str, Any]) -> bool:
    return "(b)" in text[section["start"]:section["end"]] or bool(THE_DEFENSE_ITSELF.match(text[section["end"]:]))


def sections_asked_about(message: Dict[str, Any], values: Dict[str, List[str]],
                         leaving_out: Callable[[str, Dict[str, Any]], bool] = lambda text, section: False) -> List[str]:
    """The sections named, less the one that defines what happened to the person ("a victim of sex trafficking
    under 53a-192a ... Does 54-95c reach it?" asks about 54-95c, not the defense in 53a-192a)."""
    text = message.get("text") or ""
    named = [e for e in message.get("entities") or [] if e.get("entity") == "statute" and "end" in e]
    if len(named) != len(values.get("statute", [])):
        return values.get("statute", [])
    return [str(e["value"]) for e in named if not (leaving_out(text, e) or defines_what_happened_or_a_defense(text, e))]


def defines_what_happened_or_a_defense(text: str, section: Dict[str, Any]) -> bool:
    """A section named as the one defining what happened to the person, or a defense's: not a charge."""
    if "start" not in section:
        return False
    return bool(THE_DEFINITION_BEFORE.search(text[max(0, section["start"] - 60):section["start"]])
                or "end" in section and "(a)" in text[section["start"]:section["end"]]
                and THE_DEFINITION_S_FACTS_AFTER.match(text[section["end"]:]))


# "53a-192a(a)(3) facts: recruited and harbored", "192a(a)(1) coercion ... present": what was done to the
# person, told by the subdivision that defines it.
THE_DEFINITION_S_FACTS_AFTER = re.compile(r"^\W*((and|or|&)\s+\(a\)\(\d\)\s*)?(facts?|elements?|conduct|coercion|"
                                          r"present|met|satisfied|established|shown)\b", re.I)


# "a victim of sex trafficking under 53a-192a": the section that defines what happened to them, not the charge;
# "Duress under 53a-14", "an entrapment defense (53a-15)": a defense's section, not the charge either.
THE_DEFINITION_BEFORE = re.compile(r"\b(victim|survivor)s?( of (\w+ )?(trafficking|trafficked)( in persons)?)?,? "
                                   r"((as )?(defined|described) )?(under|in|per|pursuant to|within)( the meaning of)?\s*$|"
                                   r"\b(duress|necessity|entrapment|justification|self-defen[cs]e|defen[cs]e)\s*"
                                   r"(\(|,|under|in|per|pursuant to|at|of)?\s*(§\s*|sec\.?\s*|cgs\s*|c\.g\.s\.\s*)?$", re.I)


SAYS_APPLYING = re.compile(r"\b(ask\w*|wants?|wanted|appl\w*|mov(e|es|ed|ing)|fil(e|ed|es|ing)|order\w*|compel\w*|"
                           r"testif\w*|subpoena\w*|make (me|her|him|them)|quiere\w*|pide|pidi\w*|ped\w+|oblig\w*|"
                           # "a detective said he can get me immunity if i testify"
                           r"(get|gets|give|gives|offer\w*|promis\w*)\s+((me|her|him|them|you|us)\s+)?immunity)\b", re.I)
SAID_BY_THE_PERSON = re.compile(r"\b(i|i'?ll|ill|i'?d|we|we'?ll|i will|i can|i could|have to|need to|gotta|going to|gonna)"
                                # "i said i didnt want to answer": the person's own "want", denied or not.
                                r"\s+((didn'?t|don'?t|do not|did not|never|really|just|wouldn'?t|won'?t|can'?t|cant|dont|didnt)\s+)?$",
                                re.I)


def applying_said_of_someone(message: Dict[str, Any]) -> bool:
    """"His lawyer says he'll get a court order": a word of applying said of someone else, not the person's
    own "I'll have to ask" (which does not make whoever is named the applicant)."""
    text = message.get("text") or ""
    return any(not SAID_BY_THE_PERSON.search(text[max(0, m.start() - 20):m.start()]) for m in SAYS_APPLYING.finditer(text))


NOT_APPLYING_AFTER = re.compile(r"^\W*(\w+\W+){0,2}?(isn'?t|is not|isnt|hasn'?t|has not|hasnt|didn'?t|did not|didnt|won'?t|"
                                r"wont|is never|never|no (est[aá]|ha|va a)|no)\s+(even\s+)?(ask\w*|apply\w*|applied|fil\w*|"
                                r"mov\w*|seek\w*|going to|gonna|pid\w+|ped\w+|solicit\w*|do it|do that)\b|"
                                # "The state's attorney won't do it", "refuses to apply"
                                r"^\W*(\w+\W+){0,2}?(refus\w*|declin\w*)\s+to\s+(ask|apply|file|move|seek|do)\b", re.I)
# The person speaking means to apply themselves ("I want to ask the court myself"): no prosecutor is applying.
THE_SPEAKER_APPLIES = re.compile(r"\b(i|we)\s+(want|wanna|plan|would like|'d like|am going|'m going|are going|intend|"
                                 r"was going|were going|hope)\s+to\s+(ask|petition|apply|move|file)\b(\W+\w+){0,5}?\W+"
                                 r"(court|judge|juez|corte)", re.I)


# A number of an age said on its own, before anything else: "16. it happened oct 20 2021".
AN_AGE_ALONE_FIRST = re.compile(r"^\W*(1[0-9]|2[0-5])\s*[.,;]\s+(?!(19|20)\d\d)\S")


# Only a prosecutor can apply (54-47a(a)); a judge acting with no one asking is not an application.
A_JUDGE_ON_THEIR_OWN = re.compile(r"\b(nobody|no one|noone|nadie) (asked|applied|requested|filed|pidi[oó])|\bon (her|his|their) "
                                  r"own\b|\b(herself|himself|by (her|him)self|sua sponte|own motion|por su cuenta|"
                                  r"por s[ií] mism[oa]|(él|el|ella) mism[oa]|(sin que|without) (nadie|nobody|anyone|anybody|el fiscal|la fiscal|"
                                  r"the prosecutor|the state)( \w+)? (pid\w+|ped\w+|ask\w*|appl\w*|mov\w*))\b", re.I)


# "a breach of peace misdemeanor case": the class, said inside the name of the case.
SAYS_MISDEMEANOR = re.compile(r"\b(misdemeanou?rs?|misd|delito menor)\b", re.I)
# "a criminal case that's only a misdemeanor": the case's class, said of the case with no offense named.
THE_CASE_ONLY_A_MISDEMEANOR = re.compile(r"\b(only|just|merely|solo|nom[aá]s)\s+(a\s+|un\s+)?(class [abc] )?"
                                         r"(misdemeanou?r|misd|delito menor)\b", re.I)


# An order to testify asked for now or soon: the application's date is today.
ASKED_FOR_NOW = re.compile(r"\b(i|we)\s+(want|plan|intend|'?m going|am going|are going|will)\s+to\s+(apply|move|file)\b|"
                           r"\b(wants?|is asking|are asking|is trying|are trying|(is|are|was|were) (going|gonna) to|"
                           r"gonna|will (ask|make|call|have|apply|move|seek|file)|plans? to|intends? to|(is|are) "
                           r"(seeking|pushing|moving|applying|filing)|says? (they|he|she) can|quiere|quieren|"
                           r"est[aá]n? pidiendo|van a|va a|(is|are) (talking|thinking) about|can (they|he|she|the \w+))"
                           r"\b(\W+\w+){0,8}?\W+(testif\w*|take the stand|order|compel\w*|forc\w*|"
                           r"make (me|her|him|them)|testific\w*|declar\w*|oblig\w*|witness|testigo)|"
                           # "im a witness in a juvenile case", "hes being ordered to testify", "got a paper in the
                           # mail": a case going on now.
                           r"\b(i'?m|im|is|are|am|es|soy)\s+(a\s+|the\s+|un\s+|una\s+)?(witness|testigo)\b|"
                           r"\b(being|getting) (ordered|subpoena\w*|forced|made|called|compelled)\b|"
                           # "my cousin has to testify", "tiene que declarar": a testimony still to come.
                           r"\b(has|have|needs?|(is|are) (supposed|scheduled|due|set)|tiene|tienen)\s+(to|que)\s+"
                           r"(testif\w*|take the stand|declarar|testificar)\b|"
                           r"\b(got|received|recib\w+|lleg[oó]) (a |the |una |un )?(paper|subpoena|summons|letter|notice|"
                           r"citaci[oó]n|papel|carta)\b|"
                           # "has now moved for an order", "ahora el fiscal le pidió al juez": just asked.
                           r"\b(now|ahora|just|recently|reci[eé]n|acaba de)\b(\W+\w+){0,9}?\W+(moved|filed|applied|asked|"
                           r"requested|petitioned|pidi[oó]|pidieron|solicit[oó]|solicitaron)\b|"
                           # "its the prosecutor asking the judge": the asking goes on now.
                           r"\b(asking|pidiendo|pidi[eé]ndole)( a)? (the |al? |la )?(judge|court|juez|jueza|corte|tribunal)\b",
                           re.I)


# "me condenaron por uso de tarjetas de credito robadas", "pled guilty to tampering with a motor vehicle": an
# offense named after the words of a conviction, in words no pattern holds.
CONVICTED_OF = re.compile(r"\b(convicted (of|for)|convictions? (for|of)|pled (guilty )?to|pleaded (guilty )?to|"
                          r"plead (guilty )?to|(found|was|been) guilty (of|for)|me condenaron por|l[oa]s? condenaron por|"
                          r"condenad[oa] por|(una )?condena por|culpable de)\s+(?P<what>[^.,;:!?()\n]{3,80})", re.I)
ENDS_THE_NAME = re.compile(r"\s+(in|at|en|back|when|because|bc|cuz|porque|cuando|last|ago|from|on|around|after|before|"
                           r"while|during|but|pero|which|que|thats|that|its|it|and|y|since|desde|hace|like|for|por)\b.*|"
                           r"\s*\d.*$", re.I)
# What no pattern holds may still be a prostitution offense, a trafficking one, or no offense at all ("of it",
# "to a felony"): those are asked about, never taken as another offense.
NOT_AN_OFFENSE_OF_ITS_OWN = re.compile(r"\b(prostitu\w*|sex\w*|solicit\w*|patroni\w*|lewd\w*|loiter\w*|escort\w*|"
                                       r"traf\w*|trata|johns?|massage|indecen\w*|felon\w*|felon[ií]a|misdemean\w*|crimes?|"
                                       r"crimen|delitos?|charges?|cargos?|offen[cs]es?|something|algo|everything|"
                                       r"it|that|this|them|those|these|all|one|same|what|eso|esto|todo|lo|la|class|clase|"
                                       r"degree|grado|stuff|things?|shit|cosas?|he|she|they|we|i|me|him|her|us|my|his|their|you)\b", re.I)


NOT_PROSTITUTION = re.compile(r"\b(not|isn'?t|wasn'?t|no|non)(\s+|-)(a\s+|an\s+)?(53a-82|prostitution)\b"
                              # "opened vacatur to non-prostitution convictions": a kind, in the plural.
                              r"(?!(\s+|-)(related\s+)?(convictions|offen[cs]es|cases|crimes|charges|ones|yet|either))", re.I)


# "is this something that can be vacated or does it only work for prostitution": a kind of offense the law
# may be only for, not the person's conviction ("i only have a prostitution conviction" is theirs).
ONLY_FOR_A_KIND = re.compile(r"\b(only|just|solo|solamente|nom[aá]s)\s+(\w+\s+){0,2}?(works?|applies|apply|covers?|counts?|"
                             r"for|about|to|para|aplica|sirve)\s+((the|a|an|el|la|los|las)\s+)?$|"
                             # "is it mandatory like prostitution or up to the judge": the kind compared with.
                             r"\b(mandatory|discretionary|automatic|required|the same)\s+(like|as)\s+(for\s+|with\s+)?(a\s+|an\s+)?$",
                             re.I)


# "the 22yo was trafficking her from 15 on": the age of the one who did it, not the person's.
THE_AGE_OF_THE_ONE_WHO_DID_IT = re.compile(r"^[ \t-]*(yo|y/o|y\.o\.?|years? old|yrs? old)?[ \t)]*(man |guy |dude |male )?(was|is|had|has|kept|got|"
                                           r"used to)\s+(been\s+|be\s+)?(trafficking|selling|pimping|prostituting|exploiting|"
                                           r"running|using|grooming)\s+(her|him|me|them|us|girls|kids|the)\b", re.I)
# "does this law help me or is it only for ppl who were trafficked": people in general, not the person.
PEOPLE_IN_GENERAL_BEFORE = re.compile(r"\b(people|ppl|persons|those|someone|somebody|anyone|anybody|victims|survivors|women|"
                                      r"girls|kids|folks|gente|personas|quienes|los|las)\s+(who|that|whom|q|que)\s+((were|was|are|"
                                      r"is|have been|has been|had been|got|get|fueron|han sido|son|eran)\s+)?(\w+\s+)?$", re.I)


# "She was trafficked at the time (sex trafficking, ...)", "víctima de trafficking": what was done to the person,
# with no word of a charge between.
WHAT_WAS_DONE_TO_THEM_BEFORE = re.compile(r"\b(trafficked|victim|survivor|v[ií]ctima)\b(?P<between>[^.;?!]*)$", re.I)
A_WORD_OF_A_CHARGE = re.compile(r"\b(charg\w*|convict\w*|accus\w*|arrest\w*|pled|plea\w*|guilty|petition|acus\w*|"
                                r"conden\w*|count|indict\w*|fac(es|ing|ed)|case|caso|trial|prosecut\w*|matter)\b", re.I)
# "2 yrs before the trafficking", "during the trafficking": a time of their life, not a charge.
THE_TIME_OF_IT_BEFORE = re.compile(r"\b(before|after|during|since|until|till|from|throughout|end of|start of)\s+"
                                   r"(the|her|his|my|their|all the|all that)\s*$", re.I)
# "She won't use the word trafficking", "calls it trafficking": a word for what happened, not a charge.
NAMED_AS_A_WORD_BEFORE = re.compile(r"\b(the word|the term|the label|call it|calls it|called it|calling it)\s+['\"]?$", re.I)
# "where the trafficking is federal ch. 77", "the trafficking happened in NY": the trafficking itself.
THE_EVENT_AFTER = re.compile(r"^\s+(is|was|were|happened|took place|ended|started|began|itself|itself,)\b", re.I)
# "Over the 10 yr cap I assume?": the law's limit, not the term the offense carries.
THE_LAW_S_CAP_AFTER = re.compile(r"^\W*(cap|limit|threshold|ceiling|rule|prong|line|cutoff|cut-off)\b", re.I)
# "federal ch. 77 rather than 53a-192a": a section set beside the case's, not the case's.
COMPARED_WITH_BEFORE = re.compile(r"\b(rather than|instead of|versus|vs\.?|as opposed to|compared to|compared with)\s*$", re.I)
# "non-prostitution offenses": what the offense is not.
NOT_THIS_KIND_BEFORE = re.compile(r"\bnon[- ]$", re.I)
# "covering unclassified felonies w/ max of not more than 10", "54-47a is for CT prosecutors. Can an AUSA apply?":
# a kind, in the plural, not this case's.
A_KIND_IN_THE_PLURAL = re.compile(r"(felonies|misdemeanou?rs|prosecutors|attorneys|lawyers|judges|defenders|fiscales|"
                                  r"abogados|jueces)$", re.I)
# "she was one of the girls who were sold": the person among people in general.
ONE_AMONG_THEM_BEFORE = re.compile(r"\b(one of|among|uno de|una de)\b", re.I)


def what_was_done_to_them_before(before: str) -> bool:
    done = WHAT_WAS_DONE_TO_THEM_BEFORE.search(before)
    return bool(done) and not A_WORD_OF_A_CHARGE.search(done.group("between"))


def without_words_not_about_this_case(message: Dict[str, Any]) -> Dict[str, Any]:
    """The message less the words that are not about this case: an offense the law may be "only for" (or
    "non-prostitution", what it is not), classes in the plural, the age of the one who did it, what was done
    to people in general."""
    entities = message.get("entities") or []
    text = message.get("text") or ""

    def of_this_case(entity: Dict[str, Any]) -> bool:
        if "start" not in entity or "end" not in entity:
            return True
        before, after = text[max(0, entity["start"] - 40):entity["start"]], text[entity["end"]:]
        kind = entity.get("entity")
        return not (kind == "offense" and (ONLY_FOR_A_KIND.search(before) or NOT_THIS_KIND_BEFORE.search(before)
                                           or entity.get("value") == "trafficking_in_persons"
                                           and (what_was_done_to_them_before(before) or THE_TIME_OF_IT_BEFORE.search(before)
                                                or NAMED_AS_A_WORD_BEFORE.search(before)
                                                or THE_EVENT_AFTER.match(after) and before.lower().endswith("the ")
                                                # "Trafficking: she was being sold by a third party": a heading.
                                                or not before.strip() and after.lstrip().startswith(":")))
                    or kind == "age" and THE_AGE_OF_THE_ONE_WHO_DID_IT.match(after)
                    or kind == "prison_years" and THE_LAW_S_CAP_AFTER.match(after)
                    or kind == "statute" and COMPARED_WITH_BEFORE.search(before)
                    or kind in ("offense_class", "role") and A_KIND_IN_THE_PLURAL.search(text[entity["start"]:entity["end"]])
                    or kind == "exploitation" and PEOPLE_IN_GENERAL_BEFORE.search(before)
                    and not ONE_AMONG_THEM_BEFORE.search(before))

    kept = [e for e in entities if of_this_case(e)]
    return message if len(kept) == len(entities) else {**message, "entities": kept}


def words_of_the_offense_named(message: Dict[str, Any]) -> Optional[str]:
    text = message.get("text") or ""
    named = [e for e in message.get("entities") or [] if e.get("entity") == "offense" and "end" in e]
    words = text[named[0]["start"]:named[0]["end"]].lower() if len(named) == 1 else ""
    return words if re.fullmatch(r"[^\W\d_][\w .'-]*", words) else None  # not a button's payload


def offense_in_their_own_words(text: str) -> Optional[str]:
    said = CONVICTED_OF.search(text)
    if not said:
        return None
    words = ENDS_THE_NAME.sub("", said.group("what")).strip(" '\"")
    words = re.sub(r"^(a|an|the|un|una|el|la)\s+", "", words, flags=re.I)
    if not words or len(words.split()) > 8 or NOT_AN_OFFENSE_OF_ITS_OWN.search(words):
        return None
    return words


# "before my client (juvenile witness) has been asked anything or claimed the privilege": not claimed yet.
CLAIM_STILL_TO_COME = re.compile(r"\b(before|antes de( que)?)\b[^.;:!?,]{0,80}?\b(claim\w*|invok\w*|assert\w*|plead\w*|"
                                 r"pled|took|take|taking|refus\w*|acog\w*|neg\w*)\b", re.I)


def trafficking_facts(message: Dict[str, Any]) -> Dict[str, Any]:
    """The trafficking facts a message states about the person (never the offense they were charged with),
    denials included: "nobody forced her" is forced_tricked_or_coerced false."""
    said = set(entity_values(message).get("exploitation", []))
    text = message.get("text") or ""
    if A_VICTIM_UNDER_THE_SECTION.search(text):
        said.add("trafficked")  # "She was a victim under 53a-192a at the time of the offense"
    if any(e.get("entity") == "danger" and e.get("value") == "fear" and "start" in e
           and THREAT_WORDS.search(text[e["start"]:e["end"]]) for e in message.get("entities") or []):
        said.add("forced")
    found: Dict[str, Any] = {BRANCH_OF_EXPLOITATION[s]: True for s in said if s in BRANCH_OF_EXPLOITATION}
    for denial, branches in DENIED_BRANCHES.items():
        if denial in said:
            found.update({b: False for b in branches if b not in found})
    if "used_for_sex" in said:
        under_18 = disclosures.says_under_18(message.get("entities") or [])
        found["minor_induced_into_sex" if under_18 else "sold_for_sex"] = True
    if (DENIED_ALTOGETHER.search(text) or THE_TRAFFICKING_WAS_OVER.search(text)) and said & set(DENIED_BRANCHES) \
            and not any(found.values()):
        # "nobody was controlling me or anything", "nobody was making me do anything by then": the denial reaches
        # every way of being trafficked.
        found.update({b: False for b in TRAFFICKING_BRANCHES if b not in found})
        found["trafficking_victim"] = "no"
    if "trafficked" in said and not found:
        found["trafficking_victim"] = "yes"
    elif "not_trafficked" in said and not any(found.values()):
        found["trafficking_victim"] = "no"  # "I wasn't trafficked or anything"
    if not found.get("minor_induced_into_sex") and said_an_adult_age(message):
        found["minor_induced_into_sex"] = False  # "i was 26. no pimp": no one induced a minor
    if trafficking_over_before_a_later_year(text):
        # "trafficked from 2014 to 2016 and i got out. in 2020 i got a DUI": what was done to them was over
        # before this case, so whether it was the reason for it is asked, not assumed.
        found = {name: value for name, value in found.items() if value in (False, "no")}
    return found


# The year the trafficking ended: "from 2014 to 2016", "2014-2016", "until 2016", "got out in 2016".
TRAFFICKING_ENDED_IN = re.compile(r"\b(?:19|20)\d\d\s*(?:-|–|to|until|till|til|thru|through)\s*((?:19|20)\d\d)\b|"
                                  r"\b(?:until|till|til|through|thru)\s+((?:19|20)\d\d)\b|"
                                  r"\b(?:got out|left|escaped|got away)\b\W+(?:\w+\W+){0,3}?in\s+((?:19|20)\d\d)\b", re.I)
SAYS_THEY_GOT_OUT = re.compile(r"\b(got out|left (him|her|them|the life)|escaped|got away|out of the life|sal[ií]|me escap[eé])\b",
                               re.I)
A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def trafficking_over_before_a_later_year(text: str) -> bool:
    """The person got out, the trafficking ended in a year they name, and the message names a later year
    (the case's). "trafficked 2014-2016, convicted in 2017" alone is not this: a conviction often comes
    after an offense done while trafficked."""
    ended = TRAFFICKING_ENDED_IN.search(text)
    if not ended or not SAYS_THEY_GOT_OUT.search(text):
        return False
    end_year = int(next(year for year in ended.groups() if year))
    return any(int(year.group()) > end_year for year in A_YEAR.finditer(text) if year.start() >= ended.end())


# "nobody was making me do anything by then", "ya nadie me obligaba": the trafficking had ended.
THE_TRAFFICKING_WAS_OVER = re.compile(r"\b(by then|by that (time|point)|by the time|years (earlier|before that|prior)|"
                                      # "the larceny was before she ever met him", "2 yrs before the trafficking"
                                      r"before (i|she|he|they|we) (ever |even )?met (him|her|them)|before the trafficking|"
                                      r"(i|she|he|they|we) (was|were) (already )?out\b|at that point|anymore|any more|no longer|"
                                      r"after (i|she|he|they|we) (got out|left|escaped|got away)|ya no|ya nadie)\b", re.I)
DENIED_ALTOGETHER = re.compile(r"\b(nobody|no one|noone|never|not|no|wasn'?t|didn'?t|nadie|nunca)\b[^.?!]{0,50}\b(or anything|"
                               r"or nothing|or anything like that|nothing like that|none of that|ni nada|nada de eso)\b|"
                               # "no pimp nothing", "it was just me"
                               r"\bno \w+,? nothing\b|\b(it was|was) (just|only) me\b|\bon my own\b", re.I)
A_VICTIM_UNDER_THE_SECTION = re.compile(r"\b(was|were|is|am|been)\s+(\w+\s+)?a\s+(victim|survivor)\s+(under|per|pursuant to|"
                                        r"within the meaning of)\s+(§\s*|sec\.?\s*|section\s+|cgs\s+|c\.g\.s\.\s+)?"
                                        r"(53a-192a|18\s*u\.?s\.?c)", re.I)


# "idk if he was selling me", "still working up whether she was trafficked": not known, which is an answer.
DOUBTED_FACT = {"unsure_sold": "sold_for_sex", "unsure_forced": "forced_tricked_or_coerced",
                "unsure_trafficked": "trafficking_victim"}
EXPLOITED = {"sold", "used_for_sex", "forced", "trafficked"}
# Words of trafficking itself: "can they force me to testify" is about the order, not a trafficking case.
TRAFFICKED_THEM = {"sold", "used_for_sex", "trafficked"}


def trafficking_doubts(message: Dict[str, Any], found: Dict[str, Any]) -> List[str]:
    said = entity_values(message).get("exploitation", [])
    doubted = [DOUBTED_FACT[s] for s in said if s in DOUBTED_FACT]
    if any(found.get(b) for b in TRAFFICKING_BRANCHES) or found.get("trafficking_victim") == "yes":
        return []
    doubted = [name for name in dict.fromkeys(doubted) if name not in found]
    if len(doubted) > 1 and "trafficking_victim" not in doubted:
        doubted.append("trafficking_victim")  # "idk if anyone was controlling her or selling her": all of it
    return doubted


def said_an_adult_age(message: Dict[str, Any]) -> bool:
    """Every age said is 18 or more, and one was said in the past ("i was 26"): "i'm 24" may be now,
    about a conviction from when they were 15."""
    text = message.get("text") or ""
    ages = [e for e in message.get("entities") or [] if e.get("entity") == "age" and "start" in e]
    numbers = [disclosures.age_in_years(e.get("value")) for e in ages]
    said_of_the_past = any(AGE_IN_THE_PAST.search(text[max(0, e["start"] - 25):e["start"]]) for e in ages)
    return said_of_the_past and all(n is not None and n >= disclosures.ADULT_AGE for n in numbers) \
        and not disclosures.says_under_18(message.get("entities") or [])


# A juvenile court's judgment, which for 54-95c is asked about like a conviction (and answered as a juvenile record).
# "they charged me last year for stuff from 2019": when someone was charged is not when the offense was.
SAID_OF_THE_CHARGE = re.compile(r"\b(charged|arrested|picked up|indicted|petitioned|caught|locked up|booked|acusaron|"
                                r"arrestaron)\b(\W+\w+){0,3}\W*$", re.I)


THE_LAW_S_DATE_BEFORE = re.compile(r"\b(effective( date)?|took effect|takes effect|in effect|in force|enacted|became law|"
                                   r"vigente|entr[oó] en vigor)\b[^.;]{0,30}$|"
                                   # "Client turned 18 on 6/20/2023", "DOB 3/4/2006": a birthday, not the case's date.
                                   r"\b(turn(s|ed)?\s+(\d\d|eighteen|seventeen|sixteen)\s+(on\s+)?|d\.?o\.?b\.?:?\s*|"
                                   r"born\s+(on\s+)?|birthday\s+(is\s+|was\s+)?(on\s+)?)$", re.I)


# "Case only charged last year", "wasn't arrested until 2025": when the charge came, after the offense.
CHARGED_ONLY_LATER_BEFORE = re.compile(r"(\b(only|just|not|until|later|finally|eventually)\s+|n'?t\s+)(\w+\s+)?(charged|arrested|"
                                       r"indicted|filed|petitioned|brought)\b[^.;]{0,20}$|"
                                       r"\b(charged|arrested|indicted|filed|petitioned)\s+(until|only|later)\b[^.;]{0,20}$", re.I)


def dates_of_the_case(topic: str, message: Dict[str, Any], values: Dict[str, List[str]]) -> List[str]:
    """The dates that can be the date asked for: of two or more, those said after a correction, and for the
    offense date not one said of the charge or the arrest."""
    dates = values.get("date", [])
    text = message.get("text") or ""
    # "effective date of 192a(b) - is it 10/1/2021?": the law's date, not the case's.
    said = [e for e in message.get("entities") or [] if e.get("entity") == "date" and "start" in e]
    if len(said) == len(dates):
        dates = [str(e["value"]) for e in said
                 if not THE_LAW_S_DATE_BEFORE.search(text[max(0, e["start"] - 50):e["start"]])
                 and not (topic == "affirmative_defense"
                          and CHARGED_ONLY_LATER_BEFORE.search(text[max(0, e["start"] - 40):e["start"]]))]
    if len(set(dates)) < 2:
        return dates
    named = after_the_last_correction([e for e in message.get("entities") or []
                                       if e.get("entity") == "date" and "start" in e], text)
    of_the_offense = [str(e["value"]) for e in named if topic != "affirmative_defense"
                      or not SAID_OF_THE_CHARGE.search(text[max(0, e["start"] - 40):e["start"]])]
    return in_the_year_said(of_the_offense or dates, named, text)


def in_the_year_said(dates: List[str], named: List[Dict[str, Any]], text: str) -> List[str]:
    """"el summer del 2022, en julio": a month said without its year is in the one year said beside it,
    not the current year the month alone was read as."""
    said_years = {str(e["value"])[:4] for e in named if re.search(r"\b(19|20)\d\d\b", text[e["start"]:e["end"]])}
    if len(said_years) != 1:
        return dates
    year = said_years.pop()
    without_a_year = {str(e["value"]) for e in named if not re.search(r"\b(19|20)?\d\d\b", text[e["start"]:e["end"]])}
    return [year + d[4:] if d in without_a_year else d for d in dates]


AGE_IN_THE_PAST = re.compile(r"\b(was|were|wuz|waz|ten[ií]a|turned|at)\W+(\w+\W+)?$", re.I)


def facts_in_message(topic: str, message: Dict[str, Any], requested: Optional[str],
                     boundaries: Iterable[dt.date] = ()) -> Tuple[Dict[str, Any], List[str], List[str]]:
    """Facts of `topic` the message gives: (slot values, facts answered "not sure", notes for the person).

    Answers without a subject ("yes", "17", "not sure") count only for the question just asked."""
    message = without_words_not_about_this_case(message)
    intent = (message.get("intent") or {}).get("name") or ""
    values = entity_values(message)
    found: Dict[str, Any] = {}
    unsure: List[str] = []
    notes: List[str] = []
    answer = _yes_no_unsure(intent, values)
    names = fact_names(topic)

    # "Can my client use 54-95c for her 53a-82 conviction?": the section asked about is not the conviction.
    statute = next((s for s in sections_of_the_case(message, values) if can_be_a_conviction(load_library(), s)), None)
    text = message.get("text") or ""
    offense = _one(values, "offense", message)
    if offense == "prostitution" and NOT_PROSTITUTION.search(text):
        offense = "other_offense"  # "a non-prostitution offense"
    court = the_court(values, message)
    if topic in ("vacatur", "affirmative_defense"):
        found.update(trafficking_facts(message))
        for name in trafficking_doubts(message, found):
            if name == "trafficking_victim":
                found[name] = "unsure"
            unsure.append(name)
    if topic == "vacatur":
        conviction = _first(values, "conviction")
        if {"convicted", "not_convicted"} <= set(values.get("conviction", [])):
            conviction = "not_convicted" if dismissed_after_the_plea(message) else "convicted"
        if not conviction and (names_an_offense_as_a_conviction(message) or FOUND_DELINQUENT.search(text)):
            conviction = "convicted"  # "criminal trespass conviction, new london 2021", "they found him delinquent"
        if conviction == "unsure":
            unsure.append("convicted")
        elif conviction:
            found["convicted"] = conviction == "convicted"
        if court:
            found["court"] = court
        elif court_named_as_alternatives(message) or "unsure" in values.get("proceeding", []) \
                or "unsure" in values.get("court", []):
            unsure.append("court")
        if statute:
            found["offense_statute"] = statute
        elif offense:
            found["offense"] = offense if offense in KNOWN_OFFENSES else "other_offense"
            if offense != "other_offense":
                found["offense_words"] = offense.replace("_", " ")  # to mirror the person's words
            elif (words := words_of_the_offense_named(message)) and not NOT_PROSTITUTION.search(text):
                found["offense_words"] = words  # "a DUI": the offense told apart from another "other offense"
        elif NOT_PROSTITUTION.search(text) and not values.get("offense"):
            found["offense"] = "other_offense"  # "Not a 53a-82 count": an offense other than prostitution
        elif (words := offense_in_their_own_words(text)) and not values.get("offense"):
            found["offense"], found["offense_words"] = "other_offense", words
        # "a felony. ... class b": the class named, not the bare "felony" said before it.
        offense_class = next((c for c in values.get("offense_class", []) if c != "felony"), None)
        if offense_class and (_one(values, "offense_class", message) is None or misdemeanor_and_felony(message)):
            offense_class = None  # "idk if it was a felony or misdemeanor", "felony, misdemeanor, i dont know"
            unsure.append("offense_class")
        letter = CLASS_LETTER.search(message.get("text") or "") if requested == "offense_class" else None
        if offense_class:
            found["offense_class"] = offense_class
        elif letter and not re.search(r"misd|menor", message.get("text") or "", re.I):
            found["offense_class"] = f"class_{(letter.group(1) or letter.group(2)).lower()}_felony"
        if _number(values, "prison_years") is not None:
            found["max_prison_years"] = _number(values, "prison_years")
        elif requested == "max_prison_years" and _number(values, "age") is not None:
            found["max_prison_years"] = _number(values, "age")  # a bare number answers the question
        elif requested == "max_prison_years" and (years := YEARS_SAID.search(text)) \
                and not SENTENCE_GIVEN.search(text):
            found["max_prison_years"] = float(years.group(1))  # "max for a first offense is 7 years"
    elif topic == "affirmative_defense":
        if statute:
            found["charge_statute"] = statute
        elif offense and not only_what_they_were_made_to_do(message):
            found["charge"] = "trafficking_in_persons" if offense == "trafficking_in_persons" else "other_offense"
        elif THE_DEFENSE_BY_ITS_SECTION.search(text) and not values.get("offense") and a_case_of_the_person(values) \
                and set(values.get("statute", [])) <= {"53a-192a"} and A_CHARGE_S_WORDS.search(text):
            # "192a(b) affirmative defense, juvenile docket. ... 16 on the DOO": the defense of 53a-192a(b) is
            # raised only against a charge under 53a-192a, so a lawyer raising it for a client names that charge.
            found["charge_statute"] = "53a-192a"
        age = _number({"age": [_one(values, "age", message)]} if values.get("age") else {}, "age", whole=True)
        if age is None and (alone := AN_AGE_ALONE_FIRST.match(text)) and requested != "age_at_offense":
            age = int(alone.group(1))  # "16. it happened oct 20 2021": the age, then the date asked for
        turned_before = (turned := JUST_TURNED.search(text)) and turned.group(5)
        if turned_before:
            age = int(turned.group(5))  # "She turned 18 the week before that. ... since she was 15": 18 that day
        elif turned and age is None and not said_two_ages_as_alternatives(message):
            age = int(turned.group(2))  # "i had just turned 18 in may. he was trafficking me since i was 16"
        elif turned and age is not None and int(turned.group(2)) != age and re.search(
                r"\b(or|o)\b(\W+\w+){0,3}?\W+" + re.escape(turned.group(0)), text, re.I):
            age = None  # "he was 17 or maybe had just turned 18": either, not known
            unsure.append("age_at_offense")
        if age is not None:
            found["age_at_offense"] = age
        proceeding = _first(values, "proceeding") or PROCEEDING_OF_COURT.get(_court_said_in_words(values, message) or "")
        if proceeding in ("delinquency", "prosecution"):
            found["proceeding"] = proceeding
    elif topic == "compelled_testimony":
        proceeding = _one(values, "proceeding", message) \
            or PROCEEDING_OF_COURT.get(_court_said_in_words(values, message) or "")
        if (values.get("proceeding") and not proceeding) or proceeding == "unsure":
            proceeding = None
            unsure.append("proceeding")  # "idk if its a grand jury thing or a trial or what"
        elif not proceeding and (A_CRIMINAL_TRIAL.search(text) or any(
                e.get("entity") == "offense" and "end" in e and AN_OFFENSE_AS_THE_CASE.match(text[e["end"]:])
                for e in message.get("entities") or [])) and not re.search(r"juv\w*|delinquen\w*", text, re.I):
            proceeding = "prosecution"  # "his trial", "testify against a john", "a breach of peace case": criminal
        if proceeding:
            found["proceeding"] = {"prosecution": "criminal"}.get(proceeding, proceeding)
        # "im a public defender ... the states attorney wants her to testify": the one who can apply.
        # "The prosecutor isn't asking for anything": named, and said not to be the one applying.
        not_applying = {str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == "role"
                        and "end" in e and NOT_APPLYING_AFTER.match(text[e["end"]:])}
        roles = [APPLICANT_OF_ROLE.get(r, r) for r in values.get("role", []) if r not in not_applying]
        # "he will get a court order from the judge ... can a detective do that??": the judge gives the order;
        # whoever else is named is the one who would ask for it.
        role = next((r for r in roles if r in APPLICANT_ROLES), next((r for r in roles if r != "judge"),
                                                                      roles[0] if roles else None))
        if THE_SPEAKER_APPLIES.search(text) and role not in APPLICANT_ROLES:
            found["applicant"] = "other"  # "I want to ask the court myself, on behalf of our organization"
        elif roles and (_one(values, "role", message) is None or "unsure" in roles):
            unsure.append("applicant")  # "idk if its the prosecutor or his lawyer"
        elif role in APPLICANT_ROLES:
            found["applicant"] = role
        elif role == "judge" and A_JUDGE_ON_THEIR_OWN.search(text):
            found["applicant"] = "other"  # "nobody asked for it, the judge just decided herself": no application
        elif (role in NOT_AN_APPLICANT or "dcf" in values.get("council_member", [])) \
                and (requested == "applicant" or applying_said_of_someone(message)):
            found["applicant"] = "other"  # not "his lawyer handled the hearing": who applies, not who is there
        privilege = _first(values, "privilege")
        if privilege == "claimed" and CLAIM_STILL_TO_COME.search(text):
            privilege = "not_claimed"  # "wants to apply now, before my client has claimed the privilege"
        if "unsure" in values.get("privilege", []) and privilege == "not_claimed":
            privilege = "unsure"  # "no he dicho nada, no sé si voy a usar la quinta": not yet, and may still
        if privilege == "unsure":
            unsure.append("privilege_claimed")  # "i dont know if i said the fifth thing"
        elif privilege:
            found["privilege_claimed"] = privilege == "claimed"
        offenses = set(values.get("offense", [])) | {STATUTE_OF_OFFENSE[s] for s in sections_of_the_case(message, values)
                                                     if s in STATUTE_OF_OFFENSE}
        if SAID_NOT_LISTED.search(text):
            found["qualifying_offense"] = False  # "evading responsibility, not one of the offenses 54-47a lists"
        elif SAID_LISTED.search(text):
            found["qualifying_offense"] = True  # "The charge is one of the offenses enumerated in (a)(1)"
        elif QUALIFYING_OFFENSES & offenses or QUALIFYING_CLASSES & set(values.get("offense_class", [])):
            found["qualifying_offense"] = True  # "his trial, charged under 53a-192a"
        elif ("misdemeanor" in values.get("offense_class", []) or SAYS_MISDEMEANOR.search(text)
              or {"class_d_felony", "class_e_felony"} & set(values.get("offense_class", []))) \
                and (offenses or THE_CASE_ONLY_A_MISDEMEANOR.search(text)) and not listed_kind_said(text):
            found["qualifying_offense"] = False  # "breach of peace, a misdemeanor", "larceny 3rd (class D felony)":
            # neither a listed kind nor a class A, B or C felony (54-47a(a)(1))
        elif listed_kind_said(text) and (A_CASE_AGAINST_SOMEONE.search(text) or requested == "qualifying_offense"):
            found["qualifying_offense"] = True  # "a prosecution for arson and a felonious crime of violence"
        elif TRAFFICKED_THEM & set(values.get("exploitation", [])) and A_CASE_AGAINST_SOMEONE.search(text):
            found["qualifying_offense"] = True  # "its his criminal trial, hes charged with trafficking me"
        elif requested == "qualifying_offense" and EXPLOITED & set(values.get("exploitation", [])):
            found["qualifying_offense"] = True  # "it's for trafficking me and 2 other girls": a trafficking case

    if topic == "compelled_testimony" and not values.get("date") and ASKED_FOR_NOW.search(text):
        found["proceeding_date"] = dt.date.today().isoformat()  # "the state's attorney wants her to testify"

    # "this summer, in july": the most precise date said.
    date = max(dates_of_the_case(topic, message, values), key=len, default=None)
    date_name = {"affirmative_defense": "offense_date", "compelled_testimony": "proceeding_date"}.get(topic)
    if date and date_name:
        where = next((e["start"] for e in message.get("entities") or []
                      if e.get("entity") == "date" and str(e.get("value")) == date and "start" in e), None)
        before_the_date = text[max(0, where - 30):where] if where is not None else None
        side = side_of(text, before_the_date)
        value, decided = date_fact(date, boundaries, side) if side != EITHER else (None, False)
        if side == EITHER:
            unsure.append(date_name)
        elif value:
            found[date_name] = value
        elif requested == date_name:
            notes.append("date_not_precise")

    if topic == "affirmative_defense" and "age_at_offense" not in found and found.get("offense_date") and len(date) >= 7 \
            and (age := age_from_a_birthday(text, dt.date.fromisoformat(found["offense_date"]))) is not None:
        found["age_at_offense"] = age  # "turned 18 in October 2022; the offense is from November 2022": 18

    if "court" in found and "court" in names and A_COURT_GUESSED.search(text):
        found.pop("court")  # "i think it was juvenile court?": a guess, asked back, not taken
        unsure.append("court")
    for name, doubt in DOUBT_ABOUT.items():
        if name in names and doubt.search(text) and (name not in found or name in DOUBT_OVERRIDES):
            found.pop(name, None)
            unsure.append(name)
    if "charge" in unsure and "charge_statute" in names and "charge_statute" not in found:
        unsure.append("charge_statute")  # the question asks for the charge by its section
    if topic == "affirmative_defense" and "age_at_offense" not in found and said_two_ages_as_alternatives(message):
        unsure.append("age_at_offense")  # "either 17 or had just turned 18, we can't pin it down"

    # "Did someone sell you?" "Yes, convicted in CT adult court": the yes is about the conviction.
    about_the_conviction_only = bool(found) and set(found) <= set(CONVICTION_FACT_NAMES) | {"offense_words"}
    if requested in TRAFFICKING_FACT_NAMES and about_the_conviction_only:
        answer = None
    if requested in names and requested not in found and answer:
        if requested in ("convicted", "privilege_claimed", "qualifying_offense", "has_prostitution_conviction",
                         *TRAFFICKING_BRANCHES):
            if answer == "unsure":
                unsure.append(requested)
            else:
                found[requested] = answer == "yes"
        elif requested == "trafficking_victim":
            found[requested] = answer
            if answer == "unsure":
                unsure.append(requested)
        elif requested == "court" and answer == "yes":
            found["court"] = "connecticut_adult"  # "Was it in a Connecticut adult court?" "yes"
        elif answer == "unsure":
            unsure.append(requested)
    return found, unsure, notes
