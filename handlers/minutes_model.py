"""The plain structure of a meeting's minutes and resolution (`MinutesData`): what
`handlers.minutes_data.build_minutes` reads and what a template may show."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Totals:
    """Members by category and by attendance; required = total - exempt = present + excused +
    absent."""

    total: int = 0
    full: int = 0
    probationary: int = 0
    exempt: int = 0
    attached: int = 0
    required: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0


@dataclass(frozen=True)
class Excused:
    name: str
    reason: str


@dataclass(frozen=True)
class CheckinLine:
    task: str
    member: str
    status: str
    note: str


@dataclass(frozen=True)
class TaskLine:
    task: str
    assignees: str
    due: str


@dataclass(frozen=True)
class Vote:
    yes: str
    no: str
    abstain: str


@dataclass(frozen=True)
class MinutesData:
    """Everything a minutes or resolution template may show (`docx_render.PLACEHOLDERS`)."""

    level_above: str
    level_above_upper: str
    unit_name: str
    unit_name_upper: str
    kind: str
    period: str
    meeting_date: str
    start_time: str
    place: str
    place_date: str
    chair: str
    clerk: str
    signer: str
    guests: list[str]
    totals: Totals
    present: list[str]
    excused: list[Excused]
    absent: list[str]
    exempt: list[str]
    agenda: list[str]
    documents: list[str]
    checkins: list[CheckinLine]
    checkin_summary: dict[str, int]
    next_tasks: list[TaskLine]
    open_tasks: list[TaskLine]
    bulletin: dict[str, Any] | None
    assessment: list[str]
    conclusions: list[str]
    vote: Vote
    # Not shown: which members the lists were built from (tests and the export use it).
    attendance_saved: bool = field(default=False)

    def context(self) -> dict[str, Any]:
        """The template context: plain dicts, lists and strings."""
        data = asdict(self)
        data.pop("attendance_saved")
        return data
