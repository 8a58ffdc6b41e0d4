"""The guideline knowledge base as typed objects, and the answer the engine gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from knowledge.findings import FINDINGS, kind_of

Verdict = Literal["go", "check", "no"]
VERDICTS: tuple[Verdict, ...] = ("go", "check", "no")  # ordered from lenient to strict
LANGUAGES: tuple[str, ...] = ("de", "en")

# Topics are the knowledge base's: its files declare them (a ``topics:`` block with titles in both
# languages) or its guidelines name them. These registries gather the topics and titles of every
# knowledge base loaded in this process, for code that labels a recorded topic id (the meeting
# report); an engine asks its own knowledge base (KnowledgeBase.topics, .topic_title).
class _Titles(dict[str, dict[str, str]]):
    """Topic titles by id. Read before any knowledge base was loaded, it loads the default one's
    (``load``: set by knowledge/loader.py, which builds on this module; read the titles from there)."""

    filled = False
    load: Any = None

    def _fill(self) -> None:
        if not self.filled and self.load is not None:
            self.filled = True
            self.load()

    def get(self, key: str, default: Any = None) -> Any:
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key: str) -> dict[str, str]:
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def __iter__(self) -> Any:
        self._fill()
        return super().__iter__()


TOPICS: list[str] = []
TOPIC_NAMES: dict[str, dict[str, str]] = _Titles()


def default_title(topic: str) -> dict[str, str]:
    """A title for a topic no file gives one: its id in words ("team_events": "Team events")."""
    text = topic.replace("_", " ").replace("-", " ").strip().capitalize()
    return {lang: text for lang in LANGUAGES}


def stricter(a: Verdict, b: Verdict) -> Verdict:
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b


@dataclass(frozen=True)
class CourseOption:
    """One answer to a course question, in both languages; ``right`` marks the one right answer."""

    text: dict[str, str]
    right: bool = False


@dataclass(frozen=True)
class CourseStep:
    """A guideline's step in the course for new ambassadors (the ``course:`` field of a guideline).

    The rule in one sentence, one example, one question with its options (exactly one right) and
    why the right one is right, each in German and English; ``order`` places the step (0: file order).
    """

    rule: dict[str, str]
    example: dict[str, str]
    question: dict[str, str]
    options: tuple[CourseOption, ...]
    why: dict[str, str]
    order: int = 0

    @property
    def right(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.right)


@dataclass(frozen=True)
class Guideline:
    id: str
    topic: str
    verdict: Verdict
    rule: dict[str, str]
    rationale: dict[str, str]
    instead: dict[str, str]
    triggers: dict[str, tuple[str, ...]]
    # The findings (knowledge.findings) this guideline governs, each with the verdict it implies
    # (the guideline's own unless the file gives one by name): a governed finding takes that
    # verdict and this topic, and cites this guideline even when the question's words differ.
    governs: tuple[tuple[str, Verdict], ...] = ()
    course: CourseStep | None = None
    # Findings or cues that take this guideline out of the answer when the question shows them: the
    # "unless" of a rule ("no reviews without saying you work here": ``unless: [disclosed]``).
    unless: frozenset[str] = frozenset()
    # What a post must carry under this guideline (``disclosure: {en: "#employee", de: "#mitarbeiter"}``):
    # the bot adds it to every share text it offers.
    disclosure: dict[str, str] | None = None
    source: str = ""
    line: int = 0

    def text(self, part: str, lang: str) -> str:
        values: dict[str, str] = getattr(self, part)
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")


@dataclass(frozen=True)
class TopicRules:
    """How the engine reads one topic, as its declaration in the files says (docs/knowledge.md).

    Names are lexicon concepts (knowledge.lexicon) or findings and their kinds (knowledge.findings).
    """

    # Concepts that point to this topic when no guideline's own words carry them.
    concepts: tuple[str, ...] = ()
    # A "go" of this topic needs the question to name one of these; empty: no such need.
    go_needs: frozenset[str] = frozenset()
    # Naming one of these keeps a "go" even when a stricter guideline scores almost as high.
    go_despite_stricter: frozenset[str] = frozenset()
    # A "no" from retrieval alone that rests on negated words ("without any figures") becomes "check".
    negation_clears_no: bool = False


NO_RULES = TopicRules()


@dataclass
class KnowledgeBase:
    guidelines: list[Guideline]
    files: list[str] = field(default_factory=list)
    # The topics the files declare, in their order, with their titles; topics the guidelines name
    # without a declaration follow, titled by their id.
    topic_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    # What the declarations say about reading each topic (TopicRules); a topic without one has none.
    topic_rules: dict[str, TopicRules] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {g.id: g for g in self.guidelines}
        self.policy = _policy(self.guidelines)
        titles = dict(self.topic_titles)
        for g in self.guidelines:
            if g.topic not in titles:
                titles[g.topic] = default_title(g.topic)
        self.topic_titles = titles
        if isinstance(TOPIC_NAMES, _Titles):
            TOPIC_NAMES.filled = True
        for topic, names in titles.items():
            TOPIC_NAMES[topic] = names
            if topic not in TOPICS:
                TOPICS.append(topic)

    def disclosures(self, lang: str) -> list[str]:
        """The disclosures the guidelines ask every shared post to carry, in ``lang``, once each, in file order."""
        out: list[str] = []
        for g in self.guidelines:
            if g.disclosure:
                text = g.disclosure.get(lang) or g.disclosure.get("en") or ""
                if text and text not in out:
                    out.append(text)
        return out

    def rules_of(self, topic: str) -> TopicRules:
        return self.topic_rules.get(topic, NO_RULES)

    def concept_topics(self) -> dict[str, list[str]]:
        """concept -> the topics that list it (``concepts:``), in the files' order."""
        out: dict[str, list[str]] = {}
        for topic, rules in self.topic_rules.items():
            for cid in rules.concepts:
                out.setdefault(cid, []).append(topic)
        return out

    def topic_title(self, topic: str, lang: str) -> str:
        names = self.topic_titles.get(topic) or default_title(topic)
        return names.get(lang) or names.get("en") or topic

    def rulings(self) -> dict[str, tuple[Verdict, str]]:
        """finding name -> (verdict, topic), what the detectors report a finding with."""
        return {name: (r.verdict, r.topic) for name, r in self.policy.items()}

    def governors(self, finding: str) -> list[tuple[Guideline, Verdict]]:
        """The guidelines that govern ``finding``, with the verdict each gives it.

        A guideline naming the finding governs it; otherwise one naming its kind does.
        """
        direct = [(g, v) for g in self.guidelines for name, v in g.governs if name == finding]
        if direct:
            return direct
        kind = kind_of(finding)
        return [(g, v) for g in self.guidelines for name, v in g.governs if name == kind]

    def topic(self, topic: str) -> list[Guideline]:
        return [g for g in self.guidelines if g.topic == topic]

    def course(self) -> list[Guideline]:
        """The guidelines with a course step, in course order (``order``, then the files' order)."""
        steps = [g for g in self.guidelines if g.course is not None]
        return sorted(steps, key=lambda g: g.course.order if g.course and g.course.order else 10**6)

    def topics(self) -> list[str]:
        """The topics that have guidelines, in the files' order."""
        present = {g.topic for g in self.guidelines}
        return [t for t in self.topic_titles if t in present]


@dataclass(frozen=True)
class Ruling:
    """What the knowledge base says about one finding: its verdict and topic, and the guidelines."""

    verdict: Verdict
    topic: str
    guideline_ids: tuple[str, ...]


def _policy(guidelines: list[Guideline]) -> dict[str, Ruling]:
    """Every finding a guideline governs: the strictest verdict its governors give it, and their topic."""
    kb_governs: dict[str, list[tuple[Guideline, Verdict]]] = {}
    for g in guidelines:
        for name, v in g.governs:
            kb_governs.setdefault(name, []).append((g, v))
    out: dict[str, Ruling] = {}
    for name in FINDINGS:
        governors = kb_governs.get(name) or kb_governs.get(kind_of(name))
        if not governors:
            continue
        verdict = max((v for _, v in governors), key=VERDICTS.index)
        topic = next(g.topic for g, v in governors if v == verdict)
        out[name] = Ruling(verdict=verdict, topic=topic, guideline_ids=tuple(g.id for g, _ in governors))
    return out


@dataclass(frozen=True)
class Signal:
    """Something a draft reveals by itself, found by a detector."""

    kind: str  # e.g. "unreleased", "figures", "personal_data"
    topic: str
    verdict: Verdict  # the least strict verdict this finding allows
    evidence: str  # the words that gave it away, for the answer
    strength: float = 1.0
    # The finding's own name (knowledge.findings), which the guidelines govern; ``kind`` is its family.
    finding: str = ""


@dataclass(frozen=True)
class Citation:
    id: str
    topic: str
    excerpt: str


@dataclass
class Answer:
    verdict: Verdict
    topics: list[str]
    citations: list[Citation]
    next_step: str
    text: str
    language: str
    matched: bool
    signals: list[Signal] = field(default_factory=list)
    score: float = 0.0
    # The answer's parts, for chat layouts that show them apart: ``text`` is
    # headline, reasoning and next step joined.
    headline: str = ""
    reasoning: str = ""
    # "offline" (the engine) or "llm" (composed by the language model, post-checked).
    composed_by: str = "offline"
    # A question the guidelines are not about (IT, HR, small talk): no topic, no policy verdict
    # (``verdict`` stays "check"), a pointer to whom to ask.
    outside: bool = False

    @property
    def guideline_ids(self) -> list[str]:
        return [c.id for c in self.citations]

    def to_json(self) -> dict[str, Any]:
        """The shape `ambassador ask --json` prints (issue 3)."""
        return {
            "verdict": self.verdict,
            "topics": list(self.topics),
            "guidelines": self.guideline_ids,
            "answer": self.text,
            "language": self.language,
            "matched": self.matched,
            "outside": self.outside,
            "next_step": self.next_step,
            "composed_by": self.composed_by,
            "citations": [{"id": c.id, "topic": c.topic, "excerpt": c.excerpt} for c in self.citations],
            "signals": [
                {
                    "kind": s.kind,
                    "finding": s.finding or s.kind,
                    "topic": s.topic,
                    "verdict": s.verdict,
                    "evidence": s.evidence,
                }
                for s in self.signals
            ],
        }
