"""What the `chibo` command groups share: finding a member from what the operator typed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bot.core import texts
from bot.core.types import is_number

if TYPE_CHECKING:
    from storage.members import Member, MemberRepo


async def resolve_member(members: MemberRepo, text: str) -> Member | None:
    """A member by id, card number, or a name matching exactly one member."""
    from storage.units import UnitRepo

    if is_number(text):
        found = await members.get(int(text))
        if found is not None:
            return found
    by_card = await members.by_card(text)
    if by_card is not None:
        return by_card
    matches = await members.find(text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        print(texts.CLI_MEMBER_UNKNOWN.format(text=text), file=sys.stderr)
        return None
    print(texts.CLI_MEMBER_AMBIGUOUS.format(count=len(matches), text=text), file=sys.stderr)
    units = UnitRepo(members.db)
    for m in matches[:20]:
        unit = await units.get(m.unit_id)
        print(
            texts.CLI_MEMBER_LINE.format(
                id=m.id, name=m.full_name, unit=unit.name if unit else "?"
            ),
            file=sys.stderr,
        )
    return None
