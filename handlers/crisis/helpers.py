"""Small helpers the crisis modules share: time, text, names and single-row reads and writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core import Core
from handlers.crisis.models import CrisisEvent, CrisisReport
from storage.models import Person, aware


def fmt_time(dt: datetime | None, tz: str, *, seconds: bool = False) -> str:
    if dt is None:
        return "-"
    local = aware(dt).astimezone(ZoneInfo(tz))
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _tz(core: Core) -> str:
    return core.settings.app.timezone


def _lang_of(core: Core, person: Person | None) -> str:
    return core.language_of(person)


async def _load(core: Core, ref: str) -> CrisisReport | None:
    async with core.db.session() as s:
        return (await s.exec(select(CrisisReport).where(CrisisReport.ref == ref.upper()))).first()


async def _event(core: Core, kind: str, *, report_id: int | None = None, hold_id: int | None = None,
                 actor: Person | None = None, **detail: Any) -> None:
    async with core.db.session() as s:
        s.add(CrisisEvent(report_id=report_id, hold_id=hold_id, kind=kind, at=core.now(),
                          actor_id=actor.id if actor else None, actor_pseudonym=actor.pseudonym if actor else None,
                          detail=detail))
        await s.commit()


async def _person(core: Core, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    async with core.db.session() as s:
        return await s.get(Person, person_id)


def _name(person: Person | None, pseudonym: str | None = None) -> str:
    if person is None:
        return pseudonym or "-"
    return person.display_name or person.email or person.pseudonym
