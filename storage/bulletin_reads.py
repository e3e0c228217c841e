"""Bulletin reads and sending progress: who read a bulletin (by cell, rolled up the tree) and
the publisher's progress report while the copies go out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.bulletins import BULLETIN_COLUMNS, Bulletin
from storage.db import Database, to_db
from storage.outbox import NewMessage, enqueue_in


class BulletinReadRepo:
    """Who has read each bulletin, and where its sending stands."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_read(self, bulletin_id: int, member_id: int, now: datetime) -> bool | None:
        """Mark read: True when newly read, False when already read, None when not a recipient."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE bulletin_recipients SET read_at = ? "
                "WHERE bulletin_id = ? AND member_id = ? AND read_at IS NULL",
                (to_db(now), bulletin_id, member_id),
            )
            if cursor.rowcount:
                return True
            cursor = await conn.execute(
                "SELECT 1 FROM bulletin_recipients WHERE bulletin_id = ? AND member_id = ?",
                (bulletin_id, member_id),
            )
            known = await cursor.fetchone()
            await cursor.close()
        return False if known else None

    async def add_recipient(self, bulletin_id: int, member_id: int, unit_id: int) -> None:
        """Add the member to the bulletin's recipients (no-op when already there)."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO bulletin_recipients (bulletin_id, member_id, unit_id) "
                "VALUES (?, ?, ?)",
                (bulletin_id, member_id, unit_id),
            )

    async def reads_by_unit(self, bulletin_id: int) -> dict[int, tuple[int, int]]:
        """unit id -> (recipients, reads)."""
        rows = await self.db.fetchall(
            "SELECT unit_id, COUNT(*) AS n, COUNT(read_at) AS r FROM bulletin_recipients "
            "WHERE bulletin_id = ? GROUP BY unit_id",
            (bulletin_id,),
        )
        return {r["unit_id"]: (r["n"], r["r"]) for r in rows}

    async def unread_in(self, bulletin_id: int, unit_id: int) -> list[int]:
        """Ids of the cell's recipients who have not read the bulletin yet."""
        rows = await self.db.fetchall(
            "SELECT member_id FROM bulletin_recipients "
            "WHERE bulletin_id = ? AND unit_id = ? AND read_at IS NULL",
            (bulletin_id, unit_id),
        )
        return [r["member_id"] for r in rows]

    # -- progress -------------------------------------------------------------------------------

    async def unfinished(self, now: datetime) -> list[Bulletin]:
        """Bulletins due by `now` whose sending has not finished, oldest first."""
        rows = await self.db.fetchall(
            f"SELECT {BULLETIN_COLUMNS} FROM bulletins WHERE finished_at IS NULL AND send_at <= ? ORDER BY id",
            (to_db(now),),
        )
        return [Bulletin._from_row(r) for r in rows]

    async def progress_message_id(self, bulletin_id: int) -> str | None:
        """The platform message id of the bulletin's sent progress message, if any."""
        row = await self.db.fetchone(
            "SELECT message_id FROM outbox WHERE dedupe_key = ? AND status = 'sent'",
            (f"bulletin:{bulletin_id}:progress",),
        )
        return row["message_id"] if row else None

    async def record_progress(
        self,
        bulletin_id: int,
        sent: int,
        failed: int,
        messages: Sequence[NewMessage],
        now: datetime,
        *,
        finished: bool,
    ) -> None:
        """Queue the progress edit (and the final summary) and remember what was reported."""
        async with self.db.write() as conn:
            await enqueue_in(conn, messages, now)
            await conn.execute(
                "UPDATE bulletins SET progress_sent = ?, progress_failed = ?, "
                "finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE id = ?",
                (sent, failed, finished, to_db(now), bulletin_id),
            )
