"""/lichhop, the /chibo overview and the answers to meeting reminders ("Tôi sẽ tham dự" / "Xin vắng")."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.core import texts
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import meeting_common as mc
from handlers import papers
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who, refusal
from handlers.leave import period_of, today, until
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.members import Member, Recipient
from storage.outbox import NewMessage
from storage.units import Unit

logger = logging.getLogger(__name__)

REASON_KIND = "meeting_reason"
# Longest reason for an excuse we accept.
REASON_MAX = 200
# The reasons offered, as button codes (illness, work trip, family); OTHER asks for the words.
OTHER = "kh"
REASONS = ("om", "ct", "gd", OTHER)


async def on_lichhop(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The next meetings of the member's cell, with their answer; for leaders, the unlinked."""
    assert who.member is not None and who.unit is not None
    store = ctx.meetings
    unit = who.unit
    replies: list[Reply] = []
    shown = unit
    attached = await ctx.attachments.of_member(who.member.id, period_of(today(ctx)))
    host = await ctx.units.get(attached.host_unit_id) if attached else None
    if attached is not None and host is not None:
        # Sinh hoạt tạm thời: the member attends the host cell's meetings this month.
        replies.append(
            Reply(texts.LICHHOP_ATTACHED.format(host=host.name, until=until(attached.last_period)))
        )
        shown = host
    # Four reads for any number of meetings: the meetings, who they concern, this member's
    # answers and their documents.
    ahead = await store.upcoming(shown.id, ctx.now())
    scopes = await mc.scopes(ctx, ahead)
    meetings = [m for m in ahead if mc.in_scope(scopes[m.id], m, who.member.id, unit.id)]
    ids = [m.id for m in meetings]
    answers = await ctx.attendance.answers_of(who.member.id, ids) if ids else {}
    documents = await ctx.papers.documents_for(ids) if ids else {}
    if not meetings:
        replies.append(Reply(texts.LICHHOP_NONE.format(unit=shown.name)))
    else:
        # The header opens the first meeting's message: one message fewer per /lichhop.
        lead = texts.LICHHOP_HEADER.format(unit=shown.name) + "\n\n"
        for m in meetings:
            answer = answers.get(m.id)
            # Several meetings at once: each choice names its meeting's day.
            day = mc.day(ctx, m.starts_at) if len(meetings) > 1 else ""
            replies.append(
                Reply(
                    lead
                    + mc.block(ctx, m, shown.name)
                    + papers.documents_text(documents.get(m.id, []))
                    + "\n"
                    + mc.status_line(answer),
                    options=answer_options(m.id, who.member.id, day),
                )
            )
            lead = ""
    if who.leads(unit.id):
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
            *(Option(m.full_name, BUTTONS.payload("m", meeting.id, m.id)) for m in unlinked[:30])
        )
    return Reply(text, options=options)


def answer_options(
    meeting_id: int, member_id: int | str, day: str = ""
) -> tuple[tuple[Option, ...], ...]:
    """The two buttons under a reminder: attend / ask to be excused (`member_id` may be SLOT).
    With `day` ("05/12") the labels name the meeting, for when several are offered at once."""

    def label(text: str) -> str:
        return texts.MEETING_OPTION_ON.format(label=text, day=day) if day else text

    return (
        (
            Option(label(texts.MEETING_ATTEND), BUTTONS.payload("y", meeting_id, member_id)),
            Option(label(texts.MEETING_EXCUSE), BUTTONS.payload("n", meeting_id, member_id)),
        ),
    )


# An answer for one member to one meeting, both re-checked.
AnswerAction = Callable[[Incoming, Ctx, Who, Meeting, Member, Press], Awaitable[list[Reply]]]


def _answering(fn: AnswerAction) -> ButtonHandler:
    """`fn` for the meeting and member the payload names, once `_check` lets the presser answer;
    a reason still awaited for another answer is dropped."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        checked = await _check(ctx, who, press.num(0), press.num(1))
        if isinstance(checked, Reply):
            return [checked]
        conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
        if conv is not None and conv.kind == REASON_KIND:
            # Another answer replaces a reason still awaited.
            await ctx.conversations.clear(msg.channel, msg.user_id)
        return await fn(msg, ctx, who, *checked, press)

    return run


async def _attend(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, member: Member, press: Press
) -> list[Reply]:
    return await _record(msg, ctx, who, meeting, member, "attend", None)


async def _excuse(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, member: Member, press: Press
) -> list[Reply]:
    reasons = [
        Option(texts.MEETING_REASONS[code], BUTTONS.payload("r", meeting.id, member.id, code))
        for code in REASONS
    ]
    # A reason typed straight away is taken as the reason: no need to pick "Lý do khác".
    await _await_reason(msg, ctx, meeting, member)
    text = texts.ASK_REASON_FOR.format(when=mc.when(ctx, meeting.starts_at), limit=REASON_MAX)
    return [Reply(text, options=single_column(*reasons))]


async def _for_member(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, member: Member, press: Press
) -> list[Reply]:
    unit = await ctx.units.get(meeting.unit_id)
    text = texts.ANSWER_FOR_ASK.format(
        name=member.full_name, block=mc.block(ctx, meeting, unit.name if unit else "")
    )
    return [Reply(text, options=answer_options(meeting.id, member.id))]


async def _reason(
    msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting, member: Member, press: Press
) -> list[Reply]:
    code = press.word(2)
    if code not in REASONS:
        return [Reply(texts.STALE_BUTTON)]
    if code == OTHER:
        await _await_reason(msg, ctx, meeting, member)
        return [Reply(texts.ASK_REASON_TEXT.format(limit=REASON_MAX))]
    return await _record(msg, ctx, who, meeting, member, "excused", texts.MEETING_REASONS[code])


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
    if len(reason) > REASON_MAX:
        return [Reply(texts.TOO_LONG.format(limit=REASON_MAX))]
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
    meeting = await ctx.meetings.get(meeting_id)
    member = await ctx.members.get(member_id)
    if meeting is None or member is None or not member.active:
        return Reply(texts.STALE_BUTTON)
    if not await mc.belongs(ctx, meeting, member.id, member.unit_id):
        logger.warning(
            "member %s pressed a button of meeting %s of another cell", who.member.id, meeting_id
        )
        return Reply(texts.STALE_BUTTON)
    if member.id != who.member.id and not who.leads(meeting.unit_id):
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
    now = ctx.now()
    previous = (await ctx.attendance.answers(meeting.id)).get(member.id)
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
        leaders = (await ctx.members.leaders([meeting.unit_id])).get(meeting.unit_id, [])
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
    await ctx.attendance.set_answer(
        meeting.id, member.id, answer, reason, who.member.id, now, messages
    )
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


async def overview(ctx: Ctx, unit: Unit, *, edit: bool = False) -> Reply:
    """The secretary's overview of a cell (/chibo): next meeting's answers, last meeting's
    attendance rate."""
    lines = [texts.CHIBO_HEADER.format(unit=unit.name)]
    upcoming = await ctx.meetings.upcoming(unit.id, ctx.now(), limit=1)
    if upcoming:
        lines += await _next_lines(ctx, unit.id, upcoming[0])
    else:
        lines.append(texts.CHIBO_NO_NEXT)
    started = await ctx.meetings.started(unit.id, ctx.now(), limit=1)
    if started:
        lines.append(await _last_line(ctx, started[0]))
    return Reply("\n".join(lines), edit=edit)


async def _next_lines(ctx: Ctx, unit_id: int, m: Meeting) -> list[str]:
    """The next meeting's answers so far: attending, excused, silent (and unlinked)."""
    answers = await ctx.attendance.answers(m.id)
    scope = await mc.scope_of(ctx, m)
    # The meeting's people: the cell but those attending elsewhere, and its guests.
    people = [r for r in await ctx.members.recipients_in(unit_id) if r.member.id not in scope.away]
    people += [r for r in await _guests(ctx, scope) if r.member.id not in answers]
    ids = {r.member.id for r in people} | set(scope.guests)
    counted = [a.answer for a in answers.values() if a.member_id in ids]
    silent = [r for r in people if r.member.id not in answers and r.member.id not in scope.leave]
    lines = [
        texts.CHIBO_NEXT.format(
            when=mc.when(ctx, m.starts_at),
            attend=counted.count("attend"),
            excused=counted.count("excused") + len(scope.leave - set(answers)),
            none=len(silent),
            unlinked=sum(1 for r in silent if r.account is None),
        )
    ]
    if scope.away:
        lines.append(texts.CHIBO_AWAY.format(count=len(scope.away)))
    if scope.guests:
        lines.append(texts.CHIBO_GUESTS.format(count=len(scope.guests)))
    return lines


async def _last_line(ctx: Ctx, last: Meeting) -> str:
    """The last meeting's attendance rate, or that its checklist is not saved yet."""
    marks = await ctx.attendance.attendance(last.id)
    if not marks:
        return texts.CHIBO_LAST_PENDING.format(when=mc.when(ctx, last.starts_at))
    present = sum(1 for s in marks.values() if s == "present")
    return texts.CHIBO_LAST.format(
        when=mc.when(ctx, last.starts_at),
        present=present,
        total=len(marks),
        rate=round(100 * present / len(marks)),
    )


# mt:<y|n|m>:<meeting>:<member> attend, excuse, answer for a member;
# mt:r:<meeting>:<member>:<reason> a reason picked.
BUTTONS = Buttons(
    "mt",
    {
        "y": Action(_answering(_attend), "ii"),
        "n": Action(_answering(_excuse), "ii"),
        "m": Action(_answering(_for_member), "ii"),
        "r": Action(_answering(_reason), "iis"),
    },
)
