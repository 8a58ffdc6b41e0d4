"""Files from the report directory behind an unguessable, expiring link: ``GET /files/{token}``.

Teams bots cannot attach a file to a personal chat without the FileConsentCard
dialog, so the Teams adapter sends a card with a link to the bot's own server
instead.

Each linked file gets a row (``file_link``) with a random id, its path relative
to ``meetings.report_dir``, its download name and expiry. The link is
``<id>.<signature>``: an HMAC over the row, keyed with the program key's "file
links" key, which is never stored in the database. So:

- the link names no path, and only files the bot itself linked, inside the
  report directory, are ever served (checked again, symlinks resolved, on every
  request);
- whoever reads the database (or a backup) knows the ids but cannot sign one,
  and whoever changes a row (its path, its expiry) breaks its signature;
- every replica with the same program key accepts every other one's links.

Without a program key no link is made; the Teams card says the file is on the
bot's server instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import mimetypes
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.config import Settings
from bot.core import Core
from storage.models import FileLink

log = logging.getLogger("ambassador.files")

PATH = "/files/{token}"
PREFIX = "/files/"
# A meeting report is read in the days before the meeting; a week leaves room.
DEFAULT_TTL = timedelta(days=7)
_PURPOSE = "file links"
# secrets.token_urlsafe(24) and a base64 SHA-256: anything else is refused before the database is asked.
_TOKEN = re.compile(r"([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})")

TEXTS: dict[str, dict[str, Any]] = {
    "files.open": {"en": "Open {name}", "de": "{name} öffnen"},
    "files.until": {"en": "The link works until {date}.", "de": "Der Link gilt bis {date}."},
    "files.on_server": {
        "en": "The file is on the bot's server (no public address is set up for links): {path}",
        "de": "Die Datei liegt auf dem Server des Bots (für Links ist keine öffentliche Adresse eingerichtet): {path}",
    },
    "files.on_server_no_key": {
        "en": "The file is on the bot's server (links to files are off until the bot has its program key): {path}",
        "de": "Die Datei liegt auf dem Server des Bots (Links zu Dateien sind aus, bis der Bot "
              "seinen Programmschlüssel hat): {path}",
    },
}

_HEADERS = {
    # A link that worked once must not be served from a cache after it expired.
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
# An HTML report is shown in the browser, but as an inert document: no scripts,
# no requests anywhere, only its own inline styles and embedded images (and the
# CSV files embedded in it may be downloaded).
_HTML_POLICY = "sandbox allow-downloads; default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_UNKNOWN = "This link is unknown.\n"
_no_key_logged = False


class LinkError(Exception):
    """A token that is not ours, or one that has expired."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


class NotLinkable(Exception):
    """A file the bot makes no link to: no program key, or not a file in the report directory."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _utc(value: datetime) -> datetime:
    # SQLite hands back the stored UTC time without its zone.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def signature(key: bytes, row: FileLink) -> str:
    """The HMAC over everything the link stands for, so a changed row (path, name, expiry) opens nothing."""
    expires = int(_utc(row.expires_at).timestamp())
    message = "\n".join((row.id, row.path, row.name, str(expires))).encode()
    return _b64(hmac.new(key, message, hashlib.sha256).digest())


def make_token(key: bytes, row: FileLink) -> str:
    return f"{row.id}.{signature(key, row)}"


def links_available(settings: Settings) -> bool:
    """Whether links can be made and opened; says once in the log why not."""
    global _no_key_logged
    if settings.key.available:
        return True
    if not _no_key_logged:
        _no_key_logged = True
        log.warning("file links are off: there is no program key (set AMBASSADOR_SECRET, or let the bot make "
                    "its key file beside app.yaml); Teams cards say where the file is on the server instead")
    return False


def report_dir(core: Core) -> Path | None:
    """The only folder links are made to and served from, symlinks resolved: the one a capability
    declares (``Capability.file_root``: the meeting reports'); None when none does."""
    root = core.router.file_root
    return root(core.settings).resolve() if root is not None else None


def _inside(root: Path, path: Path) -> Path | None:
    """``path`` with every symlink resolved, if it is a regular file within ``root``; else None."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a symlink loop, a name the OS refuses
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def public_base(core: Core) -> str | None:
    """The bot's public address (PUBLIC_URL, else the one a capability declares: content.public_url), or None."""
    env = os.environ.get("PUBLIC_URL", "").strip()
    if env:
        return env.rstrip("/")
    declared = core.router.public_url
    return declared(core.settings) if declared is not None else None


async def link(core: Core, path: str | Path, *, ttl: timedelta = DEFAULT_TTL,
               name: str | None = None) -> tuple[str, datetime]:
    """``/files/<token>`` for a file in the report directory, and when the link stops working.

    Raises NotLinkable without a program key (check ``links_available`` first) and for
    any file outside the report directory (symlinks resolved): nothing else is served.
    """
    if not links_available(core.settings):
        raise NotLinkable("file links are off: there is no program key (set AMBASSADOR_SECRET)")
    root = report_dir(core)
    real = _inside(root, Path(path)) if root is not None else None
    if real is None:
        raise NotLinkable(f"{path}: not a file in the report directory {root} (meetings.report_dir); "
                          f"only files there get links")
    now = _utc(core.now())
    row = FileLink(id=secrets.token_urlsafe(24), path=real.relative_to(root).as_posix(),
                   name=(name or Path(path).name)[:300], expires_at=now + ttl, created_at=now)
    token = make_token(core.settings.key.derive(_PURPOSE), row)
    async with core.db.session() as s:
        s.add(row)
        await s.commit()
    return PREFIX + token, now + ttl


async def open_link(core: Core, token: str) -> tuple[Path, str]:
    """The file and download name behind a token; LinkError for anything that is not a valid link now."""
    if not core.settings.key.available:
        raise LinkError("file links are off")
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise LinkError("malformed link")
    link_id, given = match.groups()
    async with core.db.session() as s:
        row = await s.get(FileLink, link_id)
    # One answer for an unknown id and a wrong signature: the reply tells nobody which ids exist.
    if row is None or not hmac.compare_digest(given, signature(core.settings.key.derive(_PURPOSE), row)):
        raise LinkError("not a link of this bot")
    if _utc(core.now()) >= _utc(row.expires_at):
        raise LinkError("expired", expired=True)
    root = report_dir(core)
    if root is None:
        raise LinkError("no folder of linked files")
    # The stored path is relative, but checked as if it were not: an absolute or ../ path in a
    # changed row, or a symlink put into the report directory, still opens nothing outside it.
    real = _inside(root, root / row.path)
    if real is None:
        raise LinkError("the file is gone or outside the report directory")
    return real, row.name


def _disposition(kind: str, name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def mount(app: web.Application, core: Core) -> None:
    """Serve the file links of this bot on ``app``."""
    core.router.texts(TEXTS)

    async def serve(request: web.Request) -> web.StreamResponse:
        try:
            path, name = await open_link(core, request.match_info.get("token", ""))
        except LinkError as exc:
            if exc.expired:
                return web.Response(status=410, text="This link has expired. Ask the bot for the file again.\n",
                                    headers=_HEADERS)
            return web.Response(status=404, text=_UNKNOWN, headers=_HEADERS)
        except Exception:
            log.exception("file link check failed")
            return web.Response(status=503, text="This file is not available right now; please try again.\n",
                                headers=_HEADERS)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        headers = dict(_HEADERS)
        if content_type == "text/html":
            headers["Content-Security-Policy"] = _HTML_POLICY
            headers["Content-Disposition"] = _disposition("inline", name)
        else:
            headers["Content-Disposition"] = _disposition("attachment", name)
        headers["Content-Type"] = content_type
        return web.FileResponse(path, headers=headers)

    app.router.add_get(PATH, serve)
