"""Money as integer đồng: reading what people type («50k», «50.000đ», «1,5 triệu») and showing it.

Never floats: a decimal part is read as digits and scaled with integers.
"""

from __future__ import annotations

import re

from bot.core import texts
from bot.core.textnorm import fold

# Suffixes after folding (no diacritics): "đồng" -> "dong", "đ" -> "d".
_UNITS = {
    "": 1,
    "d": 1,
    "dong": 1,
    "vnd": 1,
    "k": 1_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "tr": 1_000_000,
    "trieu": 1_000_000,
}
_NUMBER = re.compile(r"(-?)(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,](\d{1,3}))?([a-z]*)", re.ASCII)
# Longer than any sensible amount: refused before int() sees it.
_MAX_DIGITS = 15


def parse_money(text: str) -> int | None:
    """An amount in đồng from typed text, or None when it is not one.

    «50000», «50.000», «50,000», «50 000 đ», «50.000đ», «50k», «50 nghìn», «1,5tr», «1 triệu»;
    a sign is kept («-50000» -> -50000) so the caller can refuse it by name.
    """
    key = fold(text).replace(" ", "")
    match = _NUMBER.fullmatch(key)
    if match is None:
        return None
    sign, whole, fraction, unit = match.groups()
    scale = _UNITS.get(unit)
    if scale is None or len(whole) > _MAX_DIGITS:
        return None
    if fraction is not None and scale == 1:
        # «50.5» is not an amount in đồng; «50.500» was taken as thousands above.
        return None
    digits = int(re.sub(r"[.,]", "", whole))
    value = digits * scale
    if fraction is not None:
        value += int(fraction) * scale // 10 ** len(fraction)
        if int(fraction) * scale % 10 ** len(fraction):
            return None
    return -value if sign else value


def format_money(amount: int) -> str:
    """50000 -> '50.000 đ' (Vietnamese thousands separator)."""
    sign = "-" if amount < 0 else ""
    return texts.DUES_MONEY.format(amount=f"{sign}{abs(amount):,}".replace(",", "."))
