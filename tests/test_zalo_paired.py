"""The core scenarios (onboarding, notice, meeting reminder and excuse, bulletin, check-in), once
on Telegram and once on Zalo: the same steps, the same database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Chibo
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from tests.conftest import make_config
from tests.scenarios import SCENARIOS, Driver, TelegramDriver, ZaloDriver, db_state
from tests.seed import seed
from tests.zalo_world import make_zalo_config, zfake

__all__ = ["zfake"]


def _clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))


async def _play(name: str, driver: Driver) -> dict:
    await driver.chibo.start()
    try:
        await SCENARIOS[name](driver)
        await driver.settle()
        return await db_state(driver.chibo)
    finally:
        await driver.chibo.stop()


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_same_scenario_same_state_on_both_channels(
    name: str, fake: FakeTelegram, zfake: FakeZalo, tmp_path: Path
) -> None:
    clock = _clock()
    tg_chibo = await Chibo.build(make_config(tmp_path / "telegram", fake), clock=clock)
    seeded = await seed(tg_chibo.db)
    on_telegram = await _play(name, TelegramDriver("telegram", tg_chibo, clock, seeded, fake))

    clock = _clock()
    zalo_chibo = await Chibo.build(make_zalo_config(tmp_path / "zalo", zfake), clock=clock)
    seeded = await seed(zalo_chibo.db)
    on_zalo = await _play(name, ZaloDriver("zalo", zalo_chibo, clock, seeded, zfake))

    assert on_zalo.keys() == on_telegram.keys()
    for table in on_telegram:
        assert on_zalo[table] == on_telegram[table], table
