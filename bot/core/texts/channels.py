"""/kenh: where reminders and notices go for a member with both apps."""

from __future__ import annotations

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
