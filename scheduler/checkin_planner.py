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

from bot import texts
from bot.core import Reply, split_text
from bot.schedule_rules import Offset, parse_offset, parse_time
from handlers.checkin import in_quiet_hours, quiet_until, status_options, status_text, when
from handlers.context import Ctx
from handlers.tasks import repo
from storage.meetings import Contact, MeetingRepo
from storage.outbox import NewMessage
from storage.tasks import CheckinAnswer, Round, Task

logger = logging.getLogger(__name__)

# Rounds handled per transaction of steps: bounds memory on a province-sized roster.
CHUNK = 200
DIGEST_PART = 3500


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
    cfg = ctx.config.checkins
    tz = ctx.config.general.tz
    day = closes.astimezone(tz).date() - timedelta(days=cfg.days_before)
    opening = datetime.combine(day, parse_time(cfg.open_at), tzinfo=tz).astimezone(UTC)
    return min(opening, closes)


async def plan_checkins(ctx: Ctx) -> CheckinStats:
    """One planner tick for check-ins."""
    now = ctx.now()
    stats = CheckinStats()
    stats.rounds, stats.prompts = await open_rounds(ctx, now)
    stats.nudges, stats.digests = await plan_steps(ctx, now)
    if stats.prompts or stats.nudges or stats.digests:
        ctx.wake_outbox()
    return stats


async def open_rounds(ctx: Ctx, now: datetime) -> tuple[int, int]:
    """Open the round of every cell with open tasks whose opening time has come."""
    store = repo(ctx)
    unit_ids = await store.units_with_open_tasks()
    if not unit_ids:
        return 0, 0
    this = _period_of(ctx, now)
    local = now.astimezone(ctx.config.general.tz)
    nxt = f"{local.year + (local.month == 12):04d}-{local.month % 12 + 1:02d}"
    meetings = await store.regular_meetings(unit_ids, [this, nxt])
    items: list[tuple[int, str, int | None, datetime, datetime]] = []
    for period in (this, nxt):
        have = await store.units_with_round(period)
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
        return 0, 0
    created = await store.open_rounds_bulk(items, now)
    prompts = 0
    for i in range(0, len(created), CHUNK):
        prompts += await _prompts(ctx, now, created[i : i + CHUNK])
    if created:
        logger.info("check-in rounds opened: %d, prompts queued: %d", len(created), prompts)
    return len(created), prompts


async def _prompts(ctx: Ctx, now: datetime, rounds: list[Round]) -> int:
    store = repo(ctx)
    unit_ids = sorted({r.unit_id for r in rounds})
    assignments = await store.open_assignments(unit_ids)
    contacts = await MeetingRepo(ctx.db).contacts(unit_ids)
    messages = []
    # A round opened late at night (after downtime) prompts in the morning.
    later = quiet_until(ctx, now) if in_quiet_hours(ctx, now) else None
    for rnd in rounds:
        tasks_of = assignments.get(rnd.unit_id, {})
        for c in _first_contacts(contacts.get(rnd.unit_id, [])):
            tasks = tasks_of.get(c.member_id)
            if not tasks:
                continue
            reply = _with_header(
                _render(ctx, rnd, tasks, {}, c.member_id),
                texts.CHECKIN_PROMPT.format(name=c.full_name),
            )
            messages.append(_msg(rnd, c, "prompt", reply, later))
    return await store.queue(messages, now)


def _first_contacts(contacts: list[Contact]) -> list[Contact]:
    """One contact per member (the repository lists the preferred account first)."""
    seen: set[int] = set()
    found = []
    for c in contacts:
        if c.member_id not in seen:
            seen.add(c.member_id)
            found.append(c)
    return found


def _with_header(reply: Reply, header: str) -> Reply:
    return Reply(header + "\n\n" + reply.text, options=reply.options)


def _render(
    ctx: Ctx,
    rnd: Round,
    tasks: list[Task],
    answers: dict[tuple[int, int, int], CheckinAnswer],
    member_id: int,
) -> Reply:
    """The same message as `flow_reply`, built from rows already read (no query per member)."""
    lines = []
    first: tuple[int, Task] | None = None
    for n, task in enumerate(tasks, 1):
        answer = answers.get((rnd.id, member_id, task.id))
        lines.append(texts.CHECKIN_LINE.format(n=n, body=task.body, status=status_text(answer)))
        if answer is None and first is None:
            first = (n, task)
    text = texts.CHECKIN_LIST.format(when=when(ctx, rnd), lines="\n".join(lines))
    if first is None:
        return Reply(text)
    n, task = first
    text += "\n\n" + texts.CHECKIN_ASK.format(n=n, body=task.body)
    return Reply(text, options=status_options(rnd.id, task.id))


def _msg(
    rnd: Round, c: Contact, tag: str, reply: Reply, not_before: datetime | None = None
) -> NewMessage:
    return NewMessage(
        dedupe_key=f"checkin:{rnd.id}:{c.member_id}:{tag}",
        channel=c.channel,
        chat_id=c.chat_id,
        reply=reply,
        member_id=c.member_id,
        batch=f"checkin:{rnd.id}",
        not_before=not_before,
    )


def _offsets(ctx: Ctx) -> list[Offset]:
    return [parse_offset(o) for o in ctx.config.checkins.nudges]


async def plan_steps(ctx: Ctx, now: datetime) -> tuple[int, int]:
    """Nudges and digests of every open round that have fallen due (never in quiet hours)."""
    if in_quiet_hours(ctx, now):
        return 0, 0
    store = repo(ctx)
    rounds = await store.open_rounds(now)
    nudges = digests = 0
    for i in range(0, len(rounds), CHUNK):
        n, d = await _steps_chunk(ctx, now, rounds[i : i + CHUNK])
        nudges += n
        digests += d
    return nudges, digests


async def _steps_chunk(ctx: Ctx, now: datetime, rounds: list[Round]) -> tuple[int, int]:
    store = repo(ctx)
    tz = ctx.config.general.tz
    done = await store.steps_done([r.id for r in rounds])
    digest = parse_offset(ctx.config.checkins.digest)
    steps: list[tuple[int, str]] = []
    nudge_due: list[tuple[Round, str]] = []
    digest_due: list[Round] = []
    for rnd in rounds:
        fallen = sorted(
            (o.due(rnd.closes_at, tz), o.label)
            for o in _offsets(ctx)
            if (rnd.id, f"nudge:{o.label}") not in done and o.due(rnd.closes_at, tz) <= now
        )
        # After downtime (or quiet hours) several nudges may be due: send only the latest.
        for _, label in fallen:
            steps.append((rnd.id, f"nudge:{label}"))
        if fallen:
            nudge_due.append((rnd, fallen[-1][1]))
        if (rnd.id, "digest") not in done and digest.due(rnd.closes_at, tz) <= now:
            steps.append((rnd.id, "digest"))
            digest_due.append(rnd)
    if not steps:
        return 0, 0
    unit_ids = sorted({r.unit_id for r in rounds})
    assignments = await store.open_assignments(unit_ids)
    answers = await store.current_answers([r.id for r in rounds])
    excused = await store.excused([r.id for r in rounds])
    meetings = MeetingRepo(ctx.db)
    contacts = await meetings.contacts(unit_ids)
    messages: list[NewMessage] = []
    for rnd, label in nudge_due:
        for c in _first_contacts(contacts.get(rnd.unit_id, [])):
            tasks = assignments.get(rnd.unit_id, {}).get(c.member_id)
            if not tasks or (rnd.id, c.member_id) in excused:
                continue
            if all((rnd.id, c.member_id, t.id) in answers for t in tasks):
                continue
            reply = _with_header(
                _render(ctx, rnd, tasks, answers, c.member_id),
                texts.CHECKIN_NUDGE.format(when=when(ctx, rnd)),
            )
            messages.append(_msg(rnd, c, f"nudge:{label}", reply))
    nudges = len(messages)
    if digest_due:
        leaders = await meetings.leaders(unit_ids)
        names = await meetings.unit_names(unit_ids)
        people = await store.member_names(unit_ids)
        for rnd in digest_due:
            parts = digest_parts(
                ctx,
                rnd,
                names.get(rnd.unit_id, ""),
                assignments.get(rnd.unit_id, {}),
                answers,
                excused,
                people,
            )
            for c in _first_contacts(leaders.get(rnd.unit_id, [])):
                for k, part in enumerate(parts, 1):
                    messages.append(_msg(rnd, c, f"digest:{k}", Reply(part)))
    await store.record_steps(steps, messages, now)
    return nudges, len(messages) - nudges


def digest_parts(
    ctx: Ctx,
    rnd: Round,
    unit_name: str,
    tasks_of: dict[int, list[Task]],
    answers: dict[tuple[int, int, int], CheckinAnswer],
    excused: set[tuple[int, int]],
    people: dict[int, str],
) -> list[str]:
    """The digest the meeting reviews: per member, each task with its status and note."""
    from bot.textnorm import vi_sort_key

    blocks = [texts.DIGEST_HEADER.format(unit=unit_name, when=when(ctx, rnd))]
    members = sorted(tasks_of, key=lambda m: vi_sort_key(people.get(m, "")))
    for member_id in members:
        name = people.get(member_id, "")
        if (rnd.id, member_id) in excused:
            blocks.append(texts.DIGEST_MEMBER_EXCUSED.format(name=name))
            continue
        lines = [texts.DIGEST_MEMBER.format(name=name)]
        for n, task in enumerate(tasks_of[member_id], 1):
            answer = answers.get((rnd.id, member_id, task.id))
            lines.append(texts.CHECKIN_LINE.format(n=n, body=task.body, status=status_text(answer)))
        blocks.append("\n".join(lines))
    return split_text("\n\n".join(blocks), DIGEST_PART)
