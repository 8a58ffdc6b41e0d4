"""The ``ambassador`` command."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from bot import demo
from bot import web as web_app
from bot.capability import Capability, build_router
from bot.config import ConfigError, Settings, load_settings
from bot.core import Core
from bot.keys import ProgramKeyError, ensure_key
from bot.logs import setup_logging
from bot.platforms.shell import workspace
from bot.platforms.shell.chat import Shell, finish_background_work
from knowledge.service import startup_problems
from storage.db import Database, DatabaseError

log = logging.getLogger("ambassador")

EPILOG = """\
Secrets and overrides come from the environment or a .env file: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_APP_TOKEN, SLACK_API_URL, CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID (CLIENTSECRET, TENANTID,
AUTHTYPE; the older MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId, MicrosoftAppType still read),
TEAMS_ALLOW_UNAUTHENTICATED, DATABASE_URL, OPENAI_API_KEY, OPENAI_BASE_URL, PORT, HOST, PUBLIC_URL, AMBASSADOR_CONFIG,
AMBASSADOR_SECRET, SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_TLS, WEBHOOK_SECRET.
"""


def _settings(args: argparse.Namespace, *, make_key: bool = False) -> Settings:
    """The settings, with every capability's app.yaml section validated: a bad one stops here.

    ``make_key``: make the program key file when there is no key yet (the bot's own start).
    """
    settings = load_settings(args.config)
    if make_key and not settings.key.available:
        try:
            settings = dataclasses.replace(settings, key=ensure_key(settings.config_path, dict(os.environ)))
        except ProgramKeyError as exc:
            raise ConfigError(str(exc)) from None
    problems: list[str] = []
    for check in (check for cap in args.capabilities for check in cap.config_checks):
        try:
            check(settings)
        except ConfigError as exc:
            problems.extend(str(exc).splitlines())
    if problems:
        raise ConfigError("\n".join(problems))
    return settings


def build_core(args: argparse.Namespace, settings: Settings) -> Core:
    """A core with the capabilities this command line was built with (``bot/app.py`` passes them)."""
    core = Core(settings, Database(settings.database_url), build_router(args.capabilities))
    # A command typed in the terminal workspace (bot/platforms/shell/workspace.py): its clock, and its inboxes to send to.
    attach = getattr(args, "workspace_attach", None)
    if attach is not None:
        attach(core)
    return core


def _check_knowledge_base(settings: Settings) -> None:
    """A broken guideline file stops the start with file and line, as a wrong app.yaml key does."""
    problems = startup_problems(settings)
    if problems:
        raise ConfigError(
            f"the guideline files have {len(problems)} problem(s), so the bot does not start; "
            "fix them ('ambassador kb check' checks them again):\n" + "\n".join(problems)
        )


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args, make_key=True)
    if getattr(args, "demo", False):
        return cmd_demo(args)
    if not settings.slack.configured and not settings.teams.configured:
        print(
            "No Slack or Teams credentials are set, so the bot opens a chat in this terminal.\n"
            "To connect Slack or Teams, see README.md (\"Connect Slack\" / \"Connect Microsoft Teams\").\n",
            file=sys.stderr,
        )
        return cmd_chat(args)
    _check_knowledge_base(settings)
    setup_logging(args.log_level)
    port = args.port if args.port is not None else settings.port
    host = args.host or settings.host
    app = web_app.create_app(settings, build_core(args, settings))
    web.run_app(app, host=host, port=port, print=lambda _msg: log.info("listening", extra={"host": host, "port": port}),
                access_log=None)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings(args, make_key=True)
    _check_knowledge_base(settings)
    lang = getattr(args, "lang", None) or terminal_language()
    if not settings.slack.configured and not settings.teams.configured:
        # No platform here: the terminal workspace, everyone of app.yaml in a database of its own.
        args.lang_resolved = lang
        asyncio.run(workspace.run(args, settings, build_core, build_parser))
        return 0
    # Beside a running Slack or Teams bot: one person's chat on its database, sending nothing itself.
    setup_logging("WARNING", json_lines=False)
    email = getattr(args, "as_email", None) or settings.app.roles.comms_lead or "you@example.com"

    async def main() -> None:
        core = build_core(args, settings)
        try:
            await core.db.upgrade()
            await core.db.check_key(settings.key.fingerprint())
            await Shell(core, email, lang=lang).run()
            await finish_background_work()
        finally:
            await core.db.dispose()

    asyncio.run(main())
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``ambassador demo`` (``./dev run --demo``): the terminal workspace on a demo database of its own,
    filled with four weeks of program life the first time (bot/demo.py)."""
    settings = _settings(args, make_key=True)
    _check_knowledge_base(settings)
    lang = getattr(args, "lang", None) or terminal_language()
    if settings.slack.configured or settings.teams.configured:
        raise ConfigError(demo.text_for("demo.credentials", lang))
    path = demo.prepare(args, settings, build_core, lang)
    args.db = str(path)
    return cmd_chat(args)


def terminal_language() -> str | None:
    """The terminal's own language (LC_ALL, LC_MESSAGES, LANG: de_DE.UTF-8 -> de), so the welcome and
    the first answers agree with what the person reads elsewhere; None where it is neither German
    nor English (the program's default language then)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in ("de", "en") else None
    return None


async def _upgraded(settings: Settings, then: Callable[[Database], Awaitable[object]] | None = None) -> None:
    """Bring the database's schema up to date, then (optionally) do ``then`` with it."""
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        if then is not None:
            await then(db)
    finally:
        await db.dispose()


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    settings = _settings(args)
    asyncio.run(_upgraded(settings))
    print(f"database schema is up to date ({settings.database_url.split('://')[0]})")
    return 0


def cmd_key_replace(args: argparse.Namespace) -> int:
    settings = _settings(args, make_key=True)
    fingerprint = settings.key.fingerprint()
    if fingerprint is None:
        raise ConfigError("there is no program key to take: set AMBASSADOR_SECRET, or let 'ambassador run' make "
                          "the key file beside app.yaml")

    asyncio.run(_upgraded(settings, lambda db: db.replace_key(fingerprint)))
    print(f"the database now goes with the program key from {settings.key.source}")
    return 0


def cmd_config_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    app = settings.app
    slack = "socket mode" if settings.slack.socket_mode else "http" if settings.slack.http_mode else "off"
    teams = "on" if settings.teams.configured else "off"
    print(f"{settings.config_path}: ok")
    print(f"  program: {app.program.name} ({app.program.company}), language {app.language.default}/{app.language.german_address}, "
          f"time zone {app.timezone}")
    print(f"  roles: comms lead {app.roles.comms_lead or '-'}, {len(app.roles.backup)} backup, "
          f"{len(app.roles.communicators)} communicators, {len(app.roles.core_group)} in the core group")
    print(f"  slack: {slack}; teams: {teams}; database: {settings.database_url.split('://')[0]}")
    return 0


def build_parser(capabilities: Sequence[Capability] = ()) -> argparse.ArgumentParser:
    """The parser with the framework's commands and each capability's (``Capability.cli``)."""
    parser = argparse.ArgumentParser(
        prog="ambassador",
        description="Ambassador: the employee brand-ambassador program in Slack and Microsoft Teams.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", help="path to app.yaml (default: AMBASSADOR_CONFIG or the shipped app.yaml)")
    # Every command reads the capabilities from its arguments: their config checks, their router.
    parser.set_defaults(capabilities=tuple(capabilities))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="serve Slack and/or Teams; with neither configured, chat in the terminal")
    p.add_argument("--host", help="address to listen on (default 0.0.0.0, or HOST)")
    p.add_argument("--port", type=int, help="port to listen on (default 3978, or PORT)")
    p.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"), help="DEBUG, INFO, WARNING (default INFO)")
    p.add_argument("--as", dest="as_email", help=argparse.SUPPRESS)
    p.add_argument("--lang", choices=["de", "en"], help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.add_argument("--demo", action="store_true",
                   help="without Slack or Teams: the terminal workspace on a demo database with four weeks of activity")
    p.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="try it: the terminal workspace on demo.db, filled with four weeks of activity")
    p.add_argument("--db", metavar="FILE", help="the demo database (default: demo.db beside app.yaml); a file that "
                   "is no demo database is refused untouched")
    p.add_argument("--fresh", action="store_true", help="make the demo database anew (only a demo database)")
    p.add_argument("--as", dest="as_email", metavar="EMAIL", help="whom you are in the chat (default: the comms lead)")
    p.add_argument("--lang", choices=["de", "en"], help="answer in this language")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("chat", help="chat with the bot in this terminal (no Slack or Teams needed)")
    p.add_argument("--as", dest="as_email", metavar="EMAIL", help="whom you are in the chat (default: the comms lead)")
    p.add_argument("--lang", choices=["de", "en"], help="answer in this language")
    p.add_argument("--db", metavar="FILE", help="the workspace's database (default: workspace.database of app.yaml, "
                   "workspace.db beside it; or AMBASSADOR_WORKSPACE_DB)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("db", help="database tasks")
    dbsub = p.add_subparsers(dest="db_command", metavar="TASK", required=True)
    dbsub.add_parser("upgrade", help="create or migrate the schema").set_defaults(func=cmd_db_upgrade)

    p = sub.add_parser("key", help="the program key (AMBASSADOR_SECRET or .ambassador.key; see docs/security.md)")
    ksub = p.add_subparsers(dest="key_command", metavar="TASK", required=True)
    ksub.add_parser("replace", help="make this key the database's key after the old one was lost").set_defaults(
        func=cmd_key_replace)

    p = sub.add_parser("config", help="configuration tasks")
    csub = p.add_subparsers(dest="config_command", metavar="TASK", required=True)
    csub.add_parser("check", help="validate app.yaml and the environment").set_defaults(func=cmd_config_check)

    for cap in capabilities:
        for register in cap.cli:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None, capabilities: Sequence[Capability] = ()) -> int:
    """``bot/app.py`` calls this with every capability; without them only the framework's commands exist."""
    parser = build_parser(capabilities)
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        return func(args)
    except (ConfigError, DatabaseError) as exc:
        print(f"ambassador: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`ambassador eval … | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
