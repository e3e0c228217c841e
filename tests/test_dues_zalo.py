"""The dues book played once on Telegram (buttons) and once on Zalo (numbered text): the same
steps leave the same database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.money import format_money
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from storage.dues import Due, DuesRepo
from tests.conftest import make_config
from tests.dues_world import NAMES, mark, pay_label
from tests.scenarios import Driver, TelegramDriver, ZaloDriver, db_state
from tests.seed import seed
from tests.zalo_world import make_zalo_config, zfake

__all__ = ["zfake"]


async def dues_book(d: Driver) -> None:
    """Cash for one member, two months by transfer for another, then a member's own view."""
    ids = d.seeded.member_ids
    store = DuesRepo(d.chibo.db)
    for key, amount in (("an", 85_000), ("cuong", 5_000), ("dung", 30_000)):
        await store.set_amount(ids[key], Due("2026-10", amount, None), None, d.clock.now())
    for key in ("an", "cuong"):
        await d.link(key)
    [sheet] = await d.say("an", "/dangphi")
    await d.choose("an", sheet, mark(NAMES["cuong"], 5_000))
    await d.choose("an", d.last("an"), pay_label("cash", 5_000))
    assert mark(NAMES["cuong"], 5_000, "paid") in d.last("an").labels
    await d.choose("an", d.last("an"), mark(NAMES["dung"], 30_000))
    await d.choose("an", d.last("an"), texts.DUES_SEVERAL)
    await d.choose("an", d.last("an"), texts.DUES_SEVERAL_BUTTON.format(count=2))
    await d.choose("an", d.last("an"), texts.DUES_METHODS["bank"])
    assert d.last("an").text.startswith(
        texts.DUES_RECORDED.format(
            name=NAMES["dung"],
            amount=format_money(60_000),
            method=texts.DUES_METHODS["bank"],
            months="10/2026, 11/2026",
        )
    )
    [mine] = await d.say("cuong", "/dangphi")
    assert texts.DUES_MINE_UNPAID.format(months="10, 11") in mine.text


async def _play(driver: Driver) -> dict[str, Any]:
    await driver.chibo.start()
    try:
        await dues_book(driver)
        await driver.settle()
        return await db_state(driver.chibo)
    finally:
        await driver.chibo.stop()


async def test_dues_book_same_state_on_both_channels(
    fake: FakeTelegram, zfake: FakeZalo, tmp_path: Path
) -> None:
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    clock = FakeClock(start)
    tg = await Chibo.build(make_config(tmp_path / "telegram", fake), clock=clock)
    on_telegram = await _play(TelegramDriver("telegram", tg, clock, await seed(tg.db), fake))
    clock = FakeClock(start)
    zalo_config = make_zalo_config(tmp_path / "zalo", zfake)
    zalo = await Chibo.build(zalo_config, clock=clock)
    on_zalo = await _play(ZaloDriver("zalo", zalo, clock, await seed(zalo.db), zfake))
    assert on_zalo.keys() == on_telegram.keys()
    for table in on_telegram:
        assert on_zalo[table] == on_telegram[table], table
