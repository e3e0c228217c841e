"""/web: a personal one-time link to the dashboard; the chart image that follows /tongket."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot import texts
from bot.core import Incoming, Reply, is_number
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


def home_unit(who: Who) -> int | None:
    """The unit a person's summary is about: the cell they lead, else their committee's unit."""
    led = who.led_unit_ids()
    if led:
        return led[0]
    wide = sorted({r.unit_id for r in who.roles if r.role in ("committee", "propaganda", "admin")})
    return wide[0] if wide else None


Handler = Callable[[Incoming, Ctx, Who], Awaitable[list[Reply]]]


def with_chart(handler: Handler) -> Handler:
    """Wrap /tongket: after its text, the same year's figures as one chart image."""

    async def wrapped(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
        replies: list[Reply] = await handler(msg, ctx, who)
        unit_id = home_unit(who)
        if ctx.chart_photo is None or unit_id is None:
            return replies
        now_year = ctx.now().astimezone(ctx.config.general.tz).year
        arg = msg.args
        year = int(arg) if is_number(arg) and 2000 <= int(arg) <= now_year else now_year
        photo = await ctx.chart_photo(msg.channel, unit_id, await viewer_roots(ctx, who), year)
        if photo is None:
            return replies
        unit = await ctx.units.get(unit_id)
        name = unit.name if unit is not None else ""
        return [*replies, Reply(texts.CHART_CAPTION.format(year=year, unit=name), photo=photo)]

    return wrapped
