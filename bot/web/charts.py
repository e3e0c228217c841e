"""Charts of the dashboard, drawn on the server with matplotlib (SVG for pages, PNG for files
and chat). The object-oriented API only (no pyplot state), one figure at a time."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any, cast

import matplotlib
import numpy as np

matplotlib.use("Agg")
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import MaxNLocator

from bot.core import texts
from handlers.dashboard import Dashboard, Figures

KINDS = ("meetings", "attendance", "tasks", "bulletin")
# Units shown in a chart by unit; the table has all of them.
MAX_BARS = 25
# matplotlib's global state (font cache, rcParams) is not made for threads drawing at once.
_LOCK = threading.Lock()
_COLORS = {"ok": "#2e7d32", "moved": "#f9a825", "bad": "#c62828", "a": "#1565c0", "b": "#90caf9"}

matplotlib.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.fonttype": "none",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "chibo",
    }
)


def period_label(board: Dashboard) -> str:
    """The board's period as the page names it: a month, or a whole year."""
    p = board.period
    if p.month is None:
        return texts.PAGE_YEAR.format(year=p.year)
    return texts.PAGE_MONTH.format(month=p.month, year=p.year)


def _months(board: Dashboard) -> tuple[list[int], list[Figures]]:
    keys = sorted(board.months)
    return keys, [board.months[k] for k in keys]


def _meetings(fig: Figure | SubFigure, board: Dashboard) -> None:
    ax = fig.add_subplot()
    months, figs = _months(board)
    on_time = [f.on_time for f in figs]
    moved = [f.moved for f in figs]
    not_held = [f.not_held for f in figs]
    ax.bar(months, on_time, color=_COLORS["ok"], label=texts.COL_ON_TIME)
    ax.bar(months, moved, bottom=on_time, color=_COLORS["moved"], label=texts.COL_MOVED)
    base = [a + b for a, b in zip(on_time, moved, strict=True)]
    ax.bar(months, not_held, bottom=base, color=_COLORS["bad"], label=texts.COL_NOT_HELD)
    ax.set_xticks(months)
    ax.set_xlabel(texts.CHART_MONTH_AXIS)
    ax.set_ylabel(texts.CHART_COUNT_AXIS)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.set_title(texts.CHART_MEETINGS.format(unit=board.unit.name, year=board.period.year))


def _attendance(fig: Figure | SubFigure, board: Dashboard) -> None:
    ax = fig.add_subplot()
    months, figs = _months(board)
    rates = [f.attendance_rate or 0.0 for f in figs]
    ax.bar(months, rates, color=_COLORS["a"], label=texts.CHART_ATTENDANCE_SERIES)
    ax.set_ylim(0, 100)
    ax.set_xticks(months)
    ax.set_xlabel(texts.CHART_MONTH_AXIS)
    ax.set_ylabel(texts.CHART_PERCENT_AXIS)
    twin = ax.twinx()
    twin.plot(
        months,
        [f.absent for f in figs],
        color=_COLORS["bad"],
        marker="o",
        label=texts.CHART_ABSENT_SERIES,
    )
    twin.set_ylabel(texts.CHART_ABSENT_AXIS)
    twin.set_ylim(bottom=0)
    twin.yaxis.set_major_locator(MaxNLocator(integer=True))
    handles = ax.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="lower left", fontsize=8)
    ax.set_title(texts.CHART_ATTENDANCE.format(unit=board.unit.name, year=board.period.year))


def _by_unit(
    fig: Figure | SubFigure,
    board: Dashboard,
    title: str,
    series: tuple[tuple[str, Callable[[Figures], float | None], str], ...],
) -> None:
    rows = [(u.name, f) for u, f in board.children] or [(texts.CHART_TOTAL, board.total)]
    hidden = max(0, len(rows) - MAX_BARS)
    rows = rows[:MAX_BARS]
    ax = fig.add_subplot()
    height = 0.8 / len(series)
    positions = list(range(len(rows)))
    for i, (label, value, color) in enumerate(series):
        ax.barh(
            [p + i * height for p in positions],
            [value(f) or 0.0 for _, f in rows],
            height=height,
            color=color,
            label=label,
        )
    ax.set_yticks([p + height * (len(series) - 1) / 2 for p in positions])
    ax.set_yticklabels([name for name, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(
        texts.CHART_PERCENT_AXIS + (" " + texts.CHART_MORE.format(n=hidden) if hidden else "")
    )
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title.format(unit=board.unit.name, period=period_label(board)))


def _tasks(fig: Figure | SubFigure, board: Dashboard) -> None:
    _by_unit(
        fig,
        board,
        texts.CHART_TASKS,
        (
            (texts.CHART_TASK_SERIES, lambda f: f.task_share, _COLORS["a"]),
            (texts.CHART_RESPONSE_SERIES, lambda f: f.response_rate, _COLORS["b"]),
        ),
    )


def _bulletin(fig: Figure | SubFigure, board: Dashboard) -> None:
    _by_unit(
        fig,
        board,
        texts.CHART_BULLETIN,
        (
            (texts.CHART_DELIVERED_SERIES, lambda f: f.delivered_rate, _COLORS["b"]),
            (texts.CHART_READ_SERIES, lambda f: f.read_rate, _COLORS["ok"]),
        ),
    )


_DRAW: dict[str, Callable[[Figure | SubFigure, Dashboard], None]] = {
    "meetings": _meetings,
    "attendance": _attendance,
    "tasks": _tasks,
    "bulletin": _bulletin,
}


def _size(kind: str, board: Dashboard) -> tuple[float, float]:
    if kind in ("tasks", "bulletin"):
        bars = min(MAX_BARS, max(1, len(board.children)))
        return 7.0, 1.6 + 0.32 * bars
    return 7.0, 3.6


def render(kind: str, board: Dashboard, fmt: str) -> bytes:
    """One chart as 'svg' or 'png' bytes."""
    fig = Figure(figsize=_size(kind, board), layout="constrained")
    with _LOCK:
        _DRAW[kind](fig, board)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=144 if fmt == "png" else 72, metadata=_metadata(fmt))
    return out.getvalue()


def render_summary(board: Dashboard) -> bytes:
    """The four charts in one PNG (the picture /tongket sends to the chat)."""
    height = sum(_size(k, board)[1] for k in KINDS)
    fig = Figure(figsize=(7.0, height), layout="constrained")
    heights = [_size(k, board)[1] for k in KINDS]
    grid: Any = fig.subfigures(len(KINDS), 1, height_ratios=heights)
    subfigs = [cast(SubFigure, sub) for sub in np.ravel(grid)]
    with _LOCK:
        for sub, kind in zip(subfigs, KINDS, strict=True):
            _DRAW[kind](sub, board)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=110, metadata=_metadata("png"))
    return out.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    # No dates in the files: the same figures give the same bytes.
    return {"Date": None} if fmt == "svg" else {"Software": None}
