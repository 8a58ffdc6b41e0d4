"""``ambassador run`` for the tests that kill a replica, with the takeover waits shortened.

This is the real command line (``bot.app.main``, what the ``ambassador`` script
runs) in a real process. Only the waits that decide when another replica takes
over a dead one's work are shortened, so a test sees the takeover in seconds
instead of the minute and more of production. They come as JSON in
AMBASSADOR_TEST_TIMINGS:

    {"bot.core.LEASE": 3, "handlers.crisis.FIRST_CLAIM": 3, "jobs": {"inbound-recovery": 1}}

A dotted name sets that module constant (in seconds; a timedelta stays a
timedelta); ``jobs`` sets the period of scheduled jobs by name (their leases
follow: 90 % of the period).

    python -m tests.replica_run run --host 127.0.0.1 --port 8123
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from datetime import timedelta
from typing import Any


def shorten(timings: dict[str, Any]) -> None:
    jobs = dict(timings.get("jobs") or {})
    for dotted, seconds in timings.items():
        if dotted == "jobs":
            continue
        module_name, _, name = dotted.rpartition(".")
        module = importlib.import_module(module_name)
        old = getattr(module, name)
        setattr(module, name, timedelta(seconds=seconds) if isinstance(old, timedelta) else type(old)(seconds))
    if jobs:
        from bot.scheduler import Scheduler

        every = Scheduler.every

        def every_shortened(self: Scheduler, seconds: float, name: str, fn: Any) -> None:
            every(self, jobs.get(name, seconds), name, fn)

        Scheduler.every = every_shortened  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    shorten(json.loads(os.environ.get("AMBASSADOR_TEST_TIMINGS") or "{}"))
    from bot.app import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
