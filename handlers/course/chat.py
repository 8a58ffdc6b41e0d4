"""The course in chat: ``course`` / ``kurs`` starts or resumes it, each answer counts once.

Anyone may take it: an employee who has not joined yet, a member, someone who left
(their progress stays), a guest; it teaches the rules ``rules`` shows to anyone. Only
members count in the meeting report's figures (handlers/course/figures.py).
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.core import Context
from bot.messages import Button, Incoming, Reply, button_id
from bot.router import NudgeNote
from handlers.course import cards
from handlers.course.models import CourseAnswer, CourseProgress, CourseReminder
from handlers.course.steps import Course, CourseUnavailable, load_course

log = logging.getLogger("ambassador.course")


async def _course(ctx: Context) -> Course | Reply:
    """The course, or the message that says why there is none."""
    try:
        course = await load_course(ctx.core)
    except CourseUnavailable as exc:
        log.error("the course cannot be read", extra={"problems": exc.problems[:5]})
        return Reply(text=ctx.t("course.broken", who=cards.who_to_ask(ctx)))
    if not course.steps:
        return Reply(text=ctx.t("course.none", who=cards.who_to_ask(ctx)))
    return course


async def _state(ctx: Context) -> tuple[CourseProgress | None, dict[str, bool]]:
    """The person's progress row and answers (guideline id -> right at the first try)."""
    async with ctx.db.session() as s:
        progress = await s.get(CourseProgress, ctx.person.id)
        rows = (await s.exec(select(CourseAnswer).where(CourseAnswer.person_id == ctx.person.id))).all()
    return progress, {a.guideline_id: a.right for a in rows}


async def _begin(ctx: Context) -> bool:
    """The person's progress row, made now unless it exists; True when it was made now."""
    async with ctx.db.session() as s:
        if await s.get(CourseProgress, ctx.person.id) is not None:
            return False
        s.add(CourseProgress(person_id=ctx.person.id, started_at=ctx.core.now()))
        try:
            await s.commit()
        except IntegrityError:  # started at the same moment from another device or replica
            await s.rollback()
            return False
    return True


async def _finish(ctx: Context) -> bool:
    """Record the finish once: True only for the call that recorded it."""
    async with ctx.db.session() as s:
        result = await s.execute(update(CourseProgress).where(
            CourseProgress.person_id == ctx.person.id, CourseProgress.finished_at.is_(None),
        ).values(finished_at=ctx.core.now()))
        await s.commit()
    return bool(result.rowcount)


def _finished(ctx: Context, course: Course, answers: dict[str, bool]) -> Reply:
    right = sum(1 for gid in course.ids if answers.get(gid))
    return Reply(text=ctx.t("course.finished", date=cards.fmt_date(ctx.core.now(), ctx.lang),
                            right=str(right), total=str(len(course.steps))))


async def _where_now(ctx: Context, course: Course, *, context: str | None = None) -> Reply:
    """The person's next step, or (all answered) that they finished, recorded once."""
    progress, answers = await _state(ctx)
    n = course.next_step(set(answers))
    if n is not None:
        return cards.step(ctx, course, n, context=context)
    if await _finish(ctx):  # the course lost its last open step since (a guideline file changed)
        return _finished(ctx, course, answers)
    finished_at = progress.finished_at if progress is not None else None
    return Reply(text=ctx.t("course.finished_before", date=cards.fmt_date(finished_at or ctx.core.now(), ctx.lang)))


async def start(ctx: Context, msg: Incoming) -> Reply:
    course = await _course(ctx)
    if isinstance(course, Reply):
        return course
    new = await _begin(ctx)
    _, answers = await _state(ctx)
    total, done = len(course.steps), sum(1 for gid in course.ids if gid in answers)
    if new or not done:
        context = ctx.t("course.welcome", total=str(total), minutes=str(course.minutes))
    else:
        context = ctx.t("course.resume", done=str(done), total=str(total))
    return await _where_now(ctx, course, context=context)


async def answer(ctx: Context, msg: Incoming) -> list[Reply]:
    t = ctx.t
    course = await _course(ctx)
    if isinstance(course, Reply):
        return [course]
    values = msg.values
    n = course.index(values.get("g"))
    if values.get("v") != course.version or n is None:
        # Pressed on a question of a course that has changed since (or on no question of ours).
        return [Reply(text=t("course.changed")), await _where_now(ctx, course)]
    g = course.steps[n]
    assert g.course is not None
    chosen = button_id(values.get("o"))
    if chosen is None or not 0 <= chosen < len(g.course.options):
        return [Reply(text=t("course.bad_answer")), cards.step(ctx, course, n)]
    await _begin(ctx)  # an answer on an old message of someone who has no progress any more starts it anew
    now = ctx.core.now()
    async with ctx.db.session() as s:
        s.add(CourseAnswer(person_id=ctx.person.id, guideline_id=g.id, right=chosen == g.course.right,
                           answered_at=now))
        try:
            await s.commit()
        except IntegrityError:  # answered before: pressed twice, or on a step already passed
            await s.rollback()
            return [Reply(text=t("course.already")), await _where_now(ctx, course)]
        await s.execute(update(CourseProgress).where(CourseProgress.person_id == ctx.person.id).values(last_at=now))
        await s.commit()
    out = [cards.result(ctx, course, n, chosen)]
    _, answers = await _state(ctx)
    nxt = course.next_step(set(answers))
    if nxt is not None:
        out.append(cards.step(ctx, course, nxt))
    elif await _finish(ctx):
        out.append(_finished(ctx, course, answers))
    return out


async def join_offer(ctx: Context) -> NudgeNote | None:
    """The line and the button the welcome on ``join`` adds: None when there is no course, or the person
    finished it."""
    try:
        course = await load_course(ctx.core)
    except CourseUnavailable:
        return None
    if not course.steps:
        return None
    progress, _ = await _state(ctx)
    if progress is not None and progress.finished_at is not None:
        return None
    return NudgeNote(text=ctx.t("course.offer", total=str(len(course.steps)), minutes=str(course.minutes)),
                     button=Button(ctx.t("course.start_button"), "course.start", value={"_lang": ctx.lang},
                                   style="primary"))


async def my_data(ctx: Context) -> list[tuple[str, str]]:
    t, lang = ctx.t, ctx.lang
    progress, answers = await _state(ctx)
    async with ctx.db.session() as s:
        reminder = await s.get(CourseReminder, ctx.person.id)
    lines = [(t("course.data_reminder"), cards.fmt_date(reminder.reminded_at, lang))] if reminder else []
    if progress is None and not answers:
        return [(t("course.data"), t("course.data_none")), *lines]
    try:
        total = len((await load_course(ctx.core)).steps)
    except CourseUnavailable:
        total = len(answers)
    started = progress.started_at if progress is not None else None
    finished = progress.finished_at if progress is not None else None
    return [(t("course.data"), t(
        "course.data_line", started=cards.fmt_date(started, lang), answered=str(len(answers)), total=str(total),
        right=str(sum(answers.values())),
        finished=cards.fmt_date(finished, lang) if finished else t("course.not_yet"))), *lines]


async def forget(ctx: Context) -> None:
    async with ctx.db.session() as s:
        await s.execute(delete(CourseAnswer).where(CourseAnswer.person_id == ctx.person.id))
        await s.execute(delete(CourseProgress).where(CourseProgress.person_id == ctx.person.id))
        await s.execute(delete(CourseReminder).where(CourseReminder.person_id == ctx.person.id))
        await s.commit()
