"""Benchmark: parse and import a province-sized roster (45,000 members, ~1,500 cells).

Run from the repository root:  python -m bench.roster_import [--members N] [--cells N] [--runs N]

Each run is a fresh child process (so its peak RSS, VmHWM, is that run's own): it parses the file,
imports it into an empty database, then imports it again (nothing changes, the everyday case).
Wall and CPU times (process_time, which includes aiosqlite's worker thread) are medians over
the runs; CPU time is the steadier figure on a shared machine. A last child repeats the work under tracemalloc to report the
peak Python allocation of each phase (tracemalloc slows code down, so it is not timed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from bot.roster.reader import read_roster
from storage.db import Database
from storage.roster import RosterRepo
from tests.rosters import build_roster, write_csv, write_xlsx, write_xlsx_openpyxl

ROOT = Path(__file__).resolve().parent.parent


def _rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    # VmHWM is reset by exec; ru_maxrss is not on Linux (a child started by a big parent
    # would report the parent's peak).
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _child(files: list[Path], db_path: Path, traced: bool) -> dict[str, float]:
    result: dict[str, float] = {"rss_start": _rss_mib()}
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    roster = read_roster(files, today=datetime.now(UTC).date())
    result["parse_s"] = time.perf_counter() - started
    result["parse_cpu"] = time.process_time() - cpu
    result["rss_parse"] = _rss_mib()
    if traced:
        result["traced_parse_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
    db = await Database.open(db_path)
    repo = RosterRepo(db)
    started, cpu = time.perf_counter(), time.process_time()
    summary = await repo.import_roster(roster, datetime.now(UTC))
    result["import_s"] = time.perf_counter() - started
    result["import_cpu"] = time.process_time() - cpu
    if traced:
        result["traced_import_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    started, cpu = time.perf_counter(), time.process_time()
    again = await repo.import_roster(roster, datetime.now(UTC))
    result["reimport_s"] = time.perf_counter() - started
    result["reimport_cpu"] = time.process_time() - cpu
    await db.close()
    result["rss_end"] = _rss_mib()
    assert summary.members_created == len(roster.members)
    assert again.members_unchanged == len(roster.members)
    result["members"] = len(roster.members)
    result["units"] = len(roster.units)
    return result


def run_child(module: str, base: Path, workdir: Path, n: int, traced: bool) -> dict[str, float]:
    """One benchmark run of `module --child` in a fresh process on a fresh copy of `base`."""
    copy = workdir / f"run{n}.sqlite3"
    shutil.copyfile(base, copy)
    out = subprocess.run(
        [sys.executable, "-m", module, "--child", str(copy)] + (["--traced"] if traced else []),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    copy.unlink()
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _run_child(path: Path, workdir: Path, n: int, traced: bool) -> dict[str, float]:
    db_path = workdir / f"bench-{path.stem}-{n}.sqlite3"
    command = [sys.executable, "-m", "bench.roster_import", "--child", str(path), str(db_path)]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("ROSTER", "DB"))
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.child:
        source = Path(args.child[0])
        files = sorted(source.glob("*.csv")) if source.is_dir() else [source]
        result = asyncio.run(_child(files, Path(args.child[1]), args.traced))
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        roster = build_roster(args.members, args.cells, seed=1)
        generated = time.perf_counter() - started
        csv_dir = workdir / "csv"
        csv_dir.mkdir()
        sources = {
            "xlsx (as Excel saves it)": write_xlsx(roster, workdir / "excel.xlsx"),
            "xlsx (written by openpyxl)": write_xlsx_openpyxl(roster, workdir / "openpyxl.xlsx"),
            "csv (units.csv + members.csv)": csv_dir,
        }
        write_csv(roster, csv_dir)
        print(
            f"{args.members} members, {len(roster.cells)} cells, {len(roster.units)} units; "
            f"generated in {generated:.1f} s; {args.runs} runs each\n"
            f"Python {platform.python_version()}, openpyxl {openpyxl.__version__}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.machine()} {_cpu()}\n"
        )
        print(f"load average before: {_load()}")
        print(
            "| file | size | parse | import into empty DB | re-import, no change "
            "| peak RSS | tracemalloc peak parse / import |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, path in sources.items():
            runs = [_run_child(path, workdir, n, traced=False) for n in range(args.runs)]
            traced = _run_child(path, workdir, args.runs, traced=True)
            size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.iterdir()))
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"| {label} | {size / 2**20:.1f} MiB "
                f"| {med['parse_s']:.2f} s (CPU {med['parse_cpu']:.2f} s) "
                f"| {med['import_s']:.2f} s (CPU {med['import_cpu']:.2f} s) "
                f"| {med['reimport_s']:.2f} s (CPU {med['reimport_cpu']:.2f} s) "
                f"| {max(r['rss_end'] for r in runs):.0f} MiB (start {med['rss_start']:.0f}) "
                f"| {traced['traced_parse_mib']:.0f} / {traced['traced_import_mib']:.0f} MiB |"
            )
        print(f"\nload average after: {_load()}")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    main()
