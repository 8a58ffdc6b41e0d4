""" "May I post this?" end to end on each platform, through the real SDK paths.

Slack: signed requests to the running aiohttp app (create_app, Bolt's
production setting: answered after the acknowledgement), Bolt's real Web API
client pointed at tests/fakes/slack.py. Teams: Bot Framework activities to
/api/messages, answered through the Agents SDK's CloudAdapter to
tests/fakes/teams.py. Also the gap workflow across people: the question
passed on, the comms lead told and answering, the asker told, and
``ambassador kb gaps``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func
from sqlmodel import select

from bot.app import build_core, create_app
from bot.app import main as cli_main
from bot.web import CORE_KEY
from storage.models import InboundTask
from storage.models_ask import AskFeedback, AskQuestion, KbGap
from tests.conftest import EMPLOYEE_EMAIL, LEAD_EMAIL, SAMPLE_CONFIG, make_settings
from tests.fakes.slack import EMPLOYEE, LEAD, TEAM, WAIT, FakeSlack
from tests.fakes.teams import BOT_ID, TENANT, FakeConnector, member

SECRET = "test-signing-secret-ask-0123456789"
GENERAL = "C0GENERAL"
PROTOTYPE = "Can I post a photo of the prototype we are testing in the lab?"
NO_FIT = "May I post my recipe for sourdough bread?"


def _ts() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12:012d}"


def dm_of(user: str) -> str:
    return "D" + user[1:]


# -- Slack ------------------------------------------------------------------------------------


class Slack:
    """Talks to the app the way Slack does: every request signed."""

    def __init__(self, client: TestClient, fake: FakeSlack) -> None:
        self.client = client
        self.fake = fake

    @property
    def core(self):
        return self.client.app[CORE_KEY]

    async def post(self, body: str, content_type: str) -> None:
        ts = str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
        headers = {
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            "Content-Type": content_type,
        }
        response = await self.client.post("/slack/events", data=body.encode(), headers=headers)
        assert response.status == 200, await response.text()

    async def dm(self, user: str, text: str) -> None:
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
        }
        body = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
        }
        await self.post(json.dumps(body), "application/json")
        await self.settled()

    async def interact(self, payload: dict[str, Any]) -> None:
        await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        await self.settled()

    async def click(self, user: str, message: dict[str, Any], label: str) -> None:
        element = button(message, label)
        message_ts = _ts()
        await self.interact(
            {
                "type": "block_actions",
                "user": {"id": user, "team_id": TEAM},
                "team": {"id": TEAM, "domain": "example"},
                "api_app_id": "A0APP",
                "trigger_id": f"{uuid.uuid4().int % 10**10}.x",
                "container": {"type": "message", "message_ts": message_ts, "channel_id": message["channel"]},
                "channel": {"id": message["channel"]},
                "message": {"type": "message", "ts": message_ts, "text": "..."},
                "actions": [
                    {
                        "action_id": element["action_id"],
                        "block_id": "b1",
                        "type": "button",
                        "value": element["value"],
                        "text": element["text"],
                        "action_ts": _ts(),  # a new press, not a retry of the same one
                    }
                ],
            }
        )

    async def settled(self) -> None:
        """Until the accepted work is answered (the production setting answers after the ack)."""
        adapter = self.core.senders["slack"]
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            async with self.core.db.session() as s:
                pending = (
                    await s.exec(
                        select(func.count()).select_from(InboundTask).where(InboundTask.status == "pending")
                    )
                ).one()
            if not pending and not adapter._inflight:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("accepted Slack work was not finished in time")

    def to(self, user: str) -> list[dict[str, Any]]:
        return [r for r in self.fake.replies() if r.get("channel") == dm_of(user)]


def blocks_text(message: dict[str, Any]) -> str:
    return message.get("text", "") + "\n" + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == label:
                return element
    raise AssertionError(f"no button {label!r} in {blocks_text(message)}")


async def rows(core, model, *where) -> list:
    async with core.db.session() as s:
        return list((await s.exec(select(model).where(*where))).all())


@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.close()


@pytest.fixture
async def slack(aiohttp_client, fake, tmp_path) -> Slack:
    env = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url}
    # Exactly what `ambassador run` builds: create_app with Bolt's production setting.
    app = create_app(make_settings(tmp_path, **env), background=False)
    return Slack(await aiohttp_client(app), fake)


async def test_slack_a_question_in_a_dm_gets_a_verdict(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm(EMPLOYEE, PROTOTYPE)
    [reply] = slack.to(EMPLOYEE)
    assert reply["method"] == "chat.postMessage"
    blocks = reply["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "⛔ No: don't post this", "emoji": True},
    }
    assert "confidential.unreleased-products" in blocks_text(reply)
    assert "Next step" in blocks_text(reply)
    assert json.loads(button(reply, "Helpful")["value"])["_lang"] == "en"
    [record] = await rows(slack.core, AskQuestion)
    assert (record.platform, record.verdict, record.language) == ("slack", "no", "en")


async def test_slack_check_before_posting_answers_by_dm_with_a_verdict(slack: Slack, fake: FakeSlack) -> None:
    draft = "Huge quarter: sales up 40% vs last year, numbers out next week!"
    await slack.interact(
        {
            "type": "message_action",
            "callback_id": "check_before_posting",
            "trigger_id": "1.abc",
            "action_ts": _ts(),
            "team": {"id": TEAM, "domain": "example"},
            "channel": {"id": GENERAL, "name": "general"},
            "user": {"id": EMPLOYEE, "name": "erik"},
            "message": {"type": "message", "user": LEAD, "ts": _ts(), "text": draft},
            "response_url": fake.url + "response",
            "message_ts": _ts(),
        }
    )
    [reply] = fake.replies()
    assert reply["method"] == "chat.postMessage" and reply["channel"] == dm_of(EMPLOYEE)
    assert reply["blocks"][0]["text"]["text"] == "⛔ No: don't post this"
    assert "confidential.figures" in blocks_text(reply)
    [record] = await rows(slack.core, AskQuestion)
    assert record.source == "shortcut" and record.topic == "confidential"


async def test_slack_helpful_pressed_twice_is_recorded_once(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm(EMPLOYEE, "May I share our company's job ad on LinkedIn?")
    [answer] = slack.to(EMPLOYEE)
    assert answer["blocks"][0]["text"]["text"].startswith("✅ Go")
    await slack.click(EMPLOYEE, answer, "Helpful")
    await slack.click(EMPLOYEE, answer, "Helpful")
    first, second = slack.to(EMPLOYEE)[1:]
    assert first["text"] == "Thanks for the feedback!"
    assert "counts once" in second["text"]
    [feedback] = await rows(slack.core, AskFeedback)
    assert feedback.helpful is True


async def test_slack_a_question_passed_on_reaches_the_lead_and_the_answer_the_asker(
    slack: Slack, fake: FakeSlack, monkeypatch, capsys
) -> None:
    await slack.dm(EMPLOYEE, NO_FIT)
    [answer] = slack.to(EMPLOYEE)
    assert "no guideline" in blocks_text(answer)
    await slack.click(EMPLOYEE, answer, "Pass to the comms team")
    passed = slack.to(EMPLOYEE)[-1]
    assert "Passed on to the comms team as GAP-" in passed["text"]
    # The lead never wrote to the bot: found by address, reached in a DM.
    assert fake.called("users.lookupByEmail")[0]["email"] == LEAD_EMAIL
    [to_lead] = slack.to(LEAD)
    assert "GAP-1" in to_lead["blocks"][0]["text"]["text"]
    assert NO_FIT in blocks_text(to_lead) and "antwort GAP-1" in blocks_text(to_lead)

    monkeypatch.setenv("DATABASE_URL", slack.core.settings.database_url)
    assert await asyncio.to_thread(cli_main, ["--config", str(SAMPLE_CONFIG), "kb", "gaps"]) == 0
    out = capsys.readouterr().out
    assert "GAP-1" in out and NO_FIT in out and "no guideline fitted" in out

    await slack.dm(LEAD, "answer GAP-1 Sure, that's fine: bread isn't a company topic.\nEnjoy!")
    assert "GAP-1" in slack.to(LEAD)[-1]["text"]
    told = slack.to(EMPLOYEE)[-1]
    assert told["blocks"][0]["text"]["text"] == "The comms team answered your question"
    assert "Sure, that's fine: bread isn't a company topic.\nEnjoy!" in told["blocks"][1]["text"]["text"]
    assert "Answered by Lea Lead" in blocks_text(told)
    [gap] = await rows(slack.core, KbGap)
    assert gap.status == "answered" and gap.delivered_at is not None

    assert await asyncio.to_thread(cli_main, ["--config", str(SAMPLE_CONFIG), "kb", "gaps"]) == 0
    assert "0 question(s) passed to the comms team and not answered yet" in capsys.readouterr().out


# -- Teams ------------------------------------------------------------------------------------

T_EMPLOYEE = "29:erik-employee"
T_LEAD = "29:lea-lead"


class Teams:
    def __init__(self, client: TestClient, connector: FakeConnector) -> None:
        self.client = client
        self.connector = connector
        self._ids = itertools.count(1)

    @property
    def core(self):
        return self.client.app[CORE_KEY]

    async def send(self, user: str, **fields: Any) -> list[Any]:
        body = {
            "type": "message",
            "id": f"act-{next(self._ids)}",
            "timestamp": "2026-03-02T09:00:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": user, "name": "Someone", "aadObjectId": f"aad-{user}"},
            "recipient": {"id": BOT_ID, "name": "Ambassador"},
            "conversation": {"id": f"a:personal-{user}", "conversationType": "personal", "tenantId": TENANT},
            "locale": "en-US",
            "channelData": {"tenant": {"id": TENANT}},
            **fields,
        }
        before = len(self.connector.posted)
        response = await self.client.post("/api/messages", json=body)
        assert response.status in (200, 201, 202), await response.text()
        return self.connector.posted[before:]

    async def say(self, user: str, text: str) -> list[Any]:
        return await self.send(user, text=text, textFormat="plain")

    async def press(self, user: str, posted: Any, title: str) -> list[Any]:
        action = next(a for a in posted.card["actions"] if a["title"] == title)
        return await self.send(user, value=action["data"])


@pytest.fixture
async def teams(aiohttp_client, tmp_path):
    connector = await FakeConnector(
        users={
            T_EMPLOYEE: member(T_EMPLOYEE, "Erik Employee", EMPLOYEE_EMAIL),
            T_LEAD: member(T_LEAD, "Lea Lead", LEAD_EMAIL),
        }
    ).start()
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    client = await aiohttp_client(create_app(settings, core=build_core(settings), background=False))
    yield Teams(client, connector)
    await connector.close()


async def test_teams_a_question_gets_a_card_with_the_verdict_and_feedback_counts_once(teams: Teams) -> None:
    [reply] = await teams.say(T_EMPLOYEE, PROTOTYPE)
    card = reply.card
    assert card is not None and card["body"][0]["text"] == "⛔ No: don't post this"
    assert "confidential.unreleased-products" in reply.all_text()
    assert [a["title"] for a in card["actions"]] == ["Helpful", "Not helpful"]
    [thanks] = await teams.press(T_EMPLOYEE, reply, "Helpful")
    [again] = await teams.press(T_EMPLOYEE, reply, "Helpful")
    assert "Thanks" in thanks.all_text() and "counts once" in again.all_text()
    [feedback] = await rows(teams.core, AskFeedback)
    [record] = await rows(teams.core, AskQuestion)
    assert feedback.helpful and feedback.question_id == record.id and record.platform == "teams"


async def test_teams_a_question_passed_on_is_answered_by_the_lead(teams: Teams) -> None:
    await teams.say(T_LEAD, "help")  # Teams reaches people it has talked to: the lead's chat is known
    [answer] = await teams.say(T_EMPLOYEE, NO_FIT)
    await teams.press(T_EMPLOYEE, answer, "Pass to the comms team")
    passed = teams.connector.to(f"a:personal-{T_EMPLOYEE}")[-1]
    assert "Passed on to the comms team as GAP-1" in passed.all_text()
    to_lead = teams.connector.to(f"a:personal-{T_LEAD}")[-1]
    assert "GAP-1" in to_lead.all_text() and NO_FIT in to_lead.all_text()
    await teams.say(T_LEAD, "answer GAP-1 Yes, go ahead.")
    assert "GAP-1" in teams.connector.to(f"a:personal-{T_LEAD}")[-1].all_text()
    told = teams.connector.to(f"a:personal-{T_EMPLOYEE}")[-1]
    assert "The comms team answered your question" in told.all_text()
    assert "Yes, go ahead." in told.all_text()
