"""The scheduler hook: periodic jobs that one replica at a time runs.

Each job is claimed through a lease row in the database, so with several
replicas a job runs once per period (storage/leases.py), and a dead replica's lease runs out and
another replica takes the job over. Capabilities add their jobs with ``every``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from storage import leases
from storage.db import Database
from storage.models import utcnow

log = logging.getLogger("ambassador.scheduler")

Job = Callable[[], Awaitable[object]]


@dataclass
class _Entry:
    name: str
    seconds: float
    fn: Job


class Scheduler:
    def __init__(self, db: Database, *, holder: str | None = None) -> None:
        self.db = db
        # Host and pid alone are not unique: containers all run as pid 1, and with
        # host networking they share the host's name; two replicas with one
        # holder name would both pass the lease check.
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.jobs: list[_Entry] = []
        self._tasks: list[asyncio.Task] = []

    def every(self, seconds: float, name: str, fn: Job) -> None:
        self.jobs.append(_Entry(name, seconds, fn))

    async def claim(self, name: str, seconds: float) -> bool:
        """Take the lease for one period; False when another replica holds it."""
        return await leases.take(self.db, name, self.holder, now=utcnow(),
                                 span=timedelta(seconds=max(seconds * 0.9, 1)))

    async def run_once(self, entry: _Entry) -> None:
        if not await self.claim(entry.name, entry.seconds):
            return
        try:
            await entry.fn()
        except Exception:
            log.exception("scheduled job failed", extra={"job": entry.name})

    async def _loop(self, entry: _Entry) -> None:
        while True:
            try:
                await self.run_once(entry)
            except Exception:  # the database may be away for a while; try again next period
                log.exception("scheduler could not claim job", extra={"job": entry.name})
            await asyncio.sleep(entry.seconds)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._loop(e), name=f"job:{e.name}") for e in self.jobs]

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self.release()

    async def release(self) -> None:
        """Give up this process's leases: a restarted or other replica takes the jobs at once instead of
        waiting for them to run out (up to a job's period: a minute for the nudge, minutes for the report)."""
        try:
            await leases.release(self.db, self.holder, until=utcnow())
        except Exception:  # stopping with the database away: the leases run out by themselves
            log.warning("leases not released on stop; they run out by themselves")
