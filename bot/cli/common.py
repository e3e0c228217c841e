"""What the `chibo` command groups share: the config a command runs with, the context it opens,
and finding the unit or member the operator typed."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config, load_config, parse_config
from bot.core.types import is_number
from bot.logs import setup_logging

if TYPE_CHECKING:
    from handlers.context import Ctx
    from storage.members import Member, MemberRepo
    from storage.units import Unit, UnitRepo


# -- the config --------------------------------------------------------------------------------


def config_path(args: argparse.Namespace) -> Path:
    """The config file: `--config`, else $CHIBO_CONFIG, else ./config.toml."""
    return Path(getattr(args, "config", None) or os.environ.get("CHIBO_CONFIG") or "config.toml")


def load(args: argparse.Namespace) -> Config:
    """The checked config of the command line, with logging set up to hide its secrets."""
    from handlers.docx_render import checked

    # A province's own templates are checked once, here at start: never a broken draft later.
    config = checked(load_config(config_path(args)))
    secrets = [config.telegram.token, config.telegram.webhook_secret]
    setup_logging(
        config.general.log_level, [*secrets, config.zalo.token, config.zalo.webhook_secret]
    )
    return config


def load_or_default(args: argparse.Namespace) -> Config:
    """The config file, or the defaults when there is none yet (fresh machine, sandbox)."""
    if config_path(args).exists():
        return load(args)
    config = parse_config({}, Path.cwd(), env={})
    setup_logging(config.general.log_level, [])
    return config


@asynccontextmanager
async def open_ctx(config: Config, clock: Clock) -> AsyncIterator[Ctx]:
    """The handlers' context over the configured database, closed when the block ends."""
    from handlers.context import Ctx
    from storage.db import Database

    db = await Database.open(config.db_path)
    try:
        yield Ctx.build(db, config, clock)
    finally:
        await db.close()


# -- what the operator typed -------------------------------------------------------------------


async def find_unit(units: UnitRepo, code: str, *, err: TextIO | None = None) -> Unit | None:
    """The unit with that code, or None after saying so on `err` (stderr)."""
    unit = await units.by_code(code)
    if unit is None:
        print(texts.CLI_UNIT_UNKNOWN.format(code=code), file=err or sys.stderr)
    return unit


async def cells_of(units: UnitRepo, unit: Unit) -> list[Unit]:
    """The unit itself when it is a cell, else the cells under it."""
    return [unit] if unit.is_cell else await units.cells_under(unit.id)


async def resolve_member(members: MemberRepo, text: str) -> Member | None:
    """A member by id, card number, or a name matching exactly one member."""
    from storage.units import UnitRepo

    if is_number(text):
        found = await members.get(int(text))
        if found is not None:
            return found
    by_card = await members.by_card(text)
    if by_card is not None:
        return by_card
    matches = await members.find(text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        print(texts.CLI_MEMBER_UNKNOWN.format(text=text), file=sys.stderr)
        return None
    print(texts.CLI_MEMBER_AMBIGUOUS.format(count=len(matches), text=text), file=sys.stderr)
    units = UnitRepo(members.db)
    for m in matches[:20]:
        unit = await units.get(m.unit_id)
        print(
            texts.CLI_MEMBER_LINE.format(
                id=m.id, name=m.full_name, unit=unit.name if unit else "?"
            ),
            file=sys.stderr,
        )
    return None
