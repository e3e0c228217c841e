"""Fan-outs serialise replies from pieces (bot.core): the result must be what Reply.to_json gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.core.types import (
    SLOT,
    Option,
    OptionsTemplate,
    Reply,
    ReplyTemplate,
    options_json,
    text_reply_json,
)
from handlers import meetings
from handlers.checkin import status_options
from storage.db import Database
from storage.members import MemberRepo
from storage.outbox import CellFanout, enqueue_cells_in
from tests.seed import seed

# User text that looks like the slot, quotes, a backslash, a control character, NFD marks.
AWKWARD = 'Họp «chi bộ» {slot} "ấp 3" \\ tab\there\x00 Nguye\u0302\u0303n'


def test_text_reply_json_is_reply_to_json() -> None:
    options = status_options(12, 34)
    assert text_reply_json(AWKWARD, options_json(options)) == Reply(AWKWARD, options).to_json()
    assert Reply.from_json(text_reply_json(AWKWARD)) == Reply(AWKWARD)


def test_templates_fill_only_the_options() -> None:
    template = ReplyTemplate(AWKWARD, meetings.answer_options(7, SLOT))
    for member_id in (1, 45_000):
        assert Reply.from_json(template.fill(member_id)) == Reply(
            AWKWARD, meetings.answer_options(7, member_id)
        )
    assert OptionsTemplate(status_options(5, SLOT)).fill(9) == options_json(status_options(5, 9))
    assert ReplyTemplate(AWKWARD, ()).fill(3) == Reply(AWKWARD).to_json()


def test_an_option_label_is_kept_whole() -> None:
    options = ((Option("Có", f"x:{SLOT}"), Option("Không", f"y:{SLOT}")),)
    assert OptionsTemplate(options).fill("ab") == options_json(
        ((Option("Có", "x:ab"), Option("Không", "y:ab")),)
    )


async def test_a_cell_fan_out_in_sql_reaches_whom_the_contacts_list_names(tmp_path: Path) -> None:
    """`enqueue_cells_in` reaches the people `MemberRepo.contacts` lists, with the same bytes
    as the row-by-row path, on the account chosen by the rule (the /kenh choice, else the
    latest linked, never an unreachable one; never an inactive member)."""
    db = await Database.open(tmp_path / "chibo.sqlite3")
    try:
        seeded = await seed(db)
        ids = seeded.member_ids
        accounts = [
            # member, channel, chat, linked at, unreachable
            ("an", "telegram", "1001", "2026-11-01", None),
            ("binh", "telegram", "1002", "2026-11-01", None),
            ("binh", "zalo", "b1", "2026-11-02", None),  # linked last: wins
            ("cuong", "telegram", "1003", "2026-11-03", None),
            ("cuong", "zalo", "c1", "2026-11-01", None),  # chosen with /kenh: wins
            ("dung", "telegram", "1004", "2026-11-01", "2026-11-05"),  # blocked the bot
            ("duc", "telegram", "1005", "2026-11-01", None),  # left the party: inactive
            ("ha", "telegram", "1006", "2026-11-01", None),  # another cell
        ]
        async with db.write() as conn:
            for key, channel, chat, linked, unreachable in accounts:
                await conn.execute(
                    "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at, "
                    "unreachable_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (channel, chat, chat, ids[key], linked + "T00:00:00.000000Z", unreachable),
                )
            await conn.execute(
                "INSERT INTO channel_prefs (member_id, channel, updated_at) VALUES (?, 'zalo', ?)",
                (ids["cuong"], "2026-11-04T00:00:00.000000Z"),
            )
            await conn.execute("UPDATE members SET active = 0 WHERE id = ?", (ids["duc"],))
        cell = seeded.unit_ids["A"]
        template = ReplyTemplate(AWKWARD, meetings.answer_options(7, SLOT))
        fanout = CellFanout(cell, ("k:", ":remind"), template.pieces, "b", exclude=(ids["an"],))
        async with db.write() as conn:
            assert await enqueue_cells_in(conn, [fanout], datetime.now(UTC)) == 2
        rows = await db.fetchall("SELECT dedupe_key, channel, chat_id, member_id, body FROM outbox")
        expected = [
            (
                f"k:{c.member_id}:remind",
                c.channel,
                c.chat_id,
                c.member_id,
                template.fill(c.member_id),
            )
            for c in (await MemberRepo(db).contacts([cell]))[cell]
            if c.member_id != ids["an"]
        ]
        assert sorted(tuple(r) for r in rows) == sorted(expected)
        assert {(r["channel"], r["chat_id"]) for r in rows} == {("zalo", "b1"), ("zalo", "c1")}
    finally:
        await db.close()
