"""Which cell a command acts on, for someone who leads several cells or an administrator.

`/nghiphep` and `/giaoviec` ask instead of acting on the first cell: a button per cell
(the feature's "u" action), or the cell named after the command (`/nghiphep Tân Thành`, or its code).
"""

from __future__ import annotations

from bot.core import texts
from bot.core.textnorm import fold, vi_sort_key
from bot.core.types import Option, Reply
from handlers.buttons import Buttons
from handlers.context import Ctx, Who, refusal, secretaries_only
from storage.units import Unit

# Cell buttons under the question; more are reached by naming the cell after the command.
MAX_BUTTONS = 30


async def cells_for(ctx: Ctx, who: Who) -> list[Unit]:
    """The cells the person may act on: those they lead (their own first), then, for an
    administrator, every cell under the units they administer, by name."""
    led = [u for u in [await ctx.units.get(i) for i in who.led_unit_ids()] if u is not None]
    found = {u.id: u for u in led}
    extra: dict[int, Unit] = {}
    for role in who.roles:
        if role.role == "admin":
            for cell in await ctx.units.cells_under(role.unit_id):
                if cell.id not in found:
                    extra[cell.id] = cell
    return led + sorted(extra.values(), key=lambda u: vi_sort_key(u.name))


def matching(cells: list[Unit], query: str) -> list[Unit]:
    """Cells whose code is the query or whose name contains it (no diacritics needed)."""
    key = fold(query)
    exact = [c for c in cells if fold(c.code) == key]
    return exact or [c for c in cells if key in fold(c.name)]


async def led_cell(ctx: Ctx, who: Who, unit_id: int) -> Unit | Reply:
    """The cell a pressed button names, if the person leads it; else the polite refusal (a
    forged or outdated button changes nothing)."""
    unit = await ctx.units.get(unit_id)
    if unit is None or not unit.is_cell:
        return Reply(texts.STALE_BUTTON)
    if not who.leads(unit.id):
        return refusal(who)
    return unit


async def choose(ctx: Ctx, who: Who, args: str, buttons: Buttons) -> Unit | Reply:
    """The one cell to act on, or the reply that asks which (or says none matched)."""
    cells = await cells_for(ctx, who)
    if args.strip():
        named = matching(cells, args)
        if not named:
            return Reply(texts.PICK_CELL_NONE.format(query=args.strip()))
        cells = named
    if not cells:
        return secretaries_only()
    if len(cells) == 1:
        return cells[0]
    rows = tuple((Option(c.name, buttons.payload("u", c.id)),) for c in cells[:MAX_BUTTONS])
    text = texts.PICK_CELL
    if len(cells) > MAX_BUTTONS:
        text += "\n" + texts.PICK_CELL_MORE.format(shown=MAX_BUTTONS, count=len(cells))
    return Reply(text, options=rows)
