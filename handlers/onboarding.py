"""/start <code>: link a chat account to its roster entry; /huy: leave a conversation."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from bot.core import texts
from bot.core.types import Incoming, Reply
from handlers.bulletin_read import serve_current
from handlers.context import Ctx, Who
from storage.invites import LockoutPolicy, Redeem, looks_like_code

logger = logging.getLogger(__name__)

# Telegram's deep-link payload: at most 64 of A-Za-z0-9_-.
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def is_bare_code(msg: Incoming) -> bool:
    """A stranger typed just the code from the printed sheet."""
    return msg.command is None and msg.payload is None and looks_like_code(msg.text)


def _policy(ctx: Ctx) -> LockoutPolicy:
    cfg = ctx.config.invites
    return LockoutPolicy(
        max_failures=cfg.max_failures,
        window=timedelta(minutes=cfg.failure_window_minutes),
        lockout=timedelta(minutes=cfg.lockout_minutes),
    )


def menu_commands(who: Who) -> list[tuple[str, str]]:
    """This person's command menu (imported late: the route table imports this module)."""
    from handlers import menu_commands as build

    return build(who)


async def on_start(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Greet, or redeem the invite code given with /start (or typed alone)."""
    code = msg.args if msg.command else msg.text.strip()
    if not code:
        if who.member is not None and who.unit is not None:
            return [Reply(texts.WELCOME_BACK.format(name=who.member.full_name, unit=who.unit.name))]
        return [Reply(texts.STRANGER)]
    if not _PAYLOAD.match(code):
        code = "-"  # still counted as a wrong attempt, never looked up as given
    result = await ctx.invites.redeem(
        code,
        channel=msg.channel,
        user_id=msg.user_id,
        chat_id=msg.chat_id,
        now=ctx.now(),
        policy=_policy(ctx),
    )
    if result.outcome in (Redeem.LINKED, Redeem.ALREADY_LINKED):
        member = await ctx.members.get(result.member_id or 0)
        unit = await ctx.units.get(member.unit_id) if member else None
        if member is None or unit is None:
            return [Reply(texts.STRANGER)]
        if result.outcome is Redeem.ALREADY_LINKED:
            return [Reply(texts.ALREADY_LINKED.format(name=member.full_name, unit=unit.name))]
        logger.info("member %s linked %s account %s", member.id, msg.channel, msg.user_id)
        # A late joiner gets the current bulletin at once.
        await serve_current(ctx, member.id)
        roles = tuple(await ctx.members.roles(member.id))
        menu = tuple(menu_commands(Who(member=member, unit=unit, roles=roles))) if roles else ()
        return [Reply(texts.WELCOME.format(name=member.full_name, unit=unit.name), menu=menu)]
    logger.info("invite refused for %s user %s: %s", msg.channel, msg.user_id, result.outcome.value)
    if result.outcome is Redeem.LOCKED:
        return [Reply(texts.INVITE_LOCKED.format(minutes=ctx.config.invites.lockout_minutes))]
    if result.outcome is Redeem.EXPIRED:
        return [Reply(texts.INVITE_EXPIRED)]
    if result.outcome in (Redeem.USED, Redeem.MEMBER_TAKEN):
        return [Reply(texts.INVITE_USED)]
    return [Reply(texts.INVITE_INVALID)]


async def on_cancel(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Leave whatever conversation is open."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None:
        return [Reply(texts.NOTHING_TO_CANCEL)]
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.CANCELLED)]
