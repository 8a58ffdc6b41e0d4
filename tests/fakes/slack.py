"""A local fake of the Slack Web API (and the Socket Mode WebSocket) that records every call.

In the style of bolt-python's ``tests/mock_web_api_server`` and opsdroid's
``external_api``: the adapter's real ``AsyncWebClient`` talks to it through
``SLACK_API_URL``. It listens on 127.0.0.1 on a free port and holds no real
tokens or recorded sessions.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

TEAM = "T0HOME"
OTHER_TEAM = "T0OTHER"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0APP"

EMPLOYEE = "U0ERIK"
LEAD = "U0LEA"
GUEST = "U0GINA"
EXTERNAL = "U0XAVER"
DELETED = "U0DORA"

# How long the wait_for helpers wait for the app under test.
WAIT = 5.0


def _user(
    user_id: str, email: str, name: str, *, team: str = TEAM, locale: str = "en-US", **flags: Any
) -> dict[str, Any]:
    return {
        "id": user_id,
        "team_id": team,
        "name": email.split("@")[0],
        "real_name": name,
        "deleted": False,
        "is_bot": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "tz": "Europe/Berlin",
        "locale": locale,
        "profile": {"email": email, "real_name": name, "display_name": name.split()[0]},
        **flags,
    }


def default_users() -> dict[str, dict[str, Any]]:
    return {
        EMPLOYEE: _user(EMPLOYEE, "erik.employee@example.com", "Erik Employee"),
        LEAD: _user(LEAD, "lea.lead@example.com", "Lea Lead"),
        GUEST: _user(GUEST, "gina.guest@partner.example", "Gina Guest", is_restricted=True),
        EXTERNAL: _user(EXTERNAL, "xaver@other.example", "Xaver Extern", team=OTHER_TEAM),
        DELETED: _user(DELETED, "dora.deleted@example.com", "Dora Deleted", deleted=True),
        BOT_USER: _user(BOT_USER, "ambassador@bots.example", "Ambassador", is_bot=True),
    }


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    """Answers the Web API methods the adapter uses; ``calls`` lists them in order."""

    def __init__(self, users: dict[str, dict[str, Any]] | None = None) -> None:
        self.users = users if users is not None else default_users()
        self.calls: list[Call] = []
        self.errors: dict[str, str] = {}  # method -> Slack error to answer (ok: false)
        self.channel_errors: dict[str, str] = {}  # channel -> Slack error for posts and reads there
        self.dms: dict[str, str] = {}  # user -> the DM conversations.open answers (default D + the id)
        # Every conversation's messages as conversations.history gives them, oldest first.
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, dict[str, Any]] = {}  # file id -> upload (name, bytes, title, channel)
        # The wall clock of message timestamps; a test may tie it to the core's clock.
        self.clock: Callable[[], float] = time.time
        self._limited: dict[str, int] = {}  # method -> Retry-After for its next call
        self._dropped: set[str] = set()
        self._held: dict[str, asyncio.Event] = {}
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._server: TestServer | None = None
        self.url = ""
        # Socket Mode
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict[str, Any]] = []

    # -- lifecycle --------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_get("/socket", self._socket)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()
        self.url = str(self._server.make_url("/api/"))
        return self

    async def close(self) -> None:
        for ws in self.sockets:
            await ws.close()
        for gate in self._held.values():
            gate.set()
        if self._server is not None:
            await self._server.close()

    # -- controls ---------------------------------------------------------

    def rate_limit_once(self, method: str, retry_after: int = 1) -> None:
        """The next call of ``method`` gets 429 with Retry-After, as Slack's rate limiter does."""
        self._limited[method] = retry_after

    def drop_answer(self, method: str) -> None:
        """The next call of ``method`` is carried out, but its answer is lost (the connection drops)."""
        self._dropped.add(method)

    def hold(self, method: str) -> asyncio.Event:
        """Calls of ``method`` wait until the returned event is set."""
        gate = asyncio.Event()
        self._held[method] = gate
        return gate

    # -- inspection -------------------------------------------------------

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def replies(self) -> list[dict[str, Any]]:
        """Every chat.postMessage and chat.postEphemeral, in order, with ``method`` added."""
        return [
            {**c.params, "method": c.method}
            for c in self.calls
            if c.method in ("chat.postMessage", "chat.postEphemeral")
        ]

    def keyed(self, channel: str) -> list[str]:
        """The delivery keys (message metadata) of the messages in a conversation, oldest first."""
        return [
            m["metadata"]["event_payload"].get("key")
            for m in self.history.get(channel, [])
            if (m.get("metadata") or {}).get("event_type") == "ambassador_delivery"
        ]

    def shared_files(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Completed uploads (files.completeUploadExternal), in order."""
        return [f for f in self.files.values() if f.get("channel") and channel in (None, f["channel"])]

    async def wait_for(self, method: str, count: int = 1) -> list[dict[str, Any]]:
        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.called(method)) >= count)

        try:
            await asyncio.wait_for(enough(), WAIT)
        except TimeoutError:
            raise AssertionError(
                f"{method} called {len(self.called(method))} times, expected {count}; calls: "
                f"{[c.method for c in self.calls]}"
            ) from None
        return self.called(method)

    # -- the Web API ------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        for key in ("blocks", "view", "attachments", "metadata", "files"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, params, auth.removeprefix("Bearer ") or None))
        async with self._changed:
            self._changed.notify_all()
        if method in self._limited:
            retry_after = self._limited.pop(method)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)}
            )
        gate = self._held.get(method)
        if gate is not None:
            await gate.wait()
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        answer = self._answer(method, params)
        if method in self._dropped:
            self._dropped.discard(method)
            assert request.transport is not None
            request.transport.close()  # done, but the client never hears so
        return web.json_response(answer)

    def _new_ts(self) -> str:
        return f"{int(self.clock())}.{next(self._ts):06d}"

    def _history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        oldest = float(params.get("oldest") or 0)
        limit = min(int(params.get("limit") or 100), 999)
        offset = int(str(params.get("cursor") or "offset:0").removeprefix("offset:"))
        metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        newest_first = [m for m in reversed(self.history.get(channel, [])) if float(m["ts"]) > oldest]
        page = newest_first[offset : offset + limit]
        if not metadata:
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = offset + limit < len(newest_first)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": f"offset:{offset + limit}" if more else ""},
        }

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.files.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        upload["data"] = await request.read()
        return web.Response(text="OK - " + str(len(upload["data"])))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "ambassador",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            if str(params.get("include_locale")).lower() not in ("1", "true"):
                user = {k: v for k, v in user.items() if k != "locale"}
            return {"ok": True, "user": user}
        if method == "users.lookupByEmail":
            email = str(params.get("email", "")).lower()
            for user in self.users.values():
                if user["profile"].get("email", "").lower() == email:
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        if method == "chat.postMessage":
            channel = str(params.get("channel"))
            if channel in self.channel_errors:
                return {"ok": False, "error": self.channel_errors[channel]}
            ts = self._new_ts()
            message = {"type": "message", "text": params.get("text"), "ts": ts, "bot_id": BOT_ID, "app_id": APP_ID}
            if params.get("blocks"):
                message["blocks"] = params["blocks"]
            if isinstance(params.get("metadata"), dict):
                message["metadata"] = params["metadata"]
            self.history.setdefault(channel, []).append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            channel = str(params.get("channel"))
            if channel in self.channel_errors:
                return {"ok": False, "error": self.channel_errors[channel]}
            return self._history(params)
        if method == "files.getUploadURLExternal":
            if not params.get("filename") or not str(params.get("length", "")).isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._file_ids):08d}"
            self.files[file_id] = {"id": file_id, "filename": params["filename"], "length": int(params["length"])}
            assert self._server is not None
            return {"ok": True, "file_id": file_id, "upload_url": str(self._server.make_url(f"/upload/{file_id}"))}
        if method == "files.completeUploadExternal":
            channel = params.get("channel_id")
            if channel in self.channel_errors:
                return {"ok": False, "error": self.channel_errors[str(channel)]}
            done = []
            for item in params.get("files") or []:
                upload = self.files.get(item.get("id"))
                if upload is None or "data" not in upload or len(upload["data"]) != upload["length"]:
                    return {"ok": False, "error": "file_not_found"}
                upload.update(title=item.get("title") or upload["filename"], channel=channel,
                              initial_comment=params.get("initial_comment"))
                done.append({"id": upload["id"], "name": upload["filename"], "title": upload["title"]})
            if channel:
                self.history.setdefault(str(channel), []).append(
                    {"type": "message", "text": params.get("initial_comment") or "", "ts": self._new_ts(),
                     "bot_id": BOT_ID, "app_id": APP_ID, "files": done})
            return {"ok": True, "files": done}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._new_ts()}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0HOME", **(params.get("view") or {})}}
        if method == "conversations.open":
            users = str(params.get("users", ""))
            dm = self.dms.get(users) or "D" + users.removeprefix("U").removeprefix("W")
            return {"ok": True, "channel": {"id": dm}}
        if method == "apps.connections.open":
            assert self._server is not None
            return {"ok": True, "url": str(self._server.make_url("/socket")).replace("http://", "ws://")}
        return {"ok": False, "error": "unknown_method"}

    # -- Socket Mode ------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        async with self._changed:
            self._changed.notify_all()
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
                async with self._changed:
                    self._changed.notify_all()
        return ws

    async def wait_for_socket(self) -> web.WebSocketResponse:
        async def connected() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: bool(self.sockets))

        await asyncio.wait_for(connected(), WAIT)
        return self.sockets[-1]

    async def push(self, envelope_type: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Deliver an envelope over the open Socket Mode connection, as Slack does."""
        ws = await self.wait_for_socket()
        await ws.send_json(
            {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": envelope_type != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )

    async def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            return next((a for a in self.socket_acks if a.get("envelope_id") == envelope_id), None)

        async def acked() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: found() is not None)

        await asyncio.wait_for(acked(), WAIT)
        ack = found()
        assert ack is not None
        return ack
