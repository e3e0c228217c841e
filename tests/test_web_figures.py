"""The dashboard's figures: a month of the test commune made through the real paths (chat for
tasks, check-ins and the bulletin; the meeting repository for attendance), read back from the
pages and the .xlsx exports; the /tongket chart on Telegram and on Zalo."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import aiohttp
import openpyxl

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.zalo_api import FakeZalo
from storage.attendance import AttendanceRepo
from storage.meetings import MeetingRepo
from tests.bulletin_flow import button, make_publisher, publish_in_chat
from tests.seed import TG_IDS, grant, seed
from tests.test_meetings import buttons, last_to, press, settle, tick_at
from tests.test_tasks import assign
from tests.web_world import LINK, Browser, WebWorld, at, free_port, http, web_section, wworld
from tests.zalo_world import ZALO_IDS, make_zalo_config, zfake

__all__ = ["http", "wworld", "zfake"]

CELL_A = "Chi bộ ấp Tân Thành"
CELL_B = "Chi bộ ấp Phú Lợi"
PNG = b"\x89PNG\r\n\x1a\n"


async def make_month(world: WebWorld) -> None:
    """November and December 2026 in the commune.

    Cell A: tasks for Cường (2) and Dũng (1), Cường answers the December round, Dũng does not;
    the November and December meetings held on time, Đức absent without reason at both.
    Cell B: its December meeting cancelled. The December bulletin reaches every linked member.
    """
    for key in ("an", "binh", "cuong", "dung", "ha"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường", "Phạm Thị Dung"], "Vận động quỹ khuyến học", None)
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", "31/12")
    await tick_at(world, "2026-11-30T01:00:00")
    await press(world, "cuong", last_to(world, "cuong"), texts.CHECKIN_STATUS["done"])
    await world.say("cuong", "Đã thu 2 triệu đồng")
    await tick_at(world, "2026-12-01T02:00:00")
    await make_publisher(world)
    confirm = await publish_in_chat(world)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    await settle(world)
    await tick_at(world, "2026-12-06T01:00:00")
    ids, units = world.seeded.member_ids, world.seeded.unit_ids
    repo = MeetingRepo(world.db)
    # November's meeting was before the bot ran: entered afterwards.
    await repo.create_regular(
        [(units["A"], "2026-11", at("2026-11-05T12:00:00"), "")], world.clock.now()
    )
    rows = await world.rows(
        "SELECT id, unit_id, period FROM meetings WHERE kind = 'regular' ORDER BY id"
    )
    meetings = {(r["unit_id"], r["period"]): r["id"] for r in rows}
    marks = {
        ids["an"]: "present",
        ids["binh"]: "present",
        ids["cuong"]: "present",
        ids["dung"]: "excused",
        ids["duc"]: "absent",
    }
    now = world.clock.now()
    for period in ("2026-11", "2026-12"):
        await AttendanceRepo(world.db).save_attendance(
            meetings[(units["A"], period)], marks, ids["an"], now
        )
    b_december = await repo.get(meetings[(units["B"], "2026-12")])
    assert b_december is not None
    await repo.change(b_december, cancel=True, now=now, messages=lambda m: [])


def sheet_rows(data: bytes) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


async def test_committee_sees_each_cell_and_exports_numbers(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    await make_month(wworld)
    await wworld.grant("ha", "committee", "X")
    browser = Browser(http, wworld.base)
    assert await browser.sign_in(await wworld.web_link("ha")) == 303
    commune = wworld.seeded.unit_ids["X"]
    status, _, body, _ = await browser.get(f"/don-vi/{commune}?ky=thang")
    page = body.decode()
    assert status == 200 and CELL_A in page and CELL_B in page
    assert texts.PAGE_MONTH.format(month=12, year=2026) in page

    status, _, data, headers = await browser.get(f"/xuat/{commune}/don-vi.xlsx?ky=thang")
    assert status == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = sheet_rows(data)
    assert header == (
        texts.COL_UNIT,
        texts.COL_MEMBERS,
        texts.COL_ON_TIME,
        texts.COL_MOVED,
        texts.COL_NOT_HELD,
        texts.COL_ATTENDANCE,
        texts.COL_ABSENT,
        texts.COL_TASK_SHARE,
        texts.COL_RESPONSE,
        texts.COL_DELIVERED,
        texts.COL_READ,
        # Party dues (issue 16): no amounts due are on file here, so no share either.
        texts.COL_DUES_MEMBERS,
        texts.COL_DUES_COLLECTED,
    )
    by_name = {r[0]: r[1:] for r in rows}
    # Cell A in December: 5 members, one meeting on time, 3 of 5 present, Đức absent;
    # 2 of 5 with a task, 1 of 2 answered; the bulletin reached the 4 linked of 5, none read.
    assert by_name[CELL_A] == (5, 1, 0, 0, 60.0, 1, 40.0, 50.0, 80.0, 0.0, None, None)
    # Cell B: its meeting cancelled, no attendance, no task; Hà linked, Hùng not.
    assert by_name[CELL_B] == (2, 0, 0, 1, None, 0, 0.0, None, 50.0, 0.0, None, None)
    assert by_name["Đảng bộ xã Hòa Bình"][:4] == (7, 1, 0, 1)

    # Sorting by a column, both ways.
    _, _, body, _ = await browser.get(f"/don-vi/{commune}?ky=thang&sx=members&chieu=giam")
    page = body.decode()
    assert page.index(CELL_A) < page.index(CELL_B)
    _, _, body, _ = await browser.get(f"/don-vi/{commune}?ky=thang&sx=members&chieu=tang")
    page = body.decode()
    assert page.index(CELL_B) < page.index(CELL_A)

    # The year: two meetings of A on time, Đức's two absences.
    status, _, data, _ = await browser.get(f"/xuat/{commune}/thang.xlsx?ky=nam")
    header, *months = sheet_rows(data)
    assert header[0] == texts.COL_MONTH and len(months) == 12
    assert months[10] == (11, 1, 0, 0, 60.0, 1)
    assert months[11] == (12, 1, 0, 1, 60.0, 1)

    # A committee member drills down to a cell: its members, without names.
    cell = wworld.seeded.unit_ids["A"]
    _, _, body, _ = await browser.get(f"/don-vi/{cell}?ky=nam")
    page = body.decode()
    assert texts.PAGE_NAMES_HIDDEN in page and "Lê Văn Cường" not in page
    assert texts.PAGE_MEMBER_ANON.format(n=5) in page
    _, _, data, _ = await browser.get(f"/xuat/{cell}/dang-vien.xlsx?ky=nam")
    header, *members = sheet_rows(data)
    assert [m[0] for m in members] == [texts.PAGE_MEMBER_ANON.format(n=i) for i in range(1, 6)]
    assert sorted(m[1:] for m in members)[-1] == (2, 1, 2, 0, 0, 1, 0)

    # Charts: SVG for the page, PNG to download, for every kind.
    for kind in ("meetings", "attendance", "tasks", "bulletin"):
        status, _, svg, headers = await browser.get(f"/bieu-do/{commune}/{kind}.svg?ky=nam")
        assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
        assert texts.CHART_NAMES[kind] and b"<svg" in svg[:400]
        status, _, png, _ = await browser.get(f"/bieu-do/{commune}/{kind}.png?ky=nam")
        assert status == 200 and png.startswith(PNG)


async def test_secretary_sees_names_and_members_needing_attention(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    await make_month(wworld)
    browser = Browser(http, wworld.base)
    assert await browser.sign_in(await wworld.web_link("an")) == 303
    cell = wworld.seeded.unit_ids["A"]
    _, _, body, _ = await browser.get(f"/don-vi/{cell}?ky=nam")
    page = body.decode()
    line = texts.PAGE_ATTENTION_LINE.format(name="Hoàng Văn Đức", absent=2, year=2026)
    assert texts.PAGE_ATTENTION in page and line in page
    assert "Lê Văn Cường" in page and texts.PAGE_NAMES_HIDDEN not in page
    _, _, data, _ = await browser.get(f"/xuat/{cell}/dang-vien.xlsx?ky=nam")
    _, *members = sheet_rows(data)
    by_name = {m[0]: m[1:] for m in members}
    assert by_name["Lê Văn Cường"] == (2, 1, 2, 0, 0, 1, 0)
    assert by_name["Hoàng Văn Đức"] == (0, 0, 0, 0, 2, 1, 0)


async def test_tongket_sends_the_chart_as_a_photo(wworld: WebWorld) -> None:
    await make_month(wworld)
    text, photo = await wworld.say("an", "/tongket", count=2)
    assert text["text"].startswith(texts.YEAR_HEADER.format(unit=CELL_A, year=2026))
    assert photo["caption"] == texts.CHART_CAPTION.format(year=2026, unit=CELL_A)
    [call] = [c for c in wworld.fake.calls if c.method == "sendPhoto"]
    assert call.params["chat_id"] in (TG_IDS["an"], str(TG_IDS["an"]))
    assert wworld.fake.file_content(photo["photo"][-1]["file_id"]).startswith(PNG)
    # Chart files are kept a day by Chibo's clock (not the host's): a minute later both are
    # there, a day later only the newest.
    charts = wworld.chibo.config.db_path.parent / "charts"
    assert len(list(charts.glob("*.png"))) == 1
    await wworld.clock.advance(60)
    await wworld.say("an", "/tongket", count=2)
    first_two = set(charts.glob("*.png"))
    assert len(first_two) == 2
    await wworld.clock.advance(86_400 + 1)
    await wworld.say("an", "/tongket", count=2)
    [newest] = charts.glob("*.png")
    assert newest not in first_two


async def test_tongket_on_zalo_sends_the_chart_by_url(
    zfake: FakeZalo, clock: FakeClock, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    port = free_port()
    config = make_zalo_config(tmp_path, zfake)
    from dataclasses import replace

    from bot.core.config import WebConfig

    config = replace(config, web=WebConfig(**web_section(port)))
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    try:
        from storage.invites import InviteRepo

        member = seeded.member_ids["an"]
        codes = await InviteRepo(chibo.db).ensure_for([member], clock.now(), timedelta(days=30))
        uid = ZALO_IDS["an"]
        zfake.send_text(uid, f"/start {codes[member]}")
        await zfake.wait_sent(uid, 1)
        before = len(zfake.sent_to(uid))
        zfake.send_text(uid, "/tongket")
        sent = (await zfake.wait_sent(uid, before + 2))[before:]
        photo = sent[-1]
        assert photo["method"] == "sendPhoto"
        assert photo["caption"] == texts.CHART_CAPTION.format(year=2026, unit=CELL_A)
        url = photo["photo"]
        assert url.startswith(f"http://127.0.0.1:{port}/anh/") and url.endswith(".png")
        async with http.get(url) as r:
            assert r.status == 200 and (await r.read()).startswith(PNG)
        await clock.advance(86_400 + 1)
        async with http.get(url) as r:
            assert r.status == 404
        # /web on Zalo: a link tied to the Zalo account signs in the same way.
        before = len(zfake.sent_to(uid))
        zfake.send_text(uid, "/web")
        [answer] = (await zfake.wait_sent(uid, before + 1))[before:]
        found = LINK.search(answer["text"])
        assert found is not None
        browser = Browser(http, f"http://127.0.0.1:{port}")
        assert await browser.sign_in(found.group(1)) == 303
        [session] = await chibo.db.fetchall("SELECT channel FROM web_sessions")
        assert session[0] == "zalo"
    finally:
        await chibo.stop()


async def test_tongket_asks_a_leader_of_several_cells_and_charts_the_cell_picked(
    wworld: WebWorld,
) -> None:
    await make_month(wworld)
    await grant(wworld.db, wworld.seeded, "an", "secretary", "B")
    units = wworld.seeded.unit_ids
    photos = len([c for c in wworld.fake.calls if c.method == "sendPhoto"])

    [ask] = await wworld.say("an", "/tongket")
    assert ask["text"] == texts.PICK_CELL
    assert set(buttons(ask)) == {CELL_A, CELL_B}
    await wworld.press("an", ask, buttons(ask)[CELL_B])
    caption = texts.CHART_CAPTION.format(year=2026, unit=CELL_B)
    await wworld.fake.wait_for(
        lambda c: c.method == "sendPhoto" and c.params.get("caption") == caption
    )
    [view] = [m for m in wworld.fake.sent_to(TG_IDS["an"]) if m["message_id"] == ask["message_id"]]
    assert view["text"].startswith(texts.YEAR_HEADER.format(unit=CELL_B, year=2026))
    assert len([c for c in wworld.fake.calls if c.method == "sendPhoto"]) == photos + 1

    # Named after a year: cell A of 2026, its chart after it.
    text, chart = await wworld.say("an", "/tongket 2026 tan thanh", count=2)
    assert text["text"].startswith(texts.YEAR_HEADER.format(unit=CELL_A, year=2026))
    assert chart["caption"] == texts.CHART_CAPTION.format(year=2026, unit=CELL_A)

    # Hà leads cell B only: a forged button for cell A shows nothing, sends no chart.
    await wworld.press("ha", last_to(wworld, "ha"), f"yv:u:{units['A']}:2026", check=False)
    assert last_to(wworld, "ha")["text"] == texts.NOT_YOUR_CELL
    await wworld.press("an", last_to(wworld, "an"), f"yv:u:{units['X']}:2026", check=False)
    assert last_to(wworld, "an")["text"] == texts.STALE_BUTTON
    assert len([c for c in wworld.fake.calls if c.method == "sendPhoto"]) == photos + 2
    # Hà is not asked.
    text, chart = await wworld.say("ha", "/tongket", count=2)
    assert text["text"].startswith(texts.YEAR_HEADER.format(unit=CELL_B, year=2026))
    assert chart["caption"] == texts.CHART_CAPTION.format(year=2026, unit=CELL_B)
