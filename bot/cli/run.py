"""`chibo run` and `chibo sandbox`: the bot itself, or the local sandbox when there is no token."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.cli.common import config_path, load, load_or_default
from bot.core import texts


async def run(args: argparse.Namespace) -> int:
    """Run the bot on Telegram and/or Zalo until a signal; the sandbox when no token is set."""
    from bot.app import Chibo

    # No config file and no token in the environment: a fresh machine, so the sandbox opens.
    fresh = not config_path(args).exists() and not (
        os.environ.get("CHIBO_TELEGRAM_TOKEN") or os.environ.get("CHIBO_ZALO_TOKEN")
    )
    config = None if fresh else load(args)
    # Telegram and Zalo together, or either alone.
    if config is None or not (config.telegram.token or config.zalo.token):
        # A fresh machine has no bot token yet: open the local sandbox instead of exiting.
        print(texts.SANDBOX_NO_TOKEN.format(path=config_path(args)), file=sys.stderr, flush=True)
        return await sandbox(args)
    chibo = await Chibo.build(config, clock=args.clock)
    await chibo.run_until_signal()
    return 0


async def sandbox(args: argparse.Namespace) -> int:
    """Serve the sandbox page with its built-in fake platforms (also `run`'s fallback)."""
    from bot.sandbox.server import run_sandbox

    config = load_or_default(args)
    data = getattr(args, "data", None)
    roster = getattr(args, "roster", None)
    return await run_sandbox(
        config,
        data=Path(data) if data else None,
        host=getattr(args, "host", None) or "127.0.0.1",
        port=getattr(args, "port", None),
        roster=[Path(p) for p in roster] if roster else None,
        reset=bool(getattr(args, "reset", False)),
    )
