"""Slack end to end: signed requests to the running aiohttp app, Bolt's real code
paths, and its Web API client pointed at a local fake Slack (tests/fakes/slack.py).

Most tests run Bolt's production setting (``process_before_response=False``:
the answer is posted after the acknowledgement) and wait until the accepted
work is finished; a few run ``process_before_response=True`` too.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, update
from sqlmodel import select

from bot.app import build_core, build_router, create_app
from bot.core import Core
from bot.messages import Button, Choice, Field, Incoming, Reply
from bot.platforms.slack import SlackAdapter, blockkit
from bot.web import CORE_KEY
from storage.db import Database
from storage.models import Consent, InboundTask, Person, ProcessedEvent, ProgramEvent
from tests.conftest import make_settings
from tests.fakes.slack import BOT_USER, DELETED, EMPLOYEE, EXTERNAL, GUEST, LEAD, TEAM, WAIT, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-signing-secret-0123456789abcdef"
GENERAL = "C0GENERAL"


def dm_of(user: str) -> str:
    return "D" + user[1:]


def _ts() -> str:
    """A unique Slack-style timestamp (message ts, action_ts)."""
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12:012d}"


def _trigger() -> str:
    return f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:12]}"


def signed(
    body: str, content_type: str, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


class SlackBot:
    """Talks to the app the way Slack does, and reads what it did."""

    def __init__(self, client: TestClient, fake: FakeSlack) -> None:
        self.client = client
        self.fake = fake

    @property
    def core(self) -> Core:
        return self.client.app[CORE_KEY]

    @property
    def adapter(self) -> SlackAdapter:
        sender = self.core.senders["slack"]
        assert isinstance(sender, SlackAdapter)
        return sender

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None, **sign: Any):
        return await self.client.post(
            "/slack/events",
            data=body.encode(),
            headers={**signed(body, content_type, **sign), **(headers or {})},
        )

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None, **sign: Any
    ):
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM,
                "api_app_id": "A0APP",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
                "event_time": int(time.time()),
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": TEAM,
                        "user_id": BOT_USER,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
            }
        )
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(body, "application/json", headers, **sign)

    async def dm(self, user: str, text: str, **fields: Any):
        event_id = fields.pop("event_id", None)
        ts = _ts()
        event = {
            "type": "message",
            "channel": dm_of(user),
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
            "team": TEAM,
            **fields,
        }
        return await self.event(event, event_id=event_id)

    async def command(self, user: str, text: str, channel: str = GENERAL):
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM,
                "team_domain": "example",
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/ambassador",
                "text": text,
                "api_app_id": "A0APP",
                "response_url": self.fake.url + "response",
                "trigger_id": _trigger(),
            }
        )
        return await self.post(body, "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]):
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    async def click(self, user: str, element: dict[str, Any], *, channel: str, view: bool = False):
        message_ts = _ts()
        action = {
            "action_id": element["action_id"],
            "block_id": "b1",
            "text": element.get("text"),
            "type": element.get("type", "button"),
            "action_ts": _ts(),
        }
        if "value" in element:
            action["value"] = element["value"]
        if "selected_option" in element:
            action["selected_option"] = element["selected_option"]
        container = (
            {"type": "view", "view_id": "V0HOME"}
            if view
            else {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False}
        )
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": "A0APP",
            "token": "legacy",
            "container": container,
            "trigger_id": _trigger(),
            "team": {"id": TEAM, "domain": "example"},
            "actions": [action],
        }
        if not view:
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = {"type": "message", "ts": message_ts, "text": "..."}
        return await self.interact(payload)

    async def settled(self) -> None:
        """Until every accepted message is answered (the production setting answers after the ack)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            async with self.core.db.session() as s:
                pending = (
                    await s.exec(
                        select(func.count()).select_from(InboundTask).where(InboundTask.status == "pending")
                    )
                ).one()
            if not pending and not self.adapter._inflight:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("accepted Slack work was not finished in time")

    async def count(self, model: type) -> int:
        async with self.core.db.session() as s:
            return (await s.exec(select(func.count()).select_from(model))).one()

    async def person(self, email: str) -> Person | None:
        async with self.core.db.session() as s:
            return (await s.exec(select(Person).where(Person.email == email))).first()


def blocks_of(params: dict[str, Any]) -> list[dict[str, Any]]:
    return params.get("blocks") or []


def all_text(params: dict[str, Any]) -> str:
    """Everything a person reads in a posted message: fallback text and block texts."""
    return params.get("text", "") + "\n" + json.dumps(blocks_of(params), ensure_ascii=False)


def button(params: dict[str, Any], label: str) -> dict[str, Any]:
    for block in blocks_of(params):
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == label:
                return element
    raise AssertionError(f"no button {label!r} in {json.dumps(blocks_of(params), ensure_ascii=False)}")


def slack_env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        **extra,
    }


@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.close()


StartBot = Callable[..., Awaitable[SlackBot]]


@pytest.fixture
def start_bot(aiohttp_client, fake, tmp_path) -> StartBot:
    async def start(mode: str = "production", core: Core | None = None) -> SlackBot:
        if mode == "production":
            # Exactly what `ambassador run` builds: create_app mounts the adapter
            # with Bolt's production setting.
            app = create_app(make_settings(tmp_path, **slack_env(fake)), core=core, background=False)
        else:
            app = create_app(make_settings(tmp_path), core=core, background=False)
            SlackAdapter(
                app[CORE_KEY], make_settings(tmp_path, **slack_env(fake)), process_before_response=True
            ).mount(app)
        client = await aiohttp_client(app)
        return SlackBot(client, fake)

    return start


@pytest.fixture
async def bot(start_bot) -> SlackBot:
    return await start_bot()


# -- conversations ------------------------------------------------------------


@pytest.mark.parametrize("mode", ["production", "process_before_response"])
async def test_help_in_a_dm_shows_commands_and_a_join_button(start_bot, fake, mode):
    bot = await start_bot(mode)
    response = await bot.dm(EMPLOYEE, "help")
    assert response.status == 200
    await bot.settled()

    [reply] = fake.replies()
    assert reply["method"] == "chat.postMessage"
    assert reply["channel"] == dm_of(EMPLOYEE)
    assert "What I can do for you" in reply["text"]
    blocks = blocks_of(reply)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "What I can do for you", "emoji": True},
    }
    assert any(b["type"] == "section" and "fields" in b for b in blocks)
    join = button(reply, "Join the program")
    assert join["action_id"] == "join.start:0"
    assert join["style"] == "primary"
    assert json.loads(join["value"]) == {"_lang": "en"}
    # The profile came from users.info, with the locale asked for.
    assert fake.called("users.info")[0]["user"] == EMPLOYEE
    assert str(fake.called("users.info")[0]["include_locale"]).lower() in ("1", "true")
    assert (await bot.person("erik.employee@example.com")).display_name == "Erik Employee"


async def test_join_with_the_buttons_then_my_data_then_leave(bot, fake):
    await bot.dm(EMPLOYEE, "help")
    await bot.settled()
    await bot.click(EMPLOYEE, button(fake.replies()[-1], "Join the program"), channel=dm_of(EMPLOYEE))
    await bot.settled()

    notice = fake.replies()[-1]
    assert notice["channel"] == dm_of(EMPLOYEE) and notice["method"] == "chat.postMessage"
    assert "privacy notice" in notice["text"]
    assert "What is stored" in all_text(notice)
    confirm = button(notice, "I agree, join")
    assert json.loads(confirm["value"]) == {"notice_version": 1, "_lang": "en"}
    assert (await bot.person("erik.employee@example.com")).is_member is False

    await bot.click(EMPLOYEE, confirm, channel=dm_of(EMPLOYEE))
    await bot.settled()
    assert "Welcome to Ambassador-Programm" in fake.replies()[-1]["text"]
    person = await bot.person("erik.employee@example.com")
    assert person.is_member and person.joined_at is not None
    assert await bot.count(Consent) == 1

    await bot.dm(EMPLOYEE, "my data")
    await bot.settled()
    data = all_text(fake.replies()[-1])
    assert "Everything stored about you" in data
    assert "erik.employee@example.com" in data and "privacy notice v1" in data

    await bot.dm(EMPLOYEE, "leave")
    await bot.settled()
    assert "You've left Ambassador-Programm" in fake.replies()[-1]["text"]
    assert (await bot.person("erik.employee@example.com")).is_member is False
    # Five requests, one profile lookup: users.info is cached in the process.
    assert len(fake.called("users.info")) == 1


async def test_join_works_in_the_process_before_response_setting_too(start_bot, fake):
    bot = await start_bot("process_before_response")
    await bot.command(EMPLOYEE, "join", channel=dm_of(EMPLOYEE))
    # No waiting: with process_before_response the answer is out before the HTTP response.
    confirm = button(fake.replies()[-1], "I agree, join")
    await bot.click(EMPLOYEE, confirm, channel=dm_of(EMPLOYEE))
    assert "Welcome" in fake.replies()[-1]["text"]
    assert (await bot.person("erik.employee@example.com")).is_member


async def test_role_gated_command_refused_for_an_employee_and_allowed_for_the_lead(bot, fake):
    response = await bot.command(EMPLOYEE, "roles")
    assert response.status == 200
    await bot.settled()
    [refusal] = fake.replies()
    # In a channel the answer is private to the person who typed the command.
    assert refusal["method"] == "chat.postEphemeral"
    assert refusal["channel"] == GENERAL and refusal["user"] == EMPLOYEE
    assert "Only the comms lead can use “roles”" in refusal["text"]

    await bot.command(LEAD, "roles")
    await bot.settled()
    listing = fake.replies()[-1]
    assert listing["method"] == "chat.postEphemeral" and listing["user"] == LEAD
    assert blocks_of(listing)[0]["text"]["text"] == "Roles"
    assert "lea.lead@example.com" in all_text(listing)
    assert fake.called("chat.postMessage") == []  # nothing said in the channel


async def test_slash_command_without_text_means_help(bot, fake):
    await bot.command(EMPLOYEE, "", channel=dm_of(EMPLOYEE))
    await bot.settled()
    [reply] = fake.replies()
    assert reply["method"] == "chat.postMessage" and reply["channel"] == dm_of(EMPLOYEE)
    assert "What I can do for you" in reply["text"]


async def test_mention_in_a_channel_is_answered_in_its_thread(bot, fake):
    ts = _ts()
    await bot.event(
        {
            "type": "app_mention",
            "user": EMPLOYEE,
            "text": f"<@{BOT_USER}> help",
            "ts": ts,
            "channel": GENERAL,
            "event_ts": ts,
        }
    )
    await bot.settled()
    [reply] = fake.replies()
    assert reply["method"] == "chat.postMessage"
    assert reply["channel"] == GENERAL and reply["thread_ts"] == ts
    assert "What I can do for you" in reply["text"]


def core_with(tmp_path: Path, fake: FakeSlack, register: Callable[[Any], None]) -> Core:
    """The real core and handlers plus test handlers (capabilities that arrive in later issues)."""
    router = build_router()
    register(router)
    settings = make_settings(tmp_path, **slack_env(fake))
    return Core(settings, Database(settings.database_url), router)


async def test_a_private_reply_to_a_mention_is_shown_only_to_the_asker(start_bot, fake, tmp_path):
    def register(router) -> None:
        @router.command("whisper", en=["whisper"], de=["flüstern"])
        async def whisper(ctx, msg: Incoming) -> list[Reply]:
            return [
                Reply(text="Only you can read this.", private=True),
                Reply(text="Everyone can read this."),
            ]

    bot = await start_bot(core=core_with(tmp_path, fake, register))
    ts = _ts()
    await bot.event(
        {
            "type": "app_mention",
            "user": EMPLOYEE,
            "text": f"<@{BOT_USER}> whisper",
            "ts": ts,
            "channel": GENERAL,
        }
    )
    await bot.settled()
    private, public = fake.replies()
    assert private["method"] == "chat.postEphemeral" and private["user"] == EMPLOYEE
    assert private["channel"] == GENERAL and private["thread_ts"] == ts
    assert public["method"] == "chat.postMessage" and public["thread_ts"] == ts


async def test_shortcut_check_before_posting_answers_in_the_dm(start_bot, fake, tmp_path):
    seen: list[Incoming] = []

    def register(router) -> None:
        # Stands in for the answer engine's handler (a later issue).
        router.actions.pop("ask.check")  # this test looks at what the adapter hands over, not the engine
        @router.action("ask.check")
        async def check(ctx, msg: Incoming) -> Reply:
            seen.append(msg)
            return Reply(text=f"Checked {len(msg.values['text'])} characters.")

    bot = await start_bot(core=core_with(tmp_path, fake, register))
    draft = "Proud of our team & the new plant <3"
    payload = {
        "type": "message_action",
        "callback_id": "check_before_posting",
        "trigger_id": "1.abc",
        "action_ts": _ts(),
        "team": {"id": TEAM, "domain": "example"},
        "channel": {"id": GENERAL, "name": "general"},
        "user": {"id": EMPLOYEE, "name": "erik"},
        "message": {
            "type": "message",
            "user": LEAD,
            "ts": _ts(),
            "text": "Proud of our team &amp; the new plant &lt;3",
        },
        "response_url": fake.url + "response",
        "message_ts": _ts(),
    }
    response = await bot.interact(payload)
    assert response.status == 200
    await bot.settled()
    assert seen[0].source == "shortcut" and seen[0].action_id == "ask.check"
    assert seen[0].values["text"] == seen[0].text == draft
    assert fake.called("conversations.open")[0]["users"] == EMPLOYEE
    [reply] = fake.replies()
    assert reply["method"] == "chat.postMessage" and reply["channel"] == dm_of(EMPLOYEE)
    assert reply["text"] == f"Checked {len(draft)} characters."


async def test_shortcut_report_to_comms_files_a_crisis_report_and_alerts_the_lead(bot, fake):
    from sqlmodel import select as sql_select

    from storage.models_crisis import CrisisReport

    payload = {
        "type": "message_action",
        "callback_id": "report_to_comms",
        "trigger_id": "1.rep",
        "action_ts": _ts(),
        "team": {"id": TEAM, "domain": "example"},
        "channel": {"id": GENERAL, "name": "general"},
        "user": {"id": EMPLOYEE, "name": "erik"},
        "message": {"type": "message", "user": LEAD, "ts": "1700000000.000777",
                    "text": "A journalist is asking about the accident at the plant",
                    "files": [{"name": "mail.png", "mimetype": "image/png",
                               "url_private": "https://files.slack.com/files-pri/T1-F1/mail.png"}]},
        "response_url": fake.url + "response",
    }
    from handlers import crisis

    assert (await bot.interact(payload)).status == 200
    await bot.settled()
    await crisis.settle(bot.core)  # the first alert goes out right after the receipt
    async with bot.core.db.session() as s:
        [report] = (await s.exec(sql_select(CrisisReport))).all()
    # A link comms can open, and the screenshot on the message with it.
    assert "journalist" in report.text
    assert report.permalink == f"https://example.slack.com/archives/{GENERAL}/p1700000000000777"
    assert report.attachments == [{"name": "mail.png", "content_type": "image/png",
                                   "url": "https://files.slack.com/files-pri/T1-F1/mail.png"}]
    to_reporter = [r for r in fake.replies() if r["channel"] == dm_of(EMPLOYEE)]
    assert to_reporter and report.ref in all_text(to_reporter[0])  # the receipt with the reference number
    assert any(r["channel"] == dm_of(LEAD) and report.ref in all_text(r) for r in fake.replies())  # the lead is alerted


# -- delivered once, and only when signed --------------------------------------


async def test_a_retried_event_is_answered_once_and_stored_once(bot, fake):
    first = await bot.dm(EMPLOYEE, "help", event_id="Ev0DUPLICATE")
    await bot.settled()
    again = await bot.dm(EMPLOYEE, "help", event_id="Ev0DUPLICATE")
    retry = await bot.event(
        {
            "type": "message",
            "channel": dm_of(EMPLOYEE),
            "user": EMPLOYEE,
            "text": "help",
            "ts": _ts(),
            "channel_type": "im",
        },
        event_id="Ev0DUPLICATE",
        retry=1,
    )
    await bot.settled()
    assert first.status == again.status == retry.status == 200
    assert len(fake.replies()) == 1
    assert await bot.count(InboundTask) == 1
    assert await bot.count(ProcessedEvent) == 1


async def test_a_double_clicked_button_is_answered_once(bot, fake):
    element = {
        "action_id": "join.start:0",
        "value": json.dumps({"_lang": "en"}),
        "text": {"type": "plain_text", "text": "Join"},
    }
    payload = {
        "type": "block_actions",
        "user": {"id": EMPLOYEE, "team_id": TEAM},
        "team": {"id": TEAM},
        "container": {"type": "message", "channel_id": dm_of(EMPLOYEE), "message_ts": _ts()},
        "channel": {"id": dm_of(EMPLOYEE)},
        "trigger_id": "9.same",
        "actions": [{**element, "type": "button", "action_ts": "1700000000.424242"}],
    }
    assert (await bot.interact(payload)).status == 200
    assert (await bot.interact(payload)).status == 200
    await bot.settled()
    assert len(fake.replies()) == 1


@pytest.mark.parametrize(
    "sign",
    [
        pytest.param({"secret": "someone-elses-secret"}, id="bad-signature"),
        pytest.param({"timestamp": int(time.time()) - 301}, id="timestamp-older-than-five-minutes"),
    ],
)
async def test_unverified_requests_are_refused_and_nothing_is_stored(bot, fake, sign):
    response = await bot.event(
        {
            "type": "message",
            "channel": dm_of(EMPLOYEE),
            "user": EMPLOYEE,
            "text": "help",
            "ts": _ts(),
            "channel_type": "im",
        },
        **sign,
    )
    assert response.status == 401
    unsigned = await bot.client.post(
        "/slack/events", data=b'{"type": "event_callback"}', headers={"Content-Type": "application/json"}
    )
    assert unsigned.status == 401
    await asyncio.sleep(0.05)
    assert fake.replies() == []
    for model in (InboundTask, ProcessedEvent, Person):
        assert await bot.count(model) == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('{"type": "event_callback", "event": "message"}', "application/json"),
        ('{"type": "event_callback", "event": {"channel": "D1"}}', "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        (
            urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}),
            "application/x-www-form-urlencoded",
        ),
        ('{"type": "something_slack_invents_later"}', "application/json"),
        ("", "application/json"),
    ],
)
async def test_malformed_or_unknown_payloads_get_a_4xx_never_a_500(bot, fake, body, content_type):
    response = await bot.post(body, content_type)
    assert 400 <= response.status < 500, await response.text()
    assert await bot.count(InboundTask) == 0


async def test_url_verification_is_answered(bot):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    response = await bot.post(body, "application/json")
    assert response.status == 200
    assert "c-123" in await response.text()


# -- bad input gets a clear reply ---------------------------------------------------


async def test_empty_and_oversized_dms_get_a_clear_reply(bot, fake):
    await bot.dm(EMPLOYEE, "")
    await bot.settled()
    assert "Your message was empty" in fake.replies()[-1]["text"]

    response = await bot.dm(EMPLOYEE, "x" * 40_000)
    assert response.status == 200
    await bot.settled()
    assert "Your message has 40,000 characters" in fake.replies()[-1]["text"]


async def test_a_file_without_text_gets_the_attachment_message(bot, fake):
    await bot.dm(
        EMPLOYEE,
        "",
        subtype="file_share",
        files=[
            {
                "id": "F1",
                "name": "draft.pdf",
                "mimetype": "application/pdf",
                "url_private": "https://files.example/F1",
            }
        ],
    )
    await bot.settled()
    [reply] = fake.replies()
    assert "I can't read attachments (draft.pdf)" in reply["text"]


async def test_edits_bots_and_own_messages_are_ignored(bot, fake):
    await bot.dm(EMPLOYEE, "help", subtype="message_changed")
    await bot.dm(EMPLOYEE, "help", bot_id="B0OTHER")
    await bot.event(
        {
            "type": "message",
            "channel": dm_of(EMPLOYEE),
            "user": BOT_USER,
            "text": "Hello",
            "ts": _ts(),
            "channel_type": "im",
        }
    )
    await bot.settled()
    assert fake.replies() == []
    assert await bot.count(InboundTask) == 0


async def test_slack_markup_is_escaped_both_ways(bot, fake):
    await bot.dm(EMPLOYEE, "timezone &lt;!channel&gt; &amp; more")
    await bot.settled()
    reply = fake.replies()[-1]
    # The handler saw "<!channel> & more" (and echoes it as an unknown time zone);
    # the echo cannot notify a channel.
    assert "&lt;!channel&gt; &amp; more" in reply["text"]
    assert "<!channel>" not in all_text(reply)


# -- who may do what ----------------------------------------------------------------


@pytest.mark.parametrize("user", [GUEST, EXTERNAL], ids=["guest", "slack-connect-user"])
async def test_guests_and_other_organisations_cannot_join(bot, fake, user):
    await bot.command(user, "join", channel=dm_of(user))
    await bot.settled()
    [reply] = fake.replies()
    assert "Guests and people from other organisations can't use “join”" in reply["text"]
    async with bot.core.db.session() as s:
        person = (await s.exec(select(Person))).one()
    assert person.is_guest and not person.is_member


async def test_deactivated_user_leaves_the_program(bot, fake):
    await bot.command(EMPLOYEE, "join", channel=dm_of(EMPLOYEE))
    await bot.settled()
    await bot.click(EMPLOYEE, button(fake.replies()[-1], "I agree, join"), channel=dm_of(EMPLOYEE))
    await bot.settled()
    assert (await bot.person("erik.employee@example.com")).is_member

    deleted = {**fake.users[EMPLOYEE], "deleted": True}
    response = await bot.event(
        {"type": "user_change", "user": deleted, "cache_ts": int(time.time()), "event_ts": _ts()}
    )
    assert response.status == 200
    await bot.settled()
    person = await bot.person("erik.employee@example.com")
    assert person.is_member is False and person.active is False
    async with bot.core.db.session() as s:
        kinds = [
            (e.kind, e.data) for e in (await s.exec(select(ProgramEvent).order_by(ProgramEvent.id))).all()
        ]
    assert kinds[-1] == ("leave", {"reason": "deactivated"})


async def test_a_deleted_user_is_not_taken_in(bot, fake):
    await bot.command(DELETED, "join", channel=dm_of(DELETED))
    await bot.settled()
    assert "deactivated" in fake.replies()[-1]["text"]
    assert (await bot.person("dora.deleted@example.com")).is_member is False


async def test_answers_even_when_users_info_fails(bot, fake):
    fake.errors["users.info"] = "fatal_error"
    await bot.dm(EMPLOYEE, "help")
    await bot.settled()
    assert "What I can do for you" in fake.replies()[-1]["text"]


# -- App Home -----------------------------------------------------------------------


async def test_app_home_shows_the_program_status(bot, fake):
    await bot.event(
        {
            "type": "app_home_opened",
            "user": EMPLOYEE,
            "channel": dm_of(EMPLOYEE),
            "tab": "messages",
            "event_ts": _ts(),
        }
    )
    await bot.event(
        {
            "type": "app_home_opened",
            "user": EMPLOYEE,
            "channel": dm_of(EMPLOYEE),
            "tab": "home",
            "event_ts": _ts(),
        }
    )
    [published] = await fake.wait_for("views.publish")
    assert published["user_id"] == EMPLOYEE
    view = published["view"]
    assert view["type"] == "home"
    text = json.dumps(view["blocks"], ensure_ascii=False)
    assert view["blocks"][0]["text"]["text"] == "Your program status"
    assert "Not a member" in text and "Join the program" in text
    await bot.settled()
    # The home tab names the DM with the bot: kept for messages the bot starts.
    ref = await bot.core.conversation_of("slack", EMPLOYEE)
    assert ref is not None and ref.conversation_id == dm_of(EMPLOYEE)

    # Its join button answers in the DM.
    join = next(e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"])
    await bot.click(EMPLOYEE, join, channel="", view=True)
    await bot.settled()
    notice = fake.replies()[-1]
    assert notice["channel"] == dm_of(EMPLOYEE) and "privacy notice" in notice["text"]


# -- the production setting -------------------------------------------------------


async def test_production_setting_records_first_acknowledges_then_answers(bot, fake, monkeypatch):
    assert bot.adapter.bolt.process_before_response is False
    accept = bot.core.accept

    async def slow_accept(incoming: Incoming) -> int | None:
        # Were the acknowledgement sent before the work is recorded, the HTTP
        # response would overtake this and find no row below.
        await asyncio.sleep(0.3)
        return await accept(incoming)

    monkeypatch.setattr(bot.core, "accept", slow_accept)
    gate = fake.hold("chat.postMessage")
    response = await bot.dm(EMPLOYEE, "help")
    assert response.status == 200
    async with bot.core.db.session() as s:
        task = (await s.exec(select(InboundTask))).one()
    # Waiting work is sealed with the program key: a copy of the database does not show it.
    assert task.status == "pending" and "help" not in str(task.payload)
    assert bot.core.settings.key.unseal(task.payload)["text"] == "help"
    # The acknowledgement did not wait for the answer, which is still held at the fake Slack.
    await fake.wait_for("chat.postMessage")
    gate.set()
    await bot.settled()
    async with bot.core.db.session() as s:
        task = (await s.exec(select(InboundTask))).one()
    assert task.status == "done" and task.payload == {}
    assert "What I can do for you" in fake.replies()[0]["text"]


async def _expire_leases(core: Core) -> None:
    async with core.db.session() as s:
        await s.execute(update(InboundTask).values(lease_until=InboundTask.created_at - timedelta(seconds=1)))
        await s.commit()


async def test_an_acknowledged_message_survives_a_crash_before_the_answer(bot, fake, monkeypatch):
    async def crash(task_id: int | None, incoming: Incoming, send: Any) -> list[Reply]:
        return []  # the process stopped right after Slack's acknowledgement

    monkeypatch.setattr(bot.core, "run", crash)
    assert (await bot.dm(EMPLOYEE, "help", event_id="Ev0CRASH")).status == 200
    await asyncio.sleep(0.05)
    assert fake.replies() == []
    monkeypatch.undo()

    await _expire_leases(bot.core)
    assert await bot.core.recover() == 1  # what the scheduler does after the restart
    [reply] = fake.replies()
    assert reply["channel"] == dm_of(EMPLOYEE) and "What I can do for you" in reply["text"]
    # Slack's own retry of that event comes too late to be answered twice.
    await bot.dm(EMPLOYEE, "help", event_id="Ev0CRASH")
    await bot.settled()
    assert len(fake.replies()) == 1


async def test_an_answer_slack_refused_is_delivered_later_without_running_the_handler_again(bot, fake):
    await bot.command(EMPLOYEE, "join", channel=dm_of(EMPLOYEE))
    await bot.settled()
    confirm = button(fake.replies()[-1], "I agree, join")
    fake.errors["chat.postMessage"] = "internal_error"
    assert (await bot.click(EMPLOYEE, confirm, channel=dm_of(EMPLOYEE))).status == 200
    await fake.wait_for("chat.postMessage", count=2)
    await asyncio.sleep(0.05)
    assert (await bot.person("erik.employee@example.com")).is_member  # the handler's work is done

    del fake.errors["chat.postMessage"]
    await _expire_leases(bot.core)
    assert await bot.core.recover() == 1
    assert "Welcome to Ambassador-Programm" in fake.replies()[-1]["text"]
    assert await bot.count(Consent) == 1  # joined once, not twice
    async with bot.core.db.session() as s:
        assert (await s.exec(select(InboundTask).where(InboundTask.status == "pending"))).all() == []


async def test_a_recovered_channel_answer_stays_private(bot, fake):
    """An answer accepted before a crash and sent by the recovery is still only for its asker."""
    incoming = Incoming(
        platform="slack",
        user_id=EMPLOYEE,
        conversation_id=GENERAL,
        text="help",
        source="command",
        is_direct=False,
        event_id="command:lost",
    )
    assert await bot.core.accept(incoming) is not None
    await _expire_leases(bot.core)
    assert await bot.core.recover() == 1
    [reply] = fake.replies()
    assert (
        reply["method"] == "chat.postEphemeral" and reply["user"] == EMPLOYEE and reply["channel"] == GENERAL
    )


# -- proactive sending and lookups ------------------------------------------------


async def test_send_to_conversation_waits_out_a_429(bot, fake):
    fake.rate_limit_once("chat.postMessage", retry_after=1)
    await bot.adapter.send_to_conversation(dm_of(EMPLOYEE), [Reply(text="Fresh content for you")], EMPLOYEE)
    calls = [c for c in fake.calls if c.method == "chat.postMessage"]
    assert len(calls) == 2  # refused once, then delivered
    assert calls[1].at - calls[0].at >= 1.0  # after Retry-After
    assert calls[1].params["text"] == "Fresh content for you"
    assert calls[1].token == "xoxb-test-token"


async def test_send_to_a_user_opens_the_dm(bot, fake):
    await bot.adapter.send_to_conversation(LEAD, [Reply(text="A crisis report is waiting")], None)
    assert fake.called("conversations.open")[0]["users"] == LEAD
    assert fake.replies()[0]["channel"] == dm_of(LEAD)


async def test_core_notify_reaches_the_lead_by_address_through_slack(bot, fake):
    # The lead never wrote to the bot: the core finds them with users.lookupByEmail.
    assert await bot.core.notify_email("lea.lead@example.com", [Reply(text="A crisis report is waiting")]) == "slack"
    assert fake.called("users.lookupByEmail")[0]["email"] == "lea.lead@example.com"
    assert fake.replies()[0]["channel"] == dm_of(LEAD)
    assert fake.replies()[0]["text"].startswith("A crisis report is waiting")


async def test_unreachable_channel_falls_back_to_the_dm(bot, fake):
    fake.errors["chat.postEphemeral"] = "not_in_channel"
    await bot.command(EMPLOYEE, "help", channel="C0NOTJOINED")
    await bot.settled()
    assert fake.called("chat.postEphemeral")[0]["channel"] == "C0NOTJOINED"
    assert fake.called("chat.postMessage")[0]["channel"] == dm_of(EMPLOYEE)


async def test_proactive_messages_use_the_known_dm_instead_of_opening_it_each_time(bot, fake, tmp_path):
    # conversations.open is rate-limited (about 50 a minute): one per person, not one per message.
    lead = await bot.core.person_by_email("lea.lead@example.com")
    for n in range(5):
        await bot.core.notify(lead.id, [Reply(text=f"Alert {n}")])
    assert len(fake.called("conversations.open")) == 1
    assert [r["channel"] for r in fake.replies()] == [dm_of(LEAD)] * 5
    # After a restart the DM comes from the database.
    restarted = SlackAdapter(bot.core, make_settings(tmp_path, **slack_env(fake)))
    await restarted.send_to_person(LEAD, [Reply(text="Alert 5")])
    assert len(fake.called("conversations.open")) == 1 and fake.replies()[-1]["channel"] == dm_of(LEAD)
    # A person who wrote to the bot: the DM of their message is used, nothing opened.
    await bot.dm(EMPLOYEE, "status")
    await bot.settled()
    await restarted.send_to_person(EMPLOYEE, [Reply(text="Fresh content for you")])
    assert [c["users"] for c in fake.called("conversations.open")] == [LEAD]
    assert fake.replies()[-1]["channel"] == dm_of(EMPLOYEE)


async def test_a_stored_dm_that_is_gone_is_opened_again(bot, fake):
    await bot.core.remember_conversation("slack", EMPLOYEE, "D0GONE", {"channel": "D0GONE"})
    fake.channel_errors["D0GONE"] = "channel_not_found"
    await bot.adapter.send_to_person(EMPLOYEE, [Reply(text="Fresh content for you")])
    assert [r["channel"] for r in fake.replies()] == ["D0GONE", dm_of(EMPLOYEE)]
    assert (await bot.core.conversation_of("slack", EMPLOYEE)).conversation_id == dm_of(EMPLOYEE)
    await bot.adapter.send_to_person(EMPLOYEE, [Reply(text="And more")])
    assert fake.replies()[-1]["channel"] == dm_of(EMPLOYEE) and len(fake.called("conversations.open")) == 1


# -- the content outbox: a send interrupted is looked up in the DM (message metadata) ---------------


async def _nudge_ready(bot: SlackBot, fake: FakeSlack) -> tuple[Any, Any]:
    from handlers import content
    from tests.test_content import MONDAY, Clock, add_item, member

    core = bot.core
    core.settings.app.content = {"public_url": "https://amb.example.com", "core_group_days_earlier": 0,
                                 "require_approval": False}
    clock = Clock(MONDAY - timedelta(days=1))
    core.clock = clock
    fake.clock = lambda: core.now().timestamp()  # Slack's message timestamps follow the moved clock
    content.configure(core, pacer=content.Pacer(1000, 0), concurrency=1)
    await member(core, EMPLOYEE, "erik.employee@example.com", lang="en")
    await add_item(core, "Our new plant")
    clock.now = MONDAY
    return content, clock


async def test_a_nudge_whose_answer_was_lost_is_found_in_the_dm_and_not_sent_again(bot, fake, monkeypatch):
    content, clock = await _nudge_ready(bot, fake)
    fake.drop_answer("chat.postMessage")  # Slack posts it, the answer never arrives
    stats = await content.nudge_job(bot.core)
    assert stats.sent == 1 and fake.keyed(dm_of(EMPLOYEE)) == ["ambassador-nudge-1"]
    [history] = fake.called("conversations.history")
    assert history["channel"] == dm_of(EMPLOYEE) and str(history["include_all_metadata"]) in ("1", "true")
    clock.move(hours=1)
    await content.nudge_job(bot.core)
    assert fake.keyed(dm_of(EMPLOYEE)) == ["ambassador-nudge-1"]


@pytest.mark.parametrize("reached_slack", [True, False])
async def test_an_interrupted_nudge_is_reconciled_from_the_dm_history(bot, fake, monkeypatch, reached_slack):
    from storage.models_content import ContentDelivery
    from tests.test_content import Crash

    content, clock = await _nudge_ready(bot, fake)
    keyed = bot.adapter._keyed
    post = keyed.chat_postMessage

    async def dies(**kwargs: Any) -> Any:
        if reached_slack:
            await post(**kwargs)
        raise Crash()  # the process stops between the platform's answer and the commit (or before the call)

    monkeypatch.setattr(keyed, "chat_postMessage", dies)
    with pytest.raises(Crash):
        await content.nudge_job(bot.core)
    monkeypatch.setattr(keyed, "chat_postMessage", post)
    assert fake.keyed(dm_of(EMPLOYEE)) == (["ambassador-nudge-1"] if reached_slack else [])

    clock.move(minutes=20)  # another process finds the row left in 'sending'
    stats = await content.nudge_job(bot.core)
    assert fake.keyed(dm_of(EMPLOYEE)) == ["ambassador-nudge-1"]  # there once: found, or sent again
    assert stats.reconciled == (1 if reached_slack else 0) and stats.uncertain == 0
    async with bot.core.db.session() as s:
        [row] = (await s.exec(select(ContentDelivery))).all()
    assert row.status == "sent" and row.reason == ("reconciled" if reached_slack else None)


async def test_find_sent_answers_only_what_the_history_shows(bot, fake, monkeypatch):
    adapter = bot.adapter
    # Nothing in the DM yet: certainly not sent.
    assert await adapter.find_sent(EMPLOYEE, "k1") is False
    await adapter.send_to_person(EMPLOYEE, [Reply(text="An answer")])  # the bot's, without metadata
    # The bot's messages are there but none shows metadata: it might be hidden, so no "not sent".
    assert await adapter.find_sent(EMPLOYEE, "k1") is None
    await adapter.send_to_person(EMPLOYEE, [Reply(text="Nudge 1")], key="k1")
    assert fake.keyed(dm_of(EMPLOYEE)) == ["k1"]
    assert await adapter.find_sent(EMPLOYEE, "k1") is True
    assert await adapter.find_sent(EMPLOYEE, "k2") is False
    # Only a bounded stretch of history is read; beyond it the answer is "can't tell".
    for n in range(4):
        await adapter.send_to_person(EMPLOYEE, [Reply(text=f"Answer {n}")])
    monkeypatch.setattr("bot.platforms.slack.outbound.HISTORY_PAGE", 2)
    monkeypatch.setattr("bot.platforms.slack.outbound.HISTORY_PAGES", 2)
    assert await adapter.find_sent(EMPLOYEE, "k1") is None
    monkeypatch.setattr("bot.platforms.slack.outbound.HISTORY_PAGES", 3)
    assert await adapter.find_sent(EMPLOYEE, "k1") is True
    # A DM Slack will not show: can't tell.
    fake.channel_errors[dm_of(EMPLOYEE)] = "channel_not_found"
    assert await adapter.find_sent(EMPLOYEE, "k1") is None


async def test_resolve_email(bot):
    assert await bot.adapter.resolve_email("lea.lead@example.com") == LEAD
    assert await bot.adapter.resolve_email("nobody@example.com") is None


# -- Socket Mode --------------------------------------------------------------------


async def test_socket_mode_answers_a_dm_without_a_public_url(aiohttp_client, fake, tmp_path):
    settings = make_settings(
        tmp_path, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_APP_TOKEN="xapp-1-test", SLACK_API_URL=fake.url
    )
    assert settings.slack.socket_mode and not settings.slack.http_mode
    client = await aiohttp_client(create_app(settings, background=False))
    await fake.wait_for_socket()
    assert fake.calls[0].method == "apps.connections.open" and fake.calls[0].token == "xapp-1-test"
    ts = _ts()
    await fake.push(
        "events_api",
        {
            "type": "event_callback",
            "team_id": TEAM,
            "event_id": "Ev0SOCKET",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel": dm_of(EMPLOYEE),
                "user": EMPLOYEE,
                "text": "help",
                "ts": ts,
                "channel_type": "im",
            },
        },
        envelope_id="env-1",
    )
    assert (await fake.wait_for_ack("env-1"))["envelope_id"] == "env-1"
    [reply] = await fake.wait_for("chat.postMessage")
    assert reply["channel"] == dm_of(EMPLOYEE) and "What I can do for you" in reply["text"]
    # No signing secret: no HTTP endpoint to attack.
    assert (await client.post("/slack/events", data=b"{}")).status == 404


# -- Block Kit rendering ------------------------------------------------------------


def test_blockkit_respects_slack_limits():
    reply = Reply(
        title="T" * 200,
        text="word " * 1500,  # 7,500 characters
        fields=[Field(f"label {i}", f"value {i}") for i in range(23)],
        buttons=[Button(f"b{i}", "poll.vote", value={"option": i}) for i in range(30)]
        + [Button("Guidelines", "open.link", url="https://example.com/guide")],
        choices=[Choice("Pick one", "poll.pick", options=[("a", "A"), ("b", "B")], value="b")],
        context="Context & <more>",
    )
    message = blockkit.message(reply)
    blocks = message["blocks"]
    assert len(blocks[0]["text"]["text"]) == 150
    sections = [b for b in blocks if b["type"] == "section" and "text" in b and "accessory" not in b]
    assert len(sections) == 3 and all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert [len(b["fields"]) for b in blocks if "fields" in b] == [10, 10, 3]
    assert blocks[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Context &amp; &lt;more&gt;"}],
    }
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 6]
    ids = [e["action_id"] for a in actions for e in a["elements"]]
    select_block = next(b for b in blocks if "accessory" in b)
    ids.append(select_block["accessory"]["action_id"])
    assert len(ids) == len(set(ids))  # unique within the message
    assert select_block["accessory"]["initial_option"]["value"] == "b"
    vote = actions[0]["elements"][0]
    assert blockkit.neutral_action_id(vote["action_id"]) == "poll.vote"
    assert blockkit.action_values(vote) == {"option": 0}
    link = actions[-1]["elements"][-1]
    assert link["url"] == "https://example.com/guide" and "value" not in link
    assert message["text"].startswith("T" * 10)


def test_blockkit_reads_back_a_picked_option():
    [block] = blockkit.reply_blocks(
        Reply(text="", choices=[Choice("Language", "lang.pick", [("de", "Deutsch")])])
    )
    select = block["accessory"]
    assert select["type"] == "static_select" and select["action_id"] == "lang.pick:0"
    picked = {**select, "selected_option": select["options"][0]}
    assert blockkit.neutral_action_id(picked["action_id"]) == "lang.pick"
    assert blockkit.action_values(picked) == {"value": "de"}


def test_api_url_override_gets_its_trailing_slash(tmp_path):
    settings = make_settings(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL="http://127.0.0.1:9/api",
    )
    adapter = SlackAdapter(build_core(settings), settings)
    assert adapter.client.base_url == "http://127.0.0.1:9/api/"


def test_blockkit_home_view_holds_all_replies():
    view = blockkit.home_view(
        [Reply(text="one", buttons=[Button("A", "x.a")]), Reply(text="two", buttons=[Button("B", "x.b")])]
    )
    assert view["type"] == "home"
    assert [b["type"] for b in view["blocks"]] == ["section", "actions", "divider", "section", "actions"]
    assert view["blocks"][1]["elements"][0]["action_id"] != view["blocks"][4]["elements"][0]["action_id"]


# -- the manifest covers what the code uses ------------------------------------------

# Web API method -> bot scopes it needs (https://docs.slack.dev/reference/methods).
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "conversations.open": {"im:write"},
    # Our own app's message metadata comes with include_all_metadata; metadata.message:read
    # is for reading other apps' metadata and metadata events, which the adapter does not.
    "conversations.history": {"im:history"},
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    "users.info": {"users:read", "users:read.email"},  # the e-mail address needs users:read.email
    "users.lookupByEmail": {"users:read.email"},
    "views.publish": set(),
    "views.open": set(),  # opens a modal in answer to a click or a slash command
}
# Bolt listener event -> (manifest bot event, scope it needs).
EVENT_SUBSCRIPTIONS: dict[str, tuple[str, str | None]] = {
    "message": ("message.im", "im:history"),
    "app_mention": ("app_mention", "app_mentions:read"),
    "app_home_opened": ("app_home_opened", None),
    "user_change": ("user_change", "users:read"),
}


def test_manifest_covers_every_method_and_event_the_adapter_uses():
    package = ROOT / "bot" / "platforms" / "slack"
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    manifest = yaml.safe_load((ROOT / "manifests" / "slack.yaml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])

    methods = {f"{family}.{name}" for family, name in re.findall(r"\bclient\.([a-z]+)_([A-Za-z]+)\(", source)}
    methods |= set(re.findall(r"api_call\(\s*\"([\w.]+)\"", source))
    if re.search(r"\.files_upload_v2\(", source):
        # The SDK's upload helper: an upload URL, the upload itself, then completion.
        methods |= {"files.getUploadURLExternal", "files.completeUploadExternal"}
    methods.add("auth.test")  # Bolt's single-workspace authorization calls it
    assert {"chat.postMessage", "chat.postEphemeral", "users.info", "views.publish", "conversations.history",
            "files.completeUploadExternal"} <= methods
    unknown = methods - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES"
    for method in methods:
        assert METHOD_SCOPES[method] <= scopes, f"{method} needs {METHOD_SCOPES[method] - scopes}"

    events = set(re.findall(r"\.event\(\"([a-z_]+)\"", source))
    assert events == set(EVENT_SUBSCRIPTIONS), "map each listened event in EVENT_SUBSCRIPTIONS"
    bot_events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    for event in events:
        subscription, scope = EVENT_SUBSCRIPTIONS[event]
        assert subscription in bot_events, f"manifest lacks bot event {subscription}"
        assert scope is None or scope in scopes, f"{subscription} needs {scope}"

    assert "commands" in scopes  # slash command and message shortcut
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/ambassador"]
    shortcuts = {s["callback_id"]: s for s in manifest["features"]["shortcuts"]}
    assert set(shortcuts) == {"check_before_posting", "report_to_comms"}
    assert shortcuts["check_before_posting"]["name"] == "Check before posting"
    assert shortcuts["report_to_comms"]["name"] == "Report to comms"
    # every message shortcut the capabilities declare (the adapter listens for these), and no other
    assert set(shortcuts) == {s.slack for s in build_router().shortcuts if s.slack}
    for shortcut in shortcuts.values():
        assert shortcut["type"] == "message"
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    home = manifest["features"]["app_home"]
    assert (
        home["home_tab_enabled"]
        and home["messages_tab_enabled"]
        and not home["messages_tab_read_only_enabled"]
    )
    assert manifest["display_information"]["name"] == "Ambassador"


def test_events_route_is_only_there_when_slack_is_configured(tmp_path):
    app = create_app(make_settings(tmp_path), background=False)
    assert not any(getattr(r.resource, "canonical", "") == "/slack/events" for r in app.router.routes())
    assert isinstance(app, web.Application)


async def test_an_updating_answer_replaces_the_message_its_button_was_on(bot, fake):
    @bot.core.router.action("test.vote")
    async def vote(ctx, incoming):
        return Reply(text=f"Votes: {incoming.values['n']}", update=True)

    await bot.click(EMPLOYEE, {"action_id": "test.vote:0", "value": json.dumps({"n": 1})}, channel=GENERAL)
    await bot.settled()
    [update] = fake.called("chat.update")
    assert update["channel"] == GENERAL and update["text"].startswith("Votes: 1")
    assert fake.replies() == []  # no new message
