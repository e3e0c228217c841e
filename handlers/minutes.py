"""/bienban: the minutes (biên bản) and monthly resolution (nghị quyết) drafts of the cell's
latest meeting as .docx, regenerated from the current data each time; the secretary may pick
the chair and the minute-taker and type the conclusions and the vote first."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.core import texts
from bot.core.textnorm import vi_sort_key
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import cell_pick
from handlers import meeting_common as mc
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who
from handlers.docx_render import Kind
from handlers.minutes_data import build_minutes, chair_and_clerk
from handlers.minutes_files import draft_reply
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.minutes import MinutesExtras

logger = logging.getLogger(__name__)

KIND = "minutes"
PAGE = 10
CONCLUSIONS_MAX = 3000
VOTE_EXAMPLE = "12 0 1"
# Three numbers in order, words around them allowed: «3 0 1», «3, 0, 1», «tán thành 3, không
# tán thành 0, không biểu quyết 1».
_VOTE = re.compile(r"\D*(\d{1,4})\D+(\d{1,4})\D+(\d{1,4})\D*")


async def checked_meeting(ctx: Ctx, who: Who, meeting_id: int) -> Meeting | Reply:
    """The meeting, if the sender leads its cell and it has started (and was not cancelled)."""
    return await mc.led_meeting_held(ctx, who, meeting_id, texts.BIENBAN_NONE)


async def on_bienban(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The menu for the cell's latest meeting that has started. Someone leading several cells
    (or an administrator) is asked which cell first, unless named (`/bienban Phú Lợi`)."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return [await _latest(ctx, chosen.id)]


async def _latest(ctx: Ctx, unit_id: int, *, edit: bool = False) -> Reply:
    started = await ctx.meetings.started(unit_id, ctx.now(), limit=1)
    if not started:
        return Reply(texts.BIENBAN_NONE, edit=edit)
    return await menu(ctx, started[0], edit=edit)


async def _unit_chosen(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """The cell picked from /bienban's question; a forged cell is refused, nothing changed."""
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    return [await _latest(ctx, unit.id, edit=True)]


async def _extras(ctx: Ctx, meeting: Meeting) -> MinutesExtras:
    return await ctx.papers.extras(meeting.id) or MinutesExtras(meeting.id)


async def menu(ctx: Ctx, meeting: Meeting, *, edit: bool = False, note: str = "") -> Reply:
    """The /bienban menu of a meeting: its chair, minute-taker and what is still missing."""
    extras = await _extras(ctx, meeting)
    chair, clerk, _ = await chair_and_clerk(ctx, meeting, extras)
    unit = await ctx.units.get(meeting.unit_id)

    async def name(member_id: int | None) -> str:
        member = await ctx.members.get(member_id) if member_id else None
        return member.full_name if member else texts.BIENBAN_NOT_SET

    saved = await ctx.attendance.attendance(meeting.id)
    attendance = (
        texts.BIENBAN_ATTENDANCE_SAVED.format(
            present=list(saved.values()).count("present"),
            excused=list(saved.values()).count("excused"),
            absent=list(saved.values()).count("absent"),
        )
        if saved
        else texts.BIENBAN_ATTENDANCE_NONE
    )
    vote = (
        texts.BIENBAN_VOTE.format(
            yes=extras.vote_for, no=extras.vote_against, abstain=extras.vote_abstain
        )
        if extras.vote_for is not None
        else texts.BIENBAN_NO_VOTE
    )
    observers = await ctx.papers.observer_names(meeting.unit_id)
    guests = [observers[g] for g in extras.guest_ids if g in observers]
    text = texts.BIENBAN_MENU.format(
        block=mc.block(ctx, meeting, unit.name if unit else ""),
        chair=await name(chair),
        clerk=await name(clerk),
        guests=", ".join(guests) or texts.BIENBAN_NO_GUESTS,
        attendance=attendance,
        conclusions=extras.conclusions or texts.BIENBAN_NO_CONCLUSIONS,
        vote=vote,
    )
    options = single_column(
        Option(texts.BIENBAN_MINUTES, BUTTONS.payload("f", meeting.id)),
        Option(texts.BIENBAN_RESOLUTION, BUTTONS.payload("r", meeting.id)),
        Option(texts.BIENBAN_CHAIR, BUTTONS.payload("c", meeting.id, 0)),
        Option(texts.BIENBAN_CLERK, BUTTONS.payload("t", meeting.id, 0)),
        Option(texts.BIENBAN_CONCLUSIONS, BUTTONS.payload("k", meeting.id)),
        Option(texts.BIENBAN_VOTE_BUTTON, BUTTONS.payload("v", meeting.id)),
        # Committee members assigned to the cell: who of them attended, as guests.
        *((Option(texts.BIENBAN_GUESTS, BUTTONS.payload("g", meeting.id)),) if observers else ()),
    )
    return Reply((note + "\n\n" if note else "") + text, options=options, edit=edit)


async def _file(msg: Incoming, ctx: Ctx, m: Meeting, kind: Kind) -> list[Reply]:
    if msg.channel == "zalo" and not ctx.config.zalo.files_public_url:
        # Zalo carries no files: without a link to serve, say where the draft can be had.
        return [await menu(ctx, m, note=texts.BIENBAN_NO_LINK_ZALO)]
    return [await draft_reply(ctx, m, kind)]


async def _minutes_file(
    msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None
) -> list[Reply]:
    return await _file(msg, ctx, m, "minutes")


async def _resolution_file(
    msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None
) -> list[Reply]:
    return await _file(msg, ctx, m, "resolution")


async def _pick(ctx: Ctx, meeting: Meeting, page: int, role: str) -> list[Reply]:
    members = await ctx.members.in_unit(meeting.unit_id)
    pages = max(1, -(-len(members) // PAGE))
    if page >= pages:
        return [Reply(texts.STALE_BUTTON)]
    action = "C" if role == "chair" else "T"
    rows: list[tuple[Option, ...]] = [
        (Option(m.full_name, BUTTONS.payload(action, meeting.id, m.id)),)
        for m in members[page * PAGE : (page + 1) * PAGE]
    ]
    if page + 1 < pages:
        rows.append(
            (Option(texts.BIENBAN_MORE, BUTTONS.payload(action.lower(), meeting.id, page + 1)),)
        )
    rows.append((Option(texts.BIENBAN_BACK, BUTTONS.payload("m", meeting.id)),))
    text = texts.BIENBAN_PICK_CHAIR if role == "chair" else texts.BIENBAN_PICK_CLERK
    return [Reply(text, options=tuple(rows), edit=True)]


async def _pick_chair(
    msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None
) -> list[Reply]:
    return await _pick(ctx, m, arg or 0, "chair")


async def _pick_clerk(
    msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None
) -> list[Reply]:
    return await _pick(ctx, m, arg or 0, "clerk")


async def _set_person(
    ctx: Ctx, who: Who, meeting: Meeting, member_id: int | None, role: str
) -> list[Reply]:
    member = await ctx.members.get(member_id) if member_id is not None else None
    if member is None or not member.active or member.unit_id != meeting.unit_id:
        return [Reply(texts.STALE_BUTTON)]
    extras = await _extras(ctx, meeting)
    chair, clerk, _ = await chair_and_clerk(ctx, meeting, extras)
    # The defaults become explicit with the first choice, so they do not shift later.
    if role == "chair":
        extras = replace(extras, chair_id=member.id, clerk_id=clerk)
    else:
        extras = replace(extras, chair_id=chair, clerk_id=member.id)
    await ctx.papers.save_extras(extras, who.member.id if who.member else None, ctx.now())
    return [await menu(ctx, meeting, edit=True, note=texts.BIENBAN_SAVED)]


async def _pick_guests(
    msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None
) -> list[Reply]:
    observers = await ctx.papers.observer_names(m.unit_id)
    chosen = set((await _extras(ctx, m)).guest_ids)
    rows: list[tuple[Option, ...]] = [
        (Option(("✅ " if i in chosen else "") + name, BUTTONS.payload("G", m.id, i)),)
        for i, name in sorted(observers.items(), key=lambda item: vi_sort_key(item[1]))[:30]
    ]
    rows.append((Option(texts.BIENBAN_BACK, BUTTONS.payload("m", m.id)),))
    return [Reply(texts.BIENBAN_PICK_GUESTS, options=tuple(rows), edit=True)]


async def _toggle_guest(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, member_id: int | None
) -> list[Reply]:
    """A committee member assigned to the cell marked as a guest, or unmarked."""
    observers = await ctx.papers.observer_names(meeting.unit_id)
    if member_id is None or member_id not in observers:
        return [Reply(texts.STALE_BUTTON)]
    extras = await _extras(ctx, meeting)
    guests = set(extras.guest_ids) ^ {member_id}
    extras = replace(extras, guest_ids=tuple(sorted(guests)))
    await ctx.papers.save_extras(extras, who.member.id if who.member else None, ctx.now())
    return await _pick_guests(msg, ctx, who, meeting, None)


async def _set_chair(msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None) -> list[Reply]:
    return await _set_person(ctx, who, m, arg, "chair")


async def _set_clerk(msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None) -> list[Reply]:
    return await _set_person(ctx, who, m, arg, "clerk")


async def _menu(msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None) -> list[Reply]:
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [await menu(ctx, m, edit=True)]


async def _ask(msg: Incoming, ctx: Ctx, meeting: Meeting, step: str) -> list[Reply]:
    conv = Conversation(KIND, step, {"meeting_id": meeting.id})
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    if step == "conclusions":
        return [Reply(texts.BIENBAN_ASK_CONCLUSIONS.format(limit=CONCLUSIONS_MAX))]
    return [Reply(texts.BIENBAN_ASK_VOTE.format(example=VOTE_EXAMPLE))]


async def _ask_conclusions(
    msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None
) -> list[Reply]:
    return await _ask(msg, ctx, m, "conclusions")


async def _ask_vote(msg: Incoming, ctx: Ctx, who: Who, m: Meeting, arg: int | None) -> list[Reply]:
    return await _ask(msg, ctx, m, "vote")


MeetingAction = Callable[[Incoming, Ctx, Who, Meeting, int | None], Awaitable[list[Reply]]]
# The buttons of this feature, `bb:<action>:<meeting>[:<arg>]`; the arg is a page (c, t), or the
# member chosen (C chair, T minute-taker, G a guest on or off).


def _on_meeting(fn: MeetingAction) -> ButtonHandler:
    """`fn` on the meeting the payload names, checked (`checked_meeting`), with its argument."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        checked = await checked_meeting(ctx, who, press.num(0))
        if isinstance(checked, Reply):
            return [checked]
        return await fn(msg, ctx, who, checked, press.num(1) if len(press.args) > 1 else None)

    return run


BUTTONS = Buttons(
    "bb",
    {
        # The cell picked by someone leading several (`cell_pick`).
        "u": Action(_unit_chosen, "i"),
        "m": Action(_on_meeting(_menu), "i"),
        "f": Action(_on_meeting(_minutes_file), "i"),
        "r": Action(_on_meeting(_resolution_file), "i"),
        "c": Action(_on_meeting(_pick_chair), "ii"),
        "t": Action(_on_meeting(_pick_clerk), "ii"),
        "C": Action(_on_meeting(_set_chair), "ii"),
        "T": Action(_on_meeting(_set_clerk), "ii"),
        "g": Action(_on_meeting(_pick_guests), "i"),
        "G": Action(_on_meeting(_toggle_guest), "ii"),
        "k": Action(_on_meeting(_ask_conclusions), "i"),
        "v": Action(_on_meeting(_ask_vote), "i"),
    },
)


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The conclusions or the vote, typed by the secretary."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND:
        return [Reply(texts.STALE_BUTTON)]
    checked = await checked_meeting(ctx, who, int(conv.data["meeting_id"]))
    if isinstance(checked, Reply):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [checked]
    text = msg.text.strip()
    extras = await _extras(ctx, checked)
    if conv.step == "conclusions":
        if not text:
            return [Reply(texts.BIENBAN_EMPTY_TEXT)]
        if len(text) > CONCLUSIONS_MAX:
            return [Reply(texts.TOO_LONG.format(limit=CONCLUSIONS_MAX))]
        extras = replace(extras, conclusions=text)
    else:
        found = _VOTE.fullmatch(text)
        if found is None:
            return [Reply(texts.BIENBAN_BAD_VOTE.format(text=text[:40], example=VOTE_EXAMPLE))]
        yes, no, abstain = (int(g) for g in found.groups())
        present = (await build_minutes(ctx, checked)).totals.present
        if yes + no + abstain > present:
            return [
                Reply(texts.BIENBAN_VOTE_TOO_MANY.format(total=yes + no + abstain, present=present))
            ]
        extras = replace(extras, vote_for=yes, vote_against=no, vote_abstain=abstain)
    await ctx.papers.save_extras(extras, who.member.id if who.member else None, ctx.now())
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [await menu(ctx, checked, note=texts.BIENBAN_SAVED)]
