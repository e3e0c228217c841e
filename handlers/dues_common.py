"""Party dues, shared pieces: the `df:` payloads (one table, one builder, one parser), who may
keep a cell's book, months, and the amounts a member owes.

A payload is a request, never a permission: every handler re-checks the unit, the member and
the month against the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot import texts
from bot.core import Option, is_number
from bot.money import format_money, parse_money
from bot.textnorm import fold
from handlers.buttons import Press, Shapes
from handlers.context import Ctx, Who
from storage.dues import Due, due_in

KIND = "dues"
# Who keeps a cell's dues book (admins too).
MANAGERS = ("secretary", "deputy", "treasurer")
METHODS = ("cash", "portal", "bank")
_METHOD_CODES = {"c": "cash", "p": "portal", "b": "bank"}
CODE_OF = {v: k for k, v in _METHOD_CODES.items()}
# Several months at once: the counts offered.
SEVERAL = (2, 3, 6, 12)

# Every action of the `df:` prefix and the kinds of its arguments ("i" a number: page, member
# id, index; "s" a month as YYYYMM or a method code c, p, b, checked by `valid_args`). The
# functions are in handlers/dues.py (`BUTTONS`); the payloads are built here and in the modules
# that draw the book, which that module imports.
SHAPES = Shapes(
    "df",
    {
        "o": "is",  # open the checklist of a cell and month (also from /diemdanh)
        "g": "i",  # a page of the checklist
        "m": "i",  # a member's card
        "p": "s",  # record the month paid by this method (amount due or the typed amount)
        "a": "",  # type another amount
        "n": "i",  # several months: 0 = show the counts, k = pick k months
        "q": "s",  # record the several months by this method
        "u": "",  # withdraw the month's payment (kept as history)
        "e": "",  # excuse the month (a reason is typed) or lift the excuse
        "d": "",  # change the amount due (typed, or a category)
        "c": "i",  # the amount due from a category (its index in [dues] categories)
        "b": "",  # back to the checklist
        "r": "",  # turn the cell's monthly reminder on or off
        "s": "",  # one's own dues this year
        "x": "",  # close
    },
)


def valid_args(press: Press) -> bool:
    """Whether the words of a press are what its action takes: a month that exists ("o"), a
    method code ("p", "q")."""
    if press.action == "o":
        return expand(press.word(1)) is not None
    if press.action in ("p", "q"):
        return press.word(0) in _METHOD_CODES
    return True


def entry(unit_id: int, local: datetime) -> tuple[tuple[Option, ...], ...]:
    """The button opening a cell's book at the month of `local` (under the saved attendance)."""
    return ((Option(texts.DUES_FROM_ATTENDANCE, SHAPES.payload("o", unit_id, f"{local:%Y%m}")),),)


def method_of(code: str) -> str:
    """The payment method a button's code stands for."""
    return _METHOD_CODES[code]


# -- who and when ------------------------------------------------------------------------------


def manages(who: Who, unit_id: int) -> bool:
    """Secretary, deputy or treasurer of that cell, or an administrator."""
    return who.is_admin() or any(r.unit_id == unit_id and r.role in MANAGERS for r in who.roles)


def managed_units(who: Who) -> list[int]:
    """Cells whose book this person keeps, their own cell first."""
    ids = sorted({r.unit_id for r in who.roles if r.role in MANAGERS})
    if who.unit is not None and who.unit.id in ids:
        ids.remove(who.unit.id)
        ids.insert(0, who.unit.id)
    return ids


def today(ctx: Ctx) -> date:
    """Today in the configured zone."""
    return ctx.now().astimezone(ctx.config.general.tz).date()


def period_of(day: date) -> str:
    """The month of a day: 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def current_period(ctx: Ctx) -> str:
    """This month: 'YYYY-MM'."""
    return period_of(today(ctx))


def shift(period: str, months: int) -> str:
    """The month `months` after (or before) `period`."""
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def label(period: str) -> str:
    """'2026-12' -> '12/2026'."""
    return f"{period[5:7]}/{period[:4]}"


def compact(period: str) -> str:
    """'2026-12' -> '202612', as payloads carry it."""
    return period.replace("-", "")


def expand(text: str) -> str | None:
    """'202612' -> '2026-12'."""
    if not (len(text) == 6 and is_number(text)) or not 1 <= int(text[4:]) <= 12:
        return None
    if not 2000 <= int(text[:4]) <= 2100:
        return None
    return f"{text[:4]}-{text[4:]}"


_MONTH = re.compile(r"(?:thang\s*)?(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?", re.ASCII)


def parse_month(text: str, day: date) -> str | None:
    """«12», «12/2026», «tháng 12», «2026-12» -> '2026-12'; None when it is not a month."""
    key = fold(text)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})", key, re.ASCII)
    found = _MONTH.fullmatch(key)
    if iso is not None:
        year, month = int(iso.group(1)), int(iso.group(2))
    elif found is not None:
        month = int(found.group(1))
        year = int(found.group(2)) if found.group(2) else day.year
    else:
        return None
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return None
    return f"{year:04d}-{month:02d}"


def months_of_year(year: int) -> list[str]:
    """The twelve months of a year: 'YYYY-01' … 'YYYY-12'."""
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


# -- amounts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountInput:
    """What a typed amount due or payment turned out to be."""

    amount: int | None = None
    category: str | None = None
    error: str | None = None


def read_amount(ctx: Ctx, text: str, *, allow_zero: bool, categories: bool) -> AmountInput:
    """A typed amount («50k», «50.000đ») or, for an amount due, a [dues] category name."""
    cfg = ctx.config.dues
    if categories:
        for name, amount in cfg.category_amounts().items():
            if fold(name) == fold(text):
                return AmountInput(amount, name)
    value = parse_money(text)
    if value is None:
        return AmountInput(error=texts.DUES_AMOUNT_UNREADABLE.format(text=text[:40]))
    if value < 0 or (value == 0 and not allow_zero):
        return AmountInput(error=texts.DUES_AMOUNT_NEGATIVE)
    if value > cfg.max_amount:
        return AmountInput(error=texts.DUES_AMOUNT_ABSURD.format(limit=_money(cfg.max_amount)))
    return AmountInput(value)


def _money(amount: int) -> str:
    return format_money(amount)


def category_options(ctx: Ctx) -> list[tuple[Option, ...]]:
    """A button per [dues] category (its index in the configuration)."""
    return [
        (
            Option(
                texts.DUES_CATEGORY_BUTTON.format(name=name, amount=_money(amount)),
                SHAPES.payload("c", index),
            ),
        )
        for index, (name, amount) in enumerate(ctx.config.dues.category_amounts().items())
    ]


async def due_of(ctx: Ctx, member_id: int, period: str) -> Due | None:
    """What the member owes for the month, by their history of amounts due."""
    history = (await ctx.dues.histories([member_id])).get(member_id, [])
    return due_in(history, period)
