"""A Zalo-only province end to end: roster → printed invites → linking by code → a month of a
cell (two meetings listed, the first excused by number and by words, the secretary told the
right date) → a bulletin read, all through the fake Zalo Bot API on loopback."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app import Chibo
from bot.channels.zalo_turn import zalo_wording
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.zalo_api import FakeZalo
from handlers import bulletin_common as bc
from handlers.meetings import REASON_MAX
from storage.db import Database
from tests.scenarios import ZaloDriver, publish_bulletin
from tests.seed import seed
from tests.zalo_world import ZALO_IDS, ZaloWorld, make_zalo_config, zfake

__all__ = ["zfake"]

ROOT = Path(__file__).resolve().parent.parent
CELL = "Chi bộ ấp Tân Thành"
BOT_LINK = "https://zalo.me/1459232241454765289"
DEC = "Thứ Bảy, 05/12/2026 lúc 19:00"
_CHOICE = re.compile(r"^(\d+)\. (.+)$")


def chibo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The `chibo` command as an administrator runs it, with Zalo's token in the environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "config.toml"), *args],
        cwd=ROOT,
        env={**base, "CHIBO_ZALO_TOKEN": "1459232241454765289:zalo-test-token"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def choices(text: str) -> list[tuple[int, str]]:
    """The numbered choices at the end of a Zalo message."""
    last = text.rsplit("\n\n", 1)[-1]
    return [(int(m.group(1)), m.group(2)) for m in map(_CHOICE.match, last.splitlines()) if m]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


async def printed_invites(tmp_path: Path) -> dict[str, str]:
    """`chibo init`, the roster, `[zalo] bot_link`, then `chibo invites`: name -> code."""
    assert chibo(tmp_path, "init").returncode == 0
    db = await Database.open(tmp_path / "data" / "chibo.sqlite3")
    await seed(db)
    await db.close()
    # Without the bot's link the sheets still print, and say what is missing.
    no_link = chibo(tmp_path, "invites", "--unit", "A", "--out", str(tmp_path / "p0"))
    assert no_link.returncode == 0, no_link.stderr
    assert texts.INVITES_ZALO_NO_LINK in no_link.stderr
    config = tmp_path / "config.toml"
    text = config.read_text(encoding="utf-8")
    assert 'bot_link = ""' in text
    config.write_text(text.replace('bot_link = ""', f'bot_link = "{BOT_LINK}"'), encoding="utf-8")
    done = chibo(tmp_path, "invites", "--unit", "A", "--out", str(tmp_path / "phieu"))
    assert done.returncode == 0, done.stderr

    table = read_csv(tmp_path / "phieu" / "A.csv")
    assert tuple(table[0]) == texts.INVITE_SHEET_CSV_HEADER_ZALO
    assert len(table) == 6 and all(link == BOT_LINK for _, _, link in table[1:])
    page = (tmp_path / "phieu" / "A.html").read_text(encoding="utf-8")
    assert "t.me" not in page and BOT_LINK in page
    # One QR code per card: the bot's Zalo link (the same for all), then the personal code.
    assert page.count("<svg") == page.count('class="card"') == 5
    assert (tmp_path / "phieu" / "qr" / "zalo.png").read_bytes().startswith(b"\x89PNG")
    for _, code, _ in table[1:]:
        steps = texts.INVITE_SHEET_ZALO_STEPS.format(code=code).splitlines()
        assert all(line in page for line in steps)
    return {name: code for name, code, _ in table[1:]}


async def test_a_zalo_only_cell_from_roster_to_bulletin(tmp_path: Path, zfake: FakeZalo) -> None:
    codes = await printed_invites(tmp_path)
    clock = FakeClock(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    config = make_zalo_config(
        tmp_path / "data",
        zfake,
        bot_link=BOT_LINK,
        files_public_url="https://chibo.example.vn/bantin",
    )
    app = await Chibo.build(config, clock=clock)
    db = app.db
    ids = {str(r["full_name"]): int(r["id"]) for r in await db.fetchall("SELECT * FROM members")}
    await app.start()
    world = ZaloWorld(app, zfake, clock, seeded=None)  # type: ignore[arg-type]
    driver = ZaloDriver("zalo", app, clock, None, zfake)  # type: ignore[arg-type]
    try:
        # Linking: each member sends the code printed on their card.
        for key, name in (
            ("an", "Nguyễn Văn An"),
            ("cuong", "Lê Văn Cường"),
            ("dung", "Phạm Thị Dung"),
        ):
            [welcome] = await world.say(key, codes[name])
            assert welcome == texts.WELCOME.format(name=name, unit=CELL)
        # /moi on a Zalo-only install: codes to send, no Telegram links.
        [moi] = await world.say("an", "/moi")
        assert "t.me" not in moi and BOT_LINK in moi
        assert (
            texts.INVITES_ZALO_LINE.format(name="Hoàng Văn Đức", code=codes["Hoàng Văn Đức"]) in moi
        )

        # December 1st: the planner lays out December's and January's meetings.
        await driver.tick_at("2026-12-01T01:00:00")
        first, second = await world.say("cuong", "/lichhop", count=2)
        assert first.startswith(texts.LICHHOP_HEADER.format(unit=CELL))
        assert DEC in first and "05/01/2027" in second
        # One numbered list across the turn: 1-2 for December, 3-4 for January.
        assert [n for n, _ in choices(first)] == [1, 2]
        assert [n for n, _ in choices(second)] == [3, 4]
        assert first.endswith(texts.ZALO_ANSWER_TWO)
        assert second.endswith(texts.ZALO_ANSWER_PAIR.format(first=3, last=4))
        # «2» is December's «Xin vắng», not January's.
        [ask] = await world.say("cuong", "2")
        assert ask.startswith(texts.ASK_REASON_FOR.format(when=DEC, limit=REASON_MAX))
        # The reason typed straight away is the reason.
        [ok] = await world.say("cuong", "Đi đám cưới cháu ở Cần Thơ")
        assert ok == texts.ANSWER_EXCUSED_OK.format(when=DEC, reason="Đi đám cưới cháu ở Cần Thơ")
        await driver.settle()
        told = texts.SECRETARY_TOLD_EXCUSED.format(
            name="Lê Văn Cường", when=DEC, reason="Đi đám cưới cháu ở Cần Thơ"
        )
        assert told in zfake.texts_to(ZALO_IDS["an"])

        # By words: «vắng» alone names both meetings' «Xin vắng»: asked again, naming them.
        await world.say("dung", "/lichhop", count=2)
        [again] = await world.say("dung", "vang")
        assert again.startswith(
            texts.ZALO_AMBIGUOUS.format(
                text="vang",
                candidates=texts.ZALO_CANDIDATE_JOIN.join(
                    [
                        texts.ZALO_CANDIDATE.format(number=2, label="Xin vắng (05/12)"),
                        texts.ZALO_CANDIDATE.format(number=4, label="Xin vắng (05/01)"),
                    ]
                ),
            )
        )
        [ask] = await world.say("dung", "xin vang 5/12")
        assert ask.startswith(texts.ASK_REASON_FOR.format(when=DEC, limit=REASON_MAX))
        [ok] = await world.say("dung", "om")
        assert ok == texts.ANSWER_EXCUSED_OK.format(when=DEC, reason=texts.MEETING_REASONS["om"])
        await driver.settle()
        assert texts.SECRETARY_TOLD_EXCUSED.format(
            name="Phạm Thị Dung", when=DEC, reason=texts.MEETING_REASONS["om"]
        ) in zfake.texts_to(ZALO_IDS["an"])

        # The secretary's /lichhop: the unlinked members' names continue the numbering.
        replies = await world.say("an", "/lichhop", count=3)
        numbers = [n for text in replies for n, _ in choices(text)]
        assert numbers == list(range(1, len(numbers) + 1))
        unlinked = dict((label, n) for n, label in choices(replies[-1]))
        assert list(unlinked) == ["Trần Thị Bình", "Hoàng Văn Đức"]
        # Picked by words, the name opens the answer for that member, naming the meeting.
        [answer_for] = await world.say("an", "duc")
        assert answer_for.startswith(texts.ANSWER_FOR_ASK.split("{")[0] + "Hoàng Văn Đức")
        assert DEC in answer_for
        [done] = await world.say("an", "tham du")
        assert done == (
            texts.ANSWER_FOR_OK_AT.format(
                name="Hoàng Văn Đức", when=DEC, answer=texts.ANSWER_FOR_ATTEND
            )
        )
        answers = await db.fetchall(
            "SELECT m.period, a.member_id, a.answer, a.reason FROM meeting_answers a "
            "JOIN meetings m ON m.id = a.meeting_id ORDER BY a.member_id"
        )
        assert {(r["period"], r["member_id"], r["answer"]) for r in answers} == {
            ("2026-12", ids["Lê Văn Cường"], "excused"),
            ("2026-12", ids["Phạm Thị Dung"], "excused"),
            ("2026-12", ids["Hoàng Văn Đức"], "attend"),
        }

        # The bulletin arrives as text with a link; «đã đọc» typed is the read.
        await publish_bulletin(app, clock)
        await driver.settle()
        copy = zfake.texts_to(ZALO_IDS["cuong"])[-1]
        assert copy.startswith(
            zalo_wording(
                texts.BULLETIN_CAPTION.format(
                    title=texts.BULLETIN_DEFAULT_TITLE, issue=bc.issue_label("2026-12")
                )
            )
        )
        [thanks] = await world.say("cuong", "đã đọc")
        assert thanks == texts.BULLETIN_READ_THANKS.format(issue=bc.issue_label("2026-12"))
        reads = await db.fetchall(
            "SELECT member_id FROM bulletin_recipients WHERE read_at IS NOT NULL"
        )
        assert [r["member_id"] for r in reads] == [ids["Lê Văn Cường"]]
    finally:
        await app.stop()
