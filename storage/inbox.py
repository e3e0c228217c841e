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

    async def store_many(self, updates: list[tuple[str, str, str]], now: datetime) -> set[str]:
        """Keep a platform's batch of (update_key, chat_id, body) durably in one statement (one
        transaction); returns the keys stored now, without the redeliveries stored before."""
        stored: set[str] = set()
        at = to_db(now)
        # 100 rows (Telegram's largest getUpdates answer) are 500 parameters: well within
        # SQLite's limit, and one trip to the writer's thread.
        for start in range(0, len(updates), 100):
            chunk = updates[start : start + 100]
            params: list[object] = []
            for key, chat_id, body in chunk:
                params += (self.channel, key, chat_id, body, at)
            rows = await self.db.write_returning(
                "INSERT OR IGNORE INTO inbox (channel, update_key, chat_id, body, received_at) "
                "VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * len(chunk)) + " RETURNING update_key",
                tuple(params),
            )
            stored.update(str(row[0]) for row in rows)
        return stored

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

    async def done_many(self, update_keys: list[str], now: datetime) -> None:
        """Mark updates handled (answered, or failed and logged): not handled again. One
        statement for up to 500 of them."""
        for start in range(0, len(update_keys), 500):
            chunk = update_keys[start : start + 500]
            await self.db.execute_write(
                "UPDATE inbox SET handled_at = ? WHERE channel = ? AND handled_at IS NULL "
                "AND update_key IN (" + ", ".join("?" * len(chunk)) + ")",
                (to_db(now), self.channel, *chunk),
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
