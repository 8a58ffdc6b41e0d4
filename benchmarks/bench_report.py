"""The meeting report on a year of data for 10,000 members (about a million rows), on SQLite and PostgreSQL.

    python benchmarks/bench_report.py [--members 10000] [--backend sqlite|postgres|both] [--repeat 3]
                                      [--pg postgresql://postgres@127.0.0.1:5432/postgres]
                                      [--keep DIR] [--url URL]

Generates program events (joins, leaves, shares), polls with their deliveries and
ballots, feedback, and, where their tables exist, the content and answer-engine
records (bulk: executemany on SQLite, COPY on PostgreSQL); then builds the
meeting report (figures, tables, charts, HTML, CSV) for a two-week meeting
period and for the whole year, each in a fresh process as ``ambassador report
meeting`` would (so matplotlib's import is paid every time), ``--repeat`` times,
and prints a table: the time per phase (the median, and the range), the peak
memory, and whether the goal of issue 5 (the whole report under 5 seconds) is
met. A script, not a timed test: shared machines are too noisy to fail a build on.

``--keep DIR`` keeps the generated SQLite file in DIR (and the PostgreSQL
database); ``--url URL`` measures a database generated before (no generation).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
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

from sqlalchemy import JSON, MetaData, create_engine, inspect, text  # noqa: E402

from bot.app import build_router  # noqa: E402
from bot.i18n import Catalog, Translator  # noqa: E402
from handlers.meetings import charts  # noqa: E402
from handlers.meetings.kpis import Period  # noqa: E402
from handlers.meetings.report import REPORT_TEXTS, ReportWriter, build_report  # noqa: E402
from handlers.polls import voter_key  # noqa: E402
from storage.db import Database, upgrade_schema  # noqa: E402

DEPARTMENTS = ["Sales", "HR", "Engineering", "Marketing", "Operations"]
END = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
START = END - timedelta(days=365)
GOAL_S = 5.0
PERIODS = (("meeting (14 days)", 14), ("whole year", 365))
# The other capabilities' tables the figures read, as they declare them.
SOURCES = build_router().report_sources


def rand_time(rng: random.Random, start: datetime = START, end: datetime = END) -> datetime:
    return start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))


class Loader:
    """Bulk inserts of generated rows: executemany of plain tuples on SQLite, COPY on PostgreSQL.

    (SQLAlchemy's insert of a list of dicts runs each value through its type processing and,
    on PostgreSQL, sends batched INSERTs: several times slower for a million rows.)
    """

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.seconds = 0.0

    def __call__(self, table: Any, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        started = time.perf_counter()
        cols: list[str] = list(dict.fromkeys(k for r in rows[:100] for k in r))
        names = ", ".join(cols)
        if self.pg:
            as_json = [isinstance(table.c[c].type, JSON) for c in cols]
            raw = self.conn.connection.driver_connection
            with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row([json.dumps(v) if j and v is not None else v
                                    for v, j in zip((r.get(c) for c in cols), as_json, strict=True)])
        else:
            procs = [table.c[c].type.bind_processor(self.conn.dialect) for c in cols]
            data = [tuple(p(r.get(c)) if p else r.get(c) for c, p in zip(cols, procs, strict=True)) for r in rows]
            marks = ", ".join("?" * len(cols))
            self.conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", data)
        self.seconds += time.perf_counter() - started
        return len(rows)


def _drop_indexes(conn: Any, tables: list[str]) -> list[str]:
    """Drop the indexes of these tables that no constraint needs; returns the statements that make them again."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class r ON r.oid = i.indrelid"
            " LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid"
            " WHERE r.relname = ANY(:tables) AND k.oid IS NULL AND r.relnamespace = 'public'::regnamespace"
        ), {"tables": tables}).all()
    else:
        rows = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
            "(SELECT value FROM json_each(:tables))"
        ), {"tables": json.dumps(tables)}).all()
    for name, _ in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in rows]


def generate(sync_url: str, members: int, seed: int = 5) -> tuple[dict[str, int], dict[str, float]]:
    """Fill the database; returns rows per table and seconds per step (making rows, loading, statistics)."""
    rng = random.Random(seed)
    engine = create_engine(sync_url)
    meta = MetaData()
    counts: dict[str, int] = {}
    started = time.perf_counter()
    with engine.begin() as conn:
        names = set(inspect(conn).get_table_names())
        meta.reflect(conn, only=[n for n in names if n != "alembic_version"])
        t = meta.tables
        insert = Loader(conn)
        # Indexes are built once after the load: kept during it, each row would update each of them.
        indexes = _drop_indexes(conn, sorted(n for n in names if n != "alembic_version"))

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
        counts["person"] = insert(t["person"], people)

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
        counts["programevent"] = insert(t["programevent"], events)
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
        counts["poll"] = insert(t["poll"], polls)
        counts["poll_outbox"] = insert(t["poll_outbox"], outbox)
        counts["poll_ballot"] = insert(t["poll_ballot"], ballots)
        counts["poll_voter"] = insert(t["poll_voter"], voters)

        feedback = []
        for _ in range(members // 3):
            p = rng.choice(people)
            anonymous = rng.random() < 0.4
            feedback.append({"kind": "topic" if rng.random() < 0.2 else "feedback",
                             "text": "Feedback text " + uuid.uuid4().hex, "department": p["department"],
                             "person_id": None if anonymous else p["id"], "anonymous": anonymous, "lang": "de",
                             "created_at": rand_time(rng)})
        counts["feedback"] = insert(t["feedback"], feedback)

        if {"content_item", "content_run", "content_delivery", "content_link"} <= names:
            try:
                with conn.begin_nested():
                    counts.update(_content(insert, t, rng, people))
            except Exception as exc:  # their schema moved on: the report says "not available yet" then
                print(f"  content tables not filled: {type(exc).__name__}: {str(exc)[:200]}")
        if {"ask_question", "ask_feedback", "kb_gap"} <= names:
            try:
                with conn.begin_nested():
                    counts.update(_ask(insert, t, rng, people))
            except Exception as exc:
                print(f"  answer-engine tables not filled: {type(exc).__name__}: {str(exc)[:200]}")
        built = time.perf_counter()
        for ddl in indexes:
            conn.exec_driver_sql(ddl)
        indexing = time.perf_counter() - built
        if conn.dialect.name == "postgresql":
            # The rows came with their ids: the sequences go on after them.
            for name, table in t.items():
                if "id" in table.c and table.c["id"].primary_key and counts.get(name):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"(SELECT max(id) FROM {name}))"))
    made = time.perf_counter() - started
    # Statistics for the planner; on PostgreSQL also the visibility map, so that index-only scans
    # can skip the table (autovacuum does both on a live database after a bulk load like this).
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()
    engine.dispose()
    steps = {"rows": made - insert.seconds - indexing, "load": insert.seconds, "index": indexing,
             "analyze": time.perf_counter() - started - made}
    return counts, steps


def _content(insert: Loader, t: Any, rng: random.Random, people: list[dict[str, Any]]) -> dict[str, int]:
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
    return {"content_item": insert(t["content_item"], items),
            "content_run": insert(t["content_run"], runs),
            "content_delivery": insert(t["content_delivery"], deliveries),
            "content_link": insert(t["content_link"], unique)}


def _ask(insert: Loader, t: Any, rng: random.Random, people: list[dict[str, Any]]) -> dict[str, int]:
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
    return {"ask_question": insert(t["ask_question"], questions),
            "ask_feedback": insert(t["ask_feedback"], feedback),
            "kb_gap": insert(t["kb_gap"], gaps)}


# -- measuring ------------------------------------------------------------------------


def rss_mib(field: str = "VmRSS") -> float:
    """This process's resident memory now (VmRSS) or at its peak so far (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the peak only


async def measure(url: str, period: Period, *, trace: bool = False) -> dict[str, Any]:
    """One report as ``ambassador report meeting`` makes it, timed per phase, in this fresh process.

    Memory: this process's peak RSS (VmHWM; the report's own share is the peak less the RSS
    before it began) and the chart processes' peak RSS. With ``trace``, instead of the times:
    the peak of Python's allocations over the whole report, cold as the timed one
    (tracemalloc; a run of its own, because tracing slows what it traces).
    """
    begun = time.time()
    if trace:
        tracemalloc.start()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    db = Database(url)
    t = Translator(_catalog(), "en")
    before = rss_mib()
    with tempfile.TemporaryDirectory() as tmp:
        # As ``ambassador report meeting`` and the meeting job make it: the writer first, so the
        # charts are drawn while the SQL runs.
        started = time.perf_counter()
        writer = ReportWriter(Path(tmp), t, timezone="Europe/Berlin")
        report = await build_report(db, period, now=END, writer=writer, sources=SOURCES)
        built = time.perf_counter()
        files = await asyncio.to_thread(writer.write, report)
        done = time.perf_counter()
        if trace:
            _, python_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            await db.dispose()
            return {"python_peak": python_peak / 2**20}
        drawn = dict(charts.last_run)
        peak = rss_mib("VmHWM")
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_main = me.ru_utime + me.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
        cpu_charts = kids.ru_utime + kids.ru_stime  # the drawing process and its forks, waited for
    await db.dispose()
    write = done - built
    return {
        "sql": built - started, "write": write, "files": write - drawn.get("wait_s", 0.0),
        "wait": drawn.get("wait_s", 0.0), "total": done - started,
        "rss_before": before, "rss_peak": peak,
        "chart_processes": drawn.get("processes", 0), "chart_rss": drawn.get("peak_rss_mib", []),
        "in_process": drawn.get("in_process", 0), "charts": len(files.charts), "csv": len(files.csv),
        "active": report.figure("active_members").value, "begun": begun,
        "cpu_main": cpu_main, "cpu_charts": cpu_charts,
    }


def measure_in_child(url: str, days: int, *, trace: bool = False) -> tuple[dict[str, Any], float]:
    """A fresh process per report, as the command line runs one; returns its result and its start-up time."""
    load = os.getloadavg()[0]
    started = time.time()
    out = subprocess.run([sys.executable, __file__, "--measure", url, "--days", str(days)]
                         + (["--trace"] if trace else []), capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"the report failed:\n{out.stderr[-3000:]}")
    result = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("{")))
    result["load"] = load
    # Starting Python and importing the bot and SQLAlchemy, before the report's clock starts.
    return result, result.get("begun", started) - started


def _catalog() -> Catalog:
    catalog = Catalog()
    catalog.add(REPORT_TEXTS)
    return catalog


def _versions(url: str) -> str:
    if url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    engine = create_engine(Database(url).sync_url)
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return f"PostgreSQL {str(version).split()[0]}"


def run(url: str, name: str, args: argparse.Namespace, generated: bool) -> list[dict[str, Any]]:
    print(f"{name} ({_versions(url)}):", flush=True)
    if generated:
        sync = Database(url).sync_url
        t0 = time.perf_counter()
        upgrade_schema(sync)
        migrated = time.perf_counter() - t0
        counts, steps = generate(sync, args.members)
        total = sum(counts.values())
        print(f"  generated {total:,} rows in {time.perf_counter() - t0:.1f} s (schema {migrated:.1f} s, "
              f"making rows {steps['rows']:.1f} s, loading {steps['load']:.1f} s, indexing {steps['index']:.1f} s, "
              f"{'VACUUM ANALYZE' if url.startswith('postgres') else 'ANALYZE'} {steps['analyze']:.1f} s): "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    rows = []
    for label, days in PERIODS:
        runs = []
        for _ in range(args.repeat):
            result, result["startup"] = measure_in_child(url, days)
            runs.append(result)
            print(f"  {label}: {result['total']:.2f} s (SQL {result['sql']:.2f}, files {result['write']:.2f}; "
                  f"CPU: report process {result['cpu_main']:.2f} s, chart processes {result['cpu_charts']:.2f} s; "
                  f"load average {result['load']:.1f})", flush=True)
        traced, _ = measure_in_child(url, days, trace=True)
        rows.append({"backend": name, "period": label, "runs": runs, "python_peak": traced["python_peak"]})
    return rows


def _med(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def print_table(rows: list[dict[str, Any]], repeat: int) -> bool:
    """The results: medians of the runs (and the range of the total); True when every report met the goal."""
    print()
    print(f"Meeting report, median of {repeat} run{'s' if repeat > 1 else ''}, each in a fresh process "
          f"(seconds; memory in MiB)")
    header = (f"{'backend':<11} {'period':<18} {'SQL':>5} {'CSV+HTML':>8} {'charts*':>7} {'total':>6} "
              f"{'(min-max)':>11}  {'RSS peak (report)':>17} {'chart procs':>13} {'Python':>6}  goal <5 s")
    print(header)
    print("-" * len(header))
    met = True
    for row in rows:
        runs = row["runs"]
        totals = [r["total"] for r in runs]
        ok = max(totals) < GOAL_S
        met &= ok
        chart_rss = max((max(r["chart_rss"]) for r in runs if r["chart_rss"]), default=0.0)
        procs = max(r["chart_processes"] for r in runs)
        rss = f"{_med(runs, 'rss_peak'):.0f} (+{_med(runs, 'rss_peak') - _med(runs, 'rss_before'):.0f})"
        print(f"{row['backend']:<11} {row['period']:<18} {_med(runs, 'sql'):5.2f} {_med(runs, 'files'):8.2f} "
              f"{_med(runs, 'wait'):7.2f} {statistics.median(totals):6.2f} "
              f"{min(totals):5.2f}-{max(totals):<5.2f}  {rss:>17} {f'{procs} x {chart_rss:.0f}':>13} "
              f"{row['python_peak']:6.1f}  {'met' if ok else 'NOT met'}")
    first = rows[0]["runs"][0] if rows else {}
    print(f"* charts: time the report waited for its charts after writing the CSV files and the page; they are "
          f"drawn meanwhile in {first.get('chart_processes', 0)} process(es) whose matplotlib import ran during "
          f"the SQL ({first.get('charts', 0)} charts in the 14-day report).")
    print("RSS peak: the report's process at its peak (its growth during the report); chart procs: their peak each;"
          " Python: tracemalloc's peak over a whole cold report in the report's process (a run of its own).")
    startup = statistics.median(r["startup"] for row in rows for r in row["runs"]) if rows else 0
    print(f"Not in the totals: starting Python and importing the bot, {startup:.1f} s per process (median).")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    loads = [r["load"] for row in rows for r in row["runs"]]
    if loads:
        print(f"Machine: {cores} cores, 1-minute load average {min(loads):.1f} to {max(loads):.1f} before the runs.")
    print(f"Goal (issue 5): the whole report under {GOAL_S:.0f} s on both databases: "
          f"{'MET' if met else 'NOT MET'} (every run).")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server where a scratch database may be created and dropped")
    parser.add_argument("--repeat", type=int, default=3, help="reports per period and database (median shown)")
    parser.add_argument("--keep", help="keep the generated databases (the SQLite file goes into this folder)")
    parser.add_argument("--url", action="append", default=[],
                        help="measure this database, generated before with --keep (no generation); repeatable")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=14, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        period = Period(END - timedelta(days=args.days), END)
        print(json.dumps(asyncio.run(measure(args.measure, period, trace=args.trace))))
        return 0
    print(f"Meeting report benchmark: {args.members:,} members, a year of data ending {END:%Y-%m-%d}; "
          f"goal under {GOAL_S:.0f} s. Load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())}.",
          flush=True)
    rows: list[dict[str, Any]] = []
    if args.url:
        for url in args.url:
            rows += run(url, "PostgreSQL" if url.startswith("postgres") else "SQLite", args, generated=False)
        return 0 if print_table(rows, args.repeat) else 1
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(args.keep) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"bench-{args.members}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            rows += run(f"sqlite:///{path}", "SQLite", args, generated=True)
            if args.keep:
                print(f"  kept: --url sqlite:///{path.resolve()}")
    if args.backend in ("postgres", "both"):
        import psycopg

        name = f"ambassador_bench_{uuid.uuid4().hex[:8]}"
        try:
            with psycopg.connect(args.pg, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except Exception as exc:
            print(f"PostgreSQL: skipped, {args.pg} not reachable ({type(exc).__name__})")
            return 0 if print_table(rows, args.repeat) else 1
        url = f"{args.pg.rsplit('/', 1)[0]}/{name}"
        try:
            rows += run(url, "PostgreSQL", args, generated=True)
        finally:
            if args.keep:
                print(f"  kept: --url {url}")
            else:
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if print_table(rows, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
