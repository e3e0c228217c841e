"""The dashboard's doors: one-time links from chat, sessions, scopes, revocation, forgery.

The real bot serves the dashboard beside the fake Telegram (`[web] port`); a plain HTTP client
plays the browser. Every refusal must show a clear page and none of the data behind it.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import timedelta
from pathlib import Path

import aiohttp

from bot.cli.web import serve_web
from bot.core import texts
from bot.core.clock import FakeClock
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import Database
from storage.members import MemberRepo
from storage.web_access import WebAccessRepo
from tests.conftest import make_config
from tests.seed import seed
from tests.web_world import Browser, WebWorld, free_port, http, wworld

__all__ = ["http", "wworld"]

CELL_A = "Chi bộ ấp Tân Thành"
CELL_B = "Chi bộ ấp Phú Lợi"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


async def signed_in(world: WebWorld, http: aiohttp.ClientSession, key: str) -> Browser:
    await world.link(key)
    browser = Browser(http, world.base)
    assert await browser.sign_in(await world.web_link(key)) == 303
    return browser


async def test_link_opens_a_session_once_and_is_stored_hashed(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    await wworld.link("an")
    link = await wworld.web_link("an")
    token = link.rsplit("/", 1)[1]
    assert link.startswith(wworld.base + "/vao/")
    browser = Browser(http, wworld.base)
    # Opening the link (as a chat app's link preview does) uses nothing: it shows a button.
    status, _, body, headers = await browser.get(f"/vao/{token}")
    assert status == 200 and texts.PAGE_ENTER_BUTTON in body.decode()
    assert headers["Referrer-Policy"] == "no-referrer"
    status, location, _ = await browser.post("/vao", {"token": token})
    assert (status, location) == (303, "/")
    cookie = browser.last_set_cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    # Home of a secretary: the cell's page, with its name.
    status, location, _, _ = await browser.get("/")
    assert status == 303
    status, _, body, _ = await browser.get(location)
    assert status == 200 and CELL_A in body.decode()
    # The same link again, in another browser: refused, no session.
    other = Browser(http, wworld.base)
    status, _, body_text = await other.post("/vao", {"token": token})
    assert status == 403 and texts.PAGE_BAD_LINK in body_text and not other.cookie
    # Only digests are kept.
    stored = [r[0] for r in await wworld.rows("SELECT token_hash FROM web_links")]
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    sessions = [r[0] for r in await wworld.rows("SELECT token_hash FROM web_sessions")]
    assert sessions == [hashlib.sha256(browser.cookie.encode()).hexdigest()]


async def test_secretary_cannot_open_another_cells_page(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(wworld, http, "an")
    units = wworld.seeded.unit_ids
    for path in (
        f"/don-vi/{units['B']}",
        f"/don-vi/{units['X']}",
        f"/don-vi/{units['B']}?ky=nam",
        f"/bieu-do/{units['B']}/meetings.svg",
        f"/xuat/{units['B']}/dang-vien.xlsx",
        f"/xuat/{units['X']}/don-vi.xlsx",
        "/don-vi/999999",
    ):
        status, _, body, _ = await browser.get(path)
        page = body.decode()
        assert status == 403, path
        assert texts.PAGE_FORBIDDEN in page
        # A way back to what they may see.
        assert f'<a id="home" href="/">{texts.PAGE_BACK_HOME}</a>' in page
        assert CELL_B not in page and "Võ Thị Hà" not in page and "Đặng Văn Hùng" not in page
    # Their own cell still opens, with its members' names (they lead it).
    status, _, body, _ = await browser.get(f"/don-vi/{units['A']}")
    assert status == 200 and "Lê Văn Cường" in body.decode()


async def test_expired_link_and_expired_session(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    await wworld.link("an")
    link = await wworld.web_link("an")
    await wworld.clock.advance(11 * 60)
    browser = Browser(http, wworld.base)
    assert await browser.sign_in(link) == 403
    browser = Browser(http, wworld.base)
    assert await browser.sign_in(await wworld.web_link("an")) == 303
    cell = f"/don-vi/{wworld.seeded.unit_ids['A']}"
    assert (await browser.get(cell))[0] == 200
    # A working day later the session is over.
    await wworld.clock.advance(10 * 3600 + 1)
    status, _, body, headers = await browser.get(cell)
    assert status == 401 and texts.PAGE_SIGNED_OUT in body.decode()
    assert CELL_A not in body.decode()
    # Signed out, home is no way back: the page says to ask Chibo for a new link instead.
    assert texts.PAGE_BACK_HOME not in body.decode()
    assert "chibo_session=" in headers.get("Set-Cookie", "")


async def test_revoking_the_role_ends_the_session(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    await wworld.link("ha")
    await wworld.grant("ha", "committee", "X")
    browser = Browser(http, wworld.base)
    assert await browser.sign_in(await wworld.web_link("ha")) == 303
    commune = f"/don-vi/{wworld.seeded.unit_ids['X']}"
    status, _, body, _ = await browser.get(commune)
    assert status == 200 and CELL_A in body.decode()
    members = MemberRepo(wworld.db)
    ha, x = wworld.seeded.member_ids["ha"], wworld.seeded.unit_ids["X"]
    assert await members.revoke(ha, "committee", x)
    # Still secretary of cell B: the commune is out of scope now, the cell is not.
    assert (await browser.get(commune))[0] == 403
    assert (await browser.get(f"/don-vi/{wworld.seeded.unit_ids['B']}"))[0] == 200
    assert await members.revoke(ha, "secretary", wworld.seeded.unit_ids["B"])
    status, _, body, _ = await browser.get(f"/don-vi/{wworld.seeded.unit_ids['B']}")
    assert status == 403 and texts.PAGE_NO_ROLE in body.decode()
    [ended] = await wworld.rows("SELECT ended_at FROM web_sessions")
    assert ended[0] is not None
    # Given a role again, the old session stays ended: a new link is needed.
    await wworld.grant("ha", "committee", "X")
    assert (await browser.get(commune))[0] == 401


async def test_forged_cookie_and_logout_with_csrf(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    browser = await signed_in(wworld, http, "an")
    cell = f"/don-vi/{wworld.seeded.unit_ids['A']}"
    good = browser.cookie
    [stored] = await wworld.rows("SELECT token_hash FROM web_sessions")
    for forged in ("x" * 43, stored[0], good[:-1] + ("A" if good[-1] != "A" else "B"), ""):
        browser.cookie = forged
        status, _, body, _ = await browser.get(cell)
        assert status == 401 and texts.PAGE_SIGNED_OUT in body.decode(), forged
    browser.cookie = good
    status, _, body, _ = await browser.get(cell)
    csrf = csrf_of(body.decode())
    # Logging out without the form's token changes nothing.
    status, _, page = await browser.post("/dang-xuat", {"csrf": "0" * 32})
    assert status == 403 and texts.PAGE_BAD_FORM in page
    assert (await browser.get(cell))[0] == 200
    status, _, page = await browser.post("/dang-xuat", {"csrf": csrf})
    assert status == 200 and texts.PAGE_LOGGED_OUT in page
    browser.cookie = good
    assert (await browser.get(cell))[0] == 401


async def test_failed_links_are_rate_limited(wworld: WebWorld, http: aiohttp.ClientSession) -> None:
    await wworld.link("an")
    browser = Browser(http, wworld.base)
    for _ in range(3):
        assert await browser.sign_in(wworld.base + "/vao/" + "z" * 43) == 403
    # Even a good link is refused from this address until the window has passed.
    link = await wworld.web_link("an")
    status, _, page = await browser.post("/vao", {"token": link.rsplit("/", 1)[1]})
    assert status == 429 and texts.PAGE_TOO_MANY.format(minutes=15) in page
    await wworld.clock.advance(15 * 60 + 1)
    link = await wworld.web_link("an")
    assert await browser.sign_in(link) == 303


async def test_web_command_needs_a_role(wworld: WebWorld) -> None:
    await wworld.link("cuong")
    [answer] = await wworld.say("cuong", "/web")
    assert answer["text"].startswith(texts.NO_PERMISSION.split("{")[0])
    assert "/vao/" not in answer["text"]
    assert await wworld.rows("SELECT * FROM web_links") == []


async def test_web_command_when_the_dashboard_is_off(world) -> None:  # type: ignore[no-untyped-def]
    await world.link("an")
    [answer] = await world.say("an", "/web")
    assert answer["text"] == texts.WEB_OFF


async def test_chibo_web_serves_alone_with_a_secure_cookie_behind_https(
    fake: FakeTelegram, clock: FakeClock, tmp_path: Path, http: aiohttp.ClientSession
) -> None:
    """`chibo web` without the bot; with an https public address the cookie is Secure."""
    port = free_port()
    config = make_config(
        tmp_path, fake, web={"port": port, "public_url": "https://chibo.example.vn"}
    )
    db = await Database.open(config.db_path)
    seeded = await seed(db)
    member = seeded.member_ids["an"]
    # The account the link is tied to (tests may write SQL to set up).
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO accounts (channel, user_id, chat_id, member_id, linked_at) "
            "VALUES ('telegram', '1001', '1001', ?, '2026-11-01T00:00:00.000000Z')",
            (member,),
        )
    now = clock.now()
    token = await WebAccessRepo(db).create_link(member, "telegram", now, now + timedelta(minutes=5))
    await db.close()
    stop = asyncio.Event()
    server = asyncio.create_task(serve_web(config, clock, "127.0.0.1", port, stop))
    try:
        browser = Browser(http, f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                status = await browser.sign_in(f"/vao/{token}")
                break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
        assert status == 303
        assert "Secure" in browser.last_set_cookie and "HttpOnly" in browser.last_set_cookie
    finally:
        stop.set()
        assert await server == 0


async def test_the_top_units_figures_are_warmed_ahead(
    wworld: WebWorld, http: aiohttp.ClientSession
) -> None:
    """The province's figures computed in a worker thread serve its page; scope still holds."""
    await wworld.link("an")
    await wworld.grant("an", "admin", "T")
    web = wworld.chibo.web
    assert web is not None
    assert await web.warm_once() == 2
    province = wworld.seeded.unit_ids["T"]
    cached = {key[0] for key in web.figures._cache}
    assert cached == {province}
    browser = Browser(http, wworld.base)
    assert await browser.sign_in(await wworld.web_link("an")) == 303
    status, _, body, _ = await browser.get(f"/don-vi/{province}")
    assert status == 200 and "Đảng bộ xã Hòa Bình" in body.decode()
    assert texts.PAGE_AS_OF.split("{")[0] in body.decode()
    # Without the role the warmed figures are not shown.
    await MemberRepo(wworld.db).revoke(wworld.seeded.member_ids["an"], "admin", province)
    status, _, body, _ = await browser.get(f"/don-vi/{province}")
    assert status == 403 and "Đảng bộ xã Hòa Bình" not in body.decode()
