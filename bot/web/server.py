"""The dashboard's HTTP server (aiohttp): the routes, the pages, charts and exports.

Every request re-reads the session, the person, their account in the app the link came from,
and their roles from the database (`session`); the unit's figures are read through the viewer's
scope (`figures`). No access log: URLs carry sign-in tokens; our own log lines carry member and
unit ids only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.core import texts
from bot.web import charts
from bot.web.figures import Figures
from bot.web.session import COOKIE, Refused, SignIn, redirect
from bot.web.tables import (
    MEMBER_COLUMNS,
    MONTH_KEYS,
    member_names,
    sort_children,
    unit_columns,
    workbook,
)
from handlers.context import Ctx
from handlers.dashboard import Dashboard, Period, may_see_names, needing_attention

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = {"don-vi": "units", "thang": "months", "dang-vien": "members"}
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


class WebDashboard:
    """The dashboard app; `start()` serves it, `app` is there for tests and `chibo web`."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.web = ctx.config.web
        self.access = ctx.web_access
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["t"] = texts
        self.env.filters["num"] = _num
        self.signin = SignIn(ctx, self._page)
        self.figures = Figures(ctx)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.app = self._build_app()

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        app.router.add_get("/", self.home)
        app.router.add_get("/vao/{token}", self.signin.enter_page)
        app.router.add_post("/vao", self.signin.enter)
        app.router.add_post("/dang-xuat", self.signin.logout)
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
        self.figures.start_warming()

    async def stop(self) -> None:
        """Stop warming and serving."""
        await self.figures.stop_warming()
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

    def _period(self, request: web.Request) -> Period:
        local = self.ctx.now().astimezone(self.ctx.config.general.tz)
        if request.query.get("ky") == "nam":
            return Period(local.year, None)
        return Period(local.year, local.month)

    async def board_for(self, unit_id: int, roots: list[int], period: Period) -> Dashboard | None:
        """The unit's figures for other callers (the /tongket chart): None when out of scope."""
        return await self.figures.board_for(unit_id, roots, period)

    async def warm_once(self) -> int:
        """Compute the top units' figures now (see `Figures.warm_once`); how many were."""
        return await self.figures.warm_once()

    # -- pages ----------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        """The viewer's units, or straight to their one unit."""
        viewer = await self.signin.viewer(request)
        if len(viewer.roots) == 1:
            return redirect(f"/don-vi/{viewer.roots[0]}")
        units = [u for u in [await self.ctx.units.get(r) for r in viewer.roots] if u is not None]
        return self._page("home.html", viewer=viewer, units=units)

    async def unit_page(self, request: web.Request) -> web.StreamResponse:
        """A unit's figures for the period, with member names where the viewer may see them."""
        viewer = await self.signin.viewer(request)
        period = self._period(request)
        board = await self.figures.board(int(request.match_info["unit"]), viewer.roots, period)
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
        viewer = await self.signin.viewer(request)
        kind, fmt = request.match_info["kind"], request.match_info["fmt"]
        if kind not in charts.KINDS:
            raise web.HTTPNotFound()
        board = await self.figures.board(
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
        viewer = await self.signin.viewer(request)
        table = TABLES.get(request.match_info["table"])
        if table is None:
            raise web.HTTPNotFound()
        board = await self.figures.board(
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
        board = await self.figures.board(
            shared.unit_id, [shared.unit_id], Period(shared.year, None), members=False
        )
        data = await asyncio.to_thread(charts.render_summary, board)
        return web.Response(body=data, content_type="image/png")


def _num(value: int | float | None) -> str:
    """A figure as the page shows it: Vietnamese decimal comma, a dash when there is none."""
    if value is None:
        return texts.PAGE_NO_DATA
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")
