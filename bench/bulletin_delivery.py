"""Bulletin delivery benchmark: one issue to a whole roster through the real publication path.

Run by hand from the repository root: `python bench/bulletin_delivery.py` (see --help).

(a) limit enforced: the fake Bot API (its own process) enforces `30 x scale` messages/s and
    1 message/s per chat; the worker is configured to the same rate. A roster of `members`
    (scaled down from 45,000 to keep the run short) gets one bulletin: BulletinRepo.publish
    writes the outbox rows, the real DeliveryWorker + PTB TelegramSender send the PDF (uploaded
    once, then by file_id). Reported: achieved rate as a share of the limit, 429 answers,
    uploads, and the projected wall time for 45,000 members at 30/s.
(b) limit lifted: the same against the fake without limits (the HTTP stack included), and with
    a sender that does no I/O (the worker and the database alone) for the full 45,000: msgs/s
    and peak memory (max RSS of this process).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_process import FakeProcess, NullSender, no_dispatch  # noqa: E402
from bench.province_pacing import seed_province  # noqa: E402
from bot.channels.telegram import build_telegram_application  # noqa: E402
from bot.core.clock import SystemClock  # noqa: E402
from bot.core.config import parse_config  # noqa: E402
from scheduler.worker import DeliveryWorker  # noqa: E402
from storage.db import Database, to_db  # noqa: E402
from storage.files import store_file  # noqa: E402
from storage.outbox import OutboxRepo  # noqa: E402
from tests.scenarios import publish_to_hamlets  # noqa: E402

TOKEN = "123456:TEST-TOKEN"
FIRST_CHAT = 500_000
TELEGRAM_LIMIT = 30.0
PROVINCE = 45_000
PDF = b"%PDF-1.4\n" + b"0" * 200_000 + b"\n%%EOF\n"


async def _seed(db: Database, members: int) -> None:
    """The province of `bench.province_pacing` (hamlet cells of ~30 members under communes of
    ~20 cells), every member linked to a Telegram chat in SQL (this bench measures delivery,
    not linking)."""
    await seed_province(db, members)
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    async with db.write() as conn:
        await conn.executemany(
            "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
            "VALUES ('telegram', ?, ?, ?, ?)",
            [(str(FIRST_CHAT + i), str(FIRST_CHAT + i), i + 1, now) for i in range(members)],
        )


async def _publish(db: Database, workdir: Path) -> tuple[int, float]:
    stored = store_file(PDF, workdir / "bulletins", "ttt.pdf")
    started = time.perf_counter()

    count = await publish_to_hamlets(db, stored, "12/2026", SystemClock().now())
    return count, time.perf_counter() - started


async def _run(
    members: int,
    *,
    rate: float,
    fake: FakeProcess | None,
    concurrency: int,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = await Database.open(workdir / "bench.sqlite3")
        await _seed(db, members)
        count, publish_seconds = await _publish(db, workdir)
        raw: dict[str, Any] = {
            "database": {"path": str(workdir / "bench.sqlite3")},
            "telegram": {"token": TOKEN},
            "delivery": {
                "overall_per_second": rate,
                "private_chat_interval": 1.0,
                "concurrency": concurrency,
            },
        }
        application = None
        if fake is not None:
            raw["telegram"]["base_url"] = f"{fake.url}/bot"
            raw["telegram"]["base_file_url"] = f"{fake.url}/file/bot"
        config = parse_config(raw, workdir, env={})
        if fake is not None:
            application = build_telegram_application(config, no_dispatch)
            await application.initialize()
            sender: Any = application.bot_data["sender"]
        else:
            sender = NullSender()
        worker = DeliveryWorker(db, {"telegram": sender}, SystemClock(), config.delivery)
        started = time.perf_counter()
        task = asyncio.create_task(worker.run())
        outbox = OutboxRepo(db)
        while True:
            await asyncio.sleep(0.5)
            counts = await outbox.batch_counts("bulletin:1")
            if counts.get("sent", 0) + counts.get("failed", 0) >= count:
                break
        seconds = time.perf_counter() - started
        await worker.stop()
        await task
        if application is not None:
            await application.shutdown()
        await db.close()
        result: dict[str, Any] = {
            "members": members,
            "sent": counts.get("sent", 0),
            "failed": counts.get("failed", 0),
            "seconds": seconds,
            "rate": count / seconds,
            "publish_seconds": publish_seconds,
        }
        if fake is not None:
            result["fake"] = await fake.stats()
        return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0, help="limit = 30 x scale (a)")
    parser.add_argument("--members", type=int, default=6000, help="roster of run (a) and (b1)")
    parser.add_argument("--full", type=int, default=PROVINCE, help="roster of run (b2)")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    limit = TELEGRAM_LIMIT * args.scale

    print(f"(a) fake enforcing {limit:.0f}/s (= 30/s x {args.scale:g}) and 1/s per chat")
    fake = FakeProcess(limit, 1.0)
    try:
        await fake.ready()
        a = await _run(args.members, rate=limit, fake=fake, concurrency=args.concurrency)
    finally:
        fake.stop()
    share = a["rate"] / limit
    stats = a["fake"]
    print(
        f"    {a['members']} members in {a['seconds']:.1f}s: {a['rate']:.1f} msgs/s = "
        f"{share:.1%} of the limit; 429 answers: {stats.get('too_many_requests')}; "
        f"uploads: {stats.get('uploads')}; failed: {a['failed']}; "
        f"publication (outbox rows) {a['publish_seconds']:.2f}s"
    )
    # The run's wall time includes start-up, the one upload and up to 0.5 s of polling for the
    # end; the rate the platform saw (first to last accepted send) is the steady state that
    # decides a 45,000-member delivery.
    sends = stats.get("sends") or {}
    if sends.get("count", 0) > 1 and sends.get("last") != sends.get("first"):
        seen = (sends["count"] - 1) / (sends["last"] - sends["first"])
        print(
            f"    as the fake saw it (first to last accepted send): {seen:.1f} msgs/s = "
            f"{seen / limit:.1%} of the limit"
        )
        share = max(share, seen / limit)
    projected = PROVINCE / (TELEGRAM_LIMIT * share) / 60
    print(
        f"    projected for {PROVINCE:,} members at 30/s: {projected:.1f} min "
        f"(floor {PROVINCE / TELEGRAM_LIMIT / 60:.1f} min)"
    )

    print("(b1) limit lifted, real PTB sender over HTTP to the fake (its own process)")
    fake = FakeProcess(None, None)
    try:
        await fake.ready()
        b1 = await _run(args.members, rate=100_000.0, fake=fake, concurrency=args.concurrency)
    finally:
        fake.stop()
    print(
        f"    {b1['members']} members in {b1['seconds']:.1f}s: {b1['rate']:.0f} msgs/s; "
        f"uploads: {b1['fake'].get('uploads')}"
    )
    print(f"(b2) limit lifted, sender without I/O: {args.full:,} members")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    b2 = await _run(args.full, rate=100_000.0, fake=None, concurrency=args.concurrency)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"    {b2['members']:,} members in {b2['seconds']:.1f}s: {b2['rate']:.0f} msgs/s; "
        f"publication (outbox rows) {b2['publish_seconds']:.2f}s; "
        f"peak RSS {rss_after / 1024:.0f} MB (was {rss_before / 1024:.0f} MB before this run)"
    )


if __name__ == "__main__":
    asyncio.run(main())
