"""The monthly thank-you: who was active in a month and who of them is thanked.

The most active members of a month get a personal thank-you on the configured
working day of the next month (schedule.py). It goes through the same outbox as the nudge: a
run per month ("thanks:2026-03", one per cycle and wave), one delivery row per
(month, person) under the unique constraint, claimed, paced, marked 'sending'
before the platform call. Nobody is ranked in public: the message names the
person's own figures only, and the comms lead sees how many people are thanked,
with names only of those who agreed ("thanks public on").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.core import Core
from handlers.content.config import content_config, program_tz
from handlers.content.models import ContentClicks, ContentLink, ContentPref
from handlers.content.schedule import month_bounds, next_thanks
from storage.models import Person


async def month_activity(core: Core, month: str) -> dict[int, tuple[int, int]]:
    """{person id: (shares recorded, clicks on their links)} in that month, program time zone."""
    start, end = month_bounds(month, program_tz(core.settings))
    out: dict[int, list[int]] = {}
    async with core.db.session() as s:
        for pid, n in (await s.exec(
                select(ContentLink.person_id, func.count()).where(
                    ContentLink.person_id.is_not(None), ContentLink.shared_at >= start, ContentLink.shared_at < end)
                .group_by(ContentLink.person_id))).all():
            out.setdefault(pid, [0, 0])[0] = int(n)
        for pid, n in (await s.exec(
                select(ContentLink.person_id, func.sum(ContentClicks.clicks))
                .join(ContentClicks, ContentClicks.link_id == ContentLink.id)
                .where(ContentClicks.month == month, ContentLink.person_id.is_not(None))
                .group_by(ContentLink.person_id))).all():
            out.setdefault(pid, [0, 0])[1] = int(n or 0)
    return {pid: (v[0], v[1]) for pid, v in out.items()}


@dataclass
class Thanked:
    person: Person
    shares: int
    clicks: int
    public: bool

    @property
    def activity(self) -> int:
        return self.shares + self.clicks


def choose_thanked(candidates: list[Thanked], top: int, min_activity: int) -> list[Thanked]:
    """The ``top`` most active with at least ``min_activity``; everyone tied with the last place too
    (a thank-you is no prize: nobody is left out by a coin toss)."""
    eligible = sorted((c for c in candidates if c.activity >= min_activity),
                      key=lambda c: (-c.activity, -c.shares, c.person.id))
    if len(eligible) <= top:
        return eligible
    cut = eligible[top - 1].activity
    return [c for c in eligible if c.activity >= cut]


async def thanks_selection(core: Core, month: str) -> tuple[list[Thanked], int]:
    """Who would be thanked for the month (members who did not opt out), and how many members opted out."""
    cfg = content_config(core.settings).thanks
    activity = await month_activity(core, month)
    async with core.db.session() as s:
        people = (await s.exec(select(Person).where(
            Person.id.in_(list(activity) or [0]), Person.is_member == True, Person.active == True,  # noqa: E712
            Person.is_guest == False))).all()  # noqa: E712
        prefs = {p.person_id: p for p in (await s.exec(
            select(ContentPref).where(ContentPref.person_id.in_([p.id for p in people] or [0])))).all()}
        opted_out = (await s.exec(select(func.count()).select_from(ContentPref).join(Person, Person.id == ContentPref.person_id)
                                  .where(ContentPref.thanks == False, Person.is_member == True,  # noqa: E712
                                         Person.active == True))).one()  # noqa: E712
    candidates = [Thanked(p, *activity[p.id], public=bool(prefs[p.id].thanks_public) if p.id in prefs else False)
                  for p in people if p.id not in prefs or prefs[p.id].thanks]
    return choose_thanked(candidates, cfg.top, cfg.min_activity), int(opted_out)


async def thanks_preview_data(core: Core) -> dict[str, Any]:
    cfg = content_config(core.settings).thanks
    month, slot = next_thanks(cfg, core.settings, core.now())
    chosen, opted_out = await thanks_selection(core, month)
    named = sorted((c.person.display_name or c.person.email or c.person.pseudonym for c in chosen if c.public),
                   key=str.casefold)
    return {"enabled": cfg.enabled, "month": month, "slot": slot, "count": len(chosen), "opted_out": opted_out,
            "named": named, "unnamed": len(chosen) - len(named), "top": cfg.top, "min_activity": cfg.min_activity}
