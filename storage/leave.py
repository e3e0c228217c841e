"""Standing leave: members excused from Party activity (and check-ins) for a span of months."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database, MonthSpan, from_db, to_db
from storage.outbox import NewMessage, enqueue_in, keyed

_LEAVE = "l.id, l.member_id, l.unit_id, l.first_period, l.last_period, l.set_by, l.created_at"

# Ending a leave keeps the rounds that have already opened covered (their prompts were skipped
# and the history must not change), and never lengthens it. Parameters: the month before the
# current one, now.
_ENDED_LAST = (
    "MIN(COALESCE(last_period, '9999-12'), MAX(?, COALESCE((SELECT MAX(r.period) "
    "FROM checkin_rounds r WHERE r.unit_id = member_leave.unit_id AND r.opens_at <= ?), '')))"
)


@dataclass(frozen=True)
class Leave(MonthSpan):
    id: int
    member_id: int
    unit_id: int
    first_period: str
    last_period: str | None
    set_by: int | None
    created_at: datetime

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Leave:
        return cls(
            row["id"],
            row["member_id"],
            row["unit_id"],
            row["first_period"],
            row["last_period"],
            row["set_by"],
            from_db(row["created_at"]),
        )


def previous_period(period: str) -> str:
    """'2027-01' -> '2026-12'."""
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


class LeaveRepo:
    """Leave periods of a cell's members; each change queues the member's notice with it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, leave_id: int) -> Leave | None:
        """The leave with this id, if any."""
        row = await self.db.fetchone(
            f"SELECT {_LEAVE} FROM member_leave l WHERE l.id = ?", (leave_id,)
        )
        return Leave._from_row(row) if row else None

    async def current(self, unit_id: int, period: str) -> list[Leave]:
        """Leaves of the cell's active members not ended and not over before `period`."""
        rows = await self.db.fetchall(
            f"SELECT {_LEAVE} FROM member_leave l JOIN members m ON m.id = l.member_id "
            "WHERE l.unit_id = ? AND m.unit_id = l.unit_id AND m.active = 1 "
            "AND l.ended_at IS NULL AND (l.last_period IS NULL OR l.last_period >= ?) "
            "ORDER BY l.id",
            (unit_id, period),
        )
        return [Leave._from_row(r) for r in rows]

    async def touching(self, unit_ids: Sequence[int], periods: Sequence[str]) -> list[Leave]:
        """Leaves of active members of these cells whose span meets any of the periods (a leave
        ended early covers the months up to its new last period)."""
        if not unit_ids or not periods:
            return []
        rows = await self.db.fetchall(
            f"SELECT {_LEAVE} FROM member_leave l JOIN members m ON m.id = l.member_id "
            "WHERE m.unit_id = l.unit_id AND m.active = 1 "
            "AND l.unit_id IN (SELECT value FROM json_each(?)) AND l.first_period <= ? "
            "AND (l.last_period IS NULL OR l.last_period >= ?) ORDER BY l.id",
            (json.dumps(list(unit_ids)), max(periods), min(periods)),
        )
        return [Leave._from_row(r) for r in rows]

    async def start(
        self,
        member_id: int,
        unit_id: int,
        first_period: str,
        last_period: str | None,
        set_by: int | None,
        now: datetime,
        messages: Sequence[NewMessage] = (),
    ) -> int:
        """Put a member on leave from `first_period` (the current month), replacing a leave
        still running, and queue `messages` (their dedupe keys may contain `{leave}`, filled
        with the new id), in one go."""
        async with self.db.write() as conn:
            await _end_in(
                conn, "member_id = ? AND unit_id = ?", (member_id, unit_id), first_period, now
            )
            cursor = await conn.execute(
                "INSERT INTO member_leave (member_id, unit_id, first_period, last_period, set_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (member_id, unit_id, first_period, last_period, set_by, to_db(now)),
            )
            leave_id = int(cursor.lastrowid or 0)
            await enqueue_in(conn, keyed(messages, "{leave}", leave_id), now)
        return leave_id

    async def end(
        self, leave_id: int, period: str, now: datetime, messages: Sequence[NewMessage] = ()
    ) -> bool:
        """End a running leave early in `period` (the current month) and queue `messages`;
        False, with nothing queued, when it had already ended."""
        async with self.db.write() as conn:
            ended = await _end_in(conn, "id = ?", (leave_id,), period, now)
            if not ended:
                return False
            await enqueue_in(conn, messages, now)
            return True


async def _end_in(
    conn: aiosqlite.Connection,
    where: str,
    params: tuple[int, ...],
    period: str,
    now: datetime,
) -> int:
    """Inside a write: end the running leaves matching `where`; how many there were."""
    cursor = await conn.execute(
        f"UPDATE member_leave SET last_period = {_ENDED_LAST}, ended_at = ? WHERE {where} "
        "AND ended_at IS NULL AND (last_period IS NULL OR last_period >= ?)",
        (previous_period(period), to_db(now), to_db(now), *params, period),
    )
    return cursor.rowcount
