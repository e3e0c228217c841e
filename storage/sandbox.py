"""What the sandbox needs from the database: its own accounts, the people to play, a safety check.

Sandbox users are Telegram accounts in a reserved id range (`SANDBOX_USER_BASE` + member id), far
above any user id Telegram has issued so far, so a database holding anything else holds real
people and the sandbox refuses to touch it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, to_db

# 10^15: Telegram user ids fit in 52 bits but are around 10^10 today; this also stays below
# JavaScript's 2^53 so the web page can handle ids as plain numbers.
SANDBOX_USER_BASE = 1_000_000_000_000_000


@dataclass(frozen=True)
class Person:
    """A member the sandbox can play, with the cell they belong to and the roles they hold."""

    member_id: int
    user_id: int
    full_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    roles: tuple[tuple[str, str, str], ...]  # (role, unit code, unit name)


class SandboxRepo:
    """Reads and writes for the sandbox only; the bot never uses it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def foreign_accounts(self) -> int:
        """Linked accounts that are not sandbox users: real people."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM accounts WHERE channel != 'telegram' "
            "OR CAST(user_id AS INTEGER) < ? OR user_id GLOB '*[^0-9]*'",
            (SANDBOX_USER_BASE,),
        )
        return int(row[0]) if row else 0

    async def link_all(self, now: datetime) -> int:
        """Give every active member without a Telegram account their sandbox account."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
                "SELECT 'telegram', CAST(? + m.id AS TEXT), CAST(? + m.id AS TEXT), m.id, ? "
                "FROM members m WHERE m.active = 1 AND NOT EXISTS "
                "(SELECT 1 FROM accounts a WHERE a.member_id = m.id AND a.channel = 'telegram')",
                (SANDBOX_USER_BASE, SANDBOX_USER_BASE, to_db(now)),
            )
            return cursor.rowcount

    async def people(self) -> list[Person]:
        """Every linked sandbox member, with their cell and roles (unsorted)."""
        rows = await self.db.fetchall(
            "SELECT m.id, m.full_name, a.user_id, u.id AS unit_id, u.code, u.name "
            "FROM members m JOIN accounts a ON a.member_id = m.id AND a.channel = 'telegram' "
            "JOIN units u ON u.id = m.unit_id WHERE m.active = 1 AND CAST(a.user_id AS INTEGER) >= ?",
            (SANDBOX_USER_BASE,),
        )
        role_rows = await self.db.fetchall(
            "SELECT r.member_id, r.role, u.code, u.name FROM roles r JOIN units u ON u.id = r.unit_id "
            "ORDER BY r.member_id, r.role"
        )
        roles: dict[int, list[tuple[str, str, str]]] = {}
        for r in role_rows:
            roles.setdefault(int(r["member_id"]), []).append((r["role"], r["code"], r["name"]))
        return [
            Person(
                member_id=int(r["id"]),
                user_id=int(r["user_id"]),
                full_name=r["full_name"],
                unit_id=int(r["unit_id"]),
                unit_code=r["code"],
                unit_name=r["name"],
                roles=tuple(roles.get(int(r["id"]), ())),
            )
            for r in rows
        ]

    async def member_count(self) -> int:
        """Members in the database, active or not (zero means a fresh sandbox)."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM members")
        return int(row[0]) if row else 0

    async def unit_order(self) -> list[tuple[int, str, str, int | None]]:
        """(id, code, kind, parent id) of every unit, in insertion order."""
        rows = await self.db.fetchall("SELECT id, code, kind, parent_id FROM units ORDER BY id")
        return [(int(r[0]), r[1], r[2], r[3]) for r in rows]
