"""The minutes and resolution drafts as files: rendered from the current data, kept a short while
under their checksum apart from the documents members are sent (so Zalo gets a link that expires
after `[documents] drafts_keep_hours`), named by the meeting's date."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

from bot.core import texts
from bot.core.config import Config
from bot.core.types import Document, Reply
from handlers import docx_render
from handlers import meeting_common as mc
from handlers.bulletin_common import files_dir
from handlers.context import Ctx
from handlers.minutes_data import build_minutes
from storage import drafts
from storage.meetings import Meeting

logger = logging.getLogger(__name__)

FILE_STEMS = {"minutes": "bien-ban", "resolution": "nghi-quyet"}
# Under `[zalo] files_public_url`: the drafts' links, apart from the documents' ones.
DRAFTS_PATH = "drafts"


def drafts_dir(config: Config) -> Path:
    """Drafts live next to the database, apart from the files members are sent."""
    return config.db_path.parent / "drafts"


async def draft(ctx: Ctx, meeting: Meeting, kind: docx_render.Kind) -> tuple[bytes, str]:
    """The .docx of that kind for the meeting as the data stand now, and its file name."""
    data = await build_minutes(ctx, meeting)
    path = docx_render.template_path(ctx.config, kind)
    content = await asyncio.to_thread(docx_render.render, path, data.context())
    local = meeting.starts_at.astimezone(mc.tz(ctx))
    return content, f"{FILE_STEMS[kind]}-{local:%Y-%m-%d}.docx"


async def draft_reply(ctx: Ctx, meeting: Meeting, kind: docx_render.Kind) -> Reply:
    """The draft as a file to send: uploaded from its path on Telegram, a link on Zalo that
    works for `[documents] drafts_keep_hours`."""
    content, name = await draft(ctx, meeting, kind)
    path, digest = await asyncio.to_thread(
        drafts.keep_draft, content, drafts_dir(ctx.config), ctx.now()
    )
    base = ctx.config.zalo.files_public_url.rstrip("/")
    unit = await ctx.units.get(meeting.unit_id)
    caption = texts.BIENBAN_FILE_CAPTION.format(
        what=texts.BIENBAN_WHAT[kind],
        unit=unit.name if unit else "",
        when=mc.when(ctx, meeting.starts_at),
    )
    logger.info("%s draft of meeting %s made (%d bytes)", kind, meeting.id, len(content))
    url = f"{base}/{DRAFTS_PATH}/{digest}.{drafts.SUFFIX}" if base else None
    doc = Document(path=str(path), file_name=name, url=url)
    return Reply(caption, document=doc, extra={"file_key": drafts.UPLOAD_KEY.format(digest=digest)})


async def prune_drafts(ctx: Ctx) -> int:
    """Delete the drafts older than `[documents] drafts_keep_hours` (by Chibo's clock) and their
    cached upload ids; returns how many drafts went."""
    before = ctx.now() - timedelta(hours=ctx.config.documents.drafts_keep_hours)
    gone = await asyncio.to_thread(drafts.prune_drafts, drafts_dir(ctx.config), before)
    await drafts.forget_uploads(ctx.db, gone)
    return len(gone)


async def sweep_stray_drafts(ctx: Ctx) -> int:
    """At start, before anything is uploaded: delete the drafts older versions kept among the
    documents (names and absence reasons, kept for ever there); returns how many went."""
    keep = await ctx.papers.document_digests()
    gone = await asyncio.to_thread(drafts.sweep_stray_drafts, files_dir(ctx.config), keep)
    await drafts.forget_stray_uploads(ctx.db, gone)
    if gone:
        logger.info("removed %d drafts kept among the documents by an earlier version", len(gone))
    return len(gone)
