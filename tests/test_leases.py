"""One lease implementation (storage/leases.py) for the scheduler's jobs and content's sender, on SQLite
and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.scheduler import Scheduler
from handlers import content
from handlers.content.outbox import SENDER_LEASE_NAME
from storage import leases
from storage.models import Lease

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


async def _row(core, name: str) -> Lease | None:
    async with core.db.session() as s:
        return (await s.exec(select(Lease).where(Lease.name == name))).first()


async def test_a_lease_has_one_holder_until_it_runs_out(any_core):
    db = any_core.db
    assert await leases.take(db, "job", "a", now=T0, span=MINUTE)
    assert not await leases.take(db, "job", "b", now=T0 + timedelta(seconds=59), span=MINUTE)
    # The holder renews it; the other still waits for the renewed end.
    assert await leases.take(db, "job", "a", now=T0 + timedelta(seconds=30), span=MINUTE)
    assert not await leases.take(db, "job", "b", now=T0 + timedelta(seconds=80), span=MINUTE)
    # A holder that died: its lease runs out and another takes the work over.
    assert await leases.take(db, "job", "b", now=T0 + timedelta(seconds=91), span=MINUTE)
    row = await _row(any_core, "job")
    assert row.holder == "b"


async def test_takers_racing_for_a_new_lease_get_it_once(any_core):
    won = await asyncio.gather(*(leases.take(any_core.db, "fresh", f"h{i}", now=T0, span=MINUTE) for i in range(6)))
    assert won.count(True) == 1
    assert (await _row(any_core, "fresh")).holder == f"h{won.index(True)}"


async def test_a_released_lease_is_taken_at_once(any_core):
    db = any_core.db
    for name in ("one", "two"):
        assert await leases.take(db, name, "a", now=T0, span=MINUTE)
    assert await leases.take(db, "three", "other", now=T0, span=MINUTE)
    await leases.release(db, "a", name="one", until=T0)
    assert await leases.take(db, "one", "b", now=T0 + timedelta(seconds=1), span=MINUTE)
    assert not await leases.take(db, "two", "b", now=T0 + timedelta(seconds=1), span=MINUTE)
    await leases.release(db, "a", until=T0)  # all of a's leases: a process stopping
    assert await leases.take(db, "two", "b", now=T0 + timedelta(seconds=1), span=MINUTE)
    assert not await leases.take(db, "three", "b", now=T0 + timedelta(seconds=1), span=MINUTE)


async def test_the_scheduler_and_the_content_sender_share_the_lease_table(any_core):
    """A replica's scheduler holding the sender's lease keeps another's content sender out, and back."""
    scheduler = Scheduler(any_core.db, holder="replica-a")
    assert await scheduler.claim(SENDER_LEASE_NAME, 600)
    stats = await content.send_due(any_core)
    assert stats.busy
    await scheduler.release()
    stats = await content.send_due(any_core)
    assert not stats.busy
    # The sender gave its lease back when done: the scheduler gets it again at once.
    assert await scheduler.claim(SENDER_LEASE_NAME, 600)
