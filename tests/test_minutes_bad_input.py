"""Bad input to the paperwork: a 30 MB document, a file that is not PDF/DOCX, a document from a
plain member, forged buttons for another cell, malformed payloads, a bad vote, an agenda too
long or too late: each refused politely, with nothing changed."""

from __future__ import annotations

from typing import Any

from bot.core import texts
from tests.bulletin_flow import send_file
from tests.conftest import World
from tests.minutes_flow import snapshot
from tests.test_meetings import forge, last_to, press, tick_at

MB = 1024 * 1024


async def _state(world: World) -> list[Any]:
    """Everything the paperwork may change."""
    return await snapshot(
        world,
        "SELECT * FROM meeting_documents",
        "SELECT * FROM meeting_papers",
        "SELECT * FROM meeting_minutes",
        "SELECT id, agenda, version FROM meetings",
        "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE '%papers%'",
        "SELECT channel, user_id, kind FROM conversations",
    )


async def _december(world: World, cell: str = "A") -> int:
    rows = await world.rows(
        "SELECT id FROM meetings WHERE unit_id = ? AND period = '2026-12'",
        (world.seeded.unit_ids[cell],),
    )
    return int(rows[0]["id"])


def _files(world: World) -> list[str]:
    folder = world.chibo.config.db_path.parent / "bulletins"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def _document_step(world: World) -> None:
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    asked = await press(world, "an", panel, texts.PAPERS_ADD_DOCUMENT)
    assert asked["text"] == texts.PAPERS_ASK_DOCUMENT.format(limit=20)


async def test_documents_too_big_of_the_wrong_kind_or_from_a_plain_member(world: World) -> None:
    for key in ("an", "cuong", "ha"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    dec = await _december(world)
    # A file out of the blue from the secretary: where meeting documents go, nothing kept.
    [hint] = await send_file(world, "an", file_name="tai-lieu.pdf")
    assert hint["text"] == texts.PAPERS_FILE_HINT
    await _document_step(world)
    before = await _state(world)

    [big] = await send_file(
        world, "an", content=b"%PDF-1.4\n" + b"0" * (30 * MB), file_name="lon.pdf"
    )
    assert big["text"] == texts.PAPERS_TOO_BIG.format(
        name="lon.pdf", size="30,0", limit=20, cli_limit=50
    )
    [txt] = await send_file(
        world, "an", content=b"hello", file_name="ghi-chu.txt", mime_type="text/plain"
    )
    assert txt["text"] == texts.PAPERS_BAD_TYPE.format(name="ghi-chu.txt")
    [fake_pdf] = await send_file(
        world, "an", content=b"MZ\x90\x00 an exe", file_name="tai-lieu.pdf"
    )
    assert fake_pdf["text"] == texts.PAPERS_BAD_TYPE.format(name="tai-lieu.pdf")
    [text] = await world.say("an", "tài liệu đây")
    assert text["text"] == texts.PAPERS_NEED_FILE
    assert await _state(world) == before and _files(world) == []
    # A file where the agenda is asked for: not taken as an empty agenda, nor kept.
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    await press(world, "an", panel, texts.PAPERS_EDIT_AGENDA)
    [instead] = await send_file(world, "an", file_name="chuong-trinh.pdf")
    assert instead["text"] == texts.PAPERS_AGENDA_NOT_FILE
    assert await _state(world) == before and _files(world) == []

    # A plain member: a PDF out of the blue, and a forged "send a document" button.
    await world.say("cuong", "/lichhop", count=2)
    [own] = await send_file(world, "cuong", file_name="cua-toi.pdf")
    assert own["text"] == texts.BULLETIN_FILE_NO_ROLE.format(role=texts.PUBLISHER_ROLE)
    answer = await forge(world, "cuong", f"ag:d:{dec}")
    assert answer == texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)
    [again] = await send_file(world, "cuong", file_name="cua-toi.pdf")
    assert again["text"] == texts.BULLETIN_FILE_NO_ROLE.format(role=texts.PUBLISHER_ROLE)
    # The secretary of another cell forging this cell's buttons.
    await world.say("ha", "/lichhop", count=3)  # a secretary also gets who has no account
    for data in (f"ag:o:{dec}", f"ag:a:{dec}", f"ag:d:{dec}"):
        assert await forge(world, "ha", data) == texts.NOT_YOUR_CELL
    # Malformed or unknown payloads.
    for data in ("ag", "ag:d", "ag:d:x", "ag:zz:1", f"ag:d:{dec}:1", "ag:o:999999", "ag:o:²"):
        assert await forge(world, "an", data) == texts.STALE_BUTTON
    assert await _state(world) == before and _files(world) == []

    # The agenda: empty, too long, then too late (the meeting has started).
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    await press(world, "an", panel, texts.PAPERS_EDIT_AGENDA)
    before = await _state(world)
    [empty] = await world.say("an", "-\n  •  ")
    assert empty["text"] == texts.PAPERS_EMPTY_AGENDA
    [long] = await world.say("an", "\n".join(["Nội dung rất dài " * 10] * 20))
    assert long["text"] == texts.TOO_LONG.format(limit=2000)
    assert await _state(world) == before
    # Asked just before the meeting, answered just after it started.
    world.clock.set(world.clock.now().replace(day=5, hour=11, minute=55))
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    await press(world, "an", panel, texts.PAPERS_EDIT_AGENDA)
    world.clock.set(world.clock.now().replace(hour=12, minute=5))
    [late] = await world.say("an", "Kiểm điểm nhiệm vụ")
    assert late["text"] == texts.PAPERS_TOO_LATE
    assert await world.rows("SELECT * FROM meeting_papers") == []
    rows = await world.rows("SELECT agenda FROM meetings WHERE id = ?", (dec,))
    assert [tuple(r) for r in rows] == [("",)]


async def test_forged_minutes_buttons_and_bad_votes(world: World) -> None:
    for key in ("an", "cuong", "ha"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    dec, dec_b = await _december(world), await _december(world, "B")
    ids = world.seeded.member_ids
    # Before the meeting there is nothing to draft.
    [early] = await world.say("an", "/bienban")
    assert early["text"] == texts.BIENBAN_NONE
    assert await forge(world, "an", f"bb:f:{dec}") == texts.BIENBAN_NONE

    await tick_at(world, "2026-12-05T15:00:00")
    [menu] = await world.say("an", "/bienban")
    assert menu["text"].startswith("📝 Biên bản và nghị quyết")
    [plain] = await world.say("cuong", "/bienban")
    assert plain["text"] == texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)
    before = await _state(world)
    documents = [c for c in world.fake.calls if c.method == "sendDocument"]

    # Hà, secretary of cell B, forges cell A's buttons; Cường (a plain member) too.
    await world.say("ha", "/bienban")
    for key in ("ha", "cuong"):
        for data in (
            f"bb:f:{dec}",
            f"bb:r:{dec}",
            f"bb:m:{dec}",
            f"bb:c:{dec}:0",
            f"bb:C:{dec}:{ids['cuong']}",
            f"bb:T:{dec}:{ids[key]}",
            f"bb:k:{dec}",
            f"bb:v:{dec}",
            f"bb:g:{dec}",
            f"bb:G:{dec}:{ids['ha']}",
        ):
            answer = await forge(world, key, data)
            refused = (
                texts.NOT_YOUR_CELL
                if key == "ha"
                else texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)
            )
            assert answer == refused, data
    # The secretary of A: another cell's member as chair, a page past the end, malformed data.
    assert await forge(world, "an", f"bb:C:{dec}:{ids['hung']}") == texts.STALE_BUTTON
    assert await forge(world, "an", f"bb:c:{dec}:7") == texts.STALE_BUTTON
    # A guest must be a committee member assigned to the cell, not one of its members.
    assert await forge(world, "an", f"bb:G:{dec}:{ids['cuong']}") == texts.STALE_BUTTON
    assert await forge(world, "an", f"bb:G:{dec}") == texts.STALE_BUTTON
    assert await forge(world, "an", f"bb:f:{dec_b}") == texts.NOT_YOUR_CELL
    for data in ("bb", "bb:f", "bb:f:x", "bb:q:1", f"bb:f:{dec}:1:2", "bb:f:99999"):
        assert await forge(world, "an", data) == texts.STALE_BUTTON, data
    assert await _state(world) == before
    assert [c for c in world.fake.calls if c.method == "sendDocument"] == documents

    # A vote that is not three numbers, or more votes than members present: refused.
    await world.say("an", "/bienban")
    await press(world, "an", last_to(world, "an"), texts.BIENBAN_VOTE_BUTTON)
    during = await _state(world)
    for typed in ("tán thành hết", "3 0", "1 2 3 4 5", "99999 0 0"):
        [answer] = await world.say("an", typed)
        assert answer["text"] == texts.BIENBAN_BAD_VOTE.format(text=typed, example="12 0 1")
    [answer] = await world.say("an", "30 0 0")
    assert answer["text"] == texts.BIENBAN_VOTE_TOO_MANY.format(total=30, present=5)
    assert await _state(world) == during
    # The vote as a secretary says it, in words around the numbers.
    [menu] = await world.say("an", "tán thành 4, không tán thành 0, không biểu quyết 1.")
    assert texts.BIENBAN_VOTE.format(yes=4, no=0, abstain=1) in menu["text"]
