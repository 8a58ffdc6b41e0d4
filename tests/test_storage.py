"""Storage and the core's durability, on SQLite and (where reachable) PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import select

from bot.messages import Incoming, Profile, Reply
from bot.scheduler import Scheduler
from bot.sender import Sender as SenderBase
from storage.models import Consent, Identity, InboundTask, Person, ProcessedEvent, ProgramEvent


def msg(text="help", *, platform="slack", user="U1", email="erik@example.com", event_id=None, action=None, values=None):
    return Incoming(platform=platform, user_id=user, conversation_id=f"D-{user}", text=text, event_id=event_id,
                    action_id=action, values=values or {}, profile=Profile(email=email, name="Erik Employee"))


class Outbox:
    def __init__(self):
        self.replies: list[Reply] = []

    async def __call__(self, replies):
        self.replies.extend(replies)

    @property
    def text(self) -> str:
        return "\n".join(r.plain() for r in self.replies)


async def count(core, model) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


async def test_schema_is_created_and_upgrade_is_idempotent(any_core):
    await any_core.db.upgrade()  # a second start migrates nothing and breaks nothing
    assert await any_core.db.ping()
    assert await count(any_core, Person) == 0


async def test_retry_of_the_same_event_is_answered_once(any_core):
    out = Outbox()
    await any_core.handle(msg(event_id="Ev1"), out)
    await any_core.handle(msg(event_id="Ev1"), out)
    assert len(out.replies) == 1
    assert await count(any_core, ProcessedEvent) == 1
    assert await count(any_core, InboundTask) == 1


async def test_concurrent_deliveries_of_one_event_create_one_task(any_core):
    results = await asyncio.gather(*(any_core.accept(msg(event_id="EvSame")) for _ in range(5)))
    assert sum(r is not None for r in results) == 1
    assert await count(any_core, InboundTask) == 1


async def test_one_person_with_a_slack_and_a_teams_id(any_core):
    out = Outbox()
    await any_core.handle(msg(platform="slack", user="U1"), out)
    await any_core.handle(msg(platform="teams", user="29:abc"), out)
    assert await count(any_core, Person) == 1
    assert await count(any_core, Identity) == 2


async def test_join_leave_and_forget_me_keep_only_a_pseudonym(any_core):
    out = Outbox()
    await any_core.handle(msg("join"), out)
    await any_core.handle(msg(action="join.confirm", values={"notice_version": 1}), out)
    async with any_core.db.session() as s:
        person = (await s.exec(select(Person))).one()
        assert person.is_member and person.joined_at is not None
        pseudonym = person.pseudonym
    assert await count(any_core, Consent) == 1

    await any_core.handle(msg(action="forget.confirm"), out)
    assert "deleted" in out.replies[-1].text
    assert await count(any_core, Person) == 0
    assert await count(any_core, Identity) == 0
    assert await count(any_core, Consent) == 0
    async with any_core.db.session() as s:
        events = (await s.exec(select(ProgramEvent))).all()
    assert {e.kind for e in events} == {"join", "leave"}
    assert all(e.person_id is None and e.pseudonym == pseudonym for e in events)


async def test_work_accepted_before_a_crash_is_finished_after_restart(any_core):
    # The process acknowledged the platform, then stopped before answering.
    task_id = await any_core.accept(msg("help", event_id="EvCrash"))
    assert task_id is not None
    async with any_core.db.session() as s:
        task = await s.get(InboundTask, task_id)
        task.lease_until = None  # the crashed process's lease ran out
        s.add(task)
        await s.commit()

    sent: list[tuple[str, str]] = []

    class Sender(SenderBase):
        async def send_to_conversation(self, conversation_id, replies, user_id):
            sent.extend((conversation_id, r.plain()) for r in replies)

    any_core.register_sender("slack", Sender())
    assert await any_core.recover() == 1
    assert sent and sent[0][0] == "D-U1"
    assert "help" in sent[0][1].lower() or "hilfe" in sent[0][1].lower()
    async with any_core.db.session() as s:
        task = await s.get(InboundTask, task_id)
    assert task.status == "done"
    assert task.payload == {}  # the message text is not kept once answered
    assert await any_core.recover() == 0  # and it is never answered twice


async def test_a_failing_handler_answers_politely_and_records_the_failure(any_core):
    async def broken(ctx, incoming):
        raise RuntimeError("boom")

    any_core.router.command("explode", en=["explode"], de=["explodiere"])(broken)
    out = Outbox()
    await any_core.handle(msg("explode"), out)
    assert "something went wrong" in out.text
    async with any_core.db.session() as s:
        task = (await s.exec(select(InboundTask))).one()
    assert task.status == "failed" and "boom" in task.error


async def test_role_changes_in_chat_take_effect_without_restart(any_core):
    out = Outbox()
    lead = dict(user="ULEAD", email="lea.lead@example.com")
    await any_core.handle(msg("roles", user="U2", email="erik@example.com"), out)
    assert "Only the comms lead" in out.replies[-1].text
    await any_core.handle(msg("role add erik@example.com core", **lead), out)
    assert "erik@example.com is now member of the core ambassador group" in out.replies[-1].text
    async with any_core.db.session() as s:
        erik = (await s.exec(select(Person).where(Person.email == "erik@example.com"))).one()
    roles, _ = await any_core.roles_of(erik)
    assert "core" in roles
    await any_core.handle(msg("role remove erik@example.com core", **lead), out)
    roles, _ = await any_core.roles_of(erik)
    assert "core" not in roles
    # A config role can be taken away in chat too.
    await any_core.handle(msg("role remove clara.sales@example.com communicator Sales", **lead), out)
    await any_core.handle(msg("roles", **lead), out)
    assert "clara.sales@example.com" not in out.replies[-1].plain()


async def test_only_one_scheduler_holds_a_lease(any_core):
    a, b = Scheduler(any_core.db, holder="a"), Scheduler(any_core.db, holder="b")
    assert await a.claim("job", 60)
    assert not await b.claim("job", 60)
    assert await a.claim("job", 60)  # the holder renews


async def test_deactivated_person_leaves_the_program(any_core):
    out = Outbox()
    await any_core.handle(msg(action="join.confirm"), out)
    assert await any_core.deactivate("slack", "U1")
    async with any_core.db.session() as s:
        person = (await s.exec(select(Person))).one()
    assert not person.is_member and not person.active
    gone = msg("join")
    gone.profile.deleted = True  # what the platform says of a deactivated account
    await any_core.handle(gone, out)
    assert "deactivated" in out.replies[-1].text


async def test_purge_forgets_old_delivery_ids_and_records_past_retention(any_core):
    from datetime import timedelta

    from storage.models import utcnow

    out = Outbox()
    await any_core.handle(msg(event_id="EvOld"), out)
    async with any_core.db.session() as s:
        s.add(ProgramEvent(kind="join", pseudonym="P-OLD", at=utcnow() - timedelta(days=800)))
        s.add(ProgramEvent(kind="join", pseudonym="P-NEW"))
        for row in (await s.exec(select(ProcessedEvent))).all():
            row.received_at = utcnow() - timedelta(hours=100)
        for row in (await s.exec(select(InboundTask))).all():
            row.done_at = utcnow() - timedelta(hours=100)
        await s.commit()
    await any_core.purge()
    async with any_core.db.session() as s:
        assert [e.pseudonym for e in (await s.exec(select(ProgramEvent))).all()] == ["P-NEW"]
    assert await count(any_core, ProcessedEvent) == 0
    assert await count(any_core, InboundTask) == 0


async def test_a_failed_delivery_is_sent_again_without_running_the_handler_twice(any_core):
    calls = []

    async def counting(ctx, incoming):
        calls.append(incoming.text)
        return Reply(text="counted")

    any_core.router.command("count", en=["count"], de=["zähle"])(counting)

    async def platform_down(replies):
        raise ConnectionError("platform unreachable")

    incoming = msg("count", event_id="EvDown")
    task_id = await any_core.accept(incoming)
    try:
        await any_core.run(task_id, incoming, platform_down)
    except ConnectionError:
        pass
    else:
        raise AssertionError("the delivery failure must reach the adapter")
    async with any_core.db.session() as s:
        task = await s.get(InboundTask, task_id)
        assert task.status == "pending" and any_core.settings.key.unseal(task.payload)["replies"][0]["text"] == "counted"
        task.lease_until = None
        s.add(task)
        await s.commit()

    sent = []

    class Sender(SenderBase):
        async def send_to_conversation(self, conversation_id, replies, user_id):
            sent.extend(r.text for r in replies)

    any_core.register_sender("slack", Sender())
    assert await any_core.recover() == 1
    assert sent == ["counted"]
    assert calls == ["count"]  # the handler ran once


async def test_check_before_posting_answers_privately(any_core):
    out = Outbox()
    shortcut = msg("help")
    shortcut.source = "shortcut"
    shortcut.is_direct = False
    await any_core.handle(shortcut, out)
    assert out.replies and all(r.private for r in out.replies)


async def test_a_failed_profile_lookup_does_not_make_a_guest_an_employee(any_core):
    out = Outbox()
    guest = msg("join", user="UG", email="gast@partner.example")
    guest.profile.is_guest = True
    await any_core.handle(guest, out)
    assert "Guests and people from other organisations" in out.replies[-1].text
    unknown = msg("join", user="UG", email=None)
    unknown.profile = Profile()  # the platform's lookup failed
    await any_core.handle(unknown, out)
    assert "Gäste" in out.replies[-1].text or "Guests" in out.replies[-1].text


async def test_notify_reaches_a_person_found_by_email_and_names_failures(any_core):
    from bot.core import DeliveryError

    delivered = []

    class Slack(SenderBase):
        async def resolve_email(self, email):
            return "ULEAD" if email == "lea.lead@example.com" else None

        async def send_to_person(self, user_id, replies):
            delivered.append((user_id, replies[0].text))

        async def send_to_conversation(self, conversation_id, replies, user_id):
            raise AssertionError("not used")

    any_core.register_sender("slack", Slack())
    # The lead never wrote to the bot: found on the platform by address.
    assert await any_core.notify_email("lea.lead@example.com", [Reply(text="alert")]) == "slack"
    assert delivered == [("ULEAD", "alert")]
    lead = await any_core.person_by_email("LEA.LEAD@example.com")
    assert lead is not None and lead.email == "lea.lead@example.com"
    try:
        await any_core.notify_email("nobody@example.com", [Reply(text="x")])
    except DeliveryError as exc:
        assert "nobody@example.com" in str(exc)
    else:
        raise AssertionError("an unknown address must fail visibly")


async def test_capability_jobs_run_in_the_scheduler(tmp_path):
    from bot.app import build_core, create_app
    from tests.conftest import make_settings

    core = build_core(make_settings(tmp_path))
    ran = []

    @core.router.job(60, "test-job")
    async def job(c):
        ran.append(c is core)

    app = create_app(core.settings, core=core, background=False)
    from bot.web import SCHEDULER_KEY

    await core.db.upgrade()
    scheduler = app[SCHEDULER_KEY]
    entry = next(e for e in scheduler.jobs if e.name == "test-job")
    await scheduler.run_once(entry)
    assert ran == [True]
    await core.db.dispose()


async def test_personal_answers_asked_in_a_channel_stay_private(any_core):
    out = Outbox()
    for text in ("my data", "status", "help"):
        asked = msg(text)
        asked.is_direct = False
        await any_core.handle(asked, out)
    mydata, status, help_ = out.replies
    assert mydata.private and status.private
    assert not help_.private  # help is fine for everyone to see


async def test_an_unverified_account_cannot_join_until_the_platform_tells_who_it_is(any_core):
    out = Outbox()
    first = msg("join", user="UNEW")
    first.profile = None  # the platform lookup failed on the very first message
    await any_core.handle(first, out)
    assert "couldn't check your account" in out.replies[-1].text
    await any_core.handle(msg("join", user="UNEW"), out)
    assert "privacy notice" in (out.replies[-1].title or "")


async def test_people_propose_their_own_department_from_the_configured_list(any_core):
    out = Outbox()
    await any_core.handle(msg("department sales"), out)
    assert out.replies[-1].text.startswith("Noted: you proposed Sales.")
    await any_core.handle(msg("department Astrology"), out)
    assert "Pick one of the departments: Sales, HR, Engineering, Marketing, Operations" in out.replies[-1].text
    async with any_core.db.session() as s:
        person = (await s.exec(select(Person))).one()
    # Only a proposal: department polls and results open once it is confirmed (tests/test_privacy_people.py).
    assert (person.department, person.department_proposed) == (None, "Sales")


async def test_personal_settings_are_stored_and_answered_in_the_askers_language(any_core):
    core = any_core

    async def say(text: str) -> str:
        return "\n".join(r.plain() for r in await core.dispatch(msg(text)))

    assert await say("language de") == "Ab jetzt schreibe ich dir auf Deutsch."
    assert await say("zeitzone America/New_York") == "Deine Zeitzone ist jetzt America/New_York."
    assert "keine Zeitzone, die ich kenne" in await say("zeitzone Mars/Olympus")
    assert await say("ruhezeiten 21-7:30") == "Ab jetzt keine Erinnerungen zwischen 21:00 und 07:30."
    assert "Beginn-Ende im 24-Stunden-Format" in await say("ruhezeiten 25:00-08:00")
    async with core.db.session() as s:
        [person] = (await s.exec(select(Person))).all()
    assert (person.language, person.timezone, person.quiet_start, person.quiet_end) == (
        "de", "America/New_York", "21:00", "07:30")  # the bad values changed nothing
    assert (await say("language en")) == "From now on I write to you in English."
    assert (await say("quiet hours default")).startswith("Your quiet hours are back to the company's default")
    async with core.db.session() as s:
        person = await s.get(Person, person.id)
    assert (person.language, person.quiet_start, person.quiet_end) == ("en", None, None)
    # "off" means off: no quiet hours for this person, not the company's.
    assert (await say("quiet hours off")).startswith("No quiet hours for you from now on")
    async with core.db.session() as s:
        person = await s.get(Person, person.id)
    from handlers.content import quiet_until

    night = datetime(2026, 11, 2, 5, 30, tzinfo=UTC)  # 00:30 in New York, inside the company's 20:00-08:00
    assert quiet_until(person, core.settings, night) is None
    assert "Quiet hours: none" in await say("status")
    await say("quiet hours default")
    async with core.db.session() as s:
        person = await s.get(Person, person.id)
    assert quiet_until(person, core.settings, night) is not None
