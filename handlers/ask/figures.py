"""What ask contributes to the figures: its answers of the last hour by verdict on /metrics
(``ambassador_answers_recent``), and the tables the meeting report reads (questions, answer feedback, gaps)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, column, func, select, table

from bot.capability import DbGauge, ReportSource

# The window of ``ambassador_answers_recent``.
VERDICT_WINDOW = timedelta(hours=1)

# A lightweight clause: a typed timestamp column binds the same way on SQLite and PostgreSQL.
_QUESTIONS = table("ask_question", column("verdict", String), column("created_at", DateTime(timezone=True)))


def recent_verdicts(now: datetime) -> Any:
    return (select(_QUESTIONS.c.verdict, func.count())
            .where(_QUESTIONS.c.created_at >= now - VERDICT_WINDOW)
            .group_by(_QUESTIONS.c.verdict))


ANSWERS_RECENT = DbGauge(
    "ambassador_answers_recent",
    "Answers of the answer engine in the last hour by verdict, from the database (all replicas)",
    "verdict", recent_verdicts, always=("go", "check", "no"),
)

REPORT_SOURCES = (
    ReportSource("questions", "ask_question", {
        "topic": "topic", "verdict": "verdict", "at": "created_at", "person_id": "person_id", "pseudonym": "pseudonym",
    }),
    ReportSource("answer_feedback", "ask_feedback", {"helpful": "helpful", "at": "created_at"}),
    ReportSource("kb_gaps", "kb_gap", {"at": "created_at"}),
)
