"""`kill -9` of the bot in the middle of a bulletin, then a restart: every member ends up with
exactly one copy (except at most those in flight at the kill), and the file is not re-uploaded."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import bulletin
from bot.core.clock import SystemClock
from bot.core.config import load_config
from bot.core.textnorm import fold
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import Database, to_db
from tests.bulletin_flow import PDF
from tests.test_crash import _start, _write_config

MEMBERS = 240
FIRST_CHAT = 20_000


def _delivered(fake: FakeTelegram) -> list[str]:
    return [str(c.chat_id) for c in fake.calls if c.method == "sendDocument" and c.ok]


async def _seed(db: Database) -> None:
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
            "VALUES (1, 'X', 'Đảng bộ xã Thử', 'committee', NULL, ?, ?)",
            (now, now),
        )
        for cell in range(3):
            await conn.execute(
                "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
                "VALUES (?, ?, ?, 'cell_hamlet', 1, ?, ?)",
                (10 + cell, f"A{cell}", f"Chi bộ ấp {cell}", now, now),
            )
        for i in range(MEMBERS):
            name = f"Đảng Viên Số {i}"
            await conn.execute(
                "INSERT INTO members (id, unit_id, full_name, name_key, status, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'official', ?, ?)",
                (i + 1, 10 + i % 3, name, fold(name), now, now),
            )
            chat = str(FIRST_CHAT + i)
            await conn.execute(
                "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
                "VALUES ('telegram', ?, ?, ?, ?)",
                (chat, chat, i + 1, now),
            )


async def test_kill_9_mid_bulletin_then_restart(tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.delay = 0.03
    await fake.start()
    try:
        db_path = tmp_path / "chibo.sqlite3"
        db = await Database.open(db_path)
        await _seed(db)
        await db.close()
        config_path = tmp_path / "config.toml"
        _write_config(config_path, fake, db_path)
        pdf = tmp_path / "ttt.pdf"
        pdf.write_bytes(PDF)
        status = await bulletin.publish(
            load_config(config_path),
            pdf,
            title="Thông tin tư tưởng",
            issue="12/2026",
            scope_code=None,
            all_cells=False,
            at=None,
            # The bot under test is a real `chibo run` on the real clock: publish on it too.
            clock=SystemClock(),
        )
        assert status == 0

        first = await _start(config_path)
        await fake.wait_for(lambda c: len(_delivered(fake)) >= MEMBERS // 3, timeout=60)
        first.kill()
        await first.wait()
        db = await Database.open(db_path)
        in_flight = {
            r["chat_id"]
            for r in await db.fetchall(
                "SELECT chat_id FROM outbox WHERE status = 'sending' AND batch = 'bulletin:1'"
            )
        }
        stored_ids = await db.fetchall("SELECT file_id FROM platform_files")
        await db.close()
        assert len(_delivered(fake)) < MEMBERS
        assert len(stored_ids) == 1  # the file id survived the kill

        second = await _start(config_path)
        await fake.wait_for(lambda c: len(set(_delivered(fake))) >= MEMBERS, timeout=60)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 30) == 0

        per_chat = Counter(_delivered(fake))
        assert set(per_chat) == {str(FIRST_CHAT + i) for i in range(MEMBERS)}
        assert {chat for chat, n in per_chat.items() if n > 1} <= in_flight
        assert max(per_chat.values()) <= 2
        # One upload in all: the restarted bot sent by the stored file id.
        assert fake.uploads == 1
        db = await Database.open(db_path)
        rows = await db.fetchall(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE batch = 'bulletin:1' GROUP BY status"
        )
        await db.close()
        assert {r["status"]: r["n"] for r in rows} == {"sent": MEMBERS}
        assert fake.violations == []
    finally:
        await fake.stop()
