"""Direct answers share the bot's one sending budget with the outbox, and none is lost.

The strict tests run the fake Bot API with Telegram's limits as a strict sliding window (here
200 sends in any second, to keep the run short, and 1 a second per private chat) in real time:
pacing against a platform's clock is what they are about, so the bot's pacing runs on real
monotonic time too (the sandbox's VirtualClock), and nothing asserts on timings.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import Chibo
from bot.core import texts
from bot.core.textnorm import fold
from bot.sandbox.clock import VirtualClock
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import to_db
from storage.files import store_file
from tests.bulletin_flow import PDF
from tests.conftest import World, make_config
from tests.scenarios import publish_to_hamlets
from tests.seed import TG_IDS, seed

RATE = 200.0
EXTRA = 2000
FIRST_EXTRA_CHAT = 700_000


async def _add_members(world: World, count: int) -> None:
    """`count` linked members in hamlet cells of 40 under the commune (test setup only)."""
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    commune = world.seeded.unit_ids["X"]
    async with world.db.write() as conn:
        cells = []
        for c in range(count // 40):
            cursor = await conn.execute(
                "INSERT INTO units (code, name, kind, parent_id, created_at, updated_at) "
                "VALUES (?, ?, 'cell_hamlet', ?, ?, ?)",
                (f"P{c}", f"Chi bộ ấp {c}", commune, now, now),
            )
            cells.append(int(cursor.lastrowid or 0))
        for i in range(count):
            cursor = await conn.execute(
                "INSERT INTO members (unit_id, full_name, name_key, status, created_at, "
                "updated_at) VALUES (?, ?, ?, 'official', ?, ?)",
                (cells[i % len(cells)], f"Đảng viên {i}", fold(f"Dang vien {i}"), now, now),
            )
            chat = str(FIRST_EXTRA_CHAT + i)
            await conn.execute(
                "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
                "VALUES ('telegram', ?, ?, ?, ?)",
                (chat, chat, int(cursor.lastrowid or 0), now),
            )


async def _publish(world: World, tmp_path: Path) -> int:
    stored = store_file(PDF, tmp_path / "bulletins", "ttt.pdf")
    count = await publish_to_hamlets(world.db, stored, "12/2026", world.clock.now())
    world.chibo.worker.wake()
    return count


@pytest.fixture
async def strict(tmp_path: Path) -> AsyncIterator[World]:
    fake = FakeTelegram(overall_per_second=RATE, private_chat_interval=1.0)
    await fake.start()
    config = make_config(
        tmp_path, fake, delivery={"overall_per_second": RATE, "private_chat_interval": 1.0}
    )
    clock = VirtualClock()
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    world = World(chibo, fake, clock, seeded)  # type: ignore[arg-type]
    try:
        yield world
    finally:
        await chibo.stop()
        await fake.stop()
    assert fake.violations == [], fake.violations


async def _bulletin_done(world: World, count: int) -> None:
    async with asyncio.timeout(180):
        while True:
            rows = await world.rows(
                "SELECT COUNT(*) AS n FROM outbox WHERE batch = 'bulletin:1' AND status = 'sent'"
            )
            if rows[0]["n"] >= count:
                return
            await asyncio.sleep(0.2)  # real time: the platform's clock is the subject here


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in messages]


async def _ask(world: World, uid: int, command: str) -> None:
    """Send a command and wait for its whole answer (further parts come a second apart)."""
    before = len(world.fake.sent_to(uid))
    world.fake.send_text(uid, command)
    await world.fake.wait_sent(uid, before + 1, timeout=60)
    seen = before + 1
    while True:
        try:
            await world.fake.wait_sent(uid, seen + 1, timeout=2.5)
        except AssertionError:
            return
        seen += 1


async def test_answers_during_a_broadcast_arrive_whole_and_in_order(
    strict: World, tmp_path: Path
) -> None:
    world = strict
    uid = TG_IDS["an"]  # the secretary
    await world.link("an")
    start = len(world.fake.sent_to(uid))
    await _add_members(world, EXTRA)
    count = await _publish(world, tmp_path)
    assert count == EXTRA + 1

    # The secretary asks for three multi-part answers while the broadcast goes on...
    for command in ("/chibo", "/lichhop", "/bantin"):
        world.fake.send_text(uid, command)
    # ...and 40 members press «Đã đọc» as soon as their copy arrives.
    pressers = [FIRST_EXTRA_CHAT + i for i in range(0, 1200, 30)]
    queries: list[tuple[int, str]] = []
    for chat in pressers:
        [copy] = await world.fake.wait_sent(chat, 1, timeout=60)
        data = copy["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        update = world.fake.press(chat, copy, data)
        queries.append((chat, update["callback_query"]["id"]))
    pending = await world.rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")
    assert pending[0]["n"] > 0, "the presses should come during the broadcast"

    await _bulletin_done(world, count)
    for chat, query_id in queries:
        await world.fake.wait_for(
            lambda c, q=query_id: (
                c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == q
            ),
            timeout=60,
        )
        thanks = await world.fake.wait_sent(chat, 2, timeout=60)
        assert _texts(thanks[1:]) == [texts.BULLETIN_READ_THANKS.format(issue="Số 12/2026")]
    reads = await world.rows(
        "SELECT COUNT(*) AS n FROM bulletin_recipients WHERE read_at IS NOT NULL"
    )
    assert reads[0]["n"] == len(pressers)

    # The same commands again with nothing else going on: what came during the broadcast was
    # the same messages, whole and in the same order (the bulletin copy may come between two
    # answers, never inside one; /bantin also sends the issue itself: documents are left out).
    await _ask(world, uid, "/huongdan")  # everything before is out once this is answered
    middle = len(world.fake.sent_to(uid))
    for command in ("/chibo", "/lichhop", "/bantin"):
        await _ask(world, uid, command)
    sent = world.fake.sent_to(uid)
    during = [
        t
        for m, t in zip(sent[start:middle], _texts(sent[start:middle]), strict=True)
        if "document" not in m
    ]
    after = [
        t for m, t in zip(sent[middle:], _texts(sent[middle:]), strict=True) if "document" not in m
    ]
    assert len(after) > 3, "some of the answers have several parts"
    assert during[: len(after)] == after
    # Nothing of the broadcast was lost or given up (planner rows for the real date may wait).
    left = await world.rows(
        "SELECT COUNT(*) AS n FROM outbox WHERE batch = 'bulletin:1' AND status != 'sent'"
    )
    assert left[0]["n"] == 0


async def test_a_direct_answer_meeting_429_is_retried_after_retry_after(world: World) -> None:
    """The forced 429 on an answer: it waits retry_after on the injected clock, then goes."""
    await world.link("cuong")
    uid = TG_IDS["cuong"]
    expected = await world.say("cuong", "/huongdan")
    world.fake.fail_next("sendMessage", status=429, retry_after=3, chat_id=uid)
    before = len(world.fake.sent_to(uid))
    world.fake.send_text(uid, "/huongdan")
    await world.fake.wait_for(lambda c: c.status == 429)
    got: list[dict[str, Any]] = []
    started = world.clock.monotonic()
    for _ in range(40):
        await world.clock.advance(0.25)
        with contextlib.suppress(AssertionError):
            got = (await world.fake.wait_sent(uid, before + len(expected), timeout=0.2))[before:]
            break
    waited = world.clock.monotonic() - started
    assert _texts(got) == _texts(expected)
    # Not before retry_after (on the injected clock), and counted as a retry of an answer.
    assert waited >= 3.0
    assert world.chibo.worker.budgets["telegram"].throttles == 1
