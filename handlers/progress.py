"""/tiendo: the secretary's view of the open check-in round, with "Nhắc nhở" and excusing."""

from __future__ import annotations

import logging

from bot import texts
from bot.core import Incoming, Option, Reply, is_number
from bot.textnorm import display_name, vi_sort_key
from handlers.checkin import in_quiet_hours, marker, quiet_until, status_text, when
from handlers.context import Ctx, Who, refusal
from handlers.meeting_common import stamp
from handlers.tasks import repo
from storage.meetings import MeetingRepo
from storage.outbox import NewMessage
from storage.tasks import Round

logger = logging.getLogger(__name__)

PREFIX = "tt"


async def on_tiendo(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Reported x / y, the blocked tasks with notes, who has not answered."""
    led = who.led_unit_ids()
    if not led:
        return [Reply(texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE))]
    rnd = await repo(ctx).current_round(led[0], ctx.now())
    if rnd is None:
        return [Reply(texts.TIENDO_NO_ROUND)]
    return [await _view(ctx, rnd)]


async def silent_members(ctx: Ctx, rnd: Round) -> tuple[list[int], list[int], dict[int, str]]:
    """(everyone expected to report, those who have not answered every task, names)."""
    store = repo(ctx)
    tasks_of = (await store.open_assignments([rnd.unit_id])).get(rnd.unit_id, {})
    answers = await store.current_answers([rnd.id])
    excused = await store.excused([rnd.id])
    names = {k: display_name(v) for k, v in (await store.member_names([rnd.unit_id])).items()}
    expected = [m for m in tasks_of if (rnd.id, m) not in excused]
    silent = [m for m in expected if not all((rnd.id, m, t.id) in answers for t in tasks_of[m])]
    return expected, silent, names


async def _view(ctx: Ctx, rnd: Round, *, edit: bool = False) -> Reply:
    store = repo(ctx)
    expected, silent, names = await silent_members(ctx, rnd)
    answers = await store.current_answers([rnd.id])
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
        options.append((Option(texts.TIENDO_NUDGE, f"{PREFIX}:n:{rnd.id}"),))
        for m in silent[:20]:
            label = texts.TIENDO_EXCUSE.format(name=names.get(m, ""))
            options.append((Option(label, f"{PREFIX}:l:{rnd.id}:{m}"),))
    else:
        lines.append(texts.TIENDO_ALL_ANSWERED)
    return Reply("\n".join(lines), options=tuple(options), edit=edit)


async def on_button(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """tt:n:<round> nudges the silent now; tt:l:<round>:<member> excuses one for the round."""
    assert who.member is not None
    parts = (msg.payload or "").split(":")
    if len(parts) not in (3, 4) or not all(is_number(p) for p in parts[2:]):
        return [Reply(texts.STALE_BUTTON)]
    rnd = await repo(ctx).round(int(parts[2]))
    if rnd is None:
        return [Reply(texts.STALE_BUTTON)]
    if not (who.is_admin() or rnd.unit_id in who.led_unit_ids()):
        return [refusal(who)]
    now = ctx.now()
    if not rnd.is_open(now):
        return [Reply(texts.CHECKIN_CLOSED)]
    if parts[1] == "l" and len(parts) == 4:
        member = await ctx.members.get(int(parts[3]))
        if member is None or member.unit_id != rnd.unit_id:
            return [Reply(texts.STALE_BUTTON)]
        await repo(ctx).excuse(rnd.id, member.id, who.member.id, now)
        return [
            Reply(texts.TIENDO_EXCUSED.format(name=member.full_name)),
            await _view(ctx, rnd),
        ]
    if parts[1] == "n" and len(parts) == 3:
        return [Reply(await nudge_now(ctx, rnd))]
    return [Reply(texts.STALE_BUTTON)]


async def nudge_now(ctx: Ctx, rnd: Round) -> str:
    """Queue a reminder to every silent member now (in the morning if it is night)."""
    now = ctx.now()
    _expected, silent, _names = await silent_members(ctx, rnd)
    contacts = (await MeetingRepo(ctx.db).contacts([rnd.unit_id])).get(rnd.unit_id, [])
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
    store = repo(ctx)
    unit = await ctx.units.get(rnd.unit_id)
    tasks_of = (await store.open_assignments([rnd.unit_id])).get(rnd.unit_id, {})
    answers = await store.current_answers([rnd.id])
    excused = await store.excused([rnd.id])
    people = {k: display_name(v) for k, v in (await store.member_names([rnd.unit_id])).items()}
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
