"""A small organisation for end-to-end tests: a commune with two hamlet cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from bot.core.textnorm import fold
from storage.db import Database, to_db

UNITS = [
    # code, name, kind, parent code
    ("T", "Đảng bộ tỉnh Thử Nghiệm", "committee", None),
    ("X", "Đảng bộ xã Hòa Bình", "committee", "T"),
    ("A", "Chi bộ ấp Tân Thành", "cell_hamlet", "X"),
    ("B", "Chi bộ ấp Phú Lợi", "cell_hamlet", "X"),
]

MEMBERS = [
    # key, full name, unit code, card, role
    ("an", "Nguyễn Văn An", "A", "093001", "secretary"),
    ("binh", "Trần Thị Bình", "A", "093002", "deputy"),
    ("cuong", "Lê Văn Cường", "A", "093003", None),
    ("dung", "Phạm Thị Dung", "A", "093004", None),
    ("duc", "Hoàng Văn Đức", "A", "093005", None),
    ("ha", "Võ Thị Hà", "B", "093006", "secretary"),
    ("hung", "Đặng Văn Hùng", "B", "093007", None),
]

# Telegram user ids the fake uses for each member.
TG_IDS = {key: 1001 + i for i, (key, *_rest) in enumerate(MEMBERS)}


@dataclass(frozen=True)
class Seeded:
    member_ids: dict[str, int]
    unit_ids: dict[str, int]


async def seed(db: Database) -> Seeded:
    """Insert the test organisation (tests may write SQL to set up; production code may not)."""
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    unit_ids: dict[str, int] = {}
    member_ids: dict[str, int] = {}
    async with db.write() as conn:
        for code, name, kind, parent in UNITS:
            cursor = await conn.execute(
                "INSERT INTO units (code, name, kind, parent_id, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (code, name, kind, unit_ids.get(parent or ""), now, now),
            )
            unit_ids[code] = int(cursor.lastrowid or 0)
        for key, name, unit, card, role in MEMBERS:
            member_ids[key] = await _insert_member(conn, unit_ids[unit], name, card, now)
            if role:
                await conn.execute(
                    "INSERT INTO roles (member_id, role, unit_id, source) VALUES (?, ?, ?, 'roster')",
                    (member_ids[key], role, unit_ids[unit]),
                )
    return Seeded(member_ids, unit_ids)


async def grant(db: Database, seeded: Seeded, key: str, role: str, unit: str) -> None:
    """A role given by hand (source 'manual') to a seeded member over a seeded unit."""
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO roles (member_id, role, unit_id, source) VALUES (?, ?, ?, 'manual')",
            (seeded.member_ids[key], role, seeded.unit_ids[unit]),
        )


async def add_members(db: Database, unit_id: int, names: list[str], first_card: int) -> list[int]:
    """More ordinary members in one cell (e.g. for a checklist longer than a page); their ids."""
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    async with db.write() as conn:
        return [
            await _insert_member(conn, unit_id, name, f"{first_card + i:06d}", now)
            for i, name in enumerate(names)
        ]


async def _insert_member(
    conn: aiosqlite.Connection, unit_id: int, name: str, card: str, now: str
) -> int:
    cursor = await conn.execute(
        "INSERT INTO members (unit_id, full_name, name_key, birth_date, card_no, status, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'official', ?, ?)",
        (unit_id, name, fold(name), "1970-01-01", card, now, now),
    )
    return int(cursor.lastrowid or 0)
