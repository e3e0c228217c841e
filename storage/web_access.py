"""Sign-in links, sessions and shared chart images of the web dashboard (tokens stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db, to_db


def new_token() -> str:
    """A random URL-safe token of 256 bits."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    member_id: int
    channel: str
    expires_at: datetime


@dataclass(frozen=True)
class SharedImage:
    unit_id: int
    year: int


class WebAccessRepo:
    """One-time links, sessions and shared images; every lookup is by the token's digest."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create_link(
        self, member_id: int, channel: str, now: datetime, expires_at: datetime
    ) -> str:
        """A new single-use link token for this person and app; returns the token itself."""
        token = new_token()
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO web_links (token_hash, member_id, channel, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (digest(token), member_id, channel, to_db(now), to_db(expires_at)),
            )
            # Old links that can no longer be used are of no interest to anyone.
            await conn.execute(
                "DELETE FROM web_links WHERE expires_at < ? OR used_at IS NOT NULL",
                (to_db(now),),
            )
        return token

    async def redeem_link(
        self, token: str, now: datetime, session_token: str, session_expires: datetime
    ) -> WebSession | None:
        """Use a link once and open a session for its person; None if unknown, used or expired."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
                "AND expires_at > ? RETURNING member_id, channel",
                (to_db(now), digest(token), to_db(now)),
            )
            row = await cursor.fetchone()
            await cursor.close()
            if row is None:
                return None
            await conn.execute(
                "INSERT INTO web_sessions (token_hash, member_id, channel, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                (digest(session_token), row[0], row[1], to_db(now), to_db(session_expires)),
            )
        return WebSession(row[0], row[1], session_expires)

    async def session(self, token: str, now: datetime) -> WebSession | None:
        """The live session this cookie names, if any."""
        row = await self.db.fetchone(
            "SELECT member_id, channel, expires_at FROM web_sessions WHERE token_hash = ? "
            "AND ended_at IS NULL AND expires_at > ?",
            (digest(token), to_db(now)),
        )
        return WebSession(row[0], row[1], from_db(row[2])) if row else None

    async def end_session(self, token: str, now: datetime) -> None:
        """End the session behind this token (log out)."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE web_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                (to_db(now), digest(token)),
            )

    async def share_image(self, unit_id: int, year: int, now: datetime, expires: datetime) -> str:
        """A token naming one unit's chart for one year, for a platform that fetches by URL."""
        token = new_token()
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO web_images (token_hash, unit_id, year, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (digest(token), unit_id, year, to_db(expires)),
            )
            await conn.execute("DELETE FROM web_images WHERE expires_at < ?", (to_db(now),))
        return token

    async def shared_image(self, token: str, now: datetime) -> SharedImage | None:
        """The cell and year a shared chart token names, while it has not expired."""
        row = await self.db.fetchone(
            "SELECT unit_id, year FROM web_images WHERE token_hash = ? AND expires_at > ?",
            (digest(token), to_db(now)),
        )
        return SharedImage(row[0], row[1]) if row else None
