"""/web: a personal one-time link to the dashboard; the chart image that follows /tongket."""

from __future__ import annotations

from datetime import timedelta

from bot.core import texts
from bot.core.types import Incoming, Reply
from handlers.context import Ctx, Who
from handlers.dashboard import viewer_roots

# Who may open the dashboard: anyone with a role.
ROLES = ("admin", "propaganda", "committee", "secretary", "deputy")


async def on_web(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """A single-use sign-in link for this person, tied to the app it was asked from."""
    web = ctx.config.web
    if not web.public_url or who.member is None:
        return [Reply(texts.WEB_OFF)]
    now = ctx.now()
    token = await ctx.web_access.create_link(
        who.member.id, msg.channel, now, now + timedelta(minutes=web.link_minutes)
    )
    url = f"{web.public_url.rstrip('/')}/vao/{token}"
    return [
        Reply(texts.WEB_LINK.format(url=url, minutes=web.link_minutes, hours=web.session_hours))
    ]


def committee_unit(who: Who) -> int | None:
    """The unit a committee member's (or administrator's) chart is about."""
    wide = sorted({r.unit_id for r in who.roles if r.role in ("committee", "propaganda", "admin")})
    return wide[0] if wide else None


async def chart(msg: Incoming, ctx: Ctx, who: Who, unit_id: int, year: int) -> list[Reply]:
    """The chart image that follows /tongket: the unit's figures over the year, as the person
    may see them (nothing when charts are off or there is nothing to draw)."""
    if ctx.chart_photo is None:
        return []
    photo = await ctx.chart_photo(msg.channel, unit_id, await viewer_roots(ctx, who), year)
    if photo is None:
        return []
    unit = await ctx.units.get(unit_id)
    name = unit.name if unit is not None else ""
    return [Reply(texts.CHART_CAPTION.format(year=year, unit=name), photo=photo)]
