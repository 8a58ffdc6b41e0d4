"""``meeting``, ``meeting report`` and ``meeting summary``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core import Context
from bot.messages import Incoming, Reply
from bot.router import BACKUP, COMMUNICATOR, EMPLOYEE, LEAD, Router
from handlers.meetings.cards import _fmt, _where
from handlers.meetings.config import (
    SUMMARY_MAX,
    _zone,
    default_period,
    log,
    meetings_config,
    next_meeting,
    parse_period,
    previous_meeting,
    report_root,
    scheduled,
)
from handlers.meetings.jobs import deliver_outbox
from handlers.meetings.report import (
    ReportWriter,
    build_report,
    summary_reply,
)
from handlers.meetings.scope import _scope, _scope_dir
from handlers.polls import audience_ids, polls_config
from storage.models import aware
from storage.models_polls import Meeting, PollOutbox


def register(router: Router) -> None:
    readers = [COMMUNICATOR, BACKUP, LEAD]
    router.command("meeting", en=["meeting", "next meeting"], de=["treffen", "besprechung", "nächstes treffen"],
                   roles=[EMPLOYEE], help_key="meeting.desc")(meeting_next)
    router.command("meeting.report", en=["meeting report"], de=["treffen bericht", "besprechung bericht"],
                   roles=readers, help_key="meeting.report_desc", usage_key="meeting.report_usage")(meeting_report)
    router.command("meeting.summary", en=["meeting summary"],
                   de=["treffen zusammenfassung", "besprechung zusammenfassung"], roles=[BACKUP, LEAD],
                   help_key="meeting.summary_desc", usage_key="meeting.summary_usage")(meeting_summary)


async def meeting_next(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    if not scheduled(ctx.settings):
        return Reply(text=t("meeting.none") + "\n" + t("meeting.topics_hint"))
    cfg = meetings_config(ctx.settings)
    tz = _zone(cfg, ctx.settings)
    when = next_meeting(cfg, ctx.core.now(), tz)
    return Reply(text=t("meeting.next", when=_fmt(when, tz, ctx.lang) + f" ({tz.key})") + "\n" + t("meeting.topics_hint"))


async def meeting_report(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    cfg = meetings_config(ctx.settings)
    tz = _zone(cfg, ctx.settings)
    now = ctx.core.now()
    if ctx.args.strip():
        period = parse_period(ctx.args, tz)
        if period is None:
            return Reply(text=t("meeting.bad_dates"), private=True)
    else:
        period = default_period(ctx.settings, now)
    min_votes = polls_config(ctx.settings).min_anonymous_votes
    scope = await _scope(ctx.core, ctx.person)
    folder = _scope_dir(report_root(ctx.settings) / f"report-{now.astimezone(tz):%Y-%m-%d-%H%M%S}", scope)
    # Made first: its charts are drawn while the report's SQL runs.
    writer = ReportWriter(folder, t, timezone=tz.key, program=ctx.settings.app.program.name)
    try:
        report = await build_report(ctx.db, period, now=now, min_anonymous_votes=min_votes, departments=scope,
                                    writer=writer, sources=ctx.core.router.report_sources)
    except BaseException:
        writer.cancel()
        raise
    files = await asyncio.to_thread(writer.write, report)
    where, url = _where(ctx.settings, cfg, files)
    reply = summary_reply(report, t, tz, where=where, url=url)
    reply.private = True
    return reply


async def meeting_summary(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    text = ctx.args.strip()
    if not text:
        return Reply(text=t("meeting.summary_empty"), private=True)
    if len(text) > SUMMARY_MAX:
        return Reply(text=t("meeting.summary_long", n=len(text), max=SUMMARY_MAX), private=True)
    now = ctx.core.now()
    tz = ZoneInfo(ctx.settings.app.timezone)
    # The meeting the summary is about: the last one the rhythm in app.yaml says took place; without a
    # rhythm, today's (the lead held one and says so by sending its summary).
    if scheduled(ctx.settings):
        cfg = meetings_config(ctx.settings)
        held = previous_meeting(cfg, now + timedelta(seconds=1), _zone(cfg, ctx.settings))
        tz = _zone(cfg, ctx.settings)
    else:
        local = now.astimezone(tz)
        held = datetime.combine(local.date(), time(0), tzinfo=tz).astimezone(UTC)
    async with ctx.db.session() as s:
        meeting = (await s.exec(select(Meeting).where(Meeting.scheduled_at == held))).first()
        if meeting is not None and meeting.summary_at is not None:
            return Reply(text=t("meeting.summary_twice", date=_fmt(aware(meeting.scheduled_at), tz, ctx.lang, clock=False),
                                when=_fmt(aware(meeting.summary_at), tz, ctx.lang)), private=True)
        if meeting is None:
            meeting = Meeting(scheduled_at=held, period_from=held, period_to=held, status="ready", created_at=now)
            s.add(meeting)
        meeting.summary, meeting.summary_by, meeting.summary_at = text, ctx.person.display_name or ctx.person.email, now
        await s.flush()
        ids = await audience_ids(ctx.core, s, "members", "")
        s.add_all([PollOutbox(kind="summary", ref_id=meeting.id, person_id=pid, created_at=now) for pid in ids])
        await s.commit()
        meeting_id = meeting.id
    log.info("meeting summary queued", extra={"meeting": meeting_id, "recipients": len(ids)})
    await deliver_outbox(ctx.core, limit=polls_config(ctx.settings).deliver_batch,
                         ref=("summary", meeting_id))
    return Reply(text=t("meeting.summary_sent", n=len(ids)), private=True)
