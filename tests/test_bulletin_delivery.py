"""Bulletin delivery: CLI publishing, scheduled sends, late joiners, blocked members, 429 storms."""

from __future__ import annotations

from pathlib import Path

from bot.cli import bulletin
from bot.core import texts
from tests.bulletin_flow import PDF, button, make_publisher, publish_in_chat
from tests.conftest import World
from tests.seed import TG_IDS

ISSUE = "Số 12/2026"


def _docs_to(world: World, key: str) -> list:
    return [
        c
        for c in world.fake.calls
        if c.method == "sendDocument" and c.ok and int(c.chat_id) == TG_IDS[key]
    ]


async def _cli_publish(world: World, tmp_path: Path, **kwargs) -> int:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "ttt-12-2026.pdf"
    pdf.write_bytes(PDF)
    options = {"title": "Thông tin tư tưởng", "issue": "12/2026", "scope_code": None}
    options.update(kwargs)
    status = await bulletin.publish(
        world.chibo.config,
        pdf,
        all_cells=False,
        at=options.pop("at", None),
        clock=world.clock,
        **options,
    )
    world.chibo.worker.wake()
    return status


async def test_cli_publish_late_joiner_and_status(world: World, tmp_path: Path, capsys) -> None:
    for key in ("an", "cuong", "ha"):
        await world.link(key)
    assert await _cli_publish(world, tmp_path, scope_code="A") == 0
    out = capsys.readouterr().out
    assert out.startswith("Đã phát hành bản tin #1")
    await world.chibo.worker.wait_idle()
    # Scope A: An and Cường, not Hà (cell B).
    assert len(_docs_to(world, "an")) == 1 and len(_docs_to(world, "cuong")) == 1
    assert _docs_to(world, "ha") == []
    assert world.fake.uploads == 1
    # A late joiner of cell A gets the current issue as soon as they link; Hùng (B) does not.
    await world.link("duc")
    await world.link("hung")
    await world.chibo.worker.wait_idle()
    assert len(_docs_to(world, "duc")) == 1
    assert _docs_to(world, "hung") == []
    assert world.fake.uploads == 1
    # Status from the command line.
    assert await bulletin.status(world.chibo.config, 1, clock=world.clock) == 0
    status = capsys.readouterr().out
    assert "Đã gửi: 3 · Không gửi được: 0 · Còn lại: 0 · đã xong" in status
    # A second publication of the same issue is refused; nothing new queued.
    assert await _cli_publish(world, tmp_path) == 1
    assert "Số 12/2026 đã được phát hành" in capsys.readouterr().err
    assert len(await world.rows("SELECT * FROM bulletins")) == 1


async def test_scheduled_send_waits_for_its_time(world: World, tmp_path: Path, capsys) -> None:
    await world.link("cuong")
    # The fake clock is 08:00 on 01/12/2026 local time.
    assert await _cli_publish(world, tmp_path, at="07:00 02/12/2026") == 0
    assert "lúc 07:00 ngày 02/12/2026" in capsys.readouterr().out
    await world.chibo.worker.wait_quiet()
    assert _docs_to(world, "cuong") == []
    rows = await world.rows("SELECT next_attempt_at FROM outbox WHERE batch = 'bulletin:1'")
    assert [r["next_attempt_at"] for r in rows] == ["2026-12-02T00:00:00.000000Z"]
    # Linked before the send time: queued for the same time, not at once.
    await world.link("dung")
    await world.chibo.worker.wait_quiet()
    assert _docs_to(world, "dung") == []
    world.clock.set(world.clock.now().replace(day=2, hour=0, minute=0, second=1))
    await world.clock.advance(2)
    world.chibo.worker.wake()
    await world.chibo.worker.wait_idle()
    assert len(_docs_to(world, "cuong")) == 1 and len(_docs_to(world, "dung")) == 1


async def test_blocked_member_is_marked_then_served_when_back(world: World) -> None:
    await make_publisher(world)
    for key in ("binh", "an", "cuong"):
        await world.link(key)
    world.fake.block(TG_IDS["cuong"])
    confirm = await publish_in_chat(world)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    await world.chibo.worker.wait_idle()
    rows = await world.rows(
        "SELECT status FROM outbox WHERE dedupe_key = ?",
        (f"bulletin:1:member:{world.seeded.member_ids['cuong']}",),
    )
    assert [r["status"] for r in rows] == ["failed"]
    flagged = await world.rows("SELECT member_id FROM accounts WHERE unreachable_at IS NOT NULL")
    assert [r["member_id"] for r in flagged] == [world.seeded.member_ids["cuong"]]
    # He unblocks the bot and writes: the current issue comes by itself, once.
    world.fake.unblock(TG_IDS["cuong"])
    await world.say("cuong", "xin chào", count=2)
    await world.chibo.worker.wait_idle()
    assert len(_docs_to(world, "cuong")) == 1
    await world.say("cuong", "/huongdan")
    await world.chibo.worker.wait_idle()
    assert len(_docs_to(world, "cuong")) == 1
    assert world.fake.uploads == 1


async def test_429_storm_is_honoured(world: World, tmp_path: Path) -> None:
    for key in ("an", "binh", "cuong", "dung", "duc"):
        await world.link(key)
    world.fake.fail_next("sendDocument", status=429, retry_after=5, times=3)
    assert await _cli_publish(world, tmp_path, scope_code="A") == 0
    await world.chibo.worker.wait_quiet()

    def ok() -> list:
        return [c for c in world.fake.calls if c.method == "sendDocument" and c.ok]

    assert world.fake.too_many_requests == 0  # injected, not the fake's own limiter
    assert len([c for c in world.fake.calls if c.status == 429]) == 3
    # Only sends already in flight when the first 429 came back may have succeeded; the rest
    # wait out retry_after on the bot's clock.
    sent_early = len(ok())
    assert sent_early <= 2
    await world.clock.advance(4)
    await world.chibo.worker.wait_quiet()
    assert len(ok()) == sent_early
    for _ in range(30):
        if len(ok()) >= 5:
            break
        await world.clock.advance(1)
        await world.chibo.worker.wait_quiet()
    assert sorted(int(c.chat_id) for c in ok()) == sorted(
        TG_IDS[k] for k in ("an", "binh", "cuong", "dung", "duc")
    )
    assert world.fake.uploads == 1
    counts = await world.rows(
        "SELECT status, COUNT(*) AS n FROM outbox WHERE batch = 'bulletin:1' GROUP BY status"
    )
    assert {r["status"]: r["n"] for r in counts} == {"sent": 5}


async def test_paid_broadcast_flag_is_passed_only_when_configured(
    fake, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from bot.app import Chibo
    from tests.conftest import make_config
    from tests.seed import seed

    config = make_config(tmp_path, fake, delivery={"allow_paid_broadcast": True})
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    world = World(chibo, fake, clock, seeded)
    try:
        await world.link("cuong")
        assert await _cli_publish(world, tmp_path, scope_code="A") == 0
        await chibo.worker.wait_idle()
        [doc] = _docs_to(world, "cuong")
        assert doc.params.get("allow_paid_broadcast") is True
        # An ordinary message (the welcome) never carries it.
        texts_sent = [c for c in fake.calls if c.method == "sendMessage"]
        assert texts_sent and all("allow_paid_broadcast" not in c.params for c in texts_sent)
    finally:
        await chibo.stop()


async def test_without_the_flag_no_paid_broadcast(world: World, tmp_path: Path) -> None:
    await world.link("cuong")
    assert await _cli_publish(world, tmp_path, scope_code="A") == 0
    await world.chibo.worker.wait_idle()
    [doc] = _docs_to(world, "cuong")
    assert "allow_paid_broadcast" not in doc.params
