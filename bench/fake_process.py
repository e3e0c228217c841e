"""Shared by the delivery benchmarks: the fake Bot API in a child process, and a no-I/O sender."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from bot.core.types import Incoming, Reply

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeProcess:
    """`python -m bot.sandbox.telegram_api` in a child process, so it has its own CPU core."""

    def __init__(
        self, overall_per_second: float | None = None, private_chat_interval: float | None = None
    ) -> None:
        self.port = free_port()
        args = [sys.executable, "-m", "bot.sandbox.telegram_api", "--port", str(self.port)]
        if overall_per_second is not None:
            args += ["--overall-per-second", str(overall_per_second)]
        if private_chat_interval is not None:
            args += ["--private-chat-interval", str(private_chat_interval)]
        self.proc = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{self.port}"

    async def ready(self) -> None:
        """Wait until the child answers."""
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                try:
                    await client.get(f"{self.url}/__stats")
                    return
                except httpx.TransportError:
                    await asyncio.sleep(0.05)  # waiting for a real child process
        raise RuntimeError("the fake Bot API did not start")

    async def stats(self) -> dict[str, Any]:
        """The fake's counters (calls, 429s, first and last accepted send)."""
        async with httpx.AsyncClient() as client:
            data: dict[str, Any] = (await client.get(f"{self.url}/__stats")).json()
            return data

    async def reset(self) -> None:
        """Forget every call and message."""
        async with httpx.AsyncClient() as client:
            await client.post(f"{self.url}/__reset")

    def stop(self) -> None:
        """Terminate the child and wait for it."""
        self.proc.terminate()
        self.proc.wait(timeout=10)


class NullSender:
    """Answers at once without any I/O: measures the worker and the database alone."""

    channel = "telegram"

    def __init__(self) -> None:
        self.count = 0

    async def send(self, chat_id: str, reply: Reply) -> str:
        """Count the message; one trip through the loop, as a real send has at least."""
        await asyncio.sleep(0)
        self.count += 1
        return str(self.count)


async def no_dispatch(incoming: Incoming) -> list[Reply]:
    """The benchmarks only send: incoming updates are ignored."""
    return []
