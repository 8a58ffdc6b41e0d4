"""``ambassador crisis list`` and ``ambassador crisis show ID``: crisis reports and their audit trail.

Declared in the capability's ``CAPABILITY`` (``Capability.cli``); also runs on its own as
``python -m handlers.crisis.cli [--config PATH] crisis list|show ID``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from sqlmodel import select

from bot.config import ConfigError, Settings, load_settings
from handlers.crisis.helpers import fmt_time
from handlers.crisis.models import CrisisAttempt, CrisisEvent, CrisisReport, Hold
from handlers.crisis.trail import _trail, summary_line
from storage.db import Database, DatabaseError
from storage.models import Person


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crisis", help="crisis reports, posting holds and their audit trail")
    tasks = p.add_subparsers(dest="crisis_command", metavar="TASK", required=True)
    lp = tasks.add_parser("list", help="crisis reports, newest first, and the posting holds")
    lp.add_argument("--open", action="store_true", help="only reports not resolved yet")
    lp.add_argument("--limit", type=int, default=50, help="at most this many reports (default 50)")
    lp.set_defaults(func=cmd_list)
    sp = tasks.add_parser("show", help="one report with every step of its trail, with timestamps")
    sp.add_argument("ref", metavar="ID", help="the reference, e.g. K-2026-0042")
    sp.set_defaults(func=cmd_show)


def _run(args: argparse.Namespace, work) -> int:
    settings = load_settings(args.config)

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            return await work(settings, db)
        finally:
            await db.dispose()

    return asyncio.run(run())


UNREACHED_SHOWN = 20  # members not told of a hold, named per hold in "crisis list"


def cmd_list(args: argparse.Namespace) -> int:
    async def work(settings: Settings, db: Database) -> int:
        tz = settings.app.timezone
        async with db.session() as s:
            query = select(CrisisReport).order_by(CrisisReport.id.desc()).limit(max(1, args.limit))
            if args.open:
                query = query.where(CrisisReport.status != "resolved")
            reports = (await s.exec(query)).all()
            holds = (await s.exec(select(Hold).order_by(Hold.id.desc()).limit(20))).all()
            # Who could not be told of a hold, by pseudonym: comms may reach them another way.
            unreached: dict[int, list[str]] = {}
            for e in (await s.exec(select(CrisisEvent).where(
                    CrisisEvent.hold_id.in_([h.id for h in holds if h.failed] or [0]),
                    CrisisEvent.kind == "hold_notice_failed").order_by(CrisisEvent.id))).all():
                unreached.setdefault(e.hold_id, []).append(f"{e.detail.get('pseudonym')} ({e.detail.get('what')})")
            names = {p for r in reports for p in (r.reporter_pseudonym, r.owner_pseudonym) if p}
            people = {p.pseudonym: p for p in (await s.exec(select(Person).where(Person.pseudonym.in_(names)))).all()}
        print(f"crisis reports ({len(reports)}; times in {tz}):")
        for r in reports:
            print("  " + summary_line(r, tz, people))
        if not reports:
            print("  none")
        print("posting holds:")
        for h in holds:
            state = f"lifted {fmt_time(h.lifted_at, tz)}" if h.lifted_at else "ACTIVE"
            print(f"  #{h.id}  {fmt_time(h.created_at, tz)}  {state}  {', '.join(h.keywords)}  "
                  f"members told {h.notified}, not reachable {h.failed} ({h.notice})  note: {h.note}")
            if unreached.get(h.id):
                names = unreached[h.id]
                more = f" and {len(names) - UNREACHED_SHOWN} more" if len(names) > UNREACHED_SHOWN else ""
                print(f"      not reached: {', '.join(names[:UNREACHED_SHOWN])}{more}")
        if not holds:
            print("  none")
        return 0

    return _run(args, work)


def cmd_show(args: argparse.Namespace) -> int:
    async def work(settings: Settings, db: Database) -> int:
        tz = settings.app.timezone
        ref = args.ref.strip().upper()
        async with db.session() as s:
            report = (await s.exec(select(CrisisReport).where(CrisisReport.ref == ref))).first()
            if report is None:
                print(f"ambassador: no crisis report {ref}", file=sys.stderr)
                return 1
            lines = await _trail(s, report)
            attempts = (await s.exec(select(CrisisAttempt).where(CrisisAttempt.report_id == report.id)
                                     .order_by(CrisisAttempt.id))).all()
        due = f" due {fmt_time(report.next_at, tz, seconds=True)}" if report.next_at else ""
        print(f"{report.ref}: {report.status}, severity {report.severity} (proposed {report.proposed_severity}), "
              f"{report.policy} policy, next step {report.step}{due}")
        print(f"reported {fmt_time(report.created_at, tz, seconds=True)} ({tz}) by {report.reporter_pseudonym} "
              f"via {report.source}; where: {report.place or '-'} {report.url or ''}".rstrip())
        if report.permalink:
            print(f"message: {report.permalink}")
        for link in report.links[1:]:
            print(f"link: {link}")
        for a in report.attachments:
            print(f"attachment: {a.get('name')} {a.get('url') or ''}".rstrip())
        if report.resolution_note:
            print(f"resolution note: {report.resolution_note}")
        print("what happened:")
        for line in (report.text or "(no description)").splitlines():
            print(f"  {line}")
        print("trail:")
        for at, text in lines:
            print(f"  {fmt_time(at, tz, seconds=True)}  {text}")
        print("alert attempts:")
        for a in attempts:
            error = f": {a.error}" if a.error else ""
            print(f"  step {a.step}  {a.via:<8} {a.target}  {a.status} (tries: {a.tries}){error}")
        return 0

    return _run(args, work)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handlers.crisis.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="path to app.yaml")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, DatabaseError) as exc:
        print(f"ambassador: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
