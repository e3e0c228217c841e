"""/tongket: the year's evidence (`year_view`), then the same figures as a chart (`web`).

A leader of several cells (or an administrator) is asked which cell, as in the other secretary
commands (`cell_pick`), unless named after the year or alone (`/tongket 2025 Phú Lợi`,
`/tongket Phú Lợi`); the chart follows the cell picked. A committee member's cells come after,
one line each, whatever the cell.
"""

from __future__ import annotations

from bot.core import texts
from bot.core.types import Incoming, Reply
from handlers import cell_pick, web, year_view
from handlers.buttons import Action, Buttons, Press
from handlers.context import Ctx, Who


async def on_tongket(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The leader's cell in detail (or the question which cell), the committee's cells one line
    each, and the chart of the cell (of the committee's unit for someone leading no cell)."""
    year, named = year_view.year_and_rest(ctx, msg.args)
    replies: list[Reply] = []
    chart_unit = None
    if who.led_unit_ids():
        chosen = await cell_pick.choose(ctx, who, named, BUTTONS, year)
        if isinstance(chosen, Reply):
            replies.append(chosen)
        else:
            replies += [Reply(p) for p in await year_view.cell_parts(ctx, chosen, year)]
            chart_unit = chosen.id
    else:
        chart_unit = web.committee_unit(who)
    replies += [Reply(p) for p in await year_view.committee_parts(ctx, who, year)]
    if not replies:
        return [Reply(texts.NO_PERMISSION.format(role=texts.YEAR_ROLE))]
    if chart_unit is not None:
        replies += await web.chart(msg, ctx, who, chart_unit, year)
    return replies


async def _cell_chosen(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """yv:u:<unit>:<year>: the cell picked from the question, in detail in its place, then its
    chart; a forged cell is refused with nothing shown."""
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    year, _ = year_view.year_and_rest(ctx, str(press.num(1)))
    parts = await year_view.cell_parts(ctx, unit, year)
    replies = [Reply(p, edit=n == 0) for n, p in enumerate(parts)]
    return replies + await web.chart(msg, ctx, who, unit.id, year)


BUTTONS = Buttons("yv", {"u": Action(_cell_chosen, "ii")})
