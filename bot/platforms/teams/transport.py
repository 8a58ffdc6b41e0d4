"""The connector's HTTP: msrest's pipeline sending on aiohttp, and connector clients reused across turns."""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
from collections import OrderedDict
from typing import Any

import aiohttp
import certifi
from botbuilder.schema import Activity
from botframework.connector import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.serialization import Serializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse
from multidict import CIMultiDict

from bot.platforms.teams.activities import _app_id

log = logging.getLogger("ambassador.teams")

# Connector clients kept for reuse: one per (app id, service URL, audience). A
# tenant has a handful of service URLs; the bound only matters when
# unauthenticated requests (Emulator) name arbitrary ones.
CONNECTOR_CACHE_MAX = 64

# One call to the connector (a reply, a proactive message). botbuilder's own is 100 s, far past the
# 15 s Teams gives a turn: a silent connector would hold the turn long after Teams gave up on it.
CONNECTOR_TIMEOUT = 10.0


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
