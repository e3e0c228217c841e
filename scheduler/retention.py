"""Retention: what was sent or given up long ago is pruned, and the file kept compact."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from handlers.context import Ctx
from handlers.minutes_files import prune_drafts
from storage.inbox import prune_inbox

logger = logging.getLogger(__name__)

# Handled updates are kept this long to recognise a redelivery; Telegram keeps an unconfirmed
# update for 24 hours, and restarts update ids at random only after a week without any.
INBOX_DAYS = 2


@dataclass(frozen=True)
class Pruned:
    outbox: int
    inbox: int
    pages: int
    drafts: int = 0


async def prune(ctx: Ctx) -> Pruned:
    """Prune outbox rows past `[delivery] retention_days`, old handled updates and the minutes
    drafts past `[documents] drafts_keep_hours`, then give the freed pages back to the file
    system."""
    now = ctx.now()
    drafts = await prune_drafts(ctx)
    outbox = await ctx.outbox.prune(now - timedelta(days=ctx.config.delivery.retention_days))
    inbox = await prune_inbox(ctx.db, now - timedelta(days=INBOX_DAYS))
    pages = await ctx.db.reclaim()
    if outbox or inbox or drafts:
        logger.info(
            "retention: pruned %d outbox rows, %d inbox rows, %d drafts, %d pages",
            outbox,
            inbox,
            drafts,
            pages,
        )
    return Pruned(outbox, inbox, pages, drafts)
