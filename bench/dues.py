"""Benchmark: the dues watch (the Statute planner) and the dues book export for a province
(45,000 members, 1,500 cells).

Run from the repository root:  python -m bench.dues [--members N] [--cells N] [--runs N]

The roster comes from tests/rosters.py (generate_roster, CSV) with two columns added to the
members file, the monthly amount due (20,000-120,000 đ, or the «Học sinh, sinh viên»
category) from 01/2026; it goes through the real importer (read_roster with the [dues]
categories, RosterRepo.import_roster), so the amounts are written by the import path. Set-up
SQL (as in tests/seed.py) then links every member to a Telegram account and fills the book:
every member paid January-November 2026, except every 20th member who skipped October and
November and every 50th who skipped September to November (the worst case for the watch:
~3,150 members to report, to their secretary and deputy). Each run is a fresh child process
on a fresh copy of that database and times:
  watch        Monday 2026-12-07 08:30 local: the week's Statute watch over the province;
  steady       the same week again (what every other tick costs: one small read);
  year books   the year's figures of every cell (what the export and /tongket read);
  export       `chibo dues export --unit <province> --year 2026`: summary + one sheet per cell.
Wall and CPU times are medians over the runs; peak RSS (VmHWM) is the child's own. A last child
repeats them under tracemalloc for the peak Python allocation of each (not timed).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.roster_import import _cpu, _load, _rss_mib, run_child
from bot.cli.dues import write_book
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import Config, DuesConfig
from bot.roster.dues import DuesRules
from bot.roster.reader import read_roster
from handlers.context import Ctx
from handlers.dues_year import year_books
from scheduler.dues_planner import plan_dues
from storage.db import Database, to_db
from storage.roster import RosterRepo
from tests.rosters import generate_roster

ROOT = Path(__file__).resolve().parent.parent
WATCH_AT = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
STEADY_AT = datetime(2026, 12, 7, 1, 31, tzinfo=UTC)
DUES = DuesConfig(categories=("Học sinh, sinh viên = 5000",), keep_percent=30)


def add_dues_columns(members_csv: Path) -> None:
    """The generated members file (header in its first row) with the two dues columns."""
    with members_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    width = len(rows[0])
    rows[0] += list(texts.ROSTER_DUES_HEADERS.values())
    for number, row in enumerate(rows[1:]):
        # Rows may end early (empty trailing columns, e.g. the attachment ones): pad them, so the
        # dues values land under their own headers.
        row += [""] * (width - len(row))
        amount = "Học sinh, sinh viên" if number % 40 == 0 else f"{20 + number % 11 * 10}.000đ"
        row += [amount, "01/2026"]
    with members_csv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)


async def build_base(db_path: Path, members: int, cells: int) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "csv"
        generate_roster(folder, members=members, cells=cells)
        files = sorted(folder.iterdir())
        add_dues_columns(folder / "members.csv")
        roster = read_roster(files, today=date(2026, 1, 2), dues=DuesRules.from_config(DUES))
    db = await Database.open(db_path)
    now = datetime(2026, 1, 2, tzinfo=UTC)
    summary = await RosterRepo(db).import_roster(roster, now)
    async with db.write() as conn:
        # Bench set-up, like tests/seed.py: accounts and a year of payments.
        await conn.execute(
            "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
            "SELECT 'telegram', CAST(id + 100000 AS TEXT), CAST(id + 100000 AS TEXT), id, ? "
            "FROM members",
            (to_db(now),),
        )
        await conn.execute(
            "WITH RECURSIVE months(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM months "
            "WHERE n < 11) "
            "INSERT INTO dues_payments (member_id, unit_id, period, amount, method, paid_on, "
            "recorded_by, recorded_at) "
            "SELECT m.id, m.unit_id, printf('2026-%02d', n), a.amount, 'cash', "
            "printf('2026-%02d-05', n), NULL, ? FROM members m JOIN months "
            "JOIN dues_amounts a ON a.member_id = m.id WHERE a.amount > 0 "
            "AND NOT (m.id % 20 = 0 AND n >= 10) AND NOT (m.id % 50 = 0 AND n >= 9)",
            (to_db(now),),
        )
    row = await db.fetchone("SELECT COUNT(*) FROM dues_payments")
    counts = {
        "members": summary.members_created,
        "amounts": summary.dues_set,
        "payments": int(row[0]) if row else 0,
        "cells": int(
            (await db.fetchone("SELECT COUNT(*) FROM units WHERE kind != 'committee'"))[0]  # type: ignore[index]
        ),
    }
    await db.close()
    return counts


async def child(db_path: Path, traced: bool) -> dict[str, float]:
    db = await Database.open(db_path)
    clock = FakeClock(WATCH_AT)
    ctx = Ctx.build(db, Config(base_dir=db_path.parent, dues=DUES), clock)
    root = await db.fetchone("SELECT id, code FROM units WHERE parent_id IS NULL")
    assert root is not None
    result: dict[str, float] = {}
    books: dict[str, Any] = {}

    async def watch() -> float:
        clock.set(WATCH_AT)
        return (await plan_dues(ctx)).warnings

    async def steady() -> float:
        clock.set(STEADY_AT)
        return (await plan_dues(ctx)).warnings

    async def read_books() -> float:
        cells = await ctx.units.cells_under(int(root[0]))
        books["cells"] = cells
        books["books"] = await year_books(ctx, [c.id for c in cells], 2026)
        return float(len(cells))

    async def export() -> float:
        out = db_path.with_suffix(".xlsx")
        write_book(out, 2026, books["cells"], books["books"], 30, summary=True)
        return out.stat().st_size / 2**20

    for name, step in (
        ("watch", watch),
        ("steady", steady),
        ("books", read_books),
        ("export", export),
    ):
        if traced:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        result[f"{name}_rows"] = await step()
        result[f"{name}_s"] = time.perf_counter() - started
        result[f"{name}_cpu"] = time.process_time() - cpu
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
    parser.add_argument("--runs", type=int, default=3)
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
            f"roster: {counts['members']} members ({counts['amounts']} amounts due imported), "
            f"{counts['cells']} cells, {counts['payments']} payments "
            f"(built in {time.perf_counter() - started:.1f} s); machine: {_cpu()}, load {_load()}"
        )
        runs = [run_child("bench.dues", base, workdir, n, traced=False) for n in range(args.runs)]
        traced = run_child("bench.dues", base, workdir, args.runs, traced=True)
    print(f"median of {args.runs} runs (each a fresh process on a fresh copy of the database)")
    print(
        f"{'step':<8} {'result':>9} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13} {'py peak MiB':>12}"
    )
    for name in ("watch", "steady", "books", "export"):
        med = {
            k: statistics.median(r[f"{name}_{k}"] for r in runs)
            for k in ("s", "cpu", "rss", "rows")
        }
        print(
            f"{name:<8} {med['rows']:>9.1f} {med['s']:>8.3f} {med['cpu']:>8.3f} "
            f"{med['rss']:>13.1f} {traced[f'{name}_py_peak_mib']:>12.1f}"
        )
    print("result: watch/steady = warnings queued, books = cells, export = file size in MiB")


if __name__ == "__main__":
    main()
