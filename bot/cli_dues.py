"""`chibo dues export`: the dues book (sổ thu nộp đảng phí) of a cell, or of every cell under a
committee (one sheet per cell plus a summary), as .xlsx with numbers as numbers and dates as
dates. Written in openpyxl's write-only mode, so a province's book streams to disk."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot import texts
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.textnorm import vi_sort_key
from handlers.context import Ctx
from handlers.dues_year import CellBook, year_books
from storage.db import Database
from storage.units import Unit

_BOLD = Font(bold=True)
MONEY = "#,##0"
DATE = "DD/MM/YYYY"
# Characters Excel refuses in a sheet title.
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


async def dues_export(
    config: Config, unit_code: str, year: str, path: Path, *, clock: Clock | None = None
) -> int:
    """Write the dues book of the year; 1 for an unknown unit, 2 for a bad year."""
    if not re.fullmatch(r"20\d\d", year):
        print(texts.CLI_DUES_BAD_YEAR, file=sys.stderr)
        return 2
    db = await Database.open(config.db_path)
    ctx = Ctx.build(db, config, clock or SystemClock())
    try:
        unit = await ctx.units.by_code(unit_code)
        if unit is None:
            print(texts.CLI_UNIT_UNKNOWN.format(code=unit_code), file=sys.stderr)
            return 1
        cells = [unit] if unit.is_cell else await ctx.units.cells_under(unit.id)
        books = await year_books(ctx, [c.id for c in cells], int(year))
    finally:
        await db.close()
    write_book(path, int(year), cells, books, config.dues.keep_percent, summary=not unit.is_cell)
    members = sum(len(b.members) for b in books.values())
    print(texts.CLI_DUES_WRITTEN.format(year=year, cells=len(cells), members=members, path=path))
    return 0


def write_book(
    path: Path,
    year: int,
    cells: list[Unit],
    books: dict[int, CellBook],
    percent: int,
    *,
    summary: bool,
) -> None:
    """The workbook: a summary sheet first for a committee, then one sheet per cell."""
    book = openpyxl.Workbook(write_only=True)
    if summary:
        _summary(book.create_sheet(texts.DUES_EXPORT_SUMMARY), cells, books, percent)
    used: set[str] = set()
    for cell in cells:
        _cell_sheet(book.create_sheet(_title(cell, used)), year, cell, books[cell.id], percent)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _title(cell: Unit, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", cell.code)[:28] or "CB"
    title, n = base, 1
    while title.casefold() in used:
        n += 1
        title = f"{base}~{n}"
    used.add(title.casefold())
    return title


def _bold(ws: WriteOnlyWorksheet, values: Sequence[object]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def _money(ws: WriteOnlyWorksheet, value: int | None, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = MONEY
    if bold:
        cell.font = _BOLD
    return cell


def _cell_sheet(
    ws: WriteOnlyWorksheet, year: int, unit: Unit, book: CellBook, percent: int
) -> None:
    months = [texts.DUES_EXPORT_MONTH.format(month=m) for m in range(1, 13)]
    headers = [
        *texts.DUES_EXPORT_HEADERS,
        *months,
        texts.DUES_EXPORT_TOTAL,
        texts.DUES_EXPORT_LAST_PAID,
        texts.DUES_EXPORT_UNPAID,
        texts.DUES_EXPORT_EXCUSED,
    ]
    widths = [6, 30, 16, 14, *([11] * 12), 16, 14, 12, 16]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "E3"
    ws.append(_bold(ws, [texts.DUES_EXPORT_TITLE.format(year=year, unit=unit.name)]))
    ws.append(_bold(ws, headers))
    rows = sorted(book.members, key=lambda m: vi_sort_key(m.member.full_name))
    for number, row in enumerate(rows, start=1):
        last = WriteOnlyCell(ws, value=row.last_paid)
        last.number_format = DATE
        ws.append(
            [
                number,
                row.member.full_name,
                row.member.card_no or "",
                _money(ws, row.due_now),
                *(_money(ws, amount) for amount in row.paid),
                _money(ws, row.total),
                last,
                row.unpaid,
                ", ".join(str(m) for m in row.excused),
            ]
        )
    totals = [
        (texts.DUES_EXPORT_ROW_TOTAL, book.collected),
        (texts.DUES_EXPORT_ROW_KEPT.format(percent=percent), book.kept(percent)),
        (texts.DUES_EXPORT_ROW_REMITTED, book.remitted(percent)),
    ]
    for name, amounts in totals:
        label = WriteOnlyCell(ws, value=name)
        label.font = _BOLD
        ws.append(
            [
                None,
                label,
                None,
                None,
                *(_money(ws, a, bold=True) for a in amounts),
                _money(ws, sum(amounts), bold=True),
            ]
        )


def _summary(
    ws: WriteOnlyWorksheet, cells: list[Unit], books: dict[int, CellBook], percent: int
) -> None:
    for index, width in enumerate((14, 36, 12, 18, 18, 16, 16, 16), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append(_bold(ws, list(texts.DUES_EXPORT_SUMMARY_HEADERS)))
    sums = [0, 0, 0, 0, 0, 0]
    for cell in cells:
        book = books[cell.id]
        kept = sum(book.kept(percent))
        figures = [
            len(book.members),
            book.total,
            sum(book.expected),
            kept,
            book.total - kept,
            book.behind_three,
        ]
        sums = [a + b for a, b in zip(sums, figures, strict=True)]
        ws.append(
            [cell.code, cell.name, figures[0], *(_money(ws, v) for v in figures[1:5]), figures[5]]
        )
    ws.append(
        [
            None,
            _bold(ws, [texts.DUES_EXPORT_ROW_TOTAL])[0],
            sums[0],
            *(_money(ws, v, bold=True) for v in sums[1:5]),
            sums[5],
        ]
    )
