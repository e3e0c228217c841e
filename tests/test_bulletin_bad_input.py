"""Wrong input while publishing a bulletin: each is refused with a Vietnamese explanation."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import texts
from storage.db import to_db
from tests.bulletin_flow import button, make_publisher, press_and_get, publish_in_chat, send_file
from tests.conftest import World

MB = 1024 * 1024


async def _nothing_published(world: World) -> None:
    assert await world.rows("SELECT * FROM bulletins") == []
    assert await world.rows("SELECT * FROM outbox WHERE batch LIKE 'bulletin:%'") == []


async def test_wrong_files_are_refused(world: World) -> None:
    await make_publisher(world)
    await world.link("binh")
    [not_pdf] = await send_file(world, "binh", file_name="ttt.docx", mime_type="application/msword")
    assert not_pdf["text"] == texts.BULLETIN_NOT_PDF.format(name="ttt.docx")
    # Named .pdf but not a PDF inside.
    [fake_pdf] = await send_file(world, "binh", content=b"hello", file_name="ttt.pdf")
    assert fake_pdf["text"] == texts.BULLETIN_NOT_PDF.format(name="ttt.pdf")
    [empty] = await send_file(world, "binh", content=b"", file_name="rong.pdf")
    assert empty["text"] == texts.BULLETIN_EMPTY_FILE.format(name="rong.pdf")
    [big] = await send_file(world, "binh", content=b"%PDF-" + b"0" * (21 * MB), file_name="to.pdf")
    assert big["text"] == texts.BULLETIN_TOO_BIG.format(
        name="to.pdf", size="21,0", limit=20, cli_limit=50, issue="12/2026"
    )
    assert "chibo bulletin publish" in big["text"]
    assert world.fake.downloads <= 1  # the big file was never fetched
    await _nothing_published(world)


async def test_no_role_no_publishing(world: World) -> None:
    await world.link("cuong")
    [pdf] = await send_file(world, "cuong")
    assert pdf["text"] == texts.BULLETIN_FILE_NO_ROLE.format(role=texts.PUBLISHER_ROLE)
    [cmd] = await world.say("cuong", "/phathanh")
    assert cmd["text"] == texts.NO_PERMISSION.format(
        role=f"{texts.ROLE_NAMES['propaganda']}, {texts.ROLE_NAMES['admin']}"
    )
    [other] = await send_file(world, "cuong", file_name="anh.jpg", mime_type="image/jpeg")
    assert other["text"] == texts.FILE_NOT_EXPECTED
    await _nothing_published(world)


async def test_empty_scope_duplicate_issue_cancel_and_unconfirmed(world: World) -> None:
    await make_publisher(world)
    await world.link("binh")
    await world.link("cuong")
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    async with world.db.write() as conn:
        await conn.execute(
            "INSERT INTO units (code, name, kind, parent_id, created_at, updated_at) "
            "VALUES ('C', 'Chi bộ ấp Mới Lập', 'cell_hamlet', ?, ?, ?)",
            (world.seeded.unit_ids["X"], now, now),
        )
    # /phathanh, then the PDF; an empty unit as scope is refused and the question asked again.
    [ask_file] = await world.say("binh", "/phathanh")
    assert ask_file["text"] == texts.BULLETIN_ASK_FILE.format(limit=20)
    [waiting] = await world.say("binh", "chưa có tệp")
    assert waiting["text"] == texts.BULLETIN_WAITING_FILE
    [ask_title] = await send_file(world, "binh")
    [ask_issue] = await world.say("binh", "Thông tin tư tưởng tháng 12")
    [bad_issue] = await world.say("binh", "tháng mười hai")
    assert bad_issue["text"] == texts.BULLETIN_BAD_ISSUE.format(text="tháng mười hai")
    [ask_scope] = await world.say("binh", "Số 12/2026")
    [ask_unit] = await press_and_get(
        world, "binh", ask_scope, button(ask_scope, texts.BULLETIN_SCOPE_UNIT)
    )
    assert ask_unit["text"] == texts.BULLETIN_ASK_UNIT
    [unknown] = await world.say("binh", "không có")
    assert unknown["text"] == texts.BULLETIN_UNIT_NONE.format(text="không có")
    refused, again = await world.say("binh", "moi lap", count=2)
    assert refused["text"] == texts.BULLETIN_SCOPE_EMPTY.format(
        scope=texts.BULLETIN_SCOPE_NAMES["unit"].format(unit="Chi bộ ấp Mới Lập")
    )
    [_ask_when] = await press_and_get(
        world, "binh", again, button(again, texts.BULLETIN_SCOPE_CELLS)
    )
    [past] = await world.say("binh", "7h 1/1/2020")
    assert past["text"] == texts.BULLETIN_PAST_WHEN.format(text="7h 1/1/2020")
    [bad_when] = await world.say("binh", "sáng mai")
    assert bad_when["text"] == texts.BULLETIN_BAD_WHEN.format(text="sáng mai")
    [confirm] = await world.say("binh", "7h 2/12")
    assert "lúc 07:00 ngày 02/12/2026" in confirm["text"]
    # Not confirmed: nothing sent, nothing stored.
    await _nothing_published(world)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_CANCEL))
    assert world.fake.last_message(confirm["chat"]["id"])["text"] == texts.CANCELLED
    await _nothing_published(world)
    # The same issue published, then tried again: refused at the issue number.
    confirm = await publish_in_chat(world)
    send = button(confirm, texts.BULLETIN_SEND)
    await world.press("binh", confirm, send)
    await world.chibo.worker.wait_idle()
    [ask_title] = await send_file(world, "binh")
    [ask_issue] = await press_and_get(
        world, "binh", ask_title, button(ask_title, texts.BULLETIN_DEFAULT_TITLE)
    )
    [dup] = await press_and_get(world, "binh", ask_issue, button(ask_issue, "Số 12/2026"))
    assert dup["text"] == texts.BULLETIN_DUPLICATE.format(
        issue="Số 12/2026", date="Thứ Ba, 01/12/2026", title=texts.BULLETIN_DEFAULT_TITLE
    )
    # The issue label already says «Số»: the sentence must not say it twice.
    assert "số số" not in dup["text"].lower() and "Số 12/2026" in dup["text"]
    assert len(await world.rows("SELECT * FROM bulletins")) == 1
    # A stale confirmation button from the cancelled dialogue does nothing.
    await world.press("binh", confirm, send, check=False)
    assert len(await world.rows("SELECT * FROM bulletins")) == 1
