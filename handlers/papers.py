"""The agenda and documents members get ahead of a meeting: the messages of one version, the
stored files, and the planner step that sends them `[meetings] documents_days_before` ahead."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.core import texts
from bot.core.types import Document, Reply
from handlers import bulletin_common as bc
from handlers import meeting_common as mc
from handlers.context import Ctx
from storage.files import keep_by_digest
from storage.meetings import Meeting
from storage.members import Contact
from storage.minutes import MeetingDocument, PapersMessages
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BULLET = re.compile(r"^\s*(?:[-•*+]|\d{1,2}[.)])\s*")


def agenda_items(agenda: str) -> list[str]:
    """The agenda's items, one per non-empty line, without the bullets people type."""
    return [item for line in agenda.splitlines() if (item := _BULLET.sub("", line).strip())]


def agenda_text(agenda: str) -> str:
    """The agenda as a numbered list, or «no agenda yet»."""
    items = agenda_items(agenda)
    if not items:
        return texts.PAPERS_NO_AGENDA
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def document_kind(name: str | None, mime: str | None) -> str | None:
    """pdf | docx from the name or the type the app gave, else None."""
    lowered = (name or "").lower()
    if (mime or "").lower() == "application/pdf" or lowered.endswith(".pdf"):
        return "pdf"
    if (mime or "").lower() == DOCX_MIME or lowered.endswith(".docx"):
        return "docx"
    return None


def content_matches(kind: str, content: bytes) -> bool:
    """A PDF starts with %PDF-, a DOCX is a ZIP archive."""
    return content.startswith(b"%PDF-") if kind == "pdf" else content.startswith(b"PK\x03\x04")


def store_document(content: bytes, directory: Path, kind: str) -> tuple[Path, str]:
    """Keep a document under its checksum beside the bulletin files (served to Zalo the same way)."""
    return keep_by_digest(content, directory, kind)


def document_reply(ctx: Ctx, meeting: Meeting, doc: MeetingDocument) -> Reply:
    """One document: uploaded to Telegram once (keyed by its checksum), a link on Zalo."""
    base = ctx.config.zalo.files_public_url.rstrip("/")
    return Reply(
        texts.PAPERS_DOC_CAPTION.format(when=mc.when(ctx, meeting.starts_at), name=doc.file_name),
        document=Document(
            path=doc.path,
            file_name=doc.file_name,
            url=f"{base}/{doc.sha256}.{doc.kind}" if base else None,
        ),
        extra={"file_key": doc.sha256},
    )


def messages_for(
    ctx: Ctx, meeting: Meeting, unit_name: str, contacts: Sequence[Contact], updated: bool
) -> PapersMessages:
    """The builder of one version's messages: the agenda to everyone, then each document a
    member has not had yet (document keys carry no version: a file goes to a member once)."""

    def build(version: int, docs: Sequence[MeetingDocument]) -> list[NewMessage]:
        template = texts.PAPERS_UPDATED if updated else texts.PAPERS_NOTICE
        text = template.format(
            block=mc.block(ctx, replace(meeting, agenda=""), unit_name),
            agenda=agenda_text(meeting.agenda),
        )
        if docs:
            text += texts.LICHHOP_DOCUMENTS.format(names=", ".join(d.file_name for d in docs))
        notice = Reply(text)
        found: list[NewMessage] = []
        for c in contacts:
            base = f"meeting:{meeting.id}:papers:"
            found.append(
                NewMessage(
                    f"{base}v{version}:member:{c.member_id}",
                    c.channel,
                    c.chat_id,
                    notice,
                    c.member_id,
                    f"papers:{meeting.id}",
                )
            )
            found.extend(
                NewMessage(
                    f"{base}doc:{d.id}:member:{c.member_id}",
                    c.channel,
                    c.chat_id,
                    document_reply(ctx, meeting, d),
                    c.member_id,
                    f"papers:{meeting.id}",
                )
                for d in docs
            )
        return found

    return build


async def builder(ctx: Ctx, meeting: Meeting, updated: bool) -> PapersMessages:
    """`messages_for` with the cell's name and its members' chats read now."""
    unit = await ctx.units.get(meeting.unit_id)
    contacts = (await ctx.members.contacts([meeting.unit_id])).get(meeting.unit_id, [])
    return messages_for(ctx, meeting, unit.name if unit else "", contacts, updated)


async def documents_line(ctx: Ctx, meeting_id: int) -> str:
    """The meeting's documents for /lichhop (empty when there are none)."""
    return documents_text(await ctx.papers.documents(meeting_id))


def documents_text(docs: Sequence[MeetingDocument]) -> str:
    """The line naming a meeting's documents (empty when there are none)."""
    if not docs:
        return ""
    return texts.LICHHOP_DOCUMENTS.format(names=", ".join(d.file_name for d in docs))


def files_dir(ctx: Ctx) -> Path:
    """Where uploaded files are kept (shared with the bulletin)."""
    return bc.files_dir(ctx.config)
