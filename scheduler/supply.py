"""The delivery worker's supply of rows: due rows read into per-chat queues, claimed ahead."""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable

from bot.core.clock import Clock
from scheduler.ratelimit import Chat, ChatPacer, ChatQueues
from storage.outbox import OutboxMessage, OutboxRepo

logger = logging.getLogger(__name__)

# Look at the database at least this often, in case rows were queued without `wake()`.
POLL_SECONDS = 1.0
# Rows of one chat held in memory at once: enough to keep a chat busy between two fetches,
# few enough that one chat with a long queue cannot crowd the others out of a batch.
PER_CHAT_IN_MEMORY = 2


class RowSupply:
    """Due rows on their way to a sending lane: fetched per chat, then claimed ahead."""

    def __init__(
        self,
        outbox: OutboxRepo,
        clock: Clock,
        channels: list[str],
        pacer_for: Callable[[str, str], ChatPacer],
        *,
        batch_size: int,
        claim_ahead: int,
    ) -> None:
        self.outbox = outbox
        self.clock = clock
        self.channels = channels
        self.batch_size = batch_size
        self.queues = ChatQueues(pacer_for)
        # Per channel: each channel's budget decides when its rows start.
        self.claimed: dict[str, deque[tuple[Chat, OutboxMessage, int]]] = {
            channel: deque() for channel in channels
        }
        self.claim_ahead = claim_ahead
        # Refill from the database when fewer rows than this wait in memory.
        self.low_water = max(1, batch_size // 2)
        # Whether the database may hold due rows not read yet, and when to look anyway.
        self.dirty = True
        self.fetch_at = -math.inf

    async def fetch(self) -> None:
        """Read due rows into the chat queues; set when to look again."""
        self.dirty = False
        # Read both clocks together: the deadline below must not drift by the query's duration.
        wall, mono = self.clock.now(), self.clock.monotonic()
        rows = await self.outbox.due_spread(
            wall,
            self.batch_size,
            channels=self.channels,
            per_chat=PER_CHAT_IN_MEMORY,
            exclude=self.queues.held,
        )
        now = self.clock.monotonic()
        for msg in rows:
            self.queues.add(msg, now)
        if len(rows) >= self.batch_size:
            self.dirty = True  # more are waiting
        upcoming = await self.outbox.next_due_at(after=wall)
        delay = POLL_SECONDS
        if upcoming is not None:
            delay = min(delay, max(0.0, (upcoming - wall).total_seconds()))
        self.fetch_at = mono + delay

    async def claim(self, picked: list[tuple[Chat, OutboxMessage]]) -> None:
        """Claim the picked rows; those still pending join the claimed reserve."""
        try:
            claimed = await self.outbox.claim([msg.id for _, msg in picked])
        except BaseException:
            # Nothing was claimed: put the rows back where they were.
            now = self.clock.monotonic()
            for chat, msg in reversed(picked):
                self.queues.put_back(chat, msg, now)
            raise
        now = self.clock.monotonic()
        for chat, msg in picked:
            attempts = claimed.get(msg.id)
            if attempts is None:
                # Cancelled (or taken by another process) since we read it: not ours to send.
                logger.info("outbox row %s no longer pending; skipped", msg.id)
                self.queues.dropped(chat, now)
                continue
            self.claimed[msg.channel].append((chat, msg, attempts))

    def claimed_count(self) -> int:
        """Rows claimed and not yet started."""
        return sum(len(claimed) for claimed in self.claimed.values())

    def claim_room(self) -> int:
        """How many rows to claim now: none until half the claimed reserve is used."""
        claimed = self.claimed_count()
        if claimed > self.claim_ahead // 2:
            return 0
        return self.claim_ahead - claimed

    async def release(self) -> None:
        """On stop: claimed rows that never started go back to the queue, attempt undone."""
        rows = [row for claimed in self.claimed.values() for row in claimed]
        if not rows:
            return
        ids = [msg.id for _, msg, _ in rows]
        now = self.clock.monotonic()
        for chat, msg, _ in reversed(rows):
            self.queues.put_back(chat, msg, now)
        for claimed in self.claimed.values():
            claimed.clear()
        try:
            await self.outbox.release(ids)
        except Exception:
            # Left in 'sending': the next start's `recover()` puts them back.
            logger.exception("could not release %d claimed outbox rows", len(ids))
