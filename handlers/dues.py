"""/dangphi: the cell's dues book for its secretary, deputy or treasurer (the month's checklist,
paged like /diemdanh); for any other member, their own months of the year and nothing else.

Buttons are `df:<action>:<args>` (the table is `BUTTONS`, its shapes `dues_common.SHAPES`); the book's cell, month,
page and member live in the conversation, and every press re-checks the role on that cell.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.core import texts
from bot.core.money import format_money
from bot.core.types import Incoming, Reply
from handlers import (
    cell_pick,
    dues_dashboard,  # noqa: F401  (registers the dashboard's dues figures)
    dues_text,
)
from handlers import dues_card as card
from handlers import dues_common as dc
from handlers import dues_sheet as sheet
from handlers.buttons import ButtonHandler, Buttons, Press, save_step
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.dues import due_in
from storage.members import Member
from storage.units import Unit

logger = logging.getLogger(__name__)

KIND = dc.KIND

ActionHandler = Callable[
    [Incoming, Ctx, Who, Conversation, tuple[str, ...]], Awaitable[list[Reply]]
]


def _no_permission() -> list[Reply]:
    return [Reply(texts.NO_PERMISSION.format(role=texts.DUES_ROLE))]


async def on_dangphi(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The book's checklist for a keeper of it (optionally of a month: «/dangphi 11/2026»);
    one's own dues for everyone else."""
    assert who.member is not None
    units = dc.managed_units(who)
    if not units:
        return [await own_status(ctx, who.member)]
    cells = await cell_pick.cells_for(ctx, who, units)
    month, named = _month_and_cell(ctx, msg.args.strip(), cells)
    period = dc.current_period(ctx)
    if month:
        found = dc.parse_month(month, dc.today(ctx))
        if found is None:
            return [Reply(texts.DUES_BAD_MONTH.format(text=month[:40]))]
        if found > period:
            return [Reply(texts.DUES_FUTURE_MONTH.format(month=dc.label(found)))]
        period = found
    # Someone keeping several books (or an administrator) is asked which cell's: each button
    # opens that book at the month ("o", checked again when pressed).
    chosen = await cell_pick.choose(
        ctx, who, named, BUTTONS, dc.compact(period), among=cells, action="o"
    )
    if isinstance(chosen, Reply):
        return [chosen]
    conv = Conversation(KIND, "list", {"unit_id": chosen.id, "period": period, "page": 0})
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return [await sheet.checklist(ctx, conv, edit=False)]


def _month_and_cell(ctx: Ctx, args: str, cells: list[Unit]) -> tuple[str, str]:
    """The month and the cell's name typed after /dangphi, in that order, each optional
    («/dangphi 11/2026 Phú Lợi», «/dangphi Phú Lợi»). Words that are neither stay the month,
    to be refused as one."""
    words = args.split()
    for cut in range(len(words), 0, -1):
        if dc.parse_month(" ".join(words[:cut]), dc.today(ctx)) is not None:
            return " ".join(words[:cut]), " ".join(words[cut:])
    if len(cells) > 1 and args and cell_pick.matching(cells, args):
        return "", args
    return args, ""


def _checked(fn: ButtonHandler) -> ButtonHandler:
    """`fn`, once the press's month or method code is one `dues_common` knows."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        if not dc.valid_args(press):
            return [Reply(texts.STALE_BUTTON)]
        return await fn(msg, ctx, who, press)

    return run


def _in_book(fn: ActionHandler) -> ButtonHandler:
    """`fn` on the open book, for someone who still keeps it."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
        if conv is None or conv.kind != KIND:
            return _no_permission() if not dc.managed_units(who) else [Reply(texts.STALE_BUTTON)]
        if not dc.manages(who, int(conv.data["unit_id"])):
            # Roles may have changed since the book was opened.
            await ctx.conversations.clear(msg.channel, msg.user_id)
            return _no_permission()
        return await fn(msg, ctx, who, conv, press.args)

    return run


async def _on_open(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    return await _open(msg, ctx, who, press.num(0), dc.expand(press.word(1)) or "")


async def _on_own(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    assert who.member is not None
    return [await own_status(ctx, who.member)]


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Typed text while the book is open: an amount, a reason or an amount due."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND:
        return [Reply(texts.DUES_WAITING)]
    if not dc.manages(who, int(conv.data["unit_id"])):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return _no_permission()
    return await dues_text.on_text(msg, ctx, who, conv)


async def _open(msg: Incoming, ctx: Ctx, who: Who, unit_id: int, period: str) -> list[Reply]:
    if not dc.manages(who, unit_id):
        logger.warning(
            "dues book of unit %s refused to member %s", unit_id, who.member and who.member.id
        )
        # A keeper of another cell's book is told it is not theirs; anyone else, who keeps one.
        return [Reply(texts.DUES_NOT_YOUR_BOOK)] if dc.managed_units(who) else _no_permission()
    unit = await ctx.units.get(unit_id)
    if unit is None or not unit.is_cell:
        return [Reply(texts.STALE_BUTTON)]
    if period > dc.current_period(ctx):
        return [Reply(texts.DUES_FUTURE_MONTH.format(month=dc.label(period)))]
    before = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    conv = Conversation(KIND, "list", {"unit_id": unit_id, "period": period, "page": 0})
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    # Moving between months edits the book; opening it from /diemdanh sends a new message.
    editing = before is not None and before.kind == KIND
    return [await sheet.checklist(ctx, conv, edit=editing)]


async def _list(msg: Incoming, ctx: Ctx, conv: Conversation, note: str = "") -> list[Reply]:
    for key in ("member_id", "amount", "months"):
        conv.data.pop(key, None)
    conv = await save_step(msg, ctx, conv, "list")
    return [await sheet.checklist(ctx, conv, edit=True, note=note)]


async def on_page(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
) -> list[Reply]:
    """Another page of the checklist (the one the buttons lead to, never past the last)."""
    page = int(args[0])
    count = len(await ctx.members.in_unit(int(conv.data["unit_id"])))
    if page >= max(1, -(-count // sheet.PAGE)):
        # No button leads past the last page: a forged payload, not a request to clamp.
        return [Reply(texts.STALE_BUTTON)]
    conv.data["page"] = page
    return await _list(msg, ctx, conv)


async def on_back(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
) -> list[Reply]:
    """Back from a member's card to the checklist."""
    return await _list(msg, ctx, conv)


async def on_reminders(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
) -> list[Reply]:
    """Turn the cell's monthly dues reminder on or off."""
    assert who.member is not None
    store = ctx.dues_reminders
    unit_id = int(conv.data["unit_id"])
    on = not await store.reminders_on(unit_id)
    await store.set_reminders(unit_id, on, who.member.id, ctx.now())
    logger.info("dues reminders of unit %s turned %s", unit_id, "on" if on else "off")
    note = (
        texts.DUES_REMIND_NOW_ON.format(day=ctx.config.dues.reminder_day)
        if on
        else texts.DUES_REMIND_NOW_OFF
    )
    return await _list(msg, ctx, conv, note)


async def on_close(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
) -> list[Reply]:
    """Close the book."""
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.CANCELLED, edit=True)]


# The actions that act on an open book ("o" opens one, "s" is one's own dues: no book needed).
HANDLERS: dict[str, ActionHandler] = {
    "g": on_page,
    "m": card.on_member,
    "p": card.on_pay,
    "a": card.on_other_amount,
    "n": card.on_several,
    "q": card.on_pay_several,
    "u": card.on_withdraw,
    "e": card.on_excuse,
    "d": card.on_change_due,
    "c": dues_text.on_category,
    "b": on_back,
    "r": on_reminders,
    "x": on_close,
}
# df:<action>:<args> (shapes in `dues_common.SHAPES`): "o" opens a book, "s" is one's own dues,
# the rest act on the open book.
BUTTONS = Buttons.over(
    dc.SHAPES,
    {
        "o": _checked(_on_open),
        "s": _on_own,
        **{
            action: _checked(_in_book(fn)) if action in ("p", "q") else _in_book(fn)
            for action, fn in HANDLERS.items()
        },
    },
)


async def own_status(ctx: Ctx, member: Member) -> Reply:
    """A member's own dues this year: amount due, months paid, unpaid and excused."""
    store = ctx.dues
    current = dc.current_period(ctx)
    year = int(current[:4])
    periods = dc.months_of_year(year)
    history = (await store.histories([member.id])).get(member.id, [])
    paid = {p.period: p.amount for p in await store.payments([member.id], periods)}
    excused = await store.excused([member.id], periods)
    lines = [texts.DUES_MINE_HEADER.format(year=year, name=member.full_name)]
    now_due = due_in(history, current)
    if now_due is None:
        lines.append(texts.DUES_MINE_NO_DUE)
    else:
        lines.append(texts.DUES_MINE_DUE.format(amount=format_money(now_due.amount)))
    if paid:
        months = ", ".join(str(int(p[5:])) for p in sorted(paid))
        lines.append(
            texts.DUES_MINE_PAID.format(months=months, total=format_money(sum(paid.values())))
        )
    else:
        lines.append(texts.DUES_MINE_PAID_NONE)
    unpaid = []
    for period in periods:
        due = due_in(history, period)
        owed = due is not None and due.amount > 0 and period <= current
        if owed and period not in paid and (member.id, period) not in excused:
            unpaid.append(str(int(period[5:])))
    if unpaid:
        lines.append(texts.DUES_MINE_UNPAID.format(months=", ".join(unpaid)))
    elif now_due is not None:
        lines.append(texts.DUES_MINE_ALL_PAID)
    if excused:
        months = ", ".join(str(int(p[5:])) for _, p in sorted(excused))
        lines.append(texts.DUES_MINE_EXCUSED.format(months=months))
    lines.append(texts.DUES_MINE_HOW)
    return Reply("\n".join(lines))
