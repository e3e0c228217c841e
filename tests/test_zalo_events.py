"""Zalo events and errors shaped like the documentation: a private event naming only the chat,
and refused sends whose error code the documentation does not list."""

from __future__ import annotations

import pytest

from bot.channels.zalo import ZaloError, map_error
from bot.channels.zalo_turn import zalo_wording
from bot.core import texts
from bot.core.delivery import Rejected, Transient, Unreachable
from tests.zalo_world import ZALO_IDS, ZaloWorld, zfake, zworld

__all__ = ["zfake", "zworld"]

BODY = "Sáng Chủ nhật 7h00 ra quân dọn vệ sinh kênh thủy lợi."


async def test_an_event_without_from_is_answered_in_its_private_chat(zworld: ZaloWorld) -> None:
    chat = zworld.zfake.chat_of(ZALO_IDS["cuong"])
    code = await zworld.invite_code("cuong")
    # As in the documentation's getUpdates sample, minus `from` (and without event_name).
    zworld.zfake.push(
        {
            "message": {
                "chat": {"id": chat, "chat_type": "PRIVATE"},
                "text": code,
                "message_id": "16f6366b3f02645a3d15",
                "date": 1766619597466,
            },
            "event_name": "message.text.received",
        }
    )
    sent = await zworld.zfake.wait_until(lambda: zworld.zfake.sent.get(chat), "the welcome")
    assert sent[0]["text"] == texts.WELCOME.format(name="Lê Văn Cường", unit="Chi bộ ấp Tân Thành")
    rows = await zworld.rows("SELECT user_id, chat_id FROM accounts WHERE channel = 'zalo'")
    assert [(r["user_id"], r["chat_id"]) for r in rows] == [(chat, chat)]
    # In a group, an event without a sender names nobody: ignored.
    zworld.zfake.push(
        {
            "event_name": "message.text.received",
            "message": {"chat": {"id": "aa11", "chat_type": "GROUP"}, "text": "/lichhop"},
        }
    )
    [help_reply] = await zworld.say("dung", "/huongdan")
    assert help_reply == zalo_wording(texts.STRANGER)
    assert "aa11" not in zworld.zfake.sent


@pytest.mark.parametrize("code", [422, -230, 499])
async def test_an_undocumented_refusal_is_rejected_once_not_retried(
    zworld: ZaloWorld, code: int
) -> None:
    for key in ("an", "cuong", "dung"):
        await zworld.link(key)
    zworld.zfake.fail_next("sendMessage", code, "undocumented", user_id=ZALO_IDS["cuong"])
    await zworld.say("an", "/thongbao")
    await zworld.say("an", BODY)
    await zworld.say("an", "gui")
    await zworld.chibo.worker.wait_idle()
    await zworld.clock.advance(3600)
    zworld.chibo.worker.wake()
    await zworld.chibo.worker.wait_idle()
    rows = await zworld.rows(
        "SELECT member_id, status, attempts, last_error FROM outbox WHERE batch = 'notice:1' "
        "ORDER BY member_id"
    )
    by_member = {r["member_id"]: r for r in rows}
    cuong = by_member[zworld.seeded.member_ids["cuong"]]
    assert (cuong["status"], cuong["attempts"]) == ("failed", 1)
    assert cuong["last_error"].startswith("rejected")
    assert by_member[zworld.seeded.member_ids["dung"]]["status"] == "sent"
    # Rejected is not "blocked": the account stays reachable.
    assert await zworld.rows("SELECT * FROM accounts WHERE unreachable_at IS NOT NULL") == []


def test_error_codes_by_kind() -> None:
    # Documented: blocked / not a follower / unknown chat -> unreachable (the other app is tried).
    assert isinstance(map_error(ZaloError(403, "blocked", 403)), Unreachable)
    assert isinstance(map_error(ZaloError(404, "not found", 404)), Unreachable)
    # Undocumented codes are judged by the HTTP status, else by their range.
    assert isinstance(map_error(ZaloError(-213, "not a follower", 403)), Unreachable)
    assert isinstance(map_error(ZaloError(-230, "?", 200)), Rejected)
    assert isinstance(map_error(ZaloError(422, "?", 422)), Rejected)
    assert isinstance(map_error(ZaloError(-1, "?", 502)), Transient)
    assert isinstance(map_error(ZaloError(503, "busy", 503)), Transient)
    assert isinstance(map_error(ZaloError(408, "timeout", 408)), Transient)
