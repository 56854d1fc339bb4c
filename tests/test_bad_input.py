"""Bad input gets one clear message naming the field and what is allowed, and changes nothing."""

import json
import subprocess
import sys

import pytest

from bot.cli import main
from rules import InputError, evaluate

GOOD_VACATUR = {"convicted": True, "court": "connecticut_adult", "offense_statute": "53a-82", "trafficking_victim": "yes"}


@pytest.mark.parametrize("topic,facts,kwargs,field,allowed_part", [
    ("vacatur", {"offense_class": "class_f_felony"}, {}, "facts.offense_class", "class_e_felony"),
    ("vacatur", {"convicted": "yes"}, {}, "facts.convicted", "true, false"),
    ("vacatur", {"convicted": 1}, {}, "facts.convicted", "true, false"),
    ("vacatur", {"max_prison_years": "ten"}, {}, "facts.max_prison_years", "a number"),
    ("vacatur", {"max_prison_years": -1}, {}, "facts.max_prison_years", "from 0"),
    ("vacatur", {"max_prison_years": float("nan")}, {}, "facts.max_prison_years", "a number"),
    ("vacatur", {"trafficking_victim": "maybe"}, {}, "facts.trafficking_victim", "unsure"),
    ("vacatur", {"offense_statute": "prostitution"}, {}, "facts.offense_statute", "53a-82"),
    ("vacatur", {"offense_statute": 5382}, {}, "facts.offense_statute", "53a-82"),
    ("vacatur", {"age_at_offense": 16}, {}, "facts.age_at_offense", "trafficking_victim"),
    ("vacatur", {"offense_statute": "53a-82", "offense_class": "class_c_felony"}, {}, "facts.offense_class",
     "misdemeanor"),
    ("vacatur", {"offense_statute": "53a-192a", "offense_class": "misdemeanor"}, {}, "facts.offense_class",
     "class_a_felony"),
    ("vacatur", ["convicted"], {}, "facts", None),
    ("vacatur", {"court": "new_york"}, {}, "facts.court", "other_state"),
    ("vacatur", {"conviction_date": "2019-02-30"}, {}, "facts.conviction_date", "YYYY-MM-DD"),
    ("vacatur", {"conviction_date": "2025-01-01"}, {"as_of": "2024-05-01"}, "facts.conviction_date",
     "on or before 2024-05-01"),
    # Commercial sexual abuse of a minor began Oct 1, 2017 (PA 17-32): no conviction under it before then.
    ("vacatur", {"offense_statute": "53a-83b", "conviction_date": "2016-05-01"}, {}, "facts.conviction_date",
     "on or after 2017-10-01"),
    # A 2022 trafficking conviction is class A: class B was the class only before Oct 1, 2017.
    ("vacatur", {"offense_statute": "53a-192a", "conviction_date": "2022-01-01", "offense_class": "class_b_felony"},
     {}, "facts.offense_class", "class_a_felony"),
    ("vacatur", {"sold_for_sex": "yes"}, {}, "facts.sold_for_sex", "true, false"),
    ("vacatur", {"trafficking_victim": "no", "sold_for_sex": True}, {}, "facts.trafficking_victim", "unsure"),
    ("affirmative_defense", {"trafficking_victim": "yes", "forced_tricked_or_coerced": False,
                             "minor_induced_into_sex": False, "sold_for_sex": False}, {},
     "facts.trafficking_victim", "leave trafficking_victim out"),
    ("affirmative_defense", {"age_at_offense": 16.5}, {}, "facts.age_at_offense", "whole number"),
    ("affirmative_defense", {"age_at_offense": True}, {}, "facts.age_at_offense", "whole number"),
    ("affirmative_defense", {"age_at_offense": 300}, {}, "facts.age_at_offense", "120"),
    ("affirmative_defense", {"offense_date": "2021-02-30"}, {}, "facts.offense_date", "YYYY-MM-DD"),
    ("affirmative_defense", {"offense_date": "03/01/2022"}, {}, "facts.offense_date", "YYYY-MM-DD"),
    ("affirmative_defense", {"offense_date": "2025-01-01"}, {"as_of": "2024-01-01"}, "facts.offense_date",
     "on or before 2024-01-01"),
    ("affirmative_defense", {"proceeding": "criminal"}, {}, "facts.proceeding", "delinquency"),
    ("affirmative_defense", {"convicted": True}, {}, "facts.convicted", "charge_statute"),
    ("compelled_testimony", {"applicant": "police"}, {}, "facts.applicant", "states_attorney"),
    ("compelled_testimony", {"proceeding_date": "tomorrow"}, {}, "facts.proceeding_date", "YYYY-MM-DD"),
    ("penalty", {"offense": "murder"}, {}, "facts.offense", "patronizing_a_prostitute"),
    ("training", {"role": "nurse"}, {}, "facts.role", "none"),
    ("what_changed", {"section": "53a-999"}, {}, "facts.section", "54-95c"),
    ("vacatur", GOOD_VACATUR, {"as_of": "2021-13-01"}, "as_of", "YYYY-MM-DD"),
    ("vacatur", GOOD_VACATUR, {"edition": "enacted"}, "edition", "raised-bill"),
    ("expungement", {}, {}, "topic", "vacatur"),
])
def test_bad_input_names_the_field_and_the_allowed_values(topic, facts, kwargs, field, allowed_part):
    with pytest.raises(InputError) as raised:
        evaluate(topic, facts, **kwargs)
    assert raised.value.field == field
    message = str(raised.value)
    assert message.startswith(field) and "\n" not in message
    if allowed_part:
        assert allowed_part in message


def test_old_name_of_soliciting_sexual_acts_is_accepted():
    assert evaluate("penalty", {"offense": "patronizing_a_prostitute"}).to_dict()["classification"] == \
        "class_a_misdemeanor"


def test_statute_spellings_people_use_are_understood():
    for spelling in ("53a-82", "§ 53a-82", "C.G.S. § 53a-82", "CGS 53a-82(a)", "section 53a-82", "53A-82"):
        facts = {**GOOD_VACATUR, "offense_statute": spelling}
        assert evaluate("vacatur", facts, "2024-01-01").outcome == "must_vacate_if_proven", spelling


def test_bad_input_does_not_change_the_callers_facts():
    facts = {"offense_statute": "53a-82", "offense_class": "class_c_felony"}
    before = json.dumps(facts, sort_keys=True)
    with pytest.raises(InputError):
        evaluate("vacatur", facts)
    assert json.dumps(facts, sort_keys=True) == before


@pytest.mark.parametrize("argv,field", [
    (["check", "vacatur", "--facts", "{not json"], "--facts"),
    (["check", "vacatur", "--facts", "missing-file.json"], "--facts"),
    (["check", "vacatur", "--facts", '{"offense_class": "felony"}'], "facts.offense_class"),
    (["check", "vacatur", "--facts", '{"colour": "red"}'], "facts.colour"),
    (["check", "vacatur", "--as-of", "2021-02-29"], "--as-of"),
    (["check", "vacatur", "--edition", "enacted"], "--edition"),
    (["check", "vacatur", "--format", "xml"], "--format"),
    (["check", "nonsense"], "topic"),
    (["cite", "99-999"], "section"),
    (["changes", "53a-999"], "facts.section"),
])
def test_cli_bad_input_exits_2_with_one_line(argv, field, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "allowed" in lines[0]


def test_cli_usage_errors_exit_2_as_well():
    result = subprocess.run([sys.executable, "-m", "bot.cli", "check"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "topic" in result.stderr
