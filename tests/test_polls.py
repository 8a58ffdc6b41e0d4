"""Polls and feedback through core.handle: create, vote, change, close, results, anonymity, bad input."""

from __future__ import annotations

import asyncio
import csv
import logging
import string
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect
from sqlmodel import select

from bot import app
from bot.app import build_core, build_router
from bot.messages import Reply
from handlers import feedback, meetings, polls
from handlers.meetings.kpis import Period
from handlers.meetings.report import build_report, write_report
from storage.models import Person
from storage.models_polls import Feedback, Poll, PollBallot, PollOutbox, PollSeries, PollVoter
from tests.conftest import make_settings
from tests.harness import CLARA, ERIK, LEA, START, Harness, Who


async def add_staff(h: Harness) -> Harness:
    """The lead, a communicator and an employee, known already and writing English."""
    for who in (LEA, CLARA, ERIK):
        await h.member(who, joined=False)
    return h


@pytest.fixture
async def env(core) -> Harness:
    return await add_staff(Harness(core))


@pytest.fixture
async def any_env(any_core) -> Harness:
    return await add_staff(Harness(any_core))


async def vote(h: Harness, who: Who, poll_id: int, option: int, **kw) -> list[Reply]:
    return await h.press(who, "poll.vote", {"poll": poll_id, "o": option, "_lang": "en"}, **kw)


async def poll_of(h: Harness, poll_id: int) -> Poll:
    async with h.core.db.session() as s:
        return await s.get(Poll, poll_id)


async def created_poll_id(env: Harness, replies: list[Reply]) -> int:
    text = replies[0].text
    assert "Poll #" in text, text
    return int(text.split("#", 1)[1].split(" ", 1)[0].rstrip(":"))


# -- create, vote, change, close, results ------------------------------------------------


async def test_named_poll_create_vote_change_close_results(any_env: Harness):
    env = any_env
    members = await env.people(3)
    replies = await env.say(LEA, 'poll "Which format next?" Video | Article | Podcast --closes 2d')
    pid = await created_poll_id(env, replies)
    assert "goes to all program members" in replies[0].text and replies[0].private

    # Each member got the poll in their chat, with one button per option carrying the poll and the option.
    for m in members:
        [message] = env.received(m)
        assert message.title == "Which format next?"
        assert [b.label for b in message.buttons] == ["Video", "Article", "Podcast"]
        assert message.buttons[1].action_id == "poll.vote" and message.buttons[1].value["o"] == 1
    assert await env.count(PollOutbox, PollOutbox.status == "sent") == 3

    [answer] = await vote(env, members[0], pid, 1)
    assert answer.update  # the poll message is replaced with the current results
    assert "Your answer: Article" in answer.text
    assert {f.label: f.value for f in answer.fields}["Article"].startswith("1 · MemberM Number0")

    [changed] = await vote(env, members[0], pid, 2)  # changing the vote replaces the old one
    fields = {f.label: f.value for f in changed.fields}
    assert fields["Article"] == "0" and fields["Podcast"].startswith("1")
    await vote(env, members[1], pid, 2)
    await vote(env, members[2], pid, 0)
    assert await env.count(PollBallot) == 3

    env.clock.move(days=2, minutes=1)
    await env.run_job("polls")
    poll = await poll_of(env, pid)
    assert poll.status == "closed"
    [results] = env.received(LEA)  # the creator hears the outcome
    assert "has closed" in results.text
    assert {f.label: f.value.split(" ")[0] for f in results.fields} == {"Video": "1", "Article": "0", "Podcast": "2"}

    [shown] = await env.say(members[0], f"poll results {pid}")
    assert {f.label: f.value.split(" ")[0] for f in shown.fields}["Podcast"] == "2"
    [late] = await vote(env, members[1], pid, 0)
    assert "closed" in late.text and "not counted" in late.text
    assert {f.label: f.value.split(" ")[0] for f in (await env.say(LEA, f"poll results {pid}"))[0].fields} == {
        "Video": "1", "Article": "0", "Podcast": "2"}


async def test_multiple_choice_toggles_and_counts_each_option(env: Harness):
    [m] = await env.people(1)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Topics?" A | B | C --multi'))
    await vote(env, m, pid, 0)
    [r] = await vote(env, m, pid, 2)
    assert "Your answer: A, C" in r.text
    [r] = await vote(env, m, pid, 0)  # pressing again takes it back
    assert "Your answer: C" in r.text
    assert {f.label: f.value[0] for f in r.fields} == {"A": "0", "B": "0", "C": "1"}


async def test_many_options_come_as_a_pick_list(env: Harness):
    [m] = await env.people(1)
    options = " | ".join(f"Option {i}" for i in range(20))
    pid = await created_poll_id(env, await env.say(LEA, f'poll "Pick one" {options}'))
    [message] = env.received(m)
    assert not message.buttons and len(message.choices[0].options) == 20
    [r] = await env.press(m, "poll.pick", {"value": f"{pid}:19"})
    assert "Your answer: Option 19" in r.text


# -- anonymity ------------------------------------------------------------------------


async def test_anonymous_poll_reveals_no_vote_in_results_exports_or_logs(any_env: Harness, caplog, tmp_path):
    env = any_env
    # Everything the bot logs, at every level; the database driver's DEBUG lines (SQL parameters) are
    # not the bot's: production logs at INFO (see the report's note on LOG_LEVEL=DEBUG).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="ambassador")
    members = await env.people(6)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Is the workload OK?" Yes | No --anonymous --closes 3d'))

    recorded, choice = await vote(env, members[0], pid, 1)
    # The poll message (kept in the DM's history) says a vote was recorded, never which; the
    # choice is shown once, in a reply no platform keeps.
    assert recorded.update and "recorded" in recorded.text and "No" not in recorded.text
    assert not any(b.style for b in recorded.buttons)  # no highlighted button gives the choice away
    assert choice.transient and "Your answer: No" in choice.text
    assert not recorded.fields  # no counts while it is open, so no single vote can be read from a change
    for m in members[1:4]:
        await vote(env, m, pid, 0)
    [hidden] = await env.say(LEA, f"poll results {pid}")
    assert "after it closes" in hidden.text and not hidden.fields
    assert "0 voted" not in str(await env.say(LEA, "poll list"))  # the count of voters is fine to show...

    # The schema holds no link from a ballot to a person, and no time.
    async with env.core.db.engine.connect() as conn:
        cols = await conn.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns("poll_ballot")})
    assert cols == {"poll_id", "voter_key", "choices"}
    assert await env.count(PollVoter) == 0  # nothing says who voted in an anonymous poll
    # After closing only the totals are left: no ballot to link, even for whoever holds the key.

    # Closed with 4 votes: fewer than 5, so the results stay hidden, to everyone.
    env.clock.move(days=3, minutes=1)
    await env.run_job("polls")
    [few] = await env.say(LEA, f"poll results {pid}")
    assert "fewer than 5" in few.text and not few.fields
    assert await env.count(PollBallot, PollBallot.poll_id == pid) == 0
    report = await build_report(env.core.db, Period(START, env.clock.now), now=env.clock.now)
    files = write_report(report, tmp_path / "few", env.core.translator("en"))
    assert not list(csv.reader((tmp_path / "few/poll_results.csv").open(encoding="utf-8-sig")))[1:]
    assert not (tmp_path / "few" / f"poll_{pid}.png").exists()

    # A second anonymous poll with 6 votes: shown after closing, as counts only.
    pid2 = await created_poll_id(env, await env.say(LEA, 'poll "Lunch talk?" Yes | No --anonymous --closes 1d'))
    for i, m in enumerate(members):
        await vote(env, m, pid2, i % 2)
    await vote(env, members[0], pid2, 1)  # a change of vote, still one vote
    env.clock.move(days=1, minutes=1)
    await env.run_job("polls")
    [shown] = await env.say(LEA, f"poll results {pid2}")
    assert {f.label: f.value for f in shown.fields} == {"Yes": "2", "No": "4"}
    report = await build_report(env.core.db, Period(START, env.clock.now), now=env.clock.now)
    files = write_report(report, tmp_path / "ok", env.core.translator("en"))
    exported = "\n".join(p.read_text(encoding="utf-8-sig") for p in files.csv) + files.html.read_text()
    rows = list(csv.reader((tmp_path / "ok/poll_results.csv").open(encoding="utf-8-sig")))[1:]
    assert [(r[2], r[3]) for r in rows] == [("Yes", "2"), ("No", "4")]
    # The ballots are gone after closing; the figures count the kept totals (4 + 6 votes, 2 polls).
    later = await build_report(env.core.db, Period(START, env.clock.now + timedelta(minutes=1)), now=env.clock.now)
    assert later.figure("polls_closed").value == 2 and later.figure("poll_votes").value == 10

    async with env.core.db.session() as s:
        keys = [k for k in (await s.exec(select(PollBallot.voter_key))).all()]
        pseudonyms = (await s.exec(select(Person.pseudonym))).all()
    secret = polls.ballot_secret(env.core.settings).hex()
    needles = [m.user for m in members] + [m.email for m in members] + [m.name for m in members]
    needles += [m.name.split()[0] for m in members] + list(pseudonyms) + keys + [secret]
    for needle in needles:
        assert needle not in caplog.text, f"{needle!r} is in the logs"
        assert needle not in exported, f"{needle!r} is in an export"


async def test_a_vote_counts_once_across_200_concurrent_voters(any_env: Harness):
    env = any_env
    members = await env.people(200)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Concurrency?" Yes | No --anonymous'))
    results = await asyncio.gather(*(vote(env, m, pid, i % 2) for i, m in enumerate(members)))
    assert all(r and "Your answer" in r[-1].text for r in results)
    assert await env.count(PollBallot, PollBallot.poll_id == pid) == 200
    tl = await polls.tally(env.core.db, await poll_of(env, pid), with_names=False, settings=env.core.settings)
    assert tl.voters == 200 and tl.counts == [100, 100]


async def test_concurrent_votes_and_changes_on_a_named_poll_count_each_voter_once(any_env: Harness):
    env = any_env
    members = await env.people(60)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Named crowd?" Red | Green | Blue --closes 2d'))
    # Everyone votes at once, each pressing twice (a double click: two requests, two event ids).
    first = {m: i % 3 for i, m in enumerate(members)}
    results = await asyncio.gather(*(vote(env, m, pid, o) for m, o in [*first.items(), *first.items()]))
    assert all(r and r[0].update and "Your answer" in r[0].text for r in results)
    assert await env.count(PollBallot, PollBallot.poll_id == pid) == 60
    assert await env.count(PollVoter, PollVoter.poll_id == pid) == 60
    # Then everyone changes their mind at once: the old choice is replaced, never added to.
    changed = {m: (o + 1) % 3 for m, o in first.items()}
    results = await asyncio.gather(*(vote(env, m, pid, o) for m, o in changed.items()))
    assert all(f"Your answer: {['Red', 'Green', 'Blue'][o]}" in r[0].text for r, o in zip(results, changed.values(),
                                                                                        strict=True))
    assert await env.count(PollBallot, PollBallot.poll_id == pid) == 60
    assert await env.count(PollVoter, PollVoter.poll_id == pid) == 60

    env.clock.move(days=2, minutes=1)
    await env.run_job("polls")
    [closed] = env.received(LEA)
    assert {f.label: f.value for f in closed.fields} == {"Red": "20", "Green": "20", "Blue": "20"}
    [shown] = await env.say(members[0], f"poll results {pid}")
    # Named: the first voters' names come with the counts, "and N more" for the rest, each name under one answer.
    names: list[str] = []
    for f in shown.fields:
        count, _, rest = f.value.partition(" · ")
        listed, _, more = rest.partition(" and ")
        names += listed.split(", ")
        assert int(count) == 20 == len(listed.split(", ")) + int(more.removesuffix(" more") or 0), f.value
    assert len(names) == len(set(names))
    # And each named vote is the voter's last choice.
    async with env.core.db.session() as s:
        mine = dict((await s.exec(select(Person.email, PollBallot.choices)
                                  .join(PollVoter, PollVoter.person_id == Person.id)
                                  .join(PollBallot, (PollBallot.poll_id == PollVoter.poll_id)
                                        & (PollBallot.voter_key == PollVoter.voter_key)))).all())
    assert mine == {m.email: 1 << o for m, o in changed.items()}


async def test_non_communicator_cannot_create_and_communicator_only_for_their_department(env: Harness):
    await env.people(2)
    [refused] = await env.say(ERIK, 'poll "Mine?" A | B')
    assert "Only department communicators" in refused.text
    [other] = await env.say(CLARA, 'poll "HR question?" A | B --audience HR')
    assert "for Sales or in a channel" in other.text
    assert await env.count(Poll) == 0
    [ok] = await env.say(CLARA, 'poll "Sales question?" A | B --audience Sales')
    assert "goes to the members in Sales" in ok.text
    assert await env.count(PollOutbox, PollOutbox.kind == "poll") == 2


async def test_votes_from_outside_the_audience_and_on_unknown_polls_are_refused(env: Harness):
    [sales] = await env.people(1, department="Sales", prefix="s")
    [hr] = await env.people(1, department="HR", prefix="h")
    [guest_like] = await env.people(1, prefix="x", joined=False)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Sales only?" A | B --audience Sales'))
    assert env.received(sales) and not env.received(hr)
    [r] = await vote(env, hr, pid, 0)
    assert "is for the members in Sales" in r.text and "not counted" in r.text
    [r] = await vote(env, guest_like, pid, 0)
    assert "not counted" in r.text
    [r] = await vote(env, sales, 999, 0)
    assert "no longer exists" in r.text
    [r] = await vote(env, sales, pid, 7)
    assert "no longer works" in r.text
    [r] = await env.press(sales, "poll.vote", {"poll": "x"})
    assert "no longer works" in r.text
    assert await env.count(PollBallot) == 0


async def test_close_and_list_are_for_the_creator_and_the_lead(env: Harness):
    await env.people(2)
    pid = await created_poll_id(env, await env.say(CLARA, 'poll "Clara asks?" A | B --audience Sales'))
    [listing] = await env.say(CLARA, "poll list")
    assert f"#{pid} Clara asks?" in listing.fields[0].label and "of 2" in listing.fields[0].value
    [bad] = await env.say(CLARA, "poll close abc")
    assert "Write the poll's number" in bad.text
    [missing] = await env.say(CLARA, "poll close 99")
    assert "There is no poll #99" in missing.text
    [closed] = await env.say(LEA, f"poll close {pid}")
    assert f"Poll #{pid} is closed" in closed.text
    [again] = await env.say(CLARA, f"poll close {pid}")
    assert "closed already" in again.text
    await env.run_job("polls")
    assert "has closed" in env.received(CLARA)[-1].text  # the lead closed it: the creator is told


# -- reminders, recurring polls, channels ------------------------------------------------


async def test_reminder_goes_only_to_those_who_have_not_voted_and_is_not_kept(any_env: Harness):
    env = any_env
    members = await env.people(3)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Remind me?" A | B --anonymous --closes 3d --remind 1d'))
    await vote(env, members[0], pid, 0)
    env.clock.move(days=1, hours=23)
    await env.run_job("polls")
    assert all(len(env.received(m)) == 1 for m in members)  # "1d" means a day before closing
    env.clock.move(hours=1)
    await env.run_job("polls")
    assert len(env.received(members[0])) == 1
    for m in members[1:]:
        [_, reminder] = env.received(m)
        assert "Reminder: this poll closes" in reminder.text and reminder.buttons
    env.clock.move(days=1, minutes=1)
    await env.run_job("polls")  # reminded once only
    assert sum(len(env.received(m)) for m in members) == 3 + 2
    assert await env.count(PollOutbox, PollOutbox.kind == "remind") == 0  # who had not voted is not kept


async def test_recurring_pulse_poll_starts_its_next_round(env: Harness):
    [m] = await env.people(1)
    replies = await env.say(LEA, 'poll "How is it going?" Great | OK | Not good --anonymous --closes 3d --every 2w')
    pid = await created_poll_id(env, replies)
    assert "repeats every 14 days" in replies[0].text
    env.clock.move(days=13)
    await env.run_job("polls")
    assert await env.count(Poll) == 1 and (await poll_of(env, pid)).status == "closed"
    env.clock.move(days=1, minutes=1)
    await env.run_job("polls")
    async with env.core.db.session() as s:
        rounds = (await s.exec(select(Poll).order_by(Poll.id))).all()
    assert len(rounds) == 2 and rounds[1].series_id == rounds[0].series_id and rounds[1].status == "open"
    assert rounds[1].closes_at.replace(tzinfo=UTC) - env.clock.now == timedelta(days=3)
    assert [r.title for r in env.received(m)].count("How is it going?") == 2
    [stopped] = await env.say(LEA, f"poll stop {rounds[1].id}")
    assert "will not repeat" in stopped.text
    env.clock.move(days=15)
    await env.run_job("polls")
    assert await env.count(Poll) == 2
    async with env.core.db.session() as s:
        assert (await s.exec(select(PollSeries))).one().active is False


async def test_channel_poll_is_posted_in_the_channel_and_votes_answer_there(env: Harness):
    await env.people(1)
    replies = await env.say(CLARA, 'poll "Team event?" Bowling | Cooking --audience here', channel="C0SALES")
    pid = await created_poll_id(env, replies)
    assert "goes to this channel" in replies[0].text
    [posted] = env.received("C0SALES")
    assert posted.title == "Team event?" and len(posted.buttons) == 2
    [r] = await vote(env, ERIK, pid, 1, channel="C0SALES")
    assert r.update and not r.private and "Your answer" not in r.text  # everyone sees the channel message
    assert {f.label: f.value.split(" ")[0] for f in r.fields} == {"Bowling": "0", "Cooking": "1"}
    [elsewhere] = await vote(env, ERIK, pid, 0, channel="C0OTHER")
    assert "not counted" in elsewhere.text


async def test_failed_delivery_is_retried_then_recorded(env: Harness):
    [ok, gone] = await env.people(2)
    env.sender.fail_for.add(gone.user)
    await env.say(LEA, 'poll "Reach?" A | B')
    for _ in range(polls.MAX_ATTEMPTS):
        env.clock.move(hours=2)
        await env.run_job("polls")
    assert await env.count(PollOutbox, PollOutbox.status == "failed") == 1
    assert await env.count(PollOutbox, PollOutbox.status == "sent") == 1
    assert len(env.received(ok)) == 1


# -- German ------------------------------------------------------------------------------


async def test_german_keywords_and_answers(env: Harness):
    [m] = await env.people(1)
    async with env.core.db.session() as s:
        person = (await s.exec(select(Person).where(Person.email == m.email))).one()
        person.language = "de"
        lea = (await s.exec(select(Person).where(Person.email == LEA.email))).one()
        lea.language = None  # the German command word decides
        await s.commit()
    replies = await env.say(LEA, 'umfrage „Welches Format?“ Video | Artikel —mehrfach --anonym --zielgruppe sales '
                                 '--schluss 2026-11-20T17:00 --erinnerung 24h', lang="de-DE")
    assert replies[0].text.startswith("Umfrage #1 ist unterwegs: Sie geht an die Mitglieder in Sales und endet 20.11.2026 17:00")
    poll = await poll_of(env, 1)
    assert poll.multi and poll.anonymous and poll.audience_value == "Sales"
    assert poll.remind_at.replace(tzinfo=UTC) == poll.closes_at.replace(tzinfo=UTC) - timedelta(hours=24)
    [message] = env.received(m)
    assert "Anonym: Niemand" in message.text
    [bad] = await env.say(LEA, 'umfrage "Nur eine?" Ja', lang="de-DE")
    assert "mindestens 2 Antworten" in bad.text


# -- feedback ---------------------------------------------------------------------------


async def test_feedback_named_anonymous_and_who_reads_it(any_env: Harness):
    env = any_env
    [sales] = await env.people(1, department="Sales", prefix="s")
    [hr] = await env.people(1, department="HR", prefix="h")
    [named] = await env.say(sales, "feedback The new videos are great")
    assert "noted with your name for the communicators of Sales" in named.text
    # Typed into a chat, an anonymous text would stay in the sender's history: the form takes it.
    [steered] = await env.say(hr, "feedback --anonymous Too many messages")
    assert "form" in steered.text and steered.form is not None
    typed = {f.name: f.initial for f in steered.form.fields}
    assert typed == {"text": "Too many messages", "kind": "feedback", "name": "anonymous"}
    assert await env.count(Feedback) == 1
    [anon] = await env.press(hr, "feedback.submit", {**typed, **steered.form.value})
    assert "without your name" in anon.text
    [topic] = await env.say(hr, "feedback --topic Video training for ambassadors")
    assert "topic is on the list" in topic.text
    [kept] = await env.say(ERIK, "feedback list of things: more photos please")  # not a reader: it is feedback
    assert "Thank you" in kept.text
    async with env.core.db.session() as s:
        rows = (await s.exec(select(Feedback).order_by(Feedback.id))).all()
    # HR has one person here: the department of anonymous feedback would name them, so it is not kept;
    # nor is its time of day.
    assert [(r.kind, r.anonymous, r.person_id is None, r.department) for r in rows] == [
        ("feedback", False, False, "Sales"), ("feedback", True, True, None), ("topic", False, False, "HR"),
        ("feedback", False, False, None)]
    anon_at = rows[1].created_at
    assert (anon_at.hour, anon_at.minute, anon_at.second, anon_at.microsecond) == (23, 0, 0, 0)  # midnight CET
    assert rows[3].text == "list of things: more photos please"

    [clara] = await env.say(CLARA, "feedback list")
    texts = [f.value for f in clara.fields]
    assert texts == ["The new videos are great"]  # only her department's
    [lea] = await env.say(LEA, "feedback list")
    assert len(lea.fields) == 4
    assert any("anonymous" in f.label and f.value == "Too many messages" for f in lea.fields)
    [refused] = await env.say(ERIK, "feedback list")
    assert "Only department communicators or the comms lead" in refused.text

    # A named feedback can lose its name afterwards, by its author only.
    fid = named.buttons[0].value["id"]
    [no] = await env.press(hr, "feedback.anonymize", {"id": fid})
    assert "not yours" in no.text
    [done] = await env.press(sales, "feedback.anonymize", {"id": fid})
    assert "no longer carries your name" in done.text
    assert await env.count(Feedback, Feedback.person_id.is_not(None)) == 2


async def test_feedback_button_and_bad_feedback(env: Harness):
    [prompt] = await env.press(ERIK, "feedback.start", {"context": "content:12"})
    assert "Write *feedback* and your text" in prompt.text
    [empty] = await env.say(ERIK, "feedback --anonymous")
    assert "Write *feedback*" in empty.text
    [long] = await env.say(ERIK, "feedback " + "x" * 5000)
    assert "at most 4000 fit" in long.text
    assert await env.count(Feedback) == 0


async def test_my_data_shows_and_forget_me_removes_named_votes_and_feedback(env: Harness):
    [m] = await env.people(1)
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Named?" A | B'))
    await vote(env, m, pid, 1)
    await env.say(m, "feedback Named text")
    await env.press(m, "feedback.submit", {"text": "Anonymous text", "name": "anonymous"})
    [data] = await env.say(m, "my data")
    fields = {f.label: f.value for f in data.fields}
    assert fields["Named poll votes"].startswith("1") and fields["Feedback you sent with your name"] == "Named text"
    await env.press(m, "forget.confirm", {})
    assert await env.count(PollVoter) == 0 and await env.count(PollBallot) == 1  # the vote still counts
    assert await env.count(Feedback) == 1  # only the anonymous one is left


# -- command line and texts -----------------------------------------------------------------


async def test_cli_poll_create_list_and_report(tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.db"
    cfg = tmp_path / "app.yaml"
    data = yaml.safe_load((Path(__file__).parent.parent / "app.yaml").read_text())
    data["database"] = {"url": f"sqlite:///{db}"}
    cfg.write_text(yaml.safe_dump(data))
    assert polls.cli.register in polls.CAPABILITY.cli and meetings.cli.register in meetings.CAPABILITY.cli
    monkeypatch.delenv("DATABASE_URL", raising=False)

    good = tmp_path / "poll.yaml"
    good.write_text(yaml.safe_dump({"question": "CLI?", "options": ["Yes", "No"], "anonymous": True,
                                    "audience": "Sales", "closes": "5d"}))
    monkeypatch.delenv("AMBASSADOR_SECRET", raising=False)
    monkeypatch.delenv("AMBASSADOR_KEY_FILE", raising=False)
    # No program key yet (the bot makes its key file on its first start): anonymous polls are refused.
    assert await asyncio.to_thread(app.main, ["--config", str(cfg), "poll", "create", str(good)]) == 1
    assert "AMBASSADOR_SECRET" in capsys.readouterr().err
    (tmp_path / ".ambassador.key").write_text("k" * 48 + "\n")
    assert await asyncio.to_thread(app.main, ["--config", str(cfg), "poll", "create", str(good)]) == 0
    assert "Poll #1 is out: it goes to the members in Sales" in capsys.readouterr().out

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"question": "Bad?", "options": ["Only"]}))
    assert await asyncio.to_thread(app.main, ["--config", str(cfg), "poll", "create", str(bad)]) == 1
    assert "at least 2 options" in capsys.readouterr().err
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("question: X\noptions: [a, b]\ncolour: red\n")
    assert await asyncio.to_thread(app.main, ["--config", str(cfg), "poll", "create", str(unknown)]) == 2
    assert "unknown key 'colour'" in capsys.readouterr().err

    assert await asyncio.to_thread(app.main, ["--config", str(cfg), "poll", "list"]) == 0
    out = capsys.readouterr().out
    assert "#1\topen" in out and "anonymous\tdepartment:Sales" in out and "CLI?" in out

    folder = tmp_path / "report"
    args = ["--config", str(cfg), "report", "meeting", "--from", "2026-01-01", "--to", "2026-12-31", "--out",
            str(folder), "--lang", "en"]
    assert await asyncio.to_thread(app.main, args) == 0
    out = capsys.readouterr().out
    assert "Ambassador meeting report" in out and (folder / "report.html").exists()
    assert await asyncio.to_thread(app.main, [*args[:-6], "--from", "2026-12-31", "--to", "2026-01-01", "--out",
                                              str(folder)]) == 2


def test_every_text_has_both_languages_and_the_sie_form():
    router = build_router()
    for module in (polls, feedback, meetings):
        if router.command_named({"handlers.polls": "poll", "handlers.feedback": "feedback",
                                 "handlers.meetings": "meeting"}[module.__name__]) is None:
            module.register(router)
    import re

    du = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|schreib|frag|nutze)\b", re.IGNORECASE)
    keys = [k for k in router.catalog.keys() if k.split(".")[0] in
            ("poll", "feedback", "meeting", "report", "kpi", "table", "col", "kind", "status")]
    assert len(keys) > 100
    for key in keys:
        en = router.catalog.get(key, "en")
        for address in ("du", "sie"):
            de = router.catalog.get(key, "de", address)
            fields = {n for _, n, _, _ in string.Formatter().parse(de) if n}
            assert fields == {n for _, n, _, _ in string.Formatter().parse(en) if n}, key
        assert not du.search(router.catalog.get(key, "de", "sie")), key


async def test_settings_fixture_is_untouched_by_the_module(tmp_path):
    # Registering the capabilities does no work: no tables, no files, no secret.
    core = build_core(make_settings(tmp_path))  # the standard router registers polls, feedback, meetings
    assert core.router.command_named("poll") is not None
    assert not (tmp_path / "test.db").exists()
    await core.db.dispose()
