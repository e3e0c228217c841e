"""/start: strangers, invite codes, welcome."""

from __future__ import annotations

STRANGER = (
    "Xin chào! Đây là Chibo, trợ lý của chi bộ.\n"
    "Tài khoản này chưa được liên kết. Đồng chí vui lòng mở liên kết mời (hoặc quét mã QR) "
    "mà bí thư chi bộ đã gửi, hoặc gửi /start kèm mã mời."
)
WELCOME = (
    "Chào đồng chí {name}!\n"
    "Tài khoản đã được liên kết với {unit}. Từ nay Chibo sẽ gửi lịch họp, nhắc việc và "
    "bản tin cho đồng chí tại đây.\n"
    "Gửi /huongdan để xem các lệnh."
)
WELCOME_BACK = "Chào đồng chí {name} ({unit}). Gửi /huongdan để xem các lệnh."
INVITE_INVALID = (
    "Mã mời không đúng hoặc không còn hiệu lực. Đồng chí vui lòng kiểm tra lại mã, "
    "hoặc liên hệ bí thư chi bộ để được cấp mã mới."
)
INVITE_EXPIRED = (
    "Mã mời này đã hết hạn. Đồng chí vui lòng liên hệ bí thư chi bộ để được cấp mã mới."
)
INVITE_USED = (
    "Mã mời này đã được sử dụng. Nếu không phải đồng chí dùng, vui lòng báo ngay cho bí thư chi bộ."
)
INVITE_LOCKED = "Đồng chí đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
ALREADY_LINKED = "Tài khoản này đã được liên kết với đồng chí {name} ({unit})."
ACCOUNT_BACK = "Chào mừng đồng chí trở lại! Chibo sẽ tiếp tục gửi tin cho đồng chí tại đây."
