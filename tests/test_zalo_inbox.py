"""Zalo: an event stored but not yet answered when the bot stopped is answered after the start,
before anything newer, and once."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.zalo_api import FakeZalo
from storage.inbox import InboxRepo
from tests.seed import seed
from tests.zalo_world import ZALO_IDS, make_zalo_config, zfake

__all__ = ["zfake"]


async def test_an_event_left_in_the_inbox_is_answered_after_a_restart(
    zfake: FakeZalo, tmp_path: Path
) -> None:
    clock = FakeClock()
    chibo = await Chibo.build(make_zalo_config(tmp_path, zfake), clock=clock)
    await seed(chibo.db)
    stranger = "7f3a9c00000000ff"
    zfake.user(stranger, "khách")
    chat = zfake.chat_of(stranger)
    # What a run killed between storing an event and answering it leaves behind.
    event = {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": stranger, "display_name": "khách", "is_bot": False},
            "chat": {"id": chat, "chat_type": "PRIVATE"},
            "text": "xin chào",
            "message_id": "left-behind",
            "date": 1,
        },
    }
    inbox = InboxRepo(chibo.db, "zalo")
    assert await inbox.store("left-behind", chat, json.dumps(event), clock.now())
    await chibo.start()
    try:
        zfake.send_text(ZALO_IDS["an"], "xin chào")
        [first] = await zfake.wait_sent(stranger, 1)
        assert first["text"].startswith(texts.STRANGER.splitlines()[0])
        await zfake.wait_sent(ZALO_IDS["an"], 1)
        order = [c.params["chat_id"] for c in zfake.calls if c.method == "sendMessage"]
        assert order.index(chat) < order.index(zfake.chat_of(ZALO_IDS["an"]))
        # Zalo delivering the same event again changes nothing.
        zfake.push(event)
        zfake.send_text(stranger, "còn đó không?")
        await zfake.wait_sent(stranger, 2)
        assert len(zfake.sent_to(stranger)) == 2
        rows = await chibo.db.fetchall(
            "SELECT handled_at FROM inbox WHERE update_key = ?", ("left-behind",)
        )
        assert len(rows) == 1 and rows[0]["handled_at"] is not None
    finally:
        await chibo.stop()
