"""The command menu: what each command does, as Telegram's menu and /huongdan show it.

Built here in one place (a command's feature module adds no entry of its own).
"""

from __future__ import annotations

COMMAND_DESCRIPTIONS: dict[str, str] = {
    "start": "Bắt đầu, liên kết tài khoản bằng mã mời",
    "huongdan": "Xem hướng dẫn và các lệnh",
    "huy": "Hủy thao tác đang làm dở",
    "thongbao": "Gửi thông báo tới đảng viên trong chi bộ",
    "moi": "Lấy liên kết mời cho đảng viên chưa liên kết",
    "lichhop": "Xem lịch sinh hoạt chi bộ sắp tới",
    "datlich": "Đổi ngày giờ, địa điểm, nội dung buổi họp; thêm buổi chuyên đề",
    "diemdanh": "Điểm danh buổi sinh hoạt vừa diễn ra",
    "bienban": "Dự thảo biên bản và nghị quyết buổi sinh hoạt (.docx)",
    "bantin": "Xem bản tin Thông tin tư tưởng mới nhất và các số trước",
    "phathanh": "Phát hành bản tin Thông tin tư tưởng",
    "docbantin": "Tình hình đọc bản tin theo từng đơn vị",
    "chibo": "Tình hình sinh hoạt của chi bộ",
    "kenh": "Chọn nhận tin qua Telegram hay Zalo",
    "giaoviec": "Giao nhiệm vụ cho đảng viên trong chi bộ",
    "nhiemvu": "Xem nhiệm vụ được giao (bí thư: nhiệm vụ của chi bộ)",
    "baocao": "Báo cáo tình hình thực hiện nhiệm vụ trước buổi họp",
    "tiendo": "Tiến độ báo cáo nhiệm vụ của chi bộ, nhắc người chưa báo cáo",
    "tongket": "Tổng kết năm: nhiệm vụ được giao, hoàn thành, tỷ lệ báo cáo",
    "nghiphep": "Đảng viên nghỉ phép, miễn sinh hoạt (không nhắc họp, báo cáo)",
    "dangphi": "Đảng phí: sổ thu của chi bộ (bí thư, thủ quỹ); của mình (đảng viên)",
    "web": "Trang tổng hợp trên web (liên kết đăng nhập dùng một lần)",
}
