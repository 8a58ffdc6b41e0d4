"""The built knowledge base and its search index, kept on disk so a restart need not rebuild them.

Building the index of a large knowledge base takes seconds (every word of every guideline is
stemmed, split and looked up); reading it back takes a fraction of that. The cache is an
optimisation only, never a source of truth:

- Its key is a hash of the knowledge base's files (their paths and bytes), of the engine's own
  source files and of the versions of the libraries that shape the index. Any change to either
  gives another key, so a stale entry is never read; it is rebuilt and replaced.
- An entry is a pickle, authenticated with HMAC-SHA256 under a key kept in the cache folder
  (``.key``, readable by this user only). An entry someone else wrote, a key file others can read
  or write, a truncated or corrupt file: each is ignored with a log line and the index is built
  afresh. Pickle data is only unpickled after its HMAC checks out.
- The folder is safe to delete at any time. Writes go to a temporary file renamed into place, so
  two processes starting at once never see half an entry.

The folder is app.yaml's ``knowledge.cache`` (relative to app.yaml), else ``ambassador`` in the
user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``); ``knowledge.cache: off`` switches it off.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import secrets
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from knowledge.loader import DEFAULT_PATH, kb_files, load_kb
from knowledge.model import KnowledgeBase
from knowledge.retrieval import Retriever

log = logging.getLogger("ambassador.knowledge")

# Raise when the shape of what is stored changes in a way the source digest would not show.
FORMAT = 1
_MAGIC = b"AMBKB%d\n" % FORMAT
_MAC_SIZE = 32
_KEY_FILE = ".key"
_KNOWLEDGE = Path(__file__).resolve().parent
# Keep at most this many entries (one per knowledge base version); the oldest go first.
KEEP = 4
OFF = frozenset({"off", "false", "no", "none", ""})


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ambassador" / "kb-index"


def _engine_digest() -> str:
    """The engine's own code and the libraries that shape the index: a change in either is another key."""
    digest = hashlib.sha256(_MAGIC)
    for source in sorted(_KNOWLEDGE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for dist in ("bm25s", "numpy", "PyStemmer", "PyYAML"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version};".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


_ENGINE_DIGEST: str | None = None


def cache_key(files: list[Path]) -> str:
    """The hash of the knowledge base's files (paths and content) and of the engine."""
    global _ENGINE_DIGEST
    if _ENGINE_DIGEST is None:
        _ENGINE_DIGEST = _engine_digest()
    digest = hashlib.sha256(_ENGINE_DIGEST.encode())
    for f in files:
        data = f.read_bytes()
        digest.update(f"{f.resolve()}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


class IndexCache:
    """Built knowledge bases and indexes in one folder, by key."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # -- the key for the HMAC ------------------------------------------------

    def _secret(self, create: bool) -> bytes | None:
        """The folder's HMAC key; None (with a log line) when it is missing or not this user's alone."""
        path = self.folder / _KEY_FILE
        if create and not path.exists():
            try:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(secrets.token_bytes(32))
            except FileExistsError:
                pass  # another process made it a moment ago
            except OSError as exc:
                log.warning("knowledge base cache: cannot create its key (%s); building without a cache", exc)
                return None
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            log.warning(
                "knowledge base cache ignored: its key %s must belong to this user and be readable by nobody else",
                path,
            )
            return None
        secret = path.read_bytes()
        if len(secret) < 32:
            log.warning("knowledge base cache ignored: its key %s is too short (delete the folder to renew it)", path)
            return None
        return secret

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.idx"

    # -- reading and writing ---------------------------------------------------

    def holds(self, key: str) -> bool:
        """Whether an authentic entry is stored under ``key`` (its HMAC checked, nothing unpickled)."""
        return self._payload(key) is not None

    def _payload(self, key: str) -> bytes | None:
        path = self._entry(key)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("knowledge base cache unreadable (%s); building the index afresh", exc)
            return None
        secret = self._secret(create=False)
        if secret is None:
            return None
        head, mac = blob[: len(_MAGIC)], blob[len(_MAGIC) : len(_MAGIC) + _MAC_SIZE]
        payload = blob[len(_MAGIC) + _MAC_SIZE :]
        expected = hmac.new(secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
        if head != _MAGIC or not hmac.compare_digest(mac, expected):
            log.warning("knowledge base cache entry %s is not one this process wrote; ignored and rebuilt", path.name)
            return None
        return payload

    def load(self, key: str) -> tuple[KnowledgeBase, Retriever] | None:
        """The knowledge base and retriever stored under ``key``, or None (missing, foreign, corrupt)."""
        path = self._entry(key)
        payload = self._payload(key)
        if payload is None:
            return None
        try:
            state = pickle.loads(payload)
            kb = KnowledgeBase(
                guidelines=state["guidelines"],
                files=state["files"],
                topic_titles=state["topic_titles"],
                topic_rules=state["topic_rules"],
            )
            retriever = Retriever.from_state(kb, state["retriever"])
        except Exception as exc:  # noqa: BLE001 - any unreadable entry is rebuilt, never fatal
            log.warning("knowledge base cache entry %s unreadable (%s); rebuilt", path.name, type(exc).__name__)
            return None
        try:
            os.utime(path)  # most recently used: kept longest
        except OSError:
            pass
        return kb, retriever

    def store(self, key: str, kb: KnowledgeBase, retriever: Retriever) -> None:
        secret = self._secret(create=True)
        if secret is None:
            return
        state = {
            "guidelines": kb.guidelines,
            "files": kb.files,
            "topic_titles": kb.topic_titles,
            "topic_rules": kb.topic_rules,
            "retriever": retriever.state(),
        }
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        mac = hmac.new(secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".idx")
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + mac + payload)
            os.replace(tmp, self._entry(key))
        except OSError as exc:
            log.warning("knowledge base cache not written (%s)", exc)
            return
        self._prune()

    def _prune(self) -> None:
        try:
            entries = sorted(self.folder.glob("*.idx"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[KEEP:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass


def folder_from(setting: Any, base: Path | None = None) -> Path | None:
    """app.yaml's ``knowledge.cache``: a folder (relative to ``base``), ``off``, or unset (the default folder)."""
    if setting is None:
        return default_folder()
    if setting is False or str(setting).strip().lower() in OFF:
        return None
    path = Path(str(setting)).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _key_of(root: Path) -> str | None:
    try:
        return cache_key(kb_files(root)) if root.exists() else None
    except OSError:
        return None


def cached_ok(path: Path | None, folder: Path | None) -> bool:
    """Whether the cache holds a build of exactly these files (so they loaded without problems)."""
    if folder is None:
        return False
    key = _key_of(Path(path) if path else DEFAULT_PATH)
    return key is not None and IndexCache(folder).holds(key)


def load_cached(path: Path | None, folder: Path | None) -> tuple[KnowledgeBase, Retriever]:
    """The knowledge base at ``path`` and its retriever: from the cache when it holds them, else built (and stored).

    Raises the loader's KBError as ``load_kb`` does; a broken knowledge base is never cached.
    """
    root = Path(path) if path else DEFAULT_PATH
    cache = IndexCache(folder) if folder is not None else None
    key = _key_of(root) if cache is not None else None
    if cache is not None and key is not None:
        hit = cache.load(key)
        if hit is not None:
            return hit
    kb = load_kb(root)
    retriever = Retriever(kb)
    # Stored only when the files were not edited while they were read.
    if cache is not None and key is not None and _key_of(root) == key:
        cache.store(key, kb, retriever)
    return kb, retriever
