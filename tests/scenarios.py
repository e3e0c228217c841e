"""Core scenarios written once, played on Telegram (buttons) and on Zalo (numbered text).

A scenario is an async function of a `Driver`: it links members, says things and picks choices
by their label. The Telegram driver presses the button with that label; the Zalo driver answers
with the number the label was given in the list. `db_state` dumps the database with the
channel-specific columns masked, so both runs must leave exactly the same state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from handlers import bulletin_common as bc
from storage.bulletins import BulletinRepo, Scope
from storage.db import Database
from storage.files import StoredFile, store_file
from storage.invites import InviteRepo
from tests.seed import TG_IDS, Seeded
from tests.zalo_world import ZALO_IDS

_CHOICE = re.compile(r"^(\d+)\. (.+)$")


@dataclass
class Said:
    """One bot message as a member sees it: its text and the labels of its choices."""

    text: str
    labels: list[str]
    raw: dict[str, Any] = field(default_factory=dict)
    # On Zalo, the number each label was given (numbering runs across an answer turn).
    numbers: list[int] = field(default_factory=list)


@dataclass
class Driver:
    """What a scenario may do; subclasses speak one platform."""

    channel: str
    chibo: Chibo
    clock: FakeClock
    seeded: Seeded

    async def code(self, key: str) -> str:
        member = self.seeded.member_ids[key]
        codes = await InviteRepo(self.chibo.db).ensure_for(
            [member], self.clock.now(), timedelta(days=30)
        )
        return codes[member]

    async def link(self, key: str) -> list[Said]:
        return await self.say(key, f"/start {await self.code(key)}")

    async def say(self, key: str, text: str, count: int = 1) -> list[Said]:
        raise NotImplementedError

    async def choose(self, key: str, said: Said, label: str) -> None:
        raise NotImplementedError

    def last(self, key: str) -> Said:
        raise NotImplementedError

    async def settle(self) -> None:
        """Let the worker send everything due without moving the clock (so both runs stamp the
        same times); only rows held back by pacing make it step the fake clock."""
        for _ in range(200):
            self.chibo.worker.wake()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.chibo.worker.wait_idle(), 2.0)
            rows = await self.chibo.db.fetchall(
                "SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending') "
                "AND next_attempt_at <= ?",
                (self.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),),
            )
            if rows[0]["n"] == 0 and self.chibo.worker.in_flight == 0:
                return
            await self.clock.advance(0.2)
        raise AssertionError("the outbox did not drain")

    async def tick_at(self, moment: str) -> None:
        self.clock.set(datetime.fromisoformat(moment).replace(tzinfo=UTC))
        await self.chibo.tick()
        await self.settle()


@dataclass
class TelegramDriver(Driver):
    fake: FakeTelegram = field(default_factory=FakeTelegram)

    def _said(self, message: dict[str, Any]) -> Said:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return Said(
            message.get("text") or message.get("caption") or "",
            [b["text"] for r in rows for b in r],
            message,
        )

    async def say(self, key: str, text: str, count: int = 1) -> list[Said]:
        uid = TG_IDS[key]
        before = len(self.fake.sent_to(uid))
        self.fake.send_text(uid, text)
        return [self._said(m) for m in (await self.fake.wait_sent(uid, before + count))[before:]]

    async def choose(self, key: str, said: Said, label: str) -> None:
        rows = said.raw.get("reply_markup", {}).get("inline_keyboard", [])
        data = next(b["callback_data"] for r in rows for b in r if b["text"] == label)
        update = self.fake.press(TG_IDS[key], said.raw, data)
        query_id = update["callback_query"]["id"]
        await self.fake.wait_for(
            lambda c: (
                c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
            )
        )
        await self.settle()

    def last(self, key: str) -> Said:
        return self._said(self.fake.last_message(TG_IDS[key]))


@dataclass
class ZaloDriver(Driver):
    fake: FakeZalo = field(default_factory=FakeZalo)

    @staticmethod
    def _said(message: dict[str, Any]) -> Said:
        text = message.get("text") or ""
        # The numbered choices are the message's last paragraph (the body may number things too).
        last = text.rsplit("\n\n", 1)[-1]
        found = [m for m in map(_CHOICE.match, last.splitlines()) if m]
        return Said(text, [m.group(2) for m in found], message, [int(m.group(1)) for m in found])

    async def say(self, key: str, text: str, count: int = 1) -> list[Said]:
        uid = ZALO_IDS[key]
        before = len(self.fake.sent_to(uid))
        self.fake.send_text(uid, text)
        return [self._said(m) for m in (await self.fake.wait_sent(uid, before + count))[before:]]

    async def choose(self, key: str, said: Said, label: str) -> None:
        number = said.numbers[said.labels.index(label)]
        await self.say(key, str(number))
        await self.settle()

    def last(self, key: str) -> Said:
        return self._said(self.fake.sent_to(ZALO_IDS[key])[-1])


# -- the scenarios -----------------------------------------------------------------------------

CELL = "Chi bộ ấp Tân Thành"
BODY = "Tối thứ Bảy 19h00 họp chi bộ tại nhà văn hóa ấp. Đề nghị các đồng chí dự đầy đủ."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def onboarding(d: Driver) -> None:
    """Two members link (by /start and by the bare code); a wrong code is counted."""
    [welcome] = await d.link("an")
    assert welcome.text == texts.WELCOME.format(name="Nguyễn Văn An", unit=CELL)
    [welcome] = await d.say("cuong", await d.code("cuong"))
    assert welcome.text == texts.WELCOME.format(name="Lê Văn Cường", unit=CELL)
    [wrong] = await d.say("dung", "/start ZZZZ9999")
    assert wrong.text == texts.INVITE_INVALID
    [again] = await d.say("cuong", f"/start {await d.code('an')}")
    assert again.text == texts.ALREADY_LINKED.format(name="Lê Văn Cường", unit=CELL)


async def secretary_notice(d: Driver) -> None:
    """The secretary composes a notice, confirms it; members get it; the report follows."""
    for key in ("an", "cuong", "dung"):
        await d.link(key)
    await d.say("an", "/thongbao")
    [confirm] = await d.say("an", BODY)
    assert confirm.labels == [texts.NOTICE_SEND, texts.NOTICE_CANCEL]
    await d.choose("an", confirm, texts.NOTICE_SEND)
    expected = texts.NOTICE_MESSAGE.format(unit=CELL, body=BODY, sender="Nguyễn Văn An")
    assert d.last("cuong").text == expected
    await d.chibo.tick()
    await d.settle()
    assert d.last("an").text.startswith(
        texts.NOTICE_REPORT.format(date="Thứ Ba, 01/12/2026 lúc 08:00", sent=3, total=3)
    )


async def meeting_reminder_and_excuse(d: Driver) -> None:
    """Reminders 3 days ahead; one member is excused (ill), another will attend."""
    for key in ("an", "binh", "cuong", "dung"):
        await d.link(key)
    await d.tick_at("2026-12-01T01:00:00")
    await d.tick_at("2026-12-02T01:00:00")
    reminder = d.last("cuong")
    assert reminder.text.startswith("🔔 Nhắc lịch sinh hoạt")
    assert reminder.labels == [texts.MEETING_ATTEND, texts.MEETING_EXCUSE]
    await d.choose("cuong", reminder, texts.MEETING_EXCUSE)
    reasons = d.last("cuong")
    await d.choose("cuong", reasons, texts.MEETING_REASONS["om"])
    assert d.last("cuong").text == texts.ANSWER_EXCUSED_OK.format(
        when="Thứ Bảy, 05/12/2026 lúc 19:00", reason="Ốm đau"
    )
    await d.choose("dung", d.last("dung"), texts.MEETING_ATTEND)
    await d.settle()


async def excuse_the_first_of_two_meetings(d: Driver) -> None:
    """/lichhop lists two meetings; the member excuses the first (next) one, not the second."""
    await d.link("cuong")
    await d.tick_at("2026-12-01T01:00:00")
    first, second = await d.say("cuong", "/lichhop", count=2)
    assert first.text.startswith(texts.LICHHOP_HEADER.format(unit=CELL))
    assert "05/12/2026" in first.text and "05/01/2027" in second.text
    excuse = texts.MEETING_OPTION_ON.format(label=texts.MEETING_EXCUSE, day="05/12")
    assert first.labels == [
        texts.MEETING_OPTION_ON.format(label=texts.MEETING_ATTEND, day="05/12"),
        excuse,
    ]
    await d.choose("cuong", first, excuse)
    await d.choose("cuong", d.last("cuong"), texts.MEETING_REASONS["ct"])
    assert d.last("cuong").text == texts.ANSWER_EXCUSED_OK.format(
        when="Thứ Bảy, 05/12/2026 lúc 19:00", reason=texts.MEETING_REASONS["ct"]
    )
    await d.settle()


async def bulletin_receipt_and_read(d: Driver) -> None:
    """The bulletin reaches the linked members of the hamlet cells; two of them say they read it."""
    for key in ("an", "cuong", "dung"):
        await d.link(key)
    await publish_bulletin(d.chibo, d.clock)
    await d.settle()
    for key in ("cuong", "dung"):
        copy = d.last(key)
        assert copy.labels == [texts.BULLETIN_READ_BUTTON]
        await d.choose(key, copy, texts.BULLETIN_READ_BUTTON)
        assert d.last(key).text == texts.BULLETIN_READ_THANKS.format(
            issue=bc.issue_label("2026-12")
        )


async def task_checkin(d: Driver) -> None:
    """The secretary assigns a task; the check-in round asks the member, who reports it done."""
    for key in ("an", "cuong"):
        await d.link(key)
    await d.tick_at("2026-11-28T01:00:00")
    await d.say("an", "/giaoviec")
    await d.choose("an", d.last("an"), "Lê Văn Cường")
    await d.choose("an", d.last("an"), texts.GIAOVIEC_DONE_PICK.format(count=1))
    await d.say("an", "Vận động quỹ khuyến học")
    await d.choose("an", d.last("an"), texts.GIAOVIEC_NO_DUE)
    await d.choose("an", d.last("an"), texts.GIAOVIEC_SEND)
    await d.tick_at("2026-11-30T01:00:00")
    prompt = d.last("cuong")
    assert prompt.text.startswith(texts.CHECKIN_PROMPT.format(name="Lê Văn Cường"))
    await d.choose("cuong", prompt, texts.CHECKIN_STATUS["done"])
    await d.choose("cuong", d.last("cuong"), texts.CHECKIN_SKIP)
    await d.settle()
    answers = await d.chibo.db.fetchall("SELECT status, note FROM checkin_answers")
    assert [(a["status"], a["note"]) for a in answers] == [("done", None)]


SCENARIOS = {
    "onboarding": onboarding,
    "secretary_notice": secretary_notice,
    "meeting_reminder_and_excuse": meeting_reminder_and_excuse,
    "excuse_the_first_of_two_meetings": excuse_the_first_of_two_meetings,
    "bulletin_receipt_and_read": bulletin_receipt_and_read,
    "task_checkin": task_checkin,
}

# -- the database state, without what differs between platforms -------------------------------

# Tables that only one platform uses: Telegram's file ids, Zalo's numbered lists.
_PLATFORM_TABLES = {"platform_files", "offered_choices", "schema_migrations", "inbox"}
# Columns naming a platform's ids.
_MASKED = {"channel", "user_id", "chat_id", "message_id", "used_by"}
# Random by design: invite codes.
_RANDOM = {("invites", "code")}


def _normalise(value: Any, base: Path) -> Any:
    if isinstance(value, str):
        value = value.replace(str(base), "<base>")
        if value.startswith("{") and '"nonce"' in value:
            data = json.loads(value)
            data.pop("nonce", None)
            value = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return value


async def db_state(chibo: Chibo) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, platform ids masked, paths made relative."""
    db = chibo.db
    base = chibo.config.db_path.parent
    tables = [
        r["name"]
        for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        if r["name"] not in _PLATFORM_TABLES
    ]
    state: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        rows = await db.fetchall(f"SELECT * FROM {table}")
        masked = [
            {
                k: ("-" if k in _MASKED or (table, k) in _RANDOM else _normalise(r[k], base))
                for k in r.keys()  # noqa: SIM118 (sqlite3.Row is not a mapping)
            }
            for r in rows
        ]
        state[table] = sorted(masked, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    return state


async def publish_to_hamlets(db: Database, stored: StoredFile, issue: str, now: datetime) -> int:
    """Publish the issue to every hamlet cell's members from `now`, as `chibo bulletin publish`
    does (no publisher, no progress message); how many copies were queued."""
    _, count = await BulletinRepo(db).publish(
        issue=issue,
        title=texts.BULLETIN_DEFAULT_TITLE,
        file=stored,
        scope=Scope("hamlet"),
        publisher_member_id=None,
        progress=None,
        send_at=now,
        now=now,
        render=bc.copy_renderer(texts.BULLETIN_DEFAULT_TITLE, issue, stored),
    )
    return count


async def publish_bulletin(app: Chibo, clock: FakeClock) -> None:
    """The December bulletin, published to the hamlet cells now, as the CLI would."""
    stored = store_file(PDF, bc.files_dir(app.config), "thong-tin-tu-tuong-12-2026.pdf")
    await publish_to_hamlets(app.db, stored, "2026-12", clock.now())
    app.worker.wake()
