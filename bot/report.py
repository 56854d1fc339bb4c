"""An anonymous report for the organisations that run the guide: conversations, topics asked and
determination outcomes per week and channel, the numbers a grant report needs, and nothing else.

The counts live in the table `anonymous_counts`, one counter per (Monday of the week, channel, kind,
topic, outcome), added to by the tracker store (bot/stores.py) in the same transaction as the turn
that counts. Counters, not rows: a row per event kept the order of events, which could date an
outcome of a conversation that was later erased. No text, no conversation id, no time finer than
the week; the channel is one the guide has (REST took any name a client wrote). The counters stay
when a conversation is erased or purged.

What the report prints: a count under 5 is shown as "<5" (a small count in one week could point
to one person), and a total that includes such a count is rounded down to a multiple of 5 ("15+").

    rightsguide report [--since YYYY-MM-DD] [--format text|csv|png] [--output FILE]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections import defaultdict
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence

import sqlalchemy
from sqlalchemy import Column, Date, Integer, String, UniqueConstraint, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base

from bot.topics import INFORMATION_TOPIC_OF_INTENT

Base = declarative_base()

CONVERSATION_STARTED = "conversation_started"
TOPIC_ASKED = "topic_asked"
DETERMINATION = "determination"
KINDS = (CONVERSATION_STARTED, TOPIC_ASKED, DETERMINATION)
CHANNELS = ("rest", "sms", "webchat")
OTHER_CHANNEL = "other"
SMALLEST_SHOWN = 5
LEGACY_TABLE = "anonymous_events"

ANSWER_ACTION = "action_answer_topic"


class AnonymousCount(Base):
    __tablename__ = "anonymous_counts"
    __table_args__ = (UniqueConstraint("week", "channel", "kind", "topic", "outcome", name="one_counter"),)

    id = Column(Integer, primary_key=True)
    week = Column(Date, nullable=False, index=True)  # the Monday of the week
    channel = Column(String(32), nullable=False)
    kind = Column(String(32), nullable=False)
    topic = Column(String(64), nullable=False, default="")  # "" rather than NULL: NULLs are never equal
    outcome = Column(String(64), nullable=False, default="")
    count = Column(Integer, nullable=False, default=0)


class Counter(NamedTuple):
    """What one counter counts."""
    week: dt.date
    channel: str
    kind: str
    topic: str = ""
    outcome: str = ""


def week_of(timestamp: Optional[float]) -> dt.date:
    day = (dt.datetime.fromtimestamp(timestamp, dt.timezone.utc) if timestamp
           else dt.datetime.now(dt.timezone.utc)).date()
    return day - dt.timedelta(days=day.weekday())


def _channel(name: Optional[str]) -> str:
    return name if name in CHANNELS else OTHER_CHANNEL


def counters_of_turn(new_events: Sequence[Any], slots_before: Dict[str, Any],
                     channel: Optional[str] = None) -> List[Counter]:
    """The counters the events of a turn add one to (Rasa event objects, before scrubbing).

    `slots_before` are the slot values before these events (to tell a topic newly asked from a
    topic set again); `channel` the conversation's channel when no message in `new_events` says it.
    Slots set between a session start and the person's message are carried over, not asked.
    """
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

    rows: List[Counter] = []
    slots = dict(slots_before)
    channel = next((e.input_channel for e in new_events if isinstance(e, UserUttered) and e.input_channel),
                   channel)
    intent = None
    heard = False  # a message of the person's in this batch: slots set after it are this turn's work
    for event in new_events:
        week = week_of(getattr(event, "timestamp", None))
        if isinstance(event, SessionStarted):
            rows.append(Counter(week, _channel(channel), CONVERSATION_STARTED))
            heard = False
        elif isinstance(event, UserUttered):
            heard = True
            intent = (event.intent or {}).get("name")
        elif isinstance(event, ActionExecuted) and event.action_name == ANSWER_ACTION:
            topic = INFORMATION_TOPIC_OF_INTENT.get(intent or "", "definition")
            rows.append(Counter(week, _channel(channel), TOPIC_ASKED, topic))
        elif isinstance(event, SlotSet):
            before = slots.get(event.key)
            slots[event.key] = event.value
            if not heard or event.value is None:
                continue
            if event.key == "screening_topic" and event.value != before:
                rows.append(Counter(week, _channel(channel), TOPIC_ASKED, str(event.value)[:64]))
            elif event.key == "determination":
                try:
                    answer = json.loads(event.value)
                    topic, outcome = str(answer["topic"])[:64], str(answer["outcome"])[:64]
                except (TypeError, ValueError, KeyError):
                    continue
                rows.append(Counter(week, _channel(channel), DETERMINATION, topic, outcome))
    return rows


def count(connection: Any, counter: Counter, by: int = 1) -> None:
    """Add `by` to a counter, inside the caller's transaction (a Session or a Connection)."""
    table = AnonymousCount.__table__
    values = {**counter._asdict(), "count": by}
    dialect = connection.get_bind().dialect.name if hasattr(connection, "get_bind") else connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = sqlalchemy.dialects.sqlite if dialect == "sqlite" else sqlalchemy.dialects.postgresql
        statement = module.insert(table).values(**values).on_conflict_do_update(
            index_elements=list(Counter._fields), set_={"count": table.c.count + by})
        connection.execute(statement)
        return
    match = [getattr(table.c, name) == value for name, value in counter._asdict().items()]
    if not connection.execute(table.update().where(*match).values(count=table.c.count + by)).rowcount:
        connection.execute(table.insert().values(**values))


def create_tables(engine: Engine) -> None:
    """The counters' table; rows of the old per-event table are folded into counters, then dropped."""
    import sqlalchemy.dialects.postgresql  # noqa: F401  (the upserts above)
    import sqlalchemy.dialects.sqlite  # noqa: F401

    Base.metadata.create_all(engine)
    if not sqlalchemy.inspect(engine).has_table(LEGACY_TABLE):
        return
    legacy = sqlalchemy.table(LEGACY_TABLE, *(sqlalchemy.column(n) for n in ("week", "channel", "kind", "topic",
                                                                            "outcome")))
    with engine.begin() as connection:
        groups = connection.execute(select(legacy.c.week, legacy.c.channel, legacy.c.kind, legacy.c.topic,
                                           legacy.c.outcome, func.count())
                                    .group_by(legacy.c.week, legacy.c.channel, legacy.c.kind, legacy.c.topic,
                                              legacy.c.outcome)).all()
        for week, channel, kind, topic, outcome, number in groups:
            week = dt.date.fromisoformat(week) if isinstance(week, str) else week
            count(connection, Counter(week, _channel(channel), kind, topic or "", outcome or ""), number)
        connection.execute(sqlalchemy.text(f"DROP TABLE {LEGACY_TABLE}"))


# --- the report ---------------------------------------------------------------------------------

def report(since: Optional[dt.date] = None, engine: Optional[Engine] = None) -> List[Dict[str, Any]]:
    """Counts grouped by week: one row per (week, channel, kind, topic, outcome) with its count,
    oldest week first."""
    if engine is None:
        from bot.stores import create_engine, database_url

        engine = create_engine(database_url())
    create_tables(engine)
    table = AnonymousCount.__table__
    query = (select(table.c.week, table.c.channel, table.c.kind, table.c.topic, table.c.outcome, table.c["count"])
             .where(table.c["count"] > 0)
             .order_by(table.c.week, table.c.kind, table.c.channel, table.c.topic, table.c.outcome))
    if since is not None:
        query = query.where(table.c.week >= since - dt.timedelta(days=since.weekday()))
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    for row in rows:  # SQLite gives the date back as a date; be sure on every database
        if isinstance(row["week"], str):
            row["week"] = dt.date.fromisoformat(row["week"])
        row["topic"], row["outcome"] = row["topic"] or None, row["outcome"] or None
    return rows


def shown(number: int) -> str:
    """A count as the report prints it: under 5 (but not 0) as "<5"."""
    return f"<{SMALLEST_SHOWN}" if 0 < number < SMALLEST_SHOWN else str(number)


def shown_total(parts: Iterable[int]) -> str:
    """A total as the report prints it: exact only when every part is shown, otherwise rounded down to
    a multiple of 5 with a "+" (an exact total minus the parts shown would give the hidden ones)."""
    parts = list(parts)
    total = sum(parts)
    if total < SMALLEST_SHOWN:
        return shown(total)
    if any(0 < part < SMALLEST_SHOWN for part in parts):
        return f"{total - total % SMALLEST_SHOWN}+"
    return str(total)


def weekly_totals(rows: Iterable[Dict[str, Any]]) -> Dict[dt.date, Dict[str, Any]]:
    weeks: Dict[dt.date, Dict[str, Any]] = defaultdict(lambda: {
        "conversations": 0, "topics": defaultdict(int), "outcomes": defaultdict(int), "channels": defaultdict(int)})
    for row in rows:
        week = weeks[row["week"]]
        if row["kind"] == CONVERSATION_STARTED:
            week["conversations"] += row["count"]
            week["channels"][row["channel"]] += row["count"]
        elif row["kind"] == TOPIC_ASKED:
            week["topics"][row["topic"] or "unknown"] += row["count"]
        elif row["kind"] == DETERMINATION:
            week["outcomes"][f"{row['topic']}: {row['outcome']}"] += row["count"]
    return dict(sorted(weeks.items()))


def _listing(counts: Dict[str, int]) -> str:
    return ", ".join(f"{name} {shown(count)}" for name, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))) or "-"


def as_text(rows: List[Dict[str, Any]]) -> str:
    weeks = weekly_totals(rows)
    if not weeks:
        return "No conversations recorded in this period."
    lines = ["Anonymous report: counts per week (weeks start on Monday); no text and no identifiers are kept.",
             f"Counts under {SMALLEST_SHOWN} are shown as <{SMALLEST_SHOWN}; a total that includes one is rounded "
             f"down to a multiple of {SMALLEST_SHOWN} (15+).", ""]
    for week, totals in weeks.items():
        lines.append(f"Week of {week.isoformat()}")
        lines.append(f"  conversations started   {shown_total(totals['channels'].values()):>5}   "
                     f"by channel: {_listing(totals['channels'])}")
        lines.append(f"  topics asked            {shown_total(totals['topics'].values()):>5}   {_listing(totals['topics'])}")
        lines.append(f"  determinations          {shown_total(totals['outcomes'].values()):>5}   "
                     f"{_listing(totals['outcomes'])}")
        lines.append("")
    all_weeks = list(weeks.values())
    lines.append(f"Total: {shown_total(c for w in all_weeks for c in w['channels'].values())} conversations, "
                 f"{shown_total(c for w in all_weeks for c in w['topics'].values())} topics asked, "
                 f"{shown_total(c for w in all_weeks for c in w['outcomes'].values())} determinations "
                 f"over {len(weeks)} week(s).")
    return "\n".join(lines)


def as_csv(rows: List[Dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["week", "channel", "kind", "topic", "outcome", "count"])
    for row in rows:
        writer.writerow([row["week"].isoformat(), row["channel"], row["kind"], row["topic"] or "",
                         row["outcome"] or "", shown(row["count"])])
    return out.getvalue()


def as_png(rows: List[Dict[str, Any]], path: str) -> None:
    """Two panels: determinations per week stacked by topic and outcome, and conversations started
    per week (stacked by channel), each bar labelled with its total."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weeks = weekly_totals(rows)
    labels = [w.strftime("%b %-d\n%Y") for w in weeks] or ["(none)"]
    x = list(range(len(labels)))
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(max(7.5, 1.1 * len(labels) + 4), 8.5), sharex=True,
                                         gridspec_kw={"height_ratios": [3, 2]})
    colors = plt.get_cmap("tab20").colors

    def stacked(axis: Any, key: str, title: str, ylabel: str) -> None:
        names = sorted({name for totals in weeks.values() for name in totals[key]})
        bottoms = [0] * len(weeks)
        for i, name in enumerate(names):
            # A count under 5 is not drawn: a bar's height would show what the table hides.
            values = [c if c >= SMALLEST_SHOWN else 0 for c in (totals[key].get(name, 0) for totals in weeks.values())]
            axis.bar(x[:len(values)], values, bottom=bottoms, label=name.replace("_", " "),
                     color=colors[i % len(colors)], edgecolor="white", width=0.65)
            bottoms = [b + v for b, v in zip(bottoms, values)]
        for position, totals, height in zip(x, weeks.values(), bottoms):
            label = shown_total(totals[key].values())
            if label != "0":
                axis.annotate(label, (position, height), ha="center", va="bottom", fontsize=9,
                              xytext=(0, 2), textcoords="offset points")
        axis.set_title(title, loc="left", fontsize=11, fontweight="bold")
        axis.set_ylabel(ylabel)
        axis.yaxis.get_major_locator().set_params(integer=True)
        axis.set_ylim(0, max(bottoms + [1]) * 1.18)
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="y", alpha=0.3)
        axis.set_axisbelow(True)
        if names:
            axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
        else:
            axis.text(0.5, 0.5, "none in this period", transform=axis.transAxes, ha="center", color="grey")

    stacked(top, "outcomes", "Determinations per week, by topic: outcome", "determinations")
    stacked(bottom, "channels", "Conversations started per week, by channel", "conversations")
    bottom.set_xticks(x)
    bottom.set_xticklabels(labels, fontsize=9)
    bottom.set_xlabel("week starting (Monday)")
    figure.suptitle("Connecticut trafficking rights guide: anonymous weekly counts", fontsize=13, x=0.02, ha="left")
    figure.text(0.02, 0.005, f"Counts under {SMALLEST_SHOWN} are not drawn; a total that includes one is rounded "
                f"down to a multiple of {SMALLEST_SHOWN} (15+).", fontsize=8, color="dimgrey")
    figure.tight_layout()
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)


def report_command(since: Optional[str] = None, format: str = "text", output: Optional[str] = None,
                   engine: Optional[Engine] = None) -> int:
    """`rightsguide report`: 0, or 2 with one line naming the bad option."""
    try:
        start = dt.date.fromisoformat(since) if since else None
    except ValueError:
        print(f"rightsguide: error: --since: {since!r} is not a date (allowed: YYYY-MM-DD)", file=sys.stderr)
        return 2
    if format not in ("text", "csv", "png"):
        print(f"rightsguide: error: --format: {format!r} is not allowed (allowed: text, csv, png)", file=sys.stderr)
        return 2
    if format == "png" and not output:
        print("rightsguide: error: --output: a PNG needs a file name (e.g. --output report.png)", file=sys.stderr)
        return 2
    rows = report(start, engine)
    if format == "png":
        as_png(rows, output)
        print(f"wrote {output}")
        return 0
    text = as_text(rows) + "\n" if format == "text" else as_csv(rows)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {output}")
    else:
        sys.stdout.write(text)
    return 0
