"""PTB's update queue backed by the inbox: an update is stored before the getUpdates offset moves
past it (or the webhook is answered); PTB then takes stored updates in arrival order, at most a
page of them in memory.

With polling, `InboxRequest` stores each getUpdates answer as it comes off the wire, the whole
batch in one transaction and each update's JSON as the platform sent it, before PTB even parses
it; the Updater's `put` then only hands the parsed update on. In webhook mode (or for an update
that did not come through it) `put` stores the update itself and returns once it is stored.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

from bot.channels.intake import PAGE, Intake
from storage.inbox import InboxRow

# The most updates one getUpdates answer holds (the Bot API's default and largest `limit`).
GET_UPDATES_LIMIT = 100


def _chat_of(update: Update) -> str:
    chat = update.effective_chat
    return str(chat.id) if chat is not None else ""


def _raw_chat(raw: dict[str, Any]) -> str:
    """The chat of an update as the platform sent it (a message's, or a pressed button's)."""
    for key, value in raw.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        chat = value.get("chat")
        if chat is None and isinstance(value.get("message"), dict):
            chat = value["message"].get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return str(chat["id"])
        return ""
    return ""


class InboxQueue(asyncio.Queue[object]):
    """The Application's `update_queue`. Call `start(bot)` before the Updater runs."""

    def __init__(self, intake: Intake) -> None:
        super().__init__(maxsize=PAGE)
        self.intake = intake
        self.bot: Bot | None = None
        # Updates stored by this process and not yet handed on: no JSON round trip for them.
        self._fresh: dict[str, Update] = {}
        # Keys of the last getUpdates answer stored by `InboxRequest` -> stored now (False: a
        # redelivery stored before); the last key of that answer.
        self._batch: dict[str, bool] = {}
        self._batch_last = ""
        # The update last handed on: a batch's update put after its row was handed on (from the
        # stored JSON, when the feeder read the row first) must not wait in `_fresh` forever.
        self._handed = -1
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
        key = str(item.update_id)
        new = self._batch.pop(key, None)
        if new is not None:
            # Stored with its batch already (`store_raw`).
            if new and item.update_id > self._handed:
                self._fresh[key] = item
            if key == self._batch_last:
                # The Updater asks for more only when a whole answer fits in the backlog.
                await self.intake.wait_room(GET_UPDATES_LIMIT)
            return
        await self.intake.wait_room()
        self._fresh[key] = item
        if not await self.intake.store(key, _chat_of(item), item.to_json()):
            # Stored before (a redelivery): handled, or will be, from that row.
            self._fresh.pop(key, None)

    async def store_raw(self, updates: list[dict[str, Any]]) -> None:
        """Store one getUpdates answer, as the platform sent it, in one transaction."""
        rows = [
            (str(raw["update_id"]), _raw_chat(raw), json.dumps(raw, ensure_ascii=False))
            for raw in updates
        ]
        stored = await self.intake.store_many(rows)
        self._batch = {key: key in stored for key, _, _ in rows}
        self._batch_last = rows[-1][0]

    async def _hand_on(self, row: InboxRow) -> None:
        update = self._fresh.pop(row.update_key, None)
        self._handed = int(row.update_key) if row.update_key.isdigit() else self._handed
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


class InboxRequest(BaseRequest):
    """The getUpdates request of a bot whose updates go through the inbox: each answer is
    stored (`InboxQueue.store_raw`) before PTB sees it, so before the next getUpdates call can
    confirm it. Every other part of the request is `inner`'s."""

    __slots__ = ("inbox", "inner")

    def __init__(self, inner: BaseRequest, inbox: InboxQueue) -> None:
        self.inner = inner
        self.inbox = inbox

    @property
    def read_timeout(self) -> float | None:
        """The wrapped request's default read timeout (PTB adds the long-poll time to it)."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Open the wrapped request's connections."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close the wrapped request's connections."""
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """The wrapped request; a getUpdates answer is stored before it is returned to PTB."""
        status, body = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout,  # type: ignore[arg-type]
            write_timeout,  # type: ignore[arg-type]
            connect_timeout,  # type: ignore[arg-type]
            pool_timeout,  # type: ignore[arg-type]
        )
        if status == 200 and url.endswith("/getUpdates"):
            answer = json.loads(body)
            ok = isinstance(answer, dict) and answer.get("ok") is True
            updates = answer.get("result") if ok else None
            if isinstance(updates, list) and updates:
                await self.inbox.store_raw(updates)
        return status, body
