"""The answer engine offered to the other capabilities (``Capability.post_check``): the texts the bot
itself offers, such as content's share texts, are checked here as an asker's draft would be.

Nothing is recorded: these are no questions of a person. The answer guards (a posting hold of the
crisis capability) apply as they do to every answer; a guard that fails leaves nothing looser than
"check".
"""

from __future__ import annotations

from bot.core import Core
from bot.router import PostCheck
from handlers.ask.service import knowledge
from knowledge.model import Verdict, stricter


async def verdict(core: Core, text: str, lang: str, context: str | None) -> str:
    engine = await knowledge(core).ready_engine()
    found: Verdict = engine.answer(text, lang, context=context).verdict
    notes, failed = await core.router.answer_notes(core, text)
    if notes:
        return "no"
    return stricter(found, "check") if failed else found


async def disclosures(core: Core, lang: str) -> list[str]:
    return (await knowledge(core).ready_engine()).kb.disclosures(lang)


async def write(core: Core, title: str, summary: str, lang: str, count: int) -> list[str]:
    composer = knowledge(core).composer
    if composer is None:
        return []
    return await composer.share_texts(title=title, summary=summary, lang=lang, count=count)


POST_CHECK = PostCheck(verdict=verdict, disclosures=disclosures, write=write)
