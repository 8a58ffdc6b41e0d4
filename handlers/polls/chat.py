"""The poll commands and the vote buttons."""

from __future__ import annotations

import re

from sqlalchemy import delete, func, or_, update
from sqlmodel import select

from bot.core import Context
from bot.messages import Field as ReplyField
from bot.messages import Incoming, Reply
from bot.router import BACKUP, COMMUNICATOR, EMPLOYEE, LEAD, Router
from handlers.polls.ballots import Tally, _upsert_voter, cast_ballot, person_key, seal_mask, tally
from handlers.polls.cards import _chosen, audience_name, poll_message, results_reply
from handlers.polls.config import log, polls_config
from handlers.polls.figures import poll_counts
from handlers.polls.jobs import close_poll, deliver_outbox
from handlers.polls.parse import PollInputError, parse_command, validate
from handlers.polls.service import create_poll, in_audience
from handlers.polls.times import _fmt, person_zone
from storage.models import aware
from storage.models_polls import Poll, PollOutbox, PollSeries, PollVoter


def register(router: Router) -> None:
    creators = [COMMUNICATOR, BACKUP, LEAD]
    router.command("poll", en=["poll"], de=["umfrage"], roles=creators, help_key="poll.desc",
                   usage_key="poll.usage")(poll_command)
    router.command("poll.list", en=["poll list", "polls"], de=["umfrage liste", "umfragen"], roles=creators,
                   help_key="poll.list_desc")(poll_list)
    router.command("poll.results", en=["poll results", "poll result"], de=["umfrage ergebnis", "umfrage ergebnisse"],
                   roles=[EMPLOYEE], help_key="poll.results_desc", usage_key="poll.results_usage")(poll_results)
    router.command("poll.close", en=["poll close"], de=["umfrage schließen", "umfrage schliessen", "umfrage beenden"],
                   roles=creators, help_key="poll.close_desc", usage_key="poll.close_usage")(poll_close)
    router.command("poll.stop", en=["poll stop"], de=["umfrage stopp", "umfrage stop"], roles=creators,
                   help_key="poll.stop_desc", usage_key="poll.stop_usage")(poll_stop)
    router.action("poll.vote", roles=[EMPLOYEE])(vote)
    router.action("poll.pick", roles=[EMPLOYEE])(vote)


async def poll_command(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    if not ctx.args.strip():
        return Reply(text=t("poll.help"))
    now = ctx.core.now()
    tz = person_zone(ctx.settings, ctx.person)
    channel = None if msg.is_direct else msg.conversation_id
    try:
        spec = parse_command(ctx.args)
        vp = validate(spec, settings=ctx.settings, now=now, tz=tz, roles=ctx.roles, departments=ctx.departments,
                      channel=channel)
    except PollInputError as exc:
        if exc.key == "poll.err_flag":
            exc.values["known"] = t("poll.help")
        return Reply(text=exc.say(t), private=True)
    poll, n = await create_poll(ctx.core, vp, creator=ctx.person, platform=msg.platform)
    await deliver_outbox(ctx.core, limit=polls_config(ctx.settings).deliver_batch, ref=("poll", poll.id))
    when = _fmt(vp.closes_at, tz, ctx.lang)
    lines = [t("poll.created", id=poll.id, audience=audience_name(vp, t), when=when)]
    if vp.audience_kind != "channel" and n == 0:
        lines = [t("poll.created_nobody", audience=audience_name(vp, t), when=when)]
    if vp.every_days:
        lines.append(t("poll.created_recurring", days=vp.every_days, id=poll.id))
    return Reply(text="\n".join(lines), private=True)


def _parse_id(args: str) -> int | None:
    m = re.fullmatch(r"#?(\d{1,9})", args.strip())
    return int(m.group(1)) if m else None


async def _load(ctx: Context, example: str) -> Poll | Reply:
    pid = _parse_id(ctx.args)
    if pid is None:
        return Reply(text=ctx.t("poll.bad_number", example=example), private=True)
    async with ctx.db.session() as s:
        poll = await s.get(Poll, pid)
    if poll is None:
        return Reply(text=ctx.t("poll.not_found", id=pid), private=True)
    return poll


def _may_manage(ctx: Context, poll: Poll) -> bool:
    if LEAD in ctx.roles or BACKUP in ctx.roles or poll.creator_id == ctx.person.id:
        return True
    return poll.audience_kind == "department" and poll.audience_value in ctx.departments


async def _load_managed(ctx: Context, en: str, de: str) -> Poll | Reply:
    """The poll named in the command, if the person may close or stop it; else the reply saying why not."""
    loaded = await _load(ctx, en if ctx.lang == "en" else de)
    if isinstance(loaded, Reply):
        return loaded
    if not _may_manage(ctx, loaded):
        return Reply(text=ctx.t("poll.not_yours", id=loaded.id), private=True)
    return loaded


async def poll_list(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    tz = person_zone(ctx.settings, ctx.person)
    async with ctx.db.session() as s:
        stmt = select(Poll).order_by(Poll.id.desc()).limit(20)
        if not (LEAD in ctx.roles or BACKUP in ctx.roles):
            stmt = stmt.where(or_(Poll.creator_id == ctx.person.id,
                                  (Poll.audience_kind == "department") & Poll.audience_value.in_(ctx.departments or ("",))))
        polls = (await s.exec(stmt)).all()
        ids = [p.id for p in polls]
        sent = dict((await s.exec(
            select(PollOutbox.ref_id, func.count()).where(PollOutbox.kind == "poll", PollOutbox.ref_id.in_(ids or [0]),
                                                          PollOutbox.status == "sent", PollOutbox.channel.is_(None))
            .group_by(PollOutbox.ref_id))).all())
    if not polls:
        return Reply(text=t("poll.list_none", usage=t("poll.usage")), private=True)
    async with ctx.db.engine.connect() as conn:
        voters = {pid: n for pid, (n, _) in (await poll_counts(conn, [(p.id, p.sealed, p.tally) for p in polls])).items()}
    now = ctx.core.now()
    fields = []
    for p in polls:
        closed = p.status == "closed" or aware(p.closes_at) <= now
        fields.append(ReplyField(
            f"#{p.id} {p.question}",
            t("poll.list_line", status=t("poll.status_closed" if closed else "poll.status_open"),
              when=_fmt(aware(p.closes_at), tz, ctx.lang), voters=voters.get(p.id, 0),
              of=t("poll.list_of", n=sent[p.id]) if sent.get(p.id) else ""),
        ))
    return Reply(title=t("poll.list_title"), text="", fields=fields, private=True)


async def poll_results(ctx: Context, msg: Incoming) -> Reply:
    loaded = await _load(ctx, "poll results 12" if ctx.lang == "en" else "umfrage ergebnis 12")
    if isinstance(loaded, Reply):
        return loaded
    poll = loaded
    t = ctx.t
    if not (_may_manage(ctx, poll) or await in_audience(ctx, poll)):
        return Reply(text=t("poll.not_for_you", id=poll.id, audience=audience_name(poll, t)), private=True)
    cfg = polls_config(ctx.settings)
    tl = await tally(ctx.db, poll, with_names=True, settings=ctx.settings)
    return results_reply(poll, t, person_zone(ctx.settings, ctx.person), tl, now=ctx.core.now(),
                         min_votes=cfg.min_anonymous_votes)


async def poll_close(ctx: Context, msg: Incoming) -> Reply:
    loaded = await _load_managed(ctx, "poll close 12", "umfrage schließen 12")
    if isinstance(loaded, Reply):
        return loaded
    t = ctx.t
    if not await close_poll(ctx.core, loaded.id, notify_creator=loaded.creator_id != ctx.person.id):
        return Reply(text=t("poll.already_closed", id=loaded.id), private=True)
    await deliver_outbox(ctx.core, limit=polls_config(ctx.settings).deliver_batch, ref=("results", loaded.id))
    async with ctx.db.session() as s:
        poll = await s.get(Poll, loaded.id)
    assert poll is not None
    cfg = polls_config(ctx.settings)
    tl = await tally(ctx.db, poll, with_names=True, settings=ctx.settings)
    res = results_reply(poll, t, person_zone(ctx.settings, ctx.person), tl, now=ctx.core.now(),
                        min_votes=cfg.min_anonymous_votes)
    res.text = t("poll.closed_now", id=poll.id, results="") + "\n" + res.text
    res.private = True
    return res


async def poll_stop(ctx: Context, msg: Incoming) -> Reply:
    loaded = await _load_managed(ctx, "poll stop 12", "umfrage stopp 12")
    if isinstance(loaded, Reply):
        return loaded
    t = ctx.t
    if loaded.series_id is None:
        return Reply(text=t("poll.not_recurring", id=loaded.id), private=True)
    async with ctx.db.session() as s:
        await s.execute(update(PollSeries).where(PollSeries.id == loaded.series_id).values(active=False))
        await s.commit()
    return Reply(text=t("poll.stopped", id=loaded.id), private=True)


def _vote_values(msg: Incoming) -> tuple[int, int] | None:
    values = msg.values or {}
    try:
        if "value" in values and isinstance(values["value"], str) and ":" in values["value"]:
            pid, _, idx = values["value"].partition(":")
            return int(pid), int(idx)
        return int(values["poll"]), int(values["o"])
    except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: Infinity, which JSON carries
        return None


async def vote(ctx: Context, msg: Incoming) -> Reply | list[Reply]:
    t = ctx.t
    parsed = _vote_values(msg)
    if parsed is None:
        return Reply(text=t("core.unknown_action"), private=True)
    pid, idx = parsed
    now = ctx.core.now()
    tz = person_zone(ctx.settings, ctx.person)
    async with ctx.db.session() as s:
        poll = await s.get(Poll, pid)
    if poll is None:
        return Reply(text=t("poll.gone"), private=True)
    if poll.status == "closed" or aware(poll.closes_at) <= now:
        return Reply(text=t("poll.closed_vote", id=poll.id,
                            when=_fmt(aware(poll.closed_at or poll.closes_at), tz, ctx.lang)), private=True)
    if not 0 <= idx < len(poll.options):
        return Reply(text=t("core.unknown_action"), private=True)
    if not await in_audience(ctx, poll):
        return Reply(text=t("poll.not_audience", id=poll.id, audience=audience_name(poll, t)), private=True)

    if poll.sealed and not ctx.settings.key.available:
        return Reply(text=t("poll.err_no_key"), private=True)
    key = person_key(ctx.settings, poll.id, ctx.person.id)
    tl: Tally | None = None
    # One transaction for the ballot, the voter and the counts the answer shows (this vote included).
    async with ctx.db.engine.begin() as conn:
        mine = await cast_ballot(ctx.db, poll, key, idx, conn=conn, mask=seal_mask(ctx.settings, poll, key))
        if not poll.anonymous:
            await _upsert_voter(conn, ctx.db, poll.id, ctx.person.id, key, now)
            tl = await tally(ctx.db, poll, with_names=True, conn=conn)
    log.info("poll vote recorded", extra={"poll": poll.id})

    cfg = polls_config(ctx.settings)
    if poll.anonymous:
        # The choice is shown once to the voter and kept in no message history (the platform's,
        # exports, eDiscovery): the poll message itself only says that a vote was recorded.
        choice = Reply(text=(t("poll.your_choice", choice=_chosen(poll, mine)) if mine else t("poll.no_choice")),
                       private=True, transient=True)
        if not msg.is_direct:
            return choice  # the channel message is everyone's and stays as it is
        recorded = poll_message(poll, t, tz, now=now, min_votes=cfg.min_anonymous_votes,
                                note=t("poll.recorded") if mine else t("poll.withdrawn"))
        recorded.update = True
        return [recorded, choice]
    # In a channel everyone sees the updated message, so it says nothing about "your" answer.
    reply = poll_message(poll, t, tz, now=now, tl=tl, mine=mine if msg.is_direct else None,
                         min_votes=cfg.min_anonymous_votes)
    reply.update = True
    return reply


async def my_poll_data(ctx: Context) -> list[tuple[str, str]]:
    async with ctx.db.session() as s:
        n = (await s.exec(select(func.count()).select_from(PollVoter).where(PollVoter.person_id == ctx.person.id))).one()
    return [(ctx.t("poll.data_votes"), ctx.t("poll.data_votes_value", n=n))]


async def forget_poll_data(ctx: Context) -> None:
    # The ballots stay and keep counting; what linked a named vote to the person goes.
    async with ctx.db.session() as s:
        await s.execute(delete(PollVoter).where(PollVoter.person_id == ctx.person.id))
        await s.execute(delete(PollOutbox).where(PollOutbox.person_id == ctx.person.id,
                                                 PollOutbox.status.in_(("pending", "sending", "sent", "failed"))))
        await s.commit()
