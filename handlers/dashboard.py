"""The figures of the committees' dashboard (web pages, exports, the /tongket chart).

One implementation for every view: task shares and check-in response rates come from the year
view's `period_summary` (what /tongket shows), meetings, attendance and bulletin reach from
`storage.dashboard`. Figures are computed per cell, then summed up the tree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from handlers.context import Ctx, Who
from handlers.year_view import CellYear, period_summary
from storage.dashboard import DashboardRepo, MeetingRow
from storage.units import Unit

# Unexcused absences in a calendar year at which the secretary is warned (the Statute's removal
# ground is 3); the dashboard lists such members for those who lead them.
ATTENTION_ABSENCES = 2


@dataclass
class Figures:
    """Counts for one unit (a cell, or everything under a committee) over one period."""

    members: int = 0
    cells: int = 0
    on_time: int = 0
    moved: int = 0
    not_held: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    with_task: int = 0
    answered: int = 0
    expected: int = 0
    recipients: int = 0
    delivered: int = 0
    read: int = 0
    # Figures of later features (e.g. dues), by key: (count, out of).
    extra: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        """Add another unit's counts to these."""
        for name in [
            "members",
            "cells",
            "on_time",
            "moved",
            "not_held",
            "present",
            "excused",
            "absent",
            "with_task",
            "answered",
            "expected",
            "recipients",
            "delivered",
            "read",
        ]:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, (n, d) in other.extra.items():
            mine = self.extra.get(key, (0, 0))
            self.extra[key] = (mine[0] + n, mine[1] + d)

    def add_meeting(self, m: MeetingRow) -> None:
        """Count one meeting: not held, moved or on time, with its attendance."""
        if m.cancelled:
            self.not_held += 1
            return
        if m.moved:
            self.moved += 1
        else:
            self.on_time += 1
        self.present += m.present
        self.excused += m.excused
        self.absent += m.absent

    @property
    def meetings(self) -> int:
        """How many meetings the period counts: on time, moved or not held."""
        return self.on_time + self.moved + self.not_held

    @property
    def attendance_rate(self) -> float | None:
        """Share of present among present, excused and absent, in percent."""
        return pct(self.present, self.present + self.excused + self.absent)

    @property
    def task_share(self) -> float | None:
        """Share of members with a task, in percent."""
        return pct(self.with_task, self.members)

    @property
    def response_rate(self) -> float | None:
        """Share of expected check-in answers that came, in percent."""
        return pct(self.answered, self.expected)

    @property
    def delivered_rate(self) -> float | None:
        """Share of bulletin recipients it was delivered to, in percent."""
        return pct(self.delivered, self.recipients)

    @property
    def read_rate(self) -> float | None:
        """Share of bulletin recipients who read it, in percent."""
        return pct(self.read, self.recipients)


def pct(part: int, whole: int) -> float | None:
    """part / whole in percent, two decimals; None when there is nothing to measure."""
    return round(100 * part / whole, 2) if whole else None


# The extension point for figures of later features (dues): a loader gives, per cell, a count
# and what it is out of for the period; the web tables and exports add a column per entry.
ExtraLoader = Callable[
    [Ctx, Sequence[int], datetime, datetime], Awaitable[dict[int, tuple[int, int]]]
]


@dataclass(frozen=True)
class ExtraFigure:
    key: str
    header: str
    load: ExtraLoader


EXTRA_FIGURES: list[ExtraFigure] = []


@dataclass(frozen=True)
class Period:
    """A month of a year, or the whole year (month None)."""

    year: int
    month: int | None

    def bounds(self, ctx: Ctx) -> tuple[datetime, datetime]:
        """The period in the configured zone, as a UTC [start, end)."""
        tz = ctx.config.general.tz
        if self.month is None:
            start, end = (
                datetime(self.year, 1, 1, tzinfo=tz),
                datetime(self.year + 1, 1, 1, tzinfo=tz),
            )
        else:
            nxt = (self.year + self.month // 12, self.month % 12 + 1)
            start = datetime(self.year, self.month, 1, tzinfo=tz)
            end = datetime(nxt[0], nxt[1], 1, tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def periods(self) -> list[str]:
        """The period's months as "YYYY-MM" keys."""
        months = [self.month] if self.month is not None else list(range(1, 13))
        return [f"{self.year:04d}-{m:02d}" for m in months]


@dataclass
class MemberRow:
    member_id: int
    name: str
    assigned: int
    done: int
    present: int
    excused: int
    absent: int
    bulletins: int
    read: int
    absent_year: int


@dataclass
class Dashboard:
    """One unit's page: its total, the units directly below, its months, a cell's members."""

    unit: Unit
    path: list[Unit]
    period: Period
    total: Figures
    children: list[tuple[Unit, Figures]]
    # month -> the unit's figures of meetings and attendance (the whole year, for the charts).
    months: dict[int, Figures]
    members: list[MemberRow]
    # When these figures were computed (pages may show cached or precomputed ones).
    as_of: datetime | None = None


def scope_roots(who: Who) -> list[int]:
    """Units whose subtree the person may see (admins: every top unit, filled in by the caller)."""
    return sorted({r.unit_id for r in who.roles})


async def viewer_roots(ctx: Ctx, who: Who) -> list[int]:
    """The person's scope as root units: an admin sees every tree."""
    if who.is_admin():
        return await ctx.dashboard.top_units()
    roots = scope_roots(who)
    # A cell led by a member of its commune's committee is already in the commune's tree.
    inside = set()
    for root in roots:
        above = {u.id for u in (await ctx.units.ancestors(root))[1:]}
        if above & set(roots):
            inside.add(root)
    return [r for r in roots if r not in inside]


def may_see_names(who: Who, cell_id: int) -> bool:
    """Names are shown to the cell's secretary and deputy, and to administrators."""
    return who.is_admin() or any(
        r.unit_id == cell_id and r.role in ("secretary", "deputy") for r in who.roles
    )


async def build(
    ctx: Ctx, unit_id: int, roots: Sequence[int], period: Period, *, with_members: bool = True
) -> Dashboard | None:
    """The dashboard of a unit within the viewer's scope; None when it is outside it."""
    repo = ctx.dashboard
    units = await repo.units_in_scope(unit_id, roots)
    if not units:
        return None
    unit = units[0]
    cells = [u.id for u in units if u.is_cell]
    start, end = period.bounds(ctx)
    now = ctx.now()
    tasks = await period_summary(
        ctx, cells, start, end, period.periods, per_member=unit.is_cell and with_members
    )
    year = Period(period.year, None)
    ystart, yend = year.bounds(ctx)
    # The charts by month need the whole year's meetings; a month's are among them.
    year_meetings = await repo.meetings(cells, ystart, min(yend, now))
    per_cell = await _per_cell(ctx, cells, start, end, tasks, year_meetings)
    total, children = _roll_up(units, per_cell)
    months: dict[int, Figures] = {m: Figures() for m in range(1, 13)}
    tz = ctx.config.general.tz
    for m in year_meetings:
        months[m.starts_at.astimezone(tz).month].add_meeting(m)
    members: list[MemberRow] = []
    if unit.is_cell and with_members:
        members = await _members(ctx, repo, unit, tasks, start, end, min(end, now), year)
    path = [u for u in reversed(await ctx.units.ancestors(unit.id)) if _inside(u.id, units, roots)]
    return Dashboard(unit, path, period, total, children, months, members, now)


async def _per_cell(
    ctx: Ctx,
    cells: list[int],
    start: datetime,
    end: datetime,
    tasks: dict[int, CellYear],
    year_meetings: list[MeetingRow],
) -> dict[int, Figures]:
    """Each cell's figures for the period: tasks and check-ins, meetings, the bulletin's
    reach, and the figures of later features (EXTRA_FIGURES)."""
    per_cell = {c: Figures(cells=1) for c in cells}
    for cid, s in tasks.items():
        f = per_cell[cid]
        f.members, f.with_task = s.member_count, s.with_task
        f.answered, f.expected = s.response
    for m in year_meetings:
        if start <= m.starts_at < end:
            per_cell[m.unit_id].add_meeting(m)
    for cid, reach in (await ctx.dashboard.bulletin_reach(cells, start, end)).items():
        if cid in per_cell:
            f = per_cell[cid]
            f.recipients, f.delivered, f.read = reach
    for extra in EXTRA_FIGURES:
        for cid, value in (await extra.load(ctx, cells, start, end)).items():
            if cid in per_cell:
                per_cell[cid].extra[extra.key] = value
    return per_cell


def _roll_up(
    units: list[Unit], per_cell: dict[int, Figures]
) -> tuple[Figures, list[tuple[Unit, Figures]]]:
    """The unit's total (units[0]), and the figures of each unit directly below it."""
    unit = units[0]
    by_id = {u.id: u for u in units}
    total = Figures()
    below = {u.id: Figures() for u in units if u.parent_id == unit.id}
    for cid, f in per_cell.items():
        total.add(f)
        top = _child_of(by_id, cid, unit.id)
        if top is not None:
            below[top].add(f)
    return total, [(by_id[uid], f) for uid, f in below.items()]


def _inside(unit_id: int, scope: list[Unit], roots: Sequence[int]) -> bool:
    return unit_id in roots or any(u.id == unit_id for u in scope)


def _child_of(by_id: dict[int, Unit], cell_id: int, root: int) -> int | None:
    """The unit directly below `root` that holds the cell (None for the root itself)."""
    current = by_id[cell_id]
    while current.parent_id != root and current.parent_id in by_id and current.id != root:
        current = by_id[current.parent_id]
    return current.id if current.parent_id == root else None


async def _members(
    ctx: Ctx,
    repo: DashboardRepo,
    cell: Unit,
    tasks: dict[int, CellYear],
    start: datetime,
    end: datetime,
    held_until: datetime,
    year: Period,
) -> list[MemberRow]:
    summary = tasks[cell.id]
    attendance = await repo.member_attendance([cell.id], start, held_until)
    ystart, yend = year.bounds(ctx)
    year_attendance = await repo.member_attendance([cell.id], ystart, min(yend, ctx.now()))
    reads = await repo.member_reads(cell.id, start, end)
    rows = []
    for m in await ctx.members.in_unit(cell.id):
        if not m.active:
            continue
        assigned, done = summary.by_member.get(m.id, (0, 0))
        present, excused, absent = attendance.get(m.id, (0, 0, 0))
        got, read = reads.get(m.id, (0, 0))
        rows.append(
            MemberRow(
                m.id,
                m.full_name,
                assigned,
                done,
                present,
                excused,
                absent,
                got,
                read,
                year_attendance.get(m.id, (0, 0, 0))[2],
            )
        )
    return rows


def needing_attention(board: Dashboard) -> list[MemberRow]:
    """Members of a cell at or past the absence warning this year."""
    return [m for m in board.members if m.absent_year >= ATTENTION_ABSENCES]
