"""The outbox worker: claim each due row (compare-and-set), send it, record the outcome, back off.

Polls and meeting reports queue their messages as ``PollOutbox`` rows; each
capability works off its own kinds with its own ``send``, so neither needs the
other to deliver. A row is claimed for ``claim`` before it is sent: another
replica skips it meanwhile, and a replica that died mid-send leaves it to be
retried once the claim runs out.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import select

from storage.db import Database
from storage.models_polls import PollOutbox

CLAIM = timedelta(seconds=90)
MAX_ATTEMPTS = 5
PENDING = ("pending", "sending")


async def due_ids(db: Database, now: datetime, kinds: Iterable[str], *, limit: int,
                  ref: tuple[str, int] | None = None) -> list[int]:
    async with db.session() as s:
        stmt = (select(PollOutbox.id)
                .where(PollOutbox.status.in_(PENDING), PollOutbox.kind.in_(tuple(kinds)))
                .where(or_(PollOutbox.claim_until.is_(None), PollOutbox.claim_until < now))
                .order_by(PollOutbox.id).limit(limit))
        if ref is not None:
            stmt = stmt.where(PollOutbox.kind == ref[0], PollOutbox.ref_id == ref[1])
        return list((await s.exec(stmt)).all())


async def claim(db: Database, oid: int, now: datetime, *, hold: timedelta = CLAIM) -> PollOutbox | None:
    """The row, claimed for ``hold`` (its attempts counted), or None when another worker has it or it is done."""
    async with db.session() as s:
        claimed = await s.execute(
            update(PollOutbox).where(PollOutbox.id == oid, PollOutbox.status.in_(PENDING))
            .where(or_(PollOutbox.claim_until.is_(None), PollOutbox.claim_until < now))
            .values(status="sending", claim_until=now + hold, attempts=PollOutbox.attempts + 1))
        await s.commit()
        if claimed.rowcount != 1:
            return None
        return await s.get(PollOutbox, oid)


async def record_failure(db: Database, row: PollOutbox, error: str, now: datetime, *,
                         max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Back off exponentially; after ``max_attempts`` the row is failed for good. True when it is."""
    failed = row.attempts >= max_attempts
    async with db.session() as s:
        await s.execute(update(PollOutbox).where(PollOutbox.id == row.id).values(
            status="failed" if failed else "pending", error=error[:500],
            claim_until=None if failed else now + timedelta(seconds=30 * 2 ** row.attempts)))
        await s.commit()
    return failed


async def record_sent(db: Database, row: PollOutbox, sent_at: datetime, *, keep: bool = True) -> None:
    """Mark the row sent; ``keep=False`` deletes it instead (what it says must not outlive its sending)."""
    async with db.session() as s:
        if keep:
            await s.execute(update(PollOutbox).where(PollOutbox.id == row.id)
                            .values(status="sent", sent_at=sent_at, claim_until=None, error=None))
        else:
            await s.execute(delete(PollOutbox).where(PollOutbox.id == row.id))
        await s.commit()


async def deliver_due(
    db: Database,
    *,
    clock: Callable[[], datetime],
    kinds: Iterable[str],
    send: Callable[[PollOutbox], Awaitable[None]],
    limit: int = 200,
    ref: tuple[str, int] | None = None,
    plain_errors: tuple[type[BaseException], ...] = (),
    forget_when_sent: tuple[str, ...] = (),
    log: logging.Logger | None = None,
    what: str = "outbox message",
) -> int:
    """Send the due rows of ``kinds`` (of ``ref`` alone, when given); returns how many went out.

    An exception of ``plain_errors`` is recorded by its message alone (it is written for people),
    any other with its type. Rows of a kind in ``forget_when_sent`` are deleted once sent.
    """
    now = clock()
    sent = 0
    for oid in await due_ids(db, now, kinds, limit=limit, ref=ref):
        row = await claim(db, oid, now)
        if row is None:
            continue
        try:
            await send(row)
        except Exception as exc:
            error = str(exc) if isinstance(exc, plain_errors) else f"{type(exc).__name__}: {exc}"
            failed = await record_failure(db, row, error[:500], now)
            if log is not None:
                log.warning(f"{what} not delivered", extra={"kind": row.kind, "ref": row.ref_id, "final": failed})
            continue
        await record_sent(db, row, clock(), keep=row.kind not in forget_when_sent)
        sent += 1
    return sent
