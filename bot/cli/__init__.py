"""The `chibo` command."""

from bot.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
