"""Sends each meeting's agenda and documents `[meetings] documents_days_before` days ahead."""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Ctx
from handlers.papers import builder, repo

logger = logging.getLogger(__name__)


async def plan_papers(ctx: Ctx) -> int:
    """Send each meeting's agenda and documents `documents_days_before` days ahead, once per
    version (a meeting whose papers changed after they went out was sent again on the change)."""
    days = ctx.config.meetings.documents_days_before
    if days <= 0:
        return 0
    now = ctx.now()
    store = repo(ctx)
    queued = 0
    for meeting, version in await store.due(now, now + timedelta(days=days)):
        papers = await store.papers(meeting.id)
        build = await builder(ctx, meeting, updated=papers.sent_version > 0)
        queued += await store.send(meeting.id, version, now, build)
        logger.info("papers of meeting %s v%s queued", meeting.id, version)
    if queued:
        ctx.wake_outbox()
    return queued
