"""`chibo tasks list` and `chibo checkins export`: tasks and check-ins from the command line."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

import openpyxl
from openpyxl.styles import Font

from bot.cli.common import cells_of, find_unit, load, open_ctx, resolve_member
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.textnorm import vi_sort_key
from handlers.context import Ctx
from handlers.tasks import show_due
from storage.units import Unit


async def command(args: argparse.Namespace) -> int:
    """`chibo tasks list --unit CODE [--member M]` or `chibo checkins export …`."""
    config = load(args)
    if args.command == "tasks":
        return await tasks_list(config, args.unit, args.member, clock=args.clock)
    return await checkins_export(config, args.unit, args.month, Path(args.out), clock=args.clock)


async def _cells(ctx: Ctx, code: str) -> list[Unit] | None:
    """The cells of the unit with that code, or None after saying it is unknown."""
    unit = await find_unit(ctx.units, code)
    return None if unit is None else await cells_of(ctx.units, unit)


async def tasks_list(
    config: Config,
    unit_code: str,
    member: str | None = None,
    *,
    out: TextIO | None = None,
    clock: Clock,
) -> int:
    """Print the tasks of the unit's cells, each assignee with their last report."""
    out = out or sys.stdout
    async with open_ctx(config, clock) as ctx:
        cells = await _cells(ctx, unit_code)
        if cells is None:
            return 1
        only = None
        if member is not None:
            found = await resolve_member(ctx.members, member)
            if found is None:
                return 1
            only = found.id
        store = ctx.tasks
        for cell in cells:
            tasks = await store.of_unit(cell.id, only_open=False)
            if only is not None:
                tasks = [t for t in tasks if only in t.assignees]
            print(texts.CLI_TASKS_HEADER.format(unit=cell.name), file=out)
            if not tasks:
                print(texts.CLI_TASKS_NONE, file=out)
            for task in tasks:
                print(
                    texts.CLI_TASKS_LINE.format(
                        id=task.id,
                        body=task.body,
                        status=texts.CLI_TASK_STATES[task.status],
                        due=show_due(task.due_on),
                    ),
                    file=out,
                )
                for member_id in task.assignees:
                    if only is not None and member_id != only:
                        continue
                    person = await ctx.members.get(member_id)
                    last = (await ctx.checkins.last_answers(member_id)).get(task.id)
                    report = texts.CHECKIN_STATUS[last.status] if last else texts.NHIEMVU_NO_REPORT
                    if last is not None and last.note:
                        report += f" ({last.note})"
                    name = person.roster_name if person else "?"
                    print(texts.CLI_TASKS_MEMBER.format(name=name, report=report), file=out)
        return 0


async def checkins_export(
    config: Config, unit_code: str, month: str, path: Path, *, clock: Clock
) -> int:
    """Write one row per member and task of the month's rounds, with Vietnamese headers."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        print(texts.CLI_CHECKINS_BAD_MONTH, file=sys.stderr)
        return 2
    async with open_ctx(config, clock) as ctx:
        cells = await _cells(ctx, unit_code)
        if cells is None:
            return 1
        rows = await export_rows(ctx, cells, month)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = texts.EXPORT_SHEET
    sheet.append(list(texts.EXPORT_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        # Real Excel dates (sortable, filterable), shown the Vietnamese way.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = EXCEL_DATETIME
            elif isinstance(cell.value, date):
                cell.number_format = EXCEL_DATE
    for column, width in zip("ABCDEFG", (28, 26, 50, 14, 18, 40, 28), strict=True):
        sheet.column_dimensions[column].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    print(texts.CLI_CHECKINS_WRITTEN.format(rows=len(rows), path=path))
    return 0


# Excel number formats of the export's date and time columns.
EXCEL_DATE = "DD/MM/YYYY"
EXCEL_DATETIME = "DD/MM/YYYY HH:MM"

# A cell of the export: text, a due date, or the local time of a report (Excel has no zones).
ExportCell = str | date | datetime


async def export_rows(ctx: Ctx, cells: list[Unit], month: str) -> list[list[ExportCell]]:
    """The export's rows: each cell's round of the month (or the month itself when none)."""
    tz = ctx.config.general.tz
    year, mon = int(month[:4]), int(month[5:])
    month_start = datetime(year, mon, 1, tzinfo=tz).astimezone(UTC)
    month_end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=tz).astimezone(UTC)
    reports = ctx.task_reports
    ids = [c.id for c in cells]
    rounds = {r.unit_id: r for r in await reports.rounds(ids, [month])}
    answers = await ctx.checkins.current_answers([r.id for r in rounds.values()])
    excused = await ctx.checkins.excused([r.id for r in rounds.values()])
    spans = await reports.spans(ids, month_start, month_end)
    names = await ctx.members.names_in(ids)
    rows: list[list[ExportCell]] = []
    for cell in cells:
        rnd = rounds.get(cell.id)
        mine = [s for s in spans if s.unit_id == cell.id]
        if rnd is not None:
            mine = [s for s in mine if s.open_during(rnd.opens_at, rnd.closes_at)]
        mine.sort(key=lambda s: (vi_sort_key(names.get(s.member_id, "")), s.id))
        for s in mine:
            status, note = texts.EXPORT_NO_ROUND, ""
            at: ExportCell = ""
            if rnd is not None:
                answer = answers.get((rnd.id, s.member_id, s.id))
                if (rnd.id, s.member_id) in excused:
                    status = texts.EXPORT_EXCUSED
                elif answer is None:
                    status = texts.NHIEMVU_NO_REPORT
                else:
                    status = texts.CHECKIN_STATUS[answer.status]
                    note = answer.note or ""
                    at = answer.answered_at.astimezone(tz).replace(tzinfo=None, microsecond=0)
            rows.append(
                [
                    cell.name,
                    names.get(s.member_id, ""),
                    s.body,
                    date.fromisoformat(s.due_on) if s.due_on else texts.TASK_DUE_NONE,
                    status,
                    note,
                    at,
                ]
            )
    return rows
