"""Reading what a publisher types: issue numbers ("Số 12/2026") and send times ("7h 1/12")."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from bot.textnorm import fold

_ISSUE = re.compile(r"^(?:so)?(\d{1,3})(?:(?:/|-|nam)(\d{4}))?$")
_DATE = re.compile(r"(?<![\d:])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}))?(?![\d:])")
_TIME = re.compile(r"(?<![\d/])(\d{1,2})\s*(?:(?::|gio|h|g)\s*(\d{2})?|(?=\s*(?:sang|chieu|toi)))")
_FILLER = {"ngay", "luc", "vao", "sang", "chieu", "toi", "trua", "phut", "p", "thu", ","}
_NOW_WORDS = {"ngay", "ngay bay gio", "bay gio", "gui ngay", "now"}
# When only a date is given, the bulletin goes out in the morning.
DEFAULT_HOUR = 7


def default_issue(now: datetime, tz: ZoneInfo) -> str:
    """The issue number proposed from the month: '12/2026' in December 2026."""
    local = now.astimezone(tz)
    return f"{local.month}/{local.year}"


def parse_issue(text: str, now: datetime, tz: ZoneInfo) -> str | None:
    """'Số 12/2026', '12/2026', 'so 12' -> '12/2026'; None when it is not an issue number."""
    match = _ISSUE.match(fold(text).replace(" ", ""))
    if match is None:
        return None
    number = int(match.group(1))
    year = int(match.group(2)) if match.group(2) else now.astimezone(tz).year
    if number < 1 or not 2000 <= year <= 2100:
        return None
    return f"{number}/{year}"


def parse_send_time(text: str, now: datetime, tz: ZoneInfo) -> datetime | str:
    """A send time in Vietnamese forms, as an aware datetime; 'now', 'past' or 'format'."""
    folded = fold(text).strip(" .")
    if folded in _NOW_WORDS:
        return "now"
    day, clock, words = _day_and_clock(folded)
    if (day is None and clock is None) or any(w not in _FILLER for w in words):
        return "format"
    hour, minute = clock if clock else (DEFAULT_HOUR, 0)
    if ("chieu" in words or "toi" in words) and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return "format"
    local_now = now.astimezone(tz)
    try:
        moment = _moment(day, time(hour, minute), local_now, tz)
    except ValueError:
        return "format"
    if moment <= local_now:
        return "past"
    return moment


Day = tuple[int, int, "int | None"]


def _day_and_clock(folded: str) -> tuple[Day | None, tuple[int, int] | None, list[str]]:
    """The date (day, month, year or None) and the clock time found in the text, and the words
    left over."""
    rest = folded
    day: Day | None = None
    date_match = _DATE.search(rest)
    if date_match:
        year_text = date_match.group(3)
        year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
        day = (int(date_match.group(1)), int(date_match.group(2)), year)
        rest = rest[: date_match.start()] + " " + rest[date_match.end() :]
    clock: tuple[int, int] | None = None
    time_match = _TIME.search(rest)
    if time_match:
        clock = (int(time_match.group(1)), int(time_match.group(2) or 0))
        rest = rest[: time_match.start()] + " " + rest[time_match.end() :]
    return day, clock, rest.replace(",", " ").split()


def _moment(day: Day | None, at: time, local_now: datetime, tz: ZoneInfo) -> datetime:
    """The next such moment: today or tomorrow without a date, this year or next without a
    year. Raises ValueError for a date that does not exist."""
    if day is None:
        moment = datetime.combine(local_now.date(), at, tz)
        return moment + timedelta(days=1) if moment <= local_now else moment
    d, m, y = day
    moment = datetime(y or local_now.year, m, d, at.hour, at.minute, tzinfo=tz)
    if y is None and moment < local_now - timedelta(days=1):
        moment = moment.replace(year=moment.year + 1)
    return moment


def vi_number(value: int) -> str:
    """31204 -> '31.204' (Vietnamese grouping)."""
    return format_decimal(value, locale="vi")


def vi_percent(part: int, whole: int) -> str:
    """3 of 8 -> '37,5%'; a dash when there is nothing to measure."""
    if whole <= 0:
        return "—"
    return format_decimal(round(100 * part / whole, 1), format="#,##0.#", locale="vi") + "%"
