"""The workspace's ``wait``: moving the clock runs the due work at each moment on the way, in order,
so an escalation climbs every level and a poll reminds and closes within one ``wait 2d``."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from bot.core import Core
from bot.platforms.shell.workspace import open_workspace


async def _workspace(core: Core, settings, tmp_path):
    ws = await open_workspace(core, settings, email=None, lang="en", url=f"sqlite:///{tmp_path / 'test.db'}")
    ws.shell.out = io.StringIO()
    return ws


def _said(ws) -> str:
    text = ws.shell.out.getvalue()
    ws.shell.out.seek(0)
    ws.shell.out.truncate()
    return text


def _alerts(ws, email: str) -> list[str]:
    from bot.platforms.shell.chat import render

    box = ws.shell.inboxes.get(email)
    return [render(m.reply) for m in box.messages] if box else []


async def test_wait_2d_climbs_every_escalation_level_in_order(core: Core, settings, tmp_path):
    ws = await _workspace(core, settings, tmp_path)
    await ws.shell.switch("erik")
    await ws.shell.say("crisis Someone posted our customer list")
    ref = re.search(r"K-\d{4}-\d{4}", _said(ws)).group(0)
    lea, ben = "lea.lead@example.com", "ben.backup@example.com"
    assert len(ws.shell.inboxes[lea].messages) == 1 and ben not in ws.shell.inboxes

    await ws.shell.say("wait 2d")
    # app.yaml: lead then backup, 10 minutes each, 3 rounds: three alerts each, none skipped.
    assert len(_alerts(ws, lea)) >= 3, _alerts(ws, lea)
    assert len(_alerts(ws, ben)) >= 3, _alerts(ws, ben)
    assert all(ref in text for text in _alerts(ws, ben)), _alerts(ws, ben)
    await ws.scheduler.stop()


async def test_wait_runs_each_step_at_its_own_time_not_all_at_the_end(core: Core, settings, tmp_path):
    ws = await _workspace(core, settings, tmp_path)
    seen: list = []
    for entry in ws.scheduler.jobs:
        if entry.name == "crisis-escalation":
            fn = entry.fn

            async def spy(fn=fn):
                seen.append(ws.clock())
                return await fn()
            entry.fn = spy
    await ws.shell.switch("erik")
    await ws.shell.say("crisis Someone posted our customer list")
    start = ws.clock()
    await ws.wait(timedelta(hours=2))
    stops = [t - start for t in seen]
    # a stop at each escalation step (every 10 minutes for an hour), then at least hourly
    assert sum(1 for s in stops if s <= timedelta(minutes=61)) >= 6, stops
    assert stops == sorted(stops) and stops[-1] >= timedelta(hours=2)
    await ws.scheduler.stop()
