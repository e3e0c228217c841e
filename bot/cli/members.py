"""`chibo members attach`: sinh hoạt tạm thời, a member attending another cell for some months.

The host cell reminds the member of its meetings, takes their answers and counts them in its
attendance; the home cell shows them as attached elsewhere and does not count them absent.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from storage.attachments import AttachmentRepo
from storage.db import Database
from storage.members import MemberRepo
from storage.units import UnitRepo

_MONTH_RE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_month(text: str) -> str | None:
    """'06/2027' -> '2027-06'; None when it is not a month."""
    match = _MONTH_RE.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return None
    return f"{int(match.group(2)):04d}-{int(match.group(1)):02d}"


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
    from bot.cli.common import resolve_member

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
