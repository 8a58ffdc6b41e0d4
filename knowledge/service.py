"""The knowledge base in a running bot: built once, reloaded when its files change.

A broken file at reload keeps the old knowledge base in service; the problems
are kept for whoever should hear about them (the comms lead, via the handler).
Questions the knowledge base cannot answer, and feedback on answers, go to a
``Recorder``: for now the log, later database tables the comms lead works
through (issue 3, ``kb gaps``).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Protocol

from knowledge.engine import Engine, EngineConfig
from knowledge.loader import DEFAULT_PATH, KBError, kb_files, load_kb
from knowledge.model import Answer

log = logging.getLogger("ambassador.knowledge")


class Recorder(Protocol):
    """Where knowledge-base gaps and answer feedback go.

    ``record_gap``: a question without a fitting guideline, or one whose answer
    was marked unhelpful, for the comms lead's ``kb gaps`` list.
    """

    async def record_gap(
        self, text: str, answer: Answer, *, asker: Any = None, reason: str = "no_match"
    ) -> None: ...

    async def record_feedback(
        self, helpful: bool, *, verdict: str, guideline_ids: list[str], language: str, asker: Any = None
    ) -> None: ...


class LogRecorder:
    """Until the storage model exists: the log only, without the question text (it may be confidential)."""

    async def record_gap(
        self, text: str, answer: Answer, *, asker: Any = None, reason: str = "no_match"
    ) -> None:
        log.info(
            "knowledge gap", extra={"reason": reason, "language": answer.language, "verdict": answer.verdict}
        )

    async def record_feedback(
        self, helpful: bool, *, verdict: str, guideline_ids: list[str], language: str, asker: Any = None
    ) -> None:
        log.info(
            "answer feedback", extra={"helpful": helpful, "verdict": verdict, "guidelines": guideline_ids}
        )


def kb_path(app: Any, config_path: Path | None = None) -> Path:
    """app.yaml's ``knowledge.path`` (relative to app.yaml), else the sample knowledge base."""
    raw = (getattr(app, "knowledge", None) or {}).get("path")
    if not raw:
        return DEFAULT_PATH
    path = Path(str(raw)).expanduser()
    if not path.is_absolute() and config_path is not None:
        path = config_path.resolve().parent / path
    return path


class KnowledgeService:
    def __init__(
        self, config: EngineConfig, path: Path, *, check_every: float = 2.0, recorder: Recorder | None = None
    ) -> None:
        self.config = config
        self.path = path
        self.check_every = check_every
        self.recorder: Recorder = recorder or LogRecorder()
        self.reload_problems: list[str] = []
        self._engine: Engine | None = None
        self._stamp: tuple[tuple[str, float, int], ...] = ()
        self._checked = 0.0

    @classmethod
    def from_settings(cls, settings: Any, **kw: Any) -> KnowledgeService:
        return cls(EngineConfig.from_settings(settings), kb_path(settings.app, settings.config_path), **kw)

    @property
    def ready(self) -> bool:
        """Whether the engine is built (the first build takes a moment: run it off the event loop)."""
        return self._engine is not None

    def _files_stamp(self) -> tuple[tuple[str, float, int], ...]:
        out = []
        for f in kb_files(self.path) if self.path.exists() else []:
            try:
                st = f.stat()
            except OSError:
                continue
            out.append((str(f), st.st_mtime, st.st_size))
        return tuple(out)

    def engine(self) -> Engine:
        """The engine, built on first use; raises KBError only when there has never been a good one."""
        now = time.monotonic()
        if self._engine is not None and now - self._checked < self.check_every:
            return self._engine
        self._checked = now
        stamp = self._files_stamp()
        if self._engine is not None and stamp == self._stamp:
            return self._engine
        try:
            engine = Engine(load_kb(self.path), self.config)
        except KBError as exc:
            if self._engine is None:
                raise
            if exc.problems != self.reload_problems:
                log.error(
                    "knowledge base reload failed; the previous one stays in service",
                    extra={"problems": exc.problems[:20]},
                )
            self.reload_problems = exc.problems
            self._stamp = stamp
            return self._engine
        if self._engine is not None:
            log.info("knowledge base reloaded", extra={"guidelines": len(engine.kb.guidelines)})
        self._engine, self._stamp, self.reload_problems = engine, stamp, []
        return engine

    def answer(self, text: str, lang: str | None = None, *, default_lang: str | None = None) -> Answer:
        return self.engine().answer(text, lang, default_lang=default_lang)
