"""Injected time: the real clock in production, a manual one in tests and the sandbox."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of wall time (UTC) and of waiting."""

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for measuring intervals."""

    async def sleep(self, seconds: float) -> None:
        """Wait this many seconds of this clock's time."""


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The machine's current time in UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """The machine's monotonic clock, in seconds."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Sleep for real (a negative wait returns at once)."""
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """A clock that moves only when told to; sleepers wake when `advance` passes their deadline."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
        self._mono = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> datetime:
        """The time the clock was set or advanced to."""
        return self._now

    def monotonic(self) -> float:
        """Monotonic seconds, moved only by `advance`."""
        return self._mono

    async def sleep(self, seconds: float) -> None:
        """Wait until `advance` moves the clock past the deadline (yield once when none)."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._mono + seconds, next(self._seq), fut))
        await fut

    @property
    def sleepers(self) -> int:
        """How many tasks are waiting on this clock."""
        return sum(1 for _, _, f in self._sleepers if not f.done())

    async def advance(self, seconds: float) -> None:
        """Move time forward, waking every sleeper whose deadline is reached, in order."""
        target = self._mono + seconds
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, fut = heapq.heappop(self._sleepers)
            self._now += timedelta(seconds=deadline - self._mono)
            self._mono = deadline
            if not fut.done():
                fut.set_result(None)
            # Let the woken task run before time moves on.
            for _ in range(5):
                await asyncio.sleep(0)
        self._now += timedelta(seconds=target - self._mono)
        self._mono = target
        for _ in range(5):
            await asyncio.sleep(0)

    def set(self, when: datetime) -> None:
        """Jump the wall clock (not the monotonic one), e.g. to simulate downtime."""
        self._now = when
