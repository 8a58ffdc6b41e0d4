"""The ``content:`` section of app.yaml, validated: schedule, pace, UTM parameters and the monthly thank-you."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import holidays
from croniter import croniter
from pydantic import Field, field_validator, model_validator

from bot.config import Settings, Strict, time_zone_name, validate_section


class UtmConfig(Strict):
    medium: str = "employee_advocacy"
    campaign: str = "ambassador"


_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ThanksConfig(Strict):
    """The monthly thank-you to the most active members (``content.thanks``)."""

    enabled: bool = False
    working_day: int = Field(default=1, ge=1, le=10)  # the n-th working day of the month
    time: str = "10:00"  # program time zone
    top: int = Field(default=10, ge=1, le=10_000)  # at most this many people (more when tied with the last)
    min_activity: int = Field(default=3, ge=1)  # shares + clicks on their links in the month
    holidays: str | None = "DE"  # public holidays that are no working days: a country code, or none
    holiday_region: str | None = None  # a state or region with its own holidays (BY, NW, ...)

    @field_validator("time")
    @classmethod
    def _time(cls, v: str) -> str:
        if not _HHMM.match(str(v).strip()):
            raise ValueError(f"{v!r} is not a time of day; write it like \"10:00\"")
        return str(v).strip()

    @field_validator("holidays", mode="before")
    @classmethod
    def _holidays(cls, v: Any) -> str | None:
        if v is None or v is False or str(v).strip().lower() in ("", "none", "no", "off", "false"):
            return None
        code = str(v).strip().upper()
        if code not in holidays.list_supported_countries():
            raise ValueError(f"no public holidays known for {v!r}; use a country code such as DE, AT, CH, GB or US, "
                             "or none (weekends only)")
        return code

    @model_validator(mode="after")
    def _region(self) -> ThanksConfig:
        if self.holidays is None or self.holiday_region is None:
            return self
        regions = holidays.list_supported_countries().get(self.holidays, [])
        if self.holiday_region not in regions:
            raise ValueError(f"holiday_region {self.holiday_region!r} is not a region of {self.holidays}; "
                             f"known: {', '.join(regions) or 'none'}")
        return self


class ContentConfig(Strict):
    require_approval: bool = True
    schedule: str = "30 9 * * MON"
    timezone: str | None = None
    core_group_days_earlier: int = Field(default=1, ge=0, le=6)
    max_items: int = Field(default=3, ge=1, le=5)
    public_url: str | None = None
    utm: UtmConfig = Field(default_factory=UtmConfig)
    messages_per_second: float = Field(default=5.0, gt=0, le=1000)
    per_conversation_seconds: float = Field(default=1.0, ge=0, le=60)
    max_attempts: int = Field(default=5, ge=1, le=20)
    catch_up_hours: float = Field(default=12.0, ge=0, le=168)
    concurrency: int = Field(default=8, ge=1, le=64)
    thanks: ThanksConfig = Field(default_factory=ThanksConfig)

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str) -> str:
        if not croniter.is_valid(v) or len(v.split()) != 5:
            raise ValueError(f"{v!r} is not a cron schedule of five fields, for example \"30 9 * * MON\"")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return v if v is None else time_zone_name(v)

    @field_validator("public_url")
    @classmethod
    def _public(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("use the bot's public base address, for example https://ambassador.example.com")
        return v.rstrip("/")


def content_config(settings: Settings) -> ContentConfig:
    """The validated ``content:`` section; raises ConfigError naming file, line and key."""
    return validate_section(settings, "content", ContentConfig)


def public_url(settings: Settings) -> str | None:
    # The environment wins over app.yaml, as DATABASE_URL does: a deployment sets its own address.
    env = os.environ.get("PUBLIC_URL", "").strip()
    if env:
        return env.rstrip("/")
    return content_config(settings).public_url


def program_tz(settings: Settings) -> ZoneInfo:
    return ZoneInfo(content_config(settings).timezone or settings.app.timezone)
