"""Faults: the database cut for seconds, the platforms answering 429, 500 or not at all,
a replica killed mid-work.

After each: nothing lost (every answer, vote, report, delivery and alert either
completed or visibly failed and retried), nothing twice, and the service healthy
again without a manual step.

The database is cut with a TCP proxy in front of the local PostgreSQL
(tests/tcp_proxy.py): the shared server itself is never stopped. The platforms
are the fake Slack Web API and the fake Bot Framework connector, taught to
fail here. Scheduled work is run tick by tick with a moved clock; the real
waits are the cuts themselves and, for the killed replica, its leases.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func
from sqlmodel import select

from bot.app import create_app
from bot.core import Core
from bot.keys import ProgramKey
from bot.platforms.slack import SlackAdapter
from bot.scheduler import Scheduler
from bot.web import CORE_KEY, SCHEDULER_KEY
from handlers import content, crisis
from storage.models import ConversationRef, Identity, InboundTask, Person, ProcessedEvent
from storage.models_content import ContentDelivery
from storage.models_crisis import CrisisAttempt, CrisisEvent, CrisisReport
from storage.models_polls import PollBallot
from tests.clock import Clock, lease_clock
from tests.conftest import make_settings
from tests.fakes.slack import EMPLOYEE, LEAD, TEAM, Call, FakeSlack, _user, default_users
from tests.fakes.teams import FakeConnector
from tests.tcp_proxy import TcpProxy
from tests.test_slack import SlackBot, all_text, button, dm_of, signed, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import USERS, Teams, personal

# Monday 9 March 2026, 09:00 in Berlin: the weekly nudge (09:30) is half an hour away.
START = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
NUDGE_DUE = START + timedelta(minutes=30)
SLACK_ACK = 3.0  # Slack's patience for an acknowledgement
TRUCK = "crisis A video of our truck accident is going viral on TikTok https://www.tiktok.com/@someone/video/7300"
ITEM = ("content add\nurl: https://example.com/news/plant\ntitle: Our new plant\n"
        "en: We are opening a new plant!\nde: Wir eröffnen ein neues Werk!")


# -- platforms that fail on demand --------------------------------------------------------------


@dataclass
class Fault:
    method: str
    kind: str  # status | stall
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0.0
    takes_effect: bool = False  # stall: Slack carries the call out, only its answer comes too late
    channel: str | None = None  # only calls to this conversation
    times: int = 1


PARAMS = web.RequestKey("params", dict)


class FaultySlack(FakeSlack):
    """The fake Slack Web API that can also answer an HTTP error or stay silent past the client's timeout.

    ``done`` lists the calls Slack carried out (what people see), in order; ``then``
    runs a test's hook right after a call took effect (to cut the database at that moment).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.faults: list[Fault] = []
        self.done: list[tuple[str, dict[str, Any]]] = []
        self.then: dict[str, Callable[[dict[str, Any]], None]] = {}
        self._released = asyncio.Event()

    def fail(self, method: str, status: int = 500, *, retry_after: int | None = None, times: int = 1,
             channel: str | None = None) -> None:
        self.faults.append(Fault(method, "status", status=status, retry_after=retry_after, times=times,
                                 channel=channel))

    def stall(self, method: str, seconds: float, *, takes_effect: bool, channel: str | None = None,
              times: int = 1) -> None:
        self.faults.append(Fault(method, "stall", seconds=seconds, takes_effect=takes_effect, channel=channel,
                                 times=times))

    def posted(self, channel: str, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        return [p for m, p in self.done if m == method and p.get("channel") == channel]

    async def close(self) -> None:
        self._released.set()
        await super().close()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        # Read once: the fault check reads the body before the fake's own handler does.
        if PARAMS not in request:
            request[PARAMS] = await super()._params(request)
        return request[PARAMS]

    def _take(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.times > 0 and fault.channel in (None, params.get("channel")):
                fault.times -= 1
                return fault
        return None

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._answer(method, params)
        if answer.get("ok"):
            self.done.append((method, params))
            hook = self.then.get(method)
            if hook is not None:
                hook(params)
        return answer

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        fault = self._take(method, params)
        if fault is None:
            return await super()._api(request)
        self.calls.append(Call(method, params, request.headers.get("Authorization", "").removeprefix("Bearer ") or None))
        if fault.kind == "status":
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            error = "ratelimited" if fault.status == 429 else "internal_error"
            return web.json_response({"ok": False, "error": error}, status=fault.status, headers=headers)
        answer = self._answer(method, params) if fault.takes_effect else {"ok": False, "error": "internal_error"}
        try:
            await asyncio.wait_for(self._released.wait(), fault.seconds)
        except TimeoutError:
            pass
        return web.json_response(answer)


@dataclass
class FaultyConnector(FakeConnector):
    """The fake Bot Framework connector that can also stay silent past the client's timeout
    (429 and 500 it answers already: ``fail_next``)."""

    stalls: list[Fault] = field(default_factory=list)

    def stall_next(self, seconds: float, *, takes_effect: bool, times: int = 1) -> None:
        """The next activity posts get their answer after ``seconds``; with ``takes_effect`` the
        activity is posted all the same (only the answer is late), else a 504 follows."""
        self.stalls.append(Fault("activities", "stall", seconds=seconds, takes_effect=takes_effect, times=times))

    async def _post_activity(self, request: web.Request) -> web.Response:
        stall = next((f for f in self.stalls if f.times > 0), None)
        if stall is None:
            return await super()._post_activity(request)
        stall.times -= 1
        if stall.takes_effect:
            response = await super()._post_activity(request)
        else:
            response = web.json_response({"error": {"code": "GatewayTimeout", "message": "timed out"}}, status=504)
        await asyncio.sleep(stall.seconds)
        return response


# -- the bot on a database behind a proxy -------------------------------------------------------


@dataclass
class Bot:
    app: web.Application
    client: Any
    slack: SlackBot
    teams: Teams
    fake: FaultySlack
    connector: FaultyConnector
    clock: Clock
    proxy: TcpProxy | None

    @property
    def core(self) -> Core:
        return self.app[CORE_KEY]

    @property
    def scheduler(self) -> Scheduler:
        return self.app[SCHEDULER_KEY]

    @property
    def adapter(self) -> SlackAdapter:
        return self.slack.adapter

    async def job(self, name: str) -> None:
        """One tick of a scheduled job, as the scheduler's loop runs it (its failures logged, not raised)."""
        entry = next(e for e in self.scheduler.jobs if e.name == name)
        try:
            await self.scheduler.run_once(entry)
        except Exception:
            pass  # the database is away: the loop tries again next period

    async def healthz(self) -> int:
        return (await self.client.get("/healthz")).status

    async def count(self, model: type, *where: Any) -> int:
        async with self.core.db.session() as s:
            return (await s.exec(select(func.count()).select_from(model).where(*where))).one()


BACKUP = "U0BEN"


@pytest.fixture
async def fake():
    users = default_users()
    users[BACKUP] = _user(BACKUP, "ben.backup@example.com", "Ben Backup")
    server = await FaultySlack(users=users).start()
    yield server
    await server.close()


@pytest.fixture
async def connector():
    server = await FaultyConnector(users=dict(USERS)).start()
    yield server
    await server.close()


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return lease_clock(monkeypatch, START)


@pytest.fixture
async def proxy(pg_url):
    target = urlsplit(pg_url)
    server = await TcpProxy(target.hostname or "127.0.0.1", target.port or 5432).start()
    yield server
    await server.close()


async def start_bot(aiohttp_client, tmp_path, fake: FaultySlack, connector: FaultyConnector, clock: Clock,
                    database_url: str | None, proxy: TcpProxy | None = None) -> Bot:
    settings = make_settings(tmp_path, database_url, TEAMS_ALLOW_UNAUTHENTICATED="1", **slack_env(fake))
    app = create_app(settings, background=False)
    client = await aiohttp_client(app)
    core = app[CORE_KEY]
    core.clock = clock
    fake.clock = lambda: clock().timestamp()  # Slack's message timestamps follow the moved clock
    content.configure(core, pacer=content.Pacer(1000, 0), concurrency=2)
    return Bot(app, client, SlackBot(client, fake), Teams(client, connector, core, itertools.count(1)), fake,
               connector, clock, proxy)


@pytest.fixture
async def pg_bot(aiohttp_client, tmp_path, fake, connector, clock, proxy, pg_url) -> Bot:
    """The bot (Slack HTTP and Teams) on PostgreSQL through the proxy the test can cut."""
    return await start_bot(aiohttp_client, tmp_path, fake, connector, clock, proxy.url(pg_url), proxy)


CLIENT_TIMEOUT = 1  # seconds; the adapters' real timeouts are longer, the behaviour the same


@pytest.fixture
async def lite_bot(aiohttp_client, tmp_path, fake, connector, clock, monkeypatch) -> Bot:
    """The bot (Slack HTTP and Teams) on SQLite, its platform clients with a short timeout."""
    monkeypatch.setattr("bot.platforms.slack.adapter.API_TIMEOUT", CLIENT_TIMEOUT)
    monkeypatch.setattr("bot.platforms.teams.transport.CONNECTOR_TIMEOUT", CLIENT_TIMEOUT)
    return await start_bot(aiohttp_client, tmp_path, fake, connector, clock, None)


async def quiet(bot: Bot) -> None:
    """Until the answers started after the acknowledgements are done: delivered, or kept for later
    (Bolt answers the request first and runs the listener after, so the HTTP response says nothing)."""
    async def idle() -> bool:
        waiting = await bot.count(InboundTask, InboundTask.status == "pending", InboundTask.error.is_(None))
        return not waiting and not bot.adapter._inflight

    await eventually(idle)


async def recover(bot: Bot) -> None:
    """What the scheduler does next: answers kept after a failed delivery go out after their wait."""
    bot.clock.move(seconds=21)
    await bot.job("inbound-recovery")


def dm_event(user: str, text: str) -> dict[str, Any]:
    ts = f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"
    return {"type": "message", "channel": dm_of(user), "user": user, "text": text, "ts": ts, "event_ts": ts,
            "channel_type": "im", "team": TEAM}


async def timed(awaitable: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = await awaitable
    return result, time.monotonic() - started


def kept_id(core: Any, event_id: str) -> str:
    """How a Slack event id is kept to drop retries: a keyed hash (docs/security.md)."""
    return core.settings.key.digest("events", f"slack:{event_id}")


def kept_id_of(key: Any, event_id: str) -> str:
    return key.digest("events", f"slack:{event_id}")


async def eventually(check: Callable[[], Any], within: float = 5.0) -> Any:
    """Until ``check`` (a function, or one returning an awaitable) gives something true; real time,
    for work that waits for a restored database or another process."""
    deadline = time.monotonic() + within
    while True:
        try:
            result = check()
            if inspect.isawaitable(result):
                result = await result
        except Exception:
            result = None
        if result or time.monotonic() > deadline:
            assert result, "not within the time"
            return result
        await asyncio.sleep(0.05)


async def join(bot: Bot, user: str = EMPLOYEE) -> None:
    """The employee joins through the buttons (the consent is recorded)."""
    await bot.slack.dm(user, "join")
    await bot.slack.settled()
    notice = bot.fake.replies()[-1]
    await bot.slack.click(user, button(notice, "I agree, join"), channel=dm_of(user))
    await bot.slack.settled()
    assert "Welcome to" in bot.fake.replies()[-1]["text"]


async def setup_program(bot: Bot) -> dict[str, Any]:
    """A member, the lead known to the bot, a poll out to the member, an item for the weekly nudge."""
    await bot.slack.dm(LEAD, "language en")
    await bot.slack.settled()
    await join(bot)
    await bot.slack.dm(LEAD, 'poll "Which lunch format?" Pizza | Salad --closes 2d')
    await bot.slack.settled()
    poll = next(p for p in bot.fake.posted(dm_of(EMPLOYEE)) if "lunch" in p["text"])
    await bot.slack.dm(LEAD, ITEM)
    await bot.slack.settled()
    assert "Added #1" in bot.fake.replies()[-1]["text"]
    await bot.teams.say("help", user=TEAMS_EMPLOYEE)
    return poll


def texts(fake: FaultySlack, channel: str) -> list[str]:
    return [all_text(p) for p in fake.posted(channel)]


# -- 1. the database cut ------------------------------------------------------------------------


@pytest.mark.postgres
async def test_a_database_cut_refuses_work_fast_and_after_it_everything_completes_once(pg_bot: Bot):
    bot, fake, proxy = pg_bot, pg_bot.fake, pg_bot.proxy
    assert proxy is not None
    poll = await setup_program(bot)
    salad = button(poll, "Salad")
    before = {dm_of(EMPLOYEE): len(fake.posted(dm_of(EMPLOYEE))), dm_of(LEAD): len(fake.posted(dm_of(LEAD)))}
    teams_before = len(bot.connector.posted)

    proxy.cut()
    question = dm_event(EMPLOYEE, "May I post a photo of our new office on LinkedIn?")
    report = dm_event(EMPLOYEE, TRUCK)
    teams_question = bot.teams.message("help", user=TEAMS_EMPLOYEE)
    during = [
        await timed(bot.slack.event(question, event_id="EvCUT1")),
        await timed(bot.slack.event(report, event_id="EvCUT2")),
        await timed(bot.slack.click(EMPLOYEE, salad, channel=dm_of(EMPLOYEE))),
        await timed(bot.client.post("/api/messages", json=teams_question)),
        await timed(bot.client.get("/healthz")),
    ]
    for job in ("inbound-recovery", "crisis-escalation", "polls", "content-nudge"):
        await bot.job(job)  # the scheduler's ticks during the cut fail quietly
    # Nothing was recorded, so nothing is acknowledged: Slack and Teams will send it again.
    assert [r.status for r, _ in during] == [500, 500, 500, 500, 503]
    assert max(took for _, took in during) < SLACK_ACK
    assert len(fake.posted(dm_of(EMPLOYEE))) == before[dm_of(EMPLOYEE)]
    assert len(bot.connector.posted) == teams_before

    await asyncio.sleep(1.5)  # a cut of a few seconds
    proxy.restore()
    # Healthy again by itself: the pool drops the dead connections.
    assert await bot.healthz() == 200

    # Slack retries the events; the person presses the button again (Slack does not retry
    # those: the person saw it fail); Teams redelivers.
    assert (await bot.slack.event(question, event_id="EvCUT1", retry=1)).status == 200
    assert (await bot.slack.event(report, event_id="EvCUT2", retry=1)).status == 200
    assert (await bot.slack.click(EMPLOYEE, salad, channel=dm_of(EMPLOYEE))).status == 200
    await bot.teams.post(teams_question)
    await bot.slack.settled()
    await crisis.settle(bot.core)
    # Late retries of what is answered already change nothing.
    assert (await bot.slack.event(question, event_id="EvCUT1", retry=2)).status == 200
    assert (await bot.slack.event(report, event_id="EvCUT2", retry=2)).status == 200
    await bot.slack.settled()

    # The scheduled work goes on: the nudge at 09:30, the escalation's next steps.
    bot.clock.now = NUDGE_DUE
    for job in ("inbound-recovery", "crisis-escalation", "polls", "content-nudge"):
        await bot.job(job)

    new = texts(fake, dm_of(EMPLOYEE))[before[dm_of(EMPLOYEE)]:]
    assert sum("Report K-2026-0001 received" in t for t in new) == 1
    assert sum("Something to share this week" in t or "Diese Woche zum Teilen" in t for t in new) == 1
    assert sum(t.startswith(("✅", "⚠️", "⛔")) for t in new) == 1  # the question's verdict
    assert len(new) == 3  # and nothing else
    [alert] = [t for t in texts(fake, dm_of(LEAD))[before[dm_of(LEAD)]:] if "K-2026-0001" in t]
    assert "Crisis report" in alert
    [update] = [p for m, p in fake.done if m == "chat.update"]
    assert "Your answer: Salad" in update["text"]
    assert len([p for p in bot.connector.posted[teams_before:] if "What I can do" in p.all_text()]) == 1
    assert await bot.count(CrisisReport) == 1
    assert await bot.count(PollBallot) == 1
    assert await bot.count(InboundTask, InboundTask.status != "done") == 0
    kept = [bot.core.settings.key.digest("events", k) for k in ("slack:EvCUT1", "slack:EvCUT2")]
    assert await bot.count(ProcessedEvent, ProcessedEvent.key.in_(kept)) == 2
    assert await bot.healthz() == 200

    # The database unreachable the slow way (connections open, nothing answers): the connect
    # timeout still fails the request within Slack's three seconds, and the health check says so.
    proxy.stall()
    again = dm_event(EMPLOYEE, "help")
    (response, took), (health, health_took) = await asyncio.gather(
        timed(bot.slack.event(again, event_id="EvSTALL1")), timed(bot.client.get("/healthz")))
    assert (response.status, health.status) == (500, 503)
    assert took < SLACK_ACK and health_took < SLACK_ACK
    proxy.restore()
    assert await bot.healthz() == 200
    seen = len(fake.posted(dm_of(EMPLOYEE)))
    assert (await bot.slack.event(again, event_id="EvSTALL1", retry=1)).status == 200
    await bot.slack.settled()
    assert len(fake.posted(dm_of(EMPLOYEE))) == seen + 1


async def add_members(bot: Bot, n: int) -> list[str]:
    """Members who joined earlier (the join itself is tested above), each with a known DM."""
    users = [f"U0M{i}" for i in range(n)]
    async with bot.core.db.session() as s:
        for i, user in enumerate(users):
            p = Person(email=f"member{i}@example.com", language="en", is_member=True, joined_at=bot.clock(),
                       profile_checked_at=bot.clock())
            s.add(p)
            await s.flush()
            s.add(Identity(person_id=p.id, platform="slack", user_id=user))
            s.add(ConversationRef(platform="slack", user_id=user, conversation_id=dm_of(user),
                                  reference={"channel": dm_of(user)}))
        await s.commit()
    return users


def cut_after(bot: Bot, method: str, channel: str, *, restore_after: float = 1.0) -> asyncio.Event:
    """Cut the database right after Slack carried out ``method`` in ``channel`` (once); restore it a moment later."""
    assert bot.proxy is not None
    proxy = bot.proxy
    restored = asyncio.Event()

    def hook(params: dict[str, Any]) -> None:
        if params.get("channel") != channel or proxy.mode != "up" or restored.is_set():
            return
        proxy.cut()

        def restore() -> None:
            proxy.restore()
            restored.set()

        asyncio.get_running_loop().call_later(restore_after, restore)

    bot.fake.then[method] = hook
    return restored


@pytest.mark.postgres
async def test_a_database_cut_in_the_middle_of_work_loses_nothing_and_repeats_nothing(pg_bot: Bot, monkeypatch):
    bot, fake, proxy = pg_bot, pg_bot.fake, pg_bot.proxy
    assert proxy is not None
    await bot.slack.dm(LEAD, "language en")
    await bot.slack.dm(EMPLOYEE, "language en")
    await bot.slack.settled()
    await bot.slack.dm(LEAD, ITEM)
    await bot.slack.settled()

    # (a) Acknowledged, then the database goes as the answer starts: answered once, right away
    # (from what was read with the acknowledgement) or by recovery once the database is back.
    dispatch = bot.core.dispatch
    tried = asyncio.Event()

    async def cut_then_dispatch(incoming: Any) -> Any:
        proxy.cut()
        try:
            return await dispatch(incoming)
        finally:
            tried.set()

    monkeypatch.setattr(bot.core, "dispatch", cut_then_dispatch)
    assert (await bot.slack.dm(EMPLOYEE, "help", event_id="EvMID1")).status == 200
    await asyncio.wait_for(tried.wait(), 5)
    while pending := set(bot.adapter._inflight):
        await asyncio.wait(pending)
    monkeypatch.setattr(bot.core, "dispatch", dispatch)
    proxy.restore()
    await eventually(lambda: not bot.core._marking)  # an answer that went out is marked done meanwhile
    bot.clock.move(seconds=61)  # the accepting process's hold on it runs out
    await bot.job("inbound-recovery")
    assert sum("What I can do" in t for t in texts(fake, dm_of(EMPLOYEE))) == 1
    assert await bot.count(InboundTask, InboundTask.event_key == kept_id(bot.core, "EvMID1"), InboundTask.status == "done") == 1

    # (b) The answer reached Slack, then the database went before it was marked done.
    seen = len(fake.posted(dm_of(EMPLOYEE)))
    restored = cut_after(bot, "chat.postMessage", dm_of(EMPLOYEE))
    assert (await bot.slack.dm(EMPLOYEE, "status", event_id="EvMID2")).status == 200
    await asyncio.wait_for(restored.wait(), 5)
    bot.fake.then.clear()
    # Marked done as soon as the database is back, well within the lease: recovery leaves it alone.
    await eventually(lambda: bot.count(InboundTask, InboundTask.event_key == kept_id(bot.core, "EvMID2"), InboundTask.status == "done"))
    bot.clock.move(seconds=61)
    await bot.job("inbound-recovery")
    await bot.slack.settled()
    status_answers = texts(fake, dm_of(EMPLOYEE))[seen:]
    assert len(status_answers) == 1, status_answers
    assert await bot.count(InboundTask, InboundTask.status != "done") == 0

    # (c) The database goes in the middle of the weekly nudge run: the second member's nudge
    # reached Slack, its mark and the rest of the run did not.
    members = await add_members(bot, 4)
    bot.clock.now = NUDGE_DUE
    restored = cut_after(bot, "chat.postMessage", dm_of(members[1]))
    await bot.job("content-nudge")
    await asyncio.wait_for(restored.wait(), 5)
    bot.fake.then.clear()
    await bot.job("content-nudge")  # the next tick: nothing is sent twice
    bot.clock.move(minutes=20)  # rows left 'sending' are looked up in the DMs, claimed rows are free again
    await bot.job("content-nudge")
    for user in members:
        assert len(fake.keyed(dm_of(user))) == 1, (user, fake.keyed(dm_of(user)))
    async with bot.core.db.session() as s:
        rows = (await s.exec(select(ContentDelivery))).all()
    assert sorted(r.status for r in rows) == ["sent"] * len(members)
    assert all(r.reason is None for r in rows)  # stored once the database was back: none left to look up

    # (d) The database goes while an escalation step is alerting the lead.
    restored = cut_after(bot, "chat.postMessage", dm_of(LEAD))
    assert (await bot.slack.dm(EMPLOYEE, TRUCK, event_id="EvMID3")).status == 200
    await asyncio.wait_for(restored.wait(), 5)
    bot.fake.then.clear()
    await bot.slack.settled()
    await crisis.settle(bot.core)
    bot.clock.move(seconds=90)  # past the first alert's claim: the job takes the report up
    await bot.job("crisis-escalation")
    alerts = [t for t in texts(fake, dm_of(LEAD)) if "Crisis report K-2026-0001" in t]
    assert len(alerts) == 1
    async with bot.core.db.session() as s:
        report = (await s.exec(select(CrisisReport))).one()
        attempts = (await s.exec(select(CrisisAttempt))).all()
        kinds = [e.kind for e in (await s.exec(select(CrisisEvent).order_by(CrisisEvent.id))).all()]
    assert report.step == 1 and [a.status for a in attempts] == ["sent"]
    assert kinds == ["reported", "alerted"]  # stored once the database was back: not sent again
    assert sum("Report K-2026-0001 received" in t for t in texts(fake, dm_of(EMPLOYEE))) == 1
    assert await bot.count(InboundTask, InboundTask.status != "done") == 0
    assert await bot.healthz() == 200


async def test_a_briefly_locked_sqlite_file_delays_work_and_loses_none(lite_bot: Bot, tmp_path):
    """SQLite: another process (a CLI command, a backup) holds the write lock for a moment."""
    bot, fake = lite_bot, lite_bot.fake
    await bot.slack.dm(EMPLOYEE, "language en")
    await bot.slack.settled()
    locked = asyncio.Event()
    loop = asyncio.get_running_loop()

    def hold_lock() -> None:
        conn = sqlite3.connect(tmp_path / "test.db", timeout=5)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            loop.call_soon_threadsafe(locked.set)
            time.sleep(1.0)
            conn.commit()
        finally:
            conn.close()

    holder = asyncio.create_task(asyncio.to_thread(hold_lock))
    await locked.wait()
    seen = len(fake.posted(dm_of(EMPLOYEE)))
    (response, took), (health, _) = await asyncio.gather(
        timed(bot.slack.dm(EMPLOYEE, "help", event_id="EvLOCK1")), timed(bot.client.get("/healthz")))
    await holder
    assert response.status == 200 and 0.5 < took < SLACK_ACK  # it waited for the lock, then took the work
    assert health.status == 200  # readers are not blocked (WAL)
    await bot.slack.settled()
    assert (await bot.slack.dm(EMPLOYEE, "help", event_id="EvLOCK1")).status == 200  # a retry changes nothing
    await bot.slack.settled()
    assert len(fake.posted(dm_of(EMPLOYEE))) == seen + 1


# -- 2. the platforms failing -------------------------------------------------------------------

SLACK_FAULTS = {
    "429 with Retry-After": lambda fake, ch: fake.fail("chat.postMessage", 429, retry_after=1, channel=ch),
    "500": lambda fake, ch: fake.fail("chat.postMessage", 500, channel=ch),
    "no answer, not carried out": lambda fake, ch: fake.stall("chat.postMessage", CLIENT_TIMEOUT + 0.5,
                                                              takes_effect=False, channel=ch),
    "no answer, carried out": lambda fake, ch: fake.stall("chat.postMessage", CLIENT_TIMEOUT + 0.5,
                                                          takes_effect=True, channel=ch),
}


async def test_slack_answers_arrive_once_through_429_500_and_timeouts(lite_bot: Bot):
    bot, fake = lite_bot, lite_bot.fake
    dm = dm_of(EMPLOYEE)
    await bot.slack.dm(EMPLOYEE, "language en")
    await bot.slack.settled()
    for n, (name, arm) in enumerate(SLACK_FAULTS.items()):
        seen = len(fake.posted(dm))
        arm(fake, dm)
        assert (await bot.slack.dm(EMPLOYEE, "help", event_id=f"EvPF{n}")).status == 200, name
        await quiet(bot)
        await recover(bot)
        answers = texts(fake, dm)[seen:]
        assert len(answers) == 1 and "What I can do" in answers[0], (name, answers)
    assert await bot.count(InboundTask, InboundTask.status != "done") == 0


async def test_a_nudge_run_through_429_500_and_timeouts_delivers_each_once_and_reports_what_failed(lite_bot: Bot):
    bot, fake = lite_bot, lite_bot.fake
    await bot.slack.dm(LEAD, "language en")
    await bot.slack.dm(LEAD, ITEM)
    await bot.slack.settled()
    members = await add_members(bot, len(SLACK_FAULTS) + 1)
    for user, arm in zip(members, SLACK_FAULTS.values(), strict=False):
        arm(fake, dm_of(user))
    broken = members[-1]  # its DM answers 500 every time
    fake.fail("chat.postMessage", 500, channel=dm_of(broken), times=99)

    bot.clock.now = NUDGE_DUE
    for _ in range(6):  # the run, then its retries on their schedule (30 s, 2 min, 10 min, 30 min)
        await bot.job("content-nudge")
        bot.clock.move(minutes=31)
    for user in members[:-1]:
        assert len(fake.keyed(dm_of(user))) == 1, (user, fake.keyed(dm_of(user)))
    assert fake.keyed(dm_of(broken)) == []
    async with bot.core.db.session() as s:
        rows = {r.person_id: r for r in (await s.exec(select(ContentDelivery))).all()}
    assert sorted(r.status for r in rows.values()) == ["failed"] + ["sent"] * (len(members) - 1)
    failed = next(r for r in rows.values() if r.status == "failed")
    assert failed.attempts == 5 and failed.error
    # The comms lead hears about it, once, with the one that failed named.
    [report] = [t for t in texts(fake, dm_of(LEAD)) if "delivery report" in t]
    assert f"{len(members) - 1} sent, 1 failed, 0 uncertain" in report and failed.pseudonym in report


def alerts(fake: FaultySlack, user: str, ref: str) -> list[dict[str, Any]]:
    return [p for p in fake.posted(dm_of(user)) if f"Crisis report {ref}" in p["text"]]


async def trail(bot: Bot, ref: str) -> str:
    async with bot.core.db.session() as s:
        report = (await s.exec(select(CrisisReport).where(CrisisReport.ref == ref))).one()
    return "\n".join(text for _, text in await crisis.trail(bot.core, report))


async def test_crisis_alerts_through_429_500_and_timeouts_are_delivered_or_visibly_failed_and_retried(lite_bot: Bot):
    bot, fake = lite_bot, lite_bot.fake
    for user in (LEAD, BACKUP, EMPLOYEE):
        await bot.slack.dm(user, "language en")
    await bot.slack.settled()

    async def report(ref: str) -> None:
        await bot.slack.dm(EMPLOYEE, TRUCK)
        await bot.slack.settled()
        await crisis.settle(bot.core)
        assert sum(f"Report {ref} received" in t for t in texts(fake, dm_of(EMPLOYEE))) == 1

    async def acknowledge(ref: str) -> None:
        [alert] = alerts(fake, LEAD, ref)
        await bot.slack.click(LEAD, button(alert, "Acknowledge"), channel=dm_of(LEAD))
        await bot.slack.settled()
        assert sum(f"Your crisis report {ref} was taken by Lea Lead" in t for t in texts(fake, dm_of(EMPLOYEE))) == 1

    # 429: Slack's Retry-After is waited out; the lead gets the alert once.
    fake.fail("chat.postMessage", 429, retry_after=1, channel=dm_of(LEAD))
    await report("K-2026-0001")
    assert len(alerts(fake, LEAD, "K-2026-0001")) == 1 and alerts(fake, BACKUP, "K-2026-0001") == []
    await acknowledge("K-2026-0001")

    # 500, then no answer at all: the failure is in the trail, the backup is alerted at once, and the
    # lead again in the next round (the alert that timed out did reach her: she has it twice, never
    # three times; an unanswered alert is sent again rather than lost).
    for ref, arm in (("K-2026-0002", lambda: fake.fail("chat.postMessage", 500, channel=dm_of(LEAD))),
                     ("K-2026-0003", lambda: fake.stall("chat.postMessage", CLIENT_TIMEOUT + 0.5,
                                                        takes_effect=True, channel=dm_of(LEAD)))):
        arm()
        await report(ref)
        [to_backup] = alerts(fake, BACKUP, ref)
        assert "level 2 of 2, round 1 of 3" in all_text(to_backup)
        assert "delivery failed: level 1, round 1: comms_lead via chat: slack:" in await trail(bot, ref)
        first = len(alerts(fake, LEAD, ref))
        bot.clock.move(minutes=10, seconds=1)  # the backup's timeout: round two starts with the lead
        await bot.job("crisis-escalation")
        await crisis.settle(bot.core)
        assert len(alerts(fake, LEAD, ref)) == first + 1
        assert "level 1 of 2, round 2 of 3" in all_text(alerts(fake, LEAD, ref)[-1])
        alert = alerts(fake, LEAD, ref)[-1]
        await bot.slack.click(LEAD, button(alert, "Acknowledge"), channel=dm_of(LEAD))
        await bot.slack.settled()
        assert sum(f"Your crisis report {ref} was taken by Lea Lead" in t for t in texts(fake, dm_of(EMPLOYEE))) == 1
        assert sum(f"{ref} is taken by Lea Lead" in t for t in texts(fake, dm_of(BACKUP))) == 1
    assert await bot.count(CrisisReport, CrisisReport.status == "acknowledged") == 3


async def test_poll_votes_and_poll_messages_through_429_500_and_timeouts(lite_bot: Bot):
    bot, fake = lite_bot, lite_bot.fake
    dm = dm_of(EMPLOYEE)
    await bot.slack.dm(LEAD, "language en")
    await bot.slack.settled()
    await join(bot)
    # The poll message itself: Slack answers 500 once; the outbox tries again on its schedule.
    fake.fail("chat.postMessage", 500, channel=dm)
    await bot.slack.dm(LEAD, 'poll "Which lunch format?" Pizza | Salad --closes 2d')
    await bot.slack.settled()
    assert not [p for p in fake.posted(dm) if "lunch" in p["text"]]
    bot.clock.move(minutes=2)
    await bot.job("polls")
    [poll] = [p for p in fake.posted(dm) if "lunch" in p["text"]]

    async def vote(option: str) -> None:
        assert (await bot.slack.click(EMPLOYEE, button(poll, option), channel=dm)).status == 200
        await quiet(bot)

    # 429 on the update: waited out, the message updated once.
    fake.fail("chat.update", 429, retry_after=1)
    await vote("Salad")
    assert len(fake.posted(dm, "chat.update")) == 1 and "Your answer: Salad" in fake.posted(dm, "chat.update")[0]["text"]
    # 500 on the update: the result comes as a new message instead.
    seen = len(fake.posted(dm))
    fake.fail("chat.update", 500)
    await vote("Pizza")
    assert len(fake.posted(dm, "chat.update")) == 1
    [fresh] = fake.posted(dm)[seen:]
    assert "Your answer: Pizza" in fresh["text"]
    # No answer to the update: kept, and delivered by the recovery once.
    seen = len(fake.posted(dm))
    fake.stall("chat.update", CLIENT_TIMEOUT + 0.5, takes_effect=False)
    await vote("Salad")
    await recover(bot)
    [later] = fake.posted(dm)[seen:]
    assert "Your answer: Salad" in later["text"]
    async with bot.core.db.session() as s:
        [ballot] = (await s.exec(select(PollBallot))).all()
    assert ballot.choices == 0b10  # Salad, counted once
    assert await bot.count(InboundTask, InboundTask.status != "done") == 0


async def test_teams_answers_through_429_500_and_timeouts_arrive(lite_bot: Bot):
    bot, connector = lite_bot, lite_bot.connector
    chat = personal(TEAMS_EMPLOYEE)
    await bot.teams.say("language en", user=TEAMS_EMPLOYEE)
    cases = {
        "429 with Retry-After": (lambda: connector.fail_next(429, retry_after="1"), 1),
        "500": (lambda: connector.fail_next(500), 1),
        "no answer, not carried out": (lambda: connector.stall_next(CLIENT_TIMEOUT + 0.5, takes_effect=False), 1),
        # The connector cannot be asked what it took: an answer whose outcome is unknown is sent
        # again rather than lost (the person may read it twice).
        "no answer, carried out": (lambda: connector.stall_next(CLIENT_TIMEOUT + 0.5, takes_effect=True), 2),
    }
    for name, (arm, expected) in cases.items():
        seen = len(connector.to(chat))
        arm()
        activity = bot.teams.message("help", user=TEAMS_EMPLOYEE)
        first, took = await timed(bot.client.post("/api/messages", json=activity))
        assert took < 15, name  # within the time Teams gives a turn
        if first.status >= 500:
            # Teams delivers the activity again: recognised, not answered a second time.
            await bot.teams.post(activity)
            await recover(bot)
        answers = [p for p in connector.to(chat)[seen:] if "What I can do" in p.all_text()]
        assert len(answers) == expected, (name, first.status, len(answers))
    assert await bot.count(InboundTask, InboundTask.status != "done") == 0


# -- 3. a replica killed mid-work ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
# The waits after which a dead replica's work is taken over, shortened (tests/replica_run.py):
# production holds an accepted message 60 s and a first alert 15 s.
TIMINGS = {
    "bot.core.LEASE": 4,
    "handlers.crisis.FIRST_CLAIM": 3,
    "handlers.crisis.CLAIM": 5,
    "jobs": {"inbound-recovery": 1, "crisis-escalation": 0.5},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replica:
    """One ``ambassador run`` process, serving Slack over HTTP."""

    def __init__(self, name: str, env: dict[str, str], tmp_path: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log = tmp_path / f"replica-{name}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.replica_run", "run", "--host", "127.0.0.1", "--port", str(self.port)],
                env={**env, "PORT": str(self.port)}, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    async def ready(self, session: aiohttp.ClientSession, within: float = 40) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"replica {self.name} exited:\n{self.tail()}"
            try:
                async with session.get(self.url + "/healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        raise AssertionError(f"replica {self.name} not ready:\n{self.tail()}")

    async def post(self, session: aiohttp.ClientSession, body: str, content_type: str,
                   headers: dict[str, str] | None = None) -> int:
        async with session.post(self.url + "/slack/events", data=body.encode(),
                                headers={**signed(body, content_type), **(headers or {})}) as r:
            return r.status

    async def event(self, session: aiohttp.ClientSession, event: dict[str, Any], event_id: str,
                    retry: int | None = None) -> int:
        body = json.dumps({"token": "legacy", "team_id": TEAM, "api_app_id": "A0APP", "event": event,
                           "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
                           "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": "U0BOT",
                                               "is_bot": True, "is_enterprise_install": False}]})
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(session, body, "application/json", headers)

    async def click(self, session: aiohttp.ClientSession, user: str, element: dict[str, Any]) -> int:
        ts = f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"
        payload = {
            "type": "block_actions", "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": "A0APP", "token": "legacy", "trigger_id": f"{uuid.uuid4().int % 10**10}.x",
            "container": {"type": "message", "message_ts": ts, "channel_id": dm_of(user), "is_ephemeral": False},
            "team": {"id": TEAM, "domain": "example"}, "channel": {"id": dm_of(user), "name": "directmessage"},
            "message": {"type": "message", "ts": ts, "text": "..."},
            "actions": [{"action_id": element["action_id"], "block_id": "b1", "type": "button",
                         "text": element.get("text"), "value": element.get("value"), "action_ts": ts}],
        }
        return await self.post(session, urlencode({"payload": json.dumps(payload)}),
                               "application/x-www-form-urlencoded")

    async def stop(self) -> None:
        """SIGTERM, as an orchestrator stops it; this process only (by its id). Waited for off the loop:
        the replica may still talk to the fake Slack served by it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, 15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait)


def posted_with(fake: FaultySlack, channel: str, text: str) -> list[dict[str, Any]]:
    return [p for p in fake.posted(channel) if text in p["text"]]


def calls_to(fake: FaultySlack, channel: str) -> int:
    """chat.postMessage calls to ``channel`` Slack received, carried out or not."""
    return sum(c.method == "chat.postMessage" and c.params.get("channel") == channel for c in fake.calls)


REPLICA_SECRET = "test-secret-for-the-replicas-0123456789"


@pytest.fixture
async def replicas(pg_url, fake, tmp_path):
    from storage.db import Database

    db = Database(pg_url)
    await db.upgrade()  # as a deployment's `ambassador db upgrade`; each replica checks again on start
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "AMBASSADOR_"))}
    env.update(DATABASE_URL=pg_url, AMBASSADOR_CONFIG=str(ROOT / "app.yaml"), AMBASSADOR_SECRET=REPLICA_SECRET,
               AMBASSADOR_TEST_TIMINGS=json.dumps(TIMINGS), PYTHONPATH=str(ROOT), LOG_LEVEL="INFO",
               **slack_env(fake))
    started = [Replica(name, env, tmp_path) for name in ("A", "B")]
    try:
        yield started, db
    finally:
        for replica in started:
            await replica.stop()
        await db.dispose()


@pytest.mark.postgres
async def test_a_replica_killed_mid_work_is_replaced_and_everything_happens_once(replicas, fake):
    (a, b), db = replicas
    employee_dm, lead_dm = dm_of(EMPLOYEE), dm_of(LEAD)

    async def count(model: type, *where: Any) -> int:
        async with db.session() as s:
            return (await s.exec(select(func.count()).select_from(model).where(*where))).one()

    async def none_pending() -> bool:
        return await count(InboundTask, InboundTask.status != "done") == 0

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(a.ready(session), b.ready(session))
        assert await b.event(session, dm_event(LEAD, "language en"), "EvKILL0") == 200
        await eventually(lambda: posted_with(fake, lead_dm, "English"), 15)

        # A takes a crisis report: the receipt is out, the lead's alert is on its way (Slack holds it) ...
        fake.stall("chat.postMessage", 120, takes_effect=False, channel=lead_dm)
        assert await a.event(session, dm_event(EMPLOYEE, TRUCK), "EvKILL1") == 200
        await eventually(lambda: posted_with(fake, employee_dm, "Report K-2026-0001 received"), 15)
        await eventually(lambda: count(InboundTask, InboundTask.event_key == kept_id_of(ProgramKey(REPLICA_SECRET.encode()), "EvKILL1"),
                                       InboundTask.status == "done"), 10)
        # The lead's DM had one message already ("From now on I write to you in English."): the alert is the 2nd.
        await eventually(lambda: calls_to(fake, lead_dm) == 2, 10)
        # ... and acknowledged a message it is answering (Slack holds that answer too) when it dies.
        fake.stall("chat.postMessage", 120, takes_effect=False, channel=employee_dm)
        help_event = dm_event(EMPLOYEE, "help")
        assert await a.event(session, help_event, "EvKILL2") == 200
        await eventually(lambda: calls_to(fake, employee_dm) == 2, 10)
        a.process.kill()
        a.process.wait()

        # B takes both over when A's holds run out: the alert once, the answer once.
        [alert] = await eventually(lambda: posted_with(fake, lead_dm, "Crisis report K-2026-0001"), 20)
        await eventually(lambda: posted_with(fake, employee_dm, "What I can do"), 20)
        # Slack's retry of the message, now to B, is not answered again.
        assert await b.event(session, help_event, "EvKILL2", retry=1) == 200

        # The lead acknowledges through B; the reporter hears it once.
        assert await b.click(session, LEAD, button(alert, "Acknowledge")) == 200
        await eventually(lambda: posted_with(fake, employee_dm, "was taken by Lea Lead"), 15)
        await eventually(none_pending, 15)  # the acknowledgement's own answer too
        async with session.get(b.url + "/healthz") as r:
            assert r.status == 200

    assert len([p for p in fake.posted(lead_dm) if "Crisis report K-2026-0001" in p["text"]]) == 1
    employee = [p["text"] for p in fake.posted(employee_dm)]
    assert sum("Report K-2026-0001 received" in t for t in employee) == 1
    assert sum("What I can do" in t for t in employee) == 1
    assert sum("was taken by Lea Lead" in t for t in employee) == 1
    assert await count(CrisisReport) == 1
    assert await count(CrisisAttempt, CrisisAttempt.status == "sent") == 1
    async with db.session() as s:
        kinds = [e.kind for e in (await s.exec(select(CrisisEvent).order_by(CrisisEvent.id))).all()]
    assert kinds[:4] == ["reported", "resending", "alerted", "acknowledged"]
    assert await count(InboundTask, InboundTask.status != "done") == 0
