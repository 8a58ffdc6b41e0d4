"""Defects seen on a newcomer's walk through the terminal (issue 13), one test each, and the
general checks that would have caught their kind: a button is named by what it is, never by
an internal id; help lists what a role can do; texts say what happens, in the reader's language."""

from __future__ import annotations

import re

from bot.core import Core
from storage.models_content import ContentItem
from tests.conftest import COMMUNICATOR_EMAIL, EMPLOYEE_EMAIL, LEAD_EMAIL
from tests.harness import LEA, Harness
from tests.test_content import add_item, member, rows, setup, text_of, who

# As tests/test_content.py's ``member`` stores them: named by their address's local part (LEA is the harness's).
LEAD, ERIK, CLARA = who("U0LEA", LEAD_EMAIL), who("U0ERIK", EMPLOYEE_EMAIL), who("U0CLARA", COMMUNICATOR_EMAIL)


async def test_a_member_pressing_the_leads_button_is_told_in_words_not_an_internal_id(core: Core):
    h = setup(core)
    await member(core, "U0ERIK", EMPLOYEE_EMAIL, lang="en")
    await add_item(core, "Pending", status="pending")
    [refused] = await h.press(ERIK, "content.approve", {"i": 1})
    assert "this button" in refused.text and "content.approve" not in refused.text
    await member(core, "U0DE", "de.member@example.com", lang="de")
    [german] = await h.press(who("U0DE", "de.member@example.com"), "content.approve", {"i": 1})
    assert "Diesen Knopf" in german.text and "content.approve" not in german.text
    assert (await rows(core, ContentItem))[0].status == "pending"


async def test_the_leads_help_lists_crisis_and_approval_commands_and_a_members_does_not(core: Core):
    h = setup(core)
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    await member(core, "U0ERIK", EMPLOYEE_EMAIL, lang="de")
    lead_help = text_of(await h.say(LEAD, "help"))
    for usage in ("crisis list", "crisis show REF", "crisis ack REF", "crisis hold KEYWORDS -- NOTE",
                  "crisis lift", "content approve NUMBER", "content reject NUMBER [REASON]"):
        assert usage in lead_help, usage
    member_help = text_of(await h.say(ERIK, "hilfe"))
    assert "krise übernehmen" not in member_help and "inhalt freigeben" not in member_help
    assert "krise WAS PASSIERT IST" in member_help  # reporting is everyone's


async def test_a_communicator_retiring_an_all_members_item_is_told_whose_it_is(core: Core):
    h = setup(core)
    await member(core, "U0CLARA", COMMUNICATOR_EMAIL, lang="en")
    await add_item(core, "For everyone")
    [reply] = await h.say(CLARA, "content retire 1")
    assert "not one department's" in reply.text and "another department" not in reply.text
    assert (await rows(core, ContentItem))[0].status == "approved"


async def test_a_rejected_item_shows_its_author_why(core: Core):
    h = setup(core)
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    await member(core, "U0CLARA", COMMUNICATOR_EMAIL, lang="de")
    await h.say(CLARA, "inhalt neu url: https://example.com/sales | titel: Messe | zielgruppe: Sales | de: Wir sind da")
    [request] = h.received(LEAD)
    [rejected] = await h.press(LEAD, "content.reject", request.buttons[1].value)
    assert "Rejected #1" in rejected.text and "content reason 1" in rejected.text  # how to say why
    [saved] = await h.say(LEAD, "content reason 1 The fair is next year, not this one")
    assert "saved" in saved.text
    told = h.received(CLARA)[-1].text
    assert "nicht freigegeben" in told and "The fair is next year" in told
    [listing] = await h.say(CLARA, "inhalte liste")
    assert "The fair is next year" in listing.fields[0].value  # the author sees why, in the list too
    await add_item(core, "Fine")
    [refused] = await h.say(LEAD, "content reason 2 because")
    assert "not rejected" in refused.text


async def test_the_hold_reply_says_every_nudge_pauses(core: Core):
    h = setup(core)
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    [held] = await h.say(LEAD, "crisis hold recall -- Please wait for the statement")
    assert "every weekly nudge and thank-you pauses" in held.text and "nudges on it" not in held.text
    await h.say(LEAD, "crisis lift all")
    await h.say(LEAD, "language de")
    [german] = await h.say(LEAD, "krise stopp Rückruf -- Bitte warten")
    assert "alle wöchentlichen Erinnerungen" in german.text and "*krise aufheben*" in german.text


async def test_a_german_reader_gets_german_crisis_words_and_trail(core: Core):
    h = setup(core)
    await member(core, "U0LEA", LEAD_EMAIL, lang="de")
    await member(core, "U0ERIK", EMPLOYEE_EMAIL, lang="de")
    [receipt, *_] = await h.say(ERIK, "krise Ein Video von einem Unfall in unserem Werk geht viral")
    ref = re.search(r"K-\d{4}-\d+", receipt.text)[0]
    [taken] = await h.say(LEAD, f"krise übernehmen {ref}")
    assert f"krise erledigt {ref}" in taken.text and "resolve" not in taken.text
    [shown] = await h.say(LEAD, f"krise zeigen {ref}")
    assert "Protokoll" in shown.text and "gemeldet von" in shown.text and "übernommen von" in shown.text
    assert "reported by" not in shown.text and "acknowledged" not in shown.text


async def test_a_poll_for_nobody_reads_as_german(core: Core):
    h = Harness(core, lang=None)
    await member(core, "U0LEA", LEAD_EMAIL, lang="de")
    [reply] = await h.say(LEAD, 'umfrage "Welches Format?" Video | Text --zielgruppe HR')
    assert reply.text.startswith("Noch ist niemand aus der Zielgruppe (die Mitglieder in HR) erreichbar")


def test_counts_of_people_and_votes_are_drawn_on_whole_steps_from_zero():
    from handlers.meetings import charts

    few = charts.hbar(title="Votes", labels=["A", "B"], values=[1.0, 2.0])
    assert all(float(x).is_integer() for x in few.axes[0].get_xticks())  # no step of 0.25 votes
    empty = charts.hbar(title="Votes", labels=["A", "B"], values=[0.0, 0.0])
    assert empty.axes[0].get_xlim() == (0.0, 1.0)  # not -0.04 to 0.04
    day = charts.activity(title="Activity", days=["2026-12-01", "2026-12-02"], joins=[1, 0], leaves=[0, 0],
                          active=[2, 1], joins_label="joins", leaves_label="leaves", active_label="active",
                          empty="nothing")
    for ax in day.axes:
        assert all(float(y).is_integer() for y in ax.get_yticks()), ax.get_yticks()
    shares = charts.pairs(title="Figures", labels=["rate"], before=[12.5], now=[37.5], before_label="before",
                          now_label="now")
    assert shares.axes[0].get_ylim()[1] > 37.5  # fractions keep matplotlib's own scale


async def test_a_meeting_summary_is_about_the_last_meeting_that_took_place(core: Core):
    from datetime import UTC, datetime


    env = Harness(core)
    # Every second Tuesday from 2026-01-13: the last one before Thursday 2026-12-03 was on the 1st.
    env.core.settings.app.meetings = {"every_weeks": 2, "weekday": "tuesday", "time": "10:00",
                                      "first": "2026-01-13", "enabled": True}
    env.clock.now = datetime(2026, 12, 3, 15, tzinfo=UTC)
    [member_] = await env.people(1, prefix="y")
    await env.say(LEA, "meeting summary Two videos a month.")
    [summary] = env.received(member_)
    assert summary.title == "From the ambassador meeting on 2026-12-01"
    [twice] = await env.say(LEA, "meeting summary Again")
    assert twice.text.startswith("A summary of the meeting on 2026-12-01 was sent already")


async def test_a_stopped_replica_releases_its_leases_so_a_restart_takes_the_jobs_at_once(core: Core):
    import asyncio

    from bot.scheduler import Scheduler

    ran: list[str] = []

    async def job() -> None:
        ran.append("job")

    first = Scheduler(core.db, holder="replica-a")
    first.every(60, "content-nudge", job)
    first.start()
    for _ in range(100):
        if ran:
            break
        await asyncio.sleep(0.02)
    assert ran == ["job"]
    second = Scheduler(core.db, holder="replica-b")
    assert not await second.claim("content-nudge", 60)  # held for a minute while the first one runs
    await first.stop()
    assert await second.claim("content-nudge", 60)  # released on stop: no minute of waiting


async def test_messages_the_bot_starts_speak_the_language_the_platform_reports(core: Core):
    from sqlmodel import select

    from bot.messages import Incoming, Profile
    from storage.models import Identity, Person
    from tests.test_polls import created_poll_id

    env = Harness(core)
    for user, email, locale in (("U0EN", "en.user@example.com", "en-US"), ("U0DE", "de.user@example.com", None)):
        person = await core.person_for(Incoming(platform="slack", user_id=user, conversation_id=f"D{user}",
                                                profile=Profile(email=email, name=email, locale=locale)))
        async with core.db.session() as s:
            row = await s.get(Person, person.id)
            row.is_member = True
            await s.commit()
    async with core.db.session() as s:
        stored = {p.email: (p.language, p.locale) for p in (await s.exec(select(Person))).all()}
        assert (await s.exec(select(Identity))).all()
    assert stored["en.user@example.com"] == (None, "en")  # language stays automatic; the locale is kept
    await created_poll_id(env, await env.say(LEA, 'poll "Lunch format?" Pizza | Salad'))
    [english] = env.sender.to_person["U0EN"]
    [german] = env.sender.to_person["U0DE"]
    assert "Pick one answer" in english.text  # Slack said en-US: not the program's German default
    assert "Eine Antwort wählen" in german.text  # no language known: the program's default
