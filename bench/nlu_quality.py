"""How well the guide understands words it was never trained on: intent precision, recall and F1 on
the held-out set (tests/nlu/holdout-blind.yml). It was written blind, by someone who had not seen the
training data, from the design notes and the domain; any message that is also a training example is
taken out of it, and tests/test_training_data.py keeps the two apart.

Run: .venv/bin/python bench/nlu_quality.py [--model models/X.tar.gz]
Prints a per-intent table and writes docs/nlu-report.md and bench/nlu-report.json. The report lives
outside data/, so it can never leak into training.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "nlu" / "holdout-blind.yml"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa logs each parsed message's text at DEBUG


def holdout_examples(path: Path = HOLDOUT) -> List[Tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def predict(model: Path, texts: List[str]) -> List[str]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # unconfigured, structlog prints every parsed message's text
    agent = Agent.load(str(model))

    async def parse_all() -> List[str]:
        return [(await agent.parse_message(text))["intent"]["name"] for text in texts]

    return asyncio.run(parse_all())


def report(expected: List[str], predicted: List[str]) -> Dict:
    """Scores over the intents people meant; a fallback ("I didn't understand") counts as a miss."""
    from sklearn.metrics import classification_report

    return classification_report(expected, predicted, labels=sorted(set(expected)), output_dict=True,
                                 zero_division=0)


def evaluate(model: Path, holdout: Path = HOLDOUT) -> Dict:
    examples = holdout_examples(holdout)
    texts, expected = [t for t, _ in examples], [i for _, i in examples]
    predicted = predict(model, texts)
    scores = report(expected, predicted)
    errors = [{"text": t, "expected": e, "predicted": p} for t, e, p in zip(texts, expected, predicted) if e != p]
    return {"examples": len(texts), "macro_f1": round(scores["macro avg"]["f1-score"], 3),
            "accuracy": round(sum(e == p for e, p in zip(expected, predicted)) / len(texts), 3),
            "fallbacks": predicted.count("nlu_fallback"),
            "intents": {name: {k: round(v, 3) for k, v in s.items()} for name, s in sorted(scores.items())
                        if isinstance(s, dict) and name not in ("macro avg", "weighted avg", "micro avg")},
            "errors": errors}


def markdown(result: Dict, model: Path) -> str:
    lines = [f"# NLU quality on the held-out set", "",
             f"Model `{model.name}`; {result['examples']} held-out messages the training never saw "
             f"(`tests/nlu/holdout-blind.yml`, written without sight of the training data). "
             f"Produced by `.venv/bin/python bench/nlu_quality.py`.", "",
             f"**Macro F1 {result['macro_f1']:.3f}**, accuracy {result['accuracy']:.3f}; "
             f"{result['fallbacks']} messages fell back to \"I can help with...\".", "",
             "| intent | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    for name, s in result["intents"].items():
        lines.append(f"| {name} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1-score']:.2f} | {int(s['support'])} |")
    lines += ["", "Misclassified held-out messages:", ""]
    lines += [f"- \"{e['text']}\": expected `{e['expected']}`, got `{e['predicted']}`" for e in result["errors"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bot.server import latest_model

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    model = args.model or latest_model()
    result = evaluate(model)
    (ROOT / "bench" / "nlu-report.json").write_text(json.dumps(result, indent=2) + "\n")
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "nlu-report.md").write_text(markdown(result, model))
    print(markdown(result, model))


if __name__ == "__main__":
    main()
