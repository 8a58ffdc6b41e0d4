"""Sending: the outbox of the nudge and the thank-you worked off, paced, by one sender at a time.

Each row is claimed with a compare-and-set, marked 'sending' right before the platform call and
'sent' right after it; a row left in 'sending' is 'uncertain' and not sent again unless someone
says so. Platform errors are recognised by their text and attributes, never by importing an SDK.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import select

from bot.core import Core, DeliveryError
from bot.messages import Reply
from bot.text import one_line
from handlers.content.cards import first_name, nudge_reply, thanks_reply
from handlers.content.config import content_config
from handlers.content.holds import HOLD_RECHECK, HoldCheck, LiveHolds, hold_check
from handlers.content.models import ContentDelivery, ContentItem, ContentLink, ContentPref
from handlers.content.pacing import Pacer, nudger
from handlers.content.planning import is_live, item_text
from handlers.content.runs import finish_runs
from handlers.content.schedule import quiet_until
from storage import leases
from storage.models import Identity, Person, aware

log = logging.getLogger("ambassador.content")


# -- leases: one sender at a time -----------------------------------------------------------------

DRAIN = timedelta(seconds=5)  # a run waits this long at most for rows due again (a 429's Retry-After)
SENDER_LEASE = timedelta(minutes=2)
CLAIM_LEASE = timedelta(minutes=2)
# A send not finished this long after it began was cut off (the process stopped).
SENDING_STALE = timedelta(minutes=15)
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=1))
TERMINAL = ("sent", "skipped", "failed", "uncertain", "cancelled")
SENDER_LEASE_NAME = "content-sender"


async def take_lease(core: Core, name: str, holder: str, span: timedelta) -> bool:
    return await leases.take(core.db, name, holder, now=core.now(), span=span)


async def release_lease(core: Core, name: str, holder: str) -> None:
    await leases.release(core.db, holder, name=name, until=core.now() - timedelta(seconds=1))


# -- sending ----------------------------------------------------------------------------------


class Undelivered(Exception):
    def __init__(self, reason: str, detail: str, gone: list[tuple[str, str]] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.reason = reason  # transient | rate_limited | gone | unreachable | no_account
        self.detail = detail
        self.gone = gone or []
        self.retry_after = retry_after


def retry_after(exc: BaseException) -> float | None:
    """The Retry-After seconds of a platform's 429, found on the error's response headers."""
    e: BaseException | None = exc
    for _ in range(5):
        if e is None:
            break
        headers = getattr(getattr(e, "response", None), "headers", None)
        if hasattr(headers, "items"):
            for name, value in headers.items():
                if str(name).lower() == "retry-after":
                    value = value[0] if isinstance(value, list | tuple) and value else value
                    try:
                        return max(0.0, float(value))
                    except (TypeError, ValueError):
                        return None
        e = e.__cause__ or e.__context__
    return None


_SLACK_GONE = {"user_not_found", "account_inactive", "user_disabled", "users_not_found", "user_not_visible"}
_SLACK_UNREACHABLE = {"cannot_dm_bot", "messages_tab_disabled", "is_archived", "channel_not_found",
                      "not_in_channel", "restricted_action", "invalid_channel"}


def _status_of(exc: BaseException) -> int | None:
    seen = 0
    e: BaseException | None = exc
    while e is not None and seen < 5:
        if isinstance(getattr(e, "status", None), int):
            return e.status  # an HTTP client's error (aiohttp's, under the Teams SDK's connector client)
        response = getattr(e, "response", None)
        for attr in ("status", "status_code"):
            value = getattr(response, attr, None)
            if isinstance(value, int):
                return value
        e = e.__cause__ or e.__context__
        seen += 1
    m = re.search(r"\b(403|404|429)\b", str(exc))
    return int(m.group(1)) if m else None


def classify(platform: str, exc: BaseException) -> str:
    """What a platform's failure means for the nudge: gone, unreachable, rate_limited or transient."""
    text = str(exc)
    response = getattr(exc, "response", None)
    error = None
    if response is not None and hasattr(response, "get"):
        try:
            error = response.get("error")
        except Exception:
            error = None
    words = set(re.findall(r"[a-z_]+", text.lower()))
    if error in _SLACK_GONE or words & _SLACK_GONE:
        return "gone"
    if error == "ratelimited" or "ratelimited" in words:
        return "rate_limited"
    if error in _SLACK_UNREACHABLE or (platform == "slack" and words & _SLACK_UNREACHABLE):
        return "unreachable"
    if "no teams conversation is known" in text.lower():
        return "no_account"
    status = _status_of(exc)
    if status in (403, 404) or re.search(r"\b(Forbidden|Not ?Found)\b", text):
        return "gone" if platform != "slack" else "unreachable"
    if status == 429:
        return "rate_limited"
    return "transient"


async def _identities(s, person_ids: list[int]) -> dict[int, list[Identity]]:
    """The people's chat accounts, in one query for a whole batch."""
    identities: dict[int, list[Identity]] = {}
    for ident in (await s.exec(select(Identity).where(Identity.person_id.in_(person_ids or [0])).order_by(Identity.id))).all():
        identities.setdefault(ident.person_id, []).append(ident)
    return identities


async def deliver(core: Core, person_id: int, replies: list[Reply], key: str, *,
                  identities: list[Identity] | None = None) -> str:
    """Send to the person's direct chat through the core's delivery (``Core.notify``, the message carrying
    ``key`` where the platform can look it up again); raise Undelivered with a reason."""
    if identities is None:
        async with core.db.session() as s:
            identities = (await _identities(s, [person_id])).get(person_id, [])
    try:
        # The outbox records what did not arrive itself: nobody is told in the middle of an answer.
        return await core.notify(person_id, replies, identities=identities, key=key, note=False)
    except DeliveryError as exc:
        failures = [(f.platform, f.user_id, classify(f.platform, f.error), f.error) for f in exc.failures]
    if not failures:
        raise Undelivered("no_account", "no Slack or Teams account of this person is reachable from here")
    detail = "; ".join(f"{p}: {one_line(str(e), 160)}" for p, _, _, e in failures)
    kinds = {k for _, _, k, _ in failures}
    if "rate_limited" in kinds:
        waits = [w for _, _, k, e in failures if k == "rate_limited" and (w := retry_after(e)) is not None]
        raise Undelivered("rate_limited", detail, retry_after=max(waits) if waits else None)
    if "transient" in kinds:
        raise Undelivered("transient", detail)
    if "gone" in kinds:
        raise Undelivered("gone", detail, [(p, u) for p, u, k, _ in failures if k == "gone"])
    raise Undelivered("unreachable" if "unreachable" in kinds else "no_account", detail)


@dataclass
class SendStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    deferred: int = 0
    uncertain: int = 0
    reconciled: int = 0
    busy: bool = False  # another process holds the sender lease


async def send_due(core: Core, *, exclusive: bool = True, limit: int | None = None) -> SendStats:
    """Work off the due outbox rows, paced. ``limit`` stops after that many rows (tests, the benchmark).

    A feeder claims rows in batches ahead of the workers (no pause between batches), the
    workers send at the pacer's slots, and a writer commits the workers' marks together.
    """
    n = nudger(core)
    stats = SendStats()
    if exclusive and not await take_lease(core, SENDER_LEASE_NAME, n.holder, SENDER_LEASE):
        stats.busy = True
        return stats
    writer: _Writer | None = None
    feeder: asyncio.Task[None] | None = None
    try:
        await reconcile_stale(core, stats)
        holds = LiveHolds(core, await hold_check(core))
        _listen_for_rate_limits(core, n.pacer)
        # Two seconds of sends per claim: enough to keep the workers busy, little held under one claim.
        size = max(2 * n.concurrency, min(500, int(n.pacer.rate * 2)))
        queue: asyncio.Queue[tuple[ContentDelivery, str, _RowData] | None] = asyncio.Queue(maxsize=size)
        writer = _Writer(core, stats)
        feeder = asyncio.create_task(_feed(core, queue, size, limit, n.concurrency, n.holder if exclusive else None))
        await asyncio.gather(*(_worker(core, queue, stats, holds, writer) for _ in range(n.concurrency)))
        await feeder
        await writer.close()
    except asyncio.CancelledError:
        # Stopped (the process is going down): what was not committed stays as it is; rows left in
        # 'sending' are found by reconcile_stale later.
        if writer is not None:
            writer.abort()
        raise
    finally:
        if feeder is not None and not feeder.done():
            feeder.cancel()
        if exclusive:
            await release_lease(core, SENDER_LEASE_NAME, n.holder)
    await finish_runs(core)
    return stats


def _listen_for_rate_limits(core: Core, pacer: Pacer) -> None:
    """A sender that hears the platform's 429 (``Sender.on_rate_limit``) tells the pacer, so all workers
    hold, not only the one whose request was refused. The pacer of an earlier configuration of this core
    is replaced, not added to."""
    for sender in core.senders.values():
        sender.on_rate_limit(pacer.back_off)


async def _feed(core: Core, queue: asyncio.Queue[tuple[ContentDelivery, str, _RowData] | None], size: int,
                limit: int | None, workers: int, holder: str | None) -> None:
    left = limit
    drained: datetime | None = None
    try:
        while left is None or left > 0:
            rows = await _claim(core, size if left is None else min(size, left))
            if not rows:
                # Rows due in a moment (a retry after a 429's Retry-After) are finished by this run,
                # not left for the next tick; only while time moves on (a stopped clock ends it).
                await queue.join()  # what the workers have may come back due
                now = core.now()
                soon = await _next_due(core)
                if soon is None or soon - now > DRAIN or (drained is not None and now <= drained):
                    break
                drained = now
                await asyncio.sleep(max(0.0, (soon - now).total_seconds()) + 0.01)
                continue
            if left is not None:
                left -= len(rows)
            data = await _load(core, [r for r, _ in rows])
            for row, token in rows:
                await queue.put((row, token, data[row.id]))
            if holder is not None:
                await take_lease(core, SENDER_LEASE_NAME, holder, SENDER_LEASE)
    except Exception:
        # The database went away: the claimed rows are free again when their claim runs out.
        log.exception("claiming due deliveries failed")
    for _ in range(workers):
        await queue.put(None)


async def _next_due(core: Core) -> datetime | None:
    """When the next pending row nobody holds comes due."""
    now = core.now()
    async with core.db.session() as s:
        return aware((await s.exec(select(func.min(ContentDelivery.due_at)).where(
            ContentDelivery.status == "pending",
            or_(ContentDelivery.lease_until.is_(None), ContentDelivery.lease_until < now)))).one())


@dataclass
class _Mark:
    row_id: int
    token: str
    to: str  # sending | sent
    platform: str | None = None
    done: asyncio.Future[bool] | None = None
    deadline: float = 0.0  # sending: when the worker's slot comes (time.monotonic)


class _Writer:
    """Group commit for the outbox marks of all workers: one transaction for what is waiting.

    A row is marked 'sending' (committed) before its platform call; the worker waits for that,
    and its pacer slot is ahead anyway, so the writer gathers marks for a few milliseconds
    (never past the first slot) and commits them together. A 'sent' is queued without waiting
    and committed with the next transaction, at the latest together with the same worker's next
    'sending' (the queue keeps the order). So at any moment at most one row per worker is
    'sending' without its outcome in the database, as with one commit per mark, at a fraction
    of the commits.
    """

    # A commit that fails is tried again for about 7 s (0.05 s doubling, at most 2 s apart): a short
    # database outage then leaves no row 'sending' (uncertain where the platform can't be asked).
    RETRIES = 8
    GATHER = 0.03  # at most this long between the first mark waiting and its commit
    LEAD = 0.015  # a commit's time: the marks are stored this long before the first slot
    SENT_AGE = 0.25  # a 'sent' with no 'sending' after it is stored after this long at the latest

    def __init__(self, core: Core, stats: SendStats) -> None:
        self.core = core
        self.stats = stats
        self._marks: list[_Mark] = []
        self._wake = asyncio.Event()
        self._closing = False
        self._timer: asyncio.TimerHandle | None = None
        self._task = asyncio.create_task(self._run())

    async def sending(self, row_id: int, token: str, within: float = 0.0) -> bool:
        """Mark the row 'sending'; ``within``: seconds until the worker's slot. True: it is ours to send."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._marks.append(_Mark(row_id, token, "sending", done=done, deadline=time.monotonic() + max(0.0, within)))
        self._wake.set()
        return await done

    def sent(self, row_id: int, token: str, platform: str) -> None:
        self._marks.append(_Mark(row_id, token, "sent", platform))
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.SENT_AGE, self._wake.set)

    async def close(self) -> None:
        self._closing = True
        self._wake.set()
        await self._task

    def abort(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._task.cancel()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            deadlines = [m.deadline for m in self._marks if m.to == "sending"]
            if deadlines and not self._closing:
                pause = min(self.GATHER, min(deadlines) - self.LEAD - time.monotonic())
                if pause > 0:
                    await asyncio.sleep(pause)
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            while self._marks:
                marks, self._marks = self._marks, []
                await self._commit(marks)
            if self._closing:
                return

    async def _commit(self, marks: list[_Mark]) -> None:
        table = ContentDelivery.__table__
        c = table.c
        now = self.core.now()
        sent: dict[tuple[str, str | None], list[int]] = {}
        sending: dict[str, list[int]] = {}
        for m in marks:
            if m.to == "sent":
                sent.setdefault((m.token, m.platform), []).append(m.row_id)
            else:
                sending.setdefault(m.token, []).append(m.row_id)
        error: BaseException | None = None
        for attempt in range(self.RETRIES):
            try:
                done_sent: set[int] = set()
                done_sending: set[int] = set()
                async with self.core.db.engine.begin() as conn:
                    for (token, platform), ids in sent.items():
                        done_sent |= await _cas(conn, update(table).where(
                            c.id.in_(ids), c.claim_token == token, c.status.in_(("sending", "uncertain"))).values(
                            status="sent", sent_at=now, platform=platform, error=None, reason=None,
                            lease_until=None, claim_token=None), ids)
                    for token, ids in sending.items():
                        done_sending |= await _cas(conn, update(table).where(
                            c.id.in_(ids), c.claim_token == token, c.status == "pending").values(
                            status="sending", started_at=now, attempts=c.attempts + 1), ids)
                error = None
                break
            except Exception as exc:  # a busy or briefly unreachable database: try again shortly
                error = exc
                await asyncio.sleep(min(0.05 * 2**attempt, 2.0))
        if error is not None:
            # Rows stay 'sending' (found by reconcile_stale later) or 'pending' (claimed again): nothing is lost.
            log.error("outbox marks not stored", extra={"marks": len(marks), "error": str(error)[:200]})
        else:
            self.stats.sent += len(done_sent)
        for m in marks:
            if m.done is not None and not m.done.done():
                if error is not None:
                    m.done.set_exception(error)
                else:
                    m.done.set_result(m.row_id in done_sending)


async def _cas(conn: Any, stmt: Any, ids: list[int]) -> set[int]:
    """Run a compare-and-set UPDATE; the ids it changed."""
    if conn.dialect.update_returning:
        return set((await conn.execute(stmt.returning(ContentDelivery.__table__.c.id))).scalars())
    changed = set()
    for row_id in ids:  # without RETURNING: one statement per row tells which ones matched
        res = await conn.execute(stmt.where(ContentDelivery.__table__.c.id == row_id))
        if res.rowcount == 1:
            changed.add(row_id)
    return changed


@dataclass
class _RowData:
    person: Person | None
    pref: ContentPref | None
    links: list[ContentLink]
    items: dict[int, ContentItem]
    identities: list[Identity]


async def _load(core: Core, rows: list[ContentDelivery]) -> dict[int, _RowData]:
    """What sending a batch needs, in a handful of queries instead of several per message."""
    pids = [r.person_id for r in rows if r.person_id]
    async with core.db.session() as s:
        people = {p.id: p for p in (await s.exec(select(Person).where(Person.id.in_(pids or [0])))).all()}
        prefs = {p.person_id: p for p in (await s.exec(select(ContentPref).where(ContentPref.person_id.in_(pids or [0])))).all()}
        links: dict[int, list[ContentLink]] = {}
        for lk in (await s.exec(select(ContentLink).where(ContentLink.delivery_id.in_([r.id for r in rows]))
                                .order_by(ContentLink.position))).all():
            links.setdefault(lk.delivery_id, []).append(lk)
        item_ids = {lk.item_id for lks in links.values() for lk in lks}
        items = {i.id: i for i in (await s.exec(select(ContentItem).where(ContentItem.id.in_(item_ids or {0})))).all()}
        identities = await _identities(s, pids)
    return {r.id: _RowData(people.get(r.person_id), prefs.get(r.person_id), links.get(r.id, []), items,
                           identities.get(r.person_id, [])) for r in rows}


async def _worker(core: Core, queue: asyncio.Queue[tuple[ContentDelivery, str, _RowData] | None], stats: SendStats,
                  holds: LiveHolds, writer: _Writer) -> None:
    while (job := await queue.get()) is not None:
        row, token, data = job
        try:
            await _deliver_row(core, row, token, stats, await holds.get(), data, writer)
        finally:
            queue.task_done()


async def _claim(core: Core, size: int) -> list[tuple[ContentDelivery, str]]:
    now = core.now()
    token = uuid.uuid4().hex[:16]
    async with core.db.session() as s:
        q = (select(ContentDelivery.id)
             .where(ContentDelivery.status == "pending", ContentDelivery.due_at <= now)
             .where(or_(ContentDelivery.lease_until.is_(None), ContentDelivery.lease_until < now))
             .order_by(ContentDelivery.due_at).limit(size))
        if not core.db.is_sqlite:
            # Two senders skip each other's rows instead of queueing on the locks.
            q = q.with_for_update(skip_locked=True)
        ids = list((await s.exec(q)).all())
        if not ids:
            return []
        await s.execute(
            update(ContentDelivery).where(ContentDelivery.id.in_(ids), ContentDelivery.status == "pending")
            .where(or_(ContentDelivery.lease_until.is_(None), ContentDelivery.lease_until < now))
            .values(claim_token=token, lease_until=now + CLAIM_LEASE)
        )
        await s.commit()
        rows = (await s.exec(select(ContentDelivery).where(ContentDelivery.id.in_(ids),
                                                           ContentDelivery.claim_token == token)
                             .order_by(ContentDelivery.due_at, ContentDelivery.id))).all()
    return [(r, token) for r in rows]


async def _set(core: Core, row_id: int, token: str, from_status: Iterable[str], **values: Any) -> bool:
    async with core.db.session() as s:
        res = await s.execute(
            update(ContentDelivery).where(ContentDelivery.id == row_id, ContentDelivery.claim_token == token,
                                          ContentDelivery.status.in_(tuple(from_status))).values(**values)
        )
        await s.commit()
        return res.rowcount == 1


async def _release_links(core: Core, delivery_id: int, item_ids: Iterable[int] | None = None) -> None:
    """The person did not get these items: they may come again."""
    async with core.db.session() as s:
        q = delete(ContentLink).where(ContentLink.delivery_id == delivery_id)
        if item_ids is not None:
            q = q.where(ContentLink.item_id.in_(list(item_ids)))
        await s.execute(q)
        await s.commit()


async def _deliver_row(core: Core, row: ContentDelivery, token: str, stats: SendStats,
                       holds: HoldCheck | None, data: _RowData, writer: _Writer) -> None:
    try:
        await _deliver_row_inner(core, row, token, stats, holds, data, writer)
    except Exception:
        # A bug or the database away: the claim runs out and the row is tried again.
        log.exception("nudge delivery failed unexpectedly", extra={"delivery": row.id})


async def _deliver_row_inner(core: Core, row: ContentDelivery, token: str, stats: SendStats,
                             holds: HoldCheck | None, data: _RowData, writer: _Writer) -> None:
    now = core.now()
    settings = core.settings
    person, pref = data.person, data.pref
    done = dict(lease_until=None, claim_token=None)
    if person is None or not person.is_member or not person.active:
        reason = "left"
    elif row.kind == "thanks":
        reason = "opted_out" if pref is not None and not pref.thanks else None
    else:
        reason = "paused" if pref is not None and pref.frequency == "pause" else None
    if reason is not None:
        if await _set(core, row.id, token, ("pending",), status="cancelled", reason=reason, **done):
            await _release_links(core, row.id)
            stats.cancelled += 1
        return
    if holds is not None:
        # A posting hold pauses every nudge and thank-you, not only those on its topic: cheerful
        # content in the middle of a crisis reads badly. The row waits and goes out after the lift.
        if await _set(core, row.id, token, ("pending",), due_at=now + HOLD_RECHECK, **done):
            stats.deferred += 1
        return
    quiet = quiet_until(person, settings, now)
    if quiet is not None:
        # Not in anyone's quiet hours: the row waits until they end.
        if await _set(core, row.id, token, ("pending",), due_at=quiet, **done):
            stats.deferred += 1
        return
    t = core.translator(row.lang)
    if row.kind == "thanks":
        reply = thanks_reply(core, row.id, row.data or {}, first_name(person, t), t)
    else:
        links, items = data.links, data.items
        keep = [lk for lk in links if lk.item_id in items and is_live(items[lk.item_id], now)
                and not (holds and holds(item_text(items[lk.item_id])))]
        dropped = [lk.item_id for lk in links if lk not in keep]
        if dropped:
            await _release_links(core, row.id, dropped)
        if not keep:
            if await _set(core, row.id, token, ("pending",), status="cancelled", reason="retired", **done):
                stats.cancelled += 1
            return
        reply = nudge_reply(core, [(items[lk.item_id], lk) for lk in keep], t, (row.data or {}).get("notes"))
    pacer = nudger(core).pacer
    # The slot first: 'sending' is committed while the pacer's turn comes round.
    slot = pacer.reserve(row.person_id)
    if not await writer.sending(row.id, token, within=slot - pacer.clock()):
        return
    await pacer.until(slot)
    try:
        platform = await deliver(core, person.id, [reply], key=delivery_key(row), identities=data.identities)
    except Undelivered as exc:
        await _undelivered(core, row, token, exc, stats)
        return
    writer.sent(row.id, token, platform)


def delivery_key(row: ContentDelivery) -> str:
    """What the platform message carries to be found again after an interrupted send."""
    return f"ambassador-{'thanks' if row.kind == 'thanks' else 'nudge'}-{row.id}"


async def _undelivered(core: Core, row: ContentDelivery, token: str, exc: Undelivered, stats: SendStats) -> None:
    cfg = content_config(core.settings)
    done = dict(lease_until=None, claim_token=None)
    error = exc.detail[:500]
    if exc.reason in ("gone", "unreachable", "no_account"):
        if await _set(core, row.id, token, ("sending",), status="skipped", reason=exc.reason, error=error, **done):
            await _release_links(core, row.id)
            stats.skipped += 1
        for platform, user_id in exc.gone:
            if platform == "slack":
                # Slack says the account is gone: the person leaves the program, as on user_change.
                await core.deactivate(platform, user_id)
        log.info("nudge skipped", extra={"delivery": row.id, "reason": exc.reason})
        return
    if exc.reason == "rate_limited":
        nudger(core).pacer.back_off(exc.retry_after or 30)
    attempts = row.attempts + 1
    if attempts >= cfg.max_attempts:
        if await _set(core, row.id, token, ("sending",), status="failed", reason="error", error=error, **done):
            await _release_links(core, row.id)
            stats.failed += 1
        log.warning("nudge failed for good", extra={"delivery": row.id, "error": error[:200]})
        return
    if exc.reason == "rate_limited" and exc.retry_after:
        # The platform said when: then, not on the failure schedule.
        wait = timedelta(seconds=exc.retry_after)
    else:
        wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    if await _set(core, row.id, token, ("sending",), status="pending", due_at=core.now() + wait, error=error,
                  started_at=None, **done):
        stats.retried += 1
    log.info("nudge will be retried", extra={"delivery": row.id, "attempt": attempts, "in_s": wait.total_seconds()})


async def reconcile_stale(core: Core, stats: SendStats | None = None) -> int:
    """Rows left in 'sending' by a stopped process: found on the platform -> sent; known not sent -> pending;
    otherwise 'uncertain' (reported, never sent again blindly)."""
    now = core.now()
    async with core.db.session() as s:
        stale = (await s.exec(select(ContentDelivery).where(ContentDelivery.status == "sending",
                                                            ContentDelivery.started_at < now - SENDING_STALE))).all()
    changed = 0
    for row in stale:
        found = await _find_sent(core, row)
        async with core.db.session() as s:
            if found is True:
                values: dict[str, Any] = dict(status="sent", sent_at=now, reason="reconciled")
            elif found is False:
                values = dict(status="pending", due_at=now, started_at=None)
            else:
                values = dict(status="uncertain", reason="interrupted",
                              error="the process stopped during the send; it may or may not have arrived")
            res = await s.execute(update(ContentDelivery).where(ContentDelivery.id == row.id,
                                                                ContentDelivery.status == "sending",
                                                                ContentDelivery.started_at == row.started_at)
                                  .values(lease_until=None, claim_token=None, **values))
            await s.commit()
        if res.rowcount == 1:
            changed += 1
            if stats is not None:
                if found is True:
                    stats.reconciled += 1
                elif found is None:
                    stats.uncertain += 1
            log.warning("interrupted nudge send", extra={"delivery": row.id, "outcome": values["status"]})
    return changed


async def _find_sent(core: Core, row: ContentDelivery) -> bool | None:
    if row.person_id is None:
        return None
    async with core.db.session() as s:
        identities = (await s.exec(select(Identity).where(Identity.person_id == row.person_id))).all()
    answers = []
    for ident in identities:
        sender = core.senders.get(ident.platform)
        if sender is None:
            return None  # one platform that cannot tell is enough to stay uncertain
        try:
            answers.append(await sender.find_sent(ident.user_id, delivery_key(row)))
        except Exception as exc:
            log.warning("could not look the nudge up", extra={"delivery": row.id, "error": str(exc)[:200]})
            return None
    if any(a is True for a in answers):
        return True
    if answers and all(a is False for a in answers):
        return False
    return None
