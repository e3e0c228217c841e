"""Vietnamese texts of the meeting's paperwork: agenda and documents ahead, minutes, resolution."""

from __future__ import annotations

# -- templates (checked when the config is loaded) ---------------------------------------------
DOCS_TEMPLATE_NOT_FOUND = "[documents] Không tìm thấy tệp mẫu {path}."
DOCS_TEMPLATE_UNREADABLE = (
    "[documents] Tệp mẫu {path} không đọc được như một tệp .docx có trường điền ({error})."
)
DOCS_TEMPLATE_UNKNOWN = (
    "[documents] Tệp mẫu {path} có trường Chibo không biết: {names}. "
    "Xem danh sách trường trong README (mục «Biên bản và nghị quyết»)."
)
DOCS_TEMPLATE_BAD_FIELD = (
    "[documents] Tệp mẫu {path} dùng «{name}», không phải trường hay thuộc tính Chibo điền. "
    "Xem danh sách trường trong README (mục «Biên bản và nghị quyết»)."
)
DOCS_TEMPLATE_MISSING = (
    "[documents] Tệp mẫu {path} thiếu trường bắt buộc: {names}. "
    "Xem danh sách trường trong README (mục «Biên bản và nghị quyết»)."
)

# -- agenda and documents (/datlich «Nội dung và tài liệu») ------------------------------------
DATLICH_PAPERS = "📎 Nội dung và tài liệu"
PAPERS_MENU = (
    "📎 Nội dung và tài liệu của buổi sinh hoạt\n{block}\n\n"
    "Chương trình:\n{agenda}\n\nTài liệu:\n{documents}\n\n{status}"
)
PAPERS_NO_AGENDA = "(chưa có)"
PAPERS_NO_DOCUMENTS = "(chưa có)"
PAPERS_NOT_SENT = "Chibo sẽ gửi nội dung và tài liệu cho mọi đảng viên {days} ngày trước buổi họp."
PAPERS_SENT = "Đã gửi cho đảng viên; mỗi thay đổi sẽ được báo lại một lần."
PAPERS_EDIT_AGENDA = "✏️ Sửa chương trình"
PAPERS_ADD_DOCUMENT = "📄 Gửi thêm tài liệu"
PAPERS_DONE = "✅ Xong"
PAPERS_CLOSED = "Đã đóng mục nội dung và tài liệu."
PAPERS_ASK_AGENDA = (
    "Đồng chí gõ chương trình buổi sinh hoạt, mỗi nội dung một dòng (tối đa {limit} ký tự). "
    "Gõ /huy để thôi."
)
PAPERS_EMPTY_AGENDA = "Chương trình không được để trống. Đồng chí gõ lại, mỗi nội dung một dòng."
PAPERS_AGENDA_NOT_FILE = (
    "Chibo đang chờ chương trình buổi sinh hoạt, gõ bằng chữ, mỗi nội dung một dòng. Tệp này "
    "chưa được lưu: để gửi tài liệu, đồng chí chọn «📄 Gửi thêm tài liệu» sau khi lưu chương "
    "trình. Gõ /huy để thôi."
)
PAPERS_ASK_DOCUMENT = (
    "Đồng chí gửi tệp PDF hoặc DOCX (tối đa {limit} MB) vào đây, như gửi một tệp đính kèm. "
    "Tệp lớn hơn: dùng lệnh `chibo meetings agenda` trên máy chủ. Gõ /huy để thôi."
)
PAPERS_FILE_HINT = (
    "Để gửi tài liệu cho buổi sinh hoạt tới, đồng chí dùng /datlich → «📎 Nội dung và tài liệu» "
    "→ «📄 Gửi thêm tài liệu», rồi gửi lại tệp."
)
PAPERS_NEED_FILE = "Chibo đang chờ một tệp PDF hoặc DOCX. Đồng chí gửi tệp, hoặc gõ /huy để thôi."
PAPERS_NOT_ON_ZALO = (
    "Zalo chưa cho gửi tệp tới Chibo. Đồng chí gửi tài liệu từ Telegram, hoặc nhờ quản trị "
    "viên dùng lệnh `chibo meetings agenda`."
)
PAPERS_BAD_TYPE = "Tệp «{name}» không phải PDF hoặc DOCX. Chibo chỉ nhận tài liệu PDF hoặc DOCX."
PAPERS_TOO_BIG = (
    "Tệp «{name}» nặng {size} MB, quá giới hạn {limit} MB của ứng dụng chat. Đồng chí nén "
    "hoặc tách nhỏ tệp, hoặc nhờ quản trị viên dùng lệnh `chibo meetings agenda` "
    "(tối đa {cli_limit} MB)."
)
PAPERS_EMPTY_FILE = "Tệp «{name}» rỗng. Đồng chí kiểm tra và gửi lại."
PAPERS_DOWNLOAD_FAILED = "Chibo chưa tải được tệp. Đồng chí vui lòng gửi lại sau ít phút."
PAPERS_AGENDA_SAVED = "Đã lưu chương trình buổi sinh hoạt."
PAPERS_DOCUMENT_SAVED = "Đã nhận tài liệu «{name}» ({size} MB)."
PAPERS_DUPLICATE = "Tài liệu «{name}» đã có trong buổi sinh hoạt này."
PAPERS_RESENT = " Đã báo lại cho {count} đảng viên."
PAPERS_TOO_LATE = "Buổi sinh hoạt đã bắt đầu hoặc đã hủy; không sửa nội dung được nữa."
# What members get ahead of the meeting.
PAPERS_NOTICE = "📎 Nội dung và tài liệu buổi sinh hoạt\n{block}\n\nChương trình:\n{agenda}"
PAPERS_UPDATED = (
    "📎 Cập nhật nội dung và tài liệu buổi sinh hoạt\n{block}\n\nChương trình:\n{agenda}"
)
PAPERS_DOC_CAPTION = "📄 Tài liệu sinh hoạt chi bộ {when}: {name}"
# Shown under a meeting in /lichhop.
LICHHOP_DOCUMENTS = "\n📄 Tài liệu: {names}"

# -- minutes and resolution (/bienban) ---------------------------------------------------------
BIENBAN_NONE = "Chi bộ chưa có buổi sinh hoạt nào đã bắt đầu để lập biên bản."
BIENBAN_MENU = (
    "📝 Biên bản và nghị quyết\n{block}\n\n"
    "Chủ trì: {chair}\nThư ký: {clerk}\nKhách mời: {guests}\n"
    "Điểm danh: {attendance}\n"
    "Kết luận: {conclusions}\n"
    "Biểu quyết: {vote}\n\n"
    "Đồng chí có thể đổi chủ trì, thư ký, nhập kết luận và kết quả biểu quyết trước khi tải "
    "bản dự thảo; bản dự thảo luôn lấy theo số liệu mới nhất."
)
BIENBAN_NOT_SET = "(chưa chọn)"
BIENBAN_NO_GUESTS = "(không có)"
BIENBAN_GUESTS = "👥 Khách mời"
BIENBAN_PICK_GUESTS = (
    "Cấp ủy viên được phân công dự sinh hoạt chi bộ: chọn người đã dự (chọn lại để bỏ)."
)
BIENBAN_NO_CONCLUSIONS = "(chưa nhập)"
BIENBAN_NO_VOTE = "(chưa nhập)"
BIENBAN_VOTE = "tán thành {yes}, không tán thành {no}, không biểu quyết {abstain}"
BIENBAN_ATTENDANCE_SAVED = (
    "đã lưu (có mặt {present}, vắng có lý do {excused}, vắng không lý do {absent})"
)
BIENBAN_ATTENDANCE_NONE = "chưa điểm danh (bản dự thảo lấy theo các câu trả lời)"
BIENBAN_MINUTES = "📝 Tải biên bản (.docx)"
BIENBAN_RESOLUTION = "📜 Tải nghị quyết (.docx)"
BIENBAN_CHAIR = "👤 Đổi chủ trì"
BIENBAN_CLERK = "✍️ Đổi thư ký"
BIENBAN_CONCLUSIONS = "🗒 Nhập kết luận"
BIENBAN_VOTE_BUTTON = "🗳 Nhập biểu quyết"
BIENBAN_BACK = "↩️ Quay lại"
BIENBAN_MORE = "Trang sau ▶️"
BIENBAN_PICK_CHAIR = "Chọn đồng chí chủ trì buổi sinh hoạt:"
BIENBAN_PICK_CLERK = "Chọn đồng chí thư ký (ghi biên bản):"
BIENBAN_ASK_CONCLUSIONS = (
    "Đồng chí gõ kết luận của chủ trì (tối đa {limit} ký tự; xuống dòng để tách ý). "
    "Gõ /huy để thôi."
)
BIENBAN_ASK_VOTE = (
    "Đồng chí gõ kết quả biểu quyết nghị quyết: ba số tán thành, không tán thành, không biểu "
    "quyết, ví dụ «{example}». Gõ /huy để thôi."
)
BIENBAN_BAD_VOTE = (
    "Chibo chưa hiểu «{text}». Đồng chí gõ ba số: tán thành, không tán thành, không biểu "
    "quyết, ví dụ «{example}»."
)
BIENBAN_VOTE_TOO_MANY = (
    "Tổng số phiếu ({total}) nhiều hơn số đảng viên có mặt ({present}). Đồng chí kiểm tra lại."
)
BIENBAN_EMPTY_TEXT = "Kết luận không được để trống. Đồng chí gõ lại."
BIENBAN_SAVED = "Đã lưu."
BIENBAN_FILE_CAPTION = (
    "📝 Dự thảo {what} — {unit}, {when}. Đồng chí mở tệp, bổ sung ý kiến phát biểu rồi in."
)
BIENBAN_WHAT = {"minutes": "biên bản sinh hoạt", "resolution": "nghị quyết"}
BIENBAN_AFTER_ATTENDANCE = "📝 Lập biên bản"
BIENBAN_NO_LINK_ZALO = (
    "Zalo không nhận tệp, và Chibo chưa có địa chỉ để gửi liên kết tải bản dự thảo. Đồng chí "
    "tải bản dự thảo trên Telegram, hoặc nhờ quản trị viên điền [zalo] files_public_url, hoặc "
    "dùng lệnh `chibo minutes export` trên máy chủ."
)

# -- what goes into the drafts -----------------------------------------------------------------
MINUTES_KINDS = {"regular": "thường kỳ", "thematic": "chuyên đề"}
MINUTES_PERIOD = "tháng {month:02d} năm {year}"
MINUTES_DATE = "ngày {day:02d} tháng {month:02d} năm {year}"
MINUTES_TIME = "{hour:02d} giờ {minute:02d} phút"
MINUTES_PLACE_DATE = "……………, ngày {day:02d} tháng {month:02d} năm {year}"
MINUTES_BLANK = "……………"
MINUTES_NO_REASON = "không ghi lý do"
MINUTES_NO_AGENDA = "(chương trình chưa nhập)"
MINUTES_NO_TASKS = "(chưa có nhiệm vụ)"
MINUTES_CHECKIN_STATUS = {
    "done": "đã hoàn thành",
    "doing": "đang thực hiện",
    "todo": "chưa thực hiện",
    "blocked": "gặp khó khăn",
    "missing": "chưa báo cáo",
    "excused": "được miễn báo cáo",
}
MINUTES_EVERYONE = "cả chi bộ"
MINUTES_ASSESS_ATTENDANCE = (
    "Sinh hoạt chi bộ {period}: {present}/{required} đảng viên phải dự có mặt ({rate}%); "
    "vắng có lý do {excused}, vắng không có lý do {absent}."
)
MINUTES_ASSESS_CHECKINS = (
    "Thực hiện nhiệm vụ được giao: {done} hoàn thành, {doing} đang thực hiện, {todo} chưa thực "
    "hiện, {blocked} gặp khó khăn, {missing} chưa báo cáo."
)
MINUTES_ASSESS_BLOCKED = "Nhiệm vụ gặp khó khăn: {task} (đồng chí {member}{note})."
MINUTES_ASSESS_BULLETIN = "Bản tin Thông tin tư tưởng {issue}: {read}/{total} đảng viên đã đọc."
MINUTES_ASSESS_NONE = "(chưa có số liệu báo cáo nhiệm vụ trong tháng)"

# -- CLI ---------------------------------------------------------------------------------------
CLI_AGENDA_NO_MEETING = "Đơn vị {code} không có buổi sinh hoạt nào sắp tới."
CLI_AGENDA_DONE = "Đã cập nhật buổi sinh hoạt {when}: chương trình {items} mục, {docs} tài liệu."
CLI_AGENDA_BAD_FILE = "Tệp {path}: {error}"
CLI_AGENDA_NO_FILE = "không có tệp này."
CLI_AGENDA_UNREADABLE = "không đọc được tệp (là một thư mục, hoặc không có quyền đọc)."
CLI_AGENDA_TOO_BIG = "nặng {size} MB, quá giới hạn {limit} MB. Đồng chí nén hoặc tách nhỏ tệp."
CLI_MINUTES_EXPORTED = "Đã ghi {count} biên bản vào {out}."
CLI_MINUTES_BAD_YEAR = "Năm {year} không hợp lệ. Nhập năm đủ bốn chữ số, ví dụ 2027."
CLI_MINUTES_NOT_A_FOLDER = "{out} là một tệp, không phải thư mục. Chọn một thư mục khác cho --out."
CLI_MINUTES_WRITE_FAILED = "Không ghi được {path} (không có quyền ghi, hoặc ổ đĩa đầy)."
CLI_CATEGORY_SET = "Đã đặt loại đảng viên của {name}: {category}."
CLI_CATEGORIES = {
    "full": "chính thức",
    "probationary": "dự bị",
    "exempt": "miễn công tác và sinh hoạt đảng",
    "attached": "nơi khác đến sinh hoạt tạm thời",
    "auto": "theo danh sách (chính thức hoặc dự bị)",
}

# -- the roster's «Diện sinh hoạt» column (what the minutes count by) --------------------------
ROSTER_CATEGORY_HEADERS = {"category": "Diện sinh hoạt"}
ROSTER_CATEGORY_ALIASES = {
    "category": ("dien dang vien", "phan loai sinh hoat", "dien", "dien bien ban"),
}
# Shown in the template's dropdown, in this order: label -> stored category. «Chính thức» and
# «Dự bị» go back to following the «Loại đảng viên» column.
ROSTER_CATEGORIES = {
    "Chính thức": "full",
    "Dự bị": "probationary",
    "Miễn sinh hoạt": "exempt",
    "Sinh hoạt tạm thời": "attached",
}
# Also accepted, not offered in the dropdown.
ROSTER_CATEGORY_LABEL_ALIASES = {
    "Đảng viên chính thức": "full",
    "Đảng viên dự bị": "probationary",
    "Miễn công tác và sinh hoạt đảng": "exempt",
    "Miễn sinh hoạt đảng": "exempt",
    "Đảng viên miễn sinh hoạt": "exempt",
    "Tạm thời": "attached",
    "Sinh hoạt tạm thời tại chi bộ": "attached",
    "Đảng viên sinh hoạt tạm thời": "attached",
}
ROSTER_ERR_CATEGORY = (
    "Diện sinh hoạt «{value}» không hợp lệ; để trống (giữ nguyên diện đã có) hoặc ghi: {accepted}."
)
ROSTER_ERR_CATEGORY_STATUS = (
    "Diện «{value}» trái với cột «Loại đảng viên» («{status}»); sửa một trong hai cột."
)
ROSTER_ERR_CATEGORY_ATTACHED = (
    "Diện «Sinh hoạt tạm thời» dành cho đảng viên nơi khác đến sinh hoạt tạm thời tại chi bộ ở "
    "cột «Mã chi bộ». Đảng viên của chi bộ đi sinh hoạt tạm thời nơi khác thì chỉ ghi cột "
    "«Sinh hoạt tạm thời tại» và để trống cột này."
)
ROSTER_CATEGORIES_SET = "Diện sinh hoạt: {count} thay đổi."
ROSTER_GUIDE_CATEGORY_ROWS = (
    (
        "Đảng viên",
        "Diện sinh hoạt",
        False,
        "Diện đảng viên mà biên bản sinh hoạt chi bộ đếm. Một trong: "
        + "; ".join(ROSTER_CATEGORIES)
        + ". «Miễn sinh hoạt»: được miễn công tác và sinh hoạt đảng (không tính vào số phải "
        "dự). «Sinh hoạt tạm thời»: đảng viên nơi khác đến sinh hoạt tạm thời tại chi bộ ở cột "
        "«Mã chi bộ». «Chính thức», «Dự bị»: theo cột «Loại đảng viên». Để trống: giữ nguyên "
        "diện đã có (lần nhập đầu: theo cột «Loại đảng viên»).",
    ),
)
