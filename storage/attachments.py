"""Sinh hoạt tạm thời: members attached to another cell's meetings for a span of months."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database, MonthSpan, to_db
from storage.leave import previous_period

_ATTACHMENT = (
    "x.id, x.member_id, m.unit_id, x.host_unit_id, x.first_period, x.last_period "
    "FROM member_attachments x JOIN members m ON m.id = x.member_id"
)
# The span covers the period given as the next parameter.
_COVERS = "x.first_period <= ?1 AND (x.last_period IS NULL OR x.last_period >= ?1)"


@dataclass(frozen=True)
class Attachment(MonthSpan):
    id: int
    member_id: int
    home_unit_id: int
    host_unit_id: int
    first_period: str
    last_period: str | None


class AttachmentRepo:
    """Attachments of members to host cells; a new one replaces the member's running one."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def attach(
        self,
        member_id: int,
        host_unit_id: int,
        first_period: str,
        last_period: str | None,
        now: datetime,
        source: str = "cli",
    ) -> int:
        """Attach from `first_period` to `last_period` (None: until further notice); a running
        attachment of the member ends the month before."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE member_attachments SET last_period = ? WHERE member_id = ? "
                "AND first_period < ? AND (last_period IS NULL OR last_period >= ?)",
                (previous_period(first_period), member_id, first_period, first_period),
            )
            await conn.execute(
                "DELETE FROM member_attachments WHERE member_id = ? AND first_period >= ?",
                (member_id, first_period),
            )
            cursor = await conn.execute(
                "INSERT INTO member_attachments (member_id, host_unit_id, first_period, "
                "last_period, source, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (member_id, host_unit_id, first_period, last_period, source, to_db(now)),
            )
            return int(cursor.lastrowid or 0)

    async def detach(self, member_id: int, period: str) -> bool:
        """End the member's attachment with the month before `period`; False if none ran."""
        async with self.db.write() as conn:
            await conn.execute(
                "DELETE FROM member_attachments WHERE member_id = ? AND first_period >= ?",
                (member_id, period),
            )
            cursor = await conn.execute(
                "UPDATE member_attachments SET last_period = ? WHERE member_id = ? "
                "AND (last_period IS NULL OR last_period >= ?)",
                (previous_period(period), member_id, period),
            )
            return cursor.rowcount > 0

    async def of_member(self, member_id: int, period: str) -> Attachment | None:
        """The attachment of an active member that covers `period`, if any."""
        row = await self.db.fetchone(
            f"SELECT {_ATTACHMENT} WHERE x.member_id = ?2 AND m.active = 1 AND {_COVERS}",
            (period, member_id),
        )
        return Attachment(*row) if row else None

    async def touching(self, unit_ids: Sequence[int], periods: Sequence[str]) -> list[Attachment]:
        """Attachments of active members into or out of these cells that cover any period."""
        if not unit_ids or not periods:
            return []
        rows = await self.db.fetchall(
            f"SELECT {_ATTACHMENT} WHERE m.active = 1 "
            "AND (x.host_unit_id IN (SELECT value FROM json_each(?1)) "
            "OR m.unit_id IN (SELECT value FROM json_each(?1))) "
            "AND x.first_period <= ?3 AND (x.last_period IS NULL OR x.last_period >= ?2)",
            (json.dumps(list(unit_ids)), min(periods), max(periods)),
        )
        return [Attachment(*r) for r in rows]


async def sync_roster_attachments(
    conn: aiosqlite.Connection,
    members: Sequence[tuple[int, int | None, str | None]],
    period: str,
    stamp: str,
) -> int:
    """Inside the roster import: the file states, for every member it lists, the attachment
    running from `period` as (member, host cell or None, last month or None). A roster
    attachment to the same host is kept (its last month updated); one the file no longer
    states ends the month before; attachments made with `chibo members attach` are left
    alone. Returns how many the file states."""
    ids = [m for m, _, _ in members]
    cursor = await conn.execute(
        "SELECT x.id, x.member_id, x.host_unit_id, x.first_period FROM member_attachments x "
        "WHERE x.source = 'roster' AND (x.last_period IS NULL OR x.last_period >= ?) "
        "AND x.member_id IN (SELECT value FROM json_each(?))",
        (period, json.dumps(ids)),
    )
    running = list(await cursor.fetchall())
    await cursor.close()
    wanted = {m: (host, until) for m, host, until in members if host is not None}
    stated = len(wanted)
    hosts = sorted({host for host, _ in wanted.values()})
    cursor = await conn.execute(
        "SELECT id FROM units WHERE id IN (SELECT value FROM json_each(?)) AND kind LIKE 'cell%'",
        (json.dumps(hosts),),
    )
    cells = {r[0] for r in await cursor.fetchall()}
    await cursor.close()
    if set(hosts) - cells:
        raise LookupError("a temporary attachment names a unit that is not a cell")
    for row_id, member_id, host, first in running:
        keep = wanted.get(member_id)
        if keep is not None and keep[0] == host:
            await conn.execute(
                "UPDATE member_attachments SET last_period = ? WHERE id = ?", (keep[1], row_id)
            )
            del wanted[member_id]
        elif first >= period:
            await conn.execute("DELETE FROM member_attachments WHERE id = ?", (row_id,))
        else:
            await conn.execute(
                "UPDATE member_attachments SET last_period = ? WHERE id = ?",
                (previous_period(period), row_id),
            )
    await conn.executemany(
        "INSERT INTO member_attachments (member_id, host_unit_id, first_period, last_period, "
        "source, created_at) VALUES (?, ?, ?, ?, 'roster', ?)",
        [(m, host, period, until, stamp) for m, (host, until) in wanted.items()],
    )
    return stated
