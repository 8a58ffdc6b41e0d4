"""Scoring the engine on a cases file in the format of ../shared/eval/dev.yaml."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.engine import Engine
from knowledge.model import VERDICTS, Answer


class CasesError(Exception):
    pass


@dataclass
class Case:
    id: str
    text: str
    lang: str
    verdicts: tuple[str, ...] | None  # None: "any"
    topics: tuple[str, ...]


@dataclass
class Miss:
    case: Case
    answer: Answer
    what: list[str]


@dataclass
class Report:
    cases: int = 0
    verdict_cases: int = 0
    verdict_right: int = 0
    wrong_go: int = 0
    topic_right: int = 0
    language_right: int = 0
    misses: list[Miss] = field(default_factory=list)
    misses_by_topic: Counter[str] = field(default_factory=Counter)

    @property
    def verdict_accuracy(self) -> float:
        return self.verdict_right / self.verdict_cases if self.verdict_cases else 1.0

    @property
    def topic_accuracy(self) -> float:
        return self.topic_right / self.cases if self.cases else 1.0

    @property
    def language_accuracy(self) -> float:
        return self.language_right / self.cases if self.cases else 1.0

    def lines(self, verbose: bool = False) -> list[str]:
        out = [
            f"cases: {self.cases}",
            f"verdict accuracy: {self.verdict_accuracy:.1%} ({self.verdict_right}/{self.verdict_cases}, cases marked 'any' left out)",
            f"wrong go: {self.wrong_go}",
            f"topic accuracy (first topic): {self.topic_accuracy:.1%} ({self.topic_right}/{self.cases})",
            f"answer language: {self.language_accuracy:.1%} ({self.language_right}/{self.cases})",
        ]
        if self.misses_by_topic:
            out.append(
                "misses by topic: " + ", ".join(f"{t} {n}" for t, n in self.misses_by_topic.most_common())
            )
        else:
            out.append("misses by topic: none")
        if verbose:
            for m in self.misses:
                got = f"{m.answer.verdict} {m.answer.topics[:2]}"
                out.append(f"  {m.case.id}: {', '.join(m.what)}; got {got}: {m.case.text[:90]}")
        return out


def _verdicts(value: Any, where: str) -> tuple[str, ...] | None:
    if value == "any":
        return None
    if value is False:  # a bare `no` in YAML
        value = ["no"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise CasesError(f"{where}: verdict must be a list of go/check/no or 'any'")
    out = tuple("no" if v is False else str(v) for v in value)
    bad = [v for v in out if v not in VERDICTS]
    if bad:
        raise CasesError(f"{where}: unknown verdict {bad[0]!r}")
    return out


def load_cases(path: str | Path, topics: Iterable[str] | None = None) -> list[Case]:
    """The cases of ``path``; with ``topics`` (a knowledge base's), a case naming another topic is an error."""
    path = Path(path)
    known = set(topics) if topics is not None else None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CasesError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CasesError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML") from None
    items = data.get("cases") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CasesError(f"{path}: expected a 'cases:' list")
    cases = []
    for n, item in enumerate(items):
        where = f"{path}: case {item.get('id', n) if isinstance(item, dict) else n}"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise CasesError(f"{where}: each case needs a text")
        topics = item.get("topics") or []
        unknown = [t for t in topics if known is not None and t not in known]
        if unknown:
            raise CasesError(f"{where}: unknown topic {unknown[0]!r}")
        cases.append(
            Case(
                id=str(item.get("id", n)),
                text=item["text"],
                lang=str(item.get("lang") or ""),
                verdicts=_verdicts(item.get("verdict", "any"), where),
                topics=tuple(topics),
            )
        )
    return cases


def evaluate(engine: Engine, cases: list[Case], answers: list[Answer] | None = None) -> Report:
    """Score the engine's offline answers, or ``answers`` given in the order of the cases (the LLM path)."""
    report = Report()
    for n, case in enumerate(cases):
        answer = answers[n] if answers is not None else engine.answer(case.text)
        report.cases += 1
        what = []
        if case.verdicts is not None:
            report.verdict_cases += 1
            if answer.verdict in case.verdicts:
                report.verdict_right += 1
            else:
                what.append(f"verdict (wanted {'/'.join(case.verdicts)})")
                if answer.verdict == "go":
                    report.wrong_go += 1
        # A case with topics: [] is a question no guideline is about: right when the answer names none.
        if (answer.topics[0] in case.topics) if answer.topics else not case.topics:
            report.topic_right += 1
        else:
            what.append(f"topic (wanted {'/'.join(case.topics)})")
        if not case.lang or answer.language == case.lang:
            report.language_right += 1
        else:
            what.append(f"language (wanted {case.lang})")
        if what:
            report.misses.append(Miss(case, answer, what))
            for t in case.topics[:1]:
                report.misses_by_topic[t] += 1
    return report
