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
    # Its outboxes for /metrics.
    outboxes: tuple[OutboxGauge, ...] = ()
    # Its subcommands of the ``ambassador`` command line.
    cli: tuple[CliRegister, ...] = ()
    # Its HTTP routes on the bot's server: each gets the app and the core.
    routes: tuple[Mount, ...] = ()
    # The folder of the files it shares by link (bot/files.py serves nothing outside it); one capability at most.
    file_root: FileRoot | None = None


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
        router.routes.extend(cap.routes)
        if cap.post_check is not None:
            if router.post_check is not None:
                raise ValueError(f"a second answer engine for offered texts, declared by {cap.name!r}")
            router.post_check = cap.post_check
        if cap.file_root is not None:
            if router.file_root is not None:
                raise ValueError(f"a second folder of linked files, declared by {cap.name!r}")
            router.file_root = cap.file_root
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
