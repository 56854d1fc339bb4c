"""Rasa end-to-end test stories (tests/stories/): the words, the intents, the entities and every
action of each conversation must come out exactly, with zero prediction errors.

`rasa test core --e2e` checks the NLU and the dialogue policy but replays each story's own slot
events instead of running the actions; `replay_live.py` sends the same stories through the model
and the real action server, so what the forms ask next and which facts they record is checked too."""

import subprocess
import sys

import pytest

from bot.server import ROOT, latest_model, server_environment, wait_until_up

ACTIONS_PORT = 5555
ENVIRONMENT = server_environment(ACTIONS_PORT)  # the action server's address and its shared secret


@pytest.fixture(scope="module")
def action_server():
    process = subprocess.Popen([sys.executable, "-m", "bot.action_server", "--port", str(ACTIONS_PORT)],
                               cwd=ROOT, env=ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{ACTIONS_PORT}/health", process, 90)
    yield
    process.terminate()
    process.wait(timeout=15)


def test_every_test_story_passes_with_zero_prediction_errors(action_server, tmp_path):
    assert latest_model() is not None, "`make test` trains the model before the tests"
    env = dict(ENVIRONMENT)
    env.update(RIGHTSGUIDE_DATABASE_URL=f"sqlite:///{tmp_path / 'stories.db'}")
    result = subprocess.run([sys.executable, "-m", "rasa", "test", "core", "--e2e", "--stories", "tests/stories",
                             "--model", str(latest_model()), "--endpoints", "endpoints.yml",
                             "--out", str(tmp_path / "results"), "--fail-on-prediction-errors"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    failed = (tmp_path / "results" / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
    assert "None of the test stories failed" in failed.read_text()


def test_every_test_story_holds_against_the_live_action_server(action_server):
    env = dict(ENVIRONMENT)
    result = subprocess.run([sys.executable, "tests/stories/replay_live.py", "tests/stories"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    report = "\n".join(line for line in result.stdout.splitlines() if line.startswith(("[DIFF]", "   ")))
    assert result.returncode == 0, report
    assert " 0 differ" in result.stdout
