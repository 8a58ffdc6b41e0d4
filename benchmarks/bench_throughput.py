"""Throughput of the bot against plain apps on the same SDKs, over loopback, open loop.

    python benchmarks/bench_throughput.py [--quick | --full] [--only slack|teams] [--users 200]
                                          [--pg postgresql://postgres@127.0.0.1:5432/postgres]

What runs, each in its own process, all on 127.0.0.1:

- a fake platform: the Slack Web API and a Bot Framework connector in one
  aiohttp server; it records when each reply arrives;
- the bot as in production (``python -m bot run``, Bolt's production setting:
  acknowledge first, answer after) with SLACK_API_URL pointing at the fake and
  TEAMS_ALLOW_UNAUTHENTICATED=1 (activities' serviceUrl is the fake
  connector): one replica on SQLite, one on PostgreSQL, two on PostgreSQL
  behind a round-robin in the load process;
- its peers (benchmarks/throughput_peers.py): on Slack a plain slack-bolt app
  with the bot's guarantees (it commits each event under its event id before
  the acknowledgement, so a retry is not worked on twice, posts one reply
  through chat.postMessage and marks the event answered), once on an SQLite
  file and once on PostgreSQL, and a bare Bolt app that only acknowledges;
  on Teams a bare Microsoft 365 Agents SDK bot that echoes one reply;
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
the offered rate served; and, for the bot and the peers that answer, every
reply arriving at the fake platform. A step that fails only because the load
process started requests late (p99 over 0.1 s: the load process, or the
machine, is the limit, not the target) bounds the search, and the table marks
that rate ">=" and the ratios against it "<=". Each of ours is measured right
after its peer, so that what else runs on the machine weighs on both alike.

The table reports, at that rate: events per second achieved (bare Bolt:
acknowledged; the others: acknowledged AND answered, per second from the first
due request to the last reply); p50/p99 of the time to acknowledge and to the
reply reaching the fake; the CPU time the target's own processes spent per
event, from /proc, which is the figure least disturbed by other work on the
machine; ours / peer of the sustainable rates (goal: at least 0.5; one replica
each, the same kind of database) and ours / bare (not a goal: no correct bot
gets near an app that only acknowledges). The CPU of the fake platform, the
load process and PostgreSQL is not counted for either side. Teams answers
within the request (the HTTP response comes after the reply), so its two times
nearly coincide; the same 3 s bound is used for it, though Teams waits 15 s.
Last, each single replica is offered five times Slack's Events API ceiling for
a workspace (30,000 events an hour: 41.7 events/s) for a while, and the run
says whether it keeps up with the reply p99 under one second.

Everything stops by itself: --quick in about three minutes, the default in
about five on a quiet machine (seven under heavy load), --full in about ten. Numbers on a shared 2-core machine are noisy:
compare within one run, and read the CPU column first.
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
PEERS = Path(__file__).resolve().parent / "throughput_peers.py"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(PEERS.parent))

from throughput_peers import BOT_TOKEN, SECRET  # noqa: E402 - the peers sign and answer as the bot does

TEAM = "T0BENCH"
BOT_USER = "U0BOT"
SLACK_POLL_CHANNEL = "C0POLLS"
TEAMS_POLL_CHANNEL = "19:polls@thread.tacv2"
TENANT = "72f988bf-0000-4000-8000-00000000bench"
ACK_LIMIT = 3.0


@dataclass(frozen=True)
class Mode:
    step: float  # seconds per step of the search
    bisections: int  # steps spent narrowing the rate down once a step failed
    drain: float  # how long to wait for replies once none came any more
    users: int  # default --users
    ceiling_step: float  # seconds at five times Slack's Events API ceiling


MODES = {
    "quick": Mode(step=1.5, bisections=1, drain=5.0, users=100, ceiling_step=5.0),
    "default": Mode(step=3.0, bisections=2, drain=8.0, users=200, ceiling_step=10.0),
    "full": Mode(step=5.0, bisections=3, drain=10.0, users=200, ceiling_step=20.0),
}
# Where the search starts for each kind of target (it halves first when even that is too fast):
# about half of what each reached on the 2-core development machine, so the search takes few steps.
START_RATE = {"bare": 320.0, "peer": 80.0, "ours": 40.0}
# Slack's Events API sends a workspace's app at most 30,000 events an hour; one replica should
# serve five times that with the reply p99 under a second.
EVENTS_API_CEILING_PER_HOUR = 30_000
CEILING_RATE = 5 * EVENTS_API_CEILING_PER_HOUR / 3600
CEILING_REPLY_P99 = 1.0
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
        # A reply names the activity it answers (in the path, or as replyToId in the body), an update
        # the card it replaces (card-<token>); a vote's activity id is act-<token>.
        aid = request.match_info.get("activity_id", "")
        note(aid.removeprefix("card-").removeprefix("act-"))
        with contextlib.suppress(ValueError):
            body = await request.json()
            if isinstance(body, dict) and isinstance(body.get("replyToId"), str):
                note(body["replyToId"].removeprefix("card-").removeprefix("act-"))
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
    kind: str  # "bare": only acknowledges; "peer": a plain app that answers each event; "ours"
    db: str = ""  # the database kind it writes to: "sqlite", "postgresql", or "" (none)
    procs: list[subprocess.Popen] = field(default_factory=list)
    best: Result | None = None
    capped: bool = False  # sustainable at --max-rate or the load process's limit: the real limit is higher
    load_limited: bool = False  # the step that set the upper bound failed only because the load process lagged
    steps: list[Result] = field(default_factory=list)
    ceiling: Result | None = None  # the step at five times Slack's Events API ceiling

    @property
    def replies(self) -> bool:
        """Whether an event counts once its reply arrived (peers and ours), not once acknowledged."""
        return self.kind != "bare"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.mode = MODES[args.mode]
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
        target = Target(name, "", [], kind="ours", db=database_url.split(":", 1)[0])
        for r in range(replicas):
            port = free_port()
            proc = self.spawn([sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", str(port)],
                              f"{name}-{r}", env)
            target.urls.append(f"http://127.0.0.1:{port}")
            target.procs.append(proc)
        return target

    def start_peer(self, kind: str, name: str, platform: str, database_url: str = "") -> Target:
        """One of benchmarks/throughput_peers.py's apps in its own process."""
        port = free_port()
        argv = [sys.executable, str(PEERS), kind, "--port", str(port), "--api-url", self.fake_url + "/api/"]
        if database_url:
            argv += ["--database", database_url]
        proc = self.spawn(argv, name.replace(" ", "-").replace(",", ""))
        return Target(name, platform, [f"http://127.0.0.1:{port}"], kind="bare" if kind.startswith("bare-slack")
                      else "peer", db=database_url.split(":", 1)[0], procs=[proc])

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
        if not target.replies:
            # Acknowledging is all a bare app does.
            done_at = {i: acked[i] for i in ok_idx}
        else:
            expected = {out["tokens"][i]: sent[i] for i in ok_idx}
            arrived = self.wait_replies(prefix, len(expected), drain=self.mode.drain)
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
        if target.replies:
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
        seconds = self.mode.step
        rate = START_RATE[target.kind]
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
        for _ in range(self.mode.bisections if bad is not None else 0):
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

    def report_step(self, target: Target, r: Result, keep: bool = True, label: str = "") -> None:
        if keep:
            target.steps.append(r)
        reply = "" if not target.replies else f", reply p50 {r.reply_p50 * 1000:.0f} ms p99 {r.reply_p99 * 1000:.0f} ms"
        print(f"  {target.name:<28} {label + ': ' if label else ''}offered {r.rate:6.0f}/s  achieved {r.achieved:6.1f}/s  ack p50 "
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
        peers: dict[str, list[Target]] = {}
        if "slack" in platforms:
            peers["slack"] = [self.start_peer("bare-slack", "bare Bolt (acknowledges)", "slack"),
                              self.start_peer("peer-slack", "plain Bolt, SQLite", "slack",
                                              f"sqlite:///{self.tmp / 'peer.db'}")]
            if pg_ok:
                peers["slack"].append(self.start_peer("peer-slack", "plain Bolt, PostgreSQL", "slack",
                                                      self.pg_database()))
        if "teams" in platforms:
            peers["teams"] = [self.start_peer("bare-teams", "bare Agents SDK (echo)", "teams")]
        for t in [*ours, *(p for ps in peers.values() for p in ps)]:
            for url, proc in zip(t.urls, t.procs, strict=True):
                self.wait_healthy(url, proc, t.name)
        print(f"started in {time.monotonic() - started:.0f} s; load: open loop, fixed rate per step, "
              f"{self.mode.step} s per step; mix 50 % questions (DMs), 25 % Helpful presses, "
              f"25 % poll votes; {self.args.users} people; {os.cpu_count()} CPUs, load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        table: list[Target] = []
        for platform in platforms:
            print(f"\n{platform}:", flush=True)
            for t in self.order(platform, peers[platform], ours):
                if t.kind == "ours":
                    # Steady state: everyone in the pool wrote to the bot once (profiles known and cached).
                    warm = self.step(t, platform, 100.0 if self.args.mode == "quick" else 40.0, 0, warmup=True)
                    if warm.errors:
                        print(f"  {t.name}: warm-up failed ({warm.why}); see the logs in {self.tmp}", flush=True)
                self.search(t, platform)
                if platform == "slack" and t.kind == "ours" and len(t.urls) == 1:
                    time.sleep(1.0)
                    t.ceiling = self.step(t, platform, CEILING_RATE, self.mode.ceiling_step)
                    self.report_step(t, t.ceiling, keep=False, label="5 x Events API ceiling")
                table.append(t)
        self.print_table(table, started)
        return 0

    @staticmethod
    def order(platform: str, peers: list[Target], ours: list[Target]) -> list[Target]:
        """Each of ours right after the peer on its kind of database, so that what else the machine
        does at the time weighs on both sides of a ratio alike."""
        out = [p for p in peers if p.kind == "bare"]
        for o in ours:
            for p in peers:
                if p.kind == "peer" and p not in out and p.db in (o.db, ""):
                    out.append(p)
            out.append(Target(o.name, platform, o.urls, kind="ours", db=o.db, procs=o.procs))
        return out + [p for p in peers if p not in out]

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

    def print_table(self, table: list[Target], started: float) -> None:
        load = os.getloadavg()
        print(f"\nThe highest sustainable open-loop rate: every request acknowledged within {ACK_LIMIT:.0f} s, "
              f"no queue building up (the last quarter of a step waited < min({GROWTH_LIMIT} s, "
              f"{GROWTH_PER_SECOND} s per second of step) longer than the first, for acks and replies), at least "
              f"{SERVED_SHARE:.0%} of the offered rate served, every reply arrived. events/s: acknowledged (bare) "
              f"or acknowledged and answered (peers, ours) per second. CPU: the target's own processes' CPU time "
              f"per event at that rate (not the fake platform's, the load's or PostgreSQL's). ours/peer: ratio "
              f"of the rates to the plain app with the same guarantees on the same kind of database (Slack; "
              f"goal >= 0.5; one replica each) or to the bare Agents SDK bot (Teams); ours/bare: to the app "
              f"that only acknowledges (not a goal). >= marks a rate the load process or --max-rate capped. "
              f"{os.cpu_count()} CPUs, load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        cols = [("platform", 8), ("target", 28), ("rate/s", 7), ("events/s", 8), ("ack p50", 8), ("ack p99", 8),
                ("reply p50", 9), ("reply p99", 9), ("CPU/event", 9), ("ours/peer", 9), ("ours/bare", 9)]

        def row(values: list[str]) -> str:
            return "| " + " | ".join(f"{v:<{w}}" if i < 2 else f"{v:>{w}}"
                                     for i, (v, (_, w)) in enumerate(zip(values, cols, strict=True))) + " |"

        print(row([c for c, _ in cols]))
        print("|" + "|".join("-" * (w + 2) for _, w in cols) + "|")
        for t in table:
            r = t.best
            if r is None:
                print(row([t.platform, t.name] + ["-"] * (len(cols) - 2)) + "  (not sustainable at the lowest rate)")
                continue
            ms = (lambda v: f"{v * 1000:.0f} ms") if t.replies else (lambda v: "")
            print(row([t.platform, t.name, f"{'>= ' if t.capped else ''}{r.rate:.0f}", f"{r.achieved:.1f}",
                       f"{r.ack_p50 * 1000:.0f} ms", f"{r.ack_p99 * 1000:.0f} ms", ms(r.reply_p50), ms(r.reply_p99),
                       f"{r.cpu_ms:.1f} ms", self.ratio(t, table, "peer"), self.ratio(t, table, "bare")]))
        for t in table:
            if t.load_limited:
                print(f"{t.platform}, {t.name}: the load process could not send faster (it started requests late), "
                      f"so its rate is a lower bound and the ratios against it upper bounds.")
        self.print_ceiling(table)
        print(f"\n(ran {time.monotonic() - started:.0f} s; logs in {self.tmp})")

    @staticmethod
    def ratio(t: Target, table: list[Target], kind: str) -> str:
        """ours / the peer of ``kind`` on the same platform (and, for a peer with a database, the same
        kind of database and as many replicas)."""
        if t.kind != "ours" or t.best is None:
            return ""
        for p in table:
            if p.platform == t.platform and p.kind == kind and p.db in (t.db, "") and p.best is not None:
                if len(p.urls) != len(t.urls):
                    return ""  # the peers run one replica
                bound = "<= " if p.capped else ">= " if t.capped else ""
                return f"{bound}{t.best.rate / p.best.rate:.2f}"
        return ""

    def print_ceiling(self, table: list[Target]) -> None:
        checked = [t for t in table if t.ceiling is not None]
        if not checked:
            return
        print(f"\nSlack's Events API delivers at most {EVENTS_API_CEILING_PER_HOUR:,} events an hour to a "
              f"workspace; five times that is {CEILING_RATE:.1f} events/s. One replica, offered that rate (the "
              f"same mix) for {self.mode.ceiling_step:.0f} s; goal: sustainable with the reply p99 under "
              f"{CEILING_REPLY_P99:.0f} s ({os.cpu_count()} CPUs shared with the load, the fake platform and "
              f"the database):")
        for t in checked:
            c = t.ceiling
            fast = c.reply_p99 < CEILING_REPLY_P99
            if c.ok and fast:
                verdict = "met"
            elif c.load_limited and fast:
                # The replica kept up with what it was sent; the load process (or the machine) did not.
                verdict = f"met as far as measured ({c.why})"
            else:
                verdict = "NOT met: " + (c.why or f"reply p99 {c.reply_p99:.2f} s")
            print(f"  {t.name:<28} events/s {c.achieved:5.1f}, reply p50 {c.reply_p50 * 1000:.0f} ms p99 "
                  f"{c.reply_p99 * 1000:.0f} ms, CPU {c.cpu_ms:.1f} ms/event: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--quick", dest="mode", action="store_const", const="quick",
                       help="1.5 s steps, 100 people: about three minutes, the roughest figures")
    modes.add_argument("--full", dest="mode", action="store_const", const="full",
                       help="5 s steps and one more bisection: about ten minutes")
    parser.set_defaults(mode="default")
    parser.add_argument("--pg", default=os.environ.get("AMBASSADOR_TEST_PG",
                                                       "postgresql://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server where the benchmark may create and drop databases")
    parser.add_argument("--only", choices=["slack", "teams"], help="measure one platform")
    parser.add_argument("--users", type=int, help="people sending the load (default 200; 100 with --quick)")
    parser.add_argument("--max-rate", type=float, default=3200, help="stop doubling here")
    parser.add_argument("--serve", choices=["fake"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.users is None:
        args.users = MODES[args.mode].users
    if args.serve == "fake":
        serve_fake(args.port)
        return 0
    bench = Bench(args)
    try:
        return bench.run()
    finally:
        with contextlib.suppress(Exception):
            bench.stop()


if __name__ == "__main__":
    sys.exit(main())
