"""Bot API methods on text messages: send, edit, answer a button, delete."""

from __future__ import annotations

from typing import Any

from bot.sandbox.telegram_api.common import (
    JSON,
    _bad,
)
from bot.sandbox.telegram_api.state import FakeState


class MessageMethods(FakeState):
    """sendMessage, editMessage*, answerCallbackQuery, deleteMessage(s)."""

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

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._pending_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = dict(params)
        return True

    def _delete_one(self, chat_id: int, message_id: int) -> bool:
        return self._messages.pop((chat_id, message_id), None) is not None

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        if not self._delete_one(self._chat_id(params), int(params["message_id"])):
            raise _bad("message to delete not found")
        return True

    async def _delete_messages(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        for message_id in params["message_ids"]:
            self._delete_one(chat_id, int(message_id))
        return True
