"""Benchmark: a simulated year of a province (45,000 members, 1,500 cells) with retention on.

Run from the repository root:  python -m bench.year_retention [--days 365] [--no-retention]

Set-up as bench/meeting_planner.py and bench/checkin_planner.py: the generated roster imported
with RosterRepo, every member linked to a Telegram chat and given 3 open tasks. Then, from
2026-12-01, the bot's planner tick (`Chibo.tick`: notice and bulletin reports, meeting planner,
check-in planner) runs once per simulated hour; on the 1st of each month at 08:00 local a
bulletin goes to every hamlet cell; each day at 03:00 local the retention pass runs
(`scheduler.retention.prune`). Delivery itself is not what is measured here: after each tick the
rows that fell due are marked sent with one UPDATE (bench/outbox_throughput.py measures sending).
Printed per simulated month: the outbox rows, the file size (after a WAL checkpoint), the median
("routine") and worst planner tick, and the retention pass.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.checkin_planner import add_tasks
from bench.meeting_planner import build_base
from bench.roster_import import _cpu, _load
from bot.core.clock import FakeClock
from bot.core.config import Config, DeliveryConfig
from handlers.context import Ctx
from scheduler import checkin_planner, meeting_planner, planners, retention
from scheduler.bulletin_progress import report_bulletins
from storage.db import Database, to_db
from storage.files import store_file
from tests.scenarios import publish_to_hamlets

START = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 2026-12-01 00:00 local
PDF = b"%PDF-1.4\n" + b"0" * 50_000 + b"\n%%EOF\n"


async def tick(ctx: Ctx) -> None:
    """What `Chibo.tick` runs."""
    await planners.report_notices(ctx)
    await report_bulletins(ctx)
    await meeting_planner.plan_meetings(ctx)
    await checkin_planner.plan_checkins(ctx)


async def deliver(db: Database, now: datetime) -> None:
    """Stand-in for the worker: what fell due is sent."""
    async with db.write() as conn:
        await conn.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = 1, message_id = '1' "
            "WHERE status = 'pending' AND next_attempt_at <= ?",
            (to_db(now), to_db(now)),
        )


async def publish(ctx: Ctx, workdir: Path, now: datetime) -> None:
    local = now + timedelta(hours=7)
    issue = f"{local.month:02d}/{local.year}"
    stored = store_file(PDF, workdir / "bulletins", f"ttt-{local:%Y%m}.pdf")
    await publish_to_hamlets(ctx.db, stored, issue, now)


async def file_mib(db: Database) -> float:
    await db.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.path.stat().st_size / 2**20


async def run(members: int, cells: int, days: int, keep: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "year.sqlite3"
        started = time.perf_counter()
        counts = await build_base(path, members, cells)
        db = await Database.open(path)
        await add_tasks(db, START - timedelta(days=15))
        clock = FakeClock(START)
        ctx = Ctx.build(db, Config(base_dir=workdir, delivery=DeliveryConfig()), clock)
        print(
            f"roster: {counts['members']} members, {counts['cells']} cells (built in "
            f"{time.perf_counter() - started:.0f} s); retention "
            f"{'off' if keep else f'{ctx.config.delivery.retention_days} days'}; "
            f"machine: {_cpu()}, load {_load()}"
        )
        print(
            f"{'month':<8} {'outbox rows':>11} {'file MiB':>9} {'routine ms':>10} "
            f"{'worst s':>8} {'prune s':>8}"
        )
        ticks: list[float] = []
        prunes: list[float] = []
        month = (START + timedelta(hours=7)).month
        for hour in range(days * 24 + 1):
            now = START + timedelta(hours=hour)
            local = now + timedelta(hours=7)
            clock.set(now)
            if local.month != month:
                rows = await db.fetchone("SELECT COUNT(*) FROM outbox")
                label = f"{(local - timedelta(days=1)):%Y-%m}"
                print(
                    f"{label:<8} {rows[0] if rows else 0:>11,} {await file_mib(db):>9.1f} "
                    f"{statistics.median(ticks) * 1000:>10.0f} {max(ticks):>8.2f} "
                    f"{max(prunes, default=0.0):>8.2f}",
                    flush=True,
                )
                month, ticks, prunes = local.month, [], []
            if local.day == 1 and local.hour == 8:
                await publish(ctx, workdir, now)
            t0 = time.perf_counter()
            await tick(ctx)
            ticks.append(time.perf_counter() - t0)
            await deliver(db, now)
            if local.hour == 3 and not keep:
                t0 = time.perf_counter()
                await retention.prune(ctx)
                prunes.append(time.perf_counter() - t0)
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--no-retention", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.members, args.cells, args.days, args.no_retention))


if __name__ == "__main__":
    main()
