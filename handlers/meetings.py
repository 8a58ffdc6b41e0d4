"""The regular ambassador meeting: the report before it, the summary after it.

The rhythm is app.yaml's ``meetings:`` section: ``every_weeks`` + ``weekday`` +
``time`` (every second Tuesday is not expressible in cron) or a ``cron``
expression, in a time zone. ``lead_hours`` before each meeting the ``meetings``
job builds the report (bot.report) once (a ``meeting`` row, claimed), writes
its files and sends the comms lead, the backups and the communicators the key
figures in chat, and the report itself as files (a self-contained HTML page and
a zip with the HTML, the charts and the CSV files; on Teams a link to them on
the bot's server); where a file cannot be sent, the message gives the path or
link to the files instead. Communicators' copies hold only their departments'
feedback. After the meeting the lead sends a short summary to all members with
``meeting summary …``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import os
import re
import tempfile
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.capability import Capability, ScheduledJob
from bot.config import Settings, validate_section
from bot.core import Context, Core, DeliveryError
from bot.i18n import Translator
from bot.kpis import Kpis, Period
from bot.messages import Incoming, Reply
from bot.report import (
    REPORT_TEXTS,
    MeetingReport,
    ReportFiles,
    ReportWriter,
    build_report,
    report_from_json,
    report_to_json,
    summary_reply,
    write_report,
)
from bot.router import BACKUP, COMMUNICATOR, EMPLOYEE, LEAD, Router
from handlers import polls
from storage.models import Person, RoleGrant
from storage.models_polls import Meeting, PollOutbox

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
        from croniter import croniter

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
        from croniter import croniter

        return croniter(cfg.cron, after.astimezone(tz)).get_next(datetime).astimezone(UTC)
    return _weekly(cfg, after, tz, +1)


def previous_meeting(cfg: MeetingsConfig, before: datetime, tz: ZoneInfo) -> datetime:
    """The last meeting strictly before ``before`` (UTC)."""
    if cfg.cron:
        from croniter import croniter

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


TEXTS: dict[str, dict[str, Any]] = {
    "meeting.desc": {"en": "the next ambassador meeting", "de": "das nächste Botschafter-Treffen"},
    "meeting.report_desc": {"en": "the meeting report now, with charts and CSV files",
                            "de": "den Bericht zum Treffen jetzt, mit Diagrammen und CSV-Dateien"},
    "meeting.report_usage": {"en": "meeting report [FROM TO]", "de": "treffen bericht [VON BIS]"},
    "meeting.summary_desc": {"en": "send a short summary of the meeting to all members",
                             "de": "eine kurze Zusammenfassung des Treffens an alle Mitglieder senden"},
    "meeting.summary_usage": {"en": "meeting summary TEXT", "de": "treffen zusammenfassung TEXT"},
    "meeting.next": {"en": "The next ambassador meeting is on {when}.", "de": "Das nächste Botschafter-Treffen ist am {when}."},
    "meeting.none": {"en": "No meeting rhythm is set (app.yaml, meetings:).",
                     "de": "Es ist kein Rhythmus für die Treffen eingestellt (app.yaml, meetings:)."},
    "meeting.topics_hint": {"en": "Topics for it: *feedback --topic …*", "de": "Themen dafür: *rückmeldung --thema …*"},
    "meeting.bad_dates": {"en": "Write the period as two dates, for example *meeting report 2026-11-01 2026-11-15*.",
                          "de": "Bitte den Zeitraum als zwei Daten angeben, zum Beispiel *treffen bericht 2026-11-01 2026-11-15*."},
    "meeting.summary_empty": {"en": "Write the summary after the command, for example *meeting summary We agreed on …*.",
                              "de": "Die Zusammenfassung folgt dem Befehl, zum Beispiel *treffen zusammenfassung Wir haben vereinbart …*."},
    "meeting.summary_long": {"en": "The summary has {n} characters; at most {max} fit in one chat message.",
                             "de": "Die Zusammenfassung hat {n} Zeichen; höchstens {max} passen in eine Chat-Nachricht."},
    "meeting.summary_twice": {"en": "A summary of the meeting on {date} was sent already ({when}).",
                              "de": "Eine Zusammenfassung des Treffens vom {date} wurde schon verschickt ({when})."},
    "meeting.summary_sent": {"en": "The summary goes to {n} members.", "de": "Die Zusammenfassung geht an {n} Mitglieder."},
    "meeting.summary_title": {"en": "From the ambassador meeting on {date}", "de": "Aus dem Botschafter-Treffen vom {date}"},
    "meeting.summary_from": {"en": "Sent by {name}. Feedback: *feedback …*", "de": "Gesendet von {name}. Rückmeldung: *rückmeldung …*"},
    "meeting.file_html": {"en": "Meeting report {date}", "de": "Bericht zum Treffen am {date}"},
    "meeting.file_html_comment": {"en": "The report for the ambassador meeting on {date}, to open in a browser.",
                                  "de": "Der Bericht zum Botschafter-Treffen am {date}, zum Öffnen im Browser."},
    "meeting.file_zip": {"en": "Meeting report {date}: HTML, charts and CSV files",
                         "de": "Bericht zum Treffen am {date}: HTML, Diagramme und CSV-Dateien"},
    # Neutral about the order: Slack may show an uploaded file after a message sent right after it.
    "meeting.files_attached": {"en": "The report with its charts and CSV files is attached as files in this chat.",
                               "de": "Der Bericht mit Diagrammen und CSV-Dateien liegt als Dateien in diesem Chat."},
}


def register(router: Router) -> None:
    readers = [COMMUNICATOR, BACKUP, LEAD]
    router.command("meeting", en=["meeting", "next meeting"], de=["treffen", "besprechung", "nächstes treffen"],
                   roles=[EMPLOYEE], help_key="meeting.desc")(meeting_next)
    router.command("meeting.report", en=["meeting report"], de=["treffen bericht", "besprechung bericht"],
                   roles=readers, help_key="meeting.report_desc", usage_key="meeting.report_usage")(meeting_report)
    router.command("meeting.summary", en=["meeting summary"],
                   de=["treffen zusammenfassung", "besprechung zusammenfassung"], roles=[BACKUP, LEAD],
                   help_key="meeting.summary_desc", usage_key="meeting.summary_usage")(meeting_summary)


async def meetings_job(core: Core) -> None:
    await prepare_due(core)
    await polls.deliver_outbox(core)


def _fmt(when: datetime, tz: ZoneInfo, lang: str, *, clock: bool = True) -> str:
    local = when.astimezone(tz)
    if lang == "de":
        return local.strftime("%d.%m.%Y %H:%M" if clock else "%d.%m.%Y")
    return local.strftime("%Y-%m-%d %H:%M" if clock else "%Y-%m-%d")


async def meeting_next(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    if not scheduled(ctx.settings):
        return Reply(text=t("meeting.none") + "\n" + t("meeting.topics_hint"))
    cfg = meetings_config(ctx.settings)
    tz = _zone(cfg, ctx.settings)
    when = next_meeting(cfg, ctx.core.now(), tz)
    return Reply(text=t("meeting.next", when=_fmt(when, tz, ctx.lang) + f" ({tz.key})") + "\n" + t("meeting.topics_hint"))


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


async def _scope(core: Core, person: Person) -> tuple[str, ...] | None:
    """None: sees all feedback (lead, backup); else the communicator's departments."""
    roles, departments = await core.roles_of(person)
    if LEAD in roles or BACKUP in roles:
        return None
    return departments


def _scope_dir(folder: Path, scope: tuple[str, ...] | None) -> Path:
    if scope is None:
        return folder
    slug = "-".join(re.sub(r"[^A-Za-z0-9]+", "_", d).strip("_") or "x" for d in scope) or "none"
    return folder / f"dept-{slug}"


async def scoped_copy(core: Core, report: MeetingReport, scope: tuple[str, ...] | None) -> MeetingReport:
    """The same report with the feedback of the given departments only."""
    if scope is None:
        return report
    async with core.db.engine.connect() as conn:
        fb = await Kpis(conn).feedback(report.period, scope)
    tables = [fb if tb.key == "feedback" else tb for tb in report.tables]
    return MeetingReport(report.period, report.generated_at, report.figures, tables, report.polls, report.sources,
                         report.min_anonymous_votes)


def _where(settings: Settings, cfg: MeetingsConfig, files: ReportFiles) -> tuple[str, str | None]:
    url = None
    if cfg.report_url:
        try:
            rel = files.html.relative_to(report_root(settings))
        except ValueError:
            rel = Path(files.html.name)
        url = cfg.report_url.rstrip("/") + "/" + rel.as_posix()
    return str(files.html.resolve()), url


async def meeting_report(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    cfg = meetings_config(ctx.settings)
    tz = _zone(cfg, ctx.settings)
    now = ctx.core.now()
    if ctx.args.strip():
        period = parse_period(ctx.args, tz)
        if period is None:
            return Reply(text=t("meeting.bad_dates"), private=True)
    else:
        period = default_period(ctx.settings, now)
    min_votes = polls.polls_config(ctx.settings).min_anonymous_votes
    scope = await _scope(ctx.core, ctx.person)
    folder = _scope_dir(report_root(ctx.settings) / f"report-{now.astimezone(tz):%Y-%m-%d-%H%M%S}", scope)
    # Made first: its charts are drawn while the report's SQL runs.
    writer = ReportWriter(folder, t, timezone=tz.key, program=ctx.settings.app.program.name)
    try:
        report = await build_report(ctx.db, period, now=now, min_anonymous_votes=min_votes, departments=scope,
                                    writer=writer)
    except BaseException:
        writer.cancel()
        raise
    files = await asyncio.to_thread(writer.write, report)
    where, url = _where(ctx.settings, cfg, files)
    reply = summary_reply(report, t, tz, where=where, url=url)
    reply.private = True
    return reply


async def meeting_summary(ctx: Context, msg: Incoming) -> Reply:
    t = ctx.t
    text = ctx.args.strip()
    if not text:
        return Reply(text=t("meeting.summary_empty"), private=True)
    if len(text) > SUMMARY_MAX:
        return Reply(text=t("meeting.summary_long", n=len(text), max=SUMMARY_MAX), private=True)
    now = ctx.core.now()
    tz = ZoneInfo(ctx.settings.app.timezone)
    # The meeting the summary is about: the last one the rhythm in app.yaml says took place; without a
    # rhythm, today's (the lead held one and says so by sending its summary).
    if scheduled(ctx.settings):
        cfg = meetings_config(ctx.settings)
        held = previous_meeting(cfg, now + timedelta(seconds=1), _zone(cfg, ctx.settings))
        tz = _zone(cfg, ctx.settings)
    else:
        local = now.astimezone(tz)
        held = datetime.combine(local.date(), time(0), tzinfo=tz).astimezone(UTC)
    async with ctx.db.session() as s:
        meeting = (await s.exec(select(Meeting).where(Meeting.scheduled_at == held))).first()
        if meeting is not None and meeting.summary_at is not None:
            return Reply(text=t("meeting.summary_twice", date=_fmt(_aware(meeting.scheduled_at), tz, ctx.lang, clock=False),
                                when=_fmt(_aware(meeting.summary_at), tz, ctx.lang)), private=True)
        if meeting is None:
            meeting = Meeting(scheduled_at=held, period_from=held, period_to=held, status="ready", created_at=now)
            s.add(meeting)
        meeting.summary, meeting.summary_by, meeting.summary_at = text, ctx.person.display_name or ctx.person.email, now
        await s.flush()
        ids = await polls.audience_ids(ctx.core, s, "members", "")
        s.add_all([PollOutbox(kind="summary", ref_id=meeting.id, person_id=pid, created_at=now) for pid in ids])
        await s.commit()
        meeting_id = meeting.id
    log.info("meeting summary queued", extra={"meeting": meeting_id, "recipients": len(ids)})
    await polls.deliver_outbox(ctx.core, limit=polls.polls_config(ctx.settings).deliver_batch,
                               ref=("summary", meeting_id))
    return Reply(text=t("meeting.summary_sent", n=len(ids)), private=True)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def recipients(core: Core, cfg: MeetingsConfig) -> list[str]:
    """E-mail addresses of the lead, the backups and the communicators (app.yaml plus chat changes)."""
    roles = core.settings.app.roles
    wanted = {"lead": LEAD, "backup": BACKUP, "communicators": COMMUNICATOR}
    kinds = {wanted[k] for k in cfg.send_to}
    held: dict[tuple[str, str, str], bool] = {}
    if roles.comms_lead:
        held[(LEAD, "", roles.comms_lead.lower())] = True
    for b in roles.backup:
        held[(BACKUP, "", b.lower())] = True
    for c in roles.communicators:
        held[(COMMUNICATOR, c.department, c.email.lower())] = True
    async with core.db.session() as s:
        for g in (await s.exec(select(RoleGrant).order_by(RoleGrant.changed_at))).all():
            held[(g.role, g.department, g.email.lower())] = g.granted
    return sorted({email for (role, _, email), on in held.items() if on and role in kinds})


async def prepare_due(core: Core) -> int | None:
    """Build and send the report of the next meeting once it is due; returns the meeting id when this call did."""
    if not scheduled(core.settings):
        return None
    cfg = meetings_config(core.settings)
    tz = _zone(cfg, core.settings)
    now = core.now()
    lead = timedelta(hours=cfg.lead_hours)
    meeting_at = next_meeting(cfg, now, tz)
    if now < meeting_at - lead:
        return None
    previous = previous_meeting(cfg, meeting_at, tz)
    period = Period(previous - lead, meeting_at - lead)
    async with core.db.session() as s:
        s.add(Meeting(scheduled_at=meeting_at, period_from=period.start, period_to=period.end, created_at=now))
        try:
            await s.commit()
        except IntegrityError:
            await s.rollback()
    async with core.db.session() as s:
        claimed = await s.execute(
            update(Meeting).where(Meeting.scheduled_at == meeting_at, Meeting.status == "preparing")
            .where(or_(Meeting.claim_until.is_(None), Meeting.claim_until < now))
            .values(claim_until=now + CLAIM))
        await s.commit()
        if claimed.rowcount != 1:
            return None
        meeting = (await s.exec(select(Meeting).where(Meeting.scheduled_at == meeting_at))).one()

    min_votes = polls.polls_config(core.settings).min_anonymous_votes
    t = core.translator(cfg.language or core.settings.app.language.default)
    folder = report_root(core.settings) / f"meeting-{meeting_at.astimezone(tz):%Y-%m-%d}"
    writer = ReportWriter(folder, t, timezone=tz.key, program=core.settings.app.program.name)
    try:
        report = await build_report(core.db, period, now=now, min_anonymous_votes=min_votes, writer=writer)
    except BaseException:
        writer.cancel()
        raise
    await asyncio.to_thread(writer.write, report)

    targets: list[int] = []
    for email in await recipients(core, cfg):
        person = await core.person_by_email(email)
        if person is None:
            log.warning("meeting report recipient not known on any platform", extra={"meeting": meeting.id})
            continue
        scope = await _scope(core, person)
        if scope is not None:
            scoped = _scope_dir(folder, scope)
            if not (scoped / "report.html").exists():
                copy = await scoped_copy(core, report, scope)
                # Only the feedback differs: the charts are the lead's copy's.
                await asyncio.to_thread(write_report, copy, scoped, t, timezone=tz.key,
                                        program=core.settings.app.program.name, charts_from=folder)
        targets.append(person.id)

    async with core.db.session() as s:
        row = await s.get(Meeting, meeting.id)
        assert row is not None
        row.status, row.report_dir, row.figures, row.claim_until = "ready", str(folder), report_to_json(report), None
        for pid in sorted(set(targets)):
            s.add(PollOutbox(kind="report", ref_id=meeting.id, person_id=pid, created_at=now))
        await s.commit()
    log.info("meeting report prepared", extra={"meeting": meeting.id, "recipients": len(set(targets))})
    await polls.deliver_outbox(core, ref=("report", meeting.id))
    return meeting.id


async def render_outbox(core: Core, row: PollOutbox, person: Person | None, t: Translator, tz: ZoneInfo) -> list[Reply]:
    """The chat message of a queued meeting report or summary, in the recipient's language.

    For a report the files go out first (through ``core.notify_file``); the
    message then points to them, or, where they could not be sent, gives the
    path or link to the files as before.
    """
    async with core.db.session() as s:
        meeting = await s.get(Meeting, row.ref_id)
    if meeting is None:
        return []
    if row.kind == "summary":
        return [Reply(title=t("meeting.summary_title", date=_fmt(_aware(meeting.scheduled_at), tz, t.lang, clock=False)),
                      text=meeting.summary or "", context=t("meeting.summary_from", name=meeting.summary_by or "-"))]
    cfg = meetings_config(core.settings)
    report = report_from_json(meeting.figures or {})
    folder = _meeting_folder(core.settings, meeting)
    scope = await _scope(core, person) if person is not None else None
    files = ReportFiles(folder=_scope_dir(folder, scope), html=_scope_dir(folder, scope) / "report.html")
    where, url = _where(core.settings, cfg, files)
    reply = summary_reply(report, t, tz, where=where, url=url)
    # Only the first attempt sends files: a message retried after they went out must not bring them twice.
    if person is not None and row.attempts <= 1 and await _send_report_files(core, person, files.folder, meeting, t, tz):
        reply.context = t("meeting.files_attached")
    return [reply]


def _meeting_folder(settings: Settings, meeting: Meeting) -> Path:
    # A row keeps the folder it was written to; rows from before report_root hold it relative to the working directory.
    return Path(meeting.report_dir).absolute() if meeting.report_dir else report_root(settings)


async def _send_report_files(core: Core, person: Person, folder: Path, meeting: Meeting, t: Translator,
                             tz: ZoneInfo) -> bool:
    """The report as a self-contained HTML file and a zip of all its files; False when not all went out."""
    day = _fmt(_aware(meeting.scheduled_at), tz, t.lang, clock=False)
    name = f"{folder.parent.name}-{folder.name}" if folder.name.startswith("dept-") else folder.name
    try:
        page, bundle = await asyncio.to_thread(share_files, folder, name)
    except OSError as exc:
        log.warning("meeting report files not made", extra={"meeting": meeting.id, "error": type(exc).__name__})
        return False
    try:
        await core.notify_file(person.id, page, t("meeting.file_html", date=day), t("meeting.file_html_comment", date=day))
        await core.notify_file(person.id, bundle, t("meeting.file_zip", date=day), "")
    except DeliveryError as exc:
        log.warning("meeting report files not delivered; the message names the path",
                    extra={"meeting": meeting.id, "error": str(exc)[:200]})
        return False
    return True


_CHART = re.compile(r"(<img src=')([^'/]+\.png)(')")
_CSV = re.compile(r"(<a href=')([^'/]+\.csv)(')")


def share_files(folder: Path, name: str) -> tuple[Path, Path]:
    """``share/NAME.html`` (charts and CSV files inside, readable on its own) and ``share/NAME.zip``.

    Made once per report folder and reused for every recipient of it.
    """
    source = folder / "report.html"
    out = folder / "share"
    out.mkdir(exist_ok=True)
    page, bundle = out / f"{name}.html", out / f"{name}.zip"
    made = source.stat().st_mtime
    if not page.exists() or page.stat().st_mtime < made:
        _write_atomically(page, lambda f: f.write(standalone_html(folder).encode("utf-8")))
    if not bundle.exists() or bundle.stat().st_mtime < made:
        parts = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".html", ".png", ".csv"))

        def write_zip(f) -> None:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
                for part in parts:
                    z.write(part, f"{name}/{part.name}")

        _write_atomically(bundle, write_zip)
    return page, bundle


def standalone_html(folder: Path) -> str:
    """report.html with its charts and CSV files inside, so that it needs no folder beside it."""
    text = (folder / "report.html").read_text(encoding="utf-8")

    def inline(kind: str):
        def sub(m: re.Match[str]) -> str:
            path = folder / m[2]
            if not path.is_file():
                return m[0]
            data = base64.b64encode(path.read_bytes()).decode()
            extra = f" download='{m[2]}'" if kind == "text/csv" else ""
            return f"{m[1]}data:{kind};base64,{data}{m[3]}{extra}"
        return sub

    text = _CHART.sub(inline("image/png"), text)
    return _CSV.sub(inline("text/csv"), text)


def _write_atomically(path: Path, write) -> None:
    # Two replicas (or two recipients) may make the same file: each writes its own and renames.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


CAPABILITY = Capability(
    name="meetings",
    register=register,
    texts=(REPORT_TEXTS, TEXTS),
    config=("meetings",),
    config_checks=(meetings_config,),
    jobs=(ScheduledJob(300, "meetings", meetings_job),),
)
