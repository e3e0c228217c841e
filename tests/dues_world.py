"""Shared set-up of the dues tests: the bot with a [dues] section, amounts imported through the
real roster import, a treasurer granted through the real CLI, and checklist helpers."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Chibo
from bot.cli.roster import roster_import
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.money import format_money
from bot.sandbox.telegram_api import FakeTelegram
from tests.conftest import World, make_config
from tests.seed import seed
from tests.test_meetings import buttons, last_to, press

ROOT = Path(__file__).resolve().parent.parent
CELL = "Chi bộ ấp Tân Thành"
NAMES = {
    "an": "Nguyễn Văn An",
    "binh": "Trần Thị Bình",
    "cuong": "Lê Văn Cường",
    "dung": "Phạm Thị Dung",
    "duc": "Hoàng Văn Đức",
    "ha": "Võ Thị Hà",
    "hung": "Đặng Văn Hùng",
}
CARDS = {key: f"09300{i}" for i, key in enumerate(NAMES, start=1)}
UNITS = {"an": "A", "binh": "A", "cuong": "A", "dung": "A", "duc": "A", "ha": "B", "hung": "B"}
POSITIONS = {"an": "Bí thư", "binh": "Phó Bí thư", "ha": "Bí thư"}
# As a cell would type them: an amount in several forms, or a category of [dues].
AMOUNTS = {
    "an": "85.000đ",
    "binh": "50k",
    "cuong": "Học sinh, sinh viên",
    "dung": "30000",
    "duc": "20.000 đồng",
    "ha": "40000",
    "hung": "40000",
}
DUES = {"categories": ["Học sinh, sinh viên = 5000", "Miễn đóng = 0"], "keep_percent": 30}


@pytest.fixture
async def dues_world(fake: FakeTelegram, clock: FakeClock, tmp_path: Path) -> AsyncIterator[World]:
    chibo = await Chibo.build(make_config(tmp_path, fake, dues=DUES), clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    world = World(chibo, fake, clock, seeded)
    try:
        yield world
    finally:
        await world.chibo.stop()


def write_roster(path: Path, amounts: dict[str, str], since: str = "10/2026") -> Path:
    """A members-only CSV of the seeded members with the dues columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = texts.ROSTER_MEMBER_HEADERS
    writer.writerow(
        [
            headers["name"],
            headers["birth"],
            headers["card"],
            headers["unit"],
            headers["position"],
            *texts.ROSTER_DUES_HEADERS.values(),
        ]
    )
    for key, name in NAMES.items():
        amount = amounts.get(key, "")
        writer.writerow(
            [
                name,
                "01/01/1970",
                CARDS[key],
                UNITS[key],
                POSITIONS.get(key, ""),
                amount,
                since if amount else "",
            ]
        )
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


async def import_amounts(
    world: World, tmp_path: Path, amounts: dict[str, str] | None = None, since: str = "10/2026"
) -> str:
    """Import the roster with its dues column through the real importer; its printed output."""
    path = write_roster(tmp_path / "dang-vien.csv", AMOUNTS if amounts is None else amounts, since)
    out = io.StringIO()
    code = await roster_import(world.chibo.config, [path], out=out, clock=world.clock)
    assert code == 0, out.getvalue()
    return out.getvalue()


async def cli(tmp_path: Path, db_path: Path, *args: str) -> tuple[int, str]:
    """The real `chibo` command on the test database (run without blocking the bot's loop)."""
    config = tmp_path / "cli.toml"
    config.write_text(f"[database]\npath = {str(db_path)!r}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), *args,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()


def mark(name: str, amount: int, state: str = "unpaid") -> str:
    template = texts.DUES_MARK_PAID if state == "paid" else texts.DUES_MARK_UNPAID
    return template.format(name=name, amount=format_money(amount))


def pay_label(method: str, amount: int) -> str:
    return texts.DUES_PAY_BUTTON.format(
        method=texts.DUES_METHODS[method], amount=format_money(amount)
    )


async def card_of(world: World, key: str, sheet: dict[str, Any], name: str) -> dict[str, Any]:
    """Press a member's name on the checklist; the card."""
    label = next(b for b in buttons(sheet) if name in b)
    return await press(world, key, sheet, label)


async def pay(world: World, key: str, name: str, method: str, amount: int) -> dict[str, Any]:
    """On the open checklist: the member's card, then the method at the amount due."""
    card = await card_of(world, key, last_to(world, key), name)
    return await press(world, key, card, pay_label(method, amount))


async def payments(world: World) -> list[tuple[Any, ...]]:
    rows = await world.rows(
        "SELECT member_id, period, amount, method, replaced_at IS NOT NULL AS old, batch "
        "FROM dues_payments ORDER BY id"
    )
    return [tuple(r) for r in rows]
