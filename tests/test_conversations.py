"""Every conversation script in tests/conversations/ (not known_issues/) runs against one guide, through
the channel it names; any failure fails the test, and the runner's table says which turn and why."""

import io
from pathlib import Path

from bot.converse import find_scripts, load_script, run_loaded, table, write_junit
from conversation_guide import running_guide

SCRIPTS = Path(__file__).resolve().parent / "conversations"


def test_there_are_at_least_40_scripts_over_every_channel():
    scripts = [load_script(path) for path in find_scripts([SCRIPTS])]
    assert len(scripts) >= 40
    assert {s.channel for s in scripts} == {"rest", "sms", "socketio"}


def test_every_conversation_script_passes(tmp_path):
    scripts = [load_script(path) for path in find_scripts([SCRIPTS])]
    results = run_loaded(scripts, running_guide(), workers=6, progress=False)
    report = table(results)
    print(report)
    write_junit(results, tmp_path / "conversations.xml")
    assert (tmp_path / "conversations.xml").read_text().count("<testcase") == len(scripts)
    failed = [r for r in results if not r.passed]
    assert not failed, "\n" + report


def test_the_runner_reports_the_first_difference_and_exits_non_zero(tmp_path, monkeypatch):
    from bot.converse import run_scripts
    guide = running_guide()
    for name, value in (("RASA_AUTH_TOKEN", guide.token), ("TWILIO_AUTH_TOKEN", guide.twilio_token),
                        ("SMS_PUBLIC_URL", guide.sms_public_url), ("SMS_SENDER_SECRET", guide.sms_secret)):
        monkeypatch.setenv(name, value)
    (tmp_path / "wrong.yml").write_text(
        "name: A script that expects the wrong outcome\nchannel: sms\nturns:\n"
        "  - say: client has a class B felony larceny conviction from 2019, trafficked at the time. vacatur?\n"
        "    expect:\n      outcome: must_vacate_if_proven\n")
    (tmp_path / "right.yml").write_text(
        "name: The same message, the right outcome\nturns:\n"
        "  - say: client has a class B felony larceny conviction from 2019, trafficked at the time. vacatur?\n"
        "    expect: {outcome: not_eligible, reply_contains: cannot be vacated}\n")
    out = io.StringIO()
    code = run_scripts([tmp_path], url=guide.url, junit=tmp_path / "junit.xml", out=out, progress=False)
    assert code == 1
    report = out.getvalue()
    assert "1 of 2 scripts passed" in report
    assert "expected the outcome must_vacate_if_proven, got not_eligible" in report
    assert 'failures="1"' in (tmp_path / "junit.xml").read_text()


def test_a_script_written_wrongly_is_refused_with_a_plain_reason(tmp_path):
    from bot.converse import ScriptError, run_scripts
    (tmp_path / "bad.yml").write_text("name: x\nchannel: fax\nturns:\n  - say: hi\n")
    out = io.StringIO()
    assert run_scripts([tmp_path], url="http://127.0.0.1:9", out=out, progress=False) == 2
    assert "channel must be one of rest, sms, socketio" in out.getvalue()
    (tmp_path / "bad.yml").write_text("name: x\nturns:\n  - say: hi\n    expect: {reply_contain: hello}\n")
    try:
        load_script(tmp_path / "bad.yml")
    except ScriptError as error:
        assert "reply_contain" in str(error) and "reply_contains" in str(error)
    else:
        raise AssertionError("an unknown check was accepted")
