"""The guide's words for a phone: pure functions, no I/O.

- Plain text: markdown is stripped (links keep their address, emphasis and headings go).
- Choices become numbered options on one line, "1 Convicted  2 Still open  3 Not sure", and a reply
  "1", "2"... (or the option's own words) selects one.
- GSM-7 only, so one curly apostrophe cannot switch a message to UCS-2 and double its cost: curly
  quotes, dashes and the ellipsis become ASCII, accents not in GSM-7 are dropped from their letter,
  emoji and anything else outside the alphabet are dropped.
- A turn's replies are packed into at most `MAX_MESSAGES` texts of at most `MAX_SEPTETS` septets (a
  character of GSM-7's extension table, such as `[` or `€`, costs two), split at sentence
  boundaries. What does not fit waits until the person replies MORE.
- The keywords carriers expect (STOP, START, HELP) and the service's own (DELETE, MORE) are
  recognised only as the whole message.

Nothing here may name the topic in a message a phone shows before the person has asked: the STOP,
START and HELP replies are neutral.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

MAX_SEPTETS = 320
MAX_MESSAGES = 3
MAX_INBOUND_CHARACTERS = 1600

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP"})
DELETE_WORDS = frozenset({"DELETE"})
MORE_WORDS = frozenset({"MORE"})

DEFAULT_SERVICE_NAME = "Info line"
STOP_REPLY = "You have been unsubscribed. No more messages will be sent. Reply START to resubscribe."
START_REPLY = "You have been resubscribed. Reply HELP for help or STOP to unsubscribe."
LONG_MESSAGE_REPLY = "That message is very long; could you send a shorter one?"
EMPTY_MESSAGE_REPLY = "I can only read text. Could you type your message?"
SLOW_REPLY = "Sorry, this is taking longer than usual. Reply MORE in a minute to get the answer."
ERROR_REPLY = "Sorry, something went wrong on our side. Please try again in a minute."
MORE_NOTE = "(Reply MORE for the rest.)"
NOTHING_MORE_REPLY = "That was everything. What else would you like to know?"
DELETE_NOTE = "Text DELETE anytime to erase this chat from our side."
PHONE_NOTE = "Deleting the texts on your phone may be safer too."
ERASE_PAYLOAD = "/delete_my_data"


def help_reply(service_name: str = DEFAULT_SERVICE_NAME) -> str:
    """Carriers require HELP to name the service and say how to stop; nothing reveals the topic."""
    return to_gsm7(f"{service_name}: reply with your question. Text DELETE to erase this chat from our side, "
                   "STOP to stop messages, START to resume. Msg & data rates may apply.")


# --- GSM-7 -----------------------------------------------------------------------------------------

GSM7_BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
              "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = "^{}\\[~]|€\f"
# What a phone shows: no escape, form feed or carriage return on their own.
ALLOWED = frozenset(GSM7_BASIC + GSM7_EXTENSION) - {"\x1b", "\r", "\f"}

REPLACEMENTS = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
                    "\u3000\t", " "),
    **dict.fromkeys("\u2022\u00b7\u25cf\u25aa\u2023", "-"),
    "\u2026": "...", "\u00d7": "x", "\u2044": "/", "\u00a9": "(c)", "\u00ae": "(R)", "\u2122": "TM",
    "\u2264": "<=", "\u2265": ">=", "\u2192": "->", "\u00bd": "1/2", "\u00bc": "1/4", "\u00be": "3/4",
    "\r\n": "\n", "\r": "\n",
}


def septets(text: str) -> int:
    """What a GSM-7 text costs: extension-table characters take two septets."""
    return sum(2 if c in GSM7_EXTENSION else 1 for c in text)


def is_gsm7(text: str) -> bool:
    return all(c in ALLOWED for c in text)


def _gsm7_char(c: str) -> str:
    if c in ALLOWED:
        return c
    if c in REPLACEMENTS:
        return REPLACEMENTS[c]
    # An accented letter outside the alphabet keeps its letter ("á" -> "a"); emoji and symbols go.
    decomposed = unicodedata.normalize("NFKD", c)
    kept = "".join(d for d in decomposed if d in ALLOWED and not unicodedata.combining(d))
    return kept if decomposed != c else ""


def to_gsm7(text: str) -> str:
    """The text in GSM-7's characters only, with the spaces that dropped characters leave tidied."""
    text = text.replace("\r\n", "\n")
    converted = "".join(_gsm7_char(c) for c in text)
    converted = re.sub(r"[ ]{2,}", " ", converted)
    converted = re.sub(r" +([,.;:!?)])", r"\1", converted)
    converted = re.sub(r" *\n *", "\n", converted)
    return converted.strip()


# --- markdown --------------------------------------------------------------------------------------

def strip_markdown(text: str) -> str:
    """Plain text from the markdown a bot message may carry."""
    text = re.sub(r"```[^\n]*\n?", "", text)                                   # code fences
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)                       # images: their alt text
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)",                             # links: words and address
                  lambda m: m.group(2) if m.group(1).strip() == m.group(2) else f"{m.group(1)} ({m.group(2)})",
                  text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)                        # autolinks
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?>", "", text)            # stray HTML tags
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s+", "", text)                         # headings
    text = re.sub(r"(?m)^\s{0,3}>\s?", "", text)                               # quotes
    text = re.sub(r"(?m)^\s{0,3}([-*_])(\s*\1){2,}\s*$", "", text)             # rules
    text = re.sub(r"(?m)^(\s*)[*+]\s+", r"\1- ", text)                         # bullets
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)               # strong
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)  # emphasis
    text = re.sub(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)                                   # inline code
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def plain(text: str) -> str:
    return to_gsm7(strip_markdown(text))


# --- numbered choices ------------------------------------------------------------------------------

def options_line(titles: Sequence[str], start: int = 1) -> str:
    """'1 Convicted  2 Still open  3 Not sure'."""
    return "  ".join(f"{number} {plain(title)}" for number, title in enumerate(titles, start))


def chosen_payload(text: str, choices: Sequence[Dict[str, str]]) -> Optional[str]:
    """The payload of the choice a reply selects: its number ("1", "1.", " 2 ") or its exact words."""
    reply = text.strip()
    number = re.fullmatch(r"(\d{1,2})\s*[.)]?", reply)
    if number:
        index = int(number.group(1))
        return choices[index - 1]["payload"] if 1 <= index <= len(choices) else None
    wanted = normalise_words(reply)
    for choice in choices:
        if wanted and normalise_words(choice["title"]) == wanted:
            return choice["payload"]
    return None


def normalise_words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", to_gsm7(text).lower()).split())


def keyword(text: str) -> Optional[str]:
    """'stop', 'start', 'help', 'delete' or 'more' when the whole message is that keyword."""
    word = re.sub(r"[\s.!]+$", "", text.strip()).upper()
    for name, words in (("stop", STOP_WORDS), ("start", START_WORDS), ("help", HELP_WORDS),
                        ("delete", DELETE_WORDS), ("more", MORE_WORDS)):
        if word in words:
            return name
    return None


# --- packing a turn into texts ---------------------------------------------------------------------

@dataclass
class Unit:
    """A sentence, a line or an options line, and what joins it to the unit before it."""
    text: str
    joiner: str = " "
    glue: bool = False  # an options line: keep with the question before it when it fits

    def as_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "joiner": self.joiner, "glue": self.glue}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Unit":
        return cls(str(data["text"]), str(data.get("joiner", " ")), bool(data.get("glue", False)))


@dataclass
class Rendered:
    texts: List[str]
    choices: List[Dict[str, str]] = field(default_factory=list)  # what "1", "2"... select
    pending: List[Unit] = field(default_factory=list)           # what MORE sends
    units: List[Unit] = field(default_factory=list)             # everything, before splitting


ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "no.", "vs.", "mr.", "mrs.", "ms.", "dr.", "st.", "sec.", "u.s.",
                 "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.",
                 "dec.", "approx.", "inc.", "p.m.", "a.m."}


def sentences(paragraph: str) -> List[str]:
    """A paragraph's sentences, cut after . ! ? (and a closing quote or bracket) before a space."""
    pieces: List[str] = []
    start = 0
    for match in re.finditer(r"[.!?][\"')\]]*(?=\s+\S)", paragraph):
        end = match.end()
        last_word = paragraph[start:end].split()[-1].lower() if paragraph[start:end].split() else ""
        if last_word in ABBREVIATIONS:
            continue
        pieces.append(paragraph[start:end].strip())
        start = end
    rest = paragraph[start:].strip()
    if rest:
        pieces.append(rest)
    return [p for p in pieces if p]


def units_of(text: str, joiner: str = "\n") -> List[Unit]:
    """A message's sentences; lines stay lines."""
    units: List[Unit] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        for index, sentence in enumerate(sentences(line)):
            units.append(Unit(sentence, joiner if not units else ("\n" if index == 0 else " ")))
    return units


def _cut_long(unit: Unit, limit: int) -> List[Unit]:
    """A unit longer than a whole text: cut between words (or, for one huge word, anywhere)."""
    parts: List[Unit] = []
    current = ""
    for word in unit.text.split(" "):
        while septets(word) > limit:
            if current:
                parts.append(current)
                current = ""
            head = ""
            for c in word:
                if septets(head + c) > limit:
                    break
                head += c
            parts.append(head)
            word = word[len(head):]
        candidate = f"{current} {word}" if current else word
        if septets(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return [Unit(text, unit.joiner if i == 0 else " ", unit.glue and i == 0) for i, text in enumerate(parts)]


def pack(units: Sequence[Unit], limits: Sequence[int]) -> List[List[Unit]]:
    """Greedy packing of units into texts; text i holds at most limits[min(i, len-1)] septets."""
    def limit(i: int) -> int:
        return limits[min(i, len(limits) - 1)]

    chunks: List[List[Unit]] = []
    current: List[Unit] = []
    for unit in units:
        for piece in (_cut_long(unit, min(limits)) if septets(unit.text) > min(limits) else [unit]):
            if not current:
                current = [piece]
            elif septets(join(current + [piece])) <= limit(len(chunks)):
                current.append(piece)
            elif piece.glue and len(current) > 1 and septets(join(current[-1:] + [piece])) <= limit(len(chunks) + 1):
                chunks.append(current[:-1])
                current = [current[-1], piece]
            else:
                chunks.append(current)
                current = [piece]
    if current:
        chunks.append(current)
    return chunks


def join(units: Sequence[Unit]) -> str:
    return "".join((u.joiner if i else "") + u.text for i, u in enumerate(units)).strip()


def split_texts(units: Sequence[Unit], max_septets: int = MAX_SEPTETS,
                max_messages: int = MAX_MESSAGES) -> Tuple[List[str], List[Unit]]:
    """At most `max_messages` texts of at most `max_septets` septets, and the units left for MORE."""
    if not units:
        return [], []
    chunks = pack(units, [max_septets])
    if len(chunks) <= max_messages:
        return [join(c) for c in chunks], []
    room = max_septets - septets(MORE_NOTE) - 1
    chunks = pack(units, [max_septets] * (max_messages - 1) + [room])
    texts = [join(c) for c in chunks[:max_messages]]
    texts[-1] = f"{texts[-1]} {MORE_NOTE}"
    pending = [u for c in chunks[max_messages:] for u in c]
    if pending:
        pending[0] = Unit(pending[0].text, "\n", pending[0].glue)
    return texts, pending


def render(messages: Iterable[Dict[str, Any]], first_reply: bool = False,
           max_septets: int = MAX_SEPTETS, max_messages: int = MAX_MESSAGES) -> Rendered:
    """A turn's bot messages (Rasa's collected dicts: text, buttons, image...) as texts for a phone.

    `first_reply`: the conversation's first reply also says how to erase it, and that deleting the
    texts on the phone may be safer.
    """
    units: List[Unit] = []
    choices: List[Dict[str, str]] = []
    noted = not first_reply
    for message in messages:
        text = plain(str(message.get("text") or ""))
        image = message.get("image")
        if image and not text:
            text = to_gsm7(str(image))
        if not noted and text:
            text = with_first_reply_note(text)
            noted = True
        units += units_of(text)
        buttons = [b for b in message.get("buttons") or [] if b.get("title") and b.get("payload")]
        if buttons:
            line = options_line([b["title"] for b in buttons], start=len(choices) + 1)
            choices += [{"title": plain(b["title"]), "payload": str(b["payload"])} for b in buttons]
            units.append(Unit(line, "\n", glue=True))
    if not noted and units:  # choices without words: the note goes first
        units[0].joiner = "\n"
        units = units_of(f"{DELETE_NOTE} {PHONE_NOTE}") + units
    texts, pending = split_texts(units, max_septets, max_messages)
    return Rendered(texts, choices, pending, units)


def with_first_reply_note(text: str) -> str:
    """Say how to erase the chat (unless the text already does) and add the phone reminder."""
    if "DELETE" in text:
        at = text.find(".", text.find("DELETE"))
        at = len(text) if at < 0 else at + 1
        return f"{text[:at]} {PHONE_NOTE}{text[at:]}"
    return f"{text}\n{DELETE_NOTE} {PHONE_NOTE}"


def render_units(units: Sequence[Unit], max_septets: int = MAX_SEPTETS,
                 max_messages: int = MAX_MESSAGES) -> Tuple[List[str], List[Unit]]:
    """What MORE sends: the next texts of what waited."""
    return split_texts(list(units), max_septets, max_messages)


def neutral(text: str) -> List[str]:
    """A fixed reply as texts."""
    return split_texts(units_of(to_gsm7(text)))[0]
