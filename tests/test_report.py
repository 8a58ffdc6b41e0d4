"""The meeting report: known data gives the expected figures; charts, HTML and CSV exist; the meeting rhythm."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlmodel import select

from handlers import meetings, polls
from handlers.meetings import kpis
from handlers.meetings.kpis import Period
from handlers.meetings.report import build_report, write_report
from storage.models import Person, ProgramEvent
from storage.models_polls import Feedback, Meeting, Poll, PollOutbox
from tests.harness import CLARA, LEA, Harness
from tests.test_polls import add_staff

BERLIN = ZoneInfo("Europe/Berlin")
P_START = datetime(2026, 11, 2, tzinfo=UTC)
P_END = datetime(2026, 11, 16, tzinfo=UTC)
CUR = datetime(2026, 11, 10, 12, tzinfo=UTC)  # inside the period
PREV = datetime(2026, 10, 25, 12, tzinfo=UTC)  # inside the period before


def _exists(path: Path) -> bool:
    return path.exists()


def at(day: int, month: int = 11, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
async def env(any_core) -> Harness:
    return await add_staff(Harness(any_core))


async def seed(env: Harness) -> dict[str, Person]:
    """Known data: see the expected figures in the test below."""
    db = env.core.db
    people: dict[str, Person] = {}
    async with db.session() as s:
        def person(key: str, dept: str, joined: datetime, left: datetime | None = None) -> None:
            p = Person(email=f"{key.lower()}@example.com", display_name=f"Person {key}", department=dept,
                       is_member=left is None, joined_at=joined, left_at=left, profile_checked_at=joined)
            s.add(p)
            people[key] = p

        for i in range(1, 7):
            person(f"A{i}", "Sales", at(20, 10))
        for i in range(1, 5):
            person(f"B{i}", "HR", at(5))
        person("C1", "Sales", at(21, 10), at(10))
        person("C2", "Sales", at(21, 10), at(10))
        person("D1", "HR", at(20))  # joined after the period
        await s.flush()
        for p in people.values():
            s.add(ProgramEvent(kind="join", person_id=p.id, pseudonym=p.pseudonym, at=p.joined_at))
            if p.left_at:
                s.add(ProgramEvent(kind="leave", person_id=p.id, pseudonym=p.pseudonym, at=p.left_at))
        for key, when in (("A1", CUR), ("A2", CUR), ("A1", PREV)):
            p = people[key]
            s.add(ProgramEvent(kind="content_shared", person_id=p.id, pseudonym=p.pseudonym, at=when))
        s.add(Feedback(text="More <script>videos</script>", department="Sales", person_id=people["A3"].id,
                       created_at=CUR))
        s.add(Feedback(text="=HYPERLINK(\"x\")", department="HR", anonymous=True, created_at=CUR))
        s.add(Feedback(kind="topic", text="Video training", department="HR", person_id=people["B2"].id,
                       created_at=CUR))
        s.add(Feedback(text="Earlier feedback", department="HR", anonymous=True, created_at=PREV))
        named = Poll(question="Named poll?", options=["Yes", "No"], audience_kind="department", audience_value="HR",
                     status="closed", created_at=at(6), closes_at=at(8), closed_at=at(8))
        anon = Poll(question="Anonymous poll?", options=["A", "B", "C"], anonymous=True, status="closed",
                    created_at=at(6), closes_at=at(9), closed_at=at(9))
        hidden = Poll(question="Still open?", options=["X", "Y"], anonymous=True, created_at=at(12),
                      closes_at=at(30))
        s.add_all([named, anon, hidden])
        await s.flush()
        for key in ("B1", "B2", "B3", "B4"):
            s.add(PollOutbox(kind="poll", ref_id=named.id, person_id=people[key].id, status="sent", sent_at=at(6)))
        await s.commit()
    secret = polls.ballot_secret(env.core.settings)
    named_key = polls.voter_key(secret, named.id, people["B1"].id)
    await polls.cast_ballot(db, named, named_key, 0)
    async with db.session() as s:
        await polls._upsert_voter(s, db, named.id, people["B1"].id, named_key, at(7))
        await s.commit()
    for i, option in enumerate([0, 0, 1, 2, 0]):
        await polls.cast_ballot(db, anon, polls.voter_key(secret, anon.id, 1000 + i), option)
    for i in range(3):
        await polls.cast_ballot(db, hidden, polls.voter_key(secret, hidden.id, 2000 + i), i % 2)
    await seed_other_capabilities(env, people)
    return people


async def seed_other_capabilities(env: Harness, people: dict[str, Person]) -> None:
    # The other capabilities' tables, filled through their own models.
    from storage import models_ask as ask
    from storage import models_content as content
    from storage import models_course as course
    from storage import models_crisis as crisis

    a4, a5 = people["A4"], people["A5"]
    async with env.core.db.session() as s:
        item1 = content.ContentItem(title="Plant opening", url="https://example.com/plant")
        item2 = content.ContentItem(title="We are hiring", url="https://example.com/jobs")
        s.add_all([item1, item2])
        run = content.ContentRun(cycle="2026-11-09T08:30Z", wave="main", due_at=at(9))
        s.add(run)
        await s.flush()
        d = content.ContentDelivery(run_id=run.id, cycle=run.cycle, person_id=a5.id, pseudonym=a5.pseudonym,
                                    status="sent", due_at=at(9), sent_at=at(9))
        s.add(d)
        await s.flush()
        s.add(content.ContentLink(token="t1", delivery_id=d.id, item_id=item1.id, person_id=a5.id,
                                  pseudonym=a5.pseudonym, shared_at=CUR, clicks=3, first_click_at=CUR))
        s.add(content.ContentLink(token="t2", delivery_id=d.id, item_id=item2.id, person_id=a5.id,
                                  pseudonym=a5.pseudonym))
        q1 = ask.AskQuestion(created_at=CUR, person_id=a4.id, pseudonym=a4.pseudonym, verdict="check",
                             topic="disclosure")
        q2 = ask.AskQuestion(created_at=CUR, pseudonym="P-GONE", verdict="go", topic="disclosure")
        s.add_all([q1, q2])
        await s.flush()
        s.add(ask.AskFeedback(question_id=q1.id, person_id=a4.id, helpful=True, created_at=CUR))
        s.add(ask.AskFeedback(question_id=q2.id, helpful=False, created_at=CUR))
        s.add(ask.KbGap(created_at=CUR, text="A question without a guideline"))
        s.add(crisis.CrisisReport(reporter_pseudonym="P-1", severity="high", status="acknowledged",
                                  created_at=CUR, acked_at=CUR + timedelta(minutes=30)))
        s.add(crisis.CrisisReport(reporter_pseudonym="P-2", severity="medium", created_at=CUR))
        # The course: A4 finished in the period, A5 in the one before, B1 started only, C1 finished and left.
        s.add(course.CourseProgress(person_id=a4.id, started_at=at(3), finished_at=CUR))
        s.add(course.CourseProgress(person_id=a5.id, started_at=PREV, finished_at=PREV))
        s.add(course.CourseProgress(person_id=people["B1"].id, started_at=CUR))
        s.add(course.CourseProgress(person_id=people["C1"].id, started_at=at(2), finished_at=at(3)))
        await s.commit()


async def test_report_from_known_data_has_the_expected_figures_charts_html_and_csv(env: Harness, tmp_path: Path):
    await seed(env)
    report = await build_report(env.core.db, Period(P_START, P_END), now=P_END,
                                  sources=env.core.router.report_sources)
    figures = {f.key: (f.value, f.previous) for f in report.figures if f.available}
    assert figures == {
        "members": (10, 8), "active_members": (8, 1), "joins": (4, 8), "leaves": (2, 0),
        "polls_closed": (2, 0), "poll_votes": (6, 0), "poll_participation": (25.0, None),
        "feedback": (2, 1), "topics": (1, 0),
        "items_sent": (2, 0), "shares": (1, 0), "clicks": (3, 0),
        "questions": (2, 0), "helpful_rate": (50.0, None), "kb_gaps": (1, 0),
        "crisis_reports": (2, 0), "crisis_ack_minutes": (30.0, None),
        "course_finished": (1, 1), "course_finished_total": (2, 1),
    }
    assert report.table("departments").rows == [("HR", 4, 2, 4, 2, 0, 0), ("Sales", 6, 5, 0, 1, 1, 3)]
    assert report.table("content_items").rows == [(1, "Plant opening", 1, 1, 3), (2, "We are hiring", 1, 0, 0)]
    assert report.table("questions").rows == [("disclosure", "check", 1), ("disclosure", "go", 1)]
    assert sorted(report.table("crisis").rows) == [("high", "acknowledged", 1), ("medium", "open", 1)]
    results = {p.question: (p.voters, p.counts, p.hidden_reason) for p in report.polls}
    assert results == {"Named poll?": (1, [1, 0], None), "Anonymous poll?": (5, [3, 1, 1], None),
                       "Still open?": (3, None, "open")}
    by_day = {r[0]: r[1:] for r in report.table("activity_by_day").rows}
    # Active per day counts the same acts as the "active members" figure: 7 people on the 10th and the
    # named vote on the 7th are its 8.
    assert by_day["2026-11-05"] == (4, 0, 0) and by_day["2026-11-10"] == (0, 2, 7) and by_day["2026-11-07"][2] == 1

    files = write_report(report, tmp_path / "out", env.core.translator("en"), timezone="Europe/Berlin")
    names = sorted(p.name for p in files.charts)
    polls_by_q = {p.question: p.poll_id for p in report.polls}
    assert names == sorted(["figures.png", "activity.png", "departments.png", "items.png", "questions.png",
                            "crisis.png", f"poll_{polls_by_q['Named poll?']}.png",
                            f"poll_{polls_by_q['Anonymous poll?']}.png"])
    for chart in files.charts:
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 8_000, chart.name
        with Image.open(chart) as img:
            img.verify()
        with Image.open(chart) as img:
            assert img.size[0] >= 600 and img.size[1] >= 250
            assert len(img.convert("L").getcolors(maxcolors=100_000) or []) > 20  # not a blank picture

    page = files.html.read_text(encoding="utf-8")
    assert "<h1>Ambassador meeting report" in page and "Active members" in page
    assert "More &lt;script&gt;videos&lt;/script&gt;" in page and "<script>" not in page
    assert "Still open?" in page and "anonymous: results after closing" in page
    assert all(f"src='{c.name}'" in page for c in files.charts)

    def rows(name: str) -> list[list[str]]:
        with (tmp_path / "out" / name).open(encoding="utf-8-sig") as f:
            return list(csv.reader(f))

    fig = {r[0]: r[2:] for r in rows("figures.csv")[1:]}
    assert fig["active_members"] == ["8", "1", "+7"] and fig["members"] == ["10", "8", "+2"]
    assert fig["poll_participation"] == ["25.0 %", "–", "–"]
    assert rows("poll_results.csv")[1:] == [
        [str(polls_by_q["Named poll?"]), "Named poll?", "Yes", "1"],
        [str(polls_by_q["Named poll?"]), "Named poll?", "No", "0"],
        [str(polls_by_q["Anonymous poll?"]), "Anonymous poll?", "A", "3"],
        [str(polls_by_q["Anonymous poll?"]), "Anonymous poll?", "B", "1"],
        [str(polls_by_q["Anonymous poll?"]), "Anonymous poll?", "C", "1"],
    ]  # the open anonymous poll is not there
    feedback = rows("feedback.csv")
    assert feedback[0] == ["date", "kind", "department", "from", "text"]
    assert [r[3:] for r in feedback[1:]] == [["Person A3", "More <script>videos</script>"],
                                             ["anonymous", "'=HYPERLINK(\"x\")"], ["Person B2", "Video training"]]
    assert {p.name for p in files.csv} >= {"figures.csv", "departments.csv", "polls.csv", "activity_by_day.csv",
                                           "content_items.csv", "questions.csv", "crisis.csv"}
    # Topics by their titles and verdicts in words, never by internal ids.
    assert rows("questions.csv")[1:] == [["Saying that you work here", "check first", "1"],
                                         ["Saying that you work here", "go", "1"]]
    assert "disclosure" not in page
    days = {r[0]: r[1:] for r in rows("activity_by_day.csv")[1:]}
    assert days["2026-11-10"] == ["0", "2", "7"]  # the CSV says what the figure and the chart say

    de = write_report(report, tmp_path / "de", env.core.translator("de"), timezone="Europe/Berlin")
    assert "Aktive Mitglieder" in de.html.read_text(encoding="utf-8")
    assert "Kurs abgeschlossen" in de.html.read_text(encoding="utf-8") and "Finished the course" in page
    assert rows("../de/figures.csv")[1][1] == "Mitglieder (Ende des Zeitraums)"


async def test_figures_of_a_missing_capability_are_not_available_yet(env: Harness, tmp_path: Path):
    # What crisis and content would declare after renaming a table and a column.
    sources = {**env.core.router.report_sources,
               "crisis": kpis.Source("crisis", "crisis_report_v9", {"at": "created_at"}),
               "content_links": kpis.Source("content_links", "content_link", {"nope": "no_such_column"})}
    report = await build_report(env.core.db, Period(P_START, P_END), now=P_END, sources=sources)
    unavailable = {f.key for f in report.figures if not f.available}
    assert unavailable == {"crisis_reports", "crisis_ack_minutes", "items_sent", "shares", "clicks"}
    assert not report.table("crisis").available and not report.table("content_items").available
    files = write_report(report, tmp_path, env.core.translator("en"))
    assert "not available yet" in files.html.read_text()
    assert not (tmp_path / "crisis.csv").exists()
    assert "not available yet" in (tmp_path / "figures.csv").read_text(encoding="utf-8-sig")


# -- the meeting rhythm -------------------------------------------------------------------


def test_every_second_tuesday_across_daylight_saving_and_cron():
    cfg = meetings.MeetingsConfig(every_weeks=2, weekday="dienstag", time="10:00", first=date(2026, 10, 13))
    nxt = meetings.next_meeting(cfg, datetime(2026, 10, 14, tzinfo=UTC), BERLIN)
    assert nxt == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # 10:00 CET, after the clocks went back
    assert meetings.next_meeting(cfg, nxt, BERLIN) == datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    assert meetings.previous_meeting(cfg, nxt, BERLIN) == datetime(2026, 10, 13, 8, 0, tzinfo=UTC)  # 10:00 CEST
    cron = meetings.MeetingsConfig(cron="30 9 * * 1")
    assert meetings.next_meeting(cron, datetime(2026, 11, 4, tzinfo=UTC), BERLIN) == datetime(2026, 11, 9, 8, 30,
                                                                                               tzinfo=UTC)
    with pytest.raises(ValueError):
        meetings.MeetingsConfig(cron="every tuesday")
    with pytest.raises(ValueError):
        meetings.MeetingsConfig(weekday="someday")


async def test_report_goes_to_lead_and_communicators_before_the_meeting_once(env: Harness, tmp_path: Path):
    await seed(env)
    env.core.settings.app.meetings = {"every_weeks": 2, "weekday": "tuesday", "time": "10:00",
                                      "first": "2026-11-03", "lead_hours": 24, "report_dir": str(tmp_path),
                                      "language": "en"}
    env.clock.now = datetime(2026, 11, 16, 8, 59, tzinfo=UTC)  # 09:59 in Berlin, a day and a minute before
    assert await meetings.prepare_due(env.core) is None
    [next_meeting] = await env.say(LEA, "meeting")
    assert "2026-11-17 10:00" in next_meeting.text

    env.clock.move(minutes=1)
    meeting_id = await meetings.prepare_due(env.core)
    assert meeting_id is not None
    assert await meetings.prepare_due(env.core) is None  # prepared once
    [to_lea] = env.received(LEA)
    [to_clara] = env.received(CLARA)
    assert to_lea.title == "Ambassador meeting report"
    fields = {f.label: f.value for f in to_lea.fields}
    assert fields["Active members"] == "8 (+7)" and fields["Crisis reports"] == "2 (+2)"
    folder = tmp_path / "meeting-2026-11-17"
    assert str((folder / "report.html").resolve()) in to_lea.context
    assert str((folder / "dept-Sales" / "report.html").resolve()) in to_clara.context
    lead_page = (folder / "report.html").read_text(encoding="utf-8")
    clara_page = (folder / "dept-Sales" / "report.html").read_text(encoding="utf-8")
    assert "Video training" in lead_page and "Video training" not in clara_page  # HR feedback: not hers
    assert "More &lt;script&gt;videos" in clara_page
    async with env.core.db.session() as s:
        meeting = await s.get(Meeting, meeting_id)
    assert meeting.status == "ready"
    assert meeting.period_from.replace(tzinfo=UTC) == datetime(2026, 11, 2, 9, tzinfo=UTC)

    # After the meeting: one summary to every member, once.
    members = await env.people(2, prefix="z")
    env.clock.now = datetime(2026, 11, 17, 12, tzinfo=UTC)
    [sent] = await env.say(LEA, "meeting summary We agreed on two videos per month.")
    assert "goes to" in sent.text
    [summary] = env.received(members[0])
    assert summary.title == "From the ambassador meeting on 2026-11-17"
    assert summary.text == "We agreed on two videos per month." and "Lea Lead" in summary.context
    [twice] = await env.say(LEA, "meeting summary Again")
    assert "was sent already" in twice.text
    # A week later, still about the meeting that took place (the 17th), not about a day without one.
    env.clock.now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    [late] = await env.say(LEA, "meeting summary Again")
    assert "meeting on 2026-11-17 was sent already" in late.text and "2026-11-24" not in late.text
    [refused] = await env.say(CLARA, "meeting summary Mine")
    assert "Only" in refused.text


async def test_a_summary_not_delivered_is_sent_again_by_the_meetings_outbox(env: Harness):
    [reached, away] = await env.people(2, prefix="y")
    env.sender.fail_for.add(away.user)
    env.clock.now = datetime(2026, 11, 17, 12, tzinfo=UTC)
    [sent] = await env.say(LEA, "meeting summary Two videos a month.")
    assert "goes to" in sent.text and len(env.received(reached)) == 1 and not env.received(away)
    env.sender.fail_for.discard(away.user)
    env.clock.move(minutes=2)  # past the first back-off
    await env.run_job("polls")  # the polls' outbox is the polls' own: a summary is not theirs to send
    assert not env.received(away)
    await env.run_job("meetings-outbox")
    [summary] = env.received(away)
    assert summary.text == "Two videos a month." and len(env.received(reached)) == 1  # nobody gets it twice
    assert await env.count(PollOutbox, PollOutbox.kind == "summary", PollOutbox.status != "sent") == 0


async def test_meeting_report_on_demand_in_chat(env: Harness, tmp_path: Path):
    await seed(env)
    env.core.settings.app.meetings = {"report_dir": str(tmp_path), "enabled": False}
    env.clock.now = P_END
    [reply] = await env.say(CLARA, "meeting report 2026-11-02 2026-11-15")
    assert reply.private and reply.title == "Ambassador meeting report"
    assert {f.label: f.value for f in reply.fields}["Joined"] == "4 (−4)"
    html = Path(reply.context.split(": ", 1)[1])
    assert _exists(html) and html.parent.name == "dept-Sales"
    [bad] = await env.say(CLARA, "meeting report last week")
    assert "two dates" in bad.text
    async with env.core.db.session() as s:
        assert (await s.exec(select(Meeting))).first() is None  # an on-demand report is no meeting


async def test_poll_texts_with_dollar_signs_are_drawn_as_written(env: Harness, tmp_path: Path):
    # matplotlib reads text between two $ as math: "$\frac$" failed to draw, "$5 or $10" came out in italics.
    async with env.core.db.session() as s:
        poll = Poll(question="Budget: $5 or $10?", options=["$5", r"$\frac$ or $x_1$"], status="closed",
                    created_at=at(6), closes_at=at(8), closed_at=at(8))
        s.add(poll)
        await s.commit()
    await polls.cast_ballot(env.core.db, poll, "k1", 1)
    report = await build_report(env.core.db, Period(P_START, P_END), now=P_END,
                                  sources=env.core.router.report_sources)
    files = write_report(report, tmp_path, env.core.translator("en"))
    chart = tmp_path / f"poll_{poll.id}.png"
    assert chart in files.charts and chart.stat().st_size > 8_000
    assert r"$\frac$ or $x_1$" in files.html.read_text(encoding="utf-8")


async def test_charts_are_drawn_here_when_the_chart_process_cannot_start(env: Harness, tmp_path: Path, monkeypatch):
    from handlers.meetings import charts

    await seed(env)
    monkeypatch.setattr(charts, "_spawn", lambda: None)
    monkeypatch.setattr(charts, "_pending", None)
    report = await build_report(env.core.db, Period(P_START, P_END), now=P_END,
                                  sources=env.core.router.report_sources)
    files = write_report(report, tmp_path, env.core.translator("en"))
    assert len(files.charts) == 8 and all(c.stat().st_size > 8_000 for c in files.charts)
    assert charts.last_run["in_process"] == 8


async def test_reports_at_once_share_a_bounded_number_of_chart_processes(env: Harness, tmp_path: Path, monkeypatch):
    import asyncio

    from handlers.meetings import charts

    await seed(env)
    report = await build_report(env.core.db, Period(P_START, P_END), now=P_END,
                                  sources=env.core.router.report_sources)
    alive: list[int] = []
    spawn = charts._spawn

    def counted():
        proc = spawn()
        alive.append(len([p for p in charts._live if p.poll() is None]))
        return proc

    monkeypatch.setattr(charts, "_spawn", counted)
    t = env.core.translator("en")
    runs = await asyncio.gather(*(asyncio.to_thread(write_report, report, tmp_path / str(i), t) for i in range(4)))
    assert all(len(files.charts) == 8 and all(c.stat().st_size > 8_000 for c in files.charts) for files in runs)
    assert max(alive) <= charts.MAX_PROCESSES
    assert not [p for p in charts._live if p.poll() is None]  # none left behind
