"""Feeds: the company's RSS/Atom feeds and pages become items waiting for approval in the content queue.

app.yaml lists them (``feeds.sources``). A scheduled job (one replica at a time, through
the scheduler's lease) fetches the due ones; each new entry becomes a content item with
the title, summary, link and preview image of the article's own page (OpenGraph, Twitter
card, ``<link rel=canonical>``), status *pending*, so the comms lead approves it as any
other item (handlers/content/). An article is in the queue once: items are keyed by
their canonical link, across feeds and runs.

Fetching is careful because the addresses come from a file many people edit and the
answers from servers we do not control: only the configured hosts, never a private,
loopback or link-local address (checked on the resolved addresses, so a name that
resolves to one is refused too; ``allow_loopback`` lets tests use 127.0.0.1), no
redirect to another host, a timeout, a size limit, and conditional requests (ETag,
Last-Modified). Whatever fails is a reason in ``feed_state``, shown by ``content status``;
nothing a server sends is stored as HTML.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import re
import secrets
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import aiohttp
import feedparser
from aiohttp.abc import AbstractResolver, ResolveResult
from bs4 import BeautifulSoup
from pydantic import Field, ValidationInfo, field_validator, model_validator
from sqlalchemy import delete
from sqlmodel import select

from bot.capability import Capability, ScheduledJob
from bot.cli import build_core
from bot.config import Settings, Strict, load_settings, validate_section
from bot.core import Context, Core
from bot.i18n import guess_language
from bot.messages import Incoming, Reply
from bot.router import BACKUP, COMMUNICATOR, LEAD, Router
from bot.scheduler import Scheduler
from bot.text import clip
from handlers import content
from storage.models_feeds import FeedState

log = logging.getLogger("ambassador.feeds")

USER_AGENT = "Ambassador-Feeds/1 (+https://github.com/ambassador-bot)"
MAX_REDIRECTS = 3
MAX_SKIPPED = 20  # skipped entries kept per feed for "content status"
# A run stops taking new work after this long, well inside the job's lease (0.9 of its 60 seconds), so
# that a second replica never fetches beside it; what is left stays due and is taken on the next tick.
RUN_SECONDS = 40.0
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)

# -- configuration ------------------------------------------------------------




def _web_url(v: str) -> str:
    v = str(v).strip()
    parts = urlsplit(v)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{v!r} is not a web address; use a full address starting with https://")
    return v


class FeedSource(Strict):
    """One feed or page of ``feeds.sources``."""

    url: str
    name: str | None = None  # shown in "content list" and "content status"; default: the address
    kind: Literal["feed", "page"] = "feed"  # an RSS/Atom feed, or a page that is one item itself
    department: str | None = None  # its items are for this department (else for all members)
    language: Literal["de", "en"] | None = None  # the language of its texts (else guessed per entry)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _web_url(v)

    @field_validator("department")
    @classmethod
    def _department(cls, v: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("departments")
        if v is not None and known is not None and v not in known:
            raise ValueError(f"department {v!r} is not one of departments ({', '.join(known) or 'none'})")
        return v

    @property
    def label(self) -> str:
        if self.name:
            return self.name[:300]
        parts = urlsplit(self.url)
        return f"{parts.hostname}{parts.path}".rstrip("/")[:300]


class FeedsConfig(Strict):
    sources: list[FeedSource] = Field(default_factory=list)
    # Further hosts the entries may link to (a feed on feeds.example.com for articles on www.example.com).
    hosts: list[str] = Field(default_factory=list)
    every_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    max_bytes: int = Field(default=2_000_000, ge=1024, le=50_000_000)
    max_entries: int = Field(default=20, ge=1, le=200)  # new entries taken from one feed per fetch
    # Tests only: lets the bot fetch from 127.0.0.1 / ::1. Private and link-local addresses stay refused.
    allow_loopback: bool = False

    @field_validator("hosts")
    @classmethod
    def _hosts(cls, v: list[str]) -> list[str]:
        out = []
        for h in v:
            h = str(h).strip().lower()
            if not h or "/" in h or ":" in h:
                raise ValueError(f"{h!r} is not a host name; write it like www.example.com")
            out.append(h)
        return out

    @model_validator(mode="after")
    def _unique(self) -> FeedsConfig:
        seen: set[str] = set()
        for i, src in enumerate(self.sources):
            if src.url in seen:
                raise ValueError(f"sources entry {i + 1}: {src.url} is listed twice")
            seen.add(src.url)
        return self

    def allowed_hosts(self) -> set[str]:
        return {(urlsplit(s.url).hostname or "").lower() for s in self.sources} | set(self.hosts)


def config(settings: Settings) -> FeedsConfig:
    """The validated ``feeds:`` section; raises ConfigError naming file, line and key."""
    return validate_section(settings, "feeds", FeedsConfig, context={"departments": list(settings.app.departments)})


# -- fetching -----------------------------------------------------------------------


class FetchError(Exception):
    """Why a feed, page or entry was not taken: a reason code (content.FEED_REASONS) and a short detail."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail[:300]


def refused_address(ip: str, allow_loopback: bool) -> bool:
    """A private, loopback, link-local, reserved or multicast address: never fetched (loopback in tests)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_loopback:
        return not allow_loopback
    return not addr.is_global or addr.is_multicast


class GuardedResolver(AbstractResolver):
    """Resolves as usual, then refuses the name when any of its addresses is not public.

    Checking the addresses the connection will use (not a lookup of our own before it)
    leaves no gap for a name that answers differently the second time (DNS rebinding).
    """

    def __init__(self, allow_loopback: bool) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allow_loopback = allow_loopback

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        for info in found:
            if refused_address(info["host"], self._allow_loopback):
                raise FetchError("private_address", f"{host} ({info['host']})")
        return found

    async def close(self) -> None:
        await self._inner.close()


def new_session(cfg: FeedsConfig) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(cfg.allow_loopback), use_dns_cache=False, limit=4)
    return aiohttp.ClientSession(connector=connector, trust_env=False,
                                 timeout=aiohttp.ClientTimeout(total=cfg.timeout_seconds))


def check_url(url: str, cfg: FeedsConfig, hosts: set[str]) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError("bad_url", url[:100])
    if host not in hosts:
        raise FetchError("host_not_allowed", host)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return  # a name: the resolver checks its addresses
    # An address written as such never reaches the resolver.
    if refused_address(host, cfg.allow_loopback):
        raise FetchError("private_address", host)


@dataclass
class Fetched:
    status: int  # 200, or 304: not modified
    url: str  # after redirects
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


async def fetch(session: aiohttp.ClientSession, url: str, cfg: FeedsConfig, hosts: set[str], *,
                etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET with the guards of this module; redirects are followed by hand, each checked like the first address."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml, "
                                                    "text/xml, text/html;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url, cfg, hosts)
        try:
            async with asyncio.timeout(cfg.timeout_seconds), session.get(url, headers=headers, allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                    url = urljoin(url, resp.headers["Location"])
                    continue
                if resp.status == 304:
                    return Fetched(304, url, etag=resp.headers.get("ETag") or etag,
                                   last_modified=resp.headers.get("Last-Modified") or last_modified)
                if resp.status != 200:
                    raise FetchError("http", str(resp.status))
                if resp.content_length is not None and resp.content_length > cfg.max_bytes:
                    raise FetchError("too_large", str(cfg.max_bytes))
                body = bytearray()
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > cfg.max_bytes:
                        raise FetchError("too_large", str(cfg.max_bytes))
                return Fetched(200, url, bytes(body), resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
        except TimeoutError:
            raise FetchError("timeout", f"{cfg.timeout_seconds:g}") from None
        except aiohttp.ClientError as exc:
            # A refusal of the resolver may come wrapped.
            cause = exc.__cause__ if isinstance(exc.__cause__, FetchError) else None
            if cause is not None:
                raise cause from None
            raise FetchError("unreachable", type(exc).__name__) from None
    raise FetchError("http", f"more than {MAX_REDIRECTS} redirects")


# -- reading feeds and pages -----------------------------------------------------------


def plain_text(html: str | None) -> str:
    """Text a member may see: no tags, no scripts or styles, whitespace folded."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "object", "embed"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


@dataclass
class Entry:
    link: str | None
    title: str = ""
    summary: str = ""


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FetchError("not_feed", type(problem).__name__ if problem else "no entries")
    out = []
    for e in parsed.entries:
        link = (e.get("link") or "").strip() or None
        summary = e.get("summary") or ""
        if not summary and e.get("content"):
            summary = e["content"][0].get("value") or ""
        out.append(Entry(urljoin(base_url, link) if link else None, plain_text(e.get("title")), plain_text(summary)))
    return out


_META_KEYS = ("og:title", "og:description", "og:image", "og:image:url", "og:image:secure_url", "og:url",
              "twitter:title", "twitter:description", "twitter:image", "twitter:image:src", "description")


@dataclass
class PageMeta:
    title: str = ""
    description: str = ""
    image: str | None = None
    canonical: str | None = None
    preview: bool = False  # it has OpenGraph or Twitter card data


def page_metadata(body: bytes, base_url: str) -> PageMeta:
    soup = BeautifulSoup(body, "html.parser")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or "").strip().lower()
        value = " ".join(str(tag.get("content") or "").split())
        if key in _META_KEYS and value and key not in meta:
            meta[key] = value
    canonical = None
    for tag in soup.find_all("link"):
        rel = tag.get("rel") or []
        if "canonical" in [str(r).lower() for r in rel] and tag.get("href"):
            canonical = urljoin(base_url, str(tag["href"]).strip())
            break
    canonical = canonical or (urljoin(base_url, meta["og:url"]) if meta.get("og:url") else None)
    title_tag = soup.find("title")
    image = next((meta[k] for k in ("og:image", "og:image:secure_url", "og:image:url", "twitter:image",
                                    "twitter:image:src") if meta.get(k)), None)
    return PageMeta(
        title=plain_text(meta.get("og:title") or meta.get("twitter:title") or (title_tag.get_text() if title_tag else "")),
        description=plain_text(meta.get("og:description") or meta.get("twitter:description") or meta.get("description")),
        image=urljoin(base_url, image) if image else None,
        canonical=canonical,
        preview=any(k.startswith(("og:", "twitter:")) for k in meta),
    )


def canonical_link(url: str) -> str:
    """One spelling per article: lower-case scheme and host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


# -- the run ------------------------------------------------------------------------


@dataclass
class Run:
    """One fetch of one source: what it added and what it skipped, and why."""

    added: list[int] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def skip(self, reason: str, *, link: str | None = None, title: str | None = None, detail: str = "") -> None:
        if len(self.skipped) < MAX_SKIPPED:
            self.skipped.append({"link": (link or "")[:300], "title": (title or "")[:120], "reason": reason,
                                 "detail": detail[:120]})


class OutOfTime(Exception):
    """The run's time is up: the feed is left as it was, due again."""


class Fetcher:
    def __init__(self, core: Core, cfg: FeedsConfig, session: aiohttp.ClientSession) -> None:
        self.core = core
        self.cfg = cfg
        self.session = session
        self.hosts = cfg.allowed_hosts()
        self.deadline = asyncio.get_running_loop().time() + RUN_SECONDS

    def out_of_time(self) -> bool:
        return asyncio.get_running_loop().time() >= self.deadline

    async def source(self, src: FeedSource, state: FeedState) -> tuple[Fetched, Run]:
        got = await fetch(self.session, src.url, self.cfg, self.hosts, etag=state.etag, last_modified=state.last_modified)
        run = Run()
        if got.status == 304:
            return got, run
        if src.kind == "page":
            await self._page(src, got, run)
            return got, run
        entries = await asyncio.to_thread(parse_feed, got.body, got.url)
        for entry in entries[: self.cfg.max_entries]:
            if self.out_of_time():
                raise OutOfTime()
            await self._entry(src, entry, run)
        return got, run

    async def _entry(self, src: FeedSource, entry: Entry, run: Run) -> None:
        if not entry.link:
            run.skip("no_link", title=entry.title)
            return
        if not content.valid_web_url(entry.link) or len(entry.link) > 2000:
            run.skip("bad_url", link=entry.link, detail=entry.link[:80])
            return
        host = (urlsplit(entry.link).hostname or "").lower()
        if host not in self.hosts:
            run.skip("other_host", link=entry.link, detail=host)
            return
        link = canonical_link(entry.link)
        if await content.item_with_link(self.core, link, entry.link):
            return  # in the queue already (this feed before, or another one)
        meta = PageMeta()
        try:
            page = await fetch(self.session, entry.link, self.cfg, self.hosts)
            meta = await asyncio.to_thread(page_metadata, page.body, page.url)
        except FetchError as exc:
            # The feed's own title and summary still make an item; the lead sees it has no image.
            log.info("article page not read", extra={"feed": src.label, "reason": exc.code})
        await self._store(src, run, link=link, meta=meta, title=entry.title, summary=entry.summary)

    async def _page(self, src: FeedSource, got: Fetched, run: Run) -> None:
        meta = await asyncio.to_thread(page_metadata, got.body, got.url)
        if not meta.preview and not meta.title:
            run.skip("no_metadata", link=got.url)
            return
        await self._store(src, run, link=canonical_link(got.url), meta=meta, title="", summary="")

    async def _store(self, src: FeedSource, run: Run, *, link: str, meta: PageMeta, title: str, summary: str) -> None:
        if meta.canonical and (urlsplit(meta.canonical).hostname or "").lower() in self.hosts \
                and content.valid_web_url(meta.canonical):
            link = canonical_link(meta.canonical)
        title = meta.title or title
        if not title:
            run.skip("no_metadata", link=link)
            return
        text = meta.description or summary or title
        lang = src.language or guess_language(f"{title} {text}") or self.core.settings.app.language.default
        image = meta.image if meta.image and content.valid_web_url(meta.image) and len(meta.image) <= 2000 else None
        draft = content.ItemDraft(
            title=clip(title, content.TITLE_MAX), url=link,
            text_de=clip(text, content.TEXT_MAX) if lang == "de" else None,
            text_en=clip(text, content.TEXT_MAX) if lang != "de" else None,
            audience="department" if src.department else "all", department=src.department,
            valid_from=None, valid_until=None, image_url=image, image_rights=None,
            source=src.label, canonical_url=link,
        )
        item, created = await content.store_item(self.core, draft, via="feed", approved=False)
        if created:
            run.added.append(item.id)


def _due(state: FeedState | None, cfg: FeedsConfig, now: Any) -> bool:
    if state is None or state.fetched_at is None:
        return True
    fetched = state.fetched_at if state.fetched_at.tzinfo else state.fetched_at.replace(tzinfo=now.tzinfo)
    return fetched + timedelta(minutes=cfg.every_minutes) <= now


async def fetch_due(core: Core, *, force: bool = False) -> dict[str, Run | FetchError]:
    """Fetch the sources that are due (all with ``force``); new entries go to the approval queue."""
    cfg = config(core.settings)
    urls = [s.url for s in cfg.sources]
    async with core.db.session() as s:
        # A feed taken out of app.yaml no longer shows up as failing.
        await s.execute(delete(FeedState).where(FeedState.url.not_in(urls)))
        await s.commit()
        states = {st.url: st for st in (await s.exec(select(FeedState))).all()}
    due = [src for src in cfg.sources if force or _due(states.get(src.url), cfg, core.now())]
    if not due:
        return {}
    results: dict[str, Run | FetchError] = {}
    async with new_session(cfg) as session:
        fetcher = Fetcher(core, cfg, session)
        for src in due:
            if fetcher.out_of_time():
                break
            state = states.get(src.url) or FeedState(url=src.url, name=src.label)
            try:
                results[src.url] = await _one(core, fetcher, src, state)
            except OutOfTime:
                log.info("feed run out of time; the rest next time", extra={"feed": src.label})
                break
    if any(isinstance(r, Run) and r.added for r in results.values()):
        await content.send_approval_requests(core)
    return results


async def _one(core: Core, fetcher: Fetcher, src: FeedSource, state: FeedState) -> Run | FetchError:
    now = core.now()
    state.name = src.label
    state.fetched_at = now
    result: Run | FetchError
    try:
        got, run = await fetcher.source(src, state)
    except FetchError as exc:
        result = exc
    except OutOfTime:
        raise  # nothing recorded: the feed stays due and is read again on the next tick
    except Exception as exc:  # a feed must never stop the others, nor the job
        log.exception("feed not read", extra={"feed": src.label})
        result = FetchError("error", type(exc).__name__)
    else:
        result = run
        # The validators are kept only after the entries are in: a run cut short reads them again.
        state.etag, state.last_modified = (got.etag or None), (got.last_modified or None)
        if state.etag and len(state.etag) > 500:
            state.etag = None
        if state.last_modified and len(state.last_modified) > 100:
            state.last_modified = None
        state.ok_at = now
        state.error = state.error_detail = state.failing_since = None
        if got.status != 304:
            state.skipped = run.skipped
        state.items_seen += len(run.added)
    if isinstance(result, FetchError):
        if state.error is None:
            state.failing_since = now
        state.error, state.error_detail = result.code, result.detail
        log.warning("feed failed", extra={"feed": src.label, "reason": result.code, "detail": result.detail})
    async with core.db.session() as s:
        await s.merge(state)
        await s.commit()
    return result


async def fetch_job(core: Core) -> None:
    await fetch_due(core)


# -- "fetch feeds": at once, from the chat or the command line --------------------------------------

# Its own lease, so two people asking at once fetch once. The scheduled job may run beside it: an
# article is still stored once (its canonical link is unique), and the feeds just read are not due.
NOW_LEASE = "feeds-fetch-now"

TEXTS: dict[str, Any] = {
    "feeds.fetch.desc": {"en": "fetch the feeds now and see what came in", "de": "die Feeds jetzt abrufen und sehen, was neu ist"},
    "feeds.fetch.none_configured": {
        "en": "No feeds are configured: the comms team lists them under feeds.sources in app.yaml.",
        "de": "Es sind keine Feeds eingerichtet: Die Kommunikation trägt sie unter feeds.sources in app.yaml ein.",
    },
    "feeds.fetch.busy": {"en": "The feeds are being fetched right now; try again in a minute.",
                         "de": {"du": "Die Feeds werden gerade abgerufen; versuch es in einer Minute noch einmal.",
                                "sie": "Die Feeds werden gerade abgerufen; versuchen Sie es in einer Minute noch einmal."}},
    "feeds.fetch.done": {"en": "Feeds fetched: {feeds}. New drafts in the approval queue: {new}.",
                         "de": "Feeds abgerufen: {feeds}. Neue Entwürfe in der Freigabe-Warteschlange: {new}."},
    "feeds.fetch.new": {"en": "{name}: {count} new", "de": "{name}: {count} neu"},
    "feeds.fetch.skipped": {"en": "{name}: {count} entries skipped (see *content status*)",
                            "de": "{name}: {count} Einträge übersprungen (siehe *inhalte status*)"},
    "feeds.fetch.failed": {"en": "{name} failed: {why}", "de": "{name} fehlgeschlagen: {why}"},
    "feeds.fetch.later": {"en": "{name}: not fetched this time (out of time); the next run takes it",
                          "de": "{name}: diesmal nicht abgerufen (Zeit abgelaufen); der nächste Lauf holt es nach"},
}


@dataclass
class FetchSummary:
    feeds: int = 0
    new: int = 0
    lines: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (text key, values)
    busy: bool = False


async def fetch_now(core: Core, holder: str) -> FetchSummary | None:
    """Every configured feed, fetched at once. None: no feeds configured."""
    cfg = config(core.settings)
    if not cfg.sources:
        return None
    leases = Scheduler(core.db, holder=holder)
    if not await leases.claim(NOW_LEASE, RUN_SECONDS + 20):
        return FetchSummary(busy=True)
    try:
        results = await fetch_due(core, force=True)
    finally:
        await leases.release()
    out = FetchSummary(feeds=len(results))
    for src in cfg.sources:
        result = results.get(src.url)
        if result is None:
            out.lines.append(("feeds.fetch.later", {"name": src.label}))
        elif isinstance(result, FetchError):
            out.lines.append(("feeds.fetch.failed", {"name": src.label, "code": result.code, "detail": result.detail}))
        else:
            out.new += len(result.added)
            if result.added:
                out.lines.append(("feeds.fetch.new", {"name": src.label, "count": len(result.added)}))
            if result.skipped:
                out.lines.append(("feeds.fetch.skipped", {"name": src.label, "count": len(result.skipped)}))
    return out


def summary_text(summary: FetchSummary | None, t: Any) -> str:
    if summary is None:
        return t("feeds.fetch.none_configured")
    if summary.busy:
        return t("feeds.fetch.busy")
    lines = [t("feeds.fetch.done", feeds=summary.feeds, new=summary.new)]
    for key, values in summary.lines:
        if key == "feeds.fetch.failed":
            values = {"name": values["name"], "why": content.feed_reason(t, values["code"], values["detail"])}
        lines.append("• " + t(key, **values))
    return "\n".join(lines)


async def fetch_command(ctx: Context, msg: Incoming) -> Reply:
    return Reply(text=summary_text(await fetch_now(ctx.core, f"chat:{secrets.token_hex(6)}"), ctx.t))


def register(router: Router) -> None:
    router.command("feeds fetch", en=["fetch feeds", "feeds fetch", "fetch feeds now"],
                   de=["feeds abrufen", "feeds jetzt abrufen"],
                   roles=(COMMUNICATOR, BACKUP, LEAD), help_key="feeds.fetch.desc")(fetch_command)


def cmd_fetch(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    config(settings)  # a wrong feeds: section stops here, with file and line

    async def go() -> int:
        core = build_core(args, settings)
        try:
            await core.db.upgrade()
            summary = await fetch_now(core, f"cli:{secrets.token_hex(6)}")
            print(summary_text(summary, core.translator("en")).replace("*", ""))
            return 1 if summary is None or summary.busy or any(k == "feeds.fetch.failed" for k, _ in summary.lines) else 0
        finally:
            await core.db.dispose()

    return asyncio.run(go())


def register_cli(subparsers: Any) -> None:
    p = subparsers.add_parser("feeds", help="the company's feeds that fill the content queue")
    sub = p.add_subparsers(dest="feeds_command", metavar="TASK", required=True)
    sub.add_parser("fetch", help="fetch every feed now; prints the new drafts and the feeds that failed, and why"
                   ).set_defaults(func=cmd_fetch)


CAPABILITY = Capability(
    name="feeds",
    register=register,
    texts=(TEXTS,),
    config=("feeds",),
    config_checks=(config,),
    jobs=(ScheduledJob(60, "feeds-fetch", fetch_job),),
    cli=(register_cli,),
)
