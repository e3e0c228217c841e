"""`kill -9` of the running bot mid-delivery, then a restart: everyone gets the message, once
(except the few that were in flight at the kill), and SIGTERM stops cleanly losing nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.core.types import Reply
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import Database
from storage.outbox import NewMessage, OutboxRepo

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = 300


def _delivered(fake: FakeTelegram) -> list[str]:
    """Chat ids of the messages the fake accepted (a request cut off by the kill is not one)."""
    return [str(c.chat_id) for c in fake.calls if c.method == "sendMessage" and c.ok]


def _write_config(path: Path, fake: FakeTelegram, db: Path) -> None:
    path.write_text(
        f"""
[database]
path = "{db}"
[telegram]
token = "{fake.token}"
base_url = "{fake.base_url}"
base_file_url = "{fake.base_file_url}"
[delivery]
overall_per_second = 100.0
concurrency = 8
""",
        encoding="utf-8",
    )


async def _start(config: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    log = (config.parent / "chibo.log").open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            cwd=ROOT,
            env=env,
            stderr=log,
        )
    finally:
        log.close()


async def test_kill_9_mid_delivery_then_restart(tmp_path: Path) -> None:
    started: list[asyncio.subprocess.Process] = []
    fake = FakeTelegram()
    # Slow answers keep several sends in flight when the kill lands.
    fake.delay = 0.05
    await fake.start()
    try:
        db_path = tmp_path / "chibo.sqlite3"
        db = await Database.open(db_path)
        now = datetime.now(UTC)
        await OutboxRepo(db).enqueue(
            [
                NewMessage(f"crash-test:{i}", "telegram", str(10_000 + i), Reply(f"Tin số {i}"))
                for i in range(RECIPIENTS)
            ],
            now,
        )
        await db.close()
        config = tmp_path / "config.toml"
        _write_config(config, fake, db_path)

        first = await _start(config)
        started.append(first)
        await fake.wait_for(
            lambda c: (
                c.method == "sendMessage"
                and sum(1 for x in fake.calls if x.method == "sendMessage") >= RECIPIENTS // 3
            ),
            timeout=60,
        )
        first.kill()  # SIGKILL: no cleanup at all
        await first.wait()
        db = await Database.open(db_path)
        in_flight = {
            r["chat_id"]
            for r in await db.fetchall("SELECT chat_id FROM outbox WHERE status = 'sending'")
        }
        await db.close()
        sent_before_restart = len(_delivered(fake))
        assert sent_before_restart < RECIPIENTS

        second = await _start(config)
        started.append(second)
        await fake.wait_for(
            lambda c: len(set(_delivered(fake))) >= RECIPIENTS,
            timeout=60,
        )
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 30) == 0

        per_chat = Counter(_delivered(fake))
        assert set(per_chat) == {str(10_000 + i) for i in range(RECIPIENTS)}
        twice = {chat for chat, n in per_chat.items() if n > 1}
        assert twice <= in_flight
        assert max(per_chat.values()) <= 2
        db = await Database.open(db_path)
        statuses = await db.fetchall("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        await db.close()
        assert {r["status"]: r["n"] for r in statuses} == {"sent": RECIPIENTS}
        assert fake.violations == []
    finally:
        # A failed assertion must not leave a bot running in the background.
        for process in started:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await fake.stop()
