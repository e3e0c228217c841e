"""Standing leave (/nghiphep) end to end with a fake clock: a member on leave is not prompted or
nudged, is not silent in /tiendo, shows as excused in the digest, the year view and the export;
once the leave is over (or ended early) they are prompted again; they are told both times;
forged buttons and other cells change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from bot.cli.tasks import checkins_export
from bot.core import texts
from tests.conftest import World
from tests.seed import TG_IDS, add_members
from tests.test_meetings import buttons, last_to, press, settle, texts_to, tick_at
from tests.test_tasks import assign
from tests.test_tasks_checkin import outbox_keys

CELL = "Chi bộ ấp Tân Thành"
WHEN = "Thứ Bảy, 05/12/2026 lúc 19:00"
LENGTH = texts.NGHIPHEP_LENGTHS


async def put_on_leave(world: World, search: str, name: str, length: str) -> dict[str, Any]:
    """Secretary An: /nghiphep, types part of the name, picks it and the length, confirms."""
    await world.say("an", "/nghiphep")
    [found] = await world.say("an", search)
    assert [b for b in buttons(found) if name in b] == [name]
    asked = await press(world, "an", found, name)
    assert asked["text"] == texts.NGHIPHEP_ASK_LENGTH.format(name=name)
    confirm = await press(world, "an", asked, LENGTH[length])
    done = await press(world, "an", confirm, texts.NGHIPHEP_OK)
    await settle(world)
    return done


def as_now(world: World, key: str, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it reads now (buttons edit the message they are under)."""
    sent = world.fake.sent_to(TG_IDS[key])
    return next(m for m in sent if m["message_id"] == message["message_id"])


async def leave_rows(world: World) -> list[tuple[Any, ...]]:
    rows = await world.rows(
        "SELECT member_id, unit_id, first_period, last_period, set_by, ended_at IS NOT NULL AS e "
        "FROM member_leave ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def test_a_month_of_leave_skips_the_december_round(world: World, tmp_path: Path) -> None:
    ids, units = world.seeded.member_ids, world.seeded.unit_ids
    for key in ("an", "binh", "cuong", "dung"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường", "Phạm Thị Dung"], "Vận động quỹ khuyến học", None)

    [overview] = await world.say("an", "/nghiphep")
    assert overview["text"].startswith(texts.NGHIPHEP_NONE.format(unit=CELL))
    assert list(buttons(overview)) == [texts.NGHIPHEP_ADD, texts.GIAOVIEC_CANCEL]
    # "1 tháng" from 28/11 runs to 27/12: November and December are covered, January is not.
    asked = await press(
        world, "an", await press(world, "an", overview, texts.NGHIPHEP_ADD), "Lê Văn Cường"
    )
    confirm = await press(world, "an", asked, LENGTH["1"])
    until = texts.LEAVE_UNTIL_MONTH.format(month="12/2026")
    assert confirm["text"] == texts.NGHIPHEP_CONFIRM.format(name="Lê Văn Cường", until=until)
    done = await press(world, "an", confirm, texts.NGHIPHEP_OK)
    assert done["text"] == texts.NGHIPHEP_DONE.format(name="Lê Văn Cường", until=until)
    await settle(world)
    assert await leave_rows(world) == [
        (ids["cuong"], units["A"], "2026-11", "2026-12", ids["an"], 0)
    ]
    told = texts.LEAVE_TOLD_SET.format(name="Lê Văn Cường", unit=CELL, until=until)
    assert texts_to(world, "cuong")[-1] == told
    [listed] = await world.say("an", "/nghiphep")
    assert texts.NGHIPHEP_LINE.format(name="Lê Văn Cường", until=until) in listed["text"]
    assert texts.NGHIPHEP_END.format(name="Lê Văn Cường") in buttons(listed)
    await world.say("an", "/huy")

    # The December round prompts Dũng only; /tiendo does not count Cường as silent.
    await tick_at(world, "2026-11-30T01:00:00")
    [rnd] = await world.rows("SELECT id FROM checkin_rounds")
    assert await outbox_keys(world, "checkin:%") == {f"checkin:{rnd['id']}:{ids['dung']}:prompt"}
    assert texts_to(world, "cuong")[-1] == told
    [view] = await world.say("an", "/tiendo")
    assert view["text"].startswith(texts.TIENDO_HEADER.format(when=WHEN, done=0, total=1))
    assert texts.TIENDO_SILENT.format(names="Phạm Thị Dung") in view["text"]
    assert texts.TIENDO_EXCUSE.format(name="Lê Văn Cường") not in buttons(view)
    # Nudges go to Dũng only; the digest shows Cường as excused.
    await tick_at(world, "2026-12-04T00:00:00")
    await tick_at(world, "2026-12-04T12:00:00")
    nudged = await outbox_keys(world, "%nudge%")
    assert nudged == {f"checkin:{rnd['id']}:{ids['dung']}:nudge:{o}" for o in ("2d", "1d")}
    digest = texts_to(world, "an")[-1]
    assert digest.startswith(texts.DIGEST_HEADER.format(unit=CELL, when=WHEN))
    assert texts.DIGEST_MEMBER_EXCUSED.format(name="Lê Văn Cường") in digest
    assert texts.DIGEST_MEMBER.format(name="Phạm Thị Dung") in digest
    # The year view expects one report in December; the export marks Cường excused.
    # The text, then the same figures as a chart (handlers/web.py).
    year, _chart = await world.say("an", "/tongket", count=2)
    assert texts.YEAR_MONTH.format(month=12, got=0, total=1, rate="0.0%") in year["text"]
    path = tmp_path / "bao-cao.xlsx"
    assert await checkins_export(world.chibo.config, "A", "2026-12", path, clock=world.clock) == 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    status = {r[1]: r[4] for r in list(sheet.iter_rows(values_only=True))[1:]}
    assert status == {
        "Lê Văn Cường": texts.EXPORT_EXCUSED,
        "Phạm Thị Dung": texts.NHIEMVU_NO_REPORT,
    }

    # January: the leave is over, Cường is prompted again (and no longer listed).
    await tick_at(world, "2026-12-28T01:00:00")
    await tick_at(world, "2026-12-31T01:00:00")
    january = await world.rows("SELECT id FROM checkin_rounds WHERE period = '2027-01'")
    assert len(january) == 1
    prompts = await outbox_keys(world, f"checkin:{january[0]['id']}:%:prompt")
    assert f"checkin:{january[0]['id']}:{ids['cuong']}:prompt" in prompts
    assert texts_to(world, "cuong")[-1].startswith(texts.CHECKIN_PROMPT.format(name="Lê Văn Cường"))
    await tick_at(world, "2027-01-01T01:00:00")
    [listed] = await world.say("an", "/nghiphep")
    assert listed["text"].startswith(texts.NGHIPHEP_NONE.format(unit=CELL))


async def test_ending_a_leave_early(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-11-28T01:00:00")
    await assign(world, ["Lê Văn Cường"], "Trực tổ an ninh", None)
    done = await put_on_leave(world, "cuong", "Lê Văn Cường", "n")
    open_ended = texts.LEAVE_UNTIL_NOTICE
    assert done["text"] == texts.NGHIPHEP_DONE.format(name="Lê Văn Cường", until=open_ended)
    assert texts_to(world, "cuong")[-1] == texts.LEAVE_TOLD_SET.format(
        name="Lê Văn Cường", unit=CELL, until=open_ended
    )
    await tick_at(world, "2026-11-30T01:00:00")
    await tick_at(world, "2026-12-04T12:00:00")
    assert await outbox_keys(world, "checkin:%:%:prompt") == set()
    assert await outbox_keys(world, "%nudge%") == set()

    # After the December meeting the secretary ends the leave from the overview.
    await tick_at(world, "2026-12-10T01:00:00")
    [overview] = await world.say("an", "/nghiphep")
    assert texts.NGHIPHEP_LINE.format(name="Lê Văn Cường", until=open_ended) in overview["text"]
    end = texts.NGHIPHEP_END.format(name="Lê Văn Cường")
    await world.press("an", overview, buttons(overview)[end])
    ended, fresh = texts_to(world, "an")[-2:]
    assert ended == texts.NGHIPHEP_ENDED.format(name="Lê Văn Cường")
    assert fresh.startswith(texts.NGHIPHEP_NONE.format(unit=CELL))
    await settle(world)
    back = texts.LEAVE_TOLD_ENDED.format(name="Lê Văn Cường", unit=CELL)
    assert texts_to(world, "cuong")[-1] == back
    # The December round stays excused in the history; the leave now ends with it.
    assert await leave_rows(world) == [
        (ids["cuong"], world.seeded.unit_ids["A"], "2026-11", "2026-12", ids["an"], 1)
    ]
    # The text, then the same figures as a chart (handlers/web.py).
    year, _chart = await world.say("an", "/tongket", count=2)
    assert texts.YEAR_MONTH.format(month=12, got=0, total=0, rate="—") in year["text"]
    # A second press changes nothing and tells nobody again.
    await world.press("an", overview, buttons(overview)[end])
    assert texts_to(world, "an")[-1] == texts.NGHIPHEP_NOT_CURRENT
    await settle(world)
    assert len(await outbox_keys(world, "leave:%:ended:%")) == 1
    assert texts_to(world, "cuong").count(back) == 1

    # The January round prompts Cường again.
    await tick_at(world, "2026-12-28T01:00:00")
    await tick_at(world, "2026-12-31T01:00:00")
    assert texts_to(world, "cuong")[-1].startswith(texts.CHECKIN_PROMPT.format(name="Lê Văn Cường"))


async def test_picking_pages_search_and_replacing_a_leave(world: World) -> None:
    await world.link("an")
    await add_members(
        world.db, world.seeded.unit_ids["A"], [f"Đảng Viên Số {i}" for i in range(10)], 500
    )
    [overview] = await world.say("an", "/nghiphep")
    pick = await press(world, "an", overview, texts.NGHIPHEP_ADD)
    assert texts.TASK_PAGE_OF.format(page=1, pages=2) in pick["text"]
    assert sum(1 for d in buttons(pick).values() if d.startswith("np:p:")) == 8
    second = await press(world, "an", pick, texts.GIAOVIEC_NEXT)
    assert texts.TASK_PAGE_OF.format(page=2, pages=2) in second["text"]
    assert sum(1 for d in buttons(second).values() if d.startswith("np:p:")) == 15 - 8
    # A search matching nobody says so; one without diacritics finds Đức.
    [none] = await world.say("an", "xyz")
    assert none["text"].startswith(texts.GIAOVIEC_SEARCH_NONE.format(unit=CELL, query="xyz"))
    [found] = await world.say("an", "duc")
    assert [b for b in buttons(found) if "Văn" in b] == ["Hoàng Văn Đức"]
    asked = await press(world, "an", found, "Hoàng Văn Đức")
    confirm = await press(world, "an", asked, LENGTH["0"])
    done = await press(world, "an", confirm, texts.NGHIPHEP_OK)
    # Đức has no account: the secretary is told to let him know in person; nothing is queued.
    this_month = texts.LEAVE_UNTIL_MONTH.format(month="12/2026")
    assert done["text"] == texts.NGHIPHEP_DONE.format(
        name="Hoàng Văn Đức", until=this_month
    ) + texts.NGHIPHEP_UNLINKED.format(name="Hoàng Văn Đức")
    assert await outbox_keys(world, "leave:%") == set()
    # Picking him again offers a new length or ending; a new length replaces the old leave.
    await world.say("an", "/nghiphep")
    [found] = await world.say("an", "hoang van")
    asked = await press(world, "an", found, texts.NGHIPHEP_ON_LEAVE + "Hoàng Văn Đức")
    assert asked["text"] == texts.NGHIPHEP_ASK_LENGTH_AGAIN.format(
        name="Hoàng Văn Đức", until=this_month
    )
    assert texts.NGHIPHEP_END.format(name="Hoàng Văn Đức") in buttons(asked)
    confirm = await press(world, "an", asked, LENGTH["6"])
    await press(world, "an", confirm, texts.NGHIPHEP_OK)
    rows = await leave_rows(world)
    assert [(r[2], r[3], r[5]) for r in rows] == [
        ("2026-12", "2026-11", 1),
        ("2026-12", "2027-05", 0),
    ]
    [listed] = await world.say("an", "/nghiphep")
    assert listed["text"].count("Hoàng Văn Đức") == 1


async def test_bad_input(world: World) -> None:
    ids = world.seeded.member_ids
    for key in ("an", "cuong", "ha"):
        await world.link(key)
    # /huongdan lists /nghiphep for the secretary only; a member may not use it.
    [help_an] = await world.say("an", "/huongdan")
    line = texts.HELP_LINE.format(
        command="nghiphep", description=texts.COMMAND_DESCRIPTIONS["nghiphep"]
    )
    assert line in help_an["text"]
    [help_cuong] = await world.say("cuong", "/huongdan")
    assert line not in help_cuong["text"]
    [refused] = await world.say("cuong", "/nghiphep")
    assert refused["text"] == texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE)

    # Forged picks: a member of another cell, an unknown member, non-numbers, superscripts.
    [overview] = await world.say("an", "/nghiphep")
    pick = await press(world, "an", overview, texts.NGHIPHEP_ADD)
    for data in (
        f"np:p:{ids['hung']}",
        "np:p:99999",
        "np:p:abc",
        "np:p:²",
        "np:g:²",
        "np:p:1:2",
        "np:zz",
    ):
        await world.press("an", pick, data, check=False)
        assert last_to(world, "an")["text"] == texts.STALE_BUTTON, data
    # A length before a member is picked, then a bad length code.
    await world.press("an", pick, "np:d:1", check=False)
    assert last_to(world, "an")["text"] == texts.STALE_BUTTON
    await press(world, "an", pick, "Lê Văn Cường")
    # The picker was edited into the question (later refusals are newer messages).
    asked = as_now(world, "an", pick)
    assert asked["text"] == texts.NGHIPHEP_ASK_LENGTH.format(name="Lê Văn Cường")
    for data in ("np:d:2", "np:d:", "np:d:¹", "np:c"):
        await world.press("an", asked, data, check=False)
        assert last_to(world, "an")["text"] == texts.STALE_BUTTON, data
    assert await leave_rows(world) == []

    # Hà (secretary of cell B) forging An's flow: her own conversation is about cell B.
    [theirs] = await world.say("ha", "/nghiphep")
    await world.press("ha", theirs, "np:add")
    await world.press("ha", last_to(world, "ha"), f"np:p:{ids['cuong']}", check=False)
    assert last_to(world, "ha")["text"] == texts.STALE_BUTTON
    # A member pressing a flow button without a flow.
    await world.press("cuong", last_to(world, "cuong"), "np:add", check=False)
    assert last_to(world, "cuong")["text"] == texts.STALE_BUTTON
    assert await leave_rows(world) == []

    # Ending: Hà and Cường may not end a leave of cell A; unknown ids are stale.
    await press(world, "an", asked, LENGTH["3"])
    await press(world, "an", as_now(world, "an", asked), texts.NGHIPHEP_OK)
    [leave] = await world.rows("SELECT id FROM member_leave")
    # Hà leads another cell: told it is not in her cell; Cường leads none.
    refusals = {
        "ha": texts.NOT_YOUR_CELL,
        "cuong": texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE),
    }
    for key, refusal in refusals.items():
        await world.press(key, last_to(world, key), f"np:e:{leave['id']}", check=False)
        assert last_to(world, key)["text"] == refusal
    for data in (f"np:e:{leave['id'] + 1}", "np:e:x", "np:e:²", f"np:e:{leave['id']}:1"):
        await world.press("an", last_to(world, "an"), data, check=False)
        assert last_to(world, "an")["text"] == texts.STALE_BUTTON, data
    assert [r[5] for r in await leave_rows(world)] == [0]
    assert len(await outbox_keys(world, "leave:%")) == 1
    # Typed text while a button is expected gets a hint, not a search.
    await world.say("an", "/nghiphep")
    await press(world, "an", last_to(world, "an"), texts.NGHIPHEP_ADD)
    await press(world, "an", last_to(world, "an"), texts.NGHIPHEP_ON_LEAVE + "Lê Văn Cường")
    [hint] = await world.say("an", "cuong")
    assert hint["text"] == texts.NGHIPHEP_WAITING
