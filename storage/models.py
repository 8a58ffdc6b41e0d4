"""The database schema (SQLModel). Changes go through a migration in storage/migrations."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_pseudonym() -> str:
    # Stays on records that must outlive a deleted person (program figures, crisis
    # trails); it is random, so it reveals nothing about who it was.
    return "P-" + secrets.token_hex(5).upper()


def aware[T](value: T) -> T:
    """A stored time with its zone: SQLite hands timestamps back without one, and every stored time
    is UTC. None, and anything that is no datetime, comes back as it is."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # type: ignore[return-value]
    return value


def ts(**column: Any) -> Any:
    """A time column (timezone-aware), empty until set; ``column`` goes to the Column (index=, nullable=).
    Every capability's models use this one."""
    return Field(default=None, sa_column=Column(DateTime(timezone=True), **column))


def now_ts(**column: Any) -> Any:
    """A time column set when the row is made (UTC), never empty."""
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **column))


class Person(SQLModel, table=True):
    # AUTOINCREMENT on SQLite: an id is never given to a new person after its holder was forgotten
    # (anything keyed by the id, such as a ballot, must never pass on); PostgreSQL's sequence never reuses.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(default=None, index=True, unique=True)
    display_name: str | None = None
    # The CONFIRMED department: department-only polls and results open with it. It comes from
    # app.yaml (``people``, ``roles.communicators``), the comms lead or the department's
    # communicator; what a person says of themself is only ``department_proposed`` (migration 0004).
    department: str | None = None
    department_proposed: str | None = None
    language: str | None = None  # None: detect, else 'de' / 'en'
    # The language the platform reports ('de' / 'en'): messages the bot starts use it while
    # ``language`` is automatic.
    locale: str | None = Field(default=None, max_length=5)
    timezone: str | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    is_member: bool = False
    joined_at: datetime | None = ts()
    left_at: datetime | None = ts()
    is_guest: bool = False
    active: bool = True
    pseudonym: str = Field(default_factory=new_pseudonym, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    profile_checked_at: datetime | None = ts()


class Identity(SQLModel, table=True):
    """One person may be known on Slack, on Teams and in the shell."""

    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_identity_platform_user"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    platform: str
    user_id: str
    team_id: str | None = None


class Consent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    kind: str = "program"
    notice_version: int
    given_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    withdrawn_at: datetime | None = ts()


class RoleGrant(SQLModel, table=True):
    """A role given or taken away in chat by the comms lead; overrides app.yaml for that person."""

    __table_args__ = (UniqueConstraint("email", "role", "department", name="uq_rolegrant"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True)
    role: str
    department: str = ""
    granted: bool = True
    # The e-mail address of who changed it; their pseudonym once they said "forget me".
    changed_by: str | None = None
    changed_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class ProgramEvent(SQLModel, table=True):
    """Joins, leaves and other program facts; keeps a pseudonym, never a name."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    pseudonym: str
    at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), index=True))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class ProcessedEvent(SQLModel, table=True):
    """Incoming ids seen before: a platform's retry is recognised across restarts and replicas."""

    key: str = Field(primary_key=True, max_length=300)
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), index=True))


class InboundTask(SQLModel, table=True):
    """Work accepted before the platform's acknowledgement, finished after it."""

    id: int | None = Field(default=None, primary_key=True)
    event_key: str | None = Field(default=None, index=True)
    platform: str
    status: str = Field(default="pending", index=True)  # pending | done | failed
    attempts: int = 0
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    lease_until: datetime | None = ts()
    done_at: datetime | None = ts()


class ConversationRef(SQLModel, table=True):
    """Where to reach a person proactively (a Teams ConversationReference, a Slack DM)."""

    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_convref_platform_user"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    user_id: str
    conversation_id: str
    reference: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class Lease(SQLModel, table=True):
    """Which replica runs a scheduled job until when."""

    name: str = Field(primary_key=True, max_length=200)
    holder: str
    until: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class KeyCheck(SQLModel, table=True):
    """A fingerprint of the program key (bot/keys.py), never the key: replicas must share one key."""

    __tablename__ = "key_check"

    name: str = Field(primary_key=True, max_length=50)
    fingerprint: str = Field(max_length=64)


class FileLink(SQLModel, table=True):
    """A file the bot linked to (bot.files): the link's random id, never a secret of its own.

    The link in chat is ``<id>.<signature>``; the signature needs the program key, which is
    not in the database, so a reader of this table cannot open any file with what it holds.
    """

    __tablename__ = "file_link"

    id: str = Field(primary_key=True, max_length=64)
    # Relative to meetings.report_dir: a row (or a forged one) cannot point elsewhere on the disk.
    path: str = Field(max_length=1000)
    name: str = Field(max_length=300)
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
