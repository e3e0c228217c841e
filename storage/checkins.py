"""Check-in rounds: each cell's monthly round collecting progress on its open tasks, its steps
(prompt, nudges, digest) queued in SQL, the members' answers, and who is excused."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.channels import BEST_ACCOUNT
from storage.db import Database, from_db, to_db

ANSWERS = ("done", "doing", "todo", "blocked")


@dataclass(frozen=True)
class Round:
    id: int
    unit_id: int
    period: str
    meeting_id: int | None
    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        """Whether the round accepts answers at `now`."""
        return self.opens_at <= now < self.closes_at

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Round:
        return cls(
            row["id"],
            row["unit_id"],
            row["period"],
            row["meeting_id"],
            from_db(row["opens_at"]),
            from_db(row["closes_at"]),
        )


@dataclass(frozen=True)
class CheckinAnswer:
    id: int
    round_id: int
    task_id: int
    member_id: int
    status: str
    note: str | None
    answered_at: datetime

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> CheckinAnswer:
        return cls(
            row["id"],
            row["round_id"],
            row["task_id"],
            row["member_id"],
            row["status"],
            row["note"],
            from_db(row["answered_at"]),
        )


# The round's close: the linked meeting's current start, else the stored one.
ROUND_CLOSES = (
    "COALESCE((SELECT m.starts_at FROM meetings m WHERE m.id = r.meeting_id), r.closes_at)"
)
ROUND_COLUMNS = f"r.id, r.unit_id, r.period, r.meeting_id, r.opens_at, {ROUND_CLOSES} AS closes_at"
_ANSWER = "id, round_id, task_id, member_id, status, note, answered_at"


@dataclass(frozen=True)
class StepFanout:
    """A round's step (prompt, nudge:<label>, digest) for every member concerned."""

    round_id: int
    unit_id: int
    step: str
    body: str
    exclude: tuple[int, ...] = ()


_INSERT_OUTBOX = (
    "INSERT OR IGNORE INTO outbox (dedupe_key, channel, chat_id, member_id, batch, body, "
    "next_attempt_at, created_at) SELECT 'checkin:' || :round || ':' || m.id || ':' || :step, "
    "a.channel, a.chat_id, m.id, 'checkin:' || :round, :body, :now, :now "
)
# Prompts and nudges: active members of the cell, not excused, with an open task of it not yet
# answered in the round (at the prompt nobody has answered; a nudge spares those who have).
_STEP_SQL = (
    _INSERT_OUTBOX + "FROM (SELECT DISTINCT x.member_id AS id FROM tasks t "
    "JOIN task_assignees x ON x.task_id = t.id WHERE t.unit_id = :unit AND t.status = 'open' "
    "AND NOT EXISTS (SELECT 1 FROM checkin_answers c WHERE c.round_id = :round "
    "AND c.member_id = x.member_id AND c.task_id = t.id)) q "
    f"JOIN members m ON m.id = q.id JOIN accounts a ON a.rowid = {BEST_ACCOUNT} "
    "WHERE m.active = 1 AND m.unit_id = :unit "
    "AND m.id NOT IN (SELECT value FROM json_each(:exclude))"
)
# The digest: the cell's secretaries and deputies.
_DIGEST_SQL = (
    _INSERT_OUTBOX + "FROM (SELECT DISTINCT member_id AS id FROM roles WHERE unit_id = :unit "
    "AND role IN ('secretary', 'deputy')) q JOIN members m ON m.id = q.id "
    f"JOIN accounts a ON a.rowid = {BEST_ACCOUNT} WHERE m.active = 1 "
    "AND m.id NOT IN (SELECT value FROM json_each(:exclude))"
)


class CheckinRepo:
    """Check-in rounds, their steps and answers; writes that also queue messages do both at once."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def last_answers(self, member_id: int) -> dict[int, CheckinAnswer]:
        """The member's latest answer for each task, over all rounds."""
        rows = await self.db.fetchall(
            f"SELECT {_ANSWER} FROM checkin_answers WHERE id IN (SELECT MAX(id) FROM "
            "checkin_answers WHERE member_id = ? GROUP BY task_id)",
            (member_id,),
        )
        return {r["task_id"]: CheckinAnswer._from_row(r) for r in rows}

    # -- rounds ------------------------------------------------------------------------------

    async def round(self, round_id: int) -> Round | None:
        """The check-in round with this id, if any."""
        row = await self.db.fetchone(
            f"SELECT {ROUND_COLUMNS} FROM checkin_rounds r WHERE r.id = ?", (round_id,)
        )
        return Round._from_row(row) if row else None

    async def current_round(self, unit_id: int, now: datetime) -> Round | None:
        """The cell's open round, if any."""
        rows = await self.db.fetchall(
            f"SELECT {ROUND_COLUMNS} FROM checkin_rounds r WHERE r.unit_id = ? AND r.opens_at <= ? "
            "ORDER BY r.opens_at DESC LIMIT 3",
            (unit_id, to_db(now)),
        )
        for r in rows:
            rnd = Round._from_row(r)
            if rnd.is_open(now):
                return rnd
        return None

    async def rounds_of(self, unit_id: int) -> list[Round]:
        """Every check-in round of the cell, by period."""
        rows = await self.db.fetchall(
            f"SELECT {ROUND_COLUMNS} FROM checkin_rounds r WHERE r.unit_id = ? ORDER BY r.period",
            (unit_id,),
        )
        return [Round._from_row(r) for r in rows]

    async def round_for(self, unit_id: int, period: str) -> Round | None:
        """The cell's check-in round for the period, if any."""
        row = await self.db.fetchone(
            f"SELECT {ROUND_COLUMNS} FROM checkin_rounds r WHERE r.unit_id = ? AND r.period = ?",
            (unit_id, period),
        )
        return Round._from_row(row) if row else None

    async def open_rounds(self, now: datetime) -> list[Round]:
        """Every round open now, province-wide."""
        rows = await self.db.fetchall(
            f"SELECT * FROM (SELECT {ROUND_COLUMNS} FROM checkin_rounds r WHERE r.opens_at <= ?) "
            "WHERE closes_at > ?",
            (to_db(now), to_db(now)),
        )
        return [Round._from_row(r) for r in rows]

    async def units_with_round(self, period: str) -> set[int]:
        """Ids of the cells that have a check-in round in the period."""
        rows = await self.db.fetchall(
            "SELECT unit_id FROM checkin_rounds WHERE period = ?", (period,)
        )
        return {r[0] for r in rows}

    async def regular_meetings(
        self, unit_ids: Sequence[int], periods: Sequence[str]
    ) -> dict[tuple[int, str], tuple[int, datetime, str]]:
        """(unit, period) -> (meeting id, start, status) of each cell's regular meeting."""
        rows = await self.db.fetchall(
            "SELECT id, unit_id, period, starts_at, status FROM meetings WHERE kind = 'regular' "
            "AND unit_id IN (SELECT value FROM json_each(?)) "
            "AND period IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)), json.dumps(list(periods))),
        )
        return {
            (r["unit_id"], r["period"]): (r["id"], from_db(r["starts_at"]), r["status"])
            for r in rows
        }

    async def open_rounds_bulk(
        self, items: Sequence[tuple[int, str, int | None, datetime, datetime]], now: datetime
    ) -> int:
        """Create many rounds in one statement; returns how many were new."""
        rows = [(u, p, m, to_db(o), to_db(c)) for u, p, m, o, c in items]
        async with self.db.write() as conn:
            before = conn.total_changes
            await conn.execute(
                "INSERT OR IGNORE INTO checkin_rounds (unit_id, period, meeting_id, opens_at, "
                "closes_at, created_at) SELECT json_extract(value, '$[0]'), "
                "json_extract(value, '$[1]'), json_extract(value, '$[2]'), "
                "json_extract(value, '$[3]'), json_extract(value, '$[4]'), ? FROM json_each(?)",
                (to_db(now), json.dumps(rows)),
            )
            return conn.total_changes - before

    async def steps_done(self, round_ids: Sequence[int]) -> set[tuple[int, str]]:
        """The (round, step label) pairs already done for these rounds."""
        rows = await self.db.fetchall(
            "SELECT round_id, label FROM checkin_steps "
            "WHERE round_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(round_ids)),),
        )
        return {(r[0], r[1]) for r in rows}

    async def record_steps(
        self, steps: Sequence[tuple[int, str]], fanouts: Sequence[StepFanout], now: datetime
    ) -> tuple[int, int, int]:
        """Mark steps taken and queue their messages in one transaction; returns the prompts,
        nudges and digest messages queued. Built in SQL: a province-wide round has tens of
        thousands of rows, and their text is written when each is sent."""
        stamp = to_db(now)
        counts = []
        async with self.db.write() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO checkin_steps (round_id, label, at) VALUES (?, ?, ?)",
                [(r, label, stamp) for r, label in steps],
            )
            for kind in ("prompt", "nudge", "digest"):
                before = conn.total_changes
                params = [
                    {
                        "round": f.round_id,
                        "unit": f.unit_id,
                        "step": f.step,
                        "body": f.body,
                        "exclude": json.dumps(list(f.exclude)),
                        "now": stamp,
                    }
                    for f in fanouts
                    if f.step.split(":", 1)[0] == kind
                ]
                if params:
                    await conn.executemany(_DIGEST_SQL if kind == "digest" else _STEP_SQL, params)
                counts.append(conn.total_changes - before)
        return counts[0], counts[1], counts[2]

    # -- answers -----------------------------------------------------------------------------

    async def answer(
        self, round_id: int, task_id: int, member_id: int, status: str, now: datetime
    ) -> int:
        """Record an answer (a new row: earlier ones stay as history); returns its id."""
        if status not in ANSWERS:
            raise ValueError(status)
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO checkin_answers (round_id, task_id, member_id, status, answered_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (round_id, task_id, member_id, status, to_db(now)),
            )
            return int(cursor.lastrowid or 0)

    async def set_note(self, answer_id: int, member_id: int, note: str) -> bool:
        """Set the note on the member's own answer; False when it is not theirs."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE checkin_answers SET note = ? WHERE id = ? AND member_id = ?",
                (note, answer_id, member_id),
            )
            return cursor.rowcount > 0

    async def current_answers(
        self, round_ids: Sequence[int]
    ) -> dict[tuple[int, int, int], CheckinAnswer]:
        """(round, member, task) -> the latest answer, for the given rounds."""
        rows = await self.db.fetchall(
            f"SELECT {_ANSWER} FROM checkin_answers WHERE id IN (SELECT MAX(id) FROM "
            "checkin_answers WHERE round_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY round_id, member_id, task_id)",
            (json.dumps(list(round_ids)),),
        )
        return {
            (r["round_id"], r["member_id"], r["task_id"]): CheckinAnswer._from_row(r) for r in rows
        }

    async def history(self, round_id: int, member_id: int) -> list[CheckinAnswer]:
        """The member's answers in the round, oldest first."""
        rows = await self.db.fetchall(
            f"SELECT {_ANSWER} FROM checkin_answers WHERE round_id = ? AND member_id = ? "
            "ORDER BY id",
            (round_id, member_id),
        )
        return [CheckinAnswer._from_row(r) for r in rows]

    # -- excused -----------------------------------------------------------------------------

    async def excuse(self, round_id: int, member_id: int, by: int | None, now: datetime) -> bool:
        """Excuse the member from reporting in the round; False when already excused."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO checkin_excused (round_id, member_id, by_member, at) "
                "VALUES (?, ?, ?, ?)",
                (round_id, member_id, by, to_db(now)),
            )
            return cursor.rowcount > 0

    async def excused(self, round_ids: Sequence[int]) -> set[tuple[int, int]]:
        """(round, member) pairs excused from reporting: for the round alone (`excuse`), or by a
        standing leave in the round's cell covering its period (storage.leave)."""
        ids = json.dumps(list(round_ids))
        rows = await self.db.fetchall(
            "SELECT round_id, member_id FROM checkin_excused "
            "WHERE round_id IN (SELECT value FROM json_each(?)) "
            "UNION SELECT r.id, l.member_id FROM checkin_rounds r "
            "JOIN member_leave l ON l.unit_id = r.unit_id AND l.first_period <= r.period "
            "AND (l.last_period IS NULL OR l.last_period >= r.period) "
            "WHERE r.id IN (SELECT value FROM json_each(?))",
            (ids, ids),
        )
        return {(r[0], r[1]) for r in rows}
