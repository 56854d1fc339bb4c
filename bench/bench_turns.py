"""Benchmark the guide as a person meets it: REST turns through the Rasa server and the action server.

Prints, and writes to bench/results.json:
- training time (a forced full training into a scratch folder),
- per-turn latency p50/p95 and turns per second at 1 and 8 concurrent conversations,
- per-turn latency along one 300-turn conversation (median of turns 1-50 vs. 251-300),
- peak resident memory of the Rasa server and of the action server.

Run: .venv/bin/python bench/bench_turns.py [--quick]
A benchmark, not a test: it reports numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.server import RASA, TRAIN_ARGS, quiet_environment, send, start_servers, stop_servers  # noqa: E402

# One screening as an advocate types it, then questions about the law: a realistic mix of form
# turns, law-engine answers and informational answers.
SCRIPT = [
    "client has a class D felony larceny conviction, trafficked at the time - can it be vacated?",
    "yes", "yes", "why?", "what do i do next", "what counts as trafficking",
    "how serious is trafficking in persons", "i want to clear a prostitution conviction", "yes",
    "yes", "thanks",
]


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def conversation(port: int, turns: int) -> List[float]:
    sender = uuid.uuid4().hex
    latencies = []
    for i in range(turns):
        started = time.perf_counter()
        send(port, sender, SCRIPT[i % len(SCRIPT)])
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def load(port: int, concurrent: int, turns_each: int) -> Dict[str, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrent) as pool:
        results = list(pool.map(lambda _: conversation(port, turns_each), range(concurrent)))
    elapsed = time.perf_counter() - started
    latencies = [ms for result in results for ms in result]
    return {"concurrent": concurrent, "turns": len(latencies), "p50_ms": round(percentile(latencies, 0.5), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1), "turns_per_second": round(len(latencies) / elapsed, 1)}


def peak_rss_mb(pids: List[int], stop: threading.Event, peaks: Dict[int, float]) -> None:
    while not stop.is_set():
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = max(peaks.get(pid, 0.0), int(line.split()[1]) / 1024)
            except FileNotFoundError:
                pass
        time.sleep(0.5)


def training_seconds() -> float:
    with tempfile.TemporaryDirectory() as scratch:
        args = list(TRAIN_ARGS)
        args[args.index("--out") + 1] = scratch
        started = time.perf_counter()
        subprocess.run(RASA + ["train", "--force"] + args, cwd=ROOT, env=quiet_environment(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer turns, for a smoke run")
    parser.add_argument("--port", type=int, default=5305)
    args = parser.parse_args()
    results: Dict[str, object] = {"training_seconds": training_seconds()}
    with tempfile.TemporaryDirectory() as scratch:
        env = {"RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{scratch}/bench.db"}
        started = time.perf_counter()
        processes = start_servers(args.port, args.port + 50, extra_env=env)
        results["server_start_seconds"] = round(time.perf_counter() - started, 1)
        stop, peaks = threading.Event(), {}
        watcher = threading.Thread(target=peak_rss_mb, args=([p.pid for p in processes], stop, peaks))
        watcher.start()
        try:
            conversation(args.port, 5)  # warm-up
            turns = 20 if args.quick else 60
            results["one_conversation"] = load(args.port, 1, turns)
            results["eight_conversations"] = load(args.port, 8, turns)
            long_turns = 100 if args.quick else 300
            latencies = conversation(args.port, long_turns)
            first, last = latencies[:50], latencies[-50:]
            results["long_conversation"] = {
                "turns": long_turns, "median_first_50_ms": round(statistics.median(first), 1),
                "median_last_50_ms": round(statistics.median(last), 1),
                "growth": round(statistics.median(last) / statistics.median(first), 2)}
        finally:
            stop.set()
            watcher.join()
            stop_servers(processes)
        results["peak_memory_mb"] = {"actions": round(peaks.get(processes[0].pid, 0)),
                                     "rasa": round(peaks.get(processes[1].pid, 0))}
    print(json.dumps(results, indent=2))
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
