"""What the administrator reads in the terminal: `chibo init`, `run`, the database and the lock."""

from __future__ import annotations

CLI_INIT_NEXT = (
    "Bước tiếp theo:\n"
    "  • Telegram: tạo bot với @BotFather, ghi token vào [telegram] token trong {path} "
    "(hoặc đặt biến CHIBO_TELEGRAM_TOKEN).\n"
    "  • Zalo: tạo bot trên Zalo Bot Platform, ghi token vào [zalo] token trong {path} "
    "(hoặc đặt biến CHIBO_ZALO_TOKEN).\n"
    "  • Rồi chạy `chibo run`: bot phục vụ kênh nào có token (Telegram, Zalo hoặc cả hai). "
    "Khi chưa có token nào, `chibo run` mở chế độ thử nghiệm (sandbox) trong trình duyệt "
    "để tập dùng."
)
CLI_DB_TOO_NEW = (
    "Không mở cơ sở dữ liệu {path}: nó do một bản Chibo mới hơn ghi (phiên bản lược đồ {found}), "
    "còn bản Chibo này chỉ biết đến phiên bản {known}. Không có gì bị thay đổi. Hãy cài bản "
    "Chibo mới hơn, hoặc khôi phục bản sao lưu trước khi nâng cấp."
)
CLI_ALREADY_RUNNING = (
    "Đã có một Chibo khác đang chạy với cơ sở dữ liệu {path}. Hãy dừng nó trước (Ctrl+C) "
    "hoặc chọn thư mục dữ liệu khác (--data cho sandbox)."
)
CLI_SANDBOX_RESET = "Đã xóa dữ liệu thử nghiệm ở {data}; bắt đầu lại từ đầu."
CLI_VERSION_UNKNOWN = "chưa cài đặt"
# `chibo meetings list`: a regular meeting the rule gives that the running bot has not created yet.
CLI_MEETINGS_PLANNED = (
    "  [dự kiến] {when} — {place} (theo lịch cố định; Chibo lập buổi này khi `chibo run` chạy)"
)

# The administrator reads these in the terminal.

CLI_INIT_WROTE = "Đã tạo tệp cấu hình {path} (có chú thích cho từng mục)."
CLI_INIT_EXISTS = "Tệp cấu hình {path} đã có; giữ nguyên (dùng --force để ghi đè)."
CLI_DB_READY = "Cơ sở dữ liệu {path} đã sẵn sàng (phiên bản lược đồ {version})."
CLI_DB_UPGRADED = "Đã áp dụng: {names}."
CLI_DB_UP_TO_DATE = "Cơ sở dữ liệu đã ở phiên bản mới nhất ({version})."
CLI_CONFIG_ERROR = "Lỗi cấu hình: {error}"
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
