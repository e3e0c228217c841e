"""Tasks assigned to members of a cell: created, reworded, closed, and read per cell and member.

The check-in rounds that collect their progress are in `checkins`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from storage.db import Database, from_db, to_db
from storage.outbox import NewMessage, enqueue_in, keyed

TASK_STATUSES = ("open", "closed", "cancelled")


@dataclass(frozen=True)
class Task:
    """A task of a cell, with its assignees' member ids."""

    id: int
    unit_id: int
    body: str
    due_on: str | None
    status: str
    created_at: datetime
    assignees: tuple[int, ...] = ()

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Task:
        ids = tuple(int(i) for i in (row["assignees"] or "").split(",") if i)
        return cls(
            row["id"],
            row["unit_id"],
            row["body"],
            row["due_on"],
            row["status"],
            from_db(row["created_at"]),
            ids,
        )


class Assigned(NamedTuple):
    """An open task as a check-in round needs it (rounds read tens of thousands at once)."""

    id: int
    body: str


_TASK = (
    "t.id, t.unit_id, t.body, t.due_on, t.status, t.created_at, "
    "(SELECT GROUP_CONCAT(member_id) FROM task_assignees a WHERE a.task_id = t.id) AS assignees"
)


class TaskRepo:
    """Tasks and their assignees; writes that also queue messages do both at once."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- tasks -------------------------------------------------------------------------------

    async def create(
        self,
        unit_id: int,
        body: str,
        due_on: str | None,
        member_ids: Sequence[int],
        created_by: int | None,
        now: datetime,
        messages: Sequence[NewMessage] = (),
    ) -> int:
        """Create a task with its assignees and queue the messages telling them, in one go.

        Messages' dedupe keys may contain `{task}`, filled with the new task's id.
        """
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO tasks (unit_id, body, due_on, created_by, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (unit_id, body, due_on, created_by, to_db(now), to_db(now)),
            )
            task_id = int(cursor.lastrowid or 0)
            await conn.executemany(
                "INSERT OR IGNORE INTO task_assignees (task_id, member_id) VALUES (?, ?)",
                [(task_id, m) for m in member_ids],
            )
            await enqueue_in(conn, keyed(messages, "{task}", task_id), now)
        return task_id

    async def get(self, task_id: int) -> Task | None:
        """The task with this id, if any."""
        row = await self.db.fetchone(f"SELECT {_TASK} FROM tasks t WHERE t.id = ?", (task_id,))
        return Task._from_row(row) if row else None

    async def of_unit(self, unit_id: int, *, only_open: bool = True) -> list[Task]:
        """The cell's tasks (only open ones unless told otherwise), oldest first."""
        where = "AND t.status = 'open'" if only_open else ""
        rows = await self.db.fetchall(
            f"SELECT {_TASK} FROM tasks t WHERE t.unit_id = ? {where} ORDER BY t.id", (unit_id,)
        )
        return [Task._from_row(r) for r in rows]

    async def of_member(self, member_id: int, *, only_open: bool = True) -> list[Task]:
        """The tasks assigned to the member (only open ones unless told otherwise)."""
        where = "AND t.status = 'open'" if only_open else ""
        rows = await self.db.fetchall(
            f"SELECT {_TASK} FROM tasks t JOIN task_assignees x ON x.task_id = t.id "
            f"WHERE x.member_id = ? {where} ORDER BY t.id",
            (member_id,),
        )
        return [Task._from_row(r) for r in rows]

    async def update_body(
        self, task_id: int, body: str, now: datetime, messages: Sequence[NewMessage] = ()
    ) -> bool:
        """Reword an open task and queue the messages telling its assignees, in one go."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE tasks SET body = ?, updated_at = ? WHERE id = ? AND status = 'open'",
                (body, to_db(now), task_id),
            )
            if cursor.rowcount == 0:
                return False
            await enqueue_in(conn, messages, now)
            return True

    async def set_status(
        self, task_id: int, status: str, now: datetime, messages: Sequence[NewMessage] = ()
    ) -> bool:
        """Close or cancel an open task (and queue `messages`); False when it was not open."""
        if status not in ("closed", "cancelled"):
            raise ValueError(status)
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE tasks SET status = ?, updated_at = ?, closed_at = ? "
                "WHERE id = ? AND status = 'open'",
                (status, to_db(now), to_db(now), task_id),
            )
            if cursor.rowcount == 0:
                return False
            await enqueue_in(conn, messages, now)
            return True

    async def units_with_open_tasks(self) -> list[int]:
        """Ids of the cells with at least one open task."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT unit_id FROM tasks WHERE status = 'open' ORDER BY unit_id"
        )
        return [r[0] for r in rows]

    async def open_assignments(
        self, unit_ids: Sequence[int]
    ) -> dict[int, dict[int, list[Assigned]]]:
        """unit -> member -> open tasks of that member in the unit (active members only)."""
        rows = await self.db.fetch_tuples(
            "SELECT t.unit_id, x.member_id, t.id, t.body FROM tasks t "
            "JOIN task_assignees x ON x.task_id = t.id JOIN members m ON m.id = x.member_id "
            "WHERE t.status = 'open' AND m.active = 1 "
            "AND t.unit_id IN (SELECT value FROM json_each(?)) ORDER BY t.id",
            (json.dumps(list(unit_ids)),),
        )
        found: dict[int, dict[int, list[Assigned]]] = {}
        for unit_id, member_id, task_id, body in rows:
            found.setdefault(unit_id, {}).setdefault(member_id, []).append(Assigned(task_id, body))
        return found
