"""The sandbox's demo organisation (written as a roster and imported like one) and demo bulletin.

The demo goes through the same roster reader and importer as `chibo roster import`, so the CSV
files it leaves in the data directory are also working examples of the roster format.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.core import texts
from bot.core.textnorm import fold
from bot.roster.reader import read_roster
from storage.db import Database
from storage.members import MemberRepo
from storage.roster import RosterRepo
from storage.units import UnitRepo

logger = logging.getLogger(__name__)

COMMUNE = ("XTP", "Đảng bộ xã Tân Phú", "Đảng bộ")
CELLS = [
    ("XTP-TT", "Chi bộ ấp Tân Thành", "Chi bộ ấp"),
    ("XTP-PL", "Chi bộ ấp Phú Lợi", "Chi bộ ấp"),
    ("XTP-LH", "Chi bộ ấp Long Hưng", "Chi bộ ấp"),
]
# (full name, sex, born, position) per cell; the first two of each cell lead it.
MEMBERS: dict[str, list[tuple[str, str, str, str]]] = {
    "XTP-TT": [
        ("Nguyễn Văn Hùng", "Nam", "12/03/1968", "Bí thư"),
        ("Trần Thị Mai", "Nữ", "05/09/1975", "Phó Bí thư"),
        ("Lê Văn Phúc", "Nam", "21/01/1959", ""),
        ("Phạm Thị Thu Hương", "Nữ", "30/06/1982", ""),
        ("Võ Minh Tuấn", "Nam", "14/11/1990", ""),
        ("Huỳnh Thị Lan", "Nữ", "02/02/1965", ""),
        ("Đặng Quốc Việt", "Nam", "18/08/1987", ""),
        ("Nguyễn Thị Ánh", "Nữ", "09/12/1993", ""),
        ("Bùi Văn Lợi", "Nam", "27/04/1955", ""),
        ("Trương Ngọc Hạnh", "Nữ", "11/07/1979", ""),
    ],
    "XTP-PL": [
        ("Lê Thị Hồng Nhung", "Nữ", "23/05/1971", "Bí thư"),
        ("Nguyễn Hữu Trí", "Nam", "07/10/1980", "Phó Bí thư"),
        ("Phan Văn Thắng", "Nam", "15/03/1962", ""),
        ("Đỗ Thị Yến", "Nữ", "28/02/1988", ""),
        ("Hồ Công Minh", "Nam", "04/09/1996", ""),
        ("Ngô Thị Kim Ngân", "Nữ", "19/12/1984", ""),
        ("Dương Văn Sơn", "Nam", "01/06/1958", ""),
        ("Trần Thanh Tâm", "Nam", "26/11/1977", ""),
        ("Lý Thị Tuyết", "Nữ", "13/01/1991", ""),
        ("Võ Thị Bích Phượng", "Nữ", "08/08/1969", ""),
    ],
    "XTP-LH": [
        ("Phạm Văn Dũng", "Nam", "17/04/1966", "Bí thư"),
        ("Huỳnh Thị Thảo", "Nữ", "22/12/1983", "Phó Bí thư"),
        ("Nguyễn Tấn Khánh", "Nam", "03/03/1974", ""),
        ("Lâm Thị Diễm", "Nữ", "16/07/1995", ""),
        ("Đinh Xuân Hải", "Nam", "29/09/1961", ""),
        ("Thái Thị Ngọc Linh", "Nữ", "10/05/1989", ""),
        ("Hoàng Minh Quang", "Nam", "25/02/1972", ""),
        ("Trần Thị Nga", "Nữ", "06/10/1957", ""),
        ("Nguyễn Đức Long", "Nam", "12/12/1985", ""),
        ("Vũ Thị Hoa", "Nữ", "20/03/1992", ""),
    ],
}
# Roles on the commune, given by hand as an administrator would (`chibo roles grant`).
COMMITTEE_MEMBER = "Đặng Quốc Việt"
PROPAGANDA_OFFICER = "Ngô Thị Kim Ngân"

BULLETIN_NAME = "thong-tin-tu-tuong-demo.pdf"
UNITS_CSV = "demo-to-chuc.csv"
MEMBERS_CSV = "demo-dang-vien.csv"
# Every file the demo writes in the data folder (`chibo sandbox --reset` removes them).
DEMO_FILES = (UNITS_CSV, MEMBERS_CSV, BULLETIN_NAME)


@dataclass(frozen=True)
class DemoFiles:
    """Files the demo leaves in the data directory."""

    units_csv: Path
    members_csv: Path
    bulletin_pdf: Path


def write_demo_roster(folder: Path) -> tuple[Path, Path]:
    """The demo organisation as two roster CSV files (units, members)."""
    folder.mkdir(parents=True, exist_ok=True)
    units_path = folder / UNITS_CSV
    members_path = folder / MEMBERS_CSV
    with units_path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(texts.ROSTER_UNIT_HEADERS.values())
        out.writerow([COMMUNE[0], COMMUNE[1], "", COMMUNE[2]])
        for code, name, kind in CELLS:
            out.writerow([code, name, COMMUNE[0], kind])
    with members_path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(texts.ROSTER_MEMBER_HEADERS.values())
        number = 0
        for code, people in MEMBERS.items():
            for name, sex, born, position in people:
                number += 1
                card = f"93{number:07d}"
                out.writerow([number, name, born, sex, card, "", code, position, "Chính thức"])
    return units_path, members_path


async def seed_demo(db: Database, folder: Path, now: datetime) -> DemoFiles:
    """Import the demo organisation, give the commune roles and write the demo bulletin."""
    units_path, members_path = write_demo_roster(folder)
    repo = RosterRepo(db)
    roster = read_roster(
        [units_path, members_path], known_units=await repo.unit_parents(), today=now.date()
    )
    await repo.import_roster(roster, now)
    members, units = MemberRepo(db), UnitRepo(db)
    commune = await units.by_code(COMMUNE[0])
    assert commune is not None
    for name, role in ((COMMITTEE_MEMBER, "committee"), (PROPAGANDA_OFFICER, "propaganda")):
        found = [m for m in await members.find(name) if fold(m.full_name) == fold(name)]
        await members.grant(found[0].id, role, commune.id)
    pdf = write_demo_bulletin(folder / BULLETIN_NAME, now.date())
    return DemoFiles(units_path, members_path, pdf)


# Fonts with Vietnamese glyphs on Debian/Ubuntu (fonts-dejavu-core, fonts-liberation).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)


def _vietnamese_font() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


def write_demo_bulletin(path: Path, today: date) -> Path:
    """A two-page demo 'Thông tin tư tưởng' PDF; ASCII only when no Unicode font is installed."""
    from fpdf import FPDF

    # fpdf2's font subsetting logs every glyph at INFO: not for the admin's terminal.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    font = _vietnamese_font()
    if font is not None:
        pdf.add_font("vi", "", str(font))
        family = "vi"

        def show(text: str) -> str:
            return text

    else:
        # The core PDF fonts have no Vietnamese letters: drop the diacritics rather than fail.
        logger.warning("no Unicode font found: the demo bulletin is written without diacritics")
        family = "helvetica"

        def show(text: str) -> str:
            return _strip_marks(text)

    pdf.set_title(show(texts.SANDBOX_BULLETIN_TITLE))
    for page, paragraphs in enumerate(texts.SANDBOX_BULLETIN_PAGES, start=1):
        pdf.add_page()
        pdf.set_font(family, size=18)
        pdf.multi_cell(
            0, 10, show(texts.SANDBOX_BULLETIN_TITLE), align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(family, size=11)
        pdf.multi_cell(
            0,
            7,
            show(texts.SANDBOX_BULLETIN_ISSUE.format(month=f"{today.month:02d}/{today.year}")),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(6)
        pdf.set_font(family, size=12)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 7, show(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.set_font(family, size=9)
        pdf.multi_cell(
            0,
            6,
            show(texts.SANDBOX_BULLETIN_FOOTER.format(page=page)),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _strip_marks(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
