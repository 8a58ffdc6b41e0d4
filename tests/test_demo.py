"""``ambassador demo``: a demo database of its own with four weeks of activity, the meeting report full of
figures at once, and any other database refused untouched."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

from bot.app import build_router
from bot.config import load_settings
from handlers.meetings import default_period
from handlers.meetings.kpis import Period
from handlers.meetings.report import build_report
from storage.db import Database
from tests.conftest import SAMPLE_CONFIG, TEST_SECRET


def _demo(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "TEAMS_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'ambassador.db'}"  # the real bot's: the demo must not touch it
    env["AMBASSADOR_WORKSPACE_DB"] = str(tmp_path / "workspace.db")
    env["AMBASSADOR_SECRET"] = TEST_SECRET
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(SAMPLE_CONFIG), "demo", "--lang", "en", *args],
                          input="", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


async def test_demo_makes_its_own_database_and_the_report_shows_figures(tmp_path):
    out = _demo(tmp_path, "--db", str(tmp_path / "demo.db"))
    assert out.returncode == 0, out.stderr
    assert "Made the demo workspace" in out.stderr
    assert (tmp_path / "demo.db").exists()
    assert not (tmp_path / "workspace.db").exists() and not (tmp_path / "ambassador.db").exists()

    settings = load_settings(SAMPLE_CONFIG)
    sources = build_router().report_sources  # the tables the capabilities declare for the report
    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        now = datetime.now(UTC)
        period = default_period(settings, now)  # what "meeting report" in the chat shows
        report = await build_report(db, Period(period.start, now), now=now, sources=sources)
        for key in ("members", "active_members", "shares", "clicks", "questions", "polls_closed", "feedback",
                    "crisis_reports"):
            assert (report.figure(key).value or 0) > 0, key
        wide = await build_report(db, Period(now.replace(year=now.year - 1), now), now=now, sources=sources)
        assert wide.figure("items_sent").value >= 10 and wide.figure("joins").value >= 9
    finally:
        await db.dispose()

    again = _demo(tmp_path, "--db", str(tmp_path / "demo.db"))  # a demo database opens as it is
    assert again.returncode == 0, again.stderr
    assert "as it is" in again.stderr


def test_demo_refuses_a_database_that_is_not_its_own(tmp_path):
    real = tmp_path / "real.db"
    conn = sqlite3.connect(real)
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT)")
    conn.execute("INSERT INTO person (email) VALUES ('someone@example.com')")
    conn.commit()
    conn.close()
    before = real.read_bytes()

    for args in (["--db", str(real)], ["--db", str(real), "--fresh"]):
        out = _demo(tmp_path, *args)
        assert out.returncode == 2
        assert str(real) in out.stderr and "no demo database" in out.stderr and "Nothing was changed" in out.stderr
        assert real.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.db"]
