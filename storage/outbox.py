"""The outbox: one row per recipient and message, deduplicated, drained by the delivery worker."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

import aiosqlite

from bot.core.types import Reply
from storage.channels import BEST_ACCOUNT
from storage.db import Database, from_db, to_db


@dataclass(frozen=True)
class NewMessage:
    """A message to queue. `dedupe_key` makes queueing it twice harmless."""

    dedupe_key: str
    channel: str
    chat_id: str
    reply: Reply
    member_id: int | None = None
    batch: str | None = None
    not_before: datetime | None = None


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    dedupe_key: str
    channel: str
    chat_id: str
    member_id: int | None
    batch: str | None
    reply: Reply
    attempts: int
    next_attempt_at: datetime

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> OutboxMessage:
        return cls(
            row["id"],
            row["dedupe_key"],
            row["channel"],
            row["chat_id"],
            row["member_id"],
            row["batch"],
            Reply.from_json(row["body"]),
            row["attempts"],
            from_db(row["next_attempt_at"]),
        )


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed message."""

    id: int
    status: str  # 'sent' | 'pending' (retry later) | 'failed' | 'cancelled' (nothing to say)
    at: datetime
    next_attempt_at: datetime | None = None
    error: str | None = None
    message_id: str | None = None


_COLUMNS = "id, dedupe_key, channel, chat_id, member_id, batch, body, attempts, next_attempt_at"

# Due rows of the given channels ({prefix}: optionally only the oldest N), numbered per chat.
_DUE_SPREAD = (
    f"SELECT {_COLUMNS} FROM (SELECT {_COLUMNS}, ROW_NUMBER() OVER "
    "(PARTITION BY channel, chat_id ORDER BY next_attempt_at, id) AS rn FROM "
    f"(SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
    "AND channel IN (SELECT value FROM json_each(?)) {prefix})) "
    "WHERE rn <= ? AND id NOT IN (SELECT value FROM json_each(?)) "
    "ORDER BY next_attempt_at, id LIMIT ?"
)


class Row(NamedTuple):
    """A message already serialised (`bot.core.types.text_reply_json`), for fan-outs of thousands."""

    dedupe_key: str
    channel: str
    chat_id: str
    member_id: int | None
    batch: str | None
    body: str
    not_before: datetime | None = None


@dataclass(frozen=True)
class CellFanout:
    """One message to every active member of a cell with a reachable account, built in SQL.

    For province-wide rounds (tens of thousands of rows in one minute) no row passes through
    Python: the dedupe key is `key[0] + member id + key[1]` and the body is the pieces of
    `body` joined by the member id (`bot.core.types.ReplyTemplate.pieces`).
    """

    unit_id: int
    key: tuple[str, str]
    body: tuple[str, ...]
    batch: str | None
    exclude: tuple[int, ...] = ()


def _fanout_sql(pieces: int) -> str:
    body = " || m.id || ".join(["?"] * pieces)
    return (
        "INSERT OR IGNORE INTO outbox (dedupe_key, channel, chat_id, member_id, batch, body, "
        f"next_attempt_at, created_at) SELECT ? || m.id || ?, a.channel, a.chat_id, m.id, ?, "
        f"{body}, ?, ? FROM members m JOIN accounts a ON a.rowid = {BEST_ACCOUNT} "
        "WHERE m.unit_id = ? AND m.active = 1 "
        "AND m.id NOT IN (SELECT value FROM json_each(?))"
    )


async def enqueue_cells_in(
    conn: aiosqlite.Connection, items: Iterable[CellFanout], now: datetime
) -> int:
    """Queue cell-wide messages inside the caller's write transaction; returns how many were new."""
    before = conn.total_changes
    stamp = to_db(now)
    by_shape: dict[int, list[tuple[object, ...]]] = {}
    for f in items:
        by_shape.setdefault(len(f.body), []).append(
            (*f.key, f.batch, *f.body, stamp, stamp, f.unit_id, json.dumps(list(f.exclude)))
        )
    for pieces, params in by_shape.items():
        await conn.executemany(_fanout_sql(pieces), params)
    return conn.total_changes - before


def keyed(messages: Iterable[NewMessage], slot: str, value: int) -> list[NewMessage]:
    """The messages with `slot` in their dedupe keys replaced by `value`: for messages queued
    with the row they are about, whose id is known only once it is inserted."""
    return [replace(m, dedupe_key=m.dedupe_key.replace(slot, str(value))) for m in messages]


def as_row(m: NewMessage) -> Row:
    """A message to queue as the outbox row it is written as."""
    return Row(
        m.dedupe_key, m.channel, m.chat_id, m.member_id, m.batch, m.reply.to_json(), m.not_before
    )


async def enqueue_in(
    conn: aiosqlite.Connection, items: Iterable[NewMessage | Row], now: datetime
) -> int:
    """Queue messages inside the caller's write transaction; returns how many were new."""
    before = conn.total_changes
    # Formatted once: a bulletin or a reminder round queues tens of thousands of rows.
    stamp = to_db(now)
    await conn.executemany(
        "INSERT OR IGNORE INTO outbox (dedupe_key, channel, chat_id, member_id, batch, body, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (*r[:6], to_db(r[6]) if r[6] else stamp, stamp)
            for r in (m if isinstance(m, Row) else as_row(m) for m in items)
        ],
    )
    return conn.total_changes - before


class OutboxRepo:
    """Queueing, claiming and recording outcomes of outbox messages."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, items: Sequence[NewMessage], now: datetime) -> int:
        """Queue messages in one transaction; returns how many were new."""
        async with self.db.write() as conn:
            return await enqueue_in(conn, items, now)

    async def recover(self) -> int:
        """After a crash, messages that were being sent go back to the queue (may repeat once)."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'pending' WHERE status = 'sending'"
            )
            return cursor.rowcount

    async def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Pending messages whose time has come, oldest first."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, id LIMIT ?",
            (to_db(now), limit),
        )
        return [OutboxMessage._from_row(r) for r in rows]

    async def due_spread(
        self,
        now: datetime,
        limit: int,
        *,
        channels: Sequence[str],
        per_chat: int,
        exclude: Collection[int] = (),
    ) -> list[OutboxMessage]:
        """Due messages, oldest first, at most `per_chat` per chat, without the `exclude` ids.

        The per-chat cap keeps one chat with a long queue (a group paced at 20 a minute) from
        filling the batch and starving everyone else. `exclude` holds rows the caller already
        has in memory; they still count towards their chat's cap.
        """
        # Numbering the rows of every chat costs a sort of the whole queue (a quarter of a
        # second at 45,000 rows), so first look only at its oldest part; only when that part
        # is crowded by a few chats is the whole queue numbered.
        scan = 4 * limit + len(exclude)
        params = (to_db(now), json.dumps(list(channels)))
        tail = (per_chat, json.dumps(list(exclude)), limit)
        rows = await self.db.fetchall(
            _DUE_SPREAD.format(prefix="ORDER BY next_attempt_at, id LIMIT ?"),
            (*params, scan, *tail),
        )
        if len(rows) < limit:
            row = await self.db.fetchone(
                "SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE status = 'pending' "
                "AND next_attempt_at <= ? AND channel IN (SELECT value FROM json_each(?)) "
                "LIMIT ?)",
                (*params, scan + 1),
            )
            if row is not None and row[0] > scan:
                rows = await self.db.fetchall(_DUE_SPREAD.format(prefix=""), (*params, *tail))
        return [OutboxMessage._from_row(r) for r in rows]

    async def next_due_at(self, after: datetime | None = None) -> datetime | None:
        """When the earliest pending message falls due (only those due later than `after`)."""
        if after is None:
            row = await self.db.fetchone(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'"
            )
        else:
            row = await self.db.fetchone(
                "SELECT MIN(next_attempt_at) FROM outbox "
                "WHERE status = 'pending' AND next_attempt_at > ?",
                (to_db(after),),
            )
        return from_db(row[0]) if row and row[0] else None

    async def claim(self, ids: Sequence[int]) -> dict[int, int]:
        """Mark messages as being sent, so a crash after this point is visible on restart.

        Returns the new attempt count of each message actually claimed; a message cancelled
        (or claimed by someone else) since it was read is left out and must not be sent.
        """
        async with self.db.write() as conn:
            # One round trip to the database thread: this runs for every few sends.
            rows = await conn.execute_fetchall(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
                "WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?)) "
                "RETURNING id, attempts",
                (json.dumps(list(ids)),),
            )
        return {int(r[0]): int(r[1]) for r in rows}

    async def release(self, ids: Sequence[int]) -> None:
        """Give back claimed messages that were never sent: pending again, the attempt undone."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'pending', attempts = MAX(0, attempts - 1) "
                "WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(ids)),),
            )

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        """Write the outcomes of many sends in one transaction."""
        async with self.db.write() as conn:
            await conn.executemany(
                "UPDATE outbox SET status = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                "next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?, "
                "message_id = COALESCE(?, message_id) WHERE id = ? AND status = 'sending'",
                [
                    (
                        o.status,
                        o.status,
                        to_db(o.at),
                        to_db(o.next_attempt_at) if o.next_attempt_at else None,
                        o.error,
                        o.message_id,
                        o.id,
                    )
                    for o in outcomes
                ],
            )

    async def cancel(self, dedupe_key_prefix: str) -> int:
        """Withdraw pending messages whose key starts with the prefix (e.g. a moved meeting's)."""
        pattern = (
            dedupe_key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' "
                "AND dedupe_key LIKE ? ESCAPE '\\'",
                (pattern,),
            )
            return cursor.rowcount

    async def batch_counts(self, batch: str) -> dict[str, int]:
        """Rows per status of one batch, the pruned ones included."""
        rows = await self.db.fetchall(
            "SELECT status, SUM(n) AS n FROM ("
            "SELECT status, COUNT(*) AS n FROM outbox WHERE batch = ? GROUP BY status "
            "UNION ALL SELECT status, n FROM outbox_pruned WHERE batch = ?) GROUP BY status",
            (batch, batch),
        )
        return {r["status"]: r["n"] for r in rows}

    async def failed_members(self, batch: str) -> list[int]:
        """Ids of the members whose message in the batch failed."""
        rows = await self.db.fetchall(
            "SELECT member_id FROM outbox WHERE batch = ? AND status = 'failed' AND member_id IS NOT NULL",
            (batch,),
        )
        return [r["member_id"] for r in rows]

    async def counts(self) -> dict[str, int]:
        """How many outbox rows are in each status."""
        rows = await self.db.fetchall("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    async def prune(self, before: datetime, chunk: int = 5000) -> int:
        """Delete rows sent, failed or cancelled before the cut-off, a chunk per transaction (the
        worker keeps sending in between); their counts per batch go to `outbox_pruned`."""
        cutoff = to_db(before)
        total = 0
        while True:
            async with self.db.write() as conn:
                cursor = await conn.execute(_PRUNABLE, (cutoff, chunk))
                ids = json.dumps([row[0] for row in await cursor.fetchall()])
                await cursor.close()
                if ids == "[]":
                    return total
                await conn.execute(_KEEP_COUNTS, (ids,))
                await conn.execute(_KEEP_DELIVERED, (ids,))
                cursor = await conn.execute(
                    "DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", (ids,)
                )
                total += cursor.rowcount
                await cursor.close()


# Oldest first by id (ids grow with time), so each chunk's scan starts where the last one ended.
_PRUNABLE = (
    "SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'cancelled') "
    "AND COALESCE(sent_at, created_at) < ? ORDER BY id LIMIT ?"
)
# A member's bulletin copy (batch "bulletin:<id>") that was sent: the recipient keeps the fact.
_KEEP_DELIVERED = (
    "UPDATE bulletin_recipients SET delivered = 1 WHERE (bulletin_id, member_id) IN ("
    "SELECT CAST(substr(batch, 10) AS INTEGER), member_id FROM outbox "
    "WHERE id IN (SELECT value FROM json_each(?)) AND status = 'sent' "
    "AND member_id IS NOT NULL AND batch GLOB 'bulletin:[0-9]*' AND batch NOT GLOB 'bulletin:*:*')"
)
_KEEP_COUNTS = (
    "INSERT INTO outbox_pruned (batch, status, n) "
    "SELECT batch, status, COUNT(*) FROM outbox "
    "WHERE id IN (SELECT value FROM json_each(?)) AND batch IS NOT NULL "
    "GROUP BY batch, status "
    "ON CONFLICT (batch, status) DO UPDATE SET n = n + excluded.n"
)
