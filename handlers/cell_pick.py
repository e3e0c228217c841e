"""Which cell a command acts on, for someone who leads several cells or an administrator.

`/nghiphep` and `/giaoviec` ask instead of acting on the first cell: a button per cell
(the feature's "u" action), or the cell named after the command (`/nghiphep Tân Thành`, or its code).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

from bot.core import texts
from bot.core.textnorm import fold, vi_sort_key
from bot.core.types import Incoming, Option, Reply
from handlers.buttons import ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who, refusal, secretaries_only
from storage.units import Unit

# Cell buttons under the question; more are reached by naming the cell after the command.
MAX_BUTTONS = 30


async def cells_for(ctx: Ctx, who: Who, ids: list[int] | None = None) -> list[Unit]:
    """The cells the person may act on: those they lead (or those of `ids`, e.g. the dues books
    they keep; their own first), then, for an administrator, every cell under the units they
    administer, by name."""
    ids = who.led_unit_ids() if ids is None else ids
    led = [u for u in [await ctx.units.get(i) for i in ids] if u is not None]
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


async def choose(
    ctx: Ctx,
    who: Who,
    args: str,
    buttons: Buttons,
    *extra: int | str,
    among: list[Unit] | None = None,
    action: str = "u",
) -> Unit | Reply:
    """The one cell to act on, or the reply that asks which (or says none matched): a button
    per cell, `action` with the cell then `extra` (e.g. the year /tongket is about). The cells
    are `among`, else those of `cells_for`."""
    cells = await cells_for(ctx, who) if among is None else among
    # Words after the command name a cell only for someone with a choice to make: a leader of
    # one cell typing `/thongbao họp tối nay` is not told that no cell is called that.
    if args.strip() and len(cells) > 1:
        named = matching(cells, args)
        if not named:
            return Reply(texts.PICK_CELL_NONE.format(query=args.strip()))
        cells = named
    if not cells:
        return secretaries_only()
    if len(cells) == 1:
        return cells[0]
    rows = tuple(
        (Option(c.name, buttons.payload(action, c.id, *extra)),) for c in cells[:MAX_BUTTONS]
    )
    text = texts.PICK_CELL
    if len(cells) > MAX_BUTTONS:
        text += "\n" + texts.PICK_CELL_MORE.format(shown=MAX_BUTTONS, count=len(cells))
    return Reply(text, options=rows)


class CellOpener(Protocol):
    """What a feature does with the cell chosen: open its first step there."""

    def __call__(
        self, msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False
    ) -> Awaitable[list[Reply]]: ...


def on_cell(open_in: CellOpener) -> ButtonHandler:
    """The feature's "u" action: the cell pressed, once the person leads it, opened in place of
    the question."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        unit = await led_cell(ctx, who, press.num(0))
        if isinstance(unit, Reply):
            return [unit]
        return await open_in(msg, ctx, unit.id, edit=True)

    return run
