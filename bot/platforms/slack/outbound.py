"""Slack's Web API side: replies, proactive messages, files, finding a sent message, profiles."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.messages import Incoming, Profile, Reply
from bot.platforms.slack import blockkit
from bot.platforms.slack.payloads import (
    _answer_lost,
    _dict,
    _error_name,
    _is_dm,
    _is_user,
    _slack_error,
    profile_from_user,
)
from bot.sender import Sender

log = logging.getLogger("ambassador.slack")


# A person's Slack profile changes rarely; an hour keeps users.info off the
# path of almost every message while a deactivation still arrives as user_change.
PROFILE_TTL = 3600.0
# users.info runs before the acknowledgement, which Slack wants within 3 s.
PROFILE_TIMEOUT = 1.5
PROFILE_CACHE_MAX = 20_000

# Posting there failed because the bot cannot write into that conversation:
# the answer goes to the person's direct messages with the bot instead.
_UNREACHABLE = {
    "channel_not_found",
    "not_in_channel",
    "user_not_in_channel",
    "is_archived",
    "restricted_action",
}
# Slack refused the blocks: the plain text still tells the person the answer.
_BLOCKS_REFUSED = {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long"}

# Messages sent with a key carry it as message metadata of this type; find_sent
# looks for it in the DM's history (conversations.history, im:history).
DELIVERY_EVENT = "ambassador_delivery"
# How far back find_sent looks: the outbox reconciles a send within minutes of
# a restart, so two weeks covers even a long outage of every replica.
HISTORY_WINDOW = timedelta(days=14)
HISTORY_PAGE = 200
# A bot's DM rarely holds 1,000 messages in two weeks; more than that is "can't tell".
HISTORY_PAGES = 5


class SlackOutbound(Sender):
    """Sending through the Web API for SlackAdapter (a mixin: it uses the adapter's client and caches)."""

    async def _remember_dm(self, user_id: str, channel: str, team_id: str | None) -> None:
        self._dms[user_id] = channel
        if (user_id, channel) in self._remembered:
            return  # stored already by this process; spare the database a query per message
        await self.core.remember_conversation(
            "slack", user_id, channel, {"channel": channel, "team_id": team_id}
        )
        # Only once stored: with the database away for a moment, the next message stores it.
        self._remembered.add((user_id, channel))

    # -- sending ----------------------------------------------------------

    async def _reply(self, incoming: Incoming, replies: list[Reply]) -> None:
        meta = incoming.meta
        # A trigger id opens one modal, for a few seconds; later forms go out as a button that opens them.
        trigger = meta.get("trigger_id") if isinstance(meta.get("trigger_id"), str) else None
        for n, reply in enumerate(replies):
            if reply.form is not None and trigger:
                opened = await self._open_form(reply, trigger)
                trigger = None
                if opened:
                    continue
            if reply.update and meta.get("message_ts") and meta.get("channel") and await self._update(
                reply, meta["channel"], meta["message_ts"]
            ):
                continue
            channel = meta.get("channel")
            # An answer in a DM carries a key: when Slack took it but the answer to the call got
            # lost (a timeout, a 5xx), _post_once looks in the DM before posting it a second time.
            key = f"ambassador-answer-{incoming.event_id}-{n}" if incoming.event_id and (
                not channel or _is_dm(channel)) else None
            await self._post(
                reply,
                channel=channel,
                user_id=incoming.user_id,
                ephemeral=bool(meta.get("ephemeral") or reply.private),
                thread_ts=meta.get("thread_ts"),
                key=key,
            )

    async def _open_form(self, reply: Reply, trigger_id: str) -> bool:
        """The reply's form as a modal; False when Slack won't (an expired trigger after a restart):
        then the reply goes out as a message with the button that opens the form."""
        assert reply.form is not None
        try:
            await self.client.views_open(trigger_id=trigger_id, view=blockkit.modal(reply.form))
            return True
        except Exception as exc:
            log.info("form not opened as a modal; sent its button", extra={"error": _error_name(exc)})
            return False

    async def _update(self, reply: Reply, channel: str, ts: str) -> bool:
        """Replace the message a button was on; False when Slack won't (then a new message goes out)."""
        try:
            await self.client.chat_update(channel=channel, ts=ts, **blockkit.message(reply))
            return True
        except SlackApiError as exc:
            log.info("message not updated; answered with a new one", extra={"error": _error_name(exc)})
            return False

    async def send_to_person(self, user_id: str, replies: list[Reply], *, key: str | None = None) -> None:
        """A message the bot starts, in the person's DM with the app (nudges, alerts).

        With ``key`` each message carries it as message metadata, so that
        ``find_sent`` can tell later whether Slack took it.
        """
        channel = await self._dm(user_id)
        for reply in replies:
            await self._post(reply, channel=channel, user_id=user_id, ephemeral=False, key=key)

    async def send_keyed(self, user_id: str, replies: list[Reply], key: str) -> None:
        await self.send_to_person(user_id, replies, key=key)

    async def send_to_conversation(
        self, conversation_id: str, replies: list[Reply], user_id: str | None
    ) -> None:
        """Post replies the bot starts (recovered answers, nudges, alerts).

        ``conversation_id`` may be a DM (D...), a user id (U.../W...: their DM
        with the bot is used) or a channel. In a channel a message for one
        person (``user_id`` given) is shown to that person only: a recovered
        answer to a slash command must stay as private as the original would
        have been. Without ``user_id`` it is posted for everyone.
        """
        for reply in replies:
            if _is_user(conversation_id):
                await self._post(reply, channel=None, user_id=conversation_id, ephemeral=False)
            else:
                await self._post(
                    reply,
                    channel=conversation_id,
                    user_id=user_id,
                    ephemeral=bool(user_id) and not _is_dm(conversation_id),
                )

    async def send_file(self, user_id: str, path: str | Path, title: str, comment: str) -> None:
        """A file from the bot's disk into the person's DM (files.upload v2), with a comment."""
        path = Path(path)
        data = await asyncio.to_thread(path.read_bytes)
        channel = await self._dm(user_id)
        await self.client.files_upload_v2(
            channel=channel,
            content=data,
            filename=path.name,
            title=title or path.name,
            initial_comment=comment or None,
        )

    async def find_sent(self, user_id: str, key: str) -> bool | None:
        """Whether a message sent with ``key`` is in the person's DM: True, False, or None (can't tell)."""
        try:
            channel = await self._dm(user_id)
        except Exception as exc:
            log.warning("DM not found for a lookup", extra={"error": _error_name(exc)})
            return None
        return await self._find_in(channel, key)

    async def _find_in(self, channel: str, key: str) -> bool | None:
        oldest = (self.core.now() - HISTORY_WINDOW).timestamp()
        cursor: str | None = None
        metadata_seen = bot_seen = False
        for _ in range(HISTORY_PAGES):
            try:
                response = await self.client.conversations_history(
                    channel=channel,
                    oldest=f"{oldest:.6f}",
                    limit=HISTORY_PAGE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
            except Exception as exc:
                log.warning("DM history not readable", extra={"error": _error_name(exc)})
                return None
            for message in response.get("messages") or []:
                if not isinstance(message, dict):
                    continue
                metadata = _dict(message.get("metadata"))
                if metadata.get("event_type") == DELIVERY_EVENT:
                    metadata_seen = True
                    if _dict(metadata.get("event_payload")).get("key") == key:
                        return True
                bot_seen = bot_seen or bool(message.get("bot_id"))
            cursor = _dict(response.get("response_metadata")).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                # The whole window is read and the key is not in it. That proves
                # "not sent" only where metadata is visible at all: our keyed
                # messages show theirs, or the bot posted nothing in the window.
                return False if metadata_seen or not bot_seen else None
        return None  # more history than is read for one lookup

    async def _post(
        self,
        reply: Reply,
        *,
        channel: str | None,
        user_id: str | None,
        ephemeral: bool,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> None:
        message = blockkit.message(reply)
        if reply.transient:
            await self._post_transient(message, channel, user_id, thread_ts)
            return
        if not channel:
            if not user_id:
                raise ValueError("a Slack message needs a channel or a user")
            channel, ephemeral, thread_ts = await self._dm(user_id), False, None
        if _is_dm(channel):
            ephemeral = False  # a DM is private already, and ephemeral messages vanish on reload
        try:
            await self._post_once(message, channel, user_id, ephemeral, thread_ts, key)
        except SlackApiError as exc:
            error = _slack_error(exc)
            if error in _BLOCKS_REFUSED:
                log.error("slack refused the blocks; sent as text", extra={"error": error})
                await self._post_once({"text": message["text"]}, channel, user_id, ephemeral, thread_ts, key)
            elif error in _UNREACHABLE and user_id:
                if channel == self._dms.get(user_id):
                    # The DM we knew is gone (a deleted or migrated conversation): ask Slack again.
                    self._forget_dm(user_id, channel)
                    dm = await self._open_dm(user_id)
                else:
                    dm = await self._dm(user_id)
                if dm == channel:
                    raise
                log.info("conversation not reachable; answered in the DM", extra={"error": error})
                await self._post_once(message, dm, user_id, False, None, key)
            else:
                raise

    async def _post_transient(self, message: dict[str, Any], channel: str | None, user_id: str | None,
                              thread_ts: str | None) -> None:
        """Ephemeral, in a DM too: it must not enter the history. Not shown is better than kept."""
        if not user_id:
            return
        try:
            channel = channel or await self._dm(user_id)
            await self._post_once(message, channel, user_id, True, None if _is_dm(channel) else thread_ts)
        except SlackApiError as exc:
            log.info("a reply meant to be shown once was not shown", extra={"error": _error_name(exc)})

    async def _post_once(
        self,
        message: dict[str, Any],
        channel: str,
        user_id: str | None,
        ephemeral: bool,
        thread_ts: str | None,
        key: str | None = None,
    ) -> None:
        extra: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        if ephemeral and user_id:
            await self.client.chat_postEphemeral(channel=channel, user=user_id, **message, **extra)
            return
        if key is None:
            await self.client.chat_postMessage(channel=channel, **message, **extra)
            return
        metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
        try:
            await self._keyed.chat_postMessage(channel=channel, metadata=metadata, **message, **extra)
        except Exception as exc:
            if not _answer_lost(exc):
                raise
            # Slack may have posted it before the answer got lost: look before posting twice.
            found = await self._find_in(channel, key)
            if found is None:
                raise
            if found:
                log.info("answer lost, message found in the DM", extra={"error": _error_name(exc)})
                return
            await self._keyed.chat_postMessage(channel=channel, metadata=metadata, **message, **extra)

    async def _dm(self, user_id: str) -> str:
        """The person's DM with the app: remembered, stored, or (only then) opened.

        conversations.open is rate-limited (about 50 a minute), far below a
        weekly fan-out, so the DM id is kept in memory and in the database.
        """
        channel = self._dms.get(user_id)
        if channel is not None:
            return channel
        ref = await self.core.conversation_of("slack", user_id)
        if ref is not None and _is_dm(ref.conversation_id):
            self._dms[user_id] = ref.conversation_id
            self._remembered.add((user_id, ref.conversation_id))
            return ref.conversation_id
        return await self._open_dm(user_id)

    async def _open_dm(self, user_id: str) -> str:
        response = await self.client.conversations_open(users=user_id)
        channel = _dict(response.get("channel")).get("id")
        if not isinstance(channel, str):
            raise RuntimeError("conversations.open returned no channel id")
        await self._remember_dm(user_id, channel, None)
        return channel

    def _forget_dm(self, user_id: str, channel: str) -> None:
        if self._dms.get(user_id) == channel:
            del self._dms[user_id]
        self._remembered.discard((user_id, channel))

    # -- people -----------------------------------------------------------

    async def _user(self, user_id: str) -> dict[str, Any] | None:
        now = time.monotonic()
        hit = self._users.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        try:
            async with asyncio.timeout(PROFILE_TIMEOUT):
                response = await self.client.users_info(user=user_id, include_locale=True)
        except Exception as exc:  # any failure: answer without a fresh profile rather than not at all
            log.warning("users.info failed; answering without a fresh profile", extra={"error": _error_name(exc)})
            return hit[1] if hit is not None else None
        user = response.get("user")
        if not isinstance(user, dict):
            return None
        if len(self._users) >= PROFILE_CACHE_MAX:
            self._users = {k: v for k, v in self._users.items() if v[0] > now}
        self._users[user_id] = (now + PROFILE_TTL, user)
        return user

    async def _profile(self, user_id: str, context: AsyncBoltContext) -> Profile | None:
        """The person's profile; None when Slack could not tell (the core keeps what it knew)."""
        user = await self._user(user_id)
        if user is None:
            return None
        # The workspace the bot is installed in (auth.test), not the event's
        # team: for a Slack Connect user the event may carry their own team.
        result = context.authorize_result
        home_team = (result.team_id if result else None) or context.team_id
        home_enterprise = (result.enterprise_id if result else None) or context.enterprise_id
        return profile_from_user(user, home_team, home_enterprise)

    async def resolve_email(self, email: str) -> str | None:
        """The Slack user id for an e-mail address, None when nobody in the workspace has it.

        Other Slack errors are raised: "not found" must not be claimed when
        Slack could not be asked.
        """
        try:
            response = await self.client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            if _slack_error(exc) == "users_not_found":
                return None
            raise
        user_id = _dict(response.get("user")).get("id")
        return user_id if isinstance(user_id, str) else None
