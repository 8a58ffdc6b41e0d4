"""Before the acknowledgement: each kind of Slack request becomes an accepted Incoming."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.messages import Incoming, Source
from bot.platforms.slack import blockkit
from bot.platforms.slack.payloads import (
    ListenerNext,
    _ack,
    _dict,
    _files,
    _is_dm,
    _is_id,
    _message_link,
    _strip_mentions,
    _text,
)

log = logging.getLogger("ambassador.slack")

# Message subtypes that are a person writing to the bot; edits, deletions,
# joins and the like are acknowledged and ignored.
_KEPT_SUBTYPES = {None, "file_share"}


class SlackInbound:
    """The listener middleware of SlackAdapter (a mixin: it uses the adapter's state)."""

    async def _prepare_message(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        event, user, channel = _event(body)
        if (
            event.get("channel_type") != "im"
            or event.get("subtype") not in _KEPT_SUBTYPES
            or event.get("bot_id")
            or not _is_id(user)
            or not _is_id(channel)
            or user == context.bot_user_id
        ):
            return _ack()
        meta: dict[str, Any] = {"channel": channel}
        if _text(event.get("thread_ts")):
            meta["thread_ts"] = event["thread_ts"]
        incoming = _from_event(body, event, user, channel, blockkit.unescape(str(event.get("text") or "")),
                               source="message", is_direct=True, meta=meta)
        return await self._accept(incoming, context, next)

    async def _prepare_mention(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        event, user, channel = _event(body)
        if (
            not _is_id(user)
            or not _is_id(channel)
            or event.get("bot_id")
            or _is_dm(channel)
        ):
            return _ack()  # in a DM the message event answers it
        text = blockkit.unescape(_strip_mentions(str(event.get("text") or ""), context.bot_user_id))
        # Answer in the thread of the mention, so the channel stays readable.
        meta = {"channel": channel, "thread_ts": _text(event.get("thread_ts")) or _text(event.get("ts"))}
        incoming = _from_event(body, event, user, channel, text, source="mention", is_direct=False, meta=meta)
        return await self._accept(incoming, context, next)

    async def _prepare_command(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        user = body.get("user_id")
        if not _is_id(user):
            return _ack()
        channel = str(body.get("channel_id") or "")
        trigger = body.get("trigger_id")
        incoming = Incoming(
            platform="slack",
            user_id=user,
            conversation_id=channel or user,
            text=blockkit.unescape(str(body.get("text") or "")).strip() or "help",
            source="command",
            # Slack does not retry commands, but a proxy or a double submit may.
            event_id=f"command:{trigger}" if trigger else None,
            is_direct=_is_dm(channel),
            team_id=body.get("team_id"),
            # In a channel only the person who typed the command sees the answer.
            meta={"channel": channel or None, "ephemeral": bool(channel) and not _is_dm(channel)},
        )
        if _text(trigger):
            incoming.meta["trigger_id"] = trigger  # an answer with a form opens it as a modal
        return await self._accept(incoming, context, next)

    async def _prepare_view(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        user = _dict(body.get("user")).get("id")
        view = _dict(body.get("view"))
        submitted = blockkit.form_values(view)
        if not _is_id(user) or submitted is None:
            return _ack()  # closes the modal; nothing of ours to answer
        action_id, values = submitted
        key = _text(view.get("id")) or _text(body.get("trigger_id"))
        # The modal is closed on the acknowledgement: the answer goes to the person's DM.
        incoming = _in_dm(user, source="action", action_id=action_id, values=values,
                          event_id=f"view:{key}" if key else None, team_id=_team(body), meta={"channel": None})
        return await self._accept(incoming, context, next)

    async def _prepare_action(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        actions = body.get("actions") or [{}]
        action = actions[0]
        raw_id = str(action.get("action_id") or "")
        user = _dict(body.get("user")).get("id")
        if not raw_id or raw_id.startswith(blockkit.LINK_ACTION) or not _is_id(user):
            return _ack()  # a link button opens its URL in the client; nothing to answer
        container = _dict(body.get("container"))
        channel = _text(container.get("channel_id")) or _text(_dict(body.get("channel")).get("id"))
        if container.get("type") == "view":
            channel = None  # a button on the App Home: answer in the DM
        key = action.get("action_ts") or body.get("trigger_id")
        thread = _text(_dict(body.get("message")).get("thread_ts"))
        meta: dict[str, Any] = {"channel": channel, "ephemeral": bool(channel) and not _is_dm(channel)}
        if thread:
            meta["thread_ts"] = thread
        if _text(body.get("trigger_id")):
            meta["trigger_id"] = body["trigger_id"]  # an answer with a form opens it as a modal
        if (
            container.get("type") == "message"
            and not container.get("is_ephemeral")
            and _text(container.get("message_ts"))
        ):
            meta["message_ts"] = container["message_ts"]  # where an updating answer goes
        incoming = Incoming(
            platform="slack",
            user_id=user,
            conversation_id=channel or user,
            source="action",
            action_id=blockkit.neutral_action_id(raw_id),
            values=blockkit.action_values(action),
            event_id=f"action:{key}" if key else None,
            is_direct=channel is None or _is_dm(channel),
            team_id=_team(body),
            meta=meta,
        )
        return await self._accept(incoming, context, next)

    async def _prepare_shortcut(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        user = _dict(body.get("user")).get("id")
        if not _is_id(user):
            return _ack()
        message = _dict(body.get("message"))
        text = blockkit.unescape(str(message.get("text") or ""))
        key = body.get("action_ts") or body.get("trigger_id")
        shortcut = self._shortcuts.get(str(body.get("callback_id")))
        if shortcut is None:  # Bolt routes only the callback ids registered in mount()
            return _ack()
        action_id = shortcut.action_id
        values: dict[str, Any] = {"text": text}
        if shortcut.link:
            values["permalink"] = _message_link(body, message)
        # The verdict on a draft, the receipt of a report: the asker's business, in their DM.
        incoming = _in_dm(
            user,
            # The screenshot on a reported message goes with the report (a draft's files are not checked).
            attachments=_files(message) if shortcut.files else [],
            text=text,
            source="shortcut",
            action_id=action_id,
            values=values,
            event_id=f"action:{key}" if key else None,
            team_id=_text(_dict(body.get("team")).get("id")),
            meta={
                "channel": None,
                "source_channel": _text(_dict(body.get("channel")).get("id")),
                "message_ts": _text(message.get("ts")) or _text(body.get("message_ts")),
            },
        )
        return await self._accept(incoming, context, next)

    async def _prepare_user_change(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        user = _dict(_dict(body.get("event")).get("user"))
        user_id = user.get("id")
        if isinstance(user_id, str):
            # The event's user object lacks the locale; the next users.info call refreshes it.
            self._users.pop(user_id, None)
            if user.get("deleted"):
                # Done before the acknowledgement: leaving must not get lost.
                await self.core.deactivate("slack", user_id)
        await next()
        return None


def _in_dm(user: str, **fields: Any) -> Incoming:
    """What a person started where the bot cannot answer in place (a closed modal, a shortcut): answered in their DM."""
    return Incoming(platform="slack", user_id=user, conversation_id=user, is_direct=True, **fields)


def _team(body: dict[str, Any]) -> str | None:
    return _text(_dict(body.get("team")).get("id")) or _text(_dict(body.get("user")).get("team_id"))


def _event(body: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
    """An Events API event, its user and its channel (any of them may be missing or malformed)."""
    event = _dict(body.get("event"))
    return event, event.get("user"), event.get("channel")


def _from_event(body: dict[str, Any], event: dict[str, Any], user: str, channel: str, text: str, *,
                source: Source, is_direct: bool, meta: dict[str, Any]) -> Incoming:
    """A message or a mention from the Events API, with its files and its team."""
    return Incoming(platform="slack", user_id=user, conversation_id=channel, text=text, source=source,
                    event_id=_text(body.get("event_id")), is_direct=is_direct,
                    team_id=_text(body.get("team_id")) or _text(event.get("team")), attachments=_files(event),
                    meta=meta)
