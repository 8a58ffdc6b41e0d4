"""Microsoft Teams, through the Microsoft 365 Agents SDK's aiohttp hosting (CloudAdapter) at /api/messages.

This package is the only code that imports the Agents SDK (``microsoft_agents``): what it touches
stays here. The SDK checks each request's token (its JWT authorization, with issuer validation
switched on), runs the turn (its CloudAdapter and TeamsActivityHandler) and sends through its
connector client. Activities become the neutral ``Incoming``; replies become Adaptive Cards or
markdown messages (cards.py).
"""

from __future__ import annotations

import contextvars
import logging
import warnings
from typing import Any

from aiohttp import web
from microsoft_agents.activity import Activity, Attachment, ChannelAccount
from microsoft_agents.activity.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleResponseBase,
    TaskModuleTaskInfo,
)
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ConnectionManager,
    Connections,
    TurnContext,
)

from bot import files
from bot.config import Settings, TeamsSecrets
from bot.core import Core
from bot.messages import Attachment as IncomingAttachment
from bot.messages import Incoming, Profile, Reply, Source, storable
from bot.platforms.teams import cards
from bot.platforms.teams.activities import (
    _activity_problem,
    _bearer_problem,
    _is_personal,
    _json_error,
    _mention_text,
    _reference_is_personal,
    _stored_reference,
    _tenant_of,
    _TurnFailed,
    html_to_text,
)
from bot.platforms.teams.directory import TeamsDirectory
from bot.platforms.teams.handler import _AmbassadorBot
from bot.platforms.teams.outbound import TeamsOutbound
from bot.platforms.teams.transport import SharedPool, _ConnectorClients

log = logging.getLogger("ambassador.teams")

MESSAGES_PATH = "/api/messages"
UNAUTHENTICATED_WARNING = (
    "Teams endpoint accepts unauthenticated requests: for the Bot Framework Emulator and tests only"
)
# Where the SDK's JWT authorization reads its configuration (request.app[...]).
AUTH_CONFIG_KEY = "agent_configuration"
# Whether the request got past the SDK's token check (a 401 after it is the bot's own, logged where it is made).
_TOKEN_ACCEPTED: contextvars.ContextVar[bool] = contextvars.ContextVar("teams_token_accepted", default=False)


def sdk_connections(teams: TeamsSecrets) -> tuple[Connections, AgentAuthConfiguration]:
    """The SDK's connection manager and the configuration its JWT authorization checks tokens with.

    With an app id: the SDK's own settings (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*, the older
    names filled in) through MsalConnectionManager, with VALIDATE_ISSUER on: the SDK leaves issuer
    validation off unless asked, and a token from an issuer the bot does not trust must not pass.
    Without one (TEAMS_ALLOW_UNAUTHENTICATED): anonymous requests, and no token on what the bot sends.
    """
    if teams.app_id:
        settings: dict[str, Any] = {**teams.sdk_settings, "VALIDATE_ISSUER": True}
        manager = MsalConnectionManager(CONNECTIONS={"SERVICE_CONNECTION": {"SETTINGS": settings}})
        return manager, manager.get_default_connection_configuration()
    config = AgentAuthConfiguration(anonymous_allowed=True, validate_issuer=True)
    anonymous = ConnectionManager(provider_factory=lambda _config: AnonymousTokenProvider(),
                                  connections_configurations={"SERVICE_CONNECTION": config})
    return anonymous, config


def _service_url_claimed(identity: Any, service_url: str) -> bool:
    """Whether a token that names a service URL (its ``serviceurl`` claim) names this activity's."""
    claimed = identity.get_claim_value("serviceurl") if identity is not None else None
    if not claimed:
        return True
    return str(claimed).rstrip("/").casefold() == service_url.rstrip("/").casefold()


class _PreparedRequest:
    """The request as the SDK's HttpAdapterBase reads it (HttpRequestProtocol), with the body read and
    checked here: ``storable`` made it safe to store (a NUL or a lone surrogate would fail an insert)."""

    def __init__(self, request: web.Request, body: dict[str, Any]) -> None:
        self._request = request
        self._body = body

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Any:
        return self._request.headers

    async def json(self) -> dict[str, Any]:
        return self._body

    def get_claims_identity(self) -> Any:
        return self._request.get("claims_identity")  # set by the SDK's JWT authorization

    def get_path_param(self, name: str) -> str:
        return self._request.match_info[name]


class TeamsAdapter(TeamsDirectory, TeamsOutbound):
    """The Teams side of the bot: the /api/messages endpoint and proactive sending."""

    def __init__(
        self, core: Core, settings: Settings, *, max_attempts: int = 5, max_retry_delay: float = 30.0
    ) -> None:
        teams = settings.teams
        if not teams.configured:
            raise ValueError("Teams is not configured: set MicrosoftAppId (or TEAMS_ALLOW_UNAUTHENTICATED=1)")
        self.core = core
        self.settings = settings
        self.app_id: str | None = teams.app_id or None
        self.requires_auth = bool(teams.app_id)
        connections, self.auth_config = sdk_connections(teams)
        self.pool = SharedPool()
        self.clients = _ConnectorClients(connections, self.pool, anonymous=not teams.app_id)
        self.adapter = CloudAdapter(channel_service_client_factory=self.clients)
        self.adapter.on_turn_error = self._on_turn_error
        # The SDK's JWT authorization in front of the turn (a 401 with a clear log line for a bad token).
        self._authorized = jwt_authorization_decorator(self._handle_authorized)
        self.bot = _AmbassadorBot(self)
        self.max_attempts = max(1, max_attempts)
        self.max_retry_delay = max_retry_delay
        self._profiles: dict[str, tuple[float, Profile | None]] = {}
        self._teams_known: set[str] = set()  # teams remembered by this process (remember_team)
        # A message action's command id -> the neutral action it starts, as the capabilities declare it.
        self._message_actions = {s.teams: s.action_id for s in core.router.shortcuts if s.teams}
        core.router.texts(files.TEXTS)  # the wording of file cards (send_file)
        core.register_sender("teams", self)

    # -- HTTP -------------------------------------------------------------

    def mount(self, app: web.Application) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # aiohttp prefers AppKey keys; the SDK reads this one by name
            app[AUTH_CONFIG_KEY] = self.auth_config
        app.router.add_post(MESSAGES_PATH, self.handle_request)
        app.on_cleanup.append(self._close_http)
        if not self.requires_auth:
            app.on_startup.append(self._warn_unauthenticated)

    async def _close_http(self, app: web.Application) -> None:
        await self.pool.close()

    async def _warn_unauthenticated(self, app: web.Application) -> None:
        log.warning(UNAUTHENTICATED_WARNING)

    async def handle_request(self, request: web.Request) -> web.StreamResponse:
        if self.requires_auth:
            problem = _bearer_problem(request.headers.get("Authorization", ""))
            if problem:
                # Refused before the SDK sees it: a garbled or foreign token must never make it fetch keys.
                log.warning("Teams request refused: %s", problem)
                return _json_error(401, "a valid Authorization bearer token is required")
        accepted = _TOKEN_ACCEPTED.set(False)
        try:
            response = await self._authorized(request)
            if response.status == 401 and not _TOKEN_ACCEPTED.get():
                log.warning("Teams request refused: the bearer token was not accepted")
        finally:
            _TOKEN_ACCEPTED.reset(accepted)
        return response

    async def _handle_authorized(self, request: web.Request) -> web.StreamResponse:
        _TOKEN_ACCEPTED.set(True)  # the SDK's JWT authorization let the request through
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _json_error(415, "send the activity as application/json")
        try:
            body = await request.json()
        except (ValueError, LookupError):
            return _json_error(400, "the body is not valid JSON")
        # Checked as it will be processed: what storable() makes of it (text the database can hold)
        # is what the SDK's model reads, so a field it empties is refused here, not a 500 later.
        body = storable(body)
        problem = _activity_problem(body)
        if problem:
            log.info("Teams activity refused: %s", problem)
            return _json_error(400, problem)
        if not _service_url_claimed(request.get("claims_identity"), body["serviceUrl"]):
            # The SDK only logs this unless its outbound host validator is on, which admits no
            # loopback or plain-http connector (the Emulator's): the bot refuses it here.
            log.warning("Teams request refused: the token was issued for another service URL")
            return _json_error(401, "the bearer token was not issued for this activity's serviceUrl")
        try:
            result = await self.adapter.process_request(_PreparedRequest(request, body), self.bot)
        except _TurnFailed:
            return _json_error(500, "the bot could not process this activity")
        if result.body is not None:
            return web.json_response(result.body, status=result.status_code, headers=result.headers)
        return web.Response(status=result.status_code, headers=result.headers)

    async def _on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        log.error(
            "Teams turn failed",
            exc_info=(type(error), error, error.__traceback__),
            extra={"activity_type": activity.type, "activity_name": activity.name},
        )
        raise _TurnFailed(str(error)) from error

    # -- incoming ---------------------------------------------------------

    def _incoming(
        self,
        activity: Activity,
        *,
        text: str = "",
        source: Source = "message",
        action_id: str | None = None,
        values: dict[str, Any] | None = None,
        profile: Profile | None = None,
        attachments: list[IncomingAttachment] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Incoming:
        conversation = activity.conversation
        return Incoming(
            platform="teams",
            user_id=activity.from_property.id,
            conversation_id=conversation.id,
            text=text,
            source=source,
            action_id=action_id,
            values=values or {},
            locale=activity.locale,
            # Teams redelivers with the same activity id; ids are unique per conversation.
            event_id=f"{conversation.id}:{activity.id}" if activity.id else None,
            is_direct=_is_personal(conversation),
            team_id=_tenant_of(activity),
            profile=profile,
            attachments=attachments or [],
            meta={"conversation_type": conversation.conversation_type, **(meta or {})},
        )

    def _action_values(self, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        values = {k: v for k, v in data.items() if k not in (cards.ACTION_KEY, "msteams")}
        picked = values.pop(cards.CHOICE_KEY, None)
        if isinstance(picked, str) and picked in values:
            values["value"] = values[picked]
        action_id = str(data[cards.ACTION_KEY])
        if action_id.split(":", 1)[0] not in self.core.router.actions:
            # A card of another app, an old card of a removed feature, or a forged submit: the core says so.
            log.info("Teams card submit with an action id the bot does not know",
                     extra={"action_id": action_id[:100]})
        return action_id, values

    async def on_message(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        personal = _is_personal(activity.conversation)
        if value is not None and value.get(cards.ACTION_KEY):
            action_id, values = self._action_values(value)
            conversation = await self._prepare(turn_context)
            incoming = self._incoming(
                activity,
                source="action",
                action_id=action_id,
                values=values,
                profile=await self._profile(turn_context),
            )
        else:
            text, mentioned = _mention_text(activity)
            if not personal and not mentioned:
                return  # channel talk not addressed to the bot (possible with RSC permissions)
            attachments = [
                IncomingAttachment(
                    name=a.name or a.content_type or "file", content_type=a.content_type, url=a.content_url
                )
                for a in activity.attachments or []
                # Teams repeats a formatted message's own text as a text/html attachment.
                if a.content_type not in ("text/html", "text/plain")
            ]
            conversation = await self._prepare(turn_context)
            incoming = self._incoming(
                activity,
                text=text,
                source="message" if personal else "mention",
                attachments=attachments,
                profile=await self._profile(turn_context),
            )
        await self.core.handle(incoming, self._sender(turn_context, personal), conversation=conversation)

    async def on_card_invoke(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        if not value.get(cards.ACTION_KEY):
            log.info("Teams card submit without an action id: nothing to do")
            return
        action_id, values = self._action_values(value)
        conversation = await self._prepare(turn_context)
        incoming = self._incoming(
            activity,
            source="action",
            action_id=action_id,
            values=values,
            profile=await self._profile(turn_context),
        )
        await self.core.handle(incoming, self._sender(turn_context, _is_personal(activity.conversation)),
                               conversation=conversation)

    async def on_message_action(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """The "Check before posting" and "Report to comms" message actions, and buttons pressed in their dialog."""
        activity = turn_context.activity
        data = action.data if isinstance(action.data, dict) else {}
        conversation = await self._prepare(turn_context)
        profile = await self._profile(turn_context)
        if data.get(cards.ACTION_KEY):
            action_id, values = self._action_values(data)
            incoming = self._incoming(
                activity, source="action", action_id=action_id, values=values, profile=profile
            )
        elif action.command_id in self._message_actions:
            payload = action.message_payload
            body = payload.body if payload else None
            content = (body.content or "") if body else ""
            text = content if body and (body.content_type or "").lower() == "text" else html_to_text(content)
            incoming = self._incoming(
                activity,
                text=text,
                source="shortcut",
                action_id=self._message_actions[action.command_id],
                values={"text": text, "permalink": payload.link_to_message if payload else None},
                profile=profile,
                meta={
                    "message_id": payload.id if payload else None,
                    "message_link": payload.link_to_message if payload else None,
                },
            )
        else:
            log.warning("unknown Teams message action", extra={"command_id": str(action.command_id)[:100]})
            if conversation is not None:
                await self._remember(activity)  # no event to keep it with
            return MessagingExtensionActionResponse(
                task=TaskModuleResponseBase(type="message", value=action.command_id or "?")
            )

        replies: list[Reply] = []

        async def collect(answer: list[Reply]) -> None:
            replies.extend(answer)

        await self.core.handle(incoming, collect, conversation=conversation)
        if not replies:
            # A redelivered invoke: the first delivery showed the answer.
            return MessagingExtensionActionResponse(task=TaskModuleResponseBase(type="message", value="✓"))
        title = next((r.title for r in replies if r.title), None) or self.settings.app.program.name
        card = Attachment(content_type=cards.ADAPTIVE_CARD, content=cards.merged_card(replies))
        # The SDK's TaskModuleContinueResponse is no TaskModuleResponseBase (1.9), which its
        # MessagingExtensionActionResponse wants: the continue response is written as its base.
        return MessagingExtensionActionResponse(
            task=TaskModuleResponseBase(
                type="continue",
                value=TaskModuleTaskInfo(title=title, card=card, height="medium", width="medium"),
            )
        )

    async def on_members_removed(self, members: list[ChannelAccount], turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        conversation = activity.conversation
        group_chat = bool(conversation and conversation.conversation_type == "groupChat")
        for member in members:
            if member.id == bot_id:
                log.info("bot removed from a Teams conversation")
                continue
            if group_chat:
                continue  # leaving a group chat says nothing about being in the company
            # Removed from the team or the tenant: the person leaves the program at once.
            self._profiles.pop(member.id, None)
            await self.core.deactivate("teams", member.id)

    async def on_installed(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self.remember_team(activity)
        if activity.from_property and activity.conversation and _is_personal(activity.conversation):
            # Reachable for proactive messages from the moment of installation.
            await self._remember(activity)

    # -- people and conversations -------------------------------------------

    async def _prepare(self, turn_context: TurnContext) -> tuple[str, dict[str, Any]] | None:
        """The personal chat's reference, for core.handle to keep with the event in one transaction
        (the core's group commit); another conversation's is kept here, as ``_remember`` does."""
        activity = turn_context.activity
        if _is_personal(activity.conversation):
            return activity.conversation.id, self._reference(activity)
        await self.remember_team(activity)
        await self._remember(activity)
        return None

    @staticmethod
    def _reference(activity: Activity) -> dict[str, Any]:
        ref = activity.get_conversation_reference()
        if ref.conversation is not None:
            ref.conversation.tenant_id = _tenant_of(activity)
        return _stored_reference(ref)

    async def _remember(self, activity: Activity) -> None:
        user_id = activity.from_property.id
        reference = self._reference(activity)
        if not _is_personal(activity.conversation):
            # One reference per person: the personal chat wins over a channel
            # thread, so proactive messages never land in a channel by accident.
            known = await self.core.conversation_of("teams", user_id)
            if known is not None and _reference_is_personal(known.reference):
                return
        await self.core.remember_conversation("teams", user_id, activity.conversation.id, reference)
