"""Microsoft Teams, through botbuilder-python's CloudAdapter at /api/messages.

The only module that imports botbuilder: the Teams SDK for Python is in
maintenance, so everything it touches stays here and a move to its successor
is a change of this module alone. Activities become the neutral ``Incoming``;
replies become Adaptive Cards or markdown messages (bot.cards).
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import os
import random
import re
import ssl
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import certifi
from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext, serializer_helper
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botbuilder.schema.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleTaskInfo,
    TeamsChannelData,
)
from botframework.connector import Channels, ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.serialization import Serializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse
from multidict import CIMultiDict
from sqlmodel import select

from bot import cards, files
from bot.config import Settings
from bot.core import Core, Send
from bot.messages import Attachment as IncomingAttachment
from bot.messages import Button, Incoming, Profile, Reply, Source, storable
from storage.models import ConversationRef, Identity, Person

log = logging.getLogger("ambassador.teams")

MESSAGES_PATH = "/api/messages"
UNAUTHENTICATED_WARNING = (
    "Teams endpoint accepts unauthenticated requests: for the Bot Framework Emulator and tests only"
)

# Member lookups cost a connector round trip per message; profiles change rarely.
PROFILE_TTL = 3600.0
# A failed lookup (the Emulator has no directory) is retried sooner.
PROFILE_FAILURE_TTL = 300.0
PROFILE_CACHE_MAX = 10_000
# Teams gives up on a request after 15 seconds; a slow directory must not eat that.
LOOKUP_TIMEOUT = 5.0
# ConversationRef rows of the teams the bot is in (user_id: the team id), where people are looked up by address.
TEAM_PLATFORM = "teams-team"
MAX_TEAMS_ASKED = 5
# Connector clients kept for reuse: one per (app id, service URL, audience). A
# tenant has a handful of service URLs; the bound only matters when
# unauthenticated requests (Emulator) name arbitrary ones.
CONNECTOR_CACHE_MAX = 64
# Teams' ids are a few dozen characters (a personal chat's about 130); far longer ones are not ids.
MAX_ID = 1024
# One call to the connector (a reply, a proactive message). botbuilder's own is 100 s, far past the
# 15 s Teams gives a turn: a silent connector would hold the turn long after Teams gave up on it.
CONNECTOR_TIMEOUT = 10.0

T = TypeVar("T")


class TeamsDeliveryError(Exception):
    """A proactive message could not be delivered (no conversation known, connector refused)."""


class _TurnFailed(Exception):
    """A turn failed outside the handlers; the request is answered 500 so Teams redelivers."""


@dataclass(frozen=True)
class _BotFrameworkConfig:
    """The configuration object ConfigurationBotFrameworkAuthentication reads its keys from."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


_JWT = re.compile(r"^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def _looks_like_bearer(header: str) -> bool:
    # Checked before the SDK sees the request: a missing or garbled header must
    # never make it fetch OpenID metadata (or fail with a 500 on decoding).
    return bool(_JWT.match(header.strip()))


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
    try:
        Activity().deserialize(body)
        # TeamsActivityHandler reads channelData as TeamsChannelData on its own, outside any handler.
        TeamsChannelData().deserialize(body.get("channelData") or {})
    except (DeserializationError, TypeError, ValueError, AttributeError):
        return "the activity does not match the Bot Framework schema"
    return None


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
    # Teams sends conversation.tenantId, the SDK's model reads "tenantID": the
    # tenant arrives reliably only in channelData.
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant") if isinstance(channel_data.get("tenant"), dict) else {}
    conversation = activity.conversation
    extra = getattr(conversation, "additional_properties", None) or {}
    return tenant.get("id") or (conversation.tenant_id if conversation else None) or extra.get("tenantId")


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
    data = reference.serialize()
    data.pop("activityId", None)
    user = data.get("user") or {}
    data["user"] = {k: v for k, v in user.items() if k in ("id", "aadObjectId")}
    return data


def _reference_is_personal(data: dict[str, Any]) -> bool:
    return _is_personal(ConversationAccount().deserialize(data.get("conversation") or {}))


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
        props = getattr(entity, "additional_properties", None) or {}
        who = props.get("mentioned") if isinstance(props.get("mentioned"), dict) else {}
        if not bot_id or who.get("id") != bot_id:
            continue
        mentioned = True
        markup = props.get("text") if isinstance(props.get("text"), str) else ""
        if markup and markup in text:
            text = text.replace(markup, " ", 1)
        else:
            name = re.escape(str(who.get("name") or ""))
            text = re.sub(rf"<at[^>]*>\s*{name}\s*</at>", " ", text, count=1, flags=re.IGNORECASE)
    return text.replace("\xa0", " ").strip(), mentioned


def _http_status(exc: HttpOperationError) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status", None) or getattr(response, "status_code", None)
    return int(status) if status else None


def _retry_after(exc: HttpOperationError) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _app_id(claims_identity: ClaimsIdentity | None) -> str | None:
    # Where botbuilder itself finds the bot's app id in a turn's claims (an
    # incoming request: the token's audience; a proactive turn: the app id claim).
    if claims_identity is None:
        return None
    return claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM) or claims_identity.get_claim_value(
        AuthenticationConstants.APP_ID_CLAIM
    )


# -- the connector's HTTP ---------------------------------------------------------

# msrest sends with ``requests`` in the default thread pool: about 2.4 ms more CPU per connector call
# than aiohttp here (5.7 against 3.3 ms for an alert card: the GIL handed back and forth, requests' own
# preparation), and a burst of calls queues for the pool's few threads. ``_AiohttpSender`` is msrest's last pipeline step on aiohttp,
# with what the requests stack did: the same credentials sign each request, the same timeout, proxies
# and CA bundle from the environment, and urllib3's retries as msrest configured them.
RETRIES = 3
RETRY_BACKOFF = 0.8  # seconds, doubled per retry after the first (urllib3's backoff_factor)
RETRY_BACKOFF_MAX = 120.0
# Retried when the answer is one of these and the method may be repeated: what msrest asks of urllib3.
RETRY_STATUSES = frozenset({408} | set(range(500, 999)) - {501, 505})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
RETRY_AFTER_STATUSES = frozenset({413, 429, 503})


class _AiohttpResponse(AsyncClientResponse):
    """An answer read whole, as msrest's deserialisers and HttpOperationError expect it."""

    def __init__(self, request: ClientRequest, internal: aiohttp.ClientResponse, body: bytes) -> None:
        super().__init__(request, internal)
        self.status_code = internal.status
        self.headers = CIMultiDict(internal.headers)
        self.reason = internal.reason
        self._body = body

    def body(self) -> bytes:
        return self._body

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise ClientRequestError(f"Received status code {self.status_code}")


def _ca_bundle() -> str:
    # What requests trusts: REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE when set, else certifi's bundle.
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or certifi.where()


class _HttpSession:
    """The one aiohttp session the adapter's connector clients share (made on the running loop)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            ssl_context = ssl.create_default_context(cafile=_ca_bundle())
            self._session = aiohttp.ClientSession(trust_env=True, connector=aiohttp.TCPConnector(ssl=ssl_context))
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


class _AiohttpSender(AsyncHTTPSender):
    """msrest's last pipeline step for one connector client, on the shared aiohttp session."""

    def __init__(self, http: _HttpSession, connection: Any) -> None:
        self._http = http
        self._connection = connection  # the client's msrest connection settings (its timeout)

    async def __aenter__(self) -> _AiohttpSender:
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        return None

    def build_context(self) -> None:
        return None

    async def send(self, request: Request, **config: Any) -> Response:
        http = request.http_request
        if http.files:
            # No connector operation the adapter uses uploads a form; never send one without its files.
            raise ClientRequestError("multipart requests are not supported by the Teams adapter's sender")
        # aiohttp sets the length of what it sends itself.
        headers = {k: v for k, v in http.headers.items() if k.lower() != "content-length"}
        timeout = self._connection.timeout
        method = http.method.upper()
        retries = 0
        while True:
            try:
                async with self._http.get().request(
                    method, http.url, headers=headers, data=http.data,
                    # requests' timeout: to connect, and between bytes of the answer.
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout),
                    # msrest does not let requests follow a redirect of anything but GET and HEAD.
                    allow_redirects=method in ("GET", "HEAD"),
                ) as resp:
                    body = await resp.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                # Not connected, so nothing was sent: any method may try again; else only the repeatable.
                unsent = isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
                repeatable = unsent or method in IDEMPOTENT
                if retries >= RETRIES or not repeatable:
                    raise ClientRequestError(f"Error occurred in request: {type(exc).__name__}: {exc}") from exc
                retries += 1
                await asyncio.sleep(_backoff(retries))
                continue
            if resp.status in RETRY_STATUSES and method in IDEMPOTENT:
                if retries >= RETRIES:
                    raise ClientRequestError(f"Error occurred in request: too many {resp.status} answers")
                retries += 1
                await asyncio.sleep(_retry_delay(resp, retries))
                continue
            return Response(request, _AiohttpResponse(http, resp, body))


def _backoff(retry: int) -> float:
    return 0.0 if retry <= 1 else min(RETRY_BACKOFF_MAX, RETRY_BACKOFF * 2 ** (retry - 1))


def _retry_delay(resp: aiohttp.ClientResponse, retry: int) -> float:
    if resp.status in RETRY_AFTER_STATUSES:
        try:
            return max(0.0, float(resp.headers.get("Retry-After", "")))
        except ValueError:
            pass
    return _backoff(retry)


class _Headers:
    """What the credentials' signed_session writes the Authorization header into (a requests.Session
    there; only its headers are used)."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class _SigningPolicy(AsyncHTTPPolicy):
    """Signs each request as msrest's requests policy did: the credentials set (or, without an app id,
    leave out) the Authorization header, from MSAL's token cache."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials
        self._carrier = _Headers()

    async def send(self, request: Request, **kwargs: Any) -> Response:
        self._credentials.signed_session(self._carrier)
        authorization = self._carrier.headers.get("Authorization")
        if authorization:
            request.http_request.headers["Authorization"] = authorization
        else:
            request.http_request.headers.pop("Authorization", None)
        return await self.next.send(request, **kwargs)


class _PlainSerializer(Serializer):
    """msrest's serializer, with a short way for JSON data (a card's content): msrest walks it value by
    value through its type dispatch, more than half of the 1.6 ms it takes for an alert card here (0.7
    with this). Data of plain JSON types comes out as an equal copy, which is what msrest makes of it."""

    def serialize_object(self, attr: Any, **kwargs: Any) -> Any:
        try:
            return _plain_copy(attr)
        except _NotPlain:
            return super().serialize_object(attr, **kwargs)


class _NotPlain(Exception):
    pass


def _plain_copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            out[key] = _plain_copy(item)
        return out
    if kind is list:
        return [_plain_copy(item) for item in value]
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    raise _NotPlain


def _use_aiohttp(client: ConnectorClient, http: _HttpSession) -> None:
    """The client's pipeline as msrest builds it, with the signing policy and sender above."""
    config = client.config
    policies: list[Any] = [config.user_agent_policy, RawDeserializer(), config.http_logger_policy]
    if config.credentials is not None:
        policies.insert(1, _SigningPolicy(config.credentials))
    config.pipeline = AsyncPipeline(policies, _AiohttpSender(http, config.connection))
    plain = _PlainSerializer(client._serialize.dependencies)
    plain.client_side_validation = client._serialize.client_side_validation
    client._serialize = plain
    for operations in (client.conversations, client.attachments):
        operations._serialize = plain


class _SharedConnectorFactory(ConnectorFactory):
    """botbuilder's connector factory for one turn, answered from the adapter-wide clients."""

    def __init__(self, owner: _ReusedClients, inner: ConnectorFactory, app_id: str | None) -> None:
        self._owner = owner
        self._inner = inner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        return await self._owner.connector(self._inner, self._app_id, service_url, audience)


class _ReusedClients(BotFrameworkAuthentication):
    """BotFrameworkAuthentication that keeps connector and user-token clients for reuse.

    botbuilder builds a new ConnectorClient (with its own serializers, HTTP
    session and credentials) for every turn and every proactive message: about
    3 ms of CPU each, another 3 ms for a UserTokenClient nobody here uses, and,
    with an app id, a fresh MSAL application whose empty token cache means a
    token request to Entra ID per message. The clients hold no per-turn state,
    so one per (app id, service URL, audience) serves every turn. Tokens stay
    correct: the credentials sign each request anew from MSAL's cache, which
    renews a token before it expires.
    """

    def __init__(self, inner: BotFrameworkAuthentication, max_connectors: int = CONNECTOR_CACHE_MAX) -> None:
        self._inner = inner
        self._max = max_connectors
        self.http = _HttpSession()
        self._connectors: OrderedDict[tuple[str | None, str, str | None], ConnectorClient] = OrderedDict()
        self._token_clients: dict[str | None, UserTokenClient] = {}
        self.created = 0  # connector clients built so far

    async def connector(
        self, factory: ConnectorFactory, app_id: str | None, service_url: str, audience: str | None
    ) -> ConnectorClient:
        # No audience means the channel's default one, which botbuilder then uses: the same client.
        audience = audience or self._inner.get_originating_audience()
        key = (app_id, service_url, audience)
        client = self._connectors.get(key)
        if client is None:
            client = await factory.create(service_url, audience)
            client.config.connection.timeout = CONNECTOR_TIMEOUT
            _use_aiohttp(client, self.http)
            self.created += 1
            client = self._connectors.setdefault(key, client)  # another turn may have made one meanwhile
            while len(self._connectors) > self._max:
                self._connectors.popitem(last=False)
        self._connectors.move_to_end(key)
        return client

    def _wrap(self, result: AuthenticateRequestResult) -> AuthenticateRequestResult:
        if result.connector_factory is not None:
            result.connector_factory = _SharedConnectorFactory(
                self, result.connector_factory, _app_id(result.claims_identity)
            )
        return result

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        return self._wrap(await self._inner.authenticate_request(activity, auth_header))

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return self._wrap(await self._inner.authenticate_streaming_request(auth_header, channel_id_header))

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _SharedConnectorFactory(
            self, self._inner.create_connector_factory(claims_identity), _app_id(claims_identity)
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            if len(self._token_clients) >= 16:
                self._token_clients.clear()
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[app_id] = client
        return client

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


class _AmbassadorBot(TeamsActivityHandler):
    """Maps Teams activity kinds to the adapter; holds no state of its own."""

    def __init__(self, teams: TeamsAdapter) -> None:
        self._teams = teams

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._teams.on_message(turn_context)

    async def on_teams_card_action_invoke(self, turn_context: TurnContext) -> InvokeResponse:
        # Action.Submit with msteams {"type": "invoke"} arrives as a nameless invoke.
        await self._teams.on_card_invoke(turn_context)
        return InvokeResponse(status=200)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name in ("composeExtension/fetchTask", "composeExtension/submitAction"):
            # TeamsActivityHandler serializes the response body to a dict and
            # CloudAdapter.process serializes it again, which fails for a dict
            # (botbuilder 4.17: every message action would answer 500). The
            # model goes to the adapter unserialized instead.
            action = MessagingExtensionAction().deserialize(
                activity.value if isinstance(activity.value, dict) else {}
            )
            return InvokeResponse(status=200, body=await self._teams.on_message_action(turn_context, action))
        if activity.name:
            # Invokes this bot offers nothing for (task modules, searches, file consent, ...):
            # botbuilder would deserialize their value first and fail on an odd one with a 500.
            return InvokeResponse(status=501)
        return await super().on_invoke_activity(turn_context)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        # botbuilder would look up every added member first (a connector call each, and a failed
        # turn when one lookup fails); the bot greets nobody who joins, so it needs none of them.
        # The team itself is kept: people named in app.yaml are looked up in it by address.
        await self._teams.remember_team(turn_context.activity)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        await self._teams.on_members_removed(members_removed, turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._teams.on_installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        log.info(
            "Teams app uninstalled",
            extra={
                "conversation_type": activity.conversation.conversation_type
                if activity.conversation
                else None
            },
        )


class TeamsAdapter:
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
        config = _BotFrameworkConfig(
            APP_ID=teams.app_id or None,
            APP_PASSWORD=teams.app_password or None,
            # Without an app id only MultiTenant allows the anonymous path.
            APP_TYPE=teams.app_type if teams.app_id else "MultiTenant",
            APP_TENANTID=teams.tenant_id or None,
        )
        self.clients = _ReusedClients(ConfigurationBotFrameworkAuthentication(config))
        self.adapter = CloudAdapter(self.clients)
        self.adapter.on_turn_error = self._on_turn_error
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
        app.router.add_post(MESSAGES_PATH, self.handle_request)
        app.on_cleanup.append(self._close_http)
        if not self.requires_auth:
            app.on_startup.append(self._warn_unauthenticated)

    async def _close_http(self, app: web.Application) -> None:
        await self.clients.http.close()

    async def _warn_unauthenticated(self, app: web.Application) -> None:
        log.warning(UNAUTHENTICATED_WARNING)

    async def handle_request(self, request: web.Request) -> web.StreamResponse:
        if self.requires_auth and not _looks_like_bearer(request.headers.get("Authorization", "")):
            return _json_error(401, "a valid Authorization bearer token is required")
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _json_error(415, "send the activity as application/json")
        try:
            body = await request.json()
        except (ValueError, LookupError):
            return _json_error(400, "the body is not valid JSON")
        problem = _activity_problem(body)
        if problem:
            return _json_error(400, problem)
        try:
            response = await self._process(request, storable(body))
        except (web.HTTPUnauthorized, PermissionError):
            return _json_error(401, "the bearer token was not accepted")
        except _TurnFailed:
            return _json_error(500, "the bot could not process this activity")
        except Exception:
            if not self.requires_auth:
                raise
            # Anything else escaping process() happened while the SDK checked the
            # token (a malformed or foreign JWT): no turn ran, nothing is stored.
            log.warning("Teams request refused: token not accepted", exc_info=True)
            return _json_error(401, "the bearer token was not accepted")
        return response or web.Response(status=200)

    async def _process(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        """CloudAdapter.process on the body read here: it would read the request again, unchanged
        by ``storable`` (a NUL or a lone surrogate would then fail the first insert with a 500)."""
        invoke_response = await self.adapter.process_activity(
            request.headers.get("Authorization", ""), Activity().deserialize(body), self.bot.on_turn
        )
        if invoke_response:
            return web.json_response(
                data=serializer_helper(invoke_response.body), status=invoke_response.status
            )
        return web.Response(status=201)

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

    @staticmethod
    def _action_values(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        values = {k: v for k, v in data.items() if k not in (cards.ACTION_KEY, "msteams")}
        picked = values.pop(cards.CHOICE_KEY, None)
        if isinstance(picked, str) and picked in values:
            values["value"] = values[picked]
        return str(data[cards.ACTION_KEY]), values

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
            log.warning("unknown Teams message action", extra={"command_id": action.command_id})
            if conversation is not None:
                await self._remember(activity)  # no event to keep it with
            return MessagingExtensionActionResponse(
                task=TaskModuleMessageResponse(value=action.command_id or "?")
            )

        replies: list[Reply] = []

        async def collect(answer: list[Reply]) -> None:
            replies.extend(answer)

        await self.core.handle(incoming, collect, conversation=conversation)
        if not replies:
            # A redelivered invoke: the first delivery showed the answer.
            return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value="✓"))
        title = next((r.title for r in replies if r.title), None) or self.settings.app.program.name
        card = Attachment(content_type=cards.ADAPTIVE_CARD, content=cards.merged_card(replies))
        return MessagingExtensionActionResponse(
            task=TaskModuleContinueResponse(
                value=TaskModuleTaskInfo(title=title, card=card, height="medium", width="medium")
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
        ref = TurnContext.get_conversation_reference(activity)
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

    async def remember_team(self, activity: Activity) -> None:
        """Keep a team the bot is in (installed, added, or written to in a channel): where people
        named in app.yaml by address are looked up (resolve_email). Written once per team and process."""
        team_id = _team_of(activity)
        if team_id is None or team_id in self._teams_known:
            return
        reference = TurnContext.get_conversation_reference(activity)
        reference.conversation = ConversationAccount(id=team_id, is_group=True, conversation_type="channel",
                                                     tenant_id=_tenant_of(activity))
        reference.user = None
        data = _stored_reference(reference)
        data.pop("user", None)
        await self.core.remember_conversation(TEAM_PLATFORM, team_id, team_id, data)
        self._teams_known.add(team_id)

    async def resolve_email(self, email: str) -> str | None:
        """The Teams user id for an e-mail address (their user principal name), looked up in the
        teams the bot is in, the most recently seen first; None when no such team has them.

        Teams has no directory lookup for a bot: until the bot is installed in a team (or someone
        writes to it), people are found only once they write to it themselves. Errors other than
        "not a member" are raised: "not found" must not be claimed when Teams could not be asked.
        """
        async with self.core.db.session() as s:
            teams = (await s.exec(
                select(ConversationRef).where(ConversationRef.platform == TEAM_PLATFORM)
                .order_by(ConversationRef.updated_at.desc()).limit(MAX_TEAMS_ASKED))).all()
        if not teams:
            log.info("no Teams team known yet: people are found by address once the bot is installed in a team")
            return None
        for row in teams:
            reference = ConversationReference().deserialize(row.reference)
            try:
                member = await self._retrying("member lookup", functools.partial(self._member_in, reference, email))
            except HttpOperationError as exc:
                if _http_status(exc) in (403, 404):
                    continue  # not in this team (or the bot left it)
                raise TeamsDeliveryError(f"the Teams member lookup failed: {exc}") from exc
            except _TurnFailed as exc:
                raise TeamsDeliveryError(f"the Teams member lookup failed: {exc}") from exc.__cause__
            if member is None or not member.id or not _sendable_id(member.id):
                continue
            known = await self.core.conversation_of("teams", member.id)
            if known is None:
                # Reachable from now on: the first message opens the personal chat from the team.
                person = ConversationReference().deserialize(row.reference)
                person.user = ChannelAccount(id=member.id, aad_object_id=member.aad_object_id)
                await self.core.remember_conversation("teams", member.id, row.conversation_id,
                                                      _stored_reference(person))
            return member.id
        return None

    async def _any_team(self) -> ConversationRef | None:
        async with self.core.db.session() as s:
            return (await s.exec(select(ConversationRef).where(ConversationRef.platform == TEAM_PLATFORM)
                                 .order_by(ConversationRef.updated_at.desc()))).first()

    async def _member_in(self, reference: ConversationReference, email: str) -> Any:
        """One member lookup in a team by address; the connector's error is raised here, not in the turn
        (a turn's error is logged as a failure; a person who is not in this team is no failure)."""
        found: dict[str, Any] = {}

        async def callback(turn_context: TurnContext) -> None:
            try:
                team_id = turn_context.activity.conversation.id  # the reference's conversation: the team
                found["member"] = await TeamsInfo.get_team_member(turn_context, team_id, email)
            except HttpOperationError as exc:
                found["error"] = exc

        await self.adapter.continue_conversation(reference, callback, self.app_id)
        if "error" in found:
            raise found["error"]
        return found.get("member")

    async def _profile(self, turn_context: TurnContext) -> Profile | None:
        activity = turn_context.activity
        user = activity.from_property
        now = time.monotonic()
        cached = self._profiles.get(user.id)
        if cached is not None and cached[0] > now:
            profile = cached[1]
        else:
            profile, ttl = await self._lookup(turn_context)
            if len(self._profiles) >= PROFILE_CACHE_MAX:
                self._profiles = {k: v for k, v in self._profiles.items() if v[0] > now}
                if len(self._profiles) >= PROFILE_CACHE_MAX:
                    self._profiles.clear()
            self._profiles[user.id] = (now + ttl, profile)
        if profile is None:
            return None
        return replace(
            profile, locale=activity.locale, timezone=_zone(activity.local_timezone) or profile.timezone
        )

    async def _lookup(self, turn_context: TurnContext) -> tuple[Profile | None, float]:
        activity = turn_context.activity
        user = activity.from_property
        try:
            member = await asyncio.wait_for(TeamsInfo.get_member(turn_context, user.id), LOOKUP_TIMEOUT)
        except Exception as exc:
            log.info(
                "Teams member lookup failed",
                extra={"channel": activity.channel_id, "error": type(exc).__name__},
            )
            if activity.channel_id == Channels.ms_teams:
                # In Teams a failed lookup says nothing about the person: keep
                # what is stored (a guest must not turn into an employee).
                return None, PROFILE_FAILURE_TTL
            return Profile(name=user.name), PROFILE_FAILURE_TTL
        upn = member.user_principal_name or ""
        email = member.email or (upn if "@" in upn and "#ext#" not in upn.lower() else None)
        home = self.settings.teams.tenant_id.lower()
        tenant = (member.tenant_id or "").lower()
        return (
            Profile(
                email=email,
                name=member.name or user.name,
                is_guest=(member.user_role or "").lower() in ("guest", "anonymous"),
                is_external=bool(home and tenant and tenant != home),
            ),
            PROFILE_TTL,
        )

    # -- outgoing ---------------------------------------------------------

    @staticmethod
    def _activity(reply: Reply) -> Activity:
        return Activity().deserialize(cards.render(reply))

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
        except HttpOperationError:
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
            except HttpOperationError as exc:
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

        async def callback(turn_context: TurnContext) -> None:
            await self._send_all(turn_context, activities)

        try:
            await self.adapter.continue_conversation(reference, callback, self.app_id)
        except _TurnFailed as exc:
            raise TeamsDeliveryError(str(exc)) from exc.__cause__

    async def _open_personal_chat(
        self, reference: ConversationReference, user_id: str
    ) -> ConversationReference:
        """Create (or, in Teams, find) the 1:1 chat with a person known from a channel only."""
        tenant = reference.conversation.tenant_id if reference.conversation else None
        parameters = ConversationParameters(
            is_group=False,
            bot=reference.bot,
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
                self.app_id, callback, parameters, reference.channel_id, reference.service_url
            ),
        )
        personal = ConversationReference(
            channel_id=reference.channel_id,
            service_url=reference.service_url,
            bot=reference.bot,
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
        reference = ConversationReference().deserialize(row.reference)
        try:
            if not _reference_is_personal(row.reference):
                reference = await self._open_personal_chat(reference, user_id)
            await self._continue(reference, replies)
        except HttpOperationError as exc:
            raise TeamsDeliveryError(f"the Teams connector refused: {exc}") from exc

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
        base = files.public_base(self.settings)
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
        """ProactiveSender: answer in a conversation later (recovered work, nudges, alerts)."""
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
        reference = ConversationReference().deserialize(row.reference)
        personal = _reference_is_personal(row.reference)
        if reference.conversation is None or reference.conversation.id != conversation_id:
            # Another conversation of the same person (a channel thread): the
            # service URL and the bot are the same across one tenant.
            tenant = reference.conversation.tenant_id if reference.conversation else None
            reference = ConversationReference(
                channel_id=reference.channel_id,
                service_url=reference.service_url,
                bot=reference.bot,
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
        except HttpOperationError as exc:
            raise TeamsDeliveryError(f"the Teams connector refused: {exc}") from exc
        if private and user_id:
            await self._send_private(user_id, private)
