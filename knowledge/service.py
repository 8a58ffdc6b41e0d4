"""The knowledge base in a running bot: built once, reloaded when its files change.

A broken file at start-up stops ``ambassador run`` and ``chat`` with file and
line (``startup_problems``, checked by bot/cli.py); should the files break
before the first build all the same, the failure is logged with file and line
and askers are told the guidelines cannot be read. A broken file at reload
keeps the old knowledge base in service. Either way the problems are kept for
the handler, which tells the comms lead once (handlers/ask/). Answers, feedback and the questions passed
to the comms team go to a ``Recorder`` (the database in a running bot,
handlers/ask/records.py). With app.yaml's ``llm`` enabled, answers are composed
by the language model from what the offline engine retrieved (knowledge/llm.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from knowledge.engine import Engine, EngineConfig
from knowledge.index_cache import cached_ok, folder_from, load_cached
from knowledge.llm import Composer
from knowledge.loader import DEFAULT_PATH, KBError, check_kb, kb_files, load_kb
from knowledge.model import Answer

log = logging.getLogger("ambassador.knowledge")


class Recorder(Protocol):
    """Where answers, feedback and knowledge-base gaps go.

    A running bot plugs in ``handlers.ask.records.DbRecorder`` (the tables of
    storage/models_ask.py); without a database (the command line) answers go
    to the log only, without their text.
    """

    async def record_answer(
        self,
        answer: Answer,
        *,
        asker: Any = None,
        platform: str | None = None,
        source: str = "message",
        guarded: bool = False,
    ) -> int | None: ...

    async def record_feedback(self, question_id: int | None, helpful: bool, *, asker: Any = None) -> str: ...

    async def record_gap(
        self,
        question_id: int | None,
        text: str,
        *,
        asker: Any = None,
        reason: str = "no_match",
        language: str = "de",
    ) -> tuple[Any, bool]: ...


class LogRecorder:
    """No database: the log only, never the question text (it may be confidential)."""

    async def record_answer(
        self,
        answer: Answer,
        *,
        asker: Any = None,
        platform: str | None = None,
        source: str = "message",
        guarded: bool = False,
    ) -> int | None:
        log.info(
            "answered",
            extra={"verdict": answer.verdict, "topics": answer.topics[:3], "language": answer.language},
        )
        return None

    async def record_feedback(self, question_id: int | None, helpful: bool, *, asker: Any = None) -> str:
        log.info("answer feedback", extra={"helpful": helpful})
        return "unknown"

    async def record_gap(
        self,
        question_id: int | None,
        text: str,
        *,
        asker: Any = None,
        reason: str = "no_match",
        language: str = "de",
    ) -> tuple[Any, bool]:
        log.info("knowledge gap", extra={"reason": reason, "language": language})
        return None, False


class KnowledgeConfig(BaseModel):
    """app.yaml ``knowledge:`` (``ambassador kb check`` validates it with file and line)."""

    model_config = ConfigDict(extra="forbid")

    path: str | None = None
    customers: list[str] = Field(default_factory=list)
    code_names: list[str] = Field(default_factory=list)
    competitors: list[str] = Field(default_factory=list)
    # The built index on disk (knowledge/index_cache.py): a folder, or off; unset: the user's cache folder.
    cache: str | bool | None = None
    # The optional semantic signal's weight (knowledge/semantic.py): a number, true, or off (the default).
    semantic: float | bool | str | None = None


def kb_path(app: Any, config_path: Path | None = None) -> Path:
    """app.yaml's ``knowledge.path`` (relative to app.yaml), else the sample knowledge base."""
    raw = (getattr(app, "knowledge", None) or {}).get("path")
    if not raw:
        return DEFAULT_PATH
    path = Path(str(raw)).expanduser()
    if not path.is_absolute() and config_path is not None:
        path = config_path.resolve().parent / path
    return path


def cache_folder(app: Any, config_path: Path | None = None) -> Path | None:
    """app.yaml's ``knowledge.cache`` (knowledge/index_cache.py); None when it is off."""
    setting = (getattr(app, "knowledge", None) or {}).get("cache")
    return folder_from(setting, config_path.resolve().parent if config_path is not None else None)


def startup_problems(settings: Any) -> list[str]:
    """What keeps app.yaml's knowledge base from loading, each problem with file and line; [] when it loads.

    Checked before the bot starts: the person starting it can fix a file now,
    while an asker could only be told that the guidelines cannot be read. Files the index
    cache holds a build of have loaded before, byte for byte: they are not read twice.
    """
    path = kb_path(settings.app, settings.config_path)
    if cached_ok(path, cache_folder(settings.app, settings.config_path)):
        return []
    _, problems = check_kb(path)
    return problems


class KnowledgeService:
    def __init__(
        self,
        config: EngineConfig,
        path: Path,
        *,
        check_every: float = 2.0,
        recorder: Recorder | None = None,
        composer: Composer | None = None,
        cache: Path | None = None,
    ) -> None:
        self.config = config
        # Where the built index is kept between restarts (knowledge/index_cache.py); None: built each time.
        self.cache = cache
        self.path = path
        self.check_every = check_every
        self.recorder: Recorder = recorder or LogRecorder()
        # The optional language model (knowledge.llm); None: offline only, no text leaves the process.
        self.composer = composer
        self.reload_problems: list[str] = []
        # Identifies one failed reload (its problems and the files' content), so
        # the comms lead is told once per failure, however many replicas see it.
        self.reload_fingerprint: str | None = None
        # The problems of a knowledge base that has never loaded (logged once per set).
        self.load_problems: list[str] = []
        self._engine: Engine | None = None
        self._stamp: tuple[tuple[str, float, int], ...] = ()
        self._checked = 0.0

    @classmethod
    def from_settings(cls, settings: Any, **kw: Any) -> KnowledgeService:
        """From settings; ``llm:`` is validated here (a ConfigError names file and line)."""
        if "composer" not in kw:
            kw["composer"] = Composer.from_settings(settings)
        kw.setdefault("cache", cache_folder(settings.app, settings.config_path))
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
            if self.cache is not None:
                kb, retriever = load_cached(self.path, self.cache)
                engine = Engine(kb, self.config, retriever=retriever)
            else:
                engine = Engine(load_kb(self.path), self.config)
        except KBError as exc:
            if self._engine is None:
                if exc.problems != self.load_problems:
                    # The problems go in the message itself: the terminal chat's log shows no extras.
                    log.error(
                        "knowledge base cannot be loaded; questions about posting get no answer until it is fixed:\n%s",
                        "\n".join(exc.problems[:20]),
                    )
                self.load_problems = exc.problems
                raise
            if exc.problems != self.reload_problems:
                log.error(
                    "knowledge base reload failed; the previous one stays in service",
                    extra={"problems": exc.problems[:20]},
                )
            self.reload_problems = exc.problems
            self.reload_fingerprint = self._fingerprint(exc.problems)
            self._stamp = stamp
            return self._engine
        if self._engine is not None:
            log.info("knowledge base reloaded", extra={"guidelines": len(engine.kb.guidelines)})
        self._engine, self._stamp, self.reload_problems, self.reload_fingerprint = engine, stamp, [], None
        self.load_problems = []
        return engine

    def _fingerprint(self, problems: list[str]) -> str:
        digest = hashlib.sha256()
        for f in kb_files(self.path) if self.path.exists() else []:
            try:
                digest.update(f.name.encode() + b"\0" + f.read_bytes())
            except OSError:
                continue
        return hashlib.sha256(("\n".join(problems) + digest.hexdigest()).encode()).hexdigest()

    async def ready_engine(self) -> Engine:
        """The engine; the first build (a moment) runs off the event loop."""
        if self._engine is None:
            return await asyncio.to_thread(self.engine)
        return self.engine()

    def answer(self, text: str, lang: str | None = None, *, default_lang: str | None = None) -> Answer:
        """The offline answer."""
        return self.engine().answer(text, lang, default_lang=default_lang)

    async def answer_async(
        self, text: str, lang: str | None = None, *, default_lang: str | None = None, outsider: bool = False
    ) -> Answer:
        """The offline answer, composed by the language model when one is configured.

        The model sees only what retrieval found, and only when something did:
        an empty message or one no guideline fits keeps its honest offline answer.
        ``outsider`` (a guest, someone from another organisation): answered without app.yaml's
        confidential lists, so the answer neither uses nor reveals what is on them.
        """
        engine = await self.ready_engine()
        if outsider:
            engine = engine.without_lists()
        offline = engine.answer(text, lang, default_lang=default_lang)
        if self.composer is None or not offline.citations:
            return offline
        return await self.composer.compose(engine, text, offline)

    async def aclose(self) -> None:
        if self.composer is not None:
            await self.composer.aclose()
