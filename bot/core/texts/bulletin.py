"""The bulletin «Thông tin tư tưởng»: /phathanh, delivery, «Đã đọc», /bantin, /docbantin and
`chibo bulletin`."""

from __future__ import annotations

# "Thông tin tư tưởng": publishing (/phathanh or sending the PDF), delivery, reads, /bantin.

PUBLISHER_ROLE = "cán bộ tuyên giáo hoặc quản trị viên"
BULLETIN_DEFAULT_TITLE = "Thông tin tư tưởng"
BULLETIN_ISSUE = "Số {issue}"
BULLETIN_ASK_FILE = (
    "Đồng chí gửi tệp PDF của bản tin (tối đa {limit} MB qua Telegram). Gửi /huy để hủy."
)
BULLETIN_WAITING_FILE = "Tôi đang chờ tệp PDF của bản tin. Đồng chí gửi tệp, hoặc /huy để hủy."
BULLETIN_NOT_PDF = (
    "Tệp «{name}» không phải PDF. Bản tin phải là tệp PDF; đồng chí gửi lại tệp khác."
)
BULLETIN_EMPTY_FILE = "Tệp «{name}» trống (0 byte). Đồng chí kiểm tra lại tệp rồi gửi lại."
BULLETIN_TOO_BIG = (
    "Tệp «{name}» nặng {size} MB, quá giới hạn {limit} MB mà bot được phép tải về qua Telegram. "
    "Đề nghị quản trị viên phát hành trên máy chủ bằng lệnh:\n"
    'chibo bulletin publish TỆP.pdf --title "…" --issue {issue}\n'
    "(lệnh này nhận tệp tới {cli_limit} MB)."
)
BULLETIN_DOWNLOAD_FAILED = "Không tải được tệp từ Telegram. Đồng chí vui lòng gửi lại sau ít phút."
BULLETIN_FILE_NO_ROLE = (
    "Chỉ {role} mới phát hành được bản tin. Nếu cần gửi tài liệu cho chi bộ, đồng chí liên hệ "
    "bí thư chi bộ."
)
BULLETIN_ASK_TITLE = (
    "Đã nhận tệp «{name}» ({size}). Tiêu đề bản tin là gì? Bấm nút để dùng tiêu đề mặc định, "
    "hoặc nhập tiêu đề (tối đa {limit} ký tự)."
)
BULLETIN_TITLE_EMPTY = "Tiêu đề đang trống. Đồng chí nhập tiêu đề hoặc bấm nút tiêu đề mặc định."
BULLETIN_ASK_ISSUE = (
    "Số phát hành? Bấm nút để dùng «{default}», hoặc nhập số, ví dụ: Số 12/2026 hoặc 12/2026."
)
BULLETIN_BAD_ISSUE = "Không đọc được số phát hành «{text}». Nhập theo mẫu: Số 12/2026 hoặc 12/2026."
BULLETIN_DUPLICATE = (
    # {issue} is the label, «Số 12/2026».
    "Bản tin {issue} đã được phát hành ngày {date} («{title}»). Mỗi số chỉ phát hành một lần; "
    "đồng chí kiểm tra lại số phát hành."
)
BULLETIN_ASK_SCOPE = "Gửi bản tin tới đâu?"
BULLETIN_SCOPE_HAMLET = "Các chi bộ ấp, khóm (mặc định)"
BULLETIN_SCOPE_CELLS = "Tất cả chi bộ"
BULLETIN_SCOPE_UNIT = "Một đơn vị và cấp dưới…"
BULLETIN_SCOPE_NAMES = {
    "hamlet": "các chi bộ ấp, khóm",
    "cells": "tất cả chi bộ",
    "unit": "{unit} và các đơn vị trực thuộc",
}
BULLETIN_SCOPE_UNDER = " thuộc {unit}"
BULLETIN_ASK_UNIT = "Đồng chí nhập mã hoặc tên đơn vị (không cần dấu), ví dụ: XA-HB hoặc Hòa Bình."
BULLETIN_UNIT_NONE = (
    "Không tìm thấy đơn vị nào khớp với «{text}» trong phạm vi của đồng chí. Nhập lại mã hoặc tên."
)
BULLETIN_UNIT_MANY = "Có {count} đơn vị khớp với «{text}». Đồng chí chọn một:"
BULLETIN_UNIT_TOO_MANY = (
    "Có {count} đơn vị khớp với «{text}». Đồng chí nhập cụ thể hơn (ví dụ mã đơn vị)."
)
BULLETIN_SCOPE_EMPTY = "Phạm vi «{scope}» không có đảng viên nào. Đồng chí chọn phạm vi khác."
BULLETIN_ASK_WHEN = (
    "Gửi lúc nào? Bấm «Gửi ngay», hoặc nhập thời điểm, ví dụ: 7h 1/12, 07:00 01/12/2026, "
    "7 giờ sáng ngày 1/12."
)
BULLETIN_NOW = "Gửi ngay"
BULLETIN_BAD_WHEN = "Không đọc được thời điểm «{text}». Nhập theo mẫu: 7h 1/12, 07:00 01/12/2026 hoặc bấm «Gửi ngay»."
BULLETIN_PAST_WHEN = (
    "Thời điểm «{text}» đã qua. Đồng chí nhập một thời điểm sắp tới hoặc bấm «Gửi ngay»."
)
BULLETIN_CONFIRM = (
    "Bản tin «{title}» — {issue}\n"
    "Phạm vi: {scope}.\n"
    "Gửi tới {linked} đảng viên ở {cells} chi bộ, {when}?"
    "{unlinked_note}"
)
BULLETIN_WHEN_NOW = "ngay bây giờ"
BULLETIN_WHEN_AT = "lúc {time} ngày {date}"
BULLETIN_UNLINKED_NOTE = (
    "\n({unlinked} đảng viên trong phạm vi chưa liên kết tài khoản sẽ tự động nhận khi liên kết.)"
)
BULLETIN_SEND = "Gửi"
BULLETIN_CANCEL = "Hủy"
BULLETIN_QUEUED = (
    "Đã xếp lịch gửi bản tin {issue} tới {count} đảng viên ({when}). "
    "Tôi sẽ báo tiến độ trong một tin nhắn và báo kết quả khi xong."
)
BULLETIN_PROGRESS = (
    "📤 Đang gửi bản tin «{title}» — {issue}\n"
    "Đã gửi: {sent} · Không gửi được: {failed} · Còn lại: {left}\n"
    "{eta}"
)
BULLETIN_PROGRESS_SCHEDULED = "📤 Bản tin «{title}» — {issue}: sẽ gửi tới {count} đảng viên {when}."
BULLETIN_ETA = "Dự kiến xong sau khoảng {minutes} phút."
BULLETIN_ETA_SOON = "Dự kiến xong trong vòng một phút."
BULLETIN_PROGRESS_DONE = (
    "✅ Đã gửi xong bản tin «{title}» — {issue}\n"
    "Đã gửi: {sent} · Không gửi được: {failed} · Còn lại: 0"
)
BULLETIN_SUMMARY = (
    "Kết quả phát hành bản tin «{title}» — {issue}:\n"
    "• Đã gửi tới {sent} đảng viên; không gửi được: {failed}.\n"
    "• Chưa liên kết tài khoản (sẽ nhận khi liên kết): {unlinked}.\n"
    "• Đã đọc đến nay: {read}.\n"
    "• Thời gian gửi: {duration}.\n"
    "Gửi /docbantin để xem tỉ lệ đọc theo đơn vị."
)
BULLETIN_DURATION_MINUTES = "{minutes} phút"
BULLETIN_DURATION_SHORT = "dưới một phút"
BULLETIN_CAPTION = (
    "📰 {title} — {issue}\n"
    "Tài liệu sinh hoạt tư tưởng của chi bộ tháng này: đồng chí đọc trước buổi sinh hoạt để "
    "cùng thảo luận. Đọc xong, đồng chí bấm «Đã đọc»."
)
BULLETIN_CAPTION_REMIND = "🔔 Nhắc đọc bản tin\n"
BULLETIN_READ_BUTTON = "Đã đọc"
BULLETIN_READ_THANKS = "Cảm ơn đồng chí đã đọc bản tin {issue}!"
BULLETIN_READ_ALREADY = "Đồng chí đã báo đọc bản tin {issue} rồi. Cảm ơn đồng chí!"
BULLETIN_READ_REFUSED = "Nút này không dành cho tài khoản của đồng chí, nên không ghi nhận."

# /bantin
BANTIN_NONE = "Chưa có bản tin nào dành cho đồng chí."
BANTIN_LATEST = "Bản tin mới nhất: «{title}» — {issue} (phát hành {date})."
BANTIN_LIST = "Các số gần đây — bấm để nhận lại:"
BANTIN_ITEM = "{issue} · {title}"
BANTIN_NOT_YOURS = "Bản tin này không thuộc phạm vi của đồng chí hoặc chưa phát hành."

# /chibo section and /docbantin
BULLETIN_CELL_READS = "Bản tin «{title}» — {issue}: đã đọc {read}/{total} đảng viên."
BULLETIN_CELL_UNREAD = "Chưa đọc: {names}."
BULLETIN_CELL_ALL_READ = "Tất cả đảng viên đã đọc."
BULLETIN_CELL_NONE = "Chưa có bản tin nào gửi tới chi bộ."
BULLETIN_REMIND_BUTTON = "Nhắc đồng chí chưa đọc"
BULLETIN_REMINDED = "Đã nhắc {count} đồng chí chưa đọc bản tin {issue}."
BULLETIN_REMIND_NONE = "Không có đồng chí nào cần nhắc (đã đọc hết, hoặc chưa liên kết tài khoản, hoặc đã nhắc hôm nay)."
BULLETIN_RATES_HEADER = "Tỉ lệ đọc bản tin «{title}» — {issue}, {unit}: {read}/{total} ({rate})."
BULLETIN_RATES_LINE = "• {unit}: {read}/{total} ({rate})"
BULLETIN_RATES_NONE = "Chưa có bản tin nào phát hành trong phạm vi của đồng chí."
BULLETIN_NO_SCOPE = "Lệnh này dành cho bí thư chi bộ, cấp ủy viên, {role}."

# chibo bulletin publish|status (terminal)
CLI_BULLETIN_NOT_FOUND = "Không có tệp {path}."
CLI_BULLETIN_NOT_PDF = "Tệp {path} không phải PDF."
CLI_BULLETIN_EMPTY = "Tệp {path} trống."
CLI_BULLETIN_TOO_BIG = "Tệp {path} nặng {size} MB, quá giới hạn {limit} MB của Telegram."
CLI_BULLETIN_BAD_ISSUE = "Số phát hành «{text}» không hợp lệ; ví dụ: 12/2026."
CLI_BULLETIN_BAD_WHEN = 'Không đọc được thời điểm «{text}»; ví dụ: "07:00 01/12/2026".'
CLI_BULLETIN_PAST_WHEN = "Thời điểm «{text}» đã qua."
CLI_BULLETIN_EMPTY_SCOPE = "Phạm vi «{scope}» không có đảng viên nào; không phát hành."
CLI_BULLETIN_PUBLISHED = (
    "Đã phát hành bản tin #{id} «{title}» — {issue}: {count} bản sẽ gửi {when} "
    "({members} đảng viên ở {cells} chi bộ trong phạm vi, {unlinked} chưa liên kết). "
    "Xem tiến độ: chibo bulletin status {id}"
)
CLI_BULLETIN_UNKNOWN = "Không có bản tin #{id}."
CLI_BULLETIN_STATUS = (
    "Bản tin #{id} «{title}» — {issue}, gửi {when}\n"
    "  Đã gửi: {sent} · Không gửi được: {failed} · Còn lại: {left} · {state}\n"
    "  Đã đọc: {read}/{total} ({rate})"
)
CLI_BULLETIN_DONE = "đã xong"
CLI_BULLETIN_RUNNING = "đang gửi"
CLI_BULLETIN_WAITING = "chưa tới giờ gửi"
