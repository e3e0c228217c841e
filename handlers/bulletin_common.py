"""What the bulletin handlers, planner and CLI share: who may publish, copies, scope wording."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.core import texts
from bot.core.config import Config
from bot.core.timefmt import format_date
from bot.core.types import Document, Incoming, Option, Reply
from handlers.bulletin_when import vi_number
from handlers.buttons import Action, Buttons, Press
from handlers.context import Ctx, Who
from storage.bulletins import Bulletin, Scope
from storage.files import StoredFile
from storage.units import UnitRepo

logger = logging.getLogger(__name__)

# A bot may download files up to 20 MB from Telegram; it may upload up to 50 MB.
MB = 1024 * 1024
CHAT_MAX_BYTES = 20 * MB
CLI_MAX_BYTES = 50 * MB
TITLE_LIMIT = 200


def files_dir(config: Config) -> Path:
    """Bulletin PDFs live next to the database, named by checksum."""
    return config.db_path.parent / "bulletins"


def can_publish(who: Who) -> bool:
    """Whether this person may publish the bulletin: propaganda or an administrator."""
    return who.is_admin() or "propaganda" in who.role_names()


def publisher_root(who: Who) -> int | None:
    """The subtree a publisher may send to: the whole tree for an admin."""
    if who.is_admin():
        return None
    units = sorted(r.unit_id for r in who.roles if r.role == "propaganda")
    return units[0] if units else None


def issue_label(issue: str) -> str:
    """The issue as members read it: «Số 12/2026»."""
    return texts.BULLETIN_ISSUE.format(issue=issue)


def copy_renderer(title: str, issue: str, stored: StoredFile) -> Callable[[int, int], Reply]:
    """The per-recipient copy builder that `BulletinRepo.publish` calls for a new bulletin."""

    def render(bulletin_id: int, member_id: int) -> Reply:
        return copy_reply(
            bulletin_id=bulletin_id,
            member_id=member_id,
            title=title,
            issue=issue,
            path=str(stored.path),
            file_name=stored.file_name,
            sha256=stored.sha256,
        )

    return render


def copy_reply(
    *,
    bulletin_id: int,
    member_id: int,
    title: str,
    issue: str,
    path: str,
    file_name: str,
    sha256: str,
    remind: bool = False,
) -> Reply:
    """One member's copy: the PDF, a short caption and the "Đã đọc" button for this member."""
    caption = texts.BULLETIN_CAPTION.format(title=title, issue=issue_label(issue))
    if remind:
        caption = texts.BULLETIN_CAPTION_REMIND + caption
    return Reply(
        caption,
        options=(
            (Option(texts.BULLETIN_READ_BUTTON, READ_BUTTONS.payload("", bulletin_id, member_id)),),
        ),
        document=Document(path=path, file_name=file_name),
        extra={"broadcast": True, "file_key": sha256},
    )


def copy_of(bulletin: Bulletin, member_id: int, *, remind: bool = False) -> Reply:
    """One member's copy of a stored bulletin (see `copy_reply`)."""
    return copy_reply(
        bulletin_id=bulletin.id,
        member_id=member_id,
        title=bulletin.title,
        issue=bulletin.issue,
        path=bulletin.file_path,
        file_name=bulletin.file_name,
        sha256=bulletin.sha256,
        remind=remind,
    )


async def scope_name(units: UnitRepo, scope: Scope) -> str:
    """'các chi bộ ấp, khóm thuộc Đảng bộ xã Hòa Bình' and the like."""
    unit = await units.get(scope.unit_id) if scope.unit_id is not None else None
    if scope.kind == "unit":
        return texts.BULLETIN_SCOPE_NAMES["unit"].format(unit=unit.name if unit else "?")
    name = texts.BULLETIN_SCOPE_NAMES[scope.kind]
    return name + texts.BULLETIN_SCOPE_UNDER.format(unit=unit.name) if unit else name


def when_text(send_at: datetime | None, config: Config) -> str:
    """'ngay bây giờ' or 'lúc 07:00 ngày 01/12/2026'."""
    if send_at is None:
        return texts.BULLETIN_WHEN_NOW
    local = send_at.astimezone(config.general.tz)
    return texts.BULLETIN_WHEN_AT.format(
        time=local.strftime("%H:%M"), date=local.strftime("%d/%m/%Y")
    )


def published_date(bulletin: Bulletin, config: Config) -> str:
    """The day the bulletin went (or goes) out, in the configured zone."""
    return format_date(bulletin.send_at, config.general.tz)


def send_rate(config: Config) -> float:
    """Messages per second the worker aims at (for time estimates)."""
    return 1000.0 if config.delivery.allow_paid_broadcast else config.delivery.overall_per_second


def minutes_text(seconds: float) -> str:
    """A delivery estimate in minutes, or «soon» under a minute."""
    if seconds < 60:
        return texts.BULLETIN_ETA_SOON
    return texts.BULLETIN_ETA.format(minutes=vi_number(round(seconds / 60)))


async def _read(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """ "Đã đọc": bd:<bulletin>:<member>, valid only for the member who received it."""
    if who.member is None:
        return [Reply(texts.STALE_BUTTON)]
    bulletin_id, member_id = press.num(0), press.num(1)
    store = ctx.bulletins
    bulletin = await store.get(bulletin_id)
    if member_id != who.member.id or bulletin is None:
        logger.info("refused a read payload from member %s", who.member.id)
        return [Reply(texts.BULLETIN_READ_REFUSED)]
    done = await ctx.bulletin_reads.record_read(bulletin_id, member_id, ctx.now())
    if done is None:
        return [Reply(texts.BULLETIN_READ_REFUSED)]
    label = issue_label(bulletin.issue)
    thanks = texts.BULLETIN_READ_THANKS if done else texts.BULLETIN_READ_ALREADY
    return [Reply(thanks.format(issue=label))]


# bd:<bulletin>:<member>: the "Đã đọc" under each copy (here, beside the copy that carries it).
READ_BUTTONS = Buttons("bd", {"": Action(_read, "ii")})


def megabytes(size: int) -> str:
    """A file size in MB with one decimal, written the Vietnamese way ("1,5")."""
    return f"{size / MB:.1f}".replace(".", ",")
