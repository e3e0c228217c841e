"""The secretary's everyday commands for someone leading several cells: `/thongbao`, `/chibo`,
`/tiendo`, `/nhiemvu` and `/dangphi` (for a keeper of several books) ask which cell (buttons on Telegram, a numbered list on Zalo) and act
on the one chosen, or on the cell named after the command; a leader of one cell is not asked; a
forged cell button is refused politely with nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.core import texts
from tests.conftest import World
from tests.dues_world import dues_world, import_amounts
from tests.minutes_flow import at, snapshot
from tests.seed import TG_IDS, grant
from tests.test_meetings import buttons, forge, last_to, press, settle, texts_to, tick_at
from tests.zalo_world import ZaloWorld, zfake, zworld

__all__ = ["dues_world", "zfake", "zworld"]

CELL_A = "Chi bộ ấp Tân Thành"
CELL_B = "Chi bộ ấp Phú Lợi"
BODY = "Sáng Chủ nhật ra quân làm đường ấp Phú Lợi, đề nghị các đồng chí tham gia."
TASK = "Vận động hội viên làm đường ấp"
WHEN = "Thứ Bảy, 05/12/2026 lúc 19:00"


async def _lead_both(world: Any) -> None:
    """An, secretary of cell A, also becomes secretary of cell B."""
    await grant(world.db, world.seeded, "an", "secretary", "B")


async def _state(world: World) -> list[Any]:
    """Everything these commands may change."""
    return await snapshot(
        world,
        "SELECT * FROM notices",
        "SELECT channel, user_id, kind, step, data FROM conversations",
        "SELECT id, status FROM outbox",
        "SELECT * FROM checkin_excused",
        "SELECT id, status, body FROM tasks",
    )


def _now(world: World, key: str, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it reads now (a pressed button may have edited it in place)."""
    sent = world.fake.sent_to(TG_IDS[key])
    return next(m for m in sent if m["message_id"] == message["message_id"])


async def _task_in_b(world: World) -> None:
    """Hà (leading cell B only, so not asked which cell) gives Hùng a task."""
    [sheet] = await world.say("ha", "/giaoviec")
    sheet = await press(world, "ha", sheet, "Đặng Văn Hùng")
    await press(world, "ha", sheet, texts.GIAOVIEC_DONE_PICK.format(count=1))
    await world.say("ha", TASK)
    await press(world, "ha", last_to(world, "ha"), texts.GIAOVIEC_NO_DUE)
    await press(world, "ha", last_to(world, "ha"), texts.GIAOVIEC_SEND)
    await settle(world)


async def test_thongbao_asks_which_cell_and_sends_to_that_cell_only(world: World) -> None:
    units = world.seeded.unit_ids
    await _lead_both(world)
    for key in ("an", "cuong", "ha", "hung"):
        await world.link(key)

    [ask] = await world.say("an", "/thongbao")
    assert ask["text"] == texts.PICK_CELL
    assert set(buttons(ask)) == {CELL_A, CELL_B}
    asked = await press(world, "an", ask, CELL_B)
    assert asked["text"] == texts.NOTICE_ASK_TEXT.format(unit=CELL_B, limit=3000)
    [confirm] = await world.say("an", BODY)
    assert confirm["text"] == texts.NOTICE_CONFIRM.format(
        linked=2, unit=CELL_B, unlinked_note="", body=BODY
    )
    queued = await press(world, "an", confirm, texts.NOTICE_SEND)
    assert queued["text"] == texts.NOTICE_QUEUED.format(count=2)
    await settle(world)
    notice = texts.NOTICE_MESSAGE.format(unit=CELL_B, body=BODY, sender="Nguyễn Văn An")
    assert notice in texts_to(world, "hung") and notice in texts_to(world, "ha")
    assert notice not in texts_to(world, "cuong")
    [row] = await world.rows("SELECT unit_id FROM notices")
    assert row["unit_id"] == units["B"]

    # The cell named after the command: no question.
    [named] = await world.say("an", "/thongbao tan thanh")
    assert named["text"] == texts.NOTICE_ASK_TEXT.format(unit=CELL_A, limit=3000)
    [cancelled] = await world.say("an", "/huy")
    assert cancelled["text"] == texts.CANCELLED
    [none] = await world.say("an", "/thongbao Bến Tre")
    assert none["text"] == texts.PICK_CELL_NONE.format(query="Bến Tre")
    # Hà leads one cell: words after the command are not taken for a cell's name.
    [asked] = await world.say("ha", "/thongbao Tối nay họp chi bộ")
    assert asked["text"] == texts.NOTICE_ASK_TEXT.format(unit=CELL_B, limit=3000)
    [cancelled] = await world.say("ha", "/huy")
    assert cancelled["text"] == texts.CANCELLED

    # Forged cell buttons: Hà leads cell B only; the commune is not a cell.
    [ask] = await world.say("an", "/thongbao")
    state = await _state(world)
    assert await forge(world, "ha", f"ntc:u:{units['A']}") == texts.NOT_YOUR_CELL
    assert await forge(world, "cuong", f"ntc:u:{units['A']}") == texts.NO_PERMISSION.format(
        role=texts.SECRETARY_ROLE
    )
    assert await forge(world, "an", f"ntc:u:{units['X']}") == texts.STALE_BUTTON
    assert await forge(world, "an", "ntc:u:999999") == texts.STALE_BUTTON
    assert await _state(world) == state
    assert _now(world, "an", ask)["text"] == texts.PICK_CELL

    # Someone leading one cell is not asked.
    [own] = await world.say("ha", "/thongbao")
    assert own["text"] == texts.NOTICE_ASK_TEXT.format(unit=CELL_B, limit=3000)


async def test_chibo_tiendo_and_nhiemvu_ask_which_cell(world: World) -> None:
    units = world.seeded.unit_ids
    await _lead_both(world)
    for key in ("an", "ha", "hung"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")  # materialises both cells' 05/12 meetings
    await _task_in_b(world)
    await tick_at(world, "2026-11-30T01:00:00")  # cell B's check-in round opens
    [rnd] = await world.rows("SELECT id, unit_id FROM checkin_rounds")
    assert rnd["unit_id"] == units["B"]

    # /chibo: which cell? Cell B's overview, then its bulletin reads.
    [ask] = await world.say("an", "/chibo")
    assert ask["text"] == texts.PICK_CELL
    assert set(buttons(ask)) == {CELL_A, CELL_B}
    before = len(world.fake.sent_to(TG_IDS["an"]))
    section = await press(world, "an", ask, CELL_B)
    overview = _now(world, "an", ask)["text"]
    assert overview.startswith(texts.CHIBO_HEADER.format(unit=CELL_B))
    assert WHEN in overview and CELL_A not in overview
    assert section["text"] == texts.BULLETIN_CELL_NONE
    assert len(world.fake.sent_to(TG_IDS["an"])) == before + 1
    overview, section = await world.say("an", "/chibo tan thanh", count=2)
    assert overview["text"].startswith(texts.CHIBO_HEADER.format(unit=CELL_A))
    assert section["text"] == texts.BULLETIN_CELL_NONE

    # /tiendo: cell B's open round, titled with the cell; the nudge acts on it.
    [ask] = await world.say("an", "/tiendo")
    assert ask["text"] == texts.PICK_CELL and set(buttons(ask)) == {CELL_A, CELL_B}
    view = await press(world, "an", ask, CELL_B)
    assert view["text"].startswith(
        texts.PICKED_CELL.format(unit=CELL_B)
        + "\n"
        + texts.TIENDO_HEADER.format(when=WHEN, done=0, total=1)
    )
    assert texts.TIENDO_SILENT.format(names="Đặng Văn Hùng") in view["text"]
    nudged = await press(world, "an", view, texts.TIENDO_NUDGE)
    assert nudged["text"] == texts.TIENDO_NUDGED.format(count=1)
    [named] = await world.say("an", "/tiendo tan thanh")
    assert named["text"] == texts.PICKED_CELL.format(unit=CELL_A) + "\n" + texts.TIENDO_NO_ROUND

    # /nhiemvu: An's own tasks (none), then which cell's list.
    mine, ask = await world.say("an", "/nhiemvu", count=2)
    assert mine["text"] == texts.NHIEMVU_NONE
    assert ask["text"] == texts.PICK_CELL and set(buttons(ask)) == {CELL_A, CELL_B}
    listing = await press(world, "an", ask, CELL_B)
    assert CELL_B in listing["text"] and TASK in listing["text"]
    mine, named = await world.say("an", "/nhiemvu tan thanh", count=2)
    assert named["text"] == texts.NHIEMVU_CELL_NONE.format(unit=CELL_A)

    # Forged cell buttons: Hà leads cell B only; the commune is not a cell.
    state = await _state(world)
    outbox = await world.rows("SELECT COUNT(*) AS n FROM outbox")
    for data in (f"cb:u:{units['A']}", f"tt:u:{units['A']}", f"tk:u:{units['A']}"):
        assert await forge(world, "ha", data) == texts.NOT_YOUR_CELL, data
        assert await forge(world, "an", data.replace(str(units["A"]), str(units["X"]))) == (
            texts.STALE_BUTTON
        ), data
    assert await forge(world, "an", f"tk:g:{units['X']}:0") == texts.STALE_BUTTON
    assert await forge(world, "an", "tk:g:999999:0") == texts.STALE_BUTTON
    assert await _state(world) == state
    assert await world.rows("SELECT COUNT(*) AS n FROM outbox") == outbox

    # Hà leads one cell: not asked, and /tiendo is not titled.
    overview, section = await world.say("ha", "/chibo", count=2)
    assert overview["text"].startswith(texts.CHIBO_HEADER.format(unit=CELL_B))
    [view] = await world.say("ha", "/tiendo")
    assert view["text"].startswith(texts.TIENDO_HEADER.format(when=WHEN, done=0, total=1))
    mine, listing = await world.say("ha", "/nhiemvu", count=2)
    assert CELL_B in listing["text"] and TASK in listing["text"]


async def test_on_zalo_the_cells_are_a_numbered_list(zworld: ZaloWorld) -> None:
    await _lead_both(zworld)
    zworld.clock.set(at("2026-11-28T01:00:00"))
    await zworld.chibo.tick()
    await zworld.link("an")

    [ask] = await zworld.say("an", "/thongbao")
    assert ask.startswith(texts.PICK_CELL)
    assert f"1. {CELL_A}" in ask and f"2. {CELL_B}" in ask
    [asked] = await zworld.say("an", "2")
    assert asked == texts.NOTICE_ASK_TEXT.format(unit=CELL_B, limit=3000)
    await zworld.say("an", "/huy")

    [ask] = await zworld.say("an", "/chibo")
    assert ask.startswith(texts.PICK_CELL) and f"2. {CELL_B}" in ask
    overview, section = await zworld.say("an", "2", count=2)
    assert overview.startswith(texts.CHIBO_HEADER.format(unit=CELL_B))
    assert section == texts.BULLETIN_CELL_NONE

    [ask] = await zworld.say("an", "/tiendo")
    assert ask.startswith(texts.PICK_CELL) and f"1. {CELL_A}" in ask
    [view] = await zworld.say("an", "1")
    assert view == texts.PICKED_CELL.format(unit=CELL_A) + "\n" + texts.TIENDO_NO_ROUND


async def test_dangphi_asks_a_keeper_of_several_books_which_cell(
    dues_world: World, tmp_path: Path
) -> None:
    world = dues_world
    units = world.seeded.unit_ids
    await import_amounts(world, tmp_path)
    for unit in ("A", "B"):
        await grant(world.db, world.seeded, "dung", "treasurer", unit)
    for key in ("dung", "ha"):
        await world.link(key)

    [ask] = await world.say("dung", "/dangphi")
    assert ask["text"] == texts.PICK_CELL
    assert set(buttons(ask)) == {CELL_A, CELL_B}
    book = await press(world, "dung", ask, CELL_B)
    assert book["text"].startswith(texts.DUES_HEADER.format(month="12/2026", unit=CELL_B))
    [book] = await world.say("dung", "/dangphi 11/2026 tan thanh")
    assert book["text"].startswith(texts.DUES_HEADER.format(month="11/2026", unit=CELL_A))
    [book] = await world.say("dung", "/dangphi tháng 11 phu loi")
    assert book["text"].startswith(texts.DUES_HEADER.format(month="11/2026", unit=CELL_B))
    # A month asked of several books: the buttons open each at that month.
    [ask] = await world.say("dung", "/dangphi 10/2026")
    assert ask["text"] == texts.PICK_CELL
    book = await press(world, "dung", ask, CELL_A)
    assert book["text"].startswith(texts.DUES_HEADER.format(month="10/2026", unit=CELL_A))
    [bad] = await world.say("dung", "/dangphi Bến Tre")
    assert bad["text"] == texts.DUES_BAD_MONTH.format(text="Bến Tre")

    # Hà keeps cell B's book only: not asked; a forged button for cell A's book opens nothing.
    [own] = await world.say("ha", "/dangphi")
    assert own["text"].startswith(texts.DUES_HEADER.format(month="12/2026", unit=CELL_B))
    state = await snapshot(
        world,
        "SELECT channel, user_id, kind, step, data FROM conversations",
        "SELECT * FROM dues_payments",
    )
    await world.press("ha", own, f"df:o:{units['A']}:202612", check=False)
    assert last_to(world, "ha")["text"] == texts.DUES_NOT_YOUR_BOOK
    await world.press("dung", last_to(world, "dung"), f"df:o:{units['X']}:202612", check=False)
    assert last_to(world, "dung")["text"] == texts.DUES_NOT_YOUR_BOOK
    assert (
        await snapshot(
            world,
            "SELECT channel, user_id, kind, step, data FROM conversations",
            "SELECT * FROM dues_payments",
        )
        == state
    )
