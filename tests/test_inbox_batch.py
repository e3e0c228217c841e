"""Each getUpdates answer is stored whole, as the platform sent it, before PTB sees it; an update
the platform delivers again (its offset never moved past it, e.g. after a crash) is not
answered twice."""

from __future__ import annotations

import json

from bot.core import texts
from tests.conftest import World
from tests.seed import TG_IDS


async def test_a_batch_is_stored_as_sent_and_a_redelivery_is_answered_once(world: World) -> None:
    await world.link("an")
    uid = TG_IDS["an"]
    before = len(world.fake.sent_to(uid))
    # Queued together: one getUpdates answer holds all three.
    first = world.fake.send_text(uid, "/huongdan")
    second = world.fake.send_text(uid, "chưa rõ")
    third = world.fake.send_text(uid, "/huongdan")
    await world.fake.wait_sent(uid, before + 3)
    rows = {
        int(r["update_key"]): (r["chat_id"], json.loads(r["body"]))
        for r in await world.db.fetchall(
            "SELECT update_key, chat_id, body FROM inbox WHERE channel = 'telegram'"
        )
    }
    for update in (first, second, third):
        assert rows[update["update_id"]] == (str(uid), update)

    # The platform delivers the second one again, with a new message after it: answers go in
    # order within a chat, so a second answer to the redelivery would come before the new one.
    world.fake.push_update(second)
    fourth = world.fake.send_text(uid, "/huongdan")
    sent = await world.fake.wait_sent(uid, before + 4)
    assert len(sent) == before + 4
    assert sent[-1]["text"].startswith(texts.HELP_HEADER)
    count = await world.db.fetchone(
        "SELECT COUNT(*) FROM inbox WHERE update_key IN (?, ?)",
        (str(second["update_id"]), str(fourth["update_id"])),
    )
    assert count is not None and count[0] == 2
