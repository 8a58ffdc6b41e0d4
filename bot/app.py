"""The composition root: the one module of ``bot/`` that imports the capabilities.

``handlers/__init__.py`` lists them (``CAPABILITIES``); everything else in ``bot/``
(adapters, web server, metrics, command line) reads what their declarations give
it, through the router or the arguments built here.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from bot import cli
from bot import web as web_app
from bot.capability import build_router as build_router_from
from bot.config import Settings
from bot.core import Core
from bot.router import Router
from handlers import CAPABILITIES
from storage.db import Database


def build_router() -> Router:
    return build_router_from(CAPABILITIES)


def build_core(settings: Settings, db: Database | None = None) -> Core:
    return Core(settings, db or Database(settings.database_url), build_router())


def create_app(settings: Settings, *, core: Core | None = None, background: bool = True) -> web.Application:
    """The aiohttp application (``bot/web.py``) with every capability."""
    return web_app.create_app(settings, core or build_core(settings), background=background)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``ambassador`` command with every capability's subcommands."""
    return cli.main(argv, CAPABILITIES)
