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
        # Handled updates whose mark is being gathered into one write (`done`).
        self._handled: list[str] = []
        self._marking: asyncio.Future[None] | None = None

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

    async def wait_room(self, need: int = 1) -> None:
        """Wait until `need` more updates fit in the backlog (until then nothing more should be
        taken from the platform)."""
        need = min(need, self.backlog)
        async with self._room:
            await self._room.wait_for(lambda: self._pending + need <= self.backlog)

    async def store(self, update_key: str, chat_id: str, body: str) -> bool:
        """Store one update durably; False for a redelivery already stored."""
        stored = await self.repo.store(update_key, chat_id, body, self.clock.now())
        if stored:
            self._pending += 1
            self._wake.set()
        return stored

    async def store_many(self, updates: list[tuple[str, str, str]]) -> set[str]:
        """Store a platform's batch of (update_key, chat_id, body) in one transaction; returns
        the keys stored now (a redelivery stored before is left out)."""
        stored = await self.repo.store_many(updates, self.clock.now())
        if stored:
            self._pending += len(stored)
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
                try:
                    await deliver(row)
                except Exception:
                    # One row's failure (e.g. its handled mark met a locked database) must not
                    # stop the feed; the row stays unhandled and is answered after a restart.
                    logger.exception("inbox row %s could not be handed on", row.id)
                last = row.id

    async def done(self, update_key: str) -> None:
        """Mark handled and make room for more; returns once the mark is stored.

        The updates handled in the same turn of the event loop are marked in one write (a group
        commit): each caller still waits for its own mark to be durable.
        """
        self._handled.append(update_key)
        if self._marking is None:
            self._marking = asyncio.ensure_future(self._mark())
        await asyncio.shield(self._marking)

    async def _mark(self) -> None:
        await asyncio.sleep(0)  # let the other updates finishing in this turn join in
        keys, self._handled, self._marking = self._handled, [], None
        try:
            await self.repo.done_many(keys, self.clock.now())
        finally:
            # Even when the mark failed (the rows stay unhandled, answered again after a
            # restart), they are out of this process's hands: the backlog must not leak.
            async with self._room:
                self._pending = max(0, self._pending - len(keys))
                self._room.notify_all()
