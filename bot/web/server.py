"""The dashboard's HTTP server (aiohttp): sign-in by link, pages, charts, exports, sign-out.

Every request re-reads the session, the person, their account in the app the link came from,
and their roles from the database; the unit's figures are read through the viewer's scope.
No access log: URLs carry sign-in tokens; our own log lines carry member and unit ids only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.core import texts
from bot.web import charts
from bot.web.tables import (
    MEMBER_COLUMNS,
    MONTH_KEYS,
    member_names,
    sort_children,
    unit_columns,
    workbook,
)
from handlers.context import Ctx, Who
from handlers.dashboard import (
    Dashboard,
    Period,
    build,
    may_see_names,
    needing_attention,
    viewer_roots,
)
from storage.db import Database
from storage.web_access import new_token

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
COOKIE = "chibo_session"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = {"don-vi": "units", "thang": "months", "dang-vien": "members"}
# Computed figures are kept this long (seconds): a page, its charts and its exports are read
# together, and a province's figures take a while.
CACHE_SECONDS = 120
CACHE_SIZE = 64
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True)
class Viewer:
    who: Who
    session_token: str
    roots: list[int]
    expires_at: datetime

    @property
    def csrf(self) -> str:
        """The form token of the viewer's session."""
        return csrf_for(self.session_token)


def csrf_for(session_token: str) -> str:
    """The form token of a session, derived from its secret (so nothing more is stored)."""
    return hashlib.sha256(b"csrf:" + session_token.encode()).hexdigest()[:32]


class Refused(Exception):
    """A request that gets a plain page with no data."""

    def __init__(
        self, status: int, text: str, *, clear_cookie: bool = False, home: bool = False
    ) -> None:
        super().__init__(text)
        self.status = status
        self.text = text
        self.clear_cookie = clear_cookie
        # Signed in and still welcome: the page links back to the viewer's home.
        self.home = home


class FailureLimiter:
    """Failed sign-in attempts per client address within a window (kept in memory)."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.failures: dict[str, deque[datetime]] = {}

    def _window(self) -> timedelta:
        return timedelta(minutes=self.ctx.config.web.failure_window_minutes)

    def blocked(self, address: str) -> bool:
        """Whether the address has failed too often within the window."""
        found = self.failures.get(address)
        if not found:
            return False
        cutoff = self.ctx.now() - self._window()
        while found and found[0] <= cutoff:
            found.popleft()
        return len(found) >= self.ctx.config.web.max_failures

    def fail(self, address: str) -> None:
        """Note a failed sign-in from the address."""
        if len(self.failures) > 10_000:
            self.failures.clear()
        self.failures.setdefault(address, deque()).append(self.ctx.now())


class WebDashboard:
    """The dashboard app; `start()` serves it, `app` is there for tests and `chibo web`."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.web = ctx.config.web
        self.access = ctx.web_access
        self.limiter = FailureLimiter(ctx)
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["t"] = texts
        self.env.filters["num"] = _num
        self._cache: dict[tuple[Any, ...], tuple[datetime, Dashboard]] = {}
        # Units whose figures the warming task keeps (kept when the cache is trimmed).
        self._warm_units: set[int] = set()
        self._warm_task: asyncio.Task[None] | None = None
        self.scope = ctx.dashboard
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.app = self._build_app()

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        app.router.add_get("/", self.home)
        app.router.add_get("/vao/{token}", self.enter_page)
        app.router.add_post("/vao", self.enter)
        app.router.add_post("/dang-xuat", self.logout)
        app.router.add_get("/don-vi/{unit:[0-9]{1,18}}", self.unit_page)
        app.router.add_get("/bieu-do/{unit:[0-9]{1,18}}/{kind:[a-z]+}.{fmt:svg|png}", self.chart)
        app.router.add_get("/xuat/{unit:[0-9]{1,18}}/{table:[a-z-]+}.xlsx", self.export)
        app.router.add_get("/anh/{token:[A-Za-z0-9_-]{20,64}}.png", self.shared_image)
        app.router.add_static("/tep", HERE / "static")
        return app

    # -- serving --------------------------------------------------------------------------

    async def start(self, host: str | None = None, port: int | None = None) -> None:
        """Serve the dashboard (port 0: a free one); keep figures warm when configured."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner, host or self.web.listen, self.web.port if port is None else port
        )
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else (port or self.web.port)
        logger.info("web dashboard listening on port %s", self.port)
        if self.web.warm_minutes > 0:
            self._warm_task = asyncio.create_task(self._warm_loop(), name="dashboard-warm")

    async def stop(self) -> None:
        """Stop warming and serving."""
        if self._warm_task is not None:
            self._warm_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warm_task
            self._warm_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- plumbing -------------------------------------------------------------------------

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            response = await handler(request)
        except Refused as exc:
            response = self._page(
                "message.html", status=exc.status, message=exc.text, home=exc.home
            )
            if exc.clear_cookie:
                response.del_cookie(COOKIE, path="/")
        except web.HTTPNotFound:
            response = self._page(
                "message.html", status=404, message=texts.PAGE_NOT_FOUND, home=True
            )
        except web.HTTPException:
            raise
        except Exception:
            logger.exception("web request failed: %s", request.match_info.route.name or "?")
            response = self._page("message.html", status=500, message=texts.PAGE_ERROR, home=True)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def _page(self, template: str, status: int = 200, **values: Any) -> web.Response:
        html = self.env.get_template(template).render(**values)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    def _address(self, request: web.Request) -> str:
        peer = request.remote or "?"
        header = self.web.real_ip_header
        if header and peer in ("127.0.0.1", "::1") and request.headers.get(header):
            return request.headers[header].split(",")[0].strip()
        return peer

    async def _viewer(self, request: web.Request) -> Viewer:
        """The signed-in person, re-checked against the database on every request."""
        token = request.cookies.get(COOKIE, "")
        now = self.ctx.now()
        session = await self.access.session(token, now) if 20 <= len(token) <= 64 else None
        if session is None:
            raise Refused(401, texts.PAGE_SIGNED_OUT, clear_cookie=bool(token))
        members = self.ctx.members
        member = await members.get(session.member_id)
        accounts = await members.accounts_of(session.member_id)
        roles = tuple(await members.roles(session.member_id))
        tied = any(a.channel == session.channel for a in accounts)
        if member is None or not member.active or not tied or not roles:
            await self.access.end_session(token, now)
            logger.info("web session of member %s ended: no role or account", session.member_id)
            text = texts.PAGE_NO_ROLE if member is not None and tied else texts.PAGE_SIGNED_OUT
            raise Refused(403, text, clear_cookie=True)
        who = Who(member=member, unit=await self.ctx.units.get(member.unit_id), roles=roles)
        return Viewer(who, token, await viewer_roots(self.ctx, who), session.expires_at)

    def _period(self, request: web.Request) -> Period:
        local = self.ctx.now().astimezone(self.ctx.config.general.tz)
        if request.query.get("ky") == "nam":
            return Period(local.year, None)
        return Period(local.year, local.month)

    async def _board(
        self, unit_id: int, roots: list[int], period: Period, *, members: bool = True
    ) -> Dashboard:
        """The unit's figures if it is within `roots` (checked in SQL on every call), from the
        cache when fresh, with the path above it as far as the viewer may see."""
        ancestors = await self.scope.ancestors_in_scope(unit_id, roots)
        if not ancestors:
            raise Refused(403, texts.PAGE_FORBIDDEN, home=True)
        key = (unit_id, period, members)
        now = self.ctx.now()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            board = hit[1]
        else:
            found = await build(self.ctx, unit_id, roots, period, with_members=members)
            if found is None:
                raise Refused(403, texts.PAGE_FORBIDDEN, home=True)
            board = found
            self._remember(key, board, now + timedelta(seconds=CACHE_SECONDS))
        # A copy: the list of units below may be sorted, the path is the viewer's.
        return replace(board, path=ancestors, children=list(board.children))

    async def board_for(self, unit_id: int, roots: list[int], period: Period) -> Dashboard | None:
        """`_board` for other callers (the /tongket chart): None when out of scope."""
        try:
            return await self._board(unit_id, roots, period, members=False)
        except Refused:
            return None

    def _remember(self, key: tuple[Any, ...], board: Dashboard, until: datetime) -> None:
        if len(self._cache) >= CACHE_SIZE:
            self._cache = {k: v for k, v in self._cache.items() if k[0] in self._warm_units}
        self._cache[key] = (until, board)

    # -- warming: the largest units' figures computed ahead, away from the event loop ------

    async def warm_once(self) -> int:
        """Compute the top units' figures for this month and year in a worker thread (its own
        event loop and database connection) and keep them; returns how many were computed."""
        started = self.ctx.now()
        boards = await asyncio.to_thread(asyncio.run, self._warm_boards())
        interval = timedelta(minutes=max(self.web.warm_minutes, 1))
        for key, board in boards:
            self._warm_units.add(key[0])
            self._remember(key, board, started + 2 * interval)
        logger.info("dashboard figures warmed: %s boards", len(boards))
        return len(boards)

    async def _warm_boards(self) -> list[tuple[tuple[Any, ...], Dashboard]]:
        db = await Database.open(self.ctx.db.path, upgrade=False)
        try:
            ctx = Ctx.build(db, self.ctx.config, self.ctx.clock)
            local = ctx.now().astimezone(ctx.config.general.tz)
            found = []
            for unit in await ctx.dashboard.top_units():
                for period in (Period(local.year, local.month), Period(local.year, None)):
                    board = await build(ctx, unit, [unit], period)
                    if board is not None:
                        found.append(((unit, period, True), board))
            return found
        finally:
            await db.close()

    async def _warm_loop(self) -> None:
        while True:
            try:
                await self.warm_once()
            except Exception:
                logger.exception("warming the dashboard's figures failed")
            await self.ctx.clock.sleep(self.web.warm_minutes * 60)

    # -- pages ----------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        """The viewer's units, or straight to their one unit."""
        viewer = await self._viewer(request)
        if len(viewer.roots) == 1:
            return _redirect(f"/don-vi/{viewer.roots[0]}")
        units = [u for u in [await self.ctx.units.get(r) for r in viewer.roots] if u is not None]
        return self._page("home.html", viewer=viewer, units=units)

    async def enter_page(self, request: web.Request) -> web.StreamResponse:
        """The page that asks to confirm signing in with a link."""
        # A GET never uses the link: chat apps fetch links for previews.
        token = request.match_info["token"]
        if not 20 <= len(token) <= 64:
            raise Refused(400, texts.PAGE_BAD_LINK)
        return self._page("enter.html", token=token)

    async def enter(self, request: web.Request) -> web.StreamResponse:
        """Sign in with a one-time link: a session cookie, or a refusal counted per address."""
        address = self._address(request)
        if self.limiter.blocked(address):
            minutes = self.web.failure_window_minutes
            raise Refused(429, texts.PAGE_TOO_MANY.format(minutes=minutes))
        form = await request.post()
        token = str(form.get("token", ""))
        now = self.ctx.now()
        session_token = new_token()
        expires = now + timedelta(hours=self.web.session_hours)
        session = (
            await self.access.redeem_link(token, now, session_token, expires)
            if 20 <= len(token) <= 64
            else None
        )
        if session is None:
            self.limiter.fail(address)
            logger.info("web sign-in refused: unknown, used or expired link")
            raise Refused(403, texts.PAGE_BAD_LINK)
        logger.info("web sign-in: member %s from %s", session.member_id, session.channel)
        response = _redirect("/")
        response.set_cookie(
            COOKIE,
            session_token,
            max_age=self.web.session_hours * 3600,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.web.public_url.startswith("https://"),
        )
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        """End the viewer's session."""
        viewer = await self._viewer(request)
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")), viewer.csrf):
            raise Refused(403, texts.PAGE_BAD_FORM)
        await self.access.end_session(viewer.session_token, self.ctx.now())
        assert viewer.who.member is not None
        logger.info("web sign-out: member %s", viewer.who.member.id)
        response = self._page("message.html", message=texts.PAGE_LOGGED_OUT)
        response.del_cookie(COOKIE, path="/")
        return response

    async def unit_page(self, request: web.Request) -> web.StreamResponse:
        """A unit's figures for the period, with member names where the viewer may see them."""
        viewer = await self._viewer(request)
        period = self._period(request)
        board = await self._board(int(request.match_info["unit"]), viewer.roots, period)
        sort_key = request.query.get("sx", "")
        descending = request.query.get("chieu") == "giam"
        sort_children(board, sort_key, descending)
        show = board.unit.is_cell and may_see_names(viewer.who, board.unit.id)
        kind = "nam" if period.month is None else "thang"
        tz = self.ctx.config.general.tz
        local = self.ctx.now().astimezone(tz)
        return self._page(
            "unit.html",
            month_label=texts.PAGE_MONTH.format(month=local.month, year=local.year),
            year_label=texts.PAGE_YEAR.format(year=local.year),
            viewer=viewer,
            board=board,
            period_label=charts.period_label(board),
            kind=kind,
            columns=unit_columns(),
            month_columns=[c for c in unit_columns() if c.key in MONTH_KEYS],
            member_columns=MEMBER_COLUMNS,
            names=member_names(board, show),
            attention=needing_attention(board) if show else None,
            sort_key=sort_key,
            descending=descending,
            chart_kinds=charts.KINDS,
            session_until=viewer.expires_at.astimezone(tz).strftime("%H:%M %d/%m/%Y"),
            as_of=(board.as_of or self.ctx.now()).astimezone(tz).strftime("%H:%M %d/%m/%Y"),
        )

    async def chart(self, request: web.Request) -> web.StreamResponse:
        """One of a unit's charts, as SVG or PNG."""
        viewer = await self._viewer(request)
        kind, fmt = request.match_info["kind"], request.match_info["fmt"]
        if kind not in charts.KINDS:
            raise web.HTTPNotFound()
        board = await self._board(
            int(request.match_info["unit"]), viewer.roots, self._period(request)
        )
        data = await asyncio.to_thread(charts.render, kind, board, fmt)
        content_type = "image/svg+xml" if fmt == "svg" else "image/png"
        response = web.Response(body=data, content_type=content_type)
        if fmt == "png":
            response.headers["Content-Disposition"] = f'attachment; filename="bieu-do-{kind}.png"'
        return response

    async def export(self, request: web.Request) -> web.StreamResponse:
        """One of a unit's tables as an Excel workbook."""
        viewer = await self._viewer(request)
        table = TABLES.get(request.match_info["table"])
        if table is None:
            raise web.HTTPNotFound()
        board = await self._board(
            int(request.match_info["unit"]), viewer.roots, self._period(request)
        )
        show = board.unit.is_cell and may_see_names(viewer.who, board.unit.id)
        if table == "members" and not board.unit.is_cell:
            raise web.HTTPNotFound()
        data = await asyncio.to_thread(workbook, board, table, charts.period_label(board), show)
        name = f"{request.match_info['table']}-{board.unit.code}.xlsx"
        safe = "".join(ch for ch in name if ch.isascii() and (ch.isalnum() or ch in "-_."))
        return web.Response(
            body=data,
            content_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{safe}"'},
        )

    async def shared_image(self, request: web.Request) -> web.StreamResponse:
        """A chart handed to a chat platform by URL: aggregates only, by an expiring token."""
        shared = await self.access.shared_image(request.match_info["token"], self.ctx.now())
        if shared is None:
            raise web.HTTPNotFound()
        board = await self._board(
            shared.unit_id, [shared.unit_id], Period(shared.year, None), members=False
        )
        data = await asyncio.to_thread(charts.render_summary, board)
        return web.Response(body=data, content_type="image/png")


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _num(value: int | float | None) -> str:
    """A figure as the page shows it: Vietnamese decimal comma, a dash when there is none."""
    if value is None:
        return texts.PAGE_NO_DATA
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")
