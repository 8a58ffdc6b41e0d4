"""The terminal workspace: everyone of app.yaml chatting with the bot in one terminal, time that runs
and can be moved on, in a database of its own.

The bot is the one of Slack and Teams: the same core, handlers, stored data and scheduled jobs. The
terminal is a third platform (``shell``, chat.py beside it): each person of the workspace has a shell
account (user id = their address), and what the bot sends to them lands in their inbox.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, func, union_all
from sqlalchemy import select as core_select
from sqlmodel import SQLModel, select

from bot.config import AppConfig, ConfigError, Settings
from bot.logs import setup_logging
from bot.platforms.shell.chat import PLATFORM, Member, Shell, ShellSender, finish_background_work
from bot.scheduler import Scheduler
from storage.db import Database
from storage.models import Identity, utcnow

log = logging.getLogger("ambassador.workspace")

LOCK = "workspace-terminal"
LOCK_SECONDS = 30.0


class MovableClock:
    """The workspace's time: the real time plus how far ``wait`` moved it on (never back)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def move(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self.offset += delta

    def move_to(self, when: datetime) -> None:
        """On to ``when`` (no change when that is already past)."""
        self.offset += max(when - self(), timedelta(0))


# How ``wait`` moves the clock: to every moment something stored falls due (an escalation step, a poll's
# closing or reminder, a delivery held back for quiet hours), and at least every STEP for the work a
# schedule of app.yaml starts (the weekly nudge, the meeting report), so each happens at its time and in order.
STEP = timedelta(hours=1)
LONG_STEP = timedelta(hours=6)  # beyond LONG_WAIT: 8 weeks in hourly steps would take minutes
LONG_WAIT = timedelta(weeks=2)
MAX_STOPS = 2000  # a job that keeps planning work a moment ahead cannot hold "wait" for ever
_NOT_DUE_TIMES = {"lease"}  # a lease's end is nobody's due work


def _due_columns() -> list:
    # Every table registered: the core's (storage.models, imported above) and the capabilities'.
    cols = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _NOT_DUE_TIMES:
            continue
        cols.extend(c for c in table.columns if isinstance(c.type, DateTime))
    return cols


async def next_due(db: Database, after: datetime, until: datetime) -> datetime | None:
    """The earliest stored moment in (after, until]: when the next piece of stored work falls due."""
    cols = _due_columns()
    if not cols:
        return None
    parts = [core_select(func.min(c).label("t")).where(c > after, c <= until) for c in cols]
    found = []
    async with db.session() as s:
        for i in range(0, len(parts), 200):
            rows = (await s.execute(union_all(*parts[i:i + 200]))).all()
            found += [r[0] for r in rows if r[0] is not None]
    if not found:
        return None
    return min(t if t.tzinfo else t.replace(tzinfo=UTC) for t in found)


def database_url(settings: Settings, override: str | None = None) -> str:
    """The workspace's database: ``--db``, AMBASSADOR_WORKSPACE_DB, or workspace.database of app.yaml
    (a file name is taken beside app.yaml)."""
    value = override or os.environ.get("AMBASSADOR_WORKSPACE_DB") or settings.app.workspace.database
    if "://" in value:
        return value
    path = Path(value)
    if not path.is_absolute():
        path = settings.config_path.resolve().parent / path
    return f"sqlite:///{path}"


def log_path(settings: Settings, url: str) -> Path:
    """Where the workspace logs: beside its database file (the terminal shows no log line)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///")).with_suffix(".log")
    return settings.config_path.resolve().parent / "workspace.log"


def _beside_database(app: AppConfig, url: str) -> AppConfig:
    """The workspace's meeting reports go beside its database, not among the real bot's."""
    if not url.startswith("sqlite:///") or not app.meetings:
        return app
    folder = Path(url.removeprefix("sqlite:///")).parent / "workspace-reports"
    return app.model_copy(update={"meetings": {**app.meetings, "report_dir": str(folder)}})


def members(settings: Settings) -> list[Member]:
    """The people of the workspace: the roles of app.yaml, then its employees and guests."""
    app = settings.app
    emails: list[tuple[str, bool]] = []
    roles = app.roles
    for email in [roles.comms_lead, *roles.backup, *(c.email for c in roles.communicators), *roles.core_group,
                  *app.workspace.employees]:
        if email:
            emails.append((str(email).lower(), False))
    emails += [(str(g).lower(), True) for g in app.workspace.guests]
    seen: dict[str, bool] = {}
    for email, guest in emails:
        seen.setdefault(email, guest)
    firsts = [e.split("@")[0].split(".")[0] for e in seen]
    out = []
    for email, guest in seen.items():
        local = email.split("@")[0]
        first = local.split(".")[0]
        name = first if firsts.count(first) == 1 else local
        out.append(Member(email, name, local.replace(".", " ").title(), guest))
    return out


async def check_database(db: Database, url: str) -> None:
    """Refuse a database that holds Slack or Teams people: the workspace never writes to a real one."""
    async with db.session() as s:
        rows = (await s.exec(select(Identity.platform, func.count()).where(Identity.platform != PLATFORM)
                             .group_by(Identity.platform))).all()
    if rows:
        found = ", ".join(f"{n} {platform}" for platform, n in rows)
        raise ConfigError(
            f"the workspace database {url} holds Slack or Teams people ({found} accounts): the terminal workspace "
            "keeps a database of its own and does not touch a real one. Start it with another file "
            "(ambassador chat --db workspace.db) or remove workspace.database from app.yaml.")


async def take_lock(scheduler: Scheduler, url: str) -> None:
    if not await scheduler.claim(LOCK, LOCK_SECONDS / 0.9):
        raise ConfigError(
            f"another terminal is using this workspace ({url}) right now; two terminals on one workspace would "
            "each see only half of the messages. Close the other one first (if it was closed a moment ago, try "
            "again in half a minute), or start this one with a database of its own: ambassador chat --db other.db")


async def _hold_lock(scheduler: Scheduler) -> None:
    while True:
        await asyncio.sleep(LOCK_SECONDS / 3)
        with contextlib.suppress(Exception):
            await scheduler.claim(LOCK, LOCK_SECONDS / 0.9)


class Workspace:
    """The running workspace: the shell with its people, the movable clock, the jobs."""

    def __init__(self, core, settings: Settings, shell: Shell, clock: MovableClock, scheduler: Scheduler,
                 cli: Callable[[list[str]], int] | None = None) -> None:
        self.core = core
        self.settings = settings
        self.shell = shell
        self.clock = clock
        self.scheduler = scheduler
        self.cli = cli
        self._locks: dict[str, asyncio.Lock] = {}

    async def run_jobs(self) -> None:
        """Every scheduled job once, now: after ``wait`` what became due happens at once."""
        for entry in self.scheduler.jobs:
            if entry.name == LOCK:
                continue
            try:
                await entry.fn()
            except Exception:
                log.exception("scheduled job failed", extra={"job": entry.name})

    async def wait(self, delta: timedelta) -> None:
        """Move the clock on by ``delta``, running the due jobs at each moment on the way where
        something falls due: an escalation climbs every level, a poll reminds and then closes, in order."""
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        target = self.clock() + delta
        step = STEP if delta <= LONG_WAIT else LONG_STEP
        for stop in range(MAX_STOPS):
            now = self.clock()
            if now >= target:
                break
            tick = min(now + step, target)
            due = await next_due(self.core.db, now, tick)
            self.clock.move_to(target if stop == MAX_STOPS - 1 else (due or tick))
            await self.run_jobs()

    def local_now(self) -> str:
        tz = ZoneInfo(self.settings.app.timezone)
        return self.clock().astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")

    async def command_line(self, words: list[str]) -> None:
        """``ambassador …`` (or ``nudge run --now``) typed in the workspace: the command line on its
        database, then the jobs, so what it planned is sent at once."""
        if self.cli is None:
            return
        await asyncio.to_thread(self.cli, words)
        await self.run_jobs()


def _guarded(lock: asyncio.Lock, fn: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
    async def run() -> object:
        async with lock:  # the periodic run and the one after "wait" never overlap
            return await fn()
    return run


async def open_workspace(core, settings: Settings, *, email: str | None, lang: str | None,
                         url: str, cli: Callable[[list[str]], int] | None = None) -> Workspace:
    """Check and lock the database, register the shell platform, start the clock and the jobs."""
    await check_database(core.db, url)
    scheduler = Scheduler(core.db)
    await take_lock(scheduler, url)
    clock = MovableClock()
    core.clock = clock
    people = members(settings)
    first = email or (people[0].email if people else "you@example.com")
    shell = Shell(core, first, lang=lang, people=people)
    core.register_sender(PLATFORM, ShellSender(shell))
    await shell.greet_everyone()
    ws = Workspace(core, settings, shell, clock, scheduler, cli)
    shell._wait = ws.wait
    shell._now = ws.local_now
    shell.commands = ws.command_line
    for seconds, name, job in core.router.jobs:
        lock = ws._locks.setdefault(name, asyncio.Lock())
        scheduler.every(seconds, name, _guarded(lock, functools.partial(job, core)))
    scheduler.every(3600, "purge", core.purge)
    return ws


def run_cli_in_workspace(args: argparse.Namespace, url: str, ws: Workspace,
                         build_parser: Callable[..., argparse.ArgumentParser]) -> Callable[[list[str]], int]:
    """The ``ambassador`` command line (``build_parser``: bot/cli.py's), run in this process on the
    workspace's database, its clock and its inboxes: ``nudge run --now`` sends to the people here."""
    def attach(core) -> None:
        core.clock = ws.clock
        core.register_sender(PLATFORM, ShellSender(ws.shell))

    def run(words: list[str]) -> int:
        parser = build_parser(args.capabilities)
        try:
            parsed = parser.parse_args(["--config", str(args.config), *words] if args.config else words)
        except SystemExit as exc:
            return int(exc.code or 0)
        parsed.workspace_attach = attach
        if parsed.func.__name__ in ("cmd_run", "cmd_chat", "cmd_demo"):
            print("That starts the bot; you are in it already.")
            return 2
        try:
            return parsed.func(parsed)
        except ConfigError as exc:
            print(f"ambassador: {exc}")
            return 2
    os.environ["DATABASE_URL"] = url  # the commands read their settings again: the workspace's database
    return run


async def run(args: argparse.Namespace, settings: Settings, build_core,
              build_parser: Callable[..., argparse.ArgumentParser]) -> None:
    url = database_url(settings, getattr(args, "db", None))
    setup_logging("INFO", json_lines=True, path=log_path(settings, url))
    settings = dataclasses.replace(settings, database_url=url, app=_beside_database(settings.app, url))
    core = build_core(args, settings)
    ws: Workspace | None = None
    holder: asyncio.Task | None = None
    try:
        await core.db.upgrade()
        await core.db.check_key(settings.key.fingerprint())
        ws = await open_workspace(core, settings, email=getattr(args, "as_email", None), lang=args.lang_resolved,
                                  url=url)
        ws.cli = run_cli_in_workspace(args, url, ws, build_parser)
        holder = asyncio.create_task(_hold_lock(ws.scheduler))
        await ws.run_jobs()  # whatever fell due while the workspace was closed
        ws.scheduler.start()
        await ws.shell.run()
    finally:
        if holder is not None:
            holder.cancel()
        if ws is not None:
            await ws.scheduler.stop()
        await finish_background_work()
        await core.db.dispose()
