"""Multi-step conversation state, kept in the database so a restart loses nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.db import Database, from_db, to_db

# A conversation left this long is treated as abandoned.
STALE_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Conversation:
    kind: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


class ConversationRepo:
    """One open conversation per (channel, user)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, channel: str, user_id: str, now: datetime) -> Conversation | None:
        """The user's conversation in progress, or None when there is none or it went stale."""
        row = await self.db.fetchone(
            "SELECT kind, step, data, updated_at FROM conversations WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        if row is None or from_db(row["updated_at"]) + STALE_AFTER < now:
            return None
        return Conversation(row["kind"], row["step"], json.loads(row["data"]))

    async def set(self, channel: str, user_id: str, conv: Conversation, now: datetime) -> None:
        """Save the user's conversation state, replacing the previous one."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO conversations (channel, user_id, kind, step, data, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET "
                "kind = excluded.kind, step = excluded.step, data = excluded.data, "
                "updated_at = excluded.updated_at",
                (
                    channel,
                    user_id,
                    conv.kind,
                    conv.step,
                    json.dumps(conv.data, ensure_ascii=False),
                    to_db(now),
                ),
            )

    async def clear(self, channel: str, user_id: str) -> None:
        """End the user's conversation in progress."""
        async with self.db.write() as conn:
            await conn.execute(
                "DELETE FROM conversations WHERE channel = ? AND user_id = ?", (channel, user_id)
            )
