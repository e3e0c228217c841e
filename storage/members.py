"""Members of the roster, their roles and their linked chat accounts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.textnorm import display_name, fold, vi_sort_key
from storage.channels import BEST_ACCOUNT, PREFERRED
from storage.db import Database, to_db
from storage.units import SUBTREE_SQL, Unit

ROLES = ("admin", "propaganda", "committee", "secretary", "deputy", "treasurer")


@dataclass(frozen=True)
class Member:
    """A member of the roster (active or not), in one unit."""

    id: int
    unit_id: int
    full_name: str
    birth_date: str | None
    card_no: str | None
    status: str
    active: bool
    # The name as imported (exports write it back unchanged); `full_name` is how it is shown.
    roster_name: str = ""

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Member:
        return cls(
            row["id"],
            row["unit_id"],
            display_name(row["full_name"]),
            row["birth_date"],
            row["card_no"],
            row["status"],
            bool(row["active"]),
            row["full_name"],
        )


@dataclass(frozen=True)
class Role:
    """A role a member holds over a unit and its subtree, and where it came from."""

    role: str
    unit_id: int
    source: str


@dataclass(frozen=True)
class Account:
    """A chat account (Telegram or Zalo) linked to a member, with the chat to write to."""

    channel: str
    user_id: str
    chat_id: str
    member_id: int
    unreachable: bool

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> Account:
        return cls(
            row["channel"],
            row["user_id"],
            row["chat_id"],
            row["member_id"],
            row["unreachable_at"] is not None,
        )


@dataclass(frozen=True)
class Recipient:
    """A member with the account messages to them go to (None when not linked)."""

    member: Member
    account: Account | None


_M = "m.id, m.unit_id, m.full_name, m.birth_date, m.card_no, m.status, m.active"
_A = "a.channel, a.user_id, a.chat_id, a.member_id, a.unreachable_at"


@dataclass(frozen=True)
class Contact:
    """A linked, reachable member of a cell (or an observer) and the chat to write to."""

    member_id: int
    unit_id: int
    full_name: str
    channel: str
    chat_id: str


class MemberRepo:
    """Members, roles and accounts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, member_id: int) -> Member | None:
        """One member by id, or None."""
        row = await self.db.fetchone(f"SELECT {_M} FROM members m WHERE m.id = ?", (member_id,))
        return Member._from_row(row) if row else None

    async def by_card(self, card_no: str) -> Member | None:
        """The member with this Party card number, or None."""
        row = await self.db.fetchone(f"SELECT {_M} FROM members m WHERE m.card_no = ?", (card_no,))
        return Member._from_row(row) if row else None

    async def find(self, text: str, limit: int = 50) -> list[Member]:
        """Members whose name contains `text`, compared without diacritics or case."""
        key = fold(text)
        if not key:
            return []
        pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self.db.fetchall(
            f"SELECT {_M} FROM members m WHERE m.name_key LIKE ? ESCAPE '\\' AND m.active = 1 "
            "LIMIT ?",
            (pattern, limit),
        )
        return sorted((Member._from_row(r) for r in rows), key=lambda m: vi_sort_key(m.full_name))

    async def in_unit(self, unit_id: int) -> list[Member]:
        """The active members of one unit (not of the units below it)."""
        rows = await self.db.fetchall(
            f"SELECT {_M} FROM members m WHERE m.unit_id = ? AND m.active = 1", (unit_id,)
        )
        return sorted((Member._from_row(r) for r in rows), key=lambda m: vi_sort_key(m.full_name))

    async def recipients_in(self, unit_id: int, *, subtree: bool = False) -> list[Recipient]:
        """Active members of a unit (or its subtree), each with the account to message them on."""
        where = "m.unit_id IN (SELECT id FROM subtree)" if subtree else "m.unit_id = ?"
        prefix = SUBTREE_SQL if subtree else ""
        rows = await self.db.fetchall(
            f"{prefix} SELECT {_M}, a.channel, a.user_id, a.chat_id, a.unreachable_at, a.linked_at, "
            f"COALESCE({PREFERRED}, 0) AS preferred "
            f"FROM members m LEFT JOIN accounts a ON a.member_id = m.id WHERE {where} AND m.active = 1",
            (unit_id,),
        )
        best: dict[int, tuple[Member, Account | None, tuple[bool, bool, str]]] = {}
        for r in rows:
            member = Member._from_row(r)
            account = None
            rank = (False, False, "")
            if r["user_id"] is not None:
                account = Account(
                    r["channel"],
                    r["user_id"],
                    r["chat_id"],
                    member.id,
                    r["unreachable_at"] is not None,
                )
                # Prefer a reachable account, then the channel chosen with /kenh, then the one
                # linked last.
                rank = (not account.unreachable, bool(r["preferred"]), r["linked_at"])
            current = best.get(member.id)
            if current is None or rank > current[2]:
                best[member.id] = (member, account, rank)
        result = [Recipient(m, a) for m, a, _ in best.values()]
        result.sort(key=lambda rec: vi_sort_key(rec.member.full_name))
        return result

    async def count(self) -> int:
        """How many active members the roster holds."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM members WHERE active = 1")
        return int(row[0]) if row else 0

    # -- roles -------------------------------------------------------------------------------

    async def roles(self, member_id: int) -> list[Role]:
        """Every role the member holds, ordered by role and unit."""
        rows = await self.db.fetchall(
            "SELECT role, unit_id, source FROM roles WHERE member_id = ? ORDER BY role, unit_id",
            (member_id,),
        )
        return [Role(r["role"], r["unit_id"], r["source"]) for r in rows]

    async def holders(self, unit_id: int, roles: tuple[str, ...]) -> list[Member]:
        """Members holding one of `roles` directly on `unit_id`."""
        rows = await self.db.fetchall(
            f"SELECT DISTINCT {_M} FROM roles r JOIN members m ON m.id = r.member_id "
            f"WHERE r.unit_id = ? AND r.role IN ({','.join('?' * len(roles))}) AND m.active = 1",
            (unit_id, *roles),
        )
        return [Member._from_row(r) for r in rows]

    async def grant(self, member_id: int, role: str, unit_id: int) -> bool:
        """Give a role by hand; False when the member already had it."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO roles (member_id, role, unit_id, source) "
                "VALUES (?, ?, ?, 'manual')",
                (member_id, role, unit_id),
            )
            return cursor.rowcount > 0

    async def revoke(self, member_id: int, role: str, unit_id: int) -> bool:
        """Take a role away, whatever its source; False when the member did not have it."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM roles WHERE member_id = ? AND role = ? AND unit_id = ?",
                (member_id, role, unit_id),
            )
            return cursor.rowcount > 0

    # -- accounts ----------------------------------------------------------------------------

    async def account(self, channel: str, user_id: str) -> Account | None:
        """The linked account of this channel user, or None."""
        row = await self.db.fetchone(
            f"SELECT {_A} FROM accounts a WHERE a.channel = ? AND a.user_id = ?", (channel, user_id)
        )
        return Account._from_row(row) if row else None

    async def identify(
        self, channel: str, user_id: str
    ) -> tuple[Account, Member, Unit | None, list[Role]] | None:
        """The account, its member, their unit and roles, in one query: what every message
        from a linked member needs first. None when the account is unknown or the member gone."""
        row = await self.db.fetchone(
            f"SELECT {_A}, {_M}, u.code AS u_code, u.name AS u_name, u.kind AS u_kind, "
            "u.parent_id AS u_parent, "
            "(SELECT group_concat(r.role || ' ' || r.unit_id || ' ' || r.source, ',') "
            " FROM (SELECT * FROM roles WHERE member_id = m.id ORDER BY role, unit_id) r) AS rs "
            "FROM accounts a JOIN members m ON m.id = a.member_id "
            "LEFT JOIN units u ON u.id = m.unit_id WHERE a.channel = ? AND a.user_id = ?",
            (channel, user_id),
        )
        if row is None:
            return None
        unit = (
            Unit(row["unit_id"], row["u_code"], row["u_name"], row["u_kind"], row["u_parent"])
            if row["u_code"] is not None
            else None
        )
        roles = []
        for item in (row["rs"] or "").split(","):
            if item:
                role, unit_id, source = item.split(" ")
                roles.append(Role(role, int(unit_id), source))
        return Account._from_row(row), Member._from_row(row), unit, roles

    async def accounts_of(self, member_id: int) -> list[Account]:
        """The member's linked accounts, the one messages go to first."""
        rows = await self.db.fetchall(
            f"SELECT {_A} FROM accounts a WHERE a.member_id = ? "
            f"ORDER BY {PREFERRED} DESC, a.linked_at DESC",
            (member_id,),
        )
        return [Account._from_row(r) for r in rows]

    async def mark_reachable(self, channel: str, user_id: str) -> bool:
        """The user wrote to us again: clear the unreachable flag. True when it was set."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE accounts SET unreachable_at = NULL "
                "WHERE channel = ? AND user_id = ? AND unreachable_at IS NOT NULL",
                (channel, user_id),
            )
            return cursor.rowcount > 0

    async def mark_unreachable(self, channel: str, chat_id: str, now: datetime) -> Account | None:
        """Sending to this chat was refused for good (the user blocked the bot)."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE accounts SET unreachable_at = ? "
                "WHERE channel = ? AND chat_id = ? AND unreachable_at IS NULL",
                (to_db(now), channel, chat_id),
            )
            if cursor.rowcount == 0:
                return None
            cursor = await conn.execute(
                f"SELECT {_A} FROM accounts a WHERE a.channel = ? AND a.chat_id = ?",
                (channel, chat_id),
            )
            row = await cursor.fetchone()
        return Account._from_row(row) if row else None

    async def contacts(self, unit_ids: Sequence[int]) -> dict[int, list[Contact]]:
        """Linked, reachable, active members of each cell, one account each (`BEST_ACCOUNT`)."""
        rows = await self.db.fetch_tuples(
            f"{_CONTACT} AND m.unit_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)),),
        )
        return _group(rows)

    async def contacts_of(self, member_ids: Collection[int]) -> dict[int, Contact]:
        """Linked, reachable, active members among `member_ids`, one account each."""
        rows = await self.db.fetch_tuples(
            f"{_CONTACT} AND m.id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(member_ids)),),
        )
        return {r[0]: Contact(r[0], r[1], display_name(r[2]), r[3], r[4]) for r in rows}

    async def leaders(self, unit_ids: Sequence[int]) -> dict[int, list[Contact]]:
        """Secretaries and deputies of each cell, with their chat."""
        rows = await self.db.fetch_tuples(
            "SELECT DISTINCT m.id, r.unit_id, m.full_name, a.channel, a.chat_id "
            "FROM roles r JOIN members m ON m.id = r.member_id "
            f"JOIN accounts a ON a.rowid = {BEST_ACCOUNT} WHERE r.role IN ('secretary', 'deputy') "
            "AND m.active = 1 AND r.unit_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)),),
        )
        return _group(rows)

    async def observers(self, unit_ids: Sequence[int]) -> dict[int, list[Contact]]:
        """Committee members assigned to attend each cell's meetings (not themselves members
        of it: those are reminded as members), with their chat."""
        rows = await self.db.fetchall(
            "SELECT m.id, o.unit_id, m.full_name, a.channel, a.chat_id FROM meeting_observers o "
            f"JOIN members m ON m.id = o.member_id JOIN accounts a ON a.rowid = {BEST_ACCOUNT} "
            "WHERE m.active = 1 AND m.unit_id != o.unit_id "
            "AND o.unit_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)),),
        )
        return _group(rows)

    async def names_in(self, unit_ids: Sequence[int]) -> dict[int, str]:
        """Full names of the members of these cells, by id."""
        rows = await self.db.fetchall(
            "SELECT id, full_name FROM members WHERE unit_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(unit_ids)),),
        )
        return {r[0]: r[1] for r in rows}


# A member with the one account a message goes to; queries add `AND ...` conditions.
_CONTACT = (
    "SELECT m.id, m.unit_id, m.full_name, a.channel, a.chat_id FROM members m "
    f"JOIN accounts a ON a.rowid = {BEST_ACCOUNT} WHERE m.active = 1"
)


def _group(rows: Iterable[Sequence[Any]]) -> dict[int, list[Contact]]:
    # One row per member and unit (each query picks one account per member).
    by_unit: dict[int, dict[int, Contact]] = {}
    for r in rows:
        by_unit.setdefault(r[1], {})[r[0]] = Contact(r[0], r[1], display_name(r[2]), r[3], r[4])
    return {unit: list(members.values()) for unit, members in by_unit.items()}
