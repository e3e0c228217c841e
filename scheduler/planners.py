"""Planners: short jobs that derive due work from the database and queue it in the outbox."""

from __future__ import annotations

import logging

from bot.core import texts
from bot.core.timefmt import format_datetime_vi
from bot.core.types import Reply
from handlers.context import Ctx
from scheduler.fallback import send_elsewhere
from storage.outbox import NewMessage, OutboxMessage

logger = logging.getLogger(__name__)

_OPEN = ("pending", "sending")


async def report_notices(ctx: Ctx) -> int:
    """Tell each secretary how their notice went, once every copy is sent or given up."""
    reported = 0
    for notice in await ctx.notices.unreported():
        batch = f"notice:{notice.id}"
        counts = await ctx.outbox.batch_counts(batch)
        if any(counts.get(status, 0) for status in _OPEN):
            continue
        sender_accounts = await ctx.members.accounts_of(notice.sender_member_id)
        lines = [
            texts.NOTICE_REPORT.format(
                date=format_datetime_vi(notice.created_at, ctx.config.general.tz),
                sent=counts.get("sent", 0),
                total=notice.recipients,
            )
        ]
        failed_ids = await ctx.outbox.failed_members(batch)
        names = [m.full_name for m in [await ctx.members.get(i) for i in failed_ids] if m]
        if names:
            lines.append(texts.NOTICE_REPORT_FAILED.format(names=", ".join(sorted(names))))
        unlinked = len(await ctx.invites.unlinked_members([notice.unit_id]))
        if unlinked:
            lines.append(texts.NOTICE_REPORT_UNLINKED.format(count=unlinked))
        report = Reply("\n".join(lines))
        messages = [
            NewMessage(
                dedupe_key=f"{batch}:report",
                channel=account.channel,
                chat_id=account.chat_id,
                reply=report,
                member_id=notice.sender_member_id,
            )
            for account in sender_accounts[:1]
        ]
        await ctx.notices.mark_reported(notice.id, messages, ctx.now())
        reported += 1
    if reported:
        ctx.wake_outbox()
    return reported


async def on_unreachable(ctx: Ctx, msg: OutboxMessage) -> None:
    """A member blocked the bot: flag the account and tell the secretaries of their cell."""
    # What one app refused goes to the member's other app, if they have one.
    await send_elsewhere(ctx, msg)
    account = await ctx.members.mark_unreachable(msg.channel, msg.chat_id, ctx.now())
    if account is None:
        return  # already flagged: the secretary was told then
    member = await ctx.members.get(account.member_id)
    if member is None:
        return
    logger.info("member %s unreachable on %s", member.id, msg.channel)
    notice = Reply(texts.MEMBER_UNREACHABLE.format(name=member.full_name))
    messages = []
    for leader in await ctx.members.holders(member.unit_id, ("secretary", "deputy")):
        if leader.id == member.id:
            continue
        for acc in (await ctx.members.accounts_of(leader.id))[:1]:
            messages.append(
                NewMessage(
                    dedupe_key=f"unreachable:{member.id}:{msg.channel}:{ctx.now():%Y%m%d%H%M%S}:to:{leader.id}",
                    channel=acc.channel,
                    chat_id=acc.chat_id,
                    reply=notice,
                    member_id=leader.id,
                )
            )
    if messages:
        await ctx.outbox.enqueue(messages, ctx.now())
        ctx.wake_outbox()
