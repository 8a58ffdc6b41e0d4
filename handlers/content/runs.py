"""Runs finishing and reporting: a run is done when its outbox rows are; the comms lead hears about
failures, uncertain sends and skipped members; the status summary and the resend by hand.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import select

from bot.core import Core
from bot.i18n import Translator
from bot.messages import Reply
from handlers.content.cards import report_reply
from handlers.content.models import ContentDelivery, ContentRun
from storage.models import Person

log = logging.getLogger("ambassador.content")


async def finish_runs(core: Core) -> None:
    async with core.db.session() as s:
        runs = (await s.exec(select(ContentRun).where(ContentRun.status == "sending"))).all()
        for run in runs:
            open_rows = (await s.exec(select(func.count()).select_from(ContentDelivery).where(
                ContentDelivery.run_id == run.id, ContentDelivery.status.in_(("pending", "sending"))))).one()
            if open_rows == 0:
                await s.execute(update(ContentRun).where(ContentRun.id == run.id, ContentRun.status == "sending")
                                .values(status="done", finished_at=core.now()))
        await s.commit()
    await send_reports(core)


async def notify_configured(core: Core, person: Person | None, email: str,
                            reply: Callable[[Translator], Reply | Awaitable[Reply]]) -> None:
    """A message to a person app.yaml names by address (the comms lead, a backup), in their language;
    raises when nobody has that address or the message does not go out."""
    t = core.translator(core.language_of(person))
    if person is None:
        raise RuntimeError(f"nobody with the address {email} is known")
    built = reply(t)
    await core.notify(person.id, [await built if inspect.isawaitable(built) else built])


async def run_counts(core: Core, run_id: int) -> dict[str, int]:
    async with core.db.session() as s:
        rows = (await s.exec(select(ContentDelivery.status, func.count()).where(ContentDelivery.run_id == run_id)
                             .group_by(ContentDelivery.status))).all()
    counts = {k: 0 for k in ("pending", "sending", "sent", "skipped", "failed", "uncertain", "cancelled")}
    counts.update({r[0]: int(r[1]) for r in rows})
    return counts


async def send_reports(core: Core) -> None:
    """The comms lead hears about every run that had failures, uncertain sends or skipped members."""
    now = core.now()
    async with core.db.session() as s:
        runs = (await s.exec(select(ContentRun).where(
            ContentRun.status == "done", ContentRun.report_sent_at.is_(None), ContentRun.report_tries < 10,
            or_(ContentRun.report_claim_until.is_(None), ContentRun.report_claim_until < now)))).all()
    lead = core.settings.app.roles.comms_lead
    for run in runs:
        async with core.db.session() as s:
            res = await s.execute(update(ContentRun).where(
                ContentRun.id == run.id, ContentRun.report_sent_at.is_(None),
                or_(ContentRun.report_claim_until.is_(None), ContentRun.report_claim_until < now))
                .values(report_claim_until=now + timedelta(minutes=5), report_tries=ContentRun.report_tries + 1))
            await s.commit()
        if res.rowcount != 1:
            continue
        counts = await run_counts(core, run.id)
        problems = counts["failed"] + counts["uncertain"] + counts["skipped"]
        delivered = True
        if problems and lead:
            person = await core.person_by_email(lead)
            try:
                await notify_configured(core, person, lead, functools.partial(report_reply, core, run, counts))
            except Exception as exc:
                delivered = False
                log.warning("nudge report not delivered; tried again later", extra={"run": run.id, "error": str(exc)[:200]})
        elif problems:
            log.warning("nudge run had problems and no comms lead is configured", extra={"run": run.id, **counts})
        async with core.db.session() as s:
            await s.execute(update(ContentRun).where(ContentRun.id == run.id).values(
                report_sent_at=now if delivered else None,
                report_claim_until=None if delivered else now + timedelta(minutes=10)))
            await s.commit()


async def status_summary(core: Core, runs: int = 10) -> dict[str, Any]:
    async with core.db.session() as s:
        recent = (await s.exec(select(ContentRun).order_by(ContentRun.id.desc()).limit(runs))).all()
    out = []
    for run in recent:
        counts = await run_counts(core, run.id)
        out.append({"id": run.id, "cycle": run.cycle, "wave": run.wave, "status": run.status,
                    "counts": {"sent": counts["sent"], "pending": counts["pending"] + counts["sending"],
                               "failed": counts["failed"], "uncertain": counts["uncertain"],
                               "skipped": counts["skipped"] + counts["cancelled"]}})
    return {"runs": out}


async def resend(core: Core, delivery_id: int) -> bool:
    """Someone decided an uncertain (or failed) delivery should go out again."""
    async with core.db.session() as s:
        res = await s.execute(update(ContentDelivery).where(
            ContentDelivery.id == delivery_id, ContentDelivery.status.in_(("uncertain", "failed")))
            .values(status="pending", due_at=core.now(), attempts=0, lease_until=None, claim_token=None,
                    reason=None, error=None))
        if res.rowcount == 1:
            await s.execute(update(ContentRun).where(ContentRun.id == select(ContentDelivery.run_id).where(
                ContentDelivery.id == delivery_id).scalar_subquery()).values(status="sending"))
        await s.commit()
    return res.rowcount == 1
