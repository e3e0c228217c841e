"""What check-ins and the progress digest share: quiet hours, a round's deadline, an answer's
words and the outbox marker a prompt is rendered from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.schedule_rules import parse_time
from bot.core.timefmt import format_datetime_vi
from bot.core.types import Reply
from handlers.context import Ctx
from storage.checkins import CheckinAnswer, Round

# The kind of this feature's outbox markers (`extra["render"]`), written when sent.
MARKER = "ck"


def in_quiet_hours(ctx: Ctx, moment: datetime) -> bool:
    """Whether the moment falls in the configured quiet hours (which may span midnight)."""
    cfg = ctx.config.checkins
    local = moment.astimezone(ctx.config.general.tz).time()
    start, end = parse_time(cfg.quiet_start), parse_time(cfg.quiet_end)
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def quiet_until(ctx: Ctx, moment: datetime) -> datetime:
    """The end of the quiet hours `moment` is in (or `moment` itself when it is not)."""
    if not in_quiet_hours(ctx, moment):
        return moment
    tz = ctx.config.general.tz
    local = moment.astimezone(tz)
    end = parse_time(ctx.config.checkins.quiet_end)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)


def when(ctx: Ctx, rnd: Round) -> str:
    """When the round closes, as members read it."""
    return _when(rnd.closes_at, ctx.config.general.tz)


@lru_cache(maxsize=4096)
def _when(moment: datetime, tz: ZoneInfo) -> str:
    # Formatting with Babel is slow and a round's date is shown in thousands of messages.
    return format_datetime_vi(moment, tz)


def status_text(answer: CheckinAnswer | None) -> str:
    """A member's answer for one task, with their note; «no report» without one."""
    if answer is None:
        return texts.NHIEMVU_NO_REPORT
    text = texts.CHECKIN_STATUS[answer.status]
    return text + (f" ({answer.note})" if answer.note else "")


def marker(rnd: Round, step: str) -> Reply:
    """What the outbox holds for a prompt, nudge or digest: rendered when it is sent."""
    return Reply("", extra={"render": MARKER, "round": rnd.id, "step": step})
