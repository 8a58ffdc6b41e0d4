"""German and English texts.

Every text a person reads has a German and an English version. German texts
may come in two forms of address (``du`` / ``Sie``), chosen in app.yaml.
A catalog entry is ``{"en": "...", "de": "..."}`` or
``{"en": "...", "de": {"du": "...", "sie": "..."}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("de", "en")

Entry = Mapping[str, Any]


class Catalog:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def add(self, entries: Mapping[str, Entry]) -> None:
        for key, entry in entries.items():
            missing = [lang for lang in LANGUAGES if lang not in entry]
            if missing:
                raise ValueError(f"text {key!r} has no {', '.join(missing)} version")
            if key in self._entries and self._entries[key] != entry:
                raise ValueError(f"text {key!r} is defined twice with different wording")
            self._entries[key] = entry

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def get(self, key: str, lang: str, address: str = "du", /, **values: Any) -> str:
        # Positional-only: a text may have a placeholder named {lang} or {key} (the post text's language).
        entry = self._entries.get(key)
        if entry is None:
            raise KeyError(f"no text {key!r}")
        text = entry.get(lang) or entry["en"]
        if isinstance(text, Mapping):
            text = text.get(address) or text.get("du") or next(iter(text.values()))
        return text.format(**values) if values else text


class Translator:
    """A catalog bound to one person's language and form of address."""

    def __init__(self, catalog: Catalog, lang: str, address: str = "du") -> None:
        self.catalog = catalog
        self.lang = lang if lang in LANGUAGES else "en"
        self.address = address

    def __call__(self, key: str, /, **values: Any) -> str:
        return self.catalog.get(key, self.lang, self.address, **values)


def normalize_language(value: Any) -> str | None:
    """'de-DE', 'de_AT', 'German' -> 'de'; unknown (a number in a button's "_lang" too) -> None."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip().lower().replace("_", "-")
    head = v.split("-")[0]
    aliases = {"deutsch": "de", "german": "de", "ger": "de", "englisch": "en", "english": "en", "eng": "en"}
    head = aliases.get(head, head)
    return head if head in LANGUAGES else None


# Words that give a short chat message away as German or English. A full
# language detector arrives with the answer engine; for commands and short
# chat this is enough and costs nothing.
_DE_HINTS = {
    "ich", "du", "sie", "wir", "nicht", "und", "ist", "darf", "kann", "bitte", "hilfe", "mein", "meine",
    "meinen", "daten", "vergiss", "mich", "beitreten", "austreten", "sprache", "der", "die", "das", "ein",
    "eine", "was", "wie", "warum", "danke", "hallo", "mit", "auf", "für", "über", "zeige", "rollen",
}
_EN_HINTS = {
    "i", "you", "we", "not", "and", "is", "may", "can", "please", "help", "my", "data", "forget", "me",
    "join", "leave", "language", "the", "a", "an", "what", "how", "why", "thanks", "hello", "with", "on",
    "for", "about", "show", "roles",
}


def guess_language(text: str) -> str | None:
    words = [w.strip(".,!?;:()\"'").lower() for w in text.split()]
    de = sum(w in _DE_HINTS for w in words) + sum(ch in "äöüß" for ch in text.lower())
    en = sum(w in _EN_HINTS for w in words)
    if de == en:
        return None
    return "de" if de > en else "en"
