"""Run the fake Bot API standalone: ``python -m bot.sandbox.telegram_api --port N``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from bot.sandbox.telegram_api.fake import FakeTelegram

# ---------------------------------------------------------------------------------------------
# Standalone server.


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeTelegram(
        token=args.token,
        bot_username=args.bot_username,
        overall_per_second=args.overall_per_second,
        private_chat_interval=args.private_chat_interval,
        group_per_minute=args.group_per_minute,
    )
    fake.delay = args.delay
    await fake.start(args.host, args.port)
    print(f"fake Telegram Bot API on {fake.base_url}  (token {fake.token})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await fake.stop()
        print("fake Telegram Bot API stopped", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the fake Bot API server until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="chibo_test_bot")
    parser.add_argument("--overall-per-second", type=float, default=None)
    parser.add_argument("--private-chat-interval", type=float, default=None)
    parser.add_argument("--group-per-minute", type=int, default=None)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering send*")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
