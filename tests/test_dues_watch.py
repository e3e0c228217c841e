"""The Statute watch on dues, the monthly reminder and the way in from /diemdanh, with a fake
clock: two and then three months unpaid are reported once each, with the year's absences in
the same message; an excused month is not counted; reminders are off until a cell turns them
on, and reach only members who owe the month."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import texts
from bot.money import format_money
from storage.dues import DuesRepo
from tests.conftest import World
from tests.dues_world import CELL, NAMES, card_of, dues_world, import_amounts
from tests.test_meetings import buttons, last_to, press, record_attendance, texts_to, tick_at
from tests.test_tasks_checkin import outbox_keys

__all__ = ["dues_world"]

PAID = {"an": 85_000, "binh": 50_000, "duc": 20_000, "ha": 40_000, "hung": 40_000}


async def pay_autumn(world: World) -> None:
    """Everyone but Cường and Dung paid October and November (set-up through the repository;
    recording in chat is tested in test_dues)."""
    ids, units = world.seeded.member_ids, world.seeded.unit_ids
    store = DuesRepo(world.db)
    for key, amount in PAID.items():
        unit = units["B"] if key in ("ha", "hung") else units["A"]
        months = [("2026-10", amount), ("2026-11", amount)]
        await store.record(
            ids[key], unit, months, "cash", "2026-11-30", ids["an"], world.clock.now()
        )


# The bot runs its planners when it starts: started on Monday 30/11 before the watch's moment,
# so this week's watch first runs on Tuesday's tick below, after the payments are recorded.
@pytest.mark.start_at("2026-11-30T00:30:00")
async def test_two_then_three_months_warn_once_each(dues_world: World, tmp_path: Path) -> None:
    world = dues_world
    ids = world.seeded.member_ids
    await import_amounts(world, tmp_path)
    for key in ("an", "binh", "cuong", "dung"):
        await world.link(key)
    await pay_autumn(world)

    # Dung's November is excused in chat, with a reason.
    [sheet] = await world.say("an", "/dangphi 11/2026")
    assert sheet["text"].startswith(texts.DUES_HEADER.format(month="11/2026", unit=CELL))
    card = await card_of(world, "an", sheet, NAMES["dung"])
    asked = await press(world, "an", card, texts.DUES_EXCUSE)
    assert asked["text"] == texts.DUES_ASK_REASON.format(
        name=NAMES["dung"], month="11/2026", limit=200
    )
    [done] = await world.say("an", "Hoàn cảnh khó khăn")
    assert done["text"].startswith(
        texts.DUES_EXCUSED_DONE.format(
            name=NAMES["dung"], month="11/2026", reason="Hoàn cảnh khó khăn"
        )
    )
    assert texts.DUES_UNEXCUSE in buttons(done)
    await world.say("an", "/huy")

    # Tuesday 1 December, 08:00: this week's watch (Monday's moment has passed) finds October
    # and November unpaid for Cường -> the first warning, to the secretary and the deputy.
    await tick_at(world, "2026-12-01T01:00:00")
    warned = {f"dues:{ids['cuong']}:2026:warn:2:to:{ids[k]}" for k in ("an", "binh")}
    assert await outbox_keys(world, "dues:%:warn:%") == warned
    text = texts_to(world, "an")[-1]
    assert text == "\n".join(
        [
            texts.DUES_WARN_TWO.format(name=NAMES["cuong"], count=2, year=2026, months="10, 11"),
            texts.DUES_WARN_HINT,
        ]
    )
    assert texts_to(world, "binh")[-1] == text
    assert not any(NAMES["cuong"] in t for t in texts_to(world, "cuong")[1:])

    # Cường misses the December meeting; the saved attendance leads to the dues book.
    await tick_at(world, "2026-12-06T03:00:00")
    saved = await record_attendance(world, {"cuong": 3})  # unmarked, present, excused, absent
    book = await press(world, "an", saved, texts.DUES_FROM_ATTENDANCE)
    assert book["text"].startswith(texts.DUES_HEADER.format(month="12/2026", unit=CELL))
    await world.say("an", "/huy")

    # Later that week and the next weeks: nothing again.
    await tick_at(world, "2026-12-07T01:30:00")
    await tick_at(world, "2026-12-14T01:30:00")
    assert await outbox_keys(world, "dues:%:warn:%") == warned

    # Monday 4 January: December is over too. Cường reaches three months; Dung two (her excused
    # November does not count); those who paid the autumn owe one month only.
    await tick_at(world, "2027-01-04T01:30:00")
    more = {f"dues:{ids['cuong']}:2026:warn:3:to:{ids[k]}" for k in ("an", "binh")}
    more |= {f"dues:{ids['dung']}:2026:warn:2:to:{ids[k]}" for k in ("an", "binh")}
    assert await outbox_keys(world, "dues:%:warn:%") == warned | more
    sent = texts_to(world, "an")
    three = texts.DUES_WARN_THREE.format(
        name=NAMES["cuong"], count=3, year=2026, months="10, 11, 12"
    )
    [message] = [t for t in sent if t.startswith(three)]
    # One message for both removal grounds: the absence is in it.
    assert texts.DUES_WARN_ABSENT.format(count=1, dates="05/12") in message
    two = texts.DUES_WARN_TWO.format(name=NAMES["dung"], count=2, year=2026, months="10, 12")
    assert sum(1 for t in sent if t.startswith(two)) == 1
    # The outbox forgets sent rows after [delivery] retention_days; the levels sent are kept.
    assert await world.chibo.ctx.outbox.prune(world.clock.now() + timedelta(days=1)) > 0
    assert await outbox_keys(world, "dues:%:warn:%") == set()
    await tick_at(world, "2027-01-11T01:30:00")
    assert await outbox_keys(world, "dues:%:warn:%") == set()
    rows = await world.rows("SELECT member_id, year, level FROM dues_warnings ORDER BY 1, 3")
    assert [tuple(r) for r in rows] == [(ids["cuong"], 2026, 2), (ids["cuong"], 2026, 3),
                                        (ids["dung"], 2026, 2)]  # fmt: skip


async def test_monthly_reminder_is_off_until_turned_on(dues_world: World, tmp_path: Path) -> None:
    world = dues_world
    ids = world.seeded.member_ids
    await import_amounts(world, tmp_path)
    for key in ("an", "cuong", "duc"):
        await world.link(key)
    # Off by default: the 20th at 09:30 sends nothing.
    await tick_at(world, "2026-12-20T02:30:00")
    assert await outbox_keys(world, "dues:remind:%") == set()

    [sheet] = await world.say("an", "/dangphi")
    on = await press(world, "an", sheet, texts.DUES_REMIND_ON)
    assert on["text"].startswith(texts.DUES_REMIND_NOW_ON.format(day=20))
    assert texts.DUES_REMIND_OFF in buttons(on)
    assert [tuple(r) for r in await world.rows("SELECT unit_id, reminders FROM dues_settings")] == [
        (world.seeded.unit_ids["A"], 1)
    ]
    # Đức has paid December: only An and Cường (linked, owing) are reminded, once, never at
    # night, each privately.
    card = await card_of(world, "an", last_to(world, "an"), NAMES["duc"])
    await press(world, "an", card, texts.DUES_PAY_BUTTON.format(
        method=texts.DUES_METHODS["cash"], amount=format_money(20_000)))  # fmt: skip
    await tick_at(world, "2026-12-20T15:00:00")  # 22:00 local: quiet hours
    assert await outbox_keys(world, "dues:remind:%") == set()
    await tick_at(world, "2026-12-21T01:00:00")
    reminded = {f"dues:remind:2026-12:{ids[k]}" for k in ("an", "cuong")}
    assert await outbox_keys(world, "dues:remind:%") == reminded
    assert texts_to(world, "cuong")[-1] == texts.DUES_REMINDER.format(
        month="12/2026", amount=format_money(5_000)
    )
    await tick_at(world, "2026-12-22T01:00:00")
    assert await outbox_keys(world, "dues:remind:%") == reminded
