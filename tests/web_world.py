"""Fixtures for the dashboard: the real bot with `[web]` on a free loopback port, an HTTP
client that keeps the session cookie, and a little data made through the repositories."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import Chibo
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from storage.members import MemberRepo
from tests.conftest import World, make_config
from tests.seed import seed

LINK = re.compile(r"(https?://\S+/vao/[A-Za-z0-9_-]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def web_section(port: int, **keys: Any) -> dict[str, Any]:
    # No warming thread in tests unless one asks for it (test_web_access warms by hand).
    return {"port": port, "public_url": f"http://127.0.0.1:{port}", "warm_minutes": 0, **keys}


@dataclass
class WebWorld(World):
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def web_link(self, key: str) -> str:
        """/web in the member's Telegram chat; the link it answers with."""
        [answer] = await self.say(key, "/web")
        found = LINK.search(answer["text"])
        assert found, answer["text"]
        return found.group(1)

    async def grant(self, key: str, role: str, unit: str) -> None:
        await MemberRepo(self.db).grant(
            self.seeded.member_ids[key], role, self.seeded.unit_ids[unit]
        )


async def start_web_world(
    fake: FakeTelegram, clock: FakeClock, tmp_path: Path, **web: Any
) -> WebWorld:
    port = free_port()
    config = make_config(tmp_path, fake, web=web_section(port, **web))
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    return WebWorld(chibo, fake, clock, seeded, port=port)


@pytest.fixture
async def wworld(fake: FakeTelegram, clock: FakeClock, tmp_path: Path) -> AsyncIterator[WebWorld]:
    world = await start_web_world(fake, clock, tmp_path, max_failures=3)
    try:
        yield world
    finally:
        await world.chibo.stop()


class Browser:
    """A plain HTTP client keeping one session cookie by hand (as a browser would)."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http = http
        self.base = base
        self.cookie = ""
        self.last_set_cookie = ""

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"chibo_session={self.cookie}"} if self.cookie else {}

    async def get(self, path: str) -> tuple[int, str, bytes, dict[str, str]]:
        async with self.http.get(
            self.base + path, headers=self._headers(), allow_redirects=False
        ) as r:
            body = await r.read()
            return r.status, r.headers.get("Location", ""), body, dict(r.headers)

    async def post(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        async with self.http.post(
            self.base + path, data=data, headers=self._headers(), allow_redirects=False
        ) as r:
            body = await r.text()
            set_cookie = r.headers.get("Set-Cookie", "")
            if set_cookie:
                self.last_set_cookie = set_cookie
                found = re.match(r"chibo_session=([^;]*)", set_cookie)
                self.cookie = found.group(1).strip('"') if found else ""
            return r.status, r.headers.get("Location", ""), body

    async def sign_in(self, link: str) -> int:
        token = link.rsplit("/", 1)[1]
        status, _, _ = await self.post("/vao", {"token": token})
        return status


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
