"""Group commit: what concurrent callers want written goes to the database in one transaction.

A caller submits an item and waits until it is committed, exactly as with a
transaction of its own. While one transaction is in flight the items that
arrive meanwhile wait and go together in the next one: one caller alone waits
no longer than before (no timer, no added latency), and under load N callers
share one transaction instead of queueing for N. This is what keeps a busy
replica's per-event database work from growing with the rate.

A batch that fails because of what is in it (``singly(exc)`` says so: a row
the database refuses, a constraint it breaks) is written again item by item,
so that item fails only its own caller. A batch that fails because the
database is away fails all its callers at once: trying each item again would
keep the next ones waiting for nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence


class GroupCommit[T, R]:
    """Writes items with ``write(items) -> results`` (one result per item, in order), batching callers."""

    def __init__(self, write: Callable[[list[T]], Awaitable[Sequence[R]]], *, max_batch: int = 200,
                 singly: Callable[[Exception], bool] = lambda exc: True) -> None:
        self._write = write
        self.max_batch = max_batch
        self._singly = singly
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None
        self.batches = 0  # transactions written so far (for tests and the benchmark's curiosity)

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._waiting.append((item, future))
        runner = self._runner
        # A runner of another (closed) event loop never finishes: tests run one loop per test.
        if runner is None or runner.done() or runner.get_loop() is not loop:
            self._runner = loop.create_task(self._drain(), name="group-commit")
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._waiting:
                batch = self._waiting[: self.max_batch]
                del self._waiting[: self.max_batch]
                try:
                    results = await self._write([item for item, _ in batch])
                except Exception as exc:
                    if len(batch) > 1 and self._singly(exc):
                        await self._one_by_one(batch)
                    else:
                        self._fail(batch, exc)
                    continue
                self.batches += 1
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        except asyncio.CancelledError:
            # The loop is shutting down: nobody waits for ever.
            self._fail(batch, asyncio.CancelledError())
            self._fail(self._waiting, asyncio.CancelledError())
            self._waiting.clear()
            raise

    async def _one_by_one(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        for item, future in batch:
            try:
                [result] = await self._write([item])
            except Exception as exc:
                self._fail([(item, future)], exc)
            else:
                self.batches += 1
                if not future.done():
                    future.set_result(result)

    @staticmethod
    def _fail(batch: list[tuple[T, asyncio.Future[R]]], exc: BaseException) -> None:
        for _, future in batch:
            if not future.done():
                future.set_exception(exc)
