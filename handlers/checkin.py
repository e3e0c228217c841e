"""Check-ins: a member reports each open task (status, then an optional note) for the open round.

Payloads name the round and the task (`ck:a:<round>:<task>:<code>`); on arrival the task must be
open, in the round's cell and assigned to the presser, and the round must be open.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.core import texts
from bot.core.types import Incoming, Option, Reply, split_text
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.checkin_common import in_quiet_hours, quiet_until, status_text, when
from handlers.context import Ctx, Who
from handlers.progress import digest_text
from storage.checkins import CheckinAnswer, Round
from storage.conversations import Conversation
from storage.outbox import NewMessage, OutboxMessage
from storage.tasks import Task

logger = logging.getLogger(__name__)

NOTE_KIND = "checkin_note"
# Longest check-in note we accept (a short phone message, not an essay).
NOTE_MAX = 500
# Short codes in payloads -> stored answers.
CODES = {"d": "done", "p": "doing", "n": "todo", "b": "blocked"}


async def flow_reply(
    ctx: Ctx, rnd: Round, member_id: int, *, header: str = "", focus: int | None = None
) -> Reply:
    """The member's tasks with this round's answers, and buttons for the next one to answer."""
    tasks, answers = await _flow_state(ctx, rnd, member_id)
    return _flow_reply(ctx, rnd, member_id, tasks, answers, header, focus)


async def _flow_state(
    ctx: Ctx, rnd: Round, member_id: int
) -> tuple[list[Task], dict[tuple[int, int, int], CheckinAnswer]]:
    store = ctx.tasks
    tasks = [t for t in await store.of_member(member_id) if t.unit_id == rnd.unit_id]
    return tasks, await ctx.checkins.current_answers([rnd.id]) if tasks else {}


def _flow_reply(
    ctx: Ctx,
    rnd: Round,
    member_id: int,
    tasks: list[Task],
    answers: dict[tuple[int, int, int], CheckinAnswer],
    header: str = "",
    focus: int | None = None,
) -> Reply:
    if not tasks:
        return Reply((header + "\n\n" if header else "") + texts.NHIEMVU_NONE)
    lines = []
    pending: list[tuple[int, Task]] = []
    for n, task in enumerate(tasks, 1):
        answer = answers.get((rnd.id, member_id, task.id))
        lines.append(texts.CHECKIN_LINE.format(n=n, body=task.body, status=status_text(answer)))
        if answer is None:
            pending.append((n, task))
    text = texts.CHECKIN_LIST.format(when=when(ctx, rnd), lines="\n".join(lines))
    if header:
        text = header + "\n\n" + text
    target = next(((n, t) for n, t in enumerate(tasks, 1) if t.id == focus), None)
    if target is None and pending:
        target = pending[0]
    if target is not None:
        n, task = target
        text += "\n\n" + texts.CHECKIN_ASK.format(n=n, body=task.body)
        return Reply(text, options=status_options(rnd.id, task.id))
    options = tuple(
        (Option(texts.CHECKIN_CHANGE.format(n=n), BUTTONS.payload("t", rnd.id, t.id)),)
        for n, t in enumerate(tasks, 1)
    )
    return Reply(
        text + "\n\n" + texts.CHECKIN_ALL_DONE.format(when=when(ctx, rnd)), options=options
    )


def status_options(round_id: int, task_id: int | str) -> tuple[tuple[Option, ...], ...]:
    """The four answers for one task (`task_id` may be `bot.core.types.SLOT`, for a template)."""
    return tuple(
        (Option(texts.CHECKIN_STATUS[answer], BUTTONS.payload("a", round_id, task_id, code)),)
        for code, answer in CODES.items()
    )


# A digest part at most this long: under Zalo's 2,000 and Telegram's 4,096 characters, so each
# part is one message, paced and retried on its own.
DIGEST_PART = {"zalo": 1900}
DIGEST_PART_DEFAULT = 3500


async def render(ctx: Ctx, msg: OutboxMessage) -> Reply | datetime | None:
    """A check-in message as it stands when it is sent; None when there is nothing to say
    any more (the round is over, the member left, was excused or answered every task); the
    end of the quiet hours when a prompt or nudge would arrive in the night."""
    spec = msg.reply.extra
    rnd = await ctx.checkins.round(int(spec["round"]))
    member = await ctx.members.get(msg.member_id) if msg.member_id is not None else None
    if rnd is None or member is None or not member.active:
        return None
    if spec["step"] == "digest":
        return await _digest(ctx, msg, rnd, member.id)
    now = ctx.now()
    if not rnd.is_open(now) or (rnd.id, member.id) in await ctx.checkins.excused([rnd.id]):
        return None
    if in_quiet_hours(ctx, now):
        return quiet_until(ctx, now)
    tasks, answers = await _flow_state(ctx, rnd, member.id)
    if all((rnd.id, member.id, t.id) in answers for t in tasks):
        return None
    if spec["step"] == "prompt":
        header = texts.CHECKIN_PROMPT.format(name=member.full_name)
    else:
        header = texts.CHECKIN_NUDGE.format(when=when(ctx, rnd))
    return _flow_reply(ctx, rnd, member.id, tasks, answers, header)


async def _digest(ctx: Ctx, msg: OutboxMessage, rnd: Round, member_id: int) -> Reply | None:
    """The digest, for someone who still leads the cell (it holds every member's notes).

    Sent even after the meeting has started: it is the month's record. Parts after the first
    are queued as rows of their own, so a retry never sends a part twice.
    """
    roles = await ctx.members.roles(member_id)
    if not any(r.unit_id == rnd.unit_id and r.role in ("secretary", "deputy") for r in roles):
        return None
    limit = DIGEST_PART.get(msg.channel, DIGEST_PART_DEFAULT) - len(texts.DIGEST_PART) - 8
    parts = split_text(await digest_text(ctx, rnd), limit)
    if len(parts) > 1:
        parts = [
            texts.DIGEST_PART.format(n=n, total=len(parts)) + "\n" + part
            for n, part in enumerate(parts, 1)
        ]
    first, *rest = parts
    if rest:
        later = [
            NewMessage(
                f"{msg.dedupe_key}:{n}", msg.channel, msg.chat_id, Reply(part), member_id, msg.batch
            )
            for n, part in enumerate(rest, 2)
        ]
        await ctx.outbox.enqueue(later, ctx.now())
        ctx.wake_outbox()
    return Reply(first)


async def on_baocao(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Start or resume the member's report for the open round of their cell."""
    assert who.member is not None
    rnd = await ctx.checkins.current_round(who.member.unit_id, ctx.now())
    if rnd is None:
        return [Reply(texts.CHECKIN_NO_ROUND)]
    return [await flow_reply(ctx, rnd, who.member.id)]


async def _check(ctx: Ctx, who: Who, round_id: int, task_id: int) -> tuple[Round, Task] | Reply:
    assert who.member is not None
    store = ctx.tasks
    rnd = await ctx.checkins.round(round_id)
    task = await store.get(task_id)
    if rnd is None or task is None:
        return Reply(texts.STALE_BUTTON)
    if task.unit_id != rnd.unit_id or who.member.id not in task.assignees:
        logger.warning(
            "member %s answered task %s of round %s: not theirs", who.member.id, task_id, round_id
        )
        return Reply(texts.CHECKIN_NOT_YOURS)
    if not rnd.is_open(ctx.now()):
        return Reply(texts.CHECKIN_CLOSED)
    if task.status != "open":
        return Reply(texts.TASK_NOT_OPEN)
    return rnd, task


# An action on a task of an open round the presser must answer.
AnswerAction = Callable[[Incoming, Ctx, Who, Round, Task, Press], Awaitable[list[Reply]]]


def _on_task(fn: AnswerAction) -> ButtonHandler:
    """`fn` on the round and task the payload names, re-checked against the database."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        checked = await _check(ctx, who, press.num(0), press.num(1))
        if isinstance(checked, Reply):
            return [checked]
        return await fn(msg, ctx, who, *checked, press)

    return run


async def _change(
    msg: Incoming, ctx: Ctx, who: Who, rnd: Round, task: Task, press: Press
) -> list[Reply]:
    assert who.member is not None
    return [await flow_reply(ctx, rnd, who.member.id, focus=task.id)]


async def _skip(
    msg: Incoming, ctx: Ctx, who: Who, rnd: Round, task: Task, press: Press
) -> list[Reply]:
    assert who.member is not None
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [await flow_reply(ctx, rnd, who.member.id)]


async def _answer(
    msg: Incoming, ctx: Ctx, who: Who, rnd: Round, task: Task, press: Press
) -> list[Reply]:
    assert who.member is not None
    status = CODES.get(press.word(2))
    if status is None:
        return [Reply(texts.STALE_BUTTON)]
    answer_id = await ctx.checkins.answer(rnd.id, task.id, who.member.id, status, ctx.now())
    data = {"round_id": rnd.id, "task_id": task.id, "answer_id": answer_id}
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(NOTE_KIND, "note", data), ctx.now()
    )
    return [
        Reply(
            texts.CHECKIN_ASK_NOTE.format(
                status=texts.CHECKIN_STATUS[status],
                body=task.body,
                limit=NOTE_MAX,
            ),
            options=((Option(texts.CHECKIN_SKIP, BUTTONS.payload("k", rnd.id, task.id)),),),
        )
    ]


async def on_note_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The optional note after an answer; too long is refused whole and may be sent again."""
    assert who.member is not None
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != NOTE_KIND:
        return [Reply(texts.STALE_BUTTON)]
    note = " ".join(msg.text.split())
    if msg.file is not None or not note:
        return [Reply(texts.CHECKIN_NOTE_EMPTY)]
    if len(note) > NOTE_MAX:
        return [Reply(texts.CHECKIN_NOTE_TOO_LONG.format(limit=NOTE_MAX, length=len(note)))]
    checked = await _check(ctx, who, int(conv.data["round_id"]), int(conv.data["task_id"]))
    await ctx.conversations.clear(msg.channel, msg.user_id)
    if isinstance(checked, Reply):
        return [checked]
    rnd, _task = checked
    await ctx.checkins.set_note(int(conv.data["answer_id"]), who.member.id, note)
    return [await flow_reply(ctx, rnd, who.member.id, header=texts.CHECKIN_NOTE_SAVED)]


# ck:a:<round>:<task>:<code> answers · ck:t:<round>:<task> changes · ck:k:<round>:<task> skips
# the note.
BUTTONS = Buttons(
    "ck",
    {
        "a": Action(_on_task(_answer), "iis"),
        "t": Action(_on_task(_change), "ii"),
        "k": Action(_on_task(_skip), "ii"),
    },
)
