"""The short share-link redirect on the bot's own server: ``GET /r/{token}``.

A shared post carries ``https://<public_url>/r/<token>``: the token is random
and opaque (one per item and person, no personal data in the address). A
click is counted for that item and person, and the reader is sent on to the
item's address with UTM parameters added. Link-preview robots are sent on
without being counted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.core import Core

log = logging.getLogger("ambassador.links")

PATH = "/r/{token}"

_HEADERS = {
    # Each click must reach us to be counted; the address says nothing to search engines.
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


# (core, token, source, user agent, count=...) -> the address to send the reader on to, or None.
FollowLink = Callable[..., Awaitable[str | None]]


def mount(app: web.Application, core: Core, follow_link: FollowLink) -> None:
    """Serve share links on ``app``: ``follow_link`` is the content capability's, which declares this route."""

    async def redirect(request: web.Request) -> web.StreamResponse:
        token = request.match_info.get("token", "")
        try:
            target = await follow_link(
                core,
                token,
                request.query.get("s"),
                request.headers.get("User-Agent", ""),
                count=request.method == "GET",
            )
        except Exception:
            log.exception("share link lookup failed")
            return web.Response(status=503, text="This link is not available right now; please try again.\n",
                                headers=_HEADERS)
        if target is None:
            return web.Response(status=404, text="This link is unknown or no longer available.\n", headers=_HEADERS)
        raise web.HTTPFound(target, headers=_HEADERS)

    app.router.add_get(PATH, redirect)
