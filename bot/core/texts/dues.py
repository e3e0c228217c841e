"""Vietnamese texts of the Party dues feature (đảng phí); re-exported by bot.texts."""

from __future__ import annotations

DUES_MONEY = "{amount} đ"
DUES_ROLE = "bí thư, phó bí thư hoặc thủ quỹ chi bộ"
DUES_METHODS = {"cash": "Tiền mặt", "portal": "Cổng Dịch vụ công", "bank": "Chuyển khoản"}

# --- the checklist ----------------------------------------------------------------------------

DUES_HEADER = "💰 Đảng phí tháng {month} — {unit}"
DUES_COUNTS = "Đã đóng: {paid}/{owing} đồng chí · Đã thu: {collected} / phải thu {expected}"
DUES_EXCUSED_COUNT = "Được miễn trong tháng: {count} đồng chí."
DUES_HINT = "Chọn tên một đồng chí để ghi nhận đã đóng, số tiền, hình thức, hoặc miễn đóng."
DUES_PAGE_OF = "Trang {page}/{pages}"
DUES_MARK_PAID = "✅ {name} · {amount}"
DUES_MARK_UNPAID = "⬜ {name} · {amount}"
DUES_MARK_EXCUSED = "🟡 {name} · miễn"
DUES_MARK_NO_DUE = "❔ {name} · chưa có mức"
DUES_MARK_ZERO = "➖ {name} · không phải đóng"
DUES_PREV_PAGE = "◀ Trang trước"
DUES_NEXT_PAGE = "Trang sau ▶"
DUES_PREV_MONTH = "◀ Tháng {month}"
DUES_NEXT_MONTH = "Tháng {month} ▶"
DUES_REMIND_ON = "🔔 Bật nhắc đóng đảng phí hằng tháng"
DUES_REMIND_OFF = "🔕 Tắt nhắc đóng đảng phí hằng tháng"
DUES_REMIND_NOW_ON = (
    "Đã bật nhắc: ngày {day} hằng tháng, Chibo nhắc riêng từng đồng chí chưa đóng đảng phí "
    "tháng đó (không bao giờ gửi danh sách chung)."
)
DUES_REMIND_NOW_OFF = "Đã tắt nhắc đóng đảng phí hằng tháng cho chi bộ."
DUES_MINE_BUTTON = "Đảng phí của tôi"
DUES_CLOSE = "Đóng"
DUES_FROM_ATTENDANCE = "💰 Thu đảng phí"

# --- a member's card --------------------------------------------------------------------------

DUES_CARD_HEADER = "💰 {name} — đảng phí tháng {month}"
DUES_CARD_DUE = "Mức đóng: {amount}/tháng (từ tháng {since}){category}"
DUES_CARD_CATEGORY = " — {name}"
DUES_CARD_NO_DUE = (
    "Chưa có mức đóng trong sổ. Chọn «Đổi mức đóng» để đặt, hoặc «Số tiền khác» để ghi số tiền "
    "đã thu."
)
DUES_CARD_PAID = "Đã đóng {amount} ({method}) ngày {day}."
DUES_CARD_CORRECTED = "Đã sửa {count} lần; lịch sử các lần ghi được giữ lại."
DUES_CARD_UNPAID = "Chưa đóng."
DUES_CARD_EXCUSED = "Được miễn tháng này: {reason}."
DUES_CARD_TYPED = "Số tiền sẽ ghi: {amount}. Chọn hình thức đóng."
DUES_PAY_BUTTON = "{method} · {amount}"
DUES_OTHER_AMOUNT = "Số tiền khác"
DUES_SEVERAL = "Đóng nhiều tháng"
DUES_WITHDRAW = "Hủy ghi nhận đã đóng"
DUES_EXCUSE = "Miễn tháng này (ghi lý do)"
DUES_UNEXCUSE = "Bỏ miễn tháng này"
DUES_CHANGE_DUE = "Đổi mức đóng"
DUES_BACK = "◀ Danh sách"
DUES_CATEGORY_BUTTON = "{name} · {amount}"

DUES_ASK_AMOUNT = (
    "Đồng chí {name} đóng bao nhiêu cho tháng {month}? Gõ số tiền, ví dụ «50000», «50.000đ» "
    "hoặc «50k»."
)
DUES_ASK_REASON = (
    "Lý do miễn đảng phí tháng {month} cho đồng chí {name}? (ví dụ: hoàn cảnh khó khăn, "
    "miễn đóng theo quy định; tối đa {limit} ký tự)"
)
DUES_ASK_DUE = (
    "Mức đóng mới của đồng chí {name}, áp dụng từ tháng {month}: gõ số tiền mỗi tháng (ví dụ "
    "«85.000đ»), hoặc chọn một mức cố định bên dưới. Chibo chỉ lưu số tiền phải đóng, không lưu "
    "tiền lương."
)
DUES_ASK_SEVERAL = "Đồng chí {name} đóng mấy tháng? Chibo ghi các tháng chưa đóng sớm nhất trước."
DUES_SEVERAL_CONFIRM = (
    "Ghi nhận đồng chí {name} đóng {count} tháng: {months} — tổng {total}. Chọn hình thức đóng."
)
DUES_SEVERAL_BUTTON = "{count} tháng"
DUES_NOTHING_TO_PAY = "Đồng chí {name} không còn tháng nào cần đóng trong khoảng cho phép."

DUES_RECORDED = "✔️ Đã ghi nhận: {name} đóng {amount} ({method}) cho tháng {months}."
DUES_WITHDRAWN = "✔️ Đã hủy ghi nhận tháng {month} của đồng chí {name} (lịch sử vẫn được giữ)."
DUES_NOT_PAID = "Tháng {month} của đồng chí {name} chưa được ghi nhận đã đóng."
DUES_EXCUSED_DONE = "✔️ Đã miễn đảng phí tháng {month} cho đồng chí {name}: {reason}."
DUES_UNEXCUSED_DONE = "✔️ Đã bỏ miễn đảng phí tháng {month} của đồng chí {name}."
DUES_EXCUSE_PAID = "Tháng {month} đồng chí {name} đã đóng nên không cần miễn."
DUES_DUE_SET = "✔️ Mức đóng của đồng chí {name} từ tháng {month}: {amount}/tháng."
DUES_WAITING = "Đồng chí vui lòng chọn một lựa chọn ở tin nhắn trên, hoặc gửi /huy để thoát."
DUES_REASON_EMPTY = "Lý do không được để trống; đồng chí gõ lại lý do (tối đa {limit} ký tự)."
DUES_REASON_LONG = "Lý do dài quá {limit} ký tự; đồng chí gõ ngắn gọn hơn."

# --- bad input --------------------------------------------------------------------------------

DUES_AMOUNT_UNREADABLE = (
    "Chibo không đọc được số tiền «{text}». Đồng chí gõ lại, ví dụ «50000», «50.000đ» hoặc «50k»."
)
DUES_AMOUNT_NEGATIVE = "Số tiền phải lớn hơn 0. Đồng chí gõ lại số tiền."
DUES_AMOUNT_ABSURD = (
    "Số tiền lớn hơn {limit} một tháng, có lẽ gõ nhầm. Đồng chí kiểm tra và gõ lại."
)
DUES_BAD_MONTH = "Chibo không hiểu tháng «{text}». Ví dụ: /dangphi 11/2026."
DUES_FUTURE_MONTH = "Tháng {month} chưa đến; đồng chí chỉ mở được sổ đến tháng này."
DUES_NOT_YOUR_BOOK = (
    "Sổ đảng phí này là của một chi bộ khác, không phải chi bộ đồng chí quản lý; không có gì "
    "thay đổi."
)
DUES_OTHER_CELL = (
    "Đồng chí này không thuộc chi bộ đồng chí đang quản lý sổ đảng phí; không có gì thay đổi."
)

# --- a member's own view ----------------------------------------------------------------------

DUES_MINE_HEADER = "💰 Đảng phí năm {year} của đồng chí {name}"
DUES_MINE_DUE = "Mức đóng hiện nay: {amount}/tháng."
DUES_MINE_NO_DUE = "Chi bộ chưa ghi mức đóng đảng phí của đồng chí trong Chibo."
DUES_MINE_PAID = "Đã đóng: tháng {months} — tổng {total}."
DUES_MINE_PAID_NONE = "Chưa có tháng nào được ghi nhận đã đóng."
DUES_MINE_UNPAID = "Chưa đóng: tháng {months}."
DUES_MINE_ALL_PAID = "Không còn tháng nào chưa đóng. Cảm ơn đồng chí!"
DUES_MINE_EXCUSED = "Được miễn: tháng {months}."
DUES_MINE_HOW = (
    "Đồng chí đóng bằng tiền mặt cho chi bộ (bí thư hoặc thủ quỹ) hoặc trên Cổng Dịch vụ công "
    "Quốc gia."
)

# --- reminders and the Statute watch ----------------------------------------------------------

DUES_REMINDER = (
    "💰 Nhắc đóng đảng phí tháng {month}: mức đóng của đồng chí là {amount}. Đồng chí đóng bằng "
    "tiền mặt cho chi bộ hoặc trên Cổng Dịch vụ công Quốc gia. Nếu đã đóng, xin bỏ qua tin này."
)
DUES_WARN_TWO = (
    "⚠️ Đồng chí {name} chưa đóng đảng phí {count} tháng trong năm {year} (tháng {months}) mà "
    "chưa ghi lý do. Theo quy định, không đóng đảng phí ba tháng trong năm mà không có lý do "
    "chính đáng thì chi bộ xem xét, đề nghị xóa tên."
)
DUES_WARN_THREE = (
    "⚠️ Đồng chí {name} đã {count} tháng trong năm {year} chưa đóng đảng phí (tháng {months}) "
    "mà không có lý do được ghi nhận. Đây là căn cứ để chi bộ xem xét, đề nghị xóa tên theo "
    "quy định; đề nghị chi bộ gặp gỡ, tìm hiểu hoàn cảnh của đồng chí."
)
DUES_WARN_ABSENT = "Cùng năm, đồng chí vắng sinh hoạt không có lý do {count} tháng ({dates})."
DUES_WARN_HINT = "Nếu có lý do chính đáng, ghi «Miễn tháng này» trong /dangphi."

# --- the year view and the export -------------------------------------------------------------

DUES_YEAR_LINE = (
    "Đảng phí: {current}/{members} đồng chí đã đóng đủ đến nay ({share}); đã thu {collected} / "
    "phải thu {expected}."
)
DUES_YEAR_MONTHS = "Đảng phí theo tháng (đã thu / phải thu): {months}"
DUES_YEAR_MONTH = "T{month}: {collected}/{expected}"
DUES_YEAR_COMMITTEE = " · đảng phí đủ {share}, thu {collected}/{expected}"

COL_DUES_MEMBERS = "Đóng đủ đảng phí"
COL_DUES_COLLECTED = "Đảng phí đã thu / phải thu"

DUES_EXPORT_SUMMARY = "Tổng hợp"
DUES_EXPORT_TITLE = "Sổ thu nộp đảng phí năm {year} — {unit}"
DUES_EXPORT_HEADERS = (
    "STT",
    "Họ và tên",
    "Số thẻ đảng viên",
    "Mức đóng hiện nay (đồng)",
)
DUES_EXPORT_MONTH = "Tháng {month}"
DUES_EXPORT_TOTAL = "Cộng cả năm (đồng)"
DUES_EXPORT_LAST_PAID = "Ngày đóng gần nhất"
DUES_EXPORT_UNPAID = "Số tháng chưa đóng"
DUES_EXPORT_EXCUSED = "Tháng được miễn"
DUES_EXPORT_ROW_TOTAL = "Cộng tháng (đồng)"
DUES_EXPORT_ROW_KEPT = "Chi bộ giữ lại ({percent}%)"
DUES_EXPORT_ROW_REMITTED = "Nộp cấp trên"
DUES_EXPORT_SUMMARY_HEADERS = (
    "Mã chi bộ",
    "Tên chi bộ",
    "Số đảng viên",
    "Đã thu cả năm (đồng)",
    "Phải thu đến nay (đồng)",
    "Giữ lại (đồng)",
    "Nộp cấp trên (đồng)",
    "Đảng viên chưa đóng từ 3 tháng",
)
CLI_DUES_BAD_YEAR = "Năm không hợp lệ; ví dụ: --year 2027."
CLI_DUES_WRITTEN = "Đã ghi sổ đảng phí năm {year}: {cells} chi bộ, {members} đảng viên vào {path}"

# --- the roster column ------------------------------------------------------------------------

ROSTER_DUES_HEADERS = {
    "dues": "Đảng phí (đồng/tháng)",
    "dues_from": "Đảng phí áp dụng từ tháng",
}
ROSTER_DUES_ALIASES = {
    "dues": ("dang phi", "muc dong dang phi", "muc dang phi", "dang phi dong thang"),
    "dues_from": ("ap dung tu thang", "dang phi tu thang", "tu thang"),
}
ROSTER_ERR_DUES = (
    "«{value}» không phải số tiền hay mức đóng đã khai báo; ghi số tiền mỗi tháng (ví dụ "
    "50000) hoặc một mức: {accepted}"
)
ROSTER_ERR_DUES_LIMIT = "«{value}» vượt quá {limit} một tháng"
ROSTER_ERR_DUES_MONTH = "«{value}» không phải tháng hợp lệ; ghi dạng MM/YYYY, ví dụ 01/2027"
ROSTER_ERR_DUES_MONTH_ALONE = "có tháng áp dụng nhưng thiếu mức đảng phí"
ROSTER_DUES_SET = "Mức đảng phí: {count} thay đổi."
ROSTER_GUIDE_DUES_ROWS = (
    (
        "Đảng viên",
        "Đảng phí (đồng/tháng)",
        False,
        "Số tiền đảng phí mỗi tháng (ví dụ 50000, 50.000đ, 50k) hoặc tên một mức cố định khai "
        "báo trong cấu hình (ví dụ «Học sinh, sinh viên»). Chỉ ghi số tiền phải đóng, không ghi "
        "tiền lương. Nhập lại với số mới là đổi mức đóng.",
    ),
    (
        "Đảng viên",
        "Đảng phí áp dụng từ tháng",
        False,
        "Tháng bắt đầu áp dụng mức đóng, dạng MM/YYYY (ví dụ 01/2027); để trống là từ tháng nhập.",
    ),
)
