"""Can one message stall the guide? The worst message each channel accepts, and `GET /` while it is
processed (issue 13).

For each channel (REST, SMS as Twilio posts it, the web chat over socket.io), each hostile message
family (one symbol repeated without spaces, the words the entity patterns chain, identifiers for the
scrubber, emoji...) is sent at the longest length the channel accepts, in a new conversation, three
times. For each send it records the answer's HTTP status (the web chat's: 200 once the turn is
stored), the CPU time the Rasa server and the action server spent (from
/proc/PID/stat, 10 ms resolution), the wall time of the turn, and the latency of `GET /` polled every
20 ms by another thread while the turn ran. Targets: no request over 1 s of server CPU, `GET /`
under 100 ms meanwhile.

It also times, in this process, the entity extractor and the scrubber on the same families and on the
inputs of the review (1,600 and 4,000 "§", 200 KB of "a"); with --before REV, also the extractor and
the scrubber of that git revision, for comparison.

Run: .venv/bin/python bench/bench_stall.py [--before 7651d4f] [--repeat 3]
Writes bench/stall-results.json. A benchmark, not a test: it reports numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

from bot.channels.limits import MAX_MESSAGE_CHARACTERS  # noqa: E402
from bot.channels.sms_text import MAX_INBOUND_CHARACTERS  # noqa: E402
from bot.converse import SMS_PATH, SOCKETIO_PATH, StartedGuide, sign_twilio, webchat_conversation_id  # noqa: E402

RESULTS = ROOT / "bench" / "stall-results.json"
TICKS = os.sysconf("SC_CLK_TCK")
PROBE_EVERY = 0.02


def families(length: int, utf16: bool = False) -> Dict[str, str]:
    """Hostile messages of `length` characters; with `utf16`, as Twilio counts them (an emoji is two)."""
    def fill(unit: str) -> str:
        text = (unit * (length // len(unit) + 1))[:length]
        while utf16 and len(text.encode("utf-16-le")) // 2 > length:
            text = text[:-1]
        return text
    return {
        "§ without spaces": fill("§"),
        "§ with spaces": fill("§ "),
        "section prefixes": fill("sec . "),
        "penalty words": fill("max up to the "),
        "ages": fill("i was 16 "),
        "letters without spaces": fill("a"),
        "e-mail fragments": fill("a@"),
        "numbers and spaces": fill("1 "),
        "birth cues": fill("born on the "),
        "emoji": fill("\U0001F642"),
    }


def cpu_seconds(pid: int) -> float:
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


class Probe:
    """GET / every 20 ms on a thread of its own, recording when each was sent and how long it took."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples: List[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=60) as response:
                    response.read()
            except OSError:
                pass
            self.samples.append((started, time.perf_counter() - started))
            time.sleep(PROBE_EVERY)

    def __enter__(self) -> "Probe":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def during(self, start: float, end: float) -> List[float]:
        """Latencies of the probes that were waiting at some moment between start and end."""
        return [latency for sent, latency in self.samples if sent <= end and sent + latency >= start]


def measure(send: Callable[[], object], pids: List[int], probe: Probe) -> Dict[str, object]:
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    started = time.perf_counter()
    status = send()
    ended = time.perf_counter()
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    latencies = probe.during(started, ended) or [0.0]
    return {"status": status, "server_cpu_s": round(cpu, 3), "turn_s": round(ended - started, 3),
            "get_root_max_ms": round(max(latencies) * 1000, 1), "get_root_probes": len(latencies)}


def post(url: str, data: bytes, headers: Dict[str, str]) -> int:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def rest_sender(guide, text: str) -> Callable[[], object]:
    body = json.dumps({"sender": "stall-" + uuid.uuid4().hex, "message": text}).encode()
    return lambda: post(f"{guide.url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})


def sms_sender(guide, text: str) -> Callable[[], object]:
    params = {"From": "+1555" + str(uuid.uuid4().int)[:7], "To": guide.sms_number, "Body": text,
              "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": guide.account_sid, "NumMedia": "0"}
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign_twilio(guide.twilio_token, guide.sms_public_url, params)}
    return lambda: post(guide.url + SMS_PATH, urllib.parse.urlencode(params).encode(), headers)


def webchat_sender(guide, text: str) -> Callable[[], object]:
    """Connects first (not measured), then the send waits until the turn is stored as finished."""
    import socketio

    client = socketio.Client(reconnection=False)
    confirmed = threading.Event()
    client.on("session_confirm", lambda *_: confirmed.set())
    client.connect(guide.url, socketio_path=SOCKETIO_PATH, transports=["polling"], wait_timeout=30)
    session_id = uuid.uuid4().hex
    client.emit("session_request", {"session_id": session_id})
    confirmed.wait(30)
    conversation = webchat_conversation_id(guide.webchat_secret, session_id)

    def finished() -> bool:
        try:
            events = guide.tracker(conversation).get("events") or []
        except Exception:
            return False
        return any(e.get("event") == "user" for e in events) and events[-1].get("name") == "action_listen"

    def send() -> int:
        client.emit("user_uttered", {"message": text, "session_id": session_id})
        deadline = time.monotonic() + 120
        while not finished() and time.monotonic() < deadline:
            time.sleep(0.01)
        client.disconnect()
        return 200 if finished() else 504
    return send


def server_figures(repeat: int) -> Dict[str, object]:
    # The longest message each accepts: 1,000 characters on REST and the web chat; on SMS, Twilio's 1,600
    # (which it counts in UTF-16: 800 emoji).
    senders = {"rest": (rest_sender, MAX_MESSAGE_CHARACTERS, False),
               "sms": (sms_sender, MAX_INBOUND_CHARACTERS, True),
               "webchat": (webchat_sender, MAX_MESSAGE_CHARACTERS, False)}
    results: Dict[str, object] = {}
    running = StartedGuide()
    guide = running.start()
    try:
        pids = [process.pid for process in running.processes]  # the action server and the Rasa server
        with Probe(f"{guide.url}/") as probe:
            time.sleep(1)
            idle = probe.during(time.perf_counter() - 1, time.perf_counter())
            results["idle_get_root_max_ms"] = round(max(idle or [0]) * 1000, 1)
            for channel, (sender, length, utf16) in senders.items():
                rows = {}
                for name, text in families(length, utf16).items():
                    runs = [measure(sender(guide, text), pids, probe) for _ in range(repeat)]
                    rows[name] = {"characters": len(text), "statuses": sorted({r["status"] for r in runs}),
                                  "server_cpu_s_max": max(r["server_cpu_s"] for r in runs),
                                  "turn_s_max": max(r["turn_s"] for r in runs),
                                  "get_root_max_ms": max(r["get_root_max_ms"] for r in runs),
                                  "get_root_probes": sum(r["get_root_probes"] for r in runs)}
                    print(f"  {channel:8} {name:24} {len(text):5} chars, HTTP {rows[name]['statuses']}: "
                          f"server CPU {rows[name]['server_cpu_s_max']:.2f} s,"
                          f" turn {rows[name]['turn_s_max']:.2f} s, GET / max {rows[name]['get_root_max_ms']:.0f} ms",
                          flush=True)
                results[channel] = rows
    finally:
        running.stop()
    return results


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def revision_modules(revision: str, scratch: Path):
    """The extractor (with its patterns) and the scrubber as they were at `revision`."""
    for path in ("bot/nlu/legal_entities.py", "bot/nlu/patterns.yml", "bot/privacy.py"):
        content = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        (scratch / Path(path).name).write_bytes(content)
    extractor = load_module(f"before_legal_entities_{revision}", scratch / "legal_entities.py")
    scrubber = load_module(f"before_privacy_{revision}", scratch / "privacy.py")
    engine = extractor.get_engine(scratch / "patterns.yml")
    return engine.extract, scrubber.scrub


def timed(function: Callable[[str], object], text: str, limit: float) -> Optional[float]:
    """CPU seconds of function(text), run in a forked child so that a call past `limit` seconds can be
    stopped (recorded as None) instead of running on beside the next measurement."""
    import select

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        started = time.process_time()
        function(text)
        os.write(write_end, str(time.process_time() - started).encode())
        os._exit(0)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], limit)
    answer = os.read(read_end, 64).decode() if ready else ""
    os.close(read_end)
    if not answer:
        os.kill(child, 9)
    os.waitpid(child, 0)
    return round(float(answer), 4) if answer else None


def component_figures(before: Optional[str], limit: float) -> Dict[str, object]:
    from bot.nlu.extractor import extract
    from bot.privacy import scrub

    inputs = {f"{name} ({MAX_INBOUND_CHARACTERS})": text for name, text in families(MAX_INBOUND_CHARACTERS).items()}
    inputs.update({"§ x 4,000 (the old widget limit)": "§" * 4000, "'a' x 200,000": "a" * 200_000,
                   "'a@' x 100,000": "a@" * 100_000})
    versions = {"now": (extract, scrub)}
    scratch = tempfile.TemporaryDirectory()
    if before:
        versions[before] = revision_modules(before, Path(scratch.name))
    figures: Dict[str, object] = {}
    for version, (extractor, scrubber) in versions.items():
        extractor("warm up")
        rows = {}
        for name, text in inputs.items():
            rows[name] = {"extract_cpu_s": timed(extractor, text, limit) if len(text) <= 4000 else None,
                          "scrub_cpu_s": timed(scrubber, text, limit)}
            print(f"  {version:8} {name:40} extract {rows[name]['extract_cpu_s']}  scrub {rows[name]['scrub_cpu_s']}",
                  flush=True)
        figures[version] = rows
    scratch.cleanup()
    return figures


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a git revision whose extractor and scrubber to time as well")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0,
                        help="give up on one in-process call after this many seconds (recorded as null)")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    print("In process: the entity extractor and the scrubber (CPU seconds)", flush=True)
    components = component_figures(args.before, args.limit)
    print("Through the running guide: the worst message each channel accepts", flush=True)
    servers = server_figures(args.repeat)
    worst = {channel: max(rows.values(), key=lambda r: r["server_cpu_s_max"])
             for channel, rows in servers.items() if isinstance(rows, dict)}
    summary = {channel: {"server_cpu_s_max": max(r["server_cpu_s_max"] for r in servers[channel].values()),
                         "get_root_max_ms": max(r["get_root_max_ms"] for r in servers[channel].values())}
               for channel in worst}
    results = {"date": time.strftime("%Y-%m-%d"), "commit": commit, "machine": f"{os.cpu_count()} cores, "
               f"{platform.machine()}", "command": "bench/bench_stall.py " + " ".join(argv or sys.argv[1:]),
               "targets": {"server_cpu_s": 1.0, "get_root_ms": 100},
               "summary": summary, "channels": servers, "in_process": components}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
