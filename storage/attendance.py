"""Who comes to a cell's meetings: members' answers (will attend / excused, with a reason),
the attendance the secretary records, absences over a span, and the observers assigned to a
cell's meetings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db
from storage.outbox import NewMessage, enqueue_in

ANSWERS = ("attend", "excused")
STATUSES = ("present", "excused", "absent")


@dataclass(frozen=True)
class Answer:
    """A member's answer to a meeting: will attend, or asks to be excused (with a reason)."""

    member_id: int
    answer: str  # attend | excused
    reason: str | None
    answered_by: int | None
    answered_at: datetime


class AttendanceRepo:
    """Meeting answers, attendance and observers; an answer and its notice are written together."""

    def __init__(self, db: Database) -> None:
        self.db = db

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
