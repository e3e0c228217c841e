"""/tiendo: the secretary's view of the open check-in round, with "Nhắc nhở" and excusing."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.core import texts
from bot.core.textnorm import display_name, vi_sort_key
from bot.core.types import Incoming, Option, Reply
from handlers import cell_pick
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.checkin_common import in_quiet_hours, marker, quiet_until, status_text, when
from handlers.context import Ctx, Who, refusal
from handlers.meeting_common import stamp
from storage.checkins import Round
from storage.outbox import NewMessage
from storage.units import Unit

logger = logging.getLogger(__name__)


async def on_tiendo(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Reported x / y, the blocked tasks with notes, who has not answered. Someone leading
    several cells (or an administrator) is asked which cell first, unless named
    (`/tiendo Phú Lợi`)."""
    chosen = await cell_pick.choose(ctx, who, msg.args, BUTTONS)
    if isinstance(chosen, Reply):
        return [chosen]
    return [await _cell_view(ctx, chosen, titled=bool(msg.args.strip()))]


async def _cell_view(ctx: Ctx, unit: Unit, *, titled: bool, edit: bool = False) -> Reply:
    """The cell's open round; `titled` (a cell picked or named) puts the cell's name on top."""
    rnd = await ctx.checkins.current_round(unit.id, ctx.now())
    reply = Reply(texts.TIENDO_NO_ROUND) if rnd is None else await _view(ctx, rnd)
    text = texts.PICKED_CELL.format(unit=unit.name) + "\n" + reply.text if titled else reply.text
    return replace(reply, text=text, edit=edit)


async def _picked(msg: Incoming, ctx: Ctx, unit_id: int, *, edit: bool = False) -> list[Reply]:
    """The view of the cell picked from /tiendo's question, titled with its name."""
    unit = await ctx.units.get(unit_id)
    assert unit is not None
    return [await _cell_view(ctx, unit, titled=True, edit=edit)]


async def silent_members(ctx: Ctx, rnd: Round) -> tuple[list[int], list[int], dict[int, str]]:
    """(everyone expected to report, those who have not answered every task, names)."""
    store = ctx.tasks
    tasks_of = (await store.open_assignments([rnd.unit_id])).get(rnd.unit_id, {})
    answers = await ctx.checkins.current_answers([rnd.id])
    excused = await ctx.checkins.excused([rnd.id])
    names = {k: display_name(v) for k, v in (await ctx.members.names_in([rnd.unit_id])).items()}
    expected = [m for m in tasks_of if (rnd.id, m) not in excused]
    silent = [m for m in expected if not all((rnd.id, m, t.id) in answers for t in tasks_of[m])]
    return expected, silent, names


async def _view(ctx: Ctx, rnd: Round, *, edit: bool = False) -> Reply:
    store = ctx.tasks
    expected, silent, names = await silent_members(ctx, rnd)
    answers = await ctx.checkins.current_answers([rnd.id])
    lines = [
        texts.TIENDO_HEADER.format(
            when=when(ctx, rnd), done=len(expected) - len(silent), total=len(expected)
        )
    ]
    blocked = [a for a in answers.values() if a.status == "blocked"]
    if blocked:
        lines.append(texts.TIENDO_BLOCKED)
        for a in sorted(blocked, key=lambda a: a.id):
            task = await store.get(a.task_id)
            lines.append(
                texts.TIENDO_BLOCKED_LINE.format(
                    name=names.get(a.member_id, ""),
                    body=task.body if task else "",
                    note=a.note or texts.TIENDO_NO_NOTE,
                )
            )
    options: list[tuple[Option, ...]] = []
    if silent:
        silent_names = sorted(names.get(m, "") for m in silent)
        lines.append(texts.TIENDO_SILENT.format(names=", ".join(silent_names)))
        options.append((Option(texts.TIENDO_NUDGE, BUTTONS.payload("n", rnd.id)),))
        for m in silent[:20]:
            label = texts.TIENDO_EXCUSE.format(name=names.get(m, ""))
            options.append((Option(label, BUTTONS.payload("l", rnd.id, m)),))
    else:
        lines.append(texts.TIENDO_ALL_ANSWERED)
    return Reply("\n".join(lines), options=tuple(options), edit=edit)


# An action on an open check-in round of a cell the presser leads.
RoundAction = Callable[[Ctx, Who, Round, Press], Awaitable[list[Reply]]]


def _on_round(fn: RoundAction) -> ButtonHandler:
    """`fn` on the round the payload names, re-checked: the presser leads its cell, it is open."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        rnd = await ctx.checkins.round(press.num(0))
        if rnd is None:
            return [Reply(texts.STALE_BUTTON)]
        if not who.leads(rnd.unit_id):
            return [refusal(who)]
        if not rnd.is_open(ctx.now()):
            return [Reply(texts.CHECKIN_CLOSED)]
        return await fn(ctx, who, rnd, press)

    return run


async def _excuse(ctx: Ctx, who: Who, rnd: Round, press: Press) -> list[Reply]:
    """Excuse one member from the round."""
    assert who.member is not None
    member = await ctx.members.get(press.num(1))
    if member is None or member.unit_id != rnd.unit_id:
        return [Reply(texts.STALE_BUTTON)]
    await ctx.checkins.excuse(rnd.id, member.id, who.member.id, ctx.now())
    return [Reply(texts.TIENDO_EXCUSED.format(name=member.full_name)), await _view(ctx, rnd)]


async def _nudge(ctx: Ctx, who: Who, rnd: Round, press: Press) -> list[Reply]:
    return [Reply(await nudge_now(ctx, rnd))]


async def nudge_now(ctx: Ctx, rnd: Round) -> str:
    """Queue a reminder to every silent member now (in the morning if it is night)."""
    now = ctx.now()
    _expected, silent, _names = await silent_members(ctx, rnd)
    contacts = (await ctx.members.contacts([rnd.unit_id])).get(rnd.unit_id, [])
    first = {c.member_id: c for c in contacts}
    later = quiet_until(ctx, now) if in_quiet_hours(ctx, now) else None
    messages = []
    # Written when sent: a member who answers before the morning is not nudged after all.
    reply = marker(rnd, "nudge")
    for member_id in silent:
        contact = first.get(member_id)
        if contact is None:
            continue
        messages.append(
            NewMessage(
                dedupe_key=f"checkin:{rnd.id}:{member_id}:nudge:manual:{stamp(now)}",
                channel=contact.channel,
                chat_id=contact.chat_id,
                reply=reply,
                member_id=member_id,
                batch=f"checkin:{rnd.id}",
                not_before=later,
            )
        )
    queued = await ctx.outbox.enqueue(messages, now)
    ctx.wake_outbox()
    unlinked = len(silent) - len(messages)
    text = texts.TIENDO_NUDGED.format(count=queued)
    if unlinked:
        text += " " + texts.TIENDO_NUDGE_UNLINKED.format(count=unlinked)
    if later is not None:
        text += " " + texts.TIENDO_NUDGE_MORNING
    return text


async def digest_text(ctx: Ctx, rnd: Round) -> str:
    """The digest the meeting reviews: per member, each task with its status and note."""
    store = ctx.tasks
    unit = await ctx.units.get(rnd.unit_id)
    tasks_of = (await store.open_assignments([rnd.unit_id])).get(rnd.unit_id, {})
    answers = await ctx.checkins.current_answers([rnd.id])
    excused = await ctx.checkins.excused([rnd.id])
    people = {k: display_name(v) for k, v in (await ctx.members.names_in([rnd.unit_id])).items()}
    blocks = [texts.DIGEST_HEADER.format(unit=unit.name if unit else "", when=when(ctx, rnd))]
    for member_id in sorted(tasks_of, key=lambda m: vi_sort_key(people.get(m, ""))):
        name = people.get(member_id, "")
        if (rnd.id, member_id) in excused:
            blocks.append(texts.DIGEST_MEMBER_EXCUSED.format(name=name))
            continue
        lines = [texts.DIGEST_MEMBER.format(name=name)]
        for n, task in enumerate(tasks_of[member_id], 1):
            answer = answers.get((rnd.id, member_id, task.id))
            lines.append(texts.CHECKIN_LINE.format(n=n, body=task.body, status=status_text(answer)))
        blocks.append("\n".join(lines))
    # Longer than one message: the channel splits it at line breaks.
    return "\n\n".join(blocks)


# tt:n:<round> nudges the silent now; tt:l:<round>:<member> excuses one for the round;
# tt:u:<unit>: the cell picked by someone leading several (`cell_pick`).
BUTTONS = Buttons(
    "tt",
    {
        "u": Action(cell_pick.on_cell(_picked), "i"),
        "n": Action(_on_round(_nudge), "i"),
        "l": Action(_on_round(_excuse), "ii"),
    },
)
