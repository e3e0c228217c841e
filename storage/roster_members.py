"""Roster import, the members: upsert members, their roster roles and their categories."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aiosqlite

from storage.minutes import CATEGORIES
from storage.roster_units import chunks

STATUSES = ("official", "probationary")
ROSTER_ROLES = ("secretary", "deputy", "committee")


@dataclass(frozen=True)
class RosterMember:
    """One row of the members table; gender and phone are deliberately absent (not stored)."""

    full_name: str
    name_key: str
    birth_date: str | None  # ISO yyyy-mm-dd
    card_no: str | None
    unit_code: str
    status: str
    roles: tuple[str, ...] = ()
    sheet: str = ""
    row: int = 0
    # Sinh hoạt tạm thời: the host cell's code and the last month 'YYYY-MM' (None: open-ended).
    attach_to: str | None = None
    attach_until: str | None = None
    # The monthly dues amount (integer đồng) from `dues_from` ('YYYY-MM'); None = not given.
    dues_amount: int | None = None
    dues_category: str | None = None
    dues_from: str | None = None
    # What the minutes count the member as (storage.minutes.CATEGORIES), "auto" to follow
    # `status` again, or None to leave the category as it is.
    category: str | None = None


@dataclass
class _DbMember:
    id: int
    unit_id: int
    full_name: str
    name_key: str
    birth_date: str | None
    card_no: str | None
    status: str
    active: int


@dataclass(frozen=True)
class MemberResult:
    ids: list[int]
    created: int
    updated: int
    unchanged: int
    absent: int


async def import_members(
    conn: aiosqlite.Connection,
    members: Sequence[RosterMember],
    unit_ids: dict[str, int],
    stamp: str,
    progress: Callable[[int], object] | None,
) -> MemberResult:
    """Match the file's members to the database (card number first, then name, birth date and
    unit), insert the new ones and update the changed ones; progress(n) per chunk."""
    cursor = await conn.execute(
        "SELECT id, unit_id, full_name, name_key, birth_date, card_no, status, active FROM members"
    )
    existing = [_DbMember(*tuple(r)) for r in await cursor.fetchall()]
    by_card = {m.card_no: m for m in existing if m.card_no is not None}
    by_key: dict[tuple[str, str | None, int], list[_DbMember]] = {}
    for m in existing:
        by_key.setdefault((m.name_key, m.birth_date, m.unit_id), []).append(m)
    for candidates in by_key.values():
        # A card-less entry is the natural match for a card-less row; prefer it.
        candidates.sort(key=lambda m: m.card_no is not None)
    next_id = max((m.id for m in existing), default=0) + 1

    matched: set[int] = set()
    ids: dict[int, int] = {}
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[object, ...]] = []
    unchanged = 0
    # Rows with a card first, so a card-less row cannot take the entry a card points at.
    order = sorted(range(len(members)), key=lambda i: members[i].card_no is None)
    for index in order:
        member = members[index]
        unit_id = unit_ids.get(member.unit_code)
        if unit_id is None:
            raise LookupError(f"member row {member.row}: unit {member.unit_code!r} not found")
        found = by_card.get(member.card_no) if member.card_no else None
        if found is None:
            # No card in the file, or a card newly added to someone imported without one.
            key = (member.name_key, member.birth_date, unit_id)
            found = next(
                (
                    m
                    for m in by_key.get(key, ())
                    if m.id not in matched and (m.card_no is None or not member.card_no)
                ),
                None,
            )
        if found is not None and found.id in matched:
            raise ValueError(f"member row {member.row} matches member {found.id} twice")
        if found is None:
            ids[index] = next_id
            inserts.append(
                (
                    next_id,
                    unit_id,
                    member.full_name,
                    member.name_key,
                    member.birth_date,
                    member.card_no,
                    member.status,
                    stamp,
                    stamp,
                )
            )
            next_id += 1
            continue
        matched.add(found.id)
        ids[index] = found.id
        # A file without a card number never erases one already known.
        card_no = member.card_no or found.card_no
        new = (unit_id, member.full_name, member.name_key, member.birth_date, card_no)
        old = (found.unit_id, found.full_name, found.name_key, found.birth_date, found.card_no)
        if new == old and member.status == found.status and found.active:
            unchanged += 1
        else:
            updates.append((*new, member.status, stamp, found.id))

    for chunk in chunks(inserts):
        await conn.executemany(
            "INSERT INTO members (id, unit_id, full_name, name_key, birth_date, card_no, "
            "status, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            chunk,
        )
        if progress:
            progress(len(chunk))
    for chunk in chunks(updates):
        await conn.executemany(
            "UPDATE members SET unit_id = ?, full_name = ?, name_key = ?, birth_date = ?, "
            "card_no = ?, status = ?, active = 1, updated_at = ? WHERE id = ?",
            chunk,
        )
        if progress:
            progress(len(chunk))
    if progress and unchanged:
        progress(unchanged)
    absent = sum(1 for m in existing if m.active and m.id not in matched)
    return MemberResult(
        [ids[i] for i in range(len(members))], len(inserts), len(updates), unchanged, absent
    )


async def replace_roles(
    conn: aiosqlite.Connection,
    members: Sequence[RosterMember],
    member_ids: list[int],
    unit_ids: dict[str, int],
) -> int:
    """Replace the members' roster-granted roles with the file's; how many were granted."""
    for chunk in chunks([(i,) for i in member_ids]):
        await conn.executemany("DELETE FROM roles WHERE member_id = ? AND source = 'roster'", chunk)
    grants: list[tuple[object, ...]] = []
    for member, member_id in zip(members, member_ids, strict=True):
        for role in member.roles:
            if role not in ROSTER_ROLES:
                raise ValueError(f"member row {member.row}: unknown role {role!r}")
            grants.append((member_id, role, unit_ids[member.unit_code]))
    for chunk in chunks(grants):
        # A role also granted by hand stays 'manual': that grant outlives the roster.
        await conn.executemany(
            "INSERT INTO roles (member_id, role, unit_id, source) VALUES (?, ?, ?, 'roster') "
            "ON CONFLICT (member_id, role, unit_id) DO NOTHING",
            chunk,
        )
    return len(grants)


async def set_categories(
    conn: aiosqlite.Connection, members: Sequence[RosterMember], member_ids: list[int]
) -> int:
    """Write the categories the file gives (an empty cell leaves one as it is); how many
    changed."""
    changes: list[tuple[object, ...]] = []
    for member, member_id in zip(members, member_ids, strict=True):
        if member.category is None:
            continue
        category = None if member.category == "auto" else member.category
        if category is not None and category not in CATEGORIES:
            raise ValueError(f"member row {member.row}: unknown category {category!r}")
        changes.append((category, member_id, category))
    changed = 0
    for chunk in chunks(changes):
        before = conn.total_changes
        await conn.executemany(
            "UPDATE members SET category = ? WHERE id = ? AND category IS NOT ?", chunk
        )
        changed += conn.total_changes - before
    return changed
