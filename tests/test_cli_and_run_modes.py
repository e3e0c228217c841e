"""The `chibo` command line, configuration from the environment, and webhook mode."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import parse_config
from bot.logs import RedactSecrets
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import Database, migrations
from tests.conftest import make_config
from tests.seed import TG_IDS, seed

ROOT = Path(__file__).resolve().parent.parent


def chibo(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "config.toml"), *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_init_db_backup_and_run_without_token(tmp_path: Path) -> None:
    first = chibo(tmp_path, "init")
    assert first.returncode == 0, first.stderr
    assert texts.CLI_INIT_WROTE.format(path=tmp_path / "config.toml") in first.stdout
    config_text = (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert config_text.count("\n#") > 10  # commented
    assert (tmp_path / "data" / "chibo.sqlite3").exists()
    again = chibo(tmp_path, "init")
    assert texts.CLI_INIT_EXISTS.format(path=tmp_path / "config.toml") in again.stdout

    status = chibo(tmp_path, "db", "upgrade")
    assert (
        status.returncode == 0
        and texts.CLI_DB_UP_TO_DATE.format(version=migrations()[-1][0]) in status.stdout
    )

    backup = chibo(tmp_path, "backup", str(tmp_path / "copy.sqlite3"))
    assert backup.returncode == 0, backup.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"units", "members", "outbox", "schema_migrations"} <= tables
    # `chibo run` without a token opens the sandbox instead: see tests/test_sandbox_cli.py.


def test_bad_config_is_explained(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[telegram]\nmode = 'carrier-pigeon'\n", encoding="utf-8")
    result = chibo(tmp_path, "db", "status")
    assert result.returncode == 2
    assert result.stderr.startswith(texts.CLI_CONFIG_ERROR.split("{")[0])


async def test_roles_grant_revoke_and_find_members(tmp_path: Path) -> None:
    chibo(tmp_path, "init")
    db = await Database.open(tmp_path / "data" / "chibo.sqlite3")
    seeded = await seed(db)
    await db.close()

    granted = chibo(
        tmp_path, "roles", "grant", "--member", "093003", "--role", "admin", "--unit", "T"
    )
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.strip() == texts.CLI_ROLE_GRANTED.format(
        role="quản trị viên", unit="Đảng bộ tỉnh Thử Nghiệm", name="Lê Văn Cường"
    )
    twice = chibo(
        tmp_path, "roles", "grant", "--member", "le van cuong", "--role", "admin", "--unit", "T"
    )
    assert "đã có vai trò" in twice.stdout
    ambiguous = chibo(
        tmp_path, "roles", "grant", "--member", "van", "--role", "admin", "--unit", "T"
    )
    assert ambiguous.returncode == 1
    unknown_unit = chibo(
        tmp_path, "roles", "grant", "--member", "093003", "--role", "admin", "--unit", "ZZ"
    )
    assert unknown_unit.returncode == 1
    assert texts.CLI_UNIT_UNKNOWN.format(code="ZZ") in unknown_unit.stderr

    found = chibo(tmp_path, "members", "find", "DANG VAN HUNG")
    assert found.returncode == 0 and "Đặng Văn Hùng" in found.stdout

    revoked = chibo(
        tmp_path,
        "roles",
        "revoke",
        "--member",
        str(seeded.member_ids["cuong"]),
        "--role",
        "admin",
        "--unit",
        "T",
    )
    assert revoked.returncode == 0
    with sqlite3.connect(tmp_path / "data" / "chibo.sqlite3") as conn:
        roles = conn.execute(
            "SELECT role FROM roles WHERE member_id = ?", (seeded.member_ids["cuong"],)
        ).fetchall()
    assert roles == []


def test_token_and_secret_come_from_the_environment_and_stay_out_of_logs(tmp_path: Path) -> None:
    config = parse_config(
        {"telegram": {"token": "from-file"}},
        tmp_path,
        env={"CHIBO_TELEGRAM_TOKEN": "999:SECRET", "CHIBO_TELEGRAM_WEBHOOK_SECRET": "hush"},
    )
    assert config.telegram.token == "999:SECRET"
    assert config.telegram.webhook_secret == "hush"
    assert "SECRET" not in repr(config)
    import logging

    record = logging.LogRecord(
        "httpx", 20, "", 0, "POST %s", ("https://x/bot999:SECRET/getMe",), None
    )
    RedactSecrets(["999:SECRET"]).filter(record)
    assert record.getMessage() == "POST https://x/bot<redacted>/getMe"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_mode_checks_the_secret_token(tmp_path: Path, fake: FakeTelegram) -> None:
    port = _free_port()
    config = make_config(
        tmp_path,
        fake,
        telegram={
            "mode": "webhook",
            "webhook_url": f"http://127.0.0.1:{port}/telegram",
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": "s3cret-token",
        },
    )
    app = await Chibo.build(config, clock=FakeClock())
    await seed(app.db)
    await app.start()
    try:
        call = await fake.wait_for(lambda c: c.method == "setWebhook")
        assert call.params["secret_token"] == "s3cret-token"
        fake.send_text(TG_IDS["cuong"], "xin chào")
        [reply] = await fake.wait_sent(TG_IDS["cuong"], 1)
        assert reply["text"] == texts.STRANGER

        forged = {
            "update_id": 999999,
            "message": {
                "message_id": 5,
                "date": 0,
                "text": "/start AAAA2222",
                "chat": {"id": 31337, "type": "private"},
                "from": {"id": 31337, "is_bot": False, "first_name": "X"},
            },
        }
        async with httpx.AsyncClient() as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                answer = await client.post(
                    f"http://127.0.0.1:{port}/telegram",
                    content=json.dumps(forged),
                    headers={"Content-Type": "application/json", **headers},
                )
                assert answer.status_code == 403
        # Updates are handled in order: once this later one is answered, a forged one would
        # have been too.
        fake.send_text(TG_IDS["cuong"], "còn đó không?")
        await fake.wait_sent(TG_IDS["cuong"], 2)
        assert fake.sent_to(31337) == []
        assert await app.db.fetchall("SELECT * FROM link_attempts") == []

        # The platform is answered only once the update is stored; a redelivery is handled once.
        genuine = {**forged, "update_id": 777777}
        async with httpx.AsyncClient() as client:
            for _ in range(2):
                answer = await client.post(
                    f"http://127.0.0.1:{port}/telegram",
                    content=json.dumps(genuine),
                    headers={
                        "Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": "s3cret-token",
                    },
                )
                assert answer.status_code == 200
                stored = await app.db.fetchall(
                    "SELECT chat_id FROM inbox WHERE update_key = '777777'"
                )
                assert [r["chat_id"] for r in stored] == ["31337"]
        await fake.wait_sent(31337, 1)
        # Once a later update from that chat is answered, a second copy would have been too.
        fake.send_text(31337, "vẫn còn chứ?")
        await fake.wait_sent(31337, 2)
        assert len(fake.sent_to(31337)) == 2
    finally:
        await app.stop()
