"""A small explicit router: handlers declare the commands, actions and intents they take."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.i18n import Catalog
from bot.messages import Button, Incoming, Reply

if TYPE_CHECKING:
    from pathlib import Path

    from bot.capability import Capability, DbGauge, Mount, OutboxGauge, ReportSource, Shortcut
    from bot.config import Settings
    from bot.core import Context, Core

HandlerResult = Reply | list[Reply] | None
Handler = Callable[["Context", Incoming], Awaitable[HandlerResult]]

# Roles, from least to most. Everyone who is not a guest is an employee;
# "member" means: joined the ambassador program.
EMPLOYEE, MEMBER, CORE, COMMUNICATOR, BACKUP, LEAD = "employee", "member", "core", "communicator", "backup", "lead"
ALL_ROLES = (EMPLOYEE, MEMBER, CORE, COMMUNICATOR, BACKUP, LEAD)


@dataclass
class Route:
    name: str
    handler: Handler
    words: dict[str, list[str]] = field(default_factory=dict)  # language -> command phrases
    roles: frozenset[str] | None = None  # None: anyone, guests included
    help_key: str | None = None
    usage_key: str | None = None
    hidden: bool = False
    # Answers about the asker themself: shown to the asker only when asked in a channel.
    personal: bool = False
    # Takes texts beyond MAX_TEXT (it keeps what it can and says so): a crisis report must never be
    # refused for its length, least of all one made from someone else's long message.
    long_text: bool = False

    def allowed(self, roles: Iterable[str]) -> bool:
        roles = set(roles)
        # The comms lead may do everything any role may do.
        return self.roles is None or LEAD in roles or bool(self.roles & roles)


@dataclass
class Match:
    route: Route
    args: str = ""
    language: str | None = None  # the language of the command word, if it tells


DataProvider = Callable[["Context"], Awaitable[list[tuple[str, str]]]]
# Consulted by the answer engine before it answers: a capability (crisis "hold
# posting") may make the answer stricter for a text, never looser. Returns None,
# or a note the asker reads with a "no".
AnswerGuard = Callable[["Core", str], Awaitable[str | None]]


@dataclass(frozen=True)
class SendPause:
    """A capability's reason to hold back what the bot sends on its own (nudges, thank-yous, deliveries).

    ``note``: why, in the words of whoever paused it (a posting hold's note); ``matches(text)``:
    whether a text is on the paused topic (the sender may mark those differently from the rest).
    """

    note: str
    matches: Callable[[str], bool]


# Consulted before the bot sends on its own: None lets the send go out, a SendPause holds it
# back. A guard that cannot tell raises (better no nudge than content in the middle of a crisis).
SendGuard = Callable[["Core"], Awaitable[SendPause | None]]
Job = Callable[["Core"], Awaitable[object]]


@dataclass(frozen=True)
class NudgeNote:
    """A line, and perhaps a button, a capability adds to someone's weekly nudge or welcome, in their language."""

    text: str
    button: Button | None = None


# What a capability adds to the welcome someone reads on joining (the course offers itself), in
# their language: a line, or a line with a button (a NudgeNote); None adds nothing.
JoinNote = Callable[["Context"], Awaitable[str | NudgeNote | None]]


# Given the people a weekly nudge is being planned for, as (person id, language), the notes to add
# for each. A provider records what it added itself (a reminder said once is not said again).
NudgeNotes = Callable[["Core", Sequence[tuple[int, str]]], Awaitable[dict[int, list[NudgeNote]]]]


@dataclass(frozen=True)
class PostCheck:
    """The answer engine as other capabilities use it on texts the bot itself offers (ask declares it).

    ``verdict(core, text, lang, context)``: "go", "check" or "no" for ``text`` in ``lang``, the
    answer guards applied; ``context`` as the engine knows it ("published": a text offered for
    sharing the company's own published item), which never clears what is found in the text.
    ``disclosures(core, lang)``: what the guidelines ask every shared post to carry.
    ``write(core, title, summary, lang, count)``: texts written by the language model where
    app.yaml enables it, [] otherwise; candidates only, each still checked with ``verdict``.
    """

    verdict: Callable[[Core, str, str, str | None], Awaitable[str]]
    disclosures: Callable[[Core, str], Awaitable[list[str]]]
    write: Callable[[Core, str, str, str, int], Awaitable[list[str]]]


ForgetHook = Callable[["Context"], Awaitable[None]]
# Where the files shared by link live, from the settings (absolute; bot/files.py resolves symlinks).
FileRoot = Callable[["Settings"], "Path"]

# A failing answer guard is counted with the answers it guards (the metrics count errors by component).
answer_log = logging.getLogger("ambassador.ask")
log = logging.getLogger("ambassador.router")


_WS = re.compile(r"\s+")


def normalize_command_text(text: str) -> str:
    t = text.strip()
    t = re.sub(r"^<@[A-Z0-9]+>\s*", "", t)  # a Slack mention in front
    t = t.lstrip("/!")
    return _WS.sub(" ", t).strip()


class Router:
    def __init__(self) -> None:
        self.catalog = Catalog()
        self.commands: list[Route] = []
        self.actions: dict[str, Route] = {}
        self.intents: list[tuple[Callable[[str], bool], Route]] = []
        self.fallback: Route | None = None
        # Capabilities add what they store about a person to "my data", and
        # delete or pseudonymise it on "forget me".
        self.data_providers: list[DataProvider] = []
        self.forget_hooks: list[ForgetHook] = []
        self.answer_guards: list[AnswerGuard] = []
        self.send_guards: list[SendGuard] = []
        self.join_notes: list[JoinNote] = []
        self.nudge_notes: list[NudgeNotes] = []
        # The answer engine for texts the bot offers (share texts); None without the ask capability.
        self.post_check: PostCheck | None = None
        # Lines for `help` that are no command of their own (a command's sub-commands): (usage key,
        # description key, the roles that see it).
        self.help_entries: list[tuple[str, str, frozenset[str]]] = []
        # Validators of the capabilities' app.yaml sections; `ambassador run`,
        # `chat` and `config check` run them all, so a bad section stops the start.
        self.config_checks: list[Callable[[Any], object]] = []
        self._phrases: list[tuple[str, str | None, Route]] = []  # (phrase, language, route), longest first
        # Periodic work of the capabilities: (seconds, name, job); the scheduler
        # runs each on one replica at a time.
        self.jobs: list[tuple[float, str, Job]] = []
        # What the capabilities declare beyond chat (bot/capability.py), for the adapters,
        # the web server and the metrics to read.
        self.capabilities: tuple[Capability, ...] = ()
        self.shortcuts: list[Shortcut] = []
        self.outboxes: list[OutboxGauge] = []
        self.gauges: list[DbGauge] = []
        # The tables the meeting report's figures read, by the name the figures use (bot/capability.py).
        self.report_sources: dict[str, ReportSource] = {}
        self.routes: list[Mount] = []
        # The one folder whose files get links (bot/files.py): the capability that writes them says where.
        self.file_root: FileRoot | None = None
        # The bot's public address where app.yaml sets it (content.public_url); PUBLIC_URL wins (bot/files.py).
        self.public_url: Callable[[Settings], str | None] | None = None

    def texts(self, entries: dict[str, Any]) -> None:
        self.catalog.add(entries)

    def command(
        self,
        name: str,
        *,
        en: Iterable[str],
        de: Iterable[str],
        roles: Iterable[str] | None = None,
        help_key: str | None = None,
        usage_key: str | None = None,
        hidden: bool = False,
        personal: bool = False,
        long_text: bool = False,
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            route = Route(
                name=name,
                handler=fn,
                words={"en": [w.lower() for w in en], "de": [w.lower() for w in de]},
                roles=frozenset(roles) if roles is not None else None,
                help_key=help_key,
                usage_key=usage_key,
                hidden=hidden,
                personal=personal,
                long_text=long_text,
            )
            if any(r.name == name for r in self.commands):
                raise ValueError(f"command {name!r} registered twice")
            self.commands.append(route)
            for lang, phrases in route.words.items():
                for phrase in phrases:
                    # A word both languages use ("status") tells nothing about the language.
                    both = all(phrase in ws for ws in route.words.values())
                    self._phrases.append((phrase, None if both else lang, route))
            self._phrases.sort(key=lambda p: -len(p[0]))
            return fn

        return deco

    def action(
        self, action_id: str, *, roles: Iterable[str] | None = None, personal: bool = False, long_text: bool = False
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            if action_id in self.actions:
                raise ValueError(f"action {action_id!r} registered twice")
            self.actions[action_id] = Route(
                name=action_id, handler=fn, roles=frozenset(roles) if roles is not None else None, personal=personal,
                long_text=long_text,
            )
            return fn

        return deco

    def intent(
        self, name: str, predicate: Callable[[str], bool], *, roles: Iterable[str] | None = None
    ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.intents.append(
                (predicate, Route(name=name, handler=fn, roles=frozenset(roles) if roles is not None else None))
            )
            return fn

        return deco

    def job(self, seconds: float, name: str) -> Callable[[Job], Job]:
        def deco(fn: Job) -> Job:
            if any(n == name for _, n, _ in self.jobs):
                raise ValueError(f"job {name!r} registered twice")
            self.jobs.append((seconds, name, fn))
            return fn

        return deco

    def set_fallback(self, fn: Handler) -> Handler:
        self.fallback = Route(name="fallback", handler=fn)
        return fn

    def match(self, incoming: Incoming) -> Match | None:
        if incoming.action_id:
            # A button's action id may carry a suffix after ':' (Slack wants
            # unique action ids within one message).
            base = incoming.action_id.split(":", 1)[0]
            route = self.actions.get(base)
            return Match(route) if route else None
        text = normalize_command_text(incoming.text)
        low = text.lower()
        for phrase, lang, route in self._phrases:
            if low == phrase or low.startswith(phrase + " "):
                return Match(route, args=text[len(phrase) :].strip(), language=lang)
        for predicate, route in self.intents:
            if predicate(text):
                return Match(route, args=text)
        if self.fallback:
            return Match(self.fallback, args=text)
        return None

    async def answer_notes(self, core: Core, text: str) -> tuple[list[str], bool]:
        """Every answer guard's note on a text (a "no" with these notes when there are any), and
        whether one of the guards failed (the answer may then be no looser than "check")."""
        notes: list[str] = []
        failed = False
        for guard in self.answer_guards:
            try:
                note = await guard(core, text)
            except Exception:
                answer_log.exception("answer guard failed", extra={"guard": getattr(guard, "__qualname__", str(guard))})
                failed = True
                continue
            if note and str(note).strip():
                notes.append(str(note).strip())
        return notes, failed

    async def send_pause(self, core: Core) -> SendPause | None:
        """Whether what the bot sends on its own must wait now, and why: None when every send guard lets
        it go out; else one pause with the notes of all guards that hold it back, matching a text on any
        of their topics. A guard that fails raises: the caller holds its sends back rather than guess."""
        pauses = [pause for guard in self.send_guards if (pause := await guard(core)) is not None]
        if not pauses:
            return None
        if len(pauses) == 1:
            return pauses[0]
        return SendPause(note="\n".join(p.note for p in pauses),
                         matches=lambda text: any(p.matches(text) for p in pauses))

    async def join_lines(self, ctx: Context) -> tuple[list[str], list[Button]]:
        """The capabilities' lines and buttons for a welcome on joining; one that fails is left out (and
        logged): the join itself has happened."""
        lines: list[str] = []
        buttons: list[Button] = []
        for note in self.join_notes:
            try:
                found = await note(ctx)
            except Exception:
                log.exception("join note failed", extra={"note": getattr(note, "__qualname__", str(note))})
                continue
            if isinstance(found, NudgeNote):
                if found.text.strip():
                    lines.append(found.text.strip())
                if found.button is not None:
                    buttons.append(found.button)
            elif found and found.strip():
                lines.append(found.strip())
        return lines, buttons

    async def notes_for_nudge(self, core: Core, people: Sequence[tuple[int, str]]) -> dict[int, list[NudgeNote]]:
        """The capabilities' notes for the people of a nudge being planned; a provider that fails adds
        nothing (and is logged): the nudge goes out without its note."""
        out: dict[int, list[NudgeNote]] = {}
        for provider in self.nudge_notes:
            try:
                notes = await provider(core, people)
            except Exception:
                log.exception("nudge note failed", extra={"note": getattr(provider, "__qualname__", str(provider))})
                continue
            for person_id, extra in notes.items():
                out.setdefault(person_id, []).extend(extra)
        return out

    def command_named(self, name: str) -> Route | None:
        return next((r for r in self.commands if r.name == name), None)
