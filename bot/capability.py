"""What a capability declares about itself, in one place, and the router built from those declarations.

Each capability (a module of ``handlers/`` today, a package later) exposes one
``CAPABILITY = Capability(...)``; ``handlers/__init__.py`` lists them, and the
composition root (``bot/app.py``) hands the list to the framework. Nothing in
``bot/`` apart from that root imports a capability: the adapters, the CLI, the
web server and the metrics read what the declarations give them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, table
from sqlalchemy.sql import ColumnElement, TableClause

from bot import files
from bot.core_texts import CORE_TEXTS
from bot.router import (
    AnswerGuard,
    DataProvider,
    FileRoot,
    ForgetHook,
    Job,
    JoinNote,
    NudgeNotes,
    PostCheck,
    Router,
    SendGuard,
)

if TYPE_CHECKING:
    from aiohttp import web

    from bot.config import Settings
    from bot.core import Core


@dataclass(frozen=True)
class Shortcut:
    """A platform's message shortcut ("Check before posting" on a message) and the action it starts."""

    action_id: str
    slack: str | None = None  # the message shortcut's callback id (manifests/slack.yaml)
    teams: str | None = None  # the message extension's command id (the Teams app manifest)
    # Slack gives a shortcut the message's text; these add its link and its files (a crisis report needs both).
    link: bool = False
    files: bool = False


@dataclass(frozen=True)
class ScheduledJob:
    """Periodic work: the scheduler runs it every ``seconds`` on one replica at a time."""

    seconds: float
    name: str
    run: Job


@dataclass(frozen=True)
class OutboxGauge:
    """An outbox of the capability, counted at scrape time as ``ambassador_outbox_depth{outbox=name}``.

    ``query(now)`` is a statement giving (status, count) rows; ``counts`` turns them into
    status -> count (by default: the rows as they are, ``statuses`` always reported, with 0).
    A missing table (not migrated yet) leaves the series out; it never fails the scrape.
    """

    name: str
    query: Callable[[datetime], Any]
    statuses: tuple[str, ...] = ()
    counts: Callable[[list[tuple[Any, ...]]], dict[str, int]] | None = None

    def count(self, rows: list[tuple[Any, ...]]) -> dict[str, int]:
        if self.counts is not None:
            return self.counts(rows)
        out = dict.fromkeys(self.statuses, 0)
        for status, n in rows:
            out[str(status)] = int(n)
        return out


@dataclass(frozen=True)
class DbGauge:
    """A gauge of the capability read from the database at scrape time (``/metrics``), one label.

    ``query(now)`` is a statement giving (label value, count) rows; the values in ``always`` are
    reported with 0 when no row names them. A missing table leaves the series out.
    """

    name: str  # the metric's name, ambassador_...
    help: str
    label: str
    query: Callable[[datetime], Any]
    always: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSource:
    """A table of the capability that the meeting report's figures read, by the name the figures use.

    ``columns``: the figure's name for a column -> the column's name in the table. A figure
    that needs the source is computed once a table of this name with these columns exists;
    until then it is "not available yet". The capability that renames a column follows it here.
    """

    name: str
    table: str
    columns: Mapping[str, str]

    def clause(self) -> TableClause:
        return table(self.table, *(column(c) for c in self.columns.values()))

    def c(self, tc: TableClause, name: str) -> ColumnElement[Any]:
        return tc.c[self.columns[name]]


@dataclass(frozen=True)
class DemoSeed:
    """What the capability adds to the demo workspace (``ambassador demo``, bot/demo.py).

    ``plan(demo)`` puts its steps on the demo's timeline (``demo.at(when, step)``); the steps run
    in time order on a clock moved through the weeks, with the capability's own functions.
    ``prepare(demo)`` runs before any capability plans: it sets what the others read
    (the meeting report's period, ``demo.window``).
    """

    plan: Callable[[Any], None] | None = None
    prepare: Callable[[Any], None] | None = None


ConfigCheck = Callable[["Settings"], object]
Mount = Callable[["web.Application", "Core"], None]
CliRegister = Callable[[Any], None]  # gets argparse's subparsers of the ``ambassador`` command


@dataclass(frozen=True)
class Capability:
    """Everything one capability offers the framework.

    ``register(router)`` adds the chat side: commands with their English and German
    words, button actions, intents, the fallback. The rest is data the framework reads.
    """

    name: str
    register: Callable[[Router], None] | None = None
    # Its texts (key -> {"en": ..., "de": ...}); added to the catalog before ``register`` runs.
    texts: tuple[Mapping[str, Any], ...] = ()
    # Its sections of app.yaml, and the validators `ambassador run`, `chat` and `config check` run on start.
    config: tuple[str, ...] = ()
    config_checks: tuple[ConfigCheck, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    jobs: tuple[ScheduledJob, ...] = ()
    # Consulted by the answer engine before it answers; may only make an answer stricter.
    answer_guards: tuple[AnswerGuard, ...] = ()
    # Consulted before the bot sends on its own (nudges, thank-yous, deliveries): may hold them back.
    send_guards: tuple[SendGuard, ...] = ()
    # Lines it adds to the welcome on joining, and to the weekly nudge (the course offers itself).
    join_notes: tuple[JoinNote, ...] = ()
    nudge_notes: tuple[NudgeNotes, ...] = ()
    # The answer engine offered to the others (the share texts of content are checked with it); one at most.
    post_check: PostCheck | None = None
    # "my data": what it stores about a person; "forget me": deletes or pseudonymises it.
    data_providers: tuple[DataProvider, ...] = ()
    forget_hooks: tuple[ForgetHook, ...] = ()
    # Its outboxes for /metrics, and its other gauges read from the database at scrape time.
    outboxes: tuple[OutboxGauge, ...] = ()
    gauges: tuple[DbGauge, ...] = ()
    # Its tables that the meeting report's figures read (the capability's figures.py).
    report_sources: tuple[ReportSource, ...] = ()
    # Its subcommands of the ``ambassador`` command line.
    cli: tuple[CliRegister, ...] = ()
    # Its HTTP routes on the bot's server: each gets the app and the core.
    routes: tuple[Mount, ...] = ()
    # The folder of the files it shares by link (bot/files.py serves nothing outside it); one capability at most.
    file_root: FileRoot | None = None
    # Where its app.yaml section sets the bot's public address (links point there); one capability at most.
    public_url: Callable[[Settings], str | None] | None = None
    # What it writes into the demo workspace (bot/demo.py), in its own package's demo.py.
    demo: DemoSeed | None = None
    # What it keeps per core (caches, group commits, pace): ``state(core)`` makes it on first use of
    # ``core.state(name)``, and the core keeps it; no module-level map keyed by the core.
    state: Callable[[Core], Any] | None = None


def build_router(capabilities: Iterable[Capability]) -> Router:
    """A router with the framework's texts and everything the capabilities declare, in their
    order (help, "my data" and "forget me" follow it)."""
    caps = tuple(capabilities)
    names = [c.name for c in caps]
    if len(set(names)) != len(names):
        raise ValueError(f"a capability is listed twice: {names}")
    router = Router()
    router.texts(CORE_TEXTS)
    router.texts(files.TEXTS)  # the file-link card, sent by the core for any capability
    sections: dict[str, str] = {}  # app.yaml section -> the capability that declares it
    for cap in caps:
        for entries in cap.texts:
            router.texts(entries)
        router.config_checks.extend(cap.config_checks)
        if cap.register is not None:
            cap.register(router)
        for job in cap.jobs:
            router.job(job.seconds, job.name)(job.run)
        router.answer_guards.extend(cap.answer_guards)
        router.send_guards.extend(cap.send_guards)
        router.join_notes.extend(cap.join_notes)
        router.nudge_notes.extend(cap.nudge_notes)
        router.data_providers.extend(cap.data_providers)
        router.forget_hooks.extend(cap.forget_hooks)
        for section in cap.config:
            if section in sections:
                raise ValueError(f"app.yaml section {section!r} declared by {sections[section]!r} and {cap.name!r}")
            sections[section] = cap.name
        router.shortcuts.extend(cap.shortcuts)
        router.outboxes.extend(cap.outboxes)
        router.gauges.extend(cap.gauges)
        for source in cap.report_sources:
            if source.name in router.report_sources:
                raise ValueError(f"report source {source.name!r} declared twice (again by {cap.name!r})")
            router.report_sources[source.name] = source
        router.routes.extend(cap.routes)
        if cap.post_check is not None:
            if router.post_check is not None:
                raise ValueError(f"a second answer engine for offered texts, declared by {cap.name!r}")
            router.post_check = cap.post_check
        if cap.file_root is not None:
            if router.file_root is not None:
                raise ValueError(f"a second folder of linked files, declared by {cap.name!r}")
            router.file_root = cap.file_root
        if cap.public_url is not None:
            if router.public_url is not None:
                raise ValueError(f"a second public address, declared by {cap.name!r}")
            router.public_url = cap.public_url
    _check_shortcuts(caps, router)
    router.capabilities = caps
    return router


def _check_shortcuts(caps: tuple[Capability, ...], router: Router) -> None:
    seen: dict[tuple[str, str], str] = {}
    for cap in caps:
        for s in cap.shortcuts:
            if s.action_id not in router.actions:
                raise ValueError(f"shortcut of {cap.name!r} starts {s.action_id!r}, which no capability registers")
            for platform, cid in (("slack", s.slack), ("teams", s.teams)):
                if cid is None:
                    continue
                if (platform, cid) in seen:
                    raise ValueError(f"{platform} shortcut {cid!r} declared twice")
                seen[(platform, cid)] = s.action_id
