"""Party dues: what the secretary or treasurer types into the book — an amount paid, the reason
for excusing a month, a new amount due (or a [dues] category picked for it)."""

from __future__ import annotations

import logging

from bot.core import texts
from bot.core.money import format_money
from bot.core.types import Incoming, Reply
from handlers import dues_card as card
from handlers import dues_common as dc
from handlers import dues_sheet as sheet
from handlers.buttons import save_step
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.dues import Due
from storage.members import Member

logger = logging.getLogger(__name__)

REASON_LIMIT = card.REASON_LIMIT


async def on_category(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, args: tuple[str, ...]
) -> list[Reply]:
    """The amount due set from a category of [dues] categories."""
    member = await card.carded(ctx, conv)
    categories = list(ctx.config.dues.category_amounts().items())
    index = int(args[0])
    if member is None or conv.step != "due" or index >= len(categories):
        return [Reply(texts.STALE_BUTTON)]
    name, amount = categories[index]
    return await _set_due(msg, ctx, who, conv, member, dc.AmountInput(amount, name))


async def _set_due(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, found: dc.AmountInput
) -> list[Reply]:
    assert who.member is not None and found.amount is not None
    period = str(conv.data["period"])
    await ctx.dues.set_amount(
        member.id, Due(period, found.amount, found.category), who.member.id, ctx.now()
    )
    logger.info("dues amount of member %s changed from %s", member.id, period)
    note = texts.DUES_DUE_SET.format(
        name=member.full_name, month=dc.label(period), amount=format_money(found.amount)
    )
    conv.data.pop("amount", None)
    shown = await sheet.card(ctx, await save_step(msg, ctx, conv, "card"), member, note=note)
    # Typed text is answered with a new message (there is no button message to edit).
    return [Reply(shown.text, options=shown.options)]


async def on_text(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation) -> list[Reply]:
    """Typed text in a step that waits for it: an amount paid, a reason, an amount due."""
    member = await card.carded(ctx, conv)
    text = " ".join(msg.text.split())
    if member is None or conv.step not in ("amount", "reason", "due"):
        return [Reply(texts.DUES_WAITING)]
    if conv.step == "reason":
        return await _reason(msg, ctx, who, conv, member, text)
    found = dc.read_amount(ctx, text, allow_zero=conv.step == "due", categories=conv.step == "due")
    if found.error is not None:
        return [Reply(found.error)]
    if conv.step == "due":
        return await _set_due(msg, ctx, who, conv, member, found)
    conv.data["amount"] = found.amount
    shown = await sheet.card(ctx, await save_step(msg, ctx, conv, "card"), member)
    return [Reply(shown.text, options=shown.options)]


async def _reason(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, member: Member, text: str
) -> list[Reply]:
    assert who.member is not None
    if not text:
        return [Reply(texts.DUES_REASON_EMPTY.format(limit=REASON_LIMIT))]
    if len(text) > REASON_LIMIT:
        return [Reply(texts.DUES_REASON_LONG.format(limit=REASON_LIMIT))]
    period = str(conv.data["period"])
    done = await ctx.dues.excuse(member.id, period, text, who.member.id, ctx.now())
    template = texts.DUES_EXCUSED_DONE if done else texts.DUES_EXCUSE_PAID
    if done:
        logger.info("dues of member %s excused for %s", member.id, period)
    note = template.format(name=member.full_name, month=dc.label(period), reason=text)
    shown = await sheet.card(ctx, await save_step(msg, ctx, conv, "card"), member, note=note)
    # Typed text is answered with a new message (there is no button message to edit).
    return [Reply(shown.text, options=shown.options)]
