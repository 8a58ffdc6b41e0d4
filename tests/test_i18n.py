"""German and English are both first-class: every text has both, and German has both forms of address."""

from __future__ import annotations

import re
import string

from bot.app import build_router

_DU_WORDS = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|schreib|frag|nutze)\b", re.IGNORECASE)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_has_german_and_english_with_the_same_placeholders():
    catalog = build_router().catalog
    for key in catalog.keys():
        en = catalog.get(key, "en")
        for address in ("du", "sie"):
            de = catalog.get(key, "de", address)
            assert de.strip() and en.strip(), key
            assert _fields(de) == _fields(en), f"{key}: placeholders differ between de ({address}) and en"


def test_german_texts_that_address_the_reader_have_a_sie_form():
    catalog = build_router().catalog
    for key in catalog.keys():
        sie = catalog.get(key, "de", "sie")
        assert not _DU_WORDS.search(sie), f"{key}: the Sie form still says {_DU_WORDS.search(sie).group(0)!r}"
