"""Meetings of cells: rules, materialised meetings, answers, attendance, reminder rounds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db
from storage.outbox import CellFanout, NewMessage, Row, enqueue_cells_in, enqueue_in
from storage.units import CELL_KINDS

ANSWERS = ("attend", "excused")
STATUSES = ("present", "excused", "absent")


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


@dataclass(frozen=True)
class Answer:
    """A member's answer to a meeting: will attend, or asks to be excused (with a reason)."""

    member_id: int
    answer: str  # attend | excused
    reason: str | None
    answered_by: int | None
    answered_at: datetime


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
    """Everything about meetings; writes that also queue messages do both in one transaction."""

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

    # -- answers -----------------------------------------------------------------------------

    async def answers(self, meeting_id: int) -> dict[int, Answer]:
        """Member id -> answer for one meeting."""
        rows = await self.db.fetchall(
            "SELECT member_id, answer, reason, answered_by, answered_at FROM meeting_answers "
            "WHERE meeting_id = ?",
            (meeting_id,),
        )
        return {r[0]: Answer(r[0], r[1], r[2], r[3], from_db(r[4])) for r in rows}

    async def answers_of(self, member_id: int, meeting_ids: Sequence[int]) -> dict[int, Answer]:
        """One member's answers to several meetings, by meeting id, in one read."""
        rows = await self.db.fetchall(
            "SELECT meeting_id, member_id, answer, reason, answered_by, answered_at "
            "FROM meeting_answers WHERE meeting_id IN (SELECT value FROM json_each(?)) "
            "AND member_id = ?",
            (json.dumps(list(meeting_ids)), member_id),
        )
        return {r[0]: Answer(r[1], r[2], r[3], r[4], from_db(r[5])) for r in rows}

    async def set_answer(
        self,
        meeting_id: int,
        member_id: int,
        answer: str,
        reason: str | None,
        by: int,
        now: datetime,
        messages: Sequence[NewMessage] = (),
    ) -> None:
        """Record (or change) a member's answer and queue the secretary's notice with it."""
        if answer not in ANSWERS:
            raise ValueError(f"unknown answer {answer!r}")
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO meeting_answers (meeting_id, member_id, answer, reason, answered_by, "
                "answered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, member_id) DO "
                "UPDATE SET answer = excluded.answer, reason = excluded.reason, "
                "answered_by = excluded.answered_by, answered_at = excluded.answered_at",
                (meeting_id, member_id, answer, reason, by, to_db(now)),
            )
            await enqueue_in(conn, messages, now)

    # -- attendance --------------------------------------------------------------------------

    async def attendance(self, meeting_id: int) -> dict[int, str]:
        """Member id -> recorded status (present | excused | absent) for one meeting."""
        rows = await self.db.fetchall(
            "SELECT member_id, status FROM attendance WHERE meeting_id = ?", (meeting_id,)
        )
        return {r[0]: r[1] for r in rows}

    async def save_attendance(
        self,
        meeting_id: int,
        marks: dict[int, str],
        by: int,
        now: datetime,
        reasons: dict[int, str] | None = None,
    ) -> None:
        """Replace the meeting's attendance with `marks` (member -> status) in one step;
        `reasons` names why some were excused, when Chibo knows (standing leave)."""
        if any(status not in STATUSES for status in marks.values()):
            raise ValueError("unknown attendance status")
        async with self.db.write() as conn:
            await conn.execute("DELETE FROM attendance WHERE meeting_id = ?", (meeting_id,))
            await conn.executemany(
                "INSERT INTO attendance (meeting_id, member_id, status, reason, recorded_by, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (meeting_id, m, s, (reasons or {}).get(m), by, to_db(now))
                    for m, s in marks.items()
                ],
            )
            await conn.execute(
                "UPDATE meetings SET attendance_at = ? WHERE id = ?", (to_db(now), meeting_id)
            )

    async def absences(
        self, member_ids: Iterable[int], start: datetime, end: datetime
    ) -> dict[int, list[datetime]]:
        """Start times of meetings in [start, end) each member missed without a valid reason."""
        rows = await self.db.fetchall(
            "SELECT a.member_id, m.starts_at FROM attendance a JOIN meetings m "
            "ON m.id = a.meeting_id WHERE a.status = 'absent' AND m.status = 'scheduled' "
            "AND m.starts_at >= ? AND m.starts_at < ? "
            "AND a.member_id IN (SELECT value FROM json_each(?)) ORDER BY m.starts_at",
            (to_db(start), to_db(end), json.dumps(list(member_ids))),
        )
        found: dict[int, list[datetime]] = {}
        for r in rows:
            found.setdefault(r[0], []).append(from_db(r[1]))
        return found

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

    async def answers_for(self, meeting_ids: Sequence[int]) -> dict[tuple[int, int], Answer]:
        """(meeting, member) -> answer for many meetings at once."""
        rows = await self.db.fetchall(
            "SELECT meeting_id, member_id, answer, reason, answered_by, answered_at "
            "FROM meeting_answers WHERE meeting_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(meeting_ids)),),
        )
        return {(r[0], r[1]): Answer(r[1], r[2], r[3], r[4], from_db(r[5])) for r in rows}

    async def absent_in_units(
        self, unit_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, list[datetime]]:
        """Like `absences`, for every member of the given cells."""
        rows = await self.db.fetchall(
            "SELECT a.member_id, m.starts_at FROM attendance a JOIN meetings m "
            "ON m.id = a.meeting_id WHERE a.status = 'absent' AND m.status = 'scheduled' "
            "AND m.starts_at >= ? AND m.starts_at < ? "
            "AND m.unit_id IN (SELECT value FROM json_each(?)) ORDER BY m.starts_at",
            (to_db(start), to_db(end), json.dumps(list(unit_ids))),
        )
        found: dict[int, list[datetime]] = {}
        for r in rows:
            found.setdefault(r[0], []).append(from_db(r[1]))
        return found

    async def observed_units(self, member_id: int) -> list[int]:
        """The units whose meetings this member is assigned to attend as an observer."""
        rows = await self.db.fetchall(
            "SELECT unit_id FROM meeting_observers WHERE member_id = ?", (member_id,)
        )
        return [r[0] for r in rows]

    async def assign_observer(self, unit_id: int, member_id: int, *, remove: bool = False) -> bool:
        """Assign (with `remove`: unassign) an observer to a unit's meetings; True if it changed."""
        async with self.db.write() as conn:
            if remove:
                cursor = await conn.execute(
                    "DELETE FROM meeting_observers WHERE unit_id = ? AND member_id = ?",
                    (unit_id, member_id),
                )
            else:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO meeting_observers (unit_id, member_id) VALUES (?, ?)",
                    (unit_id, member_id),
                )
            return cursor.rowcount > 0

    async def answered_excused(self, meeting_ids: Sequence[int]) -> set[tuple[int, int]]:
        """(meeting, member) pairs where the member asked to be excused."""
        rows = await self.db.fetchall(
            "SELECT meeting_id, member_id FROM meeting_answers WHERE answer = 'excused' "
            "AND meeting_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(meeting_ids)),),
        )
        return {(r[0], r[1]) for r in rows}
