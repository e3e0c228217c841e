"""Roster import: upsert the organisation tree, members and roster roles in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.attachments import sync_roster_attachments
from storage.db import Database, from_db, to_db
from storage.dues import write_roster_amounts
from storage.minutes import CATEGORIES
from storage.units import SUBTREE_SQL, UNIT_KINDS, Unit

STATUSES = ("official", "probationary")
ROSTER_ROLES = ("secretary", "deputy", "committee")

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


@dataclass(frozen=True)
class Roster:
    """A validated roster, ready to import."""

    units: tuple[RosterUnit, ...] = ()
    members: tuple[RosterMember, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the roster has neither units nor members."""
        return not self.units and not self.members


@dataclass(frozen=True)
class ImportSummary:
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    # Active members in the database that the file does not mention (left as they were).
    members_absent: int = 0
    roles_set: int = 0
    attachments: int = 0
    dues_set: int = 0
    categories_set: int = 0


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


def _chunks(
    items: Sequence[tuple[object, ...]], size: int = CHUNK
) -> Iterator[list[tuple[object, ...]]]:
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


class RosterRepo:
    """Writes a parsed roster into the database; a few reads for roster-related commands."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def unit_parents(self) -> dict[str, str | None]:
        """Every unit's code mapped to its parent's code (None at the root)."""
        rows = await self.db.fetchall(
            "SELECT u.code, p.code AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id"
        )
        return {r["code"]: r["parent"] for r in rows}

    async def units_under(self, unit_id: int) -> list[Unit]:
        """A unit and everything under it."""
        rows = await self.db.fetchall(
            SUBTREE_SQL + "SELECT id, code, name, kind, parent_id FROM units "
            "WHERE id IN (SELECT id FROM subtree) ORDER BY code",
            (unit_id,),
        )
        return [Unit._from_row(r) for r in rows]

    async def invite_expiry(self, codes: Iterable[str]) -> datetime | None:
        """The earliest expiry among these invite codes (what a printed sheet must announce)."""
        wanted = list(codes)
        earliest: str | None = None
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            row = await self.db.fetchone(
                f"SELECT MIN(expires_at) FROM invites WHERE code IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            if row and row[0] is not None and (earliest is None or row[0] < earliest):
                earliest = row[0]
        return from_db(earliest) if earliest else None

    async def import_roster(
        self,
        roster: Roster,
        now: datetime,
        progress: Callable[[int], object] | None = None,
        period: str | None = None,
    ) -> ImportSummary:
        """Upsert units, members, roster roles and temporary attachments (from `period`, the
        local month 'YYYY-MM'; now's UTC month by default) in one transaction; progress(n)
        per chunk."""
        stamp = to_db(now)
        async with self.db.write() as conn:
            unit_ids, units = await self._import_units(conn, roster.units, stamp)
            members = await self._import_members(conn, roster.members, unit_ids, stamp, progress)
            roles_set = await self._replace_roles(conn, roster.members, members.ids, unit_ids)
            attached = await sync_roster_attachments(
                conn,
                [
                    (member_id, unit_ids[m.attach_to] if m.attach_to else None, m.attach_until)
                    for m, member_id in zip(roster.members, members.ids, strict=True)
                ],
                period or f"{now:%Y-%m}",
                stamp,
            )
            dues = [
                (member_id, m.dues_from, m.dues_amount, m.dues_category)
                for m, member_id in zip(roster.members, members.ids, strict=True)
                if m.dues_amount is not None and m.dues_from is not None
            ]
            dues_set = await write_roster_amounts(conn, dues, stamp)
            categories_set = await _set_categories(conn, roster.members, members.ids)
        return ImportSummary(
            units_created=units[0],
            units_updated=units[1],
            units_unchanged=units[2],
            members_created=members.created,
            members_updated=members.updated,
            members_unchanged=members.unchanged,
            members_absent=members.absent,
            roles_set=roles_set,
            attachments=attached,
            dues_set=dues_set,
            categories_set=categories_set,
        )

    # -- units -----------------------------------------------------------------------------

    @staticmethod
    async def _import_units(
        conn: aiosqlite.Connection, units: Sequence[RosterUnit], stamp: str
    ) -> tuple[dict[str, int], tuple[int, int, int]]:
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
                inserts.append(
                    (ids[unit.code], unit.code, unit.name, unit.kind, None, stamp, stamp)
                )
                created += 1
            elif (row["name"], row["kind"], row["parent_id"]) != (unit.name, unit.kind, parent_id):
                updates.append((unit.name, unit.kind, stamp, row["id"]))
                updated += 1
            else:
                unchanged += 1
        for chunk in _chunks(inserts):
            await conn.executemany(
                "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                chunk,
            )
        for chunk in _chunks(updates):
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
        for chunk in _chunks(links):
            await conn.executemany("UPDATE units SET parent_id = ? WHERE id = ?", chunk)
        return ids, (created, updated, unchanged)

    # -- members ---------------------------------------------------------------------------

    @staticmethod
    async def _import_members(
        conn: aiosqlite.Connection,
        members: Sequence[RosterMember],
        unit_ids: dict[str, int],
        stamp: str,
        progress: Callable[[int], object] | None,
    ) -> _MemberResult:
        cursor = await conn.execute(
            "SELECT id, unit_id, full_name, name_key, birth_date, card_no, status, active "
            "FROM members"
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

        for chunk in _chunks(inserts):
            await conn.executemany(
                "INSERT INTO members (id, unit_id, full_name, name_key, birth_date, card_no, "
                "status, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                chunk,
            )
            if progress:
                progress(len(chunk))
        for chunk in _chunks(updates):
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
        return _MemberResult(
            [ids[i] for i in range(len(members))], len(inserts), len(updates), unchanged, absent
        )

    # -- roles -----------------------------------------------------------------------------

    @staticmethod
    async def _replace_roles(
        conn: aiosqlite.Connection,
        members: Sequence[RosterMember],
        member_ids: list[int],
        unit_ids: dict[str, int],
    ) -> int:
        for chunk in _chunks([(i,) for i in member_ids]):
            await conn.executemany(
                "DELETE FROM roles WHERE member_id = ? AND source = 'roster'", chunk
            )
        grants: list[tuple[object, ...]] = []
        for member, member_id in zip(members, member_ids, strict=True):
            for role in member.roles:
                if role not in ROSTER_ROLES:
                    raise ValueError(f"member row {member.row}: unknown role {role!r}")
                grants.append((member_id, role, unit_ids[member.unit_code]))
        for chunk in _chunks(grants):
            # A role also granted by hand stays 'manual': that grant outlives the roster.
            await conn.executemany(
                "INSERT INTO roles (member_id, role, unit_id, source) VALUES (?, ?, ?, 'roster') "
                "ON CONFLICT (member_id, role, unit_id) DO NOTHING",
                chunk,
            )
        return len(grants)


async def _set_categories(
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
    for chunk in _chunks(changes):
        before = conn.total_changes
        await conn.executemany(
            "UPDATE members SET category = ? WHERE id = ? AND category IS NOT ?", chunk
        )
        changed += conn.total_changes - before
    return changed


@dataclass(frozen=True)
class _MemberResult:
    ids: list[int]
    created: int
    updated: int
    unchanged: int
    absent: int
