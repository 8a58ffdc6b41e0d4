"""The crisis posting holds as content consults them: the one place that reads handlers/crisis.py.

A nudge that matches a hold waits (and an unreadable hold stops all nudges) until the hold is
lifted. Another slice replaces this with a declared send guard; until then the hold is read here
only, by module name at call time, as it always was.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from bot.core import Core

log = logging.getLogger("ambassador.content")


HoldCheck = Callable[[str], bool]
HOLD_RECHECK = timedelta(minutes=5)  # a nudge paused by a posting hold is looked at again this often


async def hold_check(core: Core) -> HoldCheck | None:
    """The posting holds in force (None: none). While one lasts no nudge goes out; the check also
    tells which texts are on a held topic.

    Uses ``active_holds(core)`` / ``hold_matching(holds, text)`` of handlers/crisis.py
    when that module is there. Raises when the holds cannot be read: better
    no nudge than content in the middle of a crisis.
    """
    try:
        crisis = importlib.import_module("handlers.crisis")
    except ImportError:
        return None
    except Exception:
        # The app itself imports that module at start, so a broken one stops it
        # there; here (a half-deployed tree) the nudge goes on without holds.
        log.exception("handlers.crisis could not be imported; nudges go out without hold checks")
        return None
    active = getattr(crisis, "active_holds", None)
    matching = getattr(crisis, "hold_matching", None)
    if active is None or matching is None:
        return None
    holds = active(core)
    if inspect.isawaitable(holds):
        holds = await holds
    if not holds:
        return None
    return lambda text: bool(matching(holds, text))


HOLD_REFRESH = 2.0  # seconds: a run that is sending reads the holds again this often


class LiveHolds:
    """The holds for a run that is sending, read again every HOLD_REFRESH seconds: a hold placed in
    the middle of a long run pauses the rest of it within seconds."""

    def __init__(self, core: Core, first: HoldCheck | None) -> None:
        self._core = core
        self._value = first
        self._at = time.monotonic()
        self._lock = asyncio.Lock()

    async def get(self) -> HoldCheck | None:
        if time.monotonic() - self._at >= HOLD_REFRESH:
            async with self._lock:
                if time.monotonic() - self._at >= HOLD_REFRESH:
                    try:
                        self._value = await hold_check(self._core)
                    except Exception:
                        # Holds unreadable: better no nudge than content in the middle of a crisis.
                        log.warning("posting holds could not be read; nudges wait", exc_info=True)
                        self._value = lambda text: True
                    self._at = time.monotonic()
        return self._value
