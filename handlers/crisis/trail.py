"""A report's audit trail in words (chat and command line) and its one-line summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import select

from bot.core import Core
from bot.text import clip
from handlers.crisis.helpers import _name, fmt_time
from handlers.crisis.models import CrisisEvent, CrisisReport
from handlers.crisis.texts import TRAIL_TEXTS
from storage.models import Person, aware


def _english(key: str, **values: Any) -> str:
    return TRAIL_TEXTS[key]["en"].format(**values)


def describe_event(e: CrisisEvent, people: dict[str, Person], t: Callable[..., str] | None = None) -> str:
    """One audit entry in words, in the reader's language (``t``; English without one, as the
    command line and the record read it).

    People are named while they exist; after "forget me" only their pseudonym stays.
    """
    say = t or _english

    def who(pseudonym: str | None) -> str:
        person = people.get(pseudonym) if pseudonym else None
        return f"{_name(person)} ({pseudonym})" if person else (pseudonym or "-")

    actor = who(e.actor_pseudonym) if e.actor_pseudonym else None
    d = e.detail or {}
    by = say("crisis.ev.by", actor=actor) if actor else ""
    where = say("crisis.ev.where", level=d.get("level"), round=d.get("round")) if "level" in d else ""
    if e.kind == "reported":
        atts = say("crisis.ev.attachments", names=", ".join(d["attachments"])) if d.get("attachments") else ""
        return say("crisis.ev.reported", by=by, source=d.get("source"), severity=d.get("severity"),
                   policy=d.get("policy"), chars=d.get("chars", 0), links=d.get("links", 0), atts=atts)
    if e.kind == "alerted":
        person = f" = {who(d['pseudonym'])}" if d.get("pseudonym") else ""
        return say("crisis.ev.alerted", where=where, target=d.get("target"), person=person, via=d.get("via"),
                   platform=d.get("platform"))
    if e.kind == "delivery_failed":
        what = f" ({d['what']})" if d.get("what") else ""
        head = f"{where}: " if where else ""
        return say("crisis.ev.delivery_failed", what=what, by=by, head=head, target=d.get("target"),
                   via=d.get("via"), error=d.get("error"))
    if e.kind == "resending":
        return say("crisis.ev.resending", where=where, target=d.get("target"), via=d.get("via"))
    if e.kind == "level_unreached":
        key = "crisis.ev.unreached_now" if d.get("at_once", True) else "crisis.ev.unreached_later"
        return say(key, where=where, targets=d.get("targets"))
    if e.kind == "exhausted":
        return say("crisis.ev.exhausted", rounds=d.get("rounds"), levels=d.get("levels"))
    if e.kind in ("acknowledged",):
        return say("crisis.ev.acknowledged", by=by)
    if e.kind == "handed_over":
        return say("crisis.ev.handed_over", by=by, to=who(d.get("to_pseudonym")))
    if e.kind == "resolved":
        if d.get("note"):
            return say("crisis.ev.resolved", by=by, note=d["note"])
        return say("crisis.ev.resolved_bare", by=by)
    if e.kind == "severity_changed":
        return say("crisis.ev.severity_changed", by=by, old=d.get("from"), new=d.get("to"))
    if e.kind == "details_added":
        return say("crisis.ev.details_added", by=by, chars=d.get("chars"), links=d.get("links"))
    if e.kind == "reporter_told":
        return say("crisis.ev.reporter_told", what=d.get("what"))
    if e.kind in ("hold_set", "hold_lifted"):
        return say(f"crisis.ev.{e.kind}", by=by, keywords=", ".join(d.get("keywords", [])), note=d.get("note"))
    if e.kind == "hold_notice_failed":
        return say("crisis.ev.hold_notice_failed", pseudonym=d.get("pseudonym"), what=d.get("what"),
                   error=d.get("error"))
    if e.kind == "hold_told":
        return say("crisis.ev.hold_told", what=d.get("what"), notified=d.get("notified"), failed=d.get("failed"))
    return f"{e.kind}{by} {d}"


async def trail(core: Core, report: CrisisReport, t: Callable[..., str] | None = None) -> list[tuple[datetime, str]]:
    async with core.db.session() as s:
        return await _trail(s, report, t)


async def _trail(s, report: CrisisReport, t: Callable[..., str] | None = None) -> list[tuple[datetime, str]]:
    events = (await s.exec(select(CrisisEvent).where(CrisisEvent.report_id == report.id)
                           .order_by(CrisisEvent.at, CrisisEvent.id))).all()
    names = {e.actor_pseudonym for e in events if e.actor_pseudonym}
    for e in events:
        names |= {v for k, v in (e.detail or {}).items() if k in ("pseudonym", "to_pseudonym") and v}
    people = {p.pseudonym: p for p in (await s.exec(select(Person).where(Person.pseudonym.in_(names)))).all()} if names else {}
    return [(aware(e.at), describe_event(e, people, t)) for e in events]


def summary_line(report: CrisisReport, tz: str, people: dict[str, Person] | None = None) -> str:
    """One report in a line for ``ambassador crisis list``; people by pseudonym, named while they exist."""

    def who(pseudonym: str | None) -> str:
        person = (people or {}).get(pseudonym or "")
        return f"{_name(person)} ({pseudonym})" if person else (pseudonym or "-")

    return (f"{report.ref}  {fmt_time(report.created_at, tz)}  {report.severity:<8}  {report.status:<12}  "
            f"step {report.step}  {report.place or '-'}  reporter {who(report.reporter_pseudonym)}  "
            f"owner {who(report.owner_pseudonym)}  {clip(' '.join(report.text.split()), 60)}")
