"""Weekly shareable content: the content queue, approval, scheduled nudges through a
durable outbox, one-tap sharing and share tracking.

The nudge is built so that each (item, person) reaches the person at most once:

- a run (one wave of one schedule slot) is a ``content_run`` row, planned under
  a lease; planning writes one ``content_delivery`` (outbox) row per person and
  one ``content_link`` row per (item, person), both under unique constraints;
- one sender at a time (a lease row) works the outbox off, paced to the
  platform's limits; each row is claimed with a compare-and-set (on PostgreSQL
  after ``SELECT ... FOR UPDATE SKIP LOCKED``), marked 'sending' right before
  the platform call and 'sent' right after it;
- a row a stopped process left in 'sending' is 'uncertain': reconciled where
  the platform can tell (a sender with ``find_sent``), otherwise reported to
  the comms lead and not sent again unless someone says so
  (``ambassador nudge resend ID``).

Handlers here return neutral replies only; platform errors are recognised by
their text and attributes, never by importing an SDK.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import importlib
import inspect
import json
import logging
import os
import re
import secrets
import time
import uuid
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import and_, delete, func, insert, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot import cli_content, links
from bot.capability import Capability, OutboxGauge, ScheduledJob
from bot.config import Settings, validate_section
from bot.core import Context, Core
from bot.i18n import Translator, normalize_language
from bot.messages import BUTTON_VALUE_MAX, Button, Form, FormField, Incoming, Reply, button_id
from bot.messages import Field as RField
from bot.router import BACKUP, COMMUNICATOR, CORE, LEAD, MEMBER, Router, normalize_command_text
from storage.models import ConversationRef, Identity, Lease, Person, ProgramEvent, RoleGrant
from storage.models_content import (
    ContentClicks,
    ContentDelivery,
    ContentItem,
    ContentLink,
    ContentPref,
    ContentRun,
)
from storage.models_feeds import FeedState

log = logging.getLogger("ambassador.content")

# -- configuration ------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UtmConfig(_Strict):
    medium: str = "employee_advocacy"
    campaign: str = "ambassador"


_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ThanksConfig(_Strict):
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
        import holidays

        if code not in holidays.list_supported_countries():
            raise ValueError(f"no public holidays known for {v!r}; use a country code such as DE, AT, CH, GB or US, "
                             "or none (weekends only)")
        return code

    @model_validator(mode="after")
    def _region(self) -> ThanksConfig:
        if self.holidays is None or self.holiday_region is None:
            return self
        import holidays

        regions = holidays.list_supported_countries().get(self.holidays, [])
        if self.holiday_region not in regions:
            raise ValueError(f"holiday_region {self.holiday_region!r} is not a region of {self.holidays}; "
                             f"known: {', '.join(regions) or 'none'}")
        return self


class ContentConfig(_Strict):
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
        from croniter import croniter

        if not croniter.is_valid(v) or len(v.split()) != 5:
            raise ValueError(f"{v!r} is not a cron schedule of five fields, for example \"30 9 * * MON\"")
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

    @field_validator("public_url")
    @classmethod
    def _public(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("use the bot's public base address, for example https://ambassador.example.com")
        return v.rstrip("/")


def config(settings: Settings) -> ContentConfig:
    """The validated ``content:`` section; raises ConfigError naming file, line and key."""
    return validate_section(settings, "content", ContentConfig)


def public_url(settings: Settings) -> str | None:
    # The environment wins over app.yaml, as DATABASE_URL does: a deployment sets its own address.
    env = os.environ.get("PUBLIC_URL", "").strip()
    if env:
        return env.rstrip("/")
    return config(settings).public_url


def program_tz(settings: Settings) -> ZoneInfo:
    return ZoneInfo(config(settings).timezone or settings.app.timezone)


# -- texts ----------------------------------------------------------------------

TEXTS: dict[str, Any] = {
    "content.desc": {"en": "the content queue: add, list, retire", "de": "die Inhalte-Warteschlange: hinzufügen, auflisten, zurückziehen"},
    "content.approve.desc": {"en": "approve an item waiting for you", "de": "einen wartenden Inhalt freigeben"},
    "content.approve.usage": {"en": "content approve NUMBER", "de": "inhalt freigeben NUMMER"},
    "content.reject.desc": {"en": "reject an item, with a reason for its author", "de": "einen Inhalt ablehnen, mit Grund für die Person"},
    "content.reject.usage": {"en": "content reject NUMBER [REASON]", "de": "inhalt ablehnen NUMMER [GRUND]"},
    "content.reason.desc": {"en": "give the reason for a rejection made with the button", "de": "den Grund zu einer Ablehnung per Knopf nachreichen"},
    "content.reason.usage": {"en": "content reason NUMBER REASON", "de": "inhalt grund NUMMER GRUND"},
    "content.add.desc": {"en": "add shareable content", "de": "teilbaren Inhalt hinzufügen"},
    "content.add.usage": {"en": "content add url: … title: … en: … de: …", "de": "inhalt neu url: … titel: … de: … en: …"},
    "content.list.desc": {"en": "the content queue with its status", "de": "die Inhalte mit ihrem Status"},
    "content.retire.desc": {"en": "take an item out of the queue", "de": "einen Inhalt zurückziehen"},
    "content.retire.usage": {"en": "content retire NUMBER", "de": "inhalt zurückziehen NUMMER"},
    "content.status.desc": {"en": "how the last nudges went", "de": "wie die letzten Erinnerungen gelaufen sind"},
    "content.nudges.desc": {"en": "weekly content: weekly, every two weeks or pause", "de": "Inhalte per Erinnerung: wöchentlich, alle zwei Wochen oder Pause"},
    "content.nudges.usage": {"en": "nudges weekly|biweekly|pause", "de": "erinnerungen wöchentlich|zweiwöchentlich|pause"},
    "content.help": {
        "en": "Add an item in one message, one field per line (or separated by “ | ”):\n"
              "*content add*\nurl: https://example.com/news\ntitle: Our new plant opens\naudience: all | core | a department\n"
              "en: Suggested post in English\nde: Vorgeschlagener Post auf Deutsch\nfrom: 2026-04-01\nuntil: 2026-04-30\n"
              "image: https://example.com/photo.jpg\nrights: © Example GmbH, free for social media\n"
              "Then: *content list*, *content retire NUMBER*, *content status*.",
        "de": {"du": "Füge einen Inhalt in einer Nachricht hinzu, ein Feld pro Zeile (oder getrennt durch „ | “):\n"
                     "*inhalt neu*\nurl: https://example.com/news\ntitel: Unser neues Werk eröffnet\nzielgruppe: alle | kern | eine Abteilung\n"
                     "de: Vorgeschlagener Post auf Deutsch\nen: Suggested post in English\nab: 01.04.2026\nbis: 30.04.2026\n"
                     "bild: https://example.com/foto.jpg\nrechte: © Example GmbH, frei für soziale Medien\n"
                     "Danach: *inhalte*, *inhalt zurückziehen NUMMER*, *inhalte status*.",
               "sie": "Fügen Sie einen Inhalt in einer Nachricht hinzu, ein Feld pro Zeile (oder getrennt durch „ | “):\n"
                      "*inhalt neu*\nurl: https://example.com/news\ntitel: Unser neues Werk eröffnet\nzielgruppe: alle | kern | eine Abteilung\n"
                      "de: Vorgeschlagener Post auf Deutsch\nen: Suggested post in English\nab: 01.04.2026\nbis: 30.04.2026\n"
                      "bild: https://example.com/foto.jpg\nrechte: © Example GmbH, frei für soziale Medien\n"
                      "Danach: *inhalte*, *inhalt zurückziehen NUMMER*, *inhalte status*."},
    },
    # validation
    "content.err.url_missing": {
        "en": "The item needs a link: add a line *url: https://…*.",
        "de": {"du": "Der Inhalt braucht einen Link: Füge eine Zeile *url: https://…* hinzu.",
               "sie": "Der Inhalt braucht einen Link: Bitte fügen Sie eine Zeile *url: https://…* hinzu."},
    },
    "content.err.url_bad": {
        "en": "“{value}” is not a web address I can send people to; use a full link starting with https://.",
        "de": "„{value}“ ist keine Webadresse, auf die ich Leute schicken kann; bitte einen vollständigen Link mit https:// angeben.",
    },
    "content.err.text_missing": {
        "en": "The item needs a suggested post text in German or English: add a line *en: …* or *de: …*.",
        "de": {"du": "Der Inhalt braucht einen Textvorschlag auf Deutsch oder Englisch: Füge eine Zeile *de: …* oder *en: …* hinzu.",
               "sie": "Der Inhalt braucht einen Textvorschlag auf Deutsch oder Englisch: Bitte fügen Sie eine Zeile *de: …* oder *en: …* hinzu."},
    },
    "content.err.text_long": {
        "en": "The {lang} post text has {length} characters; LinkedIn takes at most {limit}. Please shorten it.",
        "de": "Der Text ({lang}) hat {length} Zeichen; LinkedIn nimmt höchstens {limit}. Bitte kürzen.",
    },
    "content.err.title_long": {"en": "The title is longer than {limit} characters.", "de": "Der Titel ist länger als {limit} Zeichen."},
    "content.err.date_bad": {
        "en": "“{value}” is not a date; write 2026-04-30 or 30.04.2026.",
        "de": "„{value}“ ist kein Datum; bitte 30.04.2026 oder 2026-04-30 schreiben.",
    },
    "content.err.until_past": {
        "en": "The end date {date} is in the past, so the item would never go out.",
        "de": "Das Enddatum {date} liegt in der Vergangenheit; der Inhalt würde nie verschickt.",
    },
    "content.err.from_after_until": {
        "en": "The start date {start} is after the end date {end}.",
        "de": "Das Startdatum {start} liegt nach dem Enddatum {end}.",
    },
    "content.err.audience_bad": {
        "en": "“{value}” is not an audience I know. Use all, core or one of the departments: {departments}.",
        "de": "„{value}“ ist keine Zielgruppe, die ich kenne. Möglich sind alle, kern oder eine der Abteilungen: {departments}.",
    },
    "content.err.audience_denied": {
        "en": "As a communicator for {departments} you can add content for your department(s) or for all members, not for “{value}”.",
        "de": {"du": "Als Kommunikator*in für {departments} kannst du Inhalte für deine Abteilung(en) oder für alle Mitglieder anlegen, nicht für „{value}“.",
               "sie": "Als Kommunikator*in für {departments} können Sie Inhalte für Ihre Abteilung(en) oder für alle Mitglieder anlegen, nicht für „{value}“."},
    },
    "content.err.image_bad": {
        "en": "The image “{value}” is not a web address; use a full link starting with https://.",
        "de": "Das Bild „{value}“ ist keine Webadresse; bitte einen vollständigen Link mit https:// angeben.",
    },
    "content.err.rights_missing": {
        "en": "An image needs its rights note (who owns it, may it be shared): add a line *rights: …*.",
        "de": {"du": "Ein Bild braucht einen Rechtehinweis (wem es gehört, ob es geteilt werden darf): Füge eine Zeile *rechte: …* hinzu.",
               "sie": "Ein Bild braucht einen Rechtehinweis (wem es gehört, ob es geteilt werden darf): Bitte fügen Sie eine Zeile *rechte: …* hinzu."},
    },
    "content.err.unknown_field": {
        "en": "I don't know the field “{value}”. Fields: url, title, audience, en, de, from, until, image, rights.",
        "de": "Das Feld „{value}“ kenne ich nicht. Felder: url, titel, zielgruppe, de, en, ab, bis, bild, rechte.",
    },
    "content.err.status_bad": {
        "en": "“{value}” is not a status for an import; use draft or approved.",
        "de": "„{value}“ ist kein Status für einen Import; möglich sind draft oder approved.",
    },
    "content.err.title": {"en": "Not added: {problems}", "de": "Nicht hinzugefügt: {problems}"},
    # the form (a Slack modal, a Teams card)
    "content.form.intro": {"en": "A new item for the content queue:", "de": "Ein neuer Inhalt für die Warteschlange:"},
    "content.form.title": {"en": "Add content", "de": "Inhalt hinzufügen"},
    "content.form.submit": {"en": "Add", "de": "Hinzufügen"},
    "content.form.open": {"en": "Add with a form", "de": "Mit Formular hinzufügen"},
    "content.form.again": {"en": "Open the form again", "de": "Formular wieder öffnen"},
    "content.form.url": {"en": "Link (URL)", "de": "Link (URL)"},
    "content.form.title_field": {"en": "Title", "de": "Titel"},
    "content.form.title_hint": {"en": "Optional: else the first line of the text.",
                                "de": "Optional: sonst die erste Zeile des Textes."},
    "content.form.en": {"en": "Suggested post in English", "de": "Textvorschlag auf Englisch"},
    "content.form.de": {"en": "Suggested post in German", "de": "Textvorschlag auf Deutsch"},
    "content.form.text_hint": {"en": "German, English or both; at most {limit} characters each.",
                               "de": "Deutsch, Englisch oder beides; jeweils höchstens {limit} Zeichen."},
    "content.form.audience": {"en": "Audience", "de": "Zielgruppe"},
    "content.form.from": {"en": "Valid from (optional)", "de": "Gültig ab (optional)"},
    "content.form.until": {"en": "Valid until (optional)", "de": "Gültig bis (optional)"},
    "content.form.image": {"en": "Image (URL, optional)", "de": "Bild (URL, optional)"},
    "content.form.rights": {"en": "Image rights", "de": "Bildrechte"},
    "content.form.rights_hint": {"en": "Who owns the image, and may it be shared? Needed with an image.",
                                 "de": "Wem gehört das Bild, und darf es geteilt werden? Nötig bei einem Bild."},
    "content.form.retry": {
        "en": "Nothing is lost: open the form again with what you entered, or correct this and send it as a message:",
        "de": {"du": "Nichts ist verloren: Öffne das Formular noch einmal mit deinen Eingaben, oder korrigiere diesen Text und schick ihn als Nachricht:",
               "sie": "Nichts ist verloren: Öffnen Sie das Formular noch einmal mit Ihren Eingaben, oder korrigieren Sie diesen Text und schicken Sie ihn als Nachricht:"},
    },
    "content.form.retry_text": {
        "en": "Nothing is lost: correct this and send it as a message:",
        "de": {"du": "Nichts ist verloren: Korrigiere diesen Text und schick ihn als Nachricht:",
               "sie": "Nichts ist verloren: Korrigieren Sie diesen Text und schicken Sie ihn als Nachricht:"},
    },
    # outcomes
    "content.added.approved": {
        "en": "Added #{id} “{title}” for {audience} ({langs}){valid}. It goes out with the next nudge ({next}).",
        "de": "#{id} „{title}“ für {audience} ({langs}){valid} hinzugefügt. Er geht mit der nächsten Erinnerung raus ({next}).",
    },
    "content.added.pending": {
        "en": "Added #{id} “{title}” for {audience} ({langs}){valid}. It waits for the comms lead's approval; you'll hear back.",
        "de": {"du": "#{id} „{title}“ für {audience} ({langs}){valid} hinzugefügt. Er wartet auf die Freigabe durch die Kommunikationsleitung; du hörst von mir.",
               "sie": "#{id} „{title}“ für {audience} ({langs}){valid} hinzugefügt. Er wartet auf die Freigabe durch die Kommunikationsleitung; Sie hören von mir."},
    },
    "content.valid": {"en": ", valid {range}", "de": ", gültig {range}"},
    "content.audience.all": {"en": "all members", "de": "alle Mitglieder"},
    "content.audience.core": {"en": "the core group", "de": "die Kerngruppe"},
    "content.audience.department": {"en": "{department}", "de": "{department}"},
    "content.status.draft": {"en": "draft", "de": "Entwurf"},
    "content.status.pending": {"en": "awaiting approval", "de": "wartet auf Freigabe"},
    "content.status.approved": {"en": "approved", "de": "freigegeben"},
    "content.status.rejected": {"en": "rejected", "de": "abgelehnt"},
    "content.status.retired": {"en": "retired", "de": "zurückgezogen"},
    "content.list.title": {"en": "Content queue", "de": "Inhalte"},
    "content.list.empty": {
        "en": "The queue is empty. Add the first item with *content add*.",
        "de": "Noch keine Inhalte. Den ersten mit *inhalt neu* hinzufügen.",
    },
    "content.list.line": {
        "en": "{status} · {audience} · {langs}{valid} · shared {shared}× of {sent}, {clicks} clicks",
        "de": "{status} · {audience} · {langs}{valid} · {shared}× geteilt von {sent}, {clicks} Klicks",
    },
    "content.list.more": {"en": "… and {count} older items.", "de": "… und {count} ältere Inhalte."},
    "content.list.source": {"en": " · from {source}", "de": " · aus {source}"},
    # feeds (handlers/feeds.py) in "content status"
    "content.feed.failing": {"en": "Feed “{name}” fails", "de": "Feed „{name}“ schlägt fehl"},
    "content.feed.failing_line": {"en": "{why} (since {since}). It is tried again at the next fetch.",
                                  "de": "{why} (seit {since}). Beim nächsten Abruf wird es erneut versucht."},
    "content.feed.skipped": {"en": "Feed “{name}”: {count} entries skipped", "de": "Feed „{name}“: {count} Einträge übersprungen"},
    "content.feed.why.timeout": {"en": "no answer within {detail} seconds", "de": "keine Antwort innerhalb von {detail} Sekunden"},
    "content.feed.why.too_large": {"en": "larger than the limit of {detail} bytes (feeds.max_bytes)",
                                   "de": "größer als die Grenze von {detail} Bytes (feeds.max_bytes)"},
    "content.feed.why.not_feed": {"en": "not an RSS or Atom feed ({detail})", "de": "kein RSS- oder Atom-Feed ({detail})"},
    "content.feed.why.http": {"en": "the server answered with HTTP {detail}", "de": "der Server antwortete mit HTTP {detail}"},
    "content.feed.why.unreachable": {"en": "the server cannot be reached ({detail})",
                                     "de": "der Server ist nicht erreichbar ({detail})"},
    "content.feed.why.host_not_allowed": {
        "en": "{detail} is not a host of the configured feeds (feeds.sources, feeds.hosts)",
        "de": "{detail} ist kein Host der eingetragenen Feeds (feeds.sources, feeds.hosts)"},
    "content.feed.why.private_address": {
        "en": "{detail} is a private or loopback address; feeds are fetched from public addresses only",
        "de": "{detail} ist eine private oder Loopback-Adresse; Feeds werden nur von öffentlichen Adressen abgerufen"},
    "content.feed.why.no_link": {"en": "the entry has no link", "de": "der Eintrag hat keinen Link"},
    "content.feed.why.other_host": {"en": "the link goes to another host ({detail})",
                                    "de": "der Link führt zu einem anderen Host ({detail})"},
    "content.feed.why.no_metadata": {"en": "the page has no title or preview data (OpenGraph, Twitter card)",
                                     "de": "die Seite hat keinen Titel und keine Vorschaudaten (OpenGraph, Twitter Card)"},
    "content.feed.why.bad_url": {"en": "not a web address: {detail}", "de": "keine Webadresse: {detail}"},
    "content.feed.why.error": {"en": "an unexpected error ({detail})", "de": "ein unerwarteter Fehler ({detail})"},
    "content.no_item": {"en": "There is no item #{id}.", "de": "Es gibt keinen Inhalt #{id}."},
    "content.need_number": {"en": "Which item? Write for example *content retire 12*.", "de": "Welcher Inhalt? Zum Beispiel *inhalt zurückziehen 12*."},
    "content.not_yours": {
        "en": "Item #{id} belongs to another department; only its communicators or the comms lead can change it.",
        "de": "Inhalt #{id} gehört zu einer anderen Abteilung; ändern können ihn nur deren Kommunikator*innen oder die Kommunikationsleitung.",
    },
    "content.not_yours_all": {
        "en": "Item #{id} is not one department's (it goes to all members or the core group): only the comms lead or the backup can change it.",
        "de": "Inhalt #{id} gehört keiner Abteilung (er geht an alle Mitglieder oder die Kerngruppe): Ändern können ihn nur die Kommunikationsleitung oder ihre Vertretung.",
    },
    "content.retired": {"en": "Retired #{id} “{title}”: it is not sent any more.", "de": "#{id} „{title}“ zurückgezogen: Er wird nicht mehr verschickt."},
    "content.already_retired": {"en": "#{id} was retired already.", "de": "#{id} war schon zurückgezogen."},
    # approval
    "content.approval.title": {"en": "Content to approve: #{id}", "de": "Inhalt zur Freigabe: #{id}"},
    "content.approval.text": {"en": "*{title}*\n{url}", "de": "*{title}*\n{url}"},
    "content.approval.audience": {"en": "Audience", "de": "Zielgruppe"},
    "content.approval.valid": {"en": "Valid", "de": "Gültig"},
    "content.approval.by": {"en": "Added by", "de": "Hinzugefügt von"},
    "content.approval.image": {"en": "Image", "de": "Bild"},
    "content.approval.approve": {"en": "Approve", "de": "Freigeben"},
    "content.approval.reject": {"en": "Reject", "de": "Ablehnen"},
    "content.approval.approved": {"en": "Approved #{id} “{title}” ({who}). It goes out with the next nudge.", "de": "#{id} „{title}“ freigegeben ({who}). Er geht mit der nächsten Erinnerung raus."},
    "content.approval.rejected": {"en": "Rejected #{id} “{title}” ({who}).", "de": "#{id} „{title}“ abgelehnt ({who})."},
    "content.approval.decided": {"en": "#{id} “{title}” is {status} already.", "de": "#{id} „{title}“ ist bereits {status}."},
    "content.approval.told_approved": {
        "en": "Your item #{id} “{title}” was approved and goes out with the next nudge.",
        "de": {"du": "Dein Inhalt #{id} „{title}“ wurde freigegeben und geht mit der nächsten Erinnerung raus.",
               "sie": "Ihr Inhalt #{id} „{title}“ wurde freigegeben und geht mit der nächsten Erinnerung raus."},
    },
    "content.approval.told_rejected": {
        "en": "Your item #{id} “{title}” was not approved.{note}",
        "de": {"du": "Dein Inhalt #{id} „{title}“ wurde nicht freigegeben.{note}",
               "sie": "Ihr Inhalt #{id} „{title}“ wurde nicht freigegeben.{note}"},
    },
    "content.approval.note": {"en": " Note: {note}", "de": " Hinweis: {note}"},
    "content.approval.reason_hint": {"en": "To tell the author why, write *content reason {id} WHY*.",
                                     "de": {"du": "Um der Person den Grund zu sagen, schreib *inhalt grund {id} WARUM*.",
                                            "sie": "Um der Person den Grund zu sagen, schreiben Sie *inhalt grund {id} WARUM*."}},
    "content.approval.reason_set": {"en": "The note on #{id} is saved; its author has it.",
                                    "de": "Der Hinweis zu #{id} ist gespeichert; die Person hat ihn bekommen."},
    "content.approval.reason_not_rejected": {"en": "#{id} is not rejected: a reason goes with a rejection.",
                                             "de": "#{id} ist nicht abgelehnt: Ein Grund gehört zu einer Ablehnung."},
    "content.approval.told_reason": {
        "en": "Why your item #{id} “{title}” was not approved: {note}",
        "de": {"du": "Warum dein Inhalt #{id} „{title}“ nicht freigegeben wurde: {note}",
               "sie": "Warum Ihr Inhalt #{id} „{title}“ nicht freigegeben wurde: {note}"},
    },
    # the nudge
    "content.nudge.title": {"en": "Something to share this week", "de": "Diese Woche zum Teilen"},
    "content.nudge.intro": {
        "en": "Here is fresh content, with a post ready to go. Share what you like; skip what you don't.",
        "de": {"du": "Hier sind neue Inhalte mit fertigem Post-Vorschlag. Teile, was dir gefällt; lass weg, was nicht passt.",
               "sie": "Hier sind neue Inhalte mit fertigem Post-Vorschlag. Teilen Sie, was Ihnen gefällt; lassen Sie weg, was nicht passt."},
    },
    "content.nudge.image": {"en": "Image: {url} ({rights})", "de": "Bild: {url} ({rights})"},
    "content.nudge.shared_mark": {"en": "✓ You shared this. Thank you!", "de": {"du": "✓ Du hast das geteilt. Danke!", "sie": "✓ Sie haben das geteilt. Danke!"}},
    "content.nudge.declined_mark": {"en": "Skipped.", "de": "Ausgelassen."},
    "content.nudge.gone_mark": {"en": "No longer available.", "de": "Nicht mehr verfügbar."},
    "content.nudge.context": {
        "en": "Sharing is voluntary. *nudges biweekly* or *nudges pause* changes how often you hear from me.",
        "de": {"du": "Teilen ist freiwillig. Mit *erinnerungen zweiwöchentlich* oder *erinnerungen pause* änderst du, wie oft du von mir hörst.",
               "sie": "Teilen ist freiwillig. Mit *erinnerungen zweiwöchentlich* oder *erinnerungen pause* ändern Sie, wie oft Sie von mir hören."},
    },
    "content.nudge.linkedin": {"en": "LinkedIn{n}", "de": "LinkedIn{n}"},
    "content.nudge.xing": {"en": "XING{n}", "de": "XING{n}"},
    "content.nudge.x": {"en": "X{n}", "de": "X{n}"},
    "content.nudge.shared": {"en": "I shared it{n}", "de": "Geteilt{n}"},
    "content.nudge.declined": {"en": "Not for me{n}", "de": "Nichts für mich{n}"},
    "content.nudge.thanks_again": {"en": "Already noted, thank you!", "de": "Schon notiert, danke!"},
    "content.nudge.not_yours": {"en": "This button belongs to someone else's message.", "de": "Dieser Knopf gehört zur Nachricht einer anderen Person."},
    "content.nudge.feedback": {"en": "Feedback / topic for the next meeting", "de": "Rückmeldung / Thema fürs nächste Treffen"},
    # preferences
    "content.nudges.current": {
        "en": "You get content {frequency}. Choose:",
        "de": {"du": "Du bekommst Inhalte {frequency}. Wähle:", "sie": "Sie bekommen Inhalte {frequency}. Bitte wählen Sie:"},
    },
    "content.nudges.freq.weekly": {"en": "every week", "de": "jede Woche"},
    "content.nudges.freq.biweekly": {"en": "every two weeks", "de": "alle zwei Wochen"},
    "content.nudges.freq.pause": {"en": "not at the moment (paused)", "de": "im Moment nicht (pausiert)"},
    "content.nudges.btn.weekly": {"en": "Weekly", "de": "Wöchentlich"},
    "content.nudges.btn.biweekly": {"en": "Every two weeks", "de": "Alle zwei Wochen"},
    "content.nudges.btn.pause": {"en": "Pause", "de": "Pause"},
    "content.nudges.set.weekly": {
        "en": "Done: you get content every week.",
        "de": {"du": "Erledigt: Du bekommst jede Woche Inhalte.", "sie": "Erledigt: Sie bekommen jede Woche Inhalte."},
    },
    "content.nudges.set.biweekly": {
        "en": "Done: you get content every two weeks.",
        "de": {"du": "Erledigt: Du bekommst alle zwei Wochen Inhalte.", "sie": "Erledigt: Sie bekommen alle zwei Wochen Inhalte."},
    },
    "content.nudges.set.pause": {
        "en": "Paused: no content messages until you write *nudges weekly*.",
        "de": {"du": "Pausiert: keine Inhalte mehr, bis du *erinnerungen wöchentlich* schreibst.",
               "sie": "Pausiert: keine Inhalte mehr, bis Sie *erinnerungen wöchentlich* schreiben."},
    },
    "content.nudges.bad": {
        "en": "Write *nudges weekly*, *nudges biweekly* or *nudges pause*.",
        "de": "Möglich sind *erinnerungen wöchentlich*, *erinnerungen zweiwöchentlich* oder *erinnerungen pause*.",
    },
    # status and reports
    "content.status.title": {"en": "Nudges", "de": "Erinnerungen"},
    "content.status.none": {"en": "No nudge has run yet. The next one: {next}.", "de": "Noch keine Erinnerung gelaufen. Die nächste: {next}."},
    "content.status.line": {
        "en": "{sent} sent, {pending} pending, {failed} failed, {uncertain} uncertain, {skipped} skipped",
        "de": "{sent} gesendet, {pending} offen, {failed} fehlgeschlagen, {uncertain} unsicher, {skipped} übersprungen",
    },
    "content.status.next": {"en": "Next nudge: {next}.", "de": "Nächste Erinnerung: {next}."},
    "content.report.title": {"en": "Nudge {cycle}: delivery report", "de": "Erinnerung {cycle}: Zustellbericht"},
    "content.report.text": {
        "en": "{sent} sent, {failed} failed, {uncertain} uncertain (maybe delivered: not sent again), {skipped} skipped.",
        "de": "{sent} gesendet, {failed} fehlgeschlagen, {uncertain} unsicher (vielleicht zugestellt: nicht erneut gesendet), {skipped} übersprungen.",
    },
    "content.report.failed": {"en": "Failed", "de": "Fehlgeschlagen"},
    "content.report.uncertain": {"en": "Uncertain", "de": "Unsicher"},
    "content.report.skipped": {"en": "Skipped", "de": "Übersprungen"},
    "content.report.context": {
        "en": "Details: ambassador nudge status. An uncertain delivery is sent again only with ambassador nudge resend ID.",
        "de": "Details: ambassador nudge status. Eine unsichere Zustellung geht nur mit ambassador nudge resend ID erneut raus.",
    },
    "content.reason.gone": {"en": "left the platform", "de": "nicht mehr auf der Plattform"},
    "content.reason.unreachable": {"en": "chat not reachable", "de": "Chat nicht erreichbar"},
    "content.reason.no_account": {"en": "no chat account known", "de": "kein Chat-Konto bekannt"},
    "content.reason.error": {"en": "delivery error", "de": "Zustellfehler"},
    "content.mydata.content": {"en": "Shareable content", "de": "Teilbare Inhalte"},
    "content.mydata.content_line": {
        "en": "{received} items received, {shared} shared, {declined} skipped, {clicks} link clicks; nudges {frequency}",
        "de": "{received} Inhalte erhalten, {shared} geteilt, {declined} ausgelassen, {clicks} Link-Klicks; Erinnerungen {frequency}",
    },
    # the monthly thank-you
    "content.thanks.title": {"en": "Thank you, {name}!", "de": {"du": "Danke, {name}!", "sie": "Vielen Dank, {name}!"}},
    "content.thanks.title_anon": {"en": "Thank you!", "de": {"du": "Danke!", "sie": "Vielen Dank!"}},
    "content.thanks.both": {
        "en": "In {month} you shared {posts}, and people opened your links {times}.",
        "de": {"du": "Im {month} hast du {posts} geteilt, und deine Links wurden {times} geöffnet.",
               "sie": "Im {month} haben Sie {posts} geteilt, und Ihre Links wurden {times} geöffnet."},
    },
    "content.thanks.shares": {
        "en": "In {month} you shared {posts}.",
        "de": {"du": "Im {month} hast du {posts} geteilt.", "sie": "Im {month} haben Sie {posts} geteilt."},
    },
    "content.thanks.clicks": {
        "en": "In {month} people opened the links you shared {times}.",
        "de": {"du": "Im {month} wurden die Links, die du geteilt hast, {times} geöffnet.",
               "sie": "Im {month} wurden die Links, die Sie geteilt haben, {times} geöffnet."},
    },
    "content.thanks.posts_one": {"en": "one of our posts", "de": "einen unserer Beiträge"},
    "content.thanks.posts": {"en": "{n} of our posts", "de": "{n} unserer Beiträge"},
    "content.thanks.times_one": {"en": "once", "de": "einmal"},
    "content.thanks.times": {"en": "{n} times", "de": "{n}-mal"},
    "content.thanks.body": {
        "en": "Every post of yours shows, in your own words, what it is like to work here, and it reaches people "
              "no advert reaches. Thank you for taking the time for it, and for being part of {program}!",
        "de": {"du": "Jeder deiner Posts zeigt in deinen eigenen Worten, wie es ist, bei uns zu arbeiten, und erreicht "
                     "Menschen, die keine Anzeige erreicht. Danke, dass du dir die Zeit dafür nimmst und bei {program} dabei bist!",
               "sie": "Jeder Ihrer Posts zeigt in Ihren eigenen Worten, wie es ist, bei uns zu arbeiten, und erreicht "
                      "Menschen, die keine Anzeige erreicht. Danke, dass Sie sich die Zeit dafür nehmen und bei {program} dabei sind!"},
    },
    "content.thanks.context": {
        "en": "Only you get this message; there is no ranking. No more thank-you messages: *thanks off*.",
        "de": {"du": "Diese Nachricht bekommst nur du; es gibt keine Rangliste. Keine Dankesnachrichten mehr: *danke aus*.",
               "sie": "Diese Nachricht bekommen nur Sie; es gibt keine Rangliste. Keine Dankesnachrichten mehr: *danke aus*."},
    },
    "content.thanks.stop": {"en": "No more thank-yous", "de": "Keine Dankesnachrichten mehr"},
    "content.thanks.set_off": {
        "en": "Done: no more thank-you messages. *thanks on* brings them back.",
        "de": "Erledigt: keine Dankesnachrichten mehr. Mit *danke an* kommen sie wieder.",
    },
    "content.thanks.set_on": {
        "en": "Done: when you were among the most active members in a month, you get a short thank-you at the start of "
              "the next. Only you see it; there is no ranking.",
        "de": {"du": "Erledigt: Wenn du in einem Monat besonders aktiv warst, bekommst du zu Beginn des nächsten ein kurzes "
                     "Dankeschön. Nur du siehst es; es gibt keine Rangliste.",
               "sie": "Erledigt: Wenn Sie in einem Monat besonders aktiv waren, bekommen Sie zu Beginn des nächsten ein kurzes "
                      "Dankeschön. Nur Sie sehen es; es gibt keine Rangliste."},
    },
    "content.thanks.public_on": {
        "en": "Thank you: the comms lead may now see your name among the members thanked in a month (never a ranking, "
              "never your figures). *thanks public off* takes it back.",
        "de": {"du": "Danke: Die Kommunikationsleitung darf jetzt deinen Namen unter den Mitgliedern sehen, denen in einem "
                     "Monat gedankt wird (nie eine Rangliste, nie deine Zahlen). Mit *danke öffentlich aus* nimmst du das zurück.",
               "sie": "Danke: Die Kommunikationsleitung darf jetzt Ihren Namen unter den Mitgliedern sehen, denen in einem "
                      "Monat gedankt wird (nie eine Rangliste, nie Ihre Zahlen). Mit *danke öffentlich aus* nehmen Sie das zurück."},
    },
    "content.thanks.public_off": {
        "en": "Done: your name is shown to nobody; at most you are counted.",
        "de": {"du": "Erledigt: Dein Name wird niemandem gezeigt; du wirst höchstens mitgezählt.",
               "sie": "Erledigt: Ihr Name wird niemandem gezeigt; Sie werden höchstens mitgezählt."},
    },
    "content.thanks.public_ask": {
        "en": "Your name shown to the comms lead among the members thanked in a month: {state}. "
              "Write *thanks public on* or *thanks public off*.",
        "de": {"du": "Dein Name für die Kommunikationsleitung sichtbar unter den Mitgliedern, denen in einem Monat gedankt "
                     "wird: {state}. Schreib *danke öffentlich an* oder *danke öffentlich aus*.",
               "sie": "Ihr Name für die Kommunikationsleitung sichtbar unter den Mitgliedern, denen in einem Monat gedankt "
                      "wird: {state}. Möglich sind *danke öffentlich an* oder *danke öffentlich aus*."},
    },
    "content.thanks.desc": {
        "en": "the monthly thank-you: on or off; may the comms lead see your name",
        "de": {"du": "die monatliche Dankesnachricht: an oder aus; darf die Kommunikationsleitung deinen Namen sehen",
               "sie": "die monatliche Dankesnachricht: an oder aus; darf die Kommunikationsleitung Ihren Namen sehen"},
    },
    "content.thanks.usage": {"en": "thanks on|off, thanks public on|off", "de": "danke an|aus, danke öffentlich an|aus"},
    "content.thanks.preview.desc": {"en": "monthly thank-you: how many would be thanked", "de": "monatliche Dankesnachricht: wie vielen gedankt würde"},
    "content.thanks.preview.usage": {"en": "content thanks preview [--names]", "de": "inhalte danke vorschau [--namen]"},
    "content.thanks.preview.title": {"en": "Monthly thank-you: preview", "de": "Monatliche Dankesnachricht: Vorschau"},
    "content.thanks.preview.text": {
        "en": "On {date}, {count} members would get a personal thank-you for {month}, from the activity recorded in "
              "{month} (the {top} most active with at least {min} shares and clicks; more when tied). "
              "{opted_out} active members have turned thank-yous off.",
        "de": "Am {date} bekämen {count} Mitglieder ein persönliches Dankeschön für {month}, nach der im {month} erfassten "
              "Aktivität (die {top} aktivsten mit mindestens {min} geteilten Beiträgen und Klicks; bei Gleichstand mehr). "
              "{opted_out} aktive Mitglieder haben Dankesnachrichten abgeschaltet.",
    },
    "content.thanks.preview.off": {
        "en": "The thank-you is switched off (content.thanks.enabled in app.yaml): nothing goes out.",
        "de": "Die Dankesnachricht ist abgeschaltet (content.thanks.enabled in app.yaml): Es geht nichts raus.",
    },
    "content.thanks.preview.names": {"en": "Named (they agreed)", "de": "Mit Namen (sie haben zugestimmt)"},
    "content.thanks.preview.unnamed": {
        "en": "and {count} more who have not agreed to be named",
        "de": "und {count} weitere, die einer Nennung nicht zugestimmt haben",
    },
    "content.thanks.preview.nobody_named": {
        "en": "Nobody among them has agreed to be named.", "de": "Niemand von ihnen hat einer Nennung zugestimmt.",
    },
    "content.thanks.preview.context": {
        "en": "No ranking and no figures per person: with *--names*, members who agreed (*thanks public on*) are listed "
              "in alphabetical order; everyone else is only counted.",
        "de": "Keine Rangliste und keine Zahlen pro Person: Mit *--namen* stehen Mitglieder, die zugestimmt haben "
              "(*danke öffentlich an*), in alphabetischer Reihenfolge da; alle anderen werden nur gezählt.",
    },
    "content.report.title_thanks": {"en": "Thank-you for {month}: delivery report", "de": "Dankesnachricht für {month}: Zustellbericht"},
    "content.mydata.thanks": {"en": "Monthly thank-you", "de": "Monatliche Dankesnachricht"},
    "content.mydata.thanks_line": {
        "en": "{state}; name shown to the comms lead: {public}; thank-yous received: {received}",
        "de": "{state}; Name für die Kommunikationsleitung sichtbar: {public}; erhalten: {received}",
    },
    "content.on": {"en": "on", "de": "an"},
    "content.off": {"en": "off", "de": "aus"},
    "content.yes": {"en": "yes", "de": "ja"},
    "content.no": {"en": "no", "de": "nein"},
    "content.month.1": {"en": "January", "de": "Januar"},
    "content.month.2": {"en": "February", "de": "Februar"},
    "content.month.3": {"en": "March", "de": "März"},
    "content.month.4": {"en": "April", "de": "April"},
    "content.month.5": {"en": "May", "de": "Mai"},
    "content.month.6": {"en": "June", "de": "Juni"},
    "content.month.7": {"en": "July", "de": "Juli"},
    "content.month.8": {"en": "August", "de": "August"},
    "content.month.9": {"en": "September", "de": "September"},
    "content.month.10": {"en": "October", "de": "Oktober"},
    "content.month.11": {"en": "November", "de": "November"},
    "content.month.12": {"en": "December", "de": "Dezember"},
}

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
            problems.append(("content.err.unknown_field", {"value": _clip(word, 40)}))
    return values, problems


def _clip(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


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
        problems.append(("content.err.url_bad", {"value": _clip(url, 80)}))
    text_de = str(raw.get("de") or "").strip() or None
    text_en = str(raw.get("en") or "").strip() or None
    plain = str(raw.get("text") or "").strip()
    if plain:
        from bot.i18n import guess_language

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
        title = _clip(first, 80) if first else _clip(url, 80)
    if len(title) > TITLE_MAX:
        problems.append(("content.err.title_long", {"limit": TITLE_MAX}))
    audience = resolve_audience(str(raw["audience"]) if raw.get("audience") else None, settings)
    if audience is None:
        problems.append(("content.err.audience_bad", {"value": _clip(str(raw.get("audience")), 40),
                                                      "departments": ", ".join(settings.app.departments) or "-"}))
        audience = ("all", None)
    tz = program_tz(settings)
    start = end = None
    for key in ("from", "until"):
        if raw.get(key) in (None, ""):
            continue
        d = parse_date(raw[key])
        if d is None:
            problems.append(("content.err.date_bad", {"value": _clip(str(raw[key]), 40)}))
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
        problems.append(("content.err.image_bad", {"value": _clip(image, 80)}))
    if image and not rights:
        problems.append(("content.err.rights_missing", {}))
    status = raw.get("status")
    if status is not None and str(status).lower() not in ("draft", "approved"):
        problems.append(("content.err.status_bad", {"value": _clip(str(status), 20)}))
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
    return config(settings).require_approval or audience == "all"


# -- chat: the content queue -----------------------------------------------------------

_ADD_HEAD = re.compile(
    r"^\s*(?:<@[A-Z0-9]+>\s*)?[/!]?\s*(?:content\s+add|content\s+new|inhalt\s+neu|inhalt\s+hinzufügen|inhalte\s+neu)\b",
    re.IGNORECASE,
)


def _is_approver(ctx: Context) -> bool:
    return ctx.has(LEAD, BACKUP)


async def content_overview(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=ctx.t("content.help"), buttons=[_form_button(ctx.t, {})])


async def content_add(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    # The router folds line breaks; the fields are read from the message as written.
    raw_text = _ADD_HEAD.sub("", msg.text, count=1) if _ADD_HEAD.match(msg.text) else ctx.args
    if not raw_text.strip():
        return form_reply(ctx, {})
    values, problems = parse_fields(raw_text)
    draft, problems = _checked(ctx, values, problems)
    if draft is None:
        return Reply(text=t("content.err.title", problems=describe_problems(problems, t)))
    return await _added(ctx, draft)


def _checked(ctx: Context, values: dict[str, Any], problems: list[Problem]) -> tuple[ItemDraft | None, list[Problem]]:
    """The rules of an item added in chat (text or form): valid, and an audience the author may address."""
    t = ctx.t
    draft, more = validate_item(values, ctx.settings, ctx.core.now(), default_lang=ctx.lang)
    problems = problems + more
    if draft is not None and not _is_approver(ctx):
        allowed = draft.audience == "all" or (draft.audience == "department" and draft.department in ctx.departments)
        if not allowed:
            problems.append(("content.err.audience_denied", {
                "departments": ", ".join(ctx.departments) or "-",
                "value": draft.department or t("content.audience.core")}))
    return (None if problems else draft), problems


async def _added(ctx: Context, draft: ItemDraft) -> Reply:
    t = ctx.t
    approver = _is_approver(ctx)
    approval = needs_approval(ctx.settings, draft.audience, approver)
    item, _ = await store_item(ctx.core, draft, via="chat", creator=ctx.person, approved=not approval)
    if approval:
        await send_approval_requests(ctx.core)
        key = "content.added.pending"
    else:
        key = "content.added.approved"
    return Reply(text=t(key, id=item.id, title=item.title, audience=audience_label(item, t),
                        langs=_langs(item), valid=_valid_text(item, t, ctx.settings),
                        next=next_nudge_text(ctx.core, t)))


# -- chat: the form -------------------------------------------------------------------------------

# The form's fields, named as parse_fields names them, so both ways share validate_item.
FORM_FIELDS = ("url", "title", "en", "de", "audience", "from", "until", "image", "rights")
# The command words of a ready-to-edit text, in the person's language.
_TYPED_WORDS = {
    "en": {"head": "content add", "url": "url", "title": "title", "audience": "audience", "en": "en", "de": "de",
           "from": "from", "until": "until", "image": "image", "rights": "rights"},
    "de": {"head": "inhalt neu", "url": "url", "title": "titel", "audience": "zielgruppe", "en": "en", "de": "de",
           "from": "ab", "until": "bis", "image": "bild", "rights": "rechte"},
}
_TYPED_AUDIENCE = {"de": {"all": "alle", "core": "kern"}}


def form_input(values: dict[str, Any]) -> dict[str, str]:
    """What was entered in the form: the known fields only (a submission cannot set a status or a
    file key), as text, the empty ones left out."""
    out: dict[str, str] = {}
    for name in FORM_FIELDS:
        value = values.get(name)
        if isinstance(value, bool) or value is None or isinstance(value, dict | list):
            continue
        text = str(value).strip()
        if text:
            out[name] = text
    return out


def _form_button(t: Translator, typed: dict[str, str]) -> Button:
    return Button(t("content.form.open" if not typed else "content.form.again"), "content.form",
                  value={"f": typed, "_lang": t.lang} if typed else {"_lang": t.lang}, style="primary")


def _audience_options(ctx: Context) -> list[tuple[str, str]]:
    t = ctx.t
    if _is_approver(ctx):
        departments = list(ctx.settings.app.departments)
        options = [("all", t("content.audience.all")), ("core", t("content.audience.core"))]
    else:
        # A communicator may address all members or their own departments; the check stays in _checked.
        departments = [d for d in ctx.settings.app.departments if d in ctx.departments]
        options = [("all", t("content.audience.all"))]
    return options + [(d, t("content.audience.department", department=d)) for d in departments]


def _date_initial(value: str | None) -> str | None:
    d = parse_date(value) if value else None
    return d.isoformat() if d else None


def content_form(ctx: Context, typed: dict[str, str]) -> Form:
    """The add form, filled with what was entered before (after a refused submission)."""
    t = ctx.t
    texts = [FormField("en", t("content.form.en"), "multiline", optional=True, initial=typed.get("en"),
                       hint=t("content.form.text_hint", limit=TEXT_MAX)),
             FormField("de", t("content.form.de"), "multiline", optional=True, initial=typed.get("de"),
                       hint=t("content.form.text_hint", limit=TEXT_MAX))]
    if t.lang == "de":
        texts.reverse()
    options = _audience_options(ctx)
    audience = typed.get("audience") or "all"
    resolved = resolve_audience(audience, ctx.settings)
    if resolved is not None:
        audience = resolved[1] if resolved[0] == "department" else resolved[0]
    return Form(
        title=t("content.form.title"),
        submit_label=t("content.form.submit"),
        action_id="content.form.submit",
        fields=[
            FormField("url", t("content.form.url"), "url", initial=typed.get("url")),
            FormField("title", t("content.form.title_field"), optional=True, initial=typed.get("title"),
                      hint=t("content.form.title_hint")),
            *texts,
            FormField("audience", t("content.form.audience"), "select", options=options,
                      initial=audience if any(v == audience for v, _ in options) else "all"),
            FormField("from", t("content.form.from"), "date", optional=True, initial=_date_initial(typed.get("from"))),
            FormField("until", t("content.form.until"), "date", optional=True,
                      initial=_date_initial(typed.get("until"))),
            FormField("image", t("content.form.image"), "url", optional=True, initial=typed.get("image")),
            FormField("rights", t("content.form.rights"), optional=True, initial=typed.get("rights"),
                      hint=t("content.form.rights_hint")),
        ],
        value={"_lang": t.lang},
        button=_form_button(t, typed),
        fallback=t("content.help"),
    )


def form_reply(ctx: Context, typed: dict[str, str]) -> Reply:
    return Reply(text=ctx.t("content.form.intro"), form=content_form(ctx, typed))


def typed_text(typed: dict[str, str], lang: str) -> str:
    """What was entered as a ``content add`` message, one field per line, ready to correct and send."""
    words = _TYPED_WORDS.get(lang, _TYPED_WORDS["en"])
    lines = [words["head"]]
    for name in FORM_FIELDS:
        if typed.get(name):
            value = typed[name]
            if name == "audience":
                value = _TYPED_AUDIENCE.get(lang, {}).get(value, value)
            lines.append(f"{words[name]}: {value}")
    return "\n".join(lines)


async def form_action(ctx: Context, msg: Incoming) -> Reply:
    """The "Add with a form" button (and "Open the form again", which carries what was entered)."""
    typed = msg.values.get("f")
    return form_reply(ctx, form_input(typed) if isinstance(typed, dict) else {})


async def form_submit(ctx: Context, msg: Incoming) -> Reply:
    """A submitted add form: the same checks, storing and answer as ``content add``."""
    t = ctx.t
    typed = form_input(msg.values)
    draft, problems = _checked(ctx, dict(typed), [])
    if draft is not None:
        # On Teams the answer replaces the card with the form, which cannot then be sent twice.
        return replace(await _added(ctx, draft), update=True)
    retry = _form_button(t, typed)
    size = len(json.dumps(retry.value, ensure_ascii=False, separators=(",", ":")))
    fits = size <= BUTTON_VALUE_MAX
    text = "\n\n".join([t("content.err.title", problems=describe_problems(problems, t)),
                         t("content.form.retry" if fits else "content.form.retry_text"),
                         typed_text(typed, t.lang)])
    return Reply(text=text, buttons=[retry] if fits else [])


def audience_label(item: ContentItem, t: Translator) -> str:
    if item.audience == "department":
        return t("content.audience.department", department=item.department or "-")
    return t(f"content.audience.{item.audience}")


def _langs(item: ContentItem) -> str:
    return "/".join(lang for lang, text in (("de", item.text_de), ("en", item.text_en)) if text)


def _valid_text(item: ContentItem, t: Translator, settings: Settings) -> str:
    if not item.valid_from and not item.valid_until:
        return ""
    tz = program_tz(settings)
    fmt = "%d.%m.%Y" if t.lang == "de" else "%Y-%m-%d"
    start = _aware(item.valid_from).astimezone(tz).strftime(fmt) if item.valid_from else ""
    end = (_aware(item.valid_until) - timedelta(seconds=1)).astimezone(tz).strftime(fmt) if item.valid_until else ""
    return t("content.valid", range=f"{start}–{end}")


def _visible(ctx: Context, item: ContentItem) -> bool:
    if _is_approver(ctx):
        return True
    if item.created_by_id == ctx.person.id:
        return True
    return item.audience == "department" and item.department in ctx.departments


async def content_list(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    async with ctx.db.session() as s:
        items = (await s.exec(select(ContentItem).order_by(ContentItem.id.desc()))).all()
        stats = await _item_stats(s)
    items = [i for i in items if _visible(ctx, i)]
    if not items:
        return Reply(text=t("content.list.empty"))
    shown = [i for i in items if i.status != "retired"][:20] or items[:5]
    fields = []
    for item in shown:
        sent, shared, clicks = stats.get(item.id, (0, 0, 0))
        line = t("content.list.line", status=_status_text(item, t), audience=audience_label(item, t),
                 langs=_langs(item), valid=_valid_text(item, t, ctx.settings), shared=shared, sent=sent, clicks=clicks)
        if item.source:
            line += t("content.list.source", source=item.source)
        fields.append(RField(f"#{item.id} {item.title}", line))
    more = len(items) - len(shown)
    return Reply(title=t("content.list.title"), text="", fields=fields,
                 context=t("content.list.more", count=more) if more > 0 else None)


async def _item_stats(s) -> dict[int, tuple[int, int, int]]:
    rows = (
        await s.exec(
            select(ContentLink.item_id, func.count(), func.count(ContentLink.shared_at), func.coalesce(func.sum(ContentLink.clicks), 0))
            .join(ContentDelivery, ContentDelivery.id == ContentLink.delivery_id)
            .where(ContentDelivery.status.in_(("sent", "uncertain")))
            .group_by(ContentLink.item_id)
        )
    ).all()
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}


def _item_number(args: str) -> int | None:
    m = re.search(r"#?(\d+)", args)
    return int(m.group(1)) if m else None


async def content_retire(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    number = _item_number(ctx.args)
    if number is None:
        return Reply(text=t("content.need_number"))
    async with ctx.db.session() as s:
        item = await s.get(ContentItem, number)
        if item is None:
            return Reply(text=t("content.no_item", id=number))
        if not _visible(ctx, item):
            # An item for every member is the comms lead's, not another department's.
            key = "content.not_yours_all" if not item.department else "content.not_yours"
            return Reply(text=t(key, id=number))
        if item.status == "retired":
            return Reply(text=t("content.already_retired", id=number))
        item.status = "retired"
        await s.commit()
    return Reply(text=t("content.retired", id=item.id, title=item.title))


def _status_text(item: ContentItem, t: Translator) -> str:
    """The item's state; a rejected one with the lead's note, so its author sees why."""
    status = t(f"content.status.{item.status}")
    if item.status == "rejected" and item.decision_note:
        return status + t("content.approval.note", note=item.decision_note)
    return status


async def content_status(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    summary = await status_summary(ctx.core)
    nxt = t("content.status.next", next=next_nudge_text(ctx.core, t))
    feeds = await feed_status_fields(ctx.core, t)
    if not summary["runs"]:
        text = t("content.status.none", next=next_nudge_text(ctx.core, t))
        return Reply(text=text, fields=feeds) if feeds else Reply(text=text)
    fields = [RField(f"{r['cycle']} ({r['wave']})", t("content.status.line", **r["counts"])) for r in summary["runs"][:6]]
    return Reply(title=t("content.status.title"), text=nxt, fields=fields + feeds)


FEED_REASONS = ("timeout", "too_large", "not_feed", "http", "unreachable", "host_not_allowed", "private_address",
                "no_link", "other_host", "no_metadata", "bad_url", "error")


def feed_reason(t: Translator, code: str | None, detail: str | None) -> str:
    """A failure or a skipped entry of a feed (handlers/feeds.py), worded for the reader."""
    key = f"content.feed.why.{code if code in FEED_REASONS else 'error'}"
    return t(key, detail=detail or "-")


async def feed_status_fields(core: Core, t: Translator) -> list[RField]:
    """Feeds that fail and entries the last fetch skipped (handlers/feeds.py keeps them in feed_state)."""
    async with core.db.session() as s:
        states = (await s.exec(select(FeedState).order_by(FeedState.name))).all()
    tz = program_tz(core.settings)
    fmt = "%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M"
    out = []
    for st in states:
        if st.error:
            since = _aware(st.failing_since or st.fetched_at)
            out.append(RField(t("content.feed.failing", name=st.name), t(
                "content.feed.failing_line", why=feed_reason(t, st.error, st.error_detail),
                since=since.astimezone(tz).strftime(fmt) if since else "-")))
        skipped = st.skipped or []
        if skipped:
            lines = [f"{_clip(e.get('link') or e.get('title') or '-', 80)}: {feed_reason(t, e.get('reason'), e.get('detail'))}"
                     for e in skipped[:5]]
            if len(skipped) > 5:
                lines.append(f"… (+{len(skipped) - 5})")
            out.append(RField(t("content.feed.skipped", name=st.name, count=len(skipped)), "\n".join(lines)))
    return out


def next_nudge_text(core: Core, t: Translator) -> str:
    try:
        cfg = config(core.settings)
    except Exception:
        return "-"
    slot = next_slot(cfg, core.settings, core.now())
    local = slot.astimezone(program_tz(core.settings))
    return local.strftime("%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M") + f" {local.tzname()}"


# -- approval ----------------------------------------------------------------------------

APPROVAL_CLAIM = timedelta(minutes=5)


def approval_reply(item: ContentItem, t: Translator, settings: Settings, creator: str | None) -> Reply:
    text = t("content.approval.text", title=item.title, url=item.url)
    for lang, body in (("de", item.text_de), ("en", item.text_en)):
        if body:
            text += f"\n\n{lang.upper()}: {body}"
    fields = [RField(t("content.approval.audience"), audience_label(item, t))]
    valid = _valid_text(item, t, settings).lstrip(", ")
    if valid:
        fields.append(RField(t("content.approval.valid"), valid))
    if item.image_url:
        fields.append(RField(t("content.approval.image"), f"{item.image_url} ({item.image_rights or '-'})"))
    if creator:
        fields.append(RField(t("content.approval.by"), creator))
    return Reply(
        title=t("content.approval.title", id=item.id), text=text, fields=fields,
        buttons=[
            Button(t("content.approval.approve"), "content.approve", value={"i": item.id, "_lang": t.lang}, style="primary"),
            Button(t("content.approval.reject"), "content.reject", value={"i": item.id, "_lang": t.lang}, style="danger"),
        ],
    )


async def send_approval_requests(core: Core) -> int:
    """Tell the comms lead (else a backup) about items waiting for approval; retried until it works."""
    now = core.now()
    async with core.db.session() as s:
        ids = (
            await s.exec(
                select(ContentItem.id).where(
                    ContentItem.status == "pending", ContentItem.approval_sent_at.is_(None),
                    or_(ContentItem.approval_claim_until.is_(None), ContentItem.approval_claim_until < now),
                ).order_by(ContentItem.id).limit(50)
            )
        ).all()
    roles = core.settings.app.roles
    approvers = [e for e in [roles.comms_lead, *roles.backup] if e]
    sent = 0
    for item_id in ids:
        async with core.db.session() as s:
            claimed = await s.execute(
                update(ContentItem).where(
                    ContentItem.id == item_id, ContentItem.approval_sent_at.is_(None),
                    or_(ContentItem.approval_claim_until.is_(None), ContentItem.approval_claim_until < now),
                ).values(approval_claim_until=now + APPROVAL_CLAIM, approval_tries=ContentItem.approval_tries + 1)
            )
            await s.commit()
            if claimed.rowcount != 1:
                continue
            item = await s.get(ContentItem, item_id)
            creator = await s.get(Person, item.created_by_id) if item.created_by_id else None
        who = (creator.display_name or creator.email) if creator else item.created_via
        delivered = False
        for email in approvers:
            person = await core.person_by_email(email)
            t = core.translator(core.language_of(person))
            try:
                if person is None:
                    raise RuntimeError(f"nobody with the address {email} is known")
                await core.notify(person.id, [approval_reply(item, t, core.settings, who)])
                delivered = True
                break
            except Exception as exc:
                log.warning("approval request not delivered", extra={"item": item_id, "error": str(exc)[:200]})
        async with core.db.session() as s:
            values: dict[str, Any] = {"approval_claim_until": None}
            if delivered:
                values["approval_sent_at"] = now
            else:
                # Tried again on a later tick, further apart each time.
                values["approval_claim_until"] = now + min(timedelta(minutes=2) * (2 ** min(item.approval_tries, 6)),
                                                           timedelta(hours=2))
            await s.execute(update(ContentItem).where(ContentItem.id == item_id).values(**values))
            await s.commit()
        sent += delivered
    return sent


async def _decide(ctx: Context, item_id: int | None, status: str, note: str | None = None) -> Reply:
    t = ctx.t
    if item_id is None:
        return Reply(text=t("content.need_number"))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        res = await s.execute(
            update(ContentItem).where(ContentItem.id == item_id, ContentItem.status.in_(("pending", "draft")))
            .values(status=status, decided_by_id=ctx.person.id, decided_at=now, decision_note=note)
        )
        await s.commit()
        item = await s.get(ContentItem, item_id)
    if item is None:
        return Reply(text=t("content.no_item", id=item_id), update=True)
    if res.rowcount != 1:
        return Reply(text=t("content.approval.decided", id=item.id, title=item.title, status=t(f"content.status.{item.status}")),
                     update=True)
    who = ctx.person.display_name or ctx.person.email or ctx.person.pseudonym
    if item.created_by_id and item.created_by_id != ctx.person.id:
        async with ctx.db.session() as s:
            creator = await s.get(Person, item.created_by_id)
        if creator is not None:
            ct = ctx.core.translator(ctx.core.language_of(creator))
            text = (ct("content.approval.told_approved", id=item.id, title=item.title) if status == "approved" else
                    ct("content.approval.told_rejected", id=item.id, title=item.title,
                       note=ct("content.approval.note", note=note) if note else ""))
            try:
                await ctx.core.notify(creator.id, [Reply(text=text)])
            except Exception as exc:  # the decision stands; the creator sees it in "content list"
                log.warning("creator not told about the decision", extra={"item": item.id, "error": str(exc)[:200]})
    key = "content.approval.approved" if status == "approved" else "content.approval.rejected"
    text = t(key, id=item.id, title=item.title, who=who)
    if status == "rejected" and not note:
        text += " " + t("content.approval.reason_hint", id=item.id)
    return Reply(text=text, update=True)


async def approve_action(ctx: Context, msg: Incoming) -> Reply:
    return await _decide(ctx, button_id(msg.values.get("i")), "approved")


async def reject_action(ctx: Context, msg: Incoming) -> Reply:
    return await _decide(ctx, button_id(msg.values.get("i")), "rejected")


async def approve_command(ctx: Context, msg: Incoming) -> Reply:
    return await _decide(ctx, _item_number(ctx.args), "approved")


async def reason_command(ctx: Context, msg: Incoming) -> Reply:
    """The lead's reason for a rejection made with the button: kept on the item, sent to its author."""
    t = ctx.t
    number = _item_number(ctx.args)
    note = re.sub(r"^\s*#?\d+\s*", "", ctx.args).strip()[:500]
    if number is None or not note:
        return Reply(text=t("content.approval.reason_hint", id=number or 12))
    async with ctx.db.session() as s:
        item = await s.get(ContentItem, number)
        if item is None:
            return Reply(text=t("content.no_item", id=number))
        if item.status != "rejected":
            return Reply(text=t("content.approval.reason_not_rejected", id=number))
        item.decision_note = note
        await s.commit()
        creator = await s.get(Person, item.created_by_id) if item.created_by_id else None
    if creator is not None and creator.id != ctx.person.id:
        ct = ctx.core.translator(ctx.core.language_of(creator))
        try:
            await ctx.core.notify(creator.id, [Reply(text=ct("content.approval.told_reason", id=item.id,
                                                             title=item.title, note=note))])
        except Exception as exc:  # the note stands; the author sees it in "content list"
            log.warning("creator not told the reason", extra={"item": item.id, "error": str(exc)[:200]})
    return Reply(text=t("content.approval.reason_set", id=number))


async def reject_command(ctx: Context, msg: Incoming) -> Reply:
    number = _item_number(ctx.args)
    note = re.sub(r"^\s*#?\d+\s*", "", ctx.args).strip() or None
    return await _decide(ctx, number, "rejected", note[:500] if note else None)




# -- chat: a member's own settings ----------------------------------------------------------------

FREQ_WORDS = {
    "weekly": "weekly", "every week": "weekly", "wöchentlich": "weekly", "woechentlich": "weekly",
    "jede woche": "weekly", "on": "weekly", "an": "weekly", "resume": "weekly", "weiter": "weekly",
    "biweekly": "biweekly", "every two weeks": "biweekly", "fortnightly": "biweekly",
    "zweiwöchentlich": "biweekly", "zweiwoechentlich": "biweekly", "alle zwei wochen": "biweekly",
    "14-tägig": "biweekly", "vierzehntägig": "biweekly",
    "pause": "pause", "paused": "pause", "off": "pause", "stop": "pause", "aus": "pause", "pausieren": "pause",
}


async def _pref(core: Core, person_id: int) -> ContentPref | None:
    async with core.db.session() as s:
        return await s.get(ContentPref, person_id)


async def set_frequency(core: Core, person_id: int, frequency: str) -> None:
    await set_pref(core, person_id, frequency=frequency)


async def nudges(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    arg = " ".join(ctx.args.lower().split())
    if not arg:
        pref = await _pref(ctx.core, ctx.person.id)
        current = pref.frequency if pref else "weekly"
        return Reply(text=t("content.nudges.current", frequency=t(f"content.nudges.freq.{current}")), buttons=[
            Button(t(f"content.nudges.btn.{f}"), "content.freq", value={"f": f}, style="primary" if f == current else None)
            for f in ("weekly", "biweekly", "pause")
        ])
    freq = FREQ_WORDS.get(arg)
    if freq is None:
        return Reply(text=t("content.nudges.bad"))
    await set_frequency(ctx.core, ctx.person.id, freq)
    return Reply(text=t(f"content.nudges.set.{freq}"))


async def frequency_action(ctx: Context, msg: Incoming) -> Reply:
    freq = str(msg.values.get("f") or "")
    if freq not in ("weekly", "biweekly", "pause"):
        return Reply(text=ctx.t("content.nudges.bad"))
    await set_frequency(ctx.core, ctx.person.id, freq)
    return Reply(text=ctx.t(f"content.nudges.set.{freq}"), update=True)


# -- the schedule ------------------------------------------------------------------------------


def next_slot(cfg: ContentConfig, settings: Settings, now: datetime) -> datetime:
    from croniter import croniter

    tz = ZoneInfo(cfg.timezone or settings.app.timezone)
    return croniter(cfg.schedule, now.astimezone(tz)).get_next(datetime).astimezone(UTC)


def prev_slot(cfg: ContentConfig, settings: Settings, now: datetime) -> datetime:
    from croniter import croniter

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


# -- the per-process sending machinery -----------------------------------------------------------


class Pacer:
    """Spaces the sends of all workers of a process to a platform's limits.

    - evenly: one send every ``1 / (rate * (1 - headroom))`` seconds, so no burst builds up; the
      headroom absorbs requests that reach the platform a little later than others;
    - never more than ``rate * (1 - headroom)`` sends in any second, counted when they really leave:
      an event loop that stalled and wakes several workers at once cannot burst past the
      platform's window (Slack answers that with 429);
    - per conversation: one send per ``per_key`` seconds (Slack: about one a second);
    - ``back_off(seconds)``: the platform said "slow down" (429 with Retry-After): nobody sends
      until then, not even the workers that hold a slot already.

    A worker reserves its slot (``reserve``), does its bookkeeping, then waits for it
    (``until``); ``wait`` does both. The clock and sleep are injectable, so tests never wait.
    """

    WINDOW = 1.0

    def __init__(self, rate: float, per_key: float = 1.0, *, headroom: float = 0.05,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.rate = rate
        self.per_key = per_key
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._hold = 0.0
        self._keys: dict[Any, float] = {}
        self._sent: deque[float] = deque()
        self.waited = 0.0
        self.held = 0  # how often the platform said "slow down"
        pace = rate * (1.0 - headroom)
        self.interval = 1.0 / pace if pace > 0 else 0.0
        self.cap = max(1, int(pace * self.WINDOW)) if pace > 0 else 0

    def reserve(self, key: Any = None) -> float:
        """The time of this caller's next free slot (clock seconds)."""
        now = self.clock()
        at = max(now, self._next, self._hold, self._keys.get(key, 0.0) if key is not None else 0.0)
        self._next = at + self.interval
        if key is not None:
            self._keys[key] = at + self.per_key
            if len(self._keys) > 50_000:
                self._keys = {k: v for k, v in self._keys.items() if v > now}
        return at

    async def until(self, at: float) -> None:
        """Sleep until the slot, the end of any back-off and a free place in the window; then it is taken."""
        now = self.clock()
        while True:
            target = max(at, self._hold)
            if self.cap:
                while self._sent and self._sent[0] <= now - self.WINDOW:
                    self._sent.popleft()
                if len(self._sent) >= self.cap:
                    target = max(target, self._sent[0] + self.WINDOW)
            if target <= now:
                break
            self.waited += target - now
            await self.sleep(target - now)
            # A back-off may have come in meanwhile: look again (time has reached the target at least).
            now = max(self.clock(), target)
        if self.cap:
            self._sent.append(now)

    async def wait(self, key: Any = None) -> None:
        await self.until(self.reserve(key))

    def back_off(self, seconds: float) -> None:
        """The platform said "slow down": nobody sends for ``seconds``."""
        self.held += 1
        self._hold = max(self._hold, self.clock() + max(0.0, float(seconds)))
        self._next = max(self._next, self._hold)


@dataclass
class Nudger:
    """What one process keeps for the nudge: who it is (for leases) and its pace."""

    holder: str
    pacer: Pacer
    concurrency: int


_NUDGERS: weakref.WeakKeyDictionary[Core, Nudger] = weakref.WeakKeyDictionary()


def nudger(core: Core) -> Nudger:
    n = _NUDGERS.get(core)
    if n is None:
        cfg = config(core.settings)
        n = Nudger(holder=f"{os.getpid()}:{uuid.uuid4().hex[:12]}",
                   pacer=Pacer(cfg.messages_per_second, cfg.per_conversation_seconds), concurrency=cfg.concurrency)
        _NUDGERS[core] = n
    return n


def configure(core: Core, *, pacer: Pacer | None = None, concurrency: int | None = None) -> Nudger:
    """Tests and the benchmark inject their pace here."""
    n = nudger(core)
    if pacer is not None:
        n.pacer = pacer
    if concurrency is not None:
        n.concurrency = concurrency
    return n


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without their zone; they are stored in UTC.
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


PLAN_LEASE = timedelta(minutes=5)
DRAIN = timedelta(seconds=5)  # a run waits this long at most for rows due again (a 429's Retry-After)
SENDER_LEASE = timedelta(minutes=2)
CLAIM_LEASE = timedelta(minutes=2)
# A send not finished this long after it began was cut off (the process stopped).
SENDING_STALE = timedelta(minutes=15)
BIWEEKLY_GAP = timedelta(days=13)
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=1))
PLAN_BATCH = 500
TERMINAL = ("sent", "skipped", "failed", "uncertain", "cancelled")
SENDER_LEASE_NAME = "content-sender"


async def _lease(core: Core, name: str, holder: str, span: timedelta) -> bool:
    now = core.now()
    async with core.db.session() as s:
        res = await s.execute(
            update(Lease).where(Lease.name == name).where(or_(Lease.until < now, Lease.holder == holder))
            .values(holder=holder, until=now + span)
        )
        if res.rowcount == 1:
            await s.commit()
            return True
        if await s.get(Lease, name) is not None:
            return False
        s.add(Lease(name=name, holder=holder, until=now + span))
        try:
            await s.commit()
            return True
        except IntegrityError:
            return False


async def _release(core: Core, name: str, holder: str) -> None:
    async with core.db.session() as s:
        await s.execute(update(Lease).where(Lease.name == name, Lease.holder == holder)
                        .values(until=core.now() - timedelta(seconds=1)))
        await s.commit()


# -- holds (crisis escalation) ------------------------------------------------------------------

HoldCheck = Callable[[str], bool]
HOLD_RECHECK = timedelta(minutes=5)  # a nudge paused by a posting hold is looked at again this often


async def hold_check(core: Core) -> HoldCheck | None:
    """The posting holds in force (None: none). While one lasts no nudge goes out; the check also
    tells which texts are on a held topic.

    Uses ``active_holds(core)`` / ``hold_matching(holds, text)`` of handlers/crisis.py
    when that module is there. Raises when the holds cannot be read: better
    no nudge than content in the middle of a crisis.
    """
    try:
        crisis = importlib.import_module("handlers.crisis")
    except ImportError:
        return None
    except Exception:
        # The app itself imports that module at start, so a broken one stops it
        # there; here (a half-deployed tree) the nudge goes on without holds.
        log.exception("handlers.crisis could not be imported; nudges go out without hold checks")
        return None
    active = getattr(crisis, "active_holds", None)
    matching = getattr(crisis, "hold_matching", None)
    if active is None or matching is None:
        return None
    holds = active(core)
    if inspect.isawaitable(holds):
        holds = await holds
    if not holds:
        return None
    return lambda text: bool(matching(holds, text))


HOLD_REFRESH = 2.0  # seconds: a run that is sending reads the holds again this often


class _LiveHolds:
    """The holds for a run that is sending, read again every HOLD_REFRESH seconds: a hold placed in
    the middle of a long run pauses the rest of it within seconds."""

    def __init__(self, core: Core, first: HoldCheck | None) -> None:
        self._core = core
        self._value = first
        self._at = time.monotonic()
        self._lock = asyncio.Lock()

    async def get(self) -> HoldCheck | None:
        if time.monotonic() - self._at >= HOLD_REFRESH:
            async with self._lock:
                if time.monotonic() - self._at >= HOLD_REFRESH:
                    try:
                        self._value = await hold_check(self._core)
                    except Exception:
                        # Holds unreadable: better no nudge than content in the middle of a crisis.
                        log.warning("posting holds could not be read; nudges wait", exc_info=True)
                        self._value = lambda text: True
                    self._at = time.monotonic()
        return self._value


def _item_text(item: ContentItem) -> str:
    return "\n".join(x for x in (item.title, item.url, item.text_de, item.text_en) if x)


# -- planning ----------------------------------------------------------------------------------


async def _core_emails(core: Core, s) -> set[str]:
    emails = {e.lower() for e in core.settings.app.roles.core_group}
    for g in (await s.exec(select(RoleGrant).where(RoleGrant.role == CORE).order_by(RoleGrant.changed_at))).all():
        (emails.add if g.granted else emails.discard)(g.email.lower())
    return emails


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


def _live(item: ContentItem, at: datetime) -> bool:
    return (item.status == "approved"
            and (item.valid_from is None or _aware(item.valid_from) <= at)
            and (item.valid_until is None or _aware(item.valid_until) > at))


def _lang_of(person: Any, settings: Settings) -> str:
    return normalize_language(person.language) or settings.app.language.default


def _text_for(item: ContentItem, lang: str) -> str | None:
    return item.text_de if lang == "de" else item.text_en


def _freshness(item: ContentItem) -> datetime:
    return _aware(item.valid_from or item.decided_at or item.created_at) or datetime.min.replace(tzinfo=UTC)


async def ensure_run(core: Core, cycle: str, wave: str, due_at: datetime, kind: str = "nudge") -> int:
    async with core.db.session() as s:
        row = (await s.exec(select(ContentRun).where(ContentRun.cycle == cycle, ContentRun.wave == wave))).first()
        if row is not None:
            return row.id
        row = ContentRun(cycle=cycle, wave=wave, kind=kind, due_at=due_at.astimezone(UTC), created_at=core.now())
        s.add(row)
        try:
            await s.commit()
            return row.id
        except IntegrityError:
            await s.rollback()
    async with core.db.session() as s:
        return (await s.exec(select(ContentRun.id).where(ContentRun.cycle == cycle, ContentRun.wave == wave))).one()


async def plan_run(core: Core, run_id: int) -> int | None:
    """Write the outbox rows of one run. None when another process is planning it."""
    n = nudger(core)
    now = core.now()
    async with core.db.session() as s:
        res = await s.execute(
            update(ContentRun).where(ContentRun.id == run_id, ContentRun.status == "planning")
            .where(or_(ContentRun.lease_until.is_(None), ContentRun.lease_until < now, ContentRun.holder == n.holder))
            .values(holder=n.holder, lease_until=now + PLAN_LEASE)
        )
        await s.commit()
        if res.rowcount != 1:
            return None
        run = await s.get(ContentRun, run_id)
    if run.kind == "thanks":
        plans = await _thanks_plans(core, run, now)
    else:
        # A hold pauses the sending (below), not the planning: lifted, the run goes out whole.
        plans = await _plans(core, run, config(core.settings), now, None)
    written = 0
    for i in range(0, len(plans), PLAN_BATCH):
        written += await _write_plans(core, run, plans[i : i + PLAN_BATCH])
        async with core.db.session() as s:
            await s.execute(update(ContentRun).where(ContentRun.id == run_id, ContentRun.holder == n.holder)
                            .values(lease_until=core.now() + PLAN_LEASE))
            await s.commit()
    async with core.db.session() as s:
        total = (await s.exec(select(func.count()).select_from(ContentDelivery).where(ContentDelivery.run_id == run_id))).one()
        await s.execute(update(ContentRun).where(ContentRun.id == run_id, ContentRun.holder == n.holder)
                        .values(status="sending", planned=total, planned_at=core.now(), lease_until=None))
        await s.commit()
    log.info("content run planned", extra={"run": run_id, "cycle": run.cycle, "wave": run.wave, "deliveries": written})
    return written


@dataclass
class _Plan:
    person_id: int
    pseudonym: str
    lang: str
    due_at: datetime
    item_ids: list[int] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


async def _plans(core: Core, run: ContentRun, cfg: ContentConfig, now: datetime, check: HoldCheck | None) -> list[_Plan]:
    settings = core.settings
    async with core.db.session() as s:
        # Columns, not ORM objects: a run plans for every member at once.
        members = (await s.exec(select(Person.id, Person.pseudonym, Person.email, Person.language, Person.department,
                                       Person.timezone, Person.quiet_start, Person.quiet_end)
                                .where(Person.is_member == True, Person.active == True,  # noqa: E712
                                       Person.is_guest == False).order_by(Person.id))).all()  # noqa: E712
        prefs = dict((await s.exec(select(ContentPref.person_id, ContentPref.frequency))).all())
        items = [i for i in (await s.exec(select(ContentItem).where(ContentItem.status == "approved"))).all()
                 if _live(i, now) and not (check and check(_item_text(i)))]
        ids = [i.id for i in items]
        got: set[tuple[int, int]] = set()
        shares: dict[int, int] = {}
        if ids:
            got = {(r[0], r[1]) for r in (await s.exec(
                select(ContentLink.item_id, ContentLink.person_id).where(ContentLink.item_id.in_(ids)))).all()}
            shares = {r[0]: int(r[1]) for r in (await s.exec(
                select(ContentLink.item_id, func.count()).where(ContentLink.item_id.in_(ids),
                                                                ContentLink.shared_at.is_not(None))
                .group_by(ContentLink.item_id))).all()}
        planned = set((await s.exec(select(ContentDelivery.person_id).where(ContentDelivery.cycle == run.cycle))).all())
        # Only what every-two-weeks needs to know: a nudge in the last two weeks.
        last = {r[0]: _aware(r[1]) for r in (await s.exec(
            select(ContentDelivery.person_id, func.max(ContentDelivery.due_at))
            .where(ContentDelivery.kind == "nudge", ContentDelivery.status.in_(("pending", "sending", "sent", "uncertain")),
                   ContentDelivery.due_at > _aware(run.due_at) - BIWEEKLY_GAP - timedelta(days=1))
            .group_by(ContentDelivery.person_id))).all()}
        core_emails = await _core_emails(core, s)
    if not items:
        return []
    # Newest first; among the same day's items the least shared first.
    items.sort(key=lambda i: (-_freshness(i).toordinal(), shares.get(i.id, 0), -i.id))
    start = max(now, _aware(run.due_at))
    plans: list[_Plan] = []
    quiet: dict[tuple[str | None, str | None, str | None], datetime] = {}
    for person in members:
        if person.id in planned:
            continue
        freq = prefs.get(person.id) or "weekly"
        if freq == "pause":
            continue
        previous = last.get(person.id)
        if freq == "biweekly" and previous is not None and _aware(run.due_at) - previous < BIWEEKLY_GAP:
            continue
        is_core = (person.email or "").lower() in core_emails
        if run.wave == "early" and not is_core:
            continue
        lang = _lang_of(person, settings)
        chosen = []
        for item in items:
            if (item.id, person.id) in got or not _text_for(item, lang):
                continue
            if item.audience == "core" and not is_core:
                continue
            if item.audience == "department" and (person.department or "").lower() != (item.department or "").lower():
                continue
            chosen.append(item.id)
            if len(chosen) >= cfg.max_items:
                break
        if not chosen:
            continue
        # Most people share the program's time zone and quiet hours: worked out once for each kind.
        kind = (person.timezone, person.quiet_start, person.quiet_end)
        if kind not in quiet:
            quiet[kind] = quiet_until(person, settings, start) or start
        plans.append(_Plan(person.id, person.pseudonym, lang, quiet[kind], chosen))
    return plans


async def _write_plans(core: Core, run: ContentRun, plans: list[_Plan]) -> int:
    deliveries, links = ContentDelivery.__table__, ContentLink.__table__

    async def write(batch: list[_Plan]) -> int:
        # Three statements for the whole batch, in one transaction: a delivery is never there without its links.
        now = core.now()
        async with core.db.engine.begin() as conn:
            await conn.execute(insert(deliveries), [
                {"run_id": run.id, "cycle": run.cycle, "kind": run.kind, "person_id": p.person_id,
                 "pseudonym": p.pseudonym, "lang": p.lang, "status": "pending", "due_at": p.due_at, "attempts": 0,
                 "data": p.data, "created_at": now} for p in batch])
            if any(p.item_ids for p in batch):
                ids = dict((await conn.execute(select(deliveries.c.person_id, deliveries.c.id).where(
                    deliveries.c.cycle == run.cycle, deliveries.c.person_id.in_([p.person_id for p in batch])))).all())
                await conn.execute(insert(links), [
                    {"token": secrets.token_urlsafe(9), "delivery_id": ids[p.person_id], "item_id": item_id,
                     "person_id": p.person_id, "pseudonym": p.pseudonym, "position": pos, "clicks": 0, "created_at": now}
                    for p in batch for pos, item_id in enumerate(p.item_ids)])
        return len(batch)

    try:
        return await write(plans)
    except IntegrityError:
        # Someone planned some of these people at the same time (a lease that ran out
        # under a slow planner): one by one, the others' rows win.
        done = 0
        for p in plans:
            try:
                done += await write([p])
            except IntegrityError:
                continue
        return done


# -- sending ----------------------------------------------------------------------------------


class Undelivered(Exception):
    def __init__(self, reason: str, detail: str, gone: list[tuple[str, str]] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.reason = reason  # transient | rate_limited | gone | unreachable | no_account
        self.detail = detail
        self.gone = gone or []
        self.retry_after = retry_after


def retry_after(exc: BaseException) -> float | None:
    """The Retry-After seconds of a platform's 429, found on the error's response headers."""
    e: BaseException | None = exc
    for _ in range(5):
        if e is None:
            break
        headers = getattr(getattr(e, "response", None), "headers", None)
        if hasattr(headers, "items"):
            for name, value in headers.items():
                if str(name).lower() == "retry-after":
                    value = value[0] if isinstance(value, list | tuple) and value else value
                    try:
                        return max(0.0, float(value))
                    except (TypeError, ValueError):
                        return None
        e = e.__cause__ or e.__context__
    return None


_SLACK_GONE = {"user_not_found", "account_inactive", "user_disabled", "users_not_found", "user_not_visible"}
_SLACK_UNREACHABLE = {"cannot_dm_bot", "messages_tab_disabled", "is_archived", "channel_not_found",
                      "not_in_channel", "restricted_action", "invalid_channel"}


def _status_of(exc: BaseException) -> int | None:
    seen = 0
    e: BaseException | None = exc
    while e is not None and seen < 5:
        response = getattr(e, "response", None)
        for attr in ("status", "status_code"):
            value = getattr(response, attr, None)
            if isinstance(value, int):
                return value
        e = e.__cause__ or e.__context__
        seen += 1
    m = re.search(r"\b(403|404|429)\b", str(exc))
    return int(m.group(1)) if m else None


def classify(platform: str, exc: BaseException) -> str:
    """What a platform's failure means for the nudge: gone, unreachable, rate_limited or transient."""
    text = str(exc)
    response = getattr(exc, "response", None)
    error = None
    if response is not None and hasattr(response, "get"):
        try:
            error = response.get("error")
        except Exception:
            error = None
    words = set(re.findall(r"[a-z_]+", text.lower()))
    if error in _SLACK_GONE or words & _SLACK_GONE:
        return "gone"
    if error == "ratelimited" or "ratelimited" in words:
        return "rate_limited"
    if error in _SLACK_UNREACHABLE or (platform == "slack" and words & _SLACK_UNREACHABLE):
        return "unreachable"
    if "no teams conversation is known" in text.lower():
        return "no_account"
    status = _status_of(exc)
    if status in (403, 404) or re.search(r"\b(Forbidden|Not ?Found)\b", text):
        return "gone" if platform != "slack" else "unreachable"
    if status == 429:
        return "rate_limited"
    return "transient"


async def _reach(s, person_ids: list[int]) -> tuple[dict[int, list[Identity]], dict[tuple[str, str], ConversationRef]]:
    """The people's chat accounts and stored conversations, in two queries for a whole batch."""
    identities: dict[int, list[Identity]] = {}
    for ident in (await s.exec(select(Identity).where(Identity.person_id.in_(person_ids or [0])).order_by(Identity.id))).all():
        identities.setdefault(ident.person_id, []).append(ident)
    pairs = [(i.platform, i.user_id) for idents in identities.values() for i in idents]
    refs: dict[tuple[str, str], ConversationRef] = {}
    for n in range(0, len(pairs), 200):
        # By (platform, user_id): the unique index serves it, so a fan-out to thousands stays flat.
        chunk = pairs[n : n + 200]
        for r in (await s.exec(select(ConversationRef).where(or_(*(and_(ConversationRef.platform == p,
                                                                         ConversationRef.user_id == u)
                                                                    for p, u in chunk))))).all():
            refs[(r.platform, r.user_id)] = r
    return identities, refs


async def deliver(core: Core, person_id: int, replies: list[Reply], key: str, *,
                  reach: tuple[list[Identity], dict[tuple[str, str], ConversationRef]] | None = None) -> str:
    """Send to the person's direct chat on the first platform that takes it; raise Undelivered with a reason."""
    if reach is None:
        async with core.db.session() as s:
            by_person, refs = await _reach(s, [person_id])
        identities = by_person.get(person_id, [])
    else:
        identities, refs = reach
    failures: list[tuple[str, str, str, BaseException]] = []
    for ident in identities:
        sender = core.senders.get(ident.platform)
        if sender is None:
            continue
        ref = refs.get((ident.platform, ident.user_id))
        try:
            if getattr(sender, "find_sent", None) is not None:
                # A sender that can look a message up again gets its key along (reconciliation).
                await sender.send_to_person(ident.user_id, replies, key=key)  # type: ignore[call-arg]
            elif ident.platform == "slack" and ref is not None and ref.conversation_id.startswith("D"):
                # The stored DM: Slack's conversations.open is rate-limited far below a weekly fan-out.
                await sender.send_to_conversation(ref.conversation_id, replies, None)
            else:
                await sender.send_to_person(ident.user_id, replies)
            return ident.platform
        except Exception as exc:
            failures.append((ident.platform, ident.user_id, classify(ident.platform, exc), exc))
    if not failures:
        raise Undelivered("no_account", "no Slack or Teams account of this person is reachable from here")
    detail = "; ".join(f"{p}: {_clip(str(e), 160)}" for p, _, _, e in failures)
    kinds = {k for _, _, k, _ in failures}
    if "rate_limited" in kinds:
        waits = [w for _, _, k, e in failures if k == "rate_limited" and (w := retry_after(e)) is not None]
        raise Undelivered("rate_limited", detail, retry_after=max(waits) if waits else None)
    if "transient" in kinds:
        raise Undelivered("transient", detail)
    if "gone" in kinds:
        raise Undelivered("gone", detail, [(p, u) for p, u, k, _ in failures if k == "gone"])
    raise Undelivered("unreachable" if "unreachable" in kinds else "no_account", detail)


@dataclass
class SendStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    deferred: int = 0
    uncertain: int = 0
    reconciled: int = 0
    busy: bool = False  # another process holds the sender lease


async def send_due(core: Core, *, exclusive: bool = True, limit: int | None = None) -> SendStats:
    """Work off the due outbox rows, paced. ``limit`` stops after that many rows (tests, the benchmark).

    A feeder claims rows in batches ahead of the workers (no pause between batches), the
    workers send at the pacer's slots, and a writer commits the workers' marks together.
    """
    n = nudger(core)
    stats = SendStats()
    if exclusive and not await _lease(core, SENDER_LEASE_NAME, n.holder, SENDER_LEASE):
        stats.busy = True
        return stats
    writer: _Writer | None = None
    feeder: asyncio.Task[None] | None = None
    try:
        await reconcile_stale(core, stats)
        holds = _LiveHolds(core, await hold_check(core))
        _listen_for_rate_limits(core, n.pacer)
        # Two seconds of sends per claim: enough to keep the workers busy, little held under one claim.
        size = max(2 * n.concurrency, min(500, int(n.pacer.rate * 2)))
        queue: asyncio.Queue[tuple[ContentDelivery, str, _RowData] | None] = asyncio.Queue(maxsize=size)
        writer = _Writer(core, stats)
        feeder = asyncio.create_task(_feed(core, queue, size, limit, n.concurrency, n.holder if exclusive else None))
        await asyncio.gather(*(_worker(core, queue, stats, holds, writer) for _ in range(n.concurrency)))
        await feeder
        await writer.close()
    except asyncio.CancelledError:
        # Stopped (the process is going down): what was not committed stays as it is; rows left in
        # 'sending' are found by reconcile_stale later.
        if writer is not None:
            writer.abort()
        raise
    finally:
        if feeder is not None and not feeder.done():
            feeder.cancel()
        if exclusive:
            await _release(core, SENDER_LEASE_NAME, n.holder)
    await finish_runs(core)
    return stats


def _listen_for_rate_limits(core: Core, pacer: Pacer) -> None:
    """A sender that hears the platform's 429 (``rate_limit_listeners``: callables taking the Retry-After
    seconds) tells the pacer, so all workers hold, not only the one whose request was refused."""
    for sender in core.senders.values():
        listeners = getattr(sender, "rate_limit_listeners", None)
        if not isinstance(listeners, list):
            continue
        # The pacer of an earlier configuration of this core is replaced, not added to.
        listeners[:] = [fn for fn in listeners if not isinstance(getattr(fn, "__self__", None), Pacer)]
        listeners.append(pacer.back_off)


async def _feed(core: Core, queue: asyncio.Queue[tuple[ContentDelivery, str, _RowData] | None], size: int,
                limit: int | None, workers: int, holder: str | None) -> None:
    left = limit
    drained: datetime | None = None
    try:
        while left is None or left > 0:
            rows = await _claim(core, size if left is None else min(size, left))
            if not rows:
                # Rows due in a moment (a retry after a 429's Retry-After) are finished by this run,
                # not left for the next tick; only while time moves on (a stopped clock ends it).
                await queue.join()  # what the workers have may come back due
                now = core.now()
                soon = await _next_due(core)
                if soon is None or soon - now > DRAIN or (drained is not None and now <= drained):
                    break
                drained = now
                await asyncio.sleep(max(0.0, (soon - now).total_seconds()) + 0.01)
                continue
            if left is not None:
                left -= len(rows)
            data = await _load(core, [r for r, _ in rows])
            for row, token in rows:
                await queue.put((row, token, data[row.id]))
            if holder is not None:
                await _lease(core, SENDER_LEASE_NAME, holder, SENDER_LEASE)
    except Exception:
        # The database went away: the claimed rows are free again when their claim runs out.
        log.exception("claiming due deliveries failed")
    for _ in range(workers):
        await queue.put(None)


async def _next_due(core: Core) -> datetime | None:
    """When the next pending row nobody holds comes due."""
    now = core.now()
    async with core.db.session() as s:
        return _aware((await s.exec(select(func.min(ContentDelivery.due_at)).where(
            ContentDelivery.status == "pending",
            or_(ContentDelivery.lease_until.is_(None), ContentDelivery.lease_until < now)))).one())


@dataclass
class _Mark:
    row_id: int
    token: str
    to: str  # sending | sent
    platform: str | None = None
    done: asyncio.Future[bool] | None = None
    deadline: float = 0.0  # sending: when the worker's slot comes (time.monotonic)


class _Writer:
    """Group commit for the outbox marks of all workers: one transaction for what is waiting.

    A row is marked 'sending' (committed) before its platform call; the worker waits for that,
    and its pacer slot is ahead anyway, so the writer gathers marks for a few milliseconds
    (never past the first slot) and commits them together. A 'sent' is queued without waiting
    and committed with the next transaction, at the latest together with the same worker's next
    'sending' (the queue keeps the order). So at any moment at most one row per worker is
    'sending' without its outcome in the database, as with one commit per mark, at a fraction
    of the commits.
    """

    # A commit that fails is tried again for about 7 s (0.05 s doubling, at most 2 s apart): a short
    # database outage then leaves no row 'sending' (uncertain where the platform can't be asked).
    RETRIES = 8
    GATHER = 0.03  # at most this long between the first mark waiting and its commit
    LEAD = 0.015  # a commit's time: the marks are stored this long before the first slot
    SENT_AGE = 0.25  # a 'sent' with no 'sending' after it is stored after this long at the latest

    def __init__(self, core: Core, stats: SendStats) -> None:
        self.core = core
        self.stats = stats
        self._marks: list[_Mark] = []
        self._wake = asyncio.Event()
        self._closing = False
        self._timer: asyncio.TimerHandle | None = None
        self._task = asyncio.create_task(self._run())

    async def sending(self, row_id: int, token: str, within: float = 0.0) -> bool:
        """Mark the row 'sending'; ``within``: seconds until the worker's slot. True: it is ours to send."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._marks.append(_Mark(row_id, token, "sending", done=done, deadline=time.monotonic() + max(0.0, within)))
        self._wake.set()
        return await done

    def sent(self, row_id: int, token: str, platform: str) -> None:
        self._marks.append(_Mark(row_id, token, "sent", platform))
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.SENT_AGE, self._wake.set)

    async def close(self) -> None:
        self._closing = True
        self._wake.set()
        await self._task

    def abort(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._task.cancel()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            deadlines = [m.deadline for m in self._marks if m.to == "sending"]
            if deadlines and not self._closing:
                pause = min(self.GATHER, min(deadlines) - self.LEAD - time.monotonic())
                if pause > 0:
                    await asyncio.sleep(pause)
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            while self._marks:
                marks, self._marks = self._marks, []
                await self._commit(marks)
            if self._closing:
                return

    async def _commit(self, marks: list[_Mark]) -> None:
        table = ContentDelivery.__table__
        c = table.c
        now = self.core.now()
        sent: dict[tuple[str, str | None], list[int]] = {}
        sending: dict[str, list[int]] = {}
        for m in marks:
            if m.to == "sent":
                sent.setdefault((m.token, m.platform), []).append(m.row_id)
            else:
                sending.setdefault(m.token, []).append(m.row_id)
        error: BaseException | None = None
        for attempt in range(self.RETRIES):
            try:
                done_sent: set[int] = set()
                done_sending: set[int] = set()
                async with self.core.db.engine.begin() as conn:
                    for (token, platform), ids in sent.items():
                        done_sent |= await _cas(conn, update(table).where(
                            c.id.in_(ids), c.claim_token == token, c.status.in_(("sending", "uncertain"))).values(
                            status="sent", sent_at=now, platform=platform, error=None, reason=None,
                            lease_until=None, claim_token=None), ids)
                    for token, ids in sending.items():
                        done_sending |= await _cas(conn, update(table).where(
                            c.id.in_(ids), c.claim_token == token, c.status == "pending").values(
                            status="sending", started_at=now, attempts=c.attempts + 1), ids)
                error = None
                break
            except Exception as exc:  # a busy or briefly unreachable database: try again shortly
                error = exc
                await asyncio.sleep(min(0.05 * 2**attempt, 2.0))
        if error is not None:
            # Rows stay 'sending' (found by reconcile_stale later) or 'pending' (claimed again): nothing is lost.
            log.error("outbox marks not stored", extra={"marks": len(marks), "error": str(error)[:200]})
        else:
            self.stats.sent += len(done_sent)
        for m in marks:
            if m.done is not None and not m.done.done():
                if error is not None:
                    m.done.set_exception(error)
                else:
                    m.done.set_result(m.row_id in done_sending)


async def _cas(conn: Any, stmt: Any, ids: list[int]) -> set[int]:
    """Run a compare-and-set UPDATE; the ids it changed."""
    if conn.dialect.update_returning:
        return set((await conn.execute(stmt.returning(ContentDelivery.__table__.c.id))).scalars())
    changed = set()
    for row_id in ids:  # without RETURNING: one statement per row tells which ones matched
        res = await conn.execute(stmt.where(ContentDelivery.__table__.c.id == row_id))
        if res.rowcount == 1:
            changed.add(row_id)
    return changed


@dataclass
class _RowData:
    person: Person | None
    pref: ContentPref | None
    links: list[ContentLink]
    items: dict[int, ContentItem]
    identities: list[Identity]
    refs: dict[tuple[str, str], ConversationRef]


async def _load(core: Core, rows: list[ContentDelivery]) -> dict[int, _RowData]:
    """What sending a batch needs, in a handful of queries instead of several per message."""
    pids = [r.person_id for r in rows if r.person_id]
    async with core.db.session() as s:
        people = {p.id: p for p in (await s.exec(select(Person).where(Person.id.in_(pids or [0])))).all()}
        prefs = {p.person_id: p for p in (await s.exec(select(ContentPref).where(ContentPref.person_id.in_(pids or [0])))).all()}
        links: dict[int, list[ContentLink]] = {}
        for lk in (await s.exec(select(ContentLink).where(ContentLink.delivery_id.in_([r.id for r in rows]))
                                .order_by(ContentLink.position))).all():
            links.setdefault(lk.delivery_id, []).append(lk)
        item_ids = {lk.item_id for lks in links.values() for lk in lks}
        items = {i.id: i for i in (await s.exec(select(ContentItem).where(ContentItem.id.in_(item_ids or {0})))).all()}
        identities, refs = await _reach(s, pids)
    return {r.id: _RowData(people.get(r.person_id), prefs.get(r.person_id), links.get(r.id, []), items,
                           identities.get(r.person_id, []), refs) for r in rows}


async def _worker(core: Core, queue: asyncio.Queue[tuple[ContentDelivery, str, _RowData] | None], stats: SendStats,
                  holds: _LiveHolds, writer: _Writer) -> None:
    while (job := await queue.get()) is not None:
        row, token, data = job
        try:
            await _deliver_row(core, row, token, stats, await holds.get(), data, writer)
        finally:
            queue.task_done()


async def _claim(core: Core, size: int) -> list[tuple[ContentDelivery, str]]:
    now = core.now()
    token = uuid.uuid4().hex[:16]
    async with core.db.session() as s:
        q = (select(ContentDelivery.id)
             .where(ContentDelivery.status == "pending", ContentDelivery.due_at <= now)
             .where(or_(ContentDelivery.lease_until.is_(None), ContentDelivery.lease_until < now))
             .order_by(ContentDelivery.due_at).limit(size))
        if not core.db.is_sqlite:
            # Two senders skip each other's rows instead of queueing on the locks.
            q = q.with_for_update(skip_locked=True)
        ids = list((await s.exec(q)).all())
        if not ids:
            return []
        await s.execute(
            update(ContentDelivery).where(ContentDelivery.id.in_(ids), ContentDelivery.status == "pending")
            .where(or_(ContentDelivery.lease_until.is_(None), ContentDelivery.lease_until < now))
            .values(claim_token=token, lease_until=now + CLAIM_LEASE)
        )
        await s.commit()
        rows = (await s.exec(select(ContentDelivery).where(ContentDelivery.id.in_(ids),
                                                           ContentDelivery.claim_token == token)
                             .order_by(ContentDelivery.due_at, ContentDelivery.id))).all()
    return [(r, token) for r in rows]


async def _set(core: Core, row_id: int, token: str, from_status: Iterable[str], **values: Any) -> bool:
    async with core.db.session() as s:
        res = await s.execute(
            update(ContentDelivery).where(ContentDelivery.id == row_id, ContentDelivery.claim_token == token,
                                          ContentDelivery.status.in_(tuple(from_status))).values(**values)
        )
        await s.commit()
        return res.rowcount == 1


async def _release_links(core: Core, delivery_id: int, item_ids: Iterable[int] | None = None) -> None:
    """The person did not get these items: they may come again."""
    async with core.db.session() as s:
        q = delete(ContentLink).where(ContentLink.delivery_id == delivery_id)
        if item_ids is not None:
            q = q.where(ContentLink.item_id.in_(list(item_ids)))
        await s.execute(q)
        await s.commit()


async def _deliver_row(core: Core, row: ContentDelivery, token: str, stats: SendStats,
                       holds: HoldCheck | None, data: _RowData, writer: _Writer) -> None:
    try:
        await _deliver_row_inner(core, row, token, stats, holds, data, writer)
    except Exception:
        # A bug or the database away: the claim runs out and the row is tried again.
        log.exception("nudge delivery failed unexpectedly", extra={"delivery": row.id})


async def _deliver_row_inner(core: Core, row: ContentDelivery, token: str, stats: SendStats,
                             holds: HoldCheck | None, data: _RowData, writer: _Writer) -> None:
    now = core.now()
    settings = core.settings
    person, pref = data.person, data.pref
    done = dict(lease_until=None, claim_token=None)
    if person is None or not person.is_member or not person.active:
        reason = "left"
    elif row.kind == "thanks":
        reason = "opted_out" if pref is not None and not pref.thanks else None
    else:
        reason = "paused" if pref is not None and pref.frequency == "pause" else None
    if reason is not None:
        if await _set(core, row.id, token, ("pending",), status="cancelled", reason=reason, **done):
            await _release_links(core, row.id)
            stats.cancelled += 1
        return
    if holds is not None:
        # A posting hold pauses every nudge and thank-you, not only those on its topic: cheerful
        # content in the middle of a crisis reads badly. The row waits and goes out after the lift.
        if await _set(core, row.id, token, ("pending",), due_at=now + HOLD_RECHECK, **done):
            stats.deferred += 1
        return
    quiet = quiet_until(person, settings, now)
    if quiet is not None:
        # Not in anyone's quiet hours: the row waits until they end.
        if await _set(core, row.id, token, ("pending",), due_at=quiet, **done):
            stats.deferred += 1
        return
    t = core.translator(row.lang)
    if row.kind == "thanks":
        reply = thanks_reply(core, row.id, row.data or {}, _first_name(person, t), t)
    else:
        links, items = data.links, data.items
        keep = [lk for lk in links if lk.item_id in items and _live(items[lk.item_id], now)
                and not (holds and holds(_item_text(items[lk.item_id])))]
        dropped = [lk.item_id for lk in links if lk not in keep]
        if dropped:
            await _release_links(core, row.id, dropped)
        if not keep:
            if await _set(core, row.id, token, ("pending",), status="cancelled", reason="retired", **done):
                stats.cancelled += 1
            return
        reply = nudge_reply(core, [(items[lk.item_id], lk) for lk in keep], t)
    pacer = nudger(core).pacer
    # The slot first: 'sending' is committed while the pacer's turn comes round.
    slot = pacer.reserve(row.person_id)
    if not await writer.sending(row.id, token, within=slot - pacer.clock()):
        return
    await pacer.until(slot)
    try:
        platform = await deliver(core, person.id, [reply], key=delivery_key(row),
                                 reach=(data.identities, data.refs))
    except Undelivered as exc:
        await _undelivered(core, row, token, exc, stats)
        return
    writer.sent(row.id, token, platform)


def delivery_key(row: ContentDelivery) -> str:
    """What the platform message carries to be found again after an interrupted send."""
    return f"ambassador-{'thanks' if row.kind == 'thanks' else 'nudge'}-{row.id}"


async def _undelivered(core: Core, row: ContentDelivery, token: str, exc: Undelivered, stats: SendStats) -> None:
    cfg = config(core.settings)
    done = dict(lease_until=None, claim_token=None)
    error = exc.detail[:500]
    if exc.reason in ("gone", "unreachable", "no_account"):
        if await _set(core, row.id, token, ("sending",), status="skipped", reason=exc.reason, error=error, **done):
            await _release_links(core, row.id)
            stats.skipped += 1
        for platform, user_id in exc.gone:
            if platform == "slack":
                # Slack says the account is gone: the person leaves the program, as on user_change.
                await core.deactivate(platform, user_id)
        log.info("nudge skipped", extra={"delivery": row.id, "reason": exc.reason})
        return
    if exc.reason == "rate_limited":
        nudger(core).pacer.back_off(exc.retry_after or 30)
    attempts = row.attempts + 1
    if attempts >= cfg.max_attempts:
        if await _set(core, row.id, token, ("sending",), status="failed", reason="error", error=error, **done):
            await _release_links(core, row.id)
            stats.failed += 1
        log.warning("nudge failed for good", extra={"delivery": row.id, "error": error[:200]})
        return
    if exc.reason == "rate_limited" and exc.retry_after:
        # The platform said when: then, not on the failure schedule.
        wait = timedelta(seconds=exc.retry_after)
    else:
        wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    if await _set(core, row.id, token, ("sending",), status="pending", due_at=core.now() + wait, error=error,
                  started_at=None, **done):
        stats.retried += 1
    log.info("nudge will be retried", extra={"delivery": row.id, "attempt": attempts, "in_s": wait.total_seconds()})


async def reconcile_stale(core: Core, stats: SendStats | None = None) -> int:
    """Rows left in 'sending' by a stopped process: found on the platform -> sent; known not sent -> pending;
    otherwise 'uncertain' (reported, never sent again blindly)."""
    now = core.now()
    async with core.db.session() as s:
        stale = (await s.exec(select(ContentDelivery).where(ContentDelivery.status == "sending",
                                                            ContentDelivery.started_at < now - SENDING_STALE))).all()
    changed = 0
    for row in stale:
        found = await _find_sent(core, row)
        async with core.db.session() as s:
            if found is True:
                values: dict[str, Any] = dict(status="sent", sent_at=now, reason="reconciled")
            elif found is False:
                values = dict(status="pending", due_at=now, started_at=None)
            else:
                values = dict(status="uncertain", reason="interrupted",
                              error="the process stopped during the send; it may or may not have arrived")
            res = await s.execute(update(ContentDelivery).where(ContentDelivery.id == row.id,
                                                                ContentDelivery.status == "sending",
                                                                ContentDelivery.started_at == row.started_at)
                                  .values(lease_until=None, claim_token=None, **values))
            await s.commit()
        if res.rowcount == 1:
            changed += 1
            if stats is not None:
                if found is True:
                    stats.reconciled += 1
                elif found is None:
                    stats.uncertain += 1
            log.warning("interrupted nudge send", extra={"delivery": row.id, "outcome": values["status"]})
    return changed


async def _find_sent(core: Core, row: ContentDelivery) -> bool | None:
    if row.person_id is None:
        return None
    async with core.db.session() as s:
        identities = (await s.exec(select(Identity).where(Identity.person_id == row.person_id))).all()
    answers = []
    for ident in identities:
        finder = getattr(core.senders.get(ident.platform), "find_sent", None)
        if finder is None:
            return None  # one platform that cannot tell is enough to stay uncertain
        try:
            answers.append(await finder(ident.user_id, delivery_key(row)))
        except Exception as exc:
            log.warning("could not look the nudge up", extra={"delivery": row.id, "error": str(exc)[:200]})
            return None
    if any(a is True for a in answers):
        return True
    if answers and all(a is False for a in answers):
        return False
    return None


# -- runs: finishing and reporting --------------------------------------------------------------


async def finish_runs(core: Core) -> None:
    async with core.db.session() as s:
        runs = (await s.exec(select(ContentRun).where(ContentRun.status == "sending"))).all()
        for run in runs:
            open_rows = (await s.exec(select(func.count()).select_from(ContentDelivery).where(
                ContentDelivery.run_id == run.id, ContentDelivery.status.in_(("pending", "sending"))))).one()
            if open_rows == 0:
                await s.execute(update(ContentRun).where(ContentRun.id == run.id, ContentRun.status == "sending")
                                .values(status="done", finished_at=core.now()))
        await s.commit()
    await send_reports(core)


async def run_counts(core: Core, run_id: int) -> dict[str, int]:
    async with core.db.session() as s:
        rows = (await s.exec(select(ContentDelivery.status, func.count()).where(ContentDelivery.run_id == run_id)
                             .group_by(ContentDelivery.status))).all()
    counts = {k: 0 for k in ("pending", "sending", "sent", "skipped", "failed", "uncertain", "cancelled")}
    counts.update({r[0]: int(r[1]) for r in rows})
    return counts


async def send_reports(core: Core) -> None:
    """The comms lead hears about every run that had failures, uncertain sends or skipped members."""
    now = core.now()
    async with core.db.session() as s:
        runs = (await s.exec(select(ContentRun).where(
            ContentRun.status == "done", ContentRun.report_sent_at.is_(None), ContentRun.report_tries < 10,
            or_(ContentRun.report_claim_until.is_(None), ContentRun.report_claim_until < now)))).all()
    lead = core.settings.app.roles.comms_lead
    for run in runs:
        async with core.db.session() as s:
            res = await s.execute(update(ContentRun).where(
                ContentRun.id == run.id, ContentRun.report_sent_at.is_(None),
                or_(ContentRun.report_claim_until.is_(None), ContentRun.report_claim_until < now))
                .values(report_claim_until=now + timedelta(minutes=5), report_tries=ContentRun.report_tries + 1))
            await s.commit()
        if res.rowcount != 1:
            continue
        counts = await run_counts(core, run.id)
        problems = counts["failed"] + counts["uncertain"] + counts["skipped"]
        delivered = True
        if problems and lead:
            person = await core.person_by_email(lead)
            t = core.translator(core.language_of(person))
            try:
                if person is None:
                    raise RuntimeError(f"nobody with the address {lead} is known")
                await core.notify(person.id, [await report_reply(core, run, counts, t)])
            except Exception as exc:
                delivered = False
                log.warning("nudge report not delivered; tried again later", extra={"run": run.id, "error": str(exc)[:200]})
        elif problems:
            log.warning("nudge run had problems and no comms lead is configured", extra={"run": run.id, **counts})
        async with core.db.session() as s:
            await s.execute(update(ContentRun).where(ContentRun.id == run.id).values(
                report_sent_at=now if delivered else None,
                report_claim_until=None if delivered else now + timedelta(minutes=10)))
            await s.commit()


async def report_reply(core: Core, run: ContentRun, counts: dict[str, int], t: Translator) -> Reply:
    async with core.db.session() as s:
        rows = (await s.exec(select(ContentDelivery).where(
            ContentDelivery.run_id == run.id, ContentDelivery.status.in_(("failed", "uncertain", "skipped")))
            .order_by(ContentDelivery.id).limit(60))).all()
    fields = []
    for status, label in (("failed", "content.report.failed"), ("uncertain", "content.report.uncertain"), ("skipped", "content.report.skipped")):
        lines = [f"#{r.id} {r.pseudonym}" + (f" ({t('content.reason.' + r.reason)})" if r.reason in ("gone", "unreachable", "no_account") else "")
                 for r in rows if r.status == status][:20]
        if lines:
            fields.append(RField(t(label), ", ".join(lines)))
    if run.kind == "thanks":
        month = run.cycle.split(":", 1)[1]
        title = t("content.report.title_thanks", month=t(f"content.month.{int(month[5:7])}") + f" {month[:4]}")
    else:
        title = t("content.report.title", cycle=run.cycle)
    return Reply(title=title, text=t("content.report.text", **{k: counts[k] for k in ("sent", "failed", "uncertain", "skipped")}),
                 fields=fields, context=t("content.report.context"))


async def status_summary(core: Core, runs: int = 10) -> dict[str, Any]:
    async with core.db.session() as s:
        recent = (await s.exec(select(ContentRun).order_by(ContentRun.id.desc()).limit(runs))).all()
    out = []
    for run in recent:
        counts = await run_counts(core, run.id)
        out.append({"id": run.id, "cycle": run.cycle, "wave": run.wave, "status": run.status,
                    "counts": {"sent": counts["sent"], "pending": counts["pending"] + counts["sending"],
                               "failed": counts["failed"], "uncertain": counts["uncertain"],
                               "skipped": counts["skipped"] + counts["cancelled"]}})
    return {"runs": out}


async def resend(core: Core, delivery_id: int) -> bool:
    """Someone decided an uncertain (or failed) delivery should go out again."""
    async with core.db.session() as s:
        res = await s.execute(update(ContentDelivery).where(
            ContentDelivery.id == delivery_id, ContentDelivery.status.in_(("uncertain", "failed")))
            .values(status="pending", due_at=core.now(), attempts=0, lease_until=None, claim_token=None,
                    reason=None, error=None))
        if res.rowcount == 1:
            await s.execute(update(ContentRun).where(ContentRun.id == select(ContentDelivery.run_id).where(
                ContentDelivery.id == delivery_id).scalar_subquery()).values(status="sending"))
        await s.commit()
    return res.rowcount == 1


# -- the entry points: scheduled, by hand -------------------------------------------------------


async def plan_due(core: Core) -> list[int]:
    cfg = config(core.settings)
    ids = []
    for cycle, wave, due_at in due_waves(cfg, core.settings, core.now()):
        ids.append(await ensure_run(core, cycle, wave, due_at))
    await _plan_open(core)
    return ids


async def _plan_open(core: Core) -> None:
    async with core.db.session() as s:
        open_runs = (await s.exec(select(ContentRun.id).where(ContentRun.status == "planning").order_by(ContentRun.id))).all()
    for run_id in open_runs:
        await plan_run(core, run_id)


async def nudge_job(core: Core) -> SendStats:
    """The scheduled work: approval requests, due runs planned, the outbox worked off, reports sent."""
    try:
        await send_approval_requests(core)
    except Exception:
        log.exception("approval requests failed")
    await plan_due(core)
    return await send_due(core)


async def run_now(core: Core, *, limit: int | None = None) -> tuple[int, SendStats]:
    """``ambassador nudge run --now``: a run for everyone, at once (still never an item twice)."""
    now = core.now()
    run_id = await ensure_run(core, "manual:" + now.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"), "main", now)
    await plan_run(core, run_id)
    return run_id, await send_due(core, limit=limit)


# -- the monthly thank-you ------------------------------------------------------------------------
#
# The most active members of a month get a personal thank-you on the configured
# working day of the next month. It goes through the same outbox as the nudge: a
# run per month ("thanks:2026-03", one per cycle and wave), one delivery row per
# (month, person) under the unique constraint, claimed, paced, marked 'sending'
# before the platform call. Nobody is ranked in public: the message names the
# person's own figures only, and the comms lead sees how many people are thanked,
# with names only of those who agreed ("thanks public on").

THANKS_CATCH_UP = timedelta(days=5)  # a thank-you missed while the bot was down still goes out this long after


@functools.lru_cache(maxsize=64)
def _holiday_calendar(country: str, region: str | None, year: int) -> frozenset[date]:
    import holidays

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


async def month_activity(core: Core, month: str) -> dict[int, tuple[int, int]]:
    """{person id: (shares recorded, clicks on their links)} in that month, program time zone."""
    start, end = month_bounds(month, program_tz(core.settings))
    out: dict[int, list[int]] = {}
    async with core.db.session() as s:
        for pid, n in (await s.exec(
                select(ContentLink.person_id, func.count()).where(
                    ContentLink.person_id.is_not(None), ContentLink.shared_at >= start, ContentLink.shared_at < end)
                .group_by(ContentLink.person_id))).all():
            out.setdefault(pid, [0, 0])[0] = int(n)
        for pid, n in (await s.exec(
                select(ContentLink.person_id, func.sum(ContentClicks.clicks))
                .join(ContentClicks, ContentClicks.link_id == ContentLink.id)
                .where(ContentClicks.month == month, ContentLink.person_id.is_not(None))
                .group_by(ContentLink.person_id))).all():
            out.setdefault(pid, [0, 0])[1] = int(n or 0)
    return {pid: (v[0], v[1]) for pid, v in out.items()}


@dataclass
class Thanked:
    person: Person
    shares: int
    clicks: int
    public: bool

    @property
    def activity(self) -> int:
        return self.shares + self.clicks


def choose_thanked(candidates: list[Thanked], top: int, min_activity: int) -> list[Thanked]:
    """The ``top`` most active with at least ``min_activity``; everyone tied with the last place too
    (a thank-you is no prize: nobody is left out by a coin toss)."""
    eligible = sorted((c for c in candidates if c.activity >= min_activity),
                      key=lambda c: (-c.activity, -c.shares, c.person.id))
    if len(eligible) <= top:
        return eligible
    cut = eligible[top - 1].activity
    return [c for c in eligible if c.activity >= cut]


async def thanks_selection(core: Core, month: str) -> tuple[list[Thanked], int]:
    """Who would be thanked for the month (members who did not opt out), and how many members opted out."""
    cfg = config(core.settings).thanks
    activity = await month_activity(core, month)
    async with core.db.session() as s:
        people = (await s.exec(select(Person).where(
            Person.id.in_(list(activity) or [0]), Person.is_member == True, Person.active == True,  # noqa: E712
            Person.is_guest == False))).all()  # noqa: E712
        prefs = {p.person_id: p for p in (await s.exec(
            select(ContentPref).where(ContentPref.person_id.in_([p.id for p in people] or [0])))).all()}
        opted_out = (await s.exec(select(func.count()).select_from(ContentPref).join(Person, Person.id == ContentPref.person_id)
                                  .where(ContentPref.thanks == False, Person.is_member == True,  # noqa: E712
                                         Person.active == True))).one()  # noqa: E712
    candidates = [Thanked(p, *activity[p.id], public=bool(prefs[p.id].thanks_public) if p.id in prefs else False)
                  for p in people if p.id not in prefs or prefs[p.id].thanks]
    return choose_thanked(candidates, cfg.top, cfg.min_activity), int(opted_out)


async def _thanks_plans(core: Core, run: ContentRun, now: datetime) -> list[_Plan]:
    month = run.cycle.split(":", 1)[1]
    chosen, _ = await thanks_selection(core, month)
    async with core.db.session() as s:
        planned = set((await s.exec(select(ContentDelivery.person_id).where(ContentDelivery.cycle == run.cycle))).all())
    start = max(now, _aware(run.due_at))
    return [_Plan(c.person.id, c.person.pseudonym, _lang_of(c.person, core.settings),
                  quiet_until(c.person, core.settings, start) or start,
                  data={"month": month, "shares": c.shares, "clicks": c.clicks})
            for c in chosen if c.person.id not in planned]


async def plan_thanks_due(core: Core) -> int | None:
    """The month's thank-you run, created and planned once it is due (by whichever replica comes first)."""
    cfg = config(core.settings).thanks
    if not cfg.enabled:
        return None
    due = thanks_due(cfg, core.settings, core.now())
    if due is None:
        return None
    run_id = await ensure_run(core, f"thanks:{due[0]}", "thanks", due[1], kind="thanks")
    await _plan_open(core)
    return run_id


async def thanks_job(core: Core) -> SendStats | None:
    """The scheduled work of the thank-you: due month planned, the outbox worked off."""
    if not config(core.settings).thanks.enabled:
        return None
    await plan_thanks_due(core)
    return await send_due(core)


def _first_name(person: Person | None, t: Translator) -> str | None:
    name = " ".join((person.display_name or "").split()) if person else ""
    if not name or "@" in name:
        return None
    # "Vielen Dank, Anna Schmidt!" in the Sie form; first names where people say du (and in English).
    return name if t.lang == "de" and t.address == "sie" else name.split(" ")[0]


def thanks_reply(core: Core, delivery_id: int | None, data: dict[str, Any], name: str | None, t: Translator,
                 *, stopped: bool = False) -> Reply:
    """The thank-you: the person's own figures, never a place in a ranking."""
    month = str(data.get("month") or "")
    month_name = t(f"content.month.{int(month[5:7])}") if len(month) == 7 else month
    shares, clicks = int(data.get("shares") or 0), int(data.get("clicks") or 0)
    posts = t("content.thanks.posts_one") if shares == 1 else t("content.thanks.posts", n=shares)
    times = t("content.thanks.times_one") if clicks == 1 else t("content.thanks.times", n=clicks)
    key = "both" if shares and clicks else "shares" if shares else "clicks"
    text = (t(f"content.thanks.{key}", month=month_name, posts=posts, times=times) + "\n\n"
            + t("content.thanks.body", program=core.settings.app.program.name))
    buttons = [] if stopped else [Button(t("content.thanks.stop"), "content.thanks_off",
                                         value={"d": delivery_id, "_lang": t.lang})]
    return Reply(title=t("content.thanks.title", name=name) if name else t("content.thanks.title_anon"), text=text,
                 buttons=buttons, context=t("content.thanks.set_off" if stopped else "content.thanks.context"))


async def set_pref(core: Core, person_id: int, **values: Any) -> None:
    """Store a member's choice (frequency, thanks, thanks_public); two presses at once store it once."""
    for _ in range(2):
        async with core.db.session() as s:
            row = await s.get(ContentPref, person_id)
            if row is None:
                s.add(ContentPref(person_id=person_id, updated_at=core.now(), **values))
            else:
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = core.now()
            try:
                await s.commit()
                return
            except IntegrityError:  # the other press inserted the row: update it
                await s.rollback()


_THANKS_SETTINGS: dict[str, tuple[str, bool]] = {
    "thanks off": ("thanks", False), "thanks on": ("thanks", True),
    "danke aus": ("thanks", False), "danke an": ("thanks", True),
    "thanks public on": ("thanks_public", True), "thanks public off": ("thanks_public", False),
    "danke öffentlich an": ("thanks_public", True), "danke öffentlich aus": ("thanks_public", False),
    "danke oeffentlich an": ("thanks_public", True), "danke oeffentlich aus": ("thanks_public", False),
}
_THANKS_ASK = {"thanks public", "danke öffentlich", "danke oeffentlich"}


async def thanks_command(ctx: Context, msg: Incoming) -> Reply | list[Reply] | None:
    t = ctx.t
    said = " ".join(normalize_command_text(msg.text).lower().rstrip(".!").split())
    setting = _THANKS_SETTINGS.get(said)
    reply: Reply
    if setting is not None:
        column, on = setting
        await set_pref(ctx.core, ctx.person.id, **{column: on})
        if column == "thanks":
            reply = Reply(text=t("content.thanks.set_on" if on else "content.thanks.set_off"))
        else:
            reply = Reply(text=t("content.thanks.public_on" if on else "content.thanks.public_off"))
    elif said in _THANKS_ASK:
        pref = await _pref(ctx.core, ctx.person.id)
        reply = Reply(text=t("content.thanks.public_ask",
                             state=t("content.yes" if pref and pref.thanks_public else "content.no")))
    else:
        # Not a setting: a draft or a question that only begins like one ("Danke an das ganze Team …",
        # "Thanks on behalf of …") goes where any other text goes.
        fallback = ctx.core.router.fallback
        if fallback is None:
            return Reply(text=t("core.unknown", text=_clip(msg.text, 60)))
        return await fallback.handler(dataclasses.replace(ctx, args=normalize_command_text(msg.text)), msg)
    # About the asker only: not for the whole channel.
    reply.private = not msg.is_direct
    return reply


async def thanks_off_action(ctx: Context, msg: Incoming) -> Reply:
    await set_pref(ctx.core, ctx.person.id, thanks=False)
    delivery_id = button_id(msg.values.get("d"))
    async with ctx.db.session() as s:
        row = await s.get(ContentDelivery, delivery_id) if delivery_id is not None else None
    if row is None or row.person_id != ctx.person.id or row.kind != "thanks":
        return Reply(text=ctx.t("content.thanks.set_off"), private=True)
    # The thank-you stays; its button gives way to the confirmation.
    return replace(thanks_reply(ctx.core, row.id, row.data or {}, _first_name(ctx.person, ctx.t), ctx.t, stopped=True),
                   update=True)


async def thanks_preview_data(core: Core) -> dict[str, Any]:
    cfg = config(core.settings).thanks
    month, slot = next_thanks(cfg, core.settings, core.now())
    chosen, opted_out = await thanks_selection(core, month)
    named = sorted((c.person.display_name or c.person.email or c.person.pseudonym for c in chosen if c.public),
                   key=str.casefold)
    return {"enabled": cfg.enabled, "month": month, "slot": slot, "count": len(chosen), "opted_out": opted_out,
            "named": named, "unnamed": len(chosen) - len(named), "top": cfg.top, "min_activity": cfg.min_activity}


async def thanks_preview(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    with_names = bool(re.search(r"(^|\s)(--)?(names|namen)\b", ctx.args.lower()))
    p = await thanks_preview_data(ctx.core)
    local = p["slot"].astimezone(program_tz(ctx.settings))
    when = local.strftime("%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M") + f" {local.tzname()}"
    month = t(f"content.month.{int(p['month'][5:7])}") + f" {p['month'][:4]}"
    text = t("content.thanks.preview.text", date=when, count=p["count"], month=month, top=p["top"],
             min=p["min_activity"], opted_out=p["opted_out"])
    if not p["enabled"]:
        text = t("content.thanks.preview.off") + "\n" + text
    fields = []
    if with_names and p["count"]:
        value = ", ".join(p["named"]) if p["named"] else t("content.thanks.preview.nobody_named")
        if p["named"] and p["unnamed"]:
            value += " " + t("content.thanks.preview.unnamed", count=p["unnamed"])
        fields.append(RField(t("content.thanks.preview.names"), value))
    return Reply(title=t("content.thanks.preview.title"), text=text, fields=fields,
                 context=t("content.thanks.preview.context"))


# -- the message -----------------------------------------------------------------------------------

SOURCES = {"li": "linkedin", "xi": "xing", "x": "x"}


def tracked_url(core: Core, item: ContentItem, token: str, source: str | None = None) -> str:
    base = public_url(core.settings)
    if base:
        return f"{base}/r/{token}" + (f"?s={source}" if source else "")
    # No public address: no click counting, but the target's analytics still sees the attribution.
    return with_utm(core.settings, item.url, token, source)


def with_utm(settings: Settings, url: str, token: str, source: str | None) -> str:
    cfg = config(settings)
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    have = {k for k, _ in query}
    extra = [("utm_source", SOURCES.get(source or "", "ambassador")), ("utm_medium", cfg.utm.medium),
             ("utm_campaign", cfg.utm.campaign), ("utm_content", token)]
    query += [(k, v) for k, v in extra if k not in have]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def share_buttons(core: Core, item: ContentItem, link: ContentLink, text: str, t: Translator, n: str) -> list[Button]:
    li = tracked_url(core, item, link.token, "li")
    xi = tracked_url(core, item, link.token, "xi")
    x = tracked_url(core, item, link.token, "x")
    post = _clip(text, 1500)
    return [
        Button(t("content.nudge.linkedin", n=n), "content.share", url="https://www.linkedin.com/feed/?shareActive=true&text="
               + quote(f"{post}\n{li}", safe="")),
        Button(t("content.nudge.xing", n=n), "content.share", url="https://www.xing.com/spi/shares/new?url=" + quote(xi, safe="")),
        Button(t("content.nudge.x", n=n), "content.share", url="https://x.com/intent/post?text=" + quote(_clip(text, 230), safe="")
               + "&url=" + quote(x, safe="")),
        # _lang: the answer comes in the message's language (the core adds it to answers it dispatches).
        Button(t("content.nudge.shared", n=n), "content.shared", value={"l": link.id, "_lang": t.lang}, style="primary"),
        Button(t("content.nudge.declined", n=n), "content.declined", value={"l": link.id, "_lang": t.lang}),
    ]


def nudge_reply(core: Core, pairs: list[tuple[ContentItem | None, ContentLink]], t: Translator) -> Reply:
    numbered = len(pairs) > 1
    parts = [t("content.nudge.intro")]
    buttons: list[Button] = []
    for pos, (item, link) in enumerate(pairs, start=1):
        n = f" ({pos})" if numbered else ""
        if item is None:
            parts.append(f"*{pos}.* " + t("content.nudge.gone_mark"))
            continue
        head = f"*{pos}. {item.title}*" if numbered else f"*{item.title}*"
        lines = [head]
        if link.shared_at:
            lines.append(t("content.nudge.shared_mark"))
        elif link.declined_at:
            lines.append(t("content.nudge.declined_mark"))
        else:
            text = _text_for(item, t.lang) or item.text_en or item.text_de or ""
            lines.append(text)
            lines.append(tracked_url(core, item, link.token))
            if item.image_url:
                lines.append(t("content.nudge.image", url=item.image_url, rights=item.image_rights or "-"))
            buttons += share_buttons(core, item, link, text, t, n)
        parts.append("\n".join(lines))
    # Once per message, after the items' buttons, and kept when the items are answered: feedback
    # (handlers/feedback.py) is open to everyone, also to someone who shares nothing.
    about = ",".join(str(item.id) for item, _ in pairs if item is not None)
    buttons.append(Button(t("content.nudge.feedback"), "feedback.start",
                          value={"context": f"content:{about}"[:200], "_lang": t.lang}))
    return Reply(title=t("content.nudge.title"), text="\n\n".join(parts), buttons=buttons, context=t("content.nudge.context"))


async def _answer(ctx: Context, msg: Incoming, column: str) -> Reply:
    t = ctx.t
    link_id = button_id(msg.values.get("l"))
    now = ctx.core.now()
    async with ctx.db.session() as s:
        link = await s.get(ContentLink, link_id) if link_id is not None else None
        if link is None or link.person_id != ctx.person.id:
            return Reply(text=t("content.nudge.not_yours"), private=True)
        # Recorded once: the second press finds the answer there already.
        res = await s.execute(update(ContentLink).where(ContentLink.id == link.id, ContentLink.shared_at.is_(None),
                                                        ContentLink.declined_at.is_(None)).values(**{column: now}))
        if res.rowcount == 1 and column == "shared_at":
            s.add(ProgramEvent(kind="content_shared", person_id=ctx.person.id, pseudonym=ctx.person.pseudonym, at=now,
                               data={"item": link.item_id}))
        await s.commit()
        links = (await s.exec(select(ContentLink).where(ContentLink.delivery_id == link.delivery_id)
                              .order_by(ContentLink.position))).all()
        items = {i.id: i for i in (await s.exec(select(ContentItem).where(
            ContentItem.id.in_([lk.item_id for lk in links] or [0])))).all()}
    return replace(nudge_reply(ctx.core, [(items.get(lk.item_id), lk) for lk in links], t), update=True)


def replace(reply: Reply, **changes: Any) -> Reply:
    for k, v in changes.items():
        setattr(reply, k, v)
    return reply


async def shared_action(ctx: Context, msg: Incoming) -> Reply:
    return await _answer(ctx, msg, "shared_at")


async def declined_action(ctx: Context, msg: Incoming) -> Reply:
    return await _answer(ctx, msg, "declined_at")


# -- the short redirect (bot/links.py serves it) -------------------------------------------------

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


# -- privacy -------------------------------------------------------------------------------------------


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


# -- registration ---------------------------------------------------------------------------------------

AUTHORS = (COMMUNICATOR, BACKUP, LEAD)


def register(router: Router) -> None:
    router.command("content", en=["content"], de=["inhalt", "inhalte"], roles=AUTHORS, help_key="content.desc")(content_overview)
    router.command("content add", en=["content add", "content new"], de=["inhalt neu", "inhalt hinzufügen", "inhalte neu"],
                   roles=AUTHORS, help_key="content.add.desc", usage_key="content.add.usage")(content_add)
    router.command("content list", en=["content list"], de=["inhalte liste", "inhalt liste", "inhalte auflisten"],
                   roles=AUTHORS, help_key="content.list.desc")(content_list)
    router.command("content retire", en=["content retire"], de=["inhalt zurückziehen", "inhalte zurückziehen"],
                   roles=AUTHORS, help_key="content.retire.desc", usage_key="content.retire.usage")(content_retire)
    router.command("content status", en=["content status", "nudge status"], de=["inhalte status", "inhalt status"],
                   roles=AUTHORS, help_key="content.status.desc")(content_status)
    router.command("content approve", en=["content approve"], de=["inhalt freigeben"], roles=(LEAD, BACKUP),
                   help_key="content.approve.desc", usage_key="content.approve.usage")(approve_command)
    router.command("content reject", en=["content reject"], de=["inhalt ablehnen"], roles=(LEAD, BACKUP),
                   help_key="content.reject.desc", usage_key="content.reject.usage")(reject_command)
    router.command("content reason", en=["content reason"], de=["inhalt grund"], roles=(LEAD, BACKUP),
                   help_key="content.reason.desc", usage_key="content.reason.usage")(reason_command)
    router.command("nudges", en=["nudges", "nudge"], de=["erinnerungen", "erinnerung"], roles=[MEMBER], personal=True,
                   help_key="content.nudges.desc", usage_key="content.nudges.usage")(nudges)
    router.action("content.form", roles=AUTHORS)(form_action)
    router.action("content.form.submit", roles=AUTHORS)(form_submit)
    router.action("content.approve", roles=(LEAD, BACKUP))(approve_action)
    router.action("content.reject", roles=(LEAD, BACKUP))(reject_action)
    router.action("content.shared", personal=True)(shared_action)
    router.action("content.declined", personal=True)(declined_action)
    router.action("content.freq", roles=[MEMBER], personal=True)(frequency_action)
    # Anyone may say it (no role refusal for a draft that merely begins with "Danke an …"): the handler
    # hands everything that is not exactly a setting on to the answer engine.
    router.command("thanks", en=["thanks off", "thanks on", "thanks public"],
                   de=["danke aus", "danke an", "danke öffentlich", "danke oeffentlich"],
                   help_key="content.thanks.desc", usage_key="content.thanks.usage")(thanks_command)
    router.command("content thanks", en=["content thanks preview", "content thanks"],
                   de=["inhalte danke vorschau", "inhalt danke vorschau", "inhalte danke", "inhalt danke"],
                   roles=(LEAD, BACKUP), help_key="content.thanks.preview.desc",
                   usage_key="content.thanks.preview.usage")(thanks_preview)
    router.action("content.thanks_off", personal=True)(thanks_off_action)


_DELIVERIES = ContentDelivery.__table__
_OUTBOX_STATUSES = ("pending", "sending", "uncertain", "failed")


def _delivery_depth(now: datetime) -> Any:
    return (select(_DELIVERIES.c.status, func.count())
            .where(_DELIVERIES.c.status.in_(_OUTBOX_STATUSES))
            .group_by(_DELIVERIES.c.status))


CAPABILITY = Capability(
    name="content",
    register=register,
    texts=(TEXTS,),
    config=("content",),
    config_checks=(config,),
    jobs=(ScheduledJob(60, "content-nudge", nudge_job), ScheduledJob(60, "content-thanks", thanks_job)),
    data_providers=(my_content_data,),
    forget_hooks=(forget_content,),
    outboxes=(OutboxGauge("content_delivery", _delivery_depth, statuses=_OUTBOX_STATUSES),),
    cli=(cli_content.register,),
    routes=(functools.partial(links.mount, follow_link=follow_link),),  # the share links: GET /r/{token}
)
