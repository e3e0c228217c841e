"""`kill -9` of the running bot with thousands of member messages queued at the platform, then a
restart: none is lost, each is answered once (those being answered at the kill may be answered
twice), and nothing was confirmed to the platform before it was stored."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path

from bot.channels.per_chat import CONCURRENCY
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import Database
from tests.test_crash import _start, _write_config

UPDATES = 2000
FIRST_USER = 500_000


def _answered(fake: FakeTelegram) -> Counter[int]:
    """How many answers each member's chat got (one member per update, one answer each)."""
    return Counter(int(c.chat_id or 0) for c in fake.calls if c.method == "sendMessage" and c.ok)


async def test_kill_9_with_thousands_of_updates_queued_loses_none(tmp_path: Path) -> None:
    started: list[asyncio.subprocess.Process] = []
    fake = FakeTelegram()
    await fake.start()
    try:
        db_path = tmp_path / "chibo.sqlite3"
        config = tmp_path / "config.toml"
        _write_config(config, fake, db_path)
        users = [FIRST_USER + i for i in range(UPDATES)]
        # Members who never linked an account write to the bot: each gets one polite answer.
        ids = {fake.send_text(user, "xin chào")["update_id"]: user for user in users}

        first = await _start(config)
        started.append(first)
        await fake.wait_for(lambda c: len(_answered(fake)) >= UPDATES // 5, timeout=120)
        first.kill()  # SIGKILL: no cleanup at all
        await first.wait()

        # What the platform no longer holds (confirmed by a later getUpdates offset) is stored.
        held = {u["update_id"] for u in fake.pending_updates}
        db = await Database.open(db_path)
        stored = {
            int(r["update_key"]): r["handled_at"]
            for r in await db.fetchall("SELECT update_key, handled_at FROM inbox")
        }
        await db.close()
        assert set(ids) - held <= set(stored)
        unhandled_at_kill = {ids[key] for key, handled in stored.items() if handled is None}
        assert held, "the kill should land while updates are still queued at the platform"
        # The backlog taken from the platform is bounded.
        assert len(unhandled_at_kill) <= 256

        second = await _start(config)
        started.append(second)
        await fake.wait_for(lambda c: len(_answered(fake)) >= UPDATES, timeout=180)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 30) == 0

        answered = _answered(fake)
        assert set(answered) == set(users)
        twice = {chat for chat, n in answered.items() if n > 1}
        # Only the updates being answered at the kill can be answered again.
        assert twice <= unhandled_at_kill and len(twice) <= CONCURRENCY
        assert max(answered.values()) <= 2
        db = await Database.open(db_path)
        rows = await db.fetchall(
            "SELECT COUNT(*) AS n, COUNT(handled_at) AS handled, "
            "COUNT(DISTINCT update_key) AS distinct_keys FROM inbox"
        )
        await db.close()
        assert tuple(rows[0]) == (UPDATES, UPDATES, UPDATES)
        assert fake.pending_updates == []
    finally:
        for process in started:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await fake.stop()
