"""Reads for the committees' dashboard: meetings, attendance and bulletin reach of many cells.

Every read takes the viewer's scope (`units_in_scope`): a unit outside it yields nothing, so a
page can never show figures the viewer may not see, whatever the URL says.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from storage.db import Database, from_db, to_db
from storage.units import Unit, UnitRepo


class MeetingRow(NamedTuple):
    """One meeting with its attendance counts."""

    unit_id: int
    starts_at: datetime
    cancelled: bool
    # Moved at least once (its version is bumped on every change of time).
    moved: bool
    present: int
    excused: int
    absent: int


class Reach(NamedTuple):
    """How far the bulletins of a period reached: recipients, delivered, read."""

    recipients: int
    delivered: int
    read: int


class DashboardRepo:
    """Scoped reads for the dashboard, a few queries for a whole province."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def units_in_scope(self, unit_id: int, roots: Sequence[int]) -> list[Unit]:
        """The unit and everything under it, but only if it lies under one of `roots` (the
        viewer's scope); empty otherwise. The unit itself comes first."""
        rows = await self.db.fetchall(
            """
            WITH RECURSIVE allowed(id) AS (
                SELECT value FROM json_each(?)
                UNION SELECT u.id FROM units u JOIN allowed a ON u.parent_id = a.id
            ),
            subtree(id, depth) AS (
                SELECT id, 0 FROM units WHERE id = ? AND id IN (SELECT id FROM allowed)
                UNION ALL SELECT u.id, s.depth + 1 FROM units u JOIN subtree s
                ON u.parent_id = s.id
            )
            SELECT u.id, u.code, u.name, u.kind, u.parent_id FROM subtree s
            JOIN units u ON u.id = s.id ORDER BY s.depth, u.code
            """,
            (json.dumps(list(roots)), unit_id),
        )
        return [Unit._from_row(r) for r in rows]

    async def ancestors_in_scope(self, unit_id: int, roots: Sequence[int]) -> list[Unit]:
        """The unit and the units above it that lie under one of `roots`, top first; empty
        when the unit itself is outside the viewer's scope."""
        chain = list(reversed(await UnitRepo(self.db).ancestors(unit_id)))
        for i, unit in enumerate(chain):
            if unit.id in roots:
                return chain[i:]
        return []

    async def top_units(self) -> list[int]:
        """Units with no parent: an administrator's scope."""
        rows = await self.db.fetchall("SELECT id FROM units WHERE parent_id IS NULL ORDER BY code")
        return [r[0] for r in rows]

    async def meetings(
        self, cell_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[MeetingRow]:
        """Meetings of the cells starting in [start, end), with attendance counts."""
        rows = await self.db.fetch_tuples(
            "SELECT m.unit_id, m.starts_at, m.status, m.version, "
            "COALESCE(SUM(a.status = 'present'), 0), COALESCE(SUM(a.status = 'excused'), 0), "
            "COALESCE(SUM(a.status = 'absent'), 0) FROM meetings m "
            "LEFT JOIN attendance a ON a.meeting_id = m.id "
            "WHERE m.unit_id IN (SELECT value FROM json_each(?)) "
            "AND m.starts_at >= ? AND m.starts_at < ? GROUP BY m.id",
            (json.dumps(list(cell_ids)), to_db(start), to_db(end)),
        )
        return [
            MeetingRow(r[0], from_db(r[1]), r[2] == "cancelled", r[3] > 1, r[4], r[5], r[6])
            for r in rows
        ]

    async def member_attendance(
        self, cell_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, tuple[int, int, int]]:
        """member -> (present, excused, absent) at the cells' meetings held in [start, end)."""
        rows = await self.db.fetch_tuples(
            "SELECT a.member_id, SUM(a.status = 'present'), SUM(a.status = 'excused'), "
            "SUM(a.status = 'absent') FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE m.status = 'scheduled' AND m.unit_id IN (SELECT value FROM json_each(?)) "
            "AND m.starts_at >= ? AND m.starts_at < ? GROUP BY a.member_id",
            (json.dumps(list(cell_ids)), to_db(start), to_db(end)),
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    async def bulletin_reach(
        self, cell_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, Reach]:
        """unit -> reach of the bulletins published in [start, end). A read counts as delivered
        (the member may have fetched the issue with /bantin)."""
        cells = json.dumps(list(cell_ids))
        bulletins = [
            r[0]
            for r in await self.db.fetch_tuples(
                "SELECT id FROM bulletins WHERE send_at >= ? AND send_at < ?",
                (to_db(start), to_db(end)),
            )
        ]
        found: dict[int, list[int]] = {}
        for bulletin_id in bulletins:
            rows = await self.db.fetch_tuples(
                "SELECT unit_id, COUNT(*), COUNT(read_at) FROM bulletin_recipients "
                "WHERE bulletin_id = ? AND unit_id IN (SELECT value FROM json_each(?)) "
                "GROUP BY unit_id",
                (bulletin_id, cells),
            )
            # Sent and not (yet) read: one outbox row per member and issue (its dedupe key),
            # counted from the batch, the rows the delivery worker marked sent; once
            # such rows are pruned (retention), `bulletin_recipients.delivered` keeps the fact.
            sent = await self.db.fetch_tuples(
                "SELECT unit_id, COUNT(*) FROM ("
                "SELECT r.unit_id, r.member_id FROM outbox o "
                "JOIN bulletin_recipients r ON r.bulletin_id = ? AND r.member_id = o.member_id "
                "WHERE o.batch = ? AND o.status = 'sent' AND r.read_at IS NULL "
                "AND r.unit_id IN (SELECT value FROM json_each(?)) "
                "UNION SELECT r.unit_id, r.member_id FROM bulletin_recipients r "
                "WHERE r.bulletin_id = ? AND r.delivered = 1 AND r.read_at IS NULL "
                "AND r.unit_id IN (SELECT value FROM json_each(?))) GROUP BY unit_id",
                (bulletin_id, f"bulletin:{bulletin_id}", cells, bulletin_id, cells),
            )
            unread_sent = {r[0]: r[1] for r in sent}
            for unit_id, recipients, read in rows:
                total = found.setdefault(unit_id, [0, 0, 0])
                total[0] += recipients
                total[1] += read + unread_sent.get(unit_id, 0)
                total[2] += read
        return {unit: Reach(*counts) for unit, counts in found.items()}

    async def member_reads(
        self, cell_id: int, start: datetime, end: datetime
    ) -> dict[int, tuple[int, int]]:
        """member -> (bulletins addressed to them, read) among those published in [start, end)."""
        rows = await self.db.fetch_tuples(
            "SELECT r.member_id, COUNT(*), COUNT(r.read_at) FROM bulletin_recipients r "
            "JOIN bulletins b ON b.id = r.bulletin_id WHERE r.unit_id = ? "
            "AND b.send_at >= ? AND b.send_at < ? GROUP BY r.member_id",
            (cell_id, to_db(start), to_db(end)),
        )
        return {r[0]: (r[1], r[2]) for r in rows}
