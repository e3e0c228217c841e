"""The fake Bot API's HTTP layer: serving, decoding requests, schema checks, flood limits,
injected faults, dispatch to the method handlers, and the benchmark endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections import Counter, deque
from collections.abc import Callable
from typing import Any, Self

import aiohttp
from aiohttp import web

from bot.sandbox.telegram_api.common import (
    _STRING_LIKE,
    JSON,
    MAX_REQUEST_BYTES,
    ApiCall,
    ApiError,
    UploadedFile,
    _bad,
    _is_message_send,
    _targets_chat,
)
from bot.sandbox.telegram_api.state import FakeState

log = logging.getLogger(__name__)


class HttpRoutes(FakeState):
    """Serves the Bot API over HTTP and hands each valid request to its method handler."""

    async def start(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        extra_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        """Start serving on host:port (port 0 picks a free one); the sandbox adds its page."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_get("/__stats", self._handle_stats)
        app.router.add_post("/__reset", self._handle_reset)
        app.router.add_post("/__texts", self._handle_texts)
        app.router.add_post("/__presses", self._handle_presses)
        app.router.add_post("/__limits", self._handle_limits)
        if extra_routes is not None:
            extra_routes(app)
        # A short shutdown timeout: long polls are woken on stop, nothing else lingers.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.base_url = f"http://{host}:{self.port}/bot"
        self.base_file_url = f"http://{host}:{self.port}/file/bot"
        self._session = aiohttp.ClientSession()
        self._closing = False
        log.info("fake Telegram Bot API listening on %s:%s", host, self.port)

    async def stop(self) -> None:
        """Stop serving; pending long polls return empty."""
        self._closing = True
        self._wake_updates()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _decode(self, request: web.Request, method: str | None) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON body") from None
                if not isinstance(body, dict):
                    raise _bad("request body must be a JSON object")
                # JSON bodies are already typed: no further decoding.
                return {**{k: self._decode_value(method, k, v) for k, v in raw.items()}, **body}
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = UploadedFile(
                        filename=value.filename,
                        content_type=value.content_type,
                        content=value.file.read(),
                    )
                else:
                    raw[key] = value
        return {k: self._decode_value(method, k, v) for k, v in raw.items()}

    def _decode_value(self, method: str | None, name: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        types = self.schema.field_types(method, name) if method else None
        # String parameters stay as sent even if they look like JSON ("123", "true").
        if types is not None and set(types) <= _STRING_LIKE:
            return value
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return value if isinstance(decoded, str) else decoded

    async def _handle_api(self, request: web.Request) -> web.Response:
        at = self.clock.monotonic()
        raw_method = request.match_info["method"]
        method = self.schema.canonical(raw_method)
        params: dict[str, Any] = {}
        try:
            params = await self._decode(request, method)
            result = await self._process(request.match_info["token"], raw_method, method, params)
            body: JSON = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            body, status = exc.body(), exc.status
        except ConnectionResetError:
            # The client vanished mid-request (e.g. killed with -9): no one to answer, no bug.
            log.info("client went away during %s", raw_method)
            return web.Response(status=400)
        except Exception as exc:
            # A bug in the fake must fail the test loudly, not look like a Telegram answer.
            log.exception("fake Telegram failed on %s", raw_method)
            self.violations.append(f"{raw_method}: internal error in the fake: {exc!r}")
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            status = 500
        call = ApiCall(method or raw_method, params, at, status, body)
        self.calls.append(call)
        log.debug("%s -> %s", call.method, status)
        async with self._calls_changed:
            self._calls_changed.notify_all()
        return web.json_response(body, status=status)

    async def _process(
        self, token: str, raw_method: str, method: str | None, params: dict[str, Any]
    ) -> Any:
        if token != self.token:
            self.violations.append(f"{raw_method}: wrong bot token")
            raise ApiError(401, "Unauthorized")
        if method is None:
            self.violations.append(f"{raw_method}: method not in Bot API {self.schema.version}")
            raise ApiError(404, "Not Found: method not found")
        errors = self.schema.validate(method, params)
        if errors:
            self.violations.extend(f"{method}: {e}" for e in errors)
            raise _bad(errors[0])
        if method.startswith("send") and self.delay > 0:
            await asyncio.sleep(self.delay)  # A slow server, in real time on purpose.
        chat_id = self._optional_chat_id(params)
        self._inject_fault(method, chat_id)
        if _targets_chat(method) and chat_id is not None:
            if chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if self.known_chats_only and chat_id > 0 and chat_id not in self._known_chats:
                raise _bad("chat not found")
        if _is_message_send(method) and chat_id is not None:
            self._enforce_limits(chat_id)
        handler = self._handlers.get(method)
        if handler is None:
            # Methods the fake does not model are accepted and recorded; a caller expecting an
            # object back will fail to parse `true`, hence the warning.
            if method not in self._unmodelled_logged:
                self._unmodelled_logged.add(method)
                log.warning("fake Telegram does not model %s; answering true", method)
            return True
        return await handler(params)

    def _inject_fault(self, method: str, chat_id: int | None) -> None:
        for fault in self._faults:
            if fault.method != method or (fault.chat_id is not None and fault.chat_id != chat_id):
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            raise ApiError(fault.status, fault.description, fault.retry_after)

    def _enforce_limits(self, chat_id: int) -> None:
        now = self.clock.monotonic()
        waits: list[float] = []
        rate = self.overall_per_second
        if rate is not None:
            # A strict sliding window, as Telegram counts: at most `rate` accepted sends in any
            # one second; the next is refused until the oldest of them is a second old.
            sends = self._overall_sends
            while sends and sends[0] <= now - 1.0:
                sends.popleft()
            if len(sends) >= max(1, math.floor(rate)):
                waits.append(sends[0] + 1.0 - now)
        if self.private_chat_interval is not None and chat_id > 0:
            last = self._last_private.get(chat_id)
            if last is not None and now - last < self.private_chat_interval:
                waits.append(last + self.private_chat_interval - now)
        window: deque[float] | None = None
        if self.group_per_minute is not None and chat_id < 0:
            window = self._group_sends.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.group_per_minute:
                waits.append(window[0] + 60.0 - now)
        if waits:
            self.too_many_requests += 1
            retry_after = max(1, math.ceil(max(waits)))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        # Only an accepted send counts.
        if rate is not None:
            self._overall_sends.append(now)
        if chat_id > 0:
            self._last_private[chat_id] = now
        if window is not None:
            window.append(now)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._files_by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        self.downloads += 1
        return web.Response(body=stored.content, content_type=stored.mime_type)

    def stats(self) -> JSON:
        """Counters for benchmarks: calls by method, 429s, timing of accepted sends."""
        sends = [c.at for c in self.calls if c.ok and _is_message_send(c.method)]
        by_status: Counter[str] = Counter(f"{c.method} {c.status}" for c in self.calls)
        return {
            "calls": len(self.calls),
            "calls_by_method": dict(Counter(c.method for c in self.calls)),
            "calls_by_method_status": dict(by_status),
            "too_many_requests": self.too_many_requests,
            "uploads": self.uploads,
            "violations": len(self.violations),
            "violation_samples": self.violations[:20],
            "chats_sent_to": len(
                {c.chat_id for c in self.calls if c.ok and _is_message_send(c.method)}
            ),
            "pending_updates": len(self._updates),
            "sends": {
                "count": len(sends),
                "first": sends[0] if sends else None,
                "last": sends[-1] if sends else None,
            },
        }

    async def _handle_stats(self, request: web.Request) -> web.Response:
        stats = self.stats()
        if "window" in request.query:
            # Benchmarks: the busiest second (strict sliding window) over accepted sends.
            sends = [c.at for c in self.calls if c.ok and _is_message_send(c.method)]
            peak, first = 0, 0
            for last, at in enumerate(sends):
                while sends[first] <= at - 1.0:
                    first += 1
                peak = max(peak, last - first + 1)
            stats["peak_per_second"] = peak
        return web.json_response(stats)

    async def _handle_texts(self, request: web.Request) -> web.Response:
        """Benchmarks: users write, `[[user_id, text], ...]` (what `send_text` does in tests)."""
        for user_id, text in await request.json():
            self.send_text(int(user_id), str(text))
        return web.json_response({"ok": True})

    async def _handle_presses(self, request: web.Request) -> web.Response:
        """Benchmarks: users press the first button of the newest bot message in their chat
        that has one, `[user_id, ...]`; users with no such message are skipped."""
        pressed = 0
        for user_id in await request.json():
            for message in reversed(self._sent.get(int(user_id), [])):
                rows = message.get("reply_markup", {}).get("inline_keyboard", [])
                data = next(
                    (b["callback_data"] for row in rows for b in row if "callback_data" in b), None
                )
                if data is not None:
                    self.press(int(user_id), message, str(data))
                    pressed += 1
                    break
        return web.json_response({"ok": True, "pressed": pressed})

    async def _handle_limits(self, request: web.Request) -> web.Response:
        """Benchmarks: change the enforced limits (null lifts one) and forget the counters."""
        body = await request.json()
        self.overall_per_second = body.get("overall_per_second")
        self.private_chat_interval = body.get("private_chat_interval")
        self._overall_sends.clear()
        self._last_private.clear()
        return web.json_response({"ok": True})

    async def _handle_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})
