"""Party dues on the committees' web dashboard: two figures per cell and period, registered in
`handlers.dashboard.EXTRA_FIGURES` (the tables and exports add a column for each)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core import texts
from handlers.context import Ctx
from handlers.dashboard import EXTRA_FIGURES, ExtraFigure
from handlers.dues_year import CellBook, year_books


@dataclass
class _Recent:
    """The last books computed for the dashboard: its two dues figures read the same books."""

    key: tuple[tuple[int, ...], int] | None = None
    at: datetime | None = None
    books: dict[int, CellBook] = field(default_factory=dict)


_RECENT = _Recent()
_FRESH = timedelta(seconds=5)


async def _period_books(
    ctx: Ctx, cells: Sequence[int], start: datetime, end: datetime
) -> tuple[dict[int, CellBook], list[int]]:
    """The books of the year `start` falls in, and the month indexes of [start, end)."""
    tz = ctx.config.general.tz
    first, last = start.astimezone(tz), (end - timedelta(seconds=1)).astimezone(tz)
    months = list(range(first.month - 1, last.month if last.year == first.year else 12))
    key, now = (tuple(cells), first.year), ctx.now()
    if _RECENT.key != key or _RECENT.at is None or now - _RECENT.at > _FRESH:
        _RECENT.key, _RECENT.at = key, now
        _RECENT.books = await year_books(ctx, list(cells), first.year)
    return _RECENT.books, months


async def members_paid(
    ctx: Ctx, cells: Sequence[int], start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    """Per cell: members who paid every month they owed in the period / members who owed."""
    books, months = await _period_books(ctx, cells, start, end)
    found = {}
    for cid, book in books.items():
        owing = [m for m in book.members if any(m.owed[i] for i in months)]
        paid = sum(1 for m in owing if all(m.paid[i] or not m.owed[i] for i in months))
        found[cid] = (paid, len(owing))
    return found


async def collected_share(
    ctx: Ctx, cells: Sequence[int], start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    """Per cell: đồng collected / đồng due in the period's months."""
    books, months = await _period_books(ctx, cells, start, end)
    return {
        cid: (sum(b.collected[i] for i in months), sum(b.expected[i] for i in months))
        for cid, b in books.items()
    }


EXTRA_FIGURES.extend(
    [
        ExtraFigure("dues_members", texts.COL_DUES_MEMBERS, members_paid),
        ExtraFigure("dues_collected", texts.COL_DUES_COLLECTED, collected_share),
    ]
)
