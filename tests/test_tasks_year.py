"""The year view (/tongket) and the command line (`chibo tasks list`, `chibo checkins export`)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from bot.cli.tasks import checkins_export, tasks_list
from bot.core import texts
from tests.conftest import World
from tests.seed import grant
from tests.test_meetings import buttons, last_to, press, tick_at
from tests.test_tasks import assign

CELL = "Chi bộ ấp Tân Thành"


async def _december_round(world: World) -> None:
    """Cường has two tasks and answers one with a note; Dũng has one and stays silent."""
    for key in ("an", "cuong", "dung"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường", "Phạm Thị Dung"], "Vận động quỹ khuyến học", None)
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", "31/12")
    await tick_at(world, "2026-11-30T01:00:00")
    prompt = last_to(world, "cuong")
    await press(world, "cuong", prompt, texts.CHECKIN_STATUS["done"])
    await world.say("cuong", "Đã thu 2 triệu đồng")


async def test_year_view_for_secretary_and_committee(world: World) -> None:
    await _december_round(world)
    await world.link("ha")
    await grant(world.db, world.seeded, "ha", "committee", "X")
    [view] = await world.say("an", "/tongket")
    text = view["text"]
    assert text.startswith(texts.YEAR_HEADER.format(unit=CELL, year=2026))
    assert texts.YEAR_SHARE.format(with_task=2, members=5, share="40.00%") in text
    assert texts.YEAR_MONTH.format(month=12, got=1, total=2, rate="50.0%") in text
    assert texts.YEAR_MEMBER.format(name="Lê Văn Cường", assigned=2, done=1) in text
    assert texts.YEAR_MEMBER.format(name="Phạm Thị Dung", assigned=1, done=0) in text
    # Hà leads cell B and sits on the commune committee: both views.
    own, committee = await world.say("ha", "/tongket", count=2)
    assert own["text"].startswith(texts.YEAR_HEADER.format(unit="Chi bộ ấp Phú Lợi", year=2026))
    assert (
        texts.YEAR_COMMITTEE_LINE.format(
            unit=CELL, with_task=2, members=5, share="40.00%", response="50.0%"
        )
        in committee["text"]
    )
    [refused] = await world.say("cuong", "/tongket")
    assert refused["text"].startswith(texts.NO_PERMISSION.split("{")[0])


async def test_cli_list_and_export(world: World, tmp_path: Path) -> None:
    await _december_round(world)
    config = world.chibo.config
    out = io.StringIO()
    assert await tasks_list(config, "X", out=out, clock=world.clock) == 0
    listing = out.getvalue()
    assert f"{CELL}:" in listing and "Chi bộ ấp Phú Lợi:" in listing
    assert (
        texts.CLI_TASKS_MEMBER.format(
            name="Lê Văn Cường", report="Đã hoàn thành (Đã thu 2 triệu đồng)"
        )
        in listing
    )
    only = io.StringIO()
    assert await tasks_list(config, "A", "Pham Thi Dung", out=only, clock=world.clock) == 0
    assert "Trực tổ an ninh" not in only.getvalue()

    path = tmp_path / "bao-cao.xlsx"
    assert await checkins_export(config, "A", "2026-12", path, clock=world.clock) == 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(texts.EXPORT_HEADERS)
    body = {(r[1], r[2]): (r[4], r[5]) for r in rows[1:]}
    assert body == {
        ("Lê Văn Cường", "Vận động quỹ khuyến học"): ("Đã hoàn thành", "Đã thu 2 triệu đồng"),
        ("Lê Văn Cường", "Trực tổ an ninh"): (texts.NHIEMVU_NO_REPORT, None),
        ("Phạm Thị Dung", "Vận động quỹ khuyến học"): (texts.NHIEMVU_NO_REPORT, None),
    }
    assert await checkins_export(config, "A", "2026-13", path, clock=world.clock) == 2
    assert await checkins_export(config, "ZZ", "2026-12", path, clock=world.clock) == 1


async def test_year_view_counts_closed_tasks_and_round_excuses(world: World) -> None:
    """A task closed by the secretary counts as done; a member excused from the round is not
    expected to report (the figures the dashboard and /tongket read from SQLite)."""
    await _december_round(world)
    [view] = await world.say("an", "/tiendo")
    await world.press("an", view, buttons(view)[texts.TIENDO_EXCUSE.format(name="Phạm Thị Dung")])
    [task] = await world.rows("SELECT id FROM tasks WHERE body = 'Trực tổ an ninh'")
    _own, cell = await world.say("an", "/nhiemvu", count=2)
    label = next(b for b in buttons(cell) if b.startswith(f"#{task['id']} "))
    detail = await press(world, "an", cell, label)
    await press(world, "an", detail, texts.TASK_CLOSE)
    year, _chart = await world.say("an", "/tongket", count=2)
    text = year["text"]
    assert texts.YEAR_MONTH.format(month=12, got=1, total=1, rate="100.0%") in text
    assert texts.YEAR_MEMBER.format(name="Lê Văn Cường", assigned=2, done=2) in text
    assert texts.YEAR_MEMBER.format(name="Phạm Thị Dung", assigned=1, done=0) in text
    assert texts.YEAR_SHARE.format(with_task=2, members=5, share="40.00%") in text
