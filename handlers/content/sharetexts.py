"""Ready share texts: two or three posts per language for each approved item, made once and stored on it.

The candidates come from the item's own title and text through the templates below (offline), and,
where app.yaml enables the language model, from the model first. Each candidate, with the
disclosure the guidelines ask for (a guideline's ``disclosure:`` field) added, is checked by the
answer engine as readers will see it (with the link's preview: the item's title and text), told
that it goes with the company's own published item; only those it answers "go" are kept, so an
item whose own text gives the engine a reason (figures not yet published) offers none. The engine is reached through what the ask capability declares
(``router.post_check``), so content imports no other capability.

When no text of a language passes, the item still goes out, with its link only, and the
communicator who approved or added it is told.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from bot.core import Core
from bot.i18n import Translator
from bot.messages import Reply
from handlers.content.items import TEXT_MAX, text_for
from handlers.content.models import ContentItem
from storage.models import Person

log = logging.getLogger("ambassador.content")

COUNT = 3  # texts offered per language at most
CONTEXT = "published"  # what the engine is told: the company's own published item
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

SHARE_TEXTS: dict[str, Any] = {
    # The offline templates: {title}, {text} (the item's text in this language), {first} (its first sentence).
    "content.share.tpl.1": {"en": "{text}", "de": "{text}"},
    "content.share.tpl.2": {"en": "Worth a read: {title}", "de": {"du": "Lesenswert, schaut mal rein: {title}",
                                                                  "sie": "Lesenswert, schauen Sie mal rein: {title}"}},
    "content.share.tpl.3": {"en": "Glad to share this from our company: {title}. {first}",
                            "de": "Gern geteilt, aus unserem Unternehmen: {title}. {first}"},
    # the nudge
    "content.share.ready": {"en": "Ready to post ({n} of {total}):", "de": "Fertig zum Posten ({n} von {total}):"},
    "content.share.other": {"en": "Another text{n}", "de": "Anderer Text{n}"},
    "content.share.link_only": {
        "en": "No ready text for this one: share the link with words of your own (send them to me first to check).",
        "de": {"du": "Hierzu gibt es keinen fertigen Text: Teile den Link mit eigenen Worten (schick sie mir vorher zum Prüfen).",
               "sie": "Hierzu gibt es keinen fertigen Text: Teilen Sie den Link mit eigenen Worten (schicken Sie sie mir vorher zum Prüfen)."},
    },
    # the communicator
    "content.share.none": {
        "en": "No share text for #{id} “{title}” passed the guidelines check ({langs}): members get its link without a "
              "ready text. Check the item's text with me, or retire it and add it again with a text that passes.",
        "de": {"du": "Für #{id} „{title}“ hat kein Teilen-Text die Prüfung nach den Richtlinien bestanden ({langs}): Die "
                     "Mitglieder bekommen den Link ohne fertigen Text. Prüf den Text des Inhalts mit mir, oder zieh ihn "
                     "zurück und füg ihn mit einem Text neu hinzu, der besteht.",
               "sie": "Für #{id} „{title}“ hat kein Teilen-Text die Prüfung nach den Richtlinien bestanden ({langs}): Die "
                      "Mitglieder bekommen den Link ohne fertigen Text. Prüfen Sie den Text des Inhalts mit mir, oder ziehen "
                      "Sie ihn zurück und fügen Sie ihn mit einem Text neu hinzu, der besteht."},
    },
    "content.share.made": {"en": "Share texts: {counts}.", "de": "Teilen-Texte: {counts}."},
    "content.list.share": {"en": " · share texts {counts}", "de": " · Teilen-Texte {counts}"},
}


def item_langs_of(item: ContentItem) -> list[str]:
    """The languages the item goes out in: those it has a text for."""
    return [lang for lang in ("en", "de") if text_for(item, lang)]


def offline_texts(item: ContentItem, t: Translator) -> list[str]:
    """The templates filled from the item's own title and text, in ``t``'s language."""
    text = " ".join((text_for(item, t.lang) or "").split())
    first = _SENTENCE.split(text, maxsplit=1)[0] if text else ""
    title = " ".join(item.title.split()).rstrip(".!?:")
    out = []
    for n in range(1, COUNT + 1):
        filled = t(f"content.share.tpl.{n}", title=title, text=text, first=first).strip()
        filled = re.sub(r"\s*\.\s*\.", ".", filled).strip()  # a first sentence that ended the title's sentence
        if filled:
            out.append(filled)
    return out


def with_disclosure(text: str, disclosures: list[str]) -> str:
    missing = [d for d in disclosures if d.casefold() not in text.casefold()]
    return f"{text} {' '.join(missing)}".strip() if missing else text


async def make_texts(core: Core, item: ContentItem) -> dict[str, list[str]]:
    """The texts that pass, by language (the model's first where enabled, then the templates')."""
    check = core.router.post_check
    out: dict[str, list[str]] = {}
    for lang in item_langs_of(item):
        if check is None:  # no answer engine in this bot: nothing can be cleared, nothing is offered
            out[lang] = []
            continue
        t = core.translator(lang)
        disclosures = await check.disclosures(core, lang)
        written = await check.write(core, item.title, text_for(item, lang) or "", lang, COUNT)
        # Readers see the text with the link's preview (the item's title and text): both are checked.
        preview = f"{item.title}\n{text_for(item, lang) or ''}"
        kept: list[str] = []
        for candidate in dict.fromkeys(written + offline_texts(item, t)):
            text = with_disclosure(candidate, disclosures)
            if len(text) > TEXT_MAX or text in kept:
                continue
            if await check.verdict(core, f"{text}\n\n{preview}", lang, CONTEXT) == "go":
                kept.append(text)
            if len(kept) >= COUNT:
                break
        out[lang] = kept
    return out


async def ensure_texts(core: Core, item_id: int) -> dict[str, list[str]] | None:
    """The item's texts, made and stored now if they are not yet (once: the first to store wins).

    None: no such item, or not approved. Never raises for the engine's sake: a failure leaves the
    item without texts, to be tried again by the next nudge job.
    """
    async with core.db.session() as s:
        item = await s.get(ContentItem, item_id)
    if item is None or item.status != "approved":
        return None
    if item.share_texts_at is not None:
        return item.share_texts or {}
    try:
        texts = await make_texts(core, item)
    except Exception:
        log.exception("share texts not made", extra={"item": item_id})
        return None
    async with core.db.session() as s:
        res = await s.execute(update(ContentItem).where(ContentItem.id == item_id, ContentItem.share_texts_at.is_(None))
                              .values(share_texts=texts, share_texts_at=core.now()))
        await s.commit()
        if res.rowcount != 1:
            stored = await s.get(ContentItem, item_id)
            return stored.share_texts if stored is not None else texts
    return texts


def none_passed(texts: dict[str, list[str]] | None) -> list[str]:
    """The languages of an item in which no text passed."""
    return [lang for lang, kept in (texts or {}).items() if not kept]


def none_note(item: ContentItem, texts: dict[str, list[str]] | None, t: Translator) -> str | None:
    """What the communicator reads when a language of the item has no text that passed; None when all have."""
    langs = none_passed(texts)
    if not langs:
        return None
    return t("content.share.none", id=item.id, title=item.title, langs="/".join(langs))


def counts_text(texts: dict[str, list[str]] | None) -> str:
    return ", ".join(f"{lang} {len(kept)}" for lang, kept in (texts or {}).items())


def offered(item: ContentItem, lang: str) -> list[str] | None:
    """The texts a member reading ``lang`` is offered; None: not made yet (the item's own text is shown)."""
    if item.share_texts_at is None or item.share_texts is None:
        return None
    kept = item.share_texts.get(lang)
    return [str(x) for x in kept] if isinstance(kept, list) else []


async def make_due(core: Core, limit: int = 20) -> int:
    """The nudge job's part: texts for approved items that have none yet (approved from a file or
    the command line); the author, when there is one, is told when none passed."""
    async with core.db.session() as s:
        ids = (await s.exec(select(ContentItem.id).where(ContentItem.status == "approved",
                                                         ContentItem.share_texts_at.is_(None))
                            .order_by(ContentItem.id).limit(limit))).all()
    made = 0
    for item_id in ids:
        texts = await ensure_texts(core, item_id)
        if texts is None:
            continue
        made += 1
        await tell_author(core, item_id, texts)
    return made


async def tell_author(core: Core, item_id: int, texts: dict[str, list[str]] | None,
                      skip_person: int | None = None) -> None:
    """Tell the item's author, in their language, that no text passed (nothing when all languages have texts)."""
    if not none_passed(texts):
        return
    async with core.db.session() as s:
        item = await s.get(ContentItem, item_id)
        author = await s.get(Person, item.created_by_id) if item is not None and item.created_by_id else None
    if item is None or author is None or author.id == skip_person:
        return
    note = none_note(item, texts, core.translator(core.language_of(author)))
    try:
        await core.notify(author.id, [Reply(text=note or "")])
    except Exception as exc:  # the item goes out anyway; "content list" shows it
        log.warning("author not told about share texts", extra={"item": item_id, "error": str(exc)[:200]})
