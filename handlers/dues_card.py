"""Party dues: what the secretary or treasurer does on a member's card — record a payment (the
amount due, a typed amount, several months), withdraw it, excuse a month, change the amount due.

Every change re-checks that the member is still active in the cell the book is open for.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import wraps

from bot.core import texts
from bot.core.money import format_money
from bot.core.types import Incoming, Option, Reply, is_number
from handlers import dues_common as dc
from handlers import dues_sheet as sheet
from handlers.buttons import save_step
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.dues import due_in
from storage.members import Member

logger = logging.getLogger(__name__)

REASON_LIMIT = 200


async def member_in_cell(ctx: Ctx, conv: Conversation, raw: object) -> Member | None:
    """The member a payload or the conversation names, if still active in the cell."""
    text = str(raw)
    if not is_number(text):
        return None
    member = await ctx.members.get(int(text))
    if member is None or not member.active or member.unit_id != int(conv.data["unit_id"]):
        return None
    return member


async def carded(ctx: Ctx, conv: Conversation) -> Member | None:
    """The member whose card is open, if a card step is open and they are still in the cell."""
    if conv.step not in ("card", "amount", "reason", "due", "several"):
        return None
    return await member_in_cell(ctx, conv, conv.data.get("member_id"))


CardAction = Callable[
    [Incoming, Ctx, Who, Conversation, Member, tuple[str, ...]], Awaitable[list[Reply]]
]
CardHandler = Callable[[Incoming, Ctx, Who, Conversation, tuple[str, ...]], Awaitable[list[Reply]]]


def on_card(fn: CardAction) -> CardHandler:
    """An action on the open card, given its member; the stale-button answer when no card step
    is open or the member has left the cell."""

    @wraps(fn)
    async def run(
        msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
    ) -> list[Reply]:
        member = await carded(ctx, conv)
        if member is None:
            return [Reply(texts.STALE_BUTTON)]
        return await fn(msg, ctx, who, conv, member, args)

    return run


async def on_member(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
) -> list[Reply]:
    """A member's card for the book's month."""
    member = await member_in_cell(ctx, conv, args[0])
    if member is None:
        logger.warning(
            "dues card for member %r outside unit %s refused", args[0][:20], conv.data["unit_id"]
        )
        return [Reply(texts.DUES_OTHER_CELL)]
    conv.data["member_id"] = member.id
    conv.data.pop("amount", None)
    conv.data.pop("months", None)
    return [await sheet.card(ctx, await save_step(msg, ctx, conv, "card"), member)]


@on_card
async def on_pay(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Record the month paid (the amount due, or the amount typed) by the method pressed."""
    period = str(conv.data["period"])
    typed = conv.data.get("amount")
    if typed is not None:
        amount = int(typed)
    else:
        due = await dc.due_of(ctx, member.id, period)
        amount = due.amount if due is not None else 0
    if amount <= 0:
        return [Reply(texts.STALE_BUTTON)]
    method = dc.method_of(args[0])
    return await _record(msg, ctx, who, conv, member, [(period, amount)], method)


async def _record(
    msg: Incoming,
    ctx: Ctx,
    who: Who,
    conv: Conversation,
    member: Member,
    amounts: list[tuple[str, int]],
    method: str,
) -> list[Reply]:
    assert who.member is not None
    await ctx.dues.record(
        member.id,
        member.unit_id,
        amounts,
        method,
        dc.today(ctx).isoformat(),
        who.member.id,
        ctx.now(),
    )
    logger.info("dues of member %s recorded for %d month(s)", member.id, len(amounts))
    note = texts.DUES_RECORDED.format(
        name=member.full_name,
        amount=format_money(sum(a for _, a in amounts)),
        method=texts.DUES_METHODS[method],
        months=", ".join(dc.label(p) for p, _ in amounts),
    )
    for key in ("member_id", "amount", "months"):
        conv.data.pop(key, None)
    return [
        await sheet.checklist(ctx, await save_step(msg, ctx, conv, "list"), edit=True, note=note)
    ]


@on_card
async def on_other_amount(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Ask for another amount than the one due."""
    await save_step(msg, ctx, conv, "amount")
    ask = texts.DUES_ASK_AMOUNT.format(
        name=member.full_name, month=dc.label(str(conv.data["period"]))
    )
    return [Reply(ask, options=(dc.back_row(),), edit=True)]


@on_card
async def on_several(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Several months at once: the counts offered (0), or k months picked."""
    count = int(args[0])
    if count == 0:
        rows = [
            tuple(
                Option(texts.DUES_SEVERAL_BUTTON.format(count=k), dc.SHAPES.payload("n", k))
                for k in dc.SEVERAL[:2]
            ),
            tuple(
                Option(texts.DUES_SEVERAL_BUTTON.format(count=k), dc.SHAPES.payload("n", k))
                for k in dc.SEVERAL[2:]
            ),
            dc.back_row(),
        ]
        return [
            Reply(
                texts.DUES_ASK_SEVERAL.format(name=member.full_name), options=tuple(rows), edit=True
            )
        ]
    if count not in dc.SEVERAL:
        return [Reply(texts.STALE_BUTTON)]
    months = await _open_months(ctx, member, str(conv.data["period"]), count)
    if not months:
        return [Reply(texts.DUES_NOTHING_TO_PAY.format(name=member.full_name))]
    conv.data["months"] = months
    await save_step(msg, ctx, conv, "several")
    text = texts.DUES_SEVERAL_CONFIRM.format(
        name=member.full_name,
        count=len(months),
        months=", ".join(dc.label(p) for p, _ in months),
        total=format_money(sum(a for _, a in months)),
    )
    rows2: list[tuple[Option, ...]] = [
        (Option(texts.DUES_METHODS[m], dc.SHAPES.payload("q", dc.CODE_OF[m])),) for m in dc.METHODS
    ]
    rows2.append(dc.back_row())
    return [Reply(text, options=tuple(rows2), edit=True)]


async def _open_months(ctx: Ctx, member: Member, period: str, count: int) -> list[tuple[str, int]]:
    """The `count` earliest months from January of the book's year that the member owes, has
    not paid and is not excused from, up to `max_months_ahead` after the current month."""
    store = ctx.dues
    first = f"{period[:4]}-01"
    last = dc.shift(dc.current_period(ctx), ctx.config.dues.max_months_ahead)
    span = []
    month = first
    while month <= last:
        span.append(month)
        month = dc.shift(month, 1)
    history = (await store.histories([member.id])).get(member.id, [])
    paid = {p.period for p in await store.payments([member.id], span)}
    excused = await store.excused([member.id], span)
    found: list[tuple[str, int]] = []
    for month in span:
        due = due_in(history, month)
        if due is None or due.amount <= 0 or month in paid or (member.id, month) in excused:
            continue
        found.append((month, due.amount))
        if len(found) == count:
            break
    return found


@on_card
async def on_pay_several(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Record the several months picked, by the method pressed."""
    months = conv.data.get("months")
    if conv.step != "several" or not months:
        return [Reply(texts.STALE_BUTTON)]
    amounts = [(str(p), int(a)) for p, a in months]
    return await _record(msg, ctx, who, conv, member, amounts, dc.method_of(args[0]))


@on_card
async def on_withdraw(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Withdraw the month's payment (kept as history)."""
    assert who.member is not None
    period = str(conv.data["period"])
    done = await ctx.dues.withdraw(member.id, period, who.member.id, ctx.now())
    template = texts.DUES_WITHDRAWN if done else texts.DUES_NOT_PAID
    if done:
        logger.info("dues payment of member %s for %s withdrawn", member.id, period)
    note = template.format(name=member.full_name, month=dc.label(period))
    return [await sheet.card(ctx, await save_step(msg, ctx, conv, "card"), member, note=note)]


@on_card
async def on_excuse(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Excuse the month (a reason is asked for), or lift the excuse."""
    period = str(conv.data["period"])
    if await ctx.dues.unexcuse(member.id, period):
        note = texts.DUES_UNEXCUSED_DONE.format(name=member.full_name, month=dc.label(period))
        return [await sheet.card(ctx, await save_step(msg, ctx, conv, "card"), member, note=note)]
    await save_step(msg, ctx, conv, "reason")
    ask = texts.DUES_ASK_REASON.format(
        name=member.full_name, month=dc.label(period), limit=REASON_LIMIT
    )
    return [Reply(ask, options=(dc.back_row(),), edit=True)]


@on_card
async def on_change_due(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, args: tuple[str, ...]
) -> list[Reply]:
    """Change the member's amount due: typed, or from a category."""
    await save_step(msg, ctx, conv, "due")
    ask = texts.DUES_ASK_DUE.format(name=member.full_name, month=dc.label(str(conv.data["period"])))
    rows = [*dc.category_options(ctx), dc.back_row()]
    return [Reply(ask, options=tuple(rows), edit=True)]
