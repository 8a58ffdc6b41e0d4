"""Creating a poll (its deliveries queued first) and who is in its audience."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.config import Settings
from bot.core import Context, Core
from bot.router import CORE, EMPLOYEE
from handlers.polls.config import log
from handlers.polls.parse import ValidPoll
from storage.models import Person, RoleGrant
from storage.models_polls import Poll, PollOutbox, PollSeries


async def create_poll(core: Core, vp: ValidPoll, *, creator: Person | None, platform: str | None,
                      series_id: int | None = None) -> tuple[Poll, int]:
    """Store the poll and its deliveries (rows first); returns the poll and the number of recipients."""
    now = core.now()
    async with core.db.session() as s:
        poll = Poll(
            question=vp.question, options=vp.options, multi=vp.multi, anonymous=vp.anonymous,
            audience_kind=vp.audience_kind, audience_value=vp.audience_value,
            platform=platform if vp.audience_kind == "channel" else None,
            creator_id=creator.id if creator else None, creator_pseudonym=creator.pseudonym if creator else None,
            created_at=now, closes_at=vp.closes_at, remind_at=vp.remind_at, series_id=series_id,
            sealed=vp.anonymous,
        )
        s.add(poll)
        await s.flush()
        if vp.audience_kind == "channel":
            s.add(PollOutbox(kind="poll", ref_id=poll.id, channel=vp.audience_value, platform=platform,
                             created_at=now))
            n = 0
        else:
            ids = await audience_ids(core, s, vp.audience_kind, vp.audience_value)
            s.add_all([PollOutbox(kind="poll", ref_id=poll.id, person_id=pid, created_at=now) for pid in ids])
            n = len(ids)
        if vp.every_days and series_id is None:
            series = PollSeries(
                template={
                    "question": vp.question, "options": vp.options, "multi": vp.multi, "anonymous": vp.anonymous,
                    "audience_kind": vp.audience_kind, "audience_value": vp.audience_value, "platform": platform,
                    "duration_s": (vp.closes_at - now).total_seconds(),
                    "remind_before_s": (vp.closes_at - vp.remind_at).total_seconds() if vp.remind_at else None,
                },
                every_days=vp.every_days, next_at=now + timedelta(days=vp.every_days),
                creator_id=creator.id if creator else None, creator_pseudonym=creator.pseudonym if creator else None,
                created_at=now,
            )
            s.add(series)
            await s.flush()
            poll.series_id = series.id
        await s.commit()
    log.info("poll created", extra={"poll": poll.id, "audience": vp.audience_kind, "recipients": n,
                                    "anonymous": vp.anonymous})
    return poll, n


async def core_group_emails(s: Any, settings: Settings) -> set[str]:
    emails = {e.lower() for e in settings.app.roles.core_group}
    for g in (await s.exec(select(RoleGrant).where(RoleGrant.role == CORE, RoleGrant.department == "")
                           .order_by(RoleGrant.changed_at))).all():
        (emails.add if g.granted else emails.discard)(g.email.lower())
    return emails


def _audience_filter(kind: str, value: str, core_emails: set[str]) -> list[Any]:
    # Only people who joined the program get its messages: taking part is voluntary.
    where = [Person.is_member.is_(True), Person.active.is_(True), Person.is_guest.is_(False)]
    if kind == "department":
        where.append(func.lower(Person.department) == value.lower())
    elif kind == "core":
        where.append(Person.email.in_(sorted(core_emails) or [""]))
    return where


async def audience_ids(core: Core, s: Any, kind: str, value: str) -> list[int]:
    core_emails = await core_group_emails(s, core.settings) if kind == "core" else set()
    return list((await s.exec(select(Person.id).where(*_audience_filter(kind, value, core_emails))
                              .order_by(Person.id))).all())


async def in_audience(ctx: Context, poll: Poll) -> bool:
    person = ctx.person
    if poll.audience_kind == "channel":
        # Whoever sees the channel message may vote there; the button must come from that channel.
        return EMPLOYEE in ctx.roles and _same_channel(ctx.incoming.conversation_id, poll.audience_value)
    if not (person.is_member and person.active and not person.is_guest):
        return False
    if poll.audience_kind == "department":
        return (person.department or "").lower() == poll.audience_value.lower()
    if poll.audience_kind == "core":
        async with ctx.db.session() as s:
            return (person.email or "").lower() in await core_group_emails(s, ctx.settings)
    return True


def _same_channel(conversation_id: str, channel: str) -> bool:
    # A Teams channel conversation carries the thread after ';messageid=': the poll is a thread of its own.
    return conversation_id.split(";", 1)[0] == channel.split(";", 1)[0]
