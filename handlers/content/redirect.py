"""The short share link ``/r/{token}`` (bot/links.py serves it): the target with its UTM parameters; counts the click."""

from __future__ import annotations

import re

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select

from bot.core import Core
from handlers.content.cards import SOURCES, with_utm
from handlers.content.config import program_tz
from handlers.content.models import ContentClicks, ContentItem, ContentLink

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
# Link previews fetch the link when a post is written; they are not readers.
_PREVIEW_BOTS = re.compile(r"bot|crawler|spider|preview|facebookexternalhit|embedly|slackbot|linkedin|xing|twitter|whatsapp|skype",
                           re.IGNORECASE)


async def follow_link(core: Core, token: str, source: str | None, user_agent: str = "", *, count: bool = True) -> str | None:
    """The target of a share link with its UTM parameters; counts the click. None: unknown token."""
    if not TOKEN_RE.match(token or ""):
        return None
    source = source if source in SOURCES else None
    async with core.db.session() as s:
        row = (await s.exec(select(ContentLink.id, ContentItem.url).join(ContentItem, ContentItem.id == ContentLink.item_id)
                            .where(ContentLink.token == token))).first()
        if row is None:
            return None
        if count and not _PREVIEW_BOTS.search(user_agent or ""):
            now = core.now()
            await s.execute(update(ContentLink).where(ContentLink.id == row[0]).values(
                clicks=ContentLink.clicks + 1, last_click_at=now,
                first_click_at=func.coalesce(ContentLink.first_click_at, now)))
            # By month too, for the monthly thank-you: a counter per link and month, no row per click.
            month = now.astimezone(program_tz(core.settings)).strftime("%Y-%m")
            insert = sqlite_insert if core.db.is_sqlite else pg_insert
            table = ContentClicks.__table__
            await s.execute(insert(table).values(link_id=row[0], month=month, clicks=1).on_conflict_do_update(
                index_elements=[table.c.link_id, table.c.month], set_={"clicks": table.c.clicks + 1}))
            await s.commit()
    return with_utm(core.settings, row[1], token, source)
