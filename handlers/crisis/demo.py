"""What crisis adds to the demo workspace (bot/demo.py): one report in the meeting report's period,
alerted to the lead, acknowledged by the backup and resolved with a note, the trail as this capability
writes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from handlers.crisis.models import CrisisAttempt, CrisisEvent, CrisisReport
from handlers.crisis.reports import Draft, store_report

NOTE = "Asked the poster to take it down; it is gone."


def demo_plan(demo: Any) -> None:
    demo.at(demo.recent(0.3), lambda: _report(demo))


async def _report(demo: Any) -> None:
    """Reported by erik (reports.py store_report), alerted to the lead, acknowledged by the backup
    eight minutes later, resolved with a note."""
    core = demo.core
    reporter, lead, backup = demo.person("erik"), demo.person("lea"), demo.person("ben")
    draft = Draft(text="Someone posted a photo of our unreleased product on TikTok: "
                       "https://www.tiktok.com/@someone/video/123", source="message",
                  links=["https://www.tiktok.com/@someone/video/123"])
    report, _ = await store_report(core, reporter, draft, lang="en")
    start = core.now()
    end = min(demo.now - timedelta(seconds=2), start + timedelta(hours=2))
    acked = start + (end - start) * 0.07
    async with core.db.session() as s:
        s.add(CrisisAttempt(report_id=report.id, step=0, via="chat", target="comms_lead", person_id=lead.id,
                            status="sent", started_at=start, finished_at=start + timedelta(seconds=1)))
        await s.execute(update(CrisisReport).where(CrisisReport.id == report.id).values(
            status="resolved", owner_id=backup.id, owner_pseudonym=backup.pseudonym, acked_at=acked, next_at=None,
            step=1, resolved_at=end, resolution_note=NOTE))
        s.add(CrisisEvent(report_id=report.id, kind="acknowledged", at=acked, actor_id=backup.id,
                          actor_pseudonym=backup.pseudonym, detail={"step": 1}))
        s.add(CrisisEvent(report_id=report.id, kind="resolved", at=end, actor_id=backup.id,
                          actor_pseudonym=backup.pseudonym, detail={"note": NOTE}))
        await s.commit()
