"""The path every event takes, made cheap under load without giving anything up.

Events arriving together are recorded in one transaction (a group commit) and
still each once; what the core reads about the sender comes with that
transaction, so a change made on one replica applies on the other at the next
message, with no cache to wait out.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.groupcommit import GroupCommit
from storage.models import InboundTask, ProcessedEvent
from tests.fakes.slack import EMPLOYEE, LEAD
from tests.test_replicas import clock, connector, fake, replicas  # noqa: F401 - fixtures
from tests.test_storage import Outbox, msg


async def count(core, model, *where) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model).where(*where))).one()


async def test_a_burst_of_events_with_retries_among_them_is_recorded_and_answered_once_each(any_core):
    # 30 events arriving at once, 15 of them delivered twice (Slack retried before the acknowledgement).
    burst = [msg("help", user=f"U{i % 30}", email=f"p{i % 30}@example.com", event_id=f"EvBurst{i % 30}")
             for i in range(45)]
    ids = await asyncio.gather(*(any_core.accept(m) for m in burst))
    accepted = [(task_id, m) for task_id, m in zip(ids, burst, strict=True) if task_id is not None]
    assert len(accepted) == 30
    assert await count(any_core, InboundTask) == 30 and await count(any_core, ProcessedEvent) == 30
    # Recorded together, not one transaction per event: the figure the throughput rests on.
    assert any_core._inbox.batches < 30

    outboxes = [Outbox() for _ in accepted]
    await asyncio.gather(*(any_core.run(task_id, m, out) for (task_id, m), out in zip(accepted, outboxes, strict=True)))
    assert all("What I can do for you" in out.text for out in outboxes)
    assert await count(any_core, InboundTask, InboundTask.status == "done") == 30
    # A later retry of any of them is still recognised.
    assert await any_core.accept(msg("help", user="U3", email="p3@example.com", event_id="EvBurst3")) is None


async def test_one_item_the_database_refuses_fails_alone_and_the_others_are_written():
    written: list[str] = []

    async def write(items: list[str]) -> list[str]:
        if "refused" in items:
            raise ValueError("the database refused a row")
        written.extend(items)
        return [f"id-{item}" for item in items]

    group = GroupCommit(write)
    results = await asyncio.gather(*(group.submit(item) for item in ("a", "refused", "b")), return_exceptions=True)
    assert results[0] == "id-a" and results[2] == "id-b"
    assert isinstance(results[1], ValueError)
    assert written == ["a", "b"]



async def test_a_database_outage_fails_the_waiting_callers_at_once_without_retrying_each():
    calls: list[list[str]] = []

    async def write(items: list[str]) -> list[str]:
        calls.append(items)
        raise ConnectionError("the database is away")

    group = GroupCommit(write, singly=lambda exc: not isinstance(exc, ConnectionError))
    results = await asyncio.gather(*(group.submit(item) for item in ("a", "b", "c")), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    assert calls == [["a", "b", "c"]]  # one attempt for the batch: the callers answer 500 now, Slack retries


@pytest.mark.postgres
async def test_a_language_set_on_one_replica_applies_to_the_next_message_on_the_other(replicas, fake):  # noqa: F811
    a, b = replicas
    await b.slack.dm(EMPLOYEE, "help")  # B has served this person before
    await b.slack.settled()
    assert "What I can do for you" in fake.replies()[-1]["text"]

    await a.slack.dm(EMPLOYEE, "language de")
    await a.slack.settled()
    await b.slack.dm(EMPLOYEE, "help")
    await b.slack.settled()
    assert "Was ich für" in fake.replies()[-1]["text"]


@pytest.mark.postgres
async def test_a_role_granted_on_one_replica_applies_to_the_next_message_on_the_other(replicas, fake):  # noqa: F811
    a, b = replicas
    await b.slack.dm(EMPLOYEE, "status")
    await b.slack.settled()
    assert "core ambassador group" not in _shown(fake.replies()[-1])

    await a.slack.dm(LEAD, "role add erik.employee@example.com core")
    await a.slack.settled()
    await b.slack.dm(EMPLOYEE, "status")
    await b.slack.settled()
    assert "core ambassador group" in _shown(fake.replies()[-1])


def _shown(reply: dict) -> str:
    """Everything a message shows: its text and its blocks."""
    return reply.get("text", "") + json.dumps(reply.get("blocks") or "", ensure_ascii=False)

