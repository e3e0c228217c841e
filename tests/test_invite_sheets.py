"""Printable invite sheets for a unit subtree: one sheet per cell, only unlinked members."""

from __future__ import annotations

import csv
import io
import random
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import segno

from bot.cli.invites import write_invites
from bot.cli.roster import roster_import
from bot.core import texts
from bot.core.clock import FakeClock
from bot.core.config import Config, parse_config
from bot.core.textnorm import vi_sort_key
from bot.core.timefmt import format_date
from bot.qr import BORDER, ERROR, MASK, qr_svg
from bot.roster.invites import CellInvites, ZaloInvite, invite_link, write_invite_sheets
from storage.db import Database
from storage.invites import InviteRepo, LockoutPolicy, Redeem
from tests.rosters import GeneratedRoster, build_roster, write_xlsx

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
BOT = "chibo_thu_nghiem_bot"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
POLICY = LockoutPolicy(5, timedelta(minutes=15), timedelta(minutes=30))


async def imported(tmp_path: Path) -> tuple[Config, GeneratedRoster]:
    config = parse_config(
        {"database": {"path": str(tmp_path / "chibo.sqlite3")}, "invites": {"valid_days": 30}},
        tmp_path,
        env={},
    )
    # 40 cells: two communes; X001 also has a sub-committee, so its subtree is three levels.
    gen = build_roster(members=260, cells=40, seed=21)
    code = await roster_import(
        config, [write_xlsx(gen, tmp_path / "ds.xlsx")], out=io.StringIO(), clock=FakeClock(NOW)
    )
    assert code == 0
    return config, gen


def rows(config: Config, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(config.db_path) as conn:
        return conn.execute(sql, params).fetchall()


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


async def test_invite_sheets_for_a_subtree(tmp_path: Path) -> None:
    config, gen = await imported(tmp_path)
    commune = "X001"
    subtree_cells = sorted(c for c in gen.cells if c.startswith(commune))
    # Three members of the first cell link their Telegram account before the sheets are made.
    linked = rows(
        config,
        "SELECT m.id, m.full_name FROM members m JOIN units u ON u.id = m.unit_id "
        "WHERE u.code = ? ORDER BY m.id LIMIT 3",
        (subtree_cells[0],),
    )
    db = await Database.open(config.db_path)
    invites = InviteRepo(db)
    old = await invites.ensure_for([int(str(r[0])) for r in linked], NOW, timedelta(days=30))
    for n, code in enumerate(old.values()):
        result = await invites.redeem(
            code, channel="telegram", user_id=str(900 + n), chat_id=str(900 + n), now=NOW,
            policy=POLICY,
        )  # fmt: skip
        assert result.outcome is Redeem.LINKED
    await db.close()

    out_dir = tmp_path / "phieu"
    out = io.StringIO()
    assert (
        await write_invites(
            config, commune, out_dir, bot_username=BOT, out=out, clock=FakeClock(NOW)
        )
        == 0
    )

    expected = rows(
        config,
        "WITH RECURSIVE s(id) AS (SELECT id FROM units WHERE code = ? UNION ALL "
        "SELECT u.id FROM units u JOIN s ON u.parent_id = s.id) "
        "SELECT m.full_name, u.code FROM members m JOIN units u ON u.id = m.unit_id "
        "WHERE m.unit_id IN (SELECT id FROM s) AND NOT EXISTS "
        "(SELECT 1 FROM accounts a WHERE a.member_id = m.id)",
        (commune,),
    )
    assert (
        texts.INVITES_WROTE.format(
            members=len(expected),
            cells=len(subtree_cells),
            path=out_dir,
            index=out_dir / "index.html",
        )
        in out.getvalue()
    )
    assert sorted(p.stem for p in out_dir.glob("*.html")) == sorted([*subtree_cells, "index"])
    assert sorted(p.stem for p in out_dir.glob("*.csv")) == subtree_cells

    invites_by_code = {
        str(r[0]): (str(r[1]), str(r[2]), r[3])
        for r in rows(
            config,
            "SELECT i.code, m.full_name, u.code, m.id FROM invites i "
            "JOIN members m ON m.id = i.member_id JOIN units u ON u.id = m.unit_id "
            "WHERE i.used_at IS NULL",
        )
    }
    member_ids: set[object] = set()
    seen: list[tuple[str, str]] = []
    for cell in subtree_cells:
        table = read_csv(out_dir / f"{cell}.csv")
        assert tuple(table[0]) == texts.INVITE_SHEET_CSV_HEADER
        names = [r[0] for r in table[1:]]
        assert names == sorted(names, key=vi_sort_key)
        page = (out_dir / f"{cell}.html").read_text(encoding="utf-8")
        assert "@page" in page and "size: A4" in page and "break-inside: avoid" in page
        assert page.count("<svg") == page.count('class="card"') == len(table) - 1
        for name, code, link in table[1:]:
            assert invites_by_code[code][:2] == (name, cell)
            member_ids.add(invites_by_code[code][2])
            assert link == f"https://t.me/{BOT}?start={code}"
            assert link in page and f'class="code">{code}<' in page
            assert texts.INVITE_SHEET_HOWTO.format(code=code, bot=BOT) in page
            assert qr_svg(link) in page
            seen.append((name, cell))
    assert sorted(seen) == sorted((str(n), str(c)) for n, c in expected)
    assert not {r[0] for r in linked} & member_ids

    first = (out_dir / f"{subtree_cells[1]}.html").read_text(encoding="utf-8")
    expiry = format_date(NOW + timedelta(days=30), config.general.tz)
    assert texts.INVITE_SHEET_EXPIRES.format(date=expiry) in first
    assert re.search(r"Thứ \w+, \d\d/\d\d/2026", expiry)
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{cell}.html"' in index for cell in subtree_cells)

    # A second run a week later reuses the still-valid codes (printed sheets stay good) and
    # announces the earliest expiry among them.
    again = tmp_path / "phieu2"
    later = NOW + timedelta(days=7)
    assert await write_invites(config, commune, again, bot_username=BOT, out=io.StringIO(), clock=FakeClock(later)) == 0  # fmt: skip
    for cell in subtree_cells:
        assert read_csv(again / f"{cell}.csv") == read_csv(out_dir / f"{cell}.csv")
    page = (again / f"{subtree_cells[1]}.html").read_text(encoding="utf-8")
    assert texts.INVITE_SHEET_EXPIRES.format(date=expiry) in page


async def test_unknown_unit_and_fully_linked_unit(tmp_path: Path) -> None:
    config, gen = await imported(tmp_path)
    out = io.StringIO()
    code = await write_invites(
        config, "KHONG-CO", tmp_path / "x", bot_username=BOT, out=out, clock=FakeClock(NOW)
    )
    assert code == 1
    assert texts.CLI_UNIT_UNKNOWN.format(code="KHONG-CO") in out.getvalue()
    assert not (tmp_path / "x").exists()

    cell = gen.cells[5]
    ids = [int(str(r[0])) for r in rows(config, "SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id WHERE u.code = ?", (cell,))]  # fmt: skip
    db = await Database.open(config.db_path)
    codes = await InviteRepo(db).ensure_for(ids, NOW, timedelta(days=30))
    for n, invite in enumerate(codes.values()):
        result = await InviteRepo(db).redeem(
            invite, channel="telegram", user_id=str(n), chat_id=str(n), now=NOW, policy=POLICY
        )
        assert result.outcome is Redeem.LINKED
    await db.close()
    out = io.StringIO()
    assert (
        await write_invites(
            config, cell, tmp_path / "y", bot_username=BOT, out=out, clock=FakeClock(NOW)
        )
        == 0
    )
    name = str(rows(config, "SELECT name FROM units WHERE code = ?", (cell,))[0][0])
    assert texts.INVITES_ALL_LINKED.format(unit=name) in out.getvalue()


def test_sheet_escapes_names_and_paginates(tmp_path: Path) -> None:
    members = [(f"Nguyễn <Văn> & Tèo {i}", f"ABCDEF{i:02d}") for i in range(11)]
    cells = [CellInvites("CB/1", 'Chi bộ "Thử" <1>', members)]
    paths = write_invite_sheets(tmp_path, cells, BOT, NOW, TZ)
    sheet = tmp_path / "CB_1.html"
    assert sheet in paths and (tmp_path / "index.html") in paths
    page = sheet.read_text(encoding="utf-8")
    assert "<Văn>" not in page and "Nguyễn &lt;Văn&gt; &amp; Tèo 3" in page
    assert "Chi bộ &quot;Thử&quot; &lt;1&gt;" in page
    assert page.count('<section class="page">') == 2  # 8 cards per A4 page
    assert invite_link(BOT, "ABCDEF00") in page
    # One QR form: the SVG in the sheet, no image file per member.
    assert page.count("<svg") == 11 and not (tmp_path / "qr").exists()


def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """The modules an SVG path of horizontal runs paints (absolute M or relative m moves)."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path.group(1)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = int(a)
            dark |= {(int(x) + i, int(y)) for i in range(run)}
            x += run
    return dark


def test_the_qr_is_the_one_segno_draws() -> None:
    rng = random.Random(7)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    links = [invite_link(BOT, "".join(rng.choices(alphabet, k=8))) for _ in range(60)]
    links += ["https://zalo.me/s/1234567890", "x", invite_link("another_bot", "K7Q2M4XA")]
    for link in links:
        reference = segno.make(link, error=ERROR, mask=MASK)
        ours = qr_svg(link)
        assert _dark_modules(ours) == _dark_modules(
            reference.svg_inline(scale=1, border=BORDER, omitsize=True)
        ), link
        size = len(reference.matrix) + 2 * BORDER
        assert f'viewBox="0 0 {size} {size}"' in ours


def test_sheets_with_zalo_alone_or_beside_telegram(tmp_path: Path) -> None:
    link = "https://zalo.me/1459232241454765289"
    members = [(f"Lê Văn Tám {i}", f"KQ2MX7{i:02d}") for i in range(5)]
    cells = [CellInvites("CB1", "Chi bộ ấp Một", members)]
    both = tmp_path / "both"
    write_invite_sheets(both, cells, BOT, NOW, TZ, zalo=ZaloInvite(link))
    page = (both / "CB1.html").read_text(encoding="utf-8")
    # Both ways on every card: Telegram's personal QR code and Zalo's (the bot's own link).
    assert page.count('class="card both"') == 5 and page.count("<svg") == 10
    assert page.count('<section class="page">') == 2  # 4 cards per A4 page
    table = read_csv(both / "CB1.csv")
    assert tuple(table[0]) == texts.INVITE_SHEET_CSV_HEADER_BOTH
    for _name, code, tg, zalo in table[1:]:
        assert tg == invite_link(BOT, code) and zalo == link
        assert texts.INVITE_SHEET_HOWTO.format(code=code, bot=BOT) in page
        assert texts.INVITE_SHEET_ZALO_STEPS.format(code=code).splitlines()[1] in page
    # Zalo without the bot's link: no QR code to print, the steps say where to find Chibo.
    bare = tmp_path / "bare"
    write_invite_sheets(bare, cells, "", NOW, TZ, zalo=ZaloInvite())
    page = (bare / "CB1.html").read_text(encoding="utf-8")
    assert "<svg" not in page and "t.me" not in page
    assert texts.INVITE_SHEET_ZALO_NO_LINK.format(code="KQ2MX700").splitlines()[1] in page
    assert not list((bare / "qr").glob("*.png"))
