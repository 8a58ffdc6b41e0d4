"""The inbox's pieces: what an accepted event carries on its way into the database, and the group
commits' statements (built once per dialect), used by ``Core`` (bot/core.py).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, insert, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from bot.messages import Incoming, Profile, storable
from storage.models import ConversationRef, Identity, InboundTask, Person, ProcessedEvent, RoleGrant


@dataclass
class Inbound:
    """One accepted event on its way into the database (see Core._write_inbound)."""

    incoming: Incoming
    key: str | None
    payload: dict[str, Any]
    lease_until: datetime
    # (conversation id, reference) to keep for proactive messages (Teams' personal chats), upserted
    # in the same transaction: no transaction of its own per message, no write when unchanged.
    conversation: tuple[str, dict[str, Any]] | None = None


@dataclass
class Finished:
    """An answered (or failed) event's task to mark, with the next group commit."""

    task_id: int
    status: str
    error: str | None


@dataclass
class Prefetch:
    person: dict[str, Any]
    grants: list[tuple[str, str, bool]]
    at: float = field(default_factory=time.monotonic)


def refused_row(exc: Exception) -> bool:
    """The database refused what a batch held (a constraint, a value), not the connection: worth
    writing the batch's items one by one so that only the bad one fails."""
    return isinstance(exc, IntegrityError | DataError) or (
        isinstance(exc, StatementError) and not isinstance(exc, DBAPIError))


@dataclass(frozen=True)
class Statements:
    seen: Any  # ProcessedEvent rows; returns the keys that were new
    task: Any  # InboundTask rows; returns their ids in order
    finish: Any  # marks tasks (expanding "ids") done or failed
    conversation: Any  # upserts ConversationRef rows; an unchanged one is not written
    person: Any  # new Person rows; an address another replica created meanwhile is skipped; returns id, email
    identity: Any  # new Identity rows; one that exists already is skipped


@functools.cache
def inbox_statements(is_sqlite: bool) -> Statements:
    """The group commits' statements, built once per dialect: building one costs about what running it does."""
    events, tasks, refs = ProcessedEvent.__table__, InboundTask.__table__, ConversationRef.__table__
    people, identities = Person.__table__, Identity.__table__
    dialect_insert = sqlite.insert if is_sqlite else postgresql.insert
    upsert = dialect_insert(refs)
    return Statements(
        seen=dialect_insert(events).on_conflict_do_nothing(index_elements=["key"]).returning(events.c.key),
        task=insert(tasks).returning(tasks.c.id, sort_by_parameter_order=True),
        # The message text is not kept once the work is done.
        finish=update(tasks).where(tasks.c.id.in_(bindparam("ids", expanding=True))).values(
            status=bindparam("_status"), error=bindparam("_error"), done_at=bindparam("_at"), payload={},
            lease_until=None),
        # JSON has no equality in PostgreSQL: the serialised texts are compared (the same reference
        # serialises the same way; a spurious difference only costs a write).
        conversation=upsert.on_conflict_do_update(
            index_elements=["platform", "user_id"],
            set_={"conversation_id": upsert.excluded.conversation_id, "reference": upsert.excluded.reference,
                  "updated_at": upsert.excluded.updated_at},
            where=or_(refs.c.conversation_id != upsert.excluded.conversation_id,
                      cast(refs.c.reference, Text) != cast(upsert.excluded.reference, Text))),
        person=dialect_insert(people).on_conflict_do_nothing(index_elements=["email"])
        .returning(people.c.id, people.c.email),
        identity=dialect_insert(identities).on_conflict_do_nothing(index_elements=["platform", "user_id"]),
    )


@functools.cache
def people_and_grants() -> Any:
    """Persons by platform user id with their role grants (one row per grant), for ``platform``
    and the expanding ``users``. Built once: building it costs as much as running it."""
    people, identities, grants = Person.__table__, Identity.__table__, RoleGrant.__table__
    return (
        core_select(identities.c.user_id.label("_user"), *people.c, grants.c.role.label("_role"),
                    grants.c.department.label("_department"), grants.c.granted.label("_granted"))
        .select_from(identities.join(people, people.c.id == identities.c.person_id)
                     .outerjoin(grants, grants.c.email == func.lower(people.c.email)))
        .where(identities.c.platform == bindparam("platform"),
               identities.c.user_id.in_(bindparam("users", expanding=True)))
    )


def storable_profile(profile: Profile) -> bool:
    """Whether every text of a profile goes into a database column as it is (no NUL, no lone surrogate):
    a first contact written with its event must never make the event's own transaction fail."""
    return all(storable(v) is v for v in (profile.email, profile.name, profile.timezone) if isinstance(v, str))
