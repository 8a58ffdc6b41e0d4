"""The connector's HTTP: the Agents SDK's connector clients on one connection pool, with a timeout and retries.

The SDK's client factory (RestChannelServiceClientFactory) picks the credentials and fetches the token
for each turn; the client it returns opens an aiohttp session of its own, which the SDK closes when
the turn ends. Left so, every turn and every proactive message would open a new TCP and TLS connection
to the connector, wait up to aiohttp's default five minutes for a silent one, and give up on the first
refused connection. ``_ConnectorClients`` keeps the SDK's factory and hands its clients a session on one
shared pool instead (closing such a session leaves the pool open), with the timeouts and retries below.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
from typing import Any

import aiohttp
import certifi
from microsoft_agents.hosting.core import (
    Connections,
    RestChannelServiceClientFactory,
    TeamsConnectorClient,
)

log = logging.getLogger("ambassador.teams")

# One call to the connector (a reply, a proactive message): Teams gives a turn 15 s, a silent connector
# must not hold the turn long after Teams gave up on it.
CONNECTOR_TIMEOUT = 10.0

# What the HTTP layer tries again: a request that was never sent (no connection) whatever its method,
# and a repeatable one (a lookup, an update) answered with a server error. A message (POST) answered at
# all is never sent twice here; its 429 is retried by the adapter, which honours Retry-After.
RETRIES = 3
RETRY_BACKOFF = 0.8  # seconds, doubled per retry after the first
RETRY_BACKOFF_MAX = 120.0
RETRY_STATUSES = frozenset({408} | set(range(500, 600)) - {501, 505})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
RETRY_AFTER_STATUSES = frozenset({413, 429, 503})


def _ca_bundle() -> str:
    # REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE when set (what operators already set for Python tools), else certifi's.
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or certifi.where()


def _backoff(retry: int) -> float:
    return 0.0 if retry <= 1 else min(RETRY_BACKOFF_MAX, RETRY_BACKOFF * 2 ** (retry - 1))


def _retry_delay(response: aiohttp.ClientResponse, retry: int) -> float:
    if response.status in RETRY_AFTER_STATUSES:
        try:
            return min(RETRY_BACKOFF_MAX, max(0.0, float(response.headers.get("Retry-After", ""))))
        except ValueError:
            pass
    return _backoff(retry)


async def retrying(request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType) -> aiohttp.ClientResponse:
    """aiohttp client middleware: the retries described above."""
    method = request.method.upper()
    retries = 0
    while True:
        try:
            response = await handler(request)
        except (aiohttp.ClientError, TimeoutError) as exc:
            unsent = isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
            if retries >= RETRIES or not (unsent or method in IDEMPOTENT):
                raise
            retries += 1
            await asyncio.sleep(_backoff(retries))
            continue
        if response.status in RETRY_STATUSES and method in IDEMPOTENT and retries < RETRIES:
            retries += 1
            delay = _retry_delay(response, retries)
            response.release()
            await asyncio.sleep(delay)
            continue
        return response


class SharedPool:
    """The one connection pool the connector clients share (made on the running loop)."""

    def __init__(self) -> None:
        self._connector: aiohttp.TCPConnector | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def connector(self) -> aiohttp.TCPConnector:
        loop = asyncio.get_running_loop()
        if self._connector is None or self._connector.closed or self._loop is not loop:
            self._connector = aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=_ca_bundle()))
            self._loop = loop
        return self._connector

    def session(self, base_url: Any, headers: Any = None) -> aiohttp.ClientSession:
        """A session on the pool: closing it (as the SDK does after each turn) leaves the pool open."""
        return aiohttp.ClientSession(
            base_url=base_url, headers=headers, connector=self.connector(), connector_owner=False,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=CONNECTOR_TIMEOUT, sock_read=CONNECTOR_TIMEOUT),
            trust_env=True, middlewares=(retrying,),
        )

    async def close(self) -> None:
        if self._connector is not None and not self._connector.closed:
            await self._connector.close()
        self._connector = None


class _ConnectorClients(RestChannelServiceClientFactory):
    """The SDK's client factory (credentials, tokens, which client), its clients moved onto the shared pool."""

    def __init__(self, connections: Connections, pool: SharedPool, *, anonymous: bool = False) -> None:
        super().__init__(connections)
        self.pool = pool
        # Without an app id (the Emulator, tests) nothing is signed: the SDK decides that per turn from the
        # turn's claims, which for a proactive message or a new chat name the (empty) app id.
        self.anonymous = anonymous
        self.created = 0  # connector clients handed out (one per turn or proactive message)

    async def create_user_token_client(self, context: Any, claims_identity: Any, use_anonymous: bool = False) -> Any:
        return await super().create_user_token_client(context, claims_identity, use_anonymous or self.anonymous)

    async def create_connector_client(
        self, context: Any, claims_identity: Any, service_url: str, audience: str,
        scopes: list[str] | None = None, use_anonymous: bool = False,
    ) -> Any:
        client = await super().create_connector_client(
            context, claims_identity, service_url, audience, scopes, use_anonymous or self.anonymous)
        if isinstance(client, TeamsConnectorClient):
            own = client.client
            shared = self.pool.session(own._base_url, own.headers)  # the SDK's headers: its token, its user agent
            client.client = shared
            client.conversations.client = shared
            client.attachments.client = shared
            await own.close()
        self.created += 1
        return client
