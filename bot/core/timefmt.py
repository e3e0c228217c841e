"""Dates and times shown to members, in Vietnamese form ("Thứ Bảy, 05/12/2026 lúc 19:00")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime


def format_date(moment: datetime, tz: ZoneInfo) -> str:
    """'Thứ Bảy, 05/12/2026' in the given zone."""
    return format_datetime(moment, "EEEE, dd/MM/yyyy", tzinfo=tz, locale="vi")


def format_datetime_vi(moment: datetime, tz: ZoneInfo) -> str:
    """'Thứ Bảy, 05/12/2026 lúc 19:00' in the given zone."""
    return format_datetime(moment, "EEEE, dd/MM/yyyy 'lúc' HH:mm", tzinfo=tz, locale="vi")
