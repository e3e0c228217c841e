"""/giaoviec and /nhiemvu: assigning and managing tasks; `chibo tasks` and `chibo checkins`."""

from __future__ import annotations

TASK_DUE_NONE = "không đặt hạn"
TASK_PAGE_OF = "Trang {page}/{pages}."
TASK_AND_MORE = " và {count} đồng chí khác"

GIAOVIEC_PICK = (
    "Giao nhiệm vụ trong {unit}. Chọn người nhận (đã chọn {count}). "
    "Có thể gõ một phần tên để tìm, không cần dấu. Gửi /huy để hủy."
)
GIAOVIEC_FILTER = "Kết quả tìm «{query}»: {found} đồng chí."
GIAOVIEC_SEARCH_NONE = (
    "Không tìm thấy ai trong {unit} có tên chứa «{query}». Đồng chí thử gõ cách khác."
)
GIAOVIEC_ALL = "Cả chi bộ"
GIAOVIEC_CLEAR_FILTER = "Bỏ lọc"
GIAOVIEC_PREV = "« Trước"
GIAOVIEC_NEXT = "Sau »"
GIAOVIEC_DONE_PICK = "Xong ({count})"
GIAOVIEC_CANCEL = "Hủy"
GIAOVIEC_NONE_SELECTED = "Đồng chí chưa chọn người nhận nào."
GIAOVIEC_OTHER_CELL = "Đồng chí chỉ giao nhiệm vụ được cho đảng viên trong chi bộ mình."
GIAOVIEC_ASK_TEXT = (
    "Đồng chí nhập nội dung nhiệm vụ giao cho {names} (tối đa {limit} ký tự). Gửi /huy để hủy."
)
GIAOVIEC_TEXT_EMPTY = "Nội dung nhiệm vụ đang trống. Đồng chí vui lòng nhập nội dung."
GIAOVIEC_ASK_DUE = (
    "Hạn hoàn thành? Đồng chí gõ ngày (ví dụ: 31/12 hoặc 31/12/2026), hoặc bấm «Không đặt hạn»."
)
GIAOVIEC_NO_DUE = "Không đặt hạn"
GIAOVIEC_BAD_DUE = (
    "Không đọc được «{text}» là một ngày từ hôm nay trở đi (ví dụ: 31/12 hoặc 31/12/2026). "
    "Đồng chí gõ lại hoặc bấm «Không đặt hạn»."
)
GIAOVIEC_CONFIRM = (
    "Xác nhận giao nhiệm vụ:\n«{body}»\nNgười nhận ({count}): {names}\nHạn hoàn thành: {due}"
)
GIAOVIEC_SEND = "Giao việc"
GIAOVIEC_DONE = (
    "Đã giao nhiệm vụ cho {count} đồng chí; {linked} đồng chí được báo qua tin nhắn "
    "(người chưa liên kết tài khoản cần được báo trực tiếp)."
)
TASK_ASSIGNED = (
    "📌 {unit} giao nhiệm vụ cho đồng chí:\n«{body}»\nHạn hoàn thành: {due}\n"
    "Người giao: {by}. Xem các nhiệm vụ của mình: /nhiemvu"
)

NHIEMVU_NONE = "Đồng chí hiện không có nhiệm vụ nào đang thực hiện."
NHIEMVU_MINE = "Nhiệm vụ của đồng chí:\n{lines}"
NHIEMVU_LINE = "{n}. {body}\n   Hạn: {due}. Báo cáo gần nhất: {status}"
NHIEMVU_NO_REPORT = "chưa báo cáo"
NHIEMVU_CELL = (
    "Nhiệm vụ đang mở của {unit} ({count}), trang {page}/{pages}:\n{lines}\n"
    "Bấm một nhiệm vụ để sửa, đóng hoặc hủy."
)
NHIEMVU_CELL_LINE = "#{id}. {body}\n   Người nhận: {names}. Hạn: {due}"
NHIEMVU_CELL_NONE = "{unit} chưa có nhiệm vụ nào đang mở. Giao việc: /giaoviec"
TASK_DETAIL = "Nhiệm vụ #{id}: «{body}»\nNgười nhận: {names}\nHạn hoàn thành: {due}"
TASK_EDIT = "Sửa nội dung"
TASK_CLOSE = "Đóng (đã hoàn thành)"
TASK_CANCEL = "Hủy nhiệm vụ"
TASK_ASK_EDIT = (
    "Đồng chí nhập nội dung mới cho nhiệm vụ #{id} (tối đa {limit} ký tự). Gửi /huy để hủy."
)
TASK_EDITED = "Đã sửa nội dung nhiệm vụ #{id}."
TASK_CLOSED = "Đã đóng nhiệm vụ #{id} (đã hoàn thành)."
TASK_CANCELLED = "Đã hủy nhiệm vụ #{id}."
TASK_NOT_OPEN = "Nhiệm vụ này đã được đóng hoặc hủy."
# To the assignees when the secretary changes a task.
TASK_TOLD_EDITED = (
    "✏️ {unit} đã sửa nội dung nhiệm vụ giao cho đồng chí:\n«{body}»\n(trước đây: «{old}»)\n"
    "Xem các nhiệm vụ của mình: /nhiemvu"
)
TASK_TOLD_CLOSED = "✅ {unit} đã đóng nhiệm vụ «{body}» (đã hoàn thành). Cảm ơn đồng chí."
TASK_TOLD_CANCELLED = (
    "{unit} đã hủy nhiệm vụ «{body}»; đồng chí không cần thực hiện và báo cáo nhiệm vụ này nữa."
)

CLI_TASKS_HEADER = "{unit}:"
CLI_TASKS_NONE = "  (không có nhiệm vụ)"
CLI_TASKS_LINE = "  [{id}] {body} — {status}; hạn: {due}"
CLI_TASKS_MEMBER = "      {name}: {report}"
CLI_TASK_STATES = {"open": "đang mở", "closed": "đã đóng", "cancelled": "đã hủy"}
CLI_CHECKINS_BAD_MONTH = "Tháng phải có dạng YYYY-MM, ví dụ 2026-12."
CLI_CHECKINS_WRITTEN = "Đã ghi {rows} dòng vào {path}."
EXPORT_SHEET = "Báo cáo nhiệm vụ"
EXPORT_HEADERS = (
    "Chi bộ",
    "Đảng viên",
    "Nhiệm vụ",
    "Hạn hoàn thành",
    "Tình hình",
    "Ghi chú",
    "Thời điểm báo cáo",
)
EXPORT_NO_ROUND = "không có kỳ báo cáo"
EXPORT_EXCUSED = "được miễn báo cáo"
