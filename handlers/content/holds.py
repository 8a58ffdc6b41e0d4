"""The pauses other capabilities put on the bot's own sends, as content consults them.

A capability declares a send guard (crisis: its posting holds); content asks the router, never
the capability. A nudge that matches a hold waits (and an unreadable hold stops all nudges) until
the hold is lifted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from bot.core import Core

log = logging.getLogger("ambassador.content")


HoldCheck = Callable[[str], bool]
HOLD_RECHECK = timedelta(minutes=5)  # a nudge paused by a posting hold is looked at again this often


async def hold_check(core: Core) -> HoldCheck | None:
    """The pause the capabilities' send guards declare (None: none). While one lasts no nudge goes
    out; the check also tells which texts are on a held topic (a crisis posting hold's keywords).
    Raises when a guard cannot tell: better no nudge than content in the middle of a crisis.
    """
    pause = await core.router.send_pause(core)
    return None if pause is None else pause.matches


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
