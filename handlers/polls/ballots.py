"""Ballots and the voter key: who voted stays unlinkable for anonymous polls; counting them."""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import select

from bot.config import Settings
from handlers.polls.config import NAMES_SHOWN
from handlers.polls.figures import ballot_counts_by_id
from storage.db import Database
from storage.models import Person
from storage.models_polls import Poll, PollBallot, PollVoter


class NoProgramKey(Exception):
    """Anonymous polls need the program key, which is not set up (bot/keys.py)."""


def ballot_secret(settings: Settings) -> bytes:
    """The key of the voter hashes, derived from the program key: never in the database."""
    if not settings.key.available:
        raise NoProgramKey
    return settings.key.derive("ballots")


def voter_key(secret: bytes, poll_id: int, person_id: int) -> str:
    return hmac.new(secret, f"{poll_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def person_key(settings: Settings, poll_id: int, person_id: int) -> str:
    """A person's ballot key in a poll: keyed with the program key (a plain hash where there is none,
    which only named polls accept: anonymous ones are refused without the key)."""
    return settings.key.digest("ballots", f"{poll_id}:{person_id}")


def seal_mask(settings: Settings, poll: Poll, key: str) -> int:
    """The pad over a sealed ballot's choices: stored = choices XOR mask, one mask per ballot.

    Whoever reads the database without the program key sees choices that are uniformly random
    bits, so neither a ballot's content nor its place among the rows (which follows the order of
    voting) says anything about a choice. Toggling an option stays one statement (XOR its bit).
    """
    if not poll.sealed:
        return 0
    digest = hmac.new(settings.key.derive("ballot seal"), f"{poll.id}:{key}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") & ((1 << len(poll.options)) - 1)


async def _sealed_counts(conn: AsyncConnection, settings: Settings, poll: Poll) -> Tally:
    """An open sealed poll's counts, unsealed in memory: the database never holds them."""
    out = Tally(counts=[0] * len(poll.options))
    rows = (await conn.execute(select(PollBallot.voter_key, PollBallot.choices)
                               .where(PollBallot.poll_id == poll.id))).all()
    for key, stored in rows:
        choices = int(stored) ^ seal_mask(settings, poll, key)
        if choices:
            out.voters += 1
            for i in range(len(poll.options)):
                if choices & (1 << i):
                    out.counts[i] += 1
    return out


@dataclass
class Tally:
    voters: int = 0
    counts: list[int] = field(default_factory=list)
    names: dict[int, list[str]] = field(default_factory=dict)


async def tally(db: Database, poll: Poll, *, with_names: bool, conn: AsyncConnection | None = None,
                settings: Settings | None = None) -> Tally:
    """The counts (and the first names) of a poll; on ``conn`` when given (a vote's own transaction).

    A sealed poll's counts are its kept totals once closed; while open they are unsealed with
    the program key from ``settings``.
    """
    if poll.sealed and poll.tally is not None:
        return Tally(voters=int(poll.tally.get("voters", 0)),
                     counts=[int(x) for x in poll.tally.get("counts", [])][: len(poll.options)])
    if conn is None:
        async with db.engine.connect() as own:
            return await tally(db, poll, with_names=with_names, conn=own, settings=settings)
    if poll.sealed:
        if settings is None or not settings.key.available:
            raise NoProgramKey
        return await _sealed_counts(conn, settings, poll)
    row = (await conn.execute(ballot_counts_by_id(), {"poll_ids": [poll.id]})).first()
    out = Tally()
    if row is not None:
        out.voters = int(row[1])
        out.counts = [int(x or 0) for x in row[2: 2 + len(poll.options)]]
    else:
        out.counts = [0] * len(poll.options)
    if with_names and not poll.anonymous and out.voters:
        rows = (await conn.execute(_first_voters(), {"_poll": poll.id, "_limit": NAMES_SHOWN * len(poll.options)})).all()
        for name, choices in rows:
            for i in range(len(poll.options)):
                if choices & (1 << i) and len(out.names.setdefault(i, [])) < NAMES_SHOWN:
                    out.names[i].append(name or "?")
    return out


async def cast_ballot(db: Database, poll: Poll, key: str, idx: int, *, conn: AsyncConnection | None = None,
                      mask: int = 0) -> int:
    """Record the choice in one statement (an upsert), so concurrent votes never lose or double one.

    Single choice: the new option replaces the old. Multiple choice: pressing an option toggles it.
    ``mask``: a sealed ballot's pad (seal_mask); XOR commutes with the toggle, so it stays one statement.
    Returns the voter's choices afterwards (a bit mask, unsealed).
    """
    stmt = _ballot_upsert(db.is_sqlite, poll.multi)
    params = {"_poll": poll.id, "_key": key, "_bit": 1 << idx, "_value": (1 << idx) ^ mask}
    if conn is not None:
        return int((await conn.execute(stmt, params)).scalar_one()) ^ mask
    async with db.engine.begin() as own:
        return int((await own.execute(stmt, params)).scalar_one()) ^ mask


async def _upsert_voter(s: Any, db: Database, poll_id: int, person_id: int, key: str, now: datetime) -> None:
    await s.execute(_voter_upsert(db.is_sqlite),
                    {"_poll": poll_id, "_person": person_id, "_key": key, "_at": now})


# Every vote runs these: they are built once per dialect (building one costs about as much as running it).


@functools.cache
def _ballot_upsert(is_sqlite: bool, multi: bool) -> Any:
    table = PollBallot.__table__
    bit = bindparam("_bit", type_=Integer)
    stmt = (sqlite.insert if is_sqlite else postgresql.insert)(table).values(
        poll_id=bindparam("_poll"), voter_key=bindparam("_key"), choices=bindparam("_value", type_=Integer))
    if multi:
        new = (table.c.choices.op("|")(bit)) - (table.c.choices.op("&")(bit))
    else:
        new = stmt.excluded.choices
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.poll_id, table.c.voter_key], set_={"choices": new})
    return stmt.returning(table.c.choices)


@functools.cache
def _voter_upsert(is_sqlite: bool) -> Any:
    table = PollVoter.__table__
    stmt = (sqlite.insert if is_sqlite else postgresql.insert)(table).values(
        poll_id=bindparam("_poll"), person_id=bindparam("_person"), voter_key=bindparam("_key"),
        voted_at=bindparam("_at"))
    return stmt.on_conflict_do_update(index_elements=[table.c.poll_id, table.c.person_id],
                                      set_={"voted_at": bindparam("_at"), "voter_key": bindparam("_key")})


@functools.cache
def _first_voters() -> Any:
    """The names shown on a named poll: the first voters with their choices (``_poll``, ``_limit``)."""
    return (
        select(Person.display_name, PollBallot.choices)
        .select_from(PollVoter)
        .join(Person, Person.id == PollVoter.person_id)
        .join(PollBallot, (PollBallot.poll_id == PollVoter.poll_id) & (PollBallot.voter_key == PollVoter.voter_key))
        .where(PollVoter.poll_id == bindparam("_poll"), PollBallot.choices != 0)
        .order_by(PollVoter.voted_at)
        .limit(bindparam("_limit"))
    )
