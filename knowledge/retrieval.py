"""BM25 over stemmed German and English guideline text (bm25s + PyStemmer).

Each language has its own index over the same guidelines (rule and triggers in
that language), because stemming is language-specific. German compounds
("Firmenlogo", "Gruppenfoto") are split against the knowledge base's own
vocabulary on both sides, so "Logo" finds "Firmenlogo" and "Teamfoto" finds
"Foto".
"""

from __future__ import annotations

from dataclasses import dataclass

import bm25s
import numpy as np

from knowledge.model import TOPIC_NAMES, KnowledgeBase
from knowledge.text import Analyzer, words

# Trigger phrases are what the comms team says people ask; they weigh more
# than the wording of the rule itself.
TRIGGER_REPEAT = 2
# A multi-word trigger whose stems all appear in the question adds this much per stem.
PHRASE_BONUS = 0.8
_LINKS = ("s", "es", "en", "n", "e")  # German linking elements between compound parts


@dataclass
class Hit:
    index: int
    score: float


class LangIndex:
    def __init__(self, lang: str, kb: KnowledgeBase) -> None:
        self.lang = lang
        self.an = Analyzer(lang)
        raw_docs: list[list[str]] = []
        self.phrases: list[list[tuple[str, ...]]] = []
        for g in kb.guidelines:
            doc = words(g.rule[lang]) + words(TOPIC_NAMES[g.topic][lang])
            phrases = []
            for trigger in g.triggers.get(lang, ()):
                tw = words(trigger)
                doc += tw * TRIGGER_REPEAT
                stems = tuple(dict.fromkeys(self.an.stem(w) for w in tw if w not in self.an.stopwords))
                if len(stems) >= 2:
                    phrases.append(stems)
            raw_docs.append(doc)
            self.phrases.append(phrases)
        self.vocab = {self.an.stem(w) for doc in raw_docs for w in doc if w not in self.an.stopwords}
        docs = [self._terms(doc, split_known=True) for doc in raw_docs]
        self.vocab.update(t for doc in docs for t in doc)
        self.bm25 = bm25s.BM25(k1=1.2, b=0.6)
        self.bm25.index(docs, show_progress=False)
        self.n = len(docs)

    def _parts(self, word: str) -> list[str]:
        """Known stems inside an unknown or compound word."""
        out = []
        an = self.an
        if self.lang == "de" and word.startswith("ge") and len(word) > 6:
            s = an.stem(word[2:])
            if s in self.vocab:
                out.append(s)
        tail = head = None
        for i in range(3, len(word) - 2):
            t = an.stem(word[i:])
            if len(t) >= 3 and t in self.vocab:
                tail = t
                break
        for i in range(len(word) - 3, 2, -1):
            h = word[:i]
            for link in ("",) + _LINKS:
                if link and not h.endswith(link):
                    continue
                base = h[: len(h) - len(link)] if link else h
                if len(base) < 3:
                    continue
                s = an.stem(base)
                if len(s) >= 3 and s in self.vocab:
                    head = s
                    break
            if head:
                break
        out.extend(p for p in (tail, head) if p)
        return out

    def _terms(self, ws: list[str], split_known: bool = False) -> list[str]:
        out = []
        for w in ws:
            if w in self.an.stopwords or len(w) < 2:
                continue
            s = self.an.stem(w)
            out.append(s)
            if len(w) >= 7 and (split_known or s not in self.vocab):
                out.extend(p for p in self._parts(w) if p != s)
        return out

    def terms(self, text: str) -> list[str]:
        return self._terms(words(text))

    def scores(self, terms: list[str]) -> np.ndarray:
        # Each term counts once: a pasted text repeated 500 times must not score 500 times higher.
        ids = list(dict.fromkeys(self.bm25.get_tokens_ids(list(dict.fromkeys(terms)))))
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        scores = np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32).copy()
        present = set(terms)
        for i, phrases in enumerate(self.phrases):
            bonus = sum(len(p) for p in phrases if present.issuperset(p))
            if bonus:
                scores[i] += PHRASE_BONUS * bonus
        return scores


class Retriever:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.indexes = {lang: LangIndex(lang, kb) for lang in ("de", "en")}

    def search(self, text: str, lang: str, other_weight: float = 0.4) -> tuple[np.ndarray, int]:
        """Scores per guideline, and how many query terms the knowledge base knows at all."""
        primary = self.indexes[lang]
        other = self.indexes["en" if lang == "de" else "de"]
        p_terms, o_terms = primary.terms(text), other.terms(text)
        scores = primary.scores(p_terms)
        if other_weight and o_terms:
            scores = scores + other_weight * other.scores(o_terms)
        known = len({t for t in p_terms if t in primary.vocab} | {t for t in o_terms if t in other.vocab})
        return scores, known
