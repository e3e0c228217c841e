"""Several Telegram delivery processes (`[delivery] processes`): each sends its own shard of the
chats, once; a dead child is restarted and its rows recovered; stopping the bot stops them."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.app import Chibo
from bot.channels.telegram import build_telegram_application
from bot.clock import SystemClock
from bot.core import Incoming, Reply
from bot.sandbox.telegram_api import FakeTelegram
from scheduler.worker import DeliveryWorker
from storage.db import Database
from storage.outbox import NewMessage, OutboxRepo, Shard
from tests.conftest import make_config


async def _nothing(_incoming: Incoming) -> list[Reply]:
    return []


def _sent_chats(fake: FakeTelegram) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in fake.calls if c.method == "sendMessage")


async def _enqueue(db: Database, chats: range, tag: str) -> None:
    await OutboxRepo(db).enqueue(
        [NewMessage(f"{tag}:{c}", "telegram", str(c), Reply(f"Tin {c}")) for c in chats],
        datetime.now(UTC),
    )


async def _until_sent(db: Database, count: int) -> None:
    """Wait for a real child process to record its outcomes (it shares only the database)."""
    async with asyncio.timeout(20):
        while True:
            row = await db.fetchone("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            if row is not None and row[0] >= count:
                return
            await asyncio.sleep(0.02)


async def test_each_shard_sends_its_own_chats_once(fake: FakeTelegram, tmp_path: Path) -> None:
    config = make_config(tmp_path, fake)
    db = await Database.open(config.db_path)
    chats = range(10_000, 10_060)
    await _enqueue(db, chats, "shard-test")
    # A Zalo row belongs to shard 0 only, whatever its chat id.
    await OutboxRepo(db).enqueue(
        [NewMessage("zalo-row", "zalo", "a1b2c3", Reply("Tin Zalo"))], datetime.now(UTC)
    )
    outbox = OutboxRepo(db)
    both = ["telegram", "zalo"]
    shard_one = await outbox.due_spread(
        datetime.now(UTC), 500, channels=both, per_chat=2, shard=Shard(1, 2)
    )
    assert {m.channel for m in shard_one} == {"telegram"}
    assert {int(m.chat_id) % 2 for m in shard_one} == {1}
    try:
        for number in (0, 1):
            application = build_telegram_application(config, _nothing)
            async with application:
                worker = DeliveryWorker(
                    db,
                    {"telegram": application.bot_data["sender"]},
                    SystemClock(),
                    config.delivery,
                    shard=Shard(number, 2),
                )
                task = asyncio.create_task(worker.run())
                await worker.wait_idle()
                await worker.stop()
                await task
            # After each process: exactly its chats (ids ending in an even / odd digit), once.
            sent = _sent_chats(fake)
            expected = {c for c in chats if c % 2 <= number}
            assert set(sent) == expected
            assert set(sent.values()) == {1}
            assert worker.sent == 30
        rows = await db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY channel, status")
        assert [tuple(r) for r in rows] == [("sent", 60), ("pending", 1)]
    finally:
        await db.close()


async def test_recovery_after_a_crash_touches_only_its_own_shard(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "chibo.sqlite3")
    try:
        await _enqueue(db, range(20, 30), "recover")
        async with db.write() as conn:
            await conn.execute("UPDATE outbox SET status = 'sending'")
        outbox = OutboxRepo(db)
        # Shard 1 of 2 restarts: the rows shard 0 is sending right now stay as they are.
        assert await outbox.recover(Shard(1, 2)) == 5
        rows = await db.fetchall("SELECT chat_id, status FROM outbox")
        assert {int(r[0]) % 2 for r in rows if r[1] == "pending"} == {1}
        assert {int(r[0]) % 2 for r in rows if r[1] == "sending"} == {0}
        assert await outbox.recover(Shard(0, 2)) == 5
    finally:
        await db.close()


async def test_the_bot_runs_a_child_restarts_it_and_stops_it(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    config = make_config(tmp_path, fake, delivery={"processes": 2})
    chibo = await Chibo.build(config)
    assert chibo.delivery is not None
    await chibo.start()
    try:
        await _enqueue(chibo.db, range(30_000, 30_040), "first")
        chibo.ctx.wake_outbox()  # the child finds its rows by polling (at least every second)
        await fake.wait_for(lambda _c: sum(_sent_chats(fake).values()) >= 40, timeout=20)
        # (Killed before recording its last outcomes, the child's successor would send those
        # again, as after any crash: test_crash.py. Here the kill comes once all is recorded.)
        await _until_sent(chibo.db, 40)
        child = chibo.delivery.children[1]
        # kill -9 of the child: the bot starts another, which delivers what comes next.
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        await _enqueue(chibo.db, range(40_000, 40_040), "second")
        chibo.ctx.wake_outbox()
        await fake.wait_for(lambda _c: sum(_sent_chats(fake).values()) >= 80, timeout=30)
        assert chibo.delivery.restarts == 1
        assert chibo.delivery.children[1].pid != child.pid
        # The bot's end of the child's stdin closing (as when the bot dies, even by kill -9)
        # stops the child cleanly: no orphan keeps sending beside the bot's next start.
        orphan = chibo.delivery.children[1]
        assert orphan.stdin is not None
        orphan.stdin.close()
        assert await asyncio.wait_for(orphan.wait(), 20) == 0
    finally:
        await chibo.stop()
    sent = _sent_chats(fake)
    assert set(sent) == {*range(30_000, 30_040), *range(40_000, 40_040)}
    assert set(sent.values()) == {1}
    # Stopping the bot stopped the child (the one started after the orphan) cleanly.
    assert chibo.delivery.children[1].returncode == 0
    db = await Database.open(config.db_path)
    try:
        rows = await db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        assert [tuple(r) for r in rows] == [("sent", 80)]
    finally:
        await db.close()
