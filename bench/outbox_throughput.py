"""Outbox throughput: the real worker and PTB sender against the fake Bot API in its own process.

Run by hand from the repository root: `python bench/outbox_throughput.py` (see --help).
(a)  limits lifted: end-to-end messages/s (enqueued rows -> every outcome recorded), median
     of several runs, per concurrency; with two references: the PTB sender alone (no outbox,
     the HTTP stack's ceiling) and the worker with a sender that does no I/O (the worker's own);
(b)  the fake enforcing 30/s: achieved share of 30/s and the number of 429s;
(c)  kill -9 in the middle of a broadcast, restart: nothing lost, repeats <= rows in flight;
(d)  with `--writers R`: (a) through the whole bot (`Chibo.build` + `start`: PTB polling, the
     inbox, the answer lane and the worker on one sending budget) while linked members write
     `/lichhop` and `/huongdan` at R messages a second; members are linked once by sending
     `/start CODE` to the bot (`--writer-members`).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_process import FakeProcess, NullSender, no_dispatch  # noqa: E402
from bench.province_pacing import FIRST_USER, _link_all, seed_province  # noqa: E402
from bot.app import Chibo  # noqa: E402
from bot.channels.telegram import TelegramSender, build_telegram_application  # noqa: E402
from bot.core.clock import SystemClock  # noqa: E402
from bot.core.config import Config, parse_config  # noqa: E402
from bot.core.delivery import Sender  # noqa: E402
from bot.core.types import Reply  # noqa: E402
from scheduler.worker import DeliveryWorker  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.outbox import NewMessage, OutboxRepo  # noqa: E402

TOKEN = "123456:TEST-TOKEN"
TEXT = "Thông tin tư tưởng tháng 12: đề nghị các đồng chí đọc và bấm «Đã đọc»."
FIRST_CHAT = 100_000
Row = tuple[str, str, str, str]


@dataclass
class Result:
    """One run: how long it took and what the fake saw."""

    messages: int
    seconds: float
    sent_rows: int = 0
    accepted: int = 0
    too_many_requests: int = 0
    violations: int = 0
    fake_span: float = 0.0

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds

    @property
    def fake_rate(self) -> float:
        """Accepted sends per second as the fake timed them (first to last)."""
        return (self.accepted - 1) / self.fake_span if self.fake_span > 0 else float("inf")


def _config(url: str, base_dir: Path, delivery: dict[str, Any]) -> Config:
    raw = {
        "telegram": {"token": TOKEN, "base_url": f"{url}/bot", "base_file_url": f"{url}/file/bot"},
        "delivery": delivery,
    }
    return parse_config(raw, base_dir, env={})


async def _fill(db: Database, messages: int) -> None:
    reply = Reply(TEXT)
    await OutboxRepo(db).enqueue(
        [
            NewMessage(f"bench:{n}", "telegram", str(FIRST_CHAT + n), reply, batch="bench")
            for n in range(messages)
        ],
        SystemClock().now(),
    )


async def _drain(db: Database, sender: Sender, config: Config) -> float:
    """Run a worker until the outbox is empty; seconds from start to the last recorded outcome."""
    worker = DeliveryWorker(db, {"telegram": sender}, SystemClock(), config.delivery)
    started = time.perf_counter()
    task = asyncio.create_task(worker.run())
    await worker.wait_idle()
    seconds = time.perf_counter() - started
    await worker.stop()
    await task
    return seconds


async def worker_run(fake: FakeProcess, messages: int, delivery: dict[str, Any]) -> Result:
    """Fill a fresh outbox with one message per private chat and drain it over HTTP."""
    await fake.reset()
    with tempfile.TemporaryDirectory() as tmp:
        config = _config(fake.url, Path(tmp), delivery)
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        await _fill(db, messages)
        application = build_telegram_application(config, no_dispatch)
        async with application:
            seconds = await _drain(db, TelegramSender(application), config)
        counts = await OutboxRepo(db).batch_counts("bench")
        await db.close()
    stats = await fake.stats()
    sends = stats["sends"]
    return Result(
        messages=messages,
        seconds=seconds,
        sent_rows=counts.get("sent", 0),
        accepted=sends["count"],
        too_many_requests=stats["too_many_requests"],
        violations=stats["violations"],
        fake_span=(sends["last"] or 0.0) - (sends["first"] or 0.0),
    )


async def null_run(messages: int, concurrency: int) -> Result:
    """The worker and SQLite with a sender that does no I/O."""
    with tempfile.TemporaryDirectory() as tmp:
        config = _config(
            "http://127.0.0.1:9",
            Path(tmp),
            {"overall_per_second": 1_000_000.0, "concurrency": concurrency},
        )
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        await _fill(db, messages)
        seconds = await _drain(db, NullSender(), config)
        counts = await OutboxRepo(db).batch_counts("bench")
        await db.close()
    return Result(messages, seconds, sent_rows=counts.get("sent", 0))


async def sender_run(fake: FakeProcess, messages: int, concurrency: int) -> Result:
    """The PTB sender alone, `concurrency` sends at a time: the HTTP stack's ceiling."""
    await fake.reset()
    with tempfile.TemporaryDirectory() as tmp:
        config = _config(fake.url, Path(tmp), {"concurrency": concurrency})
        application = build_telegram_application(config, no_dispatch)
        async with application:
            sender = TelegramSender(application)
            reply = Reply(TEXT)
            chats = iter(range(FIRST_CHAT, FIRST_CHAT + messages))

            async def lane() -> None:
                for chat in chats:
                    await sender.send(str(chat), reply)

            started = time.perf_counter()
            await asyncio.gather(*(lane() for _ in range(concurrency)))
            seconds = time.perf_counter() - started
    stats = await fake.stats()
    return Result(messages, seconds, accepted=stats["sends"]["count"])


async def _write(fake: FakeProcess, members: list[int], per_second: float) -> None:
    """Linked members write /lichhop and /huongdan at `per_second`, in batches every 0.1 s."""
    async with httpx.AsyncClient(timeout=60) as client:
        n = 0
        step = 0.1
        owed = 0.0
        while True:
            owed += per_second * step
            batch = []
            while owed >= 1:
                text = "/lichhop" if n % 2 == 0 else "/huongdan"
                batch.append([FIRST_USER + members[n % len(members)], text])
                n += 1
                owed -= 1
            if batch:
                await client.post(f"{fake.url}/__texts", json=batch)
            await asyncio.sleep(step)  # a steady stream into another process


async def writers_run(
    fake: FakeProcess,
    workdir: Path,
    members: list[int],
    messages: int,
    concurrency: int,
    per_second: float,
    run: int,
) -> Result:
    """(d): the whole bot drains `messages` outbox rows while members write at `per_second`."""
    raw = {
        "database": {"path": str(workdir / "bench.sqlite3")},
        "telegram": {
            "token": TOKEN,
            "base_url": f"{fake.url}/bot",
            "base_file_url": f"{fake.url}/file/bot",
        },
        "delivery": {
            "overall_per_second": 1_000_000.0,
            "private_chat_interval": 0.0,
            "concurrency": concurrency,
        },
    }
    chibo = await Chibo.build(parse_config(raw, workdir, env={}))
    await chibo.start()
    writer: asyncio.Task[None] | None = None
    try:
        handled = await chibo.db.fetchone("SELECT COUNT(handled_at) FROM inbox")
        writer = asyncio.create_task(_write(fake, members, per_second))
        await asyncio.sleep(1.0)  # members are writing before the rows are queued
        before = await fake.stats()
        # Timed from queueing the rows (included): the running worker may take them at once.
        started = time.perf_counter()
        reply = Reply(TEXT)
        batch = f"bench{run}"
        await OutboxRepo(chibo.db).enqueue(
            [
                NewMessage(f"{batch}:{n}", "telegram", str(FIRST_CHAT + n), reply, batch=batch)
                for n in range(messages)
            ],
            SystemClock().now(),
        )
        chibo.worker.wake()
        await chibo.worker.wait_idle()
        seconds = time.perf_counter() - started
        after = await fake.stats()
        counts = await OutboxRepo(chibo.db).batch_counts(batch)
        answered = await chibo.db.fetchone("SELECT COUNT(handled_at) FROM inbox")
    finally:
        if writer is not None:
            writer.cancel()
        await chibo.stop()
    updates = int(answered[0] if answered else 0) - int(handled[0] if handled else 0)
    print(f"    members' messages handled meanwhile: {updates}", flush=True)
    return Result(
        messages=messages,
        seconds=seconds,
        sent_rows=counts.get("sent", 0),
        accepted=after["sends"]["count"] - before["sends"]["count"],
        too_many_requests=after["too_many_requests"] - before["too_many_requests"],
        violations=after["violations"] - before["violations"],
    )


async def with_writers(args: argparse.Namespace) -> list[Row]:
    """(d): (a) through the whole bot while linked members write."""
    rows: list[Row] = []
    fake = FakeProcess(None)
    try:
        await fake.ready()
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            db = await Database.open(workdir / "bench.sqlite3")
            members = await seed_province(db, args.writer_members)
            await db.close()
            seconds = await _link_all(workdir, fake, members)
            print(f"  linked {len(members):,} members by /start in {seconds:.0f} s", flush=True)
            runs = iter(range(1_000_000))
            for conc in args.concurrency:
                row, results = await _median(
                    f"(d) whole bot, N={args.messages}, concurrency {conc}, "
                    f"members writing {args.writers:g}/s",
                    args.runs,
                    lambda conc=conc: writers_run(  # type: ignore[misc]
                        fake, workdir, members, args.messages, conc, args.writers, next(runs)
                    ),
                )
                problems = sum(r.too_many_requests + r.violations for r in results)
                rows.append((*row[:3], f"429s + violations: {problems}"))
    finally:
        fake.stop()
    return rows


async def _median(
    label: str, runs: int, once: Callable[[], Awaitable[Result]]
) -> tuple[Row, list[Result]]:
    results = []
    for run in range(runs):
        result = await once()
        print(f"  {label} run {run + 1}: {result.per_second:.0f} msg/s", flush=True)
        if result.sent_rows not in (0, result.messages):
            raise AssertionError(f"{label}: only {result.sent_rows} rows sent")
        results.append(result)
    median = statistics.median(r.per_second for r in results)
    runs_text = ", ".join(f"{r.per_second:.0f}" for r in results)
    return (label, f"{median:.0f} msg/s (median of {runs})", f"runs: {runs_text}", ""), results


async def lifted(args: argparse.Namespace) -> list[Row]:
    """(a): limits lifted, per concurrency, plus the two references."""
    rows: list[Row] = []
    n = args.messages
    fake = FakeProcess(None)
    try:
        await fake.ready()
        for conc in args.concurrency:
            delivery = {"overall_per_second": 1_000_000.0, "concurrency": conc}
            row, results = await _median(
                f"(a) worker + PTB sender, N={n}, concurrency {conc}",
                args.runs,
                functools.partial(worker_run, fake, n, delivery),
            )
            problems = sum(r.too_many_requests + r.violations for r in results)
            rows.append((*row[:3], f"429s + violations: {problems}"))
            row, _ = await _median(
                f"    ref: PTB sender alone, no outbox, concurrency {conc}",
                args.runs,
                functools.partial(sender_run, fake, n, conc),
            )
            rows.append(row)
    finally:
        fake.stop()
    for conc in args.concurrency:
        row, _ = await _median(
            f"    ref: worker + no-I/O sender, N={4 * n}, concurrency {conc}",
            args.runs,
            functools.partial(null_run, 4 * n, conc),
        )
        rows.append(row)
    return rows


async def limited(args: argparse.Namespace) -> list[Row]:
    """(b): the fake enforces 30/s; the worker is configured for 30/s."""
    fake = FakeProcess(30.0)
    try:
        await fake.ready()
        delivery = {"overall_per_second": 30.0, "private_chat_interval": 1.0, "concurrency": 32}
        result = await worker_run(fake, args.limited, delivery)
    finally:
        fake.stop()
    print(
        f"  (b) {result.messages} msgs in {result.seconds:.2f}s; fake accepted {result.accepted} "
        f"over {result.fake_span:.2f}s; 429s {result.too_many_requests}",
        flush=True,
    )
    return [
        (
            f"(b) fake enforces 30/s, N={args.limited}",
            f"{result.fake_rate:.2f} msg/s = {result.fake_rate / 30:.1%} of 30/s (as the fake saw it)",
            f"end to end {result.per_second:.2f} msg/s = {result.per_second / 30:.1%}",
            f"429s {result.too_many_requests}, violations {result.violations}",
        )
    ]


def _db_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())


async def crash(args: argparse.Namespace) -> list[Row]:
    """(c): kill -9 the worker process half-way through, restart it, count losses and repeats."""
    n = args.crash
    fake = FakeProcess(None)
    try:
        await fake.ready()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.sqlite3"
            db = await Database.open(path)
            await _fill(db, n)
            await db.close()
            child = [__file__, "--child", str(path), fake.url]
            proc = await asyncio.create_subprocess_exec(sys.executable, *child, cwd=ROOT)
            for _ in range(100_000):
                if (await fake.stats())["sends"]["count"] >= n // 2:
                    break
                await asyncio.sleep(0.01)  # a real process, running in real time
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
            at_kill = _db_counts(path)
            again = await asyncio.create_subprocess_exec(sys.executable, *child, cwd=ROOT)
            if await again.wait() != 0:
                raise AssertionError("the restarted worker failed")
            after = _db_counts(path)
        stats = await fake.stats()
    finally:
        fake.stop()
    accepted = stats["sends"]["count"]
    in_flight = at_kill.get("sending", 0)
    print(f"  (c) at kill: {at_kill}; after restart: {after}; accepted {accepted}", flush=True)
    lost = n - after.get("sent", 0)
    repeats = accepted - n
    if lost or repeats > in_flight:
        raise AssertionError(f"kill -9: {lost} lost, {repeats} repeats > {in_flight} in flight")
    return [
        (
            f"(c) kill -9 half-way, restart, N={n}",
            f"lost {lost}",
            f"repeated {repeats} (rows 'sending' at the kill: {in_flight})",
            f"sent before kill {at_kill.get('sent', 0)}",
        )
    ]


async def child(path: Path, url: str) -> None:
    """The worker process of (c): drains the outbox at `path`, then exits."""
    config = _config(url, path.parent, {"overall_per_second": 1_000_000.0, "concurrency": 32})
    db = await Database.open(path)
    application = build_telegram_application(config, no_dispatch)
    async with application:
        await _drain(db, TelegramSender(application), config)
    await db.close()


async def main(args: argparse.Namespace) -> None:
    """Run the scenarios and print a table."""
    if args.only_writers:
        rows = await with_writers(args)
        _print(rows)
        return
    rows = await lifted(args)
    if args.writers:
        rows += await with_writers(args)
    if args.limited:
        rows += await limited(args)
    if args.crash:
        rows += await crash(args)
    _print(rows)


def _print(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print()
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def cli() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description="Outbox throughput benchmark")
    parser.add_argument("--messages", type=int, default=5000, help="messages per run in (a)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 8])
    parser.add_argument("--limited", type=int, default=300, help="messages in (b)")
    parser.add_argument("--crash", type=int, default=2000, help="messages in (c); 0 skips it")
    parser.add_argument(
        "--writers", type=float, default=0.0, help="(d): members' messages a second; 0 skips it"
    )
    parser.add_argument("--writer-members", type=int, default=3000, help="members linked in (d)")
    parser.add_argument("--only-writers", action="store_true", help="run (d) alone")
    parser.add_argument("--child", nargs=2, metavar=("DB", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.child:
        asyncio.run(child(Path(args.child[0]), args.child[1]))
    else:
        asyncio.run(main(args))


if __name__ == "__main__":
    cli()
