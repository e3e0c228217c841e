"""The fake Zalo Bot API and the client: documented shapes only, errors mapped to the kinds."""

from __future__ import annotations

import httpx
import pytest

from bot.channels.zalo import ZaloClient, ZaloError, ZaloUpdate, map_error, to_incoming
from bot.core.delivery import Rejected, RetryLater, Transient, Unreachable
from bot.sandbox.zalo_api import FakeZalo
from tests.zalo_world import ZALO_IDS, zfake

__all__ = ["zfake"]


async def test_get_updates_returns_one_event_then_408(zfake: FakeZalo) -> None:
    client = ZaloClient(zfake.token, zfake.base_url)
    try:
        me = await client.get_me()
        assert me.account_name == "chibo_bot"
        uid = ZALO_IDS["cuong"]
        zfake.send_text(uid, "xin chào")
        zfake.send_text(uid, "lần hai")
        first = await client.get_updates(1)
        second = await client.get_updates(1)
        assert first is not None and second is not None
        assert first.event_name == "message.text.received"
        msg = to_incoming(first)
        assert msg is not None and msg.text == "xin chào" and msg.user_id == uid
        assert msg.chat_id == zfake.chat_of(uid) != uid
        # Nothing new: error 408, which the client reports as "no update".
        assert await client.get_updates(1) is None
        # While a webhook is set getUpdates does not work.
        assert await client.set_webhook("http://127.0.0.1:9/hook", "secret-token-1")
        assert (await client.get_webhook_info()).url == "http://127.0.0.1:9/hook"
        with pytest.raises(ZaloError):
            await client.get_updates(1)
        assert await client.delete_webhook()
        sent = await client.send_message(zfake.chat_of(uid), "chào")
        assert sent.message_id and sent.date_ms > 10**12  # milliseconds
        assert await client.send_chat_action(zfake.chat_of(uid), "typing")
        photo = await client.send_photo(zfake.chat_of(uid), "https://example.vn/a.jpg", "ảnh")
        assert photo.message_id
    finally:
        await client.close()
    assert zfake.violations == []


async def test_the_fake_refuses_what_the_api_does_not_document(zfake: FakeZalo) -> None:
    async with httpx.AsyncClient() as http:
        url = f"{zfake.base_url}/bot{zfake.token}/"
        chat = zfake.chat_of(ZALO_IDS["cuong"])
        answers = [
            await http.post(url + "sendMessage", json={"chat_id": chat, "text": "x" * 2001}),
            await http.post(url + "sendMessage", json={"chat_id": chat, "text": ""}),
            await http.post(url + "sendMessage", json={"chat_id": 12, "text": "x"}),
            await http.post(
                url + "sendMessage", json={"chat_id": chat, "text": "x", "reply_markup": {}}
            ),
            await http.post(url + "sendDocument", json={"chat_id": chat}),
            await http.post(f"{zfake.base_url}/botWRONG/getMe", json={}),
        ]
    assert all(a.json()["ok"] is False for a in answers)
    assert len(zfake.violations) == 6
    zfake.violations.clear()


def test_error_answers_map_to_the_delivery_kinds() -> None:
    assert isinstance(map_error(ZaloError(429, "slow down")), RetryLater)
    assert isinstance(map_error(ZaloError(403, "blocked")), Unreachable)
    assert isinstance(map_error(ZaloError(500, "oops")), Transient)
    assert isinstance(map_error(ZaloError(400, "bad")), Rejected)
    assert ZaloUpdate.parse([]) is None
    assert ZaloUpdate.parse({"event_name": "message.text.received"}) is None
