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


def lease_clock(monkeypatch, now: datetime) -> Clock:
    """A Clock that also runs the leases (inbound work, scheduled jobs), which go by the wall clock
    every replica shares: tests of several replicas or of faults move them by hand too."""
    clock = Clock(now)
    monkeypatch.setattr("bot.core.utcnow", clock)
    monkeypatch.setattr("bot.scheduler.utcnow", clock)
    return clock
