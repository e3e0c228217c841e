"""The empty roster workbook an admin fills in: the units and members sheets with their headers,
column widths, text formats and dropdowns, and a Vietnamese guide sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.core import texts
from bot.roster.columns import TABLES

_WIDTHS = {
    "code": 16,
    "name": 40,
    "parent": 20,
    "kind": 22,
    "stt": 7,
    "birth": 13,
    "gender": 11,
    "card": 18,
    "phone": 15,
    "unit": 14,
    "position": 16,
    "status": 16,
    "attach": 16,
    "attach_until": 14,
    "category": 18,
    "dues": 18,
    "dues_from": 16,
}
_FORMATS = {
    "birth": "DD/MM/YYYY",
    "card": "@",
    "phone": "@",
    "unit": "@",
    "code": "@",
    "parent": "@",
    "attach": "@",
    "attach_until": "@",
}
_DROPDOWNS = {
    "kind": list(texts.ROSTER_UNIT_KINDS),
    "gender": list(texts.ROSTER_GENDERS),
    "position": list(texts.ROSTER_POSITIONS),
    "status": list(texts.ROSTER_STATUSES),
    "category": list(texts.ROSTER_CATEGORIES),
}
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="FDE9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(path: Path) -> None:
    """Write an empty roster workbook: units, members and a Vietnamese guide sheet."""
    wb = openpyxl.Workbook()
    for number, table in enumerate(TABLES):
        ws = wb.worksheets[0] if number == 0 else wb.create_sheet()
        ws.title = table.sheet
        ws.append(list(table.headers.values()))
        ws.freeze_panes = "A2"
        for index, key in enumerate(table.headers, start=1):
            letter = get_column_letter(index)
            cell = ws.cell(row=1, column=index)
            cell.font, cell.fill = _BOLD, _HEAD_FILL
            ws.column_dimensions[letter].width = _WIDTHS[key]
            if key in _FORMATS:
                # Typed card numbers like 093001 keep their leading zero as text.
                ws.column_dimensions[letter].number_format = _FORMATS[key]
            if key in _DROPDOWNS:
                listed = ",".join(_DROPDOWNS[key])
                rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                rule.showErrorMessage = False  # aliases are accepted too; the importer checks
                ws.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}50000")
    _write_guide(wb.create_sheet(texts.ROSTER_SHEET_GUIDE))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _write_guide(ws: Worksheet) -> None:
    widths = (14, 22, 10, 90)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws["A1"] = texts.ROSTER_GUIDE_TITLE
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for paragraph in (texts.ROSTER_GUIDE_INTRO, texts.ROSTER_GUIDE_REIMPORT):
        row = _paragraph(ws, row, paragraph)
    ws.append([])
    ws.append(list(texts.ROSTER_GUIDE_HEADERS))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    for sheet, column, required, how in (
        *texts.ROSTER_GUIDE_ROWS,
        *texts.ROSTER_GUIDE_CATEGORY_ROWS,
        *texts.ROSTER_GUIDE_DUES_ROWS,
    ):
        yes_no = texts.ROSTER_GUIDE_YES if required else texts.ROSTER_GUIDE_NO
        ws.append([sheet, column, yes_no, how])
        for cell in ws[ws.max_row]:
            cell.alignment = _WRAP
        ws.row_dimensions[ws.max_row].height = 15 * (1 + len(how) // 85)
    privacy = _paragraph(ws, ws.max_row + 2, texts.ROSTER_GUIDE_PRIVACY)
    ws.cell(row=privacy - 1, column=1).font = _BOLD


def _paragraph(ws: Worksheet, row: int, text: str) -> int:
    ws.cell(row=row, column=1, value=text).alignment = _WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    ws.row_dimensions[row].height = 15 * (1 + len(text) // 120)
    return row + 1
