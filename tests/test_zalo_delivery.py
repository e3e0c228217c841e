"""The delivery worker on Zalo: retries after a server error or flood answer, then delivers."""

from __future__ import annotations

import asyncio

import pytest

from bot import texts
from bot.channels.zalo_channel import _Pacer
from tests.zalo_world import ZALO_IDS, ZaloWorld, zfake, zworld

__all__ = ["zfake", "zworld"]

BODY = "Sáng Chủ nhật 7h00 ra quân dọn vệ sinh kênh thủy lợi."


async def _settle(zworld: ZaloWorld) -> None:
    for _ in range(300):
        rows = await zworld.rows(
            "SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')"
        )
        if rows[0]["n"] == 0 and zworld.chibo.worker.in_flight == 0:
            return
        await zworld.clock.advance(0.5)
    raise AssertionError("the outbox did not drain")


@pytest.mark.parametrize("code", [500, 429])
async def test_a_failed_zalo_send_is_retried_then_delivered(zworld: ZaloWorld, code: int) -> None:
    for key in ("an", "cuong"):
        await zworld.link(key)
    zworld.zfake.fail_next("sendMessage", code, "try later", user_id=ZALO_IDS["cuong"])
    await zworld.say("an", "/thongbao")
    await zworld.say("an", BODY)
    await zworld.say("an", "1")
    await _settle(zworld)
    expected = texts.NOTICE_MESSAGE.format(
        unit="Chi bộ ấp Tân Thành", body=BODY, sender="Nguyễn Văn An"
    )
    assert zworld.zfake.texts_to(ZALO_IDS["cuong"])[-1] == expected
    rows = await zworld.rows(
        "SELECT status, attempts FROM outbox WHERE batch = 'notice:1' AND member_id = ?",
        (zworld.seeded.member_ids["cuong"],),
    )
    assert [(r["status"], r["attempts"]) for r in rows] == [("sent", 2)]
    assert await zworld.rows("SELECT * FROM accounts WHERE unreachable_at IS NOT NULL") == []


async def test_zalo_has_its_own_pacing_per_chat_and_overall() -> None:
    pacer = _Pacer(per_second=20.0, chat_interval=0.1)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(3):
        await pacer.wait("chat-1")
    assert loop.time() - start >= 0.2  # three to one chat: two gaps of 0.1 s
    start = loop.time()
    await pacer.wait("chat-2")  # another chat waits only for the overall gap (0.05 s)
    assert loop.time() - start < 0.1
