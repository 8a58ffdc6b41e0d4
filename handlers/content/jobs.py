"""The scheduled work and its entry points: approval requests, the nudge and the thank-you planned
and sent (every minute, on one replica at a time), and a run started by hand.
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import select

from bot.core import Core
from handlers.content.cards import approval_reply
from handlers.content.config import content_config
from handlers.content.models import ContentItem, ContentRun
from handlers.content.outbox import SendStats, send_due
from handlers.content.planning import ensure_run, plan_run
from handlers.content.runs import notify_configured
from handlers.content.schedule import due_waves, thanks_due
from handlers.content.sharetexts import make_due
from storage.models import Person

log = logging.getLogger("ambassador.content")


# -- approval ----------------------------------------------------------------------------

APPROVAL_CLAIM = timedelta(minutes=5)


async def send_approval_requests(core: Core) -> int:
    """Tell the comms lead (else a backup) about items waiting for approval; retried until it works."""
    now = core.now()
    async with core.db.session() as s:
        ids = (
            await s.exec(
                select(ContentItem.id).where(
                    ContentItem.status == "pending", ContentItem.approval_sent_at.is_(None),
                    or_(ContentItem.approval_claim_until.is_(None), ContentItem.approval_claim_until < now),
                ).order_by(ContentItem.id).limit(50)
            )
        ).all()
    roles = core.settings.app.roles
    approvers = [e for e in [roles.comms_lead, *roles.backup] if e]
    sent = 0
    for item_id in ids:
        async with core.db.session() as s:
            claimed = await s.execute(
                update(ContentItem).where(
                    ContentItem.id == item_id, ContentItem.approval_sent_at.is_(None),
                    or_(ContentItem.approval_claim_until.is_(None), ContentItem.approval_claim_until < now),
                ).values(approval_claim_until=now + APPROVAL_CLAIM, approval_tries=ContentItem.approval_tries + 1)
            )
            await s.commit()
            if claimed.rowcount != 1:
                continue
            item = await s.get(ContentItem, item_id)
            creator = await s.get(Person, item.created_by_id) if item.created_by_id else None
        who = (creator.display_name or creator.email) if creator else item.created_via
        delivered = False
        unknown: list[str] = []  # approvers app.yaml names whom nobody with a chat account matches yet
        for email in approvers:
            person = await core.person_by_email(email)
            if person is None:
                unknown.append(email)
            try:
                await notify_configured(core, person, email,
                                        functools.partial(approval_reply, item, settings=core.settings, creator=who))
                delivered = True
                break
            except Exception as exc:
                log.warning("approval request not delivered", extra={"item": item_id, "error": str(exc)[:200]})
        if not delivered:
            for email in unknown:  # told to the author in words when this runs while answering them
                core.note_undelivered(None, True, name=email)
        async with core.db.session() as s:
            values: dict[str, Any] = {"approval_claim_until": None}
            if delivered:
                values["approval_sent_at"] = now
            else:
                # Tried again on a later tick, further apart each time.
                values["approval_claim_until"] = now + min(timedelta(minutes=2) * (2 ** min(item.approval_tries, 6)),
                                                           timedelta(hours=2))
            await s.execute(update(ContentItem).where(ContentItem.id == item_id).values(**values))
            await s.commit()
        sent += delivered
    return sent


# -- the entry points: scheduled, by hand -------------------------------------------------------


async def plan_due(core: Core) -> list[int]:
    cfg = content_config(core.settings)
    ids = []
    for cycle, wave, due_at in due_waves(cfg, core.settings, core.now()):
        ids.append(await ensure_run(core, cycle, wave, due_at))
    await _plan_open(core)
    return ids


async def _plan_open(core: Core) -> None:
    async with core.db.session() as s:
        open_runs = (await s.exec(select(ContentRun.id).where(ContentRun.status == "planning").order_by(ContentRun.id))).all()
    for run_id in open_runs:
        await plan_run(core, run_id)


async def nudge_job(core: Core) -> SendStats:
    """The scheduled work: approval requests, due runs planned, the outbox worked off, reports sent."""
    try:
        await send_approval_requests(core)
    except Exception:
        log.exception("approval requests failed")
    try:
        await make_due(core)  # share texts of items approved from a file or the command line
    except Exception:
        log.exception("share texts failed")
    await plan_due(core)
    return await send_due(core)


async def run_now(core: Core, *, limit: int | None = None) -> tuple[int, SendStats]:
    """``ambassador nudge run --now``: a run for everyone, at once (still never an item twice)."""
    now = core.now()
    run_id = await ensure_run(core, "manual:" + now.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"), "main", now)
    await plan_run(core, run_id)
    return run_id, await send_due(core, limit=limit)


async def plan_thanks_due(core: Core) -> int | None:
    """The month's thank-you run, created and planned once it is due (by whichever replica comes first)."""
    cfg = content_config(core.settings).thanks
    if not cfg.enabled:
        return None
    due = thanks_due(cfg, core.settings, core.now())
    if due is None:
        return None
    run_id = await ensure_run(core, f"thanks:{due[0]}", "thanks", due[1], kind="thanks")
    await _plan_open(core)
    return run_id


async def thanks_job(core: Core) -> SendStats | None:
    """The scheduled work of the thank-you: due month planned, the outbox worked off."""
    if not content_config(core.settings).thanks.enabled:
        return None
    await plan_thanks_due(core)
    return await send_due(core)
