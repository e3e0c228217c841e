"""Texts of the committees' web dashboard and of /web (Vietnamese, full diacritics)."""

from __future__ import annotations

# --- chat ----------------------------------------------------------------------------------
WEB_LINK = (
    "Liên kết vào trang tổng hợp của đồng chí (chỉ dùng được một lần, trong {minutes} phút):\n"
    "{url}\n"
    "Liên kết này đăng nhập thay đồng chí: xin đừng chuyển cho người khác. Phiên làm việc "
    "kéo dài {hours} giờ; khi dùng xong, chọn «Đăng xuất» trên trang."
)
WEB_OFF = (
    "Trang tổng hợp trên web chưa được bật trên máy chủ này. Đồng chí vui lòng báo quản trị "
    "viên (mục [web] trong tệp cấu hình)."
)
CHART_CAPTION = "Biểu đồ tổng hợp năm {year}: {unit}"

# --- pages ---------------------------------------------------------------------------------
APP_TITLE = "Chibo — Trang tổng hợp"
PAGE_ENTER_TITLE = "Vào trang tổng hợp"
PAGE_ENTER_BODY = "Chọn nút dưới đây để đăng nhập. Liên kết chỉ dùng được một lần."
PAGE_ENTER_BUTTON = "Vào trang tổng hợp"
PAGE_BAD_LINK = (
    "Liên kết không hợp lệ, đã được dùng hoặc đã hết hạn. Đồng chí gửi /web cho Chibo trong "
    "Telegram hoặc Zalo để nhận liên kết mới."
)
PAGE_TOO_MANY = (
    "Có quá nhiều lần thử liên kết không hợp lệ từ máy này. Xin đợi {minutes} phút rồi thử lại "
    "với liên kết mới (gửi /web cho Chibo)."
)
PAGE_SIGNED_OUT = (
    "Đồng chí chưa đăng nhập, hoặc phiên làm việc đã kết thúc. Gửi /web cho Chibo trong "
    "Telegram hoặc Zalo để nhận liên kết đăng nhập."
)
PAGE_LOGGED_OUT = "Đồng chí đã đăng xuất. Gửi /web cho Chibo khi cần vào lại."
PAGE_NO_ROLE = (
    "Đồng chí không còn vai trò nào được xem trang tổng hợp, nên phiên làm việc đã kết thúc."
)
PAGE_FORBIDDEN = (
    "Đơn vị này không thuộc phạm vi đồng chí được xem, hoặc không tồn tại. Không có số liệu nào "
    "được hiển thị."
)
PAGE_NOT_FOUND = "Không tìm thấy trang này."
PAGE_BAD_FORM = "Yêu cầu không hợp lệ hoặc đã cũ. Xin tải lại trang và thử lại."
PAGE_ERROR = "Có lỗi khi tạo trang. Xin thử lại sau ít phút."
PAGE_BACK_HOME = "Về trang chính"
PAGE_LOGOUT = "Đăng xuất"
PAGE_SCOPES = "Các đơn vị đồng chí được xem"
PAGE_MONTH = "Tháng {month}/{year}"
PAGE_YEAR = "Năm {year}"
PAGE_SUMMARY = "Tổng hợp"
PAGE_CHILDREN = "Các đơn vị trực thuộc"
PAGE_MEMBERS = "Đảng viên của chi bộ"
PAGE_NAMES_HIDDEN = "Họ tên đảng viên chỉ hiển thị cho bí thư, phó bí thư chi bộ và quản trị viên."
PAGE_ATTENTION = "Đảng viên cần quan tâm"
PAGE_ATTENTION_NONE = "Không có đảng viên nào vắng sinh hoạt không lý do từ 2 lần trong năm."
PAGE_ATTENTION_LINE = "{name}: vắng không lý do {absent} lần trong năm {year}"
PAGE_CHARTS = "Biểu đồ"
PAGE_EXPORT = "Tải bảng (.xlsx)"
PAGE_IMAGE_PNG = "Tải ảnh PNG"
PAGE_NO_CHILDREN = "Không có đơn vị trực thuộc."
PAGE_NO_MEMBERS = "Chi bộ chưa có đảng viên đang sinh hoạt."
PAGE_SORT_HINT = "Chọn tiêu đề cột để sắp xếp."
PAGE_MEMBER_ANON = "Đảng viên {n}"
PAGE_SESSION_UNTIL = "Phiên làm việc đến {time}"
PAGE_AS_OF = "Số liệu tính lúc {time}"
PAGE_NO_DATA = "—"

# Table headers, shared by the page and the .xlsx exports.
COL_UNIT = "Đơn vị"
COL_MEMBERS = "Số đảng viên"
COL_ON_TIME = "Họp đúng lịch"
COL_MOVED = "Họp dời lịch"
COL_NOT_HELD = "Không tổ chức"
COL_ATTENDANCE = "Tỷ lệ dự họp (%)"
COL_ABSENT = "Vắng không lý do (lượt)"
COL_TASK_SHARE = "Đảng viên được giao nhiệm vụ (%)"
COL_RESPONSE = "Tỷ lệ báo cáo nhiệm vụ (%)"
COL_DELIVERED = "Bản tin đã nhận (%)"
COL_READ = "Bản tin đã đọc (%)"
COL_MONTH = "Tháng"
COL_NAME = "Họ và tên"
COL_ASSIGNED = "Nhiệm vụ được giao"
COL_DONE = "Đã hoàn thành"
COL_PRESENT = "Dự họp (buổi)"
COL_EXCUSED = "Vắng có lý do (buổi)"
COL_MEMBER_ABSENT = "Vắng không lý do (buổi)"
COL_BULLETINS = "Bản tin nhận được"
COL_BULLETINS_READ = "Bản tin đã đọc"
SHEET_CHILDREN = "Đơn vị trực thuộc"
SHEET_MONTHS = "Theo tháng"
SHEET_MEMBERS = "Đảng viên"
EXPORT_TITLE = "{unit} — {period}"

# Charts.
CHART_MEETINGS = "Sinh hoạt chi bộ theo tháng — {unit}, năm {year}"
CHART_ATTENDANCE = "Tỷ lệ dự họp và vắng không lý do — {unit}, năm {year}"
CHART_TASKS = "Nhiệm vụ và báo cáo — {unit}, {period}"
CHART_BULLETIN = "Bản tin đến đảng viên — {unit}, {period}"
CHART_MONTH_AXIS = "Tháng"
CHART_PERCENT_AXIS = "%"
CHART_COUNT_AXIS = "Số buổi"
CHART_ABSENT_AXIS = "Lượt vắng không lý do"
CHART_ATTENDANCE_SERIES = "Tỷ lệ dự họp (%)"
CHART_ABSENT_SERIES = "Vắng không lý do"
CHART_TASK_SERIES = "Được giao nhiệm vụ (%)"
CHART_RESPONSE_SERIES = "Báo cáo nhiệm vụ (%)"
CHART_DELIVERED_SERIES = "Đã nhận (%)"
CHART_READ_SERIES = "Đã đọc (%)"
CHART_MORE = "(và {n} đơn vị khác — xem bảng)"
CHART_TOTAL = "Toàn đơn vị"
CHART_NAMES = {
    "meetings": "Sinh hoạt chi bộ",
    "attendance": "Dự họp",
    "tasks": "Nhiệm vụ",
    "bulletin": "Bản tin",
}
