"""Every sentence a user reads, in Vietnamese with full diacritics. Placeholders use {names}.

Sections are kept apart so features can grow without stepping on each other.
"""

from __future__ import annotations

# --- general -------------------------------------------------------------------------------

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
    "member": "đảng viên",
}
SECRETARY_ROLE = "bí thư, phó bí thư chi bộ"

# --- onboarding ----------------------------------------------------------------------------

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

# --- help ----------------------------------------------------------------------------------

HELP_HEADER = "Các lệnh đồng chí có thể dùng:"
HELP_LINE = "/{command} — {description}"
HELP_STRANGER = STRANGER
COMMAND_DESCRIPTIONS = {
    "start": "Bắt đầu, liên kết tài khoản bằng mã mời",
    "huongdan": "Xem hướng dẫn và các lệnh",
    "huy": "Hủy thao tác đang làm dở",
    "thongbao": "Gửi thông báo tới đảng viên trong chi bộ",
    "moi": "Lấy liên kết mời cho đảng viên chưa liên kết",
}

# --- notices (/thongbao) -------------------------------------------------------------------

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

# --- invites (/moi) ------------------------------------------------------------------------

INVITES_HEADER = "Liên kết mời cho {count} đảng viên {unit} chưa liên kết (hết hạn {expires}):"
INVITES_LINE = "• {name}: {link}"
INVITES_NONE = "Tất cả đảng viên của {unit} đã liên kết tài khoản."
INVITES_FOOTER = "Mỗi liên kết chỉ dùng được một lần, cho đúng người có tên. Vui lòng gửi riêng cho từng đồng chí."

# --- delivery ------------------------------------------------------------------------------

MEMBER_UNREACHABLE = (
    "Không gửi được tin tới đồng chí {name}: tài khoản đã chặn hoặc xóa Chibo. "
    "Đề nghị đồng chí liên hệ trực tiếp để nhắc mở lại Chibo."
)

# --- roster (chibo roster ...) -------------------------------------------------------------

# --- command line (chibo ...) --------------------------------------------------------------
# The administrator reads these in the terminal.

CLI_INIT_WROTE = (
    "Đã tạo tệp cấu hình {path}. Hãy điền token của bot (hoặc đặt biến CHIBO_TELEGRAM_TOKEN)."
)
CLI_INIT_EXISTS = "Tệp cấu hình {path} đã có; giữ nguyên (dùng --force để ghi đè)."
CLI_DB_READY = "Cơ sở dữ liệu {path} đã sẵn sàng (phiên bản lược đồ {version})."
CLI_DB_UPGRADED = "Đã áp dụng: {names}."
CLI_DB_UP_TO_DATE = "Cơ sở dữ liệu đã ở phiên bản mới nhất ({version})."
CLI_CONFIG_ERROR = "Lỗi cấu hình: {error}"
CLI_NO_TOKEN = (
    "Chưa có token Telegram. Điền [telegram] token trong {path} hoặc đặt biến CHIBO_TELEGRAM_TOKEN."
)
CLI_BACKUP_DONE = "Đã sao lưu cơ sở dữ liệu vào {path}."
CLI_UNIT_UNKNOWN = "Không có đơn vị mã {code}."
CLI_MEMBER_UNKNOWN = "Không tìm thấy đảng viên nào khớp với {text!r}."
CLI_MEMBER_AMBIGUOUS = "Có {count} đảng viên khớp với {text!r}; hãy dùng mã số (id) hoặc số thẻ:"
CLI_MEMBER_LINE = "  id {id}: {name} — {unit}"
CLI_ROLE_GRANTED = "Đã giao vai trò {role} tại {unit} cho {name}."
CLI_ROLE_ALREADY = "{name} đã có vai trò {role} tại {unit}."
CLI_ROLE_REVOKED = "Đã thu hồi vai trò {role} tại {unit} của {name}."
CLI_ROLE_ABSENT = "{name} không có vai trò {role} tại {unit}."
CLI_BOT_USERNAME_UNKNOWN = (
    "Không xác định được tên bot: điền [telegram] bot_username trong cấu hình hoặc cấu hình token."
)
