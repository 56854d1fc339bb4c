"""The guide refuses to start without its database: Rasa's SQL store would retry an unreachable
database forever, and Rasa falls back to an in-memory store when a store fails to load."""

import os
import subprocess
import time

import pytest

from bot.server import DEVELOPMENT_CREDENTIALS, ROOT, latest_model, server_environment
from bot.stores import DatabaseUnavailable, ErasableSQLTrackerStore

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/none"


def test_the_store_names_the_setting_within_seconds(monkeypatch):
    monkeypatch.setenv("RIGHTSGUIDE_DATABASE_URL", UNREACHABLE)
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as refused:
        ErasableSQLTrackerStore()
    assert time.monotonic() - started < 10
    assert "RIGHTSGUIDE_DATABASE_URL" in str(refused.value) and "127.0.0.1" in str(refused.value)


def test_the_rasa_server_exits_non_zero_with_the_setting_in_its_output(tmp_path):
    model = latest_model()
    if model is None:
        pytest.fail("no trained model: `make test` trains one before the tests run")
    env = server_environment(9, {"RIGHTSGUIDE_DATABASE_URL": UNREACHABLE})
    started = time.monotonic()
    result = subprocess.run([os.sys.executable, "-m", "bot.rasa_server", "--model", str(model), "--endpoints",
                             "endpoints.yml", "--credentials", str(DEVELOPMENT_CREDENTIALS), "--port", "5497"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "RIGHTSGUIDE_DATABASE_URL" in output
    assert "InMemoryTrackerStore" not in output
    assert time.monotonic() - started < 120
