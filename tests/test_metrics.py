"""/metrics as an operator reads it: after Slack and Teams exchanges through the
real SDK paths (fake Slack Web API, fake Bot Framework connector), after a
failing handler, and with work waiting in the database."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from bot.app import build_router, create_app
from bot.core import Core
from bot.messages import Incoming
from bot.metrics import Metrics
from bot.web import CORE_KEY
from storage.db import Database
from storage.models import Person, utcnow
from storage.models_content import ContentDelivery, ContentRun
from storage.models_crisis import CrisisReport
from storage.models_polls import PollOutbox
from tests.conftest import make_settings
from tests.fakes.slack import EMPLOYEE, FakeSlack
from tests.fakes.teams import FakeConnector
from tests.test_slack import SlackBot, button, dm_of, slack_env
from tests.test_teams import USERS, Teams

QUESTION = "Can I post a photo of the prototype we are testing in the lab?"


def scraped(body: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition: (name, labels) -> value."""
    out = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def scrape(client: Any) -> dict:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return scraped(await response.text())


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
async def both(aiohttp_client, fake, connector, tmp_path):
    """One app serving Slack and Teams, as `ambassador run` builds it."""
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1", **slack_env(fake))
    client = await aiohttp_client(create_app(settings, background=False))
    core = client.app[CORE_KEY]
    return SlackBot(client, fake), Teams(client, connector, core, itertools.count(1))


async def test_an_operator_reads_events_verdicts_and_latency_after_slack_and_teams_exchanges(both, fake):
    slack, teams = both
    # Slack: a question in a DM, then Slack's retry of the same event, a slash
    # command, and the answer's "Helpful" button.
    await slack.dm(EMPLOYEE, QUESTION, event_id="EvQUESTION1")
    await slack.settled()
    answer = fake.replies()[-1]
    await slack.dm(EMPLOYEE, QUESTION, event_id="EvQUESTION1")  # the retry
    await slack.command(EMPLOYEE, "help", channel=dm_of(EMPLOYEE))
    await slack.click(EMPLOYEE, button(answer, "Helpful"), channel=dm_of(EMPLOYEE))
    await slack.settled()
    # Teams: a question and help, and a redelivered activity.
    [card] = await teams.say(QUESTION)
    assert card.card is not None
    help_activity = teams.message("help")
    assert len(await teams.send(help_activity)) == 1
    assert await teams.send(help_activity) == []  # redelivered: not answered again

    m = await scrape(slack.client)

    events = "ambassador_events_total"
    assert value(m, events, platform="slack", type="message", outcome="answered") == 1
    assert value(m, events, platform="slack", type="message", outcome="duplicate") == 1
    assert value(m, events, platform="slack", type="command", outcome="answered") == 1
    assert value(m, events, platform="slack", type="action", outcome="answered") == 1
    assert value(m, events, platform="teams", type="message", outcome="answered") == 2
    assert value(m, events, platform="teams", type="message", outcome="duplicate") == 1
    assert not any(k[0] == events and ("outcome", "failed") in k[1] for k in m)
    assert value(m, "ambassador_events_received_total", platform="slack", type="message") == 2
    assert value(m, "ambassador_events_received_total", platform="teams", type="message") == 3

    # One latency observation per answer; a question answered offline is fast.
    assert value(m, "ambassador_answer_seconds_count", platform="slack", type="message") == 1
    assert value(m, "ambassador_answer_seconds_count", platform="teams", type="message") == 2
    assert value(m, "ambassador_answer_seconds_bucket", platform="slack", type="message", le="+Inf") == 1
    assert value(m, "ambassador_answer_seconds_sum", platform="slack", type="message") < 5

    # Two questions answered in the last hour, each with a verdict (go/check/no).
    verdicts = {v: value(m, "ambassador_answers_recent", verdict=v) for v in ("go", "check", "no")}
    assert sum(verdicts.values()) == 2
    assert verdicts["no"] == 2  # an unreleased prototype: not to be posted

    # Everything answered: nothing waits; the database answered the scrape.
    assert value(m, "ambassador_outbox_depth", outbox="inbound", status="pending") == 0
    assert value(m, "ambassador_outbox_depth", outbox="content_delivery", status="pending") == 0
    assert value(m, "ambassador_outbox_depth", outbox="poll_outbox", status="pending") == 0
    assert value(m, "ambassador_outbox_depth", outbox="crisis_escalation", status="pending") == 0
    assert value(m, "ambassador_database_up") == 1


async def test_a_failing_handler_shows_as_a_failed_event_and_an_error(aiohttp_client, fake, tmp_path):
    router = build_router()

    @router.command("explode", en=["explode"], de=["explodieren"])
    async def explode(ctx, msg: Incoming):
        raise RuntimeError("boom")

    settings = make_settings(tmp_path, **slack_env(fake))
    core = Core(settings, Database(settings.database_url), router)
    client = await aiohttp_client(create_app(settings, core=core, background=False))
    slack = SlackBot(client, fake)

    await slack.dm(EMPLOYEE, "explode")
    await slack.settled()
    assert "Sorry, something went wrong" in fake.replies()[-1]["text"]

    m = await scrape(client)
    assert value(m, "ambassador_events_total", platform="slack", type="message", outcome="failed") == 1
    assert value(m, "ambassador_errors_total", component="core") == 1


async def test_a_refused_answer_counts_as_a_delivery_failure_until_recovery_delivers_it(both, fake):
    slack, _teams = both
    fake.errors["chat.postMessage"] = "fatal_error"
    await slack.dm(EMPLOYEE, "help")
    await fake.wait_for("chat.postMessage")  # tried after the acknowledgement, refused
    await asyncio.wait(set(slack.adapter._inflight), timeout=5)
    m = await scrape(slack.client)
    assert value(m, "ambassador_answer_delivery_failures_total", platform="slack") == 1
    assert value(m, "ambassador_events_total", platform="slack", type="message", outcome="answered") is None
    # The answer is kept: the inbound work still waits.
    assert value(m, "ambassador_outbox_depth", outbox="inbound", status="pending") == 1

    del fake.errors["chat.postMessage"]
    core = slack.core
    # The kept answer's retry time has come (recovery goes by the lease).
    async with core.db.session() as s:
        await s.execute(text("UPDATE inboundtask SET lease_until = NULL"))
        await s.commit()
    assert await core.recover() == 1
    m = await scrape(slack.client)
    assert value(m, "ambassador_events_total", platform="slack", type="message", outcome="answered") == 1
    assert value(m, "ambassador_outbox_depth", outbox="inbound", status="pending") == 0


async def test_outbox_depth_and_escalations_come_from_the_database(any_core, aiohttp_client):
    core = any_core
    now = core.now()
    async with core.db.session() as s:
        person = Person(email="p@example.com")
        s.add(person)
        await s.flush()
        run = ContentRun(cycle="2026-03-02T08:30Z", wave="main", due_at=now)
        s.add(run)
        await s.flush()
        for i, status in enumerate(["pending", "pending", "pending", "uncertain", "failed", "sent"]):
            p = Person(email=f"d{i}@example.com")
            s.add(p)
            await s.flush()
            s.add(ContentDelivery(run_id=run.id, cycle=run.cycle, person_id=p.id, pseudonym=p.pseudonym,
                                  status=status, due_at=now))
        s.add(PollOutbox(kind="poll", ref_id=1, person_id=person.id, status="pending"))
        s.add(PollOutbox(kind="results", ref_id=1, person_id=person.id, status="failed"))
        s.add(CrisisReport(ref="K-1", reporter_pseudonym="P-1", status="open", next_at=now + timedelta(minutes=5)))
        s.add(CrisisReport(ref="K-2", reporter_pseudonym="P-2", status="open", next_at=None))
        s.add(CrisisReport(ref="K-3", reporter_pseudonym="P-3", status="acknowledged", next_at=None))
        await s.commit()
    # Accepted and not answered yet (the process stopped after the acknowledgement).
    assert await core.accept(Incoming(platform="slack", user_id="U1", conversation_id="D1", text="hi",
                                      event_id="Ev1")) is not None

    client = await aiohttp_client(create_app(core.settings, core=core, background=False))
    m = await scrape(client)
    depth = "ambassador_outbox_depth"
    assert value(m, depth, outbox="inbound", status="pending") == 1
    assert value(m, depth, outbox="content_delivery", status="pending") == 3
    assert value(m, depth, outbox="content_delivery", status="uncertain") == 1
    assert value(m, depth, outbox="content_delivery", status="failed") == 1
    assert value(m, depth, outbox="content_delivery", status="sending") == 0
    assert value(m, depth, outbox="poll_outbox", status="pending") == 1
    assert value(m, depth, outbox="poll_outbox", status="failed") == 1
    assert value(m, depth, outbox="crisis_escalation", status="pending") == 1
    assert value(m, depth, outbox="crisis_escalation", status="exhausted") == 1


async def test_a_missing_table_leaves_its_series_out_and_the_scrape_answers(core, aiohttp_client):
    async with core.db.session() as s:
        await s.execute(text("DROP TABLE poll_outbox"))
        await s.commit()
    client = await aiohttp_client(create_app(core.settings, core=core, background=False))
    m = await scrape(client)
    assert not any(("outbox", "poll_outbox") in k[1] for k in m)
    assert value(m, "ambassador_outbox_depth", outbox="inbound", status="pending") == 0
    assert value(m, "ambassador_database_up") == 1


async def test_an_unreachable_database_answers_the_scrape_with_database_down():
    metrics = Metrics()
    metrics.outbox.labels("inbound", "pending").set(7)  # left from an earlier scrape
    db = Database("postgresql://nobody@127.0.0.1:1/none")
    try:
        await metrics.refresh(db, utcnow)
    finally:
        await db.dispose()
    m = scraped(metrics.exposition().decode())
    assert value(m, "ambassador_database_up") == 0
    # A stale figure would mislead: it is gone, not frozen.
    assert value(m, "ambassador_outbox_depth", outbox="inbound", status="pending") is None


def test_each_core_counts_for_itself(tmp_path):
    """Two apps in one process (tests, or a shell beside the server) keep their figures apart."""
    first, second = Metrics(), Metrics()
    incoming = Incoming(platform="slack", user_id="U1", conversation_id="D1")
    first.event(incoming, "duplicate")
    assert value(scraped(first.exposition().decode()), "ambassador_events_total",
                 platform="slack", type="message", outcome="duplicate") == 1
    assert value(scraped(second.exposition().decode()), "ambassador_events_total",
                 platform="slack", type="message", outcome="duplicate") is None
