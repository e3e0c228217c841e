"""/moi and `chibo invites`: invite links in the chat and printable invite sheets."""

from __future__ import annotations

INVITES_HEADER = "Liên kết mời cho {count} đảng viên {unit} chưa liên kết (hết hạn {expires}):"
INVITES_LINE = "• {name}: {link}"
INVITES_NONE = "Tất cả đảng viên của {unit} đã liên kết tài khoản."
INVITES_FOOTER = "Mỗi liên kết chỉ dùng được một lần, cho đúng người có tên. Vui lòng gửi riêng cho từng đồng chí."

# chibo invites: printable invite sheets.
INVITE_SHEET_TITLE = "Phiếu mời tham gia Chibo — {unit}"
INVITE_SHEET_SUBTITLE = (
    "{count} đảng viên chưa liên kết tài khoản. Cắt theo đường viền, trao tận tay từng đồng chí."
)
INVITE_SHEET_CODE = "Mã mời"
INVITE_SHEET_HOWTO = "Mở Telegram, quét mã QR hoặc mở liên kết; hoặc gửi /start {code} cho @{bot}."
INVITE_SHEET_EXPIRES = "Hết hạn: {date}"
INVITE_SHEET_PERSONAL = "Mã dùng một lần, chỉ dành cho đồng chí có tên trên phiếu."
INVITE_SHEET_CSV_HEADER = ("Họ và tên", "Mã mời", "Liên kết")
INVITE_INDEX_TITLE = "Phiếu mời tham gia Chibo"
INVITE_INDEX_LINE = "{unit} ({code}): {count} đảng viên"
INVITE_INDEX_EXPIRES = "Các mã mời hết hạn: {date}."
INVITES_WROTE = (
    "Đã tạo phiếu mời cho {members} đảng viên chưa liên kết ở {cells} chi bộ trong thư mục {path}. "
    "Mở {index} để xem và in."
)
INVITES_ALL_LINKED = "Tất cả đảng viên của {unit} đã liên kết tài khoản; không cần phiếu mời."
