"""/tongket: the year's evidence for grading (Chibo shows evidence; it never grades anyone).

Per member: tasks assigned and done; per cell: the share of members with at least one task and
the check-in response rate of each month. Committees get one line per cell under them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core import texts
from bot.core.textnorm import display_name, vi_sort_key
from bot.core.types import is_number, split_text
from handlers import dues_year
from handlers.context import Ctx, Who
from storage.units import Unit

PART = 3500


@dataclass
class CellYear:
    unit_id: int
    members: list[tuple[str, int, int]] = field(default_factory=list)  # name, assigned, done
    # member id -> (assigned, done), for views that join other figures by member.
    by_member: dict[int, tuple[int, int]] = field(default_factory=dict)
    member_count: int = 0
    with_task: int = 0
    # month -> (answered, expected)
    months: dict[int, tuple[int, int]] = field(default_factory=dict)
    # Members on standing leave in the year (excused from meetings and check-ins): name, months.
    leave: list[tuple[str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Share of the cell's members with a task, in percent."""
        return 100 * self.with_task / self.member_count if self.member_count else 0.0

    @property
    def response(self) -> tuple[int, int]:
        """Check-in answers received and expected over the year."""
        return sum(a for a, _ in self.months.values()), sum(e for _, e in self.months.values())


def year_bounds(ctx: Ctx, year: int) -> tuple[datetime, datetime]:
    """The calendar year in the configured zone, as a UTC [start, end)."""
    tz = ctx.config.general.tz
    return (
        datetime(year, 1, 1, tzinfo=tz).astimezone(UTC),
        datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC),
    )


async def year_summary(
    ctx: Ctx, cell_ids: list[int], year: int, *, per_member: bool = True
) -> dict[int, CellYear]:
    """The year's figures for many cells, a few queries in all."""
    start, end = year_bounds(ctx, year)
    periods = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    result = await period_summary(ctx, cell_ids, start, end, periods, per_member=per_member)
    await _leave(ctx, result, year)
    return result


async def period_summary(
    ctx: Ctx,
    cell_ids: list[int],
    start: datetime,
    end: datetime,
    periods: list[str],
    *,
    per_member: bool = True,
) -> dict[int, CellYear]:
    """The figures of `year_summary` for any span of whole months (`periods`: 'YYYY-MM'),
    counted in SQLite; without `per_member`, each cell's counts only (no member's row)."""
    reports = ctx.task_reports
    result = {cid: CellYear(cid) for cid in cell_ids}
    for unit_id, period, got, expected in await reports.round_rates(cell_ids, start, end, periods):
        result[unit_id].months[int(period[5:])] = (got, expected)
    if not per_member:
        for cid, (count, with_task) in (await reports.cell_counts(cell_ids, start, end)).items():
            result[cid].member_count, result[cid].with_task = count, with_task
        return result
    members = await reports.active_members(cell_ids)
    counts = {(u, m): (a, d) for u, m, a, d in await reports.member_tasks(cell_ids, start, end)}
    for cid, people in members.items():
        cell = result[cid]
        cell.member_count = len(people)
        # In roster order here; a cell's text sorts them by name (a committee's view needs no
        # order across the province's 45,000 members).
        for member_id, name in people:
            assigned, finished = counts.get((cid, member_id), (0, 0))
            cell.members.append((display_name(name), assigned, finished))
            cell.by_member[member_id] = (assigned, finished)
            cell.with_task += 1 if assigned else 0
    return result


async def _leave(ctx: Ctx, result: dict[int, CellYear], year: int) -> None:
    """Fill each cell's members on leave during the year, with the months it covered."""
    leaves = await ctx.leaves.touching(list(result), [f"{year:04d}-01", f"{year:04d}-12"])
    for x in leaves:
        first = max(x.first_period, f"{year:04d}-01")
        last = min(x.last_period or f"{year:04d}-12", f"{year:04d}-12")
        if last < first:
            continue  # ended before it began (the same month)
        member = await ctx.members.get(x.member_id)
        if member is None:
            continue
        months = (
            texts.YEAR_LEAVE_MONTH.format(month=first[5:], year=year)
            if first == last
            else texts.YEAR_LEAVE_MONTHS.format(first=first[5:], last=last[5:], year=year)
        )
        result[x.unit_id].leave.append((member.full_name, months))


def _rate(got: int, total: int) -> str:
    return f"{100 * got / total:.1f}%" if total else "—"


def cell_text(name: str, year: int, cell: CellYear) -> str:
    """A cell's year summary as the secretary reads it."""
    lines = [
        texts.YEAR_HEADER.format(unit=name, year=year),
        texts.YEAR_SHARE.format(
            with_task=cell.with_task, members=cell.member_count, share=f"{cell.share:.2f}%"
        ),
    ]
    if cell.months:
        months = ", ".join(
            texts.YEAR_MONTH.format(month=m, got=g, total=t, rate=_rate(g, t))
            for m, (g, t) in sorted(cell.months.items())
        )
        lines.append(texts.YEAR_MONTHS.format(months=months))
    else:
        lines.append(texts.YEAR_NO_ROUNDS)
    for member_name, assigned, finished in sorted(cell.members, key=lambda m: vi_sort_key(m[0])):
        lines.append(texts.YEAR_MEMBER.format(name=member_name, assigned=assigned, done=finished))
    if cell.leave:
        on_leave = ", ".join(
            texts.YEAR_LEAVE_NAME.format(name=n, months=m)
            for n, m in sorted(cell.leave, key=lambda x: vi_sort_key(x[0]))
        )
        lines.append(texts.YEAR_LEAVE.format(names=on_leave, reason=texts.LEAVE_REASON))
    lines.append(texts.YEAR_EVIDENCE)
    return "\n".join(lines)


def year_and_rest(ctx: Ctx, args: str) -> tuple[int, str]:
    """The year /tongket is about (a year typed first, from 2000 to this one; else this year)
    and the words after it (a cell's name)."""
    now_year = ctx.now().astimezone(ctx.config.general.tz).year
    first, _, rest = args.strip().partition(" ")
    if not is_number(first):
        return now_year, args.strip()
    return (int(first) if 2000 <= int(first) <= now_year else now_year), rest.strip()


async def cell_parts(ctx: Ctx, unit: Unit, year: int) -> list[str]:
    """A leader's cell in detail over the year, with its dues, in message-sized parts."""
    summary = await year_summary(ctx, [unit.id], year)
    dues = (await dues_year.year_books(ctx, [unit.id], year))[unit.id]
    text = cell_text(unit.name, year, summary[unit.id]) + "\n" + dues_year.cell_lines(dues)
    return split_text(text, PART)


async def committee_parts(ctx: Ctx, who: Who, year: int) -> list[str]:
    """A committee member's (or administrator's) cells over the year, one line each."""
    parts: list[str] = []
    committee = sorted({r.unit_id for r in who.roles if r.role in ("committee", "admin")})
    for unit_id in committee:
        unit = await ctx.units.get(unit_id)
        cells = await ctx.units.cells_under(unit_id)
        if unit is None or not cells:
            continue
        summary = await year_summary(ctx, [c.id for c in cells], year, per_member=False)
        books = await dues_year.year_books(ctx, [c.id for c in cells], year)
        lines = [texts.YEAR_COMMITTEE_HEADER.format(unit=unit.name, year=year)]
        for c in cells:
            s = summary[c.id]
            got, total = s.response
            lines.append(
                texts.YEAR_COMMITTEE_LINE.format(
                    unit=c.name,
                    with_task=s.with_task,
                    members=s.member_count,
                    share=f"{s.share:.2f}%",
                    response=_rate(got, total),
                )
                + dues_year.committee_suffix(books[c.id])
            )
        lines.append(texts.YEAR_EVIDENCE)
        parts.extend(split_text("\n".join(lines), PART))
    return parts
