"""The fake Bot API's state: configuration, users, chats, messages, files and queued
updates, and the small model helpers every method handler shares."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.core.clock import Clock, SystemClock
from bot.sandbox.telegram_api.common import (
    JSON,
    ApiCall,
    StoredFile,
    _bad,
    _Fault,
    _utf16_len,
)
from bot.sandbox.telegram_api.entities import render_text
from bot.sandbox.telegram_api.schema import Schema, _image_size

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class FakeState:
    """The state of one fake bot: what Telegram would know about its users, chats and files."""

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
        # The method table: FakeTelegram fills it from the method mixins.
        self._handlers: dict[str, Handler] = self._method_table()
        self._reset_state()

    def _method_table(self) -> dict[str, Handler]:
        """Bot API method name -> handler; the composed FakeTelegram lists them all."""
        return {}

    def _reset_state(self) -> None:
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.too_many_requests = 0
        self.uploads = 0
        self.downloads = 0
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook_url = ""
        self.webhook_secret: str | None = None
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

    # A user writing is part of the model: tests call it, and so does the benchmarks' /__texts.
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

    # So is pressing a button: tests call it, and so does the benchmarks' /__presses.
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

    def _queue(self, body: JSON) -> JSON:
        update = {"update_id": self._next_update_id, **body}
        self._next_update_id += 1
        self._updates.append(update)
        self._wake_updates()
        return update

    def _wake_updates(self) -> None:
        # Swap in a fresh event: every waiter holding the old one wakes exactly once.
        self._updates_event.set()
        self._updates_event = asyncio.Event()

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

    @staticmethod
    def _scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

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
