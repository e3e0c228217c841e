"""Units of the organisation tree (committees and cells), any depth."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.textnorm import fold
from storage.db import Database

CELL_KINDS = ("cell_hamlet", "cell_neighbourhood", "cell_agency", "cell_enterprise", "cell_other")
HAMLET_KINDS = ("cell_hamlet", "cell_neighbourhood")
UNIT_KINDS = ("committee", *CELL_KINDS)


@dataclass(frozen=True)
class Unit:
    """A unit of the organisation tree: a committee or a cell."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None

    @property
    def is_cell(self) -> bool:
        """Whether the unit is a cell (it meets), not a committee."""
        return self.kind in CELL_KINDS

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Unit:
        return cls(row["id"], row["code"], row["name"], row["kind"], row["parent_id"])


_COLUMNS = "id, code, name, kind, parent_id"

# Recursive query for a unit and everything under it.
SUBTREE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM units WHERE id = ?
    UNION ALL
    SELECT u.id FROM units u JOIN subtree s ON u.parent_id = s.id
)
"""


class UnitRepo:
    """Reads of the organisation tree."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, unit_id: int) -> Unit | None:
        """One unit by id, or None."""
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM units WHERE id = ?", (unit_id,))
        return Unit._from_row(row) if row else None

    async def by_code(self, code: str) -> Unit | None:
        """The unit with this code, or None."""
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM units WHERE code = ?", (code,))
        return Unit._from_row(row) if row else None

    async def subtree_ids(self, unit_id: int) -> list[int]:
        """The unit's id and the ids of every unit below it."""
        rows = await self.db.fetchall(SUBTREE_SQL + "SELECT id FROM subtree", (unit_id,))
        return [r["id"] for r in rows]

    async def ancestors(self, unit_id: int) -> list[Unit]:
        """The unit itself and every unit above it, nearest first."""
        rows = await self.db.fetchall(
            """
            WITH RECURSIVE up(id, depth) AS (
                SELECT id, 0 FROM units WHERE id = ?
                UNION ALL
                SELECT u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.id
                WHERE u.parent_id IS NOT NULL
            )
            SELECT u.id, u.code, u.name, u.kind, u.parent_id FROM up JOIN units u ON u.id = up.id
            ORDER BY up.depth
            """,
            (unit_id,),
        )
        return [Unit._from_row(r) for r in rows]

    async def cells_under(self, unit_id: int) -> list[Unit]:
        """Every cell in the unit's subtree (the unit itself included), by code."""
        rows = await self.db.fetchall(
            SUBTREE_SQL + f"SELECT {_COLUMNS} FROM units WHERE id IN (SELECT id FROM subtree) "
            f"AND kind IN ({','.join('?' * len(CELL_KINDS))}) ORDER BY code",
            (unit_id, *CELL_KINDS),
        )
        return [Unit._from_row(r) for r in rows]

    async def count(self) -> int:
        """How many units the tree holds."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM units")
        return int(row[0]) if row else 0

    async def unit_names(self, unit_ids: Sequence[int]) -> dict[int, str]:
        """Unit id -> name for the given units (unknown ids are left out)."""
        rows = await self.db.fetchall(
            "SELECT id, name FROM units WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)),),
        )
        return {r[0]: r[1] for r in rows}

    async def find_units(self, text: str, root: int | None, limit: int = 50) -> list[Unit]:
        """Units under `root` whose code is `text` or whose name contains it (no diacritics)."""
        if root is None:
            rows = await self.db.fetchall("SELECT id, code, name, kind, parent_id FROM units")
        else:
            rows = await self.db.fetchall(
                SUBTREE_SQL + "SELECT id, code, name, kind, parent_id FROM units "
                "WHERE id IN (SELECT id FROM subtree)",
                (root,),
            )
        units = [Unit._from_row(r) for r in rows]
        wanted = text.strip().casefold()
        exact = [u for u in units if u.code.casefold() == wanted]
        if exact:
            return exact
        key = fold(text)
        if not key:
            return []
        return [u for u in units if key in fold(u.name)][:limit]

    async def parents(self) -> dict[int, int | None]:
        """unit id -> parent id, for rolling read counts up the tree."""
        rows = await self.db.fetchall("SELECT id, parent_id FROM units")
        return {r["id"]: r["parent_id"] for r in rows}
