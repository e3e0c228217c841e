"""Retention: outbox rows sent or given up are pruned after `[delivery] retention_days` (their
counts per batch stay), handled updates after two days, and the file gives the space back."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.core import texts
from bot.core.types import Reply
from scheduler import retention
from storage.dashboard import DashboardRepo
from storage.db import Database
from storage.outbox import NewMessage
from tests.bulletin_flow import button, make_publisher, publish_in_chat
from tests.conftest import World
from tests.seed import TG_IDS

COPIES = 60


async def test_old_rows_are_pruned_counts_stay_and_the_file_shrinks(world: World) -> None:
    ctx = world.chibo.ctx
    await world.say("an", "xin chào")  # one handled update in the inbox
    filler = "Thông báo của chi bộ. " * 180
    await ctx.outbox.enqueue(
        [
            NewMessage(f"notice:77:{i}", "telegram", str(700_000 + i), Reply(filler), batch="n:77")
            for i in range(COPIES)
        ],
        world.clock.now(),
    )
    ctx.wake_outbox()
    # The worker paces on the injected clock: move it on until every copy is out.
    for _ in range(COPIES):
        await world.chibo.worker.wait_quiet()
        if (await ctx.outbox.batch_counts("n:77")).get("sent") == COPIES:
            break
        await world.clock.advance(1)
    await world.chibo.worker.wait_idle()
    before = await ctx.outbox.batch_counts("n:77")
    assert before == {"sent": COPIES}
    # Not yet due for pruning: nothing goes but the handled update (kept two days).
    world.clock.set(world.clock.now() + timedelta(days=59))
    first = await retention.prune(ctx)
    assert (first.outbox, first.inbox) == (0, 1)
    assert await world.rows("SELECT * FROM inbox") == []
    # A row still waiting is never pruned, however old.
    await ctx.outbox.enqueue(
        [
            NewMessage(
                "later:1",
                "telegram",
                "1",
                Reply("x"),
                not_before=world.clock.now() + timedelta(days=9),
            )
        ],
        world.clock.now() - timedelta(days=30),
    )
    await world.db.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
    size = world.db.path.stat().st_size

    world.clock.set(world.clock.now() + timedelta(days=2))
    pruned = await retention.prune(ctx)
    assert pruned.outbox == COPIES and pruned.pages > 0
    assert await ctx.outbox.batch_counts("n:77") == before
    left = await world.rows("SELECT dedupe_key, status FROM outbox")
    assert [(r["dedupe_key"], r["status"]) for r in left] == [("later:1", "pending")]
    # The pages went back to the file system (WAL checkpointed into the main file).
    await world.db.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
    assert world.db.path.stat().st_size < size
    # The bot goes on answering.
    await world.say("an", "xin chào")


async def test_an_existing_database_is_switched_to_incremental_vacuum_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE legacy (x)")
        conn.execute("INSERT INTO legacy VALUES (1)")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    db = await Database.open(path)
    row = await db.fetchone("PRAGMA auto_vacuum")
    assert row is not None and row[0] == 2
    assert [tuple(r) for r in await db.fetchall("SELECT x FROM legacy")] == [(1,)]
    await db.close()
    fresh = await Database.open(tmp_path / "new.sqlite3")
    row = await fresh.fetchone("PRAGMA auto_vacuum")
    assert row is not None and row[0] == 2
    await fresh.close()


async def test_a_migration_numbered_below_the_newest_applied_is_still_applied(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await db.close()
    # A database upgraded by a build that had a later migration but not this one.
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE inbox")
        conn.execute("DROP TABLE outbox_pruned")
        conn.execute("ALTER TABLE bulletin_recipients DROP COLUMN delivered")
        conn.execute("DELETE FROM schema_migrations WHERE version = 10")
        newest = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    assert newest > 10
    db = await Database.open(path)
    tables = {r["name"] for r in await db.fetchall("SELECT name FROM sqlite_master")}
    versions = [r[0] for r in await db.fetchall("SELECT version FROM schema_migrations")]
    await db.close()
    assert {"inbox", "outbox_pruned"} <= tables and 10 in versions


async def test_the_year_view_counts_the_same_after_a_bulletin_is_pruned(world: World) -> None:
    await make_publisher(world)
    for key in ("an", "binh", "cuong", "dung", "ha", "hung"):
        await world.link(key)
    confirm = await publish_in_chat(world)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    await world.fake.wait_for(lambda c: c.method == "sendDocument" and c.chat_id == TG_IDS["hung"])
    await world.chibo.worker.wait_idle()
    # One member reads it: read and delivered-but-unread both count.
    [copy] = [c for c in world.fake.sent_to(TG_IDS["cuong"]) if "document" in c]
    await world.press("cuong", copy, button(copy, texts.BULLETIN_READ_BUTTON))
    repo = DashboardRepo(world.db)
    cells = [world.seeded.unit_ids["A"], world.seeded.unit_ids["B"]]
    start, end = world.clock.now() - timedelta(days=1), world.clock.now() + timedelta(days=1)
    before = await repo.bulletin_reach(cells, start, end)
    assert sum(r.read for r in before.values()) == 1

    world.clock.set(world.clock.now() + timedelta(days=61))
    pruned = await retention.prune(world.chibo.ctx)
    assert pruned.outbox > 0
    assert await world.rows("SELECT * FROM outbox WHERE batch LIKE 'bulletin:%'") == []
    assert await repo.bulletin_reach(cells, start, end) == before
