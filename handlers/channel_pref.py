"""/kenh: a member with both Telegram and Zalo chooses where reminders, notices and bulletins go."""

from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.core import CHANNELS, Incoming, Option, Reply, single_column
from bot.textnorm import fold
from bot.timefmt import format_date
from handlers.buttons import Action, Buttons, Press
from handlers.context import Ctx, Who


def _name(channel: str) -> str:
    return texts.ZALO_CHANNEL_NAMES.get(channel, channel)


async def on_kenh(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Show where messages go now and offer the member's linked apps (`/kenh zalo` sets it)."""
    assert who.member is not None
    accounts = await ctx.members.accounts_of(who.member.id)
    current = _name(accounts[0].channel) if accounts else ""
    linked: list[str] = [c for c in CHANNELS if any(a.channel == c for a in accounts)]
    wanted = fold(msg.args).replace(" ", "")
    if wanted:
        return await _choose(ctx, who, wanted, linked)
    if len(linked) < 2:
        return await _offer_other(ctx, who, current, linked)
    options = [Option(_name(c), BUTTONS.payload("", c)) for c in linked]
    return [Reply(texts.CHANNEL_PREF_ASK.format(current=current), options=single_column(*options))]


async def _offer_other(ctx: Ctx, who: Who, current: str, linked: list[str]) -> list[Reply]:
    """Only one app linked: a personal one-time code to link the other one as well."""
    assert who.member is not None
    other = next((c for c in CHANNELS if c not in linked), CHANNELS[0])
    valid_for = timedelta(days=ctx.config.invites.valid_days)
    codes = await ctx.invites.ensure_for([who.member.id], ctx.now(), valid_for)
    expires = format_date(ctx.now() + valid_for, ctx.config.general.tz)
    text = texts.CHANNEL_PREF_ONLY_ONE.format(
        current=current, other=_name(other), code=codes[who.member.id], expires=expires
    )
    return [Reply(text)]


async def _chosen(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """The chosen app, re-checked against the member's accounts."""
    assert who.member is not None
    accounts = await ctx.members.accounts_of(who.member.id)
    linked: list[str] = [c for c in CHANNELS if any(a.channel == c for a in accounts)]
    return await _choose(ctx, who, press.word(0), linked)


async def _choose(ctx: Ctx, who: Who, channel: str, linked: list[str]) -> list[Reply]:
    assert who.member is not None
    if channel not in CHANNELS:
        return [Reply(texts.STALE_BUTTON)]
    if channel not in linked:
        return [Reply(texts.CHANNEL_PREF_NOT_LINKED.format(channel=_name(channel)))]
    await ctx.channel_prefs.set(who.member.id, channel, ctx.now())
    return [Reply(texts.CHANNEL_PREF_SET.format(channel=_name(channel)), edit=True)]


# kn:<channel>: the one action of /kenh is choosing an app.
BUTTONS = Buttons("kn", {"": Action(_chosen, "s")})
