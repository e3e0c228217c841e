"""Texts of the meeting-day refinements: notices, checklist, refusals, leave, attachment."""

from __future__ import annotations

# /datlich: nothing to change, nobody to tell.
DATLICH_UNCHANGED = "Buổi sinh hoạt vẫn như cũ nên Chibo không gửi thông báo nào:\n\n{block}"
# Under a change notice: a move keeps the answers but may not suit everyone.
CHANGE_NOTICE_MOVED = "\n\n{status}\nNếu giờ mới không phù hợp, đồng chí bấm «Xin vắng» để báo lại."
CHANGE_NOTICE_KEPT = "\n\nGiờ họp không đổi; trả lời tham dự của đồng chí vẫn được giữ nguyên."

# /diemdanh
ATTENDANCE_COUNTS_UNMARKED = " · Chưa điểm danh: {unmarked}"
ATTENDANCE_REST_PRESENT = "Những người còn lại: có mặt"
ATTENDANCE_STILL_UNMARKED = (
    "Còn {count} đồng chí chưa điểm danh (⬜): đồng chí đánh dấu từng người, hoặc bấm «{rest}», "
    "rồi lưu."
)
ATTENDANCE_ON_LEAVE = " (nghỉ phép)"
ATTENDANCE_AWAY = "Sinh hoạt tạm thời ở chi bộ khác (không tính vắng): {names}."
ATTENDANCE_AWAY_NAME = "{name} — {unit}"
ATTENDANCE_GUEST = " (sinh hoạt tạm thời)"
# The reason shown for an excuse Chibo knows: standing leave.
LEAVE_REASON = "nghỉ phép"

# Refusals.
NOT_YOUR_CELL = (
    "Mục này thuộc một chi bộ khác, không phải chi bộ đồng chí phụ trách, nên Chibo không "
    "thực hiện."
)

# /nghiphep, /giaoviec, /datlich, /diemdanh and /bienban for someone leading several cells.
PICK_CELL = "Đồng chí phụ trách nhiều chi bộ. Đồng chí làm việc này cho chi bộ nào?"
PICK_CELL_MORE = (
    "(Hiện {shown}/{count} chi bộ. Gõ lệnh kèm tên hoặc mã chi bộ để tìm, ví dụ: "
    "/nghiphep Tân Thành.)"
)
PICK_CELL_NONE = "Không có chi bộ nào đồng chí phụ trách khớp với «{query}»."
# Above an answer about the cell picked (or named), for someone leading several.
PICKED_CELL = "🏠 {unit}"

# The member's own view of a meeting of another cell they attend temporarily.
LICHHOP_ATTACHED = "Đồng chí đang sinh hoạt tạm thời tại {host} ({until})."
CHIBO_AWAY = "Sinh hoạt tạm thời ở chi bộ khác: {count} đồng chí (không tính vắng)."
CHIBO_GUESTS = "Sinh hoạt tạm thời tại chi bộ: {count} đồng chí."

# /tongket: members on standing leave in the year.
YEAR_LEAVE = "🌴 Vắng có lý do ({reason}), miễn sinh hoạt và báo cáo: {names}."
YEAR_LEAVE_NAME = "{name} ({months})"
YEAR_LEAVE_MONTH = "tháng {month}/{year}"
YEAR_LEAVE_MONTHS = "tháng {first}–{last}/{year}"

# Roster: the temporary attachment columns.
ROSTER_ERR_ATTACH_SAME = "Trùng với chi bộ gốc của đảng viên."
ROSTER_ERR_ATTACH_MONTH = "«{value}» không phải tháng dạng MM/YYYY (ví dụ 06/2027)."
ROSTER_ERR_ATTACH_UNTIL_ALONE = "Có tháng kết thúc nhưng chưa điền «Sinh hoạt tạm thời tại»."
ROSTER_ERR_ATTACH_NOT_CELL = "«{value}» không phải mã một chi bộ trong danh sách."
ROSTER_SUMMARY_ATTACHED = "  Sinh hoạt tạm thời theo danh sách: {count}."

# chibo members attach
CLI_ATTACH_DONE = (
    "Đã ghi nhận: đồng chí {name} sinh hoạt tạm thời tại {unit} từ tháng {first}, {until}."
)
CLI_ATTACH_ENDED = "Đã kết thúc sinh hoạt tạm thời của đồng chí {name} (từ tháng {month})."
CLI_ATTACH_NONE = "Đồng chí {name} không có sinh hoạt tạm thời nào đang diễn ra."
CLI_ATTACH_NOT_CELL = "Không có chi bộ nào mã «{code}»."
CLI_ATTACH_SAME = "Đồng chí {name} đang sinh hoạt ở chính chi bộ này."
CLI_ATTACH_BAD_MONTH = "«{text}» không phải tháng dạng MM/YYYY (ví dụ 06/2027)."
CLI_ATTACH_BACKWARDS = "Tháng kết thúc đứng trước tháng bắt đầu."
