"""Bulletins: publication with its outbox rows in one transaction, scope, a late copy.

Reads and sending progress are in `bulletin_reads`, the PDF files in `files`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.types import Reply
from storage.channels import PREFERRED
from storage.db import Database, from_db, to_db
from storage.files import StoredFile
from storage.outbox import NewMessage, enqueue_in
from storage.units import CELL_KINDS, HAMLET_KINDS

SCOPE_KINDS = ("hamlet", "cells", "unit")


class DuplicateIssue(Exception):
    """A bulletin with this issue number was already published."""


@dataclass(frozen=True)
class Scope:
    """Who a bulletin goes to: a kind of cell under a root unit (None: the whole tree)."""

    kind: str
    unit_id: int | None = None


@dataclass(frozen=True)
class ScopeCount:
    members: int
    linked: int
    cells: int


@dataclass(frozen=True)
class Bulletin:
    id: int
    issue: str
    title: str
    file_path: str
    file_name: str
    sha256: str
    size: int
    scope: Scope
    publisher_member_id: int | None
    progress_channel: str | None
    progress_chat_id: str | None
    progress_sent: int
    progress_failed: int
    send_at: datetime
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def _from_row(cls, r: sqlite3.Row) -> Bulletin:
        return cls(
            r["id"],
            r["issue"],
            r["title"],
            r["file_path"],
            r["file_name"],
            r["sha256"],
            r["size"],
            Scope(r["scope_kind"], r["scope_unit_id"]),
            r["publisher_member_id"],
            r["progress_channel"],
            r["progress_chat_id"],
            r["progress_sent"],
            r["progress_failed"],
            from_db(r["send_at"]),
            from_db(r["created_at"]),
            from_db(r["finished_at"]) if r["finished_at"] else None,
        )


@dataclass(frozen=True)
class Delivery:
    """One copy to queue: the member and the account it goes to."""

    member_id: int
    channel: str
    chat_id: str


BULLETIN_COLUMNS = (
    "id, issue, title, file_path, file_name, sha256, size, scope_kind, scope_unit_id, "
    "publisher_member_id, progress_channel, progress_chat_id, progress_sent, progress_failed, "
    "send_at, created_at, finished_at"
)

# Active members in a scope: {root} picks the subtree's top, {kinds} filters unit kinds.
_SCOPE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM units WHERE (? IS NULL AND parent_id IS NULL) OR id = ?
    UNION ALL
    SELECT u.id FROM units u JOIN subtree s ON u.parent_id = s.id
)
SELECT m.id AS member_id, m.unit_id AS unit_id FROM members m JOIN units u ON u.id = m.unit_id
WHERE m.active = 1 AND m.unit_id IN (SELECT id FROM subtree) {kinds}
"""

# The one account a bulletin goes to: reachable, the latest linked.
_ACCOUNT_SQL = (
    "SELECT a.channel, a.chat_id FROM accounts a WHERE a.member_id = ? "
    f"AND a.unreachable_at IS NULL ORDER BY {PREFERRED} DESC, a.linked_at DESC LIMIT 1"
)


def _scope_query(scope: Scope) -> tuple[str, tuple[object, ...]]:
    kinds: tuple[str, ...] = ()
    if scope.kind == "hamlet":
        kinds = HAMLET_KINDS
    elif scope.kind == "cells":
        kinds = CELL_KINDS
    clause = f"AND u.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
    return _SCOPE_SQL.format(kinds=clause), (scope.unit_id, scope.unit_id, *kinds)


class BulletinRepo:
    """Bulletins, their scope and recipients, and the copies queued for them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def count_scope(self, scope: Scope) -> ScopeCount:
        """How many members a scope reaches, how many have a linked account, in how many cells."""
        sql, params = _scope_query(scope)
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT s.unit_id) AS cells, SUM(EXISTS (SELECT 1 "
            "FROM accounts a WHERE a.member_id = s.member_id AND a.unreachable_at IS NULL)) "
            f"AS linked FROM ({sql}) s",
            params,
        )
        if row is None or not row["n"]:
            return ScopeCount(0, 0, 0)
        return ScopeCount(int(row["n"]), int(row["linked"] or 0), int(row["cells"]))

    async def in_scope(self, scope: Scope, member_id: int) -> bool:
        """Whether the member falls within the scope."""
        sql, params = _scope_query(scope)
        row = await self.db.fetchone(
            f"SELECT 1 FROM ({sql}) WHERE member_id = ?", (*params, member_id)
        )
        return row is not None

    async def by_issue(self, issue: str) -> Bulletin | None:
        """The bulletin with this issue number, if any."""
        row = await self.db.fetchone(
            f"SELECT {BULLETIN_COLUMNS} FROM bulletins WHERE issue = ?", (issue,)
        )
        return Bulletin._from_row(row) if row else None

    async def get(self, bulletin_id: int) -> Bulletin | None:
        """The bulletin with this id, if any."""
        row = await self.db.fetchone(
            f"SELECT {BULLETIN_COLUMNS} FROM bulletins WHERE id = ?", (bulletin_id,)
        )
        return Bulletin._from_row(row) if row else None

    async def publish(
        self,
        *,
        issue: str,
        title: str,
        file: StoredFile,
        scope: Scope,
        publisher_member_id: int | None,
        progress: tuple[str, str] | None,
        send_at: datetime,
        now: datetime,
        render: Callable[[int, int], Reply],
        first_progress: Callable[[int, int], Reply] | None = None,
        conversation: tuple[str, str] | None = None,
    ) -> tuple[int, int]:
        """Store the bulletin, its recipients and one outbox row per linked recipient, atomically.

        `render(bulletin_id, member_id)` builds each copy. Returns (bulletin id, copies queued).
        Raises DuplicateIssue when the issue number is taken.
        """
        sql, params = _scope_query(scope)
        async with self.db.write() as conn:
            try:
                cursor = await conn.execute(
                    "INSERT INTO bulletins (issue, title, file_path, file_name, sha256, size, "
                    "scope_kind, scope_unit_id, publisher_member_id, progress_channel, "
                    "progress_chat_id, send_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        issue,
                        title,
                        str(file.path),
                        file.file_name,
                        file.sha256,
                        file.size,
                        scope.kind,
                        scope.unit_id,
                        publisher_member_id,
                        progress[0] if progress else None,
                        progress[1] if progress else None,
                        to_db(send_at),
                        to_db(now),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise DuplicateIssue(issue) from exc
            bulletin_id = int(cursor.lastrowid or 0)
            await conn.execute(
                "INSERT INTO bulletin_recipients (bulletin_id, member_id, unit_id) "
                f"SELECT ?, member_id, unit_id FROM ({sql})",
                (bulletin_id, *params),
            )
            cursor = await conn.execute(
                "SELECT r.member_id, a.channel, a.chat_id FROM bulletin_recipients r "
                "JOIN accounts a ON a.member_id = r.member_id AND a.unreachable_at IS NULL "
                f"WHERE r.bulletin_id = ? ORDER BY r.member_id, {PREFERRED} DESC, a.linked_at DESC",
                (bulletin_id,),
            )
            seen: set[int] = set()
            deliveries: list[Delivery] = []
            for r in await cursor.fetchall():
                if r[0] not in seen:
                    seen.add(r[0])
                    deliveries.append(Delivery(r[0], r[1], r[2]))
            await cursor.close()
            batch = f"bulletin:{bulletin_id}"
            messages = [
                NewMessage(
                    dedupe_key=f"{batch}:member:{d.member_id}",
                    channel=d.channel,
                    chat_id=d.chat_id,
                    reply=render(bulletin_id, d.member_id),
                    member_id=d.member_id,
                    batch=batch,
                    not_before=send_at,
                )
                for d in deliveries
            ]
            if progress and first_progress is not None and publisher_member_id is not None:
                # Queued first and due no later than the copies (the worker takes rows by due
                # time, then id): the publisher sees it while the copies go out, not after.
                messages.insert(
                    0,
                    NewMessage(
                        dedupe_key=f"{batch}:progress",
                        channel=progress[0],
                        chat_id=progress[1],
                        reply=first_progress(bulletin_id, len(deliveries)),
                        member_id=publisher_member_id,
                        batch=f"{batch}:report",
                        not_before=min(now, send_at),
                    ),
                )
            await enqueue_in(conn, messages, now)
            if conversation is not None:
                await conn.execute(
                    "DELETE FROM conversations WHERE channel = ? AND user_id = ?", conversation
                )
        return bulletin_id, len(deliveries)

    async def latest_for(self, member_id: int, now: datetime, limit: int = 12) -> list[Bulletin]:
        """Published bulletins (send time reached) whose scope holds the member, newest first."""
        rows = await self.db.fetchall(
            f"SELECT {BULLETIN_COLUMNS} FROM bulletins WHERE send_at <= ? ORDER BY send_at DESC, id DESC",
            (to_db(now),),
        )
        found: list[Bulletin] = []
        for row in rows:
            bulletin = Bulletin._from_row(row)
            if await self.is_recipient(bulletin.id, member_id) or await self.in_scope(
                bulletin.scope, member_id
            ):
                found.append(bulletin)
                if len(found) >= limit:
                    break
        return found

    async def recent(self, now: datetime, limit: int = 50) -> list[Bulletin]:
        """Bulletins whose send time has come, newest first."""
        rows = await self.db.fetchall(
            f"SELECT {BULLETIN_COLUMNS} FROM bulletins WHERE send_at <= ? ORDER BY send_at DESC, id DESC "
            "LIMIT ?",
            (to_db(now), limit),
        )
        return [Bulletin._from_row(r) for r in rows]

    async def is_recipient(self, bulletin_id: int, member_id: int) -> bool:
        """Whether the member is among the bulletin's recipients."""
        row = await self.db.fetchone(
            "SELECT 1 FROM bulletin_recipients WHERE bulletin_id = ? AND member_id = ?",
            (bulletin_id, member_id),
        )
        return row is not None

    async def serve(
        self, bulletin: Bulletin, member_id: int, unit_id: int, reply: Reply, now: datetime
    ) -> bool:
        """Queue the member's copy now: new for a late joiner, again after a failed attempt.

        A copy already sent (or on its way) is left alone. True when something was queued.
        """
        key = f"bulletin:{bulletin.id}:member:{member_id}"
        # A scheduled bulletin waits for its time, also for those who join before it.
        due = max(now, bulletin.send_at)
        async with self.db.write() as conn:
            cursor = await conn.execute(_ACCOUNT_SQL, (member_id,))
            account = await cursor.fetchone()
            await cursor.close()
            if account is None:
                return False
            await conn.execute(
                "INSERT OR IGNORE INTO bulletin_recipients (bulletin_id, member_id, unit_id) "
                "VALUES (?, ?, ?)",
                (bulletin.id, member_id, unit_id),
            )
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                "channel = ?, chat_id = ?, last_error = NULL "
                "WHERE dedupe_key = ? AND status IN ('failed', 'cancelled')",
                (to_db(due), account[0], account[1], key),
            )
            if cursor.rowcount:
                return True
            added = await enqueue_in(
                conn,
                [
                    NewMessage(
                        key,
                        account[0],
                        account[1],
                        reply,
                        member_id=member_id,
                        batch=f"bulletin:{bulletin.id}",
                        not_before=due,
                    )
                ],
                now,
            )
            return added > 0
