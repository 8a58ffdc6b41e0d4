"""The meeting report on a year of data for 10,000 members (about a million rows), on SQLite and PostgreSQL.

    python benchmarks/bench_report.py [--members 10000] [--backend sqlite|postgres|both]
                                      [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Generates program events (joins, leaves, shares), polls with their deliveries and
ballots, feedback, and, where their tables exist, the content and answer-engine
records; then builds the meeting report (figures, tables, charts, HTML, CSV)
for a two-week meeting period and for the whole year, and prints the time and
the peak memory. Goal from issue 5: under 5 seconds. A script, not a timed
test: shared machines are too noisy to fail a build on.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, create_engine, inspect, text  # noqa: E402

from bot.i18n import Catalog, Translator  # noqa: E402
from bot.kpis import Period  # noqa: E402
from bot.report import REPORT_TEXTS, build_report, write_report  # noqa: E402
from handlers.polls import voter_key  # noqa: E402
from storage.db import Database, upgrade_schema  # noqa: E402

DEPARTMENTS = ["Sales", "HR", "Engineering", "Marketing", "Operations"]
END = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
START = END - timedelta(days=365)
BATCH = 5_000


def rand_time(rng: random.Random, start: datetime = START, end: datetime = END) -> datetime:
    return start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))


def insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> int:
    for i in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[i : i + BATCH])
    return len(rows)


def generate(sync_url: str, members: int, seed: int = 5) -> dict[str, int]:
    """Fill the database; returns rows per table."""
    rng = random.Random(seed)
    engine = create_engine(sync_url)
    meta = MetaData()
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        names = set(inspect(conn).get_table_names())
        meta.reflect(conn, only=[n for n in names if n != "alembic_version"])
        t = meta.tables

        people = []
        for i in range(members):
            joined = rand_time(rng)
            left = rand_time(rng, joined) if rng.random() < 0.15 else None
            people.append({
                "id": i + 1, "email": f"person{i}@example.com", "display_name": f"Person {i}",
                "department": rng.choice(DEPARTMENTS), "is_member": left is None, "joined_at": joined,
                "left_at": left, "is_guest": False, "active": True, "pseudonym": f"P-{i:010X}",
                "created_at": joined, "profile_checked_at": joined,
            })
        counts["person"] = insert(conn, t["person"], people)

        events = []
        for p in people:
            events.append({"kind": "join", "person_id": p["id"], "pseudonym": p["pseudonym"], "at": p["joined_at"],
                           "data": {}})
            if p["left_at"]:
                events.append({"kind": "leave", "person_id": p["id"], "pseudonym": p["pseudonym"],
                               "at": p["left_at"], "data": {"reason": "leave"}})
            for _ in range(rng.randrange(0, 21)):
                events.append({"kind": "content_shared", "person_id": p["id"], "pseudonym": p["pseudonym"],
                               "at": rand_time(rng, p["joined_at"], p["left_at"] or END), "data": {}})
        counts["programevent"] = insert(conn, t["programevent"], events)

        member_ids = [p["id"] for p in people]
        polls, outbox, ballots, voters = [], [], [], []
        secret = b"benchmark-secret"
        poll_id = 0
        for week in range(0, 52, 2):  # a pulse question every two weeks, anonymous, to all members
            poll_id += 1
            created = START + timedelta(weeks=week)
            polls.append({"id": poll_id, "question": f"Pulse {week // 2 + 1}: how is it going?",
                          "options": ["Great", "OK", "Not good"], "multi": False, "anonymous": True,
                          "audience_kind": "members", "audience_value": "", "status": "closed",
                          "created_at": created, "closes_at": created + timedelta(days=3),
                          "closed_at": created + timedelta(days=3)})
            audience = rng.sample(member_ids, int(len(member_ids) * 0.85))
            for pid in audience:
                outbox.append({"kind": "poll", "ref_id": poll_id, "person_id": pid, "status": "sent", "attempts": 1,
                               "sent_at": created, "created_at": created})
                if rng.random() < 0.6:
                    ballots.append({"poll_id": poll_id, "voter_key": voter_key(secret, poll_id, pid),
                                    "choices": 1 << rng.randrange(3)})
        for n in range(50):  # named department polls
            poll_id += 1
            dept = DEPARTMENTS[n % len(DEPARTMENTS)]
            created = rand_time(rng)
            polls.append({"id": poll_id, "question": f"{dept} question {n}?", "options": ["A", "B", "C", "D"],
                          "multi": n % 3 == 0, "anonymous": False, "audience_kind": "department",
                          "audience_value": dept, "status": "closed" if created < END - timedelta(days=7) else "open",
                          "created_at": created, "closes_at": created + timedelta(days=7), "closed_at": None})
            audience = [p["id"] for p in people if p["department"] == dept and p["is_member"]]
            for pid in audience:
                outbox.append({"kind": "poll", "ref_id": poll_id, "person_id": pid, "status": "sent", "attempts": 1,
                               "sent_at": created, "created_at": created})
                if rng.random() < 0.5:
                    key = voter_key(secret, poll_id, pid)
                    ballots.append({"poll_id": poll_id, "voter_key": key, "choices": 1 + rng.randrange(15)})
                    voters.append({"poll_id": poll_id, "person_id": pid, "voter_key": key,
                                   "voted_at": created + timedelta(hours=rng.randrange(1, 100))})
        counts["poll"] = insert(conn, t["poll"], polls)
        counts["poll_outbox"] = insert(conn, t["poll_outbox"], outbox)
        counts["poll_ballot"] = insert(conn, t["poll_ballot"], ballots)
        counts["poll_voter"] = insert(conn, t["poll_voter"], voters)

        feedback = []
        for _ in range(members // 3):
            p = rng.choice(people)
            anonymous = rng.random() < 0.4
            feedback.append({"kind": "topic" if rng.random() < 0.2 else "feedback",
                             "text": "Feedback text " + uuid.uuid4().hex, "department": p["department"],
                             "person_id": None if anonymous else p["id"], "anonymous": anonymous, "lang": "de",
                             "created_at": rand_time(rng)})
        counts["feedback"] = insert(conn, t["feedback"], feedback)

        if {"content_item", "content_run", "content_delivery", "content_link"} <= names:
            try:
                with conn.begin_nested():
                    counts.update(_content(conn, t, rng, people))
            except Exception as exc:  # their schema moved on: the report says "not available yet" then
                print(f"  content tables not filled: {type(exc).__name__}: {str(exc)[:200]}")
        if {"ask_question", "ask_feedback", "kb_gap"} <= names:
            try:
                with conn.begin_nested():
                    counts.update(_ask(conn, t, rng, people))
            except Exception as exc:
                print(f"  answer-engine tables not filled: {type(exc).__name__}: {str(exc)[:200]}")
        if conn.dialect.name == "postgresql":
            for name in ("person", "poll"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return counts


def _content(conn: Any, t: Any, rng: random.Random, people: list[dict[str, Any]]) -> dict[str, int]:
    items = [{"id": i + 1, "title": f"Item {i + 1}", "url": f"https://example.com/{i + 1}", "audience": "all",
              "status": "approved", "created_via": "cli", "created_at": START, "approval_tries": 0}
             for i in range(100)]
    runs, deliveries, links = [], [], []
    did = 0
    for week in range(0, 52, 2):
        due = START + timedelta(weeks=week)
        runs.append({"id": len(runs) + 1, "cycle": due.isoformat(), "wave": "main", "kind": "nudge", "due_at": due,
                     "status": "done", "planned": 0, "created_at": due, "report_tries": 0})
        for p in people:
            if not p["is_member"] or rng.random() < 0.2:
                continue
            did += 1
            deliveries.append({"id": did, "run_id": len(runs), "cycle": due.isoformat(), "kind": "nudge",
                               "person_id": p["id"], "pseudonym": p["pseudonym"], "lang": "de", "status": "sent",
                               "due_at": due, "attempts": 1, "sent_at": due, "data": {}, "created_at": due})
            shared = due + timedelta(hours=rng.randrange(1, 72)) if rng.random() < 0.25 else None
            clicks = rng.randrange(0, 4) if rng.random() < 0.3 else 0
            links.append({"token": uuid.uuid4().hex[:20], "delivery_id": did, "item_id": rng.randrange(1, 101),
                          "person_id": p["id"], "pseudonym": p["pseudonym"], "position": 0, "shared_at": shared,
                          "clicks": clicks, "first_click_at": due + timedelta(hours=2) if clicks else None,
                          "created_at": due})
    # One link per (item, person): keep the first.
    seen, unique = set(), []
    for link in links:
        key = (link["item_id"], link["person_id"])
        if key not in seen:
            seen.add(key)
            unique.append(link)
    return {"content_item": insert(conn, t["content_item"], items),
            "content_run": insert(conn, t["content_run"], runs),
            "content_delivery": insert(conn, t["content_delivery"], deliveries),
            "content_link": insert(conn, t["content_link"], unique)}


def _ask(conn: Any, t: Any, rng: random.Random, people: list[dict[str, Any]]) -> dict[str, int]:
    topics = ["disclosure", "confidential", "privacy", "copyright", "crisis", "netiquette", "spokesperson"]
    questions, feedback, gaps = [], [], []
    for i in range(60_000):
        p = rng.choice(people)
        at = rand_time(rng)
        questions.append({"id": i + 1, "created_at": at, "person_id": p["id"], "pseudonym": p["pseudonym"],
                          "source": "message", "language": "de", "verdict": rng.choice(["go", "check", "no"]),
                          "topic": rng.choice(topics), "topics": [], "guideline_ids": [], "matched": True,
                          "composed_by": "offline", "guarded": False})
        if rng.random() < 0.2:
            feedback.append({"question_id": i + 1, "person_id": p["id"], "helpful": rng.random() < 0.8,
                             "created_at": at, "updated_at": at})
        if rng.random() < 0.02:
            gaps.append({"created_at": at, "person_id": p["id"], "pseudonym": p["pseudonym"], "language": "de",
                         "reason": "no_match", "text": "?", "guideline_ids": [], "status": "open",
                         "lead_attempts": 0, "asker_attempts": 0})
    return {"ask_question": insert(conn, t["ask_question"], questions),
            "ask_feedback": insert(conn, t["ask_feedback"], feedback),
            "kb_gap": insert(conn, t["kb_gap"], gaps)}


async def measure(url: str, out: Path, period: Period, label: str) -> None:
    """One report, timed; memory: the Python peak while building (tracemalloc) and the process's peak RSS."""
    db = Database(url)
    t = Translator(_catalog(), "en")
    started = time.perf_counter()
    report = await build_report(db, period, now=END)
    built = time.perf_counter()
    files = await asyncio.to_thread(write_report, report, out, t, timezone="Europe/Berlin")
    done = time.perf_counter()
    # tracemalloc slows everything it watches several times over: a second build, not timed.
    tracemalloc.start()
    await build_report(db, period, now=END)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await db.dispose()
    rss = peak_rss_mib()
    active = report.figure("active_members").value
    print(f"  {label:<18} build {built - started:5.2f} s  charts+HTML+CSV {done - built:5.2f} s  "
          f"total {done - started:5.2f} s  peak: Python {peak / 2**20:5.1f} MiB, process RSS {rss:4.0f} MiB  "
          f"({len(files.charts)} charts, {len(files.csv)} CSV, active members {active:,.0f})", flush=True)


def peak_rss_mib() -> float:
    # VmHWM starts afresh at exec; ru_maxrss would carry the generator's peak over into the child.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_in_child(url: str, label: str, days: int) -> None:
    # A fresh process: its peak RSS is the report's, not the data generator's.
    import subprocess

    subprocess.run([sys.executable, __file__, "--measure", url, "--label", label, "--days", str(days)], check=True)


def _catalog() -> Catalog:
    catalog = Catalog()
    catalog.add(REPORT_TEXTS)
    return catalog


def run(url: str, members: int, name: str) -> None:
    print(f"{name}:")
    sync = Database(url).sync_url
    t0 = time.perf_counter()
    upgrade_schema(sync)
    counts = generate(sync, members)
    total = sum(counts.values())
    print(f"  generated {total:,} rows in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    measure_in_child(url, "meeting (14 days)", 14)
    measure_in_child(url, "whole year", 365)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server where a scratch database may be created and dropped")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=14, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(measure(args.measure, Path(tmp), Period(END - timedelta(days=args.days), END), args.label))
        return 0
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.db", args.members, "SQLite")
    if args.backend in ("postgres", "both"):
        import psycopg

        name = f"ambassador_bench_{uuid.uuid4().hex[:8]}"
        try:
            with psycopg.connect(args.pg, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except Exception as exc:
            print(f"PostgreSQL: skipped, {args.pg} not reachable ({type(exc).__name__})")
            return 0
        try:
            run(f"{args.pg.rsplit('/', 1)[0]}/{name}", args.members, "PostgreSQL")
        finally:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
