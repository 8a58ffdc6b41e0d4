"""Holding posting on a topic: the lead's hold and lift, the members told in batches, and the guards
through which the holds reach the answer engine and the bot's own sends (declared in CAPABILITY)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterable

from sqlalchemy import func, or_, update
from sqlmodel import select

from bot.core import Context, Core, DeliveryError
from bot.messages import Reply
from bot.router import SendPause
from bot.text import clip
from handlers.crisis.config import CLAIM, DELIVERY_TIMEOUT, HOLD_BATCH
from handlers.crisis.helpers import _lang_of, _person
from handlers.crisis.models import CrisisEvent, Hold
from handlers.crisis.state import _spawn, _state
from storage.models import Person

log = logging.getLogger("ambassador.crisis")


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    # Start of a word, any ending: "recall" matches "recalls", "Rückruf" matches "Rückrufaktion".
    words = [re.escape(w) for w in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words), re.IGNORECASE)


def hold_matching(holds: Iterable[Hold], text: str) -> Hold | None:
    """The first active hold whose keywords the text mentions, or None."""
    for h in holds:
        if h.lifted_at is not None:
            continue
        for keyword in h.keywords:
            if keyword.strip() and _keyword_pattern(keyword.strip()).search(text):
                return h
    return None


# The answer engine asks for the holds on every question. They are read again after this many
# seconds: a hold placed or lifted on this replica applies to its next answer at once (hold and
# lift forget the list), one placed on another replica within this time.
ANSWER_HOLDS_TTL = 2.0


async def answer_guard(core: Core, text: str) -> str | None:
    """For the answer engine: a question on a held topic gets "no" with the lead's note."""
    st = _state(core)
    cached = st.answer_holds
    if cached is None or cached[0] <= time.monotonic() or cached[1].get_loop() is not asyncio.get_running_loop():
        # One read for all the questions arriving meanwhile.
        cached = (time.monotonic() + ANSWER_HOLDS_TTL, asyncio.ensure_future(active_holds(core)))
        st.answer_holds = cached
    try:
        holds = await asyncio.shield(cached[1])
    except Exception:
        if st.answer_holds is cached:
            st.answer_holds = None  # read again next time, not after the TTL
        raise
    found = hold_matching(holds, text)
    return found.note if found else None


async def send_guard(core: Core) -> SendPause | None:
    """For what the bot sends on its own (content's nudges and thank-yous): while any hold is in force,
    nothing cheerful goes out; the pause tells which texts are on a held topic. Raises when the holds
    cannot be read, so that the sender holds back rather than guess."""
    holds = await active_holds(core)
    if not holds:
        return None
    return SendPause(note="\n".join(h.note for h in holds), matches=lambda text: hold_matching(holds, text) is not None)


async def active_holds(core: Core) -> list[Hold]:
    """The holds in force now, newest first; the answer engine and the nudges consult them."""
    async with core.db.session() as s:
        return list((await s.exec(select(Hold).where(Hold.lifted_at.is_(None)).order_by(Hold.id.desc()))).all())


def parse_hold(args: str) -> tuple[list[str], str]:
    head, _, note = args.partition("--")
    head = head.strip()
    parts = [p.strip() for p in (head.split(",") if "," in head else head.split())]
    keywords: list[str] = []
    for p in parts:
        if p and p.lower() not in (k.lower() for k in keywords):
            keywords.append(clip(p, 80))
    return keywords[:20], note.strip()[:2000]


async def _member_count(core: Core) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(Person).where(
            Person.is_member.is_(True), Person.active.is_(True), Person.is_guest.is_(False)))).one()


async def hold(ctx: Context, args: str) -> Reply:
    t = ctx.t
    keywords, note = parse_hold(args)
    if not keywords:
        return Reply(text=t("crisis.hold_usage"))
    note = note or t("crisis.hold_default_note")
    now = ctx.core.now()
    async with ctx.db.session() as s:
        row = Hold(keywords=keywords, note=note, created_by_id=ctx.person.id, created_by_pseudonym=ctx.person.pseudonym,
                   created_at=now, notice="hold")
        s.add(row)
        await s.flush()
        s.add(CrisisEvent(hold_id=row.id, kind="hold_set", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym, detail={"keywords": keywords, "note": note}))
        await s.commit()
    _state(ctx.core).answer_holds = None
    _spawn(ctx.core, tell_members(ctx.core, row.id))
    return Reply(text=t("crisis.hold_set", keywords=", ".join(keywords), members=await _member_count(ctx.core)))


async def lift(ctx: Context, args: str) -> Reply:
    t = ctx.t
    holds = await active_holds(ctx.core)
    if not holds:
        return Reply(text=t("crisis.hold_none"))
    arg = args.strip().lower()
    if arg in ("all", "alle"):
        chosen = holds
    elif arg:
        chosen = [h for h in holds if str(h.id) == arg.lstrip("#") or any(k.lower() == arg for k in h.keywords)] or [
            h for h in holds if hold_matching([h], arg)]
    else:
        chosen = holds if len(holds) == 1 else []
    if not chosen:
        return Reply(text=t("crisis.hold_which", holds="; ".join(", ".join(h.keywords) for h in holds)))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        for h in chosen:
            await s.execute(update(Hold).where(Hold.id == h.id, Hold.lifted_at.is_(None)).values(
                lifted_at=now, lifted_by_id=ctx.person.id, notice="lift", notice_cursor=0, notified=0, failed=0,
                claim_until=None))
            s.add(CrisisEvent(hold_id=h.id, kind="hold_lifted", at=now, actor_id=ctx.person.id,
                              actor_pseudonym=ctx.person.pseudonym, detail={"keywords": h.keywords}))
        await s.commit()
    _state(ctx.core).answer_holds = None
    for h in chosen:
        _spawn(ctx.core, tell_members(ctx.core, h.id))
    return Reply(text=t("crisis.lifted", keywords="; ".join(", ".join(h.keywords) for h in chosen)))


async def tell_members(core: Core, hold_id: int) -> None:
    """Tell every member about a hold (or its lifting), in batches; a restart resumes after the last batch."""
    while True:
        now = core.now()
        async with core.db.session() as s:
            claimed = await s.execute(
                update(Hold).where(Hold.id == hold_id, Hold.notice != "done",
                                   or_(Hold.claim_until.is_(None), Hold.claim_until < now))
                .values(claim_until=now + CLAIM))
            await s.commit()
            if claimed.rowcount != 1:
                return
            row = await s.get(Hold, hold_id)
            members = (await s.exec(
                select(Person).where(Person.is_member.is_(True), Person.active.is_(True), Person.is_guest.is_(False),
                                     Person.id > row.notice_cursor)
                .order_by(Person.id).limit(HOLD_BATCH))).all()
        what = row.notice
        keywords = ", ".join(row.keywords)

        async def one(person: Person, what: str = what, note: str = row.note, keywords: str = keywords) -> str | None:
            t = core.translator(_lang_of(core, person))
            reply = (Reply(title=t("crisis.hold_notice_title", keywords=keywords), text=t("crisis.hold_notice", note=note))
                     if what == "hold" else Reply(text=t("crisis.lift_notice", keywords=keywords)))
            try:
                await asyncio.wait_for(core.notify(person.id, [reply]), DELIVERY_TIMEOUT)
                return None
            except (DeliveryError, TimeoutError) as exc:
                return str(exc)[:300] or "timed out"

        errors = await asyncio.gather(*(one(p) for p in members))
        async with core.db.session() as s:
            row = await s.get(Hold, hold_id)
            if row.notice != what:
                return  # lifted meanwhile: the lifting is told from the start by its own run
            failed = [(p, e) for p, e in zip(members, errors, strict=True) if e]
            for p, e in failed:
                s.add(CrisisEvent(hold_id=hold_id, kind="hold_notice_failed", at=core.now(),
                                  detail={"pseudonym": p.pseudonym, "what": what, "error": e}))
            row.notified += len(members) - len(failed)
            row.failed += len(failed)
            row.claim_until = None
            finished = len(members) < HOLD_BATCH
            if members:
                row.notice_cursor = members[-1].id
            if finished:
                row.notice = "done"
                s.add(CrisisEvent(hold_id=hold_id, kind="hold_told", at=core.now(),
                                  detail={"what": what, "notified": row.notified, "failed": row.failed}))
            s.add(row)
            await s.commit()
        if finished:
            await _hold_summary(core, row, what)
            return


async def _hold_summary(core: Core, row: Hold, what: str) -> None:
    who = row.lifted_by_id if what == "lift" else row.created_by_id
    if who is None:
        return
    t = core.translator(_lang_of(core, await _person(core, who)))
    text = t("crisis.hold_summary", what=t(f"crisis.{what}_word"), keywords=", ".join(row.keywords),
             notified=row.notified, failed=row.failed)
    try:
        await asyncio.wait_for(core.notify(who, [Reply(text=text)]), DELIVERY_TIMEOUT)
    except (DeliveryError, TimeoutError):
        log.warning("hold summary not delivered", extra={"hold": row.id})
