"""Database engine, sessions and migrations.

SQLite (WAL) is the default and needs nothing installed; PostgreSQL comes in
through ``DATABASE_URL``. The schema is brought up to date by Alembic on start.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import KeyCheck

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Seconds to open a PostgreSQL connection (libpq's smallest; a URL's own connect_timeout wins)
# and to answer a health check.
CONNECT_TIMEOUT = 2
PING_TIMEOUT = 2.5


class DatabaseError(Exception):
    """The database cannot be used; the message says why, for the operator."""


def _masked(url: str) -> str:
    """The URL for an error message: the password stays out of logs and terminals."""
    return re.sub(r"(://[^/:@\s]*:)[^@/\s]*@", r"\1***@", url)


def _urls(url: str) -> tuple[str, str]:
    """(async url, sync url) for what a user writes: sqlite:///x.db, postgresql://..."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(
            f"database url {_masked(url)!r} is not valid; use sqlite:///ambassador.db or postgresql://user@host/db"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return (
            parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False),
            parsed.set(drivername="sqlite").render_as_string(hide_password=False),
        )
    if backend in ("postgresql", "postgres"):
        u = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return u, u
    raise DatabaseError(f"database url {_masked(url)!r}: only sqlite and postgresql are supported")


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.async_url, self.sync_url = _urls(url)
        self.is_sqlite = self.async_url.startswith("sqlite")
        # hide_parameters: statement values (message text, tokens) stay out of logs and error messages.
        kwargs: dict = {"pool_pre_ping": True, "hide_parameters": True}
        if self.is_sqlite:
            # A connection here is a thread and an open file with its pragmas: opening one for every
            # burst costs more than the statements it runs, so the pool keeps enough for busy times.
            # A file on the local disk does not go stale, so it is not pinged before each use.
            kwargs.update(pool_size=20, max_overflow=10, pool_pre_ping=False)
            kwargs["connect_args"] = {"timeout": 30}
        else:
            # At most 20, all kept once opened: an overflow connection is closed when returned, so a
            # busy replica would open one (and PostgreSQL start a backend) for every burst.
            kwargs.update(pool_size=20, max_overflow=0)
            if "connect_timeout" not in make_url(self.async_url).query:
                # libpq waits for ever by default: with the database unreachable (a failover, a
                # partition) every request would hang instead of failing within Slack's 3 seconds.
                kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
        self.engine: AsyncEngine = create_async_engine(self.async_url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            yield session

    async def ping(self) -> bool:
        try:
            # Bounded: a health check that hangs is no answer for the load balancer either.
            async with asyncio.timeout(PING_TIMEOUT), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # reported by /healthz, not raised
            log.warning("database ping failed", extra={"error": type(exc).__name__})
            return False

    async def check_key(self, fingerprint: str | None) -> None:
        """Remember the program key's fingerprint (bot/keys.py) on first use; refuse another key after.

        Two replicas with different keys would split anonymous ballots and file links between them.
        """
        if fingerprint is None:
            return
        async with self.session() as s:
            row = await s.get(KeyCheck, "program")
            if row is None:
                s.add(KeyCheck(name="program", fingerprint=fingerprint))
                try:
                    await s.commit()
                    return
                except IntegrityError:  # another replica wrote it first
                    await s.rollback()
                    row = await s.get(KeyCheck, "program")
            if row is not None and row.fingerprint != fingerprint:
                raise DatabaseError(
                    "this database was used with another program key (AMBASSADOR_SECRET or the key file "
                    ".ambassador.key): give every replica the same key. If the old key is lost for good, "
                    "'ambassador key replace' makes this one the database's key (votes in open anonymous "
                    "polls then count again when changed)."
                )

    async def replace_key(self, fingerprint: str) -> None:
        async with self.session() as s:
            row = await s.get(KeyCheck, "program")
            if row is None:
                s.add(KeyCheck(name="program", fingerprint=fingerprint))
            else:
                row.fingerprint = fingerprint
            await s.commit()

    async def scrub(self) -> None:
        """After a deletion ("forget me"): deleted rows leave the database file.

        SQLite zeroes deleted content (``secure_delete``, set on every connection), but the
        write-ahead log still holds the pages as they were until a checkpoint copies them back;
        TRUNCATE then empties the log file. PostgreSQL keeps dead row versions until VACUUM
        (docs/operations.md, "Forgetting a person"); nothing is done there.
        """
        if not self.is_sqlite:
            return
        for _ in range(20):
            async with self.engine.connect() as conn:
                busy = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            if busy is None or not busy[0]:
                return
            await asyncio.sleep(0.05)  # a reader holds an old snapshot: try again shortly
        log.warning("write-ahead log not checkpointed after a deletion; the next checkpoint clears it")

    async def upgrade(self) -> None:
        """Create or migrate the schema to the newest revision."""
        await asyncio.to_thread(upgrade_schema, self.sync_url)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers go on while one writer writes; busy_timeout waits for the
    # lock instead of failing at once when two tasks write together.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Deleted content is overwritten with zeros, so a forgotten person is not left in free pages.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def alembic_config(sync_url: str):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", sync_url.replace("%", "%%"))
    return cfg


def upgrade_schema(sync_url: str) -> None:
    if sync_url.startswith("sqlite:///"):
        path = sync_url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    try:
        # "heads": each capability's migrations form a branch from the core schema.
        command.upgrade(alembic_config(sync_url), "heads")
    except OperationalError as exc:
        raise DatabaseError(f"cannot reach the database: {str(exc.orig).strip().splitlines()[0]}") from None
