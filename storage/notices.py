"""Notices a secretary sends to the cell (/thongbao), and their delivery reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.types import Reply
from storage.db import Database, from_db, to_db
from storage.outbox import NewMessage, enqueue_in


@dataclass(frozen=True)
class Notice:
    id: int
    unit_id: int
    sender_member_id: int
    created_at: datetime
    recipients: int


class NoticeRepo:
    """Creates a notice with its outbox rows atomically, and finds notices to report on."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        unit_id: int,
        sender_member_id: int,
        body: str,
        messages: Sequence[tuple[int, str, str]],
        reply: Reply,
        now: datetime,
        conversation: tuple[str, str],
    ) -> int:
        """Store the notice, queue `reply` to each (member_id, channel, chat_id), end the dialogue.

        All of it is one transaction, so a double press or a crash cannot send a notice twice.
        """
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO notices (unit_id, sender_member_id, body, created_at, recipients) "
                "VALUES (?, ?, ?, ?, ?)",
                (unit_id, sender_member_id, body, to_db(now), len(messages)),
            )
            notice_id = int(cursor.lastrowid or 0)
            await enqueue_in(
                conn,
                (
                    NewMessage(
                        dedupe_key=f"notice:{notice_id}:member:{member_id}",
                        channel=channel,
                        chat_id=chat_id,
                        reply=reply,
                        member_id=member_id,
                        batch=f"notice:{notice_id}",
                    )
                    for member_id, channel, chat_id in messages
                ),
                now,
            )
            await conn.execute(
                "DELETE FROM conversations WHERE channel = ? AND user_id = ?", conversation
            )
        return notice_id

    async def unreported(self) -> list[Notice]:
        """Notices whose delivery report has not been sent yet, oldest first."""
        rows = await self.db.fetchall(
            "SELECT id, unit_id, sender_member_id, created_at, recipients FROM notices "
            "WHERE reported_at IS NULL ORDER BY id"
        )
        return [
            Notice(
                r["id"],
                r["unit_id"],
                r["sender_member_id"],
                from_db(r["created_at"]),
                r["recipients"],
            )
            for r in rows
        ]

    async def mark_reported(
        self, notice_id: int, report: Sequence[NewMessage], now: datetime
    ) -> None:
        """Queue the report to the sender and mark the notice reported, atomically."""
        async with self.db.write() as conn:
            await enqueue_in(conn, report, now)
            await conn.execute(
                "UPDATE notices SET reported_at = ? WHERE id = ?", (to_db(now), notice_id)
            )
