"""The Trafficking in Persons Council's membership: C.G.S. 46a-170(b).

  (b) The council shall consist of the following members: (1) The Chief State's Attorney, or a
      designee; ... (17) an adult victim of trafficking, appointed by the Governor; (18) a judge of
      the Superior Court ...; and (21) fifteen public members appointed as follows: ...

Who sits on it is read from the law data, seat by seat, with each seat's number in (b). A question
about one kind of member ("is there a survivor on it", "someone from DCF") names the seats of that
kind; the kinds are the guide's grouping of the seats, recorded beside them in the law data.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rules.determination import MET, Context, Note, Reason, cite, cite_label
from rules.facts import Fact

TOPIC = "council"
SECTION = "46a-170"
MEMBERSHIP = cite(SECTION, "(b)")

# The kinds of member a person may ask about, as the answer names them.
MEMBER_KINDS = {
    "survivor": "survivors of trafficking",
    "victims": "people who represent or serve victims",
    "children": "people who speak for children",
    "dcf": "the Department of Children and Families (DCF)",
    "police": "the police",
    "prosecutors": "prosecutors",
    "defense_lawyers": "defense lawyers",
    "courts": "the courts",
    "health": "health and mental health",
    "labor": "labor",
    "education": "education",
    "immigrants": "immigrants and refugees",
    "businesses": "businesses and trades",
    "legal_services": "civil legal services",
    "housing": "housing and homelessness",
    "disabilities": "people with developmental disabilities",
}
# Named in every membership answer: the seat the council keeps for someone who lived it.
ALWAYS_NAMED = "survivor"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

FACTS = (
    Fact("member_kind", "choice", "a kind of member the person asks about, e.g. survivor or dcf",
         tuple(MEMBER_KINDS)),
)


def seat_citation(member: Dict[str, Any]) -> str:
    return cite(SECTION, "(b)" + (member.get("clause") or ""))


def described(member: Dict[str, Any]) -> str:
    """'a municipal police chief, or a designee, appointed by the Connecticut Police Chiefs Association'."""
    words = member["member"]
    if member.get("designee"):
        words += ", or a designee"
    if member.get("represents"):
        words += f" representing {member['represents']}"
    if member.get("appointed_by"):
        words += f", appointed by {member['appointed_by']}"
    return words


def seats(members: List[Dict[str, Any]]) -> int:
    return sum(m.get("count", 1) for m in members)


def in_words(number: int) -> str:
    return NUMBER_WORDS[number] if number < len(NUMBER_WORDS) else str(number)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def membership_reasons(members: List[Dict[str, Any]]) -> List[Reason]:
    """Who sits on the council, by how they come to sit on it, naming the survivor's seat."""
    by_office = [m for m in members if not m.get("appointed_by")]
    appointed = [m for m in members if m.get("appointed_by") and not m.get("public")]
    public = [m for m in members if m.get("public")]
    found = [Reason(
        "Members who sit by their office, or send a designee", MEMBERSHIP, MET,
        "By their office, or their designees: " + "; ".join(m["member"] for m in by_office) + ".")]
    for member in (m for m in members if ALWAYS_NAMED in m.get("kinds", ())):
        found.append(Reason(
            f"A seat for {MEMBER_KINDS[ALWAYS_NAMED]}", seat_citation(member), MET,
            f"A survivor sits on it: {described(member)} ({cite_label(seat_citation(member))})."))
    others = [m for m in appointed if ALWAYS_NAMED not in m.get("kinds", ())]
    if others:
        found.append(Reason("Members appointed to a named seat", MEMBERSHIP, MET,
                            "Appointed: " + "; ".join(described(m) for m in others) + "."))
    if public:
        appointers = list(dict.fromkeys(m["appointed_by"] for m in public))
        represented = [m["represents"] for m in public if m.get("represents")]
        found.append(Reason(
            "Public members", seat_citation(public[0]), MET,
            f"{seats(public)} public members, appointed by "
            + ", ".join(f"{who} ({seats([m for m in public if m['appointed_by'] == who])})" for who in appointers)
            + (". They represent: " + "; ".join(represented) if represented else "") + "."))
    return found


def kind_reasons(kind: str, members: List[Dict[str, Any]]) -> List[Reason]:
    return [Reason(capitalised(described(m)), seat_citation(m), MET,
                   f"{capitalised(described(m))} ({cite_label(seat_citation(m))}).")
            for m in members if kind in m.get("kinds", ())]


def caveats_on_the_list(ctx: Context) -> List[Note]:
    """A list the law data do not fully verify says so, with the data's own notes on it."""
    version = ctx.version(SECTION)
    if version.status == "VERIFIED":
        return []
    how = {"PARTLY": "seen only in part, or in a summary", "UNVERIFIED": "not yet checked in a public source"}[
        version.status]
    why = " ".join(version.notes) or f"Source: {version.source}."
    return [Note(f"This list is {how}. {why} Have a lawyer confirm it before relying on it.", (MEMBERSHIP,),
                 with_answer=True)]


def evaluate_council(facts: Dict[str, Any], ctx: Context):
    council = ctx.version(SECTION).parameters["council"]
    count = council["member_count"]
    members = [dict(m) for m in council["members"]]
    if seats(members) != count:
        raise ValueError(f"law data: {SECTION} lists {seats(members)} seats but says {count} members")
    unknown = {k for m in members for k in m.get("kinds", ())} - set(MEMBER_KINDS)
    if unknown:
        raise ValueError(f"law data: {SECTION} uses kinds of member not in MEMBER_KINDS: {sorted(unknown)}")
    kind = facts["member_kind"]
    summary = f"The Trafficking in Persons Council has {count} members."
    reasons = membership_reasons(members)
    if kind:
        matching = seats([m for m in members if kind in m.get("kinds", ())])
        if matching:
            summary = (f"Of the council's {count} seats, {in_words(matching)} "
                       f"{'is' if matching == 1 else 'are'} for {MEMBER_KINDS[kind]}:")
            reasons = kind_reasons(kind, members)
        else:
            summary = f"None of the council's {count} seats is set aside for {MEMBER_KINDS[kind]}. {summary}"
    return dict(outcome="answered", missing=[], reasons=reasons, next_steps=[], caveats=caveats_on_the_list(ctx),
                summary=summary, result={"member_count": count, "members": members})
