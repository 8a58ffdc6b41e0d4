"""The Sender contract (bot/sender.py): every platform's sender declares it, nothing probes for it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from bot.core import DeliveryError
from bot.messages import Reply
from bot.platforms.shell.chat import ShellSender
from bot.platforms.slack.adapter import SlackAdapter
from bot.platforms.teams.adapter import TeamsAdapter
from bot.sender import OPTIONAL, REQUIRED, NotSupported, Sender
from storage.models import Identity, Person

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = (*REQUIRED, *OPTIONAL, "send_keyed")

PLATFORMS = {
    "slack": (SlackAdapter, {"files", "email", "find_sent"}),
    "teams": (TeamsAdapter, {"files", "email"}),
    "shell": (ShellSender, set()),
}


def _fits(base: inspect.Signature, mine: inspect.Signature) -> list[str]:
    """What a call written against ``base`` would trip over in ``mine``."""
    problems = []
    params = mine.parameters
    for name, p in base.parameters.items():
        other = params.get(name)
        if other is None:
            problems.append(f"no parameter {name}")
        elif other.kind != p.kind and not (p.kind == p.POSITIONAL_OR_KEYWORD and other.kind == other.POSITIONAL_OR_KEYWORD):
            problems.append(f"{name} is {other.kind.description}, not {p.kind.description}")
    for name, other in params.items():
        if name not in base.parameters and other.default is other.empty and other.kind not in (other.VAR_POSITIONAL,
                                                                                               other.VAR_KEYWORD):
            problems.append(f"extra required parameter {name}")
    return problems


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_platform_sender_declares_the_contract(platform):
    cls, abilities = PLATFORMS[platform]
    assert issubclass(cls, Sender)
    for name in REQUIRED:
        assert getattr(cls, name) is not getattr(Sender, name), f"{platform} does not implement {name}"
    for name in CONTRACT:
        method = getattr(cls, name)
        assert inspect.iscoroutinefunction(method) == inspect.iscoroutinefunction(getattr(Sender, name)), name
        assert _fits(inspect.signature(getattr(Sender, name)), inspect.signature(method)) == [], (platform, name)
    assert cls.abilities() == abilities


def test_no_product_code_probes_a_sender_for_what_it_can_do():
    names = set(CONTRACT) | {"rate_limit_listeners"}
    found = []
    for folder in ("bot", "handlers", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2
                        and isinstance(node.args[1], ast.Constant) and node.args[1].value in names):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}(..., {node.args[1].value!r})")
    assert found == []


async def test_the_core_takes_only_a_declared_sender(core):
    class Duck:
        async def send_to_person(self, user_id, replies): ...

        async def send_to_conversation(self, conversation_id, replies, user_id): ...

    with pytest.raises(TypeError, match="slack sender must subclass bot.sender.Sender"):
        core.register_sender("slack", Duck())
    assert "slack" not in core.senders


class _Plain(Sender):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_to_person(self, user_id, replies):
        self.sent += [(user_id, r.text) for r in replies]

    async def send_to_conversation(self, conversation_id, replies, user_id):
        self.sent += [(conversation_id, r.text) for r in replies]


class _Keyed(_Plain):
    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, str] = {}

    async def send_keyed(self, user_id, replies, key):
        await self.send_to_person(user_id, replies)
        self.keys[key] = user_id

    async def find_sent(self, user_id, key):
        return self.keys.get(key) == user_id


async def _person(core, platform: str, user_id: str) -> int:
    async with core.db.session() as s:
        person = Person(email=f"{user_id.lower()}@example.com")
        s.add(person)
        await s.flush()
        s.add(Identity(person_id=person.id, platform=platform, user_id=user_id))
        await s.commit()
        return person.id


async def test_a_keyed_message_carries_its_key_where_the_platform_can_look_it_up(core):
    plain, keyed = _Plain(), _Keyed()
    core.register_sender("shell", plain)
    core.register_sender("slack", keyed)
    on_slack, on_shell = await _person(core, "slack", "U1"), await _person(core, "shell", "erik")
    assert await core.notify(on_slack, [Reply(text="nudge")], key="k-1") == "slack"
    assert keyed.keys == {"k-1": "U1"} and await keyed.find_sent("U1", "k-1") is True
    # A platform that cannot look messages up gets the message without the key, and cannot tell.
    assert await core.notify(on_shell, [Reply(text="nudge")], key="k-2") == "shell"
    assert plain.sent == [("erik", "nudge")] and await plain.find_sent("erik", "k-2") is None


async def test_what_a_platform_cannot_do_is_said_in_words(core):
    plain = _Plain()
    core.register_sender("slack", plain)
    pid = await _person(core, "slack", "U2")
    with pytest.raises(NotSupported, match="cannot look people up by address"):
        await plain.resolve_email("x@example.com")
    with pytest.raises(DeliveryError, match="slack: cannot send files") as caught:
        await core.notify_file(pid, __file__, "Figures", "")
    assert [(f.platform, f.user_id) for f in caught.value.failures] == [("slack", "U2")]
    assert plain.sent == []  # no text instead of the file
    with pytest.raises(DeliveryError, match="teams is not connected in this process"):
        await core.post_to_channel("teams", "19:channel", [Reply(text="alert")])
    await core.post_to_channel("slack", "C1", [Reply(text="alert")])
    assert plain.sent == [("C1", "alert")]
