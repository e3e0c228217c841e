"""Files kept on disk under their checksum, and the platforms' ids for them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from storage.db import Database


@dataclass(frozen=True)
class StoredFile:
    """A file kept on disk: where, its SHA-256, its size and the name it is sent under."""

    path: Path
    sha256: str
    size: int
    file_name: str


def keep_by_digest(content: bytes, directory: Path, suffix: str) -> tuple[Path, str]:
    """Keep content on disk under its SHA-256 (the same content twice is stored once), written
    whole or not at all; returns the path and the digest."""
    digest = hashlib.sha256(content).hexdigest()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{digest}.{suffix}"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    return path, digest


def store_file(content: bytes, directory: Path, file_name: str) -> StoredFile:
    """Keep a bulletin PDF on disk under its checksum (the same file twice is stored once)."""
    path, digest = keep_by_digest(content, directory, "pdf")
    return StoredFile(path, digest, len(content), file_name)


class FileIdRepo:
    """The platform's id for a stored file, per bot, so a restart does not upload it again."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, channel: str, bot_key: str, file_key: str) -> str | None:
        """The platform's file id cached for this file on this bot, if any."""
        row = await self.db.fetchone(
            "SELECT file_id FROM platform_files WHERE channel = ? AND bot_key = ? AND file_key = ?",
            (channel, bot_key, file_key),
        )
        return row["file_id"] if row else None

    async def put(self, channel: str, bot_key: str, file_key: str, file_id: str) -> None:
        """Cache the platform's file id for this file, replacing an older one."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO platform_files (channel, bot_key, file_key, file_id, created_at) "
                "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')) "
                "ON CONFLICT (channel, bot_key, file_key) DO UPDATE SET file_id = excluded.file_id",
                (channel, bot_key, file_key, file_id),
            )

    async def forget(self, channel: str, bot_key: str, file_key: str) -> None:
        """Drop the cached file id (the platform no longer accepts it)."""
        async with self.db.write() as conn:
            await conn.execute(
                "DELETE FROM platform_files WHERE channel = ? AND bot_key = ? AND file_key = ?",
                (channel, bot_key, file_key),
            )
