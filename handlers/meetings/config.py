"""The meetings' section of app.yaml: the rhythm of the meetings, where reports go; the period a report covers."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config import Settings, validate_section
from handlers.meetings.kpis import Period

log = logging.getLogger("ambassador.meetings")


SUMMARY_MAX = 3000


CLAIM = timedelta(minutes=10)


_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6,
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}


# Without a ``first`` date, the rhythm counts from this Monday.
EPOCH = date(2024, 1, 1)


class MeetingsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    every_weeks: int = Field(default=2, ge=1, le=52)
    weekday: str = "tuesday"
    time: str = "10:00"
    first: date | None = None
    cron: str | None = None
    timezone: str | None = None
    lead_hours: float = Field(default=24, ge=0, le=24 * 14)
    report_dir: str = "reports"
    report_url: str | None = None
    language: Literal["de", "en"] | None = None
    send_to: list[Literal["lead", "backup", "communicators"]] = Field(
        default_factory=lambda: ["lead", "backup", "communicators"])

    @field_validator("weekday")
    @classmethod
    def _weekday(cls, v: str) -> str:
        if str(v).lower() not in _WEEKDAYS:
            raise ValueError("use a weekday name such as tuesday (or dienstag)")
        return str(v).lower()

    @field_validator("time")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(v)):
            raise ValueError("use the 24-hour form HH:MM, for example 10:00")
        return str(v)

    @field_validator("cron")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not croniter.is_valid(v):
            raise ValueError("not a valid cron expression (five fields, for example '0 10 * * 2')")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Europe/Berlin") from None
        return v


def meetings_config(settings: Settings) -> MeetingsConfig:
    return validate_section(settings, "meetings", MeetingsConfig)


def report_root(settings: Settings) -> Path:
    """``meetings.report_dir``: absolute, or relative to app.yaml's folder (like ``knowledge.path``).

    Not relative to the working directory: the file links (bot.files) serve only from
    this folder, and must find it whichever directory the bot was started from.
    """
    path = Path(meetings_config(settings).report_dir).expanduser()
    return path if path.is_absolute() else Path(settings.config_path).resolve().parent / path


def scheduled(settings: Settings) -> bool:
    """Reports go out by themselves only when app.yaml has a meetings: section (and it is enabled)."""
    return bool(settings.app.meetings) and meetings_config(settings).enabled


def _zone(cfg: MeetingsConfig, settings: Settings) -> ZoneInfo:
    return ZoneInfo(cfg.timezone or settings.app.timezone)


def next_meeting(cfg: MeetingsConfig, after: datetime, tz: ZoneInfo) -> datetime:
    """The first meeting strictly after ``after`` (UTC)."""
    if cfg.cron:
        return croniter(cfg.cron, after.astimezone(tz)).get_next(datetime).astimezone(UTC)
    return _weekly(cfg, after, tz, +1)


def previous_meeting(cfg: MeetingsConfig, before: datetime, tz: ZoneInfo) -> datetime:
    """The last meeting strictly before ``before`` (UTC)."""
    if cfg.cron:
        return croniter(cfg.cron, before.astimezone(tz)).get_prev(datetime).astimezone(UTC)
    return _weekly(cfg, before, tz, -1)


def _weekly(cfg: MeetingsConfig, t: datetime, tz: ZoneInfo, direction: int) -> datetime:
    weekday = _WEEKDAYS[cfg.weekday]
    anchor = cfg.first or EPOCH
    anchor += timedelta(days=(weekday - anchor.weekday()) % 7)
    hh, mm = (int(x) for x in cfg.time.split(":"))
    step = 7 * cfg.every_weeks
    k = (t.astimezone(tz).date() - anchor).days // step

    def at(n: int) -> datetime:
        # The date first, then the local time: the meeting stays at 10:00 across daylight saving changes.
        return datetime.combine(anchor + timedelta(days=n * step), time(hh, mm), tzinfo=tz).astimezone(UTC)

    candidates = [at(n) for n in range(k - 2, k + 3)]
    if direction > 0:
        return min(c for c in candidates if c > t)
    return max(c for c in candidates if c < t)


def default_period(settings: Settings, now: datetime) -> Period:
    """Since the last meeting (or the last 14 days when there is no rhythm)."""
    if scheduled(settings):
        cfg = meetings_config(settings)
        tz = _zone(cfg, settings)
        last = previous_meeting(cfg, now, tz)
        if last < now:
            return Period(last, now)
    return Period(now - timedelta(days=14), now)


def parse_period(args: str, tz: ZoneInfo) -> Period | None:
    parts = args.split()
    if len(parts) != 2:
        return None
    try:
        start, end = (date.fromisoformat(p) for p in parts)
    except ValueError:
        return None
    if end < start:
        return None
    # Whole days, the end date included.
    return Period(datetime.combine(start, time(0), tzinfo=tz), datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz))
