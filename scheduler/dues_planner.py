"""The dues planner: the weekly Statute watch and the monthly reminder, derived from the database.

The watch (once a week, at `[dues] watch_day`/`watch_time`): a member with two, then three,
months of the calendar year unpaid without a recorded reason is reported privately to the
cell's secretary and deputy, in one message that also names the year's absences without a
valid reason (the Statute's other removal ground), so a secretary reads both in one place.
Dedupe keys `dues:<member>:<year>:warn:<level>:to:<leader>` send each level once, and
`dues_warnings` remembers the levels sent after the outbox rows are pruned; a run marker
(`dues_runs`) keeps the other ticks of the week at one small read.

The reminder (`reminder_day` at `reminder_time`, only for cells that turned it on): each member
who owes the month and has not paid gets a private message (`dues:remind:<month>:<member>`).
Nothing is planned in the quiet hours of [checkins]; a run that fell due then waits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core import texts
from bot.core.config import WEEKDAYS
from bot.core.money import format_money
from bot.core.schedule_rules import parse_time
from bot.core.types import Reply
from handlers import dues_common as dc
from handlers.checkin_common import in_quiet_hours
from handlers.context import Ctx
from storage.dues import due_in
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)


@dataclass
class DuesStats:
    warnings: int = 0
    reminders: int = 0


async def plan_dues(ctx: Ctx) -> DuesStats:
    """One planner tick for dues."""
    now = ctx.now()
    stats = DuesStats()
    if in_quiet_hours(ctx, now):
        return stats
    stats.warnings = await watch(ctx, now)
    stats.reminders = await remind(ctx, now)
    if stats.warnings or stats.reminders:
        ctx.wake_outbox()
    return stats


def watch_run(ctx: Ctx, now: datetime) -> str | None:
    """This week's run name once its moment has come, else None."""
    cfg = ctx.config.dues
    tz = ctx.config.general.tz
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=WEEKDAYS.index(cfg.watch_day))
    moment = datetime.combine(day, parse_time(cfg.watch_time), tzinfo=tz)
    if local < moment:
        return None
    week = day.isocalendar()
    return f"watch:{week.year}-W{week.week:02d}"


async def watch(ctx: Ctx, now: datetime) -> int:
    """The weekly Statute watch; returns how many warnings were queued."""
    run = watch_run(ctx, now)
    store = ctx.dues_reminders
    if run is None or await store.runs_done([run]):
        return 0
    # The months that are over: up to last month, within last month's calendar year.
    last = dc.shift(dc.current_period(ctx), -1)
    year = int(last[:4])
    unpaid: dict[int, list[str]] = {}
    cells: dict[int, int] = {}
    for member_id, unit_id, period in await store.unpaid_months(f"{year:04d}-01", last):
        unpaid.setdefault(member_id, []).append(period)
        cells[member_id] = unit_id
    behind = [m for m, months in unpaid.items() if len(months) >= 2]
    sent = await store.warned_levels(behind, year)
    due = {
        m: min(len(months), 3)
        for m, months in unpaid.items()
        if len(months) >= 2 and sent.get(m, 0) < min(len(months), 3)
    }
    messages = await _warnings(ctx, year, due, unpaid, cells) if due else []
    warned = [(member_id, year, level) for member_id, level in due.items()]
    queued = await store.finish_run(run, messages, now, warned)
    logger.info("dues watch %s: %d member(s) warned, %d message(s)", run, len(due), queued)
    return queued


async def _warnings(
    ctx: Ctx,
    year: int,
    due: dict[int, int],
    unpaid: dict[int, list[str]],
    cells: dict[int, int],
) -> list[NewMessage]:
    tz = ctx.config.general.tz
    leaders = await ctx.members.leaders(sorted({cells[m] for m in due}))
    start = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC)
    absences = await ctx.attendance.absences(list(due), start, end)
    names = await ctx.dues.names(list(due))
    messages = []
    for member_id, level in sorted(due.items()):
        months = unpaid[member_id]
        template = texts.DUES_WARN_TWO if level == 2 else texts.DUES_WARN_THREE
        lines = [
            template.format(
                name=names.get(member_id, ""),
                count=len(months),
                year=year,
                months=", ".join(str(int(p[5:])) for p in months),
            )
        ]
        # One date per month, as the absence warnings count them.
        firsts: dict[int, datetime] = {}
        for moment in sorted(absences.get(member_id, [])):
            firsts.setdefault(moment.astimezone(tz).month, moment.astimezone(tz))
        if firsts:
            dates = ", ".join(f"{m:%d/%m}" for m in firsts.values())
            lines.append(texts.DUES_WARN_ABSENT.format(count=len(firsts), dates=dates))
        lines.append(texts.DUES_WARN_HINT)
        reply = Reply("\n".join(lines))
        for leader in leaders.get(cells[member_id], []):
            if leader.member_id == member_id:
                continue
            messages.append(
                NewMessage(
                    dedupe_key=f"dues:{member_id}:{year}:warn:{level}:to:{leader.member_id}",
                    channel=leader.channel,
                    chat_id=leader.chat_id,
                    reply=reply,
                    member_id=leader.member_id,
                )
            )
    return messages


async def remind(ctx: Ctx, now: datetime) -> int:
    """The monthly reminder for the cells that turned it on; returns how many were queued."""
    cfg = ctx.config.dues
    local = now.astimezone(ctx.config.general.tz)
    if local.day < cfg.reminder_day or (
        local.day == cfg.reminder_day and local.time() < parse_time(cfg.reminder_time)
    ):
        return 0
    store = ctx.dues_reminders
    period = dc.current_period(ctx)
    units = await store.reminder_units()
    runs = {u: f"remind:{period}:{u}" for u in units}
    done = await store.runs_done(list(runs.values()))
    queued = 0
    for unit_id in units:
        if runs[unit_id] in done:
            continue
        queued += await store.finish_run(runs[unit_id], await _reminders(ctx, unit_id, period), now)
    return queued


async def _reminders(ctx: Ctx, unit_id: int, period: str) -> list[NewMessage]:
    store = ctx.dues
    contacts = (await ctx.members.contacts([unit_id])).get(unit_id, [])
    ids = [c.member_id for c in contacts]
    histories = await store.histories(ids)
    paid = {p.member_id for p in await store.payments(ids, [period])}
    excused = await store.excused(ids, [period])
    messages = []
    for contact in contacts:
        due = due_in(histories.get(contact.member_id, []), period)
        if due is None or due.amount <= 0 or contact.member_id in paid:
            continue
        if (contact.member_id, period) in excused:
            continue
        text = texts.DUES_REMINDER.format(month=dc.label(period), amount=format_money(due.amount))
        messages.append(
            NewMessage(
                dedupe_key=f"dues:remind:{period}:{contact.member_id}",
                channel=contact.channel,
                chat_id=contact.chat_id,
                reply=Reply(text),
                member_id=contact.member_id,
            )
        )
    return messages
