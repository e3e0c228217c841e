"""Party dues over a year: the book of many cells computed at once, for the export (`chibo dues
export`), /tongket and the committees' year view.

Money is integer đồng throughout; the share a cell keeps is `[dues] keep_percent` of what it
collected, rounded down, and the rest is remitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core import texts
from bot.core.money import format_money
from handlers import dues_common as dc
from handlers.context import Ctx
from storage.dues import BookMember, Due, due_in


@dataclass
class MemberYear:
    member: BookMember
    due_now: int | None
    # Amount paid per month (index 0 = January); None = not paid.
    paid: list[int | None]
    excused: list[int]
    last_paid: date | None
    # Months up to the last completed one owed and neither paid nor excused.
    unpaid: int
    # Per month: owed a positive amount (up to the current month, not excused).
    owed: list[bool] = field(default_factory=lambda: [False] * 12)

    @property
    def total(self) -> int:
        """What the member paid in the year."""
        return sum(a for a in self.paid if a)


@dataclass
class CellBook:
    unit_id: int
    members: list[MemberYear] = field(default_factory=list)
    collected: list[int] = field(default_factory=lambda: [0] * 12)
    expected: list[int] = field(default_factory=lambda: [0] * 12)
    # Members who owe something this year / who owe nothing for the months that are over.
    owing: int = 0
    up_to_date: int = 0

    @property
    def total(self) -> int:
        """What the cell collected in the year."""
        return sum(self.collected)

    def kept(self, percent: int) -> list[int]:
        """What the cell keeps of each month's collection at `percent`."""
        return [amount * percent // 100 for amount in self.collected]

    def remitted(self, percent: int) -> list[int]:
        """What the cell passes up of each month's collection, after keeping `percent`."""
        return [
            amount - kept for amount, kept in zip(self.collected, self.kept(percent), strict=True)
        ]

    @property
    def behind_three(self) -> int:
        """How many members are three or more months behind."""
        return sum(1 for m in self.members if m.unpaid >= 3)


async def year_books(ctx: Ctx, cell_ids: list[int], year: int) -> dict[int, CellBook]:
    """Every cell's book of the year: a few queries for any number of cells. Members are in
    roster order (the export sorts a cell's by name; a province needs no order)."""
    store = ctx.dues
    members = await store.book_members(cell_ids)
    histories = await store.histories([m.id for m in members])
    payments, excused = await store.year_rows(cell_ids, year)
    current = dc.current_period(ctx)
    # Only months up to the current one are owed; of those, the ones over count as unpaid.
    months = [p for p in dc.months_of_year(year) if p <= current]
    paid: dict[int, dict[str, tuple[int, str]]] = {}
    for member_id, period, amount, paid_on in payments:
        paid.setdefault(member_id, {})[period] = (amount, paid_on)
    books = {cid: CellBook(cid) for cid in cell_ids}
    for member in members:
        book = books[member.unit_id]
        history = histories.get(member.id, [])
        now_due = due_in(history, current)
        row = MemberYear(member, now_due.amount if now_due else None, [None] * 12, [], None, 0)
        last = ""
        for period, (amount, paid_on) in paid.get(member.id, {}).items():
            row.paid[int(period[5:]) - 1] = amount
            book.collected[int(period[5:]) - 1] += amount
            last = max(last, paid_on)  # ISO dates compare as text
        row.last_paid = date.fromisoformat(last) if last else None
        owes = _owed(book, row, history, months, excused, current)
        book.owing += owes
        book.up_to_date += owes and row.unpaid == 0
        book.members.append(row)
    return books


def _owed(
    book: CellBook,
    row: MemberYear,
    history: list[Due],
    months: list[str],
    excused: dict[tuple[int, str], str],
    current: str,
) -> bool:
    """Adds what the member owed each month to the cell's expected figures and counts their
    unpaid months that are over; whether they owed anything this year."""
    owes = False
    for index, period in enumerate(months):
        if (row.member.id, period) in excused:
            row.excused.append(index + 1)
            continue
        due = due_in(history, period)
        if due is None or due.amount <= 0:
            continue
        owes = True
        row.owed[index] = True
        book.expected[index] += due.amount
        if row.paid[index] is None and period < current:
            row.unpaid += 1
    return owes


def _share(book: CellBook) -> str:
    return f"{100 * book.up_to_date / book.owing:.1f}%" if book.owing else "—"


def cell_lines(book: CellBook) -> str:
    """The dues lines of a cell's /tongket."""
    lines = [
        texts.DUES_YEAR_LINE.format(
            current=book.up_to_date,
            members=book.owing,
            share=_share(book),
            collected=format_money(book.total),
            expected=format_money(sum(book.expected)),
        )
    ]
    months = [
        texts.DUES_YEAR_MONTH.format(
            month=i + 1, collected=format_money(c), expected=format_money(e)
        )
        for i, (c, e) in enumerate(zip(book.collected, book.expected, strict=True))
        if c or e
    ]
    if months:
        lines.append(texts.DUES_YEAR_MONTHS.format(months=", ".join(months)))
    return "\n".join(lines)


def committee_suffix(book: CellBook) -> str:
    """The dues figures at the end of a cell's line in a committee's year view."""
    return texts.DUES_YEAR_COMMITTEE.format(
        share=_share(book),
        collected=format_money(book.total),
        expected=format_money(sum(book.expected)),
    )
