"""A small explicit router: handlers declare the commands, actions and intents they take."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.i18n import Catalog
from bot.messages import Incoming, Reply

if TYPE_CHECKING:
    from pathlib import Path

    from bot.capability import Capability, Mount, OutboxGauge, Shortcut
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
Job = Callable[["Core"], Awaitable[object]]
ForgetHook = Callable[["Context"], Awaitable[None]]
# Where the files shared by link live, from the settings (absolute; bot/files.py resolves symlinks).
FileRoot = Callable[["Settings"], "Path"]


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
        self.routes: list[Mount] = []
        # The one folder whose files get links (bot/files.py): the capability that writes them says where.
        self.file_root: FileRoot | None = None

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

    def command_named(self, name: str) -> Route | None:
        return next((r for r in self.commands if r.name == name), None)
