"""The fake Bot API server, composed: its state and HTTP layer, the method handlers grouped by
what they act on, and the hooks tests use. The method table below lists every Bot API method the
fake models, one hop from its handler."""

from __future__ import annotations

from bot.sandbox.telegram_api.methods.chats import ChatMethods
from bot.sandbox.telegram_api.methods.files import FileMethods
from bot.sandbox.telegram_api.methods.messages import MessageMethods
from bot.sandbox.telegram_api.methods.updates import UpdateMethods
from bot.sandbox.telegram_api.routes import HttpRoutes
from bot.sandbox.telegram_api.state import Handler
from bot.sandbox.telegram_api.testing import TestingHooks


class FakeTelegram(
    TestingHooks, UpdateMethods, MessageMethods, FileMethods, ChatMethods, HttpRoutes
):
    """An in-process fake of api.telegram.org for one bot."""

    def _method_table(self) -> dict[str, Handler]:
        """Bot API method name -> handler. A method not listed is accepted and answered true."""
        return {
            # updates.py
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            # messages.py
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            # files.py
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
            # chats.py
            "getMe": self._get_me,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
        }
