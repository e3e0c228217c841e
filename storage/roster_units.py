"""Roster import, the units: insert and update the organisation tree from a roster file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import aiosqlite

from storage.units import UNIT_KINDS

# Rows per executemany: big enough that the per-await cost of aiosqlite's worker thread
# disappears, small enough to drive a progress bar.
CHUNK = 2000


@dataclass(frozen=True)
class RosterUnit:
    """One row of the units table of a roster file (kind already mapped to UNIT_KINDS)."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    sheet: str = ""
    row: int = 0


def chunks(
    items: Sequence[tuple[object, ...]], size: int = CHUNK
) -> Iterator[list[tuple[object, ...]]]:
    """The items in lists of at most `size`, one executemany each."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def find_cycle(parents: dict[str, str | None]) -> list[str] | None:
    """A cycle in a code -> parent code map, as the codes along it, or None."""
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        code: str | None = start
        while code is not None and code not in done:
            if code in on_path:
                return [*path[path.index(code) :], code]
            path.append(code)
            on_path.add(code)
            code = parents.get(code)
        done |= on_path
    return None


async def import_units(
    conn: aiosqlite.Connection, units: Sequence[RosterUnit], stamp: str
) -> tuple[dict[str, int], tuple[int, int, int]]:
    """Upsert the file's units (explicit ids, parents linked last, the tree kept acyclic);
    every unit's code -> id and the (created, updated, unchanged) counts."""
    cursor = await conn.execute("SELECT id, code, name, kind, parent_id FROM units")
    existing = {r["code"]: r for r in await cursor.fetchall()}
    ids: dict[str, int] = {code: r["id"] for code, r in existing.items()}
    code_of = {r["id"]: code for code, r in existing.items()}
    next_id = max(ids.values(), default=0) + 1
    # The bot layer validated codes against the database already; this guards against a
    # unit disappearing in between, and keeps the tree acyclic whatever the caller did.
    parents = {code: code_of.get(r["parent_id"]) for code, r in existing.items()}
    for unit in units:
        if unit.kind not in UNIT_KINDS:
            raise ValueError(f"unit {unit.code}: unknown kind {unit.kind!r}")
        parents[unit.code] = unit.parent_code
    missing = {u.parent_code for u in units if u.parent_code and u.parent_code not in parents}
    if missing:
        raise LookupError(f"parent units not found: {sorted(missing)}")
    cycle = find_cycle(parents)
    if cycle:
        raise ValueError(f"unit tree would have a cycle: {' -> '.join(cycle)}")

    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[object, ...]] = []
    created = updated = unchanged = 0
    # Explicit ids (we hold the write lock) so parents can be resolved before any insert.
    for unit in units:
        if unit.code not in ids:
            ids[unit.code] = next_id
            next_id += 1
    for unit in units:
        parent_id = ids[unit.parent_code] if unit.parent_code else None
        row = existing.get(unit.code)
        if row is None:
            inserts.append((ids[unit.code], unit.code, unit.name, unit.kind, None, stamp, stamp))
            created += 1
        elif (row["name"], row["kind"], row["parent_id"]) != (unit.name, unit.kind, parent_id):
            updates.append((unit.name, unit.kind, stamp, row["id"]))
            updated += 1
        else:
            unchanged += 1
    for chunk in chunks(inserts):
        await conn.executemany(
            "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            chunk,
        )
    for chunk in chunks(updates):
        await conn.executemany(
            "UPDATE units SET name = ?, kind = ?, updated_at = ? WHERE id = ?", chunk
        )
    # Parents last: a unit may name a parent that appears later in the file.
    links = [
        (ids[u.parent_code] if u.parent_code else None, ids[u.code])
        for u in units
        if existing.get(u.code) is None
        or existing[u.code]["parent_id"] != (ids[u.parent_code] if u.parent_code else None)
    ]
    for chunk in chunks(links):
        await conn.executemany("UPDATE units SET parent_id = ? WHERE id = ?", chunk)
    return ids, (created, updated, unchanged)
