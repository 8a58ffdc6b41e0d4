"""The general checks of issue 13, item 6: every setting's ``off`` turns it off, and every limit the docs
state holds. Each is driven through the product and observed where a person would notice; where another
test file proves one already, the table names that test, and the meta-tests fail when a new off-able
setting or a changed limit has no test."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from bot.app import build_router
from bot.core import Core
from handlers import content
from storage.models import Person
from tests.harness import CLARA, ERIK, LEA, Harness
from tests.test_content import MONDAY, add_item, member, setup, who

ROOT = Path(__file__).resolve().parent.parent


# -- every off turns it off -----------------------------------------------------------------------

# The person's own settings (found in the commands' usage texts) and the sample app.yaml's switches
# (its true/false keys and the numbers where 0 means off), each with the test that proves its off.
OFFS = {
    "quiet hours off": "tests/test_offs_and_limits.py::test_quiet_hours_off_means_none_not_the_companys",
    "nudges pause": "tests/test_offs_and_limits.py::test_nudges_pause_sends_nothing_more",
    "thanks off": "tests/test_content.py::test_members_can_turn_the_thank_you_off_by_command_or_button",
    "thanks public off": "tests/test_offs_and_limits.py::test_thanks_public_off_takes_the_agreement_back",
    "content.require_approval": "tests/test_offs_and_limits.py::test_require_approval_off_lets_a_communicators_item_out_at_once",
    "content.thanks.enabled": "tests/test_offs_and_limits.py::test_thanks_enabled_off_thanks_nobody",
    "privacy.log_message_text": "tests/test_abuse.py::test_logs_hold_no_token_and_no_message_text",
    "llm.enabled": "tests/test_offs_and_limits.py::test_llm_off_answers_offline_with_a_key_set",
    "limits.per_user_per_minute": "tests/test_offs_and_limits.py::test_rate_limit_0_is_no_limit",
    "meetings": "tests/test_offs_and_limits.py::test_no_meetings_section_means_no_meeting_and_no_report",
    "department none": "tests/test_offs_and_limits.py::test_department_none_clears_the_department",
}
ZERO_IS_OFF = {"limits.per_user_per_minute"}  # "0 switches it off" in app.yaml
SECTION_IS_OFF = {"meetings"}  # "Without this section no report goes out by itself"


def _person_offs() -> set[str]:
    """Commands a person turns something off with: the off, pause or none of a usage text's choices."""
    catalog = build_router().catalog
    found = set()
    for key in catalog.keys():
        if not key.endswith(".usage"):
            continue
        for variant in catalog.get(key, "en").split(", "):
            words = variant.split()
            if len(words) < 2 or "|" not in words[-1]:
                continue
            for choice in words[-1].split("|"):
                if choice in ("off", "pause", "none"):
                    found.add(" ".join([*words[:-1], choice]))
    return found


def _switches(data: object, path: str = "") -> set[str]:
    out: set[str] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            out |= _switches(v, f"{path}.{k}" if path else str(k))
    elif isinstance(data, bool):
        out.add(path)
    return out


def test_every_off_able_setting_has_a_test_of_its_off():
    sample = yaml.safe_load((ROOT / "app.yaml").read_text(encoding="utf-8"))
    wanted = _person_offs() | _switches(sample) | ZERO_IS_OFF | SECTION_IS_OFF
    assert {"quiet hours off", "thanks off", "nudges pause", "content.require_approval"} <= wanted  # the finder works
    assert wanted <= set(OFFS), f"no test of the off of: {sorted(wanted - set(OFFS))}"
    for setting, node in OFFS.items():
        file, name = node.split("::")
        module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), f"{setting}: {node} does not exist"


async def test_quiet_hours_off_means_none_not_the_companys(core: Core):
    h = setup(core, core_group_days_earlier=0)
    # 09:30 in Berlin is 03:30 in New York: inside the company's quiet hours (20:00-08:00) there.
    await member(core, "U1", "anna@example.com", lang="en", tz="America/New_York")
    await member(core, "U2", "bert@example.com", lang="en", tz="America/New_York")
    await add_item(core, "News")
    [off] = await h.say(who("U1", "anna@example.com"), "quiet hours off")
    assert "No quiet hours for you" in off.text
    h.clock.now = MONDAY
    await content.nudge_job(core)
    assert h.received("U1") and not h.received("U2")  # off: at any time; Bert keeps the company's
    [back] = await h.say(who("U1", "anna@example.com"), "ruhezeiten standard")
    assert "20:00" in back.text


async def test_nudges_pause_sends_nothing_more(core: Core):
    h = setup(core, core_group_days_earlier=0)
    await member(core, "U1", "anna@example.com", lang="en")
    await add_item(core, "News")
    await h.say(who("U1", "anna@example.com"), "nudges pause")
    for week in range(3):
        h.clock.now = MONDAY + timedelta(days=7 * week)
        await content.nudge_job(core)
    assert h.received("U1") == []


async def test_thanks_public_off_takes_the_agreement_back(core: Core):
    h = setup(core)
    await member(core, "U1", "anna@example.com", lang="en")
    [on] = await h.say(who("U1", "anna@example.com"), "thanks public on")
    [off] = await h.say(who("U1", "anna@example.com"), "thanks public off")
    assert on.text != off.text
    from storage.models_content import ContentPref

    async with core.db.session() as s:
        anna = (await s.exec(select(Person).where(Person.email == "anna@example.com"))).one()
        pref = await s.get(ContentPref, anna.id)
    assert pref is not None and pref.thanks_public is False


async def test_department_none_clears_the_department(core: Core):
    h = Harness(core)
    [maria] = await h.people(1, department="Sales")  # not in app.yaml: her own word sets it
    [cleared] = await h.say(maria, "department none")
    assert "no longer set" in cleared.text
    [person] = await h.rows(Person, Person.email == maria.email)
    assert person.department is None
    [shown] = await h.say(maria, "department")
    assert "Your department: none." in shown.text


async def test_thanks_enabled_off_thanks_nobody(core: Core):
    from tests.test_content import APRIL_1, THANKS, thanks_crowd

    h = setup(core, thanks={**THANKS, "enabled": False})
    await thanks_crowd(core)
    h.clock.now = APRIL_1
    await content.thanks_job(core)
    assert h.sender.log == []


async def test_require_approval_off_lets_a_communicators_item_out_at_once(core: Core):
    h = Harness(core)
    await h.member(CLARA)
    await h.member(LEA)
    core.settings.app.content = {**(core.settings.app.content or {}), "require_approval": False}
    [added] = await h.say(CLARA, "content add url: https://example.com/fair | title: Fair | audience: Sales | en: Come by")
    assert "Added #1" in added.text and "approval" not in added.text, added.text
    assert not h.received(LEA)  # no approval request
    core.settings.app.content = {**core.settings.app.content, "require_approval": True}
    [waits] = await h.say(CLARA, "content add url: https://example.com/fair2 | title: Fair 2 | audience: Sales | en: Again")
    assert "approval" in waits.text


async def test_llm_off_answers_offline_with_a_key_set(settings, monkeypatch):
    import dataclasses

    from bot.app import build_core
    from handlers.ask.config import llm_config
    from knowledge import llm

    settings = dataclasses.replace(settings, openai_api_key="sk-test-not-used")
    assert llm_config(settings).enabled is False  # the sample: off

    def no_model(*args, **kwargs):
        raise AssertionError("a language model client was made with llm.enabled off")
    monkeypatch.setattr(llm.Composer, "__init__", no_model)
    core = build_core(settings)
    await core.db.upgrade()
    try:
        h = Harness(core)
        await h.member(ERIK)
        [answer] = await h.say(ERIK, "ask May I post a photo of our new office?")
        assert answer.text and "went wrong" not in answer.text, answer.text
    finally:
        await core.db.dispose()


@pytest.mark.parametrize("limit", [30, 0])
async def test_rate_limit_0_is_no_limit(settings, limit):
    from bot.app import build_core

    settings.app.limits.per_user_per_minute = limit
    core = build_core(settings)
    await core.db.upgrade()
    try:
        h = Harness(core)
        await h.member(ERIK)
        answered = [await h.say(ERIK, "help") for _ in range(35)]
        slowed = [a for a in answered if not a or "a lot of messages" in a[0].text]
        assert (len(slowed) == 5) if limit else not slowed, [a[0].text[:80] for a in answered[29:31] if a]
    finally:
        await core.db.dispose()


async def test_no_meetings_section_means_no_meeting_and_no_report(core: Core):
    from handlers import meetings

    h = Harness(core)
    await h.member(LEA)
    core.settings.app.meetings = None
    [reply] = await h.say(LEA, "meeting next")
    assert "No meeting rhythm is set" in reply.text
    h.clock.move(days=30)
    await meetings.meetings_job(core)
    assert h.received(LEA) == []


# -- every limit the docs state holds ---------------------------------------------------------------

# (document, the sentence stating the limit, the test proving it): a changed sentence fails here until
# its test is changed too.
LIMITS = [
    ("docs/knowledge.md", "12,000 characters is refused by the core with its length",
     "tests/test_offs_and_limits.py::test_a_message_over_12000_characters_is_refused_with_its_length"),
    ("docs/content.md", "Post texts may have up to 3,000 characters",
     "tests/test_offs_and_limits.py::test_a_post_text_over_3000_characters_is_refused"),
    ("docs/polls.md", "then 2 to 20 answers separated by `|`",
     "tests/test_offs_and_limits.py::test_a_poll_has_2_to_20_answers_of_at_most_75_characters"),
    ("docs/polls.md", "most 75 characters long",
     "tests/test_offs_and_limits.py::test_a_poll_has_2_to_20_answers_of_at_most_75_characters"),
    ("docs/operations.md", "per_user_per_minute: 30 # messages a person may send in a minute; 0: no limit",
     "tests/test_abuse.py::test_a_flood_from_one_person_gets_one_friendly_message_and_is_not_worked_off"),
    ("docs/operations.md", "at most 1 MB", "tests/test_abuse.py::test_oversized_bodies_get_413_on_every_post_route"),
    ("docs/operations.md", "at most 5 minutes old",
     "tests/test_abuse.py::test_a_replayed_slack_request_is_answered_once_and_refused_after_five_minutes"),
    ("docs/content.md", "`nudges biweekly` means at most one message in 13 days",
     "tests/test_content.py::test_quiet_hours_pause_and_every_two_weeks_are_honoured"),
    ("docs/polls.md", "min_anonymous_votes: 5",
     "tests/test_polls.py::test_anonymous_poll_reveals_no_vote_in_results_exports_or_logs"),
]


@pytest.mark.parametrize(("doc", "sentence", "node"), LIMITS, ids=[s for _, s, _ in LIMITS])
def test_each_stated_limit_has_a_test(doc, sentence, node):
    text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
    assert sentence in text, f"{doc} no longer says {sentence!r}: change its test with it"
    file, name = node.split("::")
    module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
    assert callable(getattr(module, name, None)), f"{node} does not exist"


async def test_a_message_over_12000_characters_is_refused_with_its_length(core: Core):
    h = Harness(core)
    await h.member(ERIK)
    [over] = await h.say(ERIK, "x" * 12_001)
    assert "Your message has 12,001 characters; I read at most 12,000" in over.text
    [fits] = await h.say(ERIK, "x" * 12_000)
    assert "characters; I read at most" not in fits.text
    [german] = await h.say(ERIK, "ä" * 12_001, lang="de-DE")
    assert "12,001" in german.text or "12.001" in german.text


async def test_a_post_text_over_3000_characters_is_refused(core: Core):
    h = Harness(core)
    await h.member(LEA)
    [over] = await h.say(LEA, "content add url: https://example.com/a | title: Long | en: " + "y" * 3001)
    assert "has 3001 characters; LinkedIn takes at most 3000" in over.text.replace(",", ""), over.text
    [fits] = await h.say(LEA, "content add url: https://example.com/b | title: Fits | en: " + "y" * 3000)
    assert "Added #" in fits.text, fits.text


async def test_a_poll_has_2_to_20_answers_of_at_most_75_characters(core: Core):
    h = Harness(core)
    await h.member(LEA)
    [one] = await h.say(LEA, 'poll "Q?" Only --closes 1d')
    assert "at least 2 options; I found 1" in one.text
    many = " | ".join(f"A{i}" for i in range(21))
    [over] = await h.say(LEA, f'poll "Q?" {many} --closes 1d')
    assert "at most 20 options; I found 21" in over.text
    [long] = await h.say(LEA, f'poll "Q?" {"z" * 76} | Short --closes 1d')
    assert "is longer than 75 characters" in long.text
    full = " | ".join(f"{i:02d}" + "w" * 73 for i in range(20))
    [fits] = await h.say(LEA, f'poll "Q?" {full} --closes 1d')
    assert re.search(r"Poll #\d+", fits.text), fits.text
