"""Reading Teams activities and stored conversation references: ids, zones, tenants, mentions, errors."""

from __future__ import annotations

import contextvars
import functools
import html
import logging
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import jwt
from aiohttp import web
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ConversationAccount,
    ConversationReference,
)
from microsoft_agents.activity.teams import TeamsChannelData
from pydantic import ValidationError

log = logging.getLogger("ambassador.teams")

# Teams' ids are a few dozen characters (a personal chat's about 130); far longer ones are not ids.
MAX_ID = 1024


class TeamsDeliveryError(Exception):
    """A proactive message could not be delivered (no conversation known, connector refused)."""


class _TurnFailed(Exception):
    """A turn failed outside the handlers; the request is answered 500 so Teams redelivers."""


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


_JWT = re.compile(r"^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def _bearer_problem(header: str) -> str | None:
    """Why an Authorization header cannot carry a token the Bot Framework signed, or None.

    Checked before the SDK sees the request: a missing, garbled or foreign token (another
    algorithm, no key id) must never make it fetch signing keys. Everything else about the
    token (signature, expiry, audience, issuer) is the SDK's JWT validation.
    """
    if not _JWT.match(header.strip()):
        return "no bearer token (a JWT) in the Authorization header"
    try:
        head = jwt.get_unverified_header(header.strip().split(" ", 1)[1])
    except jwt.PyJWTError:
        return "the bearer token is not a JWT"
    if head.get("alg") != "RS256":
        return "the bearer token is not signed with RS256, as the Bot Framework signs"
    if not isinstance(head.get("kid"), str) or not head["kid"]:
        return "the bearer token names no signing key (kid)"
    return None


def _sendable_id(value: str) -> bool:
    # Conversation and activity ids travel in the connector's URLs and headers when the bot answers.
    return 0 < len(value) <= MAX_ID and value.isascii() and value.isprintable() and value.strip() == value


def _activity_problem(body: Any) -> str | None:
    """Why a parsed JSON body is not an activity this endpoint can take, or None."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (a Bot Framework activity)"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    for key in ("from", "recipient", "conversation", "channelData"):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            return f"the activity's {key} must be an object"
    for key in ("entities", "attachments", "membersAdded", "membersRemoved"):
        if key in body and body[key] is not None and not isinstance(body[key], list):
            return f"the activity's {key} must be a list"
    conversation_id = (body.get("conversation") or {}).get("id")
    if not isinstance(conversation_id, str):
        return "the activity has no conversation id"
    if not _sendable_id(conversation_id):
        # The connector carries it in a header (x-ms-conversation-id): no reply could ever be sent.
        return "the activity's conversation id is not a printable ASCII id"
    if isinstance(body.get("id"), str) and body["id"] and not _sendable_id(body["id"]):
        return "the activity's id is not a printable ASCII id"  # the reply's URL names it
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(
        ("http://", "https://")
    ):
        return "the activity has no serviceUrl"
    if body["type"] in (ActivityTypes.message, ActivityTypes.invoke) and not isinstance(
        (body.get("from") or {}).get("id"), str
    ):
        return "the activity has no sender (from.id)"
    sender = (body.get("from") or {}).get("id")
    if isinstance(sender, str) and sender and not _sendable_id(sender):
        # Proactive messages create a chat with this id and reach it through the connector's URLs.
        return "the activity's sender id (from.id) is not a printable ASCII id"
    checking = _checking.set(True)
    try:
        Activity.model_validate(body)
        # TeamsActivityHandler reads channelData as TeamsChannelData on its own, outside any handler.
        TeamsChannelData.model_validate(body.get("channelData") or {})
    except (ValidationError, TypeError, ValueError, AttributeError):
        return "the activity does not match the Bot Framework schema"
    finally:
        _checking.reset(checking)
    return None


# The SDK logs every activity its model refuses as an error, with the traceback. Where the endpoint
# checks a request's activity itself (and answers 400 with its own log line), that is no error.
_checking: contextvars.ContextVar[bool] = contextvars.ContextVar("teams_activity_check", default=False)


class _OwnCheck(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _checking.get()


logging.getLogger("microsoft_agents.activity.activity").addFilter(_OwnCheck())


def _zone(name: Any) -> str | None:
    """The client's time zone when it is one the rest of the bot can read (ZoneInfo), else None."""
    return name if isinstance(name, str) and name and _known_zone(name) else None


@functools.lru_cache(maxsize=256)
def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _is_personal(conversation: ConversationAccount | None) -> bool:
    if conversation is None:
        return True
    if conversation.conversation_type:
        return conversation.conversation_type == "personal"
    return not conversation.is_group


def _tenant_of(activity: Activity) -> str | None:
    # channelData.tenant.id is where Teams always names it; conversation.tenantId on most activities.
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant") if isinstance(channel_data.get("tenant"), dict) else {}
    conversation = activity.conversation
    return tenant.get("id") or (conversation.tenant_id if conversation else None)


def _team_of(activity: Activity) -> str | None:
    """The id of the team a channel activity comes from (channelData.team.id), None elsewhere."""
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = channel_data.get("team") if isinstance(channel_data.get("team"), dict) else {}
    team_id = team.get("id")
    return team_id if isinstance(team_id, str) and _sendable_id(team_id) else None


def _stored_reference(reference: ConversationReference) -> dict[str, Any]:
    """A ConversationReference for the database: no activity id, no user name.

    Without the activity id the stored row changes only when the conversation
    does (not on every message); the name is not needed to reach the person and
    should not outlive "forget me" in a side table.
    """
    data = reference.model_dump(by_alias=True, exclude_none=True, mode="json")
    data.pop("activityId", None)
    data.pop("requestId", None)
    user = data.get("user") or {}
    data["user"] = {k: v for k, v in user.items() if k in ("id", "aadObjectId")}
    return data


def read_reference(data: dict[str, Any]) -> ConversationReference:
    """A stored conversation reference, in either form: the Agents SDK's, or botbuilder's.

    botbuilder (up to this version of the bot) wrote the conversation's tenant as ``tenantID``,
    which the Agents SDK's model does not read: without it a proactive message that must open
    a personal chat first names no tenant, and Teams refuses it. Everything else is the same JSON.
    Rows are not rewritten here: a reference is written anew, in the SDK's form, the next
    time the person writes to the bot.
    """
    data = dict(data)
    conversation = data.get("conversation")
    if isinstance(conversation, dict) and "tenantID" in conversation:
        conversation = dict(conversation)
        older = conversation.pop("tenantID")
        conversation.setdefault("tenantId", older)
        data["conversation"] = conversation
    return ConversationReference.model_validate(data)


def _reference_is_personal(data: dict[str, Any]) -> bool:
    return _is_personal(read_reference(data).conversation)


_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote)>")
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(value: str) -> str:
    """The text of a Teams message body (HTML), as a person would read it."""
    text = _BLOCK_END.sub("\n", value)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _mention_text(activity: Activity) -> tuple[str, bool]:
    """The message text without the bot's @mention, and whether the bot was mentioned.

    TurnContext.remove_recipient_mention removes the bot's name wherever it
    stands in the text ("… the Ambassador program" loses a word); only the
    mention markup itself goes here.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    mentioned = False
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        who = getattr(entity, "mentioned", None)
        if not bot_id or who is None or getattr(who, "id", None) != bot_id:
            continue
        mentioned = True
        markup = getattr(entity, "text", None)
        markup = markup if isinstance(markup, str) else ""
        if markup and markup in text:
            text = text.replace(markup, " ", 1)
        else:
            name = re.escape(str(getattr(who, "name", None) or ""))
            text = re.sub(rf"<at[^>]*>\s*{name}\s*</at>", " ", text, count=1, flags=re.IGNORECASE)
    return text.replace("\xa0", " ").strip(), mentioned


def _http_status(exc: Exception) -> int | None:
    """The connector's HTTP status in an error the SDK's connector client raised, else None."""
    return exc.status if isinstance(exc, aiohttp.ClientResponseError) else None


def _retry_after(exc: Exception) -> float | None:
    headers = getattr(exc, "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
