"""Upload a file once per bot, then send it by the platform's file id (any channel with ids)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class FileIdStore(Protocol):
    """Durable file ids, so a restart does not upload the same file again."""

    async def get(self, channel: str, bot_key: str, file_key: str) -> str | None:
        """The platform's file id cached for the file, if any."""

    async def put(self, channel: str, bot_key: str, file_key: str, file_id: str) -> None:
        """Cache the platform's file id for the file."""

    async def forget(self, channel: str, bot_key: str, file_key: str) -> None:
        """Drop the cached file id."""


class UploadOnce:
    """Per-file lock and cache: of many concurrent sends of a new file exactly one uploads.

    The others wait for it and use the file id it got; if that upload fails (the recipient
    blocked the bot, say) the next waiter uploads instead.
    """

    def __init__(self, channel: str, bot_key: str, store: FileIdStore | None = None) -> None:
        self.channel = channel
        self.bot_key = bot_key
        self.store = store
        self._ids: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def send(
        self,
        file_key: str,
        upload: Callable[[], Awaitable[tuple[T, str | None]]],
        by_id: Callable[[str], Awaitable[T]],
    ) -> T:
        """Send by id when known; otherwise upload (once, whoever comes first) and remember."""
        file_id = self._ids.get(file_key)
        if file_id is None:
            lock = self._locks.setdefault(file_key, asyncio.Lock())
            async with lock:
                file_id = self._ids.get(file_key)
                if file_id is None and self.store is not None:
                    file_id = await self.store.get(self.channel, self.bot_key, file_key)
                    if file_id is not None:
                        self._ids[file_key] = file_id
                if file_id is None:
                    result, new_id = await upload()
                    if new_id:
                        self._ids[file_key] = new_id
                        if self.store is not None:
                            await self.store.put(self.channel, self.bot_key, file_key, new_id)
                    return result
        return await by_id(file_id)

    async def forget(self, file_key: str) -> None:
        """The platform no longer accepts the id: the next send uploads again."""
        self._ids.pop(file_key, None)
        if self.store is not None:
            await self.store.forget(self.channel, self.bot_key, file_key)
