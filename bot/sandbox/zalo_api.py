"""A fake Zalo Bot API on 127.0.0.1 for tests: the documented request and event shapes, nothing else.

`POST /bot<TOKEN>/<method>` with a JSON body, answered `{"ok": true, "result": ...}` or
`{"ok": false, "error_code": ..., "description": ...}`. getUpdates returns ONE event object (no
list, no offset) or error 408 when nothing arrived in time, and refuses to work while a webhook is
set; a set webhook receives each event as a POST carrying `X-Bot-Api-Secret-Token`. Ids are hex
strings, texts 1-2,000 characters. Every refused request is kept in `violations`: a correct bot
never causes one, so tests assert the list is empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

logger = logging.getLogger(__name__)

JSON = dict[str, Any]
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"

# Parameters each method accepts: name -> (type, required).
METHODS: dict[str, dict[str, tuple[type, bool]]] = {
    "getMe": {},
    "getUpdates": {"timeout": (str, False)},
    "setWebhook": {"url": (str, True), "secret_token": (str, True)},
    "deleteWebhook": {},
    "getWebhookInfo": {},
    "sendMessage": {"chat_id": (str, True), "text": (str, True)},
    "sendPhoto": {"chat_id": (str, True), "photo": (str, True), "caption": (str, False)},
    "sendSticker": {"chat_id": (str, True), "sticker": (str, True)},
    "sendChatAction": {"chat_id": (str, True), "action": (str, True)},
}
_SENDS = ("sendMessage", "sendPhoto", "sendSticker")


class ZaloApiError(Exception):
    """An error answer of the Zalo Bot API: its code and description."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class ZaloCall:
    """One request the bot made, with what the fake answered."""

    method: str
    params: JSON
    ok: bool
    error_code: int | None = None


@dataclass
class _Fault:
    method: str
    code: int
    description: str
    chat_id: str | None
    remaining: int


def _is_hex(value: str) -> bool:
    return bool(value) and all(c in "0123456789abcdef" for c in value)


@dataclass
class FakeZalo:
    """The fake server. `start()`, then point the bot's `[zalo] base_url` at `base_url`."""

    token: str = "1234567890123456789:FakeZaloToken"
    host: str = "127.0.0.1"
    port: int = 0
    calls: list[ZaloCall] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    # chat id -> what the bot sent there: {"method", "text", "message_id", "photo", "caption"}
    sent: dict[str, list[JSON]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_answers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._events: deque[JSON] = deque()
        self._event_ready = asyncio.Event()
        self._changed = asyncio.Event()
        self._faults: list[_Fault] = []
        self._ids = itertools.count(0x5A10000000)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.users: dict[str, JSON] = {}
        self._closing = False

    # -- life cycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on the configured host and port (0 picks a free one)."""
        app = web.Application()
        app.router.add_post("/{bot}/{method}", self._handle)
        # A short shutdown timeout: long polls are woken on stop, nothing else lingers.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])
        self._closing = False
        self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        """Stop serving; pending long polls return and webhook delivery ends."""
        self._closing = True
        self._event_ready.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The URL the bot's Zalo client is pointed at."""
        return f"http://{self.host}:{self.port}"

    # -- the people on the other side -----------------------------------------------------------

    def new_id(self) -> str:
        """A fresh hex id, as Zalo's ids are."""
        return f"{next(self._ids):x}"

    def user(self, user_id: str, name: str = "Người dùng") -> JSON:
        """A Zalo user with their private chat (whose id differs from the user id)."""
        if user_id not in self.users:
            if not _is_hex(user_id):
                raise ValueError("Zalo ids are hex strings")
            self.users[user_id] = {
                "from": {"id": user_id, "display_name": name, "is_bot": False},
                # The private chat's id differs from the user's: a bot must answer `chat.id`.
                "chat": {"id": f"{int(user_id, 16) ^ 0xFFFF:x}", "chat_type": "PRIVATE"},
            }
        return self.users[user_id]

    def chat_of(self, user_id: str) -> str:
        """The id of the user's private chat with the bot."""
        return str(self.user(user_id)["chat"]["id"])

    def _event(self, user_id: str, event_name: str, **fields: Any) -> JSON:
        person = self.user(user_id)
        message: JSON = {
            "from": dict(person["from"]),
            "chat": dict(person["chat"]),
            "message_id": self.new_id(),
            "date": int(time.time() * 1000),
            **fields,
        }
        return {"event_name": event_name, "message": message}

    def send_text(self, user_id: str, text: str) -> JSON:
        """Queue a text message from the user."""
        return self.push(self._event(user_id, "message.text.received", text=text))

    def send_sticker(self, user_id: str) -> JSON:
        """Queue a sticker from the user."""
        return self.push(
            self._event(user_id, "message.sticker.received", sticker="bfe458bf64fa8da4d4eb")
        )

    def send_image(self, user_id: str) -> JSON:
        """Queue an image from the user."""
        return self.push(
            self._event(
                user_id,
                "message.image.received",
                photo_url="https://photo.zdn.vn/example.jpg",
                caption="",
            )
        )

    def push(self, event: JSON) -> JSON:
        """Queue any event (tests use it for malformed ones, e.g. without `from`)."""
        self._events.append(event)
        self._event_ready.set()
        self._poke()
        if self.webhook_url and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.create_task(self._deliver_webhook())
        return event

    def block(self, user_id: str) -> None:
        """The user blocked the bot: sends to their chat fail."""
        self.blocked.add(self.chat_of(user_id))

    def fail_next(
        self,
        method: str,
        code: int,
        description: str = "",
        *,
        user_id: str | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next `count` calls of `method` (to the user's chat, if given) with an error."""
        chat = self.chat_of(user_id) if user_id else None
        self._faults.append(_Fault(method, code, description or "injected", chat, count))

    # -- looking at what the bot did ------------------------------------------------------------

    def sent_to(self, user_id: str) -> list[JSON]:
        """What the bot sent to the user's chat, oldest first."""
        return list(self.sent.get(self.chat_of(user_id), []))

    def texts_to(self, user_id: str) -> list[str]:
        """The texts (or captions) the bot sent to the user, oldest first."""
        return [m.get("text") or m.get("caption") or "" for m in self.sent_to(user_id)]

    def _poke(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, check: Callable[[], Any], what: str, seconds: float = 10.0) -> Any:
        """The first truthy value of `check`, re-checked whenever something happens."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            value = check()
            if value:
                return value
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"fake Zalo: timed out waiting for {what}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    async def wait_sent(self, user_id: str, count: int, seconds: float = 10.0) -> list[JSON]:
        """The bot's messages to the user, once there are at least `count`."""

        def enough() -> list[JSON] | None:
            got = self.sent_to(user_id)
            return got if len(got) >= count else None

        result: list[JSON] = await self.wait_until(
            enough, f"{count} messages to {user_id}", seconds
        )
        return result

    async def wait_for(
        self, predicate: Callable[[ZaloCall], bool], seconds: float = 10.0
    ) -> ZaloCall:
        """The first recorded API call matching the predicate, waiting for it if needed."""
        found: ZaloCall = await self.wait_until(
            lambda: next((c for c in self.calls if predicate(c)), None), "a matching call", seconds
        )
        return found

    # -- the API ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["bot"] != f"bot{self.token}":
            return self._error(method, {}, ZaloApiError(401, "Unauthorized"), violation=True)
        try:
            params = await request.json()
        except ValueError:
            return self._error(method, {}, ZaloApiError(400, "Body must be JSON"), violation=True)
        if not isinstance(params, dict):
            return self._error(
                method, {}, ZaloApiError(400, "Body must be an object"), violation=True
            )
        try:
            self._validate(method, params)
        except ZaloApiError as exc:
            return self._error(method, params, exc, violation=True)
        try:
            self._inject_fault(method, params)
            result = await getattr(self, "_" + method)(params)
        except ZaloApiError as exc:
            return self._error(method, params, exc, violation=False)
        self.calls.append(ZaloCall(method, params, True))
        self._poke()
        return web.json_response({"ok": True, "result": result})

    def _error(
        self, method: str, params: JSON, exc: ZaloApiError, *, violation: bool
    ) -> web.Response:
        if violation:
            self.violations.append(f"{method}: {exc.description}")
        self.calls.append(ZaloCall(method, params, False, exc.code))
        self._poke()
        status = exc.code if exc.code in (400, 401, 403, 404, 429) else 200
        return web.json_response(
            {"ok": False, "error_code": exc.code, "description": exc.description}, status=status
        )

    def _validate(self, method: str, params: JSON) -> None:
        spec = METHODS.get(method)
        if spec is None:
            raise ZaloApiError(404, f"Method {method} not found")
        for name, value in params.items():
            if name not in spec:
                raise ZaloApiError(400, f"Unknown parameter {name}")
            if not isinstance(value, spec[name][0]):
                raise ZaloApiError(400, f"Parameter {name} must be {spec[name][0].__name__}")
        for name, (_type, required) in spec.items():
            if required and not params.get(name):
                raise ZaloApiError(400, f"Missing parameter {name}")
        if "chat_id" in params and params["chat_id"] not in {
            str(u["chat"]["id"]) for u in self.users.values()
        }:
            raise ZaloApiError(400, "Invalid chat_id")
        if method == "sendMessage" and not 1 <= len(params["text"]) <= MAX_TEXT:
            raise ZaloApiError(400, f"Text must be 1 to {MAX_TEXT} characters")
        if "caption" in params and len(params["caption"]) > MAX_TEXT:
            raise ZaloApiError(400, "Caption too long")
        if method == "setWebhook" and not 8 <= len(params["secret_token"]) <= 256:
            raise ZaloApiError(400, "secret_token must be 8 to 256 characters")
        if method == "getUpdates" and "timeout" in params and not params["timeout"].isdigit():
            raise ZaloApiError(400, "timeout must be a number of seconds")

    def _inject_fault(self, method: str, params: JSON) -> None:
        chat = params.get("chat_id")
        for fault in self._faults:
            if fault.method == method and fault.remaining > 0 and fault.chat_id in (None, chat):
                fault.remaining -= 1
                raise ZaloApiError(fault.code, fault.description)
        if method in _SENDS and chat in self.blocked:
            raise ZaloApiError(403, "User has blocked the OA or is not reachable")

    async def _getMe(self, params: JSON) -> JSON:
        return {"id": "a1b2c3d4e5f60718", "account_name": "chibo_bot", "account_type": "BASIC"}

    async def _getUpdates(self, params: JSON) -> JSON:
        if self.webhook_url:
            raise ZaloApiError(400, "getUpdates is not available while a webhook is set")
        wait = int(params.get("timeout") or 30)
        if not self._events:
            self._event_ready.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event_ready.wait(), wait)
        if not self._events or self.webhook_url or self._closing:
            raise ZaloApiError(408, "Request timeout")
        return self._events.popleft()

    async def _setWebhook(self, params: JSON) -> JSON:
        self.webhook_url = params["url"]
        self.webhook_secret = params["secret_token"]
        self._event_ready.set()
        if self._events:
            self._webhook_task = asyncio.create_task(self._deliver_webhook())
        return {"url": self.webhook_url, "updated_at": int(time.time() * 1000)}

    async def _deleteWebhook(self, params: JSON) -> JSON:
        self.webhook_url = ""
        self.webhook_secret = ""
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _getWebhookInfo(self, params: JSON) -> JSON:
        return {"url": self.webhook_url, "updated_at": 0}

    def _record(self, params: JSON, method: str, **fields: Any) -> JSON:
        message_id = self.new_id()
        self.sent.setdefault(params["chat_id"], []).append(
            {"method": method, "message_id": message_id, **fields}
        )
        return {"message_id": message_id, "date": int(time.time() * 1000)}

    async def _sendMessage(self, params: JSON) -> JSON:
        return self._record(params, "sendMessage", text=params["text"])

    async def _sendPhoto(self, params: JSON) -> JSON:
        return self._record(
            params, "sendPhoto", photo=params["photo"], caption=params.get("caption", "")
        )

    async def _sendSticker(self, params: JSON) -> JSON:
        return self._record(params, "sendSticker", sticker=params["sticker"])

    async def _sendChatAction(self, params: JSON) -> bool:
        return True

    async def _deliver_webhook(self) -> None:
        """POST queued events to the webhook one at a time, as Zalo does."""
        assert self._session is not None
        while self._events and self.webhook_url:
            event = self._events.popleft()
            try:
                async with self._session.post(
                    self.webhook_url,
                    json={"ok": True, "result": event},
                    headers={SECRET_HEADER: self.webhook_secret},
                ) as response:
                    self.webhook_answers.append(response.status)
            except aiohttp.ClientError as exc:
                logger.warning("fake Zalo: webhook delivery failed: %s", exc)
                self.webhook_answers.append(0)
            self._poke()
