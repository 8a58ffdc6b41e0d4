"""Planning a run: one ``content_delivery`` (outbox) row per person and one ``content_link`` row per
(item, person), written under a lease and unique constraints, so a run is planned once.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.config import Settings
from bot.core import Core
from bot.i18n import normalize_language
from bot.router import CORE
from handlers.content.cards import note_data
from handlers.content.config import ContentConfig, content_config
from handlers.content.holds import HoldCheck
from handlers.content.items import text_for
from handlers.content.models import ContentDelivery, ContentItem, ContentLink, ContentPref, ContentRun
from handlers.content.pacing import nudger
from handlers.content.schedule import quiet_until
from handlers.content.thanks import thanks_selection
from storage.models import Person, RoleGrant, aware

log = logging.getLogger("ambassador.content")


PLAN_LEASE = timedelta(minutes=5)
BIWEEKLY_GAP = timedelta(days=13)
PLAN_BATCH = 500


def item_text(item: ContentItem) -> str:
    return "\n".join(x for x in (item.title, item.url, item.text_de, item.text_en) if x)


# -- planning ----------------------------------------------------------------------------------


async def _core_emails(core: Core, s) -> set[str]:
    emails = {e.lower() for e in core.settings.app.roles.core_group}
    for g in (await s.exec(select(RoleGrant).where(RoleGrant.role == CORE).order_by(RoleGrant.changed_at))).all():
        (emails.add if g.granted else emails.discard)(g.email.lower())
    return emails


def is_live(item: ContentItem, at: datetime) -> bool:
    return (item.status == "approved"
            and (item.valid_from is None or aware(item.valid_from) <= at)
            and (item.valid_until is None or aware(item.valid_until) > at))


def _lang_of(person: Any, settings: Settings) -> str:
    return normalize_language(person.language) or settings.app.language.default


def _freshness(item: ContentItem) -> datetime:
    return aware(item.valid_from or item.decided_at or item.created_at) or datetime.min.replace(tzinfo=UTC)


async def ensure_run(core: Core, cycle: str, wave: str, due_at: datetime, kind: str = "nudge") -> int:
    async with core.db.session() as s:
        row = (await s.exec(select(ContentRun).where(ContentRun.cycle == cycle, ContentRun.wave == wave))).first()
        if row is not None:
            return row.id
        row = ContentRun(cycle=cycle, wave=wave, kind=kind, due_at=due_at.astimezone(UTC), created_at=core.now())
        s.add(row)
        try:
            await s.commit()
            return row.id
        except IntegrityError:
            await s.rollback()
    async with core.db.session() as s:
        return (await s.exec(select(ContentRun.id).where(ContentRun.cycle == cycle, ContentRun.wave == wave))).one()


async def plan_run(core: Core, run_id: int) -> int | None:
    """Write the outbox rows of one run. None when another process is planning it."""
    n = nudger(core)
    now = core.now()
    async with core.db.session() as s:
        res = await s.execute(
            update(ContentRun).where(ContentRun.id == run_id, ContentRun.status == "planning")
            .where(or_(ContentRun.lease_until.is_(None), ContentRun.lease_until < now, ContentRun.holder == n.holder))
            .values(holder=n.holder, lease_until=now + PLAN_LEASE)
        )
        await s.commit()
        if res.rowcount != 1:
            return None
        run = await s.get(ContentRun, run_id)
    if run.kind == "thanks":
        plans = await _thanks_plans(core, run, now)
    else:
        # A hold pauses the sending (below), not the planning: lifted, the run goes out whole.
        plans = await _plans(core, run, content_config(core.settings), now, None)
        await _add_notes(core, plans)
    written = 0
    for i in range(0, len(plans), PLAN_BATCH):
        written += await _write_plans(core, run, plans[i : i + PLAN_BATCH])
        async with core.db.session() as s:
            await s.execute(update(ContentRun).where(ContentRun.id == run_id, ContentRun.holder == n.holder)
                            .values(lease_until=core.now() + PLAN_LEASE))
            await s.commit()
    async with core.db.session() as s:
        total = (await s.exec(select(func.count()).select_from(ContentDelivery).where(ContentDelivery.run_id == run_id))).one()
        await s.execute(update(ContentRun).where(ContentRun.id == run_id, ContentRun.holder == n.holder)
                        .values(status="sending", planned=total, planned_at=core.now(), lease_until=None))
        await s.commit()
    log.info("content run planned", extra={"run": run_id, "cycle": run.cycle, "wave": run.wave, "deliveries": written})
    return written


@dataclass
class _Plan:
    person_id: int
    pseudonym: str
    lang: str
    due_at: datetime
    item_ids: list[int] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


async def _plans(core: Core, run: ContentRun, cfg: ContentConfig, now: datetime, check: HoldCheck | None) -> list[_Plan]:
    settings = core.settings
    async with core.db.session() as s:
        # Columns, not ORM objects: a run plans for every member at once.
        members = (await s.exec(select(Person.id, Person.pseudonym, Person.email, Person.language, Person.department,
                                       Person.timezone, Person.quiet_start, Person.quiet_end)
                                .where(Person.is_member == True, Person.active == True,  # noqa: E712
                                       Person.is_guest == False).order_by(Person.id))).all()  # noqa: E712
        prefs = dict((await s.exec(select(ContentPref.person_id, ContentPref.frequency))).all())
        items = [i for i in (await s.exec(select(ContentItem).where(ContentItem.status == "approved"))).all()
                 if is_live(i, now) and not (check and check(item_text(i)))]
        ids = [i.id for i in items]
        got: set[tuple[int, int]] = set()
        shares: dict[int, int] = {}
        if ids:
            got = {(r[0], r[1]) for r in (await s.exec(
                select(ContentLink.item_id, ContentLink.person_id).where(ContentLink.item_id.in_(ids)))).all()}
            shares = {r[0]: int(r[1]) for r in (await s.exec(
                select(ContentLink.item_id, func.count()).where(ContentLink.item_id.in_(ids),
                                                                ContentLink.shared_at.is_not(None))
                .group_by(ContentLink.item_id))).all()}
        planned = set((await s.exec(select(ContentDelivery.person_id).where(ContentDelivery.cycle == run.cycle))).all())
        # Only what every-two-weeks needs to know: a nudge in the last two weeks.
        last = {r[0]: aware(r[1]) for r in (await s.exec(
            select(ContentDelivery.person_id, func.max(ContentDelivery.due_at))
            .where(ContentDelivery.kind == "nudge", ContentDelivery.status.in_(("pending", "sending", "sent", "uncertain")),
                   ContentDelivery.due_at > aware(run.due_at) - BIWEEKLY_GAP - timedelta(days=1))
            .group_by(ContentDelivery.person_id))).all()}
        core_emails = await _core_emails(core, s)
    if not items:
        return []
    # Newest first; among the same day's items the least shared first.
    items.sort(key=lambda i: (-_freshness(i).toordinal(), shares.get(i.id, 0), -i.id))
    start = max(now, aware(run.due_at))
    plans: list[_Plan] = []
    quiet: dict[tuple[str | None, str | None, str | None], datetime] = {}
    for person in members:
        if person.id in planned:
            continue
        freq = prefs.get(person.id) or "weekly"
        if freq == "pause":
            continue
        previous = last.get(person.id)
        if freq == "biweekly" and previous is not None and aware(run.due_at) - previous < BIWEEKLY_GAP:
            continue
        is_core = (person.email or "").lower() in core_emails
        if run.wave == "early" and not is_core:
            continue
        lang = _lang_of(person, settings)
        chosen = []
        for item in items:
            if (item.id, person.id) in got or not text_for(item, lang):
                continue
            if item.audience == "core" and not is_core:
                continue
            if item.audience == "department" and (person.department or "").lower() != (item.department or "").lower():
                continue
            chosen.append(item.id)
            if len(chosen) >= cfg.max_items:
                break
        if not chosen:
            continue
        # Most people share the program's time zone and quiet hours: worked out once for each kind.
        kind = (person.timezone, person.quiet_start, person.quiet_end)
        if kind not in quiet:
            quiet[kind] = quiet_until(person, settings, start) or start
        plans.append(_Plan(person.id, person.pseudonym, lang, quiet[kind], chosen))
    return plans


async def _add_notes(core: Core, plans: list[_Plan]) -> None:
    """Other capabilities' lines for these nudges (the course's reminder), kept with each delivery
    in the person's language, so the nudge shows them whenever it goes out."""
    notes = await core.router.notes_for_nudge(core, [(p.person_id, p.lang) for p in plans])
    for p in plans:
        if notes.get(p.person_id):
            p.data["notes"] = [note_data(n) for n in notes[p.person_id]]


async def _write_plans(core: Core, run: ContentRun, plans: list[_Plan]) -> int:
    deliveries, links = ContentDelivery.__table__, ContentLink.__table__

    async def write(batch: list[_Plan]) -> int:
        # Three statements for the whole batch, in one transaction: a delivery is never there without its links.
        now = core.now()
        async with core.db.engine.begin() as conn:
            await conn.execute(insert(deliveries), [
                {"run_id": run.id, "cycle": run.cycle, "kind": run.kind, "person_id": p.person_id,
                 "pseudonym": p.pseudonym, "lang": p.lang, "status": "pending", "due_at": p.due_at, "attempts": 0,
                 "data": p.data, "created_at": now} for p in batch])
            if any(p.item_ids for p in batch):
                ids = dict((await conn.execute(select(deliveries.c.person_id, deliveries.c.id).where(
                    deliveries.c.cycle == run.cycle, deliveries.c.person_id.in_([p.person_id for p in batch])))).all())
                await conn.execute(insert(links), [
                    {"token": secrets.token_urlsafe(9), "delivery_id": ids[p.person_id], "item_id": item_id,
                     "person_id": p.person_id, "pseudonym": p.pseudonym, "position": pos, "clicks": 0, "created_at": now}
                    for p in batch for pos, item_id in enumerate(p.item_ids)])
        return len(batch)

    try:
        return await write(plans)
    except IntegrityError:
        # Someone planned some of these people at the same time (a lease that ran out
        # under a slow planner): one by one, the others' rows win.
        done = 0
        for p in plans:
            try:
                done += await write([p])
            except IntegrityError:
                continue
        return done


async def _thanks_plans(core: Core, run: ContentRun, now: datetime) -> list[_Plan]:
    month = run.cycle.split(":", 1)[1]
    chosen, _ = await thanks_selection(core, month)
    async with core.db.session() as s:
        planned = set((await s.exec(select(ContentDelivery.person_id).where(ContentDelivery.cycle == run.cycle))).all())
    start = max(now, aware(run.due_at))
    return [_Plan(c.person.id, c.person.pseudonym, _lang_of(c.person, core.settings),
                  quiet_until(c.person, core.settings, start) or start,
                  data={"month": month, "shares": c.shares, "clicks": c.clicks})
            for c in chosen if c.person.id not in planned]
