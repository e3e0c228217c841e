"""A fake Telegram Bot API server for end-to-end tests and the local sandbox.

It speaks HTTP like api.telegram.org (so python-telegram-bot talks to it unchanged through
``base_url``), validates every request against the official Bot API schema, enforces the flood
limits the design relies on, and lets tests play users, inspect what the bot sent and inject
faults. Run standalone with ``python -m bot.sandbox.telegram_api --port N``.
"""

from bot.sandbox.telegram_api.common import ApiCall, ApiError, StoredFile, UploadedFile
from bot.sandbox.telegram_api.entities import parse_html, render_text
from bot.sandbox.telegram_api.fake import FakeTelegram
from bot.sandbox.telegram_api.schema import Schema

__all__ = [
    "ApiCall",
    "ApiError",
    "FakeTelegram",
    "Schema",
    "StoredFile",
    "UploadedFile",
    "parse_html",
    "render_text",
]
