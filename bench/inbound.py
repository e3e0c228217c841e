"""Benchmark: inbound at the framework's pace. Chibo answering /lichhop and /huongdan from linked
members of a province, side by side with a bare PTB echo bot, against the same fake Bot API.

Run from the repository root:  python -m bench.inbound [--members 45000] [--updates 3000] [--runs 3]

Set-up (once): the fake Bot API in its own process (limits lifted); the generated roster
(tests/rosters.py) imported with RosterRepo, invite codes made as `chibo invites` makes them, this
month's and next month's meetings materialised, and every member linked the way members link:
their `/start CODE` queued at the fake and handled by a real `chibo run` child process.
Each run, for each bot in turn: the fake's state is reset, `--updates` messages are queued at once
(alternately /lichhop and /huongdan, each from another linked member), the bot is started as a
child process and left until every member has had an answer. The rate is updates over the time
between the first and the last message the fake accepted; CPU is the child's (user + system) at
that moment, per update. Medians over the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.fake_process import ROOT, FakeProcess
from bench.roster_import import _cpu, _load
from bot.core.clock import FakeClock
from bot.core.config import Config
from bot.roster.reader import read_roster
from handlers.context import Ctx
from scheduler.meeting_planner import materialise
from storage.db import Database
from storage.inbox import prune_inbox
from storage.invites import InviteRepo
from storage.roster import RosterRepo
from tests.rosters import generate_roster

TOKEN = "123456:TEST-TOKEN"
FIRST_USER = 7_000_000_000


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _config(path: Path, fake: FakeProcess, db: Path) -> None:
    path.write_text(
        f"""
[database]
path = "{db}"
[telegram]
token = "{TOKEN}"
base_url = "{fake.url}/bot"
base_file_url = "{fake.url}/file/bot"
[delivery]
overall_per_second = 100000.0
private_chat_interval = 0.0
""",
        encoding="utf-8",
    )


async def _push(fake: FakeProcess, items: list[tuple[int, str]]) -> None:
    async with httpx.AsyncClient(timeout=120) as client:
        for i in range(0, len(items), 5000):
            answer = await client.post(f"{fake.url}/__texts", json=items[i : i + 5000])
            answer.raise_for_status()


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    with log.open("ab") as err:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)


async def build(workdir: Path, fake: FakeProcess, members: int, cells: int) -> list[int]:
    """The province imported and linked through /start; returns the members' user ids."""
    db_path = workdir / "base.sqlite3"
    if db_path.exists():
        # Kept from an earlier run (--workdir): linked already.
        db = await Database.open(db_path)
        rows = await db.fetch_tuples("SELECT user_id FROM accounts ORDER BY member_id")
        await db.close()
        print(f"reusing {db_path}: {len(rows)} linked members")
        return [int(r[0]) for r in rows]
    now = datetime.now(UTC)  # the child bots run on the wall clock
    with tempfile.TemporaryDirectory() as tmp:
        generate_roster(Path(tmp) / "csv", members=members, cells=cells)
        roster = read_roster(sorted((Path(tmp) / "csv").iterdir()), today=now.date())
    db = await Database.open(db_path)
    await RosterRepo(db).import_roster(roster, now)
    ids = [int(r[0]) for r in await db.fetch_tuples("SELECT id FROM members ORDER BY id")]
    codes = await InviteRepo(db).ensure_for(ids, now, timedelta(days=30))
    await materialise(Ctx.build(db, Config(base_dir=workdir), FakeClock(now)), now)
    await db.close()
    users = [FIRST_USER + member_id for member_id in ids]
    await fake.reset()
    await _push(fake, [(FIRST_USER + m, f"/start {c}") for m, c in codes.items()])
    config = workdir / "link.toml"
    _config(config, fake, db_path)
    started = time.perf_counter()
    bot = _start(
        [sys.executable, "-m", "bot", "--config", str(config), "run"], workdir / "link.log"
    )
    try:
        while True:
            await asyncio.sleep(2)  # polling a real child process
            db = await Database.open(db_path, upgrade=False)
            row = await db.fetchone("SELECT COUNT(*) FROM accounts")
            await db.close()
            linked = int(row[0]) if row else 0
            if linked >= len(ids):
                break
            if bot.poll() is not None:
                raise RuntimeError("chibo stopped while linking")
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(60)
    print(f"linked {len(ids)} members through /start in {time.perf_counter() - started:.0f} s")
    # The fake numbers updates from 1 again after each reset: forget the handled ones, as the
    # retention pass does two days on.
    db = await Database.open(db_path)
    await prune_inbox(db, now + timedelta(days=365))
    await db.close()
    return users


async def measure(
    kind: str,
    workdir: Path,
    fake: FakeProcess,
    users: list[int],
    updates: int,
    seed: int,
    profile: Path | None = None,
) -> dict[str, float]:
    rng = random.Random(seed)
    chosen = rng.sample(users, updates)
    items = [(u, "/lichhop" if i % 2 == 0 else "/huongdan") for i, u in enumerate(chosen)]
    await fake.reset()
    await _push(fake, items)
    if kind == "chibo":
        db = workdir / f"run-{seed}.sqlite3"
        shutil.copyfile(workdir / "base.sqlite3", db)
        config = workdir / f"run-{seed}.toml"
        _config(config, fake, db)
        args = [sys.executable, "-m", "bot", "--config", str(config), "run"]
        if profile is not None:
            args[1:1] = ["-m", "cProfile", "-o", str(profile)]
    else:
        args = [sys.executable, "-m", "bench.echo_bot", f"{fake.url}/bot", TOKEN]
    bot = _start(args, workdir / f"{kind}.log")
    # CPU is counted from the first answer on: start-up (imports, connecting) is not per update.
    first: tuple[float, int] | None = None
    try:
        while True:
            await asyncio.sleep(0.2)  # polling a real child process
            stats = await fake.stats()
            if first is None and stats["chats_sent_to"]:
                first = (_cpu_seconds(bot.pid), stats["chats_sent_to"])
            if stats["chats_sent_to"] >= updates:
                assert first is not None
                cpu = _cpu_seconds(bot.pid) - first[0]
                counted = updates - first[1]
                break
            if bot.poll() is not None:
                raise RuntimeError(f"{kind} stopped early")
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(60)
    sends = stats["sends"]
    span = sends["last"] - sends["first"]
    return {"rate": updates / span, "cpu_ms": cpu * 1000 / counted, "sends": sends["count"]}


async def run(
    members: int, cells: int, updates: int, runs: int, keep: Path | None, profile: Path | None
) -> None:
    fake = FakeProcess()
    await fake.ready()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = keep or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            users = await build(workdir, fake, members, cells)
            if profile is not None:
                print(await measure("chibo", workdir, fake, users, updates, 99, profile))
                return
            print(f"machine: {_cpu()}, load {_load()}; {updates} updates per bot and run")
            results: dict[str, list[dict[str, float]]] = {"echo": [], "chibo": []}
            for n in range(runs):
                for kind in ("echo", "chibo"):
                    result = await measure(kind, workdir, fake, users, updates, n)
                    results[kind].append(result)
                    print(f"run {n + 1} {kind:<6} {result}", flush=True)
    finally:
        fake.stop()
    med = {
        kind: {k: statistics.median(r[k] for r in rs) for k in ("rate", "cpu_ms", "sends")}
        for kind, rs in results.items()
    }
    for kind, m in med.items():
        print(
            f"{kind:<6} median {m['rate']:.0f} updates/s, {m['cpu_ms']:.2f} ms CPU per update, "
            f"{m['sends']:.0f} messages"
        )
    print(f"ratio chibo/echo: {med['chibo']['rate'] / med['echo']['rate']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--updates", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the linked province here for reuse")
    parser.add_argument("--profile", type=Path, help="one Chibo run under cProfile, stats here")
    args = parser.parse_args()
    asyncio.run(run(args.members, args.cells, args.updates, args.runs, args.workdir, args.profile))


if __name__ == "__main__":
    main()
