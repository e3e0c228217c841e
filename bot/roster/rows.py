"""The checks of one roster row: a unit or a member row parsed into a RosterUnit or a
RosterMember, each failure an issue at the row's cell.

Privacy: gender and phone columns are accepted and lightly checked here but never leave this
module: RosterMember has no field for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.core import texts
from bot.core.textnorm import fold
from bot.roster.category import parse_category
from bot.roster.columns import norm
from bot.roster.dues import DuesRules, parse_dues
from storage.roster_members import RosterMember
from storage.roster_units import RosterUnit

NAME_LIMIT = 100
UNIT_NAME_LIMIT = 200
CODE_LIMIT = 40
CARD_LIMIT = 20

_CODE_RE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{CODE_LIMIT - 1}}}")
_CARD_RE = re.compile(rf"[0-9A-Z]{{1,{CARD_LIMIT}}}")
_DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_PHONE_RE = re.compile(r"\+?\d{8,15}")
_POSITION_SPLIT = re.compile(r"[,;+]")


def _choices(primary: Mapping[str, str], aliases: Mapping[str, str]) -> dict[str, str]:
    return {norm(label): value for label, value in {**primary, **aliases}.items()}


_KINDS = _choices(texts.ROSTER_UNIT_KINDS, texts.ROSTER_UNIT_KIND_ALIASES)
_POSITIONS = _choices(texts.ROSTER_POSITIONS, texts.ROSTER_POSITION_ALIASES)
_STATUSES = _choices(texts.ROSTER_STATUSES, texts.ROSTER_STATUS_ALIASES)
_GENDERS = {norm(g) for g in texts.ROSTER_GENDERS}


class IssueSink(Protocol):
    """Where the row checks report their problems (the reader of the whole file)."""

    def issue(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        """Record one problem where the admin will find it."""


@dataclass
class RowCheck:
    """The checks of one row: each failure is an issue at the row's cell, and the row is
    refused (`ok` false)."""

    reader: IssueSink
    sheet: str
    row: int
    header: dict[str, str]
    ok: bool = True

    def fail(self, key: str, message: str) -> None:
        """Report `message` at this row's column `key` and refuse the row."""
        self.ok = False
        self.reader.issue(self.sheet, self.row, self.header[key], message)

    def required(self, cells: dict[str, str], key: str, limit: int) -> str:
        """The cell's text with spaces collapsed; refused when empty or over `limit`."""
        value = " ".join(cells.get(key, "").split())
        if not value:
            self.fail(key, texts.ROSTER_ERR_REQUIRED)
        elif len(value) > limit:
            self.fail(key, texts.ROSTER_ERR_TOO_LONG.format(limit=limit))
        return value

    def code(self, cells: dict[str, str], key: str) -> str | None:
        """A unit code, None when the cell is empty; refused when not a code's shape."""
        value = cells.get(key, "")
        if value and not _CODE_RE.fullmatch(value):
            self.fail(key, texts.ROSTER_ERR_UNIT_CODE.format(value=value, limit=CODE_LIMIT))
        return value or None

    def choice(
        self, cells: dict[str, str], key: str, choices: dict[str, str], shown: Iterable[str]
    ) -> str | None:
        """The value `choices` gives the cell (any spelling of a choice or alias), None when
        empty; refused, listing the `shown` choices, when it is none of them."""
        value = cells.get(key, "")
        if not value:
            return None
        found = choices.get(norm(value))
        if found is None:
            self.fail(
                key, texts.ROSTER_ERR_CHOICE_OR_EMPTY.format(value=value, accepted=", ".join(shown))
            )
        return found


def parse_unit(row: RowCheck, cells: dict[str, str]) -> RosterUnit | None:
    """The unit of one «Đơn vị» row, None when the row is refused."""
    code = row.code(cells, "code")
    if code is None:
        row.fail("code", texts.ROSTER_ERR_REQUIRED)
    name = row.required(cells, "name", UNIT_NAME_LIMIT)
    parent = row.code(cells, "parent")
    kind = None
    if not cells.get("kind"):
        row.fail("kind", texts.ROSTER_ERR_REQUIRED)
    else:
        kind = _KINDS.get(norm(cells["kind"]))
        if kind is None:
            accepted = ", ".join(texts.ROSTER_UNIT_KINDS)
            row.fail("kind", texts.ROSTER_ERR_CHOICE.format(value=cells["kind"], accepted=accepted))
    if code and parent == code:
        row.fail("parent", texts.ROSTER_ERR_PARENT_SELF)
    if not row.ok or code is None or kind is None:
        return None
    return RosterUnit(code, name, kind, parent, row.sheet, row.row)


def parse_member(
    row: RowCheck, cells: dict[str, str], raw: dict[str, object], today: date, dues: DuesRules
) -> RosterMember | None:
    """The member of one «Đảng viên» row, None when the row is refused."""
    name = row.required(cells, "name", NAME_LIMIT)
    unit = row.code(cells, "unit")
    if unit is None:
        row.fail("unit", texts.ROSTER_ERR_REQUIRED)
    birth = _parse_date(row, raw.get("birth"), cells.get("birth", ""), today)
    card = cells.get("card", "").upper() or None
    if card is not None and not _CARD_RE.fullmatch(card):
        row.fail("card", texts.ROSTER_ERR_CARD.format(value=cells["card"], limit=CARD_LIMIT))
    phone = cells.get("phone", "")
    if phone and not _PHONE_RE.fullmatch(re.sub(r"[\s.()-]", "", phone)):
        row.fail("phone", texts.ROSTER_ERR_PHONE.format(value=phone))
    gender = cells.get("gender", "")
    if gender and norm(gender) not in _GENDERS:
        accepted = ", ".join(texts.ROSTER_GENDERS)
        row.fail("gender", texts.ROSTER_ERR_CHOICE_OR_EMPTY.format(value=gender, accepted=accepted))
    given = row.choice(cells, "status", _STATUSES, texts.ROSTER_STATUSES)
    roles: list[str] = []
    for part in _POSITION_SPLIT.split(cells.get("position", "")):
        role = row.choice(
            {"position": part.strip()}, "position", _POSITIONS, texts.ROSTER_POSITIONS
        )
        if role and role not in roles:
            roles.append(role)
    attach, until = _parse_attachment(row, cells, unit)
    category, meant = parse_category(row, cells, given, attach)
    status = given or meant or "official"
    owed = parse_dues(row, cells, raw, today, dues)
    if not row.ok or unit is None:
        return None
    return RosterMember(
        name, fold(name), birth, card, unit, status, tuple(roles), row.sheet, row.row,
        attach, until, dues_amount=owed.amount, dues_category=owed.category,
        dues_from=owed.from_period, category=category,
    )  # fmt: skip


_MONTH_RE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_month(text: str) -> str | None:
    """'06/2027' -> '2027-06'; None when it is not a month (the roster's «đến tháng» column and
    `chibo members attach --from/--until` take the same form)."""
    match = _MONTH_RE.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return None
    return f"{int(match.group(2)):04d}-{int(match.group(1)):02d}"


def _parse_attachment(
    row: RowCheck, cells: dict[str, str], unit: str | None
) -> tuple[str | None, str | None]:
    """The host cell code and last month 'YYYY-MM' of a temporary attachment, if any."""
    host = row.code(cells, "attach")
    text = cells.get("attach_until", "")
    until = None
    if text:
        until = parse_month(text)
        if until is None:
            row.fail("attach_until", texts.ROSTER_ERR_ATTACH_MONTH.format(value=text))
        if host is None:
            row.fail("attach_until", texts.ROSTER_ERR_ATTACH_UNTIL_ALONE)
    if host is not None and host == unit:
        row.fail("attach", texts.ROSTER_ERR_ATTACH_SAME)
    return host, until


def _parse_date(row: RowCheck, value: object, text: str, today: date) -> str | None:
    if not text:
        return None
    found: date | None = None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str):
        dmy, ymd = _DMY_RE.fullmatch(text), _YMD_RE.fullmatch(text)
        parts = (dmy.group(3, 2, 1) if dmy else None) or (ymd.group(1, 2, 3) if ymd else None)
        try:
            found = date(*(int(p) for p in parts)) if parts else None
        except ValueError:
            found = None
    if found is None:
        row.fail("birth", texts.ROSTER_ERR_DATE.format(value=text))
        return None
    if found.year < 1900:
        row.fail("birth", texts.ROSTER_ERR_DATE_OLD.format(value=f"{found:%d/%m/%Y}"))
    elif found > today:
        row.fail("birth", texts.ROSTER_ERR_DATE_FUTURE.format(value=f"{found:%d/%m/%Y}"))
    return found.isoformat()
