"""Who sees which feedback: a communicator's copy of the report holds only their departments'."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core import Core
from bot.router import BACKUP, LEAD
from handlers.meetings.kpis import Kpis
from handlers.meetings.report import (
    MeetingReport,
)
from storage.models import Person


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
