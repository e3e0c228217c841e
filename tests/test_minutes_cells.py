"""The paperwork for someone leading several cells (issue 15): `/datlich` (and its «Nội dung và
tài liệu»), `/diemdanh` and `/bienban` ask which cell and act on the one chosen, on Telegram (buttons) and
Zalo (a numbered list); a forged cell button is refused politely with nothing changed."""

from __future__ import annotations

from typing import Any

from bot.core import texts
from tests.conftest import World
from tests.minutes_flow import at, fetch_draft, snapshot
from tests.seed import grant
from tests.test_meetings import buttons, forge, press, tick_at
from tests.zalo_world import ZALO_IDS, ZaloWorld, zfake, zworld

__all__ = ["zfake", "zworld"]

CELL_A = "Chi bộ ấp Tân Thành"
CELL_B = "Chi bộ ấp Phú Lợi"
AGENDA_B = "Kiểm điểm việc làm đường ấp Phú Lợi"


async def _lead_both(world: Any) -> None:
    """An, secretary of cell A, also becomes secretary of cell B."""
    await grant(world.db, world.seeded, "an", "secretary", "B")


async def _december(world: Any) -> dict[str, dict[str, Any]]:
    rows = await world.rows(
        "SELECT u.code, m.id, m.agenda, m.starts_at, m.version FROM meetings m "
        "JOIN units u ON u.id = m.unit_id WHERE m.period = '2026-12'"
    )
    return {r["code"]: dict(r) for r in rows}


async def _state(world: World) -> list[Any]:
    """Everything the commands may change."""
    return await snapshot(
        world,
        "SELECT id, agenda, starts_at, place, version, status FROM meetings",
        "SELECT * FROM meeting_papers",
        "SELECT * FROM meeting_minutes",
        "SELECT * FROM attendance",
        "SELECT channel, user_id, kind, step FROM conversations",
        "SELECT COUNT(*) FROM outbox",
    )


async def test_datlich_and_bienban_ask_which_cell_and_act_on_it(world: World) -> None:
    units = world.seeded.unit_ids
    await _lead_both(world)
    for key in ("an", "ha"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    before = await _december(world)

    # /datlich: which cell? Cell B's menu, then its agenda («Nội dung và tài liệu»).
    [ask] = await world.say("an", "/datlich")
    assert ask["text"] == texts.PICK_CELL
    assert set(buttons(ask)) == {CELL_A, CELL_B}
    menu = await press(world, "an", ask, CELL_B)
    assert menu["text"].startswith(texts.DATLICH_MENU.split("{")[0] + CELL_B)
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    assert CELL_B in panel["text"]
    await press(world, "an", panel, texts.PAPERS_EDIT_AGENDA)
    [saved] = await world.say("an", AGENDA_B)
    assert saved["text"].startswith(texts.PAPERS_AGENDA_SAVED)
    after = await _december(world)
    assert after["B"]["agenda"] == AGENDA_B
    assert after["A"] == before["A"]

    # A time typed with the command waits for the cell: cell B's meeting moves, A's does not.
    [ask] = await world.say("an", "/datlich 3/12 19h30")
    assert ask["text"] == texts.PICK_CELL
    [text] = [m for m in await world.say("an", "vào lúc nào?") if m]  # not an answer
    assert text["text"] == texts.PICK_CELL
    moved = await press(world, "an", ask, CELL_B)
    assert moved["text"].startswith(texts.DATLICH_DONE.split("{")[0])
    after = await _december(world)
    assert after["B"]["starts_at"] == "2026-12-03T12:30:00.000000Z"
    assert after["A"] == before["A"]
    # The cell named after the command: no question.
    [named] = await world.say("an", "/datlich tan thanh")
    assert named["text"].startswith(texts.DATLICH_MENU.split("{")[0] + CELL_A)

    # Forged cell buttons: Hà leads cell B only; the commune is not a cell.
    state = await _state(world)
    assert await forge(world, "ha", f"dl:u:{units['A']}") == texts.NOT_YOUR_CELL
    assert await forge(world, "ha", f"dl:u:{units['A']}") == texts.NOT_YOUR_CELL
    assert await forge(world, "an", f"dl:u:{units['X']}") == texts.STALE_BUTTON
    assert await forge(world, "an", "dl:u:999999") == texts.STALE_BUTTON
    assert await _state(world) == state

    # Both meetings held: /diemdanh and /bienban ask which cell, and act on cell B.
    await tick_at(world, "2026-12-05T15:00:00")
    [ask] = await world.say("an", "/diemdanh")
    assert ask["text"] == texts.PICK_CELL and set(buttons(ask)) == {CELL_A, CELL_B}
    sheet = await press(world, "an", ask, CELL_B)
    assert any(label.endswith("Đặng Văn Hùng") for label in buttons(sheet))
    assert not any(label.endswith("Lê Văn Cường") for label in buttons(sheet))
    assert await forge(world, "ha", f"dd:u:{units['A']}") == texts.NOT_YOUR_CELL
    [ask] = await world.say("an", "/bienban")
    assert ask["text"] == texts.PICK_CELL and set(buttons(ask)) == {CELL_A, CELL_B}
    menu = await press(world, "an", ask, CELL_B)
    assert menu["text"].startswith("📝 Biên bản và nghị quyết") and CELL_B in menu["text"]
    assert CELL_A not in menu["text"]
    draft = await fetch_draft(world, "an", menu, texts.BIENBAN_MINUTES)
    assert "CHI BỘ ẤP PHÚ LỢI" in draft.cells
    assert draft.after("1. Chương trình") == [f"- {AGENDA_B}"]
    [named] = await world.say("an", "/bienban phu loi")
    assert named["text"].startswith("📝 Biên bản và nghị quyết") and CELL_B in named["text"]
    # Hà forges the picker's button for cell A, and cell A's minutes: refused, nothing changed.
    state = await _state(world)
    documents = [c for c in world.fake.calls if c.method == "sendDocument"]
    a_meeting = before["A"]["id"]
    for data in (f"bb:u:{units['A']}", f"bb:f:{a_meeting}", f"bb:m:{a_meeting}"):
        assert await forge(world, "ha", data) == texts.NOT_YOUR_CELL, data
    assert await forge(world, "an", f"bb:u:{units['X']}") == texts.STALE_BUTTON
    assert await _state(world) == state
    assert [c for c in world.fake.calls if c.method == "sendDocument"] == documents
    # Someone leading one cell is not asked.
    [own] = await world.say("ha", "/bienban")
    assert own["text"].startswith("📝 Biên bản và nghị quyết") and CELL_B in own["text"]


async def test_on_zalo_the_cells_are_a_numbered_list(zworld: ZaloWorld) -> None:
    await _lead_both(zworld)
    zworld.clock.set(at("2026-12-01T01:00:00"))
    await zworld.chibo.tick()
    await zworld.link("an")

    [ask] = await zworld.say("an", "/datlich")
    assert ask.startswith(texts.PICK_CELL)
    assert f"1. {CELL_A}" in ask and f"2. {CELL_B}" in ask
    [menu] = await zworld.say("an", "2")
    assert menu.startswith(texts.DATLICH_MENU.split("{")[0] + CELL_B)
    [panel] = await zworld.say("an", texts.DATLICH_PAPERS)
    assert CELL_B in panel
    [asked] = await zworld.say("an", texts.PAPERS_EDIT_AGENDA)
    assert asked == texts.PAPERS_ASK_AGENDA.format(limit=2000)
    [saved] = await zworld.say("an", AGENDA_B)
    assert saved.startswith(texts.PAPERS_AGENDA_SAVED)
    december = await _december(zworld)
    assert december["B"]["agenda"] == AGENDA_B and december["A"]["agenda"] == ""

    # The meetings are over: the attendance prompts the tick queues for An arrive first.
    uid, member = ZALO_IDS["an"], zworld.seeded.member_ids["an"]
    before = len(zworld.zfake.sent_to(uid))
    zworld.clock.set(at("2026-12-05T15:00:00"))
    await zworld.chibo.tick()
    prompts = await zworld.rows(
        "SELECT id FROM outbox WHERE member_id = ? AND dedupe_key LIKE '%:attendance'", (member,)
    )
    assert len(prompts) == 2  # one per cell
    await zworld.zfake.wait_sent(uid, before + len(prompts))
    [ask] = await zworld.say("an", "/bienban")
    assert ask.startswith(texts.PICK_CELL) and f"2. {CELL_B}" in ask
    [menu] = await zworld.say("an", "2")
    assert menu.startswith("📝 Biên bản và nghị quyết") and CELL_B in menu
