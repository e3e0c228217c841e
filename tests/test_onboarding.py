"""Onboarding end to end: invite codes, greetings, lockout, strangers, help and the menu."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from bot.core import texts
from handlers import menu_commands
from tests.conftest import World
from tests.seed import MEMBERS, TG_IDS

STRANGER_ID = 4242


async def test_start_with_code_links_account_and_greets_by_name(world: World) -> None:
    code = await world.invite_code("cuong")
    [reply] = await world.say("cuong", f"/start {code}")
    assert reply["text"] == texts.WELCOME.format(name="Lê Văn Cường", unit="Chi bộ ấp Tân Thành")
    rows = await world.rows("SELECT channel, user_id, chat_id, member_id FROM accounts")
    assert [tuple(r) for r in rows] == [
        ("telegram", str(TG_IDS["cuong"]), str(TG_IDS["cuong"]), world.seeded.member_ids["cuong"])
    ]
    [again] = await world.say("cuong", "/start")
    assert again["text"] == texts.WELCOME_BACK.format(
        name="Lê Văn Cường", unit="Chi bộ ấp Tân Thành"
    )


async def test_wrong_used_expired_and_forged_codes_are_refused(world: World) -> None:
    [wrong] = await world.say(STRANGER_ID, "/start ZZZZ2222")
    assert wrong["text"] == texts.INVITE_INVALID
    [forged] = await world.say(STRANGER_ID, "/start ../../etc/passwd;DROP TABLE")
    assert forged["text"] == texts.INVITE_INVALID
    [huge] = await world.say(STRANGER_ID, "/start " + "A" * 300)
    assert huge["text"] == texts.INVITE_INVALID

    code = await world.invite_code("dung")
    await world.say("dung", f"/start {code}")
    [used] = await world.say(STRANGER_ID + 1, f"/start {code}")
    assert used["text"] == texts.INVITE_USED

    expiring = await world.invite_code("duc")
    world.clock.set(world.clock.now() + timedelta(days=31))
    [expired] = await world.say("duc", f"/start {expiring}")
    assert expired["text"] == texts.INVITE_EXPIRED

    rows = await world.rows("SELECT user_id FROM accounts")
    assert [r["user_id"] for r in rows] == [str(TG_IDS["dung"])]
    # Nothing a refused person was told names anyone on the roster.
    names = {name for _, name, *_ in MEMBERS}
    for uid in (STRANGER_ID, STRANGER_ID + 1, TG_IDS["duc"]):
        for message in world.fake.sent_to(uid):
            assert not any(name in message["text"] for name in names)


async def test_repeated_wrong_codes_lock_the_account_for_a_while(world: World) -> None:
    good = await world.invite_code("cuong")
    uid = TG_IDS["cuong"]
    for _ in range(world.chibo.config.invites.max_failures):
        [reply] = await world.say(uid, "/start WRONG234")
        assert reply["text"] == texts.INVITE_INVALID
    [locked] = await world.say(uid, f"/start {good}")
    minutes = world.chibo.config.invites.lockout_minutes
    assert locked["text"] == texts.INVITE_LOCKED.format(minutes=minutes)
    assert await world.rows("SELECT * FROM accounts") == []
    world.clock.set(world.clock.now() + timedelta(minutes=minutes + 1))
    [welcome] = await world.say(uid, f"/start {good}")
    assert welcome["text"].startswith("Chào đồng chí Lê Văn Cường")


async def test_stranger_learns_nothing_about_the_roster(world: World) -> None:
    for text in ("xin chào", "/huongdan", "/thongbao", "Nguyễn Văn An", "/moi"):
        [reply] = await world.say(STRANGER_ID, text)
        assert reply["text"] == texts.STRANGER


async def test_bare_code_and_nfd_input_link_too(world: World) -> None:
    code = await world.invite_code("hung")
    [reply] = await world.say("hung", f"  {code.lower()} ")
    assert reply["text"].startswith("Chào đồng chí Đặng Văn Hùng")
    nfd = unicodedata.normalize("NFD", "hướng dẫn")
    [hint] = await world.say("hung", nfd)
    assert hint["text"] == texts.NOT_UNDERSTOOD


async def test_help_lists_the_commands_of_the_role_and_the_menu_is_registered(world: World) -> None:
    await world.link("cuong")
    await world.link("an")
    [member_help] = await world.say("cuong", "/huongdan")
    [secretary_help] = await world.say("an", "/trogiup")
    [english] = await world.say("an", "/help")
    assert "/thongbao" not in member_help["text"]
    assert "/huongdan" in member_help["text"]
    assert "/thongbao" in secretary_help["text"] and "/moi" in secretary_help["text"]
    assert english["text"] == secretary_help["text"]
    call = await world.fake.wait_for(lambda c: c.method == "setMyCommands")
    registered = [(c["command"], c["description"]) for c in call.params["commands"]]
    assert registered == menu_commands()
    assert all(desc for _, desc in registered)


async def test_a_secretary_gets_their_own_command_menu_when_linking(world: World) -> None:
    await world.link("an")
    call = await world.fake.wait_for(lambda c: c.method == "setMyCommands" and "scope" in c.params)
    assert call.params["scope"] == {"type": "chat", "chat_id": TG_IDS["an"]}
    commands = [c["command"] for c in call.params["commands"]]
    assert "thongbao" in commands and "moi" in commands
    await world.link("cuong")
    scoped = [c for c in world.fake.calls if c.method == "setMyCommands" and "scope" in c.params]
    assert len(scoped) == 1  # a plain member keeps the default menu
