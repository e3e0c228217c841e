"""Reading roster files: .xlsx/.csv rosters into a validated Roster, or every problem found.

Privacy: membership data is personal data under Vietnamese law (Decree 13/2023/ND-CP and the
2025 Personal Data Protection Law), so only what a feature needs is kept. Gender and phone
columns are accepted and lightly checked (admins paste whatever their existing lists hold) but
never leave this module: RosterMember has no field for them.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from bot.core import texts
from bot.core.textnorm import fold, nfc
from bot.roster.category import parse_category
from bot.roster.columns import MEMBERS, TABLES, UNITS, Table, norm
from bot.roster.dues import DuesRules, parse_dues
from storage.roster import Roster, RosterMember, RosterUnit, find_cycle

NAME_LIMIT = 100
UNIT_NAME_LIMIT = 200
CODE_LIMIT = 40
CARD_LIMIT = 20
# Admins' own lists often carry a title or a blank line above the header row.
HEADER_SCAN_ROWS = 10

_CODE_RE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{CODE_LIMIT - 1}}}")
_CARD_RE = re.compile(rf"[0-9A-Z]{{1,{CARD_LIMIT}}}")
_DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_PHONE_RE = re.compile(r"\+?\d{8,15}")
_POSITION_SPLIT = re.compile(r"[,;+]")


@dataclass(frozen=True)
class RosterIssue:
    """One problem in a roster file, located as the admin sees it in their spreadsheet."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """The issue as one Vietnamese line: sheet, then row and column when known."""
        if self.row is not None and self.column:
            return texts.ROSTER_ISSUE_AT.format(
                sheet=self.sheet, row=self.row, column=self.column, message=self.message
            )
        if self.row is not None:
            return texts.ROSTER_ISSUE_ROW.format(
                sheet=self.sheet, row=self.row, message=self.message
            )
        return texts.ROSTER_ISSUE_SHEET.format(sheet=self.sheet, message=self.message)


class RosterError(Exception):
    """The roster file is refused as a whole; `issues` lists every problem found."""

    def __init__(self, issues: list[RosterIssue]) -> None:
        super().__init__(f"{len(issues)} problem(s) in the roster file")
        self.issues = issues


def format_issues(issues: Sequence[RosterIssue], limit: int = 200) -> list[str]:
    """Printable lines for the first `limit` issues, plus a 'and N more' line."""
    lines = [str(issue) for issue in issues[:limit]]
    if len(issues) > limit:
        lines.append(texts.ROSTER_MORE_ISSUES.format(count=len(issues) - limit))
    return lines


def _choices(primary: Mapping[str, str], aliases: Mapping[str, str]) -> dict[str, str]:
    return {norm(label): value for label, value in {**primary, **aliases}.items()}


_KINDS = _choices(texts.ROSTER_UNIT_KINDS, texts.ROSTER_UNIT_KIND_ALIASES)
_POSITIONS = _choices(texts.ROSTER_POSITIONS, texts.ROSTER_POSITION_ALIASES)
_STATUSES = _choices(texts.ROSTER_STATUSES, texts.ROSTER_STATUS_ALIASES)
_GENDERS = {norm(g) for g in texts.ROSTER_GENDERS}

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
            row = _RowCheck(self, sheet, number, header)
            if table is UNITS:
                unit = _parse_unit(row, cells)
                if unit is not None:
                    self.units.append((unit, header))
            else:
                member = _parse_member(row, cells, raw, self.today, self.dues)
                if member is not None:
                    self.members.append((member, header))


@dataclass
class _RowCheck:
    """The checks of one row: each failure is an issue at the row's cell, and the row is
    refused (`ok` false)."""

    reader: _Reader
    sheet: str
    row: int
    header: dict[str, str]
    ok: bool = True

    def fail(self, key: str, message: str) -> None:
        """Report `message` at this row's column `key` and refuse the row."""
        self.ok = False
        self.reader.issue(self.sheet, self.row, self.header[key], message)

    def required(self, cells: dict[str, str], key: str, limit: int) -> str:
        """The cell's text with spaces collapsed; refused when empty or over `limit`."""
        value = " ".join(cells.get(key, "").split())
        if not value:
            self.fail(key, texts.ROSTER_ERR_REQUIRED)
        elif len(value) > limit:
            self.fail(key, texts.ROSTER_ERR_TOO_LONG.format(limit=limit))
        return value

    def code(self, cells: dict[str, str], key: str) -> str | None:
        """A unit code, None when the cell is empty; refused when not a code's shape."""
        value = cells.get(key, "")
        if value and not _CODE_RE.fullmatch(value):
            self.fail(key, texts.ROSTER_ERR_UNIT_CODE.format(value=value, limit=CODE_LIMIT))
        return value or None

    def choice(
        self, cells: dict[str, str], key: str, choices: dict[str, str], shown: Iterable[str]
    ) -> str | None:
        """The value `choices` gives the cell (any spelling of a choice or alias), None when
        empty; refused, listing the `shown` choices, when it is none of them."""
        value = cells.get(key, "")
        if not value:
            return None
        found = choices.get(norm(value))
        if found is None:
            self.fail(
                key, texts.ROSTER_ERR_CHOICE_OR_EMPTY.format(value=value, accepted=", ".join(shown))
            )
        return found


def _parse_unit(row: _RowCheck, cells: dict[str, str]) -> RosterUnit | None:
    code = row.code(cells, "code")
    if code is None:
        row.fail("code", texts.ROSTER_ERR_REQUIRED)
    name = row.required(cells, "name", UNIT_NAME_LIMIT)
    parent = row.code(cells, "parent")
    kind = None
    if not cells.get("kind"):
        row.fail("kind", texts.ROSTER_ERR_REQUIRED)
    else:
        kind = _KINDS.get(norm(cells["kind"]))
        if kind is None:
            accepted = ", ".join(texts.ROSTER_UNIT_KINDS)
            row.fail("kind", texts.ROSTER_ERR_CHOICE.format(value=cells["kind"], accepted=accepted))
    if code and parent == code:
        row.fail("parent", texts.ROSTER_ERR_PARENT_SELF)
    if not row.ok or code is None or kind is None:
        return None
    return RosterUnit(code, name, kind, parent, row.sheet, row.row)


def _parse_member(
    row: _RowCheck, cells: dict[str, str], raw: dict[str, object], today: date, dues: DuesRules
) -> RosterMember | None:
    name = row.required(cells, "name", NAME_LIMIT)
    unit = row.code(cells, "unit")
    if unit is None:
        row.fail("unit", texts.ROSTER_ERR_REQUIRED)
    birth = _parse_date(row, raw.get("birth"), cells.get("birth", ""), today)
    card = cells.get("card", "").upper() or None
    if card is not None and not _CARD_RE.fullmatch(card):
        row.fail("card", texts.ROSTER_ERR_CARD.format(value=cells["card"], limit=CARD_LIMIT))
    phone = cells.get("phone", "")
    if phone and not _PHONE_RE.fullmatch(re.sub(r"[\s.()-]", "", phone)):
        row.fail("phone", texts.ROSTER_ERR_PHONE.format(value=phone))
    gender = cells.get("gender", "")
    if gender and norm(gender) not in _GENDERS:
        accepted = ", ".join(texts.ROSTER_GENDERS)
        row.fail("gender", texts.ROSTER_ERR_CHOICE_OR_EMPTY.format(value=gender, accepted=accepted))
    given = row.choice(cells, "status", _STATUSES, texts.ROSTER_STATUSES)
    roles: list[str] = []
    for part in _POSITION_SPLIT.split(cells.get("position", "")):
        role = row.choice(
            {"position": part.strip()}, "position", _POSITIONS, texts.ROSTER_POSITIONS
        )
        if role and role not in roles:
            roles.append(role)
    attach, until = _parse_attachment(row, cells, unit)
    category, meant = parse_category(row, cells, given, attach)
    status = given or meant or "official"
    owed = parse_dues(row, cells, raw, today, dues)
    if not row.ok or unit is None:
        return None
    return RosterMember(
        name, fold(name), birth, card, unit, status, tuple(roles), row.sheet, row.row,
        attach, until, dues_amount=owed.amount, dues_category=owed.category,
        dues_from=owed.from_period, category=category,
    )  # fmt: skip


_MONTH_RE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_month(text: str) -> str | None:
    """'06/2027' -> '2027-06'; None when it is not a month (the roster's «đến tháng» column and
    `chibo members attach --from/--until` take the same form)."""
    match = _MONTH_RE.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return None
    return f"{int(match.group(2)):04d}-{int(match.group(1)):02d}"


def _parse_attachment(
    row: _RowCheck, cells: dict[str, str], unit: str | None
) -> tuple[str | None, str | None]:
    """The host cell code and last month 'YYYY-MM' of a temporary attachment, if any."""
    host = row.code(cells, "attach")
    text = cells.get("attach_until", "")
    until = None
    if text:
        until = parse_month(text)
        if until is None:
            row.fail("attach_until", texts.ROSTER_ERR_ATTACH_MONTH.format(value=text))
        if host is None:
            row.fail("attach_until", texts.ROSTER_ERR_ATTACH_UNTIL_ALONE)
    if host is not None and host == unit:
        row.fail("attach", texts.ROSTER_ERR_ATTACH_SAME)
    return host, until


def _parse_date(row: _RowCheck, value: object, text: str, today: date) -> str | None:
    if not text:
        return None
    found: date | None = None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str):
        dmy, ymd = _DMY_RE.fullmatch(text), _YMD_RE.fullmatch(text)
        parts = (dmy.group(3, 2, 1) if dmy else None) or (ymd.group(1, 2, 3) if ymd else None)
        try:
            found = date(*(int(p) for p in parts)) if parts else None
        except ValueError:
            found = None
    if found is None:
        row.fail("birth", texts.ROSTER_ERR_DATE.format(value=text))
        return None
    if found.year < 1900:
        row.fail("birth", texts.ROSTER_ERR_DATE_OLD.format(value=f"{found:%d/%m/%Y}"))
    elif found > today:
        row.fail("birth", texts.ROSTER_ERR_DATE_FUTURE.format(value=f"{found:%d/%m/%Y}"))
    return found.isoformat()


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
    _cross_check(reader, dict(known_units or {}))
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


def _is_cell(code: str, codes: dict[str, RosterUnit], known: Mapping[str, str | None]) -> bool:
    # A unit only in the database is checked to be a cell when the roster is imported.
    if code in codes:
        return codes[code].kind.startswith("cell")
    return code in known


def _cross_check(reader: _Reader, known: dict[str, str | None]) -> None:
    """Uniqueness and references across rows, sheets, files and the database."""
    codes = _check_units(reader, known)
    _check_members(reader, codes, known)


def _check_units(reader: _Reader, known: dict[str, str | None]) -> dict[str, RosterUnit]:
    """Unit codes unique, parents known, no unit its own ancestor; the roster's units by code."""
    codes: dict[str, RosterUnit] = {}
    for unit, header in reader.units:
        first = codes.get(unit.code)
        if first is not None:
            reader.issue(
                unit.sheet,
                unit.row,
                header["code"],
                texts.ROSTER_ERR_UNIT_DUPLICATE.format(value=unit.code, row=first.row),
            )
        else:
            codes[unit.code] = unit
    exists = set(codes) | set(known)
    for unit, header in reader.units:
        if unit.parent_code and unit.parent_code not in exists:
            reader.issue(
                unit.sheet,
                unit.row,
                header["parent"],
                texts.ROSTER_ERR_UNIT_UNKNOWN.format(value=unit.parent_code),
            )
    parents = {**known, **{c: u.parent_code for c, u in codes.items()}}
    while (cycle := find_cycle(parents)) is not None:
        culprit = next((codes[c] for c in cycle if c in codes), None)
        chain = " → ".join(cycle)
        if culprit is not None:
            header = next(h for u, h in reader.units if u is culprit)
            reader.issue(
                culprit.sheet,
                culprit.row,
                header.get("parent"),
                texts.ROSTER_ERR_CYCLE.format(chain=chain),
            )
        parents[cycle[0]] = None  # break it and look for the next one
    return codes


def _check_members(
    reader: _Reader, codes: dict[str, RosterUnit], known: dict[str, str | None]
) -> None:
    """Members in known units, attached only to cells, and each listed once (by card number,
    else by name, birth date and unit)."""
    exists = set(codes) | set(known)
    cards: dict[str, RosterMember] = {}
    keys: dict[tuple[str, str | None, str], RosterMember] = {}
    for member, header in reader.members:
        if member.attach_to is not None and not _is_cell(member.attach_to, codes, known):
            reader.issue(
                member.sheet,
                member.row,
                header["attach"],
                texts.ROSTER_ERR_ATTACH_NOT_CELL.format(value=member.attach_to),
            )
        if member.unit_code not in exists:
            reader.issue(
                member.sheet,
                member.row,
                header["unit"],
                texts.ROSTER_ERR_UNIT_UNKNOWN.format(value=member.unit_code),
            )
        if member.card_no is not None:
            twin = cards.setdefault(member.card_no, member)
            if twin is not member:
                reader.issue(
                    member.sheet,
                    member.row,
                    header["card"],
                    texts.ROSTER_ERR_CARD_DUPLICATE.format(value=member.card_no, row=twin.row),
                )
        else:
            twin = keys.setdefault((member.name_key, member.birth_date, member.unit_code), member)
            if twin is not member:
                reader.issue(
                    member.sheet,
                    member.row,
                    header["name"],
                    texts.ROSTER_ERR_MEMBER_DUPLICATE.format(row=twin.row),
                )
