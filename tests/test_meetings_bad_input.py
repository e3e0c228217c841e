"""Meeting days, bad input: impossible or past dates, bad times, empty place, forged buttons,
a secretary of one cell touching another cell's meeting; and the date/rule parsers directly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core import texts
from bot.core.schedule_rules import (
    WhenError,
    meeting_start,
    parse_holidays,
    parse_rule,
    parse_when,
)
from tests.conftest import World
from tests.test_meetings import buttons, last_to, press, tick_at

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tuesday 01/12/2026 08:00 local


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("7/12 19h30", datetime(2026, 12, 7, 19, 30)),
        ("07/12/2026 19:30", datetime(2026, 12, 7, 19, 30)),
        ("thứ bảy 19h", datetime(2026, 12, 5, 19, 0)),
        ("THU BAY 19H", datetime(2026, 12, 5, 19, 0)),
        ("ngày 7/12 lúc 19 giờ 30", datetime(2026, 12, 7, 19, 30)),
        ("7h tối mai", datetime(2026, 12, 2, 19, 0)),
        ("5/1 8h", datetime(2027, 1, 5, 8, 0)),
    ],
)
def test_vietnamese_dates_are_understood(text: str, local: datetime) -> None:
    assert parse_when(text, NOW, TZ) == local.replace(tzinfo=TZ).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02 19h", "date"),
        ("7/12 19h75", "time"),
        ("7/12 25h", "time"),
        ("30/11 19h", "past"),
        ("01/12/2026 07:00", "past"),
        ("thứ ba 19h", "ambiguous"),  # today is a Tuesday: today or next week?
        ("thứ bảy 7/12 19h", "ambiguous"),  # 07/12 is a Monday
        ("7/12", "no_time"),
        ("19h", "format"),
        ("tuần sau nhé", "format"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW, TZ)
    assert caught.value.reason == reason


def test_rules_and_holidays_move_meetings_to_the_next_working_day() -> None:
    cal = parse_holidays(["01-01", "04-30", "05-01", "09-02", "2027-02-04..2027-02-10"])
    day5 = parse_rule("ngày 5 lúc 19h")
    # Tết 2027: the 5th of February is a holiday -> Thursday 11/02 (first working day after).
    start = meeting_start(day5, 2027, 2, cal, TZ).astimezone(TZ)
    assert (start.date(), start.time()) == (date(2027, 2, 11), time(19, 0))
    first_sat = parse_rule("first saturday 08:00")
    assert first_sat.occurrence(2026, 12) == date(2026, 12, 5)
    assert parse_rule("thứ sáu cuối cùng 14h").occurrence(2026, 12) == date(2026, 12, 25)
    assert parse_rule("day 31 19:00").occurrence(2027, 2) == date(2027, 2, 28)
    # 30/4 and 1/5 are holidays, 2-3/5/2026 a weekend: day 30 of April 2026 moves to Monday 4/5.
    assert cal.move(date(2026, 4, 30)) == date(2026, 5, 4)


async def _ready(world: World) -> int:
    for key in ("an", "cuong", "ha", "hung"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    rows = await world.rows(
        "SELECT id FROM meetings WHERE unit_id = ? AND period = '2026-12'",
        (world.seeded.unit_ids["A"],),
    )
    return int(rows[0]["id"])


async def test_bad_dates_and_an_empty_place_change_nothing(world: World) -> None:
    meeting = await _ready(world)
    before = await world.rows(
        "SELECT starts_at, place, version FROM meetings WHERE id = ?", (meeting,)
    )
    for text, reason in (
        ("30/11 19h", "past"),
        ("31/02 19h", "date"),
        ("7/12 19h75", "time"),
        ("thứ ba 19h", "ambiguous"),
    ):
        [reply] = await world.say("an", f"/datlich {text}")
        assert reply["text"] == texts.WHEN_ERRORS[reason].format(text=text) + texts.WHEN_EXAMPLE
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_PLACE)
    [empty] = await world.say("an", "   ")
    assert empty["text"] in (texts.DATLICH_EMPTY_PLACE, texts.NOT_UNDERSTOOD)
    after = await world.rows(
        "SELECT starts_at, place, version FROM meetings WHERE id = ?", (meeting,)
    )
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert await world.rows("SELECT * FROM outbox WHERE dedupe_key LIKE '%changed%'") == []


async def test_forged_buttons_of_another_cell_are_refused(world: World) -> None:
    meeting = await _ready(world)
    ids = world.seeded.member_ids
    welcome = last_to(world, "hung")  # any message of the bot in Hùng's chat (cell B)
    # Hùng answers for himself on a meeting of cell A.
    await world.press("hung", welcome, f"mt:y:{meeting}:{ids['hung']}", check=False)
    assert last_to(world, "hung")["text"] == texts.STALE_BUTTON
    # Hùng answers for Cường, a member of cell A.
    await world.press("hung", welcome, f"mt:n:{meeting}:{ids['cuong']}", check=False)
    assert last_to(world, "hung")["text"] == texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)
    await world.press("hung", welcome, f"mt:r:{meeting}:{ids['cuong']}:om", check=False)
    assert await world.rows("SELECT * FROM meeting_answers") == []
    # Hà, secretary of cell B, tries to move, cancel and take attendance of cell A's meeting.
    hello = last_to(world, "ha")
    for data in (f"dl:t:{meeting}", f"dl:x:{meeting}:1", f"dl:c:{meeting}", f"dd:o:{meeting}"):
        await world.press("ha", hello, data, check=False)
        # The real reason: the meeting is not in her cell (not "for secretaries only").
        assert last_to(world, "ha")["text"] == texts.NOT_YOUR_CELL, data
    rows = await world.rows("SELECT status, version FROM meetings WHERE id = ?", (meeting,))
    assert (rows[0]["status"], rows[0]["version"]) == ("scheduled", 1)
    # Malformed payloads are stale buttons, not errors.
    for data in ("mt:y", "mt:y:x:y", "dl:t", "dd:t:1", f"mt:r:{meeting}:{ids['cuong']}:zz"):
        await world.press("cuong", last_to(world, "cuong"), data, check=False)
        assert last_to(world, "cuong")["text"] in (
            texts.STALE_BUTTON,
            texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE),
        )


async def test_cancel_tells_everyone_and_withdraws_reminders(world: World) -> None:
    meeting = await _ready(world)
    [menu] = await world.say("an", "/datlich")
    confirm = await press(world, "an", menu, texts.DATLICH_CANCEL)
    assert set(buttons(confirm)) == {texts.DATLICH_CANCEL, texts.DATLICH_KEEP}
    await press(world, "an", confirm, texts.DATLICH_CANCEL)
    assert last_to(world, "cuong")["text"].startswith("❌ Hủy buổi sinh hoạt")
    rows = await world.rows("SELECT status FROM meetings WHERE id = ?", (meeting,))
    assert rows[0]["status"] == "cancelled"
    # Its reminder time comes: nothing is sent for a cancelled meeting.
    await tick_at(world, "2026-12-02T01:00:00")
    assert not last_to(world, "cuong")["text"].startswith("🔔")
