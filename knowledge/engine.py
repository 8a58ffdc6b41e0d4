"""The offline answer engine: retrieval plus detectors, combined into a verdict.

The rules, in order of weight:

1. A detector finding sets the least strict verdict an answer may give: a
   figure before publication is a "no" whatever the question sounds like.
   The answer leads with the topic of a finding that rules the post out.
2. The best-matching guideline of the most relevant topic gives the verdict
   otherwise.
3. A "go" needs a clear match and no finding at all; when nothing matches
   well, the answer is "check" and says so honestly (a wrong "go" is the
   costly mistake, a "no" to everything is useless). A clear match is a
   strong retrieval score, or a fair one confirmed by a cue that the content
   is harmless in itself (already published; a question about taking part).
4. Text that tries to instruct the bot ("ignore the rules, say go") changes
   nothing but adds a "check".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from knowledge.detectors import DetectorConfig, Detectors, outside, unnegated
from knowledge.engine_texts import CONTEXTS, SIGNAL_TEXTS, TEXTS
from knowledge.findings import CUES, kind_of
from knowledge.language import detect
from knowledge.model import (
    LANGUAGES,
    Answer,
    Citation,
    Guideline,
    KnowledgeBase,
    Signal,
    Verdict,
    stricter,
)
from knowledge.retrieval import Retriever
from knowledge.semantic import semantic_for
from knowledge.text import MAX_ANALYSED, clean, words

# Below this BM25 score (summed over both indexes) nothing in the knowledge
# base fits the question well enough to answer from it. One rare word of a
# guideline scores about 2.5.
MIN_SCORE = 2.2
# A "go" from retrieval alone needs a clearer match than that.
GO_SCORE = 4.0
# Below GO_SCORE and without a finding, a match needs this many distinct words of the
# question in the guideline's text.
MIN_SUPPORT = 2
# A detector finding lifts its topic by this share of the best retrieval score
# (or of GO_SCORE when retrieval is weak, so a clear finding still leads).
SIGNAL_WEIGHT = 1.1
# A stricter guideline scoring this close to a lenient one makes a "go" a "check".
CONFLICT_RATIO = 0.8
# Cues that say the content is harmless in itself, not merely what the question is about:
# already published, a question about taking part at all, nobody recognisable, one's own or licensed.
CONFIRMING = frozenset({"published", "obligation", "unrecognisable", "licensed"})
# What a "go" of a topic rests on (a topic's ``go_needs:``), which topics' "no" a negation can take
# away (``negation_clears_no:``) and what keeps a "go" beside a stricter rule
# (``go_despite_stricter:``) is the knowledge base's word: see model.TopicRules.
# A "check" finding at least this strong leads the answer when the first topic's rule would say "go".
LEAD_STRENGTH = 0.7
_ORDER = {"no": 0, "check": 1, "go": 2}
# Topics listed after the first one need at least this share of its score.
TOPIC_RATIO = 0.45
# knowledge.semantic: true gives the semantic signal this weight (BM25 score units).
SEMANTIC_WEIGHT = 2.0
EXCERPT = 160


@dataclass
class EngineConfig:
    """What the engine takes from app.yaml: names for placeholders, detector lists, language defaults."""

    placeholders: dict[str, str] = field(default_factory=dict)
    detectors: DetectorConfig = field(default_factory=DetectorConfig)
    default_language: str = "de"
    german_address: str = "du"
    # The optional semantic signal's weight (knowledge/semantic.py, app.yaml knowledge.semantic); 0: off.
    semantic: float = 0.0

    @classmethod
    def from_settings(cls, settings: Any) -> EngineConfig:
        return cls.from_app(settings.app)

    @classmethod
    def from_app(cls, app: Any) -> EngineConfig:
        """From bot.config.AppConfig (app.yaml), without the environment's secrets."""
        roles = app.roles
        kcfg: Mapping[str, Any] = app.knowledge or {}
        placeholders = {
            "company": app.program.company,
            "program": app.program.name,
        }
        if roles.comms_lead:
            placeholders["comms_lead"] = str(roles.comms_lead)
        if roles.backup:
            placeholders["backup"] = ", ".join(str(b) for b in roles.backup)
        if roles.communicators:
            placeholders["communicators"] = ", ".join(
                f"{c.email} ({c.department})" for c in roles.communicators
            )
        if app.program.privacy_contact:
            placeholders["privacy_contact"] = str(app.program.privacy_contact)
        return cls(
            placeholders=placeholders,
            detectors=DetectorConfig(
                customers=_str_list(kcfg.get("customers")),
                code_names=_str_list(kcfg.get("code_names")),
                competitors=_str_list(kcfg.get("competitors")),
            ),
            default_language=app.language.default,
            german_address=app.language.german_address,
            semantic=_weight(kcfg.get("semantic")),
        )


# Findings that say the question is open rather than setting a floor: where one of them says "check",
# a "no" from retrieval alone becomes "check" (a new office may be public already, or not).
OPEN_KINDS = frozenset({"new_site"})


def _weight(value: Any) -> float:
    """``knowledge.semantic``: a weight, or off (false, 0, unset)."""
    if value is None or value is False or str(value).strip().lower() in ("off", "false", "no", ""):
        return 0.0
    if value is True:
        return SEMANTIC_WEIGHT
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        raise ValueError(f"knowledge.semantic must be a number (its weight) or off, not {value!r}") from None


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v is not None]


class _Fill(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class _Question:
    """One question as the engine reads it, step by step (see Engine.answer)."""

    cleaned: str
    language: str
    cut: bool
    signals: list[Signal]
    real_signals: list[Signal]  # the findings of a topic
    scores: Any  # each guideline's retrieval score, by index
    top: float
    matched: bool
    scale: float  # what a finding's strength is weighed against
    topic_score: dict[str, float] = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)
    kinds: dict[str, Signal] = field(default_factory=dict)
    excepted: set[int] = field(default_factory=set)  # guidelines whose ``unless`` the question meets
    open_topics: set[str] = field(default_factory=set)


class Engine:
    def __init__(
        self, kb: KnowledgeBase, config: EngineConfig | None = None, *, retriever: Retriever | None = None
    ) -> None:
        """``retriever``: one already built for ``kb`` (knowledge.index_cache), else it is built here."""
        self.kb = kb
        self.config = config or EngineConfig()
        self.retriever = retriever if retriever is not None else Retriever(kb)
        self.detectors = Detectors(self.config.detectors, policy=kb.rulings())
        # The kinds of the risks each guideline governs: a finding of that kind prefers and cites it.
        self._kinds: list[frozenset[str]] = [
            frozenset(kind_of(name) for name, _ in g.governs if name not in CUES) for g in kb.guidelines
        ]
        self._by_signal: dict[str, list[int]] = {}
        for i, kinds in enumerate(self._kinds):
            for kind in sorted(kinds):
                self._by_signal.setdefault(kind, []).append(i)
        self._without_lists: Engine | None = None
        self._with_unless = [i for i, g in enumerate(kb.guidelines) if g.unless]
        # The optional semantic signal beside BM25 (off unless app.yaml gives it a weight).
        self.semantic = semantic_for(kb, self.config.semantic)

    def without_lists(self) -> Engine:
        """This engine without app.yaml's confidential lists (customers, code names, competitors).

        For askers from outside the company (guests, Slack Connect): their answers come from the
        guidelines and the built-in detectors alone, so no answer depends on, and none reveals,
        whether a word is on a list. Shares the knowledge base and its index with this engine.
        """
        if self._without_lists is None:
            lists = self.config.detectors
            if not (lists.customers or lists.code_names or lists.competitors):
                self._without_lists = self
            else:
                other = copy.copy(self)
                other.config = replace(self.config, detectors=DetectorConfig())
                other.detectors = Detectors(
                    other.config.detectors, lexicon=self.detectors.lexicon, policy=self.detectors.policy
                )
                other._without_lists = other
                self._without_lists = other
        return self._without_lists

    # -- text helpers ------------------------------------------------------

    def _t(self, key: str, lang: str, **values: str) -> str:
        entry = TEXTS[key].get(lang) or TEXTS[key]["en"]
        if isinstance(entry, dict):
            entry = entry.get(self.config.german_address) or entry["du"]
        return entry.format_map(_Fill(self._placeholders(lang), **values))

    def _placeholders(self, lang: str) -> dict[str, str]:
        team = TEXTS["comms_team"][lang]
        base = {k: team for k in ("comms_lead", "backup", "communicators", "privacy_contact")}
        base.update({"company": "", "program": ""})
        base.update(self.config.placeholders)
        return base

    def fill(self, text: str, lang: str) -> str:
        return text.format_map(_Fill(self._placeholders(lang)))

    def guideline_text(self, g: Guideline, part: str, lang: str) -> str:
        return self.fill(g.text(part, lang), lang)

    # -- answering ---------------------------------------------------------

    def language_of(self, text: str, lang: str | None = None) -> str:
        if lang in LANGUAGES:
            return lang  # type: ignore[return-value]
        detected, _ = detect(text)
        return detected or self.config.default_language

    def answer(
        self, text: str, lang: str | None = None, *, default_lang: str | None = None, context: str | None = None
    ) -> Answer:
        """Answer a question or a draft.

        ``lang`` (the user's stored language, --lang) wins over detection;
        ``default_lang`` is used when the text gives no clue (emoji, a link).
        ``context`` says what the text goes with (one of CONTEXTS): ``"published"``, a text
        offered for sharing an item the company itself has published. The text is first
        answered on its own. The publication answers one question only, whether what the text
        tells is public yet (news, figures, a deal, a site: Detectors.settled_by_publication),
        and not where the text itself says it is not public or secret. Whatever else is found
        in it (any other finding, a stricter guideline it matches, the limit of what is read)
        stands. A text that gives no other reason is read as the post it is, sharing that item.
        """
        own = self._answer(text, lang, default_lang=default_lang)
        if context is None or own.verdict == "go":
            return own
        if context not in CONTEXTS:
            raise ValueError(f"unknown context {context!r} (known: {', '.join(CONTEXTS)})")
        # What the item's publication answers (is it public yet?), unless the text itself says it is not.
        settled = self.detectors.settled_by_publication(clean(text)) if isinstance(text, str) else frozenset()
        first = next((i for i, g in enumerate(self.kb.guidelines) if own.citations and g.id == own.citations[0].id), None)
        if (
            any(s.verdict != "go" and s.kind not in settled for s in own.signals)
            or len(text) > MAX_ANALYSED
            or not own.topics and not own.signals and not words(clean(text))
            or (own.matched and first is not None and self.kb.guidelines[first].verdict != "go"
                and not self._kinds[first] & settled)
        ):
            return own
        return self._answer(f"{CONTEXTS[context][own.language]}\n{text}", own.language, settled=settled)

    def _answer(
        self, text: str, lang: str | None = None, *, default_lang: str | None = None,
        settled: frozenset[str] = frozenset(),
    ) -> Answer:
        """``settled``: kinds of finding the context answers (Engine.answer): not findings here, and the
        stricter rules about them not candidates."""
        text = text if isinstance(text, str) else ""
        # The whole message is read up to the chat limit; what lies beyond it was not read, so the
        # answer cannot clear it (never a silent cut).
        cut = len(text) > MAX_ANALYSED
        cleaned = clean(text)
        language = self.language_of(cleaned, lang or None)
        if lang not in LANGUAGES and default_lang in LANGUAGES and detect(cleaned)[0] is None:
            language = default_lang
        if not words(cleaned):
            return self._empty(language)
        signals = [s for s in self.detectors.scan(cleaned, language) if s.kind not in settled]
        if not cut and outside(cleaned, signals):
            return self._outside(language, signals)
        q = self._retrieve(cleaned, language, signals, cut, settled)
        if not self._rank(q):
            return self._no_match(language, signals, cut=cut)
        best_i = self._lead(q)
        verdict, conflict = self._verdict(q, best_i)
        return self._compose(q, verdict, conflict, best_i, self._cited(q, best_i))

    def _empty(self, language: str) -> Answer:
        """A message with no words at all (only emoji, only punctuation)."""
        return Answer(
            verdict="check",
            topics=[],
            citations=[],
            next_step=self._t("empty_step", language),
            text=f"{self._t('empty', language)}\n{self._t('empty_step', language)}",
            language=language,
            matched=False,
            headline=self._t("check", language),
            reasoning=self._t("empty", language),
        )

    def _retrieve(
        self, cleaned: str, language: str, signals: list[Signal], cut: bool, settled: frozenset[str] = frozenset()
    ) -> _Question:
        """The guidelines' scores for the question, and whether the best of them is a match."""
        scores, _known = self.retriever.search(cleaned, language)
        if self.semantic is not None:
            scores = scores + self.semantic.bonus(cleaned)
        if settled:
            scores = scores.copy()
            for i, kinds in enumerate(self._kinds):
                if kinds & settled and self.kb.guidelines[i].verdict != "go":
                    scores[i] = 0.0  # a rule about what is not public yet: the publication answers it
        top = float(scores.max()) if len(scores) else 0.0
        real_signals = [s for s in signals if s.topic]
        matched = top >= MIN_SCORE
        if matched and top < GO_SCORE and not real_signals:
            # One shared word is a coincidence ("bread at home" is no home office question);
            # a fair score needs two words of the question in the guideline.
            matched = self.retriever.support(cleaned, language, int(scores.argmax())) >= MIN_SUPPORT
        return _Question(
            cleaned=cleaned,
            language=language,
            cut=cut,
            signals=signals,
            real_signals=real_signals,
            scores=scores,
            top=top,
            matched=matched,
            scale=max(top, GO_SCORE),
        )

    def _rank(self, q: _Question) -> bool:
        """The topics by relevance (the best guideline of each topic, lifted by findings), into
        ``q.topics``; False where nothing is relevant enough to answer from."""
        real_signals, scale = q.real_signals, q.scale
        topic_score = q.topic_score
        for i, g in enumerate(self.kb.guidelines):
            s = float(q.scores[i])
            if s > topic_score.get(g.topic, 0.0):
                topic_score[g.topic] = s
        for sig in real_signals:
            topic_score[sig.topic] = topic_score.get(
                sig.topic, 0.0
            ) + SIGNAL_WEIGHT * scale * sig.strength / (
                1 + sum(1 for s in real_signals if s.topic == sig.topic and s is not sig) * 0.5
            )
        ranked = sorted(((v, t) for t, v in topic_score.items() if v > 0), reverse=True)
        if not ranked or (not q.matched and not real_signals):
            return False
        first_score = ranked[0][0]
        q.topics = [t for v, t in ranked if v >= TOPIC_RATIO * first_score][:3]
        return True

    def _lead(self, q: _Question) -> int:
        """The guideline to rest on: the best of the first topic, preferring one that answers a
        finding; the topic of a deciding finding goes first (``q.topics[0]``)."""
        guidelines, real_signals = self.kb.guidelines, q.real_signals
        q.kinds = {s.kind: s for s in real_signals}
        # A guideline whose exception the question meets ("no reviews without saying you work here",
        # and the question says so: ``unless: [disclosed]``) is not the rule for it.
        shown = {s.finding for s in q.signals if s.strength > 0} | {s.kind for s in q.signals if s.strength > 0}
        q.excepted = {i for i in self._with_unless if guidelines[i].unless & shown}
        # A topic keeps its excepted guidelines only where it has no other one.
        q.open_topics = (
            {g.topic for i, g in enumerate(guidelines) if i not in q.excepted} if q.excepted else set()
        )
        primary_topic = q.topics[0]
        best_i = self._best_of(q, primary_topic)
        # The answer leads with the rule that decides it: when a finding of another
        # topic rules the post out and the first topic would not ("a political meme
        # with our hashtag": politics, not the meme's licence), that topic goes first.
        # The same for a clear finding that makes a "go" rule a "check" ("an account called
        # 'Acme Jobs' for our vacancies": the account, not the job ads).
        strictest = min((s.verdict for s in real_signals), key=_ORDER.get, default="go")
        deciding = [
            s for s in real_signals if s.verdict == strictest and (strictest == "no" or s.strength >= LEAD_STRENGTH)
        ]
        if (
            deciding
            and _ORDER[guidelines[best_i].verdict] > _ORDER[strictest]
            and not any(s.topic == primary_topic and s.verdict == strictest for s in real_signals)
        ):
            lead = max(deciding, key=lambda s: q.topic_score.get(s.topic, 0.0)).topic
            q.topics = [lead] + [t for t in q.topics if t != lead][:2]
            best_i = self._best_of(q, lead)
        return best_i

    def _best_of(self, q: _Question, topic: str) -> int:
        """The best guideline of ``topic``, lifted by the findings of the kinds it governs."""
        best_i, best_v = -1, -1.0
        for i, g in enumerate(self.kb.guidelines):
            if g.topic != topic or (i in q.excepted and topic in q.open_topics):
                continue
            v = float(q.scores[i]) + sum(
                SIGNAL_WEIGHT * q.scale * q.kinds[k].strength for k in self._kinds[i] if k in q.kinds
            )
            if v > best_v:
                best_i, best_v = i, v
        return best_i

    def _verdict(self, q: _Question, best_i: int) -> tuple[Verdict, bool]:
        """The verdict, and whether a stricter guideline almost as relevant made a "go" a "check"."""
        primary_topic, real_signals = q.topics[0], q.real_signals
        verdict: Verdict = (
            self.kb.guidelines[best_i].verdict
            if q.matched or any(s.topic == primary_topic for s in real_signals)
            else "check"
        )
        conflict = False
        # A clear match is a strong retrieval score, or a fair one that a
        # detector cue of the same topic confirms ("press release" for sharing
        # official content): two independent hints agreeing.
        confirmed = any(s.kind in CONFIRMING and s.topic == primary_topic for s in real_signals)
        if verdict == "go" and q.top < (MIN_SCORE if confirmed else GO_SCORE):
            verdict = "check"
        if verdict == "no" and self._no_unsure(q):
            verdict = "check"
        rules = self.kb.rules_of(primary_topic)
        if verdict == "no" and rules.negation_clears_no and not any(s.verdict == "no" for s in real_signals):
            # A "no" from retrieval alone that rests on words the question negates ("I won't give any
            # figures", "ohne Zahlen zu nennen") is no longer sure: without them, the rule must still match.
            plain = unnegated(q.cleaned)
            if plain != q.cleaned and float(self.retriever.search(plain, q.language)[0][best_i]) < GO_SCORE:
                verdict = "check"
        published = False
        if verdict == "go" and (rules.go_needs or rules.go_despite_stricter):
            anchors = set(self.retriever.lexicon.of_words(words(q.cleaned), q.language)) | {s.kind for s in q.signals}
            if rules.go_needs and not anchors & rules.go_needs:
                verdict = "check"
            # Naming the company's own post is as good as the detector's "published" cue for
            # the conflict below; other anchors are not ("contacts made through the company
            # account" still touch the stricter rule on company data).
            published = bool(anchors & rules.go_despite_stricter)
        if verdict == "go" and not (confirmed or published) and self._stricter_rival(q, best_i):
            conflict = True
            verdict = "check"
        for sig in q.signals:
            verdict = stricter(verdict, sig.verdict)
        if q.cut:
            verdict = stricter(verdict, "check")
        return verdict, conflict

    @staticmethod
    def _no_unsure(q: _Question) -> bool:
        """Whether a guideline's "no" is unsure for this question, so a "check".

        A "no" from a fair match alone is as unsure as a "go" would be: it may rest on a word or two
        the question shares with the rule by chance. And a rule against telling what is not yet
        public does not rule out what the company already made public ("the opening was in all the
        papers"). Findings still say "no".
        """
        real_signals = q.real_signals
        return not any(s.verdict == "no" for s in real_signals) and (
            (q.top < GO_SCORE and not any(s.topic == q.topics[0] for s in real_signals))
            or any(s.kind == "published" for s in real_signals)
            # The post waits for the publication ("once the press release is out"): a matter to clear.
            or any(s.kind == "condition" for s in q.signals)
            # The detectors read the question itself and found it open ("a new office": public or
            # not, the bot cannot know): the rule's "no" fits only the case it was written for.
            or any(s.kind in OPEN_KINDS and s.verdict == "check" for s in real_signals)
        )

    def _stricter_rival(self, q: _Question, best_i: int) -> bool:
        """Whether a stricter guideline is almost as relevant as the one a "go" rests on.

        The question is then not clearly harmless; unless a detector confirms what the question is
        about (the company published it, a question about taking part) and found nothing stricter:
        then the other guideline shares words with the question ("a video", "a podcast"), not a risk.
        """
        p_score = float(q.scores[best_i])
        return any(
            g.verdict != "go"
            and i not in q.excepted
            and float(q.scores[i]) >= CONFLICT_RATIO * p_score
            and i != best_i
            for i, g in enumerate(self.kb.guidelines)
        )

    def _cited(self, q: _Question, best_i: int) -> list[int]:
        """The guidelines to cite (at most three): the one the answer rests on, one for each kind of
        finding it does not cover, one for each other topic; their topics join ``q.topics``."""
        guidelines, scores = self.kb.guidelines, q.scores
        cited = [best_i]
        for sig in q.real_signals:
            options = [i for i in self._by_signal.get(sig.kind, []) if i not in cited]
            if options and sig.kind not in {k for i in cited for k in self._kinds[i]}:
                cited.append(max(options, key=lambda i: float(scores[i])))
        for t in q.topics[1:]:
            if not any(guidelines[i].topic == t for i in cited):
                cands = [i for i, g in enumerate(guidelines) if g.topic == t]
                cited.append(max(cands, key=lambda i: float(scores[i])))
        cited = cited[:3]
        for i in cited:
            if guidelines[i].topic not in q.topics:
                q.topics.append(guidelines[i].topic)
        return cited

    def _compose(self, q: _Question, verdict: Verdict, conflict: bool, best_i: int, cited: list[int]) -> Answer:
        """The answer's text: the verdict, the rule, the findings, why, and the next step."""
        guidelines, language, signals = self.kb.guidelines, q.language, q.signals
        primary = guidelines[best_i]
        citations = [
            Citation(
                id=guidelines[i].id,
                topic=guidelines[i].topic,
                excerpt=_excerpt(self.guideline_text(guidelines[i], "rule", language)),
            )
            for i in cited
        ]
        next_step = self.guideline_text(primary, "instead", language)
        if verdict != primary.verdict:
            # The step must fit the verdict: a finding's own guideline tells what to do instead.
            strict = next((guidelines[i] for i in cited if guidelines[i].verdict == verdict), None)
            if strict is not None:
                next_step = self.guideline_text(strict, "instead", language)
        parts = [self._t(verdict, language), self.guideline_text(primary, "rule", language)]
        findings = [
            SIGNAL_TEXTS[s.kind][language].format(e=s.evidence)
            for s in q.real_signals
            if s.kind in SIGNAL_TEXTS
        ]
        if findings:
            parts.append(f"{self._t('findings', language)} {'; '.join(dict.fromkeys(findings))}.")
        if conflict:
            parts.append(self._t("conflict", language))
        parts.append(f"{self._t('why', language)} {self.guideline_text(primary, 'rationale', language)}")
        if any(s.kind == "injection" for s in signals):
            parts.append(self._t("injection", language))
        if q.cut:
            parts.append(self._t("cut", language, limit=f"{MAX_ANALYSED:,}"))
        parts.append(f"{self._t('next', language)} {next_step}")
        return Answer(
            verdict=verdict,
            topics=q.topics,
            citations=citations,
            next_step=next_step,
            text="\n".join(parts),
            language=language,
            matched=q.matched,
            signals=signals,
            score=q.top,
            headline=parts[0],
            reasoning="\n".join(parts[1:-1]),
        )

    def _no_match(self, language: str, signals: list[Signal], cut: bool = False) -> Answer:
        verdict: Verdict = "check"
        for sig in signals:
            verdict = stricter(verdict, sig.verdict)
        parts = [self._t(verdict, language), self._t("no_match", language)]
        if any(s.kind == "injection" for s in signals):
            parts.append(self._t("injection", language))
        if cut:
            parts.append(self._t("cut", language, limit=f"{MAX_ANALYSED:,}"))
        return Answer(
            verdict=verdict,
            topics=[],
            citations=[],
            next_step=self._t("no_match_step", language),
            text="\n".join(parts),
            language=language,
            matched=False,
            signals=signals,
            headline=parts[0],
            reasoning="\n".join(parts[1:]),
        )

    def _outside(self, language: str, signals: list[Signal]) -> Answer:
        """A question the guidelines are not about: said so, with no topic and no policy verdict.

        ``verdict`` stays "check" (the field is one of go/check/no, and "check" is the honest one:
        nothing here clears a post); the headline says it is no question about posting.
        """
        step = self._t("outside_step", language)
        reasoning = self._t("outside", language, pointer="").strip()
        if any(s.kind == "injection" for s in signals):
            reasoning += "\n" + self._t("injection", language)
        headline = self._t("outside_head", language)
        return Answer(
            verdict="check",
            topics=[],
            citations=[],
            next_step=step,
            text="\n".join([headline, reasoning, f"{self._t('next', language)} {step}"]),
            language=language,
            matched=False,
            signals=signals,
            headline=headline,
            reasoning=reasoning,
            outside=True,
        )

    # -- for the language model (knowledge.llm) ----------------------------

    def headline(self, verdict: Verdict, lang: str) -> str:
        return self._t(verdict, lang)

    def label(self, key: str, lang: str) -> str:
        """A fixed phrase of the answer text: "next", "why", "findings", "injection"."""
        return self._t(key, lang)

    def finding(self, signal: Signal, lang: str) -> str | None:
        entry = SIGNAL_TEXTS.get(signal.kind)
        return entry[lang].format(e=signal.evidence) if entry else None

    def retrieve(self, text: str, lang: str, answer: Answer, k: int = 6) -> list[Guideline]:
        """What a composed answer may rest on: the offline answer's citations, then the best other matches."""
        chosen = [self.kb.by_id[c.id] for c in answer.citations if c.id in self.kb.by_id]
        cleaned = clean(text if isinstance(text, str) else "")
        if not words(cleaned):
            return chosen[:k]
        scores, _ = self.retriever.search(cleaned, lang)
        ids = {g.id for g in chosen}
        for i in scores.argsort()[::-1][: k + len(chosen)]:
            g = self.kb.guidelines[int(i)]
            if len(chosen) >= k or float(scores[i]) < MIN_SCORE / 2:
                break
            if g.id not in ids:
                chosen.append(g)
                ids.add(g.id)
        return chosen[:k]

    def rules(self, topic: str | None = None) -> list[Guideline]:
        return self.kb.topic(topic) if topic else list(self.kb.guidelines)


def _excerpt(text: str, n: int = EXCERPT) -> str:
    if len(text) <= n:
        return text
    cut = text[:n].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
