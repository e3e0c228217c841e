"""/thongbao end to end: compose, confirm, deliver through the outbox, report to the secretary."""

from __future__ import annotations

import unicodedata

from bot.app import Chibo
from bot.core import texts
from tests.conftest import World, make_config
from tests.seed import TG_IDS

BODY = "Tối thứ Bảy 19h00 họp chi bộ tại nhà văn hóa ấp. Đề nghị các đồng chí dự đầy đủ."


async def _compose(world: World) -> dict:
    [ask] = await world.say("an", "/thongbao")
    assert ask["text"] == texts.NOTICE_ASK_TEXT.format(unit="Chi bộ ấp Tân Thành", limit=3000)
    [confirm] = await world.say("an", unicodedata.normalize("NFD", BODY))
    return confirm


async def test_notice_reaches_every_linked_member_and_the_secretary_gets_a_report(
    world: World,
) -> None:
    for key in ("an", "cuong", "dung"):
        await world.link(key)
    world.fake.block(TG_IDS["dung"])
    confirm = await _compose(world)
    assert confirm["text"] == texts.NOTICE_CONFIRM.format(
        linked=3,
        unit="Chi bộ ấp Tân Thành",
        unlinked_note=texts.NOTICE_UNLINKED_NOTE.format(unlinked=2),
        body=BODY,
    )
    send = confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await world.press("an", confirm, send)

    expected = texts.NOTICE_MESSAGE.format(
        unit="Chi bộ ấp Tân Thành", body=BODY, sender="Nguyễn Văn An"
    )
    [received] = (await world.fake.wait_sent(TG_IDS["cuong"], 2))[1:]
    assert received["text"] == expected
    # The blocked member is flagged and the secretary told.
    warning = texts.MEMBER_UNREACHABLE.format(name="Phạm Thị Dung")
    await world.fake.wait_for(
        lambda c: c.method == "sendMessage" and c.params.get("text") == warning
    )
    accounts = await world.rows("SELECT member_id FROM accounts WHERE unreachable_at IS NOT NULL")
    assert [r["member_id"] for r in accounts] == [world.seeded.member_ids["dung"]]
    # The confirmation turned into the "queued" message.
    edited = world.fake.sent_to(TG_IDS["an"])
    assert any(m["text"] == texts.NOTICE_QUEUED.format(count=3) for m in edited)

    await world.chibo.worker.wait_idle()
    assert await world.chibo.tick() is None
    report_text = "\n".join(
        [
            texts.NOTICE_REPORT.format(date="Thứ Ba, 01/12/2026 lúc 08:00", sent=2, total=3),
            texts.NOTICE_REPORT_FAILED.format(names="Phạm Thị Dung"),
            texts.NOTICE_REPORT_UNLINKED.format(count=2),
        ]
    )
    await world.fake.wait_for(lambda c: c.params.get("text") == report_text)
    # A second tick reports nothing new.
    await world.chibo.tick()
    await world.chibo.worker.wait_idle()
    reports = [c for c in world.fake.calls if c.params.get("text") == report_text]
    assert len(reports) == 1
    rows = await world.rows(
        "SELECT status, COUNT(*) AS n FROM outbox WHERE batch = 'notice:1' GROUP BY status"
    )
    assert {r["status"]: r["n"] for r in rows} == {"sent": 2, "failed": 1}
    stored = await world.rows("SELECT body FROM notices")
    assert stored[0]["body"] == BODY  # stored in NFC


async def test_a_restart_in_the_middle_of_the_conversation_loses_nothing(
    world: World, tmp_path
) -> None:
    await world.link("an")
    await world.link("cuong")
    confirm = await _compose(world)
    send = confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await world.chibo.stop()
    world.chibo = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await world.chibo.start()
    await world.press("an", confirm, send)
    [received] = (await world.fake.wait_sent(TG_IDS["cuong"], 2))[1:]
    assert received["text"].endswith("— Nguyễn Văn An")
    # A double tap on "Gửi" (the second callback already in flight) does not send twice.
    await world.press("an", confirm, send, check=False)
    assert len(await world.rows("SELECT * FROM notices")) == 1
    assert len(await world.rows("SELECT * FROM outbox WHERE batch = 'notice:1'")) == 2


async def test_cancel_sends_nothing(world: World) -> None:
    await world.link("an")
    await world.link("cuong")
    confirm = await _compose(world)
    cancel = confirm["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    await world.press("an", confirm, cancel)
    assert await world.rows("SELECT * FROM notices") == []
    assert await world.rows("SELECT * FROM outbox") == []
    [again] = await world.say("an", "/huy")
    assert again["text"] == texts.NOTHING_TO_CANCEL


async def test_empty_and_too_long_notice_bodies(world: World) -> None:
    await world.link("an")
    await world.link("cuong")
    await world.say("an", "/thongbao")
    [too_long] = await world.say("an", "x" * 3500)
    assert too_long["text"] == texts.TOO_LONG.format(limit=3000)
    # Longer than any chat message: still the notice's own limit, not 4,096.
    [huge] = await world.say("an", "x" * 10_000)
    assert huge["text"] == texts.TOO_LONG.format(limit=3000)
    [nobody_yet] = await world.say("an", "   ")
    assert nobody_yet["text"] in (texts.NOTICE_EMPTY, texts.NOT_UNDERSTOOD)
    assert await world.rows("SELECT * FROM notices") == []


async def test_secretary_gets_invite_links_for_unlinked_members(world: World) -> None:
    await world.link("an")
    [reply] = await world.say("an", "/moi")
    username = world.fake.bot_username
    lines = reply["text"].splitlines()
    links = [line for line in lines if f"https://t.me/{username}?start=" in line]
    assert len(links) == 4  # Bình, Cường, Dung, Đức; not An (linked) and not cell B
    assert "Võ Thị Hà" not in reply["text"]
    code = links[0].rsplit("start=", 1)[1]
    [again] = await world.say("an", "/moi")
    assert code in again["text"]  # the same codes, so printed sheets stay valid
