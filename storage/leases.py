"""Leases: one holder at a time for a named piece of work, across processes and replicas.

A ``Lease`` row names the work, its holder and until when the holder has it. ``take`` is one
compare-and-set: the lease is taken when it ran out or is the taker's already (then it is
renewed), and created when nobody ever held it; two takers racing for a new name meet on the
primary key and one of them loses. The scheduler's jobs (bot/scheduler.py) and content's sender
(handlers/content/outbox.py) take their leases here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import Lease


async def take(db: Database, name: str, holder: str, *, now: datetime, span: timedelta) -> bool:
    """Take or renew the lease ``name`` for ``holder`` until ``now + span``; False when another holds it."""
    until = now + span
    async with db.session() as s:
        res = await s.execute(
            update(Lease).where(Lease.name == name).where(or_(Lease.until < now, Lease.holder == holder))
            .values(holder=holder, until=until)
        )
        if res.rowcount == 1:
            await s.commit()
            return True
        if await s.get(Lease, name) is not None:
            return False
        s.add(Lease(name=name, holder=holder, until=until))
        try:
            await s.commit()
            return True
        except IntegrityError:
            return False


async def release(db: Database, holder: str, *, until: datetime, name: str | None = None) -> None:
    """Give up ``holder``'s lease ``name`` (all of its leases without a name): they run out at ``until``,
    so another holder takes them at once instead of waiting for them to expire."""
    stmt = update(Lease).where(Lease.holder == holder)
    if name is not None:
        stmt = stmt.where(Lease.name == name)
    async with db.session() as s:
        await s.execute(stmt.values(until=until))
        await s.commit()
