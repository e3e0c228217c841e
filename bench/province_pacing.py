"""Province-scale pacing: a bulletin to every linked member against a strict 30/s Bot API.

Run by hand from the repository root: `python bench/province_pacing.py` (see --help).

1. A province-like roster (`--members`, hamlet cells of 30) is written to the database and
   every member links their Telegram account **by sending `/start <invite code>`** to the real
   bot (codes from `InviteRepo.ensure_for`, as `chibo invites` makes them), with the fake's
   limits lifted for this set-up step.
2. Each run: the fake (its own process) enforces Telegram's limits as a strict sliding window
   (30 accepted sends in any second, 1 a second per private chat, 429 with retry_after beyond);
   the real bot (`Chibo.build` + `start`: PTB polling, the scheduler, the delivery worker, one
   sending budget) gets a bulletin to every member queued through `BulletinRepo.publish`
   (tens of thousands of outbox rows). After a warm-up of `--warmup` sends, a window of
   `--window` seconds is measured: the rate the platform saw (accepted sends between the
   window's first and last, divided by the fake's time between them), its 429 answers, and
   this process's CPU time per accepted send (the fake runs in its own process). With
   `--writers N`, N members a second write `/huongdan` or `/lichhop` or press «Đã đọc» on their
   newest bulletin copy meanwhile, from a process of their own (their answers share the budget
   and count in the rate). The rest of the queue is cancelled before the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_process import FakeProcess  # noqa: E402
from bot.app import Chibo  # noqa: E402
from bot.core.config import Config, parse_config  # noqa: E402
from bot.core.textnorm import fold  # noqa: E402
from storage.db import Database, to_db  # noqa: E402
from storage.files import store_file  # noqa: E402
from storage.invites import InviteRepo  # noqa: E402
from tests.scenarios import publish_to_hamlets  # noqa: E402

TOKEN = "123456:TEST-TOKEN"
FIRST_USER = 5_000_000
LIMIT = 30.0
PDF = b"%PDF-1.4\n" + b"0" * 20_000 + b"\n%%EOF\n"


async def seed_province(db: Database, members: int) -> list[int]:
    """A province-like tree: hamlet cells of ~30 members under communes of ~20 cells; the
    members' ids (not linked: they link by `/start`)."""
    now = to_db(datetime(2026, 11, 1, tzinfo=UTC))
    cells = max(1, members // 30)
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
            "VALUES (1, 'T', 'Tỉnh', 'committee', NULL, ?, ?)",
            (now, now),
        )
        communes = max(1, cells // 20)
        await conn.executemany(
            "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
            "VALUES (?, ?, ?, 'committee', 1, ?, ?)",
            [(100 + c, f"X{c}", f"Xã {c}", now, now) for c in range(communes)],
        )
        await conn.executemany(
            "INSERT INTO units (id, code, name, kind, parent_id, created_at, updated_at) "
            "VALUES (?, ?, ?, 'cell_hamlet', ?, ?, ?)",
            [(10_000 + c, f"A{c}", f"Ấp {c}", 100 + c % communes, now, now) for c in range(cells)],
        )
        await conn.executemany(
            "INSERT INTO members (id, unit_id, full_name, name_key, status, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, 'official', ?, ?)",
            [
                (i + 1, 10_000 + i % cells, f"Đảng viên {i}", fold(f"Dang vien {i}"), now, now)
                for i in range(members)
            ],
        )
    return list(range(1, members + 1))


def _config(workdir: Path, fake: FakeProcess, rate: float, interval: float) -> Config:
    raw: dict[str, Any] = {
        "database": {"path": str(workdir / "bench.sqlite3")},
        "telegram": {
            "token": TOKEN,
            "base_url": f"{fake.url}/bot",
            "base_file_url": f"{fake.url}/file/bot",
        },
        "delivery": {"overall_per_second": rate, "private_chat_interval": interval},
    }
    return parse_config(raw, workdir, env={})


async def _post(fake: FakeProcess, path: str, body: Any) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        (await client.post(f"{fake.url}{path}", json=body)).raise_for_status()


async def _stats(fake: FakeProcess) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=60) as client:
        data: dict[str, Any] = (await client.get(f"{fake.url}/__stats")).json()
        return data


async def _link_all(workdir: Path, fake: FakeProcess, members: list[int]) -> float:
    """Every member sends `/start <code>` to the real bot; returns the seconds it took."""
    config = _config(workdir, fake, 1_000_000.0, 0.0)
    chibo = await Chibo.build(config)
    codes = await InviteRepo(chibo.db).ensure_for(members, datetime.now(UTC), timedelta(days=30))
    await chibo.start()
    started = time.perf_counter()
    try:
        batch = [[FIRST_USER + m, f"/start {codes[m]}"] for m in members]
        for i in range(0, len(batch), 2000):
            await _post(fake, "/__texts", batch[i : i + 2000])
        while True:
            row = await chibo.db.fetchone("SELECT COUNT(*) FROM accounts")
            if row is not None and row[0] >= len(members):
                break
            await asyncio.sleep(1.0)
        seconds = time.perf_counter() - started
        await chibo.worker.wait_idle()
    finally:
        await chibo.stop()
    return seconds


WRITER = """
import asyncio, random, sys
import httpx

async def main(url, members, per_second):
    rng = random.Random(18)
    async with httpx.AsyncClient(timeout=60) as client:
        while True:
            user = rng.choice(members)
            kind = rng.choice(["/huongdan", "/lichhop", "press"])
            if kind == "press":
                # «Đã đọc» on the newest bulletin copy this member got (skipped if none yet).
                (await client.post(url + "/__presses", json=[user])).raise_for_status()
            else:
                (await client.post(url + "/__texts", json=[[user, kind]])).raise_for_status()
            await asyncio.sleep(1.0 / per_second)

url, per_second, first, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
asyncio.run(main(url, list(range(first + 1, first + count + 1)), per_second))
"""


async def _writers(fake: FakeProcess, members: list[int], per_second: float) -> Any:
    """Members writing `/huongdan` or `/lichhop` or pressing «Đã đọc», from their own process
    (their phones): the writing costs the bot's process nothing but the updates it receives."""
    assert members == list(range(1, len(members) + 1))
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WRITER,
        fake.url,
        str(per_second),
        str(FIRST_USER),
        str(len(members)),
    )


async def _sample_room(chibo: Chibo, room: list[bool]) -> None:
    """Every 10 ms: had the window room for another send (the pacing was not what held back)?"""
    assert chibo.worker is not None
    budget = chibo.worker.budgets["telegram"]
    while True:
        room.append(budget.available(time.monotonic(), bulk=False) > 0)
        await asyncio.sleep(0.01)


async def _run(
    workdir: Path, fake: FakeProcess, members: list[int], issue: int, args: argparse.Namespace
) -> dict[str, float]:
    await _post(fake, "/__limits", {"overall_per_second": LIMIT, "private_chat_interval": 1.0})
    chibo = await Chibo.build(_config(workdir, fake, LIMIT, 1.0))
    await chibo.start()
    writer: Any = None
    room: list[bool] = []
    if args.margin is not None:
        chibo.worker.budgets["telegram"].window_cap = max(1, int(LIMIT) - args.margin)
    try:
        stored = store_file(PDF, workdir / "bulletins", f"ttt-{issue}.pdf")
        count = await publish_to_hamlets(chibo.db, stored, f"{issue}/2026", datetime.now(UTC))
        chibo.worker.wake()
        base = (await _stats(fake))["sends"]["count"]
        # Polling another process's counters: nothing here to wait on instead.
        while (await _stats(fake))["sends"]["count"] - base < args.warmup:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        if args.writers:
            writer = await _writers(fake, members, args.writers)
            await asyncio.sleep(1.0)  # the writers' process is up and writing
        sampler = asyncio.create_task(_sample_room(chibo, room))
        first = await _stats(fake)
        steps = chibo.worker.steps
        cpu = time.process_time()
        await asyncio.sleep(args.window)
        last = await _stats(fake)
        cpu = time.process_time() - cpu
        steps = chibo.worker.steps - steps
        sampler.cancel()
    finally:
        if writer is not None:
            writer.terminate()
            await writer.wait()
        await chibo.stop()
    sends = last["sends"]["count"] - first["sends"]["count"]
    span = last["sends"]["last"] - first["sends"]["last"]
    db = await Database.open(workdir / "bench.sqlite3")
    async with db.write() as conn:
        await conn.execute("UPDATE outbox SET status = 'cancelled' WHERE status = 'pending'")
    await db.close()

    # The bulletin copies go as documents; members' answers as text messages (both counted).
    def answers(stats: dict[str, Any]) -> int:
        return int(stats["calls_by_method_status"].get("sendMessage 200", 0))

    return {
        "queued": count,
        "sends": sends,
        "answers": answers(last) - answers(first),
        "rate": sends / span,
        "share": sends / span / LIMIT,
        "429": last["too_many_requests"] - first["too_many_requests"],
        "cpu_ms": 1000 * cpu / max(1, sends),
        "steps": steps / max(1, sends),
        "room": sum(room) / max(1, len(room)),
    }


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        fake = FakeProcess(None, None)
        try:
            await fake.ready()
            db = await Database.open(workdir / "bench.sqlite3")
            members = await seed_province(db, args.members)
            await db.close()
            seconds = await _link_all(workdir, fake, members)
            print(f"linked {len(members):,} members by /start in {seconds:.0f} s", flush=True)
            issue = 1
            for writers in (0.0, args.writers_rate):
                results = []
                for run in range(args.runs):
                    args.writers = writers
                    result = await _run(workdir, fake, members, issue, args)
                    issue += 1
                    results.append(result)
                    print(
                        f"  writers {writers:g}/s run {run + 1}: {result['queued']:,} queued, "
                        f"{result['sends']} sends in the window ({result['answers']} of them answers), "
                        f"{result['rate']:.2f}/s = "
                        f"{result['share']:.1%} of 30/s as the fake saw it, "
                        f"429s {result['429']}, CPU {result['cpu_ms']:.2f} ms/send, "
                        f"{result['steps']:.1f} worker steps/send, window had room "
                        f"{result['room']:.0%} of the time",
                        flush=True,
                    )
                share = statistics.median(r["share"] for r in results)
                total_429 = sum(r["429"] for r in results)
                total_sends = sum(r["sends"] for r in results)
                cpu = statistics.median(r["cpu_ms"] for r in results)
                print(
                    f"writers {writers:g}/s: median share {share:.1%}, 429s {total_429} in "
                    f"{total_sends} sends, median CPU {cpu:.2f} ms per send",
                    flush=True,
                )
        finally:
            fake.stop()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=150, help="sends before the window")
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured")
    parser.add_argument(
        "--margin", type=int, default=None, help="override the budget's window margin"
    )
    parser.add_argument("--writers-rate", type=float, default=5.0, help="members writing /s")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main(args))


if __name__ == "__main__":
    cli()
