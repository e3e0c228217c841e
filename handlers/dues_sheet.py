"""Party dues: what the secretary or treasurer sees — the month's checklist and a member's card.

Both are read from the database each time (the conversation holds only the cell, month, page
and member), so a second treasurer's entries show at the next press.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import texts
from bot.core.money import format_money
from bot.core.types import Option, Reply
from handlers import dues_common as dc
from handlers.context import Ctx
from storage.conversations import Conversation
from storage.dues import Due, Payment, due_in
from storage.members import Member

PAGE = 15


@dataclass(frozen=True)
class Line:
    """One member's month as the checklist shows it."""

    member: Member
    due: Due | None
    payment: Payment | None
    excused: str | None

    @property
    def owing(self) -> bool:
        """Owes a positive amount this month (paid or not), and is not excused."""
        return self.excused is None and self.due is not None and self.due.amount > 0

    def mark(self) -> str:
        """The member's checklist line: paid, excused, no dues set, nothing owed or unpaid."""
        name = self.member.full_name
        if self.payment is not None:
            return texts.DUES_MARK_PAID.format(name=name, amount=format_money(self.payment.amount))
        if self.excused is not None:
            return texts.DUES_MARK_EXCUSED.format(name=name)
        if self.due is None:
            return texts.DUES_MARK_NO_DUE.format(name=name)
        if self.due.amount == 0:
            return texts.DUES_MARK_ZERO.format(name=name)
        return texts.DUES_MARK_UNPAID.format(name=name, amount=format_money(self.due.amount))


async def lines(ctx: Ctx, unit_id: int, period: str) -> list[Line]:
    """A line per member of the cell for the month: paid, excused or owing."""
    store = ctx.dues
    members = await ctx.members.in_unit(unit_id)
    ids = [m.id for m in members]
    histories = await store.histories(ids)
    paid = {p.member_id: p for p in await store.payments(ids, [period])}
    excused = await store.excused(ids, [period])
    return [
        Line(
            m, due_in(histories.get(m.id, []), period), paid.get(m.id), excused.get((m.id, period))
        )
        for m in members
    ]


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE))


def _counts(found: list[Line]) -> str:
    """The month's figures: paid, owing, collected and expected."""
    owing = [x for x in found if x.owing or x.payment is not None]
    collected = sum(x.payment.amount for x in found if x.payment is not None)
    expected = sum(x.due.amount for x in found if x.owing and x.due is not None)
    return texts.DUES_COUNTS.format(
        paid=sum(1 for x in found if x.payment is not None),
        owing=len(owing),
        collected=format_money(collected),
        expected=format_money(expected),
    )


async def checklist(ctx: Ctx, conv: Conversation, *, edit: bool, note: str = "") -> Reply:
    """The month's checklist of the conversation's cell, one page of members."""
    unit_id, period = int(conv.data["unit_id"]), str(conv.data["period"])
    unit = await ctx.units.get(unit_id)
    found = await lines(ctx, unit_id, period)
    pages = _pages(len(found))
    page = min(max(0, int(conv.data.get("page", 0))), pages - 1)
    text = [
        texts.DUES_HEADER.format(month=dc.label(period), unit=unit.name if unit else ""),
        _counts(found),
    ]
    excused = sum(1 for x in found if x.excused is not None)
    if excused:
        text.append(texts.DUES_EXCUSED_COUNT.format(count=excused))
    if pages > 1:
        text.append(texts.DUES_PAGE_OF.format(page=page + 1, pages=pages))
    text.append(texts.DUES_HINT)
    if note:
        text.insert(0, note + "\n")
    rows: list[tuple[Option, ...]] = [
        (Option(x.mark(), dc.SHAPES.payload("m", x.member.id)),)
        for x in found[page * PAGE : (page + 1) * PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Option(texts.DUES_PREV_PAGE, dc.SHAPES.payload("g", page - 1)))
    if page + 1 < pages:
        nav.append(Option(texts.DUES_NEXT_PAGE, dc.SHAPES.payload("g", page + 1)))
    if nav:
        rows.append(tuple(nav))
    rows.append(await _month_row(ctx, unit_id, period))
    remind = await ctx.dues_reminders.reminders_on(unit_id)
    rows.append(
        (Option(texts.DUES_REMIND_OFF if remind else texts.DUES_REMIND_ON, dc.SHAPES.payload("r")),)
    )
    rows.append(
        (
            Option(texts.DUES_MINE_BUTTON, dc.SHAPES.payload("s")),
            Option(texts.DUES_CLOSE, dc.SHAPES.payload("x")),
        )
    )
    return Reply("\n".join(text), options=tuple(rows), edit=edit)


async def _month_row(ctx: Ctx, unit_id: int, period: str) -> tuple[Option, ...]:
    before, after = dc.shift(period, -1), dc.shift(period, 1)
    row = [
        Option(
            texts.DUES_PREV_MONTH.format(month=dc.label(before)),
            dc.SHAPES.payload("o", unit_id, dc.compact(before)),
        )
    ]
    if after <= dc.current_period(ctx):
        row.append(
            Option(
                texts.DUES_NEXT_MONTH.format(month=dc.label(after)),
                dc.SHAPES.payload("o", unit_id, dc.compact(after)),
            )
        )
    return tuple(row)


def _status_lines(line: Line, history: list[Payment]) -> list[str]:
    found = []
    if line.due is None:
        found.append(texts.DUES_CARD_NO_DUE)
    else:
        category = (
            texts.DUES_CARD_CATEGORY.format(name=line.due.category) if line.due.category else ""
        )
        found.append(
            texts.DUES_CARD_DUE.format(
                amount=format_money(line.due.amount),
                since=dc.label(line.due.from_period),
                category=category,
            )
        )
    if line.payment is not None:
        paid_on = line.payment.paid_on
        found.append(
            texts.DUES_CARD_PAID.format(
                amount=format_money(line.payment.amount),
                method=texts.DUES_METHODS[line.payment.method],
                day=f"{paid_on[8:10]}/{paid_on[5:7]}/{paid_on[:4]}",
            )
        )
        if len(history) > 1:
            found.append(texts.DUES_CARD_CORRECTED.format(count=len(history) - 1))
    elif line.excused is not None:
        found.append(texts.DUES_CARD_EXCUSED.format(reason=line.excused))
    else:
        found.append(texts.DUES_CARD_UNPAID)
    return found


async def card(ctx: Ctx, conv: Conversation, member: Member, *, note: str = "") -> Reply:
    """A member's month: amount due, payment or excuse, and what can be done about it."""
    period = str(conv.data["period"])
    store = ctx.dues
    history = (await store.histories([member.id])).get(member.id, [])
    paid = await store.payments([member.id], [period])
    excused = (await store.excused([member.id], [period])).get((member.id, period))
    line = Line(member, due_in(history, period), paid[0] if paid else None, excused)
    text = [texts.DUES_CARD_HEADER.format(name=member.full_name, month=dc.label(period))]
    text += _status_lines(line, await store.history(member.id, period))
    typed = conv.data.get("amount")
    amount = int(typed) if typed is not None else (line.due.amount if line.due else 0)
    if typed is not None:
        text.append(texts.DUES_CARD_TYPED.format(amount=format_money(amount)))
    if note:
        text.insert(0, note + "\n")
    rows: list[tuple[Option, ...]] = []
    if amount > 0 and line.excused is None:
        rows += [
            (
                Option(
                    texts.DUES_PAY_BUTTON.format(
                        method=texts.DUES_METHODS[m], amount=format_money(amount)
                    ),
                    dc.SHAPES.payload("p", dc.CODE_OF[m]),
                ),
            )
            for m in dc.METHODS
        ]
    rows.append(
        (
            Option(texts.DUES_OTHER_AMOUNT, dc.SHAPES.payload("a")),
            Option(texts.DUES_SEVERAL, dc.SHAPES.payload("n", 0)),
        )
    )
    if line.payment is not None:
        rows.append((Option(texts.DUES_WITHDRAW, dc.SHAPES.payload("u")),))
    else:
        excuse = texts.DUES_UNEXCUSE if line.excused is not None else texts.DUES_EXCUSE
        rows.append((Option(excuse, dc.SHAPES.payload("e")),))
    rows.append(
        (
            Option(texts.DUES_CHANGE_DUE, dc.SHAPES.payload("d")),
            Option(texts.DUES_BACK, dc.SHAPES.payload("b")),
        )
    )
    return Reply("\n".join(text), options=tuple(rows), edit=True)
