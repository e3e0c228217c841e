"""Tests of the fake Telegram Bot API server, driven by a real python-telegram-bot Bot."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram, parse_html

USER = 1001


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    return Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


async def test_inline_keyboard_message_is_recorded(fake: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Có", callback_data="yes"),
                InlineKeyboardButton("Không", callback_data="no"),
            ]
        ]
    )
    async with make_bot(fake) as bot:
        assert (await bot.get_me()).username == "chibo_test_bot"
        # A text that looks like a number must stay a string.
        msg = await bot.send_message(USER, "123", reply_markup=keyboard)
        assert msg.text == "123"
        assert msg.reply_markup == keyboard
        edited = await bot.edit_message_text("Đã chọn", chat_id=USER, message_id=msg.message_id)
        assert isinstance(edited, Message) and edited.reply_markup is None
    sent = fake.sent_to(USER)
    assert len(sent) == 1
    assert sent[0]["text"] == "Đã chọn" and "reply_markup" not in sent[0]
    # `async with bot` calls getMe once, then the explicit get_me.
    assert [c.method for c in fake.calls] == ["getMe", "getMe", "sendMessage", "editMessageText"]
    assert fake.calls[2].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert fake.violations == []


async def test_violations_answer_bad_request(fake: FakeTelegram) -> None:
    async with make_bot(fake) as bot:
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(USER, "x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="đ" * 33)]])
            await bot.send_message(USER, "ok", reply_markup=markup)
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Start", "Bắt đầu")])
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(USER, "a<br>b", parse_mode="HTML")
        await bot.set_my_commands([BotCommand("start", "Bắt đầu")])
    assert len(fake.violations) == 4
    assert fake.bot_commands() == [{"command": "start", "description": "Bắt đầu"}]
    assert fake.sent_to(USER) == []


async def test_unknown_method_and_wrong_token(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        resp = await client.post(f"{fake.base_url}{fake.token}/sendTelepathy", data={"x": "1"})
    assert resp.status_code == 404
    with pytest.raises(InvalidToken):
        await make_bot(fake, token="999:WRONG").initialize()
    assert len(fake.violations) == 2


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_and_block(fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=7)
    fake.block(USER + 1)
    async with make_bot(fake) as bot:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER, "xin chào")
        assert fake.calls[-1].response["parameters"] == {"retry_after": 7}
        assert caught.value.retry_after in (7, dt.timedelta(seconds=7))
        await bot.send_message(USER, "xin chào")
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(USER + 1, "xin chào")
    assert fake.too_many_requests == 0  # injected, not enforced
    assert [c.status for c in fake.calls if c.method == "sendMessage"] == [429, 200, 403]


async def test_get_updates_long_poll_and_callback(fake: FakeTelegram) -> None:
    async with make_bot(fake) as bot:
        fake.send_text(USER, "/start abc")
        updates = await bot.get_updates(timeout=5)
        assert [u.message.text for u in updates if u.message] == ["/start abc"]
        assert updates[0].message and updates[0].message.entities[0].type == "bot_command"
        offset = updates[0].update_id + 1

        # An empty queue long-polls and wakes as soon as an update arrives.
        poll = asyncio.create_task(bot.get_updates(offset=offset, timeout=5))
        await asyncio.sleep(0.05)
        assert not poll.done()
        msg = await bot.send_message(
            USER,
            "Chọn",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
        )
        fake.press(USER, fake.last_message(USER), "a")
        updates = await asyncio.wait_for(poll, 2)
        query = updates[0].callback_query
        assert query and query.message and query.data == "a"
        assert query.message.message_id == msg.message_id
        await bot.answer_callback_query(query.id, text="OK")
        assert fake.callback_answers[query.id]["text"] == "OK"
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_document_upload_then_file_id(fake: FakeTelegram) -> None:
    async with make_bot(fake) as bot:
        first = await bot.send_document(
            USER, b"%PDF-1.4 bulletin", filename="ban-tin.pdf", caption="Bản tin"
        )
        assert first.document
        again = await bot.send_document(USER + 1, first.document.file_id)
        assert again.document and again.document.file_id == first.document.file_id
        assert first.document.file_size == len(b"%PDF-1.4 bulletin")
        f = await bot.get_file(first.document.file_id)
        assert await f.download_as_bytearray() == bytearray(b"%PDF-1.4 bulletin")
        # A user's document can be downloaded the same way.
        upd = fake.send_document(
            USER, file_name="ds.xlsx", mime_type="application/x", content=b"PK"
        )
        user_file = await bot.get_file(upd["message"]["document"]["file_id"])
        assert await user_file.download_as_bytearray() == bytearray(b"PK")
    assert fake.uploads == 1
    assert fake.last_message(USER)["caption"] == "Bản tin"
    assert fake.violations == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_private_chat_interval_is_enforced() -> None:
    clock = FakeClock()
    fake = FakeTelegram(clock=clock, private_chat_interval=1.0)
    await fake.start()
    try:
        async with make_bot(fake) as bot:
            await bot.send_message(USER, "một")
            await bot.send_message(USER + 1, "một")  # another chat is not affected
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "hai")
            await clock.advance(1.0)
            await bot.send_message(USER, "hai")
    finally:
        await fake.stop()
    assert fake.too_many_requests == 1
    assert [m["text"] for m in fake.sent_to(USER)] == ["một", "hai"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_overall_limit_is_a_strict_sliding_window() -> None:
    """30 accepted sends in any one second, however they are spread; the 31st is refused."""
    clock = FakeClock()
    fake = FakeTelegram(clock=clock, overall_per_second=30.0)
    await fake.start()
    try:
        async with make_bot(fake) as bot:
            for n in range(10):
                await bot.send_message(USER + n, "sớm")
            await clock.advance(0.6)
            for n in range(20):
                await bot.send_message(USER + 100 + n, "muộn")
            await clock.advance(0.39)  # 0.99 s after the first ten: all 30 still in the window
            with pytest.raises(RetryAfter) as refused:
                await bot.send_message(USER + 200, "thừa")
            await clock.advance(0.01)  # the first ten are a second old now
            for n in range(10):
                await bot.send_message(USER + 300 + n, "lại được")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER + 400, "thừa")
    finally:
        await fake.stop()
    assert refused.value.retry_after in (1, dt.timedelta(seconds=1))
    assert fake.too_many_requests == 2
    assert fake.sent_to(USER + 200) == []


async def test_webhook_delivery_and_conflict(fake: FakeTelegram) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with make_bot(fake) as bot:
            await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
            fake.send_text(USER, "chào")
            with pytest.raises(Conflict):
                await bot.get_updates()
            for _ in range(100):
                if received:
                    break
                await asyncio.sleep(0.01)
            assert received[0][0]["message"]["text"] == "chào"
            assert received[0][1] == "s3cret"
            info = await bot.get_webhook_info()
            assert info.pending_update_count == 0
            await bot.delete_webhook()
    finally:
        await runner.cleanup()


async def test_wait_for_and_html(fake: FakeTelegram) -> None:
    async with make_bot(fake) as bot:
        task = asyncio.create_task(fake.wait_sent(USER))
        await bot.send_message(USER, "<b>Họp</b> chi bộ &amp; A &lt; B", parse_mode="HTML")
        (msg,) = await task
        assert msg["text"] == "Họp chi bộ & A < B"
        assert msg["entities"] == [{"offset": 0, "length": 3, "type": "bold"}]
        call = await fake.wait_for(lambda c: c.method == "sendMessage")
        assert call.params["parse_mode"] == "HTML"
    with pytest.raises(AssertionError, match="recent calls"):
        await fake.wait_for(lambda c: c.method == "sendPhoto", timeout=0.05)
    assert parse_html('<a href="tg://user?id=5">X</a>')[1][0]["type"] == "text_mention"
