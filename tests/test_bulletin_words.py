"""The bulletin as members type it and as the publisher watches it: «đã đọc» typed on Telegram
(the same route as on Zalo), and the progress message shown while the copies go out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import texts
from bot.app import Chibo
from bot.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from tests.bulletin_flow import button, make_publisher, publish_in_chat
from tests.conftest import World, make_config
from tests.seed import TG_IDS, seed

ISSUE = "Số 12/2026"
TITLE = texts.BULLETIN_DEFAULT_TITLE


async def _reads(world: World) -> list[int]:
    rows = await world.rows(
        "SELECT member_id FROM bulletin_recipients WHERE read_at IS NOT NULL ORDER BY member_id"
    )
    return [r["member_id"] for r in rows]


async def test_typing_da_doc_marks_the_newest_bulletin_read(world: World) -> None:
    await make_publisher(world)
    for key in ("binh", "cuong", "dung", "ha"):
        await world.link(key)
    # Before any bulletin the words mean nothing yet.
    [nothing] = await world.say("cuong", "đã đọc")
    assert nothing["text"] == texts.NOT_UNDERSTOOD

    confirm = await publish_in_chat(world)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    await world.fake.wait_for(lambda c: c.method == "sendDocument" and c.chat_id == TG_IDS["ha"])
    await world.chibo.worker.wait_idle()

    ids = world.seeded.member_ids
    [thanks] = await world.say("cuong", "đã đọc")
    assert thanks["text"] == texts.BULLETIN_READ_THANKS.format(issue=ISSUE)
    # Without diacritics, in capitals, with a full stop: the same.
    [thanks] = await world.say("dung", "DA DOC.")
    assert thanks["text"] == texts.BULLETIN_READ_THANKS.format(issue=ISSUE)
    [again] = await world.say("cuong", "Đã đọc")
    assert again["text"] == texts.BULLETIN_READ_ALREADY.format(issue=ISSUE)
    assert await _reads(world) == sorted([ids["cuong"], ids["dung"]])

    # Words that only contain them are not a read.
    [other] = await world.say("ha", "tôi chưa đọc")
    assert other["text"] == texts.NOT_UNDERSTOOD
    assert await _reads(world) == sorted([ids["cuong"], ids["dung"]])


@pytest.fixture
async def one_at_a_time(
    fake: FakeTelegram, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[World]:
    """The bot sending one message at a time, so the order of sends is the order of the queue."""
    config = make_config(tmp_path, fake, delivery={"concurrency": 1})
    chibo = await Chibo.build(config, clock=clock)
    seeded = await seed(chibo.db)
    await chibo.start()
    try:
        yield World(chibo, fake, clock, seeded)
    finally:
        await chibo.stop()


async def test_the_progress_message_comes_before_the_copies(one_at_a_time: World) -> None:
    world = one_at_a_time
    await make_publisher(world)
    linked = ("an", "binh", "cuong", "dung", "ha", "hung")
    for key in linked:
        await world.link(key)
    confirm = await publish_in_chat(world)
    start = len(world.fake.calls)
    await world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    for key in linked:
        await world.fake.wait_for(
            lambda c, uid=TG_IDS[key]: c.method == "sendDocument" and c.chat_id == uid
        )
    await world.chibo.worker.wait_idle()

    sends = [c for c in world.fake.calls[start:] if c.method in ("sendMessage", "sendDocument")]
    progress = texts.BULLETIN_PROGRESS.format(
        title=TITLE, issue=ISSUE, sent=0, failed=0, left=len(linked), eta=texts.BULLETIN_ETA_SOON
    )
    first = next(
        i for i, c in enumerate(sends) if c.method == "sendMessage" and c.params["text"] == progress
    )
    documents = [i for i, c in enumerate(sends) if c.method == "sendDocument"]
    assert len(documents) == len(linked)
    assert first < min(documents), [c.method for c in sends]

    # The planner then keeps that one message current and ends it with the final state.
    await world.chibo.tick()
    await world.chibo.worker.wait_idle()
    done = texts.BULLETIN_PROGRESS_DONE.format(title=TITLE, issue=ISSUE, sent=6, failed=0)
    binh_chat = world.fake.sent_to(TG_IDS["binh"])
    assert any(m.get("text") == done and m.get("edit_date") for m in binh_chat)
