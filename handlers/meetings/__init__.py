"""The regular ambassador meeting: the report before it, the summary after it.

The rhythm is app.yaml's ``meetings:`` section: ``every_weeks`` + ``weekday`` +
``time`` (every second Tuesday is not expressible in cron) or a ``cron``
expression, in a time zone. ``lead_hours`` before each meeting the ``meetings``
job builds the report once (a ``meeting`` row, claimed), writes its files and
sends the comms lead, the backups and the communicators the key figures in
chat, and the report itself as files (a self-contained HTML page and a zip with
the HTML, the charts and the CSV files; on Teams a link to them on the bot's
server); where a file cannot be sent, the message gives the path or link to the
files instead. Communicators' copies hold only their departments' feedback.
After the meeting the lead sends a short summary to all members with
``meeting summary …``.

The capability in one declaration (``CAPABILITY``); its parts: ``config`` and
``texts``; the report: ``kpis`` (figures computed in SQL), ``figures`` (each
figure defined once), ``report`` (building and writing it), ``charts``
(drawing, in a process of its own); ``scope`` (a communicator's copy),
``share`` (the files sent), ``cards`` (the chat message of a report or
summary), ``chat`` (commands), ``jobs`` (preparing reports, the outbox) and
``cli``.
"""

from __future__ import annotations

from bot.capability import Capability, DemoSeed, ScheduledJob
from handlers.meetings import cli
from handlers.meetings.cards import render_outbox
from handlers.meetings.chat import meeting_next, meeting_report, meeting_summary, register
from handlers.meetings.config import (
    MeetingsConfig,
    default_period,
    meetings_config,
    next_meeting,
    parse_period,
    previous_meeting,
    report_root,
    scheduled,
)
from handlers.meetings.demo import demo_prepare
from handlers.meetings.jobs import deliver_outbox, meetings_job, outbox_job, prepare_due, recipients
from handlers.meetings.report import REPORT_TEXTS
from handlers.meetings.scope import scoped_copy
from handlers.meetings.share import share_files, standalone_html
from handlers.meetings.texts import TEXTS

__all__ = [
    "CAPABILITY", "TEXTS", "MeetingsConfig", "default_period", "deliver_outbox", "meeting_next", "meeting_report",
    "meeting_summary", "meetings_config", "next_meeting", "parse_period", "prepare_due", "previous_meeting",
    "recipients", "render_outbox", "report_root", "scheduled", "scoped_copy", "share_files", "standalone_html",
]

CAPABILITY = Capability(
    name="meetings",
    register=register,
    texts=(REPORT_TEXTS, TEXTS),
    config=("meetings",),
    config_checks=(meetings_config,),
    jobs=(ScheduledJob(300, "meetings", meetings_job), ScheduledJob(30, "meetings-outbox", outbox_job)),
    cli=(cli.register,),  # the meeting report on the command line
    file_root=report_root,  # the reports' files are what the bot links to (bot/files.py)
    demo=DemoSeed(prepare=demo_prepare),  # the report's period, for the others' recent activity
)
