"""The dashboard's tables, once for the page and the .xlsx exports: columns, sorting, workbooks."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.core import texts
from handlers.dashboard import EXTRA_FIGURES, Dashboard, Figures, MemberRow, pct

Value = int | float | None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Figures], Value]
    percent: bool = False


def unit_columns() -> list[Column]:
    """Figures of a unit, in page order; later features' figures (dues) at the end."""
    columns = [
        Column("members", texts.COL_MEMBERS, lambda f: f.members),
        Column("on_time", texts.COL_ON_TIME, lambda f: f.on_time),
        Column("moved", texts.COL_MOVED, lambda f: f.moved),
        Column("not_held", texts.COL_NOT_HELD, lambda f: f.not_held),
        Column("attendance", texts.COL_ATTENDANCE, lambda f: f.attendance_rate, True),
        Column("absent", texts.COL_ABSENT, lambda f: f.absent),
        Column("task_share", texts.COL_TASK_SHARE, lambda f: f.task_share, True),
        Column("response", texts.COL_RESPONSE, lambda f: f.response_rate, True),
        Column("delivered", texts.COL_DELIVERED, lambda f: f.delivered_rate, True),
        Column("read", texts.COL_READ, lambda f: f.read_rate, True),
    ]
    for extra in EXTRA_FIGURES:

        def value(f: Figures, key: str = extra.key) -> Value:
            return pct(*f.extra.get(key, (0, 0)))

        columns.append(Column(extra.key, extra.header, value, True))
    return columns


# Figures by month are about meetings and attendance.
MONTH_KEYS = ("on_time", "moved", "not_held", "attendance", "absent")

MEMBER_COLUMNS: tuple[tuple[str, str, Callable[[MemberRow], int]], ...] = (
    ("assigned", texts.COL_ASSIGNED, lambda m: m.assigned),
    ("done", texts.COL_DONE, lambda m: m.done),
    ("present", texts.COL_PRESENT, lambda m: m.present),
    ("excused", texts.COL_EXCUSED, lambda m: m.excused),
    ("absent", texts.COL_MEMBER_ABSENT, lambda m: m.absent),
    ("bulletins", texts.COL_BULLETINS, lambda m: m.bulletins),
    ("read", texts.COL_BULLETINS_READ, lambda m: m.read),
)


def sort_children(board: Dashboard, key: str, descending: bool) -> None:
    """Sort the units below in place by a column (missing values last), or by name."""
    column = next((c for c in unit_columns() if c.key == key), None)
    if column is None:
        return
    present = [(u, f) for u, f in board.children if column.value(f) is not None]
    missing = [(u, f) for u, f in board.children if column.value(f) is None]
    present.sort(key=lambda uf: column.value(uf[1]) or 0, reverse=descending)
    board.children[:] = present + missing


def member_names(board: Dashboard, show: bool) -> list[str]:
    """Names, or «Đảng viên 1…n» where the viewer may not see them."""
    if show:
        return [m.name for m in board.members]
    return [texts.PAGE_MEMBER_ANON.format(n=i) for i in range(1, len(board.members) + 1)]


def workbook(board: Dashboard, table: str, period: str, show_names: bool) -> bytes:
    """One table as an .xlsx: Vietnamese headers, numbers as numbers (rates in %)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    wb.properties.title = texts.EXPORT_TITLE.format(unit=board.unit.name, period=period)
    bold = Font(bold=True)
    if table == "units":
        ws.title = texts.SHEET_CHILDREN
        columns = unit_columns()
        ws.append([texts.COL_UNIT, *(c.header for c in columns)])
        for unit, f in [*board.children, (board.unit, board.total)]:
            ws.append([unit.name, *(c.value(f) for c in columns)])
        percent = [i + 2 for i, c in enumerate(columns) if c.percent]
    elif table == "months":
        ws.title = texts.SHEET_MONTHS
        columns = [c for c in unit_columns() if c.key in MONTH_KEYS]
        ws.append([texts.COL_MONTH, *(c.header for c in columns)])
        for month, f in sorted(board.months.items()):
            ws.append([month, *(c.value(f) for c in columns)])
        percent = [i + 2 for i, c in enumerate(columns) if c.percent]
    else:
        ws.title = texts.SHEET_MEMBERS
        ws.append([texts.COL_NAME, *(h for _, h, _ in MEMBER_COLUMNS)])
        for name, m in zip(member_names(board, show_names), board.members, strict=True):
            ws.append([name, *(get(m) for _, _, get in MEMBER_COLUMNS)])
        percent = []
    for cell in ws[1]:
        cell.font = bold
    for col in percent:
        for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            row[0].number_format = "0.00"
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
