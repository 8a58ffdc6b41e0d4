"""The crisis capability's state per core: its configuration, its group commits, the work it started
in the background and the holds it read last. One object per core, declared as the capability's
``state`` and kept by the core (``core.state("crisis")``); nothing is shared between cores."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

from bot.core import Core
from bot.groupcommit import GroupCommit
from handlers.crisis.config import CrisisConfig, load_config
from handlers.crisis.models import Hold

log = logging.getLogger("ambassador.crisis")


@dataclass
class CrisisState:
    # Read on first use: the answer guard needs the state, not the section (validated on start anyway).
    config: CrisisConfig | None = None
    # Reports arriving together are stored in one transaction, and their first alerts' outcomes
    # recorded in one (bot/groupcommit.py): a burst of reports is what this capability must be fast at.
    # Each is made by the module that writes it (reports.py, jobs.py), on first use.
    stores: GroupCommit[Any, Any] | None = None
    records: GroupCommit[Any, Any] | None = None
    tasks: set[asyncio.Task] = field(default_factory=set)
    # The holds the answer guard read last: (when to read them again, the read).
    answer_holds: tuple[float, asyncio.Future[list[Hold]]] | None = None


def new_state(core: Core) -> CrisisState:
    """The capability's declared ``state``: made by the core on first use."""
    return CrisisState()


def _state(core: Core) -> CrisisState:
    st: CrisisState = core.state("crisis")
    return st


def group_commit(core: Core, write: Callable[[Core, list[Any]], Awaitable[list[Any]]]) -> GroupCommit[Any, Any]:
    """A group commit that hands the batches to ``write(core, items)`` and does not keep the core alive."""
    ref = weakref.ref(core)  # the state is the core's: it must not keep the core alive

    async def run(items: list[Any]) -> list[Any]:
        return await write(ref(), items)

    return GroupCommit(run, singly=_refused)


def _refused(exc: Exception) -> bool:
    # A row the database refuses (a report stored meanwhile by another replica): the batch's
    # items are written one by one, so only that one sees it.
    return isinstance(exc, IntegrityError | DataError)


def config(core: Core) -> CrisisConfig:
    st = _state(core)
    if st.config is None:
        st.config = load_config(core.settings)
    return st.config


def _spawn(core: Core, coro) -> None:
    """Work that should start now but must not hold up the answer; the job finishes it if this process dies."""
    st = _state(core)

    async def guarded() -> None:
        try:
            await coro
        except Exception:
            log.exception("crisis background work failed; the job takes it up again")

    task = asyncio.get_running_loop().create_task(guarded())
    st.tasks.add(task)
    task.add_done_callback(st.tasks.discard)


async def settle(core: Core) -> None:
    """Wait for the work started in the background (tests, benchmarks, shutdown)."""
    st = _state(core)
    while True:
        # A finished task leaves the set here too: its done-callback is not always run before the
        # next look (seen as a settle that spun forever on one finished task under load).
        st.tasks.difference_update([t for t in st.tasks if t.done()])
        if not st.tasks:
            return
        await asyncio.gather(*list(st.tasks), return_exceptions=True)
