"""Bot API methods about the bot and its chats: getMe, getChat, getChatMember,
sendChatAction and the command menu (set/get/deleteMyCommands)."""

from __future__ import annotations

from typing import Any

from bot.sandbox.telegram_api.common import (
    JSON,
)
from bot.sandbox.telegram_api.state import FakeState


class ChatMethods(FakeState):
    """getMe, getChat, getChatMember, sendChatAction and the bot's command menu."""

    async def _get_me(self, params: dict[str, Any]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
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
