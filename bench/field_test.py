"""The blind field test: conversations written the way survivors, advocates and lawyers write, by
testers who never saw data/, bot/nlu/ or tests/, each with the outcome `rightsguide check` gives for
the person's true facts (tests/conversations/field/setN/). How many end right is the guide's real
accuracy; a set the guide was fixed against is spent, and only a fresh set measures it.

Run: .venv/bin/python bench/field_test.py [SET ...] [--url URL]
Prints, for each set: scripts passed; screening conversations that ended in the right outcome;
safety conversations answered with 911 and the hotline (and 988 where it applies); replies that
showed an internal word. Writes bench/field-results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIELD = ROOT / "tests" / "conversations" / "field"
RESULTS = ROOT / "bench" / "field-results.json"


def kind_of(script) -> str:
    """A screening conversation expects an outcome; a safety one, the emergency numbers."""
    last = script.turns[-1].expect if script.turns else {}
    if "outcome" in last:
        return "screening"
    wanted = " ".join(str(v) for turn in script.turns for v in (turn.expect.get("reply_contains") or []))
    return "safety" if "911" in wanted else "other"


def measure(folder: Path, guide) -> Dict[str, Any]:
    from bot.converse import find_scripts, load_script, run_loaded

    scripts = [load_script(path) for path in find_scripts([folder])]
    results = run_loaded(scripts, guide, workers=4, progress=False)
    by_kind: Dict[str, List[bool]] = {}
    wrong_outcome, internals, failures = 0, 0, []
    for script, result in zip(scripts, results):
        by_kind.setdefault(kind_of(script), []).append(result.passed)
        if not result.passed:
            detail = result.message or ""
            failures.append({"script": Path(script.path).name, "failure": detail[:300]})
            wrong_outcome += "expected the outcome" in detail
            internals += "which it should not" in detail
    return {
        "scripts": len(scripts),
        "passed": sum(r.passed for r in results),
        "pass_rate": round(sum(r.passed for r in results) / max(1, len(scripts)), 3),
        "screening": {"scripts": len(by_kind.get("screening", [])), "passed": sum(by_kind.get("screening", []))},
        "safety": {"scripts": len(by_kind.get("safety", [])), "passed": sum(by_kind.get("safety", []))},
        "wrong_outcome_failures": wrong_outcome,
        "internal_word_failures": internals,
        "failures": failures,
    }


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()


def main(argv: Optional[List[str]] = None) -> int:
    from bot.converse import Guide, StartedGuide

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", help="set folder names under tests/conversations/field (default: all)")
    parser.add_argument("--url", help="a running guide (default: start one)")
    args = parser.parse_args(argv)
    folders = [FIELD / name for name in args.sets] or sorted(p for p in FIELD.iterdir() if p.is_dir())
    report: Dict[str, Any] = {"measured": dt.date.today().isoformat(), "commit": commit(), "sets": {}}
    started = None if args.url else StartedGuide()
    guide = Guide.from_environment(args.url) if args.url else started.start()
    try:
        for folder in folders:
            result = measure(folder, guide)
            report["sets"][folder.name] = result
            print(f"{folder.name}: {result['passed']}/{result['scripts']} scripts passed "
                  f"({result['pass_rate']:.0%}); screenings right {result['screening']['passed']}/"
                  f"{result['screening']['scripts']}; safety {result['safety']['passed']}/"
                  f"{result['safety']['scripts']}; wrong outcomes {result['wrong_outcome_failures']}; "
                  f"internal words shown {result['internal_word_failures']}")
    finally:
        if started:
            started.stop()
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous.setdefault("history", []).append({k: v for k, v in report.items()})
    previous["latest"] = report
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
