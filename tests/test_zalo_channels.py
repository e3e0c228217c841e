"""One member, two apps: the account linked last by default, /kenh to choose, fallback when blocked."""

from __future__ import annotations

from bot.core import texts
from tests.seed import TG_IDS
from tests.zalo_world import ZALO_IDS, ZaloWorld, both, zfake

__all__ = ["both", "zfake"]

BODY = "Chủ nhật 8h00 tổng vệ sinh đường làng."


def notice_text() -> str:
    return texts.NOTICE_MESSAGE.format(
        unit="Chi bộ ấp Tân Thành", body=BODY, sender="Nguyễn Văn An"
    )


async def tg_say(world: ZaloWorld, key: str, text: str) -> list[dict]:
    assert world.tg is not None
    uid = TG_IDS[key]
    before = len(world.tg.sent_to(uid))
    world.tg.send_text(uid, text)
    return (await world.tg.wait_sent(uid, before + 1))[before:]


async def send_notice(world: ZaloWorld) -> None:
    """The secretary (on Telegram) sends a notice to the cell and waits until it is delivered."""
    assert world.tg is not None
    await tg_say(world, "an", "/thongbao")
    [confirm] = await tg_say(world, "an", BODY)
    data = confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    update = world.tg.press(TG_IDS["an"], confirm, data)
    query_id = update["callback_query"]["id"]
    await world.tg.wait_for(
        lambda c: (
            c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
        )
    )
    await world.chibo.worker.wait_idle()


def tg_texts(world: ZaloWorld, key: str) -> list[str]:
    assert world.tg is not None
    return [m.get("text", "") for m in world.tg.sent_to(TG_IDS[key])]


async def test_the_account_linked_last_gets_messages_until_kenh_says_otherwise(
    both: ZaloWorld,
) -> None:
    await tg_say(both, "an", f"/start {await both.invite_code('an')}")
    await tg_say(both, "cuong", f"/start {await both.invite_code('cuong')}")
    # On Telegram, /kenh gives a one-time code for Zalo.
    await both.clock.advance(60)
    [offer] = await tg_say(both, "cuong", "/kenh")
    code = await both.invite_code("cuong")
    assert offer["text"] == texts.CHANNEL_PREF_ONLY_ONE.format(
        current="Telegram", other="Zalo", code=code, expires="Thứ Bảy, 30/01/2027"
    )
    [welcome] = await both.say("cuong", code)
    assert welcome == texts.WELCOME.format(name="Lê Văn Cường", unit="Chi bộ ấp Tân Thành")

    await send_notice(both)
    assert notice_text() in both.zfake.texts_to(ZALO_IDS["cuong"])
    assert notice_text() not in tg_texts(both, "cuong")

    [ask] = await both.say("cuong", "kenh")
    assert ask.startswith(texts.CHANNEL_PREF_ASK.format(current="Zalo"))
    assert "1. Telegram\n2. Zalo\n" + texts.ZALO_ANSWER_TWO in ask
    [done] = await both.say("cuong", "1")
    assert done == texts.CHANNEL_PREF_SET.format(channel="Telegram")
    rows = await both.rows("SELECT member_id, channel FROM channel_prefs")
    assert [(r["member_id"], r["channel"]) for r in rows] == [
        (both.seeded.member_ids["cuong"], "telegram")
    ]

    await send_notice(both)
    assert tg_texts(both, "cuong").count(notice_text()) == 1
    assert both.zfake.texts_to(ZALO_IDS["cuong"]).count(notice_text()) == 1


async def test_what_one_app_refuses_goes_to_the_other(both: ZaloWorld) -> None:
    assert both.tg is not None
    await tg_say(both, "an", f"/start {await both.invite_code('an')}")
    await both.say("cuong", f"/start {await both.invite_code('cuong')}")
    await both.clock.advance(60)
    await tg_say(both, "cuong", f"/start {await both.invite_code('cuong')}")
    # Telegram was linked last, but the member has blocked the bot there.
    both.tg.block(TG_IDS["cuong"])
    await send_notice(both)
    await both.zfake.wait_until(
        lambda: notice_text() in both.zfake.texts_to(ZALO_IDS["cuong"]), "the fallback copy"
    )
    await both.chibo.worker.wait_idle()
    rows = await both.rows(
        "SELECT channel, status FROM outbox WHERE member_id = ? AND batch = 'notice:1' ORDER BY id",
        (both.seeded.member_ids["cuong"],),
    )
    assert [(r["channel"], r["status"]) for r in rows] == [("telegram", "failed"), ("zalo", "sent")]
    flagged = await both.rows("SELECT channel FROM accounts WHERE unreachable_at IS NOT NULL")
    assert [r["channel"] for r in flagged] == ["telegram"]


async def test_zalo_refusing_a_user_flags_the_account_and_falls_back_to_telegram(
    both: ZaloWorld,
) -> None:
    await tg_say(both, "an", f"/start {await both.invite_code('an')}")
    await tg_say(both, "cuong", f"/start {await both.invite_code('cuong')}")
    await both.clock.advance(60)
    await both.say("cuong", await both.invite_code("cuong"))
    both.zfake.block(ZALO_IDS["cuong"])
    await send_notice(both)
    assert both.tg is not None
    await both.tg.wait_for(lambda c: c.params.get("text") == notice_text())
    flagged = await both.rows("SELECT channel FROM accounts WHERE unreachable_at IS NOT NULL")
    assert [r["channel"] for r in flagged] == ["zalo"]
