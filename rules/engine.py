"""The one entry point: evaluate(topic, facts, as_of=None, edition="current") -> Determination;
and unstated_date(...) for a date the answer assumed but turns on, so it can be asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

from rules import (affirmative_defense, changes, compelled_testimony, council, definitions, penalty, training,
                   vacatur)
from rules.determination import NEED_MORE_FACTS, UNKNOWN, Context, Determination, Note, UnstatedDate
from rules.facts import Fact, InputError, normalise_facts, parse_date
from rules.law_library import EDITIONS, load_library


@dataclass(frozen=True)
class Topic:
    name: str
    facts: Tuple[Fact, ...]
    answer: Callable[[Dict[str, Any], Context], Dict[str, Any]]
    outcomes: Tuple[str, ...]
    # A date fact that defaults to the as-of date: when left out, the answer may turn on it.
    unstated_date: Optional[Callable[[Dict[str, Any], Context], Optional[UnstatedDate]]] = None


def screening(module: ModuleType) -> Callable[[Dict[str, Any], Context], Dict[str, Any]]:
    """A screening applies a section's elements to the facts: outcome, reasons, steps and caveats."""
    def answer(facts: Dict[str, Any], ctx: Context) -> Dict[str, Any]:
        outcome, missing = module.decide(facts, ctx)
        summary = module.summary(outcome, facts, ctx) if hasattr(module, "summary") else module.SUMMARIES[outcome]
        extra = module.branch_citations(facts, ctx) if hasattr(module, "branch_citations") else []
        return dict(outcome=outcome, missing=missing, reasons=module.reasons(facts, ctx), summary=summary,
                    next_steps=module.next_steps(outcome, facts, ctx), caveats=module.caveats(outcome, facts, ctx),
                    result={}, extra_citations=extra)
    return answer


TOPICS: Dict[str, Topic] = {t.name: t for t in (
    Topic("vacatur", vacatur.FACTS, screening(vacatur), vacatur.OUTCOMES),
    Topic("affirmative_defense", affirmative_defense.FACTS, screening(affirmative_defense),
          affirmative_defense.OUTCOMES),
    Topic("compelled_testimony", compelled_testimony.FACTS, screening(compelled_testimony),
          compelled_testimony.OUTCOMES, compelled_testimony.unstated_proceeding_date),
    Topic("penalty", penalty.FACTS, penalty.evaluate_penalty, penalty.OUTCOMES),
    Topic("training", training.FACTS, training.evaluate_training, ("answered",)),
    Topic("council", council.FACTS, council.evaluate_council, ("answered",)),
    Topic("what_changed", (changes.SECTION_FACT,), changes.evaluate_what_changed, ("answered",)),
    Topic("effective_date", (changes.SECTION_FACT,), changes.evaluate_effective_date, ("answered",)),
    Topic("definition", definitions.FACTS, definitions.evaluate_definition, ("answered",)),
)}


def evaluate(topic: str, facts: Optional[Mapping[str, Any]] = None,
             as_of: Union[None, str, dt.date] = None, edition: str = "current") -> Determination:
    """What the law says about these facts, in this edition, on this date (today by default).

    Raises InputError, naming the field and the allowed values, on any bad input."""
    spec, known, ctx = checked(topic, facts, as_of, edition)
    library, day = ctx.library, ctx.as_of
    answer = spec.answer(known, ctx)
    determination = Determination(
        topic=topic, outcome=answer["outcome"], edition=edition, as_of=day, summary=answer["summary"],
        reasons=answer["reasons"], missing_facts=answer["missing"] if answer["outcome"] == NEED_MORE_FACTS else [],
        next_steps=answer["next_steps"], caveats=answer["caveats"], result=answer["result"],
        law_reviewed=library.law_reviewed, extra_citations=answer.get("extra_citations", []),
        facts={name: value for name, value in known.items() if value is not None})
    if edition == "raised-bill":
        determination.caveats.append(Note(
            "This answer applies Raised Bill 6657 as introduced, which was never enacted in this form; use the "
            "current edition for the law in force."))
    deciding = [r.section for r in determination.reasons if r.status != UNKNOWN] + determination.extra_citations
    determination.caveats.extend(ctx.caveats_on_sources(determination.citations, deciding))
    determination.law_applied = ctx.law_applied()
    return determination


def unstated_date(topic: str, facts: Optional[Mapping[str, Any]] = None,
                  as_of: Union[None, str, dt.date] = None, edition: str = "current") -> Optional[UnstatedDate]:
    """The date `evaluate` took to be the as-of date because the facts leave it out, when the answer
    would differ on the two sides of a day the law changed: then it is worth asking for. None when the
    date is given, the topic has no such date, or the answer is the same whichever side it falls."""
    spec, known, ctx = checked(topic, facts, as_of, edition)
    return spec.unstated_date(known, ctx) if spec.unstated_date else None


def checked(topic: str, facts: Optional[Mapping[str, Any]], as_of: Union[None, str, dt.date],
            edition: str) -> Tuple[Topic, Dict[str, Any], Context]:
    """The topic, its facts in the rules' terms and the context to answer in; InputError on bad input."""
    if topic not in TOPICS:
        raise InputError("topic", f"{topic!r} is not a topic", ", ".join(TOPICS))
    if edition not in EDITIONS:
        raise InputError("edition", f"{edition!r} is not an edition", ", ".join(EDITIONS))
    day = dt.date.today() if as_of is None else parse_date(as_of, "as_of")
    spec = TOPICS[topic]
    known = normalise_facts(topic, spec.facts, {} if facts is None else facts)
    return spec, known, Context(load_library(), edition, day)


def facts_of(topic: str) -> Tuple[Fact, ...]:
    if topic not in TOPICS:
        raise InputError("topic", f"{topic!r} is not a topic", ", ".join(TOPICS))
    return TOPICS[topic].facts
