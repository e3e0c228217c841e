"""/thongbao: a notice to every member of a cell."""

from __future__ import annotations

NOTICE_ASK_TEXT = (
    "Đồng chí nhập nội dung thông báo gửi tới đảng viên {unit} "
    "(tối đa {limit} ký tự). Gửi /huy để hủy."
)
NOTICE_EMPTY = "Nội dung thông báo đang trống. Đồng chí vui lòng nhập nội dung."
NOTICE_CONFIRM = (
    "Thông báo sẽ gửi tới {linked} đảng viên đã liên kết tài khoản của {unit}"
    "{unlinked_note}:\n\n{body}\n\nĐồng chí xác nhận gửi?"
)
NOTICE_UNLINKED_NOTE = " ({unlinked} đảng viên chưa liên kết sẽ không nhận được)"
NOTICE_SEND = "Gửi"
NOTICE_CANCEL = "Hủy"
NOTICE_NOBODY = "Chưa có đảng viên nào của {unit} liên kết tài khoản, nên chưa thể gửi thông báo."
NOTICE_QUEUED = "Đã xếp lịch gửi thông báo tới {count} đảng viên. Tôi sẽ báo lại kết quả."
NOTICE_MESSAGE = "📢 Thông báo của {unit}:\n\n{body}\n\n— {sender}"
NOTICE_REPORT = "Kết quả gửi thông báo ngày {date}: đã gửi tới {sent}/{total} đảng viên."
NOTICE_REPORT_FAILED = "Không liên lạc được với: {names}."
NOTICE_REPORT_UNLINKED = (
    "Chưa liên kết tài khoản: {count} đảng viên (dùng /moi để lấy liên kết mời)."
)
