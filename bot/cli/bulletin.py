"""`chibo bulletin publish FILE.pdf …` and `chibo bulletin status ID` on the server."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot.cli.common import load
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from handlers import bulletin_common as bc
from handlers.bulletin_when import (
    default_issue,
    parse_issue,
    parse_send_time,
    vi_number,
    vi_percent,
)
from storage.bulletin_reads import BulletinReadRepo
from storage.bulletins import BulletinRepo, DuplicateIssue, Scope
from storage.db import Database
from storage.files import store_file
from storage.outbox import OutboxRepo
from storage.units import UnitRepo

_MB = 1024 * 1024


async def command(args: argparse.Namespace) -> int:
    """`chibo bulletin publish FILE.pdf …` or `chibo bulletin status ID`."""
    config = load(args)
    if args.action == "status":
        return await status(config, args.id, clock=args.clock)
    return await publish(
        config,
        Path(args.file),
        title=args.title,
        issue=args.issue,
        scope_code=args.scope,
        all_cells=args.all_cells,
        at=args.at,
        clock=args.clock,
    )


def _err(text: str) -> int:
    print(text, file=sys.stderr)
    return 1


def _read_pdf(path: Path) -> bytes | int:
    """The file's bytes, or an exit status after saying what is wrong with it."""
    if not path.is_file():
        return _err(texts.CLI_BULLETIN_NOT_FOUND.format(path=path))
    size = path.stat().st_size
    if size == 0:
        return _err(texts.CLI_BULLETIN_EMPTY.format(path=path))
    if size > bc.CLI_MAX_BYTES:
        return _err(
            texts.CLI_BULLETIN_TOO_BIG.format(
                path=path, size=f"{size / _MB:.1f}", limit=bc.CLI_MAX_BYTES // _MB
            )
        )
    content = path.read_bytes()
    if not content.startswith(b"%PDF-"):
        return _err(texts.CLI_BULLETIN_NOT_PDF.format(path=path))
    return content


async def publish(
    config: Config,
    path: Path,
    *,
    title: str,
    issue: str | None,
    scope_code: str | None,
    all_cells: bool,
    at: str | None,
    clock: Clock,
) -> int:
    """Publish a PDF (up to 50 MB, Telegram's upload limit) to a scope, now or at a given time."""
    now = clock.now()
    tz = config.general.tz
    content = _read_pdf(path)
    if isinstance(content, int):
        return content
    parsed_issue = parse_issue(issue, now, tz) if issue else default_issue(now, tz)
    if parsed_issue is None:
        return _err(texts.CLI_BULLETIN_BAD_ISSUE.format(text=issue))
    send_at: datetime | None = None
    if at:
        when = parse_send_time(at, now, tz)
        if when == "format":
            return _err(texts.CLI_BULLETIN_BAD_WHEN.format(text=at))
        if when == "past":
            return _err(texts.CLI_BULLETIN_PAST_WHEN.format(text=at))
        send_at = when if isinstance(when, datetime) else None
    db = await Database.open(config.db_path)
    try:
        units, repo = UnitRepo(db), BulletinRepo(db)
        scope = Scope("cells" if all_cells else "hamlet")
        if scope_code:
            unit = await units.by_code(scope_code)
            if unit is None:
                return _err(texts.CLI_UNIT_UNKNOWN.format(code=scope_code))
            scope = Scope("unit", unit.id)
        name = await bc.scope_name(units, scope)
        counted = await repo.count_scope(scope)
        if counted.members == 0:
            return _err(texts.CLI_BULLETIN_EMPTY_SCOPE.format(scope=name))
        stored = store_file(content, bc.files_dir(config), path.name)
        title = title.strip()[: bc.TITLE_LIMIT] or texts.BULLETIN_DEFAULT_TITLE

        render = bc.copy_renderer(title, parsed_issue, stored)

        try:
            bulletin_id, count = await repo.publish(
                issue=parsed_issue,
                title=title,
                file=stored,
                scope=scope,
                publisher_member_id=None,
                progress=None,
                send_at=send_at or now,
                now=now,
                render=render,
            )
        except DuplicateIssue:
            taken = await repo.by_issue(parsed_issue)
            assert taken is not None
            return _err(
                texts.BULLETIN_DUPLICATE.format(
                    issue=bc.issue_label(parsed_issue),
                    date=bc.published_date(taken, config),
                    title=taken.title,
                )
            )
        print(
            texts.CLI_BULLETIN_PUBLISHED.format(
                id=bulletin_id,
                title=title,
                issue=bc.issue_label(parsed_issue),
                count=vi_number(count),
                when=bc.when_text(send_at, config),
                members=vi_number(counted.members),
                cells=vi_number(counted.cells),
                unlinked=vi_number(counted.members - counted.linked),
            )
        )
        return 0
    finally:
        await db.close()


async def status(config: Config, bulletin_id: int, *, clock: Clock) -> int:
    """Progress of one bulletin: sent / failed / left, and reads."""
    db = await Database.open(config.db_path)
    try:
        repo = BulletinRepo(db)
        bulletin = await repo.get(bulletin_id)
        if bulletin is None:
            return _err(texts.CLI_BULLETIN_UNKNOWN.format(id=bulletin_id))
        counts = await OutboxRepo(db).batch_counts(f"bulletin:{bulletin.id}")
        left = counts.get("pending", 0) + counts.get("sending", 0)
        reads = await BulletinReadRepo(db).reads_by_unit(bulletin.id)
        total = sum(n for n, _ in reads.values())
        read = sum(r for _, r in reads.values())
        now = clock.now()
        state = (
            texts.CLI_BULLETIN_WAITING
            if bulletin.send_at > now
            else texts.CLI_BULLETIN_DONE
            if left == 0
            else texts.CLI_BULLETIN_RUNNING
        )
        print(
            texts.CLI_BULLETIN_STATUS.format(
                id=bulletin.id,
                title=bulletin.title,
                issue=bc.issue_label(bulletin.issue),
                when=bc.when_text(bulletin.send_at, config),
                sent=vi_number(counts.get("sent", 0)),
                failed=vi_number(counts.get("failed", 0)),
                left=vi_number(left),
                state=state,
                read=vi_number(read),
                total=vi_number(total),
                rate=vi_percent(read, total),
            )
        )
        return 0
    finally:
        await db.close()
