"""`chibo meetings list|set|observe`: the meeting schedule from the server's command line.

Changes go through the same code as the secretary's /datlich, so members are told and old
reminders are withdrawn exactly as when the change is made in chat.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TextIO

from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.schedule_rules import WhenError, parse_when
from handlers import meeting_common as mc
from handlers.context import Ctx
from handlers.reschedule import apply_change, set_rule, when_error
from scheduler.meeting_planner import materialise, regular_due
from storage.db import Database
from storage.units import Unit


async def _open(config: Config, clock: Clock) -> Ctx:
    db = await Database.open(config.db_path)
    return Ctx.build(db, config, clock)


async def _unit(ctx: Ctx, code: str, *, cell_only: bool) -> Unit | None:
    """The unit with that code (a cell when `cell_only`), or None after saying why not."""
    unit = await ctx.units.by_code(code)
    if unit is None:
        print(texts.CLI_UNIT_UNKNOWN.format(code=code), file=sys.stderr)
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
    ctx = await _open(config, clock)
    try:
        unit = await _unit(ctx, unit_code, cell_only=False)
        if unit is None:
            return 1
        cells = [unit] if unit.is_cell else await ctx.units.cells_under(unit.id)
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
    finally:
        await ctx.db.close()


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
    ctx = await _open(config, clock)
    try:
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
    finally:
        await ctx.db.close()


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
    from bot.cli.common import resolve_member

    out = out or sys.stdout
    ctx = await _open(config, clock)
    try:
        unit = await _unit(ctx, unit_code, cell_only=True)
        if unit is None:
            return 1
        found = await resolve_member(ctx.members, member)
        if found is None:
            return 1
        changed = await ctx.meetings.assign_observer(unit.id, found.id, remove=remove)
        if remove:
            message = texts.CLI_OBSERVER_REMOVED if changed else texts.CLI_OBSERVER_ABSENT
        else:
            message = texts.CLI_OBSERVER_ADDED if changed else texts.CLI_OBSERVER_EXISTS
        print(message.format(name=found.full_name, unit=unit.name), file=out)
        return 0
    finally:
        await ctx.db.close()
