"""Two replicas on one PostgreSQL: two ``create_app`` on the same database, as
two ``ambassador run`` processes behind a load balancer would be.

A Slack retry or a Teams redelivery may land on the other replica; scheduled
work must run on one replica per period; a replica that dies holding a lease
or an acknowledged message is replaced by the other. Time is moved with one
clock both replicas share (the wall clock is the same for all replicas too).
And the main end-to-end journey (help, joining, a question, a poll vote, a crisis
report with escalation and acknowledgement, the weekly nudge, leaving) passes the
same on one replica as on two with the requests spread round-robin.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from sqlalchemy import func
from sqlmodel import select

from bot.app import create_app
from bot.core import Core
from bot.messages import Incoming, Reply
from bot.scheduler import Scheduler
from bot.web import CORE_KEY, SCHEDULER_KEY
from handlers import content, crisis
from storage.models import InboundTask, Lease, ProcessedEvent
from storage.models_polls import PollBallot
from tests.clock import Clock, lease_clock
from tests.conftest import make_settings
from tests.fakes.slack import EMPLOYEE, LEAD, TEAM, FakeSlack, _user
from tests.fakes.teams import FakeConnector
from tests.test_slack import SlackBot, all_text, button, dm_of, slack_env
from tests.test_teams import USERS, Teams

pytestmark = pytest.mark.postgres

# A Wednesday far from the sample's meeting dates and Monday nudges, so the
# jobs have nothing to send and only their running is watched.
START = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


class Replica:
    def __init__(self, name: str, client: Any, fake: FakeSlack, connector: FakeConnector) -> None:
        self.name = name
        self.client = client
        self.slack = SlackBot(client, fake)
        self.teams = Teams(client, connector, self.core, itertools.count(1))

    @property
    def app(self) -> web.Application:
        return self.client.app

    @property
    def core(self) -> Core:
        return self.app[CORE_KEY]

    @property
    def scheduler(self) -> Scheduler:
        return self.app[SCHEDULER_KEY]


@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.close()


@pytest.fixture
async def connector():
    server = await FakeConnector(users=dict(USERS)).start()
    yield server
    await server.close()


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return lease_clock(monkeypatch, START)


@pytest.fixture
async def replicas(pg_url, fake, connector, aiohttp_client, tmp_path, clock) -> tuple[Replica, Replica]:
    settings = make_settings(tmp_path, pg_url, TEAMS_ALLOW_UNAUTHENTICATED="1", **slack_env(fake))
    out = []
    for name in ("A", "B"):
        # Each replica is built from nothing but the shared settings, as `ambassador run` does.
        client = await aiohttp_client(create_app(settings, background=False))
        client.app[CORE_KEY].clock = clock
        out.append(Replica(name, client, fake, connector))
    return out[0], out[1]


async def count(core: Core, model: type, *where: Any) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model).where(*where))).one()


def dm_event(text: str) -> dict[str, Any]:
    ts = f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"
    return {"type": "message", "channel": dm_of(EMPLOYEE), "user": EMPLOYEE, "text": text, "ts": ts,
            "event_ts": ts, "channel_type": "im", "team": TEAM}


# -- incoming: retries landing on the other replica ------------------------------------------------


async def test_the_same_slack_event_on_both_replicas_is_answered_once_and_stored_once(replicas, fake):
    a, b = replicas
    event = dm_event("help")
    # Slack retried before the first acknowledgement arrived, through the other replica.
    first, second = await asyncio.gather(a.slack.event(event, event_id="EvBOTH1"),
                                         b.slack.event(event, event_id="EvBOTH1", retry=1))
    assert first.status == second.status == 200
    await a.slack.settled()
    await b.slack.settled()
    [reply] = fake.replies()
    assert "What I can do for you" in reply["text"]
    assert await count(a.core, InboundTask) == 1
    assert await count(a.core, ProcessedEvent) == 1

    # A later retry to either replica is acknowledged and not answered again.
    for replica in (a, b):
        assert (await replica.slack.event(event, event_id="EvBOTH1", retry=2)).status == 200
        await replica.slack.settled()
    assert len(fake.replies()) == 1
    assert await count(b.core, InboundTask) == 1


async def test_a_button_pressed_once_and_delivered_to_both_replicas_is_answered_once(replicas, fake):
    a, b = replicas
    payload = {
        "type": "block_actions",
        "user": {"id": EMPLOYEE, "username": "erik", "team_id": TEAM},
        "api_app_id": "A0APP",
        "token": "legacy",
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": dm_of(EMPLOYEE),
                      "is_ephemeral": False},
        "trigger_id": "123.abc",
        "team": {"id": TEAM, "domain": "example"},
        "channel": {"id": dm_of(EMPLOYEE), "name": "directmessage"},
        "message": {"type": "message", "ts": "1700000000.000001", "text": "..."},
        "actions": [{"action_id": "join.start:0", "block_id": "b1", "type": "button",
                     "text": {"type": "plain_text", "text": "Join the program"},
                     "value": json.dumps({"_lang": "en"}), "action_ts": "1700000001.000002"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    responses = await asyncio.gather(a.slack.post(body, "application/x-www-form-urlencoded"),
                                     b.slack.post(body, "application/x-www-form-urlencoded"))
    assert [r.status for r in responses] == [200, 200]
    await a.slack.settled()
    await b.slack.settled()
    [notice] = fake.replies()
    assert "privacy notice" in notice["text"]


async def test_a_teams_activity_redelivered_to_the_other_replica_is_answered_once(replicas, connector):
    a, b = replicas
    activity = a.teams.message("help")
    before = len(connector.posted)
    await asyncio.gather(a.teams.post(activity), b.teams.post(activity))
    # Counted once both are done: the replica that answers may post before the other's request returns.
    assert len(connector.posted) - before == 1
    assert await count(a.core, InboundTask) == 1


# -- scheduled work: one replica per period ------------------------------------------------------------


def watch(replicas: tuple[Replica, ...]) -> list[tuple[str, str]]:
    """Record (job, replica) each time a replica's scheduler runs a job body."""
    ran: list[tuple[str, str]] = []
    for replica in replicas:
        for entry in replica.scheduler.jobs:
            def wrapped(fn: Callable[[], Awaitable[object]] = entry.fn, name: str = entry.name,
                        who: str = replica.name) -> Awaitable[object]:
                ran.append((name, who))
                return fn()

            entry.fn = wrapped
    return ran


async def tick(*replicas: Replica) -> None:
    """Every replica's scheduler tries every job at the same moment."""
    await asyncio.gather(*(r.scheduler.run_once(e) for r in replicas for e in r.scheduler.jobs))


async def test_scheduled_jobs_run_on_one_replica_per_period(replicas):
    a, b = replicas
    assert a.scheduler.holder != b.scheduler.holder
    names = sorted(e.name for e in a.scheduler.jobs)
    # The capabilities' jobs are among them: the ones this test is about.
    assert {"crisis-escalation", "content-nudge", "polls", "inbound-recovery"} <= set(names)
    ran = watch(replicas)
    clock = a.core.clock
    longest = max(e.seconds for e in a.scheduler.jobs)

    await tick(a, b)
    assert sorted(name for name, _ in ran) == names  # each job once, on one replica or the other
    first = dict(ran)

    # Within the period the other replica does not run them.
    ran.clear()
    clock.advance(seconds=1)
    await tick(b if first["polls"] == "A" else a)
    assert all(first[name] == who for name, who in ran)
    assert ("polls", "B" if first["polls"] == "A" else "A") not in ran

    # Every period once more: the leases ran out, each job runs once again.
    for _ in range(2):
        ran.clear()
        clock.advance(seconds=longest)
        await tick(a, b)
        assert sorted(name for name, _ in ran) == names


async def test_a_replica_that_died_holding_a_lease_is_replaced_when_it_runs_out(replicas):
    a, b = replicas
    ran = watch(replicas)
    clock = a.core.clock
    entry = next(e for e in b.scheduler.jobs if e.name == "crisis-escalation")
    # A took the job and died: its lease is never released.
    assert await a.scheduler.claim(entry.name, entry.seconds)

    await b.scheduler.run_once(entry)
    assert ran == []
    clock.advance(seconds=entry.seconds * 0.5)
    await b.scheduler.run_once(entry)
    assert ran == []

    clock.advance(seconds=entry.seconds * 0.5)  # past A's lease (0.9 of the period)
    await b.scheduler.run_once(entry)
    assert ran == [("crisis-escalation", "B")]
    async with b.core.db.session() as s:
        lease = await s.get(Lease, entry.name)
    assert lease.holder == b.scheduler.holder


async def test_a_message_accepted_by_a_replica_that_died_is_answered_once_by_the_other(
    replicas, fake, monkeypatch
):
    a, b = replicas

    async def died(task_id: int | None, incoming: Incoming, send: Any, **kw: Any) -> list[Reply]:
        return []  # A stopped right after Slack's acknowledgement

    monkeypatch.setattr(a.core, "run", died)
    event = dm_event("help")
    assert (await a.slack.event(event, event_id="EvDIED1")).status == 200
    assert await count(a.core, InboundTask, InboundTask.status == "pending") == 1
    assert fake.replies() == []

    recovery = next(e for e in b.scheduler.jobs if e.name == "inbound-recovery")
    # While A's lease on the message runs, B leaves it alone (A may still be answering).
    assert await b.core.recover() == 0
    a.core.clock.advance(seconds=61)
    await asyncio.gather(b.scheduler.run_once(recovery), b.core.recover())
    [reply] = fake.replies()
    assert reply["channel"] == dm_of(EMPLOYEE) and "What I can do for you" in reply["text"]
    assert await count(b.core, InboundTask, InboundTask.status == "done") == 1

    # Slack's own retry, now landing on B, is not answered twice.
    assert (await b.slack.event(event, event_id="EvDIED1", retry=1)).status == 200
    await b.slack.settled()
    assert len(fake.replies()) == 1


async def test_both_replicas_report_the_shared_backlog_in_their_metrics(replicas, monkeypatch):
    a, b = replicas

    async def died(task_id: int | None, incoming: Incoming, send: Any, **kw: Any) -> list[Reply]:
        return []

    monkeypatch.setattr(a.core, "run", died)
    assert (await a.slack.event(dm_event("help"), event_id="EvMETRICS1")).status == 200
    for replica in (a, b):
        body = await (await replica.client.get("/metrics")).text()
        assert 'ambassador_outbox_depth{outbox="inbound",status="pending"} 1.0' in body
    # Counted where it happened: A received it, B did not.
    a_body = await (await a.client.get("/metrics")).text()
    b_body = await (await b.client.get("/metrics")).text()
    assert 'ambassador_events_received_total{platform="slack",type="message"} 1.0' in a_body
    assert "ambassador_events_received_total{" not in b_body


# -- the same end-to-end journey on one replica and on two ------------------------------------------

# Monday 9 March 2026, 09:30 in Berlin: the weekly nudge is due.
NUDGE_DUE = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
BACKUP_USER = "U0BEN"
TRUCK = "crisis A video of our truck accident is going viral on TikTok https://www.tiktok.com/@someone/video/7300"


class Deployment:
    """One or two replicas on one PostgreSQL behind a round-robin load balancer: every request goes
    to the next replica, and every replica's scheduler tries every due job, as they all do in production."""

    def __init__(self, replicas: list[Replica], fake: FakeSlack, connector: FakeConnector, clock: Clock) -> None:
        self.replicas = replicas
        self.fake = fake
        self.connector = connector
        self.clock = clock
        self._next = itertools.cycle(replicas)

    def next(self) -> Replica:
        return next(self._next)

    async def dm(self, user: str, text: str, **kw: Any) -> None:
        assert (await self.next().slack.dm(user, text, **kw)).status == 200
        await self.settled()

    async def click(self, user: str, posted: dict[str, Any], label: str) -> None:
        assert (await self.next().slack.click(user, button(posted, label), channel=dm_of(user))).status == 200
        await self.settled()

    async def settled(self) -> None:
        for replica in self.replicas:
            await replica.slack.settled()
            await crisis.settle(replica.core)

    async def tick(self, *names: str) -> None:
        await asyncio.gather(*(r.scheduler.run_once(e) for r in self.replicas for e in r.scheduler.jobs
                               if e.name in names))
        await self.settled()

    def texts(self, user: str) -> list[str]:
        return [all_text(c.params) for c in self.fake.calls
                if c.method == "chat.postMessage" and c.params.get("channel") == dm_of(user)]

    def last(self, user: str) -> dict[str, Any]:
        return [c.params for c in self.fake.calls
                if c.method == "chat.postMessage" and c.params.get("channel") == dm_of(user)][-1]


@pytest.fixture(params=[1, 2], ids=["one-replica", "two-replicas"])
async def deployment(request, pg_url, fake, connector, aiohttp_client, tmp_path, clock) -> Deployment:
    fake.users[BACKUP_USER] = _user(BACKUP_USER, "ben.backup@example.com", "Ben Backup")
    fake.clock = lambda: clock().timestamp()
    settings = make_settings(tmp_path, pg_url, TEAMS_ALLOW_UNAUTHENTICATED="1", **slack_env(fake))
    replicas = []
    for name in "AB"[: request.param]:
        client = await aiohttp_client(create_app(settings, background=False))
        client.app[CORE_KEY].clock = clock
        content.configure(client.app[CORE_KEY], pacer=content.Pacer(1000, 0))
        replicas.append(Replica(name, client, fake, connector))
    return Deployment(replicas, fake, connector, clock)


def _once(texts: list[str], needle: str) -> str:
    found = [t for t in texts if needle in t]
    assert len(found) == 1, (needle, len(found))
    return found[0]


async def test_the_end_to_end_journey_is_the_same_on_one_replica_and_on_two(deployment: Deployment):
    d, fake = deployment, deployment.fake
    for user in (LEAD, BACKUP_USER):
        await d.dm(user, "language en")

    # help, then joining with the buttons: each request to the next replica.
    await d.dm(EMPLOYEE, "help")
    await d.click(EMPLOYEE, d.last(EMPLOYEE), "Join the program")
    await d.click(EMPLOYEE, d.last(EMPLOYEE), "I agree, join")
    _once(d.texts(EMPLOYEE), "Welcome to")

    # a question to the answer engine
    await d.dm(EMPLOYEE, "May I post a photo of our new office on LinkedIn?")
    assert "⛔" in d.last(EMPLOYEE)["text"] or "✅" in d.last(EMPLOYEE)["text"] or "⚠️" in d.last(EMPLOYEE)["text"]

    # a poll: out to the member, voted, the vote changed on the other replica, counted once
    await d.dm(LEAD, 'poll "Which lunch format?" Pizza | Salad --closes 2d')
    poll = next(c.params for c in fake.calls if c.method == "chat.postMessage"
                and c.params.get("channel") == dm_of(EMPLOYEE) and "lunch" in c.params.get("text", ""))
    await d.click(EMPLOYEE, poll, "Salad")
    await d.click(EMPLOYEE, poll, "Pizza")
    updates = fake.called("chat.update")
    assert len(updates) == 2 and "Your answer: Pizza" in updates[-1]["text"]
    async with d.replicas[-1].core.db.session() as s:
        [ballot] = (await s.exec(select(PollBallot))).all()
    assert ballot.choices == 0b01

    # a crisis report: the lead is alerted once; unacknowledged, the backup after the timeout, once;
    # the lead acknowledges; the reporter and the backup hear it once
    await d.dm(EMPLOYEE, TRUCK)
    _once(d.texts(EMPLOYEE), "Report K-2026-0001 received")
    _once(d.texts(LEAD), "Crisis report K-2026-0001")
    for _ in range(3):  # ticks within the lead's ten minutes: nothing more
        d.clock.advance(seconds=5)
        await d.tick("crisis-escalation")
    assert not any("K-2026-0001" in t for t in d.texts(BACKUP_USER))
    d.clock.advance(minutes=10)
    await d.tick("crisis-escalation")
    await d.tick("crisis-escalation")
    _once(d.texts(BACKUP_USER), "Crisis report K-2026-0001")
    alert = next(c.params for c in fake.calls if c.method == "chat.postMessage"
                 and c.params.get("channel") == dm_of(LEAD) and "K-2026-0001" in c.params.get("text", ""))
    await d.click(LEAD, alert, "Acknowledge")
    _once(d.texts(EMPLOYEE), "Your crisis report K-2026-0001 was taken by Lea Lead")
    _once(d.texts(BACKUP_USER), "K-2026-0001 is taken by Lea Lead")
    d.clock.advance(minutes=30)
    await d.tick("crisis-escalation")
    assert len([t for t in d.texts(LEAD) if "Crisis report K-2026-0001" in t]) == 1

    # the weekly nudge, with every replica's scheduler trying: once
    await d.dm(LEAD, "content add\nurl: https://example.com/news/plant\ntitle: Our new plant\n"
                     "en: We are opening a new plant!\nde: Wir eröffnen ein neues Werk!")
    d.clock.now = NUDGE_DUE
    await d.tick("content-nudge")
    d.clock.advance(minutes=5)
    await d.tick("content-nudge")
    assert [k for k in fake.keyed(dm_of(EMPLOYEE)) if "nudge" in k] == ["ambassador-nudge-1"]

    # leaving
    await d.dm(EMPLOYEE, "leave")
    _once(d.texts(EMPLOYEE), "You've left")

    # Teams: an answer, and a redelivery to the other replica answered never twice
    teams_help = d.next().teams.message("help")
    answered = [await d.next().teams.send(teams_help), await d.next().teams.send(teams_help)]
    assert sorted(len(posted) for posted in answered) == [0, 1]

    # everything answered, once: one task per message, none left
    async with d.replicas[0].core.db.session() as s:
        tasks = (await s.exec(select(InboundTask))).all()
    assert all(t.status == "done" for t in tasks)
    assert len({t.event_key for t in tasks}) == len(tasks)
