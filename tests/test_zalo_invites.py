"""/moi when both apps are configured: every line gives the code itself, so a member on Zalo
sends it as it is instead of cutting it out of a Telegram link."""

from __future__ import annotations

from bot.core import texts
from tests.conftest import World
from tests.zalo_world import ZaloWorld, both, zfake

__all__ = ["both", "zfake"]


async def test_moi_with_both_apps_gives_each_code(both: ZaloWorld) -> None:
    assert both.tg is not None
    world = World(both.chibo, both.tg, both.clock, both.seeded)
    await world.link("an")
    [reply] = await world.say("an", "/moi")
    rows = await world.rows(
        "SELECT m.full_name, i.code FROM invites i JOIN members m ON m.id = i.member_id "
        "WHERE m.unit_id = ? AND i.used_at IS NULL ORDER BY m.id",
        (world.seeded.unit_ids["A"],),
    )
    assert len(rows) >= 2
    lines = [line for line in reply["text"].splitlines() if line.startswith("• ")]
    assert sorted(lines) == sorted(
        texts.INVITES_LINE_BOTH.format(
            name=r["full_name"], link=f"https://t.me/{world.fake.bot_username}?start={r['code']}",
            code=r["code"],
        )
        for r in rows
    )  # fmt: skip
    assert reply["text"].endswith(texts.INVITES_ZALO_BOTH.format(link=""))
    assert "start=»" not in reply["text"]
