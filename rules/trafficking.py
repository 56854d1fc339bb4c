"""Being a victim of trafficking in persons, in the statute's own branches: C.G.S. 53a-192a(a).

  (a) A person is guilty of trafficking in persons when such person (1) knowingly compels or induces
      another person to engage in conduct involving sexual contact with one or more third persons, or
      provide labor or services ..., by means of (A) the use of force ..., (B) fraud, or (C) coercion
      ..., (2) (A) knowingly compels or induces another person to engage in conduct involving sexual
      contact with one or more third persons ..., and (B) such person ... is under eighteen years of
      age, or (3) otherwise knowingly commits an act that constitutes sex trafficking ... "the
      recruitment, harboring, transportation or provision of a person for the purpose of engaging in
      sexual conduct with another person in exchange for anything of value".

Only clause (1) needs force, fraud or coercion: a person who was sold, or a child drawn into sex with
others, was trafficked without being forced. Vacatur (54-95c) and the minors' defense (53a-192a(b))
both turn on it, through the fact `trafficking_victim` or, when that is not given, these branches.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rules.facts import Fact, InputError

SECTION = "53a-192a"
DEFINITION = "53a-192a(a)"

# Each branch of 53a-192a(a), as a fact a person can answer yes or no.
BRANCHES = {
    "forced_tricked_or_coerced": "(a)(1)",
    "minor_induced_into_sex": "(a)(2)",
    "sold_for_sex": "(a)(3)",
}
FACTS = (
    Fact("forced_tricked_or_coerced", "bool",
         "53a-192a(a)(1): someone made the person take part in sex with others or in work by force or threats, "
         "fraud, or coercion", label="Forced, tricked or pressured (53a-192a(a)(1))"),
    Fact("minor_induced_into_sex", "bool",
         "53a-192a(a)(2): while under 18, someone compelled or induced the person into sexual contact with others",
         label="Under 18 and drawn into sex with others (53a-192a(a)(2))"),
    Fact("sold_for_sex", "bool",
         "53a-192a(a)(3): someone recruited, harbored, moved or provided the person for sex with others in "
         "exchange for anything of value (no force needed)", label="Sold or offered for sex (53a-192a(a)(3))"),
)
# What each branch means, in plain words, for the reasons.
BRANCH_WORDS = {
    "forced_tricked_or_coerced": "someone forced, tricked or pressured you (clause (1))",
    "minor_induced_into_sex": "while you were under 18, someone got you into sexual contact with others (clause (2))",
    "sold_for_sex": "someone sold you, or arranged sex with others, for money or anything of value (clause (3), "
                    "sex trafficking, which needs no force)",
}


def victim_answer(facts: Dict[str, Any]) -> Optional[str]:
    """'yes', 'no', 'unsure' or None (unknown): `trafficking_victim` when given; otherwise yes when any
    branch is true, no only when every branch is false. A "no" to force alone is never a "no", and a
    "not sure" to the whole question does not undo a branch that is met ("not sure it counts, but he
    sold me" is (a)(3)), nor a "no" to every one ("not sure, but nobody forced, sold or used me" meets no
    words of 53a-192a(a); the reasons then say what the definition covers and who can help)."""
    given = facts["trafficking_victim"]
    branches = {name: facts[name] for name in BRANCHES}
    true = [name for name, value in branches.items() if value is True]
    if given == "no" and true:
        raise InputError("facts.trafficking_victim", f"'no' contradicts facts.{true[0]}, which is true",
                         "yes, unsure, or leave trafficking_victim out")
    if given == "yes" and all(value is False for value in branches.values()):
        raise InputError("facts.trafficking_victim", "'yes' contradicts the branch facts, which are all false",
                         "no, unsure, or leave trafficking_victim out")
    every_branch_denied = all(value is False for value in branches.values())
    if given is not None and not (given == "unsure" and (true or every_branch_denied)):
        return given
    if true:
        return "yes"
    if all(value is False for value in branches.values()):
        return "no"
    return None


def with_victim_answer(facts: Dict[str, Any]) -> Dict[str, Any]:
    return {**facts, "trafficking_victim": victim_answer(facts)}


def definition_cited(facts: Dict[str, Any]) -> List[str]:
    """53a-192a(a), when the answer turns on what trafficking is: a branch met, or a no to trafficking
    (the reasons then say what the definition covers)."""
    if any(facts[name] is True for name in BRANCHES) or victim_answer(facts) == "no":
        return [DEFINITION]
    return []


def how_it_was_answered(facts: Dict[str, Any]) -> str:
    """Which words of 53a-192a(a) the person's answers meet, for the reasons."""
    true = [BRANCH_WORDS[name] for name in BRANCHES if facts.get(name) is True]
    if true:
        return "You said " + true[0] + "."
    return ""
