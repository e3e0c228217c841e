"""A bare PTB echo bot (the framework's own pace), for bench/inbound.py.

Run:  python -m bench.echo_bot BASE_URL TOKEN
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def main() -> None:
    base_url, token = sys.argv[1], sys.argv[2]
    app = ApplicationBuilder().token(token).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    # SIGTERM stops it cleanly (run_polling's default stop signals).
    app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
