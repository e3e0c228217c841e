"""Dues reminders: the per-cell switch, the planner's runs and warnings, and its reads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from storage.db import Database, to_db
from storage.outbox import NewMessage, enqueue_in


class DuesReminderRepo:
    """The cells' reminder switch and what the dues planner reads and records."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def reminders_on(self, unit_id: int) -> bool:
        """Whether dues reminders are switched on for the cell."""
        row = await self.db.fetchone(
            "SELECT reminders FROM dues_settings WHERE unit_id = ?", (unit_id,)
        )
        return bool(row and row[0])

    async def set_reminders(self, unit_id: int, on: bool, by: int | None, now: datetime) -> None:
        """Switch the cell's dues reminders on or off, noting who and when."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO dues_settings (unit_id, reminders, changed_by, changed_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET "
                "reminders = excluded.reminders, changed_by = excluded.changed_by, "
                "changed_at = excluded.changed_at",
                (unit_id, int(on), by, to_db(now)),
            )

    async def reminder_units(self) -> list[int]:
        """Ids of the cells with dues reminders switched on."""
        rows = await self.db.fetch_tuples(
            "SELECT unit_id FROM dues_settings WHERE reminders = 1 ORDER BY unit_id"
        )
        return [int(str(r[0])) for r in rows]

    async def runs_done(self, runs: Sequence[str]) -> set[str]:
        """Which of the named reminder runs have already been done."""
        rows = await self.db.fetch_tuples(
            "SELECT run FROM dues_runs WHERE run IN (SELECT value FROM json_each(?))",
            (json.dumps(list(runs)),),
        )
        return {str(r[0]) for r in rows}

    async def finish_run(
        self,
        run: str,
        messages: Sequence[NewMessage],
        now: datetime,
        warned: Sequence[tuple[int, int, int]] = (),
    ) -> int:
        """Queue a run's messages, record the warnings (member, year, level) they carry and mark
        the run done, in one transaction; how many messages were new."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO dues_runs (run, done_at) VALUES (?, ?)", (run, to_db(now))
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO dues_warnings (member_id, year, level, sent_at) "
                "VALUES (?, ?, ?, ?)",
                [(*w, to_db(now)) for w in warned],
            )
            return await enqueue_in(conn, messages, now)

    # -- the planner's reads -----------------------------------------------------------------

    async def unpaid_months(self, first: str, last: str) -> list[tuple[int, int, str]]:
        """(member, cell, month) for every month in [first, last] an active member owed a
        positive amount, did not pay and was not excused; months before a member's first
        amount due are not owed."""
        rows = await self.db.fetch_tuples(
            "WITH RECURSIVE months(p) AS (SELECT ? UNION ALL SELECT CASE "
            "WHEN substr(p, 6, 2) = '12' THEN printf('%04d-01', substr(p, 1, 4) + 1) "
            "ELSE printf('%s-%02d', substr(p, 1, 4), substr(p, 6, 2) + 1) END "
            "FROM months WHERE p < ?) "
            "SELECT m.id, m.unit_id, months.p FROM members m "
            "JOIN (SELECT DISTINCT member_id FROM dues_amounts) d ON d.member_id = m.id "
            "JOIN months WHERE m.active = 1 AND "
            "(SELECT a.amount FROM dues_amounts a WHERE a.member_id = m.id "
            "AND a.from_period <= months.p ORDER BY a.from_period DESC, a.id DESC LIMIT 1) > 0 "
            "AND NOT EXISTS (SELECT 1 FROM dues_payments x WHERE x.member_id = m.id "
            "AND x.period = months.p AND x.replaced_at IS NULL) "
            "AND NOT EXISTS (SELECT 1 FROM dues_excused e WHERE e.member_id = m.id "
            "AND e.period = months.p) ORDER BY m.id, months.p",
            (first, last),
        )
        return [(int(str(r[0])), int(str(r[1])), str(r[2])) for r in rows]

    async def warned_levels(self, member_ids: Sequence[int], year: int) -> dict[int, int]:
        """The highest Statute warning level already sent to each member's leaders in `year`."""
        rows = await self.db.fetch_tuples(
            "SELECT member_id, MAX(level) FROM dues_warnings WHERE year = ? "
            "AND member_id IN (SELECT value FROM json_each(?)) GROUP BY member_id",
            (year, json.dumps(list(member_ids))),
        )
        return {int(str(r[0])): int(str(r[1])) for r in rows}
