"""Single-use invite codes that link a chat account to a roster entry, with lockout on guessing."""

from __future__ import annotations

import enum
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Database, from_db, to_db

# No 0/O, 1/I/L: codes are typed by hand from printed sheets.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    """A fresh random invite code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(text: str) -> bool:
    """True for text shaped like an invite code (so bare codes typed on Zalo can be recognised)."""
    candidate = text.strip().upper()
    return len(candidate) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in candidate)


class Redeem(enum.Enum):
    LINKED = "linked"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    LOCKED = "locked"
    ALREADY_LINKED = "already_linked"
    MEMBER_TAKEN = "member_taken"


@dataclass(frozen=True)
class RedeemResult:
    outcome: Redeem
    member_id: int | None = None


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int
    window: timedelta
    lockout: timedelta


class InviteRepo:
    """Issues, lists and redeems invite codes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ensure_for(
        self, member_ids: list[int], now: datetime, valid_for: timedelta
    ) -> dict[int, str]:
        """A live code for each member (reusing one still valid, so printed sheets stay good)."""
        if not member_ids:
            return {}
        codes: dict[int, str] = {}
        async with self.db.write() as conn:
            for start in range(0, len(member_ids), 500):
                chunk = member_ids[start : start + 500]
                cursor = await conn.execute(
                    f"SELECT member_id, code FROM invites WHERE member_id IN ({','.join('?' * len(chunk))}) "
                    "AND used_at IS NULL AND expires_at > ? ORDER BY expires_at",
                    (*chunk, to_db(now)),
                )
                for row in await cursor.fetchall():
                    codes[row["member_id"]] = row["code"]
            fresh = [(m, new_code()) for m in member_ids if m not in codes]
            await conn.executemany(
                "INSERT INTO invites (code, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                [(code, m, to_db(now), to_db(now + valid_for)) for m, code in fresh],
            )
            codes.update(fresh)
        return codes

    async def redeem(
        self,
        code: str,
        *,
        channel: str,
        user_id: str,
        chat_id: str,
        now: datetime,
        policy: LockoutPolicy,
    ) -> RedeemResult:
        """Link the account to the code's member, or count a failure towards a lockout."""
        code = code.strip().upper()
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "SELECT failures, window_start, locked_until FROM link_attempts "
                "WHERE channel = ? AND user_id = ?",
                (channel, user_id),
            )
            attempt = await cursor.fetchone()
            if attempt and attempt["locked_until"] and from_db(attempt["locked_until"]) > now:
                return RedeemResult(Redeem.LOCKED)
            cursor = await conn.execute(
                "SELECT member_id FROM accounts WHERE channel = ? AND user_id = ?",
                (channel, user_id),
            )
            linked = await cursor.fetchone()
            if linked:
                return RedeemResult(Redeem.ALREADY_LINKED, linked["member_id"])
            cursor = await conn.execute(
                "SELECT i.member_id, i.expires_at, i.used_at, m.active FROM invites i "
                "JOIN members m ON m.id = i.member_id WHERE i.code = ?",
                (code,),
            )
            invite = await cursor.fetchone()
            outcome: Redeem | None = None
            if invite is None or not invite["active"]:
                outcome = Redeem.UNKNOWN
            elif invite["used_at"] is not None:
                outcome = Redeem.USED
            elif from_db(invite["expires_at"]) <= now:
                outcome = Redeem.EXPIRED
            if outcome is not None or invite is None:
                await self._count_failure(conn, channel, user_id, attempt, now, policy)
                return RedeemResult(outcome or Redeem.UNKNOWN)
            member_id = int(invite["member_id"])
            cursor = await conn.execute(
                "SELECT 1 FROM accounts WHERE member_id = ? AND channel = ?", (member_id, channel)
            )
            if await cursor.fetchone():
                # Someone already linked this member on this channel: a forwarded or leaked code.
                return RedeemResult(Redeem.MEMBER_TAKEN)
            await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? WHERE code = ?",
                (to_db(now), f"{channel}:{user_id}", code),
            )
            await conn.execute(
                "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (channel, user_id, chat_id, member_id, to_db(now)),
            )
            await conn.execute(
                "DELETE FROM link_attempts WHERE channel = ? AND user_id = ?", (channel, user_id)
            )
            return RedeemResult(Redeem.LINKED, member_id)

    @staticmethod
    async def _count_failure(
        conn: aiosqlite.Connection,
        channel: str,
        user_id: str,
        attempt: sqlite3.Row | None,
        now: datetime,
        policy: LockoutPolicy,
    ) -> None:
        if attempt is None or from_db(attempt["window_start"]) + policy.window <= now:
            failures, window_start = 1, now
        else:
            failures, window_start = attempt["failures"] + 1, from_db(attempt["window_start"])
        locked = to_db(now + policy.lockout) if failures >= policy.max_failures else None
        await conn.execute(
            "INSERT INTO link_attempts (channel, user_id, failures, window_start, locked_until) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, user_id) DO UPDATE SET "
            "failures = excluded.failures, window_start = excluded.window_start, "
            "locked_until = excluded.locked_until",
            (channel, user_id, 0 if locked else failures, to_db(window_start), locked),
        )

    async def unlinked_members(self, unit_ids: list[int]) -> list[int]:
        """Active members of these units with no linked account on any channel."""
        if not unit_ids:
            return []
        rows = await self.db.fetchall(
            f"SELECT m.id FROM members m WHERE m.unit_id IN ({','.join('?' * len(unit_ids))}) "
            "AND m.active = 1 AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.member_id = m.id) "
            "ORDER BY m.id",
            tuple(unit_ids),
        )
        return [r["id"] for r in rows]
