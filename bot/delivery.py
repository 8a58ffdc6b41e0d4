"""Messages the bot starts: the conversations it may write to, ``notify`` and files, what did not arrive.

``Delivery`` is the part of ``Core`` (bot/core.py) that reaches people on its own: the stored
conversation references, a message or a file to a person's direct chat on whichever platform
has them, a person named by address, and the note that tells a sender in words what did not
arrive while their message was answered.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.i18n import Translator
from bot.messages import Incoming, Profile, Reply
from bot.sender import NotSupported, Sender
from storage.models import ConversationRef, Identity, Person, utcnow

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger("ambassador.core")


@dataclass(frozen=True)
class Failure:
    """One platform's refusal of a message the bot started."""

    platform: str
    user_id: str
    error: BaseException


class DeliveryError(Exception):
    """A message the bot started reached nobody; the message says why, ``failures`` each platform's error
    (empty when no account of the person is known on a platform this process serves)."""

    def __init__(self, message: str, failures: list[Failure] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []


@dataclass(frozen=True)
class Undelivered:
    """A message the bot started for someone while answering another person, that reached nobody."""

    person_id: int | None  # None: nobody with an account is known, only the address (``name``)
    not_opened: bool  # they have no chat with the bot yet (no account known, or none it may write to first)
    name: str | None = None  # how to name them when no person is known (an address app.yaml gives)


# The messages not delivered while the current message is answered: the sender is told in words (dispatch).
_UNDELIVERED: ContextVar[list[Undelivered] | None] = ContextVar("undelivered", default=None)
MAX_NAMED = 8  # people named in the note; the rest are counted
NO_ACCOUNT = "no Slack or Teams account of this person is known"


class Delivery:
    """Reaching people on the bot's own initiative (mixed into ``Core``)."""

    db: Database
    senders: dict[str, Sender]
    _reading_conversations: dict[tuple[str, str], asyncio.Future[ConversationRef | None]]

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
                     identities: list[Identity] | None = None, key: str | None = None,
                     note: bool = True) -> str:
        """Send to a person's direct chat on the first platform that takes it.

        Returns the platform that delivered; raises DeliveryError naming each
        platform's failure when none did. ``identities``: the person's, read by the
        caller moments ago (many messages to one person at once need not read them each).
        ``key``: carried along where the platform can look the message up again
        (``Sender.find_sent``). ``note=False``: the sender of the message being answered
        is not told (a caller that records and reports what did not arrive itself).
        """
        if identities is None:
            async with self.db.session() as s:
                identities = (await s.exec(select(Identity).where(Identity.person_id == person_id))).all()
        failures: list[Failure] = []
        not_opened = True
        for ident in identities:
            sender = self.senders.get(ident.platform)
            if sender is None:
                continue
            try:
                if key is None:
                    await sender.send_to_person(ident.user_id, replies)
                else:
                    await sender.send_keyed(ident.user_id, replies, key)
                return ident.platform
            except Exception as exc:
                failures.append(Failure(ident.platform, ident.user_id, exc))
                log.warning("proactive message failed", extra={"platform": ident.platform, "error": str(exc)[:200]})
                if note:
                    not_opened = not_opened and await self._not_opened(ident)
        if note:
            self.note_undelivered(person_id, not_opened)
        raise DeliveryError("; ".join(f"{f.platform}: {f.error}" for f in failures) or NO_ACCOUNT, failures)

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
        platform's failure (a sender that cannot send files counts as one).
        """
        async with self.db.session() as s:
            identities = (await s.exec(select(Identity).where(Identity.person_id == person_id))).all()
        failures: list[Failure] = []
        for ident in identities:
            sender = self.senders.get(ident.platform)
            if sender is None:
                continue
            try:
                await sender.send_file(ident.user_id, path, title, comment)
                return ident.platform
            except NotSupported as exc:
                failures.append(Failure(ident.platform, ident.user_id, exc))
            except Exception as exc:
                failures.append(Failure(ident.platform, ident.user_id, exc))
                log.warning("file not delivered", extra={"platform": ident.platform, "error": str(exc)[:200]})
        self.note_undelivered(person_id, not_opened=not failures)
        raise DeliveryError("; ".join(f"{f.platform}: {f.error}" for f in failures) or NO_ACCOUNT, failures)

    async def post_to_channel(self, platform: str, conversation_id: str, replies: list[Reply],
                              user_id: str | None = None) -> None:
        """Post to a conversation on ``platform`` (a crisis level's channel, a poll's); DeliveryError
        when that platform is not served by this process or refused."""
        sender = self.senders.get(platform)
        if sender is None:
            raise DeliveryError(f"{platform or 'the platform'} is not connected in this process")
        await sender.send_to_conversation(conversation_id, replies, user_id)

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
            try:
                user_id = await sender.resolve_email(email)
            except NotSupported:
                continue
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
