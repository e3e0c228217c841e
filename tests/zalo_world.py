"""Zalo test fixtures: a fake Zalo Bot API on 127.0.0.1 and the real bot built on it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Chibo
from bot.core.clock import FakeClock
from bot.core.config import Config, parse_config
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo, ZaloCall
from storage.db import Database
from storage.invites import InviteRepo
from tests.seed import MEMBERS, Seeded, seed

# Zalo user ids (hex strings) the fake uses for each seeded member.
ZALO_IDS = {key: f"{0x7F3A9C0000000000 + i:x}" for i, (key, *_rest) in enumerate(MEMBERS)}


def make_zalo_config(
    tmp_path: Path, zalo: FakeZalo, telegram: FakeTelegram | None = None, **zalo_keys: Any
) -> Config:
    """A config for the fake Zalo (and the fake Telegram too when given)."""
    raw: dict[str, Any] = {
        "database": {"path": str(tmp_path / "chibo.sqlite3")},
        "zalo": {
            "token": zalo.token,
            "base_url": zalo.base_url,
            "poll_timeout": 5,
            # Limits lifted (the fake clock stands still while a test runs).
            "overall_per_second": 1_000_000.0,
            "private_chat_interval": 0.0,
            **zalo_keys,
        },
        "delivery": {"overall_per_second": 1_000_000.0, "private_chat_interval": 0.0},
    }
    if telegram is not None:
        raw["telegram"] = {
            "token": telegram.token,
            "base_url": telegram.base_url,
            "base_file_url": telegram.base_file_url,
        }
    return parse_config(raw, tmp_path, env={})


@pytest.fixture
async def zfake() -> AsyncIterator[FakeZalo]:
    server = FakeZalo()
    await server.start()
    for key, uid in ZALO_IDS.items():
        server.user(uid, key)
    yield server
    await server.stop()
    assert server.violations == [], server.violations


@dataclass
class ZaloWorld:
    """The running bot on Zalo (and Telegram when `tg` is set)."""

    chibo: Chibo
    zfake: FakeZalo
    clock: FakeClock
    seeded: Seeded
    tg: FakeTelegram | None = None

    @property
    def db(self) -> Database:
        return self.chibo.db

    async def invite_code(self, key: str) -> str:
        member = self.seeded.member_ids[key]
        repo = InviteRepo(self.db)
        codes = await repo.ensure_for([member], self.clock.now(), timedelta(days=30))
        return codes[member]

    async def say(self, key: str, text: str, count: int = 1) -> list[str]:
        """Send a text as a member on Zalo; the texts of the next `count` bot messages."""
        uid = ZALO_IDS[key]
        before = len(self.zfake.sent_to(uid))
        self.zfake.send_text(uid, text)
        messages = await self.zfake.wait_sent(uid, before + count)
        return [m.get("text") or m.get("caption") or "" for m in messages[before:]]

    async def push(self, key: str, event_name: str = "", count: int = 1) -> list[str]:
        uid = ZALO_IDS[key]
        before = len(self.zfake.sent_to(uid))
        if event_name == "sticker":
            self.zfake.send_sticker(uid)
        else:
            self.zfake.send_image(uid)
        messages = await self.zfake.wait_sent(uid, before + count)
        return [m["text"] for m in messages[before:]]

    async def link(self, key: str) -> None:
        await self.say(key, f"/start {await self.invite_code(key)}")

    async def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return await self.db.fetchall(sql, params)

    async def calls(self, method: str) -> list[ZaloCall]:
        return [c for c in self.zfake.calls if c.method == method]


@pytest.fixture
async def zworld(zfake: FakeZalo, clock: FakeClock, tmp_path: Path) -> AsyncIterator[ZaloWorld]:
    """Chibo with only Zalo configured."""
    chibo = await Chibo.build(make_zalo_config(tmp_path, zfake), clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    world = ZaloWorld(chibo, zfake, clock, seeded)
    try:
        yield world
    finally:
        await world.chibo.stop()


@pytest.fixture
async def both(
    zfake: FakeZalo, fake: FakeTelegram, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[ZaloWorld]:
    """Chibo serving Telegram and Zalo together."""
    chibo = await Chibo.build(make_zalo_config(tmp_path, zfake, fake), clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    world = ZaloWorld(chibo, zfake, clock, seeded, tg=fake)
    try:
        yield world
    finally:
        await world.chibo.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serving_files(
    zalo: FakeZalo, telegram: FakeTelegram, clock: FakeClock, tmp_path: Path, path: str
) -> AsyncIterator[ZaloWorld]:
    """Both channels; Chibo serves its files (bulletins, documents, drafts) to Zalo on its own
    small HTTP endpoint, under `/<path>`."""
    port = free_port()
    config = make_zalo_config(
        tmp_path,
        zalo,
        telegram,
        files_public_url=f"http://127.0.0.1:{port}/{path}",
        files_port=port,
    )
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    try:
        yield ZaloWorld(chibo, zalo, clock, seeded, tg=telegram)
    finally:
        await chibo.stop()
