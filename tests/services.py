"""PostgreSQL and Redis for the tests that need them: started by deploy/services-up.sh when down;
a test that needs them fails, never skips, when they cannot be brought up."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def services_up() -> None:
    result = subprocess.run(["sh", str(ROOT / "deploy" / "services-up.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"PostgreSQL and Redis are needed: {result.stdout}{result.stderr}")
