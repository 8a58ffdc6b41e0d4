"""``ambassador content ...`` and ``ambassador nudge ...``: the content queue and the weekly nudge
from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import update
from sqlmodel import select

from bot.cli import build_core
from bot.config import load_settings
from bot.core import Core
from bot.web import create_app
from handlers.content.cards import audience_label, item_langs, next_nudge_text
from handlers.content.chat import item_stats
from handlers.content.config import content_config, program_tz
from handlers.content.items import describe_problems, needs_approval, store_item, validate_item
from handlers.content.jobs import plan_due, run_now
from handlers.content.models import ContentDelivery, ContentItem
from handlers.content.outbox import SendStats, send_due
from handlers.content.planning import ensure_run, plan_run
from handlers.content.runs import resend, run_counts, status_summary
from handlers.content.thanks import thanks_preview_data

Main = Callable[[Core], Awaitable[int]]

FILE_KEYS = {
    "id": "key", "key": "key", "title": "title", "url": "url", "audience": "audience", "status": "status",
    "valid_from": "from", "from": "from", "valid_until": "until", "until": "until",
    "de": "de", "en": "en", "text": "text", "image": "image", "image_url": "image", "rights": "rights",
    "image_rights": "rights",
}


def _run(args: argparse.Namespace, main: Main, *, senders: bool = False) -> int:

    settings = load_settings(args.config)
    content_config(settings)  # a wrong content: section stops here, with file and line

    async def go() -> int:
        core = build_core(args, settings)
        if senders:
            # Mounting the adapters registers their senders; no server is started.
            create_app(settings, core, background=False)
        try:
            await core.db.upgrade()
            return await main(core)
        finally:
            await core.db.dispose()

    return asyncio.run(go())


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _raw_from_args(args: argparse.Namespace) -> dict[str, Any]:
    return {"url": args.url, "title": args.title, "de": args.text_de, "en": args.text_en, "audience": args.audience,
            "from": args.valid_from, "until": args.valid_until, "image": args.image, "rights": args.rights,
            "status": "draft" if args.draft else None}


def cmd_add(args: argparse.Namespace) -> int:

    async def main(core: Core) -> int:
        t = core.translator("en")
        draft, problems = validate_item(_raw_from_args(args), core.settings, core.now())
        if draft is None:
            _err("not added: " + describe_problems(problems, t).replace("*", ""))
            return 1
        approval = needs_approval(core.settings, draft.audience, approver=args.approved)
        item, _ = await store_item(core, draft, via="cli", approved=not approval)
        print(f"#{item.id} {item.title}: {t('content.status.' + item.status)}"
              + (" (the running bot asks the comms lead)" if item.status == "pending" else ""))
        return 0

    return _run(args, main)


def _file_items(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("the file must hold a list under 'items:'")
    return items


def _flatten(entry: Any) -> tuple[dict[str, Any], list[str]]:
    """A file entry (nested text:/image:) as the fields validate_item reads; unknown keys named."""
    if not isinstance(entry, dict):
        return {}, ["an item must be a mapping of keys (title:, url:, text:, ...)"]
    raw: dict[str, Any] = {}
    unknown = []
    for key, value in entry.items():
        if key == "text" and isinstance(value, dict):
            for lang, text in value.items():
                if lang in ("de", "en"):
                    raw[lang] = text
                else:
                    unknown.append(f"text.{lang}")
        elif key == "image" and isinstance(value, dict):
            raw["image"], raw["rights"] = value.get("url"), value.get("rights")
        elif key in FILE_KEYS:
            raw[FILE_KEYS[key]] = value
        else:
            unknown.append(str(key))
    return raw, [f"unknown key {k!r}" for k in unknown]


def cmd_import(args: argparse.Namespace) -> int:

    path = Path(args.file)
    try:
        entries = _file_items(path)
    except FileNotFoundError:
        _err(f"{path}: file not found")
        return 2
    except (OSError, ValueError, yaml.YAMLError) as exc:
        _err(f"{path}: {str(exc).splitlines()[0]}")
        return 2

    async def main(core: Core) -> int:
        t = core.translator("en")
        created = updated = refused = 0
        for n, entry in enumerate(entries, start=1):
            raw, problems = _flatten(entry)
            draft, more = validate_item(raw, core.settings, core.now()) if raw else (None, [])
            texts = problems + ([describe_problems(more, t).replace("*", "")] if more else [])
            if draft is None or problems:
                label = f"item {n}" + (f" ({raw['key']})" if raw.get("key") else "")
                _err(f"{path}: {label}: " + " ".join(texts))
                refused += 1
                continue
            approval = draft.status != "approved" and needs_approval(core.settings, draft.audience,
                                                                             approver=args.approved)
            _, new = await store_item(core, draft, via="yaml", approved=not approval)
            created += new
            updated += not new
        print(f"{path}: imported {created}, updated {updated}, refused {refused}")
        return 1 if refused else 0

    return _run(args, main)


def cmd_list(args: argparse.Namespace) -> int:


    async def main(core: Core) -> int:
        t = core.translator("en")
        async with core.db.session() as s:
            q = select(ContentItem).order_by(ContentItem.id)
            if args.status:
                q = q.where(ContentItem.status == args.status)
            items = (await s.exec(q)).all()
            stats = await item_stats(s)
        if not items:
            print("no content items" + (f" with status {args.status}" if args.status else ""))
        for item in items:
            sent, shared, clicks = stats.get(item.id, (0, 0, 0))
            print(f"#{item.id:<4} {item.status:<9} {audience_label(item, t):<16} "
                  f"{item_langs(item):<6} sent {sent}, shared {shared}, clicks {clicks}  {item.title}  {item.url}")
        return 0

    return _run(args, main)


def _decide(status: str) -> Callable[[argparse.Namespace], int]:
    def cmd(args: argparse.Namespace) -> int:


        allowed = {"retired": ("draft", "pending", "approved", "rejected"), "approved": ("draft", "pending", "rejected")}[status]

        async def main(core: Core) -> int:
            async with core.db.session() as s:
                item = await s.get(ContentItem, args.id)
                if item is None:
                    _err(f"there is no item #{args.id}")
                    return 1
                res = await s.execute(update(ContentItem).where(ContentItem.id == args.id, ContentItem.status.in_(allowed))
                                      .values(status=status, decided_at=core.now()))
                await s.commit()
            if res.rowcount != 1:
                _err(f"#{args.id} is {item.status}; nothing changed")
                return 1
            print(f"#{args.id} {item.title}: {status}")
            return 0

        return _run(args, main)

    return cmd


def _print_status(summary: dict[str, Any]) -> None:
    if not summary["runs"]:
        print("No nudge has run yet.")
        return
    print(f"{'run':<5} {'cycle':<24} {'wave':<6} {'status':<9} {'sent':>6} {'pending':>8} {'failed':>7} "
          f"{'uncertain':>10} {'skipped':>8}")
    for r in summary["runs"]:
        c = r["counts"]
        print(f"{r['id']:<5} {r['cycle']:<24} {r['wave']:<6} {r['status']:<9} {c['sent']:>6} {c['pending']:>8} "
              f"{c['failed']:>7} {c['uncertain']:>10} {c['skipped']:>8}")


def cmd_nudge_status(args: argparse.Namespace) -> int:


    async def main(core: Core) -> int:
        _print_status(await status_summary(core))
        async with core.db.session() as s:
            open_rows = (await s.exec(select(ContentDelivery).where(ContentDelivery.status.in_(("failed", "uncertain")))
                                      .order_by(ContentDelivery.id.desc()).limit(50))).all()
        for row in open_rows:
            print(f"  delivery {row.id} ({row.cycle}, {row.pseudonym}): {row.status}"
                  + (f", {row.reason}" if row.reason else "") + (f": {row.error}" if row.error else ""))
        t = core.translator("en")
        print("next scheduled nudge: " + next_nudge_text(core, t))
        return 0

    return _run(args, main)


def cmd_nudge_run(args: argparse.Namespace) -> int:

    async def main(core: Core) -> int:
        if not core.senders:
            print("No Slack or Teams credentials here: deliveries are planned and the running bot sends them.")
        if args.now:
            run_id, stats = await run_now(core, limit=args.limit) if core.senders else (
                await _plan_only(core), SendStats())
            counts = await run_counts(core, run_id)
            print(f"run {run_id}: planned {sum(counts.values())}")
        else:
            await plan_due(core)
            stats = await send_due(core, limit=args.limit) if core.senders else SendStats()
        if stats.busy:
            print("Another process (the running bot) is sending right now; see: ambassador nudge status")
        print(f"sent {stats.sent}, retried later {stats.retried}, failed {stats.failed}, skipped {stats.skipped}, "
              f"deferred (quiet hours) {stats.deferred}, uncertain {stats.uncertain}")
        if args.now:
            # Planned for people in their quiet hours: say when they go out, not just "sent 0".
            async with core.db.session() as s:
                due = (await s.exec(select(ContentDelivery.due_at).where(
                    ContentDelivery.run_id == run_id, ContentDelivery.status == "pending",
                    ContentDelivery.due_at > core.now()))).all()
            if due:
                first = min(d if d.tzinfo else d.replace(tzinfo=UTC) for d in due)
                local = first.astimezone(ZoneInfo(core.settings.app.timezone))
                print(f"{len(due)} wait for the end of their quiet hours: they go out from "
                      f"{local:%Y-%m-%d %H:%M} {local.tzname()} (ambassador nudge status)")
        return 0

    async def _plan_only(core: Core) -> int:

        now = core.now()
        run_id = await ensure_run(core, "manual:" + now.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"), "main", now)
        await plan_run(core, run_id)
        return run_id

    return _run(args, main, senders=True)


def cmd_nudge_resend(args: argparse.Namespace) -> int:

    async def main(core: Core) -> int:
        if not await resend(core, args.id):
            _err(f"delivery {args.id} is not uncertain or failed; nothing changed")
            return 1
        print(f"delivery {args.id} goes out again with the next send")
        return 0

    return _run(args, main)


def cmd_thanks(args: argparse.Namespace) -> int:

    async def main(core: Core) -> int:
        p = await thanks_preview_data(core)
        local = p["slot"].astimezone(program_tz(core.settings))
        if not p["enabled"]:
            print("the monthly thank-you is off (content.thanks.enabled in app.yaml)")
        print(f"next thank-you: {local:%Y-%m-%d %H:%M} {local.tzname()}, for {p['month']}: {p['count']} members "
              f"(the {p['top']} most active with at least {p['min_activity']} shares and clicks, more when tied); "
              f"{p['opted_out']} members turned it off")
        if args.names:
            # Only who agreed ("thanks public on"), in alphabetical order: no ranking, no figures.
            print("named (they agreed): " + (", ".join(p["named"]) or "nobody")
                  + (f"; {p['unnamed']} more not named" if p["unnamed"] else ""))
        return 0

    return _run(args, main)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("content", help="the shareable content queue")
    sub = p.add_subparsers(dest="content_command", metavar="TASK", required=True)

    a = sub.add_parser("add", help="add an item")
    a.add_argument("--url", help="the link people share")
    a.add_argument("--title")
    a.add_argument("--text-de", help="suggested post text in German")
    a.add_argument("--text-en", help="suggested post text in English")
    a.add_argument("--audience", default="all", help="all, core or a department from app.yaml (default all)")
    a.add_argument("--from", dest="valid_from", help="first day it may go out (2026-04-01)")
    a.add_argument("--until", dest="valid_until", help="last day it may go out")
    a.add_argument("--image", help="an image address")
    a.add_argument("--rights", help="the image's rights note")
    a.add_argument("--draft", action="store_true", help="keep it as a draft")
    a.add_argument("--approved", action="store_true", help="approved already (skip the comms lead's approval)")
    a.set_defaults(func=cmd_add)

    i = sub.add_parser("import", help="add or update items from a YAML file (see content.example.yaml)")
    i.add_argument("file")
    i.add_argument("--approved", action="store_true", help="the file is approved already")
    i.set_defaults(func=cmd_import)

    ls = sub.add_parser("list", help="list the items")
    ls.add_argument("--status", choices=["draft", "pending", "approved", "rejected", "retired"])
    ls.set_defaults(func=cmd_list)

    r = sub.add_parser("retire", help="take an item out of the queue")
    r.add_argument("id", type=int)
    r.set_defaults(func=_decide("retired"))

    ap = sub.add_parser("approve", help="approve a draft or pending item")
    ap.add_argument("id", type=int)
    ap.set_defaults(func=_decide("approved"))

    th = sub.add_parser("thanks", help="the monthly thank-you: how many members the next one goes to")
    th.add_argument("--names", action="store_true", help="name those who agreed to be named (thanks public on)")
    th.set_defaults(func=cmd_thanks)

    n = subparsers.add_parser("nudge", help="the weekly content nudge")
    nsub = n.add_subparsers(dest="nudge_command", metavar="TASK", required=True)
    run = nsub.add_parser("run", help="send what is due (with --now: a run for everyone, now)")
    run.add_argument("--now", action="store_true", help="start a run now instead of waiting for the schedule")
    run.add_argument("--limit", type=int, help="stop after this many messages")
    run.set_defaults(func=cmd_nudge_run)
    nsub.add_parser("status", help="sent, pending, failed and uncertain deliveries").set_defaults(func=cmd_nudge_status)
    rs = nsub.add_parser("resend", help="send an uncertain or failed delivery again")
    rs.add_argument("id", type=int)
    rs.set_defaults(func=cmd_nudge_resend)
