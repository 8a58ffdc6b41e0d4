"""Polls end to end: through slack-bolt against the fake Slack Web API, and through the Agents SDK
against the fake Bot Framework connector. Create, vote, change the vote, close (the core's clock
moves and the polls job runs), results; an anonymous poll never pairs a voter with a choice in
what goes over the wire, in the logs or in the report's files; 200 concurrent votes count once.
The vote answers by replacing the poll message."""

from __future__ import annotations

import asyncio
import csv
import itertools
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlmodel import select

from bot.app import build_core, create_app
from bot.logs import JsonFormatter
from handlers import polls
from storage.models import ConversationRef, Identity, InboundTask, Person
from storage.models_polls import Poll, PollBallot, PollVoter
from tests.clock import Clock
from tests.conftest import EMPLOYEE_EMAIL, LEAD_EMAIL, make_settings
from tests.fakes.slack import EMPLOYEE, LEAD, FakeSlack, _user, default_users
from tests.fakes.teams import FakeConnector
from tests.test_slack import SlackBot, all_text, button, dm_of, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import LEAD as TEAMS_LEAD
from tests.test_teams import USERS, Teams, personal

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


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


async def speak_english(core, email: str) -> None:
    # Messages the bot starts (the results) use the stored language, else app.yaml's default (German).
    async with core.db.session() as s:
        await s.execute(update(Person).where(Person.email == email).values(language="en"))
        await s.commit()


def voter_users(n: int) -> dict[str, dict[str, Any]]:
    """Slack users whose ids, addresses and names never contain one another (zero-padded)."""
    return {f"U0V{i:03d}": _user(f"U0V{i:03d}", f"voter{i:03d}@example.com", f"Vote{i:03d} Person")
            for i in range(n)}


async def join(core, users: dict[str, dict[str, Any]]) -> None:
    """Members who joined earlier, with their DM known (the join flow is tested in test_slack.py)."""
    async with core.db.session() as s:
        for user_id, user in users.items():
            p = Person(email=user["profile"]["email"], display_name=user["real_name"], language="en",
                       is_member=True, joined_at=START, profile_checked_at=START)
            s.add(p)
            await s.flush()
            s.add(Identity(person_id=p.id, platform="slack", user_id=user_id))
            s.add(ConversationRef(platform="slack", user_id=user_id, conversation_id=dm_of(user_id),
                                  reference={"channel": dm_of(user_id)}))
        await s.commit()


async def run_polls_job(core) -> None:
    """The scheduled polls job itself (the scheduler runs it every 30 s)."""
    [job] = [job for _, name, job in core.router.jobs if name == "polls"]
    await job(core)


async def settled(bot: SlackBot, within: float = 60.0) -> None:
    """Until every accepted request is answered; like SlackBot.settled, with room for a burst."""
    deadline = time.monotonic() + within
    while True:
        async with bot.core.db.session() as s:
            pending = (await s.exec(select(func.count()).select_from(InboundTask)
                                    .where(InboundTask.status == "pending"))).one()
        if not pending and not bot.adapter._inflight:
            return
        assert time.monotonic() < deadline, f"{pending} Slack requests still unanswered"
        await asyncio.sleep(0.02)  # polls for work to finish; no time decision waits on it


def fields_of(params: dict[str, Any]) -> dict[str, str]:
    """A rendered Reply's fields (label -> value) from Slack blocks."""
    out = {}
    for block in params.get("blocks") or []:
        for f in block.get("fields") or []:
            label, _, value = f["text"].partition("\n")
            out[label.strip("*")] = value
    return out


def to_channel(fake: FakeSlack, channel: str, method: str = "chat.postMessage") -> list[dict[str, Any]]:
    return [p for p in fake.called(method) if p.get("channel") == channel]


@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.close()


async def poll_row(core, poll_id: int) -> Poll:
    async with core.db.session() as s:
        return await s.get(Poll, poll_id)


async def test_slack_poll_created_voted_changed_closed_and_results(aiohttp_client, fake, tmp_path):
    settings = make_settings(tmp_path, **slack_env(fake))
    core = with_polls(build_core(settings))
    core.clock = clock = Clock(START)
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

    # Closing time: the polls job closes it and the creator gets the results in their DM.
    await speak_english(core, LEAD_EMAIL)
    clock.move(days=2, minutes=1)
    await run_polls_job(core)
    assert (await poll_row(core, 1)).status == "closed"
    [results] = [p for p in to_channel(fake, dm_of(LEAD)) if "has closed" in p["text"]]
    assert "Poll #1 has closed: Which lunch format?" in results["text"]
    assert fields_of(results) == {"Pizza": "1", "Salad": "0"}
    assert not [b for b in results["blocks"] if b["type"] == "actions"]  # no buttons on a closed poll
    await run_polls_job(core)  # once only
    assert len([p for p in to_channel(fake, dm_of(LEAD)) if "has closed" in p["text"]]) == 1

    # A vote after closing is refused and changes nothing; the results stay readable, with the names.
    await bot.click(EMPLOYEE, salad, channel=dm_of(EMPLOYEE))
    await bot.settled()
    assert "Poll #1 closed" in fake.replies()[-1]["text"] and "not counted" in fake.replies()[-1]["text"]
    await bot.dm(EMPLOYEE, "poll results 1")
    await bot.settled()
    shown = fake.replies()[-1]
    assert shown["channel"] == dm_of(EMPLOYEE) and "Which lunch format?" in all_text(shown)
    assert fields_of(shown) == {"Pizza": "1 · Erik Employee", "Salad": "0"}
    assert await ballots(core) == 1


@pytest.fixture
async def connector():
    fake = await FakeConnector(users=dict(USERS)).start()
    yield fake
    await fake.close()


async def test_teams_anonymous_vote_updates_the_card_and_too_few_votes_stay_hidden(aiohttp_client, connector, tmp_path):
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    core = with_polls(build_core(settings))
    core.clock = clock = Clock(START)
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
    # Teams keeps every message: the card says the vote was recorded, never which option.
    assert "recorded" in updated.all_text() and "Results after it closes" in updated.all_text()
    assert "Your answer" not in updated.all_text()
    assert await ballots(core) == 1
    async with core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(PollVoter))).one() == 0  # anonymous: no voter row

    # Closed by the polls job with one vote: fewer than 5, so even the creator sees no counts.
    await speak_english(core, "lea.lead@example.com")
    clock.move(days=3, minutes=1)
    await run_polls_job(core)
    [results] = [p for p in connector.to(personal(TEAMS_LEAD)) if "has closed" in p.all_text()]
    assert "Anonymous poll with 1 votes: fewer than 5" in results.all_text()
    assert "Online" not in results.all_text() and "Erik" not in results.all_text()
    [late] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value=online["data"], replyToId=card_id))
    assert "closed" in late.all_text() and "not counted" in late.all_text()
    # Closing kept the totals and deleted the ballots: nothing is left to link, even with the key.
    assert await ballots(core) == 0 and len(connector.updated) == 1
    # No chat ever held Erik's answer: Teams keeps every message it shows.
    for posted in [*connector.posted, *connector.updated]:
        assert "Your answer" not in posted.all_text(), posted
        if posted.conversation_id != personal(TEAMS_EMPLOYEE):
            assert "Erik" not in json.dumps(posted.activity), posted


# -- anonymity through Slack ----------------------------------------------------------------------

QUIET_LOGGERS = ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp.access", "alembic", "aiosqlite",
                 "sqlalchemy.engine")


def production_logs(caplog: pytest.LogCaptureFixture) -> str:
    """What the bot would write to its log: every captured record as the JSON line production writes,
    with its extra fields (the message text alone would hide them)."""
    formatter = JsonFormatter()
    return "\n".join(formatter.format(r) for r in caplog.records)


def who_is_named(text: str, voters: dict[str, dict[str, Any]]) -> set[str]:
    """The voters a text identifies: by Slack id, DM, address or name."""
    return {uid for uid, u in voters.items()
            if any(n in text for n in (uid, dm_of(uid), u["profile"]["email"], u["real_name"]))}


async def _lead_and_voters(aiohttp_client, fake, settings, voters):
    """The bot on the fake Slack, the voters joined, the comms lead known and answered in English."""
    core = build_core(settings)
    core.clock = clock = Clock(START)
    bot = SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)
    await join(core, voters)
    await bot.dm(LEAD, "help")
    await bot.settled()
    await speak_english(core, LEAD_EMAIL)
    return core, clock, bot


async def test_slack_anonymous_poll_never_pairs_a_voter_with_a_choice(aiohttp_client, fake, tmp_path, caplog):
    # Everything the bot logs, the bot's own loggers at DEBUG; the SDKs as production sets them (bot/logs.py).
    # (Each set_level also sets the capturing handler's level: the lowest comes last.)
    for name in QUIET_LOGGERS:
        caplog.set_level(logging.WARNING, logger=name)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="ambassador")
    voters = voter_users(6)
    fake.users.update(voters)
    settings = make_settings(tmp_path, **slack_env(fake))
    settings.app.meetings = {**(settings.app.meetings or {}), "report_dir": str(tmp_path / "reports")}
    core, clock, bot = await _lead_and_voters(aiohttp_client, fake, settings, voters)
    fine, high = "Workload is fine", "Workload is too high"

    await bot.dm(LEAD, f'poll "How is your workload?" {fine} | {high} --anonymous --closes 3d')
    await bot.settled()
    assert "Poll #1 is out" in fake.replies()[-1]["text"]
    message = {uid: next(p for p in to_channel(fake, dm_of(uid)) if "How is your workload?" in p["text"])
               for uid in voters}
    assert "nobody, not even the organiser, sees who voted what" in all_text(message["U0V000"])

    # Four say fine, two too high; one changes from fine to too high: 3 and 3 in the end.
    choices = {uid: (fine if i < 4 else high) for i, uid in enumerate(voters)}
    for uid, choice in choices.items():
        await bot.click(uid, button(message[uid], choice), channel=dm_of(uid))
    await bot.settled()
    await bot.click("U0V000", button(message["U0V000"], high), channel=dm_of("U0V000"))
    await bot.settled()
    choices["U0V000"] = high
    # Each voter's own message says that a vote was recorded, never which, and no counts while the
    # poll is open; the choice is shown only as an ephemeral message, which Slack keeps in no history.
    for uid, choice in choices.items():
        last = to_channel(fake, dm_of(uid), "chat.update")[-1]
        assert "recorded" in last["text"] and fine not in last["text"] and high not in last["text"]
        assert fields_of(last) == {}
        assert f"Your answer: {choice}" in to_channel(fake, dm_of(uid), "chat.postEphemeral")[-1]["text"]
    for call in fake.called("chat.postMessage") + fake.called("chat.update"):
        assert "Your answer" not in call["text"], call
    await bot.dm(LEAD, "poll results 1")
    await bot.settled()
    assert "the results are shown after it closes" in fake.replies()[-1]["text"]
    assert not fields_of(fake.replies()[-1])
    assert await ballots(core) == 6

    # Closed by the polls job: the creator gets the counts, nothing else.
    clock.move(days=3, minutes=1)
    await run_polls_job(core)
    [results] = [p for p in to_channel(fake, dm_of(LEAD)) if "has closed" in p["text"]]
    assert fields_of(results) == {fine: "3", high: "3"} and "6 voted" in results["text"]
    await bot.dm(LEAD, "poll results 1")
    await bot.settled()
    assert fields_of(fake.replies()[-1]) == {fine: "3", high: "3"}

    # The meeting report, asked for in chat: its CSV files and page hold the counts only.
    await bot.dm(LEAD, "meeting report 2026-11-01 2026-11-30")
    await bot.settled()
    assert "report.html" in all_text(fake.replies()[-1])
    [folder] = [p.parent for p in (tmp_path / "reports").rglob("report.html")]
    rows = list(csv.reader((folder / "poll_results.csv").open(encoding="utf-8-sig")))[1:]
    assert [(r[2], r[3]) for r in rows] == [(fine, "3"), (high, "3")]
    exported = "\n".join(p.read_text(encoding="utf-8-sig") for p in sorted(folder.glob("*.csv")))
    exported += (folder / "report.html").read_text(encoding="utf-8")

    # Nothing identifies a voter: not the files, not the logs (no key, pseudonym or secret either).
    async with core.db.session() as s:
        keys = list((await s.exec(select(PollBallot.voter_key))).all())
        pseudonyms = list((await s.exec(select(Person.pseudonym).where(
            Person.email.in_([u["profile"]["email"] for u in voters.values()])))).all())
    assert await count_voter_rows(core) == 0  # no voter row for an anonymous poll
    async with core.db.session() as s:
        # The accepted button presses (who pressed what) are emptied once answered.
        assert [t.payload for t in (await s.exec(select(InboundTask))).all()] == [{}] * 12
    secret = polls.ballot_secret(core.settings).hex()
    logs = production_logs(caplog)
    assert "poll vote recorded" in logs  # the votes were logged ... by the poll alone
    for needle in [*keys, *pseudonyms, secret]:
        assert needle not in logs and needle not in exported
    assert who_is_named(logs, voters) == set() and who_is_named(exported, voters) == set()

    # On the wire: a request that names a voter and carries a choice goes to that voter's own DM only
    # (the poll and their own answer); what the creator got names no voter.
    for call in fake.calls:
        text = json.dumps(call.params, ensure_ascii=False)
        named = who_is_named(text, voters)
        if named and (fine in text or high in text):
            assert len(named) == 1 and call.params.get("channel") == dm_of(next(iter(named))), call
        if call.params.get("channel") == dm_of(LEAD):
            assert not named, call


async def count_voter_rows(core) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(PollVoter))).one()


# -- many at once ---------------------------------------------------------------------------------

CROWD = 200
DOUBLE_CLICKS = 20


@pytest.fixture
async def crowded_fake():
    server = await FakeSlack(users={**default_users(), **voter_users(CROWD)}).start()
    yield server
    await server.close()


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_200_concurrent_slack_votes_are_all_counted_once(aiohttp_client, crowded_fake, tmp_path, request,
                                                                database):
    fake = crowded_fake
    voters = voter_users(CROWD)
    url = request.getfixturevalue("pg_url") if database == "postgres" else None
    settings = make_settings(tmp_path, url, **slack_env(fake))
    core, clock, bot = await _lead_and_voters(aiohttp_client, fake, settings, voters)
    await bot.dm(LEAD, 'poll "Crowded?" Yes | No --anonymous --closes 1d')
    await settled(bot)
    assert "Poll #1 is out: it goes to all program members" in to_channel(fake, dm_of(LEAD))[-1]["text"]
    message = {p["channel"]: p for p in fake.called("chat.postMessage") if p["text"].startswith("Crowded?")}
    assert len(message) == CROWD

    # Every voter presses at once (even voters Yes, odd No); some press twice (a double click is a
    # second request with its own action_ts): all signed block_actions, all in flight together.
    presses = [(uid, "Yes" if i % 2 == 0 else "No") for i, uid in enumerate(voters)]
    presses += presses[:DOUBLE_CLICKS]
    started = time.monotonic()
    answers = await asyncio.gather(*(bot.click(uid, button(message[dm_of(uid)], choice), channel=dm_of(uid))
                                     for uid, choice in presses))
    assert [a.status for a in answers] == [200] * len(presses)
    await settled(bot)
    took = time.monotonic() - started
    print(f"{len(presses)} concurrent Slack votes answered in {took:.1f} s")

    async with core.db.session() as s:
        poll = await s.get(Poll, 1)
    tl = await polls.tally(core.db, poll, with_names=False, settings=core.settings)
    assert (tl.voters, tl.counts) == (CROWD, [CROWD // 2, CROWD // 2])
    assert await ballots(core) == CROWD
    # Each press was answered in the voter's own message (recorded, no choice), the choice shown once.
    updates = fake.called("chat.update")
    assert len(updates) == len(presses)
    shown = fake.called("chat.postEphemeral")
    for uid, choice in presses:
        assert any(u["channel"] == dm_of(uid) and "recorded" in u["text"] for u in updates)
        assert any(e["channel"] == dm_of(uid) and f"Your answer: {choice}" in e["text"] for e in shown)

    clock.move(days=1, minutes=1)
    await run_polls_job(core)
    [results] = [p for p in to_channel(fake, dm_of(LEAD)) if "has closed" in p["text"]]
    assert fields_of(results) == {"Yes": str(CROWD // 2), "No": str(CROWD // 2)}
    assert f"{CROWD} voted" in results["text"]
