"""The roster workbook (`chibo roster`, `chibo members`): sheets, headers, accepted values,
the guide sheet, problems found in a file, the import's summary."""

from __future__ import annotations

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
