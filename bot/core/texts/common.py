"""What every feature says: errors, refusals, role names, /huongdan, delivery failures."""

from __future__ import annotations

GENERIC_ERROR = "Xin lỗi, hệ thống đang gặp sự cố. Đồng chí vui lòng thử lại sau ít phút."
UNKNOWN_COMMAND = "Tôi chưa hiểu lệnh này. Gửi /huongdan để xem các lệnh đồng chí có thể dùng."
NOT_UNDERSTOOD = "Tôi chưa hiểu tin nhắn này. Gửi /huongdan để xem các lệnh đồng chí có thể dùng."
TOO_LONG = "Tin nhắn quá dài (tối đa {limit} ký tự). Đồng chí vui lòng rút gọn rồi gửi lại."
PRIVATE_ONLY = (
    "Để bảo đảm bí mật thông tin, Chibo chỉ làm việc trong tin nhắn riêng. "
    "Đồng chí vui lòng nhắn trực tiếp cho bot."
)
NO_PERMISSION = "Lệnh này chỉ dành cho {role}. Đồng chí không có quyền sử dụng."
STALE_BUTTON = "Nút này đã hết hiệu lực. Đồng chí vui lòng thực hiện lại từ đầu."
FILE_NOT_EXPECTED = "Tôi chưa cần tệp nào lúc này. Gửi /huongdan để xem các lệnh."
CANCELLED = "Đã hủy."
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy."

ROLE_NAMES = {
    "admin": "quản trị viên",
    "propaganda": "cán bộ tuyên giáo",
    "committee": "cấp ủy viên",
    "secretary": "bí thư chi bộ",
    "deputy": "phó bí thư chi bộ",
    "treasurer": "thủ quỹ chi bộ",
    "member": "đảng viên",
}
SECRETARY_ROLE = "bí thư, phó bí thư chi bộ"

# --- help ----------------------------------------------------------------------------------

HELP_HEADER = "Các lệnh đồng chí có thể dùng:"
HELP_LINE = "/{command} — {description}"

# --- delivery ------------------------------------------------------------------------------

MEMBER_UNREACHABLE = (
    "Không gửi được tin tới đồng chí {name}: tài khoản đã chặn hoặc xóa Chibo. "
    "Đề nghị đồng chí liên hệ trực tiếp để nhắc mở lại Chibo."
)
