"""/lichhop, /chibo and the answers to meeting reminders ("Tôi sẽ tham dự" / "Xin vắng")."""

from __future__ import annotations

import logging

from bot import texts
from bot.core import Incoming, Option, Reply, is_number, single_column
from handlers import meeting_common as mc
from handlers import papers
from handlers.context import Ctx, Who, refusal
from handlers.leave import period_of, today, until
from storage.attachments import AttachmentRepo
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.members import Member, Recipient
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

REASON_KIND = "meeting_reason"


async def on_lichhop(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The next meetings of the member's cell, with their answer; for leaders, the unlinked."""
    assert who.member is not None and who.unit is not None
    store = mc.repo(ctx)
    unit = who.unit
    replies: list[Reply] = []
    shown = unit
    attached = await AttachmentRepo(ctx.db).of_member(who.member.id, period_of(today(ctx)))
    host = await ctx.units.get(attached.host_unit_id) if attached else None
    if attached is not None and host is not None:
        # Sinh hoạt tạm thời: the member attends the host cell's meetings this month.
        replies.append(
            Reply(texts.LICHHOP_ATTACHED.format(host=host.name, until=until(attached.last_period)))
        )
        shown = host
    meetings = [
        m
        for m in await store.upcoming(shown.id, ctx.now())
        if await mc.belongs(ctx, m, who.member.id, unit.id)
    ]
    if not meetings:
        replies.append(Reply(texts.LICHHOP_NONE.format(unit=shown.name)))
    else:
        # The header opens the first meeting's message: one message fewer per /lichhop.
        lead = texts.LICHHOP_HEADER.format(unit=shown.name) + "\n\n"
        for m in meetings:
            answer = (await store.answers(m.id)).get(who.member.id)
            # Several meetings at once: each choice names its meeting's day.
            day = mc.day(ctx, m.starts_at) if len(meetings) > 1 else ""
            replies.append(
                Reply(
                    lead
                    + mc.block(ctx, m, shown.name)
                    + await papers.documents_line(ctx, m.id)
                    + "\n"
                    + mc.status_line(answer),
                    options=mc.answer_options(m.id, who.member.id, day),
                )
            )
            lead = ""
    if mc.leads(who, unit.id):
        own = meetings[0] if meetings and shown.id == unit.id else None
        replies.append(await _unlinked_reply(ctx, unit.id, own))
    return replies


async def _unlinked_reply(ctx: Ctx, unit_id: int, meeting: Meeting | None) -> Reply:
    recipients = await ctx.members.recipients_in(unit_id)
    unlinked = [r.member for r in recipients if r.account is None]
    if not unlinked:
        return Reply(texts.LICHHOP_ALL_LINKED)
    text = texts.LICHHOP_UNLINKED.format(names=", ".join(m.full_name for m in unlinked))
    options: tuple[tuple[Option, ...], ...] = ()
    if meeting is not None:
        options = single_column(
            *(Option(m.full_name, f"mt:m:{meeting.id}:{m.id}") for m in unlinked[:30])
        )
    return Reply(text, options=options)


async def on_meeting_button(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """mt:y|n|m:<meeting>:<member> and mt:r:<meeting>:<member>:<reason>, re-checked here."""
    parts = (msg.payload or "").split(":")
    if len(parts) not in (4, 5) or not is_number(parts[2]) or not is_number(parts[3]):
        return [Reply(texts.STALE_BUTTON)]
    action = parts[1]
    checked = await _check(ctx, who, int(parts[2]), int(parts[3]))
    if isinstance(checked, Reply):
        return [checked]
    meeting, member = checked
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is not None and conv.kind == REASON_KIND:
        # Another answer replaces a reason still awaited.
        await ctx.conversations.clear(msg.channel, msg.user_id)
    if action == "y" and len(parts) == 4:
        return await _record(msg, ctx, who, meeting, member, "attend", None)
    if action == "n" and len(parts) == 4:
        reasons = [
            Option(label, f"mt:r:{meeting.id}:{member.id}:{code}")
            for code, label in texts.MEETING_REASONS.items()
        ]
        # A reason typed straight away is taken as the reason: no need to pick "Lý do khác".
        await _await_reason(msg, ctx, meeting, member)
        text = texts.ASK_REASON_FOR.format(
            when=mc.when(ctx, meeting.starts_at), limit=texts.MEETING_REASON_MAX
        )
        return [Reply(text, options=single_column(*reasons))]
    if action == "m" and len(parts) == 4:
        unit = await ctx.units.get(meeting.unit_id)
        text = texts.ANSWER_FOR_ASK.format(
            name=member.full_name, block=mc.block(ctx, meeting, unit.name if unit else "")
        )
        return [Reply(text, options=mc.answer_options(meeting.id, member.id))]
    if action == "r" and len(parts) == 5 and parts[4] in texts.MEETING_REASONS:
        if parts[4] == "kh":
            await _await_reason(msg, ctx, meeting, member)
            return [Reply(texts.ASK_REASON_TEXT.format(limit=texts.MEETING_REASON_MAX))]
        reason = texts.MEETING_REASONS[parts[4]]
        return await _record(msg, ctx, who, meeting, member, "excused", reason)
    return [Reply(texts.STALE_BUTTON)]


async def _await_reason(msg: Incoming, ctx: Ctx, meeting: Meeting, member: Member) -> None:
    data = {"meeting_id": meeting.id, "member_id": member.id, "version": meeting.version}
    await ctx.conversations.set(
        msg.channel, msg.user_id, Conversation(REASON_KIND, "text", data), ctx.now()
    )


async def on_reason_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The free-text reason after "Lý do khác"."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != REASON_KIND:
        return [Reply(texts.STALE_BUTTON)]
    reason = " ".join(msg.text.split())
    if msg.file is not None or not reason:
        return [Reply(texts.REASON_EMPTY)]
    if len(reason) > texts.MEETING_REASON_MAX:
        return [Reply(texts.TOO_LONG.format(limit=texts.MEETING_REASON_MAX))]
    await ctx.conversations.clear(msg.channel, msg.user_id)
    checked = await _check(ctx, who, int(conv.data["meeting_id"]), int(conv.data["member_id"]))
    if isinstance(checked, Reply):
        return [checked]
    meeting, member = checked
    return await _record(msg, ctx, who, meeting, member, "excused", reason)


async def _check(
    ctx: Ctx, who: Who, meeting_id: int, member_id: int
) -> tuple[Meeting, Member] | Reply:
    """The payload is a request: the meeting must be open, the member in its cell, and the
    presser that member or a leader of the cell."""
    assert who.member is not None
    meeting = await mc.repo(ctx).get(meeting_id)
    member = await ctx.members.get(member_id)
    if meeting is None or member is None or not member.active:
        return Reply(texts.STALE_BUTTON)
    if not await mc.belongs(ctx, meeting, member.id, member.unit_id):
        logger.warning(
            "member %s pressed a button of meeting %s of another cell", who.member.id, meeting_id
        )
        return Reply(texts.STALE_BUTTON)
    if member.id != who.member.id and not mc.leads(who, meeting.unit_id):
        return refusal(who)
    if meeting.status != "scheduled" or meeting.starts_at <= ctx.now():
        return Reply(texts.ANSWER_TOO_LATE)
    return meeting, member


async def _record(
    msg: Incoming,
    ctx: Ctx,
    who: Who,
    meeting: Meeting,
    member: Member,
    answer: str,
    reason: str | None,
) -> list[Reply]:
    assert who.member is not None
    store = mc.repo(ctx)
    now = ctx.now()
    previous = (await store.answers(meeting.id)).get(member.id)
    when = mc.when(ctx, meeting.starts_at)
    tell = answer == "excused" or (previous is not None and previous.answer == "excused")
    messages: list[NewMessage] = []
    if tell:
        if answer == "excused":
            text = texts.SECRETARY_TOLD_EXCUSED.format(
                name=member.full_name, when=when, reason=reason
            )
        else:
            text = texts.SECRETARY_TOLD_ATTEND.format(name=member.full_name, when=when)
        if who.member.id != member.id:
            text += texts.SECRETARY_TOLD_BY.format(by=who.member.full_name)
        leaders = (await store.leaders([meeting.unit_id])).get(meeting.unit_id, [])
        for leader in leaders:
            if leader.member_id in (member.id, who.member.id):
                continue
            messages.append(
                NewMessage(
                    dedupe_key=f"meeting:{meeting.id}:member:{member.id}:answer:"
                    f"{mc.stamp(now)}:to:{leader.member_id}",
                    channel=leader.channel,
                    chat_id=leader.chat_id,
                    reply=Reply(text),
                    member_id=leader.member_id,
                )
            )
    await store.set_answer(meeting.id, member.id, answer, reason, who.member.id, now, messages)
    if messages:
        ctx.wake_outbox()
    if who.member.id != member.id:
        said = (
            texts.ANSWER_FOR_ATTEND
            if answer == "attend"
            else texts.ANSWER_FOR_EXCUSED.format(reason=reason)
        )
        return [Reply(texts.ANSWER_FOR_OK_AT.format(name=member.full_name, when=when, answer=said))]
    if answer == "attend":
        return [Reply(texts.ANSWER_ATTEND_OK.format(when=when))]
    return [Reply(texts.ANSWER_EXCUSED_OK.format(when=when, reason=reason))]


async def _guests(ctx: Ctx, scope: mc.Scope) -> list[Recipient]:
    """Guests of a meeting (sinh hoạt tạm thời), each with the account to reach them on."""
    found = []
    for member_id, home in scope.guests.items():
        found += [r for r in await ctx.members.recipients_in(home) if r.member.id == member_id]
    return found


async def on_chibo(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The secretary's overview: next meeting's answers, last meeting's attendance rate."""
    led = who.led_unit_ids()
    if not led:
        return [Reply(texts.NO_PERMISSION.format(role=texts.SECRETARY_ROLE))]
    unit = await ctx.units.get(led[0])
    assert unit is not None
    store = mc.repo(ctx)
    now = ctx.now()
    lines = [texts.CHIBO_HEADER.format(unit=unit.name)]
    recipients = await ctx.members.recipients_in(unit.id)
    upcoming = await store.upcoming(unit.id, now, limit=1)
    if upcoming:
        m = upcoming[0]
        answers = await store.answers(m.id)
        scope = await mc.scope_of(ctx, m)
        # The meeting's people: the cell but those attending elsewhere, and its guests.
        people = [r for r in recipients if r.member.id not in scope.away]
        people += [r for r in await _guests(ctx, scope) if r.member.id not in answers]
        ids = {r.member.id for r in people} | set(scope.guests)
        attend = sum(1 for a in answers.values() if a.answer == "attend" and a.member_id in ids)
        excused = sum(1 for a in answers.values() if a.answer == "excused" and a.member_id in ids)
        excused += len(scope.leave - set(answers))
        silent = [
            r for r in people if r.member.id not in answers and r.member.id not in scope.leave
        ]
        lines.append(
            texts.CHIBO_NEXT.format(
                when=mc.when(ctx, m.starts_at),
                attend=attend,
                excused=excused,
                none=len(silent),
                unlinked=sum(1 for r in silent if r.account is None),
            )
        )
        if scope.away:
            lines.append(texts.CHIBO_AWAY.format(count=len(scope.away)))
        if scope.guests:
            lines.append(texts.CHIBO_GUESTS.format(count=len(scope.guests)))
    else:
        lines.append(texts.CHIBO_NO_NEXT)
    started = await store.started(unit.id, now, limit=1)
    if started:
        last = started[0]
        marks = await store.attendance(last.id)
        if marks:
            present = sum(1 for s in marks.values() if s == "present")
            lines.append(
                texts.CHIBO_LAST.format(
                    when=mc.when(ctx, last.starts_at),
                    present=present,
                    total=len(marks),
                    rate=round(100 * present / len(marks)),
                )
            )
        else:
            lines.append(texts.CHIBO_LAST_PENDING.format(when=mc.when(ctx, last.starts_at)))
    return [Reply("\n".join(lines))]
