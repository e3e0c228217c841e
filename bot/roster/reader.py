"""Reading roster files: .xlsx/.csv rosters into a validated Roster, or every problem found.

This module finds the tables in the files and reads their rows; each row is checked in `rows`,
the rows together (and against the database) in `checks`, and the problems are `issues`.

Privacy: membership data is personal data under Vietnamese law (Decree 13/2023/ND-CP and the
2025 Personal Data Protection Law), so only what a feature needs is kept. Gender and phone
columns are accepted and lightly checked (admins paste whatever their existing lists hold) but
never leave the row checks: RosterMember has no field for them.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from bot.core import texts
from bot.core.textnorm import nfc
from bot.roster.checks import cross_check
from bot.roster.columns import MEMBERS, TABLES, UNITS, Table, norm
from bot.roster.dues import DuesRules
from bot.roster.issues import RosterError, RosterIssue
from bot.roster.rows import RowCheck, parse_member, parse_unit
from storage.roster import Roster
from storage.roster_members import RosterMember
from storage.roster_units import RosterUnit

# Admins' own lists often carry a title or a blank line above the header row.
HEADER_SCAN_ROWS = 10

# -- reading -----------------------------------------------------------------------------------

Row = tuple[object, ...]


@dataclass
class _Reader:
    """Accumulates parsed rows and issues across every sheet of every file."""

    today: date
    dues: DuesRules = field(default_factory=DuesRules)
    issues: list[RosterIssue] = field(default_factory=list)
    units: list[tuple[RosterUnit, dict[str, str]]] = field(default_factory=list)
    members: list[tuple[RosterMember, dict[str, str]]] = field(default_factory=list)
    tables_seen: int = 0
    sheet_order: dict[str, int] = field(default_factory=dict)

    def issue(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        """Record one problem where the admin will find it."""
        self.issues.append(RosterIssue(sheet, row, column, message))

    def read_sheet(self, sheet: str, rows: Iterator[tuple[int, Row]], *, named: bool) -> None:
        """Find the header row among the first rows and read the table under it; `named` is a
        sheet (or CSV) that must hold a table, other sheets count only when complete."""
        self.sheet_order.setdefault(sheet, len(self.sheet_order))
        head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
        for position, (_, values) in enumerate(head):
            table, columns = _detect(values)
            if table is None or (not named and set(table.required) - columns.keys()):
                # Extra sheets (a lookup list with "Mã", "Tên"...) count only when complete.
                continue
            self.tables_seen += 1
            if self._check_columns(sheet, table, values, columns):
                body = itertools.chain(head[position + 1 :], rows)
                self._read_rows(sheet, table, columns, body, _header_texts(values, columns))
            return
        if named and any(_text(v) for _, values in head for v in values):
            # A roster sheet (or a CSV) with content but no header row we recognise.
            self.issue(sheet, None, None, _no_table_message())

    def _check_columns(
        self, sheet: str, table: Table, values: Row, columns: dict[str, list[int]]
    ) -> bool:
        ok = True
        for indexes in columns.values():
            if len(indexes) > 1:
                ok = False
                self.issue(
                    sheet,
                    None,
                    None,
                    texts.ROSTER_ERR_DUPLICATE_COLUMN.format(column=_text(values[indexes[1]])),
                )
        for key in table.required:
            if key not in columns:
                ok = False
                self.issue(
                    sheet,
                    None,
                    None,
                    texts.ROSTER_ERR_MISSING_COLUMN.format(column=table.headers[key]),
                )
        return ok

    def _read_rows(
        self,
        sheet: str,
        table: Table,
        columns: dict[str, list[int]],
        rows: Iterable[tuple[int, Row]],
        header: dict[str, str],
    ) -> None:
        index = {key: indexes[0] for key, indexes in columns.items() if key != "stt"}
        for number, values in rows:
            cells = {k: _text(values[i]) if i < len(values) else "" for k, i in index.items()}
            if not any(cells.values()):
                continue
            raw = {k: values[i] if i < len(values) else None for k, i in index.items()}
            row = RowCheck(self, sheet, number, header)
            if table is UNITS:
                unit = parse_unit(row, cells)
                if unit is not None:
                    self.units.append((unit, header))
            else:
                member = parse_member(row, cells, raw, self.today, self.dues)
                if member is not None:
                    self.members.append((member, header))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores typed numbers (codes, cards) as floats
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _detect(values: Row) -> tuple[Table | None, dict[str, list[int]]]:
    best: tuple[Table | None, dict[str, list[int]]] = (None, {})
    for table in TABLES:
        lookup = table.lookup()
        columns: dict[str, list[int]] = {}
        for index, value in enumerate(values):
            key = lookup.get(norm(_text(value)))
            if key is not None:
                columns.setdefault(key, []).append(index)
        if len(columns) >= 2 and len(columns) > len(best[1]):
            best = (table, columns)
    return best


def _header_texts(values: Row, columns: dict[str, list[int]]) -> dict[str, str]:
    return {key: _text(values[indexes[0]]) for key, indexes in columns.items()}


def _no_table_message() -> str:
    return texts.ROSTER_ERR_NO_TABLE.format(
        units=", ".join(UNITS.headers[k] for k in UNITS.required),
        members=", ".join(MEMBERS.headers[k] for k in MEMBERS.required),
    )


# -- files -------------------------------------------------------------------------------------


def read_roster(
    paths: Sequence[Path],
    *,
    today: date,
    known_units: Mapping[str, str | None] | None = None,
    dues: DuesRules | None = None,
) -> Roster:
    """Parse and validate roster files; `known_units` (code -> parent code) are in the DB;
    `dues` names the [dues] categories the dues column may hold."""
    reader = _Reader(today, dues or DuesRules())
    for path in paths:
        label = path.name
        if not path.is_file():
            reader.issue(label, None, None, texts.ROSTER_ERR_FILE_MISSING)
        elif path.suffix.lower() == ".csv":
            _read_csv(reader, path, label)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            _read_xlsx(reader, path, label if len(paths) > 1 else None)
        else:
            reader.issue(label, None, None, texts.ROSTER_ERR_FILE_TYPE)
    if not reader.issues and reader.tables_seen == 0:
        reader.issue(", ".join(p.name for p in paths), None, None, texts.ROSTER_ERR_NOTHING)
    cross_check(reader, dict(known_units or {}))
    if reader.issues:
        # In the order the admin reads the file: sheet by sheet, top to bottom.
        order = reader.sheet_order
        reader.issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0))
        raise RosterError(reader.issues)
    return Roster(tuple(u for u, _ in reader.units), tuple(m for m, _ in reader.members))


def _read_xlsx(reader: _Reader, path: Path, prefix: str | None) -> None:
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        reader.issue(path.name, None, None, texts.ROSTER_ERR_FILE_BROKEN)
        return
    try:
        named = {norm(t.sheet) for t in TABLES}
        for ws in wb.worksheets:
            title = norm(ws.title)
            if title == norm(texts.ROSTER_SHEET_GUIDE):
                continue
            sheet = f"{prefix} / {ws.title}" if prefix else ws.title
            rows = enumerate(ws.iter_rows(values_only=True), start=1)
            reader.read_sheet(sheet, rows, named=title in named)
    finally:
        wb.close()


def _read_csv(reader: _Reader, path: Path, label: str) -> None:
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        reader.issue(label, None, None, texts.ROSTER_ERR_NOT_UTF8)
        return
    # Title rows above the header have no delimiters; the first lines with data decide.
    sample = "\n".join(itertools.islice((ln for ln in content.splitlines() if ln.strip()), 20))
    delimiter = max((";", ",", "\t"), key=sample.count)
    rows: Iterator[tuple[int, Row]] = (
        (n, tuple(r))
        for n, r in enumerate(csv.reader(io.StringIO(content), delimiter=delimiter), 1)
    )
    # A CSV holds exactly one table, so content without a header row is always an error.
    reader.read_sheet(label, rows, named=True)
