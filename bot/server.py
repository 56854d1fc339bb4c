"""Train the assistant, run it (action server + Rasa server), and talk to it from a terminal.

Rasa is started as separate processes, as a deployment would run it: the action server
(`rasa run actions`) and the Rasa server with the REST channel and the HTTP API, on an embedded
SQLite tracker store unless RIGHTSGUIDE_DATABASE_URL says otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
RASA = [sys.executable, "-m", "rasa"]
TRAIN_ARGS = ["--domain", "bot/domain", "--data", "data", "--config", "config.yml", "--out", "models"]


def quiet_environment() -> Dict[str, str]:
    env = dict(os.environ)
    env["RASA_TELEMETRY_ENABLED"] = "false"  # privacy: Rasa would otherwise report usage and errors
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore")
    env.setdefault("TQDM_DISABLE", "1")
    return env


def latest_model() -> Optional[Path]:
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def train(force: bool = False) -> int:
    """Rasa retrains only what changed (its fingerprints cover data, config, domain and the pattern file
    of our entity component); `force` retrains everything."""
    command = RASA + ["train"] + TRAIN_ARGS + (["--force"] if force else [])
    return subprocess.call(command, cwd=ROOT, env=quiet_environment())


def wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server behind {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds:.0f} s")


def start_servers(port: int = 5005, actions_port: int = 5055, host: str = "127.0.0.1",
                  model: Optional[Path] = None, extra_env: Optional[Dict[str, str]] = None,
                  log_dir: Optional[Path] = None, credentials: Path = ROOT / "credentials.yml"
                  ) -> List[subprocess.Popen]:
    """Start the action server and the Rasa server; return once both answer."""
    model = model or latest_model()
    if model is None:
        raise FileNotFoundError("no trained model in models/: run `rightsguide train` first")
    env = quiet_environment()
    env.update(extra_env or {})
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{actions_port}/webhook"
    out = (lambda name: open(log_dir / name, "ab")) if log_dir else (lambda name: None)
    actions = subprocess.Popen(RASA + ["run", "actions", "--actions", "actions", "--port", str(actions_port)],
                               cwd=ROOT, env=env, stdout=out("actions.log"), stderr=subprocess.STDOUT
                               if log_dir else None)
    command = RASA + ["run", "--model", str(model), "--enable-api", "--port", str(port), "--interface", host,
                      "--endpoints", "endpoints.yml", "--credentials", str(credentials)]
    if env.get("RASA_AUTH_TOKEN"):
        command += ["--auth-token", env["RASA_AUTH_TOKEN"]]
    rasa = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out("rasa.log"),
                            stderr=subprocess.STDOUT if log_dir else None)
    processes = [actions, rasa]
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, 90)
        wait_until_up(f"http://127.0.0.1:{port}/", rasa, 180)
    except BaseException:
        stop_servers(processes)
        raise
    return processes


def stop_servers(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(port: int, actions_port: int) -> int:
    processes = start_servers(port, actions_port)
    print(f"The guide is running: open http://127.0.0.1:{port}/chat, or talk to it with "
          f"`rightsguide chat --port {port}`. Press Ctrl-C to stop.", flush=True)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_servers(processes)


def send(port: int, sender: str, text: str, timeout: float = 30) -> List[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def chat(port: int) -> int:
    """A terminal conversation; a number picks one of the choices the guide just offered."""
    sender = uuid.uuid4().hex
    choices: List[dict] = []
    print("Type a message, or the number of a choice (Ctrl-D to leave).")
    while True:
        try:
            text = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(choices):
            text = choices[int(text) - 1]["payload"]
        choices = []
        for reply in send(port, sender, text):
            if reply.get("text"):
                print(reply["text"])
            for button in reply.get("buttons") or []:
                choices.append(button)
                print(f"  {len(choices)}. {button['title']}")
