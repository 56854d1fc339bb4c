"""Train the assistant, run it (action server + Rasa server), and talk to it from a terminal.

Rasa is started as separate processes, as a deployment would run it: the action server
(bot/action_server.py, on loopback, answering only Rasa) and the Rasa server (bot/rasa_server.py)
with the channels of a credentials file, on an embedded SQLite tracker store unless
RIGHTSGUIDE_DATABASE_URL says otherwise. The HTTP API is on only with RASA_AUTH_TOKEN.

credentials.yml is what others may reach (SMS, the web chat); credentials-dev.yml adds the REST
channel that `rightsguide chat` and the conversation scripts use, on loopback only.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
RASA = [sys.executable, "-m", "rasa"]
CREDENTIALS = ROOT / "credentials.yml"
DEVELOPMENT_CREDENTIALS = ROOT / "credentials-dev.yml"
ACTION_TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"  # as bot/action_server.py (not imported: it loads rasa-sdk)
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


# Store types Rasa knows by name; any other type must be the module path of a class.
BUILT_IN_STORES = {"tracker_store": {"in_memory", "redis", "mongod", "sql", "dynamo"},
                   "lock_store": {"in_memory", "redis"}}


class ConfigurationError(Exception):
    """The endpoints file names a store that does not exist: the guide refuses to start."""


def check_endpoints(endpoints: Path) -> None:
    """Refuse an endpoints file whose tracker or lock store type does not resolve to a store class.

    Rasa logs a warning and keeps conversations in memory when the tracker store type is misspelled:
    every conversation would be lost on the next restart (and each replica would hold its own)."""
    import importlib

    import yaml

    try:
        config = yaml.safe_load(Path(endpoints).read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigurationError(f"cannot read the endpoints file {endpoints}: {error}") from error
    for setting, base_name in (("tracker_store", "TrackerStore"), ("lock_store", "LockStore")):
        section = config.get(setting)
        if not section:
            continue
        store_type = section.get("type") if isinstance(section, dict) else None
        if store_type is None or str(store_type).lower() in BUILT_IN_STORES[setting]:
            continue
        problem = None
        module_name, _, class_name = str(store_type).rpartition(".")
        try:
            store_class = getattr(importlib.import_module(module_name), class_name) if module_name else None
        except ImportError as error:
            store_class, problem = None, f"module '{module_name}' cannot be imported ({error})"
        except AttributeError:
            store_class, problem = None, f"module '{module_name}' has no class '{class_name}'"
        if store_class is None and problem is None:
            problem = "it is neither a built-in store nor a module path"
        if store_class is not None:
            module = importlib.import_module(f"rasa.core.{setting}")
            if not (isinstance(store_class, type) and issubclass(store_class, getattr(module, base_name))):
                problem = f"'{store_type}' is not a {base_name} class"
        if problem:
            raise ConfigurationError(
                f"{setting}.type '{store_type}' in {endpoints} does not name a store: {problem}. Expected one "
                f"of {sorted(BUILT_IN_STORES[setting])} or a module path such as bot.stores.ErasableSQLTrackerStore"
                f". Refusing to start (Rasa would fall back to an in-memory store and lose conversations).")


def start_actions(actions_port: int, env: Dict[str, str], log_dir: Optional[Path] = None) -> subprocess.Popen:
    log = open(log_dir / "actions.log", "ab") if log_dir else None
    actions = subprocess.Popen([sys.executable, "-m", "bot.action_server", "--port", str(actions_port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT if log_dir else None)
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, 90)
    except BaseException:
        stop_servers([actions])
        raise
    return actions


def start_rasa(port: int, env: Dict[str, str], model: Path, host: str = "127.0.0.1",
               log_dir: Optional[Path] = None, credentials: Path = CREDENTIALS,
               endpoints: Path = ROOT / "endpoints.yml") -> subprocess.Popen:
    """The Rasa server; its HTTP API is on when `env` has RASA_AUTH_TOKEN (read by the server itself,
    never put on its command line)."""
    check_endpoints(endpoints)
    command = [sys.executable, "-m", "bot.rasa_server", "--model", str(model), "--port", str(port),
               "--interface", host, "--endpoints", str(endpoints), "--credentials", str(credentials)]
    log = open(log_dir / "rasa.log", "ab") if log_dir else None
    rasa = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT if log_dir else None)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", rasa, 180)
    except BaseException:
        stop_servers([rasa])
        raise
    return rasa


def server_environment(actions_port: int, extra_env: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The environment of both servers: the action server's address, and the secret Rasa shows it
    (ACTION_SERVER_TOKEN from the environment, or a new one for this run)."""
    env = quiet_environment()
    env.update(extra_env or {})
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{actions_port}/webhook"
    env.setdefault(ACTION_TOKEN_VARIABLE, secrets.token_hex(24))
    return env


def start_servers(port: int = 5005, actions_port: int = 5055, host: str = "127.0.0.1",
                  model: Optional[Path] = None, extra_env: Optional[Dict[str, str]] = None,
                  log_dir: Optional[Path] = None, credentials: Path = CREDENTIALS,
                  endpoints: Path = ROOT / "endpoints.yml") -> List[subprocess.Popen]:
    """Start the action server and the Rasa server; return once both answer. Raises
    ConfigurationError, before starting anything, when the endpoints file names no store class."""
    model = model or latest_model()
    if model is None:
        raise FileNotFoundError("no trained model in models/: run `rightsguide train` first")
    check_endpoints(endpoints)
    env = server_environment(actions_port, extra_env)
    actions = start_actions(actions_port, env, log_dir)
    try:
        rasa = start_rasa(port, env, model, host, log_dir, credentials, endpoints)
    except BaseException:
        stop_servers([actions])
        raise
    return [actions, rasa]


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


def stop_on_terminate(signum: int, frame: Any) -> None:
    """A service manager or `docker stop` sends SIGTERM to this process only: stop as on Ctrl-C, so the
    two servers it started stop too instead of running on, orphaned, with the port and the database."""
    raise KeyboardInterrupt


def serve(port: int, actions_port: int, endpoints: Optional[Path] = None, host: str = "127.0.0.1",
          credentials: Optional[Path] = None) -> int:
    endpoints = Path(endpoints or os.environ.get("RIGHTSGUIDE_ENDPOINTS") or ROOT / "endpoints.yml")
    credentials = Path(credentials or CREDENTIALS)
    signal.signal(signal.SIGTERM, stop_on_terminate)
    try:
        processes = start_servers(port, actions_port, host=host, endpoints=endpoints, credentials=credentials)
    except ConfigurationError as error:
        print(f"rightsguide: {error}", file=sys.stderr)
        return 2
    except (RuntimeError, TimeoutError) as error:  # the server said why on its way out
        print(f"rightsguide: the guide did not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0  # stopped while starting: start_servers has stopped what it had started
    where = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    chat_hint = (f", or talk to it with `rightsguide chat --port {port}`"
                 if credentials.resolve() == DEVELOPMENT_CREDENTIALS.resolve() else "")
    try:  # a SIGTERM right after the line below is read must still stop the servers
        print(f"The guide is running: open {where}/chat{chat_hint}. Press Ctrl-C to stop.", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        # The servers share this process group: a SIGINT one of them passes on while stopping (or a
        # second Ctrl-C) must not cut short the stopping of the other.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_servers(processes)


class NoRestChannel(Exception):
    """The guide at this port has no REST channel: it was not started for development."""


def send(port: int, sender: str, text: str, timeout: float = 30) -> List[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NoRestChannel(f"the guide on port {port} has no REST channel: start it with `make run` "
                                f"(rightsguide serve --credentials credentials-dev.yml)") from None
        raise


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
        try:
            replies = send(port, sender, text)
        except NoRestChannel as error:
            print(f"rightsguide: {error}", file=sys.stderr)
            return 1
        except urllib.error.URLError:
            print(f"rightsguide: no guide answers on port {port}: start it with `make run`", file=sys.stderr)
            return 1
        for reply in replies:
            if reply.get("text"):
                print(reply["text"])
            for button in reply.get("buttons") or []:
                choices.append(button)
                print(f"  {len(choices)}. {button['title']}")
