"""The aiohttp application: Slack at /slack/events, Teams at /api/messages, /healthz, /metrics,
and the routes the capabilities declare. ``bot/app.py`` gives it the core, built from them."""

from __future__ import annotations

import functools
import logging

from aiohttp import web

from bot import files, metrics
from bot.config import Settings
from bot.core import Core
from bot.scheduler import Scheduler

log = logging.getLogger("ambassador.web")

CORE_KEY = web.AppKey("core", Core)
SCHEDULER_KEY = web.AppKey("scheduler", Scheduler)


def create_app(settings: Settings, core: Core, *, background: bool = True) -> web.Application:
    """Build the application around ``core``. Nothing runs until the app starts (no work at import or here)."""
    app = web.Application(client_max_size=1024**2)
    app[CORE_KEY] = core
    scheduler = Scheduler(core.db)
    app[SCHEDULER_KEY] = scheduler
    scheduler.every(30, "inbound-recovery", core.recover)
    scheduler.every(3600, "purge", core.purge)
    for seconds, name, job in core.router.jobs:
        scheduler.every(seconds, name, functools.partial(job, core))

    app.router.add_get("/healthz", _healthz)

    if settings.slack.configured:
        from bot.platforms.slack import SlackAdapter

        SlackAdapter(core, settings).mount(app)
    if settings.teams.configured:
        from bot.platforms.teams import TeamsAdapter

        TeamsAdapter(core, settings).mount(app)
    for mount in core.router.routes:  # the capabilities' own (content: the share links, /r/{token})
        mount(app, core)
    files.mount(app, core)  # expiring links to files the bot sends on Teams (/files/{token})
    metrics.mount(app, core)  # /metrics for Prometheus

    async def startup(app: web.Application) -> None:
        await core.db.upgrade()
        await core.db.check_key(settings.key.fingerprint())
        if background:
            scheduler.start()
        log.info(
            "ambassador started",
            extra={
                "slack": "socket" if settings.slack.socket_mode else ("http" if settings.slack.http_mode else "off"),
                "teams": "on" if settings.teams.configured else "off",
                "database": core.db.async_url.split(":", 1)[0],
            },
        )

    async def cleanup(app: web.Application) -> None:
        await scheduler.stop()
        await core.db.dispose()

    # Adapters' own startup hooks (Socket Mode) run after the schema exists.
    app.on_startup.insert(0, startup)
    app.on_cleanup.append(cleanup)
    return app


async def _healthz(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    ok = await core.db.ping()
    return web.json_response(
        {"status": "ok" if ok else "degraded", "database": "reachable" if ok else "unreachable"},
        status=200 if ok else 503,
    )
