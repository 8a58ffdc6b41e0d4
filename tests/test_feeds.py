"""Feeds into the content queue (handlers/feeds.py): RSS, Atom and pages served by a local
server on loopback; what a user notices is asserted: the items in the queue once with
their metadata, the approval request to the comms lead, ``content list`` showing where an
item came from and ``content status`` showing a failing feed and why."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

from bot.config import ConfigError, load_settings
from bot.scheduler import Scheduler
from handlers import feeds
from storage.models_content import ContentItem
from storage.models_feeds import FeedState
from tests.clock import Clock
from tests.conftest import COMMUNICATOR_EMAIL, LEAD_EMAIL
from tests.test_content import member, rows, setup, who

NOW = datetime(2026, 3, 25, 9, 0, tzinfo=UTC)


def rss(*items: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Newsroom</title>'
            '<link>http://example.com/</link><description>News</description>' + "".join(items) + "</channel></rss>")


def rss_item(title: str, link: str | None, description: str = "") -> str:
    link_tag = f"<link>{link}</link>" if link else ""
    return f"<item><title>{title}</title>{link_tag}<description><![CDATA[{description}]]></description></item>"


def atom(base: str, *entries: tuple[str, str, str]) -> str:
    body = "".join(f'<entry><title>{t}</title><link href="{base}{path}"/><id>{base}{path}</id>'
                   f"<updated>2026-03-20T10:00:00Z</updated><summary>{s}</summary></entry>" for t, path, s in entries)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
            f'<id>{base}/atom.xml</id><updated>2026-03-20T10:00:00Z</updated>{body}</feed>')


def page(title: str | None = None, *, og: dict[str, str] | None = None, canonical: str | None = None) -> str:
    head = f"<title>{title}</title>" if title else ""
    head += "".join(f'<meta property="{k}" content="{v}">' for k, v in (og or {}).items())
    head += f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"<!doctype html><html><head>{head}</head><body><p>Body text</p></body></html>"


@dataclass
class Site:
    """The company's web server, on 127.0.0.1 at a port the system picks."""

    base: str = ""
    hits: dict[str, int] = field(default_factory=dict)
    headers: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    changing_version: int = 1

    def count(self, request: web.Request) -> None:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        self.headers.setdefault(request.path, []).append(dict(request.headers))


def make_app(site: Site) -> web.Application:
    routes = web.RouteTableDef()

    @routes.get("/rss.xml")
    async def rss_feed(request: web.Request) -> web.Response:
        site.count(request)
        b = site.base
        return web.Response(content_type="application/rss+xml", text=rss(
            rss_item("Plant opens (feed title)", f"{b}/articles/a?utm_source=rss", "Feed summary of A"),
            rss_item("Second story", f"{b}/articles/b",
                     "<script>alert('x')</script><style>p{}</style>Plain <b>bold</b> words &amp; more"),
            rss_item("No link here", None, "An entry without a link"),
            rss_item("Elsewhere", "https://elsewhere.example.org/story", "Links to another host"),
        ))

    @routes.get("/atom.xml")
    async def atom_feed(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="application/atom+xml", text=atom(
            site.base, ("Plant opens", "/articles/a#top", "The same article as in the RSS feed"),
            ("Careers day", "/articles/c", "Atom summary of C")))

    @routes.get("/articles/a")
    async def article_a(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="text/html", text=page("A | Example", og={
            "og:title": "Our new plant opens", "og:description": "We open a plant in Leipzig.",
            "og:image": "/img/plant.jpg"}, canonical=f"{site.base}/articles/a"))

    @routes.get("/articles/b")
    async def article_b(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="text/html", text="<html><body>No head, no preview data</body></html>")

    @routes.get("/articles/c")
    async def article_c(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="text/html", text=page(og={
            "og:title": "Careers day 2026", "twitter:description": "Meet us on 12 May.",
            "twitter:image": f"{site.base}/img/careers.png"}))

    @routes.get("/broken.xml")
    async def broken(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="application/rss+xml", text="this is {not} xml at all <<<")

    @routes.get("/slow.xml")
    async def slow(request: web.Request) -> web.Response:
        site.count(request)
        await asyncio.sleep(5)
        return web.Response(text=rss())

    @routes.get("/huge.xml")
    async def huge(request: web.Request) -> web.StreamResponse:
        site.count(request)
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        chunk = b"<!-- " + b"x" * 65_000 + b" -->"
        try:
            for _ in range(800):  # 50 MB, unless the reader stops first
                await resp.write(chunk)
        except (ConnectionError, RuntimeError):
            pass
        return resp

    @routes.get("/changing.xml")
    async def changing(request: web.Request) -> web.Response:
        site.count(request)
        b = site.base
        items = [rss_item("First", f"{b}/news/1", "The first one")]
        if site.changing_version > 1:
            items.insert(0, rss_item("Second", f"{b}/news/2", "The new one"))
        return web.Response(content_type="application/rss+xml", text=rss(*items))

    @routes.get("/conditional.xml")
    async def conditional(request: web.Request) -> web.Response:
        site.count(request)
        validators = {"ETag": '"v1"', "Last-Modified": "Fri, 20 Mar 2026 10:00:00 GMT"}
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers=validators)
        return web.Response(content_type="application/rss+xml", headers=validators,
                            text=rss(rss_item("Cached", f"{site.base}/news/cached", "Once")))

    @routes.get("/news/{n}")
    async def news(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="text/html", text=page(f"News {request.match_info['n']}"))

    @routes.get("/careers.html")
    async def careers(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="text/html", text=page("Careers", og={
            "og:title": "Work with us", "og:description": "Open positions in Sales and HR.",
            "og:image": "/img/team.jpg"}))

    @routes.get("/bare.html")
    async def bare(request: web.Request) -> web.Response:
        site.count(request)
        return web.Response(content_type="text/html", text="<html><body>Nothing to preview</body></html>")

    app = web.Application()
    app.add_routes(routes)
    return app


@pytest.fixture
async def site(aiohttp_server) -> Site:
    s = Site()
    server = await aiohttp_server(make_app(s), host="127.0.0.1", port=0)
    s.base = f"http://127.0.0.1:{server.port}"
    return s


def use_feeds(core, site: Site, *sources: dict[str, Any], **cfg: Any) -> None:
    core.settings.app.feeds = {"allow_loopback": True, "timeout_seconds": 1, "max_bytes": 200_000,
                               **cfg, "sources": [{**s, "url": site.base + s["url"]} for s in sources]}


async def items(core) -> list[ContentItem]:
    return sorted(await rows(core, ContentItem), key=lambda i: i.id)


async def state_of(core, site: Site, path: str) -> FeedState:
    [state] = await rows(core, FeedState, FeedState.url == site.base + path)
    return state


# -- items land once, with their metadata ----------------------------------------------------------


async def test_rss_and_atom_entries_land_once_with_the_pages_metadata_and_go_to_the_lead(core, site):
    h = setup(core, Clock(NOW))
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    use_feeds(core, site, {"url": "/rss.xml", "name": "Newsroom", "language": "en"},
              {"url": "/atom.xml", "name": "Blog", "language": "en"})
    await feeds.fetch_due(core)

    a, b, c = await items(core)
    # The article's own page wins over the feed; one item although both feeds carry it.
    assert (a.title, a.text_en, a.url) == ("Our new plant opens", "We open a plant in Leipzig.", f"{site.base}/articles/a")
    assert a.image_url == f"{site.base}/img/plant.jpg" and a.canonical_url == a.url
    assert (a.status, a.created_via, a.source, a.audience) == ("pending", "feed", "Newsroom", "all")
    # A page without preview data: the feed's title and summary, scripts and tags gone.
    assert (b.title, b.image_url, b.source) == ("Second story", None, "Newsroom")
    assert b.text_en == "Plain bold words & more"
    assert "<" not in b.text_en and "alert" not in b.text_en
    # Twitter card data counts as preview data too.
    assert (c.title, c.text_en, c.image_url, c.source) == (
        "Careers day 2026", "Meet us on 12 May.", f"{site.base}/img/careers.png", "Blog")
    # Article A's page was read once: the Atom entry was recognised by its link before fetching.
    assert site.hits["/articles/a"] == 1

    # The lead is asked as for any item, once per item.
    requests = h.received("U0LEA")
    assert [r.title for r in requests] == ["Content to approve: #1", "Content to approve: #2", "Content to approve: #3"]
    assert "Our new plant opens" in requests[0].text and [x.label for x in requests[0].buttons] == ["Approve", "Reject"]

    # Run again: nothing new, no duplicate.
    await feeds.fetch_due(core, force=True)
    assert len(await items(core)) == 3 and len(h.received("U0LEA")) == 3

    # What was skipped, and why, is in "content status".
    state = await state_of(core, site, "/rss.xml")
    assert sorted(s["reason"] for s in state.skipped) == ["no_link", "other_host"]
    [status] = await h.say(who("U0LEA", LEAD_EMAIL), "content status")
    text = status.plain()
    assert "Feed “Newsroom”: 2 entries skipped" in text
    assert "the entry has no link" in text and "another host (elsewhere.example.org)" in text
    assert "fails" not in text

    # The lead approves with the button as today.
    [done] = await h.press(who("U0LEA", LEAD_EMAIL), "content.approve", requests[0].buttons[0].value)
    assert "Approved #1" in done.text


async def test_a_department_feed_is_for_that_department_and_content_list_shows_the_source(core, site):
    h = setup(core, Clock(NOW))
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    await member(core, "U0CLARA", COMMUNICATOR_EMAIL, lang="de", department="Sales")
    use_feeds(core, site, {"url": "/changing.xml", "name": "Sales-Blog", "department": "Sales", "language": "de"})
    await feeds.fetch_due(core)
    [item] = await items(core)
    assert (item.audience, item.department, item.text_de, item.text_en) == ("department", "Sales", "The first one", None)
    [request] = h.received("U0LEA")
    assert "Sales" in request.plain() and "News 1" in request.plain()
    # The department's communicator sees it in the queue, with where it came from.
    [listing] = await h.say(who("U0CLARA", COMMUNICATOR_EMAIL), "inhalte liste")
    [line] = listing.fields
    assert line.label == "#1 News 1" and "wartet auf Freigabe" in line.value and "aus Sales-Blog" in line.value


async def test_a_feed_that_changes_between_runs_adds_only_its_new_entry(core, site):
    setup(core, Clock(NOW))
    use_feeds(core, site, {"url": "/changing.xml"})
    await feeds.fetch_due(core)
    assert [i.title for i in await items(core)] == ["News 1"]
    site.changing_version = 2
    await feeds.fetch_due(core, force=True)
    assert [i.title for i in await items(core)] == ["News 1", "News 2"]
    assert site.hits["/news/1"] == 1  # known entries are not read again
    assert (await state_of(core, site, "/changing.xml")).items_seen == 2


async def test_conditional_requests_a_304_fetches_nothing_new(core, site):
    setup(core, Clock(NOW))
    use_feeds(core, site, {"url": "/conditional.xml"})
    await feeds.fetch_due(core)
    assert [i.title for i in await items(core)] == ["News cached"]
    await feeds.fetch_due(core, force=True)
    second = site.headers["/conditional.xml"][1]
    assert second["If-None-Match"] == '"v1"' and second["If-Modified-Since"] == "Fri, 20 Mar 2026 10:00:00 GMT"
    assert site.hits["/news/cached"] == 1 and len(await items(core)) == 1
    state = await state_of(core, site, "/conditional.xml")
    assert state.error is None and state.etag == '"v1"' and state.ok_at is not None


# -- bad input: a reason, never a crash ----------------------------------------------------------------


async def test_broken_slow_and_huge_feeds_fail_with_a_reason_and_the_others_still_work(core, site):
    h = setup(core, Clock(NOW))
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    use_feeds(core, site, {"url": "/broken.xml", "name": "Broken"}, {"url": "/slow.xml", "name": "Slow"},
              {"url": "/huge.xml", "name": "Huge"}, {"url": "/changing.xml", "name": "Good"},
              {"url": "/missing.xml", "name": "Gone"})
    results = await feeds.fetch_due(core)
    codes = {url.rsplit("/", 1)[1]: getattr(r, "code", "ok") for url, r in results.items()}
    assert codes == {"broken.xml": "not_feed", "slow.xml": "timeout", "huge.xml": "too_large", "changing.xml": "ok",
                     "missing.xml": "http"}
    assert [i.title for i in await items(core)] == ["News 1"]

    [status] = await h.say(who("U0LEA", LEAD_EMAIL), "content status")
    text = status.plain()
    assert "Feed “Broken” fails" in text and "not an RSS or Atom feed" in text
    assert "Feed “Slow” fails" in text and "no answer within 1 seconds" in text
    assert "Feed “Huge” fails" in text and "larger than the limit of 200000 bytes (feeds.max_bytes)" in text
    assert "Feed “Gone” fails" in text and "HTTP 404" in text
    assert "Good" not in text
    # In German too.
    await member(core, "U0DE", "ben.backup@example.com", lang="de")
    [german] = await h.say(who("U0DE", "ben.backup@example.com"), "inhalte status")
    assert "Feed „Broken“ schlägt fehl" in german.plain() and "kein RSS- oder Atom-Feed" in german.plain()

    # A failing feed that recovers is no longer listed.
    state = await state_of(core, site, "/broken.xml")
    assert state.failing_since is not None
    use_feeds(core, site, {"url": "/changing.xml", "name": "Good"})
    await feeds.fetch_due(core, force=True)
    [status] = await h.say(who("U0LEA", LEAD_EMAIL), "content status")
    assert "fails" not in status.plain()


async def test_pages_with_and_without_preview_metadata(core, site):
    setup(core, Clock(NOW))
    use_feeds(core, site, {"url": "/careers.html", "kind": "page", "name": "Careers"},
              {"url": "/bare.html", "kind": "page", "name": "Bare"})
    await feeds.fetch_due(core)
    [item] = await items(core)
    assert (item.title, item.url, item.image_url, item.source) == (
        "Work with us", f"{site.base}/careers.html", f"{site.base}/img/team.jpg", "Careers")
    assert item.text_en == "Open positions in Sales and HR."
    [skipped] = (await state_of(core, site, "/bare.html")).skipped
    assert skipped["reason"] == "no_metadata"
    # The page is one item, once.
    await feeds.fetch_due(core, force=True)
    assert len(await items(core)) == 1


async def test_loopback_and_private_addresses_are_refused_without_allow_loopback(core, site):
    h = setup(core, Clock(NOW))
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    port = site.base.rsplit(":", 1)[1]
    core.settings.app.feeds = {"timeout_seconds": 1, "sources": [
        {"url": f"{site.base}/rss.xml", "name": "By address"},
        {"url": f"http://localhost:{port}/rss.xml", "name": "By name"},
        {"url": "http://10.1.2.3/rss.xml", "name": "Private"}]}
    results = await feeds.fetch_due(core)
    assert {r.code for r in results.values()} == {"private_address"}
    assert site.hits == {} and await items(core) == []
    [status] = await h.say(who("U0LEA", LEAD_EMAIL), "content status")
    assert "Feed “By name” fails" in status.plain() and "is a private or loopback address" in status.plain()


def test_which_addresses_are_refused():
    for ip in ("127.0.0.1", "::1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254", "100.64.0.1",
               "0.0.0.0", "::ffff:127.0.0.1", "fe80::1", "fc00::1", "224.0.0.1"):
        assert feeds.refused_address(ip, allow_loopback=False), ip
    assert not feeds.refused_address("127.0.0.1", allow_loopback=True)
    assert feeds.refused_address("10.0.0.1", allow_loopback=True)
    assert not feeds.refused_address("93.184.216.34", allow_loopback=False)


async def test_a_redirect_to_another_host_is_refused(core, aiohttp_server):
    async def hop(request: web.Request) -> web.Response:
        raise web.HTTPFound("https://attacker.example.net/feed.xml")

    app = web.Application()
    app.router.add_get("/feed.xml", hop)
    server = await aiohttp_server(app, host="127.0.0.1", port=0)
    setup(core, Clock(NOW))
    core.settings.app.feeds = {"allow_loopback": True, "sources": [{"url": f"http://127.0.0.1:{server.port}/feed.xml"}]}
    [result] = (await feeds.fetch_due(core)).values()
    assert (result.code, result.detail) == ("host_not_allowed", "attacker.example.net")


def test_canonical_links_drop_tracking_and_fragments():
    assert feeds.canonical_link("HTTPS://Example.com/a?utm_source=x&id=3#top") == "https://example.com/a?id=3"
    assert feeds.canonical_link("https://example.com") == "https://example.com/"


# -- scheduled work, configuration ------------------------------------------------------------------------


async def test_the_scheduled_job_fetches_due_feeds_under_its_lease(core, site):
    h = setup(core, Clock(NOW))
    use_feeds(core, site, {"url": "/changing.xml"}, every_minutes=30)
    [entry] = [e for e in _scheduler(core).jobs if e.name == "feeds-fetch"]
    await _scheduler(core).run_once(entry)
    assert site.hits["/changing.xml"] == 1
    # Not due again before every_minutes, whoever runs the job.
    h.clock.move(minutes=10)
    await feeds.fetch_job(core)
    assert site.hits["/changing.xml"] == 1
    h.clock.move(minutes=21)
    site.changing_version = 2
    await feeds.fetch_job(core)
    assert site.hits["/changing.xml"] == 2 and len(await items(core)) == 2
    # Another replica does not run it while the lease is held.
    other = Scheduler(core.db, holder="other")
    assert not await other.claim("feeds-fetch", entry.seconds)


def _scheduler(core) -> Scheduler:
    if not hasattr(core, "_test_scheduler"):
        sched = Scheduler(core.db, holder="this")
        for seconds, name, job in core.router.jobs:
            sched.every(seconds, name, lambda job=job: job(core))
        core._test_scheduler = sched
    return core._test_scheduler


@pytest.mark.parametrize(("section", "expected"), [
    ("feeds:\n  sources:\n    - url: ftp://example.com/x\n", r"app.yaml:7: feeds.sources\[0\].url: 'ftp://example.com/x' is not a web"),
    ("feeds:\n  sources:\n    - url: https://example.com/rss\n      department: Mars\n",
     r"app.yaml:8: feeds.sources\[0\].department: department 'Mars' is not one of departments \(Sales\)"),
    ("feeds:\n  max_bytes: lots\n", r"app.yaml:6: feeds.max_bytes: Input should be a valid integer"),
    ("feeds:\n  sources:\n    - url: https://example.com/rss\n      kind: video\n", r"feeds.sources\[0\].kind"),
])
def test_a_bad_feeds_section_names_the_file_line_and_key(tmp_path, section, expected):
    path = tmp_path / "app.yaml"
    path.write_text("program:\n  name: X\ndepartments: [Sales]\n\n" + section, encoding="utf-8")
    settings = load_settings(path, env={"AMBASSADOR_SECRET": "x" * 40}, read_dotenv=False)
    with pytest.raises(ConfigError, match=expected):
        feeds.config(settings)


def test_no_feeds_by_default(settings):
    assert feeds.config(settings).sources == []


async def test_nothing_configured_fetches_nothing(core):
    setup(core, Clock(NOW))
    assert await feeds.fetch_due(core) == {}
    assert timedelta(minutes=feeds.config(core.settings).every_minutes) == timedelta(hours=1)


def test_the_commented_example_in_the_sample_app_yaml_is_valid(tmp_path):
    import re

    from tests.conftest import SAMPLE_CONFIG

    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    block = re.search(r"# feeds:\n(#.*\n)+", text).group(0)
    path = tmp_path / "app.yaml"
    path.write_text(text.replace(block, "".join(line[2:] + "\n" for line in block.splitlines())), encoding="utf-8")
    cfg = feeds.config(load_settings(path, env={"AMBASSADOR_SECRET": "x" * 40}, read_dotenv=False))
    assert [s.label for s in cfg.sources] == ["Newsroom", "Sales blog", "www.example.com/careers"]
    assert cfg.sources[1].department == "Sales" and cfg.sources[2].kind == "page"


async def test_a_run_out_of_time_leaves_the_rest_due_for_the_next_tick(core, site, monkeypatch):
    setup(core, Clock(NOW))
    use_feeds(core, site, {"url": "/changing.xml"}, {"url": "/conditional.xml"})
    monkeypatch.setattr(feeds, "RUN_SECONDS", 0.0)
    assert await feeds.fetch_due(core) == {}
    assert await rows(core, FeedState) == [] and site.hits == {}
    # Time runs out within a feed's entries: nothing is recorded for it, it stays due.
    monkeypatch.setattr(feeds.Fetcher, "out_of_time", lambda self: "/changing.xml" in site.hits)
    assert await feeds.fetch_due(core) == {}
    assert await rows(core, FeedState) == [] and await items(core) == []
    monkeypatch.undo()
    assert len(await feeds.fetch_due(core)) == 2
    assert [i.title for i in await items(core)] == ["News 1", "News cached"]


# -- "fetch feeds": at once, in chat and on the command line ---------------------------------------


async def test_fetch_feeds_now_answers_with_what_came_in_and_what_failed(core, site):
    h = setup(core, Clock(NOW))
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    await member(core, "U0CLARA", COMMUNICATOR_EMAIL, lang="de", department="Sales")
    use_feeds(core, site, {"url": "/changing.xml", "name": "Good"}, {"url": "/broken.xml", "name": "Broken"},
              every_minutes=600)
    [reply] = await h.say(who("U0LEA", LEAD_EMAIL), "fetch feeds")
    assert "Feeds fetched: 2. New drafts in the approval queue: 1." in reply.text
    assert "• Good: 1 new" in reply.text and "• Broken failed: not an RSS or Atom feed" in reply.text
    # Not due by the schedule (every 600 minutes), fetched anyway: the communicator asks in German.
    site.changing_version = 2
    [german] = await h.say(who("U0CLARA", COMMUNICATOR_EMAIL), "feeds abrufen")
    assert "Feeds abgerufen: 2. Neue Entwürfe in der Freigabe-Warteschlange: 1." in german.text
    assert "• Good: 1 neu" in german.text and "Broken fehlgeschlagen: kein RSS- oder Atom-Feed" in german.text
    assert site.hits["/changing.xml"] == 2 and len(await items(core)) == 2
    # Nothing new: nothing added twice.
    [again] = await h.say(who("U0LEA", LEAD_EMAIL), "fetch feeds")
    assert "New drafts in the approval queue: 0." in again.text and len(await items(core)) == 2
    # A member who is neither communicator nor lead may not.
    await member(core, "U0ERIK", "erik.employee@example.com", lang="en")
    [refused] = await h.say(who("U0ERIK", "erik.employee@example.com"), "fetch feeds")
    assert "Feeds fetched" not in refused.plain()


async def test_fetch_feeds_without_feeds_or_while_another_fetch_runs(core, site):
    h = setup(core, Clock(NOW))
    await member(core, "U0LEA", LEAD_EMAIL, lang="en")
    [none] = await h.say(who("U0LEA", LEAD_EMAIL), "fetch feeds")
    assert "No feeds are configured" in none.text and "feeds.sources" in none.text
    use_feeds(core, site, {"url": "/changing.xml"})
    assert await Scheduler(core.db, holder="someone else").claim(feeds.NOW_LEASE, 60)
    [busy] = await h.say(who("U0LEA", LEAD_EMAIL), "fetch feeds")
    assert "being fetched right now" in busy.text and "/changing.xml" not in site.hits


async def test_the_command_line_fetches_now(tmp_path, site, capsys, monkeypatch):
    from bot.app import main
    from tests.test_ask_llm import _app_yaml

    config = _app_yaml(tmp_path, f"feeds:\n  allow_loopback: true\n  timeout_seconds: 1\n  sources:\n"
                                 f"    - url: {site.base}/changing.xml\n      name: Good\n"
                                 f"    - url: {site.base}/broken.xml\n      name: Broken\n")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code = await asyncio.to_thread(main, ["--config", str(config), "feeds", "fetch"])
    out = capsys.readouterr().out
    assert code == 1  # a feed failed: a script sees it
    assert "New drafts in the approval queue: 1." in out and "Broken failed: not an RSS or Atom feed" in out
