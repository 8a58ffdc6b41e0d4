"""The offline engine on the shared dev cases and on the engine's own hold-out cases.

Issue 3's bar without an LLM: at least 90% verdict accuracy (cases marked
'any' left out), no wrong 'go', 90% topic accuracy on the first topic and
every answer in the asker's language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluate import Report, evaluate, load_cases
from knowledge.loader import load_kb

DEV = Path(__file__).resolve().parents[2] / "shared/eval/dev.yaml"
# Written from other scenarios than dev.yaml, to catch tuning to single cases.
EXTRA = Path(__file__).resolve().parents[1] / "knowledge/cases/extra.yaml"
# Written in batches before the engine saw them (German du/Sie and English, typos, drafts with
# hashtags and emoji, indirect and mixed-language questions); a drop here means the engine
# stopped generalising.
HOLDOUT = Path(__file__).resolve().parents[1] / "knowledge/cases/holdout.yaml"
# Four further fresh batches of 50, each measured once before the engine was changed for it
# (first figures in docs/knowledge.md); kept here so later changes cannot quietly undo them.
FRESH = sorted((Path(__file__).resolve().parents[1] / "knowledge/cases").glob("fresh_*.yaml"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_kb())


def _check(report: Report) -> None:
    detail = "\n".join(report.lines(verbose=True))
    assert report.wrong_go == 0, detail
    assert report.verdict_accuracy >= 0.90, detail
    assert report.topic_accuracy >= 0.90, detail
    assert report.language_accuracy == 1.0, detail


def test_dev_cases(engine: Engine) -> None:
    if not DEV.exists():
        pytest.skip(f"{DEV} is not there (shared/ sits beside the repository)")
    _check(evaluate(engine, load_cases(DEV)))


def test_hold_out_cases(engine: Engine) -> None:
    _check(evaluate(engine, load_cases(EXTRA)))


def test_second_hold_out_set(engine: Engine) -> None:
    _check(evaluate(engine, load_cases(HOLDOUT)))


@pytest.mark.parametrize("path", FRESH, ids=lambda p: p.stem)
def test_fresh_batches(engine: Engine, path: Path) -> None:
    _check(evaluate(engine, load_cases(path)))


# A probe of one boundary (new offices: public or not), written after a wrong "no" in a chat: its
# verdicts are held to the bar; its topics are not (its questions mention a new office on purpose).
PROBES = sorted((Path(__file__).resolve().parents[1] / "knowledge/cases").glob("probe_*.yaml"))


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.stem)
def test_probes(engine: Engine, path: Path) -> None:
    report = evaluate(engine, load_cases(path))
    detail = "\n".join(report.lines(verbose=True))
    assert report.wrong_go == 0 and report.verdict_accuracy >= 0.90, detail
    assert report.language_accuracy == 1.0, detail


def test_there_are_fresh_batches() -> None:
    assert len(FRESH) >= 4


# Issue 12: one file per kind of miss, written before the engine was changed for them. Each file is
# held at the figures the engine reached on it (verdict accuracy, most wrong "go", first-topic
# accuracy); the aim is 90 % / 0 / 90 % everywhere, and a figure may only go up. Every answer is in
# the asker's language.
MISS_DIR = Path(__file__).resolve().parents[1] / "knowledge/cases"
MISS_FLOORS: dict[str, tuple[float, int, float]] = {
    "miss_harmless_cue": (1.0, 0, 1.0),
    "miss_long_drafts": (1.0, 0, 0.937),
    "miss_negation": (0.944, 0, 0.944),
    "miss_outside": (1.0, 0, 1.0),
    "miss_rule_order": (0.941, 0, 0.944),
    "miss_unlisted_words": (1.0, 0, 0.941),
    "miss_word_sense": (1.0, 0, 0.95),
}


@pytest.mark.parametrize("name", sorted(MISS_FLOORS))
def test_miss_kinds(engine: Engine, name: str) -> None:
    cases = load_cases(MISS_DIR / f"{name}.yaml")
    assert len(cases) >= 15
    assert {c.lang for c in cases} == {"de", "en"}
    report = evaluate(engine, cases)
    detail = "\n".join(report.lines(verbose=True))
    verdict, wrong_go, topic = MISS_FLOORS[name]
    assert report.wrong_go <= wrong_go, detail
    assert report.verdict_accuracy >= verdict, detail
    assert report.topic_accuracy >= topic, detail
    assert report.language_accuracy == 1.0, detail


def test_every_miss_file_is_held() -> None:
    assert {p.stem for p in MISS_DIR.glob("miss_*.yaml")} == set(MISS_FLOORS)
