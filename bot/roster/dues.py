"""The roster's dues columns: the monthly amount due (an amount or a [dues] category) and the
month it applies from. Only the amount is kept, never a salary."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from bot.core import texts
from bot.core.config import DuesConfig
from bot.core.money import format_money, parse_money
from bot.core.textnorm import fold

_MONTH = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{4})-(\d{1,2})(?:-\d{1,2})?", re.ASCII)


class _Row(Protocol):
    def fail(self, key: str, message: str) -> None:
        """Report `message` on this row's column `key` and mark the row refused."""


@dataclass(frozen=True)
class DuesRules:
    """What the importer accepts in the dues column: category name -> amount, and a ceiling."""

    categories: Mapping[str, int] = field(default_factory=dict)
    max_amount: int = DuesConfig.max_amount

    @classmethod
    def from_config(cls, config: DuesConfig) -> DuesRules:
        """The rules of the config's [dues] section."""
        return cls(config.category_amounts(), config.max_amount)


@dataclass(frozen=True)
class RosterDues:
    """One member row's dues: the monthly amount, the category it came from (if named) and the
    month 'YYYY-MM' it applies from; all None when the row leaves the dues column empty."""

    amount: int | None = None
    category: str | None = None
    from_period: str | None = None


def parse_dues(
    row: _Row, cells: Mapping[str, str], raw: Mapping[str, object], today: date, rules: DuesRules
) -> RosterDues:
    """The dues cells of one member row; problems are reported on the row."""
    text = " ".join(cells.get("dues", "").split())
    month = cells.get("dues_from", "")
    if not text:
        if month:
            row.fail("dues_from", texts.ROSTER_ERR_DUES_MONTH_ALONE)
        return RosterDues()
    category = next((n for n in rules.categories if fold(n) == fold(text)), None)
    amount = rules.categories[category] if category is not None else parse_money(text)
    if amount is None or amount < 0:
        accepted = ", ".join(rules.categories) or "-"
        row.fail("dues", texts.ROSTER_ERR_DUES.format(value=text, accepted=accepted))
        return RosterDues()
    if amount > rules.max_amount:
        limit = format_money(rules.max_amount)
        row.fail("dues", texts.ROSTER_ERR_DUES_LIMIT.format(value=text, limit=limit))
        return RosterDues()
    period = f"{today.year:04d}-{today.month:02d}"
    if month:
        found = _period(raw.get("dues_from"), month)
        if found is None:
            row.fail("dues_from", texts.ROSTER_ERR_DUES_MONTH.format(value=month))
            return RosterDues()
        period = found
    return RosterDues(amount, category, period)


def _period(value: object, text: str) -> str | None:
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    found = _MONTH.fullmatch(text.strip())
    if found is None:
        return None
    month, year = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
    if not 1 <= int(month) <= 12 or not 2000 <= int(year) <= 2100:
        return None
    return f"{int(year):04d}-{int(month):02d}"
