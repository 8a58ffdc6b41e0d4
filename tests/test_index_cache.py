"""The knowledge base's index kept on disk (knowledge/index_cache.py): a restart reads it back,
a change rebuilds it, and an entry that is stale, corrupt or not ours is ignored, never trusted."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from knowledge import index_cache
from knowledge.engine import Engine, EngineConfig
from knowledge.index_cache import cached_ok, folder_from, load_cached
from knowledge.loader import DEFAULT_PATH, KBError, load_kb
from knowledge.retrieval import Retriever
from knowledge.service import KnowledgeService, cache_folder, startup_problems

SECOND = Path(__file__).resolve().parent / "kb_second" / "kb"
QUESTIONS = [
    "Can I post a photo of our new office?",
    "Darf ich die Umsatzzahlen vom letzten Quartal teilen?",
    "A journalist asked me for a quote about the lawsuit, what do I say?",
    "Kann ich ein Foto mit Kollgen vom Sommerfest posten?",  # a typo: the correction works from the cache too
]


def _copy(tmp_path: Path, source: Path = SECOND) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(source, folder)
    return folder


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the index builds from here on."""
    count: list[int] = []
    real = Retriever.__init__

    def counting(self, *args, **kw):
        count.append(1)
        real(self, *args, **kw)

    monkeypatch.setattr(Retriever, "__init__", counting)
    return count


def test_a_restart_reads_the_index_back_and_answers_exactly_alike(tmp_path, monkeypatch):
    folder, cache = _copy(tmp_path), tmp_path / "cache"
    fresh = Engine(load_kb(folder))
    builds = _builds(monkeypatch)
    load_cached(folder, cache)  # cold: built and stored
    kb, retriever = load_cached(folder, cache)  # warm: read back
    assert len(builds) == 1
    warm = Engine(kb, retriever=retriever)
    for q in QUESTIONS:
        assert repr(warm.answer(q)) == repr(fresh.answer(q))
    # the key and the entry are this user's alone
    assert {p.name for p in cache.iterdir()} >= {".key"}
    assert all(p.stat().st_mode & 0o077 == 0 for p in cache.iterdir())


def test_an_edited_file_is_rebuilt_and_its_change_counts(tmp_path, monkeypatch):
    folder, cache = tmp_path / "kb", tmp_path / "cache"
    shutil.copytree(DEFAULT_PATH, folder)
    text = "May I post a team photo from our summer party?"
    kb, r = load_cached(folder, cache)
    assert Engine(kb, retriever=r).answer(text).verdict == "check"
    path = folder / "privacy.yaml"
    content = path.read_text(encoding="utf-8")
    start = content.index("- id: privacy.pictures-of-people\n")
    at = content.index("verdict: check", start)
    path.write_text(content[:at] + "verdict: go" + content[at + len("verdict: check") :], encoding="utf-8")
    builds = _builds(monkeypatch)
    kb, r = load_cached(folder, cache)
    assert len(builds) == 1  # stale: built again
    assert Engine(kb, retriever=r).answer(text).verdict == "go"


def test_a_corrupt_or_foreign_entry_is_ignored_with_a_log_line(tmp_path, monkeypatch, caplog):
    folder, cache = _copy(tmp_path), tmp_path / "cache"
    expected = repr(Engine(load_kb(folder)).answer(QUESTIONS[2]))
    load_cached(folder, cache)
    (entry,) = cache.glob("*.idx")
    blob = bytearray(entry.read_bytes())
    blob[-10] ^= 0xFF  # someone else's bytes: the HMAC no longer fits
    entry.write_bytes(bytes(blob))
    builds = _builds(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="ambassador.knowledge"):
        kb, r = load_cached(folder, cache)
    assert len(builds) == 1
    assert "not one this process wrote" in caplog.text
    assert repr(Engine(kb, retriever=r).answer(QUESTIONS[2])) == expected
    # rebuilt and stored again: the next start reads it
    load_cached(folder, cache)
    assert len(builds) == 1
    entry.write_bytes(b"garbage")  # truncated
    with caplog.at_level(logging.WARNING, logger="ambassador.knowledge"):
        load_cached(folder, cache)
    assert len(builds) == 2


def test_a_key_others_can_read_is_not_trusted(tmp_path, monkeypatch, caplog):
    folder, cache = _copy(tmp_path), tmp_path / "cache"
    load_cached(folder, cache)
    os.chmod(cache / ".key", 0o644)
    builds = _builds(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="ambassador.knowledge"):
        load_cached(folder, cache)
    assert len(builds) == 1
    assert "readable by nobody else" in caplog.text
    assert not cached_ok(folder, cache)


def test_a_broken_knowledge_base_is_never_cached(tmp_path):
    folder, cache = _copy(tmp_path), tmp_path / "cache"
    (folder / "media.yaml").write_text("guidelines:\n  - id: x\n    verdict: maybe\n", encoding="utf-8")
    with pytest.raises(KBError):
        load_cached(folder, cache)
    assert not list(cache.glob("*.idx")) if cache.exists() else True
    assert not cached_ok(folder, cache)


def test_cache_off_builds_every_time_and_writes_nothing(tmp_path, monkeypatch, settings):
    assert folder_from("off") is None and folder_from(False) is None
    assert folder_from("idx", tmp_path) == tmp_path / "idx"
    assert folder_from(None) == index_cache.default_folder()
    app = SimpleNamespace(knowledge={"cache": "off"})
    assert cache_folder(app, tmp_path / "app.yaml") is None
    service = KnowledgeService(EngineConfig(), _copy(tmp_path), cache=cache_folder(app))
    builds = _builds(monkeypatch)
    service.engine()
    assert len(builds) == 1
    assert not (tmp_path / "cache").exists()


def test_the_service_and_the_start_up_check_use_the_cache(tmp_path, monkeypatch, settings):
    folder, cache = _copy(tmp_path), tmp_path / "cache"
    settings.app.knowledge = {"path": str(folder), "cache": str(cache)}
    service = KnowledgeService.from_settings(settings, composer=None)
    assert service.cache == cache
    answer = service.answer(QUESTIONS[2])
    assert cached_ok(folder, cache)
    assert startup_problems(settings) == []
    builds = _builds(monkeypatch)
    again = KnowledgeService.from_settings(settings, composer=None)  # a restart
    assert repr(again.answer(QUESTIONS[2])) == repr(answer)
    assert builds == []
    # a file broken since: the start-up check reads the files and names the problem
    (folder / "media.yaml").write_text("guidelines: [\n", encoding="utf-8")
    assert startup_problems(settings)
