"""The meeting's paperwork end to end: a month of one cell on Telegram and Zalo — agenda and a
PDF sent ahead once to every member (the file uploaded once, then re-sent by id; a link on
Zalo), a change told once, excuses, attendance, the minutes and resolution drafts read back
with python-docx, and the year's archive."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.cli.minutes import minutes_export
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from tests.bulletin_flow import PDF, send_file
from tests.conftest import World
from tests.minutes_flow import (
    BLOCKED_NOTE,
    HANH,
    HONG,
    MENU_LABELS,
    TASK_CLEAN,
    TASK_NEXT,
    TASK_ROAD,
    TU,
    add_categories,
    at,
    fetch_draft,
    read_docx,
    report,
    tasks_and_reports,
    vote_line,
)
from tests.seed import TG_IDS
from tests.test_meetings import buttons, press, settle, tick_at
from tests.zalo_world import ZALO_IDS, ZaloWorld, serving_files, zfake

__all__ = ["zfake"]

AGENDA = "1. Kiểm điểm nhiệm vụ tháng 11\n2. Triển khai nhiệm vụ tháng 12\n- Thu đảng phí"
AGENDA_ITEMS = ["Kiểm điểm nhiệm vụ tháng 11", "Triển khai nhiệm vụ tháng 12", "Thu đảng phí"]
DOC_NAME = "du-thao-nghi-quyet-thang-12.pdf"
WHEN = "Thứ Bảy, 05/12/2026 lúc 19:00"


@pytest.fixture
async def both(zfake: FakeZalo, fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[ZaloWorld]:
    """Telegram and Zalo; Chibo serves the documents to Zalo from its own file endpoint."""
    clock = FakeClock(at("2026-11-04T01:00:00"))
    async with serving_files(zfake, fake, clock, tmp_path, "tl") as world:
        yield world


async def _december(world: World) -> int:
    rows = await world.rows(
        "SELECT id FROM meetings WHERE unit_id = ? AND period = '2026-12'",
        (world.seeded.unit_ids["A"],),
    )
    return int(rows[0]["id"])


async def _set_papers(world: World) -> None:
    """Secretary An: /datlich → «Nội dung và tài liệu» → the agenda, then the PDF."""
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    assert texts.PAPERS_NOT_SENT.format(days=3) in panel["text"]
    asked = await press(world, "an", panel, texts.PAPERS_EDIT_AGENDA)
    assert asked["text"] == texts.PAPERS_ASK_AGENDA.format(limit=2000)
    [saved] = await world.say("an", AGENDA)
    assert saved["text"].startswith(texts.PAPERS_AGENDA_SAVED)
    assert (
        "1. Kiểm điểm nhiệm vụ tháng 11\n2. Triển khai nhiệm vụ tháng 12\n3. Thu đảng phí"
        in (saved["text"])
    )
    asked = await press(world, "an", saved, texts.PAPERS_ADD_DOCUMENT)
    assert asked["text"] == texts.PAPERS_ASK_DOCUMENT.format(limit=20)
    [taken] = await send_file(world, "an", file_name=DOC_NAME)
    assert taken["text"].startswith(texts.PAPERS_DOCUMENT_SAVED.format(name=DOC_NAME, size="0,0"))
    done = await press(world, "an", taken, texts.PAPERS_DONE)
    assert done["text"] == texts.PAPERS_CLOSED


async def test_a_month_of_paperwork(both: ZaloWorld, tmp_path: Path) -> None:
    assert both.tg is not None
    world = World(both.chibo, both.tg, both.clock, both.seeded)
    ids = world.seeded.member_ids
    await add_categories(world)
    # Hà, secretary of cell B, is the committee's member assigned to attend cell A's meetings.
    from storage.attendance import AttendanceRepo

    await AttendanceRepo(world.db).assign_observer(world.seeded.unit_ids["A"], ids["ha"])
    for key in ("an", "binh", "cuong", "dung"):
        await world.link(key)
    await both.link("duc")  # Đức uses Zalo
    await tick_at(world, "2026-11-04T01:00:00")
    tasks = await tasks_and_reports(world)
    # The November meeting took place (no attendance taken); the December round opens.
    await tick_at(world, "2026-11-30T01:00:00")
    await report(world, tasks)

    # December 1st: the agenda and a PDF for the meeting of Saturday 05/12 19:00.
    await tick_at(world, "2026-12-01T01:00:00")
    await _set_papers(world)
    dec = await _december(world)
    docs = await world.rows("SELECT * FROM meeting_documents WHERE meeting_id = ?", (dec,))
    assert [(d["file_name"], d["kind"], d["sha256"]) for d in docs] == [
        (DOC_NAME, "pdf", hashlib.sha256(PDF).hexdigest())
    ]
    # Nothing goes out before documents_days_before (3) days ahead: 02/12 08:00 local.
    await tick_at(world, "2026-12-02T00:59:00")
    assert await world.rows("SELECT * FROM outbox WHERE dedupe_key LIKE '%:papers:%'") == []
    uploads_before = world.fake.uploads
    await tick_at(world, "2026-12-02T01:00:00")
    await tick_at(world, "2026-12-02T01:30:00")  # a second tick sends nothing more
    rows = await world.rows(
        "SELECT dedupe_key, status FROM outbox WHERE dedupe_key LIKE ? ORDER BY id",
        (f"meeting:{dec}:papers:%",),
    )
    members = [ids[k] for k in ("an", "binh", "cuong", "dung", "duc")]
    assert sorted(r["dedupe_key"] for r in rows) == sorted(
        [f"meeting:{dec}:papers:v3:member:{m}" for m in members]
        + [f"meeting:{dec}:papers:doc:{docs[0]['id']}:member:{m}" for m in members]
    )
    assert {r["status"] for r in rows} == {"sent"}
    # Telegram: the PDF was uploaded once and re-sent by its file id to the other members.
    assert world.fake.uploads == uploads_before + 1
    file_ids = set()
    for key in ("an", "binh", "cuong", "dung"):
        # The first reminder goes at the same time; the worker may send a chat's rows in any
        # order.
        sent = world.fake.sent_to(TG_IDS[key])
        head = texts.PAPERS_NOTICE.split("\n")[0]
        [notice] = [m for m in sent if m.get("text", "").startswith(head)]
        [document] = [m for m in sent if "document" in m]
        assert notice["text"].startswith("📎 Nội dung và tài liệu buổi sinh hoạt")
        assert "2. Triển khai nhiệm vụ tháng 12" in notice["text"]
        assert document["document"]["file_name"] == DOC_NAME
        file_ids.add(document["document"]["file_id"])
    assert len(file_ids) == 1
    # Zalo: a link to the file, which Chibo serves.
    zalo = [m["text"] for m in both.zfake.sent_to(ZALO_IDS["duc"])]
    url = f"{world.chibo.config.zalo.files_public_url}/{hashlib.sha256(PDF).hexdigest()}.pdf"
    assert sum(texts.ZALO_FILE_LINK.format(url=url) in t for t in zalo) == 1
    async with httpx.AsyncClient() as client:
        served = await client.get(url)
    assert served.status_code == 200 and served.content == PDF
    # /lichhop lists the documents.
    first, *_ = await world.say("cuong", "/lichhop", count=2)
    assert texts.LICHHOP_DOCUMENTS.format(names=DOC_NAME) in first["text"]

    # The agenda changes after it went out: every member is told once; the PDF is not re-sent.
    counts = {k: len(world.fake.sent_to(TG_IDS[k])) for k in ("binh", "cuong", "dung")}
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    assert texts.PAPERS_SENT in panel["text"]
    await press(world, "an", panel, texts.PAPERS_EDIT_AGENDA)
    # An is a member too: her own copy of the update and the answer arrive in either order.
    answers = await world.say("an", AGENDA + "\nBầu chi ủy nhiệm kỳ mới", count=2)
    [saved] = [m for m in answers if m["text"].startswith(texts.PAPERS_AGENDA_SAVED)]
    assert texts.PAPERS_RESENT.format(count=5) in saved["text"]
    await settle(world)
    for key, before in counts.items():
        [updated] = world.fake.sent_to(TG_IDS[key])[before:]
        assert updated["text"].startswith("📎 Cập nhật nội dung và tài liệu")
        assert "4. Bầu chi ủy nhiệm kỳ mới" in updated["text"]
    assert world.fake.uploads == uploads_before + 1
    await tick_at(world, "2026-12-02T13:00:00")  # and the planner does not send it again
    assert len(
        await world.rows(
            "SELECT 1 FROM outbox WHERE dedupe_key LIKE ?", (f"meeting:{dec}:papers:v4:%",)
        )
    ) == len(members)

    # Two ask to be excused, with reasons; Hạnh (no account) will simply not come.
    for key, reason in (("cuong", "om"), ("dung", "ct")):
        block, *_ = await world.say(key, "/lichhop", count=2)
        excuse = texts.MEETING_OPTION_ON.format(label=texts.MEETING_EXCUSE, day="05/12")
        reasons = await press(world, key, block, excuse)
        await press(world, key, reasons, texts.MEETING_REASONS[reason])

    # After the meeting: attendance from the answers, Hạnh marked absent, saved.
    await tick_at(world, "2026-12-05T15:00:00")
    [sheet] = await world.say("an", "/diemdanh")
    for _ in range(3):  # unmarked (never answered) -> present -> excused -> absent
        label = next(b for b in buttons(sheet) if b.endswith(HANH))
        sheet = await press(world, "an", sheet, label)
    # Those who never answered came.
    sheet = await press(world, "an", sheet, texts.ATTENDANCE_REST_PRESENT)
    saved = await press(world, "an", sheet, texts.ATTENDANCE_SAVE)
    assert saved["text"].startswith("Đã lưu điểm danh")
    # A task assigned at the meeting, for next month.
    from storage.tasks import TaskRepo

    await TaskRepo(world.db).create(
        world.seeded.unit_ids["A"], TASK_NEXT, "2026-12-25", [ids["an"], ids["binh"]], ids["an"],
        at("2026-12-05T13:30:00"),
    )  # fmt: skip

    # The minutes: from the button under the saved attendance; the vote and conclusions first.
    menu = await press(world, "an", saved, texts.BIENBAN_AFTER_ATTENDANCE)
    assert set(buttons(menu)) == {*MENU_LABELS, texts.BIENBAN_GUESTS}
    # Hà came as a guest; her roster name is in capitals, shown in title case (issue 14).
    async with world.db.write() as conn:
        await conn.execute("UPDATE members SET full_name = 'VÕ THỊ HÀ' WHERE id = ?", (ids["ha"],))
    picker = await press(world, "an", menu, texts.BIENBAN_GUESTS)
    assert picker["text"] == texts.BIENBAN_PICK_GUESTS and "Võ Thị Hà" in buttons(picker)
    picker = await press(world, "an", picker, "Võ Thị Hà")
    assert "✅ Võ Thị Hà" in buttons(picker)
    menu = await press(world, "an", picker, texts.BIENBAN_BACK)
    assert "Khách mời: Võ Thị Hà" in menu["text"]
    assert "Chủ trì: Nguyễn Văn An\nThư ký: Trần Thị Bình" in menu["text"]
    await press(world, "an", menu, texts.BIENBAN_VOTE_BUTTON)
    [refused] = await world.say("an", "9 0 0")
    assert refused["text"] == texts.BIENBAN_VOTE_TOO_MANY.format(total=9, present=4)
    [menu] = await world.say("an", "3, 0, 1")
    assert texts.BIENBAN_VOTE.format(yes=3, no=0, abstain=1) in menu["text"]
    await press(world, "an", menu, texts.BIENBAN_CONCLUSIONS)
    [menu] = await world.say("an", "Chi bộ hoàn thành tốt nhiệm vụ tháng 11.\nTập trung làm đường.")
    draft = await fetch_draft(world, "an", menu, texts.BIENBAN_MINUTES)

    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in draft.cells
    assert "CHI BỘ ẤP TÂN THÀNH" in draft.cells
    assert "ĐẢNG BỘ XÃ HÒA BÌNH" in draft.cells
    assert "Sinh hoạt chi bộ thường kỳ tháng 12 năm 2026" in draft.paragraphs
    assert "- Thời gian: bắt đầu lúc 19 giờ 00 phút, ngày 05 tháng 12 năm 2026." in draft.paragraphs
    assert "- Chủ trì: đồng chí Nguyễn Văn An. Thư ký: đồng chí Trần Thị Bình." in draft.paragraphs
    assert "- Khách mời: đồng chí Võ Thị Hà." in draft.paragraphs
    assert sorted(draft.section("- Đảng viên có mặt:")) == sorted(
        f"Đồng chí {n}" for n in ("Nguyễn Văn An", "Trần Thị Bình", "Hoàng Văn Đức", HONG)
    )
    assert sorted(draft.section("- Vắng có lý do:")) == [
        "Đồng chí Lê Văn Cường: Ốm đau",
        "Đồng chí Phạm Thị Dung: Đi công tác",
    ]
    assert draft.section("- Vắng không có lý do:") == [f"Đồng chí {HANH}"]
    assert draft.section("- Được miễn công tác và sinh hoạt đảng:") == [f"Đồng chí {TU}"]
    # The totals add up: 6 full + 1 probationary + 1 exempt = 8; 7 must attend = 4 + 2 + 1.
    assert (
        "- Tổng số đảng viên của chi bộ: 8 đồng chí (chính thức 6, dự bị 1, miễn công tác và sinh "
        "hoạt đảng 1); đảng viên sinh hoạt tạm thời: 0 đồng chí." in draft.paragraphs
    )
    assert (
        "- Đảng viên phải dự: 7 đồng chí; có mặt 4; vắng có lý do 2; vắng không có lý do 1."
        in draft.paragraphs
    )
    assert draft.after("1. Chương trình") == [
        *(f"- {item}" for item in [*AGENDA_ITEMS, "Bầu chi ủy nhiệm kỳ mới"]),
        "Tài liệu gửi đảng viên trước buổi sinh hoạt:",
        f"- {DOC_NAME}",
    ]
    assert sorted(draft.after("2. Kết quả thực hiện nhiệm vụ")) == sorted(
        [
            f"- {TASK_ROAD} — đồng chí Lê Văn Cường: đã hoàn thành",
            f"- {TASK_ROAD} — đồng chí Phạm Thị Dung: gặp khó khăn ({BLOCKED_NOTE})",
            f"- {TASK_CLEAN} — đồng chí Hoàng Văn Đức: đang thực hiện",
        ]
    )
    assert draft.after("5. Kết luận") == [
        "Chi bộ hoàn thành tốt nhiệm vụ tháng 11.",
        "Tập trung làm đường.",
    ]
    assert draft.after("6. Nhiệm vụ tháng tới") == [
        f"- {TASK_NEXT} (phân công: Nguyễn Văn An, Trần Thị Bình; hạn 25/12/2026)"
    ]
    assert vote_line(3, 0, 1) in draft.paragraphs
    assert {"THƯ KÝ", "CHỦ TRÌ", "Nguyễn Văn An", "Trần Thị Bình"} <= set(draft.cells)
    assert "{{" not in draft.text and "{%" not in draft.text

    # The resolution, in the layout of Party documents.
    resolution = await fetch_draft(world, "an", menu, texts.BIENBAN_RESOLUTION)
    assert {"ĐẢNG CỘNG SẢN VIỆT NAM", "T/M CHI BỘ", "BÍ THƯ", "Số: ……-NQ/CB"} <= set(
        resolution.cells
    )
    assert "……………, ngày 05 tháng 12 năm 2026" in resolution.cells
    assert "NGHỊ QUYẾT" in resolution.paragraphs
    assert (
        "- Sinh hoạt chi bộ tháng 12 năm 2026: 4/7 đảng viên phải dự có mặt (57%); vắng có lý do "
        "2, vắng không có lý do 1." in resolution.paragraphs
    )
    assert f"- Nhiệm vụ gặp khó khăn: {TASK_ROAD} (đồng chí Phạm Thị Dung: {BLOCKED_NOTE})." in (
        resolution.paragraphs
    )
    assert any(p.startswith(f"3. {TASK_NEXT}") for p in resolution.paragraphs)

    # The archive: one file per meeting of the year, named by date.
    out = tmp_path / "luu-tru"
    config = world.chibo.config
    assert await minutes_export(config, "A", 2026, out, clock=world.clock) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "bien-ban-2026-11-05.docx",
        "bien-ban-2026-12-05.docx",
    ]
    archived = read_docx((out / "bien-ban-2026-12-05.docx").read_bytes())
    assert archived.section("- Vắng không có lý do:") == [f"Đồng chí {HANH}"]
    committee = tmp_path / "xa"
    assert await minutes_export(config, "X", 2026, committee, clock=world.clock) == 0
    assert sorted(str(p.relative_to(committee)) for p in committee.rglob("*.docx")) == [
        "A/bien-ban-2026-11-05.docx",
        "A/bien-ban-2026-12-05.docx",
        "B/bien-ban-2026-11-05.docx",
        "B/bien-ban-2026-12-05.docx",
    ]

    # On Zalo the draft is a link: Hà, secretary of cell B, asks for her cell's minutes.
    await both.link("ha")
    [menu_z] = await both.say("ha", "/bienban")
    assert (
        menu_z.startswith("📝 Biên bản và nghị quyết") and f"1. {texts.BIENBAN_MINUTES}" in menu_z
    )
    [linked] = await both.say("ha", "1")
    base = world.chibo.config.zalo.files_public_url
    link = next(w for w in linked.split() if w.startswith(base) and w.endswith(".docx"))
    async with httpx.AsyncClient() as client:
        got = await client.get(link)
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "CHI BỘ ẤP PHÚ LỢI" in read_docx(got.content).cells
