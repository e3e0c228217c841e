"""Minutes and resolution drafts on disk: short-lived, kept apart from the documents members are
sent, stamped with Chibo's clock (not the host's) so their age is judged on the injected clock."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from storage.db import Database
from storage.files import keep_by_digest

SUFFIX = "docx"
# Telegram's file id of a draft is cached under this key (apart from the documents' checksums),
# so it goes with the draft.
UPLOAD_KEY = "draft:{digest}"


def keep_draft(content: bytes, directory: Path, now: datetime) -> tuple[Path, str]:
    """Keep a draft under its checksum, its age starting `now` (again, if the same draft was
    kept before); returns the path and the digest."""
    path, digest = keep_by_digest(content, directory, SUFFIX)
    stamp = now.timestamp()
    os.utime(path, (stamp, stamp))
    return path, digest


def prune_drafts(directory: Path, before: datetime) -> list[str]:
    """Delete the drafts kept before `before`; returns their digests."""
    if not directory.is_dir():
        return []
    limit = before.timestamp()
    gone = []
    for path in directory.glob(f"*.{SUFFIX}"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                gone.append(path.stem)
        except FileNotFoundError:
            continue  # pruned by another pass meanwhile
    return gone


async def forget_uploads(db: Database, digests: list[str]) -> int:
    """Drop the platforms' cached file ids of pruned drafts; returns how many rows went."""
    if not digests:
        return 0
    keys = [(UPLOAD_KEY.format(digest=d),) for d in digests]
    async with db.write() as conn:
        cursor = await conn.executemany("DELETE FROM platform_files WHERE file_key = ?", keys)
        return max(cursor.rowcount, 0)


def sweep_stray_drafts(directory: Path, keep: set[str]) -> list[str]:
    """Delete the `.docx` files in the documents' folder that no meeting document names: drafts
    written there by versions before the drafts had their own folder. Run only before anything
    can be uploaded (a document's file is written before its row); returns their digests."""
    if not directory.is_dir():
        return []
    gone = []
    for path in directory.glob(f"*.{SUFFIX}"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            gone.append(path.stem)
    return gone


async def forget_stray_uploads(db: Database, digests: list[str]) -> int:
    """Drop the cached file ids those old drafts were uploaded under (their bare checksum)."""
    if not digests:
        return 0
    async with db.write() as conn:
        cursor = await conn.executemany(
            "DELETE FROM platform_files WHERE file_key = ?", [(d,) for d in digests]
        )
        return max(cursor.rowcount, 0)
