"""`chibo members find|attach|category`: finding a member, attaching them to another cell for
some months, and their category in the minutes.

Attachment is sinh hoạt tạm thời: the host cell reminds the member of its meetings, takes their
answers and counts them in its attendance; the home cell shows them as attached elsewhere and
does not count them absent.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.cli.common import load, open_ctx, resolve_member
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.roster.rows import parse_month
from storage.attachments import AttachmentRepo
from storage.db import Database
from storage.members import MemberRepo
from storage.minutes import CATEGORIES
from storage.units import UnitRepo


async def command(args: argparse.Namespace) -> int:
    """`chibo members find TEXT…`, `members attach --member M …` or `members category …`."""
    if args.action == "attach":
        if not args.end and not args.unit:
            print(texts.CLI_ATTACH_NOT_CELL.format(code=""), file=sys.stderr)
            return 2
        return await members_attach(
            load(args),
            args.member,
            args.unit,
            first=args.first,
            until=args.until,
            end=args.end,
            clock=args.clock,
        )
    if args.action == "category":
        return await members_category(load(args), args.member, args.category, clock=args.clock)
    return await members_find(load(args), " ".join(args.text))


def _month(period: str) -> str:
    return texts.LEAVE_MONTH.format(month=int(period[5:]), year=period[:4])


async def members_attach(
    config: Config,
    member: str,
    host_code: str | None,
    *,
    first: str | None = None,
    until: str | None = None,
    end: bool = False,
    clock: Clock,
    out: TextIO | None = None,
) -> int:
    """Attach a member to a host cell from `first` (this month) to `until` (open-ended), or
    end their attachment (`end`). Refusals go to stderr with exit code 1."""
    out = out or sys.stdout
    now = clock.now().astimezone(config.general.tz)
    this_month = f"{now.year:04d}-{now.month:02d}"
    months = [parse_month(m) if m else None for m in (first, until)]
    for raw, parsed in zip((first, until), months, strict=True):
        if raw and parsed is None:
            print(texts.CLI_ATTACH_BAD_MONTH.format(text=raw), file=sys.stderr)
            return 1
    start = months[0] or this_month
    last = months[1]
    if last is not None and last < start:
        print(texts.CLI_ATTACH_BACKWARDS, file=sys.stderr)
        return 1
    db = await Database.open(config.db_path)
    try:
        found = await resolve_member(MemberRepo(db), member)
        if found is None:
            return 1
        repo = AttachmentRepo(db)
        if end:
            done = await repo.detach(found.id, this_month)
            message = texts.CLI_ATTACH_ENDED if done else texts.CLI_ATTACH_NONE
            print(message.format(name=found.full_name, month=_month(this_month)), file=out)
            return 0 if done else 1
        host = await UnitRepo(db).by_code(host_code or "")
        if host is None or not host.is_cell:
            print(texts.CLI_ATTACH_NOT_CELL.format(code=host_code or ""), file=sys.stderr)
            return 1
        if host.id == found.unit_id:
            print(texts.CLI_ATTACH_SAME.format(name=found.full_name), file=sys.stderr)
            return 1
        await repo.attach(found.id, host.id, start, last, clock.now())
        until_text = (
            texts.LEAVE_UNTIL_MONTH.format(month=_month(last)) if last else texts.LEAVE_UNTIL_NOTICE
        )
        print(
            texts.CLI_ATTACH_DONE.format(
                name=found.full_name, unit=host.name, first=_month(start), until=until_text
            ),
            file=out,
        )
        return 0
    finally:
        await db.close()


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


async def members_category(config: Config, member_text: str, category: str, *, clock: Clock) -> int:
    """Set a member's roster category (full, probationary, exempt, attached) or 'auto' (from the
    status)."""
    async with open_ctx(config, clock) as ctx:
        member = await resolve_member(ctx.members, member_text)
        if member is None or category not in (*CATEGORIES, "auto"):
            return 1
        await ctx.papers.set_category(member.id, None if category == "auto" else category)
        print(
            texts.CLI_CATEGORY_SET.format(
                name=member.full_name, category=texts.CLI_CATEGORIES[category]
            )
        )
        return 0
