"""Realistic generated rosters (a province's tree of committees and cells) for tests and the bench."""

from __future__ import annotations

import csv
import random
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

from bot.core import texts

SURNAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Phan", 4), ("Vũ", 3), ("Võ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Trương", 1), ("Đinh", 1), ("Lâm", 1), ("Thái", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Minh", "Thanh", "Kim", "Mỹ", "Hồng", "Bích", "Thúy"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hùng", "Khánh", "Long", "Minh",
    "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Tuấn", "Việt", "Thắng", "Lợi", "Hậu", "Trí",
]  # fmt: skip
GIVEN_FEMALE = [
    "Giang", "Hà", "Hạnh", "Hương", "Lan", "Mai", "Nga", "Thảo", "Thu", "Trang", "Xuân",
    "Yến", "Hoa", "Linh", "Ngân", "Phượng", "Tuyết", "Nhung", "Ánh", "Diễm",
]  # fmt: skip
PLACES = [
    "Tân Thành", "Phú Lợi", "Hòa Bình", "An Khánh", "Long Hưng", "Mỹ Xuyên", "Vĩnh Phước",
    "Thạnh Phú", "Bình Đông", "Phước Hòa", "Đông Hải", "Tân Hưng", "Hưng Lợi", "Khánh An",
    "Lộc Ninh", "Thuận An", "Trường Xuân", "Hiệp Thành", "Định Mỹ", "Ngãi Tứ",
]  # fmt: skip
AGENCIES = [
    "Trường Tiểu học", "Trường THCS", "Trạm Y tế", "Công an", "Ban Chỉ huy Quân sự",
    "Bưu điện", "Hợp tác xã nông nghiệp", "Cơ quan Ủy ban nhân dân",
]  # fmt: skip

UNIT_HEADERS = list(texts.ROSTER_UNIT_HEADERS.values())
MEMBER_HEADERS = list(texts.ROSTER_MEMBER_HEADERS.values())


@dataclass
class GeneratedRoster:
    """Rows as written to the file (Vietnamese labels), plus facts tests assert on."""

    # Cell values as typed into the sheet (str, int, datetime): Any keeps tests readable.
    units: list[list[Any]] = field(default_factory=list)
    members: list[list[Any]] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    depth: int = 0
    phones: list[str] = field(default_factory=list)
    nfd_names: list[str] = field(default_factory=list)


def build_roster(members: int = 300, cells: int = 12, seed: int = 1) -> GeneratedRoster:
    """A province -> commune committees (some with a sub-committee) -> cells tree with members."""
    rng = random.Random(seed)
    out = GeneratedRoster()
    out.units.append(["T", "Đảng bộ tỉnh Thử Nghiệm", "", "Đảng bộ"])
    communes = max(1, cells // 15)
    commune_codes = []
    for c in range(communes):
        code = f"X{c + 1:03d}"
        ward = c % 3 == 2
        kind_word = "phường" if ward else "xã"
        out.units.append([code, f"Đảng bộ {kind_word} {PLACES[c % len(PLACES)]} {c + 1}", "T", "Đảng bộ"])  # fmt: skip
        commune_codes.append((code, ward))
    out.depth = 3
    # One commune has a sub-committee (Đảng bộ bộ phận) so the tree is four levels deep.
    sub = f"{commune_codes[0][0]}-BP"
    out.units.append([sub, "Đảng bộ bộ phận Khối cơ quan", commune_codes[0][0], "Đảng bộ bộ phận"])
    out.depth = 4
    for n in range(cells):
        commune, ward = commune_codes[n % communes]
        code = f"{commune}-C{n + 1:04d}"
        if n == 0:
            parent, kind, name = sub, "Chi bộ cơ quan", f"Chi bộ {AGENCIES[0]} {n + 1}"
        elif n % 7 == 3:
            agency = AGENCIES[n % len(AGENCIES)]
            parent, kind, name = commune, "Chi bộ cơ quan", f"Chi bộ {agency} {n + 1}"
        elif ward:
            word = rng.choice(["Chi bộ khóm", "Chi bộ khu phố"])
            parent, kind, name = commune, word, f"{word} {PLACES[n % len(PLACES)]} {n + 1}"
        else:
            parent, kind, name = (
                commune,
                "Chi bộ ấp",
                f"Chi bộ ấp {PLACES[n % len(PLACES)]} {n + 1}",
            )
        out.units.append([code, name, parent, kind])
        out.cells.append(code)

    surnames, weights = zip(*SURNAMES, strict=True)
    seen: set[tuple[str, date, str]] = set()
    for i in range(members):
        # Every cell gets a secretary, then a deputy; the other members go anywhere.
        seat, spot = divmod(i, len(out.cells))
        cell = out.cells[spot] if seat < 2 else rng.choice(out.cells)
        male = rng.random() < 0.55
        while True:
            name = " ".join(
                [
                    rng.choices(surnames, weights)[0],
                    rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE),
                    rng.choice(GIVEN_MALE if male else GIVEN_FEMALE),
                ]
            )
            born = date.fromordinal(date(1945, 1, 1).toordinal() + rng.randrange(365 * 60))
            if (name, born, cell) not in seen:
                seen.add((name, born, cell))
                break
        if i % 97 == 5:
            # Phones and pasted lists send NFD; the importer must store NFC.
            name = unicodedata.normalize("NFD", name)
            out.nfd_names.append(name)
        birth: object = datetime(born.year, born.month, born.day) if i % 5 else born.strftime("%d/%m/%Y")  # fmt: skip
        card = "" if i % 50 == 49 else f"93{i + 1:07d}"
        phone = f"09{rng.randrange(10**8):08d}"
        out.phones.append(phone)
        position = {0: "Bí thư", 1: "Phó Bí thư"}.get(seat, "")
        if not position and rng.random() < 0.02:
            position = "Chi ủy viên"
        status = "Dự bị" if rng.random() < 0.05 else ("Chính thức" if i % 3 else "")
        out.members.append(
            [i + 1, name, birth, "Nam" if male else "Nữ", card, phone, cell, position, status]
        )
    return out


def write_xlsx(roster: GeneratedRoster, path: Path) -> Path:
    """Both tables in one workbook, stored the way Excel saves it (see `_excel_like`)."""
    _excel_like(
        path,
        [
            (texts.ROSTER_SHEET_UNITS, [UNIT_HEADERS, *roster.units]),
            (texts.ROSTER_SHEET_MEMBERS, [MEMBER_HEADERS, *roster.members]),
        ],
    )
    return path


def write_xlsx_openpyxl(roster: GeneratedRoster, path: Path) -> Path:
    """Both tables written by openpyxl (inline strings, as some tools produce)."""
    wb = openpyxl.Workbook()
    units = wb.worksheets[0]
    units.title = texts.ROSTER_SHEET_UNITS
    members = wb.create_sheet(texts.ROSTER_SHEET_MEMBERS)
    for sheet, headers, rows in ((units, UNIT_HEADERS, roster.units), (members, MEMBER_HEADERS, roster.members)):  # fmt: skip
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
    '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" '
    'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle '
    'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _excel_like(path: Path, sheets: list[tuple[str, Sequence[Sequence[object]]]]) -> None:
    """A minimal .xlsx as Excel writes it: shared strings, a <dimension>, date-styled serials.

    openpyxl itself writes inline strings and (in write-only mode) no dimension, which makes
    reading several times slower than reading what admins actually send.
    """
    strings: dict[str, int] = {}
    parts: list[str] = []
    for _, rows in sheets:
        out = []
        for number, row in enumerate(rows, start=1):
            cells = []
            for col, value in enumerate(row, start=1):
                ref = f"{get_column_letter(col)}{number}"
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    serial = (date(value.year, value.month, value.day) - date(1899, 12, 30)).days
                    cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                elif isinstance(value, int | float):
                    cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                else:
                    index = strings.setdefault(str(value), len(strings))
                    cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            out.append(f'<row r="{number}">{"".join(cells)}</row>')
        width = get_column_letter(max(len(r) for r in rows))
        parts.append(
            f'{_XML}<worksheet xmlns="{_NS}"><dimension ref="A1:{width}{len(rows)}"/>'
            f"<sheetData>{''.join(out)}</sheetData></worksheet>"
        )
    count = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    sheet_list = "".join(
        f'<sheet name="{escape(title)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (title, _) in enumerate(sheets, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    shared = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheet_list}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_PKG}/relationships">{sheet_rels}'
            f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'{_XML}<sst xmlns="{_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{shared}</sst>",
        )
        for i, part in enumerate(parts, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", part)


def write_csv(
    roster: GeneratedRoster,
    directory: Path,
    *,
    delimiter: str = ";",
    bom: bool = True,
    member_headers: list[str] | None = None,
    unit_headers: list[str] | None = None,
) -> list[Path]:
    """units.csv and members.csv (dates written as text, as Excel exports them)."""
    encoding = "utf-8-sig" if bom else "utf-8"
    paths = []
    for name, headers, rows in (
        ("units.csv", unit_headers or UNIT_HEADERS, roster.units),
        ("members.csv", member_headers or MEMBER_HEADERS, roster.members),
    ):
        path = directory / name
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(headers)
            for number, row in enumerate(rows):
                writer.writerow([_csv_cell(v, number) for v in row])
        paths.append(path)
    return paths


def _csv_cell(value: object, number: int) -> str:
    if isinstance(value, datetime):
        # Mix the accepted text forms.
        return value.strftime("%Y-%m-%d") if number % 2 else value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def generate_roster(
    path: Path, *, members: int = 300, cells: int = 12, seed: int = 1
) -> GeneratedRoster:
    """Build a roster and write it to `path` (.xlsx, or a directory for the two CSV files)."""
    roster = build_roster(members, cells, seed)
    if path.suffix.lower() == ".xlsx":
        write_xlsx(roster, path)
    else:
        path.mkdir(parents=True, exist_ok=True)
        write_csv(roster, path)
    return roster
