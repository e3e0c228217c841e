"""Benchmark: the committees' dashboard over a province with a year of activity.

Run from the repository root:  python -m bench.web_dashboard [--members N] [--cells N]
                               [--keep PATH] [--reuse PATH]

Data (through the repositories and planners the bot uses, on a fake clock):
  roster    bench/meeting_planner.py's build_base (RosterRepo import; every member linked);
  tasks     in January each cell gives one task to all its members (TaskRepo.create), in June a
            second one to every other member;
  each month of 2026:
            the meeting planner creates the month's regular meetings (materialise); the
            check-in planner opens every cell's round (plan_checkins); one member in three
            answers each of their tasks (CheckinRepo.answer); 1 meeting in 20 is moved and 1 in 50
            cancelled (MeetingRepo.change); every other meeting gets its attendance
            (AttendanceRepo.save_attendance: 80 % present, 10 % excused, 10 % absent); the
            bulletin goes to every cell (BulletinRepo.publish) and one member in five marks it
            read (BulletinRepo.record_read).
Timed: one cold computation of the province's year on the event loop; then per run, on a fresh
dashboard server (real aiohttp on 127.0.0.1, an admin signed in by a one-time link): the
warming task's work (the province's month and year in its worker thread), the province page
for the year and for December, each chart, the exports, a commune's and a cell's page and the
cell's members export. Wall and CPU seconds per request, median of the runs, and RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from bench.meeting_planner import build_base
from bench.roster_import import _cpu, _load, _rss_mib
from bot.core.clock import FakeClock
from bot.core.config import Config, WebConfig
from bot.core.types import Reply
from bot.web.server import WebDashboard
from bot.web.session import COOKIE
from handlers.context import Ctx
from handlers.dashboard import Period, build
from scheduler.checkin_planner import plan_checkins
from scheduler.meeting_planner import materialise
from storage.attendance import AttendanceRepo
from storage.bulletin_reads import BulletinReadRepo
from storage.bulletins import BulletinRepo, Scope
from storage.checkins import CheckinRepo
from storage.files import store_file
from storage.meetings import MeetingRepo
from storage.members import MemberRepo
from storage.tasks import TaskRepo
from storage.web_access import WebAccessRepo, new_token

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
YEAR = 2026


def _say(text: str) -> None:
    print(text, flush=True)


async def make_year(ctx: Ctx, clock: FakeClock, tmp: Path) -> None:
    """A year of meetings, check-ins and bulletins for every cell, through the repositories."""
    rnd = random.Random(17)
    db = ctx.db
    tasks, meetings, bulletins = TaskRepo(db), MeetingRepo(db), BulletinRepo(db)
    reads_repo, checkins = BulletinReadRepo(db), CheckinRepo(db)
    attendance = AttendanceRepo(db)
    cells = [
        (r[0], r[1])
        for r in await db.fetchall(
            "SELECT u.id, (SELECT MIN(id) FROM members m WHERE m.unit_id = u.id) FROM units u "
            "WHERE u.kind != 'committee'"
        )
    ]
    people: dict[int, list[int]] = {}
    for unit_id, member_id in await db.fetch_tuples(
        "SELECT unit_id, id FROM members WHERE active = 1 ORDER BY id"
    ):
        people.setdefault(unit_id, []).append(member_id)
    stored = store_file(PDF, tmp / "files", "thong-tin.pdf")
    for month in range(1, 13):
        started = time.perf_counter()
        clock.set(datetime(YEAR, month, 1, 1, 0, tzinfo=UTC))
        now = clock.now()
        await materialise(ctx, now)
        if month in (1, 6):
            for unit_id, leader in cells:
                who = people.get(unit_id, [])
                assignees = who if month == 1 else who[::2]
                if assignees:
                    await tasks.create(
                        unit_id, f"Nhiệm vụ tháng {month}", None, assignees, leader, now
                    )
        await plan_checkins(ctx)
        period = f"{YEAR:04d}-{month:02d}"
        rounds = await db.fetch_tuples(
            "SELECT id, unit_id FROM checkin_rounds WHERE period = ?", (period,)
        )
        open_tasks = await db.fetch_tuples(
            "SELECT t.unit_id, t.id, x.member_id FROM tasks t JOIN task_assignees x "
            "ON x.task_id = t.id WHERE t.status = 'open'"
        )
        by_unit: dict[int, list[tuple[int, int]]] = {}
        for unit_id, task_id, member_id in open_tasks:
            by_unit.setdefault(unit_id, []).append((task_id, member_id))
        answer_at = now + timedelta(days=1)
        answers = 0
        for round_id, unit_id in rounds:
            for task_id, member_id in by_unit.get(unit_id, []):
                if member_id % 3 == month % 3:
                    await checkins.answer(round_id, task_id, member_id, "doing", answer_at)
                    answers += 1
        # The month's meetings: some moved, a few cancelled, the others' attendance taken.
        rows = await db.fetch_tuples(
            "SELECT id FROM meetings WHERE kind = 'regular' AND period = ?", (period,)
        )
        after = now + timedelta(days=20)
        for (meeting_id,) in rows:
            meeting = await meetings.get(meeting_id)
            assert meeting is not None
            roll = rnd.random()
            if roll < 0.02:
                await meetings.change(meeting, cancel=True, now=now, messages=lambda m: [])
                continue
            if roll < 0.07:
                moved = await meetings.change(
                    meeting,
                    starts_at=meeting.starts_at + timedelta(days=2),
                    now=now,
                    messages=lambda m: [],
                )
                assert moved is not None
            if roll < 0.5:
                marks = {}
                for member_id in people.get(meeting.unit_id, []):
                    r = rnd.random()
                    marks[member_id] = "present" if r < 0.8 else "excused" if r < 0.9 else "absent"
                if marks:
                    await attendance.save_attendance(meeting_id, marks, next(iter(marks)), after)
        bulletin_id, queued = await bulletins.publish(
            issue=f"{month}/{YEAR}",
            title=f"Thông tin tư tưởng tháng {month}",
            file=stored,
            scope=Scope("cells"),
            publisher_member_id=None,
            progress=None,
            send_at=now,
            now=now,
            render=lambda b, m: Reply("Bản tin"),
        )
        reads = 0
        for members in people.values():
            for member_id in members[month % 5 :: 5]:
                await reads_repo.record_read(bulletin_id, member_id, now + timedelta(days=3))
                reads += 1
        _say(
            f"  {period}: {len(rounds)} rounds, {answers} answers, {len(rows)} meetings, "
            f"bulletin to {queued}, {reads} reads ({time.perf_counter() - started:.0f} s)"
        )


async def timed(http: aiohttp.ClientSession, url: str, cookie: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of one request (server and client share this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    async with http.get(url, headers={"Cookie": f"{COOKIE}={cookie}"}) as r:
        body = await r.read()
        assert r.status == 200, (url, r.status)
    return time.perf_counter() - started, time.process_time() - cpu, len(body)


async def measure(path: Path, runs: int) -> None:
    from storage.db import Database

    db = await Database.open(path)
    clock = FakeClock(datetime(YEAR, 12, 20, 3, 0, tzinfo=UTC))
    config = Config(
        base_dir=path.parent,
        web=WebConfig(port=1, public_url="http://127.0.0.1", warm_minutes=0),
    )
    ctx = Ctx.build(db, config, clock)
    province = (await db.fetchone("SELECT id FROM units WHERE parent_id IS NULL"))[0]  # type: ignore[index]
    commune = (
        await db.fetchone(
            "SELECT id FROM units WHERE parent_id = ? AND kind = 'committee' LIMIT 1", (province,)
        )
    )[0]  # type: ignore[index]
    cell = (await db.fetchone("SELECT id FROM units WHERE kind != 'committee' LIMIT 1"))[0]  # type: ignore[index]
    admin = (await db.fetchone("SELECT MIN(id) FROM members"))[0]  # type: ignore[index]
    await MemberRepo(db).grant(admin, "admin", province)
    access = WebAccessRepo(db)

    rss_before = _rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    await build(ctx, province, [province], Period(YEAR, None))
    build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    _say(
        f"one cold build of the province's year on the event loop: {build_s:.2f} s wall, "
        f"{build_cpu:.2f} s CPU; RSS {rss_before:.0f} -> {_rss_mib():.0f} MiB"
    )

    results: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    base_paths = {
        "province year page": f"/don-vi/{province}?ky=nam",
        "province month page": f"/don-vi/{province}?ky=thang",
    }
    after_paths = {
        **{
            f"chart {k} svg": f"/bieu-do/{province}/{k}.svg?ky=nam"
            for k in ("meetings", "attendance", "tasks", "bulletin")
        },
        "chart bulletin png": f"/bieu-do/{province}/bulletin.png?ky=nam",
        "export units .xlsx": f"/xuat/{province}/don-vi.xlsx?ky=nam",
        "export months .xlsx": f"/xuat/{province}/thang.xlsx?ky=nam",
        "commune year, cold": f"/don-vi/{commune}?ky=nam",
        "cell year, cold": f"/don-vi/{cell}?ky=nam",
        "export cell members .xlsx": f"/xuat/{cell}/dang-vien.xlsx?ky=nam",
    }
    async with aiohttp.ClientSession() as http:
        for _ in range(runs):
            web = WebDashboard(ctx)
            await web.start("127.0.0.1", 0)
            link = await access.create_link(
                admin, "telegram", clock.now(), clock.now() + timedelta(minutes=5)
            )
            session = new_token()
            assert await access.redeem_link(
                link, clock.now(), session, clock.now() + timedelta(hours=1)
            )
            base = f"http://127.0.0.1:{web.port}"
            # The warming task's work (every warm_minutes in production), timed on its own.
            started, cpu = time.perf_counter(), time.process_time()
            await web.warm_once()
            results.setdefault("warm: province month+year", []).append(
                time.perf_counter() - started
            )
            cpus.setdefault("warm: province month+year", []).append(time.process_time() - cpu)
            sizes["warm: province month+year"] = 0
            for name, p in {**base_paths, **after_paths}.items():
                seconds, cpu, size = await timed(http, base + p, session)
                results.setdefault(name, []).append(seconds)
                cpus.setdefault(name, []).append(cpu)
                sizes[name] = size
            await web.stop()
    _say(f"{'request':<28} {'wall s':>7} {'cpu s':>7} {'wall runs':>18} {'bytes':>9}")
    for name, values in results.items():
        runs_text = " ".join(f"{v:.2f}" for v in values)
        wall, cpu = statistics.median(values), statistics.median(cpus[name])
        _say(f"{name:<28} {wall:>7.3f} {cpu:>7.3f} {runs_text:>18} {sizes[name]:>9,}")
    _say(f"RSS after: {_rss_mib():.0f} MiB")
    await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=45_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="keep the built database at this path")
    parser.add_argument("--reuse", help="time an already built database")
    args = parser.parse_args()
    _say(f"machine: {_cpu()}, load {_load()}")
    if args.reuse:
        await measure(Path(args.reuse), args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        counts = await build_base(path, args.members, args.cells)
        _say(f"roster: {counts['members']} members, {counts['cells']} cells")
        from storage.db import Database

        db = await Database.open(path)
        clock = FakeClock(datetime(YEAR, 1, 1, 1, 0, tzinfo=UTC))
        ctx = Ctx.build(db, Config(base_dir=Path(tmp)), clock)
        await make_year(ctx, clock, Path(tmp))
        await db.close()
        _say(f"data built in {time.perf_counter() - started:.0f} s")
        await measure(path, args.runs)


if __name__ == "__main__":
    asyncio.run(main())
