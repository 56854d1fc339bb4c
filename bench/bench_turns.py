"""Benchmark the guide as people meet it, and Rasa's default pipeline and policies beside it.

For each configuration (the project's `config.yml`, and Rasa's own default config trained on the same
domain and data), in one run:
- training time (a forced full training into a scratch folder) and server start time,
- per-turn latency p50/p95 and turns per second at 1 and 8 concurrent conversations, through the
  REST channel and through the SMS channel (Twilio-signed webhook posts, TwiML replies),
- per-turn latency along one 300-turn conversation (median of turns 1-50 vs. 251-300),
- peak resident memory of the Rasa server and of the action server,
- intent macro-F1 on the held-out set and how many conversation scripts pass.
Then the ratio default / project for each figure. Prints a table; writes bench/results.json.

Run: .venv/bin/python bench/bench_turns.py [--quick] [--only project|rasa_default]
A benchmark, not a test: it reports numbers and asserts nothing. Rasa's default trains DIET and TED
for 100 epochs each, so a full run takes about 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Before Rasa is imported: at DEBUG it logs each parsed message's text, and the held-out set is parsed here.
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

from bot.converse import (RestConversation, SMSConversation, StartedGuide, find_scripts, load_script,  # noqa: E402
                          run_loaded)
from bot.server import RASA, TRAIN_ARGS, quiet_environment  # noqa: E402

# One screening as an advocate types it, then questions about the law: a realistic mix of form
# turns, law-engine answers and informational answers.
SCRIPT = [
    "client has a class D felony larceny conviction, trafficked at the time - can it be vacated?",
    "yes", "yes", "why?", "what do i do next", "what counts as trafficking",
    "how serious is trafficking in persons", "i want to clear a prostitution conviction", "yes",
    "yes", "thanks",
]
CHANNELS = {"rest": RestConversation, "sms": SMSConversation}
PROJECT_CONFIG = ROOT / "config.yml"


def rasa_default_config(scratch: Path) -> Path:
    """Rasa's own default pipeline and policies, read from the installed Rasa (the file `rasa train`
    falls back to when a config leaves them out), so the baseline follows whatever Rasa is pinned."""
    from rasa.engine.recipes import default_recipe

    default = Path(default_recipe.__file__).parent / "config_files" / "default_config.yml"
    config = scratch / "rasa-default-config.yml"
    config.write_text(default.read_text().replace("placeholder_default", "rasa-default-baseline"))
    return config


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def conversation(start: Callable[[], object], turns: int) -> List[float]:
    person = start()
    latencies = []
    for i in range(turns):
        started = time.perf_counter()
        person.send(SCRIPT[i % len(SCRIPT)])
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def load(start: Callable[[], object], concurrent: int, turns_each: int) -> Dict[str, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrent) as pool:
        results = list(pool.map(lambda _: conversation(start, turns_each), range(concurrent)))
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


def train(config: Path, out: Path) -> float:
    args = list(TRAIN_ARGS)
    args[args.index("--config") + 1] = str(config)
    args[args.index("--out") + 1] = str(out)
    started = time.perf_counter()
    subprocess.run(RASA + ["train", "--force"] + args, cwd=ROOT, env=quiet_environment(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def measure(config: Path, scratch: Path, quick: bool) -> Dict[str, object]:
    models = scratch / "models"
    results: Dict[str, object] = {"training_seconds": train(config, models)}
    model = next(models.glob("*.tar.gz"))
    started = time.perf_counter()
    servers = StartedGuide(model=model)
    guide = servers.start()
    try:
        results["server_start_seconds"] = round(time.perf_counter() - started, 1)
        stop, peaks = threading.Event(), {}
        pids = [process.pid for process in servers.processes]  # the action server, then Rasa
        watcher = threading.Thread(target=peak_rss_mb, args=(pids, stop, peaks))
        watcher.start()
        try:
            turns = 20 if quick else 60
            for channel, kind in CHANNELS.items():
                start = lambda kind=kind: kind(guide)  # noqa: E731
                conversation(start, 5)  # warm-up
                results[channel] = {"one_conversation": load(start, 1, turns),
                                    "eight_conversations": load(start, 8, turns)}
            long_turns = 100 if quick else 300
            latencies = conversation(lambda: RestConversation(guide), long_turns)
            first, last = latencies[:50], latencies[-50:]
            results["long_conversation"] = {
                "turns": long_turns, "median_first_50_ms": round(statistics.median(first), 1),
                "median_last_50_ms": round(statistics.median(last), 1),
                "growth": round(statistics.median(last) / statistics.median(first), 2)}
            scripts = [load_script(path) for path in find_scripts([ROOT / "tests" / "conversations"])]
            passed = sum(result.passed for result in run_loaded(scripts, guide, progress=False))
            results["conversation_scripts"] = {"passed": passed, "total": len(scripts)}
        finally:
            stop.set()
            watcher.join()
    finally:
        servers.stop()
    results["peak_memory_mb"] = {"actions": round(peaks.get(pids[0], 0)), "rasa": round(peaks.get(pids[1], 0))}
    from bench.nlu_quality import evaluate
    held_out = evaluate(model)
    results["held_out_nlu"] = {"macro_f1": held_out["macro_f1"], "accuracy": held_out["accuracy"],
                               "examples": held_out["examples"]}
    return results


# (label, path in the results, better when lower) for the table and the ratios.
FIGURES = [
    ("training, s", ("training_seconds",), True),
    ("server start, s", ("server_start_seconds",), True),
    ("REST 1 conv. p50, ms", ("rest", "one_conversation", "p50_ms"), True),
    ("REST 1 conv. p95, ms", ("rest", "one_conversation", "p95_ms"), True),
    ("REST 1 conv. turns/s", ("rest", "one_conversation", "turns_per_second"), False),
    ("REST 8 conv. p50, ms", ("rest", "eight_conversations", "p50_ms"), True),
    ("REST 8 conv. p95, ms", ("rest", "eight_conversations", "p95_ms"), True),
    ("REST 8 conv. turns/s", ("rest", "eight_conversations", "turns_per_second"), False),
    ("SMS 1 conv. p50, ms", ("sms", "one_conversation", "p50_ms"), True),
    ("SMS 1 conv. p95, ms", ("sms", "one_conversation", "p95_ms"), True),
    ("SMS 1 conv. turns/s", ("sms", "one_conversation", "turns_per_second"), False),
    ("SMS 8 conv. p50, ms", ("sms", "eight_conversations", "p50_ms"), True),
    ("SMS 8 conv. p95, ms", ("sms", "eight_conversations", "p95_ms"), True),
    ("SMS 8 conv. turns/s", ("sms", "eight_conversations", "turns_per_second"), False),
    ("300 turns: median 1-50, ms", ("long_conversation", "median_first_50_ms"), True),
    ("300 turns: median 251-300, ms", ("long_conversation", "median_last_50_ms"), True),
    ("300 turns: growth", ("long_conversation", "growth"), True),
    ("peak memory Rasa, MB", ("peak_memory_mb", "rasa"), True),
    ("peak memory actions, MB", ("peak_memory_mb", "actions"), True),
    ("held-out intent macro-F1", ("held_out_nlu", "macro_f1"), False),
    ("conversation scripts passed", ("conversation_scripts", "passed"), False),
]


def figure(results: Dict, path: tuple) -> Optional[float]:
    for key in path:
        if not isinstance(results, dict) or key not in results:
            return None
        results = results[key]
    return results


def ratios(project: Dict, default: Dict) -> Dict[str, Optional[float]]:
    """Rasa default / project, per figure: above 1 means the default is larger (slower, bigger)."""
    found = {}
    for label, path, _ in FIGURES:
        mine, theirs = figure(project, path), figure(default, path)
        found[label] = round(theirs / mine, 2) if mine and theirs is not None else None
    return found


def table(results: Dict[str, Dict]) -> str:
    names = [name for name in ("project", "rasa_default") if name in results]
    lines = ["| figure | " + " | ".join(names) + (" | default / project |" if len(names) == 2 else " |"),
             "|---|" + "---|" * len(names) + ("---|" if len(names) == 2 else "")]
    for label, path, _ in FIGURES:
        cells = [figure(results[name], path) for name in names]
        row = f"| {label} | " + " | ".join("n/a" if c is None else f"{c:g}" for c in cells) + " |"
        if len(names) == 2:
            ratio = results["default_over_project"].get(label)
            row += f" {'n/a' if ratio is None else f'x{ratio:g}'} |"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer turns, for a smoke run")
    parser.add_argument("--only", choices=("project", "rasa_default"), help="measure one configuration")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    results: Dict[str, Dict] = {}
    with tempfile.TemporaryDirectory(prefix="rightsguide-bench-") as scratch:
        configs = {"project": PROJECT_CONFIG, "rasa_default": rasa_default_config(Path(scratch))}
        for name, config in configs.items():
            if args.only in (None, name):
                print(f"Measuring {name} ({config.name})...", file=sys.stderr, flush=True)
                (Path(scratch) / name).mkdir()
                results[name] = measure(config, Path(scratch) / name, args.quick)
    if len(results) == 2:
        results["default_over_project"] = ratios(results["project"], results["rasa_default"])
    print(table(results))
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
