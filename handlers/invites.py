"""/moi: invite links for the members of the secretary's cell who have not linked an account."""

from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.core import Incoming, Reply
from bot.timefmt import format_date
from handlers.context import Ctx, Who, secretaries_only
from storage.units import Unit


def invite_link(bot_username: str, code: str) -> str:
    """The Telegram deep link that redeems `code`."""
    return f"https://t.me/{bot_username}?start={code}"


async def on_invites(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Send the secretary one personal link per unlinked member of their cell."""
    led = who.led_unit_ids()
    if not led:
        return [secretaries_only()]
    replies = []
    for unit_id in led:
        unit = await ctx.units.get(unit_id)
        if unit is not None:
            replies.extend(await _unit_invites(ctx, unit))
    return replies


async def _unit_invites(ctx: Ctx, unit: Unit) -> list[Reply]:
    member_ids = await ctx.invites.unlinked_members([unit.id])
    if not member_ids:
        return [Reply(texts.INVITES_NONE.format(unit=unit.name))]
    valid_for = timedelta(days=ctx.config.invites.valid_days)
    codes = await ctx.invites.ensure_for(member_ids, ctx.now(), valid_for)
    members = [m for m in await ctx.members.in_unit(unit.id) if m.id in codes]
    expires = format_date(ctx.now() + valid_for, ctx.config.general.tz)
    zalo = ctx.config.zalo
    zalo_link = texts.INVITES_ZALO_LINK.format(link=zalo.bot_link) if zalo.bot_link else ""
    if not ctx.bot_username:
        # Zalo only: the code is what a member sends to Chibo on Zalo.
        lines = [
            texts.INVITES_ZALO_ONLY_HEADER.format(
                count=len(members), unit=unit.name, expires=expires, link=zalo_link
            )
        ]
        lines += [
            texts.INVITES_ZALO_LINE.format(name=m.full_name, code=codes[m.id]) for m in members
        ]
        lines.append(texts.INVITES_FOOTER_CODES)
        return [Reply("\n".join(lines))]
    # Both apps: each line also gives the code itself, which a Zalo member sends as it is.
    both = bool(zalo.token or zalo.bot_link)
    line = texts.INVITES_LINE_BOTH if both else texts.INVITES_LINE
    lines = [texts.INVITES_HEADER.format(count=len(members), unit=unit.name, expires=expires)]
    lines += [
        line.format(
            name=m.full_name, link=invite_link(ctx.bot_username, codes[m.id]), code=codes[m.id]
        )
        for m in members
    ]
    lines.append(texts.INVITES_FOOTER)
    if both:
        lines.append(texts.INVITES_ZALO_BOTH.format(link=zalo_link))
    return [Reply("\n".join(lines))]
