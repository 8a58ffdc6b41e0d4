"""The answer engine's records: questions for the figures, answer feedback, knowledge-base gaps.

- ``ask_question``: one row per answered question, for the meeting report
  (questions by topic and verdict). It holds no message text: topic, verdict,
  language, whether a guideline matched, the cited guideline ids, who asked
  (a person link that "forget me" removes, and the random pseudonym), when.
- ``ask_feedback``: "Helpful? yes / no" on an answer; one row per answer and
  person (pressing twice, or changing one's mind, never makes two).
- ``kb_gap``: a question the asker chose to pass to the comms team (no fitting
  guideline, or an unhelpful answer). Only here is the question's text kept,
  at most 2,000 characters, so that the comms lead can answer it; the row
  also carries the lead's answer and whether the lead and the asker were told.
- ``kb_reload_alert``: a broken guideline file the comms lead was told about,
  once per failure across replicas.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import now_ts, ts

# The longest question text a gap keeps.
GAP_TEXT_MAX = 2_000


class AskQuestion(SQLModel, table=True):
    """One answered question or checked draft; never its text."""

    __tablename__ = "ask_question"
    __table_args__ = (Index("ix_ask_question_topic_verdict", "topic", "verdict"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = now_ts(index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    pseudonym: str | None = Field(default=None, max_length=20)
    platform: str | None = Field(default=None, max_length=20)
    source: str = Field(default="message", max_length=20)  # message | mention | command | shortcut | action
    language: str = Field(default="de", max_length=5)
    verdict: str = Field(max_length=10)  # go | check | no
    topic: str = Field(default="none", max_length=40)  # the first topic; "none" when nothing matched
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    guideline_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    matched: bool = False
    composed_by: str = Field(default="offline", max_length=10)  # offline | llm
    # A capability's answer guard (a crisis posting hold) made the answer a "no".
    guarded: bool = False


class AskFeedback(SQLModel, table=True):
    """Helpful or not, once per answer and person (a second press changes the row)."""

    __tablename__ = "ask_feedback"
    __table_args__ = (UniqueConstraint("question_id", "person_id", name="uq_ask_feedback_question_person"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="ask_question.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    helpful: bool
    created_at: datetime = now_ts(index=True)
    updated_at: datetime = now_ts()


class KbGap(SQLModel, table=True):
    """A question passed to the comms team, its answer, and who has been told."""

    __tablename__ = "kb_gap"
    __table_args__ = (
        Index("ix_kb_gap_status_created", "status", "created_at"),
        Index("ix_kb_gap_lead_due", "notified_at", "lead_next_try"),
        Index("ix_kb_gap_asker_due", "status", "delivered_at", "asker_next_try"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # One gap per answer: passing the same answer on twice finds the first gap.
    question_id: int | None = Field(
        default=None, foreign_key="ask_question.id", unique=True, ondelete="SET NULL"
    )
    created_at: datetime = now_ts(index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    pseudonym: str | None = Field(default=None, max_length=20)
    language: str = Field(default="de", max_length=5)
    reason: str = Field(default="no_match", max_length=20)  # no_match | unhelpful
    # None once the asker said "forget me".
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    verdict: str | None = Field(default=None, max_length=10)  # what the bot had answered
    guideline_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    status: str = Field(default="open", max_length=12)  # open | answered | withdrawn
    # The comms lead (or a backup) told about the gap; retried until it is.
    notified_at: datetime | None = ts()
    lead_next_try: datetime | None = ts()
    lead_attempts: int = 0
    lead_error: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
    # The answer, and its delivery to the asker.
    answer_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answer_rule: str | None = Field(default=None, max_length=200)  # a guideline id the lead pointed to
    answered_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    answered_by_name: str | None = Field(default=None, max_length=200)
    answered_at: datetime | None = ts()
    delivered_at: datetime | None = ts()
    asker_next_try: datetime | None = ts()
    asker_attempts: int = 0
    asker_error: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))

    @property
    def ref(self) -> str:
        return f"GAP-{self.id}"


class KbReloadAlert(SQLModel, table=True):
    """A failed knowledge-base reload the comms lead is told about once (the fingerprint dedupes replicas)."""

    __tablename__ = "kb_reload_alert"

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(max_length=64, unique=True)
    problems: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = now_ts(index=True)
    notified_at: datetime | None = ts()
    next_try: datetime | None = ts()
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
