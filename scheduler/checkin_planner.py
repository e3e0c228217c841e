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
from bot.core import SLOT, OptionsTemplate, split_text, text_reply_json
from bot.schedule_rules import Offset, parse_offset, parse_time
from handlers.checkin import in_quiet_hours, status_options, status_text, when
from handlers.context import Ctx
from handlers.tasks import repo
from scheduler.write_behind import WriteBehind
from storage.meetings import Contact, MeetingRepo
from storage.outbox import Row
from storage.tasks import Assigned, CheckinAnswer, Round

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
    store = repo(ctx)
    unit_ids = await store.units_with_open_tasks()
    if not unit_ids:
        return 0
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
        return 0
    created = await store.open_rounds_bulk(items, now)
    if created:
        logger.info("check-in rounds opened: %d", created)
    return created


class _RoundView:
    """A round's prompts and nudges: what is the same for every member is formatted once.

    The message is `handlers.checkin.flow_reply`'s, built from rows already read (no query per
    member) and serialised straight to the outbox form.
    """

    def __init__(self, ctx: Ctx, rnd: Round) -> None:
        self.rnd = rnd
        self.when = when(ctx, rnd)
        self.ask = OptionsTemplate(status_options(rnd.id, SLOT))

    def body(
        self,
        header: str,
        tasks: list[Assigned],
        answers: dict[tuple[int, int, int], CheckinAnswer],
        member_id: int,
    ) -> str:
        lines = []
        first: tuple[int, Assigned] | None = None
        for n, task in enumerate(tasks, 1):
            answer = answers.get((self.rnd.id, member_id, task.id))
            lines.append(texts.CHECKIN_LINE.format(n=n, body=task.body, status=status_text(answer)))
            if answer is None and first is None:
                first = (n, task)
        text = header + "\n\n" + texts.CHECKIN_LIST.format(when=self.when, lines="\n".join(lines))
        if first is None:
            return text_reply_json(text)
        n, task = first
        text += "\n\n" + texts.CHECKIN_ASK.format(n=n, body=task.body)
        return text_reply_json(text, self.ask.fill(task.id))

    def row(self, c: Contact, tag: str, body: str) -> Row:
        return Row(
            f"checkin:{self.rnd.id}:{c.member_id}:{tag}",
            c.channel,
            c.chat_id,
            c.member_id,
            f"checkin:{self.rnd.id}",
            body,
        )


def _offsets(ctx: Ctx) -> list[Offset]:
    return [parse_offset(o) for o in ctx.config.checkins.nudges]


async def plan_steps(ctx: Ctx, now: datetime) -> tuple[int, int, int]:
    """Prompts, nudges and digests of every open round that have fallen due.

    Never in quiet hours: a round that opens at night prompts in the morning. Returns the
    prompts, nudges and digest messages queued.
    """
    if in_quiet_hours(ctx, now):
        return 0, 0, 0
    rounds = await repo(ctx).open_rounds(now)
    counts = [0, 0, 0]
    async with WriteBehind() as writes:
        for i in range(0, len(rounds), CHUNK):
            await _steps_chunk(ctx, now, rounds[i : i + CHUNK], writes, counts)
    return counts[0], counts[1], counts[2]


async def _steps_chunk(
    ctx: Ctx, now: datetime, rounds: list[Round], writes: WriteBehind, counts: list[int]
) -> None:
    store = repo(ctx)
    tz = ctx.config.general.tz
    done = await store.steps_done([r.id for r in rounds])
    digest = parse_offset(ctx.config.checkins.digest)
    steps: list[tuple[int, str]] = []
    prompt_due: list[Round] = []
    nudge_due: list[tuple[Round, str]] = []
    digest_due: list[Round] = []
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
            prompt_due.append(rnd)
        elif fallen:
            nudge_due.append((rnd, fallen[-1][1]))
        if (rnd.id, "digest") not in done and digest.due(rnd.closes_at, tz) <= now:
            steps.append((rnd.id, "digest"))
            digest_due.append(rnd)
    if not steps:
        return
    unit_ids = sorted({r.unit_id for r in rounds})
    assignments = await store.open_assignments(unit_ids)
    answers = await store.current_answers([r.id for r in rounds])
    excused = await store.excused([r.id for r in rounds])
    meetings = MeetingRepo(ctx.db)
    contacts = await meetings.contacts(unit_ids)
    rows: list[Row] = []
    for rnd in prompt_due:
        view = _RoundView(ctx, rnd)
        tasks_of = assignments.get(rnd.unit_id, {})
        for c in contacts.get(rnd.unit_id, []):
            tasks = tasks_of.get(c.member_id)
            if tasks and (rnd.id, c.member_id) not in excused:
                header = texts.CHECKIN_PROMPT.format(name=c.full_name)
                rows.append(view.row(c, "prompt", view.body(header, tasks, answers, c.member_id)))
    prompts = len(rows)
    for rnd, label in nudge_due:
        view = _RoundView(ctx, rnd)
        header = texts.CHECKIN_NUDGE.format(when=view.when)
        tasks_of = assignments.get(rnd.unit_id, {})
        for c in contacts.get(rnd.unit_id, []):
            tasks = tasks_of.get(c.member_id)
            if not tasks or (rnd.id, c.member_id) in excused:
                continue
            if all((rnd.id, c.member_id, t.id) in answers for t in tasks):
                continue
            body = view.body(header, tasks, answers, c.member_id)
            rows.append(view.row(c, f"nudge:{label}", body))
    nudges = len(rows) - prompts
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
            view = _RoundView(ctx, rnd)
            for c in leaders.get(rnd.unit_id, []):
                for k, part in enumerate(parts, 1):
                    rows.append(view.row(c, f"digest:{k}", text_reply_json(part)))
    await writes.submit(store.record_steps(steps, rows, now))
    counts[0] += prompts
    counts[1] += nudges
    counts[2] += len(rows) - prompts - nudges


def digest_parts(
    ctx: Ctx,
    rnd: Round,
    unit_name: str,
    tasks_of: dict[int, list[Assigned]],
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
