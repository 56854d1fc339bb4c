"""How long the entity extractor takes per message, on the words people wrote in the field sets.

Run: .venv/bin/python bench/bench_extraction.py [--rounds N]
A benchmark, not a test: it prints the mean and 95th percentile per message and asserts nothing
(the extractor runs on every turn, so a slow pattern shows here first).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def field_messages():
    from bot.converse import find_scripts, load_script

    field = ROOT / "tests" / "conversations" / "field"
    scripts = [load_script(p) for p in find_scripts(sorted(d for d in field.iterdir() if d.is_dir()))]
    return [turn.value for script in scripts for turn in script.turns if turn.kind == "say"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    from bot.nlu.extractor import extract

    messages = field_messages()
    for text in messages:  # warm-up: spaCy's first calls build caches
        extract(text)
    times = []
    for _ in range(rounds):
        for text in messages:
            start = time.perf_counter()
            extract(text)
            times.append(time.perf_counter() - start)
    times.sort()
    print(f"{len(messages)} field messages x {rounds} rounds: mean {statistics.mean(times) * 1e3:.2f} ms, "
          f"p95 {times[int(len(times) * 0.95)] * 1e3:.2f} ms, max {times[-1] * 1e3:.2f} ms per message")
    return 0


if __name__ == "__main__":
    sys.exit(main())
