"""The guideline knowledge base as typed objects, and the answer the engine gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from knowledge.findings import FINDINGS, kind_of

Verdict = Literal["go", "check", "no"]
VERDICTS: tuple[Verdict, ...] = ("go", "check", "no")  # ordered from lenient to strict
LANGUAGES: tuple[str, ...] = ("de", "en")

# The taxonomy of ../shared/eval/README.md; answers and the eval speak these ids.
TOPICS: tuple[str, ...] = (
    "official_content",
    "confidential",
    "spokesperson",
    "crisis",
    "disclosure",
    "copyright",
    "privacy",
    "netiquette",
    "company_accounts",
    "working_time",
    "voluntary",
    "contacts",
)

TOPIC_NAMES: dict[str, dict[str, str]] = {
    "official_content": {"en": "Sharing official content", "de": "Offizielle Inhalte teilen"},
    "confidential": {"en": "Confidential information", "de": "Vertrauliche Informationen"},
    "spokesperson": {"en": "Who speaks for the company", "de": "Wer für das Unternehmen spricht"},
    "crisis": {"en": "Crises and incidents", "de": "Krisen und Zwischenfälle"},
    "disclosure": {"en": "Saying that you work here", "de": "Offenlegen, dass du hier arbeitest"},
    "copyright": {"en": "Copyright and licences", "de": "Urheberrecht und Lizenzen"},
    "privacy": {"en": "Privacy and pictures of people", "de": "Datenschutz und Bilder von Personen"},
    "netiquette": {"en": "Tone and netiquette", "de": "Ton und Netiquette"},
    "company_accounts": {"en": "Company accounts and pages", "de": "Unternehmenskonten und -seiten"},
    "working_time": {"en": "Social media and working time", "de": "Social Media und Arbeitszeit"},
    "voluntary": {"en": "Taking part is voluntary", "de": "Mitmachen ist freiwillig"},
    "contacts": {"en": "Contacts, followers and admin rights", "de": "Kontakte, Follower und Admin-Rechte"},
}


def stricter(a: Verdict, b: Verdict) -> Verdict:
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b


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
    source: str = ""
    line: int = 0

    def text(self, part: str, lang: str) -> str:
        values: dict[str, str] = getattr(self, part)
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")


@dataclass
class KnowledgeBase:
    guidelines: list[Guideline]
    files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {g.id: g for g in self.guidelines}
        self.policy = _policy(self.guidelines)

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

    def topics(self) -> list[str]:
        present = {g.topic for g in self.guidelines}
        return [t for t in TOPICS if t in present]


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
