"""The answer engine of a core: made on first use and kept in the capability's state on the core
(``core.state("ask")``), with its records."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import ConfigError
from bot.core import Core
from handlers.ask.config import llm_config
from handlers.ask.records import DbRecorder
from knowledge.llm import Composer
from knowledge.service import KnowledgeService

log = logging.getLogger("ambassador.ask")


@dataclass
class AskState:
    """What ask keeps per core: its answer engine, made on first use (tests may put one in first)."""

    service: KnowledgeService | None = None


def new_state(core: Core) -> AskState:
    """The capability's declared ``state``: made by the core on first use."""
    return AskState()


def knowledge(core: Core) -> KnowledgeService:
    """The process's knowledge service, made on first use and kept on the core."""
    state: AskState = core.state("ask")
    service = state.service
    if service is None:
        try:
            composer = Composer.from_settings(core.settings, llm_config(core.settings))
        except ConfigError as exc:
            # A broken llm section must not stop the answers; the offline engine still gives them.
            log.error("app.yaml llm section is invalid; answering offline", extra={"error": str(exc)})
            composer = None
        service = KnowledgeService.from_settings(
            core.settings, composer=composer, recorder=DbRecorder(core.db, core.now)
        )
        state.service = service
    return service


def records(core: Core) -> DbRecorder:
    service = knowledge(core)
    recorder = service.recorder
    return recorder if isinstance(recorder, DbRecorder) else DbRecorder(core.db, core.now)
