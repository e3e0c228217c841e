"""A publisher's PDF from the chat: checked, downloaded and stored with the bulletin files."""

from __future__ import annotations

import asyncio
import logging

from bot.core import texts
from bot.core.delivery import DeliveryError
from bot.core.types import Incoming, Reply
from handlers import bulletin_common as bc
from handlers.bulletin_when import default_issue
from handlers.context import Ctx
from storage.files import StoredFile, store_file

logger = logging.getLogger(__name__)


def looks_pdf(name: str | None, mime: str | None) -> bool:
    """Whether a file's name or type says PDF."""
    return (mime or "").lower() == "application/pdf" or (name or "").lower().endswith(".pdf")


async def receive_pdf(msg: Incoming, ctx: Ctx) -> tuple[StoredFile, str] | list[Reply]:
    """The PDF the message carries, stored, and its name; or the answer saying what is wrong."""
    file = msg.file
    if file is None:
        return [Reply(texts.BULLETIN_WAITING_FILE)]
    name = file.file_name or "bantin.pdf"
    if not looks_pdf(file.file_name, file.mime_type):
        return [Reply(texts.BULLETIN_NOT_PDF.format(name=name))]
    if file.size == 0:
        return [Reply(texts.BULLETIN_EMPTY_FILE.format(name=name))]
    if file.size is not None and file.size > bc.CHAT_MAX_BYTES:
        return [
            Reply(
                texts.BULLETIN_TOO_BIG.format(
                    name=name,
                    size=bc.megabytes(file.size),
                    limit=bc.CHAT_MAX_BYTES // bc.MB,
                    cli_limit=bc.CLI_MAX_BYTES // bc.MB,
                    issue=default_issue(ctx.now(), ctx.config.general.tz),
                )
            )
        ]
    if ctx.download_file is None:
        return [Reply(texts.BULLETIN_DOWNLOAD_FAILED)]
    try:
        content = await ctx.download_file(msg.channel, file.file_id)
    except DeliveryError:
        logger.warning("could not download a bulletin file for user %s", msg.user_id)
        return [Reply(texts.BULLETIN_DOWNLOAD_FAILED)]
    if not content:
        return [Reply(texts.BULLETIN_EMPTY_FILE.format(name=name))]
    if not content.startswith(b"%PDF-"):
        return [Reply(texts.BULLETIN_NOT_PDF.format(name=name))]
    stored = await asyncio.to_thread(store_file, content, bc.files_dir(ctx.config), name)
    return stored, name
