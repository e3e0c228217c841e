"""/huongdan, /help, /trogiup: the commands this person's role may use."""

from __future__ import annotations

from bot.core import texts
from bot.core.types import Incoming, Reply
from handlers.context import Ctx, Who


async def on_help(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """List the commands the sender may use, with Vietnamese descriptions."""
    # Imported here: the route table imports this module.
    from handlers import COMMANDS, allowed, menu_commands

    lines = [texts.HELP_HEADER]
    for command in COMMANDS:
        if command.listed and allowed(command, who):
            lines.append(
                texts.HELP_LINE.format(
                    command=command.name, description=texts.COMMAND_DESCRIPTIONS[command.name]
                )
            )
    # Someone with a role also gets their own commands in the menu beside the text box.
    menu = tuple(menu_commands(who)) if who.roles else ()
    return [Reply("\n".join(lines), menu=menu)]
