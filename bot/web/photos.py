"""The /tongket chart as a chat photo: a PNG file for Telegram, a short-lived URL for Zalo."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from bot.core.types import Document
from bot.web.charts import render_summary
from handlers.context import Ctx
from handlers.dashboard import Dashboard, Period, build

# How long a chart URL handed to Zalo stays valid (Zalo fetches it when the message is sent).
SHARED_FOR = timedelta(days=1)
# Chart files written for Telegram are removed after this long.
KEEP_FILES = timedelta(days=1)


BoardSource = Callable[[int, list[int], Period], Awaitable[Dashboard | None]]


def chart_photo(
    ctx: Ctx, boards: BoardSource | None = None
) -> Callable[[str, int, list[int], int], Awaitable[Document | None]]:
    """The `Ctx.chart_photo` hook; `boards` gives figures (the web server's, cached and warmed
    ahead, when it runs), else they are computed here."""

    async def photo(channel: str, unit_id: int, roots: list[int], year: int) -> Document | None:
        now = ctx.now()
        if channel == "zalo":
            base = ctx.config.web.public_url.rstrip("/")
            if not base or not ctx.config.web.port:
                return None
            token = await ctx.web_access.share_image(unit_id, year, now, now + SHARED_FOR)
            return Document(url=f"{base}/anh/{token}.png")
        period = Period(year, None)
        if boards is not None:
            board = await boards(unit_id, roots, period)
        else:
            board = await build(ctx, unit_id, roots, period, with_members=False)
        if board is None:
            return None
        png = await asyncio.to_thread(render_summary, board)
        folder = ctx.config.db_path.parent / "charts"
        return Document(path=str(await asyncio.to_thread(_write, folder, png, now.timestamp())))

    return photo


def _write(folder: Path, png: bytes, now: float) -> Path:
    """Write the chart, stamped with the injected clock's time (not the host's), and remove
    charts stamped more than `KEEP_FILES` before it: a sandbox clock moved ahead or a test
    clock never prunes a fresh file by comparing two different clocks."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        if old.stat().st_mtime < now - KEEP_FILES.total_seconds():
            old.unlink(missing_ok=True)
    path = folder / f"{secrets.token_hex(12)}.png"
    path.write_bytes(png)
    os.utime(path, (now, now))
    return path
