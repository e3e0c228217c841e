"""The paperwork from the server's command line: `chibo meetings agenda` (same versions and
messages as the chat; a file over 50 MB or not PDF/DOCX refused whole) and
`chibo members category`."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import docx
import pytest

from bot.cli.meetings import meetings_agenda
from bot.cli.members import members_category
from bot.cli.minutes import minutes_export
from bot.core import texts
from storage.minutes import PapersRepo
from tests.bulletin_flow import PDF
from tests.conftest import World
from tests.test_meetings import settle, tick_at


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Dự thảo báo cáo")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def test_agenda_and_documents_from_the_command_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("an", "cuong"):
        await world.link(key)
    await tick_at(world, "2026-12-01T01:00:00")
    config, clock = world.chibo.config, world.clock
    pdf, report = tmp_path / "nghi-quyet.pdf", tmp_path / "bao-cao.docx"
    pdf.write_bytes(PDF)
    report.write_bytes(_docx())
    huge = tmp_path / "lon.pdf"
    with huge.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: the size is checked before reading
    text_file = tmp_path / "ghi-chu.txt"
    text_file.write_text("không phải tài liệu", encoding="utf-8")
    before = await world.rows("SELECT * FROM meeting_documents")

    folder = tmp_path / "thu-muc.pdf"
    folder.mkdir()
    refusals = {
        huge: texts.CLI_AGENDA_TOO_BIG.format(size="51,0", limit=50),
        text_file: texts.PAPERS_BAD_TYPE.format(name=text_file.name),
        tmp_path / "khong-co.pdf": texts.CLI_AGENDA_NO_FILE,
        folder: texts.CLI_AGENDA_UNREADABLE,
    }
    for bad, why in refusals.items():
        code = await meetings_agenda(config, "A", text="Một; Hai", files=[pdf, bad], clock=clock)
        assert code == 1
        assert capsys.readouterr().err.strip() == texts.CLI_AGENDA_BAD_FILE.format(
            path=bad, error=why
        )
    assert await world.rows("SELECT * FROM meeting_documents") == before
    assert await world.rows("SELECT agenda FROM meetings WHERE agenda != ''") == []
    assert await meetings_agenda(config, "ZZ", text="Một", files=[], clock=clock) == 1

    code = await meetings_agenda(
        config, "A", text="Kiểm điểm tháng 11; Nhiệm vụ tháng 12", files=[pdf, report], clock=clock
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == texts.CLI_AGENDA_DONE.format(
        when="Thứ Bảy, 05/12/2026 lúc 19:00", items=2, docs=2
    )
    rows = await world.rows("SELECT file_name, kind, sha256 FROM meeting_documents ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("nghi-quyet.pdf", "pdf", hashlib.sha256(PDF).hexdigest()),
        ("bao-cao.docx", "docx", hashlib.sha256(report.read_bytes()).hexdigest()),
    ]
    [meeting] = await world.rows("SELECT id, agenda FROM meetings WHERE agenda != ''")
    assert meeting["agenda"] == "Kiểm điểm tháng 11\nNhiệm vụ tháng 12"
    papers = await PapersRepo(world.db).papers(meeting["id"])
    assert (papers.version, papers.sent_version) == (4, 0)  # agenda + two documents, not sent
    # Three days ahead, at 08:00, each linked member gets the agenda and both files.
    await tick_at(world, "2026-12-02T01:00:00")
    await settle(world)
    keys = await world.rows(
        "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE '%:papers:%' AND status = 'sent'"
    )
    assert len(keys) == 2 * 3


async def test_member_category_from_the_command_line(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    config, clock = world.chibo.config, world.clock
    duc = world.seeded.member_ids["duc"]
    store = PapersRepo(world.db)
    assert await members_category(config, "093005", "exempt", clock=clock) == 0
    assert (await store.categories(world.seeded.unit_ids["A"]))[duc] == "exempt"
    assert capsys.readouterr().out.strip() == (
        "Đã đặt loại đảng viên của Hoàng Văn Đức: miễn công tác và sinh hoạt đảng."
    )
    assert await members_category(config, "Hoàng Văn Đức", "auto", clock=clock) == 0
    assert capsys.readouterr().out.strip() == (
        "Đã đặt loại đảng viên của Hoàng Văn Đức: theo danh sách (chính thức hoặc dự bị)."
    )
    assert (await store.categories(world.seeded.unit_ids["A"]))[duc] == "full"
    assert await members_category(config, "không có ai", "exempt", clock=clock) == 1


async def test_archive_export_refuses_a_bad_year_or_output(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A year datetime cannot hold, --out naming a file, a folder that cannot be written: a
    Vietnamese line and exit 1, never a traceback; nothing is written."""
    await tick_at(world, "2026-12-01T01:00:00")
    await tick_at(world, "2026-12-05T15:00:00")  # the December meeting has been held
    config, clock = world.chibo.config, world.clock
    for year in (0, -5, 9999, 99999):
        assert await minutes_export(config, "A", year, tmp_path / "ra", clock=clock) == 1
        assert capsys.readouterr().err.strip() == texts.CLI_MINUTES_BAD_YEAR.format(year=year)
    a_file = tmp_path / "bien-ban.docx"
    a_file.write_bytes(b"")
    assert await minutes_export(config, "A", 2026, a_file, clock=clock) == 1
    assert capsys.readouterr().err.strip() == texts.CLI_MINUTES_NOT_A_FOLDER.format(out=a_file)
    # A committee's export needs a folder per cell; one is in the way as a file.
    out = tmp_path / "xa"
    out.mkdir()
    (out / "A").write_bytes(b"")
    assert await minutes_export(config, "X", 2026, out, clock=clock) == 1
    assert capsys.readouterr().err.strip() == texts.CLI_MINUTES_WRITE_FAILED.format(path=out / "A")
    assert not (tmp_path / "ra").exists() and a_file.read_bytes() == b""
    assert await minutes_export(config, "A", 2026, tmp_path / "ra", clock=clock) == 0
    assert [p.name for p in (tmp_path / "ra").iterdir()] == ["bien-ban-2026-12-05.docx"]
