"""What the law's words mean: trafficking in persons (53a-192a(a)), coercion (53a-192), minor (53a-83b(d)).

The plain-language explanations are in the law data next to the text they explain.
"""

from __future__ import annotations

from typing import Any, Dict

from rules.determination import MET, Context, Note, Reason, cite
from rules.facts import Fact

TOPIC = "definition"
TERMS = {
    # term: (section, subsection, what the guide calls it)
    "trafficking_in_persons": ("53a-192a", "(a)", "trafficking in persons"),
    "sex_trafficking": ("53a-192a", "(a)", "sex trafficking"),
    "coercion": ("53a-192", "", "coercion"),
    "minor": ("53a-83b", "(d)", "a minor"),
}
FACTS = (Fact("term", "choice", "the word to define (trafficking in persons when unknown)", tuple(TERMS)),)


def evaluate_definition(facts: Dict[str, Any], ctx: Context):
    term = facts["term"] or "trafficking_in_persons"
    section_id, subsection, name = TERMS[term]
    version = ctx.version(section_id)
    caveats = []
    if version is None:  # asked about a day before the section existed: define it as it began
        enacted = ctx.library.section(section_id).enacted
        version = ctx.version(section_id, enacted)
        caveats.append(Note(f"On {ctx.as_of:%b %-d, %Y} this section did not exist yet: it began {enacted:%b %-d, %Y}, "
                            "and this is its definition from then.", (section_id,), with_answer=True))
    citation = cite(section_id, subsection)
    plain = version.plain.get(subsection) or version.subsections[subsection]
    reasons = [Reason(f"What {name} means", citation, MET, plain)]
    caveats.append(Note("Whether what happened to a particular person counts is a legal question for a court; an "
                        "advocate or lawyer can help you work it out.", (citation,)))
    if term in ("trafficking_in_persons", "sex_trafficking"):
        caveats.append(Note("Federal law (18 U.S.C. chapter 77) also defines trafficking, and Connecticut's "
                            "vacatur law counts victims of it too.", ("18 USC ch. 77", "54-95c")))
    return dict(outcome="answered", missing=[], reasons=reasons, next_steps=[], caveats=caveats,
                summary=plain, result={"term": term, "statutory_text": version.subsections[subsection],
                                       "plain_language": plain})
