"""Benchmark: printable invites for a whole province (45,000 members not yet linked, 1,500 cells).

Run from the repository root:  python -m bench.invites [--members N] [--cells N] [--runs N]

The generated roster (tests/rosters.py) is imported with RosterRepo; each run is a fresh child
process calling `bot.cli.invites.write_invites` for the province's root unit into an empty folder
(as `chibo invites --unit T --out DIR`): invite codes (created on the first run, reused after),
one HTML sheet and one CSV per cell, the index. Printed: wall and CPU time (medians), the bytes
and files written.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.roster_import import _cpu, _load
from bot.cli.invites import write_invites
from bot.core.clock import FakeClock
from bot.core.config import parse_config
from bot.roster.reader import read_roster
from storage.db import Database
from storage.roster import RosterRepo
from tests.rosters import generate_roster

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


async def build(db_path: Path, members: int, cells: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        generate_roster(Path(tmp) / "csv", members=members, cells=cells)
        roster = read_roster(sorted((Path(tmp) / "csv").iterdir()), today=NOW.date())
    db = await Database.open(db_path)
    await RosterRepo(db).import_roster(roster, NOW)
    await db.close()


async def child(db_path: Path, out_dir: Path) -> dict[str, float]:
    config = parse_config({"database": {"path": str(db_path)}}, db_path.parent, env={})
    started, cpu = time.perf_counter(), time.process_time()
    code = await write_invites(
        config, "T", out_dir, bot_username="chibo_tinh_bot", out=io.StringIO(), clock=FakeClock(NOW)
    )
    assert code == 0
    return {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}


def written(out_dir: Path) -> dict[str, float]:
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    return {"files": len(files), "mib": sum(p.stat().st_size for p in files) / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        out_dir = Path(args.child[1])
        timing = asyncio.run(child(Path(args.child[0]), out_dir))
        print(json.dumps({**timing, **written(out_dir)}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "invites.sqlite3"
        asyncio.run(build(db_path, args.members, args.cells))
        print(
            f"roster: {args.members} members, {args.cells} cells; machine: {_cpu()}, load {_load()}"
        )
        runs = []
        for n in range(args.runs):
            out_dir = Path(tmp) / f"out{n}"
            proc = subprocess.run(
                [sys.executable, "-m", "bench.invites", "--child", str(db_path), str(out_dir)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            shutil.rmtree(out_dir)
            print(f"run {n + 1}: {runs[-1]}", flush=True)
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "files", "mib")}
    print(
        f"median of {args.runs}: wall {med['wall']:.1f} s, CPU {med['cpu']:.1f} s, "
        f"{med['files']:.0f} files, {med['mib']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
