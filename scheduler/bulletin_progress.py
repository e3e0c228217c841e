"""Planner: keep each publisher's one progress message current, then send the final summary."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.core import texts
from bot.core.types import Reply
from handlers import bulletin_common as bc
from handlers.bulletin_when import vi_number
from handlers.context import Ctx
from storage.bulletins import Bulletin
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

# Below this much sending time the measured rate says little; the configured one is used.
MEASURE_AFTER = timedelta(seconds=10)
# Progress edits are queued as if due just before the bulletin's copies, so they are not stuck
# behind tens of thousands of them.
AHEAD_OF_COPIES = timedelta(seconds=1)


def _eta(ctx: Ctx, bulletin: Bulletin, done: int, left: int) -> str:
    elapsed = ctx.now() - bulletin.send_at
    rate = bc.send_rate(ctx.config)
    if elapsed >= MEASURE_AFTER and done > 0:
        rate = max(0.1, done / elapsed.total_seconds())
    return bc.minutes_text(left / rate)


async def report_bulletins(ctx: Ctx) -> int:
    """Update progress of bulletins being sent; finish those with nothing left. Returns updates."""
    store = ctx.bulletin_reads
    now = ctx.now()
    updated = 0
    for bulletin in await store.unfinished(now):
        batch = f"bulletin:{bulletin.id}"
        counts = await ctx.outbox.batch_counts(batch)
        sent = counts.get("sent", 0)
        failed = counts.get("failed", 0)
        left = counts.get("pending", 0) + counts.get("sending", 0)
        finished = left == 0
        if not finished and (sent, failed) == (bulletin.progress_sent, bulletin.progress_failed):
            continue
        messages: list[NewMessage] = []
        has_chat = bulletin.progress_chat_id and bulletin.progress_channel
        message_id = await store.progress_message_id(bulletin.id) if has_chat else None
        if has_chat and message_id is None and not finished:
            continue  # the first progress message has not gone out yet: nothing to update
        title, issue = bulletin.title, bc.issue_label(bulletin.issue)
        if finished:
            text = texts.BULLETIN_PROGRESS_DONE.format(
                title=title, issue=issue, sent=vi_number(sent), failed=vi_number(failed)
            )
        else:
            text = texts.BULLETIN_PROGRESS.format(
                title=title,
                issue=issue,
                sent=vi_number(sent),
                failed=vi_number(failed),
                left=vi_number(left),
                eta=_eta(ctx, bulletin, sent + failed, left),
            )
        if has_chat and bulletin.publisher_member_id is not None:
            assert bulletin.progress_channel and bulletin.progress_chat_id
            target = (bulletin.progress_channel, bulletin.progress_chat_id)
            if message_id is not None:
                messages.append(
                    NewMessage(
                        dedupe_key=f"{batch}:progress:{sent}:{failed}:{left}",
                        channel=target[0],
                        chat_id=target[1],
                        reply=Reply(text, extra={"edit_message_id": message_id}),
                        member_id=bulletin.publisher_member_id,
                        batch=f"{batch}:report",
                        not_before=bulletin.send_at - AHEAD_OF_COPIES,
                    )
                )
            if finished:
                messages.append(
                    NewMessage(
                        dedupe_key=f"{batch}:summary",
                        channel=target[0],
                        chat_id=target[1],
                        reply=await _summary(ctx, bulletin, sent, failed, sum(counts.values())),
                        member_id=bulletin.publisher_member_id,
                        batch=f"{batch}:report",
                    )
                )
        await store.record_progress(bulletin.id, sent, failed, messages, now, finished=finished)
        if finished:
            logger.info("bulletin %s finished: %d sent, %d failed", bulletin.id, sent, failed)
        updated += 1
    if updated:
        ctx.wake_outbox()
    return updated


async def _summary(ctx: Ctx, bulletin: Bulletin, sent: int, failed: int, queued: int) -> Reply:
    counts = await ctx.bulletin_reads.reads_by_unit(bulletin.id)
    recipients = sum(n for n, _ in counts.values())
    read = sum(r for _, r in counts.values())
    seconds = max(0.0, (ctx.now() - bulletin.send_at).total_seconds())
    duration = (
        texts.BULLETIN_DURATION_SHORT
        if seconds < 60
        else texts.BULLETIN_DURATION_MINUTES.format(minutes=vi_number(round(seconds / 60)))
    )
    return Reply(
        texts.BULLETIN_SUMMARY.format(
            title=bulletin.title,
            issue=bc.issue_label(bulletin.issue),
            sent=vi_number(sent),
            failed=vi_number(failed),
            unlinked=vi_number(max(0, recipients - queued)),
            read=vi_number(read),
            duration=duration,
        )
    )
