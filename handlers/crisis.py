"""crisis: any employee reports in seconds; the policy's people are alerted until one acknowledges.

A report is a row before the reporter gets the receipt. Its escalation is state
in the same row (the next step and when it is due), worked off right after the
report and then by a job every few seconds on whichever replica claims the row
first. Every alert is an attempt row written before it is sent and finished
after: a process that dies in between leaves 'sending', and that alert is sent
again (a lost alert is worse than a repeated one). A step nobody could be
reached at is followed at once by the next. The lead can also hold posting on a
topic: ``active_holds`` and ``hold_matching`` are what the answer engine and the
nudges consult.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import time
import uuid
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator
from sqlalchemy import bindparam, delete, func, insert, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import select

from bot import cli_crisis
from bot import notify as mail
from bot.capability import Capability, OutboxGauge, ScheduledJob, Shortcut
from bot.config import Settings, validate_section
from bot.core import Context, Core, DeliveryError
from bot.groupcommit import GroupCommit
from bot.messages import Button, Incoming, Reply
from bot.messages import Field as ReplyField
from bot.router import BACKUP, EMPLOYEE, LEAD, Router
from knowledge.severity import crisis_severity
from storage.models import Identity, Person, RoleGrant
from storage.models_crisis import CrisisAttempt, CrisisEvent, CrisisReport, Hold

log = logging.getLogger("ambassador.crisis")

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
FIRST_CLAIM_RENEW = 5.0  # seconds: while that alert is still being sent, its claim is renewed this often
DELIVERY_TIMEOUT = 30.0  # one alert; past it the next level is alerted (the Teams adapter retries 429s within it)
RECEIPT_AFTER = 2.0  # the reporter's receipt waits for the first alert to go out this long at most
RECORD_RETRIES = (0.25, 0.5, 1, 2, 4, 8)  # storing a step's outcome: about 16 s, well within CLAIM
HOLD_BATCH = 25  # members told at once about a hold
MAX_REPORT_TEXT = 20_000
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CHANNEL = re.compile(r"^(slack|teams):\S+$")


# -- configuration ------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _listify(v: Any) -> Any:
    return [v] if isinstance(v, str) else v


class Level(_Strict):
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


class Policy(_Strict):
    levels: list[Level] = Field(default_factory=_default_levels, min_length=1)
    rounds: int = Field(default=3, ge=1, le=50)


class OfficeHours(_Strict):
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


class CrisisConfig(_Strict):
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


# -- per-core state (no module globals shared between cores) -----------------------


@dataclass
class _State:
    config: CrisisConfig
    # Reports arriving together are stored in one transaction, and their first alerts' outcomes
    # recorded in one (bot/groupcommit.py): a burst of reports is what this capability must be fast at.
    stores: GroupCommit[_NewReport, tuple[CrisisReport, bool, _Step | None]]
    records: GroupCommit[_Outcome, bool]
    tasks: set[asyncio.Task] = field(default_factory=set)


_STATES: weakref.WeakKeyDictionary[Core, _State] = weakref.WeakKeyDictionary()


def _refused(exc: Exception) -> bool:
    # A row the database refuses (a report stored meanwhile by another replica): the batch's
    # items are written one by one, so only that one sees it.
    return isinstance(exc, IntegrityError | DataError)


def _state(core: Core) -> _State:
    st = _STATES.get(core)
    if st is None:
        ref = weakref.ref(core)  # the state is the core's: it must not keep the core alive

        async def store(items: list[_NewReport]) -> list[tuple[CrisisReport, bool, _Step | None]]:
            return await _write_reports(ref(), items)

        async def record(items: list[_Outcome]) -> list[bool]:
            return await _write_outcomes(ref(), items)

        st = _STATES[core] = _State(config=load_config(core.settings), stores=GroupCommit(store, singly=_refused),
                                    records=GroupCommit(record, singly=_refused))
    return st


def config(core: Core) -> CrisisConfig:
    return _state(core).config


def _spawn(core: Core, coro) -> None:
    """Work that should start now but must not hold up the answer; the job finishes it if this process dies."""
    st = _state(core)

    async def guarded() -> None:
        try:
            await coro
        except Exception:
            log.exception("crisis background work failed; the job takes it up again")

    task = asyncio.get_running_loop().create_task(guarded())
    st.tasks.add(task)
    task.add_done_callback(st.tasks.discard)


async def settle(core: Core) -> None:
    """Wait for the work started in the background (tests, benchmarks, shutdown)."""
    st = _state(core)
    while st.tasks:
        await asyncio.gather(*list(st.tasks), return_exceptions=True)


# -- texts --------------------------------------------------------------------------

TEXTS = {
    "crisis.desc": {"en": "report a crisis to comms (shitstorm, leak, accident, press inquiry)",
                    "de": "eine Krise an die Kommunikation melden (Shitstorm, Leak, Unfall, Presseanfrage)"},
    "crisis.usage": {"en": "crisis WHAT HAPPENED [LINK]", "de": "krise WAS PASSIERT IST [LINK]"},
    "crisis.empty": {
        "en": "What happened? Write *crisis* and one sentence, for example: _crisis A video of our truck accident is going "
              "viral on TikTok https://…_ The link and the platform help; a severity is proposed for you.",
        "de": {"du": "Was ist passiert? Schreib *krise* und einen Satz, zum Beispiel: _krise Ein Video von unserem LKW-Unfall "
                     "geht auf TikTok viral https://…_ Link und Plattform helfen; eine Dringlichkeit schlage ich vor.",
               "sie": "Was ist passiert? Schreiben Sie *krise* und einen Satz, zum Beispiel: _krise Ein Video von unserem "
                      "LKW-Unfall geht auf TikTok viral https://…_ Link und Plattform helfen; eine Dringlichkeit schlage ich vor."},
    },
    "crisis.receipt_title": {"en": "Report {ref} received: comms is being alerted now",
                             "de": "Meldung {ref} ist eingegangen: die Kommunikation wird jetzt alarmiert"},
    "crisis.receipt_title_alerted": {"en": "Report {ref} received: comms has been alerted",
                                     "de": "Meldung {ref} ist eingegangen: die Kommunikation ist alarmiert"},
    "crisis.receipt_title_unreached": {"en": "Report {ref} received, but nobody in comms could be reached yet",
                                       "de": "Meldung {ref} ist eingegangen, aber noch war niemand aus der Kommunikation erreichbar"},
    "crisis.receipt_title_elsewhere": {"en": "Report {ref} received: the bot connected to Slack or Teams alerts comms",
                                       "de": "Meldung {ref} ist eingegangen: der mit Slack oder Teams verbundene Bot alarmiert die Kommunikation"},
    "crisis.receipt_unreached": {
        "en": "I keep trying the next people in the escalation plan. If it is urgent, call them directly: {people}.",
        "de": {"du": "Ich versuche es weiter bei den Nächsten im Eskalationsplan. Wenn es eilt, ruf sie direkt an: {people}.",
               "sie": "Ich versuche es weiter bei den Nächsten im Eskalationsplan. Wenn es eilt, rufen Sie sie direkt an: {people}."},
    },
    "crisis.cut": {
        "en": "The text was long: comms has its first {kept} characters ({cut} more were not kept). "
              "The link or a screenshot tells them the rest.",
        "de": "Der Text war lang: Die Kommunikation hat die ersten {kept} Zeichen ({cut} weitere nicht). "
              "Was fehlt, sieht sie über den Link oder einen Screenshot.",
    },
    "crisis.receipt": {
        "en": "Thank you, that was exactly right. Until comms gets back to you:\n"
              "• *do not engage*: no replies, no likes, no arguing\n"
              "• *do not delete* anything, not your posts and not your screenshots: they may be needed\n"
              "• *do not comment* or share it, not even to defend us\n"
              "Your reference: *{ref}*.",
        "de": {"du": "Danke, genau richtig so. Bis sich die Kommunikation bei dir meldet:\n"
                     "• *nicht einsteigen*: nicht antworten, nicht liken, nicht diskutieren\n"
                     "• *nichts löschen*, weder deine Beiträge noch Screenshots: sie können gebraucht werden\n"
                     "• *nicht kommentieren* oder teilen, auch nicht, um uns zu verteidigen\n"
                     "Deine Referenz: *{ref}*.",
               "sie": "Danke, genau richtig so. Bis sich die Kommunikation bei Ihnen meldet:\n"
                      "• *nicht einsteigen*: nicht antworten, nicht liken, nicht diskutieren\n"
                      "• *nichts löschen*, weder Ihre Beiträge noch Screenshots: sie können gebraucht werden\n"
                      "• *nicht kommentieren* oder teilen, auch nicht, um uns zu verteidigen\n"
                      "Ihre Referenz: *{ref}*."},
    },
    "crisis.receipt_context": {
        "en": "Add details any time: crisis add {ref} TEXT OR LINK. Change the severity with the buttons.",
        "de": {"du": "Details kannst du jederzeit ergänzen: krise ergänzen {ref} TEXT ODER LINK. Die Dringlichkeit änderst du mit den Knöpfen.",
               "sie": "Details können Sie jederzeit ergänzen: krise ergänzen {ref} TEXT ODER LINK. Die Dringlichkeit ändern Sie mit den Knöpfen."},
    },
    "crisis.unreadable": {
        "en": "I can't open {names}, but it is stored with the report for comms. One sentence about what happened helps: crisis add {ref} …",
        "de": {"du": "{names} kann ich nicht öffnen, es ist aber für die Kommunikation bei der Meldung gespeichert. Ein Satz dazu, was passiert ist, hilft: krise ergänzen {ref} …",
               "sie": "{names} kann ich nicht öffnen, es ist aber für die Kommunikation bei der Meldung gespeichert. Ein Satz dazu, was passiert ist, hilft: krise ergänzen {ref} …"},
    },
    "crisis.no_text": {"en": "(no description)", "de": "(keine Beschreibung)"},
    "crisis.severity": {"en": "Severity", "de": "Dringlichkeit"},
    "crisis.severity_proposed": {"en": "{severity} (proposed; change it below)", "de": "{severity} (Vorschlag; unten änderbar)"},
    "crisis.where": {"en": "Where", "de": "Wo"},
    "crisis.links": {"en": "Links", "de": "Links"},
    "crisis.attachments": {"en": "Attachments", "de": "Anhänge"},
    "crisis.message": {"en": "Reported message", "de": "Gemeldete Nachricht"},
    "crisis.reported_by": {"en": "Reported by", "de": "Gemeldet von"},
    "crisis.reported_at": {"en": "Reported at", "de": "Gemeldet um"},
    "crisis.escalation": {"en": "Escalation", "de": "Eskalation"},
    "crisis.escalation_value": {"en": "level {level} of {levels}, round {round} of {rounds}",
                                "de": "Stufe {level} von {levels}, Runde {round} von {rounds}"},
    "crisis.sev.low": {"en": "low", "de": "niedrig"},
    "crisis.sev.medium": {"en": "medium", "de": "mittel"},
    "crisis.sev.high": {"en": "high", "de": "hoch"},
    "crisis.sev.critical": {"en": "critical", "de": "kritisch"},
    "crisis.add_button": {"en": "Add details", "de": "Details ergänzen"},
    "crisis.add_how": {
        "en": "Write *crisis add {ref}* and the details or links, for example: crisis add {ref} now also on Instagram https://…",
        "de": {"du": "Schreib *krise ergänzen {ref}* und die Details oder Links, zum Beispiel: krise ergänzen {ref} jetzt auch auf Instagram https://…",
               "sie": "Schreiben Sie *krise ergänzen {ref}* und die Details oder Links, zum Beispiel: krise ergänzen {ref} jetzt auch auf Instagram https://…"},
    },
    "crisis.added": {"en": "Added to {ref}. Thank you.", "de": "Zu {ref} ergänzt. Danke."},
    "crisis.severity_set": {"en": "Severity of {ref} is now *{severity}*.", "de": "Die Dringlichkeit von {ref} ist jetzt *{severity}*."},
    "crisis.unknown_ref": {
        "en": "I know no crisis report “{ref}”. References look like K-2026-0042.",
        "de": "Eine Krisenmeldung „{ref}“ kenne ich nicht. Referenzen sehen so aus: K-2026-0042.",
    },
    "crisis.need_ref": {
        "en": "Which report? Write it with its reference, for example: crisis {verb} K-2026-0042",
        "de": "Welche Meldung? Bitte mit Referenz, zum Beispiel: krise {verb} K-2026-0042",
    },
    "crisis.refused": {
        "en": "Only the people in the crisis escalation policy can {what}. You are not one of them; if you think you should be, ask the comms lead.",
        "de": {"du": "Nur die Personen der Krisen-Eskalation können {what}. Du gehörst nicht dazu; wenn du meinst, du solltest, frag die Kommunikationsleitung.",
               "sie": "Nur die Personen der Krisen-Eskalation können {what}. Sie gehören nicht dazu; wenn Sie meinen, Sie sollten, wenden Sie sich an die Kommunikationsleitung."},
    },
    "crisis.what_hold": {"en": "hold or release posting", "de": "das Posten anhalten oder freigeben"},
    "crisis.not_on_rota": {
        "en": "Only the people on the crisis rota see crisis reports, and you are not on it. "
              "To report a crisis, write *crisis* and what happened.",
        "de": {"du": "Nur wer im Krisen-Bereitschaftsplan steht, sieht Krisenmeldungen, und du stehst nicht darin. "
                     "Um eine Krise zu melden, schreib *krise* und was passiert ist.",
               "sie": "Nur wer im Krisen-Bereitschaftsplan steht, sieht Krisenmeldungen, und Sie stehen nicht darin. "
                      "Um eine Krise zu melden, schreiben Sie *krise* und was passiert ist."},
    },
    "crisis.yours_title": {"en": "Your report {ref}: {status}",
                           "de": {"du": "Deine Meldung {ref}: {status}", "sie": "Ihre Meldung {ref}: {status}"}},
    "crisis.alert_title": {"en": "🚨 Crisis report {ref}: severity {severity}", "de": "🚨 Krisenmeldung {ref}: Dringlichkeit {severity}"},
    "crisis.alert_context": {
        "en": "Acknowledge to stop the escalation; otherwise it goes to the next level in {minutes} min.",
        "de": {"du": "Übernimm die Meldung, um die Eskalation zu stoppen; sonst geht sie in {minutes} Min. an die nächste Stufe.",
               "sie": "Übernehmen Sie die Meldung, um die Eskalation zu stoppen; sonst geht sie in {minutes} Min. an die nächste Stufe."},
    },
    "crisis.alert_how": {
        "en": "Acknowledge with the button in the bot's message in Slack or Teams, or write to the bot: crisis ack {ref}",
        "de": {"du": "Übernimm die Meldung mit dem Knopf in der Nachricht des Bots in Slack oder Teams, oder schreib dem Bot: krise übernehmen {ref}",
               "sie": "Übernehmen Sie die Meldung mit dem Knopf in der Nachricht des Bots in Slack oder Teams, oder schreiben Sie dem Bot: krise übernehmen {ref}"},
    },
    "crisis.trail": {"en": "Trail", "de": "Protokoll"},
    "crisis.help.list.usage": {"en": "crisis list", "de": "krise liste"},
    "crisis.help.list.desc": {"en": "the latest crisis reports (the crisis rota)", "de": "die letzten Krisenmeldungen (der Krisendienst)"},
    "crisis.help.show.usage": {"en": "crisis show REF", "de": "krise zeigen REF"},
    "crisis.help.show.desc": {"en": "a report with its trail", "de": "eine Meldung mit ihrem Protokoll"},
    "crisis.help.ack.usage": {"en": "crisis ack REF", "de": "krise übernehmen REF"},
    "crisis.help.ack.desc": {"en": "take a report: the escalation stops", "de": "eine Meldung übernehmen: die Eskalation stoppt"},
    "crisis.help.resolve.usage": {"en": "crisis resolve REF WHAT WAS DONE", "de": "krise erledigt REF WAS GETAN WURDE"},
    "crisis.help.resolve.desc": {"en": "close a report with a note", "de": "eine Meldung mit Notiz abschließen"},
    "crisis.help.hold.usage": {"en": "crisis hold KEYWORDS -- NOTE", "de": "krise stopp STICHWÖRTER -- NOTIZ"},
    "crisis.help.hold.desc": {"en": "hold posting on a topic: answers say no, all nudges pause",
                              "de": "Posten zu einem Thema anhalten: Antworten sagen nein, alle Erinnerungen pausieren"},
    "crisis.help.lift.usage": {"en": "crisis lift [KEYWORD|all]", "de": "krise aufheben [STICHWORT|alle]"},
    "crisis.help.lift.desc": {"en": "end a posting hold", "de": "einen Posting-Stopp beenden"},
    "crisis.ack_button": {"en": "Acknowledge", "de": "Übernehmen"},
    "crisis.resolve_button": {"en": "Resolve", "de": "Abschließen"},
    "crisis.handover_button": {"en": "Hand over", "de": "Übergeben"},
    "crisis.acked": {
        "en": "You have {ref}. The escalation has stopped and the reporter is told. When it is over: crisis resolve {ref} WHAT WAS DONE",
        "de": {"du": "Du hast {ref} übernommen. Die Eskalation ist gestoppt, die meldende Person ist informiert. Wenn es vorbei ist: krise erledigt {ref} WAS GETAN WURDE",
               "sie": "Sie haben {ref} übernommen. Die Eskalation ist gestoppt, die meldende Person ist informiert. Wenn es vorbei ist: krise erledigt {ref} WAS GETAN WURDE"},
    },
    "crisis.already_yours": {"en": "You have {ref} already.", "de": {"du": "{ref} liegt schon bei dir.", "sie": "{ref} liegt schon bei Ihnen."}},
    "crisis.taken_by": {"en": "{ref} was taken by {name} at {time}.", "de": "{ref} hat {name} um {time} übernommen."},
    "crisis.already_resolved": {
        "en": "{ref} is already resolved ({time}, by {name}); nothing to acknowledge. Note: {note}",
        "de": "{ref} ist bereits abgeschlossen ({time}, von {name}); da gibt es nichts mehr zu übernehmen. Notiz: {note}",
    },
    "crisis.reporter_taken": {
        "en": "Your crisis report {ref} was taken by {name} at {time}. They may contact you; until then: do not engage, do not delete, do not comment.",
        "de": {"du": "Deine Krisenmeldung {ref} hat {name} um {time} übernommen. {name} meldet sich eventuell bei dir; bis dahin: nicht einsteigen, nichts löschen, nicht kommentieren.",
               "sie": "Ihre Krisenmeldung {ref} hat {name} um {time} übernommen. {name} meldet sich eventuell bei Ihnen; bis dahin: nicht einsteigen, nichts löschen, nicht kommentieren."},
    },
    "crisis.severity_notice": {
        "en": "{ref}: {name} changed the severity from {sev_from} to {sev_to}.",
        "de": "{ref}: {name} hat die Schwere von {sev_from} auf {sev_to} geändert.",
    },
    "crisis.reporter_unanswered": {
        "en": "Nobody in comms has acknowledged your crisis report {ref} yet, although everyone in the "
              "escalation plan was alerted. If it is urgent, call them directly: {people}. Until then: "
              "do not engage, do not delete, do not comment.",
        "de": {"du": "Deine Krisenmeldung {ref} hat noch niemand aus der Kommunikation übernommen, obwohl alle "
                     "im Eskalationsplan alarmiert wurden. Wenn es eilt, ruf sie direkt an: {people}. Bis dahin: "
                     "nicht einsteigen, nichts löschen, nicht kommentieren.",
               "sie": "Ihre Krisenmeldung {ref} hat noch niemand aus der Kommunikation übernommen, obwohl alle "
                      "im Eskalationsplan alarmiert wurden. Wenn es eilt, rufen Sie sie direkt an: {people}. "
                      "Bis dahin: nicht einsteigen, nichts löschen, nicht kommentieren."},
    },
    "crisis.resolve_ask": {
        "en": "What was done? Write *crisis resolve {ref}* and a note, for example: crisis resolve {ref} statement published, comments answered by comms",
        "de": {"du": "Was wurde getan? Schreib *krise erledigt {ref}* und eine Notiz, zum Beispiel: krise erledigt {ref} Stellungnahme veröffentlicht, Kommentare von der Kommunikation beantwortet",
               "sie": "Was wurde getan? Schreiben Sie *krise erledigt {ref}* und eine Notiz, zum Beispiel: krise erledigt {ref} Stellungnahme veröffentlicht, Kommentare von der Kommunikation beantwortet"},
    },
    "crisis.resolve_without": {"en": "Resolve without a note", "de": "Ohne Notiz abschließen"},
    "crisis.resolved": {"en": "{ref} is resolved. The trail keeps your note.", "de": "{ref} ist abgeschlossen. Die Notiz steht im Protokoll."},
    "crisis.reporter_resolved": {
        "en": "Your crisis report {ref} is resolved. Thank you for reporting it so quickly.",
        "de": {"du": "Deine Krisenmeldung {ref} ist abgeschlossen. Danke, dass du sie so schnell gemeldet hast.",
               "sie": "Ihre Krisenmeldung {ref} ist abgeschlossen. Danke, dass Sie sie so schnell gemeldet haben."},
    },
    "crisis.handover_pick": {"en": "Hand {ref} over to whom?", "de": "An wen soll {ref} gehen?"},
    "crisis.handover_nobody": {
        "en": "There is nobody else in the crisis policy to hand {ref} over to.",
        "de": "In der Krisen-Eskalation gibt es niemanden sonst, an den {ref} gehen könnte.",
    },
    "crisis.handover_not_in_policy": {
        "en": "{email} is not in the crisis policy; hand over to one of: {people}.",
        "de": {"du": "{email} gehört nicht zur Krisen-Eskalation; übergib an eine dieser Personen: {people}.",
               "sie": "{email} gehört nicht zur Krisen-Eskalation; übergeben Sie an eine dieser Personen: {people}."},
    },
    "crisis.handover_failed": {
        "en": "I couldn't reach {name} ({error}); {ref} stays with you.",
        "de": {"du": "{name} habe ich nicht erreicht ({error}); {ref} bleibt bei dir.",
               "sie": "{name} habe ich nicht erreicht ({error}); {ref} bleibt bei Ihnen."},
    },
    "crisis.handed_over": {"en": "{ref} is now with {name}; they have been told.",
                           "de": "{ref} liegt jetzt bei {name}; die Übergabe ist zugestellt."},
    "crisis.handover_title": {"en": "{name} handed crisis report {ref} over to you",
                              "de": {"du": "{name} hat dir die Krisenmeldung {ref} übergeben",
                                     "sie": "{name} hat Ihnen die Krisenmeldung {ref} übergeben"}},
    "crisis.taken_notice": {"en": "{ref} is taken by {name}; no need to act.",
                            "de": {"du": "{ref} hat {name} übernommen; du musst nichts tun.",
                                   "sie": "{ref} hat {name} übernommen; Sie müssen nichts tun."}},
    "crisis.details_notice": {"en": "New details on {ref}: {text}", "de": "Neue Details zu {ref}: {text}"},
    "crisis.hold_usage": {
        "en": "Write *crisis hold KEYWORDS -- NOTE*, for example: crisis hold recall, Werk Leipzig -- Please don't post about the recall until Friday.",
        "de": {"du": "Schreib *krise stopp STICHWÖRTER -- NOTIZ*, zum Beispiel: krise stopp Rückruf, Werk Leipzig -- Bitte bis Freitag nichts zum Rückruf posten.",
               "sie": "Schreiben Sie *krise stopp STICHWÖRTER -- NOTIZ*, zum Beispiel: krise stopp Rückruf, Werk Leipzig -- Bitte bis Freitag nichts zum Rückruf posten."},
    },
    "crisis.hold_default_note": {
        "en": "Please hold back on this topic for now; comms will tell you when it's over.",
        "de": {"du": "Bitte halte dich zu diesem Thema vorerst zurück; die Kommunikation sagt Bescheid, wenn es vorbei ist.",
               "sie": "Bitte halten Sie sich zu diesem Thema vorerst zurück; die Kommunikation sagt Bescheid, wenn es vorbei ist."},
    },
    "crisis.hold_set": {
        "en": "Posting is on hold for: {keywords}. Members asking about it get “no” with your note, and every weekly nudge and thank-you pauses until the hold is lifted. "
              "I'm telling all {members} members now and will send you a summary. *crisis lift* ends the hold.",
        "de": {"du": "Posten ist angehalten für: {keywords}. Wer dazu fragt, bekommt „nein“ mit deiner Notiz, und alle wöchentlichen Erinnerungen und Dankesnachrichten pausieren, bis der Stopp aufgehoben ist. "
                     "Ich informiere jetzt alle {members} Mitglieder und schicke dir eine Zusammenfassung. *krise aufheben* hebt es auf.",
               "sie": "Posten ist angehalten für: {keywords}. Wer dazu fragt, bekommt „nein“ mit Ihrer Notiz, und alle wöchentlichen Erinnerungen und Dankesnachrichten pausieren, bis der Stopp aufgehoben ist. "
                      "Ich informiere jetzt alle {members} Mitglieder und schicke Ihnen eine Zusammenfassung. *krise aufheben* hebt es auf."},
    },
    "crisis.hold_none": {"en": "No posting hold is active.", "de": "Es ist kein Posting-Stopp aktiv."},
    "crisis.hold_which": {
        "en": "Several holds are active: {holds}. Write *crisis lift KEYWORD* or *crisis lift all*.",
        "de": {"du": "Mehrere Stopps sind aktiv: {holds}. Schreib *krise aufheben STICHWORT* oder *krise aufheben alle*.",
               "sie": "Mehrere Stopps sind aktiv: {holds}. Schreiben Sie *krise aufheben STICHWORT* oder *krise aufheben alle*."},
    },
    "crisis.lifted": {
        "en": "The hold on {keywords} is lifted; I'm telling the members now.",
        "de": "Der Stopp zu {keywords} ist aufgehoben; ich informiere jetzt die Mitglieder.",
    },
    "crisis.hold_notice_title": {"en": "Please hold back on: {keywords}", "de": "Bitte zurückhalten bei: {keywords}"},
    "crisis.hold_notice": {
        "en": "{note}\nUntil comms lifts this: don't post, comment on or share anything about it.",
        "de": {"du": "{note}\nBis die Kommunikation das aufhebt: nichts dazu posten, kommentieren oder teilen.",
               "sie": "{note}\nBis die Kommunikation das aufhebt: nichts dazu posten, kommentieren oder teilen."},
    },
    "crisis.lift_notice": {
        "en": "The hold on {keywords} is lifted: you may post about it again, within the usual guidelines.",
        "de": {"du": "Der Stopp zu {keywords} ist aufgehoben: du darfst wieder darüber posten, im Rahmen der üblichen Richtlinien.",
               "sie": "Der Stopp zu {keywords} ist aufgehoben: Sie dürfen wieder darüber posten, im Rahmen der üblichen Richtlinien."},
    },
    "crisis.hold_summary": {
        "en": "{what} on {keywords}: {notified} members told, {failed} not reachable (in the trail: ambassador crisis list).",
        "de": "{what} zu {keywords}: {notified} Mitglieder informiert, {failed} nicht erreichbar (im Protokoll: ambassador crisis list).",
    },
    "crisis.hold_word": {"en": "Hold", "de": "Stopp"},
    "crisis.lift_word": {"en": "Lift", "de": "Aufhebung"},
    "crisis.list_title": {"en": "Crisis reports", "de": "Krisenmeldungen"},
    "crisis.list_none": {"en": "No crisis reports.", "de": "Keine Krisenmeldungen."},
    "crisis.mydata": {"en": "Crisis reports", "de": "Krisenmeldungen"},
    "crisis.mydata_none": {"en": "none", "de": "keine"},
    "crisis.status.open": {"en": "open", "de": "offen"},
    "crisis.status.acknowledged": {"en": "acknowledged", "de": "übernommen"},
    "crisis.status.resolved": {"en": "resolved", "de": "abgeschlossen"},
}

_SUB = {
    "ack": {"ack", "acknowledge", "übernehmen", "quittieren", "bestätigen"},
    "resolve": {"resolve", "close", "abschließen", "erledigt", "schließen"},
    "handover": {"handover", "hand-over", "übergeben", "übergabe"},
    "add": {"add", "details", "ergänzen", "nachtrag"},
    "severity": {"severity", "dringlichkeit"},
    "list": {"list", "liste"},
    "show": {"show", "zeige", "zeigen"},
    "hold": {"hold", "stopp", "anhalten"},
    "lift": {"lift", "aufheben", "freigeben"},
}
_SUBWORD = {w: name for name, words in _SUB.items() for w in words}
_COMMAND_WORD = re.compile(r"^(?:<@[A-Z0-9]+>\s*)?[/!]?\s*(?:report crisis|krise melden|crisis|krise)(?!\w)[:\s]*",
                           re.IGNORECASE)
_REF = re.compile(r"\b([A-Za-z]{1,5}-\d{4}-\d{1,9})\b")


def register(router: Router) -> None:
    for sub in ("list", "show", "ack", "resolve", "hold", "lift"):
        router.help_entries.append((f"crisis.help.{sub}.usage", f"crisis.help.{sub}.desc", frozenset({LEAD, BACKUP})))
    # "crisis" in both lists: it tells nothing about the language, the report's text does.
    # long_text: a report is never refused for its length (the shortcut reports someone else's message,
    # which the reporter cannot shorten); what is beyond MAX_REPORT_TEXT is cut, and the reporter told.
    router.command("crisis", en=["crisis", "report crisis"], de=["krise", "crisis", "krise melden"],
                   roles=[EMPLOYEE], help_key="crisis.desc", usage_key="crisis.usage", long_text=True)(crisis_command)
    router.action("crisis.report", roles=[EMPLOYEE], long_text=True)(report_action)
    router.action("crisis.severity", roles=[EMPLOYEE])(severity_action)
    router.action("crisis.add", roles=[EMPLOYEE])(add_action)
    router.action("crisis.ack", roles=[EMPLOYEE])(ack_action)
    router.action("crisis.resolve", roles=[EMPLOYEE])(resolve_action)
    router.action("crisis.handover", roles=[EMPLOYEE])(handover_action)


# -- small helpers ------------------------------------------------------------------


def _aware(dt: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def fmt_time(dt: datetime | None, tz: str, *, seconds: bool = False) -> str:
    if dt is None:
        return "-"
    local = _aware(dt).astimezone(ZoneInfo(tz))
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _tz(core: Core) -> str:
    return core.settings.app.timezone


def _lang_of(core: Core, person: Person | None) -> str:
    return core.language_of(person)


_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_URL = re.compile(r"https?://[^\s<>\"'）)\]]+")
_PLATFORMS = {
    "tiktok.com": "TikTok", "instagram.com": "Instagram", "facebook.com": "Facebook", "fb.watch": "Facebook",
    "x.com": "X", "twitter.com": "X", "linkedin.com": "LinkedIn", "youtube.com": "YouTube", "youtu.be": "YouTube",
    "reddit.com": "Reddit", "xing.com": "XING", "kununu.com": "kununu", "glassdoor.com": "Glassdoor",
    "glassdoor.de": "Glassdoor", "threads.net": "Threads", "bsky.app": "Bluesky", "t.me": "Telegram",
    "whatsapp.com": "WhatsApp", "snapchat.com": "Snapchat", "pinterest.com": "Pinterest", "twitch.tv": "Twitch",
    "trustpilot.com": "Trustpilot",
}
_PLATFORM_WORDS = re.compile(
    r"\b(tiktok|instagram|insta|facebook|twitter|linkedin|youtube|reddit|xing|kununu|glassdoor|threads|bluesky|"
    r"telegram|whatsapp|snapchat|mastodon|twitch|trustpilot|google reviews?|presse|press|tv|radio|zeitung|newspaper)\b",
    re.IGNORECASE,
)


def extract_links(text: str) -> list[str]:
    found = [m[1] for m in _SLACK_LINK.finditer(text)]
    rest = _SLACK_LINK.sub(" ", text)
    found += [u.rstrip(".,;:!?") for u in _URL.findall(rest)]
    out: list[str] = []
    for u in found:
        if u not in out:
            out.append(u[:2000])
    return out[:20]


def platform_of(url: str | None, text: str = "") -> str | None:
    if url:
        host = (urlparse(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
        for domain, name in _PLATFORMS.items():
            if host == domain or host.endswith("." + domain):
                return name
    m = _PLATFORM_WORDS.search(text)
    if m:
        word = m[1].lower()
        return {"insta": "Instagram", "twitter": "X", "presse": "press", "zeitung": "newspaper"}.get(
            word, _PLATFORMS.get(f"{word}.com", m[1])
        )
    if url:
        return urlparse(url).hostname
    return None


def propose_severity(text: str, cfg: CrisisConfig | None = None) -> str:
    """The highest severity the report's words say, in German or English (knowledge.severity); medium when none."""
    return crisis_severity(text, cfg.keywords if cfg is not None else None)


# -- who is in the policy --------------------------------------------------------------


async def _role_emails(core: Core, role: str) -> list[str]:
    """The addresses behind a role name, app.yaml plus the changes made in chat."""
    want = LEAD if role in LEAD_ROLES else BACKUP
    async with core.db.session() as s:
        grants = (await s.exec(select(RoleGrant).where(RoleGrant.role == want, RoleGrant.department == "")
                               .order_by(RoleGrant.changed_at))).all()
    return _emails_of_role(core, role, [(g.role, g.email, g.granted) for g in grants])


def _emails_of_role(core: Core, role: str, grants: Iterable[tuple[str, str, bool]]) -> list[str]:
    """The addresses behind a role name from app.yaml and the grants (role, email, granted), oldest first."""
    cfg = core.settings.app.roles
    want = LEAD if role in LEAD_ROLES else BACKUP
    out: list[str] = []
    if want == LEAD and cfg.comms_lead:
        out.append(cfg.comms_lead.lower())
    if want == BACKUP:
        out += [b.lower() for b in cfg.backup]
    for grant_role, grant_email, granted in grants:
        if grant_role != want:
            continue
        email = grant_email.lower()
        if granted and email not in out:
            out.append(email)
        elif not granted and email in out:
            out.remove(email)
    return out


async def _level_emails(core: Core, level: Level) -> list[str]:
    out: list[str] = []
    for entry in level.who:
        for email in (await _role_emails(core, entry)) if entry in ROLE_NAMES else [entry]:
            if email not in out:
                out.append(email)
    return out


async def policy_emails(core: Core) -> list[str]:
    """Everyone who may acknowledge, resolve or hand over: the ``who`` of every level of both policies."""
    out: list[str] = []
    for level in config(core).all_levels():
        for email in await _level_emails(core, level):
            if email not in out:
                out.append(email)
    return out


async def rota_emails(core: Core) -> list[str]:
    """Who may read crisis reports and act on them: everyone the policy names (every level of both
    policies) and the comms lead. Nobody else, whatever their role: a backup the policy leaves out
    is not on the rota."""
    out = await policy_emails(core)
    return out + [e for e in await _role_emails(core, "comms_lead") if e not in out]


async def _on_rota(ctx: Context) -> bool:
    email = (ctx.person.email or "").lower()
    return bool(email) and not ctx.person.is_guest and email in await rota_emails(ctx.core)


def _unknown(ctx: Context, ref: str) -> Reply:
    """The answer to a reference that does not exist, and to one the asker may not read: the same,
    so that nobody off the rota learns whether a report exists."""
    return Reply(text=ctx.t("crisis.unknown_ref", ref=_clip(ref, 40)))


# -- reports -------------------------------------------------------------------------


@dataclass
class Draft:
    text: str
    source: str
    links: list[str] = field(default_factory=list)
    permalink: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    cut: int = 0  # characters beyond MAX_REPORT_TEXT that were not kept


def _draft(msg: Incoming, text: str, source: str, permalink: str | None = None) -> Draft:
    full = text.strip()
    text = full[:MAX_REPORT_TEXT]
    attachments = [{"name": a.name, "content_type": a.content_type, "url": a.url} for a in msg.attachments]
    # Links from the whole text: one at the very end of a long paste is often the point of it.
    return Draft(text=text, source=source, links=extract_links(full), permalink=permalink,
                 attachments=attachments, cut=len(full) - len(text))


async def store_report(core: Core, person: Person, draft: Draft, *, lang: str,
                       source_key: str | None = None) -> tuple[CrisisReport, bool]:
    """Store a report and its first audit entry; (report, False) when this source made one already.

    The job alerts it within seconds; the chat handler alerts at once instead (``_store`` with a claim).
    """
    report, created, _ = await _store(core, person, draft, lang=lang, source_key=source_key, claim=False)
    return report, created


@dataclass
class _NewReport:
    """A report on its way into the database, with its first alert claimed when ``claim``."""

    person: Person
    draft: Draft
    lang: str
    source_key: str | None
    claim: bool
    now: datetime


async def _store(core: Core, person: Person, draft: Draft, *, lang: str, source_key: str | None,
                 claim: bool) -> tuple[CrisisReport, bool, _Step | None]:
    """Store a report (and, with ``claim``, its first step claimed for this process with its attempts).

    Reports arriving together share one transaction (``_write_reports``); each caller returns once
    its report is committed, as with a transaction of its own.
    """
    report, created, step = await _state(core).stores.submit(
        _NewReport(person=person, draft=draft, lang=lang, source_key=source_key, claim=claim, now=core.now()))
    if created:
        log.info("crisis reported", extra={"ref": report.ref, "severity": report.severity, "source": draft.source})
    return report, created, step


def _detached(model: type[Any], row: Any) -> Any:
    """An ORM object from a row read or written with Core statements, as a closed session leaves one."""
    obj = model(**dict(row))
    make_transient_to_detached(obj)
    return obj


async def _write_reports(core: Core, items: list[_NewReport]) -> list[tuple[CrisisReport, bool, _Step | None]]:
    """One transaction for the reports that arrived together: their rows, first audit entries and, for the
    claimed ones, the first step's claim and attempts (written as 'sending' before anything is sent: this
    process sends them without another write in between; if it stops, the short claim runs out and the
    job sends them, their outcome unknown). The policy's people are read in the same transaction, once for
    the batch, and handed to the first alert: who is alerted is what the database said when the report was
    stored, without a read per report."""
    cfg = config(core)
    reports, events = CrisisReport.__table__, CrisisEvent.__table__
    results: list[tuple[CrisisReport, bool, _Step | None] | None] = [None] * len(items)
    async with core.db.engine.begin() as conn:
        stored: dict[str, CrisisReport] = {}
        keys = sorted({it.source_key for it in items if it.source_key})
        if keys:
            # A handler run twice for one message (recovery after a crash) makes one report.
            stored = {row["source_key"]: _detached(CrisisReport, row) for row in (await conn.execute(
                core_select(reports).where(reports.c.source_key.in_(keys)))).mappings()}
        fresh: list[int] = []
        first_of: dict[str, int] = {}
        for i, it in enumerate(items):
            if it.source_key in stored:
                results[i] = (stored[it.source_key], False, None)
            elif it.source_key and it.source_key in first_of:
                continue  # the same message twice in one batch: answered from the first below
            else:
                if it.source_key:
                    first_of[it.source_key] = i
                fresh.append(i)
        plans = await _first_steps(core, conn, cfg, [items[i] for i in fresh if items[i].claim])
        rows = []
        for i in fresh:
            it, draft = items[i], items[i].draft
            severity = propose_severity(draft.text, cfg)
            url = draft.links[0] if draft.links else None
            policy_name = cfg.policy_at(it.now, _tz(core))
            rows.append({
                "ref": None, "source_key": it.source_key, "reporter_id": it.person.id,
                "reporter_pseudonym": it.person.pseudonym, "reporter_lang": it.lang, "source": draft.source,
                "text": draft.text, "links": draft.links, "place": platform_of(url, draft.text), "url": url,
                "permalink": draft.permalink, "attachments": draft.attachments, "severity": severity,
                "proposed_severity": severity, "status": "open", "policy": policy_name, "step": 0,
                "next_at": it.now, "claim_until": it.now + FIRST_CLAIM if it.claim else None,
                "claim_token": uuid.uuid4().hex if it.claim else None, "owner_id": None, "owner_pseudonym": None,
                "acked_at": None, "resolved_at": None, "resolution_note": None, "created_at": it.now})
        if rows:
            ids = (await conn.execute(_statements().report, rows)).scalars().all()
            for row, report_id in zip(rows, ids, strict=True):
                row["id"] = report_id
                row["ref"] = f"{cfg.reference_prefix}-{row['created_at'].year}-{report_id:04d}"
            await conn.execute(_statements().ref, [{"_id": r["id"], "_ref": r["ref"]} for r in rows])
            await conn.execute(insert(events), [{
                "report_id": row["id"], "hold_id": None, "kind": "reported", "at": row["created_at"],
                "actor_id": items[i].person.id, "actor_pseudonym": items[i].person.pseudonym,
                "detail": {"severity": row["severity"], "source": row["source"], "policy": row["policy"],
                           "links": len(row["links"]), "chars": len(row["text"]),
                           "attachments": [a["name"] for a in row["attachments"]]},
            } for i, row in zip(fresh, rows, strict=True)])
            wanted = [(row, target) for i, row in zip(fresh, rows, strict=True) if items[i].claim
                      for target in plans[row["policy"]][0]]
            attempt_ids = iter((await conn.execute(_statements().attempt, [
                {"report_id": row["id"], "step": 0, "via": target.via, "target": target.target, "person_id": None,
                 "status": "sending", "tries": 1, "error": None, "started_at": row["created_at"], "finished_at": None}
                for row, target in wanted])).scalars().all() if wanted else [])
            for i, row in zip(fresh, rows, strict=True):
                report = _detached(CrisisReport, row)
                step = None
                if items[i].claim:
                    targets, people = plans[row["policy"]]
                    step = _Step(report=report, token=row["claim_token"], policy=cfg.policy(row["policy"]), level=0,
                                 round=0, targets=len(targets), to_send=[(x, next(attempt_ids)) for x in targets],
                                 reached_before=False, people=people)
                results[i] = (report, True, step)
    for i, it in enumerate(items):
        if results[i] is None:  # the second of one message in the batch
            results[i] = (results[first_of[it.source_key]][0], False, None)
    return results  # type: ignore[return-value]


async def _first_steps(core: Core, conn: Any, cfg: CrisisConfig, items: list[_NewReport]
                       ) -> dict[str, tuple[list[Target], dict[str, tuple[Person, list[Identity]]]]]:
    """For each policy the claimed reports fall under: the first level's targets and, of its chat targets,
    the people reachable on a connected platform with their accounts (the others are looked up as before,
    on the platforms, when the alert is sent)."""
    names = sorted({cfg.policy_at(it.now, _tz(core)) for it in items})
    if not names:
        return {}
    levels = {name: cfg.policy(name).levels[0] for name in names}
    grants: list[tuple[str, str, bool]] = []
    if any(entry in ROLE_NAMES for level in levels.values() for entry in level.who):
        grants = [tuple(r) for r in (await conn.execute(_statements().grants)).all()]
    targets = {name: _level_targets(level, {e: _emails_of_role(core, e, grants) for e in level.who
                                            if e in ROLE_NAMES}) for name, level in levels.items()}
    emails = sorted({x.target for found in targets.values() for x in found if x.via == "chat"})
    people: dict[str, tuple[Person, list[Identity]]] = {}
    if emails:
        persons = {row["email"]: _detached(Person, row) for row in (await conn.execute(
            _statements().people, {"emails": emails})).mappings()}
        accounts: dict[int, list[Identity]] = {}
        if persons:
            for row in (await conn.execute(_statements().identities,
                                           {"ids": sorted(p.id for p in persons.values())})).mappings():
                accounts.setdefault(row["person_id"], []).append(_detached(Identity, row))
        for email, person in persons.items():
            mine = accounts.get(person.id, [])
            if any(a.platform in core.senders for a in mine):
                people[email] = (person, mine)
    return {name: (found, {x.target: people[x.target] for x in found if x.target in people})
            for name, found in targets.items()}


@dataclass(frozen=True)
class _Statements:
    report: Any  # CrisisReport rows; returns their ids in order
    ref: Any  # sets the references (expanding _id, _ref)
    attempt: Any  # CrisisAttempt rows; returns their ids in order
    grants: Any  # the lead and backup grants made in chat, oldest first
    people: Any  # persons by address (expanding "emails")
    identities: Any  # their accounts (expanding "ids")
    sent: Any  # an attempt delivered
    failed: Any  # an attempt failed
    moved: Any  # a report moved on to its next step, if this process still holds the claim


@functools.cache
def _statements() -> _Statements:
    """The burst path's statements, built once: building one costs about what running it does."""
    reports, attempts = CrisisReport.__table__, CrisisAttempt.__table__
    grants, people, identities = RoleGrant.__table__, Person.__table__, Identity.__table__
    return _Statements(
        report=insert(reports).returning(reports.c.id, sort_by_parameter_order=True),
        ref=update(reports).where(reports.c.id == bindparam("_id")).values(ref=bindparam("_ref")),
        attempt=insert(attempts).returning(attempts.c.id, sort_by_parameter_order=True),
        grants=core_select(grants.c.role, grants.c.email, grants.c.granted)
        .where(grants.c.role.in_([LEAD, BACKUP]), grants.c.department == "").order_by(grants.c.changed_at),
        people=core_select(people).where(people.c.email.in_(bindparam("emails", expanding=True))),
        identities=core_select(identities).where(identities.c.person_id.in_(bindparam("ids", expanding=True))),
        sent=update(attempts).where(attempts.c.id == bindparam("_id")).values(
            status="sent", person_id=bindparam("_person"), finished_at=bindparam("_done")),
        failed=update(attempts).where(attempts.c.id == bindparam("_id")).values(
            status="failed", error=bindparam("_error"), finished_at=bindparam("_done")),
        moved=update(reports).where(reports.c.id == bindparam("_id"), reports.c.claim_token == bindparam("_token"),
                                    reports.c.status == "open").values(
            step=bindparam("_step"), next_at=bindparam("_next"), claim_until=None, claim_token=None),
    )


def _source_key(msg: Incoming) -> str | None:
    return f"{msg.platform}:{msg.event_id}"[:300] if msg.event_id else None


async def _report(ctx: Context, msg: Incoming, draft: Draft) -> Reply:
    t = ctx.t
    if not draft.text and not draft.attachments:
        return Reply(text=t("crisis.empty"))
    report, _, step = await _store(ctx.core, ctx.person, draft, lang=ctx.lang, source_key=_source_key(msg),
                                   claim=True)
    title = "crisis.receipt_title"
    if step is not None and await _reachable_elsewhere_only(ctx.core, step):
        # This process (a terminal chat beside the running bot) cannot reach the first level: it leaves
        # the alert to the process that can, instead of recording that nobody was reached.
        await _release_claim(ctx.core, step)
        title = "crisis.receipt_title_elsewhere"
    elif step is not None:
        sent = _Sent()
        _spawn(ctx.core, _first_alert(ctx.core, step, ctx.person, sent))
        # The alert goes out before the receipt: when many reports arrive at once, comms hearing of
        # them is what must not wait. A slow platform holds the receipt up RECEIPT_AFTER at most.
        try:
            await asyncio.wait_for(sent.event.wait(), RECEIPT_AFTER)
        except TimeoutError:
            pass
        if sent.event.is_set():
            # Said only when true: someone was alerted; or nobody could be, and the reporter hears whom to call.
            title = "crisis.receipt_title_alerted" if sent.reached else "crisis.receipt_title_unreached"
    elif await _alerted_before(ctx.core, report):
        title = "crisis.receipt_title_alerted"  # the same report again (a retry, a rerun): as it stands
    receipt = _receipt(t, report)
    if title == "crisis.receipt_title_unreached":
        receipt.text = t("crisis.receipt_unreached", people=", ".join(await policy_emails(ctx.core)) or "-") \
            + "\n\n" + receipt.text
    receipt.title = t(title, ref=report.ref)
    if draft.cut:
        receipt.text += "\n" + t("crisis.cut", kept=f"{MAX_REPORT_TEXT:,}", cut=f"{draft.cut:,}")
    return receipt


def _receipt(t, report: CrisisReport) -> Reply:
    fields = [ReplyField(t("crisis.severity"), t("crisis.severity_proposed", severity=t(f"crisis.sev.{report.severity}")))]
    if report.place or report.url:
        fields.append(ReplyField(t("crisis.where"), " ".join(x for x in (report.place, report.url) if x)))
    if len(report.links) > 1:
        fields.append(ReplyField(t("crisis.links"), " ".join(report.links[1:])))
    text = t("crisis.receipt", ref=report.ref)
    if report.attachments:
        names = ", ".join(a["name"] for a in report.attachments)
        fields.append(ReplyField(t("crisis.attachments"), names))
        if not report.text:
            text += "\n" + t("crisis.unreadable", names=names, ref=report.ref)
    buttons = [
        Button(label=t(f"crisis.sev.{sev}").capitalize(), action_id=f"crisis.severity:{sev}",
               value={"ref": report.ref, "severity": sev},
               style="primary" if sev == report.severity else None)
        for sev in SEVERITIES
    ]
    buttons.append(Button(label=t("crisis.add_button"), action_id="crisis.add", value={"ref": report.ref}))
    return Reply(title=t("crisis.receipt_title", ref=report.ref), text=text, fields=fields, buttons=buttons,
                 context=t("crisis.receipt_context", ref=report.ref))


async def report_action(ctx: Context, msg: Incoming) -> Reply:
    """The "Report to comms" shortcut and the report button other capabilities offer."""
    text = str(msg.values.get("text") or msg.text or "")
    permalink = msg.values.get("permalink") or msg.meta.get("message_link")
    source = "shortcut" if msg.source == "shortcut" else "action"
    return await _report(ctx, msg, _draft(msg, text, source, permalink=str(permalink) if permalink else None))


async def crisis_command(ctx: Context, msg: Incoming) -> Reply | list[Reply]:
    args = ctx.args.strip()
    word, _, rest = args.partition(" ")
    sub = _SUBWORD.get(word.lower())
    rest = rest.strip()
    ref_match = _REF.search(rest)
    if sub in ("ack", "resolve", "handover", "add", "severity", "show") and (ref_match or not rest):
        if not ref_match:
            return Reply(text=ctx.t("crisis.need_ref", verb=word.lower()))
        ref = ref_match[1].upper()
        after = (rest[: ref_match.start()] + rest[ref_match.end():]).strip()
        if sub == "ack":
            return await acknowledge(ctx, ref)
        if sub == "resolve":
            return await resolve(ctx, ref, after, without_note=False)
        if sub == "handover":
            return await hand_over(ctx, ref, after)
        if sub == "add":
            return await add_details(ctx, msg, ref, after)
        if sub == "severity":
            return await set_severity(ctx, ref, after.lower())
        return await show(ctx, ref)
    if sub == "list" and not rest:
        return await list_reports(ctx)
    if sub in ("hold", "lift"):
        clearly = ("--" in rest) if sub == "hold" else len(rest.split()) <= 3
        if await _on_rota(ctx):
            if sub == "lift" or rest:
                return await hold(ctx, rest) if sub == "hold" else await lift(ctx, rest)
            return Reply(text=ctx.t("crisis.hold_usage"))
        if clearly:
            return Reply(text=ctx.t("crisis.refused", what=ctx.t("crisis.what_hold")))
    # Anything else is a report: never lose one to a parsing rule. The raw text keeps its line breaks.
    raw = _COMMAND_WORD.match(msg.text.strip())
    body = msg.text.strip()[raw.end():] if raw else args
    source = "command" if msg.source == "command" else "message"
    return await _report(ctx, msg, _draft(msg, body, source))


async def _load(core: Core, ref: str) -> CrisisReport | None:
    async with core.db.session() as s:
        return (await s.exec(select(CrisisReport).where(CrisisReport.ref == ref.upper()))).first()


async def _event(core: Core, kind: str, *, report_id: int | None = None, hold_id: int | None = None,
                 actor: Person | None = None, **detail: Any) -> None:
    async with core.db.session() as s:
        s.add(CrisisEvent(report_id=report_id, hold_id=hold_id, kind=kind, at=core.now(),
                          actor_id=actor.id if actor else None, actor_pseudonym=actor.pseudonym if actor else None,
                          detail=detail))
        await s.commit()


async def _person(core: Core, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    async with core.db.session() as s:
        return await s.get(Person, person_id)


def _name(person: Person | None, pseudonym: str | None = None) -> str:
    if person is None:
        return pseudonym or "-"
    return person.display_name or person.email or person.pseudonym


async def _may_change(ctx: Context, report: CrisisReport) -> bool:
    """The reporter keeps their own report (details, severity); otherwise only the rota."""
    return (report.reporter_id is not None and report.reporter_id == ctx.person.id) or await _on_rota(ctx)


async def set_severity(ctx: Context, ref: str, severity: str) -> Reply:
    t = ctx.t
    report = await _load(ctx.core, ref)
    if report is None or not await _may_change(ctx, report):
        return _unknown(ctx, ref)
    by_word = {t(f"crisis.sev.{s}"): s for s in SEVERITIES} | {s: s for s in SEVERITIES}
    severity = by_word.get(severity.strip().lower(), "")
    if severity not in SEVERITIES:
        return Reply(text=t("crisis.severity_set", ref=report.ref, severity=t(f"crisis.sev.{report.severity}")))
    if severity != report.severity:
        async with ctx.db.session() as s:
            await s.execute(update(CrisisReport).where(CrisisReport.id == report.id).values(severity=severity))
            s.add(CrisisEvent(report_id=report.id, kind="severity_changed", at=ctx.core.now(), actor_id=ctx.person.id,
                              actor_pseudonym=ctx.person.pseudonym, detail={"from": report.severity, "to": severity}))
            await s.commit()
        if report.status != "resolved":
            # Those who already have the alert judge by its severity: they hear of the change.
            _spawn(ctx.core, _tell_all_alerted(ctx.core, report, ctx.person.id, "crisis.severity_notice",
                                               name=_name(ctx.person), sev_from=f"crisis.sev.{report.severity}",
                                               sev_to=f"crisis.sev.{severity}"))
    return Reply(text=t("crisis.severity_set", ref=report.ref, severity=t(f"crisis.sev.{severity}")))


async def severity_action(ctx: Context, msg: Incoming) -> Reply:
    return await set_severity(ctx, str(msg.values.get("ref") or ""), str(msg.values.get("severity") or ""))


async def add_action(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=ctx.t("crisis.add_how", ref=str(msg.values.get("ref") or "K-…")))


async def add_details(ctx: Context, msg: Incoming, ref: str, text: str) -> Reply:
    t = ctx.t
    report = await _load(ctx.core, ref)
    if report is None or not await _may_change(ctx, report):
        return _unknown(ctx, ref)
    draft = _draft(msg, text, "details")
    if not draft.text and not draft.attachments:
        return Reply(text=t("crisis.add_how", ref=report.ref))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        row = await s.get(CrisisReport, report.id)
        stamp = fmt_time(now, _tz(ctx.core))
        row.text = _clip((row.text + f"\n\n[{stamp}] " if row.text else "") + draft.text, MAX_REPORT_TEXT)
        row.links = (row.links + [u for u in draft.links if u not in row.links])[:20]
        row.attachments = row.attachments + draft.attachments
        if not row.place and draft.links:
            row.place, row.url = platform_of(draft.links[0], draft.text), draft.links[0]
        s.add(row)
        s.add(CrisisEvent(report_id=report.id, kind="details_added", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym,
                          detail={"chars": len(draft.text), "links": len(draft.links),
                                  "attachments": [a["name"] for a in draft.attachments]}))
        await s.commit()
    if report.owner_id and report.owner_id != ctx.person.id and report.status != "resolved":
        owner = await _person(ctx.core, report.owner_id)
        ot = ctx.core.translator(_lang_of(ctx.core, owner))
        try:
            await ctx.core.notify(report.owner_id, [Reply(text=ot("crisis.details_notice", ref=report.ref,
                                                                  text=_clip(draft.text, 1500)))])
        except DeliveryError as exc:
            await _event(ctx.core, "delivery_failed", report_id=report.id, via="chat", target="owner",
                         what="details", error=str(exc)[:300])
    return Reply(text=t("crisis.added", ref=report.ref))


# -- acknowledge, resolve, hand over ---------------------------------------------------


def _ref_of(ctx: Context, msg: Incoming) -> str:
    found = _REF.search(ctx.args)
    return str(msg.values.get("ref") or "").strip() or (found[1] if found else "")


async def ack_action(ctx: Context, msg: Incoming) -> Reply:
    return await acknowledge(ctx, _ref_of(ctx, msg))


async def resolve_action(ctx: Context, msg: Incoming) -> Reply:
    return await resolve(ctx, _ref_of(ctx, msg), str(msg.values.get("note") or ""),
                         without_note=bool(msg.values.get("no_note")))


async def handover_action(ctx: Context, msg: Incoming) -> Reply:
    return await hand_over(ctx, _ref_of(ctx, msg), str(msg.values.get("to") or msg.values.get("value") or ""))


async def _resolved_reply(ctx: Context, report: CrisisReport) -> Reply:
    owner = await _person(ctx.core, report.owner_id)
    return Reply(text=ctx.t("crisis.already_resolved", ref=report.ref, name=_name(owner, report.owner_pseudonym),
                            time=fmt_time(report.resolved_at, _tz(ctx.core)), note=report.resolution_note or "-"))


async def _taken_reply(ctx: Context, report: CrisisReport) -> Reply:
    if report.owner_id == ctx.person.id:
        return Reply(text=ctx.t("crisis.already_yours", ref=report.ref), buttons=_owner_buttons(ctx.t, report.ref))
    owner = await _person(ctx.core, report.owner_id)
    return Reply(text=ctx.t("crisis.taken_by", ref=report.ref, name=_name(owner, report.owner_pseudonym),
                            time=fmt_time(report.acked_at, _tz(ctx.core))))


def _owner_buttons(t, ref: str) -> list[Button]:
    return [Button(label=t("crisis.resolve_button"), action_id="crisis.resolve", value={"ref": ref}),
            Button(label=t("crisis.handover_button"), action_id="crisis.handover", value={"ref": ref})]


async def acknowledge(ctx: Context, ref: str) -> Reply:
    t = ctx.t
    if not ref:
        return Reply(text=t("crisis.need_ref", verb="ack"))
    if not await _on_rota(ctx):
        return _unknown(ctx, ref)
    report = await _load(ctx.core, ref)
    if report is None:
        return _unknown(ctx, ref)
    if report.status == "resolved":
        return await _resolved_reply(ctx, report)
    if report.status == "acknowledged":
        return await _taken_reply(ctx, report)
    now = ctx.core.now()
    async with ctx.db.session() as s:
        res = await s.execute(
            update(CrisisReport).where(CrisisReport.id == report.id, CrisisReport.status == "open")
            .values(status="acknowledged", owner_id=ctx.person.id, owner_pseudonym=ctx.person.pseudonym,
                    acked_at=now, next_at=None)
        )
        if res.rowcount != 1:
            await s.rollback()
            report = await _load(ctx.core, report.ref)
            return await (_resolved_reply(ctx, report) if report.status == "resolved" else _taken_reply(ctx, report))
        s.add(CrisisEvent(report_id=report.id, kind="acknowledged", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym, detail={"step": report.step}))
        await s.commit()
    log.info("crisis acknowledged", extra={"ref": report.ref})
    name = _name(ctx.person)
    await asyncio.gather(_tell_reporter(ctx.core, report, "crisis.reporter_taken", name=name,
                                        time=fmt_time(now, _tz(ctx.core))),
                         _tell_alerted(ctx.core, report, ctx.person, name))
    return Reply(text=t("crisis.acked", ref=report.ref), buttons=_owner_buttons(t, report.ref))


async def _tell_reporter(core: Core, report: CrisisReport, key: str, **values: Any) -> None:
    if report.reporter_id is None:
        return
    t = core.translator(report.reporter_lang)
    try:
        await asyncio.wait_for(core.notify(report.reporter_id, [Reply(text=t(key, ref=report.ref, **values))]),
                               DELIVERY_TIMEOUT)
        await _event(core, "reporter_told", report_id=report.id, what=key.rsplit("_", 1)[-1])
    except (DeliveryError, TimeoutError) as exc:
        await _event(core, "delivery_failed", report_id=report.id, via="chat", target="reporter",
                     error=str(exc)[:300] or "timed out")


async def _tell_alerted(core: Core, report: CrisisReport, taker: Person, name: str) -> None:
    """Everyone alerted so far learns that someone has it, so two people don't act at once."""
    await _tell_all_alerted(core, report, taker.id, "crisis.taken_notice", name=name)


async def _tell_all_alerted(core: Core, report: CrisisReport, but: int | None, key: str, **values: Any) -> None:
    """A text to everyone alerted of the report so far (and its owner), but the one who caused it."""
    async with core.db.session() as s:
        ids = set((await s.exec(select(CrisisAttempt.person_id).where(
            CrisisAttempt.report_id == report.id, CrisisAttempt.status == "sent",
            CrisisAttempt.person_id.is_not(None)))).all())
    if report.owner_id is not None:
        ids.add(report.owner_id)
    ids.discard(but)

    async def one(person_id: int) -> None:
        t = core.translator(_lang_of(core, await _person(core, person_id)))
        text = t(key, ref=report.ref, **{k: t(v) if k.startswith("sev") else v for k, v in values.items()})
        try:
            await asyncio.wait_for(core.notify(person_id, [Reply(text=text)]), DELIVERY_TIMEOUT)
        except (DeliveryError, TimeoutError):
            log.warning("could not tell an alerted person", extra={"ref": report.ref, "what": key})

    await asyncio.gather(*(one(i) for i in ids))


async def resolve(ctx: Context, ref: str, note: str, *, without_note: bool) -> Reply:
    t = ctx.t
    if not ref:
        return Reply(text=t("crisis.need_ref", verb="resolve"))
    if not await _on_rota(ctx):
        return _unknown(ctx, ref)
    report = await _load(ctx.core, ref)
    if report is None:
        return _unknown(ctx, ref)
    if report.status == "resolved":
        return await _resolved_reply(ctx, report)
    note = note.strip()[:4000]
    if not note and not without_note:
        return Reply(text=t("crisis.resolve_ask", ref=report.ref),
                     buttons=[Button(label=t("crisis.resolve_without"), action_id="crisis.resolve",
                                     value={"ref": report.ref, "no_note": True})])
    now = ctx.core.now()
    async with ctx.db.session() as s:
        values: dict[str, Any] = {"status": "resolved", "resolved_at": now, "resolution_note": note or None,
                                  "next_at": None}
        if report.owner_id is None:
            values.update(owner_id=ctx.person.id, owner_pseudonym=ctx.person.pseudonym)
        res = await s.execute(update(CrisisReport).where(CrisisReport.id == report.id,
                                                         CrisisReport.status != "resolved").values(**values))
        if res.rowcount != 1:
            await s.rollback()
            return await _resolved_reply(ctx, await _load(ctx.core, report.ref))
        s.add(CrisisEvent(report_id=report.id, kind="resolved", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym, detail={"note": note} if note else {}))
        await s.commit()
    log.info("crisis resolved", extra={"ref": report.ref})
    await _tell_reporter(ctx.core, report, "crisis.reporter_resolved")
    return Reply(text=t("crisis.resolved", ref=report.ref))


async def hand_over(ctx: Context, ref: str, to: str) -> Reply:
    t = ctx.t
    if not ref:
        return Reply(text=t("crisis.need_ref", verb="handover"))
    if not await _on_rota(ctx):
        return _unknown(ctx, ref)
    report = await _load(ctx.core, ref)
    if report is None:
        return _unknown(ctx, ref)
    if report.status == "resolved":
        return await _resolved_reply(ctx, report)
    me = (ctx.person.email or "").lower()
    others = [e for e in await rota_emails(ctx.core) if e != me]
    to = to.strip().strip("<>").removeprefix("mailto:").lower()
    if not to:
        if not others:
            return Reply(text=t("crisis.handover_nobody", ref=report.ref))
        return Reply(text=t("crisis.handover_pick", ref=report.ref), buttons=[
            Button(label=email, action_id=f"crisis.handover:{i}", value={"ref": report.ref, "to": email})
            for i, email in enumerate(others[:10])
        ])
    if to not in others:
        return Reply(text=t("crisis.handover_not_in_policy", email=_clip(to, 80), people=", ".join(others) or "-"))
    target = await ctx.core.person_by_email(to)
    name = _name(target) if target else to
    now = ctx.core.now()
    try:
        if target is None:
            raise DeliveryError(f"nobody with the address {to} is known on Slack or Teams")
        tt = ctx.core.translator(_lang_of(ctx.core, target))
        alert = _alert_reply(ctx.core, report, tt, None, await _person(ctx.core, report.reporter_id))
        alert.title = tt("crisis.handover_title", name=_name(ctx.person), ref=report.ref)
        await asyncio.wait_for(ctx.core.notify(target.id, [alert]), DELIVERY_TIMEOUT)
    except (DeliveryError, TimeoutError) as exc:
        error = str(exc)[:300] or "timed out"
        await _event(ctx.core, "delivery_failed", report_id=report.id, actor=ctx.person, via="chat", target=to,
                     what="handover", error=error)
        return Reply(text=t("crisis.handover_failed", name=name, error=_clip(error, 200), ref=report.ref))
    async with ctx.db.session() as s:
        moved = await s.execute(update(CrisisReport).where(CrisisReport.id == report.id, CrisisReport.status != "resolved")
                                .values(status="acknowledged", owner_id=target.id, owner_pseudonym=target.pseudonym,
                                        acked_at=report.acked_at or now, next_at=None))
        if moved.rowcount != 1:
            # Resolved by someone else while the alert went out: the trail says so, the sender hears it.
            await s.rollback()
            return await _resolved_reply(ctx, await _load(ctx.core, report.ref) or report)
        s.add(CrisisEvent(report_id=report.id, kind="handed_over", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym,
                          detail={"to_pseudonym": target.pseudonym}))
        await s.commit()
    return Reply(text=t("crisis.handed_over", ref=report.ref, name=name))


# -- escalation ------------------------------------------------------------------------


@dataclass
class Target:
    via: str  # chat | channel | email | webhook
    target: str
    label: str  # what the trail shows: the role or address the policy names


async def _targets(core: Core, level: Level) -> list[Target]:
    return _level_targets(level, {e: await _role_emails(core, e) for e in level.who if e in ROLE_NAMES})


def _level_targets(level: Level, role_emails: dict[str, list[str]]) -> list[Target]:
    out: list[Target] = []
    for entry in level.who:
        emails = role_emails[entry] if entry in ROLE_NAMES else [entry]
        out += [Target("chat", e, entry if entry in ROLE_NAMES else e) for e in emails]
    if level.channel:
        out.append(Target("channel", level.channel, level.channel))
    out += [Target("email", str(e).lower(), str(e).lower()) for e in level.email]
    out += [Target("webhook", u, u) for u in level.webhook]
    seen: set[tuple[str, str]] = set()
    return [x for x in out if (x.via, x.target) not in seen and not seen.add((x.via, x.target))]


def _position(cfg: CrisisConfig, report: CrisisReport) -> tuple[Policy, int, int, int]:
    policy = cfg.policy(report.policy)
    n = len(policy.levels)
    return policy, report.step % n, report.step // n, n * policy.rounds


def _alert_reply(core: Core, report: CrisisReport, t, level_info: tuple[int, int, Policy] | None,
                 reporter: Person | None) -> Reply:
    tz = _tz(core)
    fields = []
    if report.place or report.url:
        fields.append(ReplyField(t("crisis.where"), " ".join(x for x in (report.place, report.url) if x)))
    if len(report.links) > 1:
        fields.append(ReplyField(t("crisis.links"), " ".join(report.links[1:6])))
    if report.permalink and report.permalink != report.url:
        fields.append(ReplyField(t("crisis.message"), report.permalink))
    if report.attachments:
        fields.append(ReplyField(t("crisis.attachments"), ", ".join(
            a["name"] + (f" ({a['url']})" if a.get("url") else "") for a in report.attachments[:5])))
    who = _name(reporter, report.reporter_pseudonym)
    if reporter is not None and reporter.email and reporter.email not in who:
        who += f" <{reporter.email}>"
    fields.append(ReplyField(t("crisis.reported_by"), who))
    fields.append(ReplyField(t("crisis.reported_at"), f"{fmt_time(report.created_at, tz)} ({tz})"))
    context = None
    if level_info is not None:
        level, round_, policy = level_info
        fields.append(ReplyField(t("crisis.escalation"), t("crisis.escalation_value", level=level + 1,
                                                           levels=len(policy.levels), round=round_ + 1,
                                                           rounds=policy.rounds)))
        context = t("crisis.alert_context", minutes=f"{policy.levels[level].timeout:g}")
    value = {"ref": report.ref, "_lang": t.lang}
    return Reply(
        title=t("crisis.alert_title", ref=report.ref, severity=t(f"crisis.sev.{report.severity}")),
        text=_clip(report.text, 2500) or t("crisis.no_text"),
        fields=fields,
        buttons=[Button(label=t("crisis.ack_button"), action_id="crisis.ack", value=dict(value), style="primary"),
                 Button(label=t("crisis.resolve_button"), action_id="crisis.resolve", value=dict(value)),
                 Button(label=t("crisis.handover_button"), action_id="crisis.handover", value=dict(value))],
        context=context,
    )


async def _deliver(core: Core, report: CrisisReport, target: Target, level_info, reporter: Person | None,
                   people: dict[str, tuple[Person, list[Identity]]] | None = None) -> tuple[Person | None, str]:
    """Send one alert; returns (the person alerted, how) or raises with the reason.

    ``people``: chat targets read with the report (address -> person, accounts); others are looked up now.
    """
    if target.via == "chat":
        known = (people or {}).get(target.target)
        person, accounts = known if known is not None else (await core.person_by_email(target.target), None)
        if person is None:
            raise DeliveryError(f"nobody with the address {target.target} is known on Slack or Teams")
        if not person.active:
            raise DeliveryError(f"{target.target} is deactivated on the chat platform")
        t = core.translator(_lang_of(core, person))
        return person, await core.notify(person.id, [_alert_reply(core, report, t, level_info, reporter)],
                                         identities=accounts)
    t = core.translator(core.settings.app.language.default)
    alert = _alert_reply(core, report, t, level_info, reporter)
    if target.via == "channel":
        platform, _, conversation = target.target.partition(":")
        sender = core.senders.get(platform)
        if sender is None:
            raise DeliveryError(f"{platform} is not connected in this process")
        await sender.send_to_conversation(conversation, [alert], None)
        return None, platform
    if target.via == "email":
        smtp = mail.SmtpSettings.from_env()
        body = alert.plain() + "\n\n" + t("crisis.alert_how", ref=report.ref) + "\n"
        await mail.send_email(smtp, [target.target], alert.title or report.ref or "", body)
        return None, "email"
    level, round_, policy = level_info
    await mail.post_webhook(target.target, {
        "event": "crisis.alert", "reference": report.ref, "severity": report.severity, "status": report.status,
        "summary": alert.title, "text": report.text[:5000], "place": report.place, "url": report.url,
        "links": report.links, "level": level + 1, "round": round_ + 1, "rounds": policy.rounds,
        "reported_at": _aware(report.created_at).isoformat(), "acknowledge": f"crisis ack {report.ref}",
    })
    return None, "webhook"


class _Sent:
    """A first alert's progress, for the receipt: set once every alert of the step went out or failed."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.reached = False


async def _reachable_elsewhere_only(core: Core, step: _Step) -> bool:
    """True when no target of the step can be reached from this process, but its people have accounts
    on a platform another process serves (the terminal chat beside a running Slack or Teams bot)."""
    chat = [t.target for t, _ in step.to_send if t.via == "chat"]
    if not chat or len(chat) != len(step.to_send) or any(email in step.people for email in chat):
        return False
    async with core.db.session() as s:
        platforms = set((await s.exec(select(Identity.platform).join(Person, Person.id == Identity.person_id)
                                      .where(Person.email.in_(chat)))).all())
    return bool(platforms - set(core.senders))


async def _alerted_before(core: Core, report: CrisisReport) -> bool:
    async with core.db.session() as s:
        return (await s.exec(select(CrisisAttempt.id).where(CrisisAttempt.report_id == report.id,
                                                           CrisisAttempt.status == "sent").limit(1))).first() is not None


async def _release_claim(core: Core, step: _Step) -> None:
    """Give the step back unsent: its attempts were never tried, so none of them is left behind."""
    async with core.db.session() as s:
        released = await s.execute(update(CrisisReport).where(CrisisReport.id == step.report.id,
                                                              CrisisReport.claim_token == step.token)
                                   .values(claim_until=None, claim_token=None))
        if released.rowcount == 1:
            await s.execute(delete(CrisisAttempt).where(CrisisAttempt.id.in_([a for _, a in step.to_send]),
                                                        CrisisAttempt.status == "sending"))
        await s.commit()


@dataclass
class _Step:
    """One escalation step claimed by this process: the attempts to send, the claim token to finish it with."""

    report: CrisisReport
    token: str
    policy: Policy
    level: int
    round: int
    targets: int
    to_send: list[tuple[Target, int]]  # (target, attempt id)
    reached_before: bool  # an attempt of this step went out before (a resumed step)
    # Chat targets read with the claim: address -> (person, accounts). Others are looked up when sent.
    people: dict[str, tuple[Person, list[Identity]]] = field(default_factory=dict)


async def _first_alert(core: Core, step: _Step, reporter: Person, sent: _Sent | None = None) -> None:
    holding = asyncio.get_running_loop().create_task(_hold_first_claim(core, step.report.id, step.token))
    try:
        done = await _run_step(core, step, reporter, sent)
    finally:
        holding.cancel()
    if not done:
        await advance(core, step.report.id)


async def _hold_first_claim(core: Core, report_id: int, token: str) -> None:
    """Renew the short claim of a first alert while this process is still sending it.

    The claim is short so that the job takes over soon when the reporting process dies; a platform
    that is merely slow (a 429 with a long Retry-After) must not look like a dead process, or the
    job would send the same alert a second time while the first is still on its way.
    """
    reports = CrisisReport.__table__
    while True:
        await asyncio.sleep(FIRST_CLAIM_RENEW)
        try:
            async with core.db.engine.begin() as conn:
                kept = await conn.execute(
                    update(reports).where(reports.c.id == report_id, reports.c.claim_token == token)
                    .values(claim_until=core.now() + FIRST_CLAIM))
            if kept.rowcount != 1:
                return  # the step is finished (or was taken over): nothing to hold
        except Exception as exc:  # the database is away: the claim runs out and the job takes over
            log.warning("crisis claim not renewed", extra={"error": type(exc).__name__})


async def advance(core: Core, report_id: int) -> bool:
    """Alert the report's due step, if it is due and this process wins the claim.

    A step where nobody was reached is followed at once by the next one.
    Returns True when something was sent or decided.
    """
    did = False
    while True:  # ends: every round either returns or moves the report one step on
        step = await _claim(core, report_id)
        if step is None:
            return did
        if step == "exhausted":
            return True
        did = True
        async with core.db.session() as s:
            reporter = await s.get(Person, step.report.reporter_id) if step.report.reporter_id else None
        if await _run_step(core, step, reporter):
            return did


async def _claim(core: Core, report_id: int) -> _Step | Literal["exhausted"] | None:
    cfg = config(core)
    async with core.db.session() as s:
        report = await s.get(CrisisReport, report_id)
    now = core.now()
    if report is None or report.status != "open" or report.next_at is None or _aware(report.next_at) > now:
        return None
    policy, level, round_, total = _position(cfg, report)
    targets = await _targets(core, policy.levels[level]) if report.step < total else []
    token = uuid.uuid4().hex
    async with core.db.session() as s:
        # Compare and set: one replica (one task) works on a report's step at a time.
        claimed = await s.execute(
            update(CrisisReport)
            .where(CrisisReport.id == report_id, CrisisReport.status == "open", CrisisReport.step == report.step,
                   CrisisReport.next_at <= now,
                   or_(CrisisReport.claim_until.is_(None), CrisisReport.claim_until < now))
            .values(claim_until=now + CLAIM, claim_token=token)
        )
        if claimed.rowcount != 1:
            await s.rollback()
            return None
        if report.step >= total:
            await s.execute(update(CrisisReport).where(CrisisReport.id == report_id)
                            .values(next_at=None, claim_until=None, claim_token=None))
            s.add(CrisisEvent(report_id=report_id, kind="exhausted", at=now,
                              detail={"rounds": policy.rounds, "levels": len(policy.levels)}))
            await s.commit()
            log.error("crisis escalation ended without acknowledgement", extra={"ref": report.ref})
            # The reporter must not believe someone has it: they hear whom to call instead.
            _spawn(core, _tell_reporter(core, report, "crisis.reporter_unanswered",
                                        people=", ".join(await policy_emails(core)) or "-"))
            return "exhausted"
        known = {(a.via, a.target): a for a in (await s.exec(select(CrisisAttempt).where(
            CrisisAttempt.report_id == report_id, CrisisAttempt.step == report.step))).all()}
        pending: list[tuple[Target, CrisisAttempt]] = []
        for target in targets:
            attempt = known.get((target.via, target.target))
            if attempt is None:
                attempt = CrisisAttempt(report_id=report_id, step=report.step, via=target.via, target=target.target,
                                        started_at=now)
            elif attempt.status == "sending":
                # The process that sent it stopped before it knew the outcome: send again.
                attempt.tries += 1
                attempt.started_at = now
                s.add(CrisisEvent(report_id=report_id, kind="resending", at=now,
                                  detail={"level": level + 1, "round": round_ + 1, "via": target.via,
                                          "target": target.label, "tries": attempt.tries}))
            else:
                continue
            s.add(attempt)
            pending.append((target, attempt))
        await s.commit()
    return _Step(report=report, token=token, policy=policy, level=level, round=round_, targets=len(targets),
                 to_send=[(x, a.id) for x, a in pending],
                 reached_before=any(a.status == "sent" for a in known.values()))


async def _run_step(core: Core, step: _Step, reporter: Person | None, sent: _Sent | None = None) -> bool:
    """Send a claimed step's alerts, record each outcome and move the report on; True when someone was reached.

    ``sent`` is set once every alert of the step has gone out or failed (before the outcome is stored).
    """
    report = step.report
    level_info = (step.level, step.round, step.policy)
    try:
        results = await asyncio.gather(*(
            asyncio.wait_for(_deliver(core, report, target, level_info, reporter, step.people), DELIVERY_TIMEOUT)
            for target, _ in step.to_send
        ), return_exceptions=True)
        if sent is not None:
            sent.reached = any(not isinstance(r, BaseException) for r in results)
    finally:
        if sent is not None:
            sent.event.set()
    done = core.now()
    # The alerts are out: their outcome is stored even across a short database outage (within the
    # claim), or the next claim would send every one of them again.
    for delay in RECORD_RETRIES:
        try:
            return await _record_step(core, step, results, done)
        except DBAPIError:
            log.warning("crisis step outcome not stored yet; trying again", extra={"ref": step.report.ref})
            await asyncio.sleep(delay)
    return await _record_step(core, step, results, done)


@dataclass
class _Outcome:
    """A sent step's results on their way into the database."""

    step: _Step
    results: list[Any]
    done: datetime


async def _record_step(core: Core, step: _Step, results: list[Any], done: datetime) -> bool:
    """Store a step's outcome and move the report on; steps finishing together share one transaction."""
    return await _state(core).records.submit(_Outcome(step, results, done))


async def _write_outcomes(core: Core, items: list[_Outcome]) -> list[bool]:
    sent: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    out: list[bool] = []

    def event(report_id: int, kind: str, at: datetime, detail: dict[str, Any]) -> None:
        events.append({"report_id": report_id, "hold_id": None, "kind": kind, "at": at, "actor_id": None,
                       "actor_pseudonym": None, "detail": detail})

    for item in items:
        step, done = item.step, item.done
        report = step.report
        reached = step.reached_before
        for (target, attempt_id), result in zip(step.to_send, item.results, strict=True):
            detail = {"level": step.level + 1, "round": step.round + 1, "via": target.via, "target": target.label}
            if isinstance(result, BaseException):
                if isinstance(result, TimeoutError):
                    error = f"no answer within {DELIVERY_TIMEOUT:g} s (it may still arrive)"
                elif isinstance(result, DeliveryError | mail.NotifyError):
                    error = str(result)
                else:
                    error = f"{type(result).__name__}: {result}"
                failed.append({"_id": attempt_id, "_error": error[:500], "_done": done})
                event(report.id, "delivery_failed", done, {**detail, "error": error[:300]})
            else:
                person, how = result
                reached = True
                sent.append({"_id": attempt_id, "_person": person.id if person else None, "_done": done})
                if person is not None:
                    detail["pseudonym"] = person.pseudonym
                event(report.id, "alerted", done, {**detail, "platform": how})
        last = step.level + 1 == len(step.policy.levels)
        if not reached:
            event(report.id, "level_unreached", done, {"level": step.level + 1, "round": step.round + 1,
                                                        "targets": step.targets, "at_once": not last})
        # Nobody reached: the next level at once. After the last level, though, the next round waits the
        # timeout like any other: when every platform is down, retrying at once would use up the rounds
        # before one comes back.
        wait = timedelta(minutes=step.policy.levels[step.level].timeout) if reached or last else timedelta(0)
        moved.append({"_id": report.id, "_token": step.token, "_step": report.step + 1, "_next": done + wait})
        out.append(reached)
    statements = _statements()
    async with core.db.engine.begin() as conn:
        if sent:
            await conn.execute(statements.sent, sent)
        if failed:
            await conn.execute(statements.failed, failed)
        if events:
            await conn.execute(insert(CrisisEvent.__table__), events)
        await conn.execute(statements.moved, moved)
    return out


async def run_due(core: Core) -> int:
    """The job: advance every due escalation and finish hold notices a stopped process left."""
    now = core.now()
    async with core.db.session() as s:
        due = (await s.exec(
            select(CrisisReport.id)
            .where(CrisisReport.status == "open", CrisisReport.next_at <= now)
            .where(or_(CrisisReport.claim_until.is_(None), CrisisReport.claim_until < now))
            .order_by(CrisisReport.next_at).limit(200)
        )).all()
        holds = (await s.exec(
            select(Hold.id).where(Hold.notice != "done")
            .where(or_(Hold.claim_until.is_(None), Hold.claim_until < now))
        )).all()
    count = 0
    for i in range(0, len(due), 10):
        results = await asyncio.gather(*(advance(core, rid) for rid in due[i:i + 10]), return_exceptions=True)
        for r in results:
            if isinstance(r, BaseException):
                log.error("crisis escalation step failed", exc_info=r)
            elif r:
                count += 1
    for hold_id in holds:
        await tell_members(core, hold_id)
    return count


# -- listing and the trail ---------------------------------------------------------------


# The trail in words, in the reader's language (the command line reads it in English).
TRAIL_TEXTS: dict[str, dict[str, str]] = {
    "crisis.ev.by": {"en": " by {actor}", "de": " von {actor}"},
    "crisis.ev.where": {"en": "level {level}, round {round}", "de": "Stufe {level}, Runde {round}"},
    "crisis.ev.attachments": {"en": ", attachments: {names}", "de": ", Anhänge: {names}"},
    "crisis.ev.reported": {"en": "reported{by} via {source}; severity {severity} proposed; {policy} policy; {chars} characters, {links} links{atts}",
                           "de": "gemeldet{by} über {source}; Dringlichkeit {severity} vorgeschlagen; Regelung {policy}; {chars} Zeichen, {links} Links{atts}"},
    "crisis.ev.alerted": {"en": "alerted {where}: {target}{person} via {via} ({platform})",
                          "de": "alarmiert {where}: {target}{person} über {via} ({platform})"},
    "crisis.ev.delivery_failed": {"en": "delivery failed{what}{by}: {head}{target} via {via}: {error}",
                                  "de": "Zustellung fehlgeschlagen{what}{by}: {head}{target} über {via}: {error}"},
    "crisis.ev.resending": {"en": "outcome unknown (process stopped while sending): sending again {where}: {target} via {via}",
                            "de": "Ausgang unbekannt (Prozess beim Senden gestoppt): erneut gesendet {where}: {target} über {via}"},
    "crisis.ev.unreached_now": {"en": "nobody reached at {where} ({targets} targets): next level alerted at once",
                                "de": "niemand erreicht auf {where} ({targets} Ziele): nächste Stufe sofort alarmiert"},
    "crisis.ev.unreached_later": {"en": "nobody reached at {where} ({targets} targets): next round after the timeout",
                                  "de": "niemand erreicht auf {where} ({targets} Ziele): nächste Runde nach Ablauf der Frist"},
    "crisis.ev.exhausted": {"en": "escalation ended: {rounds} rounds over {levels} levels without acknowledgement",
                            "de": "Eskalation beendet: {rounds} Runden über {levels} Stufen ohne Übernahme"},
    "crisis.ev.acknowledged": {"en": "acknowledged{by}", "de": "übernommen{by}"},
    "crisis.ev.handed_over": {"en": "handed over{by} to {to}", "de": "übergeben{by} an {to}"},
    "crisis.ev.resolved": {"en": "resolved{by}; note: {note}", "de": "abgeschlossen{by}; Notiz: {note}"},
    "crisis.ev.resolved_bare": {"en": "resolved{by}; no note", "de": "abgeschlossen{by}; keine Notiz"},
    "crisis.ev.severity_changed": {"en": "severity changed{by} from {old} to {new}", "de": "Dringlichkeit geändert{by} von {old} auf {new}"},
    "crisis.ev.details_added": {"en": "details added{by}: {chars} characters, {links} links",
                                "de": "Details ergänzt{by}: {chars} Zeichen, {links} Links"},
    "crisis.ev.reporter_told": {"en": "reporter told ({what})", "de": "meldende Person informiert ({what})"},
    "crisis.ev.hold_set": {"en": "posting hold set{by} on {keywords}: {note}", "de": "Posting-Stopp gesetzt{by} zu {keywords}: {note}"},
    "crisis.ev.hold_lifted": {"en": "posting hold lifted{by} on {keywords}", "de": "Posting-Stopp aufgehoben{by} zu {keywords}"},
    "crisis.ev.hold_notice_failed": {"en": "member {pseudonym} not told ({what}): {error}",
                                     "de": "Mitglied {pseudonym} nicht informiert ({what}): {error}"},
    "crisis.ev.hold_told": {"en": "members told of the {what}: {notified} reached, {failed} not",
                            "de": "Mitglieder informiert ({what}): {notified} erreicht, {failed} nicht"},
}


def _english(key: str, **values: Any) -> str:
    return TRAIL_TEXTS[key]["en"].format(**values)


def describe_event(e: CrisisEvent, people: dict[str, Person], t: Callable[..., str] | None = None) -> str:
    """One audit entry in words, in the reader's language (``t``; English without one, as the
    command line and the record read it).

    People are named while they exist; after "forget me" only their pseudonym stays.
    """
    say = t or _english

    def who(pseudonym: str | None) -> str:
        person = people.get(pseudonym) if pseudonym else None
        return f"{_name(person)} ({pseudonym})" if person else (pseudonym or "-")

    actor = who(e.actor_pseudonym) if e.actor_pseudonym else None
    d = e.detail or {}
    by = say("crisis.ev.by", actor=actor) if actor else ""
    where = say("crisis.ev.where", level=d.get("level"), round=d.get("round")) if "level" in d else ""
    if e.kind == "reported":
        atts = say("crisis.ev.attachments", names=", ".join(d["attachments"])) if d.get("attachments") else ""
        return say("crisis.ev.reported", by=by, source=d.get("source"), severity=d.get("severity"),
                   policy=d.get("policy"), chars=d.get("chars", 0), links=d.get("links", 0), atts=atts)
    if e.kind == "alerted":
        person = f" = {who(d['pseudonym'])}" if d.get("pseudonym") else ""
        return say("crisis.ev.alerted", where=where, target=d.get("target"), person=person, via=d.get("via"),
                   platform=d.get("platform"))
    if e.kind == "delivery_failed":
        what = f" ({d['what']})" if d.get("what") else ""
        head = f"{where}: " if where else ""
        return say("crisis.ev.delivery_failed", what=what, by=by, head=head, target=d.get("target"),
                   via=d.get("via"), error=d.get("error"))
    if e.kind == "resending":
        return say("crisis.ev.resending", where=where, target=d.get("target"), via=d.get("via"))
    if e.kind == "level_unreached":
        key = "crisis.ev.unreached_now" if d.get("at_once", True) else "crisis.ev.unreached_later"
        return say(key, where=where, targets=d.get("targets"))
    if e.kind == "exhausted":
        return say("crisis.ev.exhausted", rounds=d.get("rounds"), levels=d.get("levels"))
    if e.kind in ("acknowledged",):
        return say("crisis.ev.acknowledged", by=by)
    if e.kind == "handed_over":
        return say("crisis.ev.handed_over", by=by, to=who(d.get("to_pseudonym")))
    if e.kind == "resolved":
        if d.get("note"):
            return say("crisis.ev.resolved", by=by, note=d["note"])
        return say("crisis.ev.resolved_bare", by=by)
    if e.kind == "severity_changed":
        return say("crisis.ev.severity_changed", by=by, old=d.get("from"), new=d.get("to"))
    if e.kind == "details_added":
        return say("crisis.ev.details_added", by=by, chars=d.get("chars"), links=d.get("links"))
    if e.kind == "reporter_told":
        return say("crisis.ev.reporter_told", what=d.get("what"))
    if e.kind in ("hold_set", "hold_lifted"):
        return say(f"crisis.ev.{e.kind}", by=by, keywords=", ".join(d.get("keywords", [])), note=d.get("note"))
    if e.kind == "hold_notice_failed":
        return say("crisis.ev.hold_notice_failed", pseudonym=d.get("pseudonym"), what=d.get("what"),
                   error=d.get("error"))
    if e.kind == "hold_told":
        return say("crisis.ev.hold_told", what=d.get("what"), notified=d.get("notified"), failed=d.get("failed"))
    return f"{e.kind}{by} {d}"


async def trail(core: Core, report: CrisisReport, t: Callable[..., str] | None = None) -> list[tuple[datetime, str]]:
    async with core.db.session() as s:
        return await _trail(s, report, t)


async def _trail(s, report: CrisisReport, t: Callable[..., str] | None = None) -> list[tuple[datetime, str]]:
    events = (await s.exec(select(CrisisEvent).where(CrisisEvent.report_id == report.id)
                           .order_by(CrisisEvent.at, CrisisEvent.id))).all()
    names = {e.actor_pseudonym for e in events if e.actor_pseudonym}
    for e in events:
        names |= {v for k, v in (e.detail or {}).items() if k in ("pseudonym", "to_pseudonym") and v}
    people = {p.pseudonym: p for p in (await s.exec(select(Person).where(Person.pseudonym.in_(names)))).all()} if names else {}
    return [(_aware(e.at), describe_event(e, people, t)) for e in events]


def summary_line(report: CrisisReport, tz: str, people: dict[str, Person] | None = None) -> str:
    """One report in a line for ``ambassador crisis list``; people by pseudonym, named while they exist."""

    def who(pseudonym: str | None) -> str:
        person = (people or {}).get(pseudonym or "")
        return f"{_name(person)} ({pseudonym})" if person else (pseudonym or "-")

    return (f"{report.ref}  {fmt_time(report.created_at, tz)}  {report.severity:<8}  {report.status:<12}  "
            f"step {report.step}  {report.place or '-'}  reporter {who(report.reporter_pseudonym)}  "
            f"owner {who(report.owner_pseudonym)}  {_clip(' '.join(report.text.split()), 60)}")


async def list_reports(ctx: Context) -> Reply:
    t = ctx.t
    if not await _on_rota(ctx):
        return Reply(text=t("crisis.not_on_rota"))
    async with ctx.db.session() as s:
        reports = (await s.exec(select(CrisisReport).order_by(CrisisReport.id.desc()).limit(20))).all()
    if not reports:
        return Reply(text=t("crisis.list_none"))
    tz = _tz(ctx.core)
    fields = [ReplyField(r.ref or "?", f"{fmt_time(r.created_at, tz)} · {t(f'crisis.sev.{r.severity}')} · "
                                       f"{t(f'crisis.status.{r.status}')} · {_clip(' '.join(r.text.split()), 80)}")
              for r in reports]
    return Reply(title=t("crisis.list_title"), text="", fields=fields)


async def show(ctx: Context, ref: str) -> Reply:
    t = ctx.t
    report = await _load(ctx.core, ref)
    if report is None:
        return _unknown(ctx, ref)
    if not await _on_rota(ctx):
        if report.reporter_id is not None and report.reporter_id == ctx.person.id:
            # The reporter sees their own report as they got it, with its status, not the trail.
            receipt = _receipt(t, report)
            receipt.title = t("crisis.yours_title", ref=report.ref, status=t(f"crisis.status.{report.status}"))
            return receipt
        return _unknown(ctx, ref)
    tz = _tz(ctx.core)
    lines = [f"{fmt_time(at, tz, seconds=True)}  {text}" for at, text in await trail(ctx.core, report, t)]
    return Reply(title=f"{report.ref}: {t(f'crisis.status.{report.status}')}, {t(f'crisis.sev.{report.severity}')}",
                 text="\n".join([_clip(report.text, 1500) or t("crisis.no_text"), "", f"*{t('crisis.trail')}*",
                                 *lines[-40:]]))


# -- holding posting --------------------------------------------------------------------


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    # Start of a word, any ending: "recall" matches "recalls", "Rückruf" matches "Rückrufaktion".
    words = [re.escape(w) for w in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words), re.IGNORECASE)


def hold_matching(holds: Iterable[Hold], text: str) -> Hold | None:
    """The first active hold whose keywords the text mentions, or None."""
    for h in holds:
        if h.lifted_at is not None:
            continue
        for keyword in h.keywords:
            if keyword.strip() and _keyword_pattern(keyword.strip()).search(text):
                return h
    return None


# The answer engine asks for the holds on every question. They are read again after this many
# seconds: a hold placed or lifted on this replica applies to its next answer at once (hold and
# lift forget the list), one placed on another replica within this time.
ANSWER_HOLDS_TTL = 2.0
_answer_holds: weakref.WeakKeyDictionary[Core, tuple[float, asyncio.Future[list[Hold]]]] = weakref.WeakKeyDictionary()


async def answer_guard(core: Core, text: str) -> str | None:
    """For the answer engine: a question on a held topic gets "no" with the lead's note."""
    cached = _answer_holds.get(core)
    if cached is None or cached[0] <= time.monotonic() or cached[1].get_loop() is not asyncio.get_running_loop():
        # One read for all the questions arriving meanwhile.
        cached = (time.monotonic() + ANSWER_HOLDS_TTL, asyncio.ensure_future(active_holds(core)))
        _answer_holds[core] = cached
    try:
        holds = await asyncio.shield(cached[1])
    except Exception:
        if _answer_holds.get(core) is cached:
            del _answer_holds[core]  # read again next time, not after the TTL
        raise
    found = hold_matching(holds, text)
    return found.note if found else None


async def active_holds(core: Core) -> list[Hold]:
    """The holds in force now, newest first; the answer engine and the nudges consult them."""
    async with core.db.session() as s:
        return list((await s.exec(select(Hold).where(Hold.lifted_at.is_(None)).order_by(Hold.id.desc()))).all())


def parse_hold(args: str) -> tuple[list[str], str]:
    head, _, note = args.partition("--")
    head = head.strip()
    parts = [p.strip() for p in (head.split(",") if "," in head else head.split())]
    keywords: list[str] = []
    for p in parts:
        if p and p.lower() not in (k.lower() for k in keywords):
            keywords.append(_clip(p, 80))
    return keywords[:20], note.strip()[:2000]


async def _member_count(core: Core) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(Person).where(
            Person.is_member.is_(True), Person.active.is_(True), Person.is_guest.is_(False)))).one()


async def hold(ctx: Context, args: str) -> Reply:
    t = ctx.t
    keywords, note = parse_hold(args)
    if not keywords:
        return Reply(text=t("crisis.hold_usage"))
    note = note or t("crisis.hold_default_note")
    now = ctx.core.now()
    async with ctx.db.session() as s:
        row = Hold(keywords=keywords, note=note, created_by_id=ctx.person.id, created_by_pseudonym=ctx.person.pseudonym,
                   created_at=now, notice="hold")
        s.add(row)
        await s.flush()
        s.add(CrisisEvent(hold_id=row.id, kind="hold_set", at=now, actor_id=ctx.person.id,
                          actor_pseudonym=ctx.person.pseudonym, detail={"keywords": keywords, "note": note}))
        await s.commit()
    _answer_holds.pop(ctx.core, None)
    _spawn(ctx.core, tell_members(ctx.core, row.id))
    return Reply(text=t("crisis.hold_set", keywords=", ".join(keywords), members=await _member_count(ctx.core)))


async def lift(ctx: Context, args: str) -> Reply:
    t = ctx.t
    holds = await active_holds(ctx.core)
    if not holds:
        return Reply(text=t("crisis.hold_none"))
    arg = args.strip().lower()
    if arg in ("all", "alle"):
        chosen = holds
    elif arg:
        chosen = [h for h in holds if str(h.id) == arg.lstrip("#") or any(k.lower() == arg for k in h.keywords)] or [
            h for h in holds if hold_matching([h], arg)]
    else:
        chosen = holds if len(holds) == 1 else []
    if not chosen:
        return Reply(text=t("crisis.hold_which", holds="; ".join(", ".join(h.keywords) for h in holds)))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        for h in chosen:
            await s.execute(update(Hold).where(Hold.id == h.id, Hold.lifted_at.is_(None)).values(
                lifted_at=now, lifted_by_id=ctx.person.id, notice="lift", notice_cursor=0, notified=0, failed=0,
                claim_until=None))
            s.add(CrisisEvent(hold_id=h.id, kind="hold_lifted", at=now, actor_id=ctx.person.id,
                              actor_pseudonym=ctx.person.pseudonym, detail={"keywords": h.keywords}))
        await s.commit()
    _answer_holds.pop(ctx.core, None)
    for h in chosen:
        _spawn(ctx.core, tell_members(ctx.core, h.id))
    return Reply(text=t("crisis.lifted", keywords="; ".join(", ".join(h.keywords) for h in chosen)))


async def tell_members(core: Core, hold_id: int) -> None:
    """Tell every member about a hold (or its lifting), in batches; a restart resumes after the last batch."""
    while True:
        now = core.now()
        async with core.db.session() as s:
            claimed = await s.execute(
                update(Hold).where(Hold.id == hold_id, Hold.notice != "done",
                                   or_(Hold.claim_until.is_(None), Hold.claim_until < now))
                .values(claim_until=now + CLAIM))
            await s.commit()
            if claimed.rowcount != 1:
                return
            row = await s.get(Hold, hold_id)
            members = (await s.exec(
                select(Person).where(Person.is_member.is_(True), Person.active.is_(True), Person.is_guest.is_(False),
                                     Person.id > row.notice_cursor)
                .order_by(Person.id).limit(HOLD_BATCH))).all()
        what = row.notice
        keywords = ", ".join(row.keywords)

        async def one(person: Person, what: str = what, note: str = row.note, keywords: str = keywords) -> str | None:
            t = core.translator(_lang_of(core, person))
            reply = (Reply(title=t("crisis.hold_notice_title", keywords=keywords), text=t("crisis.hold_notice", note=note))
                     if what == "hold" else Reply(text=t("crisis.lift_notice", keywords=keywords)))
            try:
                await asyncio.wait_for(core.notify(person.id, [reply]), DELIVERY_TIMEOUT)
                return None
            except (DeliveryError, TimeoutError) as exc:
                return str(exc)[:300] or "timed out"

        errors = await asyncio.gather(*(one(p) for p in members))
        async with core.db.session() as s:
            row = await s.get(Hold, hold_id)
            if row.notice != what:
                return  # lifted meanwhile: the lifting is told from the start by its own run
            failed = [(p, e) for p, e in zip(members, errors, strict=True) if e]
            for p, e in failed:
                s.add(CrisisEvent(hold_id=hold_id, kind="hold_notice_failed", at=core.now(),
                                  detail={"pseudonym": p.pseudonym, "what": what, "error": e}))
            row.notified += len(members) - len(failed)
            row.failed += len(failed)
            row.claim_until = None
            finished = len(members) < HOLD_BATCH
            if members:
                row.notice_cursor = members[-1].id
            if finished:
                row.notice = "done"
                s.add(CrisisEvent(hold_id=hold_id, kind="hold_told", at=core.now(),
                                  detail={"what": what, "notified": row.notified, "failed": row.failed}))
            s.add(row)
            await s.commit()
        if finished:
            await _hold_summary(core, row, what)
            return


async def _hold_summary(core: Core, row: Hold, what: str) -> None:
    who = row.lifted_by_id if what == "lift" else row.created_by_id
    if who is None:
        return
    t = core.translator(_lang_of(core, await _person(core, who)))
    text = t("crisis.hold_summary", what=t(f"crisis.{what}_word"), keywords=", ".join(row.keywords),
             notified=row.notified, failed=row.failed)
    try:
        await asyncio.wait_for(core.notify(who, [Reply(text=text)]), DELIVERY_TIMEOUT)
    except (DeliveryError, TimeoutError):
        log.warning("hold summary not delivered", extra={"hold": row.id})


# -- privacy ----------------------------------------------------------------------------


async def my_data(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    async with ctx.db.session() as s:
        reports = (await s.exec(select(CrisisReport).where(CrisisReport.reporter_id == ctx.person.id)
                                .order_by(CrisisReport.id))).all()
    tz = _tz(ctx.core)
    lines = [f"{r.ref} ({fmt_time(r.created_at, tz)}, {t(f'crisis.sev.{r.severity}')}, {t(f'crisis.status.{r.status}')}): "
             f"{_clip(' '.join(r.text.split()), 80)}" for r in reports]
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


_REPORTS = CrisisReport.__table__


def _escalation_depth(now: datetime) -> Any:
    # Open and not acknowledged: "pending" has a next escalation step due;
    # "exhausted" went through every round and nobody acknowledged it.
    return (core_select(_REPORTS.c.next_at.is_(None), func.count())
            .where(_REPORTS.c.status == "open")
            .group_by(_REPORTS.c.next_at.is_(None)))


def _escalation_counts(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    return {"pending": sum(n for exhausted, n in rows if not exhausted),
            "exhausted": sum(n for exhausted, n in rows if exhausted)}


CAPABILITY = Capability(
    name="crisis",
    register=register,
    texts=(TEXTS, TRAIL_TEXTS),
    config=("crisis",),
    config_checks=(load_config,),
    # The reported message's link and screenshot go with the report.
    shortcuts=(Shortcut("crisis.report", slack="report_to_comms", teams="reportToComms", link=True, files=True),),
    jobs=(ScheduledJob(JOB_SECONDS, "crisis-escalation", run_due),),
    answer_guards=(answer_guard,),
    data_providers=(my_data,),
    forget_hooks=(forget,),
    outboxes=(OutboxGauge("crisis_escalation", _escalation_depth, counts=_escalation_counts),),
    cli=(cli_crisis.register,),
)
