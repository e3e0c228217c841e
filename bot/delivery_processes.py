"""Extra Telegram delivery processes, for paid-broadcast rates (`[delivery] processes`).

One process with PTB over httpx spends about a millisecond of CPU per message, so it tops out
near 1,000 messages/s on one core. With `processes = N` the bot's own process delivers shard 0
(and every Zalo row) and N - 1 children deliver the other shards (`storage.outbox.Shard`): a
chat always belongs to one shard, so its pacing stays in one process, and each process takes
1/N of the overall rate. Each child is `python -m bot.delivery_processes K N`, reads the
config as JSON on stdin (so tokens never appear in a command line), and is restarted if it
dies. Rows a dead child left in 'sending' are recovered by its successor.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.config import Config, parse_config, to_raw
from bot.core import Incoming, Reply

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent

# A child that dies is started again after this long, doubling up to the maximum.
RESTART_FIRST = 1.0
RESTART_MAX = 60.0
STOP_GRACE_SECONDS = 30.0


class DeliveryProcesses:
    """Starts, watches and stops the children delivering shards 1..N-1."""

    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.count = config.delivery.processes
        self.clock = clock or SystemClock()
        self.children: dict[int, asyncio.subprocess.Process] = {}
        self.restarts = 0
        self._watchers: list[asyncio.Task[None]] = []
        self._stopping = False

    async def start(self) -> None:
        for index in range(1, self.count):
            self.children[index] = await self._spawn(index)
            self._watchers.append(
                asyncio.create_task(self._watch(index), name=f"delivery-child-{index}")
            )

    async def _spawn(self, index: int) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.delivery_processes",
            str(index),
            str(self.count),
            stdin=asyncio.subprocess.PIPE,
            cwd=ROOT,
            start_new_session=True,
        )
        assert process.stdin is not None
        raw = {"config": to_raw(self.config), "base_dir": str(self.config.base_dir.resolve())}
        # Kept open: the child stops when it reads the end of its stdin.
        process.stdin.write(json.dumps(raw).encode() + b"\n")
        await process.stdin.drain()
        logger.info("delivery process %d/%d started (pid %d)", index, self.count, process.pid)
        return process

    async def _watch(self, index: int) -> None:
        delay = RESTART_FIRST
        while True:
            started = self.clock.monotonic()
            code = await self.children[index].wait()
            if self._stopping:
                return
            logger.error("delivery process %d exited with %s; restarting", index, code)
            if self.clock.monotonic() - started > RESTART_MAX:
                delay = RESTART_FIRST  # it had been running well: not a crash loop
            await self.clock.sleep(delay)
            if self._stopping:
                return
            delay = min(RESTART_MAX, delay * 2)
            self.children[index] = await self._spawn(index)
            self.restarts += 1

    async def stop(self) -> None:
        """SIGTERM every child (each finishes its sends in flight), then wait for them."""
        self._stopping = True
        for task in self._watchers:
            task.cancel()
        for process in self.children.values():
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            if process.stdin is not None:
                process.stdin.close()
        for index, process in self.children.items():
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_SECONDS)
            except TimeoutError:
                logger.error("delivery process %d did not stop; killing it", index)
                process.kill()
                await process.wait()


async def run_child(config: Config, index: int, count: int) -> None:
    """Deliver shard `index` of `count` until SIGTERM or SIGINT."""
    from bot.channels.telegram import build_telegram_application
    from handlers import renderer
    from handlers.context import Ctx
    from scheduler import planners
    from scheduler.worker import DeliveryWorker
    from storage.bulletins import FileIdRepo
    from storage.db import Database
    from storage.outbox import OutboxMessage, Shard

    clock = SystemClock()
    db = await Database.open(config.db_path, upgrade=False)
    ctx = Ctx.build(db, config, clock)

    async def no_updates(_incoming: Incoming) -> list[Reply]:
        return []  # this process never receives updates

    application = build_telegram_application(config, no_updates)
    sender = application.bot_data["sender"]
    sender.uploads.store = FileIdRepo(db)

    async def unreachable(msg: OutboxMessage) -> None:
        await planners.on_unreachable(ctx, msg)

    worker = DeliveryWorker(
        db,
        {"telegram": sender},
        clock,
        config.delivery,
        on_unreachable=unreachable,
        shard=Shard(index, count),
        render=renderer(ctx),
    )
    ctx.wake_outbox = worker.wake
    loop = asyncio.get_running_loop()

    stopping: list[asyncio.Task[None]] = []

    def stop() -> None:
        stopping.append(asyncio.ensure_future(worker.stop()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    # The bot's process holds the other end of stdin: its end, however it comes, stops us.
    threading.Thread(target=_until_eof, args=(loop, stop), daemon=True).start()
    lock = (config.db_path.parent / f"{config.db_path.name}.shard-{index}-of-{count}.lock").open(
        "w"
    )
    try:
        # A predecessor still finishing its sends holds the shard: wait for it to go.
        await loop.run_in_executor(None, fcntl.flock, lock, fcntl.LOCK_EX)
        async with application:
            await worker.run()
    finally:
        lock.close()
        await db.close()
    logger.info("delivery process %d/%d stopped", index, count)


def _until_eof(loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> None:
    while sys.stdin.buffer.read(4096):
        pass
    loop.call_soon_threadsafe(stop)


def main() -> None:
    from bot.logs import setup_logging

    index, count = int(sys.argv[1]), int(sys.argv[2])
    raw = json.loads(sys.stdin.buffer.readline())
    config = parse_config(raw["config"], Path(raw["base_dir"]), env={})
    secrets = [config.telegram.token, config.telegram.webhook_secret, config.zalo.token]
    setup_logging(config.general.log_level, secrets)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_child(config, index, count))


if __name__ == "__main__":
    main()
