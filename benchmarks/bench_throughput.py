"""Throughput of the bot against bare Bolt and bare botbuilder, over loopback, open loop.

    python benchmarks/bench_throughput.py [--quick] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
                                          [--only slack|teams] [--users 200]

What runs, each in its own process, all on 127.0.0.1:

- a fake platform: the Slack Web API and a Bot Framework connector in one
  aiohttp server; it records when each reply arrives;
- the bot as in production (``python -m bot run``, Bolt's production setting:
  acknowledge first, answer after) with SLACK_API_URL pointing at the fake and
  TEAMS_ALLOW_UNAUTHENTICATED=1 (activities' serviceUrl is the fake
  connector): one replica on SQLite, one on PostgreSQL, two on PostgreSQL
  behind a round-robin in the load process;
- the baselines: a bare slack-bolt AsyncApp on aiohttp whose listeners only
  acknowledge, and a bare botbuilder CloudAdapter bot whose handler does nothing;
- the load: a separate process that sends signed Slack requests to
  /slack/events (and Bot Framework activities to /api/messages) **open loop**:
  at a fixed rate, on schedule, whether or not earlier requests were answered.
  Every wait is measured from when the request was *due*, so a load process
  that falls behind cannot hide a queue at the target; how late the load
  process itself started requests is measured apart.
  The mix: 50 % questions for the answer engine (DMs), 25 % "Helpful" button
  presses on an answer, 25 % votes in a channel poll, from a pool of
  ``--users`` people who each wrote to the bot once before (steady state).
  The per-person rate limit is off in the bench's configuration: a hundred
  people sending hundreds of events a second would exceed it.

For each target the rate is stepped up (doubling, then bisecting; halving
first when even the first step is too fast) to the highest rate that is
*sustainable*: every request acknowledged with 2xx within 3 s; no queue
building up (the last quarter of a step does not wait longer than the first
by more than 0.15 s per second of step, at most 0.5 s, for acknowledgements
and for replies); over the last three quarters of the step at least 85 % of
the offered rate served; and, for the bot, every reply arriving at the fake
platform. A step that fails only because the load process started requests
late (p99 over 0.1 s: the load process, or the machine, is the limit, not the
target) bounds the search, and the table marks that rate ">=" and the ratios
against it "<=".

The table reports, at that rate: events per second achieved (bare: acknowledged;
ours: acknowledged AND answered, per second from the first due request to the
last reply); p50/p99 of the time to acknowledge and to the reply reaching the
fake; the CPU time the target's own processes (the bot's replicas, or the bare
app) spent per event, from /proc, which is the figure least disturbed by other
work on the machine; and ours / bare of the sustainable rates (goal: at least
0.5). The CPU of the fake platform, the load process and PostgreSQL is not
counted for either side. Teams answers within the request (the HTTP response
comes after the reply), so its two times nearly coincide; the same 3 s bound
is used for it, though Teams waits 15 s.

Everything stops by itself: --quick in about three minutes, the full run in
under ten. Numbers on a shared 2-core machine are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import hashlib
import hmac
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-token"
TEAM = "T0BENCH"
BOT_USER = "U0BOT"
SLACK_POLL_CHANNEL = "C0POLLS"
TEAMS_POLL_CHANNEL = "19:polls@thread.tacv2"
TENANT = "72f988bf-0000-4000-8000-00000000bench"
ACK_LIMIT = 3.0
STEP_SECONDS = {True: 1.5, False: 5.0}  # --quick or not
# How much longer the last quarter of a step may wait than the first before the target counts as
# falling behind: GROWTH_PER_SECOND per second of step, at most GROWTH_LIMIT. A target that serves
# 87 % of the offered rate builds a queue of 0.15 s per second of step.
GROWTH_LIMIT = 0.5
GROWTH_PER_SECOND = 0.15
# The load process counts as the limit when its p99 start delay exceeds this.
LOAD_LAG_LIMIT = 0.1
# The share of the offered rate a target must serve during a step.
SERVED_SHARE = 0.85
# The lowest rate tried when even the first step is too fast.
MIN_RATE = 5.0
QUESTIONS = [
    "Can I post a photo of the prototype we are testing in the lab?",
    "May I share our new careers page on LinkedIn?",
    "Darf ich den Post unserer Karriereseite teilen?",
    "Can I mention our customer in a post about the project?",
    "Is it ok to repost the company's press release about the trade fair?",
    "Darf ich ein Foto vom Sommerfest mit Kolleginnen posten?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slack_user(n: int) -> str:
    return f"U0L{n:05d}"


def teams_user(n: int) -> str:
    return f"29:load-{n:05d}"


# -- the fake platform (its own process) -------------------------------------------------------------


def serve_fake(port: int) -> None:
    from aiohttp import web

    arrived: dict[str, float] = {}
    counter = iter(range(1, 10**12))

    def note(token: Any) -> None:
        if isinstance(token, str) and token.startswith("tk") and token not in arrived:
            arrived[token] = time.monotonic()

    async def params(request: web.Request) -> dict[str, Any]:
        out: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                out.update(await request.json())
            else:
                out.update(dict(await request.post()))
        return out

    async def slack(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        p = await params(request)
        if method in ("chat.postMessage", "chat.postEphemeral"):
            note(p.get("thread_ts"))
            ts = f"1700000000.{next(counter):06d}"
            return web.json_response({"ok": True, "channel": p.get("channel"), "ts": ts, "message_ts": ts})
        if method == "chat.update":
            note(p.get("ts"))
            return web.json_response({"ok": True, "channel": p.get("channel"), "ts": p.get("ts")})
        if method == "auth.test":
            return web.json_response({"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT",
                                      "team": "Bench", "user": "ambassador", "url": "https://bench.slack.com/"})
        if method == "users.info":
            uid = str(p.get("user"))
            n = uid.removeprefix("U0L")
            return web.json_response({"ok": True, "user": {
                "id": uid, "team_id": TEAM, "name": f"load{n}", "real_name": f"Load {n}", "deleted": False,
                "is_bot": False, "is_restricted": False, "is_ultra_restricted": False, "tz": "Europe/Berlin",
                "locale": "en-US",
                "profile": {"email": f"load{n}@example.com", "real_name": f"Load {n}", "display_name": "Load"}}})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + str(p.get("users", "X"))[1:]}})
        return web.json_response({"ok": True})

    async def activity(request: web.Request) -> web.Response:
        aid = request.match_info.get("activity_id", "")
        note(aid.removeprefix("card-"))
        return web.json_response({"id": f"bot-{next(counter)}"})

    async def member(request: web.Request) -> web.Response:
        uid = request.match_info["user_id"]
        n = uid.rsplit("-", 1)[-1]
        return web.json_response({"id": uid, "name": f"Load {n}", "givenName": "Load", "surname": n,
                                  "email": f"load{n}@example.com", "userPrincipalName": f"load{n}@example.com",
                                  "aadObjectId": f"aad-{n}", "tenantId": TENANT, "userRole": "user"})

    async def conversations(request: web.Request) -> web.Response:
        return web.json_response({"id": f"a:created-{next(counter)}"}, status=201)

    async def replies(request: web.Request) -> web.Response:
        prefix = request.query.get("prefix", "tk")
        return web.json_response({k: v for k, v in arrived.items() if k.startswith(prefix)})

    app = web.Application(client_max_size=8 * 1024**2)
    app.router.add_route("*", "/api/{method}", slack)
    app.router.add_post("/v3/conversations", conversations)
    app.router.add_post("/v3/conversations/{cid}/activities", activity)
    app.router.add_post("/v3/conversations/{cid}/activities/{activity_id}", activity)
    app.router.add_put("/v3/conversations/{cid}/activities/{activity_id}", activity)
    app.router.add_get("/v3/conversations/{cid}/members/{user_id}", member)
    app.router.add_get("/_bench/replies", replies)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# -- the baselines (their own processes) ------------------------------------------------------------


def serve_bare_slack(port: int, api_url: str) -> None:
    import re

    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    async def main() -> None:
        bolt = AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url), signing_secret=SECRET)

        @bolt.event("message")
        async def on_message() -> None:  # Events API: Bolt acknowledges by itself
            return None

        @bolt.action(re.compile(".*"))
        async def on_action(ack) -> None:
            await ack()

        async def handle(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        app = web.Application()
        app.router.add_post("/slack/events", handle)
        app.router.add_get("/healthz", lambda r: _ok())
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    asyncio.run(main())


async def _ok() -> Any:
    from aiohttp import web

    return web.Response(text="ok")


def serve_bare_teams(port: int) -> None:
    from aiohttp import web
    from botbuilder.core import ActivityHandler, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    class Config:
        APP_ID = None
        APP_PASSWORD = None
        APP_TYPE = "MultiTenant"
        APP_TENANTID = None

    class Bare(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            return None

    async def main() -> None:
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
        bot = Bare()

        async def handle(request: web.Request) -> web.StreamResponse:
            return await adapter.process(request, bot) or web.Response(status=200)

        app = web.Application()
        app.router.add_post("/api/messages", handle)
        app.router.add_get("/healthz", lambda r: _ok())
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the load (its own process) ----------------------------------------------------------------------


@dataclass
class Step:
    platform: str  # slack | teams
    targets: list[str]  # base URLs, round-robin
    rate: float
    count: int
    prefix: str
    users: int
    fake_url: str
    slack_poll: int = 1
    teams_poll: int = 2
    answer_id: int = 1
    warmup: bool = False  # one question per user, in order


def _signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}


def _slack_request(step: Step, i: int, kind: str, user: int) -> tuple[str, bytes, dict[str, str]]:
    token = f"{step.prefix}x{i}"
    uid = slack_user(user)
    if kind == "question":
        ts = f"{int(time.time())}.{i:06d}"
        body = json.dumps({
            "token": "legacy", "team_id": TEAM, "api_app_id": "A0BENCH", "type": "event_callback",
            "event_id": f"Ev{token}", "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            "event": {"type": "message", "channel": "D" + uid[1:], "user": uid, "text": QUESTIONS[i % len(QUESTIONS)],
                      "ts": ts, "event_ts": ts, "thread_ts": token, "channel_type": "im", "team": TEAM},
        })
        return "/slack/events", body.encode(), {**_signed(body), "Content-Type": "application/json"}
    if kind == "helpful":
        channel = "D" + uid[1:]
        action = {"action_id": "ask.helpful:0", "block_id": "b1", "type": "button", "action_ts": f"{token}.1",
                  "text": {"type": "plain_text", "text": "Helpful"},
                  "value": json.dumps({"a": step.answer_id, "_lang": "en"})}
        message_ts = f"1700000000.{i:06d}"
        message = {"type": "message", "ts": message_ts, "thread_ts": token, "text": "..."}
    else:
        channel = SLACK_POLL_CHANNEL
        action = {"action_id": f"poll.vote:{i % 2}", "block_id": "b1", "type": "button", "action_ts": f"{token}.1",
                  "text": {"type": "plain_text", "text": "A"},
                  "value": json.dumps({"poll": step.slack_poll, "o": i % 2, "_lang": "en"})}
        message_ts = token  # the vote updates the poll message: chat.update carries its ts
        message = {"type": "message", "ts": message_ts, "text": "..."}
    payload = {
        "type": "block_actions", "user": {"id": uid, "username": f"load{user}", "team_id": TEAM},
        "api_app_id": "A0BENCH", "token": "legacy", "trigger_id": f"{i}.{token}",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
        "team": {"id": TEAM, "domain": "bench"}, "channel": {"id": channel, "name": "x"},
        "message": message, "actions": [action],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return "/slack/events", body.encode(), {**_signed(body), "Content-Type": "application/x-www-form-urlencoded"}


def _teams_request(step: Step, i: int, kind: str, user: int) -> tuple[str, bytes, dict[str, str]]:
    token = f"{step.prefix}x{i}"
    uid = teams_user(user)
    conversation: dict[str, Any] = {"id": f"a:personal-{uid}", "conversationType": "personal",
                                    "tenantId": TENANT, "isGroup": False}
    channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
    body: dict[str, Any] = {
        "type": "message", "id": token, "timestamp": "2026-03-02T09:00:00.000Z",
        "serviceUrl": step.fake_url + "/", "channelId": "msteams",
        "from": {"id": uid, "name": f"Load {user}", "aadObjectId": f"aad-{user}"},
        "recipient": {"id": "28:ambassador-bot", "name": "Ambassador"},
        "locale": "en-US", "channelData": channel_data,
    }
    if kind == "question":
        body.update(text=QUESTIONS[i % len(QUESTIONS)], textFormat="plain")
    elif kind == "helpful":
        body.update(value={"action": "ask.helpful", "a": step.answer_id, "_lang": "en"}, replyToId=f"card-x{i}")
    else:
        conversation = {"id": f"{TEAMS_POLL_CHANNEL};messageid=1700000000001", "conversationType": "channel",
                        "tenantId": TENANT, "isGroup": True}
        channel_data.update(team={"id": "19:team@thread.tacv2"}, channel={"id": TEAMS_POLL_CHANNEL})
        # The vote updates the poll card: the update names the card's id.
        body.update(id=f"act-{token}", value={"action": "poll.vote", "poll": step.teams_poll, "o": i % 2,
                                              "_lang": "en"}, replyToId=f"card-{token}")
    body["conversation"] = conversation
    return "/api/messages", json.dumps(body).encode(), {"Content-Type": "application/json"}


def run_step(step: Step) -> dict[str, Any]:
    return asyncio.run(_run_step(step))


async def _run_step(step: Step) -> dict[str, Any]:
    import aiohttp

    rng = random.Random(step.prefix)
    requests = []
    for i in range(step.count):
        if step.warmup:
            # Each person once through each replica: every replica knows every profile.
            kind, user = "question", (i // len(step.targets)) % step.users
        else:
            r = rng.random()
            kind = "question" if r < 0.5 else "helpful" if r < 0.75 else "vote"
            user = rng.randrange(step.users)
        build = _slack_request if step.platform == "slack" else _teams_request
        path, body, headers = build(step, i, kind, user)
        requests.append((step.targets[i % len(step.targets)] + path, body, headers, f"{step.prefix}x{i}"))

    # Open loop without coordinated omission: a request's wait counts from when it was due, so
    # a load process that falls behind cannot hide the target's queue. How far behind the load
    # process itself started requests is reported apart (``lag``): then the rate is its limit.
    due = [0.0] * step.count
    started = [0.0] * step.count
    acked = [0.0] * step.count
    status = [0] * step.count
    timeout = aiohttp.ClientTimeout(total=20)
    cpu0 = time.process_time()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:

        async def one(i: int) -> None:
            url, body, headers, _ = requests[i]
            started[i] = time.monotonic()
            try:
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    status[i] = resp.status
            except Exception:
                status[i] = -1
            acked[i] = time.monotonic()

        tasks = []
        start = time.monotonic() + 0.1
        for i in range(step.count):
            due[i] = start + i / step.rate
            delay = due[i] - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    lag = [s - d for s, d in zip(started, due, strict=True)]
    return {"sent": due, "acked": acked, "status": status, "tokens": [r[3] for r in requests],
            "late": max(lag, default=0.0), "lag_p99": pct(lag, 0.99), "cpu": time.process_time() - cpu0,
            "wall": max(acked, default=start) - start}


# -- running the targets -----------------------------------------------------------------------------


def _growth(latencies: list[float]) -> float:
    """Median of the last quarter minus median of the first (in send order)."""
    n = len(latencies) // 4
    if n < 3:
        return 0.0
    return statistics.median(latencies[-n:]) - statistics.median(latencies[:n])


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class Result:
    rate: float
    achieved: float
    ack_p50: float
    ack_p99: float
    ack_max: float
    reply_p50: float
    reply_p99: float
    errors: int
    missing: int
    late: float
    ok: bool
    why: str = ""
    cpu_ms: float = float("nan")  # CPU time of the target's processes per event
    load_busy: float = 0.0  # share of one core the load process used while sending
    load_limited: bool = False  # the load process, not the target, could not keep the rate


@dataclass
class Target:
    name: str
    platform: str
    urls: list[str]
    bare: bool
    procs: list[subprocess.Popen] = field(default_factory=list)
    best: Result | None = None
    capped: bool = False  # sustainable at --max-rate or the load process's limit: the real limit is higher
    load_limited: bool = False  # the step that set the upper bound failed only because the load process lagged
    steps: list[Result] = field(default_factory=list)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick = args.quick
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
        self.procs: list[subprocess.Popen] = []
        self.databases: list[str] = []
        self.fake_url = ""
        self.loader = concurrent.futures.ProcessPoolExecutor(max_workers=1)
        self.seq = 0

    # -- processes

    def spawn(self, argv: list[str], name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(argv, cwd=self.tmp, env={**os.environ, **(env or {})}, stdout=log,
                                stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def wait_healthy(self, url: str, proc: subprocess.Popen, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"{name} stopped at start; see {self.tmp / (name + '.log')}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"{name} not healthy after {timeout:.0f} s; see {self.tmp / (name + '.log')}")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.loader.shutdown(cancel_futures=True)
        if self.databases:
            import psycopg

            with psycopg.connect(self.args.pg, autocommit=True) as conn:
                for name in self.databases:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # -- setup

    def config(self) -> Path:
        """The sample app.yaml with absolute paths, so nothing is written into the repository."""
        text = (ROOT / "app.yaml").read_text()
        text = text.replace("path: knowledge/guidelines", f"path: {ROOT / 'knowledge' / 'guidelines'}")
        text = text.replace("report_dir: reports", f"report_dir: {self.tmp / 'reports'}")
        # A few hundred people at 100+ events a second exceed the per-person rate limit: off, so every
        # request is worked on (the limit would otherwise drop part of the load and flatter the figures).
        text += "\nlimits:\n  per_user_per_minute: 0\n"
        path = self.tmp / "app.yaml"
        path.write_text(text)
        polls = {
            "slack": {"audience": f"channel:{SLACK_POLL_CHANNEL}", "platform": "slack"},
            "teams": {"audience": f"channel:{TEAMS_POLL_CHANNEL}", "platform": "teams"},
        }
        for name, where in polls.items():
            (self.tmp / f"poll-{name}.yaml").write_text(json.dumps({
                "question": f"Lunch at the {name} fair?", "options": ["Pizza", "Pasta"], "multi": False,
                "anonymous": False, "closes": "30d", **where}))
        return path

    def pg_database(self) -> str:
        import psycopg

        name = f"ambassador_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.args.pg, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return f"{self.args.pg.rsplit('/', 1)[0]}/{name}"

    def start_ours(self, name: str, database_url: str, replicas: int, config: Path) -> Target:
        env = {"DATABASE_URL": database_url, "AMBASSADOR_CONFIG": str(config), "SLACK_BOT_TOKEN": BOT_TOKEN,
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": self.fake_url + "/api/",
               "TEAMS_ALLOW_UNAUTHENTICATED": "1", "MicrosoftAppId": "", "AMBASSADOR_SECRET": "bench-secret-" + "0" * 32,
               "PUBLIC_URL": "http://127.0.0.1", "LOG_LEVEL": "INFO"}
        for poll in ("slack", "teams"):
            # Polls made before the start, as `ambassador poll create` does (ids 1 and 2).
            subprocess.run([sys.executable, "-m", "bot", "poll", "create", str(self.tmp / f"poll-{poll}.yaml")],
                           cwd=self.tmp, env={**os.environ, **env}, check=True, capture_output=True)
        target = Target(name, "", [], bare=False)
        for r in range(replicas):
            port = free_port()
            proc = self.spawn([sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", str(port)],
                              f"{name}-{r}", env)
            target.urls.append(f"http://127.0.0.1:{port}")
            target.procs.append(proc)
        return target

    def start_bare(self, platform: str) -> Target:
        port = free_port()
        mode = "bare-slack" if platform == "slack" else "bare-teams"
        proc = self.spawn([sys.executable, __file__, "--serve", mode, "--port", str(port),
                           "--api-url", self.fake_url + "/api/"], mode)
        return Target(f"bare {'Bolt' if platform == 'slack' else 'botbuilder'}", platform,
                      [f"http://127.0.0.1:{port}"], bare=True, procs=[proc])

    # -- measuring

    def step(self, target: Target, platform: str, rate: float, seconds: float, warmup: bool = False) -> Result:
        self.seq += 1
        prefix = f"tk{self.seq}"
        count = self.args.users * len(target.urls) if warmup else max(10, int(rate * seconds))
        spec = Step(platform=platform, targets=target.urls, rate=rate, count=count, prefix=prefix,
                    users=self.args.users, fake_url=self.fake_url, warmup=warmup)
        cpu_before = sum(cpu_seconds(p.pid) for p in target.procs)
        out = self.loader.submit(run_step, spec).result(timeout=seconds + 120)
        sent, acked, status = out["sent"], out["acked"], out["status"]
        ok_idx = [i for i in range(count) if 200 <= status[i] < 300]
        acks = [acked[i] - sent[i] for i in ok_idx]
        errors = count - len(ok_idx)
        reply_lat: list[float] = []
        missing = 0
        arrived: dict[str, float] = {}
        if target.bare:
            # Acknowledging is all a bare app does.
            done_at = {i: acked[i] for i in ok_idx}
        else:
            expected = {out["tokens"][i]: sent[i] for i in ok_idx}
            arrived = self.wait_replies(prefix, len(expected), drain=5.0 if self.quick else 10.0)
            reply_lat = [arrived[t] - s for t, s in expected.items() if t in arrived]
            missing = len(expected) - len(reply_lat)
            # Ours counts an event once it is acknowledged AND its answer reached the platform.
            done_at = {i: max(acked[i], arrived[out["tokens"][i]]) for i in ok_idx if out["tokens"][i] in arrived}
        cpu_used = sum(cpu_seconds(p.pid) for p in target.procs) - cpu_before
        span = max(done_at.values(), default=min(sent)) - min(sent)
        achieved = len(done_at) / span if span > 0 else float("nan")
        ack_max = max(acks) if acks else float("inf")
        why = []
        if errors:
            why.append(f"{errors} not acknowledged")
        if ack_max > ACK_LIMIT:
            why.append(f"slowest ack {ack_max:.1f} s")
        # Falling behind: a queue builds up during the step, so the last quarter waits
        # clearly longer than the first (open loop: nothing slows the sender). The bound
        # grows with the step, so a short step cannot hide a queue that a long one shows.
        limit = min(GROWTH_LIMIT, GROWTH_PER_SECOND * seconds) if seconds else GROWTH_LIMIT
        grew = _growth([acked[i] - sent[i] for i in ok_idx])
        if grew > limit:
            why.append(f"acks fell behind (+{grew:.2f} s over the step)")
        if not target.bare:
            reply_growth = _growth([arrived[out["tokens"][i]] - sent[i] for i in ok_idx
                                    if out["tokens"][i] in arrived])
            if reply_growth > limit:
                why.append(f"replies fell behind (+{reply_growth:.2f} s over the step)")
        if missing:
            why.append(f"{missing} replies missing")
        # Serving less than offered: over the last three quarters of the step fewer events were
        # done than were sent. (A queue that the load process's own lateness spreads out does
        # not show in the growth check, but it shows here.)
        first, last = min(sent), max(sent)
        window = 0.75 * (last - first)
        expected_done = rate * window
        if expected_done >= 40:
            served = sum(1 for t in done_at.values() if first + 0.25 * (last - first) <= t <= last) / window
            if served < SERVED_SHARE * rate:
                why.append(f"served {served:.0f}/s of {rate:.0f}/s offered")
        # The load process started requests late. When the target kept up with what it was sent,
        # the rate is the load process's limit (or the machine's), not the target's.
        lagging = out["lag_p99"] > LOAD_LAG_LIMIT
        load_limited = lagging and not why
        if lagging:
            why.append(f"the load process started requests up to {out['late']:.2f} s late "
                       f"(p99 {out['lag_p99'] * 1000:.0f} ms)")
        busy = out["cpu"] / out["wall"] if out["wall"] > 0 else 0.0
        return Result(rate, achieved, pct(acks, 0.5), pct(acks, 0.99), ack_max, pct(reply_lat, 0.5),
                      pct(reply_lat, 0.99), errors, missing, out["late"], not why, "; ".join(why),
                      cpu_ms=cpu_used / len(ok_idx) * 1000 if ok_idx else float("nan"), load_busy=busy,
                      load_limited=load_limited)

    def wait_replies(self, prefix: str, expected: int, drain: float) -> dict[str, float]:
        """Until every reply arrived, or none came for ``drain`` seconds."""
        last_n, last_change = -1, time.monotonic()
        while True:
            with urllib.request.urlopen(f"{self.fake_url}/_bench/replies?prefix={prefix}x", timeout=10) as r:
                arrived = json.loads(r.read())
            if len(arrived) >= expected:
                return arrived
            if len(arrived) != last_n:
                last_n, last_change = len(arrived), time.monotonic()
            elif time.monotonic() - last_change > drain:
                return arrived
            time.sleep(0.2)

    def search(self, target: Target, platform: str) -> None:
        """Double the rate until a step is not sustainable, then bisect."""
        seconds = STEP_SECONDS[self.quick]
        rate = 40.0 if self.quick else 10.0
        bisections = 1 if self.quick else 2
        good: Result | None = None
        bad: float | None = None
        while True:
            result = self.step(target, platform, rate, seconds)
            self.report_step(target, result)
            if not result.ok:
                # When only the load process fell behind, the target's own limit lies above.
                bad, target.load_limited = rate, result.load_limited
                if good is None and rate / 2 >= MIN_RATE:
                    rate /= 2  # too fast from the start: find a rate that holds first
                    time.sleep(1.0)
                    continue
                break
            good = result
            if bad is not None or rate >= self.args.max_rate:
                break  # not found: the table says "at least"
            rate = min(rate * 2, self.args.max_rate)
            time.sleep(0.5)
        for _ in range(bisections if bad is not None else 0):
            low = good.rate if good else bad / 2
            rate = round((low + bad) / 2)
            if rate <= low or rate >= bad:
                break
            time.sleep(1.0)
            result = self.step(target, platform, rate, seconds)
            self.report_step(target, result)
            if result.ok:
                good = result
            else:
                bad, target.load_limited = rate, result.load_limited
        target.best = good
        target.capped = bad is None or target.load_limited

    def report_step(self, target: Target, r: Result) -> None:
        target.steps.append(r)
        reply = "" if target.bare else f", reply p50 {r.reply_p50 * 1000:.0f} ms p99 {r.reply_p99 * 1000:.0f} ms"
        print(f"  {target.name:<28} offered {r.rate:6.0f}/s  achieved {r.achieved:6.1f}/s  ack p50 "
              f"{r.ack_p50 * 1000:5.0f} ms p99 {r.ack_p99 * 1000:5.0f} ms{reply}  CPU {r.cpu_ms:5.1f} ms/event, "
              f"load process {r.load_busy:4.0%} busy  {'ok' if r.ok else 'NOT sustainable: ' + r.why}",
              flush=True)

    # -- the run

    def run(self) -> int:
        started = time.monotonic()
        fake_port = free_port()
        self.fake_url = f"http://127.0.0.1:{fake_port}"
        fake = self.spawn([sys.executable, __file__, "--serve", "fake", "--port", str(fake_port)], "fake")
        config = self.config()
        self.wait_replies_ready(fake)
        platforms = [p for p in ("slack", "teams") if self.args.only in (None, p)]
        pg_ok = self.pg_reachable()
        ours = [self.start_ours("ours, 1 replica, SQLite", f"sqlite:///{self.tmp / 'bench.db'}", 1, config)]
        if pg_ok:
            ours.append(self.start_ours("ours, 1 replica, PostgreSQL", self.pg_database(), 1, config))
            ours.append(self.start_ours("ours, 2 replicas, PostgreSQL", self.pg_database(), 2, config))
        else:
            print(f"PostgreSQL not reachable at {self.args.pg}: only SQLite is measured", flush=True)
        bare = {p: self.start_bare(p) for p in platforms}
        for t in [*ours, *bare.values()]:
            for url, proc in zip(t.urls, t.procs, strict=True):
                self.wait_healthy(url, proc, t.name)
        print(f"started in {time.monotonic() - started:.0f} s; load: open loop, fixed rate per step, "
              f"{STEP_SECONDS[self.quick]} s per step; mix 50 % questions (DMs), 25 % Helpful presses, "
              f"25 % poll votes; {self.args.users} people", flush=True)
        table: list[tuple[str, Target]] = []
        for platform in platforms:
            print(f"\n{platform}:", flush=True)
            b = bare[platform]
            b.platform = platform
            self.search(b, platform)
            table.append((platform, b))
            for o in ours:
                t = Target(o.name, platform, o.urls, bare=False, procs=o.procs)
                # Steady state: everyone in the pool wrote to the bot once (profiles known and cached).
                warm = self.step(t, platform, 100.0 if self.quick else 40.0, 0, warmup=True)
                if warm.errors:
                    print(f"  {t.name}: warm-up failed ({warm.why}); see the logs in {self.tmp}", flush=True)
                self.search(t, platform)
                table.append((platform, t))
        self.print_table(table, started)
        return 0

    def wait_replies_ready(self, fake: subprocess.Popen) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.fake_url}/_bench/replies", timeout=1).read()
                return
            except (urllib.error.URLError, OSError):
                if fake.poll() is not None:
                    raise SystemExit("the fake platform did not start") from None
                time.sleep(0.1)
        raise SystemExit("the fake platform did not start")

    def pg_reachable(self) -> bool:
        if not self.args.pg:
            return False
        try:
            import psycopg

            with psycopg.connect(self.args.pg, connect_timeout=3):
                return True
        except Exception:
            return False

    def print_table(self, table: list[tuple[str, Target]], started: float) -> None:
        load = os.getloadavg()
        print(f"\nThe highest sustainable open-loop rate: every request acknowledged within {ACK_LIMIT:.0f} s, "
              f"no queue building up (the last quarter of a step waited < min({GROWTH_LIMIT} s, "
              f"{GROWTH_PER_SECOND} s per second of step) longer than the first, for acks and replies), every "
              f"reply arrived. events/s: acknowledged (bare) or acknowledged and answered (ours) per second. "
              f"CPU: the target's processes' CPU time per event at that rate. ours/bare = ratio of the rates; "
              f">= marks a rate the load process or --max-rate capped. "
              f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        head = (f"| {'platform':<8} | {'target':<28} | {'rate/s':>7} | {'events/s':>8} | {'ack p50':>8} | "
                f"{'ack p99':>8} | {'reply p50':>9} | {'reply p99':>9} | {'CPU/event':>9} | {'ours/bare':>9} |")
        print(head)
        print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
        bare_rate: dict[str, float] = {}
        bare_capped: dict[str, bool] = {}
        for platform, t in table:
            r = t.best
            if t.bare:
                bare_rate[platform] = r.rate if r else float("nan")
                bare_capped[platform] = t.capped
            if r is None:
                print(f"| {platform:<8} | {t.name:<28} | {'-':>7} | {'-':>8} | {'-':>8} | {'-':>8} | {'-':>9} | "
                      f"{'-':>9} | {'-':>9} | {'-':>9} |  (not sustainable at the lowest rate)")
                continue
            ratio = "" if t.bare else f"{'<= ' if bare_capped.get(platform) else ''}" \
                f"{r.rate / bare_rate.get(platform, float('nan')):.2f}"
            shown = f"{'>= ' if t.capped else ''}{r.rate:.0f}"
            reply50 = "" if t.bare else f"{r.reply_p50 * 1000:.0f} ms"
            reply99 = "" if t.bare else f"{r.reply_p99 * 1000:.0f} ms"
            cpu = f"{r.cpu_ms:.1f} ms"
            print(f"| {platform:<8} | {t.name:<28} | {shown:>7} | {r.achieved:>8.1f} | "
                  f"{r.ack_p50 * 1000:>5.0f} ms | {r.ack_p99 * 1000:>5.0f} ms | {reply50:>9} | {reply99:>9} | "
                  f"{cpu:>9} | {ratio:>9} |")
        for platform, t in table:
            if t.load_limited:
                print(f"{platform}, {t.name}: the load process could not send faster (it started requests late), "
                      f"so its rate is a lower bound and the ratios against it upper bounds.")
        print(f"\n(ran {time.monotonic() - started:.0f} s; logs in {self.tmp})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short steps, about three minutes")
    parser.add_argument("--pg", default=os.environ.get("AMBASSADOR_TEST_PG",
                                                       "postgresql://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server where the benchmark may create and drop databases")
    parser.add_argument("--only", choices=["slack", "teams"], help="measure one platform")
    parser.add_argument("--users", type=int, help="people sending the load (default 200; 100 with --quick)")
    parser.add_argument("--max-rate", type=float, default=3200, help="stop doubling here")
    parser.add_argument("--serve", choices=["fake", "bare-slack", "bare-teams"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.users is None:
        args.users = 100 if args.quick else 200
    if args.serve == "fake":
        serve_fake(args.port)
        return 0
    if args.serve == "bare-slack":
        serve_bare_slack(args.port, args.api_url)
        return 0
    if args.serve == "bare-teams":
        serve_bare_teams(args.port)
        return 0
    bench = Bench(args)
    try:
        return bench.run()
    finally:
        with contextlib.suppress(Exception):
            bench.stop()


if __name__ == "__main__":
    sys.exit(main())
