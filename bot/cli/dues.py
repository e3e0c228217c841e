"""`chibo dues export`: the dues book (sổ thu nộp đảng phí) of a cell, or of every cell under a
committee (one sheet per cell plus a summary), as .xlsx with numbers as numbers and dates as
dates. Written in openpyxl's write-only mode, so a province's book streams to disk."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, time
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.cli.common import cells_of, find_unit, load, open_ctx
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.textnorm import vi_sort_key
from handlers.dues_year import CellBook, year_books
from storage.units import Unit

_BOLD = Font(bold=True)
MONEY = "#,##0"
DATE = "DD/MM/YYYY"
# Characters Excel refuses in a sheet title.
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


async def command(args: argparse.Namespace) -> int:
    """`chibo dues export --unit CODE --year YYYY --out FILE.xlsx`."""
    return await dues_export(load(args), args.unit, args.year, Path(args.out), clock=args.clock)


async def dues_export(
    config: Config, unit_code: str, year: str, path: Path, *, clock: Clock
) -> int:
    """Write the dues book of the year; 1 for an unknown unit, 2 for a bad year."""
    if not re.fullmatch(r"20\d\d", year):
        print(texts.CLI_DUES_BAD_YEAR, file=sys.stderr)
        return 2
    async with open_ctx(config, clock) as ctx:
        unit = await find_unit(ctx.units, unit_code)
        if unit is None:
            return 1
        cells = await cells_of(ctx.units, unit)
        books = await year_books(ctx, [c.id for c in cells], int(year))
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
    sheets = []
    if summary:
        sheets.append(book.create_sheet(texts.DUES_EXPORT_SUMMARY))
    used: set[str] = set()
    sheets += [book.create_sheet(_title(cell, used)) for cell in cells]
    styles = _Styles(sheets[0])
    if summary:
        _summary(sheets.pop(0), styles, cells, books, percent)
    for ws, cell in zip(sheets, cells, strict=True):
        _cell_sheet(ws, styles, year, cell, books[cell.id], percent)
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


Value = str | int | datetime | None


class _Styles:
    """The few cell styles of the book (write-only cells carry their own style)."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.bold = (True, "")
        self.money = (False, MONEY)
        self.money_bold = (True, MONEY)
        self.date = (False, DATE)

    @staticmethod
    def cell(ws: WriteOnlyWorksheet, value: Value, style: tuple[bool, str]) -> Cell:
        """A write-only cell holding `value`, bold and/or number-formatted as `style` says."""
        found = WriteOnlyCell(ws, value=value)
        if style[0]:
            found.font = _BOLD
        if style[1]:
            found.number_format = style[1]
        return found


def _widths(ws: WriteOnlyWorksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        # Present at run time in write-only mode; the type stubs do not list it.
        ws.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]


def _cell_sheet(
    ws: WriteOnlyWorksheet, st: _Styles, year: int, unit: Unit, book: CellBook, percent: int
) -> None:
    headers = [
        *texts.DUES_EXPORT_HEADERS,
        *(texts.DUES_EXPORT_MONTH.format(month=m) for m in range(1, 13)),
        texts.DUES_EXPORT_TOTAL,
        texts.DUES_EXPORT_LAST_PAID,
        texts.DUES_EXPORT_UNPAID,
        texts.DUES_EXPORT_EXCUSED,
    ]
    _widths(ws, [6, 30, 16, 14, *([11] * 12), 16, 14, 12, 16])
    ws.freeze_panes = "E3"
    ws.append([st.cell(ws, texts.DUES_EXPORT_TITLE.format(year=year, unit=unit.name), st.bold)])
    ws.append([st.cell(ws, h, st.bold) for h in headers])
    rows = sorted(book.members, key=lambda m: vi_sort_key(m.member.full_name))
    for number, row in enumerate(rows, start=1):
        last = datetime.combine(row.last_paid, time()) if row.last_paid else None
        ws.append(
            [
                number,
                row.member.full_name,
                row.member.card_no or "",
                st.cell(ws, row.due_now, st.money),
                *(st.cell(ws, amount, st.money) for amount in row.paid),
                st.cell(ws, row.total, st.money),
                st.cell(ws, last, st.date),
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
        figures = [*amounts, sum(amounts)]
        ws.append(
            [
                None,
                st.cell(ws, name, st.bold),
                None,
                None,
                *(st.cell(ws, a, st.money_bold) for a in figures),
            ]
        )


def _summary(
    ws: WriteOnlyWorksheet,
    st: _Styles,
    cells: list[Unit],
    books: dict[int, CellBook],
    percent: int,
) -> None:
    _widths(ws, [14, 36, 12, 18, 18, 16, 16, 16])
    ws.append([st.cell(ws, h, st.bold) for h in texts.DUES_EXPORT_SUMMARY_HEADERS])
    sums = [0] * 6
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
        money = [st.cell(ws, v, st.money) for v in figures[1:5]]
        ws.append([cell.code, cell.name, figures[0], *money, figures[5]])
    total = [st.cell(ws, v, st.money_bold) for v in sums[1:5]]
    ws.append([None, st.cell(ws, texts.DUES_EXPORT_ROW_TOTAL, st.bold), sums[0], *total, sums[5]])
