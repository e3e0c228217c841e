"""Test and sandbox hooks of the fake Bot API: play users, inspect what the bot sent, wait
for calls, inject faults, and keep the chats across sandbox restarts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from bot.sandbox.telegram_api.common import (
    JSON,
    ApiCall,
    StoredFile,
    T,
    UploadedFile,
    _Fault,
)
from bot.sandbox.telegram_api.state import FakeState


class TestingHooks(FakeState):
    """What tests (and the sandbox) do to the fake besides speaking the Bot API."""

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

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot."""
        return list(self._updates)

    def sent_to(self, chat_id: int) -> list[JSON]:
        """Bot messages sent to a chat, oldest first (edits apply in place; deletions stay)."""
        return list(self._sent.get(chat_id, []))

    def last_message(self, chat_id: int) -> JSON:
        """The newest bot message in a chat."""
        sent = self._sent.get(chat_id)
        if not sent:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return sent[-1]

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
        self._updates.clear()
