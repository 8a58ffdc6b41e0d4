"""Abuse and security, end to end through the running aiohttp app and the real SDKs.

Replayed and re-bodied Slack signatures, oversized bodies, Teams tokens really
signed (RS256) by a local key whose key set the Agents SDK fetches from
loopback, the per-person rate limit, role escalation over every lead-only
command and button, injection in the free-text fields, and what the logs hold.
The fakes are tests/fakes/slack.py and tests/fakes/teams.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from slack_sdk.signature import Clock
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from bot import ratelimit
from bot.app import build_core, create_app
from bot.config import ConfigError, load_settings
from bot.logs import JsonFormatter
from bot.messages import Field, Reply
from bot.platforms.teams import cards
from bot.router import EMPLOYEE as EMPLOYEE_ROLE
from bot.router import MEMBER as MEMBER_ROLE
from bot.router import Route
from handlers import crisis
from storage.models import ConversationRef, InboundTask, Person, ProcessedEvent, RoleGrant
from storage.models_ask import AskQuestion, KbGap
from storage.models_content import ContentItem
from storage.models_crisis import CrisisReport
from storage.models_polls import Feedback, Poll
from tests.conftest import SAMPLE_CONFIG, make_settings
from tests.fakes.slack import EMPLOYEE, GUEST, LEAD, TEAM, FakeSlack
from tests.fakes.teams import FakeConnector, member
from tests.test_slack import SECRET, SlackBot, all_text, button, dm_of, signed
from tests.test_teams import EMPLOYEE as T_EMPLOYEE
from tests.test_teams import LEAD as T_LEAD
from tests.test_teams import USERS as T_USERS
from tests.test_teams import FakeMsal, Teams, personal

BOT_TOKEN = "xoxb-abuse-test-0000-do-not-log"
APP_ID = "00000000-0000-4000-8000-0000000ab05e"
APP_PASSWORD = "app-password-abuse-test-do-not-log"
MSAL_TOKEN = "msal-outbound-token-do-not-log"
BOTFRAMEWORK = "https://api.botframework.com"

MEMBER = "U0MIA"
T_EVE = "29:eve"
T_MEMBER = "29:mia-member"
CLARA = "U0CLARA"  # a department communicator (Sales) in the sample app.yaml
EVE = "U0EVE"

# Free text as an attacker writes it: SQL, Slack markup and mentions, markdown and HTML.
SQL = "Robert'); DROP TABLE crisis_report;--"
SLACK_MARKUP = "<!channel> <!here> <@U0LEA> <https://evil.example/x|click here>"
MARKDOWN = "[open me](https://evil.example/md) ![pixel](https://evil.example/p.png) <img src=https://evil.example/i.png>"
EVIL = f"{SQL} {SLACK_MARKUP} {MARKDOWN}"
EVIL_NAME = "<!channel> Eve'); DROP TABLE person;--"


def slack_user(user_id: str, email: str, name: str, locale: str = "en-US", **flags: Any) -> dict[str, Any]:
    return {
        "id": user_id, "team_id": TEAM, "name": email.split("@")[0], "real_name": name, "deleted": False,
        "is_bot": False, "is_restricted": False, "is_ultra_restricted": False, "tz": "Europe/Berlin",
        "locale": locale, "profile": {"email": email, "real_name": name, "display_name": name.split()[0]}, **flags,
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    server.users.update({
        MEMBER: slack_user(MEMBER, "mia.member@example.com", "Mia Member"),
        CLARA: slack_user(CLARA, "clara.sales@example.com", "Clara Sales"),
        EVE: slack_user(EVE, "eve@example.com", EVIL_NAME),
        "U0DIRK": slack_user("U0DIRK", "dirk@example.com", "Dirk Deutsch", locale="de-DE"),
    })
    await server.start()
    yield server
    await server.close()


def env_for(fake: FakeSlack, **extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url, **extra}


async def start_slack(aiohttp_client, fake: FakeSlack, tmp_path, *, limit: int = 10_000, **env: str) -> SlackBot:
    settings = make_settings(tmp_path, **env_for(fake, **env))
    # Most tests send more than a person would in a minute; the limit has tests of its own.
    settings.app.limits.per_user_per_minute = limit
    core = build_core(settings)
    return SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)


def event_body(user: str, text: str, *, event_id: str | None = None) -> str:
    ts = f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"
    return json.dumps({
        "token": "legacy", "team_id": TEAM, "api_app_id": "A0APP", "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": int(time.time()),
        "event": {"type": "message", "channel": dm_of(user), "user": user, "text": text, "ts": ts,
                  "event_ts": ts, "channel_type": "im", "team": TEAM},
    })


def to(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [r for r in fake.replies() if r.get("channel") == dm_of(user)]


async def say(bot: SlackBot, user: str, text: str) -> list[dict[str, Any]]:
    """A DM from ``user``; the messages the bot posted because of it (to anyone)."""
    before = len(bot.fake.replies())
    assert (await bot.dm(user, text)).status == 200
    await bot.settled()
    await crisis.settle(bot.core)
    return bot.fake.replies()[before:]


async def press(bot: SlackBot, user: str, element: dict[str, Any]) -> list[dict[str, Any]]:
    before = len(bot.fake.replies())
    assert (await bot.click(user, element, channel=dm_of(user))).status == 200
    await bot.settled()
    await crisis.settle(bot.core)
    return bot.fake.replies()[before:]


async def pass_to_comms(bot: SlackBot, user: str, question: str) -> list[dict[str, Any]]:
    """Ask, then hand the question to the comms team (straight away, or after "Not helpful")."""
    [answer] = await say(bot, user, question)
    labels = [e["text"]["text"] for b in answer.get("blocks") or [] for e in b.get("elements", [])
              if e.get("type") == "button"]
    if "Pass to the comms team" not in labels:
        [answer] = await press(bot, user, button(answer, "Not helpful"))
    return await press(bot, user, button(answer, "Pass to the comms team"))


async def count(core, model: Any) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


async def questions_of(core, email: str) -> int:
    """Questions the answer engine worked on for this person."""
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(AskQuestion).join(Person, Person.id == AskQuestion.person_id)
                             .where(Person.email == email))).one()


async def nothing_stored(core) -> None:
    for model in (InboundTask, ProcessedEvent, Person):
        assert await count(core, model) == 0, model.__name__


# -- 1. Slack: replayed and re-bodied signatures, oversized bodies -------------------------------------------


class _Later(Clock):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def now(self) -> float:
        return time.time() + self.seconds


async def test_a_replayed_slack_request_is_answered_once_and_refused_after_five_minutes(
    aiohttp_client, fake, tmp_path, monkeypatch
):
    bot = await start_slack(aiohttp_client, fake, tmp_path)
    body = event_body(EMPLOYEE, "help")
    headers = signed(body, "application/json")  # captured once, sent again by an attacker

    async def replay() -> int:
        return (await bot.client.post("/slack/events", data=body.encode(), headers=headers)).status

    assert await replay() == 200
    await bot.settled()
    assert len(fake.replies()) == 1
    # Within the five minutes the signature is still valid: the event id stops a second answer.
    assert await replay() == 200
    await bot.settled()
    assert len(fake.replies()) == 1
    monkeypatch.setattr(bot.adapter._verifier, "clock", _Later(5 * 60 + 1))
    assert await replay() == 401
    await bot.settled()
    assert len(fake.replies()) == 1
    assert await count(bot.core, InboundTask) == 1 and await count(bot.core, ProcessedEvent) == 1


async def test_a_signature_made_for_another_body_or_time_is_refused(aiohttp_client, fake, tmp_path):
    bot = await start_slack(aiohttp_client, fake, tmp_path)
    genuine = event_body(EMPLOYEE, "help")
    headers = signed(genuine, "application/json")
    # The employee's signed "help", with the body swapped for the lead giving them a role.
    forged = event_body(LEAD, "role add erik.employee@example.com backup")
    response = await bot.client.post("/slack/events", data=forged.encode(), headers=headers)
    assert response.status == 401
    # The genuine body, with a fresh timestamp that the signature was not made for.
    moved = {**headers, "X-Slack-Request-Timestamp": str(int(headers["X-Slack-Request-Timestamp"]) + 1)}
    response = await bot.client.post("/slack/events", data=genuine.encode(), headers=moved)
    assert response.status == 401
    await bot.settled()
    assert fake.replies() == []
    await nothing_stored(bot.core)
    assert await count(bot.core, RoleGrant) == 0


async def test_oversized_bodies_get_413_on_every_post_route(aiohttp_client, fake, tmp_path):
    connector = await FakeConnector(users=dict(T_USERS)).start()
    try:
        settings = make_settings(tmp_path, **env_for(fake, TEAMS_ALLOW_UNAUTHENTICATED="1"))
        core = build_core(settings)
        app = create_app(settings, core=core, background=False)
        client = await aiohttp_client(app)
        routes = sorted({r.resource.canonical for r in app.router.routes() if r.method == "POST"})
        assert {"/slack/events", "/api/messages"} <= set(routes)
        big = json.dumps({"type": "message", "text": "x" * (1024**2), "serviceUrl": connector.url}).encode()

        async def chunks() -> AsyncIterator[bytes]:
            for i in range(0, len(big), 64 * 1024):
                yield big[i : i + 64 * 1024]

        for path in routes:
            for chunked in (False, True):
                headers = {"Content-Type": "application/json"}
                if path == "/slack/events":
                    headers.update(signed(big.decode(), "application/json"))
                response = await client.post(path, data=chunks() if chunked else big, headers=headers)
                assert response.status == 413, (path, chunked, response.status, await response.text())
        await nothing_stored(core)
        assert fake.replies() == [] and connector.posted == []
    finally:
        await connector.close()


# -- 2. Teams: tokens signed for real by a local key -------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OpenId:
    """A JWKS (the Bot Framework's signing keys) on loopback, as login.botframework.com serves it.

    A thread server: the SDK fetches it with PyJWT's blocking PyJWKClient in a worker thread.
    """

    kid = "abuse-test-key"
    webchat_kid = "webchat-only-key"

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.fetched: list[str] = []
        keys = []
        for kid, key, endorsements in ((self.kid, self.key, ["msteams", "emulator"]),
                                       (self.webchat_kid, self.other, ["webchat"])):
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "endorsements": endorsements})
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.fetched.append(self.path)
                if self.path == "/keys":
                    body = {"keys": keys}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> OpenId:
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def token(self, service_url: str, *, key: Any = None, kid: str | None = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": BOTFRAMEWORK, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60,
                   "iat": now - 60, "exp": now + 3600, **claims}
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})


class Msal(FakeMsal):
    def acquire_token_for_client(self, scopes: list[str], **kw: Any) -> dict[str, Any]:
        self.cached = MSAL_TOKEN
        return {"access_token": self.cached, "expires_in": 3600}


@pytest.fixture
def openid(monkeypatch) -> Iterator[OpenId]:
    from microsoft_agents.authentication.msal import msal_auth
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator

    server = OpenId().start()
    routed: list[Any] = []

    def local_keys(iss: Any, root_config: Any, routing_config: Any) -> str:
        routed.append(iss)  # whatever the issuer, the SDK's key fetch goes to the local key set
        return server.url + "/keys"

    monkeypatch.setattr(jwt_token_validator, "_build_jwks_uri", local_keys)
    server.routed = routed
    # Outgoing replies need a token from Entra ID: MSAL answers from here.
    monkeypatch.setattr(Msal, "apps", [])
    monkeypatch.setattr(msal_auth, "ConfidentialClientApplication", Msal)
    yield server
    server.close()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    users = {**T_USERS, T_EVE: member(T_EVE, EVIL_NAME, "eve@example.com"),
             T_MEMBER: member(T_MEMBER, "Mia Member", "mia.member@example.com")}
    server = await FakeConnector(users=users).start()
    yield server
    await server.close()


async def start_teams(aiohttp_client, connector: FakeConnector, tmp_path, *, limit: int = 10_000,
                      **env: str) -> Teams:
    settings = make_settings(tmp_path, **env)
    settings.app.limits.per_user_per_minute = limit
    core = build_core(settings)
    client = await aiohttp_client(create_app(settings, core=core, background=False))
    return Teams(client, connector, core, itertools.count(1))


async def secured_teams(aiohttp_client, connector, tmp_path, **env: str) -> Teams:
    return await start_teams(aiohttp_client, connector, tmp_path, MicrosoftAppId=APP_ID,
                             MicrosoftAppPassword=APP_PASSWORD, **env)


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["aud"], claims["name"] = APP_ID, "admin"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def _unsigned(token: str) -> str:
    _, payload, _ = token.split(".")
    return f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT', 'kid': OpenId.kid}).encode())}.{payload}."


def _hs256_with_the_public_key(openid: OpenId, token: str) -> str:
    """The classic algorithm confusion: an HMAC keyed with the published RSA public key."""
    _, payload, _ = token.split(".")
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": openid.kid}).encode())
    pem = openid.key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    mac = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(mac)}"


async def test_a_teams_token_is_checked_for_real_and_every_bad_one_gets_401(
    aiohttp_client, connector, tmp_path, openid
):
    teams = await secured_teams(aiohttp_client, connector, tmp_path)
    # The SDK checks the issuer only when asked (VALIDATE_ISSUER): the bot asks.
    assert teams.adapter.auth_config.VALIDATE_ISSUER
    url = connector.url
    good = openid.token(url)
    now = int(time.time())
    other_tenant = "0ff1ce00-0000-4000-8000-0000000beef0"
    bad = {
        "another audience": openid.token(url, aud="11111111-2222-4333-8444-555555555555"),
        "expired": openid.token(url, exp=now - 3600, nbf=now - 7200, iat=now - 7200),
        "not valid yet": openid.token(url, nbf=now + 3600, iat=now + 3600),
        "another issuer": openid.token(url, iss="https://issuer.example"),
        "an Entra ID tenant the bot does not trust": openid.token(
            url, iss=f"https://login.microsoftonline.com/{other_tenant}/v2.0", tid=other_tenant),
        "another service URL": openid.token("https://evil.example/"),
        "forged with another key": openid.token(url, key=openid.other),
        "an unknown key id": openid.token(url, key=openid.other, kid="someone-elses-key"),
        "tampered payload": _tampered(openid.token(url, aud="someone-else")),
        "alg none": _unsigned(good),
        "HS256 with the public key": _hs256_with_the_public_key(openid, good),
        "malformed": "abc.def.ghi",
        "not a JWT at all": "not-a-token",
        "truncated": good.rsplit(".", 1)[0] + ".",
    }
    for why, token in bad.items():
        response = await teams.client.post("/api/messages", json=teams.message("help"),
                                           headers={"Authorization": f"Bearer {token}"})
        assert response.status == 401, (why, response.status, await response.text())
        assert "error" in await response.json()
    assert connector.posted == []
    await nothing_stored(teams.core)
    assert "/keys" in openid.fetched  # the checks above ran against the local keys
    assert "https://issuer.example" in openid.routed  # the foreign issuer was refused by the SDK's issuer check

    response = await teams.client.post("/api/messages", json=teams.message("help"),
                                       headers={"Authorization": f"Bearer {good}"})
    assert response.status in (200, 201, 202), await response.text()
    [answer] = connector.to(personal(T_EMPLOYEE))
    assert "What I can do for you" in answer.all_text()
    assert answer.authorization == f"Bearer {MSAL_TOKEN}"  # the reply went out signed, too


# -- 3. the per-person rate limit ------------------------------------------------------------------------------


SLOW_DOWN_EN = "You are sending me a lot of messages at once"
SLOW_DOWN_DE = "Du schickst mir gerade sehr viele Nachrichten"


async def test_a_flood_from_one_person_gets_one_friendly_message_and_is_not_worked_off(
    aiohttp_client, fake, tmp_path
):
    bot = await start_slack(aiohttp_client, fake, tmp_path, limit=5)
    now = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    bot.core.clock = lambda: now[0]
    for i in range(5):
        [answer] = await say(bot, EMPLOYEE, f"May I post a photo of our office party number {i}?")
        assert SLOW_DOWN_EN not in all_text(answer)
    assert await questions_of(bot.core, "erik.employee@example.com") == 5

    flood = [await say(bot, EMPLOYEE, f"May I post a photo of our canteen number {i}?") for i in range(6)]
    [warning] = flood[0]
    assert warning["channel"] == dm_of(EMPLOYEE) and SLOW_DOWN_EN in warning["text"]
    assert "crisis" in warning["text"]  # how to get a crisis report through anyway
    assert flood[1:] == [[]] * 5  # one friendly message, then silence
    assert await questions_of(bot.core, "erik.employee@example.com") == 5  # the handler did not run for the excess
    assert await count(bot.core, InboundTask) == 11  # every message was still recorded before the ack

    # Someone else is not slowed down, and a German flood is told in German.
    [answer] = await say(bot, LEAD, "May I post a photo of our office party?")
    assert SLOW_DOWN_EN not in all_text(answer)
    for i in range(5):
        await say(bot, "U0DIRK", f"Darf ich ein Foto vom Sommerfest Nummer {i} posten?")
    [german] = await say(bot, "U0DIRK", "Darf ich ein Foto von der Kantine posten?")
    assert SLOW_DOWN_DE in german["text"]

    # A crisis report always gets through, and buttons are not limited.
    receipt, *_alerts = await say(bot, EMPLOYEE, "crisis A journalist is calling about the accident")
    assert "K-2026-0001" in all_text(receipt)
    assert await count(bot.core, CrisisReport) == 1
    [join] = await press(bot, EMPLOYEE, {"action_id": "join.start:0", "value": json.dumps({"_lang": "en"})})
    assert "privacy notice" in join["text"]

    # A minute later the window has moved on: the person is answered again.
    now[0] += timedelta(seconds=61)
    [answer] = await say(bot, EMPLOYEE, "May I post a photo of our new building?")
    assert SLOW_DOWN_EN not in all_text(answer)
    assert await questions_of(bot.core, "erik.employee@example.com") == 6


async def test_a_double_click_of_a_limited_person_is_answered_once(aiohttp_client, fake, tmp_path):
    bot = await start_slack(aiohttp_client, fake, tmp_path, limit=2)
    bot.core.clock = lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    await say(bot, EMPLOYEE, "help")
    await say(bot, EMPLOYEE, "status")
    payload = {
        "type": "block_actions", "user": {"id": EMPLOYEE, "team_id": TEAM}, "team": {"id": TEAM},
        "container": {"type": "message", "channel_id": dm_of(EMPLOYEE), "message_ts": "1700000000.000001"},
        "channel": {"id": dm_of(EMPLOYEE)}, "trigger_id": "9.double",
        "actions": [{"action_id": "join.start:0", "value": json.dumps({"_lang": "en"}), "type": "button",
                     "action_ts": "1700000000.515151"}],
    }
    before = len(fake.replies())
    assert (await bot.interact(payload)).status == 200
    assert (await bot.interact(payload)).status == 200
    await bot.settled()
    [notice] = fake.replies()[before:]
    assert "privacy notice" in notice["text"]
    [warning] = await say(bot, EMPLOYEE, "my data")  # the limit itself still holds
    assert SLOW_DOWN_EN in warning["text"]


def test_the_limiter_slides_forgets_and_survives_a_clock_moved_back():
    limiter = ratelimit.RateLimiter(2, timedelta(seconds=60), max_tracked=3)
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert [limiter.check("a", t0 + timedelta(seconds=s)) for s in (0, 10, 20, 30)] == ["ok", "ok", "warn", "drop"]
    assert limiter.check("a", t0 + timedelta(seconds=61)) == "ok"  # the first one left the window
    assert limiter.check("a", t0 + timedelta(seconds=62)) == "drop"  # told once a minute, not once a gap
    assert limiter.check("a", t0 - timedelta(hours=1)) == "ok"  # a clock moved back keeps nothing stale
    for key in "bcdef":
        limiter.check(key, t0 + timedelta(hours=2))
    assert len(limiter._seen) <= 5  # people with nothing in the window are forgotten
    assert ratelimit.RateLimiter(0).check("a", t0) == "ok"  # 0: no limit
    assert ratelimit.never_limited("crisis") and ratelimit.never_limited("crisis.ack")
    assert not ratelimit.never_limited("crisisx") and not ratelimit.never_limited(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("limits:\n  per_user_per_minute: -1\n", ":2: limits.per_user_per_minute: Input should be greater than or equal to 0"),
        ("limits:\n  per_user_per_minute: lots\n", ":2: limits.per_user_per_minute: Input should be a valid integer"),
        ("limits:\n  per_minute: 5\n", ":2: limits.per_minute: unknown key"),
    ],
)
def test_the_limit_in_app_yaml_is_validated_with_file_and_line(tmp_path, text, expected):
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={}, read_dotenv=False)
    assert f"{path}{expected}" in str(err.value)


def test_the_limit_has_a_sane_default_and_can_be_set(tmp_path):
    assert load_settings(SAMPLE_CONFIG, env={}, read_dotenv=False).app.limits.per_user_per_minute == 30
    path = tmp_path / "app.yaml"
    path.write_text("limits:\n  per_user_per_minute: 0\n", encoding="utf-8")
    assert load_settings(path, env={}, read_dotenv=False).app.limits.per_user_per_minute == 0


# -- 4. role escalation ----------------------------------------------------------------------------------------


# What a member might type after a lead-only command; anything not named gets no arguments.
COMMAND_ARGS = {
    "content add": "url: https://example.com/sneaky | title: Sneaky | en: Sneaky text",
    "content retire": "{item}",
    "content approve": "{item}",
    "content reject": "{item} no",
    "poll": '"Sneaky poll?" Yes | No',
    "poll.close": "{poll}",
    "poll.stop": "{poll}",
    "role": "add mia.member@example.com backup",
    "meeting.summary": "We met and it was great",
}
# Intents match by a predicate, not by words: an example of each role-gated one.
INTENT_SAMPLES = {"kb gaps": "gaps", "answer": "answer GAP-{gap} It is fine to post"}
# Commands open to employees whose handlers refuse the rest (the crisis policy, feedback readers).
GATED_IN_HANDLERS = [
    "crisis list", "crisis show {ref}", "crisis ack {ref}", "crisis resolve {ref} handled",
    "crisis handover {ref} mia.member@example.com", "crisis severity {ref} low", "crisis add {ref} more",
    "crisis hold recall -- please do not post", "crisis lift recall", "feedback list",
]
# A crisis reference off the rota gets the answer for one that does not exist (issue 11, item 8).
REFUSAL = re.compile(r"^(Only |Guests and people from other organisations can't use|I know no crisis report “)")
BOOKKEEPING = {InboundTask.__tablename__, ProcessedEvent.__tablename__, ConversationRef.__tablename__, "lease"}


def lead_only(route: Route) -> bool:
    return route.roles is not None and not route.roles & {EMPLOYEE_ROLE, MEMBER_ROLE}


async def snapshot(core) -> dict[str, list[str]]:
    """Every row the program keeps (delivery bookkeeping and profile check times aside)."""
    out: dict[str, list[str]] = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in BOOKKEEPING:
            continue
        columns = [c for c in table.columns if c.name != "profile_checked_at"]
        try:
            async with core.db.session() as s:
                rows = (await s.execute(sa_select(*columns))).all()
        except Exception:  # a model another capability has not migrated yet
            continue
        out[table.name] = sorted(repr(tuple(r)) for r in rows)
    return out


def buttons_of(messages: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Neutral action id -> the Slack button element, across messages."""
    out = {}
    for message in messages:
        for block in message.get("blocks") or []:
            for element in block.get("elements", []):
                if element.get("type") == "button" and "value" in element:
                    # "crisis.severity:low:2": the route's name, its suffix, the index in the message.
                    out.setdefault(element["action_id"].split(":", 1)[0], element)
    return out


async def test_members_employees_and_guests_cannot_use_lead_commands_or_press_lead_buttons(
    aiohttp_client, fake, tmp_path
):
    bot = await start_slack(aiohttp_client, fake, tmp_path)
    router = bot.core.router
    for user in (LEAD, MEMBER, EMPLOYEE, GUEST, CLARA):
        await say(bot, user, "language en")
    await say(bot, MEMBER, "join")
    await press(bot, MEMBER, button(to(fake, MEMBER)[-1], "I agree, join"))
    # Something for each lead-only action to act on: a content item waiting for approval, a poll,
    # a crisis report, a question passed to comms, feedback.
    added = await say(bot, CLARA, "content add\nurl: https://example.com/fair\ntitle: Fair\naudience: Sales\nen: Visit us")
    poll = await say(bot, LEAD, 'poll "Lunch?" Pizza | Pasta')
    reported = await say(bot, CLARA, "crisis A journalist asked about the accident")
    await pass_to_comms(bot, CLARA, "How do I bake sourdough bread at home?")
    await say(bot, CLARA, "feedback The fair booth was great")
    async with bot.core.db.session() as s:
        item = (await s.exec(select(ContentItem))).one()
        report = (await s.exec(select(CrisisReport))).one()
        gap = (await s.exec(select(KbGap))).one()
        assert (await s.exec(select(Poll))).one().id == 1
    assert item.status == "pending"
    lead_buttons = buttons_of([m for m in added + poll + reported if m["channel"] == dm_of(LEAD)])
    assert {"content.approve", "content.reject", "crisis.ack", "crisis.resolve", "crisis.handover"} <= set(lead_buttons)
    receipt_buttons = buttons_of([m for m in reported if m["channel"] == dm_of(CLARA)])
    fill = {"item": item.id, "poll": 1, "ref": report.ref, "gap": gap.id}

    attempts: list[tuple[str, Any]] = []
    for route in router.commands:
        if lead_only(route):
            args = COMMAND_ARGS.get(route.name, "").format(**fill)
            attempts.append(("say", f"{route.words['en'][0]} {args}".strip()))
    for _, route in router.intents:
        if lead_only(route):
            assert route.name in INTENT_SAMPLES, f"add an example message for the intent {route.name!r}"
            attempts.append(("say", INTENT_SAMPLES[route.name].format(**fill)))
    attempts += [("say", text.format(**fill)) for text in GATED_IN_HANDLERS]
    for name, route in router.actions.items():
        if lead_only(route):
            attempts.append(("press", lead_buttons.get(name) or {"action_id": f"{name}:0", "value": "{}"}))
    attempts += [("press", lead_buttons[name]) for name in ("crisis.ack", "crisis.resolve", "crisis.handover")]
    attempts.append(("press", receipt_buttons["crisis.severity"]))  # the reporter's button, pressed by another
    assert len(attempts) > 25

    before = await snapshot(bot.core)
    for user in (MEMBER, EMPLOYEE, GUEST):
        for kind, what in attempts:
            posted = await (say(bot, user, what) if kind == "say" else press(bot, user, what))
            label = what if kind == "say" else what["action_id"]
            assert [m["channel"] for m in posted] == [dm_of(user)], (user, label, posted)
            assert REFUSAL.search(posted[0]["text"]), (user, label, posted[0]["text"])
    assert await snapshot(bot.core) == before


async def test_a_member_pressing_the_leads_acknowledge_in_teams_is_refused(aiohttp_client, connector, tmp_path):
    teams = await start_teams(aiohttp_client, connector, tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    await teams.say("language en", user=T_LEAD)
    await teams.say("crisis Someone leaked our price list on Reddit", user=T_EMPLOYEE)
    await crisis.settle(teams.core)
    [alert] = [p for p in connector.to(personal(T_LEAD)) if p.card and "Crisis report" in p.all_text()]
    before = await snapshot(teams.core)
    for title in ("Acknowledge", "Resolve", "Hand over"):
        [refusal] = await teams.press(alert, title, user=T_EMPLOYEE)
        assert refusal.conversation_id == personal(T_EMPLOYEE)
        assert refusal.text.startswith("I know no crisis report “K-2026-0001”")
    assert await snapshot(teams.core) == before


# -- 5. injection in the free-text fields ----------------------------------------------------------------------


def mrkdwn_texts(message: dict[str, Any]) -> list[str]:
    """Every text Slack parses for markup and mentions (plain_text is shown as written)."""
    out = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        parts = [block.get("text")] + list(block.get("fields") or []) + list(block.get("elements") or [])
        out += [p["text"] for p in parts if isinstance(p, dict) and p.get("type") == "mrkdwn"]
    return out


def assert_no_live_markup(message: dict[str, Any]) -> None:
    for text in mrkdwn_texts(message):
        # Everything the bot sends is escaped: no raw "<" is left for Slack to read as a mention or link.
        assert "<" not in text and ">" not in text, text


async def test_injection_in_free_text_is_stored_verbatim_and_reaches_others_as_text_on_slack(
    aiohttp_client, fake, tmp_path
):
    bot = await start_slack(aiohttp_client, fake, tmp_path)
    for user in (LEAD, MEMBER, EVE, CLARA):
        await say(bot, user, "language en")
    await say(bot, MEMBER, "join")
    await press(bot, MEMBER, button(to(fake, MEMBER)[-1], "I agree, join"))

    # A crisis report: the text and the reporter's display name go to the lead.
    reported = await say(bot, EVE, f"crisis {EVIL}")
    [alert] = [m for m in reported if m["channel"] == dm_of(LEAD)]
    assert_no_live_markup(alert)
    assert "&lt;!channel&gt;" in alert["text"] and "&lt;https://evil.example/x|click here&gt;" in alert["text"]
    async with bot.core.db.session() as s:
        assert (await s.exec(select(CrisisReport))).one().text == EVIL
        assert (await s.exec(select(Person).where(Person.email == "eve@example.com"))).one().display_name == EVIL_NAME

    # Feedback, read by the lead.
    await say(bot, EVE, f"feedback {EVIL}")
    [listing] = await say(bot, LEAD, "feedback list")
    assert_no_live_markup(listing)
    assert "DROP TABLE crisis_report" in all_text(listing)

    # A poll with markup in the question and the answers, sent to the members.
    question = "<!channel> Lunch'); DROP TABLE poll;-- <@U0MIA> [vote](https://evil.example/v)?"
    options = ["<!here> Pizza", "Pasta <https://evil.example/y>", "Soup'); DELETE FROM poll_ballot;--"]
    created = await say(bot, LEAD, f'poll "{question}" {" | ".join(options)}')
    [sent] = [m for m in created if m["channel"] == dm_of(MEMBER)]
    assert_no_live_markup(sent)
    async with bot.core.db.session() as s:
        stored = (await s.exec(select(Poll))).one()
    assert stored.question == question and stored.options == options

    # A content item for approval: title and text go to the lead.
    added = await say(bot, CLARA, f"content add\nurl: https://example.com/x\ntitle: {SQL} <!here>\naudience: Sales\nen: {EVIL}")
    [approval] = [m for m in added if m["channel"] == dm_of(LEAD)]
    assert_no_live_markup(approval)
    async with bot.core.db.session() as s:
        item = (await s.exec(select(ContentItem))).one()
    assert item.title == f"{SQL} <!here>" and item.text_en == EVIL

    # A question passed to comms.
    asked = "<!here> How do I bake sourdough bread'); DROP TABLE kb_gap;-- <https://evil.example/z|recipe>?"
    passed = await pass_to_comms(bot, EVE, asked)
    [notice] = [m for m in passed if m["channel"] == dm_of(LEAD)]
    assert_no_live_markup(notice)
    async with bot.core.db.session() as s:
        assert (await s.exec(select(KbGap))).one().text == asked
        # The tables the SQL tried to drop are all still there.
        for model in (CrisisReport, Person, Poll, KbGap, Feedback):
            assert (await s.exec(select(func.count()).select_from(model))).one() >= 1


_MD_LINK = re.compile(r"\]\(\s*<?https?://")


async def test_markdown_and_html_from_a_person_reach_teams_as_text(aiohttp_client, connector, tmp_path):
    teams = await start_teams(aiohttp_client, connector, tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    await teams.say("language en", user=T_LEAD)
    await teams.say(f"crisis {EVIL}", user=T_EVE)
    await crisis.settle(teams.core)
    [alert] = [p for p in connector.to(personal(T_LEAD)) if p.card and "Crisis report" in p.all_text()]
    shown = alert.all_text()
    assert not _MD_LINK.search(shown) and "![" not in shown, shown  # no link hiding its address, no image
    assert "click here (https://evil.example/x)" in shown and "open me (https://evil.example/md)" in shown
    assert EVIL_NAME in shown  # the name as written: a card has no mentions
    async with teams.core.db.session() as s:
        report = (await s.exec(select(CrisisReport))).one()
    assert report.text == EVIL

    # Details reach the owner as a text message, where Teams would render HTML.
    await teams.press(alert, "Acknowledge", user=T_LEAD)
    before = len(connector.posted)
    await teams.say(f"crisis add {report.ref} {MARKDOWN}", user=T_EVE)
    [notice] = [p for p in connector.posted[before:] if p.conversation_id == personal(T_LEAD)]
    assert notice.card is None and "<img" not in notice.text and "&lt;img" in notice.text
    assert not _MD_LINK.search(notice.text) and "![" not in notice.text


def test_teams_rendering_keeps_the_bots_markup_and_shows_every_link_target():
    reply = Reply(text="*Bold* and ~gone~ <https://example.com> <https://example.com|site> [x](https://evil.example)")
    assert cards.render(reply)["text"] == (
        "**Bold** and ~~gone~~ https://example.com site (https://example.com) x (https://evil.example)"
    )
    card = cards.adaptive_card(Reply(title="[t](https://evil.example)", text="a", context="b",
                                     fields=[Field("[n](https://evil.example)", "![i](https://evil.example)")]))
    assert "](" not in json.dumps(card["body"])


# -- 6. logs and secrets -------------------------------------------------------------------------------------


@pytest.fixture
def every_log_line() -> Iterator[list[str]]:
    """Every logger at INFO, each record formatted as production writes it (JSON with its extras)."""
    lines: list[str] = []
    formatter = JsonFormatter()

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    root = logging.getLogger()
    loggers = [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled, lg.propagate) for lg in loggers]
    saved_root = root.level
    handler = Keep(logging.INFO)
    for lg in loggers:
        lg.setLevel(logging.NOTSET)
        lg.disabled, lg.propagate = False, True
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_root)
        for lg, level, disabled, propagate in saved:
            lg.setLevel(level)
            lg.disabled, lg.propagate = disabled, propagate


QUESTION = "May I post the quokka-4711 prototype photo?"
REPORT = "crisis The quokka-4712 video is going viral on TikTok"
TEAMS_QUESTION = "May I share the quokka-4713 roadmap?"
TEAMS_REPORT = "crisis A journalist asks about quokka-4714"


async def test_logs_hold_no_token_and_no_message_text(
    aiohttp_client, fake, connector, tmp_path, openid, every_log_line
):
    bot = await start_slack(aiohttp_client, fake, tmp_path / "slack")
    signatures = []
    for text in (QUESTION, REPORT, "join"):
        body = event_body(EMPLOYEE, text)
        headers = signed(body, "application/json")
        signatures.append(headers["X-Slack-Signature"])
        assert (await bot.client.post("/slack/events", data=body.encode(), headers=headers)).status == 200
        await bot.settled()
        await crisis.settle(bot.core)
    refused = await bot.client.post("/slack/events", data=event_body(EMPLOYEE, QUESTION).encode(),
                                    headers=signed("other", "application/json"))
    assert refused.status == 401

    teams = await secured_teams(aiohttp_client, connector, tmp_path / "teams")
    token = openid.token(connector.url)
    for text in (TEAMS_QUESTION, TEAMS_REPORT, "join"):
        response = await teams.client.post("/api/messages", json=teams.message(text),
                                           headers={"Authorization": f"Bearer {token}"})
        assert response.status in (200, 201, 202)
        await crisis.settle(teams.core)
    forged = openid.token(connector.url, key=openid.other)
    response = await teams.client.post("/api/messages", json=teams.message(TEAMS_QUESTION),
                                       headers={"Authorization": f"Bearer {forged}"})
    assert response.status == 401
    assert len(fake.replies()) >= 3 and len(connector.posted) >= 3  # the exchange really happened

    logs = "\n".join(every_log_line)
    assert '"msg": "answered"' in logs  # the capture works
    secrets = [BOT_TOKEN, SECRET, APP_PASSWORD, MSAL_TOKEN, token, token.rsplit(".", 1)[1], forged, *signatures]
    for secret in secrets:
        assert secret not in logs, secret[:12]
    assert "quokka" not in logs

    # Switched on, the text is logged: the check above would have seen it.
    bot.core.settings.app.privacy.log_message_text = True
    await say(bot, EMPLOYEE, QUESTION)
    assert "quokka-4711" in "\n".join(every_log_line)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slack:\n  bot_token: xoxb-1234-5678-abcdef\n", ":2: slack.bot_token: its name says it is a secret"),
        ("program:\n  name: X\nllm:\n  enabled: true\n  api_key: sk-0123456789abcdefghijklmn\n", ":5: llm.api_key"),
        ("MicrosoftAppPassword: hunter2\n", ":1: MicrosoftAppPassword: its name says it is a secret"),
        ("crisis:\n  levels:\n    - who: [comms_lead]\n      webhook_secret: abc\n",
         ":4: crisis.levels[0].webhook_secret"),
        ("database:\n  url: postgresql://ambassador:hunter2@db.example.com/ambassador\n",
         ":2: database.url: it looks like an address with a password"),
        ("program:\n  name: xoxb-1234-5678-abcdef\n", ":2: program.name: it looks like a Slack token"),
        ("content:\n  thanks:\n    smtp:\n      password: x\n", ":4: content.thanks.smtp.password"),
    ],
)
def test_secrets_in_app_yaml_are_refused_with_a_clear_message(tmp_path, text, expected):
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={}, read_dotenv=False)
    message = str(err.value)
    assert f"{path}{expected}" in message
    assert "app.yaml holds no secrets: set it in the environment or in .env" in message


def test_settings_that_merely_mention_tokens_are_not_secrets(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text("llm:\n  max_tokens: 600\ndatabase:\n  url: postgresql://ambassador@db/ambassador\n"
                    "program:\n  name: Token team\n", encoding="utf-8")
    settings = load_settings(path, env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET},
                             read_dotenv=False)
    assert settings.app.llm == {"max_tokens": 600} and settings.slack.bot_token == BOT_TOKEN


async def test_database_errors_name_neither_the_password_nor_the_values(tmp_path):
    from sqlalchemy.exc import IntegrityError

    from storage.db import Database, DatabaseError

    for url in ("mysql://ambassador:hunter2@db.example.com/ambassador", "postgresql://ambassador:hunter2@db:port/x"):
        with pytest.raises(DatabaseError) as err:
            Database(url)
        assert "hunter2" not in str(err.value) and "***" in str(err.value)
    core = build_core(make_settings(tmp_path))
    await core.db.upgrade()
    try:
        async with core.db.session() as s:
            s.add(ProcessedEvent(key="slack:quokka-4715 secret text"))
            await s.commit()
        async with core.db.session() as s:
            s.add(ProcessedEvent(key="slack:quokka-4715 secret text"))
            with pytest.raises(IntegrityError) as clash:
                await s.commit()
        # What a "handler failed" log line would carry: the statement, not its values.
        assert "INSERT INTO" in str(clash.value) and "quokka" not in str(clash.value)
    finally:
        await core.db.dispose()
