"""The weekly nudge's reminder of the course: once for each member who has not finished it.

Content asks the router for the capabilities' notes while it plans a weekly nudge (bot/router.py
``NudgeNotes``); the nudge goes only to members who get nudges, so someone who paused them is
never reminded. Only someone who joined at least a week ago is reminded: the welcome on ``join``
offered the course already. The reminder is recorded when it is planned into a nudge, so it is
said once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select

from bot.core import Core
from bot.messages import Button
from bot.router import NudgeNote
from handlers.course.models import CourseProgress, CourseReminder
from handlers.course.steps import CourseUnavailable, load_course
from storage.models import Person, utcnow

log = logging.getLogger("ambassador.course")

REMIND_AFTER = timedelta(days=7)  # since joining: the welcome offered the course, the nudge reminds of it


async def nudge_reminders(core: Core, people: Sequence[tuple[int, str]]) -> dict[int, list[NudgeNote]]:
    """The course's line and button for those of ``people`` (id, language) who joined a week ago or
    earlier, have not finished the course and were never reminded; recorded as reminded here."""
    if not people:
        return {}
    try:
        course = await load_course(core)
    except CourseUnavailable:
        return {}
    if not course.steps:
        return {}
    ids = [pid for pid, _ in people]
    async with core.db.session() as s:
        finished = set((await s.exec(select(CourseProgress.person_id).where(
            CourseProgress.person_id.in_(ids), CourseProgress.finished_at.is_not(None)))).all())
        reminded = set((await s.exec(select(CourseReminder.person_id).where(CourseReminder.person_id.in_(ids)))).all())
        members = set((await s.exec(select(Person.id).where(
            Person.id.in_(ids), Person.is_member.is_(True), Person.joined_at <= core.now() - REMIND_AFTER))).all())
        due = [(pid, lang) for pid, lang in people if pid in members and pid not in finished and pid not in reminded]
        if not due:
            return {}
        rows = [{"person_id": pid, "reminded_at": utcnow()} for pid, _ in due]
        insert = pg_insert if core.db.engine.dialect.name == "postgresql" else sqlite_insert
        # Two planners at once (a lease that ran out): the first reminder wins, the other adds none.
        await s.execute(insert(CourseReminder.__table__).values(rows).on_conflict_do_nothing())
        await s.commit()
    notes: dict[int, list[NudgeNote]] = {}
    for pid, lang in due:
        t = core.translator(lang)
        notes[pid] = [NudgeNote(text=t("course.reminder", total=str(len(course.steps)), minutes=str(course.minutes)),
                                button=Button(t("course.reminder_button"), "course.start", value={"_lang": lang}))]
    log.info("course reminders planned", extra={"count": len(notes)})
    return notes
