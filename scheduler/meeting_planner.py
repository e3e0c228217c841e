"""The meeting planner: materialise monthly meetings, queue reminders and attendance prompts.

Everything is derived from the database and `ctx.now()`. A reminder round (one offset of one
version of one meeting) is recorded in the same transaction as its outbox rows, and every row
has a dedupe key, so running twice, late, or after a crash queues nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import texts
from bot.core.schedule_rules import Offset, Rule, RuleError, parse_offset
from bot.core.types import SLOT, Option, Reply, ReplyTemplate, text_reply_json
from handlers import attendance, meetings
from handlers import meeting_common as mc
from handlers.context import Ctx
from scheduler.write_behind import WriteBehind
from storage.meetings import Meeting
from storage.members import Contact
from storage.outbox import CellFanout, NewMessage, Row

logger = logging.getLogger(__name__)

# Meetings handled per transaction: bounds memory on a province-sized roster.
CHUNK = 100
# Secretaries are asked for attendance of meetings that started up to this long ago.
PROMPT_WINDOW = timedelta(days=7)


@dataclass
class PlanStats:
    created: int = 0
    queued: int = 0
    prompts: int = 0


async def plan_meetings(ctx: Ctx) -> PlanStats:
    """One planner tick for meetings."""
    now = ctx.now()
    stats = PlanStats()
    stats.created = await materialise(ctx, now)
    stats.queued = await plan_reminders(ctx, now)
    stats.prompts = await plan_attendance_prompts(ctx, now)
    if stats.queued or stats.prompts:
        ctx.wake_outbox()
    return stats


async def regular_due(ctx: Ctx, now: datetime) -> list[list[tuple[int, str, datetime, str]]]:
    """The regular meetings the rules give that are not stored yet, per period: (cell id,
    period, start, place). Reads only: `chibo meetings list` shows them without creating them."""
    store = ctx.meetings
    cal = mc.holidays(ctx)
    rules: dict[tuple[str, str | None], Rule] = {}
    due = []
    for period in mc.periods(ctx, now):
        items = []
        for cell in await store.cells_without(period):
            key = (cell.kind, cell.rule)
            if key not in rules:
                try:
                    rules[key] = mc.rule_of(ctx, cell.kind, cell.rule)
                except RuleError:
                    # A stored rule no longer parses (it was checked when set): use the default.
                    logger.warning("unit %s has an unreadable meeting rule", cell.unit_id)
                    rules[key] = mc.rule_of(ctx, cell.kind, None)
            starts = mc.start_for_period(ctx, rules[key], period, cal)
            if starts <= now:
                continue  # this month's day has passed: nobody was told, so nothing to hold
            place = cell.place or ctx.config.meetings.default_place
            items.append((cell.unit_id, period, starts, place))
        due.append(items)
    return due


async def materialise(ctx: Ctx, now: datetime) -> int:
    """Create each cell's regular meeting for this month and the months ahead, from its rule."""
    store = ctx.meetings
    created = 0
    for items in await regular_due(ctx, now):
        if items:
            created += await store.create_regular(items, now)
    if created:
        logger.info("materialised %d meetings", created)
    return created


def _offsets(ctx: Ctx) -> list[Offset]:
    return [parse_offset(o) for o in ctx.config.meetings.reminders]


async def plan_reminders(ctx: Ctx, now: datetime) -> int:
    """Queue every reminder round that has fallen due; returns the messages queued."""
    offsets = _offsets(ctx)
    if not offsets:
        return 0
    store = ctx.meetings
    lead = max(o.longest_lead for o in offsets)
    meetings = await store.starting_between(now, now + lead)
    skipped = 0
    async with WriteBehind() as writes:
        for i in range(0, len(meetings), CHUNK):
            skipped += await _plan_chunk(ctx, now, meetings[i : i + CHUNK], offsets, writes)
    if writes.total or skipped:
        logger.info("meeting reminders: %d queued, %d rounds skipped", writes.total, skipped)
    return writes.total


async def _plan_chunk(
    ctx: Ctx, now: datetime, meetings: list[Meeting], offsets: list[Offset], writes: WriteBehind
) -> int:
    """Plan one chunk of meetings; its write goes behind the next chunk's reads."""
    cfg = ctx.config.meetings
    store = ctx.meetings
    limits = (timedelta(hours=cfg.grace_hours), timedelta(minutes=cfg.late_after_minutes))
    done = await store.rounds_done([m.id for m in meetings])
    # The first reminder members get carries the duty reminder, whichever round it is (the
    # earliest may have been skipped for a meeting added or moved at short notice).
    reminded = await store.reminded([m.id for m in meetings])
    rounds: list[tuple[int, int, str, str]] = []
    due: list[tuple[Meeting, Offset, bool, bool]] = []  # meeting, offset, late, first sent
    for meeting in meetings:
        fallen = [
            (o, o.due(meeting.starts_at, mc.tz(ctx)))
            for o in offsets
            if (meeting.id, meeting.version, o.label) not in done
        ]
        fallen = [(o, at) for o, at in fallen if at <= now]
        if not fallen:
            continue
        outcomes, sent = _outcomes(meeting, sorted(fallen, key=lambda pair: pair[1]), now, limits)
        rounds.extend((meeting.id, meeting.version, label, outcome) for label, outcome in outcomes)
        if sent is not None:
            offset, late = sent
            due.append((meeting, offset, late, meeting.id not in reminded))
    if not rounds:
        return 0
    cells, rows = await _reminders(ctx, now, due) if due else ([], [])
    await writes.submit(store.record_rounds(rounds, rows, now, cells))
    return sum(1 for r in rounds if r[3] == "skipped")


def _outcomes(
    meeting: Meeting,
    fallen: list[tuple[Offset, datetime]],
    now: datetime,
    limits: tuple[timedelta, timedelta],
) -> tuple[list[tuple[str, str]], tuple[Offset, bool] | None]:
    """What to do with the rounds of one meeting that have fallen due, oldest first:
    (label, outcome) for each, and the round to send (with whether it is late), if any.

    Only real downtime makes a reminder late. A round whose time had passed before the meeting
    existed in its present form (added or moved at short notice) was not missed: when members
    were told by an announcement or a change notice, it is skipped; a regular meeting nobody
    was told about yet gets it as an ordinary reminder.
    """
    grace, late_after = limits
    since = meeting.since or now
    outcomes: list[tuple[str, str]] = []
    if meeting.kind == "thematic" or meeting.version > 1:
        outcomes = [(o.label, "skipped") for o, at in fallen if at < since]
        fallen = [(o, at) for o, at in fallen if at >= since]
        if not fallen:
            return outcomes, None
    # After downtime several rounds may be due at once: only the latest one is worth sending.
    outcomes += [(o.label, "skipped") for o, _ in fallen[:-1]]
    offset, at = fallen[-1]
    behind = now - max(at, since)
    if behind > grace:
        return [*outcomes, (offset.label, "skipped")], None
    late = behind > late_after
    return [*outcomes, (offset.label, "late" if late else "queued")], (offset, late)


async def _reminders(
    ctx: Ctx, now: datetime, due: list[tuple[Meeting, Offset, bool, bool]]
) -> tuple[list[CellFanout], list[Row]]:
    """The reminders of the due rounds: one per linked member (and observer).

    Members who have not answered (nearly everyone) get one serialised reply per meeting,
    fanned out in SQL; those who answered, the duty reminders and observers go row by row.
    """
    unit_ids = sorted({m.unit_id for m, *_ in due})
    names = await ctx.units.unit_names(unit_ids)
    observers = await ctx.members.observers(unit_ids)
    answers = await ctx.attendance.answers_for([m.id for m, *_ in due])
    scopes = await mc.scopes(ctx, [m for m, *_ in due])
    guests = {g for scope in scopes.values() for g in scope.guests}
    year, start, end = mc.year_bounds(ctx, now)
    absences = await ctx.attendance.absent_in_units(unit_ids, start, end)
    missed = {
        m: months for m, dates in absences.items() if len(months := mc.months_of(ctx, dates)) >= 2
    }
    contacts = await ctx.members.contacts_of({m for _, m in answers} | set(missed) | guests)
    cells: list[CellFanout] = []
    rows: list[Row] = []
    for meeting, offset, late, first in due:
        scope = scopes[meeting.id]
        text_block = mc.block(ctx, meeting, names.get(meeting.unit_id, ""))
        prefix = texts.REMINDER_LATE if late else ""
        batch = f"meeting:{meeting.id}"
        tag = f"remind:{offset.label}"
        answered = {m: a for (mid, m), a in answers.items() if mid == meeting.id}
        cells.append(
            CellFanout(
                meeting.unit_id,
                (f"{meeting.key}member:", f":{tag}"),
                _reminder(prefix, text_block, mc.status_line(None), meeting.id).pieces,
                batch,
                exclude=tuple(sorted(set(answered) | scope.excluded())),
            )
        )
        # Those who answered and the guests from other cells, row by row; nobody on leave or
        # attending elsewhere, and nobody excused (reminding them again would only nag).
        individual = [m for m in answered if m not in scope.excluded()]
        individual += [g for g in scope.guests if g not in answered]
        for member_id in individual:
            c = contacts.get(member_id)
            answer = answered.get(member_id)
            if c is None or (answer is not None and answer.answer == "excused"):
                continue
            template = _reminder(prefix, text_block, mc.status_line(answer), meeting.id)
            rows.append(_row(meeting, c, tag, template.fill(member_id), batch))
        for member_id, months in missed.items():
            c = contacts.get(member_id)
            excused = member_id in answered and answered[member_id].answer == "excused"
            mine = c is not None and c.unit_id == meeting.unit_id
            if (
                first
                and c is not None
                and mine
                and not excused
                and member_id not in scope.excluded()
            ):
                duty = texts.DUTY_REMINDER.format(name=c.full_name, year=year, count=len(months))
                rows.append(_row(meeting, c, "duty", text_reply_json(duty), batch))
        observer_body = text_reply_json(prefix + texts.REMINDER_OBSERVER.format(block=text_block))
        for o in observers.get(meeting.unit_id, []):
            rows.append(_row(meeting, o, tag, observer_body, batch))
    return cells, rows


def _reminder(prefix: str, block: str, status: str, meeting_id: int) -> ReplyTemplate:
    text = prefix + texts.REMINDER.format(block=block, status=status)
    return ReplyTemplate(text, meetings.answer_options(meeting_id, SLOT))


def _row(meeting: Meeting, c: Contact, tag: str, body: str, batch: str) -> Row:
    return Row(
        f"{meeting.key}member:{c.member_id}:{tag}", c.channel, c.chat_id, c.member_id, batch, body
    )


def _msg(meeting: Meeting, c: Contact, tag: str, reply: Reply, batch: str) -> NewMessage:
    return NewMessage(
        dedupe_key=f"{meeting.key}member:{c.member_id}:{tag}",
        channel=c.channel,
        chat_id=c.chat_id,
        reply=reply,
        member_id=c.member_id,
        batch=batch,
    )


async def plan_attendance_prompts(ctx: Ctx, now: datetime) -> int:
    """Ask the secretaries to record attendance once a meeting is over."""
    store = ctx.meetings
    after = timedelta(minutes=ctx.config.meetings.attendance_prompt_after_minutes)
    meetings = await store.awaiting_attendance(now - PROMPT_WINDOW, now - after)
    if not meetings:
        return 0
    done = await store.rounds_done([m.id for m in meetings])
    meetings = [m for m in meetings if (m.id, m.version, "attendance") not in done]
    if not meetings:
        return 0
    unit_ids = sorted({m.unit_id for m in meetings})
    names = await ctx.units.unit_names(unit_ids)
    leaders = await ctx.members.leaders(unit_ids)
    messages = []
    for m in meetings:
        reply = Reply(
            texts.ATTENDANCE_PROMPT.format(
                when=mc.when(ctx, m.starts_at), unit=names.get(m.unit_id, "")
            ),
            options=((Option(texts.ATTENDANCE_OPEN, attendance.BUTTONS.payload("o", m.id)),),),
        )
        for leader in leaders.get(m.unit_id, []):
            messages.append(_msg(m, leader, "attendance", reply, f"meeting:{m.id}"))
    return await store.record_rounds(
        [(m.id, m.version, "attendance", "queued") for m in meetings], messages, now
    )
