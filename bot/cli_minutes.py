"""`chibo meetings agenda` and `chibo minutes export|category`: the meeting's paperwork from the
server's command line, through the same code as the chat (members are told the same way)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from handlers import agenda, papers
from handlers import bulletin_common as bc
from handlers import meeting_common as mc
from handlers.context import Ctx
from handlers.minutes_files import draft
from storage.db import Database
from storage.minutes import CATEGORIES

# The years an archive can be asked for: from the Party's founding; the next year must exist too.
YEARS = (1930, 9998)


def _not_a_folder(path: Path) -> bool:
    return path.exists() and not path.is_dir()


async def _open(config: Config, clock: Clock) -> Ctx:
    db = await Database.open(config.db_path)
    return Ctx.build(db, config, clock)


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
    ctx = await _open(config, clock)
    try:
        unit = await ctx.units.by_code(unit_code)
        if unit is None:
            print(texts.CLI_UNIT_UNKNOWN.format(code=unit_code), file=sys.stderr)
            return 1
        coming = await ctx.meetings.upcoming(unit.id, ctx.now(), limit=1)
        if not coming:
            print(texts.CLI_AGENDA_NO_MEETING.format(code=unit_code), file=sys.stderr)
            return 1
        meeting = coming[0]
        if text:
            items = papers.agenda_items(text.replace(";", "\n"))
            if not items or len("\n".join(items)) > agenda.AGENDA_MAX:
                print(texts.TOO_LONG.format(limit=agenda.AGENDA_MAX), file=sys.stderr)
                return 1
            build = await papers.builder(ctx, meeting, updated=True)
            await ctx.papers.set_agenda(meeting, "\n".join(items), ctx.now(), build)
            meeting = await ctx.meetings.get(meeting.id) or meeting
        for path, content, kind in documents:
            await agenda.attach(ctx, None, meeting, content, path.name, kind)
        print(
            texts.CLI_AGENDA_DONE.format(
                when=mc.when(ctx, meeting.starts_at),
                items=len(papers.agenda_items(meeting.agenda)),
                docs=len(await ctx.papers.documents(meeting.id)),
            ),
            file=out,
        )
        return 0
    finally:
        await ctx.db.close()


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
    ctx = await _open(config, clock)
    try:
        unit = await ctx.units.by_code(unit_code)
        if unit is None:
            print(texts.CLI_UNIT_UNKNOWN.format(code=unit_code), file=sys.stderr)
            return 1
        cells = [unit] if unit.is_cell else await ctx.units.cells_under(unit.id)
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
    finally:
        await ctx.db.close()


async def members_category(config: Config, member_text: str, category: str, *, clock: Clock) -> int:
    """Set a member's roster category (full, probationary, exempt, attached) or 'auto' (from the
    status)."""
    from bot.cli_common import resolve_member

    ctx = await _open(config, clock)
    try:
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
    finally:
        await ctx.db.close()
