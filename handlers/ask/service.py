"""The answer engine of a core: made on first use and kept on the core, with its records."""

from __future__ import annotations

import logging

from bot.config import ConfigError
from bot.core import Core
from knowledge.llm import Composer
from knowledge.records import DbRecorder
from knowledge.service import KnowledgeService

log = logging.getLogger("ambassador.ask")


def knowledge(core: Core) -> KnowledgeService:
    """The process's knowledge service, made on first use and kept on the core."""
    service: KnowledgeService | None = getattr(core, "_knowledge_service", None)
    if service is None:
        try:
            composer = Composer.from_settings(core.settings)
        except ConfigError as exc:
            # A broken llm section must not stop the answers; the offline engine still gives them.
            log.error("app.yaml llm section is invalid; answering offline", extra={"error": str(exc)})
            composer = None
        service = KnowledgeService.from_settings(
            core.settings, composer=composer, recorder=DbRecorder(core.db, core.now)
        )
        core._knowledge_service = service  # type: ignore[attr-defined]
    return service


def records(core: Core) -> DbRecorder:
    service = knowledge(core)
    recorder = service.recorder
    return recorder if isinstance(recorder, DbRecorder) else DbRecorder(core.db, core.now)
