"""Meetings of cells: rules, materialised meetings and their changes, reminder rounds.

Who comes (answers, attendance, observers) is in `attendance`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db
from storage.outbox import CellFanout, NewMessage, Row, enqueue_cells_in, enqueue_in
from storage.units import CELL_KINDS


@dataclass(frozen=True)
class Meeting:
    """One meeting of a cell as stored: when, where, what, and which version of it."""

    id: int
    unit_id: int
    kind: str  # regular | thematic
    period: str | None
    starts_at: datetime
    place: str
    agenda: str
    status: str  # scheduled | cancelled
    version: int
    attendance_at: datetime | None
    # When the meeting took its present form (created or last moved).
    since: datetime | None = None

    @property
    def key(self) -> str:
        """Prefix of every outbox dedupe key about this version of the meeting."""
        return f"meeting:{self.id}:v{self.version}:"

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Meeting:
        return cls(
            row["id"],
            row["unit_id"],
            row["kind"],
            row["period"],
            from_db(row["starts_at"]),
            row["place"],
            row["agenda"],
            row["status"],
            row["version"],
            from_db(row["attendance_at"]) if row["attendance_at"] else None,
            from_db(row["since"]),
        )


# Builds the messages to queue from the meeting as written (its new version, for changes).
MessagesFor = Callable[[Meeting], Sequence[NewMessage]]


@dataclass(frozen=True)
class CellSchedule:
    """A cell with its kind and, when the secretary set them, its own rule and place."""

    unit_id: int
    kind: str
    rule: str | None
    place: str | None


def meeting_columns(alias: str = "") -> str:
    """The columns `Meeting._from_row` reads, optionally from a table alias ('m')."""
    p = f"{alias}." if alias else ""
    return (
        f"{p}id, {p}unit_id, {p}kind, {p}period, {p}starts_at, {p}place, {p}agenda, {p}status, "
        f"{p}version, {p}attendance_at, COALESCE({p}version_at, {p}created_at) AS since"
    )


_MEETING = meeting_columns()


def _cancel_in_sql(prefix: str) -> tuple[str, tuple[str]]:
    # Same statement as OutboxRepo.cancel, but inside the caller's transaction, so a meeting's
    # change and the withdrawal of its old reminders commit together.
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' "
        "AND dedupe_key LIKE ? ESCAPE '\\'",
        (pattern,),
    )


class MeetingRepo:
    """Meetings, their schedule and reminders; writes that also queue messages do both in one
    transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- schedule ----------------------------------------------------------------------------

    async def schedule_of(self, unit_id: int) -> CellSchedule | None:
        """The cell's kind with its own meeting rule and place, or None for an unknown unit."""
        row = await self.db.fetchone(
            "SELECT u.id, u.kind, r.rule, r.place FROM units u "
            "LEFT JOIN meeting_rules r ON r.unit_id = u.id WHERE u.id = ?",
            (unit_id,),
        )
        return CellSchedule(row[0], row[1], row[2], row[3]) if row else None

    async def set_schedule(
        self, unit_id: int, *, rule: str | None, place: str | None, now: datetime
    ) -> None:
        """Give the cell its own rule and/or place (None keeps the current value)."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO meeting_rules (unit_id, rule, place, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (unit_id) DO UPDATE SET rule = COALESCE(excluded.rule, rule), "
                "place = COALESCE(excluded.place, place), updated_at = excluded.updated_at",
                (unit_id, rule, place, to_db(now)),
            )

    async def cells_without(self, period: str) -> list[CellSchedule]:
        """Cells that have no regular meeting for the period ('YYYY-MM') yet."""
        rows = await self.db.fetchall(
            "SELECT u.id, u.kind, r.rule, r.place FROM units u "
            "LEFT JOIN meeting_rules r ON r.unit_id = u.id "
            f"WHERE u.kind IN ({','.join('?' * len(CELL_KINDS))}) AND NOT EXISTS "
            "(SELECT 1 FROM meetings m WHERE m.unit_id = u.id AND m.kind = 'regular' "
            "AND m.period = ?)",
            (*CELL_KINDS, period),
        )
        return [CellSchedule(r[0], r[1], r[2], r[3]) for r in rows]

    async def create_regular(
        self, items: Sequence[tuple[int, str, datetime, str]], now: datetime
    ) -> int:
        """(unit_id, period, starts_at, place) rows; an existing period is left alone."""
        async with self.db.write() as conn:
            before = conn.total_changes
            await conn.executemany(
                "INSERT OR IGNORE INTO meetings (unit_id, kind, period, starts_at, place, "
                "created_at, updated_at) VALUES (?, 'regular', ?, ?, ?, ?, ?)",
                [(u, p, to_db(s), place, to_db(now), to_db(now)) for u, p, s, place in items],
            )
            return conn.total_changes - before

    async def create_thematic(
        self,
        unit_id: int,
        starts_at: datetime,
        place: str,
        agenda: str,
        now: datetime,
        messages: MessagesFor,
    ) -> Meeting:
        """Add a thematic meeting and queue the announcement built by `messages(meeting)`."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO meetings (unit_id, kind, starts_at, place, agenda, created_at, "
                f"updated_at) VALUES (?, 'thematic', ?, ?, ?, ?, ?) RETURNING {_MEETING}",
                (unit_id, to_db(starts_at), place, agenda, to_db(now), to_db(now)),
            )
            row = await cursor.fetchone()
            await cursor.close()
            assert row is not None
            meeting = Meeting._from_row(row)
            await enqueue_in(conn, messages(meeting), now)
        return meeting

    # -- reading meetings --------------------------------------------------------------------

    async def get(self, meeting_id: int) -> Meeting | None:
        """One meeting by id, or None."""
        row = await self.db.fetchone(f"SELECT {_MEETING} FROM meetings WHERE id = ?", (meeting_id,))
        return Meeting._from_row(row) if row else None

    async def upcoming(self, unit_id: int, now: datetime, limit: int = 3) -> list[Meeting]:
        """Scheduled meetings of the cell that have not started, soonest first."""
        rows = await self.db.fetchall(
            f"SELECT {_MEETING} FROM meetings WHERE unit_id = ? AND status = 'scheduled' "
            "AND starts_at > ? ORDER BY starts_at, id LIMIT ?",
            (unit_id, to_db(now), limit),
        )
        return [Meeting._from_row(r) for r in rows]

    async def started(self, unit_id: int, now: datetime, limit: int = 3) -> list[Meeting]:
        """Scheduled meetings of the cell that have started, latest first."""
        rows = await self.db.fetchall(
            f"SELECT {_MEETING} FROM meetings WHERE unit_id = ? AND status = 'scheduled' "
            "AND starts_at <= ? ORDER BY starts_at DESC, id DESC LIMIT ?",
            (unit_id, to_db(now), limit),
        )
        return [Meeting._from_row(r) for r in rows]

    async def starting_between(self, start: datetime, end: datetime) -> list[Meeting]:
        """Scheduled meetings with start in (start, end], for the reminder planner."""
        rows = await self.db.fetchall(
            f"SELECT {_MEETING} FROM meetings WHERE status = 'scheduled' "
            "AND starts_at > ? AND starts_at <= ? ORDER BY starts_at, id",
            (to_db(start), to_db(end)),
        )
        return [Meeting._from_row(r) for r in rows]

    async def awaiting_attendance(self, start: datetime, end: datetime) -> list[Meeting]:
        """Scheduled meetings that started in (start, end] with no attendance recorded."""
        rows = await self.db.fetchall(
            f"SELECT {_MEETING} FROM meetings WHERE status = 'scheduled' "
            "AND attendance_at IS NULL AND starts_at > ? AND starts_at <= ? ORDER BY starts_at",
            (to_db(start), to_db(end)),
        )
        return [Meeting._from_row(r) for r in rows]

    # -- changes -----------------------------------------------------------------------------

    async def change(
        self,
        meeting: Meeting,
        *,
        starts_at: datetime | None = None,
        place: str | None = None,
        agenda: str | None = None,
        cancel: bool = False,
        now: datetime,
        messages: MessagesFor,
    ) -> Meeting | None:
        """Move, re-place, re-word or cancel a meeting, withdraw what was queued for its old
        version and queue `messages(new_meeting)`, all in one transaction.

        Returns None when the meeting changed under us (its version moved on).
        """
        moved = starts_at is not None and starts_at != meeting.starts_at
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE meetings SET starts_at = COALESCE(?, starts_at), "
                "place = COALESCE(?, place), agenda = COALESCE(?, agenda), "
                "status = CASE WHEN ? THEN 'cancelled' ELSE status END, "
                "version = version + ?, updated_at = ?, "
                "version_at = CASE WHEN ? THEN ? ELSE version_at END "
                f"WHERE id = ? AND version = ? AND status = 'scheduled' RETURNING {_MEETING}",
                (
                    to_db(starts_at) if starts_at else None,
                    place,
                    agenda,
                    int(cancel),
                    int(moved or cancel),
                    to_db(now),
                    int(moved),
                    to_db(now),
                    meeting.id,
                    meeting.version,
                ),
            )
            row = await cursor.fetchone()
            await cursor.close()
            if row is None:
                return None
            updated = Meeting._from_row(row)
            if moved or cancel:
                await conn.execute(*_cancel_in_sql(meeting.key))
            await enqueue_in(conn, messages(updated), now)
        return updated

    # -- reminders (the planner) -------------------------------------------------------------

    async def rounds_done(self, meeting_ids: Sequence[int]) -> set[tuple[int, int, str]]:
        """(meeting, version, label) of the reminder rounds already queued or skipped."""
        rows = await self.db.fetchall(
            "SELECT meeting_id, version, label FROM meeting_reminder_rounds "
            "WHERE meeting_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(meeting_ids)),),
        )
        return {(r[0], r[1], r[2]) for r in rows}

    async def reminded(self, meeting_ids: Sequence[int]) -> set[int]:
        """The meetings (any version) of which a reminder round was sent, on time or late."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT meeting_id FROM meeting_reminder_rounds "
            "WHERE meeting_id IN (SELECT value FROM json_each(?)) AND outcome IN ('queued', 'late')",
            (json.dumps(list(meeting_ids)),),
        )
        return {r[0] for r in rows}

    async def record_rounds(
        self,
        rounds: Sequence[tuple[int, int, str, str]],
        messages: Iterable[NewMessage | Row],
        now: datetime,
        cells: Sequence[CellFanout] = (),
    ) -> int:
        """Mark reminder rounds (meeting, version, label, outcome) done and queue their
        messages (and cell-wide ones) in the same transaction; returns how many were new."""
        async with self.db.write() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO meeting_reminder_rounds (meeting_id, version, label, "
                "outcome, at) VALUES (?, ?, ?, ?, ?)",
                [(m, v, label, outcome, to_db(now)) for m, v, label, outcome in rounds],
            )
            return await enqueue_cells_in(conn, cells, now) + await enqueue_in(conn, messages, now)
