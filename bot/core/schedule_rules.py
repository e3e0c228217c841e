"""Meeting schedule rules, public holidays, reminder offsets and Vietnamese date/time input.

Pure functions only (no I/O): the planner, the handlers and the config all use them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from bot.core import texts
from bot.core.textnorm import fold


class RuleError(ValueError):
    """A schedule rule, holiday or offset that cannot be read."""


# Folded weekday names -> Monday = 0. Vietnamese first (longest match wins below).
_WEEKDAYS: dict[str, int] = {
    "thu hai": 0, "thu ba": 1, "thu tu": 2, "thu nam": 3, "thu sau": 4, "thu bay": 5,
    "chu nhat": 6, "t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4, "t7": 5, "cn": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_WEEKDAY_RE = "|".join(sorted((re.escape(k) for k in _WEEKDAYS), key=len, reverse=True))
_ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "last": -1, "dau tien": 1, "thu nhat": 1, "tuan 1": 1, "tuan 2": 2, "tuan 3": 3,
    "tuan 4": 4, "cuoi cung": -1, "cuoi": -1,
}  # fmt: skip
_ORDINAL_RE = "|".join(sorted((re.escape(k) for k in _ORDINALS), key=len, reverse=True))

# "19h", "19h30", "19:30", "19 giờ 30", "7h tối"; minutes, when given, have two digits.
_TIME_RE = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*(?:h|g|gio|:)(?![a-z])\s*(\d+)?\s*(?:phut|p(?![a-z]))?"
    r"(?:\s*(sang|trua|chieu|toi))?(?![\d/])"
)


def parse_time(text: str) -> time:
    """'19:00', '19h', '19h30' -> time; anything else raises RuleError."""
    match = _TIME_RE.fullmatch(fold(text).strip())
    if match is None:
        raise RuleError(f"not a time: {text!r}")
    return _time_of(match)


def _time_of(match: re.Match[str]) -> time:
    hour = int(match.group(1))
    minutes = match.group(2)
    if minutes is not None and len(minutes) != 2:
        raise RuleError("minutes need two digits")
    minute = int(minutes or 0)
    if match.group(3) in ("chieu", "toi") and 1 <= hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        raise RuleError("no such time")
    return time(hour, minute)


@dataclass(frozen=True)
class Rule:
    """'Day 5 of each month at 19:00' or 'the first Saturday at 08:00' (nth=-1: the last)."""

    at: time
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None

    def occurrence(self, year: int, month: int) -> date:
        """The rule's day in that month, before any holiday move (day 31 -> the month's last)."""
        last = calendar.monthrange(year, month)[1]
        if self.day is not None:
            return date(year, month, min(self.day, last))
        assert self.weekday is not None and self.nth is not None
        if self.nth > 0:
            first = date(year, month, 1)
            shift = (self.weekday - first.weekday()) % 7
            return first + timedelta(days=shift + 7 * (self.nth - 1))
        end = date(year, month, last)
        return end - timedelta(days=(end.weekday() - self.weekday) % 7)

    def describe(self) -> str:
        """Vietnamese description, e.g. 'ngày 5 hằng tháng, lúc 19:00'."""
        at = f"{self.at:%H:%M}"
        if self.day is not None:
            return texts.RULE_DAY.format(day=self.day, at=at)
        assert self.weekday is not None and self.nth is not None
        return texts.RULE_WEEKDAY.format(
            weekday=texts.WEEKDAY_NAMES[self.weekday], nth=texts.ORDINAL_NAMES[self.nth], at=at
        )


def parse_rule(text: str) -> Rule:
    """Read a rule: 'day 5 19:00', 'ngày 5 hằng tháng lúc 19h', 'first saturday 08:00',
    'thứ bảy đầu tiên 8h', 'thứ sáu cuối cùng 14h', 'thứ bảy tuần 2 8h'."""
    folded = fold(text)
    matches = list(_TIME_RE.finditer(folded))
    match = matches[-1] if matches else None
    if match is None or folded[match.end() :].strip():
        raise RuleError(f"rule {text!r} must end with a time such as 19:00")
    at = _time_of(match)
    head = re.sub(
        r"\b(luc|vao|hang thang|moi thang|cua thang|trong thang|of each month)\b",
        " ",
        folded[: match.start()],
    )
    head = " ".join(head.replace(",", " ").split())
    if m := re.fullmatch(r"(?:day|ngay)\s+(\d{1,2})", head):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise RuleError(f"day {day} is not a day of the month")
        return Rule(at=at, day=day)
    if m := re.fullmatch(rf"({_ORDINAL_RE})\s+({_WEEKDAY_RE})", head):
        return Rule(at=at, weekday=_WEEKDAYS[m.group(2)], nth=_ORDINALS[m.group(1)])
    if m := re.fullmatch(rf"({_WEEKDAY_RE})\s+({_ORDINAL_RE})", head):
        return Rule(at=at, weekday=_WEEKDAYS[m.group(1)], nth=_ORDINALS[m.group(2)])
    raise RuleError(f"cannot read the schedule rule {text!r}")


@lru_cache(maxsize=64)
def country_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of a country in a year, with substitute and observed days, from the
    `holidays` package (Vietnam: Tết and Giỗ Tổ Hùng Vương by the lunar calendar)."""
    if not country:
        return frozenset()
    return frozenset(holidays_lib.country_holidays(country, years=year))


def check_country(country: str) -> None:
    """Raise RuleError when the `holidays` package does not know the country code."""
    if not country:
        return
    try:
        holidays_lib.country_holidays(country)
    except NotImplementedError as exc:
        raise RuleError(f"unknown holiday country {country!r}") from exc


@dataclass(frozen=True)
class Holidays:
    """Public holidays: the country's (from the `holidays` package), plus local days every year
    on a (month, day) or on given dates, minus the days a province removes."""

    yearly: frozenset[tuple[int, int]] = frozenset()
    dates: frozenset[date] = frozenset()
    working_weekdays: frozenset[int] = frozenset(range(5))
    country: str = ""
    removed: frozenset[date] = frozenset()

    def is_holiday(self, day: date) -> bool:
        """Whether the day is a national or local holiday the province has not removed."""
        if day in self.removed:
            return False
        return (
            day in self.dates
            or (day.month, day.day) in self.yearly
            or day in country_holidays(self.country, day.year)
        )

    def move(self, day: date) -> date:
        """A meeting day that falls on a holiday moves to the next working day."""
        if not self.is_holiday(day):
            return day
        day += timedelta(days=1)
        while self.is_holiday(day) or day.weekday() not in self.working_weekdays:
            day += timedelta(days=1)
        return day


def _days(item: str) -> set[date]:
    """'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD' (raises ValueError)."""
    if ".." not in item:
        return {date.fromisoformat(item)}
    first, last = (date.fromisoformat(p.strip()) for p in item.split("..", 1))
    if last < first or (last - first).days > 60:
        raise RuleError(f"holiday range {item!r} is backwards or too long")
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def parse_holidays(
    items: Iterable[str], working_weekdays: Iterable[str] = (), country: str = ""
) -> Holidays:
    """Local changes to the country's holidays: 'MM-DD' (every year), 'YYYY-MM-DD', or
    'YYYY-MM-DD..YYYY-MM-DD' (a range) add days; the same with a leading '-' removes them."""
    yearly: set[tuple[int, int]] = set()
    dates: set[date] = set()
    removed: set[date] = set()
    for raw in items:
        item = raw.strip()
        try:
            if item.startswith("-"):
                removed |= _days(item[1:].strip())
            elif re.fullmatch(r"\d{2}-\d{2}", item):
                month, day = (int(p) for p in item.split("-"))
                date(2024, month, day)  # a leap year accepts 02-29
                yearly.add((month, day))
            else:
                dates |= _days(item)
        except ValueError as exc:
            raise RuleError(f"cannot read the holiday {item!r}") from exc
    check_country(country)
    days = frozenset(range(5))
    if working_weekdays:
        try:
            days = frozenset(_WEEKDAYS[fold(w)] for w in working_weekdays)
        except KeyError as exc:
            raise RuleError(f"unknown weekday {exc.args[0]!r}") from exc
    return Holidays(frozenset(yearly), frozenset(dates), days, country, frozenset(removed))


def meeting_start(rule: Rule, year: int, month: int, holidays: Holidays, tz: ZoneInfo) -> datetime:
    """The UTC start of the rule's meeting in that month, moved off holidays."""
    day = holidays.move(rule.occurrence(year, month))
    return datetime.combine(day, rule.at, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Offset:
    """When a reminder goes out: '2h' before, or '3d@08:00' (three days before, at 08:00)."""

    label: str
    before: timedelta
    at: time | None = None

    def due(self, starts_at: datetime, tz: ZoneInfo) -> datetime:
        """When the reminder for a meeting starting at `starts_at` goes out, in UTC."""
        if self.at is None:
            return starts_at - self.before
        local_day = starts_at.astimezone(tz).date() - self.before
        return datetime.combine(local_day, self.at, tzinfo=tz).astimezone(UTC)

    @property
    def longest_lead(self) -> timedelta:
        """An upper bound of how long before the start this reminder can fall due."""
        return self.before + (timedelta(days=1) if self.at is not None else timedelta())


def parse_offset(text: str) -> Offset:
    """'2h', '30m', '1d', '3d@08:00'."""
    spec, _, at = text.strip().partition("@")
    match = re.fullmatch(r"(\d{1,3})([mhd])", spec.strip())
    if match is None:
        raise RuleError(f"cannot read the reminder offset {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    if at:
        if unit != "d":
            raise RuleError(f"offset {text!r}: a time of day goes with days, e.g. 3d@08:00")
        return Offset(spec.strip(), timedelta(days=amount), parse_time(at))
    before = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount)}.get(
        unit, timedelta(days=amount)
    )
    return Offset(spec.strip(), before)


# --- dates typed by secretaries ------------------------------------------------------------


class WhenError(ValueError):
    """A date/time a secretary typed that we refuse; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # format | date | time | past | ambiguous | no_time


_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?(?![\d:h])")
# A past date without a year within this many days is a mistake, not next year's date.
_PAST_WINDOW = timedelta(days=62)


def _date_of(found: re.Match[str], today: date) -> date:
    """The date a `_DATE_RE` match names: without a year, this year's or (well past) next
    year's. Raises WhenError for an impossible date or one just past."""
    d, m, y = found.group(1), found.group(2), found.group(3)
    year = int(y) + (2000 if y and len(y) == 2 else 0) if y else today.year
    if y and len(y) not in (2, 4):
        raise WhenError("date")
    try:
        day = date(year, int(m), int(d))
    except ValueError as exc:
        raise WhenError("date") from exc
    if not y and day < today:
        if today - day <= _PAST_WINDOW:
            raise WhenError("past")
        try:
            day = date(year + 1, int(m), int(d))
        except ValueError as exc:
            raise WhenError("date") from exc
    return day


def parse_when(
    text: str, now: datetime, tz: ZoneInfo, *, default_time: time | None = None
) -> datetime:
    """Read '7/12 19h30', '07/12/2026 19:30', 'thứ bảy 19h', 'mai 7h30' into a future UTC time.

    Refuses (WhenError) what is malformed, impossible (31/02, 19h75), in the past, or ambiguous
    (a bare weekday naming today; a weekday that contradicts the date).
    """
    folded = fold(text).replace(",", " ")
    today = now.astimezone(tz).date()
    rest = folded
    at: time | None = None
    found = list(_TIME_RE.finditer(folded))
    time_match = found[-1] if found else None
    date_match = _DATE_RE.search(folded)
    if time_match is not None:
        try:
            at = _time_of(time_match)
        except RuleError as exc:
            raise WhenError("time") from exc
        rest = folded[: time_match.start()] + " " + folded[time_match.end() :]
    elif re.search(r"\d+\s*(?:h|g|gio)\s*\d*", folded):
        raise WhenError("time")
    day: date | None = None
    if date_match is not None:
        day = _date_of(date_match, today)
        rest = rest.replace(date_match.group(0), " ")
    weekday = None
    if wm := re.search(rf"(?<![a-z0-9])({_WEEKDAY_RE})(?![a-z0-9])", rest):
        weekday = _WEEKDAYS[wm.group(1)]
        rest = rest.replace(wm.group(0), " ")
    next_week = bool(re.search(r"\btuan (sau|toi)\b", rest))
    rest = re.sub(r"\btuan (sau|toi)\b", " ", rest)
    relative = None
    if re.search(r"\bhom nay\b", rest):
        relative = 0
    elif re.search(r"\b(ngay mai|mai)\b", rest):
        relative = 1
    rest = re.sub(r"\b(hom nay|ngay mai|mai|ngay|luc|vao|hop|sang|trua|chieu|toi)\b", " ", rest)
    if rest.strip():
        raise WhenError("format")
    if day is None and relative is not None:
        day = today + timedelta(days=relative)
    if day is None and weekday is not None:
        shift = (weekday - today.weekday()) % 7
        if shift == 0 and not next_week:
            raise WhenError("ambiguous")
        if next_week:
            # "thứ bảy tuần sau": the Saturday of next week (weeks start on Monday).
            monday_next = today + timedelta(days=7 - today.weekday())
            day = monday_next + timedelta(days=weekday)
        else:
            day = today + timedelta(days=shift)
    elif day is not None and weekday is not None and day.weekday() != weekday:
        raise WhenError("ambiguous")
    if day is None:
        raise WhenError("format")
    if at is None:
        if default_time is None:
            raise WhenError("no_time")
        at = default_time
    moment = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
    if moment <= now:
        raise WhenError("past")
    if moment - now > timedelta(days=400):
        raise WhenError("ambiguous")
    return moment
