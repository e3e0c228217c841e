"""Check-in rounds end to end with a fake clock: prompts, answers and notes, nudges (never at
night, not for the excused), /tiendo with "Nhắc nhở", the digest, changed answers, bad input."""

from __future__ import annotations

from bot.core import texts
from handlers.checkin import NOTE_MAX
from scheduler import checkin_planner
from tests.conftest import World
from tests.seed import TG_IDS
from tests.test_meetings import at, buttons, last_to, press, settle, texts_to, tick_at
from tests.test_tasks import assign

WHEN = "Thứ Bảy, 05/12/2026 lúc 19:00"


async def outbox_keys(world: World, pattern: str) -> set[str]:
    rows = await world.rows("SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE ?", (pattern,))
    return {r["dedupe_key"] for r in rows}


async def test_a_round_before_the_december_meeting(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "binh", "cuong", "dung"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")  # materialises the 05/12 19:00 meeting
    await assign(world, ["Lê Văn Cường", "Phạm Thị Dung"], "Vận động quỹ khuyến học", None)
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", "31/12")
    await assign(world, ["Trần Thị Bình"], "Thăm hộ nghèo", None)
    tasks = {r["body"]: r["id"] for r in await world.rows("SELECT id, body FROM tasks")}

    # The round opens 5 days before at 08:00 local (30/11 01:00 UTC), not a minute earlier.
    await tick_at(world, "2026-11-30T00:59:00")
    assert await world.rows("SELECT * FROM checkin_rounds") == []
    await tick_at(world, "2026-11-30T01:00:00")
    [rnd] = await world.rows("SELECT * FROM checkin_rounds")
    assert rnd["period"] == "2026-12"
    keys = await outbox_keys(world, "checkin:%")
    assert keys == {f"checkin:{rnd['id']}:{ids[k]}:prompt" for k in ("binh", "cuong", "dung")}
    await tick_at(world, "2026-11-30T02:00:00")  # a second tick queues nothing more
    assert await outbox_keys(world, "checkin:%") == keys
    prompt = last_to(world, "cuong")
    assert prompt["text"].startswith(texts.CHECKIN_PROMPT.format(name="Lê Văn Cường"))
    assert set(buttons(prompt)) == set(texts.CHECKIN_STATUS.values())

    # Cường: task 1 done (no note), task 2 blocked with a note.
    asked = await press(world, "cuong", prompt, texts.CHECKIN_STATUS["done"])
    assert asked["text"].startswith("Đã ghi «Đã hoàn thành»")
    nxt = await press(world, "cuong", asked, texts.CHECKIN_SKIP)
    assert texts.CHECKIN_ASK.format(n=2, body="Trực tổ an ninh") in nxt["text"]
    asked = await press(world, "cuong", nxt, texts.CHECKIN_STATUS["blocked"])
    # A note over the limit is refused whole; a 10,000-character one already at the door.
    [huge] = await world.say("cuong", "x" * 10_000)
    assert huge["text"] == texts.TOO_LONG.format(limit=NOTE_MAX)  # the note's own
    [long] = await world.say("cuong", "y" * 600)
    assert long["text"] == texts.CHECKIN_NOTE_TOO_LONG.format(limit=NOTE_MAX, length=600)
    notes = await world.rows("SELECT note FROM checkin_answers WHERE note IS NOT NULL")
    assert notes == []
    [saved] = await world.say("cuong", "Thiếu người trực   đêm")
    assert saved["text"].startswith(texts.CHECKIN_NOTE_SAVED)
    assert texts.CHECKIN_ALL_DONE.format(when=WHEN) in saved["text"]

    # Forged payloads: Dũng answering Cường's task; an unknown round.
    mine = last_to(world, "dung")
    await world.press("dung", mine, f"ck:a:{rnd['id']}:{tasks['Trực tổ an ninh']}:d", check=False)
    assert last_to(world, "dung")["text"] == texts.CHECKIN_NOT_YOURS
    await world.press(
        "dung", mine, f"ck:a:{rnd['id'] + 9}:{tasks['Vận động quỹ khuyến học']}:d", check=False
    )
    assert last_to(world, "dung")["text"] == texts.STALE_BUTTON

    # The secretary excuses Bình (on leave) from /tiendo; Dũng stays silent.
    [view] = await world.say("an", "/tiendo")
    assert view["text"].startswith(texts.TIENDO_HEADER.format(when=WHEN, done=1, total=3))
    assert (
        texts.TIENDO_BLOCKED_LINE.format(
            name="Lê Văn Cường", body="Trực tổ an ninh", note="Thiếu người trực đêm"
        )
        in view["text"]
    )
    assert texts.TIENDO_SILENT.format(names="Phạm Thị Dung, Trần Thị Bình") in view["text"]
    await world.press("an", view, buttons(view)[texts.TIENDO_EXCUSE.format(name="Trần Thị Bình")])
    view = last_to(world, "an")
    assert view["text"].startswith(texts.TIENDO_HEADER.format(when=WHEN, done=1, total=2))

    # Nudge "2d" falls due 03/12 19:00 local; Chibo was down until 22:00: it waits for 07:00.
    await tick_at(world, "2026-12-03T11:59:00")
    assert await outbox_keys(world, "%nudge%") == set()
    await tick_at(world, "2026-12-03T15:00:00")
    assert await outbox_keys(world, "%nudge%") == set()
    await tick_at(world, "2026-12-04T00:00:00")
    assert await outbox_keys(world, "%nudge%") == {f"checkin:{rnd['id']}:{ids['dung']}:nudge:2d"}
    assert texts_to(world, "dung")[-1].startswith(texts.CHECKIN_NUDGE.format(when=WHEN))

    # "Nhắc nhở" nudges the silent now.
    [view] = await world.say("an", "/tiendo")
    nudged = await press(world, "an", view, texts.TIENDO_NUDGE)
    assert nudged["text"] == texts.TIENDO_NUDGED.format(count=1)
    await settle(world)
    assert len(await outbox_keys(world, f"checkin:{rnd['id']}:{ids['dung']}:nudge:manual:%")) == 1

    # The day before (04/12 19:00 local): nudge "1d" to Dũng and the digest to An and Bình.
    await tick_at(world, "2026-12-04T12:00:00")
    assert f"checkin:{rnd['id']}:{ids['dung']}:nudge:1d" in await outbox_keys(world, "%nudge%")
    assert not any(ids["binh"] == int(k.split(":")[2]) for k in await outbox_keys(world, "%nudge%"))
    digest = texts_to(world, "an")[-1]
    assert digest.startswith(texts.DIGEST_HEADER.format(unit="Chi bộ ấp Tân Thành", when=WHEN))
    assert "Lê Văn Cường" in digest and "Thiếu người trực đêm" in digest
    assert texts.DIGEST_MEMBER_EXCUSED.format(name="Trần Thị Bình") in digest
    assert (
        texts.CHECKIN_LINE.format(
            n=1, body="Vận động quỹ khuyến học", status=texts.NHIEMVU_NO_REPORT
        )
        in digest
    )
    assert texts_to(world, "binh")[-1] == digest
    await tick_at(world, "2026-12-04T13:00:00")
    assert len(await outbox_keys(world, "%digest%")) == 2

    # Cường changes task 2 before the meeting; the earlier answer stays in the history.
    [flow] = await world.say("cuong", "/baocao")
    flow = await press(world, "cuong", flow, texts.CHECKIN_CHANGE.format(n=2))
    asked = await press(world, "cuong", flow, texts.CHECKIN_STATUS["doing"])
    await press(world, "cuong", asked, texts.CHECKIN_SKIP)
    history = await world.rows(
        "SELECT status, note FROM checkin_answers WHERE member_id = ? AND task_id = ? ORDER BY id",
        (ids["cuong"], tasks["Trực tổ an ninh"]),
    )
    assert [(h["status"], h["note"]) for h in history] == [
        ("blocked", "Thiếu người trực đêm"),
        ("doing", None),
    ]
    [mine] = await world.say("cuong", "/nhiemvu")
    assert "Báo cáo gần nhất: Đang thực hiện" in mine["text"]

    # Once the meeting has started the round is closed.
    world.clock.set(world.clock.now().replace(day=5, hour=12, minute=0))
    await world.press("cuong", flow, buttons(flow)[texts.CHECKIN_STATUS["done"]])
    assert last_to(world, "cuong")["text"] == texts.CHECKIN_CLOSED
    [none] = await world.say("cuong", "/baocao")
    assert none["text"] == texts.CHECKIN_NO_ROUND


async def test_a_cell_without_a_meeting_uses_the_configured_day(world: World) -> None:
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", None)
    # Without the cell's December meeting the round follows [checkins] fallback_day (5th).
    async with world.db.write() as conn:
        await conn.execute("DELETE FROM meetings")
    world.clock.set(at("2026-11-30T01:00:00"))
    await checkin_planner.plan_checkins(world.chibo.ctx)
    await settle(world)
    [rnd] = await world.rows("SELECT * FROM checkin_rounds")
    assert (rnd["meeting_id"], rnd["closes_at"]) == (None, "2026-12-05T12:00:00.000000Z")
    assert texts_to(world, "cuong")[-1].startswith(texts.CHECKIN_PROMPT.format(name="Lê Văn Cường"))


async def test_a_crash_after_opening_a_round_still_prompts_once(world: World) -> None:
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", None)
    # The process dies right after the round's row is committed, before any prompt is queued.
    world.clock.set(at("2026-11-30T01:00:00"))
    assert await checkin_planner.open_rounds(world.chibo.ctx, world.clock.now()) == 1
    [rnd] = await world.rows("SELECT id FROM checkin_rounds")
    assert await outbox_keys(world, "checkin:%") == set()
    # The next ticks (after the restart) prompt the member, once.
    await tick_at(world, "2026-11-30T01:01:00")
    await tick_at(world, "2026-11-30T01:02:00")
    assert await outbox_keys(world, "checkin:%") == {
        f"checkin:{rnd['id']}:{world.seeded.member_ids['cuong']}:prompt"
    }
    prompt = texts.CHECKIN_PROMPT.format(name="Lê Văn Cường")
    prompts = [t for t in texts_to(world, "cuong") if t.startswith(prompt)]
    assert len(prompts) == 1


async def test_a_nudge_waiting_for_morning_is_dropped_once_the_member_has_answered(
    world: World,
) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", None)
    await tick_at(world, "2026-11-30T01:00:00")  # the round opens; Cường is prompted
    [rnd] = await world.rows("SELECT id FROM checkin_rounds")
    # 22:00 local: the secretary presses "Nhắc nhở"; the nudge waits for 07:00.
    world.clock.set(at("2026-12-03T15:00:00"))
    [view] = await world.say("an", "/tiendo")
    nudged = await press(world, "an", view, texts.TIENDO_NUDGE)
    assert nudged["text"].endswith(texts.TIENDO_NUDGE_MORNING)
    [row] = await world.rows("SELECT status FROM outbox WHERE dedupe_key LIKE '%nudge:manual%'")
    assert row["status"] == "pending"
    # 23:00 local: Cường reports before the night is over.
    world.clock.set(at("2026-12-03T16:00:00"))
    [flow] = await world.say("cuong", "/baocao")
    asked = await press(world, "cuong", flow, texts.CHECKIN_STATUS["done"])
    await press(world, "cuong", asked, texts.CHECKIN_SKIP)
    before = texts_to(world, "cuong")
    # 07:00 local: the manual nudge is written now, finds nothing to ask, and is not sent;
    # the planner's own "2d" nudge (due at 19:00, held by the night) spares him too.
    await tick_at(world, "2026-12-04T00:00:00")
    assert texts_to(world, "cuong") == before
    rows = await world.rows("SELECT dedupe_key, status FROM outbox WHERE dedupe_key LIKE '%nudge%'")
    assert [(r["dedupe_key"].split(":")[3], r["status"]) for r in rows] == [("nudge", "cancelled")]
    assert rows[0]["dedupe_key"].startswith(f"checkin:{rnd['id']}:{ids['cuong']}:nudge:manual:")


async def test_a_long_digest_goes_in_parts_each_sent_and_retried_on_its_own(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "binh"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    for n in range(1, 4):
        members = ["Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Đức"]
        await assign(world, members, f"Nhiệm vụ {n}: " + "vận động bà con " * 28, None)
    await tick_at(world, "2026-11-30T01:00:00")  # the round opens
    [rnd] = await world.rows("SELECT id FROM checkin_rounds")
    # The digest (04/12 19:00 local): its first part to An fails once with a 500, so it is
    # written again on the retry; the later parts, already queued, are not queued twice.
    before = len(texts_to(world, "an"))
    world.fake.fail_next("sendMessage", status=500, times=1, chat_id=TG_IDS["an"])
    await tick_at(world, "2026-12-04T12:00:00")
    await world.clock.advance(10)  # past the retry's backoff
    await settle(world)
    keys = await outbox_keys(world, f"checkin:{rnd['id']}:{ids['an']}:digest%")
    base = f"checkin:{rnd['id']}:{ids['an']}:digest"
    assert keys == {base, *(f"{base}:{n}" for n in range(2, len(keys) + 1))}
    assert len(keys) >= 2
    digest = texts_to(world, "an")[before:]
    # Every part once, each one message: the failed part alone was sent again.
    assert len(digest) == len(keys)
    header = texts.DIGEST_HEADER.format(unit="Chi bộ ấp Tân Thành", when=WHEN)
    total = len(keys)
    assert sorted(part.split("\n", 1)[0] for part in digest) == sorted(
        texts.DIGEST_PART.format(n=n, total=total) for n in range(1, total + 1)
    )
    first = texts.DIGEST_PART.format(n=1, total=total) + "\n" + header
    assert sum(1 for part in digest if part.startswith(first)) == 1
    assert all(len(part) <= 3500 for part in digest)
    assert sorted(texts_to(world, "binh")[-len(keys) :]) == sorted(digest)


async def test_a_nudge_that_a_retry_pushes_into_the_night_waits_for_the_morning(
    world: World,
) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", None)
    await tick_at(world, "2026-11-30T01:00:00")  # the round opens; Cường is prompted
    before = len(texts_to(world, "cuong"))
    # 20:59:58 local: the "2d" nudge is queued and its first send fails (a 502); the retry,
    # a few seconds later, would land after 21:00.
    world.fake.fail_next("sendMessage", status=502, times=1, chat_id=TG_IDS["cuong"])
    await tick_at(world, "2026-12-03T13:59:58")
    await world.clock.advance(5)
    await settle(world)
    assert len(texts_to(world, "cuong")) == before
    [row] = await world.rows(
        "SELECT status, next_attempt_at FROM outbox WHERE dedupe_key = ?",
        (
            f"checkin:{(await world.rows('SELECT id FROM checkin_rounds'))[0]['id']}:{ids['cuong']}:nudge:2d",
        ),
    )
    assert (row["status"], row["next_attempt_at"]) == ("pending", "2026-12-04T00:00:00.000000Z")
    # 07:00 local: sent.
    await tick_at(world, "2026-12-04T00:00:00")
    assert texts_to(world, "cuong")[before:][0].startswith(texts.CHECKIN_NUDGE.format(when=WHEN))
