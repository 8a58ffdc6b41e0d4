""""my data" and "forget me" for content: what content stores about a person, and its deletion."""

from __future__ import annotations

from sqlalchemy import delete, func, update
from sqlmodel import select

from bot.core import Context
from handlers.content.models import ContentDelivery, ContentItem, ContentLink, ContentPref


async def my_content_data(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    async with ctx.db.session() as s:
        row = (await s.exec(select(func.count(), func.count(ContentLink.shared_at), func.count(ContentLink.declined_at),
                                   func.coalesce(func.sum(ContentLink.clicks), 0))
                            .where(ContentLink.person_id == ctx.person.id))).one()
        pref = await s.get(ContentPref, ctx.person.id)
        thanked = (await s.exec(select(func.count()).select_from(ContentDelivery).where(
            ContentDelivery.person_id == ctx.person.id, ContentDelivery.kind == "thanks",
            ContentDelivery.status.in_(("sent", "uncertain"))))).one()
    freq = t(f"content.nudges.freq.{pref.frequency if pref else 'weekly'}")
    return [(t("content.mydata.content"), t("content.mydata.content_line", received=row[0], shared=row[1], declined=row[2],
                                    clicks=row[3], frequency=freq)),
            (t("content.mydata.thanks"), t("content.mydata.thanks_line",
                                           state=t("content.on" if pref is None or pref.thanks else "content.off"),
                                           public=t("content.yes" if pref is not None and pref.thanks_public else "content.no"),
                                           received=thanked))]


async def forget_content(ctx: Context) -> None:
    pid = ctx.person.id
    async with ctx.db.session() as s:
        # Work not done yet is dropped; figures keep the pseudonym only.
        pending = select(ContentDelivery.id).where(ContentDelivery.person_id == pid,
                                                   ContentDelivery.status.in_(("pending",)))
        await s.execute(delete(ContentLink).where(ContentLink.delivery_id.in_(pending)))
        await s.execute(delete(ContentDelivery).where(ContentDelivery.person_id == pid, ContentDelivery.status == "pending"))
        await s.execute(update(ContentLink).where(ContentLink.person_id == pid).values(person_id=None))
        await s.execute(update(ContentDelivery).where(ContentDelivery.person_id == pid).values(person_id=None))
        await s.execute(update(ContentItem).where(ContentItem.created_by_id == pid).values(created_by_id=None))
        await s.execute(update(ContentItem).where(ContentItem.decided_by_id == pid).values(decided_by_id=None))
        await s.execute(delete(ContentPref).where(ContentPref.person_id == pid))
        await s.commit()
