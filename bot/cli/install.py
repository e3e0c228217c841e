"""`chibo init`, `chibo db` and `chibo backup`: the installation's config file and database."""

from __future__ import annotations

import argparse
import logging
import shutil
from pathlib import Path

from bot.cli.common import config_path, load
from bot.core import texts
from bot.core.config import EXAMPLE_PATH
from storage.db import Database


async def init(args: argparse.Namespace) -> int:
    """Write a commented config file (unless one is there), create the database, say what next."""
    path = config_path(args)
    if path.exists() and not args.force:
        print(texts.CLI_INIT_EXISTS.format(path=path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE_PATH, path)
        print(texts.CLI_INIT_WROTE.format(path=path))
    config = load(args)
    # The migrations' log lines are for `chibo run`'s journal, not for this first conversation.
    logging.getLogger("storage.db").setLevel(logging.WARNING)
    db = await Database.open(config.db_path)
    version = await db.schema_version()
    await db.close()
    print(texts.CLI_DB_READY.format(path=config.db_path, version=version))
    print(texts.CLI_INIT_NEXT.format(path=path))
    return 0


async def db(args: argparse.Namespace) -> int:
    """`chibo db upgrade` applies the pending migrations; `chibo db status` lists them."""
    config = load(args)
    database = await Database.open(config.db_path, upgrade=False)
    try:
        if args.action == "upgrade":
            names = await database.upgrade()
            version = await database.schema_version()
            print(
                texts.CLI_DB_UPGRADED.format(names=", ".join(names))
                if names
                else texts.CLI_DB_UP_TO_DATE.format(version=version)
            )
        else:
            pending = await database.pending_migrations()
            print(
                texts.CLI_DB_READY.format(
                    path=config.db_path, version=await database.schema_version()
                )
            )
            for _, name, _ in pending:
                print(f"  + {name}")
    finally:
        await database.close()
    return 0


async def backup(args: argparse.Namespace) -> int:
    """Copy the live database to `args.path` (SQLite's online backup: the bot may keep running)."""
    config = load(args)
    db = await Database.open(config.db_path)
    try:
        await db.backup(Path(args.path))
    finally:
        await db.close()
    print(texts.CLI_BACKUP_DONE.format(path=args.path))
    return 0
