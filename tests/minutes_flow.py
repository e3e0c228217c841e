"""Helpers for the paperwork tests: a cell with every roster category, tasks and reports, and
reading a .docx draft back with python-docx."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import docx

from bot.core import texts
from storage.checkins import CheckinRepo
from storage.minutes import PapersRepo
from storage.tasks import TaskRepo
from tests.conftest import World
from tests.seed import TG_IDS, add_members
from tests.test_meetings import buttons, settle

# Cell A gets three more members: one who will be absent without a reason (unlinked), one
# probationary, one exempt from Party activity.
HANH = "Mai Thị Hạnh"
HONG = "Ngô Thị Hồng"
TU = "Đinh Văn Tú"
TASK_ROAD = "Vận động hộ gia đình đóng góp làm đường ấp"
TASK_CLEAN = "Kiểm tra vệ sinh môi trường khu dân cư"
TASK_NEXT = "Chuẩn bị hội nghị tổng kết năm 2026"
BLOCKED_NOTE = "Ba hộ chưa đồng ý hiến đất"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def snapshot(world: Any, *queries: str) -> list[list[tuple[Any, ...]]]:
    """The rows of each query: what a refused request must leave as it was."""
    return [[tuple(r) for r in await world.rows(sql)] for sql in queries]


async def add_categories(world: Any) -> dict[str, int]:
    """Hạnh (full), Hồng (probationary), Tú (exempt) join cell A; their member ids."""
    unit = world.seeded.unit_ids["A"]
    hanh, hong, tu = await add_members(world.db, unit, [HANH, HONG, TU], 94000)
    async with world.db.write() as conn:
        # Test set-up may write SQL (as tests/seed.py does): the roster would say "dự bị".
        await conn.execute("UPDATE members SET status = 'probationary' WHERE id = ?", (hong,))
    await PapersRepo(world.db).set_category(tu, "exempt")
    return {"hanh": hanh, "hong": hong, "tu": tu}


async def tasks_and_reports(world: Any) -> dict[str, int]:
    """Two tasks before the December round and the members' reports in it (the check-in flow
    itself is tested in test_tasks_checkin.py)."""
    ids = world.seeded.member_ids
    unit = world.seeded.unit_ids["A"]
    store = TaskRepo(world.db)
    road = await store.create(
        unit,
        TASK_ROAD,
        "2026-12-31",
        [ids["cuong"], ids["dung"]],
        ids["an"],
        at("2026-11-20T02:00:00"),
    )
    clean = await store.create(
        unit, TASK_CLEAN, None, [ids["duc"]], ids["an"], at("2026-11-20T02:00:00")
    )
    return {"road": road, "clean": clean}


async def report(world: Any, tasks: dict[str, int]) -> None:
    ids = world.seeded.member_ids
    store = CheckinRepo(world.db)
    found = await store.round_for(world.seeded.unit_ids["A"], "2026-12")
    assert found is not None
    now = world.clock.now()
    await store.answer(found.id, tasks["road"], ids["cuong"], "done", now)
    blocked = await store.answer(found.id, tasks["road"], ids["dung"], "blocked", now)
    await store.set_note(blocked, ids["dung"], BLOCKED_NOTE)
    await store.answer(found.id, tasks["clean"], ids["duc"], "doing", now)


@dataclass
class Draft:
    """A .docx read back: body paragraphs and the texts of the table cells (header, signatures)."""

    paragraphs: list[str]
    cells: list[str]

    @property
    def text(self) -> str:
        return "\n".join([*self.cells, *self.paragraphs])

    def section(self, head: str) -> list[str]:
        """The lines after the paragraph `head`, up to the next one not starting with '+ '."""
        start = self.paragraphs.index(head) + 1
        found = []
        for line in self.paragraphs[start:]:
            if not line.startswith("+ "):
                break
            found.append(line[2:])
        return found

    def after(self, head: str) -> list[str]:
        """The lines after the paragraph starting with `head`, up to the next numbered head."""
        start = next(i for i, p in enumerate(self.paragraphs) if p.startswith(head)) + 1
        found = []
        for line in self.paragraphs[start:]:
            if line[:2] in {f"{n}." for n in range(1, 10)} or line.startswith(("I", "Tổng hợp")):
                break
            found.append(line)
        return found


def read_docx(content: bytes) -> Draft:
    document = docx.Document(io.BytesIO(content))
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        if p.text
    ]
    return Draft([p.text for p in document.paragraphs if p.text], cells)


async def fetch_draft(world: World, key: str, menu: dict[str, Any], label: str) -> Draft:
    """Press a download button on the /bienban menu; the .docx the bot sent, read back."""
    uid = TG_IDS[key]
    before = len(world.fake.sent_to(uid))
    await world.press(key, menu, buttons(menu)[label])
    [sent] = (await world.fake.wait_sent(uid, before + 1))[before:]
    await settle(world)
    assert sent["document"]["file_name"].endswith(".docx")
    assert sent["caption"].startswith("📝 Dự thảo")
    return read_docx(world.fake.file_content(sent["document"]["file_id"]))


def vote_line(yes: int, no: int, abstain: int) -> str:
    return (
        f"7. Biểu quyết thông qua nghị quyết: tán thành {yes}, không tán thành {no}, "
        f"không biểu quyết {abstain}."
    )


MENU_LABELS = {
    texts.BIENBAN_MINUTES,
    texts.BIENBAN_RESOLUTION,
    texts.BIENBAN_CHAIR,
    texts.BIENBAN_CLERK,
    texts.BIENBAN_CONCLUSIONS,
    texts.BIENBAN_VOTE_BUTTON,
}
