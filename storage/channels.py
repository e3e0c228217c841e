"""Per-chat offered choices (numbered lists on Zalo) and each member's preferred channel."""

from __future__ import annotations

import json
from datetime import datetime

from storage.db import Database, to_db

# 1 for the account on the member's chosen channel (/kenh), 0 for another, NULL without a choice.
# Queries that pick "the account linked last" order by this first, so the choice wins.
PREFERRED = "(a.channel = (SELECT p.channel FROM channel_prefs p WHERE p.member_id = a.member_id))"

# The rowid of the one account a message to member `m` goes to: reachable, on the chosen
# channel if any, else the latest linked.
BEST_ACCOUNT = (
    "(SELECT a.rowid FROM accounts a WHERE a.member_id = m.id AND a.unreachable_at IS NULL "
    f"ORDER BY {PREFERRED} DESC, a.linked_at DESC LIMIT 1)"
)


class ChoiceRepo:
    """The options last offered in a chat, as (label, payload) in their numbered order."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, channel: str, chat_id: str) -> list[tuple[str, str]]:
        """The options last offered in the chat, or none."""
        row = await self.db.fetchone(
            "SELECT options FROM offered_choices WHERE channel = ? AND chat_id = ?",
            (channel, chat_id),
        )
        if row is None:
            return []
        return [(str(label), str(payload)) for label, payload in json.loads(row["options"])]

    async def offered_since(
        self, channel: str, chat_id: str, since: datetime
    ) -> list[tuple[str, str]]:
        """The current options if they were offered at or after `since`, else none."""
        row = await self.db.fetchone(
            "SELECT options FROM offered_choices WHERE channel = ? AND chat_id = ? "
            "AND offered_at >= ?",
            (channel, chat_id, to_db(since)),
        )
        if row is None:
            return []
        return [(str(label), str(payload)) for label, payload in json.loads(row["options"])]

    async def put(
        self, channel: str, chat_id: str, options: list[tuple[str, str]], now: datetime
    ) -> None:
        """Remember these options (an empty list forgets them)."""
        async with self.db.write() as conn:
            if not options:
                await conn.execute(
                    "DELETE FROM offered_choices WHERE channel = ? AND chat_id = ?",
                    (channel, chat_id),
                )
                return
            await conn.execute(
                "INSERT INTO offered_choices (channel, chat_id, options, offered_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET "
                "options = excluded.options, offered_at = excluded.offered_at",
                (channel, chat_id, json.dumps(options, ensure_ascii=False), to_db(now)),
            )


class ChannelPrefRepo:
    """Where a member wants messages: 'telegram' or 'zalo' (no row: the account linked last)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, member_id: int) -> str | None:
        """The channel the member prefers to be reached on, if they chose one."""
        row = await self.db.fetchone(
            "SELECT channel FROM channel_prefs WHERE member_id = ?", (member_id,)
        )
        return str(row["channel"]) if row else None

    async def set(self, member_id: int, channel: str, now: datetime) -> None:
        """Record the member's preferred channel."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO channel_prefs (member_id, channel, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (member_id) DO UPDATE SET channel = excluded.channel, "
                "updated_at = excluded.updated_at",
                (member_id, channel, to_db(now)),
            )
