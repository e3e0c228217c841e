"""The roster's «Diện sinh hoạt» column (issue 15): the template offers the categories the
minutes count by, the guide explains them, the importer reads them whatever the case, accents or
Unicode form, refuses an unknown label naming the row, and leaves a category alone when the
cell is empty; the minutes then count by what the roster said."""

from __future__ import annotations

import io
import sqlite3
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.cli.roster import roster_import, roster_template
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import Config, parse_config
from handlers.context import Ctx
from handlers.minutes_data import build_minutes
from storage.db import Database, _statements, migrations
from storage.meetings import MeetingRepo

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
M = {**texts.ROSTER_MEMBER_HEADERS, **texts.ROSTER_CATEGORY_HEADERS}
COLUMN = texts.ROSTER_CATEGORY_HEADERS["category"]
CELL = "CB-A"

# name -> (status cell, category cell)
PEOPLE: dict[str, tuple[str, str]] = {
    "Nguyễn Văn Một": ("", ""),
    "Trần Thị Hai": ("Chính thức", "Miễn sinh hoạt"),
    # NFD, upper case: as a phone or an old spreadsheet may send it.
    "Lê Văn Ba": ("", unicodedata.normalize("NFD", "MIỄN CÔNG TÁC VÀ SINH HOẠT ĐẢNG")),
    "Phạm Thị Bốn": ("Dự bị", unicodedata.normalize("NFD", "sinh hoạt tạm thời")),
    "Hoàng Văn Năm": ("", "mien sinh hoat"),
    # «Dự bị» in the category column with the status left empty: a probationary member.
    "Đỗ Thị Sáu": ("", "Dự bị"),
    "Vũ Văn Bảy": ("Chính thức", "Sinh hoạt tạm thời"),
}


def _config(tmp_path: Path) -> Config:
    return parse_config({"database": {"path": str(tmp_path / "c.sqlite3")}}, tmp_path, env={})


def _filled(tmp_path: Path, rows: dict[str, tuple[str, str]], name: str, **extra: Any) -> Path:
    """The shipped template, filled in as an administrator would: one cell, these members."""
    template = tmp_path / "mau.xlsx"
    roster_template(template, out=io.StringIO())
    wb = openpyxl.load_workbook(template)
    wb[texts.ROSTER_SHEET_UNITS].append([CELL, "Chi bộ ấp Tân Thành", "", "Chi bộ ấp"])
    ws = wb[texts.ROSTER_SHEET_MEMBERS]
    headers = [c.value for c in ws[1]]
    for n, (person, (status, category)) in enumerate(rows.items(), start=1):
        cells = {
            M["name"]: person,
            M["card"]: f"93{n:07d}",
            M["unit"]: CELL,
            M["status"]: status,
            COLUMN: category,
            **extra.get(person, {}),
        }
        ws.append([cells.get(str(h), "") for h in headers])
    path = tmp_path / name
    wb.save(path)
    return path


async def _import(config: Config, path: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = await roster_import(config, [path], out=out, err=out, clock=FakeClock(NOW))
    return code, out.getvalue()


def _stored(config: Config) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(config.db_path) as conn:
        rows = conn.execute("SELECT full_name, status, category FROM members").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_the_template_offers_the_categories_and_the_guide_explains_them(tmp_path: Path) -> None:
    template = tmp_path / "mau.xlsx"
    assert roster_template(template, out=io.StringIO()) == 0
    wb = openpyxl.load_workbook(template)
    ws = wb[texts.ROSTER_SHEET_MEMBERS]
    letter = next(c.column_letter for c in ws[1] if c.value == COLUMN)
    [rule] = [r for r in ws.data_validations.dataValidation if str(r.sqref).startswith(letter)]
    offered = str(rule.formula1).strip('"').split(",")
    assert offered == ["Chính thức", "Dự bị", "Miễn sinh hoạt", "Sinh hoạt tạm thời"]
    guide = {
        str(row[1]): str(row[3])
        for row in wb[texts.ROSTER_SHEET_GUIDE].iter_rows(values_only=True)
        if len(row) >= 4 and row[1] and row[3]
    }
    how = guide[COLUMN]
    listed = how.split("Một trong: ", 1)[1].split(".", 1)[0].split("; ")
    assert listed == offered
    assert "Để trống: giữ nguyên" in how


async def test_categories_import_case_and_accent_blind_and_empty_keeps_them(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path)
    code, out = await _import(config, _filled(tmp_path, PEOPLE, "ds.xlsx"))
    assert code == 0, out
    assert texts.ROSTER_CATEGORIES_SET.format(count=5) in out
    assert _stored(config) == {
        "Nguyễn Văn Một": ("official", None),
        "Trần Thị Hai": ("official", "exempt"),
        "Lê Văn Ba": ("official", "exempt"),
        "Phạm Thị Bốn": ("probationary", "attached"),
        "Hoàng Văn Năm": ("official", "exempt"),
        "Đỗ Thị Sáu": ("probationary", None),
        "Vũ Văn Bảy": ("official", "attached"),
    }

    # The minutes count by it: two attending from elsewhere (one full, one probationary), three
    # exempt and not required to attend.
    db = await Database.open(config.db_path)
    try:
        clock = FakeClock(NOW)
        ctx = Ctx.build(db, config, clock)
        unit = await ctx.units.by_code(CELL)
        assert unit is not None
        meetings = MeetingRepo(db)
        starts = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
        await meetings.create_regular([(unit.id, "2026-12", starts, "Nhà văn hóa")], NOW)
        [meeting] = await meetings.upcoming(unit.id, NOW)
        totals = (await build_minutes(ctx, meeting)).totals
    finally:
        await db.close()
    assert (totals.total, totals.full, totals.probationary) == (7, 2, 2)
    assert (totals.exempt, totals.attached, totals.required) == (3, 2, 4)

    # Re-imported with the column empty: every category stays; «Chính thức» goes back to the
    # status column, a new label replaces the old one.
    blank = {name: (status, "") for name, (status, _) in PEOPLE.items()}
    blank["Đỗ Thị Sáu"] = ("Dự bị", "")
    blank["Trần Thị Hai"] = ("Chính thức", "chinh thuc")
    blank["Nguyễn Văn Một"] = ("", "Sinh hoạt tạm thời")
    code, out = await _import(config, _filled(tmp_path, blank, "lai.xlsx"))
    assert code == 0, out
    assert texts.ROSTER_CATEGORIES_SET.format(count=2) in out
    assert _stored(config) == {
        "Nguyễn Văn Một": ("official", "attached"),
        "Trần Thị Hai": ("official", None),
        "Lê Văn Ba": ("official", "exempt"),
        "Phạm Thị Bốn": ("probationary", "attached"),
        "Hoàng Văn Năm": ("official", "exempt"),
        "Đỗ Thị Sáu": ("probationary", None),
        "Vũ Văn Bảy": ("official", "attached"),
    }


async def test_an_unknown_or_contradictory_category_is_refused_naming_the_row(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path)
    assert (await _import(config, _filled(tmp_path, PEOPLE, "ds.xlsx")))[0] == 0
    before = _stored(config)
    rows = {
        "Nguyễn Văn Một": ("", "Nghỉ hưu"),
        "Trần Thị Hai": ("Dự bị", "Chính thức"),
        "Lê Văn Ba": ("", "Sinh hoạt tạm thời"),
        "Hoàng Văn Năm": ("", ""),
    }
    # Lê Văn Ba attends another cell for a while: that is the «Sinh hoạt tạm thời tại» column.
    extra = {"Lê Văn Ba": {M["attach"]: CELL + "X"}}
    path = _filled(tmp_path, rows, "sai.xlsx", **extra)
    code, out = await _import(config, path)
    assert code == 1
    sheet = texts.ROSTER_SHEET_MEMBERS
    accepted = ", ".join(texts.ROSTER_CATEGORIES)
    assert (
        texts.ROSTER_ISSUE_AT.format(
            sheet=sheet,
            row=2,
            column=COLUMN,
            message=texts.ROSTER_ERR_CATEGORY.format(value="Nghỉ hưu", accepted=accepted),
        )
        in out
    )
    assert (
        texts.ROSTER_ISSUE_AT.format(
            sheet=sheet,
            row=3,
            column=COLUMN,
            message=texts.ROSTER_ERR_CATEGORY_STATUS.format(value="Chính thức", status="Dự bị"),
        )
        in out
    )
    assert (
        texts.ROSTER_ISSUE_AT.format(
            sheet=sheet, row=4, column=COLUMN, message=texts.ROSTER_ERR_CATEGORY_ATTACHED
        )
        in out
    )
    assert "dòng 5" not in out
    assert _stored(config) == before


async def test_migration_0015_keeps_the_categories_already_set(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for version, name, sql in migrations():
            if version >= 15:
                break
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00.000000Z')",
                (version, name),
            )
        conn.execute(
            "INSERT INTO units (id, code, name, kind, created_at, updated_at) "
            "VALUES (1, 'A', 'Chi bộ A', 'cell_hamlet', 'x', 'x')"
        )
        for n, category in enumerate(("exempt", None, "probationary"), start=1):
            conn.execute(
                "INSERT INTO members (id, unit_id, full_name, name_key, status, category, "
                "created_at, updated_at) VALUES (?, 1, ?, ?, 'official', ?, 'x', 'x')",
                (n, f"Người {n}", f"nguoi {n}", category),
            )
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, category FROM members ORDER BY id").fetchall()
        assert rows == [(1, "exempt"), (2, None), (3, "probationary")]
        conn.execute("UPDATE members SET category = 'attached' WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE members SET category = 'other' WHERE id = 2")
