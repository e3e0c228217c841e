"""The SQLite database: connections, the serialised writer, migrations and online backup."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, cast

import aiosqlite

logger = logging.getLogger(__name__)

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db(moment: datetime) -> str:
    """Aware datetime -> fixed-width UTC text that sorts like the time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def from_db(text: str) -> datetime:
    """Inverse of `to_db` (fromisoformat, not strptime: a round reads tens of thousands of rows)."""
    return datetime.fromisoformat(text[:-1] + "+00:00")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class SchemaTooNew(Exception):
    """The database was written by a newer Chibo: a migration this code does not know."""

    def __init__(self, path: Path, found: int, known: int) -> None:
        super().__init__(f"{path}: schema version {found} is newer than this code's {known}")
        self.path = path
        self.found = found
        self.known = known


async def _configure(conn: aiosqlite.Connection) -> None:
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute("PRAGMA busy_timeout=10000")


async def _incremental_vacuum(conn: aiosqlite.Connection) -> None:
    """Pages freed by pruning go back to the file system (`Database.reclaim`). A new file takes
    the setting at once; an existing one only after one full VACUUM, done here once."""
    cursor = await conn.execute("PRAGMA auto_vacuum")
    row = await cursor.fetchone()
    await cursor.close()
    if row is not None and row[0] == 2:
        return
    await conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    cursor = await conn.execute("SELECT COUNT(*) FROM sqlite_master")
    row = await cursor.fetchone()
    await cursor.close()
    if row is not None and row[0]:
        logger.info("compacting the database once to turn on incremental vacuum")
        await conn.execute("VACUUM")


class Database:
    """One writer connection behind a lock (BEGIN IMMEDIATE) and one connection for reads."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, upgrade: bool = True) -> Database:
        """Open (creating if needed) the database file and, by default, apply migrations."""
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await aiosqlite.connect(path, isolation_level=None)
        await _incremental_vacuum(writer)
        reader = await aiosqlite.connect(path, isolation_level=None)
        for conn in (writer, reader):
            await _configure(conn)
        db = cls(path, writer, reader)
        try:
            # Refuse a newer database before anything in it is changed.
            await db.check_not_newer()
            if upgrade:
                await db.upgrade()
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        """Close the reader and writer connections."""
        await self._reader.close()
        await self._writer.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: serialised with every other writer, rolled back on error."""
        async with self._lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            else:
                await self._writer.execute("COMMIT")

    @property
    def reader(self) -> aiosqlite.Connection:
        """Connection for single-statement reads (autocommit, sees committed data)."""
        return self._reader

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Every row of a read query, as sqlite3.Row."""
        # One trip to the connection's thread (execute, fetch and close there): each trip costs
        # about as much CPU as a small indexed query, and a member's answer makes a dozen reads.
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetch_tuples(
        self, sql: str, params: tuple[object, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """Like `fetchall`, as plain tuples: cheaper for the tens of thousands of rows of a
        province-wide round."""
        cursor = await self._reader.execute(sql, params)
        cursor.row_factory = None
        rows = await cursor.fetchall()
        await cursor.close()
        return cast(list[tuple[Any, ...]], rows)

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        """The first row (callers ask for one: by key, or with LIMIT 1), in one trip."""
        rows = await self._reader.execute_fetchall(sql, params)
        for row in rows:
            return row
        return None

    async def execute_write(self, sql: str, params: tuple[object, ...] = ()) -> int:
        """One write statement in a transaction of its own (serialised with every other
        writer), in one trip to the writer's thread; returns the rows it changed."""
        async with self._lock:
            cursor = await self._writer.execute(sql, params)
            return cursor.rowcount

    async def write_returning(
        self, sql: str, params: tuple[object, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """One write statement with a RETURNING clause, in a transaction of its own (serialised
        with every other writer), in one trip to the writer's thread; returns its rows."""
        async with self._lock:
            rows = await self._writer.execute_fetchall(sql, params)
            return [tuple(row) for row in rows]

    async def _applied(self) -> set[int]:
        """Versions recorded as applied; none when the table does not exist yet."""
        cursor = await self._reader.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        exists = await cursor.fetchone()
        await cursor.close()
        if not exists:
            return set()
        cursor = await self._reader.execute("SELECT version FROM schema_migrations")
        rows = await cursor.fetchall()
        await cursor.close()
        return {int(row[0]) for row in rows}

    async def schema_version(self) -> int:
        """The highest migration applied (0 for an empty database)."""
        return max(await self._applied(), default=0)

    async def check_not_newer(self) -> None:
        """Raise `SchemaTooNew` when a migration above every known one has been applied."""
        known = max((m[0] for m in migrations()), default=0)
        found = await self.schema_version()
        if found > known:
            raise SchemaTooNew(self.path, found, known)

    async def pending_migrations(self) -> list[tuple[int, str, str]]:
        """Every shipped migration not applied yet, wherever it falls (a branch merged late may
        bring one numbered below the current maximum)."""
        applied = await self._applied()
        return [m for m in migrations() if m[0] not in applied]

    async def upgrade(self) -> list[str]:
        """Apply every pending migration, each in its own transaction; return their names."""
        await self.check_not_newer()
        async with self.write() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        applied = []
        for version, name, sql in await self.pending_migrations():
            async with self.write() as conn:
                for statement in _statements(sql):
                    await conn.execute(statement)
                # An audit stamp, not a decision: SQLite's own clock, so no code path here
                # needs the injected one.
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                    "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'))",
                    (version, name),
                )
            logger.info("applied migration %s", name)
            applied.append(name)
        return applied

    async def reclaim(self) -> int:
        """Give the file's free pages back (after pruning); returns the pages freed."""
        async with self._lock:
            cursor = await self._writer.execute("PRAGMA freelist_count")
            row = await cursor.fetchone()
            await cursor.close()
            cursor = await self._writer.execute("PRAGMA incremental_vacuum")
            await cursor.fetchall()
            await cursor.close()
        return int(row[0]) if row else 0

    async def backup(self, target: Path) -> None:
        """Consistent online copy of the live database into `target`."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as dest:
            await self._reader.backup(dest)


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        raise ValueError("migration ends with an incomplete statement")
    return statements


class MonthSpan:
    """A span of months ('YYYY-MM'), open-ended when `last_period` is None (leave, attachment)."""

    first_period: str
    last_period: str | None

    def covers(self, period: str) -> bool:
        """Whether the span includes `period`."""
        return self.first_period <= period and (
            self.last_period is None or self.last_period >= period
        )
