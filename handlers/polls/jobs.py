"""The polls' scheduled work: new rounds of a series, reminders, closing, and their outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import select

from bot.core import Core, DeliveryError
from bot.messages import Reply
from handlers.polls.ballots import _sealed_counts, person_key, seal_mask, tally
from handlers.polls.cards import poll_message, results_reply
from handlers.polls.config import log, polls_config
from handlers.polls.parse import ValidPoll
from handlers.polls.service import create_poll
from handlers.polls.times import _fmt, person_zone
from storage import outbox
from storage.models import Identity, Person, aware
from storage.models_polls import Poll, PollBallot, PollOutbox, PollSeries


async def polls_job(core: Core) -> None:
    await run_due(core)


async def run_due(core: Core) -> None:
    """Everything the polls job does, in order: new rounds, reminders, closing, then the outbox."""
    await start_due_series(core)
    await queue_reminders(core)
    for poll_id in await due_to_close(core):
        await close_poll(core, poll_id)
    await deliver_outbox(core, limit=polls_config(core.settings).deliver_batch)


async def start_due_series(core: Core) -> int:
    now = core.now()
    started = 0
    async with core.db.session() as s:
        due = (await s.exec(select(PollSeries).where(PollSeries.active.is_(True), PollSeries.next_at <= now)
                            .limit(50))).all()
    for series in due:
        nxt = aware(series.next_at)
        while nxt <= now:  # a long stop of the bot does not start the missed rounds all at once
            nxt += timedelta(days=series.every_days)
        async with core.db.session() as s:
            claimed = await s.execute(update(PollSeries).where(PollSeries.id == series.id,
                                                               PollSeries.next_at == series.next_at)
                                      .values(next_at=nxt))
            await s.commit()
        if claimed.rowcount != 1:
            continue
        tpl = series.template
        closes = now + timedelta(seconds=float(tpl.get("duration_s") or 86400))
        remind = closes - timedelta(seconds=float(tpl["remind_before_s"])) if tpl.get("remind_before_s") else None
        vp = ValidPoll(tpl["question"], list(tpl["options"]), bool(tpl.get("multi")), bool(tpl.get("anonymous")),
                       tpl.get("audience_kind", "members"), tpl.get("audience_value", ""), closes, remind, None)
        creator = None
        if series.creator_id:
            async with core.db.session() as s:
                creator = await s.get(Person, series.creator_id)
        if vp.anonymous and not core.settings.key.available:
            log.error("recurring anonymous poll not started: no program key (AMBASSADOR_SECRET or the key file)",
                      extra={"series": series.id})
            continue
        await create_poll(core, vp, creator=creator, platform=tpl.get("platform"), series_id=series.id)
        started += 1
    return started


async def queue_reminders(core: Core) -> int:
    now = core.now()
    queued = 0
    async with core.db.session() as s:
        due = (await s.exec(select(Poll.id).where(Poll.status == "open", Poll.remind_at <= now,
                                                  Poll.reminded_at.is_(None), Poll.closes_at > now))).all()
    for poll_id in due:
        async with core.db.session() as s:
            claimed = await s.execute(update(Poll).where(Poll.id == poll_id, Poll.reminded_at.is_(None))
                                      .values(reminded_at=now))
            if claimed.rowcount != 1:
                await s.rollback()
                continue
            recipients = (await s.exec(select(PollOutbox.person_id).where(
                PollOutbox.kind == "poll", PollOutbox.ref_id == poll_id, PollOutbox.status == "sent",
                PollOutbox.person_id.is_not(None), PollOutbox.channel.is_(None)))).all()
            poll = await s.get(Poll, poll_id)
            if poll is None or (poll.sealed and not core.settings.key.available):
                await s.rollback()
                continue
            ballots = (await s.exec(select(PollBallot.voter_key, PollBallot.choices)
                                    .where(PollBallot.poll_id == poll_id))).all()
            voted = {k for k, c in ballots if int(c) ^ seal_mask(core.settings, poll, k)}
            # Keys are compared in memory and not kept: only "reminded" rows remain, and they
            # are deleted once sent.
            missing = [pid for pid in recipients if person_key(core.settings, poll_id, pid) not in voted]
            s.add_all([PollOutbox(kind="remind", ref_id=poll_id, person_id=pid, created_at=now) for pid in missing])
            await s.commit()
            queued += len(missing)
    return queued


async def due_to_close(core: Core) -> list[int]:
    async with core.db.session() as s:
        query = select(Poll.id).where(Poll.status == "open", Poll.closes_at <= core.now())
        if not core.settings.key.available:
            query = query.where(Poll.sealed.is_(False))  # counted only with the key: another replica closes it
        return list((await s.exec(query.order_by(Poll.closes_at).limit(100))).all())


async def close_poll(core: Core, poll_id: int, *, notify_creator: bool = True) -> bool:
    """Close once (compare-and-set); the results go to the creator and, for a channel poll, to the channel."""
    now = core.now()
    async with core.db.session() as s:
        closed = await s.execute(update(Poll).where(Poll.id == poll_id, Poll.status == "open")
                                 .values(status="closed", closed_at=now))
        if closed.rowcount != 1:
            await s.rollback()
            return False
        poll = await s.get(Poll, poll_id)
        assert poll is not None
        if poll.sealed:
            # The totals stay; the ballots go: after closing nothing is left to link, even with the key.
            tl = await _sealed_counts(await s.connection(), core.settings, poll)
            poll.tally = {"voters": tl.voters, "counts": tl.counts}
            await s.execute(delete(PollBallot).where(PollBallot.poll_id == poll_id))
        if notify_creator and poll.creator_id:
            s.add(PollOutbox(kind="results", ref_id=poll_id, person_id=poll.creator_id, created_at=now))
        channel = (await s.exec(select(PollOutbox).where(PollOutbox.kind == "poll", PollOutbox.ref_id == poll_id,
                                                         PollOutbox.channel.is_not(None)))).first()
        if channel is not None:
            s.add(PollOutbox(kind="results", ref_id=poll_id, channel=channel.channel, platform=channel.platform,
                             person_id=None, created_at=now))
        await s.commit()
    log.info("poll closed", extra={"poll": poll_id})
    return True


POLL_KINDS = ("poll", "remind", "results")


async def deliver_outbox(core: Core, *, limit: int = 200, ref: tuple[str, int] | None = None) -> int:
    """Send the polls' due outbox rows (meeting reports send their own: handlers/meetings)."""
    cache: dict[tuple[str, int], Any] = {}

    async def send(row: PollOutbox) -> None:
        await _send(core, row, cache)

    # Who was reminded says who had not voted: a reminder is not kept once sent.
    return await outbox.deliver_due(core.db, clock=core.now, kinds=POLL_KINDS, send=send, limit=limit, ref=ref,
                                    plain_errors=(DeliveryError,), forget_when_sent=("remind",), log=log,
                                    what="poll message")


async def _send(core: Core, row: PollOutbox, cache: dict[tuple[str, int], Any]) -> None:
    person = None
    if row.person_id is not None:
        async with core.db.session() as s:
            person = await s.get(Person, row.person_id)
    t = core.translator(core.language_of(person))
    tz = person_zone(core.settings, person)
    key = ("poll", row.ref_id)
    if key not in cache:
        async with core.db.session() as s:
            cache[key] = await s.get(Poll, row.ref_id)
    poll = cache[key]
    if poll is None:
        return
    now = core.now()
    min_votes = polls_config(core.settings).min_anonymous_votes
    if row.kind == "results":
        tl = await tally(core.db, poll, with_names=False, settings=core.settings)
        reply = results_reply(poll, t, tz, tl, now=now, min_votes=min_votes)
        reply.text = t("poll.closed_notice", id=poll.id, question=poll.question) + "\n" + reply.text
        replies = [reply]
    else:
        tl = await tally(core.db, poll, with_names=False, settings=core.settings) if not poll.anonymous else None
        note = t("poll.reminder", when=_fmt(aware(poll.closes_at), tz, t.lang)) if row.kind == "remind" else None
        replies = [poll_message(poll, t, tz, now=now, tl=tl, note=note, min_votes=min_votes)]
    if row.channel:
        await _post_channel(core, row, replies)
    elif row.person_id is not None:
        await core.notify(row.person_id, replies)


async def _post_channel(core: Core, row: PollOutbox, replies: list[Reply]) -> None:
    platform = row.platform or ""
    if platform not in core.senders:
        raise DeliveryError(f"{platform or 'the platform'} is not connected")
    user_id = None
    if platform == "teams":
        # Teams reaches a channel through a conversation reference of someone in it: the poll's creator.
        # (Slack would read a user id as "show it to this person only".)
        async with core.db.session() as s:
            poll = await s.get(Poll, row.ref_id)
            ident = (await s.exec(select(Identity).where(Identity.person_id == poll.creator_id,
                                                         Identity.platform == platform))).first() if poll else None
        user_id = ident.user_id if ident else None
    await core.post_to_channel(platform, row.channel or "", replies, user_id)


_OUTBOX = PollOutbox.__table__


_OUTBOX_STATUSES = ("pending", "sending", "failed")


def _outbox_depth(now: datetime) -> Any:
    return (select(_OUTBOX.c.status, func.count())
            .where(_OUTBOX.c.status.in_(_OUTBOX_STATUSES))
            .group_by(_OUTBOX.c.status))
