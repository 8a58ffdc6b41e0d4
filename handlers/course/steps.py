"""The course as the guideline files hold it: the guidelines with a ``course:`` field, in order.

The files are read with the knowledge base's own loader (knowledge/loader.py) and read
again when they change, as the answer engine does; a broken file leaves the course
unavailable with the loader's problems (file and line), never a crash. ``version`` is a
fingerprint of the questions and their answers: a button carries it, so that an answer
pressed after the course changed is recognised and not counted.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.engine import EngineConfig
from knowledge.loader import check_kb, kb_files
from knowledge.model import Guideline
from knowledge.service import kb_path

LETTERS = "ABCDE"
MINUTES_PER_STEP = 0.6


class CourseUnavailable(Exception):
    """The guideline files cannot be read; ``problems`` name file and line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Fill(dict):
    def __init__(self, values: dict[str, str], missing: str) -> None:
        super().__init__(values)
        self.missing = missing

    def __missing__(self, key: str) -> str:
        return self.missing


@dataclass(frozen=True)
class Course:
    steps: tuple[Guideline, ...]
    version: str
    topic_titles: dict[str, dict[str, str]]
    placeholders: dict[str, str]

    @classmethod
    def of(cls, guidelines: list[Guideline], topic_titles: dict[str, dict[str, str]],
           placeholders: dict[str, str]) -> Course:
        digest = hashlib.sha256(json.dumps(
            [[g.id, g.course.question, [[o.text, o.right] for o in g.course.options]]
             for g in guidelines if g.course is not None], sort_keys=True).encode()).hexdigest()
        return cls(tuple(guidelines), digest[:12], topic_titles, placeholders)

    @property
    def ids(self) -> list[str]:
        return [g.id for g in self.steps]

    @property
    def minutes(self) -> int:
        return max(1, round(len(self.steps) * MINUTES_PER_STEP + 0.5))

    def index(self, guideline_id: Any) -> int | None:
        for n, g in enumerate(self.steps):
            if g.id == guideline_id:
                return n
        return None

    def next_step(self, answered: set[str]) -> int | None:
        """The first step not answered yet (the course resumes there); None when all are."""
        return next((n for n, g in enumerate(self.steps) if g.id not in answered), None)

    def text(self, g: Guideline, part: str, lang: str, comms_team: str) -> str:
        """A text of the guideline's course step (``rule``, ``example``, ``question``, ``why``), filled in."""
        assert g.course is not None
        values: dict[str, str] = getattr(g.course, part)
        return self.fill(values.get(lang) or values["en"], comms_team)

    def option(self, g: Guideline, n: int, lang: str, comms_team: str) -> str:
        assert g.course is not None
        values = g.course.options[n].text
        return self.fill(values.get(lang) or values["en"], comms_team)

    def topic(self, g: Guideline, lang: str) -> str:
        names = self.topic_titles.get(g.topic) or {}
        return names.get(lang) or names.get("en") or g.topic.replace("_", " ").capitalize()

    def fill(self, text: str, comms_team: str) -> str:
        return text.format_map(_Fill(self.placeholders, comms_team))


def _stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for f in kb_files(path) if path.exists() else []:
        try:
            st = f.stat()
        except OSError:
            continue
        out.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _read(path: Path, app: Any) -> Course:
    kb, problems = check_kb(path)
    if kb is None:
        raise CourseUnavailable(problems)
    return Course.of(kb.course(), kb.topic_titles, EngineConfig.from_app(app).placeholders)


@dataclass
class CourseState:
    """What the course keeps per core (``core.state("course")``): the course read last and what it was read from."""

    read: tuple[tuple[str, tuple[tuple[str, int, int], ...]], Course] | None = None


def new_state(core: Any) -> CourseState:
    """The capability's declared ``state``: made by the core on first use."""
    return CourseState()


async def load_course(core: Any) -> Course:
    """The course of the bot's knowledge base (app.yaml ``knowledge.path``), read again when a file changed."""
    settings = core.settings
    path = kb_path(settings.app, settings.config_path)
    stamp = await asyncio.to_thread(_stamp, path)
    state: CourseState = core.state("course")
    if state.read is not None and state.read[0] == (str(path), stamp):
        return state.read[1]
    course = await asyncio.to_thread(_read, path, settings.app)
    state.read = ((str(path), stamp), course)
    return course
