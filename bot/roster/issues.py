"""What is wrong with a roster file: each problem located as the admin sees it in their
spreadsheet, and the error that refuses the file with all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core import texts


@dataclass(frozen=True)
class RosterIssue:
    """One problem in a roster file, located as the admin sees it in their spreadsheet."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """The issue as one Vietnamese line: sheet, then row and column when known."""
        if self.row is not None and self.column:
            return texts.ROSTER_ISSUE_AT.format(
                sheet=self.sheet, row=self.row, column=self.column, message=self.message
            )
        if self.row is not None:
            return texts.ROSTER_ISSUE_ROW.format(
                sheet=self.sheet, row=self.row, message=self.message
            )
        return texts.ROSTER_ISSUE_SHEET.format(sheet=self.sheet, message=self.message)


class RosterError(Exception):
    """The roster file is refused as a whole; `issues` lists every problem found."""

    def __init__(self, issues: list[RosterIssue]) -> None:
        super().__init__(f"{len(issues)} problem(s) in the roster file")
        self.issues = issues


def format_issues(issues: Sequence[RosterIssue], limit: int = 200) -> list[str]:
    """Printable lines for the first `limit` issues, plus a 'and N more' line."""
    lines = [str(issue) for issue in issues[:limit]]
    if len(issues) > limit:
        lines.append(texts.ROSTER_MORE_ISSUES.format(count=len(issues) - limit))
    return lines
