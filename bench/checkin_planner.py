"""Benchmark: check-in rounds and the year view over a province-sized roster, 3 tasks per member.

Run from the repository root:  python -m bench.checkin_planner [--members N] [--cells N]

The roster is bench/meeting_planner.py's (tests/rosters.py, every member linked); the meeting
planner then creates December's meetings, and every member gets 3 open tasks (bench set-up SQL,
one task per member per row of task_assignees). Then, timed, on one database:
  open      2026-12-01 08:00 local: the round of every cell opens at once (late: it was due on
            30/11), one prompt per member listing their 3 tasks;
  steady    the same minute again: nothing new (what nearly every tick looks like);
  nudge     2026-12-03 19:00 local: the "2d" nudge of every round, nobody has answered;
  digest    2026-12-04 19:00 local: the "1d" nudge plus the digest to every secretary;
  year      the province committee's year view: every cell's figures for 2026.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.meeting_planner import build_base
from bench.roster_import import _cpu, _load, _rss_mib
from bot.core.clock import FakeClock
from bot.core.config import Config
from handlers.context import Ctx
from handlers.year_view import year_summary
from scheduler.checkin_planner import plan_checkins
from scheduler.meeting_planner import materialise
from storage.db import Database, to_db

TASKS_PER_MEMBER = 3


async def add_tasks(db: Database, now: datetime) -> int:
    """Bench set-up: 3 open tasks per member, each assigned to that member alone."""
    members = await db.fetchall("SELECT id, unit_id, full_name FROM members ORDER BY id")
    rows = [
        (unit_id, f"Nhiệm vụ {n + 1} của {name}", to_db(now), to_db(now), member_id)
        for member_id, unit_id, name in members
        for n in range(TASKS_PER_MEMBER)
    ]
    async with db.write() as conn:
        await conn.executemany(
            "INSERT INTO tasks (unit_id, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [r[:4] for r in rows],
        )
        # The table was empty: the new tasks are numbered 1, 2, ... in insertion order.
        await conn.executemany(
            "INSERT INTO task_assignees (task_id, member_id) VALUES (?, ?)",
            [(i + 1, r[4]) for i, r in enumerate(rows)],
        )
    row = await db.fetchone("SELECT COUNT(*) FROM task_assignees")
    return int(row[0]) if row else 0


async def run(members: int, cells: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        counts = await build_base(path, members, cells)
        db = await Database.open(path)
        clock = FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
        ctx = Ctx.build(db, Config(base_dir=Path(tmp)), clock)
        await materialise(ctx, clock.now())
        assigned = await add_tasks(db, datetime(2026, 11, 15, tzinfo=UTC))
        print(
            f"roster: {counts['members']} members, {counts['cells']} cells, {assigned} assignments "
            f"(built in {time.perf_counter() - started:.1f} s); machine: {_cpu()}, load {_load()}"
        )
        print(f"{'step':<8} {'rows':>7} {'wall s':>8} {'cpu s':>8} {'RSS MiB':>8}")
        steps = (
            ("open", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
            ("steady", datetime(2026, 12, 1, 1, 0, 30, tzinfo=UTC)),
            ("nudge", datetime(2026, 12, 3, 12, 0, tzinfo=UTC)),
            ("digest", datetime(2026, 12, 4, 12, 0, tzinfo=UTC)),
        )
        for name, moment in steps:
            clock.set(moment)
            t0, c0 = time.perf_counter(), time.process_time()
            stats = await plan_checkins(ctx)
            rows = stats.prompts + stats.nudges + stats.digests
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(f"{name:<8} {rows:>7} {wall:>8.3f} {cpu:>8.3f} {_rss_mib():>8.1f}")
        root = await db.fetchone("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id")
        assert root is not None
        cell_ids = [c.id for c in await ctx.units.cells_under(int(root[0]))]
        t0, c0 = time.perf_counter(), time.process_time()
        summary = await year_summary(ctx, cell_ids, 2026)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{'year':<8} {len(summary):>7} {wall:>8.3f} {cpu:>8.3f} {_rss_mib():>8.1f}")
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    args = parser.parse_args()
    asyncio.run(run(args.members, args.cells))


if __name__ == "__main__":
    main()
