"""The program's figures: every metric defined once, here, and computed in SQL.

The meeting report, the chat summary and the CSV exports all read these. Each
figure is a function of a period run on the database (COUNT / SUM / GROUP BY),
so a year of data from 10,000 members costs a few indexed queries, never a
Python loop over rows.

Figures that depend on other capabilities' tables (weekly content, the answer
engine, crisis reports, the course) are computed only when those tables exist with
the columns their capabilities declare (``Capability.report_sources``, handed to
``Kpis`` as ``sources``): the database is inspected at report time, their modules
are never imported. Until then the figure is "not available yet".

A report reads each big table as few times as it can: figures that count the
same rows are one statement with a column per figure and per period (the
report's period and the one before it: ``Kpis.pair``), and a table whose rows
add up to a figure (items, questions) comes from the same statement as the
figure. Migration 0501 adds the indexes these statements read from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    case,
    distinct,
    false,
    func,
    inspect,
    literal,
    literal_column,
    null,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ColumnElement, Select

from bot.capability import ReportSource
from handlers.polls.figures import MAX_OPTIONS, poll_counts
from storage.models import Person, ProgramEvent, aware
from storage.models_polls import Feedback, Poll, PollBallot, PollOutbox, PollVoter

ROW_LIMIT = 200  # per table in the report; the CSV export has the same rows

P = Person.__table__
E = ProgramEvent.__table__
POLL = Poll.__table__
BALLOT = PollBallot.__table__
VOTER = PollVoter.__table__
OUTBOX = PollOutbox.__table__
FB = Feedback.__table__

# ProgramEvent kinds that are no activity of the person (they record membership).
MEMBERSHIP_KINDS = ("join", "leave")


# A table another capability owns, and the columns a figure reads from it: each capability declares
# its own (``Capability.report_sources``, in its figures.py); the report gets them from the router.
Source = ReportSource


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC: SQLite compares stored times as text, so every bound must be UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
            object.__setattr__(self, name, value)
        if self.end <= self.start:
            raise ValueError("the period must end after it starts")

    def previous(self) -> Period:
        return Period(self.start - (self.end - self.start), self.start)

    @property
    def days(self) -> float:
        return (self.end - self.start) / timedelta(days=1)


@dataclass
class Figure:
    key: str
    value: float | None
    previous: float | None
    available: bool = True
    percent: bool = False

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Table:
    key: str
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    available: bool = True


@dataclass
class PollResult:
    poll_id: int
    question: str
    options: list[str]
    anonymous: bool
    multi: bool
    status: str
    audience: str
    closes_at: datetime
    recipients: int
    voters: int
    counts: list[int] | None  # None: not shown (anonymous and open, or too few votes)
    hidden_reason: str | None = None  # "open" | "too_few"


FigureFn = Callable[["Kpis", Period], Awaitable[float | None]]


@dataclass(frozen=True)
class Metric:
    key: str
    fn: FigureFn
    requires: tuple[str, ...] = ()
    percent: bool = False


def _in(col: ColumnElement[Any], p: Period) -> ColumnElement[bool]:
    return and_(col >= p.start, col < p.end)


class Kpis:
    """Computes the figures on one database connection; tables of other capabilities are inspected once."""

    def __init__(self, conn: AsyncConnection, *, min_anonymous_votes: int = 5,
                 sources: Mapping[str, ReportSource] | None = None) -> None:
        self.conn = conn
        # The other capabilities' tables the figures read, by name (``core.router.report_sources``).
        self.declared: Mapping[str, ReportSource] = sources or {}
        self.min_anonymous_votes = min_anonymous_votes
        self.dialect = conn.dialect.name
        self._available: dict[str, bool] | None = None
        # The report's period and the one before it: figures over the same rows are read for both at once.
        self.pair: tuple[Period, ...] = ()
        self._memo: dict[Any, Any] = {}

    # -- plumbing ---------------------------------------------------------

    async def scalar(self, stmt: Select[Any]) -> Any:
        return (await self.conn.execute(stmt)).scalar()

    async def rows(self, stmt: Any) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in (await self.conn.execute(stmt)).all()]

    async def sources(self) -> dict[str, bool]:
        """Which sources of other capabilities exist in this database (table and columns)."""
        if self._available is None:

            def look(sync_conn: Any) -> dict[str, bool]:
                insp = inspect(sync_conn)
                names = set(insp.get_table_names())
                out = {}
                for name, src in self.declared.items():
                    if src.table not in names:
                        out[name] = False
                        continue
                    have = {c["name"] for c in insp.get_columns(src.table)}
                    out[name] = set(src.columns.values()) <= have
                return out

            self._available = await self.conn.run_sync(look)
        return self._available

    def source(self, name: str) -> ReportSource:
        """A declared source, by name; only read after ``has(name)`` said it exists."""
        return self.declared[name]

    async def has(self, *names: str) -> bool:
        available = await self.sources()
        return all(available.get(n, False) for n in names)

    async def tune(self) -> None:
        """Settings for this connection's transaction that suit a report (PostgreSQL only).

        A year of events sorts and hashes a few MB: with the default work_mem of 4 MB
        PostgreSQL spills that to disk. SET LOCAL ends with the transaction, so the
        pooled connection goes back unchanged.
        """
        if self.dialect == "postgresql":
            await self.conn.execute(text("SET LOCAL work_mem = '64MB'"))

    async def per_period(self, name: str, p: Period,
                         compute: Callable[[tuple[Period, ...]], Awaitable[list[Any]]]) -> Any:
        """``compute(periods)`` returns one result per period; it runs once for the pair when ``p`` is in it."""
        periods = self.pair if p in self.pair else (p,)
        key = (name, periods)
        if key not in self._memo:
            self._memo[key] = await compute(periods)
        return self._memo[key][periods.index(p)]

    async def once(self, key: Any, compute: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._memo:
            self._memo[key] = await compute()
        return self._memo[key]

    def day(self, col: ColumnElement[Any]) -> ColumnElement[Any]:
        # Days in UTC, as every stored time: PostgreSQL's date() of a timestamptz would take the session's zone.
        if self.dialect == "postgresql":
            return func.date(func.timezone("UTC", col))
        return func.date(col)

    def minutes_between(self, later: ColumnElement[Any], earlier: ColumnElement[Any]) -> ColumnElement[Any]:
        if self.dialect == "sqlite":
            return (func.julianday(later) - func.julianday(earlier)) * 1440.0
        return func.extract("epoch", later - earlier) / 60.0

    # -- figures ------------------------------------------------------------

    async def figures(self, period: Period, metrics: Iterable[Metric]) -> list[Figure]:
        """Each metric over the period and the one before it (an unavailable one marked so)."""
        out = []
        previous = period.previous()
        self.pair = (period, previous)
        for metric in metrics:
            if not await self.has(*metric.requires):
                out.append(Figure(metric.key, None, None, available=False, percent=metric.percent))
                continue
            out.append(
                Figure(
                    metric.key,
                    await metric.fn(self, period),
                    await metric.fn(self, previous),
                    percent=metric.percent,
                )
            )
        return out

    async def membership(self, p: Period) -> dict[str, int]:
        """Joins and leaves in the period and since its end: one pass over the membership events."""

        async def compute(periods: tuple[Period, ...]) -> list[dict[str, int]]:
            cols = []
            for x in periods:
                cols += [
                    _count_if(and_(E.c.kind == "join", _in(E.c.at, x))),
                    _count_if(and_(E.c.kind == "leave", _in(E.c.at, x))),
                    _count_if(and_(E.c.kind == "join", E.c.at >= x.end)),
                    _count_if(and_(E.c.kind == "leave", E.c.at >= x.end)),
                ]
            start = min(x.start for x in periods)
            row = (await self.conn.execute(
                select(*cols).where(E.c.kind.in_(MEMBERSHIP_KINDS), E.c.at >= start))).one()
            keys = ("joins", "leaves", "joined_after", "left_after")
            return [{k: int(row[4 * i + j] or 0) for j, k in enumerate(keys)} for i in range(len(periods))]

        return await self.per_period("membership", p, compute)

    async def active(self, p: Period) -> tuple[int, dict[str, int]]:
        """People who did something in the period: how many, and how many per department.

        One set of (pseudonym, person id) pairs serves both: the count is by pseudonym, so
        people forgotten since still count; the departments are by person id (the forgotten
        are in none). The set is used twice, so both databases build it once.
        """

        async def compute() -> tuple[int, dict[str, int]]:
            act = (await self.active_pairs(p)).cte("act")
            dept = func.coalesce(P.c.department, literal(""))
            stmt = union_all(
                select(literal(0).label("by_dept"), literal("").label("dept"), func.count(distinct(act.c.who))),
                select(literal(1), dept, func.count(distinct(P.c.id)))
                .select_from(act.join(P, P.c.id == act.c.pid))
                .group_by(dept),
            )
            total, per_dept = 0, {}
            for by_dept, name, n in await self.rows(stmt):
                if by_dept:
                    per_dept[name] = int(n or 0)
                else:
                    total = int(n or 0)
            return total, per_dept

        return await self.once(("active", p), compute)

    async def active_pairs(self, p: Period, *, by_day: bool = False) -> Select[Any]:
        """(pseudonym, person id) of everyone who did something in the period, each pair once;
        ``by_day``: (pseudonym, day) instead, each person once a day (the activity chart and its CSV
        count the same acts as the figure)."""

        def part(who: Any, pid: Any, at: Any) -> Select[Any]:
            return select(who.label("who"), (self.day(at) if by_day else pid).label("day" if by_day else "pid"))

        parts: list[Select[Any]] = [
            part(E.c.pseudonym, E.c.person_id, E.c.at).where(_in(E.c.at, p), E.c.kind.not_in(MEMBERSHIP_KINDS)),
            part(P.c.pseudonym, P.c.id, VOTER.c.voted_at)
            .select_from(VOTER.join(P, P.c.id == VOTER.c.person_id))
            .where(_in(VOTER.c.voted_at, p)),
            part(P.c.pseudonym, P.c.id, FB.c.created_at)
            .select_from(FB.join(P, P.c.id == FB.c.person_id))
            .where(_in(FB.c.created_at, p)),
        ]
        if await self.has("content_links"):
            src = self.source("content_links")
            tc = src.clause()
            who, pid = src.c(tc, "pseudonym"), src.c(tc, "person_id")
            if by_day:
                parts += [part(who, pid, src.c(tc, col)).where(_in(src.c(tc, col), p))
                          for col in ("shared_at", "first_click_at")]
            else:
                parts.append(part(who, pid, None).where(
                    or_(_in(src.c(tc, "shared_at"), p), _in(src.c(tc, "first_click_at"), p))))
        if await self.has("questions"):
            src = self.source("questions")
            tc = src.clause()
            parts.append(part(src.c(tc, "pseudonym"), src.c(tc, "person_id"), src.c(tc, "at")).where(
                _in(src.c(tc, "at"), p),
                or_(src.c(tc, "pseudonym").is_not(None), src.c(tc, "person_id").is_not(None))))
        return select(union(*parts).subquery())

    async def feedback_counts(self, p: Period) -> dict[str, int]:
        async def compute(periods: tuple[Period, ...]) -> list[dict[str, int]]:
            cols = []
            for x in periods:
                cols += [_count_if(and_(FB.c.kind == kind, _in(FB.c.created_at, x))) for kind in ("feedback", "topic")]
            row = (await self.conn.execute(select(*cols).where(_in(FB.c.created_at, _span(periods))))).one()
            return [{"feedback": int(row[2 * i] or 0), "topic": int(row[2 * i + 1] or 0)} for i in range(len(periods))]

        return await self.per_period("feedback", p, compute)

    async def count_source(self, name: str, p: Period) -> int:
        """Rows of another capability's table created in the period."""

        async def compute(periods: tuple[Period, ...]) -> list[int]:
            src = self.source(name)
            tc = src.clause()
            at = src.c(tc, "at")
            row = (await self.conn.execute(
                select(*[_count_if(_in(at, x)) for x in periods]).select_from(tc).where(_in(at, _span(periods)))
            )).one()
            return [int(v or 0) for v in row]

        return await self.per_period(f"count:{name}", p, compute)

    # -- content: figures and the items table in one pass ---------------------

    async def content(self, p: Period) -> dict[str, Any]:
        """Per period: items sent, shares, clicks; for the report's period also the items table.

        One pass over the share links (and their messages): per item and period the items
        given in messages sent in the period, the shares and the clicks of links first
        opened in it; the figures are their sums, the table the top items of the period.
        """
        return await self.per_period("content", p, self._content)

    async def _content(self, periods: tuple[Period, ...]) -> list[dict[str, Any]]:
        with_sent = await self.has("content_deliveries")
        with_items = with_sent and await self.has("content_items")
        isrc, dsrc, lsrc = self.source("content_items"), self.source("content_deliveries"), self.source("content_links")
        links = lsrc.clause()
        item_id = lsrc.c(links, "item_id")
        if self.dialect == "sqlite":
            # Else SQLite groups by walking the item_id index, one random row look-up per link
            # (three times slower than reading the table once and sorting the few items).
            item_id = item_id + 0
        shared_at, clicked_at, clicks = (lsrc.c(links, k) for k in ("shared_at", "first_click_at", "clicks"))
        source: Any = links
        sent_status = sent_at = None
        if with_sent:
            dels = dsrc.clause()
            sent_status, sent_at = dsrc.c(dels, "status"), dsrc.c(dels, "sent_at")
            source = links.outerjoin(dels, dsrc.c(dels, "id") == lsrc.c(links, "delivery_id"))

        def sent_in(x: Period) -> ColumnElement[bool]:
            return and_(sent_status == "sent", _in(sent_at, x)) if with_sent else false()

        span = _span(periods)
        cols: list[Any] = [item_id.label("item_id")]
        for i, x in enumerate(periods):
            cols += [
                _count_if(sent_in(x)).label(f"sent{i}"),
                _count_if(_in(shared_at, x)).label(f"shares{i}"),
                func.sum(case((_in(clicked_at, x), clicks), else_=0)).label(f"clicks{i}"),
                # Links with anything in the period: the items table lists their items.
                _count_if(or_(sent_in(x), _in(shared_at, x), _in(clicked_at, x))).label(f"any{i}"),
            ]
        per_item = (
            select(*cols).select_from(source)
            .where(or_(sent_in(span), _in(shared_at, span), _in(clicked_at, span)))
            .group_by(item_id)
            .cte("per_item")
        )
        figures = ("sent", "shares", "clicks")
        # The first row holds the sums (the figures), the items of the report's period follow.
        totals = select(literal(0).label("part"), null().label("item_id"), null().label("title"),
                        *[func.sum(per_item.c[f"{f}{i}"]).label(f"{f}{i}")
                          for i in range(len(periods)) for f in figures])
        stmt: Any = totals
        if with_items:
            items = isrc.clause()
            pad = [literal(0)] * (3 * (len(periods) - 1))
            top = (
                select(literal(1).label("part"), per_item.c.item_id, isrc.c(items, "title"),
                       per_item.c.sent0, per_item.c.shares0, per_item.c.clicks0, *pad)
                .select_from(per_item.join(items, isrc.c(items, "id") == per_item.c.item_id))
                .where(per_item.c.any0 > 0)
                .order_by(per_item.c.shares0.desc(), per_item.c.clicks0.desc(), per_item.c.item_id)
                .limit(ROW_LIMIT)
                .subquery()
            )
            stmt = union_all(totals, select(top)).order_by(
                literal_column("part"), literal_column("shares0").desc(), literal_column("clicks0").desc(),
                literal_column("item_id"))
        out: list[dict[str, Any]] = [{} for _ in periods]
        rows: list[tuple[Any, ...]] = []
        for r in await self.rows(stmt):
            if r[0] == 0:
                for i in range(len(periods)):
                    out[i].update({f: int(r[3 + 3 * i + j] or 0) for j, f in enumerate(figures)})
            else:
                rows.append((r[1], r[2], int(r[3] or 0), int(r[4] or 0), int(r[5] or 0)))
        out[0]["items"] = rows if with_items else None
        return out

    # -- questions: the figure and the table in one pass ----------------------

    async def question_counts(self, p: Period, *, alone: bool = False) -> dict[str, Any]:
        """Per period the questions asked; for the report's period (or ``alone``) also the table."""

        async def compute(periods: tuple[Period, ...]) -> list[dict[str, Any]]:
            src = self.source("questions")
            q = src.clause()
            topic, verdict, at = src.c(q, "topic"), src.c(q, "verdict"), src.c(q, "at")
            per = (
                select(topic.label("topic"), verdict.label("verdict"),
                       *[_count_if(_in(at, x)).label(f"n{i}") for i, x in enumerate(periods)])
                .where(_in(at, _span(periods)))
                .group_by(topic, verdict)
                .cte("per_topic")
            )
            pad = [literal(0)] * (len(periods) - 1)
            # The first row holds the counts (the figure), the table's rows follow.
            totals = select(literal(0).label("part"), null().label("topic"), null().label("verdict"),
                            *[func.sum(per.c[f"n{i}"]).label(f"n{i}") for i in range(len(periods))])
            top = (
                select(literal(1).label("part"), per.c.topic, per.c.verdict, per.c.n0, *pad)
                .where(per.c.n0 > 0)
                .order_by(per.c.n0.desc(), per.c.topic, per.c.verdict)
                .limit(ROW_LIMIT)
                .subquery()
            )
            stmt = union_all(totals, select(top)).order_by(
                literal_column("part"), literal_column("n0").desc(), literal_column("topic"),
                literal_column("verdict"))
            out: list[dict[str, Any]] = [{"count": 0} for _ in periods]
            rows = []
            for r in await self.rows(stmt):
                if r[0] == 0:
                    for i in range(len(periods)):
                        out[i]["count"] = int(r[3 + i] or 0)
                else:
                    rows.append((r[1], r[2], int(r[3] or 0)))
            out[0]["rows"] = rows
            return out

        if alone:
            return (await compute((p,)))[0]
        return await self.per_period("questions", p, compute)

    # -- tables -------------------------------------------------------------

    async def activity_by_day(self, p: Period) -> Table:
        d = self.day(E.c.at).label("day")
        stmt = (
            select(
                d,
                func.sum(case((E.c.kind == "join", 1), else_=0)),
                func.sum(case((E.c.kind == "leave", 1), else_=0)),
            )
            .where(_in(E.c.at, p), E.c.kind.in_(MEMBERSHIP_KINDS))
            .group_by(d)
        )
        days: dict[str, list[int]] = {}
        for r in await self.rows(stmt):
            days[_day_str(r[0])] = [int(r[1] or 0), int(r[2] or 0), 0]
        # Active people per day from the same acts as the "active members" figure (shares, clicks,
        # questions, named votes and feedback), not from program events alone.
        acts = (await self.active_pairs(p, by_day=True)).subquery("acts")
        for day, n in await self.rows(select(acts.c.day, func.count(distinct(acts.c.who))).group_by(acts.c.day)):
            days.setdefault(_day_str(day), [0, 0, 0])[2] = int(n or 0)
        rows = [(day, *days[day]) for day in sorted(days)]
        return Table("activity_by_day", ["day", "joins", "leaves", "active"], rows)

    async def departments(self, p: Period) -> Table:
        dept = func.coalesce(P.c.department, literal(""))
        # Members at the end of the period, as the "members" figure: now, less joins since, plus leaves since.
        members = dict(
            await self.rows(select(dept, func.count()).where(P.c.is_member.is_(True)).group_by(dept))
        )
        # One pass over the membership events from the period's start: joins in it, and the change since its end.
        joins: dict[str, int] = {}
        for name, since, delta, joined in await self.rows(
            select(dept,
                   _count_if(E.c.at >= p.end),
                   func.sum(case((and_(E.c.kind == "leave", E.c.at >= p.end), 1),
                                 (and_(E.c.kind == "join", E.c.at >= p.end), -1), else_=0)),
                   _count_if(and_(E.c.kind == "join", _in(E.c.at, p))))
            .select_from(E.join(P, P.c.id == E.c.person_id))
            .where(E.c.kind.in_(MEMBERSHIP_KINDS), E.c.at >= p.start)
            .group_by(dept)
        ):
            if since:
                members[name] = max(0, int(members.get(name, 0)) + int(delta or 0))
            if joined:
                joins[name] = int(joined)
        _, active = await self.active(p)
        fdept = func.coalesce(FB.c.department, literal(""))
        feedback = dict(await self.rows(select(fdept, func.count()).where(_in(FB.c.created_at, p)).group_by(fdept)))
        columns = ["department", "members", "active", "joins", "feedback"]
        extra: list[dict[str, int]] = []
        if await self.has("content_links"):
            columns += ["shares", "clicks"]
            src = self.source("content_links")
            tc = src.clause()
            shared, clicked = _in(src.c(tc, "shared_at"), p), _in(src.c(tc, "first_click_at"), p)
            shares, clicks = {}, {}
            for name, n_shares, n_clicks, n_clicked in await self.rows(
                select(dept, _count_if(shared), func.sum(case((clicked, src.c(tc, "clicks")), else_=0)),
                       _count_if(clicked))
                .select_from(tc.join(P, P.c.id == src.c(tc, "person_id")))
                .where(or_(shared, clicked))
                .group_by(dept)
            ):
                if n_shares:
                    shares[name] = int(n_shares)
                if n_clicked:
                    clicks[name] = int(n_clicks or 0)
            extra += [shares, clicks]
        names = sorted(set(members) | set(active) | set(joins) | set(feedback) | {k for e in extra for k in e})
        rows = [
            (name, members.get(name, 0), active.get(name, 0), joins.get(name, 0), feedback.get(name, 0),
             *(int(e.get(name) or 0) for e in extra))
            for name in names
        ]
        return Table("departments", columns, rows)

    async def poll_results(self, p: Period, *, now: datetime) -> list[PollResult]:
        """Polls open at some time in the period, with their results where they may be shown."""
        polls = await self.rows(
            select(
                POLL.c.id, POLL.c.question, POLL.c.options, POLL.c.anonymous, POLL.c.multi, POLL.c.status,
                POLL.c.audience_kind, POLL.c.audience_value, POLL.c.closes_at, POLL.c.sealed, POLL.c.tally,
            )
            .where(POLL.c.created_at < p.end, POLL.c.closes_at >= p.start)
            .order_by(POLL.c.closes_at, POLL.c.id)
            .limit(ROW_LIMIT)
        )
        if not polls:
            return []
        ids = [r[0] for r in polls]
        counted = await poll_counts(self.conn, [(r[0], bool(r[9]), r[10]) for r in polls])
        recipients = dict(
            await self.rows(
                select(OUTBOX.c.ref_id, func.count())
                .where(OUTBOX.c.kind == "poll", OUTBOX.c.ref_id.in_(ids), OUTBOX.c.status == "sent")
                .group_by(OUTBOX.c.ref_id)
            )
        )
        out = []
        for pid, question, options, anonymous, multi, status, kind, value, closes_at, _, _ in polls:
            voters, counts = counted.get(pid, (0, [0] * MAX_OPTIONS))
            options = list(options or [])
            shown: list[int] | None = (counts or [0] * MAX_OPTIONS)[: len(options)]
            reason = None
            if anonymous:
                if status != "closed":
                    shown, reason = None, "open"
                elif voters < self.min_anonymous_votes:
                    shown, reason = None, "too_few"
            out.append(
                PollResult(
                    pid, question, options, bool(anonymous), bool(multi), status,
                    f"{kind}:{value}" if value else kind, aware(closes_at), int(recipients.get(pid, 0)), voters,
                    shown, reason,
                )
            )
        return out

    async def feedback(self, p: Period, departments: tuple[str, ...] | None = None) -> Table:
        stmt = (
            select(FB.c.created_at, FB.c.kind, FB.c.department, P.c.display_name, FB.c.anonymous, FB.c.text)
            .select_from(FB.outerjoin(P, P.c.id == FB.c.person_id))
            .where(_in(FB.c.created_at, p))
            .order_by(FB.c.created_at, FB.c.id)
            .limit(ROW_LIMIT)
        )
        if departments is not None:
            stmt = stmt.where(FB.c.department.in_(departments))
        rows = [
            (aware(at), kind, dept or "", None if anonymous else (name or ""), text)
            for at, kind, dept, name, anonymous, text in await self.rows(stmt)
        ]
        return Table("feedback", ["date", "kind", "department", "from", "text"], rows)

    async def content_items(self, p: Period) -> Table:
        """Per item: given to people in messages sent in the period, shared, clicked (links first opened in it)."""
        columns = ["item", "title", "sent", "shares", "clicks"]
        if not await self.has("content_items", "content_deliveries", "content_links"):
            return Table("content_items", columns, available=False)
        # The table is read with the report's period's figures; another period's alone.
        data = (await self._content((p,)))[0] if p in self.pair[1:] else await self.content(p)
        return Table("content_items", columns, data["items"])

    async def questions(self, p: Period) -> Table:
        columns = ["topic", "verdict", "questions"]
        if not await self.has("questions"):
            return Table("questions", columns, available=False)
        data = (await self.question_counts(p, alone=True)) if p in self.pair[1:] else await self.question_counts(p)
        return Table("questions", columns, data["rows"])

    async def crisis(self, p: Period) -> Table:
        columns = ["severity", "status", "reports"]
        if not await self.has("crisis"):
            return Table("crisis", columns, available=False)
        src = self.source("crisis")
        c = src.clause()
        sev, status = src.c(c, "severity"), src.c(c, "status")
        stmt = (
            select(sev, status, func.count())
            .where(_in(src.c(c, "at"), p))
            .group_by(sev, status)
            .order_by(sev, status)
        )
        return Table("crisis", columns, await self.rows(stmt))


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((cond, 1), else_=0))


def _span(periods: tuple[Period, ...]) -> Period:
    """The time the periods cover together (the report's period and the one before it touch)."""
    return Period(min(x.start for x in periods), max(x.end for x in periods))




def _day_str(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]
