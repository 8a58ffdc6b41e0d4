"""A text in clauses, and what it negates.

The same findings from less text (``condense``), a text split into sentences and clauses
(``split_clauses``), and the words each negator reaches (``negated_spans``).
"""

from __future__ import annotations

import re

from knowledge.model import Verdict

_NO_WORD = re.compile(r"\w{41,}")
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
_REPEATED_WORD = re.compile(r"\b(\w+)(?:\W{1,3}\1\b)+")


def condense(text: str) -> str:
    """The same findings from less text: what a paste repeats is looked at once.

    No word is longer than 40 letters (retrieval drops such runs too), a
    sentence repeated is the same sentence, and "very very very" says "very":
    this keeps the patterns' work proportional to what the text says rather
    than to its length, whatever a paste contains.
    """
    text = _NO_WORD.sub(" ", text)
    text = " ".join(dict.fromkeys(_SENTENCE_END.split(text)))
    return _REPEATED_WORD.sub(r"\1", text)


ORDER: dict[str, int] = {"no": 0, "check": 1, "go": 2}
# Where one clause ends and the next begins: a sentence end, a semicolon, a line break, and a
# comma or nothing before a word that adds or contrasts ("but", "plus", "aber"). Not a colon or a
# dash: what follows them is what the clause before announces ("was published: revenue up 5%").
_CLAUSE_END = re.compile(
    r"(?<=[.!?;])\s+|\n+|,?\s+(?=(?:but|plus|although|though|except|aber|sondern|jedoch|"
    r"allerdings|außerdem|ausserdem|obwohl|nur\s+dass|only\s+that|and\s+also|und\s+auch)\b)",
    re.IGNORECASE,
)


# -- negation ------------------------------------------------------------------------
# A negator ("no", "not", "without", "won't", "kein", "ohne", "nie" ...) negates what follows it in
# its own clause: up to the next punctuation, contrast ("but", "just", "sondern", "nur") or eight
# words. "It shows no customer logos" shows no logo; "no logos, but the prototype is visible" still
# shows the prototype. Two negators in a row cancel ("not without faces", "nicht ohne Gesichter"),
# and "not only" / "nicht nur" adds rather than negates: neither loosens anything.
_NEGATOR = re.compile(
    r"\b(?:no|not|without|never|none|nor|neither|nothing|nobody|no\s+one|cannot|niemand|kein|keine|keinen|keinem|keiner|keines|nicht|ohne"
    r"|nie|niemals|nichts|weder|\w+n't|\w+n’t)\b",
    re.IGNORECASE,
)
# After these the negator does not reach what follows: "not only", "nicht nur", and a verb of knowing
# or waiting whose object is not negated ("I don't know if I may show the prototype", "can't wait
# to show it", "weiß nicht, ob ...").
_NOT_A_NEGATION = re.compile(
    r"\s*(?:(?:really|quite|even|so|ganz|wirklich|mal)\s+)?(?:only|just|least|nur|bloß|erst|mal|einmal|unless|wenn|sure"
    r"|know|knew|knowing|wait|waiting|forget|miss|think|believe|understand|care|mind|stop|help|remember|mean|matter"
    r"|doubt|idea|clue|allowed|permitted|able|wissen|weiß|weiss|sicher|warten|abwarten|vergessen|verpassen|glaube"
    r"|denke|verstehe|egal|zweifel|ahnung|erlaubt|dürfen|darf|sollte|aufhören|mehr\s+lange)\b",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(
    r"[.,;:!?()\n–—]|\s-\s|\b(?:but|just|only|except|instead|rather|though|although|because|since|so|if|when|unless"
    r"|and\s+(?:i|we|you|it|the|my|our)|aber|sondern|nur|außer|ausser|statt|stattdessen|jedoch|weil|wenn|falls|dass"
    r"|und\s+(?:ich|wir|du|es|der|die|das|mein\w*|unser\w*))\b",
    re.IGNORECASE,
)
_SCOPE_WORDS = 8
_WORD_RX = re.compile(r"\w+")


def _joined(between: str) -> bool:
    """Whether two negators are a list ("no screens and no people") rather than a double negation."""
    between = between.strip().lower()
    return "," in between or len(between.split()) > 1 or between in {"and", "or", "und", "oder", "nor", "noch", "&"}


def negated_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` is negated: for each single negator, the words it negates in its clause."""
    spans: list[tuple[int, int]] = []
    negators = list(_NEGATOR.finditer(text))
    for n, m in enumerate(negators):
        if _NOT_A_NEGATION.match(text, m.end()):
            continue
        before = negators[n - 1] if n else None
        after = negators[n + 1] if n + 1 < len(negators) else None
        # A double negation says yes: "not without faces", "nicht ohne Gesichter".
        if before is not None and not _joined(text[before.end() : m.start()]):
            continue
        if after is not None and not _joined(text[m.end() : after.start()]):
            continue
        end = _SCOPE_END.search(text, m.end())
        stop = min(end.start() if end else len(text), after.start() if after else len(text))
        words_after = list(_WORD_RX.finditer(text, m.end(), stop))[:_SCOPE_WORDS]
        if words_after:
            spans.append((m.end(), words_after[-1].end()))
    return spans


def unnegated(text: str) -> str:
    """``text`` with what it negates blanked out (same length, so positions stay)."""
    for a, b in negated_spans(text):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def only_negated(word: str, text: str, negated: list[tuple[int, int]]) -> bool:
    """Whether every occurrence of ``word`` in ``text`` stands where the text is negated."""
    found = [m.start() for m in re.finditer(re.escape(word), text, re.IGNORECASE)]
    return bool(found) and all(in_spans(pos, negated) for pos in found)


def split_clauses(text: str) -> list[str]:
    """``text`` in sentences and clauses, each with at least one letter or digit, in order."""
    return [c for c in (p.strip() for p in _CLAUSE_END.split(text)) if _WORDS_IN.search(c)]


_WORDS_IN = re.compile(r"\w")


def strictest(a: Verdict | None, b: Verdict) -> Verdict:
    return b if a is None or ORDER[b] < ORDER[a] else a

