"""Reads for the year view and the exports: task spans, rounds and answers of many cells."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from storage.db import Database, from_db, to_db
from storage.tasks import ROUND_COLUMNS, Round


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
        rows = await self.db.fetchall(
            f"SELECT {ROUND_COLUMNS} FROM checkin_rounds r "
            "WHERE r.unit_id IN (SELECT value FROM json_each(?)) "
            "AND r.period IN (SELECT value FROM json_each(?)) ORDER BY r.period, r.unit_id",
            (json.dumps(list(unit_ids)), json.dumps(list(periods))),
        )
        return [Round._from_row(r) for r in rows]

    async def answered(self, round_ids: Sequence[int]) -> set[tuple[int, int]]:
        """(round, member) pairs with at least one answer."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT round_id, member_id FROM checkin_answers "
            "WHERE round_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(round_ids)),),
        )
        return {(r[0], r[1]) for r in rows}

    async def last_status(
        self, member_task: Sequence[int], before: datetime
    ) -> dict[tuple[int, int], str]:
        """(member, task) -> the latest answer given before `before`, for the given tasks."""
        rows = await self.db.fetchall(
            "SELECT member_id, task_id, status FROM checkin_answers WHERE id IN ("
            "SELECT MAX(id) FROM checkin_answers WHERE task_id IN (SELECT value FROM json_each(?)) "
            "AND answered_at < ? GROUP BY member_id, task_id)",
            (json.dumps(list(member_task)), to_db(before)),
        )
        return {(r[0], r[1]): r[2] for r in rows}

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
