"""The fake Bot API server: its state, the HTTP layer and the method handlers, and the hooks
tests use to play users, inspect what the bot sent and inject faults."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.core.clock import Clock, SystemClock
from bot.sandbox.telegram_api.common import (
    _STRING_LIKE,
    JSON,
    MAX_DOWNLOAD_BYTES,
    MAX_REQUEST_BYTES,
    ApiCall,
    ApiError,
    StoredFile,
    T,
    UploadedFile,
    _bad,
    _Fault,
    _is_message_send,
    _targets_chat,
    _utf16_len,
)
from bot.sandbox.telegram_api.entities import render_text
from bot.sandbox.telegram_api.schema import Schema, _image_size

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# The server.

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class FakeTelegram:
    """An in-process fake of api.telegram.org for one bot."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "chibo_test_bot",
        clock: Clock | None = None,
        overall_per_second: float | None = None,
        private_chat_interval: float | None = None,
        group_per_minute: int | None = None,
        known_chats_only: bool = False,
        schema: Schema | None = None,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.clock: Clock = clock or SystemClock()
        self.overall_per_second = overall_per_second
        self.private_chat_interval = private_chat_interval
        self.group_per_minute = group_per_minute
        self.known_chats_only = known_chats_only
        self.schema = schema or Schema.load()
        self.delay: float = 0.0
        bot_id = token.split(":", 1)[0]
        self.bot_user: JSON = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": "Chibo Test",
            "username": bot_username,
        }
        self.base_url = ""
        self.base_file_url = ""
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._calls_changed = asyncio.Condition()
        self._updates_event = asyncio.Event()
        self._closing = False
        # Not part of the resettable state: a reset must not end a long poll in flight with 409.
        self._poll_generation = 0
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
            "sendChatAction": self._send_chat_action,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
        }
        self._reset_state()

    def _reset_state(self) -> None:
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.too_many_requests = 0
        self.uploads = 0
        self.downloads = 0
        self.deleted: set[tuple[int, int]] = set()
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status or 0)
        self._webhook_info: JSON = {}
        self._updates: list[JSON] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, JSON] = {}
        self._known_chats: set[int] = set()
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._sent: dict[int, list[JSON]] = {}
        self._pending_callbacks: set[str] = set()
        self._next_callback = 1
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._next_file = 1
        self._faults: list[_Fault] = []
        self._blocked: set[int] = set()
        self._unmodelled_logged: set[str] = set()
        self._overall_sends: deque[float] = deque()
        self._last_private: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

    def reset(self) -> None:
        """Forget calls, messages, updates, files and limiter state; keep the configuration."""
        self._reset_state()
        self._wake_updates()

    # -- lifecycle ------------------------------------------------------------------------------

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
        app.router.add_post("/__send_texts", self._handle_send_texts)
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

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- users and updates ----------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Test", username: str | None = None) -> JSON:
        """Define (or redefine) a Telegram user and return its User dict."""
        user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "vi",
        }
        if username:
            user["username"] = username
        self._users[user_id] = user
        chat = self._chats.get(user_id)
        if chat is not None and chat["type"] == "private":
            chat.update(self._private_chat(user))
        return user

    def _user(self, user_id: int) -> JSON:
        return self._users.get(user_id) or self.user(user_id, first_name=f"User{user_id}")

    @staticmethod
    def _private_chat(user: JSON) -> JSON:
        chat: JSON = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def _chat_for(self, user_id: int, chat_id: int | None, chat_type: str) -> JSON:
        if chat_id is None or chat_id == user_id:
            chat = self._private_chat(self._user(user_id))
        else:
            chat = self._chats.get(chat_id) or {
                "id": chat_id,
                "type": chat_type,
                "title": f"Test {chat_type} {chat_id}",
            }
        self._chats[chat["id"]] = chat
        self._known_chats.add(chat["id"])
        return chat

    def _chat(self, chat_id: int) -> JSON:
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                chat = self._private_chat(self._user(chat_id))
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                chat = {"id": chat_id, "type": kind, "title": f"Test {kind} {chat_id}"}
            self._chats[chat_id] = chat
        return chat

    def _message_id(self, chat_id: int) -> int:
        # User and bot messages share one counter per chat, as in a private chat on Telegram.
        mid = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = mid
        return mid

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def _user_message(self, user_id: int, chat_id: int | None, chat_type: str) -> JSON:
        chat = self._chat_for(user_id, chat_id, chat_type)
        msg: JSON = {
            "message_id": self._message_id(chat["id"]),
            "from": self._user(user_id),
            "chat": chat,
            "date": self._now(),
        }
        self._messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, chat_type: str = "private"
    ) -> JSON:
        """Queue a text Message update from a user; a leading /command gets its entity."""
        msg = self._user_message(user_id, chat_id, "private" if chat_id is None else chat_type)
        msg["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        return self._queue({"message": msg})

    def send_document(
        self,
        user_id: int,
        *,
        file_name: str,
        mime_type: str,
        content: bytes,
        caption: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> JSON:
        """Queue a Message update carrying a document; the file can then be fetched by getFile."""
        stored = self._store_file("document", content, file_name, mime_type)
        msg = self._user_message(user_id, chat_id, "private" if chat_id is None else chat_type)
        msg["document"] = stored.document()
        if caption is not None:
            msg["caption"] = caption
        return self._queue({"message": msg})

    def press(self, user_id: int, message: JSON, data: str, *, check: bool = True) -> JSON:
        """Queue a callback_query update: the user pressed a button of a bot message."""
        chat_id = int(message["chat"]["id"])
        current = self._messages.get((chat_id, int(message["message_id"])))
        if current is None:
            raise AssertionError(f"message {message['message_id']} in chat {chat_id} is unknown")
        if check:
            buttons = [
                button.get("callback_data")
                for row in current.get("reply_markup", {}).get("inline_keyboard", [])
                for button in row
            ]
            if data not in buttons:
                raise AssertionError(f"no button with callback_data {data!r}; buttons: {buttons}")
        query_id = f"{self._next_callback}{user_id}"
        self._next_callback += 1
        self._pending_callbacks.add(query_id)
        self._known_chats.add(user_id)
        return self._queue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id),
                    "message": json.loads(json.dumps(current)),
                    "chat_instance": str(abs(chat_id) * 7919),
                    "data": data,
                }
            }
        )

    def push_update(self, update: JSON) -> None:
        """Queue a raw update (an update_id is assigned when missing)."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        self._updates.append(update)
        self._wake_updates()

    def _queue(self, body: JSON) -> JSON:
        update = {"update_id": self._next_update_id, **body}
        self.push_update(update)
        return update

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot."""
        return list(self._updates)

    def _wake_updates(self) -> None:
        # Swap in a fresh event: every waiter holding the old one wakes exactly once.
        self._updates_event.set()
        self._updates_event = asyncio.Event()

    # -- what the bot sent ------------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[JSON]:
        """Bot messages sent to a chat, oldest first (edits apply in place; deletions stay)."""
        return list(self._sent.get(chat_id, []))

    def last_message(self, chat_id: int) -> JSON:
        """The newest bot message in a chat."""
        sent = self._sent.get(chat_id)
        if not sent:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return sent[-1]

    def export_chats(self) -> JSON:
        """Users, chats, messages and files as JSON, for the sandbox to keep across restarts."""
        return {
            "users": list(self._users.values()),
            "messages": list(self._messages.values()),
            "sent": {
                str(chat): [m["message_id"] for m in msgs] for chat, msgs in self._sent.items()
            },
            "next_message_id": {str(chat): n for chat, n in self._next_message_id.items()},
            "next_file": self._next_file,
            # Telegram's update ids go on across the bot's restarts (the bot's inbox relies on it).
            "next_update_id": self._next_update_id,
            "files": [
                {**{k: v for k, v in vars(f).items() if k != "content"}, "content": f.content.hex()}
                for f in self._files.values()
            ],
        }

    def import_chats(self, data: JSON) -> None:
        """Restore what `export_chats` returned (before any update is queued)."""
        for user in data.get("users", []):
            self._users[int(user["id"])] = user
        for msg in data.get("messages", []):
            chat_id = int(msg["chat"]["id"])
            self._messages[(chat_id, int(msg["message_id"]))] = msg
            self._chats.setdefault(chat_id, msg["chat"])
            self._known_chats.add(chat_id)
        for chat, ids in data.get("sent", {}).items():
            found = [self._messages.get((int(chat), i)) for i in ids]
            self._sent[int(chat)] = [m for m in found if m is not None]
        for chat, n in data.get("next_message_id", {}).items():
            self._next_message_id[int(chat)] = int(n)
        for raw in data.get("files", []):
            stored = StoredFile(**{**raw, "content": bytes.fromhex(raw["content"])})
            self._files[stored.file_id] = stored
            self._files_by_path[stored.file_path] = stored
        self._next_file = max(self._next_file, int(data.get("next_file", 1)))
        self._next_update_id = max(self._next_update_id, int(data.get("next_update_id", 1)))

    def forget_chats(self) -> None:
        """Forget every user, chat, message, file and queued update (the sandbox's «Làm lại từ
        đầu»); the server, the token and the pacing stay."""
        for store in (
            self._users,
            self._chats,
            self._next_message_id,
            self._messages,
            self._sent,
            self._files,
            self._files_by_path,
            self.callback_answers,
            self.commands,
        ):
            store.clear()
        self._known_chats.clear()
        self._pending_callbacks.clear()
        self.deleted.clear()
        self._updates.clear()

    def chat_messages(self, chat_id: int) -> list[JSON]:
        """Every message still in a chat (the user's and the bot's), oldest first."""
        return [m for (c, _), m in sorted(self._messages.items()) if c == chat_id]

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """One message of a chat, as it is now (edits applied), or None."""
        return self._messages.get((chat_id, message_id))

    def stored_file(self, file_id: str) -> StoredFile | None:
        """A file the fake holds, by file_id."""
        return self._files.get(file_id)

    def bot_commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands stored by setMyCommands for a scope (default scope when None)."""
        return list(self.commands.get(self._scope_key(scope, language_code), []))

    def file_content(self, file_id: str) -> bytes:
        """Content of a stored file."""
        return self._files[file_id].content

    def summary(self, last: int = 15) -> str:
        """Recent calls, one per line, for failure messages."""
        lines = []
        for call in self.calls[-last:]:
            shown = {
                k: (f"<file {v.filename} {v.size}B>" if isinstance(v, UploadedFile) else v)
                for k, v in call.params.items()
            }
            text = json.dumps(shown, ensure_ascii=False, default=str)
            if len(text) > 200:
                text = text[:200] + "…"
            lines.append(f"  {call.at:.3f} {call.method} -> {call.status} {text}")
        return "\n".join(lines) or "  (no calls)"

    async def _wait_until(self, check: Callable[[], T | None], seconds: float, what: str) -> T:
        async with self._calls_changed:
            try:
                async with asyncio.timeout(seconds):
                    while (result := check()) is None:
                        await self._calls_changed.wait()
            except TimeoutError:
                raise AssertionError(
                    f"timed out after {seconds}s waiting for {what}; recent calls:\n"
                    f"{self.summary()}"
                ) from None
        return result

    # `timeout` is part of the helper API tests use; asyncio.timeout does the work inside.
    async def wait_for(
        self,
        predicate: Callable[[ApiCall], bool],
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> ApiCall:
        """The first recorded call matching the predicate, waiting for it if needed."""
        seen = 0

        def check() -> ApiCall | None:
            nonlocal seen
            while seen < len(self.calls):
                call = self.calls[seen]
                seen += 1
                if predicate(call):
                    return call
            return None

        return await self._wait_until(check, timeout, "a matching call")

    async def wait_sent(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        """The bot messages of a chat, once there are at least `count` of them."""

        def check() -> list[JSON] | None:
            sent = self._sent.get(chat_id, [])
            return list(sent) if len(sent) >= count else None

        return await self._wait_until(check, timeout, f"{count} message(s) to chat {chat_id}")

    # -- fault injection --------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` matching calls with an error (after schema validation)."""
        if description is None:
            description = {
                400: "Bad Request: injected failure",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: injected failure",
                429: f"Too Many Requests: retry after {retry_after or 1}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, f"Error {status}: injected failure")
        canonical = self.schema.canonical(method) or method
        self._faults.append(_Fault(canonical, status, description, retry_after, times, chat_id))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: message sends to that chat answer 403."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocked the bot."""
        self._blocked.discard(chat_id)

    # -- HTTP layer -------------------------------------------------------------------------------

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
                    (b["callback_data"] for r in rows for b in r if "callback_data" in b), None
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

    async def _handle_send_texts(self, request: web.Request) -> web.Response:
        """Benchmarks: queue text messages [{"user_id": 1, "text": "/lichhop"}, ...] at once."""
        items = await request.json()
        for item in items:
            self.send_text(int(item["user_id"]), str(item["text"]))
        return web.json_response({"ok": True, "queued": len(items)})

    # -- helpers for handlers ---------------------------------------------------------------------

    @staticmethod
    def _optional_chat_id(params: dict[str, Any]) -> int | None:
        value = params.get("chat_id")
        if value is None:
            return None
        if isinstance(value, int):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise _bad("chat not found") from None  # @username chats are not modelled.

    def _chat_id(self, params: dict[str, Any]) -> int:
        chat_id = self._optional_chat_id(params)
        if chat_id is None:
            raise _bad("chat_id is empty")
        return chat_id

    def _new_bot_message(self, chat_id: int, params: dict[str, Any], body: JSON) -> JSON:
        msg: JSON = {
            "message_id": self._message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": self._now(),
        }
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            target = self._messages.get((chat_id, int(reply["message_id"])))
            if target is not None:
                msg["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
            elif not reply.get("allow_sending_without_reply"):
                raise _bad("message to be replied not found")
        msg.update(body)
        markup = params.get("reply_markup")
        # Only inline keyboards belong to the message; reply keyboards live in the client.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        self._messages[(chat_id, msg["message_id"])] = msg
        self._sent.setdefault(chat_id, []).append(msg)
        return msg

    def _text_body(self, params: dict[str, Any], key: str) -> JSON:
        text, entities = render_text(
            params[key],
            params.get("parse_mode"),
            params.get("entities" if key == "text" else "caption_entities"),
        )
        body: JSON = {key: text}
        if entities:
            body["entities" if key == "text" else "caption_entities"] = entities
        return body

    def _bot_message(self, params: dict[str, Any], *, action: str = "edit") -> JSON:
        if "inline_message_id" in params:
            raise _bad("inline messages are not modelled by the fake")
        chat_id = self._chat_id(params)
        msg = self._messages.get((chat_id, int(params.get("message_id", 0))))
        if msg is None:
            raise _bad(f"message to {action} not found")
        if msg["from"].get("id") != self.bot_user["id"]:
            raise _bad(f"message can't be {action}ed")
        return msg

    def _store_file(self, kind: str, content: bytes, file_name: str, mime_type: str) -> StoredFile:
        n = self._next_file
        self._next_file += 1
        suffix = Path(file_name).suffix or (".jpg" if kind == "photo" else "")
        width, height = _image_size(content) if kind == "photo" else (0, 0)
        stored = StoredFile(
            file_id=f"FAKE{kind[:3].upper()}{n:06d}-{self.bot_user['id']}",
            file_unique_id=f"U{n:06d}",
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            content=content,
            file_path=f"{kind}s/file_{n}{suffix}",
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _input_file(self, params: dict[str, Any], key: str, kind: str) -> StoredFile:
        value = params[key]
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
        if isinstance(value, UploadedFile):
            self.uploads += 1
            name = value.filename or ("photo.jpg" if kind == "photo" else "file")
            mime = value.content_type or "application/octet-stream"
            return self._store_file(kind, value.content, name, mime)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            # Telegram would fetch the URL; the fake has no network, so the file is empty.
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self._store_file(kind, b"", name, "application/octet-stream")
        raise _bad("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    # -- method handlers --------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        if isinstance(params.get("allowed_updates"), list):
            # Telegram remembers allowed_updates until the next call that sets it.
            self._allowed_updates = list(params["allowed_updates"]) or None
        if isinstance(offset, int):
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # A newer getUpdates ends the one still waiting, with 409 as on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_updates()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._updates_event
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request;"
                    " make sure that only one bot instance is running",
                )
            if self._allowed_updates is not None:
                allowed = set(self._allowed_updates)
                self._updates = [u for u in self._updates if allowed & u.keys()]
            if self._updates or self._closing or self.webhook_url:
                return self._updates[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params["url"])
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if not url:
            return await self._delete_webhook({})
        self.webhook_url = url
        self.webhook_secret = params.get("secret_token")
        self._webhook_info = {
            "max_connections": int(params.get("max_connections") or 40),
        }
        if isinstance(params.get("allowed_updates"), list):
            self._webhook_info["allowed_updates"] = params["allowed_updates"]
        self._wake_updates()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhook())
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook_url = ""
        self.webhook_secret = None
        self._webhook_info = {}
        self._wake_updates()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook_url:
            info.update(self._webhook_info)
        return info

    async def _deliver_webhook(self) -> None:
        backoff = 0.1
        while self.webhook_url and not self._closing:
            event = self._updates_event
            if not self._updates:
                await event.wait()
                continue
            update = self._updates[0]
            headers: dict[str, str] = {}
            if self.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
            status = 0
            error = ""
            try:
                assert self._session is not None
                async with self._session.post(
                    self.webhook_url,
                    json=update,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=30),
                ) as resp:
                    status = resp.status
                    await resp.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {exc}"
            self.webhook_deliveries.append((int(update["update_id"]), status))
            if 200 <= status < 300:
                if self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                backoff = 0.1
                continue
            self._webhook_info["last_error_date"] = self._now()
            self._webhook_info["last_error_message"] = (
                error or f"Wrong response from the webhook: {status}"
            )
            log.warning(
                "webhook delivery of update %s failed: %s", update["update_id"], status or error
            )
            # Telegram retries with growing pauses; so does the fake, at test-friendly scale.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), backoff)
            backoff = min(2.0, backoff * 2)

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        key = self._scope_key(params.get("scope"), params.get("language_code"))
        self.commands[key] = list(params["commands"])
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[JSON]:
        return self.commands.get(
            self._scope_key(params.get("scope"), params.get("language_code")), []
        )

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(params.get("scope"), params.get("language_code")), None)
        return True

    async def _send_message(self, params: dict[str, Any]) -> JSON:
        return self._new_bot_message(self._chat_id(params), params, self._text_body(params, "text"))

    async def _edit_message_text(self, params: dict[str, Any]) -> JSON:
        msg = self._bot_message(params)
        if "text" not in msg:
            raise _bad("there is no text in the message to edit")
        self._apply_edit(msg, self._text_body(params, "text"), params, ("text", "entities"))
        return msg

    async def _edit_message_caption(self, params: dict[str, Any]) -> JSON:
        msg = self._bot_message(params)
        if "text" in msg:
            raise _bad("there is no caption in the message to edit")
        body = self._text_body(params, "caption") if "caption" in params else {}
        self._apply_edit(msg, body, params, ("caption", "caption_entities"))
        return msg

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> JSON:
        msg = self._bot_message(params)
        self._apply_edit(msg, {}, params, ())
        return msg

    def _apply_edit(
        self, msg: JSON, body: JSON, params: dict[str, Any], content_keys: tuple[str, ...]
    ) -> None:
        markup = params.get("reply_markup")
        new_markup = markup if isinstance(markup, dict) and "inline_keyboard" in markup else None
        unchanged = (
            all(msg.get(k) == body.get(k) for k in content_keys)
            and msg.get("reply_markup") == new_markup
        )
        if unchanged:
            raise _bad(
                "message is not modified: specified new message content and reply markup are"
                " exactly the same as a current content and reply markup of the message"
            )
        for key in content_keys:
            if key in body:
                msg[key] = body[key]
            else:
                msg.pop(key, None)
        # An edit without reply_markup removes the inline keyboard, as on Telegram.
        if new_markup is None:
            msg.pop("reply_markup", None)
        else:
            msg["reply_markup"] = new_markup
        msg["edit_date"] = self._now()

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._pending_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = dict(params)
        return True

    async def _send_document(self, params: dict[str, Any]) -> JSON:
        chat_id = self._chat_id(params)
        stored = self._input_file(params, "document", "document")
        body: JSON = {"document": stored.document()}
        if "caption" in params:
            body.update(self._text_body(params, "caption"))
        return self._new_bot_message(chat_id, params, body)

    async def _send_photo(self, params: dict[str, Any]) -> JSON:
        chat_id = self._chat_id(params)
        stored = self._input_file(params, "photo", "photo")
        body: JSON = {"photo": stored.photo()}
        if "caption" in params:
            body.update(self._text_body(params, "caption"))
        return self._new_bot_message(chat_id, params, body)

    async def _get_file(self, params: dict[str, Any]) -> JSON:
        stored = self._files.get(str(params["file_id"]))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _get_chat(self, params: dict[str, Any]) -> JSON:
        return {
            **self._chat(self._chat_id(params)),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: dict[str, Any]) -> JSON:
        self._chat_id(params)  # refuses an unknown chat
        user_id = int(params["user_id"])
        user = self.bot_user if user_id == self.bot_user["id"] else self._user(user_id)
        # Every user is a plain member: the bot never needs another status.
        return {"status": "member", "user": user}

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        return True

    def _delete_one(self, chat_id: int, message_id: int) -> bool:
        if self._messages.pop((chat_id, message_id), None) is None:
            return False
        self.deleted.add((chat_id, message_id))
        return True

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        if not self._delete_one(self._chat_id(params), int(params["message_id"])):
            raise _bad("message to delete not found")
        return True

    async def _delete_messages(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        for message_id in params["message_ids"]:
            self._delete_one(chat_id, int(message_id))
        return True
