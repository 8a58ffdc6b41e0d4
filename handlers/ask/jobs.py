"""The ask capability's scheduled work: retries of what did not reach the comms team or the asker, the
watch on the guideline files, and the retention of its records."""

from __future__ import annotations

from datetime import timedelta

from bot.core import Core
from handlers.ask.cards import _alert
from handlers.ask.gaps import _send_to_team, deliver_answer, notify_lead
from handlers.ask.records import fingerprint
from handlers.ask.service import knowledge, records
from knowledge.loader import KBError


async def watch_kb(core: Core) -> None:
    """Tell the comms lead, once per failure, when the guideline files do not load."""
    service = knowledge(core)
    rec = records(core)
    broken = False
    try:
        await service.ready_engine()
        problems, fp = service.reload_problems, service.reload_fingerprint
    except KBError as exc:
        broken, problems, fp = True, exc.problems, fingerprint(exc.problems, "start")
    if problems and fp:
        alert = await rec.new_reload_alert(fp, problems)
        if alert is not None:
            error = await _send_to_team(core, lambda t: _alert(t, problems, broken))
            await rec.reload_alert_done(alert.id, error)
    for alert in await rec.due_reload_alerts():
        if alert.fingerprint != fp:
            # Fixed (or broken differently, told above) before the lead could be reached: nothing to tell.
            await rec.reload_alert_done(alert.id)
            continue
        error = await _send_to_team(core, lambda t, a=alert: _alert(t, list(a.problems or []), broken))
        await rec.reload_alert_done(alert.id, error)


async def run_due(core: Core) -> None:
    """Retry what did not reach the comms team or the asker, and watch the guideline files."""
    rec = records(core)
    for gap_id in await rec.due("lead"):
        gap = await rec.claim("lead", gap_id)
        if gap is not None:
            await notify_lead(core, gap)
    for gap_id in await rec.due("asker"):
        gap = await rec.claim("asker", gap_id)
        if gap is not None:
            await deliver_answer(core, gap)
    await watch_kb(core)


async def purge(core: Core) -> None:
    await records(core).purge(core.now() - timedelta(days=core.settings.app.privacy.retention_days))
