"""The guideline knowledge base as typed objects, and the answer the engine gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

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
    # Detector findings (see knowledge.detectors) this guideline answers: a
    # finding of that kind cites it even when the words of the question differ.
    signals: tuple[str, ...] = ()
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

    def topic(self, topic: str) -> list[Guideline]:
        return [g for g in self.guidelines if g.topic == topic]

    def topics(self) -> list[str]:
        present = {g.topic for g in self.guidelines}
        return [t for t in TOPICS if t in present]


@dataclass(frozen=True)
class Signal:
    """Something a draft reveals by itself, found by a detector."""

    kind: str  # e.g. "unreleased", "figures", "personal_data"
    topic: str
    verdict: Verdict  # the least strict verdict this finding allows
    evidence: str  # the words that gave it away, for the answer
    strength: float = 1.0


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
                {"kind": s.kind, "topic": s.topic, "verdict": s.verdict, "evidence": s.evidence}
                for s in self.signals
            ],
        }
