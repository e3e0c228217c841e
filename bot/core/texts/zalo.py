"""Zalo's own texts: no buttons (numbered choices, answered across a turn or by their words),
the wording that replaces «bấm»/«quét», long messages in parts, files as links."""

from __future__ import annotations

# --- choices, long messages, files -------------------------------------------------------------
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

# --- numbered choices across one answer turn ----------------------------------------------
# The first list of a turn keeps the plain hints (ZALO_ANSWER_ONE/TWO/MANY); a later list of
# the same turn continues the numbering and says which numbers are its own.
ZALO_ANSWER_ONE_AT = "Trả lời {number} để chọn."
ZALO_ANSWER_PAIR = "Trả lời {first} hoặc {last}."
ZALO_ANSWER_RANGE = "Trả lời một số từ {first} đến {last}."
ZALO_AMBIGUOUS = (
    "«{text}» khớp với nhiều lựa chọn: {candidates}. Đồng chí trả lời bằng số, "
    "hoặc ghi rõ hơn. Các lựa chọn hiện có:"
)
ZALO_CANDIDATE = "{number}. {label}"
ZALO_CANDIDATE_JOIN = "; "

# --- wording without buttons ---------------------------------------------------------------
# Zalo has no buttons and nothing to scan: where a text tells the member to press or scan, the
# Zalo renderer says the Zalo gesture instead. Pairs (Telegram wording, Zalo wording), the more
# specific first; tests check that no text sent on Zalo still says "bấm" or "quét".
ZALO_WORDING: tuple[tuple[str, str], ...] = (
    (
        "mở liên kết mời (hoặc quét mã QR) mà bí thư chi bộ đã gửi, hoặc gửi /start kèm mã mời",
        "nhắn cho Chibo mã mời in trên phiếu mời mà bí thư chi bộ đã gửi (ví dụ: 7KQ2MX9A)",
    ),
    ("Bấm nút để dùng tiêu đề mặc định", "Trả lời số của tiêu đề mặc định để dùng nó"),
    ("bấm nút tiêu đề mặc định", "trả lời số của tiêu đề mặc định"),
    ("Bấm nút để dùng «", "Trả lời số bên dưới để dùng «"),
    ("bấm để nhận lại", "trả lời số bên dưới để nhận lại"),
    ("Bấm tên để ghi nhận", "Trả lời số đứng trước tên để ghi nhận"),
    ("Bấm vào tên để đổi", "Trả lời số đứng trước tên để đổi"),
    ("Bấm một nhiệm vụ để", "Trả lời số của một nhiệm vụ để"),
    ("chọn bằng các nút ở tin nhắn trên", "trả lời số của một lựa chọn ở tin nhắn trên"),
    ("Nút này", "Lựa chọn này"),
    ("Bấm «", "Trả lời «"),
    ("bấm «", "trả lời «"),
)
