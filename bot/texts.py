"""Every sentence a user reads, in Vietnamese with full diacritics. Placeholders use {names}.

Sections are kept apart so features can grow without stepping on each other.
"""

from __future__ import annotations

# --- general -------------------------------------------------------------------------------

GENERIC_ERROR = "Xin lỗi, hệ thống đang gặp sự cố. Đồng chí vui lòng thử lại sau ít phút."
UNKNOWN_COMMAND = "Tôi chưa hiểu lệnh này. Gửi /huongdan để xem các lệnh đồng chí có thể dùng."
NOT_UNDERSTOOD = "Tôi chưa hiểu tin nhắn này. Gửi /huongdan để xem các lệnh đồng chí có thể dùng."
TOO_LONG = "Tin nhắn quá dài (tối đa {limit} ký tự). Đồng chí vui lòng rút gọn rồi gửi lại."
PRIVATE_ONLY = (
    "Để bảo đảm bí mật thông tin, Chibo chỉ làm việc trong tin nhắn riêng. "
    "Đồng chí vui lòng nhắn trực tiếp cho bot."
)
NO_PERMISSION = "Lệnh này chỉ dành cho {role}. Đồng chí không có quyền sử dụng."
STALE_BUTTON = "Nút này đã hết hiệu lực. Đồng chí vui lòng thực hiện lại từ đầu."
FILE_NOT_EXPECTED = "Tôi chưa cần tệp nào lúc này. Gửi /huongdan để xem các lệnh."
CANCELLED = "Đã hủy."
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy."

ROLE_NAMES = {
    "admin": "quản trị viên",
    "propaganda": "cán bộ tuyên giáo",
    "committee": "cấp ủy viên",
    "secretary": "bí thư chi bộ",
    "deputy": "phó bí thư chi bộ",
    "treasurer": "thủ quỹ chi bộ",
    "member": "đảng viên",
}
SECRETARY_ROLE = "bí thư, phó bí thư chi bộ"

# --- onboarding ----------------------------------------------------------------------------

STRANGER = (
    "Xin chào! Đây là Chibo, trợ lý của chi bộ.\n"
    "Tài khoản này chưa được liên kết. Đồng chí vui lòng mở liên kết mời (hoặc quét mã QR) "
    "mà bí thư chi bộ đã gửi, hoặc gửi /start kèm mã mời."
)
WELCOME = (
    "Chào đồng chí {name}!\n"
    "Tài khoản đã được liên kết với {unit}. Từ nay Chibo sẽ gửi lịch họp, nhắc việc và "
    "bản tin cho đồng chí tại đây.\n"
    "Gửi /huongdan để xem các lệnh."
)
WELCOME_BACK = "Chào đồng chí {name} ({unit}). Gửi /huongdan để xem các lệnh."
INVITE_INVALID = (
    "Mã mời không đúng hoặc không còn hiệu lực. Đồng chí vui lòng kiểm tra lại mã, "
    "hoặc liên hệ bí thư chi bộ để được cấp mã mới."
)
INVITE_EXPIRED = (
    "Mã mời này đã hết hạn. Đồng chí vui lòng liên hệ bí thư chi bộ để được cấp mã mới."
)
INVITE_USED = (
    "Mã mời này đã được sử dụng. Nếu không phải đồng chí dùng, vui lòng báo ngay cho bí thư chi bộ."
)
INVITE_LOCKED = "Đồng chí đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
ALREADY_LINKED = "Tài khoản này đã được liên kết với đồng chí {name} ({unit})."
ACCOUNT_BACK = "Chào mừng đồng chí trở lại! Chibo sẽ tiếp tục gửi tin cho đồng chí tại đây."

# --- help ----------------------------------------------------------------------------------

HELP_HEADER = "Các lệnh đồng chí có thể dùng:"
HELP_LINE = "/{command} — {description}"
HELP_STRANGER = STRANGER
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
}

# --- notices (/thongbao) -------------------------------------------------------------------

NOTICE_ASK_TEXT = (
    "Đồng chí nhập nội dung thông báo gửi tới đảng viên {unit} "
    "(tối đa {limit} ký tự). Gửi /huy để hủy."
)
NOTICE_EMPTY = "Nội dung thông báo đang trống. Đồng chí vui lòng nhập nội dung."
NOTICE_CONFIRM = (
    "Thông báo sẽ gửi tới {linked} đảng viên đã liên kết tài khoản của {unit}"
    "{unlinked_note}:\n\n{body}\n\nĐồng chí xác nhận gửi?"
)
NOTICE_UNLINKED_NOTE = " ({unlinked} đảng viên chưa liên kết sẽ không nhận được)"
NOTICE_SEND = "Gửi"
NOTICE_CANCEL = "Hủy"
NOTICE_NOBODY = "Chưa có đảng viên nào của {unit} liên kết tài khoản, nên chưa thể gửi thông báo."
NOTICE_QUEUED = "Đã xếp lịch gửi thông báo tới {count} đảng viên. Tôi sẽ báo lại kết quả."
NOTICE_MESSAGE = "📢 Thông báo của {unit}:\n\n{body}\n\n— {sender}"
NOTICE_REPORT = "Kết quả gửi thông báo ngày {date}: đã gửi tới {sent}/{total} đảng viên."
NOTICE_REPORT_FAILED = "Không liên lạc được với: {names}."
NOTICE_REPORT_UNLINKED = (
    "Chưa liên kết tài khoản: {count} đảng viên (dùng /moi để lấy liên kết mời)."
)

# --- invites (/moi) ------------------------------------------------------------------------

INVITES_HEADER = "Liên kết mời cho {count} đảng viên {unit} chưa liên kết (hết hạn {expires}):"
INVITES_LINE = "• {name}: {link}"
INVITES_NONE = "Tất cả đảng viên của {unit} đã liên kết tài khoản."
INVITES_FOOTER = "Mỗi liên kết chỉ dùng được một lần, cho đúng người có tên. Vui lòng gửi riêng cho từng đồng chí."

# --- delivery ------------------------------------------------------------------------------

MEMBER_UNREACHABLE = (
    "Không gửi được tin tới đồng chí {name}: tài khoản đã chặn hoặc xóa Chibo. "
    "Đề nghị đồng chí liên hệ trực tiếp để nhắc mở lại Chibo."
)

# --- roster (chibo roster ...) -------------------------------------------------------------

# The roster workbook: sheet names, column headers and the accepted values. Matching ignores
# case, diacritics and extra spaces, so these are also what the importer recognises.

ROSTER_SHEET_UNITS = "Tổ chức"
ROSTER_SHEET_MEMBERS = "Đảng viên"
ROSTER_SHEET_GUIDE = "Hướng dẫn"
ROSTER_UNIT_HEADERS = {
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "parent": "Mã đơn vị cấp trên",
    "kind": "Loại đơn vị",
}
ROSTER_MEMBER_HEADERS = {
    "stt": "STT",
    "name": "Họ và tên",
    "birth": "Ngày sinh",
    "gender": "Giới tính",
    "card": "Số thẻ đảng viên",
    "phone": "Điện thoại",
    "unit": "Mã chi bộ",
    "position": "Chức vụ",
    "status": "Loại đảng viên",
    "attach": "Sinh hoạt tạm thời tại",
    "attach_until": "Tạm thời đến tháng",
}
# Shown in the template's dropdown, in this order.
ROSTER_UNIT_KINDS = {
    "Đảng bộ": "committee",
    "Chi bộ ấp": "cell_hamlet",
    "Chi bộ khóm": "cell_neighbourhood",
    "Chi bộ khu phố": "cell_neighbourhood",
    "Chi bộ tổ dân phố": "cell_neighbourhood",
    "Chi bộ cơ quan": "cell_agency",
    "Chi bộ doanh nghiệp": "cell_enterprise",
    "Chi bộ (loại khác)": "cell_other",
}
# Also accepted, not offered in the dropdown.
ROSTER_UNIT_KIND_ALIASES = {
    "Đảng bộ cơ sở": "committee",
    "Đảng bộ bộ phận": "committee",
    "Đảng bộ tỉnh": "committee",
    "Đảng bộ xã": "committee",
    "Đảng bộ phường": "committee",
    "Đảng bộ đặc khu": "committee",
    "Chi bộ thôn": "cell_hamlet",
    "Chi bộ bản": "cell_hamlet",
    "Chi bộ buôn": "cell_hamlet",
    "Chi bộ sóc": "cell_hamlet",
    "Chi bộ": "cell_other",
    "Chi bộ loại khác": "cell_other",
    "Chi bộ khác": "cell_other",
    "Chi bộ cơ sở": "cell_other",
    "Chi bộ trực thuộc": "cell_other",
    "Chi bộ quân sự": "cell_agency",
    "Chi bộ công an": "cell_agency",
}
ROSTER_POSITIONS = {
    "Bí thư": "secretary",
    "Phó Bí thư": "deputy",
    "Cấp ủy viên": "committee",
    "Chi ủy viên": "committee",
    "Đảng ủy viên": "committee",
}
ROSTER_POSITION_ALIASES = {
    "Bí thư chi bộ": "secretary",
    "Phó Bí thư chi bộ": "deputy",
    "Bí thư đảng ủy": "secretary",
    "Phó Bí thư đảng ủy": "deputy",
    "Ủy viên": "committee",
}
ROSTER_STATUSES = {"Chính thức": "official", "Dự bị": "probationary"}
ROSTER_STATUS_ALIASES = {
    "Đảng viên chính thức": "official",
    "Đảng viên dự bị": "probationary",
}
ROSTER_GENDERS = ("Nam", "Nữ")

ROSTER_GUIDE_TITLE = "Hướng dẫn điền danh sách đảng viên cho Chibo"
ROSTER_GUIDE_HEADERS = ("Sheet", "Cột", "Bắt buộc", "Cách điền")
ROSTER_GUIDE_YES = "Có"
ROSTER_GUIDE_NO = "Không"
ROSTER_GUIDE_INTRO = (
    "Mỗi dòng của sheet «Tổ chức» là một đơn vị (đảng bộ hoặc chi bộ); mỗi dòng của sheet "
    "«Đảng viên» là một đảng viên. Không đổi tên cột. Dòng trống được bỏ qua. Nếu tệp có lỗi, "
    "Chibo không nhập gì và liệt kê từng lỗi theo số dòng và tên cột để sửa."
)
ROSTER_GUIDE_REIMPORT = (
    "Nhập lại tệp đã sửa là an toàn: đảng viên được nhận ra theo số thẻ (nếu không có số thẻ thì "
    "theo họ tên, ngày sinh và chi bộ) và được cập nhật tại chỗ. Đảng viên không có trong tệp "
    "được giữ nguyên. Chức vụ theo danh sách được thay bằng chức vụ trong tệp; vai trò do quản "
    "trị viên giao riêng được giữ lại."
)
ROSTER_GUIDE_PRIVACY = (
    "Bảo vệ dữ liệu cá nhân: Chibo chỉ lưu những thông tin cần cho công việc (họ tên, ngày sinh, "
    "số thẻ, chi bộ, chức vụ, loại đảng viên). Cột «Giới tính» và «Điện thoại» được kiểm tra "
    "nhưng KHÔNG được lưu vào hệ thống; có thể để trống."
)
ROSTER_GUIDE_ROWS = (
    (
        "Tổ chức",
        "Mã đơn vị",
        True,
        "Mã ngắn, không trùng, chỉ gồm chữ không dấu, số và các dấu . _ - (ví dụ XA-HB, CB-AP1). "
        "Dùng để đặt tên tệp phiếu mời và trong lệnh chibo invites --unit.",
    ),
    ("Tổ chức", "Tên đơn vị", True, "Tên đầy đủ, ví dụ: Chi bộ ấp Tân Thành."),
    (
        "Tổ chức",
        "Mã đơn vị cấp trên",
        False,
        "Mã của đơn vị trực tiếp cấp trên (có trong sheet này hoặc đã có trong hệ thống). "
        "Để trống cho đơn vị cao nhất. Cây tổ chức có bao nhiêu cấp cũng được.",
    ),
    (
        "Tổ chức",
        "Loại đơn vị",
        True,
        # Built from the dropdown's list, so the guide, the dropdown and the importer agree.
        "Một trong: " + "; ".join(ROSTER_UNIT_KINDS) + ".",
    ),
    ("Đảng viên", "STT", False, "Số thứ tự, chỉ để tiện theo dõi; không được lưu."),
    ("Đảng viên", "Họ và tên", True, "Họ và tên đầy đủ, có dấu, tối đa 100 ký tự."),
    (
        "Đảng viên",
        "Ngày sinh",
        False,
        "Ngày/tháng/năm, ví dụ 05/12/1975 (hoặc ô kiểu ngày của Excel, hoặc 1975-12-05).",
    ),
    (
        "Đảng viên",
        "Giới tính",
        False,
        " hoặc ".join(ROSTER_GENDERS) + ". Chỉ được kiểm tra, không được lưu.",
    ),
    (
        "Đảng viên",
        "Số thẻ đảng viên",
        False,
        "Chỉ gồm chữ và số, không trùng trong tệp. Nên điền: giúp nhận ra đảng viên khi nhập "
        "lại (kể cả khi đổi tên hoặc chuyển chi bộ).",
    ),
    (
        "Đảng viên",
        "Điện thoại",
        False,
        "Số điện thoại. Chỉ được kiểm tra, không được lưu.",
    ),
    (
        "Đảng viên",
        "Mã chi bộ",
        True,
        "Mã đơn vị nơi đảng viên sinh hoạt (có trong sheet «Tổ chức» hoặc đã có trong hệ thống).",
    ),
    (
        "Đảng viên",
        "Chức vụ",
        False,
        "Để trống nếu là đảng viên. Hoặc: "
        + "; ".join(ROSTER_POSITIONS)
        + " (nhiều chức vụ cách nhau bằng dấu phẩy). Chức vụ gắn với đơn vị ở cột «Mã chi bộ».",
    ),
    (
        "Đảng viên",
        "Loại đảng viên",
        False,
        " hoặc ".join(ROSTER_STATUSES) + ". Để trống được hiểu là Chính thức.",
    ),
    (
        "Đảng viên",
        "Sinh hoạt tạm thời tại",
        False,
        "Mã chi bộ nơi đảng viên sinh hoạt tạm thời (đi làm ăn xa...), tính từ tháng nhập tệp. "
        "Chi bộ đó nhắc họp, nhận trả lời và điểm danh đồng chí; chi bộ gốc không tính vắng. "
        "Để trống: sinh hoạt tại chi bộ gốc.",
    ),
    (
        "Đảng viên",
        "Tạm thời đến tháng",
        False,
        "Tháng cuối sinh hoạt tạm thời, dạng MM/YYYY (ví dụ 06/2027). Để trống: đến khi có "
        "thông báo mới.",
    ),
)

# Problems found in a roster file. Each is printed as "sheet, dòng N, cột «X»: message".
ROSTER_ISSUE_AT = "{sheet}, dòng {row}, cột «{column}»: {message}"
ROSTER_ISSUE_ROW = "{sheet}, dòng {row}: {message}"
ROSTER_ISSUE_SHEET = "{sheet}: {message}"
ROSTER_REFUSED = "Tệp bị từ chối, chưa nhập gì vào hệ thống. Có {count} lỗi cần sửa:"
ROSTER_MORE_ISSUES = "… và {count} lỗi khác."
ROSTER_ERR_FILE_MISSING = "Không tìm thấy tệp."
ROSTER_ERR_FILE_TYPE = "Chỉ nhận tệp .xlsx hoặc .csv."
ROSTER_ERR_FILE_BROKEN = "Không mở được tệp: tệp hỏng hoặc không phải tệp Excel .xlsx."
ROSTER_ERR_NOT_UTF8 = (
    "Tệp CSV không dùng bảng mã UTF-8. Trong Excel, chọn Lưu thành «CSV UTF-8 (Comma delimited)»."
)
ROSTER_ERR_NO_TABLE = (
    "Không nhận ra bảng: cần một dòng tiêu đề như của sheet «Tổ chức» ({units}) "
    "hoặc sheet «Đảng viên» ({members})."
)
ROSTER_ERR_NOTHING = "Không có bảng đơn vị hay đảng viên nào trong các tệp đã cho."
ROSTER_ERR_MISSING_COLUMN = "Thiếu cột bắt buộc «{column}»."
ROSTER_ERR_DUPLICATE_COLUMN = "Cột «{column}» xuất hiện hai lần."
ROSTER_ERR_REQUIRED = "Chưa điền (cột bắt buộc)."
ROSTER_ERR_TOO_LONG = "Dài quá {limit} ký tự."
ROSTER_ERR_DATE = "Ngày «{value}» không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/12/1975."
ROSTER_ERR_DATE_FUTURE = "Ngày {value} chưa tới (ở tương lai)."
ROSTER_ERR_DATE_OLD = "Ngày {value} trước năm 1900."
ROSTER_ERR_CARD = "Số thẻ «{value}» chỉ được gồm chữ và số (tối đa {limit} ký tự)."
ROSTER_ERR_CARD_DUPLICATE = "Số thẻ {value} trùng với dòng {row}."
ROSTER_ERR_MEMBER_DUPLICATE = (
    "Trùng với dòng {row}: cùng họ tên, ngày sinh và chi bộ, lại không có số thẻ để phân biệt."
)
ROSTER_ERR_UNIT_CODE = (
    "Mã «{value}» không hợp lệ: chỉ gồm chữ không dấu, số và các dấu . _ - (tối đa {limit} ký tự)."
)
ROSTER_ERR_UNIT_DUPLICATE = "Mã đơn vị {value} trùng với dòng {row}."
ROSTER_ERR_UNIT_UNKNOWN = "Không có đơn vị mã {value} (trong tệp hay trong hệ thống)."
ROSTER_ERR_PARENT_SELF = "Đơn vị không thể là cấp trên của chính nó."
ROSTER_ERR_CYCLE = "Quan hệ cấp trên bị vòng lặp: {chain}."
ROSTER_ERR_CHOICE = "Giá trị «{value}» không hợp lệ; chấp nhận: {accepted}."
ROSTER_ERR_CHOICE_OR_EMPTY = "Giá trị «{value}» không hợp lệ; để trống hoặc ghi: {accepted}."
ROSTER_ERR_PHONE = "Số điện thoại «{value}» không hợp lệ."
ROSTER_ERR_CONFLICT = (
    "Không nhập được vì dữ liệu trong tệp xung đột với dữ liệu đã có; chưa có gì thay đổi. "
    "(Chi tiết kỹ thuật: {detail})"
)

# chibo roster template / import.
ROSTER_TEMPLATE_WROTE = (
    "Đã tạo mẫu danh sách {path}. Điền sheet «Tổ chức» và «Đảng viên»; "
    "cách điền từng cột ở sheet «Hướng dẫn»."
)
ROSTER_READ = "Đã đọc {units} đơn vị và {members} đảng viên; đang nhập vào hệ thống…"
ROSTER_EMPTY = "Tệp chưa có dòng dữ liệu nào; không có gì để nhập."
ROSTER_PROGRESS = "Nhập đảng viên"
ROSTER_PROGRESS_UNIT = " đảng viên"
ROSTER_SUMMARY = (
    "Đã nhập xong danh sách.\n"
    "  Đơn vị: {units_created} thêm mới, {units_updated} cập nhật, {units_unchanged} không đổi.\n"
    "  Đảng viên: {members_created} thêm mới, {members_updated} cập nhật, "
    "{members_unchanged} không đổi.\n"
    "  Chức vụ theo danh sách: {roles_set}.\n"
    "  Đảng viên đang có trong hệ thống nhưng không có trong tệp (giữ nguyên): {members_absent}."
)

# chibo members (search).
ROSTER_FIND_LINE = "  id {id}: {name} — {unit_code} {unit_name}{roles}"
ROSTER_FIND_ROLES = " — {roles}"
ROSTER_FIND_ROLE = "{role} ({unit})"

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


# --- command line (chibo ...) --------------------------------------------------------------
# The administrator reads these in the terminal.

CLI_INIT_WROTE = "Đã tạo tệp cấu hình {path} (có chú thích cho từng mục)."
CLI_INIT_EXISTS = "Tệp cấu hình {path} đã có; giữ nguyên (dùng --force để ghi đè)."
CLI_DB_READY = "Cơ sở dữ liệu {path} đã sẵn sàng (phiên bản lược đồ {version})."
CLI_DB_UPGRADED = "Đã áp dụng: {names}."
CLI_DB_UP_TO_DATE = "Cơ sở dữ liệu đã ở phiên bản mới nhất ({version})."
CLI_CONFIG_ERROR = "Lỗi cấu hình: {error}"
CLI_NO_TOKEN = (
    "Chưa có token Telegram. Điền [telegram] token trong {path} hoặc đặt biến CHIBO_TELEGRAM_TOKEN."
)
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

# --- sandbox ---
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

# --- bulletin ------------------------------------------------------------------------------
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

# --- zalo ---
# Zalo has no buttons: choices are a numbered list answered with the number.
ZALO_CHOICE_LINE = "{number}. {label}"
ZALO_ANSWER_ONE = "Trả lời 1 để chọn."
ZALO_ANSWER_TWO = "Trả lời 1 hoặc 2."
ZALO_ANSWER_MANY = "Trả lời một số từ 1 đến {last}."
ZALO_CHOICE_HINT = "Tôi chưa hiểu câu trả lời này. Các lựa chọn hiện có:"
ZALO_NUMBER_OUT_OF_RANGE = "Không có lựa chọn số {number}. Các lựa chọn hiện có:"
ZALO_NOT_TEXT = (
    "Cảm ơn đồng chí! Chibo chỉ đọc được tin nhắn chữ, chưa xem được hình ảnh hay nhãn dán. "
    "Gửi /huongdan để xem các lệnh."
)
ZALO_EMPTY_INPUT = "Tin nhắn trống. Gửi /huongdan để xem các lệnh."
ZALO_PART = "({index}/{total}) {text}"
ZALO_EMPTY = "…"
ZALO_FILE_LINK = "Tải tệp: {url}"  # a bulletin PDF, a meeting document or a draft (.docx)
ZALO_FILE_UNAVAILABLE = "Tệp đính kèm chưa xem được trên Zalo; đồng chí vui lòng hỏi bí thư chi bộ."
# /kenh: where reminders and notices go for a member with both apps.
ZALO_CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo"}
CHANNEL_PREF_ASK = (
    "Chibo đang gửi lịch họp, nhắc việc và bản tin cho đồng chí qua {current}. "
    "Đồng chí muốn nhận ở đâu?"
)
CHANNEL_PREF_ONLY_ONE = (
    "Đồng chí mới liên kết {current}. Muốn nhận tin cả qua {other}, đồng chí nhắn mã {code} "
    "cho Chibo trên {other} (mã dùng một lần, hết hạn {expires}); sau đó gửi /kenh để chọn "
    "nơi nhận tin."
)
CHANNEL_PREF_SET = (
    "Đã ghi nhận: từ nay Chibo gửi tin cho đồng chí qua {channel}. "
    "Nếu không gửi được, Chibo sẽ gửi qua ứng dụng còn lại."
)
CHANNEL_PREF_NOT_LINKED = "Đồng chí chưa liên kết {channel}, nên chưa thể chọn nhận tin ở đó."
CHANNEL_PREF_DESCRIPTION = "Chọn nhận tin qua Telegram hay Zalo"
COMMAND_DESCRIPTIONS["kenh"] = CHANNEL_PREF_DESCRIPTION


# --- meetings ------------------------------------------------------------------------------

MEETING_KINDS = {"regular": "Sinh hoạt chi bộ định kỳ", "thematic": "Sinh hoạt chuyên đề"}
MEETING_BLOCK = "{kind} — {unit}\n🗓 {when}\n📍 Địa điểm: {place}"
MEETING_AGENDA = "\n📝 Nội dung: {agenda}"
MEETING_PLACE_UNSET = "(bí thư sẽ thông báo sau)"
MEETING_ATTEND = "Tôi sẽ tham dự"
MEETING_EXCUSE = "Xin vắng"
MEETING_STATUS_NONE = "Đồng chí chưa trả lời."
MEETING_STATUS_ATTEND = "Đồng chí đã báo: sẽ tham dự."
MEETING_STATUS_EXCUSED = "Đồng chí đã xin vắng (lý do: {reason})."
MEETING_REASONS = {
    "om": "Ốm đau",
    "ct": "Đi công tác",
    "gd": "Việc gia đình",
    "kh": "Lý do khác (tự ghi)",
}
MEETING_REASON_MAX = 200
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
ORDINAL_NAMES = {1: "đầu tiên", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư", -1: "cuối cùng"}
RULE_DAY = "ngày {day} hằng tháng, lúc {at}"
RULE_WEEKDAY = "{weekday} {nth} của tháng, lúc {at}"

# /lichhop
LICHHOP_HEADER = "Lịch sinh hoạt sắp tới của {unit}:"
LICHHOP_NONE = "{unit} chưa có buổi sinh hoạt nào sắp tới."
LICHHOP_UNLINKED = (
    "Đảng viên chưa có tài khoản Chibo (cần báo trực tiếp): {names}.\n"
    "Bấm tên để ghi nhận trả lời thay cho đồng chí đó."
)
LICHHOP_ALL_LINKED = "Tất cả đảng viên của chi bộ đã có tài khoản Chibo."
ANSWER_FOR_ASK = "Trả lời thay cho đồng chí {name}:\n\n{block}"

# Answers.
ASK_REASON_TEXT = "Đồng chí ghi ngắn gọn lý do xin vắng (tối đa {limit} ký tự). Gửi /huy để hủy."
REASON_EMPTY = "Lý do đang trống. Đồng chí ghi ngắn gọn lý do xin vắng."
ANSWER_ATTEND_OK = (
    "Đã ghi nhận: đồng chí sẽ tham dự buổi sinh hoạt {when}. "
    "Nếu có thay đổi, đồng chí có thể trả lời lại trước giờ họp."
)
ANSWER_EXCUSED_OK = (
    "Đã ghi nhận đồng chí xin vắng buổi sinh hoạt {when} (lý do: {reason}). "
    "Bí thư chi bộ đã được báo. Đồng chí có thể trả lời lại trước giờ họp."
)
ANSWER_FOR_ATTEND = "sẽ tham dự"
ANSWER_FOR_EXCUSED = "xin vắng (lý do: {reason})"
ANSWER_TOO_LATE = (
    "Buổi sinh hoạt này đã bắt đầu, đã đổi lịch hoặc đã hủy nên không thể trả lời nữa. "
    "Gửi /lichhop để xem lịch mới."
)
SECRETARY_TOLD_EXCUSED = "📝 Đồng chí {name} xin vắng buổi sinh hoạt {when}. Lý do: {reason}."
SECRETARY_TOLD_ATTEND = "📝 Đồng chí {name} đổi trả lời: sẽ tham dự buổi sinh hoạt {when}."
SECRETARY_TOLD_BY = " (do đồng chí {by} ghi nhận thay)"

# Reminders and notices queued by the planner and by /datlich.
REMINDER = "🔔 Nhắc lịch sinh hoạt\n\n{block}\n\n{status}"
REMINDER_LATE = "(Tin nhắc gửi muộn vì hệ thống tạm gián đoạn.)\n"
REMINDER_OBSERVER = "🔔 Nhắc lịch dự sinh hoạt (đồng chí được phân công dự)\n\n{block}"
DUTY_REMINDER = (
    "Đồng chí {name} thân mến, trong năm {year} đồng chí đã vắng sinh hoạt chi bộ không có lý do "
    "{count} tháng. Sinh hoạt chi bộ là quyền và nghĩa vụ của mỗi đảng viên; mong đồng chí thu xếp "
    "tham dự buổi tới. Nếu bận việc, đồng chí hãy bấm «Xin vắng» và nêu lý do."
)
CHANGE_NOTICE = "📣 Thay đổi lịch sinh hoạt\n\n{block}\n\n(Lịch cũ: {old})"
CANCEL_NOTICE = "❌ Hủy buổi sinh hoạt\n\n{block}\n\nBuổi sinh hoạt này đã bị hủy. Chi bộ sẽ thông báo lịch mới."
THEMATIC_NOTICE = (
    "📣 Lịch sinh hoạt chuyên đề\n\n{block}\n\nĐồng chí vui lòng cho biết có tham dự không."
)

# /datlich
DATLICH_MENU = "Buổi sinh hoạt tới của {unit}:\n\n{block}\n\nĐồng chí muốn thay đổi gì?"
DATLICH_NONE = "{unit} chưa có buổi sinh hoạt nào sắp tới. Lịch cố định: {rule}."
DATLICH_TIME = "Đổi ngày giờ"
DATLICH_PLACE = "Đổi địa điểm"
DATLICH_AGENDA = "Đổi nội dung"
DATLICH_CANCEL = "Hủy buổi họp"
DATLICH_THEMATIC = "Thêm buổi chuyên đề"
DATLICH_RULE = "Đặt lịch cố định"
DATLICH_KEEP = "Không hủy"
DATLICH_ASK_TIME = (
    "Đồng chí nhập ngày giờ mới, ví dụ: 7/12 19h30, 07/12/2026 19:30 hoặc thứ bảy 19h. "
    "Gửi /huy để hủy."
)
DATLICH_ASK_PLACE = "Đồng chí nhập địa điểm mới (tối đa {limit} ký tự). Gửi /huy để hủy."
DATLICH_ASK_AGENDA = (
    "Đồng chí nhập nội dung buổi sinh hoạt (tối đa {limit} ký tự). Gửi /huy để hủy."
)
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

# /diemdanh
ATTENDANCE_PROMPT = (
    "Buổi sinh hoạt {when} của {unit} đã diễn ra. Đồng chí vui lòng điểm danh "
    "(có mặt / vắng có lý do / vắng không lý do)."
)
ATTENDANCE_OPEN = "Điểm danh"
ATTENDANCE_HEADER = (
    "Điểm danh buổi sinh hoạt {when} — {unit}\n"
    "Bấm vào tên để đổi: ⬜ chưa điểm danh → ✅ có mặt → 🟡 vắng có lý do → ❌ vắng không lý do.\n"
    "{source}\n{counts}"
)
ATTENDANCE_FROM_ANSWERS = (
    "Đã điền sẵn theo trả lời của đảng viên: chỉ người đã báo «Tôi sẽ tham dự» là có mặt; "
    "người xin vắng hoặc nghỉ phép là vắng có lý do; người chưa trả lời để ⬜ chưa điểm danh."
)
ATTENDANCE_FROM_SAVED = "Đang sửa bản điểm danh đã lưu."
ATTENDANCE_COUNTS = "Có mặt: {present} · Vắng có lý do: {excused} · Vắng không lý do: {absent}"
ATTENDANCE_MARKS = {"unmarked": "⬜", "present": "✅", "excused": "🟡", "absent": "❌"}
ATTENDANCE_SAVE = "💾 Lưu điểm danh"
ATTENDANCE_PREV = "◀ Trang trước"
ATTENDANCE_NEXT = "Trang sau ▶"
ATTENDANCE_SAVED = "Đã lưu điểm danh buổi sinh hoạt {when}: {counts}. Có thể sửa bằng /diemdanh."
ATTENDANCE_NONE = "Chưa có buổi sinh hoạt nào đã diễn ra để điểm danh."
WARN_TWO_ABSENCES = (
    "⚠️ Đồng chí {name} đã vắng sinh hoạt chi bộ không có lý do chính đáng {count} tháng trong "
    "năm {year} ({dates}). Nếu vắng thêm một tháng nữa là đủ 3 tháng trong năm — trường hợp "
    "chi bộ phải xem xét, đề nghị xóa tên theo Điều lệ Đảng. Đề nghị đồng chí gặp gỡ, nhắc nhở "
    "đảng viên."
)
WARN_THREE_ABSENCES = (
    "⚠️ Đồng chí {name} đã vắng sinh hoạt chi bộ không có lý do chính đáng {count} tháng trong "
    "năm {year} ({dates}), đến mức chi bộ phải xem xét, đề nghị xóa tên theo Điều lệ Đảng."
)

# /chibo
CHIBO_HEADER = "Tình hình sinh hoạt của {unit}:"
CHIBO_NEXT = (
    "Buổi tới: {when}\nTrả lời: {attend} tham dự · {excused} xin vắng · {none} chưa trả lời"
    " (trong đó {unlinked} chưa có tài khoản)."
)
CHIBO_NO_NEXT = "Chưa có buổi sinh hoạt nào sắp tới."
CHIBO_LAST = "Buổi trước ({when}): có mặt {present}/{total} ({rate}%)."
CHIBO_LAST_PENDING = "Buổi trước ({when}): chưa điểm danh (dùng /diemdanh)."

# chibo meetings ... (terminal)
CLI_MEETINGS_LINE = "  #{id} {when} — {kind} — {place}{status}"
CLI_MEETINGS_NONE = "{unit}: chưa có buổi sinh hoạt nào."
CLI_MEETINGS_CANCELLED = " (đã hủy)"
CLI_MEETINGS_SET = (
    "Đã đổi lịch buổi #{id} của {unit}: {when}, {place}; đã báo cho {count} đảng viên."
)
CLI_MEETINGS_BAD_WHEN = "Không đọc được thời gian: {error}"
CLI_MEETINGS_NO_NEXT = "{unit} chưa có buổi sinh hoạt nào sắp tới để đổi."

# --- tasks ---------------------------------------------------------------------------------

# Longest task text and check-in note we accept (a short phone message, not an essay).
TASK_MAX = 500
CHECKIN_NOTE_MAX = 500
TASK_DUE_NONE = "không đặt hạn"
TASK_PAGE_OF = "Trang {page}/{pages}."
TASK_AND_MORE = " và {count} đồng chí khác"
COMMAND_DESCRIPTIONS["giaoviec"] = "Giao nhiệm vụ cho đảng viên trong chi bộ"
COMMAND_DESCRIPTIONS["nhiemvu"] = "Xem nhiệm vụ được giao (bí thư: nhiệm vụ của chi bộ)"

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

# Check-in answers, by the code stored in the database.
CHECKIN_STATUS = {
    "done": "Đã hoàn thành",
    "doing": "Đang thực hiện",
    "todo": "Chưa thực hiện",
    "blocked": "Gặp khó khăn",
}
COMMAND_DESCRIPTIONS["baocao"] = "Báo cáo tình hình thực hiện nhiệm vụ trước buổi họp"
COMMAND_DESCRIPTIONS["tiendo"] = "Tiến độ báo cáo nhiệm vụ của chi bộ, nhắc người chưa báo cáo"

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

COMMAND_DESCRIPTIONS["tongket"] = "Tổng kết năm: nhiệm vụ được giao, hoàn thành, tỷ lệ báo cáo"
YEAR_ROLE = "bí thư, phó bí thư chi bộ và cấp ủy viên"
YEAR_HEADER = "📊 Tổng kết nhiệm vụ năm {year} — {unit}"
YEAR_SHARE = "Đảng viên được giao nhiệm vụ: {with_task}/{members} ({share})."
YEAR_MONTHS = "Tỷ lệ báo cáo theo tháng: {months}."
YEAR_MONTH = "T{month}: {got}/{total} ({rate})"
YEAR_NO_ROUNDS = "Chưa có kỳ báo cáo nào trong năm."
YEAR_MEMBER = "• {name}: được giao {assigned}, hoàn thành {done}"
YEAR_EVIDENCE = "Số liệu để tham khảo khi đánh giá, xếp loại; Chibo không xếp loại đảng viên."
YEAR_COMMITTEE_HEADER = "📊 Tổng kết nhiệm vụ năm {year} các chi bộ thuộc {unit}:"
YEAR_COMMITTEE_LINE = (
    "• {unit}: được giao nhiệm vụ {with_task}/{members} ({share}); tỷ lệ báo cáo {response}"
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

# --- meetings on the command line (chibo meetings ...) ----------------------------------------

# How a rule and the cell's usual place are written together (the form /datlich accepts).
RULE_WITH_PLACE = "{rule} tại {place}"
CLI_MEETINGS_HEADER = "{unit}:"
CLI_MEETINGS_LINE = "  [{id}] {block}"
CLI_MEETINGS_NONE = "  (chưa có buổi sinh hoạt nào sắp tới)"
CLI_MEETINGS_NOT_CELL = "{unit} không phải là chi bộ; hãy chọn mã của một chi bộ."
CLI_MEETINGS_NOTHING = "Cần ít nhất một trong --at, --place, --agenda."
CLI_MEETINGS_NO_NEXT = "{unit} chưa có buổi sinh hoạt nào sắp tới để thay đổi."
CLI_MEETINGS_BAD_AT = (
    "Không đọc được «{text}» là ngày giờ của buổi họp tới (ví dụ: 7/12 19h30, 07/12/2026 19:30) "
    "hay lịch định kỳ (ví dụ: ngày 5 lúc 19h, thứ bảy đầu tiên 8h)."
)
CLI_OBSERVER_ADDED = "{name} sẽ dự sinh hoạt của {unit} và được nhắc lịch họp."
CLI_OBSERVER_EXISTS = "{name} đã được phân công dự sinh hoạt của {unit}."
CLI_OBSERVER_REMOVED = "{name} thôi được phân công dự sinh hoạt của {unit}."
CLI_OBSERVER_ABSENT = "{name} không được phân công dự sinh hoạt của {unit}."

# --- standing leave (/nghiphep) ------------------------------------------------------------
# A member on leave or excused from Party activity for a span of months is not asked to report.

COMMAND_DESCRIPTIONS["nghiphep"] = "Đảng viên nghỉ phép, miễn sinh hoạt (không nhắc họp, báo cáo)"
LEAVE_MONTH = "{month:02d}/{year}"
LEAVE_UNTIL_MONTH = "đến hết tháng {month}"
LEAVE_UNTIL_NOTICE = "đến khi có thông báo mới"
NGHIPHEP_HEADER = "Đảng viên {unit} đang nghỉ phép, miễn sinh hoạt ({count}):"
NGHIPHEP_LINE = "• {name}: {until}"
NGHIPHEP_NONE = "Hiện không có đảng viên nào của {unit} đang nghỉ phép, miễn sinh hoạt."
NGHIPHEP_HINT = (
    "Trong thời gian nghỉ phép, Chibo không nhắc đảng viên dự sinh hoạt và báo cáo nhiệm vụ; "
    "khi điểm danh, đảng viên được tính vắng có lý do (nghỉ phép). Bấm «{add}» hoặc "
    "gõ một phần tên (không cần dấu) để chọn đảng viên. Gửi /huy để hủy."
)
NGHIPHEP_ADD = "Cho đảng viên nghỉ phép"
NGHIPHEP_END = "Kết thúc nghỉ phép: {name}"
NGHIPHEP_PICK = (
    "Chọn đảng viên {unit} nghỉ phép, miễn sinh hoạt (🌴: đang nghỉ). "
    "Có thể gõ một phần tên để tìm, không cần dấu. Gửi /huy để hủy."
)
NGHIPHEP_ON_LEAVE = "🌴 "
NGHIPHEP_ASK_LENGTH = "Đồng chí {name} nghỉ phép, miễn sinh hoạt trong bao lâu?"
NGHIPHEP_ASK_LENGTH_AGAIN = (
    "Đồng chí {name} đang nghỉ phép {until}. Đồng chí chọn thời gian mới (thay cho thời gian "
    "cũ), hoặc kết thúc nghỉ phép."
)
# Length codes in button payloads -> labels ("0" = to the end of this month).
NGHIPHEP_LENGTHS = {
    "0": "Hết tháng này",
    "1": "1 tháng",
    "3": "3 tháng",
    "6": "6 tháng",
    "n": "Đến khi có thông báo mới",
}
NGHIPHEP_CONFIRM = (
    "Xác nhận: đồng chí {name} nghỉ phép, miễn sinh hoạt {until}. Trong thời gian này Chibo "
    "không nhắc đồng chí dự sinh hoạt chi bộ và báo cáo nhiệm vụ; điểm danh ghi vắng có lý do "
    "(nghỉ phép). Đồng chí sẽ được báo qua tin nhắn."
)
NGHIPHEP_OK = "Xác nhận"
NGHIPHEP_DONE = "Đã ghi nhận đồng chí {name} nghỉ phép, miễn sinh hoạt {until}."
NGHIPHEP_UNLINKED = " Đồng chí {name} chưa liên kết tài khoản Chibo, cần được báo trực tiếp."
NGHIPHEP_ENDED = (
    "Đã kết thúc nghỉ phép của đồng chí {name}. Chibo sẽ lại nhắc đồng chí dự sinh hoạt và "
    "báo cáo nhiệm vụ như thường lệ."
)
NGHIPHEP_NOT_CURRENT = "Thời gian nghỉ phép này đã kết thúc hoặc đã được thay đổi."
NGHIPHEP_WAITING = "Đồng chí chọn bằng các nút ở tin nhắn trên, hoặc gửi /huy để hủy."
# To the member.
LEAVE_TOLD_SET = (
    "🌿 Kính gửi đồng chí {name}: {unit} ghi nhận đồng chí nghỉ phép, miễn sinh hoạt {until}. "
    "Trong thời gian này đồng chí được miễn dự các buổi sinh hoạt chi bộ (điểm danh ghi vắng "
    "có lý do: nghỉ phép); Chibo sẽ không nhắc đồng chí dự họp và báo cáo nhiệm vụ. Chúc đồng "
    "chí nhiều sức khỏe, mọi việc thuận lợi."
)
LEAVE_TOLD_ENDED = (
    "Kính gửi đồng chí {name}: {unit} đã kết thúc thời gian nghỉ phép, miễn sinh hoạt của "
    "đồng chí. Chào mừng đồng chí trở lại! Chibo sẽ lại nhắc đồng chí dự sinh hoạt chi bộ và "
    "báo cáo nhiệm vụ như thường lệ."
)
from bot.texts_cli import *  # noqa: F403,E402
from bot.texts_dues import *  # noqa: F403,E402
from bot.texts_meetdays import *  # noqa: F403,E402
from bot.texts_minutes import *  # noqa: F403,E402
from bot.texts_web import *  # noqa: F403,E402
from bot.texts_zalo import *  # noqa: F403,E402
