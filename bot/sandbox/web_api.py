"""The sandbox page and its JSON API: people, chats, sending as a user, files, the clock panel.

The page's own labels live in bot/sandbox/web/ (it is a static page with no templating); every
sentence the bot says reaches the page exactly as the bot sent it to the fake Telegram.
"""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from aiohttp import web

from bot.core import texts
from bot.core.textnorm import nfc, vi_sort_key
from bot.core.timefmt import format_datetime_vi
from storage.sandbox import SANDBOX_USER_BASE, Person, SandboxRepo

if TYPE_CHECKING:
    from bot.app import Chibo
    from bot.core.config import Config
    from bot.sandbox.clock import VirtualClock
    from bot.sandbox.telegram_api import FakeTelegram


class Sandbox(Protocol):
    """What the page's handlers use of `bot.sandbox.server.Sandbox` (named here, not imported:
    the server builds this module's routes, so importing it back would be a cycle)."""

    base_config: Config
    clock: VirtualClock
    fake: FakeTelegram | None
    chibo: Chibo | None

    @property
    def bulletin_path(self) -> Path:
        """The demo bulletin's file."""

    async def advance(self, delta: timedelta) -> datetime:
        """Move sandbox time and let the planners and the worker run."""

    async def reset(self) -> None:
        """Start the sandbox over («Làm lại từ đầu»)."""


WEB_DIR = Path(__file__).with_name("web")
STATIC = {
    "app.js": "application/javascript",
    "style.css": "text/css",
}
STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
# "To the next meeting" stops this long before it starts: the last reminder is due then.
BEFORE_MEETING = timedelta(hours=2)
ROLE_ORDER = {"admin": 0, "committee": 1, "propaganda": 2, "secretary": 3, "deputy": 4}
MAX_UPLOAD = 20 * 1024 * 1024
# Commands that mean nothing in the sandbox: everyone is linked already (/start) and there is
# only the one channel to choose (/kenh).
MENU_HIDDEN = frozenset({"start", "kenh"})


def _meeting_repo(db: Any) -> Any | None:
    """The meetings repository when the meetings feature is installed, else None."""
    try:
        module = importlib.import_module("storage.meetings")
    except ImportError:
        return None
    repo = getattr(module, "MeetingRepo", None)
    if repo is None or not hasattr(repo, "starting_between"):
        return None
    return repo(db)


def _bad(reason: str, status: int = 400) -> web.Response:
    return web.json_response({"ok": False, "error": reason}, status=status)


class SandboxWeb:
    """HTTP handlers added to the fake Telegram's server."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def add_routes(self, app: web.Application) -> None:
        """Add the sandbox page, its files and its JSON API to the server."""
        r = app.router
        r.add_get("/", self.index)
        r.add_get("/static/{name}", self.static)
        r.add_get("/api/state", self.state)
        r.add_get("/api/people", self.people)
        r.add_get("/api/chat/{user_id}", self.chat)
        r.add_post("/api/send", self.send)
        r.add_post("/api/press", self.press)
        r.add_post("/api/upload", self.upload)
        r.add_get("/api/file/{file_id}", self.file)
        r.add_post("/api/clock", self.clock)
        r.add_post("/api/reset", self.reset)
        r.add_get("/demo/bulletin.pdf", self.demo_bulletin)

    # -- helpers --------------------------------------------------------------------------------

    @property
    def fake(self) -> Any:
        """The running fake Telegram server."""
        assert self.sandbox.fake is not None
        return self.sandbox.fake

    def _tz(self) -> Any:
        return self.sandbox.base_config.general.tz

    async def _people(self) -> dict[int, Person]:
        assert self.sandbox.chibo is not None
        return {p.user_id: p for p in await SandboxRepo(self.sandbox.chibo.db).people()}

    async def _user(self, raw: Any) -> int | None:
        try:
            user_id = int(raw)
        except (TypeError, ValueError):
            return None
        if user_id < SANDBOX_USER_BASE or user_id not in await self._people():
            return None
        return user_id

    # -- page -----------------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.Response:
        """The sandbox's single page."""
        html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    async def static(self, request: web.Request) -> web.Response:
        """One of the page's script and style files."""
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        body = (WEB_DIR / name).read_text(encoding="utf-8")
        return web.Response(text=body, content_type=STATIC[name], charset="utf-8")

    async def demo_bulletin(self, request: web.Request) -> web.StreamResponse:
        """The demo bulletin PDF, when there is one."""
        path = self.sandbox.bulletin_path
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": "application/pdf"})

    # -- API ------------------------------------------------------------------------------------

    async def state(self, request: web.Request) -> web.Response:
        """Sandbox time, the bot's name and which demo features are available, as JSON."""
        now = self.sandbox.clock.now()
        return web.json_response(
            {
                "ok": True,
                "now": now.isoformat(),
                "now_text": format_datetime_vi(now, self._tz()),
                "offset_seconds": self.sandbox.clock.offset.total_seconds(),
                "bot": self.fake.bot_user.get("username"),
                "meetings": self.sandbox.chibo is not None
                and _meeting_repo(self.sandbox.chibo.db) is not None,
                "demo_bulletin": self.sandbox.bulletin_path.is_file(),
            }
        )

    async def people(self, request: web.Request) -> web.Response:
        """The demo members grouped by cell, with their roles, as JSON."""
        assert self.sandbox.chibo is not None
        people = list((await self._people()).values())
        units = await SandboxRepo(self.sandbox.chibo.db).unit_order()
        groups: dict[str, dict[str, Any]] = {}
        order = {code: n for n, (_, code, _, _) in enumerate(units)}

        def entry(p: Person, group_code: str) -> dict[str, Any]:
            roles = sorted(p.roles, key=lambda r: ROLE_ORDER.get(r[0], 9))
            labels = [
                texts.ROLE_NAMES.get(role, role)
                if code == group_code
                else f"{texts.ROLE_NAMES.get(role, role)} · {name}"
                for role, code, name in roles
            ]
            # Leaders of this group first, then everyone else in Vietnamese alphabetical order.
            rank = min(
                (ROLE_ORDER.get(r, 9) for r, code, _ in p.roles if code == group_code), default=9
            )
            return {"user_id": p.user_id, "name": p.full_name, "roles": labels, "_rank": rank}

        names = {p.unit_code: p.unit_name for p in people}
        names.update({code: name for p in people for _, code, name in p.roles})
        for p in people:
            # Members appear in their cell, and also under each unit they hold a role on.
            for code in dict.fromkeys([p.unit_code, *(code for _, code, _ in p.roles)]):
                group = groups.setdefault(code, {"code": code, "name": names[code], "people": []})
                group["people"].append(entry(p, code))
        for group in groups.values():
            group["people"].sort(key=lambda e: (e["_rank"], vi_sort_key(e["name"])))
            for e in group["people"]:
                del e["_rank"]
        ordered = sorted(groups.values(), key=lambda g: order.get(g["code"], 10**9))
        return web.json_response({"ok": True, "groups": ordered})

    def _menu(self, user_id: int) -> list[dict[str, str]]:
        for scope in ({"type": "chat", "chat_id": user_id}, {"type": "all_private_chats"}, None):
            commands = self.fake.bot_commands(scope)
            if commands:
                return [
                    {"command": c["command"], "description": c["description"]}
                    for c in commands
                    if c["command"] not in MENU_HIDDEN
                ]
        return []

    def _render(self, msg: dict[str, Any]) -> dict[str, Any]:
        from datetime import UTC, datetime

        out: dict[str, Any] = {
            "id": msg["message_id"],
            "from": "bot" if msg["from"].get("is_bot") else "user",
            "time": format_datetime_vi(datetime.fromtimestamp(msg["date"], UTC), self._tz()),
            "edited": "edit_date" in msg,
            "text": msg.get("text") or msg.get("caption") or "",
            "entities": msg.get("entities") or msg.get("caption_entities") or [],
        }
        doc = msg.get("document")
        if doc:
            out["document"] = {
                "file_id": doc["file_id"],
                "name": doc.get("file_name") or "tep",
                "size": doc.get("file_size", 0),
            }
        photo = msg.get("photo")
        if photo:
            out["photo"] = {"file_id": photo[-1]["file_id"]}
        keyboard = msg.get("reply_markup", {}).get("inline_keyboard")
        if keyboard:
            out["buttons"] = [
                [
                    {"text": b["text"], "data": b.get("callback_data"), "url": b.get("url")}
                    for b in row
                ]
                for row in keyboard
            ]
        return out

    async def chat(self, request: web.Request) -> web.Response:
        """One person's chat with the bot and their command menu, as JSON."""
        user_id = await self._user(request.match_info["user_id"])
        if user_id is None:
            return _bad("unknown user", 404)
        messages = [self._render(m) for m in self.fake.chat_messages(user_id)]
        return web.json_response(
            {"ok": True, "messages": messages, "menu": self._menu(user_id)},
            dumps=lambda o: json.dumps(o, ensure_ascii=False),
        )

    async def _body(self, request: web.Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    async def send(self, request: web.Request) -> web.Response:
        """Send a text to the bot as the given person."""
        data = await self._body(request)
        user_id = await self._user(data.get("user_id"))
        text = nfc(str(data.get("text") or "")).strip()
        if user_id is None or not text:
            return _bad("user_id and text are required")
        update = self.fake.send_text(user_id, text)
        return web.json_response({"ok": True, "message_id": update["message"]["message_id"]})

    async def press(self, request: web.Request) -> web.Response:
        """Press a button of one of the bot's messages as the given person."""
        data = await self._body(request)
        user_id = await self._user(data.get("user_id"))
        message = self.fake.message(user_id, int(data.get("message_id") or 0)) if user_id else None
        if user_id is None or message is None or not isinstance(data.get("data"), str):
            return _bad("unknown message")
        try:
            self.fake.press(user_id, message, data["data"])
        except AssertionError:
            return _bad("no such button")
        return web.json_response({"ok": True})

    async def upload(self, request: web.Request) -> web.Response:
        """Send a file to the bot as the given person."""
        form = await request.post()
        user_id = await self._user(form.get("user_id"))
        file = form.get("file")
        if user_id is None or not isinstance(file, web.FileField):
            return _bad("user_id and file are required")
        content = file.file.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            return _bad("file too large", 413)
        caption = form.get("caption")
        self.fake.send_document(
            user_id,
            file_name=nfc(file.filename or "tep"),
            mime_type=file.content_type or "application/octet-stream",
            content=content,
            caption=nfc(caption).strip() or None if isinstance(caption, str) else None,
        )
        return web.json_response({"ok": True})

    async def file(self, request: web.Request) -> web.Response:
        """A file the bot sent, as a download."""
        stored = self.fake.stored_file(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        name = quote(stored.file_name)
        return web.Response(
            body=stored.content,
            content_type=stored.mime_type,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
        )

    async def reset(self, request: web.Request) -> web.Response:
        """«Làm lại từ đầu»: a fresh demo organisation, empty chats, the clock back to now."""
        await self.sandbox.reset()
        return await self.state(request)

    async def clock(self, request: web.Request) -> web.Response:
        """Move sandbox time forward a step, or to just before the next meeting."""
        data = await self._body(request)
        action = data.get("action")
        if action in STEPS:
            await self.sandbox.advance(STEPS[str(action)])
            return await self.state(request)
        if action == "meeting":
            chibo = self.sandbox.chibo
            repo = _meeting_repo(chibo.db) if chibo is not None else None
            if chibo is None or repo is None:
                return _bad("meetings are not available")
            # The planners create the coming meetings; make sure they ran at this time.
            await chibo.tick()
            now = self.sandbox.clock.now()
            coming = [
                m
                for m in await repo.starting_between(now, now + timedelta(days=400))
                if getattr(m, "status", "scheduled") == "scheduled"
            ]
            if not coming:
                return _bad("no meeting ahead", 409)
            start = min(m.starts_at for m in coming)
            target = start - BEFORE_MEETING if start - BEFORE_MEETING > now else start
            await self.sandbox.advance(max(target - now, timedelta(0)))
            return await self.state(request)
        return _bad("unknown action")
