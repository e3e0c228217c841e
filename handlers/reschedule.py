"""/datlich: the secretary moves, re-places, re-words or cancels the next meeting, adds a
thematic meeting, or gives the cell its own monthly rule. Everyone is told."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.core import texts
from bot.core.schedule_rules import WhenError, parse_when
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import agenda, cell_pick
from handlers import meeting_common as mc
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who, refusal
from handlers.meeting_change import PLACE_MAX, add_thematic, apply_change, set_rule
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.units import Unit

logger = logging.getLogger(__name__)

KIND = "datlich"
TOPIC_MAX = 1000


async def on_datlich(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Menu for the cell's next meeting; `/datlich 7/12 19h30` moves it at once. Someone
    leading several cells (or an administrator) is asked which cell first, unless the words
    after the command name it (`/datlich Phú Lợi`); a time typed with the command is kept
    for the cell then chosen."""
    args = msg.args.strip()
    cells = await cell_pick.cells_for(ctx, who)
    when = ""
    if len(cells) <= 1 or not cell_pick.matching(cells, args):
        when, args = args, ""
    chosen = await cell_pick.choose(ctx, who, args, BUTTONS)
    if isinstance(chosen, Reply):
        if chosen.options and when:
            # Asking which cell: a time typed with the command waits for the answer.
            await _converse(msg, ctx, "cell", {"when": when})
        return [chosen]
    return await _cell_menu(msg, ctx, who, chosen, when)


async def _cell_menu(
    msg: Incoming, ctx: Ctx, who: Who, unit: Unit, when: str, *, edit: bool = False
) -> list[Reply]:
    """The menu for the cell's next meeting, or the move to `when` when one was typed."""
    upcoming = await ctx.meetings.upcoming(unit.id, ctx.now(), limit=1)
    if when and upcoming:
        return await _move(ctx, who, upcoming[0], when)
    extra = (
        Option(texts.DATLICH_THEMATIC, BUTTONS.payload("n", unit.id)),
        Option(texts.DATLICH_RULE, BUTTONS.payload("r", unit.id)),
    )
    if not upcoming:
        schedule = await ctx.meetings.schedule_of(unit.id)
        rule = mc.rule_of(ctx, unit.kind, schedule.rule if schedule else None)
        return [
            Reply(
                texts.DATLICH_NONE.format(unit=unit.name, rule=rule.describe()),
                options=single_column(*extra),
                edit=edit,
            )
        ]
    m = upcoming[0]
    options = single_column(
        Option(texts.DATLICH_TIME, BUTTONS.payload("t", m.id)),
        Option(texts.DATLICH_PLACE, BUTTONS.payload("p", m.id)),
        Option(texts.DATLICH_PAPERS, agenda.BUTTONS.payload("o", m.id)),
        Option(texts.DATLICH_CANCEL, BUTTONS.payload("c", m.id)),
        *extra,
    )
    text = texts.DATLICH_MENU.format(unit=unit.name, block=mc.block(ctx, m, unit.name))
    return [Reply(text, options=options, edit=edit)]


async def _unit_chosen(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """The cell picked from /datlich's question: its menu, or the move typed with the command."""
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    when = ""
    if conv is not None and conv.kind == KIND and conv.step == "cell":
        when = str(conv.data.get("when", ""))
        await ctx.conversations.clear(msg.channel, msg.user_id)
    return await _cell_menu(msg, ctx, who, unit, when, edit=not when)


async def _thematic(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    await _converse(msg, ctx, "thematic_time", {"unit_id": unit.id})
    return [Reply(texts.DATLICH_ASK_THEMATIC_TIME)]


async def _rule(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    schedule = await ctx.meetings.schedule_of(unit.id)
    rule = mc.rule_of(ctx, unit.kind, schedule.rule if schedule else None)
    await _converse(msg, ctx, "rule", {"unit_id": unit.id})
    return [Reply(texts.DATLICH_ASK_RULE.format(rule=rule.describe()))]


# An action on a meeting that can still be changed by the presser.
MeetingAction = Callable[[Incoming, Ctx, Meeting, Press], Awaitable[list[Reply]]]


def _on_meeting(fn: MeetingAction) -> ButtonHandler:
    """`fn` on the meeting the payload names (its first argument), re-checked."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        checked = await _meeting(ctx, who, press.num(0))
        if isinstance(checked, Reply):
            return [checked]
        return await fn(msg, ctx, checked, press)

    return run


def _asking(step: str, question: str) -> MeetingAction:
    """The action that asks for the meeting's new time, place or agenda."""

    async def ask(msg: Incoming, ctx: Ctx, meeting: Meeting, press: Press) -> list[Reply]:
        await _converse(msg, ctx, step, {"meeting_id": meeting.id})
        return [Reply(question)]

    return ask


async def _ask_cancel(msg: Incoming, ctx: Ctx, meeting: Meeting, press: Press) -> list[Reply]:
    unit = await ctx.units.get(meeting.unit_id)
    text = texts.DATLICH_CANCEL_CONFIRM.format(
        block=mc.block(ctx, meeting, unit.name if unit else "")
    )
    options = (
        (
            Option(texts.DATLICH_CANCEL, BUTTONS.payload("x", meeting.id, meeting.version)),
            Option(texts.DATLICH_KEEP, BUTTONS.payload("k", meeting.id)),
        ),
    )
    return [Reply(text, options=options)]


async def _keep(msg: Incoming, ctx: Ctx, meeting: Meeting, press: Press) -> list[Reply]:
    return [Reply(texts.CANCELLED, edit=True)]


async def _cancelled(msg: Incoming, ctx: Ctx, meeting: Meeting, press: Press) -> list[Reply]:
    if press.num(1) != meeting.version:
        return [Reply(texts.STALE_BUTTON)]
    return await apply_change(ctx, meeting, cancel=True)


async def on_datlich_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The new time, place, thematic meeting or rule, typed by the secretary."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND:
        return [Reply(texts.STALE_BUTTON)]
    text = " ".join(msg.text.split())
    if conv.step == "cell":
        # The cell is asked with buttons (numbers on Zalo); text meanwhile is not an answer.
        return [Reply(texts.PICK_CELL)]
    if conv.step in ("thematic_time", "thematic_topic", "rule"):
        return await _cell_step(msg, ctx, who, conv, text)
    checked = await _meeting(ctx, who, int(conv.data["meeting_id"]))
    if isinstance(checked, Reply):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [checked]
    meeting = checked
    if conv.step == "time":
        return await _move(ctx, who, meeting, text, msg)
    if conv.step == "place":
        if not text:
            return [Reply(texts.DATLICH_EMPTY_PLACE)]
        if len(text) > PLACE_MAX:
            return [Reply(texts.TOO_LONG.format(limit=PLACE_MAX))]
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return await apply_change(ctx, meeting, place=text)
    # A step no button asks for any more (the agenda moved to «Nội dung và tài liệu»).
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.STALE_BUTTON)]


async def _cell_step(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, text: str
) -> list[Reply]:
    """Text for the cell rather than one meeting: a thematic meeting's time or topic, a rule."""
    unit_id = int(conv.data["unit_id"])
    if not who.leads(unit_id):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [refusal(who)]
    if conv.step == "rule":
        return await _set_rule_from_chat(msg, ctx, unit_id, text)
    if conv.step == "thematic_time":
        try:
            starts = parse_when(text, ctx.now(), mc.tz(ctx))
        except WhenError as exc:
            return [when_error(exc, text)]
        data = {"unit_id": unit_id, "starts_at": starts.isoformat()}
        await _converse(msg, ctx, "thematic_topic", data)
        return [Reply(texts.DATLICH_ASK_THEMATIC_TOPIC.format(limit=TOPIC_MAX))]
    if not text:
        return [Reply(texts.DATLICH_EMPTY_TEXT)]
    if len(text) > TOPIC_MAX:
        return [Reply(texts.TOO_LONG.format(limit=TOPIC_MAX))]
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return await add_thematic(ctx, unit_id, datetime.fromisoformat(conv.data["starts_at"]), text)


async def _converse(msg: Incoming, ctx: Ctx, step: str, data: dict[str, Any]) -> None:
    await ctx.conversations.set(msg.channel, msg.user_id, Conversation(KIND, step, data), ctx.now())


def when_error(exc: WhenError, text: str) -> Reply:
    """The refusal of a date/time someone typed, with an example that works."""
    return Reply(texts.WHEN_ERRORS[exc.reason].format(text=text) + texts.WHEN_EXAMPLE)


async def _meeting(ctx: Ctx, who: Who, meeting_id: int) -> Meeting | Reply:
    """The meeting, if the sender leads its cell and it can still be changed."""
    return await mc.led_meeting_ahead(ctx, who, meeting_id, texts.ANSWER_TOO_LATE)


async def _move(
    ctx: Ctx, who: Who, meeting: Meeting, text: str, msg: Incoming | None = None
) -> list[Reply]:
    try:
        starts = parse_when(text, ctx.now(), mc.tz(ctx))
    except WhenError as exc:
        return [when_error(exc, text)]
    if msg is not None:
        await ctx.conversations.clear(msg.channel, msg.user_id)
    return await apply_change(ctx, meeting, starts_at=starts)


async def _set_rule_from_chat(msg: Incoming, ctx: Ctx, unit_id: int, text: str) -> list[Reply]:
    done, replies = await set_rule(ctx, unit_id, text)
    if done:
        await ctx.conversations.clear(msg.channel, msg.user_id)
    return replies


# dl:<n|r|u>:<unit> start a thematic meeting or a new rule for the cell, or open its menu (the
# cell picked); the rest act on one meeting; dl:x:<meeting>:<version> cancels it only as it
# was shown.
BUTTONS = Buttons(
    "dl",
    {
        "u": Action(_unit_chosen, "i"),
        "n": Action(_thematic, "i"),
        "r": Action(_rule, "i"),
        "t": Action(_on_meeting(_asking("time", texts.DATLICH_ASK_TIME)), "i"),
        "p": Action(
            _on_meeting(_asking("place", texts.DATLICH_ASK_PLACE.format(limit=PLACE_MAX))), "i"
        ),
        "c": Action(_on_meeting(_ask_cancel), "i"),
        "k": Action(_on_meeting(_keep), "i"),
        "x": Action(_on_meeting(_cancelled), "ii"),
    },
)
