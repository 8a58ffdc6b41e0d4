"""The figures of the meeting report and its summary, each defined once, here (computed by ``Kpis``).

A figure that needs another capability's table names its source (which that capability
declares in ``Capability.report_sources``) in ``requires``: without it the figure is "not
available yet".
The order here is the order of the report's figures table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Integer, and_, cast, exists, func, select
from sqlalchemy.sql import ColumnElement, Select

from handlers.meetings.kpis import (
    BALLOT,
    OUTBOX,
    POLL,
    FigureFn,
    Kpis,
    Metric,
    P,
    Period,
    _in,
)

FIGURES: dict[str, Metric] = {}


def figure(key: str, *, requires: tuple[str, ...] = (), percent: bool = False) -> Callable[[FigureFn], FigureFn]:
    def deco(fn: FigureFn) -> FigureFn:
        if key in FIGURES:
            raise ValueError(f"figure {key!r} defined twice")
        FIGURES[key] = Metric(key, fn, requires, percent)
        return fn

    return deco


@figure("members")
async def _members(k: Kpis, p: Period) -> float:
    """Members at the end of the period: members now, less who joined since, plus who left since."""
    now = await k.once("members_now", lambda: k.scalar(
        select(func.count()).select_from(P).where(P.c.is_member.is_(True))))
    m = await k.membership(p)
    return max(0, int(now or 0) - m["joined_after"] + m["left_after"])


@figure("active_members")
async def _active(k: Kpis, p: Period) -> float:
    return (await k.active(p))[0]


@figure("joins")
async def _joins(k: Kpis, p: Period) -> float:
    return (await k.membership(p))["joins"]


@figure("leaves")
async def _leaves(k: Kpis, p: Period) -> float:
    return (await k.membership(p))["leaves"]


def _closed_in(p: Period) -> ColumnElement[bool]:
    # When a poll actually closed (closed early by hand, or late by a stopped bot), not when it was due.
    return and_(POLL.c.status == "closed", _in(func.coalesce(POLL.c.closed_at, POLL.c.closes_at), p))


async def _sealed_voters(k: Kpis, polls: Select[Any]) -> int:
    """Voters of the sealed polls among ``polls`` (ids): their ballots are gone, their totals kept."""
    kept = await k.rows(select(POLL.c.tally).where(POLL.c.id.in_(polls), POLL.c.sealed.is_(True)))
    return sum(int((tally or {}).get("voters", 0)) for (tally,) in kept)


@figure("polls_closed")
async def _polls(k: Kpis, p: Period) -> float:
    return int(await k.scalar(select(func.count()).where(_closed_in(p))) or 0)


@figure("poll_votes")
async def _votes(k: Kpis, p: Period) -> float:
    stmt = (
        select(func.count())
        .select_from(BALLOT.join(POLL, POLL.c.id == BALLOT.c.poll_id))
        .where(_closed_in(p), BALLOT.c.choices != 0, POLL.c.sealed.is_(False))
    )
    return int(await k.scalar(stmt) or 0) + await _sealed_voters(k, select(POLL.c.id).where(_closed_in(p)))


@figure("poll_participation", percent=True)
async def _participation(k: Kpis, p: Period) -> float | None:
    """Voters per person the poll was sent to, over the polls that closed (channel polls have no recipients)."""
    closed = select(POLL.c.id).where(_closed_in(p))
    sent = await k.scalar(
        select(func.count()).where(OUTBOX.c.kind == "poll", OUTBOX.c.status == "sent", OUTBOX.c.ref_id.in_(closed),
                                   OUTBOX.c.person_id.is_not(None))
    )
    if not sent:
        return None
    # Polls sent to people (not only posted in a channel): one index look-up per poll, not a pass over the outbox.
    direct = closed.where(exists().where(OUTBOX.c.kind == "poll", OUTBOX.c.ref_id == POLL.c.id,
                                         OUTBOX.c.person_id.is_not(None)))
    voted = await k.scalar(select(func.count()).where(BALLOT.c.poll_id.in_(direct), BALLOT.c.choices != 0,
                                                      BALLOT.c.poll_id.in_(select(POLL.c.id).where(
                                                          POLL.c.sealed.is_(False)))))
    voted = int(voted or 0) + await _sealed_voters(k, direct)
    return round(100.0 * voted / int(sent), 1)


@figure("feedback")
async def _feedback(k: Kpis, p: Period) -> float:
    return (await k.feedback_counts(p))["feedback"]


@figure("topics")
async def _topics(k: Kpis, p: Period) -> float:
    return (await k.feedback_counts(p))["topic"]


def _count_source(name: str) -> FigureFn:
    async def count(k: Kpis, p: Period) -> float:
        return await k.count_source(name, p)

    return count


@figure("items_sent", requires=("content_deliveries", "content_links"))
async def _items_sent(k: Kpis, p: Period) -> float:
    """Items given to people in content messages sent in the period."""
    return (await k.content(p))["sent"]


@figure("shares", requires=("content_links",))
async def _shares(k: Kpis, p: Period) -> float:
    return (await k.content(p))["shares"]


@figure("clicks", requires=("content_links",))
async def _clicks(k: Kpis, p: Period) -> float:
    """Clicks on share links first opened in the period (the redirect keeps a count per link, not per click)."""
    return (await k.content(p))["clicks"]


@figure("questions", requires=("questions",))
async def _questions(k: Kpis, p: Period) -> float:
    return (await k.question_counts(p))["count"]


@figure("helpful_rate", requires=("answer_feedback",), percent=True)
async def _helpful(k: Kpis, p: Period) -> float | None:
    src = k.source("answer_feedback")
    tc = src.clause()
    helpful = src.c(tc, "helpful")
    total, yes = (
        await k.conn.execute(
            select(func.count(helpful), func.sum(cast(helpful, Integer))).where(_in(src.c(tc, "at"), p))
        )
    ).one()
    return round(100.0 * int(yes or 0) / int(total), 1) if total else None


figure("kb_gaps", requires=("kb_gaps",))(_count_source("kb_gaps"))
figure("crisis_reports", requires=("crisis",))(_count_source("crisis"))


@figure("crisis_ack_minutes", requires=("crisis",))
async def _ack(k: Kpis, p: Period) -> float | None:
    src = k.source("crisis")
    tc = src.clause()
    acked, at = src.c(tc, "acked_at"), src.c(tc, "at")
    value = await k.scalar(select(func.avg(k.minutes_between(acked, at))).where(_in(at, p), acked.is_not(None)))
    return round(float(value), 1) if value is not None else None


async def _course_count(k: Kpis, *where: Any) -> int:
    """Members now who meet ``where`` in the course's rows (someone who left is no longer counted)."""
    src = k.source("course")
    tc = src.clause()
    stmt = (select(func.count()).select_from(tc.join(P, P.c.id == src.c(tc, "person_id")))
            .where(P.c.is_member.is_(True), *(w(src, tc) for w in where)))
    return int(await k.scalar(stmt) or 0)


@figure("course_finished", requires=("course",))
async def _course_finished(k: Kpis, p: Period) -> float:
    """Members who finished the course for new ambassadors in the period."""
    return await _course_count(k, lambda src, tc: _in(src.c(tc, "finished_at"), p))


@figure("course_finished_total", requires=("course",))
async def _course_finished_total(k: Kpis, p: Period) -> float:
    """Members who have finished the course by the period's end."""
    return await _course_count(k, lambda src, tc: src.c(tc, "finished_at") < p.end)
