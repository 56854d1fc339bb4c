"""Legal cases as data (tests/cases/*.yaml), written from the statute, not from the engine.

Each case names the rule it checks in a plain sentence; its expected outcome is compared exactly,
its expected citations must all be among the answer's, and every citation must resolve.
"""

from pathlib import Path

import pytest
import yaml

from rules import evaluate, load_library, unstated_date

CASES_DIR = Path(__file__).parent / "cases"
RESULT_FIELDS = ("classification", "fine_usd", "member_count", "refresher_interval_years")


def load_cases():
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


CASES = load_cases()


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    determination = evaluate(case["topic"], case.get("facts") or {}, case.get("as_of"),
                             case.get("edition", "current"))
    answer = determination.to_dict()
    expected = case["expected"]
    assert answer["outcome"] == expected["outcome"], answer["reasons"]
    missing_citations = set(expected.get("citations", [])) - set(answer["citations"])
    assert not missing_citations, f"not cited: {sorted(missing_citations)}; cited: {answer['citations']}"
    if "missing_facts" in expected:
        assert set(answer["missing_facts"]) == set(expected["missing_facts"])
    for field in RESULT_FIELDS:
        if field in expected:
            assert answer[field] == expected[field], field
    if "unstated_date" in expected:
        assumed = unstated_date(case["topic"], case.get("facts") or {}, case.get("as_of"), case.get("edition", "current"))
        found = assumed and {"fact": assumed.fact, "boundaries": [d.isoformat() for d in assumed.boundaries]}
        assert found == expected["unstated_date"]


@pytest.mark.parametrize("case", CASES)
def test_every_citation_resolves_in_the_law_data(case):
    determination = evaluate(case["topic"], case.get("facts") or {}, case.get("as_of"),
                             case.get("edition", "current"))
    library = load_library()
    assert all(library.resolves_in_edition(c, determination.edition) for c in determination.citations)
    # A decided "yes" rests on text in force on the date the law was applied.
    if determination.outcome in ("must_vacate_if_proven", "may_vacate_if_proven", "order_possible"):
        for citation in determination.citations:
            assert library.resolve(citation, determination.edition, determination.as_of), citation


def test_an_answer_on_an_assumed_proceeding_date_says_which_date_and_what_an_earlier_one_would_change():
    facts = {"proceeding": "delinquency", "applicant": "states_attorney", "privilege_claimed": True}
    caveats = [c for c in evaluate("compelled_testimony", facts, "2024-05-01").caveats if "didn't say when" in c.text]
    assert len(caveats) == 1 and caveats[0].sections == ("54-47a(a)(3)",)
    assert "applies the law on May 1, 2024" in caveats[0].text
    assert "If it was before Oct 1, 2021, the answer would be different" in caveats[0].text
    given = evaluate("compelled_testimony", {**facts, "proceeding_date": "2022-01-03"}, "2024-05-01")
    assert not [c for c in given.caveats if "didn't say when" in c.text]


def test_there_are_enough_cases_for_every_topic_and_outcome():
    from rules import TOPICS

    seen = {(c.values[0]["topic"], c.values[0]["expected"]["outcome"], c.values[0].get("edition", "current"))
            for c in CASES}
    for name, topic in TOPICS.items():
        for outcome in topic.outcomes:
            if name == "penalty" and outcome == "not_applicable":
                continue
            assert (name, outcome, "current") in seen, (name, outcome)
        if name not in ("what_changed", "effective_date", "definition"):
            assert any(t == name and e == "raised-bill" for t, _, e in seen), name
    assert len(CASES) >= 60
