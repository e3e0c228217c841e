"""The first minute after `chibo run` / the sandbox page opens: the coming meetings are there,
a second process on the same database is refused, the sandbox starts over on request."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot import datalock
from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import Config
from bot.sandbox.server import Sandbox
from bot.sandbox.telegram_api import FakeTelegram
from handlers import meeting_common as mc
from storage.sandbox import SandboxRepo
from tests.conftest import World, make_config
from tests.test_cli_usage import run_chibo
from tests.test_sandbox_cli import chibo as running_chibo


async def test_lichhop_right_after_start_shows_the_next_meeting(world: World) -> None:
    # No tick and no clock move since `start()`: only the planners' run at start.
    await world.link("cuong")
    first, *_ = await world.say("cuong", "/lichhop", count=1)
    unit = await world.chibo.ctx.units.get(world.seeded.unit_ids["A"])
    assert unit is not None
    [meeting, *_] = await world.chibo.ctx.meetings.upcoming(unit.id, world.clock.now())
    # The header opens the first meeting's message.
    assert first["text"].startswith(
        texts.LICHHOP_HEADER.format(unit=unit.name)
        + "\n\n"
        + mc.block(world.chibo.ctx, meeting, unit.name)
    )


async def _answer_starting(fake: FakeTelegram, chat_id: int, prefix: str) -> None:
    """Wait for a message the bot sent to the chat starting with `prefix`."""
    await fake.wait_for(
        lambda c: (
            c.method == "sendMessage"
            and c.chat_id == chat_id
            and str(c.params.get("text", "")).startswith(prefix)
        )
    )


async def _sandbox(tmp_path: Path) -> Sandbox:
    box = Sandbox(Config(base_dir=tmp_path), tmp_path / "sandbox-data", port=0)
    await box.prepare()
    await box.start()
    return box


async def test_sandbox_lichhop_first_thing_shows_the_next_meeting(tmp_path: Path) -> None:
    box = await _sandbox(tmp_path)
    try:
        assert box.chibo is not None and box.fake is not None
        member = next(
            p for p in await SandboxRepo(box.chibo.db).people() if p.full_name == "Lê Văn Phúc"
        )
        unit = await box.chibo.ctx.units.by_code(member.unit_code)
        assert unit is not None
        [meeting, *_] = await box.chibo.ctx.meetings.upcoming(unit.id, box.clock.now())
        box.fake.send_text(member.user_id, "/lichhop")
        # The sandbox runs on today's date: a reminder due today may arrive in between.
        await _answer_starting(
            box.fake,
            member.user_id,
            texts.LICHHOP_HEADER.format(unit=unit.name)
            + "\n\n"
            + mc.block(box.chibo.ctx, meeting, unit.name),
        )
    finally:
        await box.stop()


async def test_sandbox_menu_and_starting_over(tmp_path: Path) -> None:
    box = await _sandbox(tmp_path)
    try:
        assert box.chibo is not None and box.fake is not None
        people = await SandboxRepo(box.chibo.db).people()
        member = next(p for p in people if p.full_name == "Lê Văn Phúc")
        box.fake.send_text(member.user_id, "/huongdan")
        await box.fake.wait_sent(member.user_id, 1)
        await box.advance(timedelta(days=3))
        async with httpx.AsyncClient(base_url=box.url) as client:
            chat = (await client.get(f"api/chat/{member.user_id}")).json()
            menu = [c["command"] for c in chat["menu"]]
            assert "huongdan" in menu and "lichhop" in menu
            assert "kenh" not in menu and "start" not in menu
            assert chat["messages"]

            state = (await client.post("api/reset", json={})).json()
            assert state["ok"] and state["offset_seconds"] == 0
            chat = (await client.get(f"api/chat/{member.user_id}")).json()
            assert chat["messages"] == []
            people_again = (await client.get("api/people")).json()
            assert sum(len(g["people"]) for g in people_again["groups"]) >= len(people)
        assert box.clock.offset == timedelta(0)
        assert box.chibo is not None
        again = await SandboxRepo(box.chibo.db).people()
        assert sorted(p.full_name for p in again) == sorted(p.full_name for p in people)
        # The new bot answers at once, meetings included (a reminder due today may come too).
        box.fake.send_text(member.user_id, "/lichhop")
        await _answer_starting(box.fake, member.user_id, texts.LICHHOP_HEADER.split("{")[0])
        assert box.fake.violations == []
    finally:
        await box.stop()


async def test_a_second_run_on_the_same_database_is_refused(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    config = make_config(tmp_path, fake)
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[database]\npath = "{config.db_path}"\n'
        f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.base_url}"\n',
        encoding="utf-8",
    )
    running = await Chibo.build(config, clock=FakeClock())
    try:
        second = run_chibo(tmp_path, "run", "--config", str(config_file))
        assert second.returncode == 1
        assert texts.CLI_ALREADY_RUNNING.format(path=config.db_path) in second.stderr
        assert fake.calls == []  # refused before it said anything to Telegram
    finally:
        await running.stop()
    # Once the first has stopped the lock is free (the kernel drops it on exit, even kill -9).
    lock = datalock.acquire(config.db_path)
    lock.release()


async def test_a_second_sandbox_on_the_same_data_is_refused(tmp_path: Path) -> None:
    box = await _sandbox(tmp_path)
    try:
        second = run_chibo(tmp_path, "sandbox", "--port", "0", "--data", "sandbox-data")
        assert second.returncode == 1
        assert texts.CLI_ALREADY_RUNNING.format(path=box.db_path) in second.stderr
        assert texts.SANDBOX_READY.split("{")[0] not in second.stdout
        # Another data folder is another sandbox.
        assert box.chibo is not None
    finally:
        await box.stop()


def test_sandbox_reset_from_the_command_line(tmp_path: Path) -> None:
    with running_chibo(tmp_path, "sandbox", "--port", "0") as first:
        first.wait_for(texts.SANDBOX_READY.split("{")[0])
    data = tmp_path / "sandbox-data"
    keep = data / "ghi-chu.txt"
    keep.write_text("của người dùng", encoding="utf-8")
    (data / "sandbox.json").write_text('{"offset_seconds": 86400}', encoding="utf-8")
    assert (data / "chats.json").exists()
    with running_chibo(tmp_path, "sandbox", "--port", "0", "--reset") as again:
        again.wait_for(texts.SANDBOX_READY.split("{")[0])
        assert texts.CLI_SANDBOX_RESET.format(data=data) in again.seen
        assert any(line.startswith(texts.SANDBOX_SEEDED.split("{")[0]) for line in again.seen)
        assert not (data / "chats.json").exists()
        assert json.loads((data / "sandbox.json").read_text(encoding="utf-8")) == {
            "offset_seconds": 0
        }
    assert keep.read_text(encoding="utf-8") == "của người dùng"


# A database with real linked members is refused, with or without --reset, and left as it was.
@pytest.mark.parametrize("reset", [False, True])
def test_reset_refuses_real_data(tmp_path: Path, reset: bool) -> None:
    import sqlite3

    assert run_chibo(tmp_path, "init").returncode == 0
    db = tmp_path / "data" / "chibo.sqlite3"
    with sqlite3.connect(db) as conn:
        now = "2026-11-01T00:00:00.000000Z"
        conn.execute(
            "INSERT INTO units (code, name, kind, created_at, updated_at) "
            "VALUES ('A', 'Chi bộ ấp A', 'cell_hamlet', ?, ?)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO members (unit_id, full_name, name_key, status, created_at, updated_at) "
            "VALUES (1, 'Nguyễn Văn An', 'nguyen van an', 'official', ?, ?)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
            "VALUES ('telegram', '5551234', '5551234', 1, ?)",
            (now,),
        )
    args = ["sandbox", "--port", "0", "--data", "data", *(["--reset"] if reset else [])]
    result = run_chibo(tmp_path, *args)
    assert result.returncode == 1
    assert texts.SANDBOX_REAL_DATA.format(path=db, count=1) in result.stderr
    assert db.exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0] == 1
