"""`chibo roles grant|revoke --member M --role R --unit CODE`: who holds which role where."""

from __future__ import annotations

import argparse

from bot.cli.common import find_unit, load, resolve_member
from bot.core import texts
from storage.db import Database
from storage.members import MemberRepo
from storage.units import UnitRepo


async def command(args: argparse.Namespace) -> int:
    """Grant or revoke a role in a unit; says when there was nothing to change."""
    config = load(args)
    db = await Database.open(config.db_path)
    try:
        members, units = MemberRepo(db), UnitRepo(db)
        unit = await find_unit(units, args.unit)
        if unit is None:
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
