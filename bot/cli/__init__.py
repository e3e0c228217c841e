"""The `chibo` command: `main` parses the command line (`bot.cli.parser`), reads the wall clock
once and runs the command's module (`bot.cli.<group>`), turning the errors every command may meet
into a Vietnamese line and an exit status."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from bot.cli.parser import build_parser
from bot.core import texts
from bot.core.clock import Clock, SystemClock
from bot.core.config import ConfigError
from bot.datalock import AlreadyRunning
from storage.db import SchemaTooNew

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `chibo` console script."""
    args = build_parser().parse_args(argv)
    # The one place the CLI reads the wall clock: every command takes it from here.
    clock: Clock = SystemClock()
    args.clock = clock
    try:
        return int(asyncio.run(args.func(args)))
    except ConfigError as exc:
        print(texts.CLI_CONFIG_ERROR.format(error=exc), file=sys.stderr)
        return 2
    except AlreadyRunning as exc:
        print(texts.CLI_ALREADY_RUNNING.format(path=exc.db_path), file=sys.stderr)
        return 1
    except SchemaTooNew as exc:
        print(
            texts.CLI_DB_TOO_NEW.format(path=exc.path, found=exc.found, known=exc.known),
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
