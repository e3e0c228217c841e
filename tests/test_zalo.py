"""Zalo end to end: linking, numbered choices, typed command words, long texts, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import texts
from bot.core.config import ConfigError, parse_config
from bot.sandbox.zalo_api import FakeZalo
from tests.zalo_world import ZALO_IDS, ZaloWorld, zfake, zworld

__all__ = ["zfake", "zworld"]


async def test_linking_by_start_code_and_by_the_bare_code(zworld: ZaloWorld) -> None:
    [welcome] = await zworld.say("an", f"/start {await zworld.invite_code('an')}")
    assert welcome.startswith(
        texts.WELCOME.format(name="Nguyễn Văn An", unit="Chi bộ ấp Tân Thành")
    )
    [welcome] = await zworld.say("cuong", await zworld.invite_code("cuong"))
    assert welcome == texts.WELCOME.format(name="Lê Văn Cường", unit="Chi bộ ấp Tân Thành")
    rows = await zworld.rows("SELECT channel, user_id, chat_id FROM accounts ORDER BY member_id")
    assert [(r["channel"], r["user_id"], r["chat_id"]) for r in rows] == [
        ("zalo", ZALO_IDS["an"], zworld.zfake.chat_of(ZALO_IDS["an"])),
        ("zalo", ZALO_IDS["cuong"], zworld.zfake.chat_of(ZALO_IDS["cuong"])),
    ]


async def test_command_words_with_or_without_diacritics(zworld: ZaloWorld) -> None:
    await zworld.link("cuong")
    [typed] = await zworld.say("cuong", "/huongdan")
    [words] = await zworld.say("cuong", "Hướng dẫn")
    [plain] = await zworld.say("cuong", "huong dan")
    assert typed == words == plain
    assert typed.startswith(texts.HELP_HEADER)


async def test_stickers_images_and_empty_text_are_answered_politely(zworld: ZaloWorld) -> None:
    await zworld.link("cuong")
    assert await zworld.push("cuong", "sticker") == [texts.ZALO_NOT_TEXT]
    assert await zworld.push("cuong", "image") == [texts.ZALO_NOT_TEXT]
    assert await zworld.say("cuong", "   ") == [texts.ZALO_EMPTY_INPUT]


async def test_an_update_without_from_is_ignored(zworld: ZaloWorld, zfake: FakeZalo) -> None:
    event = zfake.push({"event_name": "message.text.received", "message": {"text": "1"}})
    assert event
    # The next real message is answered; nothing was sent for the broken one.
    await zworld.link("cuong")
    assert sum(len(v) for v in zfake.sent.values()) == 1


def test_zalo_config_token_from_the_environment_and_checks(tmp_path: Path) -> None:
    config = parse_config(
        {"zalo": {"token": "from-file"}}, tmp_path, env={"CHIBO_ZALO_TOKEN": "z:1"}
    )
    assert config.zalo.token == "z:1"
    assert config.zalo.base_url == "https://bot-api.zaloplatforms.com"
    assert "z:1" not in repr(config)
    with pytest.raises(ConfigError):
        parse_config({"zalo": {"mode": "webhook"}}, tmp_path, env={})
    with pytest.raises(ConfigError):
        parse_config({"zalo": {"mode": "push"}}, tmp_path, env={})


async def test_zalo_alone_builds_no_telegram_application(zworld: ZaloWorld) -> None:
    assert zworld.chibo.application is None
    assert set(zworld.chibo.worker.senders) == {"zalo"}
