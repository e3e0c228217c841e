"""The minutes and resolution drafts as files: rendered from the current data, stored under
their checksum beside the other files (so Zalo gets a link), named by the meeting's date."""

from __future__ import annotations

import asyncio
import logging

from bot.core import texts
from bot.core.types import Document, Reply
from handlers import docx_render, papers
from handlers import meeting_common as mc
from handlers.context import Ctx
from handlers.minutes_data import build_minutes
from storage.meetings import Meeting

logger = logging.getLogger(__name__)

FILE_STEMS = {"minutes": "bien-ban", "resolution": "nghi-quyet"}


async def draft(ctx: Ctx, meeting: Meeting, kind: docx_render.Kind) -> tuple[bytes, str]:
    """The .docx of that kind for the meeting as the data stand now, and its file name."""
    data = await build_minutes(ctx, meeting)
    path = docx_render.template_path(ctx.config, kind)
    content = await asyncio.to_thread(docx_render.render, path, data.context())
    local = meeting.starts_at.astimezone(mc.tz(ctx))
    return content, f"{FILE_STEMS[kind]}-{local:%Y-%m-%d}.docx"


async def draft_reply(ctx: Ctx, meeting: Meeting, kind: docx_render.Kind) -> Reply:
    """The draft as a file to send: by path on Telegram, a link on Zalo."""
    content, name = await draft(ctx, meeting, kind)
    path, digest = await asyncio.to_thread(
        papers.store_document, content, papers.files_dir(ctx), "docx"
    )
    base = ctx.config.zalo.files_public_url.rstrip("/")
    unit = await ctx.units.get(meeting.unit_id)
    caption = texts.BIENBAN_FILE_CAPTION.format(
        what=texts.BIENBAN_WHAT[kind],
        unit=unit.name if unit else "",
        when=mc.when(ctx, meeting.starts_at),
    )
    logger.info("%s draft of meeting %s made (%d bytes)", kind, meeting.id, len(content))
    doc = Document(path=str(path), file_name=name, url=f"{base}/{digest}.docx" if base else None)
    return Reply(caption, document=doc, extra={"file_key": digest})
