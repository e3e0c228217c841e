"""Zalo: numbered choices (also after a restart), bad numbers, long texts, the webhook secret."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from bot.app import Chibo
from bot.channels.zalo import MAX_TEXT, answer_hint, number_parts
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.zalo_api import FakeZalo
from tests.seed import seed
from tests.zalo_world import ZALO_IDS, ZaloWorld, make_zalo_config, zfake, zworld

__all__ = ["zfake", "zworld"]

BODY = "Tối thứ Bảy 19h00 họp chi bộ tại nhà văn hóa ấp. Đề nghị các đồng chí dự đầy đủ."
CHOICES = "\n".join(
    [
        texts.ZALO_CHOICE_LINE.format(number=1, label=texts.NOTICE_SEND),
        texts.ZALO_CHOICE_LINE.format(number=2, label=texts.NOTICE_CANCEL),
        texts.ZALO_ANSWER_TWO,
    ]
)


async def _compose(zworld: ZaloWorld, body: str = BODY, count: int = 1) -> list[str]:
    for key in ("an", "cuong"):
        await zworld.link(key)
    await zworld.say("an", "/thongbao")
    return await zworld.say("an", body, count)


async def test_a_notice_is_confirmed_by_answering_1(zworld: ZaloWorld) -> None:
    [confirm] = await _compose(zworld)
    assert confirm.endswith("\n\n" + CHOICES)
    [queued] = await zworld.say("an", "1")
    assert queued == texts.NOTICE_QUEUED.format(count=2)
    expected = texts.NOTICE_MESSAGE.format(
        unit="Chi bộ ấp Tân Thành", body=BODY, sender="Nguyễn Văn An"
    )
    messages = await zworld.zfake.wait_sent(ZALO_IDS["cuong"], 2)
    assert messages[1]["text"] == expected
    # The choice was used up: "1" now means nothing.
    rows = await zworld.rows(
        "SELECT * FROM offered_choices WHERE chat_id = ?", (zworld.zfake.chat_of(ZALO_IDS["an"]),)
    )
    assert rows == []


async def test_bad_numbers_and_other_text_reshow_the_choices(zworld: ZaloWorld) -> None:
    await _compose(zworld)
    for number in ("0", "99"):
        [again] = await zworld.say("an", number)
        assert again == texts.ZALO_NUMBER_OUT_OF_RANGE.format(number=number) + "\n\n" + CHOICES
    [again] = await zworld.say("an", "1 2")
    assert again.endswith(CHOICES)
    assert await zworld.push("an", "sticker") == [texts.ZALO_NOT_TEXT + "\n\n" + CHOICES]
    assert await zworld.say("an", "") == [texts.ZALO_EMPTY_INPUT + "\n\n" + CHOICES]
    # Nothing was sent to the members meanwhile.
    assert len(zworld.zfake.sent_to(ZALO_IDS["cuong"])) == 1
    [cancelled] = await zworld.say("an", "2")
    assert cancelled == texts.CANCELLED


async def test_answers_still_work_after_a_restart(
    zworld: ZaloWorld, zfake: FakeZalo, tmp_path: Path
) -> None:
    await _compose(zworld)
    await zworld.chibo.stop()
    zworld.chibo = await Chibo.build(make_zalo_config(tmp_path, zfake), clock=zworld.clock)
    await zworld.chibo.start()
    [queued] = await zworld.say("an", "1")
    assert queued == texts.NOTICE_QUEUED.format(count=2)


async def test_a_reply_over_2000_characters_goes_out_in_numbered_parts(zworld: ZaloWorld) -> None:
    body = "\n".join(f"Dòng {i}: " + "nội dung thông báo " * 4 for i in range(40))[:2001]
    assert len(body) == 2001
    parts = await _compose(zworld, body, 2)
    assert len(parts) == 2
    assert parts[0].startswith(texts.ZALO_PART.format(index=1, total=2, text=""))
    assert parts[1].startswith(texts.ZALO_PART.format(index=2, total=2, text=""))
    assert all(len(p) <= MAX_TEXT for p in parts)
    assert parts[1].endswith(CHOICES)
    [queued] = await zworld.say("an", "1")
    assert queued == texts.NOTICE_QUEUED.format(count=2)
    # The member's copy is split the same way, at line breaks.
    copy = [m["text"] for m in await zworld.zfake.wait_sent(ZALO_IDS["cuong"], 3)][1:]
    assert len(copy) == 2 and all(len(p) <= MAX_TEXT for p in copy)


def test_number_parts_splits_exactly_over_the_limit() -> None:
    assert number_parts("a" * MAX_TEXT, MAX_TEXT) == ["a" * MAX_TEXT]
    text = ("x" * 99 + "\n") * 20 + "y"
    assert len(text) == 2001
    parts = number_parts(text, MAX_TEXT)
    assert len(parts) == 2 and all(len(p) <= MAX_TEXT for p in parts)
    assert parts[0].startswith("(1/2) ") and parts[1].startswith("(2/2) ")
    assert answer_hint(1) == texts.ZALO_ANSWER_ONE
    assert answer_hint(5) == texts.ZALO_ANSWER_MANY.format(last=5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_checks_the_secret_and_ignores_anything_else(
    zfake: FakeZalo, tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/zalo/hook"
    config = make_zalo_config(
        tmp_path,
        zfake,
        mode="webhook",
        webhook_url=url,
        webhook_port=port,
        webhook_secret="s3cret-token-123",
    )
    clock = FakeClock()
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    try:
        assert zfake.webhook_url == url and zfake.webhook_secret == "s3cret-token-123"
        world = ZaloWorld(chibo, zfake, clock, seeded)
        await world.link("cuong")
        await zfake.wait_until(lambda: zfake.webhook_answers == [200], "the webhook's answer")
        event = {
            "ok": True,
            "result": {
                "event_name": "message.text.received",
                "message": {
                    "from": {"id": ZALO_IDS["dung"], "display_name": "x", "is_bot": False},
                    "chat": {"id": zfake.chat_of(ZALO_IDS["dung"]), "chat_type": "PRIVATE"},
                    "text": await world.invite_code("dung"),
                    "message_id": "abc",
                    "date": 1,
                },
            },
        }
        async with httpx.AsyncClient() as http:
            missing = await http.post(url, json=event)
            wrong = await http.post(url, json=event, headers={"X-Bot-Api-Secret-Token": "nope"})
        assert (missing.status_code, wrong.status_code) == (403, 403)
        # No side effect: nobody linked, nothing sent, no attempt counted.
        rows = await world.rows("SELECT user_id FROM accounts")
        assert [r["user_id"] for r in rows] == [ZALO_IDS["cuong"]]
        assert await world.rows("SELECT * FROM link_attempts") == []
        assert zfake.sent_to(ZALO_IDS["dung"]) == []

        # Zalo is answered only once the event is stored; a redelivery is handled once.
        secret = {"X-Bot-Api-Secret-Token": "s3cret-token-123"}
        async with httpx.AsyncClient() as http:
            for _ in range(2):
                answer = await http.post(url, json=event, headers=secret)
                assert answer.status_code == 200
                rows = await world.rows("SELECT update_key FROM inbox WHERE update_key = 'abc'")
                assert len(rows) == 1
        await zfake.wait_sent(ZALO_IDS["dung"], 1)
        await world.say("cuong", "/huongdan")
        assert len(zfake.sent_to(ZALO_IDS["dung"])) == 1
    finally:
        await chibo.stop()
