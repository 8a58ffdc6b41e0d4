"""The ``crisis:`` section of app.yaml (escalation levels, rounds, office hours) and the capability's timings."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import EmailStr, Field, field_validator, model_validator

from bot.config import Settings, Strict, validate_section

SEVERITIES = ("low", "medium", "high", "critical")
Severity = Literal["low", "medium", "high", "critical"]
LEAD_ROLES = ("comms_lead", "lead")
ROLE_NAMES = (*LEAD_ROLES, "backup")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri", "saturday": "sat",
    "sunday": "sun", "mo": "mon", "di": "tue", "mi": "wed", "do": "thu", "fr": "fri", "sa": "sat", "so": "sun",
}
JOB_SECONDS = 2.0  # how often due escalations are looked for: the slack after a timeout
CLAIM = timedelta(seconds=60)  # a replica working on a report's step holds it this long at most
FIRST_CLAIM = timedelta(seconds=15)  # the reporting process sends the first alert within this, or the job does
DELIVERY_TIMEOUT = 30.0  # one alert; past it the next level is alerted (the Teams adapter retries 429s within it)
RECORD_RETRIES = (0.25, 0.5, 1, 2, 4, 8)  # storing a step's outcome: about 16 s, well within CLAIM
HOLD_BATCH = 25  # members told at once about a hold
MAX_REPORT_TEXT = 20_000
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CHANNEL = re.compile(r"^(slack|teams):\S+$")




def _listify(v: Any) -> Any:
    return [v] if isinstance(v, str) else v


class Level(Strict):
    """One step of the climb: who is alerted, where, and how long they have to acknowledge."""

    who: list[str] = Field(default_factory=list)
    channel: str | None = None
    timeout: float = Field(default=10, gt=0, le=24 * 60)  # minutes
    email: list[EmailStr] = Field(default_factory=list)
    webhook: list[str] = Field(default_factory=list)

    @field_validator("who", "email", "webhook", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return _listify(v)

    @field_validator("who")
    @classmethod
    def _who(cls, v: list[str]) -> list[str]:
        out = []
        for entry in v:
            entry = str(entry).strip()
            if entry.lower() in ROLE_NAMES:
                out.append(entry.lower())
                continue
            try:
                out.append(validate_email(entry, check_deliverability=False).normalized.lower())
            except EmailNotValidError:
                raise ValueError(f"{entry!r} is neither an e-mail address nor a role ({', '.join(ROLE_NAMES)})") from None
        return out

    @field_validator("channel")
    @classmethod
    def _channel(cls, v: str | None) -> str | None:
        if v is not None and not _CHANNEL.match(v.strip()):
            raise ValueError("write the channel as slack:CHANNEL_ID or teams:CONVERSATION_ID, e.g. slack:C0123CRISIS")
        return v.strip() if v else v

    @field_validator("webhook")
    @classmethod
    def _webhook(cls, v: list[str]) -> list[str]:
        for url in v:
            parsed = urlparse(str(url))
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ValueError(f"{url!r} is not an http(s) URL")
        return [str(u) for u in v]

    @model_validator(mode="after")
    def _someone(self) -> Level:
        if not (self.who or self.channel or self.email or self.webhook):
            raise ValueError("a level needs at least one of who, channel, email or webhook")
        return self


def _default_levels() -> list[Level]:
    return [Level(who=["comms_lead"], timeout=10), Level(who=["backup"], timeout=10)]


class Policy(Strict):
    levels: list[Level] = Field(default_factory=_default_levels, min_length=1)
    rounds: int = Field(default=3, ge=1, le=50)


class OfficeHours(Strict):
    days: list[str] = Field(default_factory=lambda: list(DAYS[:5]))
    start: str = "08:00"
    end: str = "18:00"
    timezone: str | None = None

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, v: Any) -> Any:
        out = []
        for d in _listify(v) or []:
            key = str(d).strip().lower()
            key = _DAY_ALIASES.get(key, key[:3] if key[:3] in DAYS else key)
            if key not in DAYS:
                raise ValueError(f"unknown day {d!r}; use mon, tue, wed, thu, fri, sat, sun")
            out.append(key)
        return out

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: Any) -> str:
        if not _HHMM.match(str(v)):
            raise ValueError("use the 24-hour form HH:MM, for example 08:00")
        return str(v)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Europe/Berlin") from None
        return v

    def contains(self, when: datetime, default_tz: str) -> bool:
        local = when.astimezone(ZoneInfo(self.timezone or default_tz))
        hhmm = local.strftime("%H:%M")
        if self.start <= self.end:
            return DAYS[local.weekday()] in self.days and self.start <= hhmm < self.end
        # Overnight office hours (22:00-06:00) belong to the day they start on.
        if hhmm >= self.start:
            return DAYS[local.weekday()] in self.days
        return hhmm < self.end and DAYS[(local.weekday() - 1) % 7] in self.days


class CrisisConfig(Strict):
    """The ``crisis:`` section of app.yaml."""

    levels: list[Level] = Field(default_factory=_default_levels, min_length=1)
    rounds: int = Field(default=3, ge=1, le=50)
    office_hours: OfficeHours | None = None
    # Used outside office_hours (when office_hours is set); the same policy when absent.
    outside_office_hours: Policy | None = None
    reference_prefix: str = Field(default="K", pattern=r"^[A-Z]{1,5}$")
    keywords: dict[Severity, list[str]] = Field(default_factory=dict)

    def policy(self, name: str) -> Policy:
        if name == "outside" and self.outside_office_hours is not None:
            return self.outside_office_hours
        return Policy(levels=self.levels, rounds=self.rounds)

    def policy_at(self, when: datetime, default_tz: str) -> str:
        if self.office_hours is None or self.office_hours.contains(when, default_tz):
            return "office"
        return "outside"

    def all_levels(self) -> list[Level]:
        return self.levels + (self.outside_office_hours.levels if self.outside_office_hours else [])


def load_config(settings: Settings) -> CrisisConfig:
    """The validated crisis section; a ConfigError names the file, line and key."""
    return validate_section(settings, "crisis", CrisisConfig)
