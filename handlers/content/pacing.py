"""The per-process sending machinery: the pacer that keeps the sends within a platform's limits,
and the process's ``Nudger`` (lease holder name, pace, concurrency): the capability's declared
``state``, kept by the core (``core.state("content")``).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.core import Core
from handlers.content.config import content_config


class Pacer:
    """Spaces the sends of all workers of a process to a platform's limits.

    - evenly: one send every ``1 / (rate * (1 - headroom))`` seconds, so no burst builds up; the
      headroom absorbs requests that reach the platform a little later than others;
    - never more than ``rate * (1 - headroom)`` sends in any second, counted when they really leave:
      an event loop that stalled and wakes several workers at once cannot burst past the
      platform's window (Slack answers that with 429);
    - per conversation: one send per ``per_key`` seconds (Slack: about one a second);
    - ``back_off(seconds)``: the platform said "slow down" (429 with Retry-After): nobody sends
      until then, not even the workers that hold a slot already.

    A worker reserves its slot (``reserve``), does its bookkeeping, then waits for it
    (``until``); ``wait`` does both. The clock and sleep are injectable, so tests never wait.
    """

    WINDOW = 1.0

    def __init__(self, rate: float, per_key: float = 1.0, *, headroom: float = 0.05,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.rate = rate
        self.per_key = per_key
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._hold = 0.0
        self._keys: dict[Any, float] = {}
        self._sent: deque[float] = deque()
        self.waited = 0.0
        self.held = 0  # how often the platform said "slow down"
        pace = rate * (1.0 - headroom)
        self.interval = 1.0 / pace if pace > 0 else 0.0
        self.cap = max(1, int(pace * self.WINDOW)) if pace > 0 else 0

    def reserve(self, key: Any = None) -> float:
        """The time of this caller's next free slot (clock seconds)."""
        now = self.clock()
        at = max(now, self._next, self._hold, self._keys.get(key, 0.0) if key is not None else 0.0)
        self._next = at + self.interval
        if key is not None:
            self._keys[key] = at + self.per_key
            if len(self._keys) > 50_000:
                self._keys = {k: v for k, v in self._keys.items() if v > now}
        return at

    async def until(self, at: float) -> None:
        """Sleep until the slot, the end of any back-off and a free place in the window; then it is taken."""
        now = self.clock()
        while True:
            target = max(at, self._hold)
            if self.cap:
                while self._sent and self._sent[0] <= now - self.WINDOW:
                    self._sent.popleft()
                if len(self._sent) >= self.cap:
                    target = max(target, self._sent[0] + self.WINDOW)
            if target <= now:
                break
            self.waited += target - now
            await self.sleep(target - now)
            # A back-off may have come in meanwhile: look again (time has reached the target at least).
            now = max(self.clock(), target)
        if self.cap:
            self._sent.append(now)

    async def wait(self, key: Any = None) -> None:
        await self.until(self.reserve(key))

    def back_off(self, seconds: float) -> None:
        """The platform said "slow down": nobody sends for ``seconds``."""
        self.held += 1
        self._hold = max(self._hold, self.clock() + max(0.0, float(seconds)))
        self._next = max(self._next, self._hold)


@dataclass
class Nudger:
    """What one process keeps for the nudge: who it is (for leases) and its pace."""

    holder: str
    pacer: Pacer
    concurrency: int


def new_nudger(core: Core) -> Nudger:
    """The capability's declared ``state``: made by the core on first use."""
    cfg = content_config(core.settings)
    return Nudger(holder=f"{os.getpid()}:{uuid.uuid4().hex[:12]}",
                  pacer=Pacer(cfg.messages_per_second, cfg.per_conversation_seconds), concurrency=cfg.concurrency)


def nudger(core: Core) -> Nudger:
    n: Nudger = core.state("content")
    return n


def configure(core: Core, *, pacer: Pacer | None = None, concurrency: int | None = None) -> Nudger:
    """Tests and the benchmark inject their pace here."""
    n = nudger(core)
    if pacer is not None:
        n.pacer = pacer
    if concurrency is not None:
        n.concurrency = concurrency
    return n
