"""Party dues: amounts due, payments (with their history), excused months, the book.

The cells' reminder switch and the dues planner's records are in storage/dues_reminders.py.

Money is integer đồng; periods are local months 'YYYY-MM'. The salary an amount was derived
from is never stored, only the amount.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database, from_db, to_db

METHODS = ("cash", "portal", "bank")
CHUNK = 2000


@dataclass(frozen=True)
class Due:
    """An amount due from `from_period` on."""

    from_period: str
    amount: int
    category: str | None


@dataclass(frozen=True)
class Payment:
    id: int
    member_id: int
    unit_id: int
    period: str
    amount: int
    method: str
    paid_on: str
    batch: int | None
    recorded_by: int | None
    recorded_at: datetime
    replaced_at: datetime | None


@dataclass(frozen=True)
class BookMember:
    """A member as the dues book lists them."""

    id: int
    unit_id: int
    full_name: str
    card_no: str | None


def due_in(history: Sequence[Due], period: str) -> Due | None:
    """The amount due in `period` from a member's history (sorted by from_period, then id)."""
    found = None
    for due in history:
        if due.from_period <= period:
            found = due
        else:
            break
    return found


def _ids(values: Iterable[int]) -> str:
    return json.dumps(list(values))


_PAY = (
    "id, member_id, unit_id, period, amount, method, paid_on, batch, recorded_by, recorded_at, "
    "replaced_at"
)


def _payment(r: Sequence[object]) -> Payment:
    return Payment(
        int(str(r[0])),
        int(str(r[1])),
        int(str(r[2])),
        str(r[3]),
        int(str(r[4])),
        str(r[5]),
        str(r[6]),
        int(str(r[7])) if r[7] is not None else None,
        int(str(r[8])) if r[8] is not None else None,
        from_db(str(r[9])),
        from_db(str(r[10])) if r[10] is not None else None,
    )


class DuesRepo:
    """The dues book of every cell."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- amounts due -------------------------------------------------------------------------

    async def histories(self, member_ids: Sequence[int]) -> dict[int, list[Due]]:
        """Each member's amounts due, in the order they apply."""
        found: dict[int, list[Due]] = {}
        for start in range(0, len(member_ids), 50_000):
            rows = await self.db.fetch_tuples(
                "SELECT member_id, from_period, amount, category FROM dues_amounts "
                "WHERE member_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY member_id, from_period, id",
                (_ids(member_ids[start : start + 50_000]),),
            )
            for r in rows:
                found.setdefault(int(str(r[0])), []).append(
                    Due(str(r[1]), int(str(r[2])), str(r[3]) if r[3] is not None else None)
                )
        return found

    async def set_amount(
        self,
        member_id: int,
        due: Due,
        set_by: int | None,
        now: datetime,
    ) -> None:
        """The secretary or treasurer changed the amount due from `due.from_period` on."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO dues_amounts (member_id, from_period, amount, category, source, "
                "set_by, created_at) VALUES (?, ?, ?, ?, 'chat', ?, ?)",
                (member_id, due.from_period, due.amount, due.category, set_by, to_db(now)),
            )

    # -- payments ----------------------------------------------------------------------------

    async def payments(self, member_ids: Sequence[int], periods: Sequence[str]) -> list[Payment]:
        """Current payments of these members in these months."""
        rows = await self.db.fetch_tuples(
            f"SELECT {_PAY} FROM dues_payments WHERE replaced_at IS NULL "
            "AND member_id IN (SELECT value FROM json_each(?)) "
            "AND period IN (SELECT value FROM json_each(?)) ORDER BY period, member_id",
            (_ids(member_ids), json.dumps(list(periods))),
        )
        return [_payment(r) for r in rows]

    async def history(self, member_id: int, period: str) -> list[Payment]:
        """Every row ever recorded for a member's month, corrections included, oldest first."""
        rows = await self.db.fetch_tuples(
            f"SELECT {_PAY} FROM dues_payments WHERE member_id = ? AND period = ? ORDER BY id",
            (member_id, period),
        )
        return [_payment(r) for r in rows]

    async def record(
        self,
        member_id: int,
        unit_id: int,
        amounts: Sequence[tuple[str, int]],
        method: str,
        paid_on: str,
        by: int | None,
        now: datetime,
    ) -> list[int]:
        """Record one payment covering (period, amount) months; a month already paid is corrected
        (the old row stays, stamped replaced). Returns the new rows' ids."""
        if method not in METHODS or not amounts or any(a <= 0 for _, a in amounts):
            raise ValueError("bad payment")
        stamp = to_db(now)
        ids: list[int] = []
        async with self.db.write() as conn:
            for period, amount in amounts:
                await conn.execute(
                    "UPDATE dues_payments SET replaced_at = ?, replaced_by = ? "
                    "WHERE member_id = ? AND period = ? AND replaced_at IS NULL",
                    (stamp, by, member_id, period),
                )
                cursor = await conn.execute(
                    "INSERT INTO dues_payments (member_id, unit_id, period, amount, method, "
                    "paid_on, batch, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        member_id,
                        unit_id,
                        period,
                        amount,
                        method,
                        paid_on,
                        ids[0] if ids else None,
                        by,
                        stamp,
                    ),
                )
                ids.append(int(cursor.lastrowid or 0))
            if len(ids) > 1:
                await conn.execute(
                    "UPDATE dues_payments SET batch = ? WHERE id = ?", (ids[0], ids[0])
                )
            # A paid month is no longer excused.
            await conn.executemany(
                "DELETE FROM dues_excused WHERE member_id = ? AND period = ?",
                [(member_id, p) for p, _ in amounts],
            )
        return ids

    async def withdraw(self, member_id: int, period: str, by: int | None, now: datetime) -> bool:
        """Mark a month unpaid again (recorded by mistake); the row stays as history."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE dues_payments SET replaced_at = ?, replaced_by = ? "
                "WHERE member_id = ? AND period = ? AND replaced_at IS NULL",
                (to_db(now), by, member_id, period),
            )
            return cursor.rowcount > 0

    # -- excused months ----------------------------------------------------------------------

    async def excused(
        self, member_ids: Sequence[int], periods: Sequence[str]
    ) -> dict[tuple[int, str], str]:
        """The reason each (member, period) pair was excused, for the pairs that were."""
        rows = await self.db.fetch_tuples(
            "SELECT member_id, period, reason FROM dues_excused "
            "WHERE member_id IN (SELECT value FROM json_each(?)) "
            "AND period IN (SELECT value FROM json_each(?))",
            (_ids(member_ids), json.dumps(list(periods))),
        )
        return {(int(str(r[0])), str(r[1])): str(r[2]) for r in rows}

    async def excuse(
        self, member_id: int, period: str, reason: str, by: int | None, now: datetime
    ) -> bool:
        """Excuse an unpaid month with a reason; False when the month is paid."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM dues_payments WHERE member_id = ? AND period = ? "
                "AND replaced_at IS NULL",
                (member_id, period),
            )
            if await cursor.fetchone() is not None:
                return False
            await conn.execute(
                "INSERT INTO dues_excused (member_id, period, reason, set_by, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id, period) DO UPDATE SET "
                "reason = excluded.reason, set_by = excluded.set_by, created_at = excluded.created_at",
                (member_id, period, reason, by, to_db(now)),
            )
            return True

    async def unexcuse(self, member_id: int, period: str) -> bool:
        """Lift an excused month; False when it was not excused."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM dues_excused WHERE member_id = ? AND period = ?", (member_id, period)
            )
            return cursor.rowcount > 0

    # -- the book ----------------------------------------------------------------------------

    async def book_members(self, unit_ids: Sequence[int]) -> list[BookMember]:
        """Active members of these cells."""
        rows = await self.db.fetch_tuples(
            "SELECT id, unit_id, full_name, card_no FROM members WHERE active = 1 "
            "AND unit_id IN (SELECT value FROM json_each(?))",
            (_ids(unit_ids),),
        )
        return [
            BookMember(int(str(r[0])), int(str(r[1])), str(r[2]), str(r[3]) if r[3] else None)
            for r in rows
        ]

    async def names(self, member_ids: Sequence[int]) -> dict[int, str]:
        """Full names of the given members, by id."""
        rows = await self.db.fetch_tuples(
            "SELECT id, full_name FROM members WHERE id IN (SELECT value FROM json_each(?))",
            (_ids(member_ids),),
        )
        return {int(str(r[0])): str(r[1]) for r in rows}

    async def year_rows(
        self, unit_ids: Sequence[int], year: int
    ) -> tuple[list[tuple[int, str, int, str]], dict[tuple[int, str], str]]:
        """Current payments (member, month, amount, paid_on) and excused months of the year for
        the active members of cells; plain tuples, as a province's year is ~500,000 rows."""
        members = "SELECT id FROM members WHERE active = 1 AND unit_id IN (SELECT value FROM json_each(?))"
        rows = await self.db.fetch_tuples(
            "SELECT member_id, period, amount, paid_on FROM dues_payments "
            "WHERE replaced_at IS NULL AND period >= ? "
            f"AND period <= ? AND member_id IN ({members}) ORDER BY member_id, period",
            (f"{year:04d}-01", f"{year:04d}-12", _ids(unit_ids)),
        )
        excused = await self.db.fetch_tuples(
            "SELECT member_id, period, reason FROM dues_excused WHERE period >= ? AND period <= ? "
            f"AND member_id IN ({members})",
            (f"{year:04d}-01", f"{year:04d}-12", _ids(unit_ids)),
        )
        payments = [(int(str(r[0])), str(r[1]), int(str(r[2])), str(r[3])) for r in rows]
        return payments, {(int(str(r[0])), str(r[1])): str(r[2]) for r in excused}


async def write_roster_amounts(
    conn: aiosqlite.Connection,
    rows: Sequence[tuple[int, str, int, str | None]],
    stamp: str,
) -> int:
    """Amounts due from a roster import, inside its transaction: (member, from_period, amount,
    category). A row that changes nothing (same amount and category already in force at that
    month) is skipped; returns how many were written."""
    if not rows:
        return 0
    wanted = sorted({r[0] for r in rows})
    current: dict[int, list[tuple[str, int, str | None]]] = {}
    for start in range(0, len(wanted), 50_000):
        cursor = await conn.execute(
            "SELECT member_id, from_period, amount, category FROM dues_amounts "
            "WHERE member_id IN (SELECT value FROM json_each(?)) ORDER BY member_id, from_period, id",
            (_ids(wanted[start : start + 50_000]),),
        )
        for r in await cursor.fetchall():
            current.setdefault(r[0], []).append((r[1], r[2], r[3]))
    inserts: list[tuple[object, ...]] = []
    for member_id, period, amount, category in rows:
        history = [Due(*h) for h in current.get(member_id, [])]
        found = due_in(history, period)
        if found is not None and (found.amount, found.category) == (amount, category):
            continue
        inserts.append((member_id, period, amount, category, stamp))
    for start in range(0, len(inserts), CHUNK):
        await conn.executemany(
            "INSERT INTO dues_amounts (member_id, from_period, amount, category, source, "
            "created_at) VALUES (?, ?, ?, ?, 'roster', ?)",
            inserts[start : start + CHUNK],
        )
    return len(inserts)
