"""Slack payloads: reading ids, texts, files and errors out of what Slack sends and answers."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.logger.messages import warning_unhandled_request
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import (
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_step,
    to_view,
)
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from bot.messages import Attachment, Profile, storable

log = logging.getLogger("ambassador.slack")

DEFAULT_API_URL = "https://slack.com/api/"

# Slack's user and conversation ids are about a dozen characters.
MAX_ID = 255

ListenerNext = Callable[[], Awaitable[None]]

def _ack() -> BoltResponse:
    return BoltResponse(status=200, body="")


def _is_id(value: Any) -> bool:
    # A Slack id (user, channel) as an answer needs it: a string, not blank, and not longer than
    # any Slack id is (it goes into API URLs: a huge one fails every call made with it).
    return isinstance(value, str) and bool(value.strip()) and len(value) <= MAX_ID


def _text(value: Any) -> str | None:
    # Ids and timestamps are strings in every Slack payload; anything else is treated as missing.
    return value if isinstance(value, str) and value else None


def _is_dm(conversation_id: str | None) -> bool:
    return bool(conversation_id) and conversation_id.startswith("D")


def _is_user(conversation_id: str | None) -> bool:
    return bool(conversation_id) and conversation_id[:1] in ("U", "W")


def _api_url(url: str | None) -> str:
    url = url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def _strip_mentions(text: str, bot_user_id: str | None) -> str:
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    return text.strip()


def _files(event: dict[str, Any]) -> list[Attachment]:
    out = []
    for f in event.get("files") or []:
        if isinstance(f, dict):
            out.append(
                Attachment(
                    name=str(f.get("name") or f.get("title") or "file"),
                    content_type=f.get("mimetype"),
                    url=f.get("url_private"),
                )
            )
    return out


_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def _message_link(body: dict[str, Any], message: dict[str, Any]) -> str | None:
    """A link to the shortcut's message that comms can open: Slack's permalink form
    (https://DOMAIN.slack.com/archives/CHANNEL/pTS without the dot), built from the payload instead of
    a chat.getPermalink call before the 3-second acknowledgement. Without the workspace's domain,
    where the message stands (slack:CHANNEL/TS)."""
    channel = _dict(body.get("channel")).get("id")
    ts = str(message.get("ts") or "")
    if not _is_id(channel) or not re.fullmatch(r"\d{1,12}\.\d{1,8}", ts):
        return None
    domain = str(_dict(body.get("team")).get("domain") or "").lower()
    if _DOMAIN.match(domain):
        return f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return f"slack:{channel}/{ts}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _slack_error(exc: BaseException) -> str | None:
    """Slack's error code ("channel_not_found"); None when the answer was no Slack JSON (a proxy's page)."""
    # A text/plain page comes as a str, a broken JSON body with aiohttp's response object instead.
    data = getattr(exc.response, "data", None) if isinstance(exc, SlackApiError) else None
    return str(data["error"]) if isinstance(data, dict) and data.get("error") else None


def _http_status(exc: SlackApiError) -> int:
    response = exc.response
    return getattr(response, "status_code", None) or getattr(response, "status", None) or 0


def _error_name(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return _slack_error(exc) or str(_http_status(exc))
    return type(exc).__name__


def _answer_lost(exc: BaseException) -> bool:
    """The request may have reached Slack, but its answer did not reach us."""
    if isinstance(exc, aiohttp.ClientError | TimeoutError):
        return True
    return isinstance(exc, SlackApiError) and _http_status(exc) >= 500


_BOLT_EXTRACTORS = (to_options, to_shortcut, to_action, to_view, to_command, to_event, to_message, to_step)


def _well_formed(request: AsyncBoltRequest) -> bool:
    """Enough shape for Bolt's matchers not to fail on a signed but odd payload."""
    body = request.body
    if not isinstance(body, dict):
        return False
    for key in ("event", "user", "team", "channel", "container", "message", "view"):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            return False
    if "event" in body and not isinstance(body["event"].get("type"), str):
        return False
    actions = body.get("actions")
    if actions is not None and not (isinstance(actions, list) and all(isinstance(a, dict) for a in actions)):
        return False
    if body.get("type") == "block_actions" and not (actions and isinstance(actions[0].get("action_id"), str)):
        return False
    if "command" in body and not isinstance(body["command"], str):
        return False  # the slash command listener matches it with a pattern
    try:
        # Bolt extracts every kind of payload for each listener it tries (an interactive_message
        # without actions, a view_submission without view.type would fail there with a 500).
        for extract in _BOLT_EXTRACTORS:
            extract(body)
        # ... and describes one no listener takes in a warning (failing on "view": null, say).
        warning_unhandled_request(request)
    except (LookupError, TypeError, AttributeError):
        return False
    return True


class _StorableBody(AsyncMiddleware):
    """Cleans every request body in place before any listener reads it: JSON may carry a NUL or a
    lone surrogate that no database column takes (the first insert would fail with a 500).

    A class, not a middleware function: Bolt builds every listener argument for a function
    (``action``, ``event``, ...) and fails on a payload that lacks one.
    """

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        storable(req.body)
        return await next()


def profile_from_user(user: dict[str, Any], home_team: str | None, home_enterprise: str | None) -> Profile:
    """A neutral Profile from a users.info ``user`` object."""
    p = _dict(user.get("profile"))
    team = user.get("team_id")
    enterprise = _dict(user.get("enterprise_user")).get("enterprise_id")
    # Slack Connect: a person from another organisation shares a channel or DM.
    external = bool(user.get("is_stranger"))
    if not external and team and home_team and team != home_team:
        # Within one Enterprise Grid org another workspace is still colleagues.
        external = not (enterprise and home_enterprise and enterprise == home_enterprise)
    return Profile(
        email=p.get("email") or None,
        name=p.get("real_name") or user.get("real_name") or p.get("display_name") or user.get("name"),
        locale=user.get("locale"),
        timezone=user.get("tz"),
        is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
        is_external=external,
        deleted=bool(user.get("deleted")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
    )
