"""Roster import: upsert the organisation tree, members and roster roles in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.attachments import sync_roster_attachments
from storage.db import Database, from_db, to_db
from storage.dues import write_roster_amounts
from storage.roster_members import RosterMember, import_members, replace_roles, set_categories
from storage.roster_units import RosterUnit, import_units
from storage.units import SUBTREE_SQL, Unit


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
    """What a roster import changed: counts per kind of change, shown to the operator."""

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
            unit_ids, units = await import_units(conn, roster.units, stamp)
            members = await import_members(conn, roster.members, unit_ids, stamp, progress)
            roles_set = await replace_roles(conn, roster.members, members.ids, unit_ids)
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
            categories_set = await set_categories(conn, roster.members, members.ids)
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
