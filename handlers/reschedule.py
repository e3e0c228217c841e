"""/datlich: the secretary moves, re-places, re-words or cancels the next meeting, adds a
thematic meeting, or gives the cell its own monthly rule. Everyone is told."""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.core import texts
from bot.core.schedule_rules import RuleError, WhenError, parse_rule, parse_when
from bot.core.textnorm import fold
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import agenda, cell_pick, meetings
from handlers import meeting_common as mc
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who, refusal
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.members import Contact
from storage.outbox import NewMessage
from storage.units import Unit

logger = logging.getLogger(__name__)

KIND = "datlich"
PLACE_MAX = 200
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
    return await _add_thematic(ctx, unit_id, datetime.fromisoformat(conv.data["starts_at"]), text)


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


async def _add_thematic(ctx: Ctx, unit_id: int, starts: datetime, topic: str) -> list[Reply]:
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


async def _set_rule_from_chat(msg: Incoming, ctx: Ctx, unit_id: int, text: str) -> list[Reply]:
    done, replies = await set_rule(ctx, unit_id, text)
    if done:
        await ctx.conversations.clear(msg.channel, msg.user_id)
    return replies


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
