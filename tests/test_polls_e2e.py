"""Polls end to end: through slack-bolt against the fake Slack Web API, and through botbuilder
against the fake Bot Framework connector. The vote answers by replacing the poll message."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import func, update
from sqlmodel import select

from bot.web import build_core, create_app
from storage.models import Person
from storage.models_polls import PollBallot, PollVoter
from tests.conftest import EMPLOYEE_EMAIL, make_settings
from tests.fake_connector import FakeConnector
from tests.fake_slack import EMPLOYEE, LEAD, FakeSlack
from tests.test_slack import SlackBot, all_text, button, dm_of, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import LEAD as TEAMS_LEAD
from tests.test_teams import USERS, Teams, personal


def with_polls(core):
    assert core.router.command_named("poll") is not None  # part of the standard router
    return core


async def make_member(core, email: str) -> None:
    async with core.db.session() as s:
        # Messages the bot starts use the stored language (else app.yaml's default, German).
        await s.execute(update(Person).where(Person.email == email).values(is_member=True, language="en"))
        await s.commit()


async def ballots(core) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(PollBallot))).one()


@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.close()


async def test_slack_poll_created_voted_and_updated_in_place(aiohttp_client, fake, tmp_path):
    settings = make_settings(tmp_path, **slack_env(fake))
    core = with_polls(build_core(settings))
    bot = SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)

    await bot.dm(EMPLOYEE, "help")
    await bot.settled()
    await make_member(core, EMPLOYEE_EMAIL)

    await bot.dm(LEAD, 'poll "Which lunch format?" Pizza | Salad --closes 2d')
    await bot.settled()
    confirmation = next(r for r in fake.replies() if r["channel"] == dm_of(LEAD))
    assert "Poll #1 is out" in confirmation["text"]
    poll_message = next(r for r in fake.replies() if r["channel"] == dm_of(EMPLOYEE) and "lunch" in r["text"])
    assert poll_message["method"] == "chat.postMessage"
    assert [b["text"]["text"] for b in poll_message["blocks"][-2]["elements"]] == ["Pizza", "Salad"]
    salad = button(poll_message, "Salad")
    assert salad["action_id"].startswith("poll.vote:") and json.loads(salad["value"])["o"] == 1

    posted_before = len(fake.replies())
    await bot.click(EMPLOYEE, salad, channel=dm_of(EMPLOYEE))
    await bot.settled()
    [first] = fake.called("chat.update")
    assert first["channel"] == dm_of(EMPLOYEE)
    text = all_text(first)
    assert "Your answer: Salad" in first["text"] and "1 voted" in first["text"]
    assert "Erik Employee" in text  # a named poll shows who chose what

    await bot.click(EMPLOYEE, button(poll_message, "Pizza"), channel=dm_of(EMPLOYEE))  # a change of mind
    await bot.settled()
    second = fake.called("chat.update")[1]
    assert "Your answer: Pizza" in second["text"]
    blocks = json.dumps(second["blocks"], ensure_ascii=False)
    assert "*Pizza*\\n1 · Erik Employee" in blocks and "*Salad*\\n0" in blocks
    assert len(fake.replies()) == posted_before  # answered by updating, nothing new posted
    assert await ballots(core) == 1


@pytest.fixture
async def connector():
    fake = await FakeConnector(users=dict(USERS)).start()
    yield fake
    await fake.close()


async def test_teams_vote_updates_the_poll_card(aiohttp_client, connector, tmp_path):
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    core = with_polls(build_core(settings))
    client = await aiohttp_client(create_app(settings, core=core, background=False))
    teams = Teams(client, connector, core, itertools.count(1))

    await teams.say("help", user=TEAMS_EMPLOYEE)  # the personal chat becomes known
    await make_member(core, EMPLOYEE_EMAIL)
    posted = await teams.say('poll "Next meetup?" Berlin | Munich | Online --anonymous --closes 3d',
                             user=TEAMS_LEAD)
    [confirmation] = [p for p in posted if p.conversation_id == personal(TEAMS_LEAD)]
    assert "Poll #1 is out" in confirmation.text
    [card] = [p for p in connector.to(personal(TEAMS_EMPLOYEE)) if p.card and "Next meetup?" in p.all_text()]
    assert [a["title"] for a in card.card["actions"]] == ["Berlin", "Munich", "Online"]
    card_id = f"bot-activity-{connector.posted.index(card) + 1}"

    online = next(a for a in card.card["actions"] if a["title"] == "Online")
    assert online["data"]["action"] == "poll.vote" and online["data"]["o"] == 2
    pressed = teams.activity(user=TEAMS_EMPLOYEE, value=online["data"], replyToId=card_id)
    assert await teams.send(pressed) == []  # nothing new: the card was replaced
    [updated] = connector.updated
    assert updated.reply_to_id == card_id
    assert "Your answer: Online" in updated.all_text() and "Results after it closes" in updated.all_text()
    assert await ballots(core) == 1
    async with core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(PollVoter))).one() == 0  # anonymous: no voter row
