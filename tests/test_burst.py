"""What keeps a burst of messages cheap: first contacts and conversation references written with their
events (bot/core.py), and the Teams connector's HTTP on one pooled aiohttp session (bot/platforms/teams/transport.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TeamsConnectorClient
from sqlalchemy import func
from sqlmodel import select

from bot.core import Core
from bot.messages import Incoming, Profile
from bot.platforms.teams import transport
from storage.models import ConversationRef, Identity, Person


def message(platform: str, user: str, email: str | None, n: int, name: str = "Rita Reporter") -> Incoming:
    return Incoming(platform=platform, user_id=user, conversation_id=f"D-{user}", text="hello",
                    event_id=f"Ev{platform}{user}{n}", profile=Profile(email=email, name=name, is_guest=False))


async def count(core: Core, model: Any, *where: Any) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model).where(*where))).one()


async def test_first_contacts_are_created_with_their_events(any_core: Core):
    core = any_core
    burst = [message("teams", f"29:r{i}", f"r{i}@example.com", 1, f"Reporter {i}") for i in range(12)]
    # The same address on both platforms at once: one person with two accounts.
    burst += [message("slack", "U-R0", "R0@Example.com", 1), message("teams", "29:r0", "r0@example.com", 2)]
    ids = await asyncio.gather(*(core.accept(m) for m in burst))
    assert all(ids)
    # Stored before the acknowledgement, with the event: no write of their own when they are dispatched.
    assert await count(core, Person) == 12 and await count(core, Identity) == 13
    people = await asyncio.gather(*(core.person_for(m) for m in burst))
    assert [p.display_name for p in people[:12]] == [f"Reporter {i}" for i in range(12)]
    assert len({p.id for p in people[:12]}) == 12 and people[12].id == people[13].id == people[0].id
    assert all(p.profile_checked_at is not None and p.active for p in people)
    assert (await core.roles_of(people[1]))[0] == {"employee"}


async def test_a_first_contact_without_an_address_is_left_to_person_for(core: Core):
    assert await core.accept(message("teams", "29:anon", None, 1))
    assert await count(core, Person) == 0
    person = await core.person_for(message("teams", "29:anon", None, 1))
    assert person.id is not None and await count(core, Identity) == 1


async def test_a_conversation_reference_is_kept_with_the_event_and_rewritten_only_when_it_changes(any_core: Core):
    core = any_core
    reference = {"conversation": {"id": "a:1", "conversationType": "personal"}, "serviceUrl": "https://x/"}
    assert await core.accept(message("teams", "29:c", "c@example.com", 1), conversation=("a:1", reference))
    row = await core.conversation_of("teams", "29:c")
    assert row is not None and row.reference == reference
    first = row.updated_at
    # The same reference with the next message: no write.
    assert await core.accept(message("teams", "29:c", "c@example.com", 2), conversation=("a:1", dict(reference)))
    assert (await core.conversation_of("teams", "29:c")).updated_at == first
    # A redelivery is not answered again, but a new reference it brings is kept.
    moved = {**reference, "serviceUrl": "https://y/"}
    assert await core.accept(message("teams", "29:c", "c@example.com", 2), conversation=("a:1", moved)) is None
    assert (await core.conversation_of("teams", "29:c")).reference == moved
    assert await count(core, ConversationRef) == 1


# -- the Teams connector on aiohttp --------------------------------------------------------------


@pytest.fixture
async def connector_server():
    calls: list[str] = []
    lookups = iter([503, 200])

    async def member(request: web.Request) -> web.Response:
        calls.append(f"GET {request.headers.get('Authorization')}")
        status = next(lookups, 200)
        if status != 200:
            return web.json_response({"error": {"code": "ServiceUnavailable", "message": "busy"}}, status=status)
        return web.json_response({"id": "29:u", "name": "U", "email": "u@example.com"})

    async def post(request: web.Request) -> web.Response:
        calls.append("POST")
        return web.json_response({"error": {"code": "ServiceError", "message": "failed"}}, status=500)

    app = web.Application()
    app.router.add_get("/v3/conversations/{conversation}/members/{user}", member)
    app.router.add_post("/v3/conversations/{conversation}/activities", post)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    yield server, calls
    await server.close()


async def test_the_sdks_connector_client_on_the_shared_pool_retries_what_is_safe_to_retry(
    connector_server, monkeypatch
):
    server, calls = connector_server
    monkeypatch.setattr(transport, "RETRY_BACKOFF", 0.0)
    pool = transport.SharedPool()

    def client(base_url: str) -> TeamsConnectorClient:
        # What _ConnectorClients hands the SDK: its client (no token: no app id), on a session of the pool.
        return TeamsConnectorClient(base_url, "", session=pool.session(base_url))

    try:
        # A lookup (GET) answered 503 is asked again; without an app id no Authorization header is sent.
        lookup = client(str(server.make_url("/")))
        found = await lookup.get_conversation_member("a:1", "29:u")
        assert found.name == "U" and calls == ["GET None", "GET None"]
        # A message (POST) is never sent twice by the HTTP layer: the 500 is the caller's to handle.
        with pytest.raises(aiohttp.ClientResponseError) as refused:
            await lookup.conversations.send_to_conversation("a:1", Activity(type="message", text="hi"))
        assert refused.value.status == 500 and calls[2:] == ["POST"]
        # The SDK closes a turn's client when the turn ends: the pool (and its connections) stays.
        await lookup.close()
        assert not pool.connector().closed
        # Nobody listening: nothing was sent, so even a POST is tried again before it fails.
        closed = client("http://127.0.0.1:9/")
        with pytest.raises(aiohttp.ClientConnectorError):
            await closed.conversations.send_to_conversation("a:1", Activity(type="message", text="hi"))
        await closed.close()
    finally:
        await pool.close()
