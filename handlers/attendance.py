"""/diemdanh: the attendance checklist, pre-filled from answers, saved in one step, editable;
warnings when a member reaches two months absent without a valid reason in the year."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from bot.core import texts
from bot.core.textnorm import vi_sort_key
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import cell_pick, dues_common, minutes
from handlers import meeting_common as mc
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who
from storage.attendance import Answer
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.members import Member
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

KIND = "attendance"
PAGE = 15
# Pressing a name: unmarked (never answered) -> present -> excused -> absent -> present.
_NEXT = {"unmarked": "present", "present": "excused", "excused": "absent", "absent": "present"}
# Reason stored with an excuse Chibo knows of (standing leave); shown as texts.LEAVE_REASON.
LEAVE = "leave"

# The draft of a checklist as it lives in the conversation.
Draft = dict[str, Any]


async def on_diemdanh(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Open the checklist of the cell's latest meeting that has started. Someone leading
    several cells (or an administrator) is asked which cell first, unless named."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return await _latest(msg, ctx, chosen.id)


async def _latest(msg: Incoming, ctx: Ctx, unit_id: int) -> list[Reply]:
    started = await ctx.meetings.started(unit_id, ctx.now(), limit=1)
    if not started:
        return [Reply(texts.ATTENDANCE_NONE)]
    return await _open(msg, ctx, started[0])


async def _on_unit(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """dd:u:<cell>: the cell picked from /diemdanh's question."""
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    return await _latest(msg, ctx, unit.id)


async def _checked(ctx: Ctx, who: Who, meeting_id: int) -> Meeting | Reply:
    """The meeting, if it is scheduled, has started, and the presser leads its cell."""
    return await mc.led_meeting_held(ctx, who, meeting_id, texts.ATTENDANCE_NONE)


async def _on_open(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """dd:o:<meeting>: open the checklist (from the prompt after the meeting starts)."""
    meeting = await _checked(ctx, who, press.num(0))
    if isinstance(meeting, Reply):
        return [meeting]
    return await _open(msg, ctx, meeting)


def _on_draft(action: DraftAction) -> ButtonHandler:
    """`action` on the open checklist of the meeting the payload names; an expired or other
    draft is replaced by a fresh one from the database. The checklist is shown again unless the
    action answers itself."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        meeting = await _checked(ctx, who, press.num(0))
        if isinstance(meeting, Reply):
            return [meeting]
        conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
        if conv is None or conv.kind != KIND or conv.data.get("meeting_id") != meeting.id:
            # The draft expired or another one was opened since: start again from the database.
            return await _open(msg, ctx, meeting)
        data: Draft = dict(conv.data)
        arg = press.num(1) if len(press.args) > 1 else None
        done = await action(msg, ctx, who, meeting, data, arg)
        if done is not None:
            return done
        await ctx.conversations.set(
            msg.channel, msg.user_id, Conversation(KIND, "marks", data), ctx.now()
        )
        return [await _render(ctx, meeting, data, edit=True)]

    return run


# An action changes the draft in place and returns None (the checklist is shown again), or
# returns its own replies.
DraftAction = Callable[
    [Incoming, Ctx, Who, Meeting, Draft, "int | None"], Awaitable["list[Reply] | None"]
]


async def _toggle(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, data: Draft, member: int | None
) -> list[Reply] | None:
    marks: dict[str, str] = data["marks"]
    if str(member) not in marks:
        return [Reply(texts.STALE_BUTTON)]
    marks[str(member)] = _NEXT[marks[str(member)]]
    return None


async def _page(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, data: Draft, page: int | None
) -> list[Reply] | None:
    if page is None or page >= _pages(len(data["marks"])):
        # No button leads past the last page: a forged payload, not a request to clamp.
        return [Reply(texts.STALE_BUTTON)]
    data["page"] = page
    return None


async def _rest(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, data: Draft, _arg: int | None
) -> list[Reply] | None:
    marks: dict[str, str] = data["marks"]
    for key, status in marks.items():
        if status == "unmarked":
            marks[key] = "present"
    return None


async def _save_action(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, data: Draft, _arg: int | None
) -> list[Reply] | None:
    marks: dict[str, str] = data["marks"]
    unmarked = sum(1 for status in marks.values() if status == "unmarked")
    if unmarked:
        # Refused on the checklist itself, which stays the message to work on.
        note = texts.ATTENDANCE_STILL_UNMARKED.format(
            count=unmarked, rest=texts.ATTENDANCE_REST_PRESENT
        )
        return [await _render(ctx, meeting, data, edit=True, note=note)]
    await ctx.conversations.clear(msg.channel, msg.user_id)
    leave = {int(k) for k in data.get("leave", [])}
    return await _save(ctx, who, meeting, {int(k): v for k, v in marks.items()}, leave)


# dd:o:<meeting> opens · dd:t:<meeting>:<member> toggles · dd:p:<meeting>:<page> pages ·
# dd:r:<meeting> marks the rest present · dd:s:<meeting> saves.
BUTTONS = Buttons(
    "dd",
    {
        "o": Action(_on_open, "i"),
        "u": Action(_on_unit, "i"),
        "t": Action(_on_draft(_toggle), "ii"),
        "p": Action(_on_draft(_page), "ii"),
        "r": Action(_on_draft(_rest), "i"),
        "s": Action(_on_draft(_save_action), "i"),
    },
)


async def _people(ctx: Ctx, meeting: Meeting) -> tuple[list[Member], mc.Scope]:
    """Who the checklist lists: the cell's members but those attending elsewhere this month,
    and the members of other cells attending here (sinh hoạt tạm thời), by name."""
    scope = await mc.scope_of(ctx, meeting)
    people = [m for m in await ctx.members.in_unit(meeting.unit_id) if m.id not in scope.away]
    for guest in scope.guests:
        member = await ctx.members.get(guest)
        if member is not None and member.active:
            people.append(member)
    return sorted(people, key=lambda m: vi_sort_key(m.full_name)), scope


async def _open(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    members, scope = await _people(ctx, meeting)
    saved = await ctx.attendance.attendance(meeting.id)
    if saved:
        marks = {str(m.id): saved.get(m.id, "unmarked") for m in members}
        source = "saved"
    else:
        answers = await ctx.attendance.answers(meeting.id)
        marks = {str(m.id): _prefill(answers.get(m.id), m.id in scope.leave) for m in members}
        source = "answers"
    data = {
        "meeting_id": meeting.id,
        "marks": marks,
        "page": 0,
        "source": source,
        "leave": sorted(scope.leave),
    }
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(KIND, "marks", data), ctx.now()
    )
    return [await _render(ctx, meeting, data, edit=False)]


def _prefill(answer: Answer | None, on_leave: bool) -> str:
    """Only «Tôi sẽ tham dự» pre-fills present; an excuse or standing leave, excused; a member
    who never answered starts unmarked."""
    if on_leave or (answer is not None and answer.answer == "excused"):
        return "excused"
    if answer is not None and answer.answer == "attend":
        return "present"
    return "unmarked"


async def _render(ctx: Ctx, meeting: Meeting, data: Draft, edit: bool, note: str = "") -> Reply:
    marks: dict[str, str] = data["marks"]
    people, scope = await _people(ctx, meeting)
    members = [m for m in people if str(m.id) in marks]
    pages = _pages(len(members))
    page = min(max(0, int(data.get("page", 0))), pages - 1)
    unit = await ctx.units.get(meeting.unit_id)
    leave = set(data.get("leave", []))
    rows: list[tuple[Option, ...]] = [
        (
            Option(
                f"{texts.ATTENDANCE_MARKS[marks[str(m.id)]]} {m.full_name}"
                + _note(m.id, leave, scope),
                BUTTONS.payload("t", meeting.id, m.id),
            ),
        )
        for m in members[page * PAGE : (page + 1) * PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Option(texts.ATTENDANCE_PREV, BUTTONS.payload("p", meeting.id, page - 1)))
    if page < pages - 1:
        nav.append(Option(texts.ATTENDANCE_NEXT, BUTTONS.payload("p", meeting.id, page + 1)))
    if nav:
        rows.append(tuple(nav))
    if "unmarked" in marks.values():
        rows.append((Option(texts.ATTENDANCE_REST_PRESENT, BUTTONS.payload("r", meeting.id)),))
    rows.append((Option(texts.ATTENDANCE_SAVE, BUTTONS.payload("s", meeting.id)),))
    text = texts.ATTENDANCE_HEADER.format(
        when=mc.when(ctx, meeting.starts_at),
        unit=unit.name if unit else "",
        source=texts.ATTENDANCE_FROM_SAVED
        if data.get("source") == "saved"
        else texts.ATTENDANCE_FROM_ANSWERS,
        counts=_counts(marks.values()),
    )
    if scope.away:
        text += "\n" + await _away_line(ctx, scope)
    if note:
        text = f"⚠️ {note}\n\n{text}"
    return Reply(text, options=tuple(rows), edit=edit)


def _note(member_id: int, leave: set[int], scope: mc.Scope) -> str:
    if member_id in leave:
        return texts.ATTENDANCE_ON_LEAVE
    if member_id in scope.guests:
        return texts.ATTENDANCE_GUEST
    return ""


async def _away_line(ctx: Ctx, scope: mc.Scope) -> str:
    names = []
    for member_id, host_id in scope.away.items():
        member, host = await ctx.members.get(member_id), await ctx.units.get(host_id)
        if member is not None and host is not None:
            names.append(texts.ATTENDANCE_AWAY_NAME.format(name=member.full_name, unit=host.name))
    return texts.ATTENDANCE_AWAY.format(names=", ".join(sorted(names, key=vi_sort_key)))


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE))


def _counts(values: Iterable[str]) -> str:
    seen = list(values)
    text = texts.ATTENDANCE_COUNTS.format(
        present=seen.count("present"), excused=seen.count("excused"), absent=seen.count("absent")
    )
    if seen.count("unmarked"):
        text += texts.ATTENDANCE_COUNTS_UNMARKED.format(unmarked=seen.count("unmarked"))
    return text


async def _save(
    ctx: Ctx, who: Who, meeting: Meeting, marks: dict[int, str], leave: set[int]
) -> list[Reply]:
    assert who.member is not None
    now = ctx.now()
    # Only the meeting's people: a draft may name someone who moved away since.
    current = {m.id: m for m in (await _people(ctx, meeting))[0]}
    marks = {k: v for k, v in marks.items() if k in current}
    reasons = {k: LEAVE for k, v in marks.items() if v == "excused" and k in leave}
    await ctx.attendance.save_attendance(meeting.id, marks, who.member.id, now, reasons)
    absent = [current[k] for k, v in marks.items() if v == "absent"]
    if absent:
        await _warn(ctx, meeting, absent)
    return [
        Reply(
            texts.ATTENDANCE_SAVED.format(
                when=mc.when(ctx, meeting.starts_at), counts=_counts(marks.values())
            ),
            # The minutes come next: the draft is made from what was just saved. The meeting is
            # also when members usually pay their dues: the book is one press away.
            options=(
                *single_column(
                    Option(texts.BIENBAN_AFTER_ATTENDANCE, minutes.BUTTONS.payload("m", meeting.id))
                ),
                *dues_common.entry(meeting.unit_id, meeting.starts_at.astimezone(mc.tz(ctx))),
            ),
            edit=True,
        )
    ]


async def _warn(ctx: Ctx, meeting: Meeting, absent: list[Member]) -> None:
    """Warn the cell's leaders privately when a member reaches 2 (and 3) months absent."""
    year, start, end = mc.year_bounds(ctx, meeting.starts_at)
    found = await ctx.attendance.absences([m.id for m in absent], start, end)
    leaders = (await ctx.members.leaders([meeting.unit_id])).get(meeting.unit_id, [])
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
