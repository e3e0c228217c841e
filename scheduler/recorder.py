"""Writing the delivery worker's outcomes in batches, while the next batch gathers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.core.clock import Clock
from storage.outbox import OutboxRepo, Outcome

logger = logging.getLogger(__name__)

# Outcomes written per transaction at most; more wait for the next one.
MAX_OUTCOMES_PER_WRITE = 500
# While sends are in flight, gather their outcomes this long (loop time, not the injected
# clock: it is about SQLite round trips, not pacing) or until this many wait, then write.
FLUSH_LINGER_SECONDS = 0.01
FLUSH_BATCH = 200


class OutcomeRecorder:
    """Gathers outcomes and writes them in batches; `run()` until `close()`."""

    def __init__(
        self,
        outbox: OutboxRepo,
        clock: Clock,
        *,
        sending: Callable[[], bool],
        recorded: Callable[[], None],
        retry_seconds: float,
    ) -> None:
        self.outbox = outbox
        self.clock = clock
        # Whether sends are in flight (then a batch lingers a moment for more outcomes).
        self._sending = sending
        # Called after each written batch.
        self._recorded = recorded
        self._retry_seconds = retry_seconds
        self.outcomes: list[Outcome] = []
        # Outcomes of the transaction being written.
        self.writing = 0
        self._ready = asyncio.Event()
        self._batch_full = asyncio.Event()
        self._closing = False

    def add(self, outcome: Outcome) -> None:
        """Queue one outcome for the next write."""
        self.outcomes.append(outcome)
        self._ready.set()
        if len(self.outcomes) >= FLUSH_BATCH:
            self._batch_full.set()

    def close(self) -> None:
        """Write what is queued without lingering, then let `run()` return."""
        self._closing = True
        self._ready.set()

    async def run(self) -> None:
        """Write outcomes in batches: while one transaction runs, the next batch gathers."""
        while True:
            await self._ready.wait()
            if self._sending() and not self._closing and len(self.outcomes) < FLUSH_BATCH:
                self._batch_full.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(FLUSH_LINGER_SECONDS):
                        await self._batch_full.wait()
            self._ready.clear()
            while self.outcomes:
                batch = self.outcomes[:MAX_OUTCOMES_PER_WRITE]
                del self.outcomes[:MAX_OUTCOMES_PER_WRITE]
                self.writing = len(batch)
                try:
                    await self.outbox.record(batch)
                except Exception:
                    if self._closing:
                        # The rows stay 'sending' and are sent again after the next start.
                        logger.exception("could not record %d outcomes at shutdown", len(batch))
                        self.writing = 0
                        return
                    logger.exception("could not record %d outcomes; will retry", len(batch))
                    self.outcomes[:0] = batch
                    self.writing = 0
                    await self.clock.sleep(self._retry_seconds)
                    continue
                self.writing = 0
                self._recorded()
            if self._closing:
                return
