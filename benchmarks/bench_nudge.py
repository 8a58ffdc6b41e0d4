"""One weekly nudge fanned out to many members through the real Slack adapter, against a local
fake Slack Web API that enforces Slack's limits; then the same run killed halfway and resumed.

    python benchmarks/bench_nudge.py [--members 10000] [--ceiling 100] [--concurrency 8]

The fake (in its own process, so it does not share the bot's CPU) allows one
chat.postMessage per second per conversation and ``--ceiling`` per second for
the whole workspace, and answers 429 with Retry-After beyond either. Reported:
the wall time from the scheduled slot to the last message, planning included
(for the killed run: planning, until the kill, and the new process's resume),
against the ideal time under those limits, members / ceiling (goal: within 10 %), and
delivered / duplicated (must be 0) / lost (must be 0) / uncertain (at most one
per send in flight at the kill). A script, not a timed test: timings on shared
machines are too noisy to fail a build on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import sys
import tempfile
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MONDAY = datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # 09:30 in Berlin


# -- the fake Slack Web API (runs in a child process) -----------------------------------------------


def serve_fake(ceiling: int, per_channel: float, port_out: Any) -> None:
    from aiohttp import web

    sent: dict[str, int] = {}
    last: dict[str, float] = {}
    window: deque[float] = deque()
    stats = {"limited": 0, "calls": 0, "history": 0}
    history: dict[str, list[dict[str, Any]]] = {}

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        stats["calls"] += 1
        if request.method == "GET":
            form = request.query
        else:
            form = await request.post() if request.content_type != "application/json" else await request.json()
        if method == "conversations.history":
            # What the bot reads to reconcile a send interrupted between Slack's answer and its commit:
            # the DM's messages, newest first, with their metadata.
            stats["history"] += 1
            # (The bot's clock is the benchmark's, not this one's: "oldest" is not applied.)
            found = list(reversed(history.get(str(form.get("channel")), [])))
            return web.json_response({"ok": True, "messages": found, "has_more": False})
        if method != "chat.postMessage":
            return web.json_response({"ok": False, "error": "unknown_method"})
        channel = str(form.get("channel"))
        now = time.monotonic()
        while window and window[0] <= now - 1.0:
            window.popleft()
        wait_channel = last.get(channel, -1e9) + per_channel - now
        wait_workspace = (window[0] + 1.0 - now) if len(window) >= ceiling else 0.0
        wait = max(wait_channel, wait_workspace)
        if wait > 0:
            stats["limited"] += 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(max(1, math.ceil(wait)))})
        window.append(now)
        last[channel] = now
        sent[channel] = sent.get(channel, 0) + 1
        ts = f"{time.time():.6f}"
        metadata = form.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        history.setdefault(channel, []).append({"type": "message", "ts": ts, "bot_id": "B0BENCH",
                                                **({"metadata": metadata} if metadata else {})})
        return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}})

    async def get_stats(request: web.Request) -> web.Response:
        return web.json_response({"sent": sent, **stats})

    async def reset(request: web.Request) -> web.Response:
        sent.clear()
        last.clear()
        window.clear()
        history.clear()
        stats.update(limited=0, calls=0, history=0)
        return web.json_response({"ok": True})

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", api)
        app.router.add_get("/api/{method}", api)  # slack_sdk reads conversations.history with GET
        app.router.add_get("/_stats", get_stats)
        app.router.add_post("/_reset", reset)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the bot side ------------------------------------------------------------------------------------


class Clock:
    """The bot's clock: time passes as it really does, from the slot on (so a retry after a 429's
    Retry-After comes due); ``jump`` moves it on (a process that starts later)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)

    def jump(self, delta: timedelta) -> None:
        self.start += delta


async def build(db_url: str, api_url: str, clock: Clock, ceiling: int, concurrency: int):
    """The bot as ``ambassador run`` builds it: the Slack adapter on a started web app (its startup
    opens the connection pool the Web API calls share), without listening on a port."""
    from aiohttp import web

    from bot.app import build_core
    from bot.config import load_settings
    from bot.platforms.slack import SlackAdapter

    settings = load_settings(ROOT / "app.yaml", env={
        "DATABASE_URL": db_url, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "bench-secret",
        "SLACK_API_URL": api_url}, read_dotenv=False)
    settings.app.content = {"core_group_days_earlier": 0, "messages_per_second": ceiling, "concurrency": concurrency,
                            "public_url": "https://amb.example.com", "require_approval": False}
    core = build_core(settings)
    core.clock = clock
    app = web.Application()
    SlackAdapter(core, settings).mount(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    # The pacer is the one app.yaml makes (content.messages_per_second: the workspace's ceiling).
    return core, runner


async def populate(core, members: int) -> None:
    from sqlalchemy import insert

    from storage.models import ConversationRef, Identity, Person
    from storage.models_content import ContentItem

    now = core.now()
    async with core.db.session() as s:
        await s.execute(insert(Person), [
            {"email": f"m{i}@example.com", "language": "de" if i % 2 else "en", "is_member": True, "joined_at": now,
             "is_guest": False, "active": True, "pseudonym": f"P-{i:010d}", "created_at": now,
             "profile_checked_at": now} for i in range(members)])
        ids = (await s.exec(__import__("sqlmodel").select(Person.id).order_by(Person.id))).all()
        await s.execute(insert(Identity), [{"person_id": pid, "platform": "slack", "user_id": f"U{pid:07d}"} for pid in ids])
        await s.execute(insert(ConversationRef), [
            {"platform": "slack", "user_id": f"U{pid:07d}", "conversation_id": f"D{pid:07d}",
             "reference": {"channel": f"D{pid:07d}"}, "updated_at": now} for pid in ids])
        s.add(ContentItem(title="Our new plant", url="https://example.com/plant", text_de="Wir eröffnen ein Werk!",
                          text_en="We are opening a plant!", status="approved", valid_from=now - timedelta(days=1),
                          created_at=now))
        await s.commit()


async def fake_stats(api_base: str) -> dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.get(api_base.replace("/api/", "/_stats")) as resp:
            return await resp.json()


async def outcome(core, members: int, api_base: str) -> dict[str, Any]:
    from sqlalchemy import func
    from sqlmodel import select

    from storage.models_content import ContentDelivery

    stats = await fake_stats(api_base)
    got = stats["sent"]
    async with core.db.session() as s:
        rows = dict((await s.exec(select(ContentDelivery.status, func.count()).group_by(ContentDelivery.status))).all())
        uncertain = (await s.exec(select(ContentDelivery.person_id).where(ContentDelivery.status == "uncertain"))).all()
    unc_channels = {f"D{pid:07d}" for pid in uncertain}
    delivered = len(got)
    duplicated = sum(n - 1 for n in got.values() if n > 1)
    lost = members - delivered - len([c for c in unc_channels if c not in got])
    return {"delivered": delivered, "duplicated": duplicated, "lost": lost, "uncertain": len(uncertain),
            "uncertain_but_arrived": len([c for c in unc_channels if c in got]), "rows": rows,
            "429s": stats["limited"], "history": stats["history"]}


async def scenario(members: int, ceiling: int, concurrency: int, api_base: str, *, kill_at: float | None) -> dict[str, Any]:
    import aiohttp

    from handlers import content

    async with aiohttp.ClientSession() as http:
        await (await http.post(api_base.replace("/api/", "/_reset"))).release()
    folder = tempfile.mkdtemp(prefix="bench-nudge-")
    db_url = f"sqlite:///{folder}/bench.db"
    clock = Clock(MONDAY)
    core, runner = await build(db_url, api_base, clock, ceiling, concurrency)
    await core.db.upgrade()
    await populate(core, members)
    t0 = time.perf_counter()
    await content.plan_due(core)
    plan_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    resumed_s = 0.0
    if kill_at is None:
        await content.send_due(core)
        send_s = time.perf_counter() - t1
    else:
        task = asyncio.create_task(content.send_due(core))
        while True:
            await asyncio.sleep(0.05)
            if len((await fake_stats(api_base))["sent"]) >= members * kill_at:
                break
        task.cancel()  # the process is killed: whatever was in flight stays 'sending'
        try:
            await task
        except asyncio.CancelledError:
            pass
        send_s = time.perf_counter() - t1
        await runner.cleanup()
        await core.db.dispose()
        # Another process starts on the same database after the dead one's leases ran out.
        clock.jump(timedelta(minutes=20))
        core, runner = await build(db_url, api_base, clock, ceiling, concurrency)
        t2 = time.perf_counter()
        await content.send_due(core)
        resumed_s = time.perf_counter() - t2
    result = await outcome(core, members, api_base)
    await runner.cleanup()
    await core.db.dispose()
    ideal = members / ceiling
    # From the slot: planning is part of the run's time.
    total = plan_s + send_s + resumed_s
    result.update(plan_s=round(plan_s, 2), send_s=round(send_s, 2), resumed_s=round(resumed_s, 2),
                  ideal_s=round(ideal, 2), over_ideal_pct=round((total / ideal - 1) * 100, 1))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--ceiling", type=int, default=100, help="workspace-wide messages per second")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--skip-kill", action="store_true", help="only the uninterrupted run")
    args = parser.parse_args()
    import logging
    import os
    import warnings

    logging.disable(logging.WARNING)
    # SQLModel nags about session.execute for bulk inserts; the benchmark wants them fast.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    ports: Any = multiprocessing.Queue()
    fake = multiprocessing.Process(target=serve_fake, args=(args.ceiling, 1.0, ports), daemon=True)
    fake.start()
    api = f"http://127.0.0.1:{ports.get(timeout=20)}/api/"
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"members {args.members}, workspace ceiling {args.ceiling}/s, 1/s per conversation, "
              f"concurrency {args.concurrency}; load average {load} on {os.cpu_count()} CPUs")
        full = asyncio.run(scenario(args.members, args.ceiling, args.concurrency, api, kill_at=None))
        print(f"uninterrupted: plan {full['plan_s']} s + send {full['send_s']} s vs ideal {full['ideal_s']} s "
              f"({full['over_ideal_pct']:+} %); delivered {full['delivered']}, duplicated {full['duplicated']}, "
              f"lost {full['lost']}, uncertain {full['uncertain']}, 429 answers {full['429s']}")
        ok = full["duplicated"] == 0 and full["lost"] == 0 and full["over_ideal_pct"] <= 10
        if not args.skip_kill:
            killed = asyncio.run(scenario(args.members, args.ceiling, args.concurrency, api, kill_at=0.5))
            print(f"killed halfway, resumed: plan {killed['plan_s']} s, until kill {killed['send_s']} s + resumed "
                  f"{killed['resumed_s']} s vs ideal {killed['ideal_s']} s ({killed['over_ideal_pct']:+} %); "
                  f"delivered {killed['delivered']}, duplicated {killed['duplicated']}, lost {killed['lost']}, "
                  f"uncertain {killed['uncertain']} ({killed['uncertain_but_arrived']} of them had arrived), "
                  f"429 answers {killed['429s']}, history reads to reconcile {killed['history']}")
            ok = ok and killed["duplicated"] == 0 and killed["lost"] == 0 and killed["uncertain"] <= args.concurrency
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        print("goal met" if ok else "GOAL MISSED")
        return 0 if ok else 1
    finally:
        fake.terminate()


if __name__ == "__main__":
    sys.exit(main())
