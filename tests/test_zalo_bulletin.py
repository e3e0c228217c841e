"""The bulletin on Zalo: title and caption plus a link to the PDF Chibo serves; "đã đọc" as text."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.channels.zalo_turn import zalo_wording
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from tests.bulletin_flow import PDF, button, make_publisher, publish_in_chat
from tests.conftest import World
from tests.zalo_world import ZALO_IDS, ZaloWorld, serving_files, zfake

__all__ = ["zfake"]

ISSUE = "Số 12/2026"


@pytest.fixture
async def served(
    zfake: FakeZalo, fake: FakeTelegram, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[ZaloWorld]:
    """Both channels; Chibo serves the bulletin files on its own small HTTP endpoint."""
    async with serving_files(zfake, fake, clock, tmp_path, "bantin") as world:
        yield world


async def test_bulletin_arrives_as_text_with_a_link_and_is_read_by_number_or_words(
    served: ZaloWorld,
) -> None:
    assert served.tg is not None
    tg_world = World(served.chibo, served.tg, served.clock, served.seeded)
    await make_publisher(tg_world)
    await tg_world.link("binh")
    for key in ("cuong", "dung"):
        await served.link(key)
    confirm = await publish_in_chat(tg_world)
    await tg_world.press("binh", confirm, button(confirm, texts.BULLETIN_SEND))
    await served.zfake.wait_sent(ZALO_IDS["dung"], 2)
    await served.chibo.worker.wait_idle()

    digest = hashlib.sha256(PDF).hexdigest()
    url = f"{served.chibo.config.zalo.files_public_url}/{digest}.pdf"
    caption = texts.BULLETIN_CAPTION.format(
        title=texts.BULLETIN_DEFAULT_TITLE, issue=texts.BULLETIN_ISSUE.format(issue="12/2026")
    )
    expected = "\n\n".join(
        [
            zalo_wording(caption),
            texts.ZALO_FILE_LINK.format(url=url),
            texts.ZALO_CHOICE_LINE.format(number=1, label=texts.BULLETIN_READ_BUTTON)
            + "\n"
            + texts.ZALO_ANSWER_ONE,
        ]
    )
    for key in ("cuong", "dung"):
        assert served.zfake.texts_to(ZALO_IDS[key])[-1] == expected
    async with httpx.AsyncClient() as http:
        got = await http.get(url)
        missing = await http.get(url.replace(digest, "0" * 64))
        sneaky = await http.get(f"{served.chibo.config.zalo.files_public_url}/..%2Fchibo.sqlite3")
    assert got.status_code == 200 and got.content == PDF
    assert missing.status_code == 404 and sneaky.status_code == 404

    thanks = texts.BULLETIN_READ_THANKS.format(issue=texts.BULLETIN_ISSUE.format(issue="12/2026"))
    assert await served.say("cuong", "1") == [thanks]
    assert await served.say("dung", "Đã đọc") == [thanks]
    # Typed later, after other choices came in between, "da doc" still means the bulletin.
    await served.say("cuong", "/kenh")
    already = texts.BULLETIN_READ_ALREADY.format(issue=texts.BULLETIN_ISSUE.format(issue="12/2026"))
    assert await served.say("cuong", "da doc") == [already]
    rows = await served.rows(
        "SELECT member_id FROM bulletin_recipients WHERE read_at IS NOT NULL ORDER BY member_id"
    )
    assert [r["member_id"] for r in rows] == [
        served.seeded.member_ids["cuong"],
        served.seeded.member_ids["dung"],
    ]
