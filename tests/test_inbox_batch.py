"""Each getUpdates answer is stored whole, each update's JSON as the platform sent it, before
PTB parses it; the updates are then answered once each, in order. (A redelivery after a crash is
tests/test_inbox_crash.py's.)"""

from __future__ import annotations

import json

from bot.core import texts
from tests.conftest import World
from tests.seed import TG_IDS


async def test_a_getupdates_answer_is_stored_as_sent_and_answered_once(world: World) -> None:
    await world.link("an")
    uid = TG_IDS["an"]
    before = len(world.fake.sent_to(uid))
    # Queued together: one getUpdates answer holds all three.
    updates = [
        world.fake.send_text(uid, "/huongdan"),
        world.fake.send_text(uid, "chưa rõ"),
        world.fake.send_text(uid, "/huongdan"),
    ]
    sent = await world.fake.wait_sent(uid, before + 3)
    rows = {
        int(r["update_key"]): (r["chat_id"], json.loads(r["body"]))
        for r in await world.db.fetchall(
            "SELECT update_key, chat_id, body FROM inbox WHERE channel = 'telegram'"
        )
    }
    for update in updates:
        assert rows[update["update_id"]] == (str(uid), update)
    answers = [m["text"] for m in sent[before:]]
    assert [a.startswith(texts.HELP_HEADER) for a in answers] == [True, False, True]
    assert answers[1] == texts.NOT_UNDERSTOOD
    # One more message: answered once, after the others (nothing was answered twice).
    world.fake.send_text(uid, "chưa rõ")
    sent = await world.fake.wait_sent(uid, before + 4)
    assert len(sent) == before + 4 and sent[-1]["text"] == texts.NOT_UNDERSTOOD
