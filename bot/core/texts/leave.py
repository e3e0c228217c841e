"""/nghiphep: standing leave (nghỉ phép, miễn sinh hoạt)."""

from __future__ import annotations

# A member on leave or excused from Party activity for a span of months is not asked to report.

LEAVE_MONTH = "{month:02d}/{year}"
LEAVE_UNTIL_MONTH = "đến hết tháng {month}"
LEAVE_UNTIL_NOTICE = "đến khi có thông báo mới"
NGHIPHEP_HEADER = "Đảng viên {unit} đang nghỉ phép, miễn sinh hoạt ({count}):"
NGHIPHEP_LINE = "• {name}: {until}"
NGHIPHEP_NONE = "Hiện không có đảng viên nào của {unit} đang nghỉ phép, miễn sinh hoạt."
NGHIPHEP_HINT = (
    "Trong thời gian nghỉ phép, Chibo không nhắc đảng viên dự sinh hoạt và báo cáo nhiệm vụ; "
    "khi điểm danh, đảng viên được tính vắng có lý do (nghỉ phép). Bấm «{add}» hoặc "
    "gõ một phần tên (không cần dấu) để chọn đảng viên. Gửi /huy để hủy."
)
NGHIPHEP_ADD = "Cho đảng viên nghỉ phép"
NGHIPHEP_END = "Kết thúc nghỉ phép: {name}"
NGHIPHEP_PICK = (
    "Chọn đảng viên {unit} nghỉ phép, miễn sinh hoạt (🌴: đang nghỉ). "
    "Có thể gõ một phần tên để tìm, không cần dấu. Gửi /huy để hủy."
)
NGHIPHEP_ON_LEAVE = "🌴 "
NGHIPHEP_ASK_LENGTH = "Đồng chí {name} nghỉ phép, miễn sinh hoạt trong bao lâu?"
NGHIPHEP_ASK_LENGTH_AGAIN = (
    "Đồng chí {name} đang nghỉ phép {until}. Đồng chí chọn thời gian mới (thay cho thời gian "
    "cũ), hoặc kết thúc nghỉ phép."
)
# The label of each length /nghiphep offers (handlers/leave.py LENGTHS, by button code).
NGHIPHEP_LENGTHS = {
    "0": "Hết tháng này",
    "1": "1 tháng",
    "3": "3 tháng",
    "6": "6 tháng",
    "n": "Đến khi có thông báo mới",
}
NGHIPHEP_CONFIRM = (
    "Xác nhận: đồng chí {name} nghỉ phép, miễn sinh hoạt {until}. Trong thời gian này Chibo "
    "không nhắc đồng chí dự sinh hoạt chi bộ và báo cáo nhiệm vụ; điểm danh ghi vắng có lý do "
    "(nghỉ phép). Đồng chí sẽ được báo qua tin nhắn."
)
NGHIPHEP_OK = "Xác nhận"
NGHIPHEP_DONE = "Đã ghi nhận đồng chí {name} nghỉ phép, miễn sinh hoạt {until}."
NGHIPHEP_UNLINKED = " Đồng chí {name} chưa liên kết tài khoản Chibo, cần được báo trực tiếp."
NGHIPHEP_ENDED = (
    "Đã kết thúc nghỉ phép của đồng chí {name}. Chibo sẽ lại nhắc đồng chí dự sinh hoạt và "
    "báo cáo nhiệm vụ như thường lệ."
)
NGHIPHEP_NOT_CURRENT = "Thời gian nghỉ phép này đã kết thúc hoặc đã được thay đổi."
NGHIPHEP_WAITING = "Đồng chí chọn bằng các nút ở tin nhắn trên, hoặc gửi /huy để hủy."
# To the member.
LEAVE_TOLD_SET = (
    "🌿 Kính gửi đồng chí {name}: {unit} ghi nhận đồng chí nghỉ phép, miễn sinh hoạt {until}. "
    "Trong thời gian này đồng chí được miễn dự các buổi sinh hoạt chi bộ (điểm danh ghi vắng "
    "có lý do: nghỉ phép); Chibo sẽ không nhắc đồng chí dự họp và báo cáo nhiệm vụ. Chúc đồng "
    "chí nhiều sức khỏe, mọi việc thuận lợi."
)
LEAVE_TOLD_ENDED = (
    "Kính gửi đồng chí {name}: {unit} đã kết thúc thời gian nghỉ phép, miễn sinh hoạt của "
    "đồng chí. Chào mừng đồng chí trở lại! Chibo sẽ lại nhắc đồng chí dự sinh hoạt chi bộ và "
    "báo cáo nhiệm vụ như thường lệ."
)
