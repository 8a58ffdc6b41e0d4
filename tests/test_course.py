"""The course for new ambassadors: held by the guideline files (``course:``), taken in chat, counted once.

Walked end to end through the harness, through slack-bolt against the fake Slack Web API, through
the Agents SDK against the fake Bot Framework connector and in the terminal, in English and German;
the bad input (an answer pressed twice, on an old message, after the course changed, by someone who
left or never joined, a knowledge base without a course), "my data" and "forget me", the figures the
meeting report and the weekly nudge will read, and the loader's errors with file and line.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.app import build_core, create_app
from handlers.course import course_figures, unfinished_members
from handlers.course.steps import load_course
from knowledge.loader import DEFAULT_PATH, check_kb, load_kb
from storage.models import Person
from storage.models_course import CourseAnswer, CourseProgress
from tests.clock import Clock
from tests.conftest import EMPLOYEE_EMAIL, LEAD_EMAIL, make_settings
from tests.fakes.slack import EMPLOYEE, FakeSlack
from tests.fakes.teams import FakeConnector
from tests.harness import ERIK, LEA, START, Harness, Who
from tests.test_shell import chat
from tests.test_slack import SlackBot, all_text, button, dm_of, slack_env
from tests.test_teams import EMPLOYEE as TEAMS_EMPLOYEE
from tests.test_teams import USERS, Teams, personal

# The sample's course, in order: (guideline id, the letter of the right answer).
SAMPLE = [
    ("confidential.unreleased-products", "B"),
    ("privacy.pictures-of-people", "B"),
    ("disclosure.say-you-work-here", "B"),
    ("spokesperson.press-inquiries", "B"),
    ("crisis.do-not-engage", "C"),
]
NORA = Who("U0NORA", "nora.new@example.com", "Nora New")


@pytest.fixture
async def env(core) -> Harness:
    h = Harness(core)
    await h.member(ERIK)
    return h


@pytest.fixture
async def any_env(any_core) -> Harness:
    """SQLite and PostgreSQL: where counting once rests on the database's unique constraint."""
    h = Harness(any_core)
    await h.member(ERIK)
    return h


def own_kb(h: Harness, tmp_path: Path) -> Path:
    """A copy of the sample guideline files the bot reads instead, to change during a test."""
    folder = tmp_path / "guidelines"
    shutil.copytree(DEFAULT_PATH, folder)
    h.core.settings.app.knowledge = {**(h.core.settings.app.knowledge or {}), "path": str(folder)}
    return folder


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later = time.time() + 5  # a changed stamp even on a file system with coarse times
    os.utime(path, (later, later))


def answer_button(reply, letter: str):
    [b] = [b for b in reply.buttons if b.label == letter]
    assert b.action_id == "course.answer"
    return b


async def press_answer(h: Harness, who: Who, reply, letter: str, **kw):
    b = answer_button(reply, letter)
    return await h.press(who, b.action_id, b.value, **kw)


async def answers(h: Harness, who: Who) -> list[CourseAnswer]:
    [person] = await h.rows(Person, Person.email == who.email)
    return await h.rows(CourseAnswer, CourseAnswer.person_id == person.id)


async def progress(h: Harness, who: Who) -> CourseProgress | None:
    [person] = await h.rows(Person, Person.email == who.email)
    rows = await h.rows(CourseProgress, CourseProgress.person_id == person.id)
    return rows[0] if rows else None


# -- the guideline files hold the course ---------------------------------------------------------


def test_the_sample_marks_five_guidelines_for_the_course_each_in_both_languages():
    kb = load_kb()
    steps = kb.course()
    assert [g.id for g in steps] == [gid for gid, _ in SAMPLE]
    for g, (_, letter) in zip(steps, SAMPLE, strict=True):
        c = g.course
        assert c is not None and "ABCDE"[c.right] == letter
        for part in (c.rule, c.example, c.question, c.why, *(o.text for o in c.options)):
            assert set(part) == {"de", "en"} and all(part.values())
        assert sum(o.right for o in c.options) == 1
    assert all(g.course is None for g in kb.guidelines if g.id not in dict(SAMPLE))


COURSE_OK = """\
    course:
      rule: {de: Regel., en: Rule.}
      example: {de: Beispiel., en: Example.}
      question: {de: Frage?, en: Question?}
      options:
        - {de: Ja, en: "Yes", right: true}
        - {de: Nein, en: "No"}
      why: {de: Darum., en: Because.}
"""

GUIDELINE = """\
guidelines:
  - id: test.one
    topic: privacy
    verdict: check
    rule: {de: R, en: R}
    rationale: {de: R, en: R}
    instead: {de: I, en: I}
    triggers: {de: [foto], en: [photo]}
"""


def problems_of(tmp_path: Path, course: str) -> list[str]:
    file = tmp_path / "kb.yaml"
    file.write_text(GUIDELINE + course, encoding="utf-8")
    kb, problems = check_kb(file)
    assert kb is None, "a broken course must not load"
    return problems


@pytest.mark.parametrize(("course", "line", "message"), [
    (COURSE_OK.replace(", right: true}", "}"), 14, "no answer is marked right (add 'right: true' to the right one)"),
    (COURSE_OK.replace('{de: Nein, en: "No"}', '{de: Nein, en: "No", right: true}'), 15,
     "answer 2 is marked right, and so is answer at line 14; a question has exactly one right answer"),
    (COURSE_OK.replace("{de: Frage?, en: Question?}", "{de: Frage?}"), 12, "course.question: missing language 'en'"),
    (COURSE_OK.replace('{de: Nein, en: "No"}', '{en: "No"}'), 15, "options answer 2: missing language 'de'"),
    (COURSE_OK.replace("      example: {de: Beispiel., en: Example.}\n", ""), 10, "course: missing example"),
    (COURSE_OK.replace('        - {de: Nein, en: "No"}\n', ""), 14, "a question needs 2 to 5 answers, not 1"),
    (COURSE_OK.replace("      options:\n", "      options: lots\n").replace(
        '        - {de: Ja, en: "Yes", right: true}\n        - {de: Nein, en: "No"}\n', ""), 13,
     "course.options must be a list of answers"),
    (COURSE_OK.replace(", right: true}", ", right: maybe}"), 14, "right must be true or false, not 'maybe'"),
    (COURSE_OK + "      hint: {de: x, en: x}\n", 17, "course: unknown key 'hint'"),
    (COURSE_OK + "      order: first\n", 17, "course.order must be a whole number from 1 up, not 'first'"),
    ("    course: yes\n", 9, "course must be a mapping with rule, example, question, options and why"),
])
def test_a_broken_course_is_refused_with_file_and_line(tmp_path, course, line, message):
    problems = problems_of(tmp_path, course)
    assert len(problems) == 1, problems
    where, _, text = problems[0].partition(": ")
    assert where == f"{tmp_path / 'kb.yaml'}:{line}", problems
    assert text.startswith("guideline 'test.one': course"), problems
    assert message in text, problems


def test_a_course_entry_is_read_with_its_order(tmp_path):
    file = tmp_path / "kb.yaml"
    second = GUIDELINE.split("\n", 1)[1].replace("test.one", "test.two")
    file.write_text(GUIDELINE + COURSE_OK + second + COURSE_OK + "      order: 1\n", encoding="utf-8")
    kb = load_kb(file)
    assert [g.id for g in kb.course()] == ["test.two", "test.one"]  # ordered steps first, then the files' order
    [step] = [g.course for g in kb.guidelines if g.id == "test.one"]
    assert step.right == 0 and step.options[1].text == {"de": "Nein", "en": "No"} and step.why["en"] == "Because."


# -- the course in chat (the harness) -------------------------------------------------------------


async def test_the_course_walked_end_to_end_in_english(env: Harness):
    [first] = await env.say(ERIK, "course")
    assert first.title == "Course, step 1 of 5: Confidential information"
    assert "*Rule:* Don't post what hasn't been officially announced" in first.text
    assert "*Example:*" in first.text and "*Question:* You have a great photo of the prototype" in first.text
    assert "*B*  I wait for the announcement" in first.text
    assert [b.label for b in first.buttons] == ["A", "B", "C"]
    assert "A short course: 5 rules, one question each" in first.context

    # A wrong answer shows why and the right one, and the course goes on.
    result, second = await press_answer(env, ERIK, first, "A")
    assert result.update and not result.buttons
    assert "❌ Not quite: you chose A. The right answer is B (I wait for the announcement" in result.text
    assert "Why: A picture tells what we're working on" in result.text
    assert second.title == "Course, step 2 of 5: Privacy and pictures of people"

    reply = second
    for n, (_, letter) in enumerate(SAMPLE[1:], 2):
        out = await press_answer(env, ERIK, reply, letter)
        assert out[0].text.count("✅ Right: " + letter) == 1, out[0].text
        if n < 5:
            reply = out[1]
            assert reply.title.startswith(f"Course, step {n + 1} of 5")
    finished = out[-1]
    assert "🎓 You've finished the course (2026-11-02): 4 of 5 right at the first try" in finished.text
    row = await progress(env, ERIK)
    assert row.finished_at is not None and row.finished_at.date() == START.date()
    assert len(await answers(env, ERIK)) == 5

    env.clock.move(days=3)
    [again] = await env.say(ERIK, "course")
    assert again.text == "You finished the course on 2026-11-02. Write *rules* to look up a rule again."
    assert (await progress(env, ERIK)).finished_at.date() == START.date()  # recorded once


async def test_der_kurs_auf_deutsch(env: Harness):
    await env.member(NORA, lang="de")
    [first] = await env.say(NORA, "kurs", lang="de-DE")
    assert first.title == "Kurs, Schritt 1 von 5: Vertrauliche Informationen"
    assert "*Regel:* Was noch nicht offiziell angekündigt ist" in first.text and "*Frage:*" in first.text
    assert "Ein kurzer Kurs: 5 Regeln mit je einer Frage" in first.context
    result, reply = await press_answer(env, NORA, first, "C", lang="de-DE")
    assert "❌ Nicht ganz: Du hast C gewählt. Richtig ist B (Ich warte auf die Ankündigung" in result.text
    assert "Warum: Ein Bild verrät" in result.text and "Kein Problem" in result.context
    for _, letter in SAMPLE[1:]:
        out = await press_answer(env, NORA, reply, letter, lang="de-DE")
        assert "✅ Richtig: " + letter in out[0].text
        reply = out[-1]
    assert reply.text.startswith("🎓 Du hast den Kurs abgeschlossen (02.11.2026): 4 von 5 beim ersten Versuch richtig")
    [again] = await env.say(NORA, "kurs", lang="de-DE")
    assert again.text.startswith("Du hast den Kurs am 02.11.2026 abgeschlossen.")


async def test_progress_is_saved_and_the_course_resumes_where_it_stopped(env: Harness):
    [first] = await env.say(ERIK, "course")
    _, second = await press_answer(env, ERIK, first, "B")
    _, third = await press_answer(env, ERIK, second, "B")
    assert third.title.startswith("Course, step 3 of 5")
    env.clock.move(days=2)
    [resumed] = await env.say(ERIK, "course")
    assert resumed.title == third.title and resumed.text == third.text
    assert resumed.context == "Welcome back: 2 of 5 steps done, here is the next one."
    assert (await progress(env, ERIK)).started_at.replace(tzinfo=None) == START.replace(tzinfo=None)  # started once
    # The old step's buttons still work on the resumed message: the same question.
    out = await press_answer(env, ERIK, resumed, "B")
    assert "✅ Right: B" in out[0].text and out[1].title.startswith("Course, step 4 of 5")


# -- bad input ---------------------------------------------------------------------------------


async def test_an_answer_pressed_twice_counts_once(any_env: Harness):
    env = any_env
    [first] = await env.say(ERIK, "course")
    await press_answer(env, ERIK, first, "A")
    again = await press_answer(env, ERIK, first, "B")  # the right one, afterwards: too late
    assert again[0].text == "You've answered this question already; your first answer counts."
    assert again[1].title.startswith("Course, step 2 of 5")
    [row] = await answers(env, ERIK)
    assert row.guideline_id == SAMPLE[0][0] and row.right is False
    # Two devices press at the same moment: one answer counts, the other is told it was answered.
    second = again[1]
    both = await asyncio.gather(press_answer(env, ERIK, second, "A"), press_answer(env, ERIK, second, "B"))
    assert sorted(len([r for r in out if "already" in r.text]) for out in both) == [0, 1]
    assert len(await answers(env, ERIK)) == 2


async def test_an_old_message_of_a_passed_step_changes_nothing_and_shows_where_one_is(env: Harness):
    [first] = await env.say(ERIK, "course")
    _, second = await press_answer(env, ERIK, first, "B")
    _, third = await press_answer(env, ERIK, second, "B")
    out = await press_answer(env, ERIK, first, "B")
    assert "already" in out[0].text and out[1].title.startswith("Course, step 3 of 5")
    assert len(await answers(env, ERIK)) == 2


async def test_an_answer_on_a_course_changed_since_is_not_counted(env: Harness, tmp_path):
    folder = own_kb(env, tmp_path)
    [first] = await env.say(ERIK, "course")
    rewrite(folder / "confidential.yaml", "What do you do?", "What is the right thing to do?")
    out = await press_answer(env, ERIK, first, "B")
    assert out[0].text.startswith("The course has changed since this question was sent, so that answer isn't counted")
    assert "What is the right thing to do?" in out[1].text and out[1].title.startswith("Course, step 1 of 5")
    assert await answers(env, ERIK) == []
    out = await press_answer(env, ERIK, out[1], "B")  # the new message's buttons count
    assert "✅ Right: B" in out[0].text and len(await answers(env, ERIK)) == 1


async def test_a_step_removed_from_the_files_finishes_the_course_of_who_answered_the_rest(env: Harness, tmp_path):
    folder = own_kb(env, tmp_path)
    [reply] = await env.say(ERIK, "course")
    for _, letter in SAMPLE[:4]:
        out = await press_answer(env, ERIK, reply, letter)
        reply = out[-1]
    text = (folder / "crisis.yaml").read_text(encoding="utf-8")
    start = text.index("    course:\n      order: 5")
    end = text.index("  - id:", start)
    (folder / "crisis.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    [done] = await env.say(ERIK, "course")
    assert done.text.startswith("🎓 You've finished the course (2026-11-02): 4 of 4 right")
    assert (await progress(env, ERIK)).finished_at is not None


@pytest.mark.parametrize("values", [
    {"o": 7}, {"o": -1}, {"o": "x"}, {"o": None}, {"o": True}, {"o": 2**80},
])
async def test_a_forged_answer_is_refused_and_the_question_shown_again(env: Harness, values):
    [first] = await env.say(ERIK, "course")
    b = answer_button(first, "A")
    out = await env.press(ERIK, "course.answer", {**b.value, **values})
    assert out[0].text == "That isn't one of the answers; here is the question again."
    assert out[1].title == first.title and await answers(env, ERIK) == []


@pytest.mark.parametrize("values", [{}, {"g": "privacy.personal-data", "o": 0}, {"g": ["x"], "o": 0, "v": {}}])
async def test_an_answer_to_no_question_of_the_course_is_not_counted(env: Harness, values):
    [first] = await env.say(ERIK, "course")
    out = await env.press(ERIK, "course.answer", {"v": first.buttons[0].value["v"], **values})
    assert "has changed" in out[0].text and out[1].title == first.title
    assert await answers(env, ERIK) == []


async def test_anyone_may_take_it_and_only_members_count(env: Harness):
    """Someone who never joined, and someone who left, take the course; the figures count members."""
    await env.member(NORA, joined=False)
    await env.member(LEA, joined=False)
    [first] = await env.say(NORA, "course")
    assert first.title.startswith("Course, step 1 of 5")
    await press_answer(env, NORA, first, "B")
    # Erik starts, leaves the program, and goes on: his progress stays and his answers count.
    [erik_first] = await env.say(ERIK, "course")
    await env.say(ERIK, "leave")
    out = await press_answer(env, ERIK, erik_first, "B")
    assert "✅ Right" in out[0].text and len(await answers(env, ERIK)) == 1
    async with env.core.db.session() as s:
        figures = await course_figures(s, START - timedelta(days=1), START + timedelta(days=1))
    assert (figures.started, figures.finished, figures.members) == (0, 0, 0)


async def test_a_knowledge_base_without_a_course_says_so_and_names_who_to_ask(env: Harness, tmp_path):
    folder = own_kb(env, tmp_path)
    for file in folder.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        while "    course:\n" in text:
            start = text.index("    course:\n")
            end = text.find("\n  - id:", start)
            text = text[:start] + (text[end + 1:] if end != -1 else "")
        file.write_text(text, encoding="utf-8")
    [reply] = await env.say(ERIK, "course")
    assert reply.text == f"There is no course yet: no guideline is marked for it. If you'd like one, ask {LEAD_EMAIL}."
    assert not reply.buttons
    await env.member(NORA, lang="de")
    [de] = await env.say(NORA, "kurs", lang="de-DE")
    assert de.text.startswith("Einen Kurs gibt es noch nicht") and LEAD_EMAIL in de.text
    assert await env.count(CourseProgress) == 0


async def test_broken_guideline_files_leave_the_course_unavailable_never_a_crash(env: Harness, tmp_path):
    folder = own_kb(env, tmp_path)
    rewrite(folder / "privacy.yaml", "          right: true\n", "")
    [reply] = await env.say(ERIK, "course")
    assert reply.text.startswith("The course can't be read right now: the guideline files have an error")
    assert LEAD_EMAIL in reply.text
    with pytest.raises(Exception) as err:
        await load_course(env.core)
    assert "privacy.yaml" in str(err.value) and "no answer is marked right" in str(err.value)


# -- joining offers it -------------------------------------------------------------------------


async def test_join_offers_the_course_in_the_persons_language_and_not_once_finished(env: Harness):
    await env.member(NORA, joined=False)
    [welcome] = await env.press(NORA, "join.confirm", {"notice_version": 1, "_lang": "en"})
    assert welcome.text.startswith("Welcome to Ambassador-Programm!")
    assert "A short course shows the 5 rules that matter most before you post, about 4 minutes: " \
           "write *course* whenever you like." in welcome.text
    assert await env.count(CourseProgress) == 0  # offered, not forced

    await env.member(LEA, joined=False, lang="de")
    [willkommen] = await env.press(LEA, "join.confirm", {"notice_version": 1, "_lang": "de"}, lang="de-DE")
    assert "Ein kurzer Kurs zeigt dir die 5 wichtigsten Regeln fürs Posten" in willkommen.text

    # Someone who finished before (and left) is not offered it again.
    [reply] = await env.say(ERIK, "course")
    for _, letter in SAMPLE:
        reply = (await press_answer(env, ERIK, reply, letter))[-1]
    await env.say(ERIK, "leave")
    [back] = await env.press(ERIK, "join.confirm", {"notice_version": 1, "_lang": "en"})
    assert back.text.startswith("Welcome") and "course" not in back.text


# -- privacy -----------------------------------------------------------------------------------


async def test_my_data_lists_the_progress_and_forget_me_deletes_it(env: Harness):
    [data] = await env.say(ERIK, "my data")
    assert {f.label: f.value for f in data.fields}["Course"] == "not started"
    [first] = await env.say(ERIK, "course")
    await press_answer(env, ERIK, first, "A")
    [data] = await env.say(ERIK, "my data")
    assert {f.label: f.value for f in data.fields}["Course"] == (
        "started 2026-11-02; 1 of 5 questions answered, 0 right at the first try; finished not yet")
    await env.say(ERIK, "language de")
    [de] = await env.say(ERIK, "meine daten", lang="de-DE")
    assert {f.label: f.value for f in de.fields}["Kurs"].startswith("begonnen 02.11.2026; 1 von 5 Fragen beantwortet")

    await env.press(ERIK, "forget.confirm")
    assert await env.count(CourseAnswer) == 0 and await env.count(CourseProgress) == 0


# -- figures for the meeting report and the weekly nudge ---------------------------------------


async def test_course_figures_count_members_who_started_and_finished_in_the_period(any_env: Harness):
    env = any_env
    crowd = await env.people(4)
    await env.member(NORA, joined=False)
    for who in (*crowd[:3], NORA):
        [first] = await env.say(who, "course")
        await press_answer(env, who, first, "B")
    env.clock.move(days=8)
    for who in (crowd[0], crowd[1], NORA):  # two members and someone who never joined finish a week later
        [reply] = await env.say(who, "course")
        for _, letter in SAMPLE[1:]:
            reply = (await press_answer(env, who, reply, letter))[-1]
        assert reply.text.startswith("🎓")
    week1 = (START - timedelta(hours=1), START + timedelta(days=7))
    week2 = (START + timedelta(days=7), START + timedelta(days=14))
    async with env.core.db.session() as s:
        first = await course_figures(s, *week1)
        second = await course_figures(s, *week2)
        unfinished = await unfinished_members(s)
    members = 5  # Erik and the four
    assert (first.started, first.finished, first.finished_total, first.members) == (3, 0, 0, members)
    assert (second.started, second.finished, second.finished_total, second.members) == (0, 2, 2, members)
    # Erik never started, crowd[2] started and stopped, crowd[3] never started; Nora is no member.
    assert [p.email for p in unfinished] == sorted([ERIK.email, crowd[2].email, crowd[3].email],
                                                   key=[ERIK.email, *(c.email for c in crowd)].index)
    async with env.core.db.session() as s:
        await s.execute(update(Person).where(Person.email == crowd[0].email).values(is_member=False))
        await s.commit()
        assert (await course_figures(s, *week2)).finished == 1  # who left no longer counts


# -- Slack, Teams and the terminal ---------------------------------------------------------------


@pytest.fixture
async def fake():
    server = await FakeSlack().start()
    yield server
    await server.close()


async def test_slack_the_course_walked_with_the_buttons(aiohttp_client, fake, tmp_path):
    settings = make_settings(tmp_path, **slack_env(fake))
    core = build_core(settings)
    core.clock = Clock(START)
    bot = SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)

    await bot.dm(EMPLOYEE, "join")
    await bot.settled()
    await bot.click(EMPLOYEE, button(fake.replies()[-1], "I agree, join"), channel=dm_of(EMPLOYEE))
    await bot.settled()
    welcome = fake.replies()[-1]["text"]
    assert "Welcome to Ambassador-Programm" in welcome and "write *course* whenever you like" in welcome

    await bot.dm(EMPLOYEE, "course")
    await bot.settled()
    step = fake.replies()[-1]
    assert step["channel"] == dm_of(EMPLOYEE) and "Course, step 1 of 5" in all_text(step)
    wrong = button(step, "A")
    assert wrong["action_id"].startswith("course.answer") and json.loads(wrong["value"])["g"] == SAMPLE[0][0]
    await bot.click(EMPLOYEE, wrong, channel=dm_of(EMPLOYEE))
    await bot.settled()
    [updated] = fake.called("chat.update")  # the question's message now shows the answer, without buttons
    assert "Not quite: you chose A" in all_text(updated) and "Why:" in all_text(updated)
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]
    await bot.click(EMPLOYEE, button(step, "B"), channel=dm_of(EMPLOYEE))  # pressed again on the old message
    await bot.settled()
    assert "answered this question already" in fake.replies()[-2]["text"]

    for _, letter in SAMPLE[1:]:
        step = fake.replies()[-1]
        await bot.click(EMPLOYEE, button(step, letter), channel=dm_of(EMPLOYEE))
        await bot.settled()
    assert "You've finished the course (2026-11-02): 4 of 5 right" in fake.replies()[-1]["text"]
    erik = await bot.person(EMPLOYEE_EMAIL)
    async with core.db.session() as s:
        assert (await s.get(CourseProgress, erik.id)).finished_at is not None
    assert await bot.count(CourseAnswer) == 5


@pytest.fixture
async def connector():
    server = await FakeConnector(users=dict(USERS)).start()
    yield server
    await server.close()


async def test_teams_der_kurs_mit_den_karten(aiohttp_client, connector, tmp_path):
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    core = build_core(settings)
    core.clock = Clock(START)
    client = await aiohttp_client(create_app(settings, core=core, background=False))
    teams = Teams(client, connector, core, itertools.count(1))

    [card] = await teams.say("kurs", user=TEAMS_EMPLOYEE, locale="de-DE")
    assert card.conversation_id == personal(TEAMS_EMPLOYEE)
    assert "Kurs, Schritt 1 von 5" in card.all_text() and "Regel:" in card.all_text()
    for n, (_, letter) in enumerate(SAMPLE):
        card_id = f"bot-activity-{connector.posted.index(card) + 1}"
        action = next(a for a in card.card["actions"] if a["title"] == letter)
        posted = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value=action["data"], replyToId=card_id,
                                                 locale="de-DE"))
        result = connector.updated[-1]
        assert result.reply_to_id == card_id and f"✅ Richtig: {letter}" in result.all_text()
        [card] = posted
        if n < 4:
            assert f"Kurs, Schritt {n + 2} von 5" in card.all_text()
    assert "Du hast den Kurs abgeschlossen (02.11.2026): 5 von 5" in card.all_text()
    # The first card pressed once more: the answer counted once.
    first = connector.posted[0]
    action = next(a for a in first.card["actions"] if a["title"] == "A")
    [again, done] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value=action["data"],
                                                    replyToId="bot-activity-1", locale="de-DE"))
    assert "schon beantwortet" in again.all_text() and "abgeschlossen" in done.all_text()
    assert await teams.count(CourseAnswer) == 5


def test_terminal_the_course_in_english_and_german(tmp_path):
    # Step 1 wrong (A), then the right letters: B B B C, pressed by their numbers ([1] A [2] B [3] C).
    proc = chat(tmp_path, ["course", "1", "2", "2", "2", "3", "course", "quit"],
                "--as", "erik@example.com", "--lang", "en")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "== Course, step 1 of 5: Confidential information ==" in out and "[1] A  [2] B  [3] C" in out
    assert "Not quite: you chose A" in out and "== Course, step 5 of 5" in out
    assert "You've finished the course" in out and "4 of 5 right at the first try" in out
    assert "You finished the course on" in out
    assert "Traceback" not in proc.stderr

    proc = chat(tmp_path, ["kurs", "2", "kurs", "quit"], "--as", "maria.marketing@example.com")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "== Kurs, Schritt 1 von 5: Vertrauliche Informationen ==" in out and "✅ Richtig: B" in out
    assert "Willkommen zurück: 1 von 5 Schritten erledigt" in out


# -- the welcome's button ------------------------------------------------------------------------


async def test_slack_the_welcome_starts_the_course_with_its_button(aiohttp_client, fake, tmp_path):
    settings = make_settings(tmp_path, **slack_env(fake))
    core = build_core(settings)
    core.clock = Clock(START)
    bot = SlackBot(await aiohttp_client(create_app(settings, core=core, background=False)), fake)
    await bot.dm(EMPLOYEE, "join")
    await bot.settled()
    await bot.click(EMPLOYEE, button(fake.replies()[-1], "I agree, join"), channel=dm_of(EMPLOYEE))
    await bot.settled()
    welcome = fake.replies()[-1]
    assert "write *course* whenever you like" in all_text(welcome)  # the line stays beside the button
    start = button(welcome, "Start the course")
    assert start["action_id"].startswith("course.start")
    await bot.click(EMPLOYEE, start, channel=dm_of(EMPLOYEE))
    await bot.settled()
    assert "Course, step 1 of 5" in all_text(fake.replies()[-1])
    erik = await bot.person(EMPLOYEE_EMAIL)
    async with core.db.session() as s:
        assert (await s.get(CourseProgress, erik.id)) is not None


async def test_teams_der_willkommensgruss_startet_den_kurs_per_knopf(aiohttp_client, connector, tmp_path):
    settings = make_settings(tmp_path, TEAMS_ALLOW_UNAUTHENTICATED="1")
    core = build_core(settings)
    core.clock = Clock(START)
    teams = Teams(await aiohttp_client(create_app(settings, core=core, background=False)), connector, core,
                  itertools.count(1))
    [notice] = await teams.say("beitreten", user=TEAMS_EMPLOYEE, locale="de-DE")
    confirm = next(a for a in notice.card["actions"] if a["data"].get("action") == "join.confirm")
    [welcome] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value=confirm["data"], locale="de-DE"))
    assert "Schreib **kurs**, wann immer du magst" in welcome.all_text()
    start = next(a for a in welcome.card["actions"] if a["title"] == "Kurs starten")
    [step] = await teams.send(teams.activity(user=TEAMS_EMPLOYEE, value=start["data"], locale="de-DE"))
    assert "Kurs, Schritt 1 von 5" in step.all_text()


def test_terminal_the_welcome_starts_the_course_with_its_button(tmp_path):
    proc = chat(tmp_path, ["join", "1", "1", "quit"], "--as", "nora.new@example.com", "--lang", "en")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "Welcome to Ambassador-Programm!" in out and "[1] Start the course" in out
    assert "== Course, step 1 of 5" in out
