"""CONTRIBUTING.md's small example, built exactly as written there and driven through the harness.

The code is read from the document itself, so the walkthrough cannot drift from what works.
"""

from __future__ import annotations

import re
import sys
import textwrap
import types
from pathlib import Path

import pytest

from bot.capability import build_router
from bot.core import Core
from handlers import CAPABILITIES
from storage.db import Database
from tests.conftest import make_settings
from tests.harness import ERIK, LEA, Harness

CONTRIBUTING = Path(__file__).resolve().parent.parent / "CONTRIBUTING.md"


def example_source() -> tuple[str, str]:
    """The module name and the code of the example: the Python block that follows "A small example"."""
    doc = CONTRIBUTING.read_text(encoding="utf-8")
    after = doc.split("A small example", 1)[1]
    block = re.search(r"```python\n(.*?)```", after, re.S)
    assert block, "CONTRIBUTING.md: no ```python block after 'A small example'"
    code = textwrap.dedent(block.group(1))
    first = code.splitlines()[0]
    path = re.fullmatch(r"# (handlers/\w+)\.py", first.strip())
    assert path, f"the example's first line names its file (# handlers/NAME.py), not {first!r}"
    return path.group(1).replace("/", "."), code


@pytest.fixture
async def with_example(tmp_path, monkeypatch):
    """The example as the module its first line names, added to the capabilities as the doc says, in a core."""
    name, code = example_source()
    module = types.ModuleType(name)
    module.__file__ = str(CONTRIBUTING)
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(code, f"CONTRIBUTING.md:{name}", "exec"), module.__dict__)
    settings = make_settings(tmp_path)
    core = Core(settings, Database(settings.database_url), build_router((*CAPABILITIES, module.CAPABILITY)))
    await core.db.upgrade()
    yield Harness(core)
    await core.db.dispose()


def test_the_example_is_a_capability_module():
    name, code = example_source()
    assert name == "handlers.ping"
    assert "CAPABILITY = Capability(" in code


async def test_the_example_answers_in_english(with_example: Harness):
    h = with_example
    await h.member(ERIK)
    [reply] = await h.say(ERIK, "ping")
    assert reply.text == "pong"
    [help_] = await h.say(ERIK, "help")
    assert "check that the bot answers" in help_.plain()


async def test_the_example_answers_in_german(with_example: Harness):
    h = with_example
    await h.member(LEA, lang="de")
    [reply] = await h.say(LEA, "ping", lang="de-DE")
    assert reply.text == "pong"
    [help_] = await h.say(LEA, "hilfe", lang="de-DE")
    assert "prüfen, ob der Bot antwortet" in help_.plain()
    assert "check that the bot answers" not in help_.plain()


async def test_without_the_example_there_is_no_ping(core):
    h = Harness(core)
    await h.member(ERIK)
    [reply] = await h.say(ERIK, "ping")
    assert reply.text != "pong"
