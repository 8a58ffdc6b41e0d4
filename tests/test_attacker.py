"""The attacker: a full copy of the database, the logs and the Slack history, and no program key.

A scenario runs through the real Slack path (signed requests into the running aiohttp app,
slack-bolt's own client against the fake Slack Web API): eight members vote in an anonymous
poll, one changes their mind, two send anonymous feedback through the form. Then the attacker
takes a copy of every table (in its physical row order) while the poll is open and after it
closed, the bot's log lines and every message Slack keeps, and tries each way of linking a
ballot or a feedback to a person that worked on main before issue 11: by hash (with every key
found in the database, and the code's own key derivation), by row order, by time, through the
message history. Each attempt must fail, on SQLite and on PostgreSQL.
See docs/security.md, rows "anonymous votes" and "anonymous feedback".
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

from bot.app import build_core, create_app
from handlers import polls
from storage.models import Person
from storage.models_polls import Feedback, Poll
from tests.clock import Clock
from tests.conftest import TEST_SECRET, make_settings
from tests.fakes.slack import LEAD
from tests.test_content_e2e import FakeSlackWithModals
from tests.test_polls_e2e import (
    QUIET_LOGGERS,
    START,
    join,
    production_logs,
    run_polls_job,
    speak_english,
    to_channel,
    voter_users,
)
from tests.test_slack import SlackBot, button, dm_of, slack_env

FINE, HIGH = "Workload is fine", "Workload is too high"


async def dump(core) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in the order the storage keeps them (what a file copy or a
    pg_dump shows): SQLite's rowid order, PostgreSQL's physical (ctid) order, with xmin."""
    out: dict[str, list[dict[str, Any]]] = {}
    async with core.db.engine.connect() as conn:
        names = [t.name for t in SQLModel.metadata.sorted_tables]
        for name in names:
            if core.db.is_sqlite:
                without_rowid = False
                try:
                    result = await conn.execute(text(f'SELECT rowid AS "_order", * FROM "{name}" ORDER BY rowid'))
                except Exception:
                    without_rowid = True
                if without_rowid:
                    result = await conn.execute(text(f'SELECT * FROM "{name}"'))
            else:
                result = await conn.execute(text(
                    f'SELECT ctid::text AS "_order", xmin::text AS "_xmin", * FROM "{name}" ORDER BY ctid'))
            out[name] = [{k: _when(v) for k, v in r._mapping.items()} for r in result.all()]
    return out


def _when(value: Any) -> Any:
    """SQLite hands a raw query's times back as text: read them as the times they are."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)?", value):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def cells(tables: dict[str, list[dict[str, Any]]]) -> list[Any]:
    return [v for rows in tables.values() for row in rows for k, v in row.items() if not k.startswith("_")]


def candidate_keys(tables: dict[str, list[dict[str, Any]]]) -> set[bytes]:
    """Every string in the database, as a key itself and as the code would derive from it."""
    raw = {str(v).encode() for v in cells(tables) if isinstance(v, str | bytes) and v}
    raw.add(b"")
    derived = {hmac.new(k, b"ambassador/ballots", hashlib.sha256).digest() for k in raw}
    return raw | derived


def _state(**values: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "text":
            out[name] = {name: {"type": "plain_text_input", "value": value}}
        else:
            out[name] = {name: {"type": "static_select", "selected_option": {"value": value}}}
    return {"values": out}


async def type_anonymous_feedback(bot: SlackBot, user: str, words: str) -> None:
    """Typed with --anonymous: the bot steers it to the form (the typed message stays in the history)."""
    await bot.dm(user, f"feedback --anonymous {words}")
    await bot.settled()


async def anonymous_feedback_by_form(bot: SlackBot, fake: FakeSlackWithModals, user: str, words: str) -> None:
    """The form the steering answer offers, opened and sent as Slack sends it."""
    steer = to_channel(fake, dm_of(user))[-1]
    assert "form" in steer["text"]
    await bot.click(user, button(steer, "Write feedback"), channel=dm_of(user))
    await bot.settled()
    view = fake.called("views.open")[-1]["view"]
    typed = {b["block_id"]: b["element"].get("initial_value") or (b["element"].get("initial_option") or {})
             .get("value") for b in view["blocks"] if b["type"] == "input"}
    assert typed == {"text": words, "kind": "feedback", "name": "anonymous"}  # nothing typed is lost
    resp = await bot.interact({
        "type": "view_submission", "team": {"id": "T0HOME", "domain": "example"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0HOME"}, "api_app_id": "A0APP",
        "token": "legacy", "trigger_id": "V.trigger",
        "view": {**view, "id": f"V0FB{user}", "state": _state(**typed), "hash": f"1.{user}"}})
    assert resp.status == 200
    await bot.settled()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    return request.getfixturevalue("pg_url") if request.param == "postgres" else None


async def test_a_database_copy_logs_and_history_link_no_ballot_and_no_feedback(
        aiohttp_client, tmp_path, caplog, database_url):
    for name in QUIET_LOGGERS:
        caplog.set_level(logging.WARNING, logger=name)
    caplog.set_level(logging.DEBUG, logger="ambassador")
    fake = await FakeSlackWithModals().start()
    try:
        voters = voter_users(8)
        fake.users.update(voters)
        settings = make_settings(tmp_path, database_url, **slack_env(fake))
        core = build_core(settings)
        core.clock = clock = Clock(START)
        bot = SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)
        await join(core, voters)
        # Department "Sales" for all: big enough (8 >= 5) for anonymous feedback to keep it.
        async with core.db.session() as s:
            for p in (await s.exec(select(Person).where(Person.email.like("voter%")))).all():
                p.department = "Sales"
            await s.commit()
        await bot.dm(LEAD, "help")
        await bot.settled()
        await speak_english(core, "lea.lead@example.com")

        await bot.dm(LEAD, f'poll "How is your workload?" {FINE} | {HIGH} --anonymous --closes 3d')
        await bot.settled()
        message = {uid: next(p for p in to_channel(fake, dm_of(uid)) if "How is your workload?" in p["text"])
                   for uid in voters}
        feedback_by = list(voters)[2:4]
        for uid in feedback_by:
            await type_anonymous_feedback(bot, uid, f"Too many meetings, says {uid[-1]}")
        before = {r["email"]: r for r in (await dump(core))["person"]}

        # The votes, a minute apart, in an order the attacker learns from Slack (each DM's edit).
        choices = {uid: (FINE if i % 3 else HIGH) for i, uid in enumerate(voters)}
        window_start, real_start = clock.now, datetime.now(UTC)
        for uid, choice in choices.items():
            clock.move(minutes=1)
            await bot.click(uid, button(message[uid], choice), channel=dm_of(uid))
            await bot.settled()
        changer = next(iter(voters))
        clock.move(minutes=1)
        await bot.click(changer, button(message[changer], FINE), channel=dm_of(changer))
        await bot.settled()
        choices[changer] = FINE
        for uid in feedback_by:
            clock.move(minutes=1)
            await anonymous_feedback_by_form(bot, fake, uid, f"Too many meetings, says {uid[-1]}")
        window_end, real_end = clock.now, datetime.now(UTC)
        open_copy = await dump(core)
        if core.db.is_sqlite:
            # The raw file and its write-ahead log too: the presses waited there, sealed, for a moment.
            raw = b"".join(p.read_bytes() for p in tmp_path.glob("test.db*"))
            assert b"poll.vote" not in raw and b"feedback.submit" not in raw
            for uid in voters:
                assert f'"user_id": "{uid}"'.encode() not in raw

        clock.move(days=3, minutes=1)
        await run_polls_job(core)
        closed_copy = await dump(core)
        logs = production_logs(caplog)
        history = fake.called("chat.postMessage") + fake.called("chat.update")

        async with core.db.session() as s:
            poll = await s.get(Poll, 1)
            persons = {p.email: p for p in (await s.exec(select(Person))).all()}
        assert poll.status == "closed" and poll.tally == {"voters": 8, "counts": [6, 2]}
    finally:
        await fake.close()

    person_ids = [p.id for p in persons.values()]
    ballots = open_copy["poll_ballot"]
    assert len(ballots) == 8

    # 1. By hash: the key is not in the database, so no key found there recomputes a ballot key.
    keys = {b["voter_key"] for b in ballots}
    for candidate in candidate_keys(open_copy):
        for pid in person_ids:
            for digest in (hmac.new(candidate, f"1:{pid}".encode(), hashlib.sha256).hexdigest(),
                           hashlib.sha256(candidate + f"1:{pid}".encode()).hexdigest()):
                assert digest not in keys
    every_cell = "\n".join(str(v) for v in cells(open_copy) + cells(closed_copy))
    assert TEST_SECRET not in every_cell and settings.key.derive("ballots").hex() not in every_cell

    # 2. By order: even knowing exactly whose row each ballot is (as a perfect row-order or xmin
    # alignment would tell), its stored value is not the choice more often than chance (1 in 4).
    by_person = {polls.person_key(settings, 1, persons[voters[u]["profile"]["email"]].id): u for u in voters}
    option = {FINE: 0b01, HIGH: 0b10}
    readable = sum(1 for b in ballots if b["choices"] == option[choices[by_person[b["voter_key"]]]])
    assert readable <= 4, f"{readable} of 8 stored ballots show their choice"
    # 3. By time: no row that names a person carries a time from the voting and feedback window,
    # and the voters' person rows were not written at all.
    naming = ("person_id", "email", "user_id", "display_name", "conversation_id", "pseudonym")

    def stamps(row: dict[str, Any]) -> list[datetime]:
        found = []
        for v in row.values():
            if isinstance(v, datetime):
                found.append(v if v.tzinfo else v.replace(tzinfo=window_start.tzinfo))
        return found

    for table, rows in open_copy.items():
        for row in rows:
            if any(row.get(k) for k in naming):
                inside = [t for t in stamps(row) if window_start < t <= window_end + timedelta(seconds=1)
                          or real_start <= t <= real_end]
                assert not inside, f"{table} row naming a person written at {inside}: {row}"
    after = {r["email"]: r for r in open_copy["person"]}
    for email, row in before.items():
        strip = {k: v for k, v in row.items() if k not in ("_xmin",)}
        assert {k: after[email][k] for k in strip} == strip, f"{email}'s row was written while voting"
    fb = [f for f in open_copy["feedback"] if f["anonymous"]]
    assert len(fb) == 2 and all(f["person_id"] is None for f in fb)
    for f in fb:
        at = f["created_at"]
        assert (at.minute, at.second, at.microsecond) == (0, 0, 0), "anonymous feedback keeps its day only"

    # 4. Through the history: no message Slack keeps pairs a voter with a choice, or says "your answer".
    for call in history:
        assert "Your answer" not in call.get("text", ""), call
    for update in fake.called("chat.update"):
        buttons = [e for b in update.get("blocks") or [] if b.get("type") == "actions" for e in b["elements"]]
        assert buttons and not any(e.get("style") for e in buttons), "a highlighted button shows the choice"
    # 5. The logs: no voter, no key, no choice next to a person.
    for uid, user in voters.items():
        for needle in (uid, dm_of(uid), user["profile"]["email"], user["real_name"]):
            assert needle not in logs
    for key in keys:
        assert key not in logs

    # 6. After closing: the totals, and nothing left to link even with the key.
    assert closed_copy["poll_ballot"] == []
    assert all(f["department"] == "Sales" for f in fb)  # 8 people in Sales: the department may stay


def _shares(values: list[int]) -> dict[int, int]:
    return {v: values.count(v) for v in sorted(set(values))}


async def test_a_sealed_ballot_is_independent_of_its_choice(core):
    """Ballot seal: 400 people choosing the same option leave every stored value about equally often."""
    poll = Poll(id=7, question="?", options=["A", "B", "C"], anonymous=True, sealed=True,
                closes_at=START + timedelta(days=1))
    stored = []
    for person in range(400):
        key = polls.person_key(core.settings, 7, person)
        stored.append(0b001 ^ polls.seal_mask(core.settings, poll, key))
    shares = _shares(stored)
    assert set(shares) == set(range(8))  # every pattern of three options, for one and the same choice
    assert max(shares.values()) < 3 * min(shares.values())


async def test_person_ids_are_never_reused_after_forget_me(any_core):
    """Ids of people: the newest person forgotten, the next one gets a new id (SQLite AUTOINCREMENT)."""
    core = any_core
    async with core.db.session() as s:
        people = [Person(email=f"p{i}@example.com") for i in range(3)]
        s.add_all(people)
        await s.commit()
        top = max(p.id for p in people)
        await s.delete(people[-1])
        await s.commit()
        new = Person(email="new.hire@example.com")
        s.add(new)
        await s.commit()
    assert new.id > top


async def test_anonymous_polls_are_refused_without_the_program_key(tmp_path):
    settings = make_settings(tmp_path, AMBASSADOR_SECRET="")
    assert not settings.key.available
    core = build_core(settings)
    await core.db.upgrade()
    try:
        from tests.harness import LEA, Harness

        env = Harness(core)
        [refused] = await env.say(LEA, 'poll "Secret?" Yes | No --anonymous')
        assert "Anonymous polls are off" in refused.text and "AMBASSADOR_SECRET" in refused.text
        async with core.db.session() as s:
            assert (await s.exec(select(Poll))).all() == []
        await env.say(LEA, 'poll "Open?" Yes | No')  # a named poll needs no key
        async with core.db.session() as s:
            assert [p.question for p in (await s.exec(select(Poll))).all()] == ["Open?"]
    finally:
        await core.db.dispose()


async def test_a_replica_with_another_program_key_is_stopped(tmp_path):
    from storage.db import DatabaseError

    first = build_core(make_settings(tmp_path))
    await first.db.upgrade()
    await first.db.check_key(first.settings.key.fingerprint())
    other = build_core(make_settings(tmp_path, AMBASSADOR_SECRET="another-key-" + "x" * 40))
    try:
        with pytest.raises(DatabaseError, match="another program key"):
            await other.db.check_key(other.settings.key.fingerprint())
        await first.db.check_key(first.settings.key.fingerprint())  # the same key passes
        async with first.db.engine.connect() as conn:
            stored = list(itertools.chain.from_iterable(
                (await conn.execute(text("SELECT * FROM key_check"))).all()))
        assert TEST_SECRET not in " ".join(map(str, stored))
    finally:
        await first.db.dispose()
        await other.db.dispose()


async def test_anonymous_feedback_keeps_a_small_department_out(core):
    from tests.harness import Harness

    env = Harness(core)
    big = await env.people(5, department="Sales", prefix="s")
    [small] = await env.people(1, department="HR", prefix="h")
    for who, words in ((big[0], "From a big team"), (small, "From a small team")):
        await env.press(who, "feedback.submit", {"text": words, "name": "anonymous"})
    async with core.db.session() as s:
        rows = {f.text: f for f in (await s.exec(select(Feedback))).all()}
    assert rows["From a big team"].department == "Sales"
    assert rows["From a small team"].department is None
    assert rows["From a small team"].person_id is None


async def test_a_forgotten_persons_ballot_never_passes_to_a_new_person(any_core):
    """Ids are never reused: a new hire voting in an old anonymous poll starts from nothing."""
    from tests.harness import LEA, Harness
    from tests.test_polls import created_poll_id, poll_of, vote

    env = Harness(any_core)
    await env.people(3, prefix="a")
    [leaver] = await env.people(1, prefix="z")  # the newest person: SQLite would hand out the id again
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Keep the Friday call?" Yes | No --anonymous'))
    await vote(env, leaver, pid, 1)
    await env.press(leaver, "forget.confirm", {})
    [hire] = await env.people(1, prefix="n")
    recorded, choice = await vote(env, hire, pid, 0)
    assert "Your answer: Yes" in choice.text  # their own vote, not the leaver's "No" with theirs added
    tl = await polls.tally(any_core.db, await poll_of(env, pid), with_names=False, settings=any_core.settings)
    assert (tl.voters, tl.counts) == (2, [1, 1])  # the leaver's ballot still counts, and the hire's is new


def test_the_program_key_file_is_made_once_owner_only_and_short_secrets_are_refused(tmp_path):
    import os

    from bot.keys import ProgramKeyError, ensure_key, load_key

    config = tmp_path / "app.yaml"
    assert not load_key(config, {}).available  # nothing is made by merely reading the settings
    made = ensure_key(config, {})
    path = tmp_path / ".ambassador.key"
    assert made.available and made.source == str(path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert ensure_key(config, {}).secret == made.secret == load_key(config, {}).secret
    assert load_key(config, {"AMBASSADOR_SECRET": "e" * 40}).source == "environment"  # the environment wins
    with pytest.raises(ProgramKeyError, match="at least 32 characters"):
        load_key(config, {"AMBASSADOR_SECRET": "short"})
    assert made.secret.decode() not in repr(made)  # never printed
