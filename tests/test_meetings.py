"""Meeting days end to end: a month of one cell through the fake Bot API with a fake clock."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core import texts
from tests.conftest import World
from tests.seed import TG_IDS

CELL = "Chi bộ ấp Tân Thành"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def settle(world: World) -> None:
    """Let the delivery worker send everything queued, moving the fake clock as pacing needs."""
    for _ in range(200):
        # Wait (in real time, bounded) for sends already under way before judging what is left:
        # on a loaded machine the HTTP round trips are slower than the loop.
        world.chibo.worker.wake()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(world.chibo.worker.wait_quiet(), 5.0)
        rows = await world.rows(
            "SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending') "
            "AND next_attempt_at <= ?",
            (world.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),),
        )
        if rows[0]["n"] == 0 and world.chibo.worker.in_flight == 0:
            return
        await world.clock.advance(0.2)
    raise AssertionError("the outbox did not drain")


async def tick_at(world: World, moment: str) -> None:
    """Move the wall clock (as after a quiet period) and run the planners once."""
    world.clock.set(at(moment))
    await world.chibo.tick()
    await settle(world)


def texts_to(world: World, key: str) -> list[str]:
    return [m.get("text", m.get("caption", "")) for m in world.fake.sent_to(TG_IDS[key])]


def last_to(world: World, key: str) -> dict[str, Any]:
    return world.fake.last_message(TG_IDS[key])


def buttons(message: dict[str, Any]) -> dict[str, str]:
    return {
        b["text"]: b["callback_data"]
        for row in message.get("reply_markup", {}).get("inline_keyboard", [])
        for b in row
    }


async def press(world: World, key: str, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Press the button with that label and return the newest message in the chat."""
    await world.press(key, message, buttons(message)[label])
    await settle(world)
    return last_to(world, key)


async def forge(world: World, key: str, data: str) -> str:
    """Press button data the bot never offered this person; the bot's answer."""
    await world.press(key, last_to(world, key), data, check=False)
    return str(last_to(world, key)["text"])


async def record_attendance(world: World, toggles: dict[str, int]) -> dict[str, Any]:
    """Secretary An opens /diemdanh, presses each name `n` times, saves; returns the result."""
    [sheet] = await world.say("an", "/diemdanh")
    for key, times in toggles.items():
        name = {"dung": "Phạm Thị Dung", "cuong": "Lê Văn Cường", "duc": "Hoàng Văn Đức"}[key]
        for _ in range(times):
            sheet = last_to(world, "an")
            label = next(label for label in buttons(sheet) if label.endswith(name))
            await world.press("an", sheet, buttons(sheet)[label])
    sheet = last_to(world, "an")
    if texts.ATTENDANCE_REST_PRESENT in buttons(sheet):
        # Those who never answered start unmarked: the rest came.
        sheet = await press(world, "an", sheet, texts.ATTENDANCE_REST_PRESENT)
    return await press(world, "an", sheet, texts.ATTENDANCE_SAVE)


@pytest.mark.start_at("2026-11-04T01:00:00")
async def test_a_month_of_one_cell(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "binh", "cuong", "dung"):
        await world.link(key)  # Đức has no Telegram
    # November: the rule (hamlet cells: day 5 at 19:00) gives Thursday 05/11 19:00 local.
    await tick_at(world, "2026-11-04T01:00:00")
    nov = await world.rows(
        "SELECT * FROM meetings WHERE unit_id = ? ORDER BY starts_at", (world.seeded.unit_ids["A"],)
    )
    assert [(m["period"], m["starts_at"]) for m in nov] == [
        ("2026-11", "2026-11-05T12:00:00.000000Z"),
        ("2026-12", "2026-12-05T12:00:00.000000Z"),
    ]
    # The meeting happened; Dung did not come and gave no reason (nobody answered: unmarked,
    # then present, excused, absent).
    await tick_at(world, "2026-11-05T15:00:00")
    prompt = last_to(world, "an")
    assert prompt["text"] == texts.ATTENDANCE_PROMPT.format(
        when="Thứ Năm, 05/11/2026 lúc 19:00", unit=CELL
    )
    saved = await record_attendance(world, {"dung": 3})
    assert saved["text"].startswith("Đã lưu điểm danh")
    assert not any("⚠️" in t for t in texts_to(world, "an"))

    # December 1st, 08:00 local: /lichhop shows the next meetings and the answer status.
    await tick_at(world, "2026-12-01T01:00:00")
    first, *_ = await world.say("cuong", "/lichhop", count=2)
    assert first["text"].startswith(texts.LICHHOP_HEADER.format(unit=CELL))
    assert "Thứ Bảy, 05/12/2026 lúc 19:00" in first["text"]
    assert first["text"].endswith(texts.MEETING_STATUS_NONE)

    # 3 days before at 08:00 (Wed 02/12 01:00 UTC) every linked member gets a reminder; not before.
    await tick_at(world, "2026-12-02T00:59:00")
    assert (
        await world.rows(
            "SELECT * FROM outbox WHERE dedupe_key LIKE 'meeting:%remind%' AND created_at > ?",
            ("2026-11-06",),
        )
        == []
    )
    await tick_at(world, "2026-12-02T01:00:00")
    dec = (
        await world.rows(
            "SELECT id FROM meetings WHERE period = '2026-12' AND unit_id = ?",
            (world.seeded.unit_ids["A"],),
        )
    )[0]["id"]
    keys = {
        r["dedupe_key"]
        for r in await world.rows("SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE '%remind%'")
    }
    assert f"meeting:{dec}:v1:member:{ids['cuong']}:remind:3d" in keys
    assert len([k for k in keys if k.startswith(f"meeting:{dec}:")]) == 4
    reminder = last_to(world, "cuong")
    assert reminder["text"].startswith("🔔 Nhắc lịch sinh hoạt")
    assert set(buttons(reminder)) == {texts.MEETING_ATTEND, texts.MEETING_EXCUSE}

    # Cường asks to be excused (ill); the secretary and the deputy are told at once.
    reasons = await press(world, "cuong", reminder, texts.MEETING_EXCUSE)
    done = await press(world, "cuong", reasons, texts.MEETING_REASONS["om"])
    assert done["text"] == texts.ANSWER_EXCUSED_OK.format(
        when="Thứ Bảy, 05/12/2026 lúc 19:00", reason="Ốm đau"
    )
    told = texts.SECRETARY_TOLD_EXCUSED.format(
        name="Lê Văn Cường", when="Thứ Bảy, 05/12/2026 lúc 19:00", reason="Ốm đau"
    )
    assert told in texts_to(world, "an") and told in texts_to(world, "binh")
    # Dung will attend.
    dung_reminder = last_to(world, "dung")
    await press(world, "dung", dung_reminder, texts.MEETING_ATTEND)
    # The secretary answers for Đức, who has no Telegram, from /lichhop.
    replies = await world.say("an", "/lichhop", count=3)
    unlinked = replies[-1]
    assert unlinked["text"].startswith(texts.LICHHOP_UNLINKED.format(names="Hoàng Văn Đức")[:40])
    ask = await press(world, "an", unlinked, "Hoàng Văn Đức")
    reasons = await press(world, "an", ask, texts.MEETING_EXCUSE)
    await world.press("an", reasons, buttons(reasons)[texts.MEETING_REASONS["kh"]])
    [ok] = await world.say("an", "Đi thăm con ở Sài Gòn")
    assert ok["text"] == texts.ANSWER_FOR_OK_AT.format(
        name="Hoàng Văn Đức",
        when="Thứ Bảy, 05/12/2026 lúc 19:00",
        answer=texts.ANSWER_FOR_EXCUSED.format(reason="Đi thăm con ở Sài Gòn"),
    )
    answers = await world.rows(
        "SELECT member_id, answer, reason FROM meeting_answers WHERE meeting_id = ? ORDER BY member_id",
        (dec,),
    )
    assert [(a["member_id"], a["answer"]) for a in answers] == [
        (ids["cuong"], "excused"), (ids["dung"], "attend"), (ids["duc"], "excused"),
    ]  # fmt: skip

    # Reschedule to Monday 07/12 19:30: everyone is told, old reminders withdrawn, new planned.
    [menu] = await world.say("an", "/datlich")
    ask = await press(world, "an", menu, texts.DATLICH_TIME)
    assert ask["text"] == texts.DATLICH_ASK_TIME
    [changed] = await world.say("an", "7/12 19h30")
    assert changed["text"].startswith(texts.DATLICH_DONE.format(count=4, block="")[:30])
    await settle(world)
    notice = last_to(world, "cuong")
    assert notice["text"].startswith("📣 Thay đổi lịch sinh hoạt")
    assert "Thứ Hai, 07/12/2026 lúc 19:30" in notice["text"]
    assert "Thứ Bảy, 05/12/2026 lúc 19:00" in notice["text"]  # the old time, for reference
    meeting = (await world.rows("SELECT starts_at, version FROM meetings WHERE id = ?", (dec,)))[0]
    assert (meeting["starts_at"], meeting["version"]) == ("2026-12-07T12:30:00.000000Z", 2)
    # New reminders for the new time: 3 days before at 08:00 is Friday 04/12 01:00 UTC.
    await tick_at(world, "2026-12-04T01:00:00")
    assert last_to(world, "dung")["text"].startswith("🔔 Nhắc lịch sinh hoạt")
    assert "Thứ Hai, 07/12/2026 lúc 19:30" in last_to(world, "dung")["text"]
    # The old 2-hour reminder time passes: nothing is queued for version 1.
    await tick_at(world, "2026-12-05T10:00:00")
    old = await world.rows(
        "SELECT * FROM outbox WHERE dedupe_key LIKE ? AND dedupe_key LIKE '%remind:2h'",
        (f"meeting:{dec}:v1:%",),
    )
    assert old == []
    # 2 hours before the new time, Cường (excused) is not reminded again; the others are.
    before = len(texts_to(world, "cuong"))
    await tick_at(world, "2026-12-07T10:30:00")
    assert len(texts_to(world, "cuong")) == before
    assert "Thứ Hai, 07/12/2026 lúc 19:30" in last_to(world, "dung")["text"]
    assert last_to(world, "dung")["text"].endswith(texts.MEETING_STATUS_ATTEND)

    # A member cannot change their answer once the meeting has started.
    world.clock.set(at("2026-12-07T12:31:00"))
    await world.press(
        "dung", last_to(world, "dung"), buttons(last_to(world, "dung"))[texts.MEETING_EXCUSE]
    )
    assert last_to(world, "dung")["text"] == texts.ANSWER_TOO_LATE

    # After the meeting: prompt, checklist pre-filled from the answers, Dung absent again.
    await tick_at(world, "2026-12-07T15:30:00")
    assert last_to(world, "an")["text"].startswith("Buổi sinh hoạt Thứ Hai, 07/12/2026 lúc 19:30")
    [sheet] = await world.say("an", "/diemdanh")
    marks = {label[2:]: label[0] for label in buttons(sheet) if label[0] in "⬜✅🟡❌"}
    # Only «Tôi sẽ tham dự» pre-fills present: An and Bình never answered.
    assert marks == {
        "Nguyễn Văn An": "⬜", "Trần Thị Bình": "⬜", "Lê Văn Cường": "🟡",
        "Phạm Thị Dung": "✅", "Hoàng Văn Đức": "🟡",
    }  # fmt: skip
    saved = await record_attendance(world, {"dung": 2})
    rows = await world.rows("SELECT member_id, status FROM attendance WHERE meeting_id = ?", (dec,))
    assert {r["member_id"]: r["status"] for r in rows} == {
        ids["an"]: "present", ids["binh"]: "present", ids["cuong"]: "excused",
        ids["dung"]: "absent", ids["duc"]: "excused",
    }  # fmt: skip
    # Second month absent without reason in 2026: the secretary and deputy are warned privately.
    warning = texts.WARN_TWO_ABSENCES.format(
        name="Phạm Thị Dung", count=2, year=2026, dates="05/11, 07/12"
    )
    assert warning in texts_to(world, "an") and warning in texts_to(world, "binh")
    assert warning not in texts_to(world, "dung")

    # A thematic meeting; its first reminder comes with a gentle reminder of duty for Dung.
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_THEMATIC)
    [topic] = await world.say("an", "20/12 8h")
    assert topic["text"] == texts.DATLICH_ASK_THEMATIC_TOPIC.format(limit=1000)
    # The secretary gets the answer and, as a member, the announcement (in either order).
    replies = await world.say("an", "Học tập Nghị quyết Đại hội", count=2)
    [added] = [m for m in replies if m["text"].startswith("Đã thêm")]
    assert "Sinh hoạt chuyên đề" in added["text"]
    await settle(world)
    assert texts_to(world, "cuong")[-1].startswith("📣 Lịch sinh hoạt chuyên đề")
    await tick_at(world, "2026-12-17T01:00:00")
    duty = texts.DUTY_REMINDER.format(name="Phạm Thị Dung", year=2026, count=2)
    assert duty in texts_to(world, "dung")
    assert duty not in texts_to(world, "cuong")

    # The overview for the secretary.
    # (then its bulletin part)
    overview, _ = await world.say("an", "/chibo", count=2)
    assert "có mặt 2/5 (40%)" in overview["text"]

    # Another thematic meeting, added two days ahead: its «3 days before» round is skipped, so
    # the duty reminder rides on the first one sent («2 hours before»), once.
    world.clock.set(at("2026-12-21T01:00:00"))
    [menu] = await world.say("an", "/datlich")
    await press(world, "an", menu, texts.DATLICH_THEMATIC)
    await world.say("an", "23/12 8h")
    await world.say("an", "Học tập chuyên đề năm 2026", count=2)
    await settle(world)
    await tick_at(world, "2026-12-21T02:00:00")
    assert texts_to(world, "dung").count(duty) == 1
    await tick_at(world, "2026-12-22T23:00:30")
    assert texts_to(world, "dung").count(duty) == 2
    await tick_at(world, "2026-12-23T00:30:00")
    assert texts_to(world, "dung").count(duty) == 2
