"""/giaoviec: a secretary picks members (paged, searchable), types a task and a due date, confirms.

The conversation state (selection, page, search) lives in the database; button payloads only
name a member or a page and are re-checked against the open conversation and the roster.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from datetime import date

from bot import texts
from bot.core import Incoming, Option, Reply, is_number
from bot.textnorm import fold
from handlers import cell_pick
from handlers.context import Ctx, Who, refusal
from storage.conversations import Conversation
from storage.members import Member
from storage.outbox import NewMessage
from storage.tasks import TaskRepo

logger = logging.getLogger(__name__)

KIND = "task_assign"
PREFIX = "tv"
PAGE = 8

_DATE_RE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$")


def repo(ctx: Ctx) -> TaskRepo:
    return TaskRepo(ctx.db)


def parse_due(text: str, today: date) -> date | None:
    """'31/12' or '31/12/2026' -> a date from today on; None when unreadable or past."""
    match = _DATE_RE.match(fold(text))
    if match is None:
        return None
    d, m, y = match.groups()
    year = (int(y) + (2000 if len(y) == 2 else 0)) if y else today.year
    try:
        day = date(year, int(m), int(d))
    except ValueError:
        return None
    if day < today and not y:
        try:
            day = date(year + 1, int(m), int(d))
        except ValueError:
            return None
    return day if day >= today else None


def show_due(due_on: str | None) -> str:
    if not due_on:
        return texts.TASK_DUE_NONE
    return date.fromisoformat(due_on).strftime("%d/%m/%Y")


async def on_giaoviec(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Start assigning a task in the cell the sender leads; someone leading several cells (or an
    administrator) is asked which cell first."""
    chosen = await cell_pick.choose(ctx, who, msg.args, PREFIX)
    if isinstance(chosen, Reply):
        return [chosen]
    return await _start_in(msg, ctx, chosen.id)


async def _start_in(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    data = {"unit_id": unit_id, "selected": [], "page": 0, "query": ""}
    conv = Conversation(KIND, "pick", data)
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return [await _pick_reply(ctx, conv, edit=edit)]


async def _unit_chosen(msg: Incoming, ctx: Ctx, who: Who, unit_id: int) -> list[Reply]:
    unit = await ctx.units.get(unit_id)
    if unit is None or not unit.is_cell:
        return [Reply(texts.STALE_BUTTON)]
    if not cell_pick.may_lead(who, unit.id):
        return [refusal(who)]
    return await _start_in(msg, ctx, unit.id, edit=True)


async def candidates(ctx: Ctx, unit_id: int, query: str) -> list[Member]:
    """Active members of the cell whose name contains `query`, without diacritics or case."""
    members = await ctx.members.in_unit(unit_id)
    if query:
        key = fold(query)
        members = [m for m in members if key in fold(m.full_name)]
    return members


def member_page(
    members: list[Member],
    requested: int,
    prefix: str,
    marked: Collection[int],
    mark: str,
    query: str,
) -> tuple[list[tuple[Option, ...]], str]:
    """One page of a member picker: a button per member (`<prefix>:p:<id>`, `mark` before the
    marked ones), then the page buttons (`<prefix>:g:<page>`); and the lines for the text that
    say the filter and the page."""
    pages = max(1, -(-len(members) // PAGE))
    page = min(requested, pages - 1)
    rows: list[tuple[Option, ...]] = [
        (Option((mark if m.id in marked else "") + m.full_name, f"{prefix}:p:{m.id}"),)
        for m in members[page * PAGE : (page + 1) * PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Option(texts.GIAOVIEC_PREV, f"{prefix}:g:{page - 1}"))
    if page + 1 < pages:
        nav.append(Option(texts.GIAOVIEC_NEXT, f"{prefix}:g:{page + 1}"))
    if nav:
        rows.append(tuple(nav))
    lines = ""
    if query:
        lines += "\n" + texts.GIAOVIEC_FILTER.format(query=query, found=len(members))
    if pages > 1:
        lines += "\n" + texts.TASK_PAGE_OF.format(page=page + 1, pages=pages)
    return rows, lines


async def _pick_reply(ctx: Ctx, conv: Conversation, *, edit: bool = False, note: str = "") -> Reply:
    unit = await ctx.units.get(int(conv.data["unit_id"]))
    assert unit is not None
    selected = set(conv.data["selected"])
    query = str(conv.data["query"])
    members = await candidates(ctx, unit.id, query)
    rows, lines = member_page(members, int(conv.data["page"]), PREFIX, selected, "☑️ ", query)
    extra = [Option(texts.GIAOVIEC_ALL, f"{PREFIX}:all")]
    if query:
        extra.append(Option(texts.GIAOVIEC_CLEAR_FILTER, f"{PREFIX}:q"))
    rows.append(tuple(extra))
    rows.append(
        (
            Option(texts.GIAOVIEC_DONE_PICK.format(count=len(selected)), f"{PREFIX}:ok"),
            Option(texts.GIAOVIEC_CANCEL, f"{PREFIX}:x"),
        )
    )
    text = texts.GIAOVIEC_PICK.format(unit=unit.name, count=len(selected)) + lines
    if note:
        text = note + "\n\n" + text
    return Reply(text, options=tuple(rows), edit=edit)


async def _conv(msg: Incoming, ctx: Ctx, who: Who) -> Conversation | Reply:
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND:
        return Reply(texts.STALE_BUTTON)
    if not cell_pick.may_lead(who, int(conv.data["unit_id"])):
        # Roles may have changed since the conversation started.
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return refusal(who)
    return conv


async def _save(
    msg: Incoming, ctx: Ctx, conv: Conversation, step: str | None = None
) -> Conversation:
    conv = Conversation(KIND, step or conv.step, conv.data)
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return conv


async def on_button(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """tv:u:<unit> | tv:p:<member> | tv:g:<page> | tv:all | tv:q | tv:ok | tv:nd | tv:c | tv:x."""
    parts = (msg.payload or "").split(":")
    if len(parts) == 3 and parts[1] == "u" and is_number(parts[2]):
        return await _unit_chosen(msg, ctx, who, int(parts[2]))
    checked = await _conv(msg, ctx, who)
    if isinstance(checked, Reply):
        return [checked]
    conv = checked
    action = parts[1] if len(parts) > 1 else ""
    unit_id = int(conv.data["unit_id"])
    if action == "x" and len(parts) == 2:
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [Reply(texts.CANCELLED, edit=True)]
    if conv.step == "pick":
        if action == "p" and len(parts) == 3 and is_number(parts[2]):
            member = await ctx.members.get(int(parts[2]))
            if member is None or not member.active or member.unit_id != unit_id:
                logger.warning("assigning to member %s outside unit %s refused", parts[2], unit_id)
                return [Reply(texts.GIAOVIEC_OTHER_CELL)]
            selected = list(conv.data["selected"])
            if member.id in selected:
                selected.remove(member.id)
            else:
                selected.append(member.id)
            conv.data["selected"] = selected
            return [await _pick_reply(ctx, await _save(msg, ctx, conv), edit=True)]
        if action == "g" and len(parts) == 3 and is_number(parts[2]):
            conv.data["page"] = int(parts[2])
            return [await _pick_reply(ctx, await _save(msg, ctx, conv), edit=True)]
        if action == "q" and len(parts) == 2:
            conv.data["query"], conv.data["page"] = "", 0
            return [await _pick_reply(ctx, await _save(msg, ctx, conv), edit=True)]
        if action == "all" and len(parts) == 2:
            conv.data["selected"] = [m.id for m in await ctx.members.in_unit(unit_id)]
            return await _ask_text(msg, ctx, conv)
        if action == "ok" and len(parts) == 2:
            if not conv.data["selected"]:
                return [Reply(texts.GIAOVIEC_NONE_SELECTED)]
            return await _ask_text(msg, ctx, conv)
    if conv.step == "due" and action == "nd" and len(parts) == 2:
        conv.data["due_on"] = None
        return await _confirm(msg, ctx, await _save(msg, ctx, conv, "confirm"))
    if conv.step == "confirm" and action == "c" and len(parts) == 2:
        return await _create(msg, ctx, who, conv)
    return [Reply(texts.STALE_BUTTON)]


async def _names(ctx: Ctx, ids: list[int]) -> list[str]:
    found = []
    for member_id in ids:
        member = await ctx.members.get(member_id)
        if member is not None:
            found.append(member.full_name)
    return found


async def _ask_text(msg: Incoming, ctx: Ctx, conv: Conversation) -> list[Reply]:
    await _save(msg, ctx, conv, "text")
    names = await _names(ctx, list(conv.data["selected"]))
    return [
        Reply(
            texts.GIAOVIEC_ASK_TEXT.format(names=_short_names(names), limit=texts.TASK_MAX),
            edit=True,
        )
    ]


def _short_names(names: list[str]) -> str:
    if len(names) > 10:
        return ", ".join(names[:10]) + texts.TASK_AND_MORE.format(count=len(names) - 10)
    return ", ".join(names)


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Typed text: a name search while picking, the task, or its due date."""
    checked = await _conv(msg, ctx, who)
    if isinstance(checked, Reply):
        return [checked]
    conv = checked
    text = " ".join(msg.text.split())
    if conv.step == "pick":
        if not text:
            return [await _pick_reply(ctx, conv)]
        found = await candidates(ctx, int(conv.data["unit_id"]), text)
        if not found:
            unit = await ctx.units.get(int(conv.data["unit_id"]))
            note = texts.GIAOVIEC_SEARCH_NONE.format(unit=unit.name if unit else "", query=text)
            return [await _pick_reply(ctx, conv, note=note)]
        conv.data["query"], conv.data["page"] = text, 0
        return [await _pick_reply(ctx, await _save(msg, ctx, conv))]
    if conv.step == "text":
        if msg.file is not None or not text:
            return [Reply(texts.GIAOVIEC_TEXT_EMPTY)]
        if len(text) > texts.TASK_MAX:
            return [Reply(texts.TOO_LONG.format(limit=texts.TASK_MAX))]
        conv.data["body"] = text
        await _save(msg, ctx, conv, "due")
        return [
            Reply(
                texts.GIAOVIEC_ASK_DUE,
                options=((Option(texts.GIAOVIEC_NO_DUE, f"{PREFIX}:nd"),),),
            )
        ]
    if conv.step == "due":
        today = ctx.now().astimezone(ctx.config.general.tz).date()
        due = parse_due(text, today)
        if due is None:
            return [
                Reply(
                    texts.GIAOVIEC_BAD_DUE.format(text=text[:40]),
                    options=((Option(texts.GIAOVIEC_NO_DUE, f"{PREFIX}:nd"),),),
                )
            ]
        conv.data["due_on"] = due.isoformat()
        return await _confirm(msg, ctx, await _save(msg, ctx, conv, "confirm"))
    return await _confirm(msg, ctx, conv)


async def _confirm(msg: Incoming, ctx: Ctx, conv: Conversation) -> list[Reply]:
    names = await _names(ctx, list(conv.data["selected"]))
    return [
        Reply(
            texts.GIAOVIEC_CONFIRM.format(
                body=conv.data["body"],
                count=len(names),
                names=_short_names(names),
                due=show_due(conv.data.get("due_on")),
            ),
            options=(
                (
                    Option(texts.GIAOVIEC_SEND, f"{PREFIX}:c"),
                    Option(texts.GIAOVIEC_CANCEL, f"{PREFIX}:x"),
                ),
            ),
            edit=msg.payload is not None,
        )
    ]


async def tell_assignees(
    ctx: Ctx, unit_id: int, member_ids: Iterable[int], reply: Reply, key: str
) -> list[NewMessage]:
    """A message to each linked assignee; `{member}` in `key` becomes their id."""
    recipients = {r.member.id: r for r in await ctx.members.recipients_in(unit_id)}
    messages = []
    for member_id in member_ids:
        recipient = recipients.get(member_id)
        if recipient is None or recipient.account is None:
            continue
        messages.append(
            NewMessage(
                dedupe_key=key.replace("{member}", str(member_id)),
                channel=recipient.account.channel,
                chat_id=recipient.account.chat_id,
                reply=reply,
                member_id=member_id,
            )
        )
    return messages


async def _create(msg: Incoming, ctx: Ctx, who: Who, conv: Conversation) -> list[Reply]:
    assert who.member is not None
    unit_id = int(conv.data["unit_id"])
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    recipients = {r.member.id: r for r in await ctx.members.recipients_in(unit_id)}
    # The roster may have changed since the selection was made: keep only current members.
    chosen = [m for m in conv.data["selected"] if m in recipients]
    if not chosen:
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [Reply(texts.GIAOVIEC_NONE_SELECTED, edit=True)]
    due_on = conv.data.get("due_on")
    reply = Reply(
        texts.TASK_ASSIGNED.format(
            unit=unit.name, body=conv.data["body"], due=show_due(due_on), by=who.member.full_name
        )
    )
    messages = await tell_assignees(ctx, unit_id, chosen, reply, "task:{task}:assigned:{member}")
    task_id = await repo(ctx).create(
        unit_id, conv.data["body"], due_on, chosen, who.member.id, ctx.now(), messages
    )
    await ctx.conversations.clear(msg.channel, msg.user_id)
    if messages:
        ctx.wake_outbox()
    logger.info("task %s assigned to %d members of unit %s", task_id, len(chosen), unit_id)
    return [Reply(texts.GIAOVIEC_DONE.format(count=len(chosen), linked=len(messages)), edit=True)]
