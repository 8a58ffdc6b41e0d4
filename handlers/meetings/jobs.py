"""The meetings' scheduled work: the report before each meeting, and the meetings' outbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.core import Core, DeliveryError
from bot.router import BACKUP, COMMUNICATOR, LEAD
from handlers.meetings.cards import render_outbox
from handlers.meetings.config import (
    CLAIM,
    MeetingsConfig,
    _zone,
    log,
    meetings_config,
    next_meeting,
    previous_meeting,
    report_root,
    scheduled,
)
from handlers.meetings.kpis import Period
from handlers.meetings.report import (
    ReportWriter,
    build_report,
    report_to_json,
    write_report,
)
from handlers.meetings.scope import _scope, _scope_dir, scoped_copy
from handlers.polls import person_zone, polls_config
from storage import outbox
from storage.models import Person, RoleGrant
from storage.models_polls import Meeting, PollOutbox

MEETING_KINDS = ("report", "summary")


async def meetings_job(core: Core) -> None:
    await prepare_due(core)
    await deliver_outbox(core)


async def outbox_job(core: Core) -> None:
    """Retries of reports and summaries, as often as the polls' outbox is worked off."""
    await deliver_outbox(core, limit=polls_config(core.settings).deliver_batch)


async def deliver_outbox(core: Core, *, limit: int = 200, ref: tuple[str, int] | None = None) -> int:
    """Send the meetings' due outbox rows (reports and summaries); returns how many went out."""

    async def send(row: PollOutbox) -> None:
        person = None
        if row.person_id is not None:
            async with core.db.session() as s:
                person = await s.get(Person, row.person_id)
        t = core.translator(core.language_of(person))
        replies = await render_outbox(core, row, person, t, person_zone(core.settings, person))
        if row.person_id is not None:
            await core.notify(row.person_id, replies)

    return await outbox.deliver_due(core.db, clock=core.now, kinds=MEETING_KINDS, send=send, limit=limit, ref=ref,
                                    plain_errors=(DeliveryError,), log=log, what="meeting message")


async def recipients(core: Core, cfg: MeetingsConfig) -> list[str]:
    """E-mail addresses of the lead, the backups and the communicators (app.yaml plus chat changes)."""
    roles = core.settings.app.roles
    wanted = {"lead": LEAD, "backup": BACKUP, "communicators": COMMUNICATOR}
    kinds = {wanted[k] for k in cfg.send_to}
    held: dict[tuple[str, str, str], bool] = {}
    if roles.comms_lead:
        held[(LEAD, "", roles.comms_lead.lower())] = True
    for b in roles.backup:
        held[(BACKUP, "", b.lower())] = True
    for c in roles.communicators:
        held[(COMMUNICATOR, c.department, c.email.lower())] = True
    async with core.db.session() as s:
        for g in (await s.exec(select(RoleGrant).order_by(RoleGrant.changed_at))).all():
            held[(g.role, g.department, g.email.lower())] = g.granted
    return sorted({email for (role, _, email), on in held.items() if on and role in kinds})


async def prepare_due(core: Core) -> int | None:
    """Build and send the report of the next meeting once it is due; returns the meeting id when this call did."""
    if not scheduled(core.settings):
        return None
    cfg = meetings_config(core.settings)
    tz = _zone(cfg, core.settings)
    now = core.now()
    lead = timedelta(hours=cfg.lead_hours)
    meeting_at = next_meeting(cfg, now, tz)
    if now < meeting_at - lead:
        return None
    previous = previous_meeting(cfg, meeting_at, tz)
    period = Period(previous - lead, meeting_at - lead)
    async with core.db.session() as s:
        s.add(Meeting(scheduled_at=meeting_at, period_from=period.start, period_to=period.end, created_at=now))
        try:
            await s.commit()
        except IntegrityError:
            await s.rollback()
    async with core.db.session() as s:
        claimed = await s.execute(
            update(Meeting).where(Meeting.scheduled_at == meeting_at, Meeting.status == "preparing")
            .where(or_(Meeting.claim_until.is_(None), Meeting.claim_until < now))
            .values(claim_until=now + CLAIM))
        await s.commit()
        if claimed.rowcount != 1:
            return None
        meeting = (await s.exec(select(Meeting).where(Meeting.scheduled_at == meeting_at))).one()

    min_votes = polls_config(core.settings).min_anonymous_votes
    t = core.translator(cfg.language or core.settings.app.language.default)
    folder = report_root(core.settings) / f"meeting-{meeting_at.astimezone(tz):%Y-%m-%d}"
    writer = ReportWriter(folder, t, timezone=tz.key, program=core.settings.app.program.name)
    try:
        report = await build_report(core.db, period, now=now, min_anonymous_votes=min_votes, writer=writer,
                                    sources=core.router.report_sources)
    except BaseException:
        writer.cancel()
        raise
    await asyncio.to_thread(writer.write, report)

    targets: list[int] = []
    for email in await recipients(core, cfg):
        person = await core.person_by_email(email)
        if person is None:
            log.warning("meeting report recipient not known on any platform", extra={"meeting": meeting.id})
            continue
        scope = await _scope(core, person)
        if scope is not None:
            scoped = _scope_dir(folder, scope)
            if not (scoped / "report.html").exists():
                copy = await scoped_copy(core, report, scope)
                # Only the feedback differs: the charts are the lead's copy's.
                await asyncio.to_thread(write_report, copy, scoped, t, timezone=tz.key,
                                        program=core.settings.app.program.name, charts_from=folder)
        targets.append(person.id)

    async with core.db.session() as s:
        row = await s.get(Meeting, meeting.id)
        assert row is not None
        row.status, row.report_dir, row.figures, row.claim_until = "ready", str(folder), report_to_json(report), None
        for pid in sorted(set(targets)):
            s.add(PollOutbox(kind="report", ref_id=meeting.id, person_id=pid, created_at=now))
        await s.commit()
    log.info("meeting report prepared", extra={"meeting": meeting.id, "recipients": len(set(targets))})
    await deliver_outbox(core, ref=("report", meeting.id))
    return meeting.id
