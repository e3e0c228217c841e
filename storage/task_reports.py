"""Reads for the year view and the exports: task spans, rounds and answers of many cells."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from storage.checkins import ROUND_CLOSES, ROUND_COLUMNS, Round
from storage.db import Database, from_db, to_db


class TaskSpan(NamedTuple):
    """A task as the year view and the export need it: when it was open, and who had it."""

    id: int
    unit_id: int
    body: str
    due_on: str | None
    status: str
    created_at: datetime
    closed_at: datetime | None
    member_id: int

    def open_during(self, start: datetime, end: datetime) -> bool:
        """Whether the task was open at some moment between `start` and `end`."""
        return self.created_at < end and (self.closed_at is None or self.closed_at > start)


class TaskReportRepo:
    """Reads for the year view and the exports, one query per kind of row for many cells."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def spans(
        self, unit_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[TaskSpan]:
        """Assignments of tasks (not cancelled) open at some point between start and end."""
        rows = await self.db.fetch_tuples(
            "SELECT t.id, t.unit_id, t.body, t.due_on, t.status, t.created_at, t.closed_at, "
            "x.member_id FROM tasks t JOIN task_assignees x ON x.task_id = t.id "
            "WHERE t.status != 'cancelled' AND t.unit_id IN (SELECT value FROM json_each(?)) "
            "AND t.created_at < ? AND (t.closed_at IS NULL OR t.closed_at > ?) ORDER BY t.id",
            (json.dumps(list(unit_ids)), to_db(end), to_db(start)),
        )
        # A task's times repeat on each of its assignees' rows: parse each text once.
        moments: dict[str, datetime] = {}

        def moment(text: str) -> datetime:
            found = moments.get(text)
            if found is None:
                found = moments[text] = from_db(text)
            return found

        return [
            TaskSpan(
                r[0], r[1], r[2], r[3], r[4], moment(r[5]), moment(r[6]) if r[6] else None, r[7]
            )
            for r in rows
        ]

    async def rounds(self, unit_ids: Sequence[int], periods: Sequence[str]) -> list[Round]:
        """The check-in rounds of these cells in these periods, by period then cell."""
        rows = await self.db.fetchall(
            f"SELECT {ROUND_COLUMNS} FROM checkin_rounds r "
            "WHERE r.unit_id IN (SELECT value FROM json_each(?)) "
            "AND r.period IN (SELECT value FROM json_each(?)) ORDER BY r.period, r.unit_id",
            (json.dumps(list(unit_ids)), json.dumps(list(periods))),
        )
        return [Round._from_row(r) for r in rows]

    async def active_members(self, unit_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
        """unit -> [(member id, full name)] of active members."""
        rows = await self.db.fetchall(
            "SELECT unit_id, id, full_name FROM members WHERE active = 1 "
            "AND unit_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)),),
        )
        found: dict[int, list[tuple[int, str]]] = {}
        for r in rows:
            found.setdefault(r[0], []).append((r[1], r[2]))
        return found

    async def member_tasks(
        self, unit_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[tuple[int, int, int, int]]:
        """(unit, member, assigned, done) over the tasks of `spans`, counted in SQLite: done is
        a task closed before `end` or whose latest answer before `end` was «done»."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in await self.db.fetch_tuples(
                "SELECT t.unit_id, x.member_id, COUNT(*), SUM(CASE WHEN "
                "(t.status = 'closed' AND t.closed_at IS NOT NULL AND t.closed_at < ?1) OR "
                "(SELECT a.status FROM checkin_answers a WHERE a.task_id = t.id "
                "AND a.member_id = x.member_id AND a.answered_at < ?1 "
                "ORDER BY a.id DESC LIMIT 1) = 'done' THEN 1 ELSE 0 END) "
                "FROM tasks t JOIN task_assignees x ON x.task_id = t.id "
                "WHERE t.status != 'cancelled' AND t.unit_id IN (SELECT value FROM json_each(?3)) "
                "AND t.created_at < ?1 AND (t.closed_at IS NULL OR t.closed_at > ?2) "
                "GROUP BY t.unit_id, x.member_id",
                (to_db(end), to_db(start), json.dumps(list(unit_ids))),
            )
        ]

    async def round_rates(
        self, unit_ids: Sequence[int], start: datetime, end: datetime, periods: Sequence[str]
    ) -> list[tuple[int, str, int, int]]:
        """(unit, period, answered, expected) of every check-in round, counted in SQLite.

        Expected: members holding a task of `spans` open during the round, not excused for it
        (the round alone, or a standing leave in the cell covering its period); answered: those
        of them with an answer in the round. Ordered as `rounds`."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in await self.db.fetch_tuples(
                # The rounds first (their close read once each), then their members.
                "WITH r AS MATERIALIZED (SELECT r.id, r.unit_id, r.period, r.opens_at, "
                f"{ROUND_CLOSES} AS closes_at FROM checkin_rounds r "
                "WHERE r.unit_id IN (SELECT value FROM json_each(?3)) "
                "AND r.period IN (SELECT value FROM json_each(?4))) "
                "SELECT r.unit_id, r.period, "
                "COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM checkin_answers a "
                "WHERE a.round_id = r.id AND a.member_id = x.member_id) THEN x.member_id END), "
                "COUNT(DISTINCT x.member_id) FROM r "
                "LEFT JOIN tasks t ON t.unit_id = r.unit_id AND t.status != 'cancelled' "
                "AND t.created_at < ?1 AND (t.closed_at IS NULL OR t.closed_at > ?2) "
                "AND t.created_at < r.closes_at "
                "AND (t.closed_at IS NULL OR t.closed_at > r.opens_at) "
                "LEFT JOIN task_assignees x ON x.task_id = t.id "
                "AND NOT EXISTS (SELECT 1 FROM checkin_excused e "
                "WHERE e.round_id = r.id AND e.member_id = x.member_id) "
                "AND NOT EXISTS (SELECT 1 FROM member_leave l WHERE l.member_id = x.member_id "
                "AND l.unit_id = r.unit_id AND l.first_period <= r.period "
                "AND (l.last_period IS NULL OR l.last_period >= r.period)) "
                "GROUP BY r.id ORDER BY r.period, r.unit_id",
                (to_db(end), to_db(start), json.dumps(list(unit_ids)), json.dumps(list(periods))),
            )
        ]

    async def cell_counts(
        self, unit_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, tuple[int, int]]:
        """unit -> (active members, of them holding a task of `spans` in the unit), counted in
        SQLite for views that need no member's row (a committee's cells)."""
        rows = await self.db.fetch_tuples(
            "SELECT m.unit_id, COUNT(*), SUM(EXISTS (SELECT 1 FROM task_assignees x "
            "JOIN tasks t ON t.id = x.task_id WHERE x.member_id = m.id AND t.unit_id = m.unit_id "
            "AND t.status != 'cancelled' AND t.created_at < ? "
            "AND (t.closed_at IS NULL OR t.closed_at > ?))) FROM members m "
            "WHERE m.active = 1 AND m.unit_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY m.unit_id",
            (to_db(end), to_db(start), json.dumps(list(unit_ids))),
        )
        return {r[0]: (r[1], r[2]) for r in rows}
