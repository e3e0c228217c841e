"""Party dues end to end: amounts imported with the roster, a treasurer granted by the CLI keeps
the book in chat (cash for three, two months at once for one, a correction with history), a
member sees only their own months, and the export's totals match the payments."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from bot.cli.dues import dues_export
from bot.core import texts
from bot.core.money import format_money
from handlers import dashboard
from storage.members import MemberRepo
from tests.conftest import World
from tests.dues_world import (
    CELL,
    NAMES,
    card_of,
    cli,
    dues_world,
    import_amounts,
    mark,
    pay,
    pay_label,
    payments,
)
from tests.test_meetings import buttons, last_to, press, settle

__all__ = ["dues_world"]


async def test_amounts_import_and_reimport(dues_world: World, tmp_path: Path) -> None:
    world = dues_world
    out = await import_amounts(world, tmp_path)
    assert texts.ROSTER_DUES_SET.format(count=7) in out
    rows = await world.rows(
        "SELECT m.full_name, d.from_period, d.amount, d.category, d.source FROM dues_amounts d "
        "JOIN members m ON m.id = d.member_id ORDER BY d.id"
    )
    got = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}
    assert got == {
        NAMES["an"]: ("2026-10", 85_000, None, "roster"),
        NAMES["binh"]: ("2026-10", 50_000, None, "roster"),
        NAMES["cuong"]: ("2026-10", 5_000, "Học sinh, sinh viên", "roster"),
        NAMES["dung"]: ("2026-10", 30_000, None, "roster"),
        NAMES["duc"]: ("2026-10", 20_000, None, "roster"),
        NAMES["ha"]: ("2026-10", 40_000, None, "roster"),
        NAMES["hung"]: ("2026-10", 40_000, None, "roster"),
    }
    # The same file again changes nothing; a new amount from January is one more row.
    out = await import_amounts(world, tmp_path)
    assert texts.ROSTER_DUES_SET.format(count=7) not in out
    assert len(await world.rows("SELECT id FROM dues_amounts")) == 7
    await import_amounts(world, tmp_path, {"duc": "25000"}, since="01/2027")
    rows = await world.rows(
        "SELECT from_period, amount FROM dues_amounts WHERE member_id = ? ORDER BY id",
        (world.seeded.member_ids["duc"],),
    )
    assert [tuple(r) for r in rows] == [("2026-10", 20_000), ("2027-01", 25_000)]
    # Roster roles survive the re-import (the file carries the positions).
    roles = await world.rows(
        "SELECT role FROM roles WHERE member_id = ?", (world.seeded.member_ids["an"],)
    )
    assert [r[0] for r in roles] == ["secretary"]


async def test_treasurer_keeps_the_book(dues_world: World, tmp_path: Path) -> None:
    world = dues_world
    ids = world.seeded.member_ids
    await import_amounts(world, tmp_path)
    code, output = await cli(tmp_path, world.chibo.config.db_path, "roles", "grant",
                             "--member", "093004", "--role", "treasurer", "--unit", "A")  # fmt: skip
    assert code == 0, output
    assert await world.rows("SELECT role FROM roles WHERE member_id = ?", (ids["dung"],))
    for key in ("an", "cuong", "dung"):
        await world.link(key)

    [sheet] = await world.say("dung", "/dangphi")
    assert sheet["text"].startswith(texts.DUES_HEADER.format(month="12/2026", unit=CELL))
    expected = format_money(85_000 + 50_000 + 5_000 + 30_000 + 20_000)
    assert (
        texts.DUES_COUNTS.format(paid=0, owing=5, collected=format_money(0), expected=expected)
        in sheet["text"]
    )
    assert mark(NAMES["cuong"], 5_000) in buttons(sheet)

    # Cash for three members at the amount due.
    done = await pay(world, "dung", NAMES["an"], "cash", 85_000)
    assert done["text"].startswith(
        texts.DUES_RECORDED.format(
            name=NAMES["an"], amount=format_money(85_000), method="Tiền mặt", months="12/2026"
        )
    )
    await pay(world, "dung", NAMES["binh"], "cash", 50_000)
    sheet = await pay(world, "dung", NAMES["cuong"], "cash", 5_000)
    assert mark(NAMES["cuong"], 5_000, "paid") in buttons(sheet)
    assert (
        texts.DUES_COUNTS.format(
            paid=3, owing=5, collected=format_money(140_000), expected=expected
        )
        in sheet["text"]
    )

    # Đức catches up two months at once, by bank transfer: October and November.
    card = await card_of(world, "dung", sheet, NAMES["duc"])
    counts = await press(world, "dung", card, texts.DUES_SEVERAL)
    confirm = await press(world, "dung", counts, texts.DUES_SEVERAL_BUTTON.format(count=2))
    assert confirm["text"].startswith(
        texts.DUES_SEVERAL_CONFIRM.format(
            name=NAMES["duc"], count=2, months="10/2026, 11/2026", total=format_money(40_000)
        )
    )
    await press(world, "dung", confirm, texts.DUES_METHODS["bank"])
    rows = await payments(world)
    duc = [r for r in rows if r[0] == ids["duc"]]
    assert [(r[1], r[2], r[3]) for r in duc] == [
        ("2026-10", 20_000, "bank"),
        ("2026-11", 20_000, "bank"),
    ]
    assert duc[0][5] == duc[1][5] is not None  # one payment, one batch
    assert sorted((r[0], r[1], r[2], r[3]) for r in rows if r[0] != ids["duc"]) == sorted(
        [
            (ids["an"], "2026-12", 85_000, "cash"),
            (ids["binh"], "2026-12", 50_000, "cash"),
            (ids["cuong"], "2026-12", 5_000, "cash"),
        ]
    )

    # A correction: An paid 100.000đ through the portal, typed as «100k»; the first row stays.
    card = await card_of(world, "dung", last_to(world, "dung"), NAMES["an"])
    await press(world, "dung", card, texts.DUES_OTHER_AMOUNT)
    [typed] = await world.say("dung", "100k")
    assert texts.DUES_CARD_TYPED.format(amount=format_money(100_000)) in typed["text"]
    await press(world, "dung", typed, pay_label("portal", 100_000))
    an_rows = [r for r in await payments(world) if r[0] == ids["an"]]
    assert [(r[2], r[3], r[4]) for r in an_rows] == [(85_000, "cash", 1), (100_000, "portal", 0)]
    card = await card_of(world, "dung", last_to(world, "dung"), NAMES["an"])
    assert texts.DUES_CARD_CORRECTED.format(count=1) in card["text"]

    # The member's own view: only their months, nobody else's.
    [mine] = await world.say("cuong", "/dangphi")
    assert mine["text"].startswith(texts.DUES_MINE_HEADER.format(year=2026, name=NAMES["cuong"]))
    assert texts.DUES_MINE_DUE.format(amount=format_money(5_000)) in mine["text"]
    assert texts.DUES_MINE_PAID.format(months="12", total=format_money(5_000)) in mine["text"]
    assert texts.DUES_MINE_UNPAID.format(months="10, 11") in mine["text"]
    assert not any(NAMES[k] in mine["text"] for k in NAMES if k != "cuong")
    assert "reply_markup" not in mine

    # The export: one row per member, a column per month, totals equal to the payments.
    path = tmp_path / "so-dang-phi.xlsx"
    assert await dues_export(world.chibo.config, "A", "2026", path, clock=world.clock) == 0
    book = openpyxl.load_workbook(path)
    ws = book["A"]
    table = list(ws.iter_rows(values_only=True))
    assert table[0][0] == texts.DUES_EXPORT_TITLE.format(year=2026, unit=CELL)
    head = list(table[1])
    assert head[:4] == list(texts.DUES_EXPORT_HEADERS)
    assert head[4] == texts.DUES_EXPORT_MONTH.format(month=1)
    by_name = {r[1]: r for r in table[2:7]}
    assert set(by_name) == {NAMES[k] for k in ("an", "binh", "cuong", "dung", "duc")}
    dec, oct_, nov = 4 + 11, 4 + 9, 4 + 10
    assert by_name[NAMES["an"]][dec] == 100_000 and isinstance(by_name[NAMES["an"]][dec], int)
    assert (by_name[NAMES["duc"]][oct_], by_name[NAMES["duc"]][nov]) == (20_000, 20_000)
    assert by_name[NAMES["duc"]][16] == 40_000  # the year's total
    assert isinstance(by_name[NAMES["an"]][17], datetime)  # a date, not text
    current = [r for r in await payments(world) if not r[4]]
    totals = {r[1]: r for r in table[7:]}
    assert totals[texts.DUES_EXPORT_ROW_TOTAL][16] == sum(r[2] for r in current)
    assert totals[texts.DUES_EXPORT_ROW_TOTAL][dec] == 100_000 + 50_000 + 5_000
    kept = totals[texts.DUES_EXPORT_ROW_KEPT.format(percent=30)]
    remitted = totals[texts.DUES_EXPORT_ROW_REMITTED]
    assert kept[dec] == 155_000 * 30 // 100 and kept[dec] + remitted[dec] == 155_000
    # A committee gets a summary and one sheet per cell.
    path = tmp_path / "xa.xlsx"
    assert await dues_export(world.chibo.config, "X", "2026", path, clock=world.clock) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [texts.DUES_EXPORT_SUMMARY, "A", "B"]
    summary = list(book[texts.DUES_EXPORT_SUMMARY].iter_rows(values_only=True))
    assert summary[1][:4] == ("A", CELL, 5, sum(r[2] for r in current))
    assert summary[-1][3] == sum(r[2] for r in current)

    # /tongket shows the dues figures to the secretary.
    await world.say("an", "/huy")
    [year] = await world.say("an", "/tongket")
    assert (
        texts.DUES_YEAR_MONTH.format(month=12, collected=format_money(155_000), expected=expected)
        in year["text"]
    )
    # A committee member's year view: each cell's line ends with its dues. In cell A only Đức
    # has no month over unpaid (October and November); collected 195.000 đ of 3 x 190.000 đ.
    await MemberRepo(world.db).grant(ids["hung"], "committee", world.seeded.unit_ids["X"])
    await world.link("hung")
    [view] = await world.say("hung", "/tongket")
    assert view["text"].startswith(
        texts.YEAR_COMMITTEE_HEADER.format(unit="Đảng bộ xã Hòa Bình", year=2026)
    )
    suffix = texts.DUES_YEAR_COMMITTEE.format(
        share="20.0%", collected=format_money(195_000), expected=format_money(570_000)
    )
    assert f"{suffix}\n" in view["text"]
    # The committees' web dashboard carries the same figures per cell: the year, and December.
    ctx, x = world.chibo.ctx, world.seeded.unit_ids["X"]
    year_board = await dashboard.build(ctx, x, [x], dashboard.Period(2026, None))
    december = await dashboard.build(ctx, x, [x], dashboard.Period(2026, 12))
    assert year_board is not None and december is not None
    cell_a = {u.code: f for u, f in year_board.children}["A"].extra
    assert cell_a == {"dues_members": (0, 5), "dues_collected": (195_000, 570_000)}
    cell_a = {u.code: f for u, f in december.children}["A"].extra
    assert cell_a == {"dues_members": (3, 5), "dues_collected": (155_000, 190_000)}
    await settle(world)
