"""The `chibo` command: init, run, roster, invites, roles, members, backup, db."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from bot.cli_common import resolve_member
from bot.core import texts
from bot.core.clock import Clock, SystemClock
from bot.core.config import EXAMPLE_PATH, Config, ConfigError, load_config, parse_config
from bot.datalock import AlreadyRunning
from bot.logs import setup_logging
from storage.db import SchemaTooNew
from storage.members import ROLES


def _config_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "config", None) or os.environ.get("CHIBO_CONFIG") or "config.toml")


def _load(args: argparse.Namespace) -> Config:
    from handlers.docx_render import checked

    # A province's own templates are checked once, here at start: never a broken draft later.
    config = checked(load_config(_config_path(args)))
    secrets = [config.telegram.token, config.telegram.webhook_secret]
    setup_logging(
        config.general.log_level, [*secrets, config.zalo.token, config.zalo.webhook_secret]
    )
    return config


async def _init(args: argparse.Namespace) -> int:
    from storage.db import Database

    path = _config_path(args)
    if path.exists() and not args.force:
        print(texts.CLI_INIT_EXISTS.format(path=path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE_PATH, path)
        print(texts.CLI_INIT_WROTE.format(path=path))
    config = _load(args)
    # The migrations' log lines are for `chibo run`'s journal, not for this first conversation.
    logging.getLogger("storage.db").setLevel(logging.WARNING)
    db = await Database.open(config.db_path)
    version = await db.schema_version()
    await db.close()
    print(texts.CLI_DB_READY.format(path=config.db_path, version=version))
    print(texts.CLI_INIT_NEXT.format(path=path))
    return 0


async def _run(args: argparse.Namespace) -> int:
    from bot.app import Chibo

    # No config file and no token in the environment: a fresh machine, so the sandbox opens.
    fresh = not _config_path(args).exists() and not (
        os.environ.get("CHIBO_TELEGRAM_TOKEN") or os.environ.get("CHIBO_ZALO_TOKEN")
    )
    config = None if fresh else _load(args)
    # Telegram and Zalo together, or either alone.
    if config is None or not (config.telegram.token or config.zalo.token):
        # A fresh machine has no bot token yet: open the local sandbox instead of exiting.
        print(texts.SANDBOX_NO_TOKEN.format(path=_config_path(args)), file=sys.stderr, flush=True)
        return await _sandbox(args)
    chibo = await Chibo.build(config, clock=args.clock)
    await chibo.run_until_signal()
    return 0


async def _web(args: argparse.Namespace) -> int:
    from bot.cli_web import serve_web, stop_on_signals

    return await serve_web(_load(args), args.clock, args.host, args.port, stop_on_signals())


def _load_or_default(args: argparse.Namespace) -> Config:
    """The config file, or the defaults when there is none yet (fresh machine, sandbox)."""
    if _config_path(args).exists():
        return _load(args)
    config = parse_config({}, Path.cwd(), env={})
    setup_logging(config.general.log_level, [])
    return config


async def _sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox.server import run_sandbox

    config = _load_or_default(args)
    data = getattr(args, "data", None)
    roster = getattr(args, "roster", None)
    return await run_sandbox(
        config,
        data=Path(data) if data else None,
        host=getattr(args, "host", None) or "127.0.0.1",
        port=getattr(args, "port", None),
        roster=[Path(p) for p in roster] if roster else None,
        reset=bool(getattr(args, "reset", False)),
    )


async def _db(args: argparse.Namespace) -> int:
    from storage.db import Database

    config = _load(args)
    db = await Database.open(config.db_path, upgrade=False)
    try:
        if args.action == "upgrade":
            names = await db.upgrade()
            version = await db.schema_version()
            print(
                texts.CLI_DB_UPGRADED.format(names=", ".join(names))
                if names
                else texts.CLI_DB_UP_TO_DATE.format(version=version)
            )
        else:
            pending = await db.pending_migrations()
            print(texts.CLI_DB_READY.format(path=config.db_path, version=await db.schema_version()))
            for _, name, _ in pending:
                print(f"  + {name}")
    finally:
        await db.close()
    return 0


async def _backup(args: argparse.Namespace) -> int:
    from storage.db import Database

    config = _load(args)
    db = await Database.open(config.db_path)
    try:
        await db.backup(Path(args.path))
    finally:
        await db.close()
    print(texts.CLI_BACKUP_DONE.format(path=args.path))
    return 0


async def _bulletin(args: argparse.Namespace) -> int:
    from bot import cli_bulletin

    config = _load(args)
    if args.action == "status":
        return await cli_bulletin.status(config, args.id, clock=args.clock)
    return await cli_bulletin.publish(
        config,
        Path(args.file),
        title=args.title,
        issue=args.issue,
        scope_code=args.scope,
        all_cells=args.all_cells,
        at=args.at,
        clock=args.clock,
    )


async def _roster(args: argparse.Namespace) -> int:
    from bot import cli_roster

    if args.action == "template":
        return cli_roster.roster_template(Path(args.path))
    return await cli_roster.roster_import(
        _load(args), [Path(p) for p in args.files], clock=args.clock
    )


async def _bot_username(config: Config) -> str | None:
    if config.telegram.bot_username:
        return config.telegram.bot_username
    if not config.telegram.token:
        return None
    from telegram import Bot

    async with Bot(config.telegram.token, base_url=config.telegram.base_url) as bot:
        return bot.username


async def _invites(args: argparse.Namespace) -> int:
    from bot import cli_roster

    config = _load(args)
    # Invites serve whichever apps are configured: a Zalo-only install needs no Telegram name.
    username = await _bot_username(config) or ""
    if not username and not cli_roster.zalo_invite(config):
        print(
            texts.CLI_BOT_USERNAME_UNKNOWN if config.telegram.token else texts.INVITES_NO_APP,
            file=sys.stderr,
        )
        return 2
    return await cli_roster.write_invites(
        config, args.unit, Path(args.out), bot_username=username, clock=args.clock
    )


async def _members(args: argparse.Namespace) -> int:
    from bot import cli_members, cli_roster

    if args.action == "attach":
        if not args.end and not args.unit:
            print(texts.CLI_ATTACH_NOT_CELL.format(code=""), file=sys.stderr)
            return 2
        return await cli_members.members_attach(
            _load(args),
            args.member,
            args.unit,
            first=args.first,
            until=args.until,
            end=args.end,
            clock=args.clock,
        )
    return await cli_roster.members_find(_load(args), " ".join(args.text))


async def _roles(args: argparse.Namespace) -> int:
    from storage.db import Database
    from storage.members import MemberRepo
    from storage.units import UnitRepo

    config = _load(args)
    db = await Database.open(config.db_path)
    try:
        members, units = MemberRepo(db), UnitRepo(db)
        unit = await units.by_code(args.unit)
        if unit is None:
            print(texts.CLI_UNIT_UNKNOWN.format(code=args.unit), file=sys.stderr)
            return 1
        found = await resolve_member(members, args.member)
        if found is None:
            return 1
        role_name = texts.ROLE_NAMES[args.role]
        fmt = {"role": role_name, "unit": unit.name, "name": found.full_name}
        if args.action == "grant":
            done = await members.grant(found.id, args.role, unit.id)
            print((texts.CLI_ROLE_GRANTED if done else texts.CLI_ROLE_ALREADY).format(**fmt))
        else:
            done = await members.revoke(found.id, args.role, unit.id)
            print((texts.CLI_ROLE_REVOKED if done else texts.CLI_ROLE_ABSENT).format(**fmt))
        return 0
    finally:
        await db.close()


async def _meetings(args: argparse.Namespace) -> int:
    from bot import cli_meetings

    config = _load(args)
    if args.action == "list":
        return await cli_meetings.meetings_list(config, args.unit, clock=args.clock)
    if args.action == "set":
        return await cli_meetings.meetings_set(
            config, args.unit, at=args.at, place=args.place, agenda=args.agenda, clock=args.clock
        )
    return await cli_meetings.meetings_observe(
        config, args.unit, args.member, remove=args.remove, clock=args.clock
    )


async def _dues(args: argparse.Namespace) -> int:
    from bot import cli_dues

    return await cli_dues.dues_export(
        _load(args), args.unit, args.year, Path(args.out), clock=args.clock
    )


async def _minutes(args: argparse.Namespace) -> int:
    from bot import cli_minutes

    config = _load(args)
    if args.command == "meetings":
        files = [Path(f) for f in args.file or []]
        return await cli_minutes.meetings_agenda(
            config, args.unit, text=args.text, files=files, clock=args.clock
        )
    if args.command == "members":
        return await cli_minutes.members_category(
            config, args.member, args.category, clock=args.clock
        )
    return await cli_minutes.minutes_export(
        config, args.unit, args.year, Path(args.out), clock=args.clock
    )


async def _tasks(args: argparse.Namespace) -> int:
    from bot import cli_tasks

    config = _load(args)
    if args.command == "tasks":
        return await cli_tasks.tasks_list(config, args.unit, args.member, clock=args.clock)
    return await cli_tasks.checkins_export(
        config, args.unit, args.month, Path(args.out), clock=args.clock
    )


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

    def add(group: Any, name: str, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(
            name, help=text, description=text, parents=[common]
        )
        return parser

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
    g.set_defaults(func=_minutes)
    g = add(gsub, "observe", "phân công cấp ủy viên dự sinh hoạt chi bộ")
    g.add_argument("--unit", required=True, help="mã chi bộ")
    g.add_argument("--member", required=True, help="id, số thẻ đảng viên hoặc họ tên")
    g.add_argument("--remove", action="store_true", help="thôi phân công")
    p.set_defaults(func=_meetings)

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
    f.set_defaults(func=_minutes)

    p = add(sub, "minutes", "biên bản sinh hoạt chi bộ")
    nsub = p.add_subparsers(dest="action", required=True)
    n = add(nsub, "export", "xuất biên bản cả năm, mỗi buổi một tệp .docx")
    n.add_argument("--unit", required=True, help="mã chi bộ hoặc đảng bộ")
    n.add_argument("--year", required=True, type=int, help="năm, ví dụ 2027")
    n.add_argument("--out", required=True, help="thư mục ghi tệp")
    p.set_defaults(func=_minutes)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `chibo` console script."""
    args = build_parser().parse_args(argv)
    # The one place the CLI reads the wall clock: every command takes it from here.
    clock: Clock = SystemClock()
    args.clock = clock
    try:
        return int(asyncio.run(args.func(args)))
    except ConfigError as exc:
        print(texts.CLI_CONFIG_ERROR.format(error=exc), file=sys.stderr)
        return 2
    except AlreadyRunning as exc:
        print(texts.CLI_ALREADY_RUNNING.format(path=exc.db_path), file=sys.stderr)
        return 1
    except SchemaTooNew as exc:
        print(
            texts.CLI_DB_TOO_NEW.format(path=exc.path, found=exc.found, known=exc.known),
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
