"""The database side of the answer engine: answer records, feedback, gaps, reload alerts.

``DbRecorder`` is the ``knowledge.service.Recorder`` a running bot plugs into
the knowledge service; the rest are the queries the chat workflow and
``ambassador kb gaps`` (cli.py) need. Tables: storage/models_ask.py.

Work that must reach someone (the comms lead about a new gap, the asker about
its answer, the lead about a broken guideline file) is claimed with a
compare-and-set on a ``*_next_try`` column before it is sent, so the sender
that tries at once and the periodic job that retries never send it twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from knowledge.model import Answer
from storage.db import Database
from storage.models import utcnow
from storage.models_ask import GAP_TEXT_MAX, AskFeedback, AskQuestion, KbGap, KbReloadAlert

log = logging.getLogger("ambassador.knowledge")

# How long a sender owns a message before someone else may try again.
CLAIM = timedelta(minutes=2)
MAX_ATTEMPTS = 12


def backoff(attempts: int) -> timedelta:
    """5, 10, 20, 40 minutes ... at most 6 hours between tries."""
    return min(timedelta(minutes=5 * 2 ** max(attempts - 1, 0)), timedelta(hours=6))


def aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def fingerprint(problems: Sequence[str], extra: str = "") -> str:
    return hashlib.sha256(("\n".join(problems) + "\0" + extra).encode()).hexdigest()


@dataclass
class PersonSummary:
    questions: list[AskQuestion]
    helpful: int
    unhelpful: int
    gaps: list[KbGap]


class DbRecorder:
    """Answer records, feedback and gaps in the database (storage/models_ask.py)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # -- the Recorder protocol (knowledge.service) -----------------------------

    async def record_answer(
        self,
        answer: Answer,
        *,
        asker: Any = None,
        platform: str | None = None,
        source: str = "message",
        guarded: bool = False,
    ) -> int | None:
        row = AskQuestion(
            created_at=self.clock(),
            person_id=getattr(asker, "id", None),
            pseudonym=getattr(asker, "pseudonym", None),
            platform=platform,
            source=(source or "message")[:20],
            language=answer.language,
            verdict=answer.verdict,
            topic=answer.topics[0] if answer.topics else "none",
            topics=list(answer.topics),
            guideline_ids=answer.guideline_ids,
            matched=answer.matched,
            composed_by=answer.composed_by,
            guarded=guarded,
        )
        # One INSERT on a connection, not a session's unit of work: every question passes here.
        table = AskQuestion.__table__
        values = {c.key: getattr(row, c.key) for c in table.columns if c.key != "id"}
        async with self.db.engine.begin() as conn:
            return (await conn.execute(insert(table).returning(table.c.id), values)).scalar_one()

    async def record_feedback(self, question_id: int | None, helpful: bool, *, asker: Any = None) -> str:
        """ "new", "changed", "same" (pressed again), or "unknown" (no such answer any more).

        Only the asker's feedback counts: anyone else's press on an answer (a button's data can be
        forged) is "unknown", exactly as for an answer that does not exist.
        """
        if question_id is None:
            return "unknown"
        person_id = getattr(asker, "id", None)
        async with self.db.session() as s:
            question = await s.get(AskQuestion, question_id)
        if question is None or person_id is None or question.person_id != person_id:
            return "unknown"
        now = self.clock()
        for _ in range(2):
            async with self.db.session() as s:
                row = (
                    await s.exec(
                        select(AskFeedback).where(
                            AskFeedback.question_id == question_id, AskFeedback.person_id == person_id
                        )
                    )
                ).first()
                if row is not None:
                    if row.helpful == helpful:
                        return "same"
                    row.helpful, row.updated_at = helpful, now
                    await s.commit()
                    return "changed"
                if await s.get(AskQuestion, question_id) is None:
                    return "unknown"
                s.add(
                    AskFeedback(
                        question_id=question_id,
                        person_id=person_id,
                        helpful=helpful,
                        created_at=now,
                        updated_at=now,
                    )
                )
                try:
                    await s.commit()
                    return "new"
                except IntegrityError:
                    # The same press twice at once: the other one stored it; look again.
                    await s.rollback()
        return "same"

    async def record_gap(
        self,
        question_id: int | None,
        text: str,
        *,
        asker: Any = None,
        reason: str = "no_match",
        language: str = "de",
    ) -> tuple[KbGap, bool]:
        """The gap for this answer, and whether it is new. A new gap is claimed for the caller to notify."""
        person_id = getattr(asker, "id", None)
        now = self.clock()
        async with self.db.session() as s:
            question = await s.get(AskQuestion, question_id) if question_id is not None else None
            if question is not None and question.person_id != person_id:
                # Only the asker may pass an answer on (a button's data can be forged).
                question = None
            if question is not None:
                existing = (await s.exec(select(KbGap).where(KbGap.question_id == question.id))).first()
                if existing is not None:
                    return existing, False
            gap = KbGap(
                question_id=question.id if question is not None else None,
                created_at=now,
                person_id=person_id,
                pseudonym=getattr(asker, "pseudonym", None),
                language=language,
                reason=reason[:20],
                text=text[:GAP_TEXT_MAX],
                verdict=question.verdict if question is not None else None,
                guideline_ids=list(question.guideline_ids or []) if question is not None else [],
                status="open",
                lead_next_try=now + CLAIM,
                lead_attempts=1,
            )
            s.add(gap)
            try:
                await s.commit()
            except IntegrityError:
                await s.rollback()
                existing = (await s.exec(select(KbGap).where(KbGap.question_id == question_id))).first()
                if existing is None:
                    raise
                return existing, False
            return gap, True

    # -- gaps for the comms lead --------------------------------------------------

    async def gap(self, gap_id: int) -> KbGap | None:
        async with self.db.session() as s:
            return await s.get(KbGap, gap_id)

    async def gaps(self, *, include_closed: bool = False, limit: int = 200) -> list[KbGap]:
        """Open gaps, oldest first (with include_closed: every gap, newest first)."""
        async with self.db.session() as s:
            stmt = select(KbGap)
            if include_closed:
                stmt = stmt.order_by(KbGap.id.desc())
            else:
                stmt = stmt.where(KbGap.status == "open").order_by(KbGap.id)
            return list((await s.exec(stmt.limit(limit))).all())

    async def unhelpful_by_guideline(self, since: datetime | None = None) -> Counter[str]:
        """Answers marked unhelpful, counted by the guidelines they cited (passed on or not)."""
        stmt = (
            select(AskQuestion.guideline_ids, AskQuestion.matched)
            .join(AskFeedback, AskFeedback.question_id == AskQuestion.id)
            .where(AskFeedback.helpful.is_(False))
        )
        if since is not None:
            stmt = stmt.where(AskFeedback.updated_at >= since)
        counts: Counter[str] = Counter()
        async with self.db.session() as s:
            for ids, matched in (await s.exec(stmt)).all():
                for gid in ids or (["(no guideline fitted)"] if not matched else []):
                    counts[gid] += 1
        return counts

    async def unmatched_count(self, since: datetime | None = None) -> tuple[int, int]:
        """(questions no guideline fitted, of them passed on to the comms team)."""
        async with self.db.session() as s:
            stmt = select(func.count()).select_from(AskQuestion).where(AskQuestion.matched.is_(False))
            passed = (
                select(func.count())
                .select_from(KbGap)
                .join(AskQuestion, AskQuestion.id == KbGap.question_id)
                .where(AskQuestion.matched.is_(False))
            )
            if since is not None:
                stmt = stmt.where(AskQuestion.created_at >= since)
                passed = passed.where(AskQuestion.created_at >= since)
            return int((await s.exec(stmt)).one()), int((await s.exec(passed)).one())

    async def answer_gap(
        self, gap_id: int, *, text: str | None, rule: str | None, by_id: int | None, by_name: str | None
    ) -> tuple[str, KbGap | None]:
        """Store the lead's answer once: ("ok" | "missing" | "answered" | "withdrawn", the gap).

        "ok" claims the delivery to the asker for the caller.
        """
        now = self.clock()
        async with self.db.session() as s:
            res = await s.execute(
                update(KbGap)
                .where(KbGap.id == gap_id, KbGap.status == "open")
                .values(
                    status="answered",
                    answer_text=text,
                    answer_rule=rule,
                    answered_by_id=by_id,
                    answered_by_name=(by_name or "")[:200] or None,
                    answered_at=now,
                    asker_next_try=now + CLAIM,
                    asker_attempts=1,
                )
            )
            await s.commit()
            gap = await s.get(KbGap, gap_id)
            if res.rowcount == 1:
                await s.refresh(gap)
                return "ok", gap
        if gap is None:
            return "missing", None
        return ("withdrawn" if gap.status == "withdrawn" else "answered"), gap

    # -- who has been told ------------------------------------------------------------

    async def due(self, what: str, limit: int = 20) -> list[int]:
        """Gap ids whose lead notification ("lead") or asker delivery ("asker") is due."""
        now = self.clock()
        if what == "lead":
            cond = and_(
                KbGap.status == "open",
                KbGap.notified_at.is_(None),
                or_(KbGap.lead_next_try.is_(None), KbGap.lead_next_try <= now),
                KbGap.lead_attempts < MAX_ATTEMPTS,
            )
        else:
            cond = and_(
                KbGap.status == "answered",
                KbGap.delivered_at.is_(None),
                KbGap.person_id.is_not(None),
                or_(KbGap.asker_next_try.is_(None), KbGap.asker_next_try <= now),
                KbGap.asker_attempts < MAX_ATTEMPTS,
            )
        async with self.db.session() as s:
            return list((await s.exec(select(KbGap.id).where(cond).order_by(KbGap.id).limit(limit))).all())

    async def claim(self, what: str, gap_id: int) -> KbGap | None:
        """Take a due notification for one sender (compare and set); None when someone else has it."""
        now = self.clock()
        if what == "lead":
            cond = and_(
                KbGap.notified_at.is_(None), or_(KbGap.lead_next_try.is_(None), KbGap.lead_next_try <= now)
            )
            values = {"lead_next_try": now + CLAIM, "lead_attempts": KbGap.lead_attempts + 1}
        else:
            cond = and_(
                KbGap.delivered_at.is_(None), or_(KbGap.asker_next_try.is_(None), KbGap.asker_next_try <= now)
            )
            values = {"asker_next_try": now + CLAIM, "asker_attempts": KbGap.asker_attempts + 1}
        async with self.db.session() as s:
            res = await s.execute(update(KbGap).where(KbGap.id == gap_id, cond).values(**values))
            await s.commit()
            if res.rowcount != 1:
                return None
            return await s.get(KbGap, gap_id)

    async def sent(self, what: str, gap_id: int) -> None:
        column = "notified_at" if what == "lead" else "delivered_at"
        error = "lead_error" if what == "lead" else "asker_error"
        async with self.db.session() as s:
            await s.execute(
                update(KbGap).where(KbGap.id == gap_id).values({column: self.clock(), error: None})
            )
            await s.commit()

    async def failed(self, what: str, gap_id: int, error: str) -> None:
        attempts_col = KbGap.lead_attempts if what == "lead" else KbGap.asker_attempts
        async with self.db.session() as s:
            attempts = (await s.exec(select(attempts_col).where(KbGap.id == gap_id))).first() or 1
            values = (
                {"lead_error": error[:500], "lead_next_try": self.clock() + backoff(attempts)}
                if what == "lead"
                else {"asker_error": error[:500], "asker_next_try": self.clock() + backoff(attempts)}
            )
            await s.execute(update(KbGap).where(KbGap.id == gap_id).values(**values))
            await s.commit()

    # -- a broken guideline file, told once ---------------------------------------------

    async def new_reload_alert(self, fp: str, problems: Sequence[str]) -> KbReloadAlert | None:
        """The alert row when this failure is new (claimed for the caller); None when it was seen before."""
        now = self.clock()
        async with self.db.session() as s:
            row = KbReloadAlert(
                fingerprint=fp, problems=list(problems)[:20], created_at=now, next_try=now + CLAIM, attempts=1
            )
            s.add(row)
            try:
                await s.commit()
            except IntegrityError:
                await s.rollback()
                return None
            return row

    async def due_reload_alerts(self) -> list[KbReloadAlert]:
        now = self.clock()
        async with self.db.session() as s:
            rows = (
                await s.exec(
                    select(KbReloadAlert).where(
                        KbReloadAlert.notified_at.is_(None),
                        or_(KbReloadAlert.next_try.is_(None), KbReloadAlert.next_try <= now),
                        KbReloadAlert.attempts < MAX_ATTEMPTS,
                    )
                )
            ).all()
            claimed = []
            for row in rows:
                res = await s.execute(
                    update(KbReloadAlert)
                    .where(KbReloadAlert.id == row.id, KbReloadAlert.notified_at.is_(None))
                    .where(or_(KbReloadAlert.next_try.is_(None), KbReloadAlert.next_try <= now))
                    .values(next_try=now + CLAIM, attempts=KbReloadAlert.attempts + 1)
                )
                if res.rowcount == 1:
                    claimed.append(row)
            await s.commit()
            return claimed

    async def reload_alert_done(self, alert_id: int, error: str | None = None) -> None:
        async with self.db.session() as s:
            row = await s.get(KbReloadAlert, alert_id)
            if row is None:
                return
            if error is None:
                row.notified_at, row.error = self.clock(), None
            else:
                row.error, row.next_try = error[:500], self.clock() + backoff(row.attempts)
            await s.commit()

    # -- privacy ------------------------------------------------------------------------

    async def person_summary(self, person_id: int, recent: int = 10) -> PersonSummary:
        async with self.db.session() as s:
            questions = list(
                (
                    await s.exec(
                        select(AskQuestion).where(AskQuestion.person_id == person_id).order_by(AskQuestion.id)
                    )
                ).all()
            )
            rows = (
                await s.exec(
                    select(AskFeedback.helpful, func.count())
                    .where(AskFeedback.person_id == person_id)
                    .group_by(AskFeedback.helpful)
                )
            ).all()
            gaps = list(
                (await s.exec(select(KbGap).where(KbGap.person_id == person_id).order_by(KbGap.id))).all()
            )
        counts = {bool(h): int(n) for h, n in rows}
        return PersonSummary(questions, counts.get(True, 0), counts.get(False, 0), gaps)

    async def forget(self, person_id: int) -> None:
        """The person's gap texts go; records for the figures keep only the pseudonym."""
        async with self.db.session() as s:
            await s.execute(
                update(KbGap)
                .where(KbGap.person_id == person_id, KbGap.status == "open")
                .values(status="withdrawn")
            )
            await s.execute(
                update(KbGap)
                .where(KbGap.person_id == person_id)
                .values(text=None, answer_text=None, person_id=None)
            )
            await s.execute(
                update(KbGap)
                .where(KbGap.answered_by_id == person_id)
                .values(answered_by_id=None, answered_by_name=None)
            )
            await s.execute(
                update(AskQuestion).where(AskQuestion.person_id == person_id).values(person_id=None)
            )
            await s.execute(
                update(AskFeedback).where(AskFeedback.person_id == person_id).values(person_id=None)
            )
            await s.commit()

    async def purge(self, before: datetime) -> None:
        """Retention: records older than the program's retention period; gaps once closed."""
        async with self.db.session() as s:
            await s.execute(delete(AskQuestion).where(AskQuestion.created_at < before))
            await s.execute(delete(KbGap).where(KbGap.status != "open", KbGap.created_at < before))
            await s.execute(delete(KbReloadAlert).where(KbReloadAlert.created_at < before))
            await s.commit()
