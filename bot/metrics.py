"""Prometheus metrics: what an operator watches, served at ``/metrics``.

Each Core has its own registry (never prometheus_client's global one), so
tests and several apps in one process do not collide, and importing this
module does nothing.

Two kinds of figures:

- counted in this process as things happen (``ambassador_events_total``,
  ``ambassador_answer_seconds``, ``ambassador_errors_total``, ...): with several
  replicas, add them up across replicas (``sum by (...)``);
- read from the database at scrape time with cheap COUNT queries over indexed
  columns (``ambassador_outbox_depth``, and the gauges the capabilities declare, such as
  ask's ``ambassador_answers_recent``): every
  replica reports the same shared numbers, so take ``max`` across replicas,
  never ``sum``. A table that does not exist (a capability not installed, a
  schema not migrated yet) leaves its series out; it never fails the scrape.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.exposition import choose_encoder
from sqlalchemy import String, column, func, literal, select, table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bot.capability import DbGauge, OutboxGauge
    from bot.core import Core
    from bot.messages import Incoming
    from storage.db import Database

log = logging.getLogger("ambassador.metrics")

METRICS_PATH = "/metrics"
# Seconds from the handler starting to the answer handed to the platform. The
# offline answer engine takes milliseconds; a language model takes seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# A scrape must answer even when the database does not; its figures are then left out.
DB_TIMEOUT = 3.0

# The capabilities' outboxes and gauges come from their declarations (``Capability.outboxes``, ``gauges``).
_INBOUND = table("inboundtask", column("status", String))


class Metrics:
    """The metrics of one app (one Core), on a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.received = Counter(
            "ambassador_events_received", "Incoming events that reached the bot, retries included",
            ["platform", "type"], registry=r,
        )
        self.events = Counter(
            "ambassador_events",
            "Incoming events by outcome: answered, duplicate (a platform retry or a double click, "
            "answered once already) or failed (the handler failed, or recovery gave up)",
            ["platform", "type", "outcome"], registry=r,
        )
        self.answer_seconds = Histogram(
            "ambassador_answer_seconds", "Time from the handler starting to the answer handed to the platform",
            ["platform", "type"], buckets=LATENCY_BUCKETS, registry=r,
        )
        self.delivery_failures = Counter(
            "ambassador_answer_delivery_failures",
            "Answers the platform did not take; kept and delivered later by recovery",
            ["platform"], registry=r,
        )
        self.verdicts = Counter(
            "ambassador_answer_verdicts", "Answers of the answer engine by verdict, counted in this process",
            ["platform", "verdict"], registry=r,
        )
        self.errors = Counter(
            "ambassador_errors", "Errors logged (level ERROR and above), by the component that logged them",
            ["component"], registry=r,
        )
        self.warnings = Counter(
            "ambassador_warnings",
            "Warnings logged (a failed delivery kept for later, a platform lookup that failed, ...)",
            ["component"], registry=r,
        )
        self.outbox = Gauge(
            "ambassador_outbox_depth",
            "Work waiting in the database (shared by all replicas: take max, not sum): inbound messages "
            "not answered yet, content deliveries, the poll outbox, crisis escalations",
            ["outbox", "status"], registry=r,
        )
        # The capabilities' gauges (``Capability.gauges``), made on the first scrape that reads them.
        self.declared: dict[str, Gauge] = {}
        self.database_up = Gauge(
            "ambassador_database_up", "1 when the database answered the last scrape's queries, else 0", registry=r,
        )
        self.scrape_seconds = Gauge(
            "ambassador_metrics_scrape_seconds", "Time the last scrape spent on database queries", registry=r,
        )

    # -- counted as it happens (bot/core.py) -------------------------------

    def event(self, incoming: Incoming, outcome: str) -> None:
        self.events.labels(incoming.platform, incoming.source, outcome).inc()

    def answered(self, incoming: Incoming, seconds: float) -> None:
        self.events.labels(incoming.platform, incoming.source, "answered").inc()
        self.answer_seconds.labels(incoming.platform, incoming.source).observe(seconds)

    def verdict(self, platform: str | None, verdict: str) -> None:
        """The answer engine's hook: one answer with this verdict (go, check, no)."""
        self.verdicts.labels(platform or "none", verdict).inc()

    # -- read at scrape time ------------------------------------------------

    async def refresh(self, db: Database, now: Callable[[], datetime], outboxes: Iterable[OutboxGauge] = (),
                      gauges: Iterable[DbGauge] = ()) -> None:
        """Read the figures from the database; ``outboxes`` and ``gauges``: the capabilities'
        (``core.router.outboxes``, ``core.router.gauges``)."""
        started = time.perf_counter()
        at = now()
        for g in gauges:
            if g.name not in self.declared:
                self.declared[g.name] = Gauge(g.name, g.help, [g.label], registry=self.registry)
        queries: list[tuple[str, Any, Callable[[list[Any]], None]]] = [
            ("ping", select(literal(1)), lambda rows: None),
            ("inbound", select(func.count()).select_from(_INBOUND).where(_INBOUND.c.status == "pending"),
             lambda rows: self._set_outbox("inbound", {"pending": rows[0][0]})),
            *((o.name, o.query(at), lambda rows, o=o: self._set_outbox(o.name, o.count(rows))) for o in outboxes),
            *((g.name, g.query(at), lambda rows, g=g: self._set_gauge(g, rows)) for g in gauges),
        ]
        done: set[str] = set()
        try:
            # One deadline for the whole scrape: a database that does not answer
            # costs DB_TIMEOUT once, not once per query.
            async with asyncio.timeout(DB_TIMEOUT):
                for name, query, store in queries:
                    try:
                        async with db.engine.connect() as conn:
                            rows = [tuple(r) for r in (await conn.execute(query)).all()]
                    except Exception as exc:
                        # A missing table (a capability not installed) or a database
                        # away: the series goes, the scrape still answers.
                        log.debug("metrics query failed", extra={"query": name, "error": type(exc).__name__})
                        continue
                    store(rows)
                    done.add(name)
        except TimeoutError:
            log.warning("metrics: the database did not answer in time", extra={"timeout": DB_TIMEOUT})
        for name, _query, _store in queries:
            if name not in done:
                self._drop(name)
        self.database_up.set(1 if "ping" in done else 0)
        self.scrape_seconds.set(time.perf_counter() - started)

    def _set_outbox(self, outbox: str, counts: dict[str, int]) -> None:
        for status, n in counts.items():
            self.outbox.labels(outbox, status).set(n)

    def _set_gauge(self, declared: DbGauge, rows: list[Any]) -> None:
        gauge = self.declared[declared.name]
        gauge.clear()
        for value, n in _by_status(rows, *declared.always).items():
            gauge.labels(value).set(n)

    def _drop(self, name: str) -> None:
        if name in self.declared:
            self.declared[name].clear()
            return
        if name == "ping":
            return
        for family in self.outbox.collect():
            for sample in family.samples:
                if sample.labels.get("outbox") == name:
                    self.outbox.remove(name, sample.labels["status"])

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def _by_status(rows: list[Any], *always: str) -> dict[str, int]:
    """Counts by status; the statuses always reported appear with 0."""
    counts = dict.fromkeys(always, 0)
    for status, n in rows:
        counts[str(status)] = int(n)
    return counts


class _LogCounter(logging.Handler):
    """Counts warnings and errors by component (``ambassador.crisis`` -> ``crisis``)."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(level=logging.WARNING)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        name = record.name
        component = name.split(".", 2)[1] if name.startswith("ambassador.") else name.split(".", 1)[0]
        counter = self.metrics.errors if record.levelno >= logging.ERROR else self.metrics.warnings
        counter.labels(component or "root").inc()


def mount(app: web.Application, core: Core) -> None:
    """Serve ``/metrics`` and count logged warnings and errors while the app runs."""
    metrics = core.metrics
    counter = _LogCounter(metrics)

    async def serve(request: web.Request) -> web.Response:
        await metrics.refresh(core.db, core.now, core.router.outboxes, core.router.gauges)
        # The scraper's Accept header picks the format (Prometheus text, or OpenMetrics).
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        return web.Response(body=encode(metrics.registry), headers={"Content-Type": content_type})

    async def start(app: web.Application) -> None:
        # On the root logger: the SDKs' and aiohttp's errors count too. The
        # handler belongs to this app and goes with it.
        logging.getLogger().addHandler(counter)

    async def stop(app: web.Application) -> None:
        logging.getLogger().removeHandler(counter)

    app.router.add_get(METRICS_PATH, serve)
    app.on_startup.append(start)
    app.on_cleanup.append(stop)
