"""Where the delivery worker waits: parked until a deadline or a kick, and who waits on it."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.clock import Clock


@dataclass
class _Waiter:
    """A test or caller waiting for the worker to reach a state."""

    predicate: Callable[[], bool]
    future: asyncio.Future[None]


class Parking:
    """The dispatcher's sleep (until a deadline on the clock, or kicked) and state waiters."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        # Whether the dispatcher sleeps with nothing to do before its deadline or a kick.
        self.parked = False
        self._kicked = asyncio.Event()
        self._waiters: list[_Waiter] = []

    def kick(self) -> None:
        """Wake the dispatcher (or make its next `park` return at once)."""
        self.parked = False
        self._kicked.set()

    async def park(self, deadline: float, *, stopping: bool) -> None:
        """Wait until `deadline` on the clock, or until kicked."""
        if self._kicked.is_set() or stopping:
            self._kicked.clear()
            return
        if deadline <= self.clock.monotonic():
            # Never spin without letting the loop run, whatever the arithmetic said.
            await asyncio.sleep(0)
            return
        try:
            if math.isinf(deadline):
                self.parked = True
                self.notify()
                await self._kicked.wait()
            else:
                sleeper = asyncio.create_task(self._sleep_until(deadline))
                kicked = asyncio.create_task(self._kicked.wait())
                try:
                    await asyncio.wait({sleeper, kicked}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    sleeper.cancel()
                    kicked.cancel()
        finally:
            self.parked = False
            self._kicked.clear()

    async def _sleep_until(self, deadline: float) -> None:
        if self._kicked.is_set():
            return
        # Only now is the sleep registered with the clock: a test that sees the worker parked
        # and advances a fake clock is sure to wake it.
        self.parked = True
        self.notify()
        await self.clock.sleep(deadline - self.clock.monotonic())
        # Unpark at once, so a test advancing a fake clock never sees a stale "quiet".
        self.parked = False

    async def wait(self, predicate: Callable[[], bool]) -> None:
        """Return once `predicate()` holds; checked at each `notify()`."""
        if predicate():
            return
        waiter = _Waiter(predicate, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            await waiter.future
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def notify(self) -> None:
        """The worker's state changed: release the waiters whose predicate now holds."""
        for waiter in list(self._waiters):
            if not waiter.future.done() and waiter.predicate():
                waiter.future.set_result(None)
