"""Temporal coverage, as Catala does it: across every boundary date, exactly one version of each
section is in force in each edition, and every legal case yields exactly one answer."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from rules import EDITIONS, TOPICS, evaluate, load_library

LIBRARY = load_library()
ONE_DAY = dt.timedelta(days=1)


def boundary_days():
    days = {dt.date(2000, 1, 1), dt.date(2035, 12, 31)}
    for section in LIBRARY.sections.values():
        for version in section.versions:
            for edge in (version.in_force.start, version.in_force.end):
                if edge:
                    days.update({edge - ONE_DAY, edge, edge + ONE_DAY})
    return sorted(days)


DAYS = boundary_days()


def test_the_boundaries_include_the_bills_effective_dates_and_the_2023_change():
    for day in (dt.date(2021, 7, 1), dt.date(2021, 10, 1), dt.date(2023, 7, 1)):
        assert day in DAYS and day - ONE_DAY in DAYS


SECTION_EDITIONS = [(s.id, e) for s in LIBRARY.sections.values() for e in EDITIONS
                    if any(e in v.editions for v in s.versions)]


@pytest.mark.parametrize("section_id,edition", SECTION_EDITIONS)
def test_exactly_one_version_is_in_force_on_every_day_from_the_day_the_section_began(section_id, edition):
    section = LIBRARY.section(section_id)
    for day in DAYS:
        in_force = section.versions_on(edition, day)
        expected = 0 if section.enacted and day < section.enacted else 1
        assert len(in_force) == expected, f"{section_id} on {day} in {edition}: {[v.label for v in in_force]}"


def test_the_sections_that_began_later_are_vacatur_in_2013_and_commercial_sexual_abuse_of_a_minor_in_2017():
    assert LIBRARY.section("54-95c").enacted == dt.date(2013, 10, 1)
    assert LIBRARY.section("53a-83b").enacted == dt.date(2017, 10, 1)


def test_section_8_of_the_act_is_only_in_the_current_edition():
    section = LIBRARY.section("PA 21-103 sec. 8")
    assert all(v.editions == ("current",) for v in section.versions)


def scenarios():
    found = []
    for path in sorted((Path(__file__).parent / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()):
            found.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return found


@pytest.mark.parametrize("case", scenarios())
def test_every_scenario_gets_exactly_one_answer_on_every_boundary_day(case):
    topic = TOPICS[case["topic"]]
    for day in DAYS:
        facts = dict(case.get("facts") or {})
        for dated in ("offense_date", "proceeding_date"):
            if facts.get(dated):
                facts[dated] = day.isoformat()
        # A conviction date fixes the offense's class, so it stays; the question is asked after it.
        if facts.get("conviction_date") and day.isoformat() < facts["conviction_date"]:
            continue
        answer = evaluate(case["topic"], facts, day, case.get("edition", "current"))
        assert answer.outcome in topic.outcomes, (day, answer.outcome)
        applied = [v["section"] for v in answer.law_applied]
        assert len(applied) == len(set(applied)), f"two versions of one section applied on {day}: {applied}"
