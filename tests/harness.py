"""One chat harness for every capability's tests: say, press, move time, what did X receive.

In the spirit of errbot's ``testbot.exec_command``: a conversation is a few lines
against the real core (``bot.app.build_core``), with no platform in between::

    h = Harness(core)
    await h.member(ERIK)
    [sent] = await h.say(LEA, 'poll "Lunch?" Yes | No --closes 1d')
    assert "Poll #1" in sent.text
    h.clock.move(days=1, minutes=1)
    await h.run_job("polls")
    assert "has closed" in h.received(LEA)[-1].text

Messages the bot starts itself (nudges, alerts, poll rounds) go to a recording
sender registered for the platform: ``received(who)`` reads them. The roles come
from the sample app.yaml by e-mail address (LEA is the comms lead, CLARA the Sales
communicator, BEN the backup, ...). The SDK-level fakes (a Slack Web API, a Bot
Framework connector) are in ``tests/fakes/``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import EllipsisType
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.core import Core
from bot.messages import Button, Incoming, Profile, Reply
from bot.sender import Sender
from storage.models import Identity, Person
from tests.clock import Clock
from tests.conftest import COMMUNICATOR_EMAIL, EMPLOYEE_EMAIL, LEAD_EMAIL

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Berlin


@dataclass(frozen=True)
class Who:
    """Someone on the platform: their user id, and what the platform's profile says of them."""

    user: str
    email: str
    name: str
    guest: bool | None = None  # None: the platform did not say (as most adapters' profiles)

    @property
    def dm(self) -> str:
        """Their direct conversation with the bot."""
        return "D" + self.user[1:]


# The people of the sample app.yaml.
LEA = Who("U0LEA", LEAD_EMAIL, "Lea Lead")  # comms lead
CLARA = Who("U0CLARA", COMMUNICATOR_EMAIL, "Clara Sales")  # communicator for Sales
ERIK = Who("U0ERIK", EMPLOYEE_EMAIL, "Erik Employee")  # an employee, in the core group
BEN = Who("U0BEN", "ben.backup@example.com", "Ben Backup")  # the lead's backup
EMMA = Who("U0EMMA", "emma.core@example.com", "Emma Core")  # core group
FELIX = Who("U0FELIX", "felix.core@example.com", "Felix Core")  # core group
GUSTAV = Who("U0GUSTAV", "gustav@partner.example", "Gustav Gast", guest=True)  # a guest account


@dataclass(frozen=True)
class Sent:
    """One reply the bot sent on its own: to a user id or a channel id; in a channel, for whom (None: everyone)."""

    to: str
    reply: Reply
    user: str | None = None


@dataclass
class Recorder(Sender):
    """The platform for messages the bot starts (a ``Sender``): records them, fails on demand.

    ``fail_for``: accounts that are gone (every send raises ``RuntimeError(error)``); ``fail_next``: the next
    sends to someone raise the given errors, one each; ``gate``: sending waits until it is set (a platform
    that hangs), ``entered`` tells that a send began; ``directory``: the addresses the platform can look up.
    """

    to_person: dict[str, list[Reply]] = field(default_factory=lambda: defaultdict(list))
    to_channel: dict[str, list[Reply]] = field(default_factory=lambda: defaultdict(list))
    log: list[Sent] = field(default_factory=list)  # everything, in the order sent
    fail_for: set[str] = field(default_factory=set)  # user ids whose account is gone
    error: str = "user_not_found"  # what the platform says for them
    failures: dict[str, list[BaseException]] = field(default_factory=dict)
    gate: asyncio.Event | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    directory: dict[str, str] = field(default_factory=dict)  # e-mail address -> user id

    def fail_next(self, to: Who | str, *errors: BaseException) -> None:
        """The next ``len(errors)`` sends to ``to`` raise these, in turn; then sending works again."""
        self.failures.setdefault(to.user if isinstance(to, Who) else to, []).extend(errors)

    async def _check(self, to: str) -> None:
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        if to in self.fail_for:
            raise RuntimeError(self.error)
        if self.failures.get(to):
            raise self.failures[to].pop(0)

    async def send_to_person(self, user_id: str, replies: list[Reply]) -> None:
        await self._check(user_id)
        self.to_person[user_id].extend(replies)
        self.log.extend(Sent(user_id, r) for r in replies)

    async def send_to_conversation(self, conversation_id: str, replies: list[Reply], user_id: str | None) -> None:
        await self._check(conversation_id)
        self.to_channel[conversation_id].extend(replies)
        self.log.extend(Sent(conversation_id, r, user_id) for r in replies)

    async def resolve_email(self, email: str) -> str | None:
        return self.directory.get(email.strip().lower())


def only(replies: list[Reply]) -> Reply:
    """The one reply of a ``say`` or ``press`` (fails when there is none, or more than one)."""
    [reply] = replies
    return reply


class Harness:
    """The core with a hand-moved clock and a recording sender, driven as people in a chat."""

    def __init__(self, core: Core, *, now: datetime = START, platform: str = "slack",
                 sender: Sender | None = None, clock: Clock | None = None,
                 lang: str | None = "en-US") -> None:
        self.core = core
        self.lang = lang  # the locale the platform reports for people (None: it reports none)
        self.platform = platform
        self.clock = clock or Clock(now)  # a clock of its own, or one shared with another replica's harness
        core.clock = self.clock
        self.sender: Any = sender or Recorder()
        core.register_sender(platform, self.sender)
        self._ids = itertools.count(1)

    # -- talking to the bot ------------------------------------------------------------------

    def incoming(self, who: Who, *, text: str = "", action: str | None = None, values: dict | None = None,
                 channel: str | None = None, lang: str | None | EllipsisType = ..., event_id: str | None = None,
                 **more: Any) -> Incoming:
        """What an adapter makes of a message (or, with ``action``, a button press) from ``who``;
        ``more`` sets other fields (``source="shortcut"``, ``attachments=[...]``)."""
        lang = self.lang if lang is ... else lang
        fields: dict[str, Any] = dict(
            platform=self.platform, user_id=who.user, conversation_id=channel or who.dm, text=text,
            source="action" if action else "message", action_id=action, values=values or {},
            event_id=event_id or f"ev-{next(self._ids)}", is_direct=channel is None,
            profile=Profile(email=who.email, name=who.name, locale=lang, is_guest=who.guest),
        )
        return Incoming(**(fields | more))

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """The replies the core gives to one incoming message, as the platform would get them."""
        out: list[Reply] = []

        async def send(replies: list[Reply]) -> None:
            out.extend(replies)

        await self.core.handle(incoming, send)
        return out

    async def say(self, who: Who, text: str, *, channel: str | None = None, lang: str | None | EllipsisType = ...,
                  event_id: str | None = None, **more: Any) -> list[Reply]:
        """``who`` writes ``text`` (in their DM, or in ``channel``); the bot's replies."""
        return await self.handle(self.incoming(who, text=text, channel=channel, lang=lang, event_id=event_id, **more))

    async def press(self, who: Who, action: str | Button, values: dict | None = None, /, *,
                    channel: str | None = None, lang: str | None | EllipsisType = ..., event_id: str | None = None,
                    **more: Any) -> list[Reply]:
        """``who`` presses a button the bot showed (a ``Button``), or submits ``action`` with its values,
        as a dict or as keywords."""
        if isinstance(action, Button):
            action, values = action.action_id, {**action.value, **(values or {})}
        return await self.handle(self.incoming(who, action=action, values={**(values or {}), **more},
                                               channel=channel, lang=lang, event_id=event_id))

    # -- what the bot sent by itself ----------------------------------------------------------

    def received(self, who: Who | str) -> list[Reply]:
        """Everything the bot sent to ``who`` (or to a user id, or a channel id) on its own, oldest first."""
        if isinstance(who, Who):
            return self.sender.to_person[who.user]
        return self.sender.to_person.get(who) or self.sender.to_channel[who]

    def findable(self, *whos: Who) -> None:
        """The platform finds these people by their address (as Slack's users.lookupByEmail does)."""
        self.sender.directory.update({who.email: who.user for who in whos})

    # -- time and jobs -----------------------------------------------------------------------

    async def run_job(self, name: str) -> None:
        """Run a capability's scheduled job once, by its declared name ("polls", "crisis-escalation" ...)."""
        from handlers import CAPABILITIES

        jobs = {job.name: job for cap in CAPABILITIES for job in cap.jobs}
        if name not in jobs:
            raise KeyError(f"no scheduled job {name!r}; there are {sorted(jobs)}")
        await jobs[name].run(self.core)

    # -- people and the database -------------------------------------------------------------

    async def member(self, who: Who, *, joined: bool = True, department: str | None = None,
                     lang: str | None = "en", tz: str | None = None, quiet: tuple[str, str] | None = None,
                     platform: str | None = None) -> Person:
        """``who`` as the bot knows them already: a program member unless ``joined=False``."""
        [person] = await self._add([who], joined=joined, department=department, lang=lang, tz=tz, quiet=quiet,
                                   platform=platform)
        return person

    async def people(self, n: int, *, prefix: str = "m", department: str | None = "Sales", joined: bool = True,
                     lang: str | None = "en") -> list[Who]:
        """``n`` new program members (``UM0000``, ``m0@example.com``, "MemberM Number0", ...)."""
        crowd = [Who(f"U{prefix.upper()}{i:04d}", f"{prefix}{i}@example.com", f"Member{prefix.upper()} Number{i}")
                 for i in range(n)]
        await self._add(crowd, joined=joined, department=department, lang=lang)
        return crowd

    async def _add(self, crowd: list[Who], *, joined: bool, department: str | None, lang: str | None,
                   tz: str | None = None, quiet: tuple[str, str] | None = None,
                   platform: str | None = None) -> list[Person]:
        now = self.core.now()
        added = []
        async with self.core.db.session() as s:
            for who in crowd:
                p = Person(email=who.email, display_name=who.name, is_member=joined, joined_at=now if joined else None,
                           department=department, profile_checked_at=now, language=lang, timezone=tz,
                           quiet_start=quiet[0] if quiet else None, quiet_end=quiet[1] if quiet else None)
                s.add(p)
                await s.flush()
                s.add(Identity(person_id=p.id, platform=platform or self.platform, user_id=who.user))
                added.append(p)
            await s.commit()
        return added

    async def count(self, model: Any, *where: Any) -> int:
        async with self.core.db.session() as s:
            return (await s.exec(select(func.count()).select_from(model).where(*where))).one()

    async def rows(self, model: Any, *where: Any) -> list[Any]:
        async with self.core.db.session() as s:
            return list((await s.exec(select(model).where(*where))).all())
