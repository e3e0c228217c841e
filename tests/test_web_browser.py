"""The dashboard in a real headless browser (Debian's chromium driven by Playwright).

A commune committee member asks for /web in Telegram, opens the link, sees the commune's page
with its charts, drills down to a cell, exports its members' table, and signs out; then the
same on a phone-sized screen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.core import texts
from tests.test_sandbox_browser import CHROMIUM, chromium
from tests.test_web_figures import CELL_A, make_month
from tests.web_world import WebWorld, wworld

__all__ = ["wworld"]

playwright_api = pytest.importorskip("playwright.async_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)
COMMUNE = "Đảng bộ xã Hòa Bình"


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Any]:
    async with chromium(tmp_path, 900) as context:
        yield context


async def charts_loaded(page: Any) -> int:
    """How many chart images on the page have loaded with a picture in them."""
    return int(
        await page.evaluate(
            "Array.from(document.querySelectorAll('.chart img'))"
            ".filter(i => i.complete && i.naturalWidth > 0).length"
        )
    )


async def no_sideways_scroll(page: Any) -> bool:
    width = await page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= await page.evaluate("window.innerWidth"))


async def sign_in(world: WebWorld, page: Any) -> None:
    link = await world.web_link("ha")
    await page.goto(link)
    await page.locator("#enter").click()
    await playwright_api.expect(page.locator("#unit-name")).to_have_text(COMMUNE)


async def test_committee_dashboard_drill_down_export_and_sign_out(
    wworld: WebWorld, browser: Any, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    expect.set_options(timeout=15_000)
    await make_month(wworld)
    await wworld.grant("ha", "committee", "X")
    page = browser.pages[0] if browser.pages else await browser.new_page()

    await sign_in(wworld, page)
    await expect(page.locator("#children .unit-link")).to_have_count(2)
    await page.wait_for_load_state("load")
    assert await charts_loaded(page) == 4
    await page.locator("#ky-nam").click()
    await expect(page.locator("#ky-nam")).to_have_class("active")
    await page.wait_for_load_state("load")
    assert await charts_loaded(page) == 4
    await page.screenshot(path=str(tmp_path / "web-commune.png"), full_page=True)

    # Drill down to the cell: its members, without names for a committee member.
    await page.locator("#children .unit-link", has_text=CELL_A).click()
    await expect(page.locator("#unit-name")).to_have_text(CELL_A)
    await expect(page.locator("#members tbody tr")).to_have_count(5)
    await expect(page.locator("#names-hidden")).to_have_text(texts.PAGE_NAMES_HIDDEN)
    async with page.expect_download() as info:
        await page.locator("#export-members").click()
    download = await info.value
    saved = tmp_path / "members.xlsx"
    await download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == texts.COL_NAME and len(rows) == 6
    assert all(isinstance(v, int) for v in rows[1][1:])

    # Sign out: the session is over, the cell's page shows no data.
    cell_url = page.url
    await page.locator("#logout").click()
    await expect(page.locator("#message")).to_have_text(texts.PAGE_LOGGED_OUT)
    await page.goto(cell_url)
    await expect(page.locator("#message")).to_have_text(texts.PAGE_SIGNED_OUT)
    await expect(page.locator("#members")).to_have_count(0)


async def test_dashboard_on_a_phone(wworld: WebWorld, browser: Any, tmp_path: Path) -> None:
    expect = playwright_api.expect
    expect.set_options(timeout=15_000)
    await make_month(wworld)
    await wworld.grant("ha", "committee", "X")
    page = browser.pages[0] if browser.pages else await browser.new_page()
    await page.set_viewport_size({"width": 390, "height": 844})
    await sign_in(wworld, page)
    # Wide tables scroll inside their box; the page itself does not scroll sideways (once its
    # stylesheet and charts have loaded: on a loaded host the text can show before them).
    await page.wait_for_load_state("load")
    assert await no_sideways_scroll(page)
    await expect(page.locator("#logout")).to_be_visible()
    await page.locator("#children .unit-link", has_text=CELL_A).click()
    await expect(page.locator("#unit-name")).to_have_text(CELL_A)
    await page.wait_for_load_state("load")
    assert await charts_loaded(page) == 4
    assert await no_sideways_scroll(page)
    box = await page.locator(".chart img").first.bounding_box()
    assert box is not None and box["width"] <= 390
    await page.screenshot(path=str(tmp_path / "web-phone.png"), full_page=True)
