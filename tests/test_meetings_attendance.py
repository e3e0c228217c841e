"""Meeting days with a large cell and long input: the attendance checklist over two pages
(paging, marks kept across pages, one save, forged page buttons) and an over-long free-text
excuse reason (refused, nothing stored, nobody told; then a valid one is recorded once)."""

from __future__ import annotations

import copy
import json
import unicodedata
from datetime import timedelta
from typing import Any

from bot.core import texts
from handlers import MAX_INPUT
from handlers.attendance import PAGE
from handlers.meetings import REASON_MAX
from storage.invites import InviteRepo
from tests.conftest import World
from tests.seed import TG_IDS, add_members
from tests.test_meetings import buttons, last_to, press, settle, texts_to, tick_at

# Twenty more members for cell A (25 in all): the checklist needs two pages.
EXTRA = [
    "Bùi Văn Anh", "Đỗ Thị Bích", "Ngô Văn Chiến", "Dương Thị Diệp", "Lý Văn Giang",
    "Mai Thị Hạnh", "Trịnh Văn Hiếu", "Đinh Thị Hoa", "Lâm Văn Khánh", "Tạ Thị Lan",
    "Hồ Văn Long", "Châu Thị Mai", "Phan Văn Nam", "Vũ Thị Ngọc", "Cao Văn Phúc",
    "La Thị Quyên", "Kiều Văn Sơn", "Tô Thị Thảo", "Quách Văn Vinh", "Trương Thị Yến",
]  # fmt: skip
SEEDED_A = {
    "an": "Nguyễn Văn An", "binh": "Trần Thị Bình", "cuong": "Lê Văn Cường",
    "dung": "Phạm Thị Dung", "duc": "Hoàng Văn Đức",
}  # fmt: skip
YEN = "Trương Thị Yến"  # links with this Telegram id and asks to be excused herself
YEN_TG = 3001
WHEN = "Thứ Bảy, 05/12/2026 lúc 19:00"


def marks(sheet: dict[str, Any]) -> dict[str, str]:
    """Name -> status for the names on the page shown, read back from the button labels.

    The fake edits a message in place, so read a checklist before pressing on it again.
    """
    by_mark = {mark: status for status, mark in texts.ATTENDANCE_MARKS.items()}
    found = {}
    for label in buttons(sheet):
        mark, _, name = label.partition(" ")
        if mark in by_mark:
            found[name] = by_mark[mark]
    return found


def nav(sheet: dict[str, Any]) -> set[str]:
    return {texts.ATTENDANCE_PREV, texts.ATTENDANCE_NEXT} & set(buttons(sheet))


def counts(present: int, excused: int, absent: int) -> str:
    return texts.ATTENDANCE_COUNTS.format(present=present, excused=excused, absent=absent)


async def toggle(world: World, name: str) -> dict[str, Any]:
    """Secretary An presses a name on the checklist; returns the checklist as edited."""
    sheet = last_to(world, "an")
    [label] = [label for label in buttons(sheet) if label.partition(" ")[2] == name]
    return await press(world, "an", sheet, label)


async def excuse(
    world: World, uid: int, reason_label: str, reminder: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A linked member presses "Xin vắng" under a reminder (the latest message unless given),
    then a reason button; returns the bot's answer."""
    reminder = reminder or world.fake.last_message(uid)
    await world.press(uid, reminder, buttons(reminder)[texts.MEETING_EXCUSE])
    reasons = world.fake.last_message(uid)
    assert reasons["text"].startswith(texts.ASK_REASON_FOR.split("{when}")[0])
    await world.press(uid, reasons, buttons(reasons)[reason_label])
    await settle(world)
    return world.fake.last_message(uid)


async def december(world: World) -> int:
    rows = await world.rows(
        "SELECT id FROM meetings WHERE unit_id = ? AND period = '2026-12'",
        (world.seeded.unit_ids["A"],),
    )
    return int(rows[0]["id"])


async def large_cell_after_meeting(world: World) -> tuple[int, dict[str, int]]:
    """Cell A with 25 members; Cường (page 1) and Yến (page 2) asked to be excused before the
    meeting of Saturday 05/12 19:00; now it is over. Returns the meeting and name -> member id."""
    extra = await add_members(world.db, world.seeded.unit_ids["A"], EXTRA, first_card=93101)
    ids = {name: world.seeded.member_ids[key] for key, name in SEEDED_A.items()}
    ids.update(zip(EXTRA, extra, strict=True))
    for key in ("an", "binh", "cuong"):
        await world.link(key)
    codes = await InviteRepo(world.db).ensure_for([ids[YEN]], world.clock.now(), timedelta(days=30))
    await world.say(YEN_TG, f"/start {codes[ids[YEN]]}")
    await tick_at(world, "2026-12-01T01:00:00")
    await tick_at(world, "2026-12-02T01:00:00")  # the 3-day reminders
    await excuse(world, TG_IDS["cuong"], texts.MEETING_REASONS["om"])
    await excuse(world, YEN_TG, texts.MEETING_REASONS["gd"])
    await tick_at(world, "2026-12-05T15:00:00")  # the meeting is over: An is asked to record it
    return await december(world), ids


async def test_checklist_of_a_large_cell_pages_keeps_marks_and_saves_once(world: World) -> None:
    meeting, ids = await large_cell_after_meeting(world)
    everyone = set(ids)
    assert len(everyone) == 25 > PAGE
    # Only those who answered are pre-filled (Cường asked to be excused); the 23 who never
    # answered start unmarked, and the checklist says so.
    [opened] = await world.say("an", "/diemdanh")
    assert marks(opened) == {**dict.fromkeys(marks(opened), "unmarked"), "Lê Văn Cường": "excused"}
    assert opened["text"].endswith(
        counts(0, 2, 0) + texts.ATTENDANCE_COUNTS_UNMARKED.format(unmarked=23)
    )
    # Saving now is refused: nobody is marked present or absent by default.
    refused = await press(world, "an", opened, texts.ATTENDANCE_SAVE)
    assert refused["message_id"] == opened["message_id"]
    assert (
        texts.ATTENDANCE_STILL_UNMARKED.format(count=23, rest=texts.ATTENDANCE_REST_PRESENT)
        in refused["text"]
    )
    assert await world.rows("SELECT * FROM attendance WHERE meeting_id = ?", (meeting,)) == []
    # Page 1: the first 15 names; the secretary marks the rest present in one press.
    sheet = await press(world, "an", opened, texts.ATTENDANCE_REST_PRESENT)
    assert sheet["message_id"] == opened["message_id"]
    page1 = marks(sheet)
    assert len(page1) == PAGE
    assert page1 == {**dict.fromkeys(page1, "present"), "Lê Văn Cường": "excused"}
    assert nav(sheet) == {texts.ATTENDANCE_NEXT}
    assert texts.ATTENDANCE_FROM_ANSWERS in sheet["text"]
    assert sheet["text"].endswith(counts(23, 2, 0))
    # Page 2: the other 10, in the same message; Yến's own excuse is pre-filled too.
    page2_sheet = await press(world, "an", sheet, texts.ATTENDANCE_NEXT)
    assert page2_sheet["message_id"] == sheet["message_id"]
    page2 = marks(page2_sheet)
    assert len(page2) == len(everyone) - PAGE
    assert set(page1) | set(page2) == everyone and not set(page1) & set(page2)
    assert page2[YEN] == "excused"
    assert nav(page2_sheet) == {texts.ATTENDANCE_PREV}
    # On page 2: Nam was absent without a reason (two presses), Long pressed round to present.
    assert page2["Phan Văn Nam"] == "present" and page2["Hồ Văn Long"] == "present"
    assert marks(await toggle(world, "Phan Văn Nam"))["Phan Văn Nam"] == "excused"
    assert marks(await toggle(world, "Phan Văn Nam"))["Phan Văn Nam"] == "absent"
    cycle = [marks(await toggle(world, "Hồ Văn Long"))["Hồ Văn Long"] for _ in range(3)]
    assert cycle == ["excused", "absent", "present"]
    # Back to page 1: unchanged by page 2's presses; Dung gave her reason to An in person.
    back = await press(world, "an", last_to(world, "an"), texts.ATTENDANCE_PREV)
    assert marks(back) == page1
    after = marks(await toggle(world, "Phạm Thị Dung"))
    assert after == {**page1, "Phạm Thị Dung": "excused"}
    # Forward again: page 2's marks were kept.
    again = await press(world, "an", last_to(world, "an"), texts.ATTENDANCE_NEXT)
    page2_final = marks(again)
    assert page2_final == {**page2, "Phan Văn Nam": "absent"}
    assert again["text"].endswith(counts(21, 3, 1))
    # Nothing is written before the save; the save writes every member of both pages at once.
    assert await world.rows("SELECT * FROM attendance WHERE meeting_id = ?", (meeting,)) == []
    saved = await press(world, "an", again, texts.ATTENDANCE_SAVE)
    assert saved["text"] == texts.ATTENDANCE_SAVED.format(when=WHEN, counts=counts(21, 3, 1))
    rows = await world.rows(
        "SELECT member_id, status, recorded_by FROM attendance WHERE meeting_id = ?", (meeting,)
    )
    expected = dict.fromkeys(ids.values(), "present")
    expected.update(
        {
            ids["Lê Văn Cường"]: "excused",  # asked to be excused (page 1)
            ids[YEN]: "excused",  # asked to be excused (page 2)
            ids["Phạm Thị Dung"]: "excused",  # marked by the secretary (page 1)
            ids["Phan Văn Nam"]: "absent",  # marked by the secretary (page 2)
        }
    )
    assert {r["member_id"]: r["status"] for r in rows} == expected
    assert {r["recorded_by"] for r in rows} == {ids["Nguyễn Văn An"]}
    # Reopened, the checklist edits the saved sheet, on both pages.
    [reopened] = await world.say("an", "/diemdanh")
    assert texts.ATTENDANCE_FROM_SAVED in reopened["text"]
    assert marks(reopened) == after
    second = await press(world, "an", reopened, texts.ATTENDANCE_NEXT)
    assert marks(second) == page2_final


async def test_forged_page_buttons_are_refused_and_change_nothing(world: World) -> None:
    meeting, ids = await large_cell_after_meeting(world)
    [sheet] = await world.say("an", "/diemdanh")
    sheet = await press(world, "an", sheet, texts.ATTENDANCE_NEXT)
    for _ in range(2):  # unmarked -> present -> excused
        await toggle(world, "Phan Văn Nam")
    sheet = await toggle(world, "Phan Văn Nam")  # absent: a draft mark that must survive
    assert marks(sheet)["Phan Văn Nam"] == "absent"
    shown = copy.deepcopy(world.fake.message(sheet["chat"]["id"], sheet["message_id"]))
    draft = await world.rows("SELECT data FROM conversations WHERE kind = 'attendance'")
    other = (
        await world.rows(
            "SELECT id FROM meetings WHERE unit_id = ? AND period = '2026-12'",
            (world.seeded.unit_ids["B"],),
        )
    )[0]["id"]
    forged = {
        f"dd:p:{meeting}:999": texts.STALE_BUTTON,  # past the last page
        f"dd:p:{meeting}:2": texts.STALE_BUTTON,  # one past the last page (pages 0 and 1)
        f"dd:p:{meeting}:-1": texts.STALE_BUTTON,
        f"dd:p:{meeting}:x": texts.STALE_BUTTON,
        f"dd:p:{meeting}:²": texts.STALE_BUTTON,  # a digit to str.isdigit, not to int()
        f"dd:p:{meeting}:{'9' * 40}": texts.STALE_BUTTON,
        f"dd:p:{'9' * 40}:0": texts.STALE_BUTTON,  # no such meeting (beyond SQLite's integers)
        f"dd:o:{'9' * 40}": texts.STALE_BUTTON,
        f"dd:p:{meeting}:0:0": texts.STALE_BUTTON,
        f"dd:t:{meeting}:{world.seeded.member_ids['hung']}": texts.STALE_BUTTON,  # cell B
        # Another cell's meeting: the secretary is told it is not in their cell.
        f"dd:p:{other}:0": texts.NOT_YOUR_CELL,
        f"dd:s:{other}": texts.NOT_YOUR_CELL,
    }
    for data, answer in forged.items():
        before = len(texts_to(world, "an"))
        await world.press("an", sheet, data, check=False)
        said = texts_to(world, "an")
        # A new message with the polite answer; the checklist itself is not touched.
        assert (len(said), said[-1]) == (before + 1, answer), data
        assert world.fake.message(sheet["chat"]["id"], sheet["message_id"]) == shown, data
        now = await world.rows("SELECT data FROM conversations WHERE kind = 'attendance'")
        assert [json.loads(r["data"]) for r in now] == [json.loads(r["data"]) for r in draft]
    assert await world.rows("SELECT * FROM attendance") == []
    # The checklist's own buttons still work (it is no longer the newest message) and the
    # draft is intact.
    await world.press("an", sheet, buttons(sheet)[texts.ATTENDANCE_PREV])
    back = world.fake.message(sheet["chat"]["id"], sheet["message_id"])
    assert back is not None and len(marks(back)) == PAGE
    await world.press("an", back, buttons(back)[texts.ATTENDANCE_REST_PRESENT])
    back = world.fake.message(sheet["chat"]["id"], sheet["message_id"])
    assert back is not None
    await world.press("an", back, buttons(back)[texts.ATTENDANCE_SAVE])
    saved = world.fake.message(sheet["chat"]["id"], sheet["message_id"])
    assert saved is not None
    assert saved["text"] == texts.ATTENDANCE_SAVED.format(when=WHEN, counts=counts(22, 2, 1))
    rows = await world.rows("SELECT member_id, status FROM attendance WHERE status != 'present'")
    assert {r["member_id"]: r["status"] for r in rows} == {
        ids["Lê Văn Cường"]: "excused", ids[YEN]: "excused", ids["Phan Văn Nam"]: "absent",
    }  # fmt: skip


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


async def test_over_long_excuse_reason_is_refused_then_a_valid_one_is_recorded(
    world: World,
) -> None:
    for key in ("an", "binh", "cuong", "dung"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    await tick_at(world, "2026-12-02T01:00:00")
    meeting = await december(world)
    cuong = world.seeded.member_ids["cuong"]
    sentence = "Đưa mẹ đi khám bệnh ở bệnh viện tỉnh vì mẹ bị ốm nặng, đã báo trước với tổ trưởng"
    # Cường first said he would come; then he asks to be excused for a reason of his own.
    reminder = last_to(world, "cuong")
    await press(world, "cuong", reminder, texts.MEETING_ATTEND)
    asked = await excuse(world, TG_IDS["cuong"], texts.MEETING_REASONS["kh"], reminder)
    assert asked["text"] == texts.ASK_REASON_TEXT.format(limit=REASON_MAX)
    answer = "SELECT answer, reason, answered_at FROM meeting_answers WHERE meeting_id = ?"
    stored = [tuple(r) for r in await world.rows(answer, (meeting,))]
    assert [(a, r) for a, r, _ in stored] == [("attend", None)]
    leaders = {key: len(texts_to(world, key)) for key in ("an", "binh")}
    outbox = await world.rows("SELECT COUNT(*) AS n FROM outbox")

    # Dung, who has not answered at all, sends a reason far too long: still no answer row.
    await excuse(world, TG_IDS["dung"], texts.MEETING_REASONS["kh"])
    # Refused with the reason's own limit (200), not the size of a chat message.
    [refused] = await world.say("dung", "y" * 10_000)
    assert refused["text"] == texts.TOO_LONG.format(limit=REASON_MAX)
    assert str(MAX_INPUT) not in refused["text"]
    [refused] = await world.say("dung", nfd(" ".join([sentence] * 3)))
    assert refused["text"] == texts.TOO_LONG.format(limit=REASON_MAX)
    # Cường, who had answered, sends over-long reasons: his answer stays as it was.
    too_long = {
        # Beyond what any message may hold: the general guard answers first, with the limit
        # of the field being asked for.
        "x" * 10_000: texts.TOO_LONG.format(limit=REASON_MAX),
        nfd(" ".join([sentence] * 120))[:10_000]: texts.TOO_LONG.format(limit=REASON_MAX),
        # Within a message but over the reason's limit, plain and NFD-decomposed.
        " ".join([sentence] * 5): texts.TOO_LONG.format(limit=REASON_MAX),
        nfd(" ".join([sentence] * 3)): texts.TOO_LONG.format(limit=REASON_MAX),
        nfd("Đ" * (REASON_MAX + 1)): texts.TOO_LONG.format(limit=REASON_MAX),
    }
    for text, refusal in too_long.items():
        [reply] = await world.say("cuong", text)
        assert reply["text"] == refusal, len(text)
    await settle(world)
    # Nothing stored, nobody told.
    assert [tuple(r) for r in await world.rows(answer, (meeting,))] == stored
    assert {key: len(texts_to(world, key)) for key in ("an", "binh")} == leaders
    assert await world.rows("SELECT COUNT(*) AS n FROM outbox") == outbox

    # A valid reason, sent decomposed: 182 letters as read, 250 code points as sent.
    reason = f"{sentence}; {sentence}"
    assert len(reason) <= REASON_MAX < len(nfd(reason))
    [ok] = await world.say("cuong", nfd(reason))
    assert ok["text"] == texts.ANSWER_EXCUSED_OK.format(when=WHEN, reason=reason)
    rows = await world.rows(
        "SELECT member_id, answer, reason FROM meeting_answers WHERE meeting_id = ?", (meeting,)
    )
    assert [tuple(r) for r in rows] == [(cuong, "excused", reason)]
    assert rows[0]["reason"] == unicodedata.normalize("NFC", rows[0]["reason"])
    await settle(world)
    told = texts.SECRETARY_TOLD_EXCUSED.format(name="Lê Văn Cường", when=WHEN, reason=reason)
    for key in ("an", "binh"):
        assert texts_to(world, key)[leaders[key] :] == [told]
    # The conversation is over: a further text is not taken as another reason.
    [more] = await world.say("cuong", "Xin lỗi, gửi thêm")
    assert more["text"] == texts.NOT_UNDERSTOOD
    assert [tuple(r) for r in await world.rows(
        "SELECT member_id, answer, reason FROM meeting_answers WHERE meeting_id = ?", (meeting,)
    )] == [(cuong, "excused", reason)]  # fmt: skip
    await settle(world)
    assert texts_to(world, "an")[leaders["an"] :] == [told]
