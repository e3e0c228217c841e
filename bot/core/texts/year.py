"""/tongket: the year's task evidence."""

from __future__ import annotations

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
