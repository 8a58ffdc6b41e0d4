"""Privacy promises about people: confirmed departments, an honest status for guests, "my data"
that shows every row about the person, and "forget me" that leaves no trace in the database.

Driven through core.handle with the chat harness (tests/harness.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect, text, update
from sqlmodel import SQLModel, select

from bot.app import build_core
from bot.config import ConfigError
from storage.models import ConversationRef, Identity, Person, RoleGrant
from storage.models_polls import PollBallot, PollOutbox
from tests.conftest import SAMPLE_CONFIG, make_settings
from tests.harness import CLARA, LEA, START, Harness, Who
from tests.test_polls import add_staff, created_poll_id, vote

# An employee app.yaml names no department for (the sample's erik is in Engineering there).
NORA = Who("U0NORA", "nora.new@example.com", "Nora New")
DAVID = Who("U0DAVID", "david.hr@example.com", "David Hr")  # communicator of HR in the sample app.yaml


async def _member(env: Harness, *whos: Who) -> None:
    async with env.core.db.session() as s:
        for who in whos:
            await s.execute(update(Person).where(Person.email == who.email).values(is_member=True, joined_at=START))
        await s.commit()


async def _add(env: Harness, who: Who) -> None:
    async with env.core.db.session() as s:
        p = Person(email=who.email, display_name=who.name, profile_checked_at=START, language="en")
        s.add(p)
        await s.flush()
        s.add(Identity(person_id=p.id, platform="slack", user_id=who.user))
        await s.commit()


async def _person(env: Harness, email: str) -> Person | None:
    async with env.core.db.session() as s:
        return (await s.exec(select(Person).where(Person.email == email))).first()


@pytest.fixture
async def any_env(any_core) -> Harness:
    return await add_staff(Harness(any_core))


# -- item 6: department membership is confirmed, not self-declared ---------------------------------


async def test_department_membership_is_confirmed_not_self_declared(any_env: Harness):
    env = any_env
    await _add(env, DAVID)
    await _add(env, NORA)
    await _member(env, NORA)
    await env.people(1, department="Sales", prefix="s")  # someone confirmed in Sales already
    [proposed] = await env.say(NORA, "department Sales")
    assert "you proposed Sales" in proposed.text and "once the comms lead or a communicator of Sales confirms" in proposed.text
    erik = await _person(env, NORA.email)
    assert (erik.department, erik.department_proposed) == (None, "Sales")  # no access on his word alone

    # The lead and Sales' communicator are asked, with buttons; HR's communicator is not.
    [ask] = env.received(CLARA)
    assert "Nora New (nora.new@example.com) says they work in Sales" in ask.text
    assert [b.action_id for b in ask.buttons] == ["department.confirm", "department.decline"]
    assert env.received(LEA) and not env.received(DAVID)

    # Until confirmed, Sales polls neither reach him nor count his vote.
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Sales only?" A | B --audience Sales'))
    assert not [r for r in env.received(NORA) if r.title == "Sales only?"]
    [refused] = await vote(env, NORA, pid, 0)
    assert "not counted" in refused.text
    assert await env.count(PollBallot) == 0

    # He cannot confirm himself, nor can another department's communicator.
    [own] = await env.press(NORA, "department.confirm", ask.buttons[0].value)
    assert "Only" in own.text
    [other] = await env.press(DAVID, "department.confirm", ask.buttons[0].value)
    assert other.text == "Only the comms lead or a communicator of Sales can confirm Sales."
    assert (await _person(env, NORA.email)).department is None

    # Sales' communicator confirms with the button: now the polls open to him.
    [done] = await env.press(CLARA, "department.confirm", ask.buttons[0].value)
    assert done.text == "nora.new@example.com is now confirmed in Sales."
    assert "Your department Sales is confirmed" in env.received(NORA)[-1].text
    erik = await _person(env, NORA.email)
    assert (erik.department, erik.department_proposed) == ("Sales", None)
    pid2 = await created_poll_id(env, await env.say(LEA, 'poll "Sales again?" A | B --audience Sales'))
    assert [r for r in env.received(NORA) if r.title == "Sales again?"]
    [counted] = await vote(env, NORA, pid2, 0)
    assert "not counted" not in counted.text

    # Proposing another department keeps the confirmed one until that is confirmed too; the lead
    # may confirm by command. Leaving needs nobody's word (it only takes access away).
    await env.say(NORA, "department HR")
    assert (await _person(env, NORA.email)).department == "Sales"
    [by_lead] = await env.say(LEA, "department confirm nora.new@example.com")
    assert by_lead.text == "nora.new@example.com is now confirmed in HR."
    [cleared] = await env.say(NORA, "department none")
    assert "no longer set" in cleared.text
    assert (await _person(env, NORA.email)).department is None


async def test_a_stale_or_declined_proposal_grants_nothing(any_env: Harness):
    env = any_env
    await env.say(NORA, "abteilung Sales", lang="de-DE")
    [ask] = env.received(CLARA)
    [declined] = await env.press(CLARA, "department.decline", ask.buttons[1].value)
    assert declined.text == "Declined: nora.new@example.com stays out of Sales."
    assert (await _person(env, NORA.email)).department_proposed is None
    # The old button no longer confirms what he no longer proposes.
    [stale] = await env.press(CLARA, "department.confirm", ask.buttons[0].value)
    assert "no longer proposes Sales" in stale.text
    assert (await _person(env, NORA.email)).department is None


def _config_with_people(tmp_path: Path, people: list[dict]) -> Path:
    data = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    data["people"] = people
    data.setdefault("knowledge", {})["path"] = str(SAMPLE_CONFIG.parent / "knowledge" / "guidelines")
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


async def test_app_yaml_names_departments_and_wins_over_chat(tmp_path, monkeypatch):
    import tests.conftest as conftest

    monkeypatch.setattr(conftest, "SAMPLE_CONFIG", _config_with_people(tmp_path, [{"email": NORA.email, "department": "HR"}]))
    core = build_core(conftest.make_settings(tmp_path))
    await core.db.upgrade()
    try:
        env = await add_staff(Harness(core))
        [said] = await env.say(NORA, "department Sales")
        assert "Your department is HR, set in the program's configuration (app.yaml)" in said.text
        assert ((await _person(env, NORA.email)).department, (await _person(env, NORA.email)).department_proposed) == ("HR", None)
        [no] = await env.say(LEA, "department confirm nora.new@example.com Sales")
        assert "is HR in app.yaml, which wins" in no.text
        assert (await _person(env, NORA.email)).department == "HR"
        # A communicator of exactly one department is in it by app.yaml too (the job applies it).
        from handlers.profile import apply_configured_departments

        await apply_configured_departments(core)
        assert (await _person(env, CLARA.email)).department == "Sales"
    finally:
        await core.db.dispose()


def test_people_in_app_yaml_are_validated(tmp_path, monkeypatch):
    import tests.conftest as conftest

    monkeypatch.setattr(conftest, "SAMPLE_CONFIG", _config_with_people(tmp_path, [{"email": NORA.email, "department": "Astrology"}]))
    with pytest.raises(ConfigError, match=r"people: .*'Astrology' is not one of departments"):
        conftest.make_settings(tmp_path)


# -- item 9 (part): a guest's status, a role never held -------------------------------------------


@pytest.mark.parametrize("lang,word,expected,wrong", [
    ("en-US", "status", "guest: no access to the ambassador program", "employee"),
    ("de-DE", "status", "Gast: kein Zugang zum Botschafterprogramm", "Beschäftigte*r"),
])
async def test_guest_status_tells_the_truth(any_env: Harness, lang, word, expected, wrong):
    # Before: a guest read "Roles: employee", as if the program were open to them.
    env = any_env
    guest = Who("U0GUEST", "gina.guest@partner.example", "Gina Guest")
    incoming = env.incoming(guest, text=word, lang=lang)
    incoming.profile.is_guest = True
    [reply] = await env.handle(incoming)
    roles = next(f.value for f in reply.fields if f.label in ("Roles", "Rollen"))
    assert roles.startswith(expected) and roles != wrong
    assert not reply.buttons  # no "join" offered either


async def test_removing_a_role_never_held_says_so(any_env: Harness):
    env = any_env
    [reply] = await env.say(LEA, "role remove nora.new@example.com backup")
    assert reply.text == "nora.new@example.com is not backup of the comms lead, so there is nothing to remove; nothing changed."
    assert await env.count(RoleGrant) == 0
    await env.say(LEA, "role add nora.new@example.com backup")
    [removed] = await env.say(LEA, "role remove nora.new@example.com backup")
    assert removed.text == "nora.new@example.com is no longer backup of the comms lead."


# -- item 7: my data shows every row about the person; forget me leaves no trace ----------------------


async def _busy_life(env: Harness) -> None:
    """Erik and Lea leave rows in as many tables as the chat lets them."""
    await env.press(NORA, "join.confirm", {"notice_version": 1})
    for who in (NORA, LEA):
        conversation = "D" + who.user[1:]
        await env.core.remember_conversation("slack", who.user, conversation, {"channel": conversation, "user": who.user})
    await env.people(1, department="Sales", prefix="s")
    await env.say(NORA, "department Sales")
    await env.say(CLARA, "department confirm nora.new@example.com")
    await env.say(LEA, "role add nora.new@example.com backup")
    await env.say(LEA, "role add clara.sales@example.com core")  # a grant Lea made
    await env.say(NORA, "feedback The new videos are great")
    pid = await created_poll_id(env, await env.say(LEA, 'poll "Which format?" Video | Article --audience Sales'))
    await vote(env, NORA, pid, 1)
    await env.say(NORA, "crisis someone posts our internal roadmap on LinkedIn")
    await env.say(NORA, "May I post a photo of our prototype?")


def _needles(*whos: Who) -> dict[str, str]:
    out = {}
    for who in whos:
        out.update({who.email: "e-mail", who.name: "name", who.user: "platform id", "D" + who.user[1:]: "conversation id"})
    return out


async def _dump(core) -> str:
    """Every row of every table, as text."""
    lines = []
    async with core.db.engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert "person" in names and "rolegrant" in names and "poll_outbox" in names
        for name in names:
            for row in (await conn.execute(text(f'SELECT * FROM "{name}"'))).all():
                lines.append(f"{name}: " + json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(lines)


async def test_my_data_lists_every_row_about_the_person(any_env: Harness):
    env = any_env
    await _busy_life(env)
    [reply] = await env.say(NORA, "my data")
    fields = {f.label: f.value for f in reply.fields}
    assert fields["E-mail"] == NORA.email and fields["Name"] == NORA.name
    assert fields["Chat accounts"] == f"slack {NORA.user}"
    assert fields["Stored chat addresses (to write to you)"].startswith("slack D0NORA (")
    assert fields["Department"] == "Sales" and fields["Department proposed (not confirmed)"] == "-"
    assert fields["Known to the bot"].startswith("since 2") and "joined 2" in fields["Known to the bot"]
    assert fields["Roles given or taken in chat"].startswith("backup of the comms lead given on ")
    assert fields["Consents"].startswith("privacy notice v1 on ")
    assert "join" in fields["Program events"] and "department_confirmed" in fields["Program events"]
    assert fields["Messages sent to you (polls, reminders, results)"].startswith("1, the last on ")
    assert fields["Named poll votes"].startswith("1")
    assert any("The new videos are great" in v for v in fields.values())
    assert "someone posts our internal roadmap" in fields["Crisis reports"]
    assert fields["Messages from you still being worked on"] == "1"  # this very "my data"
    [lea] = await env.say(LEA, "my data")
    lea_fields = {f.label: f.value for f in lea.fields}
    assert lea_fields["Role changes you made"] == "2"
    assert lea_fields["Crisis alerts addressed to you"] != "none"
    assert "1 polls" in lea_fields["Started or decided by you"]


async def _forget(env: Harness, who: Who) -> None:
    [done] = await env.press(who, "forget.confirm", {})
    assert "your data is deleted" in done.text


async def test_forget_me_leaves_no_trace_in_any_table(any_env: Harness):
    env = any_env
    await _busy_life(env)
    needles = _needles(NORA, LEA)
    before = await _dump(env.core)
    assert all(n in before for n in needles)  # the check below can see each of them
    await _forget(env, NORA)
    await _forget(env, LEA)
    after = await _dump(env.core)
    found = [(kind, n, line) for n, kind in needles.items() for line in after.splitlines() if n in line]
    assert found == []
    async with env.core.db.session() as s:
        grants = (await s.exec(select(RoleGrant))).all()
        assert [(g.email, g.changed_by.startswith("P-")) for g in grants] == [(CLARA.email, True)]
        assert (await s.exec(select(ConversationRef))).all() == []
    assert await env.count(PollOutbox, PollOutbox.person_id.is_(None)) == 0


def _read(files: list[Path]) -> bytes:
    return b"".join(f.read_bytes() for f in files if f.exists())


def _size(f: Path) -> int:
    return f.stat().st_size if f.exists() else 0


async def test_forget_me_leaves_no_trace_in_the_database_file(tmp_path):
    core = build_core(make_settings(tmp_path))
    await core.db.upgrade()
    try:
        env = await add_staff(Harness(core))
        await _busy_life(env)
        db_file = Path(core.settings.database_url.removeprefix("sqlite:///"))
        files = [db_file, Path(f"{db_file}-wal")]
        raw = _read(files)
        needles = _needles(NORA, LEA)
        assert all(n.encode() in raw for n in needles)  # the check below can see each of them
        await _forget(env, NORA)
        await _forget(env, LEA)
        raw = _read(files)
        assert [n for n in needles if n.encode() in raw] == []
        assert _size(files[1]) == 0  # the write-ahead log was checkpointed and emptied
    finally:
        await core.db.dispose()


def test_every_table_that_can_name_a_person_is_known_to_forget():
    """A new table with a person link, or a column for an address or platform id, needs a look here first."""
    import handlers  # noqa: F401  (loads every capability's models)
    known = {
        "identity", "consent", "programevent", "ask_question", "ask_feedback", "kb_gap", "content_item",
        "content_delivery", "content_link", "content_pref", "crisis_report", "crisis_attempt", "crisis_event",
        "crisis_hold", "poll_series", "poll", "poll_voter", "poll_outbox", "feedback",
        "course_progress", "course_answer", "course_reminder",
    }
    linked = {t.name for t in SQLModel.metadata.tables.values()
              if any(fk.column.table.name == "person" for fk in t.foreign_keys)}
    assert linked == known, f"new or removed person links: {linked ^ known}"
    suspicious = {(t.name, c.name) for t in SQLModel.metadata.tables.values() for c in t.columns
                  if any(w in c.name for w in ("email", "user_id", "conversation", "_name", "_by", "target"))
                  and not c.foreign_keys and not c.name.endswith("_pseudonym") and c.name != "composed_by"}
    assert suspicious == {
        ("person", "email"), ("person", "display_name"), ("identity", "user_id"), ("rolegrant", "email"),
        ("rolegrant", "changed_by"), ("conversationref", "user_id"), ("conversationref", "conversation_id"),
        ("kb_gap", "answered_by_name"), ("crisis_attempt", "target"), ("meeting", "summary_by"),
    }, suspicious
