"""The template's «Hướng dẫn» sheet, its dropdowns and the importer agree: every value the guide
names, and every value a dropdown offers, imports."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from bot.cli.roster import roster_import, roster_template
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import parse_config

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def _guide(path: Path) -> dict[str, str]:
    """Column name -> how to fill it, as the guide sheet says."""
    ws = openpyxl.load_workbook(path)[texts.ROSTER_SHEET_GUIDE]
    return {
        str(row[1]): str(row[3])
        for row in ws.iter_rows(values_only=True)
        if len(row) >= 4 and row[1] and row[3]
    }


def _between(text: str, start: str, end: str, sep: str) -> list[str]:
    part = (text.split(start, 1)[1] if start else text).split(end, 1)[0]
    return [value.strip() for value in part.split(sep)]


def _dropdown(path: Path, sheet: str, header: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    [rule] = [r for r in ws.data_validations.dataValidation if str(r.sqref).startswith(column)]
    return str(rule.formula1).strip('"').split(",")


async def test_every_value_the_guide_and_the_dropdowns_name_imports(tmp_path: Path) -> None:
    template = tmp_path / "mau.xlsx"
    assert roster_template(template, out=io.StringIO()) == 0
    guide = _guide(template)
    units_sheet, members_sheet = texts.ROSTER_SHEET_UNITS, texts.ROSTER_SHEET_MEMBERS
    headers_u, headers_m = texts.ROSTER_UNIT_HEADERS, texts.ROSTER_MEMBER_HEADERS

    kinds = _between(guide[headers_u["kind"]], "Một trong: ", ".", ";")
    assert "Chi bộ (loại khác)" in kinds
    kinds_offered = _dropdown(template, units_sheet, headers_u["kind"])
    assert kinds == kinds_offered
    positions = _between(guide[headers_m["position"]], "Hoặc: ", " (", ";")
    assert positions == _dropdown(template, members_sheet, headers_m["position"])
    statuses = _between(guide[headers_m["status"]], "", ".", " hoặc ")
    assert statuses == _dropdown(template, members_sheet, headers_m["status"])
    genders = _between(guide[headers_m["gender"]], "", ".", " hoặc ")
    assert genders == _dropdown(template, members_sheet, headers_m["gender"])

    # The template filled in as the guide says: one unit of every kind under a committee, one
    # member for every position, status and gender.
    wb = openpyxl.load_workbook(template)
    units = wb[units_sheet]
    units.append(["TINH", "Đảng bộ tỉnh Thử Nghiệm", "", kinds[0]])
    for n, kind in enumerate(kinds, start=1):
        units.append([f"DV{n}", f"{kind} số {n}", "TINH", kind])
    members = wb[members_sheet]
    columns = list(headers_m)
    people = [
        *({"position": p} for p in positions),
        *({"status": s} for s in statuses),
        *({"gender": g} for g in genders),
    ]
    for n, extra in enumerate(people, start=1):
        row = {"stt": n, "name": f"Nguyễn Văn Thử {n}", "card": f"93{n:07d}", "unit": "DV2"}
        row.update(extra)
        members.append([row.get(key, "") for key in columns])
    filled = tmp_path / "da-dien.xlsx"
    wb.save(filled)

    config = parse_config({"database": {"path": str(tmp_path / "c.sqlite3")}}, tmp_path, env={})
    out = io.StringIO()
    assert await roster_import(config, [filled], out=out, clock=FakeClock(NOW)) == 0, out.getvalue()
    with sqlite3.connect(config.db_path) as conn:
        stored = dict(conn.execute("SELECT code, kind FROM units WHERE code LIKE 'DV%'"))
        assert conn.execute("SELECT COUNT(*) FROM members").fetchone()[0] == len(people)
    assert [stored[f"DV{n}"] for n in range(1, len(kinds) + 1)] == [
        texts.ROSTER_UNIT_KINDS[kind] for kind in kinds
    ]
    assert stored[f"DV{kinds.index('Chi bộ (loại khác)') + 1}"] == "cell_other"
