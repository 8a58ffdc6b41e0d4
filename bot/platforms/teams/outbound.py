"""Sending to Teams: replies, card updates, proactive messages, files, personal chats."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import aiohttp
from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import AuthenticationConstants, TurnContext
from sqlmodel import select

from bot import files
from bot.core import Send
from bot.messages import Button, Reply
from bot.platforms.teams import cards
from bot.platforms.teams.activities import (
    TeamsDeliveryError,
    _http_status,
    _reference_is_personal,
    _retry_after,
    _stored_reference,
    _TurnFailed,
    read_reference,
)
from bot.sender import Sender
from storage.models import Identity, Person

log = logging.getLogger("ambassador.teams")

T = TypeVar("T")


# What a connector call fails with: its answer (aiohttp.ClientResponseError, with the status) or no answer.
ConnectorError = (aiohttp.ClientError, TimeoutError)


class TeamsOutbound(Sender):
    """Proactive sending for TeamsAdapter (a mixin: it uses the adapter's CloudAdapter and references)."""

    # -- outgoing ---------------------------------------------------------

    @staticmethod
    def _activity(reply: Reply) -> Activity:
        return Activity.model_validate(cards.render(reply))

    def _sender(self, turn_context: TurnContext, personal: bool) -> Send:
        user_id = turn_context.activity.from_property.id

        async def send(replies: list[Reply]) -> None:
            replies = [r for r in replies if not r.transient]  # Teams keeps every message it shows
            public = [r for r in replies if personal or not r.private]
            private = [r for r in replies if not personal and r.private]
            card_id = turn_context.activity.reply_to_id
            if card_id:
                # An answer to a card's button may replace that card (poll results).
                kept = []
                for reply in public:
                    if not (reply.update and await self._update(turn_context, reply, card_id)):
                        kept.append(reply)
                public = kept
            if public:
                await self._send_all(turn_context, [self._activity(r) for r in public])
            if private:
                await self._send_private(user_id, private)

        return send

    async def _update(self, turn_context: TurnContext, reply: Reply, activity_id: str) -> bool:
        activity = self._activity(reply)
        activity.id = activity_id
        try:
            await self._retrying("update", lambda: turn_context.update_activity(activity))
            return True
        except ConnectorError:
            log.info("card not updated; answered with a new message")
            return False

    async def _send_private(self, user_id: str, replies: list[Reply]) -> None:
        # Only the asker may see these; Teams has no ephemeral channel messages,
        # so they go to the personal chat or nowhere (never into the channel).
        try:
            await self.send_to_person(user_id, replies)
        except TeamsDeliveryError:
            log.error("private reply not delivered: no personal chat with the person")

    async def _retrying(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return await call()
            except aiohttp.ClientResponseError as exc:
                if _http_status(exc) != 429 or attempt >= self.max_attempts:
                    raise
                delay = _retry_after(exc)
                if delay is None:
                    delay = 0.5 * 2 ** (attempt - 1) + random.uniform(0, 0.25)
                delay = min(delay, self.max_retry_delay)
                log.warning(
                    "Teams connector throttled (429); retrying",
                    extra={"what": what, "attempt": attempt, "delay_s": round(delay, 2)},
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _send_all(self, turn_context: TurnContext, activities: list[Activity]) -> None:
        # One at a time, each retried on its own: retrying a batch would repeat
        # the messages that already went through.
        for activity in activities:
            await self._retrying("send", lambda a=activity: turn_context.send_activity(a))

    async def _continue(self, reference: ConversationReference, replies: list[Reply]) -> None:
        activities = [self._activity(r) for r in replies]
        continuation = reference.get_continuation_activity()

        async def new_messages(turn_context: TurnContext, outgoing: list[Activity], send: Any) -> Any:
            # The SDK addresses what a turn sends as a reply to the turn's activity: in a proactive turn
            # that is the continuation event, which Teams never saw. A message the bot starts is no reply.
            for activity in outgoing:
                if activity.reply_to_id == continuation.id:
                    activity.reply_to_id = None
            return await send()

        async def callback(turn_context: TurnContext) -> None:
            turn_context.on_send_activities(new_messages)
            await self._send_all(turn_context, activities)

        try:
            await self.adapter.continue_conversation(self.app_id or "", continuation, callback)
        except _TurnFailed as exc:
            raise TeamsDeliveryError(_describe(exc.__cause__)) from exc.__cause__

    async def _open_personal_chat(
        self, reference: ConversationReference, user_id: str
    ) -> ConversationReference:
        """Create (or, in Teams, find) the 1:1 chat with a person known from a channel only."""
        tenant = reference.conversation.tenant_id if reference.conversation else None
        parameters = ConversationParameters(
            is_group=False,
            agent=reference.agent,
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        created: dict[str, str] = {}

        async def callback(turn_context: TurnContext) -> None:
            created["id"] = turn_context.activity.conversation.id

        await self._retrying(
            "create conversation",
            lambda: self.adapter.create_conversation(
                self.app_id or "", str(reference.channel_id), reference.service_url,
                AuthenticationConstants.AGENTS_SDK_SCOPE, parameters, callback,
            ),
        )
        personal = ConversationReference(
            channel_id=reference.channel_id,
            service_url=reference.service_url,
            agent=reference.agent,
            user=ChannelAccount(id=user_id),
            conversation=ConversationAccount(
                id=created["id"], conversation_type="personal", tenant_id=tenant
            ),
        )
        await self.core.remember_conversation("teams", user_id, created["id"], _stored_reference(personal))
        return personal

    async def send_to_person(self, user_id: str, replies: list[Reply]) -> None:
        """A message the bot starts, in the person's personal chat with it."""
        replies = [r for r in replies if not r.transient]  # Teams keeps every message it shows
        if not replies:
            return
        row = await self.core.conversation_of("teams", user_id)
        if row is None:
            raise TeamsDeliveryError(f"no Teams conversation is known for user {user_id}")
        reference = read_reference(row.reference)
        try:
            if not _reference_is_personal(row.reference):
                reference = await self._open_personal_chat(reference, user_id)
            await self._continue(reference, replies)
        except ConnectorError as exc:
            raise TeamsDeliveryError(_describe(exc)) from exc

    async def send_file(self, user_id: str, path: str | Path, title: str, comment: str) -> None:
        """A file for the person: a card linking to it on the bot's own server.

        A bot cannot attach a file to a personal chat without Teams' file
        consent dialog; an expiring link (bot.files) needs none. Without a
        public address or a program key the card says where the file lies on
        the server; a file outside the report directory is refused.
        """
        path = Path(path)
        if not path.is_file():
            raise TeamsDeliveryError(f"no file at {path}")
        t = await self._translator_for(user_id)
        base = files.public_base(self.core)
        if base and files.links_available(self.settings):
            try:
                url, expires = await files.link(self.core, path)
            except files.NotLinkable as exc:
                # Only report files are served; the caller names the path where a file cannot go out.
                raise TeamsDeliveryError(str(exc)) from None
            local = expires.astimezone(ZoneInfo(self.settings.app.timezone))
            when = local.strftime("%d.%m.%Y %H:%M" if t.lang == "de" else "%Y-%m-%d %H:%M")
            reply = Reply(
                title=title or path.name,
                text=comment,
                buttons=[Button(label=t("files.open", name=path.name), action_id="files.open", url=base + url)],
                context=t("files.until", date=f"{when} ({local.tzinfo})"),
            )
        else:
            reason = "files.on_server" if not base else "files.on_server_no_key"
            reply = Reply(title=title or path.name, text=comment, context=t(reason, path=str(path.absolute())))
        await self.send_to_person(user_id, [reply])

    async def _translator_for(self, user_id: str):
        async with self.core.db.session() as s:
            person = (
                await s.exec(
                    select(Person)
                    .join(Identity, Identity.person_id == Person.id)
                    .where(Identity.platform == "teams", Identity.user_id == user_id)
                )
            ).first()
        return self.core.translator(self.core.language_of(person))

    async def send_to_conversation(
        self, conversation_id: str, replies: list[Reply], user_id: str | None
    ) -> None:
        """Sender: answer in a conversation later (recovered work, nudges, alerts)."""
        row = await self.core.conversation_of("teams", user_id) if user_id else None
        if row is None and not user_id:
            # A channel post nobody in particular asked for (a crisis level's channel): the service
            # URL, the bot and the tenant of a team the bot is in reach the channel.
            row = await self._any_team()
            if row is None:
                raise TeamsDeliveryError(
                    f"cannot post to Teams conversation {conversation_id}: the bot is not in any team yet "
                    "(add the app to the team of that channel)")
        if row is None:
            raise TeamsDeliveryError(f"no Teams conversation is known for user {user_id}")
        reference = read_reference(row.reference)
        personal = _reference_is_personal(row.reference)
        if reference.conversation is None or reference.conversation.id != conversation_id:
            # Another conversation of the same person (a channel thread): the
            # service URL and the bot are the same across one tenant.
            tenant = reference.conversation.tenant_id if reference.conversation else None
            reference = ConversationReference(
                channel_id=reference.channel_id,
                service_url=reference.service_url,
                agent=reference.agent,
                user=ChannelAccount(id=user_id) if user_id else None,
                conversation=ConversationAccount(id=conversation_id, tenant_id=tenant, is_group=True)
                if not user_id else ConversationAccount(id=conversation_id, tenant_id=tenant),
            )
            personal = False
        replies = [r for r in replies if not r.transient]  # Teams keeps every message it shows
        public = [r for r in replies if personal or not r.private]
        private = [r for r in replies if not personal and r.private]
        try:
            if public:
                await self._continue(reference, public)
        except ConnectorError as exc:
            raise TeamsDeliveryError(_describe(exc)) from exc
        if private and user_id:
            await self._send_private(user_id, private)


def _describe(exc: BaseException | None) -> str:
    """A connector error for a person: the connector's "(code) message" (the Bot Framework's error body),
    else its HTTP status; or what failed to connect."""
    if isinstance(exc, aiohttp.ClientResponseError):
        try:
            error = json.loads(exc.message).get("error") or {}
            return f"({error['code']}) {error['message']}"[:300]
        except (ValueError, TypeError, KeyError, AttributeError):
            return f"HTTP {exc.status} {exc.message}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]
