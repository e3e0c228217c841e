"""/diemdanh and /chibo: attendance, absence warnings, the cell's overview."""

from __future__ import annotations

# /diemdanh
ATTENDANCE_PROMPT = (
    "Buổi sinh hoạt {when} của {unit} đã diễn ra. Đồng chí vui lòng điểm danh "
    "(có mặt / vắng có lý do / vắng không lý do)."
)
ATTENDANCE_OPEN = "Điểm danh"
ATTENDANCE_HEADER = (
    "Điểm danh buổi sinh hoạt {when} — {unit}\n"
    "Bấm vào tên để đổi: ⬜ chưa điểm danh → ✅ có mặt → 🟡 vắng có lý do → ❌ vắng không lý do.\n"
    "{source}\n{counts}"
)
ATTENDANCE_FROM_ANSWERS = (
    "Đã điền sẵn theo trả lời của đảng viên: chỉ người đã báo «Tôi sẽ tham dự» là có mặt; "
    "người xin vắng hoặc nghỉ phép là vắng có lý do; người chưa trả lời để ⬜ chưa điểm danh."
)
ATTENDANCE_FROM_SAVED = "Đang sửa bản điểm danh đã lưu."
ATTENDANCE_COUNTS = "Có mặt: {present} · Vắng có lý do: {excused} · Vắng không lý do: {absent}"
ATTENDANCE_MARKS = {"unmarked": "⬜", "present": "✅", "excused": "🟡", "absent": "❌"}
ATTENDANCE_SAVE = "💾 Lưu điểm danh"
ATTENDANCE_PREV = "◀ Trang trước"
ATTENDANCE_NEXT = "Trang sau ▶"
ATTENDANCE_SAVED = "Đã lưu điểm danh buổi sinh hoạt {when}: {counts}. Có thể sửa bằng /diemdanh."
ATTENDANCE_NONE = "Chưa có buổi sinh hoạt nào đã diễn ra để điểm danh."
WARN_TWO_ABSENCES = (
    "⚠️ Đồng chí {name} đã vắng sinh hoạt chi bộ không có lý do chính đáng {count} tháng trong "
    "năm {year} ({dates}). Nếu vắng thêm một tháng nữa là đủ 3 tháng trong năm — trường hợp "
    "chi bộ phải xem xét, đề nghị xóa tên theo Điều lệ Đảng. Đề nghị đồng chí gặp gỡ, nhắc nhở "
    "đảng viên."
)
WARN_THREE_ABSENCES = (
    "⚠️ Đồng chí {name} đã vắng sinh hoạt chi bộ không có lý do chính đáng {count} tháng trong "
    "năm {year} ({dates}), đến mức chi bộ phải xem xét, đề nghị xóa tên theo Điều lệ Đảng."
)

# /chibo
CHIBO_HEADER = "Tình hình sinh hoạt của {unit}:"
CHIBO_NEXT = (
    "Buổi tới: {when}\nTrả lời: {attend} tham dự · {excused} xin vắng · {none} chưa trả lời"
    " (trong đó {unlinked} chưa có tài khoản)."
)
CHIBO_NO_NEXT = "Chưa có buổi sinh hoạt nào sắp tới."
CHIBO_LAST = "Buổi trước ({when}): có mặt {present}/{total} ({rate}%)."
CHIBO_LAST_PENDING = "Buổi trước ({when}): chưa điểm danh (dùng /diemdanh)."
