"""The minutes drafts are short-lived (privacy: they name members and their reasons for absence):
kept apart from the documents members are sent, and deleted by the retention pass once
`[documents] drafts_keep_hours` have passed on Chibo's clock. The Zalo link then says so; the
agenda documents stay; Telegram got the file itself."""

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import docx
import httpx
import pytest

from bot.app import Chibo
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import ConfigError, parse_config
from bot.sandbox.telegram_api import FakeTelegram
from bot.sandbox.zalo_api import FakeZalo
from handlers.bulletin_common import files_dir
from handlers.minutes_files import drafts_dir
from scheduler import retention
from storage.files import FileIdRepo
from tests.bulletin_flow import PDF, send_file
from tests.conftest import World, make_config
from tests.minutes_flow import at, fetch_draft
from tests.test_meetings import press, tick_at
from tests.zalo_world import ZaloWorld, serving_files, zfake

__all__ = ["zfake"]

DOC_NAME = "bao-cao-thang-12.pdf"
MADE = "2026-12-05T15:00:00"  # after the meeting of 05/12 19:00 local

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
async def both(zfake: FakeZalo, fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[ZaloWorld]:
    """Telegram and Zalo; Chibo serves documents and drafts to Zalo from its own endpoint."""
    clock = FakeClock(at("2026-12-01T01:00:00"))
    async with serving_files(zfake, fake, clock, tmp_path, "tl") as world:
        yield world


async def _add_document(world: World) -> None:
    """Secretary An adds a PDF to the December meeting's papers."""
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    await press(world, "an", panel, texts.PAPERS_ADD_DOCUMENT)
    [taken] = await send_file(world, "an", file_name=DOC_NAME)
    assert taken["text"].startswith(texts.PAPERS_DOCUMENT_SAVED.format(name=DOC_NAME, size="0,0"))
    await press(world, "an", taken, texts.PAPERS_DONE)


async def _zalo_draft_link(both: ZaloWorld) -> str:
    """Hà, secretary of cell B, asks for her cell's minutes on Zalo: the link she gets."""
    [menu] = await both.say("ha", "/bienban")
    assert f"1. {texts.BIENBAN_MINUTES}" in menu
    [linked] = await both.say("ha", "1")
    base = both.chibo.config.zalo.files_public_url
    return next(w for w in linked.split() if w.startswith(f"{base}/drafts/"))


async def test_a_draft_link_expires_after_the_keep_time_and_documents_stay(
    both: ZaloWorld,
) -> None:
    assert both.tg is not None
    world = World(both.chibo, both.tg, both.clock, both.seeded)
    ctx = world.chibo.ctx
    config = world.chibo.config
    assert config.documents.drafts_keep_hours == 24
    await tick_at(world, "2026-12-01T01:00:00")
    await world.link("an")
    await both.link("ha")
    await _add_document(world)
    pdf_name = f"{hashlib.sha256(PDF).hexdigest()}.pdf"
    pdf_url = f"{config.zalo.files_public_url}/{pdf_name}"

    await tick_at(world, MADE)
    # Telegram: the draft is uploaded itself (read back from what the fake Bot API received).
    [menu] = await world.say("an", "/bienban")
    uploads = world.fake.uploads
    draft = await fetch_draft(world, "an", menu, texts.BIENBAN_MINUTES)
    assert "CHI BỘ ẤP TÂN THÀNH" in draft.cells and world.fake.uploads == uploads + 1
    # Zalo: a link under drafts/, which works.
    link = await _zalo_draft_link(both)
    async with httpx.AsyncClient() as http:
        got = await http.get(link)
    assert got.status_code == 200 and got.content.startswith(b"PK\x03\x04")
    # Kept apart: the drafts in their own folder, only the members' document among the files.
    made = sorted(p.name for p in drafts_dir(config).iterdir())
    assert len(made) == 2 and link.rsplit("/", 1)[1] in made
    assert [p.name for p in files_dir(config).iterdir()] == [pdf_name]
    cached = "SELECT file_key FROM platform_files WHERE file_key LIKE 'draft:%'"
    assert len(await world.rows(cached)) == 1

    # An hour before the keep time runs out the retention pass leaves the drafts alone.
    world.clock.set(at(MADE) + timedelta(hours=23))
    assert (await retention.prune(ctx)).drafts == 0
    async with httpx.AsyncClient() as http:
        assert (await http.get(link)).status_code == 200

    # Past it, the same pass deletes both drafts and their cached upload ids; the link says the
    # draft expired and to ask /bienban again. The members' document is untouched.
    world.clock.set(at(MADE) + timedelta(hours=24, minutes=1))
    assert (await retention.prune(ctx)).drafts == 2
    assert list(drafts_dir(config).iterdir()) == []
    assert await world.rows(cached) == []
    async with httpx.AsyncClient() as http:
        expired = await http.get(link)
        document = await http.get(pdf_url)
    assert expired.status_code == 404
    assert expired.headers["content-type"].startswith("text/html")
    assert html.escape(texts.BIENBAN_DRAFT_EXPIRED.format(hours=24)) in expired.text
    assert document.status_code == 200 and document.content == PDF
    assert [p.name for p in files_dir(config).iterdir()] == [pdf_name]

    # /bienban again gives a fresh draft whose link works, kept from now.
    again = await _zalo_draft_link(both)
    async with httpx.AsyncClient() as http:
        assert (await http.get(again)).status_code == 200
    assert (await retention.prune(ctx)).drafts == 0


def test_the_keep_time_is_configurable_within_bounds(tmp_path: Path) -> None:
    config = parse_config({"documents": {"drafts_keep_hours": 48}}, tmp_path, env={})
    assert config.documents.drafts_keep_hours == 48
    for wrong in (0, -1, 24 * 31, "24"):
        with pytest.raises(ConfigError):
            parse_config({"documents": {"drafts_keep_hours": wrong}}, tmp_path, env={})


async def test_drafts_an_earlier_version_kept_among_the_documents_go_at_start(
    world: World, tmp_path: Path
) -> None:
    """Before drafts had their own folder they were kept beside the documents for ever; the
    first start of this version removes them, and never a document members were sent."""
    await tick_at(world, "2026-12-01T01:00:00")
    await world.link("an")
    [menu] = await world.say("an", "/datlich")
    panel = await press(world, "an", menu, texts.DATLICH_PAPERS)
    await press(world, "an", panel, texts.PAPERS_ADD_DOCUMENT)
    document = docx.Document()
    document.add_paragraph("Dự thảo báo cáo chính trị")
    out = io.BytesIO()
    document.save(out)
    [taken] = await send_file(
        world, "an", content=out.getvalue(), file_name="bao-cao.docx", mime_type=DOCX_MIME
    )
    assert taken["text"].startswith(texts.PAPERS_DOCUMENT_SAVED.split("{")[0])
    folder = files_dir(world.chibo.config)
    [kept] = folder.glob("*.docx")
    stray = folder / f"{hashlib.sha256(b'old draft').hexdigest()}.docx"
    stray.write_bytes(b"old draft")
    # (as the older version cached its upload: under the bare checksum)
    await FileIdRepo(world.db).put("telegram", "bot", stray.stem, "F1")
    # Chibo restarts (an upgrade): the old draft and its cached upload go, the document stays.
    await world.chibo.stop()
    world.chibo = await Chibo.build(make_config(tmp_path, world.fake), clock=world.clock)
    await world.chibo.start()
    assert sorted(folder.glob("*.docx")) == [kept]
    assert kept.read_bytes() == out.getvalue()
    rows = await world.rows("SELECT file_key FROM platform_files WHERE file_key = ?", (stray.stem,))
    assert rows == []
