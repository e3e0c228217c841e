"""/moi and `chibo invites`: invite links and codes in the chat, printable invite sheets
(Telegram and Zalo)."""

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

# Zalo: a code to send to the bot (Zalo has no /start links); sheets with both apps.
INVITE_SHEET_TITLE_ZALO = "Trên Zalo"
INVITE_SHEET_TITLE_TELEGRAM = "Trên Telegram"
INVITE_SHEET_ZALO_STEPS = (
    "1. Mở Zalo, quét mã QR này (hoặc mở liên kết bên dưới) để vào trò chuyện với Chibo.\n"
    "2. Nhắn cho Chibo đúng mã mời: {code}\n"
    "3. Chibo trả lời «Chào mừng…» là xong."
)
INVITE_SHEET_ZALO_NO_LINK = (
    "1. Mở Zalo, tìm tài khoản Chibo của tỉnh (hỏi bí thư chi bộ).\n"
    "2. Nhắn cho Chibo đúng mã mời: {code}\n"
    "3. Chibo trả lời «Chào mừng…» là xong."
)
INVITE_SHEET_CSV_HEADER_BOTH = ("Họ và tên", "Mã mời", "Liên kết Telegram", "Liên kết Zalo")
INVITE_SHEET_CSV_HEADER_ZALO = ("Họ và tên", "Mã mời", "Liên kết Zalo")
INVITES_ZALO_LINE = "• {name}: mã {code}"
INVITES_ZALO_ONLY_HEADER = (
    "Mã mời cho {count} đảng viên {unit} chưa liên kết (hết hạn {expires}). Mỗi đồng chí mở Zalo, "
    "vào trò chuyện với Chibo{link} rồi nhắn đúng mã của mình:"
)
INVITES_ZALO_LINK = " ({link})"
INVITES_LINE_BOTH = "• {name}: {link} (trên Zalo: mã {code})"
INVITES_ZALO_BOTH = (
    "Đồng chí dùng Zalo: vào trò chuyện với Chibo trên Zalo{link} rồi nhắn đúng mã của mình "
    "(mã ghi trong ngoặc sau liên kết)."
)
INVITES_NO_APP = (
    "Chưa cấu hình ứng dụng nào để mời: điền [telegram] bot_username hoặc [zalo] bot_link "
    "trong tệp cấu hình."
)
INVITES_ZALO_NO_LINK = (
    "Lưu ý: chưa có [zalo] bot_link trong cấu hình nên phiếu mời chưa in được mã QR Zalo của "
    "Chibo. Lấy liên kết của bot trên trang Zalo Bot Platform rồi điền vào bot_link."
)
INVITES_FOOTER_CODES = (
    "Mỗi mã chỉ dùng được một lần, cho đúng người có tên. Vui lòng gửi riêng cho từng đồng chí."
)
