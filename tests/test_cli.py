"""The command line as a person or a program uses it."""

import json

from bot.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_check_json_is_the_determination(capsys):
    out = run(capsys, "check", "vacatur", "--facts",
              '{"convicted": true, "court": "connecticut_adult", "offense_class": "class_d_felony", "trafficking_victim": "yes"}',
              "--as-of", "2024-05-01", "--format", "json")
    answer = json.loads(out)
    assert answer["outcome"] == "may_vacate_if_proven"
    assert answer["edition"] == "current" and answer["as_of"] == "2024-05-01"
    assert {"54-95c(a)", "54-95c(d)(2)"} <= set(answer["citations"])
    assert {r["status"] for r in answer["reasons"]} <= {"met", "not_met", "unknown"}
    assert all({"element", "section", "status", "explanation"} <= set(r) for r in answer["reasons"])
    assert any("registered or certified mail" in s["text"] for s in answer["next_steps"])
    assert any("54-102uu" in s["sections"] for s in answer["next_steps"])
    assert answer["missing_facts"] == []


def test_check_reads_facts_from_a_file(capsys, tmp_path):
    facts = tmp_path / "client.json"
    facts.write_text(json.dumps({"charge_statute": "53a-192a", "age_at_offense": 16, "trafficking_victim": "yes",
                                 "offense_date": "2023-02-01", "proceeding": "delinquency"}))
    answer = json.loads(run(capsys, "check", "affirmative_defense", "--facts", str(facts), "--format", "json",
                            "--as-of", "2024-01-01"))
    assert answer["outcome"] == "available"
    assert {"53a-192a(b)", "53a-12(b)"} <= set(answer["citations"])


def test_check_text_puts_the_outcome_first_then_reasons_sections_and_next_steps(capsys):
    out = run(capsys, "check", "vacatur", "--facts", '{"convicted": true, "offense_class": "class_b_felony", '
              '"trafficking_victim": "yes"}', "--as-of", "2024-05-01")
    assert out.splitlines()[0].startswith("This conviction cannot be vacated")
    assert "Why, element by element" in out and "CGS 54-95c(a)" in out
    assert "as of May 1, 2024" in out and "Current law" in out
    assert out.index("Why") < out.index("Sections:")


def test_the_raised_bill_edition_is_named_in_the_answer(capsys):
    out = run(capsys, "check", "vacatur", "--facts", '{"convicted": true, "court": "connecticut_adult", '
              '"offense_class": "class_b_felony", "trafficking_victim": "yes"}', "--as-of", "2024-05-01",
              "--edition", "raised-bill")
    assert "may vacate" in out.splitlines()[0] or "judge may vacate" in out
    assert "Raised Bill 6657 as introduced" in out and "never enacted" in out


def test_cite_prints_the_text_in_force_with_source_and_status(capsys):
    out = run(capsys, "cite", "53a-192a(b)", "--as-of", "2024-01-01")
    assert "under eighteen years of age" in out and "Status: VERIFIED" in out
    assert "Public Act 21-103" in out
    before = run(capsys, "cite", "54-95c", "--as-of", "2020-06-01")
    assert "Public Act 16-71" in before and "Status: PARTLY" in before and "summary" in before
    assert "In force: from Oct 1, 2016 until Oct 1, 2021" in before
    none_yet = run(capsys, "cite", "54-95c", "--as-of", "2012-06-01")
    assert "no version" in none_yet
    raised = run(capsys, "cite", "54-95c(b)", "--edition", "raised-bill", "--as-of", "2022-01-01")
    assert "Office of Victim Services" in raised


def test_changes_shows_deletions_purpose_and_what_was_enacted(capsys):
    out = run(capsys, "changes", "54-95c")
    assert "[is entered pursuant to section 53a-82,]" in out
    assert "extend vacatur relief" in out and "rewritten before passage" in out
    everything = run(capsys, "changes")
    for section in ("46a-170(b)", "54-47a(a)", "53a-192a", "53a-83", "53a-83b", "17a-106h", "54-95c"):
        assert f"CGS {section} - bill section" in everything
    assert "PA 21-103 sec. 8" in everything and "groom minors" in everything


def test_demo_answers_each_screening(capsys):
    out = run(capsys, "demo")
    for outcome in ("must_vacate_if_proven", "not_eligible", "available", "order_possible"):
        assert f"Outcome: {outcome}" in out


def test_serve_stopped_by_sigterm_stops_both_servers_it_started(tmp_path):
    """`docker stop` and service managers send SIGTERM to the one process they started."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from bot.server import ROOT, quiet_environment

    env = quiet_environment()
    env["RIGHTSGUIDE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'guide.db'}"
    guide = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", "5711", "--actions-port", "5712"],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    children = []
    try:
        assert "The guide is running" in guide.stdout.readline()
        children = [int(pid) for pid in
                    open(f"/proc/{guide.pid}/task/{guide.pid}/children").read().split()]
        assert len(children) == 2
        guide.send_signal(signal.SIGTERM)
        assert guide.wait(timeout=60) == 0
        time.sleep(0.5)
        for pid in children:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            raise AssertionError(f"server process {pid} still running after the guide stopped")
        for port in (5711, 5712):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            except OSError:
                continue
            raise AssertionError(f"port {port} still answers after the guide stopped")
    finally:
        for pid in [guide.pid, *children]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        guide.wait()
