"""/thongbao: a secretary types a notice, confirms, and every linked member of the cell gets it."""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace

from bot.core import texts
from bot.core.types import Incoming, Option, Reply
from handlers import cell_pick
from handlers.buttons import Action, Buttons, Press
from handlers.context import Ctx, Who, refusal
from storage.conversations import Conversation

logger = logging.getLogger(__name__)

KIND = "notice"
# Room is left for the header and signature within Telegram's 4,096 and Zalo's split parts.
BODY_LIMIT = 3000


async def on_notice(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Start the notice conversation for the cell the sender leads. Someone leading several
    cells (or an administrator) is asked which cell first, unless named (`/thongbao Phú Lợi`)."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return await _ask_text(msg, ctx, chosen.id)


async def _ask_text(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    """Open the notice conversation for the cell and ask for the notice's text."""
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(KIND, "text", {"unit_id": unit.id}), ctx.now()
    )
    return [Reply(texts.NOTICE_ASK_TEXT.format(unit=unit.name, limit=BODY_LIMIT), edit=edit)]


async def on_notice_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The notice body arrives: check it and ask for confirmation."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.step != "text":
        # Waiting for a button press: remind of the open question.
        return [Reply(texts.STALE_BUTTON)] if conv is None else await _reconfirm(msg, ctx, conv)
    body = msg.text.strip()
    if msg.file is not None or not body:
        return [Reply(texts.NOTICE_EMPTY)]
    if len(body) > BODY_LIMIT:
        return [Reply(texts.TOO_LONG.format(limit=BODY_LIMIT))]
    unit = await ctx.units.get(int(conv.data["unit_id"]))
    if unit is None or not who.leads(unit.id):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [refusal(who)]
    recipients = await ctx.members.recipients_in(unit.id)
    linked = sum(1 for r in recipients if r.account is not None)
    if linked == 0:
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [Reply(texts.NOTICE_NOBODY.format(unit=unit.name))]
    nonce = secrets.token_hex(4)
    data = {"unit_id": unit.id, "body": body, "nonce": nonce}
    conv = Conversation(KIND, "confirm", data)
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return await _reconfirm(msg, ctx, conv)


async def _reconfirm(msg: Incoming, ctx: Ctx, conv: Conversation) -> list[Reply]:
    unit = await ctx.units.get(int(conv.data["unit_id"]))
    assert unit is not None
    recipients = await ctx.members.recipients_in(unit.id)
    linked = sum(1 for r in recipients if r.account is not None)
    unlinked = len(recipients) - linked
    note = texts.NOTICE_UNLINKED_NOTE.format(unlinked=unlinked) if unlinked else ""
    nonce = conv.data["nonce"]
    return [
        Reply(
            texts.NOTICE_CONFIRM.format(
                linked=linked, unit=unit.name, unlinked_note=note, body=conv.data["body"]
            ),
            options=(
                (
                    Option(texts.NOTICE_SEND, BUTTONS.payload("send", nonce)),
                    Option(texts.NOTICE_CANCEL, BUTTONS.payload("cancel", nonce)),
                ),
            ),
        )
    ]


async def _confirming(msg: Incoming, ctx: Ctx, press: Press) -> Conversation | None:
    """The open notice awaiting confirmation, if the payload's nonce is its own."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND or conv.step != "confirm":
        return None
    return conv if conv.data.get("nonce") == press.word(0) else None


async def _cancel(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    if await _confirming(msg, ctx, press) is None:
        return [Reply(texts.STALE_BUTTON)]
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.CANCELLED, edit=True)]


async def _send(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """ "Gửi" under the confirmation: the notice goes to every linked member of the cell."""
    conv = await _confirming(msg, ctx, press)
    if conv is None:
        return [Reply(texts.STALE_BUTTON)]
    unit_id = int(conv.data["unit_id"])
    unit = await ctx.units.get(unit_id)
    # Roles may have changed since the conversation started: check again.
    if unit is None or who.member is None or not who.leads(unit_id):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [replace(refusal(who), edit=True)]
    recipients = [r for r in await ctx.members.recipients_in(unit_id) if r.account is not None]
    reply = Reply(
        texts.NOTICE_MESSAGE.format(
            unit=unit.name, body=conv.data["body"], sender=who.member.full_name
        )
    )
    notice_id = await ctx.notices.create(
        unit_id=unit_id,
        sender_member_id=who.member.id,
        body=conv.data["body"],
        messages=[
            (r.member.id, r.account.channel, r.account.chat_id) for r in recipients if r.account
        ],
        reply=reply,
        now=ctx.now(),
        conversation=(msg.channel, msg.user_id),
    )
    ctx.wake_outbox()
    logger.info("notice %s queued for %d members of unit %s", notice_id, len(recipients), unit_id)
    return [Reply(texts.NOTICE_QUEUED.format(count=len(recipients)), edit=True)]


# ntc:<send|cancel>:<nonce>: the nonce ties the press to the open confirmation;
# ntc:u:<unit>: the cell picked by someone leading several (`cell_pick`).
BUTTONS = Buttons(
    "ntc",
    {
        "u": Action(cell_pick.on_cell(_ask_text), "i"),
        "send": Action(_send, "s"),
        "cancel": Action(_cancel, "s"),
    },
)
