"""A clock the tests move by hand: capabilities ask ``core.now()``, which asks it."""

from __future__ import annotations

from datetime import datetime, timedelta


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def move(self, **kw: float) -> None:
        self.now += timedelta(**kw)

    advance = move
