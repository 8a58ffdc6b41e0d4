"""The peers the throughput benchmark (bench_throughput.py) measures the bot against, each one a
plain app built the way each SDK's own samples build one, served over loopback:

- ``bare-slack``: a slack-bolt AsyncApp whose listeners only acknowledge. It does none of the
  work a bot must do: no correct bot gets near it, so it is the ceiling of Bolt itself, not a goal.
- ``peer-slack``: a plain Bolt app with the guarantees the bot gives. Before the
  acknowledgement it stores the event under its event id (a block action under
  ``action:`` and its ``action_ts``, as the bot keys it) in a committed insert into the same
  kind of database (an SQLite file with the bot's durability settings, or PostgreSQL); an
  event stored already (a retry of Slack's) is acknowledged and not worked on again. After the
  acknowledgement it posts one reply through ``chat.postMessage`` (slack_sdk's AsyncWebClient)
  and marks the event answered in a second committed statement.
- ``bare-teams``: a bare Microsoft 365 Agents SDK bot (aiohttp hosting, anonymous as in local
  development) that echoes one reply to each message through the connector.

Run by the benchmark as ``python benchmarks/throughput_peers.py KIND --port N ...``; each
serves ``GET /healthz`` for the benchmark's start-up check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import time
from typing import Any

SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-token"
REPLY = "Thanks, got it."

# The peer's one table: an event is stored under its key before it is acknowledged; answered_at is
# set once its reply was posted.
CREATE = """CREATE TABLE IF NOT EXISTS peer_events (
    event_key VARCHAR(200) PRIMARY KEY,
    payload TEXT NOT NULL,
    received_at DOUBLE PRECISION NOT NULL,
    answered_at DOUBLE PRECISION
)"""
STORE = ("INSERT INTO peer_events (event_key, payload, received_at) VALUES (:key, :payload, :at) "
         "ON CONFLICT (event_key) DO NOTHING RETURNING event_key")
ANSWERED = "UPDATE peer_events SET answered_at = :at WHERE event_key = :key"


async def _healthz(_request: Any) -> Any:
    from aiohttp import web

    return web.Response(text="ok")


async def _serve(app: Any, port: int) -> None:
    from aiohttp import web

    app.router.add_get("/healthz", _healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


# -- Slack ------------------------------------------------------------------------------------------


def _bolt_app(api_url: str) -> Any:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    return AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url), signing_secret=SECRET)


def _bolt_route(bolt: Any) -> Any:
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    async def handle(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", handle)
    return app


async def bare_slack(port: int, api_url: str) -> None:
    bolt = _bolt_app(api_url)

    @bolt.event("message")
    async def on_message() -> None:  # Events API: Bolt acknowledges by itself
        return None

    @bolt.action(re.compile(".*"))
    async def on_action(ack) -> None:
        await ack()

    await _serve(_bolt_route(bolt), port)


def engine_for(database_url: str) -> Any:
    """An async SQLAlchemy engine with the bot's database settings (storage/db.py), so that only the
    work differs: up to 20 pooled connections; SQLite in WAL mode with synchronous=NORMAL (a
    committed insert survives the process) and waiting for the write lock; PostgreSQL with its
    default synchronous commit."""
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import create_async_engine

    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url.replace("sqlite://", "sqlite+aiosqlite://", 1),
                                     pool_size=20, max_overflow=0, connect_args={"timeout": 30})

        def pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        event.listen(engine.sync_engine, "connect", pragmas)
        return engine
    url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", database_url)
    return create_async_engine(url, pool_size=20, max_overflow=0)


def event_key(body: dict[str, Any]) -> str | None:
    """What the event is stored under: the Events API's event id, a block action's action_ts."""
    if body.get("type") == "event_callback":
        return body.get("event_id")
    if body.get("type") == "block_actions":
        actions = body.get("actions") or [{}]
        key = actions[0].get("action_ts") or body.get("trigger_id")
        return f"action:{key}" if key else None
    return None


async def peer_slack(port: int, api_url: str, database_url: str) -> None:
    from slack_bolt.async_app import AsyncBoltContext
    from slack_bolt.response import BoltResponse
    from sqlalchemy import text

    engine = engine_for(database_url)
    async with engine.begin() as conn:
        await conn.execute(text(CREATE))
    store, answered = text(STORE), text(ANSWERED)
    bolt = _bolt_app(api_url)

    async def store_first(body: dict[str, Any], context: AsyncBoltContext, next) -> BoltResponse | None:
        """Before the acknowledgement: the event is committed, or it was stored already."""
        key = event_key(body)
        if key is None:
            return BoltResponse(status=400, body="")
        async with engine.begin() as conn:
            new = (await conn.execute(store, {"key": key, "payload": json.dumps(body), "at": time.time()})).first()
        if new is None:
            return BoltResponse(status=200, body="")  # a retry of an event stored already
        context["event_key"] = key
        await next()
        return None

    async def reply(client: Any, context: AsyncBoltContext, channel: str, thread_ts: str | None) -> None:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=REPLY)
        async with engine.begin() as conn:
            await conn.execute(answered, {"key": context["event_key"], "at": time.time()})

    @bolt.event("message", middleware=[store_first])
    async def on_message(event: dict[str, Any], client: Any, context: AsyncBoltContext) -> None:
        await reply(client, context, event["channel"], event.get("thread_ts") or event.get("ts"))

    @bolt.block_action(re.compile(".*"), middleware=[store_first])
    async def on_action(ack: Any, body: dict[str, Any], client: Any, context: AsyncBoltContext) -> None:
        await ack()
        message = body.get("message") or {}
        container = body.get("container") or {}
        await reply(client, context, body["channel"]["id"], message.get("thread_ts") or container.get("message_ts"))

    await _serve(_bolt_route(bolt), port)


# -- Teams ------------------------------------------------------------------------------------------


async def bare_teams(port: int) -> None:
    from aiohttp import web
    from microsoft_agents.authentication.msal import MsalConnectionManager
    from microsoft_agents.hosting.aiohttp import (
        CloudAdapter,
        jwt_authorization_middleware,
        start_agent_process,
    )
    from microsoft_agents.hosting.core import (
        AgentApplication,
        AgentAuthConfiguration,
        MemoryStorage,
        TurnContext,
        TurnState,
    )

    # Without credentials, as in local development (no token on the way in or out).
    auth = AgentAuthConfiguration(anonymous_allowed=True)
    connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": auth})
    adapter = CloudAdapter(connection_manager=connections)
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections)

    @agent.activity("message")
    async def echo(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(REPLY)

    async def messages(request: web.Request) -> web.StreamResponse:
        return await start_agent_process(request, agent, adapter)

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app["agent_configuration"] = auth
    app.router.add_post("/api/messages", messages)
    await _serve(app, port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["bare-slack", "peer-slack", "bare-teams"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", help="the (fake) Slack Web API, e.g. http://127.0.0.1:8000/api/")
    parser.add_argument("--database", help="peer-slack: sqlite:///peer.db or postgresql://...")
    args = parser.parse_args()
    # Each SDK's per-request notices (the Agents SDK warns on every turn that no app id is set)
    # would cost the peer CPU that a configured production bot does not spend.
    logging.basicConfig(level=logging.ERROR)
    if args.kind == "bare-slack":
        asyncio.run(bare_slack(args.port, args.api_url))
    elif args.kind == "peer-slack":
        if not args.database:
            parser.error("peer-slack needs --database")
        asyncio.run(peer_slack(args.port, args.api_url, args.database))
    else:
        asyncio.run(bare_teams(args.port))


if __name__ == "__main__":
    main()
