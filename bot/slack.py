"""Slack: slack-bolt's AsyncApp on the shared aiohttp server, or over Socket Mode.

The only module that imports ``slack_bolt`` and ``slack_sdk``. It turns Slack
payloads into the neutral ``Incoming``, records them through ``Core.accept``
before Bolt acknowledges the request (so a retry is recognised and a restart
loses nothing), answers through ``Core.run`` after the acknowledgement and
renders replies with ``bot.blockkit``.

Each listener is registered with a listener middleware that does the pre-ack
part (build the Incoming, look up the profile, accept it): Bolt runs listener
middleware before it acknowledges, even for Events API listeners, which it
acknowledges automatically before the listener body when
``process_before_response`` is False (the production setting).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
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
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot import blockkit
from bot.config import Settings
from bot.core import Core
from bot.messages import Attachment, Incoming, Profile, Reply, storable

log = logging.getLogger("ambassador.slack")

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"

# A person's Slack profile changes rarely; an hour keeps users.info off the
# path of almost every message while a deactivation still arrives as user_change.
PROFILE_TTL = 3600.0
# users.info runs before the acknowledgement, which Slack wants within 3 s.
PROFILE_TIMEOUT = 1.5
PROFILE_CACHE_MAX = 20_000
# How long shutdown waits for answers already acknowledged to go out; what is
# left is finished by Core.recover after the restart.
DRAIN_TIMEOUT = 10.0
# One Web API call, retries after a 429 not counted (the SDK's own default). The shared session
# carries it: with a session of its own choosing the SDK applies no timeout at all.
API_TIMEOUT = 30.0

# Slack's user and conversation ids are about a dozen characters.
MAX_ID = 255

_WORK = "ambassador_work"
# Message subtypes that are a person writing to the bot; edits, deletions,
# joins and the like are acknowledged and ignored.
_KEPT_SUBTYPES = {None, "file_share"}
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


class SlackAdapter:
    """Slack in HTTP mode (``/slack/events``) and/or Socket Mode, plus proactive sending."""

    def __init__(self, core: Core, settings: Settings, *, process_before_response: bool = False) -> None:
        self.core = core
        self.settings = settings
        self.process_before_response = process_before_response
        slack = settings.slack
        self.client = AsyncWebClient(
            token=slack.bot_token,
            base_url=_api_url(slack.api_url),
            # Slack answers 429 with Retry-After when a method's rate tier is used
            # up; the SDK's handler waits that long and tries again.
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ],
        )
        # Keyed messages (the content outbox) are not retried blindly after a lost
        # connection, which could post them twice: _post_once looks them up first.
        self._keyed = AsyncWebClient(
            token=slack.bot_token,
            base_url=_api_url(slack.api_url),
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        self._verifier = SignatureVerifier(slack.signing_secret) if slack.signing_secret else None
        self._bolt: AsyncApp | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._socket_task: asyncio.Task[None] | None = None
        self._users: dict[str, tuple[float, dict[str, Any]]] = {}
        self._dms: dict[str, str] = {}
        self._remembered: set[tuple[str, str]] = set()
        self._inflight: set[asyncio.Task[Any]] = set()
        self._session: aiohttp.ClientSession | None = None
        # A message shortcut's callback id -> what it starts, as the capabilities declare it.
        self._shortcuts = {s.slack: s for s in core.router.shortcuts if s.slack}

    @property
    def bolt(self) -> AsyncApp:
        if self._bolt is None:
            raise RuntimeError("SlackAdapter.mount() has not been called")
        return self._bolt

    # -- wiring ---------------------------------------------------------

    def mount(self, app: web.Application) -> AsyncApp:
        slack = self.settings.slack
        bolt = AsyncApp(
            client=self.client,
            # Socket Mode requests are not signed; Bolt skips the check for them.
            signing_secret=slack.signing_secret or "",
            process_before_response=self.process_before_response,
            name="ambassador",
        )
        bolt.use(_StorableBody())
        bolt.event("message", middleware=[self._prepare_message])(self._answer)
        bolt.event("app_mention", middleware=[self._prepare_mention])(self._answer)
        # Every slash command Slack routes to this app is ours: the manifest
        # declares one, and a workspace may have renamed it to avoid a clash.
        bolt.command(re.compile(r"^/"), middleware=[self._prepare_command])(self._ack_and_answer)
        bolt.block_action(re.compile(r".*"), middleware=[self._prepare_action])(self._ack_and_answer)
        # A form a handler sent (a modal) comes back here; its action id is in the view's metadata.
        bolt.view_submission(blockkit.FORM_CALLBACK, middleware=[self._prepare_view])(self._ack_and_answer)
        for callback_id in self._shortcuts:
            bolt.message_shortcut(callback_id, middleware=[self._prepare_shortcut])(self._ack_and_answer)
        bolt.event("app_home_opened")(self._publish_home)
        bolt.event("user_change", middleware=[self._prepare_user_change])(self._nothing)
        self._bolt = bolt

        if slack.signing_secret:
            app.router.add_post(EVENTS_PATH, self._http)
        app.on_startup.append(self._open_session)
        if slack.socket_mode:
            app.on_startup.append(self._start_socket_mode)
        app.on_cleanup.append(self._cleanup)
        self.core.register_sender("slack", self)
        return bolt

    async def _open_session(self, app: web.Application) -> None:
        # One connection pool for every Web API call: without it the SDK opens a
        # new session (and TCP/TLS connection) per call.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=API_TIMEOUT))
        self.client.session = self._keyed.session = self._session

    async def _start_socket_mode(self, app: web.Application) -> None:
        # The Socket Mode client binds to the running loop, so it is built here.
        self._socket = AsyncSocketModeHandler(self.bolt, self.settings.slack.app_token)
        # Connecting retries until Slack is reachable; the web server (and
        # /healthz) must not wait for that.
        self._socket_task = asyncio.create_task(self._socket.connect_async(), name="slack-socket-mode")
        log.info("slack socket mode connecting")

    async def _close_session(self) -> None:
        if self._session is not None:
            self.client.session = self._keyed.session = None
            await self._session.close()
            self._session = None

    async def _cleanup(self, app: web.Application) -> None:
        if self._socket_task is not None:
            self._socket_task.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._socket_task
        if self._socket is not None:
            with suppress(Exception):
                await self._socket.close_async()
        pending = {t for t in self._inflight if t is not asyncio.current_task() and not t.done()}
        if pending:
            await asyncio.wait(pending, timeout=DRAIN_TIMEOUT)
        await self._close_session()

    async def _http(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        if not self._signature_ok(raw, request):
            # Bolt would say the same; checking first keeps unsigned garbage
            # from reaching the body parser at all.
            return web.json_response({"error": "invalid signature or timestamp"}, status=401)
        try:
            bolt_request = await to_bolt_request(request)
            well_formed = _well_formed(bolt_request)
        except (ValueError, TypeError, AttributeError, KeyError, LookupError):
            # LookupError: a Content-Type naming a charset Python does not know.
            well_formed = False
        if not well_formed:
            return web.json_response({"error": "malformed request body"}, status=400)
        bolt_response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    def _signature_ok(self, raw: bytes, request: web.Request) -> bool:
        if self._verifier is None:
            return False
        try:
            return self._verifier.is_valid_request(raw, dict(request.headers))
        except (ValueError, TypeError):  # a timestamp that is not a number
            return False

    @asynccontextmanager
    async def _tracked(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    # -- before the acknowledgement ----------------------------------------

    async def _accept(
        self, incoming: Incoming, context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        incoming.profile = await self._profile(incoming.user_id, context)
        if incoming.profile is not None:
            if incoming.profile.is_bot:
                return _ack()
            incoming.locale = incoming.profile.locale
        task_id = await self.core.accept(incoming)
        if task_id is None:
            return _ack()  # a retry of something already answered
        context[_WORK] = (task_id, incoming)
        await next()
        return None

    async def _prepare_message(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        event = _dict(body.get("event"))
        user = event.get("user")
        channel = event.get("channel")
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
        incoming = Incoming(
            platform="slack",
            user_id=user,
            conversation_id=channel,
            text=blockkit.unescape(str(event.get("text") or "")),
            source="message",
            event_id=_text(body.get("event_id")),
            is_direct=True,
            team_id=_text(body.get("team_id")) or _text(event.get("team")),
            attachments=_files(event),
            meta=meta,
        )
        return await self._accept(incoming, context, next)

    async def _prepare_mention(
        self, body: dict[str, Any], context: AsyncBoltContext, next: ListenerNext
    ) -> BoltResponse | None:
        event = _dict(body.get("event"))
        user = event.get("user")
        channel = event.get("channel")
        if (
            not _is_id(user)
            or not _is_id(channel)
            or event.get("bot_id")
            or _is_dm(channel)
        ):
            return _ack()  # in a DM the message event answers it
        incoming = Incoming(
            platform="slack",
            user_id=user,
            conversation_id=channel,
            text=blockkit.unescape(_strip_mentions(str(event.get("text") or ""), context.bot_user_id)),
            source="mention",
            event_id=_text(body.get("event_id")),
            is_direct=False,
            team_id=_text(body.get("team_id")) or _text(event.get("team")),
            attachments=_files(event),
            # Answer in the thread of the mention, so the channel stays readable.
            meta={"channel": channel, "thread_ts": _text(event.get("thread_ts")) or _text(event.get("ts"))},
        )
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
        incoming = Incoming(
            platform="slack",
            user_id=user,
            # The modal is closed on the acknowledgement: the answer goes to the person's DM.
            conversation_id=user,
            source="action",
            action_id=action_id,
            values=values,
            event_id=f"view:{key}" if key else None,
            is_direct=True,
            team_id=_text(_dict(body.get("team")).get("id")) or _text(_dict(body.get("user")).get("team_id")),
            meta={"channel": None},
        )
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
            team_id=_text(_dict(body.get("team")).get("id")) or _text(_dict(body.get("user")).get("team_id")),
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
        incoming = Incoming(
            platform="slack",
            user_id=user,
            # The screenshot on a reported message goes with the report (a draft's files are not checked).
            attachments=_files(message) if shortcut.files else [],
            # The verdict on a draft, the receipt of a report: the asker's business, in their DM.
            conversation_id=user,
            text=text,
            source="shortcut",
            action_id=action_id,
            values=values,
            event_id=f"action:{key}" if key else None,
            is_direct=True,
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

    # -- after the acknowledgement -----------------------------------------

    async def _answer(self, context: AsyncBoltContext) -> None:
        work = context.get(_WORK)
        if work is None:
            return
        task_id, incoming = work
        async with self._tracked():
            try:
                await self.core.run(task_id, incoming, lambda replies: self._reply(incoming, replies))
            except Exception as exc:
                # The core kept the answer; its recovery delivers it later. Slack
                # must not retry the event for this: the work itself is done.
                error = _error_name(exc)
                log.warning(
                    "answer not delivered; kept for another try", extra={"task": task_id, "error": error}
                )
                return
            if incoming.source == "message" and _is_dm(incoming.conversation_id):
                await self._remember_dm(incoming.user_id, incoming.conversation_id, incoming.team_id)

    async def _ack_and_answer(self, ack: Callable[..., Awaitable[None]], context: AsyncBoltContext) -> None:
        await ack()
        await self._answer(context)

    async def _nothing(self) -> None:
        return None

    async def _publish_home(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        user = event.get("user")
        if event.get("tab") != "home" or not _is_id(user):
            return
        channel = event.get("channel")
        async with self._tracked():
            profile = await self._profile(user, context)
            incoming = Incoming(
                platform="slack",
                user_id=user,
                conversation_id=channel if isinstance(channel, str) else user,
                text="status",
                source="home",
                event_id=_text(body.get("event_id")),
                is_direct=True,
                team_id=_text(body.get("team_id")),
                profile=profile,
                locale=profile.locale if profile else None,
            )
            try:
                replies = await self.core.dispatch(incoming)
                await self.client.views_publish(user_id=user, view=blockkit.home_view(replies))
            except SlackApiError as exc:
                log.warning("app home not published", extra={"error": _error_name(exc)})
                return
            if _is_dm(channel):
                # app_home_opened names the DM with the bot: keep it for proactive messages.
                await self._remember_dm(user, channel, _text(body.get("team_id")))

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
