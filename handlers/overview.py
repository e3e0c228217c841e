"""/chibo: the secretary's overview of a cell, its meetings then its bulletin reads.

Someone leading several cells (or an administrator) is asked which cell, like the other
secretary commands (`cell_pick`), rather than shown every cell at once: each cell's overview is
two messages, the second with its own «Nhắc đọc» button, so several cells in a row would be a
long scroll of look-alike messages whose buttons are easy to press for the wrong cell, and an
administrator may reach dozens of cells. The cell may be named after the command
(`/chibo Phú Lợi`).
"""

from __future__ import annotations

from bot.core.types import Incoming, Reply
from handlers import bulletin_read, cell_pick, meetings
from handlers.buttons import Action, Buttons
from handlers.context import Ctx, Who


async def on_chibo(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The overview of the one cell the sender leads, or the question which cell."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return await _overview(msg, ctx, chosen.id)


async def _overview(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    """The cell's meetings (in place of the question when picked), then its bulletin reads."""
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    return [
        await meetings.overview(ctx, unit, edit=edit),
        await bulletin_read.cell_section(ctx, unit.id),
    ]


# cb:u:<unit>: the cell picked by someone leading several (`cell_pick`).
BUTTONS = Buttons("cb", {"u": Action(cell_pick.on_cell(_overview), "i")})
