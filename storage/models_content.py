"""Shareable content: the queue, the weekly runs, the outbox of nudges, share links and preferences.

Everything the nudge must not lose is a row here before anything is sent:
a run is claimed through its lease columns, each (run, person) delivery is one
outbox row that moves pending -> sending -> sent (or skipped / failed /
uncertain), and each (item, person) pair exists once (``content_link``), which
is what makes "never an item twice" hold across restarts and replicas.
People are linked by id with their pseudonym beside it, so figures outlive
"forget me" with the pseudonym only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from storage.models import now_ts, ts


class ContentItem(SQLModel, table=True):
    """One piece of shareable content: a link with suggested post texts."""

    __tablename__ = "content_item"
    __table_args__ = (Index("ix_content_item_status", "status", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    # The id an item has in an imported YAML file: importing the file again updates, never duplicates.
    key: str | None = Field(default=None, unique=True, max_length=200)
    title: str = Field(max_length=300)
    url: str = Field(max_length=2000)
    text_de: str | None = Field(default=None, sa_column=Column(Text))
    text_en: str | None = Field(default=None, sa_column=Column(Text))
    audience: str = Field(default="all", max_length=20)  # all | core | department
    department: str | None = Field(default=None, max_length=100)
    valid_from: datetime | None = ts()
    valid_until: datetime | None = ts()
    image_url: str | None = Field(default=None, max_length=2000)
    image_rights: str | None = Field(default=None, max_length=500)
    status: str = Field(default="approved", max_length=20)  # draft | pending | approved | rejected | retired
    created_via: str = Field(default="chat", max_length=10)  # chat | cli | yaml | feed
    # Where a feed's item came from (the feed's name) and its canonical link: in the queue once.
    source: str | None = Field(default=None, max_length=300)
    canonical_url: str | None = Field(default=None, max_length=2000, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_by_pseudonym: str | None = None
    created_at: datetime = now_ts()
    decided_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    decided_at: datetime | None = ts()
    decision_note: str | None = Field(default=None, max_length=500)
    # The approval request to the comms lead: sent when set; claimed until ... while being sent.
    approval_sent_at: datetime | None = ts()
    approval_claim_until: datetime | None = ts()
    approval_tries: int = 0
    # Ready share texts by language ({"en": [...], "de": [...]}), made once when the item is approved,
    # each answered "go" by the answer engine; None: not made yet. A language with [] had none pass.
    share_texts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    share_texts_at: datetime | None = ts()


class ContentRun(SQLModel, table=True):
    """One wave of one cycle: the core group's early wave or everyone's main wave, or a run by hand."""

    __tablename__ = "content_run"
    __table_args__ = (UniqueConstraint("cycle", "wave", name="uq_content_run_cycle_wave"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle: str = Field(max_length=60)  # the schedule slot in UTC (2026-03-30T07:30Z), or manual:..., thanks:...
    wave: str = Field(max_length=10)  # early | main | thanks
    kind: str = Field(default="nudge", max_length=10)  # nudge | thanks
    due_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(default="planning", max_length=20, index=True)  # planning | sending | done
    holder: str | None = Field(default=None, max_length=80)
    lease_until: datetime | None = ts()
    planned: int = 0
    created_at: datetime = now_ts()
    planned_at: datetime | None = ts()
    finished_at: datetime | None = ts()
    # The summary to the comms lead once the run is done (failures and uncertain sends in it).
    report_sent_at: datetime | None = ts()
    report_claim_until: datetime | None = ts()
    report_tries: int = 0


class ContentDelivery(SQLModel, table=True):
    """The outbox: one message to one person in one cycle.

    pending (claimed through claim_token/lease_until) -> sending (written right
    before the platform call) -> sent. A row left in 'sending' by a process
    that stopped is 'uncertain' unless the platform can tell it arrived.
    """

    __tablename__ = "content_delivery"
    __table_args__ = (
        UniqueConstraint("cycle", "person_id", name="uq_content_delivery_cycle_person"),
        Index("ix_content_delivery_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="content_run.id", index=True, ondelete="CASCADE")
    cycle: str = Field(max_length=60)
    kind: str = Field(default="nudge", max_length=10)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    pseudonym: str
    lang: str = Field(default="de", max_length=5)
    status: str = Field(default="pending", max_length=20)  # pending | sending | sent | skipped | failed | uncertain | cancelled
    due_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    attempts: int = 0
    claim_token: str | None = Field(default=None, max_length=40)
    lease_until: datetime | None = ts()
    started_at: datetime | None = ts()
    sent_at: datetime | None = ts()
    platform: str | None = Field(default=None, max_length=20)
    reason: str | None = Field(default=None, max_length=30)  # gone | unreachable | no_account | left | retired | hold | error | ...
    error: str | None = Field(default=None, max_length=500)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = now_ts()


class ContentLink(SQLModel, table=True):
    """An item given to a person: its opaque share token, the person's answer and the clicks."""

    __tablename__ = "content_link"
    __table_args__ = (
        UniqueConstraint("item_id", "person_id", name="uq_content_link_item_person"),
        # The monthly thank-you counts the shares of one month.
        Index("ix_content_link_shared_at", "shared_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True)
    delivery_id: int | None = Field(default=None, foreign_key="content_delivery.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="content_item.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    pseudonym: str
    position: int = 0
    shared_at: datetime | None = ts()
    declined_at: datetime | None = ts()
    clicks: int = 0
    first_click_at: datetime | None = ts()
    last_click_at: datetime | None = ts()
    created_at: datetime = now_ts()


class ContentClicks(SQLModel, table=True):
    """Clicks on one share link in one month (program time zone): what the monthly thank-you counts.

    ``content_link.clicks`` is the total; this keeps the months apart without a
    row per click (no time stamps of single reads are kept).
    """

    __tablename__ = "content_clicks"

    link_id: int = Field(primary_key=True, foreign_key="content_link.id", ondelete="CASCADE")
    month: str = Field(primary_key=True, max_length=7)  # 2026-03
    clicks: int = 0


class ContentPref(SQLModel, table=True):
    """A member's choices: weekly, every two weeks or pause; whether a monthly thank-you is welcome;
    whether the comms lead may see their name among the people thanked."""

    __tablename__ = "content_pref"

    person_id: int = Field(primary_key=True, foreign_key="person.id", ondelete="CASCADE")
    frequency: str = Field(default="weekly", max_length=10)  # weekly | biweekly | pause
    thanks: bool = True
    # Consent ("thanks public on"): named to the comms lead in "content thanks preview --names".
    thanks_public: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    updated_at: datetime = now_ts()
