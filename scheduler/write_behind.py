"""Overlap a planner's writes with its next reads: a province-wide round runs on two threads.

SQLite work happens in aiosqlite's threads (one for the writer connection, one for the reader),
and sqlite3 releases the GIL while it steps. A planner that handles its rounds in chunks can let
chunk N's write transaction run while it reads and formats chunk N+1. Chunks must be
independent (disjoint rounds or meetings); writes stay in order, one at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from types import TracebackType
from typing import Any

logger = logging.getLogger(__name__)


class WriteBehind:
    """At most one write in flight; `submit` waits for the previous one, exit for the last.

    `total` sums what the writes returned (rows queued), once they are all done.
    """

    def __init__(self) -> None:
        self._pending: asyncio.Task[int] | None = None
        self.total = 0

    async def submit(self, write: Coroutine[Any, Any, int]) -> None:
        """Wait for the write in flight, then start this one without waiting for it."""
        try:
            await self.drain()
        except BaseException:
            write.close()  # never started: its transaction never began
            raise
        self._pending = asyncio.ensure_future(write)

    async def drain(self) -> None:
        """Wait for the write in flight, if any, and add what it returned to `total`."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self.total += await pending

    async def __aenter__(self) -> WriteBehind:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # On an error the write in flight still ends before the error goes on; each write is one
        # transaction, committed or rolled back whole (a cancellation rolls it back too).
        if exc is None:
            await self.drain()
        elif self._pending is not None:
            [result] = await asyncio.gather(self._pending, return_exceptions=True)
            if isinstance(result, BaseException):
                logger.error("planner write failed too", exc_info=result)
