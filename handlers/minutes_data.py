"""The facts of one meeting's minutes and resolution, read from the same repositories the chats
use, as a plain structure (`MinutesData`); rendering it into a .docx is `handlers.docx_render`'s job."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, timedelta

from bot.core import texts
from bot.core.textnorm import vi_sort_key
from handlers import meeting_common as mc
from handlers import papers
from handlers.context import Ctx
from handlers.minutes_model import CheckinLine, Excused, MinutesData, TaskLine, Totals, Vote
from storage.attendance import Answer
from storage.checkins import CheckinAnswer, Round
from storage.meetings import Meeting
from storage.members import Member
from storage.minutes import BulletinReads, MinutesExtras
from storage.tasks import Task

# The bulletin of the month: the latest one sent to the cell within this long before the meeting.
BULLETIN_WINDOW = timedelta(days=40)


@dataclass(frozen=True)
class _Attendance:
    present: list[Member]
    excused: list[tuple[Member, str]]
    absent: list[Member]
    exempt: list[Member]


def _marks(
    members: list[Member], saved: dict[int, str], answers: dict[int, Answer]
) -> dict[int, str]:
    """present | excused | absent per member: the saved attendance, else the answers given."""
    if saved:
        return {m.id: saved.get(m.id, "absent") for m in members}
    return {
        m.id: "excused"
        if (a := answers.get(m.id)) is not None and a.answer == "excused"
        else "present"
        for m in members
    }


def _attendance(
    members: list[Member],
    categories: dict[int, str],
    marks: dict[int, str],
    answers: dict[int, Answer],
    leave: frozenset[int] = frozenset(),
) -> _Attendance:
    out = _Attendance([], [], [], [])
    for m in members:
        if categories.get(m.id) == "exempt":
            out.exempt.append(m)
        elif marks[m.id] == "present":
            out.present.append(m)
        elif marks[m.id] == "excused":
            answer = answers.get(m.id)
            reason = answer.reason if answer is not None and answer.reason else ""
            if not reason and m.id in leave:
                reason = texts.LEAVE_REASON  # standing leave (/nghiphep)
            out.excused.append((m, reason or texts.MINUTES_NO_REASON))
        else:
            out.absent.append(m)
    return out


def _totals(
    members: list[Member], categories: dict[int, str], seen: _Attendance, guests: int = 0
) -> Totals:
    """Counts by category and attendance. A member of another organisation attending here
    (category 'attached') counts as full or probationary by their status, and as attached."""
    counts = list(categories.values())
    here = [m for m in members if categories.get(m.id) == "attached"]
    official = sum(1 for m in here if m.status == "official")
    return Totals(
        total=len(counts),
        full=counts.count("full") + official,
        probationary=counts.count("probationary") + len(here) - official,
        exempt=counts.count("exempt"),
        # Members of other cells attending here for a while (sinh hoạt tạm thời), in the total.
        attached=guests + len(here),
        required=len(counts) - counts.count("exempt"),
        present=len(seen.present),
        excused=len(seen.excused),
        absent=len(seen.absent),
    )


def _names(ids: tuple[int, ...], names: dict[int, str], cell_size: int) -> str:
    if cell_size and len(ids) >= cell_size > 1:
        return texts.MINUTES_EVERYONE
    return ", ".join(names[i] for i in ids if i in names) or texts.MINUTES_BLANK


def _task_line(task: Task, names: dict[int, str], cell_size: int) -> TaskLine:
    due = ""
    if task.due_on:
        y, m, d = task.due_on.split("-")
        due = f"{d}/{m}/{y}"
    return TaskLine(task.body, _names(task.assignees, names, cell_size), due)


async def _round(ctx: Ctx, meeting: Meeting) -> Round | None:
    if meeting.period is not None and meeting.kind == "regular":
        return await ctx.checkins.round_for(meeting.unit_id, meeting.period)
    return next(
        (r for r in await ctx.checkins.rounds_of(meeting.unit_id) if r.meeting_id == meeting.id),
        None,
    )


async def _checkins(
    ctx: Ctx, meeting: Meeting, tasks: dict[int, Task], names: dict[int, str]
) -> tuple[list[CheckinLine], dict[str, int]]:
    """Each task's last report per assignee in the round before this meeting; an open task's
    assignee who did not report is listed as such (unless excused from the round)."""
    summary = dict.fromkeys(("done", "doing", "todo", "blocked", "missing"), 0)
    found = await _round(ctx, meeting)
    if found is None:
        return [], summary
    answers: dict[tuple[int, int], CheckinAnswer] = {
        (member, task): a
        for (_, member, task), a in (await ctx.checkins.current_answers([found.id])).items()
    }
    excused = {member for _, member in await ctx.checkins.excused([found.id])}
    lines: list[CheckinLine] = []
    for task in tasks.values():
        if task.created_at >= found.closes_at or task.status == "cancelled":
            continue
        for member in task.assignees:
            if member not in names:
                continue
            answer = answers.get((member, task.id))
            if answer is None and (task.status != "open" or member in excused):
                continue
            status = answer.status if answer is not None else "missing"
            summary[status] += 1
            lines.append(
                CheckinLine(
                    task.body,
                    names[member],
                    texts.MINUTES_CHECKIN_STATUS[status],
                    (answer.note or "") if answer is not None else "",
                )
            )
    return lines, summary


def _assessment(
    period: str,
    totals: Totals,
    summary: dict[str, int],
    checkins: list[CheckinLine],
    bulletin: BulletinReads | None,
) -> list[str]:
    rate = round(100 * totals.present / totals.required) if totals.required else 0
    lines = [
        texts.MINUTES_ASSESS_ATTENDANCE.format(
            period=period,
            present=totals.present,
            required=totals.required,
            rate=rate,
            excused=totals.excused,
            absent=totals.absent,
        )
    ]
    if any(summary.values()):
        lines.append(texts.MINUTES_ASSESS_CHECKINS.format(**summary))
    else:
        lines.append(texts.MINUTES_ASSESS_NONE)
    blocked = texts.MINUTES_CHECKIN_STATUS["blocked"]
    lines.extend(
        texts.MINUTES_ASSESS_BLOCKED.format(
            task=c.task, member=c.member, note=f": {c.note}" if c.note else ""
        )
        for c in checkins
        if c.status == blocked
    )
    if bulletin is not None:
        lines.append(
            texts.MINUTES_ASSESS_BULLETIN.format(
                issue=bulletin.issue, read=bulletin.read, total=bulletin.total
            )
        )
    return lines


def _guests(
    answers: dict[int, Answer],
    names: dict[int, str],
    people: dict[int, str],
    extras: MinutesExtras | None,
) -> list[str]:
    """Observers the secretary marked as guests, and any who said they would attend."""
    ids = set(extras.guest_ids if extras else ())
    ids |= {m for m, a in answers.items() if m not in names and a.answer == "attend"}
    return sorted((people[m] for m in ids if m in people and m not in names), key=vi_sort_key)


def _vote(extras: MinutesExtras | None) -> Vote:
    def shown(value: int | None) -> str:
        return texts.MINUTES_BLANK if value is None else str(value)

    if extras is None:
        return Vote(texts.MINUTES_BLANK, texts.MINUTES_BLANK, texts.MINUTES_BLANK)
    return Vote(shown(extras.vote_for), shown(extras.vote_against), shown(extras.vote_abstain))


async def chair_and_clerk(
    ctx: Ctx, meeting: Meeting, extras: MinutesExtras | None
) -> tuple[int | None, int | None, int | None]:
    """The chosen chair and minute-taker, else the secretary and the deputy; and the secretary
    (who signs the resolution for the cell)."""
    secretaries = await ctx.members.holders(meeting.unit_id, ("secretary",))
    deputies = await ctx.members.holders(meeting.unit_id, ("deputy",))
    chair = extras.chair_id if extras and extras.chair_id else None
    clerk = extras.clerk_id if extras and extras.clerk_id else None
    if chair is None and secretaries:
        chair = secretaries[0].id
    if clerk is None:
        clerk = next((d.id for d in deputies if d.id != chair), None)
    return chair, clerk, secretaries[0].id if secretaries else chair


def _dates(ctx: Ctx, meeting: Meeting) -> dict[str, str]:
    local = meeting.starts_at.astimezone(mc.tz(ctx))
    year, month = (
        (int(p) for p in meeting.period.split("-")) if meeting.period else (local.year, local.month)
    )
    return {
        "period": texts.MINUTES_PERIOD.format(month=month, year=year),
        "meeting_date": texts.MINUTES_DATE.format(
            day=local.day, month=local.month, year=local.year
        ),
        "start_time": texts.MINUTES_TIME.format(hour=local.hour, minute=local.minute),
        "place_date": texts.MINUTES_PLACE_DATE.format(
            day=local.day, month=local.month, year=local.year
        ),
    }


async def _people(ctx: Ctx, meeting: Meeting) -> tuple[list[Member], dict[int, str], mc.Scope]:
    """The meeting's members with their categories: the cell's, but those attending another
    cell this month (counted there), and members of other cells attending here."""
    store = ctx.papers
    scope = await mc.scope_of(ctx, meeting)
    members = [m for m in await ctx.members.in_unit(meeting.unit_id) if m.id not in scope.away]
    categories = {
        k: v for k, v in (await store.categories(meeting.unit_id)).items() if k not in scope.away
    }
    for guest, home in scope.guests.items():
        member = await ctx.members.get(guest)
        category = (await store.categories(home)).get(guest)
        if category == "attached":
            # Attached at home from elsewhere, and here from home: counted here once.
            category = "full" if member and member.status == "official" else "probationary"
        if member is not None and member.active and category is not None:
            members.append(member)
            categories[guest] = category
    return members, categories, scope


def _person(people: dict[int, str], member_id: int | None) -> str:
    """A chosen person's name in the minutes; the blank to fill in by hand when none."""
    return people.get(member_id, texts.MINUTES_BLANK) if member_id else texts.MINUTES_BLANK


def _conclusions(extras: MinutesExtras | None) -> list[str]:
    """The conclusions typed in /bienban, a line each; the blank when none."""
    lines = [line for line in (extras.conclusions if extras else "").splitlines() if line]
    return lines or [texts.MINUTES_BLANK]


async def _task_lines(
    ctx: Ctx, meeting: Meeting, tasks: dict[int, Task], names: dict[int, str], size: int
) -> tuple[list[TaskLine], list[TaskLine]]:
    """The tasks given from the meeting's day until the next meeting, and those still open;
    a line saying there are none instead of an empty list."""
    next_start = await ctx.papers.next_start(meeting.unit_id, meeting.starts_at)
    local = meeting.starts_at.astimezone(mc.tz(ctx))
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    until = next_start or meeting.starts_at + timedelta(days=31)
    given = [
        _task_line(t, names, size)
        for t in tasks.values()
        if day_start <= t.created_at < until and t.status != "cancelled"
    ]
    still_open = [_task_line(t, names, size) for t in tasks.values() if t.status == "open"]
    none = [TaskLine(texts.MINUTES_NO_TASKS, texts.MINUTES_BLANK, "")]
    return given or none, still_open or none


async def build_minutes(ctx: Ctx, meeting: Meeting) -> MinutesData:
    """The minutes' and resolution's facts for this meeting, as the database has them now."""
    _meetings, store = ctx.meetings, ctx.papers
    unit = await ctx.units.get(meeting.unit_id)
    parent = await ctx.units.get(unit.parent_id) if unit and unit.parent_id else None
    members, categories, scope = await _people(ctx, meeting)
    names = {m.id: m.full_name for m in members}
    answers = await ctx.attendance.answers(meeting.id)
    saved = await ctx.attendance.attendance(meeting.id)
    if saved:
        # A saved sheet lists the meeting as it was: who joined since was not there to count.
        members = [m for m in members if m.id in saved]
        categories = {k: v for k, v in categories.items() if k in saved}
    marks = _marks(members, saved, answers)
    seen = _attendance(members, categories, marks, answers, frozenset(scope.leave))
    totals = _totals(members, categories, seen, len(scope.guests))
    extras = await store.extras(meeting.id)
    chair, clerk, secretary = await chair_and_clerk(ctx, meeting, extras)
    people = {**names, **await store.observer_names(meeting.unit_id)}
    tasks = {t.id: t for t in await ctx.tasks.of_unit(meeting.unit_id, only_open=False)}
    checkins, summary = await _checkins(ctx, meeting, tasks, names)
    next_tasks, open_tasks = await _task_lines(ctx, meeting, tasks, names, len(members))
    bulletin = await store.bulletin_reads(
        meeting.unit_id, meeting.starts_at - BULLETIN_WINDOW, meeting.starts_at
    )
    dates = _dates(ctx, meeting)
    unit_name = unit.name if unit else ""
    level_above = parent.name if parent else ""
    blank = texts.MINUTES_BLANK
    return MinutesData(
        level_above=level_above,
        level_above_upper=level_above.upper(),
        unit_name=unit_name,
        unit_name_upper=unit_name.upper(),
        kind=texts.MINUTES_KINDS[meeting.kind],
        place=meeting.place or blank,
        chair=_person(people, chair),
        clerk=_person(people, clerk),
        signer=_person(people, secretary),
        guests=_guests(answers, names, people, extras),
        totals=totals,
        present=[m.full_name for m in seen.present],
        excused=[Excused(m.full_name, reason) for m, reason in seen.excused],
        absent=[m.full_name for m in seen.absent],
        exempt=[m.full_name for m in seen.exempt],
        agenda=papers.agenda_items(meeting.agenda) or [texts.MINUTES_NO_AGENDA],
        documents=[d.file_name for d in await store.documents(meeting.id)],
        checkins=checkins,
        checkin_summary=summary,
        next_tasks=next_tasks,
        open_tasks=open_tasks,
        bulletin=asdict(bulletin) if bulletin else None,
        assessment=_assessment(dates["period"], totals, summary, checkins, bulletin),
        conclusions=_conclusions(extras),
        vote=_vote(extras),
        attendance_saved=bool(saved),
        **dates,
    )
