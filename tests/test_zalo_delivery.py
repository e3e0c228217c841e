"""The delivery worker on Zalo: retries after a server error or flood answer, then delivers."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from pathlib import Path

import pytest

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from scheduler.pacing import SendBudget
from tests.zalo_world import ZALO_IDS, ZaloWorld, make_zalo_config, zfake, zworld

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


async def test_zalo_has_its_own_pacing_per_chat_and_overall(clock: FakeClock) -> None:
    """The Zalo account's budget: its own overall rate and chat interval, on the clock."""
    budget = SendBudget(clock, 20.0, chat_interval=0.1)
    start = clock.monotonic()
    times: list[float] = []

    async def three_to_one_chat() -> None:
        for _ in range(3):
            pacer = await budget.acquire("chat-1")
            times.append(clock.monotonic())
            pacer.release(clock.monotonic())

    task = asyncio.create_task(three_to_one_chat())
    for _ in range(100):
        if task.done():
            break
        await clock.advance(0.01)
    await task
    # Three to one chat: two gaps of the chat interval.
    assert times[0] - start <= 0.01
    assert [round(b - a, 2) for a, b in itertools.pairwise(times)] == [0.1, 0.1]
    # Another chat does not wait for the first chat's interval (0.1 s), only for an overall slot.
    other = asyncio.create_task(budget.acquire("chat-2"))
    for _ in range(10):
        if other.done():
            break
        await clock.advance(0.01)
    (await other).release(clock.monotonic())
    assert clock.monotonic() - times[-1] < 0.1


async def test_the_zalo_account_has_one_budget_of_its_own_limits(
    zfake: FakeZalo, fake: FakeTelegram, clock: FakeClock, tmp_path: Path
) -> None:
    """Zalo gets the same sliding-window budget as Telegram, with `[zalo]`'s limits, shared
    by the delivery worker and the Zalo answer lane; Telegram's is another one."""
    config = make_zalo_config(
        tmp_path, zfake, fake, overall_per_second=10.0, private_chat_interval=1.0
    )
    chibo = await Chibo.build(config, clock=clock)
    try:
        assert chibo.zalo is not None
        budget = chibo.worker.budgets["zalo"]
        assert budget is chibo.zalo.sender.budget is chibo.zalo.sender.lane.budget
        assert (budget.window_cap, budget.chat_interval) == (10, 1.0)
        assert chibo.worker.budgets["telegram"] is not budget
        assert chibo.worker.budgets["telegram"].limit == config.delivery.overall_per_second
    finally:
        await chibo.stop()


async def test_a_zalo_answer_meeting_429_is_retried_in_order(zworld: ZaloWorld) -> None:
    """A direct answer is not lost to a 429: it waits retry_after, then goes, in order."""
    await zworld.link("an")
    uid = ZALO_IDS["an"]
    zworld.zfake.fail_next("sendMessage", 429, "too many requests", user_id=uid)
    before = len(zworld.zfake.sent_to(uid))
    zworld.zfake.send_text(uid, "/huongdan")
    await zworld.zfake.wait_for(lambda c: c.method == "sendMessage" and c.error_code == 429)
    assert zworld.zfake.sent_to(uid)[before:] == []
    # Zalo's 429 carries no retry_after: the answer waits one second on the injected clock.
    answer = None
    for _ in range(20):
        await zworld.clock.advance(0.25)
        with contextlib.suppress(AssertionError):
            answer = (await zworld.zfake.wait_sent(uid, before + 1, seconds=0.2))[before]
            break
    assert answer is not None, "the answer was lost"
    assert answer["text"] == (await zworld.say("an", "/huongdan"))[0]
    assert zworld.chibo.zalo is not None
    assert zworld.chibo.zalo.sender.lane.retried == 1
