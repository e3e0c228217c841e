"""The roster's two tables and their columns, the one place both the template writer and the
reader take them from: each column's key, its Vietnamese header, whether it is required, and the
other headers admins' own lists use for it."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core import texts
from bot.core.textnorm import fold


@functools.lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Key for headers and choices: no diacritics, case, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


@dataclass(frozen=True)
class Table:
    """One roster table: the sheet it is on, its columns' headers (key -> Vietnamese header),
    the required columns and the other headers accepted for a column (already `norm`ed)."""

    name: str  # "units" | "members"
    sheet: str
    headers: Mapping[str, str]
    required: tuple[str, ...]
    aliases: Mapping[str, tuple[str, ...]]

    def lookup(self) -> dict[str, str]:
        """Normalised header -> column key, for the table's own headers and their aliases."""
        found = {norm(label): key for key, label in self.headers.items()}
        for key, names in self.aliases.items():
            found.update({name: key for name in names})
        return found


UNITS = Table(
    "units",
    texts.ROSTER_SHEET_UNITS,
    texts.ROSTER_UNIT_HEADERS,
    ("code", "name", "kind"),
    {
        "code": ("ma", "ma dv", "ma to chuc", "ma co so dang"),
        "name": ("ten", "ten dv", "ten to chuc", "ten co so dang"),
        "parent": ("cap tren", "ma cap tren", "don vi cap tren", "ma dv cap tren"),
        "kind": ("loai", "loai dv", "loai to chuc"),
    },
)
MEMBERS = Table(
    "members",
    texts.ROSTER_SHEET_MEMBERS,
    {**texts.ROSTER_MEMBER_HEADERS, **texts.ROSTER_CATEGORY_HEADERS, **texts.ROSTER_DUES_HEADERS},
    ("name", "unit"),
    {
        **texts.ROSTER_DUES_ALIASES,
        **texts.ROSTER_CATEGORY_ALIASES,
        "stt": ("tt", "so thu tu", "so tt"),
        "name": ("ho ten", "ho va ten dang vien", "ho ten dang vien", "ten dang vien"),
        "birth": ("ngay thang nam sinh", "sinh ngay", "ngay sinh dd mm yyyy"),
        "gender": ("gioi", "nam nu", "phai"),
        "card": ("so the", "so the dv", "the dang vien", "ma the", "so the dang"),
        "phone": ("so dien thoai", "sdt", "dt", "so dt", "dien thoai di dong"),
        "unit": ("chi bo", "chi bo ma don vi", "ma don vi chi bo", "don vi sinh hoat"),
        "position": ("chuc vu dang", "chuc danh"),
        "status": ("dang vien chinh thuc du bi", "chinh thuc du bi", "tinh trang"),
        "attach": ("sinh hoat tam thoi", "ma chi bo sinh hoat tam thoi", "tam thoi tai"),
        "attach_until": ("sinh hoat tam thoi den thang", "tam thoi den", "den thang"),
    },
)
TABLES = (UNITS, MEMBERS)
