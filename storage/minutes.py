"""The meeting's paperwork: agenda and documents sent ahead (versioned), what the secretary adds
to the minutes, the roster categories a minutes book counts by, and the reads a draft needs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.core.textnorm import display_name
from storage.db import Database, from_db, to_db
from storage.meetings import _MEETING, Meeting, _cancel_in_sql, meeting_columns
from storage.outbox import NewMessage, enqueue_in

# 'attached': a member of another organisation attending this cell for a while (sinh hoạt tạm
# thời), counted apart from the cell's own full and probationary members.
CATEGORIES = ("full", "probationary", "exempt", "attached")
DOC_KINDS = ("pdf", "docx")
# A member's category: the explicit one, else what the roster status says.
_CATEGORY = (
    "COALESCE(m.category, CASE m.status WHEN 'official' THEN 'full' ELSE 'probationary' END)"
)


@dataclass(frozen=True)
class MeetingDocument:
    id: int
    meeting_id: int
    file_name: str
    path: str
    sha256: str
    size: int
    kind: str  # pdf | docx

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> MeetingDocument:
        return cls(
            row["id"],
            row["meeting_id"],
            row["file_name"],
            row["path"],
            row["sha256"],
            row["size"],
            row["kind"],
        )


@dataclass(frozen=True)
class Papers:
    """The version of a meeting's agenda and documents, and the one last sent to members."""

    meeting_id: int
    version: int
    sent_version: int

    @property
    def key(self) -> str:
        """Prefix of the outbox keys of the agenda message of every version."""
        return f"meeting:{self.meeting_id}:papers:v"


@dataclass(frozen=True)
class MinutesExtras:
    """What the secretary typed or chose for the drafts."""

    meeting_id: int
    chair_id: int | None = None
    clerk_id: int | None = None
    conclusions: str = ""
    vote_for: int | None = None
    vote_against: int | None = None
    vote_abstain: int | None = None
    guest_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BulletinReads:
    issue: str
    title: str
    read: int
    total: int


# Builds the messages of one version of the papers from the meeting's documents as written.
PapersMessages = Callable[[int, Sequence[MeetingDocument]], Sequence[NewMessage]]

_DOC = "id, meeting_id, file_name, path, sha256, size, kind"


async def _documents_in(conn: aiosqlite.Connection, meeting_id: int) -> list[MeetingDocument]:
    cursor = await conn.execute(
        f"SELECT {_DOC} FROM meeting_documents WHERE meeting_id = ? ORDER BY id", (meeting_id,)
    )
    rows = await cursor.fetchall()
    await cursor.close()
    return [MeetingDocument._from_row(r) for r in rows]


async def _bump_in(
    conn: aiosqlite.Connection, meeting_id: int, now: datetime, messages: PapersMessages
) -> tuple[int, int]:
    """A new version of the papers; when an earlier one already went out, the new one goes out
    now (the older one's unsent agenda rows withdrawn). Returns (version, messages queued)."""
    # No row yet stands for version 1, never sent (an agenda typed before this feature, or
    # none): the first change makes version 2.
    cursor = await conn.execute(
        "INSERT INTO meeting_papers (meeting_id, version, updated_at) VALUES (?, 2, ?) "
        "ON CONFLICT (meeting_id) DO UPDATE SET version = version + 1, "
        "updated_at = excluded.updated_at RETURNING version, sent_version",
        (meeting_id, to_db(now)),
    )
    row = await cursor.fetchone()
    await cursor.close()
    assert row is not None
    version, sent = int(row[0]), int(row[1])
    if sent == 0:
        return version, 0
    return version, await _send_in(conn, meeting_id, version, now, messages)


async def _send_in(
    conn: aiosqlite.Connection,
    meeting_id: int,
    version: int,
    now: datetime,
    messages: PapersMessages,
) -> int:
    await conn.execute(*_cancel_in_sql(f"meeting:{meeting_id}:papers:v"))
    await conn.execute(
        "INSERT INTO meeting_papers (meeting_id, version, sent_version, updated_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (meeting_id) DO UPDATE SET "
        "sent_version = excluded.sent_version",
        (meeting_id, version, version, to_db(now)),
    )
    return await enqueue_in(conn, messages(version, await _documents_in(conn, meeting_id)), now)


class PapersRepo:
    """Agenda and documents of meetings, and the state of sending them ahead."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def papers(self, meeting_id: int) -> Papers:
        """The meeting's papers version and the version last sent (1 and 0 when never saved)."""
        row = await self.db.fetchone(
            "SELECT version, sent_version FROM meeting_papers WHERE meeting_id = ?", (meeting_id,)
        )
        # No row: the agenda (if any) came from /datlich's plain text and was never sent ahead.
        return Papers(meeting_id, row[0], row[1]) if row else Papers(meeting_id, 1, 0)

    async def documents(self, meeting_id: int) -> list[MeetingDocument]:
        """The meeting's documents, in the order they were added."""
        rows = await self.db.fetchall(
            f"SELECT {_DOC} FROM meeting_documents WHERE meeting_id = ? ORDER BY id", (meeting_id,)
        )
        return [MeetingDocument._from_row(r) for r in rows]

    async def document_digests(self) -> set[str]:
        """The checksums of every meeting document kept (any meeting, any kind)."""
        rows = await self.db.fetchall("SELECT DISTINCT sha256 FROM meeting_documents")
        return {r[0] for r in rows}

    async def documents_for(self, meeting_ids: Sequence[int]) -> dict[int, list[MeetingDocument]]:
        """Several meetings' documents in one read, by meeting id (`/lichhop`)."""
        rows = await self.db.fetchall(
            f"SELECT {_DOC} FROM meeting_documents WHERE meeting_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(list(meeting_ids)),),
        )
        found: dict[int, list[MeetingDocument]] = {}
        for r in rows:
            found.setdefault(r["meeting_id"], []).append(MeetingDocument._from_row(r))
        return found

    async def set_agenda(
        self, meeting: Meeting, agenda: str, now: datetime, messages: PapersMessages
    ) -> tuple[int, int] | None:
        """Write the agenda and version the papers; None when the meeting started or went."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE meetings SET agenda = ?, updated_at = ? WHERE id = ? "
                "AND status = 'scheduled' AND starts_at > ?",
                (agenda, to_db(now), meeting.id, to_db(now)),
            )
            if cursor.rowcount == 0:
                return None
            return await _bump_in(conn, meeting.id, now, messages)

    async def add_document(
        self,
        meeting: Meeting,
        doc: MeetingDocument,
        by: int | None,
        now: datetime,
        messages: PapersMessages,
    ) -> tuple[int, int] | None:
        """Attach a stored file (the same file twice is kept once) and version the papers."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM meetings WHERE id = ? AND status = 'scheduled' AND starts_at > ?",
                (meeting.id, to_db(now)),
            )
            alive = await cursor.fetchone()
            await cursor.close()
            if alive is None:
                return None
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO meeting_documents (meeting_id, file_name, path, sha256, "
                "size, kind, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    meeting.id,
                    doc.file_name,
                    doc.path,
                    doc.sha256,
                    doc.size,
                    doc.kind,
                    by,
                    to_db(now),
                ),
            )
            if cursor.rowcount == 0:
                papers = await self.papers(meeting.id)
                return papers.version, 0
            return await _bump_in(conn, meeting.id, now, messages)

    async def due(self, now: datetime, until: datetime) -> list[tuple[Meeting, int]]:
        """Scheduled meetings starting in (now, until] whose current papers have not gone out
        and that have something to send: (meeting, version)."""
        rows = await self.db.fetchall(
            f"SELECT {meeting_columns('m')}, "
            "COALESCE(p.version, 1) AS papers_version FROM meetings m "
            "LEFT JOIN meeting_papers p ON p.meeting_id = m.id "
            "WHERE m.status = 'scheduled' AND m.starts_at > ? AND m.starts_at <= ? "
            "AND COALESCE(p.sent_version, 0) < COALESCE(p.version, 1) "
            "AND (m.agenda != '' OR EXISTS (SELECT 1 FROM meeting_documents d "
            "WHERE d.meeting_id = m.id)) ORDER BY m.starts_at, m.id",
            (to_db(now), to_db(until)),
        )
        return [(Meeting._from_row(r), int(r["papers_version"])) for r in rows]

    async def send(
        self, meeting_id: int, version: int, now: datetime, messages: PapersMessages
    ) -> int:
        """Queue this version of the papers and mark it sent, in one transaction."""
        async with self.db.write() as conn:
            return await _send_in(conn, meeting_id, version, now, messages)

    # -- minutes -------------------------------------------------------------------------------

    async def extras(self, meeting_id: int) -> MinutesExtras | None:
        """What the secretary saved for the meeting's minutes, if anything."""
        row = await self.db.fetchone(
            "SELECT meeting_id, chair_id, clerk_id, conclusions, vote_for, vote_against, "
            "vote_abstain, guest_ids FROM meeting_minutes WHERE meeting_id = ?",
            (meeting_id,),
        )
        if row is None:
            return None
        return MinutesExtras(
            meeting_id=row[0],
            chair_id=row[1],
            clerk_id=row[2],
            conclusions=row[3],
            vote_for=row[4],
            vote_against=row[5],
            vote_abstain=row[6],
            guest_ids=tuple(json.loads(row[7])),
        )

    async def save_extras(self, extras: MinutesExtras, by: int | None, now: datetime) -> None:
        """Save the secretary's additions to the minutes, replacing earlier ones."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO meeting_minutes (meeting_id, chair_id, clerk_id, conclusions, "
                "vote_for, vote_against, vote_abstain, guest_ids, updated_by, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id) DO UPDATE SET "
                "chair_id = excluded.chair_id, clerk_id = excluded.clerk_id, "
                "conclusions = excluded.conclusions, vote_for = excluded.vote_for, "
                "vote_against = excluded.vote_against, vote_abstain = excluded.vote_abstain, "
                "guest_ids = excluded.guest_ids, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                (
                    extras.meeting_id,
                    extras.chair_id,
                    extras.clerk_id,
                    extras.conclusions,
                    extras.vote_for,
                    extras.vote_against,
                    extras.vote_abstain,
                    json.dumps(sorted(extras.guest_ids)),
                    by,
                    to_db(now),
                ),
            )

    # -- reads for the drafts ------------------------------------------------------------------

    async def categories(self, unit_id: int) -> dict[int, str]:
        """Active members of the cell -> full | probationary | exempt | attached."""
        rows = await self.db.fetchall(
            f"SELECT m.id, {_CATEGORY} FROM members m WHERE m.unit_id = ? AND m.active = 1",
            (unit_id,),
        )
        return {r[0]: r[1] for r in rows}

    async def set_category(self, member_id: int, category: str | None) -> bool:
        """An explicit category, or None to follow the roster status again."""
        if category is not None and category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE members SET category = ? WHERE id = ?", (category, member_id)
            )
            return cursor.rowcount > 0

    async def observer_names(self, unit_id: int) -> dict[int, str]:
        """Committee members assigned to the cell's meetings (not members of it)."""
        rows = await self.db.fetchall(
            "SELECT m.id, m.full_name FROM meeting_observers o JOIN members m "
            "ON m.id = o.member_id WHERE o.unit_id = ? AND m.unit_id != o.unit_id",
            (unit_id,),
        )
        return {r[0]: display_name(r[1]) for r in rows}

    async def bulletin_reads(
        self, unit_id: int, start: datetime, end: datetime
    ) -> BulletinReads | None:
        """The latest bulletin sent in [start, end) to the cell, and how many of it read it."""
        row = await self.db.fetchone(
            "SELECT b.issue, b.title, COUNT(r.member_id), COUNT(r.read_at) FROM bulletins b "
            "JOIN bulletin_recipients r ON r.bulletin_id = b.id AND r.unit_id = ? "
            "WHERE b.send_at >= ? AND b.send_at < ? GROUP BY b.id "
            "ORDER BY b.send_at DESC, b.id DESC LIMIT 1",
            (unit_id, to_db(start), to_db(end)),
        )
        return BulletinReads(row[0], row[1], row[3], row[2]) if row else None

    async def held_meetings(
        self, unit_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[Meeting]:
        """Scheduled meetings of the cells that started in [start, end), oldest first."""
        rows = await self.db.fetchall(
            f"SELECT {_MEETING} FROM meetings WHERE status = 'scheduled' AND starts_at >= ? "
            "AND starts_at < ? AND unit_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY unit_id, starts_at, id",
            (to_db(start), to_db(end), json.dumps(list(unit_ids))),
        )
        return [Meeting._from_row(r) for r in rows]

    async def next_start(self, unit_id: int, after: datetime) -> datetime | None:
        """The start of the cell's next scheduled meeting after `after`."""
        row = await self.db.fetchone(
            "SELECT MIN(starts_at) FROM meetings WHERE unit_id = ? AND status = 'scheduled' "
            "AND starts_at > ?",
            (unit_id, to_db(after)),
        )
        return from_db(row[0]) if row and row[0] else None
