"""Weekly shareable content at the core level: the queue, approval, the scheduled nudge
through the outbox (restarts, concurrent runners, failures), one-tap answers, the
share-link redirect and the command line. Senders are in-process fakes; the clock
is moved, never waited for."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import select

from bot.app import build_core, create_app
from bot.core import Core
from bot.messages import Reply
from bot.router import SendPause
from bot.sender import Sender
from handlers import content
from storage.db import Database
from storage.models import Identity, Person, ProgramEvent
from storage.models_content import ContentDelivery, ContentItem, ContentLink, ContentPref, ContentRun
from storage.models_course import CourseProgress, CourseReminder
from tests.clock import Clock
from tests.conftest import COMMUNICATOR_EMAIL, LEAD_EMAIL, make_settings
from tests.harness import Harness, Recorder, Who

# Monday 30 March 2026, 09:30 in Berlin (CEST) is 07:30 UTC.
MONDAY = datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
CONTENT = {"public_url": "https://amb.example.com", "schedule": "30 9 * * MON", "core_group_days_earlier": 1,
           "max_items": 2, "require_approval": True}


class Crash(BaseException):
    """The process dies: nothing after it runs (not an Exception, so no handler catches it)."""


@dataclass
class Slack(Recorder):
    """The harness's recording platform, which can also die in the middle of a send."""

    crash_at: int | None = None  # the n-th reply sent (1-based) dies ...
    crash_after_delivery: bool = False  # ... after the platform took it, or before

    async def send_to_person(self, user_id: str, replies: list[Reply]) -> None:
        if self.crash_at is not None and len(self.log) + 1 == self.crash_at:
            if self.crash_after_delivery:
                await super().send_to_person(user_id, replies)
            raise Crash()
        await super().send_to_person(user_id, replies)

    def on_rate_limit(self, listener: Callable[[float], None] | None) -> None:
        self.rate_limit_listener = listener


class SlackError(Exception):
    """Shaped like slack_sdk's SlackApiError: ``response`` answers ``get('error')``."""

    def __init__(self, error: str) -> None:
        super().__init__(f"The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage)\n"
                         f"The server responded with: {{'ok': False, 'error': '{error}'}}")
        self.response = {"ok": False, "error": error}


def setup(core: Core, clock: Clock | None = None, **cfg: Any) -> Harness:
    """The harness on a content section (``cfg`` over ``CONTENT``), three days before the Monday nudge."""
    core.settings.app.content = {**CONTENT, **cfg}
    h = Harness(core, clock=clock or Clock(MONDAY - timedelta(days=3)), sender=Slack(), lang=None)
    content.configure(core, pacer=content.Pacer(10_000, 0, clock=lambda: 0.0, sleep=_no_sleep), concurrency=4)
    return h


async def _no_sleep(_: float) -> None:
    return None


async def member(core: Core, user: str, email: str, *, lang: str = "de", joined: bool = True, department: str | None = None,
                 tz: str | None = None, quiet: tuple[str, str] | None = None, platform: str = "slack") -> Person:
    async with core.db.session() as s:
        p = Person(email=email, display_name=email.split("@")[0], language=lang, is_member=joined, department=department,
                   joined_at=core.now() if joined else None, profile_checked_at=core.now(), timezone=tz,
                   quiet_start=quiet[0] if quiet else None, quiet_end=quiet[1] if quiet else None)
        s.add(p)
        await s.flush()
        s.add(Identity(person_id=p.id, platform=platform, user_id=user))
        await s.commit()
        return p


async def add_item(core: Core, title: str, *, de: str | None = "Text auf Deutsch", en: str | None = "Text in English",
                   audience: str = "all", department: str | None = None, days_ago: float = 1, **kw: Any) -> ContentItem:
    async with core.db.session() as s:
        item = ContentItem(title=title, url=f"https://example.com/{title.lower().replace(' ', '-')}", text_de=de,
                           text_en=en, audience=audience, department=department, status=kw.pop("status", "approved"),
                           valid_from=core.now() - timedelta(days=days_ago), created_at=core.now(), **kw)
        s.add(item)
        await s.commit()
        return item


def who(user: str = "U0LEA", email: str = LEAD_EMAIL) -> Who:
    """Someone on Slack as ``member`` stores them (named by their address's local part); the lead by default."""
    return Who(user, email, email.split("@")[0])


def text_of(replies: list[Reply]) -> str:
    return "\n".join(r.plain() for r in replies)


async def rows(core: Core, model: Any, *where: Any) -> list[Any]:
    async with core.db.session() as s:
        return list((await s.exec(select(model).where(*where))).all())


async def count(core: Core, model: Any, *where: Any) -> int:
    async with core.db.session() as s:
        return (await s.exec(select(func.count()).select_from(model).where(*where))).one()


def titles(replies: list[Reply]) -> list[str]:
    return [line.strip("*").split(". ", 1)[-1] for r in replies for line in r.text.split("\n") if line.startswith("*")]


# -- the queue ----------------------------------------------------------------------------------


async def test_bad_items_get_a_clear_message_in_the_asker_language_and_nothing_is_stored(core):
    h = setup(core)
    cases = [
        ("content add title: Nur Text | de: Ein Text", "braucht einen Link"),
        ("content add url: https://example.com/a | title: Ohne Text", "braucht einen Textvorschlag"),
        ("content add url: example dot com | de: Text", "keine Webadresse"),
        ("content add url: https://example.com/a | de: Text | bis: 01.01.2020", "in der Vergangenheit"),
        ("content add url: https://example.com/a | de: Text | bild: https://example.com/x.jpg", "Rechtehinweis"),
        ("content add url: https://example.com/a | de: Text | zielgruppe: Mars", "keine Zielgruppe"),
    ]
    for text, expected in cases:
        [reply] = await h.say(who(), text.replace("content add", "inhalt neu"))
        assert "Nicht hinzugefügt" in reply.text and expected in reply.text, (text, reply.text)
    [reply] = await h.say(who(), "content add url: ftp://example.com | en: Some text | until: 2020-01-01")
    assert "not a web address" in reply.text and "in the past" in reply.text
    assert await count(core, ContentItem) == 0


async def test_multi_line_add_by_the_lead_is_approved_at_once(core):
    h = setup(core)
    [reply] = await h.say(who(), "content add\nurl: https://example.com/plant\ntitle: Our new plant\naudience: all\n"
                              "en: We're opening a plant!\nSecond line.\nde: Wir eröffnen ein Werk!\nuntil: 2026-04-30\n"
                              "image: https://example.com/plant.jpg\nrights: © Example GmbH")
    assert "Added #1 “Our new plant” for all members (de/en), valid" in reply.text
    [item] = await rows(core, ContentItem)
    assert item.status == "approved" and item.text_en == "We're opening a plant!\nSecond line."
    assert item.image_rights == "© Example GmbH"


async def test_communicator_content_waits_for_the_lead_who_approves_with_a_button(core):
    h = setup(core)
    lead = await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    clara = await member(core, "U0CLARA", COMMUNICATOR_EMAIL, lang="de")
    [reply] = await h.say(who("U0CLARA", COMMUNICATOR_EMAIL), "inhalt neu url: https://example.com/sales | titel: Messe | zielgruppe: Sales | de: Wir sind auf der Messe")
    assert "wartet auf die Freigabe" in reply.text
    [item] = await rows(core, ContentItem)
    assert item.status == "pending" and item.created_by_id == clara.id
    [request] = h.received("U0LEA")
    assert request.title == "Content to approve: #1" and "Wir sind auf der Messe" in request.text
    assert [b.label for b in request.buttons] == ["Approve", "Reject"]
    # The request went out once, even when the job runs again.
    await content.send_approval_requests(core)
    assert len(h.received("U0LEA")) == 1

    [done] = await h.press(who(), "content.approve", request.buttons[0].value)
    assert done.update and "Approved #1" in done.text
    assert (await rows(core, ContentItem))[0].status == "approved"
    assert "wurde freigegeben" in h.received("U0CLARA")[-1].text
    [again] = await h.press(who(), "content.approve", request.buttons[0].value)
    assert "approved already" in again.text
    # Not for the communicator: other departments, the core group; and company-wide content always needs the lead.
    [denied] = await h.say(who("U0CLARA", COMMUNICATOR_EMAIL), "inhalt neu url: https://example.com/hr | de: HR-Text | zielgruppe: HR")
    assert "nicht für „HR“" in denied.text
    [refused] = await h.press(who("U0CLARA", COMMUNICATOR_EMAIL), "content.approve", {"i": 1})
    assert "dürfen nur die Vertretung der Kommunikationsleitung oder die Kommunikationsleitung" in refused.text
    assert lead.id != clara.id


async def test_list_and_retire(core):
    h = setup(core)
    await add_item(core, "First")
    await add_item(core, "Second", status="pending")
    [listing] = await h.say(who(), "content list")
    assert [f.label for f in listing.fields] == ["#2 Second", "#1 First"]
    assert "awaiting approval" in listing.fields[0].value
    [retired] = await h.say(who(), "content retire 1")
    assert "Retired #1" in retired.text
    [again] = await h.say(who(), "content retire #1")
    assert "retired already" in again.text
    [missing] = await h.say(who(), "content retire 99")
    assert "no item #99" in missing.text


# -- the scheduled nudge ------------------------------------------------------------------------


async def test_scheduled_run_delivers_the_right_items_in_each_language_once(any_core):
    core = any_core
    h = setup(core, core_group_days_earlier=0)
    anna = await member(core, "U1", "anna@example.com", lang="de", department="Sales")
    bert = await member(core, "U2", "bert@example.com", lang="en")
    await member(core, "U3", "carl@example.com", joined=False)  # never joined: never nudged
    emma = await member(core, "U4", "emma.core@example.com", lang="en")
    await add_item(core, "Old news", days_ago=6)
    await add_item(core, "English only", de=None, days_ago=2)
    await add_item(core, "Sales fair", audience="department", department="Sales", en=None, days_ago=1)
    await add_item(core, "Core preview", audience="core", days_ago=1)
    await add_item(core, "Future", days_ago=-5)
    await add_item(core, "Draft", status="pending")

    await content.nudge_job(core)
    assert h.sender.log == []  # Friday: nothing due yet
    h.clock.now = MONDAY
    stats = await content.nudge_job(core)
    assert stats.sent == 3
    [to_anna] = h.received("U1")
    [to_bert] = h.received("U2")
    [to_emma] = h.received("U4")
    assert h.received("U3") == []
    assert titles([to_anna]) == ["Sales fair", "Old news"]
    assert to_anna.title == "Diese Woche zum Teilen" and "Text auf Deutsch" in to_anna.text
    assert titles([to_bert]) == ["English only", "Old news"]
    assert to_bert.title == "Something to share this week"
    assert titles([to_emma]) == ["Core preview", "English only"]
    assert [b.label for b in to_bert.buttons][:5] == ["LinkedIn (1)", "XING (1)", "X (1)", "I shared it (1)", "Not for me (1)"]

    # Run again, and again an hour later: nobody gets anything twice.
    await content.nudge_job(core)
    h.clock.move(hours=1)
    await content.nudge_job(core)
    assert len(h.sender.log) == 3
    # Next week: only what they did not get.
    h.clock.now = MONDAY + timedelta(days=7)
    await content.nudge_job(core)
    assert titles(h.received("U2")[1:]) == ["Future"]
    assert titles(h.received("U4")[1:]) == ["Future", "Old news"]
    assert titles(h.received("U1")[1:]) == ["Future"]
    assert await count(core, ContentLink) == 10
    assert {anna.id, bert.id, emma.id} == {r.person_id for r in await rows(core, ContentDelivery)}


async def test_core_group_gets_its_nudge_a_day_earlier_and_not_again(core):
    h = setup(core)
    await member(core, "U1", "anna@example.com", lang="en")
    await member(core, "U4", "emma.core@example.com", lang="en")
    await add_item(core, "News", days_ago=3)
    h.clock.now = MONDAY - timedelta(days=1)
    await content.nudge_job(core)
    assert [u for u in [s.to for s in h.sender.log]] == ["U4"]
    h.clock.now = MONDAY
    await content.nudge_job(core)
    assert [u for u in [s.to for s in h.sender.log]] == ["U4", "U1"]
    assert await count(core, ContentRun) == 2


async def test_quiet_hours_pause_and_every_two_weeks_are_honoured(any_core):
    core = any_core
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    # 09:30 in Berlin is 03:30 in New York: in the configured quiet hours there (20:00-08:00).
    await member(core, "U2", "bert@example.com", lang="en", tz="America/New_York")
    await member(core, "U3", "carl@example.com", lang="en", quiet=("09:00", "12:00"))
    await member(core, "U5", "dora@example.com", lang="de")
    for n in range(4):
        await add_item(core, f"Item {n}", days_ago=1 + n)
    [paused] = await h.say(who("U5", "dora@example.com"), "erinnerungen pause")
    assert "Pausiert: keine Inhalte mehr" in paused.text

    h.clock.now = MONDAY
    await content.nudge_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U1"]
    h.clock.now = MONDAY + timedelta(hours=2, minutes=31)  # 12:01 Berlin: Carl's quiet hours are over
    await content.nudge_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U1", "U3"]
    h.clock.now = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)  # 08:00 in New York
    await content.nudge_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U1", "U2", "U3"]
    assert h.received("U5") == []
    [resumed] = await h.say(who("U5", "dora@example.com"), "erinnerungen wöchentlich")
    assert "jede Woche" in resumed.text
    h.clock.now = MONDAY + timedelta(days=7)
    await content.nudge_job(core)
    assert len(h.received("U5")) == 1 and len(h.received("U1")) == 2


async def test_every_two_weeks_skips_a_week(core):
    h = setup(core, core_group_days_earlier=0, max_items=1)
    await member(core, "U6", "ewa@example.com", lang="en")
    for n in range(4):
        await add_item(core, f"Item {n}", days_ago=1 + n)
    h.clock.now = MONDAY
    await content.nudge_job(core)
    await h.say(who("U6", "ewa@example.com"), "nudges biweekly")
    for week in (1, 2, 3):
        h.clock.now = MONDAY + timedelta(days=7 * week)
        await content.nudge_job(core)
    assert len(h.received("U6")) == 2  # weeks 0 and 2


async def test_leaving_after_planning_cancels_the_pending_nudge(core):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U2", "bert@example.com", lang="en", tz="America/New_York")
    await add_item(core, "News")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    assert await count(core, ContentDelivery, ContentDelivery.status == "pending") == 1
    [left] = await h.say(who("U2", "bert@example.com"), "leave")
    assert "left" in left.text
    h.clock.now = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)
    await content.nudge_job(core)
    assert h.sender.log == []
    [row] = await rows(core, ContentDelivery)
    assert row.status == "cancelled" and row.reason == "left"
    assert await count(core, ContentLink) == 0  # released: not "got"


# -- delivery that holds up ---------------------------------------------------------------------


async def _many(core: Core, n: int) -> None:
    for i in range(n):
        await member(core, f"U{i:03d}", f"m{i:03d}@example.com", lang="en")
    await add_item(core, "News")


async def test_a_restart_mid_run_delivers_the_rest_and_nothing_twice(any_core, tmp_path):
    core = any_core
    h = setup(core, core_group_days_earlier=0)
    content.configure(core, concurrency=1)
    await _many(core, 12)
    await member(core, "U0LEA", LEAD_EMAIL, lang="en", joined=False)
    h.clock.now = MONDAY
    h.sender.crash_at, h.sender.crash_after_delivery = 6, True  # the 6th message reaches Slack, then the process dies
    with pytest.raises(Crash):
        await content.nudge_job(core)
    assert len(h.sender.log) == 6

    # A new process on the same database, after the interrupted send's lease ran out.
    core2 = build_core(core.settings, Database(core.settings.database_url))
    try:
        h.clock.move(minutes=20)
        h2 = setup(core2, h.clock, core_group_days_earlier=0)
        stats = await content.nudge_job(core2)
        assert stats.sent == 6 and stats.uncertain == 1
        everyone = [u for u in [s.to for s in h.sender.log + h2.sender.log] if u != "U0LEA"]
        assert sorted(everyone) == [f"U{i:03d}" for i in range(12)]  # everybody once, nobody twice
        counts = await content.run_counts(core2, 1)
        assert counts["sent"] == 11 and counts["uncertain"] == 1
        # The comms lead hears about the uncertain one; it is not sent again on its own.
        [report] = h2.received("U0LEA")
        assert "1 uncertain" in report.text
        h.clock.move(days=1)
        await content.nudge_job(core2)
        assert len(h2.sender.log) == 7  # six nudges and the report
        # Someone checked and decides to send it again.
        [row] = await rows(core2, ContentDelivery, ContentDelivery.status == "uncertain")
        assert await content.resend(core2, row.id)
        await content.nudge_job(core2)
        assert len(h2.received(h.sender.log[-1].to)) == 1
    finally:
        await core2.db.dispose()


async def test_a_crash_before_the_platform_took_it_is_uncertain_not_resent(core):
    h = setup(core, core_group_days_earlier=0)
    content.configure(core, concurrency=1)
    await _many(core, 4)
    h.clock.now = MONDAY
    h.sender.crash_at = 3
    with pytest.raises(Crash):
        await content.nudge_job(core)
    h.sender.crash_at = None
    # The rows the dead process had claimed are free again after a short while; the
    # interrupted send is left alone until its own, longer lease has run out.
    h.clock.move(minutes=3)
    await content.nudge_job(core)
    assert len(h.sender.log) == 3
    h.clock.move(minutes=20)
    stats = await content.nudge_job(core)
    assert stats.uncertain == 1 and len(h.sender.log) == 3


class FindingSender(Slack):
    """A sender that can look a sent message up by its key (Slack: message metadata)."""

    keys: dict[str, str]

    async def send_keyed(self, user_id: str, replies: list[Reply], key: str) -> None:
        await self.send_to_person(user_id, replies)
        self.keys = {**getattr(self, "keys", {}), key: user_id}

    async def find_sent(self, user_id: str, key: str) -> bool | None:
        return self.keys.get(key) == user_id if hasattr(self, "keys") else False


async def test_an_interrupted_send_is_reconciled_where_the_platform_can_tell(core):
    h = setup(core, core_group_days_earlier=0)
    h.sender = FindingSender()
    core.register_sender("slack", h.sender)
    content.configure(core, concurrency=1)
    await _many(core, 3)
    h.clock.now = MONDAY
    h.sender.crash_at = 2  # dies before Slack took the second one: known not sent, so sent again
    with pytest.raises(Crash):
        await content.nudge_job(core)
    h.sender.crash_at = None
    h.clock.move(minutes=20)
    stats = await content.nudge_job(core)
    assert stats.uncertain == 0
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U000", "U001", "U002"]


async def test_two_runners_on_one_database_deliver_once(any_core):
    core = any_core
    h = setup(core, core_group_days_earlier=0)
    await _many(core, 30)
    other = build_core(core.settings, Database(core.settings.database_url))
    try:
        h2 = setup(other, h.clock, core_group_days_earlier=0)
        h.clock.now = MONDAY
        await asyncio.gather(content.nudge_job(core), content.nudge_job(other))
        assert len(h.sender.log) + len(h2.sender.log) == 30
        # Without the sender lease, the row claims alone keep two senders apart.
        h.clock.now = MONDAY + timedelta(days=7)
        await add_item(core, "More news")
        await content.plan_due(core)
        await asyncio.gather(content.send_due(core, exclusive=False), content.send_due(other, exclusive=False))
        everyone = [u for u in [s.to for s in h.sender.log + h2.sender.log]]
        assert len(everyone) == 60 and len(set(everyone)) == 30
        assert await count(core, ContentDelivery, ContentDelivery.status == "sent") == 60
    finally:
        await other.db.dispose()


async def test_failures_are_retried_with_backoff_then_failed_and_reported(core):
    h = setup(core, core_group_days_earlier=0, max_attempts=3)
    await _many(core, 3)
    await member(core, "U0LEA", LEAD_EMAIL, lang="en", joined=False)
    h.sender.fail_next("U000", *[SlackError("internal_error")] * 99)
    h.sender.fail_next("U001", SlackError("ratelimited"))
    h.clock.now = MONDAY
    first = await content.nudge_job(core)
    assert first.sent == 1 and first.retried == 2
    h.clock.move(minutes=1)
    await content.nudge_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U001", "U002"]
    h.clock.move(minutes=3)
    await content.nudge_job(core)
    h.clock.move(minutes=15)
    await content.nudge_job(core)
    [failed] = await rows(core, ContentDelivery, ContentDelivery.status == "failed")
    assert failed.attempts == 3 and "internal_error" in failed.error
    [report] = h.received("U0LEA")
    assert "1 failed" in report.text and failed.pseudonym in report.plain()
    assert (await rows(core, ContentRun))[0].status == "done"


async def test_a_removed_user_and_a_member_without_a_chat_are_skipped_and_recorded(core):
    h = setup(core, core_group_days_earlier=0)
    await _many(core, 4)
    gone = (await rows(core, Person, Person.email == "m001@example.com"))[0]
    h.sender.fail_next("U001", *[SlackError("account_inactive")] * 9)
    h.sender.fail_next("U002", *[SlackError("user_not_found")] * 9)
    # A Teams member the bot never talked to: no conversation reference to reach them.
    await member(core, "29:nobody", "teams.only@example.com", lang="en", platform="teams")

    class Teams(Sender):
        async def send_to_person(self, user_id, replies):
            raise RuntimeError(f"no Teams conversation is known for user {user_id}")

        async def send_to_conversation(self, conversation_id, replies, user_id):
            raise RuntimeError("unused")

    core.register_sender("teams", Teams())
    h.clock.now = MONDAY
    stats = await content.nudge_job(core)
    assert stats.sent == 2 and stats.skipped == 3
    skipped = {r.pseudonym: r.reason for r in await rows(core, ContentDelivery, ContentDelivery.status == "skipped")}
    assert sorted(skipped.values()) == ["gone", "gone", "no_account"]
    # Slack says the account is gone: that person has left the program.
    assert not (await rows(core, Person, Person.id == gone.id))[0].is_member
    # Skipped items were not received: they may come again.
    assert await count(core, ContentLink) == 2


async def test_an_item_retired_after_planning_is_not_sent(core):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U2", "bert@example.com", lang="en", tz="America/New_York")
    item = await add_item(core, "News")
    await add_item(core, "Other")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    await h.say(who(), f"content retire {item.id}")
    h.clock.now = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)
    await content.nudge_job(core)
    assert titles(h.received("U2")) == ["Other"]


class FakeTime:
    """A clock that a sleep moves on: the pacer's waits without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.now += seconds


async def test_the_pacer_keeps_the_pace_without_real_waiting():
    clock = FakeTime()
    pacer = content.Pacer(2, per_key=1.0, headroom=0, clock=clock, sleep=clock.sleep)
    for key in ("a", "b", "c", "a", "a"):
        await pacer.wait(key)
    # Two a second, evenly; the third message to "a" waits out its one second after the second.
    assert clock.waits == [0.5, 0.5, 0.5, 1.0]
    # The default keeps 5 % below the platform's limit: requests do not all arrive as evenly as they leave.
    assert content.Pacer(100).interval == pytest.approx(1 / 95)


async def test_a_stalled_loop_cannot_burst_past_the_limit():
    clock = FakeTime()
    pacer = content.Pacer(10, per_key=0, clock=clock, sleep=clock.sleep)
    slots = [pacer.reserve() for _ in range(30)]
    clock.now = 5.0  # the event loop was busy: every slot is in the past
    sent = []
    for slot in slots:
        await pacer.until(slot)
        sent.append(clock.now)
    assert all(b - a >= 1.0 for a, b in zip(sent, sent[10:], strict=False))  # at most 10 in any second


async def test_a_429_holds_every_worker_for_its_retry_after():
    clock = FakeTime()
    pacer = content.Pacer(100, per_key=0, clock=clock, sleep=clock.sleep)
    slots = [pacer.reserve() for _ in range(3)]  # three workers hold a slot already
    pacer.back_off(2)  # one of them heard "429, Retry-After: 2"
    for slot in slots:
        await pacer.until(slot)
        assert clock.now >= 2.0
    await pacer.wait()
    assert clock.now >= 2.0 and pacer.held == 1


async def test_a_sender_that_hears_429s_tells_the_pacer(core):
    h = setup(core, core_group_days_earlier=0)
    old = content.nudger(core).pacer
    await content.send_due(core)
    assert h.sender.rate_limit_listener == old.back_off
    fake_time = FakeTime()
    new = content.Pacer(50, clock=fake_time, sleep=fake_time.sleep)
    content.configure(core, pacer=new)
    await content.send_due(core)
    assert h.sender.rate_limit_listener == new.back_off
    # A 429 that outlasted the SDK's own retries: Retry-After from the response is honoured by all.
    await _many(core, 2)
    refused = SlackError("ratelimited")
    refused.response = _Response({"ok": False, "error": "ratelimited"}, {"Retry-After": "7"})
    h.sender.fail_next("U000", refused)
    h.clock.now = MONDAY
    await content.nudge_job(core)
    assert new.held == 1 and new._hold >= 7


async def test_a_429_is_sent_again_after_its_retry_after_within_the_same_run(core):
    h = setup(core, core_group_days_earlier=0)
    await _many(core, 3)
    core.clock = RealClock(MONDAY)  # this run waits for real: a fraction of a second
    pacer = content.Pacer(1000, 0)
    content.configure(core, pacer=pacer)
    refused = SlackError("ratelimited")
    refused.response = _Response({"ok": False, "error": "ratelimited"}, {"Retry-After": "0.3"})
    h.sender.fail_next("U001", refused)
    started = time.monotonic()
    stats = await content.nudge_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U000", "U001", "U002"]
    assert stats.retried == 1 and stats.sent == 3 and pacer.held == 1
    assert time.monotonic() - started >= 0.3
    [row] = await rows(core, ContentDelivery, ContentDelivery.attempts == 2)
    assert row.status == "sent"


class RealClock:
    """The core's h.clock with time passing as it does (from ``start``)."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


class _Response(dict):
    def __init__(self, data: dict[str, Any], headers: dict[str, str]) -> None:
        super().__init__(data)
        self.headers = headers


async def test_a_posting_hold_pauses_every_nudge_until_it_is_lifted(core, monkeypatch):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "Plant opening")
    await add_item(core, "Team event")
    holds = [["plant"]]

    async def on_hold(core):  # a capability's declared send guard, as crisis's posting holds are
        if not holds:
            return None
        return SendPause(note="wait", matches=lambda text: any(k in text.lower() for h in holds for k in h))

    core.router.send_guards.append(on_hold)
    h.clock.now = MONDAY
    stats = await content.nudge_job(core)
    # Not only the plant: nothing cheerful goes out in the middle of a crisis.
    assert h.received("U1") == [] and stats.deferred == 1
    h.clock.advance(minutes=10)
    await content.nudge_job(core)
    assert h.received("U1") == []  # still on hold
    holds.clear()  # lifted
    h.clock.advance(minutes=10)
    await content.nudge_job(core)
    assert sorted(titles(h.received("U1"))) == ["Plant opening", "Team event"]


# -- one-tap sharing --------------------------------------------------------------------------------


async def test_i_shared_it_pressed_twice_is_recorded_once(core):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "First")
    await add_item(core, "Second", days_ago=2)
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [nudge] = h.received("U1")
    # One offer to send feedback under the whole message, after the two items' buttons.
    assert [b.action_id for b in nudge.buttons].count("feedback.start") == 1
    assert nudge.buttons[-1].label == "Feedback / topic for the next meeting"
    shared = next(b for b in nudge.buttons if b.label == "I shared it (1)")
    for _ in range(2):
        [answer] = await h.press(who("U1", "anna@example.com"), "content.shared", shared.value)
        assert answer.update and "You shared this. Thank you!" in answer.text
        # The first item's buttons are gone; the second's are still there.
        assert [b.label for b in answer.buttons][:1] == ["LinkedIn (2)"]
    assert await count(core, ProgramEvent, ProgramEvent.kind == "content_shared") == 1
    assert await count(core, ContentLink, ContentLink.shared_at.is_not(None)) == 1
    declined = next(b for b in nudge.buttons if b.label == "Not for me (2)")
    [answer] = await h.press(who("U1", "anna@example.com"), "content.declined", declined.value)
    # Every item answered: only the offer to send feedback or a topic for the next meeting is left.
    assert "Skipped." in answer.text and [b.action_id for b in answer.buttons] == ["feedback.start"]
    # Somebody else's button does nothing.
    [other] = await h.press(who("U9", "x@example.com"), "content.shared", shared.value)
    assert "someone else" in other.text


async def test_share_buttons_carry_the_text_and_a_tracked_link(core):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "News", en="Proud of our team")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [nudge] = h.received("U1")
    [link] = await rows(core, ContentLink)
    assert f"https://amb.example.com/r/{link.token}" in nudge.text
    by_label = {b.label: b.url for b in nudge.buttons}
    li = parse_qs(urlsplit(by_label["LinkedIn"]).query)
    # The ready share text shown (the item's own text with the guidelines' disclosure) is what is shared.
    assert li["text"][0] == f"Proud of our team #employee\nhttps://amb.example.com/r/{link.token}?s=li"
    assert parse_qs(urlsplit(by_label["XING"]).query)["url"][0].endswith("?s=xi")
    x = parse_qs(urlsplit(by_label["X"]).query)
    assert x["text"][0] == "Proud of our team #employee" and x["url"][0].endswith("?s=x")
    # No personal data in what is shared: the token is random.
    assert not any("anna" in (url or "") for url in by_label.values()) and len(link.token) == 12


async def test_the_redirect_counts_a_click_and_adds_utm(core, aiohttp_client):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "News")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [link] = await rows(core, ContentLink)
    app = create_app(core.settings, core=core, background=False)
    client = await aiohttp_client(app)
    resp = await client.get(f"/r/{link.token}?s=li", allow_redirects=False)
    assert resp.status == 302 and resp.headers["Cache-Control"] == "no-store"
    target = urlsplit(resp.headers["Location"])
    assert target.netloc == "example.com" and target.path == "/news"
    assert parse_qs(target.query) == {"utm_source": ["linkedin"], "utm_medium": ["employee_advocacy"],
                                      "utm_campaign": ["ambassador"], "utm_content": [link.token]}
    # Link previews and HEAD requests are sent on but not counted.
    await client.get(f"/r/{link.token}", allow_redirects=False, headers={"User-Agent": "LinkedInBot/1.0"})
    await client.head(f"/r/{link.token}", allow_redirects=False)
    [after] = await rows(core, ContentLink)
    assert after.clicks == 1 and after.first_click_at is not None
    assert (await client.get("/r/unknown-token-123", allow_redirects=False)).status == 404
    assert (await client.get("/r/%27%3B--", allow_redirects=False)).status == 404


# -- the monthly thank-you ------------------------------------------------------------------------

# Wednesday 1 April 2026, 10:00 in Berlin: the first working day of April (Easter is on the 5th).
APRIL_1 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
THANKS = {"enabled": True, "top": 2, "min_activity": 2, "time": "10:00"}


async def activity(core: Core, person: Person, *, shares: int = 0, clicks: int = 0,
                   at: datetime = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)) -> None:
    """``shares`` items marked shared at ``at``, and ``clicks`` clicks on the person's links in that month."""
    from storage.models_content import ContentClicks

    async with core.db.session() as s:
        links = []
        for n in range(max(shares, 1 if clicks else 0)):
            item = ContentItem(title=f"T{person.id}-{n}", url="https://example.com/t", text_en="x", text_de="x",
                               status="retired", created_at=at)
            s.add(item)
            await s.flush()
            link = ContentLink(token=f"tok{person.id}x{n}x{at:%m%d}", item_id=item.id, person_id=person.id,
                               pseudonym=person.pseudonym, shared_at=at if n < shares else None, created_at=at)
            s.add(link)
            links.append(link)
        await s.flush()
        if clicks:
            s.add(ContentClicks(link_id=links[0].id, month=f"{at.astimezone(content.program_tz(core.settings)):%Y-%m}",
                                clicks=clicks))
        await s.commit()


async def thanks_crowd(core: Core) -> dict[str, Person]:
    people = {
        "anna": await member(core, "U1", "anna@example.com", lang="de"),
        "bert": await member(core, "U2", "bert@example.com", lang="en"),
        "carl": await member(core, "U3", "carl@example.com", lang="en"),
        "dora": await member(core, "U4", "dora@example.com", lang="de"),
        "emil": await member(core, "U5", "emil@example.com", lang="en"),
    }
    await activity(core, people["anna"], shares=3, clicks=12)  # the most active
    await activity(core, people["bert"], shares=2, clicks=1)
    await activity(core, people["carl"], clicks=3)  # tied with Bert: thanked too
    await activity(core, people["dora"], shares=1)  # below the minimum
    await activity(core, people["emil"], shares=9, at=datetime(2026, 2, 10, 9, 0, tzinfo=UTC))  # February
    return people


def _no_ranking(reply: Reply) -> None:
    """Nothing that places the person among others: no "#2", no "3rd place", no "among the most active"."""
    text = re.sub(r"there is no ranking|es gibt keine rangliste", "", reply.plain().lower())
    assert not re.search(r"#\s*\d|\b\d+(st|nd|rd|th)\b|\d\.\s*platz|rank|rangliste|platz|place|top\b|most active|"
                         r"aktivste|among|unter den|others|anderen", text), text


async def test_the_most_active_members_are_thanked_once_in_their_language(any_core):
    core = any_core
    h = setup(core, thanks=THANKS)
    await thanks_crowd(core)
    h.clock.now = APRIL_1 - timedelta(minutes=1)
    assert await content.thanks_job(core) is not None and h.sender.log == []  # not yet
    h.clock.now = APRIL_1
    for _ in range(2):
        await content.thanks_job(core)
    h.clock.move(hours=1)
    await content.thanks_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U1", "U2", "U3"]
    [anna] = h.received("U1")
    assert anna.title == "Danke, anna!"
    assert "Im März hast du 3 unserer Beiträge geteilt, und deine Links wurden 12-mal geöffnet." in anna.text
    assert "nur du" in anna.context and "*danke aus*" in anna.context
    [bert] = h.received("U2")
    assert bert.title == "Thank you, bert!"
    assert "In March you shared 2 of our posts, and people opened your links once." in bert.text
    [carl] = h.received("U3")
    assert "In March people opened the links you shared 3 times." in carl.text
    for reply in (anna, bert, carl):
        _no_ranking(reply)
        assert [b.label for b in reply.buttons] in (["No more thank-yous"], ["Keine Dankesnachrichten mehr"])
    rows_ = await rows(core, ContentDelivery)
    assert {r.cycle for r in rows_} == {"thanks:2026-03"} and {r.kind for r in rows_} == {"thanks"}
    # The nudge job runs as well, every minute: nothing goes out twice.
    await content.nudge_job(core)
    assert len(h.sender.log) == 3
    # Next month: April's activity counts, March's does not.
    h.clock.now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)  # 1 May is a holiday, then the weekend
    await content.thanks_job(core)
    assert len(h.sender.log) == 3


async def test_two_cores_thank_each_person_once(any_core):
    core = any_core
    h = setup(core, thanks=THANKS)
    await thanks_crowd(core)
    other = build_core(core.settings, Database(core.settings.database_url))
    try:
        h2 = setup(other, h.clock, thanks=THANKS)
        h.clock.now = APRIL_1
        await asyncio.gather(content.thanks_job(core), content.thanks_job(other), content.thanks_job(core))
        everyone = sorted(u for u in [s.to for s in h.sender.log + h2.sender.log])
        assert everyone == ["U1", "U2", "U3"]
        assert await count(core, ContentRun) == 1
        assert await count(core, ContentDelivery, ContentDelivery.status == "sent") == 3
    finally:
        await other.db.dispose()


async def test_members_can_turn_the_thank_you_off_by_command_or_button(core):
    h = setup(core, thanks=THANKS)
    people = await thanks_crowd(core)
    [off] = await h.say(who("U1", "anna@example.com"), "danke aus")
    assert "keine Dankesnachrichten mehr" in off.text
    # Bert's thank-you is planned while he is in his quiet hours (his own: 09:00-12:00) ...
    async with core.db.session() as s:
        bert = await s.get(Person, people["bert"].id)
        bert.quiet_start, bert.quiet_end = "09:00", "12:00"
        await s.commit()
    h.clock.now = APRIL_1
    await content.thanks_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U3"]  # Anna opted out, Bert waits for the end of his quiet hours
    # ... and he turns it off before it goes out: it is not sent.
    [off] = await h.say(who("U2", "bert@example.com"), "thanks off")
    assert "no more thank-you messages" in off.text
    h.clock.now = datetime(2026, 4, 1, 10, 1, tzinfo=UTC)
    await content.thanks_job(core)
    assert sorted(u for u in [s.to for s in h.sender.log]) == ["U3"]
    assert {r.reason for r in await rows(core, ContentDelivery, ContentDelivery.status == "cancelled")} == {"opted_out"}
    # Carl presses the button under his thank-you: it stays, the button gives way to the confirmation.
    [carl] = h.received("U3")
    [pressed] = await h.press(who("U3", "carl@example.com"), "content.thanks_off", carl.buttons[0].value)
    assert pressed.update and pressed.buttons == [] and "In March people opened" in pressed.text
    assert "no more thank-you messages" in pressed.context
    [data] = await h.say(who("U3", "carl@example.com"), "my data")
    assert any("off; name shown to the comms lead: no; thank-yous received: 1" in f.value for f in data.fields)
    [on] = await h.say(who("U3", "carl@example.com"), "thanks on")
    assert "there is no ranking" in on.text


async def test_quiet_hours_in_the_members_own_time_zone_postpone_the_thank_you(any_core):
    core = any_core
    h = setup(core, thanks=THANKS)
    bert = await member(core, "U2", "bert@example.com", lang="en", tz="America/New_York")
    await activity(core, bert, shares=2)
    h.clock.now = APRIL_1  # 04:00 in New York
    await content.thanks_job(core)
    assert h.sender.log == []
    h.clock.now = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)  # 08:00 there
    await content.thanks_job(core)
    assert [u for u in [s.to for s in h.sender.log]] == ["U2"]


async def test_the_sie_form_and_a_full_name(core):
    core.settings.app.language.german_address = "sie"
    h = setup(core, thanks=THANKS)
    anna = await member(core, "U1", "anna@example.com", lang="de")
    async with core.db.session() as s:
        (await s.get(Person, anna.id)).display_name = "Anna Schmidt"
        await s.commit()
    await activity(core, anna, shares=1, clicks=1)
    h.clock.now = APRIL_1
    await content.thanks_job(core)
    [reply] = h.received("U1")
    assert reply.title == "Vielen Dank, Anna Schmidt!"
    assert "Im März haben Sie einen unserer Beiträge geteilt, und Ihre Links wurden einmal geöffnet." in reply.text
    assert "Danke, dass Sie sich die Zeit dafür nehmen" in reply.text and "nur Sie" in reply.context


async def test_the_lead_previews_how_many_and_names_only_who_agreed(core):
    h = setup(core, thanks={**THANKS, "enabled": False})
    await thanks_crowd(core)
    [agreed] = await h.say(who("U2", "bert@example.com"), "thanks public on")
    assert "may now see your name" in agreed.text
    [state] = await h.say(who("U2", "bert@example.com"), "danke öffentlich")
    assert ": yes." in state.text  # Bert reads English, whatever the command word
    h.clock.now = APRIL_1 - timedelta(days=1)
    [preview] = await h.say(who(), "content thanks preview")
    assert "3 members would get a personal thank-you for March 2026" in preview.text
    assert "switched off" in preview.text and preview.fields == []
    [named] = await h.say(who(), "content thanks preview --names")
    assert [(f.label, f.value) for f in named.fields] == [
        ("Named (they agreed)", "bert and 2 more who have not agreed to be named")]
    assert "anna" not in named.plain() and "carl" not in named.plain()
    # Members may not see it.
    [refused] = await h.say(who("U2", "bert@example.com"), "content thanks preview")
    assert "bert" not in refused.text and "Only" in refused.text
    # After this month's thank-you the preview is about the month running now.
    h.clock.now = APRIL_1 + timedelta(hours=1)
    [later] = await h.say(who(), "inhalte danke vorschau --namen")
    assert "bekämen 0 Mitglieder ein persönliches Dankeschön für April 2026" in later.text


async def test_drafts_that_begin_like_the_setting_go_to_the_answer_engine(core):
    h = setup(core, thanks=THANKS)
    await member(core, "U1", "anna@example.com", lang="de")
    [answer] = await h.say(who("U1", "anna@example.com"), "Danke an das ganze Team für die tolle Messe!")
    assert "Dankesnachricht" not in answer.plain() and answer.plain().strip()
    assert (await content._pref(core, (await rows(core, Person, Person.email == "anna@example.com"))[0].id)) is None
    [answer] = await h.say(who("U1", "anna@example.com"), "Thanks on behalf of the whole team!")
    assert "thank-you" not in answer.plain()


async def test_clicks_on_share_links_count_in_the_month_they_happen(core):
    h = setup(core, core_group_days_earlier=0)
    anna = await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "News")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [link] = await rows(core, ContentLink)
    for when in (MONDAY, datetime(2026, 3, 31, 21, 59, tzinfo=UTC), datetime(2026, 3, 31, 22, 0, tzinfo=UTC)):
        h.clock.now = when  # the last one is 00:00 on 1 April in Berlin
        assert await content.follow_link(core, link.token, "li", "Mozilla/5.0")
    assert await content.month_activity(core, "2026-03") == {anna.id: (0, 2)}
    assert await content.month_activity(core, "2026-04") == {anna.id: (0, 1)}


def test_the_thank_you_day_is_the_first_working_day_after_weekends_and_holidays(tmp_path):
    settings = make_settings(tmp_path)
    settings.app.content = {"thanks": {"enabled": True, "time": "10:00"}}
    cfg = content.content_config(settings).thanks
    assert content.working_day(cfg, 2026, 4) == datetime(2026, 4, 1).date()
    assert content.working_day(cfg, 2026, 5) == datetime(2026, 5, 4).date()  # Friday 1 May: a holiday
    assert content.working_day(cfg, 2027, 1) == datetime(2027, 1, 4).date()  # New Year on a Friday
    bavaria = content.content_config(make_settings(tmp_path)).thanks.model_copy(update={"holiday_region": "BY"})
    assert content.working_day(bavaria, 2027, 11) == datetime(2027, 11, 2).date()  # All Saints' Day
    assert content.working_day(cfg, 2027, 11) == datetime(2027, 11, 1).date()
    assert content.thanks_due(cfg, settings, APRIL_1) == ("2026-03", APRIL_1)
    assert content.thanks_due(cfg, settings, APRIL_1 - timedelta(seconds=1)) is None
    assert content.next_thanks(cfg, settings, APRIL_1 + timedelta(seconds=1))[0] == "2026-04"
    settings.app.content = {"thanks": {"holidays": "Atlantis"}}
    with pytest.raises(Exception) as err:
        content.content_config(settings)
    assert "content.thanks.holidays" in str(err.value)
    settings.app.content = {"thanks": {"holidays": "de", "holiday_region": "Mars"}}
    with pytest.raises(Exception) as err:
        content.content_config(settings)
    assert "'Mars' is not a region of DE" in str(err.value) and "BY" in str(err.value)
    settings.app.content = {"thanks": {"time": "25:00"}}
    with pytest.raises(Exception) as err:
        content.content_config(settings)
    assert "content.thanks.time" in str(err.value)


def test_ties_at_the_last_place_are_all_thanked():
    people = [Person(id=i, email=f"p{i}@example.com") for i in range(5)]
    ranked = content.choose_thanked([content.Thanked(p, shares=s, clicks=c, public=False) for p, (s, c) in
                                     zip(people, [(5, 0), (2, 1), (1, 2), (1, 2), (0, 1)], strict=True)],
                                    top=3, min_activity=2)
    assert [t.person.id for t in ranked] == [0, 1, 2, 3]


# -- privacy, configuration, command line -----------------------------------------------------------


async def test_my_data_shows_content_and_forget_me_removes_the_person(core):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "News")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [data] = await h.say(who("U1", "anna@example.com"), "my data")
    assert any("1 items received, 0 shared" in f.value for f in data.fields)
    await h.press(who("U1", "anna@example.com"), "forget.confirm")
    [link] = await rows(core, ContentLink)
    assert link.person_id is None and link.pseudonym
    assert (await rows(core, ContentDelivery))[0].person_id is None


def test_a_wrong_schedule_names_the_file_and_key(tmp_path):
    settings = make_settings(tmp_path)
    settings.app.content = {"schedule": "every monday"}
    with pytest.raises(Exception) as err:
        content.content_config(settings)
    assert "content.schedule" in str(err.value) and "cron" in str(err.value)


def test_due_waves_follow_the_cron_schedule_in_the_program_time_zone(tmp_path):
    settings = make_settings(tmp_path)
    settings.app.content = {"schedule": "30 9 * * MON", "core_group_days_earlier": 1}
    cfg = content.content_config(settings)
    assert content.due_waves(cfg, settings, MONDAY - timedelta(hours=20)) == [
        ("2026-03-30T07:30Z", "early", MONDAY - timedelta(days=1))]
    # Missed by more than catch_up_hours (the bot was down): the core group gets it with everyone.
    assert content.due_waves(cfg, settings, MONDAY - timedelta(minutes=1)) == []
    assert content.due_waves(cfg, settings, MONDAY) == [("2026-03-30T07:30Z", "main", MONDAY)]
    assert content.due_waves(cfg, settings, MONDAY + timedelta(hours=13)) == []
    # The week before the clocks change: 09:30 CET is 08:30 UTC.
    assert content.due_waves(cfg, settings, datetime(2026, 3, 23, 8, 30, tzinfo=UTC))[-1][0] == "2026-03-23T08:30Z"


def _cli(tmp_path: Path, monkeypatch, *args: str) -> int:
    import bot.app

    config = tmp_path / "app.yaml"
    if not config.exists():
        data = yaml.safe_load(Path("app.yaml").read_text())
        data["database"] = {"url": f"sqlite:///{tmp_path / 'cli.db'}"}
        data["content"] = {"public_url": "https://amb.example.com"}
        config.write_text(yaml.safe_dump(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return bot.app.main(["--config", str(config), *args])


def _cli_member(tmp_path: Path, email: str, user: str, *, quiet_from: timedelta, quiet_for: timedelta) -> None:
    """A member in the command line's database (UTC), with quiet hours from now + quiet_from, quiet_for long."""

    async def join() -> None:
        db = Database(f"sqlite:///{tmp_path / 'cli.db'}")
        try:
            async with db.session() as s:
                now = datetime.now(UTC)
                p = Person(email=email, language="en", is_member=True, joined_at=now, profile_checked_at=now,
                           timezone="UTC", quiet_start=(now + quiet_from).strftime("%H:%M"),
                           quiet_end=(now + quiet_from + quiet_for).strftime("%H:%M"))
                s.add(p)
                await s.flush()
                s.add(Identity(person_id=p.id, platform="slack", user_id=user))
                await s.commit()
        finally:
            await db.dispose()

    asyncio.run(join())


def test_command_line_add_import_list_retire_and_status(tmp_path, monkeypatch, capsys):
    assert _cli(tmp_path, monkeypatch, "content", "add", "--url", "https://example.com/a", "--title", "A",
                "--text-en", "Post A", "--until", "2099-01-01", "--approved") == 0
    assert "#1 A: approved" in capsys.readouterr().out
    assert _cli(tmp_path, monkeypatch, "content", "add", "--url", "nope", "--text-de", "x") == 1
    assert "not a web address" in capsys.readouterr().err
    sample = Path(__file__).resolve().parent.parent / "content.example.yaml"
    assert _cli(tmp_path, monkeypatch, "content", "import", str(sample)) == 0
    out = capsys.readouterr().out
    assert "imported 3" in out
    assert _cli(tmp_path, monkeypatch, "content", "import", str(sample)) == 0  # again: updated, not duplicated
    assert "updated 3" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("items:\n  - title: No link\n    text: {en: hi}\n  - url: https://example.com/ok\n    text: {de: Hallo}\n")
    assert _cli(tmp_path, monkeypatch, "content", "import", str(bad)) == 1
    captured = capsys.readouterr()
    assert "item 1" in captured.err and "needs a link" in captured.err and "imported 1" in captured.out
    assert _cli(tmp_path, monkeypatch, "content", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("#1    approved  all members") and listing[1].startswith("#2    pending")
    # With content.require_approval on (the default), imported items wait for the comms lead.
    assert _cli(tmp_path, monkeypatch, "content", "approve", "2") == 0
    assert "#2 Our new plant in Leipzig opens: approved" in capsys.readouterr().out
    assert _cli(tmp_path, monkeypatch, "content", "retire", "1") == 0
    assert "retired" in capsys.readouterr().out
    assert _cli(tmp_path, monkeypatch, "content", "retire", "99") == 1
    assert _cli(tmp_path, monkeypatch, "nudge", "status") == 0
    assert "no nudge has run yet" in capsys.readouterr().out.lower()
    assert _cli(tmp_path, monkeypatch, "nudge", "run", "--now") == 0
    out = capsys.readouterr().out
    assert "planned 0" in out
    assert _cli(tmp_path, monkeypatch, "content", "thanks", "--names") == 0
    out = capsys.readouterr().out
    assert "the monthly thank-you is off" in out and ": 0 members" in out and "named (they agreed): nobody" in out


def test_every_content_text_has_both_languages_and_a_sie_form():
    import string

    from bot.app import build_router
    from tests.test_i18n import _DU_WORDS

    router = build_router()
    for key in content.TEXTS:
        en = router.catalog.get(key, "en")
        fields = {name for _, name, _, _ in string.Formatter().parse(en) if name}
        for address in ("du", "sie"):
            de = router.catalog.get(key, "de", address)
            assert de.strip() and en.strip(), key
            assert {name for _, name, _, _ in string.Formatter().parse(de) if name} == fields, key
        assert not _DU_WORDS.search(router.catalog.get(key, "de", "sie")), key


async def test_the_leads_crisis_hold_pauses_the_weekly_nudge_and_the_lift_sends_it(core):
    # The real crisis module: the lead's one command pauses every nudge; lifting it lets them go.
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "Team event")
    h.clock.now = MONDAY - timedelta(minutes=5)
    [held] = await h.say(who(), "crisis hold recall -- Please wait for the official statement.")
    assert "hold" in held.plain().lower()
    h.clock.now = MONDAY
    await content.nudge_job(core)
    assert "Team event" not in text_of(h.received("U1"))
    await h.say(who(), "crisis lift")
    h.clock.advance(minutes=10)
    await content.nudge_job(core)
    assert titles([r for r in h.received("U1") if "Team event" in r.text]) == ["Team event"]


async def test_newest_first_and_among_the_same_days_items_the_least_shared_first(core):
    h = setup(core, core_group_days_earlier=0, max_items=2)
    sharers = [await member(core, f"U{i}", f"s{i}@example.com", lang="en") for i in range(3)]
    # Added later, so without the share counts it would come first.
    quiet = await add_item(core, "Not shared yet", days_ago=1)
    popular = await add_item(core, "Popular", days_ago=1)
    await add_item(core, "Older", days_ago=3)
    async with core.db.session() as s:
        # The three who shared the popular item got it before; they are not part of this run.
        for i, p in enumerate(sharers):
            s.add(ContentLink(token=f"tok{i}", item_id=popular.id, person_id=p.id, pseudonym=p.pseudonym,
                              shared_at=core.now()))
            p = await s.get(Person, p.id)
            p.is_member = False
        await s.commit()
    await member(core, "U9", "new@example.com", lang="en")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    # Two items at most: the newest day's, the one shared less first; the older one waits.
    assert titles(h.received("U9")) == ["Not shared yet", "Popular"]
    assert quiet.id < popular.id


def test_nudge_run_now_on_the_command_line_delivers_through_slack(tmp_path, monkeypatch, capsys):
    # The fake Slack Web API runs on a loop of its own: the command line runs its own loop, as it does for real.
    import threading

    from tests.fakes.slack import FakeSlack
    from tests.test_slack import slack_env

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    fake = asyncio.run_coroutine_threadsafe(FakeSlack().start(), loop).result(10)
    try:
        for key, value in slack_env(fake).items():
            monkeypatch.setenv(key, value)
        assert _cli(tmp_path, monkeypatch, "content", "add", "--url", "https://example.com/fair", "--title", "Fair",
                    "--text-en", "See you at the fair!", "--approved") == 0

        # Her quiet hours are a minute six hours from now: the run is never inside them.
        _cli_member(tmp_path, "anna@example.com", "U0ANNA", quiet_from=timedelta(hours=6),
                    quiet_for=timedelta(minutes=1))
        capsys.readouterr()
        assert _cli(tmp_path, monkeypatch, "nudge", "run", "--now") == 0
        out = capsys.readouterr().out
        assert "planned 1" in out and "sent 1," in out
        posts = [c for c in fake.called("chat.postMessage") if "See you at the fair!" in str(c)]
        assert len(posts) == 1
        assert _cli(tmp_path, monkeypatch, "nudge", "run", "--now") == 0  # again: nobody gets it twice
        assert len([c for c in fake.called("chat.postMessage") if "See you at the fair!" in str(c)]) == 1
    finally:
        asyncio.run_coroutine_threadsafe(fake.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)


def test_nudge_run_now_says_when_people_in_their_quiet_hours_get_it(tmp_path, monkeypatch, capsys):
    assert _cli(tmp_path, monkeypatch, "content", "add", "--url", "https://example.com/night", "--title", "Night",
                "--text-en", "Something to share", "--approved") == 0

    # Her quiet hours began an hour ago and end in an hour: the run plans her for their end.
    _cli_member(tmp_path, "nina@example.com", "U0NINA", quiet_from=-timedelta(hours=1), quiet_for=timedelta(hours=2))
    capsys.readouterr()
    assert _cli(tmp_path, monkeypatch, "nudge", "run", "--now") == 0
    out = capsys.readouterr().out
    assert "planned 1" in out
    assert "1 wait for the end of their quiet hours: they go out from" in out  # not a bare "sent 0"


# -- other capabilities' notes in the weekly nudge: the course's reminder ----------------------------


async def test_the_weekly_nudge_reminds_a_member_of_the_course_once_and_never_one_who_paused(core):
    h = setup(core, core_group_days_earlier=0)
    h.clock.now = MONDAY - timedelta(days=8)  # joined over a week before the nudge: the welcome offered the course
    await member(core, "U1", "anna@example.com", lang="en")
    await member(core, "U2", "bernd@example.com", lang="de")
    paused = await member(core, "U3", "carla@example.com", lang="en")
    done = await member(core, "U4", "dora@example.com", lang="en")
    await member(core, "U5", "emil@example.com", lang="en", joined=False)
    h.clock.now = MONDAY - timedelta(days=3)
    await member(core, "U6", "fritz@example.com", lang="en")  # joined three days ago: the welcome was enough
    async with core.db.session() as s:
        s.add(ContentPref(person_id=paused.id, frequency="pause"))
        s.add(CourseProgress(person_id=done.id, started_at=core.now(), finished_at=core.now()))
        await s.commit()
    await add_item(core, "Plant opening")
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [nudge] = h.received("U1")
    assert "You haven't taken the short course yet" in nudge.text and "only this once" in nudge.text
    start = next(b for b in nudge.buttons if b.action_id == "course.start")
    assert start.label == "Take the course"
    [nudge_de] = h.received("U2")
    assert "Den kurzen Kurs ha" in nudge_de.text and "Kurs starten" in [b.label for b in nudge_de.buttons]
    [finished] = h.received("U4")  # finished the course: the nudge, without the reminder
    assert "course" not in finished.text and "course.start" not in [b.action_id for b in finished.buttons]
    assert h.received("U3") == []  # paused: no nudge, so no reminder either
    [fritz] = h.received("U6")
    assert "short course" not in fritz.text
    # Sharing updates the message in place; the reminder stays on it.
    shared = next(b for b in nudge.buttons if b.action_id == "content.shared")
    [answer] = await h.press(who("U1", "anna@example.com"), "content.shared", shared.value)
    assert answer.update and "short course" in answer.text and "course.start" in [b.action_id for b in answer.buttons]
    # The button starts the course.
    [first_step, *_] = await h.press(who("U1", "anna@example.com"), "course.start", start.value)
    assert first_step.title == "Course, step 1 of 5: Confidential information"
    # Next week: a new item, and no reminder again.
    await add_item(core, "Team event", days_ago=0)
    h.clock.now = MONDAY + timedelta(days=7)
    await content.nudge_job(core)
    second = h.received("U1")[-1]
    assert "Team event" in second.text and "short course" not in second.text
    assert "course.start" not in [b.action_id for b in second.buttons]
    # Carla takes nudges again: her first nudge has the reminder (she was never reminded while paused).
    async with core.db.session() as s:
        assert await s.get(CourseReminder, paused.id) is None
        (await s.get(ContentPref, paused.id)).frequency = "weekly"
        await s.commit()
    h.clock.now = MONDAY + timedelta(days=14)
    await add_item(core, "Open day", days_ago=0)
    await content.nudge_job(core)
    [carla] = h.received("U3")
    assert "short course" in carla.text


async def test_a_failing_nudge_note_leaves_the_nudge_going_out_without_it(core, caplog):
    h = setup(core, core_group_days_earlier=0)
    h.clock.now = MONDAY - timedelta(days=8)
    await member(core, "U1", "anna@example.com", lang="en")
    h.clock.now = MONDAY - timedelta(days=3)
    await add_item(core, "Plant opening")

    async def broken(core, people):
        raise RuntimeError("boom")

    core.router.nudge_notes.insert(0, broken)
    h.clock.now = MONDAY
    await content.nudge_job(core)
    [nudge] = h.received("U1")
    assert "Plant opening" in nudge.text and "short course" in nudge.text  # the course's note still came
    assert "nudge note failed" in caplog.text
