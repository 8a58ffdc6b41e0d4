"""Slack: slack-bolt's AsyncApp on the shared aiohttp server, or over Socket Mode.

This package is the only code that imports ``slack_bolt`` and ``slack_sdk``. It turns Slack
payloads into the neutral ``Incoming``, records them through ``Core.accept``
before Bolt acknowledges the request (so a retry is recognised and a restart
loses nothing), answers through ``Core.run`` after the acknowledgement and
renders replies with ``blockkit``.

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
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.core import Core
from bot.messages import Incoming
from bot.platforms.slack import blockkit
from bot.platforms.slack.inbound import SlackInbound
from bot.platforms.slack.outbound import SlackOutbound
from bot.platforms.slack.payloads import (
    ListenerNext,
    _ack,
    _api_url,
    _error_name,
    _is_dm,
    _is_id,
    _StorableBody,
    _text,
    _well_formed,
)

log = logging.getLogger("ambassador.slack")

EVENTS_PATH = "/slack/events"

# How long shutdown waits for answers already acknowledged to go out; what is
# left is finished by Core.recover after the restart.
DRAIN_TIMEOUT = 10.0
# One Web API call, retries after a 429 not counted (the SDK's own default). The shared session
# carries it: with a session of its own choosing the SDK applies no timeout at all.
API_TIMEOUT = 30.0

_WORK = "ambassador_work"


class SlackAdapter(SlackInbound, SlackOutbound):
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
