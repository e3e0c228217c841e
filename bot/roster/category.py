"""The roster's «Diện sinh hoạt» column: the category a minutes book counts a member by (full,
probationary, exempt from Party activity, attending here temporarily from elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.core import texts
from bot.roster.columns import norm

# What RosterMember.category holds besides a stored category: follow the status column again.
AUTO = "auto"
# «Chính thức» / «Dự bị» in the category column: the status they mean.
_STATUS_OF = {"full": "official", "probationary": "probationary"}


class _Row(Protocol):
    def fail(self, key: str, message: str) -> None:
        """Report `message` on this row's column `key` and mark the row refused."""


_LABELS = {
    norm(label): value
    for label, value in {**texts.ROSTER_CATEGORIES, **texts.ROSTER_CATEGORY_LABEL_ALIASES}.items()
}


def parse_category(
    row: _Row, cells: Mapping[str, str], status: str | None, attach: str | None
) -> tuple[str | None, str | None]:
    """(category, status) of one member row: the category to store (None: leave it as it is,
    AUTO: follow the status), and the status the row means (None: as the status column says).
    Labels match without case or diacritics; problems are reported on the row."""
    text = " ".join(cells.get("category", "").split())
    if not text:
        return None, None
    found = _LABELS.get(norm(text))
    if found is None:
        accepted = ", ".join(texts.ROSTER_CATEGORIES)
        row.fail("category", texts.ROSTER_ERR_CATEGORY.format(value=text, accepted=accepted))
        return None, None
    if found in _STATUS_OF:
        meant = _STATUS_OF[found]
        if status is not None and status != meant:
            typed = cells.get("status", "")
            row.fail("category", texts.ROSTER_ERR_CATEGORY_STATUS.format(value=text, status=typed))
            return None, None
        return AUTO, meant
    if found == "attached" and attach is not None:
        row.fail("category", texts.ROSTER_ERR_CATEGORY_ATTACHED)
        return None, None
    return found, None
