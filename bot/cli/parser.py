"""The `chibo` command line: every command, its arguments and its Vietnamese help.

The parser only names the commands; each command's work is in its own module of `bot.cli`
(install, run, web, roster, invites, roles, members, bulletin, meetings, tasks, dues, minutes).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib import metadata
from typing import Any

from bot.core import texts
from storage.members import ROLES

# Adds one command to a group of subcommands: (group, name, one-line Vietnamese help) -> parser.
Add = Callable[[Any, str, str], argparse.ArgumentParser]

# Each command's module is imported when the command runs: `chibo --help` and `chibo run` do
# not load the spreadsheet, document and export code of the other commands.


async def _init(args: argparse.Namespace) -> int:
    from bot.cli import install

    return await install.init(args)


async def _db(args: argparse.Namespace) -> int:
    from bot.cli import install

    return await install.db(args)


async def _backup(args: argparse.Namespace) -> int:
    from bot.cli import install

    return await install.backup(args)


async def _run(args: argparse.Namespace) -> int:
    from bot.cli import run

    return await run.run(args)


async def _sandbox(args: argparse.Namespace) -> int:
    from bot.cli import run

    return await run.sandbox(args)


async def _web(args: argparse.Namespace) -> int:
    from bot.cli import web

    return await web.command(args)


async def _roster(args: argparse.Namespace) -> int:
    from bot.cli import roster

    return await roster.command(args)


async def _invites(args: argparse.Namespace) -> int:
    from bot.cli import invites

    return await invites.command(args)


async def _roles(args: argparse.Namespace) -> int:
    from bot.cli import roles

    return await roles.command(args)


async def _members(args: argparse.Namespace) -> int:
    from bot.cli import members

    return await members.command(args)


async def _bulletin(args: argparse.Namespace) -> int:
    from bot.cli import bulletin

    return await bulletin.command(args)


async def _meetings(args: argparse.Namespace) -> int:
    from bot.cli import meetings

    return await meetings.command(args)


async def _tasks(args: argparse.Namespace) -> int:
    from bot.cli import tasks

    return await tasks.command(args)


async def _dues(args: argparse.Namespace) -> int:
    from bot.cli import dues

    return await dues.command(args)


async def _minutes(args: argparse.Namespace) -> int:
    from bot.cli import minutes

    return await minutes.command(args)


def _version() -> str:
    """The installed package's version (pyproject.toml is its one source)."""
    try:
        return metadata.version("chibo")
    except metadata.PackageNotFoundError:
        return texts.CLI_VERSION_UNKNOWN


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand; `--config` goes before or after the command."""
    # SUPPRESS: a subcommand's parser must not reset a --config given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        help="tệp cấu hình (mặc định ./config.toml hoặc $CHIBO_CONFIG)",
    )
    parser = argparse.ArgumentParser(
        prog="chibo", description="Chibo — trợ lý chi bộ trên Telegram và Zalo", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"chibo {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    add = _adder(common)
    _server_commands(sub, add)
    _membership_commands(sub, add)
    _meeting_commands(sub, add)
    _record_commands(sub, add)
    return parser


def _adder(common: argparse.ArgumentParser) -> Add:
    """How a command is added: its one-line help is also its description; `--config` too."""

    def add(group: Any, name: str, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(
            name, help=text, description=text, parents=[common]
        )
        return parser

    return add


def _server_commands(sub: Any, add: Add) -> None:
    """init, run, web, sandbox, db, backup: installing and running Chibo."""
    p = add(sub, "init", "tạo config.toml có chú thích và cơ sở dữ liệu, rồi chỉ bước tiếp theo")
    p.add_argument("--force", action="store_true", help="ghi đè tệp cấu hình đã có")
    p.set_defaults(func=_init)

    p = add(
        sub,
        "run",
        "chạy bot cho Telegram và/hoặc Zalo (kênh nào có token trong cấu hình); "
        "chưa có token nào thì mở chế độ thử nghiệm (sandbox) trong trình duyệt",
    )
    p.set_defaults(func=_run)

    p = add(sub, "web", "trang tổng hợp trên web cho cấp ủy (không chạy bot)")
    p.add_argument("--port", type=int, help="cổng (mặc định [web] port, hoặc 8780)")
    p.add_argument("--host", help="địa chỉ lắng nghe (mặc định [web] listen)")
    p.set_defaults(func=_web)

    p = add(sub, "sandbox", texts.SANDBOX_HELP)
    p.add_argument("--port", type=int, help="cổng của trang thử nghiệm (mặc định 8765)")
    p.add_argument("--host", help="địa chỉ lắng nghe (mặc định 127.0.0.1, chỉ máy này)")
    p.add_argument("--data", help="thư mục dữ liệu thử nghiệm (mặc định ./sandbox-data)")
    p.add_argument("--roster", nargs="+", help="tập huấn với danh sách thật (.xlsx hoặc .csv)")
    p.add_argument(
        "--reset", action="store_true", help="xóa dữ liệu thử nghiệm, tập huấn lại từ đầu"
    )
    p.set_defaults(func=_sandbox)

    p = add(sub, "db", "nâng cấp hoặc xem phiên bản cơ sở dữ liệu")
    p.add_argument("action", choices=["upgrade", "status"])
    p.set_defaults(func=_db)

    p = add(sub, "backup", "sao lưu cơ sở dữ liệu đang chạy ra một tệp")
    p.add_argument("path")
    p.set_defaults(func=_backup)


def _membership_commands(sub: Any, add: Add) -> None:
    """roster, invites, roles: the membership list, the invites and who holds which role."""
    p = add(sub, "roster", "danh sách đảng viên: tệp mẫu và nhập danh sách")
    rsub = p.add_subparsers(dest="action", required=True)
    t = add(rsub, "template", "tạo tệp mẫu .xlsx có trang «Hướng dẫn»")
    t.add_argument("path")
    i = add(rsub, "import", "nhập danh sách từ .xlsx hoặc .csv")
    i.add_argument("files", nargs="+")
    p.set_defaults(func=_roster)

    p = add(sub, "invites", "tạo liên kết mời và mã QR để in cho đảng viên chưa liên kết")
    p.add_argument("--unit", required=True, help="mã đơn vị")
    p.add_argument("--out", required=True, help="thư mục ghi tệp")
    p.set_defaults(func=_invites)

    p = add(sub, "roles", "giao hoặc thu hồi vai trò (quản trị, tuyên giáo, cấp ủy, bí thư…)")
    p.add_argument("action", choices=["grant", "revoke"])
    p.add_argument("--member", required=True, help="id, số thẻ đảng viên hoặc họ tên")
    p.add_argument("--role", required=True, choices=list(ROLES))
    p.add_argument("--unit", required=True, help="mã đơn vị")
    p.set_defaults(func=_roles)


def _meeting_commands(sub: Any, add: Add) -> None:
    """bulletin, meetings: the monthly bulletin and the cells' meetings."""
    p = add(sub, "bulletin", "bản tin Thông tin tư tưởng: phát hành và xem tiến độ")
    bsub = p.add_subparsers(dest="action", required=True)
    b = add(bsub, "publish", "phát hành bản tin PDF (tối đa 50 MB)")
    b.add_argument("file", help="tệp PDF")
    b.add_argument("--title", default="Thông tin tư tưởng", help="tiêu đề")
    b.add_argument("--issue", help="số phát hành, ví dụ 12/2026 (mặc định: tháng này)")
    b.add_argument("--scope", help="mã đơn vị: gửi cho đơn vị đó và cấp dưới")
    b.add_argument(
        "--all-cells", action="store_true", help="gửi mọi chi bộ (mặc định: chi bộ ấp, khóm)"
    )
    b.add_argument("--at", help='thời điểm gửi, ví dụ "07:00 01/12/2026" (mặc định: ngay)')
    s = add(bsub, "status", "tiến độ gửi và số đã đọc của một bản tin")
    s.add_argument("id", type=int)
    p.set_defaults(func=_bulletin)

    p = add(sub, "meetings", "lịch sinh hoạt chi bộ: xem, đổi, phân công cấp ủy viên dự")
    gsub = p.add_subparsers(dest="action", required=True)
    g = add(gsub, "list", "các buổi sinh hoạt sắp tới (chỉ xem, không thay đổi gì)")
    g.add_argument("--unit", required=True, help="mã chi bộ hoặc đảng bộ")
    g = add(gsub, "set", "đổi buổi họp tới hoặc lịch định kỳ của chi bộ")
    g.add_argument("--unit", required=True, help="mã chi bộ")
    g.add_argument("--at", help="ngày giờ (7/12 19h30) hoặc lịch định kỳ (ngày 5 lúc 19h)")
    g.add_argument("--place", help="địa điểm")
    g.add_argument("--agenda", help="nội dung")
    g = add(gsub, "agenda", "chương trình và tài liệu gửi trước buổi họp tới")
    g.add_argument("--unit", required=True, help="mã chi bộ")
    g.add_argument("--text", help="chương trình, mỗi nội dung một dòng hoặc cách nhau bởi «;»")
    g.add_argument("--file", action="append", help="tài liệu PDF hoặc DOCX (tối đa 50 MB)")
    g = add(gsub, "observe", "phân công cấp ủy viên dự sinh hoạt chi bộ")
    g.add_argument("--unit", required=True, help="mã chi bộ")
    g.add_argument("--member", required=True, help="id, số thẻ đảng viên hoặc họ tên")
    g.add_argument("--remove", action="store_true", help="thôi phân công")
    p.set_defaults(func=_meetings)


def _record_commands(sub: Any, add: Add) -> None:
    """tasks, checkins, dues, members, minutes: the cells' records and their exports."""
    p = add(sub, "tasks", "nhiệm vụ giao cho đảng viên")
    tsub = p.add_subparsers(dest="action", required=True)
    t = add(tsub, "list", "nhiệm vụ của chi bộ và báo cáo gần nhất")
    t.add_argument("--unit", required=True, help="mã chi bộ hoặc đảng bộ")
    t.add_argument("--member", help="id, số thẻ đảng viên hoặc họ tên")
    p.set_defaults(func=_tasks)

    p = add(sub, "checkins", "báo cáo tình hình thực hiện nhiệm vụ")
    csub = p.add_subparsers(dest="action", required=True)
    c = add(csub, "export", "xuất báo cáo của một tháng ra tệp .xlsx")
    c.add_argument("--unit", required=True, help="mã chi bộ hoặc đảng bộ")
    c.add_argument("--month", required=True, help="tháng, dạng YYYY-MM")
    c.add_argument("--out", required=True, help="tệp .xlsx")
    p.set_defaults(func=_tasks)

    p = add(sub, "dues", "đảng phí: sổ thu nộp")
    dsub = p.add_subparsers(dest="action", required=True)
    d = add(dsub, "export", "xuất sổ thu nộp đảng phí một năm ra tệp .xlsx")
    d.add_argument("--unit", required=True, help="mã chi bộ hoặc đảng bộ")
    d.add_argument("--year", required=True, help="năm, ví dụ 2027")
    d.add_argument("--out", required=True, help="tệp .xlsx")
    p.set_defaults(func=_dues)

    p = add(sub, "members", "đảng viên: tìm, sinh hoạt tạm thời, loại trong biên bản")
    msub = p.add_subparsers(dest="action", required=True)
    f = add(msub, "find", "tìm theo tên, không cần dấu")
    f.add_argument("text", nargs="+")
    f = add(msub, "attach", "sinh hoạt tạm thời ở chi bộ khác")
    f.add_argument("--member", required=True, help="id, số thẻ đảng viên hoặc họ tên")
    f.add_argument("--unit", help="mã chi bộ nơi sinh hoạt tạm thời")
    f.add_argument("--from", dest="first", help="từ tháng MM/YYYY (mặc định: tháng này)")
    f.add_argument("--until", help="đến hết tháng MM/YYYY (mặc định: đến khi có thông báo)")
    f.add_argument("--end", action="store_true", help="kết thúc sinh hoạt tạm thời")
    p.set_defaults(func=_members)
    f = add(msub, "category", "loại đảng viên trong biên bản (miễn sinh hoạt…)")
    f.add_argument("--member", required=True, help="id, số thẻ đảng viên hoặc họ tên")
    f.add_argument(
        "--category",
        required=True,
        choices=("full", "probationary", "exempt", "attached", "auto"),
        help=(
            "chính thức, dự bị, miễn công tác và sinh hoạt đảng, nơi khác đến sinh hoạt tạm "
            "thời (attached), hoặc theo danh sách (auto)"
        ),
    )

    p = add(sub, "minutes", "biên bản sinh hoạt chi bộ")
    nsub = p.add_subparsers(dest="action", required=True)
    n = add(nsub, "export", "xuất biên bản cả năm, mỗi buổi một tệp .docx")
    n.add_argument("--unit", required=True, help="mã chi bộ hoặc đảng bộ")
    n.add_argument("--year", required=True, type=int, help="năm, ví dụ 2027")
    n.add_argument("--out", required=True, help="thư mục ghi tệp")
    p.set_defaults(func=_minutes)
