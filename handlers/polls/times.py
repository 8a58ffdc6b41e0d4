"""Times as a poll shows them: in the reader's time zone, stored times taken as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.text import reader_date
from storage.models import Person


def person_zone(settings: Settings, person: Person | None = None) -> ZoneInfo:
    name = (person.timezone if person else None) or settings.app.timezone
    try:
        return ZoneInfo(name)
    except Exception:
        return ZoneInfo(settings.app.timezone)


def _fmt(when: datetime, tz: ZoneInfo, lang: str) -> str:
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    local = when.astimezone(tz)
    return reader_date(local, lang, time=True) + f" ({local.tzname()})"


