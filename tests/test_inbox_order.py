"""Updates are handled several at a time across chats, one after the other within a chat."""

from __future__ import annotations

from bot.core import texts
from tests.conftest import World
from tests.seed import TG_IDS

ROUNDS = 5


async def test_each_chat_is_answered_in_the_order_it_wrote(world: World) -> None:
    members = ["an", "binh", "cuong"]
    for key in members:
        await world.link(key)
    before = {key: len(world.fake.sent_to(TG_IDS[key])) for key in members}
    # Everything is queued at once: the bot takes it in one getUpdates and works on the three
    # chats side by side.
    for _ in range(ROUNDS):
        for key in members:
            world.fake.send_text(TG_IDS[key], "/huongdan")
            world.fake.send_text(TG_IDS[key], "chưa rõ")
    for key in members:
        sent = await world.fake.wait_sent(TG_IDS[key], before[key] + 2 * ROUNDS)
        answers = [m["text"] for m in sent[before[key] :]]
        assert [a.startswith(texts.HELP_HEADER) for a in answers] == [True, False] * ROUNDS
        assert answers[1::2] == [texts.NOT_UNDERSTOOD] * ROUNDS
