"""Files only the guide's own user may read: the `var/` directory (0700) and what the guide creates in
it (0600), whatever the umask. Under the common umask 022 SQLite would create the conversation
database readable by every user of the machine.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


def private_directory(path: Path) -> Path:
    """Create `path` (and its parents) if missing; make `path` itself 0700."""
    path.mkdir(parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIRECTORY:
        path.chmod(PRIVATE_DIRECTORY)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty and 0600 if missing, or make an existing one 0600. SQLite gives its -wal and
    -shm files the database file's mode, so creating the database this way covers them too."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    for companion in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
        if companion.exists() and stat.S_IMODE(companion.stat().st_mode) != PRIVATE_FILE:
            companion.chmod(PRIVATE_FILE)
    return path


def stored_secret(variable: str, path: Path, environment: dict = None) -> str:
    """The secret in the environment variable, or else the one kept in `path` (created, 0600, on
    first use). With several servers, set the variable: each server would otherwise make its own."""
    value = (environment if environment is not None else os.environ).get(variable, "").strip()
    if value:
        return value
    private_directory(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        value = secrets.token_hex(32)
        handle.write(value + "\n")
    return value
