"""No conversation database, trained model or log is ever committed."""

import fnmatch
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("*.db", "*.db-wal", "*.db-shm", "*.db-journal", "*.sqlite", "*.sqlite3", "*.sqlite-*",
             "*.tar.gz", "*.log")


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()


def test_no_database_model_or_log_is_tracked():
    tracked = git("ls-files")
    assert tracked, "not a git checkout"
    offending = [path for path in tracked
                 if any(fnmatch.fnmatch(Path(path).name.lower(), pattern) for pattern in FORBIDDEN)
                 or path.startswith(("var/", "models/"))]
    assert offending == []


def test_gitignore_covers_the_places_they_are_written():
    for path in ("var/rightsguide.db", "var/rightsguide.db-wal", "models/20260101-000000-model.tar.gz",
                 "conversations.sqlite", "rasa.db", "logs/rasa.log", "var/anything"):
        assert git("check-ignore", "--no-index", path) == [path], f"{path} is not ignored"
