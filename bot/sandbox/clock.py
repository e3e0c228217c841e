"""The sandbox's virtual clock: real time plus an offset the clock panel moves forward."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta


class VirtualClock:
    """Wall time is the machine's plus `offset`; waiting and pacing run in real time.

    Only `now()` moves: the delivery worker's pacing (monotonic) and sleeps stay real, so the
    sandbox still shows how fast messages really go out.
    """

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """The machine's time plus the offset."""
        return datetime.now(UTC) + self.offset

    def monotonic(self) -> float:
        """The machine's monotonic clock (the offset does not move it)."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Sleep in real time (a negative wait returns at once)."""
        await asyncio.sleep(max(0.0, seconds))

    def advance(self, delta: timedelta) -> datetime:
        """Move sandbox time forward (never back: the database must not see time reverse)."""
        if delta > timedelta(0):
            self.offset += delta
        return self.now()
