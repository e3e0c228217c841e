"""/giaoviec: a secretary picks members (paged, searchable), types a task and a due date, confirms.

The conversation state (selection, page, search) lives in the database; button payloads only
name a member or a page and are re-checked against the open conversation and the roster.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from datetime import date

from bot.core import texts
from bot.core.textnorm import fold
from bot.core.types import Incoming, Option, Reply
from handlers import cell_pick
from handlers.buttons import Action, Buttons, Press, cancel, during, led_conversation, save_step
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.members import Member
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

KIND = "task_assign"
PAGE = 8
# Longest task text we accept (a short phone message, not an essay).
TASK_MAX = 500

_DATE_RE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$")


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
    """A due date as members read it: '31/12/2026', or «no due date»."""
    if not due_on:
        return texts.TASK_DUE_NONE
    return date.fromisoformat(due_on).strftime("%d/%m/%Y")


async def on_giaoviec(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Start assigning a task in the cell the sender leads; someone leading several cells (or an
    administrator) is asked which cell first."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return await _start_in(msg, ctx, chosen.id)


async def _start_in(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    data = {"unit_id": unit_id, "selected": [], "page": 0, "query": ""}
    conv = Conversation(KIND, "pick", data)
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return [await _pick_reply(ctx, conv, edit=edit)]


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
    buttons: Buttons,
    marked: Collection[int],
    mark: str,
    query: str,
) -> tuple[list[tuple[Option, ...]], str]:
    """One page of a member picker: a button per member (the feature's "p" action with the
    member's id, `mark` before the marked ones), then the page buttons (its "g" action); and
    the lines for the text that say the filter and the page."""
    pages = max(1, -(-len(members) // PAGE))
    page = min(requested, pages - 1)
    rows: list[tuple[Option, ...]] = [
        (Option((mark if m.id in marked else "") + m.full_name, buttons.payload("p", m.id)),)
        for m in members[page * PAGE : (page + 1) * PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Option(texts.GIAOVIEC_PREV, buttons.payload("g", page - 1)))
    if page + 1 < pages:
        nav.append(Option(texts.GIAOVIEC_NEXT, buttons.payload("g", page + 1)))
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
    rows, lines = member_page(members, int(conv.data["page"]), BUTTONS, selected, "☑️ ", query)
    extra = [Option(texts.GIAOVIEC_ALL, BUTTONS.payload("all"))]
    if query:
        extra.append(Option(texts.GIAOVIEC_CLEAR_FILTER, BUTTONS.payload("q")))
    rows.append(tuple(extra))
    rows.append(
        (
            Option(texts.GIAOVIEC_DONE_PICK.format(count=len(selected)), BUTTONS.payload("ok")),
            Option(texts.GIAOVIEC_CANCEL, BUTTONS.payload("x")),
        )
    )
    text = texts.GIAOVIEC_PICK.format(unit=unit.name, count=len(selected)) + lines
    if note:
        text = note + "\n\n" + text
    return Reply(text, options=tuple(rows), edit=edit)


async def _toggle(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    unit_id = int(conv.data["unit_id"])
    member = await ctx.members.get(press.num(0))
    if member is None or not member.active or member.unit_id != unit_id:
        logger.warning("assigning to member %s outside unit %s refused", press.num(0), unit_id)
        return [Reply(texts.GIAOVIEC_OTHER_CELL)]
    selected = list(conv.data["selected"])
    if member.id in selected:
        selected.remove(member.id)
    else:
        selected.append(member.id)
    conv.data["selected"] = selected
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv), edit=True)]


async def _page(msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation) -> list[Reply]:
    conv.data["page"] = press.num(0)
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv), edit=True)]


async def _clear_filter(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    conv.data["query"], conv.data["page"] = "", 0
    return [await _pick_reply(ctx, await save_step(msg, ctx, conv), edit=True)]


async def _all(msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation) -> list[Reply]:
    conv.data["selected"] = [m.id for m in await ctx.members.in_unit(int(conv.data["unit_id"]))]
    return await _ask_text(msg, ctx, conv)


async def _picked(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    if not conv.data["selected"]:
        return [Reply(texts.GIAOVIEC_NONE_SELECTED)]
    return await _ask_text(msg, ctx, conv)


async def _no_due(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    conv.data["due_on"] = None
    return await _confirm(msg, ctx, await save_step(msg, ctx, conv, "confirm"))


async def _confirmed(
    msg: Incoming, ctx: Ctx, who: Who, press: Press, conv: Conversation
) -> list[Reply]:
    return await _create(msg, ctx, who, conv)


async def _names(ctx: Ctx, ids: list[int]) -> list[str]:
    found = []
    for member_id in ids:
        member = await ctx.members.get(member_id)
        if member is not None:
            found.append(member.full_name)
    return found


async def _ask_text(msg: Incoming, ctx: Ctx, conv: Conversation) -> list[Reply]:
    await save_step(msg, ctx, conv, "text")
    names = await _names(ctx, list(conv.data["selected"]))
    return [
        Reply(
            texts.GIAOVIEC_ASK_TEXT.format(names=_short_names(names), limit=TASK_MAX),
            edit=True,
        )
    ]


def _short_names(names: list[str]) -> str:
    if len(names) > 10:
        return ", ".join(names[:10]) + texts.TASK_AND_MORE.format(count=len(names) - 10)
    return ", ".join(names)


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Typed text: a name search while picking, the task, or its due date."""
    checked = await led_conversation(msg, ctx, who, KIND)
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
        return [await _pick_reply(ctx, await save_step(msg, ctx, conv))]
    if conv.step == "text":
        if msg.file is not None or not text:
            return [Reply(texts.GIAOVIEC_TEXT_EMPTY)]
        if len(text) > TASK_MAX:
            return [Reply(texts.TOO_LONG.format(limit=TASK_MAX))]
        conv.data["body"] = text
        await save_step(msg, ctx, conv, "due")
        return [
            Reply(
                texts.GIAOVIEC_ASK_DUE,
                options=((Option(texts.GIAOVIEC_NO_DUE, BUTTONS.payload("nd")),),),
            )
        ]
    if conv.step == "due":
        today = ctx.now().astimezone(ctx.config.general.tz).date()
        due = parse_due(text, today)
        if due is None:
            return [
                Reply(
                    texts.GIAOVIEC_BAD_DUE.format(text=text[:40]),
                    options=((Option(texts.GIAOVIEC_NO_DUE, BUTTONS.payload("nd")),),),
                )
            ]
        conv.data["due_on"] = due.isoformat()
        return await _confirm(msg, ctx, await save_step(msg, ctx, conv, "confirm"))
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
                    Option(texts.GIAOVIEC_SEND, BUTTONS.payload("c")),
                    Option(texts.GIAOVIEC_CANCEL, BUTTONS.payload("x")),
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
    task_id = await ctx.tasks.create(
        unit_id, conv.data["body"], due_on, chosen, who.member.id, ctx.now(), messages
    )
    await ctx.conversations.clear(msg.channel, msg.user_id)
    if messages:
        ctx.wake_outbox()
    logger.info("task %s assigned to %d members of unit %s", task_id, len(chosen), unit_id)
    return [Reply(texts.GIAOVIEC_DONE.format(count=len(chosen), linked=len(messages)), edit=True)]


# tv:u:<unit> picks the cell; the rest act on the open assignment, at the step they belong to.
BUTTONS = Buttons(
    "tv",
    {
        "u": Action(cell_pick.on_cell(_start_in), "i"),
        "p": Action(during(KIND, ("pick",), _toggle), "i"),
        "g": Action(during(KIND, ("pick",), _page), "i"),
        "q": Action(during(KIND, ("pick",), _clear_filter)),
        "all": Action(during(KIND, ("pick",), _all)),
        "ok": Action(during(KIND, ("pick",), _picked)),
        "nd": Action(during(KIND, ("due",), _no_due)),
        "c": Action(during(KIND, ("confirm",), _confirmed)),
        "x": Action(during(KIND, (), cancel)),
    },
)
