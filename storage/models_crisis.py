"""Crisis reports, their escalation state, alert attempts, the audit trail and posting holds.

Everything that must survive a restart lives here: the next escalation step and
when it is due (``CrisisReport.next_at``), which replica works on it until when
(``claim_until``), and every alert attempt with its outcome, recorded before the
alert is sent. People are linked by id with a pseudonym beside it, so a trail
outlives "forget me" with the pseudonym only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import now_ts, ts


class CrisisReport(SQLModel, table=True):
    __tablename__ = "crisis_report"
    __table_args__ = (Index("ix_crisis_report_due", "status", "next_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = Field(default=None, unique=True, max_length=40)  # K-2026-0042, set right after insert
    # platform:event id of the message that made it: a handler run twice makes one report.
    source_key: str | None = Field(default=None, unique=True, max_length=300)
    reporter_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    reporter_pseudonym: str
    reporter_lang: str = "en"
    source: str = "message"  # message | command | shortcut | action
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    links: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    place: str | None = None  # the platform the trouble is on: TikTok, LinkedIn, ...
    url: str | None = None  # the main link
    permalink: str | None = None  # the chat message a shortcut was used on
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    severity: str = "medium"
    proposed_severity: str = "medium"
    status: str = Field(default="open", max_length=20)  # open | acknowledged | resolved
    policy: str = "office"  # office | outside (office hours at the time of the report)
    step: int = 0  # the next escalation step: round * levels + level
    next_at: datetime | None = ts()  # when that step is due; None: nothing to do
    claim_until: datetime | None = ts()
    claim_token: str | None = Field(default=None, max_length=40)
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    owner_pseudonym: str | None = None
    acked_at: datetime | None = ts()
    resolved_at: datetime | None = ts()
    resolution_note: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = now_ts()


class CrisisAttempt(SQLModel, table=True):
    """One alert to one target at one step. 'sending' left behind means: outcome unknown, send again."""

    __tablename__ = "crisis_attempt"
    __table_args__ = (UniqueConstraint("report_id", "step", "via", "target", name="uq_crisis_attempt"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="crisis_report.id", index=True, ondelete="CASCADE")
    step: int
    via: str = Field(max_length=20)  # chat | channel | email | webhook
    target: str = Field(max_length=500)  # as the policy names it: comms_lead, an address, a channel, a URL
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    status: str = Field(default="sending", max_length=20)  # sending | sent | failed
    tries: int = 1
    error: str | None = None
    started_at: datetime = now_ts()
    finished_at: datetime | None = ts()


class CrisisEvent(SQLModel, table=True):
    """The audit trail: every step of a report or a hold, with its time."""

    __tablename__ = "crisis_event"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(default=None, foreign_key="crisis_report.id", index=True, ondelete="CASCADE")
    hold_id: int | None = Field(default=None, foreign_key="crisis_hold.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=40)
    at: datetime = now_ts()
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    actor_pseudonym: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Hold(SQLModel, table=True):
    """Hold back on a topic: members asking about it get "no" with the note; nudges on it pause."""

    __tablename__ = "crisis_hold"

    id: int | None = Field(default=None, primary_key=True)
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    report_id: int | None = Field(default=None, foreign_key="crisis_report.id", ondelete="SET NULL")
    created_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_by_pseudonym: str | None = None
    created_at: datetime = now_ts()
    lifted_at: datetime | None = ts(index=True)
    lifted_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    # Telling the members, worked off in batches by person id so a restart resumes.
    notice: str = Field(default="hold", max_length=10)  # hold | lift | done
    notice_cursor: int = 0
    notified: int = 0
    failed: int = 0
    claim_until: datetime | None = ts()
