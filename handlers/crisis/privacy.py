"""The crisis capability's part of "my data" and "forget me"."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select

from bot.core import Context
from bot.text import clip
from handlers.crisis.helpers import _tz, fmt_time
from handlers.crisis.models import CrisisAttempt, CrisisEvent, CrisisReport, Hold


async def my_data(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    async with ctx.db.session() as s:
        reports = (await s.exec(select(CrisisReport).where(CrisisReport.reporter_id == ctx.person.id)
                                .order_by(CrisisReport.id))).all()
    tz = _tz(ctx.core)
    lines = [f"{r.ref} ({fmt_time(r.created_at, tz)}, {t(f'crisis.sev.{r.severity}')}, {t(f'crisis.status.{r.status}')}): "
             f"{clip(' '.join(r.text.split()), 80)}" for r in reports]
    return [(t("crisis.mydata"), "; ".join(lines) or t("crisis.mydata_none"))]


async def forget(ctx: Context) -> None:
    """A crisis trail outlives "forget me" with the pseudonym only: the links to the person go."""
    pid = ctx.person.id
    async with ctx.db.session() as s:
        await s.execute(update(CrisisReport).where(CrisisReport.reporter_id == pid).values(reporter_id=None))
        await s.execute(update(CrisisReport).where(CrisisReport.owner_id == pid).values(owner_id=None))
        await s.execute(update(CrisisEvent).where(CrisisEvent.actor_id == pid).values(actor_id=None))
        await s.execute(update(CrisisAttempt).where(CrisisAttempt.person_id == pid).values(person_id=None))
        await s.execute(update(Hold).where(Hold.created_by_id == pid).values(created_by_id=None))
        await s.execute(update(Hold).where(Hold.lifted_by_id == pid).values(lifted_by_id=None))
        await s.commit()
