"""Printable invite sheets: one A4 HTML page set per cell with a QR card per member, and a CSV.

Each QR is drawn once, as an SVG path inside the sheet (`bot.qr`): no image file per member (a
province's 45,000 PNGs were much of the time and most of the bytes).
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import texts
from bot.qr import qr_svg
from bot.textnorm import vi_sort_key
from bot.timefmt import format_date

CARDS_PER_PAGE = 8  # 2 columns x 4 rows on A4

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class CellInvites:
    """The unlinked members of one unit and their invite codes."""

    unit_code: str
    unit_name: str
    members: list[tuple[str, str]]  # (full name, invite code)


def invite_link(bot_username: str, code: str) -> str:
    """The Telegram deep link that redeems `code`."""
    return f"https://t.me/{bot_username}?start={code}"


def file_stem(unit_code: str) -> str:
    """A unit code made safe as a file name (codes from the roster already are)."""
    stem = _UNSAFE.sub("_", unit_code).lstrip(".")
    return stem or "_"


_CSS = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Arial, sans-serif; color: #000; margin: 0; }
header { margin: 0 0 4mm; }
h1 { font-size: 15pt; margin: 0 0 1mm; }
header p { margin: 0; font-size: 10pt; }
.page { display: grid; grid-template-columns: 1fr 1fr; grid-auto-rows: 62mm; gap: 3mm;
        break-after: page; page-break-after: always; }
.page:last-of-type { break-after: auto; page-break-after: auto; }
.card { border: 1px dashed #555; padding: 3mm; display: grid; grid-template-columns: 30mm 1fr;
        column-gap: 3mm; break-inside: avoid; page-break-inside: avoid; overflow: hidden; }
.qr svg { width: 30mm; height: 30mm; display: block; }
.name { font-weight: bold; font-size: 12pt; margin: 0 0 1mm; }
.unit { font-size: 9pt; margin: 0 0 2mm; }
.label { font-size: 8pt; margin: 0; }
.code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 20pt; font-weight: bold;
        letter-spacing: 1.5mm; margin: 0 0 1mm; }
.howto, .link, .meta { grid-column: 1 / span 2; font-size: 8.5pt; margin: 1.5mm 0 0; }
.link { font-family: monospace; word-break: break-all; }
.meta { font-size: 8pt; }
@media screen { body { max-width: 200mm; margin: 5mm auto; } }
"""


def write_invite_sheets(
    out_dir: Path,
    cells: list[CellInvites],
    bot_username: str,
    expires: datetime,
    tz: ZoneInfo,
) -> list[Path]:
    """Write <code>.html and <code>.csv per cell, plus index.html; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    expiry = format_date(expires, tz)
    written: list[Path] = []
    index_lines: list[tuple[str, str, int]] = []
    for cell in sorted(cells, key=lambda c: c.unit_code):
        members = sorted(cell.members, key=lambda m: vi_sort_key(m[0]))
        stem = file_stem(cell.unit_code)
        cards = [_card(cell, name, code, bot_username, expiry) for name, code in members]
        pages = [
            '<section class="page">' + "".join(cards[i : i + CARDS_PER_PAGE]) + "</section>"
            for i in range(0, len(cards), CARDS_PER_PAGE)
        ]
        title = texts.INVITE_SHEET_TITLE.format(unit=cell.unit_name)
        subtitle = texts.INVITE_SHEET_SUBTITLE.format(count=len(members))
        header = f"<header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p></header>"
        sheet = out_dir / f"{stem}.html"
        sheet.write_text(_document(title, header + "".join(pages)), encoding="utf-8")
        table = out_dir / f"{stem}.csv"
        # BOM so that Excel opens the Vietnamese names correctly.
        with table.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(texts.INVITE_SHEET_CSV_HEADER)
            writer.writerows((n, c, invite_link(bot_username, c)) for n, c in members)
        written += [sheet, table]
        index_lines.append((cell.unit_name, cell.unit_code, len(members)))
    index = out_dir / "index.html"
    items = "".join(
        f'<li><a href="{_e(file_stem(code))}.html">'
        f"{_e(texts.INVITE_INDEX_LINE.format(unit=name, code=code, count=count))}</a></li>"
        for name, code, count in index_lines
    )
    body = (
        f"<h1>{_e(texts.INVITE_INDEX_TITLE)}</h1>"
        f"<p>{_e(texts.INVITE_INDEX_EXPIRES.format(date=expiry))}</p><ul>{items}</ul>"
    )
    index.write_text(_document(texts.INVITE_INDEX_TITLE, body), encoding="utf-8")
    written.append(index)
    return written


def _card(cell: CellInvites, name: str, code: str, bot: str, expiry: str) -> str:
    link = invite_link(bot, code)
    svg = qr_svg(link)
    return (
        '<article class="card">'
        f'<div class="qr">{svg}</div>'
        "<div>"
        f'<p class="name">{_e(name)}</p>'
        f'<p class="unit">{_e(cell.unit_name)}</p>'
        f'<p class="label">{_e(texts.INVITE_SHEET_CODE)}</p>'
        f'<p class="code">{_e(code)}</p>'
        "</div>"
        f'<p class="howto">{_e(texts.INVITE_SHEET_HOWTO.format(code=code, bot=bot))}</p>'
        f'<p class="howto">{_e(texts.INVITE_SHEET_HOWTO_ZALO.format(code=code))}</p>'
        f'<p class="link">{_e(link)}</p>'
        f'<p class="meta">{_e(texts.INVITE_SHEET_EXPIRES.format(date=expiry))}. '
        f"{_e(texts.INVITE_SHEET_PERSONAL)}</p>"
        "</article>"
    )


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)
