"""The program key: kept out of the database, so a copy of the database links nothing.

Anonymous ballots, file links and the ids kept to drop platform retries are
keyed with one secret. Whoever holds a copy of the database (or its backups)
must not hold that secret too, so it is never stored there: it comes from
``AMBASSADOR_SECRET`` in the environment, or from a key file beside ``app.yaml``
(``.ambassador.key``) that ``ambassador run``/``chat`` makes on first start.
With neither, anonymous polls and file links are refused with a message that
says how to enable them.

Each use gets its own key, derived one-way from the secret (HMAC with a
purpose label), so a key serving one purpose tells nothing about another.
The database keeps a fingerprint of the secret (a keyed hash, not the key):
a replica started with a different secret is stopped with a clear message
instead of splitting anonymous ballots between two keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

log = logging.getLogger("ambassador.keys")

ENV = "AMBASSADOR_SECRET"
FILE_ENV = "AMBASSADOR_KEY_FILE"
KEY_FILE = ".ambassador.key"
# An operator's secret is also the key of the ballot hashes: a short one could be guessed offline.
MIN_LENGTH = 32


class ProgramKeyError(Exception):
    """A secret that cannot be used (too short, unreadable key file, differs from the database's)."""


@dataclass(frozen=True)
class ProgramKey:
    """The secret and where it came from ('environment', a file path, or '' when there is none)."""

    secret: bytes | None = field(default=None, repr=False)
    source: str = ""
    _derived: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    @property
    def available(self) -> bool:
        return self.secret is not None

    def derive(self, purpose: str) -> bytes:
        """A key for one purpose; raises when there is no secret (callers check ``available``)."""
        if self.secret is None:
            raise ProgramKeyError("no program key: set AMBASSADOR_SECRET or let the bot make its key file")
        key = self._derived.get(purpose)
        if key is None:
            key = self._derived[purpose] = hmac.new(self.secret, b"ambassador/" + purpose.encode(),
                                                     hashlib.sha256).digest()
        return key

    def digest(self, purpose: str, text: str) -> str:
        """A keyed hash of ``text``; a plain SHA-256 where there is no secret (never reversible either way)."""
        if self.secret is None:
            return hashlib.sha256(f"{purpose}:{text}".encode()).hexdigest()
        return hmac.new(self.derive(purpose), text.encode(), hashlib.sha256).hexdigest()

    def seal(self, value: dict[str, Any]) -> dict[str, Any]:
        """``value`` encrypted with the program key (Fernet), as ``{"sealed": token}``; as it is without a key.

        Work accepted before the platform's acknowledgement (who pressed what, a draft's text) waits in the
        database for a moment; sealed, a copy of the file or its write-ahead log does not show it.
        """
        if self.secret is None:
            return value
        return {"sealed": self._fernet().encrypt(json.dumps(value).encode()).decode()}

    def unseal(self, value: dict[str, Any] | None) -> dict[str, Any]:
        """What ``seal`` sealed; anything else as it is. Raises ProgramKeyError for a token of another key."""
        if not value or set(value) != {"sealed"} or not isinstance(value["sealed"], str):
            return dict(value or {})
        if self.secret is None:
            raise ProgramKeyError("a sealed record, and no program key to open it")
        try:
            return json.loads(self._fernet().decrypt(value["sealed"].encode()))
        except InvalidToken:
            raise ProgramKeyError("a sealed record made with another program key") from None

    def _fernet(self) -> Fernet:
        return Fernet(base64.urlsafe_b64encode(self.derive("sealed records")))

    def fingerprint(self) -> str | None:
        """What the database may keep to recognise the secret: a keyed hash of a fixed label."""
        if self.secret is None:
            return None
        return self.digest("fingerprint", "ambassador program key")[:32]


def key_file_path(config_path: Path, env: dict[str, str]) -> Path:
    return Path(env.get(FILE_ENV) or (Path(config_path).parent / KEY_FILE))


def load_key(config_path: Path, env: dict[str, str]) -> ProgramKey:
    """AMBASSADOR_SECRET, else the key file if it exists, else no key. Makes nothing."""
    value = env.get(ENV)
    if value:
        if len(value) < MIN_LENGTH:
            raise ProgramKeyError(
                f"environment: {ENV} must be at least {MIN_LENGTH} characters (it keys the anonymous ballots; "
                f"make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return ProgramKey(value.encode(), "environment")
    path = key_file_path(config_path, env)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ProgramKey()
    except OSError as exc:
        raise ProgramKeyError(f"{path}: cannot read the key file ({exc.strerror})") from None
    if len(text) < MIN_LENGTH:
        raise ProgramKeyError(f"{path}: the key file holds fewer than {MIN_LENGTH} characters; "
                        f"delete it to have a new one made, or put a longer secret in it")
    return ProgramKey(text.encode(), str(path))


def ensure_key(config_path: Path, env: dict[str, str]) -> ProgramKey:
    """The key, making the key file when there is none yet (readable by the owner only).

    Returns a key without a secret when the file cannot be written: the bot then runs
    without anonymous polls and file links and says so where they are asked for.
    """
    key = load_key(config_path, env)
    if key.available:
        return key
    path = key_file_path(config_path, env)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_key(config_path, env)  # made by another process meanwhile
    except OSError as exc:
        log.warning("no program key: cannot write %s (%s); anonymous polls and file links are off "
                    "until AMBASSADOR_SECRET is set", path, exc.strerror)
        return ProgramKey()
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value + "\n")
    log.warning("made the program key file %s: keep it out of database backups, and give every "
                "replica the same one (or set AMBASSADOR_SECRET)", path)
    return ProgramKey(value.encode(), str(path))
