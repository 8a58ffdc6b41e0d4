"""The demo workspace: ``ambassador demo`` (or ``./dev run --demo``) fills a database of its own with four
weeks of plausible program life, then opens the terminal workspace on it, so the meeting report shows real
figures at once.

Each capability declares what it adds (``Capability.demo``, in its own demo.py) and writes it with its own
functions (content runs planned and sent by the nudge, clicks counted by the share-link redirect, answers
recorded by the answer engine, ballots cast and sealed by the polls, the crisis report stored by the crisis
capability); this module only keeps the timeline (``Demo``), on a clock moved through the four weeks, so
every row carries the time it would have had. It is seeded: the same day gives the same demo.

The demo database carries a mark (table ``demo_database``). A file without it is never opened, changed or
removed by this command: it may be a real database.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import heapq
import random
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from bot.config import ConfigError, Settings
from bot.platforms.shell import workspace
from bot.platforms.shell.chat import PLATFORM, Shell, finish_background_work
from bot.sender import Sender
from storage.db import Database
from storage.models import Person, utcnow

MARK_TABLE = "demo_database"
DAYS = 28
SEED = 13

TEXTS = {
    "demo.made": {
        "en": "Made the demo workspace {path}: four weeks of program life ({people} members, {shares} shares, "
              "{questions} questions, {polls} closed polls, {feedback} feedback, 1 crisis report). "
              "Try “meeting report” as lea. Your other databases are untouched.",
        "de": "Demo-Arbeitsbereich {path} angelegt: vier Wochen Programmleben ({people} Mitglieder, {shares} geteilte "
              "Beiträge, {questions} Fragen, {polls} beendete Umfragen, {feedback} Rückmeldungen, 1 Krisenmeldung). "
              "Probier „treffen bericht“ als lea. Deine anderen Datenbanken bleiben unberührt.",
    },
    "demo.reopened": {
        "en": "Opening the demo workspace {path} as it is (“ambassador demo --fresh” makes it anew).",
        "de": "Der Demo-Arbeitsbereich {path} wird geöffnet, wie er ist („ambassador demo --fresh“ legt ihn neu an).",
    },
    "demo.not_demo": {
        "en": "{path} exists and is no demo database made by “ambassador demo”: it may hold real data, so the demo "
              "does not open, change or remove it. Nothing was changed. Give the demo another file: "
              "ambassador demo --db demo2.db",
        "de": "{path} gibt es schon, und es ist keine Demo-Datenbank von „ambassador demo“: sie kann echte Daten "
              "enthalten, deshalb öffnet, ändert oder löscht die Demo sie nicht. Nichts wurde geändert. Gib der "
              "Demo eine andere Datei: ambassador demo --db demo2.db",
    },
    "demo.credentials": {
        "en": "--demo opens the terminal workspace, which runs without Slack or Teams credentials; they are set "
              "here, so nothing was started. Use “ambassador demo” in a shell without them.",
        "de": "--demo öffnet den Terminal-Arbeitsbereich, der ohne Slack- oder Teams-Zugangsdaten läuft; hier sind "
              "welche gesetzt, deshalb wurde nichts gestartet. Nutze „ambassador demo“ in einer Shell ohne sie.",
    },
}


def text_for(key: str, lang: str | None, **values: Any) -> str:
    entry = TEXTS[key]
    return entry["de" if lang == "de" else "en"].format(**values)


# -- the file and its mark ----------------------------------------------------------------------


def demo_path(settings: Settings, override: str | None = None) -> Path:
    """``--db`` (relative to the working directory), else demo.db beside app.yaml."""
    if override:
        return Path(override).expanduser().resolve()
    return settings.config_path.resolve().parent / "demo.db"


def mark_state(path: Path) -> str | None:
    """'ready' or 'seeding' for a demo database; None for any other file. Reads only, never writes."""
    if path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(f"SELECT state FROM {MARK_TABLE} WHERE id = 1").fetchone()  # noqa: S608
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row and row[0] in ("ready", "seeding") else None


def _remove(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        p.unlink(missing_ok=True)


async def _mark(db: Database, state: str) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text(f"CREATE TABLE IF NOT EXISTS {MARK_TABLE} (id INTEGER PRIMARY KEY, state TEXT NOT NULL, "
                                "made_at TEXT NOT NULL)"))
        await conn.execute(text(f"INSERT INTO {MARK_TABLE} (id, state, made_at) VALUES (1, :s, :at) "
                                "ON CONFLICT (id) DO UPDATE SET state = excluded.state"),
                           {"s": state, "at": utcnow().isoformat()})


# -- the four weeks ---------------------------------------------------------------------------------


class _Silent(Sender):
    """The sender while the past is written: what the bot sent then was read long ago."""

    async def send_to_person(self, user_id: str, replies: list[Any]) -> None:
        return None

    async def send_to_conversation(self, conversation_id: str, replies: list[Any], user_id: str | None) -> None:
        return None


class Demo:
    """The demo's timeline: each capability puts its steps on it (``Capability.demo``), which then run in
    time order on a clock moved through the weeks, with the capabilities' own functions.

    What a capability's steps may read: ``core``, ``settings``, ``now`` (the end), ``start`` (``days`` = four weeks
    before), ``rng`` (seeded: the same day gives the same demo), ``people`` (e-mail -> the workspace's
    people), ``platform`` (the terminal's), ``window`` (the period the meeting report shows now, set by
    the meetings' ``prepare``) and ``count`` (what the closing line reports).
    """

    def __init__(self, core: Any, settings: Settings, now: datetime) -> None:
        self.core = core
        self.settings = settings
        self.now = now
        self.days = DAYS
        self.start = now - timedelta(days=DAYS)
        self.rng = random.Random(f"{SEED}:{now.date().isoformat()}")
        self.steps: list[tuple[datetime, int, Callable[[], Awaitable[None]]]] = []  # a heap: steps add steps
        self.order = 0
        self.people: dict[str, Person] = {}
        self.platform = PLATFORM
        self.window: tuple[datetime, datetime] = (now - timedelta(days=14), now)
        self.count = {"shares": 0, "questions": 0, "polls": 0, "feedback": 0}

    def at(self, when: datetime, fn: Callable[[], Awaitable[None]]) -> None:
        when = min(when, self.now - timedelta(seconds=1))
        self.order += 1
        heapq.heappush(self.steps, (when, self.order, fn))

    def day(self, d: float) -> datetime:
        """Day d of the four weeks, at a plausible working hour."""
        base = self.start + timedelta(days=int(d))
        hour = self.rng.uniform(8.5, 17.5)
        return base.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=hour - 1)

    def recent(self, f: float) -> datetime:
        """Within the period the meeting report shows now (since the last meeting): f from 0 to 1."""
        start, end = self.window
        return start + (end - start) * f

    def person(self, first: str) -> Person:
        return next(p for email, p in self.people.items() if email.split("@")[0].split(".")[0] == first)

    def members(self, *, but: str | None = None) -> list[Person]:
        """The workspace's people who are no guests (``but``: without the one of that first name)."""
        return [p for p in self.people.values()
                if not p.is_guest and (but is None or (p.email or "").split(".")[0] != but)]

    async def run(self) -> None:
        core = self.core
        core.clock = lambda: self.now
        core.register_sender(PLATFORM, _Silent())
        shell = Shell(core, workspace.members(self.settings)[0].email, people=workspace.members(self.settings))
        await shell.greet_everyone()  # every person of the workspace, with a shell account, as the workspace does
        async with core.db.session() as s:
            for member in workspace.members(self.settings):
                person = (await s.exec(select(Person).where(Person.email == member.email))).one()
                person.created_at = self.start - timedelta(days=1)
                s.add(person)
                self.people[member.email] = person
            await s.commit()
            for p in self.people.values():
                await s.refresh(p)
        seeds = [cap.demo for cap in core.router.capabilities if cap.demo is not None]
        for seed in seeds:
            if seed.prepare is not None:
                seed.prepare(self)
        for seed in seeds:
            if seed.plan is not None:
                seed.plan(self)
        while self.steps:
            when, _, fn = heapq.heappop(self.steps)
            core.clock = lambda when=when: when
            await fn()
        core.clock = utcnow


async def seed(core: Any, settings: Settings, *, now: datetime | None = None) -> dict[str, int]:
    demo = Demo(core, settings, now or utcnow())
    await demo.run()
    return {"people": len(demo.members()), **demo.count}


async def make(args: argparse.Namespace, settings: Settings, build_core: Callable[..., Any], path: Path,
               lang: str | None) -> None:
    url = f"sqlite:///{path}"
    settings = dataclasses.replace(settings, database_url=url)
    core = build_core(argparse.Namespace(**{**vars(args), "workspace_attach": None}), settings)
    try:
        await core.db.upgrade()
        await core.db.check_key(settings.key.fingerprint())
        await _mark(core.db, "seeding")
        counts = await seed(core, settings)
        await _mark(core.db, "ready")
    finally:
        await finish_background_work()
        await core.db.dispose()
    print(text_for("demo.made", lang, path=path, **counts), file=sys.stderr)


def prepare(args: argparse.Namespace, settings: Settings, build_core: Callable[..., Any], lang: str | None) -> Path:
    """The demo database ready to open: made when missing (or --fresh, or left half made); a file that is
    not one is refused untouched."""
    path = demo_path(settings, getattr(args, "db", None))
    state = mark_state(path) if path.exists() else "missing"
    if state is None:
        raise ConfigError(text_for("demo.not_demo", lang, path=path))
    if state == "ready" and not getattr(args, "fresh", False):
        print(text_for("demo.reopened", lang, path=path), file=sys.stderr)
        return path
    if state != "missing":
        _remove(path)  # our own demo database: --fresh, or a making that stopped half way
    path.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(make(args, settings, build_core, path, lang))
    return path
