"""``ambassador report meeting``: the meeting report written into a folder, its summary printed."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli import build_core
from bot.config import ConfigError, load_settings
from handlers.meetings.config import default_period, meetings_config
from handlers.meetings.kpis import Period
from handlers.meetings.report import ReportWriter, build_report, summary_reply
from handlers.polls import polls_config


def register(subparsers: Any) -> None:
    r = subparsers.add_parser("report", help="reports")
    rsub = r.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    m = rsub.add_parser("meeting", help="write the meeting report (HTML, charts, CSV) into a folder")
    m.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: the last meeting)")
    m.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: today)")
    m.add_argument("--out", required=True, help="the folder to write into (created)")
    m.add_argument("--lang", choices=["de", "en"], help="language of the report (default: app.yaml's)")
    m.set_defaults(func=cmd_report_meeting)


def _core(args: argparse.Namespace) -> Any:
    return build_core(args, load_settings(args.config))


def _day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def cmd_report_meeting(args: argparse.Namespace) -> int:
    async def main() -> int:
        core = _core(args)
        settings = core.settings
        cfg = meetings_config(settings)
        tz = ZoneInfo(cfg.timezone or settings.app.timezone)
        now = core.now()
        default = default_period(settings, now)
        start = datetime.combine(_day(args.start, "from"), time(0), tzinfo=tz) if args.start else default.start
        end = (datetime.combine(_day(args.end, "to") + timedelta(days=1), time(0), tzinfo=tz) if args.end
               else default.end)
        if end <= start:
            raise ConfigError("--to must not be before --from")
        t = core.translator(args.lang or cfg.language or settings.app.language.default)
        try:
            await core.db.upgrade()
            # Made first: its charts are drawn while the report's SQL runs.
            writer = ReportWriter(Path(args.out), t, timezone=tz.key, program=settings.app.program.name)
            try:
                report = await build_report(core.db, Period(start, end), now=now, writer=writer,
                                            min_anonymous_votes=polls_config(settings).min_anonymous_votes,
                                            sources=core.router.report_sources)
            except BaseException:
                writer.cancel()
                raise
        finally:
            await core.db.dispose()
        files = writer.write(report)
        print(summary_reply(report, t, tz).plain())
        print()
        print(f"written: {files.html}")
        for f in [*files.charts, *files.csv]:
            print(f"         {f}")
        return 0

    return asyncio.run(main())
