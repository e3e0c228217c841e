"""The inbox: updates members sent, stored before the platform is told they arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, to_db


@dataclass(frozen=True)
class InboxRow:
    id: int
    update_key: str
    chat_id: str
    body: str


class InboxRepo:
    """Stores, lists and marks the updates of one channel ("telegram", "zalo")."""

    def __init__(self, db: Database, channel: str) -> None:
        self.db = db
        self.channel = channel

    async def store(self, update_key: str, chat_id: str, body: str, now: datetime) -> bool:
        """Keep one update durably; False when it was stored before (a redelivery)."""
        changed = await self.db.execute_write(
            "INSERT OR IGNORE INTO inbox (channel, update_key, chat_id, body, received_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (self.channel, update_key, chat_id, body, to_db(now)),
        )
        return changed == 1

    async def pending(self, after_id: int, limit: int) -> list[InboxRow]:
        """Unhandled updates stored after `after_id`, in arrival order."""
        rows = await self.db.fetch_tuples(
            "SELECT id, update_key, chat_id, body FROM inbox "
            "WHERE channel = ? AND handled_at IS NULL AND id > ? ORDER BY id LIMIT ?",
            (self.channel, after_id, limit),
        )
        return [InboxRow(*row) for row in rows]

    async def count_pending(self) -> int:
        """How many of this channel's stored updates are not handled yet."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM inbox WHERE channel = ? AND handled_at IS NULL",
            (self.channel,),
        )
        return int(row[0]) if row else 0

    async def done(self, update_key: str, now: datetime) -> None:
        """Mark an update handled (answered, or failed and logged): not handled again."""
        await self.db.execute_write(
            "UPDATE inbox SET handled_at = ? "
            "WHERE channel = ? AND update_key = ? AND handled_at IS NULL",
            (to_db(now), self.channel, update_key),
        )


async def prune_inbox(db: Database, handled_before: datetime) -> int:
    """Forget handled updates older than the cut-off: long past any redelivery by the platform."""
    async with db.write() as conn:
        cursor = await conn.execute(
            "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ?",
            (to_db(handled_before),),
        )
        count = cursor.rowcount
        await cursor.close()
    return count
