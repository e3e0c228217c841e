"""Updates handled concurrently across chats and in arrival order within each chat."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates being answered at once: a member's answer waits on the database and the network, so
# several in flight keep the one core busy; within a chat they still go one after the other.
CONCURRENCY = 16
# PTB's own limit is set far above ours so that it never reorders: every update reaches
# `do_process_update` in arrival order and takes its place in its chat's line there.
_NO_LIMIT = 1 << 20


class PerChatOrder(BaseUpdateProcessor):
    """PTB update processor: up to `concurrency` updates at once, one at a time per chat."""

    def __init__(self, concurrency: int = CONCURRENCY) -> None:
        super().__init__(_NO_LIMIT)
        self._limit = asyncio.Semaphore(concurrency)
        # The last update of each chat still being handled: the next one waits for it.
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handling after the chat's previous update, within the shared limit."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._limit:
                await coroutine
            return
        # No await before this point: the line forms in arrival order.
        before = self._tails.get(chat.id)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[chat.id] = mine
        try:
            if before is not None:
                await asyncio.shield(before)
            async with self._limit:
                await coroutine
        finally:
            mine.set_result(None)
            if self._tails.get(chat.id) is mine:
                del self._tails[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
