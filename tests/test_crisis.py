"""Crisis reports and escalation at the core: fake senders, a controllable clock, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import update
from sqlmodel import select

from bot import notify
from bot.app import build_core
from bot.config import ConfigError, load_settings
from bot.core import Core
from bot.messages import Attachment, Reply
from handlers import crisis
from storage.models import Person, aware
from storage.models_crisis import CrisisAttempt, CrisisEvent, CrisisReport, Hold
from tests.clock import Clock
from tests.conftest import EMPLOYEE_EMAIL, LEAD_EMAIL, make_settings
from tests.harness import BEN, EMMA, ERIK, FELIX, GUSTAV, LEA, Harness, Recorder, Who, only

BACKUP_EMAIL = "ben.backup@example.com"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Berlin

TRUCK = "crisis A video of our truck accident is going viral on TikTok https://www.tiktok.com/@someone/video/7300"


def alerts(h: Harness, who: Who) -> list[Reply]:
    """The crisis alerts the bot sent ``who``."""
    return [r for r in h.received(who) if "Crisis report" in (r.title or "") or "Krisenmeldung" in (r.title or "")]


async def make_bot(core: Core, crisis_section: dict | None = None, clock: Clock | None = None,
                   sender: Recorder | None = None) -> Harness:
    """The harness on a crisis policy; the rota and a few others have written to the bot before, in English."""
    if crisis_section is not None:
        core.settings.app.crisis = crisis_section
    # A refused send reads as Slack's answer for a deactivated account.
    h = Harness(core, now=START, clock=clock, sender=sender or Recorder(error="account_inactive"), lang=None)
    for who in (LEA, BEN, ERIK, EMMA, FELIX):
        await choose_language(h, who, "en")
    return h


async def choose_language(h: Harness, who: Who, language: str | None) -> None:
    """``who``, whom the bot knows, chose ``language`` (None: no choice, the message's language counts)."""
    person = await h.core.person_for(h.incoming(who))
    async with h.core.db.session() as s:
        row = await s.get(Person, person.id)
        row.language = language
        await s.commit()


async def file_report(h: Harness, text: str = TRUCK, who: Who = ERIK) -> CrisisReport:
    """``who`` reports; the alerts go out; the stored report."""
    [receipt] = await h.say(who, text)
    ref = receipt.title.split()[1]
    await crisis.settle(h.core)
    return await load(h, ref)


async def load(h: Harness, ref: str) -> CrisisReport:
    async with h.core.db.session() as s:
        return (await s.exec(select(CrisisReport).where(CrisisReport.ref == ref))).one()


async def trail_of(h: Harness, ref: str) -> str:
    return "\n".join(text for _, text in await crisis.trail(h.core, await load(h, ref)))


async def tick(h: Harness, **kw: float) -> int:
    """Time passes; the due escalation steps run and settle; how many ran."""
    h.clock.advance(**kw)
    count = await crisis.run_due(h.core)
    await crisis.settle(h.core)
    return count


@pytest.fixture
async def bot(any_core) -> Harness:
    return await make_bot(any_core)


@pytest.fixture
async def lite(core) -> Harness:
    """SQLite only, for tests that are about behaviour rather than storage."""
    return await make_bot(core)


# -- reporting ----------------------------------------------------------------------------------


async def test_a_one_message_report_is_stored_before_the_receipt_and_alerts_the_lead(bot: Harness):
    stored_when_answered: list[int] = []

    async def answer(replies: list[Reply]) -> None:
        stored_when_answered.append(await bot.count(CrisisReport))
        answer.replies = replies  # type: ignore[attr-defined]

    await bot.core.handle(bot.incoming(ERIK, text=TRUCK, event_id="EvTruck"), answer)
    assert stored_when_answered == [1]
    [receipt] = answer.replies  # type: ignore[attr-defined]
    assert receipt.title == "Report K-2026-0001 received: comms has been alerted"
    text = receipt.plain()
    for rule in ("do not engage", "do not delete", "do not comment"):
        assert rule in text
    assert "Your reference: *K-2026-0001*" in text
    assert "Severity: high (proposed; change it below)" in text
    assert "Where: TikTok https://www.tiktok.com/@someone/video/7300" in text
    assert [b.label for b in receipt.buttons] == ["Low", "Medium", "High", "Critical", "Add details"]
    assert [b.style for b in receipt.buttons][:4] == [None, None, "primary", None]

    await crisis.settle(bot.core)
    [alert] = bot.received(LEA)
    assert alert.title == "🚨 Crisis report K-2026-0001: severity high"
    assert "truck accident is going viral" in alert.text
    assert [b.label for b in alert.buttons] == ["Acknowledge", "Resolve", "Hand over"]
    assert all(b.value["ref"] == "K-2026-0001" for b in alert.buttons)
    plain = alert.plain()
    assert "Reported by: Erik Employee <erik.employee@example.com>" in plain
    assert "Escalation: level 1 of 2, round 1 of 3" in plain
    assert "next level in 10 min" in plain
    assert bot.received(BEN) == []
    report = await load(bot, "K-2026-0001")
    assert report.status == "open" and report.step == 1 and report.severity == "high" and report.place == "TikTok"
    trail = await trail_of(bot, "K-2026-0001")
    assert "reported by Erik Employee" in trail and "severity high proposed" in trail
    assert "alerted level 1, round 1: comms_lead = Lea Lead" in trail and "via chat (slack)" in trail


async def test_the_receipt_is_in_the_reporters_language(lite: Harness):
    await choose_language(lite, ERIK, None)  # no language chosen: the report's own language counts
    [receipt] = await lite.say(ERIK, "krise Ein Video von unserem Unfall geht gerade auf Facebook viral, bitte helft")
    text = receipt.plain()
    assert receipt.title.startswith("Meldung K-2026-0001 ist eingegangen")
    assert "nicht einsteigen" in text and "nichts löschen" in text and "nicht kommentieren" in text
    assert "Dringlichkeit: hoch" in text and "Wo: Facebook" in text
    await crisis.settle(lite.core)
    [alert] = alerts(lite, LEA)  # Lea chose English
    assert alert.title == "🚨 Crisis report K-2026-0001: severity high"
    await choose_language(lite, LEA, None)  # without a choice: the program's default language (de)
    await tick(lite, minutes=10, seconds=1)
    await tick(lite, minutes=10, seconds=1)
    assert alerts(lite, LEA)[-1].title == "🚨 Krisenmeldung K-2026-0001: Dringlichkeit hoch"
    assert "Stufe 1 von 2, Runde 2 von 3" in alerts(lite, LEA)[-1].plain()


async def test_severity_is_proposed_from_keywords_and_changed_with_the_buttons(lite: Harness):
    assert crisis.propose_severity("A journalist from the local paper called me") == "high"
    assert crisis.propose_severity("Zwei Kollegen wurden bei dem Brand verletzt") == "critical"
    assert crisis.propose_severity("Someone posted an angry complaint") == "medium"
    assert crisis.propose_severity("The pressure is on, impressive work") == "medium"  # no 'press' inside words
    [receipt] = await lite.say(ERIK, "crisis a customer is unhappy on LinkedIn")
    sev = next(b for b in receipt.buttons if b.label == "Critical")
    [answer] = await lite.press(ERIK, sev.action_id, {"_lang": "en"} | sev.value)
    assert answer.text == "Severity of K-2026-0001 is now *critical*."
    assert (await load(lite, "K-2026-0001")).severity == "critical"
    # Someone else can't change another person's report (it is unknown to them); the policy's people can.
    [refused] = await lite.press(EMMA, "crisis.severity", ref="K-2026-0001", severity="low", _lang="en")
    assert refused.text == "I know no crisis report “K-2026-0001”. References look like K-2026-0042."
    assert (await load(lite, "K-2026-0001")).severity == "critical"
    only(await lite.press(LEA, "crisis.severity", ref="K-2026-0001", severity="high", _lang="en"))
    assert "severity changed by Erik Employee" in await trail_of(lite, "K-2026-0001")
    assert "severity changed by Lea Lead" in await trail_of(lite, "K-2026-0001")
    # Lea, alerted at "medium", heard of Erik's change to critical; nobody hears of their own change.
    await crisis.settle(lite.core)
    assert [r.text for r in lite.received(LEA) if "changed the severity" in (r.text or "")] == [
        "K-2026-0001: Erik Employee changed the severity from medium to critical."]
    assert not [r for r in lite.received(ERIK) if "changed the severity" in (r.text or "")]


async def test_details_are_added_with_a_follow_up(lite: Harness):
    [receipt] = await lite.say(ERIK, "crisis someone leaked our roadmap")
    [how] = await lite.press(ERIK, "crisis.add", {"_lang": "en"} | receipt.buttons[-1].value)
    assert "crisis add K-2026-0001" in how.text
    [added] = await lite.say(ERIK, "crisis add K-2026-0001 it is on reddit now https://reddit.com/r/x/1")
    assert added.text == "Added to K-2026-0001. Thank you."
    report = await load(lite, "K-2026-0001")
    assert "on reddit now" in report.text and report.links == ["https://reddit.com/r/x/1"]
    assert report.place == "Reddit"


async def test_a_duplicate_delivery_or_a_second_run_of_the_handler_makes_one_report(bot: Harness):
    first = await bot.handle(bot.incoming(ERIK, text=TRUCK, event_id="EvDup"))
    again = await bot.handle(bot.incoming(ERIK, text=TRUCK, event_id="EvDup"))  # the platform's retry: dropped by the core
    assert len(first) == 1 and again == []
    # The handler itself run twice for one message (recovery after a crash): still one report.
    rerun = await bot.core.dispatch(bot.incoming(ERIK, text=TRUCK, event_id="EvDup"))
    assert rerun[0].title == first[0].title
    together = await asyncio.gather(*(bot.core.dispatch(bot.incoming(ERIK, text=TRUCK, event_id="EvTwice")) for _ in range(3)))
    # One report; the receipts may differ only in how far its alert has got ("being alerted" / "alerted").
    assert len({r[0].title.split()[1] for r in together}) == 1
    await crisis.settle(bot.core)
    assert await bot.count(CrisisReport) == 2
    assert len(alerts(bot, LEA)) == 2


async def test_many_reports_at_once_are_each_stored_once_and_alerted_once(bot: Harness):
    # Employees the bot has never seen, all at once: what a viral video brings.
    people = [Who(f"U0R{i}", f"reporter{i}@example.com", f"Reporter {i}") for i in range(30)]
    receipts = await asyncio.gather(*(bot.say(who, f"{TRUCK}{i}", event_id=f"EvBurst{i}") for i, who in enumerate(people)))
    refs = [r.title.split()[1] for [r] in receipts]
    assert len(set(refs)) == 30
    await crisis.settle(bot.core)
    assert sorted(r.title.split()[3].rstrip(":") for r in alerts(bot, LEA)) == sorted(refs)
    assert await bot.count(CrisisReport) == 30
    assert await bot.count(CrisisAttempt, CrisisAttempt.status == "sent") == 30
    assert await bot.count(CrisisReport, CrisisReport.step == 1, CrisisReport.claim_token.is_(None)) == 30
    for i, ref in enumerate(refs[:3]):
        trail = await trail_of(bot, ref)
        assert f"reported by Reporter {i}" in trail and "alerted level 1, round 1: comms_lead = Lea Lead" in trail
    assert bot.received(BEN) == []


async def test_the_receipt_follows_the_first_alert_but_never_waits_long_for_it(lite: Harness, monkeypatch):
    alerts_at_receipt: list[int] = []

    async def answer(replies: list[Reply]) -> None:
        alerts_at_receipt.append(len(alerts(lite, LEA)))

    await lite.core.handle(lite.incoming(ERIK, text=TRUCK, event_id="EvFirst"), answer)
    assert alerts_at_receipt == [1]  # comms first

    monkeypatch.setattr(crisis.chat, "RECEIPT_AFTER", 0.05)
    lite.sender.gate = asyncio.Event()  # the platform hangs on the alert ...
    await lite.core.handle(lite.incoming(ERIK, text="crisis a journalist called", event_id="EvSecond"), answer)
    assert alerts_at_receipt == [1, 1]  # ... the reporter is answered all the same
    lite.sender.gate.set()
    await crisis.settle(lite.core)
    assert len(alerts(lite, LEA)) == 2


async def test_a_slow_first_alert_is_not_sent_again_by_the_job_while_it_is_still_on_its_way(lite: Harness, monkeypatch):
    monkeypatch.setattr(crisis.jobs, "FIRST_CLAIM_RENEW", 0.02)
    monkeypatch.setattr(crisis.chat, "RECEIPT_AFTER", 0.05)
    lite.sender.gate = asyncio.Event()  # the platform takes long over the lead's alert (a 429 with a long wait)
    [receipt] = await lite.say(ERIK, TRUCK, event_id="EvSlow")
    ref = receipt.title.split()[1]

    async def renewed_past(deadline) -> None:
        for _ in range(200):
            claim = (await load(lite, ref)).claim_until
            if claim is not None and aware(claim) >= deadline:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the first alert's claim was not renewed")

    for _ in range(6):  # 30 s on the clock, well past the first claim's 15 s
        lite.clock.advance(seconds=5)
        await renewed_past(lite.clock() + timedelta(seconds=10))
        await crisis.run_due(lite.core)  # every replica's job looks for due escalations meanwhile
    lite.sender.gate.set()
    await crisis.settle(lite.core)
    assert len(alerts(lite, LEA)) == 1
    assert "stopped while sending" not in await trail_of(lite, ref)
    assert "alerted level 1, round 1: comms_lead = Lea Lead" in await trail_of(lite, ref)


async def test_shortcut_and_report_button_from_another_capability(lite: Harness):
    [answer] = await lite.handle(lite.incoming(
        ERIK, text="Our CEO is being roasted in the replies, should I jump in?", action="crisis.report",
        source="shortcut", event_id="EvShortcut",
        values={"text": "Our CEO is being roasted in the replies, should I jump in?",
                "permalink": "https://example.slack.com/archives/C1/p1700000000000100"}))
    assert answer.private and answer.title.startswith("Report K-2026-0001 received")
    report = await load(lite, "K-2026-0001")
    assert report.source == "shortcut" and report.permalink.endswith("p1700000000000100")
    # The answer engine's button carries the question it was asked.
    [button] = await lite.press(ERIK, "crisis.report", text="A shitstorm about our ad campaign on X", _lang="en")
    assert button.title.startswith("Report K-2026-0002 received")
    assert (await load(lite, "K-2026-0002")).severity == "high"
    await crisis.settle(lite.core)
    [alert] = [r for r in alerts(lite, LEA) if "K-2026-0001" in r.title]
    assert "Reported message: https://example.slack.com/archives/C1/p1700000000000100" in alert.plain()


async def test_bad_input_is_stored_or_refused_clearly(lite: Harness):
    [empty] = await lite.say(ERIK, "crisis")
    assert empty.text.startswith("What happened? Write *crisis* and one sentence")
    # 40,000 characters: never refused (the reporter may not be able to shorten it), the first 20,000
    # kept and the reporter told; a link at the very end still reaches comms.
    [huge] = await lite.say(ERIK, "crisis " + "x" * 39_950 + " https://x.com/someone/status/1")
    assert huge.title.startswith("Report K-2026-0001 received")
    assert "comms has its first 20,000 characters (19,981 more were not kept)" in huge.text
    stored = await load(lite, "K-2026-0001")
    assert len(stored.text) == 20_000 and stored.links == ["https://x.com/someone/status/1"]
    # The shortcut on someone else's long message: the same.
    [shortcut] = await lite.press(ERIK, "crisis.report", text="y" * 40_000, _lang="en")
    assert shortcut.title.startswith("Report K-2026-0002 received") and "20,000 more were not kept" in shortcut.text
    # Anything else that long is still refused, with the reason.
    [other] = await lite.say(ERIK, "May I post this? " + "z" * 40_000)
    assert "40,017 characters" in other.text and "at most 12,000" in other.text
    assert await lite.count(CrisisReport) == 2
    await crisis.settle(lite.core)
    assert sum(1 for r in alerts(lite, LEA) if "K-2026-0001" in r.title or "K-2026-0002" in r.title) == 2
    [long] = await lite.say(ERIK, "crisis " + "viral " * 1_990)  # just under the core's limit: stored whole
    assert long.title.startswith("Report K-2026-0003 received") and "not kept" not in long.text
    assert len((await load(lite, "K-2026-0003")).text) == len(("viral " * 1_990).strip())
    shot = Attachment(name="screenshot.heic", content_type="image/heic", url="https://files.example/s.heic")
    [only] = await lite.say(ERIK, "crisis", attachments=[shot])
    assert only.title.startswith("Report K-2026-0004 received")
    assert "I can't open screenshot.heic, but it is stored with the report" in only.text
    report = await load(lite, "K-2026-0004")
    assert report.attachments == [{"name": "screenshot.heic", "content_type": "image/heic",
                                   "url": "https://files.example/s.heic"}]
    await crisis.settle(lite.core)
    alert = lite.received(LEA)[-1].plain()
    assert "(no description)" in alert and "screenshot.heic (https://files.example/s.heic)" in alert


async def test_anyone_employed_may_report_but_guests_cannot(lite: Harness):
    await _members(lite, EMMA)
    assert only(await lite.say(EMMA, TRUCK)).title.startswith("Report K-2026-0001")  # a member
    assert only(await lite.say(ERIK, TRUCK)).title.startswith("Report K-2026-0002")  # an employee, not a member
    [refused] = await lite.say(GUSTAV, TRUCK)
    assert "Guests and people from other organisations can't use “crisis”" in refused.text
    assert await lite.count(CrisisReport) == 2


# -- escalation ----------------------------------------------------------------------------------


async def test_no_acknowledgement_climbs_to_the_backup_and_an_acknowledgement_stops_it(bot: Harness):
    report = await file_report(bot)
    assert len(alerts(bot, LEA)) == 1
    assert await tick(bot, minutes=9) == 0 and alerts(bot, BEN) == []
    await tick(bot, minutes=1, seconds=1)
    [to_ben] = alerts(bot, BEN)
    assert "level 2 of 2, round 1 of 3" in to_ben.plain()
    [answer] = await bot.press(BEN, "crisis.ack", {"_lang": "en"} | to_ben.buttons[0].value)
    assert answer.text.startswith(f"You have {report.ref}. The escalation has stopped")
    told = [r.text for r in bot.received(ERIK)]
    assert told == [f"Your crisis report {report.ref} was taken by Ben Backup at 2026-03-02 10:10. "
                    "They may contact you; until then: do not engage, do not delete, do not comment."]
    assert bot.received(LEA)[-1].text == f"{report.ref} is taken by Ben Backup; no need to act."
    before = len(bot.sender.log)
    for _ in range(6):
        await tick(bot, minutes=10)
    assert len(bot.sender.log) == before  # the climb stopped
    report = await load(bot, report.ref)
    assert report.status == "acknowledged" and report.next_at is None
    trail = await trail_of(bot, report.ref)
    assert trail.index("alerted level 1") < trail.index("alerted level 2") < trail.index("acknowledged by Ben Backup")
    assert "reporter told" in trail


async def test_the_climb_repeats_for_the_configured_rounds_then_ends_in_the_trail(core):
    lite = await make_bot(core, {"rounds": 2, "levels": [{"who": "comms_lead", "timeout": 5},
                                                         {"who": ["backup"], "timeout": 5}]})
    report = await file_report(lite)
    for _ in range(6):
        await tick(lite, minutes=5, seconds=1)
    assert len(alerts(lite, LEA)) == 2 and len(alerts(lite, BEN)) == 2
    assert "round 2 of 2" in alerts(lite, BEN)[-1].plain()
    # Only the very last alert says that nobody comes after; the ones before name the next level's minutes.
    assert "This is the last alert" in alerts(lite, BEN)[-1].plain()
    assert all("next level in 5 min" in a.plain() for a in [*alerts(lite, LEA), alerts(lite, BEN)[0]])
    assert "escalation ended: 2 rounds over 2 levels without acknowledgement" in await trail_of(lite, report.ref)
    assert (await load(lite, report.ref)).next_at is None
    # The reporter does not wait for an answer that will not come: they hear whom to call.
    [told] = [r for r in lite.received(ERIK) if "Nobody in comms has acknowledged" in r.text]
    assert report.ref in told.text and f"call them directly: {LEAD_EMAIL}, {BACKUP_EMAIL}" in told.text
    assert "reporter told (unanswered)" in await trail_of(lite, report.ref)


async def test_a_delivery_error_at_level_one_alerts_level_two_at_once(bot: Harness):
    bot.sender.fail_for.add(LEA.user)  # the platform refuses: account deactivated, workspace down
    report = await file_report(bot)
    [to_ben] = alerts(bot, BEN)  # no clock moved
    assert "level 2 of 2" in to_ben.plain()
    trail = await trail_of(bot, report.ref)
    assert "delivery failed: level 1, round 1: comms_lead via chat: slack: account_inactive" in trail
    assert "nobody reached at level 1, round 1 (1 targets): next level alerted at once" in trail
    async with bot.core.db.session() as s:
        attempts = (await s.exec(select(CrisisAttempt).order_by(CrisisAttempt.id))).all()
    assert [(a.step, a.status) for a in attempts] == [(0, "failed"), (1, "sent")]


async def test_a_lead_deactivated_on_the_platform_is_skipped_at_once(lite: Harness):
    await lite.core.deactivate("slack", LEA.user)
    report = await file_report(lite)
    assert alerts(lite, LEA) == [] and len(alerts(lite, BEN)) == 1
    assert "lea.lead@example.com is deactivated" in await trail_of(lite, report.ref)


async def test_crisis_alerts_ignore_quiet_hours(lite: Harness):
    async with lite.core.db.session() as s:
        lea = (await s.exec(select(Person).where(Person.email == LEAD_EMAIL))).one()
        lea.quiet_start, lea.quiet_end = "00:00", "23:59"
        await s.commit()
    await file_report(lite)
    assert len(alerts(lite, LEA)) == 1


async def test_outside_office_hours_another_policy_applies(core):
    section = {
        "office_hours": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"},
        "levels": [{"who": "comms_lead", "timeout": 10}],
        "outside_office_hours": {"rounds": 1, "levels": [{"who": ["backup"], "timeout": 30},
                                                        {"who": ["comms_lead"], "timeout": 30}]},
    }
    saturday = Clock(datetime(2026, 3, 7, 22, 0, tzinfo=UTC))
    bot = await make_bot(core, section, clock=saturday)
    report = await file_report(bot)
    assert report.policy == "outside"
    assert len(alerts(bot, BEN)) == 1 and alerts(bot, LEA) == []
    await tick(bot, minutes=31)
    assert len(alerts(bot, LEA)) == 1
    bot.clock.now = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # Monday morning
    assert (await file_report(bot)).policy == "office"


async def test_someone_outside_the_policy_pressing_acknowledge_is_refused(lite: Harness):
    bot = lite
    report = await file_report(bot)
    for user in (ERIK, EMMA):
        [refused] = await bot.press(user, "crisis.ack", ref=report.ref, _lang="en")
        assert refused.text.startswith(f"I know no crisis report “{report.ref}”")
    [refused] = await bot.press(EMMA, "crisis.resolve", ref=report.ref, note="done", _lang="en")
    assert refused.text.startswith(f"I know no crisis report “{report.ref}”")
    assert (await load(bot, report.ref)).status == "open"
    await tick(bot, minutes=10, seconds=1)
    assert len(alerts(bot, BEN)) == 1  # still climbing


async def test_resolve_asks_for_a_note_and_an_acknowledgement_of_a_resolved_report_is_answered_clearly(lite: Harness):
    report = await file_report(lite)
    [ask] = await lite.press(LEA, "crisis.resolve", ref=report.ref, _lang="en")
    assert ask.text.startswith(f"What was done? Write *crisis resolve {report.ref}* and a note")
    assert (await load(lite, report.ref)).status == "open"
    [done] = await lite.say(LEA, f"crisis resolve {report.ref} statement published, video taken down by the author")
    assert done.text == f"{report.ref} is resolved. The trail keeps your note."
    assert lite.received(ERIK)[-1].text.startswith(f"Your crisis report {report.ref} is resolved")
    [late] = await lite.press(BEN, "crisis.ack", ref=report.ref, _lang="en")
    assert late.text == (f"{report.ref} is already resolved (2026-03-02 10:00, by Lea Lead); nothing to acknowledge. "
                         "Note: statement published, video taken down by the author")
    [again] = await lite.say(LEA, f"crisis resolve {report.ref} twice")
    assert "already resolved" in again.text
    assert "resolved by Lea Lead (P-" in await trail_of(lite, report.ref)
    assert "; note: statement published, video taken down by the author" in await trail_of(lite, report.ref)
    [unknown] = await lite.press(LEA, "crisis.ack", ref="K-2026-9999", _lang="en")
    assert unknown.text.startswith("I know no crisis report “K-2026-9999”")


async def test_resolve_without_a_note_and_acknowledging_twice(lite: Harness):
    report = await file_report(lite)
    [first] = await lite.say(LEA, f"crisis ack {report.ref}")
    assert first.text.startswith(f"You have {report.ref}")
    assert only(await lite.press(LEA, "crisis.ack", ref=report.ref, _lang="en")).text == f"You have {report.ref} already."
    [taken] = await lite.press(BEN, "crisis.ack", ref=report.ref, _lang="en")
    assert taken.text == f"{report.ref} was taken by Lea Lead at 2026-03-02 10:00."
    [ask] = await lite.press(LEA, "crisis.resolve", ref=report.ref, _lang="en")
    [closed] = await lite.press(LEA, ask.buttons[0].action_id, {"_lang": "en"} | ask.buttons[0].value)
    assert closed.text == f"{report.ref} is resolved. The trail keeps your note."
    assert "; no note" in await trail_of(lite, report.ref)
    [shown] = await lite.say(LEA, f"crisis show {report.ref}")
    assert shown.title == f"{report.ref}: resolved, high" and "*Trail*" in shown.text
    assert "acknowledged by Lea Lead" in shown.text
    [listed] = await lite.say(BEN, "crisis list")
    assert listed.fields[0].label == report.ref and "high · resolved" in listed.fields[0].value
    assert only(await lite.say(ERIK, "crisis list")).text.startswith("Only the people on the crisis rota see crisis reports")


async def test_hand_over_to_another_person_in_the_policy(lite: Harness):
    report = await file_report(lite)
    [pick] = await lite.press(LEA, "crisis.handover", ref=report.ref, _lang="en")
    assert pick.text == f"Hand {report.ref} over to whom?"
    assert [b.label for b in pick.buttons] == [BACKUP_EMAIL]
    [done] = await lite.press(LEA, pick.buttons[0].action_id, {"_lang": "en"} | pick.buttons[0].value)
    assert done.text == f"{report.ref} is now with Ben Backup; they have been told."
    [to_ben] = lite.received(BEN)
    assert to_ben.title == f"Lea Lead handed crisis report {report.ref} over to you"
    report = await load(lite, report.ref)
    assert report.status == "acknowledged" and report.next_at is None
    assert "handed over by Lea Lead" in await trail_of(lite, report.ref) and "to Ben Backup" in await trail_of(lite, report.ref)
    [outsider] = await lite.say(BEN, f"crisis handover {report.ref} erik.employee@example.com")
    assert outsider.text.startswith("erik.employee@example.com is not in the crisis policy")
    assert only(await lite.press(ERIK, "crisis.handover", ref=report.ref, _lang="en")).text.startswith(
        f"I know no crisis report “{report.ref}”")


async def test_a_hand_over_racing_a_resolve_leaves_the_report_resolved(lite: Harness):
    report = await file_report(lite)
    notify = lite.core.notify

    async def resolved_meanwhile(person_id, replies, **kw):
        # Ben resolves it on another replica while Lea's hand-over alert is on its way to him.
        async with lite.core.db.session() as s:
            await s.execute(update(CrisisReport).where(CrisisReport.id == report.id).values(
                status="resolved", resolved_at=lite.clock(), resolution_note="false alarm"))
            await s.commit()
        return await notify(person_id, replies, **kw)

    lite.core.notify = resolved_meanwhile
    [answer] = await lite.say(LEA, f"crisis handover {report.ref} {BACKUP_EMAIL}")
    lite.core.notify = notify
    assert answer.text.startswith(f"{report.ref} is already resolved") and "false alarm" in answer.text
    assert (await load(lite, report.ref)).status == "resolved"
    assert "handed over" not in await trail_of(lite, report.ref)


async def test_a_level_may_post_to_a_channel(core):
    bot = await make_bot(core, {"levels": [{"who": "comms_lead", "channel": "slack:C0CRISIS", "timeout": 5}]})
    report = await file_report(bot)
    [(channel, post, user)] = [(s.to, s.reply, s.user) for s in bot.sender.log if s.to in bot.sender.to_channel]
    assert channel == "C0CRISIS" and user is None and report.ref in post.title
    assert len(alerts(bot, LEA)) == 1


# -- who reads crisis reports (issue 11, item 8) ------------------------------------------------------

# The policy names Emma in office hours and Felix outside them; Ben holds the backup role but no level
# names it; Lea is the comms lead, named nowhere either.
ROTA_POLICY = {
    "office_hours": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"},
    "levels": [{"who": ["emma.core@example.com"], "timeout": 10}],
    "outside_office_hours": {"levels": [{"who": ["felix.core@example.com"], "timeout": 10}]},
}
UNKNOWN_REF = "K-2026-0999"


def _as_seen(reply: Reply, ref: str) -> str:
    """Everything a reply shows, with the reference asked about written as <REF>."""
    return repr(reply).replace(ref, "<REF>")


async def test_crisis_reports_read_only_by_the_policy(core):
    bot = await make_bot(core, ROTA_POLICY)
    report = await file_report(bot)
    # On the rota: every level of both policies (outside office hours too) and the comms lead.
    for user in (EMMA, FELIX, LEA):
        [listed] = await bot.say(user, "crisis list")
        assert [f.label for f in listed.fields] == [report.ref], user
        [shown] = await bot.say(user, f"crisis show {report.ref}")
        assert shown.title == f"{report.ref}: open, high" and "*Trail*" in shown.text, user
    # Off the rota: the backup the policy leaves out, a member of the core group, the reporter.
    for user in (BEN, ERIK):
        [listed] = await bot.say(user, "crisis list")
        assert listed.text == ("Only the people on the crisis rota see crisis reports, and you are not on it. "
                               "To report a crisis, write *crisis* and what happened."), user
        assert not listed.fields
    [shown] = await bot.say(BEN, f"crisis show {report.ref}")
    assert report.text not in repr(shown) and "Trail" not in repr(shown)
    [refused] = await bot.say(BEN, "crisis hold recall -- please do not post")
    assert refused.text.startswith("Only the people in the crisis escalation policy can hold or release posting")
    assert await crisis.active_holds(bot.core) == []
    # In the asker's language, in both forms of address.
    await choose_language(bot, BEN, "de")
    [german] = await bot.say(BEN, "krise liste")
    assert german.text.startswith("Nur wer im Krisen-Bereitschaftsplan steht, sieht Krisenmeldungen, und du stehst")
    bot.core.settings.app.language.german_address = "sie"
    assert "und Sie stehen nicht darin" in only(await bot.say(BEN, "krise liste")).text
    # The reporter still sees their own report (the receipt, not the trail) and may change it.
    [own] = await bot.say(ERIK, f"crisis show {report.ref}")
    assert own.title == f"Your report {report.ref}: open"
    assert "do not engage" in own.text and "Trail" not in repr(own)
    [changed] = await bot.press(ERIK, "crisis.severity", ref=report.ref, severity="critical", _lang="en")
    assert changed.text == f"Severity of {report.ref} is now *critical*."
    # Acting is reading too: only the rota acknowledges, and the lead not named in the policy may.
    assert only(await bot.press(BEN, "crisis.ack", ref=report.ref, _lang="en")).text.startswith(  # Ben now reads German
        f"Eine Krisenmeldung „{report.ref}“ kenne ich nicht.")
    assert (await load(bot, report.ref)).status == "open"
    [acked] = await bot.press(LEA, "crisis.ack", ref=report.ref, _lang="en")
    assert acked.text.startswith(f"You have {report.ref}")
    [pick] = await bot.press(LEA, "crisis.handover", ref=report.ref, _lang="en")
    assert sorted(b.label for b in pick.buttons) == ["emma.core@example.com", "felix.core@example.com"]


async def test_unknown_and_forbidden_references_get_the_same_answer(core):
    bot = await make_bot(core, ROTA_POLICY)
    report = await file_report(bot, who=EMMA)  # reported by someone else than the two who probe
    ref = report.ref
    typed = ["crisis show {ref}", "crisis ack {ref}", "crisis resolve {ref} handled", "crisis handover {ref}",
             "crisis handover {ref} ben.backup@example.com", "crisis severity {ref} low", "crisis add {ref} more"]
    pressed = [("crisis.ack", {}), ("crisis.resolve", {"note": "done"}), ("crisis.resolve", {"no_note": True}),
               ("crisis.handover", {}), ("crisis.handover", {"to": "ben.backup@example.com"}),
               ("crisis.severity", {"severity": "low"})]
    before = (await load(bot, ref), await trail_of(bot, ref), await bot.count(CrisisEvent))
    await choose_language(bot, ERIK, "de")
    for user in (BEN, ERIK):  # the backup off the policy (English), an employee (German)
        for text in typed:
            [known] = await bot.say(user, text.format(ref=ref))
            [unknown] = await bot.say(user, text.format(ref=UNKNOWN_REF))
            assert _as_seen(known, ref) == _as_seen(unknown, UNKNOWN_REF), (user, text)
        for action, values in pressed:
            [known] = await bot.press(user, action, {"_lang": "en", "ref": ref} | values)
            [unknown] = await bot.press(user, action, {"_lang": "en", "ref": UNKNOWN_REF} | values)
            assert _as_seen(known, ref) == _as_seen(unknown, UNKNOWN_REF), (user, action, values)
        assert known.text.startswith(("I know no crisis report “<", "I know no crisis report “K",
                                      "Eine Krisenmeldung „K"))
    after = (await load(bot, ref), await trail_of(bot, ref), await bot.count(CrisisEvent))
    assert repr(after) == repr(before)  # nothing was changed, acknowledged or handed over
    # The rota gets the same words for a reference that does not exist.
    assert _as_seen(only(await bot.say(LEA, f"crisis show {UNKNOWN_REF}")), UNKNOWN_REF) == _as_seen(
        only(await bot.say(BEN, f"crisis show {ref}")), ref)


# -- durability ----------------------------------------------------------------------------------


async def test_a_process_stopped_between_report_and_alert_alerts_once_after_the_restart(any_core, tmp_path):
    first = await make_bot(any_core)
    erik = await first.core.person_for(first.incoming(ERIK))
    report, created = await crisis.store_report(first.core, erik, crisis.Draft(text="a leak on reddit", source="message"),
                                                lang="en")
    assert created and first.sender.log == []
    # The chat handler's way: stored with its first alert claimed and written as 'sending' ...
    claimed, _, step = await crisis._store(first.core, erik, crisis.Draft(text="a journalist called", source="message"),
                                           lang="en", source_key=None, claim=True)
    assert step is not None and [x.target for x, _ in step.to_send] == [LEAD_EMAIL]
    await first.core.db.dispose()  # ... and the process stops before either alert went out

    second = build_core(any_core.settings)
    restarted = await make_bot(second, clock=Clock(START + crisis.FIRST_CLAIM + timedelta(seconds=1)))
    try:
        assert await crisis.run_due(second) == 2
        assert await crisis.run_due(second) == 0
        assert sorted(r.title.split()[3].rstrip(":") for r in alerts(restarted, LEA)) == [report.ref, claimed.ref]
        assert first.sender.log == []
        assert (await load(restarted, report.ref)).step == 1 and (await load(restarted, claimed.ref)).step == 1
        assert "outcome unknown (process stopped while sending)" in await trail_of(restarted, claimed.ref)
    finally:
        await second.db.dispose()


async def test_an_alert_whose_outcome_is_unknown_is_sent_again_after_a_crash(any_core):
    first = await make_bot(any_core)
    first.sender.gate = asyncio.Event()  # the platform call hangs ...
    erik = await first.core.person_for(first.incoming(ERIK))
    report, _ = await crisis.store_report(first.core, erik, crisis.Draft(text="journalist asking", source="message"),
                                          lang="en")
    job = asyncio.create_task(crisis.run_due(first.core))
    await asyncio.wait_for(first.sender.entered.wait(), 10)
    job.cancel()  # ... and the process dies without knowing whether it arrived
    await asyncio.gather(job, return_exceptions=True)
    async with any_core.db.session() as s:
        [attempt] = (await s.exec(select(CrisisAttempt))).all()
    assert attempt.status == "sending"

    second = build_core(any_core.settings)
    restarted = await make_bot(second, clock=Clock(START + crisis.CLAIM + timedelta(seconds=1)))
    try:
        assert await crisis.run_due(second) == 1
        assert len(alerts(restarted, LEA)) == 1
        trail = await trail_of(restarted, report.ref)
        assert "outcome unknown (process stopped while sending): sending again level 1, round 1" in trail
        async with second.db.session() as s:
            [attempt] = (await s.exec(select(CrisisAttempt))).all()
        assert attempt.status == "sent" and attempt.tries == 2
        # Sent and known: never again for that level.
        assert await crisis.run_due(second) == 0
    finally:
        await second.db.dispose()


async def test_two_replicas_running_the_job_together_alert_once(any_core):
    shared = Recorder(error="account_inactive")
    a = await make_bot(any_core, sender=shared)
    other = build_core(any_core.settings)
    b = await make_bot(other, clock=a.clock, sender=shared)
    try:
        erik = await a.core.person_for(a.incoming(ERIK))
        refs = []
        for i in range(5):
            report, _ = await crisis.store_report(a.core, erik, crisis.Draft(text=f"leak {i}", source="message"),
                                                  lang="en")
            refs.append(report.ref)
        await asyncio.gather(crisis.run_due(a.core), crisis.run_due(b.core), crisis.run_due(a.core),
                             crisis.run_due(b.core))
        assert sorted(r.title.split()[3].rstrip(":") for r in alerts(a, LEA)) == sorted(refs)
        # And the next level, due for both replicas at the same moment, once too.
        a.clock.advance(minutes=10, seconds=1)
        await asyncio.gather(crisis.run_due(a.core), crisis.run_due(b.core))
        assert len(alerts(a, BEN)) == 5
    finally:
        await other.db.dispose()


# -- holding posting ----------------------------------------------------------------------------


async def _members(bot: Harness, *users: Who) -> None:
    for user in users:
        await bot.handle(bot.incoming(user, action="join.confirm", values={"notice_version": 1, "_lang": "en"}, source="action",
                                event_id=f"join-{user.user}"))


async def test_hold_posting_is_stored_told_to_members_and_matched(bot: Harness):
    await _members(bot, EMMA, FELIX, ERIK)
    bot.sender.fail_for.add(FELIX.user)
    [refused] = await bot.say(ERIK, "crisis hold recall -- stop")
    assert "Only the people in the crisis escalation policy can hold or release posting" in refused.text
    [answer] = await bot.say(LEA, "crisis hold recall, Werk Leipzig -- Please don't post about the recall until Friday.")
    assert answer.text.startswith("Posting is on hold for: recall, Werk Leipzig.")
    assert "telling all 3 members now" in answer.text
    await crisis.settle(bot.core)
    [notice] = bot.received(EMMA)
    assert notice.title == "Please hold back on: recall, Werk Leipzig"
    assert notice.text.startswith("Please don't post about the recall until Friday.")
    assert bot.received(FELIX) == []
    assert bot.received(LEA)[-1].text == ("Hold on recall, Werk Leipzig: 2 members told, 1 not reachable "
                                           "(in the trail: ambassador crisis list).")
    [hold] = await crisis.active_holds(bot.core)
    assert hold.keywords == ["recall", "Werk Leipzig"] and hold.notified == 2 and hold.failed == 1
    assert await bot.count(CrisisEvent, CrisisEvent.kind == "hold_notice_failed") == 1
    holds = await crisis.active_holds(bot.core)
    assert crisis.hold_matching(holds, "May I share the article about the product recalls?").id == hold.id
    assert crisis.hold_matching(holds, "Darf ich ein Foto aus dem werk  leipzig posten?").id == hold.id
    assert crisis.hold_matching(holds, "May I post about our summer party?") is None

    [lifted] = await bot.say(LEA, "crisis lift")
    assert lifted.text == "The hold on recall, Werk Leipzig is lifted; I'm telling the members now."
    await crisis.settle(bot.core)
    assert await crisis.active_holds(bot.core) == []
    assert bot.received(EMMA)[-1].text.startswith("The hold on recall, Werk Leipzig is lifted")
    assert crisis.hold_matching([hold], "recall") is hold  # a stale list still matches: ask active_holds
    assert only(await bot.say(LEA, "crisis lift")).text == "No posting hold is active."


async def test_telling_members_about_a_hold_resumes_after_a_restart(lite: Harness):
    await _members(lite, EMMA, FELIX)
    async with lite.core.db.session() as s:
        felix = (await s.exec(select(Person).where(Person.email == FELIX.email))).one()
        emma = (await s.exec(select(Person).where(Person.email == EMMA.email))).one()
        first, second = sorted([emma, felix], key=lambda p: p.id)
        # A process told the first member, then stopped.
        s.add(Hold(keywords=["strike"], note="Wait for the statement.", notice="hold", notice_cursor=first.id,
                   notified=1, claim_until=START - timedelta(seconds=1)))
        await s.commit()
    await crisis.run_due(lite.core)
    told = {sent.to for sent in lite.sender.log if sent.reply.title == "Please hold back on: strike"}
    assert told == {FELIX.user if second.id == felix.id else EMMA.user}
    [hold] = await crisis.active_holds(lite.core)
    assert hold.notice == "done" and hold.notified == 2


# -- privacy, configuration, audit ---------------------------------------------------------------------


async def test_my_data_lists_the_reports_and_forget_me_keeps_the_trail_with_the_pseudonym(bot: Harness):
    report = await file_report(bot)
    only(await bot.press(LEA, "crisis.ack", ref=report.ref, _lang="en"))
    [mine] = await bot.say(ERIK, "my data")
    field = next(f for f in mine.fields if f.label == "Crisis reports")
    assert field.value.startswith(f"{report.ref} (2026-03-02 10:00, high, acknowledged)")
    async with bot.core.db.session() as s:
        pseudonym = (await s.exec(select(Person).where(Person.email == EMPLOYEE_EMAIL))).one().pseudonym
    only(await bot.press(ERIK, "forget.confirm", _lang="en"))
    kept = await load(bot, report.ref)
    assert kept.reporter_id is None and kept.reporter_pseudonym == pseudonym
    trail = await trail_of(bot, report.ref)
    assert f"reported by {pseudonym} via message" in trail
    assert "Erik" not in trail and "acknowledged by Lea Lead" in trail
    async with bot.core.db.session() as s:
        assert (await s.exec(select(CrisisEvent).where(CrisisEvent.kind == "reported"))).one().actor_id is None
    # The lead forgets too: the acknowledgement keeps only her pseudonym.
    only(await bot.press(LEA, "forget.confirm", _lang="en"))
    assert "Lea" not in await trail_of(bot, report.ref)


def _write_config(tmp_path, crisis_yaml: str):
    path = tmp_path / "app.yaml"
    path.write_text("roles:\n  comms_lead: lea.lead@example.com\ncrisis:\n" + crisis_yaml, encoding="utf-8")
    return load_settings(path, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}, read_dotenv=False)


def test_the_crisis_section_is_validated_with_file_and_line(tmp_path):
    settings = _write_config(tmp_path, "  rounds: 2\n  levels:\n    - who: [comms_lead]\n    - who: [nobody]\n")
    with pytest.raises(ConfigError, match=r"app.yaml:7: crisis.levels\[1\].who: 'nobody' is neither an e-mail address nor a role"):
        crisis.load_config(settings)
    settings = _write_config(tmp_path, "  office_hours:\n    days: [mon, funday]\n")
    with pytest.raises(ConfigError, match=r"app.yaml:5: crisis.office_hours.days: unknown day 'funday'"):
        crisis.load_config(settings)
    settings = _write_config(tmp_path, "  levels:\n    - channel: '#crisis'\n")
    with pytest.raises(ConfigError, match=r"crisis.levels\[0\].channel: write the channel as slack:CHANNEL_ID"):
        crisis.load_config(settings)
    settings = _write_config(tmp_path, "  levels:\n    - timeout: 5\n")
    with pytest.raises(ConfigError, match="a level needs at least one of who, channel, email or webhook"):
        crisis.load_config(settings)
    settings = _write_config(tmp_path, "  rounds: 4\n  levels:\n    - who: lea.lead@example.com\n      timeout: 2.5\n"
                                       "      email: oncall@example.com\n      webhook: https://oncall.example/hook\n")
    cfg = crisis.load_config(settings)
    assert cfg.rounds == 4 and cfg.levels[0].who == ["lea.lead@example.com"] and cfg.levels[0].email == ["oncall@example.com"]
    assert crisis.load_config(make_settings(tmp_path)).levels[1].who == ["backup"]  # the sample has no section


def test_the_cli_lists_reports_and_shows_a_trail(tmp_path, capsys, monkeypatch):
    from bot import app
    from handlers.crisis import cli as cli_crisis

    settings = make_settings(tmp_path)

    async def setup() -> str:
        core = build_core(settings)
        await core.db.upgrade()
        bot = await make_bot(core)
        try:
            report = await file_report(bot)
            only(await bot.press(LEA, "crisis.ack", ref=report.ref, _lang="en"))
            await _members(bot, EMMA, FELIX)
            bot.sender.fail_for.add(FELIX.user)  # Felix cannot be told of the hold
            only(await bot.say(LEA, "crisis hold recall -- Wait for Friday."))
            await crisis.settle(bot.core)
            await crisis.run_due(bot.core)
            await crisis.settle(bot.core)
            async with core.db.session() as s:
                felix = (await s.exec(select(Person).where(Person.email == FELIX.email))).one()
            return report.ref, felix.pseudonym
        finally:
            await core.db.dispose()

    ref, felix = asyncio.run(setup())
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert cli_crisis.register in crisis.CAPABILITY.cli
    assert app.main(["--config", str(settings.config_path), "crisis", "list"]) == 0
    out = capsys.readouterr().out
    assert ref in out and "acknowledged" in out and "high" in out
    assert "ACTIVE  recall" in out and "not reachable 1" in out and f"not reached: {felix} (hold)" in out
    assert app.main(["--config", str(settings.config_path), "crisis", "show", ref.lower()]) == 0
    out = capsys.readouterr().out
    assert f"{ref}: acknowledged, severity high" in out
    assert "reported by Erik Employee" in out and "alerted level 1, round 1" in out and "acknowledged by Lea Lead" in out
    assert app.main(["--config", str(settings.config_path), "crisis", "show", "K-1999-0001"]) == 1
    assert "no crisis report K-1999-0001" in capsys.readouterr().err


# -- e-mail and webhooks against local fake servers ------------------------------------------------


class FakeSmtp:
    """Just enough of an SMTP server on loopback for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[str] = []
        self.server: asyncio.AbstractServer | None = None
        self.port = 0

    async def start(self) -> FakeSmtp:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self.server:
            self.server.close()
            await self.server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        say("220 fake.smtp ESMTP")
        sender, rcpts, data, in_data = "", [], [], False
        while line := await reader.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.messages.append((sender, rcpts, b"".join(data)))
                    sender, rcpts, data, in_data = "", [], [], False
                    say("250 2.0.0 queued")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                await writer.drain()
                continue
            cmd = line.decode().strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                writer.write(b"250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "AUTH":
                self.logins.append(base64.b64decode(cmd.split()[2]).decode().split("\0")[1])
                say("235 2.7.0 ok")
            elif verb == "MAIL":
                sender = cmd.split(":", 1)[1].split()[0].strip("<>")
                say("250 ok")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                say("250 ok")
            elif verb == "DATA":
                in_data = True
                say("354 go on")
            elif verb == "QUIT":
                say("221 bye")
                await writer.drain()
                break
            else:
                say("250 ok")
            await writer.drain()
        writer.close()


class FakeHook:
    def __init__(self, status: int = 200) -> None:
        self.calls: list[tuple[dict, dict]] = []
        self.status = status
        self.server: TestServer | None = None

    async def start(self) -> FakeHook:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()
        return self

    @property
    def url(self) -> str:
        return str(self.server.make_url("/hook"))

    async def _hook(self, request: web.Request) -> web.Response:
        self.calls.append((await request.json(), dict(request.headers)))
        return web.json_response({"ok": self.status < 300}, status=self.status)

    async def close(self) -> None:
        await self.server.close()


@pytest.fixture
async def smtp():
    server = await FakeSmtp().start()
    yield server
    await server.close()


@pytest.fixture
async def hook():
    server = await FakeHook().start()
    yield server
    await server.close()


async def test_notify_sends_e_mail_through_smtp_and_signs_webhooks(smtp: FakeSmtp, hook: FakeHook):
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_USER": "bot", "SMTP_PASSWORD": "s3cret",
           "SMTP_FROM": "ambassador@example.com"}
    settings = notify.SmtpSettings.from_env(env)
    assert settings.tls == "starttls" and settings.port == smtp.port
    await notify.send_email(settings, ["oncall@example.com"], "🚨 Crisis K-2026-0001", "Ümlaut body\n.leading dot")
    [(sender, rcpts, raw)] = smtp.messages
    assert sender == "ambassador@example.com" and rcpts == ["oncall@example.com"] and smtp.logins == ["bot"]
    message = message_from_bytes(raw, policy=email_policy.default)
    assert message["Subject"] == "🚨 Crisis K-2026-0001" and message["To"] == "oncall@example.com"
    assert message.get_content().replace("\r\n", "\n") == "Ümlaut body\n.leading dot\n"

    assert await notify.post_webhook(hook.url, {"reference": "K-2026-0001"}, secret="k") == 200
    [(body, headers)] = hook.calls
    assert body == {"reference": "K-2026-0001"}
    assert headers[notify.SIGNATURE_HEADER] == notify.sign("k", json.dumps(body).encode())

    with pytest.raises(notify.NotifyError, match="no SMTP server is configured"):
        await notify.send_email(notify.SmtpSettings.from_env({}), ["x@example.com"], "s", "b")
    closed = notify.SmtpSettings(host="127.0.0.1", port=1, tls="off", timeout=2)
    with pytest.raises(notify.NotifyError, match="e-mail to x@example.com via 127.0.0.1:1 failed"):
        await notify.send_email(closed, ["x@example.com"], "s", "b")
    hook.status = 503
    with pytest.raises(notify.NotifyError, match="answered 503"):
        await notify.post_webhook(hook.url, {"reference": "K"}, secret="")
    with pytest.raises(notify.NotifyError, match="SMTP_TLS must be"):
        notify.SmtpSettings.from_env({"SMTP_HOST": "mail", "SMTP_TLS": "maybe"})
    assert notify.SmtpSettings.from_env({"SMTP_HOST": "mail", "SMTP_PORT": "465"}).tls == "ssl"


async def test_a_level_alerts_by_e_mail_and_webhook_too(core, smtp: FakeSmtp, hook: FakeHook, monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("SMTP_FROM", "ambassador@example.com")
    monkeypatch.delenv("SMTP_USER", raising=False)
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    failing = await FakeHook(status=500).start()
    try:
        bot = await make_bot(core, {"levels": [
            {"who": "comms_lead", "email": "oncall@example.com", "webhook": [hook.url], "timeout": 10},
            {"who": "backup", "webhook": failing.url, "timeout": 10},
        ]})
        bot.sender.fail_for.add(LEA.user)  # chat is down for the lead: e-mail and the on-call tool still get it
        report = await file_report(bot)
        [(_, rcpts, raw)] = smtp.messages
        message = message_from_bytes(raw, policy=email_policy.default)
        assert rcpts == ["oncall@example.com"] and message["Subject"] == f"🚨 Krisenmeldung {report.ref}: Dringlichkeit hoch"
        body = message.get_content()  # in the program's default language, German in the sample
        assert "truck accident is going viral" in body and f"krise übernehmen {report.ref}" in body
        [(payload, _)] = hook.calls
        assert payload["event"] == "crisis.alert" and payload["reference"] == report.ref
        assert payload["severity"] == "high" and payload["level"] == 1 and payload["place"] == "TikTok"
        assert alerts(bot, BEN) == []  # level 1 was reached (by e-mail and webhook)
        await tick(bot, minutes=10, seconds=1)
        assert len(alerts(bot, BEN)) == 1 and len(failing.calls) == 1
        trail = await trail_of(bot, report.ref)
        assert "alerted level 1, round 1: oncall@example.com via email (email)" in trail
        assert f"alerted level 1, round 1: {hook.url} via webhook (webhook)" in trail
        assert "delivery failed: level 1, round 1: comms_lead via chat" in trail
        assert f"delivery failed: level 2, round 1: {failing.url} via webhook: webhook {failing.url} answered 500" in trail
    finally:
        await failing.close()


def test_every_crisis_text_has_german_and_english_and_both_forms_of_address():
    from bot.router import Router
    from tests.test_i18n import _DU_WORDS, _fields

    router = Router()
    for entries in crisis.CAPABILITY.texts:
        router.texts(entries)
    for key in router.catalog.keys():
        en = router.catalog.get(key, "en")
        for address in ("du", "sie"):
            de = router.catalog.get(key, "de", address)
            assert de.strip() and en.strip(), key
            assert _fields(de) == _fields(en), f"{key}: placeholders differ between de ({address}) and en"
        sie = router.catalog.get(key, "de", "sie")
        assert not _DU_WORDS.search(sie), f"{key}: the Sie form still says {_DU_WORDS.search(sie).group(0)!r}"


async def test_a_hold_makes_the_answer_engine_say_no_with_the_note(lite: Harness):
    [guard] = [g for g in lite.core.router.answer_guards if g is crisis.answer_guard]
    assert await guard(lite.core, "Can I share the news about the recall?") is None
    only(await lite.say(LEA, "crisis hold recall -- Wait for the official statement on Friday."))
    assert await guard(lite.core, "Can I share the news about the recall?") == "Wait for the official statement on Friday."
    assert await guard(lite.core, "Can I share our summer party photos?") is None


async def test_a_hold_turns_the_answer_to_a_member_asking_about_the_topic_into_no_with_the_note(lite: Harness):
    question = "May I share the company's LinkedIn post about our new e-bike?"
    [before] = await lite.say(EMMA, question)
    assert before.title.startswith("✅"), before.plain()
    only(await lite.say(LEA, "crisis hold e-bike -- Please wait for the official statement on Friday."))
    [during] = await lite.say(EMMA, question)
    assert during.title.startswith("⛔ No") and "Please wait for the official statement on Friday." in during.plain()
    # Other questions keep their own answer; after the lift the topic does too.
    [other] = await lite.say(EMMA, "May I share the company's LinkedIn post about our apprenticeship program?")
    assert other.title.startswith("✅"), other.plain()
    only(await lite.say(LEA, "crisis lift"))
    assert only(await lite.say(EMMA, question)).title.startswith("✅")


async def test_a_hold_pauses_the_bots_own_sends_through_the_declared_send_guard(lite: Harness):
    """What content's nudges ask before they go out: the router's send_pause, fed by crisis's send guard."""
    assert crisis.send_guard in lite.core.router.send_guards
    assert await lite.core.router.send_pause(lite.core) is None  # no hold: sends go out
    only(await lite.say(LEA, "crisis hold recall, Werk Leipzig -- Wait for the official statement on Friday."))
    pause = await lite.core.router.send_pause(lite.core)
    assert pause is not None and pause.note == "Wait for the official statement on Friday."
    assert pause.matches("This week: the product recalls explained") and pause.matches("Neues aus dem Werk Leipzig")
    assert not pause.matches("Our summer party in pictures")
    only(await lite.say(LEA, "crisis hold Rückruf"))  # a second hold, with the default note, in the lead's language
    pause = await lite.core.router.send_pause(lite.core)
    assert pause.note.startswith("Please hold back on this topic for now") and "official statement" in pause.note
    assert pause.matches("Die Rückrufaktion im Überblick") and pause.matches("the recall")
    only(await lite.say(LEA, "crisis lift all"))
    assert await lite.core.router.send_pause(lite.core) is None  # lifted: the sends go out again


async def test_when_the_holds_cannot_be_read_the_send_guard_says_so_and_nobody_reads_it_as_no_hold(lite, monkeypatch):
    async def away(core):
        raise ConnectionError("the database is away")

    monkeypatch.setattr(crisis.holds, "active_holds", away)
    with pytest.raises(ConnectionError):
        await lite.core.router.send_pause(lite.core)


async def test_the_router_joins_the_pauses_of_several_send_guards():
    from bot.router import Router, SendPause

    router = Router()

    async def recall(core):
        return SendPause(note="recall until Friday", matches=lambda text: "recall" in text)

    async def quiet(core):
        return None

    router.send_guards += [quiet, recall]
    assert (await router.send_pause(None)).note == "recall until Friday"

    async def strike(core):
        return SendPause(note="strike: nothing about the plant", matches=lambda text: "plant" in text)

    router.send_guards.append(strike)
    pause = await router.send_pause(None)
    assert pause.note == "recall until Friday\nstrike: nothing about the plant"
    assert pause.matches("the recall") and pause.matches("our plant") and not pause.matches("summer party")


async def test_when_nobody_can_be_reached_the_rounds_wait_for_the_timeout(lite: Harness):
    lite.sender.fail_for |= {LEA.user, BEN.user}  # the whole platform is down
    report = await file_report(lite)
    trail = await trail_of(lite, report.ref)
    assert "nobody reached at level 1, round 1 (1 targets): next level alerted at once" in trail
    assert "nobody reached at level 2, round 1 (1 targets): next round after the timeout" in trail
    assert await tick(lite, seconds=30) == 0  # the rounds are not used up at once
    lite.sender.fail_for.clear()  # the platform is back
    await tick(lite, minutes=10)
    [alert] = alerts(lite, LEA)
    assert "level 1 of 2, round 2 of 3" in alert.plain()


# -- honest receipts (issue 13) -------------------------------------------------------------------


async def test_a_reporter_is_told_comms_was_alerted_only_when_it_was_and_else_whom_to_call(bot: Harness):
    bot.sender.fail_for.add(LEA.user)  # the lead's chat is down: the first level reaches nobody
    [receipt] = await bot.say(ERIK, TRUCK)
    assert "nobody in comms could be reached yet" in receipt.title
    assert "call them directly" in receipt.text and "lea.lead@example.com" in receipt.text
    assert "has been alerted" not in receipt.title and "being alerted" not in receipt.title
    await crisis.settle(bot.core)
    bot.sender.fail_for.clear()
    [second] = await bot.say(ERIK, "crisis Another video of the accident is going viral on TikTok https://tiktok.com/@x/2")
    assert second.title.endswith("comms has been alerted")


async def test_a_process_that_cannot_reach_comms_leaves_the_alert_to_the_one_that_can(any_core):
    """A terminal chat beside the running Slack bot: the report waits for the bot that reaches the lead."""
    terminal = await make_bot(any_core)
    del any_core.senders["slack"]  # this process serves no Slack
    [receipt] = await terminal.say(ERIK, TRUCK)
    assert "the bot connected to Slack or Teams alerts comms" in receipt.title
    report = await load(terminal, receipt.title.split()[1])
    assert report.claim_token is None and await terminal.count(CrisisAttempt) == 0  # nothing marked unreached
    assert "nobody reached" not in await trail_of(terminal, report.ref)
    # The process with Slack takes it up at its next round and reaches the lead.
    any_core.register_sender("slack", terminal.sender)
    await tick(terminal, seconds=1)
    assert [a.title for a in alerts(terminal, LEA)] and "K-2026-0001" in alerts(terminal, LEA)[0].title
