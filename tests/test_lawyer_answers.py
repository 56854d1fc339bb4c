"""What a legal-aid lawyer would tell a client, beyond the outcome: the next steps, the limits and the
summary, each resting on its section (issue: screen like a legal-aid lawyer). Cases are in
tests/cases/*.yaml; these check the words people read."""

import pytest

from bot.cli import main
from bot.nlu.disclosures import minor_described_being_sold_or_used_for_sex
from rules import evaluate, load_library
from rules.render import lawyer_summary_text

TODAY = "2024-05-01"
ADULT_COURT = {"convicted": True, "court": "connecticut_adult"}


def steps(determination):
    return " ".join(n.text for n in determination.next_steps)


def beside_the_outcome(determination):
    return " ".join(c.text for c in determination.caveats if c.with_answer)


def test_a_vacatur_that_may_be_granted_warns_a_non_citizen_and_keeps_erasure_an_inference():
    d = evaluate("vacatur", {**ADULT_COURT, "offense_class": "class_d_felony", "trafficking_victim": "yes"}, TODAY)
    said = steps(d)
    assert "immigration lawyer before you apply" in said
    assert "my reading, not written in 54-95c" in said and "54-142a(a)" in d.citations
    assert "dismiss any charges related" in said
    assert "Each conviction is decided separately" in said
    assert "not about crime-victim compensation" in said and "1-888-286-7347" in said
    assert "judge has discretion" in beside_the_outcome(d)


def test_notice_to_victims_is_conditional_and_a_prostitution_conviction_usually_has_no_victim():
    prostitution = steps(evaluate("vacatur", {**ADULT_COURT, "offense_statute": "53a-82", "sold_for_sex": True}, TODAY))
    assert "If the crime had a victim" in prostitution and "usually has no such victim" in prostitution
    larceny = steps(evaluate("vacatur", {**ADULT_COURT, "offense_statute": "53a-124",
                                         "offense_class": "class_d_felony", "sold_for_sex": True}, TODAY))
    assert "If the crime had a victim" in larceny and "usually has no such victim" not in larceny


def test_a_mandatory_vacatur_says_beside_the_outcome_that_d1_was_seen_only_in_a_summary():
    d = evaluate("vacatur", {**ADULT_COURT, "offense_statute": "53a-82", "trafficking_victim": "yes"}, TODAY)
    assert "CGS 54-95c(d)(1)" in beside_the_outcome(d) and "not the official wording" in beside_the_outcome(d)
    assert "PARTLY" not in beside_the_outcome(d) + d.summary


def test_a_class_a_felony_points_to_a_pardon_and_clean_slate():
    d = evaluate("vacatur", {**ADULT_COURT, "offense_class": "class_a_felony", "trafficking_victim": "yes"}, TODAY)
    assert d.outcome == "not_eligible"
    assert "pardon from the Board of Pardons and Paroles" in steps(d) and "Clean Slate" in steps(d)


def test_an_open_case_hears_the_defenses_and_what_a_plea_would_mean():
    d = evaluate("vacatur", {"convicted": False}, TODAY)
    said = steps(d)
    assert d.outcome == "no_conviction"
    assert "18 or older can be guilty of prostitution" in said
    assert "class A or B felony can never be vacated" in said and "must vacate" in said
    assert "erased by law" in said and "after 13 months" in said


def test_a_juvenile_record_is_routed_to_erasure_and_says_the_reach_of_54_95c_is_not_settled():
    d = evaluate("vacatur", {"convicted": True, "court": "connecticut_juvenile"}, TODAY)
    assert "must order it erased" in steps(d) and "46b-146" in d.citations
    assert "not settled by its words" in beside_the_outcome(d)
    yo = evaluate("vacatur", {"convicted": True, "court": "connecticut_youthful_offender"}, TODAY)
    assert "when you turn 21" in steps(yo) and "54-76o" in yo.citations


def test_a_no_to_trafficking_says_whether_it_counts_is_a_legal_question():
    d = evaluate("vacatur", {**ADULT_COURT, "offense_statute": "53a-82", "trafficking_victim": "no"}, TODAY)
    assert "legal question" in d.summary and "sold or used for sex" in " ".join(r.explanation for r in d.reasons)


def test_an_order_to_testify_comes_with_the_limits_of_the_immunity():
    d = evaluate("compelled_testimony", {"proceeding": "criminal", "applicant": "states_attorney",
                                         "privilege_claimed": True, "qualifying_offense": True}, TODAY)
    said = steps(d)
    assert "binds Connecticut" in said and "Federal prosecutors may not use the testimony" in said
    assert "immigration authorities are not bound" in said and "contempt" in said
    assert {"Murphy v. Waterfront Comm'n, 378 U.S. 52 (1964)", "Cruz v. Superior Court, 163 Conn. App. 483 (2016)",
            "Furs v. Superior Court, 298 Conn. 404 (2010)"} <= set(d.citations)


def test_a_witness_who_has_not_claimed_the_privilege_hears_what_actually_happens():
    d = evaluate("compelled_testimony", {"proceeding": "grand_jury_investigation", "applicant": "states_attorney",
                                         "privilege_claimed": False}, TODAY)
    assert d.outcome == "order_not_available" and d.summary.startswith("Not yet")
    assert "subpoena must come to court and answer" in steps(d)


def test_the_burden_in_a_delinquency_case_is_said_to_be_unsettled_beside_the_outcome():
    d = evaluate("affirmative_defense", {"charge_statute": "53a-192a", "proceeding": "delinquency",
                                         "age_at_offense": 16, "offense_date": "2023-01-01",
                                         "trafficking_victim": "yes"}, TODAY)
    assert d.outcome == "available" and "my reading" in beside_the_outcome(d)
    adult = evaluate("affirmative_defense", {"charge_statute": "53a-192a", "proceeding": "prosecution",
                                             "age_at_offense": 17, "offense_date": "2023-01-01",
                                             "trafficking_victim": "yes"}, TODAY)
    assert "my reading" not in beside_the_outcome(adult)


def test_the_soliciting_fine_is_qualified_beside_the_answer():
    d = evaluate("penalty", {"offense": "soliciting_sexual_acts"}, TODAY)
    assert d.to_dict()["fine_usd"] == 2000 and "CGS 53a-83(b)" in beside_the_outcome(d)


def test_the_summary_for_a_lawyer_has_the_facts_the_law_applied_with_its_date_and_what_to_bring():
    d = evaluate("vacatur", {**ADULT_COURT, "offense_statute": "53a-82", "sold_for_sex": True}, TODAY)
    text = lawyer_summary_text(d, load_library())
    for part in ("SUMMARY FOR A LAWYER", "Court: a Connecticut adult criminal court",
                 "Sold or offered for sex (53a-192a(a)(3)): yes", "the court must vacate (cancel) this conviction",
                 "54-95c as amended by Public Act 21-103 sec. 7 (codified), in force from Oct 1, 2021",
                 "as of May 1, 2024", "Bring the court papers"):
        assert part in text, part
    earlier = [{"conviction": "larceny", "outcome": "may_vacate_if_proven", "summary": "The judge may vacate it.",
                "citations": ["54-95c(d)(2)"]}]
    both = lawyer_summary_text(d, load_library(), earlier)
    assert "Every conviction checked" in both and "1. larceny" in both
    compact = lawyer_summary_text(d, load_library(), compact=True)
    assert len(compact) < len(text) and "Facts:" in compact and "Bring:" in compact


def test_the_cli_prints_the_summary(capsys):
    assert main(["check", "vacatur", "--facts", '{"convicted": true, "court": "federal"}', "--as-of", TODAY,
                 "--format", "summary"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SUMMARY FOR A LAWYER") and "only Connecticut convictions" in out
    assert "Court: a federal court" in out


@pytest.mark.parametrize("entities,disclosed", [
    ([{"entity": "age", "value": "15"}, {"entity": "exploitation", "value": "used_for_sex"}], True),
    ([{"entity": "minor", "value": "yes"}, {"entity": "exploitation", "value": "sold"}], True),
    ([{"entity": "age", "value": "19"}, {"entity": "exploitation", "value": "sold"}], False),
    ([{"entity": "age", "value": "16"}, {"entity": "exploitation", "value": "forced"}], False),
    ([{"entity": "age", "value": "16"}], False),
])
def test_a_child_describing_being_sold_or_used_for_sex_is_answered_first(entities, disclosed):
    assert minor_described_being_sold_or_used_for_sex(entities) is disclosed
