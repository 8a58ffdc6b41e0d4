"""The platform-neutral core: dedup, durable inbound work, people, roles, dispatch.

Adapters call ``accept`` before they acknowledge a platform request (the work is
then in the database), and ``run`` to answer it. A platform's retry is
recognised by its event id and answered never twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Text, bindparam, cast, delete, func, insert, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import select

from bot import ratelimit
from bot.config import Settings
from bot.groupcommit import GroupCommit
from bot.i18n import Translator, guess_language, normalize_language
from bot.keys import ProgramKeyError
from bot.messages import MAX_TEXT, Incoming, Profile, Reply, storable
from bot.metrics import Metrics
from bot.router import ALL_ROLES, BACKUP, COMMUNICATOR, CORE, EMPLOYEE, LEAD, MEMBER, Match, Router
from storage.db import Database
from storage.models import (
    ConversationRef,
    FileLink,
    Identity,
    InboundTask,
    Person,
    ProcessedEvent,
    ProgramEvent,
    RoleGrant,
    utcnow,
)

log = logging.getLogger("ambassador.core")

Send = Callable[[list[Reply]], Awaitable[None]]

# A task not finished this long after its lease began is taken up again
# (the process that held it stopped or crashed).
LEASE = timedelta(seconds=60)
RETRY_AFTER_SEND_FAILURE = timedelta(seconds=20)
# How often "the platform vouched for this person" is written down again.
PROFILE_RECHECK = timedelta(minutes=10)
# The person row and role grants read when an event was accepted serve its dispatch for this
# long (seconds); a dispatch that waited longer reads them again.
PREFETCH_FRESH = 5.0
# Where accept() leaves what it read for person_for() on the Incoming (not a dataclass field,
# so never stored or serialised).
_PREFETCH = "_ambassador_prefetch"


@dataclass
class _Inbound:
    """One accepted event on its way into the database (see Core._write_inbound)."""

    incoming: Incoming
    key: str | None
    payload: dict[str, Any]
    lease_until: datetime
    # (conversation id, reference) to keep for proactive messages (Teams' personal chats), upserted
    # in the same transaction: no transaction of its own per message, no write when unchanged.
    conversation: tuple[str, dict[str, Any]] | None = None


@dataclass
class _Finished:
    """An answered (or failed) event's task to mark, with the next group commit."""

    task_id: int
    status: str
    error: str | None


@dataclass
class _Prefetch:
    person: dict[str, Any]
    grants: list[tuple[str, str, bool]]
    at: float = field(default_factory=time.monotonic)


class ProactiveSender(Protocol):
    """What an adapter offers for messages the bot starts (recovery, nudges, alerts)."""

    async def send_to_conversation(self, conversation_id: str, replies: list[Reply], user_id: str | None) -> None: ...

    async def send_to_person(self, user_id: str, replies: list[Reply]) -> None: ...


class DeliveryError(Exception):
    """A message the bot started reached nobody; the message says why."""


@dataclass(frozen=True)
class Undelivered:
    """A message the bot started for someone while answering another person, that reached nobody."""

    person_id: int | None  # None: nobody with an account is known, only the address (``name``)
    not_opened: bool  # they have no chat with the bot yet (no account known, or none it may write to first)
    name: str | None = None  # how to name them when no person is known (an address app.yaml gives)


# The messages not delivered while the current message is answered: the sender is told in words (dispatch).
_UNDELIVERED: ContextVar[list[Undelivered] | None] = ContextVar("undelivered", default=None)
MAX_NAMED = 8  # people named in the note; the rest are counted


@dataclass
class Context:
    core: Core
    incoming: Incoming
    person: Person
    roles: frozenset[str]
    departments: tuple[str, ...]
    t: Translator
    args: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.core.settings

    @property
    def db(self) -> Database:
        return self.core.db

    @property
    def lang(self) -> str:
        return self.t.lang

    def has(self, *roles: str) -> bool:
        return LEAD in self.roles or bool(set(roles) & self.roles)


class Core:
    def __init__(self, settings: Settings, db: Database, router: Router) -> None:
        self.settings = settings
        self.db = db
        self.router = router
        self.senders: dict[str, ProactiveSender] = {}
        # Capabilities ask the core for the time, so tests can move the clock.
        self.clock: Callable[[], datetime] = utcnow
        # Per core, not prometheus_client's global registry: several apps in one process stay apart.
        self.metrics = Metrics()
        # Group commits (bot/groupcommit.py): under load a replica records the events it accepts,
        # and marks the ones it answered, many per transaction instead of one transaction each.
        # One writer for both: a busy replica's done-marks ride along with the next events it accepts.
        self._inbox: GroupCommit[_Inbound | _Finished, int | None] = GroupCommit(
            self._write_inbound, singly=_refused_row)
        # person id -> (valid until, email, grants) read with the person's event, for its dispatch.
        self._fresh_grants: dict[int, tuple[float, str, list[tuple[str, str, bool]]]] = {}
        self._marking: set[asyncio.Task[None]] = set()  # answers delivered, their "done" not stored yet
        # (platform, user id) -> the read of that person's conversation under way (conversation_of).
        self._reading_conversations: dict[tuple[str, str], asyncio.Future[ConversationRef | None]] = {}
        # In this replica's memory: bot/ratelimit.py says what is never limited, and why.
        self.limiter = ratelimit.RateLimiter(settings.app.limits.per_user_per_minute, registry=self.metrics.registry)
        router.texts(ratelimit.TEXTS)

    def now(self) -> datetime:
        return self.clock()

    # -- adapters -------------------------------------------------------

    def register_sender(self, platform: str, sender: ProactiveSender) -> None:
        self.senders[platform] = sender

    def language_of(self, person: Person | None) -> str:
        """The language of a message the bot starts to ``person``: theirs when set, else the one their
        platform reports, else the program's default."""
        if person is None:
            return self.settings.app.language.default
        return (normalize_language(person.language) or normalize_language(person.locale)
                or self.settings.app.language.default)

    def translator(self, lang: str | None) -> Translator:
        lang = normalize_language(lang) or self.settings.app.language.default
        return Translator(self.router.catalog, lang, self.settings.app.language.german_address)

    async def accept(self, incoming: Incoming, *,
                     conversation: tuple[str, dict[str, Any]] | None = None) -> int | None:
        """Record an incoming message before the platform is acknowledged.

        Returns the task id, or None when the event id was seen before (a retry
        or a redelivery): then nothing is stored and nothing is answered.
        ``conversation`` (conversation id, reference): where the sender can be reached
        proactively, kept as ``remember_conversation`` would, in the same transaction (a
        redelivery keeps it too).
        """
        self.metrics.received.labels(incoming.platform, incoming.source).inc()
        # Kept for days to drop retries: keyed, so the rows do not name a person's conversation
        # (a Teams activity id holds it) or line up with a platform's records of who pressed what.
        key = self.settings.key.digest("events", f"{incoming.platform}:{incoming.event_id}") \
            if incoming.event_id else None
        task_id = await self._inbox.submit(_Inbound(incoming, key, incoming.to_dict(), utcnow() + LEASE,
                                                    conversation))
        if task_id is None:
            log.info("duplicate delivery ignored", extra={"platform": incoming.platform, "event_id": incoming.event_id})
            self.metrics.event(incoming, "duplicate")
        return task_id

    async def _write_inbound(self, items: list[_Inbound | _Finished]) -> list[int | None]:
        """In one transaction: mark answered tasks done; record accepted events (their ids for the
        dedup, their tasks) and read their senders' person rows and role grants for the dispatch
        that follows the acknowledgement. Returns the new task ids (None: seen before, or a mark)."""
        statements = _statements(self.db.is_sqlite)
        now = utcnow()
        results: list[int | None] = [None] * len(items)
        positions: list[int] = []  # where in ``items`` each accepted event stands
        batch: list[_Inbound] = []
        finished: dict[tuple[str, str | None], list[int]] = {}
        for i, item in enumerate(items):
            if isinstance(item, _Inbound):
                positions.append(i)
                batch.append(item)
            else:
                finished.setdefault((item.status, item.error), []).append(item.task_id)
        references: dict[tuple[str, str], dict[str, Any]] = {}
        for item in batch:
            if item.conversation is not None and item.incoming.user_id:
                conversation_id, reference = item.conversation
                references[(item.incoming.platform, item.incoming.user_id)] = {
                    "platform": item.incoming.platform, "user_id": item.incoming.user_id,
                    "conversation_id": conversation_id, "reference": reference, "updated_at": now}
        async with self.db.engine.begin() as conn:
            for (status, error), ids in finished.items():
                await conn.execute(statements.finish, {"ids": sorted(ids), "_status": status, "_error": error,
                                                       "_at": now})
            if references:
                # Sorted: two replicas upserting the same people lock the rows in the same order.
                await conn.execute(statements.conversation, [references[k] for k in sorted(references)])
            fresh: set[str] = set()
            keys = list(dict.fromkeys(item.key for item in batch if item.key))
            if keys:
                # A key seen before (a retry, a redelivery, another replica's) is not inserted and not returned.
                fresh = set((await conn.execute(statements.seen, [{"key": k, "received_at": now} for k in keys]))
                            .scalars())
            take: list[int] = []
            for i, item in enumerate(batch):
                if item.key is None:
                    take.append(i)
                elif item.key in fresh:
                    fresh.discard(item.key)  # twice in one batch: the first one is the event
                    take.append(i)
            if take:
                rows = [{"platform": batch[i].incoming.platform, "event_key": batch[i].key,
                         "status": "pending", "attempts": 1, "payload": self.settings.key.seal(batch[i].payload),
                         "error": None,
                         "created_at": now, "lease_until": batch[i].lease_until, "done_at": None} for i in take]
                ids = (await conn.execute(statements.task, rows)).scalars().all()
                for i, task_id in zip(take, ids, strict=True):
                    results[positions[i]] = task_id
                await self._prefetch_people(conn, [batch[i].incoming for i in take])
        for key in references:
            self._reading_conversations.pop(key, None)  # a read begun before the commit may miss it
        return results

    async def _prefetch_people(self, conn: Any, incomings: list[Incoming]) -> None:
        """The person rows and role grants of the events' senders, one query per platform for the
        batch: the dispatch after the acknowledgement then needs no query of its own for them.
        Senders the bot has never seen are created here too (see _first_contacts)."""
        found = await self._read_people(conn, incomings)
        unknown = [i for i in incomings if i.user_id and (i.platform, i.user_id) not in found]
        if unknown and await self._first_contacts(conn, unknown):
            found |= await self._read_people(conn, unknown)
        for incoming in incomings:
            entry = found.get((incoming.platform, incoming.user_id))
            if entry is not None:
                incoming.__dict__[_PREFETCH] = entry

    async def _read_people(self, conn: Any, incomings: list[Incoming]) -> dict[tuple[str, str], _Prefetch]:
        users: dict[str, set[str]] = {}
        for incoming in incomings:
            if incoming.user_id:
                users.setdefault(incoming.platform, set()).add(incoming.user_id)
        columns = [c.key for c in Person.__table__.c]
        found: dict[tuple[str, str], _Prefetch] = {}
        for platform, ids in users.items():
            for row in (await conn.execute(_people_and_grants(), {"platform": platform, "users": sorted(ids)})).all():
                row = row._mapping
                entry = found.get((platform, row["_user"]))
                if entry is None:
                    entry = found[(platform, row["_user"])] = _Prefetch({k: row[k] for k in columns}, [])
                if row["_role"] is not None:
                    entry.grants.append((row["_role"], row["_department"], bool(row["_granted"])))
        return found

    async def _first_contacts(self, conn: Any, incomings: list[Incoming]) -> bool:
        """Senders without a person yet whose platform gave their address: their person (as person_for
        makes it, or the one known from the other platform by that address) and account, written with
        their events instead of in a transaction each (a burst of first contacts, such as employees
        reporting a crisis, would otherwise queue for SQLite's one writer). Whatever another replica
        created meanwhile is left alone (nothing is inserted twice); person_for finishes any sender
        not created here. True when an account was added."""
        wanted: dict[tuple[str, str], tuple[Incoming, str]] = {}
        for incoming in incomings:
            profile = incoming.profile
            if profile is None or profile.deleted or not profile.email or not _storable_profile(profile):
                continue  # person_for's own way: it knows what to do with them
            email = profile.email.strip().lower()
            if email:
                wanted.setdefault((incoming.platform, incoming.user_id), (incoming, email))
        if not wanted:
            return False
        statements = _statements(self.db.is_sqlite)
        people = Person.__table__
        emails = sorted({email for _, email in wanted.values()})
        ids = {row.email: row.id for row in (await conn.execute(
            core_select(people.c.id, people.c.email).where(people.c.email.in_(emails)))).all()}
        new: dict[str, dict[str, Any]] = {}
        for incoming, email in wanted.values():
            if email not in ids and email not in new:
                person = Person(email=email)
                _first_profile(person, incoming.profile)
                new[email] = person.model_dump(exclude={"id"})
        if new:
            for row in (await conn.execute(statements.person, [new[e] for e in sorted(new)])).all():
                ids[row.email] = row.id
        # Sorted, as the people above: two replicas writing the same accounts lock them in the same order.
        accounts = [{"person_id": ids[email], "platform": incoming.platform, "user_id": incoming.user_id,
                     "team_id": incoming.team_id} for _, (incoming, email) in sorted(wanted.items()) if email in ids]
        if accounts:
            await conn.execute(statements.identity, accounts)
        return bool(accounts)

    async def run(self, task_id: int | None, incoming: Incoming, send: Send,
                  *, replies: list[Reply] | None = None) -> list[Reply]:
        """Answer an accepted message and mark its task done.

        ``replies`` given: the handler ran before and only the delivery failed;
        send them again without running the handler twice.
        """
        started = time.perf_counter()
        if replies is None:
            try:
                replies = await self.dispatch(incoming)
            except Exception as exc:
                log.exception("handler failed", extra={"platform": incoming.platform, "task": task_id})
                self.metrics.event(incoming, "failed")
                await self._finish(task_id, "failed", f"{type(exc).__name__}: {exc}"[:500])
                t = self.translator(incoming.meta.get("lang") or incoming.locale)
                try:
                    await send([Reply(text=t("core.error"))])
                except Exception:
                    log.exception("could not tell the user about the failure", extra={"task": task_id})
                return []
        try:
            if replies:
                await send(replies)
        except Exception:
            self.metrics.delivery_failures.labels(incoming.platform).inc()
            await self._keep_replies(task_id, incoming, replies)
            raise
        self.metrics.answered(incoming, time.perf_counter() - started)
        try:
            await self._finish(task_id, "done")
        except Exception:
            # The answer is out; only its mark is missing (the database is away for a moment).
            # Left so, recovery would answer a second time once the lease runs out.
            self._finish_later(task_id)
        log.info(
            "answered",
            extra={
                "platform": incoming.platform,
                "source": incoming.source,
                "task": task_id,
                "replies": len(replies),
                "ms": round((time.perf_counter() - started) * 1000, 1),
                **({"text": incoming.text} if self.settings.app.privacy.log_message_text else {}),
            },
        )
        return replies

    async def _keep_replies(self, task_id: int | None, incoming: Incoming, replies: list[Reply]) -> None:
        """The handler's work is done but the platform did not take the answer: keep the
        answer so recovery delivers it later (the task stays pending)."""
        if task_id is None:
            return
        async with self.db.session() as s:
            await s.execute(
                update(InboundTask)
                .where(InboundTask.id == task_id)
                # A reply to be shown once (an anonymous choice) is not kept: better unseen than stored.
                .values(payload=self.settings.key.seal(
                    {**incoming.to_dict(), "replies": [r.to_dict() for r in replies if not r.transient]}),
                        lease_until=utcnow() + RETRY_AFTER_SEND_FAILURE, error="delivery failed")
            )
            await s.commit()

    async def handle(self, incoming: Incoming, send: Send, *,
                     conversation: tuple[str, dict[str, Any]] | None = None) -> list[Reply]:
        """accept + run, for adapters that answer in the same request (Teams, shell)."""
        task_id = await self.accept(incoming, conversation=conversation)
        if task_id is None:
            return []
        return await self.run(task_id, incoming, send)

    def _finish_later(self, task_id: int | None) -> None:
        """Mark a delivered answer done as soon as the database is back, while the lease still holds."""
        async def retry() -> None:
            deadline = time.monotonic() + LEASE.total_seconds() * 0.75
            delay = 0.25
            while time.monotonic() + delay < deadline:
                await asyncio.sleep(delay)
                try:
                    await self._finish(task_id, "done")
                    return
                except Exception:
                    delay = min(delay * 2, 5.0)
            log.error("answered, but not marked done: recovery may answer it again", extra={"task": task_id})

        task = asyncio.get_running_loop().create_task(retry())
        self._marking.add(task)
        task.add_done_callback(self._marking.discard)

    async def _finish(self, task_id: int | None, status: str, error: str | None = None) -> None:
        if task_id is None:
            return
        await self._inbox.submit(_Finished(task_id, status, error))

    async def recover(self) -> int:
        """Finish work that a stopped process had accepted but not answered."""
        now = utcnow()
        if not self.senders:
            return 0
        async with self.db.session() as s:
            rows = (
                await s.exec(
                    select(InboundTask.id)
                    .where(InboundTask.status == "pending", InboundTask.platform.in_(list(self.senders)))
                    .where(or_(InboundTask.lease_until.is_(None), InboundTask.lease_until < now))
                    .order_by(InboundTask.id)
                    .limit(100)
                )
            ).all()
        done = 0
        for task_id in rows:
            async with self.db.session() as s:
                # Claim it: only one replica wins the compare-and-set.
                claimed = await s.execute(
                    update(InboundTask)
                    .where(InboundTask.id == task_id, InboundTask.status == "pending")
                    .where(or_(InboundTask.lease_until.is_(None), InboundTask.lease_until < now))
                    .values(lease_until=utcnow() + LEASE, attempts=InboundTask.attempts + 1)
                )
                await s.commit()
                if claimed.rowcount != 1:
                    continue
                task = await s.get(InboundTask, task_id)
            if task is None:
                continue
            try:
                payload = self.settings.key.unseal(task.payload)
            except ProgramKeyError as exc:
                log.error("accepted work cannot be read: %s", exc, extra={"task": task_id})
                await self._finish(task_id, "failed", str(exc))
                continue
            if task.attempts > 5:
                self.metrics.events.labels(task.platform, str(payload.get("source", "message")), "failed").inc()
                await self._finish(task_id, "failed", "gave up after 5 attempts")
                continue
            kept = payload.pop("replies", None)
            incoming = Incoming.from_dict(payload)
            sender = self.senders[incoming.platform]
            try:
                await self.run(
                    task_id,
                    incoming,
                    lambda replies, inc=incoming, snd=sender: snd.send_to_conversation(
                        inc.conversation_id, replies, inc.user_id
                    ),
                    replies=[Reply.from_dict(r) for r in kept] if kept is not None else None,
                )
            except Exception:
                log.warning("recovered answer not delivered yet; trying again later", extra={"task": task_id})
                continue
            done += 1
        return done

    async def purge(self) -> None:
        """Forget delivery ids after a while, and program records after the retention period."""
        keep = timedelta(hours=self.settings.app.events.keep_hours)
        retention = timedelta(days=self.settings.app.privacy.retention_days)
        async with self.db.session() as s:
            await s.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < utcnow() - keep))
            await s.execute(
                delete(InboundTask).where(InboundTask.status != "pending", InboundTask.done_at < utcnow() - keep)
            )
            await s.execute(delete(ProgramEvent).where(ProgramEvent.at < utcnow() - retention))
            # A day past expiry an old file link is answered "unknown" instead of "expired"; the row has no use left.
            await s.execute(delete(FileLink).where(FileLink.expires_at < self.now() - timedelta(days=1)))
            await s.commit()

    # -- people ---------------------------------------------------------

    async def person_for(self, incoming: Incoming, _retry: int = 2) -> Person:
        """The person behind a platform user, created on first contact.

        A button press or a form (an anonymous vote, anonymous feedback) writes nothing to the
        person's row unless they became a guest or left: a write at that moment would time-stamp
        the act for whoever reads the database. Names and the profile check wait for a message.
        """
        profile = incoming.profile
        quiet = incoming.source == "action"
        prefetched = incoming.__dict__.pop(_PREFETCH, None)
        if prefetched is not None and time.monotonic() - prefetched.at <= PREFETCH_FRESH:
            person = _unchanged_person(prefetched.person, profile, quiet=quiet)
            if person is not None:
                # Read with the event's acceptance and nothing to write: no query of its own.
                self._keep_grants(person, prefetched)
                return person
        async with self.db.session() as s:
            row = (
                await s.exec(
                    select(Person)
                    .join(Identity, Identity.person_id == Person.id)
                    .where(Identity.platform == incoming.platform, Identity.user_id == incoming.user_id)
                )
            ).first()
            email = profile.email.strip().lower() if profile and profile.email else None
            if row is None and email:
                # Known already from the other platform: one person, two ids.
                row = (await s.exec(select(Person).where(Person.email == email))).first()
                if row is not None:
                    s.add(Identity(person_id=row.id, platform=incoming.platform, user_id=incoming.user_id,
                                   team_id=incoming.team_id))
            created = row is None
            if row is None:
                row = Person(email=email)
                if profile:
                    # Written with the insert: a first contact is one INSERT, not an INSERT and an UPDATE.
                    _first_profile(row, profile)
                s.add(row)
                try:
                    await s.flush()
                except IntegrityError:
                    # The same address's first message on another replica (or platform) won.
                    await s.rollback()
                    if not _retry:
                        raise
                    return await self.person_for(incoming, _retry - 1)
                s.add(Identity(person_id=row.id, platform=incoming.platform, user_id=incoming.user_id,
                               team_id=incoming.team_id))
            if profile and not (quiet and not created):
                if email and not row.email:
                    row.email = email
                if profile.name:
                    row.display_name = profile.name
                if profile.timezone and not row.timezone:
                    row.timezone = profile.timezone
                locale = normalize_language(profile.locale)
                if locale and row.locale != locale:
                    row.locale = locale
            if profile:
                if profile.is_guest is not None or profile.is_external is not None:
                    # None means the platform could not tell: keep what we knew.
                    row.is_guest = bool(profile.is_guest) or bool(profile.is_external)
                checked = row.profile_checked_at
                if checked is not None and checked.tzinfo is None:
                    checked = checked.replace(tzinfo=UTC)  # SQLite hands back naive UTC
                if checked is None or (utcnow() - checked > PROFILE_RECHECK and not quiet):
                    row.profile_checked_at = utcnow()
                if profile.deleted and row.active:
                    await self._leave(s, row, reason="deactivated")
                    row.active = False
                elif not profile.deleted:
                    row.active = True
            if not s.new and not any(s.is_modified(o) for o in s.dirty):
                return row  # nothing changed: no write on every message
            try:
                await s.commit()
            except IntegrityError:
                # Two first messages of the same person at once: the other one won.
                await s.rollback()
                if not _retry:
                    raise
                return await self.person_for(incoming, _retry - 1)
            return row

    async def roles_of(self, person: Person) -> tuple[frozenset[str], tuple[str, ...]]:
        """The person's roles and, for communicators, their departments.

        Guests, and people the platform has not told us about yet, have none.
        """
        if person.is_guest or person.profile_checked_at is None:
            return frozenset(), ()
        roles = {EMPLOYEE}
        departments: list[str] = []
        if person.is_member:
            roles.add(MEMBER)
        email = (person.email or "").lower()
        if not email:
            return frozenset(roles), ()
        cfg = self.settings.app.roles
        granted: set[tuple[str, str]] = set()
        if cfg.comms_lead and cfg.comms_lead.lower() == email:
            granted.add((LEAD, ""))
        if any(b.lower() == email for b in cfg.backup):
            granted.add((BACKUP, ""))
        for c in cfg.communicators:
            if c.email.lower() == email:
                granted.add((COMMUNICATOR, c.department))
        if any(m.lower() == email for m in cfg.core_group):
            granted.add((CORE, ""))
        fresh = self._fresh_grants.pop(person.id, None) if person.id is not None else None
        if fresh is not None and fresh[0] >= time.monotonic() and fresh[1] == email:
            rows = fresh[2]  # read with this person's event moments ago (see accept)
        else:
            async with self.db.session() as s:
                rows = [(g.role, g.department, g.granted)
                        for g in (await s.exec(select(RoleGrant).where(RoleGrant.email == email))).all()]
        for role, department, is_granted in rows:
            key = (role, department)
            if is_granted:
                granted.add(key)
            else:
                granted.discard(key)
        for role, dept in granted:
            roles.add(role)
            if role == COMMUNICATOR and dept:
                departments.append(dept)
        return frozenset(roles), tuple(sorted(departments))

    def _keep_grants(self, person: Person, prefetched: _Prefetch) -> None:
        if person.id is None or not person.email:
            return
        now = time.monotonic()
        if len(self._fresh_grants) > 10_000:
            # Events whose dispatch never asked for roles (too long, unknown) leave theirs behind.
            self._fresh_grants = {k: v for k, v in self._fresh_grants.items() if v[0] >= now}
        self._fresh_grants[person.id] = (prefetched.at + PREFETCH_FRESH, person.email.lower(), prefetched.grants)

    async def _leave(self, s, person: Person, reason: str) -> None:
        from storage.models import Consent

        if person.is_member:
            person.is_member = False
            person.left_at = utcnow()
            s.add(ProgramEvent(kind="leave", person_id=person.id, pseudonym=person.pseudonym, data={"reason": reason}))
        for c in (await s.exec(select(Consent).where(Consent.person_id == person.id, Consent.withdrawn_at.is_(None)))).all():
            c.withdrawn_at = utcnow()

    async def leave(self, person: Person, reason: str = "leave") -> None:
        async with self.db.session() as s:
            row = await s.get(Person, person.id)
            if row is not None:
                await self._leave(s, row, reason)
                await s.commit()
                person.is_member, person.left_at = row.is_member, row.left_at

    async def deactivate(self, platform: str, user_id: str) -> bool:
        """A user deactivated or removed on the platform leaves the program at once."""
        async with self.db.session() as s:
            row = (
                await s.exec(
                    select(Person)
                    .join(Identity, Identity.person_id == Person.id)
                    .where(Identity.platform == platform, Identity.user_id == user_id)
                )
            ).first()
            if row is None:
                return False
            await self._leave(s, row, reason="deactivated")
            row.active = False
            await s.commit()
            log.info("person deactivated on platform", extra={"platform": platform, "pseudonym": row.pseudonym})
            return True

    async def remember_conversation(self, platform: str, user_id: str, conversation_id: str,
                                    reference: dict[str, Any]) -> None:
        """Keep where a person can be reached proactively (a Teams ConversationReference)."""
        try:
            await self._remember_conversation(platform, user_id, conversation_id, reference)
        finally:
            self._reading_conversations.pop((platform, user_id), None)  # a read begun before may miss it

    async def _remember_conversation(self, platform: str, user_id: str, conversation_id: str,
                                     reference: dict[str, Any]) -> None:
        async with self.db.session() as s:
            row = (
                await s.exec(
                    select(ConversationRef).where(ConversationRef.platform == platform, ConversationRef.user_id == user_id)
                )
            ).first()
            if row is None:
                s.add(ConversationRef(platform=platform, user_id=user_id, conversation_id=conversation_id,
                                      reference=reference))
            elif row.reference != reference or row.conversation_id != conversation_id:
                row.reference, row.conversation_id, row.updated_at = reference, conversation_id, utcnow()
            else:
                return
            try:
                await s.commit()
            except IntegrityError:
                await s.rollback()

    async def conversation_of(self, platform: str, user_id: str) -> ConversationRef | None:
        """Where a person can be reached proactively. Callers asking for the same person while a read
        is under way share it (many alerts to one lead at once need one read, not one each); a caller
        arriving after it finished reads again, so nothing older than a read in flight is returned."""
        key = (platform, user_id)
        reading = self._reading_conversations.get(key)
        if reading is None or reading.get_loop() is not asyncio.get_running_loop():
            reading = asyncio.ensure_future(self._read_conversation(platform, user_id))
            self._reading_conversations[key] = reading
            reading.add_done_callback(lambda done: self._reading_conversations.pop(key, None)
                                      if self._reading_conversations.get(key) is done else None)
        return await asyncio.shield(reading)

    async def _read_conversation(self, platform: str, user_id: str) -> ConversationRef | None:
        async with self.db.session() as s:
            return (
                await s.exec(
                    select(ConversationRef).where(ConversationRef.platform == platform, ConversationRef.user_id == user_id)
                )
            ).first()

    # -- messages the bot starts ---------------------------------------

    async def notify(self, person_id: int, replies: list[Reply], *,
                     identities: list[Identity] | None = None) -> str:
        """Send to a person's direct chat on the first platform that takes it.

        Returns the platform that delivered; raises DeliveryError naming each
        platform's failure when none did. ``identities``: the person's, read by the
        caller moments ago (many messages to one person at once need not read them each).
        """
        if identities is None:
            async with self.db.session() as s:
                identities = (await s.exec(select(Identity).where(Identity.person_id == person_id))).all()
        failures: list[str] = []
        not_opened = True
        for ident in identities:
            sender = self.senders.get(ident.platform)
            if sender is None:
                continue
            try:
                await sender.send_to_person(ident.user_id, replies)
                return ident.platform
            except Exception as exc:
                failures.append(f"{ident.platform}: {exc}")
                log.warning("proactive message failed", extra={"platform": ident.platform, "error": str(exc)[:200]})
                not_opened = not_opened and await self._not_opened(ident)
        if not failures:
            failures.append("no Slack or Teams account of this person is known")
        self.note_undelivered(person_id, not_opened)
        raise DeliveryError("; ".join(failures))

    async def _not_opened(self, ident: Identity) -> bool:
        """Whether a failed send is the person's not having a chat with the bot yet: on Teams a bot may
        write only to someone who has a conversation with it (installed the app, said hello)."""
        if ident.platform != "teams":
            return False
        try:
            return await self.conversation_of(ident.platform, ident.user_id) is None
        except Exception:
            return False

    @staticmethod
    def note_undelivered(person_id: int | None, not_opened: bool, name: str | None = None) -> None:
        """A message for ``person_id`` did not arrive: while a person's message is answered, the answer
        tells them so in words (notify and notify_file call this; a capability that gives up on a
        recipient before calling them does too). Outside an answer (a scheduled job) it does nothing."""
        pending = _UNDELIVERED.get()
        if pending is not None and all((u.person_id, u.name) != (person_id, name) for u in pending):
            pending.append(Undelivered(person_id, not_opened, name))

    async def undelivered_note(self, undelivered: list[Undelivered], t: Translator) -> str:
        """The sender's words for what did not arrive: whom, why, what happens next."""
        async with self.db.session() as s:
            ids = [u.person_id for u in undelivered if u.person_id is not None]
            rows = (await s.exec(select(Person).where(Person.id.in_(ids)))).all() if ids else []
        names = {p.id: p.display_name or (p.email or "").split("@")[0] or t("core.undelivered.someone") for p in rows}
        parts = []
        for not_opened, key in ((True, "core.undelivered.not_opened"), (False, "core.undelivered.failed")):
            who = [u.name or names.get(u.person_id) or t("core.undelivered.someone") for u in undelivered
                   if u.not_opened == not_opened]
            if not who:
                continue
            listed = ", ".join(who[:MAX_NAMED])
            if len(who) > MAX_NAMED:
                listed += " " + t("core.undelivered.more", n=len(who) - MAX_NAMED)
            parts.append(t(key, n=len(who), names=listed))
        return "\n".join(parts)

    async def notify_file(self, person_id: int, path: str | Path, title: str, comment: str) -> str:
        """Send a file from the bot's disk to a person's direct chat, like ``notify``.

        Returns the platform that delivered; raises DeliveryError naming each
        platform's failure (a sender without ``send_file`` counts as one).
        """
        async with self.db.session() as s:
            identities = (await s.exec(select(Identity).where(Identity.person_id == person_id))).all()
        failures: list[str] = []
        for ident in identities:
            sender = self.senders.get(ident.platform)
            if sender is None:
                continue
            send_file = getattr(sender, "send_file", None)
            if send_file is None:
                failures.append(f"{ident.platform}: cannot send files")
                continue
            try:
                await send_file(ident.user_id, path, title, comment)
                return ident.platform
            except Exception as exc:
                failures.append(f"{ident.platform}: {exc}")
                log.warning("file not delivered", extra={"platform": ident.platform, "error": str(exc)[:200]})
        if not failures:
            failures.append("no Slack or Teams account of this person is known")
        self.note_undelivered(person_id, not_opened=len(failures) == 1 and failures[0].startswith("no Slack or Teams"))
        raise DeliveryError("; ".join(failures))

    async def person_by_email(self, email: str) -> Person | None:
        """The person with this address; found on the platforms (Slack users.lookupByEmail)
        and remembered when they never wrote to the bot."""
        email = email.strip().lower()
        async with self.db.session() as s:
            person = (await s.exec(select(Person).where(Person.email == email))).first()
            if person is not None:
                has_identity = (
                    await s.exec(select(Identity).where(Identity.person_id == person.id,
                                                        Identity.platform.in_(list(self.senders) or [""])))
                ).first()
                if has_identity is not None:
                    return person
        for platform, sender in self.senders.items():
            resolve = getattr(sender, "resolve_email", None)
            if resolve is None:
                continue
            try:
                user_id = await resolve(email)
            except Exception as exc:
                log.warning("e-mail lookup failed", extra={"platform": platform, "error": str(exc)[:200]})
                continue
            if user_id:
                return await self.person_for(
                    Incoming(platform=platform, user_id=user_id, conversation_id=user_id, profile=Profile(email=email))
                )
        return person

    async def notify_email(self, email: str, replies: list[Reply]) -> str:
        person = await self.person_by_email(email)
        if person is None:
            raise DeliveryError(f"nobody with the address {email} is known on Slack or Teams")
        return await self.notify(person.id, replies)

    # -- dispatch -------------------------------------------------------

    def _language(self, incoming: Incoming, person: Person, command_lang: str | None) -> str:
        return (
            normalize_language(person.language)
            or normalize_language(incoming.values.get("_lang"))  # a button answers in its message's language
            or command_lang
            or (guess_language(incoming.text) if incoming.text else None)
            or normalize_language(incoming.locale)
            or normalize_language(incoming.profile.locale if incoming.profile else None)
            or self.settings.app.language.default
        )

    def _rate_limited(self, incoming: Incoming, person: Person, match: Match | None,
                      t: Translator) -> list[Reply] | None:
        """None: go on. Else the answer to a message over the person's rate limit (one warning, then nothing)."""
        if (incoming.platform in ratelimit.UNCOUNTED_PLATFORMS or incoming.source in ratelimit.UNCOUNTED_SOURCES
                or ratelimit.never_limited(match.route.name if match else None)):
            return None
        # Per person, not per account: the same person on Slack and Teams shares one allowance.
        decision = self.limiter.check(f"person:{person.id}", self.now())
        if decision == "ok":
            return None
        self.limiter.record(incoming.platform, decision)
        if decision == "drop":
            return []
        log.info("rate limit reached; further messages this minute are not answered",
                 extra={"platform": incoming.platform, "pseudonym": person.pseudonym,
                        "limit": self.limiter.per_window})
        return [Reply(text=t("ratelimit.slow_down"), private=True)]

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        person = await self.person_for(incoming)
        match = None
        too_long = len(incoming.text) > MAX_TEXT
        if not too_long:
            match = self.router.match(incoming)
        else:
            # Read only as far as the limit; a route that takes long texts gets all of it.
            match = self.router.match(dataclasses.replace(incoming, text=incoming.text[:MAX_TEXT]))
            if match is not None and match.route.long_text:
                too_long = False
            else:
                match = None
        t = self.translator(self._language(incoming, person, match.language if match else None))
        if (limited := self._rate_limited(incoming, person, match, t)) is not None:
            return limited
        if too_long:
            return [Reply(text=t("core.too_long", length=f"{len(incoming.text):,}", limit=f"{MAX_TEXT:,}"))]
        if incoming.action_id is None and not incoming.text.strip():
            if incoming.attachments:
                names = ", ".join(a.name for a in incoming.attachments)
                return [Reply(text=t("core.attachment", names=names))]
            return [Reply(text=t("core.empty"))]
        if match is None:
            if incoming.action_id:
                return [Reply(text=t("core.unknown_action"))]
            return [Reply(text=t("core.unknown", text=_clip(incoming.text)))]
        roles, departments = await self.roles_of(person)
        ctx = Context(core=self, incoming=incoming, person=person, roles=roles, departments=departments, t=t,
                      args=match.args)
        incoming.meta["lang"] = t.lang
        if not person.active:
            return [Reply(text=t("core.inactive"))]
        if not match.route.allowed(roles):
            if person.profile_checked_at is None and match.route.roles:
                # The platform could not tell us who this is yet (a failed lookup):
                # no employee-only command until it can.
                return [Reply(text=t("core.unverified"), private=True)]
            if person.is_guest:
                key = "core.guest_refused_button" if incoming.action_id else "core.guest_refused"
            else:
                key = "core.role_refused_button" if incoming.action_id else "core.role_refused"
            # A button has no command word a person would know: it is named by what it is.
            return [Reply(text=t(key, command=_command_word(match.route, t.lang), roles=_role_names(match.route, t)))]
        undelivered: list[Undelivered] = []
        token = _UNDELIVERED.set(undelivered)
        try:
            result = await match.route.handler(ctx, incoming)
        finally:
            _UNDELIVERED.reset(token)
        replies = [] if result is None else result if isinstance(result, list) else [result]
        if undelivered:
            # What the bot sent for this sender and could not deliver is told in words, never only logged.
            note = await self.undelivered_note(undelivered, t)
            if replies and not replies[-1].transient:
                replies[-1].text = f"{replies[-1].text}\n\n{note}" if replies[-1].text else note
            else:
                replies.append(Reply(text=note))
        for reply in replies:
            if incoming.source == "shortcut" or (match.route.personal and not incoming.is_direct):
                # "Check before posting" on a channel message concerns the asker only.
                reply.private = True
            for button in reply.buttons:
                if not button.url:
                    button.value.setdefault("_lang", t.lang)
        return replies


def _refused_row(exc: Exception) -> bool:
    """The database refused what a batch held (a constraint, a value), not the connection: worth
    writing the batch's items one by one so that only the bad one fails."""
    return isinstance(exc, IntegrityError | DataError) or (
        isinstance(exc, StatementError) and not isinstance(exc, DBAPIError))


@dataclass(frozen=True)
class _Statements:
    seen: Any  # ProcessedEvent rows; returns the keys that were new
    task: Any  # InboundTask rows; returns their ids in order
    finish: Any  # marks tasks (expanding "ids") done or failed
    conversation: Any  # upserts ConversationRef rows; an unchanged one is not written
    person: Any  # new Person rows; an address another replica created meanwhile is skipped; returns id, email
    identity: Any  # new Identity rows; one that exists already is skipped


@functools.cache
def _statements(is_sqlite: bool) -> _Statements:
    """The group commits' statements, built once per dialect: building one costs about what running it does."""
    events, tasks, refs = ProcessedEvent.__table__, InboundTask.__table__, ConversationRef.__table__
    people, identities = Person.__table__, Identity.__table__
    dialect_insert = sqlite.insert if is_sqlite else postgresql.insert
    upsert = dialect_insert(refs)
    return _Statements(
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
def _people_and_grants() -> Any:
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


def _storable_profile(profile: Profile) -> bool:
    """Whether every text of a profile goes into a database column as it is (no NUL, no lone surrogate):
    a first contact written with its event must never make the event's own transaction fail."""
    return all(storable(v) is v for v in (profile.email, profile.name, profile.timezone) if isinstance(v, str))


def _first_profile(row: Person, profile: Profile) -> None:
    """What person_for's profile update below sets on a new row, set before its insert."""
    if profile.name:
        row.display_name = profile.name
    if profile.timezone:
        row.timezone = profile.timezone
    row.locale = normalize_language(profile.locale)
    if profile.is_guest is not None or profile.is_external is not None:
        row.is_guest = bool(profile.is_guest) or bool(profile.is_external)
    row.profile_checked_at = utcnow()
    if not profile.deleted:
        row.active = True


def _unchanged_person(row: dict[str, Any], profile: Profile | None, *, quiet: bool = False) -> Person | None:
    """The person of a row read at acceptance, or None when the profile brings news to write
    (person_for's full path then writes it, as it does on first contact)."""
    if profile:
        email = profile.email.strip().lower() if profile.email else None
        if not quiet and ((email and not row["email"]) or (profile.name and row["display_name"] != profile.name)):
            return None
        if not quiet and profile.timezone and not row["timezone"]:
            return None
        locale = normalize_language(profile.locale)
        if not quiet and locale and row.get("locale") != locale:
            return None
        if (profile.is_guest is not None or profile.is_external is not None) and bool(row["is_guest"]) != (
            bool(profile.is_guest) or bool(profile.is_external)
        ):
            return None
        checked = row["profile_checked_at"]
        if checked is not None and checked.tzinfo is None:
            checked = checked.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        if checked is None or (utcnow() - checked > PROFILE_RECHECK and not quiet):
            return None
        if bool(profile.deleted) == bool(row["active"]):
            return None  # deactivated now, or back again
    person = Person(**row)
    # As if loaded by a session that has closed, like the rows person_for's full path returns.
    make_transient_to_detached(person)
    return person


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _command_word(route, lang: str) -> str:
    words = route.words.get(lang) or route.words.get("en") or [route.name]
    return words[0] if words else route.name


def _role_names(route, t: Translator) -> str:
    names = [t(f"role.{r}") for r in ALL_ROLES if route.roles and r in route.roles]
    return t("core.or").join(names) if names else ""


CORE_TEXTS = {
    **ratelimit.TEXTS,
    "core.error": {
        "en": "Sorry, something went wrong on my side; the team has it in the log. Please try again in a moment.",
        "de": {"du": "Entschuldige, bei mir ist etwas schiefgegangen; das Team sieht es im Protokoll. Versuch es bitte gleich noch einmal.",
               "sie": "Entschuldigung, bei mir ist etwas schiefgegangen; das Team sieht es im Protokoll. Bitte versuchen Sie es gleich noch einmal."},
    },
    "core.undelivered.not_opened": {
        "en": "Not delivered to {names}: they have not opened a chat with me yet, and I may not write first. "
              "Once they open Ambassador in their chat app and say hello, my messages reach them; "
              "until then, please tell them yourself.",
        "de": {"du": "Nicht zugestellt an {names}: sie haben noch keinen Chat mit mir geöffnet, und ich darf nicht zuerst "
                     "schreiben. Sobald sie Ambassador in ihrer Chat-App öffnen und Hallo sagen, erreichen sie meine "
                     "Nachrichten; bis dahin sag es ihnen bitte selbst.",
               "sie": "Nicht zugestellt an {names}: sie haben noch keinen Chat mit mir geöffnet, und ich darf nicht zuerst "
                      "schreiben. Sobald sie Ambassador in ihrer Chat-App öffnen und Hallo sagen, erreichen sie meine "
                      "Nachrichten; bis dahin sagen Sie es ihnen bitte selbst."},
    },
    "core.undelivered.failed": {
        "en": "Not delivered to {names}: their chat platform did not take the message. "
              "It is not lost for the team (it is in the log), but they have not seen it: please tell them yourself.",
        "de": {"du": "Nicht zugestellt an {names}: ihre Chat-Plattform hat die Nachricht nicht angenommen. "
                     "Das Team sieht es im Protokoll, aber sie haben sie nicht gesehen: sag es ihnen bitte selbst.",
               "sie": "Nicht zugestellt an {names}: ihre Chat-Plattform hat die Nachricht nicht angenommen. "
                      "Das Team sieht es im Protokoll, aber sie haben sie nicht gesehen: sagen Sie es ihnen bitte selbst."},
    },
    "core.undelivered.more": {"en": "and {n} more", "de": "und {n} weitere"},
    "core.undelivered.someone": {"en": "someone", "de": "jemand"},
    "core.too_long": {
        "en": "Your message has {length} characters; I read at most {limit}. Please send a shorter text (a draft post fits easily).",
        "de": {"du": "Deine Nachricht hat {length} Zeichen; ich lese höchstens {limit}. Schick bitte einen kürzeren Text (ein Post-Entwurf passt locker).",
               "sie": "Ihre Nachricht hat {length} Zeichen; ich lese höchstens {limit}. Bitte senden Sie einen kürzeren Text (ein Post-Entwurf passt locker)."},
    },
    "core.empty": {
        "en": "Your message was empty. Type *help* to see what I can do.",
        "de": {"du": "Deine Nachricht war leer. Schreib *hilfe*, um zu sehen, was ich kann.",
               "sie": "Ihre Nachricht war leer. Schreiben Sie *hilfe*, um zu sehen, was ich kann."},
    },
    "core.attachment": {
        "en": "I can't read attachments ({names}). Please paste the text of your post or question as a message.",
        "de": {"du": "Anhänge kann ich nicht lesen ({names}). Füge den Text deines Posts oder deine Frage bitte als Nachricht ein.",
               "sie": "Anhänge kann ich nicht lesen ({names}). Bitte fügen Sie den Text Ihres Posts oder Ihre Frage als Nachricht ein."},
    },
    "core.unknown": {
        "en": "I don't know “{text}”. Type *help* to see what I can do.",
        "de": {"du": "„{text}“ kenne ich nicht. Schreib *hilfe*, um zu sehen, was ich kann.",
               "sie": "„{text}“ kenne ich nicht. Schreiben Sie *hilfe*, um zu sehen, was ich kann."},
    },
    "core.unknown_action": {
        "en": "That button no longer works. Type *help* to start again.",
        "de": {"du": "Dieser Knopf funktioniert nicht mehr. Schreib *hilfe*, um neu anzufangen.",
               "sie": "Dieser Knopf funktioniert nicht mehr. Schreiben Sie *hilfe*, um neu anzufangen."},
    },
    "core.role_refused": {
        "en": "Only {roles} can use “{command}”. If you think you should, ask the comms lead.",
        "de": {"du": "„{command}“ dürfen nur {roles} verwenden. Wenn du meinst, dass du es brauchst, frag die Kommunikationsleitung.",
               "sie": "„{command}“ dürfen nur {roles} verwenden. Wenn Sie meinen, dass Sie es brauchen, wenden Sie sich an die Kommunikationsleitung."},
    },
    "core.role_refused_button": {
        "en": "Only {roles} can use this button. If you think you should, ask the comms lead.",
        "de": {"du": "Diesen Knopf dürfen nur {roles} verwenden. Wenn du meinst, dass du ihn brauchst, frag die Kommunikationsleitung.",
               "sie": "Diesen Knopf dürfen nur {roles} verwenden. Wenn Sie meinen, dass Sie ihn brauchen, wenden Sie sich an die Kommunikationsleitung."},
    },
    "core.guest_refused_button": {
        "en": "Guests and people from other organisations can't use this button: the ambassador program is for employees only.",
        "de": "Gäste und Personen aus anderen Organisationen können diesen Knopf nicht verwenden: Das Botschafterprogramm ist nur für Beschäftigte.",
    },
    "core.guest_refused": {
        "en": "Guests and people from other organisations can't use “{command}”: the ambassador program is for employees only.",
        "de": "Gäste und Personen aus anderen Organisationen können „{command}“ nicht verwenden: Das Botschafterprogramm ist nur für Beschäftigte.",
    },
    "core.unverified": {
        "en": "I couldn't check your account with the chat platform just now, so I can't do that yet. Please try again in a minute.",
        "de": {"du": "Ich konnte dein Konto gerade nicht bei der Chat-Plattform prüfen, daher geht das noch nicht. Versuch es bitte in einer Minute noch einmal.",
               "sie": "Ich konnte Ihr Konto gerade nicht bei der Chat-Plattform prüfen, daher geht das noch nicht. Bitte versuchen Sie es in einer Minute noch einmal."},
    },
    "core.inactive": {
        "en": "This account is deactivated, so I can't do that.",
        "de": "Dieses Konto ist deaktiviert, daher kann ich das nicht tun.",
    },
    "core.or": {"en": " or ", "de": " oder "},
    "role.employee": {"en": "employees", "de": "Beschäftigte"},
    "role.member": {"en": "program members", "de": "Programm-Mitglieder"},
    "role.core": {"en": "the core ambassador group", "de": "die Botschafter-Kerngruppe"},
    "role.communicator": {"en": "department communicators", "de": "Abteilungskommunikator*innen"},
    "role.backup": {"en": "the comms lead's backup", "de": "die Vertretung der Kommunikationsleitung"},
    "role.lead": {"en": "the comms lead", "de": "die Kommunikationsleitung"},
    # One person's role, as in "Your role: ..." or "x is now ...".
    "role1.employee": {"en": "employee", "de": "Beschäftigte*r"},
    "role1.member": {"en": "program member", "de": "Programm-Mitglied"},
    "role1.core": {"en": "member of the core ambassador group", "de": "Mitglied der Botschafter-Kerngruppe"},
    "role1.communicator": {"en": "department communicator", "de": "Abteilungskommunikator*in"},
    "role1.backup": {"en": "backup of the comms lead", "de": "Vertretung der Kommunikationsleitung"},
    "role1.lead": {"en": "comms lead", "de": "Kommunikationsleitung"},
    "shell.banner": {
        "en": "Ambassador, terminal chat as {email} ({role}). Type help; a number presses a button; quit or Ctrl-D ends.",
        "de": {"du": "Ambassador, Chat im Terminal als {email} ({role}). Schreib hilfe; eine Zahl drückt einen Knopf; quit oder Strg-D beendet.",
               "sie": "Ambassador, Chat im Terminal als {email} ({role}). Schreiben Sie hilfe; eine Zahl drückt einen Knopf; quit oder Strg-D beendet."},
    },
}


def role_titles(roles: frozenset[str], t: Translator, departments: tuple[str, ...] = ()) -> str:
    """'comms lead, program member' for display; most senior first."""
    names = []
    for r in (LEAD, BACKUP, COMMUNICATOR, CORE, MEMBER):
        if r in roles:
            name = t(f"role1.{r}")
            if r == COMMUNICATOR and departments:
                name += f" ({', '.join(departments)})"
            names.append(name)
    return ", ".join(names) or t("role1.employee")
