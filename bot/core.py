"""The platform-neutral core: dedup, durable inbound work, people, roles, dispatch.

Split by concern: what the bot sends on its own is ``Delivery`` (bot/delivery.py), the inbox's
records and statements are in bot/inbox.py, the core's texts in bot/core_texts.py.

Adapters call ``accept`` before they acknowledge a platform request (the work is
then in the database), and ``run`` to answer it. A platform's retry is
recognised by its event id and answered never twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot import ratelimit
from bot.config import Settings
from bot.delivery import _UNDELIVERED, Delivery, Undelivered

# Re-exported: the capabilities and adapters import these from the core.
from bot.delivery import DeliveryError as DeliveryError
from bot.groupcommit import GroupCommit
from bot.i18n import Translator, guess_language, normalize_language
from bot.inbox import (
    Finished,
    Inbound,
    Prefetch,
    inbox_statements,
    people_and_grants,
    refused_row,
    storable_profile,
)
from bot.keys import ProgramKeyError
from bot.messages import MAX_TEXT, Incoming, Reply
from bot.metrics import Metrics
from bot.profiles import email_of, first_profile, take_names, take_status, unchanged_person
from bot.router import ALL_ROLES, BACKUP, COMMUNICATOR, CORE, EMPLOYEE, LEAD, MEMBER, Match, Router
from bot.sender import Sender
from bot.text import one_line
from storage.db import Database
from storage.models import (
    Consent,
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
# The person row and role grants read when an event was accepted serve its dispatch for this
# long (seconds); a dispatch that waited longer reads them again.
PREFETCH_FRESH = 5.0
# Where accept() leaves what it read for person_for() on the Incoming (not a dataclass field,
# so never stored or serialised).
_PREFETCH = "_ambassador_prefetch"


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


class Core(Delivery):
    def __init__(self, settings: Settings, db: Database, router: Router) -> None:
        self.settings = settings
        self.db = db
        self.router = router
        self.senders: dict[str, Sender] = {}
        # Capabilities ask the core for the time, so tests can move the clock.
        self.clock: Callable[[], datetime] = utcnow
        # Per core, not prometheus_client's global registry: several apps in one process stay apart.
        self.metrics = Metrics()
        # Group commits (bot/groupcommit.py): under load a replica records the events it accepts,
        # and marks the ones it answered, many per transaction instead of one transaction each.
        # One writer for both: a busy replica's done-marks ride along with the next events it accepts.
        self._inbox: GroupCommit[Inbound | Finished, int | None] = GroupCommit(
            self._write_inbound, singly=refused_row)
        # person id -> (valid until, email, grants) read with the person's event, for its dispatch.
        self._fresh_grants: dict[int, tuple[float, str, list[tuple[str, str, bool]]]] = {}
        self._marking: set[asyncio.Task[None]] = set()  # answers delivered, their "done" not stored yet
        # (platform, user id) -> the read of that person's conversation under way (conversation_of).
        self._reading_conversations: dict[tuple[str, str], asyncio.Future[ConversationRef | None]] = {}
        # In this replica's memory: bot/ratelimit.py says what is never limited, and why.
        self.limiter = ratelimit.RateLimiter(settings.app.limits.per_user_per_minute, registry=self.metrics.registry)
        router.texts(ratelimit.TEXTS)
        self._states: dict[str, Any] = {}  # capability name -> what it keeps for this core (state())

    def now(self) -> datetime:
        return self.clock()

    def state(self, name: str) -> Any:
        """What capability ``name`` keeps for this core (its declared ``Capability.state``), made on first
        use and kept as long as the core: per-core state lives here, never in a module-level map."""
        if name not in self._states:
            make = next((c.state for c in self.router.capabilities if c.name == name and c.state), None)
            if make is None:
                raise LookupError(f"no capability {name!r} with a state is declared for this core")
            self._states[name] = make(self)
        return self._states[name]

    # -- adapters -------------------------------------------------------

    def register_sender(self, platform: str, sender: Sender) -> None:
        """The platform's sender for messages the bot starts; it declares the contract (bot/sender.py)."""
        if not isinstance(sender, Sender):
            raise TypeError(f"the {platform} sender must subclass bot.sender.Sender")
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
        task_id = await self._inbox.submit(Inbound(incoming, key, incoming.to_dict(), utcnow() + LEASE,
                                                    conversation))
        if task_id is None:
            log.info("duplicate delivery ignored", extra={"platform": incoming.platform, "event_id": incoming.event_id})
            self.metrics.event(incoming, "duplicate")
        return task_id

    async def _write_inbound(self, items: list[Inbound | Finished]) -> list[int | None]:
        """In one transaction: mark answered tasks done; record accepted events (their ids for the
        dedup, their tasks) and read their senders' person rows and role grants for the dispatch
        that follows the acknowledgement. Returns the new task ids (None: seen before, or a mark)."""
        statements = inbox_statements(self.db.is_sqlite)
        now = utcnow()
        results: list[int | None] = [None] * len(items)
        positions: list[int] = []  # where in ``items`` each accepted event stands
        batch: list[Inbound] = []
        finished: dict[tuple[str, str | None], list[int]] = {}
        for i, item in enumerate(items):
            if isinstance(item, Inbound):
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

    async def _read_people(self, conn: Any, incomings: list[Incoming]) -> dict[tuple[str, str], Prefetch]:
        users: dict[str, set[str]] = {}
        for incoming in incomings:
            if incoming.user_id:
                users.setdefault(incoming.platform, set()).add(incoming.user_id)
        columns = [c.key for c in Person.__table__.c]
        found: dict[tuple[str, str], Prefetch] = {}
        for platform, ids in users.items():
            for row in (await conn.execute(people_and_grants(), {"platform": platform, "users": sorted(ids)})).all():
                row = row._mapping
                entry = found.get((platform, row["_user"]))
                if entry is None:
                    entry = found[(platform, row["_user"])] = Prefetch({k: row[k] for k in columns}, [])
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
            if profile is None or profile.deleted or not profile.email or not storable_profile(profile):
                continue  # person_for's own way: it knows what to do with them
            email = profile.email.strip().lower()
            if email:
                wanted.setdefault((incoming.platform, incoming.user_id), (incoming, email))
        if not wanted:
            return False
        statements = inbox_statements(self.db.is_sqlite)
        people = Person.__table__
        emails = sorted({email for _, email in wanted.values()})
        ids = {row.email: row.id for row in (await conn.execute(
            core_select(people.c.id, people.c.email).where(people.c.email.in_(emails)))).all()}
        new: dict[str, dict[str, Any]] = {}
        for incoming, email in wanted.values():
            if email not in ids and email not in new:
                person = Person(email=email)
                first_profile(person, incoming.profile)
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
        await self._inbox.submit(Finished(task_id, status, error))

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
        known = self._prefetched_person(incoming, quiet=quiet)
        if known is not None:
            return known
        async with self.db.session() as s:
            try:
                row, created = await self._find_or_create(s, incoming)
                if profile:
                    if not (quiet and not created):
                        take_names(row, profile)
                    if take_status(row, profile, quiet=quiet):
                        await self._leave(s, row, reason="deactivated")
                        row.active = False
                if not s.new and not any(s.is_modified(o) for o in s.dirty):
                    return row  # nothing changed: no write on every message
                await s.commit()
            except IntegrityError:
                # The same address's first message on another replica (or platform), or two first
                # messages of the same person at once: the other one won.
                await s.rollback()
                if not _retry:
                    raise
                return await self.person_for(incoming, _retry - 1)
            return row

    def _prefetched_person(self, incoming: Incoming, *, quiet: bool) -> Person | None:
        """The person read with the event's acceptance, if still fresh and nothing of the profile is new."""
        prefetched = incoming.__dict__.pop(_PREFETCH, None)
        if prefetched is None or time.monotonic() - prefetched.at > PREFETCH_FRESH:
            return None
        person = unchanged_person(prefetched.person, incoming.profile, quiet=quiet)
        if person is not None:
            # Read with the event's acceptance and nothing to write: no query of its own.
            self._keep_grants(person, prefetched)
        return person

    async def _find_or_create(self, s: Any, incoming: Incoming) -> tuple[Person, bool]:
        """The person of this platform id (or, known from the other platform, of this address), or a new one."""
        profile = incoming.profile
        row = (
            await s.exec(
                select(Person)
                .join(Identity, Identity.person_id == Person.id)
                .where(Identity.platform == incoming.platform, Identity.user_id == incoming.user_id)
            )
        ).first()
        if row is not None:
            return row, False
        identity = {"platform": incoming.platform, "user_id": incoming.user_id, "team_id": incoming.team_id}
        email = email_of(profile)
        if email:
            # Known already from the other platform: one person, two ids.
            row = (await s.exec(select(Person).where(Person.email == email))).first()
            if row is not None:
                s.add(Identity(person_id=row.id, **identity))
                return row, False
        row = Person(email=email)
        if profile:
            # Written with the insert: a first contact is one INSERT, not an INSERT and an UPDATE.
            first_profile(row, profile)
        s.add(row)
        await s.flush()  # an IntegrityError: the same address's first message elsewhere won
        s.add(Identity(person_id=row.id, **identity))
        return row, True

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

    def _keep_grants(self, person: Person, prefetched: Prefetch) -> None:
        if person.id is None or not person.email:
            return
        now = time.monotonic()
        if len(self._fresh_grants) > 10_000:
            # Events whose dispatch never asked for roles (too long, unknown) leave theirs behind.
            self._fresh_grants = {k: v for k, v in self._fresh_grants.items() if v[0] >= now}
        self._fresh_grants[person.id] = (prefetched.at + PREFETCH_FRESH, person.email.lower(), prefetched.grants)

    async def _leave(self, s, person: Person, reason: str) -> None:
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
            return [Reply(text=t("core.unknown", text=one_line(incoming.text, 60)))]
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


def _command_word(route, lang: str) -> str:
    words = route.words.get(lang) or route.words.get("en") or [route.name]
    return words[0] if words else route.name


def _role_names(route, t: Translator) -> str:
    names = [t(f"role.{r}") for r in ALL_ROLES if route.roles and r in route.roles]
    return t("core.or").join(names) if names else ""
