"""Property-based fuzzing of the two platform endpoints (issue 7), and the bugs it found.

Whatever arrives at ``POST /slack/events`` (signed with the test signing
secret, so it reaches Bolt's and our parsing) and at ``POST /api/messages``
(Teams without authentication, replies going to the local fake connector):

- the app answers below 500; Teams may answer 500 only where the fake
  connector refused the reply (Teams then redelivers, the answer waits in the
  database), and 501 for an invoke the bot offers nothing for (the Agents SDK's
  answer, with a log line saying so);
- nothing logs a traceback (a handler that failed counts, even though the
  person got "something went wrong");
- the database stays consistent: every delivery id has its task, every task
  is done with its text dropped (or, where the platform refused the answer,
  pending with the answer kept), no identity without its person, no stored
  time zone that later code cannot read;
- a plain ``help`` right after still gets its normal answer.

The payloads are valid templates (the shapes tests/test_slack.py and
tests/test_teams.py send) filled from what the handlers know (their action ids
with the values each reads, command words in both languages, users with
every role) and then mutated: keys dropped, values swapped for other JSON
types, huge or unicode-heavy strings, NUL and lone surrogates. Random bytes,
random JSON and wrong content types are fuzzed too. Delivery ids are fresh
for most payloads (so they are not taken for retries) and repeated for some.

One app (Slack and Teams on the same process, as ``ambassador run`` builds
it) serves every example of a test, so what one example stored (a member, a
poll, a crisis report) is input for the next; pytest-asyncio runs each
Hypothesis example on the test's event loop. Generation is derandomized: CI
runs the same examples every time. ``FUZZ_EXAMPLES=1000`` searches longer;
``FUZZ_STATS=1`` (with ``-s``) prints which handlers the examples reached.
One test runs all kinds of request on PostgreSQL where it is reachable.

Each bug the fuzzer found has a small regression test at the end.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import itertools
import json
import logging
import os
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from bot.app import build_core, create_app
from bot.core import Core
from bot.messages import Incoming
from bot.platforms.slack import SlackAdapter
from bot.router import Match
from bot.web import CORE_KEY
from handlers.ask import CAPABILITY as ASK
from handlers.crisis import CAPABILITY as CRISIS
from storage.models import Consent, Identity, InboundTask, Person, ProcessedEvent, utcnow
from tests.conftest import EMPLOYEE_EMAIL, LEAD_EMAIL, make_settings
from tests.fakes.slack import BOT_USER, DELETED, EMPLOYEE, EXTERNAL, GUEST, LEAD, TEAM, FakeSlack
from tests.fakes.teams import BOT_ID as TEAMS_BOT
from tests.fakes.teams import OTHER_TENANT, TENANT, FakeConnector, member

SECRET = "fuzz-signing-secret-0123456789abcdef"
# The shortcut ids the capabilities declare (and the manifests carry).
[(SHORTCUT_CHECK, CHECK_COMMAND)] = [(s.slack, s.teams) for s in ASK.shortcuts]
[(SHORTCUT_REPORT, REPORT_COMMAND)] = [(s.slack, s.teams) for s in CRISIS.shortcuts]
# The whole file runs in about two minutes on two cores with the default; raise
# it for a longer local search.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
HELP_TITLES = ("What I can do for you", "Was ich für dich tun kann", "Was ich für Sie tun kann")
SETTLE_TIMEOUT = 10.0

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    # One app serves all examples of a test on purpose: state left by one
    # example (a joined member, a poll, a crisis) is input for the next.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)

# -- what the handlers know -----------------------------------------------------

# Every action a handler registers; test_the_fuzzer_knows_every_action keeps the list honest.
ACTIONS = [
    "ask.check", "ask.helpful", "ask.unhelpful", "ask.pass",
    "content.approve", "content.reject", "content.shared", "content.declined", "content.freq",
    "content.thanks_off", "content.text",
    "content.form",
    "content.form.submit",
    "crisis.report", "crisis.severity", "crisis.add", "crisis.ack", "crisis.resolve", "crisis.handover",
    "feedback.start", "feedback.submit", "feedback.anonymize",
    "department.confirm", "department.decline",
    "join.start", "join.confirm", "join.cancel",
    "forget.start", "forget.confirm", "forget.cancel",
    "poll.vote", "poll.pick",
    "course.start", "course.answer",
]  # fmt: skip

# The keys buttons carry (handlers read them from Incoming.values).
VALUE_KEYS = [
    "_lang", "notice_version", "i", "d", "l", "f", "a", "q", "r", "ref", "severity", "note", "no_note",
    "to", "value", "poll", "o", "id", "context", "text", "permalink", "_choice", "person", "department",
    "g", "v",
]  # fmt: skip

COMMANDS = [
    "help", "hilfe", "?", "join", "beitreten", "leave", "austreten", "status", "my data", "meine daten",
    "forget me", "vergiss mich", "language de", "language en", "language auto", "sprache xx",
    "timezone Europe/Berlin", "timezone Mars/Olympus", "zeitzone UTC", "quiet hours 20:00-08:00",
    "quiet hours off", "quiet hours 25:99-xx", "department Sales", "department none", "abteilung ???",
    "crisis Video of the truck accident is going viral https://example.com/v", "crisis list",
    "crisis show K-1", "crisis hold truck -- hold it", "crisis lift", "krise",
    "course", "kurs",
    "content", "content list", "content status", "content retire 1", "content approve 1",
    "content add Our new plant title: Hello url: https://example.com/a",
    "nudges weekly", "nudges pause", "erinnerungen biweekly", "thanks off", "thanks public on",
    'poll "Lunch?" Pizza | Pasta --closes 3d', 'poll "Which?" A | B --multi --anonymous --audience members',
    "poll list", "poll results 1", "poll close 1", "poll stop 1", "umfrage", "content reject 1",
    "content thanks preview --names", "thanks on", "nudges biweekly", "crisis resolve K-1 all good",
    "feedback --anonymous more coffee", "feedback --topic AI at work", "feedback list",
    "meeting", "meeting summary It went well", "roles", "role add erik.employee@example.com core",
    "role remove erik.employee@example.com core", "role add nobody@example core Sales",
    "kb gaps", "answer GAP-1 Yes, you may", "rules", "rules photos", "regeln",
    "ask May I post a photo of our prototype?", "Darf ich den Post unserer Karriereseite teilen?",
]  # fmt: skip

SPECIAL_TEXT = [
    "", " ", "\n\t ", "\x00", "a\x00b", "\ud800", "help\udfff", "\u202egnp.exe", "Z\u0335\u0321a\u0336l\u0337g\u0338o",
    "😀" * 50, "ﷺ" * 20, "&lt;@U0BOT&gt; &amp;", "<@U0BOT> help", "<!channel> <#C0GENERAL|general>",
    "<https://example.com|link>", "<at>Ambassador</at> help", "*bold* _it_ ~strike~ `code`",
    "{}", "[]", "null", "NaN", "-1", "1e400", "99999999999999999999999", "%s%n%x", "'; DROP TABLE person; --",
    "../../etc/passwd", "K-" + "9" * 40, "GAP-0", "\u0000help", "HELP", "hElP", "help " * 400,
]  # fmt: skip


def _huge(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


SHORT_TEXT = st.one_of(st.sampled_from(SPECIAL_TEXT[:20]), st.text(max_size=20))


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each about as often as its weight says.

    (st.one_of gives an endless junk space far more than its share, whatever the branches.)
    """
    slots = [i for i, (weight, _) in enumerate(choices) for _ in range(weight)]
    return st.sampled_from(slots).flatmap(lambda i: choices[i][1])


def mostly(
    good: st.SearchStrategy[Any], junk: st.SearchStrategy[Any], odds: int = 6
) -> st.SearchStrategy[Any]:
    """``good`` (odds - 1) times in ``odds``, else ``junk``: most payloads must get past the parsers."""
    return weighted((odds - 1, good), (1, junk))


def odd(values: list[Any]) -> st.SearchStrategy[Any]:
    """One of ``values``, now and then a short junk string instead."""
    return mostly(st.sampled_from(values), SHORT_TEXT)


TEXT = weighted(
    (8, st.sampled_from(COMMANDS)),
    (4, st.builds(lambda w, rest: f"{w} {rest}", st.sampled_from(COMMANDS), st.text(max_size=30))),
    (3, st.sampled_from(SPECIAL_TEXT)),
    (3, st.text(max_size=40)),
    (
        1,
        st.builds(_huge, st.sampled_from(["x", "ä", "😀", "a b\n"]), st.sampled_from([3001, 12_001, 60_000])),
    ),
)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),  # NaN and Infinity too: Python's json writes and reads them
    SHORT_TEXT,
)
JSON_ANY = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Values a handler could meet in a real button: ids, refs, languages, or junk.
BUTTON_SCALAR = st.one_of(
    st.sampled_from(
        [1, 2, 3, 0, -1, "1", "2", "K-1", "de", "en", "1:0", "x", "", True, None, 2**63, "GAP-1"]
    ),
    JSON_LEAF,
    JSON_ANY,
)
BUTTON_VALUES = st.dictionaries(
    mostly(st.sampled_from(VALUE_KEYS), st.text(max_size=6)), BUTTON_SCALAR, max_size=5
)

# What each action's handler reads from the button it was pressed on (beside "_lang").
ACTION_VALUES = {
    "ask.check": ["text"], "ask.helpful": ["a", "q"], "ask.unhelpful": ["a", "q"], "ask.pass": ["a", "q", "r"],
    "content.approve": ["i"], "content.reject": ["i"], "content.shared": ["d", "l"], "content.declined": ["d", "l"],
    "content.freq": ["f", "d"], "content.thanks_off": [], "content.text": ["l", "k"],
    "content.form": ["f"],
    "content.form.submit": ["url", "title", "en", "de", "audience", "from", "until", "image", "rights"],
    "crisis.report": ["text", "permalink"], "crisis.severity": ["ref", "severity"], "crisis.add": ["ref"],
    "crisis.ack": ["ref"], "crisis.resolve": ["ref", "note", "no_note"], "crisis.handover": ["ref", "to", "value"],
    "feedback.start": ["context"], "feedback.submit": ["text", "kind", "name", "context"],
    "feedback.anonymize": ["id"],
    "department.confirm": ["person", "department"], "department.decline": ["person", "department"],
    "join.start": [], "join.confirm": ["notice_version"], "join.cancel": [],
    "forget.start": [], "forget.confirm": [], "forget.cancel": [],
    "poll.vote": ["poll", "o"], "poll.pick": ["value", "poll", "o"],
    "course.start": [], "course.answer": ["g", "o", "v"],
}  # fmt: skip
# Values a real button of ours could carry: the ids and words the handlers expect.
PLAUSIBLE = st.sampled_from([
    1, 2, 3, "1", "2", "K-1", "K-2", "weekly", "biweekly", "pause", "high", "critical", "1:0", "1:1", "2:1",
    "de", "en", "lea.lead@example.com", "erik.employee@example.com", True, "unhelpful", "May I post this?",
])  # fmt: skip
# Numbers JSON carries but no database column holds (Python's json reads NaN and Infinity, too).
EDGE_NUMBERS = st.sampled_from([
    2**63, -(2**63) - 1, 2**80, "99999999999999999999", 1e300, float("inf"), float("-inf"), float("nan"),
    "1:99999999999999999999", -1, 0, 1.5, "1e3",
])  # fmt: skip
# The keys whose values the handlers read as row ids and numbers.
ID_KEYS = {"a", "d", "i", "id", "l", "notice_version", "o", "poll"}
_MISSING = object()


@st.composite
def button(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A pressed button: one of the handlers' actions with the values its handler reads, some of them odd."""
    name = draw(st.sampled_from(ACTIONS))
    values: dict[str, Any] = {}
    for key in [*ACTION_VALUES[name], "_lang"]:
        edges = EDGE_NUMBERS if key in ID_KEYS else BUTTON_SCALAR
        value = draw(weighted((4, PLAUSIBLE), (2, edges), (2, BUTTON_SCALAR), (1, st.just(_MISSING))))
        if value is not _MISSING:
            values[key] = value
    if draw(st.sampled_from([False, False, False, True])):
        values.update(draw(BUTTON_VALUES))
    return name, values


def _paths(doc: Any, frozen: frozenset[str], top: bool = True) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) in a JSON document, the places a mutation may hit."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if top and key in frozen:
                continue
            yield doc, key
            yield from _paths(value, frozen, False)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield doc, i
            yield from _paths(value, frozen, False)


MUTATIONS = ["delete", "none", "json", "text", "wrap", "stringify", "empty", "huge", "number"]


@st.composite
def mutated(
    draw: st.DrawFn, template: dict[str, Any], frozen: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A valid payload with up to three fields broken: the way to get past the parsers into the handlers."""
    doc = copy.deepcopy(template)
    # Half of the payloads stay whole: they go deepest, into the handlers.
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
        places = list(_paths(doc, frozen))
        if not places:
            break
        parent, key = draw(st.sampled_from(places))
        op = draw(st.sampled_from(MUTATIONS))
        if op == "delete":
            del parent[key]
        elif op == "none":
            parent[key] = None
        elif op == "json":
            parent[key] = draw(JSON_ANY)
        elif op == "text":
            parent[key] = draw(TEXT)
        elif op == "wrap":
            parent[key] = [parent[key]]
        elif op == "stringify":
            parent[key] = json.dumps(parent[key])
        elif op == "empty":
            parent[key] = type(parent[key])() if isinstance(parent[key], dict | list | str) else 0
        elif op == "huge":
            parent[key] = _huge("ü", 20_000)
        else:
            parent[key] = draw(st.sampled_from([0, -1, 1.5, 2**64, True]))
    return doc


# -- Slack payloads ---------------------------------------------------------------

SLACK_USERS = [EMPLOYEE, LEAD, GUEST, EXTERNAL, DELETED, BOT_USER, "U0NOBODY", "W0GRID"]
SLACK_USER = mostly(
    st.sampled_from([EMPLOYEE, LEAD, LEAD]), st.sampled_from(SLACK_USERS) | st.text(max_size=10), 3
)
GENERAL = "C0GENERAL"


def dm_of(user: str) -> str:
    return "D" + user[1:]


def _slack_channel(user: str) -> st.SearchStrategy[str]:
    return mostly(
        st.just(dm_of(user)), st.sampled_from([GENERAL, "G0PRIVATE", "D0OTHER"]) | st.text(max_size=10), 3
    )


# Placeholders for delivery ids, filled in when the payload is sent: a fresh one (most payloads
# must not look like a retry of an earlier one), the one sent last (a retry), or junk.
FRESH, REPEAT = "{fresh}", "{repeat}"
DELIVERY_ID = weighted((8, st.just(FRESH)), (1, st.just(REPEAT)), (1, SHORT_TEXT))
SLACK_TS = weighted(
    (4, st.just(FRESH)),
    (
        2,
        st.builds(
            lambda a, b: f"{a}.{b:06d}", st.integers(1_600_000_000, 1_900_000_000), st.integers(0, 999_999)
        ),
    ),
    (1, SHORT_TEXT),
)


@st.composite
def slack_event(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(SLACK_USER)
    ts = draw(SLACK_TS)
    kind = draw(st.sampled_from(["dm"] * 6 + ["mention", "mention", "home", "user_change", "other"]))
    if kind == "dm":
        event: dict[str, Any] = {
            "type": "message",
            "channel": draw(_slack_channel(user)),
            "user": user,
            "text": draw(TEXT),
            "ts": ts,
            "event_ts": ts,
            "channel_type": draw(st.sampled_from(["im"] * 5 + ["channel", "group", "mpim"])),
            "team": TEAM,
        }
        extra = draw(st.sampled_from([None] * 6 + ["subtype", "files", "thread", "bot", "blocks", "edited"]))
        if extra == "subtype":
            event["subtype"] = draw(
                odd(["file_share", "message_changed", "bot_message", "message_deleted", "channel_join"])
            )
        elif extra == "files":
            event["subtype"] = "file_share"
            event["files"] = draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "name": SHORT_TEXT,
                            "mimetype": SHORT_TEXT,
                            "url_private": st.just("https://files.example/x"),
                        }
                    )
                    | JSON_ANY,
                    max_size=3,
                )
            )
        elif extra == "thread":
            event["thread_ts"] = draw(SLACK_TS)
        elif extra == "bot":
            event["bot_id"] = "B0OTHER"
        elif extra == "blocks":
            event["blocks"] = [
                {
                    "type": "rich_text",
                    "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "hi"}]}],
                }
            ]
        elif extra == "edited":
            event["edited"] = {"user": user, "ts": ts}
    elif kind == "mention":
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@{BOT_USER}> " + draw(TEXT),
            "ts": ts,
            "channel": draw(_slack_channel(user)),
            "event_ts": ts,
        }
        if draw(st.booleans()):
            event["thread_ts"] = draw(SLACK_TS)
    elif kind == "home":
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": dm_of(user),
            "tab": draw(odd(["home", "messages", "about"])),
            "event_ts": ts,
        }
    elif kind == "user_change":
        event = {
            "type": "user_change",
            "user": {
                "id": user,
                "team_id": TEAM,
                "deleted": draw(st.booleans()),
                "profile": {"email": draw(st.sampled_from([EMPLOYEE_EMAIL, "x@example.com", ""]))},
            },
            "event_ts": ts,
        }
    else:
        event = {
            "type": draw(
                odd(
                    [
                        "reaction_added",
                        "member_joined_channel",
                        "app_uninstalled",
                        "tokens_revoked",
                        "team_join",
                        "message.channels",
                    ]
                )
            ),
            "user": user,
            "item": {"type": "message", "channel": GENERAL, "ts": ts},
            "event_ts": ts,
        }
    envelope = {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "event": event,
        "type": "event_callback",
        "event_id": draw(DELIVERY_ID),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }
    return draw(mutated(envelope))


def _action_id(raw: str, index: int, style: str) -> str:
    if style == "indexed":
        return f"{raw}:{index}"
    if style == "link":
        return f"_link:{index}"
    return raw


ACTION_ID = mostly(
    st.builds(
        _action_id,
        st.sampled_from(ACTIONS),
        st.integers(0, 30),
        st.sampled_from(["indexed", "indexed", "bare", "link"]),
    ),
    SHORT_TEXT,
)


@st.composite
def slack_action(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(odd(["button", "button", "static_select", "overflow", "datepicker"]))
    name, values = draw(button())
    # Block Kit action ids carry the element's index (blockkit._button); link buttons their own prefix.
    action_id = draw(
        weighted(
            (6, st.just(f"{name}:{draw(st.integers(0, 30))}")),
            (1, st.just(name)),
            (1, st.just("_link:0")),
            (1, ACTION_ID),
        )
    )
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": "b1",
        "type": kind,
        "action_ts": draw(DELIVERY_ID),
    }
    if kind == "static_select" or draw(st.sampled_from([False, False, False, True])):
        option = draw(mostly(st.builds(str, PLAUSIBLE), SHORT_TEXT, 3))
        action["selected_option"] = {"text": {"type": "plain_text", "text": "x"}, "value": option}
    else:
        action["value"] = draw(mostly(st.just(json.dumps(values)), SHORT_TEXT | JSON_ANY.map(json.dumps), 5))
    return action


@st.composite
def slack_interaction(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(SLACK_USER)
    channel = draw(_slack_channel(user))
    ts = draw(SLACK_TS)
    who = {"id": user, "username": "someone", "name": "someone", "team_id": TEAM}
    kind = draw(
        odd(
            [
                "block_actions",
                "block_actions",
                "block_actions",
                "message_action",
                "message_action",
                "view_submission",
                "shortcut",
                "view_closed",
                "block_suggestion",
                "interactive_message",
            ]
        )
    )
    payload: dict[str, Any]
    if kind == "block_actions":
        view = draw(st.booleans()) and draw(st.booleans())
        container = (
            {"type": "view", "view_id": "V0HOME"}
            if view
            else {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": draw(st.booleans()),
            }
        )
        payload = {
            "type": "block_actions",
            "user": who,
            "api_app_id": "A0APP",
            "token": "legacy",
            "container": container,
            "trigger_id": draw(DELIVERY_ID),
            "team": {"id": TEAM, "domain": "example"},
            "actions": draw(st.lists(slack_action(), min_size=1, max_size=3)),
            "state": {
                "values": draw(
                    st.dictionaries(SHORT_TEXT, st.dictionaries(SHORT_TEXT, JSON_ANY, max_size=2), max_size=2)
                )
            },
        }
        if not view:
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = {
                "type": "message",
                "ts": ts,
                "text": "...",
                "thread_ts": draw(st.none() | SLACK_TS),
            }
    elif kind == "message_action":
        payload = {
            "type": "message_action",
            "callback_id": draw(odd([SHORTCUT_CHECK, SHORTCUT_REPORT, SHORTCUT_REPORT])),
            "trigger_id": draw(DELIVERY_ID),
            "action_ts": draw(DELIVERY_ID),
            "message_ts": ts,
            "team": {"id": TEAM, "domain": "example"},
            "user": who,
            "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", "user": draw(SLACK_USER), "text": draw(TEXT), "ts": ts},
            "response_url": "https://hooks.example/none",
        }
    elif kind == "view_submission":
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "example"},
            "user": who,
            "trigger_id": draw(DELIVERY_ID),
            "view": {
                "id": "V0MODAL",
                "type": "modal",
                "callback_id": draw(SHORT_TEXT),
                "private_metadata": draw(SHORT_TEXT),
                "state": {"values": {"b1": {"a1": {"type": "plain_text_input", "value": draw(TEXT)}}}},
            },
        }
    else:
        payload = {
            "type": kind,
            "callback_id": draw(SHORT_TEXT),
            "action_id": draw(ACTION_ID),
            "value": draw(SHORT_TEXT),
            "user": who,
            "team": {"id": TEAM, "domain": "example"},
            "trigger_id": draw(DELIVERY_ID),
            "view": {"id": "V0MODAL", "type": "modal", "callback_id": draw(SHORT_TEXT)},
        }
    return draw(mutated(payload))


@st.composite
def slack_command(draw: st.DrawFn) -> list[tuple[str, str]]:
    user = draw(SLACK_USER)
    channel = draw(_slack_channel(user))
    form = {
        "token": "legacy",
        "team_id": TEAM,
        "team_domain": "example",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "general",
        "user_id": user,
        "user_name": "someone",
        "command": draw(odd(["/ambassador", "/ambassador", "/botschafter"])),
        "text": draw(TEXT),
        "api_app_id": "A0APP",
        "response_url": "https://hooks.example/none",
        "trigger_id": draw(DELIVERY_ID),
    }
    for _ in range(draw(st.integers(0, 2))):
        op = draw(st.sampled_from(["delete", "text", "empty"]))
        key = draw(st.sampled_from(sorted(form)))
        if op == "delete":
            form.pop(key, None)
        elif op == "text":
            form[key] = draw(TEXT)
        else:
            form[key] = ""
    pairs = list(form.items())
    if draw(st.booleans()) and draw(st.booleans()):
        pairs.append((draw(odd(["text", "user_id", "command"])), draw(TEXT)))
    return pairs


CONTENT_TYPES = st.sampled_from([
    "application/json", "application/x-www-form-urlencoded", "text/plain", "", "application/xml",
    "multipart/form-data; boundary=xyz", "application/json; charset=latin-1", "application/json; charset=nonsense",
    "application/x-www-form-urlencoded; charset=utf-16", "application/json; charset=utf-8",
])  # fmt: skip


@st.composite
def slack_raw(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(
        st.sampled_from(["bytes", "json", "form_payload", "url_verification", "ssl_check", "unknown_type"])
    )
    if kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "json":
        body = json.dumps(draw(JSON_ANY)).encode()
    elif kind == "form_payload":
        payload = draw(st.one_of(JSON_ANY.map(json.dumps), SHORT_TEXT))
        body = urlencode({"payload": payload}, errors="surrogatepass").encode()
    elif kind == "url_verification":
        body = json.dumps(
            draw(mutated({"token": "x", "challenge": "c-123", "type": "url_verification"}))
        ).encode()
    elif kind == "ssl_check":
        body = urlencode({"ssl_check": "1", "token": "x"}).encode()
    else:
        body = json.dumps({"type": draw(SHORT_TEXT), "team_id": TEAM, "event": draw(JSON_ANY)}).encode()
    return body, draw(CONTENT_TYPES)


# -- Teams activities ---------------------------------------------------------------

T_EMPLOYEE = "29:erik-employee"
T_LEAD = "29:lea-lead"
T_GUEST = "29:gustav-guest"
T_OUTSIDER = "29:olga-outsider"
TEAMS_MEMBERS = {
    T_EMPLOYEE: member(T_EMPLOYEE, "Erik Employee", EMPLOYEE_EMAIL),
    T_LEAD: member(T_LEAD, "Lea Lead", LEAD_EMAIL),
    T_GUEST: member(T_GUEST, "Gustav Gast", "gustav@partner.example", role="guest"),
    T_OUTSIDER: member(T_OUTSIDER, "Olga Outsider", "olga@other.example", tenant=OTHER_TENANT),
}
TEAMS_USER = mostly(
    st.sampled_from([T_EMPLOYEE, T_LEAD, T_LEAD]),
    st.sampled_from([*TEAMS_MEMBERS, "29:nobody", TEAMS_BOT]) | st.text(max_size=10),
    3,
)
TEAMS_CHANNEL = "19:general@thread.tacv2;messageid=1700000000001"
# Placeholders for the fake connector's address, known only once it runs.
SERVICE, REFUSING = "{service}", "{refusing}"
SERVICE_URL = mostly(
    st.just(SERVICE), st.sampled_from([REFUSING, REFUSING, "ftp://nowhere", "", None, 42]), 8
)


def personal(user: str) -> str:
    return f"a:personal-{user}"


def _mention(name: str = "Ambassador", bot: bool = True) -> dict[str, Any]:
    return {
        "type": "mention",
        "text": f"<at>{name}</at>",
        "mentioned": {"id": TEAMS_BOT if bot else "29:x", "name": name},
    }


@st.composite
def card_value(draw: st.DrawFn) -> dict[str, Any]:
    action, values = draw(mostly(button(), st.tuples(ACTION_ID, BUTTON_VALUES), 5))
    value = {**values, "action": action}
    if draw(st.booleans()) and draw(st.booleans()):
        # A ChoiceSet submit: the picked option under the input's id.
        value["_choice"] = value["action"]
        value[value["action"]] = draw(odd(["1:0", "1:1", "2:0", "3:1"]))
    if draw(st.booleans()) and draw(st.booleans()):
        value["msteams"] = {"type": "messageBack", "text": draw(SHORT_TEXT)}
    return value


# Invokes the bot answers; the Agents SDK (and the bot, for a named one) answers any other with 501.
HANDLED_INVOKES = (None, "composeExtension/fetchTask", "composeExtension/submitAction")
INVOKE_NAMES = [
    None, None, None, "composeExtension/fetchTask", "composeExtension/fetchTask", "composeExtension/fetchTask",
    "composeExtension/submitAction", "composeExtension/submitAction",
    "adaptiveCard/action", "task/fetch", "task/submit", "composeExtension/query", "signin/verifyState",
    "fileConsent/invoke", "actionableMessage/executeAction", "healthCheck", "config/fetch",
]  # fmt: skip


@st.composite
def message_action_value(draw: st.DrawFn) -> dict[str, Any]:
    value: dict[str, Any] = {
        "commandId": draw(odd([CHECK_COMMAND, REPORT_COMMAND, REPORT_COMMAND])),
        "commandContext": "message",
        "messagePayload": {
            "id": draw(SHORT_TEXT),
            "body": {"contentType": draw(odd(["html", "text"])), "content": draw(TEXT)},
            "linkToMessage": draw(odd(["https://teams.microsoft.com/l/message/19:x/1"])),
        },
    }
    if draw(st.booleans()) and draw(st.booleans()):
        value["data"] = draw(card_value())
    return value


@st.composite
def teams_activity(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(TEAMS_USER)
    conversation_type = draw(odd(["personal"] * 4 + ["channel", "groupChat"]))
    conversation = personal(user) if conversation_type == "personal" else TEAMS_CHANNEL
    if draw(st.sampled_from([False] * 7 + [True])):
        conversation = draw(SHORT_TEXT)
    body: dict[str, Any] = {
        "id": draw(DELIVERY_ID),
        "timestamp": "2026-03-02T09:00:00.000Z",
        "serviceUrl": draw(SERVICE_URL),
        "channelId": draw(odd(["msteams", "msteams", "emulator", "webchat"])),
        "from": {"id": user, "name": "Someone", "aadObjectId": f"aad-{user}"},
        "recipient": {"id": TEAMS_BOT, "name": "Ambassador"},
        "conversation": {
            "id": conversation,
            "conversationType": conversation_type,
            "tenantId": TENANT,
            "isGroup": conversation_type != "personal",
        },
        "locale": draw(odd(["en-US", "de-DE", "de", "xx-YY", ""])),
        "localTimezone": draw(odd(["Europe/Berlin", "America/New_York", "Mars/Olympus", ""])),
        "channelData": {"tenant": {"id": TENANT}},
    }
    if conversation_type == "channel":
        body["channelData"].update(
            team={"id": "19:team@thread.tacv2", "name": "Everyone"},
            channel={"id": "19:general@thread.tacv2", "name": "General"},
        )
    kind = draw(
        st.sampled_from(
            ["message"] * 4
            + ["submit"] * 3
            + ["invoke"] * 2
            + ["conversationUpdate", "installationUpdate", "other"]
        )
    )
    if kind == "message":
        mention = draw(st.booleans())
        body.update(
            type="message",
            text=("<at>Ambassador</at> " if mention else "") + draw(TEXT),
            textFormat=draw(st.sampled_from(["plain", "markdown", "xml"])),
        )
        if mention or draw(st.booleans()):
            body["entities"] = draw(
                st.lists(
                    st.sampled_from(
                        [
                            _mention(),
                            _mention("Erik", bot=False),
                            {"type": "clientInfo", "locale": "en-US", "timezone": "Europe/Berlin"},
                        ]
                    )
                    | st.dictionaries(SHORT_TEXT, JSON_ANY, max_size=3),
                    max_size=3,
                )
            )
        if draw(st.booleans()) and draw(st.booleans()):
            body["attachments"] = draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "contentType": odd(
                                [
                                    "application/vnd.microsoft.teams.file.download.info",
                                    "text/html",
                                    "image/png",
                                ]
                            ),
                            "content": JSON_ANY,
                            "contentUrl": st.just("https://files.example/f"),
                            "name": SHORT_TEXT,
                        }
                    ),
                    max_size=3,
                )
            )
    elif kind == "submit":
        body.update(type="message", value=draw(mostly(card_value(), JSON_ANY)), replyToId=draw(SHORT_TEXT))
    elif kind == "invoke":
        name = draw(odd(INVOKE_NAMES))
        if name in ("composeExtension/fetchTask", "composeExtension/submitAction"):
            value: Any = draw(message_action_value())
        elif name == "adaptiveCard/action":
            value = {
                "action": {"type": "Action.Execute", "verb": draw(SHORT_TEXT), "data": draw(card_value())},
                "trigger": "manual",
            }
        else:
            value = draw(card_value() | JSON_ANY)
        body.update(type="invoke", value=value)
        if name is not None:
            body["name"] = name
    elif kind == "conversationUpdate":
        members = st.lists(st.fixed_dictionaries({"id": TEAMS_USER, "name": SHORT_TEXT}), max_size=3)
        body.update(type="conversationUpdate")
        body[draw(st.sampled_from(["membersAdded", "membersRemoved"]))] = draw(members)
        body["channelData"]["eventType"] = draw(
            odd(
                [
                    "teamMemberRemoved",
                    "teamMemberAdded",
                    "channelCreated",
                    "channelRenamed",
                    "teamRenamed",
                    "channelDeleted",
                    "teamArchived",
                ]
            )
        )
    elif kind == "installationUpdate":
        body.update(type="installationUpdate", action=draw(odd(["add", "remove", "add-upgrade"])))
    else:
        body.update(
            type=draw(
                odd(
                    [
                        "messageReaction",
                        "event",
                        "typing",
                        "endOfConversation",
                        "messageUpdate",
                        "messageDelete",
                        "trace",
                    ]
                )
            ),
            name=draw(SHORT_TEXT),
            value=draw(JSON_ANY),
            reactionsAdded=[{"type": "like"}],
        )
    return draw(mutated(body, frozen=frozenset({"serviceUrl"})))


@st.composite
def teams_raw(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["bytes", "json", "almost"]))
    if kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "json":
        body = json.dumps(draw(JSON_ANY)).encode()
    else:
        body = json.dumps(
            {
                "type": draw(SHORT_TEXT),
                "serviceUrl": SERVICE,
                "conversation": draw(JSON_ANY),
                "from": draw(JSON_ANY),
            }
        ).encode()
    return body, draw(CONTENT_TYPES)


# -- the app under fuzzing -------------------------------------------------------------


class RecordingConnector(FakeConnector):
    """The fake connector, counting the replies it refused (the only reason for a Teams 500)."""

    refused: int = 0

    async def start(self) -> RecordingConnector:
        @web.middleware
        async def count_refusals(request: web.Request, handler: Any) -> web.StreamResponse:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                if request.method in ("POST", "PUT"):
                    self.refused += 1
                raise exc
            if request.method in ("POST", "PUT") and response.status >= 400:
                self.refused += 1
            return response

        app = web.Application(middlewares=[count_refusals])
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._post_activity)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._post_activity
        )
        app.router.add_put(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._update_activity
        )
        app.router.add_get("/v3/conversations/{conversation_id}/members/{user_id}", self._member)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()
        return self

    @property
    def refusing_url(self) -> str:
        # Every request under it is refused (404), as Teams does for a conversation that is gone.
        return self.url + "refuse/"


class ProxiedSlack(FakeSlack):
    """The fake Slack as seen through a proxy, which may answer a method with a page of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.proxy_pages: dict[str, tuple[str, str]] = {}  # method -> (content type, body), with a 502

    async def _api(self, request: web.Request) -> web.Response:
        page = self.proxy_pages.get(request.match_info["method"])
        if page is not None:
            return web.Response(status=502, body=page[1].encode(), content_type=page[0])
        return await super()._api(request)


class _Errors(logging.Handler):
    """Warnings and errors of one example: errors may be bugs, warnings explain a failed check."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _bug(record: logging.LogRecord) -> bool:
    """A log record that means the code broke (not a handled delivery failure)."""
    if record.levelno < logging.ERROR or record.name == "aiohttp.server":
        # aiohttp.server: the fake servers log there too, and an error in the app's own handler is a 500.
        return False
    if record.exc_info:
        return True
    if record.name.startswith("microsoft_agents.hosting.core.connector"):
        return False  # the SDK's connector client logs each refused call; the adapter handles them
    return record.name.split(".")[0] in ("slack_bolt", "asyncio", "microsoft_agents")


def signed(body: bytes, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    # Over the bytes (the SDK's helper wants UTF-8): invalid UTF-8 must reach the app signed, too.
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    signature = f"v0={digest}"
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


class Fuzzed:
    """The running app with its two fake platforms, and the checks every example ends with."""

    def __init__(
        self, client: TestClient, slack: ProxiedSlack, connector: RecordingConnector, errors: _Errors
    ) -> None:
        self.client = client
        self.slack = slack
        self.connector = connector
        self.errors = errors
        self.delivery_may_fail = False
        self.statuses: dict[int, int] = {}
        # How far the core's clock is ahead of the wall clock (see a_minute_later()).
        self.shift = timedelta(0)
        self.task_floor = 0
        self.ids = itertools.count(1)
        self.routes: Counter[tuple[str, str, str | None]] = Counter()
        self.last_id = "0"

    def __repr__(self) -> str:
        # Hypothesis prints the arguments of a failing example: the app is not one of them.
        return f"<the app; statuses so far {self.statuses}>"

    @property
    def core(self) -> Core:
        return self.client.app[CORE_KEY]

    @property
    def slack_adapter(self) -> SlackAdapter:
        adapter = self.core.senders["slack"]
        assert isinstance(adapter, SlackAdapter)
        return adapter

    # -- sending --------------------------------------------------------------

    async def to_slack(self, body: bytes, content_type: str) -> int:
        response = await self.client.post("/slack/events", data=body, headers=signed(body, content_type))
        text = await response.text()
        self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        assert response.status < 500, (response.status, text[:500], body[:2000])
        await self.settled()
        return response.status

    def filled(self, doc: Any) -> Any:
        """The payload with its placeholders filled: delivery ids, the fake connector's address."""
        if isinstance(doc, dict):
            return {self.filled(k): self.filled(v) for k, v in doc.items()}
        if isinstance(doc, list):
            return [self.filled(v) for v in doc]
        if doc == FRESH:
            self.last_id = f"{int(time.time())}.{next(self.ids):06d}"
            return self.last_id
        if doc == REPEAT:
            return self.last_id
        if doc == SERVICE:
            return self.connector.url
        if doc == REFUSING:
            return self.connector.refusing_url
        return doc

    async def slack_json(self, payload: Any) -> int:
        return await self.to_slack(json.dumps(self.filled(payload)).encode(), "application/json")

    async def slack_form(self, pairs: list[tuple[str, str]]) -> int:
        pairs = [(k, self.filled(v)) for k, v in pairs]
        # A lone surrogate goes out as the bytes it would have in CESU-8: invalid UTF-8 for the app to meet.
        body = urlencode(pairs, errors="surrogatepass").encode()
        return await self.to_slack(body, "application/x-www-form-urlencoded")

    async def to_teams(self, body: bytes, content_type: str) -> int:
        try:
            activity = json.loads(body)
        except ValueError:
            activity = None
        refused = self.connector.refused
        headers = {"Content-Type": content_type} if content_type else {}
        response = await self.client.post("/api/messages", data=body, headers=headers)
        text = await response.text()
        self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        platform_refused = self.connector.refused > refused
        if platform_refused:
            # The reply could not be delivered: the answer waits in the database for recovery.
            self.delivery_may_fail = True
        if response.status == 501:
            # The answer to an invoke the bot does not implement (a task module, a search).
            assert isinstance(activity, dict) and activity.get("type") == "invoke", (text[:500], body[:2000])
            # A nameless invoke is a card's submit only in Teams itself.
            assert activity.get("name") not in HANDLED_INVOKES or activity.get("channelId") != "msteams", (
                text[:500],
                body[:2000],
            )
        elif response.status >= 500:
            assert response.status == 500 and platform_refused, (response.status, text[:500], body[:2000])
        return response.status

    async def teams_json(self, activity: Any) -> int:
        return await self.to_teams(json.dumps(self.filled(activity)).encode(), "application/json")

    # -- checks ----------------------------------------------------------------

    async def begin(self) -> None:
        """A new example: what a failed one left behind is not blamed on this one."""
        self.errors.records.clear()
        async with self.core.db.session() as s:
            self.task_floor = (await s.exec(select(func.max(InboundTask.id)))).one() or 0

    async def settled(self) -> None:
        """Until Bolt's after-the-acknowledgement work is done."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            busy = [
                t
                for t in asyncio.all_tasks()
                if not t.done()
                and "run_ack_function_asynchronously" in getattr(t.get_coro(), "__qualname__", "")
            ]
            if not busy and not self.slack_adapter._inflight:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"Slack work still running after {SETTLE_TIMEOUT} s: {busy}")
            await asyncio.sleep(0.005)

    async def check(self) -> None:
        """The app's state after an example: no traceback, nothing half-written, help still works."""
        bugs = [r for r in self.errors.records if _bug(r)]
        allowed = [r for r in bugs if r.getMessage() == "Teams turn failed" and self.delivery_may_fail]
        bugs = [r for r in bugs if r not in allowed]
        assert not bugs, self.warnings() + "\n".join(
            f"{r.name}: {r.getMessage()}\n{logging.Formatter().formatException(r.exc_info) if r.exc_info else ''}"
            for r in bugs
        )
        await self.consistent()
        self.errors.records.clear()

    def warnings(self) -> str:
        return "".join(
            f"{r.name}: {r.getMessage()} {getattr(r, 'error', '')}\n"
            for r in self.errors.records
            if r.levelno < logging.ERROR
        )

    async def consistent(self) -> None:
        async with self.core.db.session() as s:
            events = (await s.exec(select(ProcessedEvent.key))).all()
            tasks = (await s.exec(select(InboundTask).where(InboundTask.id > self.task_floor))).all()
            identities = (await s.exec(select(Identity))).all()
            people = (await s.exec(select(Person))).all()
            keys = (await s.exec(select(InboundTask.platform, InboundTask.event_key))).all()
        task_keys = {key for _, key in keys if key}
        orphans = [k for k in events if k not in task_keys]
        assert not orphans, f"delivery ids without their task: {orphans[:5]}"
        failed = [
            (t.id, self.core.settings.key.unseal(t.payload).get("source"),
             self.core.settings.key.unseal(t.payload).get("action_id"), t.error)
            for t in tasks
            if t.status == "failed"
        ]
        assert not failed, f"a handler failed: {failed}"
        for t in tasks:
            if t.status == "pending":
                # Only an answer the platform refused waits, kept whole for recovery.
                assert self.delivery_may_fail and t.error == "delivery failed" and "replies" in self.core.settings.key.unseal(t.payload), (
                    t.id,
                    t.error,
                    self.warnings(),
                )
            else:
                assert t.status == "done" and t.payload == {}, (t.id, t.status)
        person_ids = {p.id for p in people}
        dangling = [(i.platform, i.user_id) for i in identities if i.person_id not in person_ids]
        assert not dangling, f"identities without a person: {dangling}"
        for p in people:
            if p.timezone:
                try:
                    ZoneInfo(p.timezone)
                except (ZoneInfoNotFoundError, ValueError) as exc:
                    raise AssertionError(
                        f"a person's stored time zone is unreadable: {p.timezone!r}"
                    ) from exc

    def a_minute_later(self) -> None:
        # The fuzzer writes as few people far faster than anyone types: a minute later
        # the per-person rate limit (if any) has forgotten the flood, as it would for a person.
        self.shift += timedelta(minutes=1, seconds=1)

    async def slack_says(self, payload: Any, *, form: bool = False) -> tuple[int, list[str]]:
        """Send to Slack; the status and what the employee's DM received (fallback texts)."""
        before = len(self.slack.replies())
        if form:
            status = await self.slack_form([("payload", json.dumps(self.filled(payload)))])
        else:
            status = await self.slack_json(payload)
        return status, [
            r.get("text", "") for r in self.slack.replies()[before:] if r.get("channel") == dm_of(EMPLOYEE)
        ]

    async def teams_says(self, activity: Any) -> tuple[int, list[str]]:
        """Send to Teams; the status and what the employee's personal chat received (all its text)."""
        before = len(self.connector.posted)
        status = await self.teams_json(activity)
        return status, [
            p.all_text() for p in self.connector.posted[before:] if p.conversation_id == personal(T_EMPLOYEE)
        ]

    async def slack_help(self) -> None:
        self.a_minute_later()
        status, answers = await self.slack_says(slack_dm("help"))
        assert status == 200
        assert any(title in answer for answer in answers for title in HELP_TITLES), answers
        await self.check()

    async def teams_help(self) -> None:
        self.a_minute_later()
        status, answers = await self.teams_says(teams_message("help"))
        assert status in (200, 201, 202)
        assert any(title in answer for answer in answers for title in HELP_TITLES), answers
        await self.check()


def slack_dm(text: str, **event: Any) -> dict[str, Any]:
    """The employee's direct message to the bot, as Slack's Events API sends it."""
    ts = f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"
    return {
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "type": "event_callback",
        "event_id": FRESH,
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel": dm_of(EMPLOYEE),
            "user": EMPLOYEE,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
            "team": TEAM,
            **event,
        },
    }


def teams_message(text: str, **fields: Any) -> dict[str, Any]:
    """The employee's message in their personal chat with the bot, as Teams sends it."""
    return {
        "type": "message",
        "id": FRESH,
        "serviceUrl": SERVICE,
        "channelId": "msteams",
        "from": {"id": T_EMPLOYEE, "name": "Erik Employee"},
        "recipient": {"id": TEAMS_BOT, "name": "Ambassador"},
        "conversation": {"id": personal(T_EMPLOYEE), "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-US",
        "text": text,
        **fields,
    }


@asynccontextmanager
async def running(tmp_path: Path, database_url: str | None = None) -> AsyncIterator[Fuzzed]:
    """The app as ``ambassador run`` builds it, Slack and Teams on one process, with both fakes."""
    slack = await ProxiedSlack().start()
    connector = await RecordingConnector(users=dict(TEAMS_MEMBERS)).start()
    settings_ = make_settings(
        tmp_path,
        database_url,
        SLACK_BOT_TOKEN="xoxb-fuzz-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.url,
        TEAMS_ALLOW_UNAUTHENTICATED="1",
    )
    # A "meeting report" from the fuzzer writes its files here, not into the checkout.
    settings_.app.meetings = {**(settings_.app.meetings or {}), "report_dir": str(tmp_path / "reports")}
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    client = TestClient(TestServer(create_app(settings_, background=False), host="127.0.0.1", port=0))
    try:
        await client.start_server()
        fuzzed = Fuzzed(client, slack, connector, errors)
        fuzzed.core.clock = lambda: utcnow() + fuzzed.shift
        match = fuzzed.core.router.match

        def counting(incoming: Incoming) -> Match | None:
            found = match(incoming)
            fuzzed.routes[(incoming.platform, incoming.source, found.route.name if found else None)] += 1
            return found

        fuzzed.core.router.match = counting  # type: ignore[method-assign]
        yield fuzzed
        if os.environ.get("FUZZ_STATS"):
            # How deep the examples got: which handlers they reached, what the app answered.
            print(f"\nstatuses: {fuzzed.statuses}")
            print(f"routes reached: {sorted(fuzzed.routes.items(), key=lambda kv: -kv[1])}")
    finally:
        await client.close()
        logging.getLogger().removeHandler(errors)
        await connector.close()
        await slack.close()


@pytest.fixture
async def fuzzed(tmp_path: Path) -> AsyncIterator[Fuzzed]:
    async with running(tmp_path) as app:
        yield app


@pytest.fixture
async def fuzzed_pg(tmp_path: Path, pg_url: str) -> AsyncIterator[Fuzzed]:
    async with running(tmp_path, pg_url) as app:
        yield app


# -- the properties ---------------------------------------------------------------------


@FUZZ
@given(payload=slack_event())
async def test_slack_events_api_envelopes(fuzzed: Fuzzed, payload: dict[str, Any]):
    await fuzzed.begin()
    await fuzzed.slack_json(payload)
    await fuzzed.check()
    await fuzzed.slack_help()


@FUZZ
@given(payload=slack_interaction())
async def test_slack_interactions(fuzzed: Fuzzed, payload: dict[str, Any]):
    await fuzzed.begin()
    await fuzzed.slack_form([("payload", json.dumps(fuzzed.filled(payload)))])
    await fuzzed.check()
    await fuzzed.slack_help()


@FUZZ
@given(form=slack_command())
async def test_slack_slash_commands(fuzzed: Fuzzed, form: list[tuple[str, str]]):
    await fuzzed.begin()
    await fuzzed.slack_form(form)
    await fuzzed.check()
    await fuzzed.slack_help()


@FUZZ
@given(raw=slack_raw())
async def test_slack_raw_bodies(fuzzed: Fuzzed, raw: tuple[bytes, str]):
    await fuzzed.begin()
    await fuzzed.to_slack(*raw)
    await fuzzed.check()
    await fuzzed.slack_help()


@FUZZ
@given(activity=teams_activity())
async def test_teams_activities(fuzzed: Fuzzed, activity: dict[str, Any]):
    await fuzzed.begin()
    await fuzzed.teams_json(activity)
    await fuzzed.check()
    await fuzzed.teams_help()


@FUZZ
@given(raw=teams_raw())
async def test_teams_raw_bodies(fuzzed: Fuzzed, raw: tuple[bytes, str]):
    body, content_type = raw
    await fuzzed.begin()
    await fuzzed.to_teams(body.replace(SERVICE.encode(), fuzzed.connector.url.encode()), content_type)
    await fuzzed.check()
    await fuzzed.teams_help()


# Every kind of request above, for the run on PostgreSQL (NUL characters, integer ranges,
# text lengths: where PostgreSQL is stricter than SQLite).
ANY_REQUEST = st.one_of(
    st.tuples(st.just("slack_event"), slack_event()),
    st.tuples(st.just("slack_interaction"), slack_interaction()),
    st.tuples(st.just("slack_command"), slack_command()),
    st.tuples(st.just("teams"), teams_activity()),
)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 2))
@given(request=ANY_REQUEST)
async def test_both_platforms_on_postgresql(fuzzed_pg: Fuzzed, request: tuple[str, Any]):
    kind, payload = request
    await fuzzed_pg.begin()
    if kind == "slack_event":
        await fuzzed_pg.slack_json(payload)
    elif kind == "slack_interaction":
        await fuzzed_pg.slack_form([("payload", json.dumps(fuzzed_pg.filled(payload)))])
    elif kind == "slack_command":
        await fuzzed_pg.slack_form(payload)
    else:
        await fuzzed_pg.teams_json(payload)
    await fuzzed_pg.check()
    await (fuzzed_pg.teams_help() if kind == "teams" else fuzzed_pg.slack_help())


def test_the_fuzzer_knows_every_action(tmp_path: Path):
    core = build_core(make_settings(tmp_path))
    assert sorted(core.router.actions) == sorted(ACTIONS)


# -- regressions: each a bug the fuzzer found ---------------------------------------------


def _click(action: dict[str, Any]) -> dict[str, Any]:
    """A block_actions payload: the employee pressed something on a message in their DM."""
    return {
        "type": "block_actions",
        "user": {"id": EMPLOYEE, "team_id": TEAM},
        "team": {"id": TEAM},
        "trigger_id": FRESH,
        "channel": {"id": dm_of(EMPLOYEE)},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": dm_of(EMPLOYEE)},
        "actions": [{"type": "button", "action_ts": FRESH, **action}],
    }


async def test_nul_and_lone_surrogates_reach_the_handlers_cleaned(fuzzed: Fuzzed):
    # Valid JSON escapes that no database column takes: the first insert failed, Slack got a 500.
    await fuzzed.begin()
    payload = slack_dm("he\x00lp \ud800", team="T0\udfff")
    del payload["team_id"]
    status, answers = await fuzzed.slack_says(payload)
    assert status == 200
    assert any("What I can do for you" in a for a in answers), answers
    status, answers = await fuzzed.teams_says(teams_message("\x00help \udc00"))
    assert status in (200, 201, 202)
    assert any("What I can do for you" in a for a in answers), answers
    await fuzzed.check()
    async with fuzzed.core.db.session() as s:
        teams = (await s.exec(select(Identity.team_id).where(Identity.platform == "slack"))).all()
    assert teams == ["T0\ufffd"]


async def test_a_slack_body_in_a_charset_python_does_not_know_gets_400(fuzzed: Fuzzed):
    assert await fuzzed.to_slack(b'{"type": "event_callback"}', "application/json; charset=nonsense") == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "interactive_message", "callback_id": "x", "user": {"id": EMPLOYEE}},
        {"type": "view_submission", "view": {"id": "V1", "callback_id": "x"}, "user": {"id": EMPLOYEE}},
        {"type": "workflow_step_edit", "callback_id": "x", "user": {"id": EMPLOYEE}},
        {"type": "block_suggestion", "action_id": [1], "user": {"id": EMPLOYEE}},
        {"type": "something_new", "view": None, "user": {"id": EMPLOYEE}},
        {"command": False},
    ],
    ids=[
        "interactive-message-without-actions",
        "view-without-type",
        "step-edit-without-step",
        "suggestion-with-a-list-for-id",
        "null-view",
        "command-that-is-no-string",
    ],
)
async def test_slack_payloads_bolt_cannot_read_get_400_not_500(fuzzed: Fuzzed, payload: dict[str, Any]):
    # Bolt extracts every payload kind for every listener it tries, and describes one no listener
    # takes in a warning; these failed there.
    await fuzzed.begin()
    assert (await fuzzed.slack_says(payload, form=True))[0] == 400
    await fuzzed.check()


async def test_a_slack_shortcut_without_a_user_is_acknowledged_and_nothing_is_kept(fuzzed: Fuzzed):
    # It was accepted with user "" and then could never be answered: a task pending for ever.
    await fuzzed.begin()
    status, _ = await fuzzed.slack_says(
        {
            "type": "message_action",
            "callback_id": SHORTCUT_CHECK,
            "trigger_id": FRESH,
            "user": {"id": ""},
            "team": {"id": TEAM},
            "message": {"text": "May I post this?", "ts": "1.2"},
            "channel": {"id": GENERAL},
        },
        form=True,
    )
    assert status == 200
    async with fuzzed.core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(InboundTask))).one() == 0
    await fuzzed.check()


async def test_slack_ids_of_the_wrong_type_count_as_missing(fuzzed: Fuzzed):
    # A team id that was an object reached the Identity insert: the handler failed.
    await fuzzed.begin()
    payload = slack_dm("status", team={"id": TEAM}, thread_ts=["1.2"])
    payload["team_id"], payload["event_id"] = None, 12345
    status, answers = await fuzzed.slack_says(payload)
    assert status == 200
    assert any("Your program status" in a for a in answers), answers
    await fuzzed.check()


async def test_a_teams_conversation_id_no_reply_can_name_gets_400(fuzzed: Fuzzed):
    # The connector sends it as a header: the reply failed after the work was stored, a 500 for ever.
    await fuzzed.begin()
    activity = teams_message("help", conversation={"id": "a:persönlich", "conversationType": "personal"})
    assert await fuzzed.teams_json(activity) == 400
    async with fuzzed.core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(InboundTask))).one() == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("fileConsent/invoke", None),
        ("task/fetch", [1, 2]),
        ("composeExtension/query", "x"),
        ("adaptiveCard/action", 5),
    ],
)
async def test_a_teams_invoke_the_bot_does_not_offer_gets_501_not_500(
    fuzzed: Fuzzed, name: str, value: Any, caplog
):
    # The SDK reads the value of these into its models before finding no handler, and fails on an odd one.
    await fuzzed.begin()
    with caplog.at_level(logging.INFO, logger="ambassador.teams"):
        assert await fuzzed.teams_json(teams_message("", type="invoke", name=name, value=value)) == 501
    assert "Teams invoke not handled" in caplog.text  # said once, clearly, in the log
    await fuzzed.check()


async def test_teams_channel_data_of_the_wrong_shape_gets_400(fuzzed: Fuzzed):
    # TeamsActivityHandler reads channelData itself and failed with a 500 on a string for "team".
    activity = teams_message(
        "",
        type="conversationUpdate",
        membersRemoved=[{"id": T_EMPLOYEE}],
        channelData={"team": "everyone", "eventType": "teamMemberRemoved"},
    )
    assert await fuzzed.teams_json(activity) == 400


async def test_a_time_zone_teams_does_not_know_is_not_stored(fuzzed: Fuzzed):
    # It was stored as the person's time zone, and "feedback list" failed on it later.
    await fuzzed.begin()
    status, answers = await fuzzed.teams_says(teams_message("status", localTimezone="Mars/Olympus"))
    assert status in (200, 201, 202) and any("Europe/Berlin" in a for a in answers), answers
    await fuzzed.teams_json(teams_message("status", localTimezone="America/New_York"))
    async with fuzzed.core.db.session() as s:
        zones = (await s.exec(select(Person.timezone).where(Person.email == EMPLOYEE_EMAIL))).all()
    assert zones == ["America/New_York"]
    await fuzzed.check()


async def test_a_button_whose_language_is_a_number_is_answered(fuzzed: Fuzzed):
    # Reading the button's "_lang" failed for every action: "something went wrong" instead of the answer.
    await fuzzed.begin()
    click = _click({"action_id": "join.start:0", "value": json.dumps({"_lang": 5})})
    status, answers = await fuzzed.slack_says(click, form=True)
    assert status == 200
    assert any("privacy notice" in a for a in answers), answers
    status, answers = await fuzzed.teams_says(teams_message("", value={"action": "join.start", "_lang": [1]}))
    assert any("privacy notice" in a for a in answers), answers
    await fuzzed.check()


async def test_a_picked_option_of_an_odd_shape_is_answered(fuzzed: Fuzzed):
    # Reading the picked option failed before the acknowledgement: Slack got a 500.
    await fuzzed.begin()
    status, answers = await fuzzed.slack_says(
        _click({"action_id": "join.start:0", "type": "static_select", "selected_option": "1:0"}), form=True
    )
    assert status == 200 and any("privacy notice" in a for a in answers), answers
    await fuzzed.check()


@pytest.mark.parametrize(
    "page",
    [
        ("text/plain", "upstream connect error"),
        ("application/json", "<html>Bad gateway</html>"),
        ("text/html", "<html>Bad gateway</html>"),
    ],
    ids=["text", "json-that-is-not", "html"],
)
async def test_a_slack_answer_that_is_no_json_does_not_fail_the_request(
    fuzzed: Fuzzed, page: tuple[str, str]
):
    # A proxy's page for users.info broke the error handling itself: a 500 for every message.
    await fuzzed.begin()
    fuzzed.slack.proxy_pages["users.info"] = page
    status, answers = await fuzzed.slack_says(slack_dm("help"))
    assert status == 200 and any("What I can do for you" in a for a in answers), answers
    await fuzzed.check()


async def test_a_join_button_naming_no_notice_shows_the_notice_and_records_nothing(fuzzed: Fuzzed):
    # int("2:1") failed the handler: "something went wrong" instead of an answer.
    await fuzzed.begin()
    for version in ("2:1", 2**70, 99):
        status, answers = await fuzzed.slack_says(
            _click({"action_id": "join.confirm:0", "value": json.dumps({"notice_version": version})}),
            form=True,
        )
        assert status == 200 and any("privacy notice" in a for a in answers), answers
    async with fuzzed.core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(Consent))).one() == 0
    await fuzzed.check()


async def test_a_teams_activity_or_sender_id_no_reply_can_name_gets_400(fuzzed: Fuzzed):
    # The reply's URL names the activity: a 20,000-character id made the connector refuse every reply,
    # a 500 for ever. A sender id with a line break broke the private answer in their personal chat.
    assert await fuzzed.teams_json(teams_message("help", id="ü" * 20)) == 400
    assert await fuzzed.teams_json(teams_message("help", id="x" * 5000)) == 400
    assert await fuzzed.teams_json(teams_message("help", **{"from": {"id": "29:a\nb"}})) == 400
    async with fuzzed.core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(InboundTask))).one() == 0


async def test_a_slack_user_id_longer_than_any_is_acknowledged_and_ignored(fuzzed: Fuzzed):
    # users.info with it failed (the URL too long for Slack) and the answer could never be delivered.
    await fuzzed.begin()
    payload = slack_dm("help")
    payload["event"]["user"] = "U" * 300
    assert (await fuzzed.slack_says(payload))[0] == 200
    assert fuzzed.slack.called("users.info") == []
    async with fuzzed.core.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(InboundTask))).one() == 0


@pytest.mark.parametrize(
    ("action", "values", "expected"),
    [
        ("content.approve", {"i": 2**63}, "Which item?"),
        ("content.approve", {"i": float("inf")}, "Which item?"),
        ("feedback.anonymize", {"id": float("inf")}, "That feedback is not yours"),
        ("ask.helpful", {"a": 2**70}, "Thanks for the feedback"),
    ],
    ids=["2**63", "infinity", "feedback-infinity", "answer-2**70"],
)
async def test_a_button_id_no_database_column_holds_is_answered(
    fuzzed: Fuzzed, action: str, values: dict[str, Any], expected: str
):
    # int(Infinity) and a 2**63 row id failed the handler (SQLite integers end at 2**63 - 1).
    await fuzzed.begin()
    click = _click({"action_id": f"{action}:0", "value": json.dumps(values)})
    click["user"]["id"] = LEAD  # approving content is the lead's
    click["channel"]["id"] = click["container"]["channel_id"] = dm_of(LEAD)
    before = len(fuzzed.slack.replies())
    assert (await fuzzed.slack_says(click, form=True))[0] == 200
    answers = [r.get("text", "") for r in fuzzed.slack.replies()[before:]]
    assert any(expected in a for a in answers), answers
    await fuzzed.check()


@pytest.mark.parametrize("member_id", ["", "29:nobody", T_EMPLOYEE])
async def test_members_added_to_a_team_are_not_looked_up(fuzzed: Fuzzed, member_id: str):
    # The SDK looks each one up and fails the turn (a 500) when a lookup fails; the bot needs none.
    await fuzzed.begin()
    activity = teams_message(
        "",
        type="conversationUpdate",
        membersAdded=[{"id": member_id, "name": "New Person"}],
        conversation={"id": TEAMS_CHANNEL, "conversationType": "channel", "tenantId": TENANT},
        channelData={
            "tenant": {"id": TENANT},
            "team": {"id": "19:team@thread.tacv2"},
            "eventType": "teamMemberAdded",
        },
    )
    # A member without an id is no member: the Agents SDK's schema refuses such an activity (400), no turn runs.
    assert await fuzzed.teams_json(activity) in ((400,) if not member_id else (200, 201, 202))
    assert fuzzed.connector.member_lookups == []
    await fuzzed.check()


async def test_nan_and_infinity_in_a_payload_are_stored_on_postgresql(fuzzed_pg: Fuzzed):
    # Python's json reads them; PostgreSQL's json column refused the message the bot accepted: a 500.
    await fuzzed_pg.begin()
    value = {"action": "ask.helpful", "a": float("inf"), "q": float("nan")}
    status, answers = await fuzzed_pg.teams_says(teams_message("", value=value))
    assert status in (200, 201, 202) and any("Thanks for the feedback" in a for a in answers), answers
    click = _click({"action_id": "ask.helpful:0", "value": json.dumps({"a": float("-inf")})})
    status, answers = await fuzzed_pg.slack_says(click, form=True)
    assert status == 200 and any("Thanks for the feedback" in a for a in answers), answers
    dm = slack_dm("help", client_msg_id=float("nan"))
    status, answers = await fuzzed_pg.slack_says(dm)
    assert status == 200 and any("What I can do for you" in a for a in answers), answers
    await fuzzed_pg.check()
