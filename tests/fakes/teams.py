"""A small fake Bot Framework connector (the service behind an activity's serviceUrl).

It records every activity the bot posts, answers member lookups for the
configured users, creates conversations, and can answer 429 on demand, so the
Teams adapter runs the Agents SDK's real code paths with no internet.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TENANT = "72f988bf-0000-4000-8000-00000000c0de"
OTHER_TENANT = "0ff1ce00-0000-4000-8000-0000000beef0"
BOT_ID = "28:ambassador-bot"


def member(
    user_id: str, name: str, email: str, *, role: str = "user", tenant: str = TENANT
) -> dict[str, Any]:
    """A TeamsChannelAccount as the connector answers it."""
    return {
        "id": user_id,
        "name": name,
        "givenName": name.split()[0],
        "surname": name.split()[-1],
        "email": email,
        "userPrincipalName": email,
        "aadObjectId": f"aad-{user_id.split(':')[-1]}",
        "tenantId": tenant,
        "userRole": role,
    }


@dataclass
class Posted:
    conversation_id: str
    activity: dict[str, Any]
    reply_to_id: str | None = None
    authorization: str | None = None  # the bearer token the bot signed the request with

    @property
    def text(self) -> str:
        return self.activity.get("text") or ""

    @property
    def card(self) -> dict[str, Any] | None:
        for a in self.activity.get("attachments") or []:
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return a["content"]
        return None

    def all_text(self) -> str:
        """Everything a person reads in this message: text and card texts."""
        parts = [self.text]
        card = self.card
        if card:
            parts.extend(_card_texts(card.get("body") or []))
            parts.extend(a.get("title", "") for a in card.get("actions") or [])
        return "\n".join(p for p in parts if p)


def _card_texts(elements: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for e in elements:
        if e.get("type") == "TextBlock":
            out.append(e.get("text", ""))
        elif e.get("type") == "FactSet":
            out.extend(f"{f['title']}: {f['value']}" for f in e.get("facts") or [])
        elif e.get("type") == "Input.ChoiceSet":
            out.append(e.get("label", ""))
        out.extend(_card_texts(e.get("items") or []))
        for a in e.get("actions") or []:
            out.append(a.get("title", ""))
    return out


@dataclass
class FakeConnector:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    posted: list[Posted] = field(default_factory=list)
    updated: list[Posted] = field(default_factory=list)
    member_lookups: list[tuple[str, str]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    throttled: int = 0
    peers: set[Any] = field(default_factory=set)  # the bot's TCP connections (host, port) seen
    _fail: list[tuple[int, str | None]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    server: TestServer | None = None

    # -- control ------------------------------------------------------------

    def fail_next(self, status: int = 429, times: int = 1, retry_after: str | None = "0") -> None:
        """The next ``times`` activity posts are answered with ``status``."""
        self._fail.extend([(status, retry_after)] * times)

    @property
    def url(self) -> str:
        assert self.server is not None, "start() the connector first"
        return str(self.server.make_url("/")).rstrip("/") + "/"

    def to(self, conversation_id: str) -> list[Posted]:
        return [p for p in self.posted if p.conversation_id == conversation_id]

    @web.middleware
    async def _seen(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.peers.add(request.transport.get_extra_info("peername") if request.transport else None)
        return await handler(request)

    async def start(self) -> FakeConnector:
        app = web.Application(middlewares=[self._seen])
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._post_activity)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._post_activity
        )
        app.router.add_put(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._update_activity
        )
        app.router.add_get("/v3/conversations/{conversation_id}/members/{user_id}", self._member)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    # -- the connector API -----------------------------------------------------

    async def _post_activity(self, request: web.Request) -> web.Response:
        if self._fail:
            status, retry_after = self._fail.pop(0)
            if status == 429:
                self.throttled += 1
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return web.json_response(
                {
                    "error": {
                        "code": "TooManyRequests" if status == 429 else "ServiceError",
                        "message": "slow down" if status == 429 else "failed",
                    }
                },
                status=status,
                headers=headers,
            )
        body = await request.json()
        self.posted.append(
            Posted(
                conversation_id=request.match_info["conversation_id"],
                activity=body,
                reply_to_id=request.match_info.get("activity_id"),
                authorization=request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": f"bot-activity-{next(self._ids)}"})

    async def _update_activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.updated.append(
            Posted(
                conversation_id=request.match_info["conversation_id"],
                activity=body,
                reply_to_id=request.match_info["activity_id"],
            )
        )
        return web.json_response({"id": request.match_info["activity_id"]})

    async def _member(self, request: web.Request) -> web.Response:
        user_id = request.match_info["user_id"]
        self.member_lookups.append((request.match_info["conversation_id"], user_id))
        # Teams takes the member's id, AAD object id or user principal name (their address) here.
        found = self.users.get(user_id) or next(
            (u for u in self.users.values()
             if user_id.lower() in (u.get("userPrincipalName", "").lower(), u.get("aadObjectId", "").lower())),
            None,
        )
        if found is None:
            return web.json_response(
                {
                    "error": {
                        "code": "MemberNotFoundInConversation",
                        "message": "The member could not be found.",
                    }
                },
                status=404,
            )
        return web.json_response(found)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.created.append(body)
        user_id = (body.get("members") or [{}])[0].get("id", "unknown")
        return web.json_response(
            {"id": f"a:personal-{user_id}", "serviceUrl": self.url}, status=201
        )
