"""Zalo's answer rules for every handler: one numbered list per answer turn, no «bấm» or «quét»
in anything sent on Zalo, choices picked by their words, and the unit rules behind them."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

from bot.channels.zalo import answer_hint
from bot.channels.zalo_turn import match_choice, number_turn, zalo_wording
from bot.core import texts
from bot.core.types import Option, Reply, single_column
from handlers import COMMANDS
from tests.zalo_world import ZALO_IDS, ZaloWorld, zfake, zworld

__all__ = ["zfake", "zworld"]

_CHOICE = re.compile(r"^(\d+)\. (.+)$")
# Words that tell someone to press a button or scan a code: never said on Zalo.
_PRESS = re.compile(r"\bbấm\b|\bquét\b|\bnhấn\b", re.IGNORECASE)
# Texts that are printed or shown in a terminal, never sent in a chat.
_PRINTED = ("CLI_", "INVITE_SHEET_", "INVITE_INDEX_", "SANDBOX_")


def choice_block(text: str) -> tuple[list[int], str]:
    """The numbers of the choices at the end of a Zalo message, and its hint line."""
    last = text.rsplit("\n\n", 1)[-1].splitlines()
    # A numbered block is choices only when the answer hint closes it (a body may number too).
    if not last or not last[-1].startswith(texts.ZALO_ANSWER_ONE.split("1")[0]):
        return [], ""
    return [int(m.group(1)) for m in map(_CHOICE.match, last) if m], last[-1]


def check_turn(messages: list[str]) -> list[int]:
    """One turn's messages follow the rules; returns the choice numbers offered."""
    offered: list[int] = []
    for text in messages:
        assert not _PRESS.search(text), text
        numbers, hint = choice_block(text)
        if numbers:
            assert hint == answer_hint(len(numbers), numbers[0]), text
        offered += numbers
    # One numbered list across the whole turn: 1..N, each number once.
    assert offered == list(range(1, len(offered) + 1)), messages
    return offered


async def turn(world: ZaloWorld, key: str, text: str) -> list[str]:
    """The direct answers to a text. A sticker follows the text: events are handled in order, so
    once the sticker's answer arrives the text's whole turn has been answered (the sticker keeps
    the choices). What the outbox sent meanwhile is left out: it is not part of the turn."""
    uid = ZALO_IDS[key]
    before = len(world.zfake.sent_to(uid))
    world.zfake.send_text(uid, text)
    world.zfake.send_sticker(uid)

    def done() -> list[dict[str, Any]] | None:
        got = world.zfake.sent_to(uid)[before:]
        return got[:-1] if got and got[-1].get("text", "").startswith(texts.ZALO_NOT_TEXT) else None

    messages: list[dict[str, Any]] = await world.zfake.wait_until(done, f"the answer to {text!r}")
    # The overall rate budget refills on the fake clock: step it when sends wait for it.
    for _ in range(50):
        try:
            await asyncio.wait_for(world.chibo.worker.wait_idle(), 2.0)
            break
        except TimeoutError:
            await world.clock.advance(0.2)
    else:
        raise AssertionError("the outbox did not drain")
    rows = await world.rows("SELECT message_id FROM outbox WHERE message_id IS NOT NULL")
    queued = {r["message_id"] for r in rows}
    return [m.get("text") or "" for m in messages if m["message_id"] not in queued]


def test_no_text_sent_in_a_chat_says_press_or_scan_on_zalo() -> None:
    found = []
    for name, value in vars(texts).items():
        if name.startswith(_PRINTED):
            continue
        values = value.values() if isinstance(value, dict) else [value]
        for text in values:
            if isinstance(text, str) and _PRESS.search(zalo_wording(text)):
                found.append(name)
    assert found == []
    # Every Telegram wording the table rewrites is one the texts really use.
    catalogue = "\n".join(str(v) for v in vars(texts).values() if isinstance(v, str))
    assert all(telegram in catalogue for telegram, _ in texts.ZALO_WORDING)


async def test_every_command_and_choice_on_zalo_one_list_per_turn_no_press(
    zworld: ZaloWorld,
) -> None:
    """Every command, and every choice it offers, as a secretary (who is also publisher) and as
    a member, with meetings, a past meeting, a task and a check-in round on file."""
    ids = zworld.seeded.member_ids
    async with zworld.db.write() as conn:
        await conn.execute(
            "INSERT INTO roles (member_id, role, unit_id, source) "
            "VALUES (?, 'propaganda', ?, 'manual')",
            (ids["an"], zworld.seeded.unit_ids["T"]),
        )
    for key in ("an", "binh", "cuong", "dung"):
        await zworld.link(key)
    for moment in ("2026-11-04T01:00:00", "2026-11-05T15:00:00", "2026-11-28T01:00:00"):
        zworld.clock.set(datetime.fromisoformat(moment).replace(tzinfo=UTC))
        await zworld.chibo.tick()
    # A task for Cường, assigned by words and numbers.
    check_turn(await turn(zworld, "an", "/giaoviec"))
    check_turn(await turn(zworld, "an", "cuong"))
    for step in ("xong", "Vận động quỹ khuyến học", "khong dat han", "giao viec"):
        check_turn(await turn(zworld, "an", step))
    assert await zworld.rows("SELECT * FROM tasks")
    for moment in ("2026-11-30T01:00:00", "2026-12-01T01:00:00", "2026-12-02T01:00:00"):
        zworld.clock.set(datetime.fromisoformat(moment).replace(tzinfo=UTC))
        await zworld.chibo.tick()
    await zworld.chibo.worker.wait_idle()

    tried = 0
    for key in ("an", "cuong"):
        for command in COMMANDS:
            if command.name == "start":
                continue
            offered = check_turn(await turn(zworld, key, "/" + command.name))
            for number in offered[:6]:
                await turn(zworld, key, "/huy")
                check_turn(await turn(zworld, key, "/" + command.name))
                after = check_turn(await turn(zworld, key, str(number)))
                tried += 1
                if after:
                    # One level further: the first choice of what that opened.
                    check_turn(await turn(zworld, key, "1"))
            await turn(zworld, key, "/huy")
    assert tried >= 30
    # Everything the outbox sent meanwhile (reminders, prompts, notices, reports) too.
    await zworld.chibo.worker.wait_idle()
    for sent in zworld.zfake.sent.values():
        for message in sent:
            text = message.get("text") or message.get("caption") or ""
            assert not _PRESS.search(text), text


def test_numbering_runs_across_the_turn() -> None:
    two = single_column(Option("Có", "a:1"), Option("Không", "a:2"))
    replies = [Reply("Tiêu đề"), Reply("Buổi 1", options=two), Reply("Buổi 2", options=two)]
    assert [start for _, start in number_turn(replies)] == [1, 1, 3]
    assert [start for _, start in number_turn(replies, already=4)] == [5, 5, 7]
    assert answer_hint(2, 3) == texts.ZALO_ANSWER_PAIR.format(first=3, last=4)
    assert answer_hint(1, 5) == texts.ZALO_ANSWER_ONE_AT.format(number=5)
    assert answer_hint(3, 2) == texts.ZALO_ANSWER_RANGE.format(first=2, last=4)
    assert answer_hint(2) == texts.ZALO_ANSWER_TWO


def test_a_choice_is_picked_by_a_distinctive_word_or_its_start() -> None:
    options = [
        Option("Tôi sẽ tham dự (05/12)", "mt:y:1:3"),
        Option("Xin vắng (05/12)", "mt:n:1:3"),
        Option("Tôi sẽ tham dự (05/01)", "mt:y:2:3"),
        Option("Xin vắng (05/01)", "mt:n:2:3"),
        Option("Hoàng Văn Đức", "mt:m:1:5"),
    ]
    assert match_choice("tham du 5/12", options) == [0]
    assert match_choice("THAM DỰ 05/01", options) == [2]
    assert match_choice("xin vắng 5/1", options) == [3]
    assert match_choice("vang", options) == [1, 3]
    assert match_choice("Đức", options) == [4]
    assert match_choice("hoang v", options) == [4]
    # Not a choice: a sentence, a command, nothing.
    assert match_choice("tôi bận đi công tác", options) == []
    assert match_choice("/lichhop", options) == []
    assert match_choice("  ", options) == []
    reasons = [Option(label, code) for code, label in texts.MEETING_REASONS.items()]
    assert match_choice("om", reasons) == [0]
    assert match_choice("gia đình", reasons) == [2]
    assert match_choice("Đi thăm con ở Sài Gòn", reasons) == []
    # The whole label wins over labels it is the start of.
    same = [Option("Bỏ qua", "x:1"), Option("Bỏ qua tất cả", "x:2")]
    assert match_choice("bo qua", same) == [0]
