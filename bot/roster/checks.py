"""Checks across rows, sheets, files and the database: unit codes unique, parents known, no
cycles, members in known units, attached only to cells and each listed once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.core import texts
from storage.roster_members import RosterMember
from storage.roster_units import RosterUnit, find_cycle


class Collected(Protocol):
    """The rows read from every file (each with its header texts), and where problems go."""

    units: list[tuple[RosterUnit, dict[str, str]]]
    members: list[tuple[RosterMember, dict[str, str]]]

    def issue(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        """Record one problem where the admin will find it."""


def _is_cell(code: str, codes: dict[str, RosterUnit], known: Mapping[str, str | None]) -> bool:
    # A unit only in the database is checked to be a cell when the roster is imported.
    if code in codes:
        return codes[code].kind.startswith("cell")
    return code in known


def cross_check(reader: Collected, known: dict[str, str | None]) -> None:
    """Uniqueness and references across rows, sheets, files and the database."""
    codes = _check_units(reader, known)
    _check_members(reader, codes, known)


def _check_units(reader: Collected, known: dict[str, str | None]) -> dict[str, RosterUnit]:
    """Unit codes unique, parents known, no unit its own ancestor; the roster's units by code."""
    codes: dict[str, RosterUnit] = {}
    for unit, header in reader.units:
        first = codes.get(unit.code)
        if first is not None:
            reader.issue(
                unit.sheet,
                unit.row,
                header["code"],
                texts.ROSTER_ERR_UNIT_DUPLICATE.format(value=unit.code, row=first.row),
            )
        else:
            codes[unit.code] = unit
    exists = set(codes) | set(known)
    for unit, header in reader.units:
        if unit.parent_code and unit.parent_code not in exists:
            reader.issue(
                unit.sheet,
                unit.row,
                header["parent"],
                texts.ROSTER_ERR_UNIT_UNKNOWN.format(value=unit.parent_code),
            )
    parents = {**known, **{c: u.parent_code for c, u in codes.items()}}
    while (cycle := find_cycle(parents)) is not None:
        culprit = next((codes[c] for c in cycle if c in codes), None)
        chain = " → ".join(cycle)
        if culprit is not None:
            header = next(h for u, h in reader.units if u is culprit)
            reader.issue(
                culprit.sheet,
                culprit.row,
                header.get("parent"),
                texts.ROSTER_ERR_CYCLE.format(chain=chain),
            )
        parents[cycle[0]] = None  # break it and look for the next one
    return codes


def _check_members(
    reader: Collected, codes: dict[str, RosterUnit], known: dict[str, str | None]
) -> None:
    """Members in known units, attached only to cells, and each listed once (by card number,
    else by name, birth date and unit)."""
    exists = set(codes) | set(known)
    cards: dict[str, RosterMember] = {}
    keys: dict[tuple[str, str | None, str], RosterMember] = {}
    for member, header in reader.members:
        if member.attach_to is not None and not _is_cell(member.attach_to, codes, known):
            reader.issue(
                member.sheet,
                member.row,
                header["attach"],
                texts.ROSTER_ERR_ATTACH_NOT_CELL.format(value=member.attach_to),
            )
        if member.unit_code not in exists:
            reader.issue(
                member.sheet,
                member.row,
                header["unit"],
                texts.ROSTER_ERR_UNIT_UNKNOWN.format(value=member.unit_code),
            )
        if member.card_no is not None:
            twin = cards.setdefault(member.card_no, member)
            if twin is not member:
                reader.issue(
                    member.sheet,
                    member.row,
                    header["card"],
                    texts.ROSTER_ERR_CARD_DUPLICATE.format(value=member.card_no, row=twin.row),
                )
        else:
            twin = keys.setdefault((member.name_key, member.birth_date, member.unit_code), member)
            if twin is not member:
                reader.issue(
                    member.sheet,
                    member.row,
                    header["name"],
                    texts.ROSTER_ERR_MEMBER_DUPLICATE.format(row=twin.row),
                )
