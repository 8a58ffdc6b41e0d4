"""What the crisis capability counts for /metrics: its escalations waiting and exhausted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as core_select

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
