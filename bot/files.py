"""Files from the bot's disk behind an unguessable, expiring link: ``GET /files/{token}``.

Teams bots cannot attach a file to a personal chat without the FileConsentCard
dialog, so the Teams adapter sends a card with a link to the bot's own server
instead. The token is the file's path and an expiry, signed with a key derived
from AMBASSADOR_SECRET (or the random secret kept in the database when it is
unset), so every replica accepts the links of every other one and no table is
needed; only a link the bot made opens a file, and only until it expires.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import mimetypes
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.config import Settings
from bot.core import Core

log = logging.getLogger("ambassador.files")

PATH = "/files/{token}"
PREFIX = "/files/"
# A meeting report is read in the days before the meeting; a week leaves room.
DEFAULT_TTL = timedelta(days=7)
_PURPOSE = b"ambassador file links v1"

TEXTS: dict[str, dict[str, Any]] = {
    "files.open": {"en": "Open {name}", "de": "{name} öffnen"},
    "files.until": {"en": "The link works until {date}.", "de": "Der Link gilt bis {date}."},
    "files.on_server": {
        "en": "The file is on the bot's server (no public address is set up for links): {path}",
        "de": "Die Datei liegt auf dem Server des Bots (für Links ist keine öffentliche Adresse eingerichtet): {path}",
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


class LinkError(Exception):
    """A token that is not ours, or one that has expired."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def _key(core: Core) -> bytes:
    # Its own key, derived one-way from the program secret: a file link tells
    # nothing about the keys the secret serves elsewhere (anonymous ballots).
    return core.settings.key.derive("file links")


def make_token(key: bytes, path: str | Path, expires: datetime, name: str | None = None) -> str:
    # Absolute: the server that opens the link may run from another directory.
    path = Path(os.path.abspath(path))
    payload = json.dumps(
        {"p": str(path), "n": name or path.name, "e": int(expires.timestamp())}, separators=(",", ":")
    ).encode()
    body = _b64(payload)
    return body + "." + _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def read_token(key: bytes, token: str, now: datetime) -> tuple[Path, str]:
    """The file path and download name a token stands for; LinkError when it is not valid now."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not body or not hmac.compare_digest(signature.encode(), expected.encode()):  # bytes: any text compares
        raise LinkError("not a link of this bot")
    try:
        data = json.loads(_unb64(body))
        path, name, expires = Path(data["p"]), str(data["n"]), int(data["e"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise LinkError("malformed link") from exc
    if now.timestamp() >= expires:
        raise LinkError("expired", expired=True)
    return path, name


def public_base(settings: Settings) -> str | None:
    """The bot's public address (PUBLIC_URL, else content.public_url), or None."""
    from handlers.content import public_url

    return public_url(settings)


async def link(core: Core, path: str | Path, *, ttl: timedelta = DEFAULT_TTL,
               name: str | None = None) -> tuple[str, datetime]:
    """``/files/<token>`` for a file on this server, and when the link stops working."""
    expires = core.now() + ttl
    token = make_token(await _key(core), path, expires, name)
    return PREFIX + token, expires


def _disposition(kind: str, name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def mount(app: web.Application, core: Core) -> None:
    """Serve the file links of this bot on ``app``."""
    core.router.texts(TEXTS)

    async def serve(request: web.Request) -> web.StreamResponse:
        try:
            path, name = read_token(await _key(core), request.match_info.get("token", ""), core.now())
        except LinkError as exc:
            if exc.expired:
                return web.Response(status=410, text="This link has expired. Ask the bot for the file again.\n",
                                    headers=_HEADERS)
            return web.Response(status=404, text="This link is unknown.\n", headers=_HEADERS)
        except Exception:
            log.exception("file link check failed")
            return web.Response(status=503, text="This file is not available right now; please try again.\n",
                                headers=_HEADERS)
        if not path.is_file():
            log.warning("linked file is gone", extra={"file": path.name})
            return web.Response(status=404, text="This file is no longer there.\n", headers=_HEADERS)
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
