"""/nghiphep: the secretary puts a member of the cell on leave for a span of months, or ends it.

While on leave a member is excused from every check-in round of those months
(`TaskRepo.excused`). The conversation (page, search, chosen member, length) lives in the
database; payloads name a member, a page, a length or a leave and are re-checked on arrival.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, timedelta

from bot.core import texts
from bot.core.types import Incoming, Option, Reply, is_number
from handlers import cell_pick
from handlers.buttons import Action, Buttons, Press, cancel, during, led_conversation, save_step
from handlers.context import Ctx, Who, refusal
from handlers.tasks import candidates, member_page, tell_assignees
from storage.conversations import Conversation
from storage.leave import Leave
from storage.members import Member

logger = logging.getLogger(__name__)

KIND = "leave"
# End buttons under the overview; a longer list is reached by searching the name.
MAX_END_BUTTONS = 20
# The lengths offered, as button codes: months, "0" to the end of this month, "n" until notice.
LENGTHS = ("0", "1", "3", "6", "n")


def today(ctx: Ctx) -> date:
    """Today in the configured zone."""
    return ctx.now().astimezone(ctx.config.general.tz).date()


def period_of(day: date) -> str:
    """The month of a day, as periods are stored: 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def last_period(start: date, code: str) -> str | None:
    """The last month a leave of length `code` (one of LENGTHS) covers, from `start`.

    "N months" runs to the day before the same date N months later, and covers every month it
    touches: from 28/11, «1 tháng» covers November and December.
    """
    if code == "n":
        return None
    months = int(code)
    if months == 0:
        return period_of(start)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    end = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return period_of(end - timedelta(days=1))


def until(last: str | None) -> str:
    """Until when a leave runs, as members read it (a month, or «until notice»)."""
    if last is None:
        return texts.LEAVE_UNTIL_NOTICE
    month = texts.LEAVE_MONTH.format(month=int(last[5:7]), year=last[:4])
    return texts.LEAVE_UNTIL_MONTH.format(month=month)


async def on_nghiphep(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Who in the cell is on leave, with a button to end each; then pick someone to add.
    Someone leading several cells (or an administrator) is asked which cell first."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return await _open(msg, ctx, chosen.id)


async def _open(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    conv = await save_step(msg, ctx, Conversation(KIND, "list", {"unit_id": unit_id}))
    return [await _overview(ctx, conv, edit=edit)]


async def _leaves(ctx: Ctx, unit_id: int) -> list[Leave]:
    return await ctx.leaves.current(unit_id, period_of(today(ctx)))


async def _overview(ctx: Ctx, conv: Conversation, *, edit: bool = False) -> Reply:
    unit_id = int(conv.data["unit_id"])
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    names = {m.id: m.full_name for m in await ctx.members.in_unit(unit_id)}
    leaves = await _leaves(ctx, unit_id)
    if leaves:
        lines = [texts.NGHIPHEP_HEADER.format(unit=unit.name, count=len(leaves))]
        lines += [
            texts.NGHIPHEP_LINE.format(name=names.get(x.member_id, ""), until=until(x.last_period))
            for x in leaves
        ]
    else:
        lines = [texts.NGHIPHEP_NONE.format(unit=unit.name)]
    lines.append(texts.NGHIPHEP_HINT.format(add=texts.NGHIPHEP_ADD))
    rows: list[tuple[Option, ...]] = [
        (
            Option(
                texts.NGHIPHEP_END.format(name=names.get(x.member_id, "")),
                BUTTONS.payload("e", x.id),
            ),
        )
        for x in leaves[:MAX_END_BUTTONS]
    ]
    rows.append(
        (
            Option(texts.NGHIPHEP_ADD, BUTTONS.payload("add")),
            _cancel_option(),
        )
    )
    return Reply("\n".join(lines), options=tuple(rows), edit=edit)


async def _pick_reply(ctx: Ctx, conv: Conversation, *, edit: bool = False, note: str = "") -> Reply:
    unit_id = int(conv.data["unit_id"])
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    query = str(conv.data.get("query", ""))
    members = await candidates(ctx, unit_id, query)
    on_leave = {x.member_id for x in await _leaves(ctx, unit_id)}
    page = int(conv.data.get("page", 0))
    rows, lines = member_page(members, page, BUTTONS, on_leave, texts.NGHIPHEP_ON_LEAVE, query)
    last = [_cancel_option()]
    if query:
        last.insert(0, Option(texts.GIAOVIEC_CLEAR_FILTER, BUTTONS.payload("q")))
    rows.append(tuple(last))
    text = texts.NGHIPHEP_PICK.format(unit=unit.name) + lines
    if note:
        text = note + "\n\n" + text
    return Reply(text, options=tuple(rows), edit=edit)


async def _length_reply(ctx: Ctx, member: Member) -> Reply:
    rows: list[tuple[Option, ...]] = [
        (Option(texts.NGHIPHEP_LENGTHS[code], BUTTONS.payload("d", code)),) for code in LENGTHS
    ]
    running = [x for x in await _leaves(ctx, member.unit_id) if x.member_id == member.id]
    if running:
        text = texts.NGHIPHEP_ASK_LENGTH_AGAIN.format(
            name=member.full_name, until=until(running[-1].last_period)
        )
        end = texts.NGHIPHEP_END.format(name=member.full_name)
        rows.append((Option(end, BUTTONS.payload("e", running[-1].id)),))
    else:
        text = texts.NGHIPHEP_ASK_LENGTH.format(name=member.full_name)
    rows.append((_cancel_option(),))
    return Reply(text, options=tuple(rows), edit=True)


async def _member(ctx: Ctx, conv: Conversation, raw: object) -> Member | None:
    """The member a payload or the conversation names, if still active in the cell."""
    if not is_number(str(raw)):
        return None
    member = await ctx.members.get(int(str(raw)))
    if member is None or not member.active or member.unit_id != int(conv.data["unit_id"]):
        return None
    return member


async def _on_end(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    return await _end(msg, ctx, who, press.num(0))


async def _add(msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation) -> list[Reply]:
    conv.data.update(page=0, query="")
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv, "pick"), edit=True)]


async def _picked(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    member = await _member(ctx, conv, press.word(0))
    if member is None:
        logger.warning("leave for member %r outside unit refused", press.word(0)[:20])
        return [Reply(texts.STALE_BUTTON)]
    conv.data["member_id"] = member.id
    await save_step(msg, ctx, conv, "length")
    return [await _length_reply(ctx, member)]


async def _page(msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation) -> list[Reply]:
    conv.data["page"] = press.num(0)
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv), edit=True)]


async def _clear_filter(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    conv.data.update(page=0, query="")
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv), edit=True)]


async def _length(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    code = press.word(0)
    member = await _member(ctx, conv, conv.data.get("member_id"))
    if member is None or code not in LENGTHS:
        return [Reply(texts.STALE_BUTTON)]
    conv.data["length"] = code
    await save_step(msg, ctx, conv, "confirm")
    last = last_period(today(ctx), code)
    text = texts.NGHIPHEP_CONFIRM.format(name=member.full_name, until=until(last))
    options = ((Option(texts.NGHIPHEP_OK, BUTTONS.payload("c")), _cancel_option()),)
    return [Reply(text, options=options, edit=True)]


async def _confirmed(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    return await _start(msg, ctx, who, conv)


def _cancel_option() -> Option:
    return Option(texts.GIAOVIEC_CANCEL, BUTTONS.payload("x"))


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Typed text: a name search in the overview or the picker; otherwise a hint."""
    checked = await led_conversation(msg, ctx, who, KIND)
    if isinstance(checked, Reply):
        return [checked]
    conv = checked
    text = " ".join(msg.text.split())
    if conv.step not in ("list", "pick") or not text:
        return [Reply(texts.NGHIPHEP_WAITING)]
    unit_id = int(conv.data["unit_id"])
    if not await candidates(ctx, unit_id, text):
        unit = await ctx.units.get(unit_id)
        note = texts.GIAOVIEC_SEARCH_NONE.format(unit=unit.name if unit else "", query=text)
        if conv.step == "list":
            return [Reply(note)]
        return [await _pick_reply(ctx, conv, note=note)]
    conv.data.update(page=0, query=text)
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv, "pick"))]


async def _start(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation) -> list[Reply]:
    assert who.member is not None
    member = await _member(ctx, conv, conv.data.get("member_id"))
    code = str(conv.data.get("length"))
    await ctx.conversations.clear(msg.channel, msg.user_id)
    # The roster may have changed since the member was picked.
    if member is None or code not in LENGTHS:
        return [Reply(texts.STALE_BUTTON, edit=True)]
    unit = await ctx.units.get(member.unit_id)
    assert unit is not None
    day = today(ctx)
    last = last_period(day, code)
    told = texts.LEAVE_TOLD_SET.format(name=member.full_name, unit=unit.name, until=until(last))
    messages = await tell_assignees(
        ctx, unit.id, [member.id], Reply(told), "leave:{leave}:set:{member}"
    )
    leave_id = await ctx.leaves.start(
        member.id, unit.id, period_of(day), last, who.member.id, ctx.now(), messages
    )
    if messages:
        ctx.wake_outbox()
    logger.info("leave %s for member %s of unit %s until %s", leave_id, member.id, unit.id, last)
    text = texts.NGHIPHEP_DONE.format(name=member.full_name, until=until(last))
    if not messages:
        text += texts.NGHIPHEP_UNLINKED.format(name=member.full_name)
    return [Reply(text, edit=True)]


async def _end(msg: Incoming, ctx: Ctx, who: Who, leave_id: int) -> list[Reply]:
    store = ctx.leaves
    leave = await store.get(leave_id)
    if leave is None:
        return [Reply(texts.STALE_BUTTON)]
    if not who.leads(leave.unit_id):
        return [refusal(who)]
    member = await ctx.members.get(leave.member_id)
    unit = await ctx.units.get(leave.unit_id)
    if member is None or unit is None:
        return [Reply(texts.STALE_BUTTON)]
    told = texts.LEAVE_TOLD_ENDED.format(name=member.full_name, unit=unit.name)
    key = f"leave:{leave.id}:ended:{{member}}"
    messages = await tell_assignees(ctx, unit.id, [member.id], Reply(told), key)
    if not await store.end(leave.id, period_of(today(ctx)), ctx.now(), messages):
        return [Reply(texts.NGHIPHEP_NOT_CURRENT)]
    if messages:
        ctx.wake_outbox()
    logger.info("leave %s of member %s ended early", leave.id, member.id)
    done = Reply(texts.NGHIPHEP_ENDED.format(name=member.full_name))
    open_conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if open_conv is not None and open_conv.kind != KIND:
        return [done]  # pressed on an old message during another flow: leave that flow alone
    conv = await save_step(msg, ctx, Conversation(KIND, "list", {"unit_id": leave.unit_id}))
    return [done, await _overview(ctx, conv)]


# np:e:<leave> ends a leave from any message; np:u:<unit> picks the cell; the rest act on the
# open conversation at the step they belong to.
BUTTONS = Buttons(
    "np",
    {
        "e": Action(_on_end, "i"),
        "u": Action(cell_pick.on_cell(_open), "i"),
        "add": Action(during(KIND, ("list",), _add)),
        "p": Action(during(KIND, ("pick",), _picked), "i"),
        "g": Action(during(KIND, ("pick",), _page), "i"),
        "q": Action(during(KIND, ("pick",), _clear_filter)),
        "d": Action(during(KIND, ("length",), _length), "s"),
        "c": Action(during(KIND, ("confirm",), _confirmed)),
        "x": Action(during(KIND, (), cancel)),
    },
)
