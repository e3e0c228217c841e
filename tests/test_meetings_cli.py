"""`chibo meetings list|set|observe` against the running bot's database, and the observer's
reminders: the committee member assigned to a cell is reminded like its members."""

from __future__ import annotations

import io
from pathlib import Path

from bot.cli.meetings import meetings_list, meetings_observe, meetings_set
from bot.core import texts
from tests.conftest import World
from tests.seed import TG_IDS
from tests.test_meetings import settle, tick_at


def _observer_reminders(world: World) -> list[str]:
    prefix = texts.REMINDER_OBSERVER.split("{")[0]
    return [m["text"] for m in world.fake.sent_to(TG_IDS["hung"]) if m["text"].startswith(prefix)]


async def test_set_list_and_observe_from_the_command_line(world: World) -> None:
    config = world.chibo.config
    for key in ("an", "cuong", "hung"):
        await world.link(key)
    out = io.StringIO()
    # Đặng Văn Hùng (cell B) is assigned to attend cell A's meetings.
    assert await meetings_observe(config, "A", "093007", out=out, clock=world.clock) == 0
    assert out.getvalue().strip() == texts.CLI_OBSERVER_ADDED.format(
        name="Đặng Văn Hùng", unit="Chi bộ ấp Tân Thành"
    )
    again = io.StringIO()
    await meetings_observe(config, "A", "Dang Van Hung", out=again, clock=world.clock)
    assert "đã được phân công" in again.getvalue()

    moved = io.StringIO()
    code = await meetings_set(
        config, "A", at="7/12 19h30", place="Nhà văn hóa ấp Tân Thành", out=moved, clock=world.clock
    )
    assert code == 0, moved.getvalue()
    world.chibo.worker.wake()
    await settle(world)
    change_prefix = texts.CHANGE_NOTICE.split("{")[0]
    [notice] = [
        m["text"]
        for m in world.fake.sent_to(TG_IDS["cuong"])
        if m["text"].startswith(change_prefix)
    ]
    assert "07/12/2026 lúc 19:30" in notice and "Nhà văn hóa ấp Tân Thành" in notice

    listing = io.StringIO()
    assert await meetings_list(config, "X", out=listing, clock=world.clock) == 0
    text = listing.getvalue()
    assert "Chi bộ ấp Tân Thành:" in text and "Chi bộ ấp Phú Lợi:" in text
    assert "07/12/2026 lúc 19:30" in text

    # Three days before at 08:00 local: members and the observer are reminded, once.
    assert _observer_reminders(world) == []
    await tick_at(world, "2026-12-04T01:00:00")
    await tick_at(world, "2026-12-04T01:01:00")
    [reminder] = _observer_reminders(world)
    assert "07/12/2026 lúc 19:30" in reminder
    hung_buttons = world.fake.last_message(TG_IDS["hung"]).get("reply_markup")
    assert hung_buttons is None  # an observer does not answer for the cell
    remind_prefix = texts.REMINDER.split("{")[0]
    assert any(m["text"].startswith(remind_prefix) for m in world.fake.sent_to(TG_IDS["cuong"]))

    removed = io.StringIO()
    await meetings_observe(config, "A", "093007", remove=True, out=removed, clock=world.clock)
    assert removed.getvalue().strip() == texts.CLI_OBSERVER_REMOVED.format(
        name="Đặng Văn Hùng", unit="Chi bộ ấp Tân Thành"
    )


async def test_set_takes_a_monthly_rule_and_refuses_bad_input(world: World) -> None:
    config = world.chibo.config
    ruled = io.StringIO()
    assert (
        await meetings_set(
            config, "B", at="ngày 10 lúc 19h", place=None, out=ruled, clock=world.clock
        )
        == 0
    )
    assert ruled.getvalue().startswith(
        texts.DATLICH_RULE_SET.format(unit="Chi bộ ấp Phú Lợi", rule="")[:30]
    )
    rows = await world.rows(
        "SELECT rule FROM meeting_rules WHERE unit_id = ?", (world.seeded.unit_ids["B"],)
    )
    assert [r["rule"] for r in rows] == ["ngày 10 lúc 19h"]

    before = await world.rows("SELECT id, starts_at, place, version FROM meetings ORDER BY id")
    for unit, at in (
        ("A", "31/02 19h"),
        ("A", "19h75 7/12"),
        ("A", "hôm qua"),
        ("ZZ", "7/12 19h"),
        ("X", "7/12 19h"),
    ):
        assert (
            await meetings_set(
                config, unit, at=at, place=None, out=io.StringIO(), clock=world.clock
            )
            == 1
        )
    assert (
        await meetings_set(config, "A", at=None, place=None, out=io.StringIO(), clock=world.clock)
        == 2
    )
    after = await world.rows("SELECT id, starts_at, place, version FROM meetings ORDER BY id")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


async def test_list_reads_and_never_writes(tmp_path: Path) -> None:
    """Before the bot's planner has run, `chibo meetings list` shows the meetings the rules give
    as planned, and creates nothing."""
    import sqlite3
    from datetime import UTC, datetime

    from bot.core.clock import FakeClock
    from bot.core.config import parse_config
    from storage.db import Database
    from tests.seed import seed

    config = parse_config({"database": {"path": str(tmp_path / "c.sqlite3")}}, tmp_path, env={})
    db = await Database.open(config.db_path)
    await seed(db)
    await db.close()

    def dump() -> list[tuple[object, ...]]:
        with sqlite3.connect(config.db_path) as conn:
            return [
                row
                for table in ("meetings", "outbox", "units")
                for row in conn.execute(f"SELECT * FROM {table}")
            ]

    before = dump()
    clock = FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    listing = io.StringIO()
    assert await meetings_list(config, "X", out=listing, clock=clock) == 0
    assert dump() == before
    text = listing.getvalue()
    assert "Chi bộ ấp Tân Thành:" in text and "Chi bộ ấp Phú Lợi:" in text
    planned = texts.CLI_MEETINGS_PLANNED.split("{")[0]
    # Hamlet cells meet on the 5th at 19:00 by default: this month's and next month's.
    lines = [line for line in text.splitlines() if line.startswith(planned)]
    assert len(lines) == 4
    assert sum("05/12/2026 lúc 19:00" in line for line in lines) == 2
    assert sum("05/01/2027 lúc 19:00" in line for line in lines) == 2
