"""BM25 over stemmed German and English guideline text (bm25s + PyStemmer).

Each language has its own index over the same guidelines (rule and triggers in
that language), because stemming is language-specific. German compounds
("Firmenlogo", "Gruppenfoto") are split against the knowledge base's own
vocabulary on both sides, so "Logo" finds "Firmenlogo" and "Teamfoto" finds
"Foto".

A question word the knowledge base does not know gets a few cheap second
chances before it is given up, each accepted only when it lands on a known
stem: German verb forms the stemmer leaves alone ("erstellt", "gepostet"),
umlauts typed as ae/oe/ue ("Buero"), an English agent noun ("leaver") and a
one-letter typo in a longer word ("Kollgen", "collegues"). They never replace a known word, so a
correct question scores exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np

from knowledge.lexicon import Lexicon, default_lexicon
from knowledge.model import KnowledgeBase
from knowledge.text import Analyzer, words

# Trigger phrases are what the comms team says people ask; they weigh more
# than the wording of the rule itself.
TRIGGER_REPEAT = 2
# A multi-word trigger whose stems all appear in the question adds this much per stem.
PHRASE_BONUS = 0.8
# The parts of a compound that is a known word by itself count this much.
PART_WEIGHT = 0.5
_LINKS = ("s", "es", "en", "n", "e")  # German linking elements between compound parts
# German prefixes are no compound heads: "Nachteil" is not "nach" + "Teil" (share),
# "Vertrag" not "ver" + "trag".
_DE_PREFIXES = frozenset(
    """ab an auf aus bei be durch ein ent emp er ge gegen her hin hinter miss mit nach über um unter ver vor weg
    weiter wieder zer zu zurück zusammen da dar fort los""".split()
)
# Endings of German verb forms the Snowball stemmer keeps ("erstellt", "postet", "teilte").
_DE_VERB_ENDINGS = ("test", "tet", "ten", "est", "et", "st", "te", "t")
_TRANSLIT = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))
# Concept tokens (knowledge.lexicon) carry this prefix; no stem starts with it.
CONCEPT = "~"
# Typo correction only for words this long: shorter ones are too often another
# real word one letter away ("lunch" is not a misspelt "launch").
FUZZY_MIN = 7
# A letter replaced (rather than missing, doubled or swapped) is corrected only in stems this long.
SUBSTITUTE_MIN = 9


@dataclass
class Hit:
    index: int
    score: float


class LangIndex:
    def __init__(self, lang: str, kb: KnowledgeBase, lexicon: Lexicon | None = None) -> None:
        self.lang = lang
        self.an = Analyzer(lang)
        self.lexicon = lexicon or default_lexicon()
        raw_docs: list[list[str]] = []
        # Each document as its parts (words, how often they count): a trigger counts TRIGGER_REPEAT
        # times. Large knowledge bases repeat triggers and titles a lot, so each distinct part is
        # read (words, concepts, stems) once.
        doc_parts: list[list[tuple[tuple[str, ...], int]]] = []
        concept_docs: list[list[str]] = []
        self.phrases: list[list[tuple[str, ...]]] = []
        seen_parts: dict[str, tuple[tuple[str, ...], list[str], tuple[str, ...]]] = {}

        def part(text: str) -> tuple[tuple[str, ...], list[str], tuple[str, ...]]:
            hit = seen_parts.get(text)
            if hit is None:
                tw = words(text)
                stems = tuple(dict.fromkeys(self.an.stem(w) for w in tw if w not in self.an.stopwords))
                hit = (tuple(tw), self.lexicon.of_words(tw, lang), stems)
                seen_parts[text] = hit
            return hit

        for g in kb.guidelines:
            rule_words, rule_concepts, _ = part(g.rule[lang])
            title_words = part(kb.topic_title(g.topic, lang))[0]
            parts = [(rule_words, 1), (title_words, 1)]
            concepts = list(rule_concepts)
            phrases = []
            for trigger in g.triggers.get(lang, ()):
                tw, t_concepts, stems = part(trigger)
                parts.append((tw, TRIGGER_REPEAT))
                concepts += t_concepts * TRIGGER_REPEAT
                if len(stems) >= 2:
                    phrases.append(stems)
            raw_docs.append([w for ws, _ in parts for w in ws])
            doc_parts.append(parts)
            concept_docs.append([CONCEPT + c for c in concepts])
            self.phrases.append(phrases)
        # A concept no guideline's words carry still points to its topic: the knowledge
        # base may use other words than the lexicon, and the concept must not go unheard.
        present = {t for doc in concept_docs for t in doc}
        # Which topic a concept points to is the files' word (a topic's ``concepts:``).
        by_topic: dict[str, list[int]] = {}
        for i, g in enumerate(kb.guidelines):
            by_topic.setdefault(g.topic, []).append(i)
        for cid, topics in kb.concept_topics().items():
            if CONCEPT + cid not in present:
                for topic in topics:
                    for i in by_topic.get(topic, ()):
                        concept_docs[i].append(CONCEPT + cid)
        self.vocab = {self.an.stem(w) for doc in raw_docs for w in doc if w not in self.an.stopwords}
        self._word_cache: dict[tuple[str, bool, bool], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        docs = [self._doc_terms(parts) + cdoc for parts, cdoc in zip(doc_parts, concept_docs, strict=True)]
        self.vocab.update(t for doc in docs for t in doc)
        # Chat vocabulary repeats; splitting and second chances are worked out once per word
        # (afresh now: the vocabulary has grown by the guidelines' own compound parts).
        self._word_cache = {}
        # Trigger phrases by their rarest-looking stem (the longest), so only candidates are checked.
        self._phrases_by_stem: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for i, phrases in enumerate(self.phrases):
            for phrase in phrases:
                self._phrases_by_stem.setdefault(max(phrase, key=len), []).append((i, phrase))
        # Typo correction looks its candidates up in the vocabulary (see _typo): no index to build or keep,
        # only the letters a known stem of five or more letters is made of.
        self._letters = "".join(sorted({c for t in self.vocab if len(t) >= 5 for c in t}))
        self.bm25 = bm25s.BM25(k1=1.2, b=0.6)
        self.bm25.index(docs, show_progress=False)
        self.n = len(docs)
        self.doc_terms = [frozenset(doc) for doc in docs]

    def state(self) -> dict[str, Any]:
        """What the build worked out, for knowledge.index_cache (the stemmer and lexicon are made anew)."""
        skip = ("an", "lexicon", "_word_cache")
        return {k: v for k, v in self.__dict__.items() if k not in skip}

    @classmethod
    def from_state(cls, lang: str, state: dict[str, Any], lexicon: Lexicon | None = None) -> LangIndex:
        index = cls.__new__(cls)
        index.__dict__.update(state)
        index.lang = lang
        index.an = Analyzer(lang)
        index.lexicon = lexicon or default_lexicon()
        index._word_cache = {}
        return index

    def _parts(self, word: str) -> list[str]:
        """Known stems inside an unknown or compound word."""
        if self.lang == "en":
            return self._parts_en(word)
        out = []
        an = self.an
        # A participle ("geteilt", "geschrieben"); "gestern" or "Gehalt" are no such thing.
        if word.startswith("ge") and len(word) > 6 and word.endswith(("t", "en")):
            s = an.stem(word[2:])
            known = s if s in self.vocab else self._verb_form(s)
            if known:
                out.append(known)
        tail = head = None
        for i in range(3, len(word) - 2):
            if word[:i] in _DE_PREFIXES:
                continue
            t = an.stem(word[i:])
            if len(t) >= 3 and t in self.vocab:
                tail = t
                break
        # A three-letter head ("Job" in "Jobwechsel") only with a known tail: alone
        # it is mostly a coincidence ("pro" in "Projekt", "off" in "offiziell").
        min_head = 3 if tail else 4
        for i in range(len(word) - 3, 2, -1):
            h = word[:i]
            for link in ("",) + _LINKS:
                if link and not h.endswith(link):
                    continue
                base = h[: len(h) - len(link)] if link else h
                if len(base) < 3 or base in _DE_PREFIXES:
                    continue
                s = an.stem(base)
                if len(s) >= min_head and s in self.vocab:
                    head = s
                    break
            if head:
                break
        out.extend(p for p in (tail, head) if p)
        return out

    def _parts_en(self, word: str) -> list[str]:
        """English compounds ("teamlunch", "screengrab") only when both halves are known words.

        English has few closed compounds, and a loose split finds "per" in
        "perfect", "pre" in "pretend" and "tag" in "hashtag".
        """
        an = self.an
        for i in range(4, len(word) - 3):
            head, tail = an.stem(word[:i]), an.stem(word[i:])
            if head in self.vocab and tail in self.vocab:
                return [head, tail]
        return []

    def _verb_form(self, stem: str) -> str | None:
        """A German verb form the stemmer left with its ending, when the bare stem is known."""
        for ending in _DE_VERB_ENDINGS:
            if stem.endswith(ending) and len(stem) - len(ending) >= 3:
                base = stem[: -len(ending)]
                if base in self.vocab:
                    return base
        return None

    def _second_chance(self, word: str, stem: str, fuzzy: bool) -> str | None:
        """A known stem for a word the knowledge base does not know, or None."""
        if self.lang == "de":
            known = self._verb_form(stem)
            if known:
                return known
            if any(a in word for a, _ in _TRANSLIT):
                w = word
                for a, b in _TRANSLIT:
                    w = w.replace(a, b)
                s = self.an.stem(w)
                if s in self.vocab:
                    return s
        elif stem.endswith("er") and stem[:-2] in self.vocab and len(stem) > 5:
            return stem[:-2]  # "leaver", "poster": the agent noun of a known verb
        if fuzzy and len(word) >= FUZZY_MIN and len(stem) >= 5:
            return self._typo(stem)
        return None

    def _typo(self, stem: str) -> str | None:
        """The one known stem one edit away (a letter missing, extra, wrong or swapped).

        A symmetric-delete match: a known stem that is the word with one letter less, or (five
        letters or more) one whose one-letter deletion is the word or one of the word's. The
        candidates are generated from the word and looked up, so nothing is indexed ahead.
        """
        vocab = self.vocab
        dels = _deletions(stem)
        found = {d for d in dels if d in vocab}
        # A known stem with one letter more than the word or than one of its deletions.
        for base in (stem, *dels):
            for i in range(len(base) + 1):
                head, tail = base[:i], base[i:]
                for c in self._letters:
                    t = head + c + tail
                    if t in vocab and len(t) >= 5:
                        found.add(t)
        found.discard(stem)
        if len(stem) < SUBSTITUTE_MIN:
            # A letter missing, doubled or swapped is a typo; a letter replaced in a short word is
            # mostly another real word ("schüchtern" is no "Schicht", "interest" no "internet").
            found = {t for t in found if len(t) != len(stem) or _swapped(t, stem)}
        # Two candidates would be a guess; the word is better left out.
        return found.pop() if len(found) == 1 else None

    def _analyse(
        self, ws: list[str], fuzzy: bool = False, second_chance: bool = True, dedupe: bool = True
    ) -> tuple[list[str], list[str]]:
        """Terms, and the secondary terms: the parts of compounds that are known words themselves.

        Questions and guidelines are analysed alike: a compound is split even
        when one guideline happens to use it whole ("Firmenkanälen"), so
        "Firmenkanal" still finds "Kanal". A known compound speaks for itself,
        though: "Stellenausschreibung" (a job ad) is not an "Ausschreibung" (a
        tender), so its parts count less than the word (see PART_WEIGHT).
        """
        main: list[str] = []
        secondary: list[str] = []
        for w in ws:
            if w in self.an.stopwords or len(w) < 2:
                continue
            key = (w, fuzzy, second_chance)
            cached = self._word_cache.get(key)
            if cached is None:
                cached = self._analyse_word(w, fuzzy, second_chance)
                if len(self._word_cache) < 50_000:
                    self._word_cache[key] = cached
            main.extend(cached[0])
            secondary.extend(cached[1])
        if not dedupe:
            return main, secondary
        in_main = set(main)
        return main, [t for t in secondary if t not in in_main]

    def _analyse_word(self, w: str, fuzzy: bool, second_chance: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        s = self.an.stem(w)
        parts = [p for p in self._parts(w) if p != s] if len(w) >= 7 else []
        if s in self.vocab:
            return (s,), tuple(parts)
        known = self._second_chance(w, s, fuzzy) if second_chance and not parts else None
        return (s, *parts, *((known,) if known else ())), ()

    def _doc_terms(self, parts: list[tuple[tuple[str, ...], int]]) -> list[str]:
        """A guideline's terms, as ``_terms`` reads its words, each part analysed once and counted as often as it counts."""
        main: list[str] = []
        secondary: list[str] = []
        for ws, times in parts:
            m, sec = self._analyse(list(ws), second_chance=False, dedupe=False)
            main += m * times
            secondary += sec * times
        in_main = set(main)
        return main + [t for t in secondary if t not in in_main]

    def _terms(self, ws: list[str], second_chance: bool = True) -> list[str]:
        main, secondary = self._analyse(ws, second_chance=second_chance)
        return main + secondary

    def terms(self, text: str, fuzzy: bool = False, lang: str | None = None) -> list[str]:
        """Query terms; ``fuzzy`` also corrects one-letter typos (for the question's own language).

        ``lang`` is the question's language, for the concepts (default: this index's).
        """
        ws = words(text)
        main, secondary = self._analyse(ws, fuzzy=fuzzy)
        return main + self._concepts(ws, lang) + secondary

    def _concepts(self, ws: list[str], lang: str | None) -> list[str]:
        """Concept tokens for the words this index does not know itself, and for phrases.

        A word the index knows already finds its guidelines; its concept as well would
        count it twice ("Urlaub" would look like two words of a rule). The other
        language's index, which does not know it, gets the concept: that is the bridge.
        """
        out = []
        for hit in self.lexicon.hits(ws, lang or self.lang):
            if " " in hit.word or self.an.stem(hit.word) not in self.vocab:
                out.append(CONCEPT + hit.concept)
        return list(dict.fromkeys(out))

    def _bm25(self, terms: list[str]) -> np.ndarray | None:
        # Each term counts once: a pasted text repeated 500 times must not score 500 times higher.
        ids = list(dict.fromkeys(self.bm25.get_tokens_ids(list(dict.fromkeys(terms)))))
        if not ids:
            return None
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32).copy()

    def scores(self, text: str, fuzzy: bool = False) -> np.ndarray:
        return self.scores_and_terms(text, fuzzy)[0]

    def scores_and_terms(
        self, text: str, fuzzy: bool = False, lang: str | None = None
    ) -> tuple[np.ndarray, list[str]]:
        ws = words(text)
        main, secondary = self._analyse(ws, fuzzy=fuzzy)
        main = main + self._concepts(ws, lang)
        scores = self._bm25(main)
        if scores is None:
            scores = np.zeros(self.n, dtype=np.float32)
        if secondary:
            extra = self._bm25(secondary)
            if extra is not None:
                scores += PART_WEIGHT * extra
        present = set(main) | set(secondary)
        for stem in present:
            for i, phrase in self._phrases_by_stem.get(stem, ()):
                if present.issuperset(phrase):
                    scores[i] += PHRASE_BONUS * len(phrase)
        return scores, main + secondary


class Retriever:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon | None = None) -> None:
        self.kb = kb
        self.lexicon = lexicon or default_lexicon()
        self.indexes = {lang: LangIndex(lang, kb, self.lexicon) for lang in ("de", "en")}

    def state(self) -> dict[str, Any]:
        return {lang: index.state() for lang, index in self.indexes.items()}

    @classmethod
    def from_state(cls, kb: KnowledgeBase, state: dict[str, Any]) -> Retriever:
        """A retriever from ``state()`` (knowledge.index_cache), with the built-in lexicon."""
        retriever = cls.__new__(cls)
        retriever.kb = kb
        retriever.lexicon = default_lexicon()
        retriever.indexes = {lang: LangIndex.from_state(lang, s, retriever.lexicon) for lang, s in state.items()}
        return retriever

    def search(self, text: str, lang: str, other_weight: float = 0.4) -> tuple[np.ndarray, int]:
        """Scores per guideline, and how many query terms the knowledge base knows at all."""
        primary = self.indexes[lang]
        other = self.indexes["en" if lang == "de" else "de"]
        scores, p_terms = primary.scores_and_terms(text, fuzzy=True, lang=lang)
        o_scores, o_terms = other.scores_and_terms(text, lang=lang)
        if other_weight:
            scores = scores + other_weight * o_scores
        known = len({t for t in p_terms if t in primary.vocab} | {t for t in o_terms if t in other.vocab})
        return scores, known


    def support(self, text: str, lang: str, index: int) -> int:
        """How many distinct words of the question a guideline's text shares with it (both languages).

        A word counts once however it matches: by its stem, a compound part, its
        translation in the other language's text, or its concept.
        """
        primary = self.indexes[lang]
        other = self.indexes["en" if lang == "de" else "de"]
        ws = words(text)
        shared: set[str] = set()
        for idx, fuzzy in ((primary, True), (other, False)):
            doc = idx.doc_terms[index]
            for w in dict.fromkeys(ws):
                main, secondary = idx._analyse([w], fuzzy=fuzzy)
                if not doc.isdisjoint(main) or not doc.isdisjoint(secondary):
                    shared.add(w)
            for hit in self.lexicon.hits(ws, lang):
                if CONCEPT + hit.concept in doc:
                    shared.add(hit.word.split()[0])
        return len(shared)


def _swapped(a: str, b: str) -> bool:
    """Two words of one length that differ by two neighbouring letters swapped."""
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
