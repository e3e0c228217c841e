"""Meetings: the meeting block, /lichhop, answers, reminders and notices, `chibo meetings`."""

from __future__ import annotations

MEETING_KINDS = {"regular": "Sinh hoạt chi bộ định kỳ", "thematic": "Sinh hoạt chuyên đề"}
MEETING_BLOCK = "{kind} — {unit}\n🗓 {when}\n📍 Địa điểm: {place}"
MEETING_AGENDA = "\n📝 Nội dung: {agenda}"
MEETING_PLACE_UNSET = "(bí thư sẽ thông báo sau)"
MEETING_ATTEND = "Tôi sẽ tham dự"
MEETING_EXCUSE = "Xin vắng"
MEETING_STATUS_NONE = "Đồng chí chưa trả lời."
MEETING_STATUS_ATTEND = "Đồng chí đã báo: sẽ tham dự."
MEETING_STATUS_EXCUSED = "Đồng chí đã xin vắng (lý do: {reason})."
# The label of each reason «Xin vắng» offers (handlers/meetings.py REASONS, by button code).
MEETING_REASONS = {
    "om": "Ốm đau",
    "ct": "Đi công tác",
    "gd": "Việc gia đình",
    "kh": "Lý do khác (tự ghi)",
}
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
ORDINAL_NAMES = {1: "đầu tiên", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư", -1: "cuối cùng"}
RULE_DAY = "ngày {day} hằng tháng, lúc {at}"
RULE_WEEKDAY = "{weekday} {nth} của tháng, lúc {at}"

# /lichhop
LICHHOP_HEADER = "Lịch sinh hoạt sắp tới của {unit}:"
LICHHOP_NONE = "{unit} chưa có buổi sinh hoạt nào sắp tới."
LICHHOP_UNLINKED = (
    "Đảng viên chưa có tài khoản Chibo (cần báo trực tiếp): {names}.\n"
    "Bấm tên để ghi nhận trả lời thay cho đồng chí đó."
)
LICHHOP_ALL_LINKED = "Tất cả đảng viên của chi bộ đã có tài khoản Chibo."
ANSWER_FOR_ASK = "Trả lời thay cho đồng chí {name}:\n\n{block}"

# Answers.
ASK_REASON_TEXT = "Đồng chí ghi ngắn gọn lý do xin vắng (tối đa {limit} ký tự). Gửi /huy để hủy."
REASON_EMPTY = "Lý do đang trống. Đồng chí ghi ngắn gọn lý do xin vắng."
ANSWER_ATTEND_OK = (
    "Đã ghi nhận: đồng chí sẽ tham dự buổi sinh hoạt {when}. "
    "Nếu có thay đổi, đồng chí có thể trả lời lại trước giờ họp."
)
ANSWER_EXCUSED_OK = (
    "Đã ghi nhận đồng chí xin vắng buổi sinh hoạt {when} (lý do: {reason}). "
    "Bí thư chi bộ đã được báo. Đồng chí có thể trả lời lại trước giờ họp."
)
ANSWER_FOR_ATTEND = "sẽ tham dự"
ANSWER_FOR_EXCUSED = "xin vắng (lý do: {reason})"
ANSWER_TOO_LATE = (
    "Buổi sinh hoạt này đã bắt đầu, đã đổi lịch hoặc đã hủy nên không thể trả lời nữa. "
    "Gửi /lichhop để xem lịch mới."
)
SECRETARY_TOLD_EXCUSED = "📝 Đồng chí {name} xin vắng buổi sinh hoạt {when}. Lý do: {reason}."
SECRETARY_TOLD_ATTEND = "📝 Đồng chí {name} đổi trả lời: sẽ tham dự buổi sinh hoạt {when}."
SECRETARY_TOLD_BY = " (do đồng chí {by} ghi nhận thay)"
# Every answer names the meeting it is about.
# A choice's label when several meetings are offered at once: "Xin vắng (05/12)".
MEETING_OPTION_ON = "{label} ({day})"
ASK_REASON_FOR = (
    "Đồng chí xin vắng buổi sinh hoạt {when} vì lý do gì? Chọn một lý do bên dưới, hoặc gõ "
    "ngay lý do của đồng chí (tối đa {limit} ký tự)."
)
ANSWER_FOR_OK_AT = "Đã ghi nhận thay cho đồng chí {name}, buổi sinh hoạt {when}: {answer}."

# Reminders and notices queued by the planner and by /datlich.
REMINDER = "🔔 Nhắc lịch sinh hoạt\n\n{block}\n\n{status}"
REMINDER_LATE = "(Tin nhắc gửi muộn vì hệ thống tạm gián đoạn.)\n"
REMINDER_OBSERVER = "🔔 Nhắc lịch dự sinh hoạt (đồng chí được phân công dự)\n\n{block}"
DUTY_REMINDER = (
    "Đồng chí {name} thân mến, trong năm {year} đồng chí đã vắng sinh hoạt chi bộ không có lý do "
    "{count} tháng. Sinh hoạt chi bộ là quyền và nghĩa vụ của mỗi đảng viên; mong đồng chí thu xếp "
    "tham dự buổi tới. Nếu bận việc, đồng chí hãy bấm «Xin vắng» và nêu lý do."
)
CHANGE_NOTICE = "📣 Thay đổi lịch sinh hoạt\n\n{block}\n\n(Lịch cũ: {old})"
CANCEL_NOTICE = "❌ Hủy buổi sinh hoạt\n\n{block}\n\nBuổi sinh hoạt này đã bị hủy. Chi bộ sẽ thông báo lịch mới."
THEMATIC_NOTICE = (
    "📣 Lịch sinh hoạt chuyên đề\n\n{block}\n\nĐồng chí vui lòng cho biết có tham dự không."
)

# --- meetings on the command line (chibo meetings ...) ----------------------------------------

# How a rule and the cell's usual place are written together (the form /datlich accepts).
RULE_WITH_PLACE = "{rule} tại {place}"
CLI_MEETINGS_HEADER = "{unit}:"
CLI_MEETINGS_LINE = "  [{id}] {block}"
CLI_MEETINGS_NONE = "  (chưa có buổi sinh hoạt nào sắp tới)"
CLI_MEETINGS_NOT_CELL = "{unit} không phải là chi bộ; hãy chọn mã của một chi bộ."
CLI_MEETINGS_NOTHING = "Cần ít nhất một trong --at, --place, --agenda."
CLI_MEETINGS_NO_NEXT = "{unit} chưa có buổi sinh hoạt nào sắp tới để thay đổi."
CLI_MEETINGS_BAD_AT = (
    "Không đọc được «{text}» là ngày giờ của buổi họp tới (ví dụ: 7/12 19h30, 07/12/2026 19:30) "
    "hay lịch định kỳ (ví dụ: ngày 5 lúc 19h, thứ bảy đầu tiên 8h)."
)
CLI_OBSERVER_ADDED = "{name} sẽ dự sinh hoạt của {unit} và được nhắc lịch họp."
CLI_OBSERVER_EXISTS = "{name} đã được phân công dự sinh hoạt của {unit}."
CLI_OBSERVER_REMOVED = "{name} thôi được phân công dự sinh hoạt của {unit}."
CLI_OBSERVER_ABSENT = "{name} không được phân công dự sinh hoạt của {unit}."
