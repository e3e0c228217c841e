"""`chibo roster template PATH` and `chibo roster import FILE…`: the membership list in and out."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from bot.cli.common import load
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.roster.dues import DuesRules
from bot.roster.issues import RosterError, format_issues
from bot.roster.reader import read_roster
from bot.roster.template import write_template
from storage.db import Database
from storage.roster import ImportSummary, RosterRepo

logger = logging.getLogger(__name__)

# Printing 45,000 problems helps nobody: the first ones show what to fix.
MAX_PRINTED_ISSUES = 200


async def command(args: argparse.Namespace) -> int:
    """`chibo roster template PATH` or `chibo roster import FILE…`."""
    if args.action == "template":
        return roster_template(Path(args.path))
    return await roster_import(load(args), [Path(p) for p in args.files], clock=args.clock)


def roster_template(path: Path, *, out: TextIO | None = None) -> int:
    """Write the empty roster workbook to `path`."""
    write_template(path)
    print(texts.ROSTER_TEMPLATE_WROTE.format(path=path), file=out or sys.stdout)
    return 0


async def roster_import(
    config: Config,
    paths: list[Path],
    *,
    clock: Clock,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Validate roster files and import them whole; 1 (database untouched) on a bad file.

    What was read and imported goes to `out` (stdout), problems and progress to `err` (stderr),
    so `chibo roster import ds.xlsx > log.txt` keeps the summary and still shows the errors.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    now = clock.now()
    today = now.astimezone(config.general.tz).date()
    db = await Database.open(config.db_path)
    try:
        repo = RosterRepo(db)
        known = await repo.unit_parents()
        try:
            # openpyxl is synchronous and takes seconds on a province-sized file.
            roster = await asyncio.to_thread(
                read_roster,
                paths,
                known_units=known,
                today=today,
                dues=DuesRules.from_config(config.dues),
            )
        except RosterError as exc:
            print(texts.ROSTER_REFUSED.format(count=len(exc.issues)), file=err)
            for line in format_issues(exc.issues, MAX_PRINTED_ISSUES):
                print(f"  {line}", file=err)
            return 1
        if roster.empty:
            print(texts.ROSTER_EMPTY, file=out)
            return 0
        print(
            texts.ROSTER_READ.format(units=len(roster.units), members=len(roster.members)), file=out
        )
        with tqdm(
            total=len(roster.members),
            desc=texts.ROSTER_PROGRESS,
            unit=texts.ROSTER_PROGRESS_UNIT,
            file=err,
            disable=not err.isatty(),
        ) as bar:
            try:
                summary = await repo.import_roster(
                    roster, now, bar.update, period=f"{today.year:04d}-{today.month:02d}"
                )
            except (sqlite3.IntegrityError, LookupError, ValueError) as exc:
                # The transaction was rolled back: nothing was imported.
                logger.warning("roster import refused by the database: %s", exc)
                print(texts.ROSTER_ERR_CONFLICT.format(detail=exc), file=err)
                return 1
        print(_summary(summary), file=out)
        return 0
    finally:
        await db.close()


def _summary(summary: ImportSummary) -> str:
    fields = {k: v for k, v in vars(summary).items() if k != "attachments"}
    text = texts.ROSTER_SUMMARY.format(**fields)
    if summary.attachments:
        text += "\n" + texts.ROSTER_SUMMARY_ATTACHED.format(count=summary.attachments)
    if summary.dues_set:
        text += "\n" + texts.ROSTER_DUES_SET.format(count=summary.dues_set)
    if summary.categories_set:
        text += "\n" + texts.ROSTER_CATEGORIES_SET.format(count=summary.categories_set)
    return text
