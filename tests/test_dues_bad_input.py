"""Bad input to the dues book: amounts that are negative, absurd or unreadable (and «50k»,
«50.000đ» read as 50,000 đồng), a month in the future, a plain member at the checklist,
forged buttons and a bad roster column. Each gets a clear answer and changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.core import texts
from bot.core.money import format_money
from bot.roster.dues import DuesRules
from bot.roster.issues import RosterError
from bot.roster.reader import read_roster
from tests.conftest import World
from tests.dues_world import NAMES, card_of, dues_world, import_amounts, payments
from tests.test_meetings import buttons, last_to, press, settle

__all__ = ["dues_world"]

TODAY = date(2026, 12, 1)


async def state(world: World) -> tuple[Any, ...]:
    tables = ("dues_payments", "dues_amounts", "dues_excused", "dues_settings")
    found = []
    for table in tables:
        found.append([tuple(r) for r in await world.rows(f"SELECT * FROM {table}")])
    return tuple(found)


async def forged(world: World, key: str, data: str) -> str:
    """Press button data no message carries; the answer."""
    await world.press(key, last_to(world, key), data, check=False)
    await settle(world)
    return str(last_to(world, key)["text"])


async def test_typed_amounts(dues_world: World, tmp_path: Path) -> None:
    world = dues_world
    await import_amounts(world, tmp_path)
    await world.link("an")
    [sheet] = await world.say("an", "/dangphi")
    card = await card_of(world, "an", sheet, NAMES["cuong"])
    await press(world, "an", card, texts.DUES_OTHER_AMOUNT)
    before = await state(world)
    for typed, answer in (
        ("-50000", texts.DUES_AMOUNT_NEGATIVE),
        ("0", texts.DUES_AMOUNT_NEGATIVE),
        ("50000000", texts.DUES_AMOUNT_ABSURD.format(limit=format_money(5_000_000))),
        ("năm chục", texts.DUES_AMOUNT_UNREADABLE.format(text="năm chục")),
        ("50.5", texts.DUES_AMOUNT_UNREADABLE.format(text="50.5")),
    ):
        [reply] = await world.say("an", typed)
        assert reply["text"] == answer
    assert await state(world) == before
    for typed in ("50k", "50.000đ", "50.000 đồng", "50,000"):
        [reply] = await world.say("an", typed)
        assert texts.DUES_CARD_TYPED.format(amount=format_money(50_000)) in reply["text"]
        await press(world, "an", reply, texts.DUES_OTHER_AMOUNT)
    # The amount due: a category by its button, or zero («Miễn đóng»); never a salary.
    card = await card_of(world, "an", await press(world, "an", last_to(world, "an"),
                                                  texts.DUES_BACK), NAMES["duc"])  # fmt: skip
    asked = await press(world, "an", card, texts.DUES_CHANGE_DUE)
    label = texts.DUES_CATEGORY_BUTTON.format(name="Miễn đóng", amount=format_money(0))
    assert label in buttons(asked)
    done = await press(world, "an", asked, label)
    assert done["text"].startswith(
        texts.DUES_DUE_SET.format(name=NAMES["duc"], month="12/2026", amount=format_money(0))
    )
    await press(world, "an", done, texts.DUES_CHANGE_DUE)
    [bad] = await world.say("an", "-1")
    assert bad["text"] == texts.DUES_AMOUNT_NEGATIVE
    [ok] = await world.say("an", "1,2tr")
    assert ok["text"].startswith(
        texts.DUES_DUE_SET.format(
            name=NAMES["duc"], month="12/2026", amount=format_money(1_200_000)
        )
    )
    rows = await world.rows(
        "SELECT from_period, amount, category, source FROM dues_amounts WHERE member_id = ? "
        "ORDER BY id",
        (world.seeded.member_ids["duc"],),
    )
    assert [tuple(r) for r in rows] == [
        ("2026-10", 20_000, None, "roster"),
        ("2026-12", 0, "Miễn đóng", "chat"),
        ("2026-12", 1_200_000, None, "chat"),
    ]
    assert await payments(world) == []


async def test_months_roles_and_forged_buttons(dues_world: World, tmp_path: Path) -> None:
    world = dues_world
    ids, units = world.seeded.member_ids, world.seeded.unit_ids
    await import_amounts(world, tmp_path)
    for key in ("an", "cuong"):
        await world.link(key)
    before = await state(world)
    # A month in the future, or not a month at all.
    [reply] = await world.say("an", "/dangphi 1/2027")
    assert reply["text"] == texts.DUES_FUTURE_MONTH.format(month="01/2027")
    [reply] = await world.say("an", "/dangphi tháng mười ba")
    assert reply["text"] == texts.DUES_BAD_MONTH.format(text="tháng mười ba")
    [reply] = await world.say("an", "/dangphi 13/2026")
    assert reply["text"] == texts.DUES_BAD_MONTH.format(text="13/2026")
    # A plain member never sees the checklist: their own months, or a polite refusal.
    [mine] = await world.say("cuong", "/dangphi 11/2026")
    assert mine["text"].startswith(texts.DUES_MINE_HEADER.format(year=2026, name=NAMES["cuong"]))
    refused = texts.NO_PERMISSION.format(role=texts.DUES_ROLE)
    assert await forged(world, "cuong", f"df:o:{units['A']}:202612") == refused
    assert await forged(world, "cuong", "df:p:c") == refused
    assert await forged(world, "cuong", f"df:m:{ids['dung']}") == refused

    # The secretary: another cell's book, a member of another cell, a future month, garbage.
    [sheet] = await world.say("an", "/dangphi")
    assert await forged(world, "an", f"df:o:{units['B']}:202612") == texts.DUES_NOT_YOUR_BOOK
    assert await forged(world, "an", f"df:m:{ids['hung']}") == texts.DUES_OTHER_CELL
    assert await forged(world, "an", f"df:o:{units['A']}:202701") == (
        texts.DUES_FUTURE_MONTH.format(month="01/2027")
    )
    for data in ("df:zz", "df:g:99", "df:m:abc", "df:p:z", "df:o:1:209913", "df:m:²", "df:g:1"):
        assert await forged(world, "an", data) == texts.STALE_BUTTON, data
    # Pay buttons without a member's card open: nothing recorded.
    assert await forged(world, "an", "df:p:c") == texts.STALE_BUTTON
    assert await forged(world, "an", "df:q:c") == texts.STALE_BUTTON
    assert await state(world) == before
    assert sheet["text"].startswith(
        texts.DUES_HEADER.format(month="12/2026", unit="Chi bộ ấp Tân Thành")
    )


def test_roster_dues_column_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    headers = texts.ROSTER_MEMBER_HEADERS
    dues = texts.ROSTER_DUES_HEADERS
    lines = [
        f"{headers['name']},{headers['unit']},{dues['dues']},{dues['dues_from']}",
        "Nguyễn Văn Một,A,-5000,",
        "Nguyễn Văn Hai,A,abc,",
        "Nguyễn Văn Ba,A,99999999,",
        "Nguyễn Văn Bốn,A,50000,13/2026",
        "Nguyễn Văn Năm,A,,01/2027",
        "Nguyễn Văn Sáu,A,50.000đ,01/2027",
        "Nguyễn Văn Bảy,A,Sinh viên,",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = DuesRules({"Sinh viên": 5000}, 5_000_000)
    with pytest.raises(RosterError) as caught:
        read_roster([path], today=TODAY, known_units={"A": None}, dues=rules)
    messages = {issue.row: issue.message for issue in caught.value.issues}
    assert messages == {
        2: texts.ROSTER_ERR_DUES.format(value="-5000", accepted="Sinh viên"),
        3: texts.ROSTER_ERR_DUES.format(value="abc", accepted="Sinh viên"),
        4: texts.ROSTER_ERR_DUES_LIMIT.format(value="99999999", limit=format_money(5_000_000)),
        5: texts.ROSTER_ERR_DUES_MONTH.format(value="13/2026"),
        6: texts.ROSTER_ERR_DUES_MONTH_ALONE,
    }
    path.write_text("\n".join(lines[:1] + lines[6:]) + "\n", encoding="utf-8")
    roster = read_roster([path], today=TODAY, known_units={"A": None}, dues=rules)
    got = [(m.dues_amount, m.dues_category, m.dues_from) for m in roster.members]
    assert got[0] == (50_000, None, "2027-01")
    assert got[1][:2] == (5_000, "Sinh viên")
