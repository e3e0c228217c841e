"""Fallback between a member's apps: what one channel refused goes to their other account."""

from __future__ import annotations

import logging

from handlers.context import Ctx
from storage.outbox import NewMessage, OutboxMessage

logger = logging.getLogger(__name__)


async def send_elsewhere(ctx: Ctx, msg: OutboxMessage) -> bool:
    """Queue a copy of an undeliverable row to the member's reachable account on another channel.

    The dedupe key names the channel it fell back to, so a repeated failure queues it once.
    """
    if msg.member_id is None:
        return False
    others = [
        account
        for account in await ctx.members.accounts_of(msg.member_id)
        if account.channel != msg.channel and not account.unreachable
    ]
    if not others:
        return False
    other = others[0]
    copy = NewMessage(
        dedupe_key=f"{msg.dedupe_key}:via:{other.channel}",
        channel=other.channel,
        chat_id=other.chat_id,
        reply=msg.reply,
        member_id=msg.member_id,
        batch=msg.batch,
    )
    await ctx.outbox.enqueue([copy], ctx.now())
    logger.info(
        "outbox row %s: member %s reached on %s instead", msg.id, msg.member_id, other.channel
    )
    ctx.wake_outbox()
    return True
