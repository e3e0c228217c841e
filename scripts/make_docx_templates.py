"""Builds the default minutes and resolution templates (handlers/templates/*.docx) with python-docx.

Run from the repository root after changing this file: `python scripts/make_docx_templates.py`.
The layout follows Hướng dẫn 36-HD/VPTW on Party documents: A4, margins top/bottom 20 mm, left
30 mm, right 15 mm, Times New Roman (it has every Vietnamese letter), the header «ĐẢNG CỘNG SẢN
VIỆT NAM» facing the level above and the cell, and «T/M CHI BỘ / BÍ THƯ» under the resolution.
Placeholders are docxtpl (Jinja2) tags; `{%p ... %}` paragraphs repeat or drop whole paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

OUT = Path(__file__).resolve().parent.parent / "handlers" / "templates"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def new_document() -> Document:  # type: ignore[valid-type]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    # East Asian and complex-script runs too, or Word falls back to another font for them.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(3)
    return doc


def para(
    container, text: str = "", *, bold=False, italic=False, underline=False, align=None, size=None
):  # type: ignore[no-untyped-def]
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    return p


def cell_lines(cell: _Cell, lines: list[tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    cell.paragraphs[0].text = ""
    first = True
    for text, fmt in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = CENTER
        run = p.add_run(text)
        run.bold = fmt.get("bold", False)
        run.italic = fmt.get("italic", False)
        run.underline = fmt.get("underline", False)
        run.font.size = Pt(fmt.get("size", 13))


def header(doc, left: list[tuple[str, dict]], right: list[tuple[str, dict]]) -> None:  # type: ignore[no-untyped-def,type-arg]
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_lines(table.cell(0, 0), left)
    cell_lines(table.cell(0, 1), right)


def signatures(doc, left: list[tuple[str, dict]], right: list[tuple[str, dict]]) -> None:  # type: ignore[no-untyped-def,type-arg]
    para(doc)
    table = doc.add_table(rows=1, cols=2)
    cell_lines(table.cell(0, 0), left)
    cell_lines(table.cell(0, 1), right)


def loop(doc, head: str, item: str, var: str, seq: str) -> None:  # type: ignore[no-untyped-def]
    """A paragraph per element of `seq` (docxtpl's {%p %} tags drop their own paragraphs)."""
    if head:
        para(doc, head, align=JUSTIFY)
    para(doc, "{%p for " + var + " in " + seq + " %}")
    para(doc, item, align=JUSTIFY)
    para(doc, "{%p endfor %}")


B = {"bold": True}
PARTY = [("ĐẢNG CỘNG SẢN VIỆT NAM", {"bold": True, "underline": True, "size": 14})]


def minutes() -> None:
    doc = new_document()
    header(
        doc,
        [("{{ level_above_upper }}", {}), ("{{ unit_name_upper }}", B), ("*", {})],
        [*PARTY, ("{{ place_date }}", {"italic": True})],
    )
    para(doc)
    para(doc, "BIÊN BẢN", bold=True, align=CENTER, size=15)
    para(doc, "Sinh hoạt chi bộ {{ kind }} {{ period }}", bold=True, align=CENTER)
    para(doc, "I. THỜI GIAN, ĐỊA ĐIỂM", bold=True)
    para(doc, "- Thời gian: bắt đầu lúc {{ start_time }}, {{ meeting_date }}.", align=JUSTIFY)
    para(doc, "- Địa điểm: {{ place }}.", align=JUSTIFY)
    para(doc, "II. THÀNH PHẦN", bold=True)
    para(doc, "- Chủ trì: đồng chí {{ chair }}. Thư ký: đồng chí {{ clerk }}.", align=JUSTIFY)
    para(
        doc,
        "- Khách mời: {% if guests %}đồng chí {{ guests|join(', đồng chí ') }}"
        "{% else %}không có{% endif %}.",
        align=JUSTIFY,
    )
    para(
        doc,
        "- Tổng số đảng viên của chi bộ: {{ totals.total }} đồng chí (chính thức "
        "{{ totals.full }}, dự bị {{ totals.probationary }}, miễn công tác và sinh hoạt đảng "
        "{{ totals.exempt }}); đảng viên sinh hoạt tạm thời: {{ totals.attached }} đồng chí.",
        align=JUSTIFY,
    )
    para(
        doc,
        "- Đảng viên phải dự: {{ totals.required }} đồng chí; có mặt {{ totals.present }}; "
        "vắng có lý do {{ totals.excused }}; vắng không có lý do {{ totals.absent }}.",
        align=JUSTIFY,
    )
    loop(doc, "- Đảng viên có mặt:", "+ Đồng chí {{ name }}", "name", "present")
    loop(doc, "- Vắng có lý do:", "+ Đồng chí {{ e.name }}: {{ e.reason }}", "e", "excused")
    loop(doc, "- Vắng không có lý do:", "+ Đồng chí {{ name }}", "name", "absent")
    loop(doc, "- Được miễn công tác và sinh hoạt đảng:", "+ Đồng chí {{ name }}", "name", "exempt")
    para(doc, "III. NỘI DUNG", bold=True)
    loop(doc, "1. Chương trình sinh hoạt:", "- {{ item }}", "item", "agenda")
    # Only when documents went out ahead: a heading over nothing reads like a gap in the book.
    para(doc, "{%p if documents %}")
    loop(doc, "Tài liệu gửi đảng viên trước buổi sinh hoạt:", "- {{ d }}", "d", "documents")
    para(doc, "{%p endif %}")
    loop(
        doc,
        "2. Kết quả thực hiện nhiệm vụ tháng qua (theo báo cáo của đảng viên):",
        "- {{ c.task }} — đồng chí {{ c.member }}: {{ c.status }}"
        "{% if c.note %} ({{ c.note }}){% endif %}",
        "c",
        "checkins",
    )
    para(
        doc,
        "Tổng hợp: hoàn thành {{ checkin_summary.done }}, đang thực hiện "
        "{{ checkin_summary.doing }}, chưa thực hiện {{ checkin_summary.todo }}, gặp khó khăn "
        "{{ checkin_summary.blocked }}, chưa báo cáo {{ checkin_summary.missing }}.",
        align=JUSTIFY,
    )
    para(
        doc,
        "3. Thông tin tư tưởng: {% if bulletin %}bản tin {{ bulletin.issue }} "
        "«{{ bulletin.title }}», {{ bulletin.read }}/{{ bulletin.total }} đảng viên đã đọc."
        "{% else %}không có bản tin trong tháng.{% endif %}",
        align=JUSTIFY,
    )
    para(doc, "4. Ý kiến phát biểu:")
    for _ in range(3):
        para(doc, "- Đồng chí ……………………………: ………………………………………………………………")
    loop(doc, "5. Kết luận của chủ trì:", "{{ line }}", "line", "conclusions")
    loop(
        doc,
        "6. Nhiệm vụ tháng tới:",
        "- {{ t.task }} (phân công: {{ t.assignees }}{% if t.due %}; hạn {{ t.due }}{% endif %})",
        "t",
        "next_tasks",
    )
    para(
        doc,
        "7. Biểu quyết thông qua nghị quyết: tán thành {{ vote.yes }}, không tán thành "
        "{{ vote.no }}, không biểu quyết {{ vote.abstain }}.",
        align=JUSTIFY,
    )
    para(
        doc,
        "Biên bản đã được đọc lại trước chi bộ và thông qua lúc …… giờ …… cùng ngày.",
        italic=True,
        align=JUSTIFY,
    )
    signatures(
        doc,
        [("THƯ KÝ", B), ("", {}), ("", {}), ("", {}), ("{{ clerk }}", B)],
        [("CHỦ TRÌ", B), ("", {}), ("", {}), ("", {}), ("{{ chair }}", B)],
    )
    doc.save(str(OUT / "bien-ban.docx"))


def resolution() -> None:
    doc = new_document()
    header(
        doc,
        [
            ("{{ level_above_upper }}", {}),
            ("{{ unit_name_upper }}", B),
            ("*", {}),
            ("Số: ……-NQ/CB", {}),
        ],
        [*PARTY, ("", {}), ("{{ place_date }}", {"italic": True})],
    )
    para(doc)
    para(doc, "NGHỊ QUYẾT", bold=True, align=CENTER, size=15)
    para(doc, "Hội nghị chi bộ {{ period }}", bold=True, align=CENTER)
    para(doc, "-----", align=CENTER)
    para(
        doc,
        "Căn cứ Điều lệ Đảng; căn cứ kết quả sinh hoạt chi bộ {{ meeting_date }}, "
        "chi bộ quyết nghị:",
        align=JUSTIFY,
    )
    para(doc, "I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG QUA", bold=True)
    loop(doc, "", "- {{ line }}", "line", "assessment")
    para(doc, "II. NHIỆM VỤ THÁNG TỚI", bold=True)
    loop(
        doc,
        "",
        "{{ loop.index }}. {{ t.task }} (phân công: {{ t.assignees }}"
        "{% if t.due %}; hạn {{ t.due }}{% endif %})",
        "t",
        "open_tasks",
    )
    para(doc, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    para(
        doc,
        "Đảng viên trong chi bộ căn cứ nghị quyết tổ chức thực hiện; chi ủy (bí thư) theo "
        "dõi, kiểm tra và báo cáo kết quả tại kỳ sinh hoạt tới.",
        align=JUSTIFY,
    )
    para(
        doc,
        "Nghị quyết được chi bộ biểu quyết thông qua: tán thành {{ vote.yes }}, không tán "
        "thành {{ vote.no }}, không biểu quyết {{ vote.abstain }}.",
        align=JUSTIFY,
    )
    signatures(
        doc,
        [
            ("Nơi nhận:", {"bold": True, "underline": True, "size": 12}),
            ("- {{ level_above }} (để báo cáo),", {"size": 11}),
            ("- Đảng viên trong chi bộ,", {"size": 11}),
            ("- Lưu chi bộ.", {"size": 11}),
        ],
        [("T/M CHI BỘ", B), ("BÍ THƯ", B), ("", {}), ("", {}), ("{{ signer }}", B)],
    )
    doc.save(str(OUT / "nghi-quyet.docx"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    minutes()
    resolution()
    print(f"wrote {OUT / 'bien-ban.docx'} and {OUT / 'nghi-quyet.docx'}")
