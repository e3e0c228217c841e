"""Printable invite sheets: one A4 HTML page set per cell with a QR card per member, and a CSV.

Each QR code is drawn once, as an SVG path inside the sheet (`bot.qr`, cached by content: Zalo's,
the same on every card, is made once): no image file per member (a province's 45,000 PNGs were
much of the time and most of the bytes).
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import segno

from bot.core import texts
from bot.core.textnorm import vi_sort_key
from bot.core.timefmt import format_date
from bot.qr import qr_svg

CARDS_PER_PAGE = 8  # 2 columns x 4 rows on A4
# Zalo's steps take more room than a link: 2 columns x 3 rows; with both apps on each card
# (Zalo and Telegram side by side), 2 columns x 2 rows.
CARDS_PER_PAGE_ZALO = 6
CARDS_PER_PAGE_BOTH = 4

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class CellInvites:
    """The unlinked members of one unit and their invite codes."""

    unit_code: str
    unit_name: str
    members: list[tuple[str, str]]  # (full name, invite code)


@dataclass(frozen=True)
class ZaloInvite:
    """How a member reaches Chibo on Zalo: the bot's link as the Zalo Bot Platform console shows
    it (`[zalo] bot_link`; getMe gives none), empty when the administrator has not filled it in.
    The member then sends the personal code as a message."""

    link: str = ""


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
.steps { grid-column: 1 / span 2; font-size: 10pt; line-height: 1.35; margin: 1.5mm 0 0; }
.both { grid-template-columns: 1fr 1fr; }
.both .who { grid-column: 1 / span 2; }
.app { border-top: 1px solid #999; padding-top: 1.5mm; }
.app .qr svg { width: 30mm; height: 30mm; }
.app-title { font-weight: bold; font-size: 10pt; margin: 0 0 1mm; }
.app .steps, .app .howto, .app .link { font-size: 8.5pt; }
.pages-zalo .page { grid-auto-rows: 84mm; }
.pages-both .page { grid-auto-rows: 126mm; }
@media screen { body { max-width: 200mm; margin: 5mm auto; } }
"""


def write_invite_sheets(
    out_dir: Path,
    cells: list[CellInvites],
    bot_username: str,
    expires: datetime,
    tz: ZoneInfo,
    *,
    zalo: ZaloInvite | None = None,
) -> list[Path]:
    """Write <code>.html and <code>.csv per cell, index.html, and qr/zalo.png when Zalo has a
    link; return the paths.

    Each card shows the ways of the configured apps: Telegram (`bot_username`, a personal QR
    code and link) and Zalo (`zalo`: the bot's QR code and link, then the code to send), side
    by side when both are configured."""
    if not bot_username and zalo is None:
        raise ValueError("invite sheets need Telegram's bot username or Zalo")
    out_dir.mkdir(parents=True, exist_ok=True)
    expiry = format_date(expires, tz)
    written: list[Path] = []
    # Zalo's QR code is the bot's own link, the same on every card: made once.
    zalo_svg = ""
    if zalo is not None and zalo.link:
        zalo_svg = qr_svg(zalo.link)
        written.append(_zalo_png(out_dir, zalo.link))
    sheets = _Sheets(out_dir, bot_username, expiry, zalo, zalo_svg)
    index_lines: list[tuple[str, str, int]] = []
    for cell in sorted(cells, key=lambda c: c.unit_code):
        members = sorted(cell.members, key=lambda m: vi_sort_key(m[0]))
        written += [sheets.write_html(cell, members), sheets.write_csv(cell, members)]
        index_lines.append((cell.unit_name, cell.unit_code, len(members)))
    written.append(_write_index(out_dir, index_lines, expiry))
    return written


def _zalo_png(out_dir: Path, link: str) -> Path:
    """One image of Zalo's QR code, to post where members already are (not one per member)."""
    (out_dir / "qr").mkdir(exist_ok=True)
    png = out_dir / "qr" / "zalo.png"
    segno.make(link, error="m").save(str(png), kind="png", scale=8, border=4)
    return png


@dataclass(frozen=True)
class _Sheets:
    """What every cell's sheet shares: where it goes, the apps' ways in and the expiry date."""

    out_dir: Path
    bot_username: str
    expiry: str
    zalo: ZaloInvite | None
    zalo_svg: str

    def write_html(self, cell: CellInvites, members: list[tuple[str, str]]) -> Path:
        """Write the cell's printable page set, `per_page` cards a page; return its path."""
        both = bool(self.bot_username) and self.zalo is not None
        per_page = (
            CARDS_PER_PAGE_BOTH
            if both
            else CARDS_PER_PAGE
            if self.bot_username
            else CARDS_PER_PAGE_ZALO
        )
        layout = "pages-both" if both else "" if self.bot_username else "pages-zalo"
        cards = []
        for name, code in members:
            link = invite_link(self.bot_username, code)
            tg_svg = qr_svg(link) if self.bot_username else ""
            card = _Card(
                cell, name, code, self.expiry, self.bot_username, tg_svg, self.zalo, self.zalo_svg
            )
            cards.append(card.html())
        pages = [
            '<section class="page">' + "".join(cards[i : i + per_page]) + "</section>"
            for i in range(0, len(cards), per_page)
        ]
        title = texts.INVITE_SHEET_TITLE.format(unit=cell.unit_name)
        subtitle = texts.INVITE_SHEET_SUBTITLE.format(count=len(members))
        header = f"<header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p></header>"
        body = header + "".join(pages)
        if layout:
            body = f'<div class="{layout}">{body}</div>'
        sheet = self.out_dir / f"{file_stem(cell.unit_code)}.html"
        sheet.write_text(_document(title, body), encoding="utf-8")
        return sheet

    def write_csv(self, cell: CellInvites, members: list[tuple[str, str]]) -> Path:
        """Write the cell's names, codes and links as a CSV Excel opens; return its path."""
        bot_username, zalo = self.bot_username, self.zalo
        table = self.out_dir / f"{file_stem(cell.unit_code)}.csv"
        # BOM so that Excel opens the Vietnamese names correctly.
        with table.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            zalo_link = zalo.link if zalo is not None else ""
            if bot_username and zalo is not None:
                writer.writerow(texts.INVITE_SHEET_CSV_HEADER_BOTH)
                writer.writerows(
                    (n, c, invite_link(bot_username, c), zalo_link) for n, c in members
                )
            elif zalo is not None:
                writer.writerow(texts.INVITE_SHEET_CSV_HEADER_ZALO)
                writer.writerows((n, c, zalo_link) for n, c in members)
            else:
                writer.writerow(texts.INVITE_SHEET_CSV_HEADER)
                writer.writerows((n, c, invite_link(bot_username, c)) for n, c in members)
        return table


def _write_index(out_dir: Path, lines: list[tuple[str, str, int]], expiry: str) -> Path:
    """Write index.html: every cell's sheet with its member count, and the codes' expiry."""
    index = out_dir / "index.html"
    items = "".join(
        f'<li><a href="{_e(file_stem(code))}.html">'
        f"{_e(texts.INVITE_INDEX_LINE.format(unit=name, code=code, count=count))}</a></li>"
        for name, code, count in lines
    )
    body = (
        f"<h1>{_e(texts.INVITE_INDEX_TITLE)}</h1>"
        f"<p>{_e(texts.INVITE_INDEX_EXPIRES.format(date=expiry))}</p><ul>{items}</ul>"
    )
    index.write_text(_document(texts.INVITE_INDEX_TITLE, body), encoding="utf-8")
    return index


@dataclass(frozen=True)
class _Card:
    """One member's card: who, the code, then each configured app's way in."""

    cell: CellInvites
    name: str
    code: str
    expiry: str
    bot: str
    tg_svg: str
    zalo: ZaloInvite | None
    zalo_svg: str

    def html(self) -> str:
        """The card's HTML: the member's name and, per app, the QR code and the steps to join."""
        who = (
            f'<p class="name">{_e(self.name)}</p>'
            f'<p class="unit">{_e(self.cell.unit_name)}</p>'
            f'<p class="label">{_e(texts.INVITE_SHEET_CODE)}</p>'
            f'<p class="code">{_e(self.code)}</p>'
        )
        meta = (
            f'<p class="meta">{_e(texts.INVITE_SHEET_EXPIRES.format(date=self.expiry))}. '
            f"{_e(texts.INVITE_SHEET_PERSONAL)}</p>"
        )
        if self.bot and self.zalo is not None:
            apps = (
                '<div class="app">'
                f'<p class="app-title">{_e(texts.INVITE_SHEET_TITLE_ZALO)}</p>'
                f"{self._zalo_body()}</div>"
                '<div class="app">'
                f'<p class="app-title">{_e(texts.INVITE_SHEET_TITLE_TELEGRAM)}</p>'
                f"{self._telegram_body()}</div>"
            )
            return f'<article class="card both"><div class="who">{who}</div>{apps}{meta}</article>'
        svg = self.tg_svg if self.bot else self.zalo_svg
        qr = f'<div class="qr">{svg}</div>' if svg else "<div></div>"
        if self.bot:
            howto = (
                f'<p class="howto">{_e(texts.INVITE_SHEET_HOWTO.format(code=self.code, bot=self.bot))}'
                f'</p><p class="link">{_e(invite_link(self.bot, self.code))}</p>'
            )
        else:
            howto = self._zalo_steps()
        return f'<article class="card">{qr}<div>{who}</div>{howto}{meta}</article>'

    def _zalo_steps(self) -> str:
        assert self.zalo is not None
        steps = texts.INVITE_SHEET_ZALO_STEPS if self.zalo.link else texts.INVITE_SHEET_ZALO_NO_LINK
        lines = "<br>".join(_e(line) for line in steps.format(code=self.code).splitlines())
        link = f'<p class="link">{_e(self.zalo.link)}</p>' if self.zalo.link else ""
        return f'<p class="steps">{lines}</p>{link}'

    def _zalo_body(self) -> str:
        qr = f'<div class="qr">{self.zalo_svg}</div>' if self.zalo_svg else ""
        return qr + self._zalo_steps()

    def _telegram_body(self) -> str:
        return (
            f'<div class="qr">{self.tg_svg}</div>'
            f'<p class="howto">{_e(texts.INVITE_SHEET_HOWTO.format(code=self.code, bot=self.bot))}'
            f'</p><p class="link">{_e(invite_link(self.bot, self.code))}</p>'
        )


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)
