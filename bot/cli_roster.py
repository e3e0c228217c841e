"""The roster commands behind `chibo roster`, `chibo invites` and `chibo members`."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.invite_sheets import CellInvites, ZaloInvite, write_invite_sheets
from bot.roster_dues import DuesRules
from bot.roster_file import RosterError, format_issues, read_roster, write_template
from storage.db import Database
from storage.invites import InviteRepo
from storage.members import MemberRepo
from storage.roster import ImportSummary, RosterRepo
from storage.units import UnitRepo

logger = logging.getLogger(__name__)

# Printing 45,000 problems helps nobody: the first ones show what to fix.
MAX_PRINTED_ISSUES = 200


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


def zalo_invite(config: Config) -> ZaloInvite | None:
    """Zalo's part of the invites when Zalo is configured (its token, or at least its link)."""
    if not config.zalo.token and not config.zalo.bot_link:
        return None
    return ZaloInvite(config.zalo.bot_link)


async def write_invites(
    config: Config,
    unit_code: str,
    out_dir: Path,
    *,
    bot_username: str,
    clock: Clock,
    out: TextIO | None = None,
) -> int:
    """Invite sheets for every unlinked member in the unit's subtree, one sheet per unit."""
    out = out or sys.stderr
    now = clock.now()
    db = await Database.open(config.db_path)
    try:
        units, invites = UnitRepo(db), InviteRepo(db)
        unit = await units.by_code(unit_code)
        if unit is None:
            print(texts.CLI_UNIT_UNKNOWN.format(code=unit_code), file=out)
            return 1
        member_ids = await invites.unlinked_members(await units.subtree_ids(unit.id))
        if not member_ids:
            print(texts.INVITES_ALL_LINKED.format(unit=unit.name), file=out)
            return 0
        valid_for = timedelta(days=config.invites.valid_days)
        codes = await invites.ensure_for(member_ids, now, valid_for)
        repo = RosterRepo(db)
        # Reused codes may expire sooner than new ones: print the earliest date.
        expires = await repo.invite_expiry(codes.values()) or now + valid_for
        by_unit: dict[int, list[tuple[str, str]]] = {}
        for recipient in await MemberRepo(db).recipients_in(unit.id, subtree=True):
            code = codes.get(recipient.member.id)
            if code is not None:
                by_unit.setdefault(recipient.member.unit_id, []).append(
                    (recipient.member.roster_name, code)
                )
        cells = [
            CellInvites(u.code, u.name, by_unit[u.id])
            for u in await repo.units_under(unit.id)
            if u.id in by_unit
        ]
        zalo = zalo_invite(config)
        write_invite_sheets(out_dir, cells, bot_username, expires, config.general.tz, zalo=zalo)
        if zalo is not None and not zalo.link:
            print(texts.INVITES_ZALO_NO_LINK, file=out)
    finally:
        await db.close()
    print(
        texts.INVITES_WROTE.format(
            members=len(codes), cells=len(cells), path=out_dir, index=out_dir / "index.html"
        ),
        file=out,
    )
    return 0


async def members_find(config: Config, text: str, *, out: TextIO | None = None) -> int:
    """Print the members whose name matches `text` (without diacritics), with unit and roles."""
    out = out or sys.stdout
    db = await Database.open(config.db_path)
    try:
        members, units = MemberRepo(db), UnitRepo(db)
        found = await members.find(text)
        if not found:
            print(texts.CLI_MEMBER_UNKNOWN.format(text=text), file=out)
            return 1
        names: dict[int, tuple[str, str]] = {}
        for member in found:
            roles = await members.roles(member.id)
            for unit_id in {member.unit_id, *(r.unit_id for r in roles)} - names.keys():
                unit = await units.get(unit_id)
                names[unit_id] = (unit.code, unit.name) if unit else ("?", "?")
            held = ", ".join(
                texts.ROSTER_FIND_ROLE.format(
                    role=texts.ROLE_NAMES[r.role], unit=names[r.unit_id][0]
                )
                for r in roles
            )
            print(
                texts.ROSTER_FIND_LINE.format(
                    id=member.id,
                    name=member.full_name,
                    unit_code=names[member.unit_id][0],
                    unit_name=names[member.unit_id][1],
                    roles=texts.ROSTER_FIND_ROLES.format(roles=held) if held else "",
                ),
                file=out,
            )
        return 0
    finally:
        await db.close()
