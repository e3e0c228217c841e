"""Meeting days as a secretary lives them (issue 14), end to end with the fake clock: honest
reminder labels, no pointless notices, names as people write them, leave and temporary
attachment, holidays from the `holidays` package, several cells, the CLI's output."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.app import Chibo
from bot.cli.members import members_attach
from bot.cli.roster import roster_import
from bot.cli.tasks import checkins_export
from bot.core import texts
from handlers.minutes_data import build_minutes
from storage.meetings import MeetingRepo
from tests.conftest import World, make_config
from tests.seed import grant
from tests.test_meetings import at, buttons, last_to, press, settle, texts_to, tick_at
from tests.test_tasks import assign

CELL_A = "Chi bộ ấp Tân Thành"
CELL_B = "Chi bộ ấp Phú Lợi"


def reminders(world: World, key: str) -> list[str]:
    return [t for t in texts_to(world, key) if t.startswith(("🔔", texts.REMINDER_LATE))]


async def meeting_of(world: World, unit: str, period: str) -> dict[str, Any]:
    rows = await world.rows(
        "SELECT * FROM meetings WHERE unit_id = ? AND period = ?",
        (world.seeded.unit_ids[unit], period),
    )
    return dict(rows[0])


async def rounds(world: World, meeting_id: int) -> dict[tuple[int, str], str]:
    rows = await world.rows(
        "SELECT version, label, outcome FROM meeting_reminder_rounds WHERE meeting_id = ?",
        (meeting_id,),
    )
    return {(r["version"], r["label"]): r["outcome"] for r in rows}


# -- 1. reminders: only real downtime says so ------------------------------------------------


async def test_a_thematic_meeting_added_at_short_notice_gets_no_outage_label(world: World) -> None:
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-12-10T13:59:00")
    # 21:00 local: a thematic meeting at 22:30 tonight. Its 2-hour reminder time (20:30) and
    # the 3-day one passed before it existed; Chibo never stopped.
    world.clock.set(at("2026-12-10T14:00:00"))
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_THEMATIC)
    await world.say("an", "10/12 22h30")
    await world.say("an", "Học tập chuyên đề", count=2)
    await settle(world)
    assert texts_to(world, "cuong")[-1].startswith("📣 Lịch sinh hoạt chuyên đề")
    for moment in ("2026-12-10T14:00:30", "2026-12-10T14:05:00", "2026-12-10T15:00:00"):
        await tick_at(world, moment)
    # The announcement told everyone: no reminder, and never «gửi muộn».
    assert reminders(world, "cuong") == []
    assert not any(texts.REMINDER_LATE in t for t in texts_to(world, "cuong"))
    [thematic] = await world.rows("SELECT id FROM meetings WHERE kind = 'thematic'")
    assert await rounds(world, thematic["id"]) == {(1, "3d"): "skipped", (1, "2h"): "skipped"}


async def test_a_meeting_moved_at_short_notice_gets_no_outage_label(world: World) -> None:
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    await tick_at(world, "2026-12-02T01:00:00")  # the ordinary 3-day reminder
    [first] = reminders(world, "cuong")
    assert first.startswith("🔔")
    # Saturday 07:55 local: the 19:00 meeting is moved to 08:20 the same morning.
    world.clock.set(at("2026-12-05T00:55:00"))
    [changed] = await world.say("an", "/datlich 5/12 8h20")
    assert changed["text"].startswith(texts.DATLICH_DONE.format(count=2, block="")[:20])
    await settle(world)
    notice = last_to(world, "cuong")
    assert notice["text"].startswith("📣 Thay đổi lịch sinh hoạt")
    await tick_at(world, "2026-12-05T00:55:10")
    await tick_at(world, "2026-12-05T01:10:00")
    # The change notice already told everyone: no second reminder, no outage label.
    assert reminders(world, "cuong") == [first]
    dec = await meeting_of(world, "A", "2026-12")
    assert await rounds(world, dec["id"]) == {
        (1, "3d"): "queued",
        (2, "3d"): "skipped",
        (2, "2h"): "skipped",
    }


# The bot runs its planners when it starts: started on 20/10 it creates October's and
# November's meetings only, so December's is first seen by the planner on 03/12.
@pytest.mark.start_at("2026-10-20T01:00:00")
async def test_a_regular_meeting_nobody_was_told_of_gets_an_ordinary_reminder(
    world: World, tmp_path: Path
) -> None:
    for key in ("an", "cuong"):
        await world.link(key)
    # The first tick ever is on Thursday 03/12: the 3-day reminder time (Wednesday 08:00) of
    # the meeting of Saturday 05/12 passed before the meeting was created. Nobody was told of
    # it yet, so it comes now, as an ordinary reminder.
    await tick_at(world, "2026-12-03T02:00:00")
    [ordinary] = reminders(world, "cuong")
    assert ordinary.startswith("🔔 Nhắc lịch sinh hoạt")
    # Real downtime still says so: down from 05/12 08:00 to 18:00 local, across the 2-hour
    # reminder time (17:00).
    await world.chibo.stop()
    world.clock.set(at("2026-12-05T11:00:00"))
    world.chibo = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await world.chibo.start()
    await world.chibo.tick()
    await settle(world)
    late = reminders(world, "cuong")[-1]
    assert late.startswith(texts.REMINDER_LATE)


# -- 2. changes: no change, no notice; a new place asks nothing ------------------------------


async def test_a_no_op_move_tells_nobody_and_a_new_place_asks_for_no_new_answer(
    world: World,
) -> None:
    for key in ("an", "cuong", "dung"):
        await world.link(key)
    await tick_at(world, "2026-12-02T01:00:00")
    await press(world, "dung", last_to(world, "dung"), texts.MEETING_ATTEND)
    before = {key: len(texts_to(world, key)) for key in ("cuong", "dung")}
    outbox = await world.rows("SELECT COUNT(*) AS n FROM outbox")
    # Moving the meeting to the time it already has: nothing is written, nobody is told.
    [same] = await world.say("an", "/datlich 5/12 19h")
    dec = await meeting_of(world, "A", "2026-12")
    assert same["text"].startswith(texts.DATLICH_UNCHANGED.format(block="")[:30])
    await settle(world)
    assert {key: len(texts_to(world, key)) for key in ("cuong", "dung")} == before
    assert await world.rows("SELECT COUNT(*) AS n FROM outbox") == outbox
    assert dec["version"] == 1
    # The same place typed again: nothing either.
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_PLACE)
    await world.say("an", "Nhà văn hóa ấp")
    await settle(world)  # An's own notice, as a member, arrives before the next menu
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_PLACE)
    [unchanged] = await world.say("an", "Nhà văn hóa ấp")
    assert unchanged["text"].startswith(texts.DATLICH_UNCHANGED.format(block="")[:30])
    # A new place: everyone is told, nobody is asked to confirm again, answers are kept.
    told = len(texts_to(world, "dung"))
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_PLACE)
    await world.say("an", "Hội trường xã")
    await settle(world)
    assert len(texts_to(world, "dung")) == told + 1
    notice = last_to(world, "dung")
    assert "Hội trường xã" in notice["text"]
    assert notice["text"].endswith(texts.CHANGE_NOTICE_KEPT)
    assert "xác nhận lại" not in notice["text"]
    assert buttons(notice) == {}
    answers = await world.rows("SELECT member_id, answer FROM meeting_answers")
    assert [(r["member_id"], r["answer"]) for r in answers] == [
        (world.seeded.member_ids["dung"], "attend")
    ]
    # A real move shows each member their answer, with the buttons to change it.
    await world.say("an", "/datlich 7/12 19h30")
    await settle(world)
    moved = last_to(world, "dung")
    assert texts.MEETING_STATUS_ATTEND in moved["text"]
    assert set(buttons(moved)) == {texts.MEETING_ATTEND, texts.MEETING_EXCUSE}


# -- 4. names as people write them -----------------------------------------------------------


async def test_all_caps_names_are_shown_in_title_case_and_kept_as_imported(world: World) -> None:
    ids = world.seeded.member_ids
    async with world.db.write() as conn:
        await conn.execute(
            "UPDATE members SET full_name = 'HỒ NGỌC DŨNG' WHERE id = ?", (ids["cuong"],)
        )
    [welcome] = await world.say("cuong", f"/start {await world.invite_code('cuong')}")
    assert welcome["text"].startswith("Chào đồng chí Hồ Ngọc Dũng!")
    await world.link("an")
    await tick_at(world, "2026-12-01T01:00:00")
    await tick_at(world, "2026-12-05T15:00:00")
    [sheet] = await world.say("an", "/diemdanh")
    assert any(label.endswith(" Hồ Ngọc Dũng") for label in buttons(sheet)), sheet
    stored = await world.rows("SELECT full_name FROM members WHERE id = ?", (ids["cuong"],))
    assert stored[0]["full_name"] == "HỒ NGỌC DŨNG"


# -- 6. standing leave covers meetings --------------------------------------------------------


async def put_on_leave(world: World, key: str, length: str) -> None:
    """Secretary An puts a member of cell A on leave through /nghiphep."""
    [overview] = await world.say("an", "/nghiphep")
    picker = await press(world, "an", overview, texts.NGHIPHEP_ADD)
    name = {"cuong": "Lê Văn Cường", "dung": "Phạm Thị Dung"}[key]
    lengths = await press(world, "an", picker, name)
    confirm = await press(world, "an", lengths, texts.NGHIPHEP_LENGTHS[length])
    await press(world, "an", confirm, texts.NGHIPHEP_OK)


async def test_a_member_on_leave_is_not_reminded_and_is_excused_for_leave(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong", "dung"):
        await world.link(key)
    await put_on_leave(world, "cuong", "1")
    await settle(world)
    until = texts.LEAVE_UNTIL_MONTH.format(month=texts.LEAVE_MONTH.format(month=12, year=2026))
    told = texts.LEAVE_TOLD_SET.format(name="Lê Văn Cường", unit=CELL_A, until=until)
    assert told in texts_to(world, "cuong")
    assert "sinh hoạt chi bộ" in told  # the message says meetings are excused too
    await tick_at(world, "2026-12-02T01:00:00")
    await tick_at(world, "2026-12-05T10:00:00")
    assert reminders(world, "cuong") == []
    assert len(reminders(world, "dung")) == 2
    # Nor is he told of changes to a meeting he is excused from.
    cuong_before, dung_before = len(texts_to(world, "cuong")), len(texts_to(world, "dung"))
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_PLACE)
    await world.say("an", "Hội trường xã")
    await settle(world)
    assert len(texts_to(world, "cuong")) == cuong_before
    assert len(texts_to(world, "dung")) == dung_before + 1
    # After the meeting: Cường is pre-filled excused, marked «nghỉ phép».
    await tick_at(world, "2026-12-05T15:00:00")
    [sheet] = await world.say("an", "/diemdanh")
    marks = {label[2:]: label[0] for label in buttons(sheet) if label[0] in "⬜✅🟡❌"}
    assert marks["Lê Văn Cường" + texts.ATTENDANCE_ON_LEAVE] == "🟡"
    assert marks["Phạm Thị Dung"] == "⬜"
    sheet = await press(world, "an", sheet, texts.ATTENDANCE_REST_PRESENT)
    await press(world, "an", sheet, texts.ATTENDANCE_SAVE)
    dec = await meeting_of(world, "A", "2026-12")
    rows = await world.rows(
        "SELECT member_id, status, reason FROM attendance WHERE meeting_id = ?", (dec["id"],)
    )
    by_member = {r["member_id"]: (r["status"], r["reason"]) for r in rows}
    assert by_member[ids["cuong"]] == ("excused", "leave")
    assert by_member[ids["dung"]] == ("present", None)
    minutes = await build_minutes(world.chibo.ctx, await MeetingRepo(world.db).get(dec["id"]))
    assert [(e.name, e.reason) for e in minutes.excused] == [("Lê Văn Cường", texts.LEAVE_REASON)]
    # The year view lists the leave and its reason.
    year = "\n".join(m["text"] for m in await world.say("an", "/tongket"))
    assert (
        texts.YEAR_LEAVE_NAME.format(
            name="Lê Văn Cường", months=texts.YEAR_LEAVE_MONTH.format(month="12", year=2026)
        )
        in year
    )
    assert texts.LEAVE_REASON in year


async def test_leave_and_tasks_ask_which_cell_for_someone_leading_two(world: World) -> None:
    units = world.seeded.unit_ids
    await grant(world.db, world.seeded, "an", "secretary", "B")
    await world.link("an")
    [ask] = await world.say("an", "/nghiphep")
    assert ask["text"] == texts.PICK_CELL
    assert set(buttons(ask)) == {CELL_A, CELL_B}
    overview = await press(world, "an", ask, CELL_B)
    assert overview["text"].startswith(texts.NGHIPHEP_NONE.format(unit=CELL_B))
    # Named after the command: no question.
    [named] = await world.say("an", "/nghiphep phu loi")
    assert named["text"].startswith(texts.NGHIPHEP_NONE.format(unit=CELL_B))
    [ask] = await world.say("an", "/giaoviec")
    assert ask["text"] == texts.PICK_CELL
    picker = await press(world, "an", ask, CELL_B)
    assert picker["text"].startswith(texts.GIAOVIEC_PICK.format(unit=CELL_B, count=0)[:30])
    assert "Đặng Văn Hùng" in buttons(picker)
    # An administrator of the commune is asked too, and can act on the cell chosen.
    await grant(world.db, world.seeded, "hung", "admin", "X")
    await world.link("hung")
    [ask] = await world.say("hung", "/nghiphep")
    assert ask["text"] == texts.PICK_CELL and set(buttons(ask)) == {CELL_A, CELL_B}
    overview = await press(world, "hung", ask, CELL_A)
    assert overview["text"].startswith(texts.NGHIPHEP_NONE.format(unit=CELL_A))
    picker = await press(world, "hung", overview, texts.NGHIPHEP_ADD)
    assert "Lê Văn Cường" in buttons(picker)
    # A forged cell button for a cell An does not lead.
    await world.say("an", "/huy")
    await world.link("ha")
    await world.press("ha", last_to(world, "ha"), f"np:u:{units['A']}", check=False)
    assert last_to(world, "ha")["text"] == texts.NOT_YOUR_CELL


# -- 7. holidays from the library ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "tick", "period", "starts"),
    [
        # Tết Đinh Mùi: 5/2/2027 is the Lunar New Year's Eve, off until Wednesday 10/2.
        ("day 5 19:00", "2027-01-20T01:00:00", "2027-02", "2027-02-11T12:00:00.000000Z"),
        # Giỗ Tổ Hùng Vương (10/3 lunar) is Friday 16/4/2027: Monday 19/4.
        ("day 16 19:00", "2027-03-20T01:00:00", "2027-04", "2027-04-19T12:00:00.000000Z"),
        # 1/5/2027 is a Saturday: Monday 3/5 is the substitute day, so Tuesday 4/5.
        ("day 3 19:00", "2027-04-20T01:00:00", "2027-05", "2027-05-04T12:00:00.000000Z"),
        # Tết Mậu Thân: 26/1/2028 is the first day of the year, off until Saturday 29/1.
        ("day 26 19:00", "2027-12-20T01:00:00", "2028-01", "2028-01-31T12:00:00.000000Z"),
        # Quốc khánh 2028: 1-2/9 (Friday, Saturday) and the substitute Monday 4/9.
        ("first friday 16:00", "2028-08-20T01:00:00", "2028-09", "2028-09-05T09:00:00.000000Z"),
    ],
)
async def test_meeting_days_move_off_vietnamese_holidays_from_the_library(
    world: World, rule: str, tick: str, period: str, starts: str
) -> None:
    async with world.db.write() as conn:
        await conn.execute(
            "INSERT INTO meeting_rules (unit_id, rule, updated_at) VALUES (?, ?, ?)",
            (world.seeded.unit_ids["A"], rule, "2026-11-01T00:00:00.000000Z"),
        )
    await tick_at(world, tick)
    meeting = await meeting_of(world, "A", period)
    assert meeting["starts_at"] == starts


async def test_local_holiday_changes_stay_in_the_config(
    fake: Any, clock: Any, tmp_path: Path
) -> None:
    from tests.seed import seed

    meetings = {"holidays": ["-2027-02-05..2027-02-10", "2027-03-05"]}
    chibo = await Chibo.build(make_config(tmp_path, fake, meetings=meetings), clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    try:
        for moment in ("2027-01-20T01:00:00", "2027-02-20T01:00:00"):
            clock.set(at(moment))
            await chibo.tick()
        rows = await chibo.db.fetchall(
            "SELECT period, starts_at FROM meetings WHERE unit_id = ? ORDER BY period",
            (seeded.unit_ids["A"],),
        )
        found = {r["period"]: r["starts_at"] for r in rows}
        # Tết removed locally: the 5th stays; a local day off on 5/3 moves it to Monday 8/3.
        assert found["2027-02"] == "2027-02-05T12:00:00.000000Z"
        assert found["2027-03"] == "2027-03-08T12:00:00.000000Z"
    finally:
        await chibo.stop()


# -- 8. sinh hoạt tạm thời -------------------------------------------------------------------


async def test_a_temporarily_attached_member_is_counted_at_the_host_cell_only(
    world: World,
) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "ha", "hung"):
        await world.link(key)
    # Hùng (cell B) works away in Tân Thành for December: attached to cell A.
    out = io.StringIO()
    code = await members_attach(
        world.chibo.config, "093007", "A", until="12/2026", clock=world.clock, out=out
    )
    assert code == 0
    assert "Đặng Văn Hùng" in out.getvalue() and CELL_A in out.getvalue()
    # Reminded of the host cell's meeting, not of his own cell's.
    await tick_at(world, "2026-12-02T01:00:00")
    [reminder] = reminders(world, "hung")
    assert CELL_A in reminder and CELL_B not in reminder
    assert len(reminders(world, "ha")) == 1
    # He answers at the host cell; its secretary sees him in /lichhop's meeting.
    await press(world, "hung", last_to(world, "hung"), texts.MEETING_ATTEND)
    a_dec = await meeting_of(world, "A", "2026-12")
    answers = await world.rows("SELECT meeting_id, member_id, answer FROM meeting_answers")
    assert [tuple(r) for r in answers] == [(a_dec["id"], ids["hung"], "attend")]
    [attached, first, *_] = await world.say("hung", "/lichhop", count=2)
    assert attached["text"].startswith(texts.LICHHOP_ATTACHED.format(host=CELL_A, until="")[:40])
    assert first["text"].startswith(texts.LICHHOP_HEADER.format(unit=CELL_A))
    # After the meetings: the host's checklist lists him (present, from his answer).
    await tick_at(world, "2026-12-05T15:00:00")
    [sheet] = await world.say("an", "/diemdanh")
    marks = {label[2:]: label[0] for label in buttons(sheet) if label[0] in "⬜✅🟡❌"}
    assert marks["Đặng Văn Hùng" + texts.ATTENDANCE_GUEST] == "✅"
    sheet = await press(world, "an", sheet, texts.ATTENDANCE_REST_PRESENT)
    await press(world, "an", sheet, texts.ATTENDANCE_SAVE)
    # The home cell shows him as attending elsewhere and does not count him at all.
    [home] = await world.say("ha", "/diemdanh")
    assert (
        texts.ATTENDANCE_AWAY.format(
            names=texts.ATTENDANCE_AWAY_NAME.format(name="Đặng Văn Hùng", unit=CELL_A)
        )
        in home["text"]
    )
    assert not any("Đặng Văn Hùng" in label for label in buttons(home))
    home = await press(world, "ha", home, texts.ATTENDANCE_REST_PRESENT)
    await press(world, "ha", home, texts.ATTENDANCE_SAVE)
    b_dec = await meeting_of(world, "B", "2026-12")
    rows = await world.rows("SELECT meeting_id, member_id, status FROM attendance")
    hung = [(r["meeting_id"], r["status"]) for r in rows if r["member_id"] == ids["hung"]]
    assert hung == [(a_dec["id"], "present")]
    assert {r["meeting_id"] for r in rows} == {a_dec["id"], b_dec["id"]}
    # The minutes drafts count him at the host («sinh hoạt tạm thời»), not at home.
    host_minutes = await build_minutes(
        world.chibo.ctx, await MeetingRepo(world.db).get(a_dec["id"])
    )
    assert "Đặng Văn Hùng" in host_minutes.present and host_minutes.totals.attached == 1
    home_minutes = await build_minutes(
        world.chibo.ctx, await MeetingRepo(world.db).get(b_dec["id"])
    )
    assert "Đặng Văn Hùng" not in home_minutes.present + home_minutes.absent
    assert home_minutes.totals.absent == 0
    # January: the attachment is over, he is back in his own cell.
    await tick_at(world, "2026-12-20T01:00:00")
    await tick_at(world, "2027-01-02T01:00:00")
    assert CELL_B in reminders(world, "hung")[-1]


# -- 9. the CLI's output ----------------------------------------------------------------------


async def test_cli_output_streams_exit_codes_and_excel_dates(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    config = world.chibo.config
    bad = tmp_path / "bad.csv"
    bad.write_text("Họ và tên,Mã chi bộ\nNguyễn Văn Tư,KHONGCO\n", encoding="utf-8")
    assert await roster_import(config, [bad], clock=world.clock) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert texts.ROSTER_REFUSED.format(count=1) in captured.err
    good = tmp_path / "good.csv"
    good.write_text(
        "Họ và tên,Mã chi bộ,Sinh hoạt tạm thời tại,Tạm thời đến tháng\n"
        "Nguyễn Văn Tư,A,B,03/2027\n",
        encoding="utf-8",
    )
    assert await roster_import(config, [good], clock=world.clock) == 0
    captured = capsys.readouterr()
    assert "Đã nhập xong danh sách." in captured.out
    assert texts.ROSTER_SUMMARY_ATTACHED.format(count=1) in captured.out
    assert "Đã nhập" not in captured.err
    rows = await world.rows(
        "SELECT x.host_unit_id, x.last_period, x.source FROM member_attachments x "
        "JOIN members m ON m.id = x.member_id WHERE m.full_name = 'Nguyễn Văn Tư'"
    )
    assert [tuple(r) for r in rows] == [(world.seeded.unit_ids["B"], "2027-03", "roster")]
    # `chibo members attach` refuses on stderr with a non-zero exit code.
    assert await members_attach(config, "093003", "X", clock=world.clock) == 1
    assert await members_attach(config, "093003", "B", until="13/2026", clock=world.clock) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert texts.CLI_ATTACH_NOT_CELL.format(code="X") in captured.err

    # The check-ins export writes real Excel dates.
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường"], "Vận động quỹ khuyến học", "31/12/2026")
    await tick_at(world, "2026-11-30T01:00:00")  # the round opens
    await press(world, "cuong", last_to(world, "cuong"), texts.CHECKIN_STATUS["done"])
    await world.say("cuong", "Đã thu 2 triệu đồng")
    path = tmp_path / "bao-cao.xlsx"
    assert await checkins_export(config, "A", "2026-12", path, clock=world.clock) == 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[1].value == "Lê Văn Cường"]
    assert isinstance(row[3].value, datetime)
    assert row[3].value.date() == date(2026, 12, 31)
    assert row[3].number_format == "DD/MM/YYYY"
    # Reported at 08:00 local on 30/11 (the clock of the round's opening tick).
    assert isinstance(row[6].value, datetime)
    assert row[6].value.date() == date(2026, 11, 30)
    assert row[6].number_format == "DD/MM/YYYY HH:MM"
    # The name is written as imported.
    assert row[1].value == "Lê Văn Cường"
