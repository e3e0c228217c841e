"""/datlich: changing the next meeting, a thematic meeting, the regular rule."""

from __future__ import annotations

# /datlich
DATLICH_MENU = "Buổi sinh hoạt tới của {unit}:\n\n{block}\n\nĐồng chí muốn thay đổi gì?"
DATLICH_NONE = "{unit} chưa có buổi sinh hoạt nào sắp tới. Lịch cố định: {rule}."
DATLICH_TIME = "Đổi ngày giờ"
DATLICH_PLACE = "Đổi địa điểm"
DATLICH_CANCEL = "Hủy buổi họp"
DATLICH_THEMATIC = "Thêm buổi chuyên đề"
DATLICH_RULE = "Đặt lịch cố định"
DATLICH_KEEP = "Không hủy"
DATLICH_ASK_TIME = (
    "Đồng chí nhập ngày giờ mới, ví dụ: 7/12 19h30, 07/12/2026 19:30 hoặc thứ bảy 19h. "
    "Gửi /huy để hủy."
)
DATLICH_ASK_PLACE = "Đồng chí nhập địa điểm mới (tối đa {limit} ký tự). Gửi /huy để hủy."
DATLICH_ASK_THEMATIC_TIME = (
    "Buổi sinh hoạt chuyên đề: đồng chí nhập ngày giờ, ví dụ 12/12 8h00 hoặc thứ bảy 19h. "
    "Gửi /huy để hủy."
)
DATLICH_ASK_THEMATIC_TOPIC = "Chủ đề của buổi sinh hoạt chuyên đề là gì? (tối đa {limit} ký tự)"
DATLICH_ASK_RULE = (
    "Lịch cố định hiện tại: {rule}.\nĐồng chí nhập lịch mới, ví dụ: «ngày 5 lúc 19h» hoặc "
    "«thứ bảy đầu tiên 8h». Gửi /huy để hủy."
)
DATLICH_RULE_SET = "Đã đặt lịch sinh hoạt định kỳ của {unit}: {rule}."
DATLICH_BAD_RULE = (
    "Không đọc được lịch «{text}». Ví dụ: «ngày 5 lúc 19h», «thứ bảy đầu tiên 8h», "
    "«thứ sáu cuối cùng 14h»."
)
DATLICH_CANCEL_CONFIRM = "Đồng chí chắc chắn hủy buổi sinh hoạt này?\n\n{block}"
DATLICH_DONE = "Đã cập nhật và báo cho {count} đảng viên:\n\n{block}"
DATLICH_CANCELLED = "Đã hủy buổi sinh hoạt và báo cho {count} đảng viên."
DATLICH_THEMATIC_DONE = "Đã thêm buổi sinh hoạt chuyên đề và báo cho {count} đảng viên:\n\n{block}"
DATLICH_EMPTY_PLACE = "Địa điểm không được để trống. Đồng chí nhập địa điểm, ví dụ: Nhà văn hóa ấp."
DATLICH_EMPTY_TEXT = "Nội dung không được để trống."
WHEN_ERRORS = {
    "format": "Không hiểu ngày giờ «{text}».",
    "date": "Ngày trong «{text}» không có thật.",
    "time": "Giờ trong «{text}» không hợp lệ.",
    "past": "Thời điểm «{text}» đã qua.",
    "ambiguous": "«{text}» chưa rõ ràng, có thể hiểu theo nhiều cách.",
    "no_time": "«{text}» còn thiếu giờ họp.",
}
WHEN_EXAMPLE = " Đồng chí nhập lại theo mẫu: 7/12 19h30, 07/12/2026 19:30 hoặc thứ bảy 19h."
