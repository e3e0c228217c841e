"""`chibo invites --unit CODE --out DIR`: printable invite sheets for the members not yet linked."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot.cli.common import find_unit, load
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.roster.invites import CellInvites, ZaloInvite, write_invite_sheets
from storage.db import Database
from storage.invites import InviteRepo
from storage.members import MemberRepo
from storage.roster import RosterRepo
from storage.units import UnitRepo


async def command(args: argparse.Namespace) -> int:
    """Write the invite sheets for the apps configured; 2 when neither app can be named."""
    config = load(args)
    # Invites serve whichever apps are configured: a Zalo-only install needs no Telegram name.
    username = await telegram_username(config) or ""
    if not username and not zalo_invite(config):
        print(
            texts.CLI_BOT_USERNAME_UNKNOWN if config.telegram.token else texts.INVITES_NO_APP,
            file=sys.stderr,
        )
        return 2
    return await write_invites(
        config, args.unit, Path(args.out), bot_username=username, clock=args.clock
    )


async def telegram_username(config: Config) -> str | None:
    """The Telegram bot's @name: from the config, else asked of Telegram (getMe)."""
    if config.telegram.bot_username:
        return config.telegram.bot_username
    if not config.telegram.token:
        return None
    from telegram import Bot

    async with Bot(config.telegram.token, base_url=config.telegram.base_url) as bot:
        return bot.username


def zalo_invite(config: Config) -> ZaloInvite | None:
    """Zalo's part of the invites when Zalo is configured (its token, or at least its link)."""
    if not config.zalo.token and not config.zalo.bot_link:
        return None
    return ZaloInvite(config.zalo.bot_link)


async def write_invites(
    config: Config,
    unit_code: str,
    out_dir: Path,
    *,
    bot_username: str,
    clock: Clock,
    out: TextIO | None = None,
) -> int:
    """Invite sheets for every unlinked member in the unit's subtree, one sheet per unit."""
    out = out or sys.stderr
    now = clock.now()
    db = await Database.open(config.db_path)
    try:
        units, invites = UnitRepo(db), InviteRepo(db)
        unit = await find_unit(units, unit_code, err=out)
        if unit is None:
            return 1
        member_ids = await invites.unlinked_members(await units.subtree_ids(unit.id))
        if not member_ids:
            print(texts.INVITES_ALL_LINKED.format(unit=unit.name), file=out)
            return 0
        valid_for = timedelta(days=config.invites.valid_days)
        codes = await invites.ensure_for(member_ids, now, valid_for)
        repo = RosterRepo(db)
        # Reused codes may expire sooner than new ones: print the earliest date.
        expires = await repo.invite_expiry(codes.values()) or now + valid_for
        by_unit: dict[int, list[tuple[str, str]]] = {}
        for recipient in await MemberRepo(db).recipients_in(unit.id, subtree=True):
            code = codes.get(recipient.member.id)
            if code is not None:
                by_unit.setdefault(recipient.member.unit_id, []).append(
                    (recipient.member.roster_name, code)
                )
        cells = [
            CellInvites(u.code, u.name, by_unit[u.id])
            for u in await repo.units_under(unit.id)
            if u.id in by_unit
        ]
        zalo = zalo_invite(config)
        write_invite_sheets(out_dir, cells, bot_username, expires, config.general.tz, zalo=zalo)
        if zalo is not None and not zalo.link:
            print(texts.INVITES_ZALO_NO_LINK, file=out)
    finally:
        await db.close()
    print(
        texts.INVITES_WROTE.format(
            members=len(codes), cells=len(cells), path=out_dir, index=out_dir / "index.html"
        ),
        file=out,
    )
    return 0
