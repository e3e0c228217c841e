"""/bienban on Zalo when Chibo has no public address for files: the secretary is told where the
draft can be had, and keeps the menu, instead of being sent to ask the secretary (herself)."""

from __future__ import annotations

from bot.core import texts
from tests.minutes_flow import at
from tests.zalo_world import ZALO_IDS, ZaloWorld, zfake, zworld

__all__ = ["zfake", "zworld"]


async def test_a_draft_on_zalo_without_files_public_url(zworld: ZaloWorld) -> None:
    assert zworld.chibo.config.zalo.files_public_url == ""
    zworld.clock.set(at("2026-12-01T01:00:00"))
    await zworld.chibo.tick()
    await zworld.link("an")
    uid = ZALO_IDS["an"]
    before = len(zworld.zfake.sent_to(uid))
    zworld.clock.set(at("2026-12-05T15:00:00"))
    await zworld.chibo.tick()  # the meeting is over: the attendance prompt goes out
    [prompt] = (await zworld.zfake.wait_sent(uid, before + 1))[before:]
    assert "điểm danh" in prompt["text"]

    [menu] = await zworld.say("an", "/bienban")
    assert menu.startswith("📝 Biên bản và nghị quyết")
    for choice in ("1", "tải nghị quyết"):
        [answer] = await zworld.say("an", choice)
        assert answer.startswith(texts.BIENBAN_NO_LINK_ZALO), choice
        assert texts.ZALO_FILE_UNAVAILABLE not in answer
        assert f"1. {texts.BIENBAN_MINUTES}" in answer  # the menu stays answerable
    assert not [m for m in zworld.zfake.sent_to(uid) if "Dự thảo" in (m.get("text") or "")]
