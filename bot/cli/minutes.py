"""`chibo minutes export --unit CODE --year YYYY --out DIR`: a year's minutes as .docx files,
drafted by the same code as the chat's."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.common import cells_of, find_unit, load, open_ctx
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from handlers import meeting_common as mc
from handlers.minutes_files import draft

# The years an archive can be asked for: from the Party's founding; the next year must exist too.
YEARS = (1930, 9998)


def _not_a_folder(path: Path) -> bool:
    return path.exists() and not path.is_dir()


async def command(args: argparse.Namespace) -> int:
    """`chibo minutes export`: the year's minutes of the unit's cells."""
    return await minutes_export(load(args), args.unit, args.year, Path(args.out), clock=args.clock)


async def minutes_export(
    config: Config, unit_code: str, year: int, out_dir: Path, *, clock: Clock
) -> int:
    """Every meeting's minutes of the year for the unit's cells: one .docx each, named by date
    (a committee gets a folder per cell)."""
    if not YEARS[0] <= year <= YEARS[1]:
        print(texts.CLI_MINUTES_BAD_YEAR.format(year=year), file=sys.stderr)
        return 1
    if _not_a_folder(out_dir):
        print(texts.CLI_MINUTES_NOT_A_FOLDER.format(out=out_dir), file=sys.stderr)
        return 1
    async with open_ctx(config, clock) as ctx:
        unit = await find_unit(ctx.units, unit_code)
        if unit is None:
            return 1
        cells = await cells_of(ctx.units, unit)
        tz = mc.tz(ctx)
        start = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
        end = min(datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC), ctx.now())
        held = await ctx.papers.held_meetings([c.id for c in cells], start, end)
        codes = {c.id: c.code for c in cells}
        written: set[Path] = set()
        for meeting in held:
            content, name = await draft(ctx, meeting, "minutes")
            folder = out_dir if unit.is_cell else out_dir / codes[meeting.unit_id]
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                print(texts.CLI_MINUTES_WRITE_FAILED.format(path=folder), file=sys.stderr)
                return 1
            target = folder / name
            n = 2
            while target in written:
                # Two meetings on one day (a thematic one after the regular): a suffix.
                target = folder / f"{Path(name).stem}-{n}.docx"
                n += 1
            try:
                target.write_bytes(content)
            except OSError:
                print(texts.CLI_MINUTES_WRITE_FAILED.format(path=target), file=sys.stderr)
                return 1
            written.add(target)
        print(texts.CLI_MINUTES_EXPORTED.format(count=len(written), out=out_dir))
        return 0
