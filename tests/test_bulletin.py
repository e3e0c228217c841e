"""The monthly bulletin end to end: publish in chat, one upload, reads, progress, /bantin."""

from __future__ import annotations

from bot.core import texts
from tests.bulletin_flow import (
    PDF,
    button,
    buttons,
    make_publisher,
    press_and_get,
    publish_in_chat,
)
from tests.conftest import World
from tests.seed import TG_IDS

TITLE = texts.BULLETIN_DEFAULT_TITLE
ISSUE = "Số 12/2026"
CELL_A = ["an", "binh", "cuong", "dung", "duc"]


def _documents(world: World) -> list:
    return [c for c in world.fake.calls if c.method == "sendDocument" and c.ok]


async def test_publish_in_chat_delivers_once_uploaded_and_records_reads(world: World) -> None:
    await make_publisher(world)
    for key in ("an", "binh", "cuong", "dung", "ha", "hung"):
        await world.link(key)
    confirm = await publish_in_chat(world)
    # Six of the seven members are linked; Đức is not and will get it when he links.
    assert confirm["text"] == texts.BULLETIN_CONFIRM.format(
        title=TITLE,
        issue=ISSUE,
        scope=texts.BULLETIN_SCOPE_NAMES["hamlet"]
        + texts.BULLETIN_SCOPE_UNDER.format(unit="Đảng bộ tỉnh Thử Nghiệm"),
        linked=6,
        cells=2,
        when=texts.BULLETIN_WHEN_NOW,
        unlinked_note=texts.BULLETIN_UNLINKED_NOTE.format(unlinked=1),
    )
    # Nothing is queued before the confirmation.
    assert await world.rows("SELECT * FROM bulletins") == []
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    queued = texts.BULLETIN_QUEUED.format(issue=ISSUE, count=6, when=texts.BULLETIN_WHEN_NOW)
    await world.fake.wait_for(lambda c: c.params.get("text") == queued)
    await world.chibo.worker.wait_idle()

    docs = _documents(world)
    assert sorted(int(c.chat_id) for c in docs) == sorted(
        TG_IDS[k] for k in ("an", "binh", "cuong", "dung", "ha", "hung")
    )
    # Uploaded exactly once; every other copy by file_id.
    assert world.fake.uploads == 1
    file_ids = {c.params["document"] for c in docs if isinstance(c.params["document"], str)}
    assert len(file_ids) == 1 and len(docs) == 6
    assert world.fake.file_content(next(iter(file_ids))) == PDF
    stored = await world.rows("SELECT file_id FROM platform_files")
    assert [r["file_id"] for r in stored] == list(file_ids)
    # The copy carries a caption and a "Đã đọc" button for that member only.
    copy = world.fake.last_message(TG_IDS["cuong"])
    assert copy["caption"] == texts.BULLETIN_CAPTION.format(title=TITLE, issue=ISSUE)
    cuong = world.seeded.member_ids["cuong"]
    assert buttons(copy) == [(texts.BULLETIN_READ_BUTTON, f"bd:1:{cuong}")]
    rows = await world.rows("SELECT dedupe_key FROM outbox WHERE batch = 'bulletin:1'")
    assert {r["dedupe_key"] for r in rows} == {
        f"bulletin:1:member:{world.seeded.member_ids[k]}"
        for k in ("an", "binh", "cuong", "dung", "ha", "hung")
    }

    # Reads: once; a second press is harmless.
    [thanks] = await press_and_get(world, "cuong", copy, f"bd:1:{cuong}")
    assert thanks["text"] == texts.BULLETIN_READ_THANKS.format(issue=ISSUE)
    [again] = await press_and_get(world, "cuong", copy, f"bd:1:{cuong}")
    assert again["text"] == texts.BULLETIN_READ_ALREADY.format(issue=ISSUE)
    read = await world.rows("SELECT member_id FROM bulletin_recipients WHERE read_at IS NOT NULL")
    assert [r["member_id"] for r in read] == [cuong]

    # Forged payloads: another member's button, a bulletin that does not exist.
    dung = world.seeded.member_ids["dung"]
    before = len(world.fake.sent_to(TG_IDS["cuong"]))
    await world.press("cuong", copy, f"bd:1:{dung}", check=False)
    await world.press("cuong", copy, f"bd:99:{cuong}", check=False)
    forged = world.fake.sent_to(TG_IDS["cuong"])[before:]
    assert [m["text"] for m in forged] == [texts.BULLETIN_READ_REFUSED] * 2
    read = await world.rows("SELECT member_id FROM bulletin_recipients WHERE read_at IS NOT NULL")
    assert [r["member_id"] for r in read] == [cuong]

    # The publisher's progress message becomes the final state, then a summary arrives.
    await world.chibo.tick()
    await world.chibo.worker.wait_idle()
    done = texts.BULLETIN_PROGRESS_DONE.format(title=TITLE, issue=ISSUE, sent=6, failed=0)
    binh_chat = world.fake.sent_to(TG_IDS["binh"])
    assert any(m.get("text") == done and m.get("edit_date") for m in binh_chat)
    summary = binh_chat[-1]["text"]
    assert summary == texts.BULLETIN_SUMMARY.format(
        title=TITLE,
        issue=ISSUE,
        sent=6,
        failed=0,
        unlinked=1,
        read=1,
        duration=texts.BULLETIN_DURATION_SHORT,
    )
    finished = await world.rows("SELECT finished_at FROM bulletins")
    assert finished[0]["finished_at"] is not None

    # The secretary's /chibo: the cell's reads and who has not read, with a remind button.
    uid = TG_IDS["an"]
    before = len(world.fake.sent_to(uid))
    world.fake.send_text(uid, "/chibo")
    await world.fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.chat_id == uid
            and str(c.params.get("text", "")).startswith(
                texts.BULLETIN_CELL_READS.format(title=TITLE, issue=ISSUE, read=1, total=5)
            )
        )
    )
    reads = texts.BULLETIN_CELL_READS.format(title=TITLE, issue=ISSUE, read=1, total=5)
    # The section itself, not whatever came after it (the answer has more parts).
    section = next(m for m in world.fake.sent_to(uid) if m.get("text", "").startswith(reads))
    assert (
        texts.BULLETIN_CELL_UNREAD.format(
            names="Nguyễn Văn An, Trần Thị Bình, Phạm Thị Dung, Hoàng Văn Đức"
        )
        in section["text"]
    )
    # Remind: the three linked unread members (not Đức) get the issue again, once a day.
    # (Found by its text: the rest of the /chibo answer may still be arriving.)
    await world.press("an", section, button(section, texts.BULLETIN_REMIND_BUTTON))
    reminded = texts.BULLETIN_REMINDED.format(count=3, issue=ISSUE)
    assert any(m.get("text") == reminded for m in world.fake.sent_to(uid))
    await world.chibo.worker.wait_idle()
    await world.press("an", section, button(section, texts.BULLETIN_REMIND_BUTTON))
    assert world.fake.last_message(uid)["text"] == texts.BULLETIN_REMIND_NONE
    await world.chibo.worker.wait_idle()
    assert world.fake.uploads == 1
    assert len(_documents(world)) == 9
    assert before < len(world.fake.sent_to(uid))

    # Committee view (here the province's propaganda member): read rates per unit under them.
    [rates] = await world.say("binh", "/docbantin")
    assert rates["text"].splitlines() == [
        texts.BULLETIN_RATES_HEADER.format(
            title=TITLE, issue=ISSUE, unit="Đảng bộ tỉnh Thử Nghiệm", read=1, total=7, rate="14,3%"
        ),
        texts.BULLETIN_RATES_LINE.format(unit="Đảng bộ xã Hòa Bình", read=1, total=7, rate="14,3%"),
    ]


async def test_bantin_gives_the_latest_issue_and_the_list(world: World) -> None:
    await make_publisher(world)
    await world.link("binh")
    await world.link("hung")
    confirm = await publish_in_chat(world)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    await world.chibo.worker.wait_idle()
    [doc, listing] = await world.say("hung", "/bantin", count=2)
    assert doc["caption"] == texts.BULLETIN_CAPTION.format(title=TITLE, issue=ISSUE)
    assert listing["text"].startswith(
        texts.BANTIN_LATEST.format(title=TITLE, issue=ISSUE, date="Thứ Ba, 01/12/2026")
    )
    assert buttons(listing) == [(texts.BANTIN_ITEM.format(issue=ISSUE, title=TITLE), "bg:1")]
    [again] = await press_and_get(world, "hung", listing, "bg:1")
    assert again["document"]["file_id"] == doc["document"]["file_id"]
    # Still one upload: the direct answers use the stored file id too.
    assert world.fake.uploads == 1
    # A forged fetch of a bulletin that is not theirs.
    await world.press("hung", listing, "bg:77", check=False)
    assert world.fake.sent_to(TG_IDS["hung"])[-1]["text"] == texts.BANTIN_NOT_YOURS
