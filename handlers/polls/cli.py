"""``ambassador poll create FILE.yaml`` and ``ambassador poll list``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import select

from bot.cli import build_core
from bot.config import ConfigError, load_settings
from handlers.polls.cards import audience_name
from handlers.polls.figures import poll_counts
from handlers.polls.parse import PollInputError, PollSpec, validate
from handlers.polls.service import create_poll
from handlers.polls.times import _fmt
from storage.models import Person
from storage.models_polls import Poll

POLL_KEYS = {"question", "options", "multi", "anonymous", "audience", "closes", "remind", "every", "creator",
             "platform"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("poll", help="polls: create one from a YAML file, list them")
    sub = p.add_subparsers(dest="poll_command", metavar="TASK", required=True)
    c = sub.add_parser("create", help="create a poll from a YAML file (see polls.example.yaml); the bot sends it")
    c.add_argument("file", help="the poll as YAML")
    c.add_argument("--lang", choices=["de", "en"], default="en", help="language of the messages printed here")
    c.set_defaults(func=cmd_poll_create)
    ls = sub.add_parser("list", help="the newest polls with their state and votes")
    ls.add_argument("--limit", type=int, default=30)
    ls.set_defaults(func=cmd_poll_list)


def _core(args: argparse.Namespace) -> Any:
    return build_core(args, load_settings(args.config))


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: {getattr(exc, 'problem', None) or 'not valid YAML'}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the file must hold a mapping (question:, options:, ...)")
    unknown = sorted(set(data) - POLL_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(POLL_KEYS))}")
    return data


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def cmd_poll_create(args: argparse.Namespace) -> int:
    path = Path(args.file)
    data = _load_yaml(path)
    options = data.get("options") or []
    if not isinstance(options, list):
        raise ConfigError(f"{path}: options must be a list")
    spec = PollSpec(
        question=str(data.get("question") or ""), options=[str(o) for o in options],
        multi=bool(data.get("multi")), anonymous=bool(data.get("anonymous")),
        closes=_text(data.get("closes")), remind=_text(data.get("remind")), every=_text(data.get("every")),
    )
    if data.get("audience"):
        spec.extra["audience"] = str(data["audience"])

    async def main() -> int:
        core = _core(args)
        t = core.translator(args.lang)
        try:
            await core.db.upgrade()
            settings = core.settings
            creator_email = str(data.get("creator") or settings.app.roles.comms_lead or "").lower()
            creator = None
            if creator_email:
                async with core.db.session() as s:
                    creator = (await s.exec(select(Person).where(Person.email == creator_email))).first()
            now = core.now()
            try:
                # Whoever runs the command line runs the bot: no role limits the audience here.
                vp = validate(spec, settings=settings, now=now, tz=ZoneInfo(settings.app.timezone),
                                    roles=frozenset({"lead"}), departments=(), channel=None)
            except PollInputError as exc:
                if exc.key == "poll.err_flag":
                    exc.values["known"] = ""
                print(f"{path}: {exc.say(t)}", file=sys.stderr)
                return 1
            poll, n = await create_poll(core, vp, creator=creator, platform=data.get("platform"))
        finally:
            await core.db.dispose()
        tz = ZoneInfo(settings.app.timezone)
        print(t("poll.created", id=poll.id, audience=audience_name(vp, t),
                when=_fmt(vp.closes_at, tz, args.lang)))
        print(f"{n} recipients queued; the running bot sends them within a minute.")
        return 0

    return asyncio.run(main())


def cmd_poll_list(args: argparse.Namespace) -> int:
    async def main() -> int:
        core = _core(args)
        try:
            await core.db.upgrade()
            async with core.db.session() as s:
                rows = (await s.exec(select(Poll).order_by(Poll.id.desc()).limit(args.limit))).all()
            async with core.db.engine.connect() as conn:
                counts = await poll_counts(conn, [(p.id, p.sealed, p.tally) for p in rows])
                voters = {pid: n for pid, (n, _) in counts.items()}
        finally:
            await core.db.dispose()
        if not rows:
            print("no polls yet")
            return 0
        for p in rows:
            kind = "anonymous" if p.anonymous else "named"
            audience = f"{p.audience_kind}:{p.audience_value}" if p.audience_value else p.audience_kind
            print(f"#{p.id}\t{p.status}\tcloses {p.closes_at:%Y-%m-%d %H:%M} UTC\t{kind}\t{audience}\t"
                  f"{voters.get(p.id, 0)} voted\t{p.question}")
        return 0

    return asyncio.run(main())
