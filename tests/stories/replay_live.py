"""Replay the test stories against the LIVE assistant: the latest model plus a running action server.

`rasa test core` never calls the action server: it replays each story's own events, so it checks
the dialogue policy (and, with --e2e, the NLU) but not what the validation actions actually do -
which question comes next, which facts get recorded, whether an answer is accepted. This script
sends each story's messages through the real pipeline (user text as typed, button steps as their
payload, e.g. /inform{"offense": "prostitution"}) and compares, turn by turn:
  - the predicted intent and entities with the story's annotations,
  - the actions and form activations (ignoring no-op `active_loop` steps),
  - every `slot_was_set` in the story with the value the actions really set (last value in the turn).

usage (from the repository root, with an action server running):
  .venv/bin/rasa run actions --actions actions --port 5255 &
  ACTION_ENDPOINT_URL=http://127.0.0.1:5255/webhook .venv/bin/python tests/stories/replay_live.py \
      [-v] [tests/stories | a story file] [story-name-substring]
Exit status 1 if any story differs. Conversations are kept in memory only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import uuid
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import structlog  # noqa: E402
import yaml  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.core.tracker_store import InMemoryTrackerStore  # noqa: E402
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

from bot.action_server import action_headers  # noqa: E402  the action server answers only with its secret

ANNOTATION = re.compile(r"\[([^\]]+)\](\(([^)]+)\)|\{([^}]+)\})")


def plain_text_and_entities(annotated: str):
    text, entities, position = "", [], 0
    for match in ANNOTATION.finditer(annotated):
        text += annotated[position:match.start()]
        start = len(text)
        text += match.group(1)
        if match.group(3):
            entity, value = match.group(3), match.group(1)
        else:
            spec = json.loads("{" + match.group(4) + "}")
            entity, value = spec["entity"], str(spec.get("value", match.group(1)))
        entities.append((entity, value, start, len(text)))
        position = match.end()
    return text + annotated[position:], sorted(entities)


def turns_of(steps):
    turns = []
    for step in steps:
        if "user" in step or "intent" in step:
            turns.append({"step": step, "expect": []})
        elif not turns:
            continue
        elif "action" in step:
            turns[-1]["expect"].append(("action", step["action"]))
        elif "active_loop" in step:
            turns[-1]["expect"].append(("active_loop", step["active_loop"]))
        elif "slot_was_set" in step:
            for slot in step["slot_was_set"]:
                if isinstance(slot, dict):
                    turns[-1]["expect"] += [("slot", name, value) for name, value in slot.items()]
    return turns


def without_noop_loops(sequence, active_loop):
    kept = []
    for item in sequence:
        if item[0] == "slot":
            continue
        if item[0] == "active_loop":
            if item[1] == active_loop:
                continue
            active_loop = item[1]
        kept.append(item)
    return kept


async def replay(agent: Agent, story: dict, verbose: bool):
    sender = "replay-" + uuid.uuid4().hex[:12]
    problems, transcript = [], []
    for turn in turns_of(story["steps"]):
        step = turn["step"]
        if "user" in step:
            text, gold = plain_text_and_entities(step["user"].strip())
        else:
            entities = {k: v for e in step.get("entities") or [] for k, v in e.items()}
            text, gold = "/" + step["intent"] + (json.dumps(entities) if entities else ""), None
        before = await agent.tracker_store.retrieve(sender)
        seen, active_before = (len(before.events), before.active_loop_name) if before else (0, None)
        responses = await agent.handle_text(text, sender_id=sender)
        events = list((await agent.tracker_store.retrieve(sender)).events)[seen:]
        last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
        user = events[last_user]
        got = []
        for event in events[last_user + 1:]:
            if isinstance(event, ActionExecuted) and event.action_name != "action_listen":
                got.append(("action", event.action_name))
            elif isinstance(event, ActiveLoop):
                got.append(("active_loop", event.name))
            elif isinstance(event, SlotSet):
                got.append(("slot", event.key, event.value))
        intent = user.intent.get("name")
        if intent != step["intent"]:
            problems.append(f"{text!r}: intent {intent} ({user.intent.get('confidence', 0):.2f}), "
                            f"story says {step['intent']}")
        if gold is not None:
            predicted = sorted((e["entity"], str(e["value"]), e["start"], e["end"]) for e in user.entities)
            if predicted != gold:
                problems.append(f"{text!r}: entities {predicted}, story says {gold}")
        expected_actions = without_noop_loops(turn["expect"], active_before)
        actual_actions = without_noop_loops(got, active_before)
        if expected_actions != actual_actions:
            problems.append(f"after {text!r}: actions {actual_actions}, story says {expected_actions}")
        for _, name, value in (x for x in turn["expect"] if x[0] == "slot"):
            values = [g[2] for g in got if g[0] == "slot" and g[1] == name]
            if not values or values[-1] != value:
                problems.append(f"after {text!r}: slot {name} set to {values or 'nothing'}, story says {value!r}")
        transcript.append(f"> {text}   [{intent}]")
        transcript += [f"  < {(r.get('text') or '')[:160]}" for r in responses]
    return problems, transcript


async def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    target = Path(args[0]) if args else ROOT / "tests" / "stories"
    needle = args[1] if len(args) > 1 else ""
    files = [target] if target.is_file() else sorted(target.glob("test_*.yml"))
    model = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[-1]
    url = os.environ.get("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    agent = Agent.load(str(model), action_endpoint=EndpointConfig(url, headers=action_headers()))
    agent.tracker_store = InMemoryTrackerStore(agent.domain)
    agent.processor.tracker_store = agent.tracker_store
    print(f"model {model.name}, action server {url}")
    total = differing = 0
    for file in files:
        for story in (yaml.safe_load(file.read_text()) or {}).get("stories", []):
            if needle not in story["story"]:
                continue
            total += 1
            problems, transcript = await replay(agent, story, verbose)
            differing += bool(problems)
            print(f"[{'DIFF' if problems else 'ok  '}] {file.name}: {story['story']}")
            for problem in problems:
                print(f"       {problem}")
            if verbose:
                print("\n".join("         " + line for line in transcript))
    print(f"{total} stories replayed, {differing} differ from the live assistant")
    return 1 if differing else 0


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    sys.exit(asyncio.run(main(sys.argv[1:])))
