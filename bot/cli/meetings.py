"""`chibo meetings list|set|agenda|observe`: the meeting schedule from the server's command line.

Changes go through the same code as the secretary's /datlich, so members are told and old
reminders are withdrawn exactly as when the change is made in chat.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.cli.common import cells_of, find_unit, load, open_ctx, resolve_member
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.schedule_rules import WhenError, parse_when
from handlers import agenda as agenda_handler
from handlers import bulletin_common as bc
from handlers import meeting_common as mc
from handlers import papers
from handlers.context import Ctx
from handlers.meeting_change import apply_change, set_rule
from handlers.reschedule import when_error
from scheduler.meeting_planner import materialise, regular_due
from storage.units import Unit


async def command(args: argparse.Namespace) -> int:
    """`chibo meetings list|set|agenda|observe --unit CODE …`."""
    config = load(args)
    if args.action == "list":
        return await meetings_list(config, args.unit, clock=args.clock)
    if args.action == "set":
        return await meetings_set(
            config, args.unit, at=args.at, place=args.place, agenda=args.agenda, clock=args.clock
        )
    if args.action == "agenda":
        files = [Path(f) for f in args.file or []]
        return await meetings_agenda(
            config, args.unit, text=args.text, files=files, clock=args.clock
        )
    return await meetings_observe(
        config, args.unit, args.member, remove=args.remove, clock=args.clock
    )


async def _unit(ctx: Ctx, code: str, *, cell_only: bool) -> Unit | None:
    """The unit with that code (a cell when `cell_only`), or None after saying why not."""
    unit = await find_unit(ctx.units, code)
    if unit is None:
        return None
    if cell_only and not unit.is_cell:
        print(texts.CLI_MEETINGS_NOT_CELL.format(unit=unit.name), file=sys.stderr)
        return None
    return unit


async def meetings_list(
    config: Config, unit_code: str, *, out: TextIO | None = None, clock: Clock
) -> int:
    """Print the coming meetings of the unit's cells (the unit itself when it is a cell)."""
    out = out or sys.stdout
    async with open_ctx(config, clock) as ctx:
        unit = await _unit(ctx, unit_code, cell_only=False)
        if unit is None:
            return 1
        cells = await cells_of(ctx.units, unit)
        store = ctx.meetings
        # A read never writes: the meetings the rules give that the running bot's planner has
        # not created yet are shown as planned, and created only by the planner.
        planned: dict[int, list[tuple[datetime, str]]] = {}
        for items in await regular_due(ctx, ctx.now()):
            for cell_id, _, starts, place in items:
                planned.setdefault(cell_id, []).append((starts, place))
        for cell in cells:
            print(texts.CLI_MEETINGS_HEADER.format(unit=cell.name), file=out)
            coming = await store.upcoming(cell.id, ctx.now())
            ahead = planned.get(cell.id, [])
            if not coming and not ahead:
                print(texts.CLI_MEETINGS_NONE, file=out)
            for meeting in coming:
                block = mc.block(ctx, meeting, cell.name).replace("\n", "\n      ")
                print(texts.CLI_MEETINGS_LINE.format(id=meeting.id, block=block), file=out)
            for starts, place in sorted(ahead):
                print(
                    texts.CLI_MEETINGS_PLANNED.format(when=mc.when(ctx, starts), place=place),
                    file=out,
                )
        return 0


async def meetings_set(
    config: Config,
    unit_code: str,
    *,
    at: str | None,
    place: str | None,
    agenda: str | None = None,
    out: TextIO | None = None,
    clock: Clock,
) -> int:
    """Move the next meeting (`--at` a date and time) or set the cell's rule (`--at` a rule)."""
    out = out or sys.stdout
    if not (at or place or agenda):
        print(texts.CLI_MEETINGS_NOTHING, file=sys.stderr)
        return 2
    async with open_ctx(config, clock) as ctx:
        unit = await _unit(ctx, unit_code, cell_only=True)
        if unit is None:
            return 1
        await materialise(ctx, ctx.now())
        starts = None
        if at:
            try:
                starts = parse_when(at, ctx.now(), mc.tz(ctx))
            except WhenError as exc:
                # Not a date and time: perhaps the cell's monthly rule ("ngày 5 lúc 19h").
                rule = texts.RULE_WITH_PLACE.format(rule=at, place=place) if place else at
                done, replies = await set_rule(ctx, unit.id, rule)
                if done:
                    for reply in replies:
                        print(reply.text, file=out)
                    return 0
                # Neither: explain as a date when it looked like one, else show both forms.
                refusal = (
                    texts.CLI_MEETINGS_BAD_AT.format(text=at)
                    if exc.reason == "format"
                    else when_error(exc, at).text
                )
                print(refusal, file=sys.stderr)
                return 1
        coming = await ctx.meetings.upcoming(unit.id, ctx.now(), limit=1)
        if not coming:
            print(texts.CLI_MEETINGS_NO_NEXT.format(unit=unit.name), file=sys.stderr)
            return 1
        for reply in await apply_change(
            ctx, coming[0], starts_at=starts, place=place or None, agenda=agenda or None
        ):
            print(reply.text, file=out)
        return 0


async def meetings_observe(
    config: Config,
    unit_code: str,
    member: str,
    *,
    remove: bool = False,
    out: TextIO | None = None,
    clock: Clock,
) -> int:
    """Assign (or stop assigning) a committee member to attend a cell's meetings."""
    out = out or sys.stdout
    async with open_ctx(config, clock) as ctx:
        unit = await _unit(ctx, unit_code, cell_only=True)
        if unit is None:
            return 1
        found = await resolve_member(ctx.members, member)
        if found is None:
            return 1
        changed = await ctx.attendance.assign_observer(unit.id, found.id, remove=remove)
        if remove:
            message = texts.CLI_OBSERVER_REMOVED if changed else texts.CLI_OBSERVER_ABSENT
        else:
            message = texts.CLI_OBSERVER_ADDED if changed else texts.CLI_OBSERVER_EXISTS
        print(message.format(name=found.full_name, unit=unit.name), file=out)
        return 0


def _read_document(path: Path) -> tuple[bytes, str] | str:
    """The file's content and kind, or why it cannot be a meeting document."""
    kind = papers.document_kind(path.name, None)
    if kind is None:
        return texts.PAPERS_BAD_TYPE.format(name=path.name)
    try:
        size = path.stat().st_size
        if size > bc.CLI_MAX_BYTES:
            return texts.CLI_AGENDA_TOO_BIG.format(
                size=f"{size / 1024 / 1024:.1f}".replace(".", ","),
                limit=bc.CLI_MAX_BYTES // (1024 * 1024),
            )
        content = path.read_bytes()
    except FileNotFoundError:
        return texts.CLI_AGENDA_NO_FILE
    except OSError:
        # A folder, no permission to read, a disk error: said in Vietnamese, not the OS's words.
        return texts.CLI_AGENDA_UNREADABLE
    if not content:
        return texts.PAPERS_EMPTY_FILE.format(name=path.name)
    if not papers.content_matches(kind, content):
        return texts.PAPERS_BAD_TYPE.format(name=path.name)
    return content, kind


async def meetings_agenda(
    config: Config,
    unit_code: str,
    *,
    text: str | None,
    files: list[Path],
    clock: Clock,
    out: TextIO | None = None,
) -> int:
    """Set the next meeting's agenda (items separated by new lines or ';') and attach files."""
    out = out or sys.stdout
    documents: list[tuple[Path, bytes, str]] = []
    for path in files:
        read = _read_document(path)
        if isinstance(read, str):
            print(texts.CLI_AGENDA_BAD_FILE.format(path=path, error=read), file=sys.stderr)
            return 1
        documents.append((path, *read))
    async with open_ctx(config, clock) as ctx:
        unit = await find_unit(ctx.units, unit_code)
        if unit is None:
            return 1
        coming = await ctx.meetings.upcoming(unit.id, ctx.now(), limit=1)
        if not coming:
            print(texts.CLI_AGENDA_NO_MEETING.format(code=unit_code), file=sys.stderr)
            return 1
        meeting = coming[0]
        if text:
            items = papers.agenda_items(text.replace(";", "\n"))
            if not items or len("\n".join(items)) > agenda_handler.AGENDA_MAX:
                print(texts.TOO_LONG.format(limit=agenda_handler.AGENDA_MAX), file=sys.stderr)
                return 1
            build = await papers.builder(ctx, meeting, updated=True)
            await ctx.papers.set_agenda(meeting, "\n".join(items), ctx.now(), build)
            meeting = await ctx.meetings.get(meeting.id) or meeting
        for path, content, kind in documents:
            await agenda_handler.attach(ctx, None, meeting, content, path.name, kind)
        print(
            texts.CLI_AGENDA_DONE.format(
                when=mc.when(ctx, meeting.starts_at),
                items=len(papers.agenda_items(meeting.agenda)),
                docs=len(await ctx.papers.documents(meeting.id)),
            ),
            file=out,
        )
        return 0
