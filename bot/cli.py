"""`rightsguide`: the guide's command line.

  rightsguide check TOPIC --facts JSON_OR_FILE [--as-of YYYY-MM-DD] [--edition E] [--format text|json|summary]
  rightsguide cite SECTION [--edition E] [--as-of YYYY-MM-DD]
  rightsguide changes [SECTION]
  rightsguide demo
  rightsguide train [--force]
  rightsguide serve [--port 5005] [--actions-port 5055] [--host 127.0.0.1] [--credentials FILE]
  rightsguide chat [--port 5005]
  rightsguide converse SCRIPT_OR_DIR... [--url URL] [--workers N] [--junit FILE]
  rightsguide purge [--older-than 30d]
  rightsguide report [--since YYYY-MM-DD] [--format text|csv|png] [--output FILE]

Bad input exits 2 with one line naming the field and the allowed values.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import warnings
from pathlib import Path
from typing import List, Optional

from rules import EDITIONS, TOPICS, InputError, evaluate, load_library
from rules.facts import parse_date
from rules.law_library import split_citation
from rules.render import changes_text, determination_text, lawyer_summary_text, section_text

BAD_INPUT = 2

DEMO_CASES = (
    ("vacatur", {"convicted": True, "court": "connecticut_adult", "offense_statute": "53a-82", "sold_for_sex": True},
     "A prostitution conviction; she was sold for sex at the time"),
    ("vacatur", {"convicted": True, "offense_class": "class_b_felony", "trafficking_victim": "yes"},
     "An advocate's client: a class B felony larceny conviction"),
    ("vacatur", {"convicted": True, "court": "other_state", "offense_statute": "53a-82", "trafficking_victim": "yes"},
     "A prostitution conviction from a New York court"),
    ("affirmative_defense", {"charge_statute": "53a-192a", "proceeding": "delinquency", "age_at_offense": 16,
                             "trafficking_victim": "yes", "offense_date": "2023-03-01"},
     "A 16-year-old charged with trafficking in juvenile court"),
    ("compelled_testimony", {"proceeding": "delinquency", "applicant": "states_attorney",
                             "privilege_claimed": True}, "A witness in a delinquency proceeding"),
)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors are bad input too: one line, exit 2
        self.exit(BAD_INPUT, f"rightsguide: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="rightsguide", description="What Connecticut human-trafficking law says, with sections.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    check = commands.add_parser("check", help="apply the law to facts")
    check.add_argument("topic", help="one of: " + ", ".join(TOPICS))
    check.add_argument("--facts", default="{}", help="facts as JSON, or a path to a JSON file")
    check.add_argument("--as-of", help="the date to apply the law on (YYYY-MM-DD; default today)")
    check.add_argument("--edition", default="current", help="current or raised-bill")
    check.add_argument("--format", default="text", help="text, json, or summary (a summary to take to a lawyer)")

    cite = commands.add_parser("cite", help="print a section's text in force, its source and status")
    cite.add_argument("section", help="e.g. 54-95c or 54-95c(a)")
    cite.add_argument("--edition", default="current")
    cite.add_argument("--as-of")

    changes = commands.add_parser("changes", help="what Bill 6657 changed, and how it was enacted")
    changes.add_argument("section", nargs="?")

    commands.add_parser("demo", help="show one answer for each screening")

    train = commands.add_parser("train", help="train the assistant if its data or configuration changed")
    train.add_argument("--force", action="store_true", help="retrain everything")
    serve = commands.add_parser("serve", help="run the action server and the Rasa server until Ctrl-C")
    serve.add_argument("--port", type=int, default=5005)
    serve.add_argument("--actions-port", type=int, default=5055)
    serve.add_argument("--host", default="127.0.0.1",
                       help="the interface the Rasa server listens on (default loopback; REST only on loopback)")
    serve.add_argument("--credentials", default=None,
                       help="the channels: credentials.yml (default: SMS, web chat) or credentials-dev.yml (+ REST)")
    chat = commands.add_parser("chat", help="talk to a running guide from the terminal")
    chat.add_argument("--port", type=int, default=5005)

    converse = commands.add_parser("converse", help="run conversation scripts against the guide")
    converse.add_argument("scripts", nargs="+", metavar="SCRIPT_OR_DIR")
    converse.add_argument("--url", help="a running guide, e.g. http://127.0.0.1:5005 (default: start one)")
    converse.add_argument("--workers", type=int, default=4)
    converse.add_argument("--junit", metavar="FILE", help="also write JUnit XML")

    purge = commands.add_parser("purge", help="erase conversations idle longer than the retention period")
    purge.add_argument("--older-than", help="e.g. 30d, 12h, 2w (default: RIGHTSGUIDE_RETENTION_DAYS days, 30)")
    report = commands.add_parser("report", help="anonymous weekly counts: conversations, topics, outcomes")
    report.add_argument("--since", help="YYYY-MM-DD (the week containing it is included)")
    report.add_argument("--format", default="text", help="text, csv or png")
    report.add_argument("--output", help="write to this file (required for png)")
    return parser


def _read_facts(raw: str) -> object:
    path = Path(raw)
    text = raw
    if not raw.lstrip().startswith("{") and path.suffix == ".json":
        if not path.is_file():
            raise InputError("--facts", f"no such file {raw!r}", "a JSON object or the path of a .json file")
        text = path.read_text()
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError("--facts", f"is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})",
                         'a JSON object such as {"convicted": true}') from None


def _choice(value: str, allowed, field: str) -> str:
    if value not in allowed:
        raise InputError(field, f"{value!r} is not allowed", ", ".join(allowed))
    return value


def _as_of(raw: Optional[str]) -> dt.date:
    return dt.date.today() if raw is None else parse_date(raw, "--as-of")


def quiet_rasa() -> None:
    """The store's modules load Rasa, whose libraries talk on stderr when imported."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    warnings.filterwarnings("ignore")


def run(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    library = load_library()
    if args.command == "check":
        output = _choice(args.format, ("text", "json", "summary"), "--format")
        edition = _choice(args.edition, EDITIONS, "--edition")
        determination = evaluate(args.topic, _read_facts(args.facts), _as_of(args.as_of), edition)
        if output == "json":
            print(json.dumps(determination.to_dict(), indent=2, default=str))
        elif output == "summary":
            print(lawyer_summary_text(determination, library))
        else:
            print(determination_text(determination, library))
    elif args.command == "cite":
        edition = _choice(args.edition, EDITIONS, "--edition")
        section_id, _ = split_citation(args.section.strip())
        if section_id not in library.sections:
            raise InputError("section", f"{args.section!r} is not in the law data", ", ".join(library.sections))
        print(section_text(library, args.section.strip(), edition, _as_of(args.as_of)))
    elif args.command == "changes":
        answer = evaluate("what_changed", {"section": args.section} if args.section else {})
        print(changes_text(answer.result["changes"], answer.result["added_by_the_act"]))
    elif args.command in ("train", "serve", "chat"):
        from bot import server  # Rasa is heavy: load it only for the commands that need it

        if args.command == "train":
            return server.train(args.force)
        if args.command == "serve":
            return server.serve(args.port, args.actions_port, host=args.host,
                                credentials=Path(args.credentials) if args.credentials else None)
        return server.chat(args.port)
    elif args.command == "converse":
        from bot.converse import run_scripts

        return run_scripts(args.scripts, url=args.url, workers=args.workers, junit=args.junit)
    elif args.command == "purge":
        quiet_rasa()
        from bot.retention import purge_command

        return purge_command(args.older_than)
    elif args.command == "report":
        quiet_rasa()
        from bot.report import report_command

        return report_command(args.since, args.format, args.output)
    elif args.command == "demo":
        for topic, facts, title in DEMO_CASES:
            print(f"=== {title}\n$ rightsguide check {topic} --facts '{json.dumps(facts)}'\n")
            print(determination_text(evaluate(topic, facts), library) + "\n")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    try:
        return run(argv)
    except InputError as error:
        print(f"rightsguide: error: {error}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`rightsguide check ... | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
