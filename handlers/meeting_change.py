"""Changing a cell's meetings and telling everyone: a move, a new place or agenda, a cancel,
a thematic meeting, the cell's own monthly rule."""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Callable
from datetime import datetime

from bot.core import texts
from bot.core.schedule_rules import RuleError, parse_rule
from bot.core.textnorm import fold
from bot.core.types import Reply
from handlers import meeting_common as mc
from handlers import meetings
from handlers.context import Ctx
from storage.meetings import Meeting
from storage.members import Contact
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

# The longest place a secretary may type.
PLACE_MAX = 200


class _Counted:
    """Wraps a message builder so the caller can tell how many notices went out."""

    def __init__(self, build: Callable[[Meeting], list[NewMessage]]) -> None:
        self.build = build
        self.count = 0

    def __call__(self, written: Meeting) -> list[NewMessage]:
        messages = self.build(written)
        self.count = len(messages)
        return messages


async def apply_change(
    ctx: Ctx,
    meeting: Meeting,
    *,
    starts_at: datetime | None = None,
    place: str | None = None,
    agenda: str | None = None,
    cancel: bool = False,
) -> list[Reply]:
    """Write the change, withdraw the old reminders, tell everyone; all in one transaction.

    Nothing that would leave the meeting as it is gets written or told. Answers are kept on
    every change: a move shows each member their answer and lets them change it; a change of
    place or agenda asks for nothing.
    """
    now = ctx.now()
    unit = await ctx.units.get(meeting.unit_id)
    unit_name = unit.name if unit else ""
    starts_at = starts_at if starts_at != meeting.starts_at else None
    place = place if place != meeting.place else None
    agenda = agenda if agenda != meeting.agenda else None
    if not (cancel or starts_at or place is not None or agenda is not None):
        return [Reply(texts.DATLICH_UNCHANGED.format(block=mc.block(ctx, meeting, unit_name)))]
    old = f"{mc.when(ctx, meeting.starts_at)} — {meeting.place or texts.MEETING_PLACE_UNSET}"
    answers = await ctx.attendance.answers(meeting.id)

    def reply_for(written: Meeting, c: Contact, observer: bool) -> Reply:
        text_block = mc.block(ctx, written, unit_name)
        if cancel:
            return Reply(texts.CANCEL_NOTICE.format(block=text_block))
        text = texts.CHANGE_NOTICE.format(block=text_block, old=old)
        if observer:
            return Reply(text)
        if starts_at is None:
            return Reply(text + texts.CHANGE_NOTICE_KEPT)
        status = mc.status_line(answers.get(c.member_id))
        return Reply(
            text + texts.CHANGE_NOTICE_MOVED.format(status=status),
            options=meetings.answer_options(written.id, c.member_id),
        )

    # Two changes in the same second differ in what they say: the key names the new content.
    said = f"{starts_at}|{place}|{agenda}".encode()
    tag = "cancelled" if cancel else f"changed:{mc.stamp(now)}:{zlib.crc32(said):08x}"
    counted = _Counted(await mc.cell_messages(ctx, meeting, reply_for, tag))
    written = await ctx.meetings.change(
        meeting,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        cancel=cancel,
        now=now,
        messages=counted,
    )
    if written is None:
        return [Reply(texts.ANSWER_TOO_LATE)]
    ctx.wake_outbox()
    logger.info("meeting %s changed (cancel=%s), %d notices", meeting.id, cancel, counted.count)
    if cancel:
        return [Reply(texts.DATLICH_CANCELLED.format(count=counted.count), edit=True)]
    return [
        Reply(
            texts.DATLICH_DONE.format(count=counted.count, block=mc.block(ctx, written, unit_name))
        )
    ]


async def add_thematic(ctx: Ctx, unit_id: int, starts: datetime, topic: str) -> list[Reply]:
    """Add a thematic meeting to the cell and tell everyone in one transaction."""
    now = ctx.now()
    if starts <= now:
        return [
            Reply(texts.WHEN_ERRORS["past"].format(text=mc.when(ctx, starts)) + texts.WHEN_EXAMPLE)
        ]
    store = ctx.meetings
    unit = await ctx.units.get(unit_id)
    unit_name = unit.name if unit else ""
    schedule = await store.schedule_of(unit_id)
    place = (schedule.place if schedule else None) or ctx.config.meetings.default_place
    draft = Meeting(0, unit_id, "thematic", None, starts, place, topic, "scheduled", 1, None)

    def reply_for(written: Meeting, c: Contact, observer: bool) -> Reply:
        text = texts.THEMATIC_NOTICE.format(block=mc.block(ctx, written, unit_name))
        if observer:
            return Reply(text)
        return Reply(text, options=meetings.answer_options(written.id, c.member_id))

    counted = _Counted(await mc.cell_messages(ctx, draft, reply_for, "announced"))
    meeting = await store.create_thematic(unit_id, starts, place, topic, now, counted)
    ctx.wake_outbox()
    return [
        Reply(
            texts.DATLICH_THEMATIC_DONE.format(
                count=counted.count, block=mc.block(ctx, meeting, unit_name)
            )
        )
    ]


async def set_rule(ctx: Ctx, unit_id: int, text: str) -> tuple[bool, list[Reply]]:
    """The cell's own monthly rule; upcoming regular meetings move to it (members are told).

    Returns whether the rule was set, and what to tell the person who set it.
    """
    # "ngày 5 lúc 19h tại Nhà văn hóa ấp": the rule, and the cell's usual place.
    # fold() keeps one character per character of the whitespace-normalised text.
    at_place = re.search(r" tai ", fold(text))
    rule_text, place = (
        (text[: at_place.start()].strip(), text[at_place.end() :].strip())
        if at_place
        else (text, "")
    )
    try:
        rule = parse_rule(rule_text)
    except RuleError:
        return False, [Reply(texts.DATLICH_BAD_RULE.format(text=text))]
    if len(place) > PLACE_MAX:
        return False, [Reply(texts.TOO_LONG.format(limit=PLACE_MAX))]
    store = ctx.meetings
    await store.set_schedule(unit_id, rule=rule_text, place=place or None, now=ctx.now())
    unit = await ctx.units.get(unit_id)
    replies = [
        Reply(texts.DATLICH_RULE_SET.format(unit=unit.name if unit else "", rule=rule.describe()))
    ]
    cal = mc.holidays(ctx)
    for meeting in await store.upcoming(unit_id, ctx.now(), limit=12):
        if meeting.kind != "regular" or meeting.period is None:
            continue
        starts = mc.start_for_period(ctx, rule, meeting.period, cal)
        moved = starts != meeting.starts_at and starts > ctx.now()
        new_place = place if place and place != meeting.place else None
        if moved or new_place:
            replies.extend(
                await apply_change(
                    ctx, meeting, starts_at=starts if moved else None, place=new_place
                )
            )
    return True, replies
