"""/nhiemvu: a member's open tasks with their last report; for the secretary, the cell's tasks
with edit / close / cancel."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.core import texts
from bot.core.types import Incoming, Option, Reply
from handlers import cell_pick
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who, refusal
from handlers.tasks import TASK_MAX, show_due, tell_assignees
from storage.conversations import Conversation
from storage.tasks import Task
from storage.units import Unit

logger = logging.getLogger(__name__)

EDIT_KIND = "task_edit"
PAGE = 8


async def on_nhiemvu(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The member's own open tasks; a leader also gets the cell's list."""
    assert who.member is not None
    store = ctx.tasks
    mine = await store.of_member(who.member.id)
    if mine:
        last = await ctx.checkins.last_answers(who.member.id)
        lines = []
        for n, task in enumerate(mine, 1):
            answer = last.get(task.id)
            status = texts.CHECKIN_STATUS[answer.status] if answer else texts.NHIEMVU_NO_REPORT
            if answer is not None and answer.note:
                status += f" ({answer.note})"
            lines.append(
                texts.NHIEMVU_LINE.format(
                    n=n, body=task.body, due=show_due(task.due_on), status=status
                )
            )
        replies = [Reply(texts.NHIEMVU_MINE.format(lines="\n".join(lines)))]
    else:
        replies = [Reply(texts.NHIEMVU_NONE)]
    if who.led_unit_ids():
        # Someone leading several cells (or an administrator) is asked which cell's list,
        # unless named (`/nhiemvu Phú Lợi`).
        chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
        replies.append(chosen if isinstance(chosen, Reply) else await _cell_reply(ctx, chosen, 0))
    return replies


async def _names(ctx: Ctx, task: Task) -> str:
    names = []
    for member_id in task.assignees:
        member = await ctx.members.get(member_id)
        if member is not None:
            names.append(member.full_name)
    if len(names) > 5:
        return ", ".join(names[:5]) + texts.TASK_AND_MORE.format(count=len(names) - 5)
    return ", ".join(names)


async def _cell_reply(ctx: Ctx, unit: Unit, page: int, *, edit: bool = False) -> Reply:
    unit_id = unit.id
    tasks = await ctx.tasks.of_unit(unit_id)
    if not tasks:
        return Reply(texts.NHIEMVU_CELL_NONE.format(unit=unit.name), edit=edit)
    pages = -(-len(tasks) // PAGE)
    page = max(0, min(page, pages - 1))
    shown = tasks[page * PAGE : (page + 1) * PAGE]
    lines = [
        texts.NHIEMVU_CELL_LINE.format(
            id=t.id, body=t.body, names=await _names(ctx, t), due=show_due(t.due_on)
        )
        for t in shown
    ]
    rows: list[tuple[Option, ...]] = [
        (Option(f"#{t.id} {t.body[:40]}", BUTTONS.payload("v", t.id)),) for t in shown
    ]
    nav = []
    if page > 0:
        nav.append(Option(texts.GIAOVIEC_PREV, BUTTONS.payload("g", unit_id, page - 1)))
    if page + 1 < pages:
        nav.append(Option(texts.GIAOVIEC_NEXT, BUTTONS.payload("g", unit_id, page + 1)))
    if nav:
        rows.append(tuple(nav))
    text = texts.NHIEMVU_CELL.format(
        unit=unit.name, count=len(tasks), page=page + 1, pages=pages, lines="\n".join(lines)
    )
    return Reply(text, options=tuple(rows), edit=edit)


async def _page(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """A page of the cell's list; a forged cell is refused, nothing shown."""
    unit = await cell_pick.led_cell(ctx, who, press.num(0))
    if isinstance(unit, Reply):
        return [unit]
    return [await _cell_reply(ctx, unit, press.num(1), edit=True)]


async def _picked(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    """The list of the cell picked from /nhiemvu's question."""
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    return [await _cell_reply(ctx, unit, 0, edit=edit)]


# An action on an open task of a cell the presser leads.
TaskAction = Callable[[Incoming, Ctx, Task], Awaitable[list[Reply]]]


def _on_task(fn: TaskAction) -> ButtonHandler:
    """`fn` on the task the payload names, re-checked: it exists, is open, and the presser
    leads its cell."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        task = await ctx.tasks.get(press.num(0))
        if task is None:
            return [Reply(texts.STALE_BUTTON)]
        if not who.leads(task.unit_id):
            logger.warning("task %s button pressed outside its cell", task.id)
            return [refusal(who)]
        if task.status != "open":
            return [Reply(texts.TASK_NOT_OPEN)]
        return await fn(msg, ctx, task)

    return run


async def _view(msg: Incoming, ctx: Ctx, task: Task) -> list[Reply]:
    text = texts.TASK_DETAIL.format(
        id=task.id,
        body=task.body,
        names=await _names(ctx, task),
        due=show_due(task.due_on),
    )
    options = (
        (Option(texts.TASK_EDIT, BUTTONS.payload("e", task.id)),),
        (Option(texts.TASK_CLOSE, BUTTONS.payload("c", task.id)),),
        (Option(texts.TASK_CANCEL, BUTTONS.payload("x", task.id)),),
    )
    return [Reply(text, options=options)]


async def _edit(msg: Incoming, ctx: Ctx, task: Task) -> list[Reply]:
    conv = Conversation(EDIT_KIND, "text", {"task_id": task.id})
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())
    return [Reply(texts.TASK_ASK_EDIT.format(id=task.id, limit=TASK_MAX))]


def _closing(status: str) -> TaskAction:
    """The action that closes the task as done ("closed") or drops it ("cancelled")."""

    async def close(msg: Incoming, ctx: Ctx, task: Task) -> list[Reply]:
        told = texts.TASK_TOLD_CLOSED if status == "closed" else texts.TASK_TOLD_CANCELLED
        unit = await ctx.units.get(task.unit_id)
        reply = Reply(told.format(unit=unit.name if unit else "", body=task.body))
        messages = await tell_assignees(
            ctx, task.unit_id, task.assignees, reply, f"task:{task.id}:{status}:{{member}}"
        )
        if not await ctx.tasks.set_status(task.id, status, ctx.now(), messages):
            return [Reply(texts.TASK_NOT_OPEN)]
        if messages:
            ctx.wake_outbox()
        done = texts.TASK_CLOSED if status == "closed" else texts.TASK_CANCELLED
        return [Reply(done.format(id=task.id), edit=True)]

    return close


async def on_edit_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The new wording of a task."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != EDIT_KIND:
        return [Reply(texts.STALE_BUTTON)]
    body = " ".join(msg.text.split())
    if msg.file is not None or not body:
        return [Reply(texts.GIAOVIEC_TEXT_EMPTY)]
    if len(body) > TASK_MAX:
        return [Reply(texts.TOO_LONG.format(limit=TASK_MAX))]
    store = ctx.tasks
    task = await store.get(int(conv.data["task_id"]))
    await ctx.conversations.clear(msg.channel, msg.user_id)
    if task is None or not who.leads(task.unit_id):
        return [refusal(who)]
    if body == task.body:
        return [Reply(texts.TASK_EDITED.format(id=task.id))]
    now = ctx.now()
    unit = await ctx.units.get(task.unit_id)
    reply = Reply(
        texts.TASK_TOLD_EDITED.format(unit=unit.name if unit else "", body=body, old=task.body)
    )
    # One key per edit: two edits in the same second are two messages.
    key = f"task:{task.id}:edited:{now:%Y%m%d%H%M%S%f}:{{member}}"
    messages = await tell_assignees(ctx, task.unit_id, task.assignees, reply, key)
    if not await store.update_body(task.id, body, now, messages):
        return [Reply(texts.TASK_NOT_OPEN)]
    if messages:
        ctx.wake_outbox()
    return [Reply(texts.TASK_EDITED.format(id=task.id))]


# tk:g:<unit>:<page> pages the cell's list; tk:u:<unit>: the cell picked by someone leading
# several (`cell_pick`); the rest act on one task.
BUTTONS = Buttons(
    "tk",
    {
        "u": Action(cell_pick.on_cell(_picked), "i"),
        "g": Action(_page, "ii"),
        "v": Action(_on_task(_view), "i"),
        "e": Action(_on_task(_edit), "i"),
        "c": Action(_on_task(_closing("closed")), "i"),
        "x": Action(_on_task(_closing("cancelled")), "i"),
    },
)
