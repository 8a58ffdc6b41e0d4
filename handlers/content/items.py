"""A content item from text, a form or a file: its fields parsed and validated, then stored (by its link, once)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.config import Settings
from bot.core import Core
from bot.i18n import Translator, guess_language
from bot.text import one_line
from handlers.content.config import content_config, program_tz
from handlers.content.models import ContentItem
from storage.models import Person

# -- parsing --------------------------------------------------------------------

FIELD_WORDS: dict[str, str] = {
    "url": "url", "link": "url",
    "title": "title", "titel": "title",
    "audience": "audience", "zielgruppe": "audience", "für": "audience",
    "en": "en", "english": "en", "englisch": "en",
    "de": "de", "german": "de", "deutsch": "de",
    "text": "text",
    "from": "from", "ab": "from", "von": "from", "valid from": "from",
    "until": "until", "bis": "until", "valid until": "until",
    "image": "image", "bild": "image",
    "rights": "rights", "rechte": "rights", "image rights": "rights", "bildrechte": "rights",
}
_FIELD_RE = re.compile(
    r"(?:^|(?<=[\s|;]))(" + "|".join(sorted((re.escape(w) for w in FIELD_WORDS), key=len, reverse=True)) + r")\s*:\s",
    re.IGNORECASE,
)
ALL_WORDS = {"all", "alle", "everyone", "all members", "alle mitglieder", "jeder", "alle beschäftigten"}
CORE_WORDS = {"core", "core group", "kern", "kerngruppe", "botschafter-kerngruppe"}
TEXT_MAX = 3000  # LinkedIn's limit for a post
TITLE_MAX = 300
STATUSES = ("draft", "pending", "approved", "rejected", "retired")


@dataclass
class ItemDraft:
    """A validated item, ready to store."""

    title: str
    url: str
    text_de: str | None
    text_en: str | None
    audience: str
    department: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    image_url: str | None
    image_rights: str | None
    status: str | None = None  # only from a file: draft or approved
    key: str | None = None
    # From a feed (handlers/feeds.py): the feed's name, and the article's canonical link that keeps it in the queue once.
    source: str | None = None
    canonical_url: str | None = None


Problem = tuple[str, dict[str, Any]]


def parse_fields(text: str) -> tuple[dict[str, str], list[Problem]]:
    """``url: … title: … en: …`` (lines, or parts separated by " | ") -> {field: value}."""
    found = list(_FIELD_RE.finditer(text))
    values: dict[str, str] = {}
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        value = text[m.end() : end].strip().strip("|;").strip()
        values[FIELD_WORDS[m.group(1).lower()]] = value
    problems: list[Problem] = []
    head = text[: found[0].start()].strip() if found else text.strip()
    if head:
        # Text before the first field: a bare link is the url, anything else an unknown field.
        if re.fullmatch(r"https?://\S+", head) and "url" not in values:
            values["url"] = head
        else:
            word = head.split(":", 1)[0] if ":" in head else head
            problems.append(("content.err.unknown_field", {"value": one_line(word, 40)}))
    return values, problems


def valid_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        parts.scheme in ("http", "https")
        and bool(host)
        and ("." in host or host == "localhost")
        and not any(c.isspace() for c in value.strip())
    )


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def resolve_audience(value: str | None, settings: Settings) -> tuple[str, str | None] | None:
    """'all' / 'core' / a department of app.yaml -> (audience, department); None: unknown."""
    v = " ".join((value or "all").split()).lower()
    if v in ALL_WORDS:
        return "all", None
    if v in CORE_WORDS:
        return "core", None
    for d in settings.app.departments:
        if d.lower() == v:
            return "department", d
    return None


def validate_item(raw: dict[str, Any], settings: Settings, now: datetime,
                  default_lang: str = "en") -> tuple[ItemDraft | None, list[Problem]]:
    """Check an item from chat, the command line or a file; every problem is reported, none is fatal."""
    problems: list[Problem] = []
    url = str(raw.get("url") or "").strip().strip("<>")
    if not url:
        problems.append(("content.err.url_missing", {}))
    elif not valid_web_url(url) or len(url) > 2000:
        problems.append(("content.err.url_bad", {"value": one_line(url, 80)}))
    text_de = str(raw.get("de") or "").strip() or None
    text_en = str(raw.get("en") or "").strip() or None
    plain = str(raw.get("text") or "").strip()
    if plain:
        lang = guess_language(plain) or default_lang
        if lang == "de" and not text_de:
            text_de = plain
        elif not text_en:
            text_en = plain
    if not text_de and not text_en:
        problems.append(("content.err.text_missing", {}))
    for lang, text in (("de", text_de), ("en", text_en)):
        if text and len(text) > TEXT_MAX:
            problems.append(("content.err.text_long", {"lang": lang, "length": len(text), "limit": TEXT_MAX}))
    title = " ".join(str(raw.get("title") or "").split())
    if not title:
        first = (text_de or text_en or "").strip().split("\n")[0]
        title = one_line(first, 80) if first else one_line(url, 80)
    if len(title) > TITLE_MAX:
        problems.append(("content.err.title_long", {"limit": TITLE_MAX}))
    audience = resolve_audience(str(raw["audience"]) if raw.get("audience") else None, settings)
    if audience is None:
        problems.append(("content.err.audience_bad", {"value": one_line(str(raw.get("audience")), 40),
                                                      "departments": ", ".join(settings.app.departments) or "-"}))
        audience = ("all", None)
    tz = program_tz(settings)
    start = end = None
    for key in ("from", "until"):
        if raw.get(key) in (None, ""):
            continue
        d = parse_date(raw[key])
        if d is None:
            problems.append(("content.err.date_bad", {"value": one_line(str(raw[key]), 40)}))
        elif key == "from":
            start = datetime.combine(d, dtime(0, 0), tzinfo=tz).astimezone(UTC)
        else:
            # "until 30.04." means to the end of that day.
            end = datetime.combine(d + timedelta(days=1), dtime(0, 0), tzinfo=tz).astimezone(UTC)
    if end is not None and end <= now:
        problems.append(("content.err.until_past", {"date": _day(end - timedelta(seconds=1), tz)}))
    if start is not None and end is not None and start >= end:
        problems.append(("content.err.from_after_until", {"start": _day(start, tz), "end": _day(end - timedelta(seconds=1), tz)}))
    image = str(raw.get("image") or "").strip().strip("<>") or None
    rights = " ".join(str(raw.get("rights") or "").split()) or None
    if image and not valid_web_url(image):
        problems.append(("content.err.image_bad", {"value": one_line(image, 80)}))
    if image and not rights:
        problems.append(("content.err.rights_missing", {}))
    status = raw.get("status")
    if status is not None and str(status).lower() not in ("draft", "approved"):
        problems.append(("content.err.status_bad", {"value": one_line(str(status), 20)}))
    if problems:
        return None, problems
    return ItemDraft(
        title=title, url=url, text_de=text_de, text_en=text_en, audience=audience[0], department=audience[1],
        valid_from=start, valid_until=end, image_url=image, image_rights=rights[:500] if rights else None,
        status=str(status).lower() if status else None, key=str(raw["key"])[:200] if raw.get("key") else None,
    ), []


def _day(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d")


def describe_problems(problems: Iterable[Problem], t: Translator) -> str:
    return " ".join(t(key, **params) for key, params in problems)


# -- storing items ------------------------------------------------------------------


async def item_with_link(core: Core, *urls: str) -> ContentItem | None:
    """The item whose canonical link (or, for an item added by hand, whose link) is one of ``urls``."""
    wanted = [u for u in urls if u]
    if not wanted:
        return None
    async with core.db.session() as s:
        return (await s.exec(select(ContentItem).where(
            or_(ContentItem.canonical_url.in_(wanted), ContentItem.url.in_(wanted))).order_by(ContentItem.id))).first()


async def store_item(core: Core, draft: ItemDraft, *, via: str, creator: Person | None = None,
                     approved: bool) -> tuple[ContentItem, bool]:
    """Insert (or, for a known file key, update) an item. Returns (item, created).

    An item with a canonical link (from a feed) is stored once: when that link is in the
    queue already, the item there is returned as it is (the lead may have edited or decided it).
    """
    if draft.status == "draft":
        status = "draft"
    else:
        status = "approved" if approved else "pending"
    now = core.now()
    if draft.canonical_url:
        known = await item_with_link(core, draft.canonical_url)
        if known is not None:
            return known, False
    async with core.db.session() as s:
        item = None
        if draft.key:
            item = (await s.exec(select(ContentItem).where(ContentItem.key == draft.key))).first()
        created = item is None
        if item is None:
            item = ContentItem(title=draft.title, url=draft.url, created_via=via, created_at=now, status=status,
                               key=draft.key, source=draft.source, canonical_url=draft.canonical_url)
            if creator is not None:
                item.created_by_id, item.created_by_pseudonym = creator.id, creator.pseudonym
            if status == "approved":
                item.decided_at = now
            s.add(item)
        elif item.status in ("draft", "rejected") and status != item.status:
            item.status = status
        for name in ("title", "url", "text_de", "text_en", "audience", "department", "valid_from", "valid_until",
                     "image_url", "image_rights"):
            setattr(item, name, getattr(draft, name))
        try:
            await s.commit()
        except IntegrityError:
            if not draft.canonical_url:
                raise
            await s.rollback()  # stored meanwhile by another process: the queue has it once
            known = await item_with_link(core, draft.canonical_url)
            if known is None:
                raise
            return known, False
        return item, created


def needs_approval(settings: Settings, audience: str, approver: bool) -> bool:
    """Approvers' own items go out at once; a communicator's item for all members always passes the lead."""
    if approver:
        return False
    return content_config(settings).require_approval or audience == "all"


def text_for(item: ContentItem, lang: str) -> str | None:
    return item.text_de if lang == "de" else item.text_en
