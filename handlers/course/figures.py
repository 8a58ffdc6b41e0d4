"""The course's figures, for the meeting report and the weekly nudge (wired in by those capabilities).

``course_figures``: how many members started and finished the course in a period, and
how many have finished it by its end. ``unfinished_members``: the members who joined and
have not finished it (whether a nudge may reach them, paused nudges or quiet hours, is the
nudge's own decision). Both count people who are members now: someone who left, or who
was forgotten, is no longer in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.capability import ReportSource
from storage.models import Person
from storage.models_course import CourseProgress


@dataclass(frozen=True)
class CourseFigures:
    started: int  # members who started the course in [since, until)
    finished: int  # members who finished it in [since, until)
    finished_total: int  # members who have finished it by ``until``
    members: int  # members now (the report's denominator)


async def course_figures(session: AsyncSession, since: datetime, until: datetime) -> CourseFigures:
    async def count(*where: object) -> int:
        stmt = (select(func.count()).select_from(CourseProgress)
                .join(Person, Person.id == CourseProgress.person_id).where(Person.is_member.is_(True), *where))
        return int((await session.exec(stmt)).one())

    started = await count(CourseProgress.started_at >= since, CourseProgress.started_at < until)
    finished = await count(CourseProgress.finished_at >= since, CourseProgress.finished_at < until)
    finished_total = await count(CourseProgress.finished_at.is_not(None), CourseProgress.finished_at < until)
    members = int((await session.exec(select(func.count()).select_from(Person)
                                      .where(Person.is_member.is_(True)))).one())
    return CourseFigures(started=started, finished=finished, finished_total=finished_total, members=members)


async def unfinished_members(session: AsyncSession) -> list[Person]:
    """Members who have not finished the course (not started, or started and not finished), oldest join first."""
    stmt = (select(Person).outerjoin(CourseProgress, CourseProgress.person_id == Person.id)
            .where(Person.is_member.is_(True), CourseProgress.finished_at.is_(None))
            .order_by(Person.joined_at, Person.id))
    return list((await session.exec(stmt)).all())


# The meeting report's course figures read one row per person who started the course.
REPORT_SOURCES = (
    ReportSource("course", "course_progress",
                 {"person_id": "person_id", "started_at": "started_at", "finished_at": "finished_at"}),
)
