"""Sends each meeting's agenda and documents `[meetings] documents_days_before` days ahead, at
08:00 local time (with the first reminder of the default `3d@08:00`), never in the night."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta

from handlers import meeting_common as mc
from handlers.context import Ctx
from handlers.papers import builder
from storage.meetings import Meeting

logger = logging.getLogger(__name__)

SEND_AT = time(8, 0)


def send_at(ctx: Ctx, meeting: Meeting, days: int) -> datetime:
    """When the papers of a meeting fall due: `days` days before its day, at 08:00 local."""
    day = meeting.starts_at.astimezone(mc.tz(ctx)).date() - timedelta(days=days)
    return datetime.combine(day, SEND_AT, tzinfo=mc.tz(ctx)).astimezone(UTC)


async def plan_papers(ctx: Ctx) -> int:
    """Send each meeting's agenda and documents `documents_days_before` days ahead, once per
    version (a meeting whose papers changed after they went out was sent again on the change)."""
    days = ctx.config.meetings.documents_days_before
    if days <= 0:
        return 0
    now = ctx.now()
    store = ctx.papers
    queued = 0
    for meeting, version in await store.due(now, now + timedelta(days=days + 1)):
        if send_at(ctx, meeting, days) > now:
            continue
        papers = await store.papers(meeting.id)
        build = await builder(ctx, meeting, updated=papers.sent_version > 0)
        queued += await store.send(meeting.id, version, now, build)
        logger.info("papers of meeting %s v%s queued", meeting.id, version)
    if queued:
        ctx.wake_outbox()
    return queued
