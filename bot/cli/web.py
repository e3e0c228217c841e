"""`chibo web`: the committees' dashboard on its own, without the bot (the same database)."""

from __future__ import annotations

import argparse
import asyncio
import signal

from bot.cli.common import load, open_ctx
from bot.core.clock import Clock
from bot.core.config import Config
from bot.web.photos import chart_photo
from bot.web.server import WebDashboard

DEFAULT_PORT = 8780


async def command(args: argparse.Namespace) -> int:
    """`chibo web [--host H] [--port P]`: serve the dashboard until SIGINT or SIGTERM."""
    return await serve_web(load(args), args.clock, args.host, args.port, stop_on_signals())


async def serve_web(
    config: Config, clock: Clock, host: str | None, port: int | None, stop: asyncio.Event
) -> int:
    """Serve the dashboard until `stop` is set; returns the exit status."""
    async with open_ctx(config, clock) as ctx:
        dashboard = WebDashboard(ctx)
        ctx.chart_photo = chart_photo(ctx, dashboard.board_for)
        await dashboard.start(host, port or config.web.port or DEFAULT_PORT)
        print(f"http://{host or config.web.listen}:{dashboard.port}/", flush=True)
        try:
            await stop.wait()
        finally:
            await dashboard.stop()
    return 0


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM: the dashboard serves until it is set."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
