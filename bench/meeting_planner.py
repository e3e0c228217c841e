"""Benchmark: the meeting planner's tick over a province-sized roster (45,000 members, 1,500 cells).

Run from the repository root:  python -m bench.meeting_planner [--members N] [--cells N] [--runs N]

The roster comes from tests/rosters.py (generate_roster, CSV) imported with RosterRepo; every
member is then given a linked Telegram account (the worst case: everyone gets a reminder).
Each run is a fresh child process on a fresh copy of that database and times three ticks:
  materialise  2026-12-01 08:00 local: creates December's and January's meeting of every cell;
  fan-out      2026-12-02 08:00 local: the "3 days before at 08:00" round of every cell meeting
               on the 5th falls due at once: one outbox row per linked member;
  steady       the same minute again: nothing new (what nearly every tick looks like).
Wall and CPU times are medians over the runs; peak RSS (VmHWM) is the child's own. A last child
repeats the ticks under tracemalloc for the peak Python allocation of each (not timed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from bench.roster_import import _cpu, _load, _rss_mib, run_child
from bot.core.clock import FakeClock
from bot.core.config import Config
from bot.roster.reader import read_roster
from handlers.context import Ctx
from scheduler.meeting_planner import plan_meetings
from storage.db import Database, to_db
from storage.roster import RosterRepo
from tests.rosters import generate_roster

ROOT = Path(__file__).resolve().parent.parent
TICKS = (
    ("materialise", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
    ("fan-out", datetime(2026, 12, 2, 1, 0, tzinfo=UTC)),
    ("steady", datetime(2026, 12, 2, 1, 0, 30, tzinfo=UTC)),
)


async def build_base(db_path: Path, members: int, cells: int) -> dict[str, int]:
    """The roster imported into a fresh database, every member linked."""
    with tempfile.TemporaryDirectory() as tmp:
        generate_roster(Path(tmp) / "csv", members=members, cells=cells)
        roster = read_roster(
            sorted((Path(tmp) / "csv").iterdir()), today=datetime(2026, 11, 1, tzinfo=UTC).date()
        )
    db = await Database.open(db_path)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    await RosterRepo(db).import_roster(roster, now)
    async with db.write() as conn:
        # Bench set-up, like tests/seed.py: link every member to a Telegram chat.
        await conn.execute(
            "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
            "SELECT 'telegram', CAST(id + 100000 AS TEXT), CAST(id + 100000 AS TEXT), id, ? "
            "FROM members",
            (to_db(now),),
        )
    counts = {
        "members": int((await db.fetchone("SELECT COUNT(*) FROM members"))[0]),  # type: ignore[index]
        "cells": int(
            (await db.fetchone("SELECT COUNT(*) FROM units WHERE kind != 'committee'"))[0]  # type: ignore[index]
        ),
    }
    await db.close()
    return counts


async def child(db_path: Path, traced: bool) -> dict[str, float]:
    db = await Database.open(db_path)
    clock = FakeClock(TICKS[0][1])
    ctx = Ctx.build(db, Config(base_dir=db_path.parent), clock)
    result: dict[str, float] = {}
    for name, moment in TICKS:
        clock.set(moment)
        if traced:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        stats = await plan_meetings(ctx)
        result[f"{name}_s"] = time.perf_counter() - started
        result[f"{name}_cpu"] = time.process_time() - cpu
        result[f"{name}_rows"] = stats.created + stats.queued
        if traced:
            result[f"{name}_py_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        result[f"{name}_rss"] = _rss_mib()
    await db.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child")
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(Path(args.child), args.traced))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        base = workdir / "base.sqlite3"
        started = time.perf_counter()
        counts = asyncio.run(build_base(base, args.members, args.cells))
        print(
            f"roster: {counts['members']} members, {counts['cells']} cells "
            f"(built in {time.perf_counter() - started:.1f} s); machine: {_cpu()}, load {_load()}"
        )
        runs = [
            run_child("bench.meeting_planner", base, workdir, n, traced=False)
            for n in range(args.runs)
        ]
        traced = run_child("bench.meeting_planner", base, workdir, args.runs, traced=True)
    print(f"median of {args.runs} runs (each a fresh process on a fresh copy of the database)")
    print(
        f"{'tick':<12} {'rows':>7} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13} {'py peak MiB':>12}"
    )
    for name, _ in TICKS:
        med = {
            k: statistics.median(r[f"{name}_{k}"] for r in runs)
            for k in ("s", "cpu", "rss", "rows")
        }
        print(
            f"{name:<12} {med['rows']:>7.0f} {med['s']:>8.3f} {med['cpu']:>8.3f} "
            f"{med['rss']:>13.1f} {traced[f'{name}_py_peak_mib']:>12.1f}"
        )


if __name__ == "__main__":
    main()
