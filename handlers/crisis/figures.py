"""What the crisis capability counts for /metrics (its escalations waiting and exhausted), and the
table the meeting report reads (reports by severity and status, time to acknowledge)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as core_select

from bot.capability import OutboxGauge, ReportSource
from handlers.crisis.models import CrisisReport

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


ESCALATIONS = OutboxGauge("crisis_escalation", _escalation_depth, counts=_escalation_counts)

REPORT_SOURCES = (
    ReportSource("crisis", "crisis_report",
                 {"at": "created_at", "severity": "severity", "status": "status", "acked_at": "acked_at"}),
)
