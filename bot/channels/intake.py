"""Durable intake: an update is stored in the inbox before the platform is told it arrived, then
handed on in arrival order; the memory holds a bounded page, the platform keeps the rest."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.core.clock import Clock
from storage.db import Database
from storage.inbox import InboxRepo, InboxRow

logger = logging.getLogger(__name__)

# Stored but not yet handled updates beyond which no more are taken from the platform: Telegram
# keeps them for a day and redelivers; the memory and the inbox stay small under any flood.
BACKLOG = 256
# Rows read from the inbox at a time.
PAGE = 64


class Intake:
    """The inbox of one channel: `store` before confirming, `feed` hands rows on in order,
    `done` when handled. One intake per channel and process."""

    def __init__(self, db: Database, channel: str, clock: Clock, *, backlog: int = BACKLOG) -> None:
        self.repo = InboxRepo(db, channel)
        self.clock = clock
        self.backlog = backlog
        self._pending = 0
        self._room = asyncio.Condition()
        self._wake = asyncio.Event()

    async def open(self) -> int:
        """Count what a previous run left unhandled (it is handed on first)."""
        self._pending = await self.repo.count_pending()
        if self._pending:
            logger.info(
                "%s inbox: %s updates left unhandled, handling them first",
                self.repo.channel,
                self._pending,
            )
        return self._pending

    @property
    def pending(self) -> int:
        """How many stored updates are waiting to be handled."""
        return self._pending

    async def wait_room(self) -> None:
        """Wait while the backlog is full (nothing more should be taken from the platform)."""
        async with self._room:
            await self._room.wait_for(lambda: self._pending < self.backlog)

    async def store(self, update_key: str, chat_id: str, body: str) -> bool:
        """Store one update durably; False for a redelivery already stored."""
        stored = await self.repo.store(update_key, chat_id, body, self.clock.now())
        if stored:
            self._pending += 1
            self._wake.set()
        return stored

    async def feed(self, deliver: Callable[[InboxRow], Awaitable[None]]) -> None:
        """Hand every unhandled row to `deliver`, oldest first, forever (cancel to stop)."""
        last = 0
        while True:
            # Cleared before reading, so a row stored meanwhile is never missed.
            self._wake.clear()
            rows = await self.repo.pending(last, PAGE)
            if not rows:
                await self._wake.wait()
                continue
            for row in rows:
                await deliver(row)
                last = row.id

    async def done(self, update_key: str) -> None:
        """Mark handled and make room for more."""
        await self.repo.done(update_key, self.clock.now())
        async with self._room:
            self._pending = max(0, self._pending - 1)
            self._room.notify_all()
