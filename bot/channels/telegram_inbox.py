"""PTB's update queue backed by the inbox: the Updater's `put` returns only once the update is
stored, so the getUpdates offset moves (or the webhook is answered) only after that; PTB then
takes stored updates in arrival order, at most a page of them in memory."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram import Bot, Update

from bot.channels.intake import PAGE, Intake
from storage.inbox import InboxRow


def _chat_of(update: Update) -> str:
    chat = update.effective_chat
    return str(chat.id) if chat is not None else ""


class InboxQueue(asyncio.Queue[object]):
    """The Application's `update_queue`. Call `start(bot)` before the Updater runs."""

    def __init__(self, intake: Intake) -> None:
        super().__init__(maxsize=PAGE)
        self.intake = intake
        self.bot: Bot | None = None
        # Updates stored by this process and not yet handed on: no JSON round trip for them.
        self._fresh: dict[str, Update] = {}
        self._feeder: asyncio.Task[None] | None = None

    async def start(self, bot: Bot) -> None:
        """Hand on what the inbox holds, starting with what a previous run left."""
        self.bot = bot
        await self.intake.open()
        if self._feeder is None:
            self._feeder = asyncio.create_task(self.intake.feed(self._hand_on), name="tg-inbox")

    async def put(self, item: Any) -> None:
        """Store a fetched update in the inbox (the feeder hands it on); pass a stop signal on."""
        if not isinstance(item, Update):
            # PTB's stop signal: stop handing on stored rows first, so nothing follows it.
            await self.stop_feeding()
            await super().put(item)
            return
        await self.intake.wait_room()
        key = str(item.update_id)
        self._fresh[key] = item
        if not await self.intake.store(key, _chat_of(item), item.to_json()):
            # Stored before (a redelivery): handled, or will be, from that row.
            self._fresh.pop(key, None)

    async def _hand_on(self, row: InboxRow) -> None:
        update = self._fresh.pop(row.update_key, None)
        if update is None:
            update = Update.de_json(json.loads(row.body), self.bot)
        await super().put(update)

    async def stop_feeding(self) -> None:
        """Stop handing stored updates on and forget the fresh ones."""
        if self._feeder is not None:
            self._feeder.cancel()
            await asyncio.gather(self._feeder, return_exceptions=True)
            self._feeder = None
        self._fresh.clear()

    async def done(self, update: Update) -> None:
        """Mark the update handled in the inbox."""
        await self.intake.done(str(update.update_id))
