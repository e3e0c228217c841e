"""/phathanh (or a PDF sent by a publisher): title, issue, scope, time, confirm, publish."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.core import texts
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import bulletin_common as bc
from handlers.bulletin_file import looks_pdf, receive_pdf
from handlers.bulletin_publish import duplicate, publish, scope_of
from handlers.bulletin_when import default_issue, parse_issue, parse_send_time, vi_number
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who
from storage.bulletins import Scope
from storage.conversations import Conversation

logger = logging.getLogger(__name__)

KIND = "bulletin"


async def _save(msg: Incoming, ctx: Ctx, conv: Conversation, step: str, **data: Any) -> None:
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(KIND, step, {**conv.data, **data}), ctx.now()
    )


async def on_phathanh(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Start publishing: ask for the PDF."""
    conv = Conversation(KIND, "file", {"nonce": secrets.token_hex(4)})
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return [Reply(texts.BULLETIN_ASK_FILE.format(limit=bc.CHAT_MAX_BYTES // bc.MB))]


async def on_file(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """A file outside any conversation: a publisher's PDF starts a publication."""
    if not bc.can_publish(who):
        if msg.file is not None and looks_pdf(msg.file.file_name, msg.file.mime_type):
            return [Reply(texts.BULLETIN_FILE_NO_ROLE.format(role=texts.PUBLISHER_ROLE))]
        return [Reply(texts.FILE_NOT_EXPECTED)]
    return await _take_file(
        msg, ctx, who, Conversation(KIND, "file", {"nonce": secrets.token_hex(4)})
    )


async def _take_file(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation) -> list[Reply]:
    received = await receive_pdf(msg, ctx)
    if isinstance(received, list):
        return received
    stored, name = received
    await _save(
        msg,
        ctx,
        conv,
        "title",
        path=str(stored.path),
        sha256=stored.sha256,
        size=stored.size,
        file_name=name,
        root=bc.publisher_root(who),
    )
    nonce = conv.data["nonce"]
    size = bc.megabytes(stored.size) + " MB"
    return [
        Reply(
            texts.BULLETIN_ASK_TITLE.format(name=name, size=size, limit=bc.TITLE_LIMIT),
            options=single_column(
                Option(texts.BULLETIN_DEFAULT_TITLE, BUTTONS.payload("t", nonce))
            ),
        )
    ]


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Free text (or a file) while publishing: the answer to the open question."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND:
        return [Reply(texts.STALE_BUTTON)]
    if not bc.can_publish(who):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [Reply(texts.NO_PERMISSION.format(role=texts.PUBLISHER_ROLE))]
    text = msg.text.strip()
    if conv.step == "file":
        return await _take_file(msg, ctx, who, conv)
    if conv.step == "title":
        if not text or msg.file is not None:
            return [Reply(texts.BULLETIN_TITLE_EMPTY)]
        if len(text) > bc.TITLE_LIMIT:
            return [Reply(texts.TOO_LONG.format(limit=bc.TITLE_LIMIT))]
        return await _set_title(msg, ctx, conv, text)
    if conv.step == "issue":
        issue = parse_issue(text, ctx.now(), ctx.config.general.tz)
        if issue is None:
            return [Reply(texts.BULLETIN_BAD_ISSUE.format(text=text[:40]))]
        return await _set_issue(msg, ctx, conv, issue)
    if conv.step == "unit":
        return await _find_unit(msg, ctx, conv, text)
    if conv.step == "when":
        when = parse_send_time(text, ctx.now(), ctx.config.general.tz)
        if when == "format":
            return [Reply(texts.BULLETIN_BAD_WHEN.format(text=text[:40]))]
        if when == "past":
            return [Reply(texts.BULLETIN_PAST_WHEN.format(text=text[:40]))]
        return await _confirm(msg, ctx, conv, when if isinstance(when, datetime) else None)
    # Waiting for a button: ask again.
    return await _ask_again(msg, ctx, conv)


async def _ask_again(msg: Incoming, ctx: Ctx, conv: Conversation) -> list[Reply]:
    if conv.step == "scope":
        return [_scope_question(conv)]
    if conv.step == "confirm":
        send_at = conv.data.get("send_at")
        return await _confirm(msg, ctx, conv, datetime.fromisoformat(send_at) if send_at else None)
    return [Reply(texts.STALE_BUTTON)]


async def _set_title(msg: Incoming, ctx: Ctx, conv: Conversation, title: str) -> list[Reply]:
    await _save(msg, ctx, conv, "issue", title=title)
    default = default_issue(ctx.now(), ctx.config.general.tz)
    label = bc.issue_label(default)
    return [
        Reply(
            texts.BULLETIN_ASK_ISSUE.format(default=label),
            options=single_column(Option(label, BUTTONS.payload("i", conv.data["nonce"]))),
        )
    ]


async def _set_issue(msg: Incoming, ctx: Ctx, conv: Conversation, issue: str) -> list[Reply]:
    taken = await ctx.bulletins.by_issue(issue)
    if taken is not None:
        return [duplicate(ctx, taken.issue, taken)]
    await _save(msg, ctx, conv, "scope", issue=issue)
    return [_scope_question(conv)]


def _scope_question(conv: Conversation) -> Reply:
    nonce = conv.data["nonce"]
    return Reply(
        texts.BULLETIN_ASK_SCOPE,
        options=single_column(
            Option(texts.BULLETIN_SCOPE_HAMLET, BUTTONS.payload("s", nonce, "hamlet")),
            Option(texts.BULLETIN_SCOPE_CELLS, BUTTONS.payload("s", nonce, "cells")),
            Option(texts.BULLETIN_SCOPE_UNIT, BUTTONS.payload("s", nonce, "unit")),
        ),
    )


async def _find_unit(msg: Incoming, ctx: Ctx, conv: Conversation, text: str) -> list[Reply]:
    found = await ctx.units.find_units(text, conv.data.get("root")) if text else []
    if not found:
        return [Reply(texts.BULLETIN_UNIT_NONE.format(text=text[:40]))]
    if len(found) == 1:
        return await _set_scope(msg, ctx, conv, Scope("unit", found[0].id))
    if len(found) > 8:
        return [Reply(texts.BULLETIN_UNIT_TOO_MANY.format(count=len(found), text=text[:40]))]
    nonce = conv.data["nonce"]
    return [
        Reply(
            texts.BULLETIN_UNIT_MANY.format(count=len(found), text=text[:40]),
            options=single_column(
                *(
                    Option(f"{u.name} ({u.code})"[:60], BUTTONS.payload("u", nonce, u.id))
                    for u in found
                )
            ),
        )
    ]


async def _set_scope(msg: Incoming, ctx: Ctx, conv: Conversation, scope: Scope) -> list[Reply]:
    counted = await ctx.bulletins.count_scope(scope)
    if counted.members == 0:
        name = await bc.scope_name(ctx.units, scope)
        await _save(msg, ctx, conv, "scope")
        return [Reply(texts.BULLETIN_SCOPE_EMPTY.format(scope=name)), _scope_question(conv)]
    await _save(msg, ctx, conv, "when", scope_kind=scope.kind, scope_unit=scope.unit_id)
    return [
        Reply(
            texts.BULLETIN_ASK_WHEN,
            options=single_column(
                Option(texts.BULLETIN_NOW, BUTTONS.payload("n", conv.data["nonce"]))
            ),
        )
    ]


async def _confirm(
    msg: Incoming, ctx: Ctx, conv: Conversation, send_at: datetime | None
) -> list[Reply]:
    scope = scope_of(conv)
    counted = await ctx.bulletins.count_scope(scope)
    await _save(
        msg, ctx, conv, "confirm", send_at=send_at.isoformat() if send_at is not None else None
    )
    unlinked = counted.members - counted.linked
    note = texts.BULLETIN_UNLINKED_NOTE.format(unlinked=vi_number(unlinked)) if unlinked else ""
    nonce = conv.data["nonce"]
    return [
        Reply(
            texts.BULLETIN_CONFIRM.format(
                title=conv.data["title"],
                issue=bc.issue_label(conv.data["issue"]),
                scope=await bc.scope_name(ctx.units, scope),
                linked=vi_number(counted.linked),
                cells=vi_number(counted.cells),
                when=bc.when_text(send_at, ctx.config),
                unlinked_note=note,
            ),
            options=(
                (
                    Option(texts.BULLETIN_SEND, BUTTONS.payload("ok", nonce)),
                    Option(texts.BULLETIN_CANCEL, BUTTONS.payload("no", nonce)),
                ),
            ),
        )
    ]


# A step's action: the open publishing conversation, already checked, and the press.
Step = Callable[[Incoming, Ctx, Who, Conversation, Press], Awaitable[list[Reply]]]


def _at(step: str | None, fn: Step) -> ButtonHandler:
    """`fn`, if the press matches the open publishing conversation (its nonce, its `step`;
    None: any step) and the person may still publish."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
        if conv is None or conv.kind != KIND or conv.data.get("nonce") != press.word(0):
            return [Reply(texts.STALE_BUTTON)]
        if step is None:
            return await fn(msg, ctx, who, conv, press)
        if not bc.can_publish(who):
            await ctx.conversations.clear(msg.channel, msg.user_id)
            return [Reply(texts.NO_PERMISSION.format(role=texts.PUBLISHER_ROLE), edit=True)]
        if conv.step != step:
            return [Reply(texts.STALE_BUTTON)]
        return await fn(msg, ctx, who, conv, press)

    return run


async def _cancel(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press
) -> list[Reply]:
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.CANCELLED, edit=True)]


async def _default_title(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press
) -> list[Reply]:
    return await _set_title(msg, ctx, conv, texts.BULLETIN_DEFAULT_TITLE)


async def _default_issue(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press
) -> list[Reply]:
    return await _set_issue(msg, ctx, conv, default_issue(ctx.now(), ctx.config.general.tz))


async def _scope(
    msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press
) -> list[Reply]:
    kind = press.word(1)
    if kind in ("hamlet", "cells"):
        return await _set_scope(msg, ctx, conv, Scope(kind, conv.data.get("root")))
    if kind == "unit":
        await _save(msg, ctx, conv, "unit")
        return [Reply(texts.BULLETIN_ASK_UNIT)]
    return [Reply(texts.STALE_BUTTON)]


async def _unit(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press) -> list[Reply]:
    unit = await ctx.units.get(press.num(1))
    root = conv.data.get("root")
    if unit is None or (
        root is not None and root not in {u.id for u in await ctx.units.ancestors(unit.id)}
    ):
        return [Reply(texts.STALE_BUTTON)]
    return await _set_scope(msg, ctx, conv, Scope("unit", unit.id))


async def _now(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press) -> list[Reply]:
    return await _confirm(msg, ctx, conv, None)


async def _send(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation, press: Press) -> list[Reply]:
    return await publish(msg, ctx, who, conv)


# bt:<action>:<nonce>[:<arg>]: every button names the publishing conversation it belongs to.
BUTTONS = Buttons(
    "bt",
    {
        "no": Action(_at(None, _cancel), "s"),
        "t": Action(_at("title", _default_title), "s"),
        "i": Action(_at("issue", _default_issue), "s"),
        "s": Action(_at("scope", _scope), "ss"),
        "u": Action(_at("unit", _unit), "si"),
        "n": Action(_at("when", _now), "s"),
        "ok": Action(_at("confirm", _send), "s"),
    },
)
