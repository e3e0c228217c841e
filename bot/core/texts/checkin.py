"""/baocao and /tiendo: the check-in round before a meeting, nudges, the digest."""

from __future__ import annotations

# Check-in answers, by the code stored in the database.
CHECKIN_STATUS = {
    "done": "Đã hoàn thành",
    "doing": "Đang thực hiện",
    "todo": "Chưa thực hiện",
    "blocked": "Gặp khó khăn",
}

CHECKIN_PROMPT = (
    "Kính gửi đồng chí {name}: trước buổi sinh hoạt chi bộ, đồng chí vui lòng báo cáo tình hình "
    "thực hiện nhiệm vụ được giao."
)
CHECKIN_NUDGE = (
    "⏰ Nhắc: đồng chí chưa báo cáo đủ tình hình thực hiện nhiệm vụ trước buổi sinh hoạt {when}."
)
CHECKIN_LIST = "Báo cáo cho buổi sinh hoạt {when}:\n{lines}"
CHECKIN_LINE = "{n}. {body} — {status}"
CHECKIN_ASK = "Nhiệm vụ {n} «{body}»: tình hình thực hiện thế nào?"
CHECKIN_ALL_DONE = "Đồng chí đã báo cáo đủ. Có thể sửa câu trả lời đến trước buổi sinh hoạt {when}."
CHECKIN_CHANGE = "Sửa nhiệm vụ {n}"
CHECKIN_ASK_NOTE = (
    "Đã ghi «{status}» cho nhiệm vụ «{body}». Đồng chí có thể gõ thêm ghi chú "
    "(tối đa {limit} ký tự), hoặc bấm «Bỏ qua»."
)
CHECKIN_SKIP = "Bỏ qua"
CHECKIN_NOTE_EMPTY = "Ghi chú đang trống. Đồng chí gõ ghi chú hoặc bấm «Bỏ qua»."
CHECKIN_NOTE_TOO_LONG = (
    "Ghi chú dài {length} ký tự, quá giới hạn {limit} ký tự nên chưa được lưu. "
    "Đồng chí vui lòng rút gọn rồi gửi lại, hoặc bấm «Bỏ qua»."
)
CHECKIN_NOTE_SAVED = "Đã lưu ghi chú."
CHECKIN_NO_ROUND = (
    "Hiện chưa đến kỳ báo cáo nhiệm vụ. Chibo sẽ nhắc đồng chí vài ngày trước buổi sinh hoạt "
    "chi bộ. Xem nhiệm vụ: /nhiemvu"
)
CHECKIN_NOT_YOURS = "Nhiệm vụ này không được giao cho đồng chí trong kỳ báo cáo này."
CHECKIN_CLOSED = "Kỳ báo cáo này đã kết thúc (buổi sinh hoạt đã bắt đầu), không sửa được nữa."

TIENDO_NO_ROUND = "Chi bộ hiện không có kỳ báo cáo nhiệm vụ nào đang mở."
TIENDO_HEADER = "Tiến độ báo cáo nhiệm vụ cho buổi sinh hoạt {when}: đã báo cáo {done}/{total}."
TIENDO_BLOCKED = "Nhiệm vụ gặp khó khăn:"
TIENDO_BLOCKED_LINE = "• {name}: {body} — {note}"
TIENDO_NO_NOTE = "không có ghi chú"
TIENDO_SILENT = "Chưa báo cáo: {names}."
TIENDO_ALL_ANSWERED = "Tất cả đã báo cáo."
TIENDO_NUDGE = "Nhắc nhở"
TIENDO_EXCUSE = "Miễn báo cáo: {name}"
TIENDO_EXCUSED = "Đã miễn báo cáo kỳ này cho đồng chí {name} (nghỉ phép, miễn sinh hoạt)."
TIENDO_NUDGED = "Đã gửi lời nhắc tới {count} đồng chí."
TIENDO_NUDGE_UNLINKED = "{count} đồng chí chưa liên kết tài khoản, cần nhắc trực tiếp."
TIENDO_NUDGE_MORNING = "Vì đang là buổi tối, lời nhắc sẽ được gửi lúc 07:00 sáng mai."

DIGEST_HEADER = "📋 Tổng hợp báo cáo nhiệm vụ của {unit} cho buổi sinh hoạt {when}:"
DIGEST_MEMBER = "Đồng chí {name}:"
DIGEST_MEMBER_EXCUSED = "Đồng chí {name}: được miễn báo cáo kỳ này."
# A long digest goes in several messages; each says which it is (a retried part may come late).
DIGEST_PART = "(Phần {n}/{total})"
