"""When things are due: the nudge's cron slots and waves, a member's quiet hours, the thank-you's working day."""

from __future__ import annotations

import functools
import logging
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from croniter import croniter

from bot.config import Settings
from handlers.content.config import ContentConfig, ThanksConfig, program_tz

log = logging.getLogger("ambassador.content")


# -- the schedule ------------------------------------------------------------------------------


def next_slot(cfg: ContentConfig, settings: Settings, now: datetime) -> datetime:
    tz = ZoneInfo(cfg.timezone or settings.app.timezone)
    return croniter(cfg.schedule, now.astimezone(tz)).get_next(datetime).astimezone(UTC)


def prev_slot(cfg: ContentConfig, settings: Settings, now: datetime) -> datetime:
    tz = ZoneInfo(cfg.timezone or settings.app.timezone)
    # A slot exactly now counts as due: look back from a hair later.
    return croniter(cfg.schedule, (now + timedelta(seconds=1)).astimezone(tz)).get_prev(datetime).astimezone(UTC)


def cycle_key(slot: datetime) -> str:
    return slot.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def due_waves(cfg: ContentConfig, settings: Settings, now: datetime) -> list[tuple[str, str, datetime]]:
    """(cycle, wave, due_at) of the waves due now: everyone's at the slot, the core group's days earlier."""
    window = timedelta(hours=cfg.catch_up_hours)
    out: list[tuple[str, str, datetime]] = []
    prev = prev_slot(cfg, settings, now)
    nxt = next_slot(cfg, settings, now)
    early = timedelta(days=cfg.core_group_days_earlier)
    tz = ZoneInfo(cfg.timezone or settings.app.timezone)
    if early:
        for slot in (prev, nxt):
            # The same wall-clock time days earlier, also across a change of daylight saving time.
            at = (slot.astimezone(tz) - early).astimezone(UTC)
            if at <= now < at + window and now < slot:
                out.append((cycle_key(slot), "early", at))
    if now < prev + window:
        out.append((cycle_key(prev), "main", prev))
    return out




def quiet_until(person: Any, settings: Settings, at: datetime) -> datetime | None:
    """When the person's quiet hours end, if ``at`` falls into them (their time zone, else the program's)."""
    app = settings.app
    try:
        tz = ZoneInfo(person.timezone) if person.timezone else ZoneInfo(app.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo(app.timezone)
    start_s = person.quiet_start or app.quiet_hours.start
    end_s = person.quiet_end or app.quiet_hours.end
    try:
        start = dtime(*map(int, start_s.split(":")))
        end = dtime(*map(int, end_s.split(":")))
    except (ValueError, TypeError):
        return None
    if start == end:
        return None
    local = at.astimezone(tz)
    now_t = local.time().replace(tzinfo=None)
    if start < end:
        if not (start <= now_t < end):
            return None
        day = local.date()
    else:
        if not (now_t >= start or now_t < end):
            return None
        day = local.date() if now_t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)


# -- the monthly thank-you's day ------------------------------------------------------------------

THANKS_CATCH_UP = timedelta(days=5)  # a thank-you missed while the bot was down still goes out this long after


@functools.lru_cache(maxsize=64)
def _holiday_calendar(country: str, region: str | None, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, subdiv=region, years=year).keys())
    except NotImplementedError:
        log.warning("no public holidays known for the thank-you calendar", extra={"country": country, "region": region})
        return frozenset()


def working_day(cfg: ThanksConfig, year: int, month: int) -> date:
    """The ``cfg.working_day``-th day of the month that is neither a weekend nor a public holiday."""
    off = _holiday_calendar(cfg.holidays, cfg.holiday_region, year) if cfg.holidays else frozenset()
    day, n = date(year, month, 1), 0
    while True:
        if day.weekday() < 5 and day not in off:
            n += 1
            if n == cfg.working_day:
                return day
        day += timedelta(days=1)


def thanks_slot(cfg: ThanksConfig, settings: Settings, year: int, month: int) -> datetime:
    hour, minute = map(int, cfg.time.split(":"))
    return datetime.combine(working_day(cfg, year, month), dtime(hour, minute), tzinfo=program_tz(settings)).astimezone(UTC)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_bounds(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The month (2026-03) in the program's time zone, as [start, end) in UTC."""
    year, mon = int(month[:4]), int(month[5:7])
    start = datetime(year, mon, 1, tzinfo=tz)
    end = datetime(*_month_after(year, mon), 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def thanks_due(cfg: ThanksConfig, settings: Settings, now: datetime) -> tuple[str, datetime] | None:
    """(the month thanked for, its slot) when this month's thank-you is due now."""
    local = now.astimezone(program_tz(settings))
    slot = thanks_slot(cfg, settings, local.year, local.month)
    if slot <= now < slot + THANKS_CATCH_UP:
        return month_key(*_month_before(local.year, local.month)), slot
    return None


def next_thanks(cfg: ThanksConfig, settings: Settings, now: datetime) -> tuple[str, datetime]:
    """(the month thanked for, the slot) of the next thank-you still to come."""
    local = now.astimezone(program_tz(settings))
    slot = thanks_slot(cfg, settings, local.year, local.month)
    if now < slot:
        return month_key(*_month_before(local.year, local.month)), slot
    year, month = _month_after(local.year, local.month)
    return month_key(local.year, local.month), thanks_slot(cfg, settings, year, month)
