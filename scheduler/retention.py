"""Retention: what was sent or given up long ago is pruned, and the file kept compact."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from handlers.context import Ctx
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


async def prune(ctx: Ctx) -> Pruned:
    """Prune outbox rows past `[delivery] retention_days` and old handled updates, then give
    the freed pages back to the file system."""
    now = ctx.now()
    outbox = await ctx.outbox.prune(now - timedelta(days=ctx.config.delivery.retention_days))
    inbox = await prune_inbox(ctx.db, now - timedelta(days=INBOX_DAYS))
    pages = await ctx.db.reclaim()
    if outbox or inbox:
        logger.info(
            "retention: pruned %d outbox rows, %d inbox rows, %d pages", outbox, inbox, pages
        )
    return Pruned(outbox, inbox, pages)
