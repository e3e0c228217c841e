"""Shared fixtures: a fake Telegram on 127.0.0.1, a real SQLite file, the real bot built on them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Chibo
from bot.clock import FakeClock
from bot.config import Config, parse_config
from bot.sandbox.telegram_api import FakeTelegram
from storage.invites import InviteRepo
from tests.seed import TG_IDS, Seeded, seed


def make_config(tmp_path: Path, fake: FakeTelegram, **sections: dict[str, Any]) -> Config:
    """A config pointing at the fake Bot API and a database file in tmp_path."""
    raw: dict[str, Any] = {
        "database": {"path": str(tmp_path / "chibo.sqlite3")},
        "telegram": {
            "token": fake.token,
            "base_url": fake.base_url,
            "base_file_url": fake.base_file_url,
        },
        # Limits lifted: these tests are about behaviour, the pacing tests set their own. The
        # fake clock stands still while a test runs, so a finite budget would run dry.
        "delivery": {"overall_per_second": 1_000_000.0, "private_chat_interval": 0.0},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    return parse_config(raw, tmp_path, env={})


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """A test that runs `bot.cli.main` in-process sets up logging to the stderr pytest captured
    for it; put the root logger back, so later tests never log to that closed stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in ("storage.db",)}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert server.violations == [], server.violations


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock:
    """The fake clock, at 01:00 UTC on 01/12/2026 unless the test is marked
    `@pytest.mark.start_at("2026-11-04T01:00:00")` (UTC): the bot runs its planners when it
    starts, so a test that plays an earlier month starts the bot in it."""
    marker = request.node.get_closest_marker("start_at")
    if marker is not None:
        return FakeClock(datetime.fromisoformat(marker.args[0]).replace(tzinfo=UTC))
    return FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))


@dataclass
class World:
    """The running bot plus handles the tests need."""

    chibo: Chibo
    fake: FakeTelegram
    clock: FakeClock
    seeded: Seeded

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.chibo.db

    async def invite_code(self, key: str) -> str:
        codes = await InviteRepo(self.db).ensure_for(
            [self.seeded.member_ids[key]], self.clock.now(), timedelta(days=30)
        )
        return codes[self.seeded.member_ids[key]]

    async def say(self, key_or_id: str | int, text: str, count: int = 1) -> list[dict[str, Any]]:
        """Send a text as a user and wait for `count` new bot messages in their chat."""
        uid = TG_IDS[key_or_id] if isinstance(key_or_id, str) else key_or_id
        before = len(self.fake.sent_to(uid))
        self.fake.send_text(uid, text)
        messages = await self.fake.wait_sent(uid, before + count)
        return messages[before:]

    async def press(
        self, key_or_id: str | int, message: dict[str, Any], data: str, *, check: bool = True
    ) -> None:
        """Press a button and wait until the bot has handled it (it answers the query last).

        `check=False` sends data no button on the message carries (forged or a double tap).
        """
        uid = TG_IDS[key_or_id] if isinstance(key_or_id, str) else key_or_id
        update = self.fake.press(uid, message, data, check=check)
        query_id = update["callback_query"]["id"]
        await self.fake.wait_for(
            lambda c: (
                c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
            )
        )

    async def link(self, key: str) -> None:
        await self.say(key, f"/start {await self.invite_code(key)}")

    async def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return await self.db.fetchall(sql, params)


@pytest.fixture
async def world(fake: FakeTelegram, clock: FakeClock, tmp_path: Path) -> AsyncIterator[World]:
    chibo = await Chibo.build(make_config(tmp_path, fake), clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    w = World(chibo, fake, clock, seeded)
    try:
        yield w
    finally:
        # A test may have restarted the bot: stop whichever instance is current.
        await w.chibo.stop()
