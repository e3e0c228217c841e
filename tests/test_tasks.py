"""Tasks end to end: /giaoviec (paged pick, search, due date, confirm) and /nhiemvu."""

from __future__ import annotations

from bot.core import texts
from handlers.tasks import TASK_MAX
from tests.conftest import World
from tests.test_meetings import buttons, last_to, press, settle, texts_to

CELL = "Chi bộ ấp Tân Thành"


async def assign(world: World, picks: list[str], body: str, due: str | None) -> None:
    """Secretary An assigns a task to the members whose names are in `picks` (or the whole cell)."""
    await world.say("an", "/giaoviec")
    for name in picks:
        if name == "*":
            await press(world, "an", last_to(world, "an"), texts.GIAOVIEC_ALL)
            continue
        await press(world, "an", last_to(world, "an"), name)
    if picks != ["*"]:
        sheet = last_to(world, "an")
        label = texts.GIAOVIEC_DONE_PICK.format(count=len(picks))
        await press(world, "an", sheet, label)
    await world.say("an", body)
    if due is None:
        await press(world, "an", last_to(world, "an"), texts.GIAOVIEC_NO_DUE)
    else:
        await world.say("an", due)
    await press(world, "an", last_to(world, "an"), texts.GIAOVIEC_SEND)
    await settle(world)


async def test_assign_search_confirm_and_list(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong", "dung"):
        await world.link(key)
    [pick] = await world.say("an", "/giaoviec")
    assert pick["text"].startswith(texts.GIAOVIEC_PICK.format(unit=CELL, count=0))
    # Đức has no account but can still be assigned; Hùng (another cell) is not offered.
    assert "Hoàng Văn Đức" in buttons(pick)
    assert "Đặng Văn Hùng" not in buttons(pick)
    # Search without diacritics, then a search that matches nobody.
    [found] = await world.say("an", "cuong")
    assert list(b for b in buttons(found) if "Văn" in b) == ["Lê Văn Cường"]
    [none] = await world.say("an", "xyz")
    assert none["text"].startswith(texts.GIAOVIEC_SEARCH_NONE.format(unit=CELL, query="xyz"))
    await press(world, "an", found, "Lê Văn Cường")
    sheet = await press(world, "an", last_to(world, "an"), texts.GIAOVIEC_CLEAR_FILTER)
    sheet = await press(world, "an", sheet, "Phạm Thị Dung")
    assert "☑️ Lê Văn Cường" in buttons(sheet)
    await press(world, "an", sheet, texts.GIAOVIEC_DONE_PICK.format(count=2))
    [ask_due] = await world.say("an", "Vận động hộ dân  đóng góp quỹ khuyến học")
    assert ask_due["text"] == texts.GIAOVIEC_ASK_DUE
    [bad] = await world.say("an", "30/2")
    assert bad["text"] == texts.GIAOVIEC_BAD_DUE.format(text="30/2")
    [confirm] = await world.say("an", "31/12")
    assert confirm["text"] == texts.GIAOVIEC_CONFIRM.format(
        body="Vận động hộ dân đóng góp quỹ khuyến học",
        count=2,
        names="Lê Văn Cường, Phạm Thị Dung",
        due="31/12/2026",
    )
    done = await press(world, "an", confirm, texts.GIAOVIEC_SEND)
    assert done["text"] == texts.GIAOVIEC_DONE.format(count=2, linked=2)
    await settle(world)
    told = texts.TASK_ASSIGNED.format(
        unit=CELL,
        body="Vận động hộ dân đóng góp quỹ khuyến học",
        due="31/12/2026",
        by="Nguyễn Văn An",
    )
    assert texts_to(world, "cuong")[-1] == told
    assert texts_to(world, "dung")[-1] == told
    [task] = await world.rows("SELECT * FROM tasks")
    assert (task["due_on"], task["status"]) == ("2026-12-31", "open")
    assignees = await world.rows("SELECT member_id FROM task_assignees ORDER BY member_id")
    assert [r["member_id"] for r in assignees] == sorted([ids["cuong"], ids["dung"]])

    # The member's list, then the secretary's list with close.
    [mine] = await world.say("cuong", "/nhiemvu")
    assert mine["text"] == texts.NHIEMVU_MINE.format(
        lines=texts.NHIEMVU_LINE.format(
            n=1,
            body="Vận động hộ dân đóng góp quỹ khuyến học",
            due="31/12/2026",
            status=texts.NHIEMVU_NO_REPORT,
        )
    )
    own, cell = await world.say("an", "/nhiemvu", count=2)
    assert own["text"] == texts.NHIEMVU_NONE
    label = next(b for b in buttons(cell) if b.startswith(f"#{task['id']} "))
    detail = await press(world, "an", cell, label)
    await press(world, "an", detail, texts.TASK_EDIT)
    [edited] = await world.say("an", "Vận động quỹ khuyến học")
    assert edited["text"] == texts.TASK_EDITED.format(id=task["id"])
    await settle(world)
    # Both assignees are told of the new wording, and then of the close, once each.
    reworded = texts.TASK_TOLD_EDITED.format(
        unit=CELL, body="Vận động quỹ khuyến học", old="Vận động hộ dân đóng góp quỹ khuyến học"
    )
    assert texts_to(world, "cuong")[-1] == texts_to(world, "dung")[-1] == reworded
    await press(world, "an", detail, texts.TASK_CLOSE)
    assert texts.TASK_CLOSED.format(id=task["id"]) in texts_to(world, "an")
    await settle(world)
    closed = texts.TASK_TOLD_CLOSED.format(unit=CELL, body="Vận động quỹ khuyến học")
    for key in ("cuong", "dung"):
        assert texts_to(world, key)[-2:] == [reworded, closed]
    # A second press on the old buttons changes nothing and tells nobody again.
    await world.press("an", detail, f"tk:x:{task['id']}", check=False)
    assert texts_to(world, "an")[-1] == texts.TASK_NOT_OPEN
    await settle(world)
    assert texts_to(world, "cuong")[-1] == closed
    [row] = await world.rows("SELECT body, status FROM tasks")
    assert (row["body"], row["status"]) == ("Vận động quỹ khuyến học", "closed")
    [mine] = await world.say("cuong", "/nhiemvu")
    assert mine["text"] == texts.NHIEMVU_NONE


async def test_whole_cell_and_no_due(world: World) -> None:
    await world.link("an")
    await world.link("binh")
    await assign(world, ["*"], "Học tập Nghị quyết", None)
    rows = await world.rows("SELECT COUNT(*) AS n FROM task_assignees")
    assert rows[0]["n"] == 5
    [task] = await world.rows("SELECT id, due_on FROM tasks")
    assert task["due_on"] is None
    assert texts_to(world, "binh")[-1].startswith("📌")
    # Cancelled: the linked assignees are told (Bình and An), nobody else.
    _own, cell = await world.say("an", "/nhiemvu", count=2)
    label = next(b for b in buttons(cell) if b.startswith(f"#{task['id']} "))
    detail = await press(world, "an", cell, label)
    await press(world, "an", detail, texts.TASK_CANCEL)
    await settle(world)
    told = texts.TASK_TOLD_CANCELLED.format(unit=CELL, body="Học tập Nghị quyết")
    assert texts_to(world, "binh")[-1] == told
    rows = await world.rows("SELECT member_id FROM outbox WHERE dedupe_key LIKE '%:cancelled:%'")
    assert sorted(r["member_id"] for r in rows) == sorted(
        world.seeded.member_ids[k] for k in ("an", "binh")
    )
    [row] = await world.rows("SELECT status FROM tasks")
    assert row["status"] == "cancelled"


async def test_bad_input(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong", "ha"):
        await world.link(key)
    # A member may not assign.
    [refused] = await world.say("cuong", "/giaoviec")
    assert refused["text"] == texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)
    # A forged button naming a member of another cell is refused and changes nothing.
    [pick] = await world.say("an", "/giaoviec")
    await world.press("an", pick, f"tv:p:{ids['hung']}", check=False)
    assert last_to(world, "an")["text"] == texts.GIAOVIEC_OTHER_CELL
    # The whole-cell button picks only An's own cell, and nothing is assigned without one.
    sheet = await press(world, "an", pick, texts.GIAOVIEC_DONE_PICK.format(count=0))
    assert sheet["text"] == texts.GIAOVIEC_NONE_SELECTED
    # Too long a task text is refused whole; the conversation stays.
    await press(world, "an", pick, "Lê Văn Cường")
    pick = next(m for m in world.fake.sent_to(1001) if m["message_id"] == pick["message_id"])
    await press(world, "an", pick, texts.GIAOVIEC_DONE_PICK.format(count=1))
    [long] = await world.say("an", "x" * (TASK_MAX + 1))
    assert long["text"] == texts.TOO_LONG.format(limit=TASK_MAX)
    assert await world.rows("SELECT * FROM tasks") == []
    # Hà (secretary of cell B) cannot close a task of cell A.
    await world.say("an", "/huy")
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", "31/12/2026")
    [task] = await world.rows("SELECT id FROM tasks")
    mine, _cell = await world.say("ha", "/nhiemvu", count=2)
    await world.press("ha", mine, f"tk:c:{task['id']}", check=False)
    assert last_to(world, "ha")["text"] == texts.NOT_YOUR_CELL  # the real reason
    [row] = await world.rows("SELECT status FROM tasks")
    assert row["status"] == "open"
