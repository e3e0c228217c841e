"""Publishing a confirmed bulletin: one queued copy per member, and the publisher's answer."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.core import texts
from bot.core.types import Incoming, Reply
from handlers import bulletin_common as bc
from handlers.bulletin_when import vi_number
from handlers.context import Ctx, Who
from storage.bulletins import DuplicateIssue, Scope
from storage.conversations import Conversation
from storage.files import StoredFile

logger = logging.getLogger(__name__)


def scope_of(conv: Conversation) -> Scope:
    """The audience the publishing conversation chose."""
    return Scope(conv.data["scope_kind"], conv.data.get("scope_unit"))


def duplicate(ctx: Ctx, issue: str, taken: Any) -> Reply:
    """The answer when the issue number is already published."""
    return Reply(
        texts.BULLETIN_DUPLICATE.format(
            issue=bc.issue_label(issue),
            date=bc.published_date(taken, ctx.config),
            title=taken.title,
        )
    )


async def publish(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation) -> list[Reply]:
    """Publish the confirmed bulletin the conversation describes: queue a copy per member."""
    data = conv.data
    assert who.member is not None
    send_at_text = data.get("send_at")
    now = ctx.now()
    send_at = datetime.fromisoformat(send_at_text) if send_at_text else now
    if send_at < now:
        send_at = now  # confirmed late: send at once rather than refuse
    stored = StoredFile(
        path=Path(data["path"]),
        sha256=data["sha256"],
        size=int(data["size"]),
        file_name=data["file_name"],
    )
    title, issue = data["title"], data["issue"]

    render = bc.copy_renderer(title, issue, stored)

    when = bc.when_text(send_at if send_at_text else None, ctx.config)

    def first_progress(bulletin_id: int, count: int) -> Reply:
        if send_at_text is None:
            # Sending now: the message the planner keeps current, as it starts.
            return Reply(
                texts.BULLETIN_PROGRESS.format(
                    title=title,
                    issue=bc.issue_label(issue),
                    sent=vi_number(0),
                    failed=vi_number(0),
                    left=vi_number(count),
                    eta=bc.minutes_text(count / bc.send_rate(ctx.config)),
                )
            )
        return Reply(
            texts.BULLETIN_PROGRESS_SCHEDULED.format(
                title=title, issue=bc.issue_label(issue), count=vi_number(count), when=when
            )
        )

    try:
        bulletin_id, count = await ctx.bulletins.publish(
            issue=issue,
            title=title,
            file=stored,
            scope=scope_of(conv),
            publisher_member_id=who.member.id,
            progress=(msg.channel, msg.chat_id),
            send_at=send_at,
            now=now,
            render=render,
            first_progress=first_progress,
            conversation=(msg.channel, msg.user_id),
        )
    except DuplicateIssue:
        await ctx.conversations.clear(msg.channel, msg.user_id)
        taken = await ctx.bulletins.by_issue(issue)
        return [duplicate(ctx, issue, taken)] if taken else [Reply(texts.STALE_BUTTON)]
    ctx.wake_outbox()
    logger.info(
        "bulletin %s published to %d members by member %s", bulletin_id, count, who.member.id
    )
    return [
        Reply(
            texts.BULLETIN_QUEUED.format(
                issue=bc.issue_label(issue), count=vi_number(count), when=when
            ),
            edit=True,
        )
    ]
