"""The check-in planner: open rounds before each monthly meeting, prompt, nudge, send the digest.

Derived from the database and `ctx.now()`: a round exists once per cell and month (unique), a
step (nudge, digest) is recorded with its outbox rows in one transaction, and every row has a
dedupe key (`checkin:<round>:<member>:prompt`, ...), so a tick may run twice, late or after a
crash without sending anything twice.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.core.schedule_rules import Offset, parse_offset, parse_time
from handlers.checkin_common import in_quiet_hours, marker
from handlers.context import Ctx
from scheduler.write_behind import WriteBehind
from storage.checkins import CheckinRepo, Round, StepFanout

logger = logging.getLogger(__name__)

# Rounds handled per transaction of steps: bounds memory on a province-sized roster.
CHUNK = 200


@dataclass
class CheckinStats:
    rounds: int = 0
    prompts: int = 0
    nudges: int = 0
    digests: int = 0


def _period_of(ctx: Ctx, moment: datetime) -> str:
    local = moment.astimezone(ctx.config.general.tz)
    return f"{local.year:04d}-{local.month:02d}"


def _fallback_start(ctx: Ctx, period: str) -> datetime:
    cfg = ctx.config.checkins
    year, month = (int(p) for p in period.split("-"))
    day = min(cfg.fallback_day, calendar.monthrange(year, month)[1])
    at = parse_time(cfg.fallback_time)
    return datetime.combine(date(year, month, day), at, tzinfo=ctx.config.general.tz).astimezone(
        UTC
    )


def opens_at(ctx: Ctx, closes: datetime) -> datetime:
    """When a round closing at `closes` opens: the configured days before, at the configured hour."""
    cfg = ctx.config.checkins
    tz = ctx.config.general.tz
    day = closes.astimezone(tz).date() - timedelta(days=cfg.days_before)
    opening = datetime.combine(day, parse_time(cfg.open_at), tzinfo=tz).astimezone(UTC)
    return min(opening, closes)


async def plan_checkins(ctx: Ctx) -> CheckinStats:
    """One planner tick for check-ins."""
    now = ctx.now()
    stats = CheckinStats()
    stats.rounds = await open_rounds(ctx, now)
    stats.prompts, stats.nudges, stats.digests = await plan_steps(ctx, now)
    if stats.prompts or stats.nudges or stats.digests:
        ctx.wake_outbox()
    return stats


async def open_rounds(ctx: Ctx, now: datetime) -> int:
    """Open the round of every cell with open tasks whose opening time has come.

    The prompts are a step of the round (`plan_steps`), queued with their record in one
    transaction, so a crash between opening a round and prompting loses nothing.
    """
    store = ctx.tasks
    unit_ids = await store.units_with_open_tasks()
    if not unit_ids:
        return 0
    this = _period_of(ctx, now)
    local = now.astimezone(ctx.config.general.tz)
    nxt = f"{local.year + (local.month == 12):04d}-{local.month % 12 + 1:02d}"
    meetings = await ctx.checkins.regular_meetings(unit_ids, [this, nxt])
    items: list[tuple[int, str, int | None, datetime, datetime]] = []
    for period in (this, nxt):
        have = await ctx.checkins.units_with_round(period)
        for unit_id in unit_ids:
            if unit_id in have:
                continue
            meeting = meetings.get((unit_id, period))
            if meeting is not None and meeting[2] != "scheduled":
                continue  # the month's meeting was cancelled: nothing to report to
            closes = meeting[1] if meeting is not None else _fallback_start(ctx, period)
            if opens_at(ctx, closes) <= now < closes:
                items.append(
                    (
                        unit_id,
                        period,
                        meeting[0] if meeting else None,
                        opens_at(ctx, closes),
                        closes,
                    )
                )
    if not items:
        return 0
    created = await ctx.checkins.open_rounds_bulk(items, now)
    if created:
        logger.info("check-in rounds opened: %d", created)
    return created


def _offsets(ctx: Ctx) -> list[Offset]:
    return [parse_offset(o) for o in ctx.config.checkins.nudges]


async def plan_steps(ctx: Ctx, now: datetime) -> tuple[int, int, int]:
    """Prompts, nudges and digests of every open round that have fallen due.

    Never in quiet hours: a round that opens at night prompts in the morning. Each message is
    queued as a marker (`handlers.checkin_common.marker`) and written when it is sent, so a nudge
    sent late never asks for what was answered meanwhile. Returns the prompts, nudges and
    digest messages queued.
    """
    if in_quiet_hours(ctx, now):
        return 0, 0, 0
    rounds = await ctx.checkins.open_rounds(now)
    counts = [0, 0, 0]
    async with WriteBehind() as writes:
        for i in range(0, len(rounds), CHUNK):
            await _steps_chunk(ctx, now, rounds[i : i + CHUNK], writes, counts)
    return counts[0], counts[1], counts[2]


async def _steps_chunk(
    ctx: Ctx, now: datetime, rounds: list[Round], writes: WriteBehind, counts: list[int]
) -> None:
    tz = ctx.config.general.tz
    done = await ctx.checkins.steps_done([r.id for r in rounds])
    digest = parse_offset(ctx.config.checkins.digest)
    steps: list[tuple[int, str]] = []
    due: list[tuple[Round, str]] = []
    for rnd in rounds:
        fallen = sorted(
            (o.due(rnd.closes_at, tz), o.label)
            for o in _offsets(ctx)
            if (rnd.id, f"nudge:{o.label}") not in done and o.due(rnd.closes_at, tz) <= now
        )
        # After downtime (or quiet hours) several nudges may be due: send only the latest,
        # and none with the prompt itself.
        for _, label in fallen:
            steps.append((rnd.id, f"nudge:{label}"))
        if (rnd.id, "prompt") not in done:
            steps.append((rnd.id, "prompt"))
            due.append((rnd, "prompt"))
        elif fallen:
            due.append((rnd, f"nudge:{fallen[-1][1]}"))
        if (rnd.id, "digest") not in done and digest.due(rnd.closes_at, tz) <= now:
            steps.append((rnd.id, "digest"))
            due.append((rnd, "digest"))
    if not steps:
        return
    excused = await ctx.checkins.excused([r.id for r in rounds])
    fanouts = [
        StepFanout(
            rnd.id,
            rnd.unit_id,
            step,
            marker(rnd, step.split(":", 1)[0]).to_json(),
            () if step == "digest" else tuple(m for r, m in excused if r == rnd.id),
        )
        for rnd, step in due
    ]
    await writes.submit(_record(ctx.checkins, steps, fanouts, now, counts))


async def _record(
    store: CheckinRepo,
    steps: list[tuple[int, str]],
    fanouts: list[StepFanout],
    now: datetime,
    counts: list[int],
) -> int:
    queued = await store.record_steps(steps, fanouts, now)
    for i, n in enumerate(queued):
        counts[i] += n
    return sum(queued)
