"""Capabilities, one module each. Handlers see only the neutral types in bot.messages."""

from __future__ import annotations

from bot.core import CORE_TEXTS
from bot.router import Router


def build_router() -> Router:
    from handlers import ask, content, crisis, feedback, meetings, membership, polls, privacy, profile, roles
    from handlers import help as help_

    router = Router()
    router.texts(CORE_TEXTS)
    from bot import files

    router.texts(files.TEXTS)  # the file-link card, sent by the core for any capability
    for module in (help_, membership, profile, roles, ask, crisis, content, polls, feedback, meetings, privacy):
        module.register(router)
    return router
