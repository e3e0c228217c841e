"""The meeting planner is idempotent: run twice, after downtime, after a crash before sending."""

from __future__ import annotations

from pathlib import Path

from bot.app import Chibo
from bot.core import texts
from bot.core.types import Incoming
from handlers import Dispatcher
from tests.conftest import World, make_config
from tests.seed import TG_IDS
from tests.test_meetings import at, settle, tick_at

MEMBERS = ("an", "cuong", "dung")


def reminders_to(world: World, key: str) -> list[str]:
    return [
        m["text"]
        for m in world.fake.sent_to(TG_IDS[key])
        if m["text"].startswith(("🔔", texts.REMINDER_LATE))
    ]


async def linked_world(world: World) -> World:
    for key in MEMBERS:
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")  # materialises the December meetings
    return world


async def test_running_twice_queues_nothing_twice(world: World) -> None:
    await linked_world(world)
    await tick_at(world, "2026-12-02T01:00:00")
    await world.chibo.tick()
    await world.chibo.tick()
    await settle(world)
    for key in MEMBERS:
        assert len(reminders_to(world, key)) == 1
    rows = await world.rows("SELECT COUNT(*) AS n FROM outbox WHERE dedupe_key LIKE '%remind:3d'")
    assert rows[0]["n"] == 3


async def test_after_six_hours_down_reminders_go_late_and_flagged(
    world: World, tmp_path: Path
) -> None:
    await linked_world(world)
    await world.chibo.stop()
    # Down from 07:00 to 14:00 local on Wednesday: the 08:00 reminder fell due meanwhile.
    world.clock.set(at("2026-12-02T07:00:00"))
    world.chibo = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await world.chibo.start()
    await world.chibo.tick()
    await world.chibo.tick()
    await settle(world)
    for key in MEMBERS:
        [late] = reminders_to(world, key)
        assert late.startswith(texts.REMINDER_LATE)
    rounds = await world.rows("SELECT outcome FROM meeting_reminder_rounds WHERE label = '3d'")
    assert {r["outcome"] for r in rounds} == {"late"}


async def test_after_the_grace_period_a_reminder_is_skipped_not_sent(world: World) -> None:
    await linked_world(world)
    # 13 hours after the 3-day reminder fell due (grace: 12 hours): skipped.
    await tick_at(world, "2026-12-02T14:00:00")
    assert all(reminders_to(world, key) == [] for key in MEMBERS)
    # The 2-hour reminder still comes on time.
    await tick_at(world, "2026-12-05T10:00:00")
    for key in MEMBERS:
        [reminder] = reminders_to(world, key)
        assert not reminder.startswith(texts.REMINDER_LATE)


async def test_a_crash_between_queueing_and_sending_loses_and_repeats_nothing(
    world: World, tmp_path: Path
) -> None:
    await linked_world(world)
    await world.chibo.stop()
    # A bot that plans but dies before its worker sends anything (never started).
    world.clock.set(at("2026-12-02T01:00:00"))
    planner_only = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await planner_only.tick()
    pending = await planner_only.db.fetchall(
        "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND dedupe_key LIKE '%remind%'"
    )
    assert pending[0]["n"] == 3
    await planner_only.db.close()  # the "crash": nothing else is cleaned up
    world.chibo = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await world.chibo.start()
    await world.chibo.tick()  # runs again after the restart
    await settle(world)
    for key in MEMBERS:
        assert len(reminders_to(world, key)) == 1


async def test_rescheduling_withdraws_queued_reminders_and_plans_new_ones(
    world: World, tmp_path: Path
) -> None:
    await linked_world(world)
    await world.chibo.stop()
    world.clock.set(at("2026-12-02T01:00:00"))
    # No worker: the reminders stay queued while the secretary moves the meeting.
    bot = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await bot.tick()
    dispatch = Dispatcher(bot.ctx)
    an = str(TG_IDS["an"])
    [reply] = await dispatch(Incoming("telegram", an, an, text="/datlich 8/12 19h"))
    assert reply.text.startswith(texts.DATLICH_DONE.format(count=3, block="")[:20])
    rows = await bot.db.fetchall("SELECT dedupe_key, status FROM outbox ORDER BY id")
    old = [r["status"] for r in rows if ":v1:" in r["dedupe_key"] and "remind" in r["dedupe_key"]]
    assert old == ["cancelled"] * 3
    assert sum(1 for r in rows if ":v2:" in r["dedupe_key"] and "changed" in r["dedupe_key"]) == 3
    # Tue 08/12 19:00 -> 3 days before at 08:00 is Sat 05/12 01:00 UTC.
    world.clock.set(at("2026-12-05T01:00:00"))
    await bot.tick()
    rows = await bot.db.fetchall(
        "SELECT COUNT(*) AS n FROM outbox WHERE dedupe_key LIKE '%:v2:%remind:3d'"
    )
    assert rows[0]["n"] == 3
    await bot.db.close()
    world.chibo = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await world.chibo.start()
