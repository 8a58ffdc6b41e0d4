"""Issue 12: the engine's judgement follows the company's files, not the sample's.

A second knowledge base (tests/kb_second/kb: Brightwater Bikes, a fictitious bicycle maker with its
own topics and some rules looser or stricter than the sample's) is held to the same bar as the sample;
a verdict changed in a guideline file changes the answer, in both directions; and no engine module
names a topic of the sample.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluate import evaluate, load_cases
from knowledge.findings import GOVERNABLE
from knowledge.loader import DEFAULT_PATH, OPTIONAL, check_kb, load_kb

SECOND = Path(__file__).resolve().parent / "kb_second"
SAMPLE_TOPICS = (
    "official_content confidential spokesperson crisis disclosure copyright privacy netiquette "
    "company_accounts working_time voluntary contacts"
).split()


@pytest.fixture(scope="module")
def second() -> Engine:
    return Engine(load_kb(SECOND / "kb"))


@pytest.fixture(scope="module")
def sample() -> Engine:
    return Engine(load_kb())


def test_the_second_company_has_its_own_topics_and_about_twenty_guidelines() -> None:
    kb = load_kb(SECOND / "kb")
    assert 18 <= len(kb.guidelines) <= 25
    assert not set(kb.topics()) & set(SAMPLE_TOPICS)
    for g in kb.guidelines:
        assert set(g.rule) == {"de", "en"} and set(g.triggers) == {"de", "en"}, g.id


def test_the_second_company_s_cases_meet_the_bar(second: Engine) -> None:
    cases = load_cases(SECOND / "cases.yaml")
    assert len(cases) >= 30
    assert {c.lang for c in cases} == {"de", "en"}
    report = evaluate(second, cases)
    detail = "\n".join(report.lines(verbose=True))
    assert report.wrong_go == 0, detail
    assert report.verdict_accuracy >= 0.90, detail
    assert report.topic_accuracy >= 0.90, detail
    assert report.language_accuracy == 1.0, detail


@pytest.mark.parametrize(
    ("text", "sample_verdict", "second_verdict"),
    [
        # looser at Brightwater: a team photo everyone agreed to, a podcast in working time
        ("Darf ich ein Foto von meinen Kollegen beim Sommerfest posten? Alle sind einverstanden.", "check", "go"),
        ("Ich möchte jede Woche einen Podcast während der Arbeitszeit aufnehmen", "check", "go"),
        # stricter at Brightwater: any gift rules the post out
        ("I got a free product from a supplier and they want me to post about it. I'd mark it as an ad.", "check", "no"),
    ],
)
def test_the_same_question_gets_each_company_s_answer(
    sample: Engine, second: Engine, text: str, sample_verdict: str, second_verdict: str
) -> None:
    assert sample.answer(text).verdict == sample_verdict
    assert second.answer(text).verdict == second_verdict


def _sample_with(tmp_path: Path, guideline: str, old: str, new: str) -> Engine:
    """The sample knowledge base with one line of one guideline changed, as a comms team would edit it."""
    kb = tmp_path / "kb"
    shutil.copytree(DEFAULT_PATH, kb)
    for file in kb.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        start = text.find(f"- id: {guideline}\n")
        if start >= 0:
            at = text.index(old, start)
            file.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
            return Engine(load_kb(kb))
    raise AssertionError(f"no guideline {guideline}")


@pytest.mark.parametrize("lang_text", [
    "Can I post a photo of my team at the summer party?",
    "Darf ich ein Foto von meinen Kollegen beim Sommerfest posten?",
])
def test_a_rule_made_looser_in_yaml_loosens_the_answer(sample: Engine, tmp_path: Path, lang_text: str) -> None:
    assert sample.answer(lang_text).verdict == "check"
    looser = _sample_with(tmp_path, "privacy.pictures-of-people", "verdict: check", "verdict: go")
    assert looser.answer(lang_text).verdict == "go"


@pytest.mark.parametrize("lang_text", [
    "May I share a company post during working hours?",
    "Darf ich während der Arbeitszeit Beiträge der Firma liken?",
])
def test_a_rule_made_stricter_in_yaml_tightens_the_answer(sample: Engine, tmp_path: Path, lang_text: str) -> None:
    assert sample.answer(lang_text).verdict == "go"
    stricter = _sample_with(tmp_path, "working-time.short-during-hours", "verdict: go", "verdict: check")
    assert stricter.answer(lang_text).verdict == "check"


def test_a_governed_finding_follows_its_verdict_both_ways(sample: Engine, tmp_path: Path) -> None:
    text = "A supplier sent me a free headset, may I review it?"
    assert sample.answer(text).verdict == "check"
    no = _sample_with(tmp_path / "a", "disclosure.gifts-endorsements", "verdict: check", 'verdict: "no"')
    assert no.answer(text).verdict == "no"


def test_what_a_go_needs_is_the_topic_s_word(tmp_path: Path) -> None:
    """``go_needs`` in topics.yaml: without it a rule that shares a word ("pro Woche") clears; with it, not."""
    text = "Entwurf: 'Unser Werk hat im Oktober zum ersten Mal so viel pro Woche gefertigt wie nie!'"
    kb = tmp_path / "kb"
    shutil.copytree(DEFAULT_PATH, kb)
    topics = kb / "topics.yaml"
    original = topics.read_text(encoding="utf-8")
    assert "    go_needs: [work_hours, time_effort]\n" in original
    relaxed = original.replace("    go_needs: [work_hours, time_effort]\n", "")
    topics.write_text(relaxed, encoding="utf-8")
    without = Engine(load_kb(kb)).answer(text)
    needing = Engine(load_kb()).answer(text)
    assert without.topics[:1] == needing.topics[:1] == ["working_time"]
    assert (without.verdict, needing.verdict) == ("go", "check")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    go_needs: [published, no_such_thing]", "topic 'a': go_needs: unknown name 'no_such_thing'"),
        ("    concepts: share", "topic 'a': concepts must be a list of names"),
        ("    negation_clears_no: maybe", "topic 'a': negation_clears_no must be true or false, not 'maybe'"),
        ("    weight: 3", "unknown key 'weight' in a topic"),
    ],
)
def test_a_topic_s_reading_rules_are_checked_at_load_with_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(f"topics:\n  - id: a\n    title: {{en: A, de: A}}\n{line}\n", encoding="utf-8")
    _, problems = check_kb(tmp_path)
    assert any(p.startswith(f"{path}:4: ") and message in p for p in problems), problems


def test_no_engine_module_names_a_sample_topic() -> None:
    """The sample's topic ids live in its files; code names findings ("crisis" is also one) and mechanisms."""
    product = Path(__file__).resolve().parents[1] / "knowledge"
    for module in sorted(product.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        for topic in SAMPLE_TOPICS:
            if topic in GOVERNABLE:
                continue
            if module.name == "loader.py" and topic in OPTIONAL:
                continue  # a field of the guideline format ("disclosure:"), not the sample's topic
            for m in re.finditer(rf"[\"']{topic}[\"']", text):
                line = text.count("\n", 0, m.start()) + 1
                raise AssertionError(f"{module.name}:{line} names the sample topic {topic!r}")


def test_a_rule_s_exception_met_by_the_question_lets_the_next_rule_answer(sample: Engine, tmp_path: Path) -> None:
    """``unless: [disclosed]`` on the rule against undisclosed reviews: a review that says so is fine."""
    said = "Ich will auf Kununu eine ehrliche Bewertung schreiben und erwähne darin, dass ich hier angestellt bin."
    hidden = "Darf ich unser Produkt bei Google mit fünf Sternen bewerten, ohne anzugeben, dass ich hier arbeite?"
    assert (sample.answer(said).verdict, sample.answer(hidden).verdict) == ("go", "no")
    without = _sample_with(tmp_path, "disclosure.honest-reviews", "    unless: [disclosed]", "")
    assert without.answer(said).verdict != "go"
    assert without.answer(hidden).verdict == "no"


def test_an_unknown_exception_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        "guidelines:\n  - id: a.one\n    topic: a\n    verdict: go\n"
        "    rule: {de: R, en: R}\n    rationale: {de: R, en: R}\n    instead: {de: R, en: R}\n"
        "    triggers: {de: [x], en: [x]}\n    unless: [disclosed, kindness]\n",
        encoding="utf-8",
    )
    _, problems = check_kb(tmp_path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:9: guideline 'a.one': unless: unknown finding 'kindness'")
