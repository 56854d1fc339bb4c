"""Properties of every screening, over thousands of generated fact sets (hypothesis).

- A decided outcome never rests on a guess: filling in any unknown fact with any consistent value
  gives the same outcome (for a "no", a "no": the ways of saying no decide together).
- need_more_facts names at least one missing fact, and only facts that were unknown.
- A "no" names a reason that is not met; a "yes" has none (but "the court must vacate", for a "may").
- Every citation resolves to the law data.
"""

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rules import InputError, evaluate, facts_of, load_library

SCREENINGS = ("vacatur", "affirmative_defense", "compelled_testimony")
YES = {"must_vacate_if_proven", "may_vacate_if_proven", "available", "order_possible"}
NO = {"not_eligible", "not_available", "order_not_available", "no_conviction", "juvenile_record", "other_court"}
# Each screening's ways of saying no decide together: filling in an unknown fact may change which no
# applies (a court that turns out to be another state's), never a no into a yes or into "need more".
NO_FAMILY = {"vacatur": {"not_eligible", "no_conviction", "juvenile_record", "other_court", "not_in_force"},
             "affirmative_defense": {"not_applicable", "not_in_force", "not_available"},
             "compelled_testimony": {"not_in_force", "order_not_available"}}
STATUTES = ("53a-82", "53a-83", "53a-83b", "53a-192a", "53a-124", "21a-277", "53a-60")
DATES = st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31))
EDITIONS = st.sampled_from(("current", "raised-bill"))
DEFAULTED = {"proceeding_date"}  # not unknown when left out: it is the as-of date (issue 2)


def value_of(fact):
    if fact.kind == "bool":
        return st.booleans()
    if fact.kind == "choice":
        return st.sampled_from(fact.choices)
    if fact.kind == "whole_number":
        return st.integers(0, 30)
    if fact.kind == "number":
        return st.one_of(st.integers(0, 25), st.floats(0, 25, allow_nan=False))
    if fact.kind == "statute":
        return st.sampled_from(STATUTES)
    return DATES.map(dt.date.isoformat)


def partial_facts(topic):
    return st.fixed_dictionaries({}, optional={f.name: st.one_of(st.none(), value_of(f)) for f in facts_of(topic)})


def full_values(topic):
    return st.fixed_dictionaries({f.name: value_of(f) for f in facts_of(topic)})


def answer(topic, facts, as_of, edition):
    try:
        return evaluate(topic, facts, as_of, edition)
    except InputError:
        return None


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topic=st.sampled_from(SCREENINGS), data=st.data(), as_of=DATES, edition=EDITIONS)
def test_decided_outcomes_hold_whatever_the_unknown_facts_turn_out_to_be(topic, data, as_of, edition):
    facts = data.draw(partial_facts(topic))
    first = answer(topic, facts, as_of, edition)
    assume(first is not None)
    unknown = [name for name in (f.name for f in facts_of(topic)) if name not in DEFAULTED
               and (facts.get(name) is None or facts.get(name) == "unsure")]
    if first.outcome == "need_more_facts":
        assert first.missing_facts and set(first.missing_facts) <= set(unknown)
        return
    assert first.missing_facts == []
    filled = {**facts, **{k: v for k, v in data.draw(full_values(topic)).items() if k in unknown}}
    later = answer(topic, filled, as_of, edition)
    assume(later is not None)  # the filled-in values contradicted a known fact, or a date went past as_of
    if first.outcome in NO_FAMILY[topic]:
        assert later.outcome in NO_FAMILY[topic], (facts, filled)
    else:
        assert later.outcome == first.outcome, (facts, filled)


@settings(max_examples=1000, deadline=None)
@given(topic=st.sampled_from(SCREENINGS), data=st.data(), as_of=DATES, edition=EDITIONS)
def test_reasons_agree_with_the_outcome_and_every_citation_resolves(topic, data, as_of, edition):
    facts = data.draw(partial_facts(topic))
    result = answer(topic, facts, as_of, edition)
    assume(result is not None)
    statuses = [r.status for r in result.reasons]
    if result.outcome in NO:
        assert "not_met" in statuses
    if result.outcome in YES:
        # The one element a "yes" can fail is mandatory vacatur: then the court may, not must, vacate.
        failed = [r.element for r in result.reasons if r.status == "not_met"]
        assert not failed or (result.outcome == "may_vacate_if_proven" and len(failed) == 1
                              and "must vacate" in failed[0])
    assert result.citations and result.edition == edition and result.as_of == as_of
    library = load_library()
    for citation in result.citations:
        assert library.resolves_in_edition(citation, edition), citation
