"""The sandbox (`chibo run` without a token, `chibo sandbox`) and its demo bulletin."""

from __future__ import annotations

# `chibo run` without a token, and `chibo sandbox` (terminal).
SANDBOX_NO_TOKEN = (
    "Chưa có mã bot Telegram hay Zalo trong {path} (hoặc biến CHIBO_TELEGRAM_TOKEN, "
    "CHIBO_ZALO_TOKEN): mở chế độ thử nghiệm (sandbox) trên máy này. Khi có mã bot, ghi vào "
    "[telegram] token hoặc [zalo] token rồi chạy lại `chibo run`."
)
SANDBOX_SEEDED = (
    "Đã tạo tổ chức mẫu: {units} đơn vị, {members} đảng viên (dữ liệu thử nghiệm ở {data})."
)
SANDBOX_ROSTER_IMPORTED = "Đã nhập danh sách {path}: {units} đơn vị, {members} đảng viên."
SANDBOX_REUSED = "Dùng lại dữ liệu thử nghiệm ở {data}: {members} đảng viên."
SANDBOX_READY = "Sandbox Chibo đã sẵn sàng. Mở trình duyệt tại: {url}"
SANDBOX_STOP_HINT = "Nhấn Ctrl+C để dừng. Không có tin nhắn nào rời khỏi máy này."
SANDBOX_STOPPED = "Đã dừng sandbox."
SANDBOX_REAL_DATA = (
    "Từ chối mở sandbox: cơ sở dữ liệu {path} có {count} tài khoản thật đã liên kết. Sandbox "
    "không bao giờ dùng dữ liệu thật; hãy chọn thư mục khác bằng --data."
)
SANDBOX_ROSTER_REFUSED = "Không dùng được danh sách để tập huấn ({count} lỗi):"
SANDBOX_ROSTER_EMPTY = "Danh sách không có đảng viên nào để tập huấn."
SANDBOX_PORT_BUSY = "Không mở được cổng {host}:{port}: {error}. Chọn cổng khác bằng --port."
SANDBOX_HELP = "chế độ thử nghiệm: Chibo với một Telegram giả trong trình duyệt, không cần mạng"

# The demo bulletin PDF.
SANDBOX_BULLETIN_TITLE = "THÔNG TIN TƯ TƯỞNG"
SANDBOX_BULLETIN_ISSUE = "Bản tin mẫu để tập huấn — tháng {month}"
SANDBOX_BULLETIN_FOOTER = "Tài liệu mẫu của chế độ thử nghiệm Chibo — trang {page}"
SANDBOX_BULLETIN_PAGES = (
    (
        "1. Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Các chi bộ ấp, khóm tổ chức cho đảng viên đăng ký việc làm cụ thể theo chuyên đề năm, "
        "gắn với nhiệm vụ được phân công; kiểm điểm kết quả trong buổi sinh hoạt chi bộ định kỳ.",
        "2. Nâng cao chất lượng sinh hoạt chi bộ",
        "Sinh hoạt chi bộ đúng ngày quy định, nội dung thiết thực; đảng viên vắng mặt phải báo "
        "cáo lý do với chi ủy. Chi bộ theo dõi, nhắc nhở đảng viên vắng sinh hoạt không có lý do.",
    ),
    (
        "3. Tình hình thời sự trong tỉnh",
        "Nông dân các xã tập trung xuống giống vụ Đông Xuân đúng lịch thời vụ; các ấp ra quân "
        "làm sạch kênh mương, sửa chữa đường giao thông nông thôn trước mùa mưa.",
        "4. Định hướng tuyên truyền trong tháng",
        "Đảng viên gương mẫu tham gia các phong trào ở khu dân cư, nắm tình hình dư luận và phản "
        "ánh kịp thời với chi bộ. Bản tin này chỉ dùng để tập huấn, không phải tài liệu chính thức.",
    ),
)
