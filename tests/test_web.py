"""The web server: /healthz reports the database; unconfigured platforms are not served."""

from __future__ import annotations

import socket

from bot.app import create_app
from tests.conftest import make_settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_healthz_reports_a_reachable_database(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(make_settings(tmp_path), background=False))
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok", "database": "reachable"}
    # Neither platform is configured: neither endpoint exists.
    assert (await client.post("/slack/events", data=b"{}")).status == 404
    assert (await client.post("/api/messages", data=b"{}")).status == 404


async def test_healthz_reports_an_unreachable_database(aiohttp_client, tmp_path):
    settings = make_settings(tmp_path)
    app = create_app(settings, background=False)
    client = await aiohttp_client(app)  # the schema was created on start
    from bot.web import CORE_KEY
    from storage.db import Database

    app[CORE_KEY].db = Database(f"postgresql://nobody@127.0.0.1:{_closed_port()}/none?connect_timeout=2")
    resp = await client.get("/healthz")
    assert resp.status == 503
    assert (await resp.json())["database"] == "unreachable"
