"""Signing in to the dashboard: one-time links redeemed for a session cookie, failed attempts
counted per address, the viewer re-read from the database on every request, signing out.

No access log: URLs carry sign-in tokens; our own log lines carry member ids only.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from bot.core import texts
from handlers.context import Ctx, Who
from handlers.dashboard import viewer_roots
from storage.web_access import new_token

logger = logging.getLogger(__name__)

COOKIE = "chibo_session"

Page = Callable[..., web.Response]


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: who they are, their session, and the units they may see."""

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


def redirect(location: str) -> web.Response:
    """A 303 to `location` (after a form, and to the viewer's one unit)."""
    return web.Response(status=303, headers={"Location": location})


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


class SignIn:
    """The sign-in pages and the session check every other page starts with; `page` renders
    a template into a response."""

    def __init__(self, ctx: Ctx, page: Page) -> None:
        self.ctx = ctx
        self.web = ctx.config.web
        self.access = ctx.web_access
        self.limiter = FailureLimiter(ctx)
        self.page = page

    def address(self, request: web.Request) -> str:
        """The client's address (from the configured header only behind a local proxy)."""
        peer = request.remote or "?"
        header = self.web.real_ip_header
        if header and peer in ("127.0.0.1", "::1") and request.headers.get(header):
            return request.headers[header].split(",")[0].strip()
        return peer

    async def viewer(self, request: web.Request) -> Viewer:
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

    async def enter_page(self, request: web.Request) -> web.StreamResponse:
        """The page that asks to confirm signing in with a link."""
        # A GET never uses the link: chat apps fetch links for previews.
        token = request.match_info["token"]
        if not 20 <= len(token) <= 64:
            raise Refused(400, texts.PAGE_BAD_LINK)
        return self.page("enter.html", token=token)

    async def enter(self, request: web.Request) -> web.StreamResponse:
        """Sign in with a one-time link: a session cookie, or a refusal counted per address."""
        address = self.address(request)
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
        response = redirect("/")
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
        viewer = await self.viewer(request)
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")), viewer.csrf):
            raise Refused(403, texts.PAGE_BAD_FORM)
        await self.access.end_session(viewer.session_token, self.ctx.now())
        assert viewer.who.member is not None
        logger.info("web sign-out: member %s", viewer.who.member.id)
        response = self.page("message.html", message=texts.PAGE_LOGGED_OUT)
        response.del_cookie(COOKIE, path="/")
        return response
