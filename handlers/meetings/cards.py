"""A queued meeting report or summary as the chat message its recipient gets, the report's files first."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core import Core, DeliveryError
from bot.i18n import Translator
from bot.messages import Reply
from bot.text import reader_date
from handlers.meetings.config import MeetingsConfig, log, meetings_config, report_root
from handlers.meetings.report import (
    ReportFiles,
    report_from_json,
    summary_reply,
)
from handlers.meetings.scope import _scope, _scope_dir
from handlers.meetings.share import share_files
from storage.models import Person, aware
from storage.models_polls import Meeting, PollOutbox


def _fmt(when: datetime, tz: ZoneInfo, lang: str, *, clock: bool = True) -> str:
    return reader_date(when.astimezone(tz), lang, time=clock)


def _where(settings: Settings, cfg: MeetingsConfig, files: ReportFiles) -> tuple[str, str | None]:
    url = None
    if cfg.report_url:
        try:
            rel = files.html.relative_to(report_root(settings))
        except ValueError:
            rel = Path(files.html.name)
        url = cfg.report_url.rstrip("/") + "/" + rel.as_posix()
    return str(files.html.resolve()), url




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
        return [Reply(title=t("meeting.summary_title", date=_fmt(aware(meeting.scheduled_at), tz, t.lang, clock=False)),
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
    day = _fmt(aware(meeting.scheduled_at), tz, t.lang, clock=False)
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
