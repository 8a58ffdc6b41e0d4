"""Polls, ballots, feedback, meetings and their outbox.

Anonymity is a property of the schema: ``poll_ballot`` has no person column
and no timestamp. A ballot is found again only through its ``voter_key``, a
keyed hash (HMAC, server secret) of the poll id and the person id, which lets a
person vote once and change the vote, and tells nobody without the secret who
cast it. ``poll_voter`` links people to their keys for named polls only; for an
anonymous poll no row anywhere says who voted what.

Messages the bot starts for these capabilities (a poll to each person of its
audience, reminders, results, the meeting report, the meeting summary) are
rows in ``poll_outbox`` first and sent after, so a restart loses none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import ProgramEvent, now_ts, ts


class PollSeries(SQLModel, table=True):
    """A recurring poll: the template and when the next instance is due."""

    __tablename__ = "poll_series"
    __table_args__ = (Index("ix_poll_series_due", "active", "next_at"),)

    id: int | None = Field(default=None, primary_key=True)
    template: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    every_days: int = 14
    next_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    active: bool = True
    creator_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    creator_pseudonym: str | None = None
    created_at: datetime = now_ts()


class Poll(SQLModel, table=True):
    __tablename__ = "poll"
    __table_args__ = (
        Index("ix_poll_due_close", "status", "closes_at"),
        Index("ix_poll_due_remind", "status", "remind_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    series_id: int | None = Field(default=None, foreign_key="poll_series.id", index=True, ondelete="SET NULL")
    question: str = Field(sa_column=Column(Text, nullable=False))
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    multi: bool = False
    anonymous: bool = False
    audience_kind: str = Field(default="members", max_length=20)  # channel | department | core | members
    audience_value: str = Field(default="", max_length=200)  # the department or the channel id
    platform: str | None = Field(default=None, max_length=20)  # of a channel poll
    creator_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    creator_pseudonym: str | None = None
    status: str = Field(default="open", max_length=10)  # open | closed
    created_at: datetime = now_ts(index=True)
    closes_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    closed_at: datetime | None = ts()
    remind_at: datetime | None = ts()
    reminded_at: datetime | None = ts()
    # Anonymous polls made since migration 0502: ballots sealed with the program key (handlers/polls/ballots.py).
    sealed: bool = False
    # An anonymous poll's totals, kept when it closes ({"voters": n, "counts": [...]}); its ballots go then.
    tally: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class PollBallot(SQLModel, table=True):
    """One person's current choice in one poll: no person column, no time (see the module docstring)."""

    __tablename__ = "poll_ballot"
    # The votes per answer are counted from this index alone (migration 0501).
    __table_args__ = (Index("ix_poll_ballot_choices", "poll_id", "choices"),)

    poll_id: int = Field(foreign_key="poll.id", primary_key=True, ondelete="CASCADE")
    voter_key: str = Field(primary_key=True, max_length=64)
    # Option i chosen <=> bit i set; 0 means every choice was withdrawn.
    choices: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


class PollVoter(SQLModel, table=True):
    """Who voted in a named poll (never written for an anonymous one)."""

    __tablename__ = "poll_voter"

    poll_id: int = Field(foreign_key="poll.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    voter_key: str = Field(max_length=64)
    voted_at: datetime = now_ts(index=True)


class PollOutbox(SQLModel, table=True):
    """A message to send: a poll, a reminder, results, a meeting report or summary."""

    __tablename__ = "poll_outbox"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", "person_id", name="uq_poll_outbox_target"),
        Index("ix_poll_outbox_due", "status", "id"),
        # Per poll, to whom it was sent: the meeting report counts from this index alone (migration 0501).
        Index("ix_poll_outbox_ref", "kind", "ref_id", "status", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # poll | remind | results | report | summary
    ref_id: int  # the poll or the meeting
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    channel: str | None = Field(default=None, max_length=200)  # a channel post instead of a person
    platform: str | None = Field(default=None, max_length=20)
    status: str = Field(default="pending", max_length=10)  # pending | sending | sent | failed
    attempts: int = 0
    claim_until: datetime | None = ts()
    sent_at: datetime | None = ts()
    error: str | None = Field(default=None, sa_column=Column(String(500)))
    created_at: datetime = now_ts()


class Feedback(SQLModel, table=True):
    """Feedback or a topic for the next meeting; anonymous ones keep no person."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_department_created", "department", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="feedback", max_length=10)  # feedback | topic
    text: str = Field(sa_column=Column(Text, nullable=False))
    department: str | None = Field(default=None, max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    anonymous: bool = False
    context: str | None = Field(default=None, max_length=200)  # what a feedback button was under
    lang: str = Field(default="de", max_length=5)
    created_at: datetime = now_ts(index=True)


class Meeting(SQLModel, table=True):
    """One ambassador meeting: its report (prepared once) and the summary sent after it."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    scheduled_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, unique=True))
    period_from: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    period_to: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(default="preparing", max_length=10)  # preparing | ready
    claim_until: datetime | None = ts()
    report_dir: str | None = None
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    summary: str | None = Field(default=None, sa_column=Column(Text))
    summary_by: str | None = None
    summary_at: datetime | None = ts()
    created_at: datetime = now_ts()


# The meeting report counts program events by kind over a period; one
# composite index serves every such count (declared here so the schema and the
# metadata agree, and autogenerate never proposes to drop it).
ix_programevent_kind_at = Index("ix_programevent_kind_at", ProgramEvent.__table__.c.kind, ProgramEvent.__table__.c.at)
# Active members and activity per day read a period's events from this index alone (migration 0501).
ix_programevent_report = Index("ix_programevent_report", *(ProgramEvent.__table__.c[c] for c in
                                                           ("at", "kind", "pseudonym", "person_id")))
