"""Bad input gets a polite Vietnamese answer, changes nothing, and the bot keeps running."""

from __future__ import annotations

from bot.core import texts
from handlers import MAX_INPUT
from tests.conftest import World
from tests.seed import TG_IDS


async def test_unknown_commands_long_texts_and_emoji(world: World) -> None:
    await world.link("cuong")
    [unknown] = await world.say("cuong", "/khongcolenhnay")
    assert unknown["text"] == texts.UNKNOWN_COMMAND
    [long] = await world.say("cuong", "ă" * 5000)
    assert long["text"] == texts.TOO_LONG.format(limit=MAX_INPUT)
    [emoji] = await world.say("cuong", "👍🇻🇳🎉")
    assert emoji["text"] == texts.NOT_UNDERSTOOD
    [alive] = await world.say("cuong", "/huongdan")
    assert alive["text"].startswith(texts.HELP_HEADER)


async def test_commands_in_group_chats_are_declined(world: World) -> None:
    await world.link("an")
    group = -100777
    before = len(world.fake.sent_to(group))
    world.fake.send_text(TG_IDS["an"], "/thongbao", chat_id=group, chat_type="supergroup")
    [reply] = (await world.fake.wait_sent(group, before + 1))[before:]
    assert reply["text"] == texts.PRIVATE_ONLY
    assert await world.rows("SELECT * FROM conversations") == []


async def test_member_cannot_use_secretary_commands(world: World) -> None:
    await world.link("cuong")
    for command in ("/thongbao", "/moi"):
        [reply] = await world.say("cuong", command)
        assert reply["text"] == texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)
    assert await world.rows("SELECT * FROM conversations") == []
    assert await world.rows("SELECT * FROM invites WHERE used_at IS NULL") == []


async def test_forged_and_stale_callback_data(world: World) -> None:
    await world.link("an")
    await world.link("ha")
    await world.link("cuong")
    [ask] = await world.say("an", "/thongbao")
    [confirm] = await world.say("an", "Họp chi bộ tối thứ Bảy")
    nonce = confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[2]

    # Another cell's secretary and a plain member replaying the secretary's button data.
    for key in ("ha", "cuong"):
        before = len(world.fake.sent_to(TG_IDS[key]))
        fake_message = {
            "message_id": 1,
            "chat": {"id": TG_IDS[key], "type": "private"},
            "text": "x",
        }
        await world.press(key, fake_message, f"ntc:send:{nonce}", check=False)
        sent = await world.fake.wait_sent(TG_IDS[key], before + 1)
        assert sent[-1]["text"] in (texts.STALE_BUTTON,)
    # Garbage payloads on the secretary's own message.
    for data in ("ntc:send:00000000", "ntc:", "zzz:1:2", "ntc:send:" + nonce + ":extra"):
        await world.press("an", confirm, data, check=False)
    assert await world.rows("SELECT * FROM notices") == []
    assert await world.rows("SELECT * FROM outbox") == []
    # The real conversation is still intact and works.
    await world.press("an", confirm, f"ntc:send:{nonce}")
    await world.fake.wait_for(
        lambda c: (
            c.method == "editMessageText"
            and c.params.get("text") == texts.NOTICE_QUEUED.format(count=2)
        )
    )
    assert len(await world.rows("SELECT * FROM notices")) == 1
    assert ask["text"].startswith("Đồng chí nhập nội dung")


# Numbers in button data that str.isdigit() accepts but int() or SQLite refuse.
ODD_NUMBERS = ("²", "٣", "9" * 40)
PAYLOAD_SHAPES = (
    "mt:y:{n}:1",
    "mt:n:1:{n}",
    "mt:r:1:{n}:om",
    "dl:t:{n}",
    "dl:x:{n}:1",
    "dd:o:{n}",
    "dd:t:1:{n}",
    "dd:p:1:{n}",
    "ck:a:{n}:1:d",
    "ck:a:1:{n}:d",
    "ck:t:1:{n}",
    "tt:n:{n}",
    "tk:v:{n}",
    "tk:g:{n}:1",
    "tv:p:{n}",
    "tv:g:{n}",
    "bd:{n}:1",
    "bg:{n}",
    "br:{n}:1",
    "bt:u:{n}",
    "kn:{n}",
)


async def test_odd_numbers_in_button_data_get_a_polite_answer(world: World) -> None:
    """Forged data with superscript, Arabic-Indic or 40-digit numbers: never the error message."""
    await world.link("an")  # the secretary: the role that can press the most buttons
    await world.say("an", "/huongdan")
    message = world.fake.sent_to(TG_IDS["an"])[-1]
    outbox = await world.rows("SELECT COUNT(*) FROM outbox")
    for shape in PAYLOAD_SHAPES:
        for odd in ODD_NUMBERS:
            data = shape.format(n=odd)
            await world.press("an", message, data, check=False)
            answers = [m.get("text") for m in world.fake.sent_to(TG_IDS["an"])[-1:]]
            assert texts.GENERIC_ERROR not in answers, data
    assert await world.rows("SELECT COUNT(*) FROM outbox") == outbox
