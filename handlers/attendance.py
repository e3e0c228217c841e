"""/diemdanh: the attendance checklist, pre-filled from answers, saved in one step, editable;
warnings when a member reaches two months absent without a valid reason in the year."""

from __future__ import annotations

import logging

from bot import texts
from bot.core import Incoming, Option, Reply, is_number, single_column
from handlers import meeting_common as mc
from handlers import minutes
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.members import Member
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

KIND = "attendance"
PAGE = 15
_NEXT = {"present": "excused", "excused": "absent", "absent": "present"}


async def on_diemdanh(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Open the checklist of the cell's latest meeting that has started."""
    led = who.led_unit_ids()
    if not led:
        return [Reply(texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE))]
    started = await mc.repo(ctx).started(led[0], ctx.now(), limit=1)
    if not started:
        return [Reply(texts.ATTENDANCE_NONE)]
    return await _open(msg, ctx, started[0])


async def on_attendance_button(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """dd:o:<meeting> open, dd:t:<meeting>:<member> toggle, dd:p:<meeting>:<page>, dd:s:<meeting>."""
    parts = (msg.payload or "").split(":")
    if len(parts) not in (3, 4) or not all(is_number(p) for p in parts[2:]):
        return [Reply(texts.STALE_BUTTON)]
    meeting = await mc.repo(ctx).get(int(parts[2]))
    if meeting is None or meeting.status != "scheduled":
        return [Reply(texts.STALE_BUTTON)]
    if not mc.leads(who, meeting.unit_id):
        return [Reply(texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE))]
    if meeting.starts_at > ctx.now():
        return [Reply(texts.ATTENDANCE_NONE)]
    action = parts[1]
    if action == "o" and len(parts) == 3:
        return await _open(msg, ctx, meeting)
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND or conv.data.get("meeting_id") != meeting.id:
        # The draft expired or another one was opened since: start again from the database.
        return await _open(msg, ctx, meeting)
    marks: dict[str, str] = conv.data["marks"]
    page = int(conv.data.get("page", 0))
    if action == "t" and len(parts) == 4:
        if parts[3] not in marks:
            return [Reply(texts.STALE_BUTTON)]
        marks[parts[3]] = _NEXT[marks[parts[3]]]
    elif action == "p" and len(parts) == 4:
        page = int(parts[3])
        if page >= _pages(len(marks)):
            # No button leads past the last page: a forged payload, not a request to clamp.
            return [Reply(texts.STALE_BUTTON)]
    elif action == "s" and len(parts) == 3:
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return await _save(ctx, who, meeting, {int(k): v for k, v in marks.items()})
    else:
        return [Reply(texts.STALE_BUTTON)]
    data = {**conv.data, "marks": marks, "page": page}
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(KIND, "marks", data), ctx.now()
    )
    return [await _render(ctx, meeting, data, edit=True)]


async def _open(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    store = mc.repo(ctx)
    members = await ctx.members.in_unit(meeting.unit_id)
    saved = await store.attendance(meeting.id)
    if saved:
        marks = {str(m.id): saved.get(m.id, "present") for m in members}
        source = "saved"
    else:
        answers = await store.answers(meeting.id)
        marks = {
            str(m.id): "excused"
            if (a := answers.get(m.id)) is not None and a.answer == "excused"
            else "present"
            for m in members
        }
        source = "answers"
    data = {"meeting_id": meeting.id, "marks": marks, "page": 0, "source": source}
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(KIND, "marks", data), ctx.now()
    )
    return [await _render(ctx, meeting, data, edit=False)]


async def _render(ctx: Ctx, meeting: Meeting, data: dict, edit: bool) -> Reply:  # type: ignore[type-arg]
    marks: dict[str, str] = data["marks"]
    members = [m for m in await ctx.members.in_unit(meeting.unit_id) if str(m.id) in marks]
    pages = _pages(len(members))
    page = min(max(0, int(data.get("page", 0))), pages - 1)
    unit = await ctx.units.get(meeting.unit_id)
    rows: list[tuple[Option, ...]] = [
        (
            Option(
                f"{texts.ATTENDANCE_MARKS[marks[str(m.id)]]} {m.full_name}",
                f"dd:t:{meeting.id}:{m.id}",
            ),
        )
        for m in members[page * PAGE : (page + 1) * PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Option(texts.ATTENDANCE_PREV, f"dd:p:{meeting.id}:{page - 1}"))
    if page < pages - 1:
        nav.append(Option(texts.ATTENDANCE_NEXT, f"dd:p:{meeting.id}:{page + 1}"))
    if nav:
        rows.append(tuple(nav))
    rows.append((Option(texts.ATTENDANCE_SAVE, f"dd:s:{meeting.id}"),))
    text = texts.ATTENDANCE_HEADER.format(
        when=mc.when(ctx, meeting.starts_at),
        unit=unit.name if unit else "",
        source=texts.ATTENDANCE_FROM_SAVED
        if data.get("source") == "saved"
        else texts.ATTENDANCE_FROM_ANSWERS,
        counts=_counts(marks.values()),
    )
    return Reply(text, options=tuple(rows), edit=edit)


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE))


def _counts(values: object) -> str:
    seen = list(values)  # type: ignore[call-overload]
    return texts.ATTENDANCE_COUNTS.format(
        present=seen.count("present"), excused=seen.count("excused"), absent=seen.count("absent")
    )


async def _save(ctx: Ctx, who: Who, meeting: Meeting, marks: dict[int, str]) -> list[Reply]:
    assert who.member is not None
    store = mc.repo(ctx)
    now = ctx.now()
    # Only members of the cell: a draft may name someone who moved away since.
    current = {m.id: m for m in await ctx.members.in_unit(meeting.unit_id)}
    marks = {k: v for k, v in marks.items() if k in current}
    await store.save_attendance(meeting.id, marks, who.member.id, now)
    absent = [current[k] for k, v in marks.items() if v == "absent"]
    if absent:
        await _warn(ctx, meeting, absent)
    return [
        Reply(
            texts.ATTENDANCE_SAVED.format(
                when=mc.when(ctx, meeting.starts_at), counts=_counts(marks.values())
            ),
            # The minutes come next: the draft is made from what was just saved.
            options=single_column(
                Option(texts.BIENBAN_AFTER_ATTENDANCE, minutes.payload("m", meeting.id))
            ),
            edit=True,
        )
    ]


async def _warn(ctx: Ctx, meeting: Meeting, absent: list[Member]) -> None:
    """Warn the cell's leaders privately when a member reaches 2 (and 3) months absent."""
    store = mc.repo(ctx)
    year, start, end = mc.year_bounds(ctx, meeting.starts_at)
    found = await store.absences([m.id for m in absent], start, end)
    leaders = (await store.leaders([meeting.unit_id])).get(meeting.unit_id, [])
    messages = []
    for member in absent:
        months = mc.months_of(ctx, found.get(member.id, []))
        if len(months) < 2:
            continue
        level = min(len(months), 3)
        template = texts.WARN_TWO_ABSENCES if level == 2 else texts.WARN_THREE_ABSENCES
        dates = ", ".join(f"{m.astimezone(mc.tz(ctx)):%d/%m}" for m in months)
        text = template.format(name=member.full_name, count=len(months), year=year, dates=dates)
        for leader in leaders:
            if leader.member_id == member.id:
                continue
            messages.append(
                NewMessage(
                    dedupe_key=f"absence:{member.id}:{year}:{level}:to:{leader.member_id}",
                    channel=leader.channel,
                    chat_id=leader.chat_id,
                    reply=Reply(text),
                    member_id=leader.member_id,
                )
            )
    if messages:
        await ctx.outbox.enqueue(messages, ctx.now())
        ctx.wake_outbox()
        logger.info("absence warnings queued for meeting %s", meeting.id)
