"""The minutes' data on its own (a plain structure built from the repositories), the default
templates (Vietnamese, A4, Hướng dẫn 36 margins, every placeholder known), rendering, and a
province's template with a missing or unknown placeholder refused when Chibo starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import ConfigError, parse_config
from bot.core.types import Reply
from handlers import docx_render
from handlers.context import Ctx
from handlers.minutes_data import build_minutes
from handlers.minutes_model import Excused, Totals
from storage.attendance import AttendanceRepo
from storage.bulletin_reads import BulletinReadRepo
from storage.bulletins import BulletinRepo, Scope
from storage.db import Database
from storage.files import store_file
from storage.meetings import MeetingRepo
from storage.minutes import MinutesExtras, PapersRepo
from tests.bulletin_flow import PDF
from tests.minutes_flow import (
    BLOCKED_NOTE,
    HANH,
    HONG,
    TASK_ROAD,
    TU,
    add_categories,
    at,
    read_docx,
    report,
    tasks_and_reports,
)
from tests.seed import add_members, seed

ROOT = Path(__file__).resolve().parent.parent


class _World:
    """Just the database, the seeded organisation and a clock: no bot, no chat."""

    def __init__(self, db: Database, ctx: Ctx, clock: FakeClock, seeded: object) -> None:
        self.db, self.ctx, self.clock, self.seeded = db, ctx, clock, seeded


@pytest.fixture
async def plain(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = parse_config({"database": {"path": str(tmp_path / "c.sqlite3")}}, tmp_path, env={})
    db = await Database.open(config.db_path)
    clock = FakeClock(at("2026-11-20T01:00:00"))
    ctx = Ctx.build(db, config, clock)
    seeded = await seed(db)
    try:
        yield _World(db, ctx, clock, seeded)
    finally:
        await db.close()


async def test_build_minutes_from_the_repositories(plain: _World, tmp_path: Path) -> None:
    ids = plain.seeded.member_ids  # type: ignore[attr-defined]
    cell = plain.seeded.unit_ids["A"]  # type: ignore[attr-defined]
    extra = await add_categories(plain)
    tasks = await tasks_and_reports(plain)
    meetings = MeetingRepo(plain.db)
    await meetings.create_regular(
        [(cell, "2026-12", at("2026-12-05T12:00:00"), "Nhà văn hóa ấp")], plain.clock.now()
    )
    [meeting] = await meetings.upcoming(cell, plain.clock.now())
    # The December check-in round, as the planner would open it.
    from scheduler.checkin_planner import plan_checkins

    plain.clock.set(at("2026-11-30T01:00:00"))
    await plan_checkins(plain.ctx)
    await report(plain, tasks)
    # The month's bulletin, read by two of the cell's eight members (no account: no copy queued).
    bulletins = BulletinRepo(plain.db)
    stored = store_file(PDF, tmp_path / "bulletins", "ttt.pdf")
    bulletin, _ = await bulletins.publish(
        issue="12/2026", title="Thông tin tư tưởng", file=stored, scope=Scope("hamlet"),
        publisher_member_id=None, progress=None, send_at=plain.clock.now(), now=plain.clock.now(),
        render=lambda b, m: Reply(""),
    )  # fmt: skip
    for key in ("an", "duc"):
        await BulletinReadRepo(plain.db).record_read(bulletin, ids[key], plain.clock.now())
    await AttendanceRepo(plain.db).set_answer(
        meeting.id, ids["cuong"], "excused", "Ốm đau", ids["cuong"], plain.clock.now()
    )
    await AttendanceRepo(plain.db).set_answer(
        meeting.id, ids["dung"], "excused", None, ids["an"], plain.clock.now()
    )

    # Before attendance: the answers decide (everyone else counted present).
    plain.clock.set(at("2026-12-05T14:00:00"))
    data = await build_minutes(plain.ctx, meeting)
    assert not data.attendance_saved
    assert data.excused == [
        Excused("Lê Văn Cường", "Ốm đau"),
        Excused("Phạm Thị Dung", texts.MINUTES_NO_REASON),
    ]
    assert data.absent == []

    # After attendance: Hạnh absent, Tú exempt whatever his mark, Hồng (probationary) present.
    marks = {m: "present" for m in (ids["an"], ids["binh"], ids["duc"], extra["hong"], extra["tu"])}
    marks |= {ids["cuong"]: "excused", ids["dung"]: "excused", extra["hanh"]: "absent"}
    await AttendanceRepo(plain.db).save_attendance(meeting.id, marks, ids["an"], plain.clock.now())
    await PapersRepo(plain.db).save_extras(
        MinutesExtras(meeting.id, chair_id=ids["binh"], clerk_id=ids["dung"], vote_for=4),
        ids["an"],
        plain.clock.now(),
    )
    data = await build_minutes(plain.ctx, meeting)
    assert data.attendance_saved
    assert data.totals == Totals(
        total=8,
        full=6,
        probationary=1,
        exempt=1,
        attached=0,
        required=7,
        present=4,
        excused=2,
        absent=1,
    )
    assert data.totals.present + data.totals.excused + data.totals.absent == data.totals.required
    assert data.totals.full + data.totals.probationary + data.totals.exempt == data.totals.total
    assert sorted(data.present) == sorted(["Nguyễn Văn An", "Trần Thị Bình", "Hoàng Văn Đức", HONG])
    assert data.absent == [HANH] and data.exempt == [TU]
    assert (data.chair, data.clerk, data.signer) == (
        "Trần Thị Bình",
        "Phạm Thị Dung",
        "Nguyễn Văn An",
    )
    assert (data.level_above, data.unit_name, data.place) == (
        "Đảng bộ xã Hòa Bình",
        "Chi bộ ấp Tân Thành",
        "Nhà văn hóa ấp",
    )
    assert (data.period, data.meeting_date, data.start_time) == (
        "tháng 12 năm 2026",
        "ngày 05 tháng 12 năm 2026",
        "19 giờ 00 phút",
    )
    assert data.checkin_summary == {"done": 1, "doing": 1, "todo": 0, "blocked": 1, "missing": 0}
    blocked = [c for c in data.checkins if c.status == texts.MINUTES_CHECKIN_STATUS["blocked"]]
    assert [(c.task, c.member, c.note) for c in blocked] == [
        (TASK_ROAD, "Phạm Thị Dung", BLOCKED_NOTE)
    ]
    assert data.vote.yes == "4" and data.vote.no == texts.MINUTES_BLANK
    assert data.agenda == [texts.MINUTES_NO_AGENDA]
    assert data.bulletin == {
        "issue": "12/2026",
        "title": "Thông tin tư tưởng",
        "read": 2,
        "total": 8,
    }
    # Someone who joins the cell after the sheet was saved is not in this meeting's minutes
    # (the archive of past meetings is made from the same data, months later).
    await add_members(plain.db, cell, ["Đặng Văn Mới"], 95000)
    later = await build_minutes(plain.ctx, meeting)
    assert (later.totals, later.present, later.absent, later.excused, later.exempt) == (
        data.totals, data.present, data.absent, data.excused, data.exempt,
    )  # fmt: skip
    assert texts.MINUTES_ASSESS_BULLETIN.format(issue="12/2026", read=2, total=8) in data.assessment
    # The context is plain data, and names exactly the placeholders templates may use.
    context = data.context()
    assert set(context) == docx_render.PLACEHOLDERS
    assert context["totals"]["required"] == 7 and context["excused"][0]["name"] == "Lê Văn Cường"


@pytest.mark.parametrize("kind", ["minutes", "resolution"])
def test_default_templates_pass_their_own_check_and_follow_huong_dan_36(kind: str) -> None:
    path = docx_render.DEFAULTS[kind]  # type: ignore[index]
    docx_render.check_template(path, kind)  # type: ignore[arg-type]
    document = docx.Document(str(path))
    section = document.sections[0]

    def mm(length: object) -> float:
        return round(length.mm, 1)  # type: ignore[attr-defined]

    # Word stores lengths in twips: compare in millimetres to a tenth.
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert 20 <= mm(section.top_margin) <= 25 and 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35 and 15 <= mm(section.right_margin) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    cells = {p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs}
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    if kind == "resolution":
        assert {"T/M CHI BỘ", "BÍ THƯ"} <= cells


def test_the_templates_in_the_repository_are_what_the_generator_makes(tmp_path: Path) -> None:
    # The generator writes into handlers/templates; run it on a copy of the script's output folder.
    script = (ROOT / "scripts" / "make_docx_templates.py").read_text(encoding="utf-8")
    copy = tmp_path / "make.py"
    copy.write_text(
        script.replace(
            'OUT = Path(__file__).resolve().parent.parent / "handlers" / "templates"',
            f"OUT = Path({str(tmp_path)!r})",
        ),
        encoding="utf-8",
    )
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True, timeout=60)
    for name in ("bien-ban.docx", "nghi-quyet.docx"):
        made = docx.Document(str(tmp_path / name))
        shipped = docx.Document(str(docx_render.TEMPLATES_DIR / name))
        assert [p.text for p in made.paragraphs] == [p.text for p in shipped.paragraphs]


def test_rendering_escapes_what_members_typed() -> None:
    context = {name: "" for name in docx_render.PLACEHOLDERS}
    context |= {
        "totals": Totals().__dict__, "checkin_summary": {}, "vote": {"yes": "1", "no": "0", "abstain": "0"},
        "present": [], "excused": [], "absent": [], "exempt": [], "guests": [], "agenda": ["A < B & C"],
        "documents": [], "checkins": [], "next_tasks": [], "open_tasks": [], "assessment": [],
        "conclusions": ["<w:p>không phải XML</w:p>"], "bulletin": None,
    }  # fmt: skip
    content = docx_render.render(docx_render.DEFAULTS["minutes"], context)
    draft = read_docx(content)
    assert "- A < B & C" in draft.paragraphs
    assert "<w:p>không phải XML</w:p>" in draft.paragraphs


def _template(path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def test_a_province_template_with_a_missing_or_unknown_placeholder_is_refused(
    tmp_path: Path,
) -> None:
    missing = _template(tmp_path / "thieu.docx", "BIÊN BẢN {{ unit_name_upper }}", "{{ chair }}")
    with pytest.raises(ConfigError) as refused:
        docx_render.checked(
            parse_config({"documents": {"minutes_template": "thieu.docx"}}, tmp_path, env={})
        )
    needed = sorted(docx_render.REQUIRED["minutes"] - {"unit_name_upper", "chair"})
    assert str(refused.value) == texts.DOCS_TEMPLATE_MISSING.format(
        path=missing, names=", ".join(needed)
    )

    unknown = _template(tmp_path / "la.docx", "{{ so_nghi_quyet }} {{ unit_name_upper }}")
    with pytest.raises(ConfigError) as refused:
        docx_render.checked(
            parse_config({"documents": {"resolution_template": str(unknown)}}, tmp_path, env={})
        )
    assert str(refused.value) == texts.DOCS_TEMPLATE_UNKNOWN.format(
        path=unknown, names="so_nghi_quyet"
    )

    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a docx")
    with pytest.raises(ConfigError) as refused:
        docx_render.checked(
            parse_config({"documents": {"minutes_template": str(broken)}}, tmp_path, env={})
        )
    assert str(refused.value).startswith(texts.DOCS_TEMPLATE_UNREADABLE.split("{")[0])

    # Every field the draft needs, but a typo in an attribute: refused, not a blank in a draft.
    required = " ".join(f"{{{{ {name} }}}}" for name in sorted(docx_render.REQUIRED["minutes"]))
    for typo, name in (
        (["{{ totals.presnt }}"], "presnt"),
        (["{%p for e in excused %}", "{{ e.name }}: {{ e.reson }}", "{%p endfor %}"], "reson"),
        (["{{ bulletin.issue.so }}"], "so"),
    ):
        typed = _template(tmp_path / "go-nham.docx", required, *typo)
        with pytest.raises(ConfigError) as refused:
            docx_render.checked(
                parse_config({"documents": {"minutes_template": str(typed)}}, tmp_path, env={})
            )
        assert str(refused.value) == texts.DOCS_TEMPLATE_BAD_FIELD.format(path=typed, name=name)
    fine = _template(tmp_path / "dung.docx", required, "{{ totals.present }} {{ bulletin.read }}")
    docx_render.checked(
        parse_config({"documents": {"minutes_template": str(fine)}}, tmp_path, env={})
    )

    # A complete copy of the default is accepted.
    good = tmp_path / "tinh.docx"
    good.write_bytes(docx_render.DEFAULTS["minutes"].read_bytes())
    config = docx_render.checked(
        parse_config({"documents": {"minutes_template": "tinh.docx"}}, tmp_path, env={})
    )
    assert docx_render.template_path(config, "minutes") == good


def test_chibo_refuses_to_start_with_a_broken_template(tmp_path: Path) -> None:
    _template(tmp_path / "thieu.docx", "{{ unit_name_upper }}")
    (tmp_path / "config.toml").write_text(
        '[telegram]\ntoken = "123:abc"\n[documents]\nminutes_template = "thieu.docx"\n',
        encoding="utf-8",
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "config.toml"), "run"],
        cwd=ROOT, env=base, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(texts.CLI_CONFIG_ERROR.split("{")[0])
    assert "thiếu trường bắt buộc" in result.stderr
    assert not (tmp_path / "data").exists()  # refused before anything was created


def test_context_has_no_surprise_placeholders() -> None:
    # Each default template uses only known names and every required one.
    for kind, path in docx_render.DEFAULTS.items():
        used = docx_render.placeholders_of(path)
        assert used <= docx_render.PLACEHOLDERS
        assert docx_render.REQUIRED[kind] <= used
